//! The human summary: one line per document (encoding, languages, segments), then each flag as a
//! rustc-style snippet with the suggestion, and a closing tally.

use std::io::{self, Write};
use std::path::Path;

use codespan_reporting::diagnostic::{Diagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, termcolor::WriteColor};

use crate::analysis::Analysis;
use crate::check::corpus::{Drift, Tally};
use crate::flag::{Flag, Rule, Severity};

/// A count and its noun, singular for exactly one: `count(1, "document", "documents")` is
/// `1 document`, `count(0, "flag", "flags")` is `0 flags`. Every count a person reads goes
/// through here, so that no output says "1 documents".
pub fn count(n: usize, singular: &str, plural: &str) -> String {
    format!("{n} {}", if n == 1 { singular } else { plural })
}

/// Writes one document's header line and its flags.
/// With `show_ignored`, the flags the ignore file left out follow under their own heading.
pub fn write_analysis(w: &mut dyn WriteColor, a: &Analysis, show_ignored: bool) -> io::Result<()> {
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
    if !a.ignored.is_empty() {
        extra = format!(", {} ignored", a.ignored.len());
    }
    if a.doc.replacements > 0 {
        extra += &format!(
            ", {} replaced",
            count(
                a.doc.replacements,
                "undecodable sequence",
                "undecodable sequences"
            )
        );
    }
    w.set_color(term::termcolor::ColorSpec::new().set_bold(true))?;
    write!(w, "{path}")?;
    w.reset()?;
    let format = match a.doc.format {
        crate::format::Format::Text => String::new(),
        f => format!("{}, ", f.name()),
    };
    writeln!(
        w,
        ": {format}{}, {langs}, {}, {}{extra}",
        a.doc.encoding_name(),
        count(a.segment_count, "segment", "segments"),
        count(a.flags.len(), "flag", "flags")
    )?;
    if let Some((_, message)) = crate::mojibake::file_name(&a.doc.path) {
        writeln!(w, "  {message}")?;
    }
    write_flags(w, a, &a.flags, &path)?;
    if show_ignored && !a.ignored.is_empty() {
        writeln!(w, "ignored by .transmend-ignore:")?;
        write_flags(w, a, &a.ignored, &path)?;
    }
    Ok(())
}

/// The flags of a document as annotated snippets of its source.
fn write_flags(w: &mut dyn WriteColor, a: &Analysis, flags: &[Flag], path: &str) -> io::Result<()> {
    if flags.is_empty() {
        return Ok(());
    }
    // Snippets of the file as the user's editor shows it: the markup, for HTML, Markdown and
    // subtitles.
    let flags = crate::output::report::in_source_of(a, std::borrow::Cow::Borrowed(flags));
    let file = SimpleFile::new(path, a.doc.source_text().unwrap_or(&a.doc.text));
    let config = term::Config::default();
    for flag in flags.iter() {
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

/// Writes the closing tally, and the concepts written in several forms across the corpus.
pub fn write_totals(w: &mut dyn Write, t: &Tally) -> io::Result<()> {
    let sev = [
        count(t.count(Severity::Error), "error", "errors"),
        count(t.count(Severity::Warning), "warning", "warnings"),
        count(t.count(Severity::Info), "info", "info"),
    ];
    write!(
        w,
        "{} checked, {} could not be read; flags: {}",
        count(t.documents, "document", "documents"),
        t.failed,
        sev.join(", ")
    )?;
    let rules: Vec<String> = Rule::ALL
        .iter()
        .map(|r| (r, t.count_rule(*r)))
        .filter(|(_, n)| *n > 0)
        .map(|(r, n)| format!("{r} {n}"))
        .collect();
    if !rules.is_empty() {
        write!(w, " ({})", rules.join(", "))?;
    }
    if t.ignored > 0 {
        write!(
            w,
            "; {} ignored by .transmend-ignore (--show-ignored to see them)",
            count(t.ignored, "flag", "flags")
        )?;
    }
    writeln!(w)?;
    write_drift(w, &t.drift())
}

/// Writes the drift check's findings (nothing when there are none).
pub fn write_drift(w: &mut dyn Write, drift: &[Drift]) -> io::Result<()> {
    if drift.is_empty() {
        return Ok(());
    }
    writeln!(
        w,
        "one concept in several forms across the corpus (choose one):"
    )?;
    for d in drift {
        let forms: Vec<String> = d
            .forms
            .iter()
            .map(|f| format!("'{}' in {} document(s)", f.form, f.documents))
            .collect();
        writeln!(w, "  {} ({}): {}", d.concept, d.lang, forms.join(", "))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::analyze;
    use crate::check::Flag;
    use crate::document::Document;
    use codespan_reporting::term::termcolor::NoColor;

    #[test]
    fn header_and_snippet_with_suggestion() {
        let text = "我们是劳动派对的国家竞选协调员。";
        let mut a = analyze(Document::from_text("s.zh.txt", text), None);
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
        write_analysis(&mut out, &a, false).unwrap();
        let s = String::from_utf8(out.into_inner()).unwrap();
        assert!(
            s.starts_with("s.zh.txt: UTF-8, zh 100%, 1 segment, 1 flag\n"),
            "{s}"
        );
        assert!(s.contains("error[deprecated-term]: wrong"), "{s}");
        assert!(s.contains("suggestion: 工党"), "{s}");
        assert!(s.contains("s.zh.txt:1:4"), "{s}");
        let mut totals = Tally::default();
        totals.add_document(&a);
        let mut out = Vec::new();
        write_totals(&mut out, &totals).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "1 document checked, 0 could not be read; flags: 1 error, 0 warnings, 0 info (deprecated-term 1)\n"
        );
    }

    #[test]
    fn counts_take_the_singular_for_one_only() {
        assert_eq!(count(1, "document", "documents"), "1 document");
        assert_eq!(count(0, "document", "documents"), "0 documents");
        assert_eq!(count(2, "flag", "flags"), "2 flags");
        let mut out = Vec::new();
        write_totals(&mut out, &Tally::default()).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "0 documents checked, 0 could not be read; flags: 0 errors, 0 warnings, 0 info\n"
        );
    }
}
