//! Reposts as people save them: HTML pages, Markdown, Word documents and subtitles, checked
//! and repaired by the real binary run from a folder outside the repository, with the markup
//! left as it was.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

const MARKDOWN: &str = "law-motion-blog-post.en.md";
const SUBTITLES: &str = "lavery-video-message.zh.srt";

/// The binary, run in `dir` (never the repository).
fn transmend(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_transmend"));
    cmd.current_dir(dir).env_remove("RUST_LOG");
    cmd
}

/// A folder outside the repository holding copies of the named corpus documents.
fn folder(names: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in names {
        let from = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("corpus")
            .join(name);
        std::fs::copy(&from, dir.path().join(name)).unwrap();
    }
    dir
}

fn ok(out: &Output) -> &Output {
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    out
}

/// `check --format json` of one file in `dir`: its document line.
fn check(dir: &Path, name: &str) -> Value {
    let out = transmend(dir)
        .args(["check", "--format", "json", name])
        .output()
        .unwrap();
    let docs = common::documents(&String::from_utf8(ok(&out).stdout.clone()).unwrap());
    assert_eq!(docs.len(), 1, "{docs:?}");
    docs.into_iter().next().unwrap()
}

/// A document's flags as `(rule, flagged text)`.
fn found(doc: &Value) -> BTreeSet<(String, String)> {
    doc["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["text"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn set(pairs: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    pairs
        .iter()
        .map(|(r, t)| (r.to_string(), t.to_string()))
        .collect()
}

/// Every flag's `start..end` is where its text is in the decoded source file, and its line and
/// column point there too.
fn assert_offsets_in_source(doc: &Value, source: &str) {
    for f in doc["flags"].as_array().unwrap() {
        let (start, end) = (
            f["start"].as_u64().unwrap() as usize,
            f["end"].as_u64().unwrap() as usize,
        );
        let text = f["text"].as_str().unwrap();
        let at = &source[start..end];
        // Text across inline markup or a line break is shown without it.
        if !at.contains('<') && !at.contains('\n') && !at.contains('&') && !at.contains('*') {
            assert_eq!(at, text, "flag {f} is not at its source offsets");
        }
        let line = source[..start].matches('\n').count() + 1;
        let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
        let column = source[line_start..start].chars().count() + 1;
        assert_eq!(
            (
                f["line"].as_u64().unwrap() as usize,
                f["column"].as_u64().unwrap() as usize
            ),
            (line, column),
            "{f}"
        );
    }
}

#[test]
fn markdown_is_checked_in_its_prose_only() {
    let dir = folder(&[MARKDOWN]);
    let doc = check(dir.path(), MARKDOWN);
    assert_eq!(doc["format"], "markdown");
    assert_eq!(doc["language"], "en");
    assert_eq!(
        found(&doc),
        set(&[
            ("deprecated-term", "National Executive Council"),
            ("misspelled-term", "Jon Tricket"),
            ("misspelled-term", "Equality and Human Rights Commision"),
            ("misspelled-term", "Boycott, Disinvestment and Sanctions"),
            (
                "deprecated-term",
                "International Holocaust Remembrance Association"
            ),
            ("number-anomaly", "44"),
        ])
    );
    // Front matter, the code span, the code block and the URLs are left alone.
    let source = std::fs::read_to_string(dir.path().join(MARKDOWN)).unwrap();
    assert_offsets_in_source(&doc, &source);
    let starts: Vec<usize> = doc["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["start"].as_u64().unwrap() as usize)
        .collect();
    for left_alone in ["tags: [", "`Boycott", "grep -ri", "(https://", "(images/"] {
        let at = source.find(left_alone).unwrap();
        let end = source[at..].find('\n').map_or(source.len(), |i| at + i);
        assert!(
            !starts.iter().any(|s| (at..end).contains(s)),
            "a flag in {left_alone:?}"
        );
    }
}

#[test]
fn subtitles_are_checked_in_their_cue_text_only() {
    let dir = folder(&[SUBTITLES]);
    let doc = check(dir.path(), SUBTITLES);
    assert_eq!(doc["format"], "srt");
    assert_eq!(doc["language"], "zh");
    assert_eq!(
        found(&doc),
        set(&[
            ("deprecated-term", "劳动派对"),
            ("deprecated-term", "托里"),
            ("number-anomaly", "20020年"),
            ("artifact", " "),
        ])
    );
    let source = std::fs::read_to_string(dir.path().join(SUBTITLES)).unwrap();
    assert_offsets_in_source(&doc, &source);
}

/// `fix --out` of one file: the repaired copy's bytes.
fn fixed_copy(dir: &Path, name: &str) -> Vec<u8> {
    let out = transmend(dir)
        .args(["fix", name, "--out", "fixed"])
        .output()
        .unwrap();
    ok(&out);
    std::fs::read(dir.join("fixed").join(name)).unwrap()
}

/// Lines of a text that are not in the other (as a multiset, in order of the first).
fn changed_lines<'a>(a: &'a str, b: &str) -> Vec<&'a str> {
    let mut others: Vec<&str> = b.lines().collect();
    a.lines()
        .filter(|l| match others.iter().position(|o| o == l) {
            Some(i) => {
                others.remove(i);
                false
            }
            None => true,
        })
        .collect()
}

#[test]
fn markdown_fix_repairs_prose_and_keeps_code_links_and_front_matter() {
    let dir = folder(&[MARKDOWN]);
    let before = std::fs::read_to_string(dir.path().join(MARKDOWN)).unwrap();
    let after = String::from_utf8(fixed_copy(dir.path(), MARKDOWN)).unwrap();
    for kept in [
        "tags: [Labour, NEC, Bulllingdon]",
        "`Boycott, Disinvestment and Sanctions`",
        "grep -ri \"National Executive Council\" motions/",
        "(https://example.org/ehrc-Commision-report)",
        "(images/jon-tricket.jpg)",
        "**National Executive Committee**",
        "*Jon Trickett*",
        "[Equality and Human Rights Commission]",
        "Boycott, Divestment and Sanctions.",
        "International Holocaust Remembrance Alliance",
        "![Photo: Jon Trickett speaking",
    ] {
        assert!(after.contains(kept), "{kept:?} not in\n{after}");
    }
    assert!(after.contains("44 May"), "a number anomaly is not repaired");
    // Only the lines with repairs changed.
    assert_eq!(changed_lines(&before, &after).len(), 7, "{after}");
    // A second fix changes nothing.
    std::fs::copy(
        dir.path().join("fixed").join(MARKDOWN),
        dir.path().join("again.md"),
    )
    .unwrap();
    let again = transmend(dir.path())
        .args(["fix", "again.md", "--diff"])
        .output()
        .unwrap();
    assert!(
        ok(&again).stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&again.stdout)
    );
}

#[test]
fn subtitle_fix_keeps_numbers_timings_tags_and_line_endings() {
    let dir = folder(&[SUBTITLES]);
    let before = std::fs::read_to_string(dir.path().join(SUBTITLES)).unwrap();
    let after = String::from_utf8(fixed_copy(dir.path(), SUBTITLES)).unwrap();
    let expected = before
        .replace("<i>劳动派对</i>", "<i>工党</i>")
        .replace("好让托里", "好让保守党")
        .replace("必须 要求", "必须要求");
    assert_eq!(after, expected);
    assert_eq!(after.matches("\r\n").count(), after.matches('\n').count());
}

mod emulator;

/// `translate` into English against the loopback LibreTranslate: the translation in the
/// document's own markup, under `out/`.
fn translated(dir: &Path, name: &str, to: &str) -> (Output, std::path::PathBuf) {
    let emu = emulator::Background::start();
    let out = transmend(dir)
        .args(["translate", name, "--to", to, "--engine", "libretranslate"])
        .args(["--endpoint", &emu.url, "--no-cache", "--out", "out"])
        .args(["--retry-delay-ms", "5", "--timeout", "60"])
        .env("HOME", dir)
        .env("XDG_CACHE_HOME", dir.join("xdg"))
        .output()
        .unwrap();
    let (stem, ext) = name.split_once('.').unwrap();
    let ext = ext.rsplit('.').next().unwrap();
    (out, dir.join("out").join(format!("{stem}.{to}.{ext}")))
}

#[test]
fn markdown_translates_into_markdown_with_its_markup() {
    let dir = folder(&[MARKDOWN]);
    let (out, path) = translated(dir.path(), MARKDOWN, "zh");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = std::fs::read_to_string(&path).unwrap();
    let original = std::fs::read_to_string(dir.path().join(MARKDOWN)).unwrap();
    // Front matter, code and URLs are the original's; every prose block was sent.
    for kept in [
        "---\ntitle: \"A motion on NEC elections\"\ntags: [Labour, NEC, Bulllingdon]\n---\n",
        "`Boycott, Disinvestment and Sanctions`",
        "```sh\ngrep -ri \"National Executive Council\" motions/\n```",
        "](https://example.org/ehrc-Commision-report)",
        "](images/jon-tricket.jpg)",
        "|------|--------------------|",
    ] {
        assert!(md.contains(kept), "{kept:?} not in\n{md}");
    }
    assert!(
        md.contains("# EN: What the 工党反猎巫组织 motion on"),
        "{md}"
    );
    // The emulator "translates" by prefixing EN: and writing glossary terms in Chinese.
    assert!(
        md.contains("EN: It asks the **全国执行委员会** to hold"),
        "{md}"
    );
    assert!(
        md.contains("the [平等与人权委员会](https://example.org/ehrc-Commision-report) report"),
        "{md}"
    );
    assert!(
        md.contains("![EN: Photo: 乔恩·特里克特 speaking at the rally](images/"),
        "{md}"
    );
    // As many lines, blocks and code fences as the original.
    assert_eq!(md.matches("```").count(), original.matches("```").count());
    assert_eq!(md.matches("\n\n").count(), original.matches("\n\n").count());
    // The bilingual files are written too.
    assert!(
        dir.path()
            .join("out/law-motion-blog-post.en-zh.xlf")
            .exists()
    );
}

#[test]
fn subtitles_translate_cue_by_cue_with_timings_kept() {
    let dir = folder(&[SUBTITLES]);
    let (out, path) = translated(dir.path(), SUBTITLES, "en");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let srt = std::fs::read_to_string(&path).unwrap();
    let original = std::fs::read_to_string(dir.path().join(SUBTITLES)).unwrap();
    let timings = |s: &str| -> Vec<String> {
        s.lines()
            .filter(|l| l.contains("-->") || l.trim().parse::<u32>().is_ok())
            .map(str::to_string)
            .collect()
    };
    assert_eq!(timings(&srt), timings(&original));
    assert!(srt.contains("，<i>Labour Party</i>的"), "{srt}");
    assert_eq!(srt.matches("EN: ").count(), 7, "one per segment: {srt}");
}
