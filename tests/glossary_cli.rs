//! `transmend glossary lint|convert` and glossary loading errors, on real files.
#![allow(clippy::unwrap_used)]

mod common;

use common::transmend;

#[test]
fn project_glossary_lints_clean() {
    let out = transmend()
        .args(["glossary", "lint", "glossary/labour.csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("0 warning(s)"));
}

#[test]
fn broken_glossary_is_reported_with_line_and_column_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "id,en,zh,colour\nnec,NEC,全国执行委员会,red\nnec,NEC,,\n",
    )
    .unwrap();
    let out = transmend()
        .args(["glossary", "lint"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains(&format!("{}:1:", bad.display())),
        "{stderr}"
    );
    assert!(stderr.contains("unknown column"), "{stderr}");

    // The same glossary makes `check` refuse to run (exit 2), naming the file.
    let out = transmend()
        .args(["check", "--format", "json", "--glossary"])
        .arg(&bad)
        .arg("corpus/")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.csv"));
}

#[test]
fn csv_to_tbx_to_csv_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let tbx = dir.path().join("labour.tbx");
    let back = dir.path().join("labour.csv");
    let run = |args: &[&str]| {
        let out = transmend().args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(&[
        "glossary",
        "convert",
        "glossary/labour.csv",
        "--to",
        "tbx",
        "-o",
        tbx.to_str().unwrap(),
    ]);
    let xml = std::fs::read_to_string(&tbx).unwrap();
    assert!(xml.contains("preferredTerm-admn-sts") && xml.contains("deprecatedTerm-admn-sts"));
    run(&[
        "glossary",
        "convert",
        tbx.to_str().unwrap(),
        "--to",
        "csv",
        "-o",
        back.to_str().unwrap(),
    ]);
    // Canonical CSV of the original and of the round trip are identical.
    let canon = dir.path().join("canon.csv");
    run(&[
        "glossary",
        "convert",
        "glossary/labour.csv",
        "--to",
        "csv",
        "-o",
        canon.to_str().unwrap(),
    ]);
    assert_eq!(
        std::fs::read_to_string(&canon).unwrap(),
        std::fs::read_to_string(&back).unwrap()
    );
    // And the TBX checks the seed like the CSV does.
    let a = transmend()
        .args([
            "check",
            "--format",
            "json",
            "--glossary",
            "glossary/labour.csv",
            "corpus/scg-statement-leaked-report.zh.txt",
        ])
        .output()
        .unwrap();
    let b = transmend()
        .args(["check", "--format", "json", "--glossary"])
        .arg(&tbx)
        .arg("corpus/scg-statement-leaked-report.zh.txt")
        .output()
        .unwrap();
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn deepl_export_has_preferred_pairs() {
    let out = transmend()
        .args([
            "glossary",
            "convert",
            "glossary/labour.csv",
            "--to",
            "deepl",
            "--source",
            "en",
            "--target",
            "zh",
            "-o",
            "-",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tsv = String::from_utf8(out.stdout).unwrap();
    assert!(tsv.lines().any(|l| l == "Labour Party\t工党"), "{tsv}");
    assert!(tsv.lines().all(|l| l.split('\t').count() == 2));
    let out = transmend()
        .args([
            "glossary",
            "convert",
            "glossary/labour.csv",
            "--to",
            "deepl",
            "-o",
            "-",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
