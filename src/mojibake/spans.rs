//! Mojibake inside otherwise good text, sequence by sequence: UTF-8 read as windows-1252 or
//! Latin-1 (the two mixed, as careless conversions mix them), where the line as a whole
//! cannot be read back because real accented letters or punctuation sit beside the mojibake
//! (`l’Ã©valuation`, `DivisÃ£o ... Classificação`). Each decoded character must be plausible
//! where it stands; rare scripts and real upper-case words are left alone.

use super::codec::Codec;

/// Characters windows-1252 or Latin-1 produce for bytes 0x80-0xFF (the two mixed).
fn is_high(c: char) -> bool {
    // The Latin-1 half needs no table: windows-1252 keeps 0xA0-0xFF, Latin-1 the C1 controls.
    matches!(c, '\u{80}'..='\u{FF}') || !c.is_ascii() && byte_1252(c).is_some()
}

/// The line with every plausible UTF-8 sequence decoded, and how many sequences were
/// decoded and whether one of them was three or four bytes long; `None` when nothing was.
pub(super) fn pieces(line: &str) -> Option<(String, usize, bool)> {
    let mut out = String::with_capacity(line.len());
    let mut count = 0;
    let mut long = false;
    let mut last = 0;
    let mut start: Option<usize> = None;
    let mut prev = None;
    let mut runs = Vec::new();
    for (i, c) in line.char_indices() {
        // A space right after `Ã` or `Ð` may be a no-break space (0xA0) that became a space.
        let nbsp = c == ' ' && start.is_some() && matches!(prev, Some('Ã' | 'Ð'));
        if is_high(c) || nbsp {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            runs.push(s..i);
        }
        prev = Some(c);
    }
    if let Some(s) = start {
        runs.push(s..line.len());
    }
    for run in runs {
        let before = line[..run.start].chars().next_back();
        let mut current = line[run.clone()].to_string();
        if let Some(word) = whole_word(&current) {
            // The whole run is UTF-8 for two or more letters of one script: strong evidence,
            // whatever the script (`Ø¹ÙŠØ¯` for عيد).
            count += word.chars().count();
            long = true;
            out.push_str(&line[last..run.start]);
            out.push_str(&word);
            last = run.end;
            continue;
        }
        for _ in 0..3 {
            match utf8_pass(&current, before, &line[run.end..]) {
                Some((next, n, l)) => {
                    current = next;
                    count += n;
                    long |= l;
                }
                None => break,
            }
        }
        if current != line[run.clone()] {
            out.push_str(&line[last..run.start]);
            out.push_str(&current);
            last = run.end;
        }
    }
    if count == 0 {
        return None;
    }
    out.push_str(&line[last..]);
    Some((out, count, long))
}

/// The run read back as UTF-8 when that gives two or more letters (and marks) of one script.
fn whole_word(run: &str) -> Option<String> {
    use unicode_script::{Script, UnicodeScript};
    let bytes: Option<Vec<u8>> = run.chars().map(byte_1252).collect();
    let decoded = String::from_utf8(bytes?).ok()?;
    let mut scripts = decoded
        .chars()
        .map(|c| c.script())
        .filter(|s| *s != Script::Inherited);
    let first = scripts.next()?;
    let letters = decoded.chars().filter(|c| c.is_alphabetic()).count();
    let marks_or_letters = decoded.chars().all(|c| c.is_alphabetic() || is_mark(c));
    (letters >= 2 && marks_or_letters && first != Script::Common && scripts.all(|s| s == first))
        .then_some(decoded)
}

/// One left-to-right pass decoding every plausible UTF-8 sequence, with the number decoded
/// and whether one was longer than two bytes; `None` when nothing changed.
fn utf8_pass(run: &str, before: Option<char>, tail: &str) -> Option<(String, usize, bool)> {
    let after = tail.chars().next();
    let chars: Vec<char> = run.chars().collect();
    let bytes: Vec<Option<u8>> = chars
        .iter()
        .enumerate()
        .map(|(i, &c)| match c {
            ' ' if i > 0 && matches!(chars[i - 1], 'Ã' | 'Ð') => Some(0xA0),
            c if is_high(c) => byte_1252(c),
            _ => None,
        })
        .collect();
    let mut out = String::with_capacity(run.len());
    let mut changed = false;
    let mut count = 0;
    let mut long = false;
    let mut i = 0;
    while i < chars.len() {
        let len = match bytes[i] {
            Some(0xC2..=0xDF) => 2,
            Some(0xE0..=0xEF) => 3,
            Some(0xF0..=0xF4) => 4,
            _ => 0,
        };
        if len > 0 && i + len <= chars.len() {
            let seq: Option<Vec<u8>> = bytes[i..i + len].iter().copied().collect();
            let decoded = seq
                .as_deref()
                .and_then(|b| std::str::from_utf8(b).ok())
                .and_then(|s| s.chars().next());
            if let Some(c) = decoded {
                let prev = if i == 0 { before } else { Some(chars[i - 1]) };
                let next = chars.get(i + len).copied().or(after);
                let continuation = &chars[i + 1..i + len];
                let spaced = continuation == [' '];
                if spaced && !next.is_some_and(is_high) {
                    // `Ã` + space before a plain word: the space was a no-break space (0xA0).
                    // Portuguese `às`, `àquele`: the space was the 0xA0 itself; otherwise `à`
                    // is a word of its own and a space followed it (`jusqu'Ã nos`).
                    let word_start = !prev.is_some_and(char::is_alphanumeric);
                    let rest = if i + len == chars.len() { tail } else { "" };
                    let lower_next = rest.chars().next().is_some_and(char::is_lowercase);
                    if chars[i] == 'Ã' && word_start && lower_next {
                        let joined = ["s ", "s,", "s.", "quel"]
                            .iter()
                            .any(|p| rest.starts_with(p));
                        out.push_str(if joined { "à" } else { "à " });
                        changed = true;
                        count += 1;
                        i += len;
                        continue;
                    }
                } else if plausible(c, chars[i], continuation, prev, next) {
                    out.push(c);
                    changed = true;
                    count += 1;
                    long |= len > 2;
                    i += len;
                    continue;
                }
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    changed.then_some((out, count, long))
}

/// Whether `c`, decoded from `lead` + `continuation`, is what the text most likely said.
/// Rejected:
/// - characters rare in real text (Latin Extended-B, IPA, combining marks, Armenian, Hebrew,
///   Arabic, Hangul, private use, ...) decoded from a single sequence;
/// - a capital lead after a capital, continued by symbols and not followed by a lower-case
///   letter: a real upper-case word (`MARQUÉ…`, `NESTLÉ®`, `SELKÄ` + no-break space);
/// - a single Latin letter with no lower-case letter or other mojibake beside it, unless it
///   is a capital beside a capital (`ZURÃœCK`): `AHÅ™,`, `10 Å—` are real text.
fn is_mark(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36F}' | '\u{900}'..='\u{DFF}') && !c.is_alphabetic()
}

fn plausible(
    c: char,
    lead: char,
    continuation: &[char],
    prev: Option<char>,
    next: Option<char>,
) -> bool {
    if is_rare(c) {
        return false;
    }
    let lower = |x: Option<char>| x.is_some_and(|x| x.is_lowercase() || is_high(x));
    let upper_word = lead.is_uppercase()
        && prev.is_some_and(char::is_uppercase)
        && continuation.iter().all(|c| !c.is_alphabetic())
        && !next.is_some_and(char::is_lowercase);
    if upper_word {
        return false;
    }
    let latin_letter = matches!(c, '\u{C0}'..='\u{24F}') && c.is_alphabetic();
    if latin_letter {
        let capitals = c.is_uppercase()
            && ((prev.is_none_or(char::is_whitespace) && c <= '\u{DE}')
                || prev.is_some_and(char::is_uppercase)
                || next.is_some_and(char::is_uppercase));
        return lower(prev) || lower(next) || capitals;
    }
    true
}

fn is_rare(c: char) -> bool {
    matches!(c as u32,
        0x180..=0x2AF // Latin Extended-B, IPA
        | 0x300..=0x36F // combining marks
        | 0x530..=0x7FF // Armenian, Hebrew, Arabic, Syriac, Thaana, NKo
        | 0x800..=0x8FF
        | 0xE80..=0x1DFF // Lao .. phonetic extensions (Georgian, Ethiopic, ...)
        | 0x3100..=0x33FF // Bopomofo, Hangul jamo, Kanbun, enclosed and compatibility CJK
        | 0x3400..=0x4DBF // CJK extension A
        | 0x1F00..=0x1FFF // Greek extended
        | 0x2C00..=0x2DFF
        | 0xA000..=0xABFF
        | 0xAC00..=0xD7FF // Hangul syllables
        | 0xE000..=0xF8FF // private use
        | 0xFFF0..=0xFFFC
        | 0xFFFE..=0xFFFF
        | 0x10000..=0x1EFFF
        | 0x1FB00..)
}

/// The byte `c` stands for in windows-1252, or in Latin-1 for the C1 controls windows-1252
/// gives punctuation instead.
fn byte_1252(c: char) -> Option<u8> {
    if super::codec::is_c1(c) {
        return Some(c as u32 as u8);
    }
    Codec::Windows1252.encode_char(c)
}
