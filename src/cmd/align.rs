//! `transmend align SOURCE TARGET`: sentence-align an original with its translation and check
//! each pair (missing terms, changed numbers, omissions, additions, copies).

use std::io::{self, IsTerminal, Write};
use std::ops::Range;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;

use transmend::align::{self, AlignOptions};
use transmend::check::bilingual::{self, Doc};
use transmend::check::{Flag, Severity};
use transmend::document::{ReadOptions, read_document};
use transmend::lines::LineIndex;
use transmend::output::{json, tmx};
use transmend::pipeline::{self, Analysis};

use super::{Format, GlobalArgs, load_termbase};

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

/// Sentence spans: segments, or lines with `--lines`.
fn sentences(a: &Analysis, lines: bool) -> Vec<Range<usize>> {
    if lines {
        let text = &a.doc.text;
        let mut out = Vec::new();
        let mut start = 0;
        for line in text.split_inclusive('\n') {
            let body = line.trim_end_matches(['\n', '\r']);
            out.push(start..start + body.len());
            start += line.len();
        }
        out
    } else {
        a.segments.iter().map(|s| s.span.clone()).collect()
    }
}

pub(crate) fn run(global: &GlobalArgs, args: AlignArgs) -> Result<ExitCode> {
    let termbase = load_termbase(&global.glossary)?;
    let options = pipeline::Options {
        read: ReadOptions::default(),
        lang: None,
        jobs: 1,
        shard: None,
    };
    let read = |path: &PathBuf| -> Result<Analysis> {
        let doc = read_document(path, options.read)?;
        let mut a = pipeline::analyze(doc, &options);
        pipeline::check_document(&mut a, &termbase);
        Ok(a)
    };
    let src = read(&args.source)?;
    let tgt = read(&args.target)?;
    let src_lang = src.detection.language.unwrap_or("und");
    let tgt_lang = global.lang().or(tgt.detection.language).unwrap_or("und");
    let (ss, ts) = (sentences(&src, args.lines), sentences(&tgt, args.lines));
    let src_doc = Doc::new(&src.doc.text, src_lang, &ss, &termbase);
    let tgt_doc = Doc::new(&tgt.doc.text, tgt_lang, &ts, &termbase);
    let texts = |text: &str, spans: &[Range<usize>]| -> Vec<String> {
        spans.iter().map(|r| text[r.clone()].to_string()).collect()
    };
    let (src_texts, tgt_texts) = (texts(&src.doc.text, &ss), texts(&tgt.doc.text, &ts));
    let src_refs: Vec<&str> = src_texts.iter().map(String::as_str).collect();
    let tgt_refs: Vec<&str> = tgt_texts.iter().map(String::as_str).collect();
    let src_side = align::side(
        &src_refs,
        &src_doc.concepts_per_sentence(),
        &align::latin_vocabulary(&tgt_refs),
    );
    let tgt_side = align::side(
        &tgt_refs,
        &tgt_doc.concepts_per_sentence(),
        &align::latin_vocabulary(&src_refs),
    );
    let beads = align::align(&src_side, &tgt_side, AlignOptions::default());
    let mut flags = bilingual::check_beads(&src_doc, &tgt_doc, &beads, &termbase, &tgt.flags);
    let (src_lines, tgt_lines) = (LineIndex::new(&src.doc.text), LineIndex::new(&tgt.doc.text));
    for (bead_flags, bead) in flags.iter_mut().zip(&beads) {
        for f in bead_flags.iter_mut() {
            // Omissions point into the source (the sentence that is missing); the rest into
            // the target.
            if bead.target.is_empty() || f.rule == transmend::check::Rule::Omission {
                f.locate(&src.doc.text, &src_lines);
            } else {
                f.locate(&tgt.doc.text, &tgt_lines);
            }
        }
    }
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
            for (bead, f) in beads.iter().zip(&flags) {
                let line = serde_json::json!({"source": bead.source, "target": bead.target, "score": bead.score, "flags": f});
                writeln!(out, "{}", json::line(&line))?;
            }
        }
        Format::Tsv => {
            let clean = |s: String| s.replace(['\t', '\n', '\r'], " ");
            for bead in &beads {
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
            for (bead, f) in beads.iter().zip(&flags) {
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
