//! The one place that knows the stage order. [`run_corpus`] takes a [`Plan`] (inputs, options,
//! job) and runs every document through read -> analyse -> check -> repair, then the corpus
//! through pairing -> translation -> reports, as far as the job asks; the binary only fills
//! the plan and renders what comes back. A failing document becomes an error entry, never a
//! crash of the run; a translation engine that cannot work stops the run before any document
//! is read.
//!
//! ```text
//! check      walk -> read -> analyse -> check ------------------------------> sink
//! fix        walk -> read -> analyse -> check -> repair -> diff|copy|in place -> sink
//! translate  engine? -> walk -> ... -> repair --------> translate -> bilingual files
//! run        engine? -> walk -> ... -> repair -> fixed/, diff/ -> pairs -> report.jsonl
//!                                              -> translate -> bilingual/ -> report.html
//! ```

mod apply;
mod merge;
mod outputs;
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
use crate::output::{rewrite, write_atomic};
use crate::review::{Decisions, page};
use crate::translate::Source;
pub use apply::{AppliedDocument, Refused, apply_decisions};
pub use merge::{Merged, merge_reports};
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
pub use translation::{TranslatedOutcome, TranslationReport, Translator};
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

fn walk_options(options: &Options) -> WalkOptions {
    WalkOptions {
        jobs: options.jobs,
        shard: options.shard,
        stdin_name: options.stdin_name.clone(),
    }
}

/// Walks the plan's inputs through `work` and hands what comes out, in input order, to
/// `each` with the sink. After the sink's first I/O error (a closed pipe) nothing more is
/// handed on, and that error ends the run.
fn walk<T: Send>(
    plan: &Plan,
    sink: &mut dyn Sink,
    work: impl Fn(&Item) -> Option<Result<T, Error>> + Sync,
    mut each: impl FnMut(Walked<T>, &mut dyn Sink) -> std::io::Result<()>,
) -> Result<(), Error> {
    let mut sink_error = SinkError::default();
    map_inputs(&plan.inputs, &walk_options(&plan.options), work, |walked| {
        if !sink_error.stopped() {
            sink_error.keep(each(walked, sink));
        }
    });
    sink_error.into_result()
}

fn check_job(plan: &Plan, termbase: &Termbase, sink: &mut dyn Sink) -> Result<RunReport, Error> {
    let options = &plan.options;
    sink.started().map_err(Error::Output)?;
    let mut tally = Tally::default();
    let mut intake = Intake::default();
    walk(
        plan,
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
}

fn run_job(
    plan: &Plan,
    repair: FixOptions,
    out: &Path,
    translate: Option<&TranslatePlan>,
    earlier: Option<&Decisions>,
    termbase: &Termbase,
    sink: &mut dyn Sink,
) -> Result<RunReport, Error> {
    // 1. The engine first: a run that cannot translate stops before reading or writing.
    let translator = translate.map(|t| start_translator(t, sink)).transpose()?;
    create_dir(out)?;
    let out_canonical = std::fs::canonicalize(out).map_err(|source| Error::OutputFolder {
        path: out.to_path_buf(),
        source,
    })?;
    let options = &plan.options;
    sink.started().map_err(Error::Output)?;

    // 2. Check and repair every document, in parallel, in sorted order; fixed/ and diff/.
    let mut entries: Vec<Entry> = Vec::new();
    let mut tally = Tally::default();
    let mut repairs = RepairTally::default();
    let mut write_failures = 0usize;
    let mut intake = Intake::default();
    let mut places = Places::default();
    walk(
        plan,
        sink,
        |item| {
            // Never read the run's own outputs (an --out folder inside the corpus).
            let inside_out = match &item.origin {
                Origin::File(path) => {
                    std::fs::canonicalize(path).is_ok_and(|p| p.starts_with(&out_canonical))
                }
                _ => false,
            };
            (!inside_out).then(|| fix_item(item, options, termbase, repair))
        },
        |walked, sink| match walked {
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
                entries.push(Entry {
                    path: item.path,
                    mirror: item.mirror,
                    outcome: Ok(fixed),
                    pair_flags: Vec::new(),
                    pair_ignored: 0,
                });
                result
            }
            Walked::Failed { path, error } => {
                // Counted with the report lines below, where its error line is written.
                let result = sink.failed(&path, &error);
                entries.push(Entry {
                    mirror: PathBuf::new(),
                    path,
                    outcome: Err(error),
                    pair_flags: Vec::new(),
                    pair_ignored: 0,
                });
                result
            }
            other => intake.pass_over(other, &mut tally, sink),
        },
    )?;

    // 3. Documents paired by name: align and check pair by pair.
    let paths: Vec<&Path> = entries.iter().map(|e| e.path.as_path()).collect();
    for (src, tgt) in pair_by_name(&paths) {
        let (Ok(a), Ok(b)) = (&entries[src].outcome, &entries[tgt].outcome) else {
            continue;
        };
        let (into_source, into_target) = pair_flags(a.analysis(), b.analysis(), termbase);
        for (i, flags) in [(src, into_source), (tgt, into_target)] {
            let sieved = match options.ignore.as_deref() {
                Some(ignore) => ignore.sieve(&entries[i].path, flags),
                None => crate::review::Sieved {
                    kept: flags,
                    ignored: Vec::new(),
                },
            };
            entries[i].pair_flags.extend(sieved.kept);
            entries[i].pair_ignored += sieved.ignored.len();
        }
    }

    // 4. report.jsonl: each document with its own and its pair's flags, then the corpus.
    let flags: Vec<Cow<'_, [Flag]>> = entries.iter().map(Entry::flags).collect();
    let mut reports: Vec<Option<FileReport<'_>>> = Vec::with_capacity(entries.len());
    let mut lines = crate::output::report::line(&HeaderReport::new(&termbase.used));
    lines.push('\n');
    for (entry, flags) in entries.iter().zip(&flags) {
        let line = match &entry.outcome {
            Ok(fixed) => {
                tally.add_document(fixed.analysis());
                tally.add_flags(&entry.pair_flags);
                tally.ignored += entry.pair_ignored;
                let mut report =
                    FileReport::with_flags(fixed.analysis(), Cow::Borrowed(flags), false);
                report.ignored += entry.pair_ignored;
                if options.show_ignored {
                    report = report.showing_ignored(fixed.analysis());
                }
                let line = crate::output::report::line(&report);
                reports.push(Some(report));
                line
            }
            Err(e) => {
                tally.failed += 1;
                reports.push(None);
                crate::output::report::line(&ErrorReport {
                    path: entry.path.display().to_string(),
                    error: e.reason(),
                })
            }
        };
        lines.push_str(&line);
        lines.push('\n');
    }
    if let Some(corpus) = CorpusReport::of(&tally) {
        lines.push_str(&crate::output::report::line(&corpus));
        lines.push('\n');
    }
    let report_name = |ext: &str| match options.shard {
        Some(shard) => out.join(format!("report.{}.{ext}", shard.label())),
        None => out.join(format!("report.{ext}")),
    };
    write_atomic(&report_name("jsonl"), lines.as_bytes())?;

    // 5. Translation, when an engine is configured.
    let mut translations: Vec<Option<html::Translation>> = vec![None; entries.len()];
    let mut bilingual_dir = None;
    let translation = match &translator {
        Some(translator) => {
            let dir = out.join("bilingual");
            create_dir(&dir)?;
            let done: Vec<(usize, (Source<'_>, &Path))> = entries
                .iter()
                .enumerate()
                .filter_map(|(i, e)| {
                    let fixed = e.outcome.as_ref().ok()?;
                    Some((i, (source(fixed), e.mirror.as_path())))
                })
                .collect();
            let sources: Vec<(Source<'_>, &Path)> = done.iter().map(|(_, s)| *s).collect();
            let report = translator.translate(&sources, termbase, &dir, sink.progress());
            for ((i, _), outcome) in done.iter().zip(&report.documents) {
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
            bilingual_dir = Some(dir);
            Some(report)
        }
        None => None,
    };

    // 6. The review report.
    let notes = [
        glossary_note(termbase),
        translation_note(translation.as_ref()),
    ];
    let mut pages = Vec::new();
    let mut unmatched = 0;
    let earlier = earlier.map(Decisions::by_path).unwrap_or_default();
    for (i, ((entry, report), flags)) in entries.iter().zip(&reports).zip(&flags).enumerate() {
        if let (Ok(fixed), Some(report)) = (&entry.outcome, report) {
            let path = report.path.to_string();
            let earlier = earlier.get(path.as_str()).copied();
            let page = page::document(page::DocumentInput {
                index: i,
                path: &path,
                bytes: &fixed.original_bytes,
                lang: report.language.as_deref(),
                doc: &fixed.analysis().doc,
                flags,
                reported: &report.flags,
                earlier,
            });
            unmatched += earlier.map_or(0, |e| page::unmatched(e, &page));
            pages.push(page);
        }
    }
    if unmatched > 0 {
        sink.note(&format!(
            "note: {unmatched} earlier decision(s) match no flag of this report (the text there changed, or the flag is gone)"
        ));
    }
    let review = page::script_json(&page::data(pages));
    let views: Vec<DocView<'_>> = entries
        .iter()
        .zip(&reports)
        .zip(flags.iter().zip(&translations))
        .map(
            |((entry, report), (flags, translation))| match (&entry.outcome, report) {
                (Ok(fixed), Some(report)) => {
                    let mut view = DocView::from_report(
                        report,
                        &fixed.analysis().doc.text,
                        flags,
                        Some(fixed.repaired.text()),
                        translation.as_ref(),
                    );
                    // Markup: the diff is of the source, as in diff/.
                    let (before, after) = (&fixed.analysis().doc, &fixed.repaired.result().doc);
                    if before.source.is_some()
                        && let (Some(a), Some(b)) = (before.source_text(), after.source_text())
                    {
                        view.diff = (a != b).then_some((a, b));
                    }
                    view
                }
                (Err(e), _) => DocView::failed(entry.path.display().to_string(), e.reason()),
                (Ok(_), None) => DocView::failed(entry.path.display().to_string(), "no report"),
            },
        )
        .collect();
    let page = html::report(
        "transmend review report",
        &views,
        &notes,
        &tally.drift(),
        Some(&review),
    );
    write_atomic(&report_name("html"), page.as_bytes())?;

    let stopped = translation.as_ref().is_some_and(|t| t.stop.is_some());
    let errors = flags
        .iter()
        .flat_map(|f| f.iter())
        .any(|f| f.severity == Severity::Error);
    let exit = Exit::of(tally.failed > 0 || write_failures > 0 || stopped, errors);
    Ok(RunReport {
        tally,
        repairs,
        translation,
        outputs: Some(RunOutputs {
            report_jsonl: report_name("jsonl"),
            report_html: report_name("html"),
            fixed: out.join("fixed"),
            diff: out.join("diff"),
            bilingual: bilingual_dir,
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
