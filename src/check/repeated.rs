//! Phrases repeated back to back: four or more CJK characters (`劳动国会议员劳动国会议员`) or two
//! or more Latin words (`the party the party`). Reduplication of shorter units (天天, 研究研究)
//! is ordinary Chinese and is left alone.

use std::collections::VecDeque;

use super::context::Context;
use crate::flag::{Flag, Rule, Severity};
use crate::text::is_word_char;

const MIN_CJK: usize = 4;
const MAX_CJK: usize = 24;
const MAX_WORDS: usize = 8;

/// Runs the repetition checks.
pub(super) fn check(ctx: &Context<'_>) -> Vec<Flag> {
    let mut flags = cjk(ctx.text);
    flags.extend(latin(ctx.text));
    flags
}

fn cjk(text: &str) -> Vec<Flag> {
    // Two repeats of the longest phrase, and the character just after them.
    const WINDOW: usize = 2 * MAX_CJK + 1;
    let mut flags = Vec::new();
    let mut rest = text.char_indices();
    let mut chars: VecDeque<(usize, char)> = VecDeque::with_capacity(WINDOW);
    loop {
        chars.extend(rest.by_ref().take(WINDOW - chars.len()));
        let Some(&(_, first)) = chars.front() else {
            break;
        };
        if !crate::text::is_cjk_letter(first) {
            chars.pop_front();
            continue;
        }
        // The window holds every character left, or more than two of the longest phrase.
        let room = chars.len() / 2;
        let found = (MIN_CJK..=MAX_CJK.min(room)).rev().find(|&len| {
            (0..len).all(|k| chars[k].1 == chars[len + k].1 && chars[k].1.is_alphabetic())
        });
        let Some(len) = found else {
            chars.pop_front();
            continue;
        };
        let start = chars[len].0;
        let end = chars.get(2 * len).map_or(text.len(), |&(j, _)| j);
        let phrase: String = chars.iter().take(len).map(|&(_, c)| c).collect();
        let message = format!("'{phrase}' is repeated back to back; delete the repeat");
        flags.push(
            Flag::new(
                Rule::RepeatedText,
                Severity::Warning,
                text,
                start..end,
                message,
            )
            .suggest("")
            .safe(),
        );
        chars.drain(..2 * len);
    }
    flags
}

/// Byte spans of the Latin words of `text`, in order.
fn word_spans(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut chars = text.char_indices();
    let mut start: Option<usize> = None;
    std::iter::from_fn(move || {
        for (i, c) in chars.by_ref() {
            if is_word_char(c) {
                start.get_or_insert(i);
            } else if let Some(s) = start.take() {
                return Some((s, i));
            }
        }
        start.take().map(|s| (s, text.len()))
    })
}

fn latin(text: &str) -> Vec<Flag> {
    // Two repeats of the longest phrase.
    const WINDOW: usize = 2 * MAX_WORDS;
    let same =
        |a: (usize, usize), b: (usize, usize)| text[a.0..a.1].eq_ignore_ascii_case(&text[b.0..b.1]);
    let spaced = |a: (usize, usize), b: (usize, usize)| text[a.1..b.0] == *" ";
    let mut flags = Vec::new();
    let mut rest = word_spans(text);
    let mut words: VecDeque<(usize, usize)> = VecDeque::with_capacity(WINDOW);
    loop {
        words.extend(rest.by_ref().take(WINDOW - words.len()));
        if words.is_empty() {
            break;
        }
        // The window holds every word left, or two of the longest phrase.
        let found = (2..=MAX_WORDS.min(words.len() / 2)).rev().find(|&n| {
            (1..2 * n).all(|k| spaced(words[k - 1], words[k]))
                && (0..n).all(|k| same(words[k], words[n + k]))
        });
        let Some(n) = found else {
            words.pop_front();
            continue;
        };
        let span = words[n - 1].1..words[2 * n - 1].1;
        let phrase = &text[words[0].0..words[n - 1].1];
        let message = format!("'{phrase}' is repeated back to back; delete the repeat");
        flags.push(
            Flag::new(Rule::RepeatedText, Severity::Warning, text, span, message)
                .suggest("")
                .safe(),
        );
        words.drain(..2 * n);
    }
    flags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_repeats_of_four_or_more() {
        let text = "社会主义竞选劳动国会议员劳动国会议员在泄露";
        let f = cjk(text);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].text, "劳动国会议员");
        assert_eq!(f[0].start, text.find("劳动国会议员在").unwrap());
        assert_eq!(cjk("六位数和六位数和曲调的")[0].text, "六位数和");
        for fine in ["我们的成员天天都在", "我们研究研究再说", "常常常常"] {
            assert!(cjk(fine).is_empty(), "{fine}");
        }
    }

    #[test]
    fn latin_repeats_of_two_or_more_words() {
        let f = latin("we left the party the party was over");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].text, " the party");
        assert!(latin("that that is").is_empty());
        assert!(latin("the party, the party").is_empty());
    }

    #[test]
    fn longest_repeats_and_repeats_at_the_end() {
        let phrase = "劳动国会议员".repeat(4);
        let text = format!("{phrase}{phrase}在");
        let f = cjk(&text);
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].start, f[0].end), (phrase.len(), 2 * phrase.len()));
        assert_eq!(cjk("在劳动国会劳动国会").len(), 1);
        let words = "a b c d e f g h";
        let f = latin(&format!("x {words} {words}"));
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].text, format!(" {words}"));
    }
}
