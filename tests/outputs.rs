//! Where outputs go and how writes fail: `fix --out` and `translate --out` never write outside
//! their folder (`..` and absolute input paths, symlinks inside the output folder), `--write`
//! is atomic, and a full disk or a file size limit gives a clear error and no partial file.
#![cfg(unix)]
#![allow(clippy::unwrap_used)]

mod common;
mod emulator;

use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use emulator::Background;

const GARBLED: &str = "我们是劳动派对的国家竞选协调员。劳动派对的全国执行委员会开会了。\n";

fn glossary() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("glossary/labour.csv")
}

fn fix(dir: &Path, args: &[&str]) -> Output {
    common::transmend()
        .current_dir(dir)
        .arg("--glossary")
        .arg(glossary())
        .arg("fix")
        .args(args)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Every file (not folder) under `dir`, links not followed.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return out;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        let meta = fs::symlink_metadata(&path).unwrap();
        if meta.is_dir() {
            out.extend(files(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

fn temporaries(dir: &Path) -> Vec<PathBuf> {
    files(dir)
        .into_iter()
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(".transmend-"))
        })
        .collect()
}

#[test]
fn fix_out_stays_inside_for_dotdot_and_absolute_inputs() {
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().join("work");
    let outside = tmp.path().join("outside");
    fs::create_dir_all(&work).unwrap();
    fs::create_dir_all(&outside).unwrap();
    fs::write(outside.join("a.zh.txt"), GARBLED).unwrap();
    let absolute = outside.join("a.zh.txt");
    let out = fix(
        &work,
        &[
            "../outside/a.zh.txt",
            "./../outside/../outside/./a.zh.txt",
            absolute.to_str().unwrap(),
            "--out",
            "o",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let written = files(&work.join("o"));
    assert!(!written.is_empty());
    for path in &written {
        assert!(path.starts_with(work.join("o")), "{}", path.display());
        assert!(!text(&fs::read(path).unwrap()).contains("劳动派对"));
    }
    // A file given by itself keeps its name under the output folder, however it was named.
    assert_eq!(written, [work.join("o/a.zh.txt")]);
    // The inputs are untouched and nothing else appeared next to them.
    assert_eq!(files(&outside), [outside.join("a.zh.txt")]);
    assert_eq!(fs::read_to_string(&absolute).unwrap(), GARBLED);
}

#[test]
fn fix_out_never_follows_a_symlink_out_of_the_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().join("work");
    let elsewhere = tmp.path().join("elsewhere");
    fs::create_dir_all(work.join("corpus/sub")).unwrap();
    fs::create_dir_all(work.join("o")).unwrap();
    fs::create_dir_all(&elsewhere).unwrap();
    fs::write(work.join("corpus/a.zh.txt"), GARBLED).unwrap();
    fs::write(work.join("corpus/sub/b.zh.txt"), GARBLED).unwrap();
    fs::write(elsewhere.join("victim.txt"), "keep me").unwrap();

    // The folder the copies would go into is a link to somewhere else.
    symlink(&elsewhere, work.join("o/corpus")).unwrap();
    let out = fix(&work, &["corpus", "--out", "o"]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("leads outside"), "{err}");
    assert_eq!(files(&elsewhere), [elsewhere.join("victim.txt")], "{err}");
    assert_eq!(
        fs::read_to_string(elsewhere.join("victim.txt")).unwrap(),
        "keep me"
    );

    // The file itself is a link to somewhere else: the link is replaced, its target kept.
    fs::remove_file(work.join("o/corpus")).unwrap();
    fs::create_dir_all(work.join("o/corpus")).unwrap();
    symlink(elsewhere.join("victim.txt"), work.join("o/corpus/a.zh.txt")).unwrap();
    let out = fix(&work, &["corpus", "--out", "o"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        fs::read_to_string(elsewhere.join("victim.txt")).unwrap(),
        "keep me"
    );
    let copy = work.join("o/corpus/a.zh.txt");
    assert!(
        !fs::symlink_metadata(&copy)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(fs::read_to_string(&copy).unwrap().contains("工党"));
    assert!(work.join("o/corpus/sub/b.zh.txt").is_file());
    assert!(temporaries(&work).is_empty());
}

#[test]
fn fix_out_onto_a_file_or_folder_is_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir_all(tmp.path().join("corpus")).unwrap();
    fs::write(tmp.path().join("corpus/a.zh.txt"), GARBLED).unwrap();
    // --out names a file.
    fs::write(tmp.path().join("plain-file"), "x").unwrap();
    let out = fix(tmp.path(), &["corpus", "--out", "plain-file"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("cannot create the output folder"));
    // The copy's place is taken by a folder: refused, and nothing half-written.
    fs::create_dir_all(tmp.path().join("o/corpus/a.zh.txt")).unwrap();
    let out = fix(tmp.path(), &["corpus", "--out", "o"]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("cannot write"), "{err}");
    assert!(files(&tmp.path().join("o")).is_empty(), "{err}");
}

/// Unmounts a tmpfs when dropped (also when the test fails).
struct Mounted(PathBuf);

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// A 256 KiB tmpfs at `dir`, when this process may mount one (root in CI); else `None`.
fn tiny_tmpfs(dir: &Path) -> Option<Mounted> {
    fs::create_dir_all(dir).unwrap();
    let ok = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=256k", "tmpfs"])
        .arg(dir)
        .output()
        .is_ok_and(|o| o.status.success());
    ok.then(|| Mounted(dir.to_path_buf()))
}

/// A garbled document of about 180 KB: fits a 256 KiB disk once, not twice.
fn big_garbled() -> String {
    GARBLED.repeat(1800)
}

#[test]
#[ignore = "mounts a tmpfs, which needs root: scripts/test.sh runs it when it runs as root"]
fn a_full_disk_gives_a_clear_error_and_no_partial_file() {
    let tmp = tempfile::tempdir().unwrap();
    let disk = tmp.path().join("disk");
    let _mounted = tiny_tmpfs(&disk).expect("mount -t tmpfs (this test needs root)");
    let doc = disk.join("big.zh.txt");
    let original = big_garbled();
    fs::write(&doc, &original).unwrap();
    // --write: the backup and the new file cannot both fit.
    let out = fix(&disk, &["big.zh.txt", "--write"]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("No space left on device"), "{err}");
    assert_eq!(fs::read_to_string(&doc).unwrap(), original);
    assert!(temporaries(&disk).is_empty(), "{:?}", files(&disk));
    // --out on the full disk: the same.
    let out = fix(&disk, &["big.zh.txt", "--out", "o", "--jobs", "1"]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("No space left on device"), "{err}");
    assert!(files(&disk.join("o")).is_empty(), "{:?}", files(&disk));
    assert_eq!(fs::read_to_string(&doc).unwrap(), original);
}

#[test]
fn a_file_size_limit_gives_a_clear_error_and_no_partial_file() {
    let tmp = tempfile::tempdir().unwrap();
    let doc = tmp.path().join("big.zh.txt");
    let original = big_garbled();
    fs::write(&doc, &original).unwrap();
    for extra in [&[][..], &["--no-backup"][..]] {
        // 64 blocks (32 or 64 KiB, by the shell's unit): far below the file's size.
        let out = Command::new("sh")
            .current_dir(tmp.path())
            .arg("-c")
            .arg(r#"ulimit -f 64; exec "$@""#)
            .arg("sh")
            .arg(env!("CARGO_BIN_EXE_transmend"))
            .arg("--glossary")
            .arg(glossary())
            .args(["fix", "big.zh.txt", "--write"])
            .args(extra)
            .env_remove("RUST_LOG")
            .output()
            .unwrap();
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains("File too large"), "{err}");
        assert_eq!(fs::read_to_string(&doc).unwrap(), original);
        assert!(
            temporaries(tmp.path()).is_empty(),
            "{:?}",
            files(tmp.path())
        );
    }
}

#[test]
fn write_replaces_files_atomically_and_keeps_their_mode() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let doc = tmp.path().join("a.zh.txt");
    fs::write(&doc, GARBLED).unwrap();
    fs::set_permissions(&doc, fs::Permissions::from_mode(0o600)).unwrap();
    let ino_before = std::os::unix::fs::MetadataExt::ino(&fs::metadata(&doc).unwrap());
    let out = fix(tmp.path(), &["a.zh.txt", "--write"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let meta = fs::metadata(&doc).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    // A new inode: the file was renamed into place, never truncated and rewritten.
    assert_ne!(std::os::unix::fs::MetadataExt::ino(&meta), ino_before);
    assert!(fs::read_to_string(&doc).unwrap().contains("工党"));
    assert_eq!(
        fs::read_to_string(tmp.path().join("a.zh.txt.orig")).unwrap(),
        GARBLED
    );
    assert!(temporaries(tmp.path()).is_empty());
}

#[test]
fn translate_out_stays_inside_and_replaces_links_instead_of_following_them() {
    let emu = Background::start();
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().join("work");
    let elsewhere = tmp.path().join("elsewhere");
    fs::create_dir_all(work.join("deep/er")).unwrap();
    fs::create_dir_all(work.join("out")).unwrap();
    fs::create_dir_all(&elsewhere).unwrap();
    fs::write(work.join("deep/er/note.zh.txt"), GARBLED).unwrap();
    fs::write(elsewhere.join("victim.md"), "keep me").unwrap();
    symlink(elsewhere.join("victim.md"), work.join("out/note.zh-en.md")).unwrap();
    let absolute = work.join("deep/er/note.zh.txt");
    for input in ["../work/deep/er/note.zh.txt", absolute.to_str().unwrap()] {
        let out = common::transmend()
            .current_dir(&work)
            .env("HOME", tmp.path())
            .env_remove("TRANSMEND_ENGINE")
            .env_remove("TRANSMEND_ENDPOINT")
            .args([
                "translate",
                input,
                "--to",
                "en",
                "--engine",
                "libretranslate",
            ])
            .args(["--endpoint", &emu.url, "--no-cache", "--out", "out"])
            .output()
            .unwrap();
        assert!(out.status.code() != Some(2), "{}", text(&out.stderr));
        let written = files(&work.join("out"));
        let names: Vec<String> = written
            .iter()
            .map(|p| {
                p.strip_prefix(work.join("out"))
                    .unwrap()
                    .display()
                    .to_string()
            })
            .collect();
        assert_eq!(
            names,
            [
                "note.zh-en.jsonl",
                "note.zh-en.md",
                "note.zh-en.tmx",
                "note.zh-en.xlf"
            ]
        );
        assert_eq!(
            fs::read_to_string(elsewhere.join("victim.md")).unwrap(),
            "keep me"
        );
        assert_eq!(files(&elsewhere), [elsewhere.join("victim.md")]);
        let md = work.join("out/note.zh-en.md");
        assert!(!fs::symlink_metadata(&md).unwrap().file_type().is_symlink());
    }
    assert!(temporaries(&work).is_empty());
}
