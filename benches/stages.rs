//! Criterion benchmarks of each stage on seed-like text: the seed documents of `corpus/`
//! repeated to about 256 KiB per language, checked against `glossary/labour.csv`.
//!
//! `cargo bench --bench stages` (add `-- NAME` to run one group).

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

use transmend::analysis::analyze;
use transmend::check::{self, Context, Family};
use transmend::detect;
use transmend::document::{self, Document};
use transmend::glossary::{self, Termbase, normalize::Normalized};
use transmend::lines::LineIndex;
use transmend::output::report as json;
use transmend::{repair, segment};

const TARGET: usize = 256 * 1024;

fn seed(lang: &str) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("corpus/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(&format!(".{lang}.txt")))
        .collect();
    paths.sort();
    let one: String = paths
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("a UTF-8 seed"))
        .collect::<Vec<_>>()
        .join("\n\n");
    let mut text = String::with_capacity(TARGET + one.len());
    while text.len() < TARGET {
        text.push_str(&one);
        text.push_str("\n\n");
    }
    text
}

fn termbase() -> Termbase {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("glossary/labour.csv");
    Termbase::new(glossary::load_files(&[path]).expect("the project glossary"))
        .expect("the project glossary compiles")
}

fn stages(c: &mut Criterion) {
    let tb = termbase();
    for lang in ["zh", "en"] {
        let text = seed(lang);
        let mut g = c.benchmark_group(lang);
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.sample_size(10);

        let gb18030 = encoding_rs::GB18030.encode(&text).0.into_owned();
        g.bench_function("decode/utf8", |b| {
            b.iter(|| document::decode(black_box(text.as_bytes())))
        });
        g.bench_function("decode/gb18030", |b| {
            b.iter(|| document::decode(black_box(&gb18030)))
        });
        g.bench_function("segment", |b| {
            b.iter(|| segment::segments(black_box(&text)))
        });
        let segs = segment::segments(&text);
        g.bench_function("detect", |b| {
            b.iter(|| {
                let mut runs = Vec::new();
                for s in &segs {
                    runs.extend(detect::script_runs(&text, s.span.clone()));
                }
                detect::label_runs(&text, &mut runs, None);
                detect::summarize(&runs)
            })
        });
        g.bench_function("analyze", |b| {
            b.iter(|| analyze(Document::from_text("x", text.as_str()), None))
        });
        let a = analyze(Document::from_text("x", text.as_str()), None);
        g.bench_function("glossary/normalize", |b| {
            b.iter(|| Normalized::new(black_box(&text)))
        });
        let norm = Normalized::new(&text);
        g.bench_function("glossary/match", |b| {
            b.iter(|| tb.matcher.find(&text, &norm))
        });
        let lines = LineIndex::new(&text);
        let ctx = Context::new(&text, a.detection.language, &a.runs, &lines, &tb);
        let exclude = ctx.match_spans();
        g.bench_function("glossary/fuzzy-latin", |b| {
            b.iter(|| tb.fuzzy.find(&text, &ctx.norm, &exclude))
        });
        g.bench_function("glossary/fuzzy-han", |b| {
            b.iter(|| tb.fuzzy.find_han(&text, &ctx.norm, &exclude))
        });
        g.bench_function("check/context", |b| {
            b.iter(|| Context::new(&text, a.detection.language, &a.runs, &lines, &tb))
        });
        for (name, family) in [
            ("check/terms", Family::Terms),
            ("check/artifact", Family::Artifact),
            ("check/repeated", Family::Repeated),
            ("check/numbers", Family::Numbers),
            ("check/untranslated", Family::Untranslated),
        ] {
            g.bench_function(name, |b| b.iter(|| check::run_family(&ctx, family)));
        }
        g.bench_function("check/all", |b| b.iter(|| check::run(&ctx)));
        let flags = check::run(&ctx);
        g.bench_function("fix/apply", |b| b.iter(|| repair::apply(&text, &flags)));
        let mut checked = a.clone();
        checked.flags = flags;
        g.bench_function("output/json", |b| {
            b.iter(|| json::line(&json::FileReport::new(&checked, false)))
        });
        g.finish();
    }
}

/// The seed text as a saved web page and as a Markdown post: a paragraph per block, every
/// other one with an inline tag, and a script between paragraphs.
fn markup(text: &str) -> (String, String) {
    let mut html = String::from("<!doctype html><html><head><title>t</title></head><body>\n");
    let mut md = String::from("---\ntitle: t\n---\n\n");
    for (i, para) in text
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .enumerate()
    {
        let (a, b) = para.split_at(para.char_indices().nth(4).map_or(para.len(), |(i, _)| i));
        if i % 2 == 0 {
            html.push_str(&format!("<p><strong>{a}</strong>{b}</p>\n"));
            md.push_str(&format!("**{a}**{b}\n\n"));
        } else {
            html.push_str(&format!("<p>{para}</p>\n<script>var x = '{i}';</script>\n"));
            md.push_str(&format!("{para} `code {i}`\n\n"));
        }
    }
    html.push_str("</body></html>\n");
    (html, md)
}

/// Reading markup: extracting the text with its map, and writing repairs back.
fn formats(c: &mut Criterion) {
    use transmend::format::{self, Edit, Format};
    let text = seed("zh");
    let (html, md) = markup(&text);
    let mut g = c.benchmark_group("format");
    g.sample_size(10);
    for (name, fmt, source) in [
        ("html", Format::Html, &html),
        ("markdown", Format::Markdown, &md),
    ] {
        g.throughput(Throughput::Bytes(source.len() as u64));
        g.bench_function(format!("{name}/extract"), |b| {
            b.iter(|| format::extract(fmt, black_box(source)))
        });
        let x = format::extract(fmt, source).expect("extracts");
        // Every eighth 工党 rewritten: repairs spread over the whole document.
        let edits: Vec<Edit> = x
            .text
            .match_indices("工党")
            .step_by(8)
            .map(|(i, m)| Edit {
                range: i..i + m.len(),
                replacement: "保守党".into(),
            })
            .collect();
        g.bench_function(format!("{name}/write-back"), |b| {
            b.iter(|| x.write_back(fmt.escaper(), &[source.as_str()], black_box(&edits)))
        });
    }
    g.finish();
}

criterion_group!(benches, stages, formats);
criterion_main!(benches);
