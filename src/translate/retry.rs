//! Retrying one request that is not a batch (a preflight question, a glossary set-up): a
//! transient failure is sent again after the policy's backoff or the server's `Retry-After`, a
//! stop ends at once, and after the last retry the last reason becomes an `Unavailable` stop.

use std::future::Future;

use super::batch::Policy;
use super::engine::{EngineError, Stop, StopKind};
use super::report::Progress;

/// Runs `call` until it succeeds, fails with a stop, or has been retried
/// `policy.max_retries` times; `advice` (e.g. "; try again later") ends the message of that
/// last stop. `progress` hears of every retry. A `BadBatch` answer is retried like a transient
/// one: there is no batch to split.
pub(crate) async fn with_retries<T, F, Fut>(
    policy: &Policy,
    progress: &dyn Progress,
    advice: &str,
    mut call: F,
) -> Result<T, Stop>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, EngineError>>,
{
    let mut attempt = 0;
    loop {
        let (reason, asked) = match call().await {
            Ok(value) => return Ok(value),
            Err(EngineError::Fatal(stop)) => return Err(stop),
            Err(EngineError::Transient {
                reason,
                retry_after,
            }) => (reason, retry_after),
            Err(EngineError::BadBatch { reason }) => (reason, None),
        };
        attempt += 1;
        if attempt > policy.max_retries {
            return Err(Stop {
                kind: StopKind::Unavailable,
                message: format!(
                    "{reason} (gave up after {} retries){advice}",
                    policy.max_retries
                ),
            });
        }
        progress.retry(&reason);
        let delay = policy.delay(attempt, asked);
        tracing::info!(
            attempt,
            delay_ms = delay.as_millis() as u64,
            reason,
            "retrying"
        );
        tokio::time::sleep(delay).await;
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::sync::Mutex;
    use std::time::Duration;

    use super::*;

    fn instant() -> Policy {
        Policy {
            max_retries: 3,
            base_delay: Duration::ZERO,
            max_delay: Duration::ZERO,
            ..Policy::default()
        }
    }

    #[derive(Default)]
    struct Heard(Mutex<Vec<String>>);

    impl Progress for Heard {
        fn retry(&self, reason: &str) {
            self.0.lock().unwrap().push(reason.to_string());
        }
    }

    #[tokio::test]
    async fn transient_failures_are_retried_until_an_answer() {
        let calls = Cell::new(0);
        let heard = Heard::default();
        let got = with_retries(&instant(), &heard, "", || {
            calls.set(calls.get() + 1);
            let n = calls.get();
            async move {
                if n < 3 {
                    Err(EngineError::Transient {
                        reason: format!("busy {n}"),
                        retry_after: Some(Duration::ZERO),
                    })
                } else {
                    Ok(n)
                }
            }
        })
        .await;
        assert_eq!(got, Ok(3));
        assert_eq!(*heard.0.lock().unwrap(), ["busy 1", "busy 2"]);
    }

    #[tokio::test]
    async fn a_stop_is_not_retried_and_the_last_retry_gives_up() {
        let calls = Cell::new(0);
        let stop: Result<(), Stop> =
            with_retries(&instant(), &crate::translate::Silent, "", || {
                calls.set(calls.get() + 1);
                async { Err(EngineError::fatal(StopKind::Auth, "bad key")) }
            })
            .await;
        assert_eq!(stop.unwrap_err().kind, StopKind::Auth);
        assert_eq!(calls.get(), 1);

        calls.set(0);
        let stop: Result<(), Stop> =
            with_retries(&instant(), &crate::translate::Silent, "; later", || {
                calls.set(calls.get() + 1);
                async { Err(EngineError::transient("HTTP 503")) }
            })
            .await;
        let stop = stop.unwrap_err();
        assert_eq!(stop.kind, StopKind::Unavailable);
        assert_eq!(stop.message, "HTTP 503 (gave up after 3 retries); later");
        assert_eq!(calls.get(), 4);
    }
}
