//! The writer that puts the built site on disk safely and quickly.
//!
//! Files arrive one by one as pages are rendered, from many threads. New
//! bytes always go into a staging folder beside the output first, so a
//! failed build leaves the previous output as it was. A first build renames
//! the staging folder into place. A rebuild moves in only the files whose
//! bytes changed and removes the files of the previous build that are gone,
//! which the manifest lists with their hashes. While it does, a list beside
//! the output names the files it moves in or removes ([`pending_beside`]), so
//! that a build killed then leaves each of them old or new, all of them ours,
//! and the next build writes every one of them again. The writer never
//! removes or replaces a file it did not write.

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::io::{self, BufWriter, Write};
use std::ops::Bound;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rustc_hash::FxHashMap;
use xxhash_rust::xxh3::{xxh3_64, Xxh3};

use crate::diagnostics::Failure;
use crate::messages::Message;
use crate::msg;
use crate::stamp::FolderStamp;

mod lock;
mod ours;

pub use lock::{lock, Locked};
use ours::parent;
pub use ours::{check_ours, folders_of, Previous};

/// The file, in the output folder, that lists what niemyet wrote there:
/// one line per file, `HASH LENGTH PATH`, the hash the file's 64-bit XXH3.
pub const MANIFEST: &str = ".niemyet-manifest";

/// What a build wrote: path → (hash, length).
pub type Manifest = BTreeMap<String, (u64, u64)>;

/// A file of the built site as it is handed over.
#[derive(Clone, Copy)]
pub enum Data<'a> {
    /// Its bytes, whole.
    Bytes(&'a [u8]),
    /// Written in pieces into what it is given: a file too large to hold
    /// whole, such as the open data of a hundred thousand procedures.
    Pieces(&'a Pieces<'a>),
}

/// Writes a file in pieces into what it is given ([`Data::Pieces`]).
pub type Pieces<'a> = dyn Fn(&mut dyn Write) -> io::Result<()> + Sync + 'a;

/// Receives the files of a build as they are rendered, in any order and
/// from any thread, and puts them in place when the build is complete.
pub struct Writer {
    out: PathBuf,
    staging: PathBuf,
    previous: Option<Manifest>,
    /// The stamps of the previous build's folders, as [`check_ours`] found them.
    folders_found: FxHashMap<String, FolderStamp>,
    written: Mutex<Manifest>,
    changed: Mutex<Vec<String>>,
    folders: Mutex<HashSet<PathBuf>>,
}

impl Writer {
    /// Starts writing into `out`, over the previous build that [`check_ours`] found there.
    pub fn start(out: &Path, previous: Option<Previous>) -> Result<Writer, Failure> {
        let staging = beside(out, "new");
        if staging.exists() {
            fs::remove_dir_all(&staging).map_err(|e| cannot(msg!("io_remove_leftover"), &staging, &e))?;
        }
        fs::create_dir_all(&staging).map_err(|e| cannot(msg!("io_create"), &staging, &e))?;
        let (previous, folders_found) = previous.map(|p| (Some(p.files), p.folders)).unwrap_or_default();
        let writer = Writer {
            out: out.to_path_buf(),
            staging,
            previous,
            folders_found,
            written: Mutex::new(Manifest::new()),
            changed: Mutex::new(Vec::new()),
            folders: Mutex::new(HashSet::new()),
        };
        Ok(writer)
    }

    /// Takes one file of the build. Bytes that differ from the previous
    /// build's are written into the staging folder; a file in pieces is
    /// written there as it comes, and dropped when it is the same.
    pub fn put(&self, path: &str, data: Data<'_>) -> Result<(), Failure> {
        let bytes = match data {
            Data::Bytes(bytes) => bytes,
            Data::Pieces(write) => return self.put_pieces(path, write),
        };
        let entry = (xxh3_64(bytes), bytes.len() as u64);
        if !self.note(path, entry)? {
            return Ok(());
        }
        let file = self.staged(path)?;
        fs::write(&file, bytes).map_err(|e| cannot(msg!("io_write"), &file, &e))?;
        self.changed.lock().expect("not poisoned").push(path.to_string());
        Ok(())
    }

    fn put_pieces(&self, path: &str, write: &Pieces<'_>) -> Result<(), Failure> {
        let file = self.staged(path)?;
        let io_error = |e: io::Error| cannot(msg!("io_write"), &file, &e);
        let staged = fs::File::create(&file).map_err(io_error)?;
        let mut out = BufWriter::new(Hashing { file: staged, hash: Xxh3::new(), len: 0 });
        write(&mut out).map_err(io_error)?;
        let hashing = out.into_inner().map_err(|e| io_error(e.into_error()))?;
        if self.note(path, (hashing.hash.digest(), hashing.len))? {
            self.changed.lock().expect("not poisoned").push(path.to_string());
        } else {
            fs::remove_file(&file).map_err(io_error)?;
        }
        Ok(())
    }

    /// Notes that the build has the file at `path`, of `entry`'s hash and
    /// length; whether its bytes differ from the previous build's.
    fn note(&self, path: &str, entry: (u64, u64)) -> Result<bool, Failure> {
        if self.written.lock().expect("not poisoned").insert(path.to_string(), entry).is_some() {
            return Err(Failure::Usage(msg!("duplicate_output_path", path = path)));
        }
        Ok(self.previous.as_ref().is_none_or(|previous| previous.get(path) != Some(&entry)))
    }

    /// Where the file at `path` is staged, its folder made.
    fn staged(&self, path: &str) -> Result<PathBuf, Failure> {
        let file = self.staging.join(path);
        if let Some(folder) = file.parent() {
            if !self.folders.lock().expect("not poisoned").contains(folder) {
                fs::create_dir_all(folder).map_err(|e| cannot(msg!("io_create"), folder, &e))?;
                self.folders.lock().expect("not poisoned").insert(folder.to_path_buf());
            }
        }
        Ok(file)
    }

    /// Whether `path` is in the output as the previous build wrote it (its
    /// length on disk as the manifest says), so that [`Writer::keep`] may keep it.
    pub fn can_keep(&self, path: &str) -> bool {
        self.previous.as_ref().and_then(|previous| previous.get(path)).is_some_and(|&(_, len)| len != u64::MAX)
    }

    /// Takes one file of the build as the previous build wrote it, without
    /// its bytes: the rebuild cache knows it would be the same. Only for a
    /// path [`Writer::can_keep`] allows.
    pub fn keep(&self, path: &str) {
        let entry = self.previous.as_ref().and_then(|previous| previous.get(path)).copied();
        if let Some(entry) = entry {
            self.written.lock().expect("not poisoned").insert(path.to_string(), entry);
        }
    }

    /// Puts the build in place: the whole staging folder for a first build;
    /// the changed files, less the ones that are gone, for a rebuild.
    /// Returns the stamps the next build may trust ([`check_ours`]): those of
    /// the folders the build did not write into, in the order of
    /// [`folders_of`] the files now in place.
    pub fn finish(&self) -> Result<Vec<Option<FolderStamp>>, Failure> {
        let result = self.move_into_place();
        if result.is_err() {
            self.abandon();
        }
        result
    }

    /// Drops what was staged; the output stays as it was.
    pub fn abandon(&self) {
        let _ = fs::remove_dir_all(&self.staging);
    }

    fn move_into_place(&self) -> Result<Vec<Option<FolderStamp>>, Failure> {
        let written = self.written.lock().expect("not poisoned");
        let manifest: String =
            written.iter().map(|(path, (hash, len))| format!("{hash:016x} {len} {path}\n")).collect();
        let staged_manifest = self.staging.join(MANIFEST);
        fs::write(&staged_manifest, manifest).map_err(|e| cannot(msg!("io_write"), &staged_manifest, &e))?;
        let Some(previous) = &self.previous else {
            if self.out.exists() {
                fs::remove_dir(&self.out).map_err(|e| cannot(msg!("io_replace_empty"), &self.out, &e))?;
            }
            fs::rename(&self.staging, &self.out).map_err(|e| cannot(msg!("io_move_build"), &self.out, &e))?;
            remove_pending(&self.out)?;
            return Ok(Vec::new());
        };
        let changed_paths = self.changed.lock().expect("not poisoned");
        let gone: Vec<&String> = previous.keys().filter(|path| !written.contains_key(*path)).collect();
        let pending: String =
            gone.iter().copied().chain(changed_paths.iter()).map(|path| format!("{path}\n")).collect();
        let staged_pending = beside(&self.out, "pending-new");
        fs::write(&staged_pending, pending).map_err(|e| cannot(msg!("io_write"), &staged_pending, &e))?;
        let pending = pending_beside(&self.out);
        fs::rename(&staged_pending, &pending).map_err(|e| cannot(msg!("io_write"), &pending, &e))?;
        for path in &gone {
            let file = self.out.join(path);
            fs::remove_file(&file).map_err(|e| cannot(msg!("io_remove_old"), &file, &e))?;
            remove_empty_parents(&file, &self.out);
        }
        for path in changed_paths.iter() {
            let target = self.out.join(path);
            if let Some(folder) = target.parent() {
                fs::create_dir_all(folder).map_err(|e| cannot(msg!("io_create"), folder, &e))?;
            }
            fs::rename(self.staging.join(path), &target).map_err(|e| cannot(msg!("io_move_file"), &target, &e))?;
        }
        let manifest = self.out.join(MANIFEST);
        fs::rename(&staged_manifest, &manifest).map_err(|e| cannot(msg!("io_write"), &manifest, &e))?;
        remove_pending(&self.out)?;
        fs::remove_dir_all(&self.staging).map_err(|e| cannot(msg!("io_remove_staging"), &self.staging, &e))?;
        Ok(self.stamps_kept(previous, &written, gone.into_iter().chain(changed_paths.iter())))
    }

    /// The stamps of the folders of the `written` files, where this build
    /// wrote nothing into them: no file `moved` in or out (of the `previous`
    /// build's), no folder made or removed, and not the output folder, which
    /// gets the manifest.
    fn stamps_kept<'a>(
        &self,
        previous: &Manifest,
        written: &Manifest,
        moved: impl Iterator<Item = &'a String>,
    ) -> Vec<Option<FolderStamp>> {
        let mut touched: HashSet<&str> = HashSet::from([""]);
        for path in moved {
            let mut folder = parent(path);
            // A folder made or removed is a name written into the folder above it.
            while touched.insert(folder) && !(holds_files(previous, folder) && holds_files(written, folder)) {
                folder = parent(folder);
            }
        }
        let folders = folders_of(written.keys().map(String::as_str));
        folders
            .iter()
            .map(|folder| self.folders_found.get(*folder).copied().filter(|_| !touched.contains(folder)))
            .collect()
    }
}

/// Whether `files` has a file in `folder` or below it (`""` is the output folder).
fn holds_files(files: &Manifest, folder: &str) -> bool {
    if folder.is_empty() {
        return !files.is_empty();
    }
    let inside = format!("{folder}/");
    files
        .range::<str, _>((Bound::Included(inside.as_str()), Bound::Unbounded))
        .next()
        .is_some_and(|(path, _)| path.starts_with(&inside))
}

/// The file or folder named `.NAME.niemyet-WHAT` beside the output folder
/// `out` (named NAME): where a build keeps what is not part of the site.
pub fn beside(out: &Path, what: &str) -> PathBuf {
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
    holder(out).join(format!(".{name}.niemyet-{what}"))
}

/// The folder that holds the output folder `out`.
fn holder(out: &Path) -> &Path {
    out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

/// The list of the files a rebuild of `out` is moving in or removing, one
/// path a line, there only while it does ([`check_ours`] reads it).
pub fn pending_beside(out: &Path) -> PathBuf {
    beside(out, "pending")
}

/// Removes the pending list of `out`, once the manifest names every file.
fn remove_pending(out: &Path) -> Result<(), Failure> {
    let pending = pending_beside(out);
    match fs::remove_file(&pending) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(cannot(msg!("io_remove_pending"), &pending, &e)),
        _ => Ok(()),
    }
}

/// A staged file being written in pieces, hashed as [`Writer::put`] hashes
/// a whole file.
struct Hashing {
    file: fs::File,
    hash: Xxh3,
    len: u64,
}

impl Write for Hashing {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.file.write(buf)?;
        self.hash.update(&buf[..n]);
        self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

/// The folder a build writes for the output folder `out`: `out`, or the
/// folder it leads to when it is a link (`public` linked into a web
/// server's folder), since a build is put in place by renaming folders,
/// which would replace the link. Refuses a link that leads nowhere, and an
/// output folder that would mix the built site with its sources: the site
/// folder `root` itself or a folder above it (such as `/` or the home
/// folder), or a folder inside its `content/`, `static/` or `themes/`,
/// which the next build would read back.
pub fn place(root: &Path, out: &Path) -> Result<PathBuf, Failure> {
    let is_link = fs::symlink_metadata(out).is_ok_and(|meta| meta.file_type().is_symlink());
    let out = if is_link {
        fs::canonicalize(out)
            .map_err(|_| Failure::Usage(msg!("output_link_nowhere", path = out.display().to_string())))?
    } else {
        out.to_path_buf()
    };
    let (Some(root), Some(resolved_out)) = (resolved(root), resolved(&out)) else {
        return Ok(out);
    };
    if root.starts_with(&resolved_out) {
        return Err(Failure::Usage(msg!("output_holds_site", path = resolved_out.display().to_string())));
    }
    for folder in ["content", "static", "themes"] {
        if resolved_out.starts_with(root.join(folder)) {
            let path = resolved_out.display().to_string();
            return Err(Failure::Usage(msg!("output_inside_site", path = path, folder = folder)));
        }
    }
    Ok(out)
}

/// `path` made absolute with every link resolved, for a path that may not
/// exist yet: its nearest existing folder resolved, the rest added.
fn resolved(path: &Path) -> Option<PathBuf> {
    let absolute = std::path::absolute(path).ok()?;
    let mut rest = Vec::new();
    let mut existing = absolute.as_path();
    loop {
        if let Ok(real) = fs::canonicalize(existing) {
            return Some(rest.into_iter().rev().fold(real, |path, part| path.join(part)));
        }
        rest.push(existing.file_name()?.to_owned());
        existing = existing.parent()?;
    }
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

fn cannot(what: Message, path: &Path, error: &std::io::Error) -> Failure {
    Failure::Usage(msg!("cannot_io", what = what, path = path.display().to_string(), error = error.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds `files` into `out`, as a build over what is there now.
    pub(super) fn build(out: &Path, files: &[(&str, &str)]) {
        let writer = Writer::start(out, check_ours(out, |_| Vec::new()).expect("ours")).expect("started");
        for (path, text) in files {
            writer.put(path, Data::Bytes(text.as_bytes())).expect("put");
        }
        writer.finish().expect("finished");
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
    fn a_file_in_pieces_is_kept_or_replaced_as_a_whole_one_would_be() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        build(&out, &[("data.json", "[1, 2]"), ("other.json", "[3]")]);
        let before = fs::metadata(out.join("data.json")).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let writer = Writer::start(&out, check_ours(&out, |_| Vec::new()).unwrap()).unwrap();
        writer.put("data.json", Data::Pieces(&|out| out.write_all(b"[1, ").and(out.write_all(b"2]")))).unwrap();
        writer.put("other.json", Data::Pieces(&|out| out.write_all(b"[4]"))).unwrap();
        writer.finish().unwrap();
        assert_eq!(fs::metadata(out.join("data.json")).unwrap().modified().unwrap(), before);
        assert_eq!(fs::read_to_string(out.join("other.json")).unwrap(), "[4]");
        let manifest = fs::read_to_string(out.join(MANIFEST)).unwrap();
        assert!(manifest.contains(&format!("{:016x} 6 data.json", xxh3_64(b"[1, 2]"))), "{manifest}");
    }

    #[test]
    fn an_abandoned_build_leaves_the_output_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        build(&out, &[("index.html", "home")]);
        let writer = Writer::start(&out, check_ours(&out, |_| Vec::new()).unwrap()).unwrap();
        writer.put("index.html", Data::Bytes(b"new home")).unwrap();
        writer.put("new/index.html", Data::Pieces(&|out| out.write_all(b"new"))).unwrap();
        writer.abandon();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "home");
        assert!(!out.join("new").exists());
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
}
