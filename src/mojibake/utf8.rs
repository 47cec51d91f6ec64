//! Re-encoded text read back as UTF-8, the way it was first written: Java's and CESU-8's
//! variants (`C0 80` for NUL, surrogate pairs as two three-byte sequences) are accepted, a
//! space standing where a UTF-8 sequence needs its 0xA0 byte is restored (a no-break space
//! lost on the way), and a sequence whose bytes were lost (U+FFFD or `?` in its place)
//! becomes one U+FFFD.

use super::codec::Codec;

/// A unit of re-encoded text: a byte, or `LOST` where the text already held U+FFFD.
pub(super) type Unit = u16;
const LOST: Unit = 0x100;

/// Encodes `s` byte by byte in `codec`; `None` if some character has no byte there.
pub(super) fn encode(codec: Codec, s: &str) -> Option<Vec<Unit>> {
    s.chars()
        .map(|c| match c {
            '\u{FFFD}' => Some(LOST),
            _ => codec.encode_char(c).map(Unit::from),
        })
        .collect()
}

/// What decoding needed besides plain UTF-8; each is a step of the explanation.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct Extras {
    /// A space was read back as the 0xA0 byte it replaced.
    pub restored_a0: bool,
    /// A sequence with a lost byte became U+FFFD.
    pub lossy: bool,
    /// CESU-8 surrogate pairs or Java's `C0 80`.
    pub variant: bool,
}

/// Decodes `units` as UTF-8 and its variants; `None` unless every unit is accounted for.
pub(super) fn decode(units: &[Unit]) -> Option<(String, Extras)> {
    let mut out = String::with_capacity(units.len());
    let mut extras = Extras::default();
    let mut i = 0;
    // A high surrogate waiting for its low half (CESU-8).
    let mut high: Option<u32> = None;
    while i < units.len() {
        let u = units[i];
        let need = match u {
            LOST => {
                out.push('\u{FFFD}');
                i += 1;
                continue;
            }
            0x00..=0x7F => {
                if high.is_some() {
                    return None;
                }
                out.push(char::from(u as u8));
                i += 1;
                continue;
            }
            0xC0 if units.get(i + 1) == Some(&0x80) => {
                out.push('\0');
                extras.variant = true;
                i += 2;
                continue;
            }
            0xC2..=0xDF => 1,
            0xE0..=0xEF => 2,
            0xF0..=0xF4 => 3,
            _ => return None,
        };
        let mut bytes = [u as u8, 0, 0, 0];
        let mut lost = false;
        // Where the sequence's next unit is; a space kept after `à` is not consumed.
        let mut consumed = need + 1;
        for (k, slot) in bytes.iter_mut().enumerate().take(need + 1).skip(1) {
            let v = *units.get(i + k)?;
            *slot = match v {
                0x80..=0xBF => v as u8,
                LOST => {
                    lost = true;
                    0x80
                }
                0x3F => {
                    lost = true;
                    0x80
                }
                0x20 => match restore_a0(units, i, k, need) {
                    Restore::No => return None,
                    Restore::Joined => {
                        extras.restored_a0 = true;
                        0xA0
                    }
                    Restore::KeepSpace => {
                        extras.restored_a0 = true;
                        consumed = k;
                        0xA0
                    }
                    Restore::Lost => {
                        lost = true;
                        consumed = k;
                        0x80
                    }
                },
                _ => return None,
            };
        }
        if lost {
            if high.take().is_some() {
                return None;
            }
            out.push('\u{FFFD}');
            extras.lossy = true;
            i += consumed;
            continue;
        }
        let seq = &bytes[..=need];
        if seq[0] == 0xED && (0xA0..=0xBF).contains(&seq[1]) {
            // A surrogate written as three bytes: pair it up (CESU-8) or give up.
            let unit = 0xD000 | (u32::from(seq[1] & 0x3F) << 6) | u32::from(seq[2] & 0x3F);
            match (unit, high.take()) {
                (0xD800..=0xDBFF, None) => high = Some(unit),
                (0xDC00..=0xDFFF, Some(h)) => {
                    let c = char::from_u32(0x10000 + ((h - 0xD800) << 10) + (unit - 0xDC00))?;
                    out.push(c);
                    extras.variant = true;
                }
                _ => return None,
            }
        } else {
            if high.is_some() {
                return None;
            }
            out.push(std::str::from_utf8(seq).ok()?.chars().next()?);
        }
        i += consumed;
    }
    if high.is_some() {
        return None;
    }
    Some((out, extras))
}

enum Restore {
    No,
    /// The space was the 0xA0 byte itself.
    Joined,
    /// `à` as a word of its own: the 0xA0 byte and the space after it ran together.
    KeepSpace,
    /// A byte was lost before the space, which stays.
    Lost,
}

/// Whether a space at place `k` of the sequence starting at `lead` stands for byte 0xA0.
///
/// `C2` + space is a no-break space. `C3` + space is `à`: joined to what follows when that is
/// another space or Portuguese `às`/`àquele`, else a word of its own before a lower-case word.
/// Other leads take 0xA0 only when mojibake or a lower-case letter follows, so a real letter
/// before a space (`SENSЕ - `) stays.
fn restore_a0(units: &[Unit], lead: usize, k: usize, need: usize) -> Restore {
    let after = |n: usize| units.get(lead + k + n).copied();
    let first = units[lead];
    if need == 1 && first == 0xC2 {
        return Restore::Joined;
    }
    if need == 1 && first == 0xC3 {
        let lower = |u: Option<Unit>| u.is_some_and(|u| (0x61..=0x7A).contains(&u));
        return match after(1) {
            Some(0x20) => Restore::Joined,
            Some(0x73) if matches!(after(2), Some(0x20 | 0x2C | 0x2E) | None) => Restore::Joined,
            Some(0x71)
                if after(2) == Some(0x75) && after(3) == Some(0x65) && after(4) == Some(0x6C) =>
            {
                Restore::Joined
            }
            next if lower(next) => Restore::KeepSpace,
            _ => Restore::No,
        };
    }
    // `â€` + space is a windows-1252 decoder's `”` (E2 80 9D) that lost its undefined last
    // byte, not the dagger E2 80 A0.
    if first == 0xE2 && k == 2 && units.get(lead + 1) == Some(&0x80) {
        return Restore::Lost;
    }
    match after(1) {
        Some(u) if u >= 0x80 || (0x61..=0x7A).contains(&u) => Restore::Joined,
        _ => Restore::No,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(bytes: &[u8]) -> Vec<Unit> {
        bytes.iter().map(|&b| Unit::from(b)).collect()
    }

    #[test]
    fn plain_and_variant_utf8_decode() {
        assert_eq!(
            decode(&units("é".as_bytes())).map(|d| d.0),
            Some("é".into())
        );
        // CESU-8 for U+1F60D, and Java's NUL.
        let (text, extras) =
            decode(&units(&[0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x8D, 0xC0, 0x80])).unwrap_or_default();
        assert_eq!(text, "😍\0");
        assert!(extras.variant);
        assert_eq!(decode(&units(&[0xED, 0xA0, 0xBD])), None);
        assert_eq!(decode(&units(&[0x80])), None);
    }

    #[test]
    fn spaces_and_lost_bytes() {
        assert_eq!(
            decode(&units(b"\xC2 x")).map(|d| d.0),
            Some("\u{a0}x".into())
        );
        assert_eq!(
            decode(&units(b"voil\xC3 le")).map(|d| d.0),
            Some("voilà le".into())
        );
        assert_eq!(decode(&units(b"\xC3 s ")).map(|d| d.0), Some("às ".into()));
        assert_eq!(decode(&units(b"S \xC3 O")), None);
        assert_eq!(
            decode(&units(b"\xE2\x80?")).map(|d| d.0),
            Some("\u{FFFD}".into())
        );
        let mut lost = units(b"\xC4");
        lost.push(LOST);
        assert_eq!(decode(&lost).map(|d| d.0), Some("\u{FFFD}".into()));
    }
}
