//! Contract §5, §6: what the build writes and how safely: determinism, never
//! deleting files it did not write, leaving the previous output alone on
//! failure, `check` writing nothing, one build at a time into a folder, an
//! output folder that is a link, `--base-url`, static files, and the
//! machine-read files (sitemap, robots, feed, 404).

mod common;

use std::fs;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use common::*;

/// A site with a bit of everything that ends up in the output.
fn rich_site() -> tempfile::TempDir {
    let mut files: Vec<(String, String)> = vec![
        ("site.toml".into(), SITE_TOML.into()),
        ("content/_index.md".into(), "Chào mừng. Xem [thống kê](/thong-ke/).\n".into()),
        ("content/pages/gioi-thieu.md".into(), "+++\ntitle = \"Giới thiệu\"\n+++\nTrang giới thiệu.\n".into()),
        (
            "content/notices/tin-a.md".into(),
            notice("Thông báo tiếp nhận hồ sơ qua bưu chính", "2021-05-01", &["1.000"]),
        ),
        (
            "content/notices/tin-b.md".into(),
            notice("Hướng dẫn nộp hồ sơ trực tuyến", "2021-06-01", &["1.001", "1.002"]),
        ),
        ("static/robots-extra.txt".into(), "tĩnh\n".into()),
        ("static/tai-lieu/mau-don.txt".into(), "Mẫu đơn\n".into()),
    ];
    for i in 0..24 {
        let mut p = Proc::new(&format!("Thủ tục thử số {i}"), &format!("1.{i:03}"))
            .field(["Tiêu chuẩn", "Đo lường", "Chất lượng"][i % 3])
            .agency(["Sở Khoa học và Công nghệ", "Chi cục TĐC"][i % 2])
            .level(["2", "\"3\"", "4"][i % 3])
            .postal(["true", "false", "\"receive\"", "\"return\""][i % 4]);
        if i % 5 == 0 {
            p = p.extra(&format!("updated = 2021-0{}-15", 1 + i % 9));
        }
        if i == 7 {
            p = p.extra("aliases = [\"/thu-tuc/ten-cu/\"]");
        }
        files.push((format!("content/procedures/nhom-{}/tt-{i}.md", i % 4), p.md()));
    }
    let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let dir = site(&refs);
    // A binary static file, copied byte for byte.
    write_bytes(dir.path(), "static/files/bieu-mau.bin", &[0, 159, 146, 150, 255, 1, 2]);
    dir
}

#[test]
fn building_the_same_input_twice_gives_byte_identical_output() {
    let dir = rich_site();
    let outs = tempfile::tempdir().unwrap();
    let (a, b) = (outs.path().join("a"), outs.path().join("b"));
    build_to(dir.path(), &a).expect(0);
    build_to(dir.path(), &b).expect(0);
    let (ta, tb) = (read_tree(&a), read_tree(&b));
    assert!(ta.len() > 60, "the build wrote only {} entries", ta.len());
    let differ: Vec<&String> = ta.keys().filter(|k| ta.get(*k) != tb.get(*k)).collect();
    assert!(differ.is_empty(), "files differ between builds: {differ:?}");
    assert_eq!(ta, tb);
}

#[test]
fn the_output_does_not_depend_on_where_the_site_folder_is() {
    let one = rich_site();
    let two = tempfile::tempdir().unwrap();
    let deeper = two.path().join("mot thu muc/có dấu");
    for (path, bytes) in read_tree(one.path()) {
        if !path.ends_with('/') {
            write_bytes(&deeper, &path, &bytes);
        }
    }
    let a = build_ok(one.path());
    let b = build_ok(&deeper);
    assert_eq!(a, b);
}

#[test]
fn rebuilding_in_place_gives_the_same_output() {
    let dir = rich_site();
    let first = build_ok(dir.path());
    let second = build_ok(dir.path());
    assert_eq!(first, second);
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') && n != ".public.niemyet-cache")
        .collect();
    assert!(leftovers.is_empty(), "the build left {leftovers:?} in the site folder, besides its rebuild cache");
}

#[test]
fn a_rebuild_removes_pages_of_deleted_files() {
    let dir = site(&[
        ("site.toml", SITE_TOML),
        ("content/procedures/giu.md", &Proc::new("Giữ", "1").md()),
        ("content/procedures/xoa.md", &Proc::new("Xóa", "2").md()),
    ]);
    assert!(build_ok(dir.path()).contains_key("thu-tuc/xoa/index.html"));
    fs::remove_file(dir.path().join("content/procedures/xoa.md")).unwrap();
    let tree = build_ok(dir.path());
    assert!(!tree.contains_key("thu-tuc/xoa/index.html"));
    assert!(tree.contains_key("thu-tuc/giu/index.html"));
}

#[test]
fn the_build_refuses_a_non_empty_output_folder_it_did_not_create() {
    let dir = rich_site();
    let out = dir.path().join("public");
    write_bytes(&out, "luan-van.docx", b"not ours");
    write_bytes(&out, "anh/logo.png", b"png");
    let before = read_tree(&out);
    let everything = read_tree(dir.path());
    let run = build(dir.path());
    run.expect(2);
    assert!(run.stderr.contains("not empty"), "{}", run.stderr);
    assert!(run.stderr.contains("--output"), "{}", run.stderr);
    assert_eq!(read_tree(&out), before, "the build touched a folder that is not its own");
    assert_eq!(read_tree(dir.path()), everything);

    let elsewhere = tempfile::tempdir().unwrap();
    write_bytes(elsewhere.path(), "keep.txt", b"keep");
    build_to(dir.path(), elsewhere.path()).expect(2);
    assert_eq!(fs::read(elsewhere.path().join("keep.txt")).unwrap(), b"keep");
    assert_eq!(read_tree(elsewhere.path()).len(), 1);
}

#[test]
fn the_build_accepts_an_existing_empty_output_folder() {
    let dir = rich_site();
    let outs = tempfile::tempdir().unwrap();
    build_to(dir.path(), outs.path()).expect(0);
    assert!(outs.path().join("index.html").is_file());
}

#[test]
fn the_build_refuses_when_a_stranger_file_was_added_to_its_output() {
    let dir = rich_site();
    let before = build_ok(dir.path());
    let out = dir.path().join("public");
    write_bytes(&out, "thu-tuc/ghi-chu-cua-toi.txt", b"my notes");
    let run = build(dir.path());
    run.expect(2);
    assert!(
        run.stderr.contains("thu-tuc/ghi-chu-cua-toi.txt"),
        "the message does not name the stranger file:\n{}",
        run.stderr
    );
    assert_eq!(fs::read(out.join("thu-tuc/ghi-chu-cua-toi.txt")).unwrap(), b"my notes");
    let mut expected = before;
    expected.insert("thu-tuc/ghi-chu-cua-toi.txt".into(), b"my notes".to_vec());
    assert_eq!(read_tree(&out), expected);
}

#[test]
fn the_build_refuses_an_output_path_that_is_a_file() {
    let dir = rich_site();
    let file = dir.path().join("public");
    fs::write(&file, b"a file").unwrap();
    build(dir.path()).expect(2);
    assert_eq!(fs::read(&file).unwrap(), b"a file");
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let dir = rich_site();
    let before = build_ok(dir.path());
    write_bytes(
        dir.path(),
        "content/procedures/nhom-0/tt-0.md",
        Proc::new("Hỏng", "1.000").postal("\"?\"").md().as_bytes(),
    );
    write_bytes(dir.path(), "content/procedures/moi.md", Proc::new("Mới", "9.9").md().as_bytes());
    build(dir.path()).expect(1);
    assert_eq!(read_tree(&dir.path().join("public")), before);
}

#[test]
fn a_build_waits_while_another_build_writes_into_the_same_folder() {
    let dir = rich_site();
    let held = fs::File::open(dir.path()).unwrap();
    held.lock().expect("locked, as a build writing into public/ holds the folder that holds it");
    let root = dir.path().to_str().unwrap();
    let mut second = Command::new(bin())
        .args(["build", "--root", root, "--lang", "en"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the niemyet binary runs");
    let mut stderr = BufReader::new(second.stderr.take().unwrap());
    let (said, heard) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut first_line = String::new();
        stderr.read_line(&mut first_line).unwrap();
        said.send(first_line).unwrap();
        stderr.lines().map(Result::unwrap).collect::<Vec<_>>()
    });
    let Ok(first_line) = heard.recv_timeout(Duration::from_secs(60)) else {
        second.kill().unwrap();
        panic!("the second build said nothing in a minute");
    };
    assert!(first_line.starts_with("another niemyet build is writing into "), "{first_line}");
    assert!(!dir.path().join("public").exists(), "it writes nothing while it waits");
    drop(held);
    let status = second.wait().unwrap();
    let rest = reader.join().unwrap();
    assert!(status.success(), "{rest:?}");
    let elsewhere = tempfile::tempdir().unwrap();
    build_to(dir.path(), &elsewhere.path().join("public")).expect(0);
    assert_eq!(read_tree(&dir.path().join("public")), read_tree(&elsewhere.path().join("public")));
}

#[test]
fn a_build_into_a_link_writes_into_the_folder_it_leads_to() {
    let dir = rich_site();
    let web_server = tempfile::tempdir().unwrap();
    let served = web_server.path().join("tthc");
    fs::create_dir(&served).unwrap();
    let link = dir.path().join("public");
    std::os::unix::fs::symlink(&served, &link).unwrap();
    build(dir.path()).expect(0);
    write_bytes(dir.path(), "content/procedures/moi.md", Proc::new("Mới", "9.9").md().as_bytes());
    build(dir.path()).expect(0);
    assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "public/ is still a link");
    let clean = tempfile::tempdir().unwrap();
    build_to(dir.path(), &clean.path().join("public")).expect(0);
    assert_eq!(read_tree(&served), read_tree(&clean.path().join("public")));

    fs::remove_dir_all(&served).unwrap();
    let run = build(dir.path());
    run.expect(2);
    assert!(run.stderr.contains("public is a link to a folder that does not exist"), "{}", run.stderr);
    assert!(!served.exists());
}

#[test]
fn check_never_creates_public() {
    let dir = rich_site();
    let everything = read_tree(dir.path());
    let run = check(dir.path());
    run.expect(0);
    assert!(!dir.path().join("public").exists());
    assert_eq!(read_tree(dir.path()), everything, "check wrote something");
    // Also when run from inside the site folder without --root.
    run_in(dir.path(), &["check"]).expect(0);
    assert_eq!(read_tree(dir.path()), everything);
}

#[test]
fn report_writes_nothing() {
    let dir = rich_site();
    let everything = read_tree(dir.path());
    run(dir.path(), "report", &[]).expect(0);
    run(dir.path(), "report", &["--format", "json"]).expect(0);
    assert_eq!(read_tree(dir.path()), everything);
}

#[test]
fn base_url_option_changes_canonical_links_and_open_data() {
    let dir = rich_site();
    let out = tempfile::tempdir().unwrap();
    let out = out.path().join("site");
    let other = "https://dvc.other.example.org/tinh/tthc";
    run(dir.path(), "build", &["--output", out.to_str().unwrap(), "--base-url", &format!("{other}/")]).expect(0);
    let tree = read_tree(&out);
    let html = page(&tree, "thu-tuc/tt-0/index.html");
    assert!(
        html.contains(&format!("<link rel=\"canonical\" href=\"{other}/thu-tuc/tt-0/\">")),
        "canonical link not changed:\n{html}"
    );
    for record in open_data(&tree) {
        let url = record["url"].as_str().unwrap();
        assert_eq!(url, format!("{other}{}", record["path"].as_str().unwrap()));
    }
    for file in ["sitemap.xml", "feed.xml", "robots.txt"] {
        let text = page(&tree, file);
        assert!(text.contains(other), "{file} does not use --base-url");
        assert!(!text.contains(BASE_URL), "{file} still uses site.toml's base_url");
    }
    let csv = String::from_utf8_lossy(&tree["du-lieu/thu-tuc.csv"]).into_owned();
    assert!(csv.contains(&format!("{other}/thu-tuc/tt-0/")));
}

#[test]
fn a_bad_base_url_option_is_a_usage_error() {
    let dir = rich_site();
    let out = run(dir.path(), "build", &["--base-url", "not a url"]);
    out.expect(2);
    assert!(!dir.path().join("public").exists());
}

#[test]
fn static_files_are_copied_as_they_are() {
    let dir = rich_site();
    let tree = build_ok(dir.path());
    assert_eq!(tree["files/bieu-mau.bin"], [0, 159, 146, 150, 255, 1, 2]);
    assert_eq!(tree["tai-lieu/mau-don.txt"], "Mẫu đơn\n".as_bytes());
    assert_eq!(tree["robots-extra.txt"], "tĩnh\n".as_bytes());
}

#[test]
fn a_static_file_may_not_replace_a_generated_page() {
    let dir = rich_site();
    write_bytes(dir.path(), "static/sitemap.xml", b"<mine/>");
    let out = build(dir.path());
    out.expect(1);
    assert!(out.stderr.contains("static/sitemap.xml:1:1: error:"), "{}", out.stderr);
}

#[test]
fn every_page_is_a_folder_with_an_index() {
    let dir = rich_site();
    let tree = build_ok(dir.path());
    for path in [
        "index.html",
        "thu-tuc/index.html",
        "muc-do/index.html",
        "buu-chinh/index.html",
        "linh-vuc/index.html",
        "co-quan/index.html",
        "thong-ke/index.html",
        "tin-tuc/index.html",
        "tin-tuc/tin-a/index.html",
        "gioi-thieu/index.html",
        "du-lieu/thu-tuc.json",
        "du-lieu/thu-tuc.csv",
        "sitemap.xml",
        "robots.txt",
        "feed.xml",
        "404.html",
    ] {
        assert!(tree.contains_key(path), "{path} is missing");
    }
    for path in tree.keys() {
        if path.ends_with(".html") && path != "404.html" {
            assert!(path.ends_with("index.html"), "{path} is not a folder's index");
        }
    }
}

#[test]
fn sitemap_robots_feed_and_404_are_written() {
    let dir = rich_site();
    let tree = build_ok(dir.path());

    let sitemap = page(&tree, "sitemap.xml");
    assert!(sitemap.starts_with("<?xml"));
    assert!(sitemap.contains("<urlset"));
    assert!(sitemap.contains(&format!("<loc>{BASE_URL}/thu-tuc/tt-3/</loc>")));
    assert!(sitemap.contains(&format!("<loc>{BASE_URL}/</loc>")));
    assert!(!sitemap.contains("404.html"));
    assert!(sitemap.trim_end().ends_with("</urlset>"));

    let robots = page(&tree, "robots.txt");
    assert!(robots.contains(&format!("Sitemap: {BASE_URL}/sitemap.xml")), "{robots}");

    let feed = page(&tree, "feed.xml");
    assert!(feed.starts_with("<?xml"), "{feed}");
    assert!(feed.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""));
    assert!(feed.trim_end().ends_with("</feed>"));
    for (title, slug) in
        [("Thông báo tiếp nhận hồ sơ qua bưu chính", "tin-a"), ("Hướng dẫn nộp hồ sơ trực tuyến", "tin-b")]
    {
        assert!(feed.contains(&format!("<title>{title}</title>")), "{title} not in the feed");
        assert!(feed.contains(&format!("href=\"{BASE_URL}/tin-tuc/{slug}/\"")));
    }
    assert_eq!(count(&feed, "<entry>"), count(&feed, "</entry>"));
    assert!(count(&feed, "<entry>") >= 2);

    let not_found = page(&tree, "404.html");
    assert!(not_found.contains("<html"));
    // 404.html is served from any depth, so its links must start at the site's path.
    assert!(hrefs(&not_found).iter().any(|h| h.starts_with("/tthc/")), "404.html links are not rooted at /tthc/");
}

#[test]
fn notices_are_listed_newest_first() {
    let dir = rich_site();
    let tree = build_ok(dir.path());
    let list = page(&tree, "tin-tuc/index.html");
    let newer = list.find("Hướng dẫn nộp hồ sơ trực tuyến").unwrap();
    let older = list.find("Thông báo tiếp nhận hồ sơ qua bưu chính").unwrap();
    assert!(newer < older);
}

/// Contract §5: open data records carry the optional fields that were given.
#[test]
fn open_data_records_carry_the_optional_fields_given() {
    let dir = site(&[
        ("site.toml", SITE_TOML),
        (
            "content/procedures/day-du.md",
            &Proc::new("Đầy đủ", "1.000470")
                .extra(
                    "tier = \"Cấp tỉnh\"\n\
                     processing_time = \"05 ngày\"\n\
                     fee = \"Không\"\n\
                     submit_at = \"Trung tâm\"\n\
                     online_url = \"https://dvc.example.gov.vn/1\"\n\
                     decision = \"2820/QĐ-UBND\"\n\
                     decision_date = 2020-09-21\n\
                     updated = 2020-10-02\n\
                     keywords = [\"hợp chuẩn\", \"TCVN\"]\n\
                     applicants = \"Doanh nghiệp\"\n\
                     [[channels]]\n\
                     kind = \"direct\"\n\
                     fee = \"Không\"\n\
                     [extra]\n\
                     ma_cu = \"TTHC-01\"\n\
                     so_buoc = 3\n",
                )
                .md(),
        ),
        ("content/procedures/toi-thieu.md", &Proc::new("Tối thiểu", "1.000471").md()),
    ]);
    let tree = build_ok(dir.path());
    let data = open_data(&tree);
    let full = data.iter().find(|r| r["code"] == "1.000470").expect("the code is kept as written");
    assert_eq!(full["tier"], "Cấp tỉnh");
    assert_eq!(full["processing_time"], "05 ngày");
    assert_eq!(full["fee"], "Không");
    assert_eq!(full["submit_at"], "Trung tâm");
    assert_eq!(full["online_url"], "https://dvc.example.gov.vn/1");
    assert_eq!(full["decision"], "2820/QĐ-UBND");
    assert_eq!(full["decision_date"], "2020-09-21");
    assert_eq!(full["updated"], "2020-10-02");
    assert_eq!(full["keywords"], serde_json::json!(["hợp chuẩn", "TCVN"]));
    assert_eq!(full["applicants"], serde_json::json!(["Doanh nghiệp"]));
    assert_eq!(full["channels"][0]["kind"], "direct");
    assert_eq!(full["extra"]["ma_cu"], "TTHC-01");
    assert_eq!(full["extra"]["so_buoc"], 3);
    assert_eq!(full["status"], "active");
    let bare = data.iter().find(|r| r["code"] == "1.000471").unwrap();
    for key in ["code", "title", "path", "url", "field", "agency", "service_level", "postal", "status"] {
        assert!(bare.get(key).is_some(), "a record lacks {key}");
    }
    assert!(bare["code"].is_string() && bare["service_level"].is_string());
}

/// A build that fails while writing (here: an alias whose folder would sit
/// where a generated file is) must also leave the previous output as it was,
/// and no half-written folder behind.
#[test]
fn a_build_that_fails_while_writing_leaves_the_previous_output_untouched() {
    let dir = rich_site();
    let before = build_ok(dir.path());
    let everything = read_tree(dir.path());
    write_bytes(
        dir.path(),
        "content/procedures/nhom-1/tt-1.md",
        Proc::new("Bí danh lạ", "1.001").extra("aliases = [\"/sitemap.xml\"]").md().as_bytes(),
    );
    let out = build(dir.path());
    assert_ne!(out.status, 0, "an alias over sitemap.xml was accepted:\n{}", out.stdout);
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    assert_eq!(read_tree(&dir.path().join("public")), before);
    let mut now = read_tree(dir.path());
    now.retain(|k, _| !k.starts_with("content/"));
    let mut then = everything;
    then.retain(|k, _| !k.starts_with("content/"));
    assert_eq!(now, then, "the failed build left something behind");
}
