//! LibreTranslate: `POST /translate` with a JSON body (`q` as an array, `api_key` in the body),
//! answered with `translatedText` as an array. It has no glossary: terms are protected by
//! placeholders. It sends no `Retry-After`, and a server that wants a key answers 400.

use futures_util::future::BoxFuture;
use reqwest::Url;
use serde::Serialize;

use super::engine::{Batch, Engine, EngineError, GlossarySupport, Limits, StopKind};
use super::http::{Http, Reply, classify, join};
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

impl LibreTranslate {
    pub(crate) fn new(http: Http, base: Url, key: Option<Secret>) -> LibreTranslate {
        LibreTranslate { http, base, key }
    }

    async fn call(&self, batch: &Batch) -> Result<Vec<String>, EngineError> {
        let body = Request {
            q: &batch.texts,
            source: &batch.source_lang,
            target: &batch.target_lang,
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
        classify("LibreTranslate", reply, &message)
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
}
