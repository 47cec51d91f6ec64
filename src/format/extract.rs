//! The extracted text of a document and its map back to the source: [`Piece`]s of text,
//! each standing for a range of source bytes, and the write-back of repairs through them.
//! A leaf: the readers of each format fill an [`Extract`]; the write-back is the same for all.

use std::borrow::Cow;
use std::ops::Range;

/// How a piece of extracted text stands for its source bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PieceKind {
    /// The text is the source bytes themselves: offsets map one to one.
    Verbatim,
    /// The text is the decoded form of the source (`&amp;` for `&`, `\*` for `*`): a repair
    /// touching it rewrites the whole source range, escaped.
    Decoded,
    /// Read and checked but never rewritten (an attribute value a repair cannot safely touch).
    ReadOnly,
}

/// One stretch of extracted text and the source bytes it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    /// Byte range in the extracted text.
    pub text: Range<usize>,
    /// Byte range in the source part.
    pub source: Range<usize>,
    /// The source part (0, except in DOCX where each XML part of the package is one).
    pub part: usize,
    pub kind: PieceKind,
    /// A repair may run on from this piece into the next one: what lies between them in the
    /// source is inline formatting a repair can leave behind (`</strong>`, a run boundary).
    pub joins_next: bool,
}

/// The text the checks read and where each piece of it came from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extract {
    pub text: String,
    /// In text order, not overlapping; text between pieces comes from no source byte.
    pub pieces: Vec<Piece>,
    /// The language the markup declares (`<html lang>`, DOCX `w:lang`): a hint, not a verdict.
    pub lang_hint: Option<String>,
}

/// One repair in extracted-text coordinates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub range: Range<usize>,
    pub replacement: String,
}

/// Why a repair cannot be written back.
pub const CROSSES_MARKUP: &str = "crosses markup it cannot be written into safely";
/// Why a repair cannot be written back.
pub const READ_ONLY: &str = "is in an attribute or field that is checked but not rewritten";
/// Why a repair cannot be written back.
pub const NOT_IN_SOURCE: &str = "touches text that is not in the source (a block break)";

impl Extract {
    /// An extract of plain text: one verbatim piece over the whole text.
    pub fn plain(text: &str) -> Extract {
        Extract {
            text: text.to_string(),
            pieces: vec![Piece {
                text: 0..text.len(),
                source: 0..text.len(),
                part: 0,
                kind: PieceKind::Verbatim,
                joins_next: false,
            }],
            lang_hint: None,
        }
    }

    /// Appends `text` read verbatim from `source` (same bytes) of `part`.
    pub fn push_verbatim(&mut self, text: &str, source: Range<usize>, part: usize) {
        self.push(text, source, part, PieceKind::Verbatim);
    }

    /// Appends a piece of text standing for `source`.
    pub fn push(&mut self, text: &str, source: Range<usize>, part: usize, kind: PieceKind) {
        if text.is_empty() {
            return;
        }
        let start = self.text.len();
        self.text.push_str(text);
        self.pieces.push(Piece {
            text: start..self.text.len(),
            source,
            part,
            kind,
            joins_next: false,
        });
    }

    /// Appends text that comes from no source byte (a block break, a `<br>`): it also ends
    /// any join with the piece before.
    pub fn push_gap(&mut self, text: &str) {
        self.text.push_str(text);
    }

    /// Marks the last piece as joining the next (inline markup follows).
    pub fn join_last(&mut self) {
        if let Some(p) = self.pieces.last_mut() {
            p.joins_next = true;
        }
    }

    /// Marks the last piece as not joining the next (markup a repair must not cross follows).
    pub fn unjoin_last(&mut self) {
        if let Some(p) = self.pieces.last_mut() {
            p.joins_next = false;
        }
    }

    /// Ends the current block: a blank line unless the text is empty or already ends with one.
    pub fn end_block(&mut self) {
        if let Some(p) = self.pieces.last_mut() {
            p.joins_next = false;
        }
        if self.text.is_empty() || self.text.ends_with("\n\n") {
            return;
        }
        if self.text.ends_with('\n') {
            self.text.push('\n');
        } else {
            self.text.push_str("\n\n");
        }
    }

    /// The index of the first piece whose text ends after `offset`.
    fn first_after(&self, offset: usize) -> usize {
        self.pieces.partition_point(|p| p.text.end <= offset)
    }

    /// The source part and offset of a text offset: where a flag starting (or, with `end`,
    /// ending) there starts or ends in the source. Offsets inside a decoded piece widen to
    /// the whole piece; offsets in a gap go to the nearest piece on the inside.
    pub fn source_offset(&self, offset: usize, end: bool) -> Option<(usize, usize)> {
        if end {
            let i = self.pieces.partition_point(|p| p.text.start < offset);
            let p = self.pieces.get(i.checked_sub(1)?)?;
            let delta = offset.min(p.text.end) - p.text.start;
            Some((p.part, map_inside(p, delta, true)))
        } else {
            let p = self.pieces.get(self.first_after(offset))?;
            let delta = offset.max(p.text.start) - p.text.start;
            Some((p.part, map_inside(p, delta, false)))
        }
    }

    /// Why `range` of the text cannot be rewritten in the source, if it cannot.
    pub fn unwritable(&self, range: Range<usize>) -> Option<&'static str> {
        let first = if range.is_empty() {
            // An insertion goes into the piece it touches, the one before when between two.
            let i = self.pieces.partition_point(|p| p.text.end < range.start);
            match self.pieces.get(i) {
                Some(p) if p.text.start <= range.start => i,
                _ => return Some(NOT_IN_SOURCE),
            }
        } else {
            self.first_after(range.start)
        };
        let Some(p) = self.pieces.get(first) else {
            return Some(NOT_IN_SOURCE);
        };
        if p.text.start > range.start {
            return Some(NOT_IN_SOURCE);
        }
        let mut prev = p;
        if prev.kind == PieceKind::ReadOnly {
            return Some(READ_ONLY);
        }
        for p in &self.pieces[first + 1..] {
            if p.text.start >= range.end {
                break;
            }
            if p.kind == PieceKind::ReadOnly {
                return Some(READ_ONLY);
            }
            if prev.text.end != p.text.start {
                return Some(NOT_IN_SOURCE);
            }
            if !prev.joins_next || prev.part != p.part {
                return Some(CROSSES_MARKUP);
            }
            prev = p;
        }
        if prev.text.end < range.end {
            return Some(NOT_IN_SOURCE);
        }
        None
    }

    /// The source parts with `edits` written in: each edit's text goes into the first piece
    /// it touches (through `escape`, the format's), the rest of what it covers is removed from the
    /// others, and every source byte outside the pieces touched stays. Edits that overlap an
    /// earlier one or cannot be written ([`Extract::unwritable`]) are left out; the edits
    /// written are returned with the parts.
    pub fn write_back(
        &self,
        escape: fn(&str) -> Cow<'_, str>,
        parts: &[&str],
        edits: &[Edit],
    ) -> (Vec<String>, Vec<usize>) {
        // (part, source range, new source bytes), collected per edit.
        let mut splices: Vec<(usize, Range<usize>, String)> = Vec::new();
        let mut written = Vec::new();
        let mut last_end = 0;
        let mut order: Vec<usize> = (0..edits.len()).collect();
        order.sort_by_key(|&i| (edits[i].range.start, edits[i].range.end));
        for i in order {
            let edit = &edits[i];
            if (edit.range.start < last_end && !written.is_empty())
                || self.unwritable(edit.range.clone()).is_some()
            {
                continue;
            }
            last_end = edit.range.end;
            written.push(i);
            let first = if edit.range.is_empty() {
                self.pieces
                    .partition_point(|p| p.text.end < edit.range.start)
            } else {
                self.first_after(edit.range.start)
            };
            let mut replacement = Some(edit.replacement.as_str());
            for p in &self.pieces[first..] {
                if p.text.start >= edit.range.end
                    && !(edit.range.is_empty() && replacement.is_some())
                {
                    break;
                }
                let a = edit.range.start.max(p.text.start) - p.text.start;
                let b = edit.range.end.min(p.text.end) - p.text.start;
                let insert = replacement.take().unwrap_or("");
                match p.kind {
                    PieceKind::Verbatim => splices.push((
                        p.part,
                        p.source.start + a..p.source.start + b,
                        escape(insert).into_owned(),
                    )),
                    PieceKind::Decoded => {
                        let old = &self.text[p.text.clone()];
                        let new = format!("{}{insert}{}", &old[..a], &old[b..]);
                        splices.push((p.part, p.source.clone(), escape(&new).into_owned()));
                    }
                    PieceKind::ReadOnly => {}
                }
                if p.text.end >= edit.range.end {
                    break;
                }
            }
        }
        splices.sort_by_key(|(part, r, _)| (*part, r.start, r.end));
        // Each part rebuilt in one forward pass: splicing in place from the back moves the
        // whole tail once per repair, quadratic on a long line with many repairs.
        let mut out = Vec::with_capacity(parts.len());
        let mut next = splices.into_iter().peekable();
        for (i, part) in parts.iter().enumerate() {
            let mut rebuilt = String::with_capacity(part.len());
            let mut copied = 0;
            while let Some((_, range, new)) = next.next_if(|(p, _, _)| *p == i) {
                let fits = copied <= range.start
                    && range.end <= part.len()
                    && part.is_char_boundary(range.start)
                    && part.is_char_boundary(range.end);
                if fits {
                    rebuilt.push_str(&part[copied..range.start]);
                    rebuilt.push_str(&new);
                    copied = range.end;
                }
            }
            rebuilt.push_str(&part[copied..]);
            out.push(rebuilt);
        }
        (out, written)
    }
}

/// The source offset `delta` bytes into piece `p`'s text.
fn map_inside(p: &Piece, delta: usize, end: bool) -> usize {
    match p.kind {
        PieceKind::Verbatim => p.source.start + delta.min(p.source.len()),
        _ if end && delta > 0 => p.source.end,
        _ if !end && delta >= p.text.len() => p.source.end,
        _ => p.source.start,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::Format;

    fn html(t: &str) -> Cow<'_, str> {
        Format::Html.escape(t)
    }

    fn plain(t: &str) -> Cow<'_, str> {
        Cow::Borrowed(t)
    }

    /// `<p>劳<b>动派对</b> &amp; 托里</p>` as an HTML reader would extract it.
    fn sample() -> (&'static str, Extract) {
        let src = "<p>劳<b>动派对</b> &amp; 托里</p>";
        let mut x = Extract::default();
        let at = |s: &str| src.find(s).unwrap();
        x.push_verbatim("劳", at("劳")..at("劳") + 3, 0);
        x.join_last();
        x.push_verbatim("动派对", at("动")..at("动") + 9, 0);
        x.join_last();
        x.push_verbatim(" ", at(" &")..at(" &") + 1, 0);
        x.push("&", at("&amp;")..at("&amp;") + 5, 0, PieceKind::Decoded);
        x.push_verbatim(" 托里", at("; ") + 1..at("</p>"), 0);
        x.end_block();
        (src, x)
    }

    #[test]
    fn offsets_map_to_the_source() {
        let (src, x) = sample();
        assert_eq!(x.text, "劳动派对 & 托里\n\n");
        let t = x.text.find("托里").unwrap();
        let (_, s) = x.source_offset(t, false).unwrap();
        assert_eq!(&src[s..s + 6], "托里");
        let (_, e) = x.source_offset(t + 6, true).unwrap();
        assert_eq!(e, s + 6);
        let amp = x.text.find('&').unwrap();
        assert_eq!(
            x.source_offset(amp, false).unwrap().1,
            src.find("&amp;").unwrap()
        );
        assert_eq!(
            x.source_offset(amp + 1, true).unwrap().1,
            src.find("&amp;").unwrap() + 5
        );
    }

    #[test]
    fn a_repair_across_inline_markup_goes_into_the_first_piece() {
        let (src, x) = sample();
        let edit = Edit {
            range: 0..x.text.find(' ').unwrap(),
            replacement: "工党".into(),
        };
        assert_eq!(x.unwritable(edit.range.clone()), None);
        let (parts, written) = x.write_back(html, &[src], &[edit]);
        assert_eq!(written, [0]);
        assert_eq!(parts[0], "<p>工党<b></b> &amp; 托里</p>");
    }

    #[test]
    fn a_repair_into_a_decoded_piece_is_escaped_and_a_gap_is_refused() {
        let (src, x) = sample();
        let amp = x.text.find('&').unwrap();
        let edit = Edit {
            range: amp..amp + 1,
            replacement: "<和>".into(),
        };
        let (parts, _) = x.write_back(html, &[src], &[edit]);
        assert_eq!(parts[0], "<p>劳<b>动派对</b> &lt;和&gt; 托里</p>");
        let end = x.text.trim_end().len();
        assert_eq!(x.unwritable(end - 3..end + 1), Some(NOT_IN_SOURCE));
        // The space before `&` does not join: a repair over ` &` crosses markup.
        assert_eq!(x.unwritable(amp - 1..amp + 1), Some(CROSSES_MARKUP));
    }

    #[test]
    fn plain_text_maps_one_to_one() {
        let x = Extract::plain("工党 and 托里");
        let t = x.text.find("托里").unwrap();
        let (parts, _) = x.write_back(
            plain,
            &["工党 and 托里"],
            &[Edit {
                range: t..t + 6,
                replacement: "保守党".into(),
            }],
        );
        assert_eq!(parts[0], "工党 and 保守党");
        assert_eq!(x.source_offset(t, false), Some((0, t)));
    }
}
