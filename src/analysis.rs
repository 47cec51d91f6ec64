//! Everything known about one document after reading, detection and segmentation, before and
//! after the checks: the vocabulary that checks, repair, translation and output share.

use std::ops::Range;

use crate::detect::{self, Detection, Run};
use crate::document::Document;
use crate::flag::Flag;
use crate::hanzi;
use crate::lines::LineIndex;
use crate::segment;

/// A segment with its languages.
#[derive(Debug, Clone, PartialEq)]
pub struct SegmentInfo {
    pub span: Range<usize>,
    pub paragraph: usize,
    /// Main language of the segment by letters (`None` when it has no letters).
    pub lang: Option<&'static str>,
    pub confidence: f64,
    /// Indices into [`Analysis::runs`] of the script runs inside this segment.
    pub runs: Range<usize>,
    /// Simplified or Traditional, for a segment with Chinese characters that tell.
    pub script: Option<hanzi::Script>,
}

/// Everything known about one document after analysis.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub doc: Document,
    pub lines: LineIndex,
    pub detection: Detection,
    /// The segments with their languages; empty for a document checked in pieces
    /// ([`crate::check::pieces`]), which keeps only their number.
    pub segments: Vec<SegmentInfo>,
    /// How many segments the document has.
    pub segment_count: usize,
    /// The script runs; empty for a document checked in pieces.
    pub runs: Vec<Run>,
    /// How many telling characters of the text are Simplified and Traditional.
    pub scripts: hanzi::Shares,
    /// The region a Traditional text's characters show (Taiwan, Hong Kong).
    pub region: Option<hanzi::Region>,
    pub flags: Vec<Flag>,
    /// Flags the project's ignore file left out of `flags`.
    pub ignored: Vec<Flag>,
    /// Accepted glossary forms used, `(concept id, language, form)`, each once, in order of
    /// first use.
    pub renderings: Vec<(String, String, String)>,
}

impl Analysis {
    /// The script Chinese text of the document is written in, when it has telling characters.
    pub fn script(&self) -> Option<hanzi::Script> {
        self.scripts.script()
    }
}

/// Segments a document and detects its languages per script run, per segment and overall;
/// `lang` (`--lang`) forces the document language.
pub fn analyze(doc: Document, lang: Option<&'static str>) -> Analysis {
    let text = doc.text.as_str();
    let (segments, mut runs) = segment_runs(text);
    detect::label_runs(text, &mut runs, lang);
    let segments: Vec<SegmentInfo> = segments
        .into_iter()
        .map(|(seg, range)| {
            let d = detect::summarize(&runs[range.clone()]);
            let script = match d.language {
                Some("zh") => hanzi::Shares::of(&text[seg.span.clone()]).script(),
                _ => None,
            };
            SegmentInfo {
                span: seg.span,
                paragraph: seg.paragraph,
                lang: d.language,
                confidence: d.confidence,
                runs: range,
                script,
            }
        })
        .collect();
    let detection = detect::summarize(&runs).forced(lang);
    let lines = LineIndex::new(text);
    let (scripts, region) = chinese_script(text, &detection);
    Analysis {
        doc,
        lines,
        detection,
        segment_count: segments.len(),
        segments,
        runs,
        scripts,
        region,
        flags: Vec::new(),
        ignored: Vec::new(),
        renderings: Vec::new(),
    }
}

/// The sentence segments of `text`, each with the range of its script runs in the runs
/// returned (languages not yet assigned).
pub fn segment_runs(text: &str) -> (Vec<(segment::Segment, Range<usize>)>, Vec<Run>) {
    let mut runs = Vec::new();
    let mut segments = Vec::new();
    for seg in segment::segments(text) {
        let first = runs.len();
        runs.extend(detect::script_runs(text, seg.span.clone()));
        segments.push((seg, first..runs.len()));
    }
    (segments, runs)
}

/// How many telling characters of a text in which `detection` found Chinese are Simplified and
/// Traditional, and the region a Traditional text's characters show.
pub fn chinese_script(text: &str, detection: &Detection) -> (hanzi::Shares, Option<hanzi::Region>) {
    if !detection.languages.iter().any(|l| l.lang == "zh") {
        return (hanzi::Shares::default(), None);
    }
    let scripts = hanzi::Shares::of(text);
    let region = match scripts.script() {
        Some(hanzi::Script::Hant) => hanzi::region(text),
        _ => None,
    };
    (scripts, region)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn analysis_has_languages_per_segment_and_document() {
        let text = "工党的全国执行委员会开会了。\n\nThe National Executive Committee met on Monday evening in London.";
        let a = analyze(Document::from_text("x.txt", text), None);
        assert_eq!(a.segments.len(), 2);
        assert_eq!(a.segments[0].lang, Some("zh"));
        assert_eq!(a.segments[1].lang, Some("en"));
        let langs: Vec<&str> = a.detection.languages.iter().map(|s| s.lang).collect();
        assert_eq!(langs, ["en", "zh"], "English has more letters");
        assert_eq!(
            a.runs[a.segments[1].runs.start].script,
            detect::Script::Latin
        );
    }

    #[test]
    fn forced_language_is_reported() {
        let a = analyze(Document::from_text("x.txt", "工党开会了"), Some("ja"));
        assert_eq!(
            (a.detection.language, a.detection.confidence),
            (Some("ja"), 1.0)
        );
    }
}
