//! The output plan (every file of the built site, by path) and the writer
//! that puts it on disk safely: into a staging folder first, swapped in only
//! when complete, never over files niemyet did not write.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostics::Failure;

/// Every file of the built site: path relative to the output folder → bytes.
pub type Plan = BTreeMap<String, Vec<u8>>;

/// The file, in the output folder, that lists what niemyet wrote there.
pub const MANIFEST: &str = ".niemyet-manifest";

/// Writes `plan` to `out`, replacing a previous build there.
///
/// Refuses (and changes nothing) when `out` holds files that the previous
/// build did not write. The new tree is written beside `out` and renamed
/// into place, so a failure leaves the previous output as it was.
pub fn write(plan: &Plan, out: &Path) -> Result<(), Failure> {
    check_ours(out)?;
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
    let parent = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(|e| cannot("create", parent, &e))?;
    let staging = parent.join(format!(".{name}.niemyet-new"));
    let old = parent.join(format!(".{name}.niemyet-old"));
    for leftover in [&staging, &old] {
        if leftover.exists() {
            fs::remove_dir_all(leftover).map_err(|e| cannot("remove the leftover folder", leftover, &e))?;
        }
    }
    if let Err(failure) = write_tree(plan, &staging) {
        let _ = fs::remove_dir_all(&staging);
        return Err(failure);
    }
    if out.exists() {
        fs::rename(out, &old).map_err(|e| cannot("move aside the previous build in", out, &e))?;
    }
    if let Err(e) = fs::rename(&staging, out) {
        if old.exists() {
            let _ = fs::rename(&old, out);
        }
        return Err(cannot("move the new build into", out, &e));
    }
    if old.exists() {
        fs::remove_dir_all(&old).map_err(|e| cannot("remove the previous build in", &old, &e))?;
    }
    Ok(())
}

/// Checks that `out` is missing, empty, or holds only what a previous build wrote.
pub fn check_ours(out: &Path) -> Result<(), Failure> {
    if !out.exists() {
        return Ok(());
    }
    if !out.is_dir() {
        return Err(Failure::Usage(format!("{} is a file, not a folder; choose another --output", out.display())));
    }
    let written: Vec<String> = match fs::read_to_string(out.join(MANIFEST)) {
        Ok(list) => list.lines().map(str::to_string).collect(),
        Err(_) if is_empty(out) => return Ok(()),
        Err(_) => {
            return Err(Failure::Usage(format!(
                "{} is not empty and was not made by niemyet, so niemyet will not replace it; \
                 empty it, or choose another folder with --output",
                out.display()
            )))
        }
    };
    let foreign: Vec<String> = WalkDir::new(out)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .map(|e| relative(out, e.path()))
        .filter(|rel| rel != MANIFEST && written.binary_search(rel).is_err())
        .collect();
    if foreign.is_empty() {
        return Ok(());
    }
    let shown: Vec<&str> = foreign.iter().take(5).map(String::as_str).collect();
    Err(Failure::Usage(format!(
        "{} holds {} file(s) that niemyet did not write ({}{}), so niemyet will not replace it; \
         move files you want published into static/, or delete them",
        out.display(),
        foreign.len(),
        shown.join(", "),
        if foreign.len() > shown.len() { ", …" } else { "" }
    )))
}

fn write_tree(plan: &Plan, dir: &Path) -> Result<(), Failure> {
    let folders: BTreeSet<PathBuf> =
        plan.keys().filter_map(|rel| dir.join(rel).parent().map(Path::to_path_buf)).collect();
    fs::create_dir_all(dir).map_err(|e| cannot("create", dir, &e))?;
    for folder in &folders {
        fs::create_dir_all(folder).map_err(|e| cannot("create", folder, &e))?;
    }
    plan.par_iter().try_for_each(|(rel, bytes)| {
        let path = dir.join(rel);
        fs::write(&path, bytes).map_err(|e| cannot("write", &path, &e))
    })?;
    let manifest: String = plan.keys().map(|k| format!("{k}\n")).collect();
    fs::write(dir.join(MANIFEST), manifest).map_err(|e| cannot("write", &dir.join(MANIFEST), &e))
}

fn is_empty(dir: &Path) -> bool {
    fs::read_dir(dir).map(|mut d| d.next().is_none()).unwrap_or(false)
}

fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

fn cannot(what: &str, path: &Path, error: &std::io::Error) -> Failure {
    Failure::Usage(format!("cannot {what} {}: {error}; check the disk space and permissions", path.display()))
}
