//! Accuracy of `check` with the project glossary: recall and precision against gold lists
//! written by a bilingual reviewer, zero flags on clean text, and must-not-flag snippets.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;

use common::transmend;
use serde_json::Value;

/// One expected flag: the rules that may report it, its line, and the text it covers.
#[derive(Debug)]
struct Gold {
    line: usize,
    rules: Vec<String>,
    text: String,
}

fn read_gold(path: &str) -> Vec<Gold> {
    let data = std::fs::read_to_string(path).unwrap();
    data.lines()
        .skip(1)
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            Gold {
                line: cols[0]
                    .parse()
                    .unwrap_or_else(|_| panic!("bad line number in {l}")),
                rules: cols[1].split('|').map(str::to_string).collect(),
                text: cols[2].to_string(),
            }
        })
        .collect()
}

fn check(path: &Path, extra: &[&str]) -> Value {
    let out = transmend()
        .args(["check", "--format", "json"])
        .args(extra)
        .arg(path)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    serde_json::from_str(stdout.lines().next().expect("one report line")).unwrap()
}

/// Error and warning flags (info flags are "worth a look" and not scored).
fn scored(report: &Value) -> Vec<&Value> {
    report["flags"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] != "info")
        .collect()
}

/// Matches flags to gold rows one to one: same line, an allowed rule, and the flag's span
/// overlapping an occurrence of the gold text on that line. Returns (recall, precision).
fn score(doc: &str, gold_path: &str) -> (f64, f64) {
    let text = std::fs::read_to_string(doc).unwrap();
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let gold = read_gold(gold_path);
    let report = check(Path::new(doc), &[]);
    let flags = scored(&report);
    let mut used = vec![false; flags.len()];
    let mut missed = Vec::new();
    for g in &gold {
        let start = line_starts[g.line - 1];
        let end = line_starts.get(g.line).copied().unwrap_or(text.len());
        let line = &text[start..end];
        let occurrences: Vec<(usize, usize)> = line
            .match_indices(&g.text)
            .map(|(i, _)| (start + i, start + i + g.text.len()))
            .collect();
        assert!(
            !occurrences.is_empty(),
            "gold text {:?} not on line {}",
            g.text,
            g.line
        );
        let hit = flags.iter().enumerate().position(|(k, f)| {
            let (fs, fe) = (
                f["start"].as_u64().unwrap() as usize,
                f["end"].as_u64().unwrap() as usize,
            );
            let fe = fe.max(fs + 1);
            !used[k]
                && g.rules.iter().any(|r| f["rule"] == r.as_str())
                && occurrences.iter().any(|&(s, e)| fs < e && s < fe)
        });
        match hit {
            Some(k) => used[k] = true,
            None => missed.push(format!("line {} {:?} {:?}", g.line, g.rules, g.text)),
        }
    }
    let false_alarms: Vec<String> = flags
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(f, _)| format!("line {} {} {:?}", f["line"], f["rule"], f["text"]))
        .collect();
    let recall = (gold.len() - missed.len()) as f64 / gold.len() as f64;
    let precision = (flags.len() - false_alarms.len()) as f64 / flags.len().max(1) as f64;
    eprintln!("{doc}: recall {recall:.3}, precision {precision:.3}");
    eprintln!("missed: {missed:#?}\nfalse alarms: {false_alarms:#?}");
    (recall, precision)
}

#[test]
fn chinese_seed_recall_and_precision() {
    let (recall, precision) = score(
        "corpus/scg-statement-leaked-report.zh.txt",
        "tests/gold/scg-statement-leaked-report.zh.tsv",
    );
    assert!(recall >= 0.9, "recall {recall}");
    assert!(precision >= 0.9, "precision {precision}");
}

#[test]
fn garbled_law_translation_recall_and_precision() {
    let (recall, precision) = score(
        "corpus/law-nec-elections-motion-2020.zh.txt",
        "tests/gold/law-nec-elections-motion-2020.zh.tsv",
    );
    assert!(recall >= 0.9, "recall {recall}");
    assert!(precision >= 0.9, "precision {precision}");
}

#[test]
fn clean_chinese_text_has_no_flags() {
    let report = check(Path::new("tests/data/clean/labour-statement.zh.txt"), &[]);
    assert_eq!(report["language"], "zh");
    assert!(scored(&report).is_empty(), "{:#?}", scored(&report));
}

#[test]
fn english_seed_has_exactly_its_one_slip() {
    let report = check(
        Path::new("corpus/law-nec-elections-motion-2020.en.txt"),
        &[],
    );
    let flags = scored(&report);
    assert_eq!(flags.len(), 1, "{flags:#?}");
    assert_eq!(flags[0]["rule"], "misspelled-term");
    assert_eq!(flags[0]["text"], "Boycott, Disinvestment and Sanctions");
    assert_eq!(flags[0]["suggestion"], "Boycott, Divestment and Sanctions");

    // Without the slip, nothing at all.
    let dir = tempfile::tempdir().unwrap();
    let fixed = dir.path().join("motion.en.txt");
    let text = std::fs::read_to_string("corpus/law-nec-elections-motion-2020.en.txt").unwrap();
    std::fs::write(&fixed, text.replace("Disinvestment", "Divestment")).unwrap();
    let report = check(&fixed, &["--glossary", "glossary/labour.csv"]);
    assert!(scored(&report).is_empty(), "{:#?}", scored(&report));
}

#[test]
fn must_not_flag_snippets() {
    let data = std::fs::read_to_string("tests/data/must-not-flag.tsv").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for (n, row) in data.lines().skip(1).enumerate() {
        let cols: Vec<&str> = row.split('\t').collect();
        let (lang, snippet) = (cols[0], cols[1]);
        let path = dir.path().join(format!("snippet-{n}.txt"));
        std::fs::write(&path, snippet).unwrap();
        let report = check(
            &path,
            &["--lang", lang, "--glossary", "glossary/labour.csv"],
        );
        let flags = scored(&report);
        if !flags.is_empty() {
            failures.push(format!("{snippet}: {flags:?}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
