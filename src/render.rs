//! Rendering: the [`Site`] model and the theme into HTML pages, one function
//! per page kind, rendered in parallel. Rendering never reads content files.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use minijinja::value::Serde;
use minijinja::{context, Environment, Value};
use rayon::prelude::*;
use serde::Serialize;

use crate::content::procedure::{Channel, Postal};
use crate::diagnostics::{Diagnostic, Failure};
use crate::markdown::{self, LinkContext};
use crate::msg;
use crate::site::{self, postal_url, Group, Site};
use crate::text;
use crate::theme::Theme;
use crate::{stats, structured_data};

/// The site path of the theme's stylesheet, without its version.
pub const STYLESHEET: &str = "assets/niemyet.css";

/// Receives each file of the built site, by its path in the output folder,
/// as soon as it is made: the writer for `build`, a counter for `check`.
pub type Emit<'a> = dyn Fn(&str, &[u8]) -> Result<(), Failure> + Sync + 'a;

/// Renders every HTML page of the site in parallel, handing each to `emit`.
/// Returns how many pages there were; a page that cannot be rendered is
/// reported, with every other such page.
pub fn render_pages(site: &Site, theme: &Theme, emit: &Emit<'_>) -> Result<usize, Failure> {
    let env = environment(site, theme)?;
    let views = Views::new(site);
    let pages = Pages { site, theme, views: &views };
    let jobs = jobs(site);
    let results: Vec<Result<(), Failure>> = jobs
        .par_iter()
        .map(|job| {
            let page = pages.page(job);
            let file = site::file_of(&page.path);
            let html = render(&env, page, theme)?;
            emit(&file, html.as_bytes())
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

/// Renders the pages of one site one at a time, when asked: the preview
/// server renders only the pages a browser requests. What every page shares
/// (templates, lists of procedures) is made once, in [`PageRenderer::new`].
///
/// ```no_run
/// # fn show(site: niemyet::site::Site, theme: niemyet::theme::Theme) -> Result<(), niemyet::diagnostics::Failure> {
/// use std::sync::Arc;
/// let renderer = niemyet::render::PageRenderer::new(Arc::new(site), Arc::new(theme))?;
/// if let Some(html) = renderer.render("thu-tuc/dang-ky/index.html") {
///     println!("{}", html?);
/// }
/// # Ok(()) }
/// ```
pub struct PageRenderer {
    site: Arc<Site>,
    theme: Arc<Theme>,
    env: Environment<'static>,
    views: Views,
    /// Every page, by its site path.
    jobs: HashMap<String, Job>,
}

impl PageRenderer {
    /// Prepares the templates and what every page shares. Fails when a
    /// template does not compile.
    pub fn new(site: Arc<Site>, theme: Arc<Theme>) -> Result<PageRenderer, Failure> {
        let env = environment(&site, &theme)?;
        let views = Views::new(&site);
        let jobs = jobs(&site).into_iter().map(|job| (page_path(&job, &site), job)).collect();
        Ok(PageRenderer { site, theme, env, views, jobs })
    }

    /// Renders the page at the output file `file`, such as
    /// "thu-tuc/dang-ky/index.html" or "404.html"; `None` when the site has
    /// no page there.
    pub fn render(&self, file: &str) -> Option<Result<String, Failure>> {
        let folder = file.strip_suffix("index.html").filter(|f| f.is_empty() || f.ends_with('/'));
        let job = folder
            .and_then(|folder| self.jobs.get(&format!("/{folder}")))
            .or_else(|| self.jobs.get(&format!("/{file}")))?;
        let pages = Pages { site: &self.site, theme: &self.theme, views: &self.views };
        Some(render(&self.env, pages.page(job), &self.theme))
    }
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

fn environment(site: &Site, theme: &Theme) -> Result<Environment<'static>, Failure> {
    let mut env = Environment::new();
    let syntax = minijinja::syntax::SyntaxConfig::builder().trim_blocks(true).lstrip_blocks(true).build();
    env.set_syntax(syntax.expect("the default delimiters are valid"));
    let mut errors = Vec::new();
    for template in theme.templates.values() {
        if let Err(e) = env.add_template_owned(template.name.clone(), template.source.clone()) {
            errors.push(template_error(&e, theme));
        }
    }
    if !errors.is_empty() {
        return Err(Failure::content(errors));
    }
    env.set_formatter(|out, state, value| match value.as_str() {
        Some(text) if !value.is_safe() && matches!(state.auto_escape(), minijinja::AutoEscape::Html) => {
            out.write_str(&markdown::html_escape(text)).map_err(minijinja::Error::from)
        }
        _ => minijinja::escape_formatter(out, state, value),
    });
    let language = site.config.language;
    env.add_filter("percent", move |share: f64| stats::percent(share, language));
    env.add_filter("date", move |iso: String| format_date(&iso, language));
    env.add_global("t", value(&theme.strings.0));
    env.add_global("site", value(site_view(site, theme)));
    Ok(env)
}

fn template_error(error: &minijinja::Error, theme: &Theme) -> Diagnostic {
    let name = error.name().unwrap_or("");
    let path = theme.templates.get(name).map_or_else(|| format!("templates/{name}"), |t| t.path.clone());
    let mut detail = error.detail().map_or_else(|| error.kind().to_string(), |d| format!("{}: {d}", error.kind()));
    if let Some(source) = std::error::Error::source(error) {
        detail = format!("{detail} ({source})");
    }
    Diagnostic::error(
        path,
        (error.line().unwrap_or(1), 1),
        msg!("template_error", detail = detail),
        Some(msg!("hint_template")),
    )
}

/// "2020-09-21" → "21/09/2020" in Vietnamese, "21 Sep 2020" in English.
fn format_date(iso: &str, language: crate::config::Language) -> String {
    let parts: Vec<&str> = iso.split('-').collect();
    let [year, month, day] = parts[..] else {
        return iso.to_string();
    };
    match language {
        crate::config::Language::Vi => format!("{day}/{month}/{year}"),
        crate::config::Language::En => {
            const MONTHS: [&str; 12] =
                ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
            let name = month.parse::<usize>().ok().and_then(|m| MONTHS.get(m.wrapping_sub(1))).unwrap_or(&month);
            format!("{} {name} {year}", day.trim_start_matches('0'))
        }
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

#[derive(Serialize)]
struct LevelView<'a> {
    id: &'a str,
    slug: &'a str,
    name: &'a str,
    description: Option<&'a str>,
    path: String,
}

#[derive(Serialize)]
struct PostalView<'a> {
    word: &'static str,
    slug: &'static str,
    name: &'a str,
    description: &'a str,
    path: String,
}

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: Option<&'a str>,
    base_url: &'a str,
    base_path: &'a str,
    language: &'static str,
    organization: Option<&'a crate::config::Organization>,
    levels: Vec<LevelView<'a>>,
    postal_modes: Vec<PostalView<'a>>,
    pages: Vec<PageLink<'a>>,
    stylesheet: String,
    home_url: String,
}

/// A plain page, linked from every page's footer.
#[derive(Serialize)]
struct PageLink<'a> {
    title: &'a str,
    path: String,
}

fn site_view<'a>(site: &'a Site, theme: &'a Theme) -> SiteView<'a> {
    let css = theme
        .static_files
        .get(STYLESHEET.trim_start_matches("assets/"))
        .map_or_else(String::new, |b| text::short_hash(&String::from_utf8_lossy(b)));
    SiteView {
        title: &site.config.title,
        description: site.config.description.as_deref(),
        base_url: &site.config.base_url,
        base_path: site.config.base_path(),
        language: site.config.language.code(),
        organization: site.config.organization.as_ref(),
        levels: site.config.service_levels.iter().map(level_view).collect(),
        postal_modes: Postal::ALL.iter().map(|&m| postal_view(m, theme)).collect(),
        pages: site.pages.iter().map(|p| PageLink { title: &p.title, path: link(&p.url()) }).collect(),
        stylesheet: format!("{STYLESHEET}?v={css}"),
        home_url: site.config.absolute_url("/"),
    }
}

fn level_view(level: &crate::config::ServiceLevel) -> LevelView<'_> {
    LevelView {
        id: &level.id,
        slug: &level.slug,
        name: &level.name,
        description: level.description.as_deref(),
        path: format!("muc-do/{}/", level.slug),
    }
}

fn postal_view(mode: Postal, theme: &Theme) -> PostalView<'_> {
    PostalView {
        word: mode.word(),
        slug: mode.slug(),
        name: theme.strings.get(mode.name_key()),
        description: theme.strings.get(mode.description_key()),
        path: link(&postal_url(mode)),
    }
}

/// A procedure as lists show it.
#[derive(Serialize)]
struct ItemView<'a> {
    title: &'a str,
    code: &'a str,
    path: String,
    field: &'a str,
    field_path: String,
    agency: &'a str,
    agency_path: String,
    level: &'a str,
    level_name: &'a str,
    level_path: String,
    postal: &'static str,
    postal_name: &'a str,
    postal_path: String,
    status: &'static str,
    processing_time: Option<&'a str>,
    draft: bool,
}

/// A notice as lists show it.
#[derive(Serialize)]
struct NoticeItem<'a> {
    title: &'a str,
    date: String,
    summary: Option<&'a str>,
    path: String,
    draft: bool,
}

/// Values shared by every page that lists them, each made once: a
/// procedure's list item when a page first needs it (so the preview, which
/// renders one page at a time, makes only the items it shows).
struct Views {
    items: Vec<OnceLock<Value>>,
    notices: Vec<Value>,
}

impl Views {
    fn new(site: &Site) -> Views {
        let notices = site
            .notices
            .iter()
            .map(|n| {
                value(NoticeItem {
                    title: &n.title,
                    date: n.date.iso(),
                    summary: n.summary.as_deref(),
                    path: link(&n.url()),
                    draft: n.draft,
                })
            })
            .collect();
        Views { items: site.procedures.iter().map(|_| OnceLock::new()).collect(), notices }
    }
}

/// Procedure `i` as lists show it.
fn item_view(site: &Site, theme: &Theme, i: usize) -> Value {
    let p = &site.procedures[i];
    let level = site.config.level(&p.service_level).expect("levels are checked when files are read");
    value(ItemView {
        title: &p.title,
        code: &p.code.value,
        path: link(&p.url()),
        field: &p.field,
        field_path: format!("linh-vuc/{}/", site.field_of(i).slug),
        agency: &p.agency,
        agency_path: format!("co-quan/{}/", site.agency_of(i).slug),
        level: &level.id,
        level_name: &level.name,
        level_path: format!("muc-do/{}/", level.slug),
        postal: p.postal.word(),
        postal_name: theme.strings.get(p.postal.name_key()),
        postal_path: link(&postal_url(p.postal)),
        status: p.status.word(),
        processing_time: p.processing_time.as_deref(),
        draft: p.draft,
    })
}

/// One page of the site to render.
enum Job {
    Home,
    AllProcedures,
    Procedure(usize),
    LevelsOverview,
    Level(usize),
    PostalOverview,
    Postal(Postal),
    FieldsOverview,
    Field(usize),
    AgenciesOverview,
    Agency(usize),
    Stats,
    Search,
    Notices,
    Notice(usize),
    Page(usize),
    NotFound,
    Alias { from: String, to: String },
}

fn jobs(site: &Site) -> Vec<Job> {
    let mut jobs = vec![
        Job::Home,
        Job::AllProcedures,
        Job::LevelsOverview,
        Job::PostalOverview,
        Job::FieldsOverview,
        Job::AgenciesOverview,
        Job::Stats,
        Job::Search,
        Job::Notices,
        Job::NotFound,
    ];
    jobs.extend((0..site.procedures.len()).map(Job::Procedure));
    jobs.extend((0..site.config.service_levels.len()).map(Job::Level));
    jobs.extend(Postal::ALL.into_iter().map(Job::Postal));
    jobs.extend((0..site.fields.len()).map(Job::Field));
    jobs.extend((0..site.agencies.len()).map(Job::Agency));
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
        Job::AllProcedures => "/thu-tuc/".into(),
        Job::Procedure(i) => site.procedures[*i].url(),
        Job::LevelsOverview => "/muc-do/".into(),
        Job::Level(i) => format!("/muc-do/{}/", site.config.service_levels[*i].slug),
        Job::PostalOverview => "/buu-chinh/".into(),
        Job::Postal(mode) => postal_url(*mode),
        Job::FieldsOverview => "/linh-vuc/".into(),
        Job::Field(i) => format!("/linh-vuc/{}/", site.fields[*i].slug),
        Job::AgenciesOverview => "/co-quan/".into(),
        Job::Agency(i) => format!("/co-quan/{}/", site.agencies[*i].slug),
        Job::Stats => "/thong-ke/".into(),
        Job::Search => "/tim-kiem/".into(),
        Job::Notices => "/tin-tuc/".into(),
        Job::Notice(i) => site.notices[*i].url(),
        Job::Page(i) => site.pages[*i].url(),
        Job::NotFound => "/404.html".into(),
        Job::Alias { from, .. } => from.clone(),
    }
}

/// What a job renders: a site path, a template and its context.
struct PageOut {
    path: String,
    template: &'static str,
    context: Value,
}

/// A link in the breadcrumb trail; the last one is the page itself.
#[derive(Serialize)]
struct Crumb {
    title: String,
    path: Option<String>,
}

/// An entry of an overview page (`/muc-do/`, `/buu-chinh/`, …).
#[derive(Serialize)]
struct Entry<'a> {
    name: &'a str,
    description: Option<&'a str>,
    path: String,
    count: usize,
}

/// What a procedure's own page shows beyond its list item.
#[derive(Serialize)]
struct ProcedureDetails<'a> {
    tier: Option<&'a str>,
    fee: Option<&'a str>,
    submit_at: Option<&'a str>,
    online_url: Option<&'a str>,
    decision: Option<&'a str>,
    decision_date: Option<String>,
    updated: Option<String>,
    applicants: &'a [String],
    keywords: &'a [String],
    channels: &'a [Channel],
    extra: Option<&'a serde_json::Value>,
    level_description: Option<&'a str>,
}

/// Builds each page's context from the model, the theme's strings and the shared views.
struct Pages<'a> {
    site: &'a Site,
    theme: &'a Theme,
    views: &'a Views,
}

impl Pages<'_> {
    fn t(&self, key: &'static str) -> &str {
        self.theme.strings.get(key)
    }

    /// Procedure `i` as lists show it.
    fn item(&self, i: usize) -> Value {
        self.views.items[i].get_or_init(|| item_view(self.site, self.theme, i)).clone()
    }

    /// The procedures at `indexes` as lists show them.
    fn items(&self, indexes: &[usize]) -> Value {
        Value::from(indexes.iter().map(|&i| self.item(i)).collect::<Vec<_>>())
    }

    fn page(&self, job: &Job) -> PageOut {
        let (site, views) = (self.site, self.views);
        let url = page_path(job, site);
        match job {
            Job::Home => {
                let body = site.home.as_deref().map(|md| self.body_html(md, "/"));
                let latest: Vec<Value> = views.notices.iter().take(5).cloned().collect();
                let ctx = context! {
                    body,
                    latest,
                    total => site.active().len(),
                    levels => value(self.level_entries()),
                    postal => value(self.postal_entries()),
                    fields => value(entries(&site.fields, "linh-vuc")),
                    agencies => value(entries(&site.agencies, "co-quan")),
                    json_ld => Value::from_safe_string(structured_data::home(site)),
                };
                self.out(&url, "index.html", self.t("nav_home"), vec![], ctx)
            }
            Job::AllProcedures => {
                let groups: Vec<Value> = site
                    .fields
                    .iter()
                    .filter(|f| !f.active.is_empty())
                    .map(|f| context! { name => f.name.as_str(), path => format!("linh-vuc/{}/", f.slug), items => self.items(&f.active) })
                    .collect();
                let abolished: Vec<usize> =
                    (0..site.procedures.len()).filter(|&i| !site.procedures[i].is_active()).collect();
                let ctx = context! { groups, total => site.active().len(), abolished => self.items(&abolished) };
                self.out(&url, "procedures.html", self.t("all_procedures"), vec![], ctx)
            }
            Job::Procedure(i) => self.procedure(*i, &url),
            Job::LevelsOverview => self.overview(&url, "levels_title", "levels_intro", self.level_entries()),
            Job::Level(i) => {
                let level = &site.config.service_levels[*i];
                let items = self.items(&site.at_level(&level.id));
                let trail = vec![self.crumb("levels_title", "/muc-do/")];
                self.filter(&url, &level.name, level.description.as_deref(), trail, items)
            }
            Job::PostalOverview => self.overview(&url, "postal_title", "postal_intro", self.postal_entries()),
            Job::Postal(mode) => {
                let items = self.items(&site.with_postal(*mode));
                let trail = vec![self.crumb("postal_title", "/buu-chinh/")];
                let description = Some(self.t(mode.description_key()));
                self.filter(&url, self.t(mode.name_key()), description, trail, items)
            }
            Job::FieldsOverview => {
                self.overview(&url, "fields_title", "fields_intro", entries(&site.fields, "linh-vuc"))
            }
            Job::Field(i) => self.group(&url, &site.fields[*i], "linh-vuc", "fields_title"),
            Job::AgenciesOverview => {
                self.overview(&url, "agencies_title", "agencies_intro", entries(&site.agencies, "co-quan"))
            }
            Job::Agency(i) => self.group(&url, &site.agencies[*i], "co-quan", "agencies_title"),
            Job::Stats => {
                let stats = stats::compute(site);
                let cut = |label: &str, chars: usize| match label.char_indices().nth(chars) {
                    Some((end, _)) => format!("{}…", label[..end].trim_end()),
                    None => label.to_string(),
                };
                let bar = |label: &str, count: usize, share: f64| {
                    context! { label, short => cut(label, 26), long => cut(label, 60), count, share }
                };
                let charts = context! {
                    levels => stats.levels.iter().map(|l| bar(&l.name, l.count, l.share)).collect::<Vec<_>>(),
                    postal => stats.postal.iter().zip(Postal::ALL).map(|(p, m)| bar(self.t(m.name_key()), p.count, p.share)).collect::<Vec<_>>(),
                    fields => stats.fields.iter().take(10).map(|f| bar(&f.name, f.count, f.share)).collect::<Vec<_>>(),
                };
                let ctx = context! { stats => value(&stats), charts };
                self.out(&url, "stats.html", self.t("stats_title"), vec![], ctx)
            }
            Job::Search => self.out(&url, "search.html", self.t("search_title"), vec![], context! {}),
            Job::Notices => {
                let ctx = context! { notices => Value::from(views.notices.clone()) };
                self.out(&url, "notices.html", self.t("notices_title"), vec![], ctx)
            }
            Job::Notice(i) => {
                let n = &site.notices[*i];
                let notice = context! {
                    title => n.title.as_str(),
                    date => n.date.iso(),
                    summary => n.summary.as_deref(),
                    body => self.body_html(&n.body, &url),
                    procedures => self.items(&site.notice_procedures[*i]),
                    draft => n.draft,
                };
                let trail = vec![self.crumb("notices_title", "/tin-tuc/")];
                let json_ld = Value::from_safe_string(structured_data::notice(site, *i));
                let ctx = context! { notice, description => n.summary.as_deref(), json_ld, og_type => "article" };
                self.out(&url, "notice.html", &n.title, trail, ctx)
            }
            Job::Page(i) => {
                let p = &site.pages[*i];
                let ctx = context! { body => self.body_html(&p.body, &url), draft => p.draft };
                self.out(&url, "page.html", &p.title, vec![], ctx)
            }
            Job::NotFound => self.out(&url, "404.html", self.t("not_found_title"), vec![], context! {}),
            Job::Alias { from, to } => {
                let ctx = context! {
                    target => format!("{}{}", root_of(from), link(to)),
                    target_url => site.config.absolute_url(to),
                    title => self.t("redirect_title"),
                };
                PageOut { path: url, template: "redirect.html", context: ctx }
            }
        }
    }

    fn procedure(&self, i: usize, url: &str) -> PageOut {
        let (site, p) = (self.site, &self.site.procedures[i]);
        let rendered = self.render_markdown(&p.body, url);
        let toc: Vec<_> = rendered.headings.iter().filter(|h| h.level == 2).collect();
        let level = site.config.level(&p.service_level).expect("levels are checked when files are read");
        let details = ProcedureDetails {
            tier: p.tier.as_deref(),
            fee: p.fee.as_deref(),
            submit_at: p.submit_at.as_deref(),
            online_url: p.online_url.as_deref(),
            decision: p.decision.as_deref(),
            decision_date: p.decision_date.map(|d| d.iso()),
            updated: p.updated.map(|d| d.iso()),
            applicants: &p.applicants,
            keywords: &p.keywords,
            channels: &p.channels,
            extra: p.extra.as_ref(),
            level_description: level.description.as_deref(),
        };
        let related: Vec<Value> = site.related_notices[i].iter().map(|&n| self.views.notices[n].clone()).collect();
        let description = format!("{} {} · {} · {}", self.t("code"), p.code.value, p.field, level.name);
        let ctx = context! {
            procedure => minijinja::value::merge_maps([self.item(i), value(details)]),
            body => Value::from_safe_string(rendered.html),
            toc => value(toc),
            related,
            description,
            json_ld => Value::from_safe_string(structured_data::procedure(site, &self.theme.strings, i)),
            og_type => "article",
        };
        let trail = vec![self.crumb("all_procedures", "/thu-tuc/")];
        self.out(url, "procedure.html", &p.title, trail, ctx)
    }

    fn filter(&self, url: &str, title: &str, description: Option<&str>, trail: Vec<Crumb>, items: Value) -> PageOut {
        let ctx = context! { items, intro => description, description };
        self.out(url, "filter.html", title, trail, ctx)
    }

    fn group(&self, url: &str, group: &Group, prefix: &str, parent_key: &'static str) -> PageOut {
        let trail = vec![self.crumb(parent_key, &format!("/{prefix}/"))];
        let items = self.items(&group.active);
        self.filter(url, &group.name, None, trail, items)
    }

    fn overview(
        &self,
        url: &str,
        title_key: &'static str,
        intro_key: &'static str,
        entries: Vec<Entry<'_>>,
    ) -> PageOut {
        let ctx = context! { entries => value(entries), intro => self.t(intro_key), description => self.t(intro_key) };
        self.out(url, "overview.html", self.t(title_key), vec![], ctx)
    }

    fn level_entries(&self) -> Vec<Entry<'_>> {
        self.site
            .config
            .service_levels
            .iter()
            .map(|l| Entry {
                name: &l.name,
                description: l.description.as_deref(),
                path: format!("muc-do/{}/", l.slug),
                count: self.site.at_level(&l.id).len(),
            })
            .collect()
    }

    fn postal_entries(&self) -> Vec<Entry<'_>> {
        Postal::ALL
            .iter()
            .map(|&m| Entry {
                name: self.t(m.name_key()),
                description: Some(self.t(m.description_key())),
                path: link(&postal_url(m)),
                count: self.site.with_postal(m).len(),
            })
            .collect()
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
        PageOut { path: url.to_string(), template, context: context! { page, root, ..ctx } }
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

fn entries<'a>(groups: &'a [Group], prefix: &str) -> Vec<Entry<'a>> {
    groups
        .iter()
        .map(|g| Entry {
            name: &g.name,
            description: None,
            path: format!("{prefix}/{}/", g.slug),
            count: g.active.len(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_is_found_at_the_path_it_renders() {
        let options = crate::Options { root: env!("CARGO_MANIFEST_DIR").into(), drafts: true, ..Default::default() };
        let (site, theme) = crate::load(&options).expect("the demo site loads");
        let views = Views::new(&site);
        let pages = Pages { site: &site, theme: &theme, views: &views };
        for job in jobs(&site) {
            assert_eq!(page_path(&job, &site), pages.page(&job).path);
        }
    }

    #[test]
    fn roots_lead_back_to_the_site_root() {
        assert_eq!(root_of("/"), "./");
        assert_eq!(root_of("/thu-tuc/x/"), "../../");
        assert_eq!(root_of("/old.html"), "./");
    }
}
