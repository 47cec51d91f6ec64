//! Alignment quality on a gold-aligned sentence pair set (vecalign/Bertalign format):
//! `cargo run --release --example align_eval [DIR]` with DIR holding `en.txt`, `zh.txt`
//! (one sentence per line) and `gold.align` (`[0, 1]:[0]` per bead). Default DIR:
//! `../shared/data/align-dev` (public data read from outside the repository, never committed).
//! Prints strict precision, recall and F1 over beads with both sides non-empty.

use std::time::Instant;

use transmend::align::{self, AlignOptions};

fn parse_ids(s: &str) -> Vec<usize> {
    s.trim()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .split(',')
        .filter_map(|x| x.trim().parse().ok())
        .collect()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/data/align-dev".into());
    let read = |name: &str| {
        std::fs::read_to_string(format!("{dir}/{name}")).map_err(|e| format!("{dir}/{name}: {e}"))
    };
    let en = read("en.txt")?;
    let zh = read("zh.txt")?;
    let gold: Vec<(Vec<usize>, Vec<usize>)> = read("gold.align")?
        .lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(s, t)| (parse_ids(s), parse_ids(t)))
        .collect();
    let en: Vec<&str> = en.lines().collect();
    let zh: Vec<&str> = zh.lines().collect();
    let t0 = Instant::now();
    let src = align::side(&en, &[], &align::latin_vocabulary(&zh));
    let tgt = align::side(&zh, &[], &align::latin_vocabulary(&en));
    let beads = align::align(&src, &tgt, AlignOptions::default());
    let elapsed = t0.elapsed();
    let (p, r, f) = align::strict_prf(&beads, &gold);
    println!(
        "set: {dir} ({} source, {} target sentences, {} gold beads)",
        en.len(),
        zh.len(),
        gold.len()
    );
    println!(
        "strict precision {p:.3}  recall {r:.3}  F1 {f:.3}  ({} beads, {:.0} ms)",
        beads.len(),
        elapsed.as_secs_f64() * 1000.0
    );
    Ok(())
}
