//! The corpus-wide view: flag counts over every document, and the drift check — one concept
//! written in two or more distinct accepted forms across the documents of a corpus (each
//! document may be consistent on its own). `check`, `fix` and `run` all keep one [`Tally`].

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

use super::terms::distinct_renderings;
use crate::analysis::Analysis;
use crate::flag::{Flag, Rule, Severity};

/// One concept written in several accepted forms across a corpus.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Drift {
    /// The glossary concept id.
    pub concept: String,
    /// The language of the forms.
    pub lang: String,
    /// Each distinct form and how many documents use it, sorted by form.
    pub forms: Vec<FormCount>,
}

/// A form and the number of documents that use it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormCount {
    pub form: String,
    pub documents: usize,
}

/// Running totals over a whole run.
#[derive(Debug, Default, Clone)]
pub struct Tally {
    /// Documents processed.
    pub documents: usize,
    /// Inputs that could not be processed.
    pub failed: usize,
    /// Inputs passed over on purpose.
    pub skipped: usize,
    /// Documents per main language (`none` for documents without letters).
    pub languages: BTreeMap<&'static str, usize>,
    /// Flags per rule and severity.
    pub flags: BTreeMap<(Rule, Severity), usize>,
    /// Flags the project's ignore file left out.
    pub ignored: usize,
    /// (concept, language) -> form -> documents using it.
    forms: BTreeMap<(String, String), BTreeMap<String, usize>>,
}

impl Tally {
    /// Counts one analysed and checked document: its language, flags and glossary forms.
    pub fn add_document(&mut self, a: &Analysis) {
        self.documents += 1;
        *self
            .languages
            .entry(a.detection.language.unwrap_or("none"))
            .or_default() += 1;
        self.add_flags(&a.flags);
        self.ignored += a.ignored.len();
        let mut seen = HashSet::new();
        for (concept, lang, form) in &a.renderings {
            if seen.insert((concept, lang, form)) {
                let forms = self
                    .forms
                    .entry((concept.clone(), lang.clone()))
                    .or_default();
                *forms.entry(form.clone()).or_default() += 1;
            }
        }
    }

    /// Counts flags found beyond a document's own check (the bilingual flags of a pair).
    pub fn add_flags(&mut self, flags: &[Flag]) {
        for f in flags {
            *self.flags.entry((f.rule, f.severity)).or_default() += 1;
        }
    }

    /// Number of flags at `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.flags
            .iter()
            .filter(|((_, s), _)| *s == severity)
            .map(|(_, n)| n)
            .sum()
    }

    /// Number of flags of `rule`.
    pub fn count_rule(&self, rule: Rule) -> usize {
        self.flags
            .iter()
            .filter(|((r, _), _)| *r == rule)
            .map(|(_, n)| n)
            .sum()
    }

    /// Number of flags at `error` severity.
    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    /// The drift check: concepts written in two or more distinct accepted forms across the
    /// corpus (never for a corpus of one document: its own check reports inconsistencies).
    pub fn drift(&self) -> Vec<Drift> {
        if self.documents < 2 {
            return Vec::new();
        }
        let mut out = Vec::new();
        for ((concept, lang), forms) in &self.forms {
            let names: Vec<&str> = forms.keys().map(String::as_str).collect();
            let distinct = distinct_renderings(&names);
            if distinct.len() >= 2 {
                out.push(Drift {
                    concept: concept.clone(),
                    lang: lang.clone(),
                    forms: distinct
                        .iter()
                        .map(|f| FormCount {
                            form: f.to_string(),
                            documents: forms[*f],
                        })
                        .collect(),
                });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Document;

    fn doc(path: &str, renderings: &[(&str, &str)]) -> Analysis {
        let mut a = crate::analysis::analyze(Document::from_text(path, "工党"), None);
        a.renderings = renderings
            .iter()
            .map(|(c, f)| (c.to_string(), "zh".to_string(), f.to_string()))
            .collect();
        a
    }

    #[test]
    fn drift_counts_documents_per_form_across_the_corpus() {
        let mut tally = Tally::default();
        tally.add_document(&doc("a", &[("antisemitism", "反犹主义")]));
        assert!(tally.drift().is_empty(), "one document: nothing to compare");
        tally.add_document(&doc("b", &[("antisemitism", "反犹太主义")]));
        tally.add_document(&doc("c", &[("antisemitism", "反犹太主义"), ("nec", "NEC")]));
        let drift = tally.drift();
        assert_eq!(drift.len(), 1);
        assert_eq!(drift[0].concept, "antisemitism");
        let forms: Vec<(&str, usize)> = drift[0]
            .forms
            .iter()
            .map(|f| (f.form.as_str(), f.documents))
            .collect();
        assert_eq!(forms, [("反犹主义", 1), ("反犹太主义", 2)]);
        assert_eq!(tally.languages.get("zh"), Some(&3));
    }

    #[test]
    fn flags_are_counted_by_rule_and_severity() {
        let text = "abc";
        let mut tally = Tally::default();
        tally.add_flags(&[
            Flag::new(Rule::DeprecatedTerm, Severity::Error, text, 0..1, "m"),
            Flag::new(Rule::DeprecatedTerm, Severity::Error, text, 1..2, "m"),
            Flag::new(Rule::Untranslated, Severity::Info, text, 2..3, "m"),
        ]);
        assert_eq!(tally.errors(), 2);
        assert_eq!(tally.count(Severity::Info), 1);
        assert_eq!(tally.count_rule(Rule::DeprecatedTerm), 2);
        assert_eq!(tally.count(Severity::Warning), 0);
    }
}
