//! Any two texts, split into sentences, aligned with a narrow band (to reach the banded,
//! coarse-to-fine search on small inputs) or the default one: the beads cover every sentence
//! of both sides exactly once and in order, each is one of the bead shapes, its score lies in
//! [0, 1] and its unsupported sentences are its own.
#![no_main]

use libfuzzer_sys::fuzz_target;
use transmend::align::{self, AlignOptions};

/// Sentences: each ends at a sentence terminator or a line break.
fn sentences(text: &str) -> Vec<&str> {
    text.split_inclusive(['.', '!', '?', '\n', '。', '！', '？'])
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    // The first byte picks the band; a NUL byte (or else the middle) splits the two texts.
    let options = match first % 8 {
        7 => AlignOptions::default(),
        half => AlignOptions {
            min_band: usize::from(half),
        },
    };
    let (a, b) = match rest.iter().position(|&b| b == 0) {
        Some(k) => (&rest[..k], &rest[k + 1..]),
        None => rest.split_at(rest.len() / 2),
    };
    let (a, b) = (String::from_utf8_lossy(a), String::from_utf8_lossy(b));
    let (src, tgt) = (sentences(&a), sentences(&b));
    let src_side = align::side(&src, &[], &align::latin_vocabulary(&tgt));
    let tgt_side = align::side(&tgt, &[], &align::latin_vocabulary(&src));
    let beads = align::align(&src_side, &tgt_side, options);

    let source: Vec<usize> = beads.iter().flat_map(|b| b.source.iter().copied()).collect();
    let target: Vec<usize> = beads.iter().flat_map(|b| b.target.iter().copied()).collect();
    assert!(source.iter().copied().eq(0..src.len()), "source {source:?}");
    assert!(target.iter().copied().eq(0..tgt.len()), "target {target:?}");
    for bead in &beads {
        let shape = (bead.source.len(), bead.target.len());
        assert!(
            matches!(
                shape,
                (1, 1) | (1, 0) | (0, 1) | (2, 1) | (1, 2) | (2, 2) | (3, 1) | (1, 3)
            ),
            "{bead:?}"
        );
        assert!((0.0..=1.0).contains(&bead.score), "{bead:?}");
        // Unsupported sentences are the "many" side's of an n-1 or 1-n bead.
        let many = match shape {
            (2 | 3, 1) => &bead.source[..],
            (1, 2 | 3) => &bead.target[..],
            _ => &[],
        };
        assert!(
            bead.unsupported.iter().all(|u| many.contains(u)) && bead.unsupported.len() < 3,
            "{bead:?}"
        );
    }
});
