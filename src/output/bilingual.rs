//! Bilingual outputs of a translated document: side-by-side Markdown, TMX 1.4b, XLIFF 2.1 and
//! JSON Lines, named `NAME.SRC-TGT.{md,tmx,xlf,jsonl}` inside the output folder. XML is written
//! with quick-xml (escaped, characters XML forbids removed); order is the document's.

use std::io;
use std::path::{Path, PathBuf};

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::flag::Flag;
use crate::format::Format;
use crate::translate::{TranslatedDocument, TranslatedMarkup};

/// The extensions written, in order.
pub const EXTENSIONS: [&str; 4] = ["md", "tmx", "xlf", "jsonl"];

/// `NAME` of an input `NAME.EXT`, without a trailing `.SRC` language tag (so
/// `statement.zh.txt` gives `statement`, and its outputs `statement.zh-en.*`). `None` for a
/// path with no usable file name.
pub fn output_stem(path: &Path, source_lang: &str) -> Option<String> {
    let name = path.file_name()?.to_str()?;
    let stem = match name.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => name,
    };
    let stem = stem
        .strip_suffix(&format!(".{source_lang}"))
        .filter(|s| !s.is_empty())
        .unwrap_or(stem);
    let safe = !stem.is_empty()
        && stem != "."
        && stem != ".."
        && !stem.contains(['/', '\\', '\0'])
        && !stem.starts_with('.');
    safe.then(|| stem.to_string())
}

/// The four output paths of a document inside `out`.
pub fn output_paths(out: &Path, doc: &TranslatedDocument) -> Option<[PathBuf; 4]> {
    let stem = output_stem(&doc.path, &doc.source_lang)?;
    Some(EXTENSIONS.map(|ext| {
        out.join(format!(
            "{stem}.{}-{}.{ext}",
            doc.source_lang, doc.target_lang
        ))
    }))
}

/// Writes the four files atomically; returns their paths.
pub fn write_all(out: &Path, doc: &TranslatedDocument) -> Result<Vec<PathBuf>> {
    let paths = output_paths(out, doc)
        .ok_or_else(|| Error::refused(&doc.path, "no usable file name for the outputs"))?;
    let original = doc
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let contents = [
        markdown(doc, &original),
        tmx(doc),
        xliff(doc, &original),
        jsonl(doc),
    ];
    for (path, content) in paths.iter().zip(contents) {
        super::write_atomic(path, content.as_bytes())?;
    }
    let mut written = paths.to_vec();
    if let (Some(markup), Some(path)) = (&doc.markup, markup_path(out, doc)) {
        super::write_atomic(&path, &markup_bytes(markup))?;
        written.push(path);
    }
    Ok(written)
}

/// Where the translation in the document's own markup goes: `NAME.TARGET.EXT` beside the
/// bilingual files (`statement.en.html` for `statement.zh.html` translated into English).
pub fn markup_path(out: &Path, doc: &TranslatedDocument) -> Option<PathBuf> {
    let markup = doc.markup.as_ref()?;
    let stem = output_stem(&doc.path, &doc.source_lang)?;
    Some(out.join(format!("{stem}.{}.{}", doc.target_lang, markup.extension)))
}

/// The translated markup in UTF-8; an HTML page that was in another encoding gets a BOM,
/// which browsers take over the page's own `<meta charset>`.
fn markup_bytes(markup: &TranslatedMarkup) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(markup.text.len() + 3);
    if markup.was_legacy_encoding && markup.format == Format::Html {
        bytes.extend_from_slice(b"\xEF\xBB\xBF");
    }
    bytes.extend_from_slice(markup.text.as_bytes());
    bytes
}

/// A Markdown table: number, source, target; flags under the target.
pub fn markdown(doc: &TranslatedDocument, title: &str) -> String {
    let mut s = format!(
        "# {}\n\n{} → {}, engine: {}\n\n| # | {} | {} |\n|---:|---|---|\n",
        md_cell(title),
        doc.source_lang,
        doc.target_lang,
        doc.engine,
        doc.source_lang,
        doc.target_lang
    );
    for pair in &doc.pairs {
        let mut target = md_cell(pair.target.as_deref().unwrap_or(""));
        for flag in &pair.flags {
            target.push_str(&format!(
                "<br>**{}**: {}",
                flag.rule,
                md_cell(&flag.message)
            ));
        }
        s.push_str(&format!(
            "| {} | {} | {} |\n",
            pair.id,
            md_cell(&pair.source),
            target
        ));
    }
    s
}

/// Text safe inside a Markdown table cell.
fn md_cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '\\' => out.push_str("\\\\"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\r' => {}
            '\n' => out.push_str("<br>"),
            c => out.push(c),
        }
    }
    out
}

/// Only the characters XML 1.0 allows.
fn xml_chars(text: &str) -> String {
    text.chars()
        .filter(|&c| {
            matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && !matches!(c, '\u{FFFE}' | '\u{FFFF}'))
        })
        .collect()
}

fn text(s: &str) -> BytesText<'static> {
    BytesText::new(&xml_chars(s)).into_owned()
}

fn xml_document(write: impl FnOnce(&mut Writer<Vec<u8>>) -> io::Result<()>) -> String {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    let result = w
        .write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
        .and_then(|()| write(&mut w));
    // Writing into a Vec cannot fail.
    debug_assert!(result.is_ok());
    let mut bytes = w.into_inner();
    bytes.push(b'\n');
    String::from_utf8(bytes).unwrap_or_default()
}

fn flag_note(flag: &Flag) -> String {
    format!("{}: {}", flag.rule, flag.message)
}

/// TMX 1.4b: one `tu` per segment pair that has a translation.
pub fn tmx(doc: &TranslatedDocument) -> String {
    xml_document(|w| {
        w.create_element("tmx")
            .with_attribute(("version", "1.4"))
            .write_inner_content(|w| {
                w.create_element("header")
                    .with_attributes([
                        ("creationtool", "transmend"),
                        ("creationtoolversion", env!("CARGO_PKG_VERSION")),
                        ("segtype", "sentence"),
                        ("o-tmf", "transmend"),
                        ("adminlang", "en"),
                        ("srclang", doc.source_lang.as_str()),
                        ("datatype", "plaintext"),
                    ])
                    .write_empty()?;
                w.create_element("body").write_inner_content(|w| {
                    for pair in &doc.pairs {
                        let Some(target) = &pair.target else {
                            continue;
                        };
                        let id = pair.id.to_string();
                        w.create_element("tu")
                            .with_attribute(("tuid", id.as_str()))
                            .write_inner_content(|w| {
                                for flag in &pair.flags {
                                    w.create_element("note")
                                        .write_text_content(text(&flag_note(flag)))?;
                                }
                                for (lang, seg) in
                                    [(&doc.source_lang, &pair.source), (&doc.target_lang, target)]
                                {
                                    w.create_element("tuv")
                                        .with_attribute(("xml:lang", lang.as_str()))
                                        .write_inner_content(|w| {
                                            w.create_element("seg")
                                                .write_text_content(text(seg))?;
                                            Ok(())
                                        })?;
                                }
                                Ok(())
                            })?;
                    }
                    Ok(())
                })?;
                Ok(())
            })?;
        Ok(())
    })
}

/// XLIFF 2.1: one `unit` per paragraph, one `segment` per pair (`state` translated, or
/// initial without a target).
pub fn xliff(doc: &TranslatedDocument, original: &str) -> String {
    let mut paragraphs: Vec<Vec<&crate::translate::Pair>> = Vec::new();
    for pair in &doc.pairs {
        match paragraphs.last_mut() {
            Some(p) if p.last().is_some_and(|l| l.paragraph == pair.paragraph) => p.push(pair),
            _ => paragraphs.push(vec![pair]),
        }
    }
    xml_document(|w| {
        w.create_element("xliff")
            .with_attributes([
                ("xmlns", "urn:oasis:names:tc:xliff:document:2.0"),
                ("version", "2.1"),
                ("srcLang", doc.source_lang.as_str()),
                ("trgLang", doc.target_lang.as_str()),
            ])
            .write_inner_content(|w| {
                w.create_element("file")
                    .with_attributes([("id", "f1"), ("original", xml_chars(original).as_str())])
                    .write_inner_content(|w| {
                        for (i, pairs) in paragraphs.iter().enumerate() {
                            let unit_id = format!("u{}", i + 1);
                            w.create_element("unit")
                                .with_attribute(("id", unit_id.as_str()))
                                .write_inner_content(|w| write_unit(w, pairs))?;
                        }
                        Ok(())
                    })?;
                Ok(())
            })?;
        Ok(())
    })
}

fn write_unit(w: &mut Writer<Vec<u8>>, pairs: &[&crate::translate::Pair]) -> io::Result<()> {
    let flagged: Vec<(&crate::translate::Pair, &Flag)> = pairs
        .iter()
        .flat_map(|p| p.flags.iter().map(move |f| (*p, f)))
        .collect();
    if !flagged.is_empty() {
        w.create_element("notes").write_inner_content(|w| {
            for (pair, flag) in &flagged {
                let seg = format!("s{}", pair.id);
                w.create_element("note")
                    .with_attributes([("category", flag.rule.id()), ("appliesTo", "target")])
                    .write_text_content(text(&format!("{seg}: {}", flag.message)))?;
            }
            Ok(())
        })?;
    }
    for pair in pairs {
        let id = format!("s{}", pair.id);
        let state = if pair.target.is_some() {
            "translated"
        } else {
            "initial"
        };
        w.create_element("segment")
            .with_attributes([("id", id.as_str()), ("state", state)])
            .write_inner_content(|w| {
                w.create_element("source")
                    .write_text_content(text(&pair.source))?;
                if let Some(target) = &pair.target {
                    w.create_element("target")
                        .write_text_content(text(target))?;
                }
                Ok(())
            })?;
    }
    Ok(())
}

#[derive(Serialize)]
struct Line<'a> {
    id: usize,
    source: &'a str,
    target: Option<&'a str>,
    source_lang: &'a str,
    target_lang: &'a str,
    engine: &'a str,
    flags: &'a [Flag],
}

/// One JSON object per segment pair.
pub fn jsonl(doc: &TranslatedDocument) -> String {
    let mut s = String::new();
    for pair in &doc.pairs {
        let line = Line {
            id: pair.id,
            source: &pair.source,
            target: pair.target.as_deref(),
            source_lang: &doc.source_lang,
            target_lang: &doc.target_lang,
            engine: &doc.engine,
            flags: &pair.flags,
        };
        s.push_str(&serde_json::to_string(&line).unwrap_or_default());
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{Rule, Severity};
    use crate::translate::Pair;

    fn doc() -> TranslatedDocument {
        let target = "The <Labour> Party & \"friends\"\u{1}";
        TranslatedDocument {
            path: PathBuf::from("corpus/statement.zh.txt"),
            source_lang: "zh".into(),
            target_lang: "en".into(),
            engine: "libretranslate".into(),
            repairs: 0,
            markup: None,
            pairs: vec![
                Pair {
                    id: 1,
                    paragraph: 0,
                    source: "工党 | 声明".into(),
                    target: Some(target.into()),
                    flags: vec![
                        Flag::new(
                            Rule::GlossaryViolation,
                            Severity::Error,
                            target,
                            0..3,
                            "'x' <is> missing",
                        )
                        .concept("labour-party"),
                    ],
                },
                Pair {
                    id: 2,
                    paragraph: 1,
                    source: "第二段".into(),
                    target: Some("Second\nparagraph".into()),
                    flags: vec![],
                },
            ],
        }
    }

    fn well_formed(xml: &str) {
        let mut reader = quick_xml::Reader::from_str(xml);
        loop {
            match reader.read_event() {
                Ok(Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("invalid XML at {}: {e}\n{xml}", reader.buffer_position()),
            }
        }
    }

    #[test]
    fn stems_stay_inside_the_output_folder() {
        assert_eq!(
            output_stem(Path::new("corpus/statement.zh.txt"), "zh").as_deref(),
            Some("statement")
        );
        assert_eq!(
            output_stem(Path::new("a/report.txt"), "zh").as_deref(),
            Some("report")
        );
        assert_eq!(output_stem(Path::new("a/.zh.txt"), "zh").as_deref(), None);
        assert_eq!(output_stem(Path::new(".."), "zh"), None);
        assert_eq!(output_stem(Path::new("/"), "zh"), None);
        let paths = output_paths(Path::new("out"), &doc()).unwrap();
        assert_eq!(paths[0], Path::new("out/statement.zh-en.md"));
        assert_eq!(paths[2], Path::new("out/statement.zh-en.xlf"));
    }

    #[test]
    fn tmx_is_valid_and_has_the_header() {
        let x = tmx(&doc());
        well_formed(&x);
        for attr in [
            r#"<tmx version="1.4">"#,
            r#"creationtool="transmend""#,
            "creationtoolversion=",
            r#"segtype="sentence""#,
            "o-tmf=",
            r#"adminlang="en""#,
            r#"srclang="zh""#,
            r#"datatype="plaintext""#,
            r#"<tuv xml:lang="en">"#,
            "The &lt;Labour&gt; Party &amp;",
        ] {
            assert!(x.contains(attr), "{attr} missing:\n{x}");
        }
        assert!(!x.contains('\u{1}'));
    }

    #[test]
    fn xliff_is_valid_with_ids_and_states() {
        let x = xliff(&doc(), "statement.zh.txt");
        well_formed(&x);
        for attr in [
            r#"version="2.1""#,
            r#"srcLang="zh""#,
            r#"trgLang="en""#,
            r#"<file id="f1" original="statement.zh.txt">"#,
            r#"<unit id="u1">"#,
            r#"<unit id="u2">"#,
            r#"<segment id="s2" state="translated">"#,
            r#"category="glossary-violation""#,
        ] {
            assert!(x.contains(attr), "{attr} missing:\n{x}");
        }
    }

    #[test]
    fn jsonl_and_markdown() {
        let j = jsonl(&doc());
        let lines: Vec<serde_json::Value> = j
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["id"], 1);
        assert_eq!(lines[0]["source_lang"], "zh");
        assert_eq!(lines[0]["engine"], "libretranslate");
        assert_eq!(lines[0]["flags"][0]["rule"], "glossary-violation");
        assert_eq!(lines[1]["target"], "Second\nparagraph");
        let md = markdown(&doc(), "statement.zh.txt");
        assert!(
            md.contains("| 1 | 工党 \\| 声明 | The &lt;Labour&gt; Party"),
            "{md}"
        );
        assert!(md.contains("| 2 | 第二段 | Second<br>paragraph |"), "{md}");
    }
}
