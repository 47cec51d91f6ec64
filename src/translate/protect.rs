//! Placeholder protection: glossary terms in a source text become opaque tokens `{t0}`,
//! `{t1}`, ... that MT engines pass through untouched; after translation each token is replaced
//! by the preferred target form. Restoring is tolerant of what engines do to such tokens
//! (`{ t 0 }`, `{T0}`, full-width braces), and keeps a restored form from running into the
//! next word: the tokens of touching Chinese terms come back touching.

use std::ops::Range;

use crate::text::is_word_char;

/// A term to protect: its span in the source and the text that replaces it after translation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Term {
    pub(crate) span: Range<usize>,
    pub(crate) target: String,
}

/// A source with its terms replaced, and what each token stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Protected {
    pub(crate) text: String,
    /// Index `i` is the target form of token `{ti}`.
    pub(crate) targets: Vec<String>,
}

/// Replaces each term (sorted, non-overlapping spans) by a token. `None` when there is no
/// term, or when the text already holds something that reads as a token (it could not be
/// told apart on the way back).
pub(crate) fn protect(text: &str, terms: &[Term]) -> Option<Protected> {
    if terms.is_empty() || !tokens(text).is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut targets = Vec::with_capacity(terms.len());
    let mut pos = 0;
    for term in terms {
        if term.span.start < pos || term.span.end > text.len() {
            return None;
        }
        out.push_str(&text[pos..term.span.start]);
        out.push_str(&format!("{{t{}}}", targets.len()));
        targets.push(term.target.clone());
        pos = term.span.end;
    }
    out.push_str(&text[pos..]);
    Some(Protected { text: out, targets })
}

/// The translation with every token replaced by its target form. Tokens with an unknown
/// index are dropped. A restored form that would touch a word (another form included: the
/// tokens of two adjacent source terms come back adjacent) is set off by a space, where the
/// script writes spaces between words. Returns the text and, per token index, whether it was
/// found.
pub(crate) fn restore(translated: &str, targets: &[String]) -> (String, Vec<bool>) {
    let mut found = vec![false; targets.len()];
    let mut out = String::with_capacity(translated.len() + 16);
    let mut pos = 0;
    // Whether `out` ends with a restored form.
    let mut after_form = false;
    for (span, index) in tokens(translated) {
        let between = &translated[pos..span.start];
        if !between.is_empty() {
            push_separated(&mut out, between, after_form);
            after_form = false;
        }
        if let Some(target) = targets.get(index) {
            found[index] = true;
            push_separated(&mut out, target, true);
            after_form = true;
        }
        pos = span.end;
    }
    push_separated(&mut out, &translated[pos..], after_form);
    (out, found)
}

/// Appends `piece` to `out`; when `separate`, with a space first if the two would otherwise
/// run two words together.
fn push_separated(out: &mut String, piece: &str, separate: bool) {
    if separate
        && let (Some(before), Some(after)) = (out.chars().next_back(), piece.chars().next())
        && needs_space(before, after)
    {
        out.push(' ');
    }
    out.push_str(piece);
}

/// Whether two words meeting at `before`|`after` must be set apart by a space: both are word
/// characters of scripts that write spaces between words. Never next to punctuation, an
/// apostrophe or a hyphen (`Party's`, `(NEC)`, `pro-Labour`), nor in CJK text, Thai, Lao,
/// Tibetan, Myanmar or Khmer, which have no spaces between words.
pub(crate) fn needs_space(before: char, after: char) -> bool {
    spaced_word_char(before) && spaced_word_char(after)
}

fn spaced_word_char(c: char) -> bool {
    is_word_char(c)
        && !matches!(c,
            '\u{0E00}'..='\u{0FFF}' // Thai, Lao, Tibetan
            | '\u{1000}'..='\u{109F}' // Myanmar
            | '\u{1780}'..='\u{17FF}' // Khmer
        )
}

/// Every glossary token in `text`: its span and index.
fn tokens(text: &str) -> Vec<(Range<usize>, usize)> {
    tokens_of(text, Token::Term)
}

/// The kinds of placeholder tokens: glossary terms `{t0}` and inline markup `{m0}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Token {
    Term,
    Markup,
}

impl Token {
    /// The letter of the kind's tokens (lower case, ASCII).
    pub(crate) fn letter(self) -> char {
        match self {
            Token::Term => 't',
            Token::Markup => 'm',
        }
    }
}

/// Every token of one kind in `text`, read as tolerantly as engines write them back
/// (`{ m 0 }`, `{M0}`, full-width braces): its span and index.
pub(crate) fn tokens_of(text: &str, kind: Token) -> Vec<(Range<usize>, usize)> {
    let mut out = Vec::new();
    for (start, open) in text.char_indices() {
        if !matches!(open, '{' | '｛') {
            continue;
        }
        if let Some((len, index)) = token_at(&text[start + open.len_utf8()..], kind.letter()) {
            out.push((start..start + open.len_utf8() + len, index));
        }
    }
    // Tokens cannot overlap (each ends at its closing brace), but keep it obvious.
    out.dedup_by(|b, a| b.0.start < a.0.end);
    out
}

/// After an opening brace: spaces, the kind's letter (either case, ASCII or full-width),
/// spaces, digits (spaces allowed between), spaces, a closing brace. Returns the length
/// consumed and the index.
fn token_at(rest: &str, letter: char) -> Option<(usize, usize)> {
    let mut chars = rest.char_indices().peekable();
    let skip_spaces = |chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>| {
        while chars
            .next_if(|&(_, c)| c == ' ' || c == '\u{3000}')
            .is_some()
        {}
    };
    skip_spaces(&mut chars);
    // The letter in ASCII (either case) or full width (either case).
    let offset = letter as u32 - 'a' as u32;
    let forms = [
        Some(letter),
        Some(letter.to_ascii_uppercase()),
        char::from_u32(0xFF41 + offset),
        char::from_u32(0xFF21 + offset),
    ];
    chars.next_if(|&(_, c)| forms.contains(&Some(c)))?;
    skip_spaces(&mut chars);
    let mut digits = String::new();
    while let Some(&(_, c)) = chars.peek() {
        match c {
            '0'..='9' => digits.push(c),
            '０'..='９' => digits.push(char::from(b'0' + (c as u32 - '０' as u32) as u8)),
            ' ' => {}
            _ => break,
        }
        chars.next();
    }
    let (i, close) = chars.next()?;
    if digits.is_empty() || digits.len() > 6 || !matches!(close, '}' | '｝') {
        return None;
    }
    Some((i + close.len_utf8(), digits.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(text: &str, needle: &str, target: &str) -> Term {
        let start = text.find(needle).unwrap();
        Term {
            span: start..start + needle.len(),
            target: target.into(),
        }
    }

    #[test]
    fn protect_and_restore_round_trip() {
        let text = "我们是工党的全国执行委员会成员";
        let terms = [
            term(text, "工党", "Labour Party"),
            term(text, "全国执行委员会", "National Executive Committee"),
        ];
        let p = protect(text, &terms).unwrap();
        assert_eq!(p.text, "我们是{t0}的{t1}成员");
        let (out, found) = restore("We are members of the {t0}'s {t1}", &p.targets);
        assert_eq!(
            out,
            "We are members of the Labour Party's National Executive Committee"
        );
        assert_eq!(found, [true, true]);
    }

    #[test]
    fn restore_tolerates_mangled_tokens() {
        let targets = vec!["Labour Party".to_string(), "NEC".to_string()];
        let (out, found) = restore("The { T 0 } and ｛t１｝ and {t 9} and {x0}", &targets);
        assert_eq!(out, "The Labour Party and NEC and  and {x0}");
        assert_eq!(found, [true, true]);
        let (out, found) = restore("The party", &targets);
        assert_eq!(out, "The party");
        assert_eq!(found, [false, false]);
    }

    #[test]
    fn nothing_to_protect_or_ambiguous() {
        assert_eq!(protect("abc", &[]), None);
        let text = "工党 {t0}";
        assert_eq!(protect(text, &[term(text, "工党", "Labour Party")]), None);
    }

    fn strings(forms: &[&str]) -> Vec<String> {
        forms.iter().map(|f| f.to_string()).collect()
    }

    #[test]
    fn touching_tokens_restore_as_separate_words() {
        let targets = strings(&["Labour Party", "National Executive Committee"]);
        for (answer, want) in [
            ("{t0}{t1}", "Labour Party National Executive Committee"),
            (
                "The {t0}{t1} met.",
                "The Labour Party National Executive Committee met.",
            ),
            ("{ t 0 }｛T1｝", "Labour Party National Executive Committee"),
            // Never doubled.
            ("{t0} {t1}", "Labour Party National Executive Committee"),
            (
                "{t0}\u{a0}{t1}",
                "Labour Party\u{a0}National Executive Committee",
            ),
            // A form the engine glued to one of its own words.
            ("the{t0}", "the Labour Party"),
            (
                "{t1}members in 2020",
                "National Executive Committee members in 2020",
            ),
            ("{t0}{t9}{t1}", "Labour Party National Executive Committee"),
        ] {
            assert_eq!(restore(answer, &targets).0, want, "{answer}");
        }
        assert_eq!(restore("{t0}{t1}", &targets).1, [true, true]);
    }

    #[test]
    fn restored_forms_keep_touching_punctuation() {
        let targets = strings(&["Labour Party", "National Executive Committee", "NEC"]);
        for (answer, want) in [
            (
                "The {t0}{t1}'s decision",
                "The Labour Party National Executive Committee's decision",
            ),
            ("{t0}’s {t1}", "Labour Party’s National Executive Committee"),
            (
                "the {t0}{t1} ({t2})",
                "the Labour Party National Executive Committee (NEC)",
            ),
            ("({t0}{t2})", "(Labour Party NEC)"),
            ("{t0}, {t1}.", "Labour Party, National Executive Committee."),
            ("{t0}-led {t2}", "Labour Party-led NEC"),
            (
                "pro-{t0}{t1}",
                "pro-Labour Party National Executive Committee",
            ),
            ("\"{t0}\"{t2}", "\"Labour Party\"NEC"),
            ("l'{t1}", "l'National Executive Committee"),
            (
                "{t2}/{t0}: {t1}!",
                "NEC/Labour Party: National Executive Committee!",
            ),
        ] {
            assert_eq!(restore(answer, &targets).0, want, "{answer}");
        }
    }

    #[test]
    fn cjk_and_unspaced_scripts_get_no_space() {
        let zh = strings(&["工党", "全国执行委员会"]);
        assert_eq!(restore("{t0}{t1}", &zh).0, "工党全国执行委员会");
        assert_eq!(
            restore("我们是{t0}{t1}的成员", &zh).0,
            "我们是工党全国执行委员会的成员"
        );
        // A Latin form in Chinese text touches its CJK neighbours, but not another Latin word.
        let mixed = strings(&["Labour Party", "NEC", "工党"]);
        assert_eq!(
            restore("我们是{t0}的{t1}成员，{t2}{t1}", &mixed).0,
            "我们是Labour Party的NEC成员，工党NEC"
        );
        assert_eq!(restore("{t0}{t1}", &mixed).0, "Labour Party NEC");
        // Thai writes words without spaces too.
        let th = strings(&["พรรคแรงงาน", "คณะกรรมการบริหาร"]);
        assert_eq!(restore("{t0}{t1}", &th).0, "พรรคแรงงานคณะกรรมการบริหาร");
    }

    #[test]
    fn latin_source_to_cjk_target() {
        let text = "The Labour Party National Executive Committee and the IHRA NEC met";
        let terms = [
            term(text, "Labour Party", "工党"),
            term(text, "National Executive Committee", "全国执行委员会"),
            term(text, "IHRA", "IHRA"),
            term(text, "NEC", "NEC"),
        ];
        let p = protect(text, &terms).unwrap();
        assert_eq!(p.text, "The {t0} {t1} and the {t2} {t3} met");
        // An engine that drops the spaces between the tokens, as Chinese has none.
        let (out, found) = restore("{t0}{t1}和{t2}{t3}开会了", &p.targets);
        assert_eq!(out, "工党全国执行委员会和IHRA NEC开会了");
        assert_eq!(found, [true, true, true, true]);
    }
}
