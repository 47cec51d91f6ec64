//! `decisions.json`: what a reviewer decided about each flag (accept, reject, edit), as the
//! review page exports it, and how the decisions of one document become edits of its text:
//! each decision finds its flag by fingerprint in the text as it is now, and the accepted and
//! edited changes are made together or not at all.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::fingerprint;
use super::ignore::{Entry, Scope};
use crate::flag::Rule;
use crate::format::Edit;

/// The file format's version (`"transmend_decisions": 1`).
pub const VERSION: u32 = 1;

/// A whole `decisions.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decisions {
    pub transmend_decisions: u32,
    /// The report the decisions were made in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report: Option<String>,
    pub documents: Vec<DocumentDecisions>,
}

/// The decisions about one document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentDecisions {
    /// As in the report.
    pub path: String,
    /// SHA-256 of the file's bytes the report was made of (hex).
    pub sha256: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    #[serde(default)]
    pub decisions: Vec<Decision>,
    /// Flags nobody decided about (for `apply --undecided safe`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub undecided: Vec<Undecided>,
}

/// What the reviewer did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Accept,
    Reject,
    Edit,
}

/// One decision about one flag.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    pub fingerprint: String,
    pub rule: Rule,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concept: Option<String>,
    /// As in the report (source offsets for markup).
    #[serde(default)]
    pub start: usize,
    #[serde(default)]
    pub end: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// Byte offsets into the document's text: where to look first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_span: Option<[usize; 2]>,
    /// The flagged text.
    pub text: String,
    pub action: Action,
    /// Accept: the suggestion (none: nothing to change); edit: the correction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replacement: Option<String>,
    /// Reject: how far.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<Scope>,
    /// Reject of a deprecated form: the longer word offered as a glossary guard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guard: Option<String>,
}

/// A flag nobody decided about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Undecided {
    pub fingerprint: String,
    pub rule: Rule,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concept: Option<String>,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_span: Option<[usize; 2]>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
    #[serde(default)]
    pub autofix: bool,
}

impl Decisions {
    /// Parses a `decisions.json`; the error says what is wrong.
    pub fn parse(json: &str) -> Result<Decisions, String> {
        let decisions: Decisions = serde_json::from_str(json).map_err(|e| {
            if json.contains("transmend_decisions") {
                format!("not a valid decisions file: {e}")
            } else {
                "not a decisions file (no \"transmend_decisions\"): export one from report.html with Export decisions".to_string()
            }
        })?;
        if decisions.transmend_decisions != VERSION {
            return Err(format!(
                "decisions file version {} is not supported (this transmend reads version {VERSION})",
                decisions.transmend_decisions
            ));
        }
        Ok(decisions)
    }

    /// The decisions about each document, by its reported path.
    pub fn by_path(&self) -> std::collections::HashMap<&str, &DocumentDecisions> {
        self.documents
            .iter()
            .map(|d| (d.path.as_str(), d))
            .collect()
    }
}

/// A change to make: where, what, and which decision asked for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub range: Range<usize>,
    pub replacement: String,
    /// The flagged text, for messages.
    pub text: String,
    pub action: Action,
}

/// A document's decisions placed in its text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Placed {
    /// Non-overlapping changes, in text order.
    pub changes: Vec<Change>,
    pub accepted: usize,
    pub edited: usize,
    pub rejected: usize,
    /// Accepted flags that had no suggestion: nothing to change.
    pub accepted_unchanged: usize,
    /// Undecided safe repairs applied (`--undecided safe`).
    pub undecided_applied: usize,
    /// Flags nobody decided about and left as they are.
    pub undecided_left: usize,
}

impl Placed {
    /// The changes as edits of the text.
    pub fn edits(&self) -> Vec<Edit> {
        self.changes
            .iter()
            .map(|c| Edit {
                range: c.range.clone(),
                replacement: c.replacement.clone(),
            })
            .collect()
    }
}

/// Finds a flag in `text` by its fingerprint (an empty flagged text: at its recorded place).
fn find(
    text: &str,
    rule: Rule,
    concept: Option<&str>,
    flagged: &str,
    print: &str,
    span: Option<[usize; 2]>,
) -> Option<Range<usize>> {
    let hint = span.map(|[s, e]| s..e);
    fingerprint::locate(text, rule.id(), concept, flagged, print, hint)
}

/// Places a document's decisions in its current text: every accepted (with a suggestion)
/// and edited decision becomes a change, and with `undecided_safe` every undecided safe
/// repair too. `Err` lists every decision that cannot be placed or that overlaps another:
/// then nothing of the document is to be changed.
pub fn place(
    text: &str,
    doc: &DocumentDecisions,
    undecided_safe: bool,
) -> Result<Placed, Vec<String>> {
    let mut placed = Placed::default();
    let mut problems = Vec::new();
    let where_ = |d_text: &str, line: Option<usize>| match line {
        Some(line) => format!("'{d_text}' (line {line})"),
        None => format!("'{d_text}'"),
    };
    for d in &doc.decisions {
        let replacement = match d.action {
            Action::Reject => {
                placed.rejected += 1;
                continue;
            }
            Action::Accept => {
                placed.accepted += 1;
                match &d.replacement {
                    Some(r) => r.clone(),
                    None => {
                        placed.accepted_unchanged += 1;
                        continue;
                    }
                }
            }
            Action::Edit => {
                placed.edited += 1;
                match &d.replacement {
                    Some(r) => r.clone(),
                    None => {
                        problems.push(format!(
                            "the edit of {} has no replacement",
                            where_(&d.text, d.line)
                        ));
                        continue;
                    }
                }
            }
        };
        match find(
            text,
            d.rule,
            d.concept.as_deref(),
            &d.text,
            &d.fingerprint,
            d.text_span,
        ) {
            Some(range) => placed.changes.push(Change {
                range,
                replacement,
                text: d.text.clone(),
                action: d.action,
            }),
            None => problems.push(format!(
                "cannot find the {} flag {} any more: the text there changed",
                d.rule,
                where_(&d.text, d.line)
            )),
        }
    }
    for u in &doc.undecided {
        let safe = undecided_safe && u.autofix;
        let (true, Some(suggestion)) = (safe, &u.suggestion) else {
            placed.undecided_left += 1;
            continue;
        };
        match find(
            text,
            u.rule,
            u.concept.as_deref(),
            &u.text,
            &u.fingerprint,
            u.text_span,
        ) {
            Some(range) => {
                placed.undecided_applied += 1;
                placed.changes.push(Change {
                    range,
                    replacement: suggestion.clone(),
                    text: u.text.clone(),
                    action: Action::Accept,
                });
            }
            None => problems.push(format!(
                "cannot find the undecided {} flag '{}' any more: the text there changed",
                u.rule, u.text
            )),
        }
    }
    placed.changes.sort_by_key(|c| (c.range.start, c.range.end));
    for pair in placed.changes.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        if b.range.start < a.range.end || (a.range == b.range && a.range.is_empty()) {
            problems.push(format!(
                "the changes to '{}' and '{}' overlap: only one of them can be made; undo one in the review page",
                a.text, b.text
            ));
        }
    }
    if problems.is_empty() {
        Ok(placed)
    } else {
        Err(problems)
    }
}

/// The ignore-file entries of a document's rejections scoped to the document or everywhere;
/// `relative` is the document's path as the ignore file names it.
pub fn ignore_entries(doc: &DocumentDecisions, relative: &str) -> Vec<Entry> {
    doc.decisions
        .iter()
        .filter(|d| d.action == Action::Reject)
        .filter_map(|d| {
            let scope = d.scope?;
            let path = match scope {
                Scope::Occurrence => return None,
                Scope::Document => Some(relative.to_string()),
                Scope::Everywhere => None,
            };
            Some(Entry {
                scope,
                path,
                rule: d.rule,
                concept: d.concept.clone(),
                text: d.text.clone(),
                note: Some(format!("rejected in review of {}", doc.path)),
            })
        })
        .collect()
}

/// Guard entries offered for rejected deprecated forms that are right inside a longer word:
/// `(form, flagged text)`, each once.
pub fn guards(doc: &DocumentDecisions) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for d in &doc.decisions {
        if d.action != Action::Reject || d.rule != Rule::DeprecatedTerm {
            continue;
        }
        let Some(guard) = d.guard.as_deref().map(str::trim) else {
            continue;
        };
        if guard.contains(d.text.as_str()) && guard != d.text {
            let pair = (guard.to_string(), d.text.clone());
            if !out.contains(&pair) {
                out.push(pair);
            }
        }
    }
    out
}

/// A longer word around a flagged form, to offer as a guard entry: the flagged text with up
/// to one letter of the same script before it and two after (托里 in 托里拆利, 维托里奥).
/// `None` when there is no letter next to it.
pub fn guard_candidate(text: &str, span: Range<usize>) -> Option<String> {
    let flagged = text.get(span.clone())?;
    let first = flagged.chars().next()?;
    let cjk = crate::text::is_cjk_letter(first);
    // Grammatical characters that end a word far more often than they are part of a name.
    const FUNCTION: &str = "的是了在和与及对为从被把向中上下也都就而或让使给将其此这那说";
    let alike = |c: char| {
        if cjk {
            crate::text::is_cjk_letter(c) && !FUNCTION.contains(c)
        } else {
            c.is_alphanumeric()
        }
    };
    let before: Vec<char> = text
        .get(..span.start)?
        .chars()
        .rev()
        .take_while(|&c| alike(c))
        .take(if cjk { 1 } else { 64 })
        .collect();
    let after: String = text
        .get(span.end..)?
        .chars()
        .take_while(|&c| alike(c))
        .take(if cjk { 2 } else { 64 })
        .collect();
    if before.is_empty() && after.is_empty() {
        return None;
    }
    let mut word: String = before.into_iter().rev().collect();
    word.push_str(flagged);
    word.push_str(&after);
    Some(word)
}

/// The CSV lines (header and row) of a guard entry, as `apply` and the page offer them.
pub fn guard_csv(lang: &str, form: &str, flagged: &str, print: &str) -> String {
    let id: String = print.chars().take(8).collect();
    let quote = |s: &str| {
        if s.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    };
    let note =
        format!("Guard: contains {flagged}, which is right here (review)").replace('"', "\"\"");
    format!(
        "id,kind,{lang},note\nguard-{id},term,{},\"{note}\"",
        quote(form)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flag::{Flag, Severity};

    fn flagged(text: &str) -> Vec<Flag> {
        let mut flags: Vec<Flag> = text
            .match_indices("托里")
            .map(|(i, _)| {
                Flag::new(Rule::DeprecatedTerm, Severity::Error, text, i..i + 6, "m")
                    .suggest("保守党")
                    .concept("conservative-party")
                    .safe()
            })
            .collect();
        fingerprint::assign(text, &mut flags);
        flags
    }

    fn decision(f: &Flag, action: Action, replacement: Option<&str>) -> Decision {
        Decision {
            fingerprint: f.fingerprint.clone().unwrap(),
            rule: f.rule,
            concept: f.concept.clone(),
            start: f.start,
            end: f.end,
            line: None,
            column: None,
            text_span: Some([f.start, f.end]),
            text: f.text.clone(),
            action,
            replacement: replacement.map(str::to_string),
            scope: None,
            guard: None,
        }
    }

    fn doc(decisions: Vec<Decision>) -> DocumentDecisions {
        DocumentDecisions {
            path: "a.zh.txt".into(),
            sha256: String::new(),
            format: None,
            decisions,
            undecided: Vec::new(),
        }
    }

    #[test]
    fn accepted_and_edited_changes_are_placed_rejected_are_not() {
        let text = "托里赢了。我们反对托里。托里拆利是科学家。";
        let f = flagged(text);
        let d = doc(vec![
            decision(&f[0], Action::Accept, Some("保守党")),
            decision(&f[1], Action::Edit, Some("保守党政府")),
            decision(&f[2], Action::Reject, None),
        ]);
        let placed = place(text, &d, false).unwrap();
        assert_eq!((placed.accepted, placed.edited, placed.rejected), (1, 1, 1));
        let mut out = text.to_string();
        for c in placed.changes.iter().rev() {
            out.replace_range(c.range.clone(), &c.replacement);
        }
        assert_eq!(out, "保守党赢了。我们反对保守党政府。托里拆利是科学家。");
    }

    #[test]
    fn decisions_follow_their_flag_into_an_edited_file_or_refuse() {
        let text = "托里赢了。我们反对托里。";
        let f = flagged(text);
        let d = doc(vec![decision(&f[1], Action::Accept, Some("保守党"))]);
        let moved = format!("前言。\n\n{text}");
        let placed = place(&moved, &d, false).unwrap();
        assert_eq!(&moved[placed.changes[0].range.clone()], "托里");
        assert!(moved[..placed.changes[0].range.start].ends_with("我们反对"));
        let changed = text.replace("我们反对托里", "他们支持托里");
        let problems = place(&changed, &d, false).unwrap_err();
        assert!(problems[0].contains("cannot find"), "{problems:?}");
    }

    #[test]
    fn overlapping_changes_are_refused_and_undecided_safe_ones_optional() {
        let text = "我们反对托里。";
        let f = flagged(text);
        let mut d = doc(vec![
            decision(&f[0], Action::Accept, Some("保守党")),
            decision(&f[0], Action::Edit, Some("托利党")),
        ]);
        assert!(place(text, &d, false).unwrap_err()[0].contains("overlap"));
        d.decisions.clear();
        d.undecided.push(Undecided {
            fingerprint: f[0].fingerprint.clone().unwrap(),
            rule: f[0].rule,
            concept: f[0].concept.clone(),
            text: "托里".into(),
            text_span: None,
            suggestion: Some("保守党".into()),
            autofix: true,
        });
        assert!(place(text, &d, false).unwrap().changes.is_empty());
        let placed = place(text, &d, true).unwrap();
        assert_eq!(placed.undecided_applied, 1);
    }

    #[test]
    fn guard_candidates_take_the_word_around_the_form() {
        let text = "托里拆利做了实验，维托里奥也来了。Tories and Tory.";
        let at = |needle: &str, nth: usize| {
            let i = text.match_indices(needle).nth(nth).unwrap().0;
            i..i + needle.len()
        };
        assert_eq!(
            guard_candidate(text, at("托里", 0)).as_deref(),
            Some("托里拆利")
        );
        assert_eq!(
            guard_candidate(text, at("托里", 1)).as_deref(),
            Some("维托里奥")
        );
        assert_eq!(guard_candidate(text, at("Tory", 0)), None);
        assert_eq!(
            guard_candidate(text, at("Tori", 0)).as_deref(),
            Some("Tories")
        );
        assert_eq!(
            guard_csv("en", "Tori, Ltd", "Tori", "f").lines().nth(1),
            Some(
                "guard-f,term,\"Tori, Ltd\",\"Guard: contains Tori, which is right here (review)\""
            )
        );
        let csv = guard_csv("zh", "托里拆利", "托里", "0123456789abcdef");
        assert_eq!(
            csv,
            "id,kind,zh,note\nguard-01234567,term,托里拆利,\"Guard: contains 托里, which is right here (review)\""
        );
    }

    #[test]
    fn parse_names_what_is_wrong() {
        assert!(
            Decisions::parse("{}")
                .unwrap_err()
                .contains("not a decisions file")
        );
        assert!(
            Decisions::parse("{\"transmend_decisions\":2,\"documents\":[]}")
                .unwrap_err()
                .contains("version 2")
        );
        let ok = Decisions::parse("{\"transmend_decisions\":1,\"documents\":[{\"path\":\"a\",\"sha256\":\"x\",\"decisions\":[{\"fingerprint\":\"f\",\"rule\":\"artifact\",\"text\":\"t\",\"action\":\"reject\",\"scope\":\"everywhere\",\"future\":1}]}]}").unwrap();
        assert_eq!(ok.documents[0].decisions[0].scope, Some(Scope::Everywhere));
    }
}
