//! Sending: texts cut into batches by the engine's limits, sent by one bounded-concurrency
//! stage (`buffer_unordered`), optionally rate-limited, each batch retried with exponential
//! backoff and jitter (or the server's `Retry-After`), split when the answer does not fit, and
//! the whole run stopped cleanly on an error that retrying cannot fix.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures_util::stream::{self, StreamExt};

use super::engine::{Batch, Engine, EngineError, Limits, Stop, StopKind};
use super::report::Progress;

/// How to send: concurrency, rate, retries, batch size.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// Requests in flight at once (`--concurrency`).
    pub concurrency: usize,
    /// Requests per second at most (`--rate`).
    pub rate: Option<f64>,
    /// Attempts after the first for one batch.
    pub max_retries: u32,
    /// First backoff pause; doubles each attempt, jitter ±25 %.
    pub base_delay: Duration,
    /// Longest backoff pause (a server's `Retry-After` is honoured up to a minute).
    pub max_delay: Duration,
    /// Texts per request at most, below the engine's own limit (`--batch-size`).
    pub batch_size: Option<usize>,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            concurrency: 4,
            rate: None,
            max_retries: 5,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            batch_size: None,
        }
    }
}

impl Policy {
    /// The pause before attempt `attempt` (1 = first retry).
    pub(crate) fn delay(&self, attempt: u32, asked: Option<Duration>) -> Duration {
        if let Some(asked) = asked {
            return asked.min(Duration::from_secs(60));
        }
        let exp = self
            .base_delay
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(16));
        let capped = exp.min(self.max_delay);
        capped.mul_f64(0.75 + 0.5 * fastrand::f64())
    }
}

/// One text to send; `id` is the caller's.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Job {
    pub(crate) id: usize,
    pub(crate) text: String,
    /// Glossary entries in the text, for engines that take instructions.
    pub(crate) terms: Vec<(String, String)>,
}

/// Cuts jobs, in order, into batches within the limits (a text over the byte limit goes alone).
pub(crate) fn plan(jobs: Vec<Job>, limits: Limits, batch_size: Option<usize>) -> Vec<Vec<Job>> {
    let max_texts = batch_size
        .map_or(limits.max_texts, |n| n.min(limits.max_texts))
        .max(1);
    let mut out: Vec<Vec<Job>> = Vec::new();
    let mut bytes = 0;
    for job in jobs {
        let len = job.text.len();
        let fits = out
            .last()
            .is_some_and(|b| b.len() < max_texts && bytes + len <= limits.max_bytes);
        if !fits {
            out.push(Vec::new());
            bytes = 0;
        }
        bytes += len;
        out.last_mut().expect("a batch was just pushed").push(job);
    }
    out
}

/// What became of the jobs that were not delivered.
#[derive(Debug, Default)]
pub(crate) struct Outcome {
    /// Jobs given up (each with the reason) while the run went on.
    pub(crate) failed: Vec<(usize, String)>,
    /// Set when the run was stopped; jobs never sent are simply not delivered.
    pub(crate) stop: Option<Stop>,
}

/// Spaces requests at least `1/rate` seconds apart.
#[derive(Debug)]
struct RateLimiter {
    interval: Option<Duration>,
    next: Mutex<Option<Instant>>,
}

impl RateLimiter {
    fn new(rate: Option<f64>) -> RateLimiter {
        let interval = rate
            .filter(|r| r.is_finite() && *r > 0.0)
            .map(|r| Duration::from_secs_f64(1.0 / r));
        RateLimiter {
            interval,
            next: Mutex::new(None),
        }
    }

    async fn wait(&self) {
        let Some(interval) = self.interval else {
            return;
        };
        let now = Instant::now();
        let slot = {
            let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
            let slot = next.map_or(now, |n| n.max(now));
            *next = Some(slot + interval);
            slot
        };
        if slot > now {
            tokio::time::sleep(slot - now).await;
        }
    }
}

/// Counters shared by the requests of one run.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub(crate) requests: AtomicUsize,
    pub(crate) retries: AtomicUsize,
    pub(crate) chars_sent: AtomicUsize,
    pub(crate) delivered: AtomicUsize,
}

/// Sends batches for one language pair.
pub(crate) struct Sender<'a> {
    pub(crate) engine: &'a dyn Engine,
    pub(crate) policy: &'a Policy,
    pub(crate) source_lang: &'a str,
    pub(crate) target_lang: &'a str,
    pub(crate) progress: &'a dyn Progress,
    pub(crate) counters: &'a Counters,
}

/// Shared state of one `send_all`.
struct Run<'a> {
    rate: RateLimiter,
    stop: Mutex<Option<Stop>>,
    failed: Mutex<Vec<(usize, String)>>,
    deliver: &'a (dyn Fn(&Job, String) + Sync),
}

impl Run<'_> {
    fn stopped(&self) -> bool {
        self.stop.lock().map_or(true, |s| s.is_some())
    }

    fn stop(&self, stop: Stop) {
        if let Ok(mut s) = self.stop.lock() {
            s.get_or_insert(stop);
        }
    }

    fn fail(&self, jobs: &[Job], reason: &str) {
        if let Ok(mut f) = self.failed.lock() {
            f.extend(jobs.iter().map(|j| (j.id, reason.to_string())));
        }
    }
}

impl Sender<'_> {
    /// Sends every batch with bounded concurrency; `deliver` gets each translation as it
    /// arrives (the caller commits it to the cache there).
    pub(crate) async fn send_all(
        &self,
        batches: Vec<Vec<Job>>,
        deliver: &(dyn Fn(&Job, String) + Sync),
    ) -> Outcome {
        let run = Run {
            rate: RateLimiter::new(self.policy.rate),
            stop: Mutex::new(None),
            failed: Mutex::new(Vec::new()),
            deliver,
        };
        stream::iter(batches)
            .map(|batch| self.send_batch(&run, batch))
            .buffer_unordered(self.policy.concurrency.max(1))
            .for_each(|()| async {})
            .await;
        Outcome {
            failed: run.failed.into_inner().unwrap_or_else(|e| e.into_inner()),
            stop: run.stop.into_inner().unwrap_or_else(|e| e.into_inner()),
        }
    }

    /// One batch: retried, split when the answer does not fit, given up after the retries.
    async fn send_batch(&self, run: &Run<'_>, jobs: Vec<Job>) {
        // Depth-first over the pieces of a split batch, first half first.
        let mut pending = vec![jobs];
        while let Some(jobs) = pending.pop() {
            let batch = Batch {
                source_lang: self.source_lang.to_string(),
                target_lang: self.target_lang.to_string(),
                texts: jobs.iter().map(|j| j.text.clone()).collect(),
                terms: terms_of(&jobs),
            };
            let chars = batch.chars();
            let mut attempt = 0u32;
            loop {
                if run.stopped() {
                    return;
                }
                run.rate.wait().await;
                if run.stopped() {
                    return;
                }
                self.counters.requests.fetch_add(1, Ordering::Relaxed);
                self.counters.chars_sent.fetch_add(chars, Ordering::Relaxed);
                tracing::debug!(
                    engine = self.engine.name(),
                    texts = jobs.len(),
                    chars,
                    attempt,
                    "sending a batch"
                );
                let error = match self.engine.translate(&batch).await {
                    Ok(out) if out.len() == jobs.len() => {
                        for (job, text) in jobs.iter().zip(out) {
                            (run.deliver)(job, text);
                        }
                        self.counters
                            .delivered
                            .fetch_add(jobs.len(), Ordering::Relaxed);
                        self.progress.translated(jobs.len(), chars);
                        break;
                    }
                    Ok(out) => EngineError::bad_batch(format!(
                        "{} sent {} translations for {} texts",
                        self.engine.name(),
                        out.len(),
                        jobs.len()
                    )),
                    Err(e) => e,
                };
                tracing::debug!(engine = self.engine.name(), error = %error, "batch failed");
                match error {
                    EngineError::Fatal(stop) => {
                        run.stop(stop);
                        return;
                    }
                    EngineError::BadBatch { reason } if jobs.len() > 1 => {
                        self.progress.retry(&reason);
                        self.counters.retries.fetch_add(1, Ordering::Relaxed);
                        let mut first = jobs;
                        let second = first.split_off(first.len() / 2);
                        pending.push(second);
                        pending.push(first);
                        break;
                    }
                    EngineError::BadBatch { reason } => {
                        attempt += 1;
                        if attempt > self.policy.max_retries {
                            run.fail(&jobs, &reason);
                            break;
                        }
                        self.pause(attempt, None, &reason).await;
                    }
                    EngineError::Transient {
                        reason,
                        retry_after,
                    } => {
                        attempt += 1;
                        if attempt > self.policy.max_retries {
                            run.stop(Stop {
                                kind: StopKind::Unavailable,
                                message: format!(
                                    "{reason} (gave up after {} retries)",
                                    self.policy.max_retries
                                ),
                            });
                            return;
                        }
                        self.pause(attempt, retry_after, &reason).await;
                    }
                }
            }
        }
    }

    async fn pause(&self, attempt: u32, asked: Option<Duration>, reason: &str) {
        self.counters.retries.fetch_add(1, Ordering::Relaxed);
        self.progress.retry(reason);
        let delay = self.policy.delay(attempt, asked);
        tracing::info!(
            engine = self.engine.name(),
            attempt,
            delay_ms = delay.as_millis() as u64,
            reason,
            "retrying"
        );
        tokio::time::sleep(delay).await;
    }
}

/// The distinct glossary entries of a batch, in order of first occurrence.
fn terms_of(jobs: &[Job]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for term in jobs.iter().flat_map(|j| &j.terms) {
        if !out.contains(term) {
            out.push(term.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(id: usize, text: &str) -> Job {
        Job {
            id,
            text: text.into(),
            terms: vec![],
        }
    }

    #[test]
    fn batches_respect_count_and_bytes() {
        let limits = Limits {
            max_texts: 3,
            max_bytes: 10,
        };
        let jobs: Vec<Job> = ["aaaa", "bbbb", "cc", "d", "eeeeeeeeeeeeee", "f"]
            .iter()
            .enumerate()
            .map(|(i, t)| job(i, t))
            .collect();
        let sizes: Vec<Vec<usize>> = plan(jobs.clone(), limits, None)
            .iter()
            .map(|b| b.iter().map(|j| j.id).collect())
            .collect();
        assert_eq!(sizes, [vec![0, 1, 2], vec![3], vec![4], vec![5]]);
        let sizes: Vec<usize> = plan(jobs, limits, Some(1)).iter().map(Vec::len).collect();
        assert_eq!(sizes, [1; 6]);
    }

    #[test]
    fn backoff_grows_with_jitter_and_honours_the_server() {
        let p = Policy {
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(1000),
            ..Policy::default()
        };
        for attempt in 1..=6 {
            let d = p.delay(attempt, None).as_secs_f64();
            let nominal = (0.1 * f64::from(1u32 << (attempt - 1))).min(1.0);
            assert!(d >= nominal * 0.75 && d <= nominal * 1.25, "{attempt}: {d}");
        }
        assert_eq!(
            p.delay(1, Some(Duration::from_secs(3))),
            Duration::from_secs(3)
        );
    }
}
