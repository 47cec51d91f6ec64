//! `transmend fix`: the real binary on copies of the seed and on garbled files in several
//! encodings; the diff applies with `patch`, originals stay untouched, a second fix is a no-op,
//! and a failed or interrupted `--write` leaves the old file.

#![allow(clippy::unwrap_used)]

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::transmend;

const SEED: &str = "corpus/scg-statement-leaked-report.zh.txt";

fn glossary() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("glossary/labour.csv")
}

/// Runs `transmend --glossary ... fix ARGS` in `dir`.
fn fix(dir: &Path, args: &[&str]) -> Output {
    transmend()
        .current_dir(dir)
        .arg("--glossary")
        .arg(glossary())
        .arg("fix")
        .args(args)
        .output()
        .unwrap()
}

/// A temporary folder holding a copy of the Chinese seed at `corpus/...`.
fn seed_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("corpus")).unwrap();
    fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(SEED),
        dir.path().join(SEED),
    )
    .unwrap();
    dir
}

fn require_patch() {
    let found = Command::new("patch").arg("--version").output().is_ok();
    assert!(
        found,
        "the `patch` program is needed by this test: install Debian's `patch` package (apt-get install patch)"
    );
}

fn text(out: &[u8]) -> String {
    String::from_utf8_lossy(out).into_owned()
}

#[test]
fn seed_diff_shows_the_expected_repairs_and_changes_nothing() {
    let dir = seed_copy();
    let before = fs::read(dir.path().join(SEED)).unwrap();
    let out = fix(dir.path(), &[SEED]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let diff = text(&out.stdout);
    assert!(
        diff.starts_with(&format!("--- {SEED}\n+++ {SEED}\n@@ ")),
        "{diff}"
    );
    let minus: Vec<&str> = diff.lines().filter(|l| l.starts_with('-')).collect();
    let plus: Vec<&str> = diff.lines().filter(|l| l.starts_with('+')).collect();
    let has = |lines: &[&str], s: &str| lines.iter().any(|l| l.contains(s));
    assert!(has(&minus, "我们是劳动派对的国家竞选协调员"));
    assert!(has(&plus, "我们是工党的国家竞选协调员"));
    assert!(has(&minus, "Ian Lvery&Jon Trickett") && has(&plus, "Ian Lavery&Jon Trickett"));
    assert!(has(&minus, "劳动国会议员劳动国会议员在泄露"));
    assert!(has(&plus, "社会主义运动小组在泄露"), "the repeat is gone");
    assert!(has(&minus, "运行的 透露 在昨天") && has(&plus, "运行的透露在昨天"));
    assert!(
        !has(&plus, "劳动派对") && !has(&plus, "Lvery"),
        "nothing fixed is left"
    );
    assert_eq!(
        fs::read(dir.path().join(SEED)).unwrap(),
        before,
        "--diff changes nothing"
    );
    assert!(
        text(&out.stderr).contains("to repair"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn diff_applies_with_patch_and_equals_out_and_a_second_fix_is_a_no_op() {
    require_patch();
    let dir = seed_copy();
    let original = fs::read(dir.path().join(SEED)).unwrap();
    let diff = fix(dir.path(), &["corpus"]).stdout;
    let out = fix(dir.path(), &["corpus", "--out", "fixed"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        fs::read(dir.path().join(SEED)).unwrap(),
        original,
        "--out leaves the original"
    );
    let fixed = fs::read(dir.path().join("fixed").join(SEED)).unwrap();
    assert_ne!(fixed, original);

    // The diff applied with patch -p0 to a copy gives exactly the --out bytes.
    let applied = tempfile::tempdir().unwrap();
    fs::create_dir(applied.path().join("corpus")).unwrap();
    fs::write(applied.path().join(SEED), &original).unwrap();
    fs::write(applied.path().join("fix.patch"), &diff).unwrap();
    let patched = Command::new("patch")
        .current_dir(applied.path())
        .args(["-p0", "--batch", "-i", "fix.patch"])
        .output()
        .unwrap();
    assert!(patched.status.success(), "{}", text(&patched.stdout));
    assert_eq!(fs::read(applied.path().join(SEED)).unwrap(), fixed);

    // Fixing the fixed copy finds nothing to do.
    let again = fix(dir.path(), &["fixed"]);
    assert!(again.status.success());
    assert!(
        again.stdout.is_empty(),
        "second fix: {}",
        text(&again.stdout)
    );
    assert!(text(&again.stderr).contains("0 repair(s) in 0 file(s)"));
}

#[test]
fn write_keeps_a_backup_and_equals_out() {
    let dir = seed_copy();
    let original = fs::read(dir.path().join(SEED)).unwrap();
    assert!(
        fix(dir.path(), &["corpus", "--out", "fixed"])
            .status
            .success()
    );
    let out = fix(dir.path(), &["corpus", "--write"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        fs::read(dir.path().join(SEED)).unwrap(),
        fs::read(dir.path().join("fixed").join(SEED)).unwrap()
    );
    let backup = dir.path().join(format!("{SEED}.orig"));
    assert_eq!(fs::read(&backup).unwrap(), original);
    // Nothing left to do: no second backup, no temporary files.
    assert!(fix(dir.path(), &["corpus", "--write"]).status.success());
    let mut names: Vec<String> = fs::read_dir(dir.path().join("corpus"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "scg-statement-leaked-report.zh.txt",
            "scg-statement-leaked-report.zh.txt.orig"
        ]
    );
    // --no-backup writes no .orig.
    let other = seed_copy();
    assert!(
        fix(other.path(), &[SEED, "--write", "--no-backup"])
            .status
            .success()
    );
    assert!(!other.path().join(format!("{SEED}.orig")).exists());
}

/// Whether this process can write into a folder it made read-only (root can).
fn chmod_blocks_writes() -> bool {
    use std::os::unix::fs::PermissionsExt;
    let probe = tempfile::tempdir().unwrap();
    fs::set_permissions(probe.path(), fs::Permissions::from_mode(0o555)).unwrap();
    let blocked = fs::write(probe.path().join("x"), "x").is_err();
    fs::set_permissions(probe.path(), fs::Permissions::from_mode(0o755)).unwrap();
    blocked
}

#[test]
fn a_failed_write_leaves_the_old_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = seed_copy();
    let original = fs::read(dir.path().join(SEED)).unwrap();

    // 1. A read-only folder. Root writes through one, so as root the binary runs as the
    // unprivileged user `nobody` (util-linux's setpriv), for whom the folder is read-only.
    let folder = dir.path().join("corpus");
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    fs::set_permissions(&folder, fs::Permissions::from_mode(0o555)).unwrap();
    let mut cmd = if chmod_blocks_writes() {
        transmend()
    } else {
        let mut cmd = Command::new("setpriv");
        cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_transmend"));
        cmd
    };
    let out = cmd
        .current_dir(dir.path())
        .arg("--glossary")
        .arg(glossary())
        .args(["fix", SEED, "--write"])
        .output()
        .expect("setpriv (util-linux) runs the test as nobody when it runs as root");
    fs::set_permissions(&folder, fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("cannot write"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(fs::read(dir.path().join(SEED)).unwrap(), original);

    // 2. The backup cannot be created (its name is too long for the file system).
    let long = format!("{}.txt", "长".repeat(83)); // 253 bytes; with ".orig" over 255
    fs::copy(dir.path().join(SEED), dir.path().join(&long)).unwrap();
    let out = fix(dir.path(), &[&long, "--write"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert_eq!(fs::read(dir.path().join(&long)).unwrap(), original);

    // 3. The process is killed while writing (file size limit 0: SIGXFSZ), even as root.
    for extra in [&[][..], &["--no-backup"][..]] {
        let status = Command::new("sh")
            .current_dir(dir.path())
            .arg("-c")
            .arg(r#"ulimit -f 0; exec "$@""#)
            .arg("sh")
            .arg(env!("CARGO_BIN_EXE_transmend"))
            .arg("--glossary")
            .arg(glossary())
            .args(["fix", SEED, "--write"])
            .args(extra)
            .output()
            .unwrap()
            .status;
        assert!(!status.success());
        assert_eq!(
            fs::read(dir.path().join(SEED)).unwrap(),
            original,
            "the old file is intact"
        );
    }
}

fn utf16le_bom(text: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    out
}

const GARBLED: &str = "我们知道这种震惊和沮丧在工人运动中被广泛分享。我们是劳动派对的国家竞选协调员。\r\n这不是Ian Lvery的消息,它是通过消息运行的 透露 在昨天在线找到了泄露的文件。\r\n最后一行没有问题。\r\n";
const REPAIRED: &str = "我们知道这种震惊和沮丧在工人运动中被广泛分享。我们是工党的国家竞选协调员。\r\n这不是Ian Lavery的消息,它是通过消息运行的透露在昨天在线找到了泄露的文件。\r\n最后一行没有问题。\r\n";

#[test]
fn encodings_bom_and_crlf_round_trip_with_only_repairs_changed() {
    require_patch();
    let dir = tempfile::tempdir().unwrap();
    let gb = |t: &str| encoding_rs::GB18030.encode(t).0.into_owned();
    let utf8_bom = |t: &str| [b"\xEF\xBB\xBF".as_slice(), t.as_bytes()].concat();
    let cases: [(&str, Vec<u8>, Vec<u8>); 3] = [
        ("gb18030.txt", gb(GARBLED), gb(REPAIRED)),
        ("utf16le.txt", utf16le_bom(GARBLED), utf16le_bom(REPAIRED)),
        ("utf8bom.txt", utf8_bom(GARBLED), utf8_bom(REPAIRED)),
    ];
    for (name, bytes, _) in &cases {
        fs::write(dir.path().join(name), bytes).unwrap();
    }
    let names: Vec<&str> = cases.iter().map(|c| c.0).collect();
    let out = fix(dir.path(), &[&names[..], &["--out", "o"]].concat());
    assert!(out.status.success(), "{}", text(&out.stderr));
    for (name, bytes, want) in &cases {
        assert_eq!(
            &fs::read(dir.path().join("o").join(name)).unwrap(),
            want,
            "{name}"
        );
        assert_eq!(&fs::read(dir.path().join(name)).unwrap(), bytes, "{name}");
    }
    // GB18030's diff is in GB18030 and applies with patch; UTF-16's is shown as UTF-8 text.
    let out = fix(dir.path(), &["gb18030.txt", "utf16le.txt"]);
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("gb18030.txt: the diff is in GB18030"),
        "{stderr}"
    );
    assert!(
        stderr.contains("utf16le.txt: the file is UTF-16LE; its diff is shown as UTF-8 text"),
        "{stderr}"
    );
    let gb_patch: Vec<u8> = {
        let all = out.stdout;
        let cut = all
            .windows(15)
            .position(|w| w == b"--- utf16le.txt")
            .unwrap();
        all[..cut].to_vec()
    };
    fs::write(dir.path().join("gb.patch"), gb_patch).unwrap();
    let patched = Command::new("patch")
        .current_dir(dir.path())
        .args(["-p0", "--batch", "-i", "gb.patch"])
        .output()
        .unwrap();
    assert!(patched.status.success(), "{}", text(&patched.stdout));
    assert_eq!(
        fs::read(dir.path().join("gb18030.txt")).unwrap(),
        gb(REPAIRED)
    );
    // In place, UTF-16 with BOM and CRLF.
    let out = fix(dir.path(), &["utf16le.txt", "--write"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        fs::read(dir.path().join("utf16le.txt")).unwrap(),
        utf16le_bom(REPAIRED)
    );
    assert_eq!(
        fs::read(dir.path().join("utf16le.txt.orig")).unwrap(),
        utf16le_bom(GARBLED)
    );
}

#[test]
fn a_repair_the_encoding_cannot_hold_refuses_the_file_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    // windows-1252 French with the UTF-8 bytes of 工党 pasted in: mojibake whose repair
    // cannot be written in windows-1252.
    let fr = "Le comité exécutif national a décidé d’adopter la résolution à l’unanimité. Le ";
    let mut bytes = encoding_rs::WINDOWS_1252.encode(fr).0.into_owned();
    bytes.extend("工党".as_bytes());
    bytes.extend(b" a r\xE9pondu.\n");
    fs::write(dir.path().join("mixed.txt"), &bytes).unwrap();
    fs::write(
        dir.path().join("ok.txt"),
        "我们是劳动派对的国家竞选协调员。\n",
    )
    .unwrap();
    let out = fix(dir.path(), &["mixed.txt", "ok.txt", "--write"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("mixed.txt: the repaired text cannot be written in windows-1252")
            && stderr.contains("U+5DE5"),
        "{stderr}"
    );
    assert_eq!(fs::read(dir.path().join("mixed.txt")).unwrap(), bytes);
    assert!(!dir.path().join("mixed.txt.orig").exists());
    assert_eq!(
        fs::read_to_string(dir.path().join("ok.txt")).unwrap(),
        "我们是工党的国家竞选协调员。\n"
    );
}

#[test]
fn typography_only_with_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let src = "托利党和Jeremy Corbyn的会议,对吗?我们(工党)赢了!好的\n";
    fs::write(dir.path().join("t.txt"), src).unwrap();
    assert!(
        fix(dir.path(), &["t.txt", "--out", "plain"])
            .status
            .success()
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("plain/t.txt")).unwrap(),
        src
    );
    let out = fix(dir.path(), &["t.txt", "--out", "typo", "--typography"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        fs::read_to_string(dir.path().join("typo/t.txt")).unwrap(),
        "托利党和 Jeremy Corbyn 的会议，对吗？我们（工党）赢了！好的\n"
    );
    let again = fix(dir.path(), &["typo/t.txt", "--typography"]);
    assert!(again.stdout.is_empty(), "{}", text(&again.stdout));
}

#[test]
fn out_never_escapes_its_folder_and_usage_errors_exit_2() {
    let dir = seed_copy();
    let inner = dir.path().join("corpus");
    let out = transmend()
        .current_dir(&inner)
        .arg("--glossary")
        .arg(glossary())
        .args([
            "fix",
            "../corpus/scg-statement-leaked-report.zh.txt",
            "--out",
            "o",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    // A file given by itself keeps its name under --out, wherever it came from.
    assert!(inner.join("o/scg-statement-leaked-report.zh.txt").is_file());
    assert!(!inner.join("o/corpus").exists());
    let out = fix(dir.path(), &[SEED, "--write", "--out", "x"]);
    assert_eq!(out.status.code(), Some(2));
    let out = fix(dir.path(), &[SEED, "--no-backup"]);
    assert_eq!(out.status.code(), Some(2));
}
