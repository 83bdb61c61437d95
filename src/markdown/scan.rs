//! What loading needs of a body before it is rendered: the links into the
//! site it holds, and whether it nests too deep to render.

use pulldown_cmark::{Event, Tag};

use super::parser;

/// How deep a body's elements may nest: Markdown blocks and inline markup
/// and raw HTML tags together. Real procedures nest a dozen levels; the HTML
/// sanitiser's work grows with the square of the depth, so past this a body
/// is refused instead of taking minutes.
pub const MAX_NESTING: usize = 200;

/// What loading needs of a body, read in one pass: the links and images that
/// point into the site from its root (`/thu-tuc/x/`), each with the byte offset
/// where it is written; or, as the error, the byte offset where its nesting
/// first goes deeper than [`MAX_NESTING`], counting Markdown elements and the
/// raw HTML tags left open (tags whose end HTML leaves optional, such as `<p>`
/// and `<li>`, and tags that close themselves are not counted).
pub fn scan(markdown: &str) -> Result<Vec<(usize, String)>, usize> {
    if nesting_bound(markdown).is_some_and(|bound| bound <= MAX_NESTING) {
        return Ok(Vec::new());
    }
    let mut site_links = Vec::new();
    let mut markdown_depth = 0usize;
    let mut html_depth = 0usize;
    for (event, range) in parser(markdown).into_offset_iter() {
        match event {
            Event::Start(tag) => {
                markdown_depth += 1;
                if let Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } = tag {
                    if dest_url.starts_with('/') && !dest_url.starts_with("//") {
                        site_links.push((range.start, dest_url.to_string()));
                    }
                }
            }
            Event::End(_) => markdown_depth = markdown_depth.saturating_sub(1),
            Event::Html(html) | Event::InlineHtml(html) => html_depth = open_tags_after(html_depth, &html),
            _ => {}
        }
        if markdown_depth + html_depth > MAX_NESTING {
            return Err(range.start);
        }
    }
    Ok(site_links)
}

/// For a body without `[` or `<`, so without links, images or raw HTML (as
/// procedures nearly always are), how deep its elements can nest at most,
/// counted from its bytes without parsing it: each element needs a byte of
/// its own that opens it, but for the one block that holds text (three
/// levels for a table's row and cell). A list and its item need a marker
/// (`-`, `+`, `*`, a digit and `.` or `)`), a quote a `>`, emphasis and
/// strikethrough a `*`, `_` or `~`. `None` for a body with `[` or `<`.
fn nesting_bound(markdown: &str) -> Option<usize> {
    let bytes = markdown.as_bytes();
    if memchr::memchr2(b'[', b'<', bytes).is_some() {
        return None;
    }
    let markers = memchr::memchr3_iter(b'-', b'+', b'*', bytes).count() + memchr::memchr_iter(b'>', bytes).count();
    let numbers =
        memchr::memchr2_iter(b'.', b')', bytes).filter(|&at| at > 0 && bytes[at - 1].is_ascii_digit()).count();
    let emphasis = memchr::memchr2_iter(b'_', b'~', bytes).count();
    Some(3 + 2 * (markers + numbers) + emphasis)
}

/// How many raw HTML tags are open after `html`, when `depth` were open
/// before it. Reads each `<` once, and each tag only up to the next `<`.
fn open_tags_after(mut depth: usize, html: &str) -> usize {
    const NOT_NESTING: [&str; 28] = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "param",
        "keygen", "p", "li", "dt", "dd", "tr", "td", "th", "tbody", "thead", "tfoot", "option", "optgroup", "colgroup",
    ];
    for tag in html.split('<').skip(1) {
        let (closing, rest) = match tag.strip_prefix('/') {
            Some(rest) => (true, rest),
            None => (false, tag),
        };
        let name_end = rest.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(rest.len());
        let name = &rest[..name_end];
        if !name.starts_with(|c: char| c.is_ascii_alphabetic())
            || NOT_NESTING.iter().any(|void| void.eq_ignore_ascii_case(name))
        {
            continue;
        }
        let self_closing = rest.split_once('>').is_some_and(|(inside, _)| inside.ends_with('/'));
        if closing {
            depth = depth.saturating_sub(1);
        } else if !self_closing {
            depth += 1;
        }
    }
    depth
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_is_counted_across_markdown_and_raw_html() {
        let too_deep = |markdown: &str| scan(markdown).err();
        assert_eq!(too_deep(&"<div>".repeat(MAX_NESTING - 1)), None, "the HTML block itself is one level");
        assert_eq!(too_deep(&"<div>".repeat(MAX_NESTING + 1)), Some(0));
        let closed = "<div><span>x</span></div>\n".repeat(1000);
        assert_eq!(too_deep(&closed), None);
        let lists_and_paragraphs = "<ul><li><p>x<br><img src=x><svg><path d=1/></svg>\n".repeat(300);
        assert!(too_deep(&lists_and_paragraphs).is_some(), "every <ul> stays open");
        assert_eq!(too_deep(&"<p>x<br><li>y<img src=x/>\n".repeat(1000)), None);
        let quotes = format!("text\n\n{}", ">".repeat(MAX_NESTING + 5));
        assert!(too_deep(&quotes).is_some_and(|at| at > 6));
        assert_eq!(too_deep(&"<a<b<c".repeat(100_000)), None, "not HTML: written out as text");
    }

    /// How deep the elements of `markdown` nest, as its parser finds them.
    fn depth(markdown: &str) -> usize {
        let (mut depth, mut deepest) = (0usize, 0);
        for event in parser(markdown) {
            match event {
                Event::Start(_) => depth += 1,
                Event::End(_) => depth -= 1,
                _ => {}
            }
            deepest = deepest.max(depth);
        }
        deepest
    }

    #[test]
    fn no_body_nests_deeper_than_its_bound() {
        let deep = [
            "> ".repeat(150) + "a",
            "- ".repeat(100) + "a",
            "1. ".repeat(70) + "a",
            "* ".repeat(70) + "*a*",
            "+ ".repeat(90) + "~~a~~",
            (0..60).map(|i| format!("{}- a\n", "  ".repeat(i))).collect(),
            (0..40).map(|i| format!("{}1) a\n", "   ".repeat(i))).collect(),
            "*a _b **c ~d ___e".repeat(30),
            "> - > 1. | a | b |\n> - > 1. |---|---|\n> - > 1. | *x* | ~~y~~ |\n".to_string(),
            "# a\n\n    code\n\n```\n> - x\n```\n\na\n---\n".to_string(),
        ];
        let pieces = [
            "- ", "* ", "+ ", "1. ", "2) ", "> ", "\n", "  ", "    ", "a", "*", "_", "~", "**", "|", "---", "#", "`",
            "\t", "b ",
        ];
        let mut seed = 1u32;
        let random = (0..3000).map(|_| {
            (0..seed % 200 + 1)
                .map(|_| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    pieces[(seed >> 16) as usize % pieces.len()]
                })
                .collect::<String>()
        });
        for markdown in deep.into_iter().chain(random) {
            let bound = nesting_bound(&markdown).expect("no [ or <");
            assert!(depth(&markdown) <= bound, "{markdown:?}: {} > {bound}", depth(&markdown));
        }
        assert_eq!(nesting_bound("a [link](/x/)"), None);
        assert_eq!(nesting_bound("a <b>c</b>"), None);
        let procedure = "## Trình tự thực hiện\n\n1. Nộp hồ sơ.\n2. Nhận kết quả.\n\n- Phí: 150.000 đồng\n";
        assert!(nesting_bound(procedure).is_some_and(|bound| bound <= MAX_NESTING));
        assert_eq!(scan(procedure), Ok(Vec::new()));
    }
}
