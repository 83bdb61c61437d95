//! List items: procedures and notices as every list shows them, each made
//! once and shared by the pages that list it.

use std::collections::HashMap;
use std::sync::OnceLock;

use minijinja::Value;
use serde::Serialize;

use super::{link, value};
use crate::cache::Fingerprint;
use crate::listing::Listing;
use crate::site::{postal_url, Site};
use crate::theme::Theme;

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
/// procedure's list item, or what a listing holds, when a page first needs
/// it (so the preview, which renders one page at a time, makes only what it
/// shows).
pub(super) struct Views {
    pub(super) items: Vec<OnceLock<Value>>,
    /// Each procedure's item, hashed: what a page's fingerprint holds of it.
    pub(super) item_fingerprints: Vec<OnceLock<Fingerprint>>,
    pub(super) notices: Vec<Value>,
    listings: HashMap<Listing, OnceLock<Vec<usize>>>,
}

impl Views {
    /// The notices as lists show them, and a place for each procedure's item.
    pub(super) fn new(site: &Site) -> Views {
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
        let listings = Listing::every(site).into_iter().map(|l| (l, OnceLock::new())).collect();
        Views {
            items: site.procedures.iter().map(|_| OnceLock::new()).collect(),
            item_fingerprints: site.procedures.iter().map(|_| OnceLock::new()).collect(),
            notices,
            listings,
        }
    }

    /// What `listing` holds, in order ([`Listing::items`]).
    pub(super) fn listing(&self, site: &Site, listing: Listing) -> &[usize] {
        self.listings[&listing].get_or_init(|| listing.items(site))
    }
}

/// Procedure `i` as lists show it.
pub(super) fn item_view(site: &Site, theme: &Theme, i: usize) -> Value {
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
