//! `transmend fix`: apply the safe repairs, then print a unified diff (default), write repaired
//! copies under `--out DIR`, or rewrite the files in place (`--write`, keeping `NAME.orig`).

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;

use transmend::check::{Rule, Severity};
use transmend::document::ReadOptions;
use transmend::output::{diff, rewrite};
use transmend::pipeline::{self, FixOptions, Fixed, Walked};

use super::{GlobalArgs, InputArgs, load_termbase};

#[derive(Args, Debug)]
pub(crate) struct FixArgs {
    /// Files or folders (read recursively).
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Print the repairs as a unified diff (applies with `patch -p0`) and change nothing (default).
    #[arg(long, conflicts_with_all = ["out", "write"])]
    diff: bool,
    /// Write repaired copies under DIR, at the same relative paths.
    #[arg(long, value_name = "DIR", conflicts_with = "write")]
    out: Option<PathBuf>,
    /// Rewrite the files in place (atomically), keeping the original as NAME.orig.
    #[arg(long)]
    write: bool,
    /// With --write: keep no NAME.orig backup.
    #[arg(long, requires = "write")]
    no_backup: bool,
    /// Also apply CJK typography: full-width punctuation between CJK characters, spaces
    /// between CJK and Latin letters or digits.
    #[arg(long)]
    typography: bool,
    #[command(flatten)]
    input: InputArgs,
}

enum Mode {
    Diff,
    Out(PathBuf),
    Write { backup: bool },
}

#[derive(Default)]
struct Tally {
    changed: usize,
    unchanged: usize,
    failed: usize,
    skipped: usize,
    repairs: usize,
    errors_left: usize,
}

pub(crate) fn run(global: &GlobalArgs, args: FixArgs) -> Result<ExitCode> {
    let mode = match (&args.out, args.write) {
        (Some(dir), _) => Mode::Out(dir.clone()),
        (None, true) => Mode::Write {
            backup: !args.no_backup,
        },
        (None, false) => Mode::Diff,
    };
    let options = pipeline::Options {
        read: ReadOptions {
            max_file_size: args.input.max_file_size,
        },
        lang: global.lang(),
        jobs: args.input.jobs,
        shard: None,
    };
    let fix = FixOptions {
        typography: args.typography,
    };
    let termbase = load_termbase(&global.glossary)?;
    if let Mode::Out(dir) = &mode {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the output folder {}", dir.display()))?;
    }
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let mut tally = Tally::default();
    let mut io_result: io::Result<()> = Ok(());
    pipeline::map_paths(
        &args.paths,
        args.input.jobs,
        |path| {
            if rewrite::is_backup(path) {
                None
            } else {
                Some(pipeline::fix_path(path, &options, termbase, fix))
            }
        },
        |walked| {
            if io_result.is_err() {
                return;
            }
            io_result = handle(&mut out, &mode, global, &mut tally, walked);
        },
    );
    match io_result {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(ExitCode::from(2)),
        other => other.context("cannot write the diff")?,
    }
    out.flush()?;
    if !global.quiet {
        let verb = match mode {
            Mode::Diff => "to repair",
            Mode::Out(_) => "repaired (copies written)",
            Mode::Write { .. } => "repaired in place",
        };
        eprintln!(
            "{} repair(s) in {} file(s) {verb}; {} file(s) need none; {} failed{}{}",
            tally.repairs,
            tally.changed,
            tally.unchanged,
            tally.failed,
            if tally.skipped > 0 {
                format!(", {} skipped", tally.skipped)
            } else {
                String::new()
            },
            if tally.errors_left > 0 {
                format!(
                    "; {} error flag(s) remain for a person (see transmend check)",
                    tally.errors_left
                )
            } else {
                String::new()
            }
        );
    }
    Ok(if tally.failed > 0 {
        ExitCode::from(2)
    } else if tally.errors_left > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn handle(
    out: &mut impl Write,
    mode: &Mode,
    global: &GlobalArgs,
    tally: &mut Tally,
    walked: Walked<Option<transmend::Result<Fixed>>>,
) -> io::Result<()> {
    let fixed = match walked {
        Walked::Done(Some(Ok(fixed))) => fixed,
        Walked::Done(None) => {
            // A NAME.orig backup of an earlier --write: not a document to repair.
            tally.skipped += 1;
            return Ok(());
        }
        Walked::Done(Some(Err(error))) | Walked::Failed { error, .. } => {
            tally.failed += 1;
            eprintln!("error: {error}");
            return Ok(());
        }
        Walked::Skipped { path, reason } => {
            tally.skipped += 1;
            if !global.quiet {
                eprintln!("note: {}: skipped: {reason}", path.display());
            }
            return Ok(());
        }
    };
    let path = fixed.analysis.doc.path.clone();
    tally.errors_left += fixed
        .repaired
        .remaining
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let changed = fixed.changed();
    if changed {
        tally.changed += 1;
        tally.repairs += fixed.repaired.applied.len();
    } else {
        tally.unchanged += 1;
    }
    let result = match mode {
        Mode::Diff => {
            if changed {
                let doc = &fixed.analysis.doc;
                let encoding = doc.encoding_name();
                let name = path.to_string_lossy();
                // Lines split at 0x0A bytes only work for ASCII-compatible encodings; UTF-16
                // is shown as UTF-8 text instead (readable, but patch cannot apply it).
                let patch = if doc.encoding.is_ascii_compatible() {
                    if encoding != "UTF-8" && !global.quiet {
                        eprintln!(
                            "note: {}: the diff is in {encoding}, the file's encoding, so that it applies with patch",
                            path.display()
                        );
                    }
                    diff::unified(&fixed.original, &fixed.bytes, &name)
                } else {
                    eprintln!(
                        "note: {}: the file is {encoding}; its diff is shown as UTF-8 text and will not apply with patch (use --out or --write for it)",
                        path.display()
                    );
                    diff::unified(doc.text.as_bytes(), fixed.repaired.text.as_bytes(), &name)
                };
                out.write_all(&patch)?;
            }
            Ok(())
        }
        Mode::Out(dir) => rewrite::out_path(dir, &path)
            .and_then(|target| rewrite::write_copy(dir, &path, &target, &fixed.bytes)),
        Mode::Write { backup } => {
            if changed {
                rewrite::write_in_place(&path, &fixed.original, &fixed.bytes, *backup).map(|_| ())
            } else {
                Ok(())
            }
        }
    };
    match result {
        Ok(()) => {
            if changed && global.verbose {
                eprintln!("{}: {}", path.display(), summary(&fixed));
            }
        }
        Err(error) => {
            tally.failed += 1;
            if changed {
                tally.changed -= 1;
                tally.repairs -= fixed.repaired.applied.len();
            } else {
                tally.unchanged -= 1;
            }
            eprintln!("error: {error}");
        }
    }
    Ok(())
}

/// `12 repairs: deprecated-term 8, artifact 3, repeated-text 1`.
fn summary(fixed: &Fixed) -> String {
    let mut by_rule: BTreeMap<Rule, usize> = BTreeMap::new();
    for f in &fixed.repaired.applied {
        *by_rule.entry(f.rule).or_default() += 1;
    }
    let mut parts: Vec<String> = by_rule
        .iter()
        .map(|(rule, n)| format!("{rule} {n}"))
        .collect();
    if fixed.repaired.typography_changed {
        parts.push("typography".into());
    }
    format!(
        "{} repair(s): {}",
        fixed.repaired.applied.len(),
        parts.join(", ")
    )
}
