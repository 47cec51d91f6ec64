//! Flags: what the checks report (rule, severity, span, suggestion), and running the checks
//! in order over one analysed document. One file per rule family.

mod artifact;
pub mod bilingual;
mod numbers;
mod repeated;
pub mod terms;
mod untranslated;

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::detect::Run;
use crate::glossary::Termbase;
use crate::glossary::matcher::Match;
use crate::glossary::normalize::Normalized;
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
    pub fn locate(&mut self, text: &str, lines: &crate::lines::LineIndex) {
        let (line, column) = lines.line_col(text, self.start);
        self.line = line;
        self.column = column;
    }
}

/// What every check sees of a document.
pub struct Context<'a> {
    pub text: &'a str,
    /// The document's main language (`None` when it has no letters).
    pub lang: Option<&'a str>,
    pub runs: &'a [Run],
    pub lines: &'a LineIndex,
    pub termbase: &'a Termbase,
    pub norm: Normalized,
    /// Exact glossary matches, in text order (none inside URLs or e-mail addresses).
    pub matches: Vec<Match<'a>>,
    /// URLs and e-mail addresses: never checked as prose.
    pub urls: Vec<Range<usize>>,
}

impl<'a> Context<'a> {
    /// Prepares the normalised view and the glossary matches.
    pub fn new(
        text: &'a str,
        lang: Option<&'a str>,
        runs: &'a [Run],
        lines: &'a LineIndex,
        termbase: &'a Termbase,
    ) -> Context<'a> {
        let norm = Normalized::new(text);
        let urls = url_spans(text);
        let mut matches = termbase.matcher.find(text, &norm);
        matches.retain(|m| !overlaps_any(&urls, &m.span));
        Context {
            text,
            lang,
            runs,
            lines,
            termbase,
            norm,
            matches,
            urls,
        }
    }

    /// Whether `span` is part of a URL or e-mail address.
    pub fn in_url(&self, span: &Range<usize>) -> bool {
        overlaps_any(&self.urls, span)
    }

    /// Spans of the exact glossary matches, and of URLs (nothing near-matches inside them).
    pub fn match_spans(&self) -> Vec<Range<usize>> {
        self.match_span_iter().collect()
    }

    /// [`Context::match_spans`] without collecting them.
    fn match_span_iter(&self) -> impl Iterator<Item = Range<usize>> + '_ {
        self.matches
            .iter()
            .map(|m| m.span.clone())
            .chain(self.urls.iter().cloned())
    }

    /// Whether the main language is written without spaces between words.
    pub fn is_cjk_document(&self) -> bool {
        matches!(self.lang, Some("zh" | "ja"))
    }
}

fn overlaps_any(spans: &[Range<usize>], span: &Range<usize>) -> bool {
    spans
        .iter()
        .any(|u| u.start < span.end && span.start < u.end)
}

/// URLs and e-mail addresses: tokens (ended by white space or CJK) containing `://`, `www.`
/// or an `@` followed by a dotted domain.
pub fn url_spans(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut push = |s: usize, e: usize| {
        let token = text[s..e].trim_end_matches(['.', ',', ')', ';', ':', '!', '?', '\'', '"']);
        let email = token
            .split_once('@')
            .is_some_and(|(user, domain)| !user.is_empty() && domain.contains('.'));
        if token.contains("://") || token.starts_with("www.") || email {
            out.push(s..s + token.len());
        }
    };
    for (i, c) in text.char_indices() {
        let boundary = c.is_whitespace()
            || crate::segment::is_cjk(c)
            || matches!(c, '“' | '”' | '‘' | '’' | '<' | '>');
        if boundary {
            if let Some(s) = start.take() {
                push(s, i);
            }
        } else {
            start.get_or_insert(i);
        }
    }
    if let Some(s) = start {
        push(s, text.len());
    }
    out
}

/// Which flag stays when two overlap: the one whose fix also removes the other.
fn priority(rule: Rule) -> u8 {
    match rule {
        Rule::RepeatedText => 0,
        Rule::DeprecatedTerm => 1,
        Rule::MisspelledTerm => 2,
        Rule::Untranslated => 3,
        Rule::Artifact => 4,
        Rule::NumberAnomaly => 5,
        _ => 6,
    }
}

/// Runs every monolingual check over a document and returns its flags, located and in order.
pub fn run(ctx: &Context<'_>) -> Vec<Flag> {
    resolve(ctx.text, ctx.lines, gather(ctx))
}

/// The first half of [`run`]: every monolingual check's flags, overlapping ones not yet
/// resolved. Split from [`resolve`] so that a caller can drop the context (its normalised copy
/// of the text and its glossary matches) before resolving, which is where a long document's
/// flags take the most memory.
pub fn gather(ctx: &Context<'_>) -> Vec<Flag> {
    let mut flags = terms::check(ctx);
    flags.extend(artifact::check(ctx));
    flags.extend(repeated::check(ctx));
    flags.extend(numbers::check(ctx));
    let claimed = ctx
        .match_span_iter()
        .chain(flags.iter().map(|f| f.start..f.end));
    let left = untranslated::check(ctx, claimed);
    flags.extend(left);
    flags
}

/// One rule family, to run on its own (benchmarks).
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// Deprecated, untranslated glossary forms, inconsistent renderings, near misses.
    Terms,
    Artifact,
    Repeated,
    Numbers,
    /// Text left in another language (after the glossary matches).
    Untranslated,
}

/// The flags of one rule family, before overlapping flags are resolved (benchmarks).
#[doc(hidden)]
pub fn run_family(ctx: &Context<'_>, family: Family) -> Vec<Flag> {
    match family {
        Family::Terms => terms::check(ctx),
        Family::Artifact => artifact::check(ctx),
        Family::Repeated => repeated::check(ctx),
        Family::Numbers => numbers::check(ctx),
        Family::Untranslated => untranslated::check(ctx, ctx.match_span_iter()),
    }
}

/// The second half of [`run`]: drops flags that overlap a flag of higher priority and repeats
/// of a flag (same rule and span), then sorts and locates the rest in `text`. Works in place,
/// linear in the number of flags (up to a log factor), however long the document.
pub fn resolve(text: &str, lines: &LineIndex, mut flags: Vec<Flag>) -> Vec<Flag> {
    // `sort_by_cached_key` is stable and sorts (key, index) pairs, so it needs no scratch
    // copy of half the flags as `sort_by_key` does.
    flags.sort_by_cached_key(|f| (priority(f.rule), f.start, f.end));
    // Spans of kept flags of strictly higher priority, and of the current priority level.
    let mut higher = crate::spans::Spans::default();
    let mut level: Vec<Range<usize>> = Vec::new();
    let mut current = None;
    // Repeats share priority, start and end, so the sort made them neighbours: the rules kept
    // for the current (priority, start, end) are all it takes to spot them.
    let mut group = None;
    let mut group_rules: Vec<Rule> = Vec::new();
    // `retain` visits the flags once, in order.
    flags.retain(|flag| {
        let p = priority(flag.rule);
        if current != Some(p) {
            for r in level.drain(..) {
                higher.insert(r);
            }
            current = Some(p);
        }
        if higher.overlaps(&(flag.start..flag.end)) {
            return false;
        }
        if group != Some((p, flag.start, flag.end)) {
            group = Some((p, flag.start, flag.end));
            group_rules.clear();
        }
        if group_rules.contains(&flag.rule) {
            return false;
        }
        group_rules.push(flag.rule);
        level.push(flag.start..flag.end);
        true
    });
    flags.shrink_to_fit();
    flags.sort_by_cached_key(|f| (f.start, f.end, priority(f.rule)));
    lines.locate_sorted(text, &mut flags);
    flags
}

/// The human name of a language code, for messages.
pub fn lang_name(lang: &str) -> &str {
    match lang {
        "en" => "English",
        "zh" => "Chinese",
        "ja" => "Japanese",
        "ko" => "Korean",
        "fr" => "French",
        "de" => "German",
        "es" => "Spanish",
        "ru" => "Russian",
        "ar" => "Arabic",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_emails_end_at_space_or_cjk() {
        let text = "见https://www.example.org/labour-party。和 a@b.org, www.x.uk 以及 Ian Lavery";
        let found: Vec<&str> = url_spans(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(
            found,
            [
                "https://www.example.org/labour-party",
                "a@b.org",
                "www.x.uk"
            ]
        );
    }

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
    fn resolve_keeps_the_higher_priority_and_drops_repeats() {
        let text = "abcdefghij";
        let flag = |rule, span: Range<usize>, message: &str| {
            Flag::new(rule, Severity::Warning, text, span, message)
        };
        let flags = vec![
            flag(Rule::NumberAnomaly, 6..8, "number"),
            flag(Rule::Artifact, 2..4, "under a deprecated term"),
            flag(Rule::InconsistentRendering, 9..10, "first"),
            flag(Rule::DeprecatedTerm, 3..5, "deprecated"),
            flag(Rule::MissingTerm, 9..10, "other rule, same span"),
            flag(Rule::InconsistentRendering, 9..10, "repeat"),
            flag(Rule::NumberAnomaly, 7..9, "same level"),
        ];
        let lines = LineIndex::new(text);
        let kept: Vec<(Rule, String, usize)> = resolve(text, &lines, flags)
            .into_iter()
            .map(|f| (f.rule, f.message.to_string(), f.column))
            .collect();
        let expected = [
            (Rule::DeprecatedTerm, "deprecated", 4),
            (Rule::NumberAnomaly, "number", 7),
            (Rule::NumberAnomaly, "same level", 8),
            (Rule::InconsistentRendering, "first", 10),
            (Rule::MissingTerm, "other rule, same span", 10),
        ];
        let expected: Vec<(Rule, String, usize)> = expected
            .into_iter()
            .map(|(r, m, c)| (r, m.to_string(), c))
            .collect();
        assert_eq!(kept, expected);
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
