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
    /// `--shard K/N`: process only the documents of shard K of N.
    pub shard: Option<Shard>,
}

/// One of N disjoint parts of a corpus (`--shard K/N`, K counted from 0). A document belongs
/// to the shard given by a stable hash (64-bit FNV-1a) of its path relative to the folder it
/// was found under (a file given by itself: its path as given), with `/` as separator and a
/// language tag before the extension left out (`NAME.en.txt` and `NAME.zh.txt` hash as
/// `NAME.txt`, so an original and its translation land in the same shard and can be
/// aligned), so N workers on N machines split a corpus with no coordination and the same
/// split every time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl Shard {
    /// Whether the document at `relative` belongs to this shard.
    pub fn owns(&self, relative: &Path) -> bool {
        shard_of(&pair_key(relative), self.count) == self.index
    }

    /// A name for this shard's outputs: `K-of-N`.
    pub fn label(&self) -> String {
        format!("{}-of-{}", self.index, self.count)
    }
}

/// The path with a language tag before the extension removed (`a/NAME.zh.txt` -> `a/NAME.txt`):
/// what an original and its translations have in common.
pub fn pair_key(path: &Path) -> PathBuf {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return path.to_path_buf();
    };
    let parts: Vec<&str> = name.split('.').collect();
    if parts.len() >= 3 {
        let tag = parts[parts.len() - 2];
        if (2..=3).contains(&tag.len()) && tag.bytes().all(|b| b.is_ascii_lowercase()) {
            let mut key = parts[..parts.len() - 2].join(".");
            key.push('.');
            key.push_str(parts[parts.len() - 1]);
            return path.with_file_name(key);
        }
    }
    path.to_path_buf()
}

/// The shard (of `count`) that the document at `relative` belongs to.
pub fn shard_of(relative: &Path, count: u64) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut first = true;
    for part in relative.components() {
        let std::path::Component::Normal(part) = part else {
            continue;
        };
        if !first {
            h = (h ^ u64::from(b'/')).wrapping_mul(0x0100_0000_01b3);
        }
        first = false;
        for &b in part.as_encoded_bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    h % count.max(1)
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = || format!("'{s}' is not a shard: expected K/N with 0 <= K < N, e.g. 0/4");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let index: u64 = k.trim().parse().map_err(|_| bad())?;
        let count: u64 = n.trim().parse().map_err(|_| bad())?;
        if count == 0 || index >= count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
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
    /// Accepted glossary forms used, `(concept id, language, form)`, each once, in order of
    /// first use.
    pub renderings: Vec<(String, String, String)>,
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
        renderings: Vec::new(),
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
    let flags = check::gather(&ctx);
    analysis.renderings = check::terms::renderings(&ctx);
    // Resolving needs neither the normalised text nor the glossary matches: free them first.
    drop(ctx);
    analysis.flags = check::resolve(&analysis.doc.text, &analysis.lines, flags);
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

/// A chunk is also handed on once its files add up to this many bytes, so that a chunk of
/// large documents does not hold gigabytes of text and analyses at once.
const CHUNK_BYTES: u64 = 16 * 1024 * 1024;

/// Walks every path, analyses documents in parallel, and hands each outcome to `sink` in
/// deterministic (sorted, input) order. Never holds more than a chunk of documents.
pub fn run_paths(
    paths: &[PathBuf],
    options: &Options,
    termbase: &Termbase,
    mut sink: impl FnMut(Outcome),
) {
    map_paths_sharded(
        paths,
        options.jobs,
        options.shard,
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
    sink: impl FnMut(Walked<T>),
) {
    map_paths_sharded(paths, jobs, None, work, sink);
}

/// [`map_paths`] restricted to the documents of one shard (all of them with `None`). Walk
/// errors and skipped entries belong to the shard of their path too, so each is reported once.
pub fn map_paths_sharded<T: Send>(
    paths: &[PathBuf],
    jobs: usize,
    shard: Option<Shard>,
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
    let mut bytes = 0u64;
    for root in paths {
        for found in document::discover(root) {
            let path = match &found {
                Found::File(path) | Found::Skipped { path, .. } => Some(path.as_path()),
                Found::Failed(error) => error.path(),
            };
            if let Some(shard) = shard {
                let relative = path.map(|p| p.strip_prefix(root).unwrap_or(p));
                let relative = relative.filter(|r| !r.as_os_str().is_empty()).or(path);
                // Something with no path at all (a walk error) goes to shard 0.
                let mine = match relative {
                    Some(r) => shard.owns(r),
                    None => shard.index == 0,
                };
                if !mine {
                    continue;
                }
            }
            if let Found::File(path) = &found {
                bytes += std::fs::metadata(path).map_or(0, |m| m.len());
            }
            pending.push(found);
            if pending.len() == CHUNK || bytes >= CHUNK_BYTES {
                flush(&mut pending);
                bytes = 0;
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
    fn an_original_and_its_translation_share_a_shard_key() {
        assert_eq!(pair_key(Path::new("a/law.en.txt")), Path::new("a/law.txt"));
        assert_eq!(pair_key(Path::new("a/law.zh.txt")), Path::new("a/law.txt"));
        assert_eq!(
            pair_key(Path::new("a/v1.2.txt")),
            Path::new("a/v1.2.txt"),
            "not a language tag"
        );
        assert_eq!(pair_key(Path::new("notes.txt")), Path::new("notes.txt"));
        let shard = Shard { index: 0, count: 7 };
        assert_eq!(
            shard.owns(Path::new("x/law.en.txt")),
            shard.owns(Path::new("x/law.zh.txt"))
        );
        assert_eq!(shard.label(), "0-of-7");
    }

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
