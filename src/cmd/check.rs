//! `transmend check`: read, detect, segment, match, check; print JSON lines or the human summary.

use std::ffi::OsStr;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use clap::builder::TypedValueParser;
use clap::error::ErrorKind;
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};

use transmend::analysis::Analysis;
use transmend::error::Error;
use transmend::output::human;
use transmend::output::report::{self, CorpusReport, ErrorReport, FileReport, HeaderReport};
use transmend::pipeline::{self, Job, Plan, Sink};

use super::{Format, GlobalArgs, InputArgs, exit, project};

#[derive(Args, Debug)]
pub(crate) struct CheckArgs {
    /// Files or folders (read recursively).
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    input: InputArgs,
    /// Add per-segment languages and script runs to the JSON (`segment_list`).
    #[arg(long)]
    segments: bool,
    /// Check only shard K of N (K from 0): a stable hash of each document's path relative to
    /// the folder given decides its shard, so N workers split a corpus without coordination.
    #[arg(long, value_name = "K/N")]
    shard: Option<pipeline::Shard>,
    // Hidden from --help; clap alone would take `--output json` for a path and suggest
    // `-- --output`. Completion scripts list hidden options too, hence the help line below.
    /// Refused: check prints to standard output (choose --format json and redirect with >).
    #[arg(
        long = "output",
        short = 'o',
        hide = true,
        num_args = 0..=1,
        default_missing_value = "",
        value_name = "FILE",
        value_parser = NoOutput
    )]
    _output: Option<String>,
}

/// The answer to `check --output`/`-o`.
const NO_OUTPUT: &str = "check has no --output: it prints its report to standard output.
Choose the format with --format json (or human) and redirect with >, e.g.
    transmend check PATH... --format json > report.jsonl
(`transmend run PATH... --out DIR` writes report.jsonl and report.html into a folder.)";

/// Refuses any value of `check --output`.
#[derive(Clone, Copy, Debug)]
struct NoOutput;

impl TypedValueParser for NoOutput {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        _arg: Option<&clap::Arg>,
        _value: &OsStr,
    ) -> Result<String, clap::Error> {
        Err(cmd.clone().error(ErrorKind::ArgumentConflict, NO_OUTPUT))
    }
}

pub(crate) fn run(global: &GlobalArgs, args: CheckArgs) -> Result<ExitCode> {
    let format = global.format.unwrap_or(if io::stdout().is_terminal() {
        Format::Human
    } else {
        Format::Json
    });
    if matches!(format, Format::Tsv | Format::Tmx) {
        anyhow::bail!(
            "--format tsv and --format tmx are for `transmend align`; check prints human or json"
        );
    }
    let project = project(global, &args.paths)?;
    let plan = Plan {
        inputs: args.paths,
        options: pipeline::Options {
            ignore: project.ignore.clone(),
            // A long document is checked in pieces unless its segments are to be listed.
            pieces: (!args.segments).then_some(transmend::check::pieces::PIECE_BYTES),
            ..args.input.options(project.lang(), args.shard)
        },
        job: Job::Check,
    };
    let color = if io::stdout().is_terminal() {
        ColorChoice::Auto
    } else {
        ColorChoice::Never
    };
    let mut printer = Printer {
        header: HeaderReport::new(&project.termbase.used),
        out: StandardStream::stdout(color),
        json: format == Format::Json,
        segments: args.segments,
        show_ignored: args.input.show_ignored,
        quiet: global.quiet,
    };
    let done = pipeline::run_corpus(&plan, project.termbase, &mut printer);
    let result = done.and_then(|done| {
        let out = &mut printer.out;
        let closing = if printer.json {
            match CorpusReport::of(&done.tally) {
                Some(corpus) => report::write_line(out, &corpus),
                None => Ok(()),
            }
        } else if !global.quiet {
            human::write_totals(out, &done.tally)
        } else {
            Ok(())
        };
        closing.and_then(|()| out.flush()).map_err(Error::Output)?;
        Ok(done)
    });
    exit(result)
}

/// Prints each document as it is checked.
struct Printer {
    /// The opening JSON line, written once the inputs turned out to exist.
    header: HeaderReport,
    out: StandardStream,
    json: bool,
    segments: bool,
    show_ignored: bool,
    quiet: bool,
}

impl Sink for Printer {
    fn started(&mut self) -> io::Result<()> {
        if self.json {
            report::write_line(&mut self.out, &self.header)?;
        }
        Ok(())
    }

    fn checked(&mut self, analysis: &Analysis) -> io::Result<()> {
        if self.json {
            let line = FileReport::new(analysis, self.segments);
            let line = if self.show_ignored {
                line.showing_ignored(analysis)
            } else {
                line
            };
            report::write_line(&mut self.out, &line)
        } else {
            human::write_analysis(&mut self.out, analysis, self.show_ignored)
        }
    }

    fn failed(&mut self, path: &Path, error: &Error) -> io::Result<()> {
        if self.json {
            let line = ErrorReport {
                path: path.display().to_string(),
                error: error.reason(),
            };
            report::write_line(&mut self.out, &line)
        } else {
            human::write_failed(&mut self.out, &error.to_string())
        }
    }

    fn skipped(&mut self, path: &Path, reason: &str) {
        if !self.quiet {
            // A note on stderr that cannot be written is not worth stopping for.
            let _ = human::write_skipped(&mut io::stderr(), path, reason);
        }
    }

    fn note(&mut self, message: &str) {
        if !self.quiet {
            eprintln!("{message}");
        }
    }
}
