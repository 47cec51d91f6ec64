//! Sentence alignment of an original and its translation: dynamic programming over beads
//! (1-1, 1-0, 0-1, 2-1, 1-2, 2-2, 1-3, 3-1), each scored by a Gale–Church length cost whose
//! ratio and variance are learned from the pair itself, plus lexical anchors that need no
//! model (numbers and dates, Latin-script names and acronyms left in the translation,
//! glossary concepts, question marks and quotes). The search is banded around the diagonal,
//! so time and memory grow linearly with the length of the documents.

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
    /// Half-width of the band around the diagonal, in sentences (at least this; it also
    /// grows with the length of the longer side).
    pub min_band: usize,
}

impl Default for AlignOptions {
    fn default() -> Self {
        AlignOptions { min_band: 30 }
    }
}

/// Aligns two sides. The length ratio and variance are learned from the pair: a first pass
/// with a rough variance, then a second with the variance measured on its 1-1 beads.
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
    let first = search(src, tgt, model, options);
    let refined = model.refine(src, tgt, &first);
    let mut beads = search(src, tgt, refined, options);
    for bead in &mut beads {
        bead.unsupported = unsupported(refined, src, tgt, bead);
    }
    beads
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
    fn refine(self, src: &Side, tgt: &Side, beads: &[Bead]) -> LengthModel {
        let pairs: Vec<(f64, f64)> = beads
            .iter()
            .filter(|b| b.source.len() == 1 && b.target.len() == 1)
            .map(|b| {
                (
                    src.lengths[b.source[0]] as f64,
                    tgt.lengths[b.target[0]] as f64,
                )
            })
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

fn merged(lists: &[Vec<u64>], range: std::ops::Range<usize>) -> Vec<u64> {
    let mut out: Vec<u64> = lists[range].iter().flatten().copied().collect();
    out.sort_unstable();
    out
}

/// The cost of one bead (lower is better) and its score.
fn bead_cost(
    model: LengthModel,
    src: &Side,
    tgt: &Side,
    (i, j): (usize, usize),
    (di, dj, prior): (usize, usize, f64),
) -> (f64, f64) {
    let l1: usize = src.lengths[i..i + di].iter().sum();
    let l2: usize = tgt.lengths[j..j + dj].iter().sum();
    let p = model.probability(l1, l2);
    let a = merged(&src.anchors, i..i + di);
    let b = merged(&tgt.anchors, j..j + dj);
    let sim = overlap(&a, &b);
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
    let cost = -prior.ln() + length_cost + anchor_cost;
    let score = match sim {
        Some(s) if di > 0 && dj > 0 => p * (0.5 + 0.5 * s),
        _ => p,
    };
    (cost, score)
}

/// Banded dynamic programming over bead shapes, then backtracking.
fn search(src: &Side, tgt: &Side, model: LengthModel, options: AlignOptions) -> Vec<Bead> {
    let (n, m) = (src.lengths.len(), tgt.lengths.len());
    let band = options.min_band.max(n.max(m) / 10) + n.abs_diff(m);
    let center = |i: usize| (i * m).checked_div(n).unwrap_or(0);
    let lo = |i: usize| center(i).saturating_sub(band);
    let hi = |i: usize| (center(i) + band).min(m);
    // Row i holds columns lo(i)..=hi(i).
    let mut cost: Vec<Vec<f64>> = Vec::with_capacity(n + 1);
    let mut back: Vec<Vec<u8>> = Vec::with_capacity(n + 1);
    for i in 0..=n {
        let width = hi(i) - lo(i) + 1;
        cost.push(vec![f64::INFINITY; width]);
        back.push(vec![u8::MAX; width]);
    }
    cost[0][0] = 0.0;
    let get = |cost: &Vec<Vec<f64>>, i: usize, j: usize| -> f64 {
        if j < lo(i) || j > hi(i) {
            f64::INFINITY
        } else {
            cost[i][j - lo(i)]
        }
    };
    for i in 0..=n {
        for j in lo(i)..=hi(i) {
            if i == 0 && j == 0 {
                continue;
            }
            let mut best = (f64::INFINITY, u8::MAX);
            for (k, &(di, dj, prior)) in SHAPES.iter().enumerate() {
                if di > i || dj > j {
                    continue;
                }
                let prev = get(&cost, i - di, j - dj);
                if !prev.is_finite() {
                    continue;
                }
                let (c, _) = bead_cost(model, src, tgt, (i - di, j - dj), (di, dj, prior));
                if prev + c < best.0 {
                    best = (prev + c, k as u8);
                }
            }
            let at = j - lo(i);
            cost[i][at] = best.0;
            back[i][at] = best.1;
        }
    }
    let mut beads = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        let k = if j >= lo(i) && j <= hi(i) {
            back[i][j - lo(i)]
        } else {
            u8::MAX
        };
        // Outside the band or unreachable: fall back to single deletions/insertions.
        let (di, dj, prior) = match SHAPES.get(k as usize) {
            Some(&s) => s,
            None if i > 0 => SHAPES[1],
            None => SHAPES[2],
        };
        let (_, score) = bead_cost(model, src, tgt, (i - di, j - dj), (di, dj, prior));
        beads.push(Bead {
            source: (i - di..i).collect(),
            target: (j - dj..j).collect(),
            score: (score * 100.0).round() / 100.0,
            unsupported: Vec::new(),
        });
        i -= di;
        j -= dj;
    }
    beads.reverse();
    beads
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
    let cjk = s.chars().any(crate::segment::is_cjk);
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

/// English month names, lower-case, January first.
pub(crate) const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

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
        if let Some(m) = MONTHS.iter().position(|m| w.eq_ignore_ascii_case(m)) {
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

    #[test]
    fn empty_sides() {
        assert!(run(&[], &[]).is_empty());
        assert_eq!(run(&["Only source."], &[]), [(vec![0], vec![])]);
        assert_eq!(run(&[], &["只有译文。"]), [(vec![], vec![0])]);
    }
}
