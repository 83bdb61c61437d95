//! Contract §3: slugs made from field and agency names are kept short enough
//! for any file system, however long the name, and still unique.

mod common;

use common::*;

/// A Vietnamese name of exactly `chars` characters ending in `tail`.
fn long_name(chars: usize, tail: &str) -> String {
    let words = "Lĩnh vực tiêu chuẩn, đo lường, chất lượng sản phẩm hàng hóa và dịch vụ công ích ";
    let mut name: String = words.chars().cycle().take(chars - tail.chars().count()).collect();
    name.push_str(tail);
    assert_eq!(name.chars().count(), chars);
    name
}

#[test]
fn names_of_400_characters_build_with_short_unique_slugs() {
    let field_a = long_name(400, " một");
    let field_b = long_name(400, " hai");
    let agency_a = long_name(400, "Sở A").replace("Lĩnh vực", "Cơ quan ");
    let agency_b = long_name(400, "Sở B").replace("Lĩnh vực", "Cơ quan ");
    assert_eq!(agency_a.chars().count(), 400);
    let dir = site(&[
        ("site.toml", SITE_TOML),
        ("content/procedures/mot.md", &Proc::new("Thủ tục một", "1.1").field(&field_a).agency(&agency_a).md()),
        ("content/procedures/hai.md", &Proc::new("Thủ tục hai", "1.2").field(&field_b).agency(&agency_b).md()),
    ]);
    let tree = build_ok(dir.path());
    for (dir, a, b) in [("linh-vuc", &field_a, &field_b), ("co-quan", &agency_a, &agency_b)] {
        let slugs = subfolders(&tree, dir);
        assert_eq!(slugs.len(), 2, "two names that differ at the end share a page: {slugs:?}");
        for slug in &slugs {
            assert!(slug.len() <= 80, "/{dir}/{slug}/ is {} bytes long", slug.len());
            assert!(
                slug.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-'),
                "/{dir}/{slug}/ is not URL-safe"
            );
        }
        for (name, own) in [(a, "mot"), (b, "hai")] {
            let holder = slugs
                .iter()
                .find(|s| page(&tree, &format!("{dir}/{s}/index.html")).contains(name.as_str()))
                .unwrap_or_else(|| panic!("no /{dir}/ page shows the whole name"));
            let html = page(&tree, &format!("{dir}/{holder}/index.html"));
            assert_eq!(procedure_links(&html), [own.to_string()].into(), "/{dir}/{holder}/");
        }
    }
    let data = open_data(&tree);
    assert!(data.iter().any(|r| r["field"] == field_a.as_str()));
}

/// Slugs stay the same from one build to the next (they are addresses).
#[test]
fn long_name_slugs_are_stable_across_builds() {
    let field = long_name(400, " ba");
    let files = [
        ("site.toml".to_string(), SITE_TOML.to_string()),
        ("content/procedures/ba.md".to_string(), Proc::new("Thủ tục ba", "1.3").field(&field).md()),
    ];
    let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let one = site(&refs);
    let two = site(&refs);
    let a = subfolders(&build_ok(one.path()), "linh-vuc");
    let b = subfolders(&build_ok(two.path()), "linh-vuc");
    assert_eq!(a, b);
}
