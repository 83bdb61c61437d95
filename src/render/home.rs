//! The home page: the search box, the counts, a link to every filter and the latest notices.

use minijinja::{context, Value};

use super::listings::entries;
use super::{value, PageOut, Pages};
use crate::structured_data;

impl Pages<'_> {
    /// The home page, `/`.
    pub(super) fn home(&self, url: &str) -> PageOut {
        let site = self.site;
        let body = site.home.as_deref().map(|md| self.body_html(md, "/"));
        let latest: Vec<Value> = self.views.notices.iter().take(5).cloned().collect();
        let ctx = context! {
            body,
            latest,
            total => site.active_count(),
            levels => value(self.level_entries()),
            postal => value(self.postal_entries()),
            fields => value(entries(&site.fields, "linh-vuc")),
            agencies => value(entries(&site.agencies, "co-quan")),
            json_ld => Value::from_safe_string(structured_data::home(site)),
        };
        self.out(url, "index.html", self.t("nav_home"), vec![], ctx)
    }
}
