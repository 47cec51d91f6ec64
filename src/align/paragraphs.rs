//! Paragraph-first alignment: when both documents have paragraphs, the paragraphs are aligned
//! first (each as one unit whose length, anchors and dictionary entries are its sentences'),
//! then the sentences inside each group of aligned paragraphs. A paragraph break is a soft
//! boundary: the paragraph search may still merge paragraphs (2-1, 1-2, ...) where the
//! translation regrouped them, but no sentence bead crosses the edge of an aligned group.

use std::ops::Range;

use super::search::{Flat, LengthModel, SHAPES, Step, Weights, search};
use super::side::Side;

/// Number of paragraphs of `n` sentences with these starts.
pub(crate) fn count(starts: &[bool], n: usize) -> usize {
    ranges(starts, n).len()
}

/// The sentence ranges of the paragraphs of `n` sentences.
fn ranges(starts: &[bool], n: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut begin = 0;
    for i in 1..n {
        if starts.get(i).copied().unwrap_or(false) {
            out.push(begin..i);
            begin = i;
        }
    }
    if n > 0 {
        out.push(begin..n);
    }
    out
}

/// The sentences of `count` paragraphs from paragraph `from` (empty, where paragraph `from`
/// starts, when `count` is 0); `n` is the number of sentences.
fn span(paragraphs: &[Range<usize>], from: usize, count: usize, n: usize) -> Range<usize> {
    let start = paragraphs.get(from).map_or(n, |r| r.start);
    let end = match count.checked_sub(1) {
        Some(d) => paragraphs.get(from + d).map_or(n, |r| r.end),
        None => start,
    };
    start..end.max(start)
}

/// The concatenated, sorted lists of each range.
fn merged_lists(lists: &[Vec<u64>], ranges: &[Range<usize>]) -> Vec<Vec<u64>> {
    ranges
        .iter()
        .map(|r| {
            let mut v: Vec<u64> = lists
                .get(r.clone())
                .into_iter()
                .flatten()
                .flatten()
                .copied()
                .collect();
            v.sort_unstable();
            v
        })
        .collect()
}

/// A side's paragraphs as the search reads them.
fn paragraph_flat(side: &Side, lex: &[Vec<u64>], paragraphs: &[Range<usize>]) -> Flat {
    let lengths: Vec<usize> = paragraphs
        .iter()
        .map(|r| side.lengths.get(r.clone()).map_or(0, |l| l.iter().sum()))
        .collect();
    Flat::of(
        &lengths,
        &merged_lists(&side.anchors, paragraphs),
        &merged_lists(lex, paragraphs),
    )
}

/// The groups of aligned paragraphs, as (source, target) sentence ranges in order; together
/// they cover both sides. `lex` holds each side's dictionary entries per sentence (or none).
pub(crate) fn blocks(
    src: &Side,
    tgt: &Side,
    lex: (&[Vec<u64>], &[Vec<u64>]),
    model: LengthModel,
    weights: Weights,
    half: usize,
) -> Vec<(Range<usize>, Range<usize>)> {
    let (n, m) = (src.lengths.len(), tgt.lengths.len());
    let (ps, pt) = (
        ranges(&src.paragraph_starts, n),
        ranges(&tgt.paragraph_starts, m),
    );
    let (fs, ft) = (
        paragraph_flat(src, lex.0, &ps),
        paragraph_flat(tgt, lex.1, &pt),
    );
    search(&fs, &ft, model, weights, half, None)
        .into_iter()
        .map(|(i, j, k)| {
            let (di, dj, _) = SHAPES[k];
            (span(&ps, i, di, n), span(&pt, j, dj, m))
        })
        .collect()
}

/// Paragraphs first, then the sentences inside each group of aligned paragraphs, each group
/// searched on its own.
pub(crate) fn align(
    src: &Side,
    tgt: &Side,
    lex: (&[Vec<u64>], &[Vec<u64>]),
    model: LengthModel,
    weights: Weights,
    half: usize,
) -> Vec<Step> {
    let sub = |side: &Side, lex: &[Vec<u64>], r: &Range<usize>| {
        Flat::of(
            side.lengths.get(r.clone()).unwrap_or(&[]),
            side.anchors.get(r.clone()).unwrap_or(&[]),
            lex.get(r.clone()).unwrap_or(&[]),
        )
    };
    let mut out = Vec::new();
    for (rs, rt) in blocks(src, tgt, lex, model, weights, half) {
        let (fs, ft) = (sub(src, lex.0, &rs), sub(tgt, lex.1, &rt));
        for (i, j, k) in search(&fs, &ft, model, weights, half, None) {
            out.push((i + rs.start, j + rt.start, k));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraph_ranges_and_spans() {
        let starts = [false, false, true, false, true];
        let r = ranges(&starts, 5);
        assert_eq!(r, [0..2, 2..4, 4..5]);
        assert_eq!(span(&r, 1, 2, 5), 2..5);
        assert_eq!(span(&r, 1, 0, 5), 2..2);
        assert_eq!(span(&r, 3, 0, 5), 5..5);
        assert_eq!(count(&[], 0), 0);
        assert_eq!(count(&[], 4), 1);
    }
}
