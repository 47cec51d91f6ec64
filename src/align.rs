//! Sentence alignment of an original and its translation: dynamic programming over beads
//! (1-1, 1-0, 0-1, 2-1, 1-2, 2-2, 1-3, 3-1), each scored by a Gale–Church length cost whose
//! ratio and variance are learned from the pair itself, plus lexical anchors that need no
//! model (numbers and dates, Latin-script names and acronyms left in the translation,
//! glossary concepts, question marks and quotes). Long documents are searched coarse to fine:
//! in a band of constant width around the path found with consecutive sentences merged in
//! pairs, so time and memory grow linearly with the length of the documents.

use std::collections::HashSet;

/// A group of source sentences aligned with a group of target sentences (either may be empty).
#[derive(Debug, Clone, PartialEq)]
pub struct Bead {
    pub source: Vec<usize>,
    pub target: Vec<usize>,
    /// How well the two sides fit, from 0 to 1.
    pub score: f64,
    /// In a merged bead, sentences (source ids for n-1, target ids for 1-n) that the length
    /// model says the other side does not need: possibly left out or added.
    pub unsupported: Vec<usize>,
}

/// One side of the pair: each sentence's length and anchors.
#[derive(Debug, Clone, Default)]
pub struct Side {
    /// Length in characters, white space not counted.
    pub lengths: Vec<usize>,
    /// Anchor tokens of each sentence (hashed), sorted.
    pub anchors: Vec<Vec<u64>>,
}

/// Bead shapes: (source sentences, target sentences, prior probability).
const SHAPES: [(usize, usize, f64); 8] = [
    (1, 1, 0.89),
    (1, 0, 0.005),
    (0, 1, 0.005),
    (2, 1, 0.045),
    (1, 2, 0.045),
    (2, 2, 0.011),
    (3, 1, 0.004),
    (1, 3, 0.004),
];

/// How many 1-1 pairs the prior variance counts for when it is re-estimated.
const PRIOR_PAIRS: f64 = 50.0;

/// Share of the length cost that a sentence left out (1-0) or added (0-1) pays.
const GAP_LENGTH_WEIGHT: f64 = 0.25;

/// An anchor without its counterpart weighs this many matched anchors.
const UNMATCHED_WEIGHT: f64 = 2.0;

/// Weight of the anchor term against the length term.
const ANCHOR_WEIGHT: f64 = 1.5;

/// Tuning of the search.
#[derive(Debug, Clone, Copy)]
pub struct AlignOptions {
    /// Half-width of the band searched around the path found at half the resolution, in
    /// sentences; a pair with fewer than about `(8·min_band)²` cells is searched in full.
    pub min_band: usize,
}

impl Default for AlignOptions {
    fn default() -> Self {
        AlignOptions { min_band: 30 }
    }
}

/// Aligns two sides. The length ratio and variance are learned from the pair: a first pass
/// with a rough variance, then a second with the variance measured on its 1-1 beads (searched
/// around the first pass's path).
pub fn align(src: &Side, tgt: &Side, options: AlignOptions) -> Vec<Bead> {
    let total_src: usize = src.lengths.iter().sum();
    let total_tgt: usize = tgt.lengths.iter().sum();
    let ratio = if total_src == 0 {
        1.0
    } else {
        (total_tgt.max(1)) as f64 / total_src as f64
    };
    let model = LengthModel {
        ratio,
        variance: 6.8 * ratio.max(0.1),
    };
    let (s, t) = (Flat::new(src), Flat::new(tgt));
    let half = options.min_band;
    let first = search(&s, &t, model, half, None);
    let refined = model.refine(&s, &t, &first);
    let guide = points(&first, s.len(), t.len());
    let second = search(&s, &t, refined, half, Some(&guide));
    let costs = Costs::new(refined, &s, &t);
    second
        .into_iter()
        .map(|(i, j, k)| {
            let (di, dj, _) = SHAPES[k];
            let (_, score) = costs.bead((i, j), k);
            let mut bead = Bead {
                source: (i..i + di).collect(),
                target: (j..j + dj).collect(),
                score: (score * 100.0).round() / 100.0,
                unsupported: Vec::new(),
            };
            bead.unsupported = unsupported(refined, src, tgt, &bead);
            bead
        })
        .collect()
}

/// Sentences of a merged bead that are better left out: when one sentence alone fits the
/// other side's length much better than the merge, the others may have no counterpart.
fn unsupported(model: LengthModel, src: &Side, tgt: &Side, bead: &Bead) -> Vec<usize> {
    let (many, one, many_side, one_side, flip) = match (bead.source.len(), bead.target.len()) {
        (n, 1) if n >= 2 => (&bead.source, bead.target[0], src, tgt, false),
        (1, n) if n >= 2 => (&bead.target, bead.source[0], tgt, src, true),
        _ => return Vec::new(),
    };
    let prob = |many_len: usize, one_len: usize| {
        if flip {
            model.probability(one_len, many_len)
        } else {
            model.probability(many_len, one_len)
        }
    };
    let total: usize = many.iter().map(|&i| many_side.lengths[i]).sum();
    let merged = prob(total, one_side.lengths[one]);
    let best = many
        .iter()
        .map(|&i| (i, prob(many_side.lengths[i], one_side.lengths[one])))
        .max_by(|a, b| a.1.total_cmp(&b.1));
    match best {
        Some((keep, p)) if p >= 0.3 && p > 2.0 * merged => {
            many.iter().copied().filter(|&i| i != keep).collect()
        }
        _ => Vec::new(),
    }
}

/// Gale–Church: the target length of a bead is about `ratio` times the source length, with a
/// variance proportional to the length.
#[derive(Debug, Clone, Copy)]
struct LengthModel {
    ratio: f64,
    variance: f64,
}

impl LengthModel {
    /// Probability that lengths `l1` and `l2` are translations of each other.
    fn probability(self, l1: usize, l2: usize) -> f64 {
        let (l1, l2) = (l1 as f64, l2 as f64);
        let mean = ((l1 + l2 / self.ratio) / 2.0).max(1.0);
        let delta = (l2 - l1 * self.ratio) / (mean * self.variance).sqrt();
        (2.0 * (1.0 - normal_cdf(delta.abs()))).max(1e-12)
    }

    /// Re-estimates ratio and variance from the 1-1 beads of a first alignment.
    fn refine(self, src: &Flat, tgt: &Flat, steps: &[Step]) -> LengthModel {
        let pairs: Vec<(f64, f64)> = steps
            .iter()
            .filter(|&&(_, _, k)| k == 0)
            .map(|&(i, j, _)| (src.length(i, 1) as f64, tgt.length(j, 1) as f64))
            .filter(|&(a, b)| a > 0.0 && b > 0.0)
            .collect();
        if pairs.len() < 5 {
            return self;
        }
        let ratio = pairs.iter().map(|p| p.1).sum::<f64>() / pairs.iter().map(|p| p.0).sum::<f64>();
        let variance = pairs
            .iter()
            .map(|&(a, b)| {
                let mean = (a + b / ratio) / 2.0;
                (b - a * ratio).powi(2) / mean
            })
            .sum::<f64>()
            / pairs.len() as f64;
        // Shrink towards the prior: a handful of pairs says little about the variance.
        let n = pairs.len() as f64;
        let prior = 6.8 * ratio.max(0.1);
        LengthModel {
            ratio,
            variance: ((PRIOR_PAIRS * prior + n * variance) / (PRIOR_PAIRS + n)).max(0.05),
        }
    }
}

/// Standard normal cumulative distribution (Abramowitz–Stegun 26.2.17).
fn normal_cdf(x: f64) -> f64 {
    let t = 1.0 / (1.0 + 0.231_641_9 * x.abs());
    let poly = t
        * (0.319_381_530
            + t * (-0.356_563_782
                + t * (1.781_477_937 + t * (-1.821_255_978 + t * 1.330_274_429))));
    let tail = (-x * x / 2.0).exp() / (2.0 * std::f64::consts::PI).sqrt() * poly;
    if x >= 0.0 { 1.0 - tail } else { tail }
}

/// Dice overlap of two sorted anchor lists; `None` when neither side has anchors.
fn overlap(a: &[u64], b: &[u64]) -> Option<f64> {
    if a.is_empty() && b.is_empty() {
        return None;
    }
    if a.is_empty() || b.is_empty() {
        return Some(0.0);
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    Some(2.0 * common as f64 / (a.len() + b.len()) as f64)
}

/// Sorted anchor lists in one buffer: list `i` is `values[offsets[i]..offsets[i + 1]]`.
struct Lists {
    offsets: Vec<usize>,
    values: Vec<u64>,
}

impl Lists {
    fn with_capacity(lists: usize, values: usize) -> Lists {
        let mut offsets = Vec::with_capacity(lists + 1);
        offsets.push(0);
        Lists {
            offsets,
            values: Vec::with_capacity(values),
        }
    }

    fn get(&self, i: usize) -> &[u64] {
        &self.values[self.offsets[i]..self.offsets[i + 1]]
    }

    /// Appends the concatenation of `parts`, sorted, as the next list.
    fn push(&mut self, parts: &[&[u64]]) {
        let start = self.values.len();
        for part in parts {
            self.values.extend_from_slice(part);
        }
        self.values[start..].sort_unstable();
        self.offsets.push(self.values.len());
    }
}

/// One side as the search reads it: prefix sums of the lengths, and the sorted anchors of
/// every run of one, two and three sentences, so that a bead costs no allocation or sort.
struct Flat {
    /// `prefix[i]` is the length of sentences `0..i`.
    prefix: Vec<usize>,
    /// `runs[d - 1].get(i)`: the anchors of sentences `i..i + d`.
    runs: [Lists; 3],
}

impl Flat {
    fn new(side: &Side) -> Flat {
        let n = side.lengths.len();
        let mut prefix = Vec::with_capacity(n + 1);
        prefix.push(0);
        let mut total = 0;
        for &len in &side.lengths {
            total = usize::saturating_add(total, len);
            prefix.push(total);
        }
        let mut ones = Lists::with_capacity(n, side.anchors.iter().map(Vec::len).sum());
        for k in 0..n {
            ones.push(&[side.anchors.get(k).map_or(&[][..], Vec::as_slice)]);
        }
        Flat::from_parts(prefix, ones)
    }

    /// Completes the runs of two and three sentences.
    fn from_parts(prefix: Vec<usize>, ones: Lists) -> Flat {
        let n = prefix.len() - 1;
        let values = ones.values.len();
        let mut twos = Lists::with_capacity(n, 2 * values);
        for i in 0..n.saturating_sub(1) {
            twos.push(&[ones.get(i), ones.get(i + 1)]);
        }
        let mut threes = Lists::with_capacity(n, 3 * values);
        for i in 0..n.saturating_sub(2) {
            threes.push(&[twos.get(i), ones.get(i + 2)]);
        }
        Flat {
            prefix,
            runs: [ones, twos, threes],
        }
    }

    /// Number of sentences.
    fn len(&self) -> usize {
        self.prefix.len() - 1
    }

    /// Total length of `count` sentences from `from`.
    fn length(&self, from: usize, count: usize) -> usize {
        self.prefix[from + count] - self.prefix[from]
    }

    /// Sorted anchors of `count` (at most 3) sentences from `from`.
    fn anchors(&self, from: usize, count: usize) -> &[u64] {
        match count.checked_sub(1) {
            Some(d) => self.runs[d].get(from),
            None => &[],
        }
    }

    /// The side at half the resolution: each pair of consecutive sentences as one.
    fn coarsen(&self) -> Flat {
        let n = self.len();
        let blocks = n.div_ceil(2);
        let prefix = (0..=blocks).map(|b| self.prefix[(2 * b).min(n)]).collect();
        let mut ones = Lists::with_capacity(blocks, self.runs[0].values.len());
        for b in 0..blocks {
            ones.push(&[self.anchors(2 * b, (n - 2 * b).min(2))]);
        }
        Flat::from_parts(prefix, ones)
    }
}

/// Bead costs of one pair of sides under one length model.
struct Costs<'a> {
    model: LengthModel,
    src: &'a Flat,
    tgt: &'a Flat,
    /// `-ln(prior)` of each shape.
    prior: [f64; SHAPES.len()],
}

impl<'a> Costs<'a> {
    fn new(model: LengthModel, src: &'a Flat, tgt: &'a Flat) -> Self {
        Costs {
            model,
            src,
            tgt,
            prior: SHAPES.map(|(_, _, prior)| -prior.ln()),
        }
    }

    /// A bound that [`Costs::bead`]'s cost never goes below, from the prior and the anchor
    /// counts alone: the search skips a bead that cannot win without computing its cost.
    fn lower_bound(&self, (i, j): (usize, usize), k: usize) -> f64 {
        let (di, dj, _) = SHAPES[k];
        // The length cost is -ln p with p at most 1 (up to rounding in `normal_cdf`).
        if di == 0 || dj == 0 {
            return self.prior[k] - 1e-6;
        }
        let (a, b) = (self.src.anchors(i, di).len(), self.tgt.anchors(j, dj).len());
        // At most min(a, b) anchors are common; each common one turns two unmatched ones
        // (weight UNMATCHED_WEIGHT each) into one matched (weight -1).
        let (total, common) = ((a + b) as f64, a.min(b) as f64);
        let anchors = UNMATCHED_WEIGHT * total - (2.0 * UNMATCHED_WEIGHT + 1.0) * common;
        self.prior[k] + ANCHOR_WEIGHT * anchors - 1e-6 * (1.0 + total)
    }

    /// The cost of the bead of shape `k` starting at `(i, j)` (lower is better) and its score.
    fn bead(&self, (i, j): (usize, usize), k: usize) -> (f64, f64) {
        let (di, dj, _) = SHAPES[k];
        let p = self
            .model
            .probability(self.src.length(i, di), self.tgt.length(j, dj));
        let (a, b) = (self.src.anchors(i, di), self.tgt.anchors(j, dj));
        let sim = overlap(a, b);
        // Each anchor found on both sides is evidence for the bead, each one left without its
        // counterpart evidence against it (counted, not averaged, so merging sentences cannot
        // hide a name or number that the other side lacks).
        let common = sim.map_or(0.0, |s| s * (a.len() + b.len()) as f64 / 2.0);
        let unmatched = (a.len() + b.len()) as f64 - 2.0 * common;
        // In a sentence left out or added, unmatched anchors are expected, not evidence.
        let one_sided = di == 0 || dj == 0;
        let anchor_cost = if one_sided {
            0.0
        } else {
            ANCHOR_WEIGHT * (UNMATCHED_WEIGHT * unmatched - common)
        };
        // Gale–Church would call any long omission near-impossible, so merging it into a
        // neighbour would always win; a left-out sentence pays only part of the length cost.
        let length_cost = if one_sided {
            -p.ln() * GAP_LENGTH_WEIGHT
        } else {
            -p.ln()
        };
        let cost = self.prior[k] + length_cost + anchor_cost;
        let score = match sim {
            Some(s) if di > 0 && dj > 0 => p * (0.5 + 0.5 * s),
            _ => p,
        };
        (cost, score)
    }
}

/// One bead of a search result: where it starts (source, target) and its shape in [`SHAPES`].
type Step = (usize, usize, usize);

/// The DP searches columns `lo[i]..=hi[i]` of each row `i`.
struct Band {
    lo: Vec<usize>,
    hi: Vec<usize>,
}

impl Band {
    fn full(n: usize, m: usize) -> Band {
        Band {
            lo: vec![0; n + 1],
            hi: vec![m; n + 1],
        }
    }

    /// `half` columns either side of a monotone path of points from (0, 0) to (n, m): row
    /// `i` spans the columns the path crosses in that row, widened by `half`.
    fn around(path: &[(usize, usize)], n: usize, m: usize, half: usize) -> Band {
        let mut lo = vec![usize::MAX; n + 1];
        let mut hi = vec![0; n + 1];
        for pair in path.windows(2) {
            let ((i1, j1), (i2, j2)) = (pair[0], pair[1]);
            for r in i1.min(n)..=i2.min(n) {
                lo[r] = lo[r].min(j1);
                hi[r] = hi[r].max(j2);
            }
        }
        // A row the path missed takes its predecessor's span; the corners are always searched.
        for r in 0..=n {
            if lo[r] > hi[r] {
                (lo[r], hi[r]) = if r == 0 {
                    (0, 0)
                } else {
                    (lo[r - 1], hi[r - 1])
                };
            }
        }
        for r in 0..=n {
            hi[r] = hi[r].saturating_add(half).min(m);
            lo[r] = lo[r].saturating_sub(half).min(hi[r]);
        }
        (lo[0], hi[n]) = (0, m);
        Band { lo, hi }
    }

    /// Whether a path runs along an edge of the band that is not an edge of the matrix: the
    /// best path may lie outside.
    fn touched_by(&self, path: &[(usize, usize)], m: usize) -> bool {
        path.iter().any(|&(i, j)| {
            (j == self.lo[i] && self.lo[i] > 0) || (j == self.hi[i] && self.hi[i] < m)
        })
    }
}

/// Dynamic programming over bead shapes inside a band, in one flat buffer (row `i` starts at
/// `start[i]`), then backtracking from (n, m). Returns the beads in order.
fn banded(costs: &Costs, band: &Band) -> Vec<Step> {
    let (n, m) = (costs.src.len(), costs.tgt.len());
    let mut start = Vec::with_capacity(n + 2);
    let mut cells = 0;
    for i in 0..=n {
        start.push(cells);
        cells += band.hi[i] + 1 - band.lo[i];
    }
    let at = |i: usize, j: usize| -> Option<usize> {
        (band.lo[i] <= j && j <= band.hi[i]).then(|| start[i] + j - band.lo[i])
    };
    let mut cost = vec![f64::INFINITY; cells];
    let mut back = vec![u8::MAX; cells];
    cost[0] = 0.0;
    // Cells are visited in storage order: `here` is the current one.
    let mut here = 0;
    for (i, (&lo, &hi)) in band.lo.iter().zip(&band.hi).enumerate() {
        for j in lo..=hi {
            here += 1;
            if i == 0 && j == 0 {
                continue;
            }
            let mut best = (f64::INFINITY, u8::MAX);
            for (k, &(di, dj, _)) in SHAPES.iter().enumerate() {
                if di > i || dj > j {
                    continue;
                }
                let Some(prev) = at(i - di, j - dj).map(|p| cost[p]) else {
                    continue;
                };
                if !prev.is_finite() || prev + costs.lower_bound((i - di, j - dj), k) >= best.0 {
                    continue;
                }
                let (c, _) = costs.bead((i - di, j - dj), k);
                if prev + c < best.0 {
                    best = (prev + c, k as u8);
                }
            }
            cost[here - 1] = best.0;
            back[here - 1] = best.1;
        }
    }
    let mut steps = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        let k = at(i, j).map_or(u8::MAX, |p| back[p]) as usize;
        // Outside the band or unreachable: fall back to single deletions/insertions.
        let k = match SHAPES.get(k) {
            Some(&(di, dj, _)) if di <= i && dj <= j => k,
            _ if i > 0 => 1,
            _ => 2,
        };
        let (di, dj, _) = SHAPES[k];
        i -= di;
        j -= dj;
        steps.push((i, j, k));
    }
    steps.reverse();
    steps
}

/// The boundaries between the beads, from (0, 0) to (n, m).
fn points(steps: &[Step], n: usize, m: usize) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = steps.iter().map(|&(i, j, _)| (i, j)).collect();
    out.push((n, m));
    out
}

/// Up to this many cells (times the band's `(2·half + 1)²`), a matrix is searched in full.
const FULL_SEARCH: usize = 16;

/// Rounds of re-centring the band on the path found in it, while that path runs along the
/// band's edge.
const MAX_ROUNDS: usize = 3;

/// Best beads under `model`. A small matrix is searched in full. A larger one is searched in
/// a band of `half` sentences either side of a guide path: the given one, or the path found
/// at half the resolution (each side's consecutive pairs merged), recursively, as vecalign
/// does with its coarse-to-fine search. Time and memory are O((n + m) · half).
fn search(
    src: &Flat,
    tgt: &Flat,
    model: LengthModel,
    half: usize,
    guide: Option<&[(usize, usize)]>,
) -> Vec<Step> {
    let (n, m) = (src.len(), tgt.len());
    let costs = Costs::new(model, src, tgt);
    let side = half.saturating_mul(2).saturating_add(1);
    if (n + 1).saturating_mul(m + 1) <= FULL_SEARCH.saturating_mul(side).saturating_mul(side) {
        return banded(&costs, &Band::full(n, m));
    }
    let mut path = match guide {
        Some(path) => path.to_vec(),
        None => {
            let coarse = search(&src.coarsen(), &tgt.coarsen(), model, half, None);
            let mut path: Vec<(usize, usize)> = coarse
                .iter()
                .map(|&(i, j, _)| ((2 * i).min(n), (2 * j).min(m)))
                .collect();
            path.push((n, m));
            path
        }
    };
    let mut round = 1;
    loop {
        let band = Band::around(&path, n, m, half);
        let steps = banded(&costs, &band);
        path = points(&steps, n, m);
        if round == MAX_ROUNDS || !band.touched_by(&path, m) {
            return steps;
        }
        round += 1;
    }
}

/// Builds one side from its sentences: lengths and anchors. `latin_elsewhere` holds the
/// lower-cased Latin words of the other document; a capitalised word or acronym here is an
/// anchor only if it also occurs there (names left untranslated).
pub fn side(
    sentences: &[&str],
    concepts: &[Vec<usize>],
    latin_elsewhere: &HashSet<String>,
) -> Side {
    let mut out = Side::default();
    for (k, s) in sentences.iter().enumerate() {
        out.lengths.push(length(s));
        let mut anchors: Vec<u64> = Vec::new();
        for n in numbers(s) {
            anchors.push(hash(&format!("#{n}")));
        }
        for w in latin_words(s) {
            let lower = w.to_lowercase();
            let capital = w.chars().next().is_some_and(char::is_uppercase);
            if capital && latin_elsewhere.contains(&lower) {
                anchors.push(hash(&format!("w{lower}")));
            }
        }
        for c in concepts.get(k).into_iter().flatten() {
            anchors.push(hash(&format!("c{c}")));
        }
        if s.contains(['?', '？']) {
            anchors.push(hash("?"));
        }
        if s.contains(['"', '“', '”', '「', '」', '‘', '’'])
            && s.chars()
                .filter(|c| matches!(c, '"' | '“' | '”' | '「' | '」'))
                .count()
                >= 2
        {
            anchors.push(hash("\""));
        }
        anchors.sort_unstable();
        out.anchors.push(anchors);
    }
    out
}

/// Length in characters without white space. In a sentence that has Han or kana, Latin
/// letters (names and acronyms left untranslated) count a third each, about what they weigh
/// against the English they come from.
pub fn length(s: &str) -> usize {
    let cjk = s.chars().any(crate::text::is_cjk);
    let (mut units, mut latin) = (0usize, 0usize);
    for c in s.chars().filter(|c| !c.is_whitespace()) {
        if cjk && c.is_ascii_alphanumeric() {
            latin += 1;
        } else {
            units += 1;
        }
    }
    units + latin.div_ceil(3)
}

/// Latin words of a text, lower-cased, for [`side`]'s `latin_elsewhere`.
pub fn latin_vocabulary(sentences: &[&str]) -> HashSet<String> {
    sentences
        .iter()
        .flat_map(|s| latin_words(s))
        .map(|w| w.to_lowercase())
        .collect()
}

fn latin_words(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| w.len() >= 2 && w.chars().any(|c| c.is_ascii_alphabetic()))
}

fn hash(s: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

/// The numbers of a sentence, normalised: ASCII and full-width digits, thousands separators
/// dropped (`2,020` = `2020`), year-style Chinese numerals (`二〇二〇`), English month names
/// as their number (`July` = `7`, to meet `7月`). A numeral too large for a `u64` (about 20
/// digits or more: an identifier or noise, not a number anyone writes) is left out.
pub fn numbers(s: &str) -> Vec<u64> {
    /// `v` with one more decimal digit; `None` once it no longer fits.
    fn append(v: Option<u64>, d: u64) -> Option<u64> {
        v?.checked_mul(10)?.checked_add(d)
    }
    let mut out = Vec::new();
    // The digit run being read: its value, `None` once it overflowed.
    let mut cur: Option<Option<u64>> = None;
    let mut han: Option<(Option<u64>, bool, usize)> = None; // value, saw 〇, digits
    let chars: Vec<char> = s.chars().collect();
    for (k, &c) in chars.iter().enumerate() {
        let digit = match c {
            '0'..='9' => Some(c as u64 - '0' as u64),
            '０'..='９' => Some(c as u64 - '０' as u64),
            _ => None,
        };
        let separator = c == ','
            && cur.is_some()
            && chars
                .get(k + 1..k + 4)
                .is_some_and(|g| g.iter().all(|d| d.is_ascii_digit()))
            && !chars.get(k + 4).is_some_and(|d| d.is_ascii_digit());
        match (digit, cur) {
            (Some(d), Some(v)) => cur = Some(append(v, d)),
            (Some(d), None) => cur = Some(Some(d)),
            (None, Some(_)) if separator => {}
            (None, Some(v)) => {
                out.extend(v);
                cur = None;
            }
            (None, None) => {}
        }
        let han_digit = "〇一二三四五六七八九".chars().position(|h| h == c);
        match (han_digit, han) {
            (Some(d), Some((v, z, n))) => han = Some((append(v, d as u64), z || d == 0, n + 1)),
            (Some(d), None) => han = Some((Some(d as u64), d == 0, 1)),
            (None, Some((v, z, n))) => {
                if z && n >= 2 {
                    out.extend(v);
                }
                han = None;
            }
            (None, None) => {}
        }
    }
    if let Some(v) = cur {
        out.extend(v);
    }
    if let Some((v, z, n)) = han
        && z
        && n >= 2
    {
        out.extend(v);
    }
    for w in s.split(|c: char| !c.is_ascii_alphabetic()) {
        if let Some(m) = crate::text::MONTHS
            .iter()
            .position(|m| w.eq_ignore_ascii_case(m))
        {
            out.push(m as u64 + 1);
        }
    }
    out.sort_unstable();
    out
}

/// Strict precision, recall and F1 over beads with both sides non-empty, as the published
/// evaluations compute them.
pub fn strict_prf(found: &[Bead], gold: &[(Vec<usize>, Vec<usize>)]) -> (f64, f64, f64) {
    let key = |s: &[usize], t: &[usize]| (s.to_vec(), t.to_vec());
    let gold: HashSet<(Vec<usize>, Vec<usize>)> = gold
        .iter()
        .filter(|(s, t)| !s.is_empty() && !t.is_empty())
        .map(|(s, t)| key(s, t))
        .collect();
    let found: Vec<(Vec<usize>, Vec<usize>)> = found
        .iter()
        .filter(|b| !b.source.is_empty() && !b.target.is_empty())
        .map(|b| key(&b.source, &b.target))
        .collect();
    let right = found.iter().filter(|f| gold.contains(f)).count() as f64;
    let p = right / found.len().max(1) as f64;
    let r = right / gold.len().max(1) as f64;
    let f = if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    };
    (p, r, f)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(src: &[&str], tgt: &[&str]) -> Vec<(Vec<usize>, Vec<usize>)> {
        run_with(src, tgt, &[], &[])
    }

    /// With glossary concepts found in each sentence, as `transmend align` passes them.
    fn run_with(
        src: &[&str],
        tgt: &[&str],
        src_concepts: &[Vec<usize>],
        tgt_concepts: &[Vec<usize>],
    ) -> Vec<(Vec<usize>, Vec<usize>)> {
        let vocab_t = latin_vocabulary(tgt);
        let vocab_s = latin_vocabulary(src);
        let s = side(src, src_concepts, &vocab_t);
        let t = side(tgt, tgt_concepts, &vocab_s);
        align(&s, &t, AlignOptions::default())
            .into_iter()
            .map(|b| (b.source, b.target))
            .collect()
    }

    const EN: [&str; 8] = [
        "The NEC elections of 2020 will use a new voting system.",
        "The change from first past the post to STV is an attack on the left.",
        "It makes it almost impossible for a full left slate to win all nine seats.",
        "The Centre-Left Grassroots Alliance is dead.",
        "It should have died in 2015, when Jeremy Corbyn was elected.",
        "Ann Black served on the NEC for decades, backed by CLPD.",
        "Jon Lansman and his supporters took part in the witch-hunt?",
        "We do not support candidates who do not oppose the IHRA definition.",
    ];

    #[test]
    fn one_to_one() {
        let zh = [
            "2020年的NEC选举将采用新的投票制度。",
            "从简单多数制改为STV是对左翼的攻击。",
            "这使得完整的左翼候选人名单几乎不可能赢得全部九个席位。",
            "中左基层联盟已经死了。",
            "它早在2015年Jeremy Corbyn当选时就该死了。",
            "Ann Black在CLPD的支持下在NEC任职数十年。",
            "Jon Lansman和他的支持者参与了猎巫吗？",
            "我们不支持不反对IHRA定义的候选人。",
        ];
        let beads = run(&EN, &zh);
        assert_eq!(
            beads,
            (0..8).map(|i| (vec![i], vec![i])).collect::<Vec<_>>()
        );
    }

    #[test]
    fn dropped_and_merged_sentences() {
        let zh = [
            "2020年的NEC选举将采用新的投票制度。",
            "从简单多数制改为STV是对左翼的攻击，这使得完整的左翼候选人名单几乎不可能赢得全部九个席位。",
            "中左基层联盟已经死了。",
            "Ann Black在CLPD的支持下在NEC任职数十年。",
            "Jon Lansman和他的支持者参与了猎巫吗？",
            "我们在2019年的大会上已经提出过这一点。",
            "我们不支持不反对IHRA定义的候选人。",
        ];
        // Concept 7 (Jeremy Corbyn) is named in source sentence 4 only: it was dropped.
        let src_concepts: Vec<Vec<usize>> = (0..8)
            .map(|i| if i == 4 { vec![7] } else { vec![] })
            .collect();
        let beads = run_with(&EN, &zh, &src_concepts, &[]);
        assert_eq!(
            beads,
            [
                (vec![0], vec![0]),
                (vec![1, 2], vec![1]),
                (vec![3], vec![2]),
                (vec![4], vec![]),
                (vec![5], vec![3]),
                (vec![6], vec![4]),
                (vec![], vec![5]),
                (vec![7], vec![6]),
            ]
        );
    }

    #[test]
    fn one_to_two_and_two_to_two() {
        let src = [
            "The motion was agreed at the LAW conference on July 4 2020 after a long and heated debate about rule 12.",
            "Rule 5 is short.",
            "Rule 6 is short too.",
            "The last sentence names Jackie Walker and Tony Greenstein.",
        ];
        let tgt = [
            "该动议于2020年7月4日在LAW会议上通过。",
            "此前就第12条规则进行了漫长而激烈的辩论。",
            "第5条和第6条规则都很短。",
            "最后一句提到了Jackie Walker和Tony Greenstein。",
        ];
        let beads = run(&src, &tgt);
        assert_eq!(beads[0], (vec![0], vec![0, 1]));
        assert_eq!(beads[1], (vec![1, 2], vec![2]));
        assert_eq!(beads[2], (vec![3], vec![3]));
    }

    #[test]
    fn two_to_two_and_three_to_one_and_one_to_three() {
        let src = [
            "The NEC met on 3 March.",
            "It discussed rule 9 and rule 10 at length.",
            "Jon Lansman spoke first.",
            "Then Ann Black spoke.",
            "Finally Jackie Walker spoke.",
            "The IHRA definition was adopted in 2018 after a long campaign by the Board of Deputies and others.",
            "Ken Livingstone resigned.",
        ];
        let tgt = [
            "NEC于3月3日开会，讨论了第9条",
            "和第10条规则。",
            "Jon Lansman先发言，然后是Ann Black，最后是Jackie Walker。",
            "IHRA定义于2018年通过。",
            "此前经过了长期的游说活动。",
            "英国犹太人代表委员会等组织参与其中。",
            "Ken Livingstone辞职了。",
        ];
        let beads = run(&src, &tgt);
        assert_eq!(
            beads,
            [
                (vec![0, 1], vec![0, 1]),
                (vec![2, 3, 4], vec![2]),
                (vec![5], vec![3, 4, 5]),
                (vec![6], vec![6]),
            ]
        );
    }

    #[test]
    fn numbers_are_normalised() {
        assert_eq!(numbers("On July 4, 2,020 members"), vec![4, 7, 2020]);
        assert_eq!(numbers("二〇二〇年7月4日"), vec![4, 7, 2020]);
        assert_eq!(numbers("２０２０年"), vec![2020]);
        assert_eq!(numbers("1,2,3"), vec![1, 2, 3]);
    }

    #[test]
    fn numerals_too_long_for_a_number_are_left_out() {
        let han = "二〇".repeat(20);
        assert_eq!(han.chars().count(), 40);
        assert_eq!(numbers(&format!("{han}年5月")), vec![5]);
        let ascii = "1234567890".repeat(4);
        assert_eq!(numbers(&format!("{ascii} and 12")), vec![12]);
        assert_eq!(numbers(&format!("{ascii}，二〇二〇")), vec![2020]);
        // The longest that fits still counts; one digit more does not.
        assert_eq!(numbers("18446744073709551615"), vec![u64::MAX]);
        assert!(numbers("18446744073709551616").is_empty());
        assert!(numbers("一八四四六七四四〇七三七〇九五五一六一六").is_empty());
    }

    #[test]
    fn strict_scores() {
        let found = vec![
            Bead {
                source: vec![0],
                target: vec![0],
                score: 1.0,
                unsupported: vec![],
            },
            Bead {
                source: vec![1],
                target: vec![1, 2],
                score: 1.0,
                unsupported: vec![],
            },
            Bead {
                source: vec![2],
                target: vec![],
                score: 1.0,
                unsupported: vec![],
            },
        ];
        let gold = vec![(vec![0], vec![0]), (vec![1], vec![1]), (vec![2], vec![2])];
        let (p, r, f) = strict_prf(&found, &gold);
        assert_eq!((p, r), (0.5, 1.0 / 3.0));
        assert!((f - 0.4).abs() < 1e-9);
    }

    /// The invariants of any alignment: every sentence of both sides exactly once and in
    /// order, every bead one of the shapes, unsupported sentences inside their bead.
    fn assert_covers(beads: &[Bead], n: usize, m: usize) {
        let src: Vec<usize> = beads.iter().flat_map(|b| b.source.clone()).collect();
        let tgt: Vec<usize> = beads.iter().flat_map(|b| b.target.clone()).collect();
        assert_eq!(src, (0..n).collect::<Vec<_>>());
        assert_eq!(tgt, (0..m).collect::<Vec<_>>());
        for b in beads {
            let shape = (b.source.len(), b.target.len());
            assert!(SHAPES.iter().any(|&(di, dj, _)| (di, dj) == shape), "{b:?}");
            assert!((0.0..=1.0).contains(&b.score), "{b:?}");
            assert!(
                b.unsupported
                    .iter()
                    .all(|u| b.source.contains(u) || b.target.contains(u)),
                "{b:?}"
            );
        }
    }

    /// Two sides of `n` sentences: the target about 0.4 times as long, with a shared anchor
    /// in every `every`-th pair, and `extra` unanchored target sentences inserted after `n / 2`.
    fn synthetic(n: usize, extra: usize, every: usize, seed: u64) -> (Side, Side) {
        let mut rng = fastrand::Rng::with_seed(seed);
        let (mut src, mut tgt) = (Side::default(), Side::default());
        for i in 0..n {
            if i == n / 2 {
                for _ in 0..extra {
                    tgt.lengths.push(rng.usize(5..60));
                    tgt.anchors.push(Vec::new());
                }
            }
            let len = rng.usize(20..250);
            let anchors = if i % every == 0 {
                vec![i as u64]
            } else {
                vec![]
            };
            src.lengths.push(len);
            src.anchors.push(anchors.clone());
            tgt.lengths.push(len * 2 / 5 + rng.usize(0..8));
            tgt.anchors.push(anchors);
        }
        (src, tgt)
    }

    #[test]
    fn narrow_band_finds_what_the_full_search_finds() {
        let (src, tgt) = synthetic(700, 0, 5, 1);
        let full = align(&src, &tgt, AlignOptions { min_band: 10_000 });
        let banded = align(&src, &tgt, AlignOptions { min_band: 3 });
        assert_covers(&banded, 700, 700);
        assert_eq!(banded, full);
        assert!(
            full.iter()
                .all(|b| b.source.len() == 1 && b.target.len() == 1)
        );
    }

    #[test]
    fn a_long_insertion_and_lopsided_sides_reach_the_end() {
        // 400 inserted sentences: far off the diagonal for a band of 5. Every pair has its
        // anchor, so away from the insertion each source sentence's bead holds its own
        // translation. (Near it the length model spreads the insertion over 1-3 beads, a
        // full search too: each 0-1 bead pays the prior of a rare shape.)
        let (src, tgt) = synthetic(600, 400, 1, 2);
        let beads = align(&src, &tgt, AlignOptions { min_band: 5 });
        assert_covers(&beads, 600, 1000);
        let own = |i: usize| if i < 300 { i } else { i + 400 };
        let wrong: Vec<&Bead> = beads
            .iter()
            .filter(|b| b.source.iter().any(|&i| !b.target.contains(&own(i))))
            .collect();
        assert!(
            wrong
                .iter()
                .flat_map(|b| &b.source)
                .all(|&i| (250..350).contains(&i)),
            "{wrong:?}"
        );
        // One side much longer than the other, both ways.
        let (short, long) = synthetic(40, 3000, 5, 3);
        assert_covers(&align(&short, &long, AlignOptions::default()), 40, 3040);
        assert_covers(&align(&long, &short, AlignOptions::default()), 3040, 40);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]

        /// Any lengths and anchors, any band: the beads cover both sides exactly once, in order.
        #[test]
        fn beads_cover_both_sides(
            src in proptest::collection::vec((0usize..300, proptest::collection::vec(0u64..6, 0..3)), 0..150),
            tgt in proptest::collection::vec((0usize..300, proptest::collection::vec(0u64..6, 0..3)), 0..150),
            half in 0usize..5,
        ) {
            let side = |pairs: &[(usize, Vec<u64>)]| Side {
                lengths: pairs.iter().map(|p| p.0).collect(),
                anchors: pairs.iter().map(|p| p.1.clone()).collect(),
            };
            let beads = align(&side(&src), &side(&tgt), AlignOptions { min_band: half });
            assert_covers(&beads, src.len(), tgt.len());
        }
    }

    #[test]
    fn empty_sides() {
        assert!(run(&[], &[]).is_empty());
        assert_eq!(run(&["Only source."], &[]), [(vec![0], vec![])]);
        assert_eq!(run(&[], &["只有译文。"]), [(vec![], vec![0])]);
    }
}
