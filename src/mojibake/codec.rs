//! The single-byte code pages mojibake comes from, as 256-entry tables generated from
//! `encoding_rs` (and `oem_cp` for cp437, which `encoding_rs` lacks). The tables are "sloppy"
//! as browsers are: a byte the code page leaves unassigned stands for the Latin-1 character of
//! the same value, so every byte has a character and every table character has its byte.

use std::sync::LazyLock;

use rustc_hash::FxHashMap;

/// A single-byte code page a UTF-8 (or GBK, Big5) text may have been read with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Codec {
    Latin1,
    Windows1252,
    Windows1251,
    Windows1250,
    Windows1253,
    Windows1254,
    Windows1257,
    Iso8859_2,
    MacRoman,
    Cp437,
}

impl Codec {
    /// Every code page, most common mix-up first (the order ties are broken in).
    pub const ALL: [Codec; 10] = [
        Codec::Latin1,
        Codec::Windows1252,
        Codec::Windows1251,
        Codec::Windows1250,
        Codec::Windows1253,
        Codec::Windows1254,
        Codec::Windows1257,
        Codec::Iso8859_2,
        Codec::MacRoman,
        Codec::Cp437,
    ];

    /// The name used in explanations.
    pub fn name(self) -> &'static str {
        match self {
            Codec::Latin1 => "Latin-1",
            Codec::Windows1252 => "windows-1252",
            Codec::Windows1251 => "windows-1251",
            Codec::Windows1250 => "windows-1250",
            Codec::Windows1253 => "windows-1253",
            Codec::Windows1254 => "windows-1254",
            Codec::Windows1257 => "windows-1257",
            Codec::Iso8859_2 => "ISO-8859-2",
            Codec::MacRoman => "MacRoman",
            Codec::Cp437 => "cp437",
        }
    }

    fn index(self) -> usize {
        self as usize
    }

    /// The character byte `b` stands for.
    pub fn decode_byte(self, b: u8) -> char {
        TABLES[self.index()].decode[usize::from(b)]
    }

    /// The byte that stands for `c`, if this code page has one.
    pub fn encode_char(self, c: char) -> Option<u8> {
        if c.is_ascii() {
            return Some(c as u8);
        }
        TABLES[self.index()].encode.get(&c).copied()
    }
}

struct Table {
    decode: [char; 256],
    encode: FxHashMap<char, u8>,
}

/// Bit sets over `Codec::ALL` for each character that some code page's high byte decodes to.
#[derive(Clone, Copy, Default, Debug)]
pub struct Images {
    /// Code pages where the character is a UTF-8 lead byte (0xC2-0xF4).
    pub lead: u16,
    /// Code pages where it is a UTF-8 continuation byte (0x80-0xBF).
    pub cont: u16,
}

static TABLES: LazyLock<Vec<Table>> = LazyLock::new(|| Codec::ALL.map(table).into_iter().collect());

static IMAGES: LazyLock<FxHashMap<char, Images>> = LazyLock::new(|| {
    let mut map: FxHashMap<char, Images> = FxHashMap::default();
    for codec in Codec::ALL {
        let bit = 1u16 << codec.index();
        for b in 0x80u8..=0xFF {
            let c = codec.decode_byte(b);
            let entry = map.entry(c).or_default();
            match b {
                0x80..=0xBF => entry.cont |= bit,
                0xC2..=0xF4 => entry.lead |= bit,
                _ => {}
            }
        }
    }
    map
});

/// A C1 control character (U+0080-U+009F): Latin-1's reading of bytes windows-1252 uses for
/// punctuation.
pub fn is_c1(c: char) -> bool {
    matches!(c, '\u{80}'..='\u{9F}')
}

/// Whether `codec` could have read every character of `line` that some code page's high half
/// produces: a line holding a character only another code page gives was not read with it.
pub fn explains(codec: Codec, line: &str) -> bool {
    line.chars()
        .all(|c| c == '\u{FFFD}' || codec.encode_char(c).is_some() || images(c).is_none())
}

/// Maximal runs of characters passing `keep`, as byte ranges of `line`.
pub fn runs(line: &str, keep: impl Fn(char) -> bool) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in line.char_indices() {
        if keep(c) {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            out.push(s..i);
        }
    }
    if let Some(s) = start {
        out.push(s..line.len());
    }
    out
}

/// Where `c` stands for a UTF-8 lead or continuation byte; `None` for a character no
/// supported code page produces from a high byte.
pub fn images(c: char) -> Option<Images> {
    if c.is_ascii() {
        return None;
    }
    IMAGES.get(&c).copied()
}

fn table(codec: Codec) -> Table {
    let mut decode = ['\0'; 256];
    for (b, slot) in decode.iter_mut().enumerate() {
        let byte = b as u8;
        *slot = if byte.is_ascii() {
            char::from(byte)
        } else {
            high(codec, byte).unwrap_or(char::from(byte))
        };
    }
    let mut encode = FxHashMap::default();
    for (b, &c) in decode.iter().enumerate().rev() {
        encode.insert(c, b as u8);
    }
    Table { decode, encode }
}

/// What the code page itself assigns to a byte of 0x80 or more.
fn high(codec: Codec, byte: u8) -> Option<char> {
    let encoding = match codec {
        Codec::Latin1 => return Some(char::from(byte)),
        Codec::Cp437 => {
            return oem_cp::code_table::DECODING_TABLE_CP437
                .get(usize::from(byte - 0x80))
                .copied();
        }
        Codec::Windows1252 => encoding_rs::WINDOWS_1252,
        Codec::Windows1251 => encoding_rs::WINDOWS_1251,
        Codec::Windows1250 => encoding_rs::WINDOWS_1250,
        Codec::Windows1253 => encoding_rs::WINDOWS_1253,
        Codec::Windows1254 => encoding_rs::WINDOWS_1254,
        Codec::Windows1257 => encoding_rs::WINDOWS_1257,
        Codec::Iso8859_2 => encoding_rs::ISO_8859_2,
        Codec::MacRoman => encoding_rs::MACINTOSH,
    };
    let bytes = [byte];
    let (text, had_errors) = encoding.decode_without_bom_handling(&bytes);
    let c = text.chars().next()?;
    (!had_errors && c != '\u{FFFD}').then_some(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_byte_round_trips_in_every_code_page() {
        for codec in Codec::ALL {
            for b in 0u8..=255 {
                assert_eq!(
                    codec.encode_char(codec.decode_byte(b)),
                    Some(b),
                    "{codec:?} {b:#x}"
                );
            }
        }
    }

    #[test]
    fn tables_hold_the_code_pages_characters() {
        assert_eq!(Codec::Windows1252.decode_byte(0x80), '€');
        assert_eq!(Codec::Windows1252.decode_byte(0x81), '\u{81}');
        assert_eq!(Codec::Windows1251.decode_byte(0xC0), 'А');
        assert_eq!(Codec::MacRoman.decode_byte(0xC3), '√');
        assert_eq!(Codec::Cp437.decode_byte(0xC5), '┼');
        assert_eq!(Codec::Latin1.decode_byte(0x93), '\u{93}');
        let lead = images('Ã').unwrap_or_default().lead;
        assert_ne!(lead & (1 << Codec::Windows1252.index()), 0);
        assert!(images('a').is_none());
    }
}
