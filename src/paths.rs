//! Paths as the site names them: relative to a folder, with `/` between
//! their parts on every system.

use std::path::{Path, MAIN_SEPARATOR};

/// `path` relative to `root`, as text with `/` between its parts; `path`
/// whole when it is not under `root`.
pub fn relative(root: &Path, path: &Path) -> String {
    let text = path.strip_prefix(root).unwrap_or(path).to_string_lossy();
    match MAIN_SEPARATOR {
        '/' => text.into_owned(),
        separator => text.replace(separator, "/"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_joined_by_a_slash() {
        let root = Path::new("site");
        let file: std::path::PathBuf = ["site", "content", "thu-tuc", "a.md"].iter().collect();
        assert_eq!(relative(root, &file), "content/thu-tuc/a.md");
        assert_eq!(relative(root, root), "");
    }
}
