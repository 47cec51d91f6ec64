//! The review report in a real browser: headless Chromium renders `report.html` of a corpus
//! that includes a hostile document; the flags and texts are in the rendered DOM, the injected
//! script did not run, and screenshots (desktop and 320 px wide) are kept as test artifacts in
//! `target/test-artifacts/`. If Chromium cannot start, the test fails and says why
//! (`scripts/test.sh` and `.ci/run` install Debian's `chromium`).
#![allow(clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const HOSTILE: &str = "我们是劳动派对的协调员。<script>document.title='pwned'</script>\n\n\
<img src=x onerror=\"document.title='pwned'\"> 这是一个测试文件 </textarea> 工党的全国执行委员会必须召开紧急会议。\n";

fn chromium() -> PathBuf {
    for candidate in [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ] {
        if Path::new(candidate).exists() {
            return PathBuf::from(candidate);
        }
    }
    panic!(
        "no Chromium found (/usr/bin/chromium): install Debian's `chromium` package \
         (scripts/test.sh does it) — this test never skips"
    );
}

fn headless(profile: &Path, extra: &[String], page: &Path) -> Output {
    let out = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap_or_else(|e| panic!("Chromium could not start: {e}"));
    assert!(
        out.status.success(),
        "Chromium failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn report_renders_flags_and_runs_no_injected_script() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::copy(
        "corpus/scg-statement-leaked-report.zh.txt",
        corpus.join("scg.zh.txt"),
    )
    .unwrap();
    std::fs::write(corpus.join("hostile.zh.txt"), HOSTILE).unwrap();
    let out_dir = dir.path().join("out");
    let run = common::transmend()
        .args(["run", "-q", "--glossary", "glossary/labour.csv", "--out"])
        .arg(&out_dir)
        .arg(&corpus)
        .env_remove("TRANSMEND_ENGINE")
        .output()
        .unwrap();
    assert_ne!(
        run.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let page = std::fs::canonicalize(out_dir.join("report.html")).unwrap();

    let profile = tempfile::tempdir().unwrap();
    let dom = headless(profile.path(), &["--dump-dom".into()], &page);
    let dom = String::from_utf8(dom.stdout).unwrap();
    assert!(
        dom.contains("<title>transmend review report</title>"),
        "the injected script changed the title"
    );
    assert!(!dom.contains("pwned</title>"));
    assert!(
        !dom.contains("<img src=\"x\""),
        "the document's <img> must not become an element"
    );
    assert!(
        dom.contains("&lt;script&gt;") && dom.contains("&lt;/textarea&gt;"),
        "hostile text shown as text"
    );
    assert!(
        dom.contains("data-rule=\"deprecated-term\""),
        "flags highlighted"
    );
    assert!(dom.contains("Suggestion: 工党"));
    assert!(dom.contains("Ian Lvery") && dom.contains("Corpus overview"));
    // The filters are revealed by the script (it ran, ours only).
    assert!(
        !dom.contains("class=\"filters hidden\""),
        "our own script runs"
    );

    let artifacts = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-artifacts");
    std::fs::create_dir_all(&artifacts).unwrap();
    for (name, size) in [
        ("report.png", "1280,2400"),
        ("report-320px.png", "320,2400"),
    ] {
        let shot = artifacts.join(name);
        let _ = std::fs::remove_file(&shot);
        headless(
            profile.path(),
            &[
                format!("--screenshot={}", shot.display()),
                format!("--window-size={size}"),
            ],
            &page,
        );
        let bytes = std::fs::read(&shot)
            .unwrap_or_else(|e| panic!("no screenshot {}: {e}", shot.display()));
        assert!(
            bytes.starts_with(b"\x89PNG") && bytes.len() > 10_000,
            "{name} is not a real screenshot"
        );
    }
}
