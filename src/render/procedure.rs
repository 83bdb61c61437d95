//! A procedure's own page.

use minijinja::{context, Value};
use serde::Serialize;

use super::{value, PageOut, Pages};
use crate::content::procedure::Channel;
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
}
impl Pages<'_> {
    /// Procedure `i`'s own page.
    pub(super) fn procedure(&self, i: usize, url: &str) -> PageOut {
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
}
