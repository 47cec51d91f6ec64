//! The translation stage against loopback emulators of each engine and their failures:
//! every distinct segment is paid for once, the glossary holds in every output, a rerun sends
//! nothing, and errors that retrying cannot fix stop the run keeping what is done.
#![allow(clippy::unwrap_used)]

mod emulator;

use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use emulator::{Emulator, Fault};
use transmend::document::Document;
use transmend::glossary::{self, Termbase};
use transmend::translate::{
    self, Cache, Engine, EngineConfig, EngineKind, HttpOptions, Policy, Secret, Settings, Silent,
    StopKind, Translation,
};

fn termbase() -> Termbase {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("glossary/labour.csv");
    Termbase::new(glossary::load_file(&path).unwrap()).unwrap()
}

/// Two small Chinese documents sharing a sentence.
fn documents() -> Vec<Document> {
    vec![
        Document::from_text(
            "a.zh.txt",
            "工党的全国执行委员会昨天开会了。我们是工党的成员。\n\n这是第二段，没有术语。工党领袖发表了讲话。\n\n2020",
        ),
        Document::from_text(
            "b.zh.txt",
            "我们是工党的成员。全国执行委员会的选举很重要。\n\n天气很好，大家都很高兴。",
        ),
    ]
}

fn policy() -> Policy {
    Policy {
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
        ..Policy::default()
    }
}

fn settings(policy: Policy) -> Settings {
    Settings {
        target_lang: "en".into(),
        source_lang: None,
        policy,
    }
}

fn engine(kind: EngineKind, url: &str, key: Option<&str>, timeout_ms: u64) -> Box<dyn Engine> {
    translate::build_engine(&EngineConfig {
        kind,
        endpoint: Some(url.to_string()),
        model: Some("test-model".into()),
        key: key.map(Secret::new),
        http: HttpOptions {
            timeout: Duration::from_millis(timeout_ms),
            connect_timeout: Duration::from_millis(timeout_ms),
            ..HttpOptions::default()
        },
    })
    .unwrap()
}

async fn run(
    engine: &dyn Engine,
    cache: Option<&Cache>,
    policy: Policy,
    docs: Vec<Document>,
) -> Translation {
    // The stage takes documents as the pipeline hands them on: analysed (and repaired).
    let analyses: Vec<_> = docs
        .into_iter()
        .map(|doc| transmend::analysis::analyze(doc, None))
        .collect();
    let sources: Vec<translate::Source<'_>> = analyses
        .iter()
        .map(|analysis| translate::Source {
            analysis,
            repairs: 0,
        })
        .collect();
    translate::translate_documents(
        &sources,
        &termbase(),
        engine,
        cache,
        &settings(policy),
        &Silent,
    )
    .await
}

/// Every source 工党 that is the Labour Party on its own is "Labour Party" in the target.
fn assert_glossary_holds(t: &Translation) {
    for doc in &t.documents {
        for pair in &doc.pairs {
            let target = pair.target.as_deref().unwrap();
            assert!(
                !target.contains("Workers' Party") && !target.contains("Executive Council"),
                "glossary broken: {target}"
            );
            if pair.source.contains("工党的") {
                assert!(
                    target.contains("Labour Party"),
                    "{} -> {target}",
                    pair.source
                );
            }
            if pair.source.contains("全国执行委员会") {
                assert!(
                    target.contains("National Executive Committee"),
                    "{} -> {target}",
                    pair.source
                );
            }
            assert!(pair.flags.is_empty(), "{:?}", pair.flags);
        }
    }
}

fn cache_in(dir: &tempfile::TempDir) -> Cache {
    Cache::open(&dir.path().join("cache.sqlite3")).unwrap()
}

#[tokio::test]
async fn libretranslate_survives_every_fault_and_pays_once() {
    let emu = Emulator::start().await;
    *emu.state.key.lock().unwrap() = Some("lt-secret-key".into());
    for f in [
        Fault::status(429, r#"{"error":"Slowdown: 30 per 1 minute"}"#),
        Fault::status(500, r#"{"error":"Cannot translate text"}"#),
        Fault::Truncated,
        Fault::OneShort,
        Fault::status(503, "<html>Service Unavailable</html>"),
        Fault::Slow(Duration::from_millis(4000)),
        Fault::Cut,
    ] {
        emu.state.fault(f);
    }
    let engine = engine(
        EngineKind::LibreTranslate,
        &emu.url(),
        Some("lt-secret-key"),
        1500,
    );
    let dir = tempfile::tempdir().unwrap();
    let cache = cache_in(&dir);
    let t = run(engine.as_ref(), Some(&cache), policy(), documents()).await;
    assert_eq!(t.stop, None);
    assert_eq!(t.stats.remaining, 0);
    assert_glossary_holds(&t);
    assert!(
        emu.state.served_twice().is_empty(),
        "{:?}",
        emu.state.served_twice()
    );
    // Identical segments were sent once: 6 distinct texts with letters, the shared one once.
    assert_eq!(t.stats.unique, 6);
    assert_eq!(emu.state.served_total(), 6);
    assert!(t.stats.retries >= 7, "{:?}", t.stats);
    // Placeholders, not terms, were sent.
    let sent: Vec<String> = emu.state.served.lock().unwrap().keys().cloned().collect();
    assert!(sent.iter().all(|s| !s.contains("工党")), "{sent:?}");
    for r in emu.state.requests_to("/translate") {
        let body = r.json();
        assert_eq!(body["format"], "text");
        assert_eq!(body["source"], "zh");
        assert!(body["q"].is_array());
    }
    // The letterless paragraph is copied, not sent.
    let last = t.documents[0].pairs.last().unwrap();
    assert_eq!(last.target.as_deref(), Some("2020"));

    // Rerun: everything from the cache, nothing sent.
    let before = emu.state.translate_requests.load(Ordering::SeqCst);
    let again = run(engine.as_ref(), Some(&cache), policy(), documents()).await;
    assert_eq!(emu.state.translate_requests.load(Ordering::SeqCst), before);
    assert_eq!(again.stats.requests, 0);
    assert_eq!(again.stats.chars_sent, 0);
    assert_eq!(again.documents, t.documents);
}

#[tokio::test]
async fn deepl_glossary_is_created_once_polled_and_verified() {
    let emu = Emulator::start().await;
    *emu.state.key.lock().unwrap() = Some("dl-secret:fx".into());
    // The service "forgets" one entry: verification must catch it.
    *emu.state.deepl_ignores.lock().unwrap() = vec!["全国执行委员会".into()];
    for f in [
        Fault::status(429, r#"{"message":"Too many requests"}"#),
        Fault::status(529, r#"{"message":"Too many requests"}"#),
        Fault::status(500, r#"{"message":"Internal error"}"#),
    ] {
        emu.state.fault(f);
    }
    let engine = engine(EngineKind::DeepL, &emu.url(), Some("dl-secret:fx"), 2000);
    let dir = tempfile::tempdir().unwrap();
    let cache = cache_in(&dir);
    let t = run(engine.as_ref(), Some(&cache), policy(), documents()).await;
    assert_eq!(t.stop, None, "{:?}", t.stop);
    assert_glossary_holds(&t);
    assert!(emu.state.served_twice().is_empty());
    assert_eq!(emu.state.glossary_count(), 1);
    assert_eq!(
        emu.state.requests_to("/v2/glossaries").len(),
        2,
        "list + create"
    );
    assert!(!emu.state.requests_to("/v2/glossaries/gloss-1").is_empty());
    let create = &emu.state.requests_to("/v2/glossaries")[1];
    assert_eq!(create.json()["entries_format"], "tsv");
    assert!(
        create.json()["entries"]
            .as_str()
            .unwrap()
            .contains("工党\tLabour Party\n")
    );
    for r in emu.state.requests_to("/v2/translate") {
        assert_eq!(
            r.header("authorization"),
            Some("DeepL-Auth-Key dl-secret:fx")
        );
        let body = r.json();
        assert_eq!(body["glossary_id"], "gloss-1");
        assert_eq!(body["source_lang"], "ZH");
        assert_eq!(body["target_lang"], "EN-GB");
        assert!(body["text"].as_array().unwrap().len() <= 50);
    }
    // The segments with 全国执行委员会 failed verification and were re-sent protected.
    assert_eq!(t.stats.resent_protected, 2);

    // A new run without the cache finds the glossary by its name instead of creating it.
    let again = run(engine.as_ref(), None, policy(), documents()).await;
    assert_eq!(again.stop, None);
    assert_eq!(emu.state.glossary_count(), 1);
}

#[tokio::test]
async fn deepl_quota_stops_keeps_work_and_resumes_without_paying_twice() {
    let emu = Emulator::start().await;
    *emu.state.quota.lock().unwrap() = Some(40);
    let engine = engine(EngineKind::DeepL, &emu.url(), Some("k"), 2000);
    let dir = tempfile::tempdir().unwrap();
    let cache = cache_in(&dir);
    let slow = Policy {
        concurrency: 1,
        batch_size: Some(1),
        ..policy()
    };
    let t = run(engine.as_ref(), Some(&cache), slow.clone(), documents()).await;
    let stop = t.stop.clone().unwrap();
    assert_eq!(stop.kind, StopKind::Quota);
    assert!(stop.message.contains("DeepL quota exceeded"), "{stop}");
    assert!(t.stats.remaining > 0);
    let paid = emu.state.served_total();
    assert!(paid > 0 && t.documents.iter().any(|d| !d.is_complete()));
    assert_eq!(cache.len().unwrap(), paid, "everything paid for is cached");

    *emu.state.quota.lock().unwrap() = None;
    let done = run(engine.as_ref(), Some(&cache), slow, documents()).await;
    assert_eq!(done.stop, None);
    assert!(done.documents.iter().all(|d| d.is_complete()));
    assert!(
        emu.state.served_twice().is_empty(),
        "{:?}",
        emu.state.served_twice()
    );
    assert_glossary_holds(&done);
}

#[tokio::test]
async fn openai_falls_back_strips_fences_splits_and_honours_retry_after() {
    let emu = Emulator::start().await;
    *emu.state.key.lock().unwrap() = Some("sk-test-secret".into());
    *emu.state.fenced.lock().unwrap() = true;
    *emu.state.think.lock().unwrap() = true;
    *emu.state.no_json_schema.lock().unwrap() = true;
    for f in [
        Fault::Length,
        Fault::OneShort,
        Fault::status(
            429,
            r#"{"error":{"message":"Rate limit reached","type":"requests","param":null,"code":"rate_limit_exceeded"}}"#,
        )
        .with_header("retry-after-ms", "300")
        .with_header("x-ratelimit-remaining-requests", "0")
        .with_header("x-ratelimit-reset-requests", "300ms"),
        Fault::status(
            503,
            r#"{"error":{"code":503,"message":"Loading model","type":"unavailable_error"}}"#,
        ),
        Fault::Truncated,
    ] {
        emu.state.fault(f);
    }
    let engine = engine(EngineKind::OpenAi, &emu.url(), Some("sk-test-secret"), 2000);
    let dir = tempfile::tempdir().unwrap();
    let cache = cache_in(&dir);
    let started = Instant::now();
    let t = run(engine.as_ref(), Some(&cache), policy(), documents()).await;
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(t.stop, None, "{:?}", t.stop);
    assert_glossary_holds(&t);
    assert!(
        emu.state.served_twice().is_empty(),
        "{:?}",
        emu.state.served_twice()
    );

    let requests = emu.state.requests_to("/v1/chat/completions");
    assert_eq!(requests[0].json()["response_format"]["type"], "json_schema");
    assert_eq!(requests[1].json()["response_format"]["type"], "json_object");
    assert!(
        requests[1..]
            .iter()
            .all(|r| r.json()["response_format"]["type"] == "json_object")
    );
    let first = requests[1].json();
    let user = first["messages"][1]["content"].as_str().unwrap();
    let parsed: serde_json::Value = serde_json::from_str(user).unwrap();
    assert_eq!(parsed["source_lang"], "zh");
    assert_eq!(parsed["target_lang"], "en");
    assert!(user.starts_with(r#"{"source_lang":"zh","target_lang":"en","segments":["#));
    let system = first["messages"][0]["content"].as_str().unwrap();
    assert!(system.contains("| 工党 | Labour Party |"), "{system}");
    assert!(!system.contains("天气"), "only terms in the batch");
    assert_eq!(
        requests[1].header("authorization"),
        Some("Bearer sk-test-secret")
    );
    // The emulated model ignores the glossary: the failing segments went back with placeholders.
    assert!(t.stats.resent_protected > 0);
}

#[tokio::test]
async fn openai_insufficient_quota_and_vllm_unauthorized_stop() {
    let emu = Emulator::start().await;
    *emu.state.quota.lock().unwrap() = Some(0);
    let engine_ = engine(EngineKind::OpenAi, &emu.url(), None, 2000);
    let t = run(engine_.as_ref(), None, policy(), documents()).await;
    assert_eq!(t.stop.as_ref().unwrap().kind, StopKind::Quota);
    assert!(t.stop.unwrap().message.contains("insufficient_quota"));
    assert_eq!(
        emu.state.translate_requests.load(Ordering::SeqCst),
        1,
        "no retry"
    );

    let emu = Emulator::start().await;
    *emu.state.key.lock().unwrap() = Some("right".into());
    *emu.state.vllm_auth.lock().unwrap() = true;
    let engine_ = engine(EngineKind::OpenAi, &emu.url(), Some("wrong-key-123"), 2000);
    let t = run(engine_.as_ref(), None, policy(), documents()).await;
    let stop = t.stop.unwrap();
    assert_eq!(stop.kind, StopKind::Auth);
    assert!(stop.message.contains("Unauthorized"), "{stop}");
    assert!(!stop.message.contains("wrong-key-123"));
    assert_eq!(t.stats.remaining, t.stats.unique);
    assert_eq!(emu.state.requests_to("/v1/chat/completions").len(), 1);
}

#[tokio::test]
async fn google_batches_128_sends_text_format_and_retries_rate_limits() {
    let emu = Emulator::start().await;
    *emu.state.key.lock().unwrap() = Some("g-secret-key".into());
    emu.state.fault(
        Fault::status(
            403,
            r#"{"error":{"code":403,"message":"User Rate Limit Exceeded","errors":[{"reason":"userRateLimitExceeded"}]}}"#,
        ),
    );
    emu.state.fault(
        Fault::status(
            429,
            r#"{"error":{"code":429,"message":"RESOURCE_EXHAUSTED"}}"#,
        )
        .with_header("Retry-After", "1"),
    );
    let text: String = (0..300)
        .map(|i| format!("第{i}句话说工党很好。"))
        .collect::<Vec<_>>()
        .join("\n\n");
    let docs = vec![Document::from_text("many.zh.txt", text)];
    let engine = engine(EngineKind::Google, &emu.url(), Some("g-secret-key"), 2000);
    let started = Instant::now();
    let t = run(engine.as_ref(), None, policy(), docs).await;
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After honoured"
    );
    assert_eq!(t.stop, None, "{:?}", t.stop);
    assert_eq!(t.stats.unique, 300);
    assert!(emu.state.served_twice().is_empty());
    assert_eq!(emu.state.served_total(), 300);
    for r in emu.state.requests_to("/language/translate/v2") {
        let body = r.json();
        assert!(body["q"].as_array().unwrap().len() <= 128);
        assert_eq!(body["format"], "text");
        assert!(r.query.contains("key=g-secret-key"));
    }
    assert!(
        t.documents[0]
            .pairs
            .iter()
            .all(|p| p.target.as_deref().unwrap().contains("Labour Party"))
    );
}

#[tokio::test]
async fn google_daily_limit_and_libretranslate_bad_key_stop_cleanly() {
    let emu = Emulator::start().await;
    *emu.state.quota.lock().unwrap() = Some(0);
    let g = engine(EngineKind::Google, &emu.url(), Some("k"), 2000);
    let t = run(g.as_ref(), None, policy(), documents()).await;
    assert_eq!(t.stop.unwrap().kind, StopKind::Quota);

    let emu = Emulator::start().await;
    *emu.state.key.lock().unwrap() = Some("right".into());
    let lt = engine(EngineKind::LibreTranslate, &emu.url(), Some("wrong"), 2000);
    let t = run(lt.as_ref(), None, policy(), documents()).await;
    let stop = t.stop.unwrap();
    assert_eq!(stop.kind, StopKind::Auth);
    assert!(stop.message.contains("Invalid API key"), "{stop}");
    let lt = engine(EngineKind::LibreTranslate, &emu.url(), None, 2000);
    let t = run(lt.as_ref(), None, policy(), documents()).await;
    let stop = t.stop.unwrap();
    assert_eq!(stop.kind, StopKind::Auth);
    assert!(stop.message.contains("LIBRETRANSLATE_API_KEY"), "{stop}");
    assert_eq!(emu.state.served_total(), 0);
}

#[tokio::test]
async fn a_service_that_keeps_failing_stops_the_run_with_its_last_error() {
    let emu = Emulator::start().await;
    for _ in 0..20 {
        emu.state
            .fault(Fault::status(500, r#"{"error":"Cannot translate text"}"#));
    }
    let lt = engine(EngineKind::LibreTranslate, &emu.url(), None, 2000);
    let p = Policy {
        max_retries: 2,
        ..policy()
    };
    let t = run(lt.as_ref(), None, p, documents()).await;
    let stop = t.stop.unwrap();
    assert_eq!(stop.kind, StopKind::Unavailable);
    assert!(stop.message.contains("HTTP 500"), "{stop}");
    assert!(stop.message.contains("gave up after 2 retries"), "{stop}");
    assert_eq!(emu.state.translate_requests.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn openai_without_any_json_mode_uses_the_prompt_alone() {
    let emu = Emulator::start().await;
    *emu.state.no_response_format.lock().unwrap() = true;
    let engine = engine(EngineKind::OpenAi, &emu.url(), None, 2000);
    let t = run(engine.as_ref(), None, policy(), documents()).await;
    assert_eq!(t.stop, None, "{:?}", t.stop);
    assert_glossary_holds(&t);
    let requests = emu.state.requests_to("/v1/chat/completions");
    assert_eq!(requests[0].json()["response_format"]["type"], "json_schema");
    assert_eq!(requests[1].json()["response_format"]["type"], "json_object");
    assert!(
        requests[2..]
            .iter()
            .all(|r| r.json()["response_format"].is_null())
    );
}

#[tokio::test]
async fn concurrency_is_bounded_and_the_rate_limit_spaces_requests() {
    let emu = Emulator::start().await;
    *emu.state.latency.lock().unwrap() = Duration::from_millis(40);
    let lt = engine(EngineKind::LibreTranslate, &emu.url(), None, 2000);
    let p = Policy {
        concurrency: 2,
        batch_size: Some(1),
        ..policy()
    };
    let t = run(lt.as_ref(), None, p, documents()).await;
    assert_eq!(t.stats.requests, 6);
    assert_eq!(emu.state.max_active.load(Ordering::SeqCst), 2);

    let emu = Emulator::start().await;
    let lt = engine(EngineKind::LibreTranslate, &emu.url(), None, 2000);
    let p = Policy {
        rate: Some(20.0),
        batch_size: Some(1),
        ..policy()
    };
    let started = Instant::now();
    let t = run(lt.as_ref(), None, p, documents()).await;
    assert_eq!(t.stats.requests, 6);
    // Six requests at 20/s: at least five intervals of 50 ms.
    assert!(
        started.elapsed() >= Duration::from_millis(250),
        "{:?}",
        started.elapsed()
    );
}

/// A Chinese text in which two glossary terms touch (工党 + 全国执行委员会, no space between).
fn adjacent_terms() -> Vec<Document> {
    vec![Document::from_text(
        "nec.zh.txt",
        "工党全国执行委员会昨天开会了。\n\n我们尊重工党全国执行委员会的决定。",
    )]
}

/// Both terms come out as separate words, and transmend does not flag its own output.
fn assert_adjacent_terms_separated(t: &Translation) {
    assert_eq!(t.stop, None, "{:?}", t.stop);
    let pairs = &t.documents[0].pairs;
    assert_eq!(pairs.len(), 2, "{pairs:?}");
    for pair in pairs {
        let target = pair.target.as_deref().unwrap();
        assert!(
            target.contains("Labour Party National Executive Committee"),
            "{} -> {target}",
            pair.source
        );
        assert!(!target.contains("PartyNational"), "{target}");
        assert!(!target.contains("  "), "doubled space: {target}");
        assert!(pair.flags.is_empty(), "{target}: {:?}", pair.flags);
    }
    assert_eq!(t.stats.violations, 0);
}

#[tokio::test]
async fn libretranslate_restores_adjacent_placeholders_as_separate_words() {
    let emu = Emulator::start().await;
    let engine = engine(EngineKind::LibreTranslate, &emu.url(), None, 2000);
    let t = run(engine.as_ref(), None, policy(), adjacent_terms()).await;
    assert_adjacent_terms_separated(&t);
    // The placeholders were sent touching, as the source terms touch: the sent text (and so
    // the cache key) is what it always was.
    let sent = emu.state.requests_to("/translate")[0].json();
    let q = serde_json::to_string(&sent["q"]).unwrap();
    assert!(q.contains("{t0}{t1}"), "{q}");
}

#[tokio::test]
async fn deepl_glued_glossary_forms_are_separated_and_not_resent() {
    let emu = Emulator::start().await;
    let engine = engine(EngineKind::DeepL, &emu.url(), Some("k:fx"), 2000);
    let t = run(engine.as_ref(), None, policy(), adjacent_terms()).await;
    assert_adjacent_terms_separated(&t);
    // The native glossary answer passes once its glued forms are separated: nothing is paid
    // for twice.
    assert_eq!(t.stats.resent_protected, 0);
    assert!(emu.state.served_twice().is_empty());
}

#[tokio::test]
async fn openai_adjacent_terms_stay_separated_by_prompt_and_by_placeholders() {
    // A model that ignores the glossary: the segments go back with placeholders.
    let emu = Emulator::start().await;
    let engine_ = engine(EngineKind::OpenAi, &emu.url(), None, 2000);
    let t = run(engine_.as_ref(), None, policy(), adjacent_terms()).await;
    assert_adjacent_terms_separated(&t);
    assert_eq!(t.stats.resent_protected, 2);

    // A model that follows the prompt's glossary table and glues the forms itself.
    let emu = Emulator::start().await;
    *emu.state.follows_prompt_glossary.lock().unwrap() = true;
    let engine_ = engine(EngineKind::OpenAi, &emu.url(), None, 2000);
    let t = run(engine_.as_ref(), None, policy(), adjacent_terms()).await;
    assert_adjacent_terms_separated(&t);
    assert_eq!(t.stats.resent_protected, 0);
}
