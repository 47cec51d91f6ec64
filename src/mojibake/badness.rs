//! How much a text looks like mojibake: a count of the marks that wrong decoding leaves and
//! real writing rarely has. A repair must lower it. The marks:
//! - C1 control characters;
//! - a lower-case letter followed by a capital inside a word, where one of them is not ASCII
//!   (`LietuviÅ³`, `РґРѕ`);
//! - symbols from a code page's high half between two letters, or a letter and a digit
//!   (`Ã©t`, `Ì¶6`), apostrophes, middle dots and dashes aside;
//! - `Ã` or `Â` before what a continuation byte becomes, and a lone `Ã` before a lower-case
//!   word (`voilÃ le`);
//! - letters of two alphabets joined in a word (`lвЂ™ouest`);
//! - characters real text hardly uses (IPA, Latin Extended-B, long s, Armenian, jamo, ...);
//! - runs of three or more high-half symbols;
//! - a whole UTF-8 sequence's image after a letter or led by a small letter (`âœ”`, `Zam√≤`).

use unicode_script::{Script, UnicodeScript};

use super::codec::{Codec, images, is_c1};

/// The badness of `text` (0 for text with no mark of mojibake).
pub fn badness(text: &str) -> u32 {
    let chars: Vec<char> = text.chars().collect();
    let mut score = 0;
    let at = |i: usize| chars.get(i).copied();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let prev = if i == 0 { None } else { at(i - 1) };
        // Every mark involves a character outside ASCII, and none a Han or kana letter (they
        // have no case, mix with any script and are no code page's high half): clean Chinese
        // passes here without a lookup.
        if c.is_ascii() && prev.is_none_or(|p| p.is_ascii()) || han_or_kana(c) {
            i += 1;
            continue;
        }
        let next = at(i + 1);
        if is_c1(c) {
            score += 2;
        }
        if is_rare(c) {
            score += 2;
        }
        if let Some(p) = prev
            && letter(p)
            && letter(c)
        {
            if p.is_lowercase() && c.is_uppercase() && !(p.is_ascii() && c.is_ascii()) {
                score += 1;
            }
            if let (Some(a), Some(b)) = (alphabet(p), alphabet(c))
                && a != b
                && !matches!(
                    (a, b),
                    (Script::Latin, Script::Greek) | (Script::Greek, Script::Latin)
                )
            {
                score += 1;
            }
        }
        if matches!(c, 'Ã' | 'Â') && ane(c, prev, next, at(i + 2), at(i + 3)) {
            score += 1;
        }
        if sym(c) && !prev.is_some_and(sym) {
            let end = (i..chars.len())
                .find(|&j| !sym(chars[j]))
                .unwrap_or(chars.len());
            let run = &chars[i..end];
            let after = at(end);
            let inside = prev.is_some_and(letter)
                && after.is_some_and(|a| letter(a) || a.is_ascii_digit())
                || prev.is_some_and(|p| p.is_ascii_digit()) && after.is_some_and(letter);
            if inside && !word_punctuation(run) {
                score += 1;
            }
            if run.len() >= 3 && !run.iter().all(|&r| quote_or_dash(r)) {
                score += 1;
            }
        }
        if whole_sequence(&chars, i) {
            score += 1;
        }
        i += 1;
    }
    score
}

fn han_or_kana(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{3041}'..='\u{30FF}')
}

/// A letter for these purposes: ordinal indicators are symbols here.
fn letter(c: char) -> bool {
    c.is_alphabetic() && !matches!(c, 'ª' | 'º')
}

/// A non-ASCII, non-letter, non-space character some code page's high half produces.
fn sym(c: char) -> bool {
    !c.is_ascii() && !letter(c) && !c.is_whitespace() && !is_c1(c) && images(c).is_some()
}

fn quote_or_dash(c: char) -> bool {
    matches!(
        c,
        '‘' | '’' | '‚' | '“' | '”' | '„' | '«' | '»' | '‹' | '›' | '–' | '—' | '…'
    )
}

/// Symbols that do sit inside words: apostrophes, a middle dot, a soft hyphen, dashes.
fn word_punctuation(run: &[char]) -> bool {
    matches!(run, ['’' | '´' | '·' | '\u{AD}' | '–' | '—'])
}

/// `Ã`/`Â` followed by a continuation byte's image (a real `Ã’s` aside), or a lone `Ã`
/// followed by a space and a lower-case letter.
fn ane(
    c: char,
    prev: Option<char>,
    next: Option<char>,
    then: Option<char>,
    third: Option<char>,
) -> bool {
    match next {
        // An upper-case word, a no-break space, an upper-case word (`MISUTÂ AJIKKO`).
        Some('\u{A0}')
            if prev.is_some_and(char::is_uppercase) && then.is_some_and(char::is_uppercase) =>
        {
            false
        }
        Some(' ') => c == 'Ã' && then.is_some_and(|t| t.is_ascii_lowercase()),
        Some('’') => {
            !then.is_some_and(|t| matches!(t, 's' | 't' | 'd'))
                || third.is_some_and(char::is_alphanumeric)
        }
        Some(n) => images(n).is_some_and(|im| im.cont != 0),
        None => false,
    }
}

/// The script of a letter when mixing it with another in one word is a sign of mojibake:
/// Han, kana and letters shared by scripts are left out.
fn alphabet(c: char) -> Option<Script> {
    match c.script() {
        Script::Common | Script::Inherited | Script::Han | Script::Hiragana | Script::Katakana => {
            None
        }
        s => Some(s),
    }
}

/// Characters that real text hardly uses and wrong decodings often produce.
pub(super) fn is_rare(c: char) -> bool {
    let u = c as u32;
    match u {
        0x17F => true, // long s
        0x180..=0x24F => !matches!(
            u,
            0x1A0 | 0x1A1 | 0x1AF | 0x1B0 // Vietnamese horned o, u
                | 0x1C4..=0x1DC // Croatian digraphs, pinyin tones
                | 0x218..=0x21B // Romanian comma-below letters
        ),
        0x250..=0x2AF => true, // IPA
        0x2B0..=0x2FF => !matches!(u, 0x2BB | 0x2BC | 0x2C6 | 0x2C7 | 0x2D8..=0x2DD),
        0x500..=0x52F => true,                     // Cyrillic supplement
        0x530..=0x58F => true,                     // Armenian
        0x591..=0x5C7 => true,                     // Hebrew points
        0x700..=0x8FF => true,                     // Syriac, Thaana, NKo, Samaritan, ...
        0x1100..=0x11FF | 0x3130..=0x318F => true, // Hangul jamo
        0x1D00..=0x1DBF => true,                   // phonetic extensions
        0xE000..=0xF8FF => true,                   // private use
        0xFFF0..=0xFFFC | 0xFFFE | 0xFFFF => true,
        0x0..=0x8 | 0xB | 0xE..=0x1F | 0x7F => true,
        _ => false,
    }
}

/// Whether a whole UTF-8 sequence's image starts at `i` in one code page, led by a small
/// letter or by a symbol after a letter (`âœ”`, `Zam√≤`), with at least one non-letter in it.
/// Capitals lead real words (`NESTLÉ®`, `AHÅ™`); `Ã` and `Â` are `ane`'s.
fn whole_sequence(chars: &[char], i: usize) -> bool {
    let c = chars[i];
    let Some(im) = images(c) else {
        return false;
    };
    if im.lead == 0 {
        return false;
    }
    let after_letter = i > 0 && letter(chars[i - 1]);
    if !(c.is_lowercase() || !letter(c) && after_letter) {
        return false;
    }
    Codec::ALL.iter().enumerate().any(|(bit, codec)| {
        if im.lead & (1 << bit) == 0 {
            return false;
        }
        let need = match codec.encode_char(c) {
            Some(0xC2..=0xDF) => 1,
            Some(0xE0..=0xEF) => 2,
            Some(0xF0..=0xF4) => 3,
            _ => return false,
        };
        let Some(rest) = chars.get(i + 1..i + 1 + need) else {
            return false;
        };
        rest.iter()
            .all(|&r| images(r).is_some_and(|m| m.cont & (1 << bit) != 0))
            && rest.iter().any(|&r| !letter(r))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mojibake_scores_and_clean_text_does_not() {
        for bad in [
            "Ã©lection",
            "LietuviÅ³",
            "âœ” No",
            "Zam√≤",
            "×¢×‘×¨×™×ª",
            "OÃ™ ET",
            "voilÃ le",
        ] {
            assert!(badness(bad) > 0, "{bad}");
        }
        for clean in [
            "Ça va. Très bien, déjà vu — “naïve” façade",
            "NESTLÉ® requiere",
            "SELKÄ\u{a0}EDELLÄ\u{a0}MAAHAN",
            "ВІКІ is Ukrainian",
            "Offering 5×£35",
            "There are a lot of Ã’s in mojibake text",
            "工党的全国执行委员会",
            "L’épisode 8",
        ] {
            assert_eq!(badness(clean), 0, "{clean}");
        }
    }
}
