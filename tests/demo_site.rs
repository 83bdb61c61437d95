//! Contract §9: the repository is itself the demo site, and it reproduces the
//! seed report's figures: 18 procedures, all at level 3 or higher, 6 at level
//! 4 (33,33%), 17 through the postal service both ways and 1 not at all.
//!
//! The demo is always built with `--output` into a temporary folder, never
//! into the repository's own public/.

mod common;

use common::*;
use serde_json::Value;

fn build_demo() -> (tempfile::TempDir, Tree) {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("public");
    build_to(&repo_root(), &target).expect(0);
    let tree = read_tree(&target);
    (out, tree)
}

#[test]
fn the_demo_site_builds() {
    let (_out, tree) = build_demo();
    let data = open_data(&tree);
    assert_eq!(data.len(), 18, "the demo has 18 procedures");
    for record in &data {
        let path = record["path"].as_str().unwrap();
        let file = format!("{}index.html", path.trim_start_matches('/'));
        assert!(tree.contains_key(&file), "no page for {path}");
        assert!(record["url"].as_str().unwrap().ends_with(path));
    }
    assert!(page(&tree, "index.html").contains("18"));
}

#[test]
fn the_demo_report_gives_the_seed_figures() {
    let out = run(&repo_root(), "report", &[]);
    out.expect(0);
    for figure in ["18", "18/18", "6/18 (33,33%)", "17/18", "1/18"] {
        assert!(out.stdout.contains(figure), "report lacks {figure}:\n{}", out.stdout);
    }
}

#[test]
fn the_demo_report_json_gives_the_seed_figures() {
    let out = run(&repo_root(), "report", &["--format", "json"]);
    out.expect(0);
    let stats: Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(stats["total"], 18);
    let level = |id: &str| {
        stats["levels"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["id"] == id)
            .unwrap_or_else(|| panic!("no level {id}"))
            .clone()
    };
    assert_eq!(level("4")["count"], 6);
    assert_eq!(level("4")["share"].as_f64().unwrap(), 33.33);
    assert_eq!(level("3")["at_or_above"], 18);
    let postal = |mode: &str| {
        stats["postal"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["mode"] == mode)
            .unwrap_or_else(|| panic!("no postal mode {mode}"))["count"]
            .clone()
    };
    assert_eq!(postal("both"), 17);
    assert_eq!(postal("none"), 1);
    assert_eq!(stats["postal_any"], 17);
}

#[test]
fn the_demo_statistics_page_gives_the_seed_figures() {
    let (_out, tree) = build_demo();
    let html = page(&tree, "thong-ke/index.html");
    for figure in ["18/18", "6/18", "33,33%", "17/18", "1/18"] {
        assert!(html.contains(figure), "/thong-ke/ lacks {figure}");
    }
}

#[test]
fn the_demo_check_passes_and_writes_nothing() {
    let root = repo_root();
    let public = root.join("public");
    let existed = public.exists();
    let out = check(&root);
    out.expect(0);
    assert_eq!(public.exists(), existed, "check created or removed public/");
}

#[test]
fn the_demo_statistics_are_drawn_as_labelled_bar_charts() {
    let (_out, tree) = build_demo();
    let html = page(&tree, "thong-ke/index.html");
    let charts: Vec<&str> =
        html.split("<svg class=\"bars\" role=\"img\"").skip(1).map(|c| c.split("</svg>").next().unwrap()).collect();
    assert_eq!(charts.len(), 3, "one chart each for levels, postal modes and fields");
    for chart in &charts {
        let id = chart.split("aria-labelledby=\"").nth(1).unwrap().split('"').next().unwrap();
        assert!(html.contains(&format!("<figcaption id=\"{id}\">")), "the chart labelled by {id} has no caption");
    }
    // Levels: 12 and 6 of 18; postal: 17 both, 1 none (no bar drawn for 0).
    assert!(charts[0].contains("width=\"66.67%\"") && charts[0].contains("width=\"33.33%\""), "{}", charts[0]);
    assert!(charts[0].contains(">12 (66,67%)<"), "{}", charts[0]);
    assert!(charts[1].contains("width=\"94.44%\"") && charts[1].contains("width=\"5.56%\""), "{}", charts[1]);
    assert_eq!(charts[1].matches("class=\"bar\"").count(), 2, "{}", charts[1]);
    assert!(charts[2].contains("width=\"100.0%\"") || charts[2].contains("width=\"100%\""), "{}", charts[2]);
    // The figures stay in tables too, for screen readers and copying.
    assert_eq!(html.matches("<table class=\"stats\">").count(), 3);
}
