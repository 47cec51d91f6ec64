//! LibreTranslate: `POST /translate` with a JSON body (`q` as an array, `api_key` in the body),
//! answered with `translatedText` as an array. It has no glossary: terms are protected by
//! placeholders. It sends no `Retry-After`, and a server that wants a key answers 400.
//!
//! The preflight asks `GET /languages` (no key, exempt from rate limits: is this a
//! LibreTranslate server?), then sends `POST /translate` with an empty `q`: the server checks
//! the key before the text, so a bad or missing key is refused (403 / 400) and a good one gets
//! "missing q parameter", with nothing translated.

use futures_util::future::BoxFuture;
use reqwest::Url;
use serde::Serialize;

use super::engine::{Batch, Engine, EngineError, GlossarySupport, Limits, StopKind};
use super::http::{Http, Reply, classify, join};
use super::preflight::Site;
use super::secret::Secret;

/// The public instance, used when no `--endpoint` is given.
pub const DEFAULT_ENDPOINT: &str = "https://libretranslate.com";

/// A LibreTranslate server.
#[derive(Debug)]
pub struct LibreTranslate {
    http: Http,
    base: Url,
    key: Option<Secret>,
}

#[derive(Serialize)]
struct Request<'a> {
    q: &'a [String],
    source: &'a str,
    target: &'a str,
    format: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    api_key: Option<&'a str>,
}

/// LibreTranslate's code for a language: `zt` for Traditional Chinese.
fn code(lang: &str) -> &str {
    match crate::hanzi::target(lang) {
        Some(_) => "zt",
        None => lang,
    }
}

impl LibreTranslate {
    pub(crate) fn new(http: Http, base: Url, key: Option<Secret>) -> LibreTranslate {
        LibreTranslate { http, base, key }
    }

    async fn call(&self, batch: &Batch) -> Result<Vec<String>, EngineError> {
        let body = Request {
            q: &batch.texts,
            source: &batch.source_lang,
            target: code(&batch.target_lang),
            format: "text",
            api_key: self.key.as_ref().map(Secret::expose),
        };
        let request = self
            .http
            .client()
            .post(join(&self.base, "/translate"))
            .json(&body);
        let reply = self.http.send(request).await?;
        if !reply.status.is_success() {
            return Err(self.error(&reply));
        }
        parse(&reply.body, batch.texts.len())
    }

    fn error(&self, reply: &Reply) -> EngineError {
        let message = self.scrub(&reply.message());
        let code = reply.status.as_u16();
        let lower = message.to_lowercase();
        if code == 400 && lower.contains("exceeds") && lower.contains("limit") {
            return EngineError::bad_batch(format!("LibreTranslate: {message}"));
        }
        if code == 400 && lower.contains("api key") {
            return EngineError::fatal(
                StopKind::Auth,
                format!(
                    "LibreTranslate needs an API key (HTTP 400: {message}); set LIBRETRANSLATE_API_KEY or --api-key-file"
                ),
            );
        }
        if code == 403 && lower.contains("limits violations") {
            // An address ban for breaking the rate limit too often, not a key problem.
            return EngineError::fatal(
                StopKind::Rejected,
                format!(
                    "LibreTranslate has banned this address for breaking its rate limits (HTTP 403: {message}); wait, then use a lower --rate or --concurrency"
                ),
            );
        }
        classify("LibreTranslate", reply, &message)
    }

    /// `GET /languages`, then an empty `POST /translate` to check the key.
    async fn check(&self) -> Result<(), EngineError> {
        let site = Site::new(
            "LibreTranslate server",
            &self.base,
            "LIBRETRANSLATE_API_KEY",
            "wait until the server's limit resets",
        );
        const LANGUAGES: &str = "GET /languages";
        let request = self.http.client().get(join(&self.base, "/languages"));
        let reply = site.ask(&self.http, request).await?;
        if !reply.status.is_success() {
            let message = self.scrub(&reply.message());
            return Err(match reply.status.as_u16() {
                404 | 405 => site.missing(LANGUAGES, &reply, &message),
                _ => site
                    .busy(&reply, &message)
                    .unwrap_or_else(|| site.advise(self.error(&reply))),
            });
        }
        if !is_language_list(&reply.body) {
            return Err(site.malformed(LANGUAGES, &reply, "a JSON list of languages"));
        }

        let mut body =
            serde_json::json!({"q": "", "source": "auto", "target": "en", "format": "text"});
        if let Some(key) = &self.key {
            body["api_key"] = key.expose().into();
        }
        let request = self
            .http
            .client()
            .post(join(&self.base, "/translate"))
            .json(&body);
        let reply = site.ask(&self.http, request).await?;
        let message = self.scrub(&reply.message());
        let lower = message.to_lowercase();
        let code = reply.status.as_u16();
        if reply.status.is_success() || code == 400 && !lower.contains("api key") {
            // 400 "missing q parameter": the key (or no key) was accepted.
            return Ok(());
        }
        if let Some(busy) = site.busy(&reply, &message) {
            return Err(busy);
        }
        // A missing key (400) and an address ban carry their own advice.
        let own_advice = code == 400 || lower.contains("limits violations");
        let error = self.error(&reply);
        Err(if own_advice {
            error
        } else {
            site.advise(error)
        })
    }

    fn scrub(&self, text: &str) -> String {
        match &self.key {
            Some(k) => k.scrub(text),
            None => text.to_string(),
        }
    }
}

/// The translations of a 200 answer: `translatedText` as an array (or a string for one text).
fn parse(body: &[u8], expected: usize) -> Result<Vec<String>, EngineError> {
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| {
        EngineError::transient(format!("LibreTranslate sent a malformed answer: {e}"))
    })?;
    match &value["translatedText"] {
        serde_json::Value::Array(items) => items
            .iter()
            .map(|v| {
                v.as_str().map(str::to_string).ok_or_else(|| {
                    EngineError::bad_batch("LibreTranslate sent a translation that is not a string")
                })
            })
            .collect(),
        serde_json::Value::String(s) if expected == 1 => Ok(vec![s.clone()]),
        _ => Err(EngineError::transient(
            "LibreTranslate's answer has no translatedText",
        )),
    }
}

/// Whether a body is `GET /languages`' answer: a JSON array of objects.
fn is_language_list(body: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| {
            v.as_array()
                .map(|a| a.iter().all(serde_json::Value::is_object))
        })
        .unwrap_or(false)
}

impl Engine for LibreTranslate {
    fn name(&self) -> &'static str {
        "libretranslate"
    }

    fn identity(&self) -> String {
        format!("libretranslate {}", self.base)
    }

    fn limits(&self) -> Limits {
        Limits {
            max_texts: 50,
            max_bytes: 64 << 10,
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
    fn parses_arrays_and_single_strings() {
        assert_eq!(
            parse(br#"{"translatedText":["a","b"]}"#, 2).unwrap(),
            ["a", "b"]
        );
        assert_eq!(parse(br#"{"translatedText":"a"}"#, 1).unwrap(), ["a"]);
        assert!(matches!(
            parse(br#"{"translatedText":["a","#, 2),
            Err(EngineError::Transient { .. })
        ));
    }

    #[test]
    fn an_address_ban_is_not_a_key_problem() {
        let http = Http::new(&super::super::http::HttpOptions::default()).unwrap();
        let engine = LibreTranslate::new(http, Url::parse("http://127.0.0.1:1").unwrap(), None);
        let reply = |body: &str| Reply {
            status: reqwest::StatusCode::FORBIDDEN,
            retry_after: None,
            body: body.as_bytes().to_vec(),
        };
        let EngineError::Fatal(ban) =
            engine.error(&reply(r#"{"error":"Too many request limits violations"}"#))
        else {
            panic!("not a stop");
        };
        assert_eq!(ban.kind, StopKind::Rejected);
        assert!(ban.message.contains("--rate"), "{}", ban.message);
        let EngineError::Fatal(key) = engine.error(&reply(r#"{"error":"Invalid API key"}"#)) else {
            panic!("not a stop");
        };
        assert_eq!(key.kind, StopKind::Auth);
    }

    #[test]
    fn a_language_list_is_an_array_of_objects() {
        assert!(is_language_list(
            br#"[{"code":"en","name":"English","targets":["zh"]}]"#
        ));
        assert!(is_language_list(b"[]"));
        assert!(!is_language_list(b"<html></html>"));
        assert!(!is_language_list(br#"{"error":"x"}"#));
        assert!(!is_language_list(br#"["en"]"#));
        assert!(!is_language_list(br#"[{"code":"en""#));
    }
}
