//! `transmend align SOURCE TARGET`: sentence-align an original with its translation and check
//! each pair (missing terms, changed numbers, omissions, additions, copies).

use std::io::{self, IsTerminal, Write};
use std::ops::Range;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;

use transmend::flag::{Flag, Severity};
use transmend::output::{report, tmx};
use transmend::pipeline;

use super::{Format, GlobalArgs, project};

#[derive(Args, Debug)]
pub(crate) struct AlignArgs {
    /// The original.
    source: PathBuf,
    /// Its translation.
    target: PathBuf,
    /// Take each line as one sentence (indices are then 0-based line numbers).
    #[arg(long)]
    lines: bool,
}

pub(crate) fn run(global: &GlobalArgs, args: AlignArgs) -> Result<ExitCode> {
    let project = project(global, &[args.source.clone(), args.target.clone()])?;
    let termbase = project.termbase;
    let options = pipeline::Options {
        jobs: 1,
        ..pipeline::Options::default()
    };
    let (src, tgt, pair) =
        pipeline::align_files(&args.source, &args.target, &options, termbase, args.lines)?;
    let (src_lang, tgt_lang) = (pair.source_lang, project.lang().unwrap_or(pair.target_lang));
    let texts = |text: &str, spans: &[Range<usize>]| -> Vec<String> {
        spans.iter().map(|r| text[r.clone()].to_string()).collect()
    };
    let src_texts = texts(&src.doc.text, &pair.source_sentences);
    let tgt_texts = texts(&tgt.doc.text, &pair.target_sentences);
    let (beads, flags) = (&pair.beads, &pair.flags);
    let format = global.format.unwrap_or(if io::stdout().is_terminal() {
        Format::Human
    } else {
        Format::Json
    });
    let mut out = io::stdout().lock();
    let joined = |ids: &[usize], texts: &[String]| {
        ids.iter()
            .map(|&i| texts[i].as_str())
            .collect::<Vec<_>>()
            .join(" ")
    };
    match format {
        Format::Json => {
            for (bead, f) in beads.iter().zip(flags) {
                let line = serde_json::json!({"source": bead.source, "target": bead.target, "score": bead.score, "flags": f});
                writeln!(out, "{}", report::line(&line))?;
            }
        }
        Format::Tsv => {
            let clean = |s: String| s.replace(['\t', '\n', '\r'], " ");
            for bead in beads {
                writeln!(
                    out,
                    "{}\t{}\t{}",
                    clean(joined(&bead.source, &src_texts)),
                    clean(joined(&bead.target, &tgt_texts)),
                    bead.score
                )?;
            }
        }
        Format::Tmx => {
            let pairs: Vec<(String, String)> = beads
                .iter()
                .filter(|b| !b.source.is_empty() && !b.target.is_empty())
                .map(|b| (joined(&b.source, &src_texts), joined(&b.target, &tgt_texts)))
                .collect();
            out.write_all(tmx::to_string(src_lang, tgt_lang, &pairs).as_bytes())?;
        }
        Format::Human => {
            for (bead, f) in beads.iter().zip(flags) {
                writeln!(
                    out,
                    "{:?} <-> {:?}  score {:.2}",
                    bead.source, bead.target, bead.score
                )?;
                if !bead.source.is_empty() {
                    writeln!(out, "  {src_lang}: {}", joined(&bead.source, &src_texts))?;
                }
                if !bead.target.is_empty() {
                    writeln!(out, "  {tgt_lang}: {}", joined(&bead.target, &tgt_texts))?;
                }
                for flag in f {
                    let suggestion = flag
                        .suggestion
                        .as_deref()
                        .map(|s| format!(" (suggestion: {s})"))
                        .unwrap_or_default();
                    writeln!(
                        out,
                        "  {}[{}] line {}: {}{suggestion}",
                        flag.severity, flag.rule, flag.line, flag.message
                    )?;
                }
            }
        }
    }
    out.flush().context("cannot write the alignment")?;
    let errors = flags
        .iter()
        .flatten()
        .any(|f: &Flag| f.severity == Severity::Error);
    Ok(if errors {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
