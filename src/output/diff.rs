//! Diffs: the unified diff `fix --diff` prints (over the file's own bytes, so it applies with
//! `patch -p0` and `git apply -p0`), and the reviewer's diff of `transmend diff` (lines first,
//! then, inside changed lines, Latin words and single CJK characters), rendered for a terminal.

use std::io::{self, Write as _};
use std::ops::Range;
use std::time::Duration;

use codespan_reporting::term::termcolor::{Color, ColorSpec, WriteColor};
use similar::{Algorithm, DiffOp, TextDiff};

use super::report::{FileReport, Line};
use crate::flag::Flag;

/// A unified diff (as `diff -u`) of two byte buffers, both files named `name`; empty when equal.
///
/// Lines are split at `\n` bytes, so the diff is exact for any ASCII-compatible encoding
/// (UTF-8, GB18030, Big5, Shift_JIS, windows-125x) and carries `\r\n` unchanged.
pub fn unified(old: &[u8], new: &[u8], name: &str) -> Vec<u8> {
    let mut out = Vec::new();
    if old == new {
        return out;
    }
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Myers)
        .timeout(Duration::from_secs(5))
        .diff_lines(old, new);
    // Hunk by hunk: `UnifiedDiff::to_writer` (similar 3.2) formats hunks through `Display`,
    // which is lossy for bytes that are not UTF-8 (GB18030 files), while each hunk's own
    // `to_writer` writes the bytes as they are.
    let mut udiff = diff.unified_diff();
    udiff.context_radius(3);
    let _ = writeln!(out, "--- {name}\n+++ {name}");
    for hunk in udiff.iter_hunks() {
        hunk.to_writer(&mut out)
            .expect("writing to a Vec cannot fail");
    }
    out
}

/// What a piece of the reviewer's diff is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    Equal,
    Delete,
    Insert,
}

/// A run of tokens with one tag. `old` is its byte range in the old text (empty, at the
/// position of the insertion, for an insert); `new` likewise in the new text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub tag: Tag,
    pub old: Range<usize>,
    pub new: Range<usize>,
}

impl Piece {
    /// The piece's text: from the old text unless it is an insertion.
    pub fn text<'a>(&self, old: &'a str, new: &'a str) -> &'a str {
        match self.tag {
            Tag::Insert => &new[self.new.clone()],
            _ => &old[self.old.clone()],
        }
    }
}

/// A run of lines: unchanged (one `Equal` piece), or changed with its token-level pieces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub changed: bool,
    /// 0-based line indices in the old and the new text.
    pub old_lines: Range<usize>,
    pub new_lines: Range<usize>,
    pub pieces: Vec<Piece>,
}

/// Splits text into diff tokens: each Han or kana character alone, Latin (and other
/// alphabetic) words with their inner apostrophes, runs of spaces, line breaks (`\r\n` whole),
/// and every other character alone. Concatenated, the tokens give back the text.
pub fn tokens(text: &str) -> Vec<Range<usize>> {
    #[derive(PartialEq, Clone, Copy)]
    enum Class {
        Cjk,
        Word,
        Space,
        Newline,
        Other,
    }
    let class = |c: char| {
        if c == '\n' || c == '\r' {
            Class::Newline
        } else if crate::text::is_cjk_letter(c) {
            Class::Cjk
        } else if c.is_alphanumeric() || is_mark(c) {
            Class::Word
        } else if c.is_whitespace() {
            Class::Space
        } else {
            Class::Other
        }
    };
    let mut out = Vec::new();
    let mut iter = text.char_indices().peekable();
    while let Some((start, c)) = iter.next() {
        let kind = class(c);
        let mut end = start + c.len_utf8();
        match kind {
            Class::Word => {
                while let Some(&(i, n)) = iter.peek() {
                    let inner_apostrophe = matches!(n, '\'' | '’')
                        && text[i + n.len_utf8()..]
                            .chars()
                            .next()
                            .is_some_and(|a| class(a) == Class::Word);
                    if class(n) == Class::Word || inner_apostrophe {
                        end = i + n.len_utf8();
                        iter.next();
                    } else {
                        break;
                    }
                }
            }
            Class::Space => {
                while let Some(&(i, n)) = iter.peek() {
                    if class(n) != Class::Space {
                        break;
                    }
                    end = i + n.len_utf8();
                    iter.next();
                }
            }
            Class::Newline if c == '\r' => {
                if let Some(&(i, '\n')) = iter.peek() {
                    end = i + 1;
                    iter.next();
                }
            }
            _ => {}
        }
        out.push(start..end);
    }
    out
}

fn is_mark(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{20D0}'..='\u{20FF}')
}

/// Byte ranges of the lines of `text`, each with its line break.
fn lines(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        out.push(start..start + line.len());
        start += line.len();
    }
    out
}

fn span(ranges: &[Range<usize>], idx: Range<usize>, total: usize) -> Range<usize> {
    let start = ranges.get(idx.start).map_or(total, |r| r.start);
    let end = if idx.end == 0 {
        0
    } else {
        ranges.get(idx.end - 1).map_or(total, |r| r.end)
    };
    start..end.max(start)
}

/// The reviewer's diff: unchanged and changed blocks of lines, in order; inside a changed
/// block, a token-level diff (words for Latin script, characters for CJK).
pub fn review(old: &str, new: &str) -> Vec<Block> {
    let old_lines = lines(old);
    let new_lines = lines(new);
    let old_texts: Vec<&str> = old_lines.iter().map(|r| &old[r.clone()]).collect();
    let new_texts: Vec<&str> = new_lines.iter().map(|r| &new[r.clone()]).collect();
    let ops = similar::capture_diff_slices(Algorithm::Myers, &old_texts, &new_texts);
    let mut blocks: Vec<Block> = Vec::new();
    let mut pending: Option<(Range<usize>, Range<usize>)> = None;
    let flush = |pending: &mut Option<(Range<usize>, Range<usize>)>, blocks: &mut Vec<Block>| {
        if let Some((o, n)) = pending.take() {
            let os = span(&old_lines, o.clone(), old.len());
            let ns = span(&new_lines, n.clone(), new.len());
            blocks.push(Block {
                changed: true,
                old_lines: o,
                new_lines: n,
                pieces: token_pieces(old, os, new, ns),
            });
        }
    };
    for op in ops {
        if let DiffOp::Equal { .. } = op {
            flush(&mut pending, &mut blocks);
            let (o, n) = (op.old_range(), op.new_range());
            let os = span(&old_lines, o.clone(), old.len());
            let ns = span(&new_lines, n.clone(), new.len());
            blocks.push(Block {
                changed: false,
                old_lines: o,
                new_lines: n,
                pieces: vec![Piece {
                    tag: Tag::Equal,
                    old: os,
                    new: ns,
                }],
            });
        } else {
            let (o, n) = (op.old_range(), op.new_range());
            pending = Some(match pending.take() {
                Some((po, pn)) => (po.start..o.end, pn.start..n.end),
                None => (o, n),
            });
        }
    }
    flush(&mut pending, &mut blocks);
    blocks
}

/// Token-level diff of `old[os]` against `new[ns]`, as pieces with absolute byte ranges.
fn token_pieces(old: &str, os: Range<usize>, new: &str, ns: Range<usize>) -> Vec<Piece> {
    let shift = |v: Vec<Range<usize>>, by: usize| -> Vec<Range<usize>> {
        v.into_iter().map(|r| r.start + by..r.end + by).collect()
    };
    let ot = shift(tokens(&old[os.clone()]), os.start);
    let nt = shift(tokens(&new[ns.clone()]), ns.start);
    let ow: Vec<&str> = ot.iter().map(|r| &old[r.clone()]).collect();
    let nw: Vec<&str> = nt.iter().map(|r| &new[r.clone()]).collect();
    let deadline = std::time::Instant::now().checked_add(Duration::from_secs(2));
    let ops = similar::capture_diff_slices_deadline(Algorithm::Myers, &ow, &nw, deadline);
    let at = |t: &[Range<usize>], i: usize, end: usize| t.get(i).map_or(end, |r| r.start);
    let range = |t: &[Range<usize>], r: Range<usize>, end: usize| {
        if r.is_empty() {
            let p = at(t, r.start, end);
            p..p
        } else {
            t[r.start].start..t[r.end - 1].end
        }
    };
    let mut pieces: Vec<Piece> = Vec::new();
    let mut push = |tag: Tag, old: Range<usize>, new: Range<usize>| {
        if let Some(last) = pieces.last_mut()
            && last.tag == tag
            && last.old.end == old.start
            && last.new.end == new.start
        {
            last.old.end = old.end;
            last.new.end = new.end;
            return;
        }
        pieces.push(Piece { tag, old, new });
    };
    for op in ops {
        let o = range(&ot, op.old_range(), os.end);
        let n = range(&nt, op.new_range(), ns.end);
        match op {
            DiffOp::Equal { .. } => push(Tag::Equal, o, n),
            DiffOp::Delete { .. } => push(Tag::Delete, o, n.start..n.start),
            DiffOp::Insert { .. } => push(Tag::Insert, o.start..o.start, n),
            DiffOp::Replace { .. } => {
                push(Tag::Delete, o.clone(), n.start..n.start);
                push(Tag::Insert, o.end..o.end, n);
            }
        }
    }
    merge_slivers(pieces, old)
}

/// Folds a one-character unchanged sliver between two changes into them, so a replaced term
/// reads as one change (`[-竞选劳-]{+运+}动[-国会议员-]{+小组+}` becomes
/// `[-竞选劳动国会议员-]{+运动小组+}`). Line breaks are never folded.
fn merge_slivers(pieces: Vec<Piece>, old: &str) -> Vec<Piece> {
    let sliver = |k: usize| {
        let p: &Piece = &pieces[k];
        let text = &old[p.old.clone()];
        p.tag == Tag::Equal
            && text.chars().count() == 1
            && !text.contains('\n')
            && k > 0
            && k + 1 < pieces.len()
            && pieces[k - 1].tag != Tag::Equal
            && pieces[k + 1].tag != Tag::Equal
    };
    let mut out: Vec<Piece> = Vec::with_capacity(pieces.len());
    let mut cluster: Option<(Range<usize>, Range<usize>)> = None;
    let flush = |cluster: &mut Option<(Range<usize>, Range<usize>)>, out: &mut Vec<Piece>| {
        if let Some((o, n)) = cluster.take() {
            if !o.is_empty() {
                out.push(Piece {
                    tag: Tag::Delete,
                    old: o.clone(),
                    new: n.start..n.start,
                });
            }
            if !n.is_empty() {
                out.push(Piece {
                    tag: Tag::Insert,
                    old: o.end..o.end,
                    new: n,
                });
            }
        }
    };
    for (k, p) in pieces.iter().enumerate() {
        if p.tag == Tag::Equal && !sliver(k) {
            flush(&mut cluster, &mut out);
            out.push(p.clone());
        } else {
            cluster = Some(match cluster.take() {
                Some((o, n)) => (o.start..p.old.end.max(o.end), n.start..p.new.end.max(n.end)),
                None => (p.old.clone(), p.new.clone()),
            });
        }
    }
    flush(&mut cluster, &mut out);
    out
}

/// The flags of `path` in a report (`check --format json` or `run`'s report.jsonl): the
/// line whose `path` is `path` as given, else the one with the same file name, else the only
/// document line. They are the causes of the changes a diff shows.
pub fn causes_from_report(report: &str, path: &str) -> Result<Vec<Flag>, String> {
    let mut docs: Vec<FileReport<'static>> = super::report::parse(report)?
        .into_iter()
        .filter_map(|line| match line {
            Line::Document(doc) => Some(*doc),
            Line::Failed(_) | Line::Header(_) | Line::Corpus(_) => None,
        })
        .collect();
    let file_name = |p: &str| {
        std::path::Path::new(p)
            .file_name()
            .map(|n| n.to_os_string())
    };
    let pick = docs
        .iter()
        .position(|l| l.path == path)
        .or_else(|| {
            let mut same = docs
                .iter()
                .enumerate()
                .filter(|(_, l)| file_name(&l.path) == file_name(path));
            match (same.next(), same.next()) {
                (Some((i, _)), None) => Some(i),
                _ => None,
            }
        })
        .or_else(|| (docs.len() == 1).then_some(0));
    match pick {
        Some(i) => Ok(docs.swap_remove(i).flags.into_owned()),
        None => Err(format!("the report has no line for {path}")),
    }
}

/// The causes of one changed piece: flags over its deleted text, or around its insertion point.
pub fn causes_of<'c>(piece: &Piece, causes: &'c [Flag]) -> Vec<&'c Flag> {
    if piece.tag == Tag::Equal {
        return Vec::new();
    }
    causes
        .iter()
        .filter(|c| {
            if piece.old.is_empty() {
                c.start <= piece.old.start && piece.old.start <= c.end
            } else {
                c.start < piece.old.end && piece.old.start < c.end.max(c.start + 1)
            }
        })
        .collect()
}

/// The distinct causes of every change in a block, in text order.
pub fn block_causes<'c>(block: &Block, causes: &'c [Flag]) -> Vec<&'c Flag> {
    let mut out: Vec<&Flag> = Vec::new();
    for piece in &block.pieces {
        for c in causes_of(piece, causes) {
            if !out.iter().any(|o| std::ptr::eq(*o, c)) {
                out.push(c);
            }
        }
    }
    out.sort_by_key(|c| (c.start, c.end));
    out
}

/// Counts of changed pieces: (deletions, insertions).
pub fn change_counts(blocks: &[Block]) -> (usize, usize) {
    let mut counts = (0, 0);
    for p in blocks.iter().flat_map(|b| &b.pieces) {
        match p.tag {
            Tag::Delete => counts.0 += 1,
            Tag::Insert => counts.1 += 1,
            Tag::Equal => {}
        }
    }
    counts
}

/// Writes the changed blocks as an inline diff: each line numbered `old new │`, deletions in
/// red, insertions in green. With `color` off, deletions are `[-...-]` and insertions `{+...+}`.
pub fn write_inline(
    out: &mut dyn WriteColor,
    old: &str,
    new: &str,
    blocks: &[Block],
    causes: &[Flag],
    color: bool,
) -> io::Result<()> {
    let width = old
        .lines()
        .count()
        .max(new.lines().count())
        .max(1)
        .to_string()
        .len();
    let mut first = true;
    for block in blocks.iter().filter(|b| b.changed) {
        if !first {
            writeln!(out, "{:>w$} {:>w$} ┊", "", "", w = width)?;
        }
        first = false;
        let (mut ol, mut nl) = (block.old_lines.start + 1, block.new_lines.start + 1);
        let mut at_line_start = true;
        for piece in &block.pieces {
            let text = piece.text(old, new);
            for part in text.split_inclusive('\n') {
                if at_line_start {
                    out.reset()?;
                    write!(out, "{ol:>width$} {nl:>width$} │ ")?;
                    at_line_start = false;
                }
                let body = part.trim_end_matches(['\n', '\r']);
                let ends = part.ends_with('\n');
                write_piece(out, piece.tag, body, ends, color)?;
                if ends {
                    out.reset()?;
                    writeln!(out)?;
                    at_line_start = true;
                    match piece.tag {
                        Tag::Equal => {
                            ol += 1;
                            nl += 1;
                        }
                        Tag::Delete => ol += 1,
                        Tag::Insert => nl += 1,
                    }
                }
            }
        }
        if !at_line_start {
            out.reset()?;
            writeln!(out)?;
        }
        for cause in block_causes(block, causes) {
            write!(out, "{:>w$} {:>w$} │   ↳ ", "", "", w = width)?;
            if color {
                out.set_color(ColorSpec::new().set_fg(Some(Color::Cyan)).set_bold(true))?;
            }
            write!(out, "{}", cause.rule)?;
            out.reset()?;
            writeln!(out, ": {}", cause.message)?;
        }
    }
    out.reset()
}

fn write_piece(
    out: &mut dyn WriteColor,
    tag: Tag,
    body: &str,
    line_break: bool,
    color: bool,
) -> io::Result<()> {
    let mark = if line_break && tag != Tag::Equal {
        "⏎"
    } else {
        ""
    };
    match (tag, color) {
        (Tag::Equal, _) => write!(out, "{body}"),
        (Tag::Delete, true) => {
            out.set_color(
                ColorSpec::new()
                    .set_fg(Some(Color::Red))
                    .set_strikethrough(true),
            )?;
            write!(out, "{body}{mark}")?;
            out.reset()
        }
        (Tag::Insert, true) => {
            out.set_color(
                ColorSpec::new()
                    .set_fg(Some(Color::Green))
                    .set_underline(true),
            )?;
            write!(out, "{body}{mark}")?;
            out.reset()
        }
        (Tag::Delete, false) => write!(out, "[-{body}{mark}-]"),
        (Tag::Insert, false) => write!(out, "{{+{body}{mark}+}}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use codespan_reporting::term::termcolor::NoColor;

    fn toks(text: &str) -> Vec<&str> {
        tokens(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn tokens_split_cjk_per_character_and_latin_per_word() {
        assert_eq!(
            toks("工党的Ian Lavery’s 2020年\r\nok,"),
            [
                "工",
                "党",
                "的",
                "Ian",
                " ",
                "Lavery’s",
                " ",
                "2020",
                "年",
                "\r\n",
                "ok",
                ","
            ]
        );
        let text = "a  b’ 工。";
        assert_eq!(toks(text).concat(), text);
    }

    #[test]
    fn review_diff_is_character_level_in_cjk_and_word_level_in_latin() {
        let old = "标题\n我们是劳动派对的成员,Ian Lvery说。\n结尾\n";
        let new = "标题\n我们是工党的成员,Ian Lavery说。\n结尾\n";
        let blocks = review(old, new);
        let changed: Vec<&Block> = blocks.iter().filter(|b| b.changed).collect();
        assert_eq!(changed.len(), 1);
        assert_eq!(
            (changed[0].old_lines.clone(), changed[0].new_lines.clone()),
            (1..2, 1..2)
        );
        let dels: Vec<&str> = changed[0]
            .pieces
            .iter()
            .filter(|p| p.tag == Tag::Delete)
            .map(|p| p.text(old, new))
            .collect();
        assert_eq!(dels, ["劳动派对", "Lvery"]);
        let (a, b) = (
            "来自社会主义竞选劳动国会议员的声明\n",
            "来自社会主义运动小组的声明\n",
        );
        let mut out = NoColor::new(Vec::new());
        write_inline(&mut out, a, b, &review(a, b), &[], false).unwrap();
        assert_eq!(
            String::from_utf8(out.into_inner()).unwrap(),
            "1 1 │ 来自社会主义[-竞选劳动国会议员-]{+运动小组+}的声明\n"
        );
        let mut out = NoColor::new(Vec::new());
        write_inline(&mut out, old, new, &blocks, &[], false).unwrap();
        let shown = String::from_utf8(out.into_inner()).unwrap();
        assert_eq!(
            shown,
            "2 2 │ 我们是[-劳动派对-]{+工党+}的成员,Ian [-Lvery-]{+Lavery+}说。\n"
        );
    }

    #[test]
    fn deleted_line_breaks_are_marked_and_numbers_advance() {
        let old = "一\n二二\n三\n";
        let new = "一\n三\n";
        let mut out = NoColor::new(Vec::new());
        write_inline(&mut out, old, new, &review(old, new), &[], false).unwrap();
        let shown = String::from_utf8(out.into_inner()).unwrap();
        assert_eq!(shown, "2 2 │ [-二二⏎-]\n");
    }

    #[test]
    fn unified_diff_writes_non_utf8_bytes_as_they_are() {
        let (old, _, _) = encoding_rs::GB18030.encode("劳动派对\n");
        let (new, _, _) = encoding_rs::GB18030.encode("工党\n");
        let d = unified(&old, &new, "gb.txt");
        let want = [
            b"--- gb.txt\n+++ gb.txt\n@@ -1 +1 @@\n-".as_slice(),
            &old,
            b"+",
            &new,
        ]
        .concat();
        assert_eq!(d, want);
    }

    #[test]
    fn unified_diff_keeps_crlf_and_names_the_file() {
        let old = b"a\r\nb\r\nc\r\n";
        let new = b"a\r\nB\r\nc\r\n";
        let d = String::from_utf8(unified(old, new, "x.txt")).unwrap();
        assert_eq!(
            d,
            "--- x.txt\n+++ x.txt\n@@ -1,3 +1,3 @@\n a\r\n-b\r\n+B\r\n c\r\n"
        );
        assert!(unified(old, old, "x").is_empty());
    }
}
