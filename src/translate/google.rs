//! Google Cloud Translation v2 (Basic): `POST /language/translate/v2` with a JSON body
//! (`q` up to 128 texts, `format: "text"` so no HTML entities come back) and the key as the
//! `key` query parameter. No glossary in v2: terms are protected by placeholders. A 403 is a
//! per-minute rate limit (retry) or a daily limit (stop).
//!
//! The preflight asks `GET /language/translate/v2/languages` (the supported languages; no
//! text, no characters billed), which checks the key and that the API is enabled.

use futures_util::future::BoxFuture;
use reqwest::Url;
use serde::Serialize;

use super::engine::{Batch, Engine, EngineError, GlossarySupport, Limits, StopKind};
use super::http::{Http, Reply, classify, join};
use super::preflight::Site;
use super::secret::Secret;

/// Google's endpoint, used when no `--endpoint` is given.
pub const DEFAULT_ENDPOINT: &str = "https://translation.googleapis.com";

/// The Google v2 service.
#[derive(Debug)]
pub struct Google {
    http: Http,
    base: Url,
    key: Secret,
}

#[derive(Serialize)]
struct Request<'a> {
    q: &'a [String],
    source: &'a str,
    target: &'a str,
    format: &'static str,
}

impl Google {
    pub(crate) fn new(http: Http, base: Url, key: Secret) -> Google {
        Google { http, base, key }
    }

    async fn call(&self, batch: &Batch) -> Result<Vec<String>, EngineError> {
        let mut url = join(&self.base, "/language/translate/v2");
        url.query_pairs_mut().append_pair("key", self.key.expose());
        let body = Request {
            q: &batch.texts,
            source: &batch.source_lang,
            // Google's code for Traditional Chinese is zh-TW (Hong Kong forms included).
            target: match crate::hanzi::target(&batch.target_lang) {
                Some(_) => "zh-TW",
                None => &batch.target_lang,
            },
            format: "text",
        };
        let reply = self
            .http
            .send(self.http.client().post(url).json(&body))
            .await?;
        if !reply.status.is_success() {
            return Err(self.error(&reply));
        }
        let value: serde_json::Value = serde_json::from_slice(&reply.body)
            .map_err(|e| EngineError::transient(format!("Google sent a malformed answer: {e}")))?;
        let Some(items) = value["data"]["translations"].as_array() else {
            return Err(EngineError::transient(
                "Google's answer has no translations",
            ));
        };
        items
            .iter()
            .map(|t| {
                t["translatedText"]
                    .as_str()
                    .map(str::to_string)
                    .ok_or_else(|| EngineError::bad_batch("Google sent a translation without text"))
            })
            .collect()
    }

    /// `GET /language/translate/v2/languages`: the key works and the API is enabled.
    async fn check(&self) -> Result<(), EngineError> {
        let site = Site::new(
            "Google Cloud Translation API",
            &self.base,
            "GOOGLE_API_KEY",
            "wait until the quota resets or raise it in the Google Cloud console",
        )
        .with_key_advice(", and that the Cloud Translation API is enabled for the key's project");
        const LANGUAGES: &str = "GET /language/translate/v2/languages";
        let mut url = join(&self.base, "/language/translate/v2/languages");
        url.query_pairs_mut().append_pair("key", self.key.expose());
        let reply = site.ask(&self.http, self.http.client().get(url)).await?;
        if !reply.status.is_success() {
            let message = self.key.scrub(&reply.message());
            return Err(match reply.status.as_u16() {
                404 | 405 => site.missing(LANGUAGES, &reply, &message),
                _ => site
                    .busy(&reply, &message)
                    .unwrap_or_else(|| match self.error(&reply) {
                        // The per-minute limit comes as a 403: ask again.
                        EngineError::Transient {
                            reason,
                            retry_after,
                        } => EngineError::Transient {
                            reason: format!("{reason} at {}", site.url()),
                            retry_after,
                        },
                        other => site.advise(other),
                    }),
            });
        }
        if !is_language_list(&reply.body) {
            return Err(site.malformed(LANGUAGES, &reply, "a JSON list of languages"));
        }
        Ok(())
    }

    fn error(&self, reply: &Reply) -> EngineError {
        let message = self.key.scrub(&reply.message());
        let raw = self.key.scrub(&String::from_utf8_lossy(&reply.body));
        let lower = raw.to_lowercase();
        let what = format!("HTTP {}: {message}", reply.status.as_u16());
        match reply.status.as_u16() {
            400 if lower.contains("too many text segments") || lower.contains("text too long") => {
                EngineError::bad_batch(format!("Google: {message}"))
            }
            400 if lower.contains("api key") => EngineError::fatal(
                StopKind::Auth,
                format!("Google refused the API key ({what})"),
            ),
            403 if lower.contains("daily limit") || lower.contains("dailylimitexceeded") => {
                EngineError::fatal(
                    StopKind::Quota,
                    format!("Google daily quota exceeded ({what})"),
                )
            }
            403 if lower.contains("rate limit") || lower.contains("ratelimitexceeded") => {
                EngineError::Transient {
                    reason: format!("Google rate limit ({what})"),
                    retry_after: reply.retry_after,
                }
            }
            403 if lower.contains("quota") => {
                EngineError::fatal(StopKind::Quota, format!("Google quota exceeded ({what})"))
            }
            _ => classify("Google", reply, &message),
        }
    }
}

/// Whether a body is the languages answer: `{"data":{"languages":[..]}}` as the v2 reference
/// gives it, or `{"languages":[..]}` as its guide prints it.
fn is_language_list(body: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(body)
        .map(|v| v["data"]["languages"].is_array() || v["languages"].is_array())
        .unwrap_or(false)
}

impl Engine for Google {
    fn name(&self) -> &'static str {
        "google"
    }

    fn identity(&self) -> String {
        format!("google {}", self.base)
    }

    fn limits(&self) -> Limits {
        Limits {
            max_texts: 128,
            max_bytes: 16 << 10,
        }
    }

    fn glossary_support(&self) -> GlossarySupport {
        GlossarySupport::Placeholders
    }

    fn preflight(&self) -> BoxFuture<'_, Result<(), EngineError>> {
        Box::pin(self.check())
    }

    fn translate<'a>(
        &'a self,
        batch: &'a Batch,
    ) -> BoxFuture<'a, Result<Vec<String>, EngineError>> {
        Box::pin(self.call(batch))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_language_list_in_either_documented_shape() {
        assert!(is_language_list(
            br#"{"data":{"languages":[{"language":"en"},{"language":"zh-CN"}]}}"#
        ));
        assert!(is_language_list(br#"{"languages":[{"language":"en"}]}"#));
        assert!(!is_language_list(br#"{"data":{}}"#));
        assert!(!is_language_list(b"<!doctype html>"));
    }
}
