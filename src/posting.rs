//! Posting sheets (niêm yết, contract §2 and §5): the A4 pages an office
//! prints and pins on its notice board, one per field, each listing the
//! field's active procedures with a QR code of their pages. This file says
//! which sheets the site has, what each lists and where each page is; a
//! field with more than [`crate::listing::PAGE_SIZE`] active procedures continues on
//! numbered sheets (`/niem-yet/<field>/trang/2/`), as listings do.
//! Rendering fills them ([`crate::render`]).

use crate::listing::{page_count, page_url};
use crate::site::Site;

/// The folder of the sheets, and the address of their index, `/niem-yet/`.
pub const INDEX_URL: &str = "/niem-yet/";

/// The most active procedures for which the whole catalogue also gets a
/// sheet of its own: beyond this, a board holds one sheet per field.
pub const WHOLE_CATALOGUE_MAX: usize = 100;

/// The address segment of the whole catalogue's sheet, `/niem-yet/toan-bo/`.
const WHOLE_CATALOGUE_SLUG: &str = "toan-bo";

/// One posting sheet, of one or more pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sheet {
    /// The active procedures of the field at this index of [`Site::fields`].
    Field(usize),
    /// Every active procedure, grouped by field.
    Catalogue,
}

impl Sheet {
    /// Every sheet of the site: one per field, then the whole catalogue's
    /// when it has at most [`WHOLE_CATALOGUE_MAX`] active procedures (and no
    /// field's address already takes its name).
    pub fn every(site: &Site) -> Vec<Sheet> {
        let mut sheets: Vec<Sheet> = (0..site.fields.len()).map(Sheet::Field).collect();
        let active: usize = site.fields.iter().map(|f| f.active.len()).sum();
        let name_free = site.fields.iter().all(|f| f.slug != WHOLE_CATALOGUE_SLUG);
        if active <= WHOLE_CATALOGUE_MAX && name_free {
            sheets.push(Sheet::Catalogue);
        }
        sheets
    }

    /// The site path of the sheet's first page, such as `/niem-yet/do-luong/`.
    pub fn url(&self, site: &Site) -> String {
        match self {
            Sheet::Field(i) => format!("{INDEX_URL}{}/", site.fields[*i].slug),
            Sheet::Catalogue => format!("{INDEX_URL}{WHOLE_CATALOGUE_SLUG}/"),
        }
    }

    /// The site path of page `number` (from 1) of the sheet.
    pub fn page_url(&self, site: &Site, number: usize) -> String {
        page_url(&self.url(site), number)
    }

    /// The procedures the sheet lists, in order, as indexes into
    /// [`Site::procedures`]: active ones only, and never a draft, even in a
    /// build with `--drafts` (a board shows only what is in force).
    pub fn items(&self, site: &Site) -> Vec<usize> {
        let posted = |i: &usize| !site.procedures[*i].draft;
        match self {
            Sheet::Field(f) => site.fields[*f].active.iter().copied().filter(posted).collect(),
            Sheet::Catalogue => site.fields.iter().flat_map(|f| f.active.iter().copied()).filter(posted).collect(),
        }
    }

    /// How many pages the sheet has: at least one, which says so when the
    /// field has no procedure to post.
    pub fn pages(&self, site: &Site) -> usize {
        page_count(self.items(site).len())
    }
}

/// Every page of every sheet, as (sheet, page number from 1).
pub fn sheet_pages(site: &Site) -> Vec<(Sheet, usize)> {
    Sheet::every(site).into_iter().flat_map(|sheet| (1..=sheet.pages(site)).map(move |n| (sheet, n))).collect()
}
