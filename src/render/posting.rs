//! Posting sheets ([`crate::posting`]): their index, `/niem-yet/`, and each
//! page of each sheet, an A4 page to print and pin on the notice board, with
//! a QR code of every procedure's page drawn as inline SVG.

use std::collections::BTreeSet;

use minijinja::{context, Value};
use serde::Serialize;

use super::{link, value, PageOut, Pages};
use crate::listing;
use crate::posting::{Sheet, INDEX_URL};
use crate::text;

/// The theme's stylesheet for the sheets, linked from them only, so that
/// no other page grows.
const SHEET_STYLESHEET: &str = "assets/niem-yet.css";

/// A sheet as the index lists it.
#[derive(Serialize)]
struct SheetEntry {
    name: String,
    count: usize,
    /// Each page of the sheet, by number.
    pages: Vec<SheetPageLink>,
}

#[derive(Serialize)]
struct SheetPageLink {
    number: usize,
    path: String,
}

/// One procedure as a sheet shows it.
#[derive(Serialize)]
struct Row<'a> {
    field: &'a str,
    code: &'a str,
    title: &'a str,
    path: String,
    url: String,
    level_name: &'a str,
    postal_name: &'a str,
    processing_time: Option<&'a str>,
    fee: Option<&'a str>,
    submit_at: &'a str,
    qr: Value,
}

/// A decision that announced procedures of the sheet.
#[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
struct Decision<'a> {
    date: Option<String>,
    number: &'a str,
}

impl Pages<'_> {
    /// `/niem-yet/`: what the sheets are for, and a link to every page of each.
    pub(super) fn posting_index(&self, url: &str) -> PageOut {
        let site = self.site;
        let entries: Vec<SheetEntry> = Sheet::every(site)
            .into_iter()
            .map(|sheet| SheetEntry {
                name: self.sheet_name(sheet),
                count: sheet.items(site).len(),
                pages: (1..=sheet.pages(site))
                    .map(|number| SheetPageLink { number, path: link(&sheet.page_url(site, number)) })
                    .collect(),
            })
            .collect();
        let ctx = context! { sheets => value(entries), description => self.t("posting_intro") };
        self.out(url, "posting.html", self.t("posting_title"), vec![], ctx)
    }

    /// Page `number` of `sheet`, its QR codes drawn when `draw_qr`. In a
    /// context to fingerprint ([`Pages::item_fingerprints`]) each row is its
    /// procedure's front-matter hash, which with site.toml and the theme makes
    /// every field a row shows, its QR code's address among them.
    pub(super) fn sheet(&self, sheet: Sheet, number: usize, url: &str, draw_qr: bool) -> PageOut {
        let site = self.site;
        let all = sheet.items(site);
        let shown = listing::page_of(&all, number);
        let rows = if self.item_fingerprints {
            Value::from(shown.iter().map(|&i| Value::from(site.procedures[i].front_fingerprint)).collect::<Vec<_>>())
        } else {
            value(shown.iter().map(|&i| self.row(i, draw_qr)).collect::<Vec<Row>>())
        };
        let procedures = shown.iter().map(|&i| &site.procedures[i]);
        let decisions: BTreeSet<Decision> = procedures
            .clone()
            .filter_map(|p| {
                p.decision.as_deref().map(|number| Decision { date: p.decision_date.map(|d| d.iso()), number })
            })
            .collect();
        let updated = procedures.filter_map(|p| p.updated).max().map(|d| d.iso());
        let pages = sheet.pages(site);
        let pager = self.pager(&sheet.url(site), number, pages);
        let sheet_position =
            self.t("sheet_position").replace("{n}", &number.to_string()).replace("{total}", &pages.to_string());
        let css = self.theme.static_files.get(SHEET_STYLESHEET.trim_start_matches("assets/"));
        let css = css.map_or_else(String::new, |b| text::short_hash(&String::from_utf8_lossy(b)));
        let name = self.sheet_name(sheet);
        let ctx = context! {
            sheet_name => &name,
            grouped => sheet == Sheet::Catalogue,
            organization => site.config.organization.as_ref().and_then(|o| o.name.as_deref()).unwrap_or(&site.config.title),
            rows,
            total => all.len(),
            decisions => value(decisions),
            updated,
            sheet_position,
            pager => value(pager),
            sheet_stylesheet => format!("{SHEET_STYLESHEET}?v={css}"),
            description => format!("{} · {name}", self.t("posting_title")),
        };
        let title = if pages > 1 { format!("{name} ({number}/{pages})") } else { name.clone() };
        let trail = vec![self.crumb("posting_title", INDEX_URL)];
        self.out(url, "sheet.html", &title, trail, ctx)
    }

    fn sheet_name(&self, sheet: Sheet) -> String {
        match sheet {
            Sheet::Field(f) => self.site.fields[f].name.clone(),
            Sheet::Catalogue => self.t("sheet_whole_catalogue").to_string(),
        }
    }

    fn row(&self, i: usize, draw_qr: bool) -> Row<'_> {
        let (site, p) = (self.site, &self.site.procedures[i]);
        let level = site.config.level(&p.service_level).expect("levels are checked when files are read");
        let url = site.config.absolute_url(&p.url());
        let label = self.t("qr_label").replace("{code}", &p.code.value);
        Row {
            field: &p.field,
            code: &p.code.value,
            title: &p.title,
            path: link(&p.url()),
            qr: if draw_qr { Value::from_safe_string(qr_svg(&url, &label)) } else { Value::from(label) },
            url,
            level_name: &level.name,
            postal_name: self.t(p.postal.name_key()),
            processing_time: p.processing_time.as_deref(),
            fee: p.fee.as_deref(),
            submit_at: p.submit_at.as_deref().unwrap_or(&p.agency),
        }
    }
}

/// The QR code of `text` as an inline SVG image named `label`: one stroked
/// path, a line for each run of dark modules, on a white square with the
/// quiet zone of four modules that scanners need ([`crate::qr`]). Its size
/// on paper is the stylesheet's.
pub fn qr_svg(text: &str, label: &str) -> String {
    const QUIET: usize = 4;
    let code = crate::qr::encode(text).expect("an address fits in a QR code");
    let width = code.size();
    let mut path = String::with_capacity(width * width / 2);
    let mut number = itoa::Buffer::new();
    for y in 0..width {
        // Where the pen is on this row, once it has drawn a run.
        let mut pen = None;
        for (x, run) in code.dark_runs(y) {
            match pen {
                None => {
                    path.push('M');
                    path.push_str(number.format(x + QUIET));
                    path.push(' ');
                    path.push_str(number.format(y + QUIET));
                    path.push_str(".5h");
                }
                Some(end) => {
                    path.push('m');
                    path.push_str(number.format(x - end));
                    path.push_str(" 0h");
                }
            }
            path.push_str(number.format(run));
            pen = Some(x + run);
        }
    }
    let size = width + 2 * QUIET;
    let label = minijinja::HtmlEscape(label);
    format!(
        "<svg class=\"qr\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" role=\"img\" \
         aria-label=\"{label}\" shape-rendering=\"crispEdges\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/>\
         <path stroke=\"#000\" d=\"{path}\"/></svg>"
    )
}
