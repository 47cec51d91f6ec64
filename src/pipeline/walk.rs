//! Walking the inputs and working on their documents in parallel, a bounded chunk at a time,
//! handing the results on in a deterministic (sorted, input) order whatever the thread count.
//! Each document comes with where its outputs go: the input tree mirrored.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::plan::Shard;
use crate::document::{self, Found, Origin};
use crate::error::Error;
use crate::output::rewrite::relative;

/// How many documents are processed in parallel before their results are handed on; bounds
/// memory on huge corpora while keeping output in input order.
const CHUNK: usize = 64;

/// A chunk is also handed on once its files add up to this many bytes, so that a chunk of
/// large documents does not hold gigabytes of text and analyses at once (unless
/// [`WalkOptions::chunk_bytes`] says otherwise).
pub(super) const CHUNK_BYTES: u64 = 16 * 1024 * 1024;

/// A document to work on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The name reports give it: the path as given (joined under the folder given), or the
    /// `--stdin-name` (else `-`) for standard input.
    pub path: PathBuf,
    /// Where its bytes come from.
    pub origin: Origin,
    /// Its place under an output folder (fixed/, diff/, bilingual/, `fix --out`), relative:
    /// the input tree mirrored, so that `a/x.txt` and `b/x.txt` never collide.
    pub mirror: PathBuf,
    /// Whether it was named on the command line rather than found in a folder.
    pub named: bool,
}

/// How the inputs are walked.
#[derive(Debug, Clone)]
pub struct WalkOptions {
    /// Worker threads (0 = one per core).
    pub jobs: usize,
    /// Only the documents of this shard.
    pub shard: Option<Shard>,
    /// The name standard input goes by (`--stdin-name`).
    pub stdin_name: Option<PathBuf>,
    /// Bytes of files per chunk ([`CHUNK_BYTES`] by default): smaller where each result
    /// holds more than the text's size (a repair keeps two analyses and the original bytes).
    pub chunk_bytes: u64,
}

impl Default for WalkOptions {
    fn default() -> WalkOptions {
        WalkOptions {
            jobs: 0,
            shard: None,
            stdin_name: None,
            chunk_bytes: CHUNK_BYTES,
        }
    }
}

/// What [`map_inputs`] hands on for each thing found under the inputs.
#[derive(Debug)]
pub enum Walked<T> {
    /// A document, and what `work` made of it.
    Done(Item, T),
    /// Could not be walked or processed; the run goes on.
    Failed { path: PathBuf, error: Error },
    /// Passed over on purpose (FIFO, symlink out of the folder, ...).
    Skipped { path: PathBuf, reason: String },
    /// A file found in a folder that is plainly no text document; `kind` is its kind in the
    /// plural ("images"). Passed over: every folder saved from a web page has some.
    NotText { path: PathBuf, kind: &'static str },
}

/// The relative path a document's outputs take under an output folder: the input tree
/// mirrored from the parent of what was given — a file given by itself keeps its name, a
/// file found in a folder keeps the folder's name and its path inside it. Relative and
/// absolute inputs mirror alike (`corpus/` and `/home/u/corpus/` both give `corpus/...`).
pub fn mirror_of(root: &Path, path: &Path) -> PathBuf {
    let inside = path.strip_prefix(root).unwrap_or(path);
    if inside.as_os_str().is_empty() {
        return path.file_name().map(PathBuf::from).unwrap_or_default();
    }
    let base = relative(root)
        .file_name()
        .map(PathBuf::from)
        .unwrap_or_default();
    relative(&base.join(inside))
}

/// Walks every input and runs `work` on each document in parallel, handing results to
/// `sink` in deterministic (sorted, input) order, a chunk at a time. `work` may pass a
/// document over silently by answering `None` (a backup of `fix --write`, `run`'s own output).
/// A document that turns out not to be text (an image by its first bytes) is passed over like
/// one whose name says so, unless it was named on the command line: then it is an error.
pub fn map_inputs<T: Send>(
    inputs: &[PathBuf],
    options: &WalkOptions,
    work: impl Fn(&Item) -> Option<Result<T, Error>> + Sync,
    mut sink: impl FnMut(Walked<T>),
) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs)
        .build()
        .ok();
    let mut pending: Vec<Entry> = Vec::with_capacity(CHUNK);
    let mut flush = |pending: &mut Vec<Entry>| {
        let one = |entry: &Entry| match entry {
            Entry::Doc(item) => work(item),
            Entry::Other(_) => None,
        };
        let results: Vec<Option<Result<T, Error>>> = match &pool {
            Some(pool) => pool.install(|| pending.par_iter().map(one).collect()),
            None => pending.iter().map(one).collect(),
        };
        for (entry, result) in pending.drain(..).zip(results) {
            let walked = match (entry, result) {
                (Entry::Doc(item), Some(Ok(done))) => Walked::Done(item, done),
                (Entry::Doc(item), Some(Err(Error::NotText { path, kind, .. }))) if !item.named => {
                    Walked::NotText { path, kind }
                }
                (Entry::Doc(item), Some(Err(error))) => Walked::Failed {
                    path: item.path,
                    error,
                },
                (Entry::Doc(_), None) => continue,
                (Entry::Other(other), _) => other.into(),
            };
            sink(walked);
        }
    };
    let mut bytes = 0u64;
    for root in inputs {
        for found in document::discover(root) {
            let entry = match found {
                Found::File(path) => {
                    bytes += std::fs::metadata(&path).map_or(0, |m| m.len());
                    Entry::Doc(item(root, path.clone(), Origin::File(path)))
                }
                Found::Stream(path) => Entry::Doc(item(root, path.clone(), Origin::Stream(path))),
                Found::Stdin => {
                    let name = options.stdin_name.clone();
                    let mirror = name
                        .as_deref()
                        .map(relative)
                        .filter(|m| !m.as_os_str().is_empty())
                        .unwrap_or_else(|| PathBuf::from("stdin.txt"));
                    Entry::Doc(Item {
                        path: name.unwrap_or_else(|| PathBuf::from("-")),
                        origin: Origin::Stdin,
                        mirror,
                        named: true,
                    })
                }
                Found::NotText { path, kind } => Entry::Other(Other::NotText {
                    path,
                    kind: kind.plural(),
                }),
                Found::Skipped { path, reason } => Entry::Other(Other::Skipped { path, reason }),
                Found::Failed(error) => Entry::Other(Other::Failed {
                    path: error.path().map(Path::to_path_buf).unwrap_or_default(),
                    error,
                }),
            };
            if let Some(shard) = options.shard
                && !in_shard(shard, root, &entry)
            {
                continue;
            }
            pending.push(entry);
            if pending.len() == CHUNK || bytes >= options.chunk_bytes {
                flush(&mut pending);
                bytes = 0;
            }
        }
    }
    flush(&mut pending);
}

/// What the walk found, before the work.
enum Entry {
    Doc(Item),
    Other(Other),
}

/// What the walk found that is no document to work on.
enum Other {
    Failed { path: PathBuf, error: Error },
    Skipped { path: PathBuf, reason: String },
    NotText { path: PathBuf, kind: &'static str },
}

impl<T> From<Other> for Walked<T> {
    fn from(other: Other) -> Walked<T> {
        match other {
            Other::Failed { path, error } => Walked::Failed { path, error },
            Other::Skipped { path, reason } => Walked::Skipped { path, reason },
            Other::NotText { path, kind } => Walked::NotText { path, kind },
        }
    }
}

/// A document found under `root` at `path`.
fn item(root: &Path, path: PathBuf, origin: Origin) -> Item {
    Item {
        mirror: mirror_of(root, &path),
        named: path == *root,
        path,
        origin,
    }
}

/// Whether what was found belongs to `shard`: by its path relative to the input it was found
/// under (standard input and pathless walk errors go to shard 0), so that each is reported
/// by one shard only.
fn in_shard(shard: Shard, root: &Path, entry: &Entry) -> bool {
    let path = match entry {
        Entry::Doc(item) if item.origin == Origin::Stdin => None,
        Entry::Doc(item) => Some(item.path.as_path()),
        Entry::Other(
            Other::Failed { path, .. } | Other::Skipped { path, .. } | Other::NotText { path, .. },
        ) => Some(path.as_path()).filter(|p| !p.as_os_str().is_empty()),
    };
    let relative = path.map(|p| p.strip_prefix(root).unwrap_or(p));
    let relative = relative.filter(|r| !r.as_os_str().is_empty()).or(path);
    match relative {
        Some(r) => shard.owns(r),
        None => shard.index == 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_mirror_the_input_tree() {
        let m = |root: &str, path: &str| mirror_of(Path::new(root), Path::new(path));
        assert_eq!(
            m("corpus/", "corpus/a/x.zh.txt"),
            Path::new("corpus/a/x.zh.txt")
        );
        assert_eq!(m("corpus/x.txt", "corpus/x.txt"), Path::new("x.txt"));
        assert_eq!(m("../other", "../other/x.txt"), Path::new("other/x.txt"));
        assert_eq!(m("../a/../b/x.txt", "../a/../b/x.txt"), Path::new("x.txt"));
        assert_eq!(m(".", "./a/x.txt"), Path::new("a/x.txt"));
        assert_eq!(m("..", "../a/x.txt"), Path::new("a/x.txt"));
        assert_eq!(
            m("/home/u/reposts", "/home/u/reposts/a/x.txt"),
            Path::new("reposts/a/x.txt"),
            "an absolute folder: its name, then the path inside it"
        );
        assert_eq!(m("/", "/x.txt"), Path::new("x.txt"));
        assert_eq!(m("/home/u/x.txt", "/home/u/x.txt"), Path::new("x.txt"));
        assert_ne!(
            m("corpus", "corpus/a/statement.zh.txt"),
            m("corpus", "corpus/b/statement.zh.txt")
        );
    }
}
