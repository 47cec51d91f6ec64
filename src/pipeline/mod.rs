//! The one place that knows the stage order. [`run_corpus`] takes a [`Plan`] (inputs, options,
//! job) and runs every document through read -> analyse -> check -> repair, then pairing ->
//! translation -> reports, as far as the job asks; the binary only fills the plan and renders
//! what comes back. `run` streams: each document is written out (fixed/, diff/, its report
//! line, its part of the review report) once its partner (if any) has come and its
//! translation group is done, and only the run's figures stay in memory. A failing document becomes an error entry, never a
//! crash of the run; a translation engine that cannot work stops the run before any document
//! is read.
//!
//! ```text
//! check      walk -> read -> analyse -> check ------------------------------> sink
//! fix        walk -> read -> analyse -> check -> repair -> diff|copy|in place -> sink
//! translate  engine? -> walk -> ... -> repair --------> translate -> bilingual files
//! run        engine? -> names -> walk -> ... -> repair -> fixed/, diff/ -> pair? -> report.jsonl
//!                          -> translate (in groups) -> bilingual/ -> report page -> report.html
//! ```

mod apply;
mod merge;
mod outputs;
mod pages;
mod pairing;
mod pairs;
mod plan;
mod report;
mod stages;
mod translation;
mod walk;

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

pub use crate::analysis::{Analysis, SegmentInfo, analyze};
use crate::check::corpus::Tally;
use crate::document::Origin;
use crate::error::Error;
use crate::flag::{Flag, Severity};
use crate::glossary::Termbase;
use crate::output::html::{self, DocView};
use crate::output::report::{CorpusReport, ErrorReport, FileReport, HeaderReport};
use crate::output::rewrite;
use crate::review::{Decisions, DocumentDecisions, page};
use crate::translate::{Progress, Source};
pub use apply::{AppliedDocument, Refused, apply_decisions};
pub use merge::{Merged, merge_reports};
pub use pages::{INLINE_LIMIT, ReportPages};
use pages::{LineFile, ReportWriter};
use pairing::PairQueue;
pub use pairs::{align_files, pair_by_name, pair_flags};
pub use plan::{
    CacheChoice, FixOptions, FixWrite, Job, Options, Plan, Shard, TranslatePlan, default_target,
    pair_key, shard_of,
};
pub use report::{
    Exit, NO_ENGINE, PatchForm, RepairTally, RunOutputs, RunReport, Sink, Written, glossary_note,
    translation_note,
};
pub use stages::{
    Fixed, MAX_ROUNDS, Repaired, check_document, check_item, check_path, fix_item, repair_document,
    repair_ignoring, sieve,
};
pub use translation::{TranslatedOutcome, TranslationReport, TranslationRun, Translator};
pub use walk::{Item, WalkOptions, Walked, map_inputs, mirror_of};

/// Runs a plan: every input through the stages its job asks for, events to `sink` as they
/// happen, and what was done in the returned report. `Err` only for what stops the whole run
/// before or outside any one document: an engine that cannot work, an output folder that
/// cannot be made, a sink that cannot be written to.
pub fn run_corpus(
    plan: &Plan,
    termbase: &Termbase,
    sink: &mut dyn Sink,
) -> Result<RunReport, Error> {
    run_corpus_with(plan, termbase, sink, ReportPages::Auto)
}

/// [`run_corpus`], with `run`'s review report in pages when `report_pages` says so.
pub fn run_corpus_with(
    plan: &Plan,
    termbase: &Termbase,
    sink: &mut dyn Sink,
    report_pages: ReportPages,
) -> Result<RunReport, Error> {
    check_inputs(plan)?;
    match &plan.job {
        Job::Check => check_job(plan, termbase, sink),
        Job::Fix { repair, write } => fix_job(plan, *repair, write, termbase, sink),
        Job::Translate { translate, out } => translate_job(plan, translate, out, termbase, sink),
        Job::Run {
            repair,
            out,
            translate,
            decisions,
        } => run_job(
            plan,
            *repair,
            out,
            translate.as_ref(),
            decisions.as_deref(),
            termbase,
            sink,
            report_pages,
        ),
    }
}

/// Keeps the first I/O error of a sink; once there is one, the rest of the run is skipped.
#[derive(Default)]
struct SinkError(Option<std::io::Error>);

impl SinkError {
    fn keep(&mut self, result: std::io::Result<()>) {
        if let Err(e) = result {
            self.0.get_or_insert(e);
        }
    }

    fn stopped(&self) -> bool {
        self.0.is_some()
    }

    fn into_result(self) -> Result<(), Error> {
        self.0.map_or(Ok(()), |e| Err(Error::Output(e)))
    }
}

/// What every job does with what the walk found that is no document: counts it and tells
/// the sink — each failure and skip, and each kind of non-document file once.
#[derive(Default)]
struct Intake {
    kinds_seen: BTreeSet<&'static str>,
}

impl Intake {
    fn pass_over<T>(
        &mut self,
        walked: Walked<T>,
        tally: &mut Tally,
        sink: &mut dyn Sink,
    ) -> std::io::Result<()> {
        match walked {
            Walked::Done(..) => Ok(()),
            Walked::Failed { path, error } => {
                tally.failed += 1;
                sink.failed(&path, &error)
            }
            Walked::Skipped { path, reason } => {
                tally.skipped += 1;
                sink.skipped(&path, &reason);
                Ok(())
            }
            Walked::NotText { path, kind } => {
                tally.skipped += 1;
                if self.kinds_seen.insert(kind) {
                    sink.note(&format!(
                        "note: skipping {kind} ({} and any others): not text documents",
                        path.display()
                    ));
                }
                Ok(())
            }
        }
    }
}

/// The inputs must exist (`-` aside, and only once) before anything is read or written:
/// a mistyped path is an error, not an empty report.
fn check_inputs(plan: &Plan) -> Result<(), Error> {
    let mut stdin = 0;
    for input in &plan.inputs {
        if input.as_os_str() == "-" {
            stdin += 1;
            if stdin > 1 {
                return Err(Error::refused("-", "standard input can be read only once"));
            }
            if matches!(
                plan.job,
                Job::Fix {
                    write: FixWrite::InPlace { .. },
                    ..
                }
            ) {
                return Err(Error::refused(
                    "-",
                    "standard input cannot be rewritten in place: leave out --write (the repaired text goes to standard output) or use --out DIR",
                ));
            }
            continue;
        }
        std::fs::symlink_metadata(input).map_err(|source| Error::Read {
            path: input.clone(),
            source,
        })?;
    }
    Ok(())
}

/// Bytes of files per parallel chunk for the jobs that repair: each result holds the original
/// and the repaired analysis and the original bytes (~10 B per byte), so a chunk of large
/// documents must be smaller than `check`'s.
const REPAIR_CHUNK_BYTES: u64 = 4 * 1024 * 1024;

fn walk_options(options: &Options, chunk_bytes: u64) -> WalkOptions {
    WalkOptions {
        jobs: options.jobs,
        shard: options.shard,
        stdin_name: options.stdin_name.clone(),
        chunk_bytes,
    }
}

/// Walks the plan's inputs through `work` and hands what comes out, in input order, to
/// `each` with the sink. After the sink's first I/O error (a closed pipe) nothing more is
/// handed on, and that error ends the run.
fn walk<T: Send>(
    plan: &Plan,
    chunk_bytes: u64,
    sink: &mut dyn Sink,
    work: impl Fn(&Item) -> Option<Result<T, Error>> + Sync,
    mut each: impl FnMut(Walked<T>, &mut dyn Sink) -> std::io::Result<()>,
) -> Result<(), Error> {
    let mut sink_error = SinkError::default();
    map_inputs(
        &plan.inputs,
        &walk_options(&plan.options, chunk_bytes),
        work,
        |walked| {
            if !sink_error.stopped() {
                sink_error.keep(each(walked, sink));
            }
        },
    );
    sink_error.into_result()
}

fn check_job(plan: &Plan, termbase: &Termbase, sink: &mut dyn Sink) -> Result<RunReport, Error> {
    let options = &plan.options;
    sink.started().map_err(Error::Output)?;
    let mut tally = Tally::default();
    let mut intake = Intake::default();
    walk(
        plan,
        walk::CHUNK_BYTES,
        sink,
        |item| Some(check_item(item, options, termbase)),
        |walked, sink| match walked {
            Walked::Done(_, analysis) => {
                tally.add_document(&analysis);
                sink.checked(&analysis)
            }
            other => intake.pass_over(other, &mut tally, sink),
        },
    )?;
    let exit = Exit::of(tally.failed > 0, tally.errors() > 0);
    Ok(RunReport {
        tally,
        repairs: RepairTally::default(),
        translation: None,
        outputs: None,
        exit,
    })
}

fn fix_job(
    plan: &Plan,
    repair: FixOptions,
    write: &FixWrite,
    termbase: &Termbase,
    sink: &mut dyn Sink,
) -> Result<RunReport, Error> {
    let options = &plan.options;
    if let FixWrite::Out(dir) = write {
        create_dir(dir)?;
    }
    sink.started().map_err(Error::Output)?;
    let mut tally = Tally::default();
    let mut repairs = RepairTally::default();
    let mut intake = Intake::default();
    let mut places = Places::default();
    walk(
        plan,
        REPAIR_CHUNK_BYTES,
        sink,
        |item| {
            // A NAME.orig backup of an earlier --write is not a document to repair.
            let backup = matches!(item.origin, Origin::File(_)) && rewrite::is_backup(&item.path);
            (!backup).then(|| fix_item(item, options, termbase, repair))
        },
        |walked, sink| match walked {
            Walked::Done(item, fixed) => {
                tally.add_document(fixed.analysis());
                repairs.errors_left += count_errors(fixed.repaired.remaining());
                let written = places
                    .claim(write, &item)
                    .and_then(|()| outputs::write_fixed(&fixed, &item, write));
                match written {
                    Ok(written) => {
                        count_repair(&mut repairs, &fixed);
                        sink.fixed(&fixed, &written)
                    }
                    Err(error) => {
                        tally.failed += 1;
                        sink.failed(fixed.path(), &error)
                    }
                }
            }
            other => intake.pass_over(other, &mut tally, sink),
        },
    )?;
    let exit = Exit::of(tally.failed > 0, repairs.errors_left > 0);
    Ok(RunReport {
        tally,
        repairs,
        translation: None,
        outputs: None,
        exit,
    })
}

/// The places under an output folder already taken in this run: two inputs that mirror to
/// the same place (`a/x.txt` and `b/x.txt` given by name, two folders of the same name) must
/// not overwrite each other. The same file named twice takes its own place again.
#[derive(Default)]
struct Places(HashMap<PathBuf, (PathBuf, PathBuf)>);

impl Places {
    /// Takes `item`'s place for `write` (only `--out` has places to take).
    fn claim(&mut self, write: &FixWrite, item: &Item) -> Result<(), Error> {
        match write {
            FixWrite::Out(_) => self.take(item),
            _ => Ok(()),
        }
    }

    fn take(&mut self, item: &Item) -> Result<(), Error> {
        let real = match &item.origin {
            Origin::File(path) | Origin::Stream(path) => {
                std::fs::canonicalize(path).unwrap_or_else(|_| path.clone())
            }
            Origin::Stdin => PathBuf::from("-"),
        };
        match self.0.get(&item.mirror) {
            Some((first, first_real)) if *first_real != real => Err(Error::refused(
                &item.path,
                format!(
                    "its output ({}) would overwrite that of {}; check them in separate runs or into separate folders",
                    item.mirror.display(),
                    first.display()
                ),
            )),
            _ => {
                self.0
                    .insert(item.mirror.clone(), (item.path.clone(), real));
                Ok(())
            }
        }
    }
}

fn translate_job(
    plan: &Plan,
    translate: &TranslatePlan,
    out: &Path,
    termbase: &Termbase,
    sink: &mut dyn Sink,
) -> Result<RunReport, Error> {
    let translator = start_translator(translate, sink)?;
    create_dir(out)?;
    sink.started().map_err(Error::Output)?;
    let mut tally = Tally::default();
    let mut repairs = RepairTally::default();
    let mut fixed_docs: Vec<(Item, Fixed)> = Vec::new();
    let mut intake = Intake::default();
    let options = &plan.options;
    walk(
        plan,
        REPAIR_CHUNK_BYTES,
        sink,
        |item| Some(fix_item(item, options, termbase, FixOptions::default())),
        |walked, sink| match walked {
            Walked::Done(item, fixed) => {
                tally.add_document(fixed.analysis());
                count_repair(&mut repairs, &fixed);
                let result = sink.fixed(&fixed, &Written::Nothing);
                fixed_docs.push((item, fixed));
                result
            }
            other => intake.pass_over(other, &mut tally, sink),
        },
    )?;
    let sources: Vec<(Source<'_>, &Path)> = fixed_docs
        .iter()
        .map(|(item, fixed)| (source(fixed), item.mirror.as_path()))
        .collect();
    let translation = translator.translate(&sources, termbase, out, sink.progress());
    let exit = Exit::of(
        tally.failed > 0 || translation.unfinished(),
        translation.stats.violations > 0,
    );
    Ok(RunReport {
        tally,
        repairs,
        translation: Some(translation),
        outputs: None,
        exit,
    })
}

/// One input of `run` as the run saw it.
struct Entry {
    path: PathBuf,
    /// Its place under the output folders.
    mirror: PathBuf,
    outcome: Result<Fixed, Error>,
    /// Bilingual flags from alignment with its pair, located in this document's text.
    pair_flags: Vec<Flag>,
    /// Bilingual flags the ignore file left out.
    pair_ignored: usize,
}

impl Entry {
    /// A document as the walk handed it on, before pairing.
    fn new(path: PathBuf, mirror: PathBuf, outcome: Result<Fixed, Error>) -> Entry {
        Entry {
            path,
            mirror,
            outcome,
            pair_flags: Vec::new(),
            pair_ignored: 0,
        }
    }

    /// The document's own flags and its pair's, in text order.
    fn flags(&self) -> Cow<'_, [Flag]> {
        match &self.outcome {
            Ok(fixed) if self.pair_flags.is_empty() => Cow::Borrowed(&fixed.analysis().flags),
            Ok(fixed) => {
                let mut all = fixed.analysis().flags.clone();
                all.extend(self.pair_flags.iter().cloned());
                all.sort_by_key(|f| (f.start, f.end));
                Cow::Owned(all)
            }
            Err(_) => Cow::Borrowed(&[]),
        }
    }

    /// Its report line (its flags and its pair's; the ignored ones with `--show-ignored`).
    fn report<'a>(&'a self, fixed: &'a Fixed, options: &Options) -> FileReport<'a> {
        let mut report = FileReport::with_flags(fixed.analysis(), self.flags(), false);
        report.ignored += self.pair_ignored;
        if options.show_ignored {
            report = report.showing_ignored(fixed.analysis());
        }
        report
    }
}

/// Aligns two documents paired by name and gives each the bilingual flags that point into
/// it, less those the ignore file leaves out.
fn pair_entries(src: &mut Entry, tgt: &mut Entry, termbase: &Termbase, options: &Options) {
    let (Ok(a), Ok(b)) = (&src.outcome, &tgt.outcome) else {
        return;
    };
    let (into_source, into_target) = pair_flags(a.analysis(), b.analysis(), termbase);
    for (entry, flags) in [(src, into_source), (tgt, into_target)] {
        let sieved = match options.ignore.as_deref() {
            Some(ignore) => ignore.sieve(&entry.path, flags),
            None => crate::review::Sieved {
                kept: flags,
                ignored: Vec::new(),
            },
        };
        entry.pair_flags.extend(sieved.kept);
        entry.pair_ignored += sieved.ignored.len();
    }
}

/// With an engine, documents wait for translation until their repaired texts add up to this
/// many bytes, then go to the engine together (identical segments are sent once per group; the
/// cache answers them across groups).
const TRANSLATE_GROUP_BYTES: usize = 1024 * 1024;

/// What `run` does with each document once its pair (if any) is settled, in walk order: its
/// report.jsonl line, then (after translation, with an engine) its part of the review report.
/// Only the run's figures and the report's overview rows stay.
struct Finisher<'a> {
    options: &'a Options,
    termbase: &'a Termbase,
    jsonl: LineFile,
    pages: ReportWriter,
    earlier: HashMap<&'a str, &'a DocumentDecisions>,
    /// Earlier decisions that match no flag of this report.
    unmatched: usize,
    tally: Tally,
    /// Whether any flag is an error.
    errors: bool,
    translator: Option<&'a Translator>,
    translation: Option<TranslationRun>,
    bilingual: PathBuf,
    /// Documents waiting for translation, and the bytes of their texts.
    waiting: Vec<Entry>,
    waiting_bytes: usize,
}

/// What the finisher leaves when the run is done.
struct Finished {
    tally: Tally,
    errors: bool,
    translation: Option<TranslationReport>,
    unmatched: usize,
    pages: Option<PathBuf>,
}

impl Finisher<'_> {
    /// Takes the next document in walk order.
    fn take(&mut self, entry: Entry, progress: &dyn Progress) -> Result<(), Error> {
        self.report_line(&entry)?;
        if self.translator.is_none() {
            return self.page(&entry, None);
        }
        if let Ok(fixed) = &entry.outcome {
            self.waiting_bytes += fixed.repaired.text().len();
        }
        self.waiting.push(entry);
        if self.waiting_bytes >= TRANSLATE_GROUP_BYTES {
            self.translate_waiting(progress)?;
        }
        Ok(())
    }

    /// Counts the document and writes its report.jsonl line.
    fn report_line(&mut self, entry: &Entry) -> Result<(), Error> {
        let line = match &entry.outcome {
            Ok(fixed) => {
                self.tally.add_document(fixed.analysis());
                self.tally.add_flags(&entry.pair_flags);
                self.tally.ignored += entry.pair_ignored;
                let report = entry.report(fixed, self.options);
                self.errors |= report.flags.iter().any(|f| f.severity == Severity::Error);
                crate::output::report::line(&report)
            }
            Err(e) => {
                self.tally.failed += 1;
                crate::output::report::line(&ErrorReport {
                    path: entry.path.display().to_string(),
                    error: e.reason(),
                })
            }
        };
        self.jsonl.line(&line)
    }

    /// Writes the document's part of the review report: its section and its review data.
    fn page(
        &mut self,
        entry: &Entry,
        translation: Option<&html::Translation>,
    ) -> Result<(), Error> {
        let fixed = match &entry.outcome {
            Ok(fixed) => fixed,
            Err(e) => {
                let view = DocView::failed(entry.path.display().to_string(), e.reason());
                return self.pages.add(&view, None);
            }
        };
        let flags = entry.flags();
        let report = entry.report(fixed, self.options);
        let path = report.path.to_string();
        let earlier = self.earlier.get(path.as_str()).copied();
        let data = page::document(page::DocumentInput {
            index: self.pages.next_index(),
            path: &path,
            bytes: &fixed.original_bytes,
            lang: report.language.as_deref(),
            doc: &fixed.analysis().doc,
            flags: &flags,
            reported: &report.flags,
            earlier,
        });
        self.unmatched += earlier.map_or(0, |e| page::unmatched(e, &data));
        let mut view = DocView::from_report(
            &report,
            &fixed.analysis().doc.text,
            &flags,
            Some(fixed.repaired.text()),
            translation,
        );
        // Markup: the diff is of the source, as in diff/.
        let (before, after) = (&fixed.analysis().doc, &fixed.repaired.result().doc);
        if before.source.is_some()
            && let (Some(a), Some(b)) = (before.source_text(), after.source_text())
        {
            view.diff = (a != b).then_some((a, b));
        }
        self.pages.add(&view, Some(&data))
    }

    /// Translates the documents waiting, then writes their parts of the review report.
    fn translate_waiting(&mut self, progress: &dyn Progress) -> Result<(), Error> {
        let waiting = std::mem::take(&mut self.waiting);
        self.waiting_bytes = 0;
        let mut translations: Vec<Option<html::Translation>> = vec![None; waiting.len()];
        if let (Some(translator), Some(run)) = (self.translator, self.translation.as_mut()) {
            let done: Vec<(usize, (Source<'_>, &Path))> = waiting
                .iter()
                .enumerate()
                .filter_map(|(i, e)| {
                    let fixed = e.outcome.as_ref().ok()?;
                    Some((i, (source(fixed), e.mirror.as_path())))
                })
                .collect();
            let sources: Vec<(Source<'_>, &Path)> = done.iter().map(|(_, s)| *s).collect();
            let outcomes =
                translator.translate_more(run, &sources, self.termbase, &self.bilingual, progress);
            for ((i, _), outcome) in done.iter().zip(outcomes) {
                if outcome.doc.is_complete() {
                    translations[*i] = Some(html::Translation {
                        source_lang: outcome.doc.source_lang.clone(),
                        target_lang: outcome.doc.target_lang.clone(),
                        segments: outcome
                            .doc
                            .pairs
                            .iter()
                            .map(|p| html::TranslatedSegment {
                                paragraph: p.paragraph,
                                source: p.source.clone(),
                                target: p.target.clone().unwrap_or_default(),
                            })
                            .collect(),
                    });
                }
            }
        }
        for (entry, translation) in waiting.iter().zip(&translations) {
            self.page(entry, translation.as_ref())?;
        }
        Ok(())
    }

    /// Translates what still waits, ends report.jsonl with the corpus line and writes the
    /// review report.
    fn finish(mut self, progress: &dyn Progress) -> Result<Finished, Error> {
        self.translate_waiting(progress)?;
        if let Some(corpus) = CorpusReport::of(&self.tally) {
            self.jsonl.line(&crate::output::report::line(&corpus))?;
        }
        self.jsonl.commit()?;
        let translation = self.translation.map(TranslationRun::finish);
        let notes = [
            glossary_note(self.termbase),
            translation_note(translation.as_ref()),
        ];
        let pages = self
            .pages
            .finish("transmend review report", &notes, &self.tally.drift())?;
        Ok(Finished {
            tally: self.tally,
            errors: self.errors,
            translation,
            unmatched: self.unmatched,
            pages,
        })
    }
}

#[allow(clippy::too_many_arguments)]
fn run_job(
    plan: &Plan,
    repair: FixOptions,
    out: &Path,
    translate: Option<&TranslatePlan>,
    earlier: Option<&Decisions>,
    termbase: &Termbase,
    sink: &mut dyn Sink,
    report_pages: ReportPages,
) -> Result<RunReport, Error> {
    // 1. The engine first: a run that cannot translate stops before reading or writing.
    let translator = translate.map(|t| start_translator(t, sink)).transpose()?;
    create_dir(out)?;
    let out_canonical = std::fs::canonicalize(out).map_err(|source| Error::OutputFolder {
        path: out.to_path_buf(),
        source,
    })?;
    let options = &plan.options;
    // Never read the run's own outputs (an --out folder inside the corpus).
    let inside_out =
        |path: &Path| std::fs::canonicalize(path).is_ok_and(|p| p.starts_with(&out_canonical));
    // 2. The names first (nothing read): which documents wait for a partner.
    let mut queue: PairQueue<Entry> =
        PairQueue::plan(&plan.inputs, options.stdin_name.as_deref(), inside_out);
    let report_name = |ext: &str| match options.shard {
        Some(shard) => out.join(format!("report.{}.{ext}", shard.label())),
        None => out.join(format!("report.{ext}")),
    };
    let bilingual = out.join("bilingual");
    if translator.is_some() {
        create_dir(&bilingual)?;
    }
    let mut finisher = Finisher {
        options,
        termbase,
        jsonl: LineFile::create(&report_name("jsonl"))?,
        pages: ReportWriter::new(out, report_name("html"), report_pages, true),
        earlier: earlier.map(Decisions::by_path).unwrap_or_default(),
        unmatched: 0,
        tally: Tally::default(),
        errors: false,
        translator: translator.as_ref(),
        translation: translator.as_ref().map(Translator::begin),
        bilingual,
        waiting: Vec::new(),
        waiting_bytes: 0,
    };
    finisher
        .jsonl
        .line(&crate::output::report::line(&HeaderReport::new(
            &termbase.used,
        )))?;
    sink.started().map_err(Error::Output)?;

    // 3. Check and repair every document, in parallel, in sorted order; fixed/ and diff/ at
    // once; a document paired by name waits for its partner; then each, in order, gets its
    // report line and its part of the report.
    let pair = |src: &mut Entry, tgt: &mut Entry| pair_entries(src, tgt, termbase, options);
    let mut repairs = RepairTally::default();
    let mut write_failures = 0usize;
    let mut intake = Intake::default();
    let mut places = Places::default();
    let mut stopped: Option<Error> = None;
    walk(
        plan,
        REPAIR_CHUNK_BYTES,
        sink,
        |item| {
            let inside = matches!(&item.origin, Origin::File(path) if inside_out(path));
            (!inside).then(|| fix_item(item, options, termbase, repair))
        },
        |walked, sink| {
            if stopped.is_some() {
                return Ok(());
            }
            let result = match walked {
                Walked::Done(item, fixed) => {
                    count_repair(&mut repairs, &fixed);
                    let written = places
                        .take(&item)
                        .and_then(|()| outputs::write_run_copy(out, &fixed, &item.mirror));
                    let result = match written {
                        Ok(written) => sink.fixed(&fixed, &written),
                        Err(error) => {
                            write_failures += 1;
                            sink.failed(fixed.path(), &error)
                        }
                    };
                    let path = item.path.clone();
                    let entry = Entry::new(item.path, item.mirror, Ok(fixed));
                    queue.push(&path, entry, pair);
                    result
                }
                Walked::Failed { path, error } => {
                    // Counted with the report lines, where its error line is written.
                    let result = sink.failed(&path, &error);
                    let entry = Entry::new(path.clone(), PathBuf::new(), Err(error));
                    queue.push(&path, entry, pair);
                    result
                }
                Walked::NotText { path, kind } => {
                    queue.dropped(&path, pair);
                    intake.pass_over(
                        Walked::<Fixed>::NotText { path, kind },
                        &mut finisher.tally,
                        sink,
                    )
                }
                other => intake.pass_over(other, &mut finisher.tally, sink),
            };
            while let Some(entry) = queue.pop_ready() {
                if let Err(e) = finisher.take(entry, sink.progress()) {
                    stopped = Some(e);
                    break;
                }
            }
            result
        },
    )?;
    if let Some(e) = stopped {
        return Err(e);
    }
    queue.finish(pair);
    while let Some(entry) = queue.pop_ready() {
        finisher.take(entry, sink.progress())?;
    }

    // 4. What waits for translation, the corpus line, the report's index.
    let done = finisher.finish(sink.progress())?;
    if done.unmatched > 0 {
        sink.note(&format!(
            "note: {} earlier decision(s) match no flag of this report (the text there changed, or the flag is gone)",
            done.unmatched
        ));
    }
    let stopped = done.translation.as_ref().is_some_and(|t| t.stop.is_some());
    let exit = Exit::of(
        done.tally.failed > 0 || write_failures > 0 || stopped,
        done.errors,
    );
    Ok(RunReport {
        tally: done.tally,
        repairs,
        translation: done.translation,
        outputs: Some(RunOutputs {
            report_jsonl: report_name("jsonl"),
            report_html: report_name("html"),
            report_pages: done.pages,
            fixed: out.join("fixed"),
            diff: out.join("diff"),
            bilingual: translator.is_some().then(|| out.join("bilingual")),
        }),
        exit,
    })
}

/// The translator of a plan, its notes (a cache that cannot be used) told to the sink.
fn start_translator(plan: &TranslatePlan, sink: &mut dyn Sink) -> Result<Translator, Error> {
    let (translator, notes) = Translator::start(plan, sink.progress())?;
    for note in notes {
        sink.note(&note);
    }
    Ok(translator)
}

/// A repaired document as the translation stage takes it: the text `fix` writes.
fn source(fixed: &Fixed) -> Source<'_> {
    Source {
        analysis: fixed.repaired.result(),
        repairs: fixed.repaired.applied.len(),
    }
}

fn count_errors(flags: &[Flag]) -> usize {
    flags
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count()
}

fn count_repair(repairs: &mut RepairTally, fixed: &Fixed) {
    if fixed.changed() {
        repairs.changed += 1;
        repairs.applied += fixed.repaired.applied.len();
    } else {
        repairs.unchanged += 1;
    }
}

/// Creates an output folder (and its parents) the user named.
fn create_dir(dir: &Path) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(|source| Error::OutputFolder {
        path: dir.to_path_buf(),
        source,
    })
}
