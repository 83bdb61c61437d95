//! Snapshots of what the build writes for one small, rich site: a procedure
//! page, a filter page, the open data and the report. A change to any of
//! them shows up as a reviewable diff (`cargo insta review`).

mod common;

use common::*;

fn rich_site() -> tempfile::TempDir {
    let procedure = Proc::new("Đăng ký công bố hợp chuẩn", "1.000047")
        .extra(
            "processing_time = \"05 ngày làm việc\"\nfee = \"150.000 đồng\"\nsubmit_at = \"Trung tâm Phục vụ Hành chính công\"\n\
             online_url = \"https://dichvucong.example.gov.vn/1.000047\"\ndecision = \"2820/QĐ-UBND\"\ndecision_date = 2020-09-21\n\
             updated = 2020-10-02\napplicants = [\"Doanh nghiệp\"]\nstatus = \"amended\"\n\n\
             [[channels]]\nkind = \"online\"\nprocessing_time = \"05 ngày\"\nfee = \"Không\"",
        )
        .body("## Trình tự thực hiện\n\n1. Nộp hồ sơ.\n\n## Thành phần hồ sơ\n\n- Bản công bố (01 bản)\n\n| Trường hợp | Phí |\n|:-|-:|\n| Lần đầu | 150.000 |\n");
    site(&[
        ("site.toml", SITE_TOML),
        ("content/procedures/dang-ky.md", &procedure.md()),
        ("content/procedures/khac.md", &Proc::new("Thủ tục khác", "1.000048").level("3").postal("\"none\"").md()),
        ("content/notices/tin.md", &notice("Thông báo mới", "2020-10-05", &["1.000047"])),
    ])
}

#[test]
fn the_procedure_page() {
    let dir = rich_site();
    let tree = build_ok(dir.path());
    insta::assert_snapshot!(without_css_hash(&page(&tree, "thu-tuc/dang-ky/index.html")));
}

#[test]
fn a_filter_page() {
    let dir = rich_site();
    let tree = build_ok(dir.path());
    insta::assert_snapshot!(without_css_hash(&page(&tree, "buu-chinh/khong/index.html")));
}

#[test]
fn the_open_data() {
    let dir = rich_site();
    let tree = build_ok(dir.path());
    insta::assert_snapshot!(page(&tree, "du-lieu/thu-tuc.json"));
}

#[test]
fn the_report() {
    let dir = rich_site();
    insta::assert_snapshot!(run(dir.path(), "report", &[]).expect(0).stdout);
}

/// The page with the stylesheet's cache-busting hash left out, so that a change
/// of the CSS alone does not change the snapshots of the HTML.
fn without_css_hash(html: &str) -> String {
    match html.split_once("niemyet.css?v=") {
        Some((before, after)) => format!("{before}niemyet.css?v=HASH{}", &after[after.find('"').unwrap_or(0)..]),
        None => html.to_string(),
    }
}
