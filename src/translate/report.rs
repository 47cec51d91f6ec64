//! What a translation run tells its caller while it works ([`Progress`]) and when it is done
//! ([`Stats`]). The library never prints; the command turns these into a progress bar and notes.

use serde::Serialize;

/// Receives events during a run. Every method has an empty default.
pub trait Progress: Sync {
    /// `total` distinct segments to translate, of which `cached` were found in the cache.
    fn planned(&self, _total: usize, _cached: usize) {}
    /// `segments` texts came back from the engine, `chars` characters were sent for them.
    fn translated(&self, _segments: usize, _chars: usize) {}
    /// A request is sent again (the reason names the failure).
    fn retry(&self, _reason: &str) {}
    /// Something the user should know that does not stop the run (a broken cache, ...).
    fn note(&self, _message: &str) {}
}

/// A [`Progress`] that ignores everything.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Progress for Silent {}

/// Figures of one run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// Segments in all documents (letterless ones included).
    pub segments: usize,
    /// Distinct segments that needed translating.
    pub unique: usize,
    /// Texts answered from the cache.
    pub from_cache: usize,
    /// Texts answered by the engine.
    pub translated: usize,
    /// Distinct segments left without a translation (stopped or failed).
    pub remaining: usize,
    /// Characters sent to the engine, retries included.
    pub chars_sent: usize,
    /// HTTP requests sent, retries included.
    pub requests: usize,
    /// Requests that were sent again.
    pub retries: usize,
    /// Segments that failed verification and were sent again with placeholders.
    pub resent_protected: usize,
    /// Segments written with a `glossary-violation` flag.
    pub violations: usize,
}

impl Stats {
    /// Adds the figures of another run (one per target language in `run`).
    pub fn add(&mut self, other: &Stats) {
        self.segments += other.segments;
        self.unique += other.unique;
        self.from_cache += other.from_cache;
        self.translated += other.translated;
        self.remaining += other.remaining;
        self.chars_sent += other.chars_sent;
        self.requests += other.requests;
        self.retries += other.retries;
        self.resent_protected += other.resent_protected;
        self.violations += other.violations;
    }
}
