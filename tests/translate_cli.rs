//! `transmend translate` end to end: the real binary against the loopback emulator. The
//! issue's done-when run, a run killed with SIGKILL that resumes without paying twice, a quota
//! stop, a corrupt cache, and keys absent from every byte written.
#![allow(clippy::unwrap_used)]

mod common;
mod emulator;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use emulator::Background;
use transmend::glossary::normalize::Normalized;
use transmend::glossary::{self, Termbase};

const CORPUS: &str = "corpus/scg-statement-leaked-report.zh.txt";

/// The binary with a clean environment: no engine, key or cache settings from outside.
fn transmend(home: &Path) -> Command {
    common::isolated(home)
}

fn translate(home: &Path, url: &str, engine: &str, input: &str, extra: &[&str]) -> Command {
    let mut cmd = transmend(home);
    cmd.args(["translate", input, "--to", "en", "--engine", engine])
        .args(["--endpoint", url])
        .arg("--out")
        .arg(home.join("out"))
        // A generous timeout: a request that times out under load is retried while the server
        // still answers it, and the emulator would rightly count that as paid twice.
        .args(["--retry-delay-ms", "5", "--timeout", "60"])
        .args(extra);
    if !extra.contains(&"--no-cache") {
        cmd.arg("--cache").arg(home.join("cache.sqlite3"));
    }
    cmd
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn outputs(home: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(home.join("out"))
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

fn well_formed(path: &Path) {
    let xml = std::fs::read_to_string(path).unwrap();
    let mut reader = quick_xml::Reader::from_str(&xml);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("{}: invalid XML: {e}", path.display()),
        }
    }
}

fn cache_rows(path: &Path) -> usize {
    let Ok(conn) =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
    else {
        return 0;
    };
    conn.query_row("SELECT COUNT(*) FROM translations", [], |r| {
        r.get::<_, i64>(0)
    })
    .map_or(0, |n| n as usize)
}

#[test]
fn done_when_libretranslate_writes_four_files_with_labour_party_everywhere() {
    let emu = Background::start();
    let home = tempfile::tempdir().unwrap();
    let out = translate(home.path(), &emu.url, "libretranslate", CORPUS, &[])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let files = outputs(home.path());
    let names: Vec<String> = files
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "scg-statement-leaked-report.zh-en.jsonl",
            "scg-statement-leaked-report.zh-en.md",
            "scg-statement-leaked-report.zh-en.tmx",
            "scg-statement-leaked-report.zh-en.xlf"
        ]
    );
    well_formed(&files[2]);
    well_formed(&files[3]);

    // Every 工党 that stands for the Labour Party is "Labour Party" in the translation.
    let termbase = Termbase::new(
        glossary::load_file(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("glossary/labour.csv"))
            .unwrap(),
    )
    .unwrap();
    let labour = termbase
        .glossary
        .concepts
        .iter()
        .position(|c| c.id == "labour-party")
        .unwrap();
    let mut checked = 0;
    for line in std::fs::read_to_string(&files[0]).unwrap().lines() {
        let pair: serde_json::Value = serde_json::from_str(line).unwrap();
        let source = pair["source"].as_str().unwrap();
        let target = pair["target"].as_str().unwrap();
        assert_eq!(pair["engine"], "libretranslate");
        assert_eq!(pair["source_lang"], "zh");
        let n = termbase
            .matcher
            .find(source, &Normalized::new(source))
            .iter()
            .filter(|m| m.entries().any(|e| e.concept == labour && e.lang == "zh"))
            .count();
        assert!(
            target.matches("Labour Party").count() >= n,
            "{source} -> {target}"
        );
        assert!(!target.contains("Workers' Party"), "{target}");
        checked += n;
    }
    assert!(
        checked >= 5,
        "the corpus names the Labour Party often: {checked}"
    );

    // A rerun sends nothing.
    let before = emu.state.translate_requests.load(Ordering::SeqCst);
    let again = translate(home.path(), &emu.url, "libretranslate", CORPUS, &[])
        .output()
        .unwrap();
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(emu.state.translate_requests.load(Ordering::SeqCst), before);
    assert!(
        stderr(&again).contains("0 from the engine"),
        "{}",
        stderr(&again)
    );
}

#[test]
fn a_run_killed_with_sigkill_resumes_and_pays_for_nothing_twice() {
    let emu = Background::start();
    *emu.state.latency.lock().unwrap() = Duration::from_millis(20);
    *emu.state.hold_after.lock().unwrap() = Some(20);
    let home = tempfile::tempdir().unwrap();
    let cache = home.path().join("cache.sqlite3");
    // No glossary: no segment is re-sent with placeholders after verification, so "every
    // segment served is cached" is a sound moment to kill (a re-send in flight is not).
    let empty = home.path().join("empty.csv");
    std::fs::write(&empty, "id,en,zh\n").unwrap();
    let empty = empty.to_str().unwrap();
    let args = [
        "--batch-size",
        "4",
        "--concurrency",
        "2",
        "--glossary",
        empty,
    ];
    let mut child = translate(home.path(), &emu.url, "libretranslate", CORPUS, &args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the emulator has served 20 segments, answers nothing but held requests, and
    // every segment served is in the cache; then kill -9. (A segment paid for while its answer
    // is still on the wire when the process dies cannot be saved by any client.)
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let served = emu.state.served_total();
        if served >= 20 && emu.state.quiescent() && cache_rows(&cache) == served {
            break;
        }
        assert!(Instant::now() < deadline, "served {served}");
        assert!(child.try_wait().unwrap().is_none(), "finished too early");
        std::thread::sleep(Duration::from_millis(10));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        outputs(home.path()).is_empty(),
        "nothing written by the killed run"
    );
    // A request still unread in the emulator's socket when the client died must meet the hold
    // too, not the release below.
    let deadline = Instant::now() + Duration::from_secs(20);
    while !emu.state.drained() {
        assert!(Instant::now() < deadline, "the emulator never drained");
        std::thread::sleep(Duration::from_millis(10));
    }
    let paid_first = emu.state.served_total();
    assert_eq!(
        cache_rows(&cache),
        paid_first,
        "everything paid for is cached"
    );

    *emu.state.hold_after.lock().unwrap() = None;
    let out = translate(home.path(), &emu.url, "libretranslate", CORPUS, &args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        emu.state.served_twice().is_empty(),
        "{:?} paid_first {paid_first}\n{}",
        emu.state.served_twice(),
        stderr(&out)
    );
    assert!(emu.state.served_total() > paid_first);
    assert!(
        stderr(&out).contains(&format!("{paid_first} from the cache")),
        "{}",
        stderr(&out)
    );
    assert_eq!(outputs(home.path()).len(), 4);
}

#[test]
fn deepl_quota_stop_keeps_work_names_the_cause_and_resumes() {
    let emu = Background::start();
    *emu.state.quota.lock().unwrap() = Some(300);
    let home = tempfile::tempdir().unwrap();
    let args = ["--batch-size", "5", "--concurrency", "1"];
    let out = translate(home.path(), &emu.url, "deepl", CORPUS, &args)
        .env("DEEPL_AUTH_KEY", "deepl-key:fx")
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("stopped: DeepL quota exceeded"), "{err}");
    assert!(err.contains("remain"), "{err}");
    assert!(err.contains("run the same command again"), "{err}");
    assert!(outputs(home.path()).is_empty());
    let paid = emu.state.served_total();
    assert!(paid > 0);
    assert!(cache_rows(&home.path().join("cache.sqlite3")) >= paid);

    *emu.state.quota.lock().unwrap() = None;
    let out = translate(home.path(), &emu.url, "deepl", CORPUS, &args)
        .env("DEEPL_AUTH_KEY", "deepl-key:fx")
        .output()
        .unwrap();
    assert!(out.status.code() != Some(2), "{}", stderr(&out));
    assert!(
        emu.state.served_twice().is_empty(),
        "{:?}",
        emu.state.served_twice()
    );
    assert_eq!(outputs(home.path()).len(), 4);
    assert_eq!(emu.state.glossary_count(), 1);
}

#[test]
fn keys_never_reach_outputs_cache_or_trace_logs() {
    let emu = Background::start();
    let home = tempfile::tempdir().unwrap();
    let input = home.path().join("note.zh.txt");
    std::fs::write(
        &input,
        "工党的全国执行委员会开会了。\n\n我们是工党的成员。\n",
    )
    .unwrap();
    let input = input.to_str().unwrap();
    for (engine, var) in [
        ("libretranslate", "LIBRETRANSLATE_API_KEY"),
        ("deepl", "DEEPL_AUTH_KEY"),
        ("openai", "OPENAI_API_KEY"),
        ("google", "GOOGLE_API_KEY"),
    ] {
        let key = format!("KEY-{engine}-s3cr3t-7f9e");
        *emu.state.key.lock().unwrap() = Some(key.clone());
        let ok = translate(home.path(), &emu.url, engine, input, &[])
            .env(var, &key)
            .env("RUST_LOG", "trace")
            .output()
            .unwrap();
        assert!(ok.status.code() != Some(2), "{engine}: {}", stderr(&ok));
        // A wrong key: the error path must not print it either.
        let wrong = format!("WRONG-{engine}-s3cr3t-1a2b");
        let bad = translate(home.path(), &emu.url, engine, input, &["--no-cache"])
            .env("TRANSMEND_API_KEY", &wrong)
            .env("RUST_LOG", "trace")
            .output()
            .unwrap();
        assert_eq!(bad.status.code(), Some(2), "{engine}: {}", stderr(&bad));
        // Refused at the preflight (before any document is read) or, where the server has
        // no free question that checks keys, at the first batch.
        assert!(
            stderr(&bad).contains("refused the API key"),
            "{engine}: {}",
            stderr(&bad)
        );
        let mut written: Vec<(String, Vec<u8>)> = vec![
            ("stderr".into(), ok.stderr.clone()),
            ("stdout".into(), ok.stdout.clone()),
            ("bad stderr".into(), bad.stderr.clone()),
        ];
        for entry in walk(home.path()) {
            written.push((entry.display().to_string(), std::fs::read(&entry).unwrap()));
        }
        for (what, bytes) in &written {
            for secret in [&key, &wrong] {
                assert!(
                    !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                    "{engine}: the key is in {what}"
                );
            }
        }
        assert!(
            written.iter().any(|(w, _)| w.ends_with(".xlf")),
            "{engine}: outputs were written"
        );
    }
    // --api-key-file works too and is not echoed.
    let key_file = home.path().join("key.txt");
    std::fs::write(&key_file, "KEY-google-s3cr3t-7f9e\n").unwrap();
    let out = translate(home.path(), &emu.url, "google", input, &["--no-cache"])
        .arg("--api-key-file")
        .arg(&key_file)
        .output()
        .unwrap();
    assert!(out.status.code() != Some(2), "{}", stderr(&out));
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else if path.file_name().is_some_and(|n| n != "key.txt") {
            out.push(path);
        }
    }
    out
}

#[test]
fn a_corrupt_cache_is_reported_and_bypassed() {
    let emu = Background::start();
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        home.path().join("cache.sqlite3"),
        b"garbage garbage garbage garbage garbage garbage garbage garbage garbage garbage!!",
    )
    .unwrap();
    let out = translate(home.path(), &emu.url, "libretranslate", CORPUS, &[])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("warning: translation cache"), "{err}");
    assert!(err.contains("without the cache"), "{err}");
    assert_eq!(outputs(home.path()).len(), 4);
}

#[test]
fn configuration_errors_are_usage_errors() {
    let home = tempfile::tempdir().unwrap();
    let out = transmend(home.path())
        .args(["translate", CORPUS, "--to", "en", "--out"])
        .arg(home.path().join("out"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no translation engine configured"),
        "{}",
        stderr(&out)
    );

    let out = translate(
        home.path(),
        "http://translate.example.org",
        "libretranslate",
        CORPUS,
        &[],
    )
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--allow-http"), "{}", stderr(&out));

    let out = translate(home.path(), "http://127.0.0.1:9", "deepl", CORPUS, &[])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("DEEPL_AUTH_KEY"), "{}", stderr(&out));
}

/// True when `needle` occurs anywhere in `hay`.
fn contains_bytes(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn keys_from_a_key_file_never_leak_at_trace_level_and_there_is_no_key_flag() {
    let emu = Background::start();
    let home = tempfile::tempdir().unwrap();
    let input = home.path().join("note.zh.txt");
    std::fs::write(&input, "工党的全国执行委员会开会了。\n").unwrap();
    let input = input.to_str().unwrap();
    let key_file = home.path().join("key.txt");
    let mut logs: Vec<(String, Vec<u8>)> = Vec::new();
    let mut secrets = Vec::new();
    for engine in ["libretranslate", "deepl", "openai", "google"] {
        let key = format!("FILEKEY-{engine}-9c1d77");
        let wrong = format!("FILEWRONG-{engine}-4e5f66");
        *emu.state.key.lock().unwrap() = Some(key.clone());
        for (k, code_ok) in [(&key, true), (&wrong, false)] {
            std::fs::write(&key_file, format!("{k}\n")).unwrap();
            // The wrong key bypasses the cache, or the cached answer would need no request.
            let extra: &[&str] = if code_ok { &[] } else { &["--no-cache"] };
            let out = translate(home.path(), &emu.url, engine, input, extra)
                .arg("--api-key-file")
                .arg(&key_file)
                .env("RUST_LOG", "trace")
                .output()
                .unwrap();
            assert_eq!(
                out.status.code() != Some(2),
                code_ok,
                "{engine}: {}",
                stderr(&out)
            );
            logs.push((format!("{engine} stderr"), out.stderr));
            logs.push((format!("{engine} stdout"), out.stdout));
        }
        secrets.extend([key, wrong]);
    }
    // Keys that are refused before any request: their messages name the file, not the content.
    for (content, why) in [
        ("FILEKEY-two\nFILEKEY-lines\n".to_string(), "white space"),
        ("FILEKEY-huge".repeat(2000), "over"),
        ("FILEKEY-\u{7}bell".to_string(), "control"),
    ] {
        std::fs::write(&key_file, &content).unwrap();
        let out = translate(home.path(), &emu.url, "deepl", input, &[])
            .arg("--api-key-file")
            .arg(&key_file)
            .env("RUST_LOG", "trace")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(stderr(&out).contains(why), "{}", stderr(&out));
        assert!(stderr(&out).contains("key.txt"), "{}", stderr(&out));
        assert!(!contains_bytes(&out.stderr, "FILEKEY"), "{}", stderr(&out));
    }
    // The same from a variable: the message names the variable.
    let out = translate(home.path(), &emu.url, "deepl", input, &[])
        .env("DEEPL_AUTH_KEY", "ENVKEY-with space:fx")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("DEEPL_AUTH_KEY"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("ENVKEY"), "{}", stderr(&out));
    // No --api-key flag, and clap's error does not echo the value given to it.
    for args in [
        &["--api-key", "FLAGKEY-s3cr3t"][..],
        &["--api-key=FLAGKEY-s3cr3t"][..],
    ] {
        let out = translate(home.path(), &emu.url, "deepl", input, args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(stderr(&out).contains("--api-key"), "{}", stderr(&out));
        assert!(!contains_bytes(&out.stderr, "FLAGKEY"), "{}", stderr(&out));
    }
    for entry in walk(home.path()) {
        logs.push((entry.display().to_string(), std::fs::read(&entry).unwrap()));
    }
    assert!(logs.iter().any(|(w, _)| w.ends_with(".xlf")));
    assert!(logs.iter().any(|(w, _)| w.ends_with("cache.sqlite3")));
    for (what, bytes) in &logs {
        for secret in &secrets {
            assert!(!contains_bytes(bytes, secret), "{secret} is in {what}");
        }
    }
}

#[test]
fn adjacent_glossary_terms_stay_separated_and_unflagged_with_every_engine() {
    // 工党 and 全国执行委员会 touch, as Chinese writes them: LibreTranslate gets touching
    // placeholders, DeepL glues its native glossary forms, the emulated LLM ignores the prompt's
    // glossary and gets touching placeholders on the second pass.
    let emu = Background::start();
    for engine in ["libretranslate", "deepl", "openai"] {
        let home = tempfile::tempdir().unwrap();
        let input = home.path().join("nec.zh.txt");
        std::fs::write(
            &input,
            "工党全国执行委员会昨天开会了。\n\n我们尊重工党全国执行委员会的决定。\n",
        )
        .unwrap();
        let out = translate(home.path(), &emu.url, engine, input.to_str().unwrap(), &[])
            .env("DEEPL_AUTH_KEY", "deepl-key:fx")
            .output()
            .unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(0), "{engine}: {err}");
        assert!(
            err.contains("0 flagged glossary-violation"),
            "{engine}: {err}"
        );
        let jsonl = home.path().join("out/nec.zh-en.jsonl");
        let lines = std::fs::read_to_string(&jsonl).unwrap();
        let mut pairs = 0;
        for line in lines.lines() {
            let pair: serde_json::Value = serde_json::from_str(line).unwrap();
            let target = pair["target"].as_str().unwrap();
            assert!(
                target.contains("Labour Party National Executive Committee"),
                "{engine}: {target}"
            );
            assert!(!target.contains("PartyNational"), "{engine}: {target}");
            assert_eq!(pair["flags"], serde_json::json!([]), "{engine}: {target}");
            pairs += 1;
        }
        assert_eq!(pairs, 2, "{engine}: {lines}");
        let md = std::fs::read_to_string(home.path().join("out/nec.zh-en.md")).unwrap();
        assert!(!md.contains("glossary-violation"), "{engine}: {md}");
    }
}
