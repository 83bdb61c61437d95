//! One build at a time into an output folder. A build locks the folder that
//! holds the output folder ([`lock`]) before it reads what the last build
//! left there, and holds it until its output and cache are in place. A
//! second build waits, then builds over what the first left. Without the
//! lock, the second build took the first's staging folder for a leftover and
//! removed it, and the first then put an incomplete output in place and
//! said it had succeeded.

use std::fs::{self, File, TryLockError};
use std::path::Path;

use super::{cannot, holder};
use crate::diagnostics::Failure;
use crate::msg;

/// The folder holding an output folder, locked for one build until this is
/// dropped. Where it cannot be made or opened, or the file system cannot
/// lock, the build goes on without: it says what cannot be written when it
/// writes.
pub struct Locked {
    _folder: Option<File>,
}

/// Locks the folder that holds the output folder `out` (made if missing),
/// so that no other build writes beside it meanwhile: into `out`, or into
/// another output folder kept in the same place. Locking a folder leaves no
/// file behind. When another build holds the lock, calls `waiting`, then
/// waits for it.
pub fn lock(out: &Path, waiting: impl FnOnce()) -> Result<Locked, Failure> {
    let path = holder(out);
    let Ok(folder) = fs::create_dir_all(path).and_then(|()| File::open(path)) else {
        return Ok(Locked { _folder: None });
    };
    if let Err(TryLockError::WouldBlock) = folder.try_lock() {
        waiting();
        folder.lock().map_err(|e| cannot(msg!("io_lock"), path, &e))?;
    }
    Ok(Locked { _folder: Some(folder) })
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;
    use std::time::Duration;

    use super::*;

    #[test]
    fn a_second_build_waits_until_the_first_is_done() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let first = lock(&out, || panic!("nothing holds the lock yet")).expect("locked");
        let (said, heard) = mpsc::channel();
        let (done, finished) = mpsc::channel();
        std::thread::scope(|scope| {
            scope.spawn(|| {
                let second = lock(&out, || said.send(()).unwrap()).expect("locked after the first");
                done.send(()).unwrap();
                drop(second);
            });
            heard.recv_timeout(Duration::from_secs(10)).expect("the second build says it waits");
            assert!(
                finished.recv_timeout(Duration::from_millis(200)).is_err(),
                "it waits while the first holds the lock"
            );
            drop(first);
            finished.recv_timeout(Duration::from_secs(10)).expect("it goes on once the first is done");
        });
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0, "locking leaves no file");
        lock(&out, || panic!("the lock was let go")).expect("locked again");
    }
}
