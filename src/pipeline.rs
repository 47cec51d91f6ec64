//! The one place that knows the stage order: read -> segment -> detect -> check.
//! A failing document becomes an error entry, never a crash of the run.

use std::ops::Range;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::check::{self, Flag};
use crate::detect::{self, Detection, Run};
use crate::document::{self, Document, Found, ReadOptions};
use crate::error::Error;
use crate::glossary::Termbase;
use crate::lines::LineIndex;
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

/// How many documents are analysed in parallel before their results are handed on; bounds
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
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs)
        .build()
        .ok();
    let mut pending: Vec<Found> = Vec::with_capacity(CHUNK);
    let flush = |pending: &mut Vec<Found>, sink: &mut dyn FnMut(Outcome)| {
        let work = |found: &Found| match found {
            Found::File(path) => Some(process(path, options, termbase)),
            _ => None,
        };
        let results: Vec<Option<Outcome>> = match &pool {
            Some(pool) => pool.install(|| pending.par_iter().map(work).collect()),
            None => pending.iter().map(work).collect(),
        };
        for (found, result) in pending.drain(..).zip(results) {
            sink(match (found, result) {
                (_, Some(outcome)) => outcome,
                (Found::Skipped { path, reason }, None) => Outcome::Skipped { path, reason },
                (Found::Failed(error), None) => Outcome::Failed {
                    path: error.path().map(Path::to_path_buf).unwrap_or_default(),
                    error,
                },
                (Found::File(path), None) => Outcome::Skipped {
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
                flush(&mut pending, &mut sink);
            }
        }
    }
    flush(&mut pending, &mut sink);
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
