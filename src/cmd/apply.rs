//! `transmend apply DECISIONS.json`: a reviewer's decisions from report.html made in the
//! original files — printed as a diff (default), written as copies under `--out DIR`, or into
//! the files (`--write`, keeping `NAME.orig`) — and rejections scoped to a document or
//! everywhere added to the project's ignore file.

use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};

use transmend::config;
use transmend::document::{DEFAULT_MAX_FILE_SIZE, ReadOptions};
use transmend::format::Format;
use transmend::output::{diff, rewrite};
use transmend::pipeline::{self, AppliedDocument};
use transmend::review::Ignore;
use transmend::review::decisions::{self, Decisions};

use super::GlobalArgs;

#[derive(Args, Debug)]
pub(crate) struct ApplyArgs {
    /// The decisions exported from report.html (Export decisions).
    #[arg(value_name = "DECISIONS.json")]
    decisions: PathBuf,
    /// Print the changes as a unified diff and write nothing (default).
    #[arg(long, conflicts_with_all = ["out", "write"])]
    diff: bool,
    /// Write the corrected files under DIR, at the report's relative paths.
    #[arg(long, short = 'o', value_name = "DIR", conflicts_with = "write")]
    out: Option<PathBuf>,
    /// Rewrite the files in place (atomically), keeping the original as NAME.orig.
    #[arg(long)]
    write: bool,
    /// With --write: keep no NAME.orig backup.
    #[arg(long, requires = "write")]
    no_backup: bool,
    /// What to do with flags nobody decided about: leave them (none, default) or also make
    /// their safe repairs (safe).
    #[arg(long, value_enum, default_value_t = Undecided::None)]
    undecided: Undecided,
    /// The folder the report's paths are relative to (default: the current folder).
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    /// Refuse files larger than this many bytes.
    #[arg(long, default_value_t = DEFAULT_MAX_FILE_SIZE, value_name = "BYTES")]
    max_file_size: u64,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum Undecided {
    /// Leave them as they are.
    None,
    /// Also make the safe repairs `fix` would make.
    Safe,
}

/// Reads and parses a decisions file; the error names the file.
pub(crate) fn read_decisions(path: &Path) -> Result<Decisions> {
    let json = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read the decisions file", path.display()))?;
    Decisions::parse(&json).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

pub(crate) fn run(global: &GlobalArgs, args: ApplyArgs) -> Result<ExitCode> {
    let decisions = read_decisions(&args.decisions)?;
    let read = ReadOptions {
        max_file_size: args.max_file_size,
    };
    let applied = pipeline::apply_decisions(
        &decisions,
        &args.root,
        read,
        args.undecided == Undecided::Safe,
    )
    .map_err(|refused| {
        anyhow::anyhow!(
            "{}: not applied, nothing was written:\n{refused}",
            args.decisions.display()
        )
    })?;

    // Everything placed: now write, as asked.
    let mut stdout = io::stdout().lock();
    for doc in &applied {
        if let Some(dir) = &args.out {
            let target = dir.join(relative(&doc.reported));
            rewrite::write_copy(dir, &doc.path, &target, &doc.bytes)?;
        } else if args.write {
            if doc.changed() {
                rewrite::write_in_place(
                    &doc.path,
                    &doc.original_bytes,
                    &doc.bytes,
                    !args.no_backup,
                )?;
            }
        } else if doc.changed() {
            stdout.write_all(&patch(doc))?;
        }
    }
    stdout.flush()?;

    // Rejections for a document or everywhere go into the ignore file.
    let mut ignore = project_ignore(&args.root, &applied)?;
    let mut entries = Vec::new();
    for d in &decisions.documents {
        let relative = ignore.relative(&args.root.join(&d.path));
        entries.extend(decisions::ignore_entries(d, &relative));
    }
    let scoped = entries.len();
    let writes = args.out.is_some() || args.write;
    let added = if writes { ignore.add(entries) } else { 0 };
    if added > 0 {
        ignore.save()?;
    }

    if !global.quiet {
        summary(&applied, &decisions, &ignore, added, scoped, writes, &args)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The unified diff of one document: of its bytes, or of its text when the file is not
/// text in an ASCII-compatible encoding (a DOCX, UTF-16).
fn patch(doc: &AppliedDocument) -> Vec<u8> {
    if doc.format != Format::Docx && doc.ascii_compatible {
        diff::unified(&doc.original_bytes, &doc.bytes, &doc.reported)
    } else {
        diff::unified(
            doc.original_text.as_bytes(),
            doc.text.as_bytes(),
            &doc.reported,
        )
    }
}

/// A report path as a path under an output folder: no root, no `..`.
fn relative(reported: &str) -> PathBuf {
    Path::new(reported)
        .components()
        .filter(|c| matches!(c, Component::Normal(_)))
        .collect()
}

/// The project's ignore file: beside `transmend.toml` when the documents have one, else the
/// nearest existing one above them, else in `root`.
fn project_ignore(root: &Path, applied: &[AppliedDocument]) -> Result<Ignore> {
    let paths: Vec<PathBuf> = applied.iter().map(|d| d.path.clone()).collect();
    let found = config::discover(&paths)?;
    let folder = found
        .as_ref()
        .and_then(|f| f.path.parent().map(Path::to_path_buf));
    Ok(match Ignore::discover(folder.as_deref(), &paths)? {
        Some(ignore) => ignore,
        None => Ignore::in_folder(root)?,
    })
}

/// What was done, on stderr: per document, the ignore file, guard entries to consider.
fn summary(
    applied: &[AppliedDocument],
    decisions: &Decisions,
    ignore: &Ignore,
    added: usize,
    scoped: usize,
    writes: bool,
    args: &ApplyArgs,
) -> Result<()> {
    let mut err = io::stderr().lock();
    for doc in applied {
        let p = &doc.placed;
        let mut line = format!(
            "{}: {} accepted, {} edited, {} rejected",
            doc.reported, p.accepted, p.edited, p.rejected
        );
        if p.accepted_unchanged > 0 {
            line += &format!(
                " ({} accepted without a suggestion: nothing to change)",
                p.accepted_unchanged
            );
        }
        if p.undecided_applied > 0 {
            line += &format!(", {} undecided safe repair(s) made", p.undecided_applied);
        }
        if p.undecided_left > 0 {
            line += &format!(", {} undecided left as they are", p.undecided_left);
        }
        if doc.moved {
            line +=
                "; the file changed since the report, every decision was found by its fingerprint";
        }
        let done = match (&args.out, args.write, doc.changed()) {
            (_, _, false) => "no change".to_string(),
            (Some(dir), _, true) => format!("written under {}", dir.display()),
            (None, true, true) => "rewritten in place".to_string(),
            (None, false, true) => "diff printed".to_string(),
        };
        writeln!(err, "{line}; {done}")?;
    }
    if scoped > 0 {
        if writes {
            writeln!(
                err,
                "{}: {} new of {} rejection(s) for a document or everywhere (transmend ignore list shows them)",
                ignore.file.display(),
                added,
                scoped
            )?;
        } else {
            writeln!(
                err,
                "{} rejection(s) for a document or everywhere would go into {} (with --out or --write)",
                scoped,
                ignore.file.display()
            )?;
        }
    }
    for d in &decisions.documents {
        let lang = d
            .path
            .rsplit('.')
            .nth(1)
            .filter(|l| transmend::lang::parse(l).is_ok())
            .unwrap_or("zh");
        for (form, flagged) in decisions::guards(d) {
            let print = d
                .decisions
                .iter()
                .find(|x| x.guard.as_deref() == Some(form.as_str()))
                .map_or("", |x| x.fingerprint.as_str());
            writeln!(
                err,
                "{}: '{flagged}' was rejected as right inside '{form}'; to stop flagging it there, add a guard entry to a glossary CSV:\n{}",
                d.path,
                decisions::guard_csv(lang, &form, &flagged, print)
                    .lines()
                    .map(|l| format!("    {l}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            )?;
        }
    }
    Ok(())
}
