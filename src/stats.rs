//! The statistics of contract §8, shared by the `/thong-ke/` page and
//! `niemyet report`: counts over active procedures by service level (at the
//! level and at or above it), by postal mode, and by field.

use serde::Serialize;

use crate::content::procedure::Postal;
use crate::messages::Language;
use crate::site::Site;
use crate::theme::Strings;

/// Procedures at one service level.
#[derive(Debug, Clone, Serialize)]
pub struct LevelCount {
    /// The level's id.
    pub id: String,
    /// The level's name.
    pub name: String,
    /// Active procedures at exactly this level.
    pub count: usize,
    /// `count` as a percentage of the total, rounded to two decimals.
    pub share: f64,
    /// Active procedures at this level or a higher one.
    pub at_or_above: usize,
    /// `at_or_above` as a percentage of the total, rounded to two decimals.
    pub at_or_above_share: f64,
}

/// Procedures with one postal mode.
#[derive(Debug, Clone, Serialize)]
pub struct PostalCount {
    /// The mode's word: "both", "receive", "return" or "none".
    pub mode: &'static str,
    /// Active procedures with this mode.
    pub count: usize,
    /// `count` as a percentage of the total.
    pub share: f64,
}

/// Procedures in one field.
#[derive(Debug, Clone, Serialize)]
pub struct FieldCount {
    /// The field's name.
    pub name: String,
    /// Active procedures in it.
    pub count: usize,
    /// `count` as a percentage of the total.
    pub share: f64,
}

/// The site's statistics over active procedures.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    /// Active procedures.
    pub total: usize,
    /// By service level, lowest first.
    pub levels: Vec<LevelCount>,
    /// By postal mode.
    pub postal: Vec<PostalCount>,
    /// Active procedures that can use the postal service at all.
    pub postal_any: usize,
    /// `postal_any` as a percentage of the total.
    pub postal_any_share: f64,
    /// By field, largest first.
    pub fields: Vec<FieldCount>,
}

/// Computes the statistics of a site.
pub fn compute(site: &Site) -> Stats {
    let active = site.active();
    let total = active.len();
    let share = |n: usize| {
        if total == 0 {
            0.0
        } else {
            (n as f64 * 10_000.0 / total as f64).round() / 100.0
        }
    };
    let counts: Vec<usize> = site.config.service_levels.iter().map(|l| site.at_level(&l.id).len()).collect();
    let levels = site
        .config
        .service_levels
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let at_or_above = counts[i..].iter().sum();
            LevelCount {
                id: l.id.clone(),
                name: l.name.clone(),
                count: counts[i],
                share: share(counts[i]),
                at_or_above,
                at_or_above_share: share(at_or_above),
            }
        })
        .collect();
    let postal: Vec<PostalCount> = Postal::ALL
        .iter()
        .map(|&mode| {
            let count = site.with_postal(mode).len();
            PostalCount { mode: mode.word(), count, share: share(count) }
        })
        .collect();
    let postal_any = total - postal.iter().find(|p| p.mode == Postal::None.word()).map_or(0, |p| p.count);
    let mut fields: Vec<FieldCount> = site
        .fields
        .iter()
        .filter(|f| !f.active.is_empty())
        .map(|f| FieldCount { name: f.name.clone(), count: f.active.len(), share: share(f.active.len()) })
        .collect();
    fields.sort_by_key(|f| std::cmp::Reverse(f.count));
    Stats { total, levels, postal, postal_any, postal_any_share: share(postal_any), fields }
}

/// Writes a percentage the way the site's language does: "33,33%" in
/// Vietnamese, "33.33%" in English, and "100%" for whole numbers.
pub fn percent(share: f64, language: Language) -> String {
    let text = format!("{share:.2}");
    let text = text.strip_suffix(".00").unwrap_or(&text).to_string();
    match language {
        Language::Vi => format!("{}%", text.replace('.', ",")),
        Language::En => format!("{text}%"),
    }
}

/// The plain-text report printed by `niemyet report`.
pub fn text_report(stats: &Stats, title: &str, language: Language, t: &Strings) -> String {
    let total = stats.total;
    let fraction = |n: usize, share: f64| format!("{n}/{total} ({})", percent(share, language));
    let mut out = format!("{title}\n{}: {total}\n\n{}\n", t.get("stats_total"), t.get("stats_by_level"));
    for l in &stats.levels {
        out += &format!(
            "  {} — {}: {}; {}: {}\n",
            l.name,
            t.get("stats_at_level"),
            fraction(l.count, l.share),
            t.get("stats_at_or_above"),
            fraction(l.at_or_above, l.at_or_above_share)
        );
    }
    out += &format!("\n{}\n", t.get("stats_by_postal"));
    for p in &stats.postal {
        out += &format!("  {}: {}\n", t.get(&format!("postal_{}", p.mode)), fraction(p.count, p.share));
    }
    out += &format!("  {}: {}\n", t.get("stats_postal_any"), fraction(stats.postal_any, stats.postal_any_share));
    out += &format!("\n{}\n", t.get("stats_by_field"));
    for f in &stats.fields {
        out += &format!("  {}: {}\n", f.name, fraction(f.count, f.share));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_follow_the_language() {
        assert_eq!(percent(33.33, Language::Vi), "33,33%");
        assert_eq!(percent(33.33, Language::En), "33.33%");
        assert_eq!(percent(100.0, Language::Vi), "100%");
        assert_eq!(percent(12.5, Language::Vi), "12,50%");
    }
}
