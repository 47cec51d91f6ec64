//! Formats: a saved file (plain text, HTML, Markdown, DOCX, subtitles) turned into the text the
//! checks read, with a map of [`Piece`]s back to the source, and repairs written back into the
//! source with every other byte kept.
//!
//! The extracted text holds one block (paragraph, heading, list item, table cell, cue) after
//! another, separated by a blank line, so the segmenter sees the blocks as paragraphs. Text
//! between pieces (the blank lines, a `<br>` as a newline) maps to no source byte: a repair
//! that touches it cannot be written and is left as a flag.

use std::borrow::Cow;
use std::path::Path;

pub mod docx;
mod extract;
pub mod html;
pub mod markdown;
pub mod subtitles;

pub use extract::{CROSSES_MARKUP, Edit, Extract, NOT_IN_SOURCE, Piece, PieceKind, READ_ONLY};

/// The formats transmend reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Format {
    /// Plain text: the text is the source.
    #[default]
    Text,
    Html,
    Markdown,
    Docx,
    /// SubRip subtitles (`.srt`).
    Srt,
    /// WebVTT subtitles (`.vtt`).
    Vtt,
}

impl Format {
    /// The format a file name says (`.html`, `.md`, `.docx`, `.srt`, ...), if any.
    pub fn from_extension(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "html" | "htm" | "xhtml" | "shtml" => Format::Html,
            "md" | "markdown" | "mdown" | "mkd" => Format::Markdown,
            "docx" => Format::Docx,
            "srt" => Format::Srt,
            "vtt" => Format::Vtt,
            "txt" | "text" => Format::Text,
            _ => return None,
        })
    }

    /// The format of a file by its name, else by its first bytes: a zip holding
    /// `word/document.xml` is DOCX, text starting (after white space) with `<!doctype html`,
    /// `<html` or `<?xml` then `<html` is HTML; anything else is plain text.
    pub fn sniff(path: &Path, bytes: &[u8]) -> Format {
        if let Some(format) = Format::from_extension(path) {
            return format;
        }
        if bytes.starts_with(b"PK\x03\x04") && docx::looks_like_docx(bytes) {
            return Format::Docx;
        }
        if html::looks_like_html(bytes) {
            return Format::Html;
        }
        Format::Text
    }

    /// The format's name in reports (`text`, `html`, `markdown`, `docx`, `srt`, `vtt`).
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Html => "html",
            Format::Markdown => "markdown",
            Format::Docx => "docx",
            Format::Srt => "srt",
            Format::Vtt => "vtt",
        }
    }

    /// The escaping function of [`Format::escape`], for [`Extract::write_back`].
    pub fn escaper(self) -> fn(&str) -> Cow<'_, str> {
        match self {
            Format::Html | Format::Docx => html::escape_text,
            Format::Markdown => markdown::escape,
            Format::Text | Format::Srt | Format::Vtt => verbatim,
        }
    }

    /// Escapes text for writing into this format's source (`&`, `<`, `>` in HTML and XML,
    /// Markdown's emphasis and link characters).
    pub fn escape(self, text: &str) -> Cow<'_, str> {
        self.escaper()(text)
    }
}

/// Text written as it is (plain text and subtitles escape nothing).
fn verbatim(text: &str) -> Cow<'_, str> {
    Cow::Borrowed(text)
}

/// The text of a source in a text format (all but DOCX, which [`docx::read`] reads from its
/// zip), with its map back to the source.
pub fn extract(format: Format, source: &str) -> Result<Extract, String> {
    match format {
        Format::Text => Ok(Extract::plain(source)),
        Format::Html => html::extract(source),
        Format::Markdown => Ok(markdown::extract(source)),
        Format::Srt | Format::Vtt => Ok(subtitles::extract(source)),
        Format::Docx => Err("a DOCX file is a zip archive, not text".into()),
    }
}
