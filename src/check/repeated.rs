//! Phrases repeated back to back: four or more CJK characters (`劳动国会议员劳动国会议员`) or two
//! or more Latin words (`the party the party`). Reduplication of shorter units (天天, 研究研究)
//! is ordinary Chinese and is left alone.

use super::{Context, Flag, Rule, Severity};
use crate::glossary::matcher::is_word_char;

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
    let mut flags = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        if !(crate::segment::is_cjk(chars[i].1) && chars[i].1.is_alphabetic()) {
            i += 1;
            continue;
        }
        let mut found = false;
        let room = (chars.len() - i) / 2;
        for len in (MIN_CJK..=MAX_CJK.min(room)).rev() {
            let a = &chars[i..i + len];
            let b = &chars[i + len..i + 2 * len];
            if a.iter().zip(b).all(|(x, y)| x.1 == y.1) && a.iter().all(|&(_, c)| c.is_alphabetic())
            {
                let start = b[0].0;
                let end = chars.get(i + 2 * len).map_or(text.len(), |&(j, _)| j);
                let phrase: String = a.iter().map(|&(_, c)| c).collect();
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
                i += 2 * len;
                found = true;
                break;
            }
        }
        if !found {
            i += 1;
        }
    }
    flags
}

fn latin(text: &str) -> Vec<Flag> {
    let mut words: Vec<(usize, usize)> = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if is_word_char(c) {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            words.push((s, i));
        }
    }
    if let Some(s) = start {
        words.push((s, text.len()));
    }
    let same =
        |a: (usize, usize), b: (usize, usize)| text[a.0..a.1].eq_ignore_ascii_case(&text[b.0..b.1]);
    let spaced = |a: (usize, usize), b: (usize, usize)| text[a.1..b.0] == *" ";
    let mut flags = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let mut step = 1;
        for n in (2..=MAX_WORDS.min((words.len() - i) / 2)).rev() {
            let first = &words[i..i + n];
            let second = &words[i + n..i + 2 * n];
            let all_spaced = words[i..i + 2 * n].windows(2).all(|w| spaced(w[0], w[1]));
            if all_spaced && first.iter().zip(second).all(|(&a, &b)| same(a, b)) {
                let span = first[n - 1].1..second[n - 1].1;
                let phrase = &text[first[0].0..first[n - 1].1];
                let message = format!("'{phrase}' is repeated back to back; delete the repeat");
                flags.push(
                    Flag::new(Rule::RepeatedText, Severity::Warning, text, span, message)
                        .suggest("")
                        .safe(),
                );
                step = 2 * n;
                break;
            }
        }
        i += step;
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
}
