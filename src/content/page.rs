//! Plain pages (`content/pages/**.md`) and the home page text (`content/_index.md`).

use super::front_matter::{self, Fields, Located};
use super::{body_links, file_slug};
use crate::diagnostics::Diagnostic;
use crate::msg;

/// A plain page such as "Giới thiệu", published at `/<slug>/`.
#[derive(Debug, Clone)]
pub struct Page {
    /// The file, relative to the site root.
    pub path: String,
    /// Title.
    pub title: String,
    /// URL slug, at the site's top level.
    pub slug: Located<String>,
    /// Left out unless built with drafts.
    pub draft: bool,
    /// The Markdown body.
    pub body: String,
    /// The body's Markdown links to site paths (`/thu-tuc/x/`), where they are written.
    pub site_links: Vec<Located<String>>,
    /// What may be wrong in the file without stopping the build.
    pub warnings: Vec<Diagnostic>,
}

/// Reads a plain page file. Returns every mistake found in it.
pub fn parse(path: String, bytes: &[u8]) -> Result<Page, Vec<Diagnostic>> {
    let source = front_matter::read_source(path, bytes)?;
    let split = front_matter::split(&source, true)?;
    let table = front_matter::parse(&source, split.front.unwrap_or(""), split.front_offset)?;
    let mut f = Fields::new(&source, split.front_offset, 0, &table);
    let title = f.required_text("title", msg!("what_page_title")).value;
    let slug = file_slug(&mut f, &source.path);
    let draft = f.boolean("draft").unwrap_or(false);
    let errors = f.finish();
    if !errors.is_empty() {
        return Err(errors);
    }
    let site_links = body_links(&split);
    Ok(Page { path: source.path.clone(), title, slug, draft, body: split.body, site_links, warnings: Vec::new() })
}

/// Reads `content/_index.md`, the home page's text. Front matter is optional
/// and takes no fields. Returns the Markdown body.
pub fn parse_home(path: String, bytes: &[u8]) -> Result<String, Vec<Diagnostic>> {
    let source = front_matter::read_source(path, bytes)?;
    let split = front_matter::split(&source, false)?;
    if let Some(front) = split.front {
        let table = front_matter::parse(&source, front, split.front_offset)?;
        let errors = Fields::new(&source, split.front_offset, 0, &table).finish();
        if !errors.is_empty() {
            return Err(errors);
        }
    }
    Ok(split.body)
}
