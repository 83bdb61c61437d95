//! The `Site` model: every page's data, checked across files (unique codes
//! and addresses, notices naming real procedures, aliases that collide with
//! nothing), with the indexes the filter pages need. Built once, read-only.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::config::Config;
use crate::content::front_matter::Located;
use crate::content::notice::Notice;
use crate::content::page::Page;
use crate::content::procedure::{Postal, Procedure, Status};
use crate::content::Content;
use crate::diagnostics::{Diagnostic, Failure};
use crate::messages::Arg;
use crate::{markdown, msg, text};

/// Top-level addresses the site's own pages use; a plain page may not take them.
pub const RESERVED_SLUGS: [&str; 9] =
    ["thu-tuc", "muc-do", "buu-chinh", "linh-vuc", "co-quan", "tim-kiem", "thong-ke", "tin-tuc", "du-lieu"];

/// Files and folders the build writes besides pages, as site paths without a
/// trailing slash; an alias may not take them.
const GENERATED_FILES: [&str; 7] =
    ["/sitemap.xml", "/robots.txt", "/feed.xml", "/assets", "/du-lieu", "/tim-kiem/chi-muc", "/.niemyet-manifest"];

/// Procedures that share a field or an agency.
#[derive(Debug, Clone)]
pub struct Group {
    /// The field's or agency's name, exactly as written.
    pub name: String,
    /// Its URL slug, short and unique among its kind.
    pub slug: String,
    /// Indexes into [`Site::procedures`] of its active procedures.
    pub active: Vec<usize>,
}

/// The whole site, checked and indexed, ready to render.
#[derive(Debug)]
pub struct Site {
    /// Settings from site.toml.
    pub config: Config,
    /// Procedures that are published, sorted by title.
    pub procedures: Vec<Procedure>,
    /// Notices that are published, newest first.
    pub notices: Vec<Notice>,
    /// Plain pages, sorted by slug.
    pub pages: Vec<Page>,
    /// The home page's Markdown text.
    pub home: Option<String>,
    /// Files copied as they are to the output root.
    pub static_files: Vec<(String, Vec<u8>)>,
    /// Fields, sorted by name.
    pub fields: Vec<Group>,
    /// Agencies, sorted by name.
    pub agencies: Vec<Group>,
    /// For each procedure, the indexes of the notices that name it, newest first.
    pub related_notices: Vec<Vec<usize>>,
    /// For each notice, the indexes of the published procedures it names.
    pub notice_procedures: Vec<Vec<usize>>,
    /// Problems that do not stop the build: the files' own warnings and
    /// links into the site that lead nowhere. Sorted.
    pub warnings: Vec<Diagnostic>,
    /// The site paths that Markdown links lead to but no page answers
    /// (`/thu-tuc/khong-co/`), each already a warning.
    pub dead_links: HashSet<String>,
    field_of: Vec<usize>,
    agency_of: Vec<usize>,
}

impl Procedure {
    /// Whether the procedure is in force (active or amended), so counted and listed in filters.
    pub fn is_active(&self) -> bool {
        self.status != Status::Abolished
    }

    /// The procedure's site path, `/thu-tuc/<slug>/`.
    pub fn url(&self) -> String {
        format!("/thu-tuc/{}/", self.slug.value)
    }
}

impl Notice {
    /// The notice's site path, `/tin-tuc/<slug>/`.
    pub fn url(&self) -> String {
        format!("/tin-tuc/{}/", self.slug.value)
    }
}

impl Page {
    /// The page's site path, `/<slug>/`.
    pub fn url(&self) -> String {
        format!("/{}/", self.slug.value)
    }
}

/// The output file of a site path: "/thu-tuc/x/" → "thu-tuc/x/index.html".
pub fn file_of(site_path: &str) -> String {
    let rel = site_path.trim_start_matches('/');
    if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    }
}

/// The site path of a postal mode's filter page.
pub fn postal_url(mode: Postal) -> String {
    format!("/buu-chinh/{}/", mode.slug())
}

impl Site {
    /// Checks the content across files and builds the model. With `drafts`,
    /// draft files are published too. Returns every error found.
    pub fn new(config: Config, content: Content, drafts: bool) -> Result<Site, Failure> {
        let mut errors = content.errors;
        let all_codes: HashMap<String, ()> = content.procedures.iter().map(|p| (p.code.value.clone(), ())).collect();
        let mut procedures: Vec<Procedure> = content.procedures.into_iter().filter(|p| drafts || !p.draft).collect();
        let mut notices: Vec<Notice> = content.notices.into_iter().filter(|n| drafts || !n.draft).collect();
        let mut pages: Vec<Page> = content.pages.into_iter().filter(|p| drafts || !p.draft).collect();
        procedures.sort_by_cached_key(|p| (text::sort_key(&p.title), p.code.value.clone(), p.path.clone()));
        notices
            .sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.title.cmp(&b.title)).then_with(|| a.path.cmp(&b.path)));
        pages.sort_by(|a, b| a.slug.value.cmp(&b.slug.value).then_with(|| a.path.cmp(&b.path)));

        let mut codes: HashMap<&str, &Procedure> = HashMap::new();
        let mut in_path_order: Vec<&Procedure> = procedures.iter().collect();
        in_path_order.sort_by(|a, b| a.path.cmp(&b.path));
        for p in in_path_order {
            if let Some(first) = codes.insert(&p.code.value, p) {
                codes.insert(&first.code.value, first);
                errors.push(p.code.error(
                    &p.path,
                    msg!("code_taken", code = &p.code.value, other = at(&first.path, &first.code)),
                    Some(msg!("hint_code_taken")),
                ));
            }
        }
        for n in notices.iter().filter(|_| content.all_procedures_read) {
            for code in &n.procedures {
                if !all_codes.contains_key(&code.value) {
                    let hint = match crate::content::front_matter::did_you_mean(
                        &code.value,
                        &codes.keys().copied().collect::<Vec<_>>(),
                    ) {
                        Some(near) => msg!("hint_did_you_mean_code", near = near),
                        None => msg!("hint_list_codes"),
                    };
                    errors.push(code.error(&n.path, msg!("notice_unknown_code", code = &code.value), Some(hint)));
                }
            }
        }

        let fields_of = group(&procedures, |p| &p.field);
        let agencies_of = group(&procedures, |p| &p.agency);
        let mut site = Site {
            config,
            related_notices: vec![Vec::new(); procedures.len()],
            notice_procedures: vec![Vec::new(); notices.len()],
            field_of: fields_of.1,
            agency_of: agencies_of.1,
            fields: fields_of.0,
            agencies: agencies_of.0,
            procedures,
            notices,
            pages,
            home: content.home,
            static_files: content.static_files,
            warnings: Vec::new(),
            dead_links: HashSet::new(),
        };
        errors.extend(site.check_addresses());
        errors.extend(site.check_static_files());
        if !errors.is_empty() {
            return Err(Failure::content(errors));
        }
        site.link_notices();
        (site.warnings, site.dead_links) = site.find_warnings();
        Ok(site)
    }

    /// The published files' own warnings, and their Markdown links to site
    /// paths that no page, data file or static file answers (with those paths).
    fn find_warnings(&self) -> (Vec<Diagnostic>, HashSet<String>) {
        let mut known: HashSet<String> = self.page_urls().into_keys().collect();
        known.extend(self.procedures.iter().flat_map(|p| p.aliases.iter().map(|a| a.value.clone())));
        known.extend(self.static_files.iter().map(|(rel, _)| format!("/{rel}")));
        known.extend(
            ["/sitemap.xml", "/robots.txt", "/feed.xml", "/du-lieu/thu-tuc.json", "/du-lieu/thu-tuc.csv"]
                .map(String::from),
        );
        let resolves = |path: &str| {
            known.contains(path)
                || known.contains(&format!("{path}/"))
                || path.starts_with("/assets/")
                || path.starts_with("/tim-kiem/chi-muc/")
        };
        let mut dead = HashSet::new();
        let files = self.procedures.iter().map(|p| (&p.path, &p.body, p.body_line, &p.warnings));
        let files = files
            .chain(self.notices.iter().map(|n| (&n.path, &n.body, n.body_line, &n.warnings)))
            .chain(self.pages.iter().map(|p| (&p.path, &p.body, p.body_line, &p.warnings)));
        let mut warnings = Vec::new();
        for (path, body, body_line, own) in files {
            warnings.extend(own.iter().cloned());
            for (offset, target) in markdown::site_links(body) {
                let site_path = target.split(['#', '?']).next().unwrap_or(&target);
                let site_path = if site_path.is_empty() { "/" } else { site_path };
                if !resolves(site_path) {
                    dead.insert(site_path.to_string());
                    let before = &body[..offset];
                    let line = body_line + before.matches('\n').count();
                    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
                    let message = msg!("link_nowhere", target = &target);
                    warnings
                        .push(Diagnostic::error(path, (line, col), message, Some(msg!("hint_link_nowhere"))).warning());
                }
            }
        }
        warnings.sort();
        (warnings, dead)
    }

    /// The field group of procedure `i`.
    pub fn field_of(&self, i: usize) -> &Group {
        &self.fields[self.field_of[i]]
    }

    /// The agency group of procedure `i`.
    pub fn agency_of(&self, i: usize) -> &Group {
        &self.agencies[self.agency_of[i]]
    }

    /// Indexes of the active procedures at service level `id`.
    pub fn at_level(&self, id: &str) -> Vec<usize> {
        self.active_where(|p| p.service_level == id)
    }

    /// Indexes of the active procedures with postal mode `mode`.
    pub fn with_postal(&self, mode: Postal) -> Vec<usize> {
        self.active_where(|p| p.postal == mode)
    }

    /// Indexes of the active procedures.
    pub fn active(&self) -> Vec<usize> {
        self.active_where(|_| true)
    }

    fn active_where(&self, keep: impl Fn(&Procedure) -> bool) -> Vec<usize> {
        (0..self.procedures.len()).filter(|&i| self.procedures[i].is_active() && keep(&self.procedures[i])).collect()
    }

    /// Every HTML page the site has, as site paths, with what owns each.
    pub fn page_urls(&self) -> BTreeMap<String, Arg> {
        let mut urls = BTreeMap::new();
        for fixed in [
            "/",
            "/thu-tuc/",
            "/muc-do/",
            "/buu-chinh/",
            "/linh-vuc/",
            "/co-quan/",
            "/thong-ke/",
            "/tim-kiem/",
            "/tin-tuc/",
            "/404.html",
        ] {
            urls.insert(fixed.to_string(), msg!("owner_site_page").into());
        }
        for level in &self.config.service_levels {
            urls.insert(format!("/muc-do/{}/", level.slug), msg!("owner_level_page").into());
        }
        for mode in Postal::ALL {
            urls.insert(postal_url(mode), msg!("owner_postal_page").into());
        }
        for f in &self.fields {
            urls.insert(format!("/linh-vuc/{}/", f.slug), msg!("owner_field_page").into());
        }
        for a in &self.agencies {
            urls.insert(format!("/co-quan/{}/", a.slug), msg!("owner_agency_page").into());
        }
        for p in &self.procedures {
            urls.insert(p.url(), at(&p.path, &p.slug).into());
        }
        for n in &self.notices {
            urls.insert(n.url(), at(&n.path, &n.slug).into());
        }
        for p in &self.pages {
            urls.insert(p.url(), at(&p.path, &p.slug).into());
        }
        urls
    }

    fn check_addresses(&self) -> Vec<Diagnostic> {
        let mut errors = Vec::new();
        let mut seen: BTreeMap<String, String> = BTreeMap::new();
        let rename = msg!("hint_rename");
        let mut claim = |url: String, path: &str, loc: &Located<String>, errors: &mut Vec<Diagnostic>| {
            if let Some(owner) = seen.get(&url) {
                errors.push(loc.error(path, msg!("address_taken", url = &url, owner = owner), Some(rename.clone())));
            } else {
                seen.insert(url, at(path, loc));
            }
        };
        let mut files: Vec<(String, &str, &Located<String>)> = Vec::new();
        files.extend(self.procedures.iter().map(|p| (p.url(), p.path.as_str(), &p.slug)));
        files.extend(self.notices.iter().map(|n| (n.url(), n.path.as_str(), &n.slug)));
        files.sort_by(|a, b| a.1.cmp(b.1));
        for (url, path, loc) in files {
            claim(url, path, loc, &mut errors);
        }
        let mut pages: Vec<&Page> = self.pages.iter().collect();
        pages.sort_by(|a, b| a.path.cmp(&b.path));
        for p in pages {
            if RESERVED_SLUGS.contains(&p.slug.value.as_str()) {
                let message = msg!("address_reserved", url = p.url());
                errors.push(p.slug.error(&p.path, message, Some(rename.clone())));
            } else {
                claim(p.url(), &p.path, &p.slug, &mut errors);
            }
        }
        let mut taken_paths: BTreeMap<String, Arg> =
            self.page_urls().into_iter().map(|(url, owner)| (url.trim_end_matches('/').to_string(), owner)).collect();
        for p in &self.procedures {
            for alias in &p.aliases {
                let key = alias.value.trim_end_matches('/');
                let generated = GENERATED_FILES.iter().any(|g| key == *g || key.starts_with(&format!("{g}/")));
                let taken =
                    taken_paths.get(key).cloned().or_else(|| generated.then(|| msg!("owner_generated_file").into()));
                match taken {
                    Some(owner) => errors.push(alias.error(
                        &p.path,
                        msg!("alias_taken", alias = &alias.value, owner = owner),
                        Some(msg!("hint_remove_alias")),
                    )),
                    None => {
                        taken_paths.insert(key.to_string(), msg!("owner_alias", at = at(&p.path, alias)).into());
                    }
                }
            }
        }
        errors
    }

    /// Files in static/ may not replace what the build makes, but for the theme's assets.
    fn check_static_files(&self) -> Vec<Diagnostic> {
        let made: std::collections::HashSet<String> = self
            .page_urls()
            .keys()
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

    fn link_notices(&mut self) {
        let by_code: HashMap<&str, usize> =
            self.procedures.iter().enumerate().map(|(i, p)| (p.code.value.as_str(), i)).collect();
        for (n, notice) in self.notices.iter().enumerate() {
            for code in &notice.procedures {
                if let Some(&p) = by_code.get(code.value.as_str()) {
                    if !self.notice_procedures[n].contains(&p) {
                        self.notice_procedures[n].push(p);
                        self.related_notices[p].push(n);
                    }
                }
            }
        }
    }
}

/// "content/procedures/a.md:3:8", to name another file in a message.
fn at(path: &str, loc: &Located<String>) -> String {
    format!("{path}:{}:{}", loc.line, loc.col)
}

/// Groups procedures by a name, giving each name a short unique slug.
/// Returns the groups, sorted by name, and each procedure's group index.
fn group(procedures: &[Procedure], name_of: impl Fn(&Procedure) -> &String) -> (Vec<Group>, Vec<usize>) {
    let mut names: Vec<&String> = procedures.iter().map(&name_of).collect();
    names.sort_by_cached_key(|n| text::sort_key(n));
    names.dedup();
    let mut used: HashMap<String, usize> = HashMap::new();
    let mut groups: Vec<Group> = names
        .iter()
        .map(|name| {
            let mut slug = text::short_slug(name);
            let seen = used.entry(slug.clone()).or_insert(0);
            *seen += 1;
            if *seen > 1 {
                slug = format!("{}-{}", &slug[..slug.len().min(text::MAX_SLUG_LEN - 9)], text::short_hash(name));
            }
            Group { name: (*name).clone(), slug, active: Vec::new() }
        })
        .collect();
    let index: HashMap<&String, usize> = names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let of: Vec<usize> = procedures.iter().map(|p| index[name_of(p)]).collect();
    for (i, p) in procedures.iter().enumerate() {
        if p.is_active() {
            groups[of[i]].active.push(i);
        }
    }
    (groups, of)
}
