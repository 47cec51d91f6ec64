//! The human summary: one line per document (encoding, languages, segments), then each flag as a
//! rustc-style snippet with the suggestion, and a closing tally.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::Path;

use codespan_reporting::diagnostic::{Diagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, termcolor::WriteColor};

use crate::check::{Rule, Severity};
use crate::pipeline::Analysis;

/// One concept written in several accepted forms across a corpus.
#[derive(Debug, Clone, PartialEq)]
pub struct Drift<'a> {
    pub concept: &'a str,
    pub lang: &'a str,
    /// Each distinct form and how many documents use it.
    pub forms: Vec<(&'a str, usize)>,
}

/// Running totals over a whole run, for the closing tally.
#[derive(Debug, Default, Clone)]
pub struct Totals {
    pub documents: usize,
    pub failed: usize,
    pub skipped: usize,
    pub by_severity: BTreeMap<Severity, usize>,
    pub by_rule: BTreeMap<Rule, usize>,
    /// (concept, language) -> form -> documents using it.
    pub forms: BTreeMap<(String, String), BTreeMap<String, usize>>,
}

impl Totals {
    /// Counts one analysed document.
    pub fn add(&mut self, a: &Analysis) {
        self.documents += 1;
        for f in &a.flags {
            *self.by_severity.entry(f.severity).or_default() += 1;
            *self.by_rule.entry(f.rule).or_default() += 1;
        }
        let mut seen = std::collections::HashSet::new();
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

    /// Concepts written in two or more distinct accepted forms across the corpus.
    pub fn corpus_inconsistencies(&self) -> Vec<Drift<'_>> {
        let mut out = Vec::new();
        for ((concept, lang), forms) in &self.forms {
            let names: Vec<&str> = forms.keys().map(String::as_str).collect();
            let distinct = crate::check::terms::distinct_renderings(&names);
            if distinct.len() >= 2 {
                let forms = distinct.iter().map(|f| (*f, forms[*f])).collect();
                out.push(Drift {
                    concept,
                    lang,
                    forms,
                });
            }
        }
        out
    }

    /// Number of flags at `error` severity.
    pub fn errors(&self) -> usize {
        self.by_severity.get(&Severity::Error).copied().unwrap_or(0)
    }
}

/// Writes one document's header line and its flags.
pub fn write_analysis(w: &mut dyn WriteColor, a: &Analysis) -> io::Result<()> {
    let path = a.doc.path.display().to_string();
    let langs: Vec<String> = a
        .detection
        .languages
        .iter()
        .map(|s| format!("{} {:.0}%", s.lang, s.share * 100.0))
        .collect();
    let langs = if langs.is_empty() {
        "no letters".to_string()
    } else {
        langs.join(" · ")
    };
    let mut extra = String::new();
    if a.doc.replacements > 0 {
        extra = format!(", {} undecodable sequences replaced", a.doc.replacements);
    }
    w.set_color(term::termcolor::ColorSpec::new().set_bold(true))?;
    write!(w, "{path}")?;
    w.reset()?;
    writeln!(
        w,
        ": {}, {langs}, {} segments, {} flags{extra}",
        a.doc.encoding_name(),
        a.segments.len(),
        a.flags.len()
    )?;
    if a.flags.is_empty() {
        return Ok(());
    }
    let file = SimpleFile::new(path, a.doc.text.as_str());
    let config = term::Config::default();
    for flag in &a.flags {
        let severity = match flag.severity {
            Severity::Error => CsSeverity::Error,
            Severity::Warning => CsSeverity::Warning,
            Severity::Info => CsSeverity::Note,
        };
        let label = match &flag.suggestion {
            Some(s) if s.is_empty() => "suggestion: delete this".to_string(),
            Some(s) => format!("suggestion: {s}"),
            None => String::new(),
        };
        let mut diagnostic = Diagnostic::new(severity)
            .with_code(flag.rule.id())
            .with_message(&flag.message)
            .with_labels(vec![
                Label::primary((), flag.start..flag.end).with_message(label),
            ]);
        if let Some(concept) = &flag.concept {
            diagnostic = diagnostic.with_notes(vec![format!("glossary concept: {concept}")]);
        }
        term::emit_to_write_style(w, &config, &file, &diagnostic).map_err(io::Error::other)?;
    }
    Ok(())
}

/// Writes the line for a file that could not be processed.
pub fn write_failed(w: &mut dyn WriteColor, message: &str) -> io::Result<()> {
    w.set_color(
        term::termcolor::ColorSpec::new()
            .set_fg(Some(term::termcolor::Color::Red))
            .set_bold(true),
    )?;
    write!(w, "error")?;
    w.reset()?;
    writeln!(w, ": {message}")
}

/// Writes the note for something passed over on purpose.
pub fn write_skipped(w: &mut dyn Write, path: &Path, reason: &str) -> io::Result<()> {
    writeln!(w, "note: skipped {}: {reason}", path.display())
}

/// Writes the closing tally.
pub fn write_totals(w: &mut dyn Write, t: &Totals) -> io::Result<()> {
    let sev: Vec<String> = [Severity::Error, Severity::Warning, Severity::Info]
        .iter()
        .map(|s| format!("{} {s}", t.by_severity.get(s).copied().unwrap_or(0)))
        .collect();
    write!(
        w,
        "{} documents checked, {} could not be read; flags: {}",
        t.documents,
        t.failed,
        sev.join(", ")
    )?;
    if !t.by_rule.is_empty() {
        let rules: Vec<String> = t.by_rule.iter().map(|(r, n)| format!("{r} {n}")).collect();
        write!(w, " ({})", rules.join(", "))?;
    }
    writeln!(w)?;
    let inconsistent = t.corpus_inconsistencies();
    if t.documents > 1 && !inconsistent.is_empty() {
        writeln!(
            w,
            "one concept in several forms across the corpus (choose one):"
        )?;
        for d in inconsistent {
            let forms: Vec<String> = d
                .forms
                .iter()
                .map(|(f, n)| format!("'{f}' in {n} document(s)"))
                .collect();
            writeln!(w, "  {} ({}): {}", d.concept, d.lang, forms.join(", "))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::Flag;
    use crate::document::Document;
    use crate::pipeline::{Options, analyze};
    use codespan_reporting::term::termcolor::NoColor;

    #[test]
    fn header_and_snippet_with_suggestion() {
        let text = "我们是劳动派对的国家竞选协调员。";
        let mut a = analyze(Document::from_text("s.zh.txt", text), &Options::default());
        let start = text.find("劳动派对").unwrap();
        let mut flag = Flag::new(
            Rule::DeprecatedTerm,
            Severity::Error,
            text,
            start..start + 12,
            "wrong",
        );
        flag = flag.suggest("工党").concept("labour-party");
        a.flags.push(flag);
        let mut out = NoColor::new(Vec::new());
        write_analysis(&mut out, &a).unwrap();
        let s = String::from_utf8(out.into_inner()).unwrap();
        assert!(
            s.starts_with("s.zh.txt: UTF-8, zh 100%, 1 segments, 1 flags\n"),
            "{s}"
        );
        assert!(s.contains("error[deprecated-term]: wrong"), "{s}");
        assert!(s.contains("suggestion: 工党"), "{s}");
        assert!(s.contains("s.zh.txt:1:4"), "{s}");
        let mut totals = Totals::default();
        totals.add(&a);
        let mut out = Vec::new();
        write_totals(&mut out, &totals).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "1 documents checked, 0 could not be read; flags: 1 error, 0 warning, 0 info (deprecated-term 1)\n"
        );
    }
}
