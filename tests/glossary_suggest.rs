//! `transmend glossary suggest`: proposals from the sample corpus, run from a folder outside
//! the repository on a copy of the corpus, with and without the built-in glossary.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use common::transmend;

/// The glossary's own columns, in the order the proposals start with.
const GLOSSARY_HEADER: &str =
    "id,kind,en,en.admitted,en.deprecated,zh,zh.admitted,zh.deprecated,note";

/// A temporary folder holding a copy of the sample corpus at `corpus/`.
fn corpus_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let to = dir.path().join("corpus");
    std::fs::create_dir(&to).unwrap();
    for entry in std::fs::read_dir(&from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
    dir
}

/// `transmend ARGS` run in `dir`.
fn run_in(dir: &Path, args: &[&str]) -> Output {
    transmend().current_dir(dir).args(args).output().unwrap()
}

/// One CSV row: column name -> value.
type Row = BTreeMap<String, String>;

/// The rows of a proposals CSV, by column name; the header must be the glossary's plus
/// `why,seen,count`.
fn rows(csv: &str) -> Vec<Row> {
    let first = csv.lines().next().unwrap_or_default();
    assert_eq!(first, format!("{GLOSSARY_HEADER},why,seen,count"), "{csv}");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    reader
        .records()
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(str::to_string))
                .collect()
        })
        .collect()
}

/// `glossary suggest corpus/ EXTRA...` in `dir`: its exit code 0 and its rows.
fn suggest(dir: &Path, extra: &[&str]) -> Vec<Row> {
    let mut args = vec!["glossary", "suggest", "corpus/"];
    args.extend_from_slice(extra);
    let out = run_in(dir, &args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    rows(&String::from_utf8(out.stdout).unwrap())
}

/// The row with this English preferred form or this id.
fn find<'r>(rows: &'r [Row], name: &str) -> &'r Row {
    rows.iter()
        .find(|r| r["en"] == name || r["id"] == name)
        .unwrap_or_else(|| panic!("no proposal for {name}: {rows:#?}"))
}

/// Every form of a row, in any language and status.
fn all_forms(row: &Row) -> Vec<String> {
    [
        "en",
        "en.admitted",
        "en.deprecated",
        "zh",
        "zh.admitted",
        "zh.deprecated",
    ]
    .iter()
    .flat_map(|c| row[*c].split('|'))
    .filter(|f| !f.is_empty())
    .map(str::to_string)
    .collect()
}

/// Each row says why, where (existing `path:line` places) and how often.
fn assert_explained(dir: &Path, rows: &[Row]) {
    for r in rows {
        assert!(!r["why"].is_empty(), "{r:?}");
        let count: usize = r["count"].parse().unwrap();
        assert!(count >= 1, "{r:?}");
        assert!(!r["seen"].is_empty(), "{r:?}");
        for place in r["seen"].split("; ").filter(|p| !p.starts_with('+')) {
            let (path, line) = place.rsplit_once(':').unwrap();
            assert!(dir.join(path).is_file(), "{place} in {r:?}");
            assert!(line.parse::<usize>().unwrap() >= 1, "{place}");
        }
    }
}

/// The proposals without `why,seen,count`: a glossary file.
fn as_glossary(dir: &Path, rows: &[Row], name: &str) -> PathBuf {
    let mut out = String::from(GLOSSARY_HEADER);
    out.push('\n');
    let mut writer = csv::Writer::from_writer(Vec::new());
    for r in rows {
        let fields: Vec<&str> = GLOSSARY_HEADER.split(',').map(|c| r[c].as_str()).collect();
        writer.write_record(&fields).unwrap();
    }
    out.push_str(&String::from_utf8(writer.into_inner().unwrap()).unwrap());
    let path = dir.join(name);
    std::fs::write(&path, out).unwrap();
    path
}

#[test]
fn with_no_glossary_the_seeds_people_and_organisations_are_proposed() {
    let dir = corpus_copy();
    let rows = suggest(dir.path(), &["--no-default-glossary"]);
    assert_explained(dir.path(), &rows);

    for person in ["Jon Trickett", "Ian Lavery"] {
        let r = find(&rows, person);
        assert_eq!(r["kind"], "person", "{r:?}");
        assert_eq!(
            r["zh.admitted"], person,
            "left in Latin script in Chinese text: {r:?}"
        );
    }
    // The misspelling in the Chinese texts is a deprecated form of the name, not a person.
    assert_eq!(find(&rows, "Ian Lavery")["en.deprecated"], "Ian Lvery");
    assert!(rows.iter().all(|r| r["en"] != "Ian Lvery"));

    for acronym in ["nec", "ehrc", "clpd", "ihra"] {
        let r = find(&rows, acronym);
        assert!(
            r["zh.admitted"]
                .split('|')
                .any(|f| f.eq_ignore_ascii_case(acronym)),
            "{r:?}"
        );
    }
    // The Chinese form written beside the acronym in parentheses is its Chinese column.
    assert_eq!(find(&rows, "nec")["zh"], "全国执行委员会");
    assert_eq!(find(&rows, "ehrc")["zh"], "平等与人权委员会");
    assert_eq!(find(&rows, "clpd")["zh"], "争取工党民主运动");
    // The English motion spells CLPD out.
    assert_eq!(
        find(&rows, "clpd")["en"],
        "Campaign for Labour Party Democracy"
    );

    // No proposals from English prose (sentence starts, headings), no sentence fragments.
    for r in &rows {
        let en = &r["en"];
        assert!(en.split(' ').count() <= 6, "{r:?}");
        for starter in [
            "Like ",
            "Emergency ",
            "Even ",
            "Many ",
            "The ",
            "It ",
            "What ",
        ] {
            assert!(!en.starts_with(starter), "{r:?}");
        }
        assert!(!r["zh"].starts_with(['和', '的', '被', '我']), "{r:?}");
    }
    // Conversion debris and a one-off garbled word are not names.
    assert!(
        rows.iter()
            .all(|r| !all_forms(r).iter().any(|f| f.contains("Bulllingdon")))
    );
    assert!(rows.iter().all(|r| r["en"] != "IAMGE"));

    // Sorted by count (most first), then id.
    let keys: Vec<(usize, String)> = rows
        .iter()
        .map(|r| (r["count"].parse().unwrap(), r["id"].clone()))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    assert_eq!(keys, sorted);
}

#[test]
fn the_built_in_glossary_suppresses_what_it_already_has() {
    let dir = corpus_copy();
    let rows = suggest(dir.path(), &[]);
    assert_explained(dir.path(), &rows);
    let builtin = transmend::glossary::builtin::glossary();
    let known: Vec<String> = builtin
        .concepts
        .iter()
        .flat_map(|c| c.langs.values().flatten().map(|t| t.text.to_lowercase()))
        .collect();
    for r in &rows {
        match builtin.get(&r["id"]) {
            // A change to an existing concept keeps every form it had.
            Some(concept) => {
                let forms = all_forms(r);
                for t in concept.langs.values().flatten() {
                    assert!(
                        forms.contains(&t.text),
                        "{} lost {}: {r:?}",
                        r["id"],
                        t.text
                    );
                }
            }
            // A new concept has no form the glossary knows.
            None => {
                for f in all_forms(r) {
                    assert!(!known.contains(&f.to_lowercase()), "{f} is known: {r:?}");
                }
            }
        }
    }
    for name in ["jon-trickett", "ehrc", "clpd", "ihra", "ncg", "clga", "law"] {
        assert!(rows.iter().all(|r| r["id"] != name), "{name}: {rows:#?}");
    }
    // What the glossary lacks is still proposed: a commenter's name in Latin script.
    assert_eq!(find(&rows, "Brian Burden")["kind"], "person");
    // A concept the corpus writes in two accepted forms is a note on that concept.
    let nec = find(&rows, "nec");
    assert!(nec["why"].contains("accepted Chinese forms"), "{nec:?}");
    assert_eq!(nec["en"], "National Executive Committee");
}

#[test]
fn the_proposals_load_as_a_glossary() {
    let dir = corpus_copy();
    let fresh = suggest(dir.path(), &["--no-default-glossary"]);
    let path = as_glossary(dir.path(), &fresh, "proposals.csv");
    let out = run_in(dir.path(), &["glossary", "lint", "proposals.csv"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // `check` with only the proposals: loads them, and knows the names now.
    let out = transmend()
        .current_dir(dir.path())
        .args([
            "check",
            "--format",
            "json",
            "--no-default-glossary",
            "--glossary",
        ])
        .arg(&path)
        .arg("corpus/scg-statement-leaked-report.zh.txt")
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_ne!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let first: serde_json::Value = serde_json::from_str(stdout.lines().next().unwrap()).unwrap();
    assert_eq!(
        first["transmend"]["glossaries"][0]["concepts"].as_u64(),
        Some(fresh.len() as u64),
        "{stdout}"
    );
    assert!(
        !stdout.contains("'Jon Trickett' looks like a name"),
        "{stdout}"
    );

    // Over the built-in glossary: changes to existing concepts replace them, the rest adds.
    let amended = suggest(dir.path(), &[]);
    as_glossary(dir.path(), &amended, "amended.csv");
    let out = run_in(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--glossary",
            "amended.csv",
            "corpus/",
        ],
    );
    assert_ne!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    let replaced = amended
        .iter()
        .filter(|r| {
            transmend::glossary::builtin::glossary()
                .get(&r["id"])
                .is_some()
        })
        .count();
    assert!(replaced > 0);
    assert!(
        stderr.contains(&format!("{replaced} replaced by your files")),
        "{stderr}"
    );
}

#[test]
fn json_has_one_object_per_proposal_and_min_count_filters() {
    let dir = corpus_copy();
    let csv = suggest(dir.path(), &["--no-default-glossary"]);
    let out = run_in(
        dir.path(),
        &[
            "glossary",
            "suggest",
            "corpus/",
            "--no-default-glossary",
            "--format",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), csv.len());
    for (v, r) in lines.iter().zip(&csv) {
        assert_eq!(v["id"], r["id"].as_str());
        assert_eq!(v["count"].as_u64(), Some(r["count"].parse().unwrap()));
        assert!(v["why"].as_str().is_some_and(|w| !w.is_empty()), "{v}");
        assert!(v["seen"].as_array().is_some_and(|s| !s.is_empty()), "{v}");
        assert_eq!(v["amends"], false);
    }

    let strict = suggest(dir.path(), &["--no-default-glossary", "--min-count", "3"]);
    assert!(!strict.is_empty());
    assert!(
        strict
            .iter()
            .all(|r| r["count"].parse::<usize>().unwrap() >= 3)
    );
    assert!(strict.len() < csv.len());

    // Only csv and json.
    let out = run_in(
        dir.path(),
        &["glossary", "suggest", "corpus/", "--format", "tsv"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("csv or json"));
}

#[test]
fn a_missing_corpus_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_in(dir.path(), &["glossary", "suggest", "nowhere/"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("nowhere"));
}
