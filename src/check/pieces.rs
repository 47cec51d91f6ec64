//! A long document checked a piece at a time, in bounded memory, with the same flags as when
//! it is checked whole.
//!
//! Everything a check keeps per byte (the normalised copy and its offset map, the script runs
//! and segments, the glossary matches) lives for one piece of about `piece_bytes` at a time.
//! Pieces end at a blank line after a sentence where there is one (else at a blank line, else
//! at a line break), where no sentence, script run or repeat crosses. What depends on the whole
//! document is settled first and told to every piece: the language each script's short runs
//! take and the document's main language ([`Labeller`]), whether it has Latin letters at all,
//! whether bare 派对 means a party (two political concepts anywhere), and the mojibake, whose
//! legacy reading is decided by the document's other lines. What can only be weighed at the
//! end (one concept rendered several ways) is gathered from the pieces and checked then;
//! Simplified/Traditional leftovers are found over the whole text, which streams.
//!
//! One difference is left: matching collapses white space, so a glossary form broken across
//! the blank line where a piece ends (`Labour` at a paragraph's end, `Party` at the next one's
//! start) is found whole and not in pieces.

use std::collections::HashSet;
use std::ops::Range;

use super::context::{Context, Piece, Whole, glossary_matches};
use super::terms;
use crate::analysis::{Analysis, segment_runs};
use crate::detect::{self, Labeller, LangTally, Tiers};
use crate::document::Document;
use crate::flag::Flag;
use crate::glossary::Termbase;
use crate::glossary::normalize::Normalized;
use crate::lines::LineIndex;

/// Pieces a long document is checked in: about this many bytes each.
pub const PIECE_BYTES: usize = 2 << 20;

/// Where a text is cut into pieces of about `piece_bytes`: after that many bytes, at the start
/// of a blank line after a sentence's end within one more piece's length, else of any blank
/// line there, else of the next line; a text with no line break left is not cut further.
pub fn cuts(text: &str, piece_bytes: usize) -> Vec<Range<usize>> {
    let piece_bytes = piece_bytes.max(1);
    let mut out = Vec::new();
    let mut start = 0;
    while text.len() - start > piece_bytes {
        let mut from = start + piece_bytes;
        while !text.is_char_boundary(from) {
            from += 1;
        }
        let Some(cut) = cut_in(text, from, piece_bytes) else {
            break;
        };
        out.push(start..cut);
        start = cut;
    }
    out.push(start..text.len());
    out
}

/// The best place to cut `text` at or after `from` (see [`cuts`]), looking `window` bytes on
/// for a blank line.
fn cut_in(text: &str, from: usize, window: usize) -> Option<usize> {
    let until = from.saturating_add(window);
    let mut blank = None;
    let mut line = None;
    let starts = (text.as_bytes()[from..].iter().enumerate())
        .filter(|(_, b)| **b == b'\n')
        .map(|(i, _)| from + i + 1)
        .take_while(|&at| at < text.len());
    for at in starts {
        if at > until {
            return blank.or(line).or(Some(at));
        }
        line.get_or_insert(at);
        let next = text[at..].split('\n').next().unwrap_or("");
        if !next.trim().is_empty() {
            continue;
        }
        blank.get_or_insert(at);
        let before = text[..at].trim_end();
        if before.ends_with(['.', '!', '?', '。', '！', '？', '"', '”', '」']) {
            return Some(at);
        }
    }
    blank.or(line)
}

/// Analyses and checks a document a piece of about `piece_bytes` at a time: the flags,
/// languages and renderings are those of [`crate::analysis::analyze`] and [`super::document`]
/// on the whole document; the segments and script runs are not kept, only their number.
pub fn document(
    doc: Document,
    forced: Option<&'static str>,
    termbase: &Termbase,
    piece_bytes: usize,
) -> Analysis {
    let text = doc.text.as_str();
    let pieces = cuts(text, piece_bytes);
    // First reading: each piece's long runs in order (the quick language tier learns from the
    // earlier ones), and whether the document is political.
    let mut labeller = Labeller::new(detect::has_kana(text), Tiers::Quick);
    let mut before = Vec::with_capacity(pieces.len());
    let mut seen = HashSet::new();
    let mut political = false;
    for span in &pieces {
        before.push(labeller.clone());
        let piece = &text[span.clone()];
        labeller.long_runs(piece, &mut segment_runs(piece).1);
        if !political {
            let norm = Normalized::new(piece);
            let urls = crate::text::url_spans(piece);
            let matches = glossary_matches(piece, &norm, &urls, termbase);
            political = terms::political(&matches, termbase, &mut seen);
        }
    }
    let dominant = labeller.dominant(forced);
    let lang = labeller.main_language(&dominant);
    let whole = Whole {
        political,
        latin: labeller.has(detect::Script::Latin),
        mojibake: crate::mojibake::find(text),
        garbles: crate::mojibake::garbles(text),
    };
    // Second reading: each piece labelled as the first reading did, then checked.
    let mut flags: Vec<Flag> = Vec::new();
    let mut renderings = terms::Renderings::default();
    let mut used = Vec::new();
    let mut used_seen = HashSet::new();
    let mut shares = LangTally::default();
    let mut segment_count = 0;
    for (span, mut labeller) in pieces.iter().zip(before) {
        let piece = &text[span.clone()];
        let (segments, mut runs) = segment_runs(piece);
        segment_count += segments.len();
        labeller.long_runs(piece, &mut runs);
        dominant.settle(&mut runs);
        for run in &runs {
            shares.add(run);
        }
        let lines = LineIndex::new(piece);
        let ctx = Context::new(piece, lang, &runs, &lines, termbase)
            .in_piece(Piece::new(&whole, span.clone()));
        let (found, forms) = super::gather_piece(&ctx);
        for rendering in terms::renderings(&ctx) {
            if used_seen.insert(rendering.clone()) {
                used.push(rendering);
            }
        }
        drop(ctx);
        renderings.append(forms, span.start);
        flags.extend(found.into_iter().map(|mut f| {
            f.start += span.start;
            f.end += span.start;
            f
        }));
    }
    let detection = shares.detection().forced(forced);
    let inconsistent = terms::consistency(text, lang, termbase, renderings, &flags);
    flags.extend(inconsistent);
    let (scripts, region) = crate::analysis::chinese_script(text, &detection);
    let lines = LineIndex::new(text);
    let flags = super::finish(text, &lines, flags, (scripts, region), termbase);
    Analysis {
        doc,
        lines,
        detection,
        segments: Vec::new(),
        segment_count,
        runs: Vec::new(),
        scripts,
        region,
        flags,
        ignored: Vec::new(),
        renderings: used,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flag::Rule;
    use crate::glossary::builtin;

    /// A file of the repository's sample corpus or test data, as text.
    fn sample(path: &str) -> String {
        let bytes = std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        crate::document::decode(&bytes)
            .unwrap_or_else(|e| panic!("{path}: {e}"))
            .text
    }

    /// Chinese read as Latin-1 after GBK (a legacy mojibake line).
    fn gbk_as_latin1(s: &str) -> String {
        let (bytes, _, _) = encoding_rs::GBK.encode(s);
        bytes.iter().map(|&b| char::from(b)).collect()
    }

    /// UTF-8 read as GBK (European accents inside Latin words).
    fn utf8_as_gbk(s: &str) -> String {
        let (text, _) = encoding_rs::GBK.decode_without_bom_handling(s.as_bytes());
        text.into_owned()
    }

    /// A Chinese document whose document-wide rules each reach across pieces: the political
    /// concepts come first and a bare 派对 much later; one concept is written one way early and
    /// another way late; legacy mojibake lines are spread out, with a line only the document's
    /// dominant reading repairs; two European words read as GBK lie far apart.
    fn chinese() -> String {
        let mut parts = vec![
            "工党全国执行委员会发表声明。反犹太主义是问题，反犹太主义必须结束。".to_string(),
            gbk_as_latin1("工党全国执行委员会发表声明。"),
            sample("corpus/law-nec-elections-motion-2020.zh.txt"),
            format!("他们在 {} 见面。", utf8_as_gbk("café")),
            sample("corpus/scg-statement-leaked-report.zh.txt"),
            gbk_as_latin1("议员们支持这份声明。"),
        ];
        for name in ["conference-rule-changes", "ehrc-report-reactions"] {
            parts.push(sample(&format!("tests/data/unlisted/{name}.zh.txt")));
        }
        parts.extend([
            gbk_as_latin1("乔恩说："),
            format!("{} 说了。", utf8_as_gbk("François")),
            "他们说这个派对必须改革。反犹主义也是。".to_string(),
            "It shows that the party is divided. 议员们支持这份声明。".to_string(),
            gbk_as_latin1("注释 (9)"),
        ]);
        parts.join("\n\n")
    }

    /// An English document with a French paragraph, near misses and a deprecated form.
    fn english() -> String {
        [
            sample("corpus/law-nec-elections-motion-2020.en.txt"),
            "Le comité exécutif national du parti travailliste a publié une déclaration sur les \
             élections internes du parti."
                .to_string(),
            sample("corpus/law-motion-blog-post.en.md"),
            "Ian Lvery and Jon Trickett spoke at the Bulllingdon Club about the NEC.".to_string(),
            "They backed Boycott, Disinvestment and Sanctions.".to_string(),
        ]
        .join("\n\n")
    }

    /// Whole-document analysis and checks, and the same in pieces of `piece_bytes`.
    fn both(
        text: &str,
        forced: Option<&'static str>,
        termbase: &Termbase,
        piece_bytes: usize,
    ) -> (Analysis, Analysis) {
        let doc = Document::from_text("doc.txt", text);
        let mut whole = crate::analysis::analyze(doc.clone(), forced);
        super::super::document(&mut whole, termbase);
        (whole, document(doc, forced, termbase, piece_bytes))
    }

    /// Fails with the flags only one side has.
    fn same_flags(pieces: &[Flag], whole: &[Flag], at: &str) {
        let brief = |f: &Flag| {
            format!(
                "{:?} {}..{} {:?}: {}",
                f.rule, f.start, f.end, f.text, f.message
            )
        };
        let only = |a: &[Flag], b: &[Flag]| -> Vec<String> {
            a.iter()
                .filter(|f| !b.contains(f))
                .map(brief)
                .take(5)
                .collect()
        };
        let first = pieces.iter().zip(whole).position(|(p, w)| p != w);
        assert!(
            pieces == whole,
            "{at}: only in pieces {:#?}, only whole {:#?}; {} against {} flags, first differing: {:#?}",
            only(pieces, whole),
            only(whole, pieces),
            pieces.len(),
            whole.len(),
            first.map(|i| (&pieces[i], &whole[i]))
        );
    }

    #[test]
    fn a_document_checked_in_pieces_has_the_flags_of_the_whole() {
        let termbase = Termbase::new(builtin::glossary()).expect("the built-in glossary builds");
        for (name, text, forced) in [
            ("chinese", chinese(), None),
            ("chinese, --lang zh", chinese(), Some("zh")),
            ("english", english(), None),
            ("mixed", format!("{}\n\n{}", english(), chinese()), None),
        ] {
            let mut compared = 0;
            for piece_bytes in [200, 1000, 4000, 16_000, text.len()] {
                let (whole, pieces) = both(&text, forced, &termbase, piece_bytes);
                let at = format!("{name}, pieces of {piece_bytes} bytes");
                if piece_bytes <= 1000 {
                    assert!(cuts(&text, piece_bytes).len() > 3, "{at}");
                }
                same_flags(&pieces.flags, &whole.flags, &at);
                assert_eq!(pieces.detection, whole.detection, "{at}");
                assert_eq!(pieces.renderings, whole.renderings, "{at}");
                assert_eq!(pieces.segment_count, whole.segments.len(), "{at}");
                assert_eq!(
                    (pieces.scripts, pieces.region),
                    (whole.scripts, whole.region),
                    "{at}"
                );
                compared += whole.flags.len();
            }
            assert!(compared > 0, "{name}");
        }
        // The document-wide rules were all exercised.
        let (whole, _) = both(&chinese(), None, &termbase, 1000);
        let has = |rule: Rule, text: &str| {
            whole
                .flags
                .iter()
                .any(|f| f.rule == rule && f.text.contains(text))
        };
        assert!(has(Rule::DeprecatedTerm, "派对"), "political document");
        assert!(has(Rule::InconsistentRendering, "反犹主义"), "renderings");
        let steps = |f: &Flag| f.steps.as_ref().map_or(String::new(), |s| s.join(";"));
        let count = |step: &str| {
            whole
                .flags
                .iter()
                .filter(|f| steps(f).contains(step))
                .count()
        };
        assert_eq!(count("decoded as GB18030"), 4, "legacy mojibake lines");
        assert_eq!(count("encoded as GBK"), 2, "European words read as GBK");
    }

    #[test]
    fn kana_anywhere_makes_every_han_run_japanese() {
        let termbase = Termbase::empty();
        let text = format!(
            "{}\n\n東京都の労働組合は、新しい選挙制度について議論した。",
            "工党全国执行委员会发表声明。\n\n".repeat(40)
        );
        let (whole, pieces) = both(&text, None, &termbase, 300);
        assert_eq!(whole.detection.language, Some("ja"));
        assert_eq!(pieces.detection, whole.detection);
        assert_eq!(pieces.flags, whole.flags);
    }

    #[test]
    fn pieces_end_where_a_line_starts_and_prefer_a_blank_line_after_a_sentence() {
        let text = "a\nb\n\nc.\n\nd\n";
        assert_eq!(cut_in(text, 0, text.len()), Some(8), "after `c.`");
        assert_eq!(cut_in(text, 0, 4), Some(4), "a blank line");
        assert_eq!(cut_in(text, 0, 2), Some(2), "a line");
        assert_eq!(
            cut_in("abc\ndef", 0, 1),
            Some(4),
            "the next line, however far"
        );
        assert_eq!(cut_in("abc", 0, 1), None);
        let text = chinese();
        for piece_bytes in [1, 100, 5000] {
            let pieces = cuts(&text, piece_bytes);
            assert_eq!(pieces.first().map(|r| r.start), Some(0));
            assert_eq!(pieces.last().map(|r| r.end), Some(text.len()));
            for pair in pieces.windows(2) {
                assert_eq!(pair[0].end, pair[1].start);
                assert!(text[..pair[0].end].ends_with('\n'), "{pieces:?}");
            }
        }
        // No line break: one piece.
        assert_eq!(cuts(&"x".repeat(100), 10), vec![(0..100)]);
    }
}
