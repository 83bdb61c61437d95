//! Writing an import's files all or none: each file goes to a temporary file
//! beside it, and only when every one is written are they renamed into place.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::Failure;
use crate::msg;

/// Writes each (path relative to `root`, bytes), in parallel. Returns how
/// many files were written; on any failure, the temporary files are removed
/// and no file of the site has changed.
pub fn all(root: &Path, files: &[(String, impl AsRef<[u8]> + Sync)]) -> Result<usize, Failure> {
    let cannot_write = |path: &str, error: std::io::Error| {
        Failure::Usage(msg!("import_cannot_write", path = path, error = error.to_string()))
    };
    let folders: BTreeSet<PathBuf> =
        files.iter().filter_map(|(rel, _)| root.join(rel).parent().map(Path::to_path_buf)).collect();
    for folder in &folders {
        std::fs::create_dir_all(folder).map_err(|e| cannot_write(&folder.display().to_string(), e))?;
    }
    let staged: Vec<(PathBuf, PathBuf, std::io::Result<()>)> = files
        .par_iter()
        .map(|(rel, bytes)| {
            let path = root.join(rel);
            let temporary = temporary_beside(&path);
            let written = std::fs::write(&temporary, bytes.as_ref());
            (temporary, path, written)
        })
        .collect();
    if let Some(index) = staged.iter().position(|(_, _, written)| written.is_err()) {
        for (temporary, _, _) in &staged {
            let _ = std::fs::remove_file(temporary);
        }
        let (_, _, error) = staged.into_iter().nth(index).expect("found above");
        return Err(cannot_write(&files[index].0, error.expect_err("found above")));
    }
    for (temporary, path, _) in &staged {
        std::fs::rename(temporary, path).map_err(|e| cannot_write(&path.display().to_string(), e))?;
    }
    Ok(staged.len())
}

/// `content/procedures/.a.md.niemyet-import` for `content/procedures/a.md`:
/// hidden, and not a `.md` file, so a build running meanwhile skips it.
fn temporary_beside(path: &Path) -> PathBuf {
    let name = path.file_name().expect("a file name").to_string_lossy();
    path.with_file_name(format!(".{name}.niemyet-import"))
}
