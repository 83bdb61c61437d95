//! Contract §3 and §5, forms: a procedure's `[[forms]]` are files of the
//! site's `static/` folder, listed on its page with format and size, and
//! carried by the open data; a form whose file is missing, or whose path
//! leaves `static/`, or that has no name, is an error at its key.

mod common;

use std::path::Path;

use common::*;

const FORMS: &str = "[[forms]]\nname = \"Tờ khai đăng ký\"\nfile = \"mau-don/1.000047/tờ khai.docx\"\n\
                     [[forms]]\nname = \"Hướng dẫn\"\nfile = \"mau-don/1.000047/huong-dan.pdf\"\n";

/// A site whose procedure 1.000047 has two forms: a 45 KB DOCX (with a
/// space and Vietnamese letters in its name) and an 820-byte PDF.
fn site_with_forms(site_toml: &str) -> tempfile::TempDir {
    let dir = site(&[
        ("site.toml", site_toml),
        ("content/procedures/dang-ky.md", &Proc::new("Đăng ký công bố hợp chuẩn", "1.000047").extra(FORMS).md()),
        ("content/procedures/khac.md", &Proc::new("Thủ tục khác", "1.000048").md()),
    ]);
    write_bytes(dir.path(), "static/mau-don/1.000047/tờ khai.docx", &vec![b'x'; 45 * 1024]);
    write_bytes(dir.path(), "static/mau-don/1.000047/huong-dan.pdf", &[b'%'; 820]);
    dir
}

#[test]
fn a_procedure_page_lists_its_forms_with_format_and_size() {
    let dir = site_with_forms(SITE_TOML);
    let tree = build_ok(dir.path());
    let html = page(&tree, "thu-tuc/dang-ky/index.html");
    assert!(html.contains(">Mẫu đơn, tờ khai</h2>"), "{html}");
    assert!(html.contains(">Tờ khai đăng ký</a> <span class=\"form-meta\">(DOCX, 45 KB)</span>"), "{html}");
    assert!(html.contains(">Hướng dẫn</a> <span class=\"form-meta\">(PDF, 820 B)</span>"), "{html}");
    let links: Vec<String> = hrefs(&html).into_iter().filter(|h| h.contains("mau-don")).collect();
    assert_eq!(links, ["../../mau-don/1.000047/t%E1%BB%9D%20khai.docx", "../../mau-don/1.000047/huong-dan.pdf"]);
    let docx = page_file(&tree, "mau-don/1.000047/tờ khai.docx");
    assert_eq!(docx.len(), 45 * 1024);
    let other = page(&tree, "thu-tuc/khac/index.html");
    assert!(!other.contains("Mẫu đơn, tờ khai"), "a procedure without forms lists none");
}

#[test]
fn sizes_follow_the_language_of_an_english_site() {
    let dir = site_with_forms(&SITE_TOML.replace("language = \"vi\"", "language = \"en\""));
    write_bytes(dir.path(), "static/mau-don/1.000047/tờ khai.docx", &vec![b'x'; 1536 * 1024]);
    let html = page(&build_ok(dir.path()), "thu-tuc/dang-ky/index.html");
    assert!(html.contains(">Application forms</h2>"), "{html}");
    assert!(html.contains("(DOCX, 1.5 MB)"), "{html}");
    let dir = site_with_forms(SITE_TOML);
    write_bytes(dir.path(), "static/mau-don/1.000047/tờ khai.docx", &vec![b'x'; 1536 * 1024]);
    assert!(page(&build_ok(dir.path()), "thu-tuc/dang-ky/index.html").contains("(DOCX, 1,5 MB)"));
}

#[test]
fn open_data_and_structured_data_carry_the_forms() {
    let dir = site_with_forms(SITE_TOML);
    let tree = build_ok(dir.path());
    let records = open_data(&tree);
    let record = records.iter().find(|r| r["code"] == "1.000047").unwrap();
    let expected = serde_json::json!([
        { "name": "Tờ khai đăng ký", "url": format!("{BASE_URL}/mau-don/1.000047/t%E1%BB%9D%20khai.docx"), "format": "DOCX", "bytes": 45 * 1024 },
        { "name": "Hướng dẫn", "url": format!("{BASE_URL}/mau-don/1.000047/huong-dan.pdf"), "format": "PDF", "bytes": 820 },
    ]);
    assert_eq!(record["forms"], expected);
    assert!(records.iter().find(|r| r["code"] == "1.000048").unwrap().get("forms").is_none());

    let csv_bytes = tree["du-lieu/thu-tuc.csv"].clone();
    let mut reader = csv::Reader::from_reader(&csv_bytes[3..]);
    let header = reader.headers().unwrap().clone();
    let column = header.iter().position(|h| h == "forms").expect("a forms column");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let row = rows.iter().find(|r| &r[0] == "1.000047").unwrap();
    assert_eq!(
        &row[column],
        format!("{BASE_URL}/mau-don/1.000047/t%E1%BB%9D%20khai.docx; {BASE_URL}/mau-don/1.000047/huong-dan.pdf")
    );

    let html = page(&tree, "thu-tuc/dang-ky/index.html");
    let json_ld =
        html.split("<script type=\"application/ld+json\">").nth(1).unwrap().split("</script>").next().unwrap();
    let service: serde_json::Value = serde_json::from_str(json_ld).unwrap();
    assert_eq!(service["subjectOf"][0]["@type"], "DigitalDocument");
    assert_eq!(service["subjectOf"][0]["name"], "Tờ khai đăng ký");
    assert_eq!(service["subjectOf"][1]["url"], format!("{BASE_URL}/mau-don/1.000047/huong-dan.pdf"));
}

/// The bytes of `path` in `tree`.
#[track_caller]
fn page_file(tree: &Tree, path: &str) -> Vec<u8> {
    tree.get(path).unwrap_or_else(|| panic!("{path} is not in the output")).clone()
}

/// Breaks the first form of the site at `dir` by replacing `from` with `to`,
/// builds, and checks the build fails with exactly one error, at
/// `line:col` of the procedure file, saying `phrase`, leaving the previous
/// output as it was; `check` says the same.
#[track_caller]
fn assert_form_error(dir: &Path, from: &str, to: &str, at: (usize, usize), phrase: &str) {
    let before = read_tree(&dir.join("public"));
    let path = "content/procedures/dang-ky.md";
    let text = std::fs::read_to_string(dir.join(path)).unwrap();
    assert!(text.contains(from), "{text}");
    write_bytes(dir, path, text.replacen(from, to, 1).as_bytes());
    let built = build(dir);
    built.expect(1);
    let errors: Vec<&str> = built.stderr.lines().filter(|l| l.contains(": error: ")).collect();
    assert_eq!(errors.len(), 1, "{}", built.stderr);
    assert!(errors[0].starts_with(&format!("{path}:{}:{}: error: ", at.0, at.1)), "{}", built.stderr);
    assert!(built.stderr.contains(phrase), "{}", built.stderr);
    assert!(built.stderr.contains("hint: "), "{}", built.stderr);
    assert_eq!(read_tree(&dir.join("public")), before, "a failed build changed the previous output");
    assert_eq!(check(dir).stderr, built.stderr);
    write_bytes(dir, path, text.as_bytes());
}

// The forms start on line 8 of the file: `[[forms]]`, `name = ` on line 9,
// `file = ` on line 10; values start at column 8.

#[test]
fn a_missing_form_file_is_an_error_at_its_file_key() {
    let dir = site_with_forms(SITE_TOML);
    build_ok(dir.path());
    assert_form_error(dir.path(), "tờ khai.docx\"", "to-khai.docx\"", (10, 8), "static/mau-don/1.000047/to-khai.docx");
}

#[test]
fn a_form_path_that_leaves_static_is_an_error_at_its_file_key() {
    let dir = site_with_forms(SITE_TOML);
    build_ok(dir.path());
    write_bytes(dir.path(), "secret.docx", b"not for the public");
    for outside in [
        "../secret.docx",
        "mau-don/../../secret.docx",
        "/etc/passwd",
        "C:\\\\mau-don\\\\a.docx",
        "https://example.com/a.docx",
    ] {
        let to = format!("{outside}\"");
        assert_form_error(
            dir.path(),
            "mau-don/1.000047/tờ khai.docx\"",
            &to,
            (10, 8),
            "is not a path inside the static/ folder",
        );
    }
}

#[test]
fn a_form_with_an_empty_or_no_name_is_an_error() {
    let dir = site_with_forms(SITE_TOML);
    build_ok(dir.path());
    assert_form_error(dir.path(), "name = \"Tờ khai đăng ký\"", "name = \"  \"", (9, 8), "`name`");
    assert_form_error(dir.path(), "name = \"Tờ khai đăng ký\"\n", "", (8, 1), "`name`");
}

#[cfg(unix)]
#[test]
fn a_link_in_static_to_a_file_elsewhere_is_not_a_form() {
    let dir = site_with_forms(SITE_TOML);
    build_ok(dir.path());
    write_bytes(dir.path(), "secret.docx", b"not for the public");
    std::os::unix::fs::symlink(dir.path().join("secret.docx"), dir.path().join("static/mau-don/link.docx")).unwrap();
    build(dir.path()).expect(0);
    let checked = check(dir.path());
    assert!(checked.stderr.contains("static/mau-don/link.docx:1:1: warning: "), "{}", checked.stderr);
    assert!(!read_tree(&dir.path().join("public")).contains_key("mau-don/link.docx"));
    assert_form_error(dir.path(), "mau-don/1.000047/tờ khai.docx\"", "mau-don/link.docx\"", (10, 8), "does not exist");
}

#[test]
fn the_demo_site_offers_real_forms() {
    let root = repo_root();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    run(&root, "build", &["--output", out.to_str().unwrap()]).expect(0);
    let tree = read_tree(&out);
    let with_forms: Vec<serde_json::Value> =
        open_data(&tree).into_iter().filter(|r| r.get("forms").is_some()).collect();
    assert!(with_forms.len() >= 2, "the demo has forms on a few procedures");
    let mut formats = std::collections::BTreeSet::new();
    for form in with_forms.iter().flat_map(|r| r["forms"].as_array().unwrap().clone()) {
        let rel = form["url"].as_str().unwrap().strip_prefix(&format!("{BASE_URL}/")).unwrap().to_string();
        let bytes = page_file(&tree, &rel);
        assert_eq!(bytes.len() as u64, form["bytes"].as_u64().unwrap());
        let format = form["format"].as_str().unwrap().to_string();
        match format.as_str() {
            "PDF" => assert!(bytes.starts_with(b"%PDF-") && bytes.windows(5).any(|w| w == b"%%EOF"), "{rel}"),
            "DOCX" | "ODT" => {
                let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip package");
                let main = if format == "DOCX" { "word/document.xml" } else { "content.xml" };
                let mut text = String::new();
                std::io::Read::read_to_string(&mut zip.by_name(main).expect("its main part"), &mut text).unwrap();
                assert!(text.contains("minh họa"), "{rel} says it is demo data");
            }
            other => panic!("{rel}: unexpected format {other}"),
        }
        formats.insert(format);
    }
    assert!(formats.contains("PDF") && (formats.contains("DOCX") || formats.contains("ODT")), "{formats:?}");
}
