//! Which files of a site folder the load stage reads, found by walking
//! `content/` and `static/`, and what is wrong with them as files.

use std::path::Path;

use walkdir::WalkDir;

use crate::diagnostics::Diagnostic;
use crate::msg;
use crate::paths::relative;

/// What a file of a site folder is to the load stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `content/procedures/**.md`.
    Procedure,
    /// `content/notices/**.md`.
    Notice,
    /// `content/pages/**.md`.
    Page,
    /// `content/_index.md`.
    Home,
    /// Any file under `static/`.
    Static,
}

impl From<crate::scaffold::Kind> for Kind {
    fn from(kind: crate::scaffold::Kind) -> Kind {
        match kind {
            crate::scaffold::Kind::Procedure => Kind::Procedure,
            crate::scaffold::Kind::Notice => Kind::Notice,
            crate::scaffold::Kind::Page => Kind::Page,
        }
    }
}

/// What the load stage makes of the file at `rel`, a path relative to the
/// site root with `/` separators, or `None` for a file it skips: hidden
/// files and folders of `content/`, editors' backup files (`a.md~`), files
/// that are not Markdown, and anything outside `content/` and `static/`.
pub fn kind_of(rel: &str) -> Option<Kind> {
    if is_editor_temp(rel.rsplit('/').next().unwrap_or(rel)) {
        return None;
    }
    if rel.starts_with("static/") {
        return Some(Kind::Static);
    }
    if rel == "content/_index.md" {
        return Some(Kind::Home);
    }
    let (kind, rest) =
        [(Kind::Procedure, "content/procedures/"), (Kind::Notice, "content/notices/"), (Kind::Page, "content/pages/")]
            .into_iter()
            .find_map(|(kind, dir)| rel.strip_prefix(dir).map(|rest| (kind, rest)))?;
    let hidden = rest.split('/').any(|part| part.starts_with('.'));
    (!hidden && rest.to_ascii_lowercase().ends_with(".md")).then_some(kind)
}

/// Every file under `root` that the load stage reads, as (path relative to
/// root, kind), in path order.
pub fn site_files(root: &Path) -> Vec<(String, Kind)> {
    let mut files = walk(root, "content");
    files.extend(walk(root, "static"));
    files.into_iter().filter_map(|rel| kind_of(&rel).map(|kind| (rel, kind))).collect()
}

/// Lists the files under `root/dir` as paths relative to root, folder by
/// folder, each folder's names sorted ("a/x" before "a-b"), skipping hidden
/// folders of `content/` and editors' backup files.
fn walk(root: &Path, dir: &str) -> Vec<String> {
    let start = root.join(dir);
    let mut files: Vec<String> = WalkDir::new(&start)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.') || dir == "static")
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && !is_editor_temp(&e.file_name().to_string_lossy()))
        .map(|e| relative(root, e.path()))
        .collect();
    // As a walk sorting each folder's names gives them: "/" sorts as the lowest byte, which no name holds.
    files.sort_by_cached_key(|file| file.replace('/', "\0"));
    files
}

/// Whether a file name is an editor's temporary, swap or backup file, which
/// is never content: `a.md~`, `.#a.md`, `#a.md#`, `.a.md.swp` (and `.swo`,
/// `.swx`), and Vim's `4913` test file.
pub fn is_editor_temp(name: &str) -> bool {
    name.ends_with('~')
        || name.starts_with(".#")
        || (name.len() > 1 && name.starts_with('#') && name.ends_with('#'))
        || (name.starts_with('.') && [".swp", ".swo", ".swx"].iter().any(|end| name.ends_with(end)))
        || name == "4913"
}

/// Whether Windows cannot hold a file or folder of this name, so that staff
/// on Windows cannot check the site out: a device name such as `con`, `aux`,
/// `nul`, `com1` or `lpt1` (with any extension), a name ending in a dot or a
/// space, or one holding `< > : " | ? * \` or a control character.
pub fn windows_cannot_hold(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name).trim_end().to_ascii_lowercase();
    let device = matches!(stem.as_str(), "con" | "prn" | "aux" | "nul")
        || (stem.len() == 4
            && (stem.starts_with("com") || stem.starts_with("lpt"))
            && stem[3..].chars().all(|c| c.is_ascii_digit() && c != '0'));
    device
        || name.ends_with(['.', ' '])
        || name.contains(|c: char| matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*' | '\\') || c.is_control())
}

/// What is wrong with the files of `content/` and `static/` as files: a
/// folder that cannot be read (an error), a symbolic link (a warning: links
/// are not followed, so a link cannot publish what lies outside the site,
/// nor loop), and a name Windows cannot hold (a warning). Sorted.
pub(super) fn file_problems(root: &Path) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for dir in ["content", "static"].into_iter().filter(|dir| root.join(dir).is_dir()) {
        let walk = WalkDir::new(root.join(dir)).min_depth(1).into_iter();
        for entry in walk.filter_entry(|e| !is_editor_temp(&e.file_name().to_string_lossy())) {
            let entry = match entry {
                Ok(entry) => entry,
                Err(error) => {
                    let path = error.path().map_or_else(|| dir.to_string(), |p| relative(root, p));
                    let error = error.io_error().map_or_else(|| error.to_string(), ToString::to_string);
                    problems.push(unreadable(path, &std::io::Error::other(error)));
                    continue;
                }
            };
            let name = entry.file_name().to_string_lossy();
            if entry.path_is_symlink() {
                let target = std::fs::read_link(entry.path()).map(|t| t.display().to_string()).unwrap_or_default();
                let message = msg!("symlink_not_followed", target = target);
                let rel = relative(root, entry.path());
                problems.push(Diagnostic::error(rel, (1, 1), message, Some(msg!("hint_symlink"))).warning());
            }
            if windows_cannot_hold(&name) {
                let message = msg!("name_windows_cannot_hold", name = name.to_string());
                let rel = relative(root, entry.path());
                problems.push(Diagnostic::error(rel, (1, 1), message, Some(msg!("hint_windows_name"))).warning());
            }
        }
    }
    problems.sort();
    problems
}

/// The error for a file or folder that cannot be read.
pub(super) fn unreadable(path: String, error: &std::io::Error) -> Diagnostic {
    Diagnostic::error(
        path,
        (1, 1),
        msg!("cannot_read_file", error = error.to_string()),
        Some(msg!("hint_check_readable")),
    )
}

#[cfg(test)]
mod tests {
    use super::{kind_of, Kind};

    #[test]
    fn the_load_stage_reads_markdown_content_and_every_static_file() {
        assert_eq!(kind_of("content/procedures/a/b.md"), Some(Kind::Procedure));
        assert_eq!(kind_of("content/notices/tin.MD"), Some(Kind::Notice));
        assert_eq!(kind_of("content/pages/gioi-thieu.md"), Some(Kind::Page));
        assert_eq!(kind_of("content/_index.md"), Some(Kind::Home));
        assert_eq!(kind_of("static/.well-known/security.txt"), Some(Kind::Static));
        for skipped in [
            "content/procedures/.a.md.swp",
            "content/procedures/.#a.md",
            "content/procedures/#a.md#",
            "static/.style.css.swp",
            "static/style.css~",
            "content/procedures/.drafts/a.md",
            "content/procedures/a.md~",
            "content/procedures/4913",
            "content/other/a.md",
            "site.toml",
            "public/index.html",
        ] {
            assert_eq!(kind_of(skipped), None, "{skipped}");
        }
    }

    #[test]
    fn a_walk_lists_folder_by_folder_in_order_of_names_leaving_out_hidden_and_backup_files() {
        let dir = tempfile::tempdir().unwrap();
        for file in [
            "content/b.md",
            "content/a-b.md",
            "content/a/x.md",
            "content/a/b/y.md",
            "content/a.md~",
            "content/.git/z.md",
        ] {
            let path = dir.path().join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "").unwrap();
        }
        assert_eq!(
            super::walk(dir.path(), "content"),
            ["content/a/b/y.md", "content/a/x.md", "content/a-b.md", "content/b.md"]
        );
    }

    #[test]
    fn names_windows_cannot_hold() {
        for bad in
            ["con.md", "AUX.md", "nul", "com1.md", "LPT9.txt", "con .md", "a.md.", "a ", "a:b.md", "a?.md", "a\u{1}.md"]
        {
            assert!(super::windows_cannot_hold(bad), "{bad}");
        }
        for good in
            ["console.md", "com10.md", "com0.md", "lpt.md", "auxiliary.md", "thu-tuc.md", ".well-known", "a.b.md"]
        {
            assert!(!super::windows_cannot_hold(good), "{good}");
        }
    }
}
