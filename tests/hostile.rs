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
