//! Any request path to the preview server (see checks.rs).
#![no_main]

#[path = "../checks.rs"]
#[allow(dead_code)]
mod checks;

libfuzzer_sys::fuzz_target!(|path: &str| checks::request_path(path));
