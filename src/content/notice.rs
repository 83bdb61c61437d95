//! A news notice (`content/notices/**.md`).

use super::front_matter::{self, Date, Fields, Located};
use super::{body_links, file_slug};
use crate::diagnostics::Diagnostic;
use crate::msg;

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
    /// The body's Markdown links to site paths (`/thu-tuc/x/`), where they are written.
    pub site_links: Vec<Located<String>>,
    /// What may be wrong in the file without stopping the build.
    pub warnings: Vec<Diagnostic>,
}

/// Reads a notice file. Returns every mistake found in it.
pub fn parse(path: String, bytes: &[u8]) -> Result<Notice, Vec<Diagnostic>> {
    let source = front_matter::read_source(path, bytes)?;
    let split = front_matter::split(&source, true)?;
    let table = front_matter::parse(&source, split.front.unwrap_or(""), split.front_offset)?;
    let mut f = Fields::new(&source, split.front_offset, 0, &table);
    let title = f.required_text("title", msg!("what_notice_title")).value;
    let date = f.date("date");
    let mut warnings = Vec::new();
    if let (Some(date), Some(value)) = (date, f.raw("date")) {
        if date > Date::today() {
            let at = f.locate((), value.span());
            let message = msg!("notice_in_future", date = date.iso());
            warnings
                .push(Diagnostic::error(&source.path, (at.line, at.col), message, Some(msg!("hint_future"))).warning());
        }
    }
    if f.raw("date").is_none() {
        f.missing("date", msg!("what_notice_date"));
    }
    let summary = f.text("summary").map(|v| v.value);
    let procedures = f.text_list("procedures");
    let draft = f.boolean("draft").unwrap_or(false);
    let slug = file_slug(&mut f, &source.path);
    let errors = f.finish();
    match date {
        Some(date) if errors.is_empty() => {
            let site_links = body_links(&split);
            Ok(Notice {
                path: source.path.clone(),
                title,
                date,
                summary,
                procedures,
                draft,
                slug,
                body: split.body,
                site_links,
                warnings,
            })
        }
        _ => Err(errors),
    }
}
