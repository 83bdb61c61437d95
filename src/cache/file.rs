//! The cache file beside the output: what it holds, in what order, written
//! as the build goes ([`Staged`]) and read back by the next build ([`Last`],
//! [`kept_inputs`]).

use std::fs;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::fingerprint::{Fingerprint, Hasher};
use crate::output::MANIFEST;
use crate::stamp::FolderStamp;

/// Changes whenever the cache file's shape or meaning changes.
const FORMAT: u32 = 9;

/// This build of niemyet: its version and a hash of the sources, theme and
/// dependencies it was built from (build.rs). Two builds of the same version
/// from different sources may make different pages, so each keeps only what
/// it wrote itself.
pub const BUILD: &str = concat!(env!("CARGO_PKG_VERSION"), "+", env!("NIEMYET_BUILD"));

/// The cache file of the output folder `out`: `.NAME.niemyet-cache` beside it.
fn file_beside(out: &Path) -> PathBuf {
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
pub(super) struct Stored {
    /// Every link target, numbered by position.
    pub(super) targets: Vec<String>,
    pub(super) units: Vec<(String, Unit)>,
}

/// What a unit leaves for the next build ([`super::Rebuild::remember`]), written
/// into the cache file only as it is saved: a large site's memo is not held
/// both as a value and as its bytes.
pub trait Memo: Send {
    /// Writes the memo's bytes, as [`super::Rebuild::take_memo`] will give them back.
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
pub(super) struct Unit {
    pub(super) input: Fingerprint,
    /// The files the unit made, when they are not just the unit's own path.
    pub(super) files: Vec<String>,
    /// Its links' targets, as numbers in `targets`.
    pub(super) links: Vec<u32>,
}

/// What units left for the next build, by unit.
type Memos = FxHashMap<String, Vec<u8>>;

/// What the previous build left: its units, their links' targets and its memos.
#[derive(Default)]
pub(super) struct Previous {
    pub(super) units: FxHashMap<String, Unit>,
    /// Every link target, numbered by position, as in the file: a site of a
    /// hundred thousand pages has millions of links but few targets.
    pub(super) targets: Vec<String>,
    /// Given out once each ([`super::Rebuild::take_memo`]).
    pub(super) memos: Mutex<Memos>,
}

/// What a build made and kept, as the next build will read it.
pub struct Record {
    pub(super) site: Fingerprint,
    pub(super) stored: Stored,
    pub(super) memos: Vec<(String, Box<dyn Memo>)>,
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

/// Creates the file `path`, or empties it, readable by its owner only
/// where the system keeps owners' modes (Unix); elsewhere the file takes
/// its folder's permissions.
fn create_private(path: &Path) -> std::io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// A [`Staged`] cache holding what the build made and kept, waiting for its
/// output to be in place.
pub struct Recorded {
    staged: Staged,
    site: Fingerprint,
}

impl Staged {
    /// Starts the cache beside `out` with `inputs`, what the build kept of
    /// its inputs ([`kept_inputs`]): it may be written while the pages are
    /// made. Only its owner may read it: it holds the drafts' front matter,
    /// and the folder beside the output may be one a web server shows.
    pub fn begin(out: &Path, inputs: &dyn Memo) -> Staged {
        let file = file_beside(out);
        let staged = file.with_extension("niemyet-cache-new");
        let writer = create_private(&staged).ok().map(BufWriter::new);
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
    /// [`crate::output::Writer::finish`] gave them, and its header, which names the output
    /// now in place by its manifest, and gives the cache its name.
    pub fn seal(mut self, folders: &[Option<FolderStamp>]) {
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
/// for ([`Last::check_output`]) and the same site-wide inputs ([`super::Rebuild::open`]).
pub struct Last {
    pub(super) site: Fingerprint,
    manifest: [u8; 16],
    pub(super) for_this_output: bool,
    pub(super) previous: Previous,
    folders: Vec<Option<FolderStamp>>,
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
    pub fn check_output(&mut self, manifest: &str) -> Vec<Option<FolderStamp>> {
        self.for_this_output = manifest_hash(manifest.as_bytes()) == self.manifest;
        if self.for_this_output {
            std::mem::take(&mut self.folders)
        } else {
            Vec::new()
        }
    }
}
