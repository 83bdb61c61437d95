//! A procedure's own page.

use minijinja::{context, Value};
use serde::Serialize;

use super::{link, value, PageOut, Pages};
use crate::content::procedure::Channel;
use crate::diagnostics::Failure;
use crate::messages::Language;
use crate::structured_data;

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
    postal_description: &'a str,
    forms: Vec<FormView<'a>>,
}

/// A form to download, as the page lists it: "DOCX, 45 KB".
#[derive(Serialize)]
struct FormView<'a> {
    name: &'a str,
    path: String,
    format: String,
    size: String,
}

/// A file's size as people read it, the way the site's language writes
/// numbers: "820 B", "45 KB", "1,5 MB" in Vietnamese ("1.5 MB" in English).
pub fn file_size(bytes: u64, language: Language) -> String {
    const KB: u64 = 1024;
    let text = match bytes {
        0..1000 => format!("{bytes} B"),
        1000..1_024_000 => format!("{} KB", bytes.div_ceil(KB).max(1)),
        _ => format!("{:.1} MB", bytes as f64 / (KB * KB) as f64),
    };
    match language {
        Language::Vi => text.replace('.', ","),
        Language::En => text,
    }
}
impl Pages<'_> {
    /// Procedure `i`'s own page.
    pub(super) fn procedure(&self, i: usize, url: &str) -> Result<PageOut, Failure> {
        let (site, p) = (self.site, &self.site.procedures[i]);
        let markdown = p.markdown().map_err(Failure::Content)?;
        let rendered = self.render_markdown(&markdown, url);
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
            postal_description: self.t(p.postal.description_key()),
            forms: p
                .forms
                .iter()
                .map(|form| FormView {
                    name: &form.name,
                    path: link(&form.url()),
                    format: form.format(),
                    size: file_size(site.static_size(&form.file.value).unwrap_or(0), site.config.language),
                })
                .collect(),
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
        Ok(self.out(url, "procedure.html", &p.title, trail, ctx))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_written_the_way_the_language_writes_numbers() {
        assert_eq!(file_size(820, Language::Vi), "820 B");
        assert_eq!(file_size(45 * 1024, Language::Vi), "45 KB");
        assert_eq!(file_size(1000, Language::En), "1 KB");
        assert_eq!(file_size(1536 * 1024, Language::Vi), "1,5 MB");
        assert_eq!(file_size(1536 * 1024, Language::En), "1.5 MB");
    }
}
