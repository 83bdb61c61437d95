//! Machine-read files about the site: `sitemap.xml`, `robots.txt` and the
//! Atom feed `feed.xml` of notices and recently updated procedures.

use std::collections::BTreeMap;

use crate::content::front_matter::Date;
use crate::markdown::html_escape;
use crate::site::Site;
use crate::theme::Strings;

/// How many entries the Atom feed holds.
pub const FEED_ENTRIES: usize = 50;

/// `sitemap.xml`: every page, with its last change where known.
pub fn sitemap(site: &Site) -> String {
    let mut dated: BTreeMap<String, Option<Date>> =
        site.page_urls().into_iter().filter(|url| url != "/404.html").map(|url| (url, None)).collect();
    for p in &site.procedures {
        if let Some(date) = dated.get_mut(&p.url()) {
            *date = p.updated.or(p.decision_date);
        }
    }
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (url, date) in dated {
        out += &format!("  <url><loc>{}</loc>", html_escape(&site.config.absolute_url(&url)));
        if let Some(date) = date {
            out += &format!("<lastmod>{}</lastmod>", date.iso());
        }
        out += "</url>\n";
    }
    out + "</urlset>\n"
}

/// `robots.txt`: everything may be indexed; the sitemap is named.
pub fn robots(site: &Site) -> String {
    format!("User-agent: *\nAllow: /\n\nSitemap: {}\n", site.config.absolute_url("/sitemap.xml"))
}

/// `feed.xml`: the newest notices and updated procedures, as Atom.
pub fn atom(site: &Site, t: &Strings) -> String {
    struct Entry {
        date: Date,
        title: String,
        url: String,
        summary: Option<String>,
    }
    let mut entries: Vec<Entry> = site
        .notices
        .iter()
        .map(|n| Entry { date: n.date, title: n.title.clone(), url: n.url(), summary: n.summary.clone() })
        .collect();
    entries.extend(site.procedures.iter().filter_map(|p| {
        p.updated.map(|date| Entry {
            date,
            title: format!("{}: {}", t.get("feed_updated_procedure"), p.title),
            url: p.url(),
            summary: Some(format!("{} {} · {}", t.get("code"), p.code.value, p.field)),
        })
    }));
    entries.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.url.cmp(&b.url)));
    entries.truncate(FEED_ENTRIES);
    let updated = entries.iter().map(|e| e.date).max().map_or_else(|| "1970-01-01".to_string(), |d| d.iso());
    let config = &site.config;
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <title>{}</title>\n  <id>{}</id>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n  <updated>{updated}T00:00:00Z</updated>\n",
        config.language.code(),
        html_escape(&config.title),
        html_escape(&config.absolute_url("/")),
        html_escape(&config.absolute_url("/")),
        html_escape(&config.absolute_url("/feed.xml")),
    );
    let author = config.organization.as_ref().and_then(|o| o.name.clone()).unwrap_or_else(|| config.title.clone());
    out += &format!("  <author><name>{}</name></author>\n", html_escape(&author));
    for e in entries {
        let url = html_escape(&config.absolute_url(&e.url));
        out += &format!(
            "  <entry>\n    <title>{}</title>\n    <id>{url}#{}</id>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{url}\"/>\n    <updated>{}T00:00:00Z</updated>\n",
            html_escape(&e.title),
            e.date.iso(),
            e.date.iso()
        );
        if let Some(summary) = e.summary {
            out += &format!("    <summary>{}</summary>\n", html_escape(&summary));
        }
        out += "  </entry>\n";
    }
    out + "</feed>\n"
}
