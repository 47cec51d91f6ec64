//! One side of a pair as the aligner reads it: each sentence's length, anchors, tokens and
//! paragraph.

use std::collections::HashSet;

/// One side of the pair: each sentence's length, anchors, tokens and paragraph.
#[derive(Debug, Clone, Default)]
pub struct Side {
    /// Length in characters, white space not counted.
    pub lengths: Vec<usize>,
    /// Anchor tokens of each sentence (hashed), sorted.
    pub anchors: Vec<Vec<u64>>,
    /// Content tokens of each sentence (ids of this side's words and Han characters and
    /// pairs), sorted and distinct: what the dictionary is learned from.
    pub tokens: Vec<Vec<u32>>,
    /// Whether each sentence starts a paragraph (the first always does); empty or all false
    /// when the document has no paragraphs.
    pub paragraph_starts: Vec<bool>,
}

/// Builds one side from its sentences: lengths, anchors and tokens. `concepts` holds the
/// glossary concepts found in each sentence; `latin_elsewhere` the lower-cased Latin words of
/// the other document (a capitalised word or acronym here is an anchor only if it also occurs
/// there: names left untranslated). Paragraphs are left unmarked: set
/// [`Side::paragraph_starts`].
pub fn side(
    sentences: &[&str],
    concepts: &[Vec<usize>],
    latin_elsewhere: &HashSet<String>,
) -> Side {
    let mut out = Side::default();
    let mut tokenizer = super::lexical::Tokenizer::new();
    for (k, s) in sentences.iter().enumerate() {
        out.lengths.push(super::anchors::length(s));
        let concepts = concepts.get(k).map_or(&[][..], Vec::as_slice);
        out.anchors.push(super::anchors::sentence_anchors(
            s,
            concepts,
            latin_elsewhere,
        ));
        out.tokens.push(tokenizer.tokens(s));
    }
    out
}
