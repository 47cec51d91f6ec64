//! `transmend fix`: apply the safe repairs, then print a unified diff (default), write repaired
//! copies under `--out DIR`, or rewrite the files in place (`--write`, keeping `NAME.orig`).

use std::collections::BTreeMap;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use transmend::error::Error;
use transmend::flag::Rule;
use transmend::pipeline::{
    self, FixOptions, FixWrite, Fixed, Job, PatchForm, Plan, RunReport, Sink, Written,
};

use super::{GlobalArgs, InputArgs, exit, project};

#[derive(Args, Debug)]
pub(crate) struct FixArgs {
    /// Files or folders (read recursively).
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Print the repairs as a unified diff (applies with `patch -p0`) and change nothing (default).
    #[arg(long, conflicts_with_all = ["out", "write"])]
    diff: bool,
    /// Write repaired copies under DIR, at the same relative paths.
    #[arg(
        long,
        short = 'o',
        visible_alias = "output",
        value_name = "DIR",
        conflicts_with = "write"
    )]
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

pub(crate) fn run(global: &GlobalArgs, args: FixArgs) -> Result<ExitCode> {
    let write = match (&args.out, args.write) {
        (Some(dir), _) => FixWrite::Out(dir.clone()),
        (None, true) => FixWrite::InPlace {
            backup: !args.no_backup,
        },
        // `fix -` on its own: the repaired text, as a filter would give it.
        (None, false) if args.paths.iter().all(|p| p.as_os_str() == "-") && !args.diff => {
            FixWrite::Stdout
        }
        (None, false) => FixWrite::Diff {
            readable: io::stdout().is_terminal(),
        },
    };
    let project = project(global, &args.paths)?;
    let plan = Plan {
        inputs: args.paths,
        options: pipeline::Options {
            ignore: project.ignore.clone(),
            ..args.input.options(project.lang(), None)
        },
        job: Job::Fix {
            repair: FixOptions {
                typography: project.typography(args.typography),
            },
            write: write.clone(),
        },
    };
    let mut printer = Printer {
        out: io::stdout().lock(),
        quiet: global.quiet,
        verbose: global.verbose,
    };
    let result = pipeline::run_corpus(&plan, project.termbase, &mut printer).and_then(|done| {
        printer.out.flush().map_err(Error::Output)?;
        Ok(done)
    });
    if let (Ok(done), false) = (&result, global.quiet) {
        eprintln!("{}", tally_line(done, &write));
    }
    exit(result)
}

/// `12 repair(s) in 3 file(s) repaired (copies written); 1 file(s) need none; 0 failed`, and
/// what is left for a person.
fn tally_line(done: &RunReport, write: &FixWrite) -> String {
    let verb = match write {
        FixWrite::Diff { .. } | FixWrite::Stdout => "to repair",
        FixWrite::Out(_) => "repaired (copies written)",
        FixWrite::InPlace { .. } => "repaired in place",
    };
    let r = &done.repairs;
    let mut line = format!(
        "{} repair(s) in {} file(s) {verb}; {} file(s) need none; {} failed",
        r.applied, r.changed, r.unchanged, done.tally.failed
    );
    if done.tally.skipped > 0 {
        line.push_str(&format!(", {} skipped", done.tally.skipped));
    }
    if done.tally.ignored > 0 {
        line.push_str(&format!(
            "; {} flag(s) ignored by .transmend-ignore",
            done.tally.ignored
        ));
    }
    if r.errors_left > 0 {
        line.push_str(&format!(
            "; {} error flag(s) remain for a person (see transmend check)",
            r.errors_left
        ));
    }
    line
}

/// Prints each diff as it comes, and notes on stderr.
struct Printer<'a> {
    out: io::StdoutLock<'a>,
    quiet: bool,
    verbose: bool,
}

impl Sink for Printer<'_> {
    fn fixed(&mut self, fixed: &Fixed, written: &Written) -> io::Result<()> {
        let path = fixed.path().display();
        match written {
            Written::Patch { patch, form } => {
                match form {
                    PatchForm::Bytes(encoding) if *encoding != "UTF-8" && !self.quiet => eprintln!(
                        "note: {path}: the diff is in {encoding}, the file's encoding, so that it applies with patch"
                    ),
                    PatchForm::Bytes(_) => {}
                    PatchForm::TextOnly(encoding) => eprintln!(
                        "note: {path}: the file is {encoding}; its diff is shown as UTF-8 text, which patch cannot apply to it (use --out or --write for this encoding)"
                    ),
                }
                self.out.write_all(patch)?;
            }
            Written::Bytes(bytes) => self.out.write_all(bytes)?,
            _ => {}
        }
        if fixed.changed() && self.verbose {
            eprintln!("{path}: {}", summary(fixed));
        }
        Ok(())
    }

    fn failed(&mut self, _path: &Path, error: &Error) -> io::Result<()> {
        eprintln!("error: {error}");
        Ok(())
    }

    fn skipped(&mut self, path: &Path, reason: &str) {
        if !self.quiet {
            eprintln!("note: {}: skipped: {reason}", path.display());
        }
    }

    fn note(&mut self, message: &str) {
        if !self.quiet {
            eprintln!("{message}");
        }
    }
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
