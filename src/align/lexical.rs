//! A bilingual dictionary learned from the pair itself, as hunalign builds one when it has
//! none: IBM Model 1 word-to-word translation probabilities, estimated by a few EM
//! iterations in both directions over the confident 1-1 beads of a first alignment; the pairs
//! that each direction finds likely become dictionary entries, which then count as anchors.
//! Everything stays inside the run: no model file, no outside dictionary.

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;

/// Tokens of a sentence that may carry meaning across languages: Latin words, lower-cased and
/// stemmed (`elections` = `election`), and Han characters and runs of two (`政`, `政府`): a
/// Chinese word is most often one or two characters, and Model 1 picks which one translates.
/// Digits are left to the number anchors.
pub(crate) struct Tokenizer {
    stemmer: Stemmer,
    ids: FxHashMap<String, u32>,
}

impl Tokenizer {
    pub(crate) fn new() -> Tokenizer {
        Tokenizer {
            stemmer: Stemmer::create(Algorithm::English),
            ids: FxHashMap::default(),
        }
    }

    /// The distinct token ids of `s`, sorted; ids are given in order of first appearance, so
    /// the same text gets the same ids.
    pub(crate) fn tokens(&mut self, s: &str) -> Vec<u32> {
        let mut out = Vec::new();
        let mut word = String::new();
        let mut prev_han: Option<char> = None;
        for c in s.chars().chain(std::iter::once(' ')) {
            if c.is_alphabetic() && !crate::text::is_cjk_letter(c) {
                word.extend(c.to_lowercase());
            } else if !word.is_empty() {
                if word.chars().count() >= 2 {
                    let stem = self.stemmer.stem(&word).into_owned();
                    out.push(self.id(stem));
                }
                word.clear();
            }
            if crate::text::is_cjk_letter(c) {
                out.push(self.id(c.to_string()));
                if let Some(p) = prev_han {
                    out.push(self.id(format!("{p}{c}")));
                }
                prev_han = Some(c);
            } else {
                prev_han = None;
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    fn id(&mut self, token: String) -> u32 {
        let next = self.ids.len() as u32;
        *self.ids.entry(token).or_insert(next)
    }
}

/// How the dictionary is learned. The defaults were chosen on the tuning half of align-dev
/// (BENCHMARKS.md, "Issue 21").
#[derive(Debug, Clone, Copy)]
pub(crate) struct LearnOptions {
    /// A token in more than this share of its side's sentences is a function word: left out.
    pub(crate) stop_share: f64,
    /// EM iterations in each direction.
    pub(crate) iterations: usize,
    /// Probability of a token given the empty word (Model 1's NULL), which absorbs what has
    /// no counterpart.
    pub(crate) null: f64,
    /// A pair is an entry when both t(f|e) and t(e|f) reach this.
    pub(crate) threshold: f64,
    /// At most this many token pairs (sentence pairs × tokens × tokens) are counted: the
    /// memory bound on long documents; the training beads are then taken evenly spread.
    pub(crate) max_cells: usize,
}

impl Default for LearnOptions {
    fn default() -> Self {
        LearnOptions {
            stop_share: 0.1,
            iterations: 5,
            null: 0.02,
            threshold: 0.1,
            max_cells: 4_000_000,
        }
    }
}

/// Dictionary entries by token: `source[e]` lists the entries whose source token is `e`.
#[derive(Debug, Default)]
pub(crate) struct Lexicon {
    source: Vec<Vec<u32>>,
    target: Vec<Vec<u32>>,
    /// Number of entries.
    pub(crate) len: usize,
}

/// Marks a token pair that does not co-occur often enough to be estimated.
const NONE: u32 = u32::MAX;

/// A training pair: its token lists (function words left out) and where its cells start in
/// the flat buffer of table indices (`source.len() × target.len()` cells, row by source token).
struct Pair {
    source: Vec<u32>,
    target: Vec<u32>,
    start: usize,
}

impl Lexicon {
    /// Learns the dictionary from sentence pairs `pairs` (source sentence, target sentence) of
    /// sides tokenised as `src` and `tgt`.
    pub(crate) fn learn(
        src: &[Vec<u32>],
        tgt: &[Vec<u32>],
        pairs: &[(usize, usize)],
        options: LearnOptions,
    ) -> Lexicon {
        let (src_stop, src_vocab) = stop_words(src, options.stop_share);
        let (tgt_stop, tgt_vocab) = stop_words(tgt, options.stop_share);
        let content = |tokens: &[u32], stop: &[bool]| -> Vec<u32> {
            tokens
                .iter()
                .copied()
                .filter(|&t| !stop[t as usize])
                .collect()
        };
        // Which pairs to train on: all, or evenly spread ones within the cell budget.
        let cells = |&(i, j): &(usize, usize)| -> usize {
            src.get(i).map_or(0, Vec::len) * tgt.get(j).map_or(0, Vec::len)
        };
        let total: usize = pairs.iter().map(cells).sum();
        let keep = if total <= options.max_cells {
            1.0
        } else {
            options.max_cells as f64 / total as f64
        };
        let mut chosen = Vec::new();
        let mut credit = 0.0;
        for p in pairs {
            credit += keep;
            if credit >= 1.0 {
                credit -= 1.0;
                let (Some(s), Some(t)) = (src.get(p.0), tgt.get(p.1)) else {
                    continue;
                };
                chosen.push(Pair {
                    source: content(s, &src_stop),
                    target: content(t, &tgt_stop),
                    start: 0,
                });
            }
        }
        // The token pairs seen together at least twice, sorted: the table's keys.
        let mut keys: Vec<u64> = Vec::new();
        for p in &chosen {
            for &e in &p.source {
                for &f in &p.target {
                    keys.push(u64::from(e) << 32 | u64::from(f));
                }
            }
        }
        keys.sort_unstable();
        let mut kept = Vec::new();
        let mut k = 0;
        while k < keys.len() {
            let run = keys[k..].iter().take_while(|&&x| x == keys[k]).count();
            if run >= 2 {
                kept.push(keys[k]);
            }
            k += run;
        }
        drop(keys);
        let mut cell = Vec::new();
        for p in &mut chosen {
            p.start = cell.len();
            for &e in &p.source {
                for &f in &p.target {
                    let key = u64::from(e) << 32 | u64::from(f);
                    cell.push(kept.binary_search(&key).map_or(NONE, |x| x as u32));
                }
            }
        }
        let src_of = |x: usize| (kept[x] >> 32) as usize;
        let tgt_of = |x: usize| (kept[x] & 0xffff_ffff) as usize;
        let forward = em(
            &chosen,
            &cell,
            kept.len(),
            options,
            false,
            src_of,
            src_vocab,
        );
        let backward = em(&chosen, &cell, kept.len(), options, true, tgt_of, tgt_vocab);
        let mut lexicon = Lexicon {
            source: vec![Vec::new(); src_vocab],
            target: vec![Vec::new(); tgt_vocab],
            len: 0,
        };
        for x in 0..kept.len() {
            if forward[x] >= options.threshold && backward[x] >= options.threshold {
                let id = lexicon.len as u32;
                lexicon.source[src_of(x)].push(id);
                lexicon.target[tgt_of(x)].push(id);
                lexicon.len += 1;
            }
        }
        lexicon
    }

    /// The entries found in a sentence of the source (or target) side, sorted.
    pub(crate) fn entries(&self, tokens: &[u32], source: bool) -> Vec<u64> {
        let table = if source { &self.source } else { &self.target };
        let mut out: Vec<u64> = tokens
            .iter()
            .filter_map(|&t| table.get(t as usize))
            .flatten()
            .map(|&e| u64::from(e))
            .collect();
        out.sort_unstable();
        out
    }
}

/// Which tokens of a side are function words (in more than `share` of its sentences), and the
/// side's vocabulary size.
fn stop_words(sentences: &[Vec<u32>], share: f64) -> (Vec<bool>, usize) {
    let vocab = sentences
        .iter()
        .flatten()
        .max()
        .map_or(0, |&m| m as usize + 1);
    let mut df = vec![0usize; vocab];
    for s in sentences {
        for &t in s {
            df[t as usize] += 1;
        }
    }
    let limit = (share * sentences.len() as f64).max(3.0);
    (df.iter().map(|&d| d as f64 > limit).collect(), vocab)
}

/// Model 1 EM: the probabilities of the table's entries, t(target | source), or with
/// `reverse` t(source | target). `given(x)` is the conditioning token of entry `x`, and
/// `vocab` the size of its side's vocabulary (for the normalisation).
fn em(
    pairs: &[Pair],
    cell: &[u32],
    entries: usize,
    options: LearnOptions,
    reverse: bool,
    given: impl Fn(usize) -> usize,
    vocab: usize,
) -> Vec<f64> {
    let mut prob = vec![1.0; entries];
    // Uniform start: each conditioning token spreads its mass over the tokens it meets.
    let mut norm = vec![0.0f64; vocab];
    for x in 0..entries {
        norm[given(x)] += 1.0;
    }
    for x in 0..entries {
        prob[x] = 1.0 / norm[given(x)];
    }
    let mut counts = vec![0.0f64; entries];
    for _ in 0..options.iterations {
        counts.iter_mut().for_each(|c| *c = 0.0);
        for p in pairs {
            let (rows, cols) = (p.source.len(), p.target.len());
            let at = |a: usize, b: usize| cell[p.start + a * cols + b];
            // The generated tokens: target ones (forward) or source ones (reverse).
            let (generated, generators) = if reverse { (rows, cols) } else { (cols, rows) };
            for g in 0..generated {
                let x_of = |h: usize| if reverse { at(g, h) } else { at(h, g) };
                let mut denom = options.null;
                for h in 0..generators {
                    let x = x_of(h);
                    if x != NONE {
                        denom += prob[x as usize];
                    }
                }
                for h in 0..generators {
                    let x = x_of(h);
                    if x != NONE {
                        counts[x as usize] += prob[x as usize] / denom;
                    }
                }
            }
        }
        norm.iter_mut().for_each(|n| *n = 0.0);
        for x in 0..entries {
            norm[given(x)] += counts[x];
        }
        for x in 0..entries {
            let n = norm[given(x)];
            prob[x] = if n > 0.0 { counts[x] / n } else { 0.0 };
        }
    }
    prob
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_one_learns_an_obvious_pairing() {
        // "red" always comes with 红, "car" with 车, "house" with 房; the rest varies.
        let en = [
            "red car",
            "red house",
            "blue car",
            "blue house",
            "red car now",
            "green house",
            "green car",
            "blue car today",
        ];
        let zh = [
            "红车",
            "红房",
            "蓝车",
            "蓝房",
            "现在红车",
            "绿房",
            "绿车",
            "今天蓝车",
        ];
        let mut tok_en = Tokenizer::new();
        let mut tok_zh = Tokenizer::new();
        let src: Vec<Vec<u32>> = en.iter().map(|s| tok_en.tokens(s)).collect();
        let tgt: Vec<Vec<u32>> = zh.iter().map(|s| tok_zh.tokens(s)).collect();
        let pairs: Vec<(usize, usize)> = (0..en.len()).map(|i| (i, i)).collect();
        let options = LearnOptions {
            stop_share: 1.0,
            ..LearnOptions::default()
        };
        let lexicon = Lexicon::learn(&src, &tgt, &pairs, options);
        let entries = |tok: &mut Tokenizer, s: &str, source: bool| {
            let t = tok.tokens(s);
            lexicon.entries(&t, source)
        };
        let car = entries(&mut tok_en, "car", true);
        let che = entries(&mut tok_zh, "车", false);
        let fang = entries(&mut tok_zh, "房", false);
        assert!(!car.is_empty());
        assert!(car.iter().any(|e| che.contains(e)), "car ↔ 车");
        assert!(!car.iter().any(|e| fang.contains(e)), "car is not 房");
        let red = entries(&mut tok_en, "red", true);
        let hong = entries(&mut tok_zh, "红", false);
        assert!(red.iter().any(|e| hong.contains(e)), "red ↔ 红");
    }

    #[test]
    fn tokens_are_stemmed_words_and_han_runs() {
        let mut tok = Tokenizer::new();
        let a = tok.tokens("Elections, election!");
        assert_eq!(a.len(), 1);
        let b = tok.tokens("政府");
        assert_eq!(b.len(), 3, "政, 府, 政府");
        assert!(tok.tokens("2020 a").is_empty());
    }
}
