//! Issue 5, point 3: schema.org JSON-LD on procedure, notice and home pages,
//! Open Graph and a meta description on every page; and a hostile title shown
//! as text everywhere it appears.

mod common;

use common::*;
use serde_json::Value;

const HOSTILE: &str = "<script>alert(1)</script> \"onmouseover=alert(2) &amp;";

fn site_with_everything() -> tempfile::TempDir {
    site(&[
        ("site.toml", &SITE_TOML.replace("name = \"Chi cục Thử nghiệm\"", "name = \"Chi cục Thử nghiệm\"\naddress = \"1 Lê Lợi\"\nphone = \"0233 3850 000\"\narea = \"Tỉnh Quảng Trị\"")),
        (
            "content/procedures/a.md",
            &Proc::new("Đăng ký công bố hợp chuẩn", "1.000047")
                .postal("\"receive\"")
                .extra("online_url = \"https://dvc.example.gov.vn/a\"\nsubmit_at = \"Trung tâm Phục vụ Hành chính công\"\nprocessing_time = \"05 ngày làm việc\"\napplicants = [\"Doanh nghiệp\"]\nupdated = 2020-09-21\n[[channels]]\nkind = \"online\"\nprocessing_time = \"03 ngày làm việc\"")
                .md(),
        ),
        ("content/procedures/b.md", &Proc::new("Thủ tục không qua bưu điện", "1.000048").postal("\"none\"").md()),
        ("content/procedures/x.md", &Proc::new(HOSTILE, "9.000001").extra("keywords = [\"</script>\"]\nupdated = 2020-09-22").md()),
        ("content/notices/tin.md", &notice("Thông báo mới", "2020-10-05", &["1.000047", "9.000001"])),
    ])
}

/// Every JSON-LD block of a page, parsed.
fn json_ld(html: &str) -> Vec<Value> {
    html.split("<script type=\"application/ld+json\">")
        .skip(1)
        .map(|rest| {
            let json = rest.split("</script>").next().unwrap();
            serde_json::from_str(json).unwrap_or_else(|e| panic!("invalid JSON-LD ({e}): {json}"))
        })
        .collect()
}

fn meta(html: &str, attr: &str, name: &str) -> Option<String> {
    let tag = format!("<meta {attr}=\"{name}\" content=\"");
    html.split(&tag).nth(1).map(|rest| rest.split('"').next().unwrap().to_string())
}

#[test]
fn a_procedure_is_a_government_service_with_its_channels() {
    let dir = site_with_everything();
    let tree = build_ok(dir.path());
    let html = page(&tree, "thu-tuc/a/index.html");
    let ld = json_ld(&html);
    assert_eq!(ld.len(), 1, "{ld:?}");
    let s = &ld[0];
    assert_eq!(s["@context"], "https://schema.org");
    assert_eq!(s["@type"], "GovernmentService");
    assert_eq!(s["name"], "Đăng ký công bố hợp chuẩn");
    assert_eq!(s["identifier"], "1.000047");
    assert_eq!(s["serviceType"], "Tiêu chuẩn Đo lường Chất lượng");
    assert_eq!(s["provider"]["@type"], "GovernmentOrganization");
    assert_eq!(s["provider"]["name"], "Sở Khoa học và Công nghệ");
    assert_eq!(s["areaServed"]["name"], "Tỉnh Quảng Trị");
    assert_eq!(s["url"], format!("{BASE_URL}/thu-tuc/a/"));
    let channels = s["availableChannel"].as_array().unwrap();
    assert_eq!(channels.len(), 3, "online, in person, postal: {channels:?}");
    assert!(channels.iter().all(|c| c["@type"] == "ServiceChannel"));
    assert_eq!(channels[0]["serviceUrl"], "https://dvc.example.gov.vn/a");
    assert_eq!(channels[0]["processingTime"], "P3D", "the online channel's own time");
    assert_eq!(channels[1]["serviceLocation"]["name"], "Trung tâm Phục vụ Hành chính công");
    assert_eq!(channels[1]["processingTime"], "P5D");
    assert_eq!(channels[2]["servicePostalAddress"]["@type"], "PostalAddress");

    let none = &json_ld(&page(&tree, "thu-tuc/b/index.html"))[0];
    let kinds: Vec<_> = none["availableChannel"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_object().unwrap().keys().any(|k| k == "servicePostalAddress"))
        .collect();
    assert_eq!(kinds, [false], "no online address, no postal channel: only in person");
}

#[test]
fn notices_are_news_articles_and_the_home_page_names_the_organization() {
    let dir = site_with_everything();
    let tree = build_ok(dir.path());
    let article = &json_ld(&page(&tree, "tin-tuc/tin/index.html"))[0];
    assert_eq!(article["@type"], "NewsArticle");
    assert_eq!(article["headline"], "Thông báo mới");
    assert_eq!(article["datePublished"], "2020-10-05");
    assert_eq!(article["publisher"]["name"], "Chi cục Thử nghiệm");
    assert_eq!(article["about"].as_array().unwrap().len(), 2);

    let home = &json_ld(&page(&tree, "index.html"))[0];
    let org = &home[0];
    assert_eq!(org["@type"], "GovernmentOrganization");
    assert_eq!(org["name"], "Chi cục Thử nghiệm");
    assert_eq!(org["address"]["streetAddress"], "1 Lê Lợi");
    assert_eq!(org["telephone"], "0233 3850 000");
    assert_eq!(home[1]["@type"], "WebSite");
    assert_eq!(home[1]["potentialAction"]["target"], format!("{BASE_URL}/tim-kiem/?q={{search_term_string}}"));
}

#[test]
fn every_page_has_open_graph_and_a_description() {
    let dir = site_with_everything();
    let tree = build_ok(dir.path());
    let pages: Vec<&String> = tree.keys().filter(|p| p.ends_with(".html")).collect();
    assert!(pages.len() > 20);
    for path in pages {
        let html = page(&tree, path);
        if html.contains("http-equiv=\"refresh\"") {
            continue; // alias redirects
        }
        for (attr, name) in [
            ("name", "description"),
            ("property", "og:title"),
            ("property", "og:description"),
            ("property", "og:url"),
            ("property", "og:type"),
            ("property", "og:site_name"),
            ("property", "og:locale"),
        ] {
            let value = meta(&html, attr, name).unwrap_or_else(|| panic!("{path} has no {name}"));
            assert!(!value.trim().is_empty(), "{path}: empty {name}");
        }
    }
    let html = page(&tree, "thu-tuc/a/index.html");
    assert_eq!(meta(&html, "property", "og:type").as_deref(), Some("article"));
    assert_eq!(meta(&html, "property", "og:url"), Some(format!("{BASE_URL}/thu-tuc/a/")));
}

#[test]
fn a_hostile_title_is_text_everywhere() {
    let dir = site_with_everything();
    let tree = build_ok(dir.path());
    let escaped = "&lt;script&gt;alert(1)&lt;/script&gt;";
    for path in [
        "thu-tuc/x/index.html",
        "thu-tuc/index.html",
        "tin-tuc/tin/index.html",
        "linh-vuc/tieu-chuan-do-luong-chat-luong/index.html",
        "muc-do/4/index.html",
        "buu-chinh/nhan-va-tra/index.html",
    ] {
        let html = page(&tree, path);
        let markup: String = html
            .split("<script type=\"application/ld+json\">")
            .map(|part| part.split_once("</script>").map_or(part, |(_, after)| after))
            .collect();
        assert!(!markup.contains("<script>alert"), "{path} carries the title as markup");
        assert!(!markup.contains("\"onmouseover=alert"), "{path} lets the title out of an attribute");
        assert!(html.contains(escaped), "{path} does not show the title as text");
        // The JSON-LD holds the exact title.
        for ld in json_ld(&html) {
            let text = ld.to_string();
            assert!(!text.contains("\"</script>"), "{path}: {text}");
        }
    }
    let ld = &json_ld(&page(&tree, "thu-tuc/x/index.html"))[0];
    assert_eq!(ld["name"], HOSTILE);
    let feed = page(&tree, "feed.xml");
    assert!(!feed.contains("<script>") && feed.contains("&lt;script&gt;"), "feed");
    let data = page(&tree, "du-lieu/thu-tuc.json");
    let records: Vec<Value> = serde_json::from_str(&data).unwrap();
    assert!(records.iter().any(|r| r["title"] == HOSTILE));
    let docs: String = tree
        .iter()
        .filter(|(p, _)| p.starts_with("tim-kiem/chi-muc/docs-"))
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .collect();
    assert!(
        docs.contains("\\u003cscript") || docs.contains("<script>alert(1)"),
        "the search data holds the title as data"
    );
}
