//! The one place that knows the stage order: read -> segment -> detect -> check (-> repair,
//! re-check until settled, re-encode for `fix`). A failing document becomes an error entry,
//! never a crash of the run.

use std::ops::Range;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::check::{self, Flag};
use crate::detect::{self, Detection, Run};
use crate::document::{self, Document, Found, ReadOptions};
use crate::error::Error;
use crate::glossary::Termbase;
use crate::lines::LineIndex;
use crate::output::encode;
use crate::repair;
use crate::segment;

/// What every stage needs to know, fixed for the whole run.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub read: ReadOptions,
    /// `--lang`: the document language, instead of detecting it.
    pub lang: Option<&'static str>,
    /// Worker threads for documents (`--jobs`); 0 = one per core.
    pub jobs: usize,
}

/// A segment with its languages.
#[derive(Debug, Clone, PartialEq)]
pub struct SegmentInfo {
    pub span: Range<usize>,
    pub paragraph: usize,
    /// Main language of the segment by letters (`None` when it has no letters).
    pub lang: Option<&'static str>,
    pub confidence: f64,
    /// Indices into [`Analysis::runs`] of the script runs inside this segment.
    pub runs: Range<usize>,
}

/// Everything known about one document after analysis.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub doc: Document,
    pub lines: LineIndex,
    pub detection: Detection,
    pub segments: Vec<SegmentInfo>,
    pub runs: Vec<Run>,
    pub flags: Vec<Flag>,
}

/// Segments a document and detects its languages per script run, per segment and overall.
pub fn analyze(doc: Document, options: &Options) -> Analysis {
    let text = doc.text.as_str();
    let mut runs = Vec::new();
    let mut segments = Vec::new();
    for seg in segment::segments(text) {
        let first = runs.len();
        runs.extend(detect::script_runs(text, seg.span.clone()));
        segments.push((seg, first..runs.len()));
    }
    detect::label_runs(text, &mut runs, options.lang);
    let segments = segments
        .into_iter()
        .map(|(seg, range)| {
            let d = detect::summarize(&runs[range.clone()]);
            SegmentInfo {
                span: seg.span,
                paragraph: seg.paragraph,
                lang: d.language,
                confidence: d.confidence,
                runs: range,
            }
        })
        .collect();
    let mut detection = detect::summarize(&runs);
    if let Some(forced) = options.lang {
        detection.language = Some(forced);
        detection.confidence = 1.0;
    }
    let lines = LineIndex::new(text);
    Analysis {
        doc,
        lines,
        detection,
        segments,
        runs,
        flags: Vec::new(),
    }
}

/// Runs the checks over an analysed document and stores its flags.
pub fn check_document(analysis: &mut Analysis, termbase: &Termbase) {
    let ctx = check::Context::new(
        &analysis.doc.text,
        analysis.detection.language,
        &analysis.runs,
        &analysis.lines,
        termbase,
    );
    analysis.flags = check::run(&ctx);
}

/// The outcome for one input path.
#[derive(Debug)]
pub enum Outcome {
    /// Read and analysed.
    Done(Box<Analysis>),
    /// Could not be processed; the run goes on.
    Failed { path: PathBuf, error: Error },
    /// Passed over on purpose (FIFO, symlink out of the folder, ...).
    Skipped { path: PathBuf, reason: String },
}

/// Reads, analyses and checks one file.
pub fn process(path: &Path, options: &Options, termbase: &Termbase) -> Outcome {
    match document::read_document(path, options.read) {
        Ok(doc) => {
            let mut analysis = analyze(doc, options);
            check_document(&mut analysis, termbase);
            Outcome::Done(Box::new(analysis))
        }
        Err(error) => Outcome::Failed {
            path: path.to_path_buf(),
            error,
        },
    }
}

/// How many documents are processed in parallel before their results are handed on; bounds
/// memory on huge corpora while keeping output in input order.
const CHUNK: usize = 64;

/// Walks every path, analyses documents in parallel, and hands each outcome to `sink` in
/// deterministic (sorted, input) order. Never holds more than a chunk of documents.
pub fn run_paths(
    paths: &[PathBuf],
    options: &Options,
    termbase: &Termbase,
    mut sink: impl FnMut(Outcome),
) {
    map_paths(
        paths,
        options.jobs,
        |path| process(path, options, termbase),
        |found| {
            sink(match found {
                Walked::Done(outcome) => outcome,
                Walked::Skipped { path, reason } => Outcome::Skipped { path, reason },
                Walked::Failed { path, error } => Outcome::Failed { path, error },
            })
        },
    );
}

/// What [`map_paths`] hands on for each thing found under the paths.
#[derive(Debug)]
pub enum Walked<T> {
    /// A file, and what `work` made of it.
    Done(T),
    /// Could not be walked; the run goes on.
    Failed { path: PathBuf, error: Error },
    /// Passed over on purpose (FIFO, symlink out of the folder, ...).
    Skipped { path: PathBuf, reason: String },
}

/// Walks every path and runs `work` on each file in parallel (`jobs` threads, 0 = one per
/// core), handing results to `sink` in deterministic (sorted, input) order, a chunk at a time.
pub fn map_paths<T: Send>(
    paths: &[PathBuf],
    jobs: usize,
    work: impl Fn(&Path) -> T + Sync,
    mut sink: impl FnMut(Walked<T>),
) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .ok();
    let mut pending: Vec<Found> = Vec::with_capacity(CHUNK);
    let mut flush = |pending: &mut Vec<Found>| {
        let one = |found: &Found| match found {
            Found::File(path) => Some(work(path)),
            _ => None,
        };
        let results: Vec<Option<T>> = match &pool {
            Some(pool) => pool.install(|| pending.par_iter().map(one).collect()),
            None => pending.iter().map(one).collect(),
        };
        for (found, result) in pending.drain(..).zip(results) {
            sink(match (found, result) {
                (_, Some(done)) => Walked::Done(done),
                (Found::Skipped { path, reason }, None) => Walked::Skipped { path, reason },
                (Found::Failed(error), None) => Walked::Failed {
                    path: error.path().map(Path::to_path_buf).unwrap_or_default(),
                    error,
                },
                (Found::File(path), None) => Walked::Skipped {
                    path,
                    reason: "not processed".into(),
                },
            });
        }
    };
    for path in paths {
        for found in document::discover(path) {
            pending.push(found);
            if pending.len() == CHUNK {
                flush(&mut pending);
            }
        }
    }
    flush(&mut pending);
}

/// Options of `fix`.
#[derive(Debug, Clone, Copy, Default)]
pub struct FixOptions {
    /// Apply the CJK typography pass too ([`repair::typography`]).
    pub typography: bool,
}

/// Rounds of check-and-repair before giving up: a repair can expose another (a doubled phrase
/// that was a deprecated term), but repairs that keep undoing each other are a bug to report.
pub const MAX_ROUNDS: usize = 4;

/// The outcome of [`repair_document`].
#[derive(Debug, Clone)]
pub struct Repaired {
    /// The repaired text.
    pub text: String,
    /// Every repair applied, round by round (offsets of later rounds refer to the text of their round).
    pub applied: Vec<Flag>,
    /// Whether the typography pass changed anything.
    pub typography_changed: bool,
    /// Rounds that changed the text.
    pub rounds: usize,
    /// The flags of the repaired text: applying its safe repairs changes nothing any more.
    pub remaining: Vec<Flag>,
}

/// Repairs an analysed document: applies the safe repairs (and typography when asked), checks
/// the result again and repeats until a round changes nothing, so that fixing the output again
/// is a no-op and no applied flag is left. Fails when the repairs do not settle.
pub fn repair_document(
    analysis: &Analysis,
    options: &Options,
    termbase: &Termbase,
    fix: FixOptions,
) -> Result<Repaired, Error> {
    let mut text = analysis.doc.text.clone();
    let mut flags = analysis.flags.clone();
    let mut applied_all = Vec::new();
    let mut typography_changed = false;
    for round in 0..=MAX_ROUNDS {
        if round > 0 {
            let doc = Document {
                text: text.clone(),
                ..analysis.doc.clone()
            };
            let mut a = analyze(doc, options);
            check_document(&mut a, termbase);
            flags = a.flags;
        }
        let applied = repair::apply(&text, &flags);
        let mut next = applied.text;
        if fix.typography {
            let typeset = repair::typography(&next);
            typography_changed |= typeset != next;
            next = typeset;
        }
        if next == text {
            return Ok(Repaired {
                text,
                applied: applied_all,
                typography_changed,
                rounds: round,
                remaining: flags,
            });
        }
        applied_all.extend(applied.applied);
        text = next;
    }
    Err(Error::Other(format!(
        "{}: the repairs did not settle after {MAX_ROUNDS} rounds (each round changed the text again); nothing was written",
        analysis.doc.path.display()
    )))
}

/// A file and its repaired version, in text and in the file's own encoding.
#[derive(Debug)]
pub struct Fixed {
    /// The original, analysed and checked (its flags are those a report shows).
    pub analysis: Analysis,
    /// The file's bytes as read.
    pub original: Vec<u8>,
    pub repaired: Repaired,
    /// The repaired text in the original encoding (BOM and line endings kept).
    pub bytes: Vec<u8>,
}

impl Fixed {
    /// Whether the repair changed the file.
    pub fn changed(&self) -> bool {
        self.bytes != self.original
    }
}

/// Reads, analyses, checks and repairs one file, and encodes the repaired text like the file.
/// Refused (nothing to write) when the repaired text cannot be encoded like the original.
pub fn fix_path(
    path: &Path,
    options: &Options,
    termbase: &Termbase,
    fix: FixOptions,
) -> Result<Fixed, Error> {
    // One bounded read: the bytes decoded are the bytes kept for the diff and the rewrite.
    let original = document::read_bytes(path, options.read)?;
    let doc = document::from_bytes(path, &original)?;
    let mut analysis = analyze(doc, options);
    check_document(&mut analysis, termbase);
    let repaired = repair_document(&analysis, options, termbase, fix)?;
    let bytes = if repaired.text == analysis.doc.text {
        original.clone()
    } else {
        encode::encode_like(&analysis.doc, &repaired.text, Some(&original))?
    };
    Ok(Fixed {
        analysis,
        original,
        repaired,
        bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn analysis_has_languages_per_segment_and_document() {
        let text = "工党的全国执行委员会开会了。\n\nThe National Executive Committee met on Monday evening in London.";
        let a = analyze(Document::from_text("x.txt", text), &Options::default());
        assert_eq!(a.segments.len(), 2);
        assert_eq!(a.segments[0].lang, Some("zh"));
        assert_eq!(a.segments[1].lang, Some("en"));
        let langs: Vec<&str> = a.detection.languages.iter().map(|s| s.lang).collect();
        assert_eq!(langs, ["en", "zh"], "English has more letters");
        assert_eq!(
            a.runs[a.segments[1].runs.start].script,
            detect::Script::Latin
        );
    }

    #[test]
    fn forced_language_is_reported() {
        let options = Options {
            lang: Some("ja"),
            ..Options::default()
        };
        let a = analyze(Document::from_text("x.txt", "工党开会了"), &options);
        assert_eq!(
            (a.detection.language, a.detection.confidence),
            (Some("ja"), 1.0)
        );
    }
}
