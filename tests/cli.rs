//! Contract §6: the command line itself: its commands, exit statuses for
//! wrong usage, and the `new` scaffolding command.

mod common;

use std::io::Read;
use std::process::{Command, Stdio};

use common::*;

fn small_site() -> tempfile::TempDir {
    site(&[
        ("site.toml", SITE_TOML),
        ("content/procedures/a.md", &Proc::new("Thủ tục A", "1").extra("updated = 2020-09-21").md()),
    ])
}

#[test]
fn wrong_usage_exits_with_status_2() {
    let dir = small_site();
    let root = dir.path().to_str().unwrap();
    for args in [
        vec![],
        vec!["bogus"],
        vec!["build", "--root", root, "--bogus"],
        vec!["report", "--root", root, "--format", "xml"],
        vec!["check", "--root", root, "extra"],
    ] {
        let out = run_in(dir.path(), &args);
        assert_eq!(out.status, 2, "niemyet {args:?}\n{}", out.stderr);
    }
    assert!(!dir.path().join("public").exists());
}

#[test]
fn help_and_version_exit_with_status_0() {
    let dir = tempfile::tempdir().unwrap();
    let help = run_in(dir.path(), &["--help"]);
    help.expect(0);
    for command in ["build", "check", "report"] {
        assert!(help.stdout.contains(command), "--help does not list {command}");
    }
    run_in(dir.path(), &["--version"]).expect(0);
    let build_help = run_in(dir.path(), &["build", "--help"]);
    build_help.expect(0);
    for option in ["--root", "--output", "--base-url", "--drafts"] {
        assert!(build_help.stdout.contains(option), "build --help lacks {option}");
    }
}

#[test]
fn a_successful_build_says_what_it_did() {
    let dir = small_site();
    let out = build(dir.path());
    out.expect(0);
    assert!(out.stderr.is_empty(), "a successful build printed to stderr: {}", out.stderr);
    assert!(!out.stdout.is_empty());
}

#[test]
fn content_errors_end_with_a_count_and_go_to_stderr() {
    let dir = small_site();
    write_bytes(dir.path(), "content/procedures/b.md", Proc::new("B", "2").postal("\"x\"").level("9").md().as_bytes());
    let out = check(dir.path());
    out.expect(1);
    assert!(out.stdout.is_empty(), "errors went to stdout: {}", out.stdout);
    assert!(out.stderr.contains("2 errors"), "{}", out.stderr);
}

/// A command whose output is piped into `head` must not panic when the
/// reader goes away.
#[test]
fn report_into_a_closed_pipe_does_not_panic() {
    let mut child = Command::new(bin())
        .args(["report", "--root"])
        .arg(repo_root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    let status = child.wait().unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_ne!(status.code(), Some(101));
}

/// Issue 10: when standard error is not a terminal (CI, a pipe, a log file),
/// a build and a check print exactly what they printed before progress was
/// shown: one line on stdout, nothing on stderr, no terminal control codes.
#[test]
fn without_a_terminal_build_and_check_print_one_line_and_no_progress() {
    let dir = small_site();
    let built = build(dir.path());
    built.expect(0);
    let output = dir.path().join("public");
    let expected_start = format!("Built 1 procedures, {} files into {} in ", file_count(&output), output.display());
    assert!(built.stdout.starts_with(&expected_start), "{}", built.stdout);
    assert!(built.stdout.ends_with(" s\n") && built.stdout.lines().count() == 1, "{:?}", built.stdout);
    let checked = check(dir.path());
    checked.expect(0);
    let besides_index = file_count(&output) - file_count(&output.join("tim-kiem/chi-muc"));
    let expected = format!("No errors: 1 procedures, {besides_index} files and the search index would be written\n");
    assert_eq!(checked.stdout, expected);
    for out in [&built, &checked] {
        assert_eq!(out.stderr, "", "stderr is not a terminal, yet something was drawn");
        assert!(!out.stdout.contains(['\r', '\u{1b}']), "{:?}", out.stdout);
    }
}

/// `check` does not make the search index, yet it judges a link into it as
/// a build does: a link to an index file is no broken link.
#[test]
fn check_and_build_agree_on_a_link_into_the_search_index() {
    let body = "[Chỉ mục](/tim-kiem/chi-muc/meta.json)\n";
    let dir = site(&[
        ("site.toml", SITE_TOML),
        ("content/procedures/a.md", &Proc::new("Thủ tục A", "1").extra("updated = 2020-09-21").body(body).md()),
    ]);
    let built = build(dir.path());
    built.expect(0);
    assert!(dir.path().join("public/tim-kiem/chi-muc/meta.json").is_file());
    let checked = check(dir.path());
    checked.expect(0);
    for out in [&built, &checked] {
        assert_eq!(out.stderr, "", "no warning: the index file exists");
    }
}

fn file_count(dir: &std::path::Path) -> usize {
    read_tree(dir).keys().filter(|k| !k.ends_with('/') && !k.contains(".niemyet-manifest")).count()
}

#[test]
fn timings_name_each_stage_with_its_seconds() {
    let dir = small_site();
    let built = run(dir.path(), "build", &["--timings"]);
    built.expect(0);
    let checked = run(dir.path(), "check", &["--timings"]);
    checked.expect(0);
    for (out, stages) in [
        (&built, vec!["load", "checks", "render", "search index", "write", "total"]),
        (&checked, vec!["load", "checks", "render", "total"]),
    ] {
        let lines: Vec<&str> = out.stderr.lines().filter(|l| !l.starts_with("kept as the last build")).collect();
        assert_eq!(lines[0], "Timings:", "{}", out.stderr);
        let named: Vec<&str> = lines[1..].iter().map(|l| l.trim().split(':').next().unwrap()).collect();
        assert_eq!(named, stages, "{}", out.stderr);
        for line in &lines[1..] {
            let (time, alongside) = line.split_once(", alongside ").unwrap_or((line, ""));
            let seconds = time.rsplit(": ").next().unwrap().strip_suffix(" s").unwrap();
            assert!(seconds.parse::<f64>().is_ok(), "{line}");
            let expected = if line.trim().starts_with("search index") { "render" } else { "" };
            assert_eq!(alongside, expected, "the search index is made alongside the pages: {line}");
        }
    }
    assert!(!checked.stderr.contains("write"), "check writes nothing");
    assert!(!checked.stderr.contains("search index"), "check makes no search index");
    let kept = built.stderr.lines().last().unwrap();
    assert!(kept.starts_with("kept as the last build made them") && kept.ends_with(" files"), "{}", built.stderr);
    let without = build(dir.path());
    assert!(!without.stderr.contains("Timings"), "timings are printed only when asked");
}
