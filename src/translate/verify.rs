//! Glossary verification of a translation: every concept found in a source segment must
//! appear in the target in one of its accepted target-language forms, and in none of its
//! deprecated ones. Segments that still fail after enforcement get `glossary-violation` flags.

use std::ops::Range;

use crate::flag::{Flag, Rule, Severity};
use crate::glossary::Termbase;
use crate::glossary::normalize::Normalized;
use crate::text::url_spans;

/// A concept found in a source segment that has a preferred form in the target language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SourceTerm {
    pub(crate) span: Range<usize>,
    /// Index into the glossary's concepts.
    pub(crate) concept: usize,
    /// The source form as written in the text.
    pub(crate) form: String,
    /// The preferred target form.
    pub(crate) preferred: String,
}

/// The concepts in `text` (a `source`-language segment) that the `target` language has a
/// preferred form for, in text order. Left out: forms in other languages, URLs, forms shared by
/// two concepts (ambiguous), and single CJK characters (党 in 党员 is a morpheme of another word:
/// neither a placeholder nor a required target term makes sense there).
pub(crate) fn source_terms(
    termbase: &Termbase,
    text: &str,
    source: &str,
    target: &str,
) -> Vec<SourceTerm> {
    let urls = url_spans(text);
    let mut out = Vec::new();
    for m in termbase.matcher.find(text, &Normalized::new(text)) {
        if urls
            .iter()
            .any(|u| u.start < m.span.end && m.span.start < u.end)
        {
            continue;
        }
        let mut concepts = m.entries().filter(|e| e.lang == source).map(|e| e.concept);
        let Some(concept) = concepts.next() else {
            continue;
        };
        if concepts.any(|c| c != concept) {
            continue;
        }
        let Some(preferred) = termbase.glossary.concepts[concept].preferred(target) else {
            continue;
        };
        let mut chars = text[m.span.clone()].chars();
        if chars.next().is_some_and(crate::text::is_cjk) && chars.next().is_none() {
            continue;
        }
        out.push(SourceTerm {
            form: text[m.span.clone()].to_string(),
            span: m.span,
            concept,
            preferred: preferred.to_string(),
        });
    }
    out
}

/// What is wrong with one concept in a translation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Violation {
    /// None of the accepted target forms is there.
    Missing { concept: usize, source_form: String },
    /// A deprecated target form is there.
    Deprecated {
        concept: usize,
        span: Range<usize>,
        form: String,
    },
}

/// Checks `translation` (in `target`) against the concepts of its source.
pub(crate) fn check(
    termbase: &Termbase,
    terms: &[SourceTerm],
    translation: &str,
    target: &str,
) -> Vec<Violation> {
    if terms.is_empty() {
        return Vec::new();
    }
    let found = termbase
        .matcher
        .find(translation, &Normalized::new(translation));
    let mut out = Vec::new();
    let mut seen: Vec<usize> = Vec::new();
    for term in terms {
        if seen.contains(&term.concept) {
            continue;
        }
        seen.push(term.concept);
        let entries = || {
            found.iter().flat_map(|m| {
                m.entries()
                    .filter(|e| e.concept == term.concept && e.lang == target)
                    .map(move |e| (m, e))
            })
        };
        if let Some((m, e)) = entries().find(|(_, e)| !e.status.is_accepted()) {
            out.push(Violation::Deprecated {
                concept: term.concept,
                span: m.span.clone(),
                form: e.form.clone(),
            });
        } else if !entries().any(|(_, e)| e.status.is_accepted()) {
            out.push(Violation::Missing {
                concept: term.concept,
                source_form: term.form.clone(),
            });
        }
    }
    out
}

/// The `glossary-violation` flags for a translation that still fails, spans into it.
pub(crate) fn flags(
    termbase: &Termbase,
    violations: &[Violation],
    translation: &str,
    target: &str,
) -> Vec<Flag> {
    violations
        .iter()
        .map(|v| match v {
            Violation::Missing {
                concept,
                source_form,
            } => {
                let c = &termbase.glossary.concepts[*concept];
                let preferred = c.preferred(target).unwrap_or_default();
                Flag::new(
                    Rule::GlossaryViolation,
                    Severity::Error,
                    translation,
                    0..translation.len(),
                    format!(
                        "'{source_form}' is not rendered as '{preferred}' (or another accepted form) in the translation"
                    ),
                )
                .concept(&c.id)
            }
            Violation::Deprecated {
                concept,
                span,
                form,
            } => {
                let c = &termbase.glossary.concepts[*concept];
                let preferred = c.preferred(target).unwrap_or_default();
                Flag::new(
                    Rule::GlossaryViolation,
                    Severity::Error,
                    translation,
                    span.clone(),
                    format!("'{form}' is a known wrong rendering; use '{preferred}'"),
                )
                .suggest(preferred)
                .concept(&c.id)
            }
        })
        .map(|mut f| {
            f.locate(translation, &crate::lines::LineIndex::new(translation));
            f
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glossary::{Concept, Glossary, Origin, Status, Term};
    use std::collections::BTreeMap;

    pub(crate) fn termbase() -> Termbase {
        let concept = |id: &str, forms: &[(&str, &str, Status)]| {
            let mut langs: BTreeMap<String, Vec<Term>> = BTreeMap::new();
            for (lang, text, status) in forms {
                langs.entry(lang.to_string()).or_default().push(Term {
                    text: text.to_string(),
                    status: *status,
                });
            }
            Concept {
                id: id.into(),
                kind: None,
                note: None,
                case_sensitive: false,
                langs,
                origin: Origin::default(),
            }
        };
        use Status::*;
        Termbase::new(Glossary {
            concepts: vec![
                concept(
                    "labour-party",
                    &[
                        ("en", "Labour Party", Preferred),
                        ("en", "Labour", Admitted),
                        ("zh", "工党", Preferred),
                        ("zh", "劳动派对", Deprecated),
                    ],
                ),
                concept(
                    "nec",
                    &[
                        ("en", "National Executive Committee", Preferred),
                        ("en", "NEC", Admitted),
                        ("en", "National Executive Council", Deprecated),
                        ("zh", "全国执行委员会", Preferred),
                    ],
                ),
                concept("guard", &[("zh", "朝鲜劳动党", Preferred)]),
                concept(
                    "party",
                    &[("zh", "党", Preferred), ("en", "party", Preferred)],
                ),
            ],
        })
        .unwrap()
    }

    #[test]
    fn finds_source_concepts_with_a_target_form() {
        let tb = termbase();
        let text = "工党和全国执行委员会，朝鲜劳动党，党";
        let terms = source_terms(&tb, text, "zh", "en");
        let got: Vec<(&str, &str)> = terms
            .iter()
            .map(|t| (t.form.as_str(), t.preferred.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("工党", "Labour Party"),
                ("全国执行委员会", "National Executive Committee")
            ]
        );
    }

    #[test]
    fn accepted_forms_pass_deprecated_and_missing_fail() {
        let tb = termbase();
        let terms = source_terms(&tb, "工党和全国执行委员会", "zh", "en");
        assert!(check(&tb, &terms, "Labour and the NEC", "en").is_empty());
        let v = check(
            &tb,
            &terms,
            "The Workers' Party and the National Executive Council",
            "en",
        );
        assert_eq!(v.len(), 2, "{v:?}");
        assert!(matches!(v[0], Violation::Missing { concept: 0, .. }));
        assert!(matches!(v[1], Violation::Deprecated { concept: 1, .. }));
        let translation = "The Workers' Party and the National Executive Council";
        let f = flags(&tb, &v, translation, "en");
        assert_eq!(f[0].rule, Rule::GlossaryViolation);
        assert_eq!(f[0].concept.as_deref(), Some("labour-party"));
        assert_eq!(f[1].text, "National Executive Council");
        assert_eq!(
            f[1].suggestion.as_deref(),
            Some("National Executive Committee")
        );
    }
}
