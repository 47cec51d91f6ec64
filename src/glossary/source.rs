//! A glossary file's text: its bytes checked as UTF-8 (every bad sequence located), and
//! line and column lookups for the readers' problems.

use std::path::Path;

use super::error::{LoadError, Problem};

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

/// [`crate::lines::LineIndex`] bound to its text, as the CSV and TBX readers use it.
pub(crate) struct LineIndex<'a> {
    text: &'a str,
    lines: crate::lines::LineIndex,
}

impl<'a> LineIndex<'a> {
    pub(crate) fn new(text: &'a str) -> LineIndex<'a> {
        LineIndex {
            text,
            lines: crate::lines::LineIndex::new(text),
        }
    }

    /// The line and column of the character at `offset` (clamped to the text).
    pub(crate) fn position(&self, offset: usize) -> (usize, usize) {
        self.lines.line_col(self.text, offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
