//! Applying repairs: the suggestions of flags marked safe (`autofix`), in one pass over the
//! text so offsets stay valid. Overlapping repairs are skipped (first in text order wins).
//! Also the opt-in CJK typography pass (`fix --typography`).

use crate::flag::Flag;
use crate::format::Edit;

/// The repaired text and the flags whose suggestions were applied.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    pub text: String,
    pub applied: Vec<Flag>,
}

/// The safe suggestions in `flags` that can be made together, in text order: in range, on
/// character boundaries, the first of any overlapping ones.
pub fn chosen<'f>(text: &str, flags: &'f [Flag]) -> Vec<&'f Flag> {
    let mut chosen: Vec<&Flag> = flags
        .iter()
        .filter(|f| f.autofix && f.suggestion.is_some())
        .filter(|f| f.start <= f.end && f.end <= text.len())
        .filter(|f| text.is_char_boundary(f.start) && text.is_char_boundary(f.end))
        .collect();
    chosen.sort_by_key(|f| (f.start, f.end));
    let mut kept: Vec<&Flag> = Vec::with_capacity(chosen.len());
    for f in chosen {
        if kept.last().is_none_or(|k| k.end <= f.start) {
            kept.push(f);
        }
    }
    kept
}

/// The edits that make the flags' suggestions.
pub fn edits(flags: &[&Flag]) -> Vec<Edit> {
    flags
        .iter()
        .map(|f| Edit {
            range: f.start..f.end,
            replacement: f.suggestion.clone().unwrap_or_default(),
        })
        .collect()
}

/// The edits that turn `old` into `new`, character by character (what a whole-text pass such
/// as [`typography`] changed, as edits a markup source can take).
pub fn edits_between(old: &str, new: &str) -> Vec<Edit> {
    let diff = similar::TextDiff::configure()
        .algorithm(similar::Algorithm::Myers)
        .diff_chars(old, new);
    let mut out: Vec<Edit> = Vec::new();
    let (mut at_old, mut at_new) = (0usize, 0usize);
    for change in diff.iter_all_changes() {
        let len = change.value().len();
        match change.tag() {
            similar::ChangeTag::Equal => {
                at_old += len;
                at_new += len;
            }
            similar::ChangeTag::Delete => {
                match out.last_mut() {
                    Some(e) if e.range.end == at_old => e.range.end += len,
                    _ => out.push(Edit {
                        range: at_old..at_old + len,
                        replacement: String::new(),
                    }),
                }
                at_old += len;
            }
            similar::ChangeTag::Insert => {
                let inserted = &new[at_new..at_new + len];
                match out.last_mut() {
                    Some(e) if e.range.end == at_old => e.replacement.push_str(inserted),
                    _ => out.push(Edit {
                        range: at_old..at_old,
                        replacement: inserted.to_string(),
                    }),
                }
                at_new += len;
            }
        }
    }
    out
}

/// Applies every safe suggestion in `flags` to `text`.
pub fn apply(text: &str, flags: &[Flag]) -> Applied {
    let kept = chosen(text, flags);
    let (mut parts, _) = crate::format::Extract::plain(text).write_back(
        crate::format::Format::Text.escaper(),
        &[text],
        &edits(&kept),
    );
    Applied {
        text: parts.pop().unwrap_or_default(),
        applied: kept.into_iter().cloned().collect(),
    }
}

/// Chinese copywriting typography, opt-in: ASCII `, ? ! : ;` after a CJK character (before
/// another or at the end of a line) and parentheses between CJK characters become full-width,
/// then a space separates CJK letters from Latin letters and numbers on either side
/// (`和Jeremy Corbyn的2020年` -> `和 Jeremy Corbyn 的 2020 年`). Idempotent.
pub fn typography(text: &str) -> String {
    space_cjk_latin(&fullwidth_punctuation(text))
}

/// Puts one space between a CJK letter and a Latin word or number that touch: a number may
/// start with `$` and end with `%` (`花了 $5`, `增长 5% 的`).
fn space_cjk_latin(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut prev: Option<char> = None;
    for c in text.chars() {
        if let Some(p) = prev {
            let latin_end = p.is_ascii_alphanumeric() || p == '%';
            let latin_start = c.is_ascii_alphanumeric() || c == '$';
            let cjk_then_latin = crate::text::is_cjk_letter(p) && latin_start;
            let latin_then_cjk = latin_end && crate::text::is_cjk_letter(c);
            if cjk_then_latin || latin_then_cjk {
                out.push(' ');
            }
        }
        out.push(c);
        prev = Some(c);
    }
    out
}

/// Han, kana, or CJK/full-width punctuation.
fn cjk_side(c: Option<char>) -> bool {
    c.is_some_and(crate::text::is_cjk)
}

fn fullwidth(c: char) -> Option<char> {
    Some(match c {
        ',' => '，',
        '?' => '？',
        '!' => '！',
        ':' => '：',
        ';' => '；',
        '(' => '（',
        ')' => '）',
        _ => return None,
    })
}

/// The ASCII punctuation after a CJK character (before another, or ending a line) and the
/// parenthesis pairs between CJK characters, made full-width (spaces around them dropped, as
/// full-width punctuation carries its own spacing).
fn fullwidth_punctuation(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let before = |i: usize| chars[..i].iter().rev().find(|&&c| c != ' ').copied();
    let after = |i: usize| chars[i + 1..].iter().find(|&&c| c != ' ').copied();
    let line_end = |c: Option<char>| matches!(c, None | Some('\n' | '\r'));
    let mut replace: Vec<Option<char>> = vec![None; chars.len()];
    for (i, &c) in chars.iter().enumerate() {
        match c {
            ',' | '?' | '!' | ':' | ';'
                if cjk_side(before(i)) && (cjk_side(after(i)) || line_end(after(i))) =>
            {
                replace[i] = fullwidth(c);
            }
            '(' => {
                let Some(len) = chars[i + 1..]
                    .iter()
                    .position(|&d| matches!(d, ')' | '(' | '\n'))
                else {
                    continue;
                };
                let close = i + 1 + len;
                if chars[close] != ')' {
                    continue;
                }
                let inner_cjk = chars[i + 1..close]
                    .iter()
                    .any(|&d| crate::text::is_cjk_letter(d));
                let left = cjk_side(before(i));
                let right = cjk_side(after(close));
                if left && (right || inner_cjk) {
                    replace[i] = Some('（');
                    replace[close] = Some('）');
                }
            }
            _ => {}
        }
    }
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            // Drop spaces touching a converted mark.
            let next_mark = chars[i..]
                .iter()
                .position(|&d| d != ' ')
                .is_some_and(|k| replace[i + k].is_some());
            let prev_mark = chars[..i]
                .iter()
                .rposition(|&d| d != ' ')
                .is_some_and(|k| replace[k].is_some());
            if next_mark || prev_mark {
                continue;
            }
        }
        out.push(replace[i].unwrap_or(c));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{Rule, Severity};

    fn flag(text: &str, needle: &str, to: &str, safe: bool) -> Flag {
        let start = text.find(needle).unwrap();
        let f = Flag::new(
            Rule::DeprecatedTerm,
            Severity::Error,
            text,
            start..start + needle.len(),
            "m",
        )
        .suggest(to);
        if safe { f.safe() } else { f }
    }

    #[test]
    fn edits_between_two_texts_rebuild_the_new_one() {
        for (old, new) in [
            ("和Jeremy Corbyn的2020年", "和 Jeremy Corbyn 的 2020 年"),
            ("工党,好", "工党，好"),
            ("abc", ""),
            ("", "工党"),
        ] {
            let edits = edits_between(old, new);
            let mut rebuilt = old.to_string();
            for e in edits.iter().rev() {
                rebuilt.replace_range(e.range.clone(), &e.replacement);
            }
            assert_eq!(rebuilt, new, "{old:?}");
        }
    }

    #[test]
    fn applies_safe_suggestions_back_to_front() {
        let text = "我们是劳动派对的 透露,Ian Lvery说";
        let flags = vec![
            flag(text, "劳动派对", "工党", true),
            flag(text, " ", "", true),
            flag(text, "Ian Lvery", "Ian Lavery", true),
            flag(text, "说", "讲", false),
        ];
        let applied = apply(text, &flags);
        assert_eq!(applied.text, "我们是工党的透露,Ian Lavery说");
        assert_eq!(applied.applied.len(), 3);
    }

    #[test]
    fn overlapping_repairs_apply_once() {
        let text = "劳动派对";
        let flags = vec![
            flag(text, "劳动派对", "工党", true),
            flag(text, "派对", "党", true),
        ];
        assert_eq!(apply(text, &flags).text, "工党");
    }
}

#[cfg(test)]
mod typography_tests {
    use super::*;

    #[test]
    fn ascii_punctuation_between_cjk_becomes_full_width() {
        assert_eq!(
            fullwidth_punctuation("我们是工党的成员,他说:我们要赢!对吗?是的; 好(真的)。"),
            "我们是工党的成员，他说：我们要赢！对吗？是的；好（真的）。"
        );
        for keep in [
            "在12:30开会",
            "Hello, world!",
            "工党(Labour)",
            "Labour:\n工党",
        ] {
            assert_eq!(fullwidth_punctuation(keep), keep);
        }
        assert_eq!(fullwidth_punctuation("你好!\n再见?"), "你好！\n再见？");
        assert_eq!(
            fullwidth_punctuation("工党 (Labour) 的"),
            "工党（Labour）的"
        );
    }

    #[test]
    fn cjk_latin_spacing_and_idempotence() {
        let fixed = typography("托利党和Jeremy Corbyn的2020年会议,对吗?\r\n好!");
        assert_eq!(
            fixed,
            "托利党和 Jeremy Corbyn 的 2020 年会议，对吗？\r\n好！"
        );
        assert_eq!(typography(&fixed), fixed);
        let english = "The NEC met on Monday (in London): it voted 12-3; no more.";
        assert_eq!(typography(english), english);
        assert_eq!(
            typography("花了$5，增长5%的NEC和CLPD"),
            "花了 $5，增长 5% 的 NEC 和 CLPD"
        );
        for kept in [
            "工党 Labour 的",
            "见 https://labour.org.uk 。",
            "한국어text",
        ] {
            assert_eq!(typography(kept), kept);
        }
    }
}
