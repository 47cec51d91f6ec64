//! Paragraphs (split on blank lines) and sentences (UAX #29, plus CJK terminators and their ASCII
//! look-alikes used inside CJK text), each with its byte span in the decoded text.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

use crate::text::is_cjk;

/// One sentence-sized piece of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// Byte span in the document text, trimmed of surrounding white space.
    pub span: Range<usize>,
    /// 0-based index of the paragraph the segment belongs to.
    pub paragraph: usize,
}

/// Paragraph spans: maximal runs of non-blank lines, trimmed.
pub fn paragraphs(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut end = 0;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let blank = line.trim().is_empty();
        match (blank, start) {
            (false, None) => start = Some(pos),
            (true, Some(s)) => {
                out.push(s..end);
                start = None;
            }
            _ => {}
        }
        if !blank {
            end = pos + line.trim_end().len();
        }
        pos += line.len();
    }
    if let Some(s) = start {
        out.push(s..end);
    }
    out.into_iter().filter_map(|r| trim(text, r)).collect()
}

/// Sentence segments of the whole text, in order.
pub fn segments(text: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    for (paragraph, para) in paragraphs(text).into_iter().enumerate() {
        for span in sentences(text, para) {
            out.push(Segment { span, paragraph });
        }
    }
    out
}

/// Sentences inside one paragraph span.
pub fn sentences(text: &str, para: Range<usize>) -> Vec<Range<usize>> {
    let base = para.start;
    let slice = &text[para];
    let mut out = Vec::new();
    for (i, sentence) in slice.split_sentence_bound_indices() {
        for piece in split_cjk(sentence) {
            let start = base + i + piece.start;
            let end = base + i + piece.end;
            if let Some(r) = trim(text, start..end) {
                out.push(r);
            }
        }
    }
    out
}

/// Splits after `.`, `?`, `!` (and `;`-free) when they end a CJK clause: UAX #29 does not break
/// after an ASCII full stop that is directly followed by a Han character, as machine
/// translations often write it.
fn split_cjk(sentence: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut prev: Option<char> = None;
    let mut iter = sentence.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let terminator = matches!(c, '.' | '?' | '!' | '。' | '！' | '？');
        if terminator && prev.is_some_and(is_cjk) {
            // Keep closing quotes and repeated terminators with the sentence.
            let mut end = i + c.len_utf8();
            while let Some(&(j, n)) = iter.peek() {
                if matches!(
                    n,
                    '”' | '’'
                        | '」'
                        | '』'
                        | ')'
                        | '）'
                        | '"'
                        | '.'
                        | '?'
                        | '!'
                        | '。'
                        | '！'
                        | '？'
                ) {
                    end = j + n.len_utf8();
                    iter.next();
                } else {
                    break;
                }
            }
            if iter.peek().is_some_and(|&(_, n)| is_cjk(n)) {
                out.push(start..end);
                start = end;
            }
        }
        prev = Some(c);
    }
    out.push(start..sentence.len());
    out
}

fn trim(text: &str, r: Range<usize>) -> Option<Range<usize>> {
    let s = &text[r.clone()];
    let lead = s.len() - s.trim_start().len();
    let trimmed = s.trim();
    (!trimmed.is_empty()).then(|| r.start + lead..r.start + lead + trimmed.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts<'a>(text: &'a str, segs: &[Segment]) -> Vec<&'a str> {
        segs.iter().map(|s| &text[s.span.clone()]).collect()
    }

    #[test]
    fn paragraphs_split_on_blank_lines_only() {
        let text = "  First line\nsecond line\n\n \t\nThird.\n";
        let p: Vec<&str> = paragraphs(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(p, ["First line\nsecond line", "Third."]);
        assert!(paragraphs("").is_empty());
        assert!(paragraphs("\n \n").is_empty());
    }

    #[test]
    fn chinese_sentences_split_on_full_and_ascii_terminators() {
        let text = "我们与他们合作。我们是工党的协调员!这是真的吗?是的.然后结束";
        let segs = segments(text);
        assert_eq!(
            texts(text, &segs),
            [
                "我们与他们合作。",
                "我们是工党的协调员!",
                "这是真的吗?",
                "是的.",
                "然后结束"
            ]
        );
    }

    #[test]
    fn closing_quotes_stay_with_their_sentence() {
        let text = "他说：“我们必须调查。”然后离开了。";
        assert_eq!(
            texts(text, &segments(text)),
            ["他说：“我们必须调查。”", "然后离开了。"]
        );
    }

    #[test]
    fn english_sentences_and_spans() {
        let text = "NEC elections 2020\n\nThe system changed. It is an attack on the left.";
        let segs = segments(text);
        assert_eq!(
            texts(text, &segs),
            [
                "NEC elections 2020",
                "The system changed.",
                "It is an attack on the left."
            ]
        );
        assert_eq!(segs[0].paragraph, 0);
        assert_eq!(segs[2].paragraph, 1);
        assert_eq!(segs[1].span.start, text.find("The").unwrap());
    }

    #[test]
    fn decimal_points_and_latin_abbreviations_do_not_split_cjk() {
        let text = "增长了2.5个百分点。";
        assert_eq!(texts(text, &segments(text)), ["增长了2.5个百分点。"]);
    }
}
