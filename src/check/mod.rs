//! Flags: what the checks report (rule, severity, span, suggestion), and running the checks.

use std::fmt;

use serde::Serialize;

/// The contract's rule ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize)]
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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
    /// The glossary concept id, when the flag comes from the glossary.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub concept: Option<String>,
    /// An explanation a volunteer understands.
    pub message: String,
}

impl Flag {
    /// A flag over `text[start..end]`; line and column are set later by [`Flag::locate`].
    pub fn new(
        rule: Rule,
        severity: Severity,
        text: &str,
        span: std::ops::Range<usize>,
        message: impl Into<String>,
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
        }
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
    pub fn locate(&mut self, text: &str, lines: &crate::lines::LineIndex) {
        let (line, column) = lines.line_col(text, self.start);
        self.line = line;
        self.column = column;
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
        flag.locate(text, &crate::lines::LineIndex::new(text));
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
