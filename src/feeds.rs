//! Machine-read files about the site: `sitemap.xml`, `robots.txt` and the
//! Atom feed `feed.xml` of notices and recently updated procedures.

use rustc_hash::FxHashMap;

use crate::content::front_matter::Date;
use crate::markdown::{html_escape, write_escaped};
use crate::site::Site;
use crate::theme::Strings;

/// How many entries the Atom feed holds.
pub const FEED_ENTRIES: usize = 50;

/// The most URLs one sitemap file may list: the sitemap protocol's limit.
pub const SITEMAP_URLS: usize = 50_000;

/// The most bytes one sitemap file may hold: the sitemap protocol's 50 MB.
pub const SITEMAP_BYTES: usize = 50 * 1024 * 1024;

const URLSET_START: &str =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
const URLSET_END: &str = "</urlset>\n";

/// The sitemap files, by output path: `sitemap.xml` listing every page with
/// its last change where known; or, when the pages do not fit in one file of
/// [`SITEMAP_URLS`] URLs and [`SITEMAP_BYTES`] bytes, `sitemap.xml` as an
/// index of `sitemap-1.xml`, `sitemap-2.xml`, … that list them.
pub fn sitemaps(site: &Site) -> Vec<(String, String)> {
    sitemaps_within(site, SITEMAP_URLS, SITEMAP_BYTES)
}

/// [`sitemaps`] with at most `max_urls` URLs and `max_bytes` bytes a file.
fn sitemaps_within(site: &Site, max_urls: usize, max_bytes: usize) -> Vec<(String, String)> {
    let mut urls: Vec<String> = site.page_urls();
    urls.retain(|url| url != "/404.html");
    urls.sort_unstable();
    urls.dedup();
    let dates: FxHashMap<String, Date> =
        site.procedures.iter().filter_map(|p| Some((p.url(), p.updated.or(p.decision_date)?))).collect();
    let room = max_bytes - URLSET_START.len() - URLSET_END.len();
    let mut parts: Vec<String> = vec![String::from(URLSET_START)];
    let mut in_part = 0;
    let mut entry = String::new();
    for url in urls {
        entry.clear();
        entry.push_str("  <url><loc>");
        write_escaped(&mut entry, &site.config.absolute_url(&url)).expect("a String takes any text");
        entry.push_str("</loc>");
        if let Some(date) = dates.get(&url) {
            entry.push_str("<lastmod>");
            entry.push_str(&date.iso());
            entry.push_str("</lastmod>");
        }
        entry.push_str("</url>\n");
        let part = parts.last_mut().expect("there is a part");
        if in_part == max_urls || part.len() - URLSET_START.len() + entry.len() > room {
            part.push_str(URLSET_END);
            parts.push(String::from(URLSET_START));
            in_part = 0;
        }
        parts.last_mut().expect("there is a part").push_str(&entry);
        in_part += 1;
    }
    parts.last_mut().expect("there is a part").push_str(URLSET_END);
    if parts.len() == 1 {
        return vec![("sitemap.xml".to_string(), parts.remove(0))];
    }
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut files = Vec::with_capacity(parts.len() + 1);
    for (i, part) in parts.into_iter().enumerate() {
        let path = format!("sitemap-{}.xml", i + 1);
        index += &format!(
            "  <sitemap><loc>{}</loc></sitemap>\n",
            html_escape(&site.config.absolute_url(&format!("/{path}")))
        );
        files.push((path, part));
    }
    files.insert(0, ("sitemap.xml".to_string(), index + "</sitemapindex>\n"));
    files
}

/// `robots.txt`: everything may be indexed; the sitemap (or the index of sitemaps) is named.
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
    // The date of the FEED_ENTRIES-th newest entry: an older one cannot be in
    // the feed, so it is not made.
    let mut dates: Vec<Date> =
        site.notices.iter().map(|n| n.date).chain(site.procedures.iter().filter_map(|p| p.updated)).collect();
    let oldest = match dates.len() {
        n if n > FEED_ENTRIES => Some(*dates.select_nth_unstable_by(FEED_ENTRIES - 1, |a, b| b.cmp(a)).1),
        _ => None,
    };
    let shown = |date: &Date| oldest.is_none_or(|oldest| *date >= oldest);
    let mut entries: Vec<Entry> = site
        .notices
        .iter()
        .filter(|n| shown(&n.date))
        .map(|n| Entry { date: n.date, title: n.title.clone(), url: n.url(), summary: n.summary.clone() })
        .collect();
    entries.extend(site.procedures.iter().filter_map(|p| {
        p.updated.filter(shown).map(|date| Entry {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn demo_loaded() -> crate::Loaded {
        let options = crate::Options { root: env!("CARGO_MANIFEST_DIR").into(), ..Default::default() };
        crate::load(&options, &crate::progress::Progress::start(None), None).expect("the demo site loads")
    }

    fn demo() -> Site {
        demo_loaded().site
    }

    /// 70 procedures updated 12 to a day: the feed's 50 entries end with 4
    /// of the 12 of one day, the first 4 by address.
    #[test]
    fn the_feed_holds_the_newest_entries_and_ties_at_its_end_by_address() {
        let loaded = demo_loaded();
        let mut site = loaded.site;
        let first = (*site.procedures[0]).clone();
        site.notices.clear();
        site.procedures = (0..70)
            .map(|i| {
                let mut p = first.clone();
                p.slug.value = format!("thu-tuc-{:02}", i * 37 % 70);
                p.updated = Some(Date { year: 2030, month: 1, day: 1 + (i / 12) as u8 });
                std::sync::Arc::new(p)
            })
            .collect();
        let mut expected: Vec<(Date, String)> =
            site.procedures.iter().map(|p| (p.updated.expect("dated"), p.url())).collect();
        expected.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        let expected: Vec<String> = expected
            .iter()
            .take(FEED_ENTRIES)
            .map(|(date, url)| format!("{}#{}", site.config.absolute_url(url), date.iso()))
            .collect();
        let feed = atom(&site, &loaded.theme.strings);
        let ids: Vec<&str> = feed
            .split("<entry>")
            .skip(1)
            .map(|entry| &entry[entry.find("<id>").unwrap() + 4..entry.find("</id>").unwrap()])
            .collect();
        assert_eq!(ids, expected);
        assert_eq!(
            ids.iter().filter(|id| id.ends_with("2030-01-02")).count(),
            4,
            "4 of the 12 of the oldest day shown"
        );
    }

    fn locs(xml: &str) -> Vec<&str> {
        xml.split("<loc>").skip(1).map(|rest| &rest[..rest.find("</loc>").expect("a closed loc")]).collect()
    }

    #[test]
    fn a_site_within_the_limits_has_one_sitemap() {
        let site = demo();
        let files = sitemaps(&site);
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].0, "sitemap.xml");
        assert!(files[0].1.contains("<urlset"));
        assert_eq!(
            locs(&files[0].1).len(),
            site.page_urls::<std::collections::BTreeSet<_>>().len() - 1,
            "every page but 404.html"
        );
    }

    #[test]
    fn a_site_past_the_url_limit_gets_an_index_of_sitemaps_that_list_every_page_once() {
        let site = demo();
        let whole = sitemaps(&site).remove(0).1;
        let files = sitemaps_within(&site, 10, SITEMAP_BYTES);
        let (index_path, index) = &files[0];
        assert_eq!(index_path, "sitemap.xml");
        assert!(index.contains("<sitemapindex") && !index.contains("<urlset"), "{index}");
        let parts = &files[1..];
        assert_eq!(parts.len(), locs(&whole).len().div_ceil(10));
        let mut listed = Vec::new();
        for (i, (path, xml)) in parts.iter().enumerate() {
            assert_eq!(path, &format!("sitemap-{}.xml", i + 1));
            assert_eq!(locs(index)[i], site.config.absolute_url(&format!("/{path}")));
            assert!(xml.starts_with(URLSET_START) && xml.ends_with(URLSET_END));
            assert!(locs(xml).len() <= 10, "{path} lists {}", locs(xml).len());
            listed.extend(locs(xml));
        }
        assert_eq!(listed, locs(&whole), "the parts list every page once, in order");
    }

    #[test]
    fn a_sitemap_past_the_byte_limit_is_split_too() {
        let site = demo();
        let limit = 2_000;
        let files = sitemaps_within(&site, SITEMAP_URLS, limit);
        assert!(files.len() > 2, "the demo's sitemap is larger than {limit} bytes");
        for (path, xml) in &files[1..] {
            assert!(xml.len() <= limit, "{path} holds {} bytes", xml.len());
        }
    }
}
