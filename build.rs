//! Rebuilds the binary when the built-in theme changes: it is compiled in.
fn main() {
    println!("cargo:rerun-if-changed=themes/default");
}
