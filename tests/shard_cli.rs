//! `check --shard K/N`: shards are disjoint, cover the corpus, and their outputs merged (JSON
//! lines sorted by path) equal the single-process output. `cache merge` combines worker caches.
//! `run --shard K/N --report-pages always` writes each shard's report in pages, and
//! `report merge` over them gives the single run's report.jsonl, in pages or on one page.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use common::transmend;

/// About 30 small zh/en documents with errors in nested folders, and one unreadable file.
fn corpus(root: &Path) {
    let zh = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/scg-statement-leaked-report.zh.txt"),
    )
    .unwrap();
    let en = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/law-nec-elections-motion-2020.en.txt"),
    )
    .unwrap();
    let zh_paras: Vec<&str> = zh.split("\n\n").collect();
    let en_paras: Vec<&str> = en.split("\n\n").collect();
    for i in 0..30 {
        let dir = root
            .join(format!("batch{}", i % 4))
            .join(format!("sub{}", i % 3));
        fs::create_dir_all(&dir).unwrap();
        let (name, text) = if i % 3 == 0 {
            (
                format!("motion-{i}.en.txt"),
                en_paras[i % en_paras.len()..].join("\n\n"),
            )
        } else {
            (
                format!("repost-{i}.zh.txt"),
                zh_paras[i % zh_paras.len()..].join("\n\n"),
            )
        };
        fs::write(dir.join(name), text).unwrap();
    }
    fs::write(root.join("batch0/binary.txt"), b"\0\x01\x02junk\0\0\x03").unwrap();
}

fn check(root: &Path, shard: Option<&str>) -> Vec<String> {
    let mut cmd = transmend();
    cmd.args(["check", "--format", "json"]).arg(root);
    if let Some(shard) = shard {
        cmd.args(["--shard", shard]);
    }
    let out = cmd.output().unwrap();
    assert!(
        matches!(out.status.code(), Some(0..=2)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The document lines, as written (the opening and closing lines are the run's own).
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("{\"path\""))
        .map(str::to_string)
        .collect()
}

fn path_of(line: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(line).unwrap();
    v["path"].as_str().unwrap().to_string()
}

#[test]
fn three_shards_are_disjoint_and_merge_to_the_single_process_report() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path());
    let single = check(dir.path(), None);
    assert_eq!(single.len(), 31, "30 documents and one refused file");
    let mut seen = BTreeSet::new();
    let mut merged = Vec::new();
    for k in 0..3 {
        let lines = check(dir.path(), Some(&format!("{k}/3")));
        for line in &lines {
            assert!(seen.insert(path_of(line)), "{line} is in two shards");
        }
        merged.extend(lines);
    }
    // The merge step: concatenate the shards' JSON lines and sort them by path.
    merged.sort_by_key(|l| path_of(l));
    let mut expected = single.clone();
    expected.sort_by_key(|l| path_of(l));
    assert_eq!(merged, expected);
}

#[test]
fn shard_of_a_document_does_not_depend_on_where_the_corpus_lives() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    corpus(a.path());
    corpus(b.path());
    let names = |root: &Path, lines: Vec<String>| -> BTreeSet<String> {
        lines
            .iter()
            .map(|l| {
                let p = path_of(l);
                Path::new(&p)
                    .strip_prefix(root)
                    .unwrap()
                    .display()
                    .to_string()
            })
            .collect()
    };
    let in_a = names(a.path(), check(a.path(), Some("1/3")));
    let in_b = names(b.path(), check(b.path(), Some("1/3")));
    assert!(!in_a.is_empty());
    assert_eq!(in_a, in_b);
}

#[test]
fn bad_shard_specs_are_usage_errors() {
    for bad in ["3/3", "1", "a/2", "0/0"] {
        let out = transmend()
            .args(["check", "corpus", "--shard", bad])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad}");
    }
}

/// `transmend run` over `corpus` into `out` with `args`; it must not fail as a whole.
fn run_into(corpus: &Path, out: &Path, args: &[&str]) {
    let o = transmend()
        .args(["run", "-q"])
        .arg(corpus)
        .arg("--out")
        .arg(out)
        .args(args)
        .output()
        .unwrap();
    assert!(
        matches!(o.status.code(), Some(0..=2)),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(out.join("report.html").is_file() || out.read_dir().unwrap().count() > 0);
}

/// The `.js` files of a pages folder.
fn page_count(folder: &Path) -> usize {
    fs::read_dir(folder)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "js")
        })
        .count()
}

#[test]
fn sharded_runs_in_pages_merge_into_the_single_run_report() {
    let dir = tempfile::tempdir().unwrap();
    let corpus_dir = dir.path().join("c");
    corpus(&corpus_dir);
    let pages = ["--report-pages", "always"];
    run_into(&corpus_dir, &dir.path().join("all"), &pages);
    assert_eq!(page_count(&dir.path().join("all/report")), 31);
    let shards = dir.path().join("shards");
    let mut documents = 0;
    for k in 0..3 {
        let spec = format!("{k}/3");
        run_into(
            &corpus_dir,
            &shards,
            &[pages[0], pages[1], "--shard", &spec],
        );
        let label = format!("report.{k}-of-3");
        let lines = fs::read_to_string(shards.join(format!("{label}.jsonl"))).unwrap();
        let here = lines.lines().filter(|l| l.starts_with("{\"path\"")).count();
        assert_eq!(
            page_count(&shards.join(&label)),
            here,
            "{label}: a page per line"
        );
        assert!(
            fs::read_to_string(shards.join(format!("{label}.html")))
                .unwrap()
                .contains(&format!("data-page=\"{label}/000000.js\"")),
            "{label}: the index names its own folder"
        );
        documents += here;
    }
    assert_eq!(documents, 31, "the shards cover the corpus");
    for (layout, pages_expected) in [("always", true), ("never", false)] {
        let merged = dir.path().join(format!("merged-{layout}"));
        let o = transmend()
            .args(["report", "merge"])
            .arg(&shards)
            .arg("--out")
            .arg(&merged)
            .args(["--report-pages", layout])
            .output()
            .unwrap();
        assert_eq!(
            o.status.code(),
            Some(2),
            "the unreadable file: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert_eq!(
            fs::read_to_string(merged.join("report.jsonl")).unwrap(),
            fs::read_to_string(dir.path().join("all/report.jsonl")).unwrap(),
            "{layout}"
        );
        let html = fs::read_to_string(merged.join("report.html")).unwrap();
        if pages_expected {
            assert_eq!(page_count(&merged.join("report")), 31);
            assert_eq!(
                html.matches("<section class=\"document pending\"").count(),
                31
            );
        } else {
            assert!(!merged.join("report").exists());
            assert_eq!(html.matches("<section class=\"document\"").count(), 31);
        }
    }
}
