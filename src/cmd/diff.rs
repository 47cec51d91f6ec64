//! `transmend diff`: the reviewer's diff of an original and its corrected version, coloured and
//! inline on the terminal, or one self-contained HTML page (`--html`), with the flags of a
//! `check --format json` report beside the changes they caused (`--report`).

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};

use transmend::analysis::analyze;
use transmend::document::{DEFAULT_MAX_FILE_SIZE, ReadOptions, read_document};
use transmend::output::human::count;
use transmend::output::{diff, diff_html, write_atomic};

use super::GlobalArgs;

#[derive(Args, Debug)]
pub(crate) struct DiffArgs {
    /// The original document.
    #[arg(value_name = "ORIGINAL")]
    original: PathBuf,
    /// The corrected document (e.g. written by `transmend fix --out`).
    #[arg(value_name = "CORRECTED")]
    corrected: PathBuf,
    /// Write a self-contained side-by-side HTML page to FILE instead of the terminal diff.
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    /// A `check --format json` report of ORIGINAL: show the flag behind each change.
    #[arg(long, value_name = "REPORT.jsonl")]
    report: Option<PathBuf>,
    /// No colours (also when the output is not a terminal, or NO_COLOR is set).
    #[arg(long)]
    no_color: bool,
    /// Refuse files larger than this many bytes.
    #[arg(long, default_value_t = DEFAULT_MAX_FILE_SIZE, value_name = "BYTES")]
    max_file_size: u64,
}

/// Exit status as diff(1): 0 the same text, 1 different, 2 trouble.
pub(crate) fn run(global: &GlobalArgs, args: DiffArgs) -> Result<ExitCode> {
    let read = ReadOptions {
        max_file_size: args.max_file_size,
    };
    let old = read_document(&args.original, read)?;
    let new = read_document(&args.corrected, read)?;
    let causes = match &args.report {
        Some(report) => {
            let text = std::fs::read_to_string(report)
                .with_context(|| format!("cannot read the report {}", report.display()))?;
            let original = args.original.to_string_lossy();
            let causes = diff::causes_from_report(&text, &original)
                .map_err(|e| anyhow::anyhow!("{}: {e}", report.display()))?;
            Some(causes)
        }
        None => None,
    };
    // The files as an editor shows them: the markup of a web page or a Markdown file, where the
    // offsets of a report's flags point.
    let old_text = old.source_text().unwrap_or(&old.text).to_string();
    let new_text = new.source_text().unwrap_or(&new.text).to_string();
    let blocks = diff::review(&old_text, &new_text);
    let (dels, inss) = diff::change_counts(&blocks);
    let original_name = args.original.display().to_string();
    let corrected_name = args.corrected.display().to_string();
    if let Some(html_path) = &args.html {
        // The original's language marks the page's text, so that browsers pick its font.
        let old = analyze(old, None);
        let page = diff_html::page(
            &original_name,
            &corrected_name,
            &old_text,
            &new_text,
            &blocks,
            causes.as_deref(),
            old.detection.language,
        );
        write_atomic(html_path, page.as_bytes())?;
        if !global.quiet {
            eprintln!(
                "wrote {} ({}, {})",
                html_path.display(),
                count(dels, "deletion", "deletions"),
                count(inss, "insertion", "insertions")
            );
        }
    } else {
        let color = !args.no_color && io::stdout().is_terminal();
        let mut out = StandardStream::stdout(if color {
            ColorChoice::Auto
        } else {
            ColorChoice::Never
        });
        let result = (|| -> io::Result<()> {
            if !global.quiet {
                writeln!(out, "--- {original_name} ({})", old.encoding_name())?;
                writeln!(out, "+++ {corrected_name} ({})", new.encoding_name())?;
            }
            diff::write_inline(
                &mut out,
                &old_text,
                &new_text,
                &blocks,
                causes.as_deref().unwrap_or(&[]),
                color,
            )?;
            out.flush()
        })();
        match result {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(ExitCode::from(2)),
            other => other.context("cannot write the diff")?,
        }
    }
    Ok(if dels + inss == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
