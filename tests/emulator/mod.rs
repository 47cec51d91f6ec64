//! A loopback emulator of the four translation services (LibreTranslate, DeepL v2 with
//! glossaries, OpenAI-compatible chat completions, Google v2), speaking their wire formats and
//! their failures on demand. It "translates" by a fixed rule that ignores glossaries (except
//! DeepL's native one, which it applies partly), and counts what it was paid to translate.
//! It also answers the free questions the preflight asks (LibreTranslate `GET /languages`,
//! DeepL `GET /v2/usage`, OpenAI `GET /v1/models`, Google `GET …/v2/languages`), with their
//! own faults.
#![allow(dead_code, unreachable_pub, clippy::unwrap_used)]

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A failure to give instead of the next translation answer.
#[derive(Debug, Clone)]
pub enum Fault {
    /// This status, body and headers.
    Status {
        code: u16,
        body: String,
        headers: Vec<(String, String)>,
    },
    /// A 200 whose JSON is cut in the middle.
    Truncated,
    /// A 200 with one translation too few.
    OneShort,
    /// Answer only after this long (longer than the client's timeout).
    Slow(Duration),
    /// OpenAI: `finish_reason: "length"` with a cut-off content.
    Length,
    /// The connection closes in the middle of the body (shorter than its Content-Length).
    Cut,
}

impl Fault {
    pub fn status(code: u16, body: &str) -> Fault {
        Fault::Status {
            code,
            body: body.to_string(),
            headers: Vec::new(),
        }
    }

    pub fn with_header(self, name: &str, value: &str) -> Fault {
        match self {
            Fault::Status {
                code,
                body,
                mut headers,
            } => {
                headers.push((name.to_string(), value.to_string()));
                Fault::Status {
                    code,
                    body,
                    headers,
                }
            }
            other => other,
        }
    }
}

/// One request as received.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub query: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
}

#[derive(Debug, Clone)]
struct StoredGlossary {
    id: String,
    name: String,
    source: String,
    target: String,
    entries: Vec<(String, String)>,
    polls: usize,
}

/// Settings and counters, shared with the test.
#[derive(Debug, Default)]
pub struct State {
    /// The key the service expects (None: no auth).
    pub key: Mutex<Option<String>>,
    /// Faults for the next translation requests, one each.
    pub faults: Mutex<VecDeque<Fault>>,
    /// Pause before every answer.
    pub latency: Mutex<Duration>,
    /// Once this many texts were translated, further translation requests hang (kill tests).
    pub hold_after: Mutex<Option<usize>>,
    /// Characters a DeepL/OpenAI/Google account may translate; beyond: the quota error.
    pub quota: Mutex<Option<usize>>,
    /// OpenAI answers wrapped in ``` fences / preceded by a <think> block.
    pub fenced: Mutex<bool>,
    pub think: Mutex<bool>,
    /// OpenAI server refuses `response_format` json_schema (400) like an older server.
    pub no_json_schema: Mutex<bool>,
    /// OpenAI server refuses any `response_format` (400), like a server without JSON modes.
    pub no_response_format: Mutex<bool>,
    /// OpenAI model applies the glossary table of the system prompt (as a model that follows
    /// instructions does), with the same literal replacement as DeepL's native glossary.
    pub follows_prompt_glossary: Mutex<bool>,
    /// vLLM-style 401 body (`{"error":"Unauthorized"}`).
    pub vllm_auth: Mutex<bool>,
    /// Faults for the next preflight questions (the GETs above), one each.
    pub preflight_faults: Mutex<VecDeque<Fault>>,
    /// Preflight questions received (faults included).
    pub preflight_requests: AtomicUsize,
    /// Characters the account had used before (DeepL usage and every quota check).
    pub used_before: AtomicUsize,
    /// The models `GET /v1/models` lists; `None`: the server has no such endpoint (404).
    pub models: Mutex<Option<Vec<String>>>,
    /// `owned_by` of the listed models (`llamacpp` for a llama.cpp server).
    pub models_owner: Mutex<Option<String>>,
    /// Source terms the DeepL emulator leaves out when applying a glossary.
    pub deepl_ignores: Mutex<Vec<String>>,
    /// Every request.
    pub log: Mutex<Vec<Recorded>>,
    /// Texts translated (in answers that were sent in full) and how often.
    pub served: Mutex<HashMap<String, usize>>,
    pub served_chars: AtomicUsize,
    /// Translation requests received (faults included).
    pub translate_requests: AtomicUsize,
    /// Requests being answered now, and those of them held (see `hold_after`).
    pub active: AtomicUsize,
    pub held: AtomicUsize,
    /// Connections accepted and not yet closed.
    pub open: AtomicUsize,
    /// The most translation requests answered at once.
    pub max_active: AtomicUsize,
    glossaries: Mutex<Vec<StoredGlossary>>,
}

impl State {
    pub fn fault(&self, f: Fault) {
        self.faults.lock().unwrap().push_back(f);
    }

    pub fn preflight_fault(&self, f: Fault) {
        self.preflight_faults.lock().unwrap().push_back(f);
    }

    pub fn served_total(&self) -> usize {
        self.served.lock().unwrap().values().sum()
    }

    /// Texts served more than once.
    pub fn served_twice(&self) -> Vec<String> {
        self.served
            .lock()
            .unwrap()
            .iter()
            .filter(|(_, n)| **n > 1)
            .map(|(t, _)| t.clone())
            .collect()
    }

    pub fn requests_to(&self, path: &str) -> Vec<Recorded> {
        self.log
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.path == path)
            .cloned()
            .collect()
    }

    /// Whether every request being answered is held: nothing more will be served.
    pub fn quiescent(&self) -> bool {
        self.active.load(Ordering::SeqCst) == self.held.load(Ordering::SeqCst)
    }

    /// Whether every open connection is waiting in a held request: after a client is killed,
    /// anything it had sent but the emulator had not yet read has been read and held (and
    /// the rest of its connections closed), so releasing the hold cannot serve a dead client.
    pub fn drained(&self) -> bool {
        self.open.load(Ordering::SeqCst) == self.held.load(Ordering::SeqCst)
    }

    pub fn glossary_count(&self) -> usize {
        self.glossaries.lock().unwrap().len()
    }

    fn record_served(&self, texts: &[String]) {
        let mut served = self.served.lock().unwrap();
        for t in texts {
            *served.entry(t.clone()).or_default() += 1;
            self.served_chars
                .fetch_add(t.chars().count(), Ordering::SeqCst);
        }
    }
}

/// A running emulator; stops when dropped.
pub struct Emulator {
    pub addr: SocketAddr,
    pub state: Arc<State>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Emulator {
    /// Starts on 127.0.0.1 on a free port, on the current tokio runtime.
    pub async fn start() -> Emulator {
        Emulator::start_on(0).await
    }

    /// Starts on 127.0.0.1:`port` (0: any free port).
    pub async fn start_on(port: u16) -> Emulator {
        let listener = TcpListener::bind(("127.0.0.1", port)).await.unwrap();
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(State::default());
        let shared = state.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let state = shared.clone();
                state.open.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(async move {
                    let _ = serve(stream, state.clone()).await;
                    state.open.fetch_sub(1, Ordering::SeqCst);
                });
            }
        });
        Emulator { addr, state, task }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

/// An emulator on its own thread and runtime, for tests that run the binary synchronously.
pub struct Background {
    pub url: String,
    pub state: Arc<State>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Background {
    pub fn start() -> Background {
        let (tx, rx) = std::sync::mpsc::channel();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let emulator = Emulator::start().await;
                tx.send((emulator.url(), emulator.state.clone())).unwrap();
                let _ = stop_rx.await;
                drop(emulator);
            });
            rt.shutdown_timeout(Duration::from_millis(100));
        });
        let (url, state) = rx.recv().unwrap();
        Background {
            url,
            state,
            stop: Some(stop_tx),
            thread: Some(thread),
        }
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

struct Response {
    code: u16,
    body: String,
    headers: Vec<(String, String)>,
    /// Send only half the body, then close the connection.
    cut: bool,
}

fn reply(code: u16, body: Value) -> Response {
    Response {
        code,
        body: body.to_string(),
        headers: Vec::new(),
        cut: false,
    }
}

async fn serve(mut stream: TcpStream, state: Arc<State>) -> std::io::Result<()> {
    let mut buf: Vec<u8> = Vec::new();
    loop {
        let head_end = loop {
            if let Some(i) = find(&buf, b"\r\n\r\n") {
                break i;
            }
            let mut chunk = [0u8; 8192];
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                return Ok(());
            }
            buf.extend_from_slice(&chunk[..n]);
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
        let mut lines = head.split("\r\n");
        let request_line = lines.next().unwrap_or_default();
        let mut parts = request_line.split(' ');
        let method = parts.next().unwrap_or_default().to_string();
        let target = parts.next().unwrap_or_default().to_string();
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let length: usize = headers
            .iter()
            .find(|(n, _)| n == "content-length")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        let body_start = head_end + 4;
        while buf.len() < body_start + length {
            let mut chunk = [0u8; 8192];
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                return Ok(());
            }
            buf.extend_from_slice(&chunk[..n]);
        }
        let body = String::from_utf8_lossy(&buf[body_start..body_start + length]).to_string();
        buf.drain(..body_start + length);
        let (path, query) = match target.split_once('?') {
            Some((p, q)) => (p.to_string(), q.to_string()),
            None => (target.clone(), String::new()),
        };
        let request = Recorded {
            method,
            path,
            query,
            headers,
            body,
        };
        state.log.lock().unwrap().push(request.clone());
        state.active.fetch_add(1, Ordering::SeqCst);
        let latency = *state.latency.lock().unwrap();
        if !latency.is_zero() {
            tokio::time::sleep(latency).await;
        }
        let response = route(&state, &request).await;
        let mut out = format!(
            "HTTP/1.1 {} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n",
            response.code,
            response.body.len()
        );
        for (n, v) in &response.headers {
            out.push_str(&format!("{n}: {v}\r\n"));
        }
        out.push_str("\r\n");
        out.push_str(&response.body);
        let bytes = if response.cut {
            &out.as_bytes()[..out.len() - response.body.len() / 2]
        } else {
            out.as_bytes()
        };
        let written = stream.write_all(bytes).await;
        state.active.fetch_sub(1, Ordering::SeqCst);
        written?;
        if response.cut {
            return Ok(());
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The emulator's "translation": known Chinese terms get wrong or right English, every text is
/// marked as English; placeholders such as {t0} pass through untouched.
pub fn fake_translate(text: &str, glossary: &[(String, String)]) -> String {
    let mut out = text.to_string();
    for (source, target) in glossary {
        out = out.replace(source.as_str(), target);
    }
    for (zh, en) in [
        ("工党", "Workers' Party"),
        ("全国执行委员会", "National Executive Council"),
        ("派对", "party (celebration)"),
    ] {
        out = out.replace(zh, en);
    }
    format!("EN: {out}")
}

async fn route(state: &State, r: &Recorded) -> Response {
    match (r.method.as_str(), r.path.as_str()) {
        ("POST", "/translate") => libre(state, r).await,
        ("POST", "/v2/translate") => deepl_translate(state, r).await,
        ("GET", "/v2/glossaries") => deepl_list(state, r),
        ("POST", "/v2/glossaries") => deepl_create(state, r),
        ("GET", p) if p.starts_with("/v2/glossaries/") => deepl_get(state, r),
        ("POST", "/v1/chat/completions") => openai(state, r).await,
        ("POST", "/language/translate/v2") => google(state, r).await,
        ("GET", "/languages") => libre_languages(state).await,
        ("GET", "/v2/usage") => deepl_usage(state, r).await,
        ("GET", "/v1/models") => openai_models(state, r).await,
        ("GET", "/language/translate/v2/languages") => google_languages(state, r).await,
        _ => reply(404, json!({"error": "not found"})),
    }
}

/// What to do with a translation request before translating: a fault, a hold, or go on.
async fn intercept(state: &State) -> Option<Fault> {
    state.translate_requests.fetch_add(1, Ordering::SeqCst);
    state
        .max_active
        .fetch_max(state.active.load(Ordering::SeqCst), Ordering::SeqCst);
    let hold = *state.hold_after.lock().unwrap();
    if let Some(n) = hold
        && state.served_total() >= n
    {
        // Hang (bounded) until the client goes away, then fail: a held request is never paid.
        state.held.fetch_add(1, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_secs(30)).await;
        state.held.fetch_sub(1, Ordering::SeqCst);
        return Some(Fault::status(503, r#"{"error":"held"}"#));
    }
    let fault = state.faults.lock().unwrap().pop_front();
    if let Some(Fault::Slow(d)) = &fault {
        tokio::time::sleep(*d).await;
    }
    fault
}

/// The answer for a fault; a slow answer comes too late to be paid for.
fn faulty(fault: Fault, good: Value, short: Value) -> Response {
    fault_response(fault, good.clone(), short).unwrap_or_else(|| reply(200, good))
}

fn fault_response(fault: Fault, good: Value, short: Value) -> Option<Response> {
    match fault {
        Fault::Status {
            code,
            body,
            headers,
        } => Some(Response {
            code,
            body,
            headers,
            cut: false,
        }),
        Fault::Truncated => {
            let s = good.to_string();
            Some(Response {
                code: 200,
                body: s[..s.len() / 2].to_string(),
                headers: Vec::new(),
                cut: false,
            })
        }
        Fault::Cut => Some(Response {
            cut: true,
            ..reply(200, good)
        }),
        Fault::OneShort => Some(reply(200, short)),
        Fault::Slow(_) | Fault::Length => None,
    }
}

/// The answer to a preflight question: its next fault, or `good`. Never paid for.
async fn preflight_answer(state: &State, good: Value) -> Response {
    state.preflight_requests.fetch_add(1, Ordering::SeqCst);
    let fault = state.preflight_faults.lock().unwrap().pop_front();
    if let Some(Fault::Slow(d)) = &fault {
        tokio::time::sleep(*d).await;
    }
    match fault {
        Some(f) => faulty(f, good, json!(null)),
        None => reply(200, good),
    }
}

/// Characters the account has used: before the test, and served since.
fn used(state: &State) -> usize {
    state.used_before.load(Ordering::SeqCst) + state.served_chars.load(Ordering::SeqCst)
}

fn over_quota(state: &State, texts: &[String]) -> bool {
    let chars: usize = texts.iter().map(|t| t.chars().count()).sum();
    state
        .quota
        .lock()
        .unwrap()
        .is_some_and(|q| used(state) + chars > q)
}

/// LibreTranslate `GET /languages`: no key asked, exempt from rate limits.
async fn libre_languages(state: &State) -> Response {
    let list = json!([
        {"code": "en", "name": "English", "targets": ["zh"]},
        {"code": "zh", "name": "Chinese", "targets": ["en"]},
    ]);
    preflight_answer(state, list).await
}

/// DeepL `GET /v2/usage`: the characters used and the limit (the quota, else Free's 500,000).
async fn deepl_usage(state: &State, r: &Recorded) -> Response {
    if let Some(resp) = deepl_auth(state, r) {
        return resp;
    }
    let limit = state.quota.lock().unwrap().unwrap_or(500_000);
    let usage = json!({"character_count": used(state), "character_limit": limit});
    preflight_answer(state, usage).await
}

/// OpenAI `GET /v1/models`, when the server has it.
async fn openai_models(state: &State, r: &Recorded) -> Response {
    let Some(models) = state.models.lock().unwrap().clone() else {
        return reply(404, json!({"error": "not found"}));
    };
    if let Some(resp) = openai_auth(state, r) {
        return resp;
    }
    let owner = state
        .models_owner
        .lock()
        .unwrap()
        .clone()
        .unwrap_or_else(|| "organization-owner".into());
    let data: Vec<Value> = models
        .iter()
        .map(|id| json!({"id": id, "object": "model", "created": 1, "owned_by": owner}))
        .collect();
    preflight_answer(state, json!({"object": "list", "data": data})).await
}

/// Google `GET /language/translate/v2/languages?key=`.
async fn google_languages(state: &State, r: &Recorded) -> Response {
    if let Some(resp) = google_auth(state, r) {
        return resp;
    }
    let list = json!({"data": {"languages": [{"language": "en"}, {"language": "zh-CN"}]}});
    preflight_answer(state, list).await
}

fn strings(v: &Value) -> Vec<String> {
    match v {
        Value::Array(items) => items
            .iter()
            .map(|s| s.as_str().unwrap_or_default().to_string())
            .collect(),
        Value::String(s) => vec![s.clone()],
        _ => Vec::new(),
    }
}

async fn libre(state: &State, r: &Recorded) -> Response {
    let body = r.json();
    let expected = state.key.lock().unwrap().clone();
    if let Some(key) = expected {
        match body["api_key"].as_str() {
            None => {
                return reply(
                    400,
                    json!({"error": "Visit https://portal.example to get an API key"}),
                );
            }
            Some(k) if k != key => return reply(403, json!({"error": "Invalid API key"})),
            _ => {}
        }
    }
    // Python's `if not q`: absent, null, "" and [] are all missing.
    let missing = match &body["q"] {
        Value::String(s) => s.is_empty(),
        Value::Array(items) => items.is_empty(),
        _ => true,
    };
    if missing {
        return reply(
            400,
            json!({"error": "Invalid request: missing q parameter"}),
        );
    }
    let texts = strings(&body["q"]);
    let out: Vec<String> = texts.iter().map(|t| fake_translate(t, &[])).collect();
    let good = json!({"translatedText": out});
    let short = json!({"translatedText": out[..out.len() - 1]});
    if let Some(f) = intercept(state).await {
        return faulty(f, good, short);
    }
    state.record_served(&texts);
    reply(200, good)
}

fn deepl_auth(state: &State, r: &Recorded) -> Option<Response> {
    let expected = state.key.lock().unwrap().clone()?;
    let given = r.header("authorization").unwrap_or_default();
    (given != format!("DeepL-Auth-Key {expected}"))
        .then(|| reply(403, json!({"message": "Forbidden. Wrong key."})))
}

async fn deepl_translate(state: &State, r: &Recorded) -> Response {
    if let Some(resp) = deepl_auth(state, r) {
        return resp;
    }
    let body = r.json();
    let texts = strings(&body["text"]);
    if r.body.len() > 128 * 1024 {
        return reply(413, json!({"message": "Request Entity Too Large"}));
    }
    let mut glossary = Vec::new();
    if let Some(id) = body["glossary_id"].as_str() {
        if body["source_lang"].is_null() {
            return reply(
                400,
                json!({"message": "Value for 'source_lang' required when using a glossary"}),
            );
        }
        let stored = state.glossaries.lock().unwrap();
        let Some(g) = stored.iter().find(|g| g.id == id) else {
            return reply(404, json!({"message": "Glossary not found"}));
        };
        if g.polls == 0 {
            return reply(400, json!({"message": "Glossary is not ready"}));
        }
        let ignores = state.deepl_ignores.lock().unwrap();
        glossary = g
            .entries
            .iter()
            .filter(|(s, _)| !ignores.contains(s))
            .cloned()
            .collect();
    }
    let out: Vec<Value> = texts
        .iter()
        .map(|t| json!({"detected_source_language": "ZH", "text": fake_translate(t, &glossary)}))
        .collect();
    let good = json!({"translations": out});
    let short = json!({"translations": out[..out.len().saturating_sub(1)]});
    if let Some(f) = intercept(state).await {
        return faulty(f, good, short);
    }
    if over_quota(state, &texts) {
        return reply(456, json!({"message": "Quota Exceeded"}));
    }
    state.record_served(&texts);
    reply(200, good)
}

fn glossary_json(g: &StoredGlossary) -> Value {
    json!({"glossary_id": g.id, "name": g.name, "ready": g.polls > 0,
           "source_lang": g.source, "target_lang": g.target,
           "creation_time": "2026-01-01T00:00:00.000Z", "entry_count": g.entries.len()})
}

fn deepl_list(state: &State, r: &Recorded) -> Response {
    if let Some(resp) = deepl_auth(state, r) {
        return resp;
    }
    let all: Vec<Value> = state
        .glossaries
        .lock()
        .unwrap()
        .iter()
        .map(glossary_json)
        .collect();
    reply(200, json!({"glossaries": all}))
}

fn deepl_create(state: &State, r: &Recorded) -> Response {
    if let Some(resp) = deepl_auth(state, r) {
        return resp;
    }
    let body = r.json();
    let mut entries = Vec::new();
    for line in body["entries"].as_str().unwrap_or_default().lines() {
        let Some((s, t)) = line.split_once('\t') else {
            return reply(400, json!({"message": "Invalid glossary entries provided"}));
        };
        entries.push((s.to_string(), t.to_string()));
    }
    let mut stored = state.glossaries.lock().unwrap();
    let g = StoredGlossary {
        id: format!("gloss-{}", stored.len() + 1),
        name: body["name"].as_str().unwrap_or_default().to_string(),
        source: body["source_lang"].as_str().unwrap_or_default().to_string(),
        target: body["target_lang"].as_str().unwrap_or_default().to_string(),
        entries,
        polls: 0,
    };
    let answer = glossary_json(&g);
    stored.push(g);
    reply(201, answer)
}

fn deepl_get(state: &State, r: &Recorded) -> Response {
    if let Some(resp) = deepl_auth(state, r) {
        return resp;
    }
    let id = r.path.trim_start_matches("/v2/glossaries/");
    let mut stored = state.glossaries.lock().unwrap();
    let Some(g) = stored.iter_mut().find(|g| g.id == id) else {
        return reply(404, json!({"message": "Glossary not found"}));
    };
    // Not ready on the first poll, ready from the second on.
    let answer = glossary_json(g);
    g.polls += 1;
    reply(200, answer)
}

fn openai_auth(state: &State, r: &Recorded) -> Option<Response> {
    let key = state.key.lock().unwrap().clone()?;
    if r.header("authorization") == Some(&format!("Bearer {key}")) {
        return None;
    }
    Some(if *state.vllm_auth.lock().unwrap() {
        reply(401, json!({"error": "Unauthorized"}))
    } else {
        reply(
            401,
            json!({"error": {"message": "Incorrect API key provided", "type": "invalid_request_error", "param": null, "code": "invalid_api_key"}}),
        )
    })
}

async fn openai(state: &State, r: &Recorded) -> Response {
    if let Some(resp) = openai_auth(state, r) {
        return resp;
    }
    let body = r.json();
    if *state.no_json_schema.lock().unwrap() && body["response_format"]["type"] == "json_schema" {
        return reply(
            400,
            json!({"error": {"message": "response_format json_schema is not supported", "type": "invalid_request_error", "param": "response_format", "code": null}}),
        );
    }
    if *state.no_response_format.lock().unwrap() && !body["response_format"].is_null() {
        return reply(
            400,
            json!({"error": {"message": "Unknown field response_format", "type": "invalid_request_error", "param": null, "code": null}}),
        );
    }
    let user: Value = serde_json::from_str(body["messages"][1]["content"].as_str().unwrap_or("{}"))
        .unwrap_or(Value::Null);
    let texts = strings(&user["segments"]);
    let glossary = if *state.follows_prompt_glossary.lock().unwrap() {
        prompt_glossary(body["messages"][0]["content"].as_str().unwrap_or_default())
    } else {
        Vec::new()
    };
    let out: Vec<String> = texts.iter().map(|t| fake_translate(t, &glossary)).collect();
    let wrap = |translations: &[String], finish: &str| {
        let mut content = json!({"translations": translations}).to_string();
        if *state.fenced.lock().unwrap() {
            content = format!("```json\n{content}\n```");
        }
        if *state.think.lock().unwrap() {
            content = format!("<think>The user wants {{\"translations\": []}}.</think>\n{content}");
        }
        json!({"id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": body["model"],
               "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": finish}],
               "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}})
    };
    let good = wrap(&out, "stop");
    let short = wrap(&out[..out.len().saturating_sub(1)], "stop");
    if let Some(f) = intercept(state).await {
        if let Fault::Length = f {
            let mut cut = good.clone();
            let content = cut["choices"][0]["message"]["content"]
                .as_str()
                .unwrap()
                .to_string();
            cut["choices"][0]["message"]["content"] = json!(content[..content.len() / 2]);
            cut["choices"][0]["finish_reason"] = json!("length");
            return reply(200, cut);
        }
        return faulty(f, good, short);
    }
    if over_quota(state, &texts) {
        return reply(
            429,
            json!({"error": {"message": "You exceeded your current quota", "type": "insufficient_quota", "param": null, "code": "insufficient_quota"}}),
        );
    }
    state.record_served(&texts);
    reply(200, good)
}

/// The `| source | target |` rows of a system prompt's glossary table, longest source first.
fn prompt_glossary(system: &str) -> Vec<(String, String)> {
    let mut rows: Vec<(String, String)> = system
        .lines()
        .filter_map(|l| l.strip_prefix("| ")?.strip_suffix(" |")?.split_once(" | "))
        .filter(|(s, _)| *s != "Source term")
        .map(|(s, t)| (s.to_string(), t.to_string()))
        .collect();
    rows.sort_by_key(|(s, _)| std::cmp::Reverse(s.chars().count()));
    rows
}

fn google_auth(state: &State, r: &Recorded) -> Option<Response> {
    let key = state.key.lock().unwrap().clone()?;
    (!r.query.split('&').any(|p| p == format!("key={key}"))).then(|| {
        reply(
            400,
            json!({"error": {"code": 400, "message": "API key not valid. Please pass a valid API key.", "errors": [{"message": "API key not valid.", "domain": "global", "reason": "badRequest"}]}}),
        )
    })
}

async fn google(state: &State, r: &Recorded) -> Response {
    if let Some(resp) = google_auth(state, r) {
        return resp;
    }
    let body = r.json();
    let texts = strings(&body["q"]);
    if texts.len() > 128 {
        return reply(
            400,
            json!({"error": {"code": 400, "message": "Too many text segments", "errors": [{"message": "Too many text segments", "domain": "global", "reason": "invalid"}]}}),
        );
    }
    let html = body["format"].as_str() != Some("text");
    let out: Vec<Value> = texts
        .iter()
        .map(|t| {
            let mut s = fake_translate(t, &[]);
            if html {
                s = s.replace('\'', "&#39;");
            }
            json!({"translatedText": s})
        })
        .collect();
    let good = json!({"data": {"translations": out}});
    let short = json!({"data": {"translations": out[..out.len().saturating_sub(1)]}});
    if let Some(f) = intercept(state).await {
        return faulty(f, good, short);
    }
    if over_quota(state, &texts) {
        return reply(
            403,
            json!({"error": {"code": 403, "message": "Daily Limit Exceeded", "errors": [{"message": "Daily Limit Exceeded", "domain": "usageLimits", "reason": "dailyLimitExceeded"}]}}),
        );
    }
    state.record_served(&texts);
    reply(200, good)
}
