//! The load stage: walks `content/` and `static/`, reads every file and
//! parses it, gathering every mistake of every file.

pub mod front_matter;
pub mod notice;
pub mod page;
pub mod procedure;

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use toml::de::DeValue;
use walkdir::WalkDir;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Failure};
use crate::messages::Message;
use crate::{msg, text};
use front_matter::{Fields, Located};
use notice::Notice;
use page::Page;
use procedure::Procedure;

/// Everything read from a site folder's `content/` and `static/`, drafts
/// included, with the mistakes found in single files.
#[derive(Debug, Default)]
pub struct Content {
    /// Procedures that could be read, in file path order.
    pub procedures: Vec<Procedure>,
    /// Notices that could be read, in file path order.
    pub notices: Vec<Notice>,
    /// Plain pages that could be read, in file path order.
    pub pages: Vec<Page>,
    /// The home page's Markdown text, from `content/_index.md`.
    pub home: Option<String>,
    /// Files of `static/`, as (output path, bytes), in path order.
    pub static_files: Vec<(String, Vec<u8>)>,
    /// Every mistake found in single files.
    pub errors: Vec<Diagnostic>,
    /// Whether every procedure file could be read, so every code is known.
    pub all_procedures_read: bool,
}

/// Reads and parses everything under `root`. Mistakes in files are kept in
/// [`Content::errors`], so that checks across files can still run on the rest.
pub fn load(root: &Path, config: &Config) -> Result<Content, Failure> {
    let content_dir = root.join("content");
    if !content_dir.is_dir() {
        return Err(Failure::Usage(msg!("no_content_folder", root = root.display().to_string())));
    }
    let mut errors = Vec::new();
    let (procedures, failed) =
        parse_all(root, "content/procedures", &mut errors, |path, bytes| procedure::parse(path, bytes, config));
    let (notices, _) = parse_all(root, "content/notices", &mut errors, notice::parse);
    let (pages, _) = parse_all(root, "content/pages", &mut errors, page::parse);
    let home_path = content_dir.join("_index.md");
    let home = match std::fs::read(&home_path) {
        Ok(bytes) => page::parse_home("content/_index.md".into(), &bytes).map_err(|e| errors.extend(e)).ok(),
        Err(_) => None,
    };
    let static_files = read_static(root, &mut errors);
    Ok(Content { procedures, notices, pages, home, static_files, errors, all_procedures_read: failed == 0 })
}

/// Parses every Markdown file under `root/dir` in parallel, in path order.
/// Returns what could be read and how many files could not.
fn parse_all<T: Send>(
    root: &Path,
    dir: &str,
    errors: &mut Vec<Diagnostic>,
    parse: impl Fn(String, &[u8]) -> Result<T, Vec<Diagnostic>> + Sync,
) -> (Vec<T>, usize) {
    let files: Vec<(String, PathBuf)> = walk(root, dir)
        .into_iter()
        .filter(|(rel, _)| rel.to_ascii_lowercase().ends_with(".md"))
        .filter(|(rel, _)| !rel.rsplit('/').next().unwrap_or("").starts_with('.'))
        .collect();
    let results: Vec<Result<T, Vec<Diagnostic>>> = files
        .into_par_iter()
        .map(|(rel, full)| match std::fs::read(&full) {
            Ok(bytes) => parse(rel, &bytes),
            Err(error) => Err(vec![unreadable(rel, &error)]),
        })
        .collect();
    let mut items = Vec::new();
    let mut failed = 0;
    for result in results {
        match result {
            Ok(item) => items.push(item),
            Err(e) => {
                errors.extend(e);
                failed += 1;
            }
        }
    }
    (items, failed)
}

/// Lists the files under `root/dir` as (path relative to root, full path),
/// sorted, skipping hidden folders and editors' backup files.
fn walk(root: &Path, dir: &str) -> Vec<(String, PathBuf)> {
    let start = root.join(dir);
    WalkDir::new(&start)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.') || dir == "static")
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && !e.file_name().to_string_lossy().ends_with('~'))
        .map(|e| {
            let rel = e.path().strip_prefix(root).unwrap_or(e.path());
            let rel = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
            (rel, e.into_path())
        })
        .collect()
}

fn read_static(root: &Path, errors: &mut Vec<Diagnostic>) -> Vec<(String, Vec<u8>)> {
    walk(root, "static")
        .into_iter()
        .filter_map(|(rel, full)| match std::fs::read(&full) {
            Ok(bytes) => Some((rel["static/".len()..].to_string(), bytes)),
            Err(error) => {
                errors.push(unreadable(rel, &error));
                None
            }
        })
        .collect()
}

fn unreadable(path: String, error: &std::io::Error) -> Diagnostic {
    Diagnostic::error(
        path,
        (1, 1),
        msg!("cannot_read_file", error = error.to_string()),
        Some(msg!("hint_check_readable")),
    )
}

/// Reads the `slug` field, or makes the slug from the file name.
pub(crate) fn file_slug(f: &mut Fields<'_, '_>, path: &str) -> Located<String> {
    if let Some(given) = f.text("slug") {
        let slug = text::short_slug(&given.value);
        if text::slug(&given.value).is_empty() {
            let span = f.raw("slug").expect("present").span();
            f.error_at(span, msg!("slug_no_letters"), Some(msg!("hint_slug_example")));
        }
        return Located { value: slug, ..given };
    }
    let stem = path.rsplit('/').next().unwrap_or(path);
    let stem = stem.rsplit_once('.').map_or(stem, |(s, _)| s);
    Located { value: text::short_slug(stem), line: 1, col: 1 }
}

/// Checks an alias and returns it as a site path (`/thu-tuc/old/`), or a hint.
pub(crate) fn parse_alias(alias: &str) -> Result<String, Message> {
    let bad = !alias.starts_with('/')
        || alias.contains("..")
        || alias.contains("//")
        || alias.contains(|c: char| c.is_whitespace() || matches!(c, '?' | '#' | '\\' | '"' | '<' | '>'));
    if bad || alias == "/" {
        return Err(msg!("hint_alias_path"));
    }
    if alias.ends_with('/') || alias.ends_with(".html") {
        Ok(alias.to_string())
    } else {
        Ok(format!("{alias}/"))
    }
}

/// Turns a front matter value into JSON, for `[extra]`.
pub(crate) fn to_json(value: &DeValue<'_>) -> serde_json::Value {
    use serde_json::Value;
    match value {
        DeValue::String(s) => Value::String(s.to_string()),
        DeValue::Integer(i) => i.as_str().replace('_', "").parse::<i64>().map_or(Value::Null, Value::from),
        DeValue::Float(f) => f.as_str().replace('_', "").parse::<f64>().map_or(Value::Null, Value::from),
        DeValue::Boolean(b) => Value::Bool(*b),
        DeValue::Datetime(d) => Value::String(d.to_string()),
        DeValue::Array(items) => Value::Array(items.iter().map(|v| to_json(v.get_ref())).collect()),
        DeValue::Table(table) => {
            Value::Object(table.iter().map(|(k, v)| (k.get_ref().to_string(), to_json(v.get_ref()))).collect())
        }
    }
}
