//! Issue 11: hostile and broken input. Every case runs the real binary on a
//! small site and checks the exit status (1 or 2, never 101 from a panic)
//! and the exact diagnostic, or that the output is safe.

mod common;

use common::*;

const A: &str = "content/procedures/a.md";

/// A site of `site.toml` and one procedure file whose body is `body`
/// (the body starts on line 9).
fn one_procedure(body: &str) -> tempfile::TempDir {
    site(&[("site.toml", SITE_TOML), (A, &Proc::new("Đăng ký công bố", "1.000047").body(body).md())])
}

#[test]
fn nesting_deeper_than_two_hundred_levels_is_an_error_at_its_line() {
    for (body, at) in [
        (format!("Mở đầu.\n\n{}", "<div>".repeat(100_000)), "content/procedures/a.md:11:1:"),
        (format!("Mở đầu.\n\n{}", "<ul><li>".repeat(100_000)), "content/procedures/a.md:11:1:"),
        (format!("Mở đầu.\n\n{}x", ">".repeat(100_000)), "content/procedures/a.md:11:201:"),
        (format!("Mở đầu.\n\n{}", "<b><i><span>".repeat(100)), "content/procedures/a.md:11:796:"),
    ] {
        let dir = one_procedure(&body);
        let run = build(dir.path());
        run.expect(1);
        assert!(
            run.stderr.contains(&format!(
                "{at} error: the text nests more than 200 levels deep here: lists, quotes or HTML tags inside one \
                 another, or HTML tags opened and never closed"
            )),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains("close every HTML tag you open (<div> needs </div>)"), "{}", run.stderr);
        assert!(!dir.path().join("public").exists());
    }
}

#[test]
fn thirty_thousand_headings_of_the_same_words_build_with_unique_ids() {
    let dir = one_procedure(&"## Mục\n\nx\n\n".repeat(30_000));
    let tree = build_ok(dir.path());
    let html = page(&tree, "thu-tuc/a/index.html");
    assert!(html.contains("<h2 id=\"muc\">Mục</h2>"));
    assert!(html.contains("<h2 id=\"muc-30000\">Mục</h2>"));
    assert_eq!(count(&html, "id=\"muc-2\""), 1);
}

/// Markup that would run a script, load a frame or redirect, were it live.
const PAYLOAD: &str = "<script>alert(1)</script><img src=x onerror=alert(2)><a href=\"javascript:alert(3)\">j</a>\
<iframe src=\"data:text/html,x\"></iframe><svg onload=alert(4)><script>alert(5)</script></svg>\
<object data=\"x.swf\"></object><embed src=\"x.swf\"><meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(6)\">\
<div style=\"background:url(javascript:alert(7));width:expression(alert(8))\">s</div><a href=\"vbscript:msgbox(9)\">v</a>\
<a href=\"data:text/html;base64,PHNjcmlwdD4=\">d</a><form action=\"javascript:alert(10)\"><button>b</button></form>";

/// The opening tags of an HTML or XML text, each as (name, attributes); text is
/// escaped by the build, so every `<` left opens a tag.
fn tags(markup: &str) -> Vec<(String, Vec<(String, String)>)> {
    markup
        .split('<')
        .skip(1)
        .filter(|tag| !tag.starts_with('/'))
        .map(|tag| {
            let tag = tag.split('>').next().unwrap_or("");
            let name = tag.trim_start_matches('/').split([' ', '\n', '\t', '/']).next().unwrap_or("");
            (name.to_ascii_lowercase(), attributes(tag))
        })
        .collect()
}

/// The attributes of a tag's text, as (lowercase name, value without quotes).
fn attributes(tag: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = tag.split_once(char::is_whitespace).map_or("", |(_, r)| r);
    loop {
        rest = rest.trim_start();
        let name_end = rest.find(|c: char| c == '=' || c.is_whitespace()).unwrap_or(rest.len());
        if name_end == 0 {
            return out;
        }
        let name = rest[..name_end].to_ascii_lowercase();
        rest = &rest[name_end..];
        let mut value = String::new();
        if let Some(after) = rest.strip_prefix('=') {
            let (inner, quote) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => (&after[1..], Some(q)),
                _ => (after, None),
            };
            let end = match quote {
                Some(q) => inner.find(q).unwrap_or(inner.len()),
                None => inner.find(char::is_whitespace).unwrap_or(inner.len()),
            };
            value = inner[..end].to_string();
            rest = inner.get(end + quote.map_or(0, |_| 1)..).unwrap_or("");
        }
        out.push((name, value));
    }
}

/// Panics when a tag of `markup` (in the file `path`) is one that runs,
/// frames or redirects, or when an attribute is an event handler, a
/// script address or a style able to load or compute.
#[track_caller]
fn assert_inert(path: &str, markup: &str) {
    for (name, attributes) in tags(markup) {
        let own_script = name == "script"
            && attributes.iter().any(|(a, v)| {
                (a == "type" && v == "application/ld+json") || (a == "src" && v.ends_with("assets/search.js"))
            });
        assert!(
            own_script || !["script", "iframe", "object", "embed", "base", "style", "frame"].contains(&name.as_str()),
            "{path}: a live <{name}> {attributes:?}"
        );
        for (attribute, value) in &attributes {
            let value = value.trim().to_ascii_lowercase();
            assert!(!attribute.starts_with("on"), "{path}: <{name} {attribute}={value}>");
            assert!(attribute != "http-equiv", "{path}: <{name} {attribute}={value}>");
            if ["href", "src", "action", "data", "style"].contains(&attribute.as_str()) {
                for live in ["javascript:", "vbscript:", "data:", "expression(", "url("] {
                    assert!(!value.contains(live), "{path}: <{name} {attribute}=\"{value}\">");
                }
            }
        }
    }
}

#[test]
fn scripts_in_raw_html_and_in_every_front_matter_field_stay_inert_in_every_output() {
    let p = PAYLOAD;
    let title = format!("Thủ tục {p}");
    let procedure = Proc::new(&title, "1.000047")
        .field(&format!("Lĩnh vực {p}"))
        .agency(&format!("Sở {p}"))
        .extra(&format!(
            "fee = {0}\nprocessing_time = {0}\nsubmit_at = {0}\ndecision = {0}\ntier = {0}\n\
             applicants = [{0}]\nkeywords = [{0}, \"javascript:alert(11)\"]\n\
             online_url = \"https://example.vn/?q=<script>alert(12)</script>\"\n\
             [extra]\nnote = {0}\n",
            toml_str(p)
        ))
        .body(&format!("## Mục {p}\n\n{p}\n\n[a](javascript:alert(13)) [b](vbscript:x) ![c](data:image/svg+xml,x)\n"));
    let dir = site(&[
        ("site.toml", SITE_TOML),
        (A, &procedure.md()),
        (
            "content/notices/tin.md",
            &notice(&format!("Tin {p}"), "2020-10-05", &["1.000047"]).replace("Tóm tắt tin", &p.replace('"', "\\\"")),
        ),
        ("content/pages/gioi-thieu.md", &format!("+++\ntitle = {}\n+++\n{p}\n", toml_str(&format!("Giới thiệu {p}")))),
    ]);
    let tree = build_ok(dir.path());
    let mut looked = 0;
    for (path, bytes) in &tree {
        let text = String::from_utf8_lossy(bytes);
        if path.ends_with(".html") || path.ends_with(".xml") {
            assert_inert(path, &text);
            looked += 1;
        }
        if path.ends_with(".json") {
            // Data, parsed by scripts as data: it must be valid JSON.
            serde_json::from_slice::<serde_json::Value>(bytes).unwrap_or_else(|e| panic!("{path}: {e}"));
        }
    }
    assert!(looked > 20, "only {looked} pages and feeds");
    let page_html = page(&tree, "thu-tuc/a/index.html");
    assert!(page_html.contains("Thủ tục &lt;script&gt;alert(1)&lt;/script&gt;"), "{page_html}");
    assert!(page_html.contains("application/ld+json"));
}

#[test]
fn the_inertness_check_sees_every_live_piece_of_the_payload() {
    let live: Vec<String> = PAYLOAD
        .split('<')
        .skip(1)
        .filter(|tag| !tag.starts_with('/') && !tag.starts_with("button"))
        .map(|tag| format!("<{tag}"))
        .collect();
    assert_eq!(live.len(), 13, "{live:?}");
    for piece in live {
        let caught = std::panic::catch_unwind(|| assert_inert("piece", &piece));
        assert!(caught.is_err(), "{piece} passed the check");
    }
}

#[test]
fn csv_cells_that_a_spreadsheet_would_run_start_with_a_quote_and_json_keeps_them() {
    let dir = site(&[
        ("site.toml", SITE_TOML),
        (
            A,
            &Proc::new("=HYPERLINK(\"http://evil.example/\",\"Bấm vào\")", "1.000047")
                .field("@SUM(1+1)")
                .agency("-2+3")
                .extra("fee = \"+84 đồng\"\nprocessing_time = \"=1+1\"\n")
                .md(),
        ),
        ("content/procedures/b.md", &Proc::new("Thủ tục thường", "1.000048").extra("fee = \"50.000 đồng\"\n").md()),
    ]);
    let tree = build_ok(dir.path());
    let mut reader = csv::Reader::from_reader(&tree["du-lieu/thu-tuc.csv"][3..]);
    let headers = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let cell = |row: &csv::StringRecord, name: &str| row[headers.iter().position(|h| h == name).unwrap()].to_string();
    let hostile = rows.iter().find(|r| cell(r, "code") == "1.000047").unwrap();
    assert_eq!(cell(hostile, "title"), "'=HYPERLINK(\"http://evil.example/\",\"Bấm vào\")");
    assert_eq!(cell(hostile, "field"), "'@SUM(1+1)");
    assert_eq!(cell(hostile, "agency"), "'-2+3");
    assert_eq!(cell(hostile, "fee"), "'+84 đồng");
    assert_eq!(cell(hostile, "processing_time"), "'=1+1");
    let plain = rows.iter().find(|r| cell(r, "code") == "1.000048").unwrap();
    assert_eq!(cell(plain, "title"), "Thủ tục thường");
    assert_eq!(cell(plain, "fee"), "50.000 đồng");
    for row in &rows {
        for value in row {
            assert!(!value.starts_with(['=', '+', '-', '@', '\t', '\r']), "{value:?}");
        }
    }
    let json = open_data(&tree);
    let record = json.iter().find(|r| r["code"] == "1.000047").unwrap();
    assert_eq!(record["title"], "=HYPERLINK(\"http://evil.example/\",\"Bấm vào\")");
}

/// The front matter of a valid procedure, lines 1 to 8.
const FRONT: &str = "+++\ntitle = \"Đăng ký công bố\"\ncode = \"1.000047\"\nfield = \"Lĩnh vực\"\nagency = \"Sở\"\nservice_level = 4\npostal = \"both\"\n+++\n";

/// Builds a site holding `site.toml` and the procedure file `bytes`, and
/// checks that the build fails with exit 1 and prints `expected`.
#[track_caller]
fn assert_file_error(bytes: &[u8], expected: &str) {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), &[("site.toml", SITE_TOML)]);
    write_bytes(dir.path(), A, bytes);
    let run = build(dir.path());
    run.expect(1);
    assert!(run.stderr.contains(expected), "expected {expected:?} in\n{}", run.stderr);
    assert!(!dir.path().join("public").exists());
}

#[test]
fn files_in_other_encodings_or_with_broken_bytes_are_errors_at_the_place() {
    let not_utf8 = "error: this file is not UTF-8 text\n  hint: it may be saved in a legacy Vietnamese encoding \
                    (TCVN3, VNI or Windows-1258); open it in your editor and save it again as UTF-8";
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(FRONT.encode_utf16().flat_map(u16::to_le_bytes));
    assert_file_error(
        &utf16,
        "content/procedures/a.md:1:1: error: this file is saved as UTF-16 text\n  hint: open it in your editor and \
         save it again as UTF-8 (in Notepad: Save As, Encoding: UTF-8)",
    );
    // "Thủ tục" in TCVN3 (ABC), in VNI and in Windows-1258 bytes.
    for legacy in [&b"Th\xf1 t\xf6c"[..], b"Thu\xfb tu\xefc", b"Thu\xd2 tu\xf2c"] {
        let mut bytes = FRONT.as_bytes().to_vec();
        bytes.extend_from_slice(b"\nM\xf4 t\xe1\n");
        bytes.extend_from_slice(legacy);
        assert_file_error(&bytes, &format!("content/procedures/a.md:10:2: {not_utf8}"));
    }
    let mut one_bad_byte = format!("{FRONT}Dòng một.\nDòng hai ").into_bytes();
    one_bad_byte.push(0xC3);
    one_bad_byte.extend_from_slice(" và tiếp.\n".as_bytes());
    assert_file_error(&one_bad_byte, &format!("content/procedures/a.md:10:10: {not_utf8}"));
    assert_file_error(
        format!("{FRONT}Dòng một.\nTrước\0sau.\n").as_bytes(),
        "content/procedures/a.md:10:6: error: this file holds a NUL character (byte 0) here, which no web page may hold",
    );
    assert_file_error(b"", "content/procedures/a.md:1:1: error: the file has no front matter");
}

#[test]
fn a_fifty_megabyte_file_is_refused_quickly() {
    let mut bytes = FRONT.as_bytes().to_vec();
    let sentence = "Nội dung rất dài. ";
    bytes.extend(sentence.repeat(50_000_000 / sentence.len()).into_bytes());
    let started = std::time::Instant::now();
    assert_file_error(
        &bytes,
        "content/procedures/a.md:1:1: error: this file is 50 MB; a page's text may be at most 10 MB\n  hint: put images \
         and documents in static/ and link to them from the text; a file this big may also be damaged",
    );
    eprintln!("refused in {:?}", started.elapsed());
}

#[test]
fn broken_structure_is_an_error_or_builds_as_text() {
    assert_file_error(
        "+++\ntitle = \"Đăng ký\"\ncode = \"1.000047\"\n".as_bytes(),
        "content/procedures/a.md:1:1: error: the front matter is never closed",
    );
    for title in ["", "   "] {
        assert_file_error(
            FRONT.replace("\"Đăng ký công bố\"", &toml_str(title)).as_bytes(),
            "content/procedures/a.md:2:9: error: `title` (the procedure's name) is empty",
        );
    }
    // Only front matter, not even a line end after it: a warning.
    let dir = site(&[("site.toml", SITE_TOML), (A, FRONT.trim_end())]);
    let run = check(dir.path());
    run.expect(0);
    assert!(
        run.stderr.contains("content/procedures/a.md:8:1: warning: the procedure has no text after its front matter"),
        "{}",
        run.stderr
    );
    // `+++` inside the body is text; 10,000 keywords and a 10,000-character title build.
    let keywords: Vec<String> = (0..10_000).map(|i| toml_str(&format!("từ khóa {i}"))).collect();
    let long_title = "Đăng ký công bố hợp chuẩn ".repeat(400);
    let dir = site(&[
        ("site.toml", SITE_TOML),
        (A, &format!("{FRONT}Trước.\n\n+++\n\nSau.\n")),
        (
            "content/procedures/b.md",
            &Proc::new(&long_title, "1.000048").extra(&format!("keywords = [{}]", keywords.join(", "))).md(),
        ),
    ]);
    let tree = build_ok(dir.path());
    let a = page(&tree, "thu-tuc/a/index.html");
    assert!(a.contains("<p>+++</p>"), "{a}");
    let b = page(&tree, "thu-tuc/b/index.html");
    assert!(b.contains(long_title.trim()), "the whole title is shown");
    let record = open_data(&tree).into_iter().find(|r| r["code"] == "1.000048").unwrap();
    assert_eq!(record["keywords"].as_array().unwrap().len(), 10_000);
}

#[test]
fn symlinks_are_not_followed_and_warned_about() {
    let outside = tempfile::tempdir().unwrap();
    write_files(outside.path(), &[("secret.md", &Proc::new("Bí mật", "1.000099").md()), ("passwd", "root:x:0:0")]);
    let dir = one_procedure("Nội dung.\n");
    let root = dir.path();
    std::fs::create_dir_all(root.join("static")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.md"), root.join("content/procedures/secret.md")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("passwd"), root.join("static/passwd")).unwrap();
    std::os::unix::fs::symlink(root.join("content"), root.join("content/procedures/loop")).unwrap();
    let run = check(root);
    run.expect(0);
    let outside_path = outside.path().join("secret.md").display().to_string();
    assert!(
        run.stderr.contains(&format!(
            "content/procedures/secret.md:1:1: warning: this is a link to {outside_path}; links are not followed, so \
             what it points to is not published\n  hint: copy the file or folder into the site folder instead of linking to it"
        )),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("content/procedures/loop:1:1: warning: this is a link to"), "{}", run.stderr);
    assert!(run.stderr.contains("static/passwd:1:1: warning: this is a link to"), "{}", run.stderr);
    let tree = build_ok(root);
    assert!(!tree.keys().any(|path| path.contains("secret") || path.contains("passwd")), "{:?}", tree.keys());
    assert!(!tree.values().any(|bytes| String::from_utf8_lossy(bytes).contains("Bí mật")));
}

#[test]
fn names_windows_cannot_hold_are_warned_about_and_editor_files_ignored() {
    let proc = |code: &str| Proc::new("Thủ tục", code).md();
    let dir = site(&[
        ("site.toml", SITE_TOML),
        ("content/procedures/con.md", &proc("1.000001")),
        ("content/procedures/aux.md", &proc("1.000002")),
        ("content/procedures/nul.md", &proc("1.000003")),
        ("content/procedures/com1.md", &proc("1.000004")),
        ("content/procedures/a:b.md", &proc("1.000005")),
        ("content/procedures/lpt1 /x.md", &proc("1.000006")),
        ("content/procedures/.#x.md", "garbage from Emacs"),
        ("content/procedures/x.md~", "garbage"),
        ("content/procedures/.x.md.swp", "\u{1}garbage from Vim"),
        ("static/.style.css.swp", "\u{1}swap"),
        ("themes/default/templates/.base.html.swp", "\u{1}swap"),
        ("themes/default/templates/base.html~", "{{ broken"),
        ("themes/default/templates/#base.html#", "{{ broken"),
    ]);
    let run = check(dir.path());
    run.expect(0);
    for name in ["con.md", "aux.md", "nul.md", "com1.md", "a:b.md"] {
        assert!(
            run.stderr.contains(&format!(
                "content/procedures/{name}:1:1: warning: Windows cannot hold a file or folder named `{name}`, so staff \
                 on Windows cannot check the site out\n  hint: rename it: no con, prn, aux, nul, com1 to com9 or lpt1 to \
                 lpt9 as a name, no dot or space at the end, and none of < > : \" | ? * \\"
            )),
            "{name}: {}",
            run.stderr
        );
    }
    assert!(run
        .stderr
        .contains("content/procedures/lpt1 :1:1: warning: Windows cannot hold a file or folder named `lpt1 `"));
    assert_eq!(count(&run.stderr, "warning: Windows cannot hold"), 6, "{}", run.stderr);
    let tree = build_ok(dir.path());
    assert!(!tree.keys().any(|path| path.contains("swp") || path.contains('#')), "{:?}", tree.keys());
}

/// Runs `niemyet check` on `root` as the user `nobody`, for root (as in CI), who reads files
/// whatever their permissions: the site's folders are opened to others first.
fn check_as_nobody(root: &std::path::Path) -> Run {
    use std::os::unix::fs::PermissionsExt;
    for entry in walkdir::WalkDir::new(root).into_iter().map(Result::unwrap).filter(|e| e.file_type().is_dir()) {
        std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    run_command(
        std::process::Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(bin())
            .args(["check", "--root"])
            .arg(root)
            .args(["--lang", "en"]),
    )
}

#[test]
fn unreadable_files_are_errors_that_name_them() {
    use std::os::unix::fs::PermissionsExt;
    let dir = one_procedure("Nội dung.\n");
    let secret = dir.path().join(A);
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000)).unwrap();
    let run = if std::fs::read(&secret).is_ok() { check_as_nobody(dir.path()) } else { check(dir.path()) };
    run.expect(1);
    assert!(
        run.stderr.contains(
            "content/procedures/a.md:1:1: error: cannot read this file: Permission denied (os error 13)\n  hint: check \
             that the file exists and that you may read it"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn aliases_that_leave_the_site_are_errors_and_nothing_is_written_outside() {
    let aliases = [
        "/../thoat/",
        "/a/../../thoat/",
        "/%2e%2e/thoat/",
        "/%2E%2E%2Fthoat/",
        "/a%5c..%5c..%5cthoat/",
        "/C:/Windows/",
        "C:\\\\Windows",
        "\\\\\\\\may-chu\\\\thu-muc",
        "/a\\\\..\\\\thoat/",
        "//may-chu/thoat/",
        "https://evil.example/",
    ];
    let list: Vec<String> = aliases.iter().map(|a| format!("\"{a}\"")).collect();
    // The site in a folder of its own, so that what other tests write beside it does not count.
    let outside = tempfile::tempdir().unwrap();
    let root = outside.path().join("site");
    write_files(
        &root,
        &[
            ("site.toml", SITE_TOML),
            (
                A,
                &Proc::new("Thủ tục", "1.000047")
                    .extra(&format!("aliases = [{}]\nslug = \"../../thoat\"", list.join(", ")))
                    .md(),
            ),
        ],
    );
    let parent = outside.path().to_path_buf();
    let before: Vec<_> = std::fs::read_dir(&parent).unwrap().map(|e| e.unwrap().file_name()).collect();
    let run = build(&root);
    run.expect(1);
    assert_eq!(count(&run.stderr, "is not a path on this site"), aliases.len(), "{}", run.stderr);
    assert!(
        run.stderr.contains("content/procedures/a.md:8:12: error: the alias `/../thoat/` is not a path on this site"),
        "{}",
        run.stderr
    );
    let after: Vec<_> = std::fs::read_dir(&parent).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(before.len(), after.len(), "nothing new beside the site");
    // A slug is made of letters, digits and hyphens only.
    let dir = site(&[
        ("site.toml", SITE_TOML),
        (A, &Proc::new("Thủ tục", "1.000047").extra("slug = \"../../C:\\\\thoat/..\"").md()),
    ]);
    let tree = build_ok(dir.path());
    assert!(tree.contains_key("thu-tuc/c-thoat/index.html"), "{:?}", tree.keys());
}

#[test]
fn an_output_folder_that_holds_or_is_inside_the_site_is_refused() {
    let dir = one_procedure("Nội dung.\n");
    let root = dir.path();
    let root_s = root.display().to_string();
    let home = std::env::var("HOME").unwrap_or_else(|_| "/root".into());
    for (out, message) in [
        (root_s.clone(), format!("{root_s} holds the site folder itself")),
        ("/".to_string(), "/ holds the site folder itself".to_string()),
        (root.parent().unwrap().display().to_string(), "holds the site folder itself".to_string()),
        (format!("{root_s}/content"), format!("{root_s}/content is inside the site's content/ folder")),
        (format!("{root_s}/content/procedures/public"), "is inside the site's content/ folder".to_string()),
        (format!("{root_s}/static/out"), "is inside the site's static/ folder".to_string()),
        (home.clone(), format!("{home} is not empty and was not made by niemyet")),
    ] {
        let run = build_to(root, std::path::Path::new(&out));
        run.expect(2);
        assert!(run.stderr.contains(&message), "{out}: {}", run.stderr);
    }
    let foreign = tempfile::tempdir().unwrap();
    write_files(foreign.path(), &[("mine.txt", "giữ lại")]);
    build_to(root, foreign.path()).expect(2);
    assert_eq!(std::fs::read_to_string(foreign.path().join("mine.txt")).unwrap(), "giữ lại");
    assert!(!root.join("content/procedures/public").exists() && !root.join("static").exists());
}

#[test]
fn a_build_killed_at_any_moment_leaves_each_file_old_or_new_and_the_next_build_repairs_it() {
    // Two versions of one site whose every page differs, at the same length,
    // so that a half-moved output cannot be told by file sizes.
    let version = |name: &str| SITE_TOML.replace("Thủ tục hành chính thử nghiệm", name);
    let procedures: Vec<(String, String)> = (0..150)
        .map(|i| {
            (format!("content/procedures/p{i}.md"), Proc::new(&format!("Thủ tục số {i}"), &format!("1.{i:06}")).md())
        })
        .collect();
    let site_of = |name: &str| {
        let mut files: Vec<(&str, &str)> = procedures.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
        let toml = version(name);
        files.push(("site.toml", &toml));
        site(&files)
    };
    let (old_site, new_site) = (site_of("Trang thử nghiệm A"), site_of("Trang thử nghiệm B"));
    let old = build_ok(old_site.path());
    let started = std::time::Instant::now();
    let new = build_ok(new_site.path());
    let build_time = started.elapsed();
    assert_eq!(old.keys().collect::<Vec<_>>(), new.keys().collect::<Vec<_>>());

    let dir = site_of("Trang thử nghiệm A");
    let root = dir.path();
    build_ok(root);
    let mut seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos() as u64;
    for round in 0..16 {
        let name = if round % 2 == 0 { "Trang thử nghiệm B" } else { "Trang thử nghiệm A" };
        std::fs::write(root.join("site.toml"), version(name)).unwrap();
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let delay = build_time.mul_f64((seed >> 33) as f64 / (1u64 << 31) as f64 * 1.2);
        let mut child = std::process::Command::new(bin())
            .args(["build", "--root", root.to_str().unwrap()])
            .current_dir(root)
            .stderr(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let finished = child.try_wait().unwrap().is_some_and(|status| status.success());
        let _ = child.kill();
        child.wait().unwrap();
        let now = read_tree(&root.join("public"));
        if finished {
            let expected = if name.ends_with('B') { &new } else { &old };
            assert_same_files(&now, expected, &format!("round {round}, finished"));
        }
        for (path, bytes) in &now {
            if path.ends_with('/') || path == ".niemyet-manifest" {
                continue;
            }
            assert!(
                old.get(path) == Some(bytes) || new.get(path) == Some(bytes),
                "round {round}, killed after {delay:?}: {path} is neither the old nor the new file"
            );
        }
    }
    for (name, expected) in [("Trang thử nghiệm A", &old), ("Trang thử nghiệm B", &new)] {
        std::fs::write(root.join("site.toml"), version(name)).unwrap();
        assert_same_files(&build_ok(root), expected, &format!("repaired to {name}"));
    }
}

/// Panics unless `tree` holds exactly the files of `expected`, byte for byte.
#[track_caller]
fn assert_same_files(tree: &Tree, expected: &Tree, when: &str) {
    assert_eq!(tree.keys().collect::<Vec<_>>(), expected.keys().collect::<Vec<_>>(), "{when}");
    for (path, bytes) in expected {
        assert!(path == ".niemyet-manifest" || tree[path] == *bytes, "{when}: {path} is not as built");
    }
}

#[test]
fn a_base_url_too_long_for_the_qr_codes_is_an_error_at_its_place_not_a_crash() {
    let long = format!("https://example.gov.vn/{}", "a".repeat(2500));
    let dir = site(&[
        ("site.toml", &SITE_TOML.replace("https://example.gov.vn/tthc", &long)),
        (A, &Proc::new("Thủ tục", "1.000047").md()),
    ]);
    let run = build(dir.path());
    run.expect(1);
    assert!(
        run.stderr.contains("site.toml:2:12: error: `base_url` is 2523 bytes long; the most is 1000"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let dir = site(&[("site.toml", SITE_TOML), (A, &Proc::new("Thủ tục", "1.000047").md())]);
    let run = run_in(dir.path(), &["build", "--lang", "en", "--base-url", &long]);
    run.expect(2);
    assert!(run.stderr.contains("`base_url` is 2523 bytes long"), "{}", run.stderr);
    let longest = format!("https://example.gov.vn/{}", "a".repeat(1000 - 23));
    let run = run_in(dir.path(), &["build", "--lang", "en", "--base-url", &longest]);
    run.expect(0);
}
