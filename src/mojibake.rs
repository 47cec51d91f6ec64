//! Mojibake: text that went through the wrong decoder. Finds runs of characters that UTF-8
//! (or GBK) bytes become when read as windows-1252/Latin-1 (`â€™`, `Ã©`, `å·¥å…š`, `¹¤µ³`),
//! and proposes the repaired text only when re-decoding gives clearly better text.

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
        if let Some(m) = repair_run(&text[s..e]) {
            out.push(Mojibake {
                span: s..e,
                fixed: m.0,
                kind: m.1,
            });
        }
    };
    for (i, c) in text.char_indices() {
        if is_high(c) {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            check(s, i, &mut out);
        }
    }
    if let Some(s) = start {
        check(s, text.len(), &mut out);
    }
    out
}

/// Re-encodes as windows-1252 and tries UTF-8 (repeatedly, for double encoding), then GBK.
fn repair_run(run: &str) -> Option<(String, &'static str)> {
    if run.chars().count() < 2 {
        return None;
    }
    let mut current = run.to_string();
    let mut rounds = 0;
    while rounds < 3 {
        let bytes = to_1252(&current)?;
        match std::str::from_utf8(&bytes) {
            Ok(s) if s != current && !s.is_ascii() => {
                current = s.to_string();
                rounds += 1;
            }
            _ => break,
        }
        if !current.chars().any(is_high) || current.chars().all(|c| !c.is_ascii() && !is_high(c)) {
            break;
        }
    }
    if rounds > 0 {
        let kind = if rounds > 1 {
            "UTF-8 text encoded twice and read as windows-1252"
        } else {
            "UTF-8 text read as windows-1252"
        };
        return Some((current, kind));
    }
    // GBK bytes read as Latin-1: at least two Han characters, nothing else.
    if run.chars().count() >= 4 {
        let bytes = to_1252(run)?;
        let (decoded, had_errors) = encoding_rs::GBK.decode_without_bom_handling(&bytes);
        let hans = decoded
            .chars()
            .filter(|&c| crate::segment::is_cjk(c))
            .count();
        if !had_errors && hans >= 2 && decoded.chars().all(crate::segment::is_cjk) {
            return Some((decoded.into_owned(), "Chinese GBK text read as Latin-1"));
        }
    }
    None
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
