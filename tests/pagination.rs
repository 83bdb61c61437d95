//! Contract §5: listings stay light at any size. A listing with more items
//! than one page holds continues on numbered pages under its own URL
//! (`/muc-do/4/trang/2/`), each page linking to the others, saying where it
//! is, and carrying `rel="prev"` and `rel="next"`.

mod common;

use common::*;
use niemyet::listing::PAGE_SIZE;

/// `n` active procedures at level 4, "both" by post, in field `field`, titled
/// so that they sort by number.
fn procedures(n: usize, field: &str, code_prefix: &str) -> Vec<(String, String)> {
    (1..=n)
        .map(|i| {
            let p =
                Proc::new(&format!("Thủ tục {code_prefix} số {i:04}"), &format!("{code_prefix}.{i:04}")).field(field);
            (format!("content/procedures/{code_prefix}-{i:04}.md"), p.md())
        })
        .collect()
}

fn build_site(files: Vec<(String, String)>) -> (tempfile::TempDir, Tree) {
    let mut all = vec![("site.toml".to_string(), SITE_TOML.to_string())];
    all.extend(files);
    let borrowed: Vec<(&str, &str)> = all.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let dir = site(&borrowed);
    let tree = build_ok(dir.path());
    (dir, tree)
}

/// How many procedures a page lists.
fn listed(html: &str) -> usize {
    count(html, "class=\"procedure-link\"")
}

#[test]
fn a_list_of_exactly_one_page_has_no_page_links() {
    for n in [1, PAGE_SIZE] {
        let (_dir, tree) = build_site(procedures(n, "Đo lường", "a"));
        for dir in ["thu-tuc/", "muc-do/4/", "buu-chinh/nhan-va-tra/", "linh-vuc/do-luong/"] {
            let html = page(&tree, &format!("{dir}index.html"));
            assert_eq!(listed(&html), n, "{dir} with {n}");
            assert!(!html.contains("class=\"pager\""), "{dir} with {n} has page links");
            assert!(!html.contains("rel=\"next\"") && !html.contains("rel=\"prev\""), "{dir} with {n}");
            assert!(!tree.contains_key(&format!("{dir}trang/")), "{dir} with {n} has a trang/ folder");
        }
    }
}

#[test]
fn one_item_past_a_page_makes_a_second_page_linked_both_ways() {
    let (_dir, tree) = build_site(procedures(PAGE_SIZE + 1, "Đo lường", "a"));
    for dir in
        ["thu-tuc/", "muc-do/4/", "buu-chinh/nhan-va-tra/", "linh-vuc/do-luong/", "co-quan/so-khoa-hoc-va-cong-nghe/"]
    {
        let first = page(&tree, &format!("{dir}index.html"));
        let second = page(&tree, &format!("{dir}trang/2/index.html"));
        assert_eq!(listed(&first), PAGE_SIZE, "{dir}");
        assert_eq!(listed(&second), 1, "{dir}trang/2/");
        assert!(!tree.contains_key(&format!("{dir}trang/3/index.html")));
        assert!(!tree.contains_key(&format!("{dir}trang/1/index.html")), "page 1 is the listing's own URL");
        assert_eq!(listing_pages(&tree, dir), [format!("{dir}index.html"), format!("{dir}trang/2/index.html")]);

        assert!(first.contains("Trang 1/2") && second.contains("Trang 2/2"), "{dir}: the position in words");
        assert!(first.contains(&format!("<link rel=\"next\" href=\"{}", root_to(dir))), "{dir}: rel=next in the head");
        assert!(!first.contains("rel=\"prev\""));
        assert!(second.contains("rel=\"prev\"") && !second.contains("rel=\"next\""));
        let back =
            hrefs(&second).into_iter().find(|h| second.contains(&format!("<a rel=\"prev\" href=\"{h}\""))).unwrap();
        assert_eq!(resolve(&format!("{dir}trang/2/index.html"), &back), format!("{dir}index.html"));
        assert!(second.contains("<span class=\"current\" aria-current=\"page\">2</span>"));
        assert!(second.contains(&format!("<link rel=\"canonical\" href=\"{BASE_URL}/{dir}trang/2/\">")));
        assert!(second.contains("· Trang 2/2 ·"), "the page's title names its position");
        let all: std::collections::BTreeSet<String> = listing_links(&tree, dir);
        assert_eq!(all.len(), PAGE_SIZE + 1, "{dir}: every procedure once over the pages");
    }
    let sitemap = page(&tree, "sitemap.xml");
    assert!(sitemap.contains(&format!("<loc>{BASE_URL}/muc-do/4/trang/2/</loc>")));
    assert!(!sitemap.contains("/trang/3/"));
}

/// The way from a listing's first page back to the site root.
fn root_to(dir: &str) -> String {
    "../".repeat(dir.matches('/').count())
}

#[test]
fn an_empty_list_is_one_page_that_says_so() {
    let (_dir, tree) = build_site(procedures(PAGE_SIZE + 1, "Đo lường", "a"));
    let html = page(&tree, "muc-do/2/index.html");
    assert!(html.contains(&t_html("vi", "empty_list")));
    assert!(!html.contains("class=\"pager\""));
    assert!(!tree.contains_key("muc-do/2/trang/"));
}

#[test]
fn long_lists_link_the_first_last_and_neighbouring_pages() {
    let n = PAGE_SIZE * 12;
    let (_dir, tree) = build_site(procedures(n, "Đo lường", "a"));
    assert_eq!(listing_pages(&tree, "muc-do/4/").len(), 12);
    let sixth = page(&tree, "muc-do/4/trang/6/index.html");
    let nav = &sixth[sixth.find("class=\"pager\"").unwrap()..sixth.find("</nav>\n\n<p class=\"print-only").unwrap()];
    let links: Vec<String> = hrefs(nav).iter().map(|h| resolve("muc-do/4/trang/6/index.html", h)).collect();
    let at =
        |n: usize| if n == 1 { "muc-do/4/index.html".to_string() } else { format!("muc-do/4/trang/{n}/index.html") };
    assert_eq!(links, [5, 1, 4, 5, 7, 8, 12, 7].map(at), "previous, 1, 4–8 but 6, 12, next");
    assert_eq!(count(nav, "<li class=\"gap\">…</li>"), 2);
    assert!(sixth.contains("Trang 6/12"));
}

#[test]
fn the_list_of_all_procedures_counts_by_field_on_page_one_and_links_where_each_field_starts() {
    let mut files = procedures(PAGE_SIZE + 10, "A lĩnh vực đầu", "a");
    files.extend(procedures(5, "B lĩnh vực sau", "b"));
    files.push((
        "content/procedures/bo.md".into(),
        Proc::new("Thủ tục đã bãi bỏ", "z.1").extra("status = \"abolished\"").md(),
    ));
    let (_dir, tree) = build_site(files);
    let first = page(&tree, "thu-tuc/index.html");
    let second = page(&tree, "thu-tuc/trang/2/index.html");
    assert!(first.contains(&t_html("vi", "by_field")));
    assert!(!second.contains(&t_html("vi", "by_field")), "the count by field is on page 1 only");
    assert!(first.contains("<strong>65</strong>"), "the count of active procedures is up front");
    assert!(first.contains("thu-tuc/#nm-field-a-linh-vuc-dau\">A lĩnh vực đầu</a> <span class=\"badge\">60</span>"));
    assert!(
        first.contains("thu-tuc/trang/2/#nm-field-b-linh-vuc-sau\">B lĩnh vực sau</a> <span class=\"badge\">5</span>")
    );
    assert!(second.contains("id=\"nm-field-b-linh-vuc-sau\""), "the field's heading is where page 1 says");
    assert!(
        second.contains(&format!("A lĩnh vực đầu</a> <span class=\"continued\">{}</span>", t_html("vi", "continued")))
    );
    assert!(second.contains(&t_html("vi", "abolished_procedures")), "abolished procedures come last");
    assert!(listing_links(&tree, "thu-tuc/").contains("bo"), "the abolished procedure's page is reached");
}

#[test]
fn a_filter_page_counts_by_field_when_it_has_more_than_one() {
    let mut files = procedures(3, "A lĩnh vực đầu", "a");
    files.extend(procedures(2, "B lĩnh vực sau", "b"));
    let (_dir, tree) = build_site(files);
    let html = page(&tree, "muc-do/4/index.html");
    assert!(html.contains("A lĩnh vực đầu <span class=\"badge\">3</span>"));
    assert!(html.contains("B lĩnh vực sau <span class=\"badge\">2</span>"));
    assert!(!page(&tree, "linh-vuc/a-linh-vuc-dau/index.html").contains(&t_html("vi", "by_field")));
}

#[test]
fn notices_continue_on_numbered_pages() {
    let mut files = procedures(1, "Đo lường", "a");
    for i in 1..=PAGE_SIZE + 1 {
        let date = format!("2020-{:02}-{:02}", 1 + i / 28, 1 + i % 28);
        files.push((format!("content/notices/tin-{i:03}.md"), notice(&format!("Tin số {i:03}"), &date, &[])));
    }
    let (_dir, tree) = build_site(files);
    assert_eq!(count(&page(&tree, "tin-tuc/index.html"), "<time "), PAGE_SIZE);
    let second = page(&tree, "tin-tuc/trang/2/index.html");
    assert_eq!(count(&second, "<time "), 1);
    assert!(second.contains("Tin số 001"), "the oldest notice comes last");
}

#[test]
fn an_english_site_says_page_n_of_m() {
    let toml = SITE_TOML.replace("language = \"vi\"", "language = \"en\"");
    let mut files = vec![("site.toml".to_string(), toml)];
    files.extend(procedures(PAGE_SIZE + 1, "Đo lường", "a"));
    let borrowed: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let dir = site(&borrowed);
    let tree = build_ok(dir.path());
    let second = page(&tree, "thu-tuc/trang/2/index.html");
    assert!(second.contains("Page 2 of 2"));
    assert!(second.contains(&t_html("en", "page_previous")));
}

#[test]
fn an_alias_may_not_take_a_listing_page() {
    let mut files = procedures(PAGE_SIZE + 1, "Đo lường", "a");
    files.push((
        "content/procedures/cu.md".into(),
        Proc::new("Thủ tục có địa chỉ cũ", "c.1").extra("aliases = [\"/thu-tuc/trang/2/\"]").md(),
    ));
    let mut all = vec![("site.toml".to_string(), SITE_TOML.to_string())];
    all.extend(files);
    let borrowed: Vec<(&str, &str)> = all.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let dir = site(&borrowed);
    let out = build(dir.path());
    out.expect(1);
    assert!(out.stderr.contains("content/procedures/cu.md:"), "{}", out.stderr);
}
