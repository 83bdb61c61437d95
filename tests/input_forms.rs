//! Contract §1, §3: the forms of input the tool accepts, as people really
//! save them: byte-order marks, Windows line endings, decomposed Unicode,
//! levels written as numbers or text, postal written as true/false or words,
//! any depth of folders, and drafts.

mod common;

use common::*;
use serde_json::Value;

fn record<'a>(data: &'a [Value], code: &str) -> &'a Value {
    data.iter().find(|r| r["code"] == code).unwrap_or_else(|| panic!("no record with code {code} in {data:#?}"))
}

#[test]
fn a_utf8_byte_order_mark_is_accepted_and_dropped() {
    let text = format!("\u{FEFF}{}", Proc::new("Thủ tục có BOM", "1.000001").md());
    let dir = site(&[
        ("site.toml", &format!("\u{FEFF}{SITE_TOML}")),
        ("content/procedures/co-bom.md", &text),
        ("content/_index.md", "\u{FEFF}Chào mừng đến với trang thử nghiệm.\n"),
    ]);
    let tree = build_ok(dir.path());
    let data = open_data(&tree);
    assert_eq!(record(&data, "1.000001")["title"], "Thủ tục có BOM");
    for (path, bytes) in &tree {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.contains('\u{FEFF}') || path.ends_with(".csv"),
            "{path} carries a byte-order mark from the input"
        );
    }
    assert!(page(&tree, "index.html").contains("Chào mừng đến với trang thử nghiệm."));
}

#[test]
fn windows_line_endings_are_accepted() {
    let md = Proc::new("Thủ tục CRLF", "1.000002")
        .extra("processing_time = \"05 ngày\"\n[[channels]]\nkind = \"online\"\nfee = \"Không\"")
        .md()
        .replace('\n', "\r\n");
    let notice = notice("Tin CRLF", "2020-10-05", &["1.000002"]).replace('\n', "\r\n");
    let dir = site(&[
        ("site.toml", &SITE_TOML.replace('\n', "\r\n")),
        ("content/procedures/crlf.md", &md),
        ("content/notices/crlf.md", &notice),
    ]);
    let tree = build_ok(dir.path());
    let data = open_data(&tree);
    let r = record(&data, "1.000002");
    assert_eq!(r["title"], "Thủ tục CRLF");
    assert_eq!(r["processing_time"], "05 ngày");
    assert_eq!(r["channels"][0]["kind"], "online");
    let html = page(&tree, "thu-tuc/crlf/index.html");
    assert!(html.contains("id=\"thanh-phan-ho-so\""), "{html}");
    assert!(!html.contains('\r'), "a carriage return leaked into the page");
    assert!(page(&tree, "tin-tuc/crlf/index.html").contains("Tin CRLF"));
}

#[test]
fn a_crlf_file_with_an_error_reports_the_right_column() {
    let md = Proc::new("Thủ tục CRLF", "1.000002").postal("\"sometimes\"").md().replace('\n', "\r\n");
    let dir = site(&[("site.toml", SITE_TOML), ("content/procedures/crlf.md", &md)]);
    let out = check(dir.path());
    out.expect(1);
    assert!(out.stderr.contains("content/procedures/crlf.md:7:10: error:"), "{}", out.stderr);
}

#[test]
fn a_file_with_a_byte_order_mark_reports_the_right_column() {
    let md = format!("\u{FEFF}{}", Proc::new("BOM", "1").postal("\"sometimes\"").md());
    let dir = site(&[("site.toml", SITE_TOML), ("content/procedures/bom.md", &md)]);
    let out = check(dir.path());
    out.expect(1);
    assert!(out.stderr.contains("content/procedures/bom.md:7:10: error:"), "{}", out.stderr);
}

#[test]
fn decomposed_unicode_is_stored_composed() {
    let title = "Đăng ký công bố hợp quy sản phẩm";
    let field = "Tiêu chuẩn Đo lường Chất lượng";
    let (title_nfd, field_nfd) = (nfd(title), nfd(field));
    assert_ne!(title_nfd, title, "the test text must really be decomposed");
    assert_ne!(field_nfd, field);
    let dir = site(&[
        ("site.toml", SITE_TOML),
        (
            "content/procedures/nfd.md",
            &Proc::new(&title_nfd, "1.000003")
                .field(&field_nfd)
                .body(&nfd("## Thành phần hồ sơ\n\nBản công bố hợp quy.\n"))
                .md(),
        ),
        // A file name saved in NFD (as macOS does) gives the same slug.
        (&format!("content/procedures/{}.md", nfd("Đăng ký hợp quy")), &Proc::new("Tên tệp NFD", "1.000005").md()),
        // The same field typed in NFC by someone else must meet the NFD one.
        ("content/procedures/nfc.md", &Proc::new("Thủ tục khác", "1.000004").field(field).md()),
    ]);
    let tree = build_ok(dir.path());
    let data = open_data(&tree);
    let r = record(&data, "1.000003");
    assert_eq!(r["title"], title);
    assert_eq!(r["field"], field);
    let html = page(&tree, "thu-tuc/nfd/index.html");
    assert!(html.contains(title), "the page lacks the NFC title");
    assert!(!html.contains(&title_nfd), "the page keeps the NFD title");
    assert!(html.contains("id=\"thanh-phan-ho-so\""), "{html}");
    assert!(html.contains("Bản công bố hợp quy."));
    for (path, bytes) in &tree {
        let text = String::from_utf8_lossy(bytes);
        for mark in ['\u{0301}', '\u{0306}', '\u{0302}', '\u{031B}', '\u{0323}', '\u{0300}'] {
            assert!(!text.contains(mark), "{path} holds a combining mark {mark:?}");
        }
    }
    let fields = subfolders(&tree, "linh-vuc");
    assert_eq!(fields.len(), 1, "the NFD and NFC spellings of one field made two fields: {fields:?}");
    let field_page = page(&tree, &format!("linh-vuc/{}/index.html", fields.first().unwrap()));
    assert_eq!(procedure_links(&field_page), ["dang-ky-hop-quy", "nfc", "nfd"].map(String::from).into());
    assert_eq!(record(&data, "1.000005")["path"], "/thu-tuc/dang-ky-hop-quy/");
}

#[test]
fn service_level_may_be_a_number_or_text() {
    let dir = site(&[
        ("site.toml", SITE_TOML),
        ("content/procedures/so.md", &Proc::new("Số", "1.1").level("4").md()),
        ("content/procedures/chu.md", &Proc::new("Chữ", "1.2").level("\"4\"").md()),
        ("content/procedures/ba.md", &Proc::new("Ba", "1.3").level("3").md()),
    ]);
    let tree = build_ok(dir.path());
    let data = open_data(&tree);
    assert_eq!(record(&data, "1.1")["service_level"], Value::from("4"));
    assert_eq!(record(&data, "1.2")["service_level"], Value::from("4"));
    assert_eq!(record(&data, "1.3")["service_level"], Value::from("3"));
    assert_eq!(procedure_links(&page(&tree, "muc-do/4/index.html")), ["chu", "so"].map(String::from).into());
}

#[test]
fn postal_may_be_true_false_or_a_word() {
    let cases = [
        ("true", "both"),
        ("false", "none"),
        ("\"both\"", "both"),
        ("\"receive\"", "receive"),
        ("\"return\"", "return"),
        ("\"none\"", "none"),
    ];
    let files: Vec<(String, String)> = cases
        .iter()
        .enumerate()
        .map(|(i, (raw, _))| {
            (
                format!("content/procedures/p{i}.md"),
                Proc::new(&format!("Thủ tục {i}"), &format!("2.{i}")).postal(raw).md(),
            )
        })
        .collect();
    let mut all: Vec<(&str, &str)> = vec![("site.toml", SITE_TOML)];
    all.extend(files.iter().map(|(p, t)| (p.as_str(), t.as_str())));
    let dir = site(&all);
    let tree = build_ok(dir.path());
    let data = open_data(&tree);
    for (i, (raw, word)) in cases.iter().enumerate() {
        assert_eq!(record(&data, &format!("2.{i}"))["postal"], *word, "postal = {raw}");
    }
    assert_eq!(
        procedure_links(&page(&tree, "buu-chinh/nhan-va-tra/index.html")),
        ["p0", "p2"].map(String::from).into()
    );
    assert_eq!(procedure_links(&page(&tree, "buu-chinh/khong/index.html")), ["p1", "p5"].map(String::from).into());
    assert_eq!(procedure_links(&page(&tree, "buu-chinh/nhan-ho-so/index.html")), ["p3"].map(String::from).into());
    assert_eq!(procedure_links(&page(&tree, "buu-chinh/tra-ket-qua/index.html")), ["p4"].map(String::from).into());
}

#[test]
fn procedures_may_sit_in_sub_folders_of_any_depth() {
    let deep = "content/procedures/a/b/c/d/e/f/g/h/sau.md";
    let dir = site(&[
        ("site.toml", SITE_TOML),
        ("content/procedures/goc.md", &Proc::new("Gốc", "3.0").md()),
        ("content/procedures/mot/mot.md", &Proc::new("Một", "3.1").md()),
        ("content/procedures/hai/ba/ba.md", &Proc::new("Ba", "3.3").md()),
        (deep, &Proc::new("Sâu", "3.8").md()),
        ("content/notices/x/y/z/tin.md", &notice("Tin sâu", "2021-01-01", &["3.8"])),
    ]);
    let tree = build_ok(dir.path());
    let data = open_data(&tree);
    assert_eq!(data.len(), 4);
    assert_eq!(record(&data, "3.8")["path"], "/thu-tuc/sau/");
    assert_eq!(record(&data, "3.3")["path"], "/thu-tuc/ba/");
    for slug in ["goc", "mot", "ba", "sau"] {
        assert!(tree.contains_key(&format!("thu-tuc/{slug}/index.html")));
    }
    assert!(tree.contains_key("tin-tuc/tin/index.html"));
    assert!(page(&tree, "thu-tuc/sau/index.html").contains("Tin sâu"));
}

#[test]
fn drafts_are_left_out_unless_built_with_drafts() {
    let dir = site(&[
        ("site.toml", SITE_TOML),
        ("content/procedures/cong-khai.md", &Proc::new("Công khai", "4.1").md()),
        ("content/procedures/nhap.md", &Proc::new("Thủ tục nháp", "4.2").extra("draft = true").md()),
        (
            "content/notices/tin-nhap.md",
            "+++\ntitle = \"Tin nháp\"\ndate = 2021-02-02\nprocedures = [\"4.2\"]\ndraft = true\n+++\nx\n",
        ),
    ]);
    let root = dir.path();
    let tree = build_ok(root);
    assert_eq!(open_data(&tree).len(), 1);
    assert!(!tree.contains_key("thu-tuc/nhap/index.html"));
    assert!(!tree.contains_key("tin-tuc/tin-nhap/index.html"));
    for (path, bytes) in &tree {
        let text = String::from_utf8_lossy(bytes);
        assert!(!text.contains("Thủ tục nháp"), "{path} mentions the draft");
        assert!(!text.contains("Tin nháp"), "{path} mentions the draft notice");
    }
    let report = run(root, "report", &["--format", "json"]);
    report.expect(0);
    let stats: Value = serde_json::from_str(&report.stdout).unwrap();
    assert_eq!(stats["total"], 1, "report counts a draft");

    let out = tempfile::tempdir().unwrap();
    let out = out.path().join("with-drafts");
    run(root, "build", &["--drafts", "--output", out.to_str().unwrap()]).expect(0);
    let tree = read_tree(&out);
    assert_eq!(open_data(&tree).len(), 2);
    let html = page(&tree, "thu-tuc/nhap/index.html");
    assert!(html.contains("Thủ tục nháp"));
    assert!(html.contains(&t_html("vi", "draft_marker")), "no visible draft marker:\n{html}");
    let list = page(&tree, "thu-tuc/index.html");
    assert!(procedure_links(&list).contains("nhap"));
    assert!(list.contains(&t_html("vi", "draft_marker")), "the list does not mark the draft");
    let notice = page(&tree, "tin-tuc/tin-nhap/index.html");
    assert!(notice.contains("Tin nháp"));
}

/// Contract §2: a site on the newer scheme declares its own level ids.
#[test]
fn service_levels_of_the_newer_scheme_work() {
    let toml = r#"title = "Dịch vụ công"
base_url = "https://example.gov.vn"

[[service_levels]]
id = "mot-phan"
name = "Dịch vụ công trực tuyến một phần"

[[service_levels]]
id = "toan-trinh"
name = "Dịch vụ công trực tuyến toàn trình"
"#;
    let dir = site(&[
        ("site.toml", toml),
        ("content/procedures/a.md", &Proc::new("A", "1").level("\"toan-trinh\"").md()),
        ("content/procedures/b.md", &Proc::new("B", "2").level("\"mot-phan\"").md()),
        ("content/procedures/c.md", &Proc::new("C", "3").level("\"toan-trinh\"").md()),
    ]);
    let tree = build_ok(dir.path());
    assert_eq!(procedure_links(&page(&tree, "muc-do/toan-trinh/index.html")), ["a", "c"].map(String::from).into());
    assert_eq!(procedure_links(&page(&tree, "muc-do/mot-phan/index.html")), ["b"].map(String::from).into());
    let data = open_data(&tree);
    assert_eq!(record(&data, "1")["service_level"], "toan-trinh");
    assert_eq!(record(&data, "1")["url"], "https://example.gov.vn/thu-tuc/a/");
    let report = run(dir.path(), "report", &["--format", "json"]);
    report.expect(0);
    let stats: Value = serde_json::from_str(&report.stdout).unwrap();
    assert_eq!(stats["levels"][0]["id"], "mot-phan");
    assert_eq!(stats["levels"][0]["at_or_above"], 3);
    assert_eq!(stats["levels"][1]["count"], 2);
    let out = check(dir.path());
    out.expect(0);
    write_bytes(dir.path(), "content/procedures/d.md", Proc::new("D", "4").level("4").md().as_bytes());
    let out = check(dir.path());
    out.expect(1);
    assert!(out.stderr.contains("content/procedures/d.md:6:17: error: unknown service level `4`"));
    assert!(out.stderr.contains("\"mot-phan\""), "{}", out.stderr);
}

/// Contract §1: only site.toml and content/ are required; content/ may hold
/// no procedure yet.
#[test]
fn a_site_without_procedures_builds() {
    let dir = site(&[("site.toml", SITE_TOML), ("content/_index.md", "Sắp có thủ tục.\n")]);
    let tree = build_ok(dir.path());
    assert_eq!(open_data(&tree).len(), 0);
    assert!(page(&tree, "muc-do/4/index.html").contains(&t_html("vi", "empty_list")));
    let report = run(dir.path(), "report", &["--format", "json"]);
    report.expect(0);
    let stats: Value = serde_json::from_str(&report.stdout).unwrap();
    assert_eq!(stats["total"], 0);
    assert_eq!(stats["levels"][0]["share"], 0.0, "a share over no procedures is not 0");
}
