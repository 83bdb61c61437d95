//! The list of notices and each notice's page.

use minijinja::{context, Value};

use super::listings::Pager;
use super::{value, PageOut, Pages};
use crate::structured_data;

impl Pages<'_> {
    /// `/tin-tuc/` and its pages: every notice, newest first; this page shows `shown`.
    pub(super) fn notices(&self, url: &str, shown: &[usize], pager: Pager) -> PageOut {
        let notices: Vec<Value> = shown.iter().map(|&n| self.views.notices[n].clone()).collect();
        let ctx = context! { notices, total => self.site.notices.len(), pager => value(pager) };
        self.out(url, "notices.html", self.t("notices_title"), vec![], ctx)
    }

    /// Notice `i`'s own page.
    pub(super) fn notice(&self, i: usize, url: &str) -> PageOut {
        let (site, n) = (self.site, &self.site.notices[i]);
        let notice = context! {
            title => n.title.as_str(),
            date => n.date.iso(),
            summary => n.summary.as_deref(),
            body => self.body_html(&n.body, url),
            procedures => self.items(&site.notice_procedures[i]),
            draft => n.draft,
        };
        let trail = vec![self.crumb("notices_title", "/tin-tuc/")];
        let json_ld = Value::from_safe_string(structured_data::notice(site, i));
        let ctx = context! { notice, description => n.summary.as_deref(), json_ld, og_type => "article" };
        self.out(url, "notice.html", &n.title, trail, ctx)
    }
}
