//! Rendering: the [`Site`] model and the theme into HTML pages, one function
//! per page kind, rendered in parallel. Rendering reads no content file but
//! a procedure's body, left in its file by the load stage
//! ([`crate::content::body`]).
//!
//! This file says which pages the site has and where each one is; each page
//! family is made in its own file: `home`, `procedure`, `listings`,
//! `notices`, `statistics`, `posting`. `items` holds the list items they share,
//! `environment` the templates and what every page sees, and `by_path` renders
//! chosen pages rather than the whole site.

mod by_path;
mod environment;
mod home;
mod items;
mod listings;
mod notices;
mod posting;
mod procedure;
mod statistics;

use std::collections::BTreeSet;
use std::sync::Arc;

use minijinja::value::{Enumerator, Object, Serde};
use minijinja::{context, Environment, Value};
use rayon::prelude::*;
use serde::Serialize;

use crate::cache::{Fingerprint, Hasher, Rebuild};
use crate::diagnostics::Failure;
use crate::listing::Listing;
use crate::markdown::{self, LinkContext};
use crate::output::Data;
use crate::posting::Sheet;
use crate::progress::Progress;
use crate::site::{self, Site};
use crate::theme::Theme;
pub use by_path::{render_files, PageRenderer};
use environment::{environment, template_error, Globals};
use items::{item_view, Views};

/// The site path of the theme's stylesheet, without its version.
pub const STYLESHEET: &str = "assets/niemyet.css";

/// Receives each file of the built site, by its path in the output folder,
/// as soon as it is made: the writer for `build`, a counter for `check`.
pub type Emit<'a> = dyn Fn(&str, Data<'_>) -> Result<(), Failure> + Sync + 'a;

/// What the pages are made for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// To be published: every byte as the site shows it.
    Publish,
    /// For `check`, which reads their links: the posting sheets are made
    /// without their QR codes, which take about a third of the time and
    /// cannot fail (the base URL's length is checked with site.toml); the
    /// search index and the data files are not made at all ([`crate::check`]).
    Check,
}

/// The most pages one thread renders as a task that no other thread can take
/// a part of. Left to itself, rayon cuts the pages into a few long runs, and
/// the thread with the last run renders it alone while the others wait.
const PAGES_PER_TASK: usize = 4;

/// Renders every HTML page of the site in parallel, made for `purpose`,
/// handing each to `emit` and counting it on `progress`; with `rebuild`, a
/// page whose inputs did not change since the last build is kept instead.
/// Returns how many pages there were; a page that cannot be rendered is
/// reported, with every other such page.
pub fn render_pages(
    site: &Site,
    theme: &Theme,
    progress: &Progress,
    emit: &Emit<'_>,
    rebuild: Option<&Rebuild<'_>>,
    purpose: Purpose,
) -> Result<usize, Failure> {
    let (env, globals) = environment(site, theme)?;
    let views = Views::new(site);
    let pages = Pages::new(site, theme, &views, &globals, purpose);
    let jobs = jobs(site);
    progress.pages(jobs.len());
    let results: Vec<Result<(), Failure>> = jobs
        .par_iter()
        .with_max_len(PAGES_PER_TASK)
        .map(|job| {
            let file = site::file_of(&page_path(job, site));
            if rebuild.is_some_and(|rebuild| rebuild.keep(&file, pages.fingerprint(job)).is_some()) {
                progress.page_done();
                return Ok(());
            }
            let html = render(&env, pages.page(job)?, theme)?;
            progress.page_done();
            emit(&file, Data::Bytes(html.as_bytes()))
        })
        .collect();
    let mut errors = Vec::new();
    for result in results {
        match result {
            Ok(()) => {}
            Err(Failure::Content(e)) => errors.extend(e),
            Err(usage) => return Err(usage),
        }
    }
    if errors.is_empty() {
        Ok(jobs.len())
    } else {
        Err(Failure::content(errors))
    }
}

/// What every page is made from besides its own context, hashed
/// ([`crate::cache`]): site.toml, the theme and what every page sees.
pub fn site_fingerprint(site: &Site, theme: &Theme) -> Fingerprint {
    environment::fingerprint(site, theme)
}

/// Fills a page's template with its context.
fn render(env: &Environment<'_>, page: PageOut, theme: &Theme) -> Result<String, Failure> {
    env.get_template(page.template)
        .and_then(|t| t.render(page.context))
        .map_err(|e| Failure::Content(vec![template_error(&e, theme)]))
}

/// The relative way from the page at `site_path` to the site root, such as "../../".
pub fn root_of(site_path: &str) -> String {
    let depth = site_path.trim_matches('/').split('/').filter(|s| !s.is_empty()).count();
    let depth = if site_path.ends_with('/') { depth } else { depth.saturating_sub(1) };
    if depth == 0 {
        "./".to_string()
    } else {
        "../".repeat(depth)
    }
}

/// Turns any serialisable data into a template value.
fn value<T: Serialize>(data: T) -> Value {
    Value::from(Serde(data))
}

/// A site path without its leading slash, to follow `root` in a link.
fn link(path: &str) -> String {
    path.trim_start_matches('/').to_string()
}

/// One page of the site to render.
enum Job {
    Home,
    Procedure(usize),
    LevelsOverview,
    PostalOverview,
    FieldsOverview,
    AgenciesOverview,
    /// Page `.1` (from 1) of a listing.
    Listing(Listing, usize),
    Stats,
    Search,
    Notice(usize),
    Page(usize),
    NotFound,
    PostingIndex,
    /// Page `.1` (from 1) of a posting sheet.
    Sheet(Sheet, usize),
    Alias {
        from: String,
        to: String,
    },
}

/// Every page of the site, the heaviest kinds first (posting sheets of many
/// rows, then listings), so that the pages rendered last are light ones and
/// no thread is left alone with a long page while the others have finished.
fn jobs(site: &Site) -> Vec<Job> {
    let mut jobs = vec![Job::PostingIndex];
    jobs.extend(crate::posting::sheet_pages(site).into_iter().map(|(sheet, number)| Job::Sheet(sheet, number)));
    for listing in Listing::every(site) {
        jobs.extend((1..=listing.pages(site)).map(|number| Job::Listing(listing, number)));
    }
    jobs.extend([
        Job::Home,
        Job::LevelsOverview,
        Job::PostalOverview,
        Job::FieldsOverview,
        Job::AgenciesOverview,
        Job::Stats,
        Job::Search,
        Job::NotFound,
    ]);
    jobs.extend((0..site.procedures.len()).map(Job::Procedure));
    jobs.extend((0..site.notices.len()).map(Job::Notice));
    jobs.extend((0..site.pages.len()).map(Job::Page));
    for p in &site.procedures {
        jobs.extend(p.aliases.iter().map(|a| Job::Alias { from: a.value.clone(), to: p.url() }));
    }
    jobs
}

/// The site path of the page a job renders, known without rendering it: the
/// one place that says where each page is ([`Pages::page`] uses it too).
fn page_path(job: &Job, site: &Site) -> String {
    match job {
        Job::Home => "/".into(),
        Job::Procedure(i) => site.procedures[*i].url(),
        Job::LevelsOverview => "/muc-do/".into(),
        Job::PostalOverview => "/buu-chinh/".into(),
        Job::FieldsOverview => "/linh-vuc/".into(),
        Job::AgenciesOverview => "/co-quan/".into(),
        Job::Listing(listing, number) => listing.page_url(site, *number),
        Job::Stats => "/thong-ke/".into(),
        Job::Search => "/tim-kiem/".into(),
        Job::Notice(i) => site.notices[*i].url(),
        Job::Page(i) => site.pages[*i].url(),
        Job::NotFound => "/404.html".into(),
        Job::PostingIndex => crate::posting::INDEX_URL.into(),
        Job::Sheet(sheet, number) => sheet.page_url(site, *number),
        Job::Alias { from, .. } => from.clone(),
    }
}

/// What a job renders: a template and its context.
struct PageOut {
    template: &'static str,
    context: Value,
}

/// A page's context as its template sees it: what every page has (`page`,
/// `root`) and the page's own values. A name is looked up by its text: the
/// merged map of `context! { page, root, ..own }` would look it up by
/// template value in each of its maps in turn, for every name a page uses.
/// The globals `t` and `site` are answered here too, so that a template's
/// many uses of them end at the first frame that holds this context rather
/// than going through every frame to the environment's globals.
#[derive(Debug)]
struct PageContext {
    page: Value,
    root: Value,
    own: Value,
    t: Value,
    site: Value,
}

impl Object for PageContext {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.get_value_by_str(key.as_str()?)
    }

    fn get_value_by_str(self: &Arc<Self>, key: &str) -> Option<Value> {
        match key {
            "page" => Some(self.page.clone()),
            "root" => Some(self.root.clone()),
            "t" => Some(self.t.clone()),
            "site" => Some(self.site.clone()),
            _ => self.own.get_attr(key).ok().filter(|value| !value.is_undefined()),
        }
    }

    /// The names in order, as a merged map gives them, without the globals:
    /// a page's fingerprint ([`Pages::fingerprint`]) serialises its context.
    fn enumerate(self: &Arc<Self>) -> Enumerator {
        let own = self.own.try_iter().into_iter().flatten();
        let names: BTreeSet<Value> = own.chain([Value::from("page"), Value::from("root")]).collect();
        Enumerator::Iter(Box::new(names.into_iter()))
    }
}

/// A link in the breadcrumb trail; the last one is the page itself.
#[derive(Serialize)]
struct Crumb {
    title: String,
    path: Option<String>,
}

/// Builds each page's context from the model, the theme's strings and the shared views.
#[derive(Clone, Copy)]
struct Pages<'a> {
    site: &'a Site,
    theme: &'a Theme,
    views: &'a Views,
    globals: &'a Globals,
    purpose: Purpose,
    /// Whether lists hold each procedure's item hashed instead of the item,
    /// and posting sheets each row's procedure by its front-matter hash: a
    /// context to fingerprint, not to render, in which each item is written
    /// out once in all rather than once for every list that shows it.
    item_fingerprints: bool,
}

impl<'a> Pages<'a> {
    /// The pages of `site` for `purpose`, their lists holding the items themselves.
    fn new(site: &'a Site, theme: &'a Theme, views: &'a Views, globals: &'a Globals, purpose: Purpose) -> Pages<'a> {
        Pages { site, theme, views, globals, purpose, item_fingerprints: false }
    }

    fn t(&self, key: &'static str) -> &str {
        self.theme.strings.get(key)
    }

    /// Procedure `i` as lists show it (or its fingerprint, when the
    /// context is made for [`Pages::fingerprint`]).
    fn item(&self, i: usize) -> Value {
        if self.item_fingerprints {
            Value::from(self.item_fingerprint(i))
        } else {
            self.views.items[i].get_or_init(|| item_view(self.site, self.theme, i)).clone()
        }
    }

    /// Procedure `i`'s list item, hashed once from what it is made of: its
    /// file's path and front matter
    /// ([`crate::content::procedure::Procedure::front_fingerprint`]), which
    /// with site.toml and the theme (in every page's fingerprint,
    /// [`site_fingerprint`]) make every field the item shows, and the slugs
    /// of its field and agency, which other procedures' names can change.
    /// The item itself is not made.
    fn item_fingerprint(&self, i: usize) -> Fingerprint {
        *self.views.item_fingerprints[i].get_or_init(|| {
            Hasher::new()
                .fingerprints([self.site.procedures[i].front_fingerprint])
                .text(&self.site.field_of(i).slug)
                .text(&self.site.agency_of(i).slug)
                .finish()
        })
    }

    /// The procedures at `indexes` as lists show them.
    fn items(&self, indexes: &[usize]) -> Value {
        Value::from(indexes.iter().map(|&i| self.item(i)).collect::<Vec<_>>())
    }

    /// What the page of `job` is made from, hashed, besides what every page
    /// shares ([`site_fingerprint`]): its template and context, each list
    /// item in it by the item's own fingerprint; for a procedure, which is
    /// most pages, without rendering its Markdown: its file, its list item
    /// and its related notices, which are all its page shows; for a posting
    /// sheet, without making its rows or drawing their QR codes.
    fn fingerprint(&self, job: &Job) -> Fingerprint {
        match job {
            Job::Procedure(i) => {
                let related: Vec<&Value> =
                    self.site.related_notices[*i].iter().map(|&n| &self.views.notices[n]).collect();
                let p = &self.site.procedures[*i];
                let form_sizes: Vec<Option<u64>> =
                    p.forms.iter().map(|form| self.site.static_size(&form.file.value)).collect();
                Hasher::new()
                    .text("procedure")
                    .fingerprints([p.fingerprint, self.item_fingerprint(*i)])
                    .value(&related)
                    .value(&form_sizes)
            }
            _ => {
                let pages = Pages { item_fingerprints: true, ..*self };
                let page = pages.page(job).expect("only a procedure's page reads a file");
                Hasher::new().text(page.template).value(&page.context)
            }
        }
        .finish()
    }

    /// The page of `job`; only a procedure's page can fail, when its body,
    /// read again from its file, changed since the site was loaded.
    fn page(&self, job: &Job) -> Result<PageOut, Failure> {
        let site = self.site;
        let url = page_path(job, site);
        Ok(match job {
            Job::Home => self.home(&url),
            Job::Procedure(i) => self.procedure(*i, &url)?,
            Job::LevelsOverview => self.overview(&url, "levels_title", "levels_intro", self.level_entries()),
            Job::PostalOverview => self.overview(&url, "postal_title", "postal_intro", self.postal_entries()),
            Job::FieldsOverview => {
                self.overview(&url, "fields_title", "fields_intro", listings::entries(&site.fields, "linh-vuc"))
            }
            Job::AgenciesOverview => {
                self.overview(&url, "agencies_title", "agencies_intro", listings::entries(&site.agencies, "co-quan"))
            }
            Job::Listing(listing, number) => self.listing(*listing, *number, &url),
            Job::Stats => self.statistics(&url),
            Job::Search => self.out(&url, "search.html", self.t("search_title"), vec![], context! {}),
            Job::Notice(i) => self.notice(*i, &url),
            Job::Page(i) => {
                let p = &site.pages[*i];
                let ctx = context! { body => self.body_html(&p.body, &url), draft => p.draft };
                self.out(&url, "page.html", &p.title, vec![], ctx)
            }
            Job::NotFound => self.out(&url, "404.html", self.t("not_found_title"), vec![], context! {}),
            Job::PostingIndex => self.posting_index(&url),
            Job::Sheet(sheet, number) => self.sheet(*sheet, *number, &url, self.purpose == Purpose::Publish),
            Job::Alias { from, to } => {
                let ctx = context! {
                    target => format!("{}{}", root_of(from), link(to)),
                    target_url => site.config.absolute_url(to),
                    title => self.t("redirect_title"),
                };
                PageOut { template: "redirect.html", context: ctx }
            }
        })
    }

    fn crumb(&self, title_key: &'static str, url: &str) -> Crumb {
        Crumb { title: self.t(title_key).to_string(), path: Some(link(url)) }
    }

    /// Wraps a page's own context with what every page has: its path, title,
    /// link to the root, canonical address and breadcrumb trail.
    fn out(&self, url: &str, template: &'static str, title: &str, trail: Vec<Crumb>, ctx: Value) -> PageOut {
        let root = if url == "/404.html" { format!("{}/", self.site.config.base_path()) } else { root_of(url) };
        let mut crumbs = vec![Crumb { title: self.t("nav_home").to_string(), path: Some(String::new()) }];
        crumbs.extend(trail);
        crumbs.push(Crumb { title: title.to_string(), path: None });
        let page = context! {
            path => url,
            title,
            canonical => self.site.config.absolute_url(url),
            breadcrumbs => value(if url == "/" { Vec::new() } else { crumbs }),
        };
        let (t, site) = (self.globals.t.clone(), self.globals.site.clone());
        let context = PageContext { page, root: Value::from(root), own: ctx, t, site };
        PageOut { template, context: Value::from_object(context) }
    }

    fn render_markdown(&self, md: &str, url: &str) -> markdown::Rendered {
        let base = &self.site.config.base_url;
        let host = base.split_once("://").map_or("", |(_, rest)| rest.split('/').next().unwrap_or(""));
        let root = root_of(url);
        let (external_label, table_label) = (self.t("external_link"), self.t("table_label"));
        markdown::render(md, &LinkContext { root: &root, host, external_label, table_label })
    }

    fn body_html(&self, md: &str, url: &str) -> Value {
        Value::from_safe_string(self.render_markdown(md, url).html)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_lead_back_to_the_site_root() {
        assert_eq!(root_of("/"), "./");
        assert_eq!(root_of("/thu-tuc/x/"), "../../");
        assert_eq!(root_of("/old.html"), "./");
    }
}
