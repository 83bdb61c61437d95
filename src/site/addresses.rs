//! The addresses of the site's pages: every page the build makes, with what
//! owns it, and the checks that no two files, aliases or static files claim
//! the same address or one the build makes itself.

use rustc_hash::{FxHashMap, FxHashSet};

use super::{file_of, Site};
use crate::content::front_matter::Located;
use crate::content::page::Page;
use crate::diagnostics::Diagnostic;
use crate::listing::Listing;
use crate::messages::{Arg, Message};
use crate::msg;

/// Top-level addresses the site's own pages use; a plain page may not take them.
pub const RESERVED_SLUGS: [&str; 10] =
    ["thu-tuc", "muc-do", "buu-chinh", "linh-vuc", "co-quan", "tim-kiem", "thong-ke", "tin-tuc", "du-lieu", "niem-yet"];

/// Files and folders the build writes besides pages, as site paths without a
/// trailing slash; an alias may not take them.
const GENERATED_FILES: [&str; 7] =
    ["/sitemap.xml", "/robots.txt", "/feed.xml", "/assets", "/du-lieu", "/tim-kiem/chi-muc", "/.niemyet-manifest"];

impl Site {
    /// Every HTML page the site has, as site paths, gathered into whatever
    /// collection the caller needs (sorted for the sitemaps, a set to look
    /// paths up in for the link check).
    pub fn page_urls<C: FromIterator<String>>(&self) -> C {
        self.pages_with_owners().into_iter().map(|(url, _)| url).collect()
    }

    /// Every HTML page the site has, as site paths, with what owns each,
    /// named only when a message needs it.
    fn pages_with_owners(&self) -> Vec<(String, Owner<'_>)> {
        let mut urls = Vec::with_capacity(self.procedures.len() + self.notices.len() + self.pages.len() + 32);
        for fixed in
            ["/", "/muc-do/", "/buu-chinh/", "/linh-vuc/", "/co-quan/", "/thong-ke/", "/tim-kiem/", "/404.html"]
        {
            urls.push((fixed.to_string(), Owner::Site(msg!("owner_site_page"))));
        }
        for listing in Listing::every(self) {
            let owner = match listing {
                Listing::All | Listing::Notices => msg!("owner_site_page"),
                Listing::Level(_) => msg!("owner_level_page"),
                Listing::Postal(_) => msg!("owner_postal_page"),
                Listing::Field(_) => msg!("owner_field_page"),
                Listing::Agency(_) => msg!("owner_agency_page"),
            };
            for number in 1..=listing.pages(self) {
                urls.push((listing.page_url(self, number), Owner::Site(owner.clone())));
            }
        }
        urls.push((crate::posting::INDEX_URL.to_string(), Owner::Site(msg!("owner_site_page"))));
        for (sheet, number) in crate::posting::sheet_pages(self) {
            urls.push((sheet.page_url(self, number), Owner::Site(msg!("owner_posting_sheet"))));
        }
        for p in &self.procedures {
            urls.push((p.url(), Owner::File(&p.path, &p.slug)));
        }
        for n in &self.notices {
            urls.push((n.url(), Owner::File(&n.path, &n.slug)));
        }
        for p in &self.pages {
            urls.push((p.url(), Owner::File(&p.path, &p.slug)));
        }
        urls
    }

    /// Addresses claimed twice: two files with one address, a plain page on
    /// an address the site's own pages use, an alias on a page's address or
    /// on a file the build makes, each an error at the later claim.
    pub(super) fn check_addresses(&self) -> Vec<Diagnostic> {
        let mut errors = Vec::new();
        let rename = msg!("hint_rename");
        let mut claims: Vec<(String, &str, &Located<String>)> = Vec::new();
        claims.extend(self.procedures.iter().map(|p| (p.url(), p.path.as_str(), &p.slug)));
        claims.extend(self.notices.iter().map(|n| (n.url(), n.path.as_str(), &n.slug)));
        claims.sort_by(|a, b| a.1.cmp(b.1));
        let mut pages: Vec<&Page> = self.pages.iter().collect();
        pages.sort_by(|a, b| a.path.cmp(&b.path));
        for p in pages {
            if RESERVED_SLUGS.contains(&p.slug.value.as_str()) {
                let message = msg!("address_reserved", url = p.url());
                errors.push(p.slug.error(&p.path, message, Some(rename.clone())));
            } else {
                claims.push((p.url(), &p.path, &p.slug));
            }
        }
        let mut seen: FxHashMap<&str, Owner<'_>> =
            FxHashMap::with_capacity_and_hasher(claims.len(), Default::default());
        for (url, path, loc) in &claims {
            if let Some(owner) = seen.get(url.as_str()) {
                errors.push(loc.error(
                    path,
                    msg!("address_taken", url = url, owner = owner.clone()),
                    Some(rename.clone()),
                ));
            } else {
                seen.insert(url, Owner::File(path, loc));
            }
        }
        let pages = self.pages_with_owners();
        let mut taken_paths: FxHashMap<&str, Owner<'_>> =
            pages.iter().map(|(url, owner)| (url.trim_end_matches('/'), owner.clone())).collect();
        for p in &self.procedures {
            for alias in &p.aliases {
                let key = alias.value.trim_end_matches('/');
                let generated = GENERATED_FILES.iter().any(|g| key == *g || key.starts_with(&format!("{g}/")));
                let taken = taken_paths
                    .get(key)
                    .cloned()
                    .or_else(|| generated.then(|| Owner::Site(msg!("owner_generated_file"))));
                match taken {
                    Some(owner) => errors.push(alias.error(
                        &p.path,
                        msg!("alias_taken", alias = &alias.value, owner = owner),
                        Some(msg!("hint_remove_alias")),
                    )),
                    None => {
                        taken_paths.insert(key, Owner::Alias(&p.path, alias));
                    }
                }
            }
        }
        errors
    }

    /// Files in static/ may not replace what the build makes, but for the theme's assets.
    pub(super) fn check_static_files(&self) -> Vec<Diagnostic> {
        if self.static_files.is_empty() {
            return Vec::new();
        }
        let made: FxHashSet<String> = self
            .pages_with_owners()
            .iter()
            .map(|(url, _)| url)
            .chain(self.procedures.iter().flat_map(|p| p.aliases.iter().map(|a| &a.value)))
            .map(|url| file_of(url))
            .chain(GENERATED_FILES.iter().map(|g| g.trim_start_matches('/').to_string()))
            .collect();
        self.static_files
            .iter()
            .filter(|(rel, _)| made.contains(rel) || rel.starts_with("du-lieu/") || rel.starts_with("tim-kiem/"))
            .map(|(rel, _)| {
                Diagnostic::error(
                    format!("static/{rel}"),
                    (1, 1),
                    msg!("static_replaces", path = format!("/{rel}")),
                    Some(msg!("hint_static_rename")),
                )
            })
            .collect()
    }
}

/// "content/procedures/a.md:3:8", to name another file in a message.
pub(super) fn at(path: &str, loc: &Located<String>) -> String {
    format!("{path}:{}:{}", loc.line, loc.col)
}

/// What owns an address, as messages name it.
#[derive(Clone)]
enum Owner<'a> {
    /// One of the site's own pages, such as "a field page".
    Site(Message),
    /// The file at a path, by the line and column that set its address.
    File(&'a str, &'a Located<String>),
    /// An alias in a procedure file.
    Alias(&'a str, &'a Located<String>),
}

impl From<Owner<'_>> for Arg {
    fn from(owner: Owner<'_>) -> Arg {
        match owner {
            Owner::Site(what) => Arg::Message(what),
            Owner::File(path, loc) => Arg::Text(at(path, loc)),
            Owner::Alias(path, loc) => Arg::Message(msg!("owner_alias", at = at(path, loc))),
        }
    }
}
