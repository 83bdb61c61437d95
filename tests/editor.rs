//! Contract §6: the editor in `niemyet serve`. Each test starts the real
//! binary on a free port of 127.0.0.1 over a small site in a temporary
//! folder, sends the editor's forms over a plain socket (so that `Host`,
//! `Origin` and the token are exactly as written), and stops it by its
//! process (it is killed when the test ends, even when it fails).

mod common;

use std::io::{Read, Write};

use common::preview::*;
use common::*;

const A: &str = "content/procedures/a.md";
const B: &str = "content/procedures/b.md";

/// The requests of the editor's tests, sent over a plain socket so that `Host`, `Origin` and
/// the token are exactly as written.
trait Http {
    /// Sends a request with these headers (Host first) and body.
    fn send(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply;
    fn get(&self, path: &str) -> Reply;
    /// Posts `fields` as a browser on the preview's own page would.
    fn post(&self, path: &str, fields: &[(String, String)]) -> Reply;
    fn post_with(&self, path: &str, fields: &[(String, String)], headers: &[(&str, &str)]) -> Reply;
}

impl Http for Preview {
    fn send(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
        let mut stream = self.connect();
        let mut head = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(body).unwrap();
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes).expect("the server answers");
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").expect("a head and a body");
        let status = head.split(' ').nth(1).unwrap().parse().unwrap();
        let location = head
            .lines()
            .find_map(|l| l.split_once(": ").filter(|(name, _)| name.eq_ignore_ascii_case("Location")))
            .map_or("", |(_, value)| value)
            .to_string();
        Reply { status, location, body: body.to_string() }
    }

    fn get(&self, path: &str) -> Reply {
        self.send("GET", path, &[("Host", &self.own())], b"")
    }

    fn post(&self, path: &str, fields: &[(String, String)]) -> Reply {
        let own = self.own();
        let origin = format!("http://{own}");
        self.post_with(path, fields, &[("Host", &own), ("Origin", &origin)])
    }

    fn post_with(&self, path: &str, fields: &[(String, String)], headers: &[(&str, &str)]) -> Reply {
        let body = encode(fields);
        let mut all = headers.to_vec();
        all.push(("Content-Type", "application/x-www-form-urlencoded"));
        self.send("POST", path, &all, body.as_bytes())
    }
}

struct Reply {
    status: u16,
    location: String,
    body: String,
}

fn encode(fields: &[(String, String)]) -> String {
    let mut out = String::new();
    for (name, value) in fields {
        if !out.is_empty() {
            out.push('&');
        }
        for (i, part) in [name, value].into_iter().enumerate() {
            if i == 1 {
                out.push('=');
            }
            for b in part.bytes() {
                if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
                    out.push(b as char);
                } else {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
        }
    }
    out
}

/// The value of attribute `name` in a tag's text.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = tag[start..].find('"')?;
    Some(unescape(&tag[start..start + end]))
}

fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

/// What a browser would send for a form page as it stands: every input,
/// the checked radio buttons and boxes, each text area and selected option.
fn form_fields(html: &str) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    for tag in html.split("<input").skip(1).map(|t| &t[..t.find('>').unwrap()]) {
        let (Some(name), kind) = (attribute(tag, "name"), attribute(tag, "type").unwrap_or_default()) else {
            continue;
        };
        let value = attribute(tag, "value").unwrap_or_default();
        match kind.as_str() {
            "radio" | "checkbox" if !tag.contains(" checked") => {}
            "file" => {}
            _ => fields.push((name, value)),
        }
    }
    for part in html.split("<textarea ").skip(1) {
        let name = attribute(&part[..part.find('>').unwrap()], "name").unwrap();
        let text = &part[part.find(">\n").unwrap() + 2..part.find("</textarea>").unwrap()];
        fields.push((name, unescape(text)));
    }
    for part in html.split("<select ").skip(1) {
        let name = attribute(&part[..part.find('>').unwrap()], "name").unwrap();
        let options = &part[..part.find("</select>").unwrap()];
        let chosen =
            options.split("<option ").skip(1).find(|o| o.contains(" selected")).or(options.split("<option ").nth(1));
        fields.push((name, attribute(&format!(" {}", chosen.unwrap()), "value").unwrap()));
    }
    fields
}

fn set(fields: &mut [(String, String)], name: &str, value: &str) {
    fields.iter_mut().find(|(n, _)| n == name).unwrap_or_else(|| panic!("no field {name}")).1 = value.to_string();
}

fn two_procedures() -> tempfile::TempDir {
    let a = Proc::new("Đăng ký công bố hợp chuẩn", "1.000047")
        .extra("# Phí theo Thông tư 183\nfee = \"Không\"   # giữ nguyên\n[[channels]]\nkind = \"online\"\n");
    site(&[("site.toml", SITE_TOML), (A, &a.md()), (B, &Proc::new("Cấp giấy chứng nhận", "1.000048").md())])
}

const PAGE: &str = "/_sua/thu-tuc/a/";

#[test]
fn a_form_saves_what_changed_and_keeps_the_rest_byte_for_byte() {
    let dir = two_procedures();
    let before = std::fs::read_to_string(dir.path().join(A)).unwrap();
    let serve = Preview::start(dir.path(), &[]);
    let page = serve.get("/thu-tuc/a/");
    assert!(page.body.contains(&format!("href=\"{PAGE}\"")), "the preview links to the form");
    let form = serve.get(PAGE);
    assert_eq!(form.status, 200);
    for label in ["<label for=\"f-title\">", "<legend>Dịch vụ bưu chính công ích", "<select id=\"f-service_level\""]
    {
        assert!(form.body.contains(label), "{label}");
    }
    assert!(form.body.contains(">Mã thủ tục, ví dụ &quot;1.000047&quot;"), "the scaffold's explanation is the help");
    let fields = form_fields(&form.body);
    let saved = serve.post(PAGE, &fields);
    assert_eq!((saved.status, saved.location.as_str()), (303, "/thu-tuc/a/"), "{}", saved.body);
    assert_eq!(std::fs::read_to_string(dir.path().join(A)).unwrap(), before, "an unchanged form changes nothing");

    let mut fields = fields;
    set(&mut fields, "title", "Đăng ký công bố hợp chuẩn (sửa)");
    set(&mut fields, "service_level", "3");
    let saved = serve.post(PAGE, &fields);
    assert_eq!(saved.status, 303, "{}", saved.body);
    let after = std::fs::read_to_string(dir.path().join(A)).unwrap();
    let expected = before
        .replace("title = \"Đăng ký công bố hợp chuẩn\"", "title = \"Đăng ký công bố hợp chuẩn (sửa)\"")
        .replace("service_level = 4", "service_level = 3");
    assert_eq!(after, expected);
    let shown = serve.get("/thu-tuc/a/");
    assert!(shown.body.contains("Đăng ký công bố hợp chuẩn (sửa)"), "the page shows the change at once");
}

#[test]
fn a_save_with_errors_writes_nothing_and_shows_them_at_their_fields() {
    let dir = two_procedures();
    let before = std::fs::read_to_string(dir.path().join(A)).unwrap();
    let serve = Preview::start(dir.path(), &[]);
    let fields = form_fields(&serve.get(PAGE).body);
    for (key, value, says) in [
        ("title", "", "`title`"),
        ("code", "1.000048", "1.000048"),
        ("service_level", "9", "`9`"),
        ("decision_date", "21/09/2020", "2020-09-21"),
    ] {
        let mut wrong = fields.clone();
        set(&mut wrong, key, value);
        let reply = serve.post(PAGE, &wrong);
        assert_eq!(reply.status, 422, "{key}: {}", reply.body);
        assert!(reply.body.contains(&format!("<a href=\"#f-{key}\">")), "{key}: the summary links to the field");
        let error = reply.body.split(&format!("id=\"e-{key}\">")).nth(1).expect("the message at the field");
        assert!(error[..error.find("</p>").unwrap()].contains(says), "{key}: {error}");
        assert!(reply.body.contains(&format!("aria-describedby=\"h-{key} e-{key}\"")), "{key}: tied to the field");
        assert!(
            reply.body.contains(&format!("value=\"{value}\"")) || key == "service_level",
            "{key}: what was typed stays"
        );
        assert_eq!(std::fs::read_to_string(dir.path().join(A)).unwrap(), before, "{key}: nothing written");
    }
}

#[test]
fn a_file_changed_on_disk_since_the_form_opened_is_not_overwritten() {
    let dir = two_procedures();
    let serve = Preview::start(dir.path(), &[]);
    let mut fields = form_fields(&serve.get(PAGE).body);
    let elsewhere =
        std::fs::read_to_string(dir.path().join(A)).unwrap().replace("fee = \"Không\"", "fee = \"50.000 đồng\"");
    std::fs::write(dir.path().join(A), &elsewhere).unwrap();
    set(&mut fields, "title", "Tên mới");
    let reply = serve.post(PAGE, &fields);
    assert_eq!(reply.status, 409, "{}", reply.body);
    assert!(reply.body.contains("Các mục khác nhau: Phí, lệ phí."), "{}", reply.body);
    assert_eq!(std::fs::read_to_string(dir.path().join(A)).unwrap(), elsewhere);
}

#[test]
fn writes_from_anywhere_but_the_preview_own_pages_get_403_and_change_nothing() {
    let dir = two_procedures();
    let before = std::fs::read_to_string(dir.path().join(A)).unwrap();
    let serve = Preview::start(dir.path(), &[]);
    let mut fields = form_fields(&serve.get(PAGE).body);
    set(&mut fields, "title", "Bị sửa");
    let own = serve.own();
    let origin = format!("http://{own}");
    let rebound = format!("evil.example:{}", serve.port);
    let rebound_origin = format!("http://{rebound}");
    let without_token: Vec<_> = fields.iter().filter(|(n, _)| n != "_token").cloned().collect();
    let mut wrong_token = fields.clone();
    set(&mut wrong_token, "_token", "0123456789abcdef0123456789abcdef");
    type Case<'a> = (&'a str, &'a [(String, String)], Vec<(&'a str, &'a str)>);
    let cases: [Case; 6] = [
        ("foreign Origin", &fields, vec![("Host", &own), ("Origin", "http://evil.example")]),
        ("foreign Host", &fields, vec![("Host", &rebound), ("Origin", "http://evil.example")]),
        ("rebound Host and Origin", &fields, vec![("Host", &rebound), ("Origin", &rebound_origin)]),
        ("no Origin nor Referer", &fields, vec![("Host", &own)]),
        ("no token", &without_token, vec![("Host", &own), ("Origin", &origin)]),
        ("wrong token", &wrong_token, vec![("Host", &own), ("Origin", &origin)]),
    ];
    for (case, fields, headers) in cases {
        let reply = serve.post_with(PAGE, fields, &headers);
        assert_eq!(reply.status, 403, "{case}");
        assert_eq!(std::fs::read_to_string(dir.path().join(A)).unwrap(), before, "{case}");
    }
    let referer = format!("http://{own}{PAGE}");
    let reply = serve.post_with(PAGE, &fields, &[("Host", &own), ("Referer", &referer)]);
    assert_eq!(reply.status, 303, "a Referer of the preview will do when a browser sends no Origin");
    assert_eq!(serve.send("GET", PAGE, &[("Host", &rebound)], b"").status, 403, "not even the form");
}

#[test]
fn the_editor_is_off_on_other_addresses_unless_asked_and_never_in_the_build() {
    let dir = two_procedures();
    {
        let serve = Preview::start(dir.path(), &["--bind", "0.0.0.0"]);
        assert_eq!(serve.get(PAGE).status, 404);
        assert_eq!(serve.get("/_sua/moi/thu-tuc/").status, 404);
        assert!(!serve.get("/thu-tuc/a/").body.contains("/_sua/"));
    }
    {
        let serve = Preview::start(dir.path(), &["--bind", "0.0.0.0", "--edit"]);
        assert!(serve.wait_for_line("Warning: the editor is on at 0.0.0.0").contains("anyone"));
        assert_eq!(serve.get(PAGE).status, 200);
    }
    let tree = build_ok(dir.path());
    for (path, bytes) in &tree {
        assert!(!String::from_utf8_lossy(bytes).contains("_sua"), "{path} holds something of the editor");
    }
}

#[test]
fn new_procedures_and_notices_are_named_as_new_names_them_and_pass_check() {
    let dir = two_procedures();
    let serve = Preview::start(dir.path(), &[]);
    let mut fields = form_fields(&serve.get("/_sua/moi/thu-tuc/").body);
    for (key, value) in [
        ("title", "Cấp giấy phép mới"),
        ("code", "1.000099"),
        ("field", "Tiêu chuẩn Đo lường Chất lượng"),
        ("agency", "Sở Khoa học và Công nghệ"),
        ("service_level", "4"),
    ] {
        set(&mut fields, key, value);
    }
    fields.push(("postal".into(), "none".into()));
    let reply = serve.post("/_sua/moi/thu-tuc/", &fields);
    assert_eq!((reply.status, reply.location.as_str()), (303, "/thu-tuc/cap-giay-phep-moi/"), "{}", reply.body);
    let written = std::fs::read_to_string(dir.path().join("content/procedures/cap-giay-phep-moi.md")).unwrap();
    assert!(written.contains("# Mã thủ tục") && written.contains("code = \"1.000099\""), "{written}");
    let again = serve.post("/_sua/moi/thu-tuc/", &fields);
    assert_eq!(again.status, 422, "a file of that name exists: {}", again.body);

    let mut fields = form_fields(&serve.get("/_sua/moi/tin-tuc/").body);
    set(&mut fields, "title", "Thông báo mới");
    set(&mut fields, "procedures", "1.000099\n1.000047");
    let reply = serve.post("/_sua/moi/tin-tuc/", &fields);
    assert_eq!((reply.status, reply.location.as_str()), (303, "/tin-tuc/thong-bao-moi/"), "{}", reply.body);
    assert!(dir.path().join("content/notices/thong-bao-moi.md").is_file());
    check(dir.path()).expect(0);
}

/// A `multipart/form-data` body of `fields` and `files` (field name, file name, bytes).
fn multipart(fields: &[(String, String)], files: &[(&str, &str, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend(format!("--XYZ\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").bytes());
    }
    for (name, file, bytes) in files {
        let head = format!(
            "--XYZ\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\nContent-Type: application/pdf\r\n\r\n"
        );
        body.extend(head.bytes());
        body.extend(*bytes);
        body.extend(b"\r\n");
    }
    body.extend(b"--XYZ--\r\n");
    body
}

#[test]
fn form_files_upload_under_safe_names_and_never_replace_another_file_unasked() {
    let dir = two_procedures();
    let serve = Preview::start(dir.path(), &[]);
    let own = serve.own();
    let origin = format!("http://{own}");
    let headers =
        [("Host", own.as_str()), ("Origin", origin.as_str()), ("Content-Type", "multipart/form-data; boundary=XYZ")];
    let fields = form_fields(&serve.get(PAGE).body);
    let files: [(&str, &str, &[u8]); 1] = [("forms.0._upload", "../../x.pdf", b"%PDF-1.4 one")];
    let reply = serve.send("POST", PAGE, &headers, &multipart(&fields, &files));
    assert_eq!(reply.status, 303, "{}", reply.body);
    assert_eq!(std::fs::read(dir.path().join("static/mau-don/1.000047/x.pdf")).unwrap(), b"%PDF-1.4 one");
    let text = std::fs::read_to_string(dir.path().join(A)).unwrap();
    assert!(text.contains("[[forms]]\nname = \"x\"\nfile = \"mau-don/1.000047/x.pdf\"\n"), "{text}");
    assert!(serve.get("/thu-tuc/a/").body.contains("mau-don/1.000047/x.pdf"), "the page links to the form");

    let fields = form_fields(&serve.get(PAGE).body);
    let files: [(&str, &str, &[u8]); 1] = [("forms.1._upload", "con.pdf", b"%PDF-1.4 two")];
    assert_eq!(serve.send("POST", PAGE, &headers, &multipart(&fields, &files)).status, 303);
    assert!(dir.path().join("static/mau-don/1.000047/tep-con.pdf").is_file());

    let fields = form_fields(&serve.get(PAGE).body);
    let files: [(&str, &str, &[u8]); 1] = [("forms.2._upload", "x.pdf", b"%PDF-1.4 other")];
    let reply = serve.send("POST", PAGE, &headers, &multipart(&fields, &files));
    assert_eq!(reply.status, 422, "another file of the same name is not replaced unasked");
    assert!(reply.body.contains("<a href=\"#f-forms.2.file\">"), "{}", reply.body);
    assert_eq!(std::fs::read(dir.path().join("static/mau-don/1.000047/x.pdf")).unwrap(), b"%PDF-1.4 one");
    let files: [(&str, &str, &[u8]); 1] = [("forms.2._upload", "virus.exe", b"MZ")];
    assert_eq!(serve.send("POST", PAGE, &headers, &multipart(&fields, &files)).status, 422);
    assert!(!dir.path().join("static/mau-don/1.000047/virus.exe").exists());
}

#[test]
fn the_form_speaks_the_site_language_and_previews_the_page_it_would_make() {
    let a = Proc::new("Registering conformity", "1.000047");
    let english = SITE_TOML.replace("language = \"vi\"", "language = \"en\"");
    let dir = site(&[("site.toml", &english), (A, &a.md())]);
    let before = std::fs::read_to_string(dir.path().join(A)).unwrap();
    let serve = Preview::start(dir.path(), &[]);
    assert!(serve.get("/thu-tuc/a/").body.contains(">Edit this page</a>"));
    let form = serve.get(PAGE).body;
    for text in [
        "<html lang=\"en\">",
        ">Procedure code <span class=\"req\">(required)</span>",
        ">The procedure&#39;s code, such as",
    ] {
        assert!(form.contains(text), "{text}");
    }
    let mut fields = form_fields(&form);
    set(&mut fields, "body", "## Steps\n\nBring the **new** form.\n");
    fields.push(("_action".into(), "preview".into()));
    let reply = serve.post(PAGE, &fields);
    assert_eq!(reply.status, 200, "{}", reply.body);
    let pane = reply.body.split("id=\"rendered\"").nth(1).expect("the rendered page beside the text");
    assert!(pane.contains("srcdoc=\"") && pane.contains("Bring the &lt;strong&gt;new&lt;/strong&gt; form."), "{pane}");
    assert_eq!(std::fs::read_to_string(dir.path().join(A)).unwrap(), before, "a preview writes nothing");
}
