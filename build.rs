//! Rebuilds the binary when the built-in theme changes (it is compiled in),
//! and names this build of niemyet by a hash of what it is built from
//! (`NIEMYET_BUILD`): the rebuild cache of another build is not used, even
//! under the same version number, since its pages may differ.

use std::hash::{DefaultHasher, Hasher};
use std::path::{Path, PathBuf};

/// What shapes the files a build of niemyet makes.
const SOURCES: [&str; 4] = ["src", "themes/default", "Cargo.toml", "Cargo.lock"];

fn main() {
    let mut files = Vec::new();
    for source in SOURCES {
        println!("cargo:rerun-if-changed={source}");
        collect(Path::new(source), &mut files);
    }
    files.sort();
    let mut hasher = DefaultHasher::new();
    for file in &files {
        let bytes = std::fs::read(file).expect("a source file reads");
        hasher.write(file.to_string_lossy().as_bytes());
        hasher.write_usize(bytes.len());
        hasher.write(&bytes);
    }
    println!("cargo:rustc-env=NIEMYET_BUILD={:016x}", hasher.finish());
}

/// Adds `path` to `files` when it is a file, or every file under it when it is a folder.
fn collect(path: &Path, files: &mut Vec<PathBuf>) {
    match std::fs::read_dir(path) {
        Ok(entries) => entries.flatten().for_each(|entry| collect(&entry.path(), files)),
        Err(_) if path.is_file() => files.push(path.to_path_buf()),
        Err(_) => {}
    }
}
