//! DOCX: the text of a Word document's XML parts, paragraph by paragraph, and repairs written
//! back into those parts with every other zip entry copied byte for byte.
//!
//! The text parts are the body (`word/document.xml`, table cells and text boxes included),
//! then the headers, footers, footnotes and endnotes; comments are left out. Each paragraph
//! (`w:p`) is a block; the text of its `w:t` elements runs on across run boundaries, so a term
//! split over two differently formatted runs is read (and repaired) as one. Field codes,
//! deleted and moved-away text, and the fallback of `mc:AlternateContent` are not read.

use std::fmt;
use std::io::{Cursor, Read, Write};
use std::ops::Range;

use encoding_rs::Encoding;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;
use zip::result::ZipError;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use super::extract::{Extract, PieceKind};

/// The most zip entries a package may hold: Word writes a few dozen.
const MAX_ENTRIES: usize = 10_000;

/// The WordprocessingML namespaces (transitional, as Word writes; strict ISO 29500).
const W_NAMESPACES: [&str; 2] = [
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
];

/// The markup-compatibility namespace of `mc:AlternateContent`.
const MC_NAMESPACE: &str = "http://schemas.openxmlformats.org/markup-compatibility/2006";

/// Whether a zip holds `word/document.xml` (checked on the central directory names).
pub fn looks_like_docx(bytes: &[u8]) -> bool {
    bytes.windows(17).any(|w| w == b"word/document.xml")
}

/// A DOCX package as read: its bytes and the XML parts whose text was extracted.
#[derive(Clone)]
pub struct Package {
    /// The package as read: every entry that is not rewritten is copied from here.
    bytes: Vec<u8>,
    /// The text parts, in part-index order.
    parts: Vec<Part>,
}

/// One XML part whose text was extracted.
#[derive(Clone)]
struct Part {
    /// The zip entry's index in the package.
    entry: usize,
    name: String,
    /// The part decoded, without its byte order mark: the source the pieces point into.
    xml: String,
    encoding: PartEncoding,
}

/// How a part's bytes were encoded, so a rewritten part is encoded the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PartEncoding {
    Utf8 {
        bom: bool,
    },
    Utf16 {
        big_endian: bool,
        bom: bool,
    },
    /// Another encoding its XML declaration names (`windows-1252`, `GBK`, ...).
    Other(&'static Encoding),
}

impl fmt::Debug for Package {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Package")
            .field("bytes", &self.bytes.len())
            .field("parts", &self.part_names())
            .finish()
    }
}

impl Package {
    /// The package's bytes as read: for a package read back from [`write`], the file to save.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The names of the text parts in part-index order (`word/document.xml`,
    /// `word/header1.xml`, ...).
    pub fn part_names(&self) -> Vec<&str> {
        self.parts.iter().map(|p| p.name.as_str()).collect()
    }

    /// The XML text of each part, in part-index order (what `Extract::write_back` takes as
    /// `parts`).
    pub fn parts(&self) -> Vec<&str> {
        self.parts.iter().map(|p| p.xml.as_str()).collect()
    }
}

/// Reads a DOCX from its bytes: every text part is inflated through a bound of `max_size`
/// bytes (and so is their total), whatever its header declares, so a zip bomb is refused; a
/// package without `word/document.xml` is refused too.
pub fn read(bytes: &[u8], max_size: u64) -> Result<(Package, Extract), String> {
    let mut archive = open(bytes)?;
    let mut found: Vec<((u8, u64, String), usize)> = Vec::new();
    for (entry, name) in archive.file_names_raw().enumerate() {
        if let Ok(name) = std::str::from_utf8(name)
            && let Some((rank, number)) = part_rank(name)
        {
            found.push(((rank, number, name.to_string()), entry));
        }
    }
    if found.iter().all(|((rank, _, _), _)| *rank != 0) {
        return Err("no word/document.xml: not a Word document".to_string());
    }
    found.sort();

    let mut parts = Vec::with_capacity(found.len());
    let mut extract = Extract::default();
    let mut budget = max_size;
    for (index, ((_, _, name), entry)) in found.into_iter().enumerate() {
        let raw = inflate(&mut archive, entry, &name, budget, max_size)?;
        budget -= raw.len() as u64;
        let (xml, encoding) = decode(&name, raw)?;
        Walker::new(&mut extract, index)
            .walk(&xml)
            .map_err(|e| format!("{name}: {e}"))?;
        parts.push(Part {
            entry,
            name,
            xml,
            encoding,
        });
    }
    let package = Package {
        bytes: bytes.to_vec(),
        parts,
    };
    Ok((package, extract))
}

/// The package with its text parts replaced by `new_parts` (same order): every other entry,
/// and every part left unchanged, is copied byte for byte (its compressed data as stored);
/// the rewritten parts are deflated; the entry order is kept.
pub fn write(package: &Package, new_parts: &[String]) -> Result<Vec<u8>, String> {
    if new_parts.len() != package.parts.len() {
        return Err(format!(
            "{} parts given for a package of {} text parts",
            new_parts.len(),
            package.parts.len()
        ));
    }
    let mut archive = open(&package.bytes)?;
    let mut rewritten: Vec<Option<(&Part, &str)>> = vec![None; archive.len()];
    for (part, new) in package.parts.iter().zip(new_parts) {
        if *new != part.xml
            && let Some(slot) = rewritten.get_mut(part.entry)
        {
            *slot = Some((part, new.as_str()));
        }
    }
    let fail = |e: ZipError| format!("cannot write the package: {e}");
    let mut out = ZipWriter::new(Cursor::new(Vec::new()));
    for (entry, rewrite) in rewritten.into_iter().enumerate() {
        let file = archive
            .by_index_raw(entry)
            .map_err(|e| zip_error("the package", e))?;
        match rewrite {
            None => out.raw_copy_file(file).map_err(fail)?,
            Some((part, new)) => {
                let xml = preserve_spaces(&part.xml, new)
                    .map_err(|e| format!("{} as rewritten: {e}", part.name))?;
                let data = encode(&xml, part.encoding);
                let options = file
                    .options()
                    .compression_method(CompressionMethod::Deflated)
                    .large_file(data.len() as u64 >= u64::from(u32::MAX));
                out.start_file(part.name.as_str(), options).map_err(fail)?;
                out.write_all(&data)
                    .map_err(|e| format!("cannot write the package: {e}"))?;
            }
        }
    }
    out.set_raw_comment(archive.comment().into())
        .map_err(fail)?;
    Ok(out.finish().map_err(fail)?.into_inner())
}

/// The zip archive over `bytes`, or why it is not one transmend can read.
fn open(bytes: &[u8]) -> Result<ZipArchive<Cursor<&[u8]>>, String> {
    if bytes.starts_with(b"\xD0\xCF\x11\xE0") {
        return Err(
            "an encrypted DOCX or a legacy .doc file (OLE compound file), \
                    not a DOCX zip package: save it as an unprotected .docx"
                .to_string(),
        );
    }
    let archive = ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("not a DOCX (zip) package: {e}"))?;
    if archive.len() > MAX_ENTRIES {
        return Err(format!(
            "the package holds {} entries, more than the {MAX_ENTRIES} allowed",
            archive.len()
        ));
    }
    if archive.has_duplicate_names() {
        return Err("the package holds two entries of the same name".to_string());
    }
    Ok(archive)
}

/// Where a zip entry name stands among the text parts (body, headers, footers, footnotes,
/// endnotes; headers and footers by number), or `None` if it is not one.
fn part_rank(name: &str) -> Option<(u8, u64)> {
    let numbered = |prefix: &str| {
        let n = name.strip_prefix(prefix)?.strip_suffix(".xml")?;
        n.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| n.parse().unwrap_or(u64::MAX))
    };
    match name {
        "word/document.xml" => Some((0, 0)),
        "word/footnotes.xml" => Some((3, 0)),
        "word/endnotes.xml" => Some((4, 0)),
        _ => numbered("word/header")
            .map(|n| (1, n))
            .or_else(|| numbered("word/footer").map(|n| (2, n))),
    }
}

/// The inflated bytes of entry `entry`, refused past `budget` bytes (what is left of
/// `max_size` after the parts read before it). The declared size is not trusted.
fn inflate(
    archive: &mut ZipArchive<Cursor<&[u8]>>,
    entry: usize,
    name: &str,
    budget: u64,
    max_size: u64,
) -> Result<Vec<u8>, String> {
    let file = archive.by_index(entry).map_err(|e| zip_error(name, e))?;
    let method = file.compression();
    if !matches!(
        method,
        CompressionMethod::Stored | CompressionMethod::Deflated
    ) {
        return Err(format!(
            "{name} is compressed with {method:?}: only stored and deflated entries are read"
        ));
    }
    let mut raw = Vec::new();
    file.take(budget.saturating_add(1))
        .read_to_end(&mut raw)
        .map_err(|e| format!("{name}: cannot inflate: {e}"))?;
    if raw.len() as u64 > budget {
        let whose = if budget < max_size {
            " (with the parts before it)"
        } else {
            ""
        };
        return Err(format!(
            "{name} inflates past the size limit of {max_size} bytes{whose}: \
             refused as a possible zip bomb"
        ));
    }
    Ok(raw)
}

/// A zip error about `what`, in words.
fn zip_error(what: &str, e: ZipError) -> String {
    match e {
        ZipError::UnsupportedArchive(ZipError::PASSWORD_REQUIRED) | ZipError::InvalidPassword => {
            format!("{what} is encrypted: transmend cannot read password-protected documents")
        }
        ZipError::CompressionMethodNotSupported(method) => format!(
            "{what} uses zip compression method {method}: only stored and deflated are read"
        ),
        e => format!("{what}: {e}"),
    }
}

/// A part's text and encoding: UTF-8 (as Word writes), UTF-16 by its byte order mark or
/// first characters, or another encoding its XML declaration names.
fn decode(name: &str, raw: Vec<u8>) -> Result<(String, PartEncoding), String> {
    let invalid = |enc: &str| format!("{name} is not valid {enc}");
    let utf16 = |bytes: &[u8], big_endian: bool, bom: bool| {
        let enc = if big_endian {
            encoding_rs::UTF_16BE
        } else {
            encoding_rs::UTF_16LE
        };
        enc.decode_without_bom_handling_and_without_replacement(bytes)
            .map(|s| (s.into_owned(), PartEncoding::Utf16 { big_endian, bom }))
            .ok_or_else(|| invalid("UTF-16"))
    };
    if let Some(rest) = raw.strip_prefix(b"\xEF\xBB\xBF") {
        let xml = std::str::from_utf8(rest).map_err(|_| invalid("UTF-8"))?;
        return Ok((xml.to_string(), PartEncoding::Utf8 { bom: true }));
    }
    if let Some(rest) = raw.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, false, true);
    }
    if let Some(rest) = raw.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, true, true);
    }
    if raw.starts_with(b"<\0?\0") {
        return utf16(&raw, false, false);
    }
    if raw.starts_with(b"\0<\0?") {
        return utf16(&raw, true, false);
    }
    let encoding = match declared_encoding(&raw) {
        None => encoding_rs::UTF_8,
        Some(label) => Encoding::for_label(label.as_bytes())
            .filter(|e| e.output_encoding() == *e)
            .ok_or_else(|| format!("{name} declares an encoding transmend cannot read: {label}"))?,
    };
    if encoding == encoding_rs::UTF_8 {
        let xml = String::from_utf8(raw).map_err(|_| invalid("UTF-8"))?;
        return Ok((xml, PartEncoding::Utf8 { bom: false }));
    }
    encoding
        .decode_without_bom_handling_and_without_replacement(&raw)
        .map(|s| (s.into_owned(), PartEncoding::Other(encoding)))
        .ok_or_else(|| invalid(encoding.name()))
}

/// The `encoding` an ASCII-compatible XML declaration names, if any.
fn declared_encoding(raw: &[u8]) -> Option<String> {
    let decl = raw.strip_prefix(b"<?xml")?;
    let decl = &decl[..decl.windows(2).position(|w| w == b"?>")?];
    let at = decl.windows(8).position(|w| w == b"encoding")?;
    let rest = decl[at + 8..].trim_ascii_start().strip_prefix(b"=")?;
    let rest = rest.trim_ascii_start();
    let (&quote, rest) = rest.split_first()?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    let value = &rest[..rest.iter().position(|&b| b == quote)?];
    Some(String::from_utf8_lossy(value).into_owned())
}

/// A part's text encoded back as it was read.
fn encode(xml: &str, encoding: PartEncoding) -> Vec<u8> {
    match encoding {
        PartEncoding::Utf8 { bom } => {
            let mut out = Vec::with_capacity(xml.len() + 3);
            if bom {
                out.extend_from_slice(b"\xEF\xBB\xBF");
            }
            out.extend_from_slice(xml.as_bytes());
            out
        }
        PartEncoding::Utf16 { big_endian, bom } => {
            let bom = bom.then_some(0xFEFF);
            let units = bom.into_iter().chain(xml.encode_utf16());
            if big_endian {
                units.flat_map(u16::to_be_bytes).collect()
            } else {
                units.flat_map(u16::to_le_bytes).collect()
            }
        }
        // Characters the encoding lacks become character references (`&#20013;`), which
        // is what they mean in the text content a repair writes.
        PartEncoding::Other(encoding) => encoding.encode(xml).0.into_owned(),
    }
}

/// The elements the reader acts on (WordprocessingML and markup compatibility).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    Paragraph,
    Run,
    Text,
    Tab,
    /// `w:br`, `w:cr`: a line break.
    Break,
    NoBreakHyphen,
    FieldChar,
    Lang,
    /// Text that is not shown: field codes, deleted and moved-away text.
    Hidden,
    /// A mark or object inside a paragraph (a note reference, a drawing, a symbol): text
    /// on either side of it does not run on.
    Object,
    AlternateContent,
    Choice,
    Fallback,
    Other,
}

impl Tag {
    /// The tag of an element by its resolved namespace and local name.
    fn of(ns: &ResolveResult<'_>, local: &str) -> Tag {
        let ResolveResult::Bound(ns) = ns else {
            return Tag::Other;
        };
        if ns.0 == MC_NAMESPACE {
            return match local {
                "AlternateContent" => Tag::AlternateContent,
                "Choice" => Tag::Choice,
                "Fallback" => Tag::Fallback,
                _ => Tag::Other,
            };
        }
        if !W_NAMESPACES.contains(&ns.0) {
            return Tag::Other;
        }
        match local {
            "p" => Tag::Paragraph,
            "r" => Tag::Run,
            "t" => Tag::Text,
            "tab" => Tag::Tab,
            "br" | "cr" => Tag::Break,
            "noBreakHyphen" => Tag::NoBreakHyphen,
            "fldChar" => Tag::FieldChar,
            "lang" => Tag::Lang,
            "instrText" | "delText" | "delInstrText" | "del" | "moveFrom" => Tag::Hidden,
            "footnoteReference" | "endnoteReference" | "footnoteRef" | "endnoteRef" | "drawing"
            | "pict" | "object" | "sym" | "ptab" => Tag::Object,
            _ => Tag::Other,
        }
    }
}

/// One stretch of a `w:t` element's content before it is pushed.
struct Bit {
    text: String,
    source: Range<usize>,
    kind: PieceKind,
}

/// Reads one part's paragraphs into an [`Extract`].
struct Walker<'x> {
    extract: &'x mut Extract,
    part: usize,
    /// The next text runs on from the last piece (same paragraph, nothing shown between).
    joinable: bool,
    /// Per open field (`w:fldChar` begin .. end): whether it is still in its code.
    fields: Vec<bool>,
    /// How many of the open fields are in their code: text there is not shown.
    in_code: usize,
    /// Per open `mc:AlternateContent`: whether a choice was taken.
    alternates: Vec<bool>,
    /// The open elements.
    open: Vec<Tag>,
    /// Whether the language hint is still to be looked for (body part, first `w:lang`).
    want_lang: bool,
}

impl<'x> Walker<'x> {
    fn new(extract: &'x mut Extract, part: usize) -> Walker<'x> {
        Walker {
            extract,
            part,
            joinable: false,
            fields: Vec::new(),
            in_code: 0,
            alternates: Vec::new(),
            open: Vec::new(),
            want_lang: part == 0,
        }
    }

    /// Reads `xml`, block by block.
    fn walk(mut self, xml: &str) -> Result<(), String> {
        let mut reader = NsReader::from_str(xml);
        let fail = |reader: &NsReader<&[u8]>, e: quick_xml::Error| {
            format!("malformed XML at byte {}: {e}", reader.error_position())
        };
        loop {
            let (tag, event) = match reader.read_resolved_event() {
                Ok((ns, event)) => {
                    let tag = match &event {
                        Event::Start(e) | Event::Empty(e) => Tag::of(&ns, e.local_name().as_ref()),
                        _ => Tag::Other,
                    };
                    (tag, event)
                }
                Err(e) => return Err(fail(&reader, e)),
            };
            match event {
                Event::Start(e) => {
                    let skip = match tag {
                        Tag::Hidden | Tag::Fallback => true,
                        Tag::Text => self.in_code > 0,
                        Tag::Choice => match self.alternates.last_mut() {
                            // The first choice is what Word 2010 and later, and LibreOffice,
                            // show; the others and the fallback repeat its content.
                            Some(taken @ false) => {
                                *taken = true;
                                false
                            }
                            _ => true,
                        },
                        _ => false,
                    };
                    if skip {
                        reader
                            .read_to_end(e.name())
                            .map_err(|err| fail(&reader, err))?;
                        continue;
                    }
                    if tag == Tag::Text {
                        let preserve = preserves_space(&e);
                        self.text(&mut reader, xml, preserve)
                            .map_err(|err| fail(&reader, err))?;
                        continue;
                    }
                    self.element(tag, &e);
                    self.open.push(tag);
                }
                Event::Empty(e) if tag != Tag::Text => self.element(tag, &e),
                Event::End(_) => match self.open.pop() {
                    Some(Tag::Paragraph) => self.end_block(),
                    Some(Tag::AlternateContent) => {
                        self.alternates.pop();
                    }
                    _ => {}
                },
                Event::Eof => break,
                _ => {}
            }
        }
        self.end_block();
        Ok(())
    }

    /// Acts on an element that opens (or is empty): a paragraph starts a block, a tab or
    /// break is a gap, a field character moves in or out of a field's code.
    fn element(&mut self, tag: Tag, e: &BytesStart<'_>) {
        let in_run = self.open.last() == Some(&Tag::Run);
        match tag {
            Tag::Paragraph => self.end_block(),
            Tag::AlternateContent => self.alternates.push(false),
            Tag::FieldChar => match attribute(e, "fldCharType").as_deref() {
                Some("begin") => {
                    self.fields.push(true);
                    self.in_code += 1;
                }
                Some("separate") => {
                    if let Some(code @ true) = self.fields.last_mut() {
                        *code = false;
                        self.in_code -= 1;
                    }
                }
                Some("end") => {
                    let in_code = self.fields.pop() == Some(true);
                    self.in_code -= usize::from(in_code);
                }
                _ => {}
            },
            Tag::Lang if self.want_lang => {
                self.want_lang = false;
                self.extract.lang_hint = lang_hint(e);
            }
            _ if self.in_code > 0 || !in_run => {}
            Tag::Tab => self.gap("\t"),
            Tag::Break => {
                let text = &self.extract.text;
                if !text.is_empty() && !text.ends_with("\n\n") {
                    self.gap("\n");
                }
            }
            Tag::NoBreakHyphen => self.gap("\u{2011}"),
            Tag::Object => self.joinable = false,
            _ => {}
        }
    }

    /// Reads a `w:t` element's content (its start tag just read) up to its end tag.
    fn text(
        &mut self,
        reader: &mut NsReader<&[u8]>,
        xml: &str,
        preserve: bool,
    ) -> Result<(), quick_xml::Error> {
        let mut bits = Vec::new();
        loop {
            let start = position(reader);
            let event = reader.read_event()?;
            let source = start..position(reader);
            let raw = xml.get(source.clone()).unwrap_or("");
            match event {
                Event::Text(_) => bits.push(Bit {
                    text: raw.to_string(),
                    source,
                    kind: PieceKind::Verbatim,
                }),
                Event::GeneralRef(r) => {
                    let decoded = match r.resolve_char_ref() {
                        Ok(Some(c)) => Some(c.to_string()),
                        Ok(None) => resolve_predefined_entity(&r).map(str::to_string),
                        Err(_) => None,
                    };
                    bits.push(match decoded {
                        Some(text) => Bit {
                            text,
                            source,
                            kind: PieceKind::Decoded,
                        },
                        // An entity of a DTD, or a character reference XML does not allow:
                        // shown as written, never rewritten.
                        None => Bit {
                            text: raw.to_string(),
                            source,
                            kind: PieceKind::ReadOnly,
                        },
                    });
                }
                Event::CData(_) => bits.push(Bit {
                    text: raw
                        .strip_prefix("<![CDATA[")
                        .and_then(|s| s.strip_suffix("]]>"))
                        .unwrap_or("")
                        .to_string(),
                    source,
                    kind: PieceKind::ReadOnly,
                }),
                Event::Start(e) => {
                    reader.read_to_end(e.name())?;
                }
                Event::End(_) | Event::Eof => break,
                _ => {}
            }
        }
        if !preserve {
            trim_edges(&mut bits);
        }
        for bit in bits {
            self.push(&bit.text, bit.source, bit.kind);
        }
        Ok(())
    }

    /// Appends a piece, joined to the one before when the text runs on.
    fn push(&mut self, text: &str, source: Range<usize>, kind: PieceKind) {
        if text.is_empty() {
            return;
        }
        if self.joinable {
            self.extract.join_last();
        }
        self.extract.push(text, source, self.part, kind);
        self.joinable = true;
    }

    /// Appends text that stands for an element (a tab, a line break), not source bytes.
    fn gap(&mut self, text: &str) {
        self.extract.push_gap(text);
        self.joinable = false;
    }

    fn end_block(&mut self) {
        self.extract.end_block();
        self.joinable = false;
    }
}

/// Drops the white space at the edges of a `w:t` without `xml:space="preserve"`: Word does
/// not show it. Only verbatim text is trimmed (`&#32;` is a space written on purpose).
fn trim_edges(bits: &mut Vec<Bit>) {
    let is_space = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r');
    while let Some(first) = bits.first_mut()
        && first.kind == PieceKind::Verbatim
    {
        let trimmed = first.text.trim_start_matches(is_space).len();
        first.source.start += first.text.len() - trimmed;
        first.text.drain(..first.text.len() - trimmed);
        if !first.text.is_empty() {
            break;
        }
        bits.remove(0);
    }
    while let Some(last) = bits.last_mut()
        && last.kind == PieceKind::Verbatim
    {
        let trimmed = last.text.trim_end_matches(is_space).len();
        last.source.end -= last.text.len() - trimmed;
        last.text.truncate(trimmed);
        if !last.text.is_empty() {
            break;
        }
        bits.pop();
    }
}

/// The reader's byte offset in the part.
fn position(reader: &NsReader<&[u8]>) -> usize {
    usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX)
}

/// The value of the attribute with local name `local` (`w:fldCharType`, `w:val`), if any.
fn attribute(e: &BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// Whether a `w:t` start tag carries `xml:space="preserve"`.
fn preserves_space(e: &BytesStart<'_>) -> bool {
    e.attributes()
        .flatten()
        .any(|a| a.key.as_ref() == "xml:space" && &*a.value == "preserve")
}

/// The language a `w:lang` names: `w:val`, or `w:eastAsia` alone; none when the two name
/// different languages (Word sets both for any text typed with East Asian support on).
fn lang_hint(e: &BytesStart<'_>) -> Option<String> {
    let primary = |tag: &str| {
        tag.split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase()
    };
    match (attribute(e, "val"), attribute(e, "eastAsia")) {
        (Some(val), Some(east)) if primary(&val) != primary(&east) => None,
        (Some(val), _) => Some(val),
        (None, east) => east,
    }
}

/// Where a `w:t` element sits in a part: the `>` of its start tag, whether it has an
/// `xml:space` attribute, and its content.
struct TextElement {
    tag_end: usize,
    has_space: bool,
    content: Range<usize>,
}

/// The `w:t` elements of a part, in order; an error if the part is not well-formed.
fn text_elements(xml: &str) -> Result<Vec<TextElement>, String> {
    let mut reader = NsReader::from_str(xml);
    let mut out = Vec::new();
    let mut open: Option<(usize, bool)> = None;
    loop {
        let before = position(&reader);
        let (tag, event) = match reader.read_resolved_event() {
            Ok((ns, event)) => {
                let tag = match &event {
                    Event::Start(e) => Tag::of(&ns, e.local_name().as_ref()),
                    Event::End(e) => Tag::of(&ns, e.local_name().as_ref()),
                    _ => Tag::Other,
                };
                (tag, event)
            }
            Err(e) => {
                return Err(format!(
                    "malformed XML at byte {}: {e}",
                    reader.error_position()
                ));
            }
        };
        match event {
            Event::Start(e) if tag == Tag::Text => {
                let has_space = e
                    .attributes()
                    .flatten()
                    .any(|a| a.key.as_ref() == "xml:space");
                open = Some((position(&reader).saturating_sub(1), has_space));
            }
            Event::End(_) if tag == Tag::Text => {
                if let Some((tag_end, has_space)) = open.take() {
                    out.push(TextElement {
                        tag_end,
                        has_space,
                        content: tag_end + 1..before,
                    });
                }
            }
            Event::Eof => return Ok(out),
            _ => {}
        }
    }
}

/// `new` (a rewrite of `old`) with ` xml:space="preserve"` added to each `w:t` the rewrite
/// changed whose content now starts or ends with white space it did not before: without it
/// Word would drop the space. Other bytes are kept, and so is an `xml:space` already there.
fn preserve_spaces(old: &str, new: &str) -> Result<String, String> {
    let before = text_elements(old)?;
    let after = text_elements(new)?;
    if before.len() != after.len() {
        // The rewrite changed the markup, not only text: nothing to pair up.
        return Ok(new.to_string());
    }
    let is_space = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r');
    let starts = |s: &str| s.starts_with(is_space);
    let ends = |s: &str| s.ends_with(is_space);
    let mut inserts = Vec::new();
    for (b, a) in before.iter().zip(&after) {
        let (old_text, new_text) = (&old[b.content.clone()], &new[a.content.clone()]);
        if !a.has_space
            && old_text != new_text
            && ((starts(new_text) && !starts(old_text)) || (ends(new_text) && !ends(old_text)))
        {
            inserts.push(a.tag_end);
        }
    }
    let mut out = new.to_string();
    for at in inserts.into_iter().rev() {
        out.insert_str(at, " xml:space=\"preserve\"");
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::{Edit, Format};
    use zip::write::SimpleFileOptions;

    const W: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
         xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" \
         xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\" \
         xmlns:wps=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\" \
         mc:Ignorable=\"wps\"";

    const DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

    fn document() -> String {
        let body = [
            // 劳动派对 split over two runs, the second bold; the tab stop is no text.
            "<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"720\"/></w:tabs></w:pPr>\
             <w:r><w:rPr><w:lang w:val=\"zh-CN\" w:eastAsia=\"zh-CN\"/></w:rPr><w:t>英国</w:t></w:r>\
             <w:r><w:t>劳动</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>派对</w:t></w:r>\
             <w:r><w:t>与托里</w:t></w:r></w:p>",
            "<w:p><w:r><w:t xml:space=\"preserve\">Ian </w:t></w:r><w:r><w:t>Lvery</w:t></w:r>\
             <w:r><w:t xml:space=\"preserve\"> &amp; </w:t></w:r><w:r><w:t>&#x4E2D;国</w:t></w:r></w:p>",
            // A field (its code not shown, its result shown), deleted text, a hyperlink.
            "<w:p><w:r><w:t>见</w:t></w:r><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>\
             <w:r><w:instrText xml:space=\"preserve\"> REF 托里 \\h </w:instrText></w:r>\
             <w:r><w:t>CODE</w:t></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>\
             <w:r><w:t>结果</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>\
             <w:del w:id=\"1\" w:author=\"x\"><w:r><w:delText>删除</w:delText></w:r></w:del>\
             <w:hyperlink r:id=\"rId9\"><w:r><w:t>链接</w:t></w:r></w:hyperlink></w:p>",
            // A text box in both forms: the choice is read, the fallback not.
            "<w:p><w:r><w:t>图：</w:t></w:r><w:r><mc:AlternateContent>\
             <mc:Choice Requires=\"wps\"><w:drawing><wps:txbx><w:txbxContent>\
             <w:p><w:r><w:t>框内</w:t></w:r></w:p></w:txbxContent></wps:txbx></w:drawing></mc:Choice>\
             <mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>VML</w:t></w:r></w:p>\
             </w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>\
             <w:r><w:t>完</w:t></w:r></w:p>",
            "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>托里党</w:t></w:r></w:p></w:tc>\
             <w:tc><w:p><w:r><w:t>工党</w:t></w:r></w:p></w:tc></w:tr></w:tbl>",
            "<w:p><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t></w:r></w:p>",
            "<w:p><w:r><w:t>Keir</w:t></w:r><w:r><w:rPr><w:i/></w:rPr><w:t>Starmer</w:t></w:r></w:p>",
        ]
        .concat();
        format!("{DECL}<w:document {W}>\n<w:body>\n{body}\n<w:sectPr/></w:body></w:document>")
    }

    fn header() -> String {
        format!("{DECL}<w:hdr {W}><w:p><w:r><w:t>页眉 托里</w:t></w:r></w:p></w:hdr>")
    }

    fn footnotes() -> String {
        format!(
            "{DECL}<w:footnotes {W}>\
             <w:footnote w:type=\"separator\" w:id=\"-1\"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>\
             <w:footnote w:id=\"1\"><w:p><w:r><w:footnoteRef/></w:r>\
             <w:r><w:t xml:space=\"preserve\"> 脚注 Ian Lvery</w:t></w:r></w:p></w:footnote>\
             </w:footnotes>"
        )
    }

    const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
        <Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
        <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
        <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
        <Default Extension=\"png\" ContentType=\"image/png\"/>\
        <Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
        <Override PartName=\"/word/header1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>\
        <Override PartName=\"/word/footnotes.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml\"/>\
        <Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
        </Types>";

    const RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
        <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
        <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
        </Relationships>";

    const DOCUMENT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
        <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
        <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>\
        <Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/header\" Target=\"header1.xml\"/>\
        <Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes\" Target=\"footnotes.xml\"/>\
        <Relationship Id=\"rId4\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"media/image1.png\"/>\
        <Relationship Id=\"rId9\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink\" Target=\"https://example.org/\" TargetMode=\"External\"/>\
        </Relationships>";

    fn styles() -> String {
        format!(
            "{DECL}<w:styles {W}><w:docDefaults><w:rPrDefault><w:rPr>\
             <w:lang w:val=\"en-GB\" w:eastAsia=\"zh-CN\"/></w:rPr></w:rPrDefault></w:docDefaults>\
             <w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/></w:style>\
             </w:styles>"
        )
    }

    /// A zip of `entries` (name, bytes, stored uncompressed or deflated).
    fn zip_of(entries: &[(&str, &[u8], bool)]) -> Vec<u8> {
        let mut w = ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data, stored) in entries {
            let method = if *stored {
                CompressionMethod::Stored
            } else {
                CompressionMethod::Deflated
            };
            let options = SimpleFileOptions::default().compression_method(method);
            w.start_file(*name, options).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR not really an image \xff\xfe\x00\x01";

    fn sample_docx() -> Vec<u8> {
        let (document, header, footnotes, styles) = (document(), header(), footnotes(), styles());
        zip_of(&[
            ("[Content_Types].xml", CONTENT_TYPES.as_bytes(), false),
            ("_rels/.rels", RELS.as_bytes(), false),
            ("word/document.xml", document.as_bytes(), false),
            (
                "word/_rels/document.xml.rels",
                DOCUMENT_RELS.as_bytes(),
                false,
            ),
            ("word/header1.xml", header.as_bytes(), false),
            ("word/footnotes.xml", footnotes.as_bytes(), false),
            ("word/styles.xml", styles.as_bytes(), false),
            ("word/media/image1.png", PNG, true),
        ])
    }

    /// Every entry's name and its data as stored (compressed), in order.
    fn raw_entries(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
        let mut archive = ZipArchive::new(Cursor::new(bytes)).unwrap();
        (0..archive.len())
            .map(|i| {
                let mut file = archive.by_index_raw(i).unwrap();
                let mut data = Vec::new();
                file.read_to_end(&mut data).unwrap();
                (file.name().unwrap().to_string(), data)
            })
            .collect()
    }

    /// The inflated content of entry `name`.
    fn content(bytes: &[u8], name: &str) -> String {
        let mut archive = ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut s = String::new();
        archive
            .by_name(name)
            .unwrap()
            .read_to_string(&mut s)
            .unwrap();
        s
    }

    fn edit(x: &Extract, old: &str, new: &str) -> Edit {
        let at = x.text.find(old).unwrap();
        Edit {
            range: at..at + old.len(),
            replacement: new.to_string(),
        }
    }

    #[test]
    fn the_text_is_read_paragraph_by_paragraph() {
        let (package, x) = read(&sample_docx(), 1 << 20).unwrap();
        assert_eq!(
            package.part_names(),
            [
                "word/document.xml",
                "word/header1.xml",
                "word/footnotes.xml"
            ]
        );
        let expected = [
            "英国劳动派对与托里",
            "Ian Lvery & 中国",
            "见结果链接",
            "图：",
            "框内",
            "完",
            "托里党",
            "工党",
            "a\tb\nc",
            "KeirStarmer",
            "页眉 托里",
            " 脚注 Ian Lvery",
        ]
        .join("\n\n")
            + "\n\n";
        assert_eq!(x.text, expected);
        for hidden in ["CODE", "REF", "删除", "VML"] {
            assert!(!x.text.contains(hidden), "{hidden}");
        }
        assert_eq!(x.lang_hint.as_deref(), Some("zh-CN"));
        let term = edit(&x, "劳动派对", "");
        assert_eq!(x.unwritable(term.range), None);
        // A tab ends the run-on: a repair over it is refused.
        let tab = x.text.find("a\tb").unwrap();
        assert!(x.unwritable(tab..tab + 3).is_some());
    }

    #[test]
    fn pieces_point_at_their_source() {
        let (package, x) = read(&sample_docx(), 1 << 20).unwrap();
        let parts = package.parts();
        let mut decoded = 0;
        for p in &x.pieces {
            let source = &parts[p.part][p.source.clone()];
            match p.kind {
                PieceKind::Verbatim => assert_eq!(source, &x.text[p.text.clone()]),
                PieceKind::Decoded => {
                    decoded += 1;
                    assert!(source.starts_with('&') && source.ends_with(';'), "{source}");
                }
                PieceKind::ReadOnly => panic!("no read-only piece expected: {source}"),
            }
        }
        assert_eq!(decoded, 2);
        let amp = x.text.find('&').unwrap();
        let (part, at) = x.source_offset(amp, false).unwrap();
        assert!(parts[part][at..].starts_with("&amp;"));
    }

    #[test]
    fn a_repair_across_runs_goes_into_the_first_and_the_rest_is_copied() {
        let original = sample_docx();
        let (package, x) = read(&original, 1 << 20).unwrap();
        let keir = x.text.find("Keir").unwrap() + 4;
        let mut edits = vec![
            edit(&x, "劳动派对", "工党"),
            Edit {
                range: keir..keir,
                replacement: " ".to_string(),
            },
        ];
        edits.extend(x.text.match_indices("Lvery").map(|(at, _)| Edit {
            range: at..at + 5,
            replacement: "Lavery".to_string(),
        }));
        let (parts, written) = x.write_back(Format::Docx.escaper(), &package.parts(), &edits);
        assert_eq!(written.len(), 4);
        assert!(
            parts[0]
                .contains("<w:r><w:t>工党</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t></w:t></w:r>")
        );
        assert!(parts[0].contains("<w:t>Keir </w:t>"));
        assert!(parts[2].contains("Ian Lavery"));

        let out = write(&package, &parts).unwrap();
        let document = content(&out, "word/document.xml");
        assert!(document.contains("<w:t xml:space=\"preserve\">Keir </w:t>"));
        // Only the changed `w:t` gets the attribute.
        assert!(document.contains("<w:t>Lavery</w:t>"));
        assert_eq!(document.matches("xml:space").count(), 4);

        let (again, y) = read(&out, 1 << 20).unwrap();
        assert!(y.text.contains("英国工党与托里"));
        assert!(y.text.contains("Ian Lavery & 中国"));
        assert!(y.text.contains("Keir Starmer"));
        assert!(y.text.contains("脚注 Ian Lavery"));

        // Same entries in the same order; those not rewritten keep their stored bytes.
        let (before, after) = (raw_entries(&original), raw_entries(&out));
        let names = |e: &[(String, Vec<u8>)]| e.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
        assert_eq!(names(&before), names(&after));
        for ((name, a), (_, b)) in before.iter().zip(&after) {
            if name != "word/document.xml" && name != "word/footnotes.xml" {
                assert_eq!(a, b, "{name}");
            }
        }

        // Every XML part still parses.
        for (name, _) in &after {
            if name.ends_with(".xml") || name.ends_with(".rels") {
                let xml = content(&out, name);
                let mut reader = quick_xml::Reader::from_str(&xml);
                while reader.read_event().unwrap() != Event::Eof {}
            }
        }

        // Read and written again without edits: every entry's data is the same.
        let twice = write(
            &again,
            &again
                .parts()
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>(),
        )
        .unwrap();
        assert_eq!(raw_entries(&out), raw_entries(&twice));
    }

    #[test]
    fn a_utf16_part_is_read_and_written_back_as_utf16() {
        let header = header().replace("encoding=\"UTF-8\"", "encoding=\"UTF-16\"");
        let utf16: Vec<u8> = [0xFEFF_u16]
            .into_iter()
            .chain(header.encode_utf16())
            .flat_map(u16::to_le_bytes)
            .collect();
        let document = document();
        let docx = zip_of(&[
            ("[Content_Types].xml", CONTENT_TYPES.as_bytes(), false),
            ("word/document.xml", document.as_bytes(), false),
            ("word/header1.xml", &utf16, false),
        ]);
        let (package, x) = read(&docx, 1 << 20).unwrap();
        assert!(x.text.contains("页眉 托里"));
        let edits = [edit(&x, "页眉 托里", "页眉 保守党")];
        let (parts, _) = x.write_back(Format::Docx.escaper(), &package.parts(), &edits);
        let out = write(&package, &parts).unwrap();
        let mut archive = ZipArchive::new(Cursor::new(&out[..])).unwrap();
        let mut raw = Vec::new();
        archive
            .by_name("word/header1.xml")
            .unwrap()
            .read_to_end(&mut raw)
            .unwrap();
        assert!(raw.starts_with(b"\xFF\xFE<\0?\0"));
        let (_, y) = read(&out, 1 << 20).unwrap();
        assert!(y.text.contains("页眉 保守党"));
    }

    #[test]
    fn edge_spaces_of_a_w_t_without_preserve_are_not_text() {
        let document = format!(
            "{DECL}<w:document {W}><w:body><w:p><w:r><w:t> 托里 </w:t></w:r></w:p></w:body></w:document>"
        );
        let docx = zip_of(&[("word/document.xml", document.as_bytes(), false)]);
        let (package, x) = read(&docx, 1 << 20).unwrap();
        assert_eq!(x.text, "托里\n\n");
        let (parts, _) = x.write_back(
            Format::Docx.escaper(),
            &package.parts(),
            &[edit(&x, "托里", "保守党")],
        );
        let out = write(&package, &parts).unwrap();
        // The spaces were there before and hidden: still no `xml:space`.
        assert!(content(&out, "word/document.xml").contains("<w:t> 保守党 </w:t>"));
    }

    #[test]
    fn a_zip_bomb_is_refused() {
        let spaces = vec![b' '; 5 << 20];
        let docx = zip_of(&[("word/document.xml", &spaces, false)]);
        assert!(docx.len() < 100_000);
        let err = read(&docx, 1 << 20).unwrap_err();
        assert!(err.contains("1048576") && err.contains("zip bomb"), "{err}");

        // Parts each under the limit, together over it.
        let half = vec![b' '; 600 << 10];
        let docx = zip_of(&[
            ("word/document.xml", &half, false),
            ("word/header1.xml", &half, false),
        ]);
        let err = read(&docx, 1 << 20).unwrap_err();
        assert!(
            err.contains("word/header1.xml") && err.contains("1048576"),
            "{err}"
        );
    }

    #[test]
    fn what_is_not_a_word_document_is_refused() {
        let styles = styles();
        let docx = zip_of(&[("word/styles.xml", styles.as_bytes(), false)]);
        let err = read(&docx, 1 << 20).unwrap_err();
        assert!(err.contains("no word/document.xml"), "{err}");

        let mut state = 0x2545_f491_u32;
        let noise: Vec<u8> = (0..4096)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                state as u8
            })
            .collect();
        assert!(read(&noise, 1 << 20).unwrap_err().contains("not a DOCX"));
        assert!(read(b"", 1 << 20).is_err());
        assert!(
            read(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest", 1 << 20)
                .unwrap_err()
                .contains("encrypted")
        );

        let good = sample_docx();
        for cut in (0..good.len()).step_by(37) {
            assert!(read(&good[..cut], 1 << 20).is_err(), "cut at {cut}");
        }
        // Bytes flipped anywhere: an error or a reading, never a panic.
        for at in (0..good.len()).step_by(11) {
            let mut bad = good.clone();
            bad[at] ^= 0x5A;
            let _ = read(&bad, 1 << 20);
        }
        let bad_xml = format!("{DECL}<w:document {W}><w:body><w:p></w:r></w:body>");
        let docx = zip_of(&[("word/document.xml", bad_xml.as_bytes(), false)]);
        assert!(read(&docx, 1 << 20).unwrap_err().contains("malformed XML"));
    }

    #[test]
    fn an_encrypted_entry_is_refused() {
        let document = document();
        let mut docx = zip_of(&[("word/document.xml", document.as_bytes(), true)]);
        // Set the encrypted flag (bit 0 of the general purpose flags) in both headers.
        let local = docx.windows(4).position(|w| w == b"PK\x03\x04").unwrap();
        docx[local + 6] |= 1;
        let central = docx.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
        docx[central + 8] |= 1;
        let err = read(&docx, 1 << 20).unwrap_err();
        assert!(err.contains("encrypted"), "{err}");
    }

    #[test]
    fn an_unsupported_compression_is_refused() {
        let document = document();
        let mut docx = zip_of(&[("word/document.xml", document.as_bytes(), true)]);
        // Method 12 (bzip2) in both headers.
        let local = docx.windows(4).position(|w| w == b"PK\x03\x04").unwrap();
        docx[local + 8] = 12;
        let central = docx.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
        docx[central + 10] = 12;
        let err = read(&docx, 1 << 20).unwrap_err();
        assert!(err.contains("only stored and deflated"), "{err}");
    }

    #[test]
    fn parts_are_ordered_body_headers_footers_notes() {
        let names = [
            "word/endnotes.xml",
            "word/footer1.xml",
            "word/header10.xml",
            "word/footnotes.xml",
            "word/header2.xml",
            "word/document.xml",
            "word/comments.xml",
            "word/headerx.xml",
        ];
        let mut ranked: Vec<_> = names
            .iter()
            .filter_map(|n| part_rank(n).map(|r| (r, *n)))
            .collect();
        ranked.sort();
        let order: Vec<_> = ranked.into_iter().map(|(_, n)| n).collect();
        assert_eq!(
            order,
            [
                "word/document.xml",
                "word/header2.xml",
                "word/header10.xml",
                "word/footer1.xml",
                "word/footnotes.xml",
                "word/endnotes.xml"
            ]
        );
    }
}
