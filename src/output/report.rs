//! The contract's report lines — `check --format json` and `run`'s report.jsonl: an opening
//! line naming the glossaries used, one JSON object per input file, and a closing corpus line
//! when the corpus has drift. One set of
//! types, serialised by every writer and deserialised by every reader (`report merge`,
//! `diff --report`).

use std::borrow::Cow;
use std::io::{self, Write};

use serde::{Deserialize, Serialize};

use crate::analysis::Analysis;
use crate::check::corpus::{Drift, Tally};
use crate::flag::Flag;
use crate::format::Extract;
use crate::glossary::Used;
use crate::lines::LineIndex;

/// One report line for a document that was processed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FileReport<'a> {
    pub path: Cow<'a, str>,
    pub encoding: Cow<'a, str>,
    pub language: Option<Cow<'a, str>>,
    pub confidence: f64,
    pub languages: Vec<Share<'a>>,
    /// `Hans` or `Hant`, for a text with Chinese characters that tell (extension).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub script: Option<Cow<'a, str>>,
    /// `TW` or `HK`, when a Traditional text's characters show it (extension).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<Cow<'a, str>>,
    /// Both scripts' shares of the telling characters, when a text mixes them (extension).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scripts: Vec<ScriptShare<'a>>,
    pub segments: usize,
    /// Invalid byte sequences replaced by U+FFFD while decoding (extension; omitted when 0).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub replacements: usize,
    /// `text`, `html`, `markdown`, `docx`, `srt` or `vtt` (extension; `text` when absent).
    #[serde(default = "text_format")]
    pub format: Cow<'a, str>,
    pub flags: Cow<'a, [Flag]>,
    /// Flags the project's ignore file left out (extension; omitted when 0).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub ignored: usize,
    /// The ignored flags themselves, with `--show-ignored` (extension).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ignored_flags: Option<Cow<'a, [Flag]>>,
    /// Per-segment detail, with `--segments` (extension).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment_list: Option<Vec<SegmentReport>>,
    /// The file name repaired, when it is mojibake (extension; the file is not renamed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_mojibake: Option<NameMojibake>,
}

/// A file name that went through the wrong decoder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NameMojibake {
    /// The name as it should read.
    pub name: String,
    /// What went wrong and the steps that repair it.
    pub message: String,
}

/// A language and its share of the letters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Share<'a> {
    pub lang: Cow<'a, str>,
    pub share: f64,
}

/// A Chinese script and its share of the telling characters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScriptShare<'a> {
    pub script: Cow<'a, str>,
    pub share: f64,
}

/// One segment with its language and script runs (`--segments`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SegmentReport {
    pub start: usize,
    pub end: usize,
    pub paragraph: usize,
    pub language: Option<String>,
    /// `Hans` or `Hant` (extension).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub script: Option<String>,
    pub confidence: f64,
    pub runs: Vec<ScriptRunReport>,
}

/// One script run inside a segment.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ScriptRunReport {
    pub start: usize,
    pub end: usize,
    pub script: String,
    pub lang: String,
    pub confidence: f64,
}

fn text_format() -> Cow<'static, str> {
    Cow::Borrowed("text")
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl<'a> FileReport<'a> {
    /// Lists the analysis's ignored flags too (`--show-ignored`), as its flags are listed.
    pub fn showing_ignored(mut self, a: &'a Analysis) -> FileReport<'a> {
        if !a.ignored.is_empty() {
            self.ignored_flags = Some(in_source_of(a, Cow::Borrowed(&a.ignored)));
        }
        self
    }

    /// The report of an analysed document with its own flags; `with_segments` adds the
    /// per-segment detail.
    pub fn new(a: &'a Analysis, with_segments: bool) -> FileReport<'a> {
        FileReport::with_flags(a, Cow::Borrowed(&a.flags), with_segments)
    }

    /// The report of an analysed document with the flags given (its own and its pair's), in
    /// text offsets; for HTML, Markdown and subtitles they are reported in offsets, lines and
    /// columns of the source file, where an editor jumps.
    pub fn with_flags(
        a: &'a Analysis,
        flags: Cow<'a, [Flag]>,
        with_segments: bool,
    ) -> FileReport<'a> {
        let flags = in_source_of(a, flags);
        FileReport {
            path: Cow::Owned(a.doc.path.display().to_string()),
            format: Cow::Borrowed(a.doc.format.name()),
            encoding: Cow::Borrowed(a.doc.encoding_name()),
            language: a.detection.language.map(Cow::Borrowed),
            confidence: a.detection.confidence,
            languages: a
                .detection
                .languages
                .iter()
                .map(|s| Share {
                    lang: Cow::Borrowed(s.lang),
                    share: s.share,
                })
                .collect(),
            script: a.script().map(|s| Cow::Borrowed(s.code())),
            region: a.region.map(|r| Cow::Borrowed(r.code())),
            scripts: script_shares(a),
            segments: a.segment_count,
            replacements: a.doc.replacements,
            flags,
            ignored: a.ignored.len(),
            ignored_flags: None,
            segment_list: with_segments.then(|| segment_reports(a)),
            name_mojibake: crate::mojibake::file_name(&a.doc.path)
                .map(|(name, message)| NameMojibake { name, message }),
        }
    }
}

/// A document's flags (given in offsets of its text) as reported: in offsets, lines and
/// columns of the source for HTML, Markdown and subtitles; as they are for plain text and
/// DOCX (whose source is a zip).
pub fn in_source_of<'f>(a: &Analysis, flags: Cow<'f, [Flag]>) -> Cow<'f, [Flag]> {
    match (&a.doc.source, a.doc.source_text()) {
        (Some(source), Some(text)) => Cow::Owned(in_source(&flags, &source.extract, text)),
        (Some(source), None) => match &source.package {
            Some(package) => Cow::Owned(in_package(&flags, &a.doc.text, source, package)),
            None => flags,
        },
        _ => flags,
    }
}

/// DOCX flags as the contract reports them: offsets, lines and columns in the text with its
/// paragraphs joined by one `\n` (each run of line breaks between blocks counts as one), and
/// the part and 1-based paragraph in that part.
fn in_package(
    flags: &[Flag],
    text: &str,
    source: &crate::document::Source,
    package: &crate::format::docx::Package,
) -> Vec<Flag> {
    // Block breaks: (offset in text where a run of 2+ newlines starts, its length).
    let mut breaks: Vec<(usize, usize)> = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\n' {
            let start = i;
            while i < bytes.len() && bytes[i] == b'\n' {
                i += 1;
            }
            if i - start >= 2 {
                breaks.push((start, i - start));
            }
        } else {
            i += 1;
        }
    }
    // Extra newlines the joined text drops, summed over the breaks up to each one: what a
    // binary search needs to map any offset (the flags of a long document, each in O(log n)).
    let mut dropped_before = Vec::with_capacity(breaks.len());
    let mut dropped = 0;
    for &(_, len) in &breaks {
        dropped_before.push(dropped);
        dropped += len - 1;
    }
    let joined_offset = |offset: usize| {
        // Breaks that start before `offset`; the last may still contain it.
        let k = breaks.partition_point(|&(at, _)| at < offset);
        match k.checked_sub(1) {
            None => offset,
            Some(last) => {
                let (at, len) = breaks[last];
                let inside = (offset - at).min(len);
                offset - dropped_before[last] - inside.saturating_sub(1)
            }
        }
    };
    let lines = LineIndex::new(text);
    let names = package.part_names();
    let x = &source.extract;
    // Where each part's text starts (its first piece), by part index.
    let mut part_start: Vec<Option<usize>> = vec![None; names.len()];
    for p in &x.pieces {
        if let Some(slot @ None) = part_start.get_mut(p.part) {
            *slot = Some(p.text.start);
        }
    }
    let breaks_before = |offset: usize| breaks.partition_point(|&(at, _)| at < offset);
    flags
        .iter()
        .map(|f| {
            let mut f = f.clone();
            let first = x.pieces.partition_point(|p| p.text.end <= f.start);
            if let Some(piece) = x.pieces.get(first).or_else(|| x.pieces.last()) {
                let from = part_start.get(piece.part).copied().flatten().unwrap_or(0);
                let paragraph = 1 + breaks_before(f.start).saturating_sub(breaks_before(from));
                if let Some(name) = names.get(piece.part) {
                    f.place = Some(Box::new(crate::flag::Place {
                        part: name.to_string(),
                        paragraph,
                    }));
                }
            }
            // Line and column in the text; the joined text has one line per block break fewer
            // for each newline it drops, and the same columns.
            let (line, column) = lines.line_col(text, f.start.min(text.len()));
            let whole = breaks.partition_point(|&(at, len)| at + len <= f.start);
            let collapsed = dropped_before.get(whole).copied().unwrap_or(dropped);
            (f.line, f.column) = (line - collapsed, column);
            let (start, end) = (joined_offset(f.start), joined_offset(f.end));
            (f.start, f.end) = (start, end.max(start));
            f
        })
        .collect()
}

/// Flags in text offsets moved to the source the text was extracted from.
fn in_source(flags: &[Flag], extract: &Extract, source: &str) -> Vec<Flag> {
    let lines = LineIndex::new(source);
    let mut out: Vec<Flag> = flags
        .iter()
        .map(|f| {
            let mut f = f.clone();
            let start = extract.source_offset(f.start, false).map_or(0, |(_, s)| s);
            let end = extract
                .source_offset(f.end, true)
                .map_or(start, |(_, e)| e)
                .max(start);
            (f.start, f.end) = (start, end);
            f
        })
        .collect();
    out.sort_by_key(|f| (f.start, f.end));
    crate::flag::locate_sorted(source, &lines, &mut out);
    out
}

/// Both scripts with their shares, when the text has telling characters of each.
fn script_shares(a: &Analysis) -> Vec<ScriptShare<'static>> {
    use crate::hanzi::Script;
    if a.scripts.hans == 0 || a.scripts.hant == 0 {
        return Vec::new();
    }
    let mut out: Vec<ScriptShare<'static>> = [Script::Hans, Script::Hant]
        .into_iter()
        .map(|s| ScriptShare {
            script: Cow::Borrowed(s.code()),
            share: (a.scripts.share(s) * 1000.0).round() / 1000.0,
        })
        .collect();
    out.sort_by(|x, y| y.share.total_cmp(&x.share));
    out
}

fn segment_reports(a: &Analysis) -> Vec<SegmentReport> {
    a.segments
        .iter()
        .map(|s| SegmentReport {
            start: s.span.start,
            end: s.span.end,
            paragraph: s.paragraph,
            language: s.lang.map(str::to_string),
            script: s.script.map(|s| s.code().to_string()),
            confidence: s.confidence,
            runs: a.runs[s.runs.clone()]
                .iter()
                .map(|r| ScriptRunReport {
                    start: r.start,
                    end: r.end,
                    script: r.script.code().to_string(),
                    lang: r.lang.to_string(),
                    confidence: (r.confidence * 1000.0).round() / 1000.0,
                })
                .collect(),
        })
        .collect()
}

/// The report line of a file that could not be processed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorReport {
    pub path: String,
    pub error: String,
}

/// The opening line of a report (extension): what wrote it and which glossaries it checked
/// against: `{"transmend":{"version":"0.1.0","glossaries":[{"name":"labour.csv",...}]}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeaderReport {
    pub transmend: RunInfo,
}

/// What the opening line says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunInfo {
    pub version: String,
    pub glossaries: Vec<Used>,
}

impl HeaderReport {
    /// The opening line of a run that used these glossaries.
    pub fn new(glossaries: &[Used]) -> HeaderReport {
        HeaderReport {
            transmend: RunInfo {
                version: env!("CARGO_PKG_VERSION").to_string(),
                glossaries: glossaries.to_vec(),
            },
        }
    }
}

/// The closing line of a report, written when the corpus has drift (extension):
/// `{"corpus":{"documents":3,"failed":0,"inconsistent_renderings":[...]}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CorpusReport {
    pub corpus: CorpusSummary,
}

/// What the corpus line says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CorpusSummary {
    pub documents: usize,
    pub failed: usize,
    /// Concepts written in several accepted forms across the corpus.
    pub inconsistent_renderings: Vec<Drift>,
}

impl CorpusReport {
    /// The corpus line of a run, when it has something to say.
    pub fn of(tally: &Tally) -> Option<CorpusReport> {
        let drift = tally.drift();
        if drift.is_empty() {
            return None;
        }
        Some(CorpusReport {
            corpus: CorpusSummary {
                documents: tally.documents,
                failed: tally.failed,
                inconsistent_renderings: drift,
            },
        })
    }
}

/// Any line of a report, as a reader meets it.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Line {
    Document(Box<FileReport<'static>>),
    Failed(ErrorReport),
    Header(HeaderReport),
    Corpus(CorpusReport),
}

impl Line {
    /// The document the line is about (none for the corpus line).
    pub fn path(&self) -> Option<&str> {
        match self {
            Line::Document(r) => Some(&r.path),
            Line::Failed(e) => Some(&e.path),
            Line::Header(_) | Line::Corpus(_) => None,
        }
    }
}

/// Parses a report (JSON Lines; blank lines allowed); an error names the line.
pub fn parse(text: &str) -> Result<Vec<Line>, String> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        if raw.trim().is_empty() {
            continue;
        }
        let line = serde_json::from_str(raw)
            .map_err(|e| format!("line {}: not a transmend report line: {e}", i + 1))?;
        out.push(line);
    }
    Ok(out)
}

/// Serialises one report as a single JSON line (no trailing newline).
pub fn line(report: &impl Serialize) -> String {
    // Serialising these plain structs cannot fail: no maps with non-string keys, no I/O.
    serde_json::to_string(report).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

/// Writes one report as a single JSON line, newline included, straight to `w` through a
/// buffer: the same bytes as [`line()`], without first building a long document's report
/// (tens of megabytes) as one `String`. Only I/O can fail (see [`line()`]); an I/O error comes
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
    use crate::analysis::analyze;
    use crate::document::Document;

    #[test]
    fn report_has_the_contract_fields_in_order() {
        let a = analyze(
            Document::from_text(
                "a/b.zh.txt",
                "工党的全国执行委员会今天开会了。It shows that 好。",
            ),
            None,
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
            None,
        );
        let report = FileReport::new(&a, true);
        let mut out = Vec::new();
        write_line(&mut out, &report).unwrap();
        assert_eq!(out, format!("{}\n", line(&report)).into_bytes());
    }

    #[test]
    fn segment_list_locates_runs() {
        let text = "工党开会了。It shows that 好。";
        let a = analyze(Document::from_text("x", text), None);
        let v: serde_json::Value = serde_json::from_str(&line(&FileReport::new(&a, true))).unwrap();
        let run = &v["segment_list"][1]["runs"][0];
        assert_eq!(run["lang"], "en");
        let (s, e) = (
            run["start"].as_u64().unwrap() as usize,
            run["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&text[s..e], "It shows that");
    }

    #[test]
    fn every_line_reads_back_as_written() {
        let text = "我们是劳动派对的。";
        let mut a = analyze(Document::from_text("r/x.zh.txt", text), None);
        let start = text.find("劳动派对").unwrap();
        let mut flag = crate::flag::Flag::new(
            crate::flag::Rule::DeprecatedTerm,
            crate::flag::Severity::Error,
            text,
            start..start + "劳动派对".len(),
            "wrong",
        )
        .suggest("工党")
        .concept("labour-party");
        flag.line = 1;
        flag.column = 4;
        a.flags.push(flag);
        let doc = line(&FileReport::new(&a, true));
        let failed = line(&ErrorReport {
            path: "gone.txt".into(),
            error: "cannot read".into(),
        });
        let corpus = line(&CorpusReport {
            corpus: CorpusSummary {
                documents: 2,
                failed: 1,
                inconsistent_renderings: Vec::new(),
            },
        });
        let lines = parse(&format!("{doc}\n\n{failed}\n{corpus}\n")).unwrap();
        assert_eq!(lines.len(), 3);
        let Line::Document(report) = &lines[0] else {
            panic!("not a document line: {:?}", lines[0]);
        };
        assert_eq!(report.flags.as_ref(), a.flags.as_slice());
        assert_eq!(line(report.as_ref()), doc, "written again byte for byte");
        assert_eq!(lines[1].path(), Some("gone.txt"));
        assert!(matches!(&lines[1], Line::Failed(e) if e.error == "cannot read"));
        assert!(matches!(&lines[2], Line::Corpus(c) if c.corpus.failed == 1));
        let err = parse("{\"path\":1}").unwrap_err();
        assert!(err.starts_with("line 1:"), "{err}");
    }
}
