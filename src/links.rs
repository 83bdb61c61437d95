//! The link check of the built site: every `href` and `src` of every page
//! that stays on the site must lead to a file the build makes. `check` runs
//! it over the pages it renders in memory, so a theme's broken link is found
//! before anything is published. The pages with a broken link are made
//! again to say where each one is.

use std::borrow::Cow;
use std::sync::{Mutex, MutexGuard};

use rustc_hash::{FxHashMap, FxHashSet};

use crate::diagnostics::Diagnostic;
use crate::msg;
use crate::output::Data;

/// Collects the files of a build as they are made, with the files each HTML
/// page's links lead to; [`LinkCheck::pages_with_broken_links`] then names
/// the pages with a link that leads nowhere, and [`LinkCheck::broken_in`]
/// says where each such link is in a page made again. A site of a hundred
/// thousand pages has millions of links: only where they lead is kept.
#[derive(Default)]
pub struct LinkCheck {
    files: Mutex<FxHashSet<String>>,
    found: Mutex<Found>,
    /// A folder whose files the build makes but this run does not (`check`
    /// does not make the search index): links into it are not judged.
    unmade: Option<&'static str>,
}

/// The pages seen, each with the files its links lead to.
#[derive(Default)]
struct Found {
    /// Every site file a link leads to, each written once.
    targets: Names,
    /// The pages that have links, each with the numbers of the files they
    /// lead to, distinct, in the order of their paths.
    pages: Vec<(Box<str>, Box<[u32]>)>,
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

impl LinkCheck {
    /// A link check for a run that does not make the files under `folder`,
    /// though a build would: links into it are taken to lead somewhere.
    pub fn without(folder: &'static str) -> LinkCheck {
        LinkCheck { unmade: Some(folder), ..LinkCheck::default() }
    }

    /// Whether a link to `target` is broken: the build does not make it, its
    /// site path is not in `known_dead`, and it is not in the folder this run
    /// does not make.
    fn is_broken(&self, files: &FxHashSet<String>, target: &str, known_dead: &FxHashSet<String>) -> bool {
        !exists(files, target)
            && !known_dead.contains(&format!("/{target}"))
            && self.unmade.is_none_or(|folder| !in_folder(target, folder))
    }

    /// Notes a file of the build (`thu-tuc/a/index.html`) and, for a page,
    /// where its links lead, reading the page once.
    pub fn see(&self, path: &str, data: Data<'_>) {
        self.files.lock().expect("not poisoned").insert(path.to_string());
        let bytes = match data {
            Data::Bytes(bytes) if path.ends_with(".html") => bytes,
            _ => return,
        };
        let targets = addresses(bytes).into_iter().filter_map(|(_, href)| resolve(path, &text(href)));
        self.note(path, targets.collect());
    }

    /// This check's numbers for the files links lead to at `targets`, for
    /// [`LinkCheck::see_kept`]: the previous build's targets, numbered once
    /// per build rather than looked up again for every page that is kept.
    pub fn numbers(&self, targets: &[String]) -> Vec<u32> {
        let mut found = self.found.lock().expect("not poisoned");
        targets.iter().map(|target| found.targets.number(target)).collect()
    }

    /// Notes the files of a unit kept from the previous build
    /// ([`crate::cache`]), with the files its links lead to, as found then:
    /// numbers from [`LinkCheck::numbers`], distinct, in the order of their paths.
    pub fn see_kept(&self, files: &[&str], targets: Box<[u32]>) {
        self.files.lock().expect("not poisoned").extend(files.iter().map(|f| f.to_string()));
        if let Some(page) = files.first().filter(|_| !targets.is_empty()) {
            self.found.lock().expect("not poisoned").pages.push((Box::from(*page), targets));
        }
    }

    /// Notes that the links of `page` lead to `targets`.
    fn note<T: AsRef<str> + Ord>(&self, page: &str, mut targets: Vec<T>) {
        if targets.is_empty() {
            return;
        }
        targets.sort_unstable();
        targets.dedup();
        let mut found = self.found.lock().expect("not poisoned");
        let numbers = targets.iter().map(|target| found.targets.number(target.as_ref())).collect();
        found.pages.push((page.into(), numbers));
    }

    /// The pages with a link to a file the build does not make, but for site
    /// paths in `known_dead` (already reported where the Markdown writes
    /// them): made again, they go to [`LinkCheck::broken_in`].
    pub fn pages_with_broken_links(&self, known_dead: &FxHashSet<String>) -> Vec<String> {
        let files = self.files.lock().expect("not poisoned");
        let found = self.found.lock().expect("not poisoned");
        let broken: Vec<bool> =
            found.targets.names.iter().map(|target| self.is_broken(&files, target, known_dead)).collect();
        let pages = found.pages.iter().filter(|(_, targets)| targets.iter().any(|&t| broken[t as usize]));
        pages.map(|(page, _)| page.to_string()).collect()
    }

    /// The links of the page at `path`, made again as `html`, whose file
    /// the build does not make, as warnings on the built page
    /// (`thu-tuc/a/index.html:LINE:COL`), but for those leading to a site path in
    /// `known_dead`.
    pub fn broken_in(&self, path: &str, html: &[u8], known_dead: &FxHashSet<String>) -> Vec<Diagnostic> {
        let files = self.files.lock().expect("not poisoned");
        let mut warnings = Vec::new();
        // Line and column are counted on from the last link, so a page of one
        // long line costs no more than one of many.
        let (mut line, mut col, mut counted) = (1, 1, 0);
        for (start, href) in addresses(html) {
            let href = text(href);
            let Some(target) = resolve(path, &href) else {
                continue;
            };
            let between = &html[counted..start];
            match memchr::memrchr(b'\n', between) {
                Some(last) => {
                    line += memchr::memchr_iter(b'\n', between).count();
                    col = chars(&between[last + 1..]) + 1;
                }
                None => col += chars(between),
            }
            counted = start;
            if self.is_broken(&files, &target, known_dead) {
                let message = msg!("page_link_nowhere", href = &*href);
                warnings.push(
                    Diagnostic::error(path, (line, col), message, Some(msg!("hint_page_link_nowhere"))).warning(),
                );
            }
        }
        warnings
    }

    /// Each page's link targets, distinct and sorted, for the rebuild cache.
    pub fn targets_by_page(&self) -> PageTargets<'_> {
        let mut found = self.found.lock().expect("not poisoned");
        found.pages.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        PageTargets(found)
    }
}

/// The files each page's links lead to ([`LinkCheck::targets_by_page`]).
pub struct PageTargets<'a>(MutexGuard<'a, Found>);

impl PageTargets<'_> {
    /// The numbers of the files the links of `page` lead to, distinct, in
    /// the order of their paths ([`PageTargets::name`]); `None` for a page
    /// without links.
    pub fn get(&self, page: &str) -> Option<&[u32]> {
        let found = &*self.0;
        let at = found.pages.binary_search_by(|(p, _)| (**p).cmp(page)).ok()?;
        Some(&found.pages[at].1)
    }

    /// The file that number `n` of [`PageTargets::get`] names.
    pub fn name(&self, n: u32) -> &str {
        &self.0.targets.names[n as usize]
    }

    /// How many files the numbers of [`PageTargets::get`] name: each is below it.
    pub fn count(&self) -> usize {
        self.0.targets.names.len()
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

/// An address's bytes as text: a page's addresses are nearly always UTF-8,
/// and then borrowed.
fn text(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// Whether `target` is `folder` or a file under it.
fn in_folder(target: &str, folder: &str) -> bool {
    target.strip_prefix(folder).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
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
    let href = &href[..href.bytes().position(|b| b == b'#' || b == b'?').unwrap_or(href.len())];
    let leaves = href.is_empty() || href.starts_with('/') || href.as_bytes().contains(&b':');
    if leaves {
        return None;
    }
    below_root(page, href).map(str::to_string).or_else(|| walked(page, href))
}

/// Where `href` leads when it climbs from `page`'s folder to the site root
/// and goes down plain names from there, as nearly every link the theme
/// writes does (`../../muc-do/4/` from `thu-tuc/a/index.html`): the rest of
/// `href`, as [`walked`] would make it part by part. `None` for any other link.
fn below_root<'a>(page: &str, href: &'a str) -> Option<&'a str> {
    let mut rest = href;
    for _ in 0..memchr::memchr_iter(b'/', page.as_bytes()).count() {
        rest = rest.strip_prefix("../")?;
    }
    let (folders, name) = rest.rsplit_once('/').map_or((None, rest), |(folders, name)| (Some(folders), name));
    let plain = !rest.contains('%')
        && !matches!(name, "." | "..")
        && folders.is_none_or(|folders| folders.split('/').all(|part| !matches!(part, "" | "." | "..")));
    plain.then_some(rest)
}

/// Where `href`, a link of `page` that stays on the site, leads: `page`'s
/// folder, then each part of `href` in turn.
fn walked(page: &str, href: &str) -> Option<String> {
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
    if target.as_bytes().contains(&b'%') {
        target = percent_encoding::percent_decode_str(&target).decode_utf8_lossy().into_owned();
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
        assert_eq!(resolve("index.html", "//cdn.example.org/a.js"), None);
        assert_eq!(resolve("index.html", "/tuyet-doi/"), None);
        assert_eq!(resolve("thu-tuc/a/index.html", "mau%20don.pdf#trang-2").as_deref(), Some("thu-tuc/a/mau don.pdf"));
        assert_eq!(resolve("tin-tuc/index.html", "h%E1%BB%8Dp/?q=1").as_deref(), Some("tin-tuc/họp/"));
    }

    #[test]
    fn links_below_the_root_are_read_as_walking_them_part_by_part_reads_them() {
        let pages = ["index.html", "404.html", "thu-tuc/index.html", "thu-tuc/a/index.html", "a/b/c/index.html"];
        let ends = ["", "muc-do/4/", "assets/niemyet.css", "a//b/", "/a", "./", ".", "..", "a/./b", "a/../b", "x%20y/"];
        let mut seen = 0;
        for page in pages {
            for ups in 0..4 {
                for end in ends {
                    let href = format!("{}{end}", "../".repeat(ups));
                    if let Some(target) = below_root(page, &href) {
                        assert_eq!(Some(target.to_string()), walked(page, &href), "{href} from {page}");
                        seen += 1;
                    }
                }
            }
        }
        assert_eq!(seen, 5 * 3, "each page's climb to the root, with the three plain ends");
    }

    #[test]
    fn only_links_to_missing_files_are_broken() {
        let check = LinkCheck::default();
        let page = b"<a href=\"thu-tuc/\">x</a>\n<img src=\"assets/missing.png\"> <a href=\"thu-tuc/b/#x\">";
        check.see("index.html", Data::Bytes(page));
        check.see("thu-tuc/index.html", Data::Bytes(b"<a href=\"../\">home</a>"));
        let dead = FxHashSet::from_iter(["/thu-tuc/b/".to_string()]);
        assert_eq!(check.pages_with_broken_links(&dead), ["index.html"]);
        let broken = check.broken_in("index.html", page, &dead);
        assert_eq!(broken.len(), 1, "{broken:?}");
        assert_eq!((broken[0].path.as_str(), broken[0].line, broken[0].col), ("index.html", 2, 11));
    }

    #[test]
    fn links_into_a_folder_the_run_does_not_make_are_not_judged() {
        let check = LinkCheck::without("tim-kiem/chi-muc");
        let page = b"<a href=\"tim-kiem/chi-muc/meta.json\"> <a href=\"tim-kiem/chi-mucx/a.json\">";
        check.see("index.html", Data::Bytes(page));
        assert_eq!(check.pages_with_broken_links(&FxHashSet::default()), ["index.html"]);
        let broken = check.broken_in("index.html", page, &FxHashSet::default());
        assert_eq!(broken.len(), 1, "{broken:?}");
        assert_eq!(broken[0].col, 48, "the second address");
    }

    #[test]
    fn kept_pages_are_named_when_a_file_they_link_to_is_gone() {
        let check = LinkCheck::default();
        check.see("thu-tuc/index.html", Data::Bytes(b"<a href=\"../\">home</a>"));
        check.see("index.html", Data::Bytes(b"x"));
        let numbers = check.numbers(&["gone/".to_string(), "thu-tuc/".to_string()]);
        check.see_kept(&["thu-tuc/a/index.html"], numbers.clone().into());
        check.see_kept(&["thu-tuc/b/index.html"], [numbers[1]].into());
        assert_eq!(check.pages_with_broken_links(&FxHashSet::default()), ["thu-tuc/a/index.html"]);
        assert!(check.pages_with_broken_links(&FxHashSet::from_iter(["/gone/".to_string()])).is_empty());
        let targets = check.targets_by_page();
        let names = |page: &str| targets.get(page).unwrap().iter().map(|&n| targets.name(n)).collect::<Vec<_>>();
        assert_eq!(names("thu-tuc/index.html"), [""]);
        assert_eq!(names("thu-tuc/a/index.html"), ["gone/", "thu-tuc/"]);
        assert!(targets.get("thu-tuc/a/index.html").unwrap().iter().all(|&n| (n as usize) < targets.count()));
        assert!(targets.get("index.html").is_none());
    }
}
