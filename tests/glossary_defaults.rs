//! The glossary never silently disappears: the project's Labour glossary is built into the
//! binary and used from any folder, `--glossary` adds to it, `--no-default-glossary` leaves it
//! out, a `transmend.toml` above the inputs names more, and every run says which it used.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

const REPOST: &str = "我们是劳动派对的成员，托里政府必须下台。\n";

/// The binary run from `dir` (never the repository), with no glossary of its own there.
fn transmend_in(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_transmend"));
    cmd.current_dir(dir).env_remove("RUST_LOG");
    cmd
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `check --format json` of `file`: the exit code, the opening line and the document line.
fn check(dir: &Path, args: &[&str]) -> (Output, Value, Value) {
    let out = transmend_in(dir)
        .args(["check", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let stdout = text(&out.stdout);
    let mut lines = stdout
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap());
    let header = lines.next().expect("an opening line");
    let doc = lines.next().expect("a document line");
    (out, header, doc)
}

fn rules(doc: &Value) -> Vec<(String, String)> {
    doc["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["text"].as_str().unwrap().to_string(),
                f["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn the_built_in_glossary_catches_labour_terms_from_any_folder() {
    let home = tempfile::tempdir().unwrap();
    let folder = home.path().join("reposts");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("x.txt"), REPOST).unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let file = folder.join("x.txt");
    let (out, header, doc) = check(elsewhere.path(), &[file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let found = rules(&doc);
    assert!(
        found.contains(&("劳动派对".into(), "deprecated-term".into())),
        "{found:?}"
    );
    assert!(
        found.contains(&("托里".into(), "deprecated-term".into())),
        "{found:?}"
    );
    let used = &header["transmend"]["glossaries"];
    assert_eq!(used[0]["name"], "labour.csv");
    assert_eq!(used[0]["built_in"], true);
    assert!(used[0]["concepts"].as_u64().unwrap() > 50);
    assert!(
        text(&out.stderr).contains("glossaries: labour.csv (built in, "),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn glossary_files_add_to_the_built_in_one_and_can_replace_its_concepts() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("people.csv"),
        "id,kind,en,zh,zh.deprecated\n\
         jane-doe,person,Jane Doe,简·多伊,珍·多\n\
         conservative-party,org,Conservative Party,保守党,托里|托利\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("x.txt"), "劳动派对和托利的珍·多说话了。\n").unwrap();
    let (out, header, doc) = check(dir.path(), &["--glossary", "people.csv", "x.txt"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let found = rules(&doc);
    for term in ["劳动派对", "托利", "珍·多"] {
        assert!(found.iter().any(|(t, _)| t == term), "{term}: {found:?}");
    }
    let used = header["transmend"]["glossaries"].as_array().unwrap();
    assert_eq!(used.len(), 2);
    assert_eq!(
        used[0]["overridden"], 1,
        "the file's conservative-party replaces the built-in one"
    );
    assert_eq!(
        (used[1]["name"].as_str(), used[1]["concepts"].as_u64()),
        (Some("people.csv"), Some(2))
    );
    assert!(
        text(&out.stderr).contains("1 replaced by your files), people.csv (2 concepts)"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn no_default_glossary_leaves_it_out_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("x.txt"), REPOST).unwrap();
    let (out, header, doc) = check(dir.path(), &["--no-default-glossary", "x.txt"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(rules(&doc).iter().all(|(t, _)| t != "劳动派对"));
    assert_eq!(header["transmend"]["glossaries"], serde_json::json!([]));
    assert!(
        text(&out.stderr).contains("note: no glossary"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_project_config_above_the_input_names_glossaries_and_options() {
    let project = tempfile::tempdir().unwrap();
    let p = project.path();
    std::fs::create_dir_all(p.join("glossary")).unwrap();
    std::fs::create_dir_all(p.join("reposts/2026")).unwrap();
    std::fs::write(
        p.join("glossary/people.csv"),
        "id,en,zh,zh.deprecated\njane-doe,Jane Doe,简·多伊,珍·多\n",
    )
    .unwrap();
    std::fs::write(
        p.join("transmend.toml"),
        "glossaries = [\"glossary/people.csv\"]\ndefault_glossary = false\nlang = \"zh\"\n",
    )
    .unwrap();
    std::fs::write(
        p.join("reposts/2026/x.txt"),
        "劳动派对 Jane Doe 珍·多 said so in English today.\n",
    )
    .unwrap();
    // Run from a folder outside the project, naming the file by its absolute path.
    let elsewhere = tempfile::tempdir().unwrap();
    let file = p.join("reposts/2026/x.txt");
    let (out, header, doc) = check(elsewhere.path(), &[file.to_str().unwrap()]);
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("config: ") && stderr.contains("transmend.toml"),
        "{stderr}"
    );
    assert_eq!(doc["language"], "zh", "lang from the config");
    let found = rules(&doc);
    assert!(found.iter().any(|(t, _)| t == "珍·多"), "{found:?}");
    assert!(
        found.iter().all(|(t, _)| t != "劳动派对"),
        "the built-in one is off: {found:?}"
    );
    assert_eq!(header["transmend"]["glossaries"][0]["name"], "people.csv");
    // The command line wins over the config.
    let (_, _, doc) = check(elsewhere.path(), &["--lang", "en", file.to_str().unwrap()]);
    assert_eq!(doc["language"], "en");
    // A typo in the config is an error naming the file, before anything is checked.
    std::fs::write(p.join("transmend.toml"), "glosaries = []\n").unwrap();
    let out = transmend_in(elsewhere.path())
        .args(["check", "--format", "json"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("transmend.toml") && out.stdout.is_empty());
}

#[test]
fn run_says_which_glossaries_it_used_in_its_report() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("x.zh.txt"), REPOST).unwrap();
    let out = transmend_in(dir.path())
        .args(["run", "x.zh.txt", "--out", "out"])
        .env("HOME", dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let jsonl = std::fs::read_to_string(dir.path().join("out/report.jsonl")).unwrap();
    let first: Value = serde_json::from_str(jsonl.lines().next().unwrap()).unwrap();
    assert_eq!(first["transmend"]["glossaries"][0]["name"], "labour.csv");
    let html = std::fs::read_to_string(dir.path().join("out/report.html")).unwrap();
    assert!(
        html.contains("glossaries: labour.csv (built in, "),
        "report.html names them"
    );
}

#[test]
fn an_unknown_language_column_is_an_error_naming_the_column_and_the_codes() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("g.csv"),
        "id,en,eng.admitted,zh\nnec,NEC,National Executive Council,全国执行委员会\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("x.txt"), REPOST).unwrap();
    let out = transmend_in(dir.path())
        .args(["check", "--glossary", "g.csv", "x.txt"])
        .output()
        .unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("g.csv:1:7:"),
        "the column's place: {stderr}"
    );
    assert!(
        stderr.contains("did you mean 'en'?") && stderr.contains("known codes: af,"),
        "{stderr}"
    );
}
