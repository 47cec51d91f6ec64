//! `transmend run`: the README's first command on a copy of the corpus, pairing by name,
//! an output folder inside the corpus, and a run that translates through an emulator.
#![allow(clippy::unwrap_used)]

mod common;
mod emulator;

use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// A scratch project: a copy of corpus/ and glossary/, the binary run from there.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["corpus", "glossary"] {
        std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        for entry in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(sub)).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), dir.path().join(sub).join(entry.file_name())).unwrap();
        }
    }
    dir
}

fn transmend_in(dir: &Path) -> Command {
    let mut cmd = common::isolated(dir);
    cmd.current_dir(dir);
    cmd
}

/// `run INPUT --out out/` through the LibreTranslate emulator at `url`.
fn run_translating(dir: &Path, url: &str, input: &str) -> Command {
    let mut cmd = transmend_in(dir);
    cmd.args([
        "run",
        input,
        "--out",
        "out/",
        "--engine",
        "libretranslate",
        "--endpoint",
        url,
    ])
    .args(["--retry-delay-ms", "5", "--timeout", "60"]);
    cmd
}

/// The document lines of a run's report.jsonl (the closing corpus line, when there is one,
/// is [`corpus_line`]'s).
fn report(dir: &Path) -> Vec<Value> {
    common::documents(&std::fs::read_to_string(dir.join("report.jsonl")).unwrap())
}

fn report_lines(dir: &Path) -> Vec<Value> {
    std::fs::read_to_string(dir.join("report.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The corpus line: last, and only when the corpus has drift.
fn corpus_line(dir: &Path) -> Option<Value> {
    let lines = report_lines(dir);
    let last = lines.last()?;
    last.get("corpus").cloned()
}

#[test]
fn readme_first_command_produces_every_output() {
    let p = project();
    let out = transmend_in(p.path())
        .args(["run", "corpus/", "--out", "out/"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "error flags in the seed: {stderr}"
    );
    let o = p.path().join("out");
    let lines = report(&o);
    assert_eq!(
        lines.len(),
        7,
        "three texts, a web page, a post, a Word file, subtitles"
    );
    // The drift check: the corpus writes antisemitism two ways across its documents.
    let corpus = corpus_line(&o).expect("the sample corpus has drift");
    assert_eq!(corpus["documents"], 7);
    let drift = corpus["inconsistent_renderings"].as_array().unwrap();
    let antisemitism = drift
        .iter()
        .find(|d| d["concept"] == "antisemitism")
        .expect("antisemitism drifts");
    let forms: Vec<(&str, u64)> = antisemitism["forms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["form"].as_str().unwrap(),
                f["documents"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(forms, [("反犹主义", 1), ("反犹太主义", 2)]);
    assert!(
        stdout.contains("antisemitism (zh): '反犹主义' in 1 document(s)"),
        "{stdout}"
    );
    let html = std::fs::read_to_string(o.join("report.html")).unwrap();
    assert!(html.contains("One concept in several forms across the corpus"));
    let scg = lines
        .iter()
        .find(|l| l["path"] == "corpus/scg-statement-leaked-report.zh.txt")
        .unwrap();
    assert!(
        scg["flags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["text"] == "劳动派对" && f["suggestion"] == "工党")
    );
    for name in [
        "scg-statement-leaked-report.zh.txt",
        "law-nec-elections-motion-2020.zh.txt",
        "law-nec-elections-motion-2020.en.txt",
    ] {
        assert!(o.join("fixed/corpus").join(name).is_file(), "{name}");
    }
    let fixed =
        std::fs::read_to_string(o.join("fixed/corpus/scg-statement-leaked-report.zh.txt")).unwrap();
    assert!(!fixed.contains("劳动派对") && fixed.contains("工党"));
    assert!(
        o.join("diff/corpus/scg-statement-leaked-report.zh.txt.diff")
            .is_file()
    );
    let html = std::fs::read_to_string(o.join("report.html")).unwrap();
    assert!(html.contains("data-rule=\"deprecated-term\"") && html.contains("Suggestion: 工党"));
    assert!(!o.join("bilingual").exists(), "no engine, no translation");
    assert!(
        stderr.contains("translation skipped: no engine configured")
            && stderr.contains("--engine libretranslate")
    );
    assert!(
        stdout.contains("7 document(s) checked") && stdout.contains("deprecated-term"),
        "{stdout}"
    );
    // The summary names the files where they are.
    assert!(
        stdout.contains("wrote out/report.html (and .jsonl), out/fixed/, out/diff/"),
        "{stdout}"
    );
    // The originals are untouched.
    let original =
        std::fs::read(p.path().join("corpus/scg-statement-leaked-report.zh.txt")).unwrap();
    assert_eq!(
        original,
        std::fs::read("corpus/scg-statement-leaked-report.zh.txt").unwrap()
    );
}

#[test]
fn documents_paired_by_name_get_the_bilingual_checks() {
    let p = project();
    transmend_in(p.path())
        .args(["run", "corpus/", "--out", "out/", "-q"])
        .output()
        .unwrap();
    let lines = report(&p.path().join("out"));
    let rules = |name: &str| -> Vec<String> {
        let line = lines
            .iter()
            .find(|l| l["path"].as_str().unwrap().ends_with(name))
            .unwrap();
        line["flags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(rules("law-nec-elections-motion-2020.zh.txt").contains(&"missing-term".to_string()));
    assert!(rules("law-nec-elections-motion-2020.en.txt").contains(&"omission".to_string()));
    assert!(
        !rules("scg-statement-leaked-report.zh.txt").contains(&"missing-term".to_string()),
        "no pair"
    );
}

#[test]
fn an_output_folder_inside_the_corpus_is_never_read_back() {
    let p = project();
    for _ in 0..2 {
        let out = transmend_in(p.path())
            .args(["run", "corpus/", "--out", "corpus/out", "-q"])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(report(&p.path().join("corpus/out")).len(), 7);
}

#[test]
fn with_an_engine_it_writes_bilingual_versions() {
    let p = project();
    let emu = emulator::Background::start();
    let out = run_translating(
        p.path(),
        &emu.url,
        "corpus/scg-statement-leaked-report.zh.txt",
    )
    .output()
    .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let b = p.path().join("out/bilingual");
    for ext in ["md", "tmx", "xlf", "jsonl"] {
        assert!(
            b.join(format!("scg-statement-leaked-report.zh-en.{ext}"))
                .is_file(),
            "{ext}"
        );
    }
    assert!(
        stdout.contains("translated") && stdout.contains("characters sent"),
        "{stdout}"
    );
    let html = std::fs::read_to_string(p.path().join("out/report.html")).unwrap();
    assert!(html.contains("<h3>Translation</h3>"));
}

#[test]
fn merged_reports_equal_the_single_run() {
    let p = project();
    let run = |args: &[&str]| {
        let out = transmend_in(p.path())
            .arg("run")
            .arg("-q")
            .args(args)
            .output()
            .unwrap();
        assert_ne!(
            out.status.code(),
            Some(2),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(&["corpus/", "--out", "all"]);
    // Two workers, each with whole pairs.
    run(&[
        "corpus/law-nec-elections-motion-2020.en.txt",
        "corpus/law-nec-elections-motion-2020.zh.txt",
        "--out",
        "a",
    ]);
    run(&["corpus/scg-statement-leaked-report.zh.txt", "--out", "b"]);
    // And one with the web page, the post, the Word file and the subtitles.
    run(&[
        "corpus/tribune-leaked-report-repost.zh.html",
        "corpus/law-motion-blog-post.en.md",
        "corpus/scg-statement-excerpt.zh.docx",
        "corpus/lavery-video-message.zh.srt",
        "--out",
        "c",
    ]);
    let out = transmend_in(p.path())
        .args(["report", "merge", "b", "c", "a", "--out", "merged"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let read = |d: &str| std::fs::read_to_string(p.path().join(d).join("report.jsonl")).unwrap();
    assert_eq!(read("merged"), read("all"));
    let html = std::fs::read_to_string(p.path().join("merged/report.html")).unwrap();
    assert_eq!(html.matches("<section class=\"document\"").count(), 7);
    assert!(
        html.contains("Changes made by fix"),
        "repaired copies found in each folder's fixed/"
    );
    // Not a run folder: a clear error.
    let out = transmend_in(p.path())
        .args(["report", "merge", "corpus", "--out", "x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no report*.jsonl"));
}

#[test]
fn the_api_key_is_in_no_byte_run_writes() {
    let p = project();
    let emu = emulator::Background::start();
    let key = "run-secret-key-5f3a9c";
    *emu.state.key.lock().unwrap() = Some(key.into());
    let out = run_translating(p.path(), &emu.url, "corpus/")
        .env("LIBRETRANSLATE_API_KEY", key)
        .env("RUST_LOG", "trace")
        .output()
        .unwrap();
    assert_ne!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        p.path().join("out/bilingual").is_dir(),
        "the key was accepted and used"
    );
    let mut leaks = Vec::new();
    for (name, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        if String::from_utf8_lossy(bytes).contains(key) {
            leaks.push(name.to_string());
        }
    }
    // Every file written: outputs, report.html, the translation cache.
    let mut stack = vec![p.path().join("out"), p.path().join("xdg")];
    let mut files = 0;
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files += 1;
                let bytes = std::fs::read(&path).unwrap();
                if bytes.windows(key.len()).any(|w| w == key.as_bytes()) {
                    leaks.push(path.display().to_string());
                }
            }
        }
    }
    assert!(
        files >= 10,
        "outputs, report and cache were searched ({files} files)"
    );
    assert!(leaks.is_empty(), "the key leaked into {leaks:?}");
}

/// An engine that cannot work is known before any document: `run` and `translate` stop with
/// exit 2, a message naming the cause, and nothing written (issue: the whole corpus used to
/// be checked and fixed first).
#[test]
fn an_engine_that_cannot_work_stops_the_run_before_anything_is_written() {
    let p = project();
    // A port nobody listens on.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    let unreachable = format!("http://{closed}");
    let emu = emulator::Background::start();
    *emu.state.models.lock().unwrap() = Some(vec!["qwen2.5:7b".into(), "llama3.1:8b".into()]);
    let cases: [(&[&str], &str); 4] = [
        (
            &["--engine", "libretranslate", "--endpoint", &unreachable],
            "cannot reach the LibreTranslate server",
        ),
        (
            &[
                "--engine",
                "libretranslate",
                "--endpoint",
                "ftp://127.0.0.1/",
            ],
            "ftp",
        ),
        (&["--engine", "deepl"], "DEEPL_AUTH_KEY"),
        (
            &[
                "--engine",
                "openai",
                "--endpoint",
                &emu.url,
                "--model",
                "no-such-model",
            ],
            "qwen2.5:7b",
        ),
    ];
    for (engine, expected) in cases {
        for command in ["run", "translate"] {
            let mut cmd = transmend_in(p.path());
            cmd.args([command, "corpus/", "--out", "out/", "--retries", "0"])
                .args(engine);
            if command == "translate" {
                cmd.args(["--to", "en"]);
            }
            let out = cmd.output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{command} {engine:?}: {err}");
            assert!(err.contains(expected), "{command} {engine:?}: {err}");
            assert!(
                !p.path().join("out").exists(),
                "{command} {engine:?} wrote something: {err}"
            );
        }
    }
    assert_eq!(
        emu.state
            .translate_requests
            .load(std::sync::atomic::Ordering::SeqCst),
        0,
        "nothing was sent to translate"
    );
}
