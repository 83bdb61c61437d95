//! Listings and their numbered pages (contract §5): which lists of
//! procedures and notices the site has, what each holds in which order, and
//! the address of each of its pages. A listing longer than [`PAGE_SIZE`]
//! continues on `<its URL>trang/2/`, `trang/3/`, …; page 1 is its own URL.
//! The site model names the pages from here, and rendering fills them.

use crate::content::procedure::Postal;
use crate::site::{postal_url, Site};

/// How many procedures or notices one listing page holds: 50 keeps a page
/// around 25 KB (4 KB gzip) whatever the size of the catalogue.
pub const PAGE_SIZE: usize = 50;

/// The folder under a listing's URL that holds its pages 2, 3, …
pub const PAGES_FOLDER: &str = "trang";

/// A list that is split into numbered pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Listing {
    /// `/thu-tuc/`: every active procedure grouped by field, then the abolished ones.
    All,
    /// `/muc-do/<level>/`: the active procedures of the service level at this index.
    Level(usize),
    /// `/buu-chinh/<mode>/`: the active procedures with this postal mode.
    Postal(Postal),
    /// `/linh-vuc/<slug>/`: the active procedures of the field at this index.
    Field(usize),
    /// `/co-quan/<slug>/`: the active procedures of the agency at this index.
    Agency(usize),
    /// `/tin-tuc/`: every notice, newest first.
    Notices,
}

impl Listing {
    /// Every listing of the site.
    pub fn every(site: &Site) -> Vec<Listing> {
        let mut all = vec![Listing::All, Listing::Notices];
        all.extend((0..site.config.service_levels.len()).map(Listing::Level));
        all.extend(Postal::ALL.into_iter().map(Listing::Postal));
        all.extend((0..site.fields.len()).map(Listing::Field));
        all.extend((0..site.agencies.len()).map(Listing::Agency));
        all
    }

    /// The site path of the listing's first page, such as `/muc-do/4/`.
    pub fn url(&self, site: &Site) -> String {
        match self {
            Listing::All => "/thu-tuc/".into(),
            Listing::Level(i) => format!("/muc-do/{}/", site.config.service_levels[*i].slug),
            Listing::Postal(mode) => postal_url(*mode),
            Listing::Field(i) => format!("/linh-vuc/{}/", site.fields[*i].slug),
            Listing::Agency(i) => format!("/co-quan/{}/", site.agencies[*i].slug),
            Listing::Notices => "/tin-tuc/".into(),
        }
    }

    /// The site path of page `number` (from 1): the listing's own URL for
    /// page 1, `<URL>trang/<number>/` after it.
    pub fn page_url(&self, site: &Site, number: usize) -> String {
        page_url(&self.url(site), number)
    }

    /// What the listing holds, in order: indexes into [`Site::procedures`],
    /// or into [`Site::notices`] for [`Listing::Notices`].
    pub fn items(&self, site: &Site) -> Vec<usize> {
        match self {
            Listing::All => {
                let mut items: Vec<usize> = site.fields.iter().flat_map(|f| f.active.iter().copied()).collect();
                items.extend((0..site.procedures.len()).filter(|&i| !site.procedures[i].is_active()));
                items
            }
            Listing::Level(i) => site.at_level(&site.config.service_levels[*i].id),
            Listing::Postal(mode) => site.with_postal(*mode),
            Listing::Field(i) => site.fields[*i].active.clone(),
            Listing::Agency(i) => site.agencies[*i].active.clone(),
            Listing::Notices => (0..site.notices.len()).collect(),
        }
    }

    /// How many pages the listing has: at least one, which says so when the
    /// list is empty.
    pub fn pages(&self, site: &Site) -> usize {
        let len = match self {
            Listing::All => site.procedures.len(),
            Listing::Field(i) => site.fields[*i].active.len(),
            Listing::Agency(i) => site.agencies[*i].active.len(),
            Listing::Notices => site.notices.len(),
            Listing::Level(_) | Listing::Postal(_) => self.items(site).len(),
        };
        page_count(len)
    }
}

/// How many pages a list of `len` items takes: at least one.
pub fn page_count(len: usize) -> usize {
    len.div_ceil(PAGE_SIZE).max(1)
}

/// The items of page `number` (from 1) of a list.
pub fn page_of<T>(items: &[T], number: usize) -> &[T] {
    let start = ((number - 1) * PAGE_SIZE).min(items.len());
    &items[start..(start + PAGE_SIZE).min(items.len())]
}

/// The site path of page `number` of the listing at `first`.
pub fn page_url(first: &str, number: usize) -> String {
    if number <= 1 {
        first.to_string()
    } else {
        format!("{first}{PAGES_FOLDER}/{number}/")
    }
}

/// The page numbers a page's links show, in order, `None` standing for a
/// gap: the first and last pages, two on each side of `current`, and a page
/// that a gap would hide alone.
pub fn page_links(current: usize, pages: usize) -> Vec<Option<usize>> {
    let shown = |number: usize| number == 1 || number == pages || number.abs_diff(current) <= 2;
    let mut out = Vec::new();
    for number in 1..=pages {
        if shown(number) || (shown(number - 1) && shown(number + 1)) {
            out.push(Some(number));
        } else if out.last() != Some(&None) {
            out.push(None);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_hold_page_size_items_and_the_last_holds_the_rest() {
        assert_eq!(page_count(0), 1);
        assert_eq!(page_count(1), 1);
        assert_eq!(page_count(PAGE_SIZE), 1);
        assert_eq!(page_count(PAGE_SIZE + 1), 2);
        let items: Vec<usize> = (0..PAGE_SIZE * 2 + 3).collect();
        assert_eq!(page_of(&items, 1), &items[..PAGE_SIZE]);
        assert_eq!(page_of(&items, 3), &items[PAGE_SIZE * 2..]);
        assert!(page_of(&[] as &[usize], 1).is_empty());
    }

    #[test]
    fn page_one_is_the_listing_itself() {
        assert_eq!(page_url("/muc-do/4/", 1), "/muc-do/4/");
        assert_eq!(page_url("/muc-do/4/", 2), "/muc-do/4/trang/2/");
    }

    #[test]
    fn links_show_the_ends_and_the_neighbourhood_with_gaps() {
        assert_eq!(page_links(1, 1), [Some(1)]);
        assert_eq!(page_links(2, 4), [Some(1), Some(2), Some(3), Some(4)]);
        assert_eq!(page_links(1, 37), [Some(1), Some(2), Some(3), None, Some(37)]);
        assert_eq!(page_links(10, 37), [Some(1), None, Some(8), Some(9), Some(10), Some(11), Some(12), None, Some(37)]);
        assert_eq!(page_links(37, 37), [Some(1), None, Some(35), Some(36), Some(37)]);
        assert_eq!(page_links(4, 7), (1..=7).map(Some).collect::<Vec<_>>());
        assert_eq!(page_links(2, 6), (1..=6).map(Some).collect::<Vec<_>>(), "a gap never hides one page alone");
    }
}
