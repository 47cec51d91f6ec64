//! The reviewer's diff as one self-contained HTML page: inline CSS, no scripts, no network.
//! Original and corrected side by side, deletions and insertions highlighted, and beside each
//! change the flag (rule, message) that caused it when a report is given. Every piece of
//! document text, path and message is HTML-escaped. The page is in English; the documents'
//! text carries their language (`lang`), so that browsers choose a CJK font for it. At phone
//! widths (40rem and less) the two sides stack, each original line above its correction.

use std::fmt::Write as _;

use super::diff::{Block, Tag, block_causes, causes_of, change_counts};
use super::human::count;
use crate::flag::Flag;

/// Unchanged lines shown around each change; longer unchanged stretches are folded.
const CONTEXT: usize = 1;

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    crate::format::html::escape_text(text).into_owned()
}

/// The page's CSS; [`table`] relies on its classes, and on [`NARROW_STYLE`].
pub const STYLE: &str = "
body{font-family:system-ui,-apple-system,'Segoe UI','Noto Sans','Noto Sans CJK SC','PingFang SC','Microsoft YaHei',sans-serif;margin:1.5rem;color:#1b1b1b;background:#fff}
:lang(zh-Hant),:lang(zh-TW),:lang(zh-HK){font-family:system-ui,-apple-system,'Segoe UI','Noto Sans','Noto Sans CJK TC','PingFang TC','Microsoft JhengHei',sans-serif}
:lang(ja){font-family:system-ui,-apple-system,'Segoe UI','Noto Sans','Noto Sans CJK JP','Hiragino Sans','Yu Gothic',sans-serif}
:lang(ko){font-family:system-ui,-apple-system,'Segoe UI','Noto Sans','Noto Sans CJK KR','Apple SD Gothic Neo','Malgun Gothic',sans-serif}
h1{font-size:1.2rem;margin:0 0 .3rem;overflow-wrap:anywhere}
p.meta{color:#555;margin:.2rem 0 1rem}
table{border-collapse:collapse;width:100%;table-layout:fixed}
td,th{vertical-align:top;padding:.15rem .4rem;border-bottom:1px solid #eee;white-space:pre-wrap;overflow-wrap:break-word;line-height:1.6}
td.o,td.c{overflow-wrap:anywhere}
th{text-align:left;background:#f4f4f4;font-weight:600;overflow-wrap:anywhere}
td.n{width:3.2em;color:#888;text-align:right;font-variant-numeric:tabular-nums;user-select:none}
col.n{width:3.2em}
col.why{width:max(24%,15rem)}
tr.fold td{color:#888;text-align:center;background:#fafafa}
tr.chg td.o{background:#fff6f6}
tr.chg td.c{background:#f5fff5}
del{background:#ffc9c9;color:#8a0000;text-decoration:line-through}
ins{background:#b8f0c2;color:#00570f;text-decoration:none}
td.why{font-size:.85em;white-space:normal;color:#333}
.rule{font-family:ui-monospace,monospace;font-weight:600;color:#0b5394;white-space:nowrap}
.why div{margin-bottom:.3em}
@media (max-width:40rem){body{margin:.75rem .5rem}}
";

/// The CSS that stacks a [`table`] at phone widths (also used by the review report, which
/// embeds the table): each row becomes a two-column grid, line number and text, so the
/// original line sits above the corrected one and the causes below both; unchanged lines
/// are shown once.
pub const NARROW_STYLE: &str = "
@media (max-width:40rem){
table.diff,table.diff thead,table.diff tbody{display:block}
table.diff colgroup{display:none}
table.diff tr{display:grid;grid-template-columns:2.6em minmax(0,1fr)}
table.diff td.n{width:auto;padding-left:0}
table.diff .why,table.diff tr.fold td{grid-column:1/-1}
table.diff td.none{display:none}
table.diff tr.eq td:nth-child(n+3){display:none}
table.diff tr.chg{border-top:1px solid #ddd}
}
";

/// The whole page. `original_name`/`corrected_name` label the two columns; `lang` is the
/// documents' language (BCP 47), for their text.
pub fn page(
    original_name: &str,
    corrected_name: &str,
    old: &str,
    new: &str,
    blocks: &[Block],
    causes: Option<&[Flag]>,
    lang: Option<&str>,
) -> String {
    let mut html = String::new();
    let (dels, inss) = change_counts(blocks);
    let title = format!("{original_name} → {corrected_name}");
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}{NARROW_STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n\
         <p class=\"meta\">{}, {}{}</p>\n",
        escape(&title),
        escape(&title),
        count(dels, "deletion", "deletions"),
        count(inss, "insertion", "insertions"),
        if causes.is_some() {
            ", with the flags that caused them"
        } else {
            ""
        }
    );
    html.push_str(&table(
        original_name,
        corrected_name,
        old,
        new,
        blocks,
        causes,
        lang,
    ));
    html.push_str("</body>\n</html>\n");
    html
}

/// The side-by-side table alone, to embed in another page (the review report); it relies on
/// the classes of [`STYLE`] (`del`, `ins`, `td.n`, `tr.fold`, `tr.chg`, `td.why`) and on
/// [`NARROW_STYLE`]. The body carries `lang` (the documents' language, `und` when unknown);
/// the English cells in it (folds, causes) say `lang="en"`.
pub fn table(
    original_name: &str,
    corrected_name: &str,
    old: &str,
    new: &str,
    blocks: &[Block],
    causes: Option<&[Flag]>,
    lang: Option<&str>,
) -> String {
    let mut html = String::new();
    let why = causes.is_some();
    html.push_str("<table class=\"diff\">\n<colgroup><col class=\"n\"><col><col class=\"n\"><col>");
    if why {
        html.push_str("<col class=\"why\">");
    }
    let _ = write!(
        html,
        "</colgroup>\n<thead><tr><th></th><th>{}</th><th></th><th>{}</th>{}</tr></thead>\n<tbody lang=\"{}\">\n",
        escape(original_name),
        escape(corrected_name),
        if why {
            "<th class=\"why\">why</th>"
        } else {
            ""
        },
        escape(lang.unwrap_or("und"))
    );
    let causes = causes.unwrap_or(&[]);
    for (i, block) in blocks.iter().enumerate() {
        if block.changed {
            changed_rows(&mut html, old, new, block, causes, why);
        } else {
            let before = i > 0;
            let after = i + 1 < blocks.len();
            equal_rows(&mut html, old, block, before, after, why);
        }
    }
    html.push_str("</tbody>\n</table>\n");
    html
}

/// Unchanged lines: `CONTEXT` lines next to each change, the rest folded into one row.
fn equal_rows(
    html: &mut String,
    old: &str,
    block: &Block,
    change_before: bool,
    change_after: bool,
    why: bool,
) {
    let text = &old[block.pieces[0].old.clone()];
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let n = lines.len();
    let head = if change_before { CONTEXT.min(n) } else { 0 };
    let tail = if change_after {
        CONTEXT.min(n - head)
    } else {
        0
    };
    let extra = if why { "<td></td>" } else { "" };
    let row = |html: &mut String, k: usize| {
        let line = escape(lines[k].trim_end_matches(['\n', '\r']));
        let _ = writeln!(
            html,
            "<tr class=\"eq\"><td class=\"n\">{}</td><td class=\"o\">{line}</td><td class=\"n\">{}</td><td class=\"c\">{line}</td>{extra}</tr>",
            block.old_lines.start + k + 1,
            block.new_lines.start + k + 1,
        );
    };
    for k in 0..head {
        row(html, k);
    }
    let folded = n - head - tail;
    if folded > 0 {
        let _ = writeln!(
            html,
            "<tr class=\"fold\"><td colspan=\"{}\" lang=\"en\">⋯ {} ⋯</td></tr>",
            if why { 5 } else { 4 },
            count(folded, "unchanged line", "unchanged lines")
        );
    }
    for k in n - tail..n {
        row(html, k);
    }
}

/// One changed block: its old lines beside its new lines, with the causes in the last column.
fn changed_rows(
    html: &mut String,
    old: &str,
    new: &str,
    block: &Block,
    causes: &[Flag],
    why: bool,
) {
    // Build each side's lines as HTML.
    let mut old_side: Vec<String> = vec![String::new()];
    let mut new_side: Vec<String> = vec![String::new()];
    for piece in &block.pieces {
        let text = piece.text(old, new);
        let title: Vec<String> = causes_of(piece, causes)
            .iter()
            .map(|c| format!("{}: {}", c.rule, c.message))
            .collect();
        let title = if title.is_empty() {
            String::new()
        } else {
            format!(" title=\"{}\"", escape(&title.join("\n")))
        };
        let sides: &mut [&mut Vec<String>] = match piece.tag {
            Tag::Equal => &mut [&mut old_side, &mut new_side],
            Tag::Delete => &mut [&mut old_side],
            Tag::Insert => &mut [&mut new_side],
        };
        for side in sides.iter_mut() {
            for part in text.split_inclusive('\n') {
                let body = escape(part.trim_end_matches(['\n', '\r']));
                let last = side.last_mut().expect("a side always has a line");
                match piece.tag {
                    Tag::Equal => last.push_str(&body),
                    Tag::Delete => {
                        let mark = if part.ends_with('\n') { "⏎" } else { "" };
                        let _ = write!(last, "<del{title}>{body}{mark}</del>");
                    }
                    Tag::Insert => {
                        let mark = if part.ends_with('\n') { "⏎" } else { "" };
                        let _ = write!(last, "<ins{title}>{body}{mark}</ins>");
                    }
                }
                if part.ends_with('\n') {
                    side.push(String::new());
                }
            }
        }
    }
    for side in [&mut old_side, &mut new_side] {
        if side.len() > 1 && side.last().is_some_and(String::is_empty) {
            side.pop();
        }
    }
    let mut why_cell = String::new();
    if why {
        for c in block_causes(block, causes) {
            let _ = write!(
                why_cell,
                "<div><span class=\"rule\">{}</span> {}</div>",
                escape(c.rule.id()),
                escape(&c.message)
            );
        }
    }
    let count = |lines: usize, side: &[String]| if lines == 0 { 0 } else { side.len() };
    let n_old = count(block.old_lines.len(), &old_side);
    let n_new = count(block.new_lines.len(), &new_side);
    let rows = n_old.max(n_new).max(1);
    for r in 0..rows {
        // A side with fewer lines than the other gets cells marked `none`: at narrow widths
        // they are left out, while a blank line of the text keeps its place.
        let cell = |side: &[String], count: usize, first: usize| {
            if r < count {
                ((first + r + 1).to_string(), side[r].clone(), "")
            } else {
                (String::new(), String::new(), " none")
            }
        };
        let (on, ot, o_none) = cell(&old_side, n_old, block.old_lines.start);
        let (nn, nt, n_none) = cell(&new_side, n_new, block.new_lines.start);
        let _ = write!(
            html,
            "<tr class=\"chg\"><td class=\"n{o_none}\">{on}</td><td class=\"o{o_none}\">{ot}</td><td class=\"n{n_none}\">{nn}</td><td class=\"c{n_none}\">{nt}</td>"
        );
        if why && r == 0 {
            let _ = write!(
                html,
                "<td class=\"why\" rowspan=\"{rows}\" lang=\"en\">{why_cell}</td>"
            );
        }
        html.push_str("</tr>\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::diff::review;

    #[test]
    fn document_text_and_messages_are_escaped() {
        let old = "a <script>alert(1)</script> & 劳动派对\n";
        let new = "a <script>alert(2)</script> & 工党\n";
        let start = old.find('劳').unwrap();
        let causes = vec![
            Flag::new(
                crate::flag::Rule::DeprecatedTerm,
                crate::flag::Severity::Error,
                old,
                start..old.find('\n').unwrap(),
                "use '工党' <b>",
            )
            .suggest("工党"),
        ];
        let html = page(
            "x<1>.txt",
            "y.txt",
            old,
            new,
            &review(old, new),
            Some(&causes),
            Some("zh"),
        );
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(") && html.contains("x&lt;1&gt;.txt"));
        assert!(
            html.contains(
                "<del title=\"deprecated-term: use &#39;工党&#39; &lt;b&gt;\">劳动派对</del>"
            ),
            "{html}"
        );
        assert!(html.contains("<span class=\"rule\">deprecated-term</span>"));
        assert!(!html.contains("http"), "no network references");
    }

    #[test]
    fn unchanged_stretches_are_folded() {
        let old: String = (1..=10).map(|i| format!("line {i}\n")).collect();
        let new = old.replace("line 5", "line five");
        let html = page("a", "b", &old, &new, &review(&old, &new), None, None);
        assert!(
            html.contains("⋯ 3 unchanged lines ⋯") && html.contains("⋯ 4 unchanged lines ⋯"),
            "{html}"
        );
        assert!(html.contains("<ins>five</ins>") && html.contains("<del>5</del>"));
    }

    #[test]
    fn counts_are_singular_for_one() {
        let old = "a\nb\nc\n";
        let new = "a\nb\nC\n";
        let html = page("a", "b", old, new, &review(old, new), None, None);
        assert!(
            html.contains("<p class=\"meta\">1 deletion, 1 insertion</p>"),
            "{html}"
        );
        assert!(html.contains("⋯ 1 unchanged line ⋯"), "{html}");
    }

    #[test]
    fn the_page_is_english_and_the_text_carries_the_document_language() {
        let old = "我们是劳动派对的成员。\n";
        let new = "我们是工党的成员。\n";
        let causes = vec![Flag::new(
            crate::flag::Rule::DeprecatedTerm,
            crate::flag::Severity::Error,
            old,
            9..21,
            "wrong",
        )];
        let html = page(
            "a",
            "b",
            old,
            new,
            &review(old, new),
            Some(&causes),
            Some("zh"),
        );
        assert!(html.contains("<html lang=\"en\">"), "{html}");
        assert!(html.contains("<tbody lang=\"zh\">"), "{html}");
        assert!(
            html.contains("<td class=\"why\" rowspan=\"1\" lang=\"en\">"),
            "{html}"
        );
        let unknown = page("a", "b", old, new, &review(old, new), None, None);
        assert!(unknown.contains("<tbody lang=\"und\">"), "{unknown}");
    }
}
