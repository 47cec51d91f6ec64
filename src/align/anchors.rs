//! Anchors: what a sentence and its translation share without any model. Numbers in every
//! written form (Arabic, full-width and Han numerals, months by name, `2020年4月13日` =
//! `13 April 2020`), Latin names and acronyms left in the translation, URLs, glossary
//! concepts, questions and quotations. Each anchor is a hash, so both sides compare as sorted
//! lists of integers.

use std::collections::HashSet;

/// The anchors of sentence `s`, sorted: its numbers, its capitalised Latin words that the
/// other document also has (`latin_elsewhere`, lower-cased), its glossary `concepts`, a
/// question mark and a quotation.
pub(crate) fn sentence_anchors(
    s: &str,
    concepts: &[usize],
    latin_elsewhere: &HashSet<String>,
) -> Vec<u64> {
    // Each kind of anchor hashed with a tag of its own, so a number never equals a word.
    let mut anchors: Vec<u64> = Vec::new();
    for n in number_anchors(s) {
        anchors.push(hash(('#', n)));
    }
    for url in urls(s) {
        anchors.push(hash(('u', url)));
    }
    for w in latin_words(s) {
        if w.chars().next().is_some_and(char::is_uppercase) {
            let lower = w.to_lowercase();
            if latin_elsewhere.contains(&lower) {
                anchors.push(hash(('w', lower)));
            }
        }
    }
    for &c in concepts {
        anchors.push(hash(('c', c)));
    }
    if s.contains(['?', '？']) {
        anchors.push(hash('?'));
    }
    if s.contains(['"', '“', '”', '「', '」', '‘', '’'])
        && s.chars()
            .filter(|c| matches!(c, '"' | '“' | '”' | '「' | '」'))
            .count()
            >= 2
    {
        anchors.push(hash('"'));
    }
    anchors.sort_unstable();
    anchors
}

/// Length in characters without white space. In a sentence that has Han or kana, Latin
/// letters (names and acronyms left untranslated) count a third each, about what they weigh
/// against the English they come from.
pub fn length(s: &str) -> usize {
    let cjk = s.chars().any(crate::text::is_cjk);
    let (mut units, mut latin) = (0usize, 0usize);
    for c in s.chars().filter(|c| !c.is_whitespace()) {
        if cjk && c.is_ascii_alphanumeric() {
            latin += 1;
        } else {
            units += 1;
        }
    }
    units + latin.div_ceil(3)
}

/// Latin words of a text, lower-cased, for [`side`]'s `latin_elsewhere`.
pub fn latin_vocabulary(sentences: &[&str]) -> HashSet<String> {
    sentences
        .iter()
        .flat_map(|s| latin_words(s))
        .map(|w| w.to_lowercase())
        .collect()
}

fn latin_words(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| w.len() >= 2 && w.chars().any(|c| c.is_ascii_alphabetic()))
}

fn hash(value: impl std::hash::Hash) -> u64 {
    use std::hash::Hasher;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// The numbers of a sentence in every written form, for anchoring: those of [`numbers`], Han
/// numerals with units (`三百五十` = 350, `百分之五十` = 50, `第十二` = 12; a lone digit such as
/// `一` only after `第` or before a measure word, as it is part of many words), English number
/// words (`twenty-five`, `three hundred`; not `one`, a pronoun as often as a number) and
/// ordinals (`third` = `第三`), and Roman chapter numbers (`Chapter IV` = `第四章`). Dates then
/// meet in any form: `13 April 2020` and `2020年4月13日` both give 4, 13 and 2020.
pub(crate) fn number_anchors(s: &str) -> Vec<u64> {
    let mut out = numbers(s);
    han_numerals(s, &mut out);
    english_numbers(s, &mut out);
    out.sort_unstable();
    out.dedup();
    out
}

/// The value of a Han digit, or of a unit (10, 100, ...) with `true`.
fn han_digit(c: char) -> Option<(u64, bool)> {
    Some(match c {
        '〇' | '零' => (0, false),
        '一' => (1, false),
        '二' | '两' => (2, false),
        '三' => (3, false),
        '四' => (4, false),
        '五' => (5, false),
        '六' => (6, false),
        '七' => (7, false),
        '八' => (8, false),
        '九' => (9, false),
        '十' => (10, true),
        '百' => (100, true),
        '千' => (1_000, true),
        '万' | '萬' => (10_000, true),
        '亿' | '億' => (100_000_000, true),
        _ => return None,
    })
}

/// Characters that count things after a numeral (`三个`, `五名`, `两年`).
const MEASURES: &str = "个名位次年月日天种项条章节人倍类部本届轮票席岁号";

/// Han numerals written with units (`二十`, `三百五十`), and a lone digit after `第` or before a
/// measure word. Digit-by-digit years (`二〇二〇`) are [`numbers`]'s.
fn han_numerals(s: &str, out: &mut Vec<u64>) {
    let chars: Vec<char> = s.chars().collect();
    let mut k = 0;
    while k < chars.len() {
        let run = chars[k..]
            .iter()
            .take_while(|&&c| han_digit(c).is_some())
            .count();
        if run == 0 {
            k += 1;
            continue;
        }
        let digits = &chars[k..k + run];
        let has_unit = digits.iter().any(|&c| han_digit(c).is_some_and(|d| d.1));
        let ordinal = k > 0 && chars[k - 1] == '第';
        let next = chars.get(k + run).copied();
        let counted = next.is_some_and(|c| MEASURES.contains(c));
        let value = if run >= 2 && has_unit {
            han_value(digits)
        } else if run == 1 && (ordinal || (counted && digits[0] != '一')) {
            // A lone unit (十分, 百姓) or digit (一些, 统一) is most often part of a word.
            han_value(digits)
        } else if run >= 3 && !has_unit && next == Some('年') {
            // A year read digit by digit without 〇 (一九九八年).
            digits.iter().try_fold(0u64, |v, &c| {
                v.checked_mul(10)?.checked_add(han_digit(c)?.0)
            })
        } else {
            None
        };
        out.extend(value);
        k += run;
    }
}

/// The value of a Han numeral with units (`三百五十` = 350, `十二` = 12, `两万` = 20,000).
fn han_value(digits: &[char]) -> Option<u64> {
    let (mut total, mut section, mut digit) = (0u64, 0u64, None::<u64>);
    for &c in digits {
        let (v, unit) = han_digit(c)?;
        if !unit {
            digit = Some(v);
        } else if v < 10_000 {
            section = section.checked_add(digit.unwrap_or(1).checked_mul(v)?)?;
            digit = None;
        } else {
            let part = section.checked_add(digit.unwrap_or(0))?;
            total = total.checked_add(part.max(1))?.checked_mul(v)?;
            section = 0;
            digit = None;
        }
    }
    total.checked_add(section)?.checked_add(digit.unwrap_or(0))
}

/// English number words and ordinals, composed (`twenty-five` = 25, `three hundred` = 300),
/// and Roman numerals after `Chapter`, `Part`, `Book`, `Section` or `Article`.
fn english_numbers(s: &str, out: &mut Vec<u64>) {
    let words: Vec<&str> = s
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| !w.is_empty())
        .collect();
    let (mut total, mut current, mut any) = (0u64, 0u64, false);
    /// Ends the number being read, if any.
    fn flush(out: &mut Vec<u64>, total: &mut u64, current: &mut u64, any: &mut bool) {
        if *any {
            out.push(total.saturating_add(*current));
        }
        (*total, *current, *any) = (0, 0, false);
    }
    for (k, w) in words.iter().enumerate() {
        let lower = w.to_ascii_lowercase();
        if let Some(v) = english_value(&lower) {
            if v >= 100 {
                let v = current.max(1).saturating_mul(v);
                if v >= 1_000 {
                    total = total.saturating_add(v);
                    current = 0;
                } else {
                    current = v;
                }
            } else {
                current = current.saturating_add(v);
            }
            any = true;
            continue;
        }
        flush(out, &mut total, &mut current, &mut any);
        let heading = k > 0
            && ["chapter", "part", "book", "section", "article"]
                .iter()
                .any(|h| words[k - 1].eq_ignore_ascii_case(h));
        if heading && let Some(v) = roman(w) {
            out.push(v);
        }
    }
    flush(out, &mut total, &mut current, &mut any);
}

/// The value of an English number word or ordinal (lower-case); `one` is left out.
fn english_value(w: &str) -> Option<u64> {
    const SMALL: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const ORDINAL: [&str; 13] = [
        "zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
        "ninth", "tenth", "eleventh", "twelfth",
    ];
    const TENS: [&str; 10] = [
        "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    if let Some(v) = SMALL.iter().position(|x| *x == w) {
        return (v >= 2).then_some(v as u64);
    }
    if let Some(v) = ORDINAL.iter().position(|x| *x == w) {
        return (v >= 1).then_some(v as u64);
    }
    if let Some(v) = TENS.iter().position(|x| !x.is_empty() && *x == w) {
        return Some(10 * v as u64);
    }
    match w {
        "hundred" => Some(100),
        "thousand" => Some(1_000),
        "million" => Some(1_000_000),
        "billion" => Some(1_000_000_000),
        _ => None,
    }
}

/// The value of an upper-case Roman numeral up to 399 (`IV` = 4), or `None`.
fn roman(w: &str) -> Option<u64> {
    if w.is_empty() || w.len() > 9 {
        return None;
    }
    let value = |c: char| match c {
        'I' => Some(1),
        'V' => Some(5),
        'X' => Some(10),
        'L' => Some(50),
        'C' => Some(100),
        _ => None,
    };
    let vals: Vec<i64> = w.chars().map(value).collect::<Option<_>>()?;
    let mut total = 0i64;
    for (k, &v) in vals.iter().enumerate() {
        // A smaller numeral before a larger one is taken off it (IV = 4).
        if vals.get(k + 1).is_some_and(|&next| next > v) {
            total -= v;
        } else {
            total += v;
        }
    }
    u64::try_from(total).ok().filter(|&t| t > 0)
}

/// URLs and e-mail addresses, lower-cased, without trailing punctuation.
fn urls(s: &str) -> Vec<String> {
    s.split(|c: char| c.is_whitespace() || crate::text::is_cjk(c))
        .filter(|w| {
            w.contains("://") || w.starts_with("www.") || (w.contains('@') && w.contains('.'))
        })
        .map(|w| {
            w.trim_end_matches(|c: char| !c.is_alphanumeric() && c != '/')
                .to_lowercase()
        })
        .filter(|w| w.len() > 4)
        .collect()
}

/// The numbers of a sentence, normalised: ASCII and full-width digits, thousands separators
/// dropped (`2,020` = `2020`), year-style Chinese numerals (`二〇二〇`), English month names
/// as their number (`July` = `7`, to meet `7月`). A numeral too large for a `u64` (about 20
/// digits or more: an identifier or noise, not a number anyone writes) is left out.
pub fn numbers(s: &str) -> Vec<u64> {
    /// `v` with one more decimal digit; `None` once it no longer fits.
    fn append(v: Option<u64>, d: u64) -> Option<u64> {
        v?.checked_mul(10)?.checked_add(d)
    }
    let mut out = Vec::new();
    // The digit run being read: its value, `None` once it overflowed.
    let mut cur: Option<Option<u64>> = None;
    let mut han: Option<(Option<u64>, bool, usize)> = None; // value, saw 〇, digits
    let chars: Vec<char> = s.chars().collect();
    for (k, &c) in chars.iter().enumerate() {
        let digit = match c {
            '0'..='9' => Some(c as u64 - '0' as u64),
            '０'..='９' => Some(c as u64 - '０' as u64),
            _ => None,
        };
        let separator = c == ','
            && cur.is_some()
            && chars
                .get(k + 1..k + 4)
                .is_some_and(|g| g.iter().all(|d| d.is_ascii_digit()))
            && !chars.get(k + 4).is_some_and(|d| d.is_ascii_digit());
        match (digit, cur) {
            (Some(d), Some(v)) => cur = Some(append(v, d)),
            (Some(d), None) => cur = Some(Some(d)),
            (None, Some(_)) if separator => {}
            (None, Some(v)) => {
                out.extend(v);
                cur = None;
            }
            (None, None) => {}
        }
        let han_digit = "〇一二三四五六七八九".chars().position(|h| h == c);
        match (han_digit, han) {
            (Some(d), Some((v, z, n))) => han = Some((append(v, d as u64), z || d == 0, n + 1)),
            (Some(d), None) => han = Some((Some(d as u64), d == 0, 1)),
            (None, Some((v, z, n))) => {
                if z && n >= 2 {
                    out.extend(v);
                }
                han = None;
            }
            (None, None) => {}
        }
    }
    if let Some(v) = cur {
        out.extend(v);
    }
    if let Some((v, z, n)) = han
        && z
        && n >= 2
    {
        out.extend(v);
    }
    for w in s.split(|c: char| !c.is_ascii_alphabetic()) {
        if let Some(m) = crate::text::MONTHS
            .iter()
            .position(|m| w.eq_ignore_ascii_case(m))
        {
            out.push(m as u64 + 1);
        }
    }
    out.sort_unstable();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_normalised() {
        assert_eq!(numbers("On July 4, 2,020 members"), vec![4, 7, 2020]);
        assert_eq!(numbers("二〇二〇年7月4日"), vec![4, 7, 2020]);
        assert_eq!(numbers("２０２０年"), vec![2020]);
        assert_eq!(numbers("1,2,3"), vec![1, 2, 3]);
    }

    #[test]
    fn numerals_too_long_for_a_number_are_left_out() {
        let han = "二〇".repeat(20);
        assert_eq!(han.chars().count(), 40);
        assert_eq!(numbers(&format!("{han}年5月")), vec![5]);
        let ascii = "1234567890".repeat(4);
        assert_eq!(numbers(&format!("{ascii} and 12")), vec![12]);
        assert_eq!(numbers(&format!("{ascii}，二〇二〇")), vec![2020]);
        // The longest that fits still counts; one digit more does not.
        assert_eq!(numbers("18446744073709551615"), vec![u64::MAX]);
        assert!(numbers("18446744073709551616").is_empty());
        assert!(numbers("一八四四六七四四〇七三七〇九五五一六一六").is_empty());
    }

    #[test]
    fn dates_and_numbers_in_every_form_meet() {
        let en =
            number_anchors("On 13 April 2020 twenty-five members and three hundred others met.");
        let zh = number_anchors("2020年4月13日，二十五名成员和三百五十名其他人开会。");
        for n in [4, 13, 2020, 25] {
            assert!(en.contains(&n) && zh.contains(&n), "{n}: {en:?} {zh:?}");
        }
        assert!(en.contains(&300) && zh.contains(&350));
        assert_eq!(number_anchors("２０２０年四月十三日"), vec![4, 13, 2020]);
        assert_eq!(number_anchors("一九九八年"), vec![1998]);
        assert_eq!(number_anchors("百分之五十"), vec![50]);
        assert_eq!(number_anchors("第三章"), vec![3]);
        assert_eq!(number_anchors("CHAPTER IV OF SPEECH"), vec![4]);
        assert_eq!(number_anchors("the third time"), vec![3]);
        assert_eq!(number_anchors("两万人"), vec![20_000]);
        assert_eq!(number_anchors("three thousand five hundred"), vec![3_500]);
        // Word parts and pronouns are not numbers.
        assert!(number_anchors("统一的一些人十分高兴").is_empty());
        assert!(number_anchors("One of them, I think.").is_empty());
    }

    #[test]
    fn urls_are_anchors() {
        assert_eq!(
            urls("See https://labouragainstthewitchhunt.org/motion, or write to info@law.org."),
            [
                "https://labouragainstthewitchhunt.org/motion",
                "info@law.org"
            ]
        );
        assert_eq!(
            urls("见https://labouragainstthewitchhunt.org/motion。"),
            ["https://labouragainstthewitchhunt.org/motion"]
        );
    }
}
