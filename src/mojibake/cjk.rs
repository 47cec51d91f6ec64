//! Chinese mojibake, which ftfy does not attempt: GB18030/GBK or Big5 bytes read as Latin-1
//! or windows-1252 (`¹¤µ³` for 工党), and UTF-8 read as GBK (`宸ュ厷` for 工党). A candidate
//! is kept only when it reads as Chinese: nothing but Han, CJK punctuation and ASCII where
//! the bytes were, and most Han characters common ones (GB2312 level 1 or Big5's frequently
//! used set, both read from `encoding_rs`), where the garble's are mostly rare.

use std::sync::LazyLock;

use encoding_rs::{BIG5, Encoding, GB18030, GBK};

use super::codec::{Codec, runs};

/// Share of common characters a repair's Han must reach.
const COMMON_SHARE: f64 = 0.8;

/// Common Han characters of one standard, as a bit set over U+4E00..U+9FFF.
struct Common(Vec<u64>);

impl Common {
    fn from(encoding: &'static Encoding, pairs: impl Iterator<Item = (u8, u8)>) -> Common {
        let mut bits = vec![0u64; (0xA000 - 0x4E00) / 64 + 1];
        for (lead, trail) in pairs {
            for c in encoding
                .decode_without_bom_handling(&[lead, trail])
                .0
                .chars()
            {
                let u = c as usize;
                if (0x4E00..0xA000).contains(&u) {
                    bits[(u - 0x4E00) / 64] |= 1 << ((u - 0x4E00) % 64);
                }
            }
        }
        Common(bits)
    }

    fn has(&self, c: char) -> bool {
        let u = c as usize;
        (0x4E00..0xA000).contains(&u) && self.0[(u - 0x4E00) / 64] & (1 << ((u - 0x4E00) % 64)) != 0
    }
}

/// GB2312 level 1: the 3755 most used Simplified characters.
static GB2312_1: LazyLock<Common> = LazyLock::new(|| {
    Common::from(
        GBK,
        (0xB0u8..=0xD7).flat_map(|lead| (0xA1u8..=0xFE).map(move |t| (lead, t))),
    )
});

/// Big5's frequently used set: the 5401 characters of A440-C67E.
static BIG5_COMMON: LazyLock<Common> = LazyLock::new(|| {
    let pairs = (0xA4u8..=0xC6).flat_map(|lead| {
        (0x40u8..=0x7E)
            .chain(0xA1..=0xFE)
            .filter(move |&t| lead < 0xC6 || t <= 0x7E)
            .map(move |t| (lead, t))
    });
    Common::from(BIG5, pairs)
});

/// A CJK unified ideograph (basic block or extension A).
pub(super) fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}')
}

/// How common the characters of `s` are: the number of its non-ASCII characters other than
/// punctuation, and the larger of the shares that are common Simplified (GB2312 level 1) or
/// common Traditional (Big5) Han characters. Kana, Cyrillic and private-use characters count
/// as uncommon: UTF-8 read as GBK scatters them among Han (`宸ヤ細`, `鎵ц`).
pub(super) fn commonness(s: &str) -> (usize, f64) {
    let (mut n, mut simplified, mut traditional) = (0usize, 0usize, 0usize);
    for c in s
        .chars()
        .filter(|&c| !c.is_ascii() && !chinese_punctuation(c))
    {
        n += 1;
        simplified += usize::from(GB2312_1.has(c));
        traditional += usize::from(BIG5_COMMON.has(c));
    }
    let share = if n == 0 {
        0.0
    } else {
        simplified.max(traditional) as f64 / n as f64
    };
    (n, share)
}

/// Punctuation Chinese text uses besides the CJK and full-width blocks.
fn chinese_punctuation(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF01}'..='\u{FF60}' | '—' | '…' | '“' | '”' | '‘' | '’' | '·')
}

/// Text that reads as Chinese where it is not ASCII: Han, CJK and full-width punctuation,
/// `min_wide` characters or more, its Han characters mostly common ones.
pub(super) fn chinese(s: &str, min_wide: usize) -> bool {
    let (n, share) = commonness(s);
    let wide = s.chars().filter(|c| !c.is_ascii()).count();
    n >= 1
        && wide >= min_wide
        && share >= COMMON_SHARE
        && s.chars()
            .all(|c| c.is_ascii() || is_han(c) || chinese_punctuation(c))
}

/// Whether a run of Han characters sits inside a Latin word, ASCII letters on both sides
/// (`INFORMA钦ES`, `h獻爐瀾nen`): accented Latin letters read the wrong way, not Chinese.
/// The price: `NEC和EHRC` read the legacy way stays unrepaired.
fn inside_latin_words(s: &str) -> bool {
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if !is_han(chars[i]) {
            i += 1;
            continue;
        }
        let end = (i..chars.len())
            .find(|&j| !is_han(chars[j]))
            .unwrap_or(chars.len());
        let before = i.checked_sub(1).map(|b| chars[b]);
        let after = chars.get(end).copied();
        let lower = |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase());
        let upper = |c: Option<char>| c.is_some_and(|c| c.is_ascii_uppercase());
        // Chinese does write `NEC工党NEC` and `Trickett工党NEC`; characters between small
        // letters, or a lone one between capitals (`A敲O`), are Latin words read wrongly.
        if lower(before) && lower(after) || upper(before) && upper(after) && end - i == 1 {
            return true;
        }
        i = end;
    }
    false
}

/// Letters with tone marks that GB2312 holds for pinyin (and French or Spanish words written
/// with them on Chinese systems: `comit¨¦` is `comité`).
fn pinyin_letter(c: char) -> bool {
    "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüê".contains(c)
}

/// A legacy reading of alphabetic text from a Chinese system: only its punctuation, accented
/// letters and GB2312's Greek and Cyrillic were not ASCII (`it¡¯s`, `comit¨¦`, `§á§Ñ§â§ä§Ú§ñ`),
/// and it looks better than before.
fn alphabet_from_chinese_system(run: &str, decoded: &str) -> bool {
    let gb2312_letter =
        |c: char| pinyin_letter(c) || matches!(c, '\u{391}'..='\u{3C9}' | '\u{401}'..='\u{451}');
    !decoded.is_ascii()
        && decoded
            .chars()
            .all(|c| c.is_ascii() || chinese_punctuation(c) || gb2312_letter(c))
        && super::badness(decoded) < super::badness(run)
}

/// A legacy Chinese encoding a text may have been written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Legacy {
    Gb18030,
    Big5,
}

impl Legacy {
    pub fn name(self) -> &'static str {
        match self {
            Legacy::Gb18030 => "GB18030",
            Legacy::Big5 => "Big5",
        }
    }

    /// The share of `s`'s Han characters common in this encoding's own standard.
    fn native_share(self, s: &str) -> f64 {
        let common = match self {
            Legacy::Gb18030 => &*GB2312_1,
            Legacy::Big5 => &*BIG5_COMMON,
        };
        let (n, k) = s
            .chars()
            .filter(|&c| is_han(c))
            .fold((0usize, 0usize), |(n, k), c| {
                (n + 1, k + usize::from(common.has(c)))
            });
        if n == 0 { 0.0 } else { k as f64 / n as f64 }
    }

    fn encoding(self) -> &'static Encoding {
        match self {
            Legacy::Gb18030 => GB18030,
            Legacy::Big5 => BIG5,
        }
    }
}

/// GB18030 or Big5 bytes read as Latin-1 or windows-1252: every run the code page can encode
/// that holds two or more high characters, decoded in whichever legacy encoding reads as
/// Chinese with the larger share of common characters. The line with the runs repaired and
/// the encodings used.
pub(super) fn legacy(line: &str) -> Option<(String, Codec, Legacy)> {
    legacy_with(
        line,
        &[Codec::Latin1, Codec::Windows1252],
        &[Legacy::Gb18030, Legacy::Big5],
        2,
    )
}

/// `legacy` for a document already known to have been read this way: one code page, one
/// legacy encoding, and a single Chinese character is enough (`Ëµ:` is `说:`).
pub(super) fn legacy_known(line: &str, codec: Codec, legacy: Legacy) -> Option<String> {
    legacy_with(line, &[codec], &[legacy], 1).map(|(text, _, _)| text)
}

fn legacy_with(
    line: &str,
    codecs: &[Codec],
    legacies: &[Legacy],
    min_wide: usize,
) -> Option<(String, Codec, Legacy)> {
    // The whole document went through one decoder: a line with real Chinese in it was not
    // read this way, and its punctuation (`——` is `棗` in GBK) must stay.
    if line.chars().any(|c| {
        is_han(c) || chinese_punctuation(c) && !c.is_ascii() && super::codec::images(c).is_none()
    }) {
        return None;
    }
    for &codec in codecs {
        if !super::codec::explains(codec, line) {
            continue;
        }
        let mut out = String::with_capacity(line.len());
        let mut used = None;
        let mut last = 0;
        for run in runs(line, |c| codec.encode_char(c).is_some()) {
            let text = &line[run.clone()];
            if text.chars().filter(|c| !c.is_ascii()).count() < 2 {
                continue;
            }
            let Some(bytes) = text
                .chars()
                .map(|c| codec.encode_char(c))
                .collect::<Option<Vec<u8>>>()
            else {
                continue;
            };
            // Real UTF-8 mojibake is the UTF-8 path's to repair, unless the document is known
            // to have been read the legacy way (`Ëµ` is valid UTF-8 too).
            if min_wide > 1 && std::str::from_utf8(&bytes).is_ok() {
                continue;
            }
            // The reading with more common characters; GB18030 on a tie (short words read
            // both ways), as mainland reposts are the more frequent.
            let mut best: Option<(f64, String, Legacy)> = None;
            for &legacy in legacies {
                let (decoded, had_errors) = legacy.encoding().decode_without_bom_handling(&bytes);
                // Accented letters that continue the Latin words around them beat Han
                // characters inside those words (`d¨¦j¨¤` is `déjà`, not `d谷j角`).
                let latin = alphabet_from_chinese_system(text, &decoded);
                let fits = latin || chinese(&decoded, min_wide) && !inside_latin_words(&decoded);
                // Each reading scored by its own standard's common set, so a GB18030
                // reading that only looks common as Traditional (`箇衡` for `預算`) loses.
                let score = if latin {
                    2.0
                } else {
                    legacy.native_share(&decoded)
                };
                if !had_errors && fits && best.as_ref().is_none_or(|b| score > b.0) {
                    best = Some((score, decoded.into_owned(), legacy));
                }
            }
            if let Some((_, decoded, legacy)) = best {
                out.push_str(&line[last..run.start]);
                out.push_str(&decoded);
                last = run.end;
                used = Some(legacy);
            }
        }
        if let Some(legacy) = used {
            out.push_str(&line[last..]);
            return Some((out, codec, legacy));
        }
    }
    None
}

/// What a run of GBK characters gives when its bytes are read as UTF-8.
pub(super) enum AsUtf8 {
    /// The whole run reads back as Chinese.
    Exact(String),
    /// Bytes were lost: the part that reads back, for the message.
    Lost(String),
}

/// UTF-8 read as GBK: runs of non-ASCII characters GBK can encode, mostly rare ones, whose
/// GBK bytes read as UTF-8 Chinese. A run where bytes were lost (U+FFFD in it, or a sequence
/// cut off) is reported as lost, with what can still be read.
pub(super) fn utf8_as_gbk(line: &str) -> Vec<(std::ops::Range<usize>, AsUtf8)> {
    let mut found = Vec::new();
    for run in runs(line, |c| !c.is_ascii()) {
        let text = &line[run.clone()];
        let (n, before) = commonness(text);
        // Real text is nearly all common characters; this garble about half at most.
        if n < 2 || before >= 0.75 {
            continue;
        }
        if !text.contains('\u{FFFD}') {
            let (bytes, _, unmappable) = GBK.encode(text);
            if unmappable {
                continue;
            }
            if let Ok(decoded) = std::str::from_utf8(&bytes) {
                // Chinese text, or its punctuation alone (`鈥斺€擭` is `——N`): the rare
                // characters were all one garble.
                let punctuation = !decoded.is_ascii()
                    && decoded
                        .chars()
                        .all(|c| c.is_ascii() || chinese_punctuation(c))
                    && before < 0.5;
                // One character back is enough only where its last byte swallowed the first
                // letter of the ASCII word after it (`骞碞EC` is `年NEC`); `宕機 2` is not
                // `崙C 2`.
                let swallowed = decoded.ends_with(|c: char| c.is_ascii_alphanumeric())
                    && line[run.end..].starts_with(|c: char| c.is_ascii_alphanumeric());
                let wide = if swallowed { 1 } else { 2 };
                if punctuation || chinese(decoded, wide) && commonness(decoded).1 > before + 0.3 {
                    found.push((run, AsUtf8::Exact(decoded.to_string())));
                }
                continue;
            }
        }
        // Bytes were lost: read each stretch between the U+FFFDs as far as it goes.
        let mut readable = String::new();
        let (mut good, mut total) = (0usize, 0usize);
        let mut mappable = true;
        for (k, part) in text.split('\u{FFFD}').enumerate() {
            if k > 0 {
                readable.push('\u{FFFD}');
            }
            let (bytes, _, unmappable) = GBK.encode(part);
            mappable &= !unmappable;
            let decoded = String::from_utf8_lossy(&bytes);
            total += bytes.len();
            good += decoded
                .chars()
                .filter(|&c| c != '\u{FFFD}')
                .map(char::len_utf8)
                .sum::<usize>();
            readable.push_str(&decoded);
        }
        let clean: String = readable.chars().filter(|&c| c != '\u{FFFD}').collect();
        let mut hint = String::with_capacity(readable.len());
        for c in readable.chars() {
            if !(c == '\u{FFFD}' && hint.ends_with('\u{FFFD}')) {
                hint.push(c);
            }
        }
        if mappable
            && good * 10 >= total * 7
            && chinese(&clean, 2)
            && commonness(&clean).1 > before + 0.3
        {
            found.push((run, AsUtf8::Lost(hint)));
        }
    }
    found
}

/// Accented Latin letters in UTF-8 read as GBK, inside Latin words (`caf茅` is `café`,
/// `Fran莽ois` is `François`): short runs glued to a small ASCII letter whose GBK bytes read
/// back as Latin letters only. Each alone is thin evidence; `find` acts on them only when a
/// document has two or more.
pub(super) fn utf8_as_gbk_latin(line: &str) -> Vec<(std::ops::Range<usize>, String)> {
    let mut found = Vec::new();
    for run in runs(line, |c| !c.is_ascii()) {
        let text = &line[run.clone()];
        let before = line[..run.start].chars().next_back();
        let after = line[run.end..].chars().next();
        let glued = |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase());
        if text.chars().count() > 3 || !(glued(before) || glued(after) && before.is_none()) {
            continue;
        }
        let (bytes, _, unmappable) = GBK.encode(text);
        if unmappable {
            continue;
        }
        if let Ok(decoded) = std::str::from_utf8(&bytes)
            && decoded.chars().all(|c| {
                matches!(c, '\u{C0}'..='\u{17F}') && c.is_alphabetic() && c != '×' && c != '÷'
            })
        {
            found.push((run, decoded.to_string()));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn latin1(bytes: &[u8]) -> String {
        bytes.iter().map(|&b| char::from(b)).collect()
    }

    #[test]
    fn common_characters_come_from_both_standards() {
        assert!(GB2312_1.has('工') && GB2312_1.has('党') && BIG5_COMMON.has('黨'));
        assert!(!GB2312_1.has('黨') && !BIG5_COMMON.has('党'));
        assert!(commonness("宸ュ厷鐨勫叏鍥芥墽琛屽鍛樹細").1 < 0.75);
        assert!(commonness("工党的全国执行委员会").1 > 0.95);
        assert!(commonness("工黨的全國執行委員會").1 > 0.95);
    }

    #[test]
    fn gbk_and_big5_read_as_latin1_are_repaired() {
        let (gbk, _, _) = GBK.encode("工党的全国执行委员会");
        let line = format!("NEC: {}.", latin1(&gbk));
        let (fixed, _, legacy) = legacy(&line).unwrap_or_else(|| panic!("{line}"));
        assert_eq!(fixed, "NEC: 工党的全国执行委员会.");
        assert_eq!(legacy, Legacy::Gb18030);
        let (big5, _, _) = BIG5.encode("工黨的全國執行委員會");
        let (fixed, _, legacy) = super::legacy(&latin1(&big5)).unwrap_or_else(|| panic!("big5"));
        assert_eq!(fixed, "工黨的全國執行委員會");
        assert_eq!(legacy, Legacy::Big5);
        assert!(super::legacy("Grüße aus Köln, à bientôt").is_none());
    }

    #[test]
    fn utf8_read_as_gbk_is_found_exact_or_lost() {
        let garble = GBK
            .decode_without_bom_handling("工党的全国执行委员会".as_bytes())
            .0;
        let found = utf8_as_gbk(&garble);
        assert!(
            matches!(found.as_slice(), [(_, AsUtf8::Exact(t))] if t == "工党的全国执行委员会"),
            "{garble}"
        );
        assert!(utf8_as_gbk("工党的全国执行委员会今天开会").is_empty());
    }
}
