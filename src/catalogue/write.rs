//! Writing an import's files all or none: each file goes to a temporary file
//! beside it, and only when every one is written are they renamed into place.

use std::path::{Path, PathBuf};

use crate::diagnostics::Failure;
use crate::msg;

/// Writes each (path relative to `root`, bytes). Returns how many files were
/// written; on any failure, the temporary files are removed and no file of
/// the site has changed.
pub fn all(root: &Path, files: &[(String, impl AsRef<[u8]>)]) -> Result<usize, Failure> {
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    for (rel, text) in files {
        let path = root.join(rel);
        let temporary = temporary_beside(&path);
        let written = std::fs::create_dir_all(path.parent().expect("a file in a folder"))
            .and_then(|()| std::fs::write(&temporary, text.as_ref()));
        if let Err(error) = written {
            for (temporary, _) in staged.iter().chain([&(temporary, path)]) {
                let _ = std::fs::remove_file(temporary);
            }
            return Err(Failure::Usage(msg!("import_cannot_write", path = rel, error = error.to_string())));
        }
        staged.push((temporary, path));
    }
    for (temporary, path) in &staged {
        std::fs::rename(temporary, path).map_err(|error| {
            let path = path.display().to_string();
            Failure::Usage(msg!("import_cannot_write", path = path, error = error.to_string()))
        })?;
    }
    Ok(staged.len())
}

/// `content/procedures/.a.md.niemyet-import` for `content/procedures/a.md`:
/// hidden, and not a `.md` file, so a build running meanwhile skips it.
fn temporary_beside(path: &Path) -> PathBuf {
    let name = path.file_name().expect("a file name").to_string_lossy();
    path.with_file_name(format!(".{name}.niemyet-import"))
}
