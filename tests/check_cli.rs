//! `transmend check`: the real binary on real files in every supported encoding, on junk,
//! and on the two seed documents.

#![allow(clippy::unwrap_used)]

mod common;

use std::fs;
use std::path::Path;

use common::{check_json, documents, transmend};
use serde_json::Value;

const ZH: &str = "工党的全国执行委员会必须召开紧急会议。我们知道这种震惊和沮丧在工人运动中被广泛分享。\n\n泄露的报告需要由工党正式公布。";
const ZH_TRAD: &str =
    "工黨的全國執行委員會必須召開緊急會議。我們知道這種震驚和沮喪在工人運動中被廣泛分享。";
const JA: &str = "労働党の全国執行委員会は、漏洩した報告書について緊急会議を開かなければならない。";
const FR: &str = "Le comité exécutif national a décidé d’adopter la résolution à l’unanimité. Les délégués ont applaudi.";

fn encode(label: &str, text: &str) -> Vec<u8> {
    let enc = encoding_rs::Encoding::for_label(label.as_bytes()).unwrap();
    let (bytes, _, unmappable) = enc.encode(text);
    assert!(!unmappable);
    bytes.into_owned()
}

fn utf16(text: &str, le: bool) -> Vec<u8> {
    let mut out = if le {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    for u in text.encode_utf16() {
        out.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
    }
    out
}

fn by_name<'a>(lines: &'a [Value], name: &str) -> &'a Value {
    lines
        .iter()
        .find(|v| v["path"].as_str().is_some_and(|p| p.ends_with(name)))
        .unwrap_or_else(|| panic!("no line for {name} in {lines:?}"))
}

#[test]
fn every_supported_encoding_is_decoded_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let files: [(&str, Vec<u8>, &str, &str, u64); 8] = [
        ("gb18030.txt", encode("gb18030", ZH), "GB18030", "zh", 3),
        ("big5.txt", encode("big5", ZH_TRAD), "Big5", "zh", 2),
        ("sjis.txt", encode("shift_jis", JA), "Shift_JIS", "ja", 1),
        (
            "cp1252.txt",
            encode("windows-1252", FR),
            "windows-1252",
            "fr",
            2,
        ),
        ("utf16le.txt", utf16(ZH, true), "UTF-16LE", "zh", 3),
        ("utf16be.txt", utf16(FR, false), "UTF-16BE", "fr", 2),
        (
            "utf8bom.txt",
            [b"\xEF\xBB\xBF".as_slice(), ZH.as_bytes()].concat(),
            "UTF-8",
            "zh",
            3,
        ),
        ("utf8.txt", FR.as_bytes().to_vec(), "UTF-8", "fr", 2),
    ];
    for (name, bytes, ..) in &files {
        fs::write(dir.path().join(name), bytes).unwrap();
    }
    let (code, lines) = check_json(&[dir.path()]);
    assert_eq!(code, 0);
    assert_eq!(lines.len(), files.len());
    for (name, _, encoding, lang, segments) in &files {
        let v = by_name(&lines, name);
        assert_eq!(v["encoding"], *encoding, "{name}");
        assert_eq!(v["language"], *lang, "{name}");
        assert_eq!(v["segments"], *segments, "{name}");
        assert_eq!(v["flags"], serde_json::json!([]), "{name}");
    }
    // Sorted, deterministic order.
    let paths: Vec<&str> = lines.iter().map(|v| v["path"].as_str().unwrap()).collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
}

#[test]
fn junk_is_reported_file_by_file_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("a-empty.txt"), b"").unwrap();
    fs::write(d.join("b-bom-only.txt"), b"\xEF\xBB\xBF").unwrap();
    // Bytes of no known kind with NULs in them: junk, refused.
    fs::write(
        d.join("c-binary.bin"),
        b"\x13\x37\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0\x01\0\0\0",
    )
    .unwrap();
    // A program (by its first bytes) and an image (by its name): passed over, not refused.
    fs::write(d.join("g-tool"), b"\x7fELF\x02\x01\x01\0\0\0").unwrap();
    fs::write(d.join("h-logo.png"), b"\x89PNG\r\n\x1a\n\0\0").unwrap();
    let mut truncated = ZH.as_bytes().to_vec();
    truncated.truncate(truncated.len() - 2);
    fs::write(d.join("d-truncated.txt"), &truncated).unwrap();
    fs::write(d.join("e-good.txt"), ZH).unwrap();
    fs::write(d.join(".hidden.txt"), ZH).unwrap();
    let fifo = d.join("f-fifo");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(status.success(), "mkfifo failed");

    let out = transmend()
        .args(["check", "--format", "json"])
        .arg(d)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "a refused file means exit 2");
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<Value> = documents(&stdout);
    assert_eq!(lines.len(), 5, "hidden file and FIFO get no line: {stdout}");

    let empty = by_name(&lines, "a-empty.txt");
    assert_eq!(
        (empty["segments"].as_u64(), empty["language"].is_null()),
        (Some(0), true)
    );
    assert_eq!(by_name(&lines, "b-bom-only.txt")["segments"], 0);
    let binary = by_name(&lines, "c-binary.bin");
    let reason = binary["error"].as_str().unwrap();
    assert!(
        reason.contains("binary") && reason.contains("NUL"),
        "{reason}"
    );
    let truncated = by_name(&lines, "d-truncated.txt");
    assert_eq!(truncated["encoding"], "UTF-8");
    assert_eq!(truncated["replacements"], 1);
    assert_eq!(by_name(&lines, "e-good.txt")["language"], "zh");

    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("f-fifo") && stderr.contains("not a regular file"),
        "{stderr}"
    );
}

#[test]
fn oversized_and_missing_files_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.txt");
    fs::write(&big, "x".repeat(2000)).unwrap();
    let missing = dir.path().join("missing.txt");
    let out = transmend()
        .args(["check", "--format", "json", "--max-file-size", "1000"])
        .arg(&big)
        .arg(&missing)
        .output()
        .unwrap();
    // A path that does not exist is an error before anything is checked or written.
    assert_eq!(out.status.code(), Some(2));
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("missing.txt: cannot read: No such file"),
        "{stderr}"
    );
    let out = transmend()
        .args(["check", "--format", "json", "--max-file-size", "1000"])
        .arg(&big)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<Value> = documents(&stdout);
    assert!(
        lines[0]["error"]
            .as_str()
            .unwrap()
            .contains("over the limit of 1000 bytes")
    );
}

#[test]
fn symlinks_leaving_the_folder_are_skipped() {
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("secret.txt"), "outside text").unwrap();
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("inside.txt"), ZH).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        dir.path().join("link-out.txt"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        dir.path().join("inside.txt"),
        dir.path().join("link-in.txt"),
    )
    .unwrap();
    std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).unwrap();
    let out = transmend()
        .args(["check", "--format", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let names: Vec<String> = documents(&stdout)
        .iter()
        .map(|l| l["path"].as_str().unwrap().to_string())
        .collect();
    assert!(names.iter().any(|n| n.ends_with("inside.txt")));
    assert!(names.iter().any(|n| n.ends_with("link-in.txt")));
    assert!(!names.iter().any(|n| n.contains("link-out")), "{names:?}");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("link-out.txt: symlink leads outside the folder"),
        "{stderr}"
    );
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}

#[test]
fn chinese_seed_is_zh_with_located_english_runs() {
    let seed = Path::new("corpus/scg-statement-leaked-report.zh.txt");
    let out = transmend()
        .args(["check", "--format", "json", "--segments"])
        .arg(seed)
        .output()
        .unwrap();
    let v: Value = documents(&String::from_utf8(out.stdout).unwrap()).remove(0);
    assert_eq!(v["language"], "zh");
    assert_eq!(v["encoding"], "UTF-8");
    let en = v["languages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["lang"] == "en")
        .unwrap();
    assert!(en["share"].as_f64().unwrap() > 0.0);
    let text = fs::read_to_string(seed).unwrap();
    let english: Vec<&str> = v["segment_list"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["runs"].as_array().unwrap().iter())
        .filter(|r| r["lang"] == "en")
        .map(|r| &text[r["start"].as_u64().unwrap() as usize..r["end"].as_u64().unwrap() as usize])
        .collect();
    for expected in [
        "It shows that",
        "senior figures",
        "simple dismissal",
        "Bulllingdon Club",
        "Ian Lavery",
    ] {
        assert!(
            english.contains(&expected),
            "{expected} not located in {english:?}"
        );
    }
    // The segment holding "It shows that" is still a Chinese sentence.
    let seg = v["segment_list"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| text[s["start"].as_u64().unwrap() as usize..].starts_with("It shows that"))
        .unwrap();
    assert_eq!(seg["language"], "zh");
}

#[test]
fn english_seed_is_english_only() {
    let (code, lines) = check_json(&[Path::new("corpus/law-nec-elections-motion-2020.en.txt")]);
    assert_ne!(code, 2);
    let v = &lines[0];
    assert_eq!(v["language"], "en");
    let langs = v["languages"].as_array().unwrap();
    assert_eq!(langs.len(), 1, "no other language at 2% or more: {langs:?}");
}

#[test]
fn human_format_summarises_each_file() {
    let out = transmend()
        .args([
            "check",
            "--format",
            "human",
            "corpus/law-nec-elections-motion-2020.en.txt",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.starts_with(
            "corpus/law-nec-elections-motion-2020.en.txt: UTF-8, en 100%, 36 segments"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("1 document checked, 0 could not be read"),
        "{stdout}"
    );
}

#[test]
fn usage_errors_exit_2() {
    let out = transmend().args(["check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = transmend()
        .args(["check", "--lang", "english!", "x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a BCP 47 language code"));
}

#[test]
fn corpus_wide_inconsistency_is_in_the_human_summary() {
    let out = transmend()
        .args(["check", "--format", "human", "corpus/", "tests/data/clean/"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("one concept in several forms across the corpus"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "antisemitism (zh): '反犹主义' in 1 document(s), '反犹太主义' in 3 document(s)"
        ),
        "{stdout}"
    );
}

/// Messages read as English: "an English text", "1 document", "1 time".
#[test]
fn messages_use_the_right_article_and_number() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("note.en.txt");
    fs::write(
        &file,
        "The statement from the National Executive Committee was read out. 工党 members agreed.\n",
    )
    .unwrap();
    let (_, lines) = check_json(&[&file]);
    let messages: Vec<&str> = lines[0]["flags"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["message"].as_str())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("left untranslated in an English text")),
        "{messages:?}"
    );
    assert!(
        messages.iter().all(|m| !m.contains(" a English")),
        "{messages:?}"
    );
}
