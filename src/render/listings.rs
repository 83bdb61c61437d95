//! Listings of procedures: all of them grouped by field, and the filter
//! pages by level, postal mode, field and agency, with their overviews.

use minijinja::{context, Value};
use serde::Serialize;

use super::{link, value, Crumb, PageOut, Pages};
use crate::content::procedure::Postal;
use crate::site::{postal_url, Group};

/// An entry of an overview page (`/muc-do/`, `/buu-chinh/`, …).
#[derive(Serialize)]
pub(super) struct Entry<'a> {
    name: &'a str,
    description: Option<&'a str>,
    path: String,
    count: usize,
}
impl Pages<'_> {
    /// `/thu-tuc/`: every active procedure grouped by field, then the abolished ones.
    pub(super) fn all_procedures(&self, url: &str) -> PageOut {
        let site = self.site;
        let groups: Vec<Value> = site
            .fields
            .iter()
            .filter(|f| !f.active.is_empty())
            .map(|f| context! { name => f.name.as_str(), path => format!("linh-vuc/{}/", f.slug), items => self.items(&f.active) })
            .collect();
        let abolished: Vec<usize> = (0..site.procedures.len()).filter(|&i| !site.procedures[i].is_active()).collect();
        let ctx = context! { groups, total => site.active().len(), abolished => self.items(&abolished) };
        self.out(url, "procedures.html", self.t("all_procedures"), vec![], ctx)
    }

    /// The filter page of service level `i`.
    pub(super) fn level(&self, i: usize, url: &str) -> PageOut {
        let level = &self.site.config.service_levels[i];
        let items = self.items(&self.site.at_level(&level.id));
        let trail = vec![self.crumb("levels_title", "/muc-do/")];
        self.filter(url, &level.name, level.description.as_deref(), trail, items)
    }

    /// The filter page of a postal mode.
    pub(super) fn postal(&self, mode: Postal, url: &str) -> PageOut {
        let items = self.items(&self.site.with_postal(mode));
        let trail = vec![self.crumb("postal_title", "/buu-chinh/")];
        let description = Some(self.t(mode.description_key()));
        self.filter(url, self.t(mode.name_key()), description, trail, items)
    }

    /// A filter page listing `items`.
    pub(super) fn filter(
        &self,
        url: &str,
        title: &str,
        description: Option<&str>,
        trail: Vec<Crumb>,
        items: Value,
    ) -> PageOut {
        let ctx = context! { items, intro => description, description };
        self.out(url, "filter.html", title, trail, ctx)
    }

    /// The filter page of a field or an agency.
    pub(super) fn group(&self, url: &str, group: &Group, prefix: &str, parent_key: &'static str) -> PageOut {
        let trail = vec![self.crumb(parent_key, &format!("/{prefix}/"))];
        let items = self.items(&group.active);
        self.filter(url, &group.name, None, trail, items)
    }

    /// An overview page (`/muc-do/`, `/linh-vuc/`, …): each entry with its count.
    pub(super) fn overview(
        &self,
        url: &str,
        title_key: &'static str,
        intro_key: &'static str,
        entries: Vec<Entry<'_>>,
    ) -> PageOut {
        let ctx = context! { entries => value(entries), intro => self.t(intro_key), description => self.t(intro_key) };
        self.out(url, "overview.html", self.t(title_key), vec![], ctx)
    }

    /// Each service level as an overview entry.
    pub(super) fn level_entries(&self) -> Vec<Entry<'_>> {
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

    /// Each postal mode as an overview entry.
    pub(super) fn postal_entries(&self) -> Vec<Entry<'_>> {
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
}

/// Each field or agency as an overview entry; `prefix` is its folder.
pub(super) fn entries<'a>(groups: &'a [Group], prefix: &str) -> Vec<Entry<'a>> {
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
