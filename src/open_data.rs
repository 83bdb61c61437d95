//! Open data: `/du-lieu/thu-tuc.json` and `/du-lieu/thu-tuc.csv`, one record
//! per published procedure, active and abolished alike, sorted by code. Each
//! file is written record by record: a hundred thousand records make
//! hundreds of megabytes.

use std::io::{self, Write};

use serde::Serialize;

use crate::cache::{Fingerprint, Hasher};
use crate::content::procedure::{Channel, Procedure};
use crate::site::Site;

/// One procedure in the open data files.
#[derive(Debug, Serialize)]
pub struct Record<'a> {
    /// The procedure's code.
    pub code: &'a str,
    /// Its name.
    pub title: &'a str,
    /// Its site path, such as "/thu-tuc/dang-ky/".
    pub path: String,
    /// Its absolute address.
    pub url: String,
    /// Field (lĩnh vực).
    pub field: &'a str,
    /// Agency (cơ quan thực hiện).
    pub agency: &'a str,
    /// Service level id.
    pub service_level: &'a str,
    /// Service level name.
    pub service_level_name: &'a str,
    /// "both", "receive", "return" or "none".
    pub postal: &'static str,
    /// "active", "amended" or "abolished".
    pub status: &'static str,
    /// Administrative tier.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tier: Option<&'a str>,
    /// Processing time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub processing_time: Option<&'a str>,
    /// Fees.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fee: Option<&'a str>,
    /// Where dossiers are received.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub submit_at: Option<&'a str>,
    /// The online service.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub online_url: Option<&'a str>,
    /// The announcing decision.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision: Option<&'a str>,
    /// The decision's date, YYYY-MM-DD.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision_date: Option<String>,
    /// Last change of the page, YYYY-MM-DD.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated: Option<String>,
    /// Who can file.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub applicants: &'a [String],
    /// Extra search terms.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub keywords: &'a [String],
    /// Ways of filing.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub channels: &'a [Channel],
    /// Forms to download.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub forms: Vec<FormRecord<'a>>,
    /// Site-specific data from `[extra]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extra: Option<&'a serde_json::Value>,
}

/// A form to download, in a procedure's record.
#[derive(Debug, Serialize)]
pub struct FormRecord<'a> {
    /// What the form is.
    pub name: &'a str,
    /// The file's absolute address.
    pub url: String,
    /// The file's format: its extension in capitals, such as "DOCX".
    pub format: String,
    /// The file's size in bytes.
    pub bytes: u64,
}

/// The open data files' folder in the output.
pub const FOLDER: &str = "du-lieu";

/// What the open data files are made from, hashed, besides site.toml: each
/// published procedure's path and front matter, which make every field of
/// its record ([`Procedure::front_fingerprint`]), and the sizes of its forms' files.
pub fn fingerprint(site: &Site) -> Fingerprint {
    // How many forms a procedure has is in its front matter, so the sizes need no count.
    let inputs = site.procedures.iter().flat_map(|p| {
        let sizes = p.forms.iter().map(|form| u128::from(site.static_size(&form.file.value).unwrap_or(u64::MAX)));
        std::iter::once(p.front_fingerprint).chain(sizes)
    });
    Hasher::new().text("open data").fingerprints(inputs).finish()
}

/// Every published procedure, sorted by code.
fn by_code(site: &Site) -> Vec<&Procedure> {
    let mut procedures: Vec<&Procedure> = site.procedures.iter().map(AsRef::as_ref).collect();
    procedures.sort_by(|a, b| a.code.value.cmp(&b.code.value));
    procedures
}

/// The record of procedure `p`.
fn record<'a>(site: &'a Site, p: &'a Procedure) -> Record<'a> {
    let level = site.config.level(&p.service_level).expect("levels are checked when files are read");
    Record {
        code: &p.code.value,
        title: &p.title,
        path: p.url(),
        url: site.config.absolute_url(&p.url()),
        field: &p.field,
        agency: &p.agency,
        service_level: &level.id,
        service_level_name: &level.name,
        postal: p.postal.word(),
        status: p.status.word(),
        tier: p.tier.as_deref(),
        processing_time: p.processing_time.as_deref(),
        fee: p.fee.as_deref(),
        submit_at: p.submit_at.as_deref(),
        online_url: p.online_url.as_deref(),
        decision: p.decision.as_deref(),
        decision_date: p.decision_date.map(|d| d.iso()),
        updated: p.updated.map(|d| d.iso()),
        applicants: &p.applicants,
        keywords: &p.keywords,
        channels: &p.channels,
        forms: p
            .forms
            .iter()
            .map(|form| FormRecord {
                name: &form.name,
                url: site.config.absolute_url(&form.url()),
                format: form.format(),
                bytes: site.static_size(&form.file.value).unwrap_or(0),
            })
            .collect(),
        extra: p.extra.as_ref(),
    }
}

/// Writes `thu-tuc.json` into `out`: a JSON array of records, one record per line.
pub fn write_json(site: &Site, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(b"[\n")?;
    for (i, p) in by_code(site).into_iter().enumerate() {
        if i > 0 {
            out.write_all(b",\n")?;
        }
        serde_json::to_writer(&mut *out, &record(site, p))?;
    }
    out.write_all(b"\n]\n")
}

/// Writes `thu-tuc.csv` into `out`: the same records as a spreadsheet. It
/// starts with a UTF-8 byte-order mark and uses CRLF line ends, so
/// spreadsheet programs open the Vietnamese text correctly; lists are joined
/// with "; ".
pub fn write_csv(site: &Site, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(b"\xEF\xBB\xBF")?;
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(out);
    let header = [
        "code",
        "title",
        "path",
        "url",
        "field",
        "agency",
        "service_level",
        "service_level_name",
        "postal",
        "status",
        "tier",
        "processing_time",
        "fee",
        "submit_at",
        "online_url",
        "decision",
        "decision_date",
        "updated",
        "applicants",
        "keywords",
        "forms",
    ];
    writer.write_record(header)?;
    for r in by_code(site).into_iter().map(|p| record(site, p)) {
        let text = |o: Option<&str>| o.unwrap_or("").to_string();
        writer.write_record(
            [
                r.code.to_string(),
                r.title.to_string(),
                r.path,
                r.url,
                r.field.to_string(),
                r.agency.to_string(),
                r.service_level.to_string(),
                r.service_level_name.to_string(),
                r.postal.to_string(),
                r.status.to_string(),
                text(r.tier),
                text(r.processing_time),
                text(r.fee),
                text(r.submit_at),
                text(r.online_url),
                text(r.decision),
                r.decision_date.unwrap_or_default(),
                r.updated.unwrap_or_default(),
                r.applicants.join("; "),
                r.keywords.join("; "),
                r.forms.iter().map(|form| form.url.as_str()).collect::<Vec<_>>().join("; "),
            ]
            .map(inert_cell),
        )?;
    }
    writer.flush()
}

/// A CSV cell that a spreadsheet program shows as text, never runs: a cell
/// starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a `'`
/// in front, as OWASP recommends against CSV injection.
fn inert_cell(cell: String) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell
    }
}

#[cfg(test)]
mod tests {
    use super::inert_cell;

    #[test]
    fn cells_a_spreadsheet_would_run_get_a_quote_in_front() {
        for (cell, written) in [
            ("=1+1", "'=1+1"),
            ("+84", "'+84"),
            ("-2", "'-2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("1.000047", "1.000047"),
            ("Phí: =0", "Phí: =0"),
            ("", ""),
        ] {
            assert_eq!(inert_cell(cell.to_string()), written);
        }
    }
}
