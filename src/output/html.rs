//! The review report: one self-contained HTML page (inline CSS and a little JS, no network),
//! readable with JavaScript off. A corpus overview, then per document the text with every
//! flag highlighted inline, the flags as a table, original | repaired side by side, the
//! translation paragraph by paragraph beside its source, and the diff. Every piece of
//! document text is escaped. The page is in English (`<html lang="en">`); each block of
//! document text carries its own language, so that browsers choose a CJK font for it. At
//! phone widths (40rem and less) side-by-side columns stack and nothing scrolls the page
//! sideways.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::human::count;
use super::report::FileReport;
use crate::check::corpus::Drift;
use crate::flag::{Flag, Rule, Severity};
use crate::text::is_cjk;

pub use super::diff_html::escape;

/// The original-vs-repaired diff as an HTML table fragment, when the texts differ. `lang` is
/// the documents' language, for the text cells.
pub fn diff_fragment(original: &str, repaired: &str, lang: Option<&str>) -> Option<String> {
    (original != repaired).then(|| {
        let blocks = super::diff::review(original, repaired);
        super::diff_html::table(
            "original", "repaired", original, repaired, &blocks, None, lang,
        )
    })
}

/// One translated segment as the report shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranslatedSegment {
    /// 0-based paragraph of the source text the segment belongs to: segments of one
    /// paragraph are shown together, beside their translation.
    pub paragraph: usize,
    pub source: String,
    pub target: String,
}

/// A document's translation: its languages and segments, in document order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translation {
    pub source_lang: String,
    pub target_lang: String,
    pub segments: Vec<TranslatedSegment>,
}

/// One document as the report shows it.
#[derive(Debug, Clone, Default)]
pub struct DocView<'a> {
    pub path: String,
    pub encoding: &'a str,
    pub language: Option<&'a str>,
    /// Languages and shares, as `zh 91%` strings.
    pub languages: Vec<String>,
    pub text: &'a str,
    pub flags: &'a [Flag],
    /// The repaired text, when `fix` changed something.
    pub repaired: Option<&'a str>,
    /// The translation of the repaired text, when the document was translated.
    pub translation: Option<&'a Translation>,
    /// The texts the "changes made by fix" diff is of (original, repaired): the text by
    /// default, the source for markup. Rendered with the page.
    pub diff: Option<(&'a str, &'a str)>,
    /// Why the document could not be processed, instead of everything else.
    pub error: Option<String>,
    /// Flags the project's ignore file left out.
    pub ignored: usize,
    /// Why the file name is mojibake and how it should read.
    pub name_note: Option<&'a str>,
}

impl<'a> DocView<'a> {
    /// A processed document as its report line describes it, with its text and its flags in
    /// offsets of that text, and, when there are any, its repaired text and translation.
    pub fn from_report(
        report: &'a FileReport<'_>,
        text: &'a str,
        flags: &'a [Flag],
        repaired: Option<&'a str>,
        translation: Option<&'a Translation>,
    ) -> DocView<'a> {
        let language = report.language.as_deref();
        DocView {
            path: report.path.to_string(),
            encoding: &report.encoding,
            language,
            languages: report
                .languages
                .iter()
                .map(|s| format!("{} {:.0}%", s.lang, s.share * 100.0))
                .collect(),
            text,
            flags,
            repaired: repaired.filter(|r| *r != text),
            name_note: report.name_mojibake.as_ref().map(|n| n.message.as_str()),
            translation,
            diff: repaired.filter(|r| *r != text).map(|r| (text, r)),
            error: None,
            ignored: report.ignored,
        }
    }

    /// A document that could not be processed.
    pub fn failed(path: impl Into<String>, error: impl Into<String>) -> DocView<'a> {
        DocView {
            path: path.into(),
            error: Some(error.into()),
            ..DocView::default()
        }
    }

    /// The `lang` attribute value of the document's text: its language, or `und`.
    fn lang(&self) -> String {
        escape(self.language.unwrap_or("und"))
    }
}

/// The page's CSS. Fonts: a Latin stack with Simplified Chinese last (the corpus's usual
/// language); text marked `lang="ja"`, `ko` or traditional Chinese gets its own CJK font
/// first, so that shared Han characters take that language's glyph forms.
const STYLE: &str = include_str!("report.css");

/// The page's script: sortable overview columns, the per-document filters, and tooltips
/// kept inside the window on wide screens (on narrow ones the CSS pins them to the bottom).
/// Everything works without it except sorting and filtering.
const SCRIPT: &str = include_str!("report.js");

/// Renders the whole report on one page: notes, the corpus overview, the drift check's
/// findings, then each document.
/// `review` is the review data (docs/review.md) as script-safe JSON: with it the page's
/// script offers accept, reject and edit for each flag.
pub fn report(
    title: &str,
    docs: &[DocView<'_>],
    notes: &[String],
    drift: &[Drift],
    review: Option<&str>,
) -> String {
    let summaries: Vec<DocSummary> = docs.iter().map(DocSummary::of).collect();
    let mut sections = String::new();
    for (i, doc) in docs.iter().enumerate() {
        document(&mut sections, i, doc);
    }
    page(
        title,
        &summaries,
        notes,
        drift,
        &Body::Inline {
            sections: &sections,
            review,
        },
    )
}

/// One document's row in the corpus overview: what the index of a report in pages keeps of
/// each document once its section is written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocSummary {
    pub path: String,
    /// Languages and shares, as `zh 91%` strings.
    pub languages: Vec<String>,
    /// Flags by severity: error, warning, info.
    pub severities: [usize; 3],
    pub rules: BTreeMap<Rule, usize>,
    /// Why the document could not be processed.
    pub error: Option<String>,
}

impl DocSummary {
    /// The overview row of a document view.
    pub fn of(doc: &DocView<'_>) -> DocSummary {
        let mut severities = [0; 3];
        let mut rules: BTreeMap<Rule, usize> = BTreeMap::new();
        for f in doc.flags {
            severities[severity_column(f.severity)] += 1;
            *rules.entry(f.rule).or_default() += 1;
        }
        DocSummary {
            path: doc.path.clone(),
            languages: doc.languages.clone(),
            severities,
            rules,
            error: doc.error.clone(),
        }
    }

    /// All its flags.
    pub fn flags(&self) -> usize {
        self.severities.iter().sum()
    }
}

fn severity_column(severity: Severity) -> usize {
    match severity {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    }
}

/// What follows the overview on a report page.
#[derive(Debug, Clone, Copy)]
pub enum Body<'a> {
    /// Every document's section (from [`section`]), in order, and the review data.
    Inline {
        sections: &'a str,
        review: Option<&'a str>,
    },
    /// A report in pages: each document's section is in its own script file under `folder`
    /// (relative to the page), loaded when the reader opens it; `review` is the index's
    /// review data, `run` names the run the files must come from.
    Paged {
        folder: &'a str,
        run: &'a str,
        review: Option<&'a str>,
    },
}

/// The file name of document `index`'s section in a report in pages.
pub fn page_file(index: usize) -> String {
    format!("{index:06}.js")
}

/// One document's section, as [`report`] shows it and a report in pages loads it.
pub fn section(index: usize, doc: &DocView<'_>) -> String {
    let mut out = String::with_capacity(2 * doc.text.len() + 4096);
    document(&mut out, index, doc);
    out
}

/// Renders a report page from the documents' overview rows and a body: the documents' sections
/// inline, or, for a report in pages, a placeholder per document that its section replaces
/// when the reader opens it.
pub fn page(
    title: &str,
    docs: &[DocSummary],
    notes: &[String],
    drift: &[Drift],
    body: &Body<'_>,
) -> String {
    let mut out = String::with_capacity(64 * 1024 + docs.len() * 512);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}{}</style>\n</head>\n<body>\n<header><h1>{}</h1>\n",
        escape(title),
        super::diff_html::NARROW_STYLE,
        escape(title)
    );
    for note in notes {
        let _ = writeln!(out, "<p class=\"muted\">{}</p>", escape(note));
    }
    let review = match body {
        Body::Inline { review, .. } | Body::Paged { review, .. } => *review,
    };
    if review.is_some() {
        out.push_str("<div id=\"review-bar\" class=\"review-bar\"></div>\n");
    }
    out.push_str("</header>\n");
    match body {
        Body::Inline { .. } => out.push_str("<main>\n"),
        Body::Paged { folder, run, .. } => {
            let _ = writeln!(
                out,
                "<main data-pages=\"{}\" data-run=\"{}\">\n<p class=\"pages-note\">This report is in pages: each document is in its own file in the <code>{}</code> folder beside this page and opens when you choose it in the overview (or its <em>Show</em> button). Keep the folder with the page.</p>\n<noscript><p class=\"error-doc\">The documents of this report open with JavaScript, which is off: their flags are in report.jsonl, their repaired copies in fixed/ and their diffs in diff/.</p></noscript>",
                escape(folder),
                escape(run),
                escape(folder)
            );
        }
    }
    overview(&mut out, docs);
    drift_section(&mut out, drift);
    match body {
        Body::Inline { sections, .. } => out.push_str(sections),
        Body::Paged { folder, .. } => {
            for (i, doc) in docs.iter().enumerate() {
                placeholder(&mut out, i, doc, folder);
            }
        }
    }
    out.push_str("</main>\n");
    if let Some(review) = review {
        let _ = writeln!(
            out,
            "<script type=\"application/json\" id=\"transmend-review\">{review}</script>"
        );
    }
    let _ = write!(out, "<script>{SCRIPT}</script>\n</body>\n</html>\n");
    out
}

/// A document of a report in pages before it is opened: its heading, its counts and the
/// button that loads its section from `folder`.
fn placeholder(out: &mut String, i: usize, doc: &DocSummary, folder: &str) {
    let _ = write!(
        out,
        "<section class=\"document pending\" id=\"doc-{i}\" data-doc=\"{i}\" data-page=\"{}/{}\" aria-labelledby=\"doc-{i}-h\"><h2 id=\"doc-{i}-h\">{}</h2><p class=\"muted\">",
        escape(folder),
        page_file(i),
        escape(&doc.path)
    );
    match &doc.error {
        Some(error) => {
            let _ = write!(out, "Could not be processed: {}", escape(error));
        }
        None => out.push_str(&count(doc.flags(), "flag", "flags")),
    }
    out.push_str(
        " <button type=\"button\" class=\"show-doc hidden\">Show</button></p></section>\n",
    );
}

fn overview(out: &mut String, docs: &[DocSummary]) {
    let rules: Vec<Rule> = Rule::ALL
        .into_iter()
        .filter(|r| docs.iter().any(|d| d.rules.contains_key(r)))
        .collect();
    out.push_str(
        "<section aria-labelledby=\"overview\"><h2 id=\"overview\">Corpus overview</h2>\n",
    );
    let _ = writeln!(
        out,
        "<p>{}, {}. Click a column heading to sort.</p>",
        count(docs.len(), "document", "documents"),
        count(
            docs.iter().map(DocSummary::flags).sum::<usize>(),
            "flag",
            "flags"
        )
    );
    out.push_str("<div class=\"scroll\"><table class=\"sortable\"><thead><tr>");
    let headings = ["Document", "Language", "error", "warning", "info"];
    for h in headings {
        let _ = write!(
            out,
            "<th scope=\"col\"><button type=\"button\">{h}</button></th>"
        );
    }
    // Rule ids are never broken inside: the table scrolls instead.
    for r in &rules {
        let _ = write!(
            out,
            "<th scope=\"col\"><button type=\"button\" class=\"rule\">{r}</button></th>"
        );
    }
    out.push_str("</tr></thead><tbody>\n");
    for (i, doc) in docs.iter().enumerate() {
        let _ = write!(
            out,
            "<tr><th scope=\"row\"><a href=\"#doc-{i}\">{}</a></th><td>{}</td>",
            escape(&doc.path),
            escape(&doc.languages.join(", "))
        );
        for n in doc.severities {
            let _ = write!(out, "<td>{n}</td>");
        }
        for r in &rules {
            let _ = write!(out, "<td>{}</td>", doc.rules.get(r).copied().unwrap_or(0));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div></section>\n");
}

/// Concepts written in several forms across the corpus: which form each document count uses.
fn drift_section(out: &mut String, drift: &[Drift]) {
    if drift.is_empty() {
        return;
    }
    out.push_str(
        "<section aria-labelledby=\"drift\"><h2 id=\"drift\">One concept in several forms across the corpus</h2>\n<p>Each document is consistent on its own; choose one form for the corpus.</p>\n<ul>\n",
    );
    for d in drift {
        let forms: Vec<String> = d
            .forms
            .iter()
            .map(|f| {
                format!(
                    "<q lang=\"{}\">{}</q> in {}",
                    escape(&d.lang),
                    escape(&f.form),
                    count(f.documents, "document", "documents")
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "<li><strong>{}</strong> ({}): {}</li>",
            escape(&d.concept),
            escape(&d.lang),
            forms.join(", ")
        );
    }
    out.push_str("</ul></section>\n");
}

fn document(out: &mut String, i: usize, doc: &DocView<'_>) {
    let _ = writeln!(
        out,
        "<section class=\"document\" id=\"doc-{i}\" data-doc=\"{i}\" aria-labelledby=\"doc-{i}-h\"><h2 id=\"doc-{i}-h\">{}</h2>",
        escape(&doc.path)
    );
    if let Some(error) = &doc.error {
        let _ = writeln!(
            out,
            "<p class=\"error-doc\">Could not be processed: {}</p></section>",
            escape(error)
        );
        return;
    }
    let _ = writeln!(
        out,
        "<p class=\"muted\">{} · {} · {}{}</p>",
        escape(doc.encoding),
        escape(&doc.languages.join(", ")),
        count(doc.flags.len(), "flag", "flags"),
        if doc.ignored > 0 {
            format!(" · {} ignored (.transmend-ignore)", doc.ignored)
        } else {
            String::new()
        }
    );
    if let Some(note) = doc.name_note {
        let _ = writeln!(out, "<p class=\"name-note\">{}</p>", escape(note));
    }
    // Filters (shown only when JavaScript runs; everything is visible without it).
    let mut rules: Vec<Rule> = doc.flags.iter().map(|f| f.rule).collect();
    rules.sort();
    rules.dedup();
    if !doc.flags.is_empty() {
        let _ = write!(
            out,
            "<fieldset class=\"filters hidden\"><legend>Show</legend>"
        );
        for sev in ["error", "warning", "info"] {
            let _ = write!(
                out,
                "<label><input type=\"checkbox\" value=\"{sev}\" checked> {sev}</label>"
            );
        }
        for r in &rules {
            let _ = write!(
                out,
                "<label><input type=\"checkbox\" value=\"{r}\" checked> {r}</label>"
            );
        }
        out.push_str("</fieldset>\n");
    }
    let _ = writeln!(out, "<div class=\"review\" data-doc=\"{i}\"></div>");
    let lang = doc.lang();
    let _ = write!(
        out,
        "<div class=\"cols\">\n<section><h3>Original, flags highlighted</h3>\n<div class=\"text\" lang=\"{lang}\">"
    );
    highlighted(out, i, doc.text, doc.flags);
    out.push_str("</div></section>\n");
    if let Some(repaired) = doc.repaired {
        let _ = writeln!(
            out,
            "<section><h3>Repaired</h3><div class=\"text\" lang=\"{lang}\">{}</div></section>",
            escape(repaired)
        );
    }
    out.push_str("</div>\n");
    if let Some(translation) = doc.translation {
        translation_table(out, doc.repaired.unwrap_or(doc.text), translation);
    }
    if let Some(diff) = doc
        .diff
        .and_then(|(original, repaired)| diff_fragment(original, repaired, doc.language))
    {
        let _ = writeln!(out, "<section><h3>Changes made by fix</h3>{diff}</section>");
    }
    if !doc.flags.is_empty() {
        out.push_str("<h3>Flags</h3><div class=\"scroll\"><table class=\"flags\"><thead><tr><th scope=\"col\">Line</th><th scope=\"col\">Severity</th><th scope=\"col\">Rule</th><th scope=\"col\">Text</th><th scope=\"col\">Suggestion</th><th scope=\"col\">Why</th></tr></thead><tbody>\n");
        for (k, f) in doc.flags.iter().enumerate() {
            let suggestion = match f.suggestion.as_deref() {
                Some("") => {
                    "<td class=\"wide\" data-label=\"Suggestion\">(delete)</td>".to_string()
                }
                Some(s) => format!(
                    "<td class=\"wide\" data-label=\"Suggestion\" lang=\"{lang}\">{}</td>",
                    escape(s)
                ),
                None => "<td></td>".to_string(),
            };
            let _ = writeln!(
                out,
                "<tr data-doc=\"{i}\" data-flag=\"{k}\" data-rule=\"{}\" data-severity=\"{}\"><td class=\"nowrap\">{}:{}</td><td class=\"sev-{} nowrap\">{}</td><td class=\"rule\">{}</td><td class=\"wide\" data-label=\"Text\" lang=\"{lang}\">{}</td>{suggestion}<td class=\"wide\" data-label=\"Why\">{}</td></tr>",
                f.rule,
                f.severity,
                f.line,
                f.column,
                f.severity,
                f.severity,
                f.rule,
                escape(&f.text),
                escape(&f.message)
            );
        }
        out.push_str("</tbody></table></div>\n");
    }
    out.push_str("</section>\n");
}

/// One row of the translation table: a paragraph of the translated text and its translation.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ParagraphRow {
    /// 0-based paragraph of the source text.
    paragraph: usize,
    source: String,
    target: String,
}

/// Groups the segments by paragraph. Each paragraph's source is rebuilt from `source_text`
/// (the text that was translated) when the segments are found in it in order, so that the
/// white space between its sentences, line breaks included, is the document's own; a line
/// break between two sources becomes one between their translations too. Segments not found
/// in the text, or found past other text, are joined by a space, or by nothing next to CJK
/// characters.
fn paragraph_rows(source_text: &str, segments: &[TranslatedSegment]) -> Vec<ParagraphRow> {
    let mut rows: Vec<ParagraphRow> = Vec::new();
    let mut cursor = 0;
    for seg in segments {
        // Where the segment starts in the text, and what lies between it and the one before.
        let found = source_text
            .get(cursor..)
            .and_then(|rest| rest.find(&seg.source))
            .map(|at| {
                let gap = &source_text[cursor..cursor + at];
                cursor += at + seg.source.len();
                gap
            });
        match rows.last_mut() {
            Some(row) if row.paragraph == seg.paragraph => {
                let gap = found
                    .filter(|gap| gap.trim().is_empty())
                    .unwrap_or_else(|| separator(&row.source, &seg.source));
                let line_break = gap.contains('\n');
                row.source.push_str(gap);
                row.source.push_str(&seg.source);
                let target_gap = if line_break {
                    "\n"
                } else {
                    separator(&row.target, &seg.target)
                };
                row.target.push_str(target_gap);
                row.target.push_str(&seg.target);
            }
            _ => rows.push(ParagraphRow {
                paragraph: seg.paragraph,
                source: seg.source.clone(),
                target: seg.target.clone(),
            }),
        }
    }
    rows
}

/// What goes between two sentences of one paragraph: nothing when either side of the join
/// is CJK (those languages write no spaces between sentences), else a space.
fn separator(before: &str, after: &str) -> &'static str {
    let cjk_end = before.chars().next_back().is_some_and(is_cjk);
    let cjk_start = after.chars().next().is_some_and(is_cjk);
    if before.is_empty() || after.is_empty() || cjk_end || cjk_start {
        ""
    } else {
        " "
    }
}

/// The translation as a table with one row per paragraph: the paragraph as translated (the
/// repaired text) beside its translation, so that each lines up with the other; at narrow
/// widths the two cells stack, labelled by language.
fn translation_table(out: &mut String, source_text: &str, translation: &Translation) {
    let (from, to) = (&translation.source_lang, &translation.target_lang);
    let from_name = escape(crate::lang::name(from));
    let to_name = escape(crate::lang::name(to));
    let (from, to) = (escape(from), escape(to));
    let _ = writeln!(
        out,
        "<section class=\"translation\"><h3>Translation</h3>\n<p class=\"muted\">{from_name} → {to_name}, paragraph by paragraph: each paragraph of the repaired text beside its translation.</p>\n<table class=\"paras\"><colgroup><col class=\"pn\"><col><col></colgroup><thead><tr><th scope=\"col\" class=\"pn\"><abbr title=\"paragraph\">¶</abbr></th><th scope=\"col\">{from_name}</th><th scope=\"col\">{to_name}</th></tr></thead><tbody>"
    );
    for row in paragraph_rows(source_text, &translation.segments) {
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\" class=\"pn\">{}</th><td class=\"src\" lang=\"{from}\" data-label=\"{from_name}\">{}</td><td class=\"tgt\" lang=\"{to}\" data-label=\"{to_name}\">{}</td></tr>",
            row.paragraph + 1,
            escape(&row.source),
            escape(&row.target)
        );
    }
    out.push_str("</tbody></table></section>\n");
}

/// What a flag's tooltip says after its severity and rule: the message as a sentence, then
/// the suggestion. A message that already ends a sentence (a glossary note ending in a full
/// stop) gets no second one.
fn tooltip(f: &Flag) -> String {
    let mut text = f.message.trim_end().to_string();
    end_sentence(&mut text);
    match f.suggestion.as_deref() {
        Some("") => text.push_str(" Suggestion: delete this."),
        Some(s) => {
            text.push_str(" Suggestion: ");
            text.push_str(s);
        }
        None => {}
    }
    text
}

/// Adds a full stop unless the text already ends a sentence, possibly inside closing quotes
/// or brackets (`… the mail.`, `(see below.)`, `use '工党'。`).
fn end_sentence(text: &mut String) {
    let closing = ['\'', '"', ')', ']', '’', '”', '」', '』', '）'];
    let last = text.trim_end_matches(closing).chars().next_back();
    if !last.is_some_and(|c| matches!(c, '.' | '!' | '?' | '…' | '。' | '！' | '？')) {
        text.push('.');
    }
}

/// The text with each flag as a focusable `<mark>` whose tooltip holds rule, message and
/// suggestion. Overlapping flags: the first in text order is highlighted, all are in the table.
/// The tooltip is English inside text of another language: it says so (`lang="en"`), and its
/// rule id is never broken across lines.
fn highlighted(out: &mut String, doc: usize, text: &str, flags: &[Flag]) {
    let mut sorted: Vec<(usize, &Flag)> = flags
        .iter()
        .enumerate()
        .filter(|(_, f)| f.start <= f.end && f.end <= text.len())
        .filter(|(_, f)| text.is_char_boundary(f.start) && text.is_char_boundary(f.end))
        .collect();
    sorted.sort_by_key(|(_, f)| (f.start, f.end));
    let mut pos = 0;
    for (k, f) in sorted {
        if f.start < pos {
            continue;
        }
        out.push_str(&escape(&text[pos..f.start]));
        let shown = if f.start == f.end {
            "\u{2038}"
        } else {
            &text[f.start..f.end]
        };
        let said = tooltip(f);
        let label = format!("{} {}: {said}", f.severity, f.rule);
        let tip = format!(
            "{} <span class=\"rule\">{}</span>: {}",
            f.severity,
            f.rule,
            escape(&said)
        );
        let _ = write!(
            out,
            "<mark class=\"{sev}\" tabindex=\"0\" data-doc=\"{doc}\" data-flag=\"{k}\" data-rule=\"{rule}\" data-severity=\"{sev}\" aria-label=\"{label}\">{shown}<span class=\"tip\" role=\"tooltip\" lang=\"en\">{tip}</span></mark>",
            sev = f.severity,
            rule = f.rule,
            label = escape(&label),
            shown = escape(shown),
        );
        pos = f.end;
    }
    out.push_str(&escape(&text[pos..]));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flag(text: &str, needle: &str, sev: Severity) -> Flag {
        let start = text.find(needle).unwrap();
        Flag::new(
            Rule::DeprecatedTerm,
            sev,
            text,
            start..start + needle.len(),
            "known <mistranslation>",
        )
        .suggest("工党")
    }

    #[test]
    fn hostile_text_is_escaped_everywhere() {
        let text = "我们是劳动派对<script>document.title='pwned'</script><img src=x onerror=alert(1)></textarea>";
        let flags = vec![
            flag(text, "劳动派对", Severity::Error),
            flag(text, "<script>", Severity::Warning),
        ];
        let doc = DocView {
            path: "a<b>.txt".into(),
            encoding: "UTF-8",
            language: Some("zh"),
            languages: vec!["zh 100%".into()],
            text,
            flags: &flags,
            repaired: Some("<script>alert(2)</script>"),
            ..DocView::default()
        };
        let html = report(
            "transmend <review>",
            &[doc],
            &["note <b>".into()],
            &[],
            None,
        );
        assert_eq!(
            html.matches("<script>").count(),
            1,
            "only our own script element"
        );
        assert!(!html.contains("<img"));
        assert!(!html.contains("</textarea>"));
        assert!(html.contains("document.title=&#39;pwned&#39;&lt;/script&gt;"));
        assert!(html.contains("&lt;script&gt;alert(2)&lt;/script&gt;"));
        assert!(html.contains("a&lt;b&gt;.txt"));
        assert!(html.contains("known &lt;mistranslation&gt;"));
    }

    #[test]
    fn flags_are_focusable_marks_with_their_suggestion() {
        let text = "我们是劳动派对的协调员";
        let flags = vec![flag(text, "劳动派对", Severity::Error)];
        let doc = DocView {
            path: "s.zh.txt".into(),
            text,
            flags: &flags,
            ..DocView::default()
        };
        let html = report("r", &[doc], &[], &[], None);
        assert!(
            html.contains("<mark class=\"error\" tabindex=\"0\" data-doc=\"0\" data-flag=\"0\" data-rule=\"deprecated-term\"")
        );
        assert!(html.contains(">劳动派对<span class=\"tip\" role=\"tooltip\" lang=\"en\">error <span class=\"rule\">deprecated-term</span>: known &lt;mistranslation&gt;. Suggestion: 工党</span></mark>"), "{html}");
        assert!(html.contains("<a href=\"#doc-0\">s.zh.txt</a>"));
        assert!(
            !html.contains("http://") && !html.contains("https://"),
            "no network"
        );
    }

    #[test]
    fn drift_is_listed_escaped_and_only_when_found() {
        use crate::check::corpus::FormCount;
        let drift = [Drift {
            concept: "nec<x>".into(),
            lang: "zh".into(),
            forms: vec![
                FormCount {
                    form: "全国执行委员会".into(),
                    documents: 3,
                },
                FormCount {
                    form: "国家执行委员会".into(),
                    documents: 1,
                },
            ],
        }];
        let html = report("r", &[], &[], &drift, None);
        assert!(html.contains("id=\"drift\""), "{html}");
        assert!(html.contains("<strong>nec&lt;x&gt;</strong> (zh): <q lang=\"zh\">全国执行委员会</q> in 3 documents, <q lang=\"zh\">国家执行委员会</q> in 1 document"), "{html}");
        assert!(!report("r", &[], &[], &[], None).contains("id=\"drift\""));
    }

    #[test]
    fn a_message_ending_a_sentence_gets_no_second_full_stop() {
        let text = "第一个通过邮政的制度";
        let mut noted = flag(text, "第一个通过邮政", Severity::Error);
        noted.message = "'第一个通过邮政' is a known mistranslation; use '简单多数制'. It reads post as the mail.".into();
        assert_eq!(
            tooltip(&noted),
            "'第一个通过邮政' is a known mistranslation; use '简单多数制'. It reads post as the mail. Suggestion: 工党"
        );
        let plain = flag(text, "制度", Severity::Warning);
        assert_eq!(
            tooltip(&plain),
            "known <mistranslation>. Suggestion: 工党",
            "a message without a full stop gets one"
        );
        for (message, ends) in [
            ("see the note (below.)", "(below.) Suggestion"),
            ("it says '停止。'", "'停止。' Suggestion"),
            ("is it?", "is it? Suggestion"),
            ("trailing space. ", "space. Suggestion"),
        ] {
            let mut f = flag(text, "制度", Severity::Info);
            f.message = message.into();
            assert!(tooltip(&f).contains(ends), "{}", tooltip(&f));
        }
        let flags = vec![noted];
        let doc = DocView {
            path: "p.zh.txt".into(),
            text,
            flags: &flags,
            ..DocView::default()
        };
        let html = report("r", &[doc], &[], &[], None);
        assert!(!html.contains(".."), "{html}");
    }

    #[test]
    fn counts_read_singular_for_one() {
        let text = "我们是劳动派对的协调员";
        let flags = vec![flag(text, "劳动派对", Severity::Error)];
        let doc = DocView {
            path: "s.zh.txt".into(),
            encoding: "UTF-8",
            languages: vec!["zh 100%".into()],
            text,
            flags: &flags,
            ..DocView::default()
        };
        let html = report("r", &[doc], &[], &[], None);
        assert!(html.contains("<p>1 document, 1 flag. "), "{html}");
        assert!(html.contains("UTF-8 · zh 100% · 1 flag</p>"), "{html}");
        let none = report("r", &[], &[], &[], None);
        assert!(none.contains("<p>0 documents, 0 flags. "), "{none}");
    }

    fn segment(paragraph: usize, source: &str, target: &str) -> TranslatedSegment {
        TranslatedSegment {
            paragraph,
            source: source.into(),
            target: target.into(),
        }
    }

    #[test]
    fn translation_rows_keep_paragraphs_and_the_text_s_own_breaks() {
        let source = "第一句。第二句。\n\n  第三句\n第四句。\n";
        let segments = [
            segment(0, "第一句。", "First."),
            segment(0, "第二句。", "Second."),
            segment(1, "第三句", "Third"),
            segment(1, "第四句。", "Fourth."),
        ];
        let rows = paragraph_rows(source, &segments);
        let shown: Vec<(usize, &str, &str)> = rows
            .iter()
            .map(|r| (r.paragraph, r.source.as_str(), r.target.as_str()))
            .collect();
        assert_eq!(
            shown,
            [
                (0, "第一句。第二句。", "First. Second."),
                (1, "第三句\n第四句。", "Third\nFourth."),
            ]
        );
        // Sources not found in the text (another text was translated), or found only past
        // other text, are still joined, and nothing else comes in between.
        for text in ["", "第一句。另一句。第二句。"] {
            let rows = paragraph_rows(text, &segments[..2]);
            assert_eq!(
                (rows[0].source.as_str(), rows[0].target.as_str()),
                ("第一句。第二句。", "First. Second."),
                "{text}"
            );
        }
        let en = [segment(0, "One.", "一。"), segment(0, "Two.", "二。")];
        let rows = paragraph_rows("One. Two.", &en);
        assert_eq!(
            (rows[0].source.as_str(), rows[0].target.as_str()),
            ("One. Two.", "一。二。")
        );
    }

    #[test]
    fn the_translation_is_a_row_per_paragraph_with_languages() {
        let text = "我们是劳动派对的成员。<b>\n\n第二段。";
        let translation = Translation {
            source_lang: "zh".into(),
            target_lang: "en".into(),
            segments: vec![
                segment(0, "我们是劳动派对的成员。", "We are members."),
                segment(0, "<b>", "<b>"),
                segment(1, "第二段。", "Second paragraph."),
            ],
        };
        let doc = DocView {
            path: "t.zh.txt".into(),
            language: Some("zh"),
            text,
            translation: Some(&translation),
            ..DocView::default()
        };
        let html = report("r", &[doc], &[], &[], None);
        assert!(html.contains("<html lang=\"en\">"));
        assert!(html.contains("<div class=\"text\" lang=\"zh\">"), "{html}");
        assert!(html.contains("<h3>Translation</h3>"), "{html}");
        assert!(html.contains("<tr><th scope=\"row\" class=\"pn\">1</th><td class=\"src\" lang=\"zh\" data-label=\"Chinese\">我们是劳动派对的成员。&lt;b&gt;</td><td class=\"tgt\" lang=\"en\" data-label=\"English\">We are members. &lt;b&gt;</td></tr>"), "{html}");
        assert!(html.contains("<tr><th scope=\"row\" class=\"pn\">2</th><td class=\"src\" lang=\"zh\" data-label=\"Chinese\">第二段。</td><td class=\"tgt\" lang=\"en\" data-label=\"English\">Second paragraph.</td></tr>"), "{html}");
        assert!(!html.contains("<b>"), "escaped");
    }
}
