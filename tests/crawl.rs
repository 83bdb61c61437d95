//! Contract §5 at scale: on a site of 10,000 procedures, where every listing
//! runs to numbered pages, a crawler that only follows links (no JavaScript,
//! no search) from the home page reaches every published procedure, and every
//! listing page stays small.

mod common;

use std::collections::{BTreeSet, VecDeque};

use common::*;

const N: usize = 10_000;
const FIELDS: [&str; 7] = [
    "Tiêu chuẩn Đo lường Chất lượng",
    "Đo lường",
    "Đất đai",
    "Xây dựng",
    "Hộ tịch",
    "Giáo dục và Đào tạo",
    "Thành lập và hoạt động của doanh nghiệp, hợp tác xã và hộ kinh doanh",
];
const AGENCIES: [&str; 4] =
    ["Sở Khoa học và Công nghệ", "Sở Tài nguyên và Môi trường", "Sở Tư pháp", "Ủy ban nhân dân huyện Cái Bè"];
const POSTAL: [&str; 4] = ["\"both\"", "\"receive\"", "\"return\"", "\"none\""];

/// The site's files: procedure `i` is abolished when `i % 23 == 5`, a draft when `i % 101 == 7`.
fn files() -> Vec<(String, String)> {
    let mut files = vec![("site.toml".to_string(), SITE_TOML.to_string())];
    for i in 0..N {
        let mut p = Proc::new(&format!("Thủ tục hành chính thử tải số {i:05}"), &format!("1.{i:06}"))
            .field(FIELDS[i % FIELDS.len()])
            .agency(AGENCIES[(i / 7) % AGENCIES.len()])
            .level(["2", "3", "4"][(i / 3) % 3])
            .postal(POSTAL[(i / 5) % 4])
            .body("## Trình tự thực hiện\n\nNộp hồ sơ.\n");
        if i % 23 == 5 {
            p = p.extra("status = \"abolished\"");
        }
        if i % 101 == 7 {
            p = p.extra("draft = true");
        }
        files.push((format!("content/procedures/nhom-{:03}/p-{i:05}.md", i / 100), p.md()));
    }
    for i in 0..120 {
        let date = format!("20{:02}-{:02}-{:02}", 10 + i / 12, 1 + i % 12, 1 + i % 28);
        files.push((format!("content/notices/tin-{i:03}.md"), notice(&format!("Tin số {i:03}"), &date, &[])));
    }
    files
}

#[test]
fn a_crawl_from_the_home_page_reaches_every_procedure_of_ten_thousand() {
    let files = files();
    let borrowed: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let dir = site(&borrowed);
    let tree = build_ok(dir.path());

    let mut seen: BTreeSet<String> = BTreeSet::from(["index.html".to_string()]);
    let mut queue = VecDeque::from(["index.html".to_string()]);
    while let Some(file) = queue.pop_front() {
        let Some(bytes) = tree.get(&file) else { continue };
        let html = String::from_utf8_lossy(bytes);
        for href in hrefs(&html) {
            if href.contains(':') || href.starts_with('#') || href.starts_with('/') {
                continue;
            }
            let target = resolve(&file, &href);
            if target.ends_with(".html") && !seen.contains(&target) {
                seen.insert(target.clone());
                queue.push_back(target);
            }
        }
    }
    let published: Vec<usize> = (0..N).filter(|i| i % 101 != 7).collect();
    let missing: Vec<String> =
        published.iter().map(|i| format!("thu-tuc/p-{i:05}/index.html")).filter(|page| !seen.contains(page)).collect();
    assert!(tree.contains_key("thu-tuc/p-00000/index.html"), "the slugs are as expected");
    assert!(
        missing.is_empty(),
        "{} procedures are not reached, such as {:?}",
        missing.len(),
        &missing[..3.min(missing.len())]
    );
    let listing_pages: Vec<&String> =
        tree.keys().filter(|k| k.contains("/trang/") && k.ends_with("index.html")).collect();
    assert!(listing_pages.len() > 200, "the listings run to numbered pages");
    let unreached: Vec<&&String> = listing_pages.iter().filter(|p| !seen.contains(**p)).collect();
    assert!(unreached.is_empty(), "listing pages not reached: {unreached:?}");
    let heaviest = tree
        .iter()
        .filter(|(k, _)| {
            k.ends_with("index.html")
                && ["thu-tuc/", "muc-do/", "buu-chinh/", "linh-vuc/", "co-quan/", "tin-tuc/"]
                    .iter()
                    .any(|d| k.starts_with(d) && (k.contains("/trang/") || k.matches('/').count() <= 2))
        })
        .map(|(k, v)| (v.len(), k))
        .max()
        .unwrap();
    assert!(heaviest.0 < 60_000, "the heaviest listing page, {}, holds {} bytes", heaviest.1, heaviest.0);
}
