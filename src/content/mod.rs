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
use crate::text;
use front_matter::{Fields, Located};
use notice::Notice;
use page::Page;
use procedure::Procedure;

/// Everything read from a site folder's `content/` and `static/`.
#[derive(Debug, Default)]
pub struct Content {
    /// Procedures, drafts included only when asked for, in file path order.
    pub procedures: Vec<Procedure>,
    /// Notices, drafts included only when asked for, in file path order.
    pub notices: Vec<Notice>,
    /// Plain pages, drafts included only when asked for, in file path order.
    pub pages: Vec<Page>,
    /// The home page's Markdown text, from `content/_index.md`.
    pub home: Option<String>,
    /// Files of `static/`, as (output path, bytes), in path order.
    pub static_files: Vec<(String, Vec<u8>)>,
}

/// Reads and parses everything under `root`. With `drafts`, drafts are kept.
pub fn load(root: &Path, config: &Config, drafts: bool) -> Result<Content, Failure> {
    let content_dir = root.join("content");
    if !content_dir.is_dir() {
        return Err(Failure::Usage(format!(
            "there is no content/ folder in {}; a site folder holds site.toml and content/procedures/",
            root.display()
        )));
    }
    let mut errors = Vec::new();
    let procedures =
        parse_all(root, "content/procedures", &mut errors, |path, bytes| procedure::parse(path, bytes, config));
    let notices = parse_all(root, "content/notices", &mut errors, notice::parse);
    let pages = parse_all(root, "content/pages", &mut errors, page::parse);
    let home_path = content_dir.join("_index.md");
    let home = match std::fs::read(&home_path) {
        Ok(bytes) => page::parse_home("content/_index.md".into(), &bytes).map_err(|e| errors.extend(e)).ok(),
        Err(_) => None,
    };
    let static_files = read_static(root, &mut errors);
    if !errors.is_empty() {
        return Err(Failure::content(errors));
    }
    Ok(Content {
        procedures: procedures.into_iter().filter(|p| drafts || !p.draft).collect(),
        notices: notices.into_iter().filter(|n| drafts || !n.draft).collect(),
        pages: pages.into_iter().filter(|p| drafts || !p.draft).collect(),
        home,
        static_files,
    })
}

/// Parses every Markdown file under `root/dir` in parallel, in path order.
fn parse_all<T: Send>(
    root: &Path,
    dir: &str,
    errors: &mut Vec<Diagnostic>,
    parse: impl Fn(String, &[u8]) -> Result<T, Vec<Diagnostic>> + Sync,
) -> Vec<T> {
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
    for result in results {
        match result {
            Ok(item) => items.push(item),
            Err(e) => errors.extend(e),
        }
    }
    items
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
    Diagnostic {
        path,
        line: 1,
        col: 1,
        message: format!("cannot read this file: {error}"),
        hint: Some("check that the file exists and that you may read it".into()),
    }
}

/// Reads the `slug` field, or makes the slug from the file name.
pub(crate) fn file_slug(f: &mut Fields<'_, '_>, path: &str) -> Located<String> {
    if let Some(given) = f.text("slug") {
        let slug = text::short_slug(&given.value);
        if text::slug(&given.value).is_empty() {
            let span = f.raw("slug").expect("present").span();
            f.error_at(span, "`slug` has no letter or digit".into(), Some("write it like slug = \"dang-ky\"".into()));
        }
        return Located { value: slug, ..given };
    }
    let stem = path.rsplit('/').next().unwrap_or(path);
    let stem = stem.rsplit_once('.').map_or(stem, |(s, _)| s);
    Located { value: text::short_slug(stem), line: 1, col: 1 }
}

/// Checks an alias and returns it as a site path (`/thu-tuc/old/`), or a hint.
pub(crate) fn parse_alias(alias: &str) -> Result<String, String> {
    let bad = !alias.starts_with('/')
        || alias.contains("..")
        || alias.contains("//")
        || alias.contains(|c: char| c.is_whitespace() || matches!(c, '?' | '#' | '\\' | '"' | '<' | '>'));
    if bad || alias == "/" {
        return Err("write an old address of this site as a path, like \"/thu-tuc/ten-cu/\"".into());
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
