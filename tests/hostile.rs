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
