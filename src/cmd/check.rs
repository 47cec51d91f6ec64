//! `transmend check`: read, detect, segment, match, check; print JSON lines or the human summary.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};

use transmend::document::ReadOptions;
use transmend::output::{human, json};
use transmend::pipeline::{self, Outcome};

use super::{Format, GlobalArgs, InputArgs, load_termbase};

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
    let options = pipeline::Options {
        read: ReadOptions {
            max_file_size: args.input.max_file_size,
        },
        lang: global.lang(),
        jobs: args.input.jobs,
        shard: args.shard,
    };
    let color = if io::stdout().is_terminal() {
        ColorChoice::Auto
    } else {
        ColorChoice::Never
    };
    let termbase = load_termbase(&global.glossary)?;
    let mut out = StandardStream::stdout(color);
    let mut totals = human::Totals::default();
    let mut io_result: io::Result<()> = Ok(());
    pipeline::run_paths(&args.paths, &options, termbase, |outcome| {
        if io_result.is_err() {
            return;
        }
        io_result = emit(
            &mut out,
            format,
            args.segments,
            global.quiet,
            &mut totals,
            outcome,
        );
    });
    match io_result {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(ExitCode::from(2)),
        other => other.context("cannot write the report")?,
    }
    if format == Format::Human && !global.quiet {
        human::write_totals(&mut out, &totals)?;
    }
    out.flush()?;
    Ok(exit_code(&totals))
}

fn emit(
    out: &mut StandardStream,
    format: Format,
    segments: bool,
    quiet: bool,
    totals: &mut human::Totals,
    outcome: Outcome,
) -> io::Result<()> {
    match outcome {
        Outcome::Done(a) => {
            totals.add(&a);
            match format {
                Format::Json => json::write_line(out, &json::FileReport::new(&a, segments)),
                _ => human::write_analysis(out, &a),
            }
        }
        Outcome::Failed { path, error } => {
            totals.failed += 1;
            match format {
                Format::Json => {
                    let report = json::ErrorReport {
                        path: path.display().to_string(),
                        error: error.reason(),
                    };
                    json::write_line(out, &report)
                }
                _ => human::write_failed(out, &error.to_string()),
            }
        }
        Outcome::Skipped { path, reason } => {
            totals.skipped += 1;
            if quiet {
                return Ok(());
            }
            human::write_skipped(&mut io::stderr(), &path, &reason)
        }
    }
}

fn exit_code(totals: &human::Totals) -> ExitCode {
    if totals.failed > 0 {
        ExitCode::from(2)
    } else if totals.errors() > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
