//! The command line itself, through the real binary: the aliases people type (`--target`,
//! `--output`/`-o`), the arguments that used to get misleading suggestions from the parser
//! (`check --output`, `--format html`), `--version`, shell completions, the man page and the
//! exit codes in `--help`.
#![allow(clippy::unwrap_used)]

mod common;
mod emulator;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const ZH: &str = "corpus/scg-statement-leaked-report.zh.txt";

/// The binary with no engine, key or cache settings from outside, its cache under `home`.
fn transmend(home: &Path) -> Command {
    common::isolated(home)
}

fn run(cmd: &mut Command) -> (i32, String, String) {
    let out: Output = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Every file under `dir`, at any depth.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                found.push(path);
            }
        }
    }
    found
}

/// A file under `dir` whose name ends with `suffix`.
fn has_file_ending(dir: &Path, suffix: &str) -> bool {
    files_under(dir).iter().any(|p| {
        p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.ends_with(suffix))
    })
}

/// The parser's own complaint about an argument it does not know, or its misleading tips.
fn assert_no_parser_guess(stderr: &str) {
    for guess in [
        "unexpected argument",
        "a similar argument exists",
        "a similar value exists",
        "to pass '--output' as a value",
    ] {
        assert!(!stderr.contains(guess), "{guess:?} in:\n{stderr}");
    }
}

#[test]
fn target_is_an_alias_of_to_in_translate_and_run() {
    let home = tempfile::tempdir().unwrap();
    let emu = emulator::Background::start();
    for command in ["translate", "run"] {
        let out = home.path().join(command);
        let (code, _, stderr) = run(transmend(home.path())
            .args([command, ZH, "--target", "en", "--out"])
            .arg(&out)
            .args(["--engine", "libretranslate", "--endpoint", &emu.url])
            .args(["--no-cache", "--retry-delay-ms", "5", "--timeout", "60"]));
        assert_no_parser_guess(&stderr);
        assert!(
            matches!(code, 0 | 1),
            "{command} --target: exit {code}\n{stderr}"
        );
        assert!(
            has_file_ending(&out, ".zh-en.jsonl"),
            "{command} --target en wrote no zh-en translation: {:?}",
            files_under(&out)
        );
        // The same argument: given twice under its two names, the parser says so.
        let (code, _, stderr) = run(transmend(home.path())
            .args([command, ZH, "--to", "en", "--target", "zh", "--out"])
            .arg(home.path().join("twice")));
        assert_eq!(code, 2, "{stderr}");
        assert!(
            stderr.contains("'--to <LANG>' cannot be used multiple times"),
            "{stderr}"
        );
        let (_, help, _) = run(transmend(home.path()).args([command, "--help"]));
        assert!(help.contains("[alias: --target]"), "{help}");
    }
}

#[test]
fn output_and_o_name_the_out_folder_of_fix_translate_and_run() {
    let home = tempfile::tempdir().unwrap();
    for flag in ["--output", "-o"] {
        let out = home.path().join(format!("fix{flag}"));
        let (code, _, stderr) = run(transmend(home.path()).args(["fix", ZH, flag]).arg(&out));
        assert_no_parser_guess(&stderr);
        assert_eq!(code, 0, "fix {flag}: {stderr}");
        assert!(
            has_file_ending(&out, "scg-statement-leaked-report.zh.txt"),
            "fix {flag} DIR wrote no repaired copy: {:?}",
            files_under(&out)
        );

        let out = home.path().join(format!("run{flag}"));
        let (code, _, stderr) = run(transmend(home.path())
            .args(["run", ZH, "-q", flag])
            .arg(&out));
        assert_no_parser_guess(&stderr);
        assert!(matches!(code, 0 | 1), "run {flag}: exit {code}\n{stderr}");
        assert!(out.join("report.html").is_file(), "run {flag}: {stderr}");
    }
    // translate: with --output naming the folder, what stops it is the missing engine, not
    // the parser.
    let (code, _, stderr) = run(transmend(home.path())
        .args(["translate", ZH, "--to", "en", "--output"])
        .arg(home.path().join("translated")));
    assert_no_parser_guess(&stderr);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        !stderr.contains("required arguments were not provided"),
        "{stderr}"
    );
    for command in ["fix", "translate", "run"] {
        let (_, help, _) = run(transmend(home.path()).args([command, "--help"]));
        assert!(help.contains("[alias: --output]"), "{command}: {help}");
        assert!(help.contains("-o, --out <DIR>"), "{command}: {help}");
    }
}

#[test]
fn check_output_says_check_prints_to_stdout_and_how_to_choose_the_format() {
    let home = tempfile::tempdir().unwrap();
    for args in [
        &[ZH, "--output", "json"][..],
        &[ZH, "--output=report.json"],
        &["-o", "report.json", ZH],
        &[ZH, "-o"],
    ] {
        let (code, stdout, stderr) = run(transmend(home.path()).arg("check").args(args));
        assert_eq!(code, 2, "check {args:?}: {stderr}");
        assert!(
            stdout.is_empty(),
            "check {args:?} printed a report: {stdout}"
        );
        assert_no_parser_guess(&stderr);
        for needed in [
            "check has no --output",
            "standard output",
            "--format json",
            "> report.jsonl",
        ] {
            assert!(
                stderr.contains(needed),
                "{needed:?} for {args:?}:\n{stderr}"
            );
        }
    }
    assert!(!home.path().join("report.json").exists());
}

#[test]
fn format_html_lists_the_real_choices_and_where_html_comes_from() {
    let home = tempfile::tempdir().unwrap();
    for value in ["html", "HTML"] {
        let (code, stdout, stderr) =
            run(transmend(home.path()).args(["check", ZH, "--format", value]));
        assert_eq!(code, 2, "{stderr}");
        assert!(stdout.is_empty(), "{stdout}");
        assert_no_parser_guess(&stderr);
        for needed in [
            "human or json",
            "`transmend run PATH... --out DIR` (it writes DIR/report.html)",
            "`transmend diff ORIGINAL CORRECTED --html FILE`",
        ] {
            assert!(stderr.contains(needed), "{needed:?}:\n{stderr}");
        }
    }
    // Other unknown values still get the parser's list, and the real formats still work.
    let (code, _, stderr) = run(transmend(home.path()).args(["check", ZH, "--format", "xml"]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("[possible values: human, json, tsv, tmx]"),
        "{stderr}"
    );
    let (code, stdout, stderr) =
        run(transmend(home.path()).args(["check", ZH, "--format", "json"]));
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.starts_with("{\"transmend\""), "{stdout}");
    assert!(stdout.contains("\n{\"path\""), "a document line follows");
}

#[test]
fn version_prints_the_crate_version() {
    let home = tempfile::tempdir().unwrap();
    for flag in ["--version", "-V"] {
        let (code, stdout, stderr) = run(transmend(home.path()).arg(flag));
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(stdout, format!("transmend {}\n", env!("CARGO_PKG_VERSION")));
    }
}

#[test]
fn completions_for_each_shell_name_the_subcommands() {
    let home = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let (code, script, stderr) = run(transmend(home.path()).args(["completions", shell]));
        assert_eq!(code, 0, "{shell}: {stderr}");
        for word in ["transmend", "check", "translate", "glossary", "completions"] {
            assert!(script.contains(word), "{shell} script lacks {word}");
        }
        // Options of the subcommands, aliases included, are completed too (fish: `-l target`).
        assert!(script.contains("target"), "{shell} script lacks --target");
    }
    let (_, bash, _) = run(transmend(home.path()).args(["completions", "bash"]));
    assert!(bash.contains("--target"));
    let path = home.path().join("transmend.bash");
    std::fs::write(&path, bash).unwrap();
    let syntax = Command::new("bash").arg("-n").arg(&path).output().unwrap();
    assert!(
        syntax.status.success(),
        "bash -n: {}",
        String::from_utf8_lossy(&syntax.stderr)
    );
    // Loaded, it completes a subcommand and an alias as bash would ask it to.
    let completed = Command::new("bash")
        .arg("-c")
        .arg(
            r#"source "$1"
            COMP_WORDS=(transmend che); COMP_CWORD=1; _transmend transmend che transmend
            printf '%s\n' "${COMPREPLY[@]}"
            COMP_WORDS=(transmend translate --tar); COMP_CWORD=2
            _transmend transmend --tar translate
            printf '%s\n' "${COMPREPLY[@]}""#,
        )
        .arg("bash")
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&completed.stdout),
        "check\n--target\n",
        "{}",
        String::from_utf8_lossy(&completed.stderr)
    );
    let (code, _, stderr) = run(transmend(home.path()).args(["completions", "tcsh"]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("bash, elvish, fish, powershell, zsh"),
        "{stderr}"
    );
}

/// The roff requests clap_mangen and the EXIT STATUS section use; anything else would be a
/// rendering accident.
const ROFF_REQUESTS: [&str; 11] = [
    ".TH", ".SH", ".TP", ".IP", ".RS", ".RE", ".br", ".PP", ".ie", ".el", ".B",
];

fn assert_man_page(page: &str, title: &str) {
    assert!(
        page.contains(&format!(".TH {title} 1 ")),
        "no .TH {title}:\n{page}"
    );
    for section in [
        ".SH NAME",
        ".SH SYNOPSIS",
        ".SH OPTIONS",
        ".SH \"EXIT STATUS\"",
    ] {
        assert!(page.contains(section), "{title}: no {section}");
    }
    for line in page.lines().filter(|l| l.starts_with('.')) {
        let request = line.split_whitespace().next().unwrap_or_default();
        assert!(
            ROFF_REQUESTS.contains(&request),
            "{title}: unexpected roff request {line:?}"
        );
    }
}

#[test]
fn man_prints_roff_pages_with_the_subcommands_and_exit_status() {
    let home = tempfile::tempdir().unwrap();
    let (code, page, stderr) = run(transmend(home.path()).arg("man"));
    assert_eq!(code, 0, "{stderr}");
    assert_man_page(&page, "transmend");
    for sub in [
        "check",
        "fix",
        "diff",
        "translate",
        "align",
        "run",
        "glossary",
        "completions",
    ] {
        assert!(
            page.contains(&format!("transmend\\-{sub}(1)")),
            "no {sub} in:\n{page}"
        );
    }
    for code in ["\\fB0\\fR", "\\fB1\\fR", "\\fB2\\fR"] {
        assert!(page.contains(code), "exit status {code} missing");
    }
    assert!(page.contains("unreadable glossary"));

    let (code, page, stderr) = run(transmend(home.path()).args(["man", "check"]));
    assert_eq!(code, 0, "{stderr}");
    assert_man_page(&page, "transmend-check");
    assert!(page.contains("\\-\\-segments"), "{page}");

    let (code, page, stderr) = run(transmend(home.path()).args(["man", "glossary", "lint"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(page.contains(".TH transmend-glossary-lint 1 "), "{page}");

    let (code, _, stderr) = run(transmend(home.path()).args(["man", "nope"]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("no command `nope` in `transmend`; its commands: check, fix"),
        "{stderr}"
    );
}

#[test]
fn help_lists_the_exit_codes() {
    let home = tempfile::tempdir().unwrap();
    for flag in ["--help", "-h"] {
        let (code, help, stderr) = run(transmend(home.path()).arg(flag));
        assert_eq!(code, 0, "{stderr}");
        let status = help
            .split_once("Exit status:\n")
            .map(|(_, rest)| rest)
            .unwrap_or_else(|| panic!("no exit status in {flag}:\n{help}"));
        for (code, words) in [
            ("0", "nothing was flagged at error severity"),
            ("1", "at least one flag at error severity"),
            (
                "2",
                "a usage error, an unreadable glossary, or at least one input",
            ),
        ] {
            assert!(
                status.contains(&format!("  {code}  {words}")),
                "exit code {code} in {flag}:\n{status}"
            );
        }
        assert!(status.contains("the others are still processed and reported"));
    }
}
