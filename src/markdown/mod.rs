//! Markdown to safe HTML: tables and strikethrough, headings with stable ids
//! made from folded Vietnamese text, external links marked, site paths made
//! relative, and pasted raw HTML sanitised. [`scan()`] reads what loading
//! needs of a body before it is rendered.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use pulldown_cmark::{Alignment, CowStr, Event, Options, Parser, Tag, TagEnd};

use crate::text;

mod scan;
pub use scan::{scan, MAX_NESTING};

/// One heading of a rendered body, for a table of contents.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The anchor id, such as "thanh-phan-ho-so".
    pub id: String,
    /// The heading's plain text.
    pub text: String,
}

/// A rendered Markdown body.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// Sanitised HTML.
    pub html: String,
    /// Its headings, in order.
    pub headings: Vec<Heading>,
}

/// How links in a body are to be written.
pub struct LinkContext<'a> {
    /// The relative way from the page to the site root, such as "../../".
    pub root: &'a str,
    /// The site's own host, such as "example.gov.vn": links elsewhere are external.
    pub host: &'a str,
    /// Words read out by screen readers after an external link, such as "(trang ngoài)".
    pub external_label: &'a str,
    /// The name of a table's scrollable box when no heading comes before the table, such
    /// as "Bảng" (otherwise the box is named by the heading above it).
    pub table_label: &'a str,
}

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .add_tag_attributes("h1", ["id"])
        .add_tag_attributes("h2", ["id"])
        .add_tag_attributes("h3", ["id"])
        .add_tag_attributes("h4", ["id"])
        .add_tag_attributes("h5", ["id"])
        .add_tag_attributes("h6", ["id"])
        .add_tag_attributes("th", ["style", "scope"])
        .add_tag_attributes("td", ["style"])
        .filter_style_properties(HashSet::from(["text-align"]))
        .add_allowed_classes("a", ["external"])
        .add_allowed_classes("span", ["visually-hidden"])
        .add_allowed_classes("div", ["table-wrap"])
        .add_tag_attributes("div", ["role", "tabindex", "aria-label", "aria-labelledby"])
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            // Only what a table's scrollable box needs: role="region" tabindex="0".
            ("div", "role") if value != "region" => None,
            ("div", "tabindex") if value != "0" => None,
            _ => Some(value.into()),
        })
        .url_schemes(HashSet::from(["http", "https", "mailto", "tel"]));
    builder
});

/// Renders a Markdown body to sanitised HTML.
///
/// Links and images keep only web, mail and phone addresses. Raw HTML in the
/// body is cleaned by ammonia; a body without raw HTML needs no cleaning,
/// since pulldown-cmark escapes all text itself.
pub fn render(markdown: &str, links: &LinkContext<'_>) -> Rendered {
    // A body makes about one event for every 20 bytes of it.
    let mut events: Vec<Event<'_>> = Vec::with_capacity(markdown.len() / 16);
    let mut headings = Vec::new();
    let mut ids = Ids::default();
    let mut heading: Option<(u8, usize)> = None;
    let mut external_links = Vec::new();
    let mut has_raw_html = false;
    let mut column_alignments = Vec::new();
    let mut head_column: Option<usize> = None;
    let mut last_heading_id: Option<String> = None;
    for event in parser(markdown) {
        match event {
            Event::Html(_) | Event::InlineHtml(_) => {
                has_raw_html = true;
                events.push(event);
            }
            Event::Start(Tag::Link { dest_url, .. }) if !is_safe_url(&dest_url) => {
                external_links.push(None);
            }
            Event::Start(Tag::Image { dest_url, .. }) if !is_safe_url(&dest_url) => {
                events.push(Event::Start(Tag::Image {
                    link_type: pulldown_cmark::LinkType::Inline,
                    dest_url: "".into(),
                    title: "".into(),
                    id: "".into(),
                }));
            }
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some((level as u8, events.len()));
                events.push(Event::Text(CowStr::Borrowed("")));
            }
            Event::End(TagEnd::Heading(_)) => {
                let (level, start) = heading.take().expect("a heading ends after it starts");
                let words: String = events[start..]
                    .iter()
                    .filter_map(|e| match e {
                        Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                        _ => None,
                    })
                    .collect();
                let id = unique_id(&words, &mut ids);
                let (open, close) = HEADING_TAGS[usize::from(level) - 1];
                events[start] = Event::Html([open, id.as_str(), "\">"].concat().into());
                events.push(Event::Html(close.into()));
                last_heading_id = Some(id.clone());
                headings.push(Heading { level, id, text: words.trim().to_string() });
            }
            Event::Start(Tag::Link { dest_url, title, link_type, id }) => {
                let external = is_external(&dest_url, links.host);
                external_links.push(Some(external));
                let dest_url = match dest_url.strip_prefix('/') {
                    Some(path) if !path.starts_with('/') => format!("{}{path}", links.root).into(),
                    _ => dest_url,
                };
                if external {
                    let href = html_escape(&dest_url);
                    events.push(Event::Html(format!("<a href=\"{href}\" class=\"external\">").into()));
                } else {
                    events.push(Event::Start(Tag::Link { dest_url, title, link_type, id }));
                }
            }
            Event::End(TagEnd::Link) => match external_links.pop().flatten() {
                Some(true) => {
                    let label = html_escape(links.external_label);
                    events.push(Event::Html(format!("<span class=\"visually-hidden\"> {label}</span></a>").into()));
                }
                Some(false) => events.push(Event::End(TagEnd::Link)),
                None => {}
            },
            Event::Start(Tag::Table(alignments)) => {
                // A wide table scrolls inside its box on a narrow screen: keyboard users
                // reach the box with Tab, and screen readers name it by the heading above.
                let name = match &last_heading_id {
                    Some(id) => format!("aria-labelledby=\"{id}\""),
                    None => format!("aria-label=\"{}\"", html_escape(links.table_label)),
                };
                events.push(Event::Html(
                    format!("<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" {name}>").into(),
                ));
                column_alignments.clone_from(&alignments);
                events.push(Event::Start(Tag::Table(alignments)));
            }
            Event::Start(Tag::TableHead) => {
                head_column = Some(0);
                events.push(Event::Start(Tag::TableHead));
            }
            Event::End(TagEnd::TableHead) => {
                head_column = None;
                events.push(Event::End(TagEnd::TableHead));
            }
            Event::Start(Tag::TableCell) if head_column.is_some() => {
                let column = head_column.unwrap_or(0);
                let align = match column_alignments.get(column) {
                    Some(Alignment::Left) => " style=\"text-align: left\"",
                    Some(Alignment::Center) => " style=\"text-align: center\"",
                    Some(Alignment::Right) => " style=\"text-align: right\"",
                    _ => "",
                };
                head_column = Some(column + 1);
                events.push(Event::Html(format!("<th scope=\"col\"{align}>").into()));
            }
            Event::End(TagEnd::TableCell) if head_column.is_some() => events.push(Event::Html("</th>".into())),
            Event::End(TagEnd::Table) => {
                events.push(Event::End(TagEnd::Table));
                events.push(Event::Html("</div>\n".into()));
            }
            other => events.push(other),
        }
    }
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut raw, events.into_iter());
    let html = if has_raw_html { SANITIZER.clean(&raw).to_string() } else { raw };
    Rendered { html, headings }
}

/// The words of a Markdown body as readers see them: its text, without markup,
/// raw HTML (writers' `<!-- -->` notes among it) or link addresses.
pub fn plain_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for event in parser(markdown) {
        if let Event::Text(text) | Event::Code(text) = event {
            out.push_str(&text);
            out.push(' ');
        }
    }
    out
}

/// The parser of the Markdown the site reads (tables and strikethrough on),
/// one for rendering a body, reading its links and depth, and its plain text.
fn parser(markdown: &str) -> Parser<'_> {
    Parser::new_ext(markdown, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH)
}

/// Whether a link address is safe to publish: relative, or a web, mail or phone address.
fn is_safe_url(url: &str) -> bool {
    let url = url.trim_start();
    let scheme_end = url.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')));
    match scheme_end {
        Some(end) if end > 0 && url[end..].starts_with(':') => {
            matches!(url[..end].to_ascii_lowercase().as_str(), "http" | "https" | "mailto" | "tel")
        }
        _ => true,
    }
}

/// The heading ids given so far in one body, and for each id made from a
/// heading's words the next number to try after it, so that a thousand
/// headings of the same words cost a thousand tries, not half a million.
#[derive(Default)]
struct Ids {
    given: HashSet<String>,
    next: HashMap<String, usize>,
}

fn unique_id(words: &str, ids: &mut Ids) -> String {
    let base = match text::slug(words) {
        s if s.is_empty() => "muc".to_string(),
        s => s.chars().take(60).collect::<String>().trim_end_matches('-').to_string(),
    };
    if ids.given.insert(base.clone()) {
        return base;
    }
    let mut n = ids.next.get(&base).copied().unwrap_or(2);
    let mut id = format!("{base}-{n}");
    while !ids.given.insert(id.clone()) {
        n += 1;
        id = format!("{base}-{n}");
    }
    ids.next.insert(base, n + 1);
    id
}

fn is_external(url: &str, host: &str) -> bool {
    let Some(rest) = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://")) else {
        return false;
    };
    let link_host = rest.split(['/', '?', '#']).next().unwrap_or("");
    !link_host.eq_ignore_ascii_case(host)
}

/// The start of each heading level's opening tag, up to its id, and its closing tag.
const HEADING_TAGS: [(&str, &str); 6] = [
    ("<h1 id=\"", "</h1>\n"),
    ("<h2 id=\"", "</h2>\n"),
    ("<h3 id=\"", "</h3>\n"),
    ("<h4 id=\"", "</h4>\n"),
    ("<h5 id=\"", "</h5>\n"),
    ("<h6 id=\"", "</h6>\n"),
];

/// Escapes text for an HTML attribute or element.
pub fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    write_escaped(&mut out, text).expect("a String takes any text");
    out
}

/// Writes `text` to `out` escaped for an HTML attribute or element, as
/// [`html_escape`] does, without making a string of it first.
pub fn write_escaped<W: std::fmt::Write + ?Sized>(out: &mut W, text: &str) -> std::fmt::Result {
    let bytes = text.as_bytes();
    let mut start = 0;
    while let Some(at) = next_to_escape(&bytes[start..]).map(|i| start + i) {
        let entity = match bytes[at] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        };
        out.write_str(&text[start..at])?;
        out.write_str(entity)?;
        start = at + 1;
    }
    out.write_str(&text[start..])
}

/// Where the first byte that [`write_escaped`] escapes is in `bytes`. Most
/// text a template writes is a few bytes long (a link's `../`, a label),
/// which a plain loop reads faster than vector search starts up; longer text
/// is found by vector search, a page's text being mostly bytes that need none.
fn next_to_escape(bytes: &[u8]) -> Option<usize> {
    if bytes.len() < 32 {
        return bytes.iter().position(|b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\''));
    }
    let markup = memchr::memchr3(b'&', b'<', b'>', bytes);
    let quote = memchr::memchr2(b'"', b'\'', &bytes[..markup.unwrap_or(bytes.len())]);
    quote.or(markup)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINKS: LinkContext<'static> =
        LinkContext { root: "../../", host: "example.gov.vn", external_label: "(ngoài)", table_label: "Bảng" };

    #[test]
    fn escaping_replaces_the_five_characters_wherever_they_are() {
        let one_by_one = |text: &str| {
            let replaced = text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
            replaced.replace('"', "&quot;").replace('\'', "&#39;")
        };
        for text in ["", "Đăng ký khai sinh", "<b>\"Hộ\" & 'tịch'</b>", "&", "'x'", "a>b<c", "\"\"''&&<<>>", "x\"y<"]
        {
            assert_eq!(html_escape(text), one_by_one(text), "{text}");
        }
        for special in ["&", "<", ">", "\"", "'"] {
            for len in [31, 32, 33, 70] {
                for at in 0..len {
                    let text = format!("{}{special}{}", "a".repeat(at), "b".repeat(len - at - 1));
                    assert_eq!(html_escape(&text), one_by_one(&text), "{text}");
                }
            }
        }
    }

    #[test]
    fn many_headings_of_the_same_words_get_numbered_ids_in_turn() {
        let body = "## Mục\n\n## Mục\n\n## Mục 2\n\n## Mục\n\n".repeat(2);
        let ids: Vec<String> = render(&body, &LINKS).headings.into_iter().map(|h| h.id).collect();
        assert_eq!(ids, ["muc", "muc-2", "muc-2-2", "muc-3", "muc-4", "muc-5", "muc-2-3", "muc-6"]);
    }

    #[test]
    fn headings_get_folded_unique_ids() {
        let out = render("## Thành phần hồ sơ\n\n## Thành phần hồ sơ\n", &LINKS);
        assert!(out.html.contains("<h2 id=\"thanh-phan-ho-so\">Thành phần hồ sơ</h2>"), "{}", out.html);
        assert!(out.html.contains("id=\"thanh-phan-ho-so-2\""));
        assert_eq!(out.headings.len(), 2);
    }

    #[test]
    fn pasted_html_is_sanitised() {
        let out = render("<script>alert(1)</script><a href=\"javascript:alert(1)\" onclick=\"x()\">a</a>", &LINKS);
        assert!(!out.html.contains("script"), "{}", out.html);
        assert!(!out.html.contains("javascript"));
        assert!(!out.html.contains("onclick"));
    }

    #[test]
    fn markdown_links_keep_only_safe_schemes() {
        let out = render(
            "[a](javascript:alert(1)) [b](JavaScript:x) ![c](data:image/png;base64,x) [d](mailto:a@b.vn)",
            &LINKS,
        );
        assert!(!out.html.to_lowercase().contains("javascript"), "{}", out.html);
        assert!(!out.html.contains("data:"), "{}", out.html);
        assert!(out.html.contains("href=\"mailto:a@b.vn\""));
        assert!(out.html.contains(">a<") || out.html.contains("a "), "{}", out.html);
    }

    #[test]
    fn links_are_marked_or_made_relative() {
        let out = render("[a](https://other.vn/x) [b](/thu-tuc/x/) [c](https://example.gov.vn/y)", &LINKS);
        assert!(out.html.contains("<a href=\"https://other.vn/x\" class=\"external\""), "{}", out.html);
        assert!(out.html.contains("href=\"../../thu-tuc/x/\""));
        assert!(!out.html.contains("href=\"https://example.gov.vn/y\" class"));
    }

    #[test]
    fn tables_are_wrapped_and_keep_alignment() {
        let out = render("| a | b |\n|:-|-:|\n| 1 | 2 |\n", &LINKS);
        assert!(
            out.html.contains("<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"Bảng\"><table>"),
            "{}",
            out.html
        );
        assert!(out.html.contains("<th scope=\"col\" style=\"text-align: left\">a</th>"), "{}", out.html);
        assert!(out.html.contains("<td style=\"text-align: right\">2</td>"), "{}", out.html);
        let sanitised = render("<b>x</b>\n\n| a |\n|-|\n| 1 |\n", &LINKS);
        assert!(sanitised.html.contains("<th scope=\"col\">a</th>"), "{}", sanitised.html);
        assert!(sanitised.html.contains("role=\"region\" tabindex=\"0\" aria-label=\"Bảng\""), "{}", sanitised.html);
    }

    #[test]
    fn a_table_box_is_named_by_the_heading_above() {
        let out = render("## Phí, lệ phí\n\n| a |\n|-|\n| 1 |\n", &LINKS);
        assert!(
            out.html
                .contains("<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-labelledby=\"phi-le-phi\">"),
            "{}",
            out.html
        );
        // Pasted HTML may not make other boxes focusable or give them other roles.
        let pasted = render("<div role=\"button\" tabindex=\"5\">x</div>", &LINKS);
        assert!(!pasted.html.contains("role"), "{}", pasted.html);
        assert!(!pasted.html.contains("tabindex"), "{}", pasted.html);
    }
}
