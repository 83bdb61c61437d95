//! The output plan (every file of the built site, by path) and the writer
//! that puts it on disk safely and quickly.
//!
//! New bytes are always written into a staging folder beside the output
//! first, so a failure while writing leaves the previous output as it was.
//! A first build renames the staging folder into place. A rebuild moves in
//! only the files whose bytes changed and removes the files of the previous
//! build that are gone, which the manifest lists with their hashes. The
//! writer never removes or replaces a file it did not write.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostics::Failure;

/// Every file of the built site: path relative to the output folder → bytes.
pub type Plan = BTreeMap<String, Vec<u8>>;

/// The file, in the output folder, that lists what niemyet wrote there:
/// one line per file, `HASH LENGTH PATH`.
pub const MANIFEST: &str = ".niemyet-manifest";

/// What a build wrote: path → (hash, length).
pub type Manifest = BTreeMap<String, (u64, u64)>;

/// Writes `plan` to `out`, replacing the previous build that
/// [`check_ours`] found there.
pub fn write(plan: &Plan, out: &Path, previous: Option<Manifest>) -> Result<(), Failure> {
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
    let parent = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(|e| cannot("create", parent, &e))?;
    let staging = parent.join(format!(".{name}.niemyet-new"));
    if staging.exists() {
        fs::remove_dir_all(&staging).map_err(|e| cannot("remove the leftover folder", &staging, &e))?;
    }
    let hashes: Manifest =
        plan.par_iter().map(|(path, bytes)| (path.clone(), (crate::text::fnv1a(bytes), bytes.len() as u64))).collect();
    let result = match previous {
        None => write_fresh(plan, &hashes, &staging, out),
        Some(on_disk) => update(plan, &hashes, &on_disk, &staging, out),
    };
    if result.is_err() && staging.exists() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

/// Checks that `out` is missing, empty, or holds only what a previous build
/// wrote. Returns the previous build's files as they are on disk now
/// (path → hash from the manifest, length found on disk), if there was one.
pub fn check_ours(out: &Path) -> Result<Option<Manifest>, Failure> {
    if !out.exists() {
        return Ok(None);
    }
    if !out.is_dir() {
        return Err(Failure::Usage(format!("{} is a file, not a folder; choose another --output", out.display())));
    }
    let manifest = match fs::read_to_string(out.join(MANIFEST)) {
        Ok(text) => parse_manifest(&text),
        Err(_) if is_empty(out) => return Ok(None),
        Err(_) => {
            return Err(Failure::Usage(format!(
                "{} is not empty and was not made by niemyet, so niemyet will not replace it; \
                 empty it, or choose another folder with --output",
                out.display()
            )))
        }
    };
    let mut on_disk = Manifest::new();
    let mut foreign = Vec::new();
    for entry in WalkDir::new(out).sort_by_file_name().into_iter().filter_map(Result::ok) {
        if entry.file_type().is_dir() {
            continue;
        }
        let rel = relative(out, entry.path());
        match manifest.get(&rel) {
            Some(&(hash, _)) => {
                let len = entry.metadata().map_or(u64::MAX, |m| m.len());
                on_disk.insert(rel, (hash, len));
            }
            None if rel == MANIFEST => {}
            None => foreign.push(rel),
        }
    }
    if foreign.is_empty() {
        return Ok(Some(on_disk));
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

/// A first build: everything into the staging folder, renamed into place.
fn write_fresh(plan: &Plan, hashes: &Manifest, staging: &Path, out: &Path) -> Result<(), Failure> {
    stage(plan, plan.keys(), hashes, staging)?;
    if out.exists() {
        fs::remove_dir(out).map_err(|e| cannot("replace the empty folder", out, &e))?;
    }
    fs::rename(staging, out).map_err(|e| cannot("move the new build into", out, &e))
}

/// A rebuild: only changed files are staged, then moved into place; files of
/// the previous build that are gone are removed.
fn update(plan: &Plan, hashes: &Manifest, on_disk: &Manifest, staging: &Path, out: &Path) -> Result<(), Failure> {
    let changed: Vec<&String> =
        hashes.iter().filter(|(path, h)| on_disk.get(*path) != Some(h)).map(|(p, _)| p).collect();
    let gone: Vec<&String> = on_disk.keys().filter(|path| !plan.contains_key(*path)).collect();
    if changed.is_empty() && gone.is_empty() && out.join(MANIFEST).exists() {
        return Ok(());
    }
    stage(plan, changed.iter().copied(), hashes, staging)?;
    for path in &gone {
        let file = out.join(path);
        fs::remove_file(&file).map_err(|e| cannot("remove the old file", &file, &e))?;
        remove_empty_parents(&file, out);
    }
    for path in &changed {
        let target = out.join(path);
        if let Some(folder) = target.parent() {
            fs::create_dir_all(folder).map_err(|e| cannot("create", folder, &e))?;
        }
        fs::rename(staging.join(path), &target).map_err(|e| cannot("move the new file into", &target, &e))?;
    }
    fs::rename(staging.join(MANIFEST), out.join(MANIFEST)).map_err(|e| cannot("write", &out.join(MANIFEST), &e))?;
    fs::remove_dir_all(staging).map_err(|e| cannot("remove the staging folder", staging, &e))
}

/// Writes the files `paths` of `plan`, and the manifest of the whole plan, under `dir`.
fn stage<'a>(
    plan: &Plan,
    paths: impl Iterator<Item = &'a String>,
    hashes: &Manifest,
    dir: &Path,
) -> Result<(), Failure> {
    let paths: Vec<&String> = paths.collect();
    let folders: BTreeSet<PathBuf> =
        paths.iter().filter_map(|rel| dir.join(rel).parent().map(Path::to_path_buf)).collect();
    fs::create_dir_all(dir).map_err(|e| cannot("create", dir, &e))?;
    for folder in &folders {
        fs::create_dir_all(folder).map_err(|e| cannot("create", folder, &e))?;
    }
    paths.par_iter().try_for_each(|rel| {
        let path = dir.join(rel);
        fs::write(&path, &plan[*rel]).map_err(|e| cannot("write", &path, &e))
    })?;
    let manifest: String = hashes.iter().map(|(path, (hash, len))| format!("{hash:016x} {len} {path}\n")).collect();
    fs::write(dir.join(MANIFEST), manifest).map_err(|e| cannot("write", &dir.join(MANIFEST), &e))
}

fn parse_manifest(text: &str) -> Manifest {
    text.lines()
        .filter_map(|line| {
            let mut parts = line.splitn(3, ' ');
            let hash = u64::from_str_radix(parts.next()?, 16).ok()?;
            let len = parts.next()?.parse().ok()?;
            Some((parts.next()?.to_string(), (hash, len)))
        })
        .collect()
}

/// Removes the folders above `file` that became empty, up to `out`.
fn remove_empty_parents(file: &Path, out: &Path) {
    let mut folder = file.parent();
    while let Some(dir) = folder.filter(|d| *d != out && d.starts_with(out)) {
        if fs::remove_dir(dir).is_err() {
            break;
        }
        folder = dir.parent();
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(files: &[(&str, &str)]) -> Plan {
        files.iter().map(|(p, b)| (p.to_string(), b.as_bytes().to_vec())).collect()
    }

    fn build(out: &Path, files: &[(&str, &str)]) {
        let previous = check_ours(out).expect("ours");
        write(&plan(files), out, previous).expect("written");
    }

    #[test]
    fn a_rebuild_moves_in_only_what_changed_and_removes_what_is_gone() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        build(&out, &[("index.html", "home"), ("a/index.html", "a"), ("b/c/index.html", "c")]);
        let a_before = fs::metadata(out.join("a/index.html")).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        build(&out, &[("index.html", "home, changed"), ("a/index.html", "a")]);
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "home, changed");
        assert_eq!(fs::metadata(out.join("a/index.html")).unwrap().modified().unwrap(), a_before);
        assert!(!out.join("b").exists(), "the emptied folders of a removed page go too");
        assert!(!dir.path().join(".public.niemyet-new").exists());
    }

    #[test]
    fn a_file_edited_by_hand_is_written_again() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        build(&out, &[("index.html", "home")]);
        fs::write(out.join("index.html"), "edited by hand").unwrap();
        build(&out, &[("index.html", "home")]);
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "home");
    }

    #[test]
    fn files_the_build_did_not_write_stop_it() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        build(&out, &[("index.html", "home")]);
        fs::write(out.join("mine.txt"), "keep").unwrap();
        assert!(matches!(check_ours(&out), Err(Failure::Usage(m)) if m.contains("mine.txt")));
        fs::remove_file(out.join(MANIFEST)).unwrap();
        assert!(matches!(check_ours(&out), Err(Failure::Usage(m)) if m.contains("not made by niemyet")));
        assert_eq!(fs::read_to_string(out.join("mine.txt")).unwrap(), "keep");
    }
}
