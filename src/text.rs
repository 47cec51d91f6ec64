//! Shared vocabulary about characters and text that every stage uses: script classes, what
//! counts as CJK or as a word character, English month names, URL spans. A leaf module: it
//! imports nothing from the crate, so no stage has to import another to name these.

use std::ops::Range;

use unicode_script::{Script as UScript, UnicodeScript};

/// The writing systems we tell apart. Han and kana form one class (`Cjk`) because Japanese
/// mixes them inside a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Script {
    Latin,
    Cjk,
    Hangul,
    Cyrillic,
    Arabic,
    Greek,
    Hebrew,
    Devanagari,
    Thai,
    Other,
}

impl Script {
    /// The script class of a letter, or `None` for characters that belong to no script
    /// (digits, punctuation, spaces, combining marks).
    pub fn of(c: char) -> Option<Script> {
        if c.is_ascii() {
            return c.is_ascii_alphabetic().then_some(Script::Latin);
        }
        // CJK Unified Ideographs: most of a Chinese text, decided without the tables.
        if ('\u{4E00}'..='\u{9FFF}').contains(&c) {
            return Some(Script::Cjk);
        }
        if !c.is_alphabetic() {
            return None;
        }
        Some(match c.script() {
            UScript::Latin => Script::Latin,
            UScript::Han | UScript::Hiragana | UScript::Katakana | UScript::Bopomofo => Script::Cjk,
            UScript::Hangul => Script::Hangul,
            UScript::Cyrillic => Script::Cyrillic,
            UScript::Arabic => Script::Arabic,
            UScript::Greek => Script::Greek,
            UScript::Hebrew => Script::Hebrew,
            UScript::Devanagari => Script::Devanagari,
            UScript::Thai => Script::Thai,
            UScript::Common | UScript::Inherited => {
                // The prolonged sound mark ー and iteration marks are Common but Japanese/CJK.
                if matches!(c, 'ー' | '々' | '〆' | '〇') {
                    Script::Cjk
                } else {
                    return None;
                }
            }
            _ => Script::Other,
        })
    }

    /// A short name for output (`Latn`, `Hani`, ... ISO 15924 style).
    pub fn code(self) -> &'static str {
        match self {
            Script::Latin => "Latn",
            Script::Cjk => "Hani",
            Script::Hangul => "Hang",
            Script::Cyrillic => "Cyrl",
            Script::Arabic => "Arab",
            Script::Greek => "Grek",
            Script::Hebrew => "Hebr",
            Script::Devanagari => "Deva",
            Script::Thai => "Thai",
            Script::Other => "Zyyy",
        }
    }

    /// Whether words in this script are separated by spaces (affects matching and checks).
    pub fn is_cjk(self) -> bool {
        matches!(self, Script::Cjk)
    }
}

/// Whether `c` belongs to CJK typesetting, where words are written without spaces: Han and
/// kana letters (the [`Script::Cjk`] class, Bopomofo and iteration marks included), CJK
/// symbols and punctuation (U+3000–U+303F) and full-width forms (U+FF01–U+FF60). Hangul is
/// not: Korean separates words with spaces.
pub fn is_cjk(c: char) -> bool {
    if c.is_ascii() {
        return false;
    }
    matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF01}'..='\u{FF60}')
        || Script::of(c) == Some(Script::Cjk)
}

/// A letter of CJK typesetting: Han, kana, and the letter-like marks 々, 〇 and ー.
pub fn is_cjk_letter(c: char) -> bool {
    match c {
        // Han ideographs (nearly every CJK letter of a text) are letters: no table lookup.
        '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' => true,
        _ => is_cjk(c) && c.is_alphabetic(),
    }
}

/// A character of a space-separated word: alphanumeric and not CJK (Han and kana have no
/// word boundaries to respect).
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !is_cjk(c)
}

/// An all-capitals form of two or more letters (`NEC`, `CLPD`): matched case-sensitively.
pub fn is_acronym(form: &str) -> bool {
    let mut letters = 0;
    for c in form.chars().filter(|c| c.is_alphabetic()) {
        if !c.is_uppercase() {
            return false;
        }
        letters += 1;
    }
    letters >= 2
}

/// English month names, lower-case, January first.
pub const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// URLs and e-mail addresses: tokens (ended by white space or CJK) containing `://`, `www.`
/// or an `@` followed by a dotted domain. They are never checked or translated as prose.
pub fn url_spans(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut push = |s: usize, e: usize| {
        let token = text[s..e].trim_end_matches(['.', ',', ')', ';', ':', '!', '?', '\'', '"']);
        let email = token
            .split_once('@')
            .is_some_and(|(user, domain)| !user.is_empty() && domain.contains('.'));
        if token.contains("://") || token.starts_with("www.") || email {
            out.push(s..s + token.len());
        }
    };
    for (i, c) in text.char_indices() {
        let boundary =
            c.is_whitespace() || is_cjk(c) || matches!(c, '“' | '”' | '‘' | '’' | '<' | '>');
        if boundary {
            if let Some(s) = start.take() {
                push(s, i);
            }
        } else {
            start.get_or_insert(i);
        }
    }
    if let Some(s) = start {
        push(s, text.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_emails_end_at_space_or_cjk() {
        let text = "见https://www.example.org/labour-party。和 a@b.org, www.x.uk 以及 Ian Lavery";
        let found: Vec<&str> = url_spans(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(
            found,
            [
                "https://www.example.org/labour-party",
                "a@b.org",
                "www.x.uk"
            ]
        );
    }

    #[test]
    fn cjk_is_han_kana_and_their_punctuation_not_hangul() {
        for c in [
            '工', '党', 'の', 'ー', '〇', '。', '，', 'Ａ', 'ㄅ', '𠀀', '々',
        ] {
            assert!(is_cjk(c), "{c}");
        }
        for c in ['a', 'é', '한', ' ', '1', '—', '“'] {
            assert!(!is_cjk(c), "{c}");
        }
        // Every letter the script classifier calls CJK is CJK here too.
        for c in ('\u{2E80}'..='\u{31FF}')
            .chain('\u{3400}'..='\u{4DBF}')
            .chain('\u{F900}'..='\u{FAFF}')
        {
            if Script::of(c) == Some(Script::Cjk) {
                assert!(is_cjk(c), "{c:?}");
            }
        }
    }

    #[test]
    fn word_characters_and_acronyms() {
        assert!(is_word_char('a') && is_word_char('7') && is_word_char('é'));
        assert!(!is_word_char('工') && !is_word_char('-') && !is_word_char(' '));
        assert!(is_acronym("NEC") && is_acronym("CLPD") && is_acronym("U.K."));
        assert!(!is_acronym("N") && !is_acronym("Nec") && !is_acronym("工党"));
    }
}
