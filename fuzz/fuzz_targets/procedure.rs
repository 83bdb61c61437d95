//! Any bytes as a whole procedure file, through Markdown and the sanitiser (see checks.rs).
#![no_main]

#[path = "../checks.rs"]
#[allow(dead_code)]
mod checks;

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| checks::procedure(bytes));
