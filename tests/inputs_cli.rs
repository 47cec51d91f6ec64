//! Input from anywhere and outputs that mirror it: standard input (`-`), a FIFO or
//! `/dev/stdin` named on the command line, folders saved from a web page (images, PDFs,
//! scripts), missing paths, same-named files in different folders, absolute paths, and
//! `fix --diff` of a legacy encoding on a terminal. The binary runs from folders outside the
//! repository, as a volunteer would run it.
#![allow(clippy::unwrap_used)]

mod emulator;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const GARBLED: &str = "我们是劳动派对的成员，托里政府必须下台。\n";

fn transmend_in(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_transmend"));
    cmd.current_dir(dir)
        .env_remove("RUST_LOG")
        .env_remove("TRANSMEND_ENGINE")
        .env_remove("TRANSMEND_ENDPOINT")
        .env("HOME", dir);
    cmd
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs `cmd` with `input` on its standard input.
fn with_stdin(mut cmd: Command, input: &[u8]) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

/// The document lines of a JSON report.
fn documents(stdout: &[u8]) -> Vec<Value> {
    text(stdout)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|v| v.get("path").is_some())
        .collect()
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                out.extend(files_under(&path));
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn standard_input_is_checked_and_fixed_like_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut check = transmend_in(dir.path());
    check.args(["check", "--format", "json", "-"]);
    let out = with_stdin(check, GARBLED.as_bytes());
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let docs = documents(&out.stdout);
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["path"], "-");
    assert!(docs[0]["flags"].to_string().contains("劳动派对"));

    // --stdin-name names it in the report.
    let mut check = transmend_in(dir.path());
    check.args([
        "check",
        "--format",
        "json",
        "--stdin-name",
        "repost.zh.txt",
        "-",
    ]);
    let out = with_stdin(check, GARBLED.as_bytes());
    assert_eq!(documents(&out.stdout)[0]["path"], "repost.zh.txt");

    // fix - > fixed.txt: the repaired text itself, nothing else on stdout.
    let mut fix = transmend_in(dir.path());
    fix.args(["fix", "-"]);
    let out = with_stdin(fix, GARBLED.as_bytes());
    assert!(out.status.code() != Some(2), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "我们是工党的成员，保守党政府必须下台。\n"
    );

    // fix - --diff: a diff, and --write refuses stdin before reading it.
    let mut diff = transmend_in(dir.path());
    diff.args(["fix", "-", "--diff"]);
    let out = with_stdin(diff, GARBLED.as_bytes());
    assert!(
        text(&out.stdout).contains("+我们是工党"),
        "{}",
        text(&out.stdout)
    );
    let mut write = transmend_in(dir.path());
    write.args(["fix", "-", "--write"]);
    let out = with_stdin(write, GARBLED.as_bytes());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("cannot be rewritten in place"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn dev_stdin_and_a_fifo_named_on_the_command_line_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let mut check = transmend_in(dir.path());
    check.args(["check", "--format", "json", "/dev/stdin"]);
    let out = with_stdin(check, GARBLED.as_bytes());
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(
        documents(&out.stdout)[0]["flags"]
            .to_string()
            .contains("劳动派对")
    );

    let fifo = dir.path().join("pipe.txt");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::write(fifo, GARBLED).unwrap())
    };
    let out = transmend_in(dir.path())
        .args(["check", "--format", "json", "pipe.txt"])
        .output()
        .unwrap();
    writer.join().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert_eq!(documents(&out.stdout)[0]["path"], "pipe.txt");
}

#[test]
fn a_saved_web_page_folder_passes_over_images_and_scripts_with_one_note_per_kind() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("saved");
    std::fs::create_dir_all(page.join("page_files")).unwrap();
    std::fs::write(page.join("repost.txt"), GARBLED).unwrap();
    for name in ["a.png", "b.jpg", "c.gif"] {
        std::fs::write(page.join("page_files").join(name), b"\x89PNG\r\n\x1a\n\0\0").unwrap();
    }
    std::fs::write(page.join("page_files/app.js"), "var dataLayer = [];").unwrap();
    std::fs::write(page.join("page_files/scan"), b"%PDF-1.4\n%\xe2\xe3").unwrap();
    let out = transmend_in(dir.path())
        .args(["check", "--format", "json", "saved"])
        .output()
        .unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "flags, but nothing unreadable: {stderr}"
    );
    let docs = documents(&out.stdout);
    assert_eq!(docs.len(), 1, "only the text is a document: {docs:?}");
    assert_eq!(
        stderr.matches("note: skipping images").count(),
        1,
        "{stderr}"
    );
    assert_eq!(
        stderr
            .matches("note: skipping stylesheets and scripts")
            .count(),
        1,
        "{stderr}"
    );
    assert_eq!(
        stderr.matches("note: skipping PDFs").count(),
        1,
        "by its first bytes: {stderr}"
    );

    // Named on the command line, they are errors that say what to do.
    std::fs::write(
        dir.path().join("statement.doc"),
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest",
    )
    .unwrap();
    let out = transmend_in(dir.path())
        .args(["check", "--format", "json", "statement.doc"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let line = &documents(&out.stdout)[0];
    assert_eq!(line["path"], "statement.doc");
    let error = line["error"].as_str().unwrap();
    assert!(
        error.starts_with(
            "a .doc file, not a text document: not supported; save it as a Word document (.docx)"
        ),
        "{error}"
    );
    // A .docx is read; one that is no zip says so.
    std::fs::write(dir.path().join("statement.docx"), b"PK\x03\x04rest").unwrap();
    let out = transmend_in(dir.path())
        .args(["check", "--format", "json", "statement.docx"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let error = documents(&out.stdout)[0]["error"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(error.starts_with("cannot read as docx: "), "{error}");
}

#[test]
fn a_missing_path_is_an_error_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("corpus")).unwrap();
    std::fs::write(dir.path().join("corpus/a.zh.txt"), GARBLED).unwrap();
    for args in [
        &["run", "corpus/law.txt", "corpus", "--out", "out"][..],
        &["fix", "corpus", "corpus/law.txt", "--out", "out"][..],
    ] {
        let out = transmend_in(dir.path()).args(args).output().unwrap();
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("corpus/law.txt: cannot read: No such file"),
            "{stderr}"
        );
        assert!(!dir.path().join("out").exists(), "{args:?} wrote something");
    }
}

#[test]
fn outputs_mirror_the_input_tree_so_same_names_never_collide() {
    let dir = tempfile::tempdir().unwrap();
    let reposts = dir.path().join("reposts");
    for sub in ["a", "b"] {
        std::fs::create_dir_all(reposts.join(sub)).unwrap();
        std::fs::write(reposts.join(sub).join("statement.zh.txt"), GARBLED).unwrap();
    }
    let emu = emulator::Background::start();
    // An absolute folder: mirrored under its own name, not its whole path.
    let out = transmend_in(dir.path())
        .arg("run")
        .arg(&reposts)
        .args([
            "--out",
            "out",
            "--engine",
            "libretranslate",
            "--endpoint",
            &emu.url,
        ])
        .args(["--no-cache", "--retry-delay-ms", "5"])
        .output()
        .unwrap();
    let stderr = text(&out.stderr);
    assert!(out.status.code() != Some(2), "{stderr}");
    let o = dir.path().join("out");
    for sub in ["a", "b"] {
        assert!(
            o.join("fixed/reposts")
                .join(sub)
                .join("statement.zh.txt")
                .is_file()
        );
        assert!(
            o.join("diff/reposts")
                .join(sub)
                .join("statement.zh.txt.diff")
                .is_file()
        );
        for ext in ["md", "tmx", "xlf", "jsonl"] {
            let file = o
                .join("bilingual/reposts")
                .join(sub)
                .join(format!("statement.zh-en.{ext}"));
            assert!(file.is_file(), "{}: {stderr}", file.display());
        }
    }
    let stray: Vec<PathBuf> = files_under(&o.join("fixed"))
        .into_iter()
        .filter(|p| !p.starts_with(o.join("fixed/reposts")))
        .collect();
    assert!(
        stray.is_empty(),
        "nothing under the absolute path: {stray:?}"
    );

    // translate: the same names in two folders both get their files.
    let out = transmend_in(dir.path())
        .args(["translate", "reposts", "--to", "en", "--out", "bi"])
        .args([
            "--engine",
            "libretranslate",
            "--endpoint",
            &emu.url,
            "--no-cache",
        ])
        .output()
        .unwrap();
    assert!(out.status.code() != Some(2), "{}", text(&out.stderr));
    assert!(dir.path().join("bi/reposts/a/statement.zh-en.md").is_file());
    assert!(dir.path().join("bi/reposts/b/statement.zh-en.md").is_file());

    // Two files of the same name given by name mirror to the same place: a clear error.
    let out = transmend_in(dir.path())
        .args([
            "fix",
            "reposts/a/statement.zh.txt",
            "reposts/b/statement.zh.txt",
            "--out",
            "o",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("would overwrite that of reposts/a/statement.zh.txt"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn fix_diff_of_a_legacy_encoding_is_readable_on_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let (gb, _, _) = encoding_rs::GB18030.encode(GARBLED);
    std::fs::write(dir.path().join("gb.txt"), &gb).unwrap();
    // Piped: the file's own bytes, so that patch applies it.
    let out = transmend_in(dir.path())
        .args(["fix", "gb.txt"])
        .output()
        .unwrap();
    assert!(
        !out.stdout.windows(6).any(|w| w == "工党".as_bytes()),
        "GB18030 bytes"
    );
    // On a terminal (a pseudo-terminal from util-linux's script): UTF-8 text and a note.
    let bin = env!("CARGO_BIN_EXE_transmend");
    let out = Command::new("script")
        .current_dir(dir.path())
        .env("HOME", dir.path())
        .args(["-qec", &format!("{bin} fix gb.txt"), "/dev/null"])
        .output()
        .expect("script (util-linux) gives the binary a terminal");
    let shown = text(&out.stdout);
    assert!(shown.contains("+我们是工党的成员"), "{shown}");
    assert!(
        shown.contains("GB18030") && shown.contains("patch"),
        "{shown}"
    );
}
