//! The `Site` model: every page's data, checked across files (unique codes
//! and addresses, notices naming real procedures, aliases that collide with
//! nothing), with the indexes the filter pages need. Built once, read-only.

mod addresses;

use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::config::Config;
use crate::content::notice::Notice;
use crate::content::page::Page;
use crate::content::procedure::{Form, Postal, Procedure, Status};
use crate::content::Content;
use crate::diagnostics::{Diagnostic, Failure};
use crate::{msg, text};
use addresses::at;
pub use addresses::RESERVED_SLUGS;

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
    pub procedures: Vec<Arc<Procedure>>,
    /// Notices that are published, newest first.
    pub notices: Vec<Notice>,
    /// Plain pages, sorted by slug.
    pub pages: Vec<Page>,
    /// The home page's Markdown text.
    pub home: Option<String>,
    /// Files copied as they are to the output root.
    pub static_files: Vec<(String, Arc<[u8]>)>,
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
    pub dead_links: FxHashSet<String>,
    /// The size in bytes of each file of `static/`, by its path there.
    static_sizes: FxHashMap<String, u64>,
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

/// The characters a form's file name may hold that a link must write as
/// `%XX`: those that end or break an address. Letters of any language stay.
const UNSAFE_IN_PATH: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'|')
    .add(b'^')
    .add(b'[')
    .add(b']');

impl Form {
    /// The form's site path, `/mau-don/1.000047/to-khai.docx`, with the
    /// characters that would break an address written as `%XX`.
    pub fn url(&self) -> String {
        format!("/{}", percent_encoding::utf8_percent_encode(&self.file.value, UNSAFE_IN_PATH))
    }

    /// The file's format as people name it: its extension in capitals
    /// ("DOCX", "PDF"), or empty when it has none.
    pub fn format(&self) -> String {
        let name = self.file.value.rsplit('/').next().unwrap_or_default();
        name.rsplit_once('.').map(|(_, ext)| ext.to_uppercase()).unwrap_or_default()
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
        let file_warnings = content.warnings;
        let all_procedures = content.procedures;
        let all_codes: FxHashSet<&str> = all_procedures.iter().map(|p| p.code.value.as_str()).collect();
        let mut procedures: Vec<Arc<Procedure>> =
            all_procedures.iter().filter(|p| drafts || !p.draft).cloned().collect();
        let mut notices: Vec<Notice> = content.notices.into_iter().filter(|n| drafts || !n.draft).collect();
        let mut pages: Vec<Page> = content.pages.into_iter().filter(|p| drafts || !p.draft).collect();
        sort_by_title(&mut procedures);
        notices
            .sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.title.cmp(&b.title)).then_with(|| a.path.cmp(&b.path)));
        pages.sort_by(|a, b| a.slug.value.cmp(&b.slug.value).then_with(|| a.path.cmp(&b.path)));

        let mut codes: FxHashMap<&str, &Procedure> = FxHashMap::default();
        let mut in_path_order: Vec<&Procedure> = procedures.iter().map(Arc::as_ref).collect();
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
                if !all_codes.contains(code.value.as_str()) {
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

        let static_sizes: FxHashMap<String, u64> =
            content.static_files.iter().map(|(rel, bytes)| (rel.clone(), bytes.len() as u64)).collect();
        errors.extend(missing_forms(&all_procedures, &static_sizes));

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
            dead_links: FxHashSet::default(),
            static_sizes,
        };
        let (taken, found) =
            rayon::join(|| [site.check_addresses(), site.check_static_files()].concat(), || site.find_warnings());
        errors.extend(taken);
        if !errors.is_empty() {
            return Err(Failure::content(errors));
        }
        site.link_notices();
        (site.warnings, site.dead_links) = found;
        site.warnings.extend(file_warnings);
        site.warnings.sort();
        Ok(site)
    }

    /// The published files' own warnings, and their Markdown links to site
    /// paths that no page, data file or static file answers (with those paths).
    fn find_warnings(&self) -> (Vec<Diagnostic>, FxHashSet<String>) {
        let mut known: FxHashSet<String> = self.page_urls();
        known.extend(self.procedures.iter().flat_map(|p| p.aliases.iter().map(|a| a.value.clone())));
        known.extend(self.static_files.iter().map(|(rel, _)| format!("/{rel}")));
        known.extend(crate::DATA_FILES.iter().map(|file| format!("/{file}")));
        known.insert("/sitemap.xml".to_string());
        let resolves = |path: &str| {
            known.contains(path)
                || known.contains(&format!("{path}/"))
                || path.starts_with("/assets/")
                || path.starts_with("/tim-kiem/chi-muc/")
        };
        let mut dead = FxHashSet::default();
        let files = self.procedures.iter().map(|p| (&p.path, &p.site_links, &p.warnings));
        let files = files
            .chain(self.notices.iter().map(|n| (&n.path, &n.site_links, &n.warnings)))
            .chain(self.pages.iter().map(|p| (&p.path, &p.site_links, &p.warnings)));
        let mut warnings = Vec::new();
        for (path, links, own) in files {
            warnings.extend(own.iter().cloned());
            for link in links {
                let site_path = link.value.split(['#', '?']).next().unwrap_or(&link.value);
                let site_path = if site_path.is_empty() { "/" } else { site_path };
                if !resolves(site_path) {
                    dead.insert(site_path.to_string());
                    let message = msg!("link_nowhere", target = &link.value);
                    warnings.push(link.error(path, message, Some(msg!("hint_link_nowhere"))).warning());
                }
            }
        }
        warnings.sort();
        (warnings, dead)
    }

    /// The size in bytes of the file at `rel` in `static/`, if there is one.
    pub fn static_size(&self, rel: &str) -> Option<u64> {
        self.static_sizes.get(rel).copied()
    }

    /// The field group of procedure `i`.
    pub fn field_of(&self, i: usize) -> &Group {
        &self.fields[self.field_of[i]]
    }

    /// The index in [`Site::fields`] of procedure `i`'s field.
    pub fn field_index(&self, i: usize) -> usize {
        self.field_of[i]
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

    /// How many procedures are active, counted by field: every page of a
    /// list may say it, without going through a hundred thousand procedures.
    pub fn active_count(&self) -> usize {
        self.fields.iter().map(|f| f.active.len()).sum()
    }

    fn active_where(&self, keep: impl Fn(&Procedure) -> bool) -> Vec<usize> {
        (0..self.procedures.len()).filter(|&i| self.procedures[i].is_active() && keep(&self.procedures[i])).collect()
    }

    fn link_notices(&mut self) {
        let by_code: FxHashMap<&str, usize> =
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

/// The forms whose file is not in `static/` (a link there is not read, so
/// it counts as missing), each an error at its `file` key.
fn missing_forms(procedures: &[Arc<Procedure>], static_sizes: &FxHashMap<String, u64>) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for p in procedures {
        for form in p.forms.iter().filter(|form| !static_sizes.contains_key(&form.file.value)) {
            let file = &form.file.value;
            let message = msg!("form_file_missing", file = file);
            errors.push(form.file.error(&p.path, message, Some(msg!("hint_form_file_missing", file = file))));
        }
    }
    errors
}

/// Sorts procedures by title as people read it (folded, then as written),
/// then by code and file.
fn sort_by_title(procedures: &mut [Arc<Procedure>]) {
    procedures.par_sort_by(|a, b| {
        (&a.title_key, &a.title, &a.code.value, &a.path).cmp(&(&b.title_key, &b.title, &b.code.value, &b.path))
    });
}

/// Groups procedures by a name, giving each name a short unique slug.
/// Returns the groups, sorted by name, and each procedure's group index.
fn group(procedures: &[Arc<Procedure>], name_of: impl Fn(&Procedure) -> &String) -> (Vec<Group>, Vec<usize>) {
    let distinct: FxHashSet<&String> = procedures.iter().map(|p| name_of(p)).collect();
    let mut names: Vec<&String> = distinct.into_iter().collect();
    names.sort_by_cached_key(|n| text::sort_key(n));
    let mut used: FxHashMap<String, usize> = FxHashMap::default();
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
    let index: FxHashMap<&String, usize> = names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let of: Vec<usize> = procedures.iter().map(|p| index[name_of(p)]).collect();
    for (i, p) in procedures.iter().enumerate() {
        if p.is_active() {
            groups[of[i]].active.push(i);
        }
    }
    (groups, of)
}
