//! The `Engine` trait every translation service implements, the batch it receives, its limits,
//! and the three ways a request can fail (retry it, split it, or stop the run).

use std::fmt;
use std::time::Duration;

use futures_util::future::BoxFuture;

use crate::glossary::Glossary;

/// One request's worth of segments, all in one language pair.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    /// BCP 47 primary subtag, e.g. `zh`.
    pub source_lang: String,
    /// BCP 47 primary subtag, e.g. `en`.
    pub target_lang: String,
    /// The texts, in order; the answer must have as many, in the same order.
    pub texts: Vec<String>,
    /// Glossary entries (source form as written in the texts, required target form) that occur
    /// in these texts: engines that take instructions put them in the prompt.
    pub terms: Vec<(String, String)>,
}

impl Batch {
    /// Characters (Unicode scalar values) of all texts: what a service bills.
    pub fn chars(&self) -> usize {
        self.texts.iter().map(|t| t.chars().count()).sum()
    }
}

/// How much one request may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Texts per request.
    pub max_texts: usize,
    /// UTF-8 bytes of all texts of a request together (a single longer text is sent alone).
    pub max_bytes: usize,
}

/// How an engine applies a glossary by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GlossarySupport {
    /// The service applies a glossary it stores (DeepL).
    Native,
    /// The terms are given as instructions (LLMs).
    Prompt,
    /// No support: terms are replaced by placeholders before sending.
    Placeholders,
}

/// Why the run stops: retrying cannot help.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopKind {
    /// The account's quota or budget is used up (DeepL 456, OpenAI `insufficient_quota`).
    Quota,
    /// The key is missing, wrong or lacks permission (401, 403).
    Auth,
    /// The service refused the request itself (400).
    Rejected,
    /// The service kept failing (5xx, timeouts, rate limits) through every retry.
    Unavailable,
}

/// A stop, with a message that names the cause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stop {
    pub kind: StopKind,
    /// E.g. "DeepL quota exceeded (HTTP 456: Quota Exceeded)".
    pub message: String,
}

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Why one request failed.
#[derive(Debug, Clone, PartialEq)]
pub enum EngineError {
    /// Worth sending again after a pause: 429, 5xx, a timeout, a broken connection or body.
    Transient {
        reason: String,
        /// What the server asked for (`Retry-After`, `retry-after-ms`).
        retry_after: Option<Duration>,
    },
    /// The answer does not fit the batch (wrong count, cut off, unparseable content, request
    /// too large): send the texts again in smaller batches.
    BadBatch { reason: String },
    /// Stop the run, keeping what is done.
    Fatal(Stop),
}

impl EngineError {
    pub(crate) fn transient(reason: impl Into<String>) -> EngineError {
        EngineError::Transient {
            reason: reason.into(),
            retry_after: None,
        }
    }

    pub(crate) fn bad_batch(reason: impl Into<String>) -> EngineError {
        EngineError::BadBatch {
            reason: reason.into(),
        }
    }

    pub(crate) fn fatal(kind: StopKind, message: impl Into<String>) -> EngineError {
        EngineError::Fatal(Stop {
            kind,
            message: message.into(),
        })
    }
}

impl fmt::Display for EngineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EngineError::Transient { reason, .. } | EngineError::BadBatch { reason } => {
                f.write_str(reason)
            }
            EngineError::Fatal(stop) => stop.fmt(f),
        }
    }
}

/// A translation service. Implementations hold their HTTP client, endpoint and key.
///
/// The methods return boxed futures so that engines can be chosen at run time
/// (`Box<dyn Engine>`). The futures need a tokio runtime (the HTTP client does).
pub trait Engine: Send + Sync {
    /// The engine id used in outputs and cache keys: `libretranslate`, `deepl`, ...
    fn name(&self) -> &'static str;

    /// What, besides the texts and languages, changes the translations: endpoint, model,
    /// prompt version. Part of every cache key; never holds the key.
    fn identity(&self) -> String;

    /// What one request may carry.
    fn limits(&self) -> Limits;

    /// How the engine applies a glossary by itself.
    fn glossary_support(&self) -> GlossarySupport;

    /// Asks the service one cheap, free question that sends no text (its languages, models
    /// or usage), so that an unreachable server, a wrong endpoint or key, an unknown model or
    /// a used-up quota is found before any document is read. Run it through
    /// [`preflight`](super::preflight()), which retries transient failures. The default asks
    /// nothing.
    fn preflight(&self) -> BoxFuture<'_, Result<(), EngineError>> {
        Box::pin(async { Ok(()) })
    }

    /// Gets ready to translate from `source_lang` to `target_lang` with `glossary` (DeepL
    /// creates or finds its stored glossary). Called once per language pair before any batch.
    fn prepare<'a>(
        &'a self,
        _source_lang: &'a str,
        _target_lang: &'a str,
        _glossary: &'a Glossary,
    ) -> BoxFuture<'a, Result<(), EngineError>> {
        Box::pin(async { Ok(()) })
    }

    /// Translates one batch; the answer has one text per input text, in order.
    fn translate<'a>(&'a self, batch: &'a Batch)
    -> BoxFuture<'a, Result<Vec<String>, EngineError>>;
}
