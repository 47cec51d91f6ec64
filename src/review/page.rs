//! The review page's data: each document's text, source and flags (with fingerprints, UTF-16
//! offsets for the page's script, where a correction can be spliced into markup, a guard form
//! to offer) and earlier decisions, as the JSON `report.html` embeds (docs/review.md).

use std::collections::BTreeMap;

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::decisions::{self, Action, DocumentDecisions};
use super::ignore::Scope;
use crate::document::Document;
use crate::flag::{Flag, Rule};
use crate::format::Format;

/// The whole page's data.
#[derive(Debug, Clone, Serialize)]
pub struct PageData {
    pub version: u32,
    /// Identifies the report: the key the page keeps decisions under in the browser.
    pub report: String,
    pub documents: Vec<PageDocument>,
}

/// One document of the page.
#[derive(Debug, Clone, Serialize)]
pub struct PageDocument {
    pub index: usize,
    pub path: String,
    pub sha256: String,
    pub format: &'static str,
    pub lang: Option<String>,
    pub text: String,
    pub source: Option<String>,
    pub flags: Vec<PageFlag>,
    pub decisions: BTreeMap<String, Earlier>,
}

/// One flag of a document, as the page's script needs it.
#[derive(Debug, Clone, Serialize)]
pub struct PageFlag {
    pub fingerprint: String,
    pub rule: Rule,
    pub severity: crate::flag::Severity,
    pub concept: Option<String>,
    pub text: String,
    pub suggestion: Option<String>,
    pub autofix: bool,
    pub message: String,
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub column: usize,
    pub text_span: [usize; 2],
    pub at: [usize; 2],
    pub src: Option<[usize; 2]>,
    pub guard: Option<String>,
}

/// An earlier decision shown again (`run --decisions`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Earlier {
    pub action: Action,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replacement: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<Scope>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub guard: Option<String>,
}

/// SHA-256 of bytes, in hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// UTF-16 offsets of byte offsets of `text` (each a char boundary, else rounded down), in
/// one pass over the text.
fn utf16_offsets(text: &str, offsets: &[usize]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_by_key(|&i| offsets[i]);
    let mut out = vec![0; offsets.len()];
    let mut unit = 0usize;
    let mut chars = text.char_indices().peekable();
    for i in order {
        let target = offsets[i].min(text.len());
        while let Some(&(at, c)) = chars.peek() {
            if at + c.len_utf8() > target {
                break;
            }
            unit += c.len_utf16();
            chars.next();
        }
        out[i] = unit;
    }
    out
}

/// What the page needs of one document.
#[derive(Debug, Clone, Copy)]
pub struct DocumentInput<'a> {
    /// Its position in the report (`#doc-N`).
    pub index: usize,
    /// As the report names it.
    pub path: &'a str,
    /// The file's bytes as read.
    pub bytes: &'a [u8],
    pub lang: Option<&'a str>,
    pub doc: &'a Document,
    /// Its flags in offsets of its text, with fingerprints.
    pub flags: &'a [Flag],
    /// The same flags as the report line gives them (source offsets for markup), in order.
    pub reported: &'a [Flag],
    /// Decisions of an earlier review.
    pub earlier: Option<&'a DocumentDecisions>,
}

/// One document's page data.
pub fn document(input: DocumentInput<'_>) -> PageDocument {
    let DocumentInput {
        index,
        path,
        bytes,
        lang,
        doc,
        flags,
        reported,
        earlier,
    } = input;
    let sha256 = sha256_hex(bytes);
    let text = &doc.text;
    let source = match doc.format {
        Format::Text | Format::Docx => None,
        _ => doc.source_text(),
    };
    let extract = doc.source.as_ref().map(|s| &s.extract);
    let mut text_offsets = Vec::with_capacity(flags.len() * 2);
    for f in flags {
        text_offsets.push(f.start);
        text_offsets.push(f.end);
    }
    let at = utf16_offsets(text, &text_offsets);
    // Where each flag goes in the source, when a correction can be spliced there.
    let spans: Vec<Option<(usize, usize)>> = flags
        .iter()
        .map(|f| {
            let extract = extract?;
            source?;
            if extract.unwritable(f.start..f.end).is_some() {
                return None;
            }
            let (p0, s) = extract.source_offset(f.start, false)?;
            let (p1, e) = extract.source_offset(f.end, true)?;
            let slice = source?.get(s..e)?;
            // The page splices a correction over one piece of text only: the same text, or
            // (HTML) the text with entities, never across a tag.
            let one_piece = Some(slice) == text.get(f.start..f.end)
                || (doc.format == Format::Html && !slice.contains(['<', '>']));
            (p0 == 0 && p1 == 0 && one_piece).then_some((s, e))
        })
        .collect();
    let src_offsets: Vec<usize> = spans
        .iter()
        .flat_map(|s| s.map_or([0, 0], |(a, b)| [a, b]))
        .collect();
    let src_units = source.map(|s| utf16_offsets(s, &src_offsets));
    let same_order = reported.len() == flags.len();
    let page_flags = flags
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let r = if same_order { &reported[i] } else { f };
            PageFlag {
                fingerprint: f.fingerprint.clone().unwrap_or_default(),
                rule: f.rule,
                severity: f.severity,
                concept: f.concept.clone(),
                text: text.get(f.start..f.end).unwrap_or(&f.text).to_string(),
                suggestion: f.suggestion.clone(),
                autofix: f.autofix,
                message: f.message.to_string(),
                start: r.start,
                end: r.end,
                line: r.line,
                column: r.column,
                text_span: [f.start, f.end],
                at: [at[2 * i], at[2 * i + 1]],
                src: match (&src_units, spans[i]) {
                    (Some(units), Some(_)) => Some([units[2 * i], units[2 * i + 1]]),
                    _ => None,
                },
                guard: (f.rule == Rule::DeprecatedTerm)
                    .then(|| decisions::guard_candidate(text, f.start..f.end))
                    .flatten(),
            }
        })
        .collect::<Vec<_>>();
    let mut shown = BTreeMap::new();
    if let Some(earlier) = earlier {
        let prints: std::collections::HashSet<&str> =
            page_flags.iter().map(|f| f.fingerprint.as_str()).collect();
        for d in &earlier.decisions {
            if prints.contains(d.fingerprint.as_str()) {
                shown.insert(
                    d.fingerprint.clone(),
                    Earlier {
                        action: d.action,
                        replacement: d.replacement.clone(),
                        scope: d.scope,
                        guard: d.guard.clone(),
                    },
                );
            }
        }
    }
    PageDocument {
        index,
        path: path.to_string(),
        sha256,
        format: doc.format.name(),
        lang: lang.map(str::to_string),
        text: text.clone(),
        source: source.map(str::to_string),
        flags: page_flags,
        decisions: shown,
    }
}

/// The page's data for its documents; the report id is a hash of everything a decision
/// depends on (paths, file hashes, fingerprints, earlier decisions).
pub fn data(documents: Vec<PageDocument>) -> PageData {
    let mut id = ReportId::default();
    for d in &documents {
        id.add(d);
    }
    PageData {
        version: 1,
        report: id.finish(),
        documents,
    }
}

/// The report id, computed one document at a time (a report in pages never holds all its
/// documents): the same as [`data`] gives for the same documents in the same order.
#[derive(Debug, Clone, Default)]
pub struct ReportId(Sha256);

impl ReportId {
    /// Adds the next document.
    pub fn add(&mut self, d: &PageDocument) {
        let h = &mut self.0;
        h.update(d.path.as_bytes());
        h.update([0]);
        h.update(d.sha256.as_bytes());
        for f in &d.flags {
            h.update(f.fingerprint.as_bytes());
        }
        for (print, e) in &d.decisions {
            h.update(print.as_bytes());
            h.update(serde_json::to_string(e).unwrap_or_default().as_bytes());
        }
        h.update([1]);
    }

    /// The id: 16 hex digits.
    pub fn finish(self) -> String {
        self.0.finalize()[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// A document of a report in pages as its index holds it: what the page needs before the
/// document is opened (its counts, where its page is, earlier decisions); the rest comes with
/// its page.
#[derive(Debug, Clone, Serialize)]
pub struct PageStub {
    pub index: usize,
    pub path: String,
    pub sha256: String,
    pub format: &'static str,
    pub lang: Option<String>,
    /// Its page, relative to the index: `report/000003.js`.
    pub page: String,
    /// How many flags its page holds.
    pub flag_count: usize,
    pub decisions: BTreeMap<String, Earlier>,
}

impl PageStub {
    /// The stub of a document whose page is at `page`.
    pub fn of(d: &PageDocument, page: String) -> PageStub {
        PageStub {
            index: d.index,
            path: d.path.clone(),
            sha256: d.sha256.clone(),
            format: d.format,
            lang: d.lang.clone(),
            page,
            flag_count: d.flags.len(),
            decisions: d.decisions.clone(),
        }
    }
}

/// Serializes to JSON that is safe inside a `<script>` element and as a JavaScript literal:
/// no `<` can end the element, no line separator ends a string.
pub fn script_safe_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value)
        .unwrap_or_else(|_| "{}".to_string())
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// The data as the text of a `<script type="application/json">`: no `<` can end the element.
pub fn script_json(data: &PageData) -> String {
    script_safe_json(data)
}

/// How many earlier decisions found no flag in the new report.
pub fn unmatched(earlier: &DocumentDecisions, page: &PageDocument) -> usize {
    earlier
        .decisions
        .iter()
        .filter(|d| !page.decisions.contains_key(&d.fingerprint))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flag::Severity;

    fn input<'a>(doc: &'a Document, flags: &'a [Flag]) -> DocumentInput<'a> {
        DocumentInput {
            index: 0,
            path: "x",
            bytes: b"",
            lang: Some("zh"),
            doc,
            flags,
            reported: flags,
            earlier: None,
        }
    }

    #[test]
    fn utf16_offsets_count_surrogate_pairs() {
        let text = "a𝄞工党b";
        let offsets = [0, 1, 5, 8, 11, 12];
        assert_eq!(utf16_offsets(text, &offsets), [0, 1, 3, 4, 5, 6]);
    }

    #[test]
    fn script_json_cannot_close_the_script_element() {
        let doc = Document::from_text("x.txt", "</script><b>&");
        let flags = vec![Flag::new(
            Rule::Artifact,
            Severity::Warning,
            &doc.text,
            0..9,
            "m",
        )];
        let page = data(vec![document(input(&doc, &flags))]);
        let json = script_json(&page);
        assert!(!json.contains('<') && !json.contains('&'), "{json}");
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back["documents"][0]["text"], "</script><b>&");
    }

    #[test]
    fn markup_flags_say_where_the_source_takes_a_correction() {
        let html = "<p>我们是<b>劳动</b>派对的。托里&amp;工党</p>";
        let doc = crate::document::from_bytes(
            std::path::Path::new("x.zh.html"),
            html.as_bytes(),
            crate::document::ReadOptions::default(),
        )
        .unwrap();
        let text = doc.text.clone();
        let span = |needle: &str| {
            let i = text.find(needle).unwrap();
            i..i + needle.len()
        };
        let flags = vec![
            Flag::new(
                Rule::DeprecatedTerm,
                Severity::Error,
                &text,
                span("劳动派对"),
                "m",
            ),
            Flag::new(
                Rule::DeprecatedTerm,
                Severity::Error,
                &text,
                span("托里"),
                "m",
            ),
        ];
        let page = document(input(&doc, &flags));
        assert_eq!(page.flags[0].src, None, "crosses <b>");
        let [s, e] = page.flags[1].src.unwrap();
        assert!(s < e);
        let units: Vec<u16> = html.encode_utf16().collect();
        assert_eq!(String::from_utf16(&units[s..e]).unwrap(), "托里");
        assert_eq!(page.flags[1].guard, None, "托里 stands alone before &");
    }
}
