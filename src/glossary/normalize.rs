//! The normalised view of a text that glossary matching runs on, with a map back to the
//! original bytes: NFC, full-width -> half-width, Latin case-folded, Traditional Han folded onto
//! Simplified, interpuncts in transliterated names dropped, curly apostrophes and dashes
//! unified, white space collapsed.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::canonical_combining_class;

/// A normalised text and the way back to the original byte offsets.
#[derive(Debug, Clone, Default)]
pub struct Normalized {
    /// The normalised text.
    pub text: String,
    /// Groups whose normalised length differs from their original length, in order:
    /// `(norm_start, orig_start, norm_len, orig_len)`. Between them, bytes map one to one.
    shifts: Vec<(usize, usize, usize, usize)>,
}

impl Normalized {
    /// Normalises `original`.
    pub fn new(original: &str) -> Normalized {
        Normalized::build(original, true)
    }

    /// Normalises `original`; with `fast`, ASCII characters not followed by a combining mark
    /// take a short path that gives the same result as the general one.
    fn build(original: &str, fast: bool) -> Normalized {
        let mut out = Normalized {
            text: String::with_capacity(original.len()),
            shifts: Vec::new(),
        };
        let mut buf = String::new();
        let mut chars = original.char_indices().peekable();
        let mut last_space = false;
        while let Some((start, c)) = chars.next() {
            // Combining marks are never ASCII, so an ASCII character followed by ASCII (or
            // nothing) is a group of its own.
            if fast && c.is_ascii() && chars.peek().is_none_or(|&(_, n)| n.is_ascii()) {
                let folded = match c {
                    '`' => '\'',
                    '\t'..='\r' | ' ' => ' ',
                    c => c.to_ascii_lowercase(),
                };
                if folded == ' ' && last_space {
                    out.shifts.push((out.text.len(), start, 0, 1));
                    continue;
                }
                last_space = folded == ' ';
                out.text.push(folded);
                continue;
            }
            // A group is a starter and the combining marks that follow it.
            let mut end = start + c.len_utf8();
            let mut combining = false;
            while let Some(&(i, m)) = chars.peek() {
                if canonical_combining_class(m) == 0 {
                    break;
                }
                combining = true;
                end = i + m.len_utf8();
                chars.next();
            }
            buf.clear();
            if combining {
                for n in original[start..end].nfc() {
                    fold_char(n, &mut buf);
                }
            } else {
                fold_char(c, &mut buf);
            }
            // Collapse white space runs into one space.
            if buf == " " {
                if last_space {
                    buf.clear();
                }
                last_space = true;
            } else if !buf.is_empty() {
                last_space = false;
            }
            let norm_start = out.text.len();
            out.text.push_str(&buf);
            if buf.len() != end - start || combining {
                out.shifts.push((norm_start, start, buf.len(), end - start));
            }
        }
        out
    }

    /// Original byte offset of the start of the group holding normalised byte `n`.
    pub fn orig_start(&self, n: usize) -> usize {
        let i = self.shifts.partition_point(|s| s.0 <= n);
        if i == 0 {
            return n;
        }
        let (ns, os, nl, ol) = self.shifts[i - 1];
        if n < ns + nl {
            os
        } else {
            os + ol + (n - ns - nl)
        }
    }

    /// Original byte offset just past the group holding normalised byte `n - 1`
    /// (the end of a match that ends at `n`).
    pub fn orig_end(&self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        let last = n - 1;
        let i = self.shifts.partition_point(|s| s.0 <= last);
        if i == 0 {
            return n;
        }
        let (ns, os, nl, ol) = self.shifts[i - 1];
        if last < ns + nl {
            os + ol
        } else {
            os + ol + (last - ns - nl) + 1
        }
    }

    /// Maps a normalised span back to the original bytes.
    pub fn to_original(&self, span: std::ops::Range<usize>) -> std::ops::Range<usize> {
        self.orig_start(span.start)..self.orig_end(span.end)
    }
}

/// Whether `c` separates parts of a transliterated name (`伊恩·拉弗里`): dropped when normalising.
pub fn is_interpunct(c: char) -> bool {
    matches!(c, '·' | '•' | '‧' | '・' | '･' | '∙' | '⋅' | '\u{16EB}')
}

/// Appends the normalised form of one character.
fn fold_char(c: char, out: &mut String) {
    let c = match c {
        // Full-width ASCII -> ASCII; ideographic space -> space.
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        '’' | '‘' | '`' | '´' | '′' => '\'',
        '\u{2010}'..='\u{2013}' | '\u{2212}' | '\u{FE63}' => '-',
        // Traditional Han onto Simplified, one character for one: a form in either script
        // matches a text in either (劳动派对, 勞動派對, 劳動派对).
        c if c >= '\u{2E80}' => crate::hanzi::fold(c),
        _ => c,
    };
    if is_interpunct(c) {
        return;
    }
    if c.is_whitespace() {
        out.push(' ');
    } else if c.is_uppercase() {
        out.extend(c.to_lowercase());
    } else {
        out.push(c);
    }
}

/// Normalises a glossary form the same way as text (so the automaton compares like with like).
pub fn normalize_form(form: &str) -> String {
    Normalized::new(form.trim()).text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(original: &str, needle: &str) -> String {
        let n = Normalized::new(original);
        let at = n
            .text
            .find(needle)
            .unwrap_or_else(|| panic!("{needle} not in {}", n.text));
        let span = n.to_original(at..at + needle.len());
        original[span].to_string()
    }

    #[test]
    fn folds_case_width_interpuncts_and_space() {
        let n = Normalized::new("ＩＨＲＡ and Ian  Lavery’s 伊恩·拉弗里");
        assert_eq!(n.text, "ihra and ian lavery's 伊恩拉弗里");
    }

    #[test]
    fn offsets_map_back_to_original_bytes() {
        let text = "我们 ＮＥＣ会议，伊恩·拉弗里和Ian\n  Lavery说";
        assert_eq!(roundtrip(text, "nec"), "ＮＥＣ");
        assert_eq!(roundtrip(text, "伊恩拉弗里"), "伊恩·拉弗里");
        assert_eq!(roundtrip(text, "ian lavery"), "Ian\n  Lavery");
        assert_eq!(roundtrip(text, "说"), "说");
        assert_eq!(roundtrip(text, "我们"), "我们");
        assert_eq!(roundtrip(text, "会议"), "会议");
    }

    #[test]
    fn nfd_input_matches_nfc_form() {
        let nfd = "Ame\u{301}lie Ha\u{308}user";
        let n = Normalized::new(nfd);
        assert_eq!(n.text, "amélie häuser");
        assert_eq!(roundtrip(nfd, "häuser"), "Ha\u{308}user");
        assert_eq!(normalize_form("Amélie"), "amélie");
    }

    proptest::proptest! {
        /// The ASCII short path changes nothing: same text, same offsets.
        #[test]
        fn ascii_short_path_is_the_general_path(
            s in "([ -~\t\n\x0b\x0c\r`]|[ÀÉé’‘·　ＡＺ工党]|e\u{301}|\u{301}){0,40}"
        ) {
            let fast = Normalized::build(&s, true);
            let slow = Normalized::build(&s, false);
            proptest::prop_assert_eq!(&fast.text, &slow.text);
            proptest::prop_assert_eq!(&fast.shifts, &slow.shifts);
        }
    }

    #[test]
    fn identity_text_maps_one_to_one() {
        let text = "工党和 labour";
        let n = Normalized::new(text);
        assert_eq!(n.text, text);
        assert_eq!(n.to_original(3..6), 3..6);
        assert_eq!(n.to_original(0..text.len()), 0..text.len());
    }
}
