//! The search: Gale–Church length model, bead costs (length, anchors, learned dictionary
//! entries) and the banded coarse-to-fine dynamic programming over bead shapes, linear in the
//! length of the documents.

use super::side::Side;

/// Bead shapes: (source sentences, target sentences, prior probability).
pub(crate) const SHAPES: [(usize, usize, f64); 8] = [
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

/// Gale–Church: the target length of a bead is about `ratio` times the source length, with a
/// variance proportional to the length.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LengthModel {
    pub(crate) ratio: f64,
    pub(crate) variance: f64,
}

impl LengthModel {
    /// Probability that lengths `l1` and `l2` are translations of each other.
    pub(crate) fn probability(self, l1: usize, l2: usize) -> f64 {
        let (l1, l2) = (l1 as f64, l2 as f64);
        let mean = ((l1 + l2 / self.ratio) / 2.0).max(1.0);
        let delta = (l2 - l1 * self.ratio) / (mean * self.variance).sqrt();
        (2.0 * (1.0 - normal_cdf(delta.abs()))).max(1e-12)
    }

    /// Re-estimates ratio and variance from the 1-1 beads of a first alignment.
    pub(crate) fn refine(self, src: &Flat, tgt: &Flat, steps: &[Step]) -> LengthModel {
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
    Some(2.0 * common(a, b) as f64 / (a.len() + b.len()) as f64)
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

    /// The lists of runs of one, two and three consecutive items of `n`, from the lists of
    /// single items.
    fn runs(ones: Lists, n: usize) -> [Lists; 3] {
        let values = ones.values.len();
        let mut twos = Lists::with_capacity(n, 2 * values);
        for i in 0..n.saturating_sub(1) {
            twos.push(&[ones.get(i), ones.get(i + 1)]);
        }
        let mut threes = Lists::with_capacity(n, 3 * values);
        for i in 0..n.saturating_sub(2) {
            threes.push(&[twos.get(i), ones.get(i + 2)]);
        }
        [ones, twos, threes]
    }
}

/// One side as the search reads it: prefix sums of the lengths, and the sorted anchors and
/// dictionary entries of every run of one, two and three sentences, so that a bead costs no
/// allocation or sort.
pub(crate) struct Flat {
    /// `prefix[i]` is the length of sentences `0..i`.
    prefix: Vec<usize>,
    /// `runs[d - 1].get(i)`: the anchors of sentences `i..i + d`.
    runs: [Lists; 3],
    /// `lex[d - 1].get(i)`: the dictionary entries of sentences `i..i + d`.
    lex: [Lists; 3],
}

impl Flat {
    /// The search's view of `side`, with the dictionary entries `lex` of each sentence (none
    /// when `lex` is shorter).
    pub(crate) fn new(side: &Side, lex: &[Vec<u64>]) -> Flat {
        Flat::of(&side.lengths, &side.anchors, lex)
    }

    /// The search's view of sentences with these lengths, anchors and dictionary entries.
    pub(crate) fn of(lengths: &[usize], anchors: &[Vec<u64>], lex: &[Vec<u64>]) -> Flat {
        let n = lengths.len();
        let mut prefix = Vec::with_capacity(n + 1);
        prefix.push(0);
        let mut total = 0;
        for &len in lengths {
            total = usize::saturating_add(total, len);
            prefix.push(total);
        }
        let list = |per: &[Vec<u64>]| {
            let mut ones = Lists::with_capacity(n, per.iter().map(Vec::len).sum());
            for k in 0..n {
                ones.push(&[per.get(k).map_or(&[][..], Vec::as_slice)]);
            }
            ones
        };
        Flat::from_parts(prefix, list(anchors), list(lex))
    }

    /// Completes the runs of two and three sentences.
    fn from_parts(prefix: Vec<usize>, ones: Lists, lex: Lists) -> Flat {
        let n = prefix.len() - 1;
        Flat {
            prefix,
            runs: Lists::runs(ones, n),
            lex: Lists::runs(lex, n),
        }
    }

    /// Number of sentences.
    pub(crate) fn len(&self) -> usize {
        self.prefix.len() - 1
    }

    /// Total length of `count` sentences from `from`.
    pub(crate) fn length(&self, from: usize, count: usize) -> usize {
        self.prefix[from + count] - self.prefix[from]
    }

    /// Sorted anchors of `count` (at most 3) sentences from `from`.
    fn anchors(&self, from: usize, count: usize) -> &[u64] {
        match count.checked_sub(1) {
            Some(d) => self.runs[d].get(from),
            None => &[],
        }
    }

    /// Sorted dictionary entries of `count` (at most 3) sentences from `from`.
    fn entries(&self, from: usize, count: usize) -> &[u64] {
        match count.checked_sub(1) {
            Some(d) => self.lex[d].get(from),
            None => &[],
        }
    }

    /// The side at half the resolution: each pair of consecutive sentences as one.
    fn coarsen(&self) -> Flat {
        let n = self.len();
        let blocks = n.div_ceil(2);
        let prefix = (0..=blocks).map(|b| self.prefix[(2 * b).min(n)]).collect();
        let mut ones = Lists::with_capacity(blocks, self.runs[0].values.len());
        let mut lex = Lists::with_capacity(blocks, self.lex[0].values.len());
        for b in 0..blocks {
            ones.push(&[self.anchors(2 * b, (n - 2 * b).min(2))]);
            lex.push(&[self.entries(2 * b, (n - 2 * b).min(2))]);
        }
        Flat::from_parts(prefix, ones, lex)
    }
}

/// Weights of the evidence in a bead's cost, against the length term (`-ln p`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Weights {
    /// Each anchor: a matched one lowers the cost by this, an unmatched one raises it by
    /// `UNMATCHED_WEIGHT` times this.
    pub(crate) anchor: f64,
    /// Each dictionary entry found on both sides lowers the cost by this.
    pub(crate) lex_match: f64,
    /// Each dictionary entry found on one side only raises it by this.
    pub(crate) lex_miss: f64,
}

impl Weights {
    /// Length and anchors alone: before a dictionary is learned.
    pub(crate) const ANCHORS: Weights = Weights {
        anchor: ANCHOR_WEIGHT,
        lex_match: 0.0,
        lex_miss: 0.0,
    };
}

/// Bead costs of one pair of sides under one length model.
pub(crate) struct Costs<'a> {
    model: LengthModel,
    weights: Weights,
    src: &'a Flat,
    tgt: &'a Flat,
    /// `-ln(prior)` of each shape.
    prior: [f64; SHAPES.len()],
}

/// Number of common values of two sorted lists (as multisets).
fn common(a: &[u64], b: &[u64]) -> usize {
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
    common
}

impl<'a> Costs<'a> {
    pub(crate) fn new(model: LengthModel, weights: Weights, src: &'a Flat, tgt: &'a Flat) -> Self {
        Costs {
            model,
            weights,
            src,
            tgt,
            prior: SHAPES.map(|(_, _, prior)| -prior.ln()),
        }
    }

    /// A bound that [`Costs::bead`]'s cost never goes below, from the prior and the anchor
    /// and entry counts alone: the search skips a bead that cannot win without computing its
    /// cost.
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
        let (la, lb) = (self.src.entries(i, di).len(), self.tgt.entries(j, dj).len());
        let (lex_total, lex_common) = ((la + lb) as f64, la.min(lb) as f64);
        let w = self.weights;
        let lex = w.lex_miss * (lex_total - 2.0 * lex_common) - w.lex_match * lex_common;
        self.prior[k] + w.anchor * anchors + lex - 1e-6 * (1.0 + total + lex_total)
    }

    /// The cost of the bead of shape `k` starting at `(i, j)` (lower is better) and its score.
    pub(crate) fn bead(&self, (i, j): (usize, usize), k: usize) -> (f64, f64) {
        let (di, dj, _) = SHAPES[k];
        let p = self
            .model
            .probability(self.src.length(i, di), self.tgt.length(j, dj));
        let (a, b) = (self.src.anchors(i, di), self.tgt.anchors(j, dj));
        let sim = overlap(a, b);
        // Each anchor found on both sides is evidence for the bead, each one left without its
        // counterpart evidence against it (counted, not averaged, so merging sentences cannot
        // hide a name or number that the other side lacks).
        let common_anchors = sim.map_or(0.0, |s| s * (a.len() + b.len()) as f64 / 2.0);
        let unmatched = (a.len() + b.len()) as f64 - 2.0 * common_anchors;
        // In a sentence left out or added, unmatched anchors are expected, not evidence.
        let one_sided = di == 0 || dj == 0;
        let w = self.weights;
        let evidence = if one_sided {
            0.0
        } else {
            let anchors = w.anchor * (UNMATCHED_WEIGHT * unmatched - common_anchors);
            // Dictionary entries the same way, with weights of their own: a learned
            // dictionary misses many words, so a missing counterpart says less.
            let (la, lb) = (self.src.entries(i, di), self.tgt.entries(j, dj));
            let lex = if la.is_empty() && lb.is_empty() {
                0.0
            } else {
                let c = common(la, lb) as f64;
                w.lex_miss * ((la.len() + lb.len()) as f64 - 2.0 * c) - w.lex_match * c
            };
            anchors + lex
        };
        // Gale–Church would call any long omission near-impossible, so merging it into a
        // neighbour would always win; a left-out sentence pays only part of the length cost.
        let length_cost = if one_sided {
            -p.ln() * GAP_LENGTH_WEIGHT
        } else {
            -p.ln()
        };
        let cost = self.prior[k] + length_cost + evidence;
        let score = match sim {
            Some(s) if di > 0 && dj > 0 => p * (0.5 + 0.5 * s),
            _ => p,
        };
        (cost, score)
    }
}

/// One bead of a search result: where it starts (source, target) and its shape in [`SHAPES`].
pub(crate) type Step = (usize, usize, usize);

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
pub(crate) fn points(steps: &[Step], n: usize, m: usize) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = steps.iter().map(|&(i, j, _)| (i, j)).collect();
    out.push((n, m));
    out
}

/// Up to this many cells (times the band's `(2·half + 1)²`), a matrix is searched in full.
const FULL_SEARCH: usize = 16;

/// Rounds of re-centring the band on the path found in it, while that path runs along the
/// band's edge.
const MAX_ROUNDS: usize = 3;

/// Best beads under `model` and `weights`. A small matrix is searched in full. A larger one is searched in
/// a band of `half` sentences either side of a guide path: the given one, or the path found
/// at half the resolution (each side's consecutive pairs merged), recursively, as vecalign
/// does with its coarse-to-fine search. Time and memory are O((n + m) · half).
pub(crate) fn search(
    src: &Flat,
    tgt: &Flat,
    model: LengthModel,
    weights: Weights,
    half: usize,
    guide: Option<&[(usize, usize)]>,
) -> Vec<Step> {
    let (n, m) = (src.len(), tgt.len());
    let costs = Costs::new(model, weights, src, tgt);
    let side = half.saturating_mul(2).saturating_add(1);
    if (n + 1).saturating_mul(m + 1) <= FULL_SEARCH.saturating_mul(side).saturating_mul(side) {
        return banded(&costs, &Band::full(n, m));
    }
    let mut path = match guide {
        Some(path) => path.to_vec(),
        None => {
            let coarse = search(&src.coarsen(), &tgt.coarsen(), model, weights, half, None);
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
