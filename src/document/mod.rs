//! Documents: finding them under the given paths ([`discover`]), reading their bytes and
//! decoding them to UTF-8, and encoding a repaired text back like the original ([`encode_like`]).
//!
//! Decoding order: BOM (UTF-8, UTF-16LE/BE), then valid UTF-8, then UTF-16 without a BOM
//! (NUL bytes on every other position), then `chardetng`'s guess decoded by `encoding_rs`.
//! Text that is mostly control characters or undecodable bytes is refused as binary.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use encoding_rs::Encoding;

use crate::error::{Error, Result};
use crate::format::{self, Edit, Extract, Format, docx};

mod encode;
mod kind;
mod walk;

pub use encode::{encode_like, encode_repaired};
pub use kind::NotText;
pub use walk::{Found, discover};

/// Default for `--max-file-size`: 64 MiB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 64 * 1024 * 1024;

/// A decoded document: its path, where its text came from, and the text itself.
#[derive(Debug, Clone)]
pub struct Document {
    /// The path as given on the command line, joined with the relative path inside a folder.
    pub path: PathBuf,
    /// The encoding the bytes were decoded from.
    pub encoding: &'static Encoding,
    /// Whether the file started with a byte order mark (kept when the file is rewritten).
    pub bom: bool,
    /// The decoded text, without the BOM.
    pub text: String,
    /// How many invalid byte sequences were replaced by U+FFFD while decoding.
    pub replacements: usize,
    /// The file's format: plain text, or markup whose visible text is [`Document::text`].
    pub format: Format,
    /// For markup formats, the source the text was extracted from and the map back to it.
    pub source: Option<Arc<Source>>,
}

/// The source of a markup document: its decoded text (HTML, Markdown, subtitles) or its DOCX
/// package (whose XML parts the pieces point into), and where each piece of the text came from.
#[derive(Debug, Clone)]
pub struct Source {
    /// The decoded source, for formats that are one text (empty for DOCX: see `package`).
    text_parts: Vec<String>,
    pub extract: Extract,
    /// The DOCX package the parts were read from (the other entries are copied from it).
    pub package: Option<docx::Package>,
}

impl Source {
    /// The source parts the pieces point into: the one text, or the package's XML parts.
    pub fn parts(&self) -> Vec<&str> {
        match &self.package {
            Some(package) => package.parts(),
            None => self.text_parts.iter().map(String::as_str).collect(),
        }
    }
}

impl Document {
    /// A plain-text document of decoded bytes read from `path`.
    fn decoded(path: &Path, decoded: Decoded) -> Document {
        Document {
            path: path.to_path_buf(),
            encoding: decoded.encoding,
            bom: decoded.bom,
            text: decoded.text,
            replacements: decoded.replacements,
            format: Format::Text,
            source: None,
        }
    }

    /// Builds a document from text already in memory (tests, stdin, generated corpora).
    pub fn from_text(path: impl Into<PathBuf>, text: impl Into<String>) -> Document {
        Document {
            path: path.into(),
            encoding: encoding_rs::UTF_8,
            bom: false,
            text: text.into(),
            replacements: 0,
            format: Format::Text,
            source: None,
        }
    }

    /// A markup document from its decoded source text, as a file of `format` would be read
    /// (tests, stdin).
    pub fn from_source(
        path: impl Into<PathBuf>,
        format: Format,
        source: impl Into<String>,
    ) -> Result<Document> {
        let path = path.into();
        let mut doc = Document::from_text(&path, String::new());
        doc.format = format;
        doc.source = None;
        doc.with_source(vec![source.into()], None)
    }

    /// The same document holding another text (a repair's result): path, encoding and BOM
    /// stay, so the text is written back like the original.
    pub fn with_text(&self, text: String) -> Document {
        Document {
            path: self.path.clone(),
            encoding: self.encoding,
            bom: self.bom,
            text,
            replacements: self.replacements,
            format: self.format,
            source: self.source.clone(),
        }
    }

    /// The decoded source text the user's editor shows: the file's text, or for HTML,
    /// Markdown and subtitles the markup itself. `None` for DOCX (a zip of XML parts).
    pub fn source_text(&self) -> Option<&str> {
        match &self.source {
            None => Some(&self.text),
            // A DOCX has no one text: its source is a package of XML parts.
            Some(s) => s.text_parts.first().map(String::as_str),
        }
    }

    /// The same document with `edits` (in text offsets) made: written into the source and
    /// the text extracted again for markup, spliced into the text for plain text. Edits
    /// that overlap an earlier one or cannot be written into the markup are left out; the
    /// indices of those made are returned.
    pub fn edited(&self, edits: &[Edit]) -> Result<(Document, Vec<usize>)> {
        match &self.source {
            None => {
                let extract = Extract::plain(&self.text);
                let (mut parts, written) =
                    extract.write_back(Format::Text.escaper(), &[&self.text], edits);
                Ok((self.with_text(parts.pop().unwrap_or_default()), written))
            }
            Some(source) => {
                let parts = source.parts();
                let (parts, written) =
                    source
                        .extract
                        .write_back(self.format.escaper(), &parts, edits);
                if written.is_empty() {
                    return Ok((self.clone(), written));
                }
                Ok((self.with_source(parts, source.package.clone())?, written))
            }
        }
    }

    /// The same document read from other source parts (a repair written back).
    fn with_source(&self, parts: Vec<String>, package: Option<docx::Package>) -> Result<Document> {
        let failed = |reason: String| Error::Markup {
            path: self.path.clone(),
            format: self.format.name(),
            reason,
        };
        let (extract, package) = match (self.format, package) {
            (Format::Docx, Some(package)) => {
                let bytes = docx::write(&package, &parts).map_err(failed)?;
                let (package, extract) = docx::read(&bytes, u64::MAX).map_err(failed)?;
                (extract, Some(package))
            }
            (format, _) => (
                format::extract(format, parts.first().map_or("", String::as_str))
                    .map_err(failed)?,
                None,
            ),
        };
        let mut doc = self.with_text(extract.text.clone());
        doc.source = Some(Arc::new(Source {
            text_parts: if package.is_some() { Vec::new() } else { parts },
            extract,
            package,
        }));
        Ok(doc)
    }

    /// The encoding's name as reported to users (`UTF-8`, `GB18030`, `Big5`, `windows-1252`, ...).
    pub fn encoding_name(&self) -> &'static str {
        encoding_label(self.encoding)
    }
}

/// The user-facing name of an encoding; GBK is reported (and written back) as its superset GB18030.
pub fn encoding_label(encoding: &'static Encoding) -> &'static str {
    if encoding == encoding_rs::GBK || encoding == encoding_rs::GB18030 {
        "GB18030"
    } else {
        encoding.name()
    }
}

/// Options for reading documents.
#[derive(Debug, Clone, Copy)]
pub struct ReadOptions {
    /// Files larger than this many bytes are refused.
    pub max_file_size: u64,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
        }
    }
}

/// Where a document's bytes come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A regular file.
    File(PathBuf),
    /// A FIFO or character device named on the command line, read to its end.
    Stream(PathBuf),
    /// Standard input (`-`).
    Stdin,
}

/// Reads and decodes one file.
pub fn read_document(path: &Path, options: ReadOptions) -> Result<Document> {
    let bytes = read_bytes(path, options)?;
    from_vec(path, bytes, options)
}

/// Reads the bytes of a document from wherever they come, never more than
/// `options.max_file_size`. `name` is what errors call it (the `--stdin-name` for stdin).
pub fn read_origin(origin: &Origin, name: &Path, options: ReadOptions) -> Result<Vec<u8>> {
    match origin {
        Origin::File(path) => read_bytes(path, options),
        Origin::Stream(path) => {
            let file = File::open(path).map_err(|source| Error::Read {
                path: name.to_path_buf(),
                source,
            })?;
            read_bounded(file, name, options, 0)
        }
        Origin::Stdin => read_bounded(std::io::stdin().lock(), name, options, 0),
    }
}

/// Reads a stream to its end, refusing it once it passes the size limit; `expected` bytes
/// are allocated up front (the size of a regular file, so a long one is not copied as it grows).
fn read_bounded(
    reader: impl Read,
    name: &Path,
    options: ReadOptions,
    expected: usize,
) -> Result<Vec<u8>> {
    let mut bytes = Vec::with_capacity(expected);
    reader
        .take(options.max_file_size + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| Error::Read {
            path: name.to_path_buf(),
            source,
        })?;
    if bytes.len() as u64 > options.max_file_size {
        return Err(Error::TooLarge {
            path: name.to_path_buf(),
            size: bytes.len() as u64,
            limit: options.max_file_size,
        });
    }
    Ok(bytes)
}

/// Reads one regular file's bytes, never more than `options.max_file_size` (a file that grows
/// while it is read is refused too).
pub fn read_bytes(path: &Path, options: ReadOptions) -> Result<Vec<u8>> {
    let read_err = |source| Error::Read {
        path: path.to_path_buf(),
        source,
    };
    // A name that says image, archive, PDF, ...: refused before any byte is read.
    if let Some(kind) = NotText::from_extension(path) {
        return Err(not_text(path, kind));
    }
    let file = open_nonblocking(path).map_err(read_err)?;
    let meta = file.metadata().map_err(read_err)?;
    if !meta.is_file() {
        return Err(Error::refused(path, "not a regular file"));
    }
    if meta.len() > options.max_file_size {
        return Err(Error::TooLarge {
            path: path.to_path_buf(),
            size: meta.len(),
            limit: options.max_file_size,
        });
    }
    // The file may grow between stat and read: never read more than the limit allows.
    read_bounded(file, path, options, meta.len() as usize)
}

/// The error for a file that is plainly no text document.
fn not_text(path: &Path, kind: NotText) -> Error {
    Error::NotText {
        path: path.to_path_buf(),
        kind: kind.plural(),
        advice: kind.advice(path),
    }
}

/// [`from_bytes`] taking the bytes: a plain UTF-8 text becomes the document's text without a
/// copy (a long document is not held twice while it is checked).
pub fn from_vec(path: &Path, bytes: Vec<u8>, options: ReadOptions) -> Result<Document> {
    let plain = Format::sniff(path, &bytes) == Format::Text
        && Encoding::for_bom(&bytes).is_none()
        && NotText::of(path, &bytes).is_none()
        && !bytes.contains(&0);
    if !plain {
        return from_bytes(path, &bytes, options);
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(not_utf8) => return from_bytes(path, not_utf8.as_bytes(), options),
    };
    let decoded = check_textlike(Decoded {
        encoding: encoding_rs::UTF_8,
        bom: false,
        text,
        replacements: 0,
    })
    .map_err(|reason| Error::Binary {
        path: path.to_path_buf(),
        reason,
    })?;
    Ok(Document::decoded(path, decoded))
}

/// Decodes bytes read from `path` into a document of the format its name or first bytes
/// say (refused as binary when they are not text, and with advice when they are an image, an
/// archive, a PDF, ...). Markup is extracted: the document's text is what a reader sees.
pub fn from_bytes(path: &Path, bytes: &[u8], options: ReadOptions) -> Result<Document> {
    let format = Format::sniff(path, bytes);
    let markup_error = |reason: String| Error::Markup {
        path: path.to_path_buf(),
        format: format.name(),
        reason,
    };
    if format == Format::Docx {
        let (package, extract) = docx::read(bytes, options.max_file_size).map_err(markup_error)?;
        let mut doc = Document::from_text(path, extract.text.clone());
        doc.format = format;
        doc.source = Some(Arc::new(Source {
            text_parts: Vec::new(),
            extract,
            package: Some(package),
        }));
        return Ok(doc);
    }
    if let Some(kind) = NotText::of(path, bytes) {
        return Err(not_text(path, kind));
    }
    let declared = match format {
        Format::Html => format::html::charset(bytes),
        _ => None,
    };
    let decoded = decode_declared(bytes, declared).map_err(|reason| Error::Binary {
        path: path.to_path_buf(),
        reason,
    })?;
    let mut doc = Document::decoded(path, decoded);
    if format != Format::Text {
        doc.format = format;
        let source = std::mem::take(&mut doc.text);
        doc = doc.with_source(vec![source], None)?;
    }
    Ok(doc)
}

/// Decodes bytes whose markup declares an encoding: a BOM wins, then the declaration when the
/// bytes decode cleanly in it, then detection as for any text.
fn decode_declared(
    bytes: &[u8],
    declared: Option<&'static Encoding>,
) -> std::result::Result<Decoded, String> {
    if let Some(encoding) = declared
        && Encoding::for_bom(bytes).is_none()
        && encoding != encoding_rs::UTF_16LE
        && encoding != encoding_rs::UTF_16BE
        && let Ok(decoded) = decoded_as(encoding, bytes)
        && decoded.replacements == 0
    {
        return Ok(decoded);
    }
    decode(bytes)
}

/// The result of decoding a byte buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub encoding: &'static Encoding,
    pub bom: bool,
    pub text: String,
    pub replacements: usize,
}

/// Decodes bytes to text, or says why they are not text.
pub fn decode(bytes: &[u8]) -> std::result::Result<Decoded, String> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _, had_errors) = encoding.decode(bytes);
        let text = text.into_owned();
        let replacements = if had_errors { count_fffd(&text) } else { 0 };
        let decoded = Decoded {
            encoding,
            bom: bom_len > 0,
            text,
            replacements,
        };
        return check_textlike(decoded);
    }
    if let Ok(text) = std::str::from_utf8(bytes)
        && !text.contains('\0')
    {
        return check_textlike(Decoded {
            encoding: encoding_rs::UTF_8,
            bom: false,
            text: text.to_string(),
            replacements: 0,
        });
    }
    if bytes.contains(&0) {
        return match sniff_utf16(bytes) {
            Some(encoding) => decoded_as(encoding, bytes),
            None => Err("contains NUL bytes and is not UTF-16 text".to_string()),
        };
    }
    if mostly_utf8(bytes) {
        let text = String::from_utf8_lossy(bytes).into_owned();
        let replacements = count_fffd(&text);
        return check_textlike(Decoded {
            encoding: encoding_rs::UTF_8,
            bom: false,
            text,
            replacements,
        });
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    decoded_as(detector.guess(None, chardetng::Utf8Detection::Allow), bytes)
}

/// `bytes` (with no BOM) decoded in `encoding`, then checked to be text.
fn decoded_as(encoding: &'static Encoding, bytes: &[u8]) -> std::result::Result<Decoded, String> {
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    let text = text.into_owned();
    let replacements = if had_errors { count_fffd(&text) } else { 0 };
    check_textlike(Decoded {
        encoding,
        bom: false,
        text,
        replacements,
    })
}

fn count_fffd(text: &str) -> usize {
    text.chars().filter(|&c| c == '\u{FFFD}').count()
}

/// UTF-16 without a BOM: in Latin-heavy text one byte of each pair is NUL, always on the same side.
fn sniff_utf16(bytes: &[u8]) -> Option<&'static Encoding> {
    let pairs = bytes.len() / 2;
    if pairs < 2 {
        return None;
    }
    let (mut even, mut odd) = (0usize, 0usize);
    for pair in bytes.chunks_exact(2) {
        even += usize::from(pair[0] == 0);
        odd += usize::from(pair[1] == 0);
    }
    let majority = pairs * 3 / 10;
    let stray = pairs / 20;
    if odd > majority && even <= stray {
        Some(encoding_rs::UTF_16LE)
    } else if even > majority && odd <= stray {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

/// UTF-8 with a few broken sequences (truncated at the end, a bad byte here and there).
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut errors, mut multibyte, mut last_invalid_at_end) = (0usize, 0usize, false);
    for chunk in bytes.utf8_chunks() {
        multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        if !chunk.invalid().is_empty() {
            errors += 1;
        }
        last_invalid_at_end = !chunk.invalid().is_empty();
    }
    // A file cut in the middle of its last character is still UTF-8.
    let truncated_only = errors == 1 && last_invalid_at_end;
    multibyte > 0 && (truncated_only || errors * 20 <= multibyte)
}

/// Refuses decoded text that is mostly control characters or bytes decoding replaced. C1
/// controls and U+FFFD written in the file itself are mojibake, which is text to repair
/// (UTF-8 Chinese read as Latin-1 is a third C1 controls), not signs of a binary file.
fn check_textlike(decoded: Decoded) -> std::result::Result<Decoded, String> {
    let (mut total, mut bad) = (0usize, decoded.replacements);
    for c in decoded.text.chars() {
        total += 1;
        let control =
            c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\x0C' | '\u{80}'..='\u{9F}');
        if control {
            bad += 1;
        }
    }
    if total >= 8 && bad * 10 > total {
        return Err(format!(
            "{}% of its {} characters are control characters or undecodable bytes (read as {})",
            bad * 100 / total,
            total,
            encoding_label(decoded.encoding)
        ));
    }
    Ok(decoded)
}

/// Opens for reading without blocking on a FIFO that took a file's place after the folder
/// walk (O_NONBLOCK does not change reads of regular files; anything else is refused next).
#[cfg(unix)]
fn open_nonblocking(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> std::io::Result<File> {
    File::open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(name: &str) -> &'static Encoding {
        Encoding::for_label(name.as_bytes()).unwrap()
    }

    #[test]
    fn utf8_plain_and_with_bom() {
        let d = decode("工党 Labour".as_bytes()).unwrap();
        assert_eq!(
            (d.encoding, d.bom, d.text.as_str()),
            (encoding_rs::UTF_8, false, "工党 Labour")
        );
        let d = decode(b"\xEF\xBB\xBFhello").unwrap();
        assert_eq!(
            (d.encoding, d.bom, d.text.as_str()),
            (encoding_rs::UTF_8, true, "hello")
        );
    }

    #[test]
    fn utf16_with_bom_both_orders() {
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for u in "工党 NEC".encode_utf16() {
            le.extend(u.to_le_bytes());
            be.extend(u.to_be_bytes());
        }
        let d = decode(&le).unwrap();
        assert_eq!(
            (d.encoding.name(), d.bom, d.text.as_str()),
            ("UTF-16LE", true, "工党 NEC")
        );
        let d = decode(&be).unwrap();
        assert_eq!(
            (d.encoding.name(), d.bom, d.text.as_str()),
            ("UTF-16BE", true, "工党 NEC")
        );
    }

    #[test]
    fn utf16_without_bom_is_sniffed() {
        let text = "The NEC met on Monday.";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(decode(&le).unwrap().encoding.name(), "UTF-16LE");
        assert_eq!(decode(&be).unwrap().text, text);
    }

    #[test]
    fn legacy_encodings_are_detected() {
        let zh = "我们知道这种震惊和沮丧在工人运动中被广泛分享。工党的全国执行委员会必须召开紧急会议，讨论泄露的报告。";
        for (label, text, want) in [
            ("gb18030", zh, "GB18030"),
            (
                "big5",
                "我們知道這種震驚和沮喪在工人運動中被廣泛分享。工黨的全國執行委員會必須召開緊急會議。",
                "Big5",
            ),
            (
                "shift_jis",
                "労働党の全国執行委員会は、漏洩した報告書について緊急会議を開かなければならない。",
                "Shift_JIS",
            ),
            (
                "windows-1252",
                "Le comité exécutif a décidé d’adopter la résolution à l’unanimité.",
                "windows-1252",
            ),
        ] {
            let (bytes, _, unmappable) = enc(label).encode(text);
            assert!(!unmappable, "{label}");
            let d = decode(&bytes).unwrap();
            assert_eq!(encoding_label(d.encoding), want, "{label}");
            assert_eq!(d.text, text, "{label}");
            assert_eq!(d.replacements, 0);
        }
    }

    #[test]
    fn truncated_utf8_keeps_utf8_and_counts_replacements() {
        let mut bytes = "工党的全国执行委员会".as_bytes().to_vec();
        bytes.truncate(bytes.len() - 1);
        let d = decode(&bytes).unwrap();
        assert_eq!(d.encoding, encoding_rs::UTF_8);
        assert_eq!(d.replacements, 1);
        assert!(d.text.starts_with("工党的全国执行委员"));
    }

    #[test]
    fn mojibake_full_of_c1_controls_and_fffd_is_text() {
        // UTF-8 Chinese read as Latin-1 and saved as UTF-8: about a third C1 controls.
        let garbled: String = "工党全国执行委员会今天公布了选举结果"
            .bytes()
            .map(char::from)
            .collect();
        assert!(decode(garbled.as_bytes()).is_ok());
        let lossy = "宸ュ厷鍏ㄥ浗鎵ц\u{FFFD}屽\u{FFFD}斿憳浼\u{FFFD}";
        assert!(decode(lossy.as_bytes()).is_ok());
    }

    #[test]
    fn binary_is_refused() {
        let err = decode(b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0").unwrap_err();
        assert!(err.contains("NUL"), "{err}");
        let noise: Vec<u8> = (0u8..=255)
            .cycle()
            .skip(1)
            .take(600)
            .filter(|&b| b != 0)
            .collect();
        let err = decode(&noise).unwrap_err();
        assert!(err.contains("control characters"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn reading_a_fifo_never_blocks() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("f");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let err = read_document(&fifo, ReadOptions::default()).unwrap_err();
        assert!(err.to_string().contains("not a regular file"), "{err}");
    }

    #[test]
    fn empty_and_bom_only_are_empty_text() {
        let d = decode(b"").unwrap();
        assert_eq!((d.text.as_str(), d.bom), ("", false));
        let d = decode(b"\xEF\xBB\xBF").unwrap();
        assert_eq!((d.text.as_str(), d.bom), ("", true));
    }
}
