//! `transmend run PATH... --out DIR`: the whole pipeline over a corpus. Check and repair every
//! document, align documents paired by name (`NAME.en.txt` + `NAME.zh.txt`), translate when an
//! engine is configured, and leave in DIR: report.jsonl, report.html, fixed/, diff/ and
//! bilingual/. Prints a summary table; exit codes as `check`.

use std::collections::BTreeMap;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};

use transmend::error::Error;
use transmend::flag::{Rule, Severity};
use transmend::output::human;
use transmend::pipeline::{self, FixOptions, Fixed, Job, Plan, RunReport, Sink, Written};
use transmend::translate::Progress;

use super::translate::{EngineArgs, Notes, init_logging, report, translate_plan};
use super::{GlobalArgs, InputArgs, exit, parse_target, project};

#[derive(Args, Debug)]
pub(crate) struct RunArgs {
    /// Files or folders (read recursively).
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Folder for everything the run writes (created if missing).
    #[arg(long, short = 'o', visible_alias = "output", value_name = "DIR")]
    out: PathBuf,
    /// Translate into this language (default: en for non-English documents, zh for English ones).
    #[arg(long, visible_alias = "target", value_name = "LANG", value_parser = parse_target)]
    to: Option<String>,
    #[command(flatten)]
    engine: EngineArgs,
    /// Also apply the CJK typography pass when repairing.
    #[arg(long)]
    typography: bool,
    #[command(flatten)]
    input: InputArgs,
    /// Process only shard K of N (K from 0); reports are then named report.K-of-N.jsonl/.html.
    /// An original and its translation (NAME.en/NAME.zh) always share a shard.
    #[arg(long, value_name = "K/N")]
    shard: Option<pipeline::Shard>,
    /// Show the decisions of an earlier review (decisions.json exported from report.html)
    /// in the new report.html.
    #[arg(long, value_name = "FILE")]
    decisions: Option<PathBuf>,
    /// When report.html becomes an index with one page per document, each loaded when you
    /// open it (in the folder report/ beside it): when the report would pass 8 MiB (auto),
    /// always, or never (one page, however large).
    #[arg(long, value_name = "WHEN", value_enum, default_value_t = PagesWhen::Auto)]
    report_pages: PagesWhen,
}

/// `--report-pages`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum PagesWhen {
    Auto,
    Always,
    Never,
}

impl From<PagesWhen> for pipeline::ReportPages {
    fn from(when: PagesWhen) -> pipeline::ReportPages {
        match when {
            PagesWhen::Auto => pipeline::ReportPages::Auto,
            PagesWhen::Always => pipeline::ReportPages::Always,
            PagesWhen::Never => pipeline::ReportPages::Never,
        }
    }
}

pub(crate) fn run(global: &GlobalArgs, args: RunArgs) -> Result<ExitCode> {
    init_logging();
    let project = project(global, &args.paths)?;
    let to = match args.to.clone() {
        Some(to) => Some(to),
        None => project
            .translate()
            .to
            .map(|to| parse_target(&to).map_err(anyhow::Error::msg))
            .transpose()?,
    };
    let translate = translate_plan(&args.engine, &project, to, project.lang.clone())?;
    let decisions = args
        .decisions
        .as_deref()
        .map(super::apply::read_decisions)
        .transpose()?
        .map(std::sync::Arc::new);
    let plan = Plan {
        inputs: args.paths,
        options: pipeline::Options {
            ignore: project.ignore.clone(),
            ..args.input.options(project.lang(), args.shard)
        },
        job: Job::Run {
            repair: FixOptions {
                typography: project.typography(args.typography),
            },
            out: args.out,
            decisions,
            translate,
        },
    };
    let mut progress = RunProgress::new(global.quiet);
    let result = pipeline::run_corpus_with(
        &plan,
        project.termbase,
        &mut progress,
        args.report_pages.into(),
    );
    progress.finish();
    if let Ok(done) = &result {
        if let Some(translation) = &done.translation {
            report(translation, true);
        }
        let mut out = io::stdout().lock();
        summary(&mut out, done)
            .and_then(|()| out.flush())
            .map_err(Error::Output)?;
        if !global.quiet && done.translation.is_none() {
            eprintln!("{}", pipeline::NO_ENGINE);
        }
    }
    exit(result)
}

/// A spinner of checked documents on a terminal; errors and notes on stderr.
struct RunProgress {
    bar: Option<ProgressBar>,
    notes: Notes,
}

impl RunProgress {
    fn new(quiet: bool) -> RunProgress {
        let bar = (!quiet && io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("{spinner} checked {pos} document(s) {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar
        });
        RunProgress {
            bar,
            notes: Notes::new(quiet),
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
        self.notes.progress.finish();
    }

    fn suspend(&self, f: impl FnOnce()) {
        match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }
}

impl Sink for RunProgress {
    fn fixed(&mut self, _fixed: &Fixed, _written: &Written) -> io::Result<()> {
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
        Ok(())
    }

    fn failed(&mut self, path: &Path, error: &Error) -> io::Result<()> {
        let notes = &mut self.notes;
        match &self.bar {
            Some(bar) => bar.suspend(|| notes.failed(path, error)),
            None => notes.failed(path, error),
        }
    }

    fn skipped(&mut self, path: &Path, reason: &str) {
        let notes = &mut self.notes;
        match &self.bar {
            Some(bar) => bar.suspend(|| notes.skipped(path, reason)),
            None => notes.skipped(path, reason),
        }
    }

    fn note(&mut self, message: &str) {
        self.suspend(|| eprintln!("{message}"));
    }

    fn progress(&self) -> &dyn Progress {
        self.notes.progress()
    }
}

/// The summary table: documents by language, flags by rule and severity, repairs,
/// translation, and what was written where.
fn summary(out: &mut dyn Write, done: &RunReport) -> io::Result<()> {
    let t = &done.tally;
    let langs: Vec<String> = t
        .languages
        .iter()
        .map(|(l, n)| format!("{l} {n}"))
        .collect();
    writeln!(
        out,
        "{} document(s) checked ({}), {} could not be read, {} skipped",
        t.documents,
        langs.join(", "),
        t.failed,
        t.skipped
    )?;
    let mut table: BTreeMap<Rule, [usize; 3]> = BTreeMap::new();
    for ((rule, severity), n) in &t.flags {
        table.entry(*rule).or_default()[match severity {
            Severity::Error => 0,
            Severity::Warning => 1,
            Severity::Info => 2,
        }] += n;
    }
    writeln!(
        out,
        "{:<24}{:>7}{:>9}{:>6}",
        "flags", "error", "warning", "info"
    )?;
    for (rule, [e, w, i]) in &table {
        writeln!(out, "{:<24}{e:>7}{w:>9}{i:>6}", rule.id())?;
    }
    if t.ignored > 0 {
        writeln!(
            out,
            "ignored by .transmend-ignore: {} flag(s) (--show-ignored to list them)",
            t.ignored
        )?;
    }
    human::write_drift(out, &t.drift())?;
    writeln!(
        out,
        "repairs applied: {} in {} document(s)",
        done.repairs.applied, done.repairs.changed
    )?;
    match &done.translation {
        Some(translation) => writeln!(out, "{}", pipeline::translation_note(Some(translation)))?,
        None => writeln!(out, "translation: skipped (no engine configured)")?,
    }
    if let Some(files) = &done.outputs {
        write!(out, "wrote {} (and .jsonl), ", files.report_html.display())?;
        if let Some(pages) = &files.report_pages {
            write!(out, "its pages in {}/, ", pages.display())?;
        }
        write!(out, "{}/, {}/", files.fixed.display(), files.diff.display())?;
        if let Some(bilingual) = &files.bilingual {
            write!(out, ", {}/", bilingual.display())?;
        }
        writeln!(out)?;
    }
    Ok(())
}
