//! `transmend align`: the English LAW motion and its garbled Chinese translation (one sentence
//! dropped, two merged), in every output format.
#![allow(clippy::unwrap_used)]

mod common;

use common::transmend;
use serde_json::Value;
use transmend::align::{self, Bead};

const EN: &str = "corpus/law-nec-elections-motion-2020.en.txt";
const ZH: &str = "corpus/law-nec-elections-motion-2020.zh.txt";

fn beads(extra: &[&str]) -> (i32, Vec<Value>) {
    let out = transmend()
        .args(["align", EN, ZH, "--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    (
        out.status.code().unwrap(),
        stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect(),
    )
}

fn ids(v: &Value) -> Vec<u64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_u64().unwrap())
        .collect()
}

#[test]
fn law_pair_beads_and_flags() {
    let (code, beads) = beads(&[]);
    assert_eq!(code, 1, "missing terms are errors");
    // Every sentence of both sides appears exactly once, in order.
    let src: Vec<u64> = beads.iter().flat_map(|b| ids(&b["source"])).collect();
    let tgt: Vec<u64> = beads.iter().flat_map(|b| ids(&b["target"])).collect();
    assert_eq!(src, (0..src.len() as u64).collect::<Vec<_>>());
    assert_eq!(tgt, (0..tgt.len() as u64).collect::<Vec<_>>());
    // The last two English sentences are one Chinese sentence.
    let last = beads.last().unwrap();
    assert_eq!(
        (ids(&last["source"]).len(), ids(&last["target"]).len()),
        (2, 1)
    );
    let flags: Vec<&Value> = beads
        .iter()
        .flat_map(|b| b["flags"].as_array().unwrap())
        .collect();
    let has = |rule: &str, text: &str| {
        flags
            .iter()
            .any(|f| f["rule"] == rule && f["text"].as_str().unwrap().contains(text))
    };
    assert!(
        has("omission", "It should have died a lot sooner."),
        "the dropped sentence is pointed out"
    );
    assert!(has("number-anomaly", "7月44日"), "July 4 became 7月44日");
    assert!(
        has("missing-term", "Tony Grenstein"),
        "Tony Greenstein is not rendered"
    );
    assert!(has("deprecated-term", "女巫狩猎"));
    let omission = flags.iter().find(|f| f["rule"] == "omission").unwrap();
    assert_eq!(omission["line"], 11, "omissions point into the source");
    for b in &beads {
        let score = b["score"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&score));
    }
}

#[test]
fn lines_mode_uses_line_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let (en, zh) = (dir.path().join("a.en.txt"), dir.path().join("a.zh.txt"));
    std::fs::write(
        &en,
        "The NEC met in 2020.\nIt agreed motion 12 of the CLPD.\nJon Trickett spoke.\n",
    )
    .unwrap();
    std::fs::write(&zh, "NEC于2020年开会。\nJon Trickett发言。\n").unwrap();
    let out = transmend()
        .args(["align", "--lines", "--format", "json"])
        .arg(&en)
        .arg(&zh)
        .output()
        .unwrap();
    let beads: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let shape: Vec<(Vec<u64>, Vec<u64>)> = beads
        .iter()
        .map(|b| (ids(&b["source"]), ids(&b["target"])))
        .collect();
    assert_eq!(
        shape,
        [(vec![0], vec![0]), (vec![1], vec![]), (vec![2], vec![1])]
    );
    assert_eq!(beads[1]["flags"][0]["rule"], "omission");
}

#[test]
fn tsv_and_tmx_formats() {
    let out = transmend()
        .args(["align", EN, ZH, "--format", "tsv"])
        .output()
        .unwrap();
    let tsv = String::from_utf8(out.stdout).unwrap();
    assert!(tsv.lines().all(|l| l.split('\t').count() == 3), "{tsv}");
    assert!(
        tsv.lines()
            .next()
            .unwrap()
            .starts_with("NEC elections 2020\t2020年NEC选举\t")
    );
    let out = transmend()
        .args(["align", EN, ZH, "--format", "tmx"])
        .output()
        .unwrap();
    let tmx = String::from_utf8(out.stdout).unwrap();
    assert!(tmx.contains("<tmx version=\"1.4\">") && tmx.contains("srclang=\"en\""));
    assert!(tmx.contains("<tuv xml:lang=\"zh\"><seg>2020年NEC选举</seg></tuv>"));
    assert!(
        !tmx.contains("It should have died a lot sooner.</seg>"),
        "merged: not a unit of its own"
    );
}

#[test]
fn paragraphs_and_numbers_in_words_align_one_to_one() {
    let dir = tempfile::tempdir().unwrap();
    let (en, zh) = (dir.path().join("p.en.txt"), dir.path().join("p.zh.txt"));
    std::fs::write(
        &en,
        "The branch met on 3 March 2021. Twelve members attended.\n\n\
         The secretary read the report. The treasurer said the accounts were in order. \
         The meeting closed at nine.\n\nThe next meeting is on 7 April 2021.\n",
    )
    .unwrap();
    std::fs::write(
        &zh,
        "支部于2021年3月3日开会。十二名成员出席。\n\n\
         秘书宣读了报告。司库说账目没有问题。会议在九点结束。\n\n\
         下次会议定于2021年4月7日举行。\n",
    )
    .unwrap();
    let out = transmend()
        .args(["align", "--format", "json"])
        .arg(&en)
        .arg(&zh)
        .output()
        .unwrap();
    let shape: Vec<(Vec<u64>, Vec<u64>)> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .map(|b| (ids(&b["source"]), ids(&b["target"])))
        .collect();
    assert_eq!(
        shape,
        (0..6).map(|i| (vec![i], vec![i])).collect::<Vec<_>>()
    );
}

/// Strict bead F1 (beads with both sides non-empty) of `transmend align --lines` on one of the
/// project's own gold-aligned sets (`tests/data/align/`), with `extra` arguments.
fn own_set_f1(set: &str, extra: &[&str]) -> f64 {
    let dir = format!("tests/data/align/{set}");
    let out = transmend()
        .args(["align", &format!("{dir}/en.txt"), &format!("{dir}/zh.txt")])
        .args(["--lines", "--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    let usizes = |v: &Value| ids(v).into_iter().map(|i| i as usize).collect();
    let found: Vec<Bead> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .map(|b| Bead {
            source: usizes(&b["source"]),
            target: usizes(&b["target"]),
            score: 0.0,
            unsupported: Vec::new(),
        })
        .collect();
    let numbers = |s: &str| -> Vec<usize> {
        s.split(|c: char| !c.is_ascii_digit())
            .filter(|x| !x.is_empty())
            .map(|x| x.parse().unwrap())
            .collect()
    };
    let gold: Vec<(Vec<usize>, Vec<usize>)> = std::fs::read_to_string(format!("{dir}/gold.align"))
        .unwrap()
        .lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(s, t)| (numbers(s), numbers(t)))
        .collect();
    align::strict_prf(&found, &gold).2
}

#[test]
fn own_literary_and_news_sets_align_as_measured() {
    // Floors a little under the figures in BENCHMARKS.md ("Issue 21"), which were measured
    // once the weights were chosen on other data: a regression fails here.
    let literary = own_set_f1("literary", &["--no-default-glossary"]);
    assert!(literary >= 0.89, "literary F1 {literary:.3}");
    let news = own_set_f1("news", &["--no-default-glossary"]);
    assert!(news >= 0.96, "news F1 {news:.3}");
    // With the built-in glossary's concepts as anchors too (the default): a concept the report
    // is about (工党) was counted unmatched sentence after sentence (0.911).
    let news = own_set_f1("news", &[]);
    assert!(news >= 0.96, "news F1 with the glossary {news:.3}");
}
