//! Contract §2 and §5, posting sheets: `/niem-yet/` lists one A4 sheet per
//! field (and one for the whole catalogue when it is small), each listing the
//! field's active procedures once, with a QR code of each page, and a field
//! with more than 50 continues on numbered sheets.

mod common;

use common::*;

const FIELD_A: &str = "Tiêu chuẩn Đo lường Chất lượng";
const FIELD_B: &str = "Sở hữu trí tuệ";

/// Field A: three active procedures (one amended), one abolished, one
/// draft; field B: two active.
fn two_fields(site_toml: &str) -> tempfile::TempDir {
    site(&[
        ("site.toml", site_toml),
        (
            "content/procedures/a1.md",
            &Proc::new("Thủ tục A1", "1.000001")
                .extra("decision = \"2820/QĐ-UBND\"\ndecision_date = 2020-09-21\nupdated = 2021-03-04\nprocessing_time = \"05 ngày làm việc\"\nfee = \"150.000 đồng\"\nsubmit_at = \"Trung tâm Phục vụ Hành chính công\"")
                .md(),
        ),
        ("content/procedures/a2.md", &Proc::new("Thủ tục A2", "1.000002").extra("decision = \"100/QĐ-UBND\"\ndecision_date = 2019-01-02\nupdated = 2022-12-31\nstatus = \"amended\"").md()),
        ("content/procedures/a3.md", &Proc::new("Thủ tục A3", "1.000003").extra("decision = \"2820/QĐ-UBND\"\ndecision_date = 2020-09-21").md()),
        ("content/procedures/a4.md", &Proc::new("Thủ tục A4 bãi bỏ", "1.000004").extra("status = \"abolished\"\nupdated = 2024-01-01").md()),
        ("content/procedures/a5.md", &Proc::new("Thủ tục A5 nháp", "1.000005").extra("draft = true\nupdated = 2024-01-01").md()),
        ("content/procedures/b1.md", &Proc::new("Thủ tục B1", "2.000001").field(FIELD_B).md()),
        ("content/procedures/b2.md", &Proc::new("Thủ tục B2", "2.000002").field(FIELD_B).md()),
    ])
}

const SHEET_A: &str = "niem-yet/tieu-chuan-do-luong-chat-luong/index.html";
const SHEET_B: &str = "niem-yet/so-huu-tri-tue/index.html";
const CATALOGUE: &str = "niem-yet/toan-bo/index.html";

/// The codes named by the QR codes of a sheet, in order.
fn qr_codes(html: &str) -> Vec<String> {
    html.split("<svg class=\"qr\"")
        .skip(1)
        .map(|svg| {
            let label = svg.split("aria-label=\"").nth(1).unwrap().split('"').next().unwrap();
            label.rsplit(' ').next().unwrap().to_string()
        })
        .collect()
}

#[test]
fn each_field_sheet_lists_its_active_procedures_once_with_a_qr_code() {
    let dir = two_fields(SITE_TOML);
    let tree = build_ok(dir.path());
    let a = page(&tree, SHEET_A);
    assert_eq!(qr_codes(&a), ["1.000001", "1.000002", "1.000003"]);
    for slug in ["a1", "a2", "a3"] {
        assert_eq!(count(&a, &format!("href=\"../../thu-tuc/{slug}/\"")), 1, "{slug}");
    }
    for absent in ["a4", "a5", "1.000004", "1.000005", "Thủ tục A4", "Thủ tục A5"] {
        assert!(!a.contains(absent), "the sheet shows {absent}");
    }
    assert_eq!(qr_codes(&page(&tree, SHEET_B)), ["2.000001", "2.000002"]);
    assert_eq!(qr_codes(&page(&tree, CATALOGUE)), ["2.000001", "2.000002", "1.000001", "1.000002", "1.000003"]);
    let catalogue = page(&tree, CATALOGUE);
    assert!(catalogue.find(FIELD_B).unwrap() < catalogue.find("2.000001").unwrap(), "grouped under field names");

    let row = a.split("<tr>").find(|r| r.contains("1.000001")).unwrap();
    for cell in [
        "Mức độ 4",
        "Nhận hồ sơ và trả kết quả",
        "05 ngày làm việc",
        "150.000 đồng",
        "Trung tâm Phục vụ Hành chính công",
    ] {
        assert!(row.contains(cell), "the row has no {cell}: {row}");
    }
    let row_without_place = a.split("<tr>").find(|r| r.contains("1.000003")).unwrap();
    assert!(row_without_place.contains("Sở Khoa học và Công nghệ"), "without submit_at the agency is where to submit");

    let drafts = dir.path().join("drafts");
    run(dir.path(), "build", &["--drafts", "--output", drafts.to_str().unwrap()]).expect(0);
    assert_eq!(
        qr_codes(&page(&read_tree(&drafts), SHEET_A)),
        ["1.000001", "1.000002", "1.000003"],
        "no draft is posted"
    );
}

#[test]
fn a_sheet_names_the_organization_the_decisions_the_feedback_and_the_newest_update() {
    let toml = SITE_TOML.replace(
        "name = \"Chi cục Thử nghiệm\"",
        "name = \"Chi cục Thử nghiệm\"\naddress = \"Số 1 đường A\"\nphone = \"0273 000 0000\"\nfeedback = \"Gửi Văn phòng UBND tỉnh, kstthc@example.gov.vn\"",
    );
    let dir = two_fields(&toml);
    let a = page(&build_ok(dir.path()), SHEET_A);
    assert!(a.contains("<p class=\"sheet-org\">Chi cục Thử nghiệm</p>"), "{a}");
    assert!(a.contains(FIELD_A));
    let decisions = a.split("<p class=\"sheet-decisions\">").nth(1).unwrap().split("</p>").next().unwrap();
    assert!(
        decisions.find("100/QĐ-UBND").unwrap() < decisions.find("2820/QĐ-UBND").unwrap(),
        "oldest first: {decisions}"
    );
    assert_eq!(count(decisions, "2820/QĐ-UBND"), 1, "each decision once");
    assert!(decisions.contains("21/09/2020"), "{decisions}");
    let foot = a.split("<footer class=\"sheet-foot\">").nth(1).unwrap().split("</footer>").next().unwrap();
    assert!(foot.contains("Gửi Văn phòng UBND tỉnh, kstthc@example.gov.vn"), "{foot}");
    assert!(foot.contains("<time datetime=\"2022-12-31\">"), "the newest update of its active procedures: {foot}");

    let without_feedback = toml.replace("feedback = \"Gửi Văn phòng UBND tỉnh, kstthc@example.gov.vn\"", "");
    let dir = two_fields(&without_feedback);
    let a = page(&build_ok(dir.path()), SHEET_A);
    let foot = a.split("<footer class=\"sheet-foot\">").nth(1).unwrap().split("</footer>").next().unwrap();
    assert!(foot.contains("Số 1 đường A") && foot.contains("0273 000 0000"), "the address and phone instead: {foot}");
}

#[test]
fn a_field_of_120_procedures_spans_three_sheets() {
    let mut files: Vec<(String, String)> = vec![("site.toml".into(), SITE_TOML.into())];
    for n in 0..120 {
        let code = format!("3.{n:06}");
        files.push((format!("content/procedures/p{n:03}.md"), Proc::new(&format!("Thủ tục số {n:03}"), &code).md()));
    }
    files.push(("content/procedures/khac.md".into(), Proc::new("Thủ tục khác", "4.000001").field(FIELD_B).md()));
    let refs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let dir = site(&refs);
    let tree = build_ok(dir.path());
    let pages = listing_pages(&tree, "niem-yet/tieu-chuan-do-luong-chat-luong/");
    assert_eq!(
        pages,
        [
            "niem-yet/tieu-chuan-do-luong-chat-luong/index.html",
            "niem-yet/tieu-chuan-do-luong-chat-luong/trang/2/index.html",
            "niem-yet/tieu-chuan-do-luong-chat-luong/trang/3/index.html",
        ]
    );
    let mut all = Vec::new();
    for (page_path, rows) in pages.iter().zip([50, 50, 20]) {
        let codes = qr_codes(&page(&tree, page_path));
        assert_eq!(codes.len(), rows, "{page_path}");
        all.extend(codes);
    }
    let expected: Vec<String> = (0..120).map(|n| format!("3.{n:06}")).collect();
    assert_eq!(all, expected, "each procedure once, in order");
    assert!(page(&tree, &pages[1]).contains("Bảng 2/3"));
    assert!(!tree.contains_key(CATALOGUE), "no whole-catalogue sheet past 100 active procedures");
    let index = page(&tree, "niem-yet/index.html");
    assert!(index.contains("href=\"../niem-yet/tieu-chuan-do-luong-chat-luong/trang/3/\""), "{index}");
    assert!(index.contains("href=\"../niem-yet/so-huu-tri-tue/\""), "{index}");
}

#[test]
fn the_index_lists_every_sheet_and_only_sheets_link_their_stylesheet() {
    let dir = two_fields(SITE_TOML);
    let tree = build_ok(dir.path());
    let index = page(&tree, "niem-yet/index.html");
    let links: Vec<String> =
        hrefs(&index).into_iter().filter(|h| h.starts_with("../niem-yet/") && h != "../niem-yet/").collect();
    assert_eq!(
        links,
        ["../niem-yet/so-huu-tri-tue/", "../niem-yet/tieu-chuan-do-luong-chat-luong/", "../niem-yet/toan-bo/"]
    );
    assert!(tree.contains_key("assets/niem-yet.css"));
    assert!(page(&tree, SHEET_A).contains("assets/niem-yet.css?v="));
    for other in ["index.html", "thu-tuc/a1/index.html", "linh-vuc/so-huu-tri-tue/index.html", "niem-yet/index.html"] {
        assert!(!page(&tree, other).contains("niem-yet.css"), "{other} links the sheets' stylesheet");
    }
    let css = String::from_utf8(tree["assets/niem-yet.css"].clone()).unwrap();
    assert!(css.contains("size: A4"), "A4 set by @page");
    assert!(css.contains("break-inside: avoid"), "rows never split across pages");
}

#[test]
fn sheets_speak_english_in_an_english_site() {
    let dir = two_fields(&SITE_TOML.replace("language = \"vi\"", "language = \"en\""));
    let tree = build_ok(dir.path());
    assert!(page(&tree, "niem-yet/index.html").contains("<h1>Posting sheets</h1>"));
    let a = page(&tree, SHEET_A);
    assert!(a.contains("Administrative procedures") && a.contains("QR code of the page of procedure 1.000001"), "{a}");
}

#[test]
fn a_plain_page_cannot_take_the_sheets_address() {
    let dir = two_fields(SITE_TOML);
    write_bytes(dir.path(), "content/pages/niem-yet.md", b"+++\ntitle = \"Niem yet\"\n+++\nText.\n");
    let out = build(dir.path());
    out.expect(1);
    assert!(out.stderr.contains("content/pages/niem-yet.md:1:1: error: "), "{}", out.stderr);
}
