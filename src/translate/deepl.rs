//! DeepL API v2: `POST /v2/translate` (JSON, `text` array, `Authorization: DeepL-Auth-Key`),
//! batches of at most 50 texts and 128 KiB. The termbase becomes a native DeepL glossary
//! (`/v2/glossaries`, TSV) named by a hash of its content, so an existing one is found and
//! reused instead of created again; it is polled until `ready`. With a glossary `source_lang`
//! is always sent. 456 means the quota is used up: the run stops.
//!
//! The preflight asks `GET /v2/usage` (free, checks the key): a used-up character quota stops
//! the run before any work, as a 456 would at the first batch.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use futures_util::future::BoxFuture;
use reqwest::header::{AUTHORIZATION, HeaderValue};
use reqwest::{RequestBuilder, Url};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::cache::hex;
use super::engine::{Batch, Engine, EngineError, GlossarySupport, Limits};
use super::http::{Http, Reply, classify, join};
use super::preflight::Site;
use super::secret::Secret;
use crate::glossary::Glossary;

/// Endpoint of Free accounts (keys ending in `:fx`).
pub const FREE_ENDPOINT: &str = "https://api-free.deepl.com";
/// Endpoint of Pro accounts.
pub const PRO_ENDPOINT: &str = "https://api.deepl.com";

/// The endpoint a key belongs to.
pub fn endpoint_for(key: &Secret) -> &'static str {
    if key.expose().ends_with(":fx") {
        FREE_ENDPOINT
    } else {
        PRO_ENDPOINT
    }
}

/// The DeepL service.
#[derive(Debug)]
pub struct DeepL {
    http: Http,
    base: Url,
    key: Secret,
    /// Glossary id per (source, target), `None` when the termbase has no entry for the pair.
    glossaries: Mutex<HashMap<(String, String), Option<String>>>,
    /// How long to wait for a glossary to become ready.
    ready_timeout: Duration,
}

#[derive(Serialize)]
struct TranslateRequest<'a> {
    text: &'a [String],
    source_lang: String,
    target_lang: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    glossary_id: Option<String>,
}

#[derive(Serialize)]
struct GlossaryRequest<'a> {
    name: &'a str,
    source_lang: &'a str,
    target_lang: &'a str,
    entries: &'a str,
    entries_format: &'static str,
}

/// DeepL's code for a target language: English and Portuguese need a variant.
fn target_code(lang: &str) -> String {
    match lang {
        "en" => "EN-GB".into(),
        "pt" => "PT-PT".into(),
        "zh" => "ZH-HANS".into(),
        "zh-Hant" | "zh-TW" | "zh-HK" => "ZH-HANT".into(),
        other => other.to_ascii_uppercase(),
    }
}

impl DeepL {
    pub(crate) fn new(http: Http, base: Url, key: Secret, ready_timeout: Duration) -> DeepL {
        DeepL {
            http,
            base,
            key,
            glossaries: Mutex::new(HashMap::new()),
            ready_timeout,
        }
    }

    fn authorized(&self, request: RequestBuilder) -> RequestBuilder {
        match HeaderValue::from_str(&format!("DeepL-Auth-Key {}", self.key.expose())) {
            Ok(mut value) => {
                value.set_sensitive(true);
                request.header(AUTHORIZATION, value)
            }
            Err(_) => request,
        }
    }

    fn error(&self, reply: &Reply) -> EngineError {
        classify("DeepL", reply, &self.key.scrub(&reply.message()))
    }

    async fn json(&self, request: RequestBuilder) -> Result<serde_json::Value, EngineError> {
        let reply = self.http.send(self.authorized(request)).await?;
        if !reply.status.is_success() {
            return Err(self.error(&reply));
        }
        serde_json::from_slice(&reply.body)
            .map_err(|e| EngineError::transient(format!("DeepL sent a malformed answer: {e}")))
    }

    /// `GET /v2/usage`: the key works and the quota is not used up.
    async fn check(&self) -> Result<(), EngineError> {
        let site = Site::new(
            "DeepL API",
            &self.base,
            "DEEPL_AUTH_KEY",
            "wait for the next billing period or raise the limit in your DeepL account",
        )
        .with_key_advice(
            "; a Free key ends in :fx and belongs to https://api-free.deepl.com, a Pro key to https://api.deepl.com",
        );
        const USAGE: &str = "GET /v2/usage";
        let request = self.authorized(self.http.client().get(join(&self.base, "/v2/usage")));
        let reply = site.ask(&self.http, request).await?;
        if !reply.status.is_success() {
            let message = self.key.scrub(&reply.message());
            return Err(match reply.status.as_u16() {
                404 | 405 => site.missing(USAGE, &reply, &message),
                _ => site
                    .busy(&reply, &message)
                    .unwrap_or_else(|| site.advise(self.error(&reply))),
            });
        }
        let Ok(usage) = serde_json::from_slice::<serde_json::Value>(&reply.body) else {
            return Err(site.malformed(USAGE, &reply, "JSON"));
        };
        if !usage.is_object() {
            return Err(site.malformed(USAGE, &reply, "a JSON object"));
        }
        match used_up(&usage) {
            Some((count, limit)) => Err(site.quota(&format!(
                "DeepL quota exceeded: {count} of {limit} characters used in this billing period"
            ))),
            None => Ok(()),
        }
    }

    async fn call(&self, batch: &Batch) -> Result<Vec<String>, EngineError> {
        let glossary_id = self
            .glossaries
            .lock()
            .ok()
            .and_then(|g| {
                g.get(&(batch.source_lang.clone(), batch.target_lang.clone()))
                    .cloned()
            })
            .flatten();
        let body = TranslateRequest {
            text: &batch.texts,
            source_lang: batch.source_lang.to_ascii_uppercase(),
            target_lang: target_code(&batch.target_lang),
            glossary_id,
        };
        let request = self
            .http
            .client()
            .post(join(&self.base, "/v2/translate"))
            .json(&body);
        let value = self.json(request).await?;
        let Some(items) = value["translations"].as_array() else {
            return Err(EngineError::transient("DeepL's answer has no translations"));
        };
        items
            .iter()
            .map(|t| {
                t["text"]
                    .as_str()
                    .map(str::to_string)
                    .ok_or_else(|| EngineError::bad_batch("DeepL sent a translation without text"))
            })
            .collect()
    }

    /// Finds or creates the glossary for the pair and waits until it is ready.
    async fn ensure_glossary(
        &self,
        source: &str,
        target: &str,
        glossary: &Glossary,
    ) -> Result<(), EngineError> {
        let pair = (source.to_string(), target.to_string());
        if self
            .glossaries
            .lock()
            .map(|g| g.contains_key(&pair))
            .unwrap_or(false)
        {
            return Ok(());
        }
        // A DeepL glossary holds the glossary's own (Simplified) forms: for a Traditional
        // target the terms are enforced by placeholders in the target's script instead.
        let id = if crate::hanzi::target(target).is_some() {
            tracing::info!(
                source,
                target,
                "no DeepL glossary for a Traditional Chinese target"
            );
            None
        } else {
            match crate::glossary::deepl::export(glossary, source, target) {
                Ok(tsv) => Some(self.find_or_create(source, target, &tsv).await?),
                Err(e) => {
                    tracing::info!(source, target, "no DeepL glossary for this pair: {e}");
                    None
                }
            }
        };
        if let Ok(mut g) = self.glossaries.lock() {
            g.insert(pair, id);
        }
        Ok(())
    }

    async fn find_or_create(
        &self,
        source: &str,
        target: &str,
        tsv: &str,
    ) -> Result<String, EngineError> {
        let name = glossary_name(source, target, tsv);
        let list = self
            .json(self.http.client().get(join(&self.base, "/v2/glossaries")))
            .await?;
        let existing = list["glossaries"].as_array().and_then(|all| {
            all.iter().find(|g| {
                g["name"].as_str() == Some(name.as_str())
                    && g["source_lang"]
                        .as_str()
                        .map(str::to_ascii_lowercase)
                        .as_deref()
                        == Some(source)
                    && g["target_lang"]
                        .as_str()
                        .map(str::to_ascii_lowercase)
                        .as_deref()
                        == Some(target)
            })
        });
        let (id, mut ready) = match existing {
            Some(g) => (id_of(g)?, g["ready"].as_bool().unwrap_or(false)),
            None => {
                let body = GlossaryRequest {
                    name: &name,
                    source_lang: source,
                    target_lang: target,
                    entries: tsv,
                    entries_format: "tsv",
                };
                let created = self
                    .json(
                        self.http
                            .client()
                            .post(join(&self.base, "/v2/glossaries"))
                            .json(&body),
                    )
                    .await?;
                tracing::info!(name, "created a DeepL glossary");
                (
                    id_of(&created)?,
                    created["ready"].as_bool().unwrap_or(false),
                )
            }
        };
        let started = Instant::now();
        let mut pause = Duration::from_millis(100);
        while !ready {
            if started.elapsed() > self.ready_timeout {
                return Err(EngineError::transient(format!(
                    "the DeepL glossary {name} was not ready after {} s",
                    self.ready_timeout.as_secs()
                )));
            }
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(Duration::from_secs(2));
            let path = format!("/v2/glossaries/{id}");
            let g = self
                .json(self.http.client().get(join(&self.base, &path)))
                .await?;
            ready = g["ready"].as_bool().unwrap_or(false);
        }
        Ok(id)
    }
}

/// `(count, limit)` when a usage answer shows the character quota used up, for the account
/// or (Pro) for this key. A missing or zero limit means none is known.
fn used_up(usage: &serde_json::Value) -> Option<(u64, u64)> {
    [
        ("character_count", "character_limit"),
        ("api_key_character_count", "api_key_character_limit"),
    ]
    .into_iter()
    .find_map(|(count, limit)| {
        let count = usage[count].as_u64()?;
        let limit = usage[limit].as_u64().filter(|l| *l > 0)?;
        (count >= limit).then_some((count, limit))
    })
}

fn id_of(g: &serde_json::Value) -> Result<String, EngineError> {
    g["glossary_id"]
        .as_str()
        .filter(|id| {
            !id.is_empty()
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .map(str::to_string)
        .ok_or_else(|| EngineError::transient("DeepL sent a glossary without a valid id"))
}

/// `transmend-<hash>`: the same entries for the same pair always give the same name.
pub(crate) fn glossary_name(source: &str, target: &str, tsv: &str) -> String {
    let mut h = Sha256::new();
    for part in [source, target, tsv] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    format!("transmend-{}", &hex(&h.finalize())[..16])
}

impl Engine for DeepL {
    fn name(&self) -> &'static str {
        "deepl"
    }

    fn identity(&self) -> String {
        format!("deepl {}", self.base)
    }

    fn limits(&self) -> Limits {
        // 128 KiB for the whole body; leave room for JSON escaping and the other fields.
        Limits {
            max_texts: 50,
            max_bytes: 96 << 10,
        }
    }

    fn glossary_support(&self) -> GlossarySupport {
        GlossarySupport::Native
    }

    fn preflight(&self) -> BoxFuture<'_, Result<(), EngineError>> {
        Box::pin(self.check())
    }

    fn prepare<'a>(
        &'a self,
        source_lang: &'a str,
        target_lang: &'a str,
        glossary: &'a Glossary,
    ) -> BoxFuture<'a, Result<(), EngineError>> {
        Box::pin(self.ensure_glossary(source_lang, target_lang, glossary))
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
    fn free_keys_use_the_free_endpoint() {
        assert_eq!(endpoint_for(&Secret::new("abc:fx")), FREE_ENDPOINT);
        assert_eq!(endpoint_for(&Secret::new("abc")), PRO_ENDPOINT);
    }

    #[test]
    fn glossary_names_follow_content() {
        let a = glossary_name("zh", "en", "工党\tLabour Party\n");
        assert_eq!(a, glossary_name("zh", "en", "工党\tLabour Party\n"));
        assert_ne!(a, glossary_name("zh", "en", "工党\tLabour\n"));
        assert!(a.starts_with("transmend-") && a.len() == 26);
    }

    #[test]
    fn usage_at_the_limit_is_used_up() {
        let usage = |v: serde_json::Value| used_up(&v);
        assert_eq!(
            usage(serde_json::json!({"character_count": 180118, "character_limit": 1250000})),
            None
        );
        assert_eq!(
            usage(serde_json::json!({"character_count": 500000, "character_limit": 500000})),
            Some((500000, 500000))
        );
        assert_eq!(
            usage(
                serde_json::json!({"character_count": 10, "character_limit": 1000000000000u64,
                "api_key_character_count": 70, "api_key_character_limit": 50})
            ),
            Some((70, 50))
        );
        assert_eq!(usage(serde_json::json!({"character_count": 5})), None);
        assert_eq!(
            usage(serde_json::json!({"character_count": 5, "character_limit": 0})),
            None
        );
        assert_eq!(usage(serde_json::json!({})), None);
    }

    #[test]
    fn target_codes() {
        assert_eq!(target_code("en"), "EN-GB");
        assert_eq!(target_code("de"), "DE");
        assert_eq!(target_code("zh"), "ZH-HANS");
        for traditional in ["zh-Hant", "zh-TW", "zh-HK"] {
            assert_eq!(target_code(traditional), "ZH-HANT");
        }
    }
}
