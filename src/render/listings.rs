//! Listings, page by page ([`crate::listing`]): all procedures grouped by
//! field, the filter pages by level, postal mode, field and agency (each
//! with its count by field on page 1), the page links of every listing, and
//! the overviews of levels, postal modes, fields and agencies.

use minijinja::{context, Value};
use serde::Serialize;

use super::{link, value, Crumb, PageOut, Pages};
use crate::content::procedure::Postal;
use crate::listing::{self, Listing};
use crate::site::{postal_url, Group};

/// An entry of an overview page (`/muc-do/`, `/buu-chinh/`, …).
#[derive(Serialize)]
pub(super) struct Entry<'a> {
    name: &'a str,
    description: Option<&'a str>,
    path: String,
    count: usize,
}
/// Where a listing page is among its listing's pages, and the links to the others.
#[derive(Serialize)]
pub(super) struct Pager {
    /// This page's number, from 1.
    number: usize,
    /// How many pages the listing has.
    count: usize,
    /// "Trang 2/37", in the site's language.
    position: String,
    previous: Option<String>,
    next: Option<String>,
    /// The pages to link to, in order; a link without a number is a gap.
    links: Vec<PagerLink>,
}

/// One page link of a [`Pager`].
#[derive(Serialize)]
struct PagerLink {
    number: Option<usize>,
    path: String,
    current: bool,
}

/// A part of a page of `/thu-tuc/`: the procedures of one field, or the abolished ones.
#[derive(Serialize)]
struct Section {
    name: String,
    /// The field's page; none for the abolished procedures.
    path: Option<String>,
    /// The heading's id, which the field counts on page 1 link to.
    id: String,
    /// Whether the field's list began on an earlier page.
    continued: bool,
    items: Value,
}

/// A count of a listing's procedures in one field, shown at its top.
#[derive(Serialize)]
struct FieldCount<'a> {
    name: &'a str,
    count: usize,
    /// Where the field's part of the listing starts (on `/thu-tuc/` only).
    path: Option<String>,
}

impl Pages<'_> {
    /// Page `number` of `listing`.
    pub(super) fn listing(&self, listing: Listing, number: usize, url: &str) -> PageOut {
        let site = self.site;
        let all = self.views.listing(site, listing);
        let shown = listing::page_of(all, number);
        let pager = self.pager(&listing.url(site), number, listing::page_count(all.len()));
        match listing {
            Listing::All => self.all_procedures(url, all, shown, number, pager),
            Listing::Notices => self.notices(url, shown, pager),
            Listing::Level(i) => {
                let level = &site.config.service_levels[i];
                let trail = vec![self.crumb("levels_title", "/muc-do/")];
                self.filter(url, &level.name, level.description.as_deref(), trail, (all, shown, number), pager)
            }
            Listing::Postal(mode) => {
                let trail = vec![self.crumb("postal_title", "/buu-chinh/")];
                let description = Some(self.t(mode.description_key()));
                self.filter(url, self.t(mode.name_key()), description, trail, (all, shown, number), pager)
            }
            Listing::Field(i) => {
                let trail = vec![self.crumb("fields_title", "/linh-vuc/")];
                self.filter(url, &site.fields[i].name, None, trail, (all, shown, number), pager)
            }
            Listing::Agency(i) => {
                let trail = vec![self.crumb("agencies_title", "/co-quan/")];
                self.filter(url, &site.agencies[i].name, None, trail, (all, shown, number), pager)
            }
        }
    }

    /// Page `number` of `/thu-tuc/`, whose procedures (`all`) are the active
    /// ones grouped by field, then the abolished ones; it shows `shown`.
    fn all_procedures(&self, url: &str, all: &[usize], shown: &[usize], number: usize, pager: Pager) -> PageOut {
        let site = self.site;
        let first = (number - 1) * listing::PAGE_SIZE;
        let mut sections: Vec<Section> = Vec::new();
        let mut start = 0;
        while start < shown.len() {
            let key = |i: usize| site.procedures[i].is_active().then(|| site.field_index(i));
            let section = key(shown[start]);
            let end = start + shown[start..].iter().take_while(|&&i| key(i) == section).count();
            let continued = first + start > 0 && key(all[first + start - 1]) == section;
            let items = self.items(&shown[start..end]);
            sections.push(match section {
                Some(f) => {
                    let field = &site.fields[f];
                    Section {
                        name: field.name.clone(),
                        path: Some(format!("linh-vuc/{}/", field.slug)),
                        id: format!("nm-field-{}", field.slug),
                        continued,
                        items,
                    }
                }
                None => Section {
                    name: self.t("abolished_procedures").to_string(),
                    path: None,
                    id: "nm-abolished".to_string(),
                    continued,
                    items,
                },
            });
            start = end;
        }
        let mut fields = Vec::new();
        if number == 1 {
            let mut at = 0;
            for field in site.fields.iter().filter(|f| !f.active.is_empty()) {
                let page = link(&listing::page_url("/thu-tuc/", at / listing::PAGE_SIZE + 1));
                let path = Some(format!("{page}#nm-field-{}", field.slug));
                fields.push(FieldCount { name: &field.name, count: field.active.len(), path });
                at += field.active.len();
            }
        }
        let ctx = context! {
            sections => value(sections),
            total => site.active_count(),
            fields => value(fields),
            pager => value(pager),
        };
        self.out(url, "procedures.html", self.t("all_procedures"), vec![], ctx)
    }

    /// A filter page: page `number` of the procedures `all`, showing `shown`,
    /// with the count by field of the whole list on page 1.
    fn filter(
        &self,
        url: &str,
        title: &str,
        description: Option<&str>,
        trail: Vec<Crumb>,
        (all, shown, number): (&[usize], &[usize], usize),
        pager: Pager,
    ) -> PageOut {
        let fields = if number == 1 { self.field_counts(all) } else { Vec::new() };
        let ctx = context! {
            items => self.items(shown),
            total => all.len(),
            fields => value(fields),
            pager => value(pager),
            intro => description,
            description,
        };
        self.out(url, "filter.html", title, trail, ctx)
    }

    /// How many of the procedures `indexes` each field has, in the order of
    /// fields; nothing when they are all of one field.
    fn field_counts(&self, indexes: &[usize]) -> Vec<FieldCount<'_>> {
        let mut counts = vec![0; self.site.fields.len()];
        for &i in indexes {
            counts[self.site.field_index(i)] += 1;
        }
        let fields: Vec<FieldCount<'_>> = counts
            .iter()
            .zip(&self.site.fields)
            .filter(|(&count, _)| count > 0)
            .map(|(&count, field)| FieldCount { name: &field.name, count, path: None })
            .collect();
        if fields.len() > 1 {
            fields
        } else {
            Vec::new()
        }
    }

    /// Where page `number` of the listing at `first` is among its `count`
    /// pages, with the links to the others.
    pub(super) fn pager(&self, first: &str, number: usize, count: usize) -> Pager {
        let path = |n: usize| link(&listing::page_url(first, n));
        let position =
            self.t("page_position").replace("{n}", &number.to_string()).replace("{total}", &count.to_string());
        Pager {
            number,
            count,
            position,
            previous: (number > 1).then(|| path(number - 1)),
            next: (number < count).then(|| path(number + 1)),
            links: listing::page_links(number, count)
                .into_iter()
                .map(|n| PagerLink { number: n, path: n.map(path).unwrap_or_default(), current: n == Some(number) })
                .collect(),
        }
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
