//! The fuzz targets' properties (fuzz/checks.rs) over the inputs saved in
//! `fuzz/regressions/<target>/`: every input that ever crashed a target,
//! and a minimised corpus of what the fuzzers found, so that CI checks them
//! without running a fuzzer (see fuzz/README.md).

#[path = "../fuzz/checks.rs"]
#[allow(dead_code)]
mod checks;

use std::path::PathBuf;

/// The saved inputs of one target, as (file name, bytes).
fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions").join(target);
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.unwrap().path();
            (path.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&path).unwrap())
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no saved inputs in {}", dir.display());
    files
}

/// Runs `check` on every saved input of `target`, naming the input that fails.
fn run_all(target: &str, check: impl Fn(&[u8]) + std::panic::RefUnwindSafe) {
    for (name, bytes) in inputs(target) {
        if std::panic::catch_unwind(|| check(&bytes)).is_err() {
            panic!("fuzz/regressions/{target}/{name} fails again");
        }
    }
}

/// libFuzzer gives `&str` targets only the inputs that are UTF-8.
fn text(check: fn(&str)) -> impl Fn(&[u8]) + std::panic::RefUnwindSafe {
    move |bytes| {
        if let Ok(text) = std::str::from_utf8(bytes) {
            check(text);
        }
    }
}

#[test]
fn front_matter() {
    run_all("front_matter", checks::front_matter);
}

#[test]
fn procedure() {
    run_all("procedure", checks::procedure);
}

#[test]
fn slugs() {
    run_all("slugs", text(checks::slugs));
}

#[test]
fn site_toml() {
    run_all("site_toml", checks::site_toml);
}

#[test]
fn request_path() {
    run_all("request_path", text(checks::request_path));
}
