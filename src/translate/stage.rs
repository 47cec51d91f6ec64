//! The translation stage for a set of repaired documents: dedupe their segments, look up the
//! cache, send what is missing, verify the glossary in every answer, re-send failing segments
//! with their terms protected by placeholders, and flag what still fails.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use sha2::{Digest, Sha256};

use super::batch::{self, Counters, Job, Policy, Sender};
use super::cache::{self, Cache, KeyParts, hex};
use super::engine::{Engine, GlossarySupport, Stop};
use super::markup::{self, Marked};
use super::protect;
use super::report::{Progress, Stats};
use super::retry::with_retries;
use super::verify::{self, SourceTerm};
use crate::analysis::Analysis;
use crate::flag::Flag;
use crate::format::Format;
use crate::glossary::{Glossary, Termbase};

/// What the stage needs besides the documents.
#[derive(Debug, Clone)]
pub struct Settings {
    /// BCP 47 primary subtag of the target language.
    pub target_lang: String,
    /// The source language of every document (`--from`); else each document's detected one.
    pub source_lang: Option<String>,
    /// Concurrency, rate, retries.
    pub policy: Policy,
}

/// One segment and its translation.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    /// 1-based, in document order.
    pub id: usize,
    /// 0-based paragraph of the segment.
    pub paragraph: usize,
    pub source: String,
    /// `None` when the run stopped before this segment was translated.
    pub target: Option<String>,
    /// `glossary-violation` flags, spans into `target`.
    pub flags: Vec<Flag>,
}

/// One document's segment pairs.
#[derive(Debug, Clone, PartialEq)]
pub struct TranslatedDocument {
    pub path: PathBuf,
    pub source_lang: String,
    pub target_lang: String,
    /// The engine id (`deepl`, ...).
    pub engine: String,
    /// Safe repairs applied before translating.
    pub repairs: usize,
    pub pairs: Vec<Pair>,
    /// The translated document in its own markup (HTML, Markdown, subtitles), when complete.
    pub markup: Option<TranslatedMarkup>,
}

/// A translated document written in the markup of its source: every tag, script, code block
/// and timing kept, each segment's text replaced by its translation.
#[derive(Debug, Clone, PartialEq)]
pub struct TranslatedMarkup {
    pub format: Format,
    /// The source text with the translations in place.
    pub text: String,
    /// The original file's extension (`html`, `md`, `srt`, ...).
    pub extension: String,
    /// Segments whose inline markup the engine did not give back in order: their markup
    /// follows their text.
    pub markup_moved: usize,
    /// Whether the original was not UTF-8 (the translation is written in UTF-8, with a BOM for
    /// HTML so that it wins over the page's own charset declaration).
    pub was_legacy_encoding: bool,
}

impl TranslatedDocument {
    /// Whether every segment has a translation.
    pub fn is_complete(&self) -> bool {
        self.pairs.iter().all(|p| p.target.is_some())
    }

    /// Segments still without a translation.
    pub fn remaining(&self) -> usize {
        self.pairs.iter().filter(|p| p.target.is_none()).count()
    }
}

/// The result of a run: documents, figures, and why it stopped early, if it did.
#[derive(Debug, Clone, PartialEq)]
pub struct Translation {
    pub documents: Vec<TranslatedDocument>,
    pub stats: Stats,
    /// Set when an error that retrying cannot fix stopped the run.
    pub stop: Option<Stop>,
    /// Segments given up for their own reason while the run went on (reason, count).
    pub failures: Vec<(String, usize)>,
}

/// A document to translate: the analysis of its text as repaired (the same text `fix` writes),
/// and how many repairs made it.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    pub analysis: &'a Analysis,
    pub repairs: usize,
}

/// A distinct text to translate.
#[derive(Debug)]
struct Unit {
    source_lang: String,
    text: String,
    terms: Vec<SourceTerm>,
    output: Option<String>,
    flags: Vec<Flag>,
}

/// A document as planned: its segments and the unit each one maps to.
struct Planned {
    path: PathBuf,
    source_lang: String,
    repairs: usize,
    /// (paragraph, text, unit)
    segments: Vec<(usize, String, Option<usize>)>,
    /// For markup with one source text: the source, and each segment with its markup tokens.
    markup: Option<PlannedMarkup>,
}

struct PlannedMarkup {
    format: Format,
    source: String,
    extension: String,
    legacy: bool,
    marks: Vec<Option<Marked>>,
}

/// Translates documents: the library entry of `translate` (and of `run`).
///
/// Documents come repaired and analysed (segments and languages of the repaired text);
/// identical segments are sent once; cached translations are not sent again, and each new translation is committed to the
/// cache as it arrives. On an error that retrying cannot fix the run stops, keeps what is done,
/// and says why in [`Translation::stop`]. Needs a tokio runtime.
pub async fn translate_documents(
    documents: &[Source<'_>],
    termbase: &Termbase,
    engine: &dyn Engine,
    cache: Option<&Cache>,
    settings: &Settings,
    progress: &dyn Progress,
) -> Translation {
    let target = settings.target_lang.as_str();
    let mut units: Vec<Unit> = Vec::new();
    let mut index: HashMap<(String, String), usize> = HashMap::new();
    let mut planned = Vec::with_capacity(documents.len());
    let mut segment_count = 0;
    for doc in documents {
        let (plan, new_units) = plan_document(*doc, termbase, settings, &mut index, units.len());
        units.extend(new_units);
        segment_count += plan.segments.len();
        planned.push(plan);
    }

    let stage = Stage {
        termbase,
        engine,
        cache: CacheUse {
            cache,
            broken: AtomicBool::new(false),
            progress,
        },
        settings,
        progress,
        counters: Counters::default(),
        prepared: Mutex::new(HashSet::new()),
        glossary_hashes: glossary_hashes(&termbase.glossary, &units, target),
    };
    let mut stats = Stats {
        segments: segment_count,
        unique: units.len(),
        ..Stats::default()
    };

    // Pass 1: as the engine enforces the glossary itself (placeholders for those that cannot).
    let all: Vec<usize> = (0..units.len()).collect();
    let first_protected = engine.glossary_support() == GlossarySupport::Placeholders;
    let first = stage.pass(&units, &all, first_protected, true).await;
    stats.from_cache += first.from_cache;
    let mut stop = first.stop;
    let mut failures = first.failed;
    let mut again = Vec::new();
    for (u, output) in first.outputs {
        let unit = &mut units[u];
        let violations = verify::check(termbase, &unit.terms, &output, target);
        if !violations.is_empty() && !first_protected && stop.is_none() {
            again.push(u);
        }
        unit.flags = verify::flags(termbase, &violations, &output, target);
        unit.output = Some(output);
    }

    // Pass 2: what failed verification, with its terms protected by placeholders.
    if !again.is_empty() {
        stats.resent_protected = again.len();
        tracing::info!(segments = again.len(), "re-sending with protected terms");
        let second = stage.pass(&units, &again, true, false).await;
        stats.from_cache += second.from_cache;
        stop = stop.or(second.stop);
        failures.extend(second.failed);
        let mut answered: HashSet<usize> = HashSet::new();
        for (u, output) in second.outputs {
            answered.insert(u);
            let unit = &mut units[u];
            let violations = verify::check(termbase, &unit.terms, &output, target);
            unit.flags = verify::flags(termbase, &violations, &output, target);
            unit.output = Some(output);
        }
        if stop.is_some() {
            // Not finished: these will be sent again on the next run.
            for u in again.into_iter().filter(|u| !answered.contains(u)) {
                units[u].output = None;
                units[u].flags.clear();
            }
        }
    }

    stats.translated = stage.counters.delivered.load(Ordering::Relaxed);
    stats.requests = stage.counters.requests.load(Ordering::Relaxed);
    stats.retries = stage.counters.retries.load(Ordering::Relaxed);
    stats.chars_sent = stage.counters.chars_sent.load(Ordering::Relaxed);
    stats.remaining = units.iter().filter(|u| u.output.is_none()).count();
    stats.violations = units.iter().filter(|u| !u.flags.is_empty()).count();

    let mut counted: HashMap<String, usize> = HashMap::new();
    for (_, reason) in failures {
        *counted.entry(reason).or_default() += 1;
    }
    let mut failures: Vec<(String, usize)> = counted.into_iter().collect();
    failures.sort();

    let documents = planned
        .into_iter()
        .map(|plan| assemble(plan, &units, target, engine.name()))
        .collect();
    Translation {
        documents,
        stats,
        stop,
        failures,
    }
}

/// Plans one document's segments; adds its new distinct texts.
fn plan_document(
    doc: Source<'_>,
    termbase: &Termbase,
    settings: &Settings,
    index: &mut HashMap<(String, String), usize>,
    first_new: usize,
) -> (Planned, Vec<Unit>) {
    let target = settings.target_lang.as_str();
    let analysis = doc.analysis;
    let source_lang = settings
        .source_lang
        .clone()
        .or_else(|| analysis.detection.language.map(str::to_string))
        .unwrap_or_else(|| "und".to_string());
    let translate = source_lang != target && source_lang != "und";
    let mut new_units = Vec::new();
    let mut segments = Vec::with_capacity(analysis.segments.len());
    let doc_ = &analysis.doc;
    let mut markup = match (&doc_.source, doc_.source_text()) {
        (Some(_), Some(source)) => Some(PlannedMarkup {
            format: doc_.format,
            source: source.to_string(),
            extension: doc_
                .path
                .extension()
                .map(|e| e.to_string_lossy().into_owned())
                .unwrap_or_else(|| doc_.format.name().to_string()),
            legacy: doc_.encoding != encoding_rs::UTF_8,
            marks: Vec::new(),
        }),
        _ => None,
    };
    for seg in &analysis.segments {
        let text = doc_.text[seg.span.clone()].to_string();
        let marked = markup
            .as_ref()
            .and_then(|_| markup::mark(doc_, seg.span.clone()));
        // The text sent: with tokens where inline markup sits.
        let sent = marked.as_ref().map_or(&text, |m| &m.text).clone();
        let unit = (translate && seg.lang.is_some()).then(|| {
            *index
                .entry((source_lang.clone(), sent.clone()))
                .or_insert_with(|| {
                    new_units.push(Unit {
                        terms: verify::source_terms(termbase, &sent, &source_lang, target),
                        source_lang: source_lang.clone(),
                        text: sent.clone(),
                        output: None,
                        flags: Vec::new(),
                    });
                    first_new + new_units.len() - 1
                })
        });
        if let Some(m) = markup.as_mut() {
            m.marks.push(marked);
        }
        segments.push((seg.paragraph, text, unit));
    }
    let plan = Planned {
        path: analysis.doc.path.clone(),
        source_lang,
        repairs: doc.repairs,
        segments,
        markup,
    };
    (plan, new_units)
}

fn assemble(plan: Planned, units: &[Unit], target: &str, engine: &str) -> TranslatedDocument {
    let pairs: Vec<Pair> = plan
        .segments
        .iter()
        .enumerate()
        .map(|(i, (paragraph, source, unit))| {
            let (target, flags) = match unit {
                Some(u) => (
                    units[*u].output.as_deref().map(markup::strip),
                    units[*u].flags.clone(),
                ),
                None => (Some(source.clone()), Vec::new()),
            };
            Pair {
                id: i + 1,
                paragraph: *paragraph,
                source: source.clone(),
                target,
                flags,
            }
        })
        .collect();
    let complete = pairs.iter().all(|p| p.target.is_some());
    let markup = plan.markup.filter(|_| complete).map(|m| {
        let translated: Vec<(&Marked, &str)> = plan
            .segments
            .iter()
            .zip(&m.marks)
            .filter_map(|((_, _, unit), marked)| {
                let output = units[(*unit)?].output.as_deref()?;
                Some((marked.as_ref()?, output))
            })
            .collect();
        let (text, markup_moved) = markup::translated_source(&m.source, m.format, &translated);
        TranslatedMarkup {
            format: m.format,
            text,
            extension: m.extension,
            markup_moved,
            was_legacy_encoding: m.legacy,
        }
    });
    TranslatedDocument {
        path: plan.path,
        source_lang: plan.source_lang,
        target_lang: target.to_string(),
        engine: engine.to_string(),
        repairs: plan.repairs,
        pairs,
        markup,
    }
}

/// A hash of every form of every concept in each source language and the target, per source
/// language: a glossary change invalidates exactly the cached translations it could change.
fn glossary_hashes(glossary: &Glossary, units: &[Unit], target: &str) -> HashMap<String, String> {
    let sources: HashSet<&str> = units.iter().map(|u| u.source_lang.as_str()).collect();
    sources
        .into_iter()
        .map(|source| {
            let mut h = Sha256::new();
            let mut concepts: Vec<_> = glossary.concepts.iter().collect();
            concepts.sort_by(|a, b| a.id.cmp(&b.id));
            for c in concepts {
                h.update(c.id.as_bytes());
                h.update([0]);
                for lang in [source, target] {
                    for term in c.langs.get(lang).into_iter().flatten() {
                        h.update(lang.as_bytes());
                        h.update([term.status as u8]);
                        h.update(term.text.as_bytes());
                        h.update([0]);
                    }
                }
                h.update([1]);
            }
            (source.to_string(), hex(&h.finalize()))
        })
        .collect()
}

/// The cache, or nothing once it failed (reported once).
struct CacheUse<'a> {
    cache: Option<&'a Cache>,
    broken: AtomicBool,
    progress: &'a dyn Progress,
}

impl CacheUse<'_> {
    fn usable(&self) -> Option<&Cache> {
        self.cache.filter(|_| !self.broken.load(Ordering::Relaxed))
    }

    fn disable(&self, e: cache::CacheError) {
        if !self.broken.swap(true, Ordering::Relaxed) {
            self.progress
                .note(&format!("{e}; going on without the cache"));
        }
    }

    fn get(&self, key: &str) -> Option<String> {
        match self.usable()?.get(key) {
            Ok(v) => v,
            Err(e) => {
                self.disable(e);
                None
            }
        }
    }

    fn put(&self, key: &str, engine: &str, text: &str) {
        if let Some(cache) = self.usable()
            && let Err(e) = cache.put(key, engine, text)
        {
            self.disable(e);
        }
    }
}

/// What one pass produced.
struct PassResult {
    /// (unit, translation with placeholders restored and glued glossary forms separated)
    outputs: Vec<(usize, String)>,
    from_cache: usize,
    failed: Vec<(usize, String)>,
    stop: Option<Stop>,
}

struct Stage<'a> {
    termbase: &'a Termbase,
    engine: &'a dyn Engine,
    cache: CacheUse<'a>,
    settings: &'a Settings,
    progress: &'a dyn Progress,
    counters: Counters,
    prepared: Mutex<HashSet<String>>,
    glossary_hashes: HashMap<String, String>,
}

/// One text to obtain: what is sent and how to read the answer back.
struct Send {
    unit: usize,
    key: String,
    text: String,
    /// Placeholder targets when the text is protected.
    targets: Option<Vec<String>>,
}

impl Stage<'_> {
    async fn pass(
        &self,
        units: &[Unit],
        ids: &[usize],
        protected: bool,
        first: bool,
    ) -> PassResult {
        let target = self.settings.target_lang.as_str();
        let identity = self.engine.identity();
        let sends: Vec<Send> = ids
            .iter()
            .map(|&u| {
                let unit = &units[u];
                let shielded = protected
                    .then(|| {
                        let terms: Vec<protect::Term> = unit
                            .terms
                            .iter()
                            .map(|t| protect::Term {
                                span: t.span.clone(),
                                target: t.preferred.clone(),
                            })
                            .collect();
                        protect::protect(&unit.text, &terms)
                    })
                    .flatten();
                let (text, targets) = match shielded {
                    Some(p) => (p.text, Some(p.targets)),
                    None => (unit.text.clone(), None),
                };
                let key = cache::key(&KeyParts {
                    engine: self.engine.name(),
                    identity: &identity,
                    glossary_hash: self
                        .glossary_hashes
                        .get(&unit.source_lang)
                        .map_or("", String::as_str),
                    source_lang: &unit.source_lang,
                    target_lang: target,
                    text: &text,
                });
                Send {
                    unit: u,
                    key,
                    text,
                    targets,
                }
            })
            .collect();

        // Cache first; then one job per distinct missing key, grouped by source language.
        let mut raw: HashMap<String, String> = HashMap::new();
        let mut from_cache = 0;
        let mut jobs: Vec<(String, Job)> = Vec::new();
        let mut keys: Vec<String> = Vec::new();
        let mut queued: HashSet<&str> = HashSet::new();
        for s in &sends {
            if raw.contains_key(&s.key) || queued.contains(s.key.as_str()) {
                continue;
            }
            if let Some(hit) = self.cache.get(&s.key) {
                from_cache += 1;
                raw.insert(s.key.clone(), hit);
                continue;
            }
            queued.insert(&s.key);
            let unit = &units[s.unit];
            let terms = if s.targets.is_some() {
                Vec::new()
            } else {
                unit.terms
                    .iter()
                    .map(|t| (t.form.clone(), t.preferred.clone()))
                    .collect()
            };
            jobs.push((
                unit.source_lang.clone(),
                Job {
                    id: keys.len(),
                    text: s.text.clone(),
                    terms,
                },
            ));
            keys.push(s.key.clone());
        }
        if first {
            self.progress.planned(sends.len(), from_cache);
        }

        let mut by_lang: Vec<(String, Vec<Job>)> = Vec::new();
        for (lang, job) in jobs {
            match by_lang.iter_mut().find(|(l, _)| *l == lang) {
                Some((_, v)) => v.push(job),
                None => by_lang.push((lang, vec![job])),
            }
        }
        let received: Mutex<HashMap<usize, String>> = Mutex::new(HashMap::new());
        let mut failed_jobs: Vec<(usize, String)> = Vec::new();
        let mut stop = None;
        for (lang, jobs) in by_lang {
            if let Err(s) = self.prepare(&lang).await {
                stop = Some(s);
                break;
            }
            let sender = Sender {
                engine: self.engine,
                policy: &self.settings.policy,
                source_lang: &lang,
                target_lang: target,
                progress: self.progress,
                counters: &self.counters,
            };
            let batches = batch::plan(jobs, self.engine.limits(), self.settings.policy.batch_size);
            let deliver = |job: &Job, text: String| {
                self.cache.put(&keys[job.id], self.engine.name(), &text);
                if let Ok(mut r) = received.lock() {
                    r.insert(job.id, text);
                }
            };
            let outcome = sender.send_all(batches, &deliver).await;
            failed_jobs.extend(outcome.failed);
            if outcome.stop.is_some() {
                stop = outcome.stop;
                break;
            }
        }
        for (id, text) in received.into_inner().unwrap_or_else(|e| e.into_inner()) {
            raw.insert(keys[id].clone(), text);
        }

        let failed_keys: HashMap<&str, &str> = failed_jobs
            .iter()
            .map(|(id, reason)| (keys[*id].as_str(), reason.as_str()))
            .collect();
        let mut outputs = Vec::new();
        let mut failed = Vec::new();
        for s in &sends {
            match raw.get(&s.key) {
                Some(text) => {
                    let restored = match &s.targets {
                        Some(targets) => protect::restore(text, targets).0,
                        None => text.clone(),
                    };
                    // Applied to the answer as read (from the engine or the cache): the cache
                    // keeps the raw answer and its key is unchanged.
                    let separated = verify::separate_glued_terms(
                        self.termbase,
                        &units[s.unit].terms,
                        &restored,
                        target,
                    );
                    outputs.push((s.unit, separated));
                }
                None => {
                    if let Some(reason) = failed_keys.get(s.key.as_str()) {
                        failed.push((s.unit, reason.to_string()));
                    }
                }
            }
        }
        PassResult {
            outputs,
            from_cache,
            failed,
            stop,
        }
    }

    /// Readies the engine for one source language (once), retrying transient failures.
    async fn prepare(&self, source: &str) -> Result<(), Stop> {
        if self
            .prepared
            .lock()
            .map(|p| p.contains(source))
            .unwrap_or(false)
        {
            return Ok(());
        }
        with_retries(&self.settings.policy, self.progress, "", || {
            self.engine
                .prepare(source, &self.settings.target_lang, &self.termbase.glossary)
        })
        .await?;
        if let Ok(mut p) = self.prepared.lock() {
            p.insert(source.to_string());
        }
        Ok(())
    }
}
