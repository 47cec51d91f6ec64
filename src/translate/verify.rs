//! Glossary verification of a translation: every concept found in a source segment must
//! appear in the target in one of its accepted target-language forms, and in none of its
//! deprecated ones. Segments that still fail after enforcement get `glossary-violation` flags.

use std::collections::HashSet;
use std::ops::Range;

use super::protect;
use crate::flag::{Flag, Rule, Severity};
use crate::glossary::Termbase;
use crate::glossary::normalize::{Normalized, normalize_form};
use crate::text::{is_acronym, is_word_char, url_spans};

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
        let Some(preferred) = preferred_for(termbase, concept, target) else {
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
            preferred,
        });
    }
    out
}

/// The glossary column a translation target reads: `zh` for `zh-Hant`, `zh-TW`, `zh-HK`.
fn glossary_lang(target: &str) -> &str {
    match crate::hanzi::target(target) {
        Some(_) => "zh",
        None => target,
    }
}

/// A concept's preferred form for a translation into `target`, in the target's script.
fn preferred_for(termbase: &Termbase, concept: usize, target: &str) -> Option<String> {
    let concept = &termbase.glossary.concepts[concept];
    match crate::hanzi::target(target) {
        Some((script, region)) => concept.preferred_chinese(script, region),
        None => concept.preferred(target).map(str::to_string),
    }
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
    // The glossary's column for a Traditional Chinese target is `zh`: its forms match either
    // script.
    let target = glossary_lang(target);
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

/// `translation` with a space between accepted target forms of the segment's concepts that
/// run together ("Labour PartyNational Executive Committee"), as an engine that enforces the
/// glossary itself (DeepL's glossary, an LLM's prompt) may write them when the source terms
/// touch, as they do in Chinese. Only a chain of two or more such forms that stands as a whole
/// word sequence is split, and only where two word characters of a spaced script meet (never
/// in CJK text): the engine's own words are left as they are.
pub(crate) fn separate_glued_terms(
    termbase: &Termbase,
    terms: &[SourceTerm],
    translation: &str,
    target: &str,
) -> String {
    if terms.is_empty() {
        return translation.to_string();
    }
    let norm = Normalized::new(translation);
    let text = norm.text.as_str();
    let mut concepts: Vec<usize> = terms.iter().map(|t| t.concept).collect();
    concepts.sort_unstable();
    concepts.dedup();
    // Every occurrence of an accepted form, word boundaries ignored: (start, end) in `text`.
    let mut found: Vec<(usize, usize)> = Vec::new();
    for concept in concepts
        .iter()
        .filter_map(|&c| termbase.glossary.concepts.get(c))
    {
        for form in concept.accepted(target) {
            let key = normalize_form(form);
            if key.is_empty() {
                continue;
            }
            let case_sensitive = concept.case_sensitive || is_acronym(form);
            for (start, _) in text.match_indices(key.as_str()) {
                let end = start + key.len();
                let original = &translation[norm.to_original(start..end)];
                if !case_sensitive || same_letters(original, form) {
                    found.push((start, end));
                }
            }
        }
    }
    if found.len() < 2 {
        return translation.to_string();
    }
    found.sort_unstable();
    found.dedup();
    let around = |s: &str, i: usize| (s[..i].chars().next_back(), s[i..].chars().next());
    let glued = |i: usize| match around(text, i) {
        (Some(a), Some(b)) => is_word_char(a) && is_word_char(b),
        _ => false,
    };
    // Ends that a chain of forms reaches from a start on a word boundary (in order of start,
    // so a chain's earlier links are known), and starts from which a chain reaches an end on
    // a word boundary (in reverse order).
    let mut from_boundary: HashSet<usize> = HashSet::new();
    for &(start, end) in &found {
        if !glued(start) || from_boundary.contains(&start) {
            from_boundary.insert(end);
        }
    }
    let mut to_boundary: HashSet<usize> = HashSet::new();
    for &(start, end) in found.iter().rev() {
        if !glued(end) || to_boundary.contains(&end) {
            to_boundary.insert(start);
        }
    }
    // Where two links meet: a space if both sides are words of a spaced script, in the
    // normalised view (as the matcher sees them) and in the text (nothing dropped between, such
    // as an interpunct).
    let mut junctions: Vec<usize> = from_boundary
        .intersection(&to_boundary)
        .filter_map(|&i| {
            let o = norm.orig_start(i);
            let spaced = match around(text, i) {
                (Some(a), Some(b)) => protect::needs_space(a, b),
                _ => false,
            };
            let touching = match around(translation, o) {
                (Some(a), Some(b)) => a.is_alphanumeric() && b.is_alphanumeric(),
                _ => false,
            };
            (spaced && touching).then_some(o)
        })
        .collect();
    if junctions.is_empty() {
        return translation.to_string();
    }
    junctions.sort_unstable();
    junctions.dedup();
    let mut out = String::with_capacity(translation.len() + junctions.len());
    let mut pos = 0;
    for j in junctions {
        out.push_str(&translation[pos..j]);
        out.push(' ');
        pos = j;
    }
    out.push_str(&translation[pos..]);
    out
}

/// Whether `found` spells `form` letter for letter in the same case (width and spacing aside).
fn same_letters(found: &str, form: &str) -> bool {
    fn letters(s: &str) -> impl Iterator<Item = char> + '_ {
        s.chars().filter(|c| c.is_alphanumeric()).map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
    }
    letters(found).eq(letters(form))
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
                let preferred = preferred_for(termbase, *concept, target).unwrap_or_default();
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
                let preferred = preferred_for(termbase, *concept, target).unwrap_or_default();
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

    #[test]
    fn glued_target_terms_are_separated_then_pass() {
        let tb = termbase();
        let terms = source_terms(&tb, "工党全国执行委员会开会了", "zh", "en");
        assert_eq!(terms.len(), 2);
        // The cause: forms are matched on word boundaries, and glued forms have none between
        // ("Labour" passes as an admitted form; the committee is not found).
        let glued = "EN: Labour PartyNational Executive Committee met";
        let v = check(&tb, &terms, glued, "en");
        assert!(
            matches!(v[..], [Violation::Missing { concept: 1, .. }]),
            "{v:?}"
        );
        let fixed = separate_glued_terms(&tb, &terms, glued, "en");
        assert_eq!(fixed, "EN: Labour Party National Executive Committee met");
        assert!(check(&tb, &terms, &fixed, "en").is_empty());
        for (glued, want) in [
            (
                "labour partynational executive committee's decision",
                "labour party national executive committee's decision",
            ),
            ("(Labour PartyNEC)", "(Labour Party NEC)"),
            ("the NECLabour Party-led", "the NEC Labour Party-led"),
            (
                "LabourNational Executive Committee, Labour PartyLabour",
                "Labour National Executive Committee, Labour Party Labour",
            ),
            (
                "Labour PartyNational Executive CommitteeLabour Party.",
                "Labour Party National Executive Committee Labour Party.",
            ),
            ("ＮＥＣLabour Party", "ＮＥＣ Labour Party"),
        ] {
            let fixed = separate_glued_terms(&tb, &terms, glued, "en");
            assert_eq!(fixed, want, "{glued}");
            assert!(check(&tb, &terms, &fixed, "en").is_empty(), "{fixed}");
        }
    }

    #[test]
    fn only_whole_glued_accepted_forms_are_separated() {
        let tb = termbase();
        let terms = source_terms(&tb, "工党全国执行委员会", "zh", "en");
        assert_eq!(
            separate_glued_terms(&tb, &terms, "Labour PartyNEC", "en"),
            "Labour Party NEC"
        );
        for same in [
            "Labour Party National Executive Committee",
            "Labour Party  National Executive Committee",
            "Labour Party-National Executive Committee",
            "Labour Party's National Executive Committee",
            // Not a whole word sequence: inside longer words.
            "xLabour PartyNational Executive Committee",
            "Labour PartyNational Executive Committees",
            // An acronym in the wrong case is not the form.
            "Labour Partynec",
            // A deprecated form is not separated (it is flagged as it is).
            "Labour PartyNational Executive Council",
            // A form of a concept that is not in the source (党 alone is no source term).
            "Labour Partyparty",
            // An interpunct (dropped from the matcher's view) already sets the words apart.
            "Labour Party·National Executive Committee",
            "",
        ] {
            assert_eq!(separate_glued_terms(&tb, &terms, same, "en"), same);
        }
        // A CJK target has no spaces between words.
        let terms = source_terms(
            &tb,
            "the Labour Party National Executive Committee",
            "en",
            "zh",
        );
        assert_eq!(terms.len(), 2);
        let zh = "工党全国执行委员会开会了";
        assert_eq!(separate_glued_terms(&tb, &terms, zh, "zh"), zh);
        assert!(check(&tb, &terms, zh, "zh").is_empty());
        // Nothing to separate without terms.
        assert_eq!(
            separate_glued_terms(&tb, &[], "Labour PartyNEC", "en"),
            "Labour PartyNEC"
        );
    }
}
