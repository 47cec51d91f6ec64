//! `transmend report merge DIR... --out DIR`: combines the outputs of sharded `run`s (each
//! `report*.jsonl` of each folder) into one `report.jsonl`, sorted by path, and one
//! `report.html`, re-reading each original from its recorded path and its repaired copy from
//! the folder's `fixed/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Subcommand;
use transmend::check::corpus::Tally;
use transmend::document::{Document, ReadOptions, read_document};
use transmend::flag::Severity;
use transmend::output::report::{self, CorpusReport, Line};
use transmend::output::{html, rewrite, write_atomic};
use transmend::pipeline::{self, Exit};

use super::{GlobalArgs, load_termbase};

#[derive(Subcommand, Debug)]
pub(crate) enum ReportCommand {
    /// Combine the reports of several `run --out` folders (shards) into one.
    Merge {
        /// Output folders of `transmend run`.
        #[arg(required = true, value_name = "DIR")]
        dirs: Vec<PathBuf>,
        /// Where to write the merged report.jsonl and report.html.
        #[arg(long, short = 'o', value_name = "DIR")]
        out: PathBuf,
    },
}

/// Report files of a run folder: `report.jsonl` and shard reports `report.K-of-N.jsonl`.
fn report_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let path = entry?.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if name.starts_with("report") && name.ends_with(".jsonl") && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    if files.is_empty() {
        anyhow::bail!(
            "{}: no report*.jsonl in this folder (is it a `transmend run --out` folder?)",
            dir.display()
        );
    }
    Ok(files)
}

pub(crate) fn run(global: &GlobalArgs, cmd: ReportCommand) -> Result<ExitCode> {
    let ReportCommand::Merge { dirs, out } = cmd;
    let termbase = load_termbase(&global.glossary)?;
    // path -> (raw line, parsed, folder it came from); corpus lines are recomputed, not kept.
    let mut merged: BTreeMap<String, (String, Line, PathBuf)> = BTreeMap::new();
    for dir in &dirs {
        for file in report_files(dir)? {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let lines =
                report::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            let raws = text.lines().filter(|l| !l.trim().is_empty());
            for (raw, line) in raws.zip(lines) {
                let Some(path) = line.path().map(str::to_string) else {
                    continue;
                };
                match merged.get(&path) {
                    Some((earlier, _, _)) if earlier != raw && !global.quiet => {
                        eprintln!(
                            "warning: {path} is reported twice, differently; keeping the first"
                        );
                    }
                    Some(_) => {}
                    None => {
                        merged.insert(path, (raw.to_string(), line, dir.clone()));
                    }
                }
            }
        }
    }
    std::fs::create_dir_all(&out).with_context(|| format!("cannot create {}", out.display()))?;

    // The HTML needs the texts: the original from its path, the repaired copy from fixed/.
    struct Texts {
        original: Option<String>,
        repaired: Option<String>,
    }
    let texts: Vec<Texts> = merged
        .values()
        .map(|(_, line, dir)| {
            let read = |p: &Path| {
                read_document(p, ReadOptions::default())
                    .ok()
                    .map(|d| d.text)
            };
            let path = Path::new(line.path().unwrap_or_default());
            let original = read(path);
            let repaired = rewrite::out_path(&dir.join("fixed"), path)
                .ok()
                .and_then(|p| read(&p));
            Texts { original, repaired }
        })
        .collect();
    // The corpus drift is recomputed from the merged documents' renderings where the texts
    // can be re-read; the shards' own corpus lines only saw their part.
    let views: Vec<html::DocView<'_>> = merged
        .values()
        .zip(&texts)
        .map(|((_, line, _), t)| match (line, &t.original) {
            (Line::Document(report), Some(original)) => {
                html::DocView::from_report(report, original, t.repaired.as_deref(), None)
            }
            (Line::Document(report), None) => html::DocView::failed(
                report.path.to_string(),
                format!(
                    "the original is no longer at {}; its flags are in report.jsonl",
                    report.path
                ),
            ),
            (Line::Failed(e), _) => html::DocView::failed(e.path.clone(), e.error.clone()),
            (Line::Corpus(_), _) => html::DocView::failed("", "not a document"),
        })
        .collect();
    let mut tally = Tally::default();
    for ((_, line, _), t) in merged.values().zip(&texts) {
        match (line, &t.original) {
            (Line::Document(_), Some(original)) => {
                let analysis = pipeline::check_document(
                    Document::from_text(line.path().unwrap_or_default(), original.as_str()),
                    None,
                    termbase,
                );
                tally.add_document(&analysis);
            }
            (Line::Document(_), None) => tally.documents += 1,
            _ => tally.failed += 1,
        }
    }
    let mut jsonl = String::new();
    for (raw, _, _) in merged.values() {
        jsonl.push_str(raw);
        jsonl.push('\n');
    }
    if let Some(corpus) = CorpusReport::of(&tally) {
        jsonl.push_str(&report::line(&corpus));
        jsonl.push('\n');
    }
    write_atomic(&out.join("report.jsonl"), jsonl.as_bytes())?;
    let note = format!("merged from {} folder(s)", dirs.len());
    write_atomic(
        &out.join("report.html"),
        html::report("transmend review report", &views, &[note], &tally.drift()).as_bytes(),
    )?;
    if !global.quiet {
        eprintln!(
            "merged {} document(s) into {}/report.jsonl and report.html",
            merged.len(),
            out.display()
        );
    }
    let failed = merged
        .values()
        .any(|(_, l, _)| matches!(l, Line::Failed(_)));
    let errors = merged.values().any(|(_, l, _)| match l {
        Line::Document(r) => r.flags.iter().any(|f| f.severity == Severity::Error),
        _ => false,
    });
    Ok(ExitCode::from(Exit::of(failed, errors).code()))
}
