//! Contract §6: `niemyet new procedure|notice|page "Title" [--root DIR]`
//! writes a file to fill in, every field explained, that does not build until
//! a procedure's required values are filled in, and never overwrites a file.

mod common;

use std::fs;
use std::path::Path;

use common::*;
use niemyet::content::front_matter::Date;
use niemyet::scaffold::{Kind, NewFile};

/// Every front matter key of contract §3, as it starts a line of the scaffold
/// (keys that only make sense once filled in are there, commented out).
const PROCEDURE_KEYS: [&str; 29] = [
    "title = ",
    "code = ",
    "field = ",
    "agency = ",
    "service_level = ",
    "postal = ",
    "tier = ",
    "processing_time = ",
    "fee = ",
    "submit_at = ",
    "online_url = ",
    "decision = ",
    "# decision_date = ",
    "status = ",
    "updated = ",
    "slug = ",
    "aliases = ",
    "keywords = ",
    "applicants = ",
    "draft = ",
    "# [[channels]]",
    "# kind = ",
    "# processing_time = ",
    "# fee = ",
    "# note = ",
    "# [[forms]]",
    "# name = ",
    "# file = ",
    "# [extra]",
];

/// The values `check` must name until they are filled in, in file order.
const REQUIRED: [&str; 5] = ["code", "field", "agency", "service_level", "postal"];

const SECTIONS: [&str; 10] = [
    "Trình tự thực hiện",
    "Cách thức thực hiện",
    "Thành phần hồ sơ",
    "Thời hạn giải quyết",
    "Đối tượng thực hiện",
    "Cơ quan thực hiện",
    "Kết quả thực hiện",
    "Phí, lệ phí",
    "Yêu cầu, điều kiện",
    "Căn cứ pháp lý",
];

/// A site like the demo: three levels, one procedure with code 1.000047.
fn demo_like_site() -> tempfile::TempDir {
    site(&[("site.toml", SITE_TOML), ("content/procedures/a.md", &Proc::new("Thủ tục A", "1.000047").md())])
}

/// `niemyet new --root ROOT ARGS...`, run inside ROOT.
fn new(root: &Path, args: &[&str]) -> Run {
    run(root, "new", args)
}

fn read(root: &Path, path: &str) -> String {
    fs::read_to_string(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn lines_starting_with<'a>(text: &'a str, start: &str) -> Vec<&'a str> {
    text.lines().filter(|line| line.starts_with(start)).collect()
}

/// Fills in a procedure scaffold's required values as a writer would.
fn fill_in(text: &str) -> String {
    text.replacen("\ncode = \"\"\n", "\ncode = \"1.000999\"\n", 1)
        .replacen("\nfield = \"\"\n", "\nfield = \"Đo lường\"\n", 1)
        .replacen("\nagency = \"\"\n", "\nagency = \"Sở Khoa học và Công nghệ\"\n", 1)
        .replacen("\nservice_level = \"\"\n", "\nservice_level = \"4\"\n", 1)
        .replacen("\npostal = \"\"\n", "\npostal = \"both\"\n", 1)
}

/// The `PATH:LINE:COL: error: `KEY`` start of the error `check` gives for
/// each required value left empty in `text`.
fn expected_errors(path: &str, text: &str) -> Vec<String> {
    REQUIRED
        .iter()
        .map(|key| {
            let empty = format!("{key} = \"\"");
            let line = text.lines().position(|l| l == empty).unwrap_or_else(|| panic!("no line {empty}")) + 1;
            let col = key.chars().count() + 4;
            format!("{path}:{line}:{col}: error: `{key}`")
        })
        .collect()
}

fn error_lines(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| l.contains(": error: ")).collect()
}

#[test]
fn a_new_procedure_has_every_field_explained_and_the_sites_levels() {
    let dir = demo_like_site();
    let out = new(dir.path(), &["procedure", "Đăng ký công bố hợp chuẩn"]);
    out.expect(0);
    let path = "content/procedures/dang-ky-cong-bo-hop-chuan.md";
    assert!(out.stdout.contains(path), "{}", out.stdout);
    assert!(out.stdout.contains("niemyet check"), "{}", out.stdout);
    let text = read(dir.path(), path);
    assert!(text.starts_with("+++\n"), "{text}");
    for key in PROCEDURE_KEYS {
        let found = lines_starting_with(&text, key);
        assert_eq!(found.len(), 1, "{key}");
    }
    for key in PROCEDURE_KEYS.iter().filter(|k| !k.starts_with('#')) {
        let line = text.lines().position(|l| l.starts_with(key)).unwrap();
        let above = text.lines().nth(line - 1).unwrap();
        assert!(above.starts_with("# "), "`{key}` has no comment above it, but `{above}`");
    }
    assert!(text.contains("title = \"Đăng ký công bố hợp chuẩn\"\n"));
    for level in ["#   \"2\" = Mức độ 2", "#   \"3\" = Mức độ 3", "#   \"4\" = Mức độ 4"] {
        assert!(text.contains(level), "the level `{level}` is not listed");
    }
    for (word, meaning) in [
        ("both", "nhận hồ sơ và trả kết quả"),
        ("receive", "chỉ nhận hồ sơ"),
        ("return", "chỉ trả kết quả"),
        ("none", "không qua bưu chính"),
    ] {
        let listed =
            text.lines().any(|l| l.starts_with('#') && l.contains(&format!("\"{word}\"")) && l.contains(meaning));
        assert!(listed, "the postal mode {word} is not explained");
    }
    for word in ["\"active\"", "\"amended\"", "\"abolished\"", "\"direct\"", "\"online\"", "\"postal\""] {
        assert!(lines_starting_with(&text, "#").iter().any(|l| l.contains(word)), "{word} is not explained");
    }
    assert!(text.contains("\ndraft = true\n"));
    let body = text.split("\n+++\n").nth(1).expect("a body after the front matter");
    let headings: Vec<&str> = lines_starting_with(body, "## ").iter().map(|l| &l[3..]).collect();
    assert_eq!(headings, SECTIONS);
}

#[test]
fn check_names_each_required_value_until_it_is_filled_in() {
    let dir = demo_like_site();
    new(dir.path(), &["procedure", "Đăng ký công bố hợp chuẩn"]).expect(0);
    let path = "content/procedures/dang-ky-cong-bo-hop-chuan.md";
    let text = read(dir.path(), path);

    let out = check(dir.path());
    out.expect(1);
    let errors = error_lines(&out.stderr);
    let expected = expected_errors(path, &text);
    assert_eq!(errors.len(), expected.len(), "{}", out.stderr);
    for (error, start) in errors.iter().zip(&expected) {
        assert!(error.starts_with(start.as_str()) && error.ends_with("is empty"), "{error}\nexpected {start}…");
    }
    assert!(out.stderr.contains("\"2\" (Mức độ 2), \"3\" (Mức độ 3), \"4\" (Mức độ 4)"), "{}", out.stderr);
    assert!(out.stderr.contains("\"both\"") && out.stderr.contains("\"none\""), "{}", out.stderr);
    assert!(build(dir.path()).status == 1 && !dir.path().join("public").exists());

    write_bytes(dir.path(), path, fill_in(&text).as_bytes());
    check(dir.path()).expect(0);
}

/// The scaffold is a draft: filled in, it is left out of the site until the
/// writer sets `draft = false`, and its notes are never published.
#[test]
fn a_filled_in_procedure_stays_a_draft_and_its_notes_are_not_published() {
    let dir = demo_like_site();
    new(dir.path(), &["procedure", "Đăng ký công bố hợp chuẩn"]).expect(0);
    let path = "content/procedures/dang-ky-cong-bo-hop-chuan.md";
    write_bytes(dir.path(), path, fill_in(&read(dir.path(), path)).as_bytes());

    let tree = build_ok(dir.path());
    assert!(!tree.contains_key("thu-tuc/dang-ky-cong-bo-hop-chuan/index.html"));

    let drafts = dir.path().join("drafts");
    run(dir.path(), "build", &["--drafts", "--output", drafts.to_str().unwrap()]).expect(0);
    let html = page(&read_tree(&drafts), "thu-tuc/dang-ky-cong-bo-hop-chuan/index.html");
    assert!(!html.contains("<!--"), "a note was published");
    assert!(!html.contains("từ khi nộp hồ sơ đến khi nhận kết quả"), "a note was published");
    assert!(html.contains("<h2 id=\"thanh-phan-ho-so\">Thành phần hồ sơ</h2>"));

    let published = read(dir.path(), path).replacen("\ndraft = true\n", "\ndraft = false\n", 1);
    write_bytes(dir.path(), path, published.as_bytes());
    let tree = build_ok(dir.path());
    assert!(tree.contains_key("thu-tuc/dang-ky-cong-bo-hop-chuan/index.html"));
}

#[test]
fn a_new_notice_checks_as_it_is_and_its_codes_must_exist() {
    let dir = demo_like_site();
    let out = new(dir.path(), &["notice", "Thông báo tiếp nhận hồ sơ qua bưu chính"]);
    out.expect(0);
    let path = "content/notices/thong-bao-tiep-nhan-ho-so-qua-buu-chinh.md";
    assert!(out.stdout.contains(path), "{}", out.stdout);
    let text = read(dir.path(), path);
    for key in ["title = ", "date = ", "summary = ", "procedures = ", "draft = true"] {
        assert_eq!(lines_starting_with(&text, key).len(), 1, "{key}");
    }
    let comment = text.lines().take_while(|l| !l.starts_with("procedures = ")).collect::<Vec<_>>().join("\n");
    assert!(comment.contains("content/procedures/"), "the comment on procedures does not say codes must exist");
    check(dir.path()).expect(0);

    let published = text.replacen("\ndraft = true\n", "\ndraft = false\n", 1);
    let wrong = published.replacen("\nprocedures = []\n", "\nprocedures = [\"9.999999\"]\n", 1);
    write_bytes(dir.path(), path, wrong.as_bytes());
    let out = check(dir.path());
    out.expect(1);
    assert!(out.stderr.contains("no procedure has the code `9.999999`"), "{}", out.stderr);

    let right = published.replacen("\nprocedures = []\n", "\nprocedures = [\"1.000047\"]\n", 1);
    write_bytes(dir.path(), path, right.as_bytes());
    let tree = build_ok(dir.path());
    assert!(tree.contains_key("tin-tuc/thong-bao-tiep-nhan-ho-so-qua-buu-chinh/index.html"));
}

#[test]
fn a_new_page_checks_as_it_is_and_is_a_draft() {
    let dir = demo_like_site();
    let out = new(dir.path(), &["page", "Giới thiệu"]);
    out.expect(0);
    let text = read(dir.path(), "content/pages/gioi-thieu.md");
    for key in ["title = \"Giới thiệu\"", "slug = ", "draft = true"] {
        assert_eq!(lines_starting_with(&text, key).len(), 1, "{key}");
        let line = text.lines().position(|l| l.starts_with(key)).unwrap();
        assert!(text.lines().nth(line - 1).unwrap().starts_with("# "), "`{key}` has no comment");
    }
    check(dir.path()).expect(0);
    assert!(!build_ok(dir.path()).contains_key("gioi-thieu/index.html"));
    let published = text.replacen("\ndraft = true\n", "\ndraft = false\n", 1);
    write_bytes(dir.path(), "content/pages/gioi-thieu.md", published.as_bytes());
    let html = page(&build_ok(dir.path()), "gioi-thieu/index.html");
    assert!(!html.contains("<!--") && !html.contains("rồi xoá dòng ghi chú này"), "a note was published");
}

#[test]
fn an_existing_file_is_never_overwritten() {
    let dir = demo_like_site();
    let path = "content/procedures/dang-ky.md";
    write_files(dir.path(), &[(path, "+++\ntitle = \"Bản của tôi\"\n+++\n")]);
    let out = new(dir.path(), &["procedure", "Đăng ký"]);
    out.expect(2);
    assert!(out.stderr.contains(path) && out.stderr.contains("--slug"), "{}", out.stderr);
    assert_eq!(read(dir.path(), path), "+++\ntitle = \"Bản của tôi\"\n+++\n");

    new(dir.path(), &["procedure", "Đăng ký", "--slug", "dang-ky-cap-huyen"]).expect(0);
    assert!(read(dir.path(), "content/procedures/dang-ky-cap-huyen.md").contains("title = \"Đăng ký\"\n"));
}

#[test]
fn a_folder_without_site_toml_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = new(dir.path(), &["procedure", "Đăng ký"]);
    out.expect(2);
    assert!(out.stderr.contains("site.toml"), "{}", out.stderr);
    assert!(!dir.path().join("content").exists());
}

#[test]
fn a_title_without_letters_or_digits_is_refused() {
    let dir = demo_like_site();
    for title in ["", "   ", "***", "« — »"] {
        let out = new(dir.path(), &["page", title]);
        out.expect(2);
        assert!(out.stderr.contains("title"), "{}", out.stderr);
    }
    new(dir.path(), &["page", "Trang", "--slug", "!!"]).expect(2);
    assert!(!dir.path().join("content/pages").exists());
}

#[test]
fn file_names_are_made_from_vietnamese_titles_and_kept_short() {
    let dir = demo_like_site();
    new(dir.path(), &["procedure", "Đăng ký kiểm định phương tiện đo nhóm 2"]).expect(0);
    assert!(dir.path().join("content/procedures/dang-ky-kiem-dinh-phuong-tien-do-nhom-2.md").is_file());
    new(dir.path(), &["notice", &nfd("Kết quả kiểm soát thủ tục")]).expect(0);
    assert!(dir.path().join("content/notices/ket-qua-kiem-soat-thu-tuc.md").is_file());

    let long = "Thủ tục chứng nhận đủ điều kiện hoạt động dịch vụ đánh giá sự phù hợp ".repeat(6);
    new(dir.path(), &["procedure", &long]).expect(0);
    let names: Vec<String> = fs::read_dir(dir.path().join("content/procedures"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("thu-tuc-chung-nhan"))
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
    assert!(names[0].len() <= niemyet::text::MAX_SLUG_LEN + ".md".len(), "{}", names[0]);
}

#[test]
fn a_title_with_quotes_and_backslashes_round_trips() {
    let dir = demo_like_site();
    let title = r#"Cấp "Giấy chứng nhận" theo mẫu số 1\A"#;
    new(dir.path(), &["procedure", title, "--slug", "cap-giay"]).expect(0);
    let path = "content/procedures/cap-giay.md";
    write_bytes(dir.path(), path, fill_in(&read(dir.path(), path)).replacen("\ndraft = true\n", "\n", 1).as_bytes());
    let tree = build_ok(dir.path());
    let record = open_data(&tree).into_iter().find(|r| r["code"] == "1.000999").expect("the new procedure");
    assert_eq!(record["title"], title);
}

#[test]
fn an_english_site_gets_english_comments_and_its_own_levels() {
    let site_toml = SITE_TOML
        .replace("language = \"vi\"", "language = \"en\"")
        .replace("id = \"4\"\nname = \"Mức độ 4\"", "id = \"toan-trinh\"\nname = \"Full online service\"");
    let dir = site(&[("site.toml", &site_toml)]);
    new(dir.path(), &["procedure", "Registration of conformity"]).expect(0);
    let path = "content/procedures/registration-of-conformity.md";
    let text = read(dir.path(), path);
    assert!(text.contains("# The procedure's code"), "{text}");
    assert!(text.contains("#   \"toan-trinh\" = Full online service"), "{text}");
    assert!(text.contains("\n## Legal basis\n"), "{text}");
    for vietnamese in ["Mã thủ tục", "Trình tự thực hiện", "bản nháp"] {
        assert!(!text.contains(vietnamese), "`{vietnamese}` in an English scaffold");
    }
    let out = check(dir.path());
    out.expect(1);
    assert_eq!(error_lines(&out.stderr).len(), REQUIRED.len(), "{}", out.stderr);
    let filled = fill_in(&text).replacen("service_level = \"4\"", "service_level = \"toan-trinh\"", 1);
    write_bytes(dir.path(), path, filled.as_bytes());
    check(dir.path()).expect(0);

    new(dir.path(), &["notice", "New opening hours"]).expect(0);
    assert!(read(dir.path(), "content/notices/new-opening-hours.md").contains("# The headline."));
    new(dir.path(), &["page", "About"]).expect(0);
    assert!(read(dir.path(), "content/pages/about.md").contains("# The page's title."));
}

/// The library takes the date to write, so a file's dates can be pinned.
#[test]
fn the_date_written_is_the_one_given() {
    let dir = demo_like_site();
    let today = Date { year: 2020, month: 10, day: 5 };
    for (kind, title, line) in
        [(Kind::Procedure, "Đăng ký", "\nupdated = 2020-10-05\n"), (Kind::Notice, "Tin mới", "\ndate = 2020-10-05\n")]
    {
        let request = NewFile { root: dir.path().to_path_buf(), kind, title: title.into(), slug: None, today };
        let created = niemyet::new_file(&request).expect("written");
        assert!(fs::read_to_string(&created.path).unwrap().contains(line), "{}", created.path.display());
    }
}

/// Run without a date, the command writes today's.
#[test]
fn the_command_writes_a_real_date() {
    let dir = demo_like_site();
    new(dir.path(), &["notice", "Tin mới"]).expect(0);
    let text = read(dir.path(), "content/notices/tin-moi.md");
    let date = lines_starting_with(&text, "date = ")[0].trim_start_matches("date = ");
    let parts: Vec<u32> = date.split('-').map(|p| p.parse().unwrap()).collect();
    assert!(parts.len() == 3 && parts[0] >= 2024 && (1..=12).contains(&parts[1]) && (1..=31).contains(&parts[2]));
}
