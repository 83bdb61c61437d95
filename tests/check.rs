//! Issue 4, point 4: `check` for CI: warnings, `--strict`, and the text, JSON
//! and GitHub formats; and point 3: messages in the site's language.

mod common;

use common::*;

const A: &str = "content/procedures/a.md";

/// A clean site: no errors, no warnings.
fn clean_site() -> tempfile::TempDir {
    site(&[
        ("site.toml", SITE_TOML),
        (A, &Proc::new("Đăng ký công bố hợp chuẩn", "1.000047").extra("updated = 2020-09-21").md()),
        ("content/notices/tin.md", &notice("Thông báo", "2020-10-05", &["1.000047"])),
    ])
}

/// The clean site plus one file of each kind of warning.
fn site_with_warnings() -> tempfile::TempDir {
    let dir = clean_site();
    let root = dir.path();
    write_files(
        root,
        &[
            // Line 8: online_url over http; no `updated`; no body.
            ("content/procedures/w.md", &Proc::new("Thủ tục W", "1.000048").extra("online_url = \"http://dvc.example.gov.vn/w\"").body("").md()),
            // The body starts on line 10; the broken link is on line 13, column 6.
            (
                "content/procedures/links.md",
                &Proc::new("Thủ tục L", "1.000049")
                    .extra("updated = 2020-09-21")
                    .body("## Liên kết\n\nXem [A](/thu-tuc/a/) và\nrồi: [cũ](/thu-tuc/khong-co/#muc) và [dữ liệu](/du-lieu/thu-tuc.csv).\n")
                    .md(),
            ),
            ("content/notices/tuong-lai.md", "+++\ntitle = \"Tin sắp tới\"\ndate = 2999-01-01\n+++\nSắp có.\n"),
        ],
    );
    dir
}

#[test]
fn a_clean_site_checks_with_no_warnings() {
    let dir = clean_site();
    let out = check(dir.path());
    out.expect(0);
    assert!(out.stderr.is_empty(), "{}", out.stderr);
    assert!(out.stdout.starts_with("No errors"), "{}", out.stdout);
}

#[test]
fn warnings_name_file_line_and_column_and_do_not_fail_the_build() {
    let dir = site_with_warnings();
    let root = dir.path();
    let out = check(root);
    out.expect(0);
    for expected in [
        "content/procedures/w.md:8:14: warning: `online_url` is not a secure address",
        "content/procedures/w.md:1:1: warning: the page does not say when it was last updated",
        "content/procedures/w.md:10:1: warning: the procedure has no text",
        "content/procedures/links.md:13:6: warning: the link /thu-tuc/khong-co/#muc leads to no page",
        "content/notices/tuong-lai.md:3:8: warning: the notice is dated 2999-01-01, which is in the future",
    ] {
        assert!(out.stderr.contains(expected), "no {expected:?} in:\n{}", out.stderr);
    }
    assert_eq!(out.stderr.matches(": warning: ").count(), 5, "{}", out.stderr);
    assert!(out.stderr.contains("5 warnings found"), "{}", out.stderr);
    let built = build(root);
    built.expect(0);
    assert!(built.stderr.contains("5 warning(s); `niemyet check` lists them"), "{}", built.stderr);
    assert!(root.join("public/thu-tuc/w/index.html").exists());
}

#[test]
fn strict_turns_warnings_into_a_failure() {
    let dir = site_with_warnings();
    let out = run(dir.path(), "check", &["--strict"]);
    out.expect(1);
    assert!(out.stderr.contains("5 warnings found; nothing was written."), "{}", out.stderr);
    run(clean_site().path(), "check", &["--strict"]).expect(0);
}

#[test]
fn json_lists_every_diagnostic_for_programs() {
    let dir = site_with_warnings();
    write_bytes(dir.path(), A, Proc::new("A", "1.000047").level("9").extra("updated = 2020-09-21").md().as_bytes());
    let out = run(dir.path(), "check", &["--format", "json"]);
    out.expect(1);
    let list: Vec<serde_json::Value> = serde_json::from_str(&out.stdout).expect("JSON on stdout");
    assert_eq!(list.len(), 1, "errors stop the run before warnings are looked for: {list:?}");
    let error = &list[0];
    assert_eq!(error["path"], A);
    assert_eq!((error["line"].as_u64(), error["col"].as_u64()), (Some(6), Some(17)));
    assert_eq!(error["severity"], "error");
    assert_eq!(error["message"], "unknown service level `9`");
    assert!(error["hint"].as_str().unwrap().contains("\"4\" (Mức độ 4)"), "{error}");

    let warned = run(site_with_warnings().path(), "check", &["--format", "json"]);
    warned.expect(0);
    let list: Vec<serde_json::Value> = serde_json::from_str(&warned.stdout).expect("JSON on stdout");
    assert_eq!(list.len(), 5);
    assert!(list.iter().all(|d| d["severity"] == "warning"));
}

#[test]
fn github_format_prints_workflow_annotations() {
    let dir = site_with_warnings();
    write_bytes(dir.path(), A, Proc::new("A", "1.000047").level("9").extra("updated = 2020-09-21").md().as_bytes());
    let out = run(dir.path(), "check", &["--format", "github"]);
    out.expect(1);
    let line = out.stdout.lines().next().unwrap_or("");
    assert!(
        line.starts_with(
            "::error file=content/procedures/a.md,line=6,col=17,title=niemyet::unknown service level `9`%0A"
        ),
        "{}",
        out.stdout
    );
    let warned = run(site_with_warnings().path(), "check", &["--format", "github", "--strict"]);
    warned.expect(1);
    assert_eq!(warned.stdout.lines().filter(|l| l.starts_with("::warning file=")).count(), 5, "{}", warned.stdout);
}

#[test]
fn messages_follow_the_site_language_unless_lang_says_otherwise() {
    let dir = clean_site();
    let root = dir.path();
    write_bytes(root, A, Proc::new("A", "1.000047").extra("titel = \"x\"").md().as_bytes());
    let root_s = root.to_str().unwrap();
    let vi = run_in(root, &["check", "--root", root_s]);
    vi.expect(1);
    assert!(vi.stderr.contains("content/procedures/a.md:8:1: error: không có trường `titel`"), "{}", vi.stderr);
    assert!(vi.stderr.contains("hint: có phải ý bạn là `title`?"), "{}", vi.stderr);
    assert!(vi.stderr.contains("có 1 lỗi; chưa ghi gì cả."), "{}", vi.stderr);

    let en = run_in(root, &["check", "--root", root_s, "--lang", "en"]);
    assert!(en.stderr.contains("a.md:8:1: error: unknown field `titel`"), "{}", en.stderr);
    assert!(en.stderr.contains("1 error found; nothing was written."), "{}", en.stderr);

    // An English site speaks English without being told.
    let site_toml = std::fs::read_to_string(root.join("site.toml")).unwrap();
    std::fs::write(root.join("site.toml"), site_toml.replace("language = \"vi\"", "language = \"en\"")).unwrap();
    let en_site = run_in(root, &["check", "--root", root_s]);
    assert!(en_site.stderr.contains("error: unknown field `titel`"), "{}", en_site.stderr);
    let forced = run_in(root, &["check", "--root", root_s, "--lang", "vi"]);
    assert!(forced.stderr.contains("error: không có trường `titel`"), "{}", forced.stderr);

    // Command messages too.
    let ok_dir = clean_site();
    let ok = run_in(ok_dir.path(), &["build", "--root", ok_dir.path().to_str().unwrap()]);
    ok.expect(0);
    assert!(ok.stdout.starts_with("Đã dựng 1 thủ tục"), "{}", ok.stdout);
}

#[test]
fn a_missing_site_toml_is_explained_in_vietnamese_by_default() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_in(dir.path(), &["check", "--root", dir.path().to_str().unwrap()]);
    out.expect(2);
    assert!(out.stderr.contains("error: không đọc được"), "{}", out.stderr);
    assert!(out.stderr.contains("site.toml"), "{}", out.stderr);
}

#[test]
fn a_theme_link_that_leads_nowhere_is_a_warning_on_the_built_page() {
    let dir = clean_site();
    let root = dir.path();
    let footer = "{% extends \"base.html\" %}{% block main %}<p><a href=\"{{ root }}khong-co/\">x</a> <a href=\"{{ root }}thu-tuc/\">y</a></p>{% endblock %}";
    write_files(
        root,
        &[
            ("themes/default/templates/page.html", footer),
            ("content/pages/gioi-thieu.md", "+++\ntitle = \"Giới thiệu\"\n+++\nChào.\n"),
        ],
    );
    let out = check(root);
    out.expect(0);
    let warnings: Vec<&str> = out.stderr.lines().filter(|l| l.contains(": warning: ")).collect();
    assert_eq!(warnings.len(), 1, "{}", out.stderr);
    assert!(warnings[0].starts_with("gioi-thieu/index.html:"), "{}", out.stderr);
    assert!(
        warnings[0].contains("the built page links to ../khong-co/, which the site does not have"),
        "{}",
        out.stderr
    );
    run(root, "check", &["--strict"]).expect(1);
}

#[test]
fn a_static_page_link_that_leads_nowhere_is_a_warning_at_its_line_and_column() {
    let dir = clean_site();
    let root = dir.path();
    write_files(root, &[("static/cu.html", "<p>\n<a href=\"khong-co/\">x</a> <a href=\"thu-tuc/\">y</a></p>\n")]);
    let out = check(root);
    out.expect(0);
    let warnings: Vec<&str> = out.stderr.lines().filter(|l| l.contains(": warning: ")).collect();
    assert_eq!(warnings.len(), 1, "{}", out.stderr);
    assert!(warnings[0].starts_with("cu.html:2:10: warning: the built page links to khong-co/"), "{}", out.stderr);
    let out = build(root);
    out.expect(0);
    assert!(out.stderr.contains("warning: 1 warning(s)"), "{}", out.stderr);
}
