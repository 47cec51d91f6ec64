//! Helpers shared by the CLI integration tests: run the real binary from the crate root.
#![allow(dead_code, unreachable_pub, clippy::unwrap_used)]

use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// The `transmend` binary built by cargo for these tests, run from the crate root.
pub fn transmend() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_transmend"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd.env_remove("RUST_LOG");
    cmd
}

/// The binary (run from the crate root) with no engine, endpoint or key from the environment,
/// and its cache and home under `home`: what a test translates with is what it says.
pub fn isolated(home: &Path) -> Command {
    let mut cmd = transmend();
    for var in [
        "TRANSMEND_ENGINE",
        "TRANSMEND_ENDPOINT",
        "TRANSMEND_API_KEY",
        "DEEPL_AUTH_KEY",
        "OPENAI_API_KEY",
        "LIBRETRANSLATE_API_KEY",
        "GOOGLE_API_KEY",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("XDG_CACHE_HOME", home.join("xdg"))
        .env("HOME", home);
    cmd
}

/// `transmend ARGS` run in `dir` (a folder outside the repository), isolated as [`isolated`].
pub fn in_dir(dir: &Path, args: &[&str]) -> std::process::Output {
    isolated(dir).current_dir(dir).args(args).output().unwrap()
}

/// Runs `check --format json` on paths; returns the exit code and the parsed lines.
pub fn check_json(paths: &[&Path]) -> (i32, Vec<Value>) {
    let out = transmend()
        .args(["check", "--format", "json"])
        .args(paths)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    (out.status.code().unwrap_or(-1), documents(&stdout))
}

/// The document lines of a JSON report (`check --format json`, `run`'s report.jsonl). The
/// opening line must name the glossaries used; it and a closing `corpus` line are left out.
pub fn documents(report: &str) -> Vec<Value> {
    let mut lines: Vec<Value> = report
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line {l}: {e}")))
        .collect();
    assert!(
        lines
            .first()
            .is_some_and(|h| h["transmend"]["glossaries"].is_array()),
        "no opening line naming the glossaries: {report}"
    );
    lines.remove(0);
    if lines.last().is_some_and(|l| l.get("corpus").is_some()) {
        lines.pop();
    }
    lines
}

/// `transmend translate ARGS --engine libretranslate` run in `dir` (outside the repository)
/// against the loopback emulator at `url`: no cache, quick retries, `HOME` in `dir`.
pub fn translate_in(dir: &Path, url: &str, args: &[&str]) -> std::process::Output {
    isolated(dir)
        .current_dir(dir)
        .arg("translate")
        .args(args)
        .args([
            "--engine",
            "libretranslate",
            "--endpoint",
            url,
            "--no-cache",
        ])
        .args(["--retry-delay-ms", "5", "--timeout", "60"])
        .output()
        .unwrap()
}

/// The entries of a zip: name and content, in order.
pub fn zip_entries(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut entry = archive.by_index(i).unwrap();
            let mut content = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut content).unwrap();
            (entry.name().unwrap().to_string(), content)
        })
        .collect()
}

/// The text of the `w:t` elements of a part, paragraph by paragraph.
pub fn word_paragraphs(xml: &[u8]) -> Vec<String> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut out = Vec::new();
    let mut current = String::new();
    let mut in_text = false;
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf).unwrap() {
            quick_xml::events::Event::Start(e) if e.name().0 == "w:t" => in_text = true,
            quick_xml::events::Event::End(e) if e.name().0 == "w:t" => in_text = false,
            quick_xml::events::Event::End(e) if e.name().0 == "w:p" => {
                out.push(std::mem::take(&mut current));
            }
            quick_xml::events::Event::Text(t) if in_text => {
                current.push_str(t.as_ref());
            }
            quick_xml::events::Event::GeneralRef(r) if in_text => {
                let r: &str = r.as_ref();
                current.push_str(match r {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    _ => "?",
                });
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    out
}

/// The rows of a gold TSV file: its header, `#` comments and blank lines left out, each row
/// split at tabs.
pub fn gold_rows(path: &str) -> Vec<Vec<String>> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .lines()
        .skip(1)
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}
