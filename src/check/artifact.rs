//! Conversion debris: orphan apostrophe fragments glued to CJK (`集团’S`, `’T可以`), U+FFFD,
//! mojibake, tripled letters inside a word (`Bulllingdon`), mid-word capitals in prose
//! (`oStour`), and single stray spaces between two CJK characters (`的 透露 在`).

use super::context::Context;
use crate::flag::{Flag, Rule, Severity};
use crate::text::is_word_char;

/// Runs the artifact checks.
pub(super) fn check(ctx: &Context<'_>) -> Vec<Flag> {
    let text = ctx.text;
    let mut flags = Vec::new();
    apostrophes(text, &mut flags);
    // In a piece of a long document, what the whole document's reading found in the piece.
    let (found, garbles) = match ctx.piece {
        Some(piece) => piece.mojibake(),
        None => (crate::mojibake::find(text), crate::mojibake::garbles(text)),
    };
    replacement_chars(text, &garbles, &mut flags);
    for m in found {
        let message = format!(
            "mojibake ({}; repaired by: {}); it should read '{}'",
            m.kind(),
            m.explanation(),
            m.fixed
        );
        let mut flag = Flag::new(Rule::Artifact, Severity::Warning, text, m.span, message)
            .suggest(m.fixed)
            .safe();
        flag.steps = Some(m.steps.iter().map(ToString::to_string).collect());
        flags.push(flag);
    }
    for g in garbles {
        // Nothing to suggest: the bytes that would repair it are gone.
        flags.push(Flag::new(
            Rule::Artifact,
            Severity::Warning,
            text,
            g.span,
            g.explanation,
        ));
    }
    words(ctx, &mut flags);
    stray_spaces(text, &mut flags);
    flags
}

/// Han or kana (not CJK punctuation).
fn is_cjk_letter(c: char) -> bool {
    crate::text::is_cjk_letter(c)
}

fn apostrophes(text: &str, flags: &mut Vec<Flag>) {
    // Quotes opened so far on the current line: curly ‘ minus ’, and ASCII ' seen.
    let (mut curly_open, mut ascii_seen) = (0i64, 0usize);
    for (i, c) in text.char_indices() {
        match c {
            '\n' => {
                curly_open = 0;
                ascii_seen = 0;
                continue;
            }
            '‘' => {
                curly_open += 1;
                continue;
            }
            '’' | '\'' => {}
            _ => continue,
        }
        let (opened_curly, opened_ascii) = (curly_open > 0, ascii_seen % 2 == 1);
        if c == '’' {
            curly_open -= 1;
        } else {
            ascii_seen += 1;
        }
        let prev = text[..i].chars().next_back();
        // 1-2 ASCII letters after the apostrophe, then something that is not a letter. Three
        // or more letters flag nothing, so counting stops at three.
        let next = i + c.len_utf8();
        let letters = text.as_bytes()[next..]
            .iter()
            .take(3)
            .take_while(|b| b.is_ascii_alphabetic())
            .count();
        // ASCII letters are one byte each.
        let end = next + letters;
        let after = text[end..].chars().next();
        let glued = prev.is_some_and(is_cjk_letter) || after.is_some_and(is_cjk_letter);
        if (1..=2).contains(&letters) && glued && !prev.is_some_and(|p| p.is_ascii_alphabetic()) {
            let frag = &text[i..end];
            let message = format!(
                "'{frag}' is a fragment of an English contraction or possessive left by machine translation; delete it"
            );
            flags.push(
                Flag::new(Rule::Artifact, Severity::Warning, text, i..end, message)
                    .suggest("")
                    .safe(),
            );
            continue;
        }
        // A lone apostrophe between two CJK characters with no opening quote before it.
        if letters == 0 && prev.is_some_and(is_cjk_letter) && after.is_some_and(is_cjk_letter) {
            let opened = if c == '’' {
                opened_curly
            } else {
                opened_ascii
            };
            if !opened {
                let message = "a stray apostrophe between Chinese characters (a remnant of English punctuation)";
                flags.push(
                    Flag::new(
                        Rule::Artifact,
                        Severity::Warning,
                        text,
                        i..i + c.len_utf8(),
                        message,
                    )
                    .suggest(""),
                );
            }
        }
    }
}

/// Runs of U+FFFD, except inside garble reported on its own.
fn replacement_chars(text: &str, garbles: &[crate::mojibake::Garble], flags: &mut Vec<Flag>) {
    let mut start: Option<usize> = None;
    let push = |s: usize, e: usize, flags: &mut Vec<Flag>| {
        if garbles.iter().any(|g| g.span.start <= s && e <= g.span.end) {
            return;
        }
        let message =
            "undecodable bytes were replaced by U+FFFD here: the original characters are lost";
        flags.push(Flag::new(
            Rule::Artifact,
            Severity::Warning,
            text,
            s..e,
            message,
        ));
    };
    for (i, c) in text.char_indices() {
        if c == '\u{FFFD}' {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            push(s, i, flags);
        }
    }
    if let Some(s) = start {
        push(s, text.len(), flags);
    }
}

/// Latin words with a letter tripled inside, or a capital after a lowercase start.
fn words(ctx: &Context<'_>, flags: &mut Vec<Flag>) {
    let text = ctx.text;
    let mut start: Option<usize> = None;
    let scan = |s: usize, e: usize, flags: &mut Vec<Flag>| {
        let word = &text[s..e];
        if !word.chars().all(|c| c.is_ascii_alphabetic()) || ctx.in_url(&(s..e)) {
            return;
        }
        // All ASCII letters: one byte per character.
        let chars = word.as_bytes();
        let single_letter = chars.iter().all(|c| c.eq_ignore_ascii_case(&chars[0]));
        let tripled = chars.windows(3).any(|w| w[0] == w[1] && w[1] == w[2]);
        if tripled && !single_letter && !chars.iter().all(|c| c.is_ascii_uppercase()) {
            let mut fixed = String::new();
            for (i, &c) in chars.iter().enumerate() {
                if i >= 2 && chars[i - 1] == c && chars[i - 2] == c {
                    continue;
                }
                fixed.push(char::from(c));
            }
            let message = format!(
                "'{word}' has a letter tripled, typical of conversion debris; did you mean '{fixed}'?"
            );
            flags.push(
                Flag::new(Rule::Artifact, Severity::Warning, text, s..e, message).suggest(fixed),
            );
            return;
        }
        // oStour: lowercase start, then a capital followed by lowercase (not iPhone/eBay style).
        let lower_prefix = chars.iter().take_while(|c| c.is_ascii_lowercase()).count();
        let camel = lower_prefix >= 1
            && chars.len() >= lower_prefix + 3
            && chars[lower_prefix].is_ascii_uppercase()
            && chars[lower_prefix + 1..]
                .iter()
                .all(|c| c.is_ascii_lowercase())
            && !(lower_prefix == 1 && matches!(chars[0], b'i' | b'e'));
        if camel {
            let message =
                format!("'{word}' has a capital letter in mid-word, typical of conversion debris");
            flags.push(Flag::new(
                Rule::Artifact,
                Severity::Warning,
                text,
                s..e,
                message,
            ));
        }
    };
    for (i, c) in text.char_indices() {
        if is_word_char(c) || c == '\'' && start.is_some() {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            scan(s, i, flags);
        }
    }
    if let Some(s) = start {
        scan(s, text.len(), flags);
    }
}

/// A single space with a Han or kana character on each side, except before a short
/// line ending (`凯文哈南 说:` comment headers are layout).
fn stray_spaces(text: &str, flags: &mut Vec<Flag>) {
    for (i, _) in text.match_indices(' ') {
        let (Some(before), Some(after)) =
            (text[..i].chars().next_back(), text[i + 1..].chars().next())
        else {
            continue;
        };
        if !is_cjk_letter(before) || !is_cjk_letter(after) {
            continue;
        }
        // At most three characters left on the line: layout, not a stray space.
        let rest: Vec<char> = text[i + 1..]
            .chars()
            .take_while(|&c| c != '\n')
            .take(4)
            .collect();
        let visible = rest.iter().rev().skip_while(|c| c.is_whitespace()).count();
        if visible <= 3 && rest.len() <= 3 {
            continue;
        }
        let message = format!(
            "a stray space between '{before}' and '{after}': Chinese does not separate words with spaces"
        );
        flags.push(
            Flag::new(Rule::Artifact, Severity::Warning, text, i..i + 1, message)
                .suggest("")
                .safe(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::Context;
    use crate::glossary::Termbase;
    use crate::lines::LineIndex;

    fn flags(text: &str) -> Vec<(String, Option<String>)> {
        let tb = Termbase::empty();
        let lines = LineIndex::new(text);
        let ctx = Context::new(text, Some("zh"), &[], &lines, &tb);
        check(&ctx)
            .into_iter()
            .map(|f| (f.text, f.suggestion))
            .collect()
    }

    #[test]
    fn orphan_fragments_and_lone_apostrophes() {
        assert_eq!(
            flags("两个集团的较长文章’S,Jon"),
            [("’S".into(), Some(String::new()))]
        );
        assert_eq!(
            flags("回应’T可以访问"),
            [("’T".into(), Some(String::new()))]
        );
        assert_eq!(
            flags("与战斗'休闲队的"),
            [("'".into(), Some(String::new()))]
        );
        assert!(flags("Ann Black's record").is_empty());
        assert!(
            flags("他说‘我们’的").is_empty(),
            "a closing quote with its opener is fine"
        );
        assert!(flags("两个集团’").is_empty());
        assert!(flags("两个集团’Sam").is_empty(), "three letters are a word");
        assert_eq!(flags("集团’S"), [("’S".into(), Some(String::new()))]);
    }

    #[test]
    fn stray_spaces_but_not_layout_or_mixed_script_spacing() {
        let found = flags("它是通过消息运行的 透露 在昨天在线找到了泄露的文件。");
        assert_eq!(found.len(), 2);
        assert!(flags("  • 凯文哈南 说:").is_empty());
        assert!(flags("托利党和 Jeremy Corbyn 的").is_empty());
    }

    #[test]
    fn letter_debris() {
        assert_eq!(
            flags("这不是Bulllingdon Club"),
            [("Bulllingdon".into(), Some("Bullingdon".into()))]
        );
        assert_eq!(flags("之后oStour 2的").len(), 1);
        for fine in [
            "嗯,mmmmmmm ??",
            "John McDonnell",
            "iPhone",
            "WWW",
            "见 https://www.example.org/aaa",
        ] {
            assert!(flags(fine).is_empty(), "{fine}");
        }
    }

    #[test]
    fn replacement_characters_and_mojibake() {
        assert_eq!(
            flags("工党\u{FFFD}\u{FFFD}会议"),
            [("\u{FFFD}\u{FFFD}".into(), None)]
        );
        assert_eq!(flags("the partyâ€™s"), [("â€™".into(), Some("’".into()))]);
    }
}
