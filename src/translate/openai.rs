//! OpenAI-compatible chat completions (OpenAI, vLLM, llama.cpp, Ollama):
//! `POST /v1/chat/completions`, `Authorization: Bearer`. The system message holds the
//! instructions and the glossary entries that occur in the batch; the user message is exactly
//! `{"source_lang":..,"target_lang":..,"segments":[..]}`; the answer is asked for as
//! `{"translations":[..]}` through `response_format` json_schema, falling back to json_object and
//! then to the prompt alone on servers that refuse them. `<think>` blocks and code fences are
//! stripped; a cut-off answer or a wrong count fails the batch, which is then split.
//!
//! The preflight asks `GET /v1/models`: a server that lists its models and not `--model` stops
//! the run, naming some it has. A server without the listing (404, 405, 501) or with one in
//! another shape is let through; so is a single-model llama.cpp server, which answers whatever
//! model name it is sent.

use std::sync::atomic::{AtomicU8, Ordering};

use futures_util::future::BoxFuture;
use reqwest::Url;
use serde::Serialize;
use serde_json::{Value, json};

use super::engine::{Batch, Engine, EngineError, GlossarySupport, Limits, StopKind};
use super::http::{Http, Reply, classify, join};
use super::preflight::Site;
use super::secret::Secret;
use crate::lang::name as lang_name;

/// OpenAI's own endpoint, used when no `--endpoint` is given.
pub const DEFAULT_ENDPOINT: &str = "https://api.openai.com";
/// The model when `--model` is not given.
pub const DEFAULT_MODEL: &str = "gpt-4o-mini";
/// Changes whenever the prompt changes, so cached answers to an older prompt are not reused.
pub const PROMPT_VERSION: u32 = 1;

/// How the answer's shape is requested.
const SCHEMA: u8 = 0;
const JSON_OBJECT: u8 = 1;
const PLAIN: u8 = 2;

/// An OpenAI-compatible server and model.
#[derive(Debug)]
pub struct OpenAi {
    http: Http,
    base: Url,
    key: Option<Secret>,
    model: String,
    /// [`SCHEMA`], [`JSON_OBJECT`] or [`PLAIN`]: lowered once a server refuses a form.
    format: AtomicU8,
}

#[derive(Serialize)]
struct UserMessage<'a> {
    source_lang: &'a str,
    target_lang: &'a str,
    segments: &'a [String],
}

impl OpenAi {
    pub(crate) fn new(http: Http, base: Url, key: Option<Secret>, model: String) -> OpenAi {
        // The documented path carries /v1; accept a base URL that already ends with it.
        let mut base = base;
        let path = base.path().trim_end_matches('/').to_string();
        if let Some(stripped) = path.strip_suffix("/v1") {
            base.set_path(stripped);
        }
        OpenAi {
            http,
            base,
            key,
            model,
            format: AtomicU8::new(SCHEMA),
        }
    }

    fn system_message(batch: &Batch) -> String {
        let mut s = format!(
            "You translate text from {src} to {tgt}.\n\
             The user sends a JSON object whose \"segments\" array holds {n} text segment(s).\n\
             Reply with JSON only: an object {{\"translations\": [...]}} whose array holds exactly {n} \
             string(s), the {tgt} translation of each segment in the same order. Never merge, split, \
             drop or add segments, and add no notes or explanations.\n\
             Tokens such as {{t0}} or {{t1}} are placeholders, and {{m0}} or {{m1}} mark where \
             formatting sits: copy each one unchanged into the translation of its segment, the \
             {{m...}} tokens around the words they enclose and in the same order.",
            src = lang_name(&batch.source_lang),
            tgt = lang_name(&batch.target_lang),
            n = batch.texts.len(),
        );
        if !batch.terms.is_empty() {
            s.push_str(
                "\nGlossary: wherever a source term below occurs, translate it with exactly the given target term.\n\
                 | Source term | Target term |\n|---|---|\n",
            );
            for (source, target) in &batch.terms {
                s.push_str(&format!("| {source} | {target} |\n"));
            }
        }
        s
    }

    fn body(&self, batch: &Batch, format: u8) -> Value {
        let user = serde_json::to_string(&UserMessage {
            source_lang: &batch.source_lang,
            target_lang: &batch.target_lang,
            segments: &batch.texts,
        })
        .unwrap_or_default();
        let mut body = json!({
            "model": self.model,
            "temperature": 0,
            "messages": [
                {"role": "system", "content": Self::system_message(batch)},
                {"role": "user", "content": user},
            ],
        });
        let response_format = match format {
            SCHEMA => Some(json!({
                "type": "json_schema",
                "json_schema": {
                    "name": "translations",
                    "strict": true,
                    "schema": {
                        "type": "object",
                        "properties": {
                            "translations": {"type": "array", "items": {"type": "string"}}
                        },
                        "required": ["translations"],
                        "additionalProperties": false
                    }
                }
            })),
            JSON_OBJECT => Some(json!({"type": "json_object"})),
            _ => None,
        };
        if let Some(rf) = response_format {
            body["response_format"] = rf;
        }
        body
    }

    async fn call(&self, batch: &Batch) -> Result<Vec<String>, EngineError> {
        loop {
            let format = self.format.load(Ordering::Relaxed);
            let mut request = self
                .http
                .client()
                .post(join(&self.base, "/v1/chat/completions"))
                .json(&self.body(batch, format));
            if let Some(key) = &self.key {
                request = request.bearer_auth(key.expose());
            }
            let reply = self.http.send(request).await?;
            if reply.status.is_success() {
                return parse(&reply.body, batch.texts.len());
            }
            let message = self.scrub(&reply.message());
            if format < PLAIN && refuses_format(&reply, &message) {
                tracing::info!(
                    format,
                    "the server refused the response_format; trying a simpler one"
                );
                let _ = self.format.compare_exchange(
                    format,
                    format + 1,
                    Ordering::Relaxed,
                    Ordering::Relaxed,
                );
                continue;
            }
            return Err(self.error(&reply, &message));
        }
    }

    /// `GET /v1/models`: the key works and, where the server lists its models, the model is
    /// among them.
    async fn check(&self) -> Result<(), EngineError> {
        let site = Site::new(
            "OpenAI-compatible server",
            &self.base,
            "OPENAI_API_KEY",
            "add credit or raise the limit of the account, then run again",
        );
        let mut request = self.http.client().get(join(&self.base, "/v1/models"));
        if let Some(key) = &self.key {
            request = request.bearer_auth(key.expose());
        }
        let reply = site.ask(&self.http, request).await?;
        if !reply.status.is_success() {
            let message = self.scrub(&reply.message());
            return match reply.status.as_u16() {
                404 | 405 | 501 => {
                    tracing::info!("the server does not list its models; the model is not checked");
                    Ok(())
                }
                _ => Err(site
                    .busy(&reply, &message)
                    .unwrap_or_else(|| site.advise(self.error(&reply, &message)))),
            };
        }
        match check_model(&reply.body, &self.model) {
            ModelCheck::Listed | ModelCheck::Unchecked => Ok(()),
            ModelCheck::Missing { available, total } => {
                let more = total - available.len();
                let listed = if available.is_empty() {
                    "it lists no models".to_string()
                } else if more > 0 {
                    format!("it has {}, and {more} more", available.join(", "))
                } else {
                    format!("it has {}", available.join(", "))
                };
                Err(EngineError::fatal(
                    StopKind::Rejected,
                    self.scrub(&format!(
                        "the OpenAI-compatible server at {} has no model '{}' ({listed}); pass one it has with --model, or load that model on the server",
                        site.url(),
                        self.model
                    )),
                ))
            }
        }
    }

    fn error(&self, reply: &Reply, message: &str) -> EngineError {
        let body: Value = serde_json::from_slice(&reply.body).unwrap_or(Value::Null);
        let code = body["error"]["code"].as_str().unwrap_or_default();
        let kind = body["error"]["type"].as_str().unwrap_or_default();
        if code == "insufficient_quota" || kind == "insufficient_quota" {
            return EngineError::fatal(
                StopKind::Quota,
                format!("OpenAI quota exceeded (insufficient_quota: {message})"),
            );
        }
        if code == "context_length_exceeded" || message.contains("maximum context length") {
            return EngineError::bad_batch(format!(
                "the batch is too long for the model: {message}"
            ));
        }
        classify("the OpenAI-compatible server", reply, message)
    }

    fn scrub(&self, text: &str) -> String {
        match &self.key {
            Some(k) => k.scrub(text),
            None => text.to_string(),
        }
    }
}

/// At most this many model names are named when `--model` is not among them.
const MODELS_SHOWN: usize = 10;

/// What a `/v1/models` listing says of a model.
#[derive(Debug, PartialEq)]
enum ModelCheck {
    Listed,
    /// The answer cannot tell: another shape, or a server that ignores the name.
    Unchecked,
    /// Not listed; the first [`MODELS_SHOWN`] names, and how many there are.
    Missing {
        available: Vec<String>,
        total: usize,
    },
}

/// Looks `model` up in a `/v1/models` answer (`{"data":[{"id":..}, ..]}`). Ollama's `name`
/// means `name:latest`; llama.cpp's `aliases` count too. A llama.cpp server with one model and
/// no router (entries without `status`) answers whatever name it is sent: unchecked.
fn check_model(body: &[u8], model: &str) -> ModelCheck {
    let Ok(value) = serde_json::from_slice::<Value>(body) else {
        tracing::info!("the model list is not JSON; the model is not checked");
        return ModelCheck::Unchecked;
    };
    let Some(entries) = value["data"].as_array() else {
        tracing::info!("the model list has no data array; the model is not checked");
        return ModelCheck::Unchecked;
    };
    let single_llamacpp = entries.len() == 1
        && entries[0]["owned_by"].as_str() == Some("llamacpp")
        && entries[0].get("status").is_none();
    if single_llamacpp {
        return ModelCheck::Unchecked;
    }
    let same = |id: &str| {
        id == model
            || id.strip_suffix(":latest") == Some(model)
            || model.strip_suffix(":latest") == Some(id)
    };
    let mut ids: Vec<String> = Vec::new();
    for entry in entries {
        let Some(id) = entry["id"].as_str() else {
            continue;
        };
        let aliases = entry["aliases"].as_array();
        if same(id) || aliases.is_some_and(|a| a.iter().filter_map(Value::as_str).any(same)) {
            return ModelCheck::Listed;
        }
        ids.push(id.chars().filter(|c| !c.is_control()).collect());
    }
    ids.sort();
    let total = ids.len();
    ids.truncate(MODELS_SHOWN);
    ModelCheck::Missing {
        available: ids,
        total,
    }
}

/// Whether an error answer says the server does not support the requested `response_format`.
fn refuses_format(reply: &Reply, message: &str) -> bool {
    let code = reply.status.as_u16();
    let lower = message.to_lowercase();
    matches!(code, 400 | 422 | 501)
        && ["response_format", "json_schema", "json_object", "schema"]
            .iter()
            .any(|w| lower.contains(w))
}

/// The translations in a chat completion.
fn parse(body: &[u8], expected: usize) -> Result<Vec<String>, EngineError> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| EngineError::transient(format!("the server sent a malformed answer: {e}")))?;
    let choice = &value["choices"][0];
    if choice.is_null() {
        return Err(EngineError::transient("the answer has no choices"));
    }
    if choice["finish_reason"].as_str() == Some("length") {
        return Err(EngineError::bad_batch(
            "the model's answer was cut off (finish_reason: length)",
        ));
    }
    if let Some(refusal) = choice["message"]["refusal"].as_str() {
        return Err(EngineError::bad_batch(format!(
            "the model refused: {refusal}"
        )));
    }
    let content = choice["message"]["content"].as_str().unwrap_or_default();
    let translations = extract(content)
        .ok_or_else(|| EngineError::bad_batch("the model's answer is not the requested JSON"))?;
    if translations.len() != expected {
        return Err(EngineError::bad_batch(format!(
            "the model sent {} translations for {expected} segments",
            translations.len()
        )));
    }
    Ok(translations)
}

/// The `translations` array (or a bare array of strings) in a model's text, after removing
/// `<think>` blocks and Markdown code fences.
pub(crate) fn extract(content: &str) -> Option<Vec<String>> {
    let text = strip_think(content)?;
    let text = strip_fences(text.trim());
    let value: Value = serde_json::from_str(text).ok().or_else(|| {
        let start = text.find(['{', '['])?;
        let end = text.rfind(['}', ']'])?;
        (start < end)
            .then(|| serde_json::from_str(&text[start..=end]).ok())
            .flatten()
    })?;
    let items = match &value {
        Value::Array(items) => items,
        Value::Object(_) => value["translations"].as_array()?,
        _ => return None,
    };
    items
        .iter()
        .map(|v| v.as_str().map(str::to_string))
        .collect()
}

/// Removes every `<think>…</think>` block; `None` when one is never closed (cut off).
fn strip_think(content: &str) -> Option<String> {
    let mut out = String::with_capacity(content.len());
    let mut rest = content;
    while let Some(start) = rest.find("<think>") {
        out.push_str(&rest[..start]);
        let after = &rest[start + "<think>".len()..];
        let end = after.find("</think>")?;
        rest = &after[end + "</think>".len()..];
    }
    out.push_str(rest);
    Some(out)
}

/// The inside of a ```` ``` ```` or ```` ```json ```` fence around the whole text.
fn strip_fences(text: &str) -> &str {
    let Some(inner) = text.strip_prefix("```") else {
        return text;
    };
    let inner = inner.strip_suffix("```").unwrap_or(inner);
    match inner.find('\n') {
        Some(nl) if !inner[..nl].contains(['{', '[']) => inner[nl + 1..].trim(),
        _ => inner.trim(),
    }
}

impl Engine for OpenAi {
    fn name(&self) -> &'static str {
        "openai"
    }

    fn identity(&self) -> String {
        format!(
            "openai {} model={} prompt=v{PROMPT_VERSION}",
            self.base, self.model
        )
    }

    fn limits(&self) -> Limits {
        Limits {
            max_texts: 40,
            max_bytes: 12 << 10,
        }
    }

    fn glossary_support(&self) -> GlossarySupport {
        GlossarySupport::Prompt
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
    fn extracts_from_fences_and_think_blocks() {
        let want = vec!["Labour Party".to_string(), "NEC".to_string()];
        assert_eq!(
            extract(r#"{"translations":["Labour Party","NEC"]}"#),
            Some(want.clone())
        );
        assert_eq!(
            extract("```json\n{\"translations\":[\"Labour Party\",\"NEC\"]}\n```"),
            Some(want.clone())
        );
        assert_eq!(
            extract("<think>hmm {\"x\":1}</think>\n```\n[\"Labour Party\",\"NEC\"]\n```"),
            Some(want.clone())
        );
        assert_eq!(
            extract("Sure! Here it is: {\"translations\":[\"Labour Party\",\"NEC\"]} Enjoy."),
            Some(want)
        );
        assert_eq!(extract("<think>never ends {\"translations\":[]}"), None);
        assert_eq!(extract("{\"translations\":[1,2]}"), None);
    }

    #[test]
    fn cut_off_and_wrong_counts_fail_the_batch() {
        let answer = |content: &str, finish: &str| {
            json!({"choices":[{"index":0,"message":{"role":"assistant","content":content},"finish_reason":finish}]})
                .to_string()
        };
        let ok = answer(r#"{"translations":["a","b"]}"#, "stop");
        assert_eq!(parse(ok.as_bytes(), 2).unwrap(), ["a", "b"]);
        assert!(matches!(
            parse(ok.as_bytes(), 3),
            Err(EngineError::BadBatch { .. })
        ));
        let cut = answer(r#"{"translations":["a","#, "length");
        assert!(matches!(
            parse(cut.as_bytes(), 2),
            Err(EngineError::BadBatch { .. })
        ));
    }

    #[test]
    fn models_are_looked_up_in_the_listing() {
        let list = |ids: &[&str]| {
            json!({"object": "list", "data": ids.iter().map(|id| json!({"id": id, "object": "model", "owned_by": "library"})).collect::<Vec<_>>()})
                .to_string()
        };
        let body = list(&["qwen2.5:latest", "llama3.1:8b"]);
        assert_eq!(check_model(body.as_bytes(), "qwen2.5"), ModelCheck::Listed);
        assert_eq!(
            check_model(body.as_bytes(), "llama3.1:8b"),
            ModelCheck::Listed
        );
        assert_eq!(
            check_model(body.as_bytes(), "llama3.1"),
            ModelCheck::Missing {
                available: vec!["llama3.1:8b".into(), "qwen2.5:latest".into()],
                total: 2
            }
        );
        let many: Vec<String> = (0..25).map(|i| format!("m{i:02}")).collect();
        let refs: Vec<&str> = many.iter().map(String::as_str).collect();
        let ModelCheck::Missing { available, total } = check_model(list(&refs).as_bytes(), "gpt-x")
        else {
            panic!("listed");
        };
        assert_eq!((available.len(), total), (MODELS_SHOWN, 25));
        assert_eq!(available[0], "m00");
        assert_eq!(
            check_model(list(&[]).as_bytes(), "m"),
            ModelCheck::Missing {
                available: vec![],
                total: 0
            }
        );
    }

    #[test]
    fn unknown_shapes_and_single_model_llamacpp_are_unchecked() {
        assert_eq!(check_model(b"<html>", "m"), ModelCheck::Unchecked);
        assert_eq!(check_model(br#"{"models":[]}"#, "m"), ModelCheck::Unchecked);
        let llama = json!({"object": "list", "data": [{"id": "models/q.gguf", "object": "model", "owned_by": "llamacpp"}]});
        assert_eq!(
            check_model(llama.to_string().as_bytes(), "qwen2.5"),
            ModelCheck::Unchecked
        );
        let router = json!({"object": "list", "data": [{"id": "q", "owned_by": "llamacpp", "aliases": ["qwen"], "status": {"value": "loaded"}}]});
        assert_eq!(
            check_model(router.to_string().as_bytes(), "qwen"),
            ModelCheck::Listed
        );
        assert!(matches!(
            check_model(router.to_string().as_bytes(), "other"),
            ModelCheck::Missing { .. }
        ));
    }

    #[test]
    fn the_user_message_is_exactly_the_json_object() {
        let http = Http::new(&super::super::http::HttpOptions::default()).unwrap();
        let engine = OpenAi::new(
            http,
            Url::parse("http://127.0.0.1:1/v1/").unwrap(),
            None,
            "m".into(),
        );
        assert_eq!(engine.base.as_str(), "http://127.0.0.1:1/");
        let batch = Batch {
            source_lang: "zh".into(),
            target_lang: "en".into(),
            texts: vec!["工党".into()],
            terms: vec![("工党".into(), "Labour Party".into())],
        };
        let body = engine.body(&batch, SCHEMA);
        assert_eq!(
            body["messages"][1]["content"],
            r#"{"source_lang":"zh","target_lang":"en","segments":["工党"]}"#
        );
        assert!(
            body["messages"][0]["content"]
                .as_str()
                .unwrap()
                .contains("| 工党 | Labour Party |")
        );
        assert_eq!(body["response_format"]["type"], "json_schema");
        assert!(engine.body(&batch, PLAIN).get("response_format").is_none());
    }
}
