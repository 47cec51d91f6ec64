//! Sentence alignment at scale: generated English/Chinese-like pairs of 2k to 16k sentences
//! (the generator of `examples/align_scale.rs`, deterministic), both sides built beforehand.
//!
//! `cargo bench --bench align`. Peak memory per size: `/usr/bin/time -v cargo run --release
//! --example align_scale -- N`.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

use transmend::align::{self, AlignOptions};

#[path = "../examples/align_scale.rs"]
#[allow(dead_code)]
mod scale;

fn align_sizes(c: &mut Criterion) {
    let mut g = c.benchmark_group("align");
    g.sample_size(10);
    for n in [2_000, 4_000, 8_000, 16_000] {
        let pair = scale::pair(n, 0, 1);
        let (src, tgt) = scale::sides(&pair);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &(src, tgt), |b, (s, t)| {
            b.iter(|| align::align(black_box(s), black_box(t), AlignOptions::default()))
        });
    }
    g.finish();
}

criterion_group!(benches, align_sizes);
criterion_main!(benches);
