//! The link check of the built site: every `href` and `src` of every page
//! that stays on the site must lead to a file the build makes. `check` runs
//! it over the pages it renders in memory, so a theme's broken link is found
//! before anything is published.

use std::collections::HashSet;
use std::sync::Mutex;

use crate::diagnostics::{line_col, Diagnostic};
use crate::msg;

/// Collects the files of a build as they are made, with the links of its
/// HTML pages; [`LinkCheck::broken`] then lists the links that lead nowhere.
#[derive(Default)]
pub struct LinkCheck {
    files: Mutex<HashSet<String>>,
    links: Mutex<Vec<Link>>,
}

/// One link of a page, resolved to a file of the site.
struct Link {
    page: String,
    line: usize,
    col: usize,
    href: String,
    target: String,
}

impl LinkCheck {
    /// Notes a file of the build (`thu-tuc/a/index.html`) and, for a page,
    /// its links.
    pub fn see(&self, path: &str, bytes: &[u8]) {
        self.files.lock().expect("not poisoned").insert(path.to_string());
        if !path.ends_with(".html") {
            return;
        }
        let html = String::from_utf8_lossy(bytes);
        let mut found = Vec::new();
        for attribute in ["href=\"", "src=\""] {
            let mut from = 0;
            while let Some(at) = html[from..].find(attribute) {
                let start = from + at + attribute.len();
                let end = html[start..].find('"').map_or(html.len(), |i| start + i);
                let href = &html[start..end];
                if let Some(target) = resolve(path, href) {
                    let (line, col) = line_col(&html, start);
                    found.push(Link { page: path.to_string(), line, col, href: href.to_string(), target });
                }
                from = end;
            }
        }
        self.links.lock().expect("not poisoned").extend(found);
    }

    /// The links whose file the build does not make, as warnings on the
    /// built page (`thu-tuc/a/index.html:LINE:COL`), sorted, except those
    /// leading to a site path in `known_dead` (already reported where the
    /// Markdown writes them).
    pub fn broken(self, known_dead: &HashSet<String>) -> Vec<Diagnostic> {
        let files = self.files.into_inner().expect("not poisoned");
        let mut out: Vec<Diagnostic> = self
            .links
            .into_inner()
            .expect("not poisoned")
            .into_iter()
            .filter(|l| !exists(&files, &l.target) && !known_dead.contains(&format!("/{}", l.target)))
            .map(|l| {
                let message = msg!("page_link_nowhere", href = l.href);
                Diagnostic::error(l.page, (l.line, l.col), message, Some(msg!("hint_page_link_nowhere"))).warning()
            })
            .collect();
        out.sort();
        out
    }
}

/// Whether the site has the file at `target`: the file itself, or a folder's
/// `index.html`.
fn exists(files: &HashSet<String>, target: &str) -> bool {
    let folder_index = if target.is_empty() || target.ends_with('/') {
        format!("{target}index.html")
    } else {
        format!("{target}/index.html")
    };
    files.contains(target) || files.contains(&folder_index)
}

/// The site file a link of page `page` leads to, without its query and
/// fragment; `None` for links that leave the site or stay on the page.
pub fn resolve(page: &str, href: &str) -> Option<String> {
    let href = href.split(['#', '?']).next().unwrap_or("");
    let leaves = href.is_empty() || href.starts_with("//") || href.starts_with('/') || href.contains(':');
    if leaves {
        return None;
    }
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for part in href.split('/') {
        match part {
            "." | "" => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    let mut target = parts.join("/");
    if href.ends_with('/') && !target.is_empty() {
        target.push('/');
    }
    Some(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links_resolve_against_their_page() {
        assert_eq!(resolve("thu-tuc/a/index.html", "../../muc-do/4/").as_deref(), Some("muc-do/4/"));
        assert_eq!(
            resolve("thu-tuc/a/index.html", "../../assets/niemyet.css?v=1").as_deref(),
            Some("assets/niemyet.css")
        );
        assert_eq!(resolve("index.html", "./").as_deref(), Some(""));
        assert_eq!(resolve("index.html", "#main"), None);
        assert_eq!(resolve("index.html", "https://example.gov.vn/"), None);
        assert_eq!(resolve("index.html", "../outside/"), None);
    }

    #[test]
    fn only_links_to_missing_files_are_broken() {
        let check = LinkCheck::default();
        check.see(
            "index.html",
            b"<a href=\"thu-tuc/\">x</a>\n<img src=\"assets/missing.png\"> <a href=\"thu-tuc/b/#x\">",
        );
        check.see("thu-tuc/index.html", b"<a href=\"../\">home</a>");
        let broken = check.broken(&HashSet::from(["/thu-tuc/b/".to_string()]));
        assert_eq!(broken.len(), 1, "{broken:?}");
        assert_eq!((broken[0].path.as_str(), broken[0].line, broken[0].col), ("index.html", 2, 11));
    }
}
