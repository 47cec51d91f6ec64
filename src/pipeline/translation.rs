//! The translation stage as the pipeline drives it: the engine is built and its server asked
//! before any document is read ([`Translator::start`]), then the repaired documents are
//! translated, grouped by target language, and their bilingual files written.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use super::plan::{CacheChoice, TranslatePlan, default_target};
use crate::error::Error;
use crate::glossary::Termbase;
use crate::output::bilingual;
use crate::translate::{
    self, Cache, Engine, Progress, Settings, Source, Stats, Stop, TranslatedDocument,
};

/// A translation engine that answered, with its cache and the runtime its requests run on.
pub struct Translator {
    runtime: tokio::runtime::Runtime,
    engine: Box<dyn Engine>,
    cache: Option<Cache>,
    plan: TranslatePlan,
}

impl Translator {
    /// Builds the engine and asks its server whether it can work — reachable, key accepted,
    /// model known, quota left — so that a run that cannot translate fails before reading a
    /// document or writing a file; retries of that question go to `progress`. Cache problems
    /// are not fatal: each comes back as a note and the run goes on without the cache.
    pub fn start(
        plan: &TranslatePlan,
        progress: &dyn Progress,
    ) -> Result<(Translator, Vec<String>), Error> {
        let engine =
            translate::build_engine(&plan.engine).map_err(|e| Error::Engine(e.to_string()))?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::Engine(format!("cannot start the async runtime: {e}")))?;
        runtime
            .block_on(translate::preflight(
                engine.as_ref(),
                &plan.policy,
                progress,
            ))
            .map_err(|stop| Error::Engine(stop.to_string()))?;
        let mut notes = Vec::new();
        let cache = open_cache(&plan.cache, &mut notes);
        let translator = Translator {
            runtime,
            engine,
            cache,
            plan: plan.clone(),
        };
        Ok((translator, notes))
    }

    /// Whether translations are cached (a rerun then pays for nothing twice).
    pub fn cached(&self) -> bool {
        self.cache.is_some()
    }

    /// Translates repaired documents, each into `--to` or its default target, and writes
    /// the complete ones into `dir`, each beside its place in the mirrored input tree (the
    /// `&Path` given with it). Outcomes come back in the order of `docs`.
    pub fn translate(
        &self,
        docs: &[(Source<'_>, &Path)],
        termbase: &Termbase,
        dir: &Path,
        progress: &dyn Progress,
    ) -> TranslationReport {
        let mut run = self.begin();
        self.translate_more(&mut run, docs, termbase, dir, progress);
        run.finish()
    }

    /// A translation done in several groups of documents ([`Translator::translate_more`]),
    /// so that a long run never holds every document at once.
    pub fn begin(&self) -> TranslationRun {
        TranslationRun {
            report: TranslationReport {
                cached: self.cached(),
                ..TranslationReport::default()
            },
            names: HashSet::new(),
        }
    }

    /// Translates the next group of documents of `run`, as [`Translator::translate`] does,
    /// and returns their outcomes, in the order of `docs`. Identical segments are sent once
    /// per group; across groups the cache answers them. After an engine stop, later groups
    /// are still planned and asked (a quota may come back), and each says why it stopped.
    pub fn translate_more<'r>(
        &self,
        run: &'r mut TranslationRun,
        docs: &[(Source<'_>, &Path)],
        termbase: &Termbase,
        dir: &Path,
        progress: &dyn Progress,
    ) -> &'r [TranslatedOutcome] {
        let mut by_target: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, (doc, _)) in docs.iter().enumerate() {
            let target = match &self.plan.target {
                Some(to) => to.clone(),
                None => default_target(doc.analysis.detection.language).to_string(),
            };
            by_target.entry(target).or_default().push(i);
        }
        let mut slots: Vec<Option<TranslatedDocument>> = vec![None; docs.len()];
        let report = &mut run.report;
        for (target, ids) in by_target {
            let settings = Settings {
                target_lang: target,
                source_lang: self.plan.source.clone(),
                policy: self.plan.policy.clone(),
            };
            let group: Vec<Source<'_>> = ids.iter().map(|&i| docs[i].0).collect();
            let result = self.runtime.block_on(translate::translate_documents(
                &group,
                termbase,
                self.engine.as_ref(),
                self.cache.as_ref(),
                &settings,
                progress,
            ));
            report.stats.add(&result.stats);
            report.stop = report.stop.take().or(result.stop);
            report.failures.extend(result.failures);
            for (i, doc) in ids.into_iter().zip(result.documents) {
                slots[i] = Some(doc);
            }
        }
        let first = report.documents.len();
        for (doc, (_, mirror)) in slots.into_iter().zip(docs) {
            let Some(doc) = doc else { continue };
            let folder = dir.join(mirror.parent().unwrap_or(Path::new("")));
            let written = doc
                .is_complete()
                .then(|| write(&folder, &doc, &mut run.names));
            report.documents.push(TranslatedOutcome { doc, written });
        }
        &report.documents[first..]
    }
}

/// A translation in progress over several groups of documents.
#[derive(Debug)]
pub struct TranslationRun {
    report: TranslationReport,
    /// The bilingual files written so far: two inputs must not write the same.
    names: HashSet<PathBuf>,
}

impl TranslationRun {
    /// What the whole translation did; failures of the same reason in several groups are
    /// counted together.
    pub fn finish(self) -> TranslationReport {
        let mut report = self.report;
        let mut counted: BTreeMap<String, usize> = BTreeMap::new();
        for (reason, n) in report.failures.drain(..) {
            *counted.entry(reason).or_default() += n;
        }
        report.failures = counted.into_iter().collect();
        report
    }
}

/// Writes one complete document's bilingual files, unless another input already wrote files
/// of the same name in this run.
fn write(
    dir: &Path,
    doc: &TranslatedDocument,
    names: &mut HashSet<PathBuf>,
) -> Result<Vec<PathBuf>, Error> {
    let Some(paths) = bilingual::output_paths(dir, doc) else {
        return Err(Error::refused(
            &doc.path,
            "no usable file name for the outputs",
        ));
    };
    if !names.insert(paths[0].clone()) {
        return Err(Error::refused(
            &doc.path,
            format!(
                "another input already writes {}; translate it into another --out folder",
                paths[0].display()
            ),
        ));
    }
    std::fs::create_dir_all(dir).map_err(|source| Error::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    bilingual::write_all(dir, doc)
}

/// The cache the plan asks for, or none (with a note saying why).
fn open_cache(choice: &CacheChoice, notes: &mut Vec<String>) -> Option<Cache> {
    let path = match choice {
        CacheChoice::Off => return None,
        CacheChoice::File(path) => path.clone(),
        CacheChoice::Default => match translate::cache::default_path() {
            Some(path) => path,
            None => {
                notes.push(
                    "warning: no cache folder (HOME is not set): translating without a cache"
                        .into(),
                );
                return None;
            }
        },
    };
    match Cache::open(&path) {
        Ok(cache) => Some(cache),
        Err(e) => {
            notes.push(format!("warning: {e}; translating without the cache"));
            None
        }
    }
}

/// One document after translation.
#[derive(Debug)]
pub struct TranslatedOutcome {
    pub doc: TranslatedDocument,
    /// The files written, or why they could not be; `None` when the document is incomplete
    /// (the run stopped or segments failed) and nothing was written.
    pub written: Option<Result<Vec<PathBuf>, Error>>,
}

/// What the translation stage did.
#[derive(Debug, Default)]
pub struct TranslationReport {
    /// Every document, in input order.
    pub documents: Vec<TranslatedOutcome>,
    pub stats: Stats,
    /// Why the run stopped early, when it did (quota, key, an unreachable server).
    pub stop: Option<Stop>,
    /// Segments given up for a reason of their own (reason, count), sorted.
    pub failures: Vec<(String, usize)>,
    /// Whether translations were cached.
    pub cached: bool,
}

impl TranslationReport {
    /// Documents that still miss translations.
    pub fn incomplete(&self) -> impl Iterator<Item = &TranslatedDocument> {
        self.documents
            .iter()
            .filter(|o| o.written.is_none())
            .map(|o| &o.doc)
    }

    /// Documents whose files could not be written.
    pub fn write_failures(&self) -> usize {
        self.documents
            .iter()
            .filter(|o| matches!(o.written, Some(Err(_))))
            .count()
    }

    /// Whether anything is left undone: a stop, a missing segment or a failed write.
    pub fn unfinished(&self) -> bool {
        self.stop.is_some()
            || !self.failures.is_empty()
            || self.incomplete().next().is_some()
            || self.write_failures() > 0
    }
}
