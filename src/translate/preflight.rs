//! The preflight: before any document is read, each engine asks its service one cheap, free
//! question that sends no text (LibreTranslate `GET /languages`, DeepL `GET /v2/usage`,
//! OpenAI-compatible `GET /v1/models`, Google `GET …/v2/languages`), so that an unreachable
//! server, a wrong endpoint or key, an unknown model or a used-up quota stops the run before
//! anything is written. Transient failures are retried with the run's policy.

use reqwest::{RequestBuilder, Url};

use super::batch::Policy;
use super::engine::{Engine, EngineError, Stop, StopKind};
use super::http::{Failure, Http, Reply};
use super::report::Progress;
use super::retry::with_retries;

/// Checks that the engine's service can be used, before any document is read.
///
/// Call it once per run, right after [`build_engine`](super::build_engine) (which already
/// refuses what the configuration alone shows: a bad endpoint scheme, plain `http://` off
/// loopback, a missing key) and before reading or writing anything, on the tokio runtime the
/// translation will use:
///
/// ```ignore
/// let engine = translate::build_engine(&config)?;              // ConfigError
/// let policy = /* the run's --retries / --retry-delay-ms */;
/// if let Err(stop) = runtime.block_on(translate::preflight(engine.as_ref(), &policy, &progress)) {
///     // Print `stop` (it names the cause, the endpoint and what to do), write nothing,
///     // and exit as for any engine stop (2).
/// }
/// ```
///
/// Transient failures (429, 5xx, timeouts) are retried with `policy`'s backoff or the
/// server's `Retry-After`, each retry told to `progress`; after the last one the stop is
/// [`StopKind::Unavailable`]. A server that cannot be connected to at all (refused, unknown
/// host) is an `Unavailable` stop at once. A bad key is [`StopKind::Auth`], a used-up quota
/// [`StopKind::Quota`], a wrong endpoint, an unknown model or an answer that is not the
/// service's [`StopKind::Rejected`]. Nothing is translated or billed, and the key is never in
/// a message.
pub async fn preflight(
    engine: &dyn Engine,
    policy: &Policy,
    progress: &dyn Progress,
) -> Result<(), Stop> {
    tracing::debug!(engine = engine.name(), "preflight");
    with_retries(
        policy,
        progress,
        "; try again later, or check --endpoint",
        || engine.preflight(),
    )
    .await
}

/// The service a preflight question goes to, for its messages: "the LibreTranslate server at
/// http://127.0.0.1:5000/". Holds no key.
#[derive(Debug, Clone)]
pub(crate) struct Site {
    /// "LibreTranslate server", "DeepL API", ...
    service: &'static str,
    /// The endpoint as shown: no query, no fragment.
    url: String,
    /// What to do about a refused key.
    key_advice: String,
    /// What to do about a used-up quota.
    quota_advice: &'static str,
}

impl Site {
    /// `key_variable` is the engine's key variable (`DEEPL_AUTH_KEY`, ...).
    pub(crate) fn new(
        service: &'static str,
        base: &Url,
        key_variable: &str,
        quota_advice: &'static str,
    ) -> Site {
        let mut shown = base.clone();
        shown.set_query(None);
        shown.set_fragment(None);
        Site {
            service,
            url: shown.to_string(),
            key_advice: format!(
                "check the key in {key_variable} (or TRANSMEND_API_KEY, or the --api-key-file)"
            ),
            quota_advice,
        }
    }

    /// The endpoint as shown in messages.
    pub(crate) fn url(&self) -> &str {
        &self.url
    }

    /// Adds engine-specific advice for a refused key ("a Free key ends in :fx ...").
    pub(crate) fn with_key_advice(mut self, more: &str) -> Site {
        self.key_advice.push_str(more);
        self
    }

    /// Sends one question. A server that cannot be connected to is a stop naming the
    /// endpoint; other network failures are transient, their reason naming the endpoint.
    pub(crate) async fn ask(
        &self,
        http: &Http,
        request: RequestBuilder,
    ) -> Result<Reply, EngineError> {
        http.exchange(request).await.map_err(|e| match e {
            Failure::Unreachable(cause) => EngineError::fatal(
                StopKind::Unavailable,
                format!(
                    "cannot reach the {} at {}: {cause}; check --endpoint and that the server is running",
                    self.service, self.url
                ),
            ),
            Failure::Engine(EngineError::Transient {
                reason,
                retry_after,
            }) => EngineError::Transient {
                reason: format!("the {} at {} did not answer: {reason}", self.service, self.url),
                retry_after,
            },
            Failure::Engine(other) => other,
        })
    }

    /// A status worth asking again (408, 425, 429, 529, 5xx), its reason naming the endpoint.
    pub(crate) fn busy(&self, reply: &Reply, message: &str) -> Option<EngineError> {
        let code = reply.status.as_u16();
        matches!(code, 408 | 425 | 429 | 529 | 500..=599).then(|| EngineError::Transient {
            reason: format!(
                "the {} at {} answered HTTP {code}: {message}",
                self.service, self.url
            ),
            retry_after: reply.retry_after,
        })
    }

    /// The endpoint does not serve `request` (`GET /languages`): it is not this service, or
    /// the path is wrong.
    pub(crate) fn missing(&self, request: &str, reply: &Reply, message: &str) -> EngineError {
        EngineError::fatal(
            StopKind::Rejected,
            format!(
                "{} answered {request} with HTTP {}: {message}; it does not look like a {}: check --endpoint",
                self.url,
                reply.status.as_u16(),
                self.service
            ),
        )
    }

    /// A success whose body is not what the service documents (an HTML page, cut-off JSON):
    /// most likely another server at that address, so the run stops instead of retrying.
    pub(crate) fn malformed(&self, request: &str, reply: &Reply, expected: &str) -> EngineError {
        EngineError::fatal(
            StopKind::Rejected,
            format!(
                "{} answered {request} with something other than {expected} ({}); it does not look like a {}: check --endpoint",
                self.url,
                describe(&reply.body),
                self.service
            ),
        )
    }

    /// `error` with what to do added to a key, quota or refusal stop.
    pub(crate) fn advise(&self, error: EngineError) -> EngineError {
        let EngineError::Fatal(stop) = error else {
            return error;
        };
        let advice = match stop.kind {
            StopKind::Auth => self.key_advice.clone(),
            StopKind::Quota => self.quota_advice.to_string(),
            StopKind::Rejected => format!("check --endpoint ({})", self.url),
            StopKind::Unavailable => return EngineError::Fatal(stop),
        };
        EngineError::Fatal(Stop {
            message: format!("{}; {advice}", stop.message),
            ..stop
        })
    }

    /// The stop for a question's answer that says the quota is used up.
    pub(crate) fn quota(&self, what: &str) -> EngineError {
        EngineError::fatal(StopKind::Quota, format!("{what}; {}", self.quota_advice))
    }
}

/// A short, printable description of a body that is not the expected JSON.
fn describe(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return "an empty body".to_string();
    }
    let start: String = trimmed
        .chars()
        .take(60)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let more = if trimmed.chars().nth(60).is_some() {
        "..."
    } else {
        ""
    };
    format!("it begins \"{start}{more}\"")
}

#[cfg(test)]
mod tests {
    use reqwest::StatusCode;

    use super::*;

    fn site() -> Site {
        let base = Url::parse("http://127.0.0.1:5000/lt/?x=1#f").unwrap();
        Site::new(
            "LibreTranslate server",
            &base,
            "LIBRETRANSLATE_API_KEY",
            "wait",
        )
    }

    fn reply(code: u16, body: &str) -> Reply {
        Reply {
            status: StatusCode::from_u16(code).unwrap(),
            retry_after: None,
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn messages_name_the_endpoint_without_query() {
        let s = site();
        assert_eq!(s.url, "http://127.0.0.1:5000/lt/");
        let e = s.missing("GET /languages", &reply(404, ""), "not found");
        assert_eq!(
            e.to_string(),
            "http://127.0.0.1:5000/lt/ answered GET /languages with HTTP 404: not found; it does not look like a LibreTranslate server: check --endpoint"
        );
        let e = s.malformed("GET /languages", &reply(200, "<html>\n<body>"), "a list");
        assert!(
            e.to_string().contains("(it begins \"<html> <body>\")"),
            "{e}"
        );
        assert!(
            s.malformed("GET /x", &reply(200, " "), "JSON")
                .to_string()
                .contains("an empty body")
        );
    }

    #[test]
    fn busy_statuses_are_transient_and_others_are_not() {
        let s = site();
        for code in [408, 429, 500, 503, 529] {
            assert!(matches!(
                s.busy(&reply(code, ""), "m"),
                Some(EngineError::Transient { .. })
            ));
        }
        for code in [400, 401, 403, 404, 456] {
            assert!(s.busy(&reply(code, ""), "m").is_none());
        }
    }

    #[test]
    fn advice_follows_the_kind() {
        let s = site();
        let auth = s.advise(EngineError::fatal(StopKind::Auth, "refused"));
        assert_eq!(
            auth.to_string(),
            "refused; check the key in LIBRETRANSLATE_API_KEY (or TRANSMEND_API_KEY, or the --api-key-file)"
        );
        let quota = s.advise(EngineError::fatal(StopKind::Quota, "used up"));
        assert_eq!(quota.to_string(), "used up; wait");
        let down = s.advise(EngineError::fatal(StopKind::Unavailable, "down"));
        assert_eq!(down.to_string(), "down");
        let transient = s.advise(EngineError::transient("busy"));
        assert!(matches!(transient, EngineError::Transient { .. }));
    }
}
