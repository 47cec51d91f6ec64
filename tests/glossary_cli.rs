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
            "--no-default-glossary",
            "--glossary",
            "glossary/labour.csv",
            "corpus/scg-statement-leaked-report.zh.txt",
        ])
        .output()
        .unwrap();
    let b = transmend()
        .args([
            "check",
            "--format",
            "json",
            "--no-default-glossary",
            "--glossary",
        ])
        .arg(&tbx)
        .arg("corpus/scg-statement-leaked-report.zh.txt")
        .output()
        .unwrap();
    // The document lines are the same (the opening lines name different files).
    let documents = |out: &[u8]| {
        String::from_utf8_lossy(out)
            .lines()
            .skip(1)
            .collect::<Vec<_>>()
            .join("\n")
    };
    let (a, b) = (documents(&a.stdout), documents(&b.stdout));
    assert!(a.contains("劳动派对"), "the glossary was used");
    assert!(a == b, "the TBX checks the seed as the CSV does");
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

/// The messages of `glossary lint FILES...` (exit 2), without the `error: FILE:LINE:COL: `
/// prefix.
fn lint_errors(files: &[&std::path::Path]) -> Vec<String> {
    let out = transmend()
        .args(["glossary", "lint"])
        .args(files)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    String::from_utf8(out.stderr)
        .unwrap()
        .lines()
        .map(|l| {
            let l = l.strip_prefix("error: ").unwrap();
            let at = l.find(": ").unwrap();
            l[at + 2..].to_string()
        })
        .collect()
}

#[test]
fn the_same_mistakes_get_the_same_messages_in_csv_and_tbx() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("bad.csv");
    std::fs::write(
        &csv,
        "id,kind,en,en.deprecated,match\n\
         nec,party,NEC,,\n\
         nec,org,NEC,,\n\
         lp,,Labour,Labour,exact\n\
         empty,,,,\n",
    )
    .unwrap();
    let tbx = dir.path().join("bad.tbx");
    std::fs::write(
        &tbx,
        r#"<tbx><text><body>
<conceptEntry id="nec"><note>transmend:kind=party</note><langSec xml:lang="en"><termSec><term>NEC</term></termSec></langSec></conceptEntry>
<conceptEntry id="nec"><note>transmend:kind=org</note><langSec xml:lang="en"><termSec><term>NEC</term></termSec></langSec></conceptEntry>
<conceptEntry id="lp"><langSec xml:lang="en"><termSec><term>Labour</term></termSec><termSec><term>Labour</term><termNote type="administrativeStatus">deprecated</termNote></termSec></langSec><note>transmend:match=exact</note></conceptEntry>
<conceptEntry id="empty"/>
</body></text></tbx>"#,
    )
    .unwrap();
    let from_csv = lint_errors(&[&csv]);
    assert_eq!(
        from_csv,
        [
            "unknown kind 'party' (expected person, org, term, acronym, place, event or title)",
            "duplicate id 'nec': already defined on line 2",
            "'Labour' is listed both as accepted (line 4, column 5) and as deprecated in 'en'",
            "bad match value 'exact' (expected 'case' or empty)",
            "concept 'empty' has no form in any language",
        ]
    );
    let from_tbx = lint_errors(&[&tbx]);
    assert_eq!(
        from_tbx[3..],
        from_csv[3..],
        "only the location named in the conflict differs"
    );
    assert_eq!(from_tbx[..2], from_csv[..2]);
    assert_eq!(
        from_tbx[2],
        "'Labour' is listed both as accepted (line 4, column 55) and as deprecated in 'en'"
    );

    // An id in two files, whatever their formats, is the same rule.
    let a = dir.path().join("a.csv");
    std::fs::write(&a, "id,en\nnec,NEC\n").unwrap();
    let b = dir.path().join("b.tbx");
    std::fs::write(
        &b,
        "<tbx><text><body>\n<conceptEntry id=\"nec\"><langSec xml:lang=\"en\"><termSec>\
         <term>NEC</term></termSec></langSec></conceptEntry>\n</body></text></tbx>",
    )
    .unwrap();
    assert_eq!(
        lint_errors(&[&a, &b]),
        [format!(
            "duplicate id 'nec': already defined at {}:2",
            a.display()
        )]
    );
}
