//! Markdown (CommonMark with tables, footnotes, strikethrough and front matter), read with
//! `pulldown-cmark`'s source offsets: paragraphs, headings, list items, table cells and
//! block quotes are the blocks; their text, emphasis, link text and image alt are checked.
//! Code spans, code blocks, URLs, raw HTML and front matter are left out.
//!
//! Emphasis markers (`**`, `_`) do not split a term and a repair may run across them; a link
//! or image boundary, a code span or inline HTML does not join (a repair there is flagged, not
//! made). Backslash escapes and entities are decoded for checking and written back whole; a
//! line wrapped inside a paragraph is read as the space it renders as.

use std::borrow::Cow;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::extract::{Extract, PieceKind};

/// Escapes text for Markdown prose: the characters that would start emphasis, a link, code,
/// an HTML tag or an escape get a backslash.
pub fn escape(text: &str) -> Cow<'_, str> {
    const SPECIAL: [char; 9] = ['\\', '*', '_', '[', ']', '<', '>', '`', '|'];
    if !text.contains(SPECIAL) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 4);
    for c in text.chars() {
        if SPECIAL.contains(&c) {
            out.push('\\');
        }
        out.push(c);
    }
    Cow::Owned(out)
}

/// The checkable text of a Markdown file.
pub fn extract(source: &str) -> Extract {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS;
    let mut x = Extract::default();
    // Depth inside what is left out (code blocks, front matter, raw HTML blocks).
    let mut skipped = 0usize;
    // Whether the next text continues the last piece (only text and emphasis markers between).
    let mut continues = false;
    for (event, range) in Parser::new_ext(source, options).into_offset_iter() {
        match event {
            Event::Start(tag) => match tag {
                Tag::CodeBlock(_) | Tag::MetadataBlock(_) | Tag::HtmlBlock => skipped += 1,
                Tag::Paragraph
                | Tag::Heading { .. }
                | Tag::Item
                | Tag::TableCell
                | Tag::BlockQuote(_)
                | Tag::FootnoteDefinition(_)
                | Tag::DefinitionListTitle
                | Tag::DefinitionListDefinition => {
                    x.end_block();
                    continues = false;
                }
                // Emphasis markers may sit inside a repair; link and image boundaries not.
                Tag::Emphasis | Tag::Strong | Tag::Strikethrough => {}
                _ => continues = false,
            },
            Event::End(end) => match end {
                TagEnd::CodeBlock | TagEnd::MetadataBlock(_) | TagEnd::HtmlBlock => {
                    skipped = skipped.saturating_sub(1)
                }
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_)
                | TagEnd::FootnoteDefinition
                | TagEnd::DefinitionListTitle
                | TagEnd::DefinitionListDefinition => {
                    x.end_block();
                    continues = false;
                }
                TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough => {}
                _ => continues = false,
            },
            Event::Text(text) if skipped == 0 => {
                let kind = if source.get(range.clone()) == Some(&*text) {
                    PieceKind::Verbatim
                } else {
                    PieceKind::Decoded
                };
                // Consecutive text events (split at an escape or entity) are one run of text.
                if continues {
                    x.join_last();
                }
                // A backslash escape: the parser starts the text after the backslash, so the
                // escaped character is a decoded piece of its own that takes the backslash.
                let escaped =
                    range.start > 0 && source.as_bytes().get(range.start - 1) == Some(&b'\\');
                match text.chars().next() {
                    Some(c) if escaped && kind == PieceKind::Verbatim => {
                        let n = c.len_utf8();
                        x.push(
                            &text[..n],
                            range.start - 1..range.start + n,
                            0,
                            PieceKind::Decoded,
                        );
                        x.join_last();
                        x.push(&text[n..], range.start + n..range.end, 0, kind);
                    }
                    _ => x.push(&text, range, 0, kind),
                }
                continues = true;
            }
            Event::SoftBreak if skipped == 0 => {
                // A line wrapped inside a paragraph reads (and renders) as a space: the
                // sentence goes on.
                if continues {
                    x.join_last();
                }
                x.push(" ", range, 0, PieceKind::Decoded);
                continues = true;
            }
            Event::HardBreak => {
                x.push_gap("\n");
                continues = false;
            }
            // Code spans, inline HTML, math, footnote references: left out, and no repair
            // may run across them.
            _ => continues = false,
        }
    }
    x.end_block();
    x
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::{CROSSES_MARKUP, Edit, Format};

    const DOC: &str = "---\ntitle: 劳动派对\n---\n\n# 托里 and **劳动**派对\n\nSee [劳动派对](https://example.org/劳动派对) and `劳动派对` here.\n\n```\n托里 code\n```\n\n| 托里 | ok |\n|---|---|\n| a \\* b | c &amp; d |\n\n<div>劳动派对</div>\n\n![托里 alt](img/托里.png)\n";

    #[test]
    fn text_is_extracted_and_code_urls_front_matter_left_out() {
        let x = extract(DOC);
        assert!(x.text.starts_with("托里 and 劳动派对\n\n"), "{:?}", x.text);
        assert!(x.text.contains("See 劳动派对 and  here."), "{:?}", x.text);
        assert!(x.text.contains("托里\n\nok\n\n"));
        assert!(x.text.contains("a * b\n\nc & d\n\n"));
        assert!(x.text.contains("托里 alt"));
        assert!(!x.text.contains("code"), "code block left out");
        assert!(!x.text.contains("title"), "front matter left out");
        assert!(!x.text.contains("https"), "URLs left out");
        assert!(!x.text.contains("<div>"), "raw HTML left out");
        assert_eq!(x.text.matches("劳动派对").count(), 2);
        for p in &x.pieces {
            if p.kind == PieceKind::Verbatim {
                assert_eq!(&x.text[p.text.clone()], &DOC[p.source.clone()]);
            }
        }
    }

    #[test]
    fn a_repair_runs_across_emphasis_but_not_out_of_a_link() {
        let x = extract(DOC);
        let at = x.text.find("劳动派对").unwrap();
        let edit = Edit {
            range: at..at + "劳动派对".len(),
            replacement: "工党".into(),
        };
        let (parts, written) = x.write_back(Format::Markdown.escaper(), &[DOC], &[edit]);
        assert_eq!(written, [0]);
        assert!(parts[0].contains("# 托里 and **工党**\n"), "{}", parts[0]);
        assert_eq!(parts[0].len(), DOC.len() - "劳动派对".len() + "工党".len());
        let link = x.text.find("See ").unwrap() + 4;
        assert_eq!(x.unwritable(link - 1..link + 3), Some(CROSSES_MARKUP));
        assert_eq!(x.unwritable(link..link + 12), None);
    }

    #[test]
    fn escapes_are_decoded_and_replacements_escaped() {
        let x = extract(DOC);
        let star = x.text.find("a * b").unwrap() + 2;
        let (parts, _) = x.write_back(
            Format::Markdown.escaper(),
            &[DOC],
            &[Edit {
                range: star..star + 1,
                replacement: "_x_".into(),
            }],
        );
        assert!(parts[0].contains("| a \\_x\\_ b |"), "{}", parts[0]);
        assert_eq!(extract(&parts[0]).text, x.text.replace("a * b", "a _x_ b"));
    }

    #[test]
    fn hostile_markdown_does_not_panic() {
        let deep = ">".repeat(5000) + " 托里\n";
        let x = extract(&deep);
        assert!(x.text.contains("托里"));
        let list = "- ".repeat(3000) + "劳动派对";
        let _ = extract(&list);
        let _ = extract("[unclosed](\n**bold\n```\n托里");
    }
}
