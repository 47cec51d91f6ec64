//! The contract's `check --format json` lines: one object per input file.

use std::io::{self, Write};

use serde::Serialize;

use crate::check::Flag;
use crate::detect::LangShare;
use crate::pipeline::Analysis;

/// One report line for a document that was processed.
#[derive(Debug, Serialize)]
pub struct FileReport<'a> {
    pub path: String,
    pub encoding: &'static str,
    pub language: Option<&'static str>,
    pub confidence: f64,
    pub languages: &'a [LangShare],
    pub segments: usize,
    /// Invalid byte sequences replaced by U+FFFD while decoding (extension; omitted when 0).
    #[serde(skip_serializing_if = "is_zero")]
    pub replacements: usize,
    pub flags: &'a [Flag],
    /// Per-segment detail, with `--segments` (extension).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub segment_list: Option<Vec<SegmentReport>>,
}

/// One segment with its language and script runs (`--segments`).
#[derive(Debug, Serialize)]
pub struct SegmentReport {
    pub start: usize,
    pub end: usize,
    pub paragraph: usize,
    pub language: Option<&'static str>,
    pub confidence: f64,
    pub runs: Vec<RunReport>,
}

/// One script run inside a segment.
#[derive(Debug, Serialize)]
pub struct RunReport {
    pub start: usize,
    pub end: usize,
    pub script: &'static str,
    pub lang: &'static str,
    pub confidence: f64,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl<'a> FileReport<'a> {
    /// The report of an analysed document; `with_segments` adds the per-segment detail.
    pub fn new(a: &'a Analysis, with_segments: bool) -> FileReport<'a> {
        FileReport {
            path: a.doc.path.display().to_string(),
            encoding: a.doc.encoding_name(),
            language: a.detection.language,
            confidence: a.detection.confidence,
            languages: &a.detection.languages,
            segments: a.segments.len(),
            replacements: a.doc.replacements,
            flags: &a.flags,
            segment_list: with_segments.then(|| segment_reports(a)),
        }
    }
}

fn segment_reports(a: &Analysis) -> Vec<SegmentReport> {
    a.segments
        .iter()
        .map(|s| SegmentReport {
            start: s.span.start,
            end: s.span.end,
            paragraph: s.paragraph,
            language: s.lang,
            confidence: s.confidence,
            runs: a.runs[s.runs.clone()]
                .iter()
                .map(|r| RunReport {
                    start: r.start,
                    end: r.end,
                    script: r.script.code(),
                    lang: r.lang,
                    confidence: (r.confidence * 1000.0).round() / 1000.0,
                })
                .collect(),
        })
        .collect()
}

/// The report line of a file that could not be processed.
#[derive(Debug, Serialize)]
pub struct ErrorReport {
    pub path: String,
    pub error: String,
}

/// Serialises one report as a single JSON line (no trailing newline).
pub fn line(report: &impl Serialize) -> String {
    // Serialising these plain structs cannot fail: no maps with non-string keys, no I/O.
    serde_json::to_string(report).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

/// Writes one report as a single JSON line, newline included, straight to `w` through a
/// buffer: the same bytes as [`line`], without first building a long document's report
/// (tens of megabytes) as one `String`. Only I/O can fail (see [`line`]); an I/O error comes
/// back with its kind (a closed pipe stays `BrokenPipe`).
pub fn write_line(w: &mut impl Write, report: &impl Serialize) -> io::Result<()> {
    let mut w = io::BufWriter::new(w);
    serde_json::to_writer(&mut w, report)?;
    w.write_all(b"\n")?;
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Document;
    use crate::pipeline::{Options, analyze};

    #[test]
    fn report_has_the_contract_fields_in_order() {
        let a = analyze(
            Document::from_text(
                "a/b.zh.txt",
                "工党的全国执行委员会今天开会了。It shows that 好。",
            ),
            &Options::default(),
        );
        let raw = line(&FileReport::new(&a, false));
        assert!(
            raw.starts_with(
                r#"{"path":"a/b.zh.txt","encoding":"UTF-8","language":"zh","confidence":"#
            ),
            "{raw}"
        );
        let v: serde_json::Value = serde_json::from_str(&raw).unwrap();
        assert_eq!(v["path"], "a/b.zh.txt");
        assert_eq!(v["encoding"], "UTF-8");
        assert_eq!(v["language"], "zh");
        assert_eq!(v["languages"][0]["lang"], "zh");
        assert_eq!(v["languages"][1]["lang"], "en");
        assert_eq!(v["segments"], 2);
        assert_eq!(v["flags"], serde_json::json!([]));
        assert!(v.get("segment_list").is_none() && v.get("replacements").is_none());
    }

    #[test]
    fn write_line_writes_the_line_and_a_newline() {
        let a = analyze(
            Document::from_text("x.txt", "工党开会了。It shows that 好。"),
            &Options::default(),
        );
        let report = FileReport::new(&a, true);
        let mut out = Vec::new();
        write_line(&mut out, &report).unwrap();
        assert_eq!(out, format!("{}\n", line(&report)).into_bytes());
    }

    #[test]
    fn segment_list_locates_runs() {
        let text = "工党开会了。It shows that 好。";
        let a = analyze(Document::from_text("x", text), &Options::default());
        let v: serde_json::Value = serde_json::from_str(&line(&FileReport::new(&a, true))).unwrap();
        let run = &v["segment_list"][1]["runs"][0];
        assert_eq!(run["lang"], "en");
        let (s, e) = (
            run["start"].as_u64().unwrap() as usize,
            run["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&text[s..e], "It shows that");
    }
}
