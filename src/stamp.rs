//! A file's or folder's size and times, as a build found them: while they
//! stay the same, so does what it holds. The load stage stamps procedure
//! files ([`Stamp`], for [`crate::content::kept`]) and the writer the
//! output's folders ([`FolderStamp`], for [`crate::output`]), so that the
//! next build need not read again what did not change.

use std::fs::Metadata;
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

/// A file's size, times and place on its disk, as a build found it: while
/// they stay the same, so do its bytes. A copy, or another version of the
/// file put back with its old times (`tar`, `rsync -t`), has another inode
/// and a new time of change: its bytes are read again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    len: u64,
    modified: u128,
    changed: (i64, i64),
    inode: u64,
}

/// How old a file's times must be, when a build begins, for the next build
/// to trust them: older than the coarsest clock of a common file system.
const SETTLED: Duration = Duration::from_secs(2);

impl Stamp {
    /// The stamp of a file of metadata `meta`, when its times are older than
    /// `begun` by two seconds; `None` for a file written too recently to be
    /// told from a later write by its times alone.
    pub fn of(meta: &Metadata, begun: SystemTime) -> Option<Stamp> {
        let settled = begun.checked_sub(SETTLED)?;
        let (changed, inode) = changed_and_inode(meta);
        let changed_at = SystemTime::UNIX_EPOCH
            .checked_add(Duration::new(changed.0.try_into().ok()?, changed.1.try_into().ok()?))?;
        if changed_at >= settled {
            return None;
        }
        let FolderStamp { len, modified } = FolderStamp::of(meta, begun)?;
        Some(Stamp { len, modified, changed, inode })
    }
}

/// A folder's size and time of modification, as a build found them: adding,
/// removing or renaming a name in a folder sets its time of modification to
/// the present, so while they stay the same, so do its names. Unlike a
/// [`Stamp`], it survives a copy that keeps times to the nanosecond (`cp -a`,
/// `tar --posix`, an output restored by `actions/cache`), so a build into
/// such a copy need not list its folders again; a folder's time set back by
/// hand goes unnoticed, which at worst leaves a file added there by hand
/// unreported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FolderStamp {
    len: u64,
    modified: u128,
}

impl FolderStamp {
    /// The stamp of a folder of metadata `meta`, when it was last modified
    /// two seconds or more before `begun`; `None` for one modified too
    /// recently to be told from a later change by its time alone.
    pub fn of(meta: &Metadata, begun: SystemTime) -> Option<FolderStamp> {
        let modified = meta.modified().ok()?;
        if modified >= begun.checked_sub(SETTLED)? {
            return None;
        }
        let modified = modified.duration_since(SystemTime::UNIX_EPOCH).ok()?.as_nanos();
        Some(FolderStamp { len: meta.len(), modified })
    }
}

/// When the file's metadata last changed (seconds and nanoseconds since
/// 1970), and its inode: what no one sets by hand.
#[cfg(unix)]
fn changed_and_inode(meta: &Metadata) -> ((i64, i64), u64) {
    use std::os::unix::fs::MetadataExt;
    ((meta.ctime(), meta.ctime_nsec()), meta.ino())
}

/// Elsewhere only the time of modification and the size are compared.
#[cfg(not(unix))]
fn changed_and_inode(_meta: &Metadata) -> ((i64, i64), u64) {
    ((0, 0), 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_stamped_only_when_its_times_are_two_seconds_older_than_the_build() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        std::fs::write(&file, "x").unwrap();
        let meta = std::fs::metadata(&file).unwrap();
        let now = SystemTime::now();
        assert_eq!(Stamp::of(&meta, now), None, "just written");
        assert_eq!(Stamp::of(&meta, now + Duration::from_millis(1900)), None, "written less than two seconds before");
        let stamp = Stamp::of(&meta, now + Duration::from_secs(3)).expect("settled");
        assert_eq!(stamp.len, 1);
    }
}
