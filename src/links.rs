//! The link check of the built site: every `href` and `src` of every page
//! that stays on the site must lead to a file the build makes. `check` runs
//! it over the pages it renders in memory, so a theme's broken link is found
//! before anything is published.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::Mutex;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::diagnostics::Diagnostic;
use crate::msg;
use crate::output::Data;

/// Collects the files of a build as they are made, with the links of its
/// HTML pages; [`LinkCheck::broken`] then lists the links that lead nowhere.
#[derive(Default)]
pub struct LinkCheck {
    files: Mutex<FxHashSet<String>>,
    found: Mutex<Found>,
    /// The pages kept from the previous build, with the files their links lead to.
    kept: Mutex<Vec<(String, Vec<String>)>>,
}

/// The links of the pages seen, each address and target written once: a
/// site of a hundred thousand pages has millions of links but few distinct ones.
#[derive(Default)]
struct Found {
    /// The pages that have links, by the number their places use.
    pages: Vec<String>,
    /// The addresses as written, by the number places use.
    hrefs: Names,
    /// Every site file a link leads to, by the number of `places`.
    targets: Names,
    /// For each target, the places that link to it.
    places: Vec<Vec<Place>>,
}

/// Distinct strings, each numbered in the order it was first given.
#[derive(Default)]
struct Names {
    numbers: FxHashMap<Box<str>, u32>,
    names: Vec<Box<str>>,
}

impl Names {
    /// The number of `name`, given a new one when it is new.
    fn number(&mut self, name: &str) -> u32 {
        if let Some(&number) = self.numbers.get(name) {
            return number;
        }
        let number = self.names.len() as u32;
        self.names.push(name.into());
        self.numbers.insert(name.into(), number);
        number
    }
}

/// Where a link is written: a page (its number in `pages`), line, column,
/// and the address as written (its number in `hrefs`).
struct Place {
    page: u32,
    line: u32,
    col: u32,
    href: u32,
}

impl LinkCheck {
    /// Notes a file of the build (`thu-tuc/a/index.html`) and, for a page,
    /// its links, reading the page once.
    pub fn see(&self, path: &str, data: Data<'_>) {
        self.files.lock().expect("not poisoned").insert(path.to_string());
        let bytes = match data {
            Data::Bytes(bytes) if path.ends_with(".html") => bytes,
            _ => return,
        };
        let mut found: Vec<(String, usize, usize, Cow<'_, str>)> = Vec::new();
        // Line and column are counted on from the last link, so a page of one
        // long line costs no more than one of many.
        let (mut line, mut col, mut counted) = (1, 1, 0);
        for (start, href) in addresses(bytes) {
            let href = String::from_utf8_lossy(href);
            if let Some(target) = resolve(path, &href) {
                let between = &bytes[counted..start];
                match memchr::memrchr(b'\n', between) {
                    Some(last) => {
                        line += memchr::memchr_iter(b'\n', between).count();
                        col = chars(&between[last + 1..]) + 1;
                    }
                    None => col += chars(between),
                }
                counted = start;
                found.push((target, line, col, href));
            }
        }
        if found.is_empty() {
            return;
        }
        let mut links = self.found.lock().expect("not poisoned");
        links.pages.push(path.to_string());
        let page = (links.pages.len() - 1) as u32;
        for (target, line, col, href) in found {
            let href = links.hrefs.number(&href);
            let target = links.targets.number(&target) as usize;
            if target == links.places.len() {
                links.places.push(Vec::new());
            }
            links.places[target].push(Place { page, line: line as u32, col: col as u32, href });
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
        let found = self.found.lock().expect("not poisoned");
        let mut by_number: Vec<Vec<&str>> = vec![Vec::new(); found.pages.len()];
        for (target, places) in found.targets.names.iter().zip(&found.places) {
            for place in places {
                by_number[place.page as usize].push(target);
            }
        }
        let mut by_page: FxHashMap<String, Vec<String>> = FxHashMap::default();
        for (number, mut targets) in by_number.into_iter().enumerate() {
            targets.sort_unstable();
            targets.dedup();
            by_page.entry(found.pages[number].clone()).or_default().extend(targets.into_iter().map(str::to_string));
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
        let found = self.found.into_inner().expect("not poisoned");
        let mut out: Vec<Diagnostic> = found
            .targets
            .names
            .iter()
            .zip(found.places)
            .filter(|(target, _)| !exists(&files, target) && !known_dead.contains(&format!("/{target}")))
            .flat_map(|(_, places)| places)
            .map(|place| {
                let message = msg!("page_link_nowhere", href = &*found.hrefs.names[place.href as usize]);
                let at = (place.line as usize, place.col as usize);
                let page = &found.pages[place.page as usize];
                Diagnostic::error(page, at, message, Some(msg!("hint_page_link_nowhere"))).warning()
            })
            .collect();
        out.sort();
        out
    }
}

/// The characters in UTF-8 `bytes`: those that do not continue a character.
fn chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count()
}

/// The values of the `href="…"` and `src="…"` attributes of `html`, in order,
/// each with its byte offset; `html` is read once.
fn addresses(html: &[u8]) -> Vec<(usize, &[u8])> {
    let mut out = Vec::new();
    for attribute in [&b"href=\""[..], b"src=\""] {
        for at in memchr::memmem::find_iter(html, attribute) {
            let start = at + attribute.len();
            let end = memchr::memchr(b'"', &html[start..]).map_or(html.len(), |i| start + i);
            out.push((start, &html[start..end]));
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
    let mut target = String::with_capacity(page.len() + href.len());
    target.push_str(page.rfind('/').map_or("", |end| &page[..end]));
    for part in href.split('/') {
        match part {
            "." | "" => {}
            ".." if target.is_empty() => return None,
            ".." => target.truncate(target.rfind('/').unwrap_or(0)),
            part => {
                if !target.is_empty() {
                    target.push('/');
                }
                target.push_str(part);
            }
        }
    }
    if let Cow::Owned(decoded) = percent_encoding::percent_decode_str(&target).decode_utf8_lossy() {
        target = decoded;
    }
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
            Data::Bytes(b"<a href=\"thu-tuc/\">x</a>\n<img src=\"assets/missing.png\"> <a href=\"thu-tuc/b/#x\">"),
        );
        check.see("thu-tuc/index.html", Data::Bytes(b"<a href=\"../\">home</a>"));
        let broken = check.broken(&HashSet::from(["/thu-tuc/b/".to_string()]));
        assert_eq!(broken.len(), 1, "{broken:?}");
        assert_eq!((broken[0].path.as_str(), broken[0].line, broken[0].col), ("index.html", 2, 11));
    }

    #[test]
    fn kept_pages_are_named_when_a_file_they_link_to_is_gone() {
        let check = LinkCheck::default();
        check.see("thu-tuc/index.html", Data::Bytes(b"<a href=\"../\">home</a>"));
        check.see("index.html", Data::Bytes(b"x"));
        check.see_kept(&["thu-tuc/a/index.html"], &["thu-tuc/".to_string(), "gone/".to_string()]);
        check.see_kept(&["thu-tuc/b/index.html"], &["thu-tuc/".to_string()]);
        assert_eq!(check.kept_with_broken_links(&HashSet::new()), ["thu-tuc/a/index.html"]);
        assert!(check.kept_with_broken_links(&HashSet::from(["/gone/".to_string()])).is_empty());
        let targets = check.targets_by_page();
        assert_eq!(targets["thu-tuc/index.html"], [""]);
        assert_eq!(targets["thu-tuc/a/index.html"], ["gone/", "thu-tuc/"]);
    }
}
