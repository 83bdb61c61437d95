//! What a rebuild may skip.
//!
//! `build` keeps a cache file beside its output folder (`.public.niemyet-cache`
//! beside `public/`). For each unit of work — a page, or the whole search
//! index — it holds the fingerprint of what the unit was made from, the files
//! it made and, for a page, the site files its links lead to. A rebuild that
//! finds a unit's fingerprint unchanged, and its files in the output as the
//! last build wrote them, keeps those files instead of making them again.
//!
//! What every page shares (site.toml, the theme, drafts or not) is one
//! fingerprint: when it changes, nothing is kept. Nor is anything kept from
//! a cache that another build of niemyet wrote ([`BUILD`]). The cache
//! belongs to the output the same build wrote (it ends with the hash of that
//! build's manifest): beside any other output it is ignored.
//!
//! A unit may also leave a memo for the next build, which it reads back
//! whether or not its files are kept: the search index keeps the terms it
//! found in each procedure file, so that after an edit it reads only the
//! edited files again, and what each of its shards and its files made from
//! front matter alone were made from, so that it makes again only those
//! whose inputs changed and keeps the others ([`Rebuild::keep_files`]). A
//! memo is written straight into the cache file, after the units, each as
//! its unit's name, its length and its bytes.
//!
//! Before all of these, the file holds what the build kept of its inputs
//! ([`kept_inputs`]: the procedures it parsed, [`crate::content::kept`]),
//! which the next build reads before its content, even when the output has
//! changed since.
//!
//! After the memos come the stamps of the output's folders that the build
//! did not write into, with which the next build checks the output without
//! reading every folder ([`Last::check_output`], [`crate::output::check_ours`]).
//!
//! The file is written in that order, each part as soon as the build knows
//! it ([`Staged`]): the kept inputs while the pages are made, the units and
//! memos while the output is moved into place, and the folders' stamps and
//! the header last.

use std::fs;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::Xxh3;

use crate::links::LinkCheck;
use crate::output::{Writer, MANIFEST};
use crate::stamp::Stamp;

/// A 128-bit hash of what something is made from.
pub type Fingerprint = u128;

/// Changes whenever the cache file's shape or meaning changes.
const FORMAT: u32 = 8;

/// This build of niemyet: its version and a hash of the sources, theme and
/// dependencies it was built from (build.rs). Two builds of the same version
/// from different sources may make different pages, so each keeps only what
/// it wrote itself.
pub const BUILD: &str = concat!(env!("CARGO_PKG_VERSION"), "+", env!("NIEMYET_BUILD"));

thread_local! {
    /// The JSON of the value [`Hasher::value`] is hashing, kept between values.
    static JSON: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Builds a [`Fingerprint`] from bytes, text and serialisable values.
pub struct Hasher(Xxh3);

impl Default for Hasher {
    fn default() -> Hasher {
        Hasher::new()
    }
}

impl Hasher {
    /// An empty hasher.
    pub fn new() -> Hasher {
        Hasher(Xxh3::new())
    }

    /// Adds bytes, with their length, so that no two sequences of parts meet.
    pub fn bytes(mut self, bytes: &[u8]) -> Hasher {
        self.0.update(&(bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
        self
    }

    /// Adds a text.
    pub fn text(self, text: &str) -> Hasher {
        self.bytes(text.as_bytes())
    }

    /// Adds fingerprints (or other numbers of up to 128 bits) as they are,
    /// then how many there were: quicker than as a value, with no list to make.
    pub fn fingerprints(mut self, parts: impl IntoIterator<Item = Fingerprint>) -> Hasher {
        let mut count: u64 = 0;
        for part in parts {
            self.0.update(&part.to_le_bytes());
            count += 1;
        }
        self.0.update(&count.to_le_bytes());
        self
    }

    /// Adds a value as its JSON, written whole before it is hashed: JSON is
    /// written in pieces of a few bytes, each costly to hash on its own.
    pub fn value<T: Serialize + ?Sized>(mut self, value: &T) -> Hasher {
        JSON.with_borrow_mut(|json| {
            json.clear();
            serde_json::to_writer(&mut *json, value).expect("values serialise");
            self.0.update(json);
        });
        self.0.update(&[0xff]);
        self
    }

    /// The fingerprint of everything added.
    pub fn finish(&self) -> Fingerprint {
        self.0.digest128()
    }
}

/// The cache file of the output folder `out`: `.NAME.niemyet-cache` beside it.
pub fn file_beside(out: &Path) -> PathBuf {
    crate::output::beside(out, "cache")
}

/// The start of the cache file: the rest is read only when this niemyet wrote it.
#[derive(Serialize, Deserialize, PartialEq, Eq)]
struct Start {
    format: u32,
    niemyet: String,
}

/// The cache file after the kept inputs, but for the memos that follow and
/// the header that ends it.
#[derive(Serialize, Deserialize, Default)]
struct Stored {
    /// Every link target, numbered by position.
    targets: Vec<String>,
    units: Vec<(String, Unit)>,
}

/// What a unit leaves for the next build ([`Rebuild::remember`]), written
/// into the cache file only as it is saved: a large site's memo is not held
/// both as a value and as its bytes.
pub trait Memo: Send {
    /// Writes the memo's bytes, as [`Rebuild::take_memo`] will give them back.
    fn write(&self, out: &mut dyn Write) -> std::io::Result<()>;
}

/// A memo as the previous build wrote it.
impl Memo for Vec<u8> {
    fn write(&self, out: &mut dyn Write) -> std::io::Result<()> {
        out.write_all(self)
    }
}

/// A unit of a build, as the cache keeps it.
#[derive(Serialize, Deserialize)]
struct Unit {
    input: Fingerprint,
    /// The files the unit made, when they are not just the unit's own path.
    files: Vec<String>,
    /// Its links' targets, as numbers in `targets`.
    links: Vec<u32>,
}

/// What units left for the next build, by unit.
type Memos = FxHashMap<String, Vec<u8>>;

/// What the previous build left: its units, their links' targets and its memos.
#[derive(Default)]
struct Previous {
    units: FxHashMap<String, Unit>,
    /// Every link target, numbered by position, as in the file: a site of a
    /// hundred thousand pages has millions of links but few targets.
    targets: Vec<String>,
    /// Given out once each ([`Rebuild::take_memo`]).
    memos: Mutex<Memos>,
}

/// One build's use of the cache: what the previous build left, and what this
/// one makes or keeps, to be saved when it succeeds.
pub struct Rebuild<'a> {
    site: Fingerprint,
    previous: Previous,
    /// The link check's number for each of the previous build's link targets.
    link_numbers: Vec<u32>,
    inputs: Mutex<Vec<(String, Fingerprint)>>,
    memos: Mutex<Vec<(String, Box<dyn Memo>)>>,
    files: Mutex<FxHashMap<String, Vec<String>>>,
    kept: AtomicUsize,
    writer: &'a Writer,
    links: &'a LinkCheck,
}

impl<'a> Rebuild<'a> {
    /// Uses what the `last` build left only when it was written for the same
    /// site-wide inputs (`site`) and the output as it is.
    pub fn open(last: Option<Last>, site: Fingerprint, writer: &'a Writer, links: &'a LinkCheck) -> Rebuild<'a> {
        let last = last.filter(|last| last.for_this_output && last.site == site);
        let previous = last.map(|last| last.previous).unwrap_or_default();
        Rebuild {
            link_numbers: links.numbers(&previous.targets),
            previous,
            site,
            inputs: Mutex::new(Vec::new()),
            memos: Mutex::new(Vec::new()),
            files: Mutex::new(FxHashMap::default()),
            kept: AtomicUsize::new(0),
            writer,
            links,
        }
    }

    /// Whether the files of `unit` (a page's output path, or the name of a
    /// larger unit), made from `input`, stay as the previous build made them:
    /// then the writer keeps them, the link check learns their links, and
    /// their number is returned; otherwise (`None`) the caller makes them.
    pub fn keep(&self, unit: &str, input: Fingerprint) -> Option<usize> {
        self.inputs.lock().expect("not poisoned").push((unit.to_string(), input));
        let previous = self.previous.units.get(unit).filter(|u| u.input == input)?;
        let files: Vec<&str> =
            if previous.files.is_empty() { vec![unit] } else { previous.files.iter().map(String::as_str).collect() };
        if !files.iter().all(|f| self.writer.can_keep(f)) {
            return None;
        }
        for f in &files {
            self.writer.keep(f);
        }
        self.links.see_kept(&files, previous.links.iter().map(|&n| self.link_numbers[n as usize]).collect());
        if !previous.files.is_empty() {
            self.made(unit, previous.files.clone());
        }
        if let Some(memo) = self.take_memo(unit) {
            self.remember(unit, memo);
        }
        self.kept.fetch_add(files.len(), Ordering::Relaxed);
        Some(files.len())
    }

    /// Keeps the files at `paths`, some of the files of a unit that makes
    /// some of its files again and keeps the others (the search index), as
    /// the previous build wrote them, when the output still holds them so:
    /// all of them or none; whether it did. The files have no links to follow.
    pub fn keep_files(&self, paths: &[&str]) -> bool {
        if !paths.iter().all(|path| self.writer.can_keep(path)) {
            return false;
        }
        for path in paths {
            self.writer.keep(path);
        }
        self.links.see_kept(paths, Box::new([]));
        self.kept.fetch_add(paths.len(), Ordering::Relaxed);
        true
    }

    /// The memo the previous build left for `unit`, if it left one, given
    /// once: it served the same site-wide inputs, and says nothing of the
    /// unit's own.
    pub fn take_memo(&self, unit: &str) -> Option<Vec<u8>> {
        self.previous.memos.lock().expect("not poisoned").remove(unit)
    }

    /// Leaves `memo` for the next build to read back for `unit` ([`Rebuild::take_memo`]).
    /// A unit whose files are kept keeps its memo too.
    pub fn remember(&self, unit: &str, memo: impl Memo + 'static) {
        self.memos.lock().expect("not poisoned").push((unit.to_string(), Box::new(memo)));
    }

    /// Names the files that `unit` made, when it is not a page of its own name.
    pub fn made(&self, unit: &str, files: Vec<String>) {
        self.files.lock().expect("not poisoned").insert(unit.to_string(), files);
    }

    /// The fingerprint of what every unit shares (site.toml, the theme, the
    /// site's globals), as the cache was opened with.
    pub fn shared(&self) -> Fingerprint {
        self.site
    }

    /// How many files were kept so far.
    pub fn kept(&self) -> usize {
        self.kept.load(Ordering::Relaxed)
    }

    /// What this build made and kept, to be saved once its output is in place.
    pub fn record(self) -> Record {
        let by_page = self.links.targets_by_page();
        let mut numbers: FxHashMap<&str, u32> = FxHashMap::default();
        let mut targets: Vec<String> = Vec::new();
        let mut files = self.files.into_inner().expect("not poisoned");
        let mut units = Vec::new();
        for (unit, input) in self.inputs.into_inner().expect("not poisoned") {
            let own = files.remove(&unit).unwrap_or_default();
            let mut links: Vec<u32> = Vec::new();
            for target in by_page.get(unit.as_str()).into_iter().flatten() {
                let n = *numbers.entry(target).or_insert_with(|| {
                    targets.push(target.to_string());
                    (targets.len() - 1) as u32
                });
                links.push(n);
            }
            units.push((unit, Unit { input, files: own, links }));
        }
        let mut memos = self.memos.into_inner().expect("not poisoned");
        memos.sort_by(|a, b| a.0.cmp(&b.0));
        let stored = Stored { targets, units };
        Record { site: self.site, stored, memos }
    }
}

/// What a build made and kept, as the next build will read it.
pub struct Record {
    site: Fingerprint,
    stored: Stored,
    memos: Vec<(String, Box<dyn Memo>)>,
}

/// The cache file a build is writing beside its output, under another name
/// until the output is in place. Dropped before [`Recorded::seal`], it is
/// removed. A cache that cannot be written only makes the next build slower.
pub struct Staged {
    file: PathBuf,
    out: PathBuf,
    staged: PathBuf,
    writer: Option<BufWriter<fs::File>>,
}

/// A [`Staged`] cache holding what the build made and kept, waiting for its
/// output to be in place.
pub struct Recorded {
    staged: Staged,
    site: Fingerprint,
}

impl Staged {
    /// Starts the cache beside `out` with `inputs`, what the build kept of
    /// its inputs ([`kept_inputs`]): it may be written while the pages are made.
    pub fn begin(out: &Path, inputs: &dyn Memo) -> Staged {
        let file = file_beside(out);
        let staged = file.with_extension("niemyet-cache-new");
        let writer = fs::File::create(&staged).ok().map(BufWriter::new);
        let mut cache = Staged { file, out: out.to_path_buf(), staged, writer };
        cache.write(|out| {
            postcard::to_io(&Start::ours(), &mut *out).map_err(std::io::Error::other)?;
            write_sized(out, inputs)
        });
        cache
    }

    /// Adds what the build made and kept, its units and their memos: it may
    /// be written while the output is moved into place.
    pub fn record(mut self, record: Record) -> Recorded {
        self.write(|out| {
            postcard::to_io(&record.stored, &mut *out).map_err(std::io::Error::other)?;
            record.memos.iter().try_for_each(|(unit, memo)| write_memo(out, unit, &**memo))
        });
        Recorded { staged: self, site: record.site }
    }

    /// Writes with `write`, unless an earlier write failed; a failed write
    /// leaves nothing to write to.
    fn write(&mut self, write: impl FnOnce(&mut BufWriter<fs::File>) -> std::io::Result<()>) {
        if let Some(out) = &mut self.writer {
            if write(out).is_err() {
                self.writer = None;
            }
        }
    }
}

impl Recorded {
    /// Ends the cache with the stamps of the output's `folders`, as
    /// [`Writer::finish`] gave them, and its header, which names the output
    /// now in place by its manifest, and gives the cache its name.
    pub fn seal(mut self, folders: &[Option<Stamp>]) {
        let Ok(manifest) = fs::read(self.staged.out.join(MANIFEST)) else {
            return;
        };
        let header = header(self.site, &manifest);
        self.staged.write(|out| {
            let folders = postcard::to_allocvec(folders).map_err(std::io::Error::other)?;
            out.write_all(&folders)?;
            out.write_all(&(folders.len() as u64).to_le_bytes())?;
            out.write_all(&header)?;
            out.flush()
        });
        if self.staged.writer.take().is_some() {
            // Removed, then renamed into place: renaming over it would make ext4
            // start writing the new cache out to disk before the build ends.
            let _ = fs::remove_file(&self.staged.file);
            let _ = fs::rename(&self.staged.staged, &self.staged.file);
        }
    }
}

/// Removes the staged file of a cache that was not sealed, or whose
/// renaming failed.
impl Drop for Staged {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.staged);
    }
}

/// Writes the memo of `unit` into `out`: the unit's name, then the memo as
/// [`write_sized`] writes it.
fn write_memo<W: Write + Seek>(out: &mut W, unit: &str, memo: &dyn Memo) -> std::io::Result<()> {
    postcard::to_io(unit, &mut *out).map_err(std::io::Error::other)?;
    write_sized(out, memo)
}

/// Writes `memo` into `out` with its length before it, in 8 bytes,
/// little-endian (filled in once the memo is written).
fn write_sized<W: Write + Seek>(out: &mut W, memo: &dyn Memo) -> std::io::Result<()> {
    let length_at = out.stream_position()?;
    out.write_all(&[0; 8])?;
    memo.write(out)?;
    let end = out.stream_position()?;
    out.seek(SeekFrom::Start(length_at))?;
    out.write_all(&(end - length_at - 8).to_le_bytes())?;
    out.seek(SeekFrom::Start(end))?;
    Ok(())
}

/// The memos that follow the units in a cache file ([`write_memo`]); `None`
/// when they are cut short.
fn read_memos(mut rest: &[u8]) -> Option<Memos> {
    let mut memos = Memos::default();
    while !rest.is_empty() {
        let (unit, after): (String, &[u8]) = postcard::take_from_bytes(rest).ok()?;
        let (length, after) = after.split_first_chunk::<8>()?;
        let length = usize::try_from(u64::from_le_bytes(*length)).ok().filter(|&n| n <= after.len())?;
        let (memo, after) = after.split_at(length);
        memos.insert(unit, memo.to_vec());
        rest = after;
    }
    Some(memos)
}

impl Start {
    /// The start of a cache written by this build of niemyet.
    fn ours() -> Start {
        Start { format: FORMAT, niemyet: BUILD.to_string() }
    }
}

/// How many bytes end the cache file ([`header`]).
const HEADER: usize = 32;

/// How many bytes before the header give the length of the folders' stamps.
const FOLDERS_LENGTH: usize = 8;

/// The last bytes of a cache written for the site-wide inputs `site` and the
/// output whose manifest is `manifest`: the units are used only when they
/// were made for this site and this output ([`Last`]).
fn header(site: Fingerprint, manifest: &[u8]) -> [u8; HEADER] {
    let mut header = [0; HEADER];
    header[..16].copy_from_slice(&site.to_le_bytes());
    header[16..].copy_from_slice(&manifest_hash(manifest));
    header
}

/// The part of the [`header`] that names the output by its manifest.
fn manifest_hash(manifest: &[u8]) -> [u8; 16] {
    Hasher::new().bytes(manifest).finish().to_le_bytes()
}

/// The cache `file`, when this build of niemyet wrote it, read up to the
/// inputs it kept, with their length.
fn open_ours(file: &Path) -> Option<(fs::File, u64)> {
    let mut opened = fs::File::open(file).ok()?;
    let mut start = Vec::new();
    (&mut opened).take(256).read_to_end(&mut start).ok()?;
    let (found, rest): (Start, &[u8]) = postcard::take_from_bytes(&start).ok()?;
    let (length, _) = rest.split_first_chunk::<8>().filter(|_| found == Start::ours())?;
    opened.seek(SeekFrom::Start((start.len() - rest.len() + 8) as u64)).ok()?;
    Some((opened, u64::from_le_bytes(*length)))
}

/// What the last build beside the output folder `out` kept of its inputs, as
/// given to [`Staged::begin`], to be read in order; `None` when there is no
/// cache, or another build of niemyet wrote it.
pub fn kept_inputs(out: &Path) -> Option<impl Read> {
    let (opened, length) = open_ours(&file_beside(out))?;
    Some(BufReader::new(opened).take(length))
}

/// What the last build left in the cache beside its output after the inputs
/// it kept — its units, their memos and the stamps of the output's folders —
/// read while the site loads, to be used only for the output it was written
/// for ([`Last::check_output`]) and the same site-wide inputs ([`Rebuild::open`]).
pub struct Last {
    site: Fingerprint,
    manifest: [u8; 16],
    for_this_output: bool,
    previous: Previous,
    folders: Vec<Option<Stamp>>,
}

impl Last {
    /// Reads the cache beside the output folder `out`; `None` when there is
    /// none, another build of niemyet wrote it, it is damaged, or a link
    /// number names no target.
    pub fn read(out: &Path) -> Option<Last> {
        let (mut opened, inputs) = open_ours(&file_beside(out))?;
        opened.seek(SeekFrom::Current(i64::try_from(inputs).ok()?)).ok()?;
        let mut bytes = Vec::new();
        opened.read_to_end(&mut bytes).ok()?;
        let (rest, header) = bytes.split_last_chunk::<HEADER>()?;
        let (site, manifest) = header.split_first_chunk::<16>()?;
        let (rest, folders) = rest.split_last_chunk::<FOLDERS_LENGTH>()?;
        let at = rest.len().checked_sub(usize::try_from(u64::from_le_bytes(*folders)).ok()?)?;
        let (rest, folders) = rest.split_at(at);
        let (stored, rest): (Stored, &[u8]) = postcard::take_from_bytes(rest).ok()?;
        let targets = stored.targets;
        if stored.units.iter().flat_map(|(_, u)| &u.links).any(|&n| n as usize >= targets.len()) {
            return None;
        }
        let memos = Mutex::new(read_memos(rest)?);
        Some(Last {
            site: Fingerprint::from_le_bytes(*site),
            manifest: manifest.try_into().ok()?,
            for_this_output: false,
            previous: Previous { units: stored.units.into_iter().collect(), targets, memos },
            folders: postcard::from_bytes(folders).ok()?,
        })
    }

    /// Checks that the cache was written for the output whose manifest reads
    /// `manifest`: only then are its units used, and its folders' stamps,
    /// which it returns ([`crate::output::check_ours`]); none otherwise.
    pub fn check_output(&mut self, manifest: &str) -> Vec<Option<Stamp>> {
        self.for_this_output = manifest_hash(manifest.as_bytes()) == self.manifest;
        if self.for_this_output {
            std::mem::take(&mut self.folders)
        } else {
            Vec::new()
        }
    }
}
