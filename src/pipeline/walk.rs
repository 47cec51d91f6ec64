//! Walking the inputs and working on their files in parallel, a bounded chunk at a time,
//! handing the results on in a deterministic (sorted, input) order whatever the thread count.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::plan::Shard;
use crate::document::{self, Found};
use crate::error::Error;

/// How many documents are processed in parallel before their results are handed on; bounds
/// memory on huge corpora while keeping output in input order.
const CHUNK: usize = 64;

/// A chunk is also handed on once its files add up to this many bytes, so that a chunk of
/// large documents does not hold gigabytes of text and analyses at once.
const CHUNK_BYTES: u64 = 16 * 1024 * 1024;

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
