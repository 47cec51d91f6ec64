//! Translating markup: a segment of an HTML, Markdown or subtitle document is sent as plain
//! text with a token `{m0}`, `{m1}`, ... where inline markup sits (`<strong>`, `**`, `<i>`),
//! and the translation is written back into the source with each token replaced by its markup.
//! Engines' own markup modes (DeepL `tag_handling=html`, LibreTranslate `format=html`) lose or
//! move inline tags and collapse white space, so they are not used.
//!
//! A translation that does not give back every token once, in order, is written as plain text
//! followed by the segment's markup in its order, so tags stay balanced; it is counted.

use std::ops::Range;

use super::protect::{Token, tokens_of};
use crate::document::Document;
use crate::format::{Extract, Format};

/// A segment with its inline markup as tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Marked {
    /// The text to send: the segment's text with a token wherever markup sits.
    pub(crate) text: String,
    /// The source markup each token stands for, by index.
    pub(crate) markup: Vec<String>,
    /// The segment's span in the source.
    pub(crate) source: Range<usize>,
}

/// Marks the segment at `span` of a document's text: `None` when the document is not markup
/// with one source text (HTML, Markdown, subtitles), or the segment maps to no source.
pub(crate) fn mark(doc: &Document, span: Range<usize>) -> Option<Marked> {
    let source = doc.source.as_ref()?;
    let text = doc.source_text()?;
    if !tokens_of(&doc.text[span.clone()], Token::Markup).is_empty() {
        return None;
    }
    mark_in(&source.extract, &doc.text, text, span)
}

fn mark_in(x: &Extract, text: &str, source: &str, span: Range<usize>) -> Option<Marked> {
    let (_, start) = x.source_offset(span.start, false)?;
    let (_, end) = x.source_offset(span.end, true)?;
    let first = x.pieces.partition_point(|p| p.text.end <= span.start);
    let mut out = String::with_capacity(span.len() + 8);
    let mut markup = Vec::new();
    let mut last: Option<&crate::format::Piece> = None;
    for p in &x.pieces[first..] {
        if p.text.start >= span.end {
            break;
        }
        if let Some(prev) = last {
            let between = source.get(prev.source.end..p.source.start)?;
            if !between.is_empty() {
                // Text between the pieces (a `<br>` read as a newline) goes with the markup.
                out.push_str(&format!("{{m{}}}", markup.len()));
                markup.push(between.to_string());
            } else {
                out.push_str(text.get(prev.text.end..p.text.start)?);
            }
        }
        let a = span.start.max(p.text.start);
        let b = span.end.min(p.text.end);
        out.push_str(text.get(a..b)?);
        last = Some(p);
    }
    (start <= end).then_some(Marked {
        text: out,
        markup,
        source: start..end,
    })
}

/// The text of a translation without its markup tokens (for the bilingual files).
pub(crate) fn strip(translated: &str) -> String {
    let mut out = String::with_capacity(translated.len());
    let mut pos = 0;
    for (span, _) in tokens_of(translated, Token::Markup) {
        out.push_str(&translated[pos..span.start]);
        pos = span.end;
    }
    out.push_str(&translated[pos..]);
    out
}

/// The source markup for a translated segment, escaped for `format`, and whether every token
/// came back once and in order (else the markup follows the text, in order).
pub(crate) fn unmark(translated: &str, marked: &Marked, format: Format) -> (String, bool) {
    let tokens = tokens_of(translated, Token::Markup);
    let in_order = tokens.len() == marked.markup.len()
        && tokens.iter().enumerate().all(|(i, (_, index))| *index == i);
    let mut out = String::with_capacity(translated.len() + 32);
    if in_order {
        let mut pos = 0;
        for (span, index) in tokens {
            out.push_str(&format.escape(&translated[pos..span.start]));
            out.push_str(&marked.markup[index]);
            pos = span.end;
        }
        out.push_str(&format.escape(&translated[pos..]));
    } else {
        out.push_str(&format.escape(&strip(translated)));
        for m in &marked.markup {
            out.push_str(m);
        }
    }
    (out, in_order)
}

/// The document's source with each translated segment written in place of its own: every
/// byte outside the segments (tags, scripts, code, front matter, timings) stays. Segments are
/// `(marked, translation with its tokens)`, in any order (one inside another's source is left
/// out). Returns the new source and how many segments lost their inline markup's places.
pub(crate) fn translated_source(
    source: &str,
    format: Format,
    segments: &[(&Marked, &str)],
) -> (String, usize) {
    let mut out = String::with_capacity(source.len() + source.len() / 4);
    let mut pos = 0;
    let mut lost = 0;
    // Text order is not always source order (an `alt` is read after its paragraph).
    let mut segments = segments.to_vec();
    segments.sort_by_key(|(m, _)| (m.source.start, m.source.end));
    for (marked, translated) in segments {
        if marked.source.start < pos || marked.source.end > source.len() {
            continue;
        }
        out.push_str(&source[pos..marked.source.start]);
        let (written, in_order) = unmark(translated, marked, format);
        lost += usize::from(!in_order);
        out.push_str(&written);
        pos = marked.source.end;
    }
    out.push_str(&source[pos..]);
    (out, lost)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(format: Format, source: &str) -> Document {
        Document::from_source("x", format, source).unwrap()
    }

    #[test]
    fn inline_markup_becomes_tokens_and_comes_back() {
        let src = "# The **Labour** Party\n\nIt [met](https://x.org) today.\n";
        let d = doc(Format::Markdown, src);
        let first = mark(&d, 0..d.text.find('\n').unwrap()).unwrap();
        assert_eq!(first.text, "The {m0}Labour{m1} Party");
        assert_eq!(first.markup, ["**", "**"]);
        assert_eq!(&src[first.source.clone()], "The **Labour** Party");
        let at = d.text.find("It").unwrap();
        let second = mark(&d, at..at + "It met today.".len()).unwrap();
        assert_eq!(second.text, "It {m0}met{m1} today.");
        assert_eq!(second.markup, ["[", "](https://x.org)"]);
        let (out, lost) = translated_source(
            src,
            Format::Markdown,
            &[
                (&first, "{m0}工党{m1}"),
                (&second, "它今天{m0}开会{m1}了。"),
            ],
        );
        assert_eq!(lost, 0);
        assert_eq!(out, "# **工党**\n\n它今天[开会](https://x.org)了。\n");
    }

    #[test]
    fn a_translation_that_loses_a_token_keeps_the_markup_balanced() {
        let src = "<p>The <b>Labour</b> Party &amp; NEC</p>";
        let d = doc(Format::Html, src);
        let span = 0..d.text.trim_end().len();
        let marked = mark(&d, span).unwrap();
        assert_eq!(marked.text, "The {m0}Labour{m1} Party & NEC");
        assert_eq!(marked.markup, ["<b>", "</b>"]);
        assert_eq!(
            &src[marked.source.clone()],
            "The <b>Labour</b> Party &amp; NEC"
        );
        let (good, in_order) = unmark("{m0}工党{m1} & NEC", &marked, Format::Html);
        assert!(in_order);
        assert_eq!(good, "<b>工党</b> &amp; NEC");
        assert_eq!(strip("工党{m0}和{ M 1 }"), "工党和");
        let (out, in_order) = unmark("{m1}工党和 <NEC>", &marked, Format::Html);
        assert!(!in_order);
        assert!(out.starts_with("工党和 &lt;NEC&gt;"), "{out}");
        assert_eq!(out.matches("<b>").count(), out.matches("</b>").count());
    }
}
