//! The load stage: walks `content/` and `static/`, reads every file and
//! parses it, gathering every mistake of every file.

pub mod body;
mod files;
pub mod front_matter;
pub mod kept;
pub mod notice;
pub mod page;
pub mod procedure;

use std::fs::Metadata;
use std::io::Read;
use std::path::Path;
use std::sync::atomic::AtomicUsize;
use std::sync::Arc;
use std::time::SystemTime;

use rayon::prelude::*;
use toml::de::DeValue;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Failure, Severity};
use crate::messages::Message;
use crate::stamp::Stamp;
use crate::{msg, text};
use front_matter::{Fields, Located};
use kept::{Parsed, Stamps};
use notice::Notice;
use page::Page;
use procedure::Procedure;

use files::{file_problems, unreadable};
pub use files::{is_editor_temp, kind_of, site_files, windows_cannot_hold, Kind};

/// Everything read from a site folder's `content/` and `static/`, drafts
/// included, with the mistakes found in single files.
#[derive(Debug, Default)]
pub struct Content {
    /// Procedures that could be read, in file path order (shared, so that the
    /// preview keeps them between rebuilds without copying them).
    pub procedures: Vec<Arc<Procedure>>,
    /// Notices that could be read, in file path order.
    pub notices: Vec<Notice>,
    /// Plain pages that could be read, in file path order.
    pub pages: Vec<Page>,
    /// The home page's Markdown text, from `content/_index.md`.
    pub home: Option<String>,
    /// Files of `static/`, as (output path, bytes), in path order.
    pub static_files: Vec<(String, Arc<[u8]>)>,
    /// Every mistake found in single files.
    pub errors: Vec<Diagnostic>,
    /// Files that are there but not read as they stand: links to other
    /// places, names that Windows cannot hold.
    pub warnings: Vec<Diagnostic>,
    /// Whether every procedure file could be read, so every code is known.
    pub all_procedures_read: bool,
    /// The stamps of the procedure files read, for the next build ([`kept`]).
    pub stamps: Stamps,
}

/// Reads and parses everything under `root`, keeping the procedures' bodies
/// in memory within [`body::KEPT_BODIES_BYTES`] and leaving the rest in their
/// files ([`body`]), and taking back from `parsed` the procedures
/// whose files did not change ([`kept`]). Mistakes in files are kept in
/// [`Content::errors`], so that checks across files can still run on the rest.
pub fn load(root: &Path, config: &Config, parsed: &Parsed) -> Result<Content, Failure> {
    check_folder(root)?;
    let folder: Arc<Path> = Arc::from(root);
    let begun = SystemTime::now();
    let kept_bodies = AtomicUsize::new(0);
    let read_all = || -> Vec<FileRead> {
        site_files(root)
            .into_par_iter()
            .map(|(rel, kind)| match kind {
                Kind::Procedure => {
                    let (result, stamp) = read_procedure(&folder, &rel, config, parsed, begun, &kept_bodies);
                    (kind, result, stamp)
                }
                _ => (kind, read_file(root, &rel, kind, config), None),
            })
            .collect()
    };
    let (read, problems) = rayon::join(read_all, || file_problems(root));
    let mut stamps = Stamps::default();
    for (_, result, stamp) in &read {
        if let Ok(File::Procedure(p)) = result {
            stamps.insert(p.path.clone(), *stamp);
        }
    }
    let mut content = Content::gather(read.into_iter().map(|(kind, result, _)| (kind, result)));
    content.stamps = stamps;
    for problem in problems {
        match problem.severity {
            Severity::Error => content.errors.push(problem),
            Severity::Warning => content.warnings.push(problem),
        }
    }
    Ok(content)
}

/// A file as the load stage read it: its kind, what it is, and for a
/// procedure file, its stamp ([`kept`]).
type FileRead = (Kind, Result<File, Vec<Diagnostic>>, Option<Stamp>);

/// A file of a site folder, read and parsed on its own.
#[derive(Debug, Clone)]
pub enum File {
    /// A procedure.
    Procedure(Arc<Procedure>),
    /// A notice.
    Notice(Notice),
    /// A plain page.
    Page(Page),
    /// The home page's Markdown text.
    Home(String),
    /// A file of `static/`: its output path and bytes.
    Static(String, Arc<[u8]>),
}

/// Fails with a usage error when `root` has no `content/` folder.
pub fn check_folder(root: &Path) -> Result<(), Failure> {
    if root.join("content").is_dir() {
        return Ok(());
    }
    Err(Failure::Usage(msg!("no_content_folder", root = root.display().to_string())))
}

/// The largest Markdown file read, in bytes: a procedure's text is a few
/// kilobytes; ten megabytes is a pasted image or a damaged file.
pub const MAX_TEXT_BYTES: u64 = 10_000_000;

/// Reads and parses the file at `rel` (relative to `root`), of the given kind.
pub fn read_file(root: &Path, rel: &str, kind: Kind, config: &Config) -> Result<File, Vec<Diagnostic>> {
    let bytes = read_bytes(root, rel, kind, std::fs::metadata(root.join(rel)).ok().as_ref())?;
    parse_file(rel, kind, bytes, config)
}

/// The bytes of the file at `rel` (relative to `root`), of the given kind and
/// metadata `meta`, unless it is too large to be what it says it is. The
/// buffer is sized from `meta`; read through `take`, the file is read to its
/// end without being asked its size and position again, as a `File` would.
fn read_bytes(root: &Path, rel: &str, kind: Kind, meta: Option<&Metadata>) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let size = meta.map_or(0, Metadata::len);
    if kind != Kind::Static && size > MAX_TEXT_BYTES {
        let message = msg!("file_too_large", megabytes = (size / 1_000_000).to_string());
        return Err(vec![Diagnostic::error(rel, (1, 1), message, Some(msg!("hint_file_too_large")))]);
    }
    let mut bytes = Vec::with_capacity(size as usize);
    std::fs::File::open(root.join(rel))
        .and_then(|file| file.take(u64::MAX).read_to_end(&mut bytes))
        .map_err(|error| vec![unreadable(rel.to_string(), &error)])?;
    Ok(bytes)
}

/// The procedure file at `rel` (relative to `root`) as [`read_file`] reads
/// it, its body kept in memory within the budget that `kept_bodies` counts
/// or else left in the file, with the file's stamp: taken back from
/// `parsed` unread when its stamp is as it was, or unparsed when its bytes
/// are ([`kept`]). `begun` is when the load began.
fn read_procedure(
    root: &Arc<Path>,
    rel: &str,
    config: &Config,
    parsed: &Parsed,
    begun: SystemTime,
    kept_bodies: &AtomicUsize,
) -> (Result<File, Vec<Diagnostic>>, Option<Stamp>) {
    let meta = std::fs::metadata(root.join(rel)).ok();
    let stamp = meta.as_ref().and_then(|meta| Stamp::of(meta, begun));
    if let Some(procedure) = parsed.unchanged(rel, stamp) {
        return (Ok(File::Procedure(procedure)), stamp);
    }
    let bytes = match read_bytes(root, rel, Kind::Procedure, meta.as_ref()) {
        Ok(bytes) => bytes,
        Err(errors) => return (Err(errors), stamp),
    };
    if let Some(procedure) = parsed.same_bytes(rel, || procedure::fingerprint(rel, &bytes)) {
        return (Ok(File::Procedure(procedure)), stamp);
    }
    let mut result = parse_file(rel, Kind::Procedure, bytes, config);
    if let Ok(File::Procedure(p)) = &mut result {
        Arc::get_mut(p).expect("just read").keep_body_within(body::KEPT_BODIES_BYTES, kept_bodies, root);
    }
    (result, stamp)
}

/// Parses the bytes of the file at `rel` (relative to the site root), of the
/// given kind, as [`read_file`] does once it has read them; the editor checks
/// the text of a form with it before writing it.
pub fn parse_file(rel: &str, kind: Kind, bytes: Vec<u8>, config: &Config) -> Result<File, Vec<Diagnostic>> {
    let path = rel.to_string();
    match kind {
        Kind::Procedure => procedure::parse(path, &bytes, config).map(|p| File::Procedure(Arc::new(p))),
        Kind::Notice => notice::parse(path, &bytes).map(File::Notice),
        Kind::Page => page::parse(path, &bytes).map(File::Page),
        Kind::Home => page::parse_home(path, &bytes).map(File::Home),
        Kind::Static => Ok(File::Static(rel["static/".len()..].to_string(), bytes.into())),
    }
}

impl Content {
    /// Gathers files read one by one, in path order, into a site's content.
    pub fn gather(files: impl IntoIterator<Item = (Kind, Result<File, Vec<Diagnostic>>)>) -> Content {
        let mut content = Content { all_procedures_read: true, ..Content::default() };
        for (kind, result) in files {
            match result {
                Ok(File::Procedure(p)) => content.procedures.push(p),
                Ok(File::Notice(n)) => content.notices.push(n),
                Ok(File::Page(p)) => content.pages.push(p),
                Ok(File::Home(text)) => content.home = Some(text),
                Ok(File::Static(path, bytes)) => content.static_files.push((path, bytes)),
                Err(errors) => {
                    content.errors.extend(errors);
                    if kind == Kind::Procedure {
                        content.all_procedures_read = false;
                    }
                }
            }
        }
        content
    }
}

/// A split file's Markdown links to site paths, placed in the file (the body
/// starts at its line `split.body_line`).
pub(crate) fn body_links(split: &front_matter::Split<'_>) -> Vec<Located<String>> {
    let body = &split.body;
    // Links come in order: line and column are counted on from the last one.
    let (mut line, mut col, mut counted) = (split.body_line, 1, 0);
    split
        .site_links
        .iter()
        .map(|(offset, target)| {
            let between = &body[counted..*offset];
            match between.rfind('\n') {
                Some(last) => {
                    line += between.matches('\n').count();
                    col = between[last + 1..].chars().count() + 1;
                }
                None => col += between.chars().count(),
            }
            counted = *offset;
            Located { value: target.clone(), line, col }
        })
        .collect()
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
    // Judged as written and as a web server would decode it (`%2e%2e` is `..`).
    let decoded = percent_encoding::percent_decode_str(alias).decode_utf8_lossy();
    let bad = !alias.starts_with('/')
        || [alias, decoded.as_ref()].into_iter().any(|form| {
            form.contains("..")
                || form.contains("//")
                || form.contains(|c: char| {
                    c.is_whitespace() || c.is_control() || matches!(c, '?' | '#' | '\\' | '"' | '<' | '>' | ':')
                })
        });
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

#[cfg(test)]
mod tests {
    #[test]
    fn a_file_deleted_after_the_folder_was_listed_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let config = crate::config::Config::parse(
            b"title = \"T\"\nbase_url = \"https://example.gov.vn\"\n[[service_levels]]\nid = \"4\"\nname = \"4\"\n",
        )
        .unwrap();
        let errors =
            super::read_file(dir.path(), "content/procedures/gone.md", super::Kind::Procedure, &config).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].path, "content/procedures/gone.md");
        assert!(errors[0].message.render(crate::messages::Language::En).starts_with("cannot read this file:"));
    }
}
