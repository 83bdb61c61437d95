//! Issue 10, point 4: a rebuild keeps what did not change (the cache beside
//! the output), and its output is byte for byte what a clean build writes,
//! after every kind of change staff make.

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use common::*;

/// A site of 70 procedures (so the lists run over more than one page of
/// 50), two fields, two agencies, three levels, two notices and a page.
fn start_site() -> tempfile::TempDir {
    let dir = site(&[
        ("site.toml", SITE_TOML),
        ("content/_index.md", "Chào mừng.\n"),
        ("content/pages/gioi-thieu.md", "+++\ntitle = \"Giới thiệu\"\n+++\nTrang giới thiệu.\n"),
        ("content/notices/tin-a.md", &notice("Thông báo tiếp nhận hồ sơ", "2021-05-01", &["1.000", "1.001"])),
        ("content/notices/tin-b.md", &notice("Hướng dẫn nộp hồ sơ", "2021-06-01", &["1.002"])),
    ]);
    for i in 0..70 {
        write_procedure(dir.path(), &format!("thu-tuc-{i:03}"), &procedure(i));
    }
    dir
}

fn procedure(i: usize) -> Proc {
    Proc::new(&format!("Thủ tục thử số {i}"), &format!("1.{i:03}"))
        .field(["Tiêu chuẩn", "Đo lường"][i % 2])
        .agency(["Sở Khoa học và Công nghệ", "Chi cục TĐC"][i % 3 / 2])
        .level(if i.is_multiple_of(7) {
            "2"
        } else if i.is_multiple_of(5) {
            "3"
        } else {
            "4"
        })
        .extra("updated = 2021-01-01")
        .body(&format!("## Trình tự thực hiện\n\nBước {i}: nộp hồ sơ tại [trang giới thiệu](/gioi-thieu/).\n"))
}

fn write_procedure(root: &Path, name: &str, p: &Proc) {
    write_files(root, &[(&format!("content/procedures/{name}.md"), &p.md())]);
}

/// Builds `root` into its `public/` (a rebuild over the last one, with the
/// cache) and into a new empty folder (a clean build), and insists that both
/// succeed with the same warnings and the same files, byte for byte. Returns
/// how many files the rebuild kept from the last build.
#[track_caller]
fn rebuild_equals_clean(root: &Path, step: &str) -> usize {
    let incremental = run(root, "build", &["--timings"]);
    incremental.expect(0);
    let kept_line = incremental.stderr.lines().find(|l| l.starts_with("kept as the last build made them"));
    let kept: usize = kept_line
        .and_then(|l| l.rsplit(": ").next())
        .and_then(|l| l.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{step}: --timings says how many files were kept:\n{}", incremental.stderr));
    let cache = fs::metadata(root.join(".public.niemyet-cache")).expect("the cache is kept beside the output");
    assert_eq!(cache.permissions().mode() & 0o777, 0o600, "{step}: only its owner may read the cache");
    let clean_dir = tempfile::tempdir().unwrap();
    let clean_out = clean_dir.path().join("public");
    let clean = build_to(root, &clean_out);
    clean.expect(0);
    let warnings = |run: &Run| -> Vec<String> {
        run.stderr.lines().filter(|l| l.contains("warning")).map(str::to_string).collect()
    };
    assert_eq!(warnings(&incremental), warnings(&clean), "{step}: the same warnings");
    let (built, expected) = (read_tree(&root.join("public")), read_tree(&clean_out));
    let differ: Vec<&String> =
        built.keys().chain(expected.keys()).filter(|path| built.get(*path) != expected.get(*path)).collect();
    assert!(differ.is_empty(), "{step}: the rebuild differs from a clean build in {differ:?}");
    kept
}

/// The pages of a procedure's lists and its own page, and the search index,
/// are made again; what does not show the procedure is kept.
#[track_caller]
fn kept_most(kept: usize, step: &str) {
    assert!(kept > 60, "{step}: the pages that do not show the change are kept, but only {kept} were");
}

#[test]
fn a_rebuild_after_each_kind_of_change_equals_a_clean_build() {
    let dir = start_site();
    let root = dir.path();
    build(root).expect(0);
    kept_most(rebuild_equals_clean(root, "nothing changed"), "nothing changed");

    write_procedure(
        root,
        "thu-tuc-010",
        &procedure(10).body("## Trình tự thực hiện\n\nMột văn bản mới, sửa lại.\n").extra("fee = \"50.000 đồng\""),
    );
    kept_most(rebuild_equals_clean(root, "a body edited"), "a body edited");

    let mut renamed_title = procedure(11);
    renamed_title.title = "Cấp lại giấy chứng nhận (đổi tên)".into();
    write_procedure(root, "thu-tuc-011", &renamed_title);
    rebuild_equals_clean(root, "a title edited, moving it in sorted lists");

    write_procedure(root, "thu-tuc-moi-1", &procedure(70));
    write_procedure(root, "thu-tuc-moi-2", &procedure(71).field("Chất lượng"));
    rebuild_equals_clean(root, "two procedures added, one in a new field");

    write_procedure(root, "thu-tuc-nhap", &procedure(72).extra("draft = true"));
    kept_most(rebuild_equals_clean(root, "a draft added (kept in the cache, not published)"), "a draft added");
    write_procedure(root, "thu-tuc-nhap", &procedure(72));
    rebuild_equals_clean(root, "the draft published");

    fs::rename(root.join("content/procedures/thu-tuc-020.md"), root.join("content/procedures/ten-moi.md")).unwrap();
    rebuild_equals_clean(root, "a file renamed (a new address)");

    fs::remove_file(root.join("content/procedures/thu-tuc-030.md")).unwrap();
    fs::remove_file(root.join("content/procedures/thu-tuc-moi-2.md")).unwrap();
    rebuild_equals_clean(root, "procedures deleted, one the last of its field");

    write_procedure(root, "thu-tuc-014", &procedure(14).level("4"));
    write_procedure(root, "thu-tuc-040", &procedure(40).level("2").postal("false"));
    kept_most(rebuild_equals_clean(root, "level changes"), "level changes");

    let with_form = procedure(15).extra("[[forms]]\nname = \"Tờ khai\"\nfile = \"mau-don/to-khai.pdf\"");
    write_bytes(root, "static/mau-don/to-khai.pdf", b"%PDF-1.4\n%%EOF\n");
    write_procedure(root, "thu-tuc-015", &with_form);
    kept_most(rebuild_equals_clean(root, "a form added"), "a form added");
    write_bytes(root, "static/mau-don/to-khai.pdf", &[b'x'; 45_000]);
    kept_most(rebuild_equals_clean(root, "a form's file replaced by a larger one"), "a form's file replaced");

    write_files(
        root,
        &[
            ("content/notices/tin-a.md", &notice("Thông báo mới về hồ sơ", "2021-07-01", &["1.000", "1.005"])),
            ("content/notices/tin-c.md", &notice("Tin thứ ba", "2021-08-01", &["1.040"])),
        ],
    );
    rebuild_equals_clean(root, "a notice changed and one added");

    write_files(root, &[("content/pages/gioi-thieu.md", "+++\ntitle = \"Về chúng tôi\"\n+++\nĐã sửa.\n")]);
    rebuild_equals_clean(root, "a plain page changed (in every footer)");

    let site_toml = SITE_TOML.replace("Thủ tục hành chính thử nghiệm", "Thủ tục hành chính (tên mới)");
    write_files(root, &[("site.toml", &site_toml)]);
    assert_eq!(rebuild_equals_clean(root, "site.toml changed"), 0, "site.toml changed: nothing is kept");

    write_files(root, &[("themes/default/i18n/vi.toml", "nav_home = \"Trang đầu\"\n")]);
    rebuild_equals_clean(root, "the theme's strings changed");

    let base = fs::read_to_string(repo_root().join("themes/default/templates/base.html")).unwrap();
    write_files(root, &[("themes/default/templates/base.html", &base.replace("</body>", "<!-- sửa -->\n</body>"))]);
    assert_eq!(rebuild_equals_clean(root, "a theme template changed"), 0, "a template changed: nothing is kept");

    write_procedure(root, "thu-tuc-050", &procedure(50).body("Liên kết hỏng: [x](/khong-co/).\n"));
    rebuild_equals_clean(root, "a link that leads nowhere");
    kept_most(rebuild_equals_clean(root, "nothing changed at the end"), "nothing changed at the end");
}

#[test]
fn a_page_edited_by_hand_in_the_output_is_written_again() {
    let dir = start_site();
    let root = dir.path();
    build(root).expect(0);
    let page = root.join("public/thu-tuc/thu-tuc-005/index.html");
    let before = fs::read(&page).unwrap();
    fs::write(&page, "sửa tay").unwrap();
    build(root).expect(0);
    assert_eq!(fs::read(&page).unwrap(), before);
}

/// Once the output's folders are two seconds old, a build trusts the stamps
/// the last one left of those it did not write into, and does not read them
/// again; still, a stranger file added to one of them stops the build, and
/// a page edited by hand or removed is written again.
#[test]
fn the_output_is_checked_as_closely_when_its_folders_are_trusted() {
    let dir = start_site();
    let root = dir.path();
    let out = root.join("public");
    build(root).expect(0);
    std::thread::sleep(std::time::Duration::from_millis(2100));
    build(root).expect(0);
    let clean = read_tree(&out);

    fs::write(out.join("thu-tuc/thu-tuc-003/ghi-chu.txt"), "của tôi").unwrap();
    let refused = build(root);
    refused.expect(2);
    assert!(refused.stderr.contains("thu-tuc/thu-tuc-003/ghi-chu.txt"), "{}", refused.stderr);
    fs::remove_file(out.join("thu-tuc/thu-tuc-003/ghi-chu.txt")).unwrap();

    fs::create_dir(out.join("linh-vuc/do-luong/cua-toi")).unwrap();
    fs::write(out.join("linh-vuc/do-luong/cua-toi/a.txt"), "của tôi").unwrap();
    let refused = build(root);
    refused.expect(2);
    assert!(refused.stderr.contains("linh-vuc/do-luong/cua-toi/a.txt"), "{}", refused.stderr);
    fs::remove_dir_all(out.join("linh-vuc/do-luong/cua-toi")).unwrap();

    fs::write(out.join("thu-tuc/thu-tuc-005/index.html"), "sửa tay").unwrap();
    fs::remove_file(out.join("thu-tuc/thu-tuc-006/index.html")).unwrap();
    build(root).expect(0);
    assert_eq!(read_tree(&out), clean, "the page edited by hand and the one removed are written again");
}

/// In CI the site is checked out afresh (every file with new times) and the
/// output and its cache are restored as `actions/cache` archives them, with
/// `tar --posix` (times kept, inodes new): the rebuild is a clean build's
/// twin, and a stranger file in a restored folder still stops it.
#[test]
fn a_site_checked_out_afresh_over_an_output_restored_as_ci_does_rebuilds_as_a_clean_build() {
    let dir = start_site();
    let root = dir.path();
    build(root).expect(0);
    std::thread::sleep(std::time::Duration::from_millis(2100));
    build(root).expect(0);

    let ci = tempfile::tempdir().unwrap();
    let shell = |script: &str| {
        let status = std::process::Command::new("sh").args(["-c", script]).status().unwrap();
        assert!(status.success(), "{script}");
    };
    shell(&format!(
        "cp -r '{site}/content' '{site}/site.toml' '{ci}/' && cd '{site}' && tar --posix -cf - public .public.niemyet-cache | tar -xf - -C '{ci}'",
        site = root.display(),
        ci = ci.path().display()
    ));
    let restored = ci.path();
    write_procedure(restored, "thu-tuc-010", &procedure(10).body("## Trình tự thực hiện\n\nSửa trong CI.\n"));
    kept_most(rebuild_equals_clean(restored, "one file edited in CI"), "one file edited in CI");

    fs::write(restored.join("public/thu-tuc/thu-tuc-003/ghi-chu.txt"), "của tôi").unwrap();
    let refused = build(restored);
    refused.expect(2);
    assert!(refused.stderr.contains("thu-tuc/thu-tuc-003/ghi-chu.txt"), "{}", refused.stderr);
}

/// A list item links to its field's and its agency's pages, whose addresses
/// other procedures can change while its own file stays as it was: a new
/// field named "Đo Lường" sorts before "Đo lường" and takes its address,
/// `linh-vuc/do-luong/`, and "Đo lường" moves to one with a hash; the same
/// for a new agency "CHI CỤC TĐC". Every list then shows the new addresses.
#[test]
fn a_new_field_or_agency_that_takes_an_older_ones_address_moves_its_items() {
    let dir = start_site();
    let root = dir.path();
    build(root).expect(0);
    write_procedure(root, "thu-tuc-070", &procedure(70).field("Đo Lường").agency("CHI CỤC TĐC"));
    rebuild_equals_clean(root, "a field and an agency that take older ones' addresses");
    let tree = read_tree(&root.join("public"));
    for (list, moved) in [("linh-vuc", "do-luong-"), ("co-quan", "chi-cuc-tdc-")] {
        assert!(
            tree.keys().any(|path| path.starts_with(&format!("{list}/{moved}"))),
            "the older {list} page moved to an address with a hash"
        );
    }
}

/// The cache is written while the pages are made: a build that then fails
/// (here a theme's template calls a filter that does not exist, which only
/// rendering finds) leaves the output and the cache as the last build wrote
/// them, and nothing else beside them.
#[test]
fn a_build_that_fails_while_making_pages_leaves_the_output_and_the_cache_as_they_were() {
    let dir = start_site();
    let root = dir.path();
    build(root).expect(0);
    write_procedure(root, "thu-tuc-004", &procedure(4).body("Đã sửa.\n"));
    let before = read_tree(root);
    write_files(
        root,
        &[(
            "themes/default/templates/404.html",
            "{% extends \"base.html\" %}\n{% block main %}{{ 1 | khong_co }}{% endblock %}\n",
        )],
    );
    let failed = build(root);
    failed.expect(1);
    assert!(failed.stderr.contains("themes/default/templates/404.html:"), "{}", failed.stderr);
    let mut after = read_tree(root);
    after.retain(|path, _| !path.starts_with("themes/"));
    let changed: Vec<&String> =
        before.keys().chain(after.keys()).filter(|path| before.get(*path) != after.get(*path)).collect();
    assert!(changed.is_empty(), "the failed build changed {changed:?}");
}

#[test]
fn a_cache_beside_another_output_is_not_used() {
    let dir = start_site();
    let root = dir.path();
    build(root).expect(0);
    let cache = fs::read(root.join(".public.niemyet-cache")).unwrap();
    fs::remove_dir_all(root.join("public")).unwrap();
    write_procedure(root, "thu-tuc-003", &procedure(3).body("Đã sửa.\n"));
    build(root).expect(0);
    fs::write(root.join(".public.niemyet-cache"), cache).unwrap();
    let clean_dir = tempfile::tempdir().unwrap();
    build_to(root, &clean_dir.path().join("public")).expect(0);
    build(root).expect(0);
    assert_eq!(read_tree(&root.join("public")), read_tree(&clean_dir.path().join("public")));
}

#[test]
fn a_damaged_cache_is_not_used() {
    let dir = start_site();
    let root = dir.path();
    build(root).expect(0);
    let cache = fs::read(root.join(".public.niemyet-cache")).unwrap();
    let old_json = b"{\"format\":1,\"niemyet\":\"0.1.0\",\"units\":{}}".to_vec();
    let damaged = [
        ("cut short", cache[..cache.len() / 2].to_vec()),
        ("its last byte cut", cache[..cache.len() - 1].to_vec()),
        ("an older cache, in JSON", old_json),
    ];
    for (what, damaged) in damaged {
        write_procedure(root, "thu-tuc-005", &procedure(5).body(&format!("Sửa lại ({what}).\n")));
        fs::write(root.join(".public.niemyet-cache"), damaged).unwrap();
        rebuild_equals_clean(root, what);
    }
}

#[test]
fn a_cache_written_by_another_build_of_niemyet_is_not_used() {
    let dir = start_site();
    let root = dir.path();
    build(root).expect(0);
    assert!(rebuild_equals_clean(root, "nothing changed") > 60, "this build's own cache is used");
    let file = root.join(".public.niemyet-cache");
    let mut cache = fs::read(&file).unwrap();
    let build_id = niemyet::cache::BUILD.as_bytes();
    let at =
        cache.windows(build_id.len()).position(|w| w == build_id).expect("the cache names the build that wrote it");
    cache[at + build_id.len() - 1] ^= 1;
    fs::write(&file, cache).unwrap();
    assert_eq!(rebuild_equals_clean(root, "another build's cache"), 0, "nothing is kept from another build's cache");
}

/// The procedures the last build parsed are taken back from the cache, unread
/// while their files keep their size and times, with their warnings: an edit
/// that keeps the size is still seen, and a site.toml that reads the files
/// differently has them parsed again.
#[test]
fn parsed_procedures_are_taken_back_only_while_their_files_and_site_toml_are_unchanged() {
    let dir = start_site();
    let root = dir.path();
    // Files two seconds old are stamped; newer ones are read again each time.
    std::thread::sleep(std::time::Duration::from_millis(2100));
    build(root).expect(0);
    assert!(rebuild_equals_clean(root, "nothing changed, every file stamped") > 60);

    let mut same_size = procedure(5);
    same_size.title = "Thủ tục thử số X".into();
    assert_eq!(same_size.md().len(), procedure(5).md().len());
    write_procedure(root, "thu-tuc-005", &same_size);
    kept_most(rebuild_equals_clean(root, "a title edited, the file the same size"), "same size");
    let built = read_tree(&root.join("public"));
    assert!(
        built.values().any(|page| String::from_utf8_lossy(page).contains("Thủ tục thử số X")),
        "the edit is on the site"
    );

    let mut undated = procedure(7);
    undated.extra.clear();
    write_procedure(root, "thu-tuc-007", &undated);
    rebuild_equals_clean(root, "a procedure that does not say when it was updated");
    std::thread::sleep(std::time::Duration::from_millis(2100));
    run(root, "build", &[]).expect(0);
    let unread = run(root, "build", &[]);
    assert!(unread.stderr.contains("1 warning"), "its warning is kept with it:\n{}", unread.stderr);

    let without_level_2 = SITE_TOML.replace("id = \"2\"\nname = \"Mức độ 2\"", "id = \"9\"\nname = \"Mức độ 9\"");
    write_files(root, &[("site.toml", &without_level_2)]);
    let failed = build(root);
    failed.expect(1);
    assert!(
        failed.stderr.contains("content/procedures/thu-tuc-000.md:"),
        "the procedures at level 2 are read again against the new levels:\n{}",
        failed.stderr
    );
}

/// A body edited alone makes again its own page, the search index's
/// `meta.json` and the index shards that hold its changed terms; the open
/// data and the index's other files, made from front matter or other
/// terms, are kept.
#[test]
fn a_body_edit_makes_again_only_what_shows_the_body() {
    let dir = start_site();
    let root = dir.path();
    build(root).expect(0);
    let count = |folder: &str, starts: &[&str]| {
        let tree = read_tree(&root.join(folder));
        tree.keys().filter(|path| !path.ends_with('/') && starts.iter().any(|s| path.starts_with(s))).count()
    };
    let files = count("public", &[""]) - 1;
    let always_made = count("public", &["robots.txt", "feed.xml", "sitemap", "assets/"]);
    assert_eq!(files - rebuild_equals_clean(root, "nothing changed"), always_made, "only what is cheap is made again");

    let same_words = "## Trình tự thực hiện\n\n**Bước 12**: nộp hồ sơ tại [trang giới thiệu](/gioi-thieu/).\n";
    write_procedure(root, "thu-tuc-012", &procedure(12).body(same_words));
    let made = files - rebuild_equals_clean(root, "the body's formatting edited, its words the same");
    assert_eq!(made, always_made + 2, "its page and meta.json are made again, no shard or open data file");

    let new_word = "## Trình tự thực hiện\n\n**Bước 12**: nộp hồ sơ tại [trang giới thiệu](/gioi-thieu/), xyzabc.\n";
    write_procedure(root, "thu-tuc-012", &procedure(12).body(new_word));
    let made = files + 1 - rebuild_equals_clean(root, "a new word in the body");
    assert_eq!(made, always_made + 3, "the new word's shard is made, the others kept");
}
