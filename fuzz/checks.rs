//! The properties the fuzz targets check, one function per target. Shared
//! with `tests/fuzz_corpus.rs`, which runs them over the saved inputs in
//! `fuzz/regressions/` as plain tests.

use std::sync::LazyLock;

use niemyet::config::Config;
use niemyet::content::{front_matter, procedure};
use niemyet::markdown::{self, LinkContext};
use niemyet::serve::file_of_request;
use niemyet::text;

/// Any bytes as a procedure file's front matter: reading as UTF-8, splitting
/// at `+++` and parsing the TOML end in a value or diagnostics, never a
/// panic, and every diagnostic points inside the file.
pub fn front_matter(bytes: &[u8]) {
    let Ok(source) = front_matter::read_source("x.md".to_string(), bytes) else {
        return;
    };
    let lines = source.text.split('\n').count();
    let check = |errors: Vec<niemyet::diagnostics::Diagnostic>| {
        for error in errors {
            assert!(error.line >= 1 && error.line <= lines, "line {} of {lines}", error.line);
        }
    };
    match front_matter::split(&source, true) {
        Ok(split) => {
            if let Err(errors) = front_matter::parse(&source, split.front.unwrap_or(""), split.front_offset) {
                check(errors);
            }
        }
        Err(errors) => check(errors),
    }
}

static CONFIG: LazyLock<Config> = LazyLock::new(|| {
    Config::parse(
        br#"title = "Fuzz"
base_url = "https://example.gov.vn"
language = "vi"
description = "Fuzz"
[organization]
name = "Chi cuc"
[[service_levels]]
id = "4"
name = "Muc do 4"
description = "Truc tuyen"
"#,
    )
    .expect("the fuzz site.toml is valid")
});

const LINKS: LinkContext<'static> =
    LinkContext { root: "../../", host: "example.gov.vn", external_label: "(ngoai)", table_label: "Bang" };

/// Any bytes as a whole procedure file: parsed, and its body rendered to
/// HTML and sanitised. Never a panic, and no tag or attribute that runs a
/// script, frames or loads comes out of the sanitiser.
pub fn procedure(bytes: &[u8]) {
    let body = match procedure::parse("content/procedures/x.md".to_string(), bytes, &CONFIG) {
        Ok(procedure) => procedure.markdown().expect("a body just parsed is in memory").into_owned(),
        // A file that does not parse still has its text rendered, so that
        // the Markdown and the sanitiser see every input.
        Err(_) => String::from_utf8_lossy(bytes).into_owned(),
    };
    if markdown::scan(&body).is_err() {
        return;
    }
    let rendered = markdown::render(&body, &LINKS);
    // Text is escaped, so every `<` left in the HTML opens a tag.
    for tag in rendered.html.to_ascii_lowercase().split('<').skip(1) {
        let tag = tag.split('>').next().unwrap_or("");
        let name = tag.trim_start_matches('/').split([' ', '/', '\t', '\n']).next().unwrap_or("");
        assert!(
            !["script", "iframe", "object", "embed", "meta", "style", "link", "base", "form", "svg", "math"]
                .contains(&name),
            "<{tag}> in {}",
            rendered.html
        );
        for (attribute, value) in attributes(tag) {
            assert!(
                !attribute.starts_with("on") && (attribute != "style" || name == "th" || name == "td"),
                "{attribute} in <{tag}>"
            );
            let value = value.trim_start();
            for scheme in ["javascript:", "vbscript:", "data:"] {
                assert!(!value.starts_with(scheme), "{scheme} in <{tag}>");
            }
        }
    }
    markdown::plain_text(&body);
}
/// The attributes of a tag's text (`a href="x" class=y`), as (name, value),
/// values without their quotes.
fn attributes(tag: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = tag.split_once(char::is_whitespace).map_or("", |(_, r)| r);
    loop {
        rest = rest.trim_start();
        let name_end = rest.find(|c: char| c == '=' || c.is_whitespace()).unwrap_or(rest.len());
        if name_end == 0 {
            break;
        }
        let name = rest[..name_end].to_string();
        rest = &rest[name_end..];
        let value = match rest.strip_prefix('=') {
            Some(after) => {
                let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'');
                match quote {
                    Some(q) => {
                        let inner = &after[1..];
                        let end = inner.find(q).unwrap_or(inner.len());
                        rest = inner.get(end + 1..).unwrap_or("");
                        inner[..end].to_string()
                    }
                    None => {
                        let end = after.find(char::is_whitespace).unwrap_or(after.len());
                        rest = &after[end..];
                        after[..end].to_string()
                    }
                }
            }
            None => String::new(),
        };
        out.push((name, value));
    }
    out
}

/// Any text through slugs and folding: a slug is never a way out of its
/// folder (only `a-z`, `0-9` and single inner hyphens), and folding is
/// idempotent.
pub fn slugs(input: &str) {
    for slug in [text::slug(input), text::short_slug(input)] {
        assert!(slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'), "{slug:?}");
        assert!(!slug.starts_with('-') && !slug.ends_with('-') && !slug.contains("--"), "{slug:?}");
    }
    let folded = text::fold(input);
    assert_eq!(text::fold(&folded), folded);
    text::words(input);
    text::sort_key(input);
    text::code_token(input);
}

/// Any bytes as site.toml: settings or content errors, never a panic; a
/// base URL that is accepted is a web address.
pub fn site_toml(bytes: &[u8]) {
    if let Ok(config) = Config::parse(bytes) {
        assert!(config.base_url.starts_with("http://") || config.base_url.starts_with("https://"));
        config.absolute_url("/thu-tuc/x/");
    }
}

/// Any request path to the preview server: the file it names stays inside
/// the site (relative, no `..` or `.` segment, no backslash or NUL).
pub fn request_path(path: &str) {
    if let Some(rel) = file_of_request(path) {
        assert!(!rel.starts_with('/'), "{rel:?}");
        assert!(!rel.contains(['\\', '\0']), "{rel:?}");
        for segment in rel.split('/') {
            assert!(segment != ".." && segment != ".", "{rel:?} from {path:?}");
        }
        assert!(!std::path::Path::new(&rel).is_absolute(), "{rel:?}");
    }
}
