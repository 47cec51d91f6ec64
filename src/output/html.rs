//! The review report: one self-contained HTML page (inline CSS and a little JS, no network),
//! readable with JavaScript off. A corpus overview, then per document the text with every
//! flag highlighted inline, the flags as a table, original | repaired | translation side by
//! side, and the diff. Every piece of document text is escaped.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::report::FileReport;
use crate::check::corpus::Drift;
use crate::flag::{Flag, Rule, Severity};

pub use super::diff_html::escape;

/// The original-vs-repaired diff as an HTML table fragment, when the texts differ.
pub fn diff_fragment(original: &str, repaired: &str) -> Option<String> {
    (original != repaired).then(|| {
        let blocks = super::diff::review(original, repaired);
        super::diff_html::table("original", "repaired", original, repaired, &blocks, None)
    })
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
    /// Segment pairs (source, target), when the document was translated.
    pub translation: Option<&'a [(String, String)]>,
    /// The diff of original vs repaired, already rendered as escaped HTML.
    pub diff_html: Option<String>,
    /// Why the document could not be processed, instead of everything else.
    pub error: Option<String>,
}

impl<'a> DocView<'a> {
    /// A processed document as its report line describes it, with its text and, when there
    /// are any, its repaired text and translation.
    pub fn from_report(
        report: &'a FileReport<'_>,
        text: &'a str,
        repaired: Option<&'a str>,
        translation: Option<&'a [(String, String)]>,
    ) -> DocView<'a> {
        DocView {
            path: report.path.to_string(),
            encoding: &report.encoding,
            language: report.language.as_deref(),
            languages: report
                .languages
                .iter()
                .map(|s| format!("{} {:.0}%", s.lang, s.share * 100.0))
                .collect(),
            text,
            flags: &report.flags,
            repaired: repaired.filter(|r| *r != text),
            translation,
            diff_html: repaired.and_then(|r| diff_fragment(text, r)),
            error: None,
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
}

const STYLE: &str = r#"
:root{--fg:#1a1a1a;--bg:#fff;--muted:#555;--line:#ccc;--err:#b00020;--err-bg:#fde7ea;--warn:#7a4b00;--warn-bg:#fff1c9;--info:#0b4f8a;--info-bg:#e3f0fc}
*{box-sizing:border-box}
body{font:16px/1.6 system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;color:var(--fg);background:var(--bg);margin:0;padding:0 1rem 3rem;max-width:80rem;margin-inline:auto}
h1{font-size:1.6rem}h2{font-size:1.3rem;margin-top:2.5rem;border-top:2px solid var(--line);padding-top:1rem;overflow-wrap:anywhere}h3{font-size:1.05rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top;overflow-wrap:break-word}
td.nowrap,th.nowrap{white-space:nowrap}
th button{font:inherit;font-weight:bold;background:none;border:0;padding:0;cursor:pointer;color:inherit;text-decoration:underline dotted}
.scroll{overflow-x:auto}
.text{white-space:pre-wrap;overflow-wrap:anywhere;border:1px solid var(--line);padding:.75rem;border-radius:4px}
mark{position:relative;border-radius:2px;padding:0 1px;color:inherit;cursor:help}
mark.error{background:var(--err-bg);border-bottom:2px solid var(--err)}
mark.warning{background:var(--warn-bg);border-bottom:2px solid var(--warn)}
mark.info{background:var(--info-bg);border-bottom:2px dotted var(--info)}
mark .tip{display:none;position:absolute;left:0;top:1.6em;z-index:2;min-width:14rem;max-width:min(28rem,80vw);background:#222;color:#fff;padding:.4rem .6rem;border-radius:4px;font-size:.85rem;white-space:normal}
mark:hover .tip,mark:focus .tip{display:block}
mark:focus{outline:3px solid #000;outline-offset:1px}
mark.off{background:transparent;border-bottom:0}mark.off .tip{display:none}
.sev-error{color:var(--err);font-weight:bold}.sev-warning{color:var(--warn);font-weight:bold}.sev-info{color:var(--info)}
.cols{display:flex;gap:1rem;flex-wrap:wrap}.cols>section{flex:1 1 18rem;min-width:0}
.filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;margin:.5rem 0}
.hidden{display:none}
del{background:#fde7ea;color:#7a0014}ins{background:#e2f5e6;color:#0b5d1e;text-decoration:none}
table.diff{table-layout:fixed}table.diff td.n{width:3em;color:var(--muted);text-align:right}table.diff col.n{width:3em}table.diff td.o,table.diff td.c{white-space:pre-wrap}tr.fold td{color:var(--muted);text-align:center}tr.chg td.o{background:#fff6f6}tr.chg td.c{background:#f5fff5}
.error-doc{color:var(--err)}
.muted{color:var(--muted)}
@media (max-width:40rem){body{font-size:15px;padding:0 .5rem 2rem}.text{padding:.5rem}}
"#;

const SCRIPT: &str = r#"
document.querySelectorAll('table.sortable th button').forEach(function(b){
  b.addEventListener('click',function(){
    var th=b.parentNode,table=th.closest('table'),i=Array.prototype.indexOf.call(th.parentNode.children,th);
    var body=table.tBodies[0],rows=Array.prototype.slice.call(body.rows),asc=th.getAttribute('aria-sort')!=='ascending';
    rows.sort(function(x,y){var a=x.cells[i].textContent,b=y.cells[i].textContent,na=parseFloat(a),nb=parseFloat(b);
      var c=(!isNaN(na)&&!isNaN(nb))?na-nb:a.localeCompare(b);return asc?c:-c;});
    rows.forEach(function(r){body.appendChild(r);});
    table.querySelectorAll('th').forEach(function(h){h.removeAttribute('aria-sort');});
    th.setAttribute('aria-sort',asc?'ascending':'descending');
  });
});
document.querySelectorAll('.filters').forEach(function(f){
  var doc=f.closest('section.document');
  f.classList.remove('hidden');
  f.addEventListener('change',function(){
    var off={};f.querySelectorAll('input').forEach(function(i){if(!i.checked)off[i.value]=true;});
    doc.querySelectorAll('[data-rule]').forEach(function(el){
      var hide=off[el.getAttribute('data-rule')]||off[el.getAttribute('data-severity')];
      el.classList.toggle(el.tagName==='MARK'?'off':'hidden',!!hide);
    });
  });
});
"#;

/// Renders the whole report: notes, the corpus overview, the drift check's findings, then
/// each document.
pub fn report(title: &str, docs: &[DocView<'_>], notes: &[String], drift: &[Drift]) -> String {
    let mut out = String::with_capacity(64 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<header><h1>{}</h1>\n",
        escape(title),
        escape(title)
    );
    for note in notes {
        let _ = writeln!(out, "<p class=\"muted\">{}</p>", escape(note));
    }
    out.push_str("</header>\n<main>\n");
    overview(&mut out, docs);
    drift_section(&mut out, drift);
    for (i, doc) in docs.iter().enumerate() {
        document(&mut out, i, doc);
    }
    let _ = write!(
        out,
        "</main>\n<script>{SCRIPT}</script>\n</body>\n</html>\n"
    );
    out
}

fn overview(out: &mut String, docs: &[DocView<'_>]) {
    let rules: Vec<Rule> = Rule::ALL
        .into_iter()
        .filter(|r| docs.iter().any(|d| d.flags.iter().any(|f| f.rule == *r)))
        .collect();
    out.push_str(
        "<section aria-labelledby=\"overview\"><h2 id=\"overview\">Corpus overview</h2>\n",
    );
    let _ = writeln!(
        out,
        "<p>{} documents, {} flags. Click a column heading to sort.</p>",
        docs.len(),
        docs.iter().map(|d| d.flags.len()).sum::<usize>()
    );
    out.push_str("<div class=\"scroll\"><table class=\"sortable\"><thead><tr>");
    let mut headings = vec!["Document".to_string(), "Language".to_string()];
    headings.extend(["error", "warning", "info"].map(String::from));
    headings.extend(rules.iter().map(|r| r.id().to_string()));
    for h in &headings {
        let _ = write!(
            out,
            "<th scope=\"col\"><button type=\"button\">{}</button></th>",
            escape(h)
        );
    }
    out.push_str("</tr></thead><tbody>\n");
    for (i, doc) in docs.iter().enumerate() {
        let mut by_sev: BTreeMap<Severity, usize> = BTreeMap::new();
        let mut by_rule: BTreeMap<Rule, usize> = BTreeMap::new();
        for f in doc.flags {
            *by_sev.entry(f.severity).or_default() += 1;
            *by_rule.entry(f.rule).or_default() += 1;
        }
        let _ = write!(
            out,
            "<tr><th scope=\"row\"><a href=\"#doc-{i}\">{}</a></th><td>{}</td>",
            escape(&doc.path),
            escape(&doc.languages.join(", "))
        );
        for sev in [Severity::Error, Severity::Warning, Severity::Info] {
            let _ = write!(out, "<td>{}</td>", by_sev.get(&sev).copied().unwrap_or(0));
        }
        for r in &rules {
            let _ = write!(out, "<td>{}</td>", by_rule.get(r).copied().unwrap_or(0));
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
            .map(|f| format!("<q>{}</q> in {} document(s)", escape(&f.form), f.documents))
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
        "<section class=\"document\" id=\"doc-{i}\" aria-labelledby=\"doc-{i}-h\"><h2 id=\"doc-{i}-h\">{}</h2>",
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
        "<p class=\"muted\">{} · {} · {} flags</p>",
        escape(doc.encoding),
        escape(&doc.languages.join(", ")),
        doc.flags.len()
    );
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
    out.push_str("<div class=\"cols\">\n<section><h3>Original, flags highlighted</h3>\n<div class=\"text\" lang=\"");
    out.push_str(&escape(doc.language.unwrap_or("und")));
    out.push_str("\">");
    highlighted(out, doc.text, doc.flags);
    out.push_str("</div></section>\n");
    if let Some(repaired) = doc.repaired {
        let _ = writeln!(
            out,
            "<section><h3>Repaired</h3><div class=\"text\" lang=\"{}\">{}</div></section>",
            escape(doc.language.unwrap_or("und")),
            escape(repaired)
        );
    }
    if let Some(pairs) = doc.translation {
        out.push_str("<section><h3>Translation</h3><div class=\"text\">");
        for (_, target) in pairs {
            out.push_str(&escape(target));
            out.push('\n');
        }
        out.push_str("</div></section>\n");
    }
    out.push_str("</div>\n");
    if let Some(diff) = &doc.diff_html {
        let _ = writeln!(out, "<section><h3>Changes made by fix</h3>{diff}</section>");
    }
    if !doc.flags.is_empty() {
        out.push_str("<h3>Flags</h3><div class=\"scroll\"><table><thead><tr><th scope=\"col\">Line</th><th scope=\"col\">Severity</th><th scope=\"col\">Rule</th><th scope=\"col\">Text</th><th scope=\"col\">Suggestion</th><th scope=\"col\">Why</th></tr></thead><tbody>\n");
        for f in doc.flags {
            let suggestion = match f.suggestion.as_deref() {
                Some("") => "(delete)".to_string(),
                Some(s) => escape(s),
                None => String::new(),
            };
            let _ = writeln!(
                out,
                "<tr data-rule=\"{}\" data-severity=\"{}\"><td class=\"nowrap\">{}:{}</td><td class=\"sev-{} nowrap\">{}</td><td class=\"nowrap\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                f.rule,
                f.severity,
                f.line,
                f.column,
                f.severity,
                f.severity,
                f.rule,
                escape(&f.text),
                suggestion,
                escape(&f.message)
            );
        }
        out.push_str("</tbody></table></div>\n");
    }
    out.push_str("</section>\n");
}

/// The text with each flag as a focusable `<mark>` whose tooltip holds rule, message and
/// suggestion. Overlapping flags: the first in text order is highlighted, all are in the table.
fn highlighted(out: &mut String, text: &str, flags: &[Flag]) {
    let mut sorted: Vec<&Flag> = flags
        .iter()
        .filter(|f| f.start <= f.end && f.end <= text.len())
        .filter(|f| text.is_char_boundary(f.start) && text.is_char_boundary(f.end))
        .collect();
    sorted.sort_by_key(|f| (f.start, f.end));
    let mut pos = 0;
    for f in sorted {
        if f.start < pos {
            continue;
        }
        out.push_str(&escape(&text[pos..f.start]));
        let shown = if f.start == f.end {
            "\u{2038}"
        } else {
            &text[f.start..f.end]
        };
        let suggestion = match f.suggestion.as_deref() {
            Some("") => " Suggestion: delete this.".to_string(),
            Some(s) => format!(" Suggestion: {s}"),
            None => String::new(),
        };
        let label = format!("{} {}: {}.{}", f.severity, f.rule, f.message, suggestion);
        let _ = write!(
            out,
            "<mark class=\"{sev}\" tabindex=\"0\" data-rule=\"{rule}\" data-severity=\"{sev}\" aria-label=\"{label}\">{shown}<span class=\"tip\" role=\"tooltip\">{label}</span></mark>",
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
        let html = report("transmend <review>", &[doc], &["note <b>".into()], &[]);
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
        let html = report("r", &[doc], &[], &[]);
        assert!(
            html.contains("<mark class=\"error\" tabindex=\"0\" data-rule=\"deprecated-term\"")
        );
        assert!(html.contains(">劳动派对<span class=\"tip\" role=\"tooltip\">error deprecated-term: known &lt;mistranslation&gt;. Suggestion: 工党</span></mark>"));
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
        let html = report("r", &[], &[], &drift);
        assert!(html.contains("id=\"drift\""), "{html}");
        assert!(html.contains("<strong>nec&lt;x&gt;</strong> (zh): <q>全国执行委员会</q> in 3 document(s), <q>国家执行委员会</q> in 1 document(s)"), "{html}");
        assert!(!report("r", &[], &[], &[]).contains("id=\"drift\""));
    }
}
