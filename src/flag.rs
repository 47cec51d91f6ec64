//! Flags: what every check reports (rule, severity, span, suggestion, message) and the rule
//! and severity vocabulary of the contract. A leaf of the module graph: checks produce flags,
//! repair, translation and output consume them, and none needs another to name them.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::lines::LineIndex;

/// The contract's rule ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    DeprecatedTerm,
    MisspelledTerm,
    Untranslated,
    InconsistentRendering,
    NumberAnomaly,
    Artifact,
    RepeatedText,
    MissingTerm,
    Omission,
    Addition,
    GlossaryViolation,
}

impl Rule {
    /// Every rule, in the contract's order.
    pub const ALL: [Rule; 11] = [
        Rule::DeprecatedTerm,
        Rule::MisspelledTerm,
        Rule::Untranslated,
        Rule::InconsistentRendering,
        Rule::NumberAnomaly,
        Rule::Artifact,
        Rule::RepeatedText,
        Rule::MissingTerm,
        Rule::Omission,
        Rule::Addition,
        Rule::GlossaryViolation,
    ];

    /// The rule id as written in reports.
    pub fn id(self) -> &'static str {
        match self {
            Rule::DeprecatedTerm => "deprecated-term",
            Rule::MisspelledTerm => "misspelled-term",
            Rule::Untranslated => "untranslated",
            Rule::InconsistentRendering => "inconsistent-rendering",
            Rule::NumberAnomaly => "number-anomaly",
            Rule::Artifact => "artifact",
            Rule::RepeatedText => "repeated-text",
            Rule::MissingTerm => "missing-term",
            Rule::Omission => "omission",
            Rule::Addition => "addition",
            Rule::GlossaryViolation => "glossary-violation",
        }
    }

    /// Parses a rule id.
    pub fn parse(id: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.id() == id)
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// How sure we are that a flag is an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth a look.
    Info,
    /// Very likely wrong.
    Warning,
    /// Wrong: fix it.
    Error,
}

impl Severity {
    /// The severity as written in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One finding in a document, with everything a reviewer needs to act on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Flag {
    pub rule: Rule,
    pub severity: Severity,
    /// Byte offsets into the decoded text, end exclusive.
    pub start: usize,
    pub end: usize,
    /// 1-based line; filled in by [`Flag::locate`].
    pub line: usize,
    /// 1-based column in Unicode scalar values.
    pub column: usize,
    /// The flagged text.
    pub text: String,
    /// The one replacement to propose, when there is exactly one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
    /// The glossary concept id, when the flag comes from the glossary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concept: Option<String>,
    /// An explanation a volunteer understands. Shared, not owned: the flags of a long
    /// document repeat a few messages many times (a deprecated term's message, a glossary
    /// note included, can be hundreds of bytes).
    pub message: Arc<str>,
    /// `fix` may apply the suggestion without a person (extension; omitted when false).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub autofix: bool,
    /// The flag's stable name across regenerated reports (extension; see docs/review.md):
    /// what a reviewer's decision and the ignore file refer to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
    /// How a mojibake repair undoes the wrong decoding, step by step (extension; mojibake
    /// flags only): `["encoded as windows-1252, decoded as UTF-8"]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub steps: Option<Vec<String>>,
    /// Where in a DOCX package the flag is (extension; only for DOCX).
    #[serde(flatten, default, skip_serializing_if = "Option::is_none")]
    pub place: Option<Box<Place>>,
}

/// A place in a document made of parts (DOCX): the part's name and the 1-based paragraph in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    pub part: String,
    pub paragraph: usize,
}

impl Flag {
    /// A flag over `text[start..end]`; line and column are set later by [`Flag::locate`].
    pub fn new(
        rule: Rule,
        severity: Severity,
        text: &str,
        span: std::ops::Range<usize>,
        message: impl Into<Arc<str>>,
    ) -> Flag {
        Flag {
            rule,
            severity,
            text: text[span.clone()].to_string(),
            start: span.start,
            end: span.end,
            line: 0,
            column: 0,
            suggestion: None,
            concept: None,
            message: message.into(),
            autofix: false,
            fingerprint: None,
            steps: None,
            place: None,
        }
    }

    /// Marks the suggestion as safe to apply automatically.
    pub fn safe(mut self) -> Flag {
        self.autofix = self.suggestion.is_some();
        self
    }

    /// Whether two flags cover some of the same bytes (an empty span counts at its position).
    pub fn overlaps(&self, other: &Flag) -> bool {
        self.start < other.end.max(other.start + 1) && other.start < self.end.max(self.start + 1)
    }

    /// Sets the suggestion.
    pub fn suggest(mut self, suggestion: impl Into<String>) -> Flag {
        self.suggestion = Some(suggestion.into());
        self
    }

    /// Sets the concept id.
    pub fn concept(mut self, id: impl Into<String>) -> Flag {
        self.concept = Some(id.into());
        self
    }

    /// Fills in line and column from the document's line index.
    pub fn locate(&mut self, text: &str, lines: &LineIndex) {
        let (line, column) = lines.line_col(text, self.start);
        self.line = line;
        self.column = column;
    }
}

/// Fills in line and column of flags sorted by start, in one pass over the text (columns
/// are counted incrementally, so a single huge line costs no more than many short ones).
pub fn locate_sorted(text: &str, lines: &LineIndex, flags: &mut [Flag]) {
    let (mut pos, mut line, mut column) = (0usize, 1usize, 1usize);
    for flag in flags.iter_mut() {
        if flag.start < pos {
            flag.locate(text, lines);
            continue;
        }
        let target = flag.start.min(text.len());
        let Some(between) = text.get(pos..target) else {
            flag.locate(text, lines);
            continue;
        };
        for c in between.chars() {
            if c == '\n' {
                line += 1;
                column = 1;
            } else {
                column += 1;
            }
        }
        pos = target;
        flag.line = line;
        flag.column = column;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_round_trip_and_serialize_as_contract() {
        for rule in Rule::ALL {
            assert_eq!(Rule::parse(rule.id()), Some(rule));
            assert_eq!(
                serde_json::to_string(&rule).unwrap(),
                format!("\"{}\"", rule.id())
            );
        }
        assert_eq!(
            serde_json::to_string(&Severity::Warning).unwrap(),
            "\"warning\""
        );
    }

    #[test]
    fn flag_serializes_without_empty_optionals() {
        let text = "我们是劳动派对的";
        let start = text.find("劳动派对").unwrap();
        let mut flag = Flag::new(
            Rule::DeprecatedTerm,
            Severity::Error,
            text,
            start..start + 12,
            "m",
        );
        flag.locate(text, &LineIndex::new(text));
        assert_eq!(
            (flag.line, flag.column, flag.text.as_str()),
            (1, 4, "劳动派对")
        );
        let json = serde_json::to_string(&flag).unwrap();
        assert!(
            !json.contains("suggestion") && !json.contains("concept"),
            "{json}"
        );
        let json = serde_json::to_string(&flag.suggest("工党").concept("labour-party")).unwrap();
        assert!(
            json.contains(r#""suggestion":"工党","concept":"labour-party""#),
            "{json}"
        );
    }
}
