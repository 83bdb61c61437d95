//! The link check of the built site: every `href` and `src` of every page
//! that stays on the site must lead to a file the build makes. `check` runs
//! it over the pages it renders in memory, so a theme's broken link is found
//! before anything is published.

use std::collections::HashSet;
use std::sync::Mutex;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::diagnostics::Diagnostic;
use crate::msg;

/// Collects the files of a build as they are made, with the links of its
/// HTML pages; [`LinkCheck::broken`] then lists the links that lead nowhere.
#[derive(Default)]
pub struct LinkCheck {
    files: Mutex<FxHashSet<String>>,
    /// The pages that have links, by the number their places use.
    pages: Mutex<Vec<String>>,
    /// Every site file a link leads to, with the places that link to it.
    links: Mutex<FxHashMap<String, Vec<Place>>>,
    /// The pages kept from the previous build, with the files their links lead to.
    kept: Mutex<Vec<(String, Vec<String>)>>,
}

/// Where a link is written: a page (its number in `pages`), line, column,
/// and the address as written.
struct Place {
    page: usize,
    line: usize,
    col: usize,
    href: Box<str>,
}

impl LinkCheck {
    /// Notes a file of the build (`thu-tuc/a/index.html`) and, for a page,
    /// its links, reading the page once.
    pub fn see(&self, path: &str, bytes: &[u8]) {
        self.files.lock().expect("not poisoned").insert(path.to_string());
        if !path.ends_with(".html") {
            return;
        }
        let html = match std::str::from_utf8(bytes) {
            Ok(html) => std::borrow::Cow::Borrowed(html),
            Err(_) => String::from_utf8_lossy(bytes),
        };
        let mut found: Vec<(String, usize, usize, &str)> = Vec::new();
        // Line and column are counted on from the last link, so a page of one
        // long line costs no more than one of many.
        let (mut line, mut col, mut counted) = (1, 1, 0);
        for (start, href) in addresses(&html) {
            if let Some(target) = resolve(path, href) {
                let between = &html[counted..start];
                match between.rfind('\n') {
                    Some(last) => {
                        line += between.matches('\n').count();
                        col = between[last + 1..].chars().count() + 1;
                    }
                    None => col += between.chars().count(),
                }
                counted = start;
                found.push((target, line, col, href));
            }
        }
        if found.is_empty() {
            return;
        }
        let page = {
            let mut pages = self.pages.lock().expect("not poisoned");
            pages.push(path.to_string());
            pages.len() - 1
        };
        let mut links = self.links.lock().expect("not poisoned");
        for (target, line, col, href) in found {
            let place = Place { page, line, col, href: href.into() };
            match links.get_mut(&target) {
                Some(places) => places.push(place),
                None => {
                    links.insert(target, vec![place]);
                }
            }
        }
    }

    /// Notes the files of a unit kept from the previous build
    /// ([`crate::cache`]), with the files its links lead to, as found then.
    pub fn see_kept(&self, files: &[&str], targets: &[String]) {
        self.files.lock().expect("not poisoned").extend(files.iter().map(|f| f.to_string()));
        if let (Some(page), false) = (files.first(), targets.is_empty()) {
            self.kept.lock().expect("not poisoned").push((page.to_string(), targets.to_vec()));
        }
    }

    /// The kept pages with a link to a file the build does not make, but for
    /// site paths in `known_dead`: they are seen again, rendered, so that
    /// [`LinkCheck::broken`] can say where each such link is.
    pub fn kept_with_broken_links(&self, known_dead: &HashSet<String>) -> Vec<String> {
        let files = self.files.lock().expect("not poisoned");
        let kept = self.kept.lock().expect("not poisoned");
        kept.iter()
            .filter(|(_, targets)| targets.iter().any(|t| !exists(&files, t) && !known_dead.contains(&format!("/{t}"))))
            .map(|(page, _)| page.clone())
            .collect()
    }

    /// Each page's link targets, distinct and sorted, for the rebuild cache.
    pub fn targets_by_page(&self) -> FxHashMap<String, Vec<String>> {
        let pages = self.pages.lock().expect("not poisoned");
        let links = self.links.lock().expect("not poisoned");
        let mut by_number: Vec<Vec<&str>> = vec![Vec::new(); pages.len()];
        for (target, places) in links.iter() {
            for place in places {
                by_number[place.page].push(target);
            }
        }
        let mut by_page: FxHashMap<String, Vec<String>> = FxHashMap::default();
        for (number, mut targets) in by_number.into_iter().enumerate() {
            targets.sort_unstable();
            targets.dedup();
            by_page.entry(pages[number].clone()).or_default().extend(targets.into_iter().map(str::to_string));
        }
        for (page, targets) in self.kept.lock().expect("not poisoned").iter() {
            by_page.entry(page.clone()).or_default().extend(targets.iter().cloned());
        }
        for targets in by_page.values_mut() {
            targets.sort_unstable();
            targets.dedup();
        }
        by_page
    }

    /// The links whose file the build does not make, as warnings on the
    /// built page (`thu-tuc/a/index.html:LINE:COL`), sorted, except those
    /// leading to a site path in `known_dead` (already reported where the
    /// Markdown writes them).
    pub fn broken(self, known_dead: &HashSet<String>) -> Vec<Diagnostic> {
        let files = self.files.into_inner().expect("not poisoned");
        let pages = self.pages.into_inner().expect("not poisoned");
        let mut out: Vec<Diagnostic> = self
            .links
            .into_inner()
            .expect("not poisoned")
            .into_iter()
            .filter(|(target, _)| !exists(&files, target) && !known_dead.contains(&format!("/{target}")))
            .flat_map(|(_, places)| places)
            .map(|place| {
                let message = msg!("page_link_nowhere", href = &*place.href);
                let at = (place.line, place.col);
                Diagnostic::error(&pages[place.page], at, message, Some(msg!("hint_page_link_nowhere"))).warning()
            })
            .collect();
        out.sort();
        out
    }
}

/// The values of the `href="…"` and `src="…"` attributes of `html`, in order,
/// each with its byte offset; `html` is read once.
fn addresses(html: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    for attribute in ["href=\"", "src=\""] {
        let mut from = 0;
        while let Some(at) = html[from..].find(attribute) {
            let start = from + at + attribute.len();
            let end = html[start..].find('"').map_or(html.len(), |i| start + i);
            out.push((start, &html[start..end]));
            from = end;
        }
    }
    out.sort_unstable_by_key(|&(start, _)| start);
    out
}

/// Whether the site has the file at `target`: the file itself, or a folder's
/// `index.html`.
fn exists(files: &FxHashSet<String>, target: &str) -> bool {
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
    let mut target = percent_encoding::percent_decode_str(&parts.join("/")).decode_utf8_lossy().into_owned();
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

    #[test]
    fn kept_pages_are_named_when_a_file_they_link_to_is_gone() {
        let check = LinkCheck::default();
        check.see("thu-tuc/index.html", b"<a href=\"../\">home</a>");
        check.see("index.html", b"x");
        check.see_kept(&["thu-tuc/a/index.html"], &["thu-tuc/".to_string(), "gone/".to_string()]);
        check.see_kept(&["thu-tuc/b/index.html"], &["thu-tuc/".to_string()]);
        assert_eq!(check.kept_with_broken_links(&HashSet::new()), ["thu-tuc/a/index.html"]);
        assert!(check.kept_with_broken_links(&HashSet::from(["/gone/".to_string()])).is_empty());
        let targets = check.targets_by_page();
        assert_eq!(targets["thu-tuc/index.html"], [""]);
        assert_eq!(targets["thu-tuc/a/index.html"], ["gone/", "thu-tuc/"]);
    }
}
