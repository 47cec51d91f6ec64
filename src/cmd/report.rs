//! `transmend report merge DIR... --out DIR`: combines the outputs of sharded `run`s (each
//! `report*.jsonl` of each folder) into one `report.jsonl`, sorted by path, and one
//! `report.html`, re-reading each original from its recorded path and its repaired copy from
//! the folder's `fixed/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Subcommand;
use serde::Deserialize;

use transmend::check::{Flag, Severity};
use transmend::document::{ReadOptions, read_document};
use transmend::output::{html, rewrite, write_atomic};

use super::GlobalArgs;

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

/// The parts of a report line the HTML needs.
#[derive(Debug, Deserialize)]
struct Line {
    path: String,
    #[serde(default)]
    encoding: String,
    #[serde(default)]
    language: Option<String>,
    #[serde(default)]
    languages: Vec<Share>,
    #[serde(default)]
    flags: Vec<Flag>,
    #[serde(default)]
    error: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Share {
    lang: String,
    share: f64,
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
    // path -> (raw line, parsed, folder it came from)
    let mut merged: BTreeMap<String, (String, Line, PathBuf)> = BTreeMap::new();
    for dir in &dirs {
        for file in report_files(dir)? {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            for (n, raw) in text
                .lines()
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty())
            {
                let line: Line = serde_json::from_str(raw).with_context(|| {
                    format!("{}:{}: not a transmend report line", file.display(), n + 1)
                })?;
                match merged.get(&line.path) {
                    Some((earlier, _, _)) if earlier != raw && !global.quiet => {
                        eprintln!(
                            "warning: {} is reported twice, differently; keeping the first",
                            line.path
                        );
                    }
                    Some(_) => {}
                    None => {
                        merged.insert(line.path.clone(), (raw.to_string(), line, dir.clone()));
                    }
                }
            }
        }
    }
    std::fs::create_dir_all(&out).with_context(|| format!("cannot create {}", out.display()))?;
    let mut jsonl = String::new();
    for (raw, _, _) in merged.values() {
        jsonl.push_str(raw);
        jsonl.push('\n');
    }
    write_atomic(&out.join("report.jsonl"), jsonl.as_bytes())?;

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
            let original = read(Path::new(&line.path));
            let repaired = rewrite::out_path(&dir.join("fixed"), Path::new(&line.path))
                .ok()
                .and_then(|p| read(&p));
            Texts { original, repaired }
        })
        .collect();
    let diffs: Vec<Option<String>> = texts
        .iter()
        .map(|t| match (&t.original, &t.repaired) {
            (Some(o), Some(r)) => html::diff_fragment(o, r),
            _ => None,
        })
        .collect();
    let views: Vec<html::DocView<'_>> = merged
        .values()
        .zip(&texts)
        .zip(diffs)
        .map(|(((_, line, _), t), diff_html)| {
            let error = line.error.clone().or_else(|| {
                t.original.is_none().then(|| {
                    format!(
                        "the original is no longer at {}; its flags are in report.jsonl",
                        line.path
                    )
                })
            });
            html::DocView {
                path: line.path.clone(),
                encoding: &line.encoding,
                language: line.language.as_deref(),
                languages: line
                    .languages
                    .iter()
                    .map(|s| format!("{} {:.0}%", s.lang, s.share * 100.0))
                    .collect(),
                text: t.original.as_deref().unwrap_or_default(),
                flags: &line.flags,
                repaired: match (&t.original, &t.repaired) {
                    (Some(o), Some(r)) if o != r => Some(r.as_str()),
                    _ => None,
                },
                translation: None,
                diff_html,
                error,
            }
        })
        .collect();
    let note = format!("merged from {} folder(s)", dirs.len());
    write_atomic(
        &out.join("report.html"),
        html::report("transmend review report", &views, &[note]).as_bytes(),
    )?;
    if !global.quiet {
        eprintln!(
            "merged {} document(s) into {}/report.jsonl and report.html",
            merged.len(),
            out.display()
        );
    }
    let failed = merged.values().any(|(_, l, _)| l.error.is_some());
    let errors = merged
        .values()
        .any(|(_, l, _)| l.flags.iter().any(|f| f.severity == Severity::Error));
    Ok(if failed {
        ExitCode::from(2)
    } else if errors {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
