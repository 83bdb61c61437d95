//! A news notice (`content/notices/**.md`).

use super::file_slug;
use super::front_matter::{self, Date, Fields, Located};
use crate::diagnostics::Diagnostic;

/// A notice written by communications staff.
#[derive(Debug, Clone)]
pub struct Notice {
    /// The file, relative to the site root.
    pub path: String,
    /// Headline.
    pub title: String,
    /// Publication date.
    pub date: Date,
    /// Short summary for lists and the feed.
    pub summary: Option<String>,
    /// Codes of the procedures it concerns, with their positions.
    pub procedures: Vec<Located<String>>,
    /// Left out unless built with drafts.
    pub draft: bool,
    /// URL slug, under `/tin-tuc/`.
    pub slug: Located<String>,
    /// The Markdown body.
    pub body: String,
}

/// Reads a notice file. Returns every mistake found in it.
pub fn parse(path: String, bytes: &[u8]) -> Result<Notice, Vec<Diagnostic>> {
    let source = front_matter::read_source(path, bytes).map_err(|d| vec![d])?;
    let split = front_matter::split(&source, true).map_err(|d| vec![d])?;
    let table = front_matter::parse(&source, split.front.unwrap_or(""), split.front_offset)?;
    let mut f = Fields::new(&source, split.front_offset, 0, &table);
    let title = f.required_text("title", "the notice's headline").value;
    let date = f.date("date");
    if f.raw("date").is_none() {
        f.missing("date", "the publication date, written like 2020-10-05");
    }
    let summary = f.text("summary").map(|v| v.value);
    let procedures = f.text_list("procedures");
    let draft = f.boolean("draft").unwrap_or(false);
    let slug = file_slug(&mut f, &source.path);
    let errors = f.finish();
    match date {
        Some(date) if errors.is_empty() => {
            Ok(Notice { path: source.path.clone(), title, date, summary, procedures, draft, slug, body: split.body })
        }
        _ => Err(errors),
    }
}
