//! What every check sees of one document: its text, languages, script runs, line index, the
//! termbase, the normalised view and the glossary matches, prepared once.

use std::ops::Range;

use crate::detect::Run;
use crate::glossary::Termbase;
use crate::glossary::matcher::Match;
use crate::glossary::normalize::Normalized;
use crate::lines::LineIndex;
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
        let mut matches = termbase.matcher.find(text, &norm);
        matches.retain(|m| !overlaps_any(&urls, &m.span));
        Context {
            text,
            lang,
            runs,
            lines,
            termbase,
            norm,
            matches,
            urls,
        }
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

fn overlaps_any(spans: &[Range<usize>], span: &Range<usize>) -> bool {
    spans
        .iter()
        .any(|u| u.start < span.end && span.start < u.end)
}
