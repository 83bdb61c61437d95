//! The template environment: the theme's templates, the filters they use
//! (`percent`, `date`), the `shared` function, and what every page sees
//! (`t`, the theme's strings; `site`, the site's name, levels, postal modes
//! and plain pages).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use minijinja::value::{Enumerator, Object};
use minijinja::{context, Environment, Error, State, Value};
use rustc_hash::FxHashMap;
use serde::Serialize;

use super::{link, value, STYLESHEET};
use crate::cache::{Fingerprint, Hasher};
use crate::content::procedure::Postal;
use crate::diagnostics::{Diagnostic, Failure};
use crate::markdown;
use crate::msg;
use crate::site::{postal_url, Site};
use crate::stats;
use crate::text;
use crate::theme::Theme;

/// What every page is made from besides its own context: site.toml, the
/// theme (templates, strings, static files) and the globals, hashed. The
/// rebuild cache keeps nothing when it changes.
pub(super) fn fingerprint(site: &Site, theme: &Theme) -> Fingerprint {
    let mut hasher = Hasher::new().value(&site.config).value(&theme.strings.0).value(&site_view(site, theme));
    for template in theme.templates.values() {
        hasher = hasher.text(&template.name).text(&template.source);
    }
    for (name, bytes) in &theme.static_files {
        hasher = hasher.text(name).bytes(bytes);
    }
    hasher.finish()
}

/// What every template sees besides a page's own context: the theme's
/// strings (`t`) and the site (`site`), made once for all pages.
pub(super) struct Globals {
    pub(super) t: Value,
    pub(super) site: Value,
}

impl Globals {
    /// The globals of `site` with `theme`.
    fn new(site: &Site, theme: &Theme) -> Globals {
        Globals { t: strings_value(&theme.strings.0), site: value(site_view(site, theme)) }
    }
}

/// The template environment of a site: its theme's templates, filters and
/// globals, with the globals themselves, which every page's context answers
/// too (`super::PageContext`).
pub(super) fn environment(site: &Site, theme: &Theme) -> Result<(Environment<'static>, Globals), Failure> {
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
            markdown::write_escaped(out, text).map_err(minijinja::Error::from)
        }
        _ => minijinja::escape_formatter(out, state, value),
    });
    let language = site.config.language;
    env.add_filter("percent", move |share: f64| stats::percent(share, language));
    env.add_filter("date", move |iso: String| format_date(&iso, language));
    env.add_function("shared", shared());
    let globals = Globals::new(site, theme);
    env.add_global("t", globals.t.clone());
    env.add_global("site", globals.site.clone());
    Ok((env, globals))
}

/// The templates' `shared` function: `{{ shared("footer.html") }}` renders
/// the template with only `root` (and the globals, `site` and `t`) once for
/// each `root` a page has, and gives every page with that `root` the same
/// HTML. It is for what is the same on every page, such as the footer:
/// made once, not for each of a hundred thousand pages.
fn shared() -> impl Fn(&State, String) -> Result<Value, Error> + Send + Sync + 'static {
    let made: Mutex<FxHashMap<(String, String), Value>> = Mutex::default();
    move |state, name| {
        let root = state.lookup("root").map(|root| root.to_string()).unwrap_or_default();
        let key = (name, root);
        if let Some(html) = made.lock().expect("not poisoned").get(&key) {
            return Ok(html.clone());
        }
        let html = state.env().get_template(&key.0)?.render(context! { root => &key.1 })?;
        let html = Value::from_safe_string(html);
        made.lock().expect("not poisoned").insert(key, html.clone());
        Ok(html)
    }
}

/// The theme's strings as templates see them (`t`): a page looks up dozens
/// of them, each by hashing its key once rather than comparing it with the
/// keys along a sorted tree.
fn strings_value(strings: &BTreeMap<String, String>) -> Value {
    let map = strings.iter().map(|(key, text)| (key.clone(), Value::from(text.as_str()))).collect();
    Value::from_object(StringsView(map))
}

/// The theme's strings by key, as [`strings_value`] gives them to templates.
#[derive(Debug)]
struct StringsView(FxHashMap<String, Value>);

impl Object for StringsView {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.get_value_by_str(key.as_str()?)
    }

    fn get_value_by_str(self: &Arc<Self>, key: &str) -> Option<Value> {
        self.0.get(key).cloned()
    }

    /// The keys in order, as a sorted map gives them.
    fn enumerate(self: &Arc<Self>) -> Enumerator {
        let mut keys: Vec<&String> = self.0.keys().collect();
        keys.sort_unstable();
        Enumerator::Values(keys.into_iter().map(|key| Value::from(key.as_str())).collect())
    }
}

/// A template's error as a diagnostic on the theme file.
pub(super) fn template_error(error: &minijinja::Error, theme: &Theme) -> Diagnostic {
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
fn format_date(iso: &str, language: crate::messages::Language) -> String {
    let parts: Vec<&str> = iso.split('-').collect();
    let [year, month, day] = parts[..] else {
        return iso.to_string();
    };
    match language {
        crate::messages::Language::Vi => format!("{day}/{month}/{year}"),
        crate::messages::Language::En => {
            const MONTHS: [&str; 12] =
                ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
            let name = month.parse::<usize>().ok().and_then(|m| MONTHS.get(m.wrapping_sub(1))).unwrap_or(&month);
            format!("{} {name} {year}", day.trim_start_matches('0'))
        }
    }
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
