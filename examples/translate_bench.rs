//! Benchmark of the translation stage (not a test): 2,400 segments (2,000 distinct) sent with
//! default settings to the loopback emulator answering every request after 200 ms.
//! Prints wall time against the bound (0.1 x segments x latency), the characters sent
//! against the characters of the distinct segments, and the same figures for a rerun.
//!
//! `cargo run --release --example translate_bench`
#![allow(clippy::unwrap_used)]

#[path = "../tests/emulator/mod.rs"]
mod emulator;

use std::collections::HashSet;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use transmend::document::Document;
use transmend::glossary::Termbase;
use transmend::translate::{
    self, Cache, EngineConfig, EngineKind, HttpOptions, Policy, Settings, Silent,
};

const LATENCY: Duration = Duration::from_millis(200);

fn sentence(i: usize) -> String {
    format!("第{i}号文件说明了委员会会议的安排和结果。")
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let emu = emulator::Emulator::start().await;
    *emu.state.latency.lock().unwrap() = LATENCY;

    // Four documents of 600 segments; the last 100 of each repeat the first 100 of the first.
    let mut documents = Vec::new();
    let mut all = Vec::new();
    for k in 0..4 {
        let ids: Vec<usize> = (0..600)
            .map(|i| if i < 500 { k * 500 + i } else { i - 500 })
            .collect();
        all.extend(ids.iter().map(|&i| sentence(i)));
        let text: Vec<String> = ids.iter().map(|&i| sentence(i)).collect();
        documents.push(Document::from_text(
            format!("doc{k}.zh.txt"),
            text.join("\n\n"),
        ));
    }
    let distinct: HashSet<&String> = all.iter().collect();
    let distinct_chars: usize = distinct.iter().map(|s| s.chars().count()).sum();

    let engine = translate::build_engine(&EngineConfig {
        kind: EngineKind::LibreTranslate,
        endpoint: Some(emu.url()),
        model: None,
        key: None,
        http: HttpOptions::default(),
    })
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::open(&dir.path().join("bench.sqlite3")).unwrap();
    let settings = Settings {
        target_lang: "en".into(),
        source_lang: None,
        policy: Policy::default(),
    };
    let termbase = Termbase::empty();
    let analyses: Vec<_> = documents
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

    let bound = LATENCY.mul_f64(0.1 * all.len() as f64);
    for run in ["first run", "second run"] {
        let started = Instant::now();
        let t = translate::translate_documents(
            &sources,
            &termbase,
            engine.as_ref(),
            Some(&cache),
            &settings,
            &Silent,
        )
        .await;
        let wall = started.elapsed();
        assert!(t.stop.is_none(), "{:?}", t.stop);
        println!(
            "{run}: {} segments ({} distinct), wall {:.2} s (bound {:.1} s), {} requests, \
             {} characters sent (distinct segments: {distinct_chars}), {} from the cache",
            t.stats.segments,
            t.stats.unique,
            wall.as_secs_f64(),
            bound.as_secs_f64(),
            t.stats.requests,
            t.stats.chars_sent,
            t.stats.from_cache,
        );
    }
    println!(
        "emulator: {} translation requests, {} characters translated",
        emu.state.translate_requests.load(Ordering::SeqCst),
        emu.state.served_chars.load(Ordering::SeqCst)
    );
}
