//! `report merge`: the outputs of sharded `run`s combined into one `report.jsonl` (sorted by
//! path) and one `report.html` (in pages when large, as `run`'s), re-reading each original
//! from its recorded path and its repaired copy from its folder's `fixed/`. The corpus line is
//! recomputed over the whole corpus: each shard's only saw its own part. Only an index of the
//! lines stays in memory; documents are written one at a time.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::pages::{LineFile, ReportPages, ReportWriter};
use super::report::{Exit, glossary_note};
use super::stages::check_document;
use crate::check::corpus::Tally;
use crate::document::{Document, ReadOptions, read_document};
use crate::error::Error;
use crate::flag::Severity;
use crate::glossary::Termbase;
use crate::output::html;
use crate::output::report::{self, CorpusReport, HeaderReport, Line};

/// What a merge did.
#[derive(Debug)]
pub struct Merged {
    /// Documents (and failed inputs) in the merged report.
    pub documents: usize,
    /// Paths reported by two folders with different lines (the first is kept).
    pub conflicts: Vec<String>,
    pub report_jsonl: PathBuf,
    pub report_html: PathBuf,
    /// The folder of the report's pages, when it is in pages.
    pub report_pages: Option<PathBuf>,
    pub exit: Exit,
}

/// Where one document line of a shard's report is: its file, its bytes there, and a hash of
/// them (to tell two folders' lines of one path apart without keeping either). Only these
/// stay in memory; each line is read again when the merged report is written.
struct Entry {
    file: usize,
    at: u64,
    len: usize,
    hash: [u8; 32],
    dir: usize,
}

/// Merges the reports of `dirs` (each a `run --out` folder) into `out`, the page in pages
/// as `pages` says.
pub fn merge_reports(
    dirs: &[PathBuf],
    out: &Path,
    termbase: &Termbase,
    pages: ReportPages,
) -> Result<Merged, Error> {
    let mut files: Vec<PathBuf> = Vec::new();
    let mut merged: BTreeMap<String, Entry> = BTreeMap::new();
    let mut conflicts = Vec::new();
    for (d, dir) in dirs.iter().enumerate() {
        for file in report_files(dir)? {
            let read_err = |source| Error::Read {
                path: file.clone(),
                source,
            };
            let reader = BufReader::new(File::open(&file).map_err(read_err)?);
            let mut at = 0u64;
            for (n, raw) in reader.split(b'\n').enumerate() {
                let raw = raw.map_err(read_err)?;
                let start = at;
                at += raw.len() as u64 + 1;
                let text = String::from_utf8_lossy(&raw);
                let text = text.trim_end_matches('\r');
                if text.trim().is_empty() {
                    continue;
                }
                let line: Line = serde_json::from_str(text).map_err(|e| {
                    Error::refused(
                        &file,
                        format!("line {}: not a transmend report line: {e}", n + 1),
                    )
                })?;
                let Some(path) = line.path().map(str::to_string) else {
                    continue;
                };
                let hash: [u8; 32] = Sha256::digest(text.as_bytes()).into();
                match merged.get(&path) {
                    Some(earlier) if earlier.hash != hash => conflicts.push(path),
                    Some(_) => {}
                    None => {
                        merged.insert(
                            path,
                            Entry {
                                file: files.len(),
                                at: start,
                                len: raw.len(),
                                hash,
                                dir: d,
                            },
                        );
                    }
                }
            }
            files.push(file);
        }
    }
    std::fs::create_dir_all(out).map_err(|source| Error::OutputFolder {
        path: out.to_path_buf(),
        source,
    })?;

    let report_jsonl = out.join("report.jsonl");
    let report_html = out.join("report.html");
    let mut jsonl = LineFile::create(&report_jsonl)?;
    jsonl.line(&report::line(&HeaderReport::new(&termbase.used)))?;
    let mut writer = ReportWriter::new(out, report_html.clone(), pages, false);
    let mut tally = Tally::default();
    let (mut failed, mut errors) = (false, false);
    let mut open: Vec<Option<File>> = files.iter().map(|_| None).collect();
    for e in merged.values() {
        let raw = read_line(&files[e.file], &mut open[e.file], e.at, e.len)?;
        jsonl.line(&raw)?;
        let line: Option<Line> = serde_json::from_str(&raw).ok();
        // The HTML needs the texts: the original from its path, the repaired copy from
        // fixed/. A report's flags are in offsets of the source (the markup itself for HTML,
        // Markdown and subtitles), so the page shows that source.
        match line {
            Some(Line::Document(report)) => {
                errors |= report.flags.iter().any(|f| f.severity == Severity::Error);
                let path = Path::new(report.path.as_ref());
                let original = read(path);
                let repaired = repaired_copy(&dirs[e.dir], path)
                    .and_then(|p| read(&p))
                    .map(|d| shown(&d).to_string());
                match &original {
                    Some(original) => {
                        let view = html::DocView::from_report(
                            &report,
                            shown(original),
                            &report.flags,
                            repaired.as_deref(),
                            None,
                        );
                        writer.add(&view, None)?;
                        // The drift check over the whole corpus: each original is checked
                        // again (the report lines keep flags, not the forms a document uses).
                        tally.add_document(&check_document(original.clone(), None, termbase));
                    }
                    None => {
                        let view = html::DocView::failed(
                            report.path.to_string(),
                            format!(
                                "the original is no longer at {}; its flags are in report.jsonl",
                                report.path
                            ),
                        );
                        writer.add(&view, None)?;
                        tally.documents += 1;
                    }
                }
            }
            Some(Line::Failed(failure)) => {
                failed = true;
                tally.failed += 1;
                writer.add(
                    &html::DocView::failed(failure.path.clone(), failure.error.clone()),
                    None,
                )?;
            }
            _ => {
                tally.failed += 1;
                writer.add(&html::DocView::failed("", "not a document"), None)?;
            }
        }
    }
    if let Some(corpus) = CorpusReport::of(&tally) {
        jsonl.line(&report::line(&corpus))?;
    }
    jsonl.commit()?;
    let notes = [
        format!("merged from {} folder(s)", dirs.len()),
        glossary_note(termbase),
    ];
    // The merged page is for reading: decisions are made in each shard's own report.
    let report_pages = writer.finish("transmend review report", &notes, &tally.drift())?;
    Ok(Merged {
        documents: merged.len(),
        conflicts,
        report_jsonl,
        report_html,
        report_pages,
        exit: Exit::of(failed, errors),
    })
}

/// A document read for the merged page, or `None` when it cannot be read any more.
fn read(path: &Path) -> Option<Document> {
    read_document(path, ReadOptions::default()).ok()
}

/// What the page shows of a document: its source (markup included), else its text.
fn shown(d: &Document) -> &str {
    d.source_text().unwrap_or(&d.text)
}

/// The line of `len` bytes at `at` in `path` (opened once, into `open`).
fn read_line(path: &Path, open: &mut Option<File>, at: u64, len: usize) -> Result<String, Error> {
    let read_err = |source| Error::Read {
        path: path.to_path_buf(),
        source,
    };
    if open.is_none() {
        *open = Some(File::open(path).map_err(read_err)?);
    }
    let Some(file) = open.as_mut() else {
        return Ok(String::new());
    };
    let mut raw = vec![0; len];
    file.seek(SeekFrom::Start(at)).map_err(read_err)?;
    file.read_exact(&mut raw).map_err(read_err)?;
    let text = String::from_utf8_lossy(&raw);
    Ok(text.trim_end_matches('\r').to_string())
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
