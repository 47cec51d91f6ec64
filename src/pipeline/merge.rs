//! `report merge`: the outputs of sharded `run`s combined into one `report.jsonl` (sorted by
//! path) and one `report.html`, re-reading each original from its recorded path and its
//! repaired copy from its folder's `fixed/`. The corpus line is recomputed over the whole
//! corpus: each shard's only saw its own part.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::report::{Exit, glossary_note};
use super::stages::check_document;
use crate::check::corpus::Tally;
use crate::document::{Document, ReadOptions, read_document};
use crate::error::Error;
use crate::flag::Severity;
use crate::glossary::Termbase;
use crate::output::report::{self, CorpusReport, HeaderReport, Line};
use crate::output::{html, write_atomic};

/// What a merge did.
#[derive(Debug)]
pub struct Merged {
    /// Documents (and failed inputs) in the merged report.
    pub documents: usize,
    /// Paths reported by two folders with different lines (the first is kept).
    pub conflicts: Vec<String>,
    pub report_jsonl: PathBuf,
    pub report_html: PathBuf,
    pub exit: Exit,
}

/// One line of a shard's report, and the folder it came from.
struct Entry {
    raw: String,
    line: Line,
    dir: PathBuf,
}

/// Merges the reports of `dirs` (each a `run --out` folder) into `out`.
pub fn merge_reports(dirs: &[PathBuf], out: &Path, termbase: &Termbase) -> Result<Merged, Error> {
    let mut merged: BTreeMap<String, Entry> = BTreeMap::new();
    let mut conflicts = Vec::new();
    for dir in dirs {
        for file in report_files(dir)? {
            let text = std::fs::read_to_string(&file).map_err(|source| Error::Read {
                path: file.clone(),
                source,
            })?;
            let lines = report::parse(&text).map_err(|reason| Error::refused(&file, reason))?;
            let raws = text.lines().filter(|l| !l.trim().is_empty());
            for (raw, line) in raws.zip(lines) {
                let Some(path) = line.path().map(str::to_string) else {
                    continue;
                };
                match merged.get(&path) {
                    Some(earlier) if earlier.raw != raw => conflicts.push(path),
                    Some(_) => {}
                    None => {
                        merged.insert(
                            path,
                            Entry {
                                raw: raw.to_string(),
                                line,
                                dir: dir.clone(),
                            },
                        );
                    }
                }
            }
        }
    }
    std::fs::create_dir_all(out).map_err(|source| Error::OutputFolder {
        path: out.to_path_buf(),
        source,
    })?;

    // The HTML needs the texts: the original from its path, the repaired copy from fixed/.
    // A report's flags are in offsets of the source (the markup itself for HTML, Markdown and
    // subtitles), so the page shows that source.
    let read = |p: &Path| read_document(p, ReadOptions::default()).ok();
    let shown = |d: &Document| d.source_text().unwrap_or(&d.text).to_string();
    let texts: Vec<(Option<Document>, Option<String>)> = merged
        .values()
        .map(|e| {
            let path = Path::new(e.line.path().unwrap_or_default());
            let original = read(path);
            let repaired = repaired_copy(&e.dir, path)
                .and_then(|p| read(&p))
                .map(|d| shown(&d));
            (original, repaired)
        })
        .collect();
    let shown_texts: Vec<Option<String>> =
        texts.iter().map(|(d, _)| d.as_ref().map(shown)).collect();
    let views: Vec<html::DocView<'_>> = merged
        .values()
        .zip(texts.iter().zip(&shown_texts))
        .map(|(e, ((_, repaired), original))| match (&e.line, original) {
            (Line::Document(report), Some(original)) => html::DocView::from_report(
                report,
                original,
                &report.flags,
                repaired.as_deref(),
                None,
            ),
            (Line::Document(report), None) => html::DocView::failed(
                report.path.to_string(),
                format!(
                    "the original is no longer at {}; its flags are in report.jsonl",
                    report.path
                ),
            ),
            (Line::Failed(failed), _) => {
                html::DocView::failed(failed.path.clone(), failed.error.clone())
            }
            (Line::Header(_) | Line::Corpus(_), _) => html::DocView::failed("", "not a document"),
        })
        .collect();

    // The drift check over the whole corpus: each original is checked again where it can
    // be read (the report lines keep flags, not the forms a document uses).
    let mut tally = Tally::default();
    for (e, (original, _)) in merged.values().zip(&texts) {
        match (&e.line, original) {
            (Line::Document(_), Some(original)) => {
                tally.add_document(&check_document(original.clone(), None, termbase));
            }
            (Line::Document(_), None) => tally.documents += 1,
            _ => tally.failed += 1,
        }
    }

    let mut jsonl = report::line(&HeaderReport::new(&termbase.used));
    jsonl.push('\n');
    for e in merged.values() {
        jsonl.push_str(&e.raw);
        jsonl.push('\n');
    }
    if let Some(corpus) = CorpusReport::of(&tally) {
        jsonl.push_str(&report::line(&corpus));
        jsonl.push('\n');
    }
    let report_jsonl = out.join("report.jsonl");
    let report_html = out.join("report.html");
    write_atomic(&report_jsonl, jsonl.as_bytes())?;
    let notes = [
        format!("merged from {} folder(s)", dirs.len()),
        glossary_note(termbase),
    ];
    // The merged page is for reading: decisions are made in each shard's own report.
    let page = html::report(
        "transmend review report",
        &views,
        &notes,
        &tally.drift(),
        None,
    );
    write_atomic(&report_html, page.as_bytes())?;

    let failed = merged.values().any(|e| matches!(e.line, Line::Failed(_)));
    let errors = merged.values().any(|e| match &e.line {
        Line::Document(r) => r.flags.iter().any(|f| f.severity == Severity::Error),
        _ => false,
    });
    Ok(Merged {
        documents: merged.len(),
        conflicts,
        report_jsonl,
        report_html,
        exit: Exit::of(failed, errors),
    })
}

/// Report files of a run folder: `report.jsonl` and shard reports `report.K-of-N.jsonl`.
fn report_files(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let read_err = |source| Error::Read {
        path: dir.to_path_buf(),
        source,
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(read_err)? {
        let path = entry.map_err(read_err)?.path();
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
        return Err(Error::refused(
            dir,
            "no report*.jsonl in this folder (is it a `transmend run --out` folder?)",
        ));
    }
    Ok(files)
}

/// Where a run folder keeps a document's repaired copy: under `fixed/` at its place in the
/// mirrored input tree, which is a tail of its path (the folder given and the path inside
/// it, or the file's name): the longest tail that is there.
fn repaired_copy(dir: &Path, path: &Path) -> Option<PathBuf> {
    let parts: Vec<_> = path
        .components()
        .filter(|c| matches!(c, std::path::Component::Normal(_)))
        .collect();
    (0..parts.len())
        .map(|skip| {
            dir.join("fixed")
                .join(parts[skip..].iter().collect::<PathBuf>())
        })
        .find(|candidate| candidate.is_file())
}
