//! Checks over aligned pairs of an original and its translation: a source concept whose
//! accepted target form is missing, numbers that changed, sentences dropped or added, and
//! target sentences identical to their source. Flags of `omission` point into the source
//! text; all others into the target text.

use std::ops::Range;

use crate::align::{self, AlignOptions, Bead, numbers};
use crate::analysis::Analysis;
use crate::flag::{Flag, Rule, Severity};
use crate::glossary::Termbase;
use crate::glossary::matcher::Match;
use crate::glossary::normalize::Normalized;
use crate::lines::LineIndex;

/// One side of an aligned pair of documents.
pub struct Doc<'a> {
    pub text: &'a str,
    pub lang: &'a str,
    /// Sentence spans, in order.
    pub sentences: &'a [Range<usize>],
    /// Glossary matches in the whole text.
    pub matches: Vec<Match<'a>>,
}

impl<'a> Doc<'a> {
    /// Prepares one side: finds its glossary matches.
    pub fn new(
        text: &'a str,
        lang: &'a str,
        sentences: &'a [Range<usize>],
        termbase: &'a Termbase,
    ) -> Doc<'a> {
        let matches = termbase.matcher.find(text, &Normalized::new(text));
        Doc {
            text,
            lang,
            sentences,
            matches,
        }
    }

    /// Concept indices found in each sentence (in any language listed for the concept).
    pub fn concepts_per_sentence(&self) -> Vec<Vec<usize>> {
        self.sentences
            .iter()
            .map(|s| {
                let mut cs: Vec<usize> = self
                    .matches
                    .iter()
                    .filter(|m| m.span.start >= s.start && m.span.end <= s.end)
                    .flat_map(|m| m.entries().map(|e| e.concept))
                    .collect();
                cs.sort_unstable();
                cs.dedup();
                cs
            })
            .collect()
    }

    fn span(&self, ids: &[usize]) -> Option<Range<usize>> {
        let first = self.sentences.get(*ids.first()?)?;
        let last = self.sentences.get(*ids.last()?)?;
        Some(first.start..last.end)
    }
}

/// An original and its translation, aligned and checked pair by pair.
#[derive(Debug, Clone)]
pub struct AlignedPair {
    pub source_lang: &'static str,
    pub target_lang: &'static str,
    /// Sentence spans of each side.
    pub source_sentences: Vec<Range<usize>>,
    pub target_sentences: Vec<Range<usize>>,
    pub beads: Vec<Bead>,
    /// Flags per bead, located: `omission` in the source text, the rest in the target.
    pub flags: Vec<Vec<Flag>>,
}

/// Sentence spans of an analysed document: its segments, or its lines with `lines`.
pub fn sentences(a: &Analysis, lines: bool) -> Vec<Range<usize>> {
    debug_assert_eq!(
        a.segments.len(),
        a.segment_count,
        "a document checked in pieces keeps no segments to align"
    );
    if !lines {
        return a.segments.iter().map(|s| s.span.clone()).collect();
    }
    let mut out = Vec::new();
    let mut start = 0;
    for line in a.doc.text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        out.push(start..start + body.len());
        start += line.len();
    }
    out
}

/// A concept named in more than this share of a document's sentences (and in more than
/// [`RARE_CONCEPT_COUNT`]) is no anchor: chosen on the project's tuning pair
/// (`tests/data/align/news-tune`, where 0.02–0.2 gave the same beads; BENCHMARKS.md, issue 21).
const RARE_CONCEPT_SHARE: f64 = 0.1;
/// A concept named in at most this many sentences always anchors (a short text's names).
const RARE_CONCEPT_COUNT: f64 = 3.0;

/// The concepts of each sentence that can anchor a bead: those named in few sentences of the
/// document. A concept the text is about (工党 in a report on Labour) is named or left implied
/// sentence by sentence as the translator chooses, so counting it as unmatched where one side
/// leaves it out would merge neighbours; like a function word, it says little about which
/// sentence is which.
fn rare_concepts(mut per_sentence: Vec<Vec<usize>>) -> Vec<Vec<usize>> {
    let mut named: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    for c in per_sentence.iter().flatten() {
        *named.entry(*c).or_default() += 1;
    }
    let most = (RARE_CONCEPT_SHARE * per_sentence.len() as f64).max(RARE_CONCEPT_COUNT);
    for cs in &mut per_sentence {
        cs.retain(|c| named.get(c).is_some_and(|&n| n as f64 <= most));
    }
    per_sentence
}

/// Which segments of a document start a paragraph (after a blank line), the first aside.
fn paragraph_starts(a: &Analysis) -> Vec<bool> {
    let mut previous = None;
    a.segments
        .iter()
        .map(|seg| {
            previous
                .replace(seg.paragraph)
                .is_some_and(|p| p != seg.paragraph)
        })
        .collect()
}

/// Aligns two analysed (and checked) documents and runs the pair checks.
pub fn align_pair<'a>(
    src: &'a Analysis,
    tgt: &'a Analysis,
    termbase: &Termbase,
    lines: bool,
) -> AlignedPair {
    let source_lang = src.detection.language.unwrap_or("und");
    let target_lang = tgt.detection.language.unwrap_or("und");
    let (ss, ts) = (sentences(src, lines), sentences(tgt, lines));
    let src_doc = Doc::new(&src.doc.text, source_lang, &ss, termbase);
    let tgt_doc = Doc::new(&tgt.doc.text, target_lang, &ts, termbase);
    let texts = |text: &'a str, spans: &[Range<usize>]| -> Vec<&'a str> {
        spans.iter().map(|r| &text[r.clone()]).collect()
    };
    let (src_refs, tgt_refs) = (texts(&src.doc.text, &ss), texts(&tgt.doc.text, &ts));
    let mut src_side = align::side(
        &src_refs,
        &rare_concepts(src_doc.concepts_per_sentence()),
        &align::latin_vocabulary(&tgt_refs),
    );
    let mut tgt_side = align::side(
        &tgt_refs,
        &rare_concepts(tgt_doc.concepts_per_sentence()),
        &align::latin_vocabulary(&src_refs),
    );
    // Blank lines mark paragraphs, which are aligned first (one line each with `lines`).
    if !lines {
        src_side.paragraph_starts = paragraph_starts(src);
        tgt_side.paragraph_starts = paragraph_starts(tgt);
    }
    let beads = align::align(&src_side, &tgt_side, AlignOptions::default());
    let mut flags = check_beads(&src_doc, &tgt_doc, &beads, termbase, &tgt.flags);
    let (src_lines, tgt_lines) = (LineIndex::new(&src.doc.text), LineIndex::new(&tgt.doc.text));
    for (bead_flags, bead) in flags.iter_mut().zip(&beads) {
        for f in bead_flags.iter_mut() {
            if bead.target.is_empty() || f.rule == Rule::Omission {
                f.locate(&src.doc.text, &src_lines);
            } else {
                f.locate(&tgt.doc.text, &tgt_lines);
            }
        }
    }
    AlignedPair {
        source_lang,
        target_lang,
        source_sentences: ss,
        target_sentences: ts,
        beads,
        flags,
    }
}

/// Flags for each bead, in bead order. `target_flags` are the target's monolingual flags
/// (deprecated forms and the like), attached to the bead whose target span holds them.
pub fn check_beads(
    src: &Doc<'_>,
    tgt: &Doc<'_>,
    beads: &[Bead],
    termbase: &Termbase,
    target_flags: &[Flag],
) -> Vec<Vec<Flag>> {
    beads
        .iter()
        .map(|bead| {
            let mut flags = Vec::new();
            let (s_span, t_span) = (src.span(&bead.source), tgt.span(&bead.target));
            match (s_span, t_span) {
                (Some(s), None) => {
                    let text = &src.text[s.clone()];
                    if text.chars().filter(|c| c.is_alphanumeric()).count() >= 8 {
                        let message = "this source sentence has no translation: it was left out";
                        flags.push(Flag::new(
                            Rule::Omission,
                            Severity::Warning,
                            src.text,
                            s,
                            message,
                        ));
                    }
                }
                (None, Some(t)) => {
                    let message = "this sentence has no counterpart in the source: it was added";
                    flags.push(Flag::new(
                        Rule::Addition,
                        Severity::Info,
                        tgt.text,
                        t,
                        message,
                    ));
                }
                (Some(s), Some(t)) => {
                    let many_sources = bead.source.len() > 1;
                    for &id in &bead.unsupported {
                        let (doc, rule, severity, message) = if many_sources {
                            (src, Rule::Omission, Severity::Info, "possibly left out: the translation fits the neighbouring sentence alone")
                        } else {
                            (tgt, Rule::Addition, Severity::Info, "possibly added: the source fits the neighbouring sentence alone")
                        };
                        if let Some(span) = doc.sentences.get(id) {
                            flags.push(Flag::new(rule, severity, doc.text, span.clone(), message));
                        }
                    }
                    pair_flags(src, tgt, s, t.clone(), termbase, &mut flags);
                    flags.extend(
                        target_flags
                            .iter()
                            .filter(|f| {
                                f.start >= t.start
                                    && f.end <= t.end
                                    && f.rule == Rule::DeprecatedTerm
                            })
                            .cloned(),
                    );
                }
                (None, None) => {}
            }
            flags
        })
        .collect()
}

fn pair_flags(
    src: &Doc<'_>,
    tgt: &Doc<'_>,
    s: Range<usize>,
    t: Range<usize>,
    termbase: &Termbase,
    flags: &mut Vec<Flag>,
) {
    let (source, target) = (&src.text[s.clone()], &tgt.text[t.clone()]);
    // missing-term: a concept of the source with no accepted target form in the target.
    let mut seen = Vec::new();
    for m in src
        .matches
        .iter()
        .filter(|m| m.span.start >= s.start && m.span.end <= s.end)
    {
        for e in m.entries().filter(|e| e.lang == src.lang) {
            if seen.contains(&e.concept) {
                continue;
            }
            seen.push(e.concept);
            let concept = &termbase.glossary.concepts[e.concept];
            let Some(preferred) = concept.preferred(tgt.lang) else {
                continue;
            };
            let in_target = tgt
                .matches
                .iter()
                .filter(|tm| tm.span.start >= t.start && tm.span.end <= t.end)
                .flat_map(|tm| tm.entries())
                .filter(|te| te.concept == e.concept)
                .collect::<Vec<_>>();
            // A deprecated rendering is already flagged as such; an accepted one is fine.
            if !in_target.is_empty() {
                continue;
            }
            let found = &src.text[m.span.clone()];
            let message =
                format!("'{found}' in the source has no translation here: expected '{preferred}'");
            flags.push(
                Flag::new(
                    Rule::MissingTerm,
                    Severity::Error,
                    tgt.text,
                    t.clone(),
                    message,
                )
                .suggest(preferred)
                .concept(&concept.id),
            );
        }
    }
    // number-anomaly: the numbers of the pair differ.
    let (a, b) = (numbers(source), numbers(target));
    if a != b {
        let missing: Vec<String> = a
            .iter()
            .filter(|n| !b.contains(n))
            .map(u64::to_string)
            .collect();
        let extra: Vec<String> = b
            .iter()
            .filter(|n| !a.contains(n))
            .map(u64::to_string)
            .collect();
        let mut parts = Vec::new();
        if !missing.is_empty() {
            parts.push(format!(
                "the source has {} that the translation lacks",
                missing.join(", ")
            ));
        }
        if !extra.is_empty() {
            parts.push(format!(
                "the translation has {} that the source lacks",
                extra.join(", ")
            ));
        }
        if !parts.is_empty() {
            let message = format!("numbers differ: {}", parts.join("; "));
            flags.push(Flag::new(
                Rule::NumberAnomaly,
                Severity::Warning,
                tgt.text,
                t.clone(),
                message,
            ));
        }
    }
    // untranslated: the target is the source, copied.
    let letters = source.chars().filter(|c| c.is_alphabetic()).count();
    if letters >= 2 && Normalized::new(source).text == Normalized::new(target).text {
        let message = "this sentence is identical to its source: it was not translated";
        flags.push(Flag::new(
            Rule::Untranslated,
            Severity::Warning,
            tgt.text,
            t,
            message,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glossary::csv;
    use std::path::Path;

    #[test]
    fn a_concept_named_in_many_sentences_is_no_anchor() {
        // Concept 7 in 5 of 20 sentences (over a tenth and over 3); 8 in 3; 9 in one.
        let mut per: Vec<Vec<usize>> = vec![Vec::new(); 20];
        for k in [0, 4, 8, 12, 16] {
            per[k].push(7);
        }
        for k in [1, 5, 9] {
            per[k].push(8);
        }
        per[2].push(9);
        let kept: Vec<usize> = rare_concepts(per).into_iter().flatten().collect();
        assert_eq!(kept, [8, 9, 8, 8]);
        // A short text keeps them all.
        let short = vec![vec![1], vec![1, 2], vec![1]];
        assert_eq!(rare_concepts(short.clone()), short);
    }

    #[test]
    fn blank_lines_start_paragraphs() {
        let text = "One. Two.\n\nThree.\nFour.\n \n\nFive.";
        let a = crate::analysis::analyze(crate::document::Document::from_text("x.txt", text), None);
        assert_eq!(paragraph_starts(&a), [false, false, true, false, true]);
    }

    fn termbase() -> Termbase {
        let g = csv::from_str(
            "id,kind,en,zh,zh.deprecated\n\
             labour-party,org,Labour Party,工党,劳动派对\n\
             nec,org,NEC,全国执行委员会,\n",
            Path::new("t.csv"),
        )
        .unwrap();
        Termbase::new(g).unwrap()
    }

    fn spans(text: &str) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let mut start = 0;
        for line in text.split_inclusive('\n') {
            out.push(start..start + line.trim_end().len());
            start += line.len();
        }
        out
    }

    #[test]
    fn missing_terms_numbers_gaps_and_copies() {
        let tb = termbase();
        let en = "The Labour Party NEC met in 2020.\nIt should have died sooner.\nKeep this.\n";
        let zh = "全国执行委员会于2021年开会。\nKeep this.\n这句是新加的。\n";
        let (es, zs) = (spans(en), spans(zh));
        let src = Doc::new(en, "en", &es, &tb);
        let tgt = Doc::new(zh, "zh", &zs, &tb);
        let beads = vec![
            Bead {
                source: vec![0],
                target: vec![0],
                score: 1.0,
                unsupported: vec![],
            },
            Bead {
                source: vec![1],
                target: vec![],
                score: 1.0,
                unsupported: vec![],
            },
            Bead {
                source: vec![2],
                target: vec![1],
                score: 1.0,
                unsupported: vec![],
            },
            Bead {
                source: vec![],
                target: vec![2],
                score: 1.0,
                unsupported: vec![],
            },
        ];
        let flags = check_beads(&src, &tgt, &beads, &tb, &[]);
        let rules: Vec<Vec<Rule>> = flags
            .iter()
            .map(|f| f.iter().map(|f| f.rule).collect())
            .collect();
        assert_eq!(
            rules,
            [
                vec![Rule::MissingTerm, Rule::NumberAnomaly],
                vec![Rule::Omission],
                vec![Rule::Untranslated],
                vec![Rule::Addition]
            ]
        );
        assert_eq!(flags[0][0].suggestion.as_deref(), Some("工党"));
        assert!(flags[0][1].message.contains("2020") && flags[0][1].message.contains("2021"));
        assert_eq!(
            &en[flags[1][0].start..flags[1][0].end],
            "It should have died sooner."
        );
    }

    #[test]
    fn a_deprecated_rendering_is_not_also_missing() {
        let tb = termbase();
        let en = "The Labour Party met.";
        let zh = "劳动派对开会了。";
        let (es, zs) = (spans(en), spans(zh));
        let src = Doc::new(en, "en", &es, &tb);
        let tgt = Doc::new(zh, "zh", &zs, &tb);
        let beads = vec![Bead {
            source: vec![0],
            target: vec![0],
            score: 1.0,
            unsupported: vec![],
        }];
        assert!(check_beads(&src, &tgt, &beads, &tb, &[])[0].is_empty());
    }
}
