//! Mojibake: text that went through the wrong decoder. Finds runs of characters that UTF-8
//! (or GBK) bytes become when read as windows-1252/Latin-1 (`â€™`, `Ã©`, `å·¥å…š`, `¹¤µ³`),
//! and proposes the repaired text only when re-decoding gives clearly better text: whole runs
//! that are UTF-8 for two or more letters, else sequence by sequence where each decoded
//! character passes `plausible` (rare scripts and real upper-case words are left alone),
//! then GBK, and C1 controls as windows-1252 punctuation. Measured on ftfy's public test cases
//! by `examples/mojibake_accuracy.rs` (see the README).

use std::ops::Range;

/// A stretch of mojibake and its repair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mojibake {
    /// Byte span in the text.
    pub span: Range<usize>,
    /// The repaired text.
    pub fixed: String,
    /// What went wrong, for messages.
    pub kind: &'static str,
}

/// Characters that windows-1252 produces for bytes 0x80-0xFF.
fn is_high(c: char) -> bool {
    matches!(c, '\u{80}'..='\u{FF}')
        || matches!(
            c,
            '€' | '‚'
                | 'ƒ'
                | '„'
                | '…'
                | '†'
                | '‡'
                | 'ˆ'
                | '‰'
                | 'Š'
                | '‹'
                | 'Œ'
                | 'Ž'
                | '‘'
                | '’'
                | '“'
                | '”'
                | '•'
                | '–'
                | '—'
                | '˜'
                | '™'
                | 'š'
                | '›'
                | 'œ'
                | 'ž'
                | 'Ÿ'
        )
}

/// Every repairable mojibake run in `text`.
pub fn find(text: &str) -> Vec<Mojibake> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let check = |s: usize, e: usize, out: &mut Vec<Mojibake>| {
        let before = text[..s].chars().next_back();
        if let Some(m) = repair_run(&text[s..e], before, &text[e..]) {
            out.push(Mojibake {
                span: s..e,
                fixed: m.0,
                kind: m.1,
            });
        }
    };
    let mut prev = None;
    for (i, c) in text.char_indices() {
        // A space right after `Ã` or `Ð` may be a no-break space (0xA0) that became a space.
        let nbsp = c == ' ' && start.is_some() && matches!(prev, Some('Ã' | 'Ð'));
        if is_high(c) || nbsp {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            check(s, i, &mut out);
        }
        prev = Some(c);
    }
    if let Some(s) = start {
        check(s, text.len(), &mut out);
    }
    out
}

/// Repairs one run of windows-1252 characters, with the characters just outside it as context.
///
/// The whole run as UTF-8 (up to three times, for double encoding) comes first; then the whole
/// run as GBK; then UTF-8 sequence by sequence, so mojibake mixed with real punctuation
/// (`l’Ã©valuation`) is repaired and the punctuation kept. Every decoded character must pass
/// `plausible`.
fn repair_run(run: &str, before: Option<char>, tail: &str) -> Option<(String, &'static str)> {
    let single = run.chars().count() < 2;
    if single && !run.chars().all(is_c1) {
        return None;
    }
    let strict = to_1252(run).and_then(|b| String::from_utf8(b).ok());
    if let Some(decoded) = &strict
        && decoded.chars().count() >= 2
        && decoded.chars().all(|c| c.is_alphabetic() || is_mark(c))
    {
        // The whole run is UTF-8 for two or more letters: strong evidence, any script.
        return Some((decoded.clone(), "UTF-8 text read as windows-1252"));
    }
    let mut current = run.to_string();
    let mut rounds = 0;
    while rounds < 3 {
        match utf8_pass(&current, before, tail) {
            Some(next) => {
                current = next;
                rounds += 1;
            }
            None => break,
        }
    }
    // C1 controls decoded on the way must have become something else by now.
    if current.chars().filter(|&c| is_c1(c)).count() > run.chars().filter(|&c| is_c1(c)).count() {
        return None;
    }
    // Left-over C1 controls are windows-1252 punctuation read as Latin-1 (0x93 -> “).
    let punct: String = current
        .chars()
        .map(|c| c1_to_1252(c).unwrap_or(c))
        .collect();
    let c1_fixed = punct != current;
    if rounds == 0
        && strict.is_none()
        && let Some(gbk) = gbk_run(run)
    {
        return Some((gbk, "Chinese GBK text read as Latin-1"));
    }
    match (rounds, c1_fixed) {
        (0, false) => None,
        (0, true) => Some((
            punct,
            "windows-1252 punctuation read as Latin-1 control characters",
        )),
        (1, _) => Some((punct, "UTF-8 text read as windows-1252")),
        _ => Some((punct, "UTF-8 text encoded twice and read as windows-1252")),
    }
}

fn is_c1(c: char) -> bool {
    matches!(c, '\u{80}'..='\u{9F}')
}

fn is_mark(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36F}' | '\u{900}'..='\u{DFF}')
        && !c.is_alphabetic()
        && !c.is_ascii()
}

/// A C1 control as the windows-1252 character of the same byte (when it has one).
fn c1_to_1252(c: char) -> Option<char> {
    if !is_c1(c) {
        return None;
    }
    let byte = [c as u32 as u8];
    let (decoded, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&byte);
    decoded.chars().next().filter(|d| !is_c1(*d))
}

/// GBK bytes read as Latin-1: at least two Han characters and nothing else.
fn gbk_run(run: &str) -> Option<String> {
    if run.chars().count() < 4 {
        return None;
    }
    let bytes = to_1252(run)?;
    let (decoded, had_errors) = encoding_rs::GBK.decode_without_bom_handling(&bytes);
    let han = |c: char| matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}');
    let all_han = decoded.chars().all(han);
    (!had_errors && all_han && decoded.chars().count() >= 2).then(|| decoded.into_owned())
}

/// One left-to-right pass decoding every plausible UTF-8 sequence; `None` when nothing changed.
fn utf8_pass(run: &str, before: Option<char>, tail: &str) -> Option<String> {
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
                        i += len;
                        continue;
                    }
                } else if plausible(c, chars[i], continuation, prev, next) {
                    out.push(c);
                    changed = true;
                    i += len;
                    continue;
                }
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    changed.then_some(out)
}

/// Whether `c`, decoded from `lead` + `continuation`, is what the text most likely said.
/// Rejected:
/// - characters rare in real text (Latin Extended-B, IPA, combining marks, Armenian, Hebrew,
///   Arabic, Hangul, private use, ...) decoded from a single sequence;
/// - a capital lead after a capital, continued by symbols and not followed by a lower-case
///   letter: a real upper-case word (`MARQUÉ…`, `NESTLÉ®`, `SELKÄ` + no-break space);
/// - a single Latin letter with no lower-case letter or other mojibake beside it, unless it
///   is a capital beside a capital (`ZURÃœCK`): `AHÅ™,`, `10 Å—` are real text.
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

fn byte_1252(c: char) -> Option<u8> {
    let mut buf = [0u8; 4];
    to_1252(c.encode_utf8(&mut buf)).and_then(|b| b.first().copied())
}

fn to_1252(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len());
    for c in s.chars() {
        let b = match c {
            '\u{80}'..='\u{FF}' => c as u32 as u8,
            '€' => 0x80,
            '‚' => 0x82,
            'ƒ' => 0x83,
            '„' => 0x84,
            '…' => 0x85,
            '†' => 0x86,
            '‡' => 0x87,
            'ˆ' => 0x88,
            '‰' => 0x89,
            'Š' => 0x8A,
            '‹' => 0x8B,
            'Œ' => 0x8C,
            'Ž' => 0x8E,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '•' => 0x95,
            '–' => 0x96,
            '—' => 0x97,
            '˜' => 0x98,
            '™' => 0x99,
            'š' => 0x9A,
            '›' => 0x9B,
            'œ' => 0x9C,
            'ž' => 0x9E,
            'Ÿ' => 0x9F,
            c if c.is_ascii() => c as u8,
            _ => return None,
        };
        out.push(b);
    }
    Some(out)
}

/// The text with every repairable mojibake run replaced.
pub fn repair(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for m in find(text) {
        out.push_str(&text[last..m.span.start]);
        out.push_str(&m.fixed);
        last = m.span.end;
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn garble_1252(s: &str) -> String {
        let (text, _, _) = encoding_rs::WINDOWS_1252.decode(s.as_bytes());
        text.into_owned()
    }

    #[test]
    fn utf8_read_as_1252_is_repaired() {
        assert_eq!(repair("the party’s café"), "the party’s café");
        assert_eq!(repair(&garble_1252("the party’s café")), "the party’s café");
        assert_eq!(
            repair(&garble_1252("工党的全国执行委员会")),
            "工党的全国执行委员会"
        );
        assert_eq!(
            repair("Ã©lection and â€œquotesâ€\u{9d}"),
            "élection and “quotes”"
        );
    }

    #[test]
    fn double_encoding_is_repaired() {
        let twice = garble_1252(&garble_1252("café ’"));
        assert_ne!(twice, "café ’");
        assert_eq!(repair(&twice), "café ’");
    }

    #[test]
    fn gbk_read_as_latin1_is_repaired() {
        let (bytes, _, _) = encoding_rs::GBK.encode("工党");
        let garbled: String = bytes.iter().map(|&b| b as char).collect();
        assert_eq!(repair(&format!("the {garbled} said")), "the 工党 said");
    }

    #[test]
    fn mixed_and_partial_mojibake_is_repaired_piece_by_piece() {
        assert_eq!(repair("l’Ã©lection d’Ã©tÃ©"), "l’élection d’été");
        assert_eq!(repair("Ã€ Paris"), "À Paris");
        assert_eq!(repair("ZURÃœCK"), "ZURÜCK");
        assert_eq!(repair("\u{93}Labour\u{94}"), "“Labour”");
        assert_eq!(repair("the party\u{e2}\u{80}\u{99}\u{85}"), "the party’…");
        assert_eq!(repair(&garble_1252("노동당")), "노동당");
        assert_eq!(repair("jusqu'Ã demain"), "jusqu'à demain");
        assert_eq!(repair("vou Ã s compras"), "vou às compras");
    }

    #[test]
    fn real_text_that_looks_like_mojibake_is_left_alone() {
        for clean in [
            "TÄSSÄ\u{a0}ON",
            "Zoë…”",
            "3 Å—",
            "C A S Ã O",
            "5×£ each",
            "PRÊT…",
        ] {
            assert_eq!(repair(clean), clean);
        }
    }

    #[test]
    fn clean_text_is_left_alone() {
        for clean in [
            "Ça va. Très bien, déjà vu — “naïve” façade",
            "Müller & Søn: 10 £ × 2",
            "«Élysée» ½ ¾",
            "工党",
        ] {
            assert!(find(clean).is_empty(), "{clean}: {:?}", find(clean));
        }
    }
}
