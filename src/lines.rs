//! Byte offset -> 1-based line and column (in Unicode scalar values), as the contract reports them.

/// Start offsets of every line of a text, for fast lookups.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `text` (after each `\n`).
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(memchr_iter(text.as_bytes()).map(|i| i + 1));
        LineIndex { starts }
    }

    /// 1-based line and column of byte `offset` (column counts chars, so CJK counts one each).
    /// An offset past the end or inside a character is taken back to the character's start.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let column = text.get(start..offset).map_or(0, |s| s.chars().count()) + 1;
        (line, column)
    }

    /// Byte span of 1-based `line`, without its line terminator.
    pub fn line_span(&self, text: &str, line: usize) -> Option<std::ops::Range<usize>> {
        let start = *self.starts.get(line.checked_sub(1)?)?;
        let end = self.starts.get(line).map_or(text.len(), |&s| s - 1);
        let end = if text[start..end].ends_with('\r') {
            end - 1
        } else {
            end
        };
        Some(start..end)
    }
}

fn memchr_iter(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes
        .iter()
        .enumerate()
        .filter(|&(_, &b)| b == b'\n')
        .map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_count_chars() {
        let text = "ab\n工党x\r\nlast";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), (1, 1));
        assert_eq!(idx.line_col(text, 1), (1, 2));
        assert_eq!(idx.line_col(text, 3), (2, 1));
        assert_eq!(idx.line_col(text, text.find('x').unwrap()), (2, 3));
        assert_eq!(idx.line_col(text, text.find("last").unwrap()), (3, 1));
        assert_eq!(idx.line_span(text, 2).map(|r| &text[r]), Some("工党x"));
        assert_eq!(idx.line_span(text, 3).map(|r| &text[r]), Some("last"));
        assert_eq!(idx.line_span(text, 4), None);
        assert_eq!(idx.line_col(text, 4), (2, 1), "inside 工: its start");
        assert_eq!(idx.line_col(text, 100), (3, 5), "past the end: the end");
    }
}
