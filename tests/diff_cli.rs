//! `transmend diff`: the real binary on an original and its repaired copy: inline plain diff
//! with line numbers when piped, the HTML page with causes from a report, and escaping.

#![allow(clippy::unwrap_used)]

mod common;

use std::fs;
use std::path::Path;

use common::transmend;

fn text(out: &[u8]) -> String {
    String::from_utf8_lossy(out).into_owned()
}

const ORIGINAL: &str = "来自社会主义运动小组的声明\n\n我们是劳动派对的国家竞选协调员。\nIan Lvery&Jon Trickett\n它是通过消息运行的 透露 在昨天在线找到了泄露的文件。\n<script>alert('x')</script> & 结尾\n";

/// Writes the original, a `check --format json` report of it, and its `fix --out` copy.
fn setup(dir: &Path) {
    fs::write(dir.join("a.txt"), ORIGINAL).unwrap();
    let glossary = Path::new(env!("CARGO_MANIFEST_DIR")).join("glossary/labour.csv");
    let report = transmend()
        .current_dir(dir)
        .arg("--glossary")
        .arg(&glossary)
        .args(["check", "--format", "json", "a.txt"])
        .output()
        .unwrap();
    fs::write(dir.join("report.jsonl"), &report.stdout).unwrap();
    let fixed = transmend()
        .current_dir(dir)
        .arg("--glossary")
        .arg(&glossary)
        .args(["fix", "a.txt", "--out", "fixed"])
        .output()
        .unwrap();
    assert!(fixed.status.success(), "{}", text(&fixed.stderr));
}

#[test]
fn plain_inline_diff_with_line_numbers_when_piped() {
    let dir = tempfile::tempdir().unwrap();
    setup(dir.path());
    let out = transmend()
        .current_dir(dir.path())
        .args(["diff", "a.txt", "fixed/a.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "different files exit 1");
    let shown = text(&out.stdout);
    assert!(!shown.contains('\x1b'), "no colour when piped: {shown}");
    assert!(
        shown.contains("3 3 │ 我们是[-劳动派对-]{+工党+}的国家竞选协调员。"),
        "{shown}"
    );
    assert!(
        shown.contains("4 4 │ Ian [-Lvery-]{+Lavery+}&Jon Trickett"),
        "{shown}"
    );
    assert!(
        shown.contains("5 5 │ 它是通过消息运行的[- -]透露[- -]在昨天"),
        "{shown}"
    );
    assert!(
        !shown.contains("1 1 │"),
        "unchanged lines are not shown: {shown}"
    );

    // With a report, each change says why.
    let out = transmend()
        .current_dir(dir.path())
        .args([
            "diff",
            "a.txt",
            "fixed/a.txt",
            "--report",
            "report.jsonl",
            "--no-color",
        ])
        .output()
        .unwrap();
    let shown = text(&out.stdout);
    assert!(
        shown.contains("↳ deprecated-term: '劳动派对' is a known mistranslation"),
        "{shown}"
    );
    assert!(shown.contains("↳ misspelled-term: 'Ian Lvery'"), "{shown}");

    let same = transmend()
        .current_dir(dir.path())
        .args(["diff", "a.txt", "a.txt"])
        .output()
        .unwrap();
    assert_eq!(same.status.code(), Some(0));
}

#[test]
fn html_page_is_self_contained_escaped_and_shows_causes() {
    let dir = tempfile::tempdir().unwrap();
    setup(dir.path());
    let out = transmend()
        .current_dir(dir.path())
        .args([
            "diff",
            "a.txt",
            "fixed/a.txt",
            "--html",
            "review.html",
            "--report",
            "report.jsonl",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let html = fs::read_to_string(dir.path().join("review.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.contains("<script"), "document text is escaped");
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; 结尾"));
    for external in ["src=", "href=", "http://", "https://", "@import"] {
        assert!(!html.contains(external), "self-contained: {external}");
    }
    assert!(
        html.contains("<del title=\"deprecated-term: &#39;劳动派对&#39; is a known mistranslation")
    );
    assert!(html.contains(">劳动派对</del>") && html.contains("<ins"));
    assert!(html.contains("<span class=\"rule\">misspelled-term</span>"));
    assert!(html.contains(">Lvery</del>") && html.contains(">Lavery</ins>"));

    let bad = transmend()
        .current_dir(dir.path())
        .args([
            "diff",
            "a.txt",
            "fixed/a.txt",
            "--report",
            "a.txt",
            "--no-color",
        ])
        .output()
        .unwrap();
    assert_eq!(
        bad.status.code(),
        Some(2),
        "an unreadable report is an error"
    );
    assert!(text(&bad.stderr).contains("not a transmend report line"));
}
