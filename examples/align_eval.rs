//! Alignment quality on a gold-aligned sentence pair set (vecalign/Bertalign format):
//! `cargo run --release --example align_eval -- [DIR] [--part tune|test|all]` with DIR
//! holding `en.txt`, `zh.txt` (one sentence per line; a blank line, if any, marks a paragraph
//! break and is not a sentence) and `gold.align` (`[0, 1]:[0]` per bead). Default DIR:
//! `../shared/data/align-dev` (public data read from outside the repository, never committed).
//!
//! `--part` splits the set by its gold beads into two contiguous halves: `tune` (the first
//! half of the beads and the sentences they cover), on which the weights of `src/align/` were
//! chosen, and `test` (the second half), which was only measured. Each part is aligned on
//! its own, as an unseen pair. Default: `all`. `--set KEY=VALUE` changes one field of
//! `align::Tuning` (`lex_match`, `lex_miss`, `rounds`, ...), to try weights on the tuning part.
//! Prints strict precision, recall and F1 over beads with both sides non-empty.

use std::ops::Range;
use std::time::Instant;

use transmend::align::{self, AlignOptions, Tuning};

/// A gold bead: source and target sentence ids.
type GoldBead = (Vec<usize>, Vec<usize>);

/// The ids of one side of a gold bead (`[2, 3]`, `[]`); `None` on anything else.
fn parse_ids(s: &str) -> Option<Vec<usize>> {
    let inner = s.trim().strip_prefix('[')?.strip_suffix(']')?;
    if inner.trim().is_empty() {
        return Some(Vec::new());
    }
    inner.split(',').map(|x| x.trim().parse().ok()).collect()
}

/// The gold beads of a `gold.align` file, each id within the sentences of its side.
fn parse_gold(text: &str, path: &str, n: usize, m: usize) -> Result<Vec<GoldBead>, String> {
    let mut gold = Vec::new();
    for (k, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let bead = line
            .split_once(':')
            .and_then(|(s, t)| Some((parse_ids(s)?, parse_ids(t)?)))
            .ok_or_else(|| format!("{path}:{}: not a bead like `[0, 1]:[0]`: {line}", k + 1))?;
        if bead.0.iter().any(|&i| i >= n) || bead.1.iter().any(|&j| j >= m) {
            return Err(format!(
                "{path}:{}: an id past the sentences ({n} source, {m} target): {line}",
                k + 1
            ));
        }
        gold.push(bead);
    }
    Ok(gold)
}

/// Sentences of a file, one a line, and which of them start a paragraph (after a blank line).
fn sentences(text: &str) -> (Vec<&str>, Vec<bool>) {
    let (mut out, mut starts, mut blank) = (Vec::new(), Vec::new(), false);
    for line in text.lines() {
        if line.trim().is_empty() {
            blank = true;
            continue;
        }
        starts.push(blank && !out.is_empty());
        out.push(line);
        blank = false;
    }
    (out, starts)
}

/// The beads `range` of the gold, renumbered from 0, with the source and target sentence
/// ranges they cover.
fn part(gold: &[GoldBead], range: Range<usize>) -> (Range<usize>, Range<usize>, Vec<GoldBead>) {
    let beads = &gold[range];
    let first = |side: fn(&GoldBead) -> &Vec<usize>| {
        beads
            .iter()
            .flat_map(|b| side(b).iter().copied())
            .min()
            .unwrap_or(0)
    };
    let last = |side: fn(&GoldBead) -> &Vec<usize>| {
        beads
            .iter()
            .flat_map(|b| side(b).iter().copied())
            .max()
            .map_or(0, |m| m + 1)
    };
    let (s0, s1) = (first(|b| &b.0), last(|b| &b.0));
    let (t0, t1) = (first(|b| &b.1), last(|b| &b.1));
    let renumbered = beads
        .iter()
        .map(|(s, t)| {
            (
                s.iter().map(|i| i - s0).collect(),
                t.iter().map(|j| j - t0).collect(),
            )
        })
        .collect();
    (s0..s1.max(s0), t0..t1.max(t0), renumbered)
}

/// Sets one field of the tuning from `KEY=VALUE` (for trying weights on the tuning part).
fn set(tuning: &mut Tuning, kv: &str) -> Result<(), Box<dyn std::error::Error>> {
    let (key, value) = kv.split_once('=').ok_or("--set needs KEY=VALUE")?;
    match key {
        "lex_match" => tuning.lex_match = value.parse()?,
        "lex_miss" => tuning.lex_miss = value.parse()?,
        "rounds" => tuning.rounds = value.parse()?,
        "stop_share" => tuning.stop_share = value.parse()?,
        "threshold" => tuning.threshold = value.parse()?,
        "null" => tuning.null = value.parse()?,
        "paragraphs" => tuning.paragraphs = value.parse()?,
        other => return Err(format!("--set {other}: unknown").into()),
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut dir = "../shared/data/align-dev".to_string();
    let mut which = "all".to_string();
    let mut options = AlignOptions::default();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--part" => which = it.next().cloned().ok_or("--part needs tune, test or all")?,
            "--set" => {
                let kv = it.next().ok_or("--set needs KEY=VALUE")?;
                set(&mut options.tuning, kv)?;
            }
            _ => dir = a.clone(),
        }
    }
    let read = |name: &str| {
        std::fs::read_to_string(format!("{dir}/{name}")).map_err(|e| format!("{dir}/{name}: {e}"))
    };
    let en_text = read("en.txt")?;
    let zh_text = read("zh.txt")?;
    let (en_all, en_paras) = sentences(&en_text);
    let (zh_all, zh_paras) = sentences(&zh_text);
    let gold = parse_gold(
        &read("gold.align")?,
        &format!("{dir}/gold.align"),
        en_all.len(),
        zh_all.len(),
    )?;
    let half = gold.len() / 2;
    let (s, t, gold) = match which.as_str() {
        "tune" => part(&gold, 0..half),
        "test" => part(&gold, half..gold.len()),
        "all" => (0..en_all.len(), 0..zh_all.len(), gold),
        other => return Err(format!("--part {other}: expected tune, test or all").into()),
    };
    let (en, zh) = (&en_all[s.clone()], &zh_all[t.clone()]);
    let t0 = Instant::now();
    let mut src = align::side(en, &[], &align::latin_vocabulary(zh));
    let mut tgt = align::side(zh, &[], &align::latin_vocabulary(en));
    src.paragraph_starts = en_paras[s].to_vec();
    tgt.paragraph_starts = zh_paras[t].to_vec();
    let beads = align::align(&src, &tgt, options);
    let elapsed = t0.elapsed();
    let (p, r, f) = align::strict_prf(&beads, &gold);
    println!(
        "set: {dir} part {which} ({} source, {} target sentences, {} gold beads)",
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
