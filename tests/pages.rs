//! Contract §1, §3, §4, §5, §8: what the pages show. The procedure page's
//! summary, table of contents, channels, banners and related notices; safe
//! HTML; external links; alias redirects; the interface language and number
//! format; theme overrides falling back to the built-in theme.

mod common;

use common::*;

const ONLINE: &str = "https://dichvucong.example.gov.vn/thu-tuc/1.000047";

fn full_procedure() -> String {
    Proc::new("Đăng ký công bố hợp chuẩn dựa trên kết quả tự đánh giá", "1.000047")
        .extra(&format!(
            "processing_time = \"05 ngày làm việc\"\n\
             fee = \"150.000 đồng/giấy tiếp nhận\"\n\
             online_url = \"{ONLINE}\"\n\
             submit_at = \"Trung tâm Phục vụ Hành chính công tỉnh\"\n\
             updated = 2021-03-04\n\
             [[channels]]\n\
             kind = \"online\"\n\
             processing_time = \"03 ngày làm việc\"\n\
             fee = \"Miễn phí khi nộp trực tuyến\"\n\
             note = \"Nộp trên Cổng dịch vụ công\"\n\
             [[channels]]\n\
             kind = \"postal\"\n\
             processing_time = \"07 ngày làm việc\""
        ))
        .body(
            "## Trình tự thực hiện\n\nBước 1: nộp hồ sơ.\n\n\
             ## Thành phần hồ sơ\n\n- Bản công bố hợp chuẩn.\n\n\
             ## Căn cứ pháp lý\n\nLuật Tiêu chuẩn và Quy chuẩn kỹ thuật.\n\n\
             Xem [Cổng Dịch vụ công quốc gia](https://dichvucong.gov.vn/p/home), \
             [thủ tục khác](/thu-tuc/sua-doi/) và [thống kê](https://example.gov.vn/tthc/thong-ke/).\n",
        )
        .md()
}

fn demo_files() -> Vec<(String, String)> {
    vec![
        ("site.toml".into(), SITE_TOML.into()),
        ("content/procedures/hop-chuan.md".into(), full_procedure()),
        (
            "content/procedures/sua-doi.md".into(),
            Proc::new("Thủ tục đã sửa đổi", "1.000048").level("3").postal("false").extra("status = \"amended\"").md(),
        ),
        (
            "content/procedures/bai-bo.md".into(),
            Proc::new("Thủ tục đã bãi bỏ", "1.000049").extra("status = \"abolished\"").md(),
        ),
        ("content/notices/tin-hop-chuan.md".into(), notice("Hướng dẫn công bố hợp chuẩn", "2021-04-05", &["1.000047"])),
        ("content/notices/tin-chung.md".into(), notice("Thông báo chung", "2021-05-05", &["1.000047", "1.000049"])),
    ]
}

fn build_files(files: &[(String, String)]) -> (tempfile::TempDir, Tree) {
    let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let dir = site(&refs);
    let tree = build_ok(dir.path());
    (dir, tree)
}

#[test]
fn a_procedure_page_shows_its_summary() {
    let (_dir, tree) = build_files(&demo_files());
    let html = page(&tree, "thu-tuc/hop-chuan/index.html");
    assert!(html.contains("Đăng ký công bố hợp chuẩn dựa trên kết quả tự đánh giá"));
    assert!(html.contains("1.000047"));
    assert!(html.contains("Mức độ 4"), "no service level name");
    assert!(html.contains(&t_html("vi", "postal_both")), "no postal mode in words");
    assert!(html.contains("05 ngày làm việc"), "no processing time");
    assert!(html.contains("150.000 đồng/giấy tiếp nhận"), "no fee");
    assert!(html.contains("Trung tâm Phục vụ Hành chính công tỉnh"));
    assert!(hrefs(&html).iter().any(|h| h == ONLINE), "no link to the online service");
    // The summary links to the procedure's filter pages.
    let links = hrefs(&html);
    assert!(links.iter().any(|h| h.ends_with("muc-do/4/")));
    assert!(links.iter().any(|h| h.ends_with("buu-chinh/nhan-va-tra/")));
    assert!(links.iter().any(|h| h.ends_with("linh-vuc/tieu-chuan-do-luong-chat-luong/")));
    assert!(links.iter().any(|h| h.ends_with("co-quan/so-khoa-hoc-va-cong-nghe/")));

    let none = page(&tree, "thu-tuc/sua-doi/index.html");
    assert!(none.contains(&t_html("vi", "postal_none")));
    assert!(none.contains("Mức độ 3"));
}

#[test]
fn a_procedure_page_has_a_table_of_contents_with_folded_ids() {
    let (_dir, tree) = build_files(&demo_files());
    let html = page(&tree, "thu-tuc/hop-chuan/index.html");
    for id in ["trinh-tu-thuc-hien", "thanh-phan-ho-so", "can-cu-phap-ly"] {
        assert!(html.contains(&format!("id=\"{id}\"")), "no heading with id {id}");
        assert!(hrefs(&html).contains(&format!("#{id}")), "the table of contents does not link to #{id}");
    }
    assert!(html.contains("<h2 id=\"thanh-phan-ho-so\">Thành phần hồ sơ</h2>"), "{html}");
}

#[test]
fn a_procedure_page_shows_the_channels_table() {
    let (_dir, tree) = build_files(&demo_files());
    let html = page(&tree, "thu-tuc/hop-chuan/index.html");
    assert!(html.contains("<table"), "no table");
    assert!(html.contains(&t_html("vi", "channels")));
    assert!(html.contains(&t_html("vi", "channel_online")));
    assert!(html.contains(&t_html("vi", "channel_postal")));
    assert!(html.contains("03 ngày làm việc"));
    assert!(html.contains("Miễn phí khi nộp trực tuyến"));
    assert!(html.contains("Nộp trên Cổng dịch vụ công"));
    assert!(html.contains("07 ngày làm việc"));
    let plain = page(&tree, "thu-tuc/sua-doi/index.html");
    assert!(!plain.contains(&t_html("vi", "channel_online")), "a table without channels");
}

#[test]
fn amended_and_abolished_procedures_carry_banners() {
    let (_dir, tree) = build_files(&demo_files());
    let amended = page(&tree, "thu-tuc/sua-doi/index.html");
    let abolished = page(&tree, "thu-tuc/bai-bo/index.html");
    let active = page(&tree, "thu-tuc/hop-chuan/index.html");
    let (amended_text, abolished_text) = (t_html("vi", "amended_banner"), t_html("vi", "abolished_banner"));
    assert!(amended.contains(&amended_text));
    assert!(!amended.contains(&abolished_text));
    assert!(abolished.contains(&abolished_text));
    assert!(!abolished.contains(&amended_text));
    assert!(!active.contains(&amended_text) && !active.contains(&abolished_text));
    // The abolished one is left out of the filters but still has its page.
    assert!(!procedure_links(&page(&tree, "muc-do/4/index.html")).contains("bai-bo"));
    assert!(procedure_links(&page(&tree, "muc-do/4/index.html")).contains("hop-chuan"));
    assert!(procedure_links(&page(&tree, "muc-do/3/index.html")).contains("sua-doi"));
}

#[test]
fn a_procedure_page_lists_the_notices_that_name_it() {
    let (_dir, tree) = build_files(&demo_files());
    let related = t_html("vi", "related_notices");
    let html = page(&tree, "thu-tuc/hop-chuan/index.html");
    assert!(html.contains(&related));
    assert!(html.contains("Hướng dẫn công bố hợp chuẩn"));
    assert!(html.contains("Thông báo chung"));
    let links = hrefs(&html);
    assert!(links.iter().any(|h| h.ends_with("tin-tuc/tin-hop-chuan/")));
    assert!(links.iter().any(|h| h.ends_with("tin-tuc/tin-chung/")));
    // Newest first.
    assert!(html.find("Thông báo chung").unwrap() < html.find("Hướng dẫn công bố hợp chuẩn").unwrap());
    let abolished = page(&tree, "thu-tuc/bai-bo/index.html");
    assert!(abolished.contains("Thông báo chung"));
    assert!(!abolished.contains("Hướng dẫn công bố hợp chuẩn"));
    let unnamed = page(&tree, "thu-tuc/sua-doi/index.html");
    assert!(!unnamed.contains(&related), "a procedure no notice names lists notices");
    // The notice links back to the procedures it names.
    let notice = page(&tree, "tin-tuc/tin-chung/index.html");
    let named = procedure_links(&notice);
    assert!(named.contains("hop-chuan") && named.contains("bai-bo"), "{named:?}");
}

#[test]
fn pasted_scripts_event_handlers_and_javascript_links_are_removed() {
    let body = "## Trình tự\n\n<script>alert('xss1')</script>\n\n\
                <p onclick=\"steal()\" onmouseover=\"steal()\">Đoạn văn</p>\n\n\
                <a href=\"javascript:alert('xss2')\">bấm</a> \
                [liên kết](javascript:alert('xss3')) \
                <img src=x onerror=\"alert('xss4')\">\n\n\
                <iframe src=\"https://evil.example/\"></iframe>\n\n\
                <style>body{display:none}</style>\n\nCòn lại.\n";
    let mut files = demo_files();
    files.push(("content/procedures/doc-hai.md".into(), Proc::new("Thủ tục có mã độc", "6.1").body(body).md()));
    files.push(("content/pages/trang.md".into(), format!("+++\ntitle = \"Trang\"\n+++\n{body}")));
    files.push(("content/notices/tin-doc.md".into(), format!("+++\ntitle = \"Tin\"\ndate = 2021-01-01\n+++\n{body}")));
    files.push(("content/_index.md".into(), body.into()));
    let (_dir, tree) = build_files(&files);
    for path in ["thu-tuc/doc-hai/index.html", "trang/index.html", "tin-tuc/tin-doc/index.html", "index.html"] {
        let html = page(&tree, path);
        assert!(html.contains("Đoạn văn") && html.contains("Còn lại."), "{path} lost its text");
        for bad in ["xss", "javascript:", "onclick", "onmouseover", "onerror", "steal()", "<iframe", "display:none"] {
            assert!(!html.contains(bad), "{path} still holds {bad:?}:\n{html}");
        }
    }
}

#[test]
fn a_title_with_markup_is_escaped_everywhere() {
    let title = "Thủ tục <script>alert('tieu-de')</script> & <b>đậm</b>";
    let mut files = demo_files();
    files.push((
        "content/procedures/tieu-de.md".into(),
        Proc::new(title, "7.1").field("Lĩnh vực <i>lạ</i>").extra("updated = 2021-06-06").md(),
    ));
    files.push(("content/notices/tin-tieu-de.md".into(), notice(title, "2021-06-07", &["7.1"])));
    let (_dir, tree) = build_files(&files);
    let escaped = "Thủ tục &lt;script&gt;alert(&#39;tieu-de&#39;)&lt;/script&gt; &amp; &lt;b&gt;đậm&lt;/b&gt;";
    for path in [
        "thu-tuc/tieu-de/index.html",
        "thu-tuc/index.html",
        "muc-do/4/index.html",
        "buu-chinh/nhan-va-tra/index.html",
        "tin-tuc/tin-tieu-de/index.html",
        "tin-tuc/index.html",
    ] {
        let html = page(&tree, path);
        assert!(html.contains(escaped), "{path} does not show the escaped title");
    }
    for (path, bytes) in &tree {
        if path.ends_with(".html") || path.ends_with(".xml") {
            let text = String::from_utf8_lossy(bytes);
            assert!(!text.contains("<script>alert"), "{path} holds the raw script");
            assert!(!text.contains("<b>đậm"), "{path} holds raw markup");
            assert!(!text.contains("<i>lạ"), "{path} holds raw markup from a field");
        }
    }
    let feed = page(&tree, "feed.xml");
    assert!(feed.contains("&lt;script&gt;"), "the feed does not carry the escaped title");
    assert!(feed.contains("<title>Thủ tục &lt;script&gt;"), "{feed}");
    let data = open_data(&tree);
    assert!(data.iter().any(|r| r["title"] == title), "open data changed the title");
}

#[test]
fn external_links_are_marked_and_site_links_are_not() {
    let (_dir, tree) = build_files(&demo_files());
    let html = page(&tree, "thu-tuc/hop-chuan/index.html");
    assert!(html.contains("<a href=\"https://dichvucong.gov.vn/p/home\" class=\"external\""), "{html}");
    assert!(html.contains("href=\"../../thu-tuc/sua-doi/\""), "a site path is not made relative");
    assert!(
        !html.contains("href=\"https://example.gov.vn/tthc/thong-ke/\" class=\"external\""),
        "a link to the site itself is marked external"
    );
}

#[test]
fn an_alias_produces_a_redirect_page_to_the_procedure() {
    let mut files = demo_files();
    files.push((
        "content/procedures/moi.md".into(),
        Proc::new("Tên mới", "8.1")
            .extra("aliases = [\"/thu-tuc/ten-cu/\", \"/cu/khong-gach\", \"/trang-cu.html\"]")
            .md(),
    ));
    let (_dir, tree) = build_files(&files);
    let target = format!("{BASE_URL}/thu-tuc/moi/");
    for path in ["thu-tuc/ten-cu/index.html", "cu/khong-gach/index.html", "trang-cu.html"] {
        let html = page(&tree, path);
        let refresh = html
            .split("http-equiv=\"refresh\" content=\"0; url=")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_else(|| panic!("{path} has no refresh:\n{html}"));
        assert_eq!(resolve(path, refresh), "thu-tuc/moi/index.html", "{path}: {refresh}");
        assert!(
            hrefs(&html).iter().any(|h| resolve(path, h) == "thu-tuc/moi/index.html"),
            "{path} has no plain link to the procedure"
        );
        assert!(html.contains(&format!("rel=\"canonical\" href=\"{target}\"")), "{path}");
    }
}

fn language_site(language: &str) -> (tempfile::TempDir, Tree) {
    let toml = SITE_TOML.replace("language = \"vi\"", &format!("language = \"{language}\""));
    let files = vec![
        ("site.toml".to_string(), toml),
        ("content/procedures/a.md".into(), Proc::new("A", "1").level("4").md()),
        ("content/procedures/b.md".into(), Proc::new("B", "2").level("3").md()),
        ("content/procedures/c.md".into(), Proc::new("C", "3").level("3").postal("false").md()),
    ];
    build_files(&files)
}

#[test]
fn an_english_site_gets_english_strings_and_numbers() {
    let (dir, tree) = language_site("en");
    let home = page(&tree, "index.html");
    assert!(home.contains("<html lang=\"en\""));
    assert!(home.contains(&t_html("en", "nav_procedures")));
    assert!(home.contains(&t_html("en", "skip_link")));
    assert!(!home.contains(&t_html("vi", "skip_link")), "Vietnamese strings in an English site");
    let stats = page(&tree, "thong-ke/index.html");
    assert!(stats.contains("33.33%"), "{stats}");
    assert!(stats.contains("66.67%"));
    assert!(!stats.contains("33,33%"));
    assert!(stats.contains(&t_html("en", "stats_title")));
    let proc_page = page(&tree, "thu-tuc/c/index.html");
    assert!(proc_page.contains(&t_html("en", "postal_none")));
    let report = run(dir.path(), "report", &[]);
    report.expect(0);
    assert!(report.stdout.contains("1/3 (33.33%)"), "{}", report.stdout);
    assert!(report.stdout.contains(&t("en", "stats_total")));
}

#[test]
fn a_vietnamese_site_writes_shares_with_a_decimal_comma() {
    let (dir, tree) = language_site("vi");
    let stats = page(&tree, "thong-ke/index.html");
    assert!(stats.contains("<html lang=\"vi\""));
    assert!(stats.contains("33,33%"), "{stats}");
    assert!(stats.contains("66,67%"));
    // Only the charts' bar widths (SVG attributes, not text) use a decimal point.
    assert!(!stats.replace("width=\"33.33%\"", "").contains("33.33%"));
    let report = run(dir.path(), "report", &[]);
    report.expect(0);
    assert!(report.stdout.contains("1/3 (33,33%)"), "{}", report.stdout);
    assert!(report.stdout.contains("3/3 (100%)"), "{}", report.stdout);
    assert!(report.stdout.contains("2/3 (66,67%)"), "{}", report.stdout);
}

#[test]
fn a_site_theme_file_overrides_the_built_in_one_and_the_rest_falls_back() {
    let mut files = demo_files();
    files.push((
        "themes/default/templates/404.html".into(),
        "<!DOCTYPE html><html><body><p>TRANG 404 RIÊNG CỦA SỞ</p></body></html>\n".into(),
    ));
    files.push(("themes/default/i18n/vi.toml".into(), "nav_procedures = \"Danh mục TTHC riêng\"\n".into()));
    files.push(("themes/default/static/niemyet.css".into(), "/* kiểu riêng */ body { color: navy; }\n".into()));
    let (_dir, tree) = build_files(&files);
    let not_found = page(&tree, "404.html");
    assert!(not_found.contains("TRANG 404 RIÊNG CỦA SỞ"));
    assert_eq!(tree["assets/niemyet.css"], "/* kiểu riêng */ body { color: navy; }\n".as_bytes());
    assert!(tree.contains_key("assets/favicon.svg"), "the other static files fall back");
    let html = page(&tree, "thu-tuc/hop-chuan/index.html");
    assert!(html.contains("Danh mục TTHC riêng"), "the string override is not used");
    assert!(!html.contains(&format!(">{}<", t_html("vi", "nav_procedures"))));
    // Strings the site did not give fall back to the built-in ones.
    assert!(html.contains(&t_html("vi", "nav_fields")));
    assert!(html.contains(&t_html("vi", "summary_heading")));
    // Templates the site did not give fall back too.
    assert!(html.contains(&t_html("vi", "postal_both")));
}

#[test]
fn a_shared_footer_is_made_for_each_depth_and_shows_the_site_s_own_words() {
    let mut files = demo_files();
    files.push((
        "themes/default/templates/footer.html".into(),
        "<footer><p>CHÂN TRANG {{ site.title }}</p><a href=\"{{ root }}thong-ke/\">{{ t.nav_stats }}</a></footer>\n"
            .into(),
    ));
    let (_dir, tree) = build_files(&files);
    let title = "Thủ tục hành chính thử nghiệm";
    for (file, root) in [
        ("index.html", "./"),
        ("thu-tuc/index.html", "../"),
        ("thu-tuc/hop-chuan/index.html", "../../"),
        ("404.html", "/tthc/"),
        ("thu-tuc/sua-doi/index.html", "../../"),
    ] {
        let html = page(&tree, file);
        let footer = format!("<a href=\"{root}thong-ke/\">{}</a></footer>", t_html("vi", "nav_stats"));
        assert_eq!(html.matches(&footer).count(), 1, "{file}: {html}");
        assert!(html.contains(&format!("<footer><p>CHÂN TRANG {title}")), "{file}");
    }
}

#[test]
fn a_named_theme_folder_overrides_too() {
    let mut files = demo_files();
    files[0].1 = SITE_TOML.replace("language = \"vi\"", "language = \"vi\"\ntheme = \"so-khcn\"");
    files.push(("themes/so-khcn/i18n/vi.toml".into(), "nav_fields = \"Các lĩnh vực riêng\"\n".into()));
    let (_dir, tree) = build_files(&files);
    let html = page(&tree, "index.html");
    assert!(html.contains("Các lĩnh vực riêng"));
    assert!(html.contains(&t_html("vi", "nav_procedures")));
}

#[test]
fn a_missing_named_theme_is_a_usage_error() {
    let dir = site(&[
        ("site.toml", &SITE_TOML.replace("language = \"vi\"", "theme = \"khong-co\"")),
        ("content/procedures/a.md", &Proc::new("A", "1").md()),
    ]);
    let out = build(dir.path());
    out.expect(2);
    assert!(out.stderr.contains("khong-co"), "{}", out.stderr);
}

#[test]
fn a_broken_site_template_is_reported_as_a_content_error() {
    let mut files = demo_files();
    files.push((
        "themes/default/templates/404.html".into(),
        "{% extends \"base.html\" %}\n{% block main %}\n{{ page.title \n{% endblock %}\n".into(),
    ));
    let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let dir = site(&refs);
    let out = build(dir.path());
    out.expect(1);
    assert!(out.stderr.contains("themes/default/templates/404.html:"), "{}", out.stderr);
    assert!(!dir.path().join("public").exists());
}

#[test]
fn a_site_with_only_site_toml_and_content_builds() {
    let dir = site(&[("site.toml", SITE_TOML), ("content/procedures/a.md", &Proc::new("Thủ tục duy nhất", "1").md())]);
    assert!(!dir.path().join("themes").exists());
    let tree = build_ok(dir.path());
    assert!(tree.contains_key("assets/niemyet.css"));
    let html = page(&tree, "thu-tuc/a/index.html");
    assert!(html.contains("Thủ tục duy nhất"));
    assert!(html.contains("<html lang=\"vi\""));
    let home = page(&tree, "index.html");
    assert!(home.contains("Thủ tục hành chính thử nghiệm"));
}

#[test]
fn the_home_page_links_to_every_filter_and_the_latest_notices() {
    let (_dir, tree) = build_files(&demo_files());
    let home = page(&tree, "index.html");
    let links = hrefs(&home);
    for target in [
        "muc-do/2/",
        "muc-do/3/",
        "muc-do/4/",
        "buu-chinh/nhan-va-tra/",
        "buu-chinh/nhan-ho-so/",
        "buu-chinh/tra-ket-qua/",
        "buu-chinh/khong/",
        "linh-vuc/tieu-chuan-do-luong-chat-luong/",
        "co-quan/so-khoa-hoc-va-cong-nghe/",
        "tin-tuc/tin-chung/",
    ] {
        assert!(links.iter().any(|h| h.ends_with(target)), "the home page does not link to {target}");
    }
}

#[test]
fn relative_links_work_from_every_depth() {
    let (_dir, tree) = build_files(&demo_files());
    for (path, bytes) in &tree {
        if !path.ends_with("index.html") {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        for href in hrefs(&html) {
            if href.contains("://") || href.starts_with('#') || href.starts_with("mailto:") || href.starts_with("tel:")
            {
                continue;
            }
            let target = resolve(path, &href);
            assert!(tree.contains_key(&target), "{path} links to {href}, but {target} does not exist");
        }
    }
}

/// Markdown alone (no raw HTML) must not smuggle script addresses either.
#[test]
fn markdown_links_to_script_addresses_are_removed() {
    let body = "## Liên kết\n\n[một](javascript:alert('md1')) \
                [hai](JavaScript:alert('md2')) \
                [ba](data:text/html;base64,PHNjcmlwdD4=) \
                [bốn](vbscript:msgbox('md4')) \
                ![năm](javascript:alert('md5')) \
                [sáu]( javascript:alert('md6')) \
                [bảy](java&#x73;cript:alert('md7'))\n\n\
                [tham chiếu][x]\n\n[x]: javascript:alert('md8')\n\n\
                [tốt](https://dichvucong.gov.vn/) [thư](mailto:a@example.gov.vn) [gọi](tel:02730000000)\n";
    let dir = site(&[
        ("site.toml", SITE_TOML),
        ("content/procedures/md.md", &Proc::new("Liên kết Markdown", "1").body(body).md()),
    ]);
    let tree = build_ok(dir.path());
    let html = page(&tree, "thu-tuc/md/index.html");
    let lower = html.to_lowercase();
    for bad in ["javascript:", "vbscript:", "data:text", "alert(", "msgbox", "&#x73;cript"] {
        assert!(!lower.contains(bad), "the page still holds {bad:?}:\n{html}");
    }
    let links = hrefs(&html);
    assert!(links.iter().any(|h| h == "https://dichvucong.gov.vn/"));
    assert!(links.iter().any(|h| h == "mailto:a@example.gov.vn"));
    assert!(links.iter().any(|h| h == "tel:02730000000"));
    assert!(html.contains("một") && html.contains("tham chiếu"), "the link texts are lost");
}
