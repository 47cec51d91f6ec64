//! The reviewer's command line, run from a folder outside the repository: `run` embeds the
//! review data in report.html; decisions made from it go through `apply` into the original
//! files (encoding, line endings and markup kept, byte for byte what was decided); stale
//! decisions are refused with nothing written; rejections for a document or everywhere go
//! into `.transmend-ignore`, which `check`, `fix` and `run` honour and `ignore list|remove`
//! manage; `run --decisions` shows earlier decisions again.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::{Value, json};

const SEED: &str = "corpus/scg-statement-leaked-report.zh.txt";

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

use common::in_dir;

fn ok(out: &Output) -> String {
    assert!(
        out.status.code() != Some(2),
        "failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The review data `run` embedded in `out/report.html`.
fn page_data(report_html: &Path) -> Value {
    let html = std::fs::read_to_string(report_html).unwrap();
    let open = "<script type=\"application/json\" id=\"transmend-review\">";
    let start = html.find(open).expect("the page embeds its review data") + open.len();
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).unwrap()
}

/// A corpus folder in a fresh temp dir with these files (name, bytes); `run` over it.
fn corpus_run(files: &[(&str, Vec<u8>)]) -> (tempfile::TempDir, Value) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("corpus")).unwrap();
    for (name, bytes) in files {
        std::fs::write(dir.path().join("corpus").join(name), bytes).unwrap();
    }
    ok(&in_dir(
        dir.path(),
        &["run", "-q", "corpus", "--out", "out"],
    ));
    let data = page_data(&dir.path().join("out/report.html"));
    (dir, data)
}

fn document<'a>(data: &'a Value, name: &str) -> &'a Value {
    data["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["path"].as_str().unwrap().ends_with(name))
        .unwrap_or_else(|| panic!("no {name} in the page data"))
}

/// A decision about a flag of the page data, as the page exports it.
fn decision(flag: &Value, action: &str) -> Value {
    let mut d = json!({
        "fingerprint": flag["fingerprint"], "rule": flag["rule"], "concept": flag["concept"],
        "start": flag["start"], "end": flag["end"], "line": flag["line"],
        "column": flag["column"], "text_span": flag["text_span"], "text": flag["text"],
        "action": action,
    });
    if d["concept"].is_null() {
        d.as_object_mut().unwrap().remove("concept");
    }
    d
}

fn decisions_file(dir: &Path, documents: Vec<Value>) -> PathBuf {
    let path = dir.join("decisions.json");
    let json = json!({"transmend_decisions": 1, "documents": documents});
    std::fs::write(&path, serde_json::to_string_pretty(&json).unwrap()).unwrap();
    path
}

/// The document's text with these (text byte span, replacement) changes made.
fn expected(text: &str, mut changes: Vec<([usize; 2], String)>) -> String {
    changes.sort_by_key(|(s, _)| std::cmp::Reverse(s[0]));
    let mut out = text.to_string();
    for ([s, e], r) in changes {
        out.replace_range(s..e, &r);
    }
    out
}

fn span(flag: &Value) -> [usize; 2] {
    [
        flag["text_span"][0].as_u64().unwrap() as usize,
        flag["text_span"][1].as_u64().unwrap() as usize,
    ]
}

#[test]
fn decisions_apply_byte_for_byte_in_the_files_own_encoding_and_line_endings() {
    let seed = std::fs::read_to_string(repo(SEED)).unwrap();
    // The same repost saved as GBK with Windows line endings.
    let crlf = seed.replace('\n', "\r\n");
    let (gbk, _, _) = encoding_rs::GBK.encode(&crlf);
    let (dir, data) = corpus_run(&[
        ("seed.zh.txt", seed.clone().into_bytes()),
        ("windows.zh.txt", gbk.to_vec()),
    ]);

    let mut documents = Vec::new();
    let mut wanted = Vec::new();
    for name in ["seed.zh.txt", "windows.zh.txt"] {
        let doc = document(&data, name);
        let flags = doc["flags"].as_array().unwrap();
        assert!(flags.len() > 20, "the seed has many flags");
        assert!(
            flags
                .iter()
                .all(|f| f["fingerprint"].as_str().unwrap().len() == 16),
            "every flag has a fingerprint"
        );
        let mut decided = Vec::new();
        let mut changes = Vec::new();
        let mut rejected = None;
        let mut edited = false;
        for f in flags {
            match f["suggestion"].as_str() {
                // One rejection of a deprecated form, one edit, the rest accepted.
                Some(_) if rejected.is_none() && f["rule"] == "deprecated-term" => {
                    let mut d = decision(f, "reject");
                    d["scope"] = json!("occurrence");
                    rejected = Some(f["text"].as_str().unwrap().to_string());
                    decided.push(d);
                }
                Some(_) if !edited && f["text"] == "Ian Lvery" => {
                    let mut d = decision(f, "edit");
                    d["replacement"] = json!("伊恩·莱弗里");
                    changes.push((span(f), "伊恩·莱弗里".to_string()));
                    edited = true;
                    decided.push(d);
                }
                Some(s) => {
                    let mut d = decision(f, "accept");
                    d["replacement"] = json!(s);
                    changes.push((span(f), s.to_string()));
                    decided.push(d);
                }
                None => {}
            }
        }
        assert!(edited && rejected.is_some());
        documents.push(json!({
            "path": doc["path"], "sha256": doc["sha256"], "decisions": decided,
        }));
        wanted.push((name, expected(doc["text"].as_str().unwrap(), changes)));
    }
    let decisions = decisions_file(dir.path(), documents);
    let applied = in_dir(
        dir.path(),
        &["apply", decisions.to_str().unwrap(), "--out", "corrected"],
    );
    let said = ok(&applied);
    assert!(said.contains("corpus/seed.zh.txt:"), "{said}");
    assert!(said.contains("1 edited, 1 rejected"), "{said}");

    let (seed_want, windows_want) = (&wanted[0].1, &wanted[1].1);
    let got = std::fs::read(dir.path().join("corrected/corpus/seed.zh.txt")).unwrap();
    assert_eq!(String::from_utf8(got).unwrap(), *seed_want);
    let got = std::fs::read(dir.path().join("corrected/corpus/windows.zh.txt")).unwrap();
    let (want, _, _) = encoding_rs::GBK.encode(windows_want);
    assert_eq!(
        got,
        want.to_vec(),
        "GBK and CRLF kept, exactly the decided changes"
    );
    assert!(windows_want.contains("\r\n") && windows_want.contains("伊恩·莱弗里"));
    // The originals are untouched.
    assert_eq!(
        std::fs::read_to_string(dir.path().join("corpus/seed.zh.txt")).unwrap(),
        seed
    );

    // The default is a diff, which changes nothing.
    let diff = in_dir(dir.path(), &["apply", decisions.to_str().unwrap()]);
    ok(&diff);
    // (The GBK file's diff is in GBK, so that patch applies it.)
    let patch = String::from_utf8_lossy(&diff.stdout);
    assert!(
        patch.contains("+++ corpus/seed.zh.txt") && patch.contains("+++ corpus/windows.zh.txt")
    );
    assert!(patch.contains("伊恩·莱弗里"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("corpus/seed.zh.txt")).unwrap(),
        seed
    );
}

#[test]
fn markup_is_kept_and_a_change_across_markup_is_refused_whole() {
    let html = "<!DOCTYPE html><html lang=\"zh\"><head><title>转帖</title></head><body>\n<p class=\"a\">工党领袖说，<b>托里</b>政府必须下台。我们反对托里的政策。</p>\n<p>他是<a href=\"/x\">劳动</a>派对的成员。</p>\n</body></html>\n";
    let (dir, data) = corpus_run(&[("repost.zh.html", html.as_bytes().to_vec())]);
    let doc = document(&data, "repost.zh.html");
    let flags = doc["flags"].as_array().unwrap();
    let tories: Vec<&Value> = flags.iter().filter(|f| f["text"] == "托里").collect();
    assert_eq!(tories.len(), 2, "{flags:?}");
    let mut accept = decision(tories[1], "accept");
    accept["replacement"] = json!("保守党");
    let mut edit = decision(tories[0], "edit");
    edit["replacement"] = json!("保守党 & 盟友");
    let path = decisions_file(
        dir.path(),
        vec![json!({"path": doc["path"], "sha256": doc["sha256"], "decisions": [accept, edit]})],
    );
    let out = in_dir(dir.path(), &["apply", path.to_str().unwrap(), "--write"]);
    ok(&out);
    let written = std::fs::read_to_string(dir.path().join("corpus/repost.zh.html")).unwrap();
    assert_eq!(
        written,
        html.replace("<b>托里</b>", "<b>保守党 &amp; 盟友</b>")
            .replace("反对托里的", "反对保守党的")
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("corpus/repost.zh.html.orig")).unwrap(),
        html,
        "--write keeps the original"
    );

    // 劳动派对 spans a link: accepting it cannot be written; the whole file is refused.
    let (dir, data) = corpus_run(&[("repost.zh.html", html.as_bytes().to_vec())]);
    let doc = document(&data, "repost.zh.html");
    let across = doc["flags"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["text"] == "劳动派对")
        .expect("the flag across the link");
    let mut a = decision(across, "accept");
    a["replacement"] = json!("工党");
    let mut b = decision(tories[1], "accept");
    b["replacement"] = json!("保守党");
    let path = decisions_file(
        dir.path(),
        vec![json!({"path": doc["path"], "sha256": doc["sha256"], "decisions": [a, b]})],
    );
    let out = in_dir(dir.path(), &["apply", path.to_str().unwrap(), "--write"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("corpus/repost.zh.html") && err.contains("crosses markup"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("corpus/repost.zh.html")).unwrap(),
        html,
        "nothing half-applied"
    );
}

#[test]
fn a_stale_decisions_file_is_refused_unless_every_decision_is_found_again() {
    let seed = std::fs::read_to_string(repo(SEED)).unwrap();
    let (dir, data) = corpus_run(&[("seed.zh.txt", seed.clone().into_bytes())]);
    let doc = document(&data, "seed.zh.txt");
    let flag = doc["flags"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["text"] == "Ian Lvery")
        .unwrap();
    let mut d = decision(flag, "accept");
    d["replacement"] = json!("Ian Lavery");
    let path = decisions_file(
        dir.path(),
        vec![json!({"path": doc["path"], "sha256": doc["sha256"], "decisions": [d]})],
    );
    let file = dir.path().join("corpus/seed.zh.txt");

    // Edited far from the flag: the decision is found by its fingerprint.
    let moved = format!("转载说明：本文来自网络。\n\n{seed}");
    std::fs::write(&file, &moved).unwrap();
    let out = in_dir(
        dir.path(),
        &["apply", path.to_str().unwrap(), "--write", "--no-backup"],
    );
    let said = ok(&out);
    assert!(said.contains("found by its fingerprint"), "{said}");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        moved.replacen("Ian Lvery", "Ian Lavery", 1)
    );

    // Edited at the flag: refused, naming the file; nothing written.
    let changed = seed.replace("Ian Lvery&Jon", "Ian Lvery和Jon");
    std::fs::write(&file, &changed).unwrap();
    let out = in_dir(dir.path(), &["apply", path.to_str().unwrap(), "--write"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("corpus/seed.zh.txt: changed since the report") && err.contains("Ian Lvery"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), changed);
    assert!(!dir.path().join("corpus/seed.zh.txt.orig").exists());

    // Not a decisions file at all.
    std::fs::write(dir.path().join("other.json"), "{\"flags\":[]}").unwrap();
    let out = in_dir(dir.path(), &["apply", "other.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("other.json: not a decisions file"));
}

#[test]
fn rejections_for_a_document_or_everywhere_are_ignored_by_later_checks_and_fixes() {
    let seed = std::fs::read_to_string(repo(SEED)).unwrap();
    let (dir, data) = corpus_run(&[
        ("a.zh.txt", seed.clone().into_bytes()),
        ("b.zh.txt", seed.clone().into_bytes()),
    ]);
    let a = document(&data, "a.zh.txt");
    let flags = a["flags"].as_array().unwrap();
    let labour = flags
        .iter()
        .find(|f| f["text"] == "劳动力" && f["rule"] == "deprecated-term")
        .or_else(|| flags.iter().find(|f| f["rule"] == "deprecated-term"))
        .unwrap();
    let lvery = flags.iter().find(|f| f["text"] == "Ian Lvery").unwrap();
    let count = |doc: &Value, text: &Value, rule: &Value| {
        doc["flags"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["text"] == *text && f["rule"] == *rule)
            .count()
    };
    let before_a = count(a, &labour["text"], &labour["rule"]);
    assert!(before_a > 0);
    let mut everywhere = decision(labour, "reject");
    everywhere["scope"] = json!("everywhere");
    let mut here = decision(lvery, "reject");
    here["scope"] = json!("document");
    let path = decisions_file(
        dir.path(),
        vec![json!({"path": a["path"], "sha256": a["sha256"], "decisions": [everywhere, here]})],
    );
    let said = ok(&in_dir(
        dir.path(),
        &["apply", path.to_str().unwrap(), "--out", "x"],
    ));
    assert!(said.contains("2 new of 2 rejection(s)"), "{said}");
    let ignore = std::fs::read_to_string(dir.path().join(".transmend-ignore")).unwrap();
    assert!(ignore.contains("\"scope\":\"everywhere\""), "{ignore}");
    assert!(ignore.contains("\"path\":\"corpus/a.zh.txt\""), "{ignore}");

    // A fresh check from the project folder: the flags are gone, counted as ignored.
    let out = in_dir(dir.path(), &["check", "--format", "json", "corpus"]);
    let report = common::documents(&String::from_utf8(out.stdout).unwrap());
    let line = |name: &str| {
        report
            .iter()
            .find(|l| l["path"].as_str().unwrap().ends_with(name))
            .unwrap()
            .clone()
    };
    let (la, lb) = (line("a.zh.txt"), line("b.zh.txt"));
    let n = |l: &Value, text: &Value| {
        l["flags"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["text"] == *text)
            .count()
    };
    assert_eq!(n(&la, &labour["text"]), 0);
    assert_eq!(
        n(&lb, &labour["text"]),
        0,
        "everywhere: the other document too"
    );
    assert_eq!(n(&la, &lvery["text"]), 0);
    assert_eq!(
        n(&lb, &lvery["text"]),
        1,
        "document scope: only that document"
    );
    assert_eq!(la["ignored"], json!(before_a + 1));
    assert!(la.get("ignored_flags").is_none());
    // --show-ignored lists them apart.
    let out = in_dir(
        dir.path(),
        &["check", "--format", "json", "--show-ignored", "corpus"],
    );
    let report = common::documents(&String::from_utf8(out.stdout).unwrap());
    let shown = report[0]["ignored_flags"].as_array().unwrap();
    assert_eq!(shown.len(), before_a + 1);
    // The human tally says so.
    let out = in_dir(dir.path(), &["check", "--format", "human", "corpus"]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("ignored by .transmend-ignore"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // fix leaves the document-scoped misspelling alone in a.zh.txt, repairs it in b.zh.txt.
    let out = in_dir(dir.path(), &["fix", "--diff", "corpus"]);
    let patch = String::from_utf8(out.stdout).unwrap();
    let (pa, pb) = patch.split_at(patch.find("+++ corpus/b.zh.txt").unwrap());
    assert!(
        !pa.contains("+Ian Lavery") && pb.contains("+Ian Lavery"),
        "{patch}"
    );

    // ignore list and remove.
    let out = in_dir(dir.path(), &["ignore", "list"]);
    let listed = String::from_utf8(out.stdout).unwrap();
    assert!(listed.contains("  1  deprecated-term") && listed.contains("in corpus/a.zh.txt"));
    ok(&in_dir(dir.path(), &["ignore", "remove", "2"]));
    let out = in_dir(dir.path(), &["check", "--format", "json", "corpus"]);
    let report = common::documents(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(n(&report[0], &lvery["text"]), 1, "removed: reported again");
    let bad = in_dir(dir.path(), &["ignore", "remove", "9"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("has no entry 9"));
}

#[test]
fn run_decisions_shows_earlier_decisions_and_undecided_safe_repairs_apply() {
    let seed = std::fs::read_to_string(repo(SEED)).unwrap();
    let (dir, data) = corpus_run(&[("seed.zh.txt", seed.clone().into_bytes())]);
    let doc = document(&data, "seed.zh.txt");
    let flags = doc["flags"].as_array().unwrap();
    let first = &flags[0];
    let mut rejected = decision(first, "reject");
    rejected["scope"] = json!("occurrence");
    let undecided: Vec<Value> = flags[1..]
        .iter()
        .map(|f| {
            json!({"fingerprint": f["fingerprint"], "rule": f["rule"], "concept": f["concept"],
                   "text": f["text"], "text_span": f["text_span"],
                   "suggestion": f["suggestion"], "autofix": f["autofix"]})
        })
        .collect();
    let path = decisions_file(
        dir.path(),
        vec![json!({"path": doc["path"], "sha256": doc["sha256"],
                    "decisions": [rejected], "undecided": undecided})],
    );
    ok(&in_dir(
        dir.path(),
        &[
            "run",
            "-q",
            "corpus",
            "--out",
            "again",
            "--decisions",
            path.to_str().unwrap(),
        ],
    ));
    let again = page_data(&dir.path().join("again/report.html"));
    let shown = &document(&again, "seed.zh.txt")["decisions"];
    assert_eq!(shown.as_object().unwrap().len(), 1);
    assert_eq!(
        shown[first["fingerprint"].as_str().unwrap()]["action"],
        "reject"
    );
    assert_ne!(
        again["report"], data["report"],
        "another report, another storage key"
    );

    // --undecided safe: the safe repairs nobody decided about, as fix would make them, but
    // not the rejected one.
    let out = in_dir(
        dir.path(),
        &[
            "apply",
            path.to_str().unwrap(),
            "--undecided",
            "safe",
            "--out",
            "safe",
        ],
    );
    let said = ok(&out);
    assert!(said.contains("undecided safe repair(s) made"), "{said}");
    let got = std::fs::read_to_string(dir.path().join("safe/corpus/seed.zh.txt")).unwrap();
    let changes: Vec<([usize; 2], String)> = flags[1..]
        .iter()
        .filter(|f| f["autofix"] == true)
        .map(|f| (span(f), f["suggestion"].as_str().unwrap().to_string()))
        .collect();
    assert!(!changes.is_empty());
    assert_eq!(got, expected(doc["text"].as_str().unwrap(), changes));
}

#[test]
fn a_rejected_deprecated_form_inside_a_longer_name_gets_a_guard_entry_in_the_summary() {
    let text = "费尔南多·托里斯是利物浦的前锋。\n";
    let (dir, data) = corpus_run(&[("torres.zh.txt", text.as_bytes().to_vec())]);
    let doc = document(&data, "torres.zh.txt");
    let flag = doc["flags"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["text"] == "托里")
        .expect("托里 is flagged");
    assert_eq!(
        flag["guard"],
        json!("托里斯"),
        "the page offers the longer name"
    );
    let mut d = decision(flag, "reject");
    d["scope"] = json!("occurrence");
    d["guard"] = json!("托里斯");
    let path = decisions_file(
        dir.path(),
        vec![json!({"path": doc["path"], "sha256": doc["sha256"], "decisions": [d]})],
    );
    let said = ok(&in_dir(dir.path(), &["apply", path.to_str().unwrap()]));
    assert!(
        said.contains("'托里' was rejected as right inside '托里斯'"),
        "{said}"
    );
    let row = said
        .lines()
        .find(|l| l.trim_start().starts_with("guard-"))
        .unwrap_or_else(|| panic!("no guard row: {said}"));
    // The offered lines load as a glossary and stop the flag.
    std::fs::write(
        dir.path().join("guards.csv"),
        format!("id,kind,zh,note\n{}\n", row.trim()),
    )
    .unwrap();
    let out = in_dir(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--glossary",
            "guards.csv",
            "corpus",
        ],
    );
    let lines = common::documents(&String::from_utf8(out.stdout).unwrap());
    assert!(
        !lines[0]["flags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["text"] == "托里"),
        "{}",
        lines[0]
    );
}
