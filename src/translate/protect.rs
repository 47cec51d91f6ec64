//! Placeholder protection: glossary terms in a source text become opaque tokens `{t0}`,
//! `{t1}`, ... that MT engines pass through untouched; after translation each token is replaced
//! by the preferred target form. Restoring is tolerant of what engines do to such tokens
//! (`{ t 0 }`, `{T0}`, full-width braces).

use std::ops::Range;

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
/// index are dropped. Returns the text and, per token index, whether it was found.
pub(crate) fn restore(translated: &str, targets: &[String]) -> (String, Vec<bool>) {
    let mut found = vec![false; targets.len()];
    let mut out = String::with_capacity(translated.len() + 16);
    let mut pos = 0;
    for (span, index) in tokens(translated) {
        out.push_str(&translated[pos..span.start]);
        if let Some(target) = targets.get(index) {
            found[index] = true;
            out.push_str(target);
        }
        pos = span.end;
    }
    out.push_str(&translated[pos..]);
    (out, found)
}

/// Every token in `text`: its span and index.
fn tokens(text: &str) -> Vec<(Range<usize>, usize)> {
    let mut out = Vec::new();
    for (start, open) in text.char_indices() {
        if !matches!(open, '{' | '｛') {
            continue;
        }
        if let Some((len, index)) = token_at(&text[start + open.len_utf8()..]) {
            out.push((start..start + open.len_utf8() + len, index));
        }
    }
    // Tokens cannot overlap (each ends at its closing brace), but keep it obvious.
    out.dedup_by(|b, a| b.0.start < a.0.end);
    out
}

/// After an opening brace: spaces, `t`/`T`, spaces, digits (spaces allowed between), spaces,
/// a closing brace. Returns the length consumed and the index.
fn token_at(rest: &str) -> Option<(usize, usize)> {
    let mut chars = rest.char_indices().peekable();
    let skip_spaces = |chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>| {
        while chars
            .next_if(|&(_, c)| c == ' ' || c == '\u{3000}')
            .is_some()
        {}
    };
    skip_spaces(&mut chars);
    chars.next_if(|&(_, c)| matches!(c, 't' | 'T' | 'ｔ' | 'Ｔ'))?;
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
}
