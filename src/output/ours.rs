//! Whether an output folder is niemyet's to write into, and what the
//! previous build left there ([`check_ours`]).
//!
//! Every file the manifest lists is looked at, for its length. Every folder
//! is read for names niemyet did not write, but for the folders whose stamps
//! ([`FolderStamp`]) are as the previous build found them when it began: a
//! name added, removed or replaced in a folder changes its time of
//! modification, so a folder whose size and time did not change holds the
//! names it held, which that build read. A copy of the output that keeps
//! times (an output restored from a CI cache) keeps them too. The previous
//! build hands on only the stamps of folders it did not write into
//! ([`super::Writer::finish`]); without them every folder is read.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;
use std::time::SystemTime;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use walkdir::WalkDir;

use super::{pending_beside, Manifest, MANIFEST};
use crate::diagnostics::Failure;
use crate::msg;
use crate::paths::relative;
use crate::stamp::FolderStamp;

/// What the previous build left in the output folder, as this build found it.
pub struct Previous {
    /// Its files: path → hash and length from the manifest; the length is
    /// `u64::MAX`, which no file has, when the one on disk differs.
    pub files: Manifest,
    /// The stamps of its folders (`""` for the output folder itself) that
    /// were settled when this build began ([`FolderStamp::of`]).
    pub folders: FxHashMap<String, FolderStamp>,
}

/// Checks that `out` is missing, empty, or holds only what a previous build
/// wrote, reading only the folders whose stamps differ from those that
/// `stamps` gives for the manifest's text ([`folders_of`] the manifest's
/// files, in order; any other number of them is no stamp at all), unless a
/// build was killed while it moved files in. Returns what the previous
/// build left, if there was one.
pub fn check_ours(
    out: &Path,
    stamps: impl FnOnce(&str) -> Vec<Option<FolderStamp>>,
) -> Result<Option<Previous>, Failure> {
    check_ours_at(out, stamps, SystemTime::now())
}

/// [`check_ours`] for a build that began at `begun`.
fn check_ours_at(
    out: &Path,
    stamps: impl FnOnce(&str) -> Vec<Option<FolderStamp>>,
    begun: SystemTime,
) -> Result<Option<Previous>, Failure> {
    if !out.exists() {
        return Ok(None);
    }
    if !out.is_dir() {
        return Err(Failure::Usage(msg!("output_is_file", path = out.display().to_string())));
    }
    let text = match fs::read_to_string(out.join(MANIFEST)) {
        Ok(text) => text,
        Err(_) if is_empty(out) => return Ok(None),
        Err(_) => return Err(Failure::Usage(msg!("output_not_ours", path = out.display().to_string()))),
    };
    let mut manifest = parse_manifest(&text);
    // A build killed while it moved files in left each of these old or new: ours, to be written again.
    let pending = fs::read_to_string(pending_beside(out)).ok();
    for path in pending.iter().flat_map(|pending| pending.lines()) {
        manifest.insert(path.to_string(), None);
    }
    let folders = folders_of(manifest.keys().map(String::as_str));
    let trusted = match pending {
        None => Some(stamps(&text)).filter(|stamps| stamps.len() == folders.len()),
        // What a killed build's folders hold is not known: every one is read.
        Some(_) => None,
    };
    let known: FxHashSet<&str> = folders.iter().copied().collect();
    let found: Vec<(Option<FolderStamp>, Vec<String>)> = folders
        .par_iter()
        .enumerate()
        .map(|(n, folder)| {
            let meta = fs::symlink_metadata(out.join(folder)).ok().filter(fs::Metadata::is_dir);
            let Some(meta) = meta else {
                // Gone, or no longer a folder: the folder above has a new name.
                return (None, Vec::new());
            };
            let stamp = FolderStamp::of(&meta, begun);
            if stamp.is_some() && stamp == trusted.as_ref().and_then(|trusted| trusted[n]) {
                return (stamp, Vec::new());
            }
            (stamp, foreign_in(out, folder, &manifest, &known))
        })
        .collect();
    let files: Manifest = manifest
        .par_iter()
        .filter_map(|(rel, entry)| {
            let meta = fs::symlink_metadata(out.join(rel)).ok().filter(|meta| !meta.is_dir())?;
            // No file is u64::MAX bytes long: the next build writes it again.
            let entry = match *entry {
                Some((hash, len)) => (hash, if meta.len() == len { len } else { u64::MAX }),
                None => (0, u64::MAX),
            };
            Some((rel.clone(), entry))
        })
        .collect::<Vec<_>>()
        .into_iter()
        .collect();
    let mut foreign: Vec<String> = found.iter().flat_map(|(_, foreign)| foreign.iter().cloned()).collect();
    if foreign.is_empty() {
        let folders = folders
            .into_iter()
            .zip(found)
            .filter_map(|(folder, (stamp, _))| Some((folder.to_string(), stamp?)))
            .collect();
        return Ok(Some(Previous { files, folders }));
    }
    foreign.sort_unstable();
    let shown: Vec<&str> = foreign.iter().take(5).map(String::as_str).collect();
    let files = format!("{}{}", shown.join(", "), if foreign.len() > shown.len() { ", …" } else { "" });
    Err(Failure::Usage(msg!("output_has_foreign", path = out.display().to_string(), n = foreign.len(), files = files)))
}

/// The files in `folder` of `out`, and in the folders below it that are not
/// `known`, that the manifest does not list: what niemyet did not write.
fn foreign_in(out: &Path, folder: &str, manifest: &Listed, known: &FxHashSet<&str>) -> Vec<String> {
    let Ok(entries) = fs::read_dir(out.join(folder)) else {
        return Vec::new();
    };
    let mut foreign = Vec::new();
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let rel = if folder.is_empty() { name.into_owned() } else { format!("{folder}/{name}") };
        if !entry.file_type().is_ok_and(|kind| kind.is_dir()) {
            if !manifest.contains_key(&rel) && rel != MANIFEST {
                foreign.push(rel);
            }
        } else if !known.contains(rel.as_str()) {
            let files = WalkDir::new(entry.path()).into_iter().filter_map(Result::ok);
            foreign.extend(files.filter(|e| !e.file_type().is_dir()).map(|e| relative(out, e.path())));
        }
    }
    foreign
}

/// The files a manifest lists: path → hash and length, `None` when unknown.
type Listed = BTreeMap<String, Option<(u64, u64)>>;

/// The hash written in the manifest for a file whose bytes are not known:
/// one being moved into place when a build of an earlier version of niemyet
/// was stopped.
const UNKNOWN: &str = "-";

/// The files the manifest's `text` lists.
fn parse_manifest(text: &str) -> Listed {
    text.lines()
        .filter_map(|line| {
            let mut parts = line.splitn(3, ' ');
            let hash = match parts.next()? {
                UNKNOWN => None,
                hex => Some(u64::from_str_radix(hex, 16).ok()?),
            };
            let length: u64 = parts.next()?.parse().ok()?;
            Some((parts.next()?.to_string(), hash.map(|hash| (hash, length))))
        })
        .collect()
}

/// The folders that hold the files at `paths` (relative to the output folder,
/// with `/`), and the folders above them, sorted; `""` is the output folder.
pub fn folders_of<'a>(paths: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut folders = BTreeSet::new();
    for path in paths {
        let mut folder = parent(path);
        while folders.insert(folder) && !folder.is_empty() {
            folder = parent(folder);
        }
    }
    folders.into_iter().collect()
}

/// The folder that holds `path`, relative to the output folder; `""` for the output folder.
pub(super) fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(folder, _)| folder)
}

fn is_empty(dir: &Path) -> bool {
    fs::read_dir(dir).map(|mut d| d.next().is_none()).unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::super::tests::build;
    use super::super::{Data, Writer};
    use super::*;
    use crate::messages::Language;

    /// What a build that began three seconds from now finds, trusting the
    /// folders' stamps `trusted` gives: every folder is settled for it.
    fn found(out: &Path, trusted: &FxHashMap<String, FolderStamp>) -> Result<Option<Previous>, Failure> {
        let in_order = |manifest: &str| {
            let files = parse_manifest(manifest);
            folders_of(files.keys().map(String::as_str)).iter().map(|folder| trusted.get(*folder).copied()).collect()
        };
        check_ours_at(out, in_order, SystemTime::now() + Duration::from_secs(3))
    }

    /// The stamp of the folder at `path`, for a build three seconds from now.
    fn settled(path: &Path) -> FolderStamp {
        FolderStamp::of(&fs::metadata(path).unwrap(), SystemTime::now() + Duration::from_secs(3)).expect("settled")
    }

    /// Whether `result` is a refusal whose message holds `words`.
    fn names_the_file(result: Result<Option<Previous>, Failure>, words: &str) -> bool {
        matches!(result, Err(Failure::Usage(m)) if m.render(Language::En).contains(words))
    }

    #[test]
    fn files_the_build_did_not_write_stop_it() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        build(&out, &[("index.html", "home")]);
        fs::write(out.join("mine.txt"), "keep").unwrap();
        assert!(names_the_file(check_ours(&out, |_| Vec::new()), "mine.txt"));
        fs::remove_file(out.join(MANIFEST)).unwrap();
        assert!(names_the_file(check_ours(&out, |_| Vec::new()), "not made by niemyet"));
        assert_eq!(fs::read_to_string(out.join("mine.txt")).unwrap(), "keep");
    }

    #[test]
    fn the_folders_are_those_of_the_files_and_those_above_them() {
        assert_eq!(folders_of(["index.html", "a/b/c/index.html", "a/x.html"]), ["", "a", "a/b", "a/b/c"]);
        assert_eq!(folders_of([]), Vec::<String>::new());
    }

    /// An output of three pages in four folders (`""`, `a`, `b`, `b/c`), in
    /// a new temporary folder, with the stamps of its folders.
    fn three_pages_built() -> (tempfile::TempDir, std::path::PathBuf, FxHashMap<String, FolderStamp>) {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        build(&out, &[("index.html", "home"), ("a/index.html", "a"), ("b/c/index.html", "c")]);
        let stamps = found(&out, &FxHashMap::default()).unwrap().expect("a build").folders;
        (dir, out, stamps)
    }

    /// A folder whose stamp is as the previous build found it is not read
    /// again: what it holds is what that build read. Any name added since
    /// changes its stamp, and is found.
    #[test]
    fn only_the_folders_whose_stamps_changed_are_read_again() {
        let (_dir, out, stamps) = three_pages_built();
        assert_eq!(
            stamps.keys().collect::<BTreeSet<_>>(),
            BTreeSet::from([&"".into(), &"a".into(), &"b".into(), &"b/c".into()])
        );

        fs::write(out.join("a/mine.txt"), "mine").unwrap();
        assert!(names_the_file(found(&out, &stamps), "a/mine.txt"), "a name added to a folder changes its stamp");
        let mut as_now = stamps.clone();
        as_now.insert("a".into(), settled(&out.join("a")));
        assert!(found(&out, &as_now).is_ok(), "a folder stamped as it is now is not read again");
        fs::remove_file(out.join("a/mine.txt")).unwrap();

        fs::create_dir_all(out.join("b/c/d")).unwrap();
        fs::write(out.join("b/c/d/notes.txt"), "mine").unwrap();
        assert!(names_the_file(found(&out, &stamps), "b/c/d/notes.txt"), "and in a new folder below one of ours");
        fs::remove_dir_all(out.join("b/c/d")).unwrap();

        fs::write(out.join("a/index.html"), "edited by hand").unwrap();
        fs::remove_file(out.join("b/c/index.html")).unwrap();
        let previous = found(&out, &stamps).unwrap().expect("a build");
        assert_eq!(
            previous.files["a/index.html"].1,
            u64::MAX,
            "a file edited in place is looked at in a trusted folder"
        );
        assert!(!previous.files.contains_key("b/c/index.html"), "a file removed is missed");
    }

    /// A copy of the output that keeps times, as a CI cache restores it,
    /// has the stamps of the original's folders: none is read again.
    #[test]
    fn a_copy_that_keeps_the_folders_times_is_not_read_again() {
        let (dir, out, stamps) = three_pages_built();

        let copy = dir.path().join("restored");
        let folders = ["", "a", "b", "b/c"];
        for folder in folders {
            fs::create_dir_all(copy.join(folder)).unwrap();
        }
        for file in [MANIFEST, "index.html", "a/index.html", "b/c/index.html"] {
            fs::copy(out.join(file), copy.join(file)).unwrap();
        }
        let keep_times = |folder: &str| {
            let modified = fs::metadata(out.join(folder)).unwrap().modified().unwrap();
            fs::File::open(copy.join(folder)).unwrap().set_modified(modified).unwrap();
        };
        folders.into_iter().rev().for_each(keep_times);
        let restored = found(&copy, &stamps).unwrap().expect("a build");
        assert_eq!(restored.folders, stamps, "a copy's folders have the original's stamps");

        fs::write(copy.join("a/mine.txt"), "mine").unwrap();
        assert!(names_the_file(found(&copy, &stamps), "a/mine.txt"), "a name added to the copy is found");
        keep_times("a");
        assert!(found(&copy, &stamps).is_ok(), "unless the folder's time is set back by hand: it is not read");
    }

    /// A build killed while it moved files in leaves each of them old or
    /// new: the next build takes every file of the pending list as its own
    /// and writes it again, whatever its length, and reads every folder.
    #[test]
    fn the_files_a_killed_build_was_moving_in_are_ours_and_written_again() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        build(&out, &[("a/index.html", "old a"), ("b/index.html", "old b")]);
        fs::write(out.join("a/index.html"), "new a").unwrap();
        fs::create_dir(out.join("c")).unwrap();
        fs::write(out.join("c/index.html"), "new c").unwrap();
        fs::write(pending_beside(&out), "a/index.html\nc/index.html\n").unwrap();

        let mut asked = false;
        let previous = check_ours(&out, |_| {
            asked = true;
            Vec::new()
        });
        let previous = previous.unwrap().expect("a build");
        assert!(!asked, "a killed build's folder stamps are not used");
        assert_eq!(previous.files["a/index.html"].1, u64::MAX, "written again though its length is the old one's");
        assert_eq!(previous.files["c/index.html"].1, u64::MAX, "not a stranger's file");
        assert_eq!(previous.files["b/index.html"].1, 5);

        build(&out, &[("a/index.html", "old a"), ("b/index.html", "old b")]);
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "old a");
        assert!(!out.join("c").exists(), "the file the killed build added, and its folder, are gone");
        assert!(!pending_beside(&out).exists(), "the list goes once the manifest names every file");
    }

    /// A build hands on the stamps of the folders it did not write into:
    /// not those it moved a file into or removed one from, not those above a
    /// folder it made or removed, and not the output folder.
    #[test]
    fn a_build_hands_on_the_stamps_of_the_folders_it_did_not_write_into() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let before =
            ["index.html", "a/index.html", "b/index.html", "c/d/index.html", "x/y/index.html", "x/z/index.html"];
        let after =
            ["index.html", "a/index.html", "b/index.html", "e/index.html", "x/z/index.html", "x/z/w/index.html"];
        build(&out, &before.map(|path| (path, "same")));
        let writer = Writer::start(&out, found(&out, &FxHashMap::default()).unwrap()).unwrap();
        for path in after {
            writer.put(path, Data::Bytes(if path == "a/index.html" { b"changed" } else { b"same" })).unwrap();
        }
        let stamps = writer.finish().unwrap();
        let handed_on: Vec<(&str, bool)> =
            folders_of(after).into_iter().zip(stamps.iter().map(Option::is_some)).collect();
        assert_eq!(
            handed_on,
            [("", false), ("a", false), ("b", true), ("e", false), ("x", false), ("x/z", false), ("x/z/w", false)],
            "a had a file moved in; x lost y; x/z gained w; e is new; b alone was not written into"
        );
    }
}
