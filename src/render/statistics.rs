//! The statistics page, `/thong-ke/`: the figures of [`crate::stats`] with bar charts.

use minijinja::context;

use super::{value, PageOut, Pages};
use crate::content::procedure::Postal;
use crate::stats;

impl Pages<'_> {
    /// `/thong-ke/`.
    pub(super) fn statistics(&self, url: &str) -> PageOut {
        let stats = stats::compute(self.site);
        let cut = |label: &str, chars: usize| match label.char_indices().nth(chars) {
            Some((end, _)) => format!("{}…", label[..end].trim_end()),
            None => label.to_string(),
        };
        let bar = |label: &str, count: usize, share: f64| {
            context! { label, short => cut(label, 26), long => cut(label, 60), count, share }
        };
        let charts = context! {
            levels => stats.levels.iter().map(|l| bar(&l.name, l.count, l.share)).collect::<Vec<_>>(),
            postal => stats.postal.iter().zip(Postal::ALL).map(|(p, m)| bar(self.t(m.name_key()), p.count, p.share)).collect::<Vec<_>>(),
            fields => stats.fields.iter().take(10).map(|f| bar(&f.name, f.count, f.share)).collect::<Vec<_>>(),
        };
        let ctx = context! { stats => value(&stats), charts };
        self.out(url, "stats.html", self.t("stats_title"), vec![], ctx)
    }
}
