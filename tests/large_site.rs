//! Contract §3, §5, §8 on a generated site of 300 procedures that mixes every
//! accepted input form: the open data, every filter page, the statistics and
//! the CSV must agree with figures computed here from the generated data.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::*;
use serde_json::Value;

const LEVELS: [&str; 3] = ["2", "3", "4"];
/// Declared in site.toml but used by no procedure: its page must exist, empty.
const UNUSED_LEVEL: &str = "1";
const FIELDS: [&str; 5] = [
    "Tiêu chuẩn Đo lường Chất lượng",
    "Đo lường",
    "Năng lượng nguyên tử, an toàn bức xạ và hạt nhân",
    "Sở hữu trí tuệ",
    "Hoạt động khoa học và công nghệ",
];
const AGENCIES: [&str; 3] =
    ["Sở Khoa học và Công nghệ", "Chi cục Tiêu chuẩn Đo lường Chất lượng", "Ủy ban nhân dân cấp tỉnh"];
/// Used only by abolished procedures: its page must exist and say it is empty.
const GONE_AGENCY: &str = "Cơ quan đã giải thể";
const TITLES: [&str; 6] = [
    "Đăng ký công bố hợp chuẩn",
    "Cấp giấy chứng nhận hoạt động thử nghiệm",
    "Kiểm tra nhà nước về chất lượng hàng hóa nhập khẩu",
    "Chỉ định tổ chức đánh giá sự phù hợp",
    "Điều chỉnh nội dung chỉ định",
    "Xét tặng giải thưởng chất lượng quốc gia",
];
const N: usize = 300;

/// One generated procedure and what the build should make of it.
#[derive(Debug, Clone)]
struct Gen {
    file: String,
    text: Vec<u8>,
    code: String,
    title: String,
    slug: String,
    field: &'static str,
    agency: &'static str,
    level: &'static str,
    postal: &'static str,
    status: &'static str,
    draft: bool,
}

impl Gen {
    fn active(&self) -> bool {
        !self.draft && self.status != "abolished"
    }
}

fn generate(i: usize) -> Gen {
    let draft = i.is_multiple_of(17);
    let status = if i % 11 == 3 {
        "abolished"
    } else if i % 7 == 2 {
        "amended"
    } else {
        "active"
    };
    let agency = if status == "abolished" && i.is_multiple_of(2) { GONE_AGENCY } else { AGENCIES[i % 3] };
    let field = FIELDS[(i / 3) % FIELDS.len()];
    let level = LEVELS[(i / 2) % 3];
    let level_raw = if i.is_multiple_of(2) { level.to_string() } else { format!("\"{level}\"") };
    let (postal_raw, postal) = match i % 8 {
        0 | 6 => ("true", "both"),
        1 => ("false", "none"),
        2 => ("\"both\"", "both"),
        3 | 7 => ("\"receive\"", "receive"),
        4 => ("\"return\"", "return"),
        _ => ("\"none\"", "none"),
    };
    let folder = match i % 5 {
        0 => String::new(),
        1 => format!("nhom-{}/", i % 4),
        2 => format!("nhom-{}/con-{}/", i % 4, i % 3),
        3 => "a/b/c/d/".to_string(),
        _ => format!("x{}/y/z/", i % 2),
    };
    let code = if i.is_multiple_of(9) { format!("1.{:06}.000.00.00.H29", i) } else { format!("1.{:06}", 1000 + i) };
    let title = format!("{} số {i}", TITLES[i % TITLES.len()]);
    let written_title = if i % 4 == 1 { nfd(&title) } else { title.clone() };
    let mut p = Proc::new(&written_title, &code).field(field).agency(agency).level(&level_raw).postal(postal_raw);
    if i % 10 == 7 {
        p = p.field(&nfd(field));
    }
    let slug = if i % 13 == 4 {
        p = p.extra(&format!("slug = \"tt-rieng-{i}\""));
        format!("tt-rieng-{i}")
    } else {
        format!("thu-tuc-{i:03}")
    };
    if status != "active" || i.is_multiple_of(3) {
        p = p.extra(&format!("status = \"{status}\""));
    }
    if draft {
        p = p.extra("draft = true");
    }
    if i % 5 == 2 {
        p = p.extra("processing_time = \"05 ngày làm việc\"\nfee = \"Không\"\nupdated = 2021-03-04");
    }
    let mut text = p.md();
    if i % 6 == 5 {
        text = format!("\u{FEFF}{}", text.replace('\n', "\r\n"));
    }
    Gen {
        file: format!("content/procedures/{folder}thu-tuc-{i:03}.md"),
        text: text.into_bytes(),
        code,
        title,
        slug,
        field,
        agency,
        level,
        postal,
        status,
        draft,
    }
}

/// Notice k names the procedures 7k and 7k + 3.
fn notices() -> Vec<(String, String, Vec<usize>)> {
    (0..12)
        .map(|k| {
            let named = vec![7 * k, 7 * k + 3];
            let codes: Vec<String> = named.iter().map(|&i| generate(i).code).collect();
            let refs: Vec<&str> = codes.iter().map(String::as_str).collect();
            (
                format!("content/notices/tin-{k:02}.md"),
                notice(&format!("Thông báo số {k}"), &format!("2021-{:02}-10", k + 1), &refs),
                named,
            )
        })
        .collect()
}

fn site_toml() -> String {
    SITE_TOML.replace(
        "[[service_levels]]\nid = \"2\"",
        "[[service_levels]]\nid = \"1\"\nname = \"Mức độ 1\"\n\n[[service_levels]]\nid = \"2\"",
    )
}

struct Built {
    _dir: tempfile::TempDir,
    root: std::path::PathBuf,
    gens: Vec<Gen>,
    tree: Tree,
}

fn build_large() -> Built {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    write_bytes(&root, "site.toml", site_toml().as_bytes());
    let gens: Vec<Gen> = (0..N).map(generate).collect();
    for g in &gens {
        write_bytes(&root, &g.file, &g.text);
    }
    for (path, text, _) in notices() {
        write_bytes(&root, &path, text.as_bytes());
    }
    let tree = build_ok(&root);
    Built { _dir: dir, root, gens, tree }
}

/// The large site is built once and shared by the tests of this file.
fn large() -> &'static Built {
    static BUILT: std::sync::OnceLock<Built> = std::sync::OnceLock::new();
    BUILT.get_or_init(build_large)
}

fn slugs<'a>(gens: impl Iterator<Item = &'a Gen>) -> BTreeSet<String> {
    gens.map(|g| g.slug.clone()).collect()
}

/// The text of a page's first `<h1>`.
fn h1(html: &str) -> String {
    let start = html.find("<h1").expect("a page has an h1");
    let start = start + html[start..].find('>').unwrap() + 1;
    let end = start + html[start..].find("</h1>").unwrap();
    html[start..end].trim().to_string()
}

/// Name (from the page's h1) → links, for every page under `linh-vuc/` or `co-quan/`.
fn group_pages(tree: &Tree, dir: &str) -> BTreeMap<String, (String, BTreeSet<String>)> {
    subfolders(tree, dir)
        .into_iter()
        .map(|slug| {
            let html = page(tree, &format!("{dir}/{slug}/index.html"));
            let links = listing_links(tree, &format!("{dir}/{slug}/"));
            (h1(&html), (slug, links))
        })
        .collect()
}

#[test]
fn the_generated_data_is_a_real_mix() {
    let gens: Vec<Gen> = (0..N).map(generate).collect();
    let drafts = gens.iter().filter(|g| g.draft).count();
    let abolished = gens.iter().filter(|g| g.status == "abolished" && !g.draft).count();
    let amended = gens.iter().filter(|g| g.status == "amended" && !g.draft).count();
    assert!(drafts > 5 && abolished > 10 && amended > 10);
    for level in LEVELS {
        assert!(gens.iter().any(|g| g.active() && g.level == level));
    }
    for postal in ["both", "receive", "return", "none"] {
        assert!(gens.iter().any(|g| g.active() && g.postal == postal));
    }
    assert!(gens.iter().any(|g| g.agency == GONE_AGENCY));
    assert!(gens.iter().filter(|g| g.agency == GONE_AGENCY).all(|g| !g.active()));
}

#[test]
fn open_data_lists_exactly_the_published_procedures() {
    let b = large();
    let data = open_data(&b.tree);
    let published: Vec<&Gen> = b.gens.iter().filter(|g| !g.draft).collect();
    assert_eq!(data.len(), published.len());
    let by_code: BTreeMap<&str, &Value> =
        data.iter().map(|r| (r["code"].as_str().expect("code is a string"), r)).collect();
    assert_eq!(by_code.len(), data.len(), "codes repeat in thu-tuc.json");
    for g in published {
        let r = by_code.get(g.code.as_str()).unwrap_or_else(|| panic!("{} is missing from thu-tuc.json", g.code));
        let path = format!("/thu-tuc/{}/", g.slug);
        assert_eq!(r["path"], path, "{}", g.code);
        assert_eq!(r["url"], format!("{BASE_URL}{path}"), "{}", g.code);
        assert_eq!(r["title"], g.title.as_str(), "{}", g.code);
        assert_eq!(r["field"], g.field, "{}", g.code);
        assert_eq!(r["agency"], g.agency, "{}", g.code);
        assert_eq!(r["service_level"], Value::from(g.level), "{}", g.code);
        assert_eq!(r["postal"], g.postal, "{}", g.code);
        assert_eq!(r["status"], g.status, "{}", g.code);
        assert!(b.tree.contains_key(&format!("thu-tuc/{}/index.html", g.slug)), "no page for {}", g.code);
    }
    for g in b.gens.iter().filter(|g| g.draft) {
        assert!(!b.tree.contains_key(&format!("thu-tuc/{}/index.html", g.slug)));
    }
}

#[test]
fn every_level_page_links_exactly_its_active_procedures() {
    let b = large();
    for level in LEVELS {
        let expected = slugs(b.gens.iter().filter(|g| g.active() && g.level == level));
        assert_eq!(listing_links(&b.tree, &format!("muc-do/{level}/")), expected, "/muc-do/{level}/");
    }
    let empty = page(&b.tree, &format!("muc-do/{UNUSED_LEVEL}/index.html"));
    assert!(procedure_links(&empty).is_empty());
    assert!(empty.contains(&t_html("vi", "empty_list")), "an empty level page does not say so");
}

#[test]
fn every_postal_page_links_exactly_its_active_procedures() {
    let b = large();
    for (mode, word) in
        [("nhan-va-tra", "both"), ("nhan-ho-so", "receive"), ("tra-ket-qua", "return"), ("khong", "none")]
    {
        let expected = slugs(b.gens.iter().filter(|g| g.active() && g.postal == word));
        assert_eq!(listing_links(&b.tree, &format!("buu-chinh/{mode}/")), expected, "/buu-chinh/{mode}/");
    }
}

#[test]
fn every_field_page_links_exactly_its_active_procedures() {
    let b = large();
    let pages = group_pages(&b.tree, "linh-vuc");
    let names: BTreeSet<String> = pages.keys().cloned().collect();
    let expected: BTreeSet<String> = FIELDS.iter().map(|f| f.to_string()).collect();
    assert_eq!(names, expected, "one page per field, NFD spellings included");
    for field in FIELDS {
        let (_, links) = &pages[field];
        let expected = slugs(b.gens.iter().filter(|g| g.active() && g.field == field));
        assert_eq!(links, &expected, "field {field}");
    }
    assert_eq!(pages["Tiêu chuẩn Đo lường Chất lượng"].0, "tieu-chuan-do-luong-chat-luong");
    assert_eq!(pages["Sở hữu trí tuệ"].0, "so-huu-tri-tue");
}

#[test]
fn every_agency_page_links_exactly_its_active_procedures() {
    let b = large();
    let pages = group_pages(&b.tree, "co-quan");
    let mut expected_names: BTreeSet<String> = AGENCIES.iter().map(|a| a.to_string()).collect();
    expected_names.insert(GONE_AGENCY.to_string());
    assert_eq!(pages.keys().cloned().collect::<BTreeSet<_>>(), expected_names);
    for agency in AGENCIES {
        let (_, links) = &pages[agency];
        let expected = slugs(b.gens.iter().filter(|g| g.active() && g.agency == agency));
        assert_eq!(links, &expected, "agency {agency}");
    }
    let (slug, links) = &pages[GONE_AGENCY];
    assert!(links.is_empty(), "abolished procedures are listed on {slug}");
    let html = page(&b.tree, &format!("co-quan/{slug}/index.html"));
    assert!(html.contains(&t_html("vi", "empty_list")), "an empty agency page does not say so");
    assert_eq!(pages["Ủy ban nhân dân cấp tỉnh"].0, "uy-ban-nhan-dan-cap-tinh");
}

#[test]
fn the_list_of_all_procedures_has_every_active_one_and_no_draft() {
    let b = large();
    let links = listing_links(&b.tree, "thu-tuc/");
    let active = slugs(b.gens.iter().filter(|g| g.active()));
    assert!(active.is_subset(&links), "missing: {:?}", active.difference(&links));
    let drafts = slugs(b.gens.iter().filter(|g| g.draft));
    assert!(links.is_disjoint(&drafts));
}

#[test]
fn abolished_and_amended_procedures_keep_marked_pages() {
    let b = large();
    let abolished = b.gens.iter().find(|g| g.status == "abolished" && !g.draft).unwrap();
    let html = page(&b.tree, &format!("thu-tuc/{}/index.html", abolished.slug));
    assert!(html.contains(&t_html("vi", "abolished_banner")), "no abolished banner on {}", abolished.slug);
    let amended = b.gens.iter().find(|g| g.status == "amended" && !g.draft).unwrap();
    let html = page(&b.tree, &format!("thu-tuc/{}/index.html", amended.slug));
    assert!(html.contains(&t_html("vi", "amended_banner")), "no amended banner on {}", amended.slug);
}

#[test]
fn procedures_named_by_notices_list_them() {
    let b = large();
    for (path, _, named) in notices() {
        let slug = path.trim_start_matches("content/notices/").trim_end_matches(".md");
        for i in named {
            let g = &b.gens[i];
            if g.draft {
                continue;
            }
            let html = page(&b.tree, &format!("thu-tuc/{}/index.html", g.slug));
            assert!(html.contains(&t_html("vi", "related_notices")), "{} lists no notices", g.slug);
            assert!(
                hrefs(&html).iter().any(|h| h.ends_with(&format!("tin-tuc/{slug}/"))),
                "{} does not link to notice {slug}",
                g.slug
            );
        }
    }
}

fn share(n: usize, total: usize) -> f64 {
    (n as f64 * 10_000.0 / total as f64).round() / 100.0
}

#[track_caller]
fn assert_share(value: &Value, n: usize, total: usize) {
    let got = value.as_f64().expect("a share is a number");
    assert!((got - share(n, total)).abs() < 0.006, "share {got} for {n}/{total}");
}

#[test]
fn report_json_figures_match_the_generated_data() {
    let b = large();
    let out = run(&b.root, "report", &["--format", "json"]);
    out.expect(0);
    let stats: Value = serde_json::from_str(&out.stdout).expect("report --format json is JSON");
    let active: Vec<&Gen> = b.gens.iter().filter(|g| g.active()).collect();
    let total = active.len();
    assert_eq!(stats["total"], total);

    let all_levels = [UNUSED_LEVEL, "2", "3", "4"];
    let levels = stats["levels"].as_array().unwrap();
    assert_eq!(levels.len(), all_levels.len());
    for (k, id) in all_levels.iter().enumerate() {
        let l = &levels[k];
        assert_eq!(l["id"], *id, "levels are listed lowest first");
        let count = active.iter().filter(|g| g.level == *id).count();
        let above = active.iter().filter(|g| all_levels[k..].contains(&g.level)).count();
        assert_eq!(l["count"], count, "level {id}");
        assert_eq!(l["at_or_above"], above, "level {id} at or above");
        assert_share(&l["share"], count, total);
        assert_share(&l["at_or_above_share"], above, total);
    }
    let postal = stats["postal"].as_array().unwrap();
    let mut seen = BTreeSet::new();
    for p in postal {
        let mode = p["mode"].as_str().unwrap();
        seen.insert(mode.to_string());
        let count = active.iter().filter(|g| g.postal == mode).count();
        assert_eq!(p["count"], count, "postal {mode}");
        assert_share(&p["share"], count, total);
    }
    assert_eq!(seen, ["both", "none", "receive", "return"].map(String::from).into());
    let any = active.iter().filter(|g| g.postal != "none").count();
    assert_eq!(stats["postal_any"], any);
    assert_share(&stats["postal_any_share"], any, total);
}

#[test]
fn report_text_and_the_statistics_page_give_the_same_figures() {
    let b = large();
    let out = run(&b.root, "report", &[]);
    out.expect(0);
    let active: Vec<&Gen> = b.gens.iter().filter(|g| g.active()).collect();
    let total = active.len();
    let html = page(&b.tree, "thong-ke/index.html");
    for id in LEVELS {
        let count = active.iter().filter(|g| g.level == id).count();
        let figure = format!("{count}/{total}");
        assert!(out.stdout.contains(&figure), "report lacks {figure}:\n{}", out.stdout);
        assert!(html.contains(&figure), "/thong-ke/ lacks {figure}");
    }
    let any = active.iter().filter(|g| g.postal != "none").count();
    assert!(out.stdout.contains(&format!("{any}/{total}")));
    assert!(html.contains(&format!("{any}/{total}")));
    let home = page(&b.tree, "index.html");
    assert!(home.contains(&total.to_string()), "the home page lacks the count");
}

#[test]
fn the_csv_starts_with_a_bom_and_has_one_row_per_procedure() {
    let b = large();
    let bytes = &b.tree["du-lieu/thu-tuc.csv"];
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "the CSV has no UTF-8 BOM");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let headers = reader.headers().unwrap().clone();
    let code_col = headers.iter().position(|h| h == "code").expect("a code column");
    let postal_col = headers.iter().position(|h| h == "postal").expect("a postal column");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let published: Vec<&Gen> = b.gens.iter().filter(|g| !g.draft).collect();
    assert_eq!(rows.len(), published.len());
    let codes: BTreeMap<String, String> =
        rows.iter().map(|r| (r[code_col].to_string(), r[postal_col].to_string())).collect();
    for g in published {
        assert_eq!(codes.get(&g.code).map(String::as_str), Some(g.postal), "{}", g.code);
    }
}

#[test]
fn the_sitemap_lists_every_published_procedure() {
    let b = large();
    let sitemap = page(&b.tree, "sitemap.xml");
    for g in &b.gens {
        let loc = format!("<loc>{BASE_URL}/thu-tuc/{}/</loc>", g.slug);
        assert_eq!(sitemap.contains(&loc), !g.draft, "{loc}");
    }
}

/// Contract §5: every filter page exists even when empty, and then says so.
#[test]
fn every_filter_page_exists_even_when_empty() {
    let dir = site(&[
        ("site.toml", SITE_TOML),
        (
            "content/procedures/bai-bo.md",
            &Proc::new("Đã bãi bỏ", "9.1")
                .field("Lĩnh vực cũ")
                .agency("Cơ quan cũ")
                .extra("status = \"abolished\"")
                .md(),
        ),
        ("content/procedures/con.md", &Proc::new("Còn hiệu lực", "9.2").md()),
    ]);
    let tree = build_ok(dir.path());
    let mut empty = vec![
        "muc-do/2/index.html".to_string(),
        "muc-do/3/index.html".to_string(),
        "buu-chinh/nhan-ho-so/index.html".to_string(),
        "buu-chinh/tra-ket-qua/index.html".to_string(),
        "buu-chinh/khong/index.html".to_string(),
    ];
    empty.push(format!("linh-vuc/{}/index.html", "linh-vuc-cu"));
    empty.push(format!("co-quan/{}/index.html", "co-quan-cu"));
    for path in &empty {
        let html = page(&tree, path);
        assert!(procedure_links(&html).is_empty(), "{path} lists something");
        assert!(html.contains(&t_html("vi", "empty_list")), "{path} does not say it is empty");
    }
    for path in ["muc-do/4/index.html", "buu-chinh/nhan-va-tra/index.html"] {
        let html = page(&tree, path);
        assert_eq!(procedure_links(&html), ["con".to_string()].into(), "{path}");
        assert!(!html.contains(&t_html("vi", "empty_list")));
    }
    for overview in ["muc-do", "buu-chinh", "linh-vuc", "co-quan"] {
        assert!(tree.contains_key(&format!("{overview}/index.html")));
    }
}

#[test]
fn check_finds_no_link_that_leads_nowhere() {
    let out = check(&large().root);
    out.expect(0);
    assert!(!out.stderr.contains(": warning: the built page links to"), "{}", out.stderr);
}
