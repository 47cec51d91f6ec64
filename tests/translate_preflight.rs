//! The preflight against the loopback emulator: each engine's free question, and every way it
//! can fail (bad key, used-up quota, unknown model, rate limit, a server that keeps failing, a
//! port nobody listens on, an answer that is not the service's) turned into the right stop,
//! with nothing translated.
#![allow(clippy::unwrap_used)]

mod emulator;

use std::sync::Mutex;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use emulator::{Emulator, Fault};
use transmend::translate::{
    self, Engine, EngineConfig, EngineKind, HttpOptions, Policy, Progress, Secret, Silent, Stop,
    StopKind,
};

/// Retries with pauses short enough for tests.
fn policy() -> Policy {
    Policy {
        max_retries: 2,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
        ..Policy::default()
    }
}

fn engine(kind: EngineKind, url: &str, key: Option<&str>, model: &str) -> Box<dyn Engine> {
    translate::build_engine(&EngineConfig {
        kind,
        endpoint: Some(url.to_string()),
        model: Some(model.into()),
        key: key.map(Secret::new),
        http: HttpOptions {
            timeout: Duration::from_millis(1000),
            connect_timeout: Duration::from_millis(1000),
            ..HttpOptions::default()
        },
    })
    .unwrap()
}

async fn preflight(engine: &dyn Engine) -> Result<(), Stop> {
    translate::preflight(engine, &policy(), &Silent).await
}

/// Nothing was sent to be translated, so nothing was paid for.
fn nothing_translated(emu: &Emulator) {
    assert_eq!(emu.state.translate_requests.load(Ordering::SeqCst), 0);
    assert_eq!(emu.state.served_total(), 0);
}

/// Counts the retries the preflight reports.
#[derive(Default)]
struct Retries(Mutex<Vec<String>>);

impl Progress for Retries {
    fn retry(&self, reason: &str) {
        self.0.lock().unwrap().push(reason.to_string());
    }
}

#[tokio::test]
async fn every_engine_passes_its_preflight_with_a_free_question() {
    // LibreTranslate: the language list, then an empty translation to check the key.
    let emu = Emulator::start().await;
    *emu.state.key.lock().unwrap() = Some("lt-key".into());
    let lt = engine(EngineKind::LibreTranslate, &emu.url(), Some("lt-key"), "m");
    assert_eq!(preflight(lt.as_ref()).await, Ok(()));
    assert_eq!(emu.state.requests_to("/languages")[0].method, "GET");
    let probe = emu.state.requests_to("/translate");
    assert_eq!(probe.len(), 1);
    assert_eq!(probe[0].json()["q"], "");
    assert_eq!(probe[0].json()["api_key"], "lt-key");
    nothing_translated(&emu);

    // DeepL: the usage, with the key in the header.
    let emu = Emulator::start().await;
    *emu.state.key.lock().unwrap() = Some("dl-key:fx".into());
    let dl = engine(EngineKind::DeepL, &emu.url(), Some("dl-key:fx"), "m");
    assert_eq!(preflight(dl.as_ref()).await, Ok(()));
    let usage = emu.state.requests_to("/v2/usage");
    assert_eq!(usage.len(), 1);
    assert_eq!(
        usage[0].header("authorization"),
        Some("DeepL-Auth-Key dl-key:fx")
    );
    assert_eq!(emu.state.log.lock().unwrap().len(), 1);
    nothing_translated(&emu);

    // OpenAI-compatible: the model list, the model among them (Ollama's `:latest` too).
    let emu = Emulator::start().await;
    *emu.state.key.lock().unwrap() = Some("sk-key".into());
    *emu.state.models.lock().unwrap() = Some(vec!["llama3.1:8b".into(), "qwen2.5:latest".into()]);
    for model in ["qwen2.5", "qwen2.5:latest", "llama3.1:8b"] {
        let oa = engine(EngineKind::OpenAi, &emu.url(), Some("sk-key"), model);
        assert_eq!(preflight(oa.as_ref()).await, Ok(()), "{model}");
    }
    let models = emu.state.requests_to("/v1/models");
    assert_eq!(models.len(), 3);
    assert_eq!(models[0].header("authorization"), Some("Bearer sk-key"));
    nothing_translated(&emu);

    // Google: the language list, with the key as a query parameter.
    let emu = Emulator::start().await;
    *emu.state.key.lock().unwrap() = Some("g-key".into());
    let g = engine(EngineKind::Google, &emu.url(), Some("g-key"), "m");
    assert_eq!(preflight(g.as_ref()).await, Ok(()));
    let languages = emu.state.requests_to("/language/translate/v2/languages");
    assert_eq!(languages.len(), 1);
    assert_eq!(languages[0].query, "key=g-key");
    assert_eq!(emu.state.log.lock().unwrap().len(), 1);
    nothing_translated(&emu);
}

#[tokio::test]
async fn a_refused_key_is_an_auth_stop_at_once_without_the_key() {
    let emu = Emulator::start().await;
    *emu.state.key.lock().unwrap() = Some("right".into());
    *emu.state.models.lock().unwrap() = Some(vec!["test-model".into()]);
    let cases = [
        (EngineKind::LibreTranslate, "/translate", "Invalid API key"),
        (EngineKind::DeepL, "/v2/usage", "Wrong key"),
        (EngineKind::OpenAi, "/v1/models", "Incorrect API key"),
        (
            EngineKind::Google,
            "/language/translate/v2/languages",
            "API key not valid",
        ),
    ];
    for (kind, path, said) in cases {
        let e = engine(kind, &emu.url(), Some("wrong-key-123"), "test-model");
        let stop = preflight(e.as_ref()).await.unwrap_err();
        assert_eq!(stop.kind, StopKind::Auth, "{kind:?}: {stop}");
        assert!(stop.message.contains(said), "{stop}");
        assert!(stop.message.contains(kind.key_variable()), "{stop}");
        assert!(!stop.message.contains("wrong-key-123"), "{stop}");
        assert_eq!(
            emu.state.requests_to(path).len(),
            1,
            "not retried: {kind:?}"
        );
    }
    let deepl = engine(EngineKind::DeepL, &emu.url(), Some("wrong:fx"), "m");
    let stop = preflight(deepl.as_ref()).await.unwrap_err();
    assert!(stop.message.contains("a Free key ends in :fx"), "{stop}");

    // A LibreTranslate server that wants a key, given none (400, not 403).
    let lt = engine(EngineKind::LibreTranslate, &emu.url(), None, "m");
    let stop = preflight(lt.as_ref()).await.unwrap_err();
    assert_eq!(stop.kind, StopKind::Auth);
    assert!(stop.message.contains("needs an API key"), "{stop}");
    assert!(stop.message.contains("LIBRETRANSLATE_API_KEY"), "{stop}");

    // vLLM's plain-string 401.
    *emu.state.vllm_auth.lock().unwrap() = true;
    let oa = engine(EngineKind::OpenAi, &emu.url(), None, "test-model");
    let stop = preflight(oa.as_ref()).await.unwrap_err();
    assert_eq!(stop.kind, StopKind::Auth);
    assert!(stop.message.contains("Unauthorized"), "{stop}");
    nothing_translated(&emu);
}

#[tokio::test]
async fn a_used_up_deepl_quota_stops_before_any_work() {
    let emu = Emulator::start().await;
    *emu.state.quota.lock().unwrap() = Some(500_000);
    emu.state.used_before.store(500_000, Ordering::SeqCst);
    let dl = engine(EngineKind::DeepL, &emu.url(), Some("k:fx"), "m");
    let stop = preflight(dl.as_ref()).await.unwrap_err();
    assert_eq!(stop.kind, StopKind::Quota);
    assert!(
        stop.message
            .contains("DeepL quota exceeded: 500000 of 500000 characters"),
        "{stop}"
    );
    assert!(stop.message.contains("billing period"), "{stop}");
    assert_eq!(emu.state.requests_to("/v2/usage").len(), 1);

    // One character left is not used up: the run may go on (and stop at the 456 later).
    emu.state.used_before.store(499_999, Ordering::SeqCst);
    assert_eq!(preflight(dl.as_ref()).await, Ok(()));

    // A 456 on the usage question itself is the same stop.
    emu.state
        .preflight_fault(Fault::status(456, r#"{"message":"Quota Exceeded"}"#));
    let stop = preflight(dl.as_ref()).await.unwrap_err();
    assert_eq!(stop.kind, StopKind::Quota);
    assert!(stop.message.contains("HTTP 456"), "{stop}");
    nothing_translated(&emu);
}

#[tokio::test]
async fn an_unknown_model_stops_naming_models_the_server_has() {
    let emu = Emulator::start().await;
    let listed: Vec<String> = (1..=12).map(|i| format!("model-{i:02}")).collect();
    *emu.state.models.lock().unwrap() = Some(listed);
    let oa = engine(EngineKind::OpenAi, &emu.url(), None, "gpt-4o-mini");
    let stop = preflight(oa.as_ref()).await.unwrap_err();
    assert_eq!(stop.kind, StopKind::Rejected);
    let m = &stop.message;
    assert!(m.contains(&format!("at {}/", emu.url())), "{m}");
    assert!(m.contains("no model 'gpt-4o-mini'"), "{m}");
    assert!(
        m.contains("model-01, model-02") && m.contains("model-10"),
        "{m}"
    );
    assert!(!m.contains("model-11") && m.contains("and 2 more"), "{m}");
    assert!(m.contains("--model"), "{m}");
    assert_eq!(emu.state.requests_to("/v1/models").len(), 1, "not retried");

    *emu.state.models.lock().unwrap() = Some(Vec::new());
    let stop = preflight(oa.as_ref()).await.unwrap_err();
    assert!(stop.message.contains("it lists no models"), "{stop}");
    nothing_translated(&emu);
}

#[tokio::test]
async fn servers_without_a_usable_model_list_are_let_through() {
    let emu = Emulator::start().await;
    let oa = engine(EngineKind::OpenAi, &emu.url(), None, "anything");
    // No /v1/models at all (404).
    assert_eq!(preflight(oa.as_ref()).await, Ok(()));
    // 405 and 501 likewise.
    *emu.state.models.lock().unwrap() = Some(vec!["other".into()]);
    emu.state
        .preflight_fault(Fault::status(405, r#"{"error":"Method Not Allowed"}"#));
    assert_eq!(preflight(oa.as_ref()).await, Ok(()));
    emu.state
        .preflight_fault(Fault::status(501, r#"{"error":"not implemented"}"#));
    assert_eq!(preflight(oa.as_ref()).await, Ok(()));
    // A listing that is not JSON or has no `data`: the model cannot be checked here.
    emu.state.preflight_fault(Fault::Truncated);
    assert_eq!(preflight(oa.as_ref()).await, Ok(()));
    emu.state
        .preflight_fault(Fault::status(200, r#"{"models":["other"]}"#));
    assert_eq!(preflight(oa.as_ref()).await, Ok(()));
    // A single-model llama.cpp server answers whatever model name it is sent.
    *emu.state.models_owner.lock().unwrap() = Some("llamacpp".into());
    assert_eq!(preflight(oa.as_ref()).await, Ok(()));
    nothing_translated(&emu);
}

#[tokio::test]
async fn a_rate_limit_is_waited_out_as_the_server_asks() {
    let emu = Emulator::start().await;
    emu.state.preflight_fault(
        Fault::status(429, r#"{"message":"Too many requests"}"#).with_header("Retry-After", "1"),
    );
    let dl = engine(EngineKind::DeepL, &emu.url(), Some("k"), "m");
    let retries = Retries::default();
    let started = Instant::now();
    let result = translate::preflight(dl.as_ref(), &policy(), &retries).await;
    assert_eq!(result, Ok(()));
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After honoured"
    );
    assert_eq!(emu.state.preflight_requests.load(Ordering::SeqCst), 2);
    let heard = retries.0.lock().unwrap().clone();
    assert_eq!(heard.len(), 1);
    assert!(heard[0].contains("HTTP 429"), "{heard:?}");

    // OpenAI's retry-after-ms and a timed-out answer are retried the same way.
    *emu.state.models.lock().unwrap() = Some(vec!["m".into()]);
    emu.state.preflight_fault(
        Fault::status(
            429,
            r#"{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}"#,
        )
        .with_header("retry-after-ms", "50"),
    );
    emu.state
        .preflight_fault(Fault::Slow(Duration::from_millis(1500)));
    let oa = engine(EngineKind::OpenAi, &emu.url(), None, "m");
    assert_eq!(preflight(oa.as_ref()).await, Ok(()));
    assert_eq!(emu.state.requests_to("/v1/models").len(), 3);
    nothing_translated(&emu);
}

#[tokio::test]
async fn a_server_that_keeps_failing_is_unavailable_after_the_retries() {
    let emu = Emulator::start().await;
    for _ in 0..10 {
        emu.state
            .preflight_fault(Fault::status(503, "<html>Service Unavailable</html>"));
    }
    let lt = engine(EngineKind::LibreTranslate, &emu.url(), None, "m");
    let stop = preflight(lt.as_ref()).await.unwrap_err();
    assert_eq!(stop.kind, StopKind::Unavailable);
    let m = &stop.message;
    assert!(
        m.contains(&format!("LibreTranslate server at {}/", emu.url())),
        "{m}"
    );
    assert!(m.contains("HTTP 503"), "{m}");
    assert!(m.contains("gave up after 2 retries"), "{m}");
    assert!(m.contains("try again later"), "{m}");
    assert_eq!(emu.state.preflight_requests.load(Ordering::SeqCst), 3);
    nothing_translated(&emu);
}

#[tokio::test]
async fn nobody_listening_is_unavailable_at_once_naming_the_endpoint() {
    // A port that was free a moment ago: connecting is refused.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{port}");
    for kind in EngineKind::ALL {
        let e = engine(kind, &url, Some("secret-key-9"), "m");
        let started = Instant::now();
        // The default policy: a retried refusal would take many seconds.
        let stop = translate::preflight(e.as_ref(), &Policy::default(), &Silent)
            .await
            .unwrap_err();
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "{kind:?}: {:?}",
            started.elapsed()
        );
        assert_eq!(stop.kind, StopKind::Unavailable, "{stop}");
        let m = &stop.message;
        assert!(m.starts_with("cannot reach the "), "{m}");
        assert!(m.contains(&format!("at {url}/: connection refused")), "{m}");
        assert!(m.contains("check --endpoint"), "{m}");
        assert!(!m.contains("secret-key-9"), "{m}");
    }
}

#[tokio::test]
async fn an_answer_that_is_not_the_service_s_stops_at_once() {
    let emu = Emulator::start().await;
    let page = "<!doctype html><html><body>Welcome to nginx!</body></html>";
    emu.state.preflight_fault(Fault::status(200, page));
    let lt = engine(EngineKind::LibreTranslate, &emu.url(), None, "m");
    let stop = preflight(lt.as_ref()).await.unwrap_err();
    assert_eq!(stop.kind, StopKind::Rejected);
    assert!(
        stop.message
            .contains("it does not look like a LibreTranslate server: check --endpoint"),
        "{stop}"
    );
    assert!(stop.message.contains("<!doctype html>"), "{stop}");
    assert_eq!(emu.state.preflight_requests.load(Ordering::SeqCst), 1);

    emu.state.preflight_fault(Fault::Truncated);
    let dl = engine(EngineKind::DeepL, &emu.url(), Some("k"), "m");
    let stop = preflight(dl.as_ref()).await.unwrap_err();
    assert_eq!(stop.kind, StopKind::Rejected);
    assert!(stop.message.contains("a DeepL API"), "{stop}");

    emu.state.preflight_fault(Fault::status(200, "{}"));
    let g = engine(EngineKind::Google, &emu.url(), Some("k"), "m");
    let stop = preflight(g.as_ref()).await.unwrap_err();
    assert_eq!(stop.kind, StopKind::Rejected);
    assert!(
        stop.message.contains("Google Cloud Translation API"),
        "{stop}"
    );

    // A path the server does not have: not the service, or the wrong base URL.
    let dl = engine(
        EngineKind::DeepL,
        &format!("{}/nope", emu.url()),
        Some("k"),
        "m",
    );
    let stop = preflight(dl.as_ref()).await.unwrap_err();
    assert_eq!(stop.kind, StopKind::Rejected);
    assert!(
        stop.message
            .contains("/nope answered GET /v2/usage with HTTP 404"),
        "{stop}"
    );
    // A body cut off in transit is a network failure: asked again.
    emu.state.preflight_fault(Fault::Cut);
    let lt = engine(EngineKind::LibreTranslate, &emu.url(), None, "m");
    assert_eq!(preflight(lt.as_ref()).await, Ok(()));
    nothing_translated(&emu);
}
