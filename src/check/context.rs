//! What every check sees of one document: its text, languages, script runs, line index, the
//! termbase, the normalised view and the glossary matches, prepared once.

use std::ops::Range;

use crate::detect::Run;
use crate::glossary::Termbase;
use crate::glossary::matcher::Match;
use crate::glossary::normalize::Normalized;
use crate::lines::LineIndex;
use crate::mojibake::{Garble, Mojibake};
use crate::text::url_spans;

/// What every check sees of a document.
pub struct Context<'a> {
    pub text: &'a str,
    /// The document's main language (`None` when it has no letters).
    pub lang: Option<&'a str>,
    pub runs: &'a [Run],
    pub lines: &'a LineIndex,
    pub termbase: &'a Termbase,
    pub norm: Normalized,
    /// Exact glossary matches, in text order (none inside URLs or e-mail addresses).
    pub matches: Vec<Match<'a>>,
    /// URLs and e-mail addresses: never checked as prose.
    pub urls: Vec<Range<usize>>,
    /// What the whole document says, when this text is a piece of it (`check::pieces`).
    pub(crate) piece: Option<Piece<'a>>,
}

impl<'a> Context<'a> {
    /// Prepares the normalised view and the glossary matches.
    pub fn new(
        text: &'a str,
        lang: Option<&'a str>,
        runs: &'a [Run],
        lines: &'a LineIndex,
        termbase: &'a Termbase,
    ) -> Context<'a> {
        let norm = Normalized::new(text);
        let urls = url_spans(text);
        let matches = glossary_matches(text, &norm, &urls, termbase);
        Context {
            text,
            lang,
            runs,
            lines,
            termbase,
            norm,
            matches,
            urls,
            piece: None,
        }
    }

    /// This context as a piece of a long document.
    pub(crate) fn in_piece(mut self, piece: Piece<'a>) -> Context<'a> {
        self.piece = Some(piece);
        self
    }

    /// Whether `span` is part of a URL or e-mail address.
    pub fn in_url(&self, span: &Range<usize>) -> bool {
        overlaps_any(&self.urls, span)
    }

    /// Spans of the exact glossary matches, and of URLs (nothing near-matches inside them).
    pub fn match_spans(&self) -> Vec<Range<usize>> {
        self.match_span_iter().collect()
    }

    /// [`Context::match_spans`] without collecting them.
    pub(crate) fn match_span_iter(&self) -> impl Iterator<Item = Range<usize>> + '_ {
        self.matches
            .iter()
            .map(|m| m.span.clone())
            .chain(self.urls.iter().cloned())
    }

    /// Whether the main language is written without spaces between words.
    pub fn is_cjk_document(&self) -> bool {
        matches!(self.lang, Some("zh" | "ja"))
    }
}

/// The exact glossary matches in `text` (normalised as `norm`), none inside `urls`.
pub(crate) fn glossary_matches<'a>(
    text: &str,
    norm: &Normalized,
    urls: &[Range<usize>],
    termbase: &'a Termbase,
) -> Vec<Match<'a>> {
    let mut matches = termbase.matcher.find(text, norm);
    matches.retain(|m| !overlaps_any(urls, &m.span));
    matches
}

fn overlaps_any(spans: &[Range<usize>], span: &Range<usize>) -> bool {
    spans
        .iter()
        .any(|u| u.start < span.end && span.start < u.end)
}

/// What the whole document says that a piece must know before it is checked.
#[derive(Debug, Default)]
pub(crate) struct Whole {
    /// Whether the document is about party politics (a bare 派对 is then a party).
    pub political: bool,
    /// Whether the document has Latin letters (Han in a text without any is not flagged as
    /// left untranslated).
    pub latin: bool,
    /// Mojibake and lost garble of the whole text, at document offsets.
    pub mojibake: Vec<Mojibake>,
    pub garbles: Vec<Garble>,
}

/// A piece of a long document being checked: where it is, and what the whole says.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Piece<'a> {
    pub whole: &'a Whole,
    start: usize,
    end: usize,
}

impl<'a> Piece<'a> {
    /// The piece at `span` of the document `whole` describes.
    pub(crate) fn new(whole: &'a Whole, span: Range<usize>) -> Piece<'a> {
        Piece {
            whole,
            start: span.start,
            end: span.end,
        }
    }

    /// The whole document's mojibake and garble inside this piece, at piece offsets. Both are
    /// found line by line, and a piece ends at a line break.
    pub(crate) fn mojibake(&self) -> (Vec<Mojibake>, Vec<Garble>) {
        let inside = |span: &Range<usize>| span.start >= self.start && span.end <= self.end;
        let local = |span: &Range<usize>| span.start - self.start..span.end - self.start;
        let found = (self.whole.mojibake.iter())
            .filter(|m| inside(&m.span))
            .map(|m| Mojibake {
                span: local(&m.span),
                ..m.clone()
            })
            .collect();
        let garbles = (self.whole.garbles.iter())
            .filter(|g| inside(&g.span))
            .map(|g| Garble {
                span: local(&g.span),
                explanation: g.explanation.clone(),
            })
            .collect();
        (found, garbles)
    }
}
