//! The list of notices and each notice's page.

use minijinja::{context, Value};

use super::{PageOut, Pages};
use crate::structured_data;

impl Pages<'_> {
    /// `/tin-tuc/`: every notice, newest first.
    pub(super) fn notices(&self, url: &str) -> PageOut {
        let ctx = context! { notices => Value::from(self.views.notices.clone()) };
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
