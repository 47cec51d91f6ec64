//! Hostile inputs, generated in a temporary folder: binary, empty, BOM-only, broken and
//! truncated UTF-8, UTF-16 without a BOM, a 4 MB line, a 3 MB word, mixed encodings, a FIFO,
//! symlink loops, a deep tree, file names with non-UTF-8 bytes and newlines. The real binary
//! runs `check --format json` and `fix --out` over them: every regular file gets a report line
//! or a clear error, the rest is skipped with a note, the run ends, and the exit code is 2
//! because some files are refused.
#![cfg(unix)]
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A hang guard, not a timing assertion: a debug build finishes in a fraction of this.
const DEADLINE: Duration = Duration::from_secs(300);

/// The Chinese seed's kind of text, for filling large files with something realistic.
const ZH: &str =
    "工党的全国执行委员会必须召开紧急会议，讨论泄露的报告。劳动派对 NEC 的成员们 ’S 说 ";

fn build_tree(root: &Path) {
    fs::create_dir_all(root).unwrap();
    let put = |name: &str, bytes: &[u8]| fs::write(root.join(name), bytes).unwrap();
    put(
        "binary.bin",
        // No known kind of file (an ELF program would be passed over as one): junk.
        b"\x13\x37\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0\x01\0\0\0\x10\x10\0\0\xff\xfe\x00",
    );
    put("empty.txt", b"");
    put("bom-only.txt", b"\xEF\xBB\xBF");
    put("bom-only-utf16.txt", b"\xFF\xFE");
    let mut invalid = "工党的全国执行委员会开会了。".repeat(40).into_bytes();
    invalid.extend(b"\xC3\x28 \xA0\xA1 \xE2\x28\xA1 \xF0\x28\x8C\xBC \xFF\xFE");
    invalid.extend("我们是工党的成员。".as_bytes());
    put("invalid-utf8.txt", &invalid);
    let mut truncated = "Labour Party 工党的全国执行委员会".as_bytes().to_vec();
    truncated.truncate(truncated.len() - 2);
    put("truncated-utf8.txt", &truncated);
    let utf16: Vec<u8> = "The National Executive Committee of the Labour Party met.\n"
        .repeat(20)
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    put("utf16le-no-bom.txt", &utf16);
    let utf16be: Vec<u8> = "工党 NEC met on Monday; 劳动派对 is wrong.\n"
        .repeat(20)
        .encode_utf16()
        .flat_map(u16::to_be_bytes)
        .collect();
    put("utf16be-no-bom.txt", &utf16be);

    // 4 MB on one line: Chinese sentences without a single line break (a quadratic pass over it
    // would take hours, so the deadline still catches one; 12 MB made the debug build take
    // minutes for nothing more).
    let mut line = String::with_capacity(4 << 20);
    while line.len() < 4 << 20 {
        line.push_str(ZH);
    }
    put("huge-line.zh.txt", line.as_bytes());
    // 3 MB of one "word": letters only, no space, no punctuation.
    let word: String = "Labourparty".chars().cycle().take(3 << 20).collect();
    put("huge-word.txt", word.as_bytes());
    // And a 3 MB run of Han characters with no punctuation.
    let han: String = "工党执行委员会劳动派对"
        .chars()
        .cycle()
        .take(1 << 20)
        .collect();
    put("huge-han-word.txt", han.as_bytes());

    // UTF-8, GB18030 and windows-1252 lines in one file.
    let mut mixed = "Labour Party: 工党的全国执行委员会。\n".as_bytes().to_vec();
    let (gbk, _, _) =
        encoding_rs::GB18030.encode("我们知道这种震惊和沮丧在工人运动中被广泛分享。\n");
    mixed.extend_from_slice(&gbk);
    let (latin, _, _) =
        encoding_rs::WINDOWS_1252.encode("Le comité exécutif a décidé d’adopter la résolution.\n");
    mixed.extend_from_slice(&latin);
    put("mixed-encodings.txt", &mixed);

    // Non-regular files and links.
    let fifo = root.join("a-fifo");
    let status = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(status.success(), "mkfifo failed");
    fs::create_dir_all(root.join("loop")).unwrap();
    symlink("..", root.join("loop/up")).unwrap();
    symlink("self-link", root.join("self-link")).unwrap();

    // 12 levels deep, a file at the bottom.
    let mut deep = root.to_path_buf();
    for level in 1..=12 {
        deep.push(format!("d{level}"));
    }
    fs::create_dir_all(&deep).unwrap();
    fs::write(deep.join("bottom.zh.txt"), "工党开会了。劳动派对开会了。\n").unwrap();

    // File names that are not UTF-8, or hold a newline.
    let raw = OsStr::from_bytes(b"latin1-\xe9t\xe9-\xff.txt");
    fs::write(root.join(raw), "The Labour Party met.\n").unwrap();
    fs::write(
        root.join("new\nline.txt"),
        "劳动派对的全国执行委员会开会了。\n",
    )
    .unwrap();
}

/// Regular files under `root`, not following links, hidden ones left out (as the tool does).
fn regular_files(root: &Path) -> BTreeSet<PathBuf> {
    let mut out = BTreeSet::new();
    for entry in fs::read_dir(root).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        if entry.file_name().as_bytes().first() == Some(&b'.') {
            continue;
        }
        let meta = fs::symlink_metadata(&path).unwrap();
        if meta.is_dir() {
            out.extend(regular_files(&path));
        } else if meta.is_file() {
            out.insert(path);
        }
    }
    out
}

struct Run {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: String,
}

/// Runs the binary with stdout and stderr in files (no pipe can fill up) and a deadline.
fn run_with_deadline(mut cmd: Command, logs: &Path, what: &str) -> Run {
    fs::create_dir_all(logs).unwrap();
    let out_path = logs.join(format!("{what}.stdout"));
    let err_path = logs.join(format!("{what}.stderr"));
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(fs::File::create(&out_path).unwrap())
        .stderr(fs::File::create(&err_path).unwrap())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > DEADLINE {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!(
                "`transmend {what}` on the hostile tree did not finish within {DEADLINE:?}: a hang. stderr so far:\n{}",
                String::from_utf8_lossy(&fs::read(&err_path).unwrap())
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    Run {
        code: status.code(),
        stdout: fs::read(&out_path).unwrap(),
        stderr: String::from_utf8_lossy(&fs::read(&err_path).unwrap()).into_owned(),
    }
}

fn lossy(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

#[test]
fn check_and_fix_survive_the_hostile_tree() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("hostile");
    build_tree(&root);
    let files = regular_files(&root);
    assert!(files.len() >= 15, "{files:?}");

    // check --format json: one line per regular file, a report or an error.
    let mut cmd = common::transmend();
    cmd.args(["check", "--format", "json"]).arg(&root);
    let run = run_with_deadline(cmd, &tmp.path().join("logs"), "check");
    let stdout = String::from_utf8(run.stdout).expect("the JSON report is UTF-8");
    let mut reported = BTreeSet::new();
    let mut refused = BTreeSet::new();
    for v in common::documents(&stdout) {
        let path = v["path"].as_str().unwrap().to_string();
        if let Some(error) = v["error"].as_str() {
            assert!(error.len() > 10, "a clear error for {path}: {error}");
            refused.insert(path.clone());
        } else {
            assert!(v["flags"].is_array(), "{v}");
        }
        assert!(reported.insert(path.clone()), "{path} reported twice");
    }
    let expected: BTreeSet<String> = files.iter().map(|p| lossy(p)).collect();
    assert_eq!(reported, expected, "one line per regular file");
    assert!(
        refused.contains(&lossy(&root.join("binary.bin"))),
        "{refused:?}"
    );
    for name in [
        "huge-line.zh.txt",
        "huge-word.txt",
        "empty.txt",
        "bom-only.txt",
    ] {
        assert!(
            !refused.contains(&lossy(&root.join(name))),
            "{name} refused"
        );
    }
    assert_eq!(run.code, Some(2), "a refused file: exit 2\n{}", run.stderr);
    for skipped in ["a-fifo", "self-link", "up"] {
        assert!(
            run.stderr
                .lines()
                .any(|l| l.contains(skipped) && l.contains("skipped")),
            "{skipped} skipped with a note:\n{}",
            run.stderr
        );
    }
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);

    // fix --out: every regular file is written under the folder or named in an error.
    let out_dir = tmp.path().join("fixed");
    let mut cmd = common::transmend();
    cmd.args(["fix", "--out"]).arg(&out_dir).arg(&root);
    let run = run_with_deadline(cmd, &tmp.path().join("logs"), "fix");
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("error:"))
        .collect();
    for file in &files {
        // The copy mirrors the tree under the folder's name (`fixed/hostile/...`).
        let copy = out_dir.join(transmend::pipeline::mirror_of(&root, file));
        let name = file.file_name().unwrap().to_string_lossy();
        let first_line = name.lines().next().unwrap_or_default().to_string();
        assert!(
            copy.is_file() || errors.iter().any(|e| e.contains(&first_line)),
            "{}: neither written nor named in an error:\n{}",
            file.display(),
            run.stderr
        );
    }
    assert!(
        errors.iter().any(|e| e.contains("binary.bin")),
        "{errors:?}"
    );
    // Nothing was written outside the output folder, and no temporary file was left in it.
    let written = regular_files(&out_dir);
    assert!(written.iter().all(|p| p.starts_with(&out_dir)));
    let mut leftovers = Vec::new();
    walk_all(&out_dir, &mut leftovers);
    assert!(
        leftovers.iter().all(|p| !p
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with(".transmend-")),
        "{leftovers:?}"
    );
}

fn walk_all(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if fs::symlink_metadata(&path).unwrap().is_dir() {
            walk_all(&path, out);
        } else {
            out.push(path);
        }
    }
}
