//! Sentence alignment of an original and its translation: dynamic programming over beads
//! (1-1, 1-0, 0-1, 2-1, 1-2, 2-2, 1-3, 3-1), each scored by a Gale–Church length cost whose
//! ratio and variance are learned from the pair itself, lexical anchors that need no model
//! (numbers and dates in any written form, Latin-script names, URLs, glossary concepts,
//! question marks and quotes), and a dictionary learned from the pair itself (IBM Model 1 on
//! the confident beads of a first pass, as hunalign does without a dictionary). When both
//! sides have paragraphs, paragraphs are aligned first and sentences inside each aligned
//! group. Long documents are searched coarse to fine in a band of constant width, so time and
//! memory grow linearly with the length of the documents.

mod anchors;
mod lexical;
mod paragraphs;
mod search;
mod side;

use std::collections::HashSet;

pub use anchors::{latin_vocabulary, length, numbers};
use lexical::{LearnOptions, Lexicon};
use search::{Costs, Flat, LengthModel, SHAPES, Step, Weights, points, search};
pub use side::{Side, side};

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

/// How the dictionary learned from the pair weighs and how it is learned. The defaults were
/// chosen on the tuning half of align-dev, never on the half that is reported
/// (BENCHMARKS.md, "Issue 21").
#[derive(Debug, Clone, Copy)]
pub struct Tuning {
    /// Cost taken off a bead for each dictionary entry found on both sides.
    pub lex_match: f64,
    /// Cost added for each entry found on one side only.
    pub lex_miss: f64,
    /// Rounds of learning the dictionary and realigning (0: length and anchors only); a round
    /// that leaves the alignment unchanged ends them.
    pub rounds: usize,
    /// A token in more than this share of its side's sentences is a function word.
    pub stop_share: f64,
    /// A token pair is a dictionary entry when Model 1 gives it at least this probability in
    /// both directions.
    pub threshold: f64,
    /// Model 1's probability of a token given no word.
    pub null: f64,
    /// Align paragraphs first when both sides have them.
    pub paragraphs: bool,
}

impl Default for Tuning {
    fn default() -> Self {
        Tuning {
            lex_match: 0.3,
            lex_miss: 0.1,
            rounds: 2,
            stop_share: 0.1,
            threshold: 0.2,
            null: 0.02,
            paragraphs: true,
        }
    }
}

impl Tuning {
    /// How the dictionary is learned under these settings.
    fn learn_options(&self) -> LearnOptions {
        LearnOptions {
            stop_share: self.stop_share,
            threshold: self.threshold,
            null: self.null,
            ..LearnOptions::default()
        }
    }
}

/// Tuning of the search.
#[derive(Debug, Clone, Copy)]
pub struct AlignOptions {
    /// Half-width of the band searched around the path found at half the resolution, in
    /// sentences; a pair with fewer than about `(8·min_band)²` cells is searched in full.
    pub min_band: usize,
    /// The learned dictionary and paragraphs.
    pub tuning: Tuning,
}

impl Default for AlignOptions {
    fn default() -> Self {
        AlignOptions {
            min_band: 30,
            tuning: Tuning::default(),
        }
    }
}

/// Fewer confident 1-1 beads than this teach a dictionary nothing reliable: none is learned.
const MIN_TRAINING_PAIRS: usize = 8;

/// Aligns two sides. The length ratio and variance are learned from the pair: a first pass
/// with a rough variance, then a second with the variance measured on its 1-1 beads (searched
/// around the first pass's path). Then, while it changes the alignment, a dictionary is
/// learned from the confident 1-1 beads and the pair realigned with it. When both sides have
/// paragraphs, every pass after the first aligns paragraphs first, then the sentences inside
/// each group of aligned paragraphs.
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
    let (s, t) = (Flat::new(src, &[]), Flat::new(tgt, &[]));
    let (n, m) = (s.len(), t.len());
    let half = options.min_band;
    let tuning = options.tuning;
    let first = search(&s, &t, model, Weights::ANCHORS, half, None);
    let refined = model.refine(&s, &t, &first);
    let guide = points(&first, n, m);
    let paragraphs = tuning.paragraphs
        && paragraphs::count(&src.paragraph_starts, n) > 1
        && paragraphs::count(&tgt.paragraph_starts, m) > 1;
    let mut steps = if paragraphs {
        paragraphs::align(src, tgt, (&[], &[]), refined, Weights::ANCHORS, half)
    } else {
        search(&s, &t, refined, Weights::ANCHORS, half, Some(&guide))
    };
    let weights = Weights {
        lex_match: tuning.lex_match,
        lex_miss: tuning.lex_miss,
        ..Weights::ANCHORS
    };
    let learn = tuning.learn_options();
    for _ in 0..tuning.rounds {
        let pairs = confident(&steps);
        if pairs.len() < MIN_TRAINING_PAIRS {
            break;
        }
        let lexicon = Lexicon::learn(&src.tokens, &tgt.tokens, &pairs, learn);
        if lexicon.len == 0 {
            break;
        }
        let sl: Vec<Vec<u64>> = src
            .tokens
            .iter()
            .map(|t| lexicon.entries(t, true))
            .collect();
        let tl: Vec<Vec<u64>> = tgt
            .tokens
            .iter()
            .map(|t| lexicon.entries(t, false))
            .collect();
        let next = if paragraphs {
            paragraphs::align(src, tgt, (&sl, &tl), refined, weights, half)
        } else {
            let (s, t) = (Flat::new(src, &sl), Flat::new(tgt, &tl));
            search(&s, &t, refined, weights, half, Some(&points(&steps, n, m)))
        };
        if next == steps {
            break;
        }
        steps = next;
    }
    let costs = Costs::new(refined, Weights::ANCHORS, &s, &t);
    steps
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

/// The 1-1 beads whose neighbours are 1-1 beads too (or the document's edge), as (source,
/// target) sentence pairs: the ones a dictionary is learned from.
fn confident(steps: &[Step]) -> Vec<(usize, usize)> {
    let one = |k: Option<&Step>| k.is_none_or(|&(_, _, k)| k == 0);
    (0..steps.len())
        .filter(|&x| {
            steps[x].2 == 0
                && one(x.checked_sub(1).and_then(|p| steps.get(p)))
                && one(steps.get(x + 1))
        })
        .map(|x| (steps[x].0, steps[x].1))
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
        let full = align(
            &src,
            &tgt,
            AlignOptions {
                min_band: 10_000,
                ..AlignOptions::default()
            },
        );
        let banded = align(
            &src,
            &tgt,
            AlignOptions {
                min_band: 3,
                ..AlignOptions::default()
            },
        );
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
        let beads = align(
            &src,
            &tgt,
            AlignOptions {
                min_band: 5,
                ..AlignOptions::default()
            },
        );
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
                ..Side::default()
            };
            let beads = align(&side(&src), &side(&tgt), AlignOptions { min_band: half, ..AlignOptions::default() });
            assert_covers(&beads, src.len(), tgt.len());
        }
    }

    /// Two sides of `paragraphs` paragraphs of 3 to 6 sentences, each sentence with its
    /// translation; in every fourth paragraph the translation merges two sentences.
    fn with_paragraphs(paragraphs: usize, seed: u64) -> (Side, Side) {
        let mut rng = fastrand::Rng::with_seed(seed);
        let (mut src, mut tgt) = (Side::default(), Side::default());
        for p in 0..paragraphs {
            let count = rng.usize(3..7);
            for k in 0..count {
                let len = rng.usize(20..200);
                src.lengths.push(len);
                src.anchors.push(Vec::new());
                src.paragraph_starts.push(k == 0);
                if p % 4 == 3 && k == 1 {
                    if let Some(last) = tgt.lengths.last_mut() {
                        *last += len * 2 / 5;
                    }
                    continue;
                }
                tgt.lengths.push(len * 2 / 5 + rng.usize(0..6));
                tgt.anchors.push(Vec::new());
                tgt.paragraph_starts.push(k == 0);
            }
        }
        (src, tgt)
    }

    #[test]
    fn paragraph_first_never_crosses_an_aligned_paragraph_boundary() {
        let (src, tgt) = with_paragraphs(60, 7);
        let (n, m) = (src.lengths.len(), tgt.lengths.len());
        let beads = align(&src, &tgt, AlignOptions::default());
        assert_covers(&beads, n, m);
        let (s, t) = (Flat::new(&src, &[]), Flat::new(&tgt, &[]));
        let model = LengthModel {
            ratio: 0.4,
            variance: 6.8 * 0.4,
        };
        let first = search(&s, &t, model, Weights::ANCHORS, 30, None);
        let model = model.refine(&s, &t, &first);
        let blocks = paragraphs::blocks(&src, &tgt, (&[], &[]), model, Weights::ANCHORS, 30);
        assert!(blocks.len() > 1);
        // Here every paragraph has its translation: the groups are the paragraphs.
        assert_eq!(blocks.len(), 60);
        let block_of = |i: usize, source: bool| {
            blocks.iter().position(|(rs, rt)| {
                if source {
                    rs.contains(&i)
                } else {
                    rt.contains(&i)
                }
            })
        };
        let steps = paragraphs::align(&src, &tgt, (&[], &[]), model, Weights::ANCHORS, 30);
        for (i, j, k) in steps {
            let (di, dj, _) = SHAPES[k];
            let mut groups: Vec<Option<usize>> = (i..i + di).map(|x| block_of(x, true)).collect();
            groups.extend((j..j + dj).map(|x| block_of(x, false)));
            groups.dedup();
            assert_eq!(
                groups.len(),
                1,
                "bead at ({i}, {j}) shape {k} crosses a group"
            );
        }
        // Without paragraphs on one side, the sentences are aligned as one block.
        let flat_tgt = Side {
            paragraph_starts: Vec::new(),
            ..tgt.clone()
        };
        assert_covers(&align(&src, &flat_tgt, AlignOptions::default()), n, m);
    }

    #[test]
    fn alignment_is_deterministic_with_a_learned_dictionary() {
        // Twenty topics, each in two sentences: words rare enough to be learned.
        const TOPICS: [(&str, &str); 20] = [
            ("budget", "预算"),
            ("election", "选举"),
            ("members", "党员"),
            ("report", "报告"),
            ("court", "法院"),
            ("housing", "住房"),
            ("schools", "学校"),
            ("hospital", "医院"),
            ("railway", "铁路"),
            ("farmers", "农民"),
            ("police", "警察"),
            ("taxes", "税收"),
            ("energy", "能源"),
            ("workers", "工人"),
            ("prison", "监狱"),
            ("bridge", "桥梁"),
            ("museum", "博物馆"),
            ("airport", "机场"),
            ("library", "图书馆"),
            ("harbour", "港口"),
        ];
        let en: Vec<String> = (0..40)
            .map(|i| {
                format!(
                    "The committee discussed the {} on day {i}.",
                    TOPICS[i % 20].0
                )
            })
            .collect();
        let zh: Vec<String> = (0..40)
            .map(|i| format!("委员会在第{i}天讨论了{}。", TOPICS[i % 20].1))
            .collect();
        let en: Vec<&str> = en.iter().map(String::as_str).collect();
        let zh: Vec<&str> = zh.iter().map(String::as_str).collect();
        // The dictionary these beads teach is not empty, so the realigning rounds run.
        let (s, t) = (
            side(&en, &[], &latin_vocabulary(&zh)),
            side(&zh, &[], &latin_vocabulary(&en)),
        );
        let pairs: Vec<(usize, usize)> = (0..40).map(|i| (i, i)).collect();
        let learn = Tuning::default().learn_options();
        assert!(Lexicon::learn(&s.tokens, &t.tokens, &pairs, learn).len > 0);
        let first = run(&en, &zh);
        assert_eq!(first, run(&en, &zh));
        assert_eq!(
            first,
            (0..40).map(|i| (vec![i], vec![i])).collect::<Vec<_>>()
        );
    }

    #[test]
    fn empty_sides() {
        assert!(run(&[], &[]).is_empty());
        assert_eq!(run(&["Only source."], &[]), [(vec![0], vec![])]);
        assert_eq!(run(&[], &["只有译文。"]), [(vec![], vec![0])]);
    }
}
