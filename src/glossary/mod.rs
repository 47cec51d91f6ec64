//! The termbase: loading (CSV, TBX), validation, export, and matching in text.

pub mod csv;
pub mod error;
pub mod model;

use std::path::Path;

use unicode_normalization::UnicodeNormalization;

pub use error::{ExportError, LoadError, Problem};
pub use model::{Concept, Glossary, Kind, Origin, Status, Term};

fn one_problem(file: &Path, message: impl Into<String>) -> LoadError {
    LoadError {
        problems: vec![Problem::new(file, 0, 0, message)],
    }
}

/// At most this many invalid UTF-8 sequences are reported one by one.
const MAX_UTF8_PROBLEMS: usize = 10;

/// Checks that `bytes` are UTF-8 and strips a byte-order mark. Every invalid sequence (up to
/// [`MAX_UTF8_PROBLEMS`]) is reported with the line and column of its first byte.
pub(crate) fn decode_utf8<'a>(bytes: &'a [u8], file: &Path) -> Result<&'a str, LoadError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text);
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(one_problem(
            file,
            "the file is UTF-16; glossaries must be UTF-8 (save it as \"CSV UTF-8\" or UTF-8 XML)",
        ));
    }
    let (mut line, mut column) = (1, 1);
    let mut problems = Vec::new();
    let mut invalid = 0;
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c == '\n' {
                line += 1;
                column = 1;
            } else {
                column += 1;
            }
        }
        let bad = chunk.invalid();
        if !bad.is_empty() {
            invalid += 1;
            if invalid <= MAX_UTF8_PROBLEMS {
                let hex: Vec<String> = bad.iter().map(|b| format!("{b:#04x}")).collect();
                problems.push(Problem::new(
                    file,
                    line,
                    column,
                    format!("invalid UTF-8 (byte {})", hex.join(" ")),
                ));
            }
            column += 1;
        }
    }
    if invalid > MAX_UTF8_PROBLEMS {
        problems.push(Problem::new(
            file,
            0,
            0,
            format!(
                "{} more invalid UTF-8 sequences not shown; is the file really UTF-8?",
                invalid - MAX_UTF8_PROBLEMS
            ),
        ));
    }
    Err(LoadError { problems })
}

/// Normalises a BCP 47 tag to its lower-cased primary subtag (`en-GB` -> `en`).
///
/// The primary subtag must be 2 or 3 ASCII letters; further subtags (script, region,
/// variant) must be 1 to 8 ASCII letters or digits. `_` is accepted as a separator.
pub(crate) fn normalize_lang(tag: &str) -> Option<String> {
    let mut parts = tag.trim().split(['-', '_']);
    let primary = parts.next()?;
    if !(2..=3).contains(&primary.len()) || !primary.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    if parts.any(|p| p.is_empty() || p.len() > 8 || !p.bytes().all(|b| b.is_ascii_alphanumeric())) {
        return None;
    }
    Some(primary.to_ascii_lowercase())
}

/// The key under which two forms of one language count as the same written form when
/// checking for a form both accepted and deprecated: trimmed, NFC.
pub(crate) fn same_form_key(form: &str) -> String {
    form.trim().nfc().collect()
}

/// Orders each language's forms preferred, admitted, deprecated, keeping file order within
/// each status.
pub(crate) fn order_terms(concept: &mut Concept) {
    for terms in concept.langs.values_mut() {
        terms.sort_by_key(|t| t.status);
    }
}

/// Maps byte offsets of a text to 1-based (line, column), column in Unicode scalar values.
pub(crate) struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub(crate) fn new(text: &'a str) -> LineIndex<'a> {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    /// The line and column of the character at `offset` (clamped to the text).
    pub(crate) fn position(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts.get(line - 1).copied().unwrap_or(0);
        let column = self.text[start..offset].chars().count() + 1;
        (line, column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_normalise_to_primary_subtag() {
        assert_eq!(normalize_lang("en").as_deref(), Some("en"));
        assert_eq!(normalize_lang("en-GB").as_deref(), Some("en"));
        assert_eq!(normalize_lang("zh-Hant-TW").as_deref(), Some("zh"));
        assert_eq!(normalize_lang("ZH_cn").as_deref(), Some("zh"));
        assert_eq!(normalize_lang("yue").as_deref(), Some("yue"));
        assert_eq!(normalize_lang("e"), None);
        assert_eq!(normalize_lang("english"), None);
        assert_eq!(normalize_lang("en-"), None);
        assert_eq!(normalize_lang("e1"), None);
        assert_eq!(normalize_lang(""), None);
    }

    #[test]
    fn line_index_counts_characters() {
        let idx = LineIndex::new("ab\n工党,x\n");
        assert_eq!(idx.position(0), (1, 1));
        assert_eq!(idx.position(3), (2, 1));
        assert_eq!(idx.position(9), (2, 3)); // the comma after two 3-byte characters
        assert_eq!(idx.position(4), (2, 1)); // inside a character: its start
        assert_eq!(idx.position(100), (3, 1));
    }

    #[test]
    fn invalid_utf8_is_located() {
        let f = Path::new("g.csv");
        let e = decode_utf8(b"id,en\nx,ab\xFFc\ny,\xC3(\n", f).unwrap_err();
        let at: Vec<(usize, usize)> = e.problems.iter().map(|p| (p.line, p.column)).collect();
        assert_eq!(at, [(2, 5), (3, 3)]);
        assert!(e.problems[0].message.contains("0xff"), "{e}");
        assert_eq!(decode_utf8(b"\xEF\xBB\xBFid\n", f).unwrap(), "id\n");
        let e = decode_utf8(b"\xFF\xFEi\0d\0", f).unwrap_err();
        assert!(e.to_string().contains("UTF-16"), "{e}");
    }
}
