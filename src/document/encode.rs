//! Turning repaired text back into the bytes of the document's own encoding: GB18030 stays
//! GB18030, UTF-16 stays UTF-16 (written by hand: `encoding_rs` encodes UTF-16 as UTF-8, as the
//! Encoding Standard says), a BOM is kept, line endings are never touched.
//!
//! The encoder is chosen so that the *unrepaired* text encodes back to exactly the original
//! bytes; only then can a rewrite promise that nothing but the repaired bytes change.

use encoding_rs::Encoding;

use super::{Document, encoding_label};
use crate::error::{Error, Result};
use crate::format::Format;

/// The bytes of `repaired` (a repair of `original`, read from `original_bytes`) written like
/// the original: the same encoding and BOM for text formats, the same zip entries for DOCX.
pub fn encode_repaired(
    original: &Document,
    repaired: &Document,
    original_bytes: &[u8],
) -> Result<Vec<u8>> {
    match (&repaired.source, repaired.format) {
        // The repaired package was written (and read back) when the repair was made: its
        // bytes are the file.
        (Some(source), Format::Docx) => match &source.package {
            Some(package) => Ok(package.bytes().to_vec()),
            None => Err(Error::refused(&original.path, "a DOCX without its package")),
        },
        _ => encode_like(
            original,
            repaired.source_text().unwrap_or(&repaired.text),
            Some(original_bytes),
        ),
    }
}

/// Encodes `text` like `doc` was encoded (same encoding, same BOM).
///
/// `original` is the file's bytes as read; when given, the encoder must reproduce them from
/// `doc.text`, else the file is refused (a rewrite would change bytes outside the repairs).
/// Fails with [`Error::Unencodable`] when `text` has a character the encoding cannot hold.
pub fn encode_like(doc: &Document, text: &str, original: Option<&[u8]>) -> Result<Vec<u8>> {
    let refuse = |detail: String| Error::Unencodable {
        path: doc.path.clone(),
        encoding: encoding_label(doc.encoding),
        detail,
    };
    if doc.replacements > 0 {
        return Err(refuse(format!(
            "{} undecodable byte sequence(s) were replaced by U+FFFD when reading; writing the file back would lose them",
            doc.replacements
        )));
    }
    let candidates = encoders(doc.encoding);
    let mut reproduces_original = false;
    let mut last_problem = None;
    for encoder in candidates {
        if let Some(original) = original {
            match encode_with(encoder, doc.bom, doc.source_text().unwrap_or(&doc.text)) {
                Ok(bytes) if bytes == original => {}
                _ => continue,
            }
        }
        reproduces_original = true;
        match encode_with(encoder, doc.bom, text) {
            Ok(bytes) => return Ok(bytes),
            Err(c) => last_problem = Some(c),
        }
    }
    match last_problem {
        Some(c) => Err(refuse(format!(
            "'{c}' (U+{:04X}) has no representation in {}",
            c as u32,
            encoding_label(doc.encoding)
        ))),
        None if !reproduces_original => Err(refuse(
            "re-encoding the unrepaired text does not give back the file's bytes, so a rewrite would change more than the repairs".into(),
        )),
        None => Err(refuse("no encoder available".into())),
    }
}

/// The encoders to try for a decoder, in order. GBK text is written as GBK when it can be
/// (keeps `€` as 0x80), else as its superset GB18030.
fn encoders(decoded_as: &'static Encoding) -> Vec<&'static Encoding> {
    if decoded_as == encoding_rs::GBK {
        vec![encoding_rs::GBK, encoding_rs::GB18030]
    } else {
        vec![decoded_as]
    }
}

/// Encodes with one encoder; the first character it cannot hold is the error.
fn encode_with(
    encoding: &'static Encoding,
    bom: bool,
    text: &str,
) -> std::result::Result<Vec<u8>, char> {
    if encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE {
        let le = encoding == encoding_rs::UTF_16LE;
        let mut out = Vec::with_capacity(text.len() * 2 + 2);
        if bom {
            out.extend(if le { [0xFF, 0xFE] } else { [0xFE, 0xFF] });
        }
        for unit in text.encode_utf16() {
            out.extend(if le {
                unit.to_le_bytes()
            } else {
                unit.to_be_bytes()
            });
        }
        return Ok(out);
    }
    if encoding == encoding_rs::UTF_8 {
        let mut out = Vec::with_capacity(text.len() + 3);
        if bom {
            out.extend(b"\xEF\xBB\xBF");
        }
        out.extend(text.as_bytes());
        return Ok(out);
    }
    let mut encoder = encoding.new_encoder();
    let mut out = Vec::with_capacity(
        encoder
            .max_buffer_length_from_utf8_without_replacement(text.len())
            .unwrap_or(text.len() * 4),
    );
    let (result, read) = encoder.encode_from_utf8_to_vec_without_replacement(text, &mut out, true);
    match result {
        encoding_rs::EncoderResult::InputEmpty => Ok(out),
        encoding_rs::EncoderResult::Unmappable(c) => Err(c),
        encoding_rs::EncoderResult::OutputFull => {
            // The buffer was sized for the worst case; report the character we stopped at.
            Err(text[read..].chars().next().unwrap_or('\u{FFFD}'))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::decode;

    fn doc_from(bytes: &[u8]) -> Document {
        let d = decode(bytes).unwrap();
        Document {
            path: "x.txt".into(),
            encoding: d.encoding,
            bom: d.bom,
            text: d.text,
            replacements: d.replacements,
            format: Format::Text,
            source: None,
        }
    }

    #[test]
    fn utf16_keeps_bom_and_byte_order() {
        let mut le = vec![0xFF, 0xFE];
        le.extend("劳动派对\r\n".encode_utf16().flat_map(u16::to_le_bytes));
        let doc = doc_from(&le);
        let out = encode_like(&doc, "工党\r\n", Some(&le)).unwrap();
        let mut want = vec![0xFF, 0xFE];
        want.extend("工党\r\n".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(out, want);
    }

    #[test]
    fn gb18030_stays_gb18030_and_utf8_bom_is_kept() {
        let (gb, _, _) = encoding_rs::GB18030.encode("我们知道这种震惊和沮丧在工人运动中被广泛分享。劳动派对的全国执行委员会必须召开紧急会议。");
        let doc = doc_from(&gb);
        assert_eq!(encoding_label(doc.encoding), "GB18030");
        let fixed = doc.text.replace("劳动派对", "工党");
        let out = encode_like(&doc, &fixed, Some(&gb)).unwrap();
        assert_eq!(out, encoding_rs::GB18030.encode(&fixed).0.as_ref());
        let doc = doc_from(b"\xEF\xBB\xBFcaf\xC3\xA9");
        assert_eq!(
            encode_like(&doc, "cafe", Some(b"\xEF\xBB\xBFcaf\xC3\xA9")).unwrap(),
            b"\xEF\xBB\xBFcafe"
        );
    }

    #[test]
    fn unencodable_repair_and_lossy_input_are_refused() {
        let text = "Le comité exécutif national a décidé d’adopter la résolution à l’unanimité.";
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
        let doc = doc_from(&bytes);
        assert_eq!(doc.encoding, encoding_rs::WINDOWS_1252);
        let err = encode_like(&doc, "工党", Some(&bytes)).unwrap_err();
        assert!(
            matches!(err, Error::Unencodable { .. }) && err.to_string().contains("U+5DE5"),
            "{err}"
        );
        let mut broken = "工党的全国执行委员会".as_bytes().to_vec();
        broken.pop();
        let doc = doc_from(&broken);
        let err = encode_like(&doc, "工党", Some(&broken)).unwrap_err();
        assert!(err.to_string().contains("U+FFFD"), "{err}");
    }
}
