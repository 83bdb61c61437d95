//! Contract §3, §4, §6: broken inputs. Each case starts from a small valid
//! site, builds it (exit 0), breaks one thing, and checks that
//! - `build` exits with the promised status and prints
//!   `PATH:LINE:COL: error: MESSAGE` with the path relative to the root,
//! - the previous output is left byte for byte as it was,
//! - `check` prints the same diagnostics and writes nothing.

mod common;

use std::path::Path;

use common::*;

const A: &str = "content/procedures/a.md";
const OTHER: &str = "content/procedures/sub/other.md";
const NOTICE: &str = "content/notices/tin.md";

/// The valid starting point. In `a.md` the required fields are on lines 2 to
/// 7 (title, code, field, agency, service_level, postal) and line 8 is `+++`.
/// In the notice, line 3 is the date and line 5 the list of codes.
fn base_site() -> tempfile::TempDir {
    site(&[
        ("site.toml", SITE_TOML),
        (A, &Proc::new("Đăng ký công bố hợp chuẩn", "1.000047").md()),
        (OTHER, &Proc::new("Đăng ký công bố hợp quy", "1.000048").level("3").md()),
        (NOTICE, &notice("Thông báo mới", "2020-10-05", &["1.000047"])),
        ("content/pages/gioi-thieu.md", "+++\ntitle = \"Giới thiệu\"\n+++\nTrang giới thiệu.\n"),
    ])
}

/// One change that breaks the site.
enum Change {
    Write(&'static str, Vec<u8>),
    Remove(&'static str),
    /// Replace the first text by the second in a file; the first must be there.
    Edit(&'static str, &'static str, &'static str),
}
use Change::*;

fn apply(root: &Path, change: &Change) {
    match change {
        Write(path, bytes) => write_bytes(root, path, bytes),
        Remove(path) => std::fs::remove_file(root.join(path)).unwrap(),
        Edit(path, from, to) => {
            let text = std::fs::read_to_string(root.join(path)).unwrap();
            assert!(text.contains(from), "{path} has no {from:?}:\n{text}");
            std::fs::write(root.join(path), text.replacen(from, to, 1)).unwrap();
        }
    }
}

/// The heart of every case; `expected` lists (exact location prefix, key phrase).
#[track_caller]
fn assert_broken(changes: Vec<Change>, status: i32, expected: &[(&str, &str)]) {
    let dir = base_site();
    let root = dir.path();
    let before = build_ok(root);
    assert!(before.contains_key("index.html"));
    for change in &changes {
        apply(root, change);
    }

    let built = build(root);
    built.expect(status);
    for (location, phrase) in expected {
        let line = built
            .stderr
            .lines()
            .find(|l| l.starts_with(location))
            .unwrap_or_else(|| panic!("no line starting with {location:?} in stderr:\n{}", built.stderr));
        let around = diagnostic_with_hint(&built.stderr, line);
        assert!(
            around.contains(phrase),
            "the diagnostic {line:?} (with its hint) does not say {phrase:?}:\n{}",
            built.stderr
        );
    }
    if status == 1 {
        // Every error line is counted in the closing summary.
        let count = built.stderr.lines().filter(|l| l.contains(": error: ")).count();
        let summary = if count == 1 { "1 error found".to_string() } else { format!("{count} errors found") };
        assert!(count >= 1 && built.stderr.contains(&summary), "{}", built.stderr);
    }
    assert_eq!(read_tree(&root.join("public")), before, "a failed build changed the previous output");

    let everything = read_tree(root);
    let checked = check(root);
    checked.expect(status);
    assert_eq!(checked.stderr, built.stderr, "check and build disagree on the diagnostics");
    assert_eq!(read_tree(root), everything, "check wrote something");
}

/// A diagnostic line and its `hint:` line, if it has one.
fn diagnostic_with_hint(stderr: &str, line: &str) -> String {
    let mut lines = stderr.lines().skip_while(|l| *l != line);
    let mut out = lines.next().unwrap_or("").to_string();
    if let Some(next) = lines.next() {
        if next.trim_start().starts_with("hint:") {
            out.push('\n');
            out.push_str(next);
        }
    }
    out
}

fn a_without(lines: &[&str]) -> Vec<Change> {
    let text = Proc::new("Đăng ký công bố hợp chuẩn", "1.000047").md();
    let kept: String =
        text.split_inclusive('\n').filter(|l| !lines.iter().any(|key| l.starts_with(&format!("{key} = ")))).collect();
    vec![Write(A, kept.into_bytes())]
}

macro_rules! broken_input {
    ($($(#[$meta:meta])* $name:ident: $changes:expr => $status:expr, [$(($loc:expr, $phrase:expr $(,)?)),* $(,)?];)*) => {
        $(
            $(#[$meta])*
            #[test]
            fn $name() {
                assert_broken($changes, $status, &[$(($loc, $phrase)),*]);
            }
        )*
    };
}

broken_input! {
    malformed_toml_is_reported_at_its_line_and_column:
        vec![Edit(A, "title = \"Đăng ký công bố hợp chuẩn\"", "title = Đăng ký công bố")] => 1,
        [("content/procedures/a.md:2:9: error:", "not valid TOML")];

    missing_title_is_reported:
        a_without(&["title"]) => 1,
        [("content/procedures/a.md:1:1: error:", "`title`")];

    missing_code_is_reported:
        a_without(&["code"]) => 1,
        [("content/procedures/a.md:1:1: error:", "`code`")];

    missing_field_is_reported:
        a_without(&["field"]) => 1,
        [("content/procedures/a.md:1:1: error:", "`field`")];

    missing_agency_is_reported:
        a_without(&["agency"]) => 1,
        [("content/procedures/a.md:1:1: error:", "`agency`")];

    missing_service_level_is_reported:
        a_without(&["service_level"]) => 1,
        [("content/procedures/a.md:1:1: error:", "`service_level`")];

    missing_postal_is_reported:
        a_without(&["postal"]) => 1,
        [("content/procedures/a.md:1:1: error:", "`postal`")];

    a_file_missing_several_required_keys_reports_them_all:
        a_without(&["title", "field", "postal"]) => 1,
        [
            ("content/procedures/a.md:1:1: error: the required field `title`", "missing"),
            ("content/procedures/a.md:1:1: error: the required field `field`", "missing"),
            ("content/procedures/a.md:1:1: error: the required field `postal`", "missing"),
        ];

    a_value_of_the_wrong_type_is_reported:
        vec![Edit(A, "title = \"Đăng ký công bố hợp chuẩn\"", "title = 5")] => 1,
        [("content/procedures/a.md:2:9: error:", "`title` should be text")];

    a_code_written_as_a_number_is_reported:
        vec![Edit(A, "code = \"1.000047\"", "code = 1.000047")] => 1,
        [("content/procedures/a.md:3:8: error:", "`code` should be text")];

    an_empty_title_is_reported:
        vec![Edit(A, "title = \"Đăng ký công bố hợp chuẩn\"", "title = \"  \"")] => 1,
        [("content/procedures/a.md:2:9: error:", "empty")];

    a_date_in_quotes_is_reported:
        vec![Edit(A, "+++\n## ", "decision_date = \"2020-09-21\"\n+++\n## ")] => 1,
        [("content/procedures/a.md:8:17: error:", "a date")];

    an_unknown_key_gets_a_did_you_mean_hint:
        vec![Edit(A, "title = ", "titel = ")] => 1,
        [
            ("content/procedures/a.md:2:1: error: unknown field `titel`", "did you mean `title`?"),
            ("content/procedures/a.md:1:1: error:", "`title`"),
        ];

    an_unknown_key_far_from_any_gets_the_list_of_allowed_fields:
        vec![Edit(A, "+++\n## ", "mau_sac = \"xanh\"\n+++\n## ")] => 1,
        [("content/procedures/a.md:8:1: error: unknown field `mau_sac`", "processing_time")];

    an_unknown_service_level_lists_the_declared_ones:
        vec![Edit(A, "service_level = 4", "service_level = 9")] => 1,
        [
            ("content/procedures/a.md:6:17: error:", "unknown service level `9`"),
            ("content/procedures/a.md:6:17: error:", "\"2\" (Mức độ 2), \"3\" (Mức độ 3), \"4\" (Mức độ 4)"),
        ];

    a_bad_postal_word_is_reported:
        vec![Edit(A, "postal = \"both\"", "postal = \"maybe\"")] => 1,
        [
            ("content/procedures/a.md:7:10: error:", "`postal` cannot be `maybe`"),
            ("content/procedures/a.md:7:10: error:", "\"receive\""),
        ];

    a_postal_number_is_reported:
        vec![Edit(A, "postal = \"both\"", "postal = 3")] => 1,
        [("content/procedures/a.md:7:10: error:", "`postal`")];

    a_bad_status_is_reported:
        vec![Edit(A, "+++\n## ", "status = \"closed\"\n+++\n## ")] => 1,
        [
            ("content/procedures/a.md:8:10: error:", "`status` cannot be `closed`"),
            ("content/procedures/a.md:8:10: error:", "abolished"),
        ];

    a_duplicate_code_names_the_other_file:
        vec![Edit(OTHER, "code = \"1.000048\"", "code = \"1.000047\"")] => 1,
        [(
            "content/procedures/sub/other.md:3:8: error:",
            "the code `1.000047` is already used by content/procedures/a.md:3:8",
        )];

    two_files_with_the_same_slug_in_different_folders_are_reported:
        vec![
            Write("content/procedures/x/dang-ky.md", Proc::new("Thủ tục X", "2.000001").md().into_bytes()),
            Write("content/procedures/y/z/dang-ky.md", Proc::new("Thủ tục Y", "2.000002").md().into_bytes()),
        ] => 1,
        [(
            "content/procedures/y/z/dang-ky.md:1:1: error:",
            "the address /thu-tuc/dang-ky/ is already used by content/procedures/x/dang-ky.md",
        )];

    a_slug_field_that_collides_with_a_file_name_is_reported_at_the_slug:
        vec![Edit(A, "+++\n## ", "slug = \"other\"\n+++\n## ")] => 1,
        [("content/procedures/sub/other.md:1:1: error:", "/thu-tuc/other/ is already used by content/procedures/a.md:8:8")];

    a_notice_naming_an_unknown_code_is_reported_at_the_code:
        vec![Edit(NOTICE, "[\"1.000047\"]", "[\"1.000047\", \"9.999999\"]")] => 1,
        [("content/notices/tin.md:5:27: error:", "no procedure has the code `9.999999`")];

    a_notice_with_a_near_miss_code_gets_a_hint:
        vec![Edit(NOTICE, "[\"1.000047\"]", "[\"1.00047\"]")] => 1,
        [("content/notices/tin.md:5:15: error:", "did you mean `1.000047`?")];

    a_notice_without_a_date_is_reported:
        vec![Edit(NOTICE, "date = 2020-10-05\n", "")] => 1,
        [("content/notices/tin.md:1:1: error:", "`date`")];

    an_alias_that_collides_with_a_procedure_page_is_reported:
        vec![Edit(A, "+++\n## ", "aliases = [\"/thu-tuc/other/\"]\n+++\n## ")] => 1,
        [(
            "content/procedures/a.md:8:12: error:",
            "the alias /thu-tuc/other/ is already the address of content/procedures/sub/other.md",
        )];

    an_alias_that_collides_with_a_site_page_is_reported:
        vec![Edit(A, "+++\n## ", "aliases = [\"/thong-ke/\"]\n+++\n## ")] => 1,
        [("content/procedures/a.md:8:12: error:", "the alias /thong-ke/ is already the address")];

    an_alias_shared_by_two_procedures_is_reported:
        vec![
            Edit(A, "+++\n## ", "aliases = [\"/thu-tuc/cu/\"]\n+++\n## "),
            Edit(OTHER, "+++\n## ", "aliases = [\"/thu-tuc/cu/\"]\n+++\n## "),
        ] => 1,
        [("content/procedures/sub/other.md:8:12: error:", "the alias /thu-tuc/cu/ is already the address of an alias in content/procedures/a.md")];
    an_alias_on_a_generated_file_is_reported_at_the_alias:
        vec![Edit(A, "+++\n## ", "aliases = [\"/sitemap.xml\"]\n+++\n## ")] => 1,
        [("content/procedures/a.md:8:12: error:", "/sitemap.xml")];

    an_alias_that_collides_with_a_plain_page_is_reported:
        vec![Edit(A, "+++\n## ", "aliases = [\"/gioi-thieu/\"]\n+++\n## ")] => 1,
        [("content/procedures/a.md:8:12: error:", "content/pages/gioi-thieu.md")];

    a_plain_page_may_not_take_a_reserved_address:
        vec![Write("content/pages/thu-tuc.md", b"+++\ntitle = \"Thu tuc\"\n+++\nx\n".to_vec())] => 1,
        [("content/pages/thu-tuc.md:1:1: error:", "/thu-tuc/")];

    an_unknown_key_in_site_toml_is_an_error_with_its_position:
        vec![Edit("site.toml", "language = \"vi\"", "langauge = \"vi\"")] => 1,
        [("site.toml:3:1: error: unknown field `langauge`", "did you mean `language`?")];

    an_unknown_key_in_a_service_level_is_an_error_with_its_position:
        vec![Edit("site.toml", "name = \"Mức độ 3\"", "name = \"Mức độ 3\"\nnmae = \"x\"")] => 1,
        [("site.toml:17:1: error: unknown field `nmae`", "did you mean `name`?")];

    an_unknown_language_in_site_toml_is_an_error:
        vec![Edit("site.toml", "language = \"vi\"", "language = \"fr\"")] => 1,
        [("site.toml:3:12: error:", "\"vi\" or \"en\"")];

    a_site_toml_without_base_url_is_an_error:
        vec![Edit("site.toml", "base_url = \"https://example.gov.vn/tthc\"\n", "")] => 1,
        [("site.toml:1:1: error:", "`base_url`")];

    a_service_level_declared_twice_is_an_error:
        vec![Edit("site.toml", "id = \"3\"", "id = \"2\"")] => 1,
        [("site.toml:", "declared twice")];

    a_site_toml_that_is_not_toml_is_an_error_with_its_position:
        vec![Edit("site.toml", "language = \"vi\"", "language = vi")] => 1,
        [("site.toml:3:12: error:", "not valid TOML")];

    a_relative_base_url_is_an_error:
        vec![Edit("site.toml", "\"https://example.gov.vn/tthc\"", "\"example.gov.vn/tthc\"")] => 1,
        [("site.toml:2:12: error:", "not an absolute web address")];

    a_missing_site_toml_is_a_usage_error:
        vec![Remove("site.toml")] => 2,
        [("error:", "site.toml")];

    a_file_that_is_not_utf8_is_reported_with_a_hint_about_legacy_encodings:
        vec![Write(A, {
            // "Đăng ký" in Windows-1258: Đ = D0, ă = E3, ý = FD.
            let mut bytes = b"+++\ntitle = \"\xD0\xE3ng k\xFD\"\n".to_vec();
            bytes.extend_from_slice(b"code = \"1.000047\"\nfield = \"F\"\nagency = \"A\"\nservice_level = 4\npostal = \"both\"\n+++\nx\n");
            bytes
        })] => 1,
        [
            ("content/procedures/a.md:2:10: error:", "not UTF-8"),
            ("content/procedures/a.md:2:10: error:", "Windows-1258"),
            ("content/procedures/a.md:2:10: error:", "save it again as UTF-8"),
        ];

    front_matter_that_is_never_closed_is_reported:
        vec![Edit(A, "postal = \"both\"\n+++\n", "postal = \"both\"\n")] => 1,
        [("content/procedures/a.md:1:1: error:", "never closed")];

    yaml_front_matter_is_reported_with_a_hint:
        vec![Write(A, b"---\ntitle: Dang ky\ncode: 1.000047\n---\nx\n".to_vec())] => 1,
        [
            ("content/procedures/a.md:1:1: error:", "no front matter"),
            ("content/procedures/a.md:1:1: error:", "YAML"),
        ];

    a_bad_channel_kind_is_reported:
        vec![Edit(A, "+++\n## ", "[[channels]]\nkind = \"fax\"\n+++\n## ")] => 1,
        [("content/procedures/a.md:9:8: error:", "`kind` cannot be `fax`")];

    an_unknown_key_in_a_channel_gets_a_did_you_mean_hint:
        vec![Edit(A, "+++\n## ", "[[channels]]\nkind = \"direct\"\nfees = \"Không\"\n+++\n## ")] => 1,
        [("content/procedures/a.md:10:1: error: unknown field `fees`", "did you mean `fee`?")];

    a_broken_string_override_in_the_site_theme_is_reported:
        vec![Write("themes/default/i18n/vi.toml", b"nav_home = \"Trang \n".to_vec())] => 1,
        [("themes/default/i18n/vi.toml:1:", "cannot be read")];

    an_online_url_that_is_not_a_web_address_is_reported:
        vec![Edit(A, "+++\n## ", "online_url = \"dichvucong.gov.vn\"\n+++\n## ")] => 1,
        [("content/procedures/a.md:8:14: error:", "not a web address")];
}

/// Contract §6: a site folder without content/ is unusable (exit 2).
#[test]
fn a_site_without_content_folder_is_a_usage_error() {
    let dir = site(&[("site.toml", SITE_TOML)]);
    let built = build(dir.path());
    built.expect(2);
    assert!(built.stderr.contains("content/"), "{}", built.stderr);
    assert!(!dir.path().join("public").exists());
}

/// Contract §6: a --root that does not exist is wrong usage (exit 2).
#[test]
fn a_missing_root_folder_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nowhere");
    let out = run_in(dir.path(), &["check", "--root", missing.to_str().unwrap()]);
    out.expect(2);
    assert!(out.stderr.starts_with("error:"), "{}", out.stderr);
}

/// Contract §6: every content error is printed, all errors of a run at once,
/// sorted by path.
#[test]
fn all_errors_of_a_run_are_reported_at_once_sorted_by_path() {
    let dir = base_site();
    let root = dir.path();
    let before = build_ok(root);
    apply(root, &Edit(OTHER, "service_level = 3", "service_level = 7"));
    apply(root, &Edit(A, "postal = \"both\"", "postal = \"hmm\""));
    apply(root, &Edit(NOTICE, "date = 2020-10-05", "date = \"hôm qua\""));
    apply(root, &Write("content/pages/gioi-thieu.md", b"+++\ntitle = \"Gi\xE1i thi\xEAu\"\n+++\n".to_vec()));
    let out = build(root);
    out.expect(1);
    let located: Vec<&str> = out.stderr.lines().filter(|l| l.contains(": error: ")).collect();
    let paths: Vec<&str> = located.iter().map(|l| l.split(':').next().unwrap()).collect();
    assert_eq!(
        paths,
        [
            "content/notices/tin.md",
            "content/pages/gioi-thieu.md",
            "content/procedures/a.md",
            "content/procedures/sub/other.md",
        ],
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("4 errors"), "{}", out.stderr);
    assert_eq!(read_tree(&root.join("public")), before);
}

/// Contract §6: "all errors of a run at once, not only the first". A
/// duplicate code between two good files must be reported in the same run
/// as a mistake inside a third file.
#[test]
fn errors_across_files_come_with_errors_inside_files() {
    let dir = base_site();
    let root = dir.path();
    apply(root, &Edit(OTHER, "code = \"1.000048\"", "code = \"1.000047\""));
    apply(root, &Write("content/pages/gioi-thieu.md", b"+++\ntitle = 5\n+++\nx\n".to_vec()));
    let out = check(root);
    out.expect(1);
    assert!(out.stderr.contains("content/pages/gioi-thieu.md:2:9: error:"), "{}", out.stderr);
    assert!(
        out.stderr.contains("content/procedures/sub/other.md:3:8: error: the code `1.000047` is already used"),
        "the duplicate code is not reported with the other error:\n{}",
        out.stderr
    );
}

/// Several errors in one file come out in line order.
#[test]
fn errors_in_one_file_are_sorted_by_line() {
    let dir = base_site();
    let root = dir.path();
    apply(root, &Edit(A, "title = \"Đăng ký công bố hợp chuẩn\"", "title = 5"));
    apply(root, &Edit(A, "postal = \"both\"", "postal = \"x\""));
    apply(root, &Edit(A, "service_level = 4", "service_level = 8"));
    let out = check(root);
    out.expect(1);
    let lines: Vec<&str> =
        out.stderr.lines().filter(|l| l.contains(": error: ")).map(|l| l.split(": error:").next().unwrap()).collect();
    assert_eq!(
        lines,
        ["content/procedures/a.md:2:9", "content/procedures/a.md:6:17", "content/procedures/a.md:7:10"],
        "{}",
        out.stderr
    );
}

/// A broken file in a site that was never built leaves no output at all.
#[test]
fn a_failed_first_build_writes_nothing() {
    let dir = base_site();
    apply(dir.path(), &Edit(A, "postal = \"both\"", "postal = \"x\""));
    let everything = read_tree(dir.path());
    build(dir.path()).expect(1);
    assert_eq!(read_tree(dir.path()), everything);
}
