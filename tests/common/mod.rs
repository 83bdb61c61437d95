//! Shared helpers for the integration tests: write a site into a temporary
//! folder, run the real `niemyet` binary on it, and read what it wrote.
//!
//! Every command is run with `--root` pointing at the temporary site and with
//! that folder as the working directory, so no test can ever write into the
//! repository's own `public/`.

#![allow(dead_code)]

pub mod preview;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A `site.toml` with three levels (2 < 3 < 4) and no theme folder.
pub const SITE_TOML: &str = r#"title = "Thủ tục hành chính thử nghiệm"
base_url = "https://example.gov.vn/tthc"
language = "vi"
description = "Trang thử nghiệm của bộ kiểm thử"

[organization]
name = "Chi cục Thử nghiệm"

[[service_levels]]
id = "2"
name = "Mức độ 2"
description = "Cung cấp thông tin và mẫu đơn"

[[service_levels]]
id = "3"
name = "Mức độ 3"
description = "Nộp hồ sơ trực tuyến"

[[service_levels]]
id = "4"
name = "Mức độ 4"
description = "Nộp hồ sơ, thanh toán và nhận kết quả trực tuyến"
"#;

/// The base URL of [`SITE_TOML`].
pub const BASE_URL: &str = "https://example.gov.vn/tthc";

/// A procedure file, with every required field filled in by default.
#[derive(Debug, Clone)]
pub struct Proc {
    pub title: String,
    pub code: String,
    pub field: String,
    pub agency: String,
    /// Raw TOML value: `4` or `"4"`.
    pub level: String,
    /// Raw TOML value: `"both"`, `true`, ...
    pub postal: String,
    /// Extra front matter lines, placed after the required ones.
    pub extra: String,
    pub body: String,
}

impl Proc {
    pub fn new(title: &str, code: &str) -> Proc {
        Proc {
            title: title.into(),
            code: code.into(),
            field: "Tiêu chuẩn Đo lường Chất lượng".into(),
            agency: "Sở Khoa học và Công nghệ".into(),
            level: "4".into(),
            postal: "\"both\"".into(),
            extra: String::new(),
            body: "## Trình tự thực hiện\n\nNộp hồ sơ tại Trung tâm.\n\n## Thành phần hồ sơ\n\n- Bản công bố.\n".into(),
        }
    }
    pub fn field(mut self, v: &str) -> Self {
        self.field = v.into();
        self
    }
    pub fn agency(mut self, v: &str) -> Self {
        self.agency = v.into();
        self
    }
    /// `level("4")` writes `service_level = 4`; `level("\"4\"")` writes the string.
    pub fn level(mut self, raw: &str) -> Self {
        self.level = raw.into();
        self
    }
    /// Raw TOML: `postal("true")`, `postal("\"receive\"")`.
    pub fn postal(mut self, raw: &str) -> Self {
        self.postal = raw.into();
        self
    }
    /// Adds front matter lines (each ending in a newline is not required).
    pub fn extra(mut self, lines: &str) -> Self {
        self.extra.push_str(lines);
        if !self.extra.ends_with('\n') {
            self.extra.push('\n');
        }
        self
    }
    pub fn body(mut self, v: &str) -> Self {
        self.body = v.into();
        self
    }
    /// The file's text. Required fields are on lines 2 to 7, in the order
    /// title, code, field, agency, service_level, postal.
    pub fn md(&self) -> String {
        format!(
            "+++\ntitle = {}\ncode = {}\nfield = {}\nagency = {}\nservice_level = {}\npostal = {}\n{}+++\n{}",
            toml_str(&self.title),
            toml_str(&self.code),
            toml_str(&self.field),
            toml_str(&self.agency),
            self.level,
            self.postal,
            self.extra,
            self.body
        )
    }
}

/// A notice file.
pub fn notice(title: &str, date: &str, codes: &[&str]) -> String {
    let list: Vec<String> = codes.iter().map(|c| toml_str(c)).collect();
    format!(
        "+++\ntitle = {}\ndate = {date}\nsummary = \"Tóm tắt tin\"\nprocedures = [{}]\n+++\nNội dung tin.\n",
        toml_str(title),
        list.join(", ")
    )
}

/// A TOML basic string literal.
pub fn toml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Writes `files` (path relative to `root`, text) under `root`.
pub fn write_files(root: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        write_bytes(root, path, text.as_bytes());
    }
}

/// Writes one file, creating its folders.
pub fn write_bytes(root: &Path, path: &str, bytes: &[u8]) {
    let full = root.join(path);
    fs::create_dir_all(full.parent().unwrap()).unwrap();
    fs::write(full, bytes).unwrap();
}

/// A new temporary folder holding a site made of `files`.
pub fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), files);
    dir
}

/// What a command did.
#[derive(Debug)]
pub struct Run {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Panics with the whole output unless the status is `code`.
    #[track_caller]
    pub fn expect(&self, code: i32) -> &Self {
        assert_eq!(
            self.status, code,
            "expected exit status {code}\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        assert!(!self.stderr.contains("panicked"), "the tool panicked:\n{}", self.stderr);
        self
    }
}

/// The binary under test.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_niemyet"))
}

/// Runs `niemyet ARGS` with `cwd` as the working directory.
pub fn run_in(cwd: &Path, args: &[&str]) -> Run {
    run_command(Command::new(bin()).args(args).current_dir(cwd))
}

/// Runs a command (the binary, or a command that runs it) and keeps what it said.
pub fn run_command(command: &mut Command) -> Run {
    let out = command.env("RUST_BACKTRACE", "0").output().expect("the niemyet binary runs");
    Run {
        status: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs `niemyet COMMAND --root ROOT --lang en EXTRA...` inside `root`:
/// messages in English, which the tests quote (tests/messages.rs checks the
/// Vietnamese ones).
pub fn run(root: &Path, command: &str, extra: &[&str]) -> Run {
    let root_s = root.to_str().unwrap();
    let mut args = vec![command, "--root", root_s, "--lang", "en"];
    args.extend_from_slice(extra);
    run_in(root, &args)
}

/// `niemyet build --root ROOT` (into ROOT/public).
pub fn build(root: &Path) -> Run {
    run(root, "build", &[])
}

/// `niemyet build --root ROOT --output OUT`.
pub fn build_to(root: &Path, out: &Path) -> Run {
    run(root, "build", &["--output", out.to_str().unwrap()])
}

/// `niemyet check --root ROOT`.
pub fn check(root: &Path) -> Run {
    run(root, "check", &[])
}

/// Builds into ROOT/public, insists on success, and returns the tree.
#[track_caller]
pub fn build_ok(root: &Path) -> Tree {
    build(root).expect(0);
    read_tree(&root.join("public"))
}

/// A whole folder: relative path (with `/`) → bytes. Folders appear as
/// `path/` with no bytes, so an empty folder is seen too.
pub type Tree = BTreeMap<String, Vec<u8>>;

/// Reads every file and folder under `dir`; an absent folder gives an empty tree.
pub fn read_tree(dir: &Path) -> Tree {
    let mut tree = Tree::new();
    if dir.is_dir() {
        walk(dir, "", &mut tree);
    }
    tree
}

fn walk(dir: &Path, prefix: &str, tree: &mut Tree) {
    for entry in fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = format!("{prefix}{name}");
        let kind = entry.file_type().unwrap();
        if kind.is_dir() {
            tree.insert(format!("{rel}/"), Vec::new());
            walk(&entry.path(), &format!("{rel}/"), tree);
        } else {
            tree.insert(rel, fs::read(entry.path()).unwrap());
        }
    }
}

/// The text of `path` in `tree`, or a panic naming what is there.
#[track_caller]
pub fn page(tree: &Tree, path: &str) -> String {
    match tree.get(path) {
        Some(bytes) => String::from_utf8(bytes.clone()).expect("output is UTF-8"),
        None => panic!(
            "{path} is not in the output; it holds {} files such as {:?}",
            tree.len(),
            tree.keys().filter(|k| !k.ends_with('/')).take(40).collect::<Vec<_>>()
        ),
    }
}

/// Every `href="..."` value of an HTML text, unescaped for `&amp;`.
pub fn hrefs(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("href=\"") {
        rest = &rest[i + 6..];
        let end = rest.find('"').unwrap_or(rest.len());
        out.push(rest[..end].replace("&amp;", "&"));
        rest = &rest[end..];
    }
    out
}

/// The slugs of the procedure pages an HTML page links to: hrefs ending in
/// `thu-tuc/<slug>/`.
pub fn procedure_links(html: &str) -> BTreeSet<String> {
    hrefs(html)
        .iter()
        .filter_map(|h| {
            let h = h.strip_suffix('/')?;
            let (before, slug) = h.rsplit_once('/')?;
            let is_dir = before == "thu-tuc" || before.ends_with("/thu-tuc");
            (is_dir && !slug.is_empty() && !slug.contains(['#', '?'])).then(|| slug.to_string())
        })
        .collect()
}

/// The directory names directly under `dir/` in a tree (`linh-vuc` → its slugs).
pub fn subfolders(tree: &Tree, dir: &str) -> BTreeSet<String> {
    let prefix = format!("{dir}/");
    tree.keys()
        .filter_map(|k| {
            let rest = k.strip_prefix(&prefix)?;
            let name = rest.strip_suffix('/')?;
            (!name.is_empty() && !name.contains('/')).then(|| name.to_string())
        })
        .collect()
}

/// The repository's own site folder (the demo).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Parses `du-lieu/thu-tuc.json` of a built tree.
pub fn open_data(tree: &Tree) -> Vec<serde_json::Value> {
    serde_json::from_slice(&tree["du-lieu/thu-tuc.json"]).expect("thu-tuc.json is JSON")
}

/// Occurrences of `needle` in `haystack`.
pub fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

/// Decomposes the Vietnamese letters the tests use into NFD by hand (base
/// letter + combining marks), so the tests do not depend on a normalisation
/// library. Letters it does not know are kept as they are.
pub fn nfd(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            'ă' => out.push_str("a\u{0306}"),
            'ý' => out.push_str("y\u{0301}"),
            'ố' => out.push_str("o\u{0302}\u{0301}"),
            'ợ' => out.push_str("o\u{031B}\u{0323}"),
            'ệ' => out.push_str("e\u{0302}\u{0323}"),
            'ờ' => out.push_str("o\u{031B}\u{0300}"),
            'ả' => out.push_str("a\u{0309}"),
            'ấ' => out.push_str("a\u{0302}\u{0301}"),
            'ư' => out.push_str("u\u{031B}"),
            'ơ' => out.push_str("o\u{031B}"),
            'ô' => out.push_str("o\u{0302}"),
            'à' => out.push_str("a\u{0300}"),
            'ạ' => out.push_str("a\u{0323}"),
            'ủ' => out.push_str("u\u{0309}"),
            'ụ' => out.push_str("u\u{0323}"),
            'ê' => out.push_str("e\u{0302}"),
            'â' => out.push_str("a\u{0302}"),
            'ậ' => out.push_str("a\u{0302}\u{0323}"),
            'ị' => out.push_str("i\u{0323}"),
            'í' => out.push_str("i\u{0301}"),
            'ó' => out.push_str("o\u{0301}"),
            c => out.push(c),
        }
    }
    out
}

/// An interface string of the repository's built-in theme
/// (`themes/default/i18n/<lang>.toml`), so tests follow wording changes.
#[track_caller]
pub fn t(lang: &str, key: &str) -> String {
    let path = repo_root().join(format!("themes/default/i18n/{lang}.toml"));
    let text = fs::read_to_string(&path).unwrap();
    for line in text.lines() {
        let Some((k, v)) = line.split_once('=') else { continue };
        if k.trim() != key {
            continue;
        }
        let v = v.trim();
        let inner = v.strip_prefix('"').and_then(|v| v.strip_suffix('"')).unwrap_or(v);
        return inner.replace("\\\"", "\"").replace("\\\\", "\\");
    }
    panic!("the built-in theme has no string {key} in {}", path.display());
}

/// [`t`], escaped as it appears in HTML.
#[track_caller]
pub fn t_html(lang: &str, key: &str) -> String {
    html_escape(&t(lang, key))
}

/// Escapes text the way HTML pages show it.
pub fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

/// The output file a relative link on the page at output file `from` leads
/// to: `resolve("thu-tuc/a/index.html", "../../muc-do/4/")` is
/// `muc-do/4/index.html`. Panics if the link climbs above the site root.
#[track_caller]
pub fn resolve(from: &str, href: &str) -> String {
    let href = href.split(['#', '?']).next().unwrap();
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in href.split('/') {
        match seg {
            "" | "." => {}
            ".." => assert!(parts.pop().is_some(), "{from}: {href} climbs above the root"),
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    if joined.is_empty() {
        "index.html".into()
    } else if href.ends_with('/') || href.is_empty() {
        format!("{joined}/index.html")
    } else {
        joined
    }
}

/// The output files of every page of the listing at output folder `dir`
/// (`"muc-do/4/"`), in order: its `index.html`, then each page its
/// `rel="next"` link leads to.
#[track_caller]
pub fn listing_pages(tree: &Tree, dir: &str) -> Vec<String> {
    let mut pages = vec![format!("{dir}index.html")];
    loop {
        let html = page(tree, pages.last().unwrap());
        let Some(at) = html.find("<a rel=\"next\" href=\"") else { return pages };
        let href = &html[at + 20..];
        let next = resolve(pages.last().unwrap(), &href[..href.find('"').unwrap()]);
        assert!(!pages.contains(&next), "the pages of {dir} lead back to {next}");
        pages.push(next);
    }
}

/// The slugs of the procedures that every page of the listing at `dir` links to.
#[track_caller]
pub fn listing_links(tree: &Tree, dir: &str) -> BTreeSet<String> {
    listing_pages(tree, dir).iter().flat_map(|p| procedure_links(&page(tree, p))).collect()
}
