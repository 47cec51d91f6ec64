//! HTML and XHTML: the visible text of a page, block by block, with its source offsets.
//!
//! The page is tokenized by lol_html (no tree is built): it reports every start tag, every end
//! tag and every text chunk with its byte range in the source, and it knows which elements hold
//! raw text (`<script>`, `<style>`) or RCDATA (`<title>`, `<textarea>`), so a `</p>` inside a
//! script string is not a tag. This reader keeps its own stack of open elements in step with
//! lol_html's (an end tag closes every element above the matching one; a start tag also closes
//! an open `<p>`, `<li>`, `<dt>`, `<dd>` where browsers would, which lol_html does not model),
//! decodes character references itself (lol_html leaves them as written) and fills an
//! [`Extract`]:
//!
//! - Left out, with their whole subtree: `<script>`, `<style>`, `<template>`, `<noscript>`,
//!   `<iframe>`, `<canvas>`, `<video>`, `<audio>`, `<datalist>`, `<rp>`, elements with
//!   `hidden` or an inline `display:none`; and, though visible, text a repair must not touch:
//!   `<code>`, `<pre>`, `<kbd>`, `<samp>`, `<var>`, `<svg>`, `<math>`, `<textarea>`,
//!   `<select>` and anything with `translate="no"` or class `notranslate` (an inline one leaves
//!   a space, so the words on either side do not run together). Comments, doctypes, processing
//!   instructions, CDATA and attribute values are never text. `<head>` itself is not skipped:
//!   what it holds is skipped element by element, `<title>` is a block, and stray text there is
//!   shown by browsers too.
//! - Blocks (`<p>`, `<li>`, headings, cells, `<div>`, `<title>` ...) end the block before and
//!   after them; `<br>` is a line break. Inline formatting (`<b>`, `<em>`, `<span>` ...) keeps
//!   the text on either side one run that a repair may cross; other inline elements (`<a>`,
//!   `<q>`, `<del>`, `<img>`, unknown ones) keep it consecutive but a repair may not cross them.
//! - `alt` (of `<img>`, `<input>`) and `title` attributes are blocks of their own, written right
//!   away when the element starts a block, else held until the block they sit in ends, so a
//!   sentence is not cut by an image (so pieces are in text order, not always in source
//!   order). A value in double quotes is repairable like text; in single quotes or none it is
//!   read only (a repair could end the value).
//! - Character references: numeric ones all (`&#0;`, surrogates and values past U+10FFFF read
//!   as U+FFFD, `&#128;`–`&#159;` as windows-1252, as browsers do, the `;` optional); named ones
//!   from a short table of those seen in articles (`&amp;`, `&nbsp;`, quotes, dashes ...), with
//!   their `;`. Others stay literal text.
//! - White space is kept as written, except at the edges of a block or line (dropped, so no
//!   line of spaces) and inside a run holding two or more line breaks, which keeps only its
//!   first line break (so a paragraph has no blank line in it, which would split it).

use std::borrow::Cow;
use std::cell::RefCell;
use std::ops::Range;
use std::rc::Rc;

use encoding_rs::Encoding;
use lol_html::html_content::{Element, EndTag, TextChunk, TextType};
use lol_html::{
    DocumentContentHandlers, ElementContentHandlers, HandlerResult, HtmlRewriter, Selector,
    Settings,
};

use super::extract::{Extract, PieceKind};

/// Whether bytes look like an HTML page (a doctype or `<html` near the start).
pub fn looks_like_html(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let t = head.trim_start_matches('\u{feff}').trim_start();
    t.starts_with("<!doctype html")
        || t.starts_with("<html")
        || (t.starts_with("<?xml") && t.contains("<html"))
}

/// Escapes text for an HTML (or XML) text node or attribute value, quoted either way.
pub fn escape_text(text: &str) -> Cow<'_, str> {
    if !text.contains(['&', '<', '>', '"', '\'']) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// The encoding a page declares in a `<meta charset>` or `<meta http-equiv="Content-Type"
/// content="...; charset=...">` within its first 1024 bytes (the HTML prescan, simplified:
/// comments and other tags' attributes are stepped over, a UTF-16 label means UTF-8).
pub fn charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let b = &bytes[..bytes.len().min(1024)];
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        let rest = &b[i..];
        if rest.starts_with(b"<!--") {
            i = find(b, i + 4, b"-->").map_or(b.len(), |k| k + 3);
        } else if rest.len() > 5
            && rest[1..5].eq_ignore_ascii_case(b"meta")
            && matches!(rest[5], b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/')
        {
            let (found, next) = meta_charset(b, i + 5);
            if found.is_some() {
                return found;
            }
            i = next;
        } else if rest.len() > 1 && (rest[1].is_ascii_alphabetic() || rest[1] == b'/') {
            // Another tag: step over its name and attributes (a `>` may sit in a quoted value).
            let mut k = i + 1;
            while k < b.len() && !is_space(b[k]) && b[k] != b'>' {
                k += 1;
            }
            loop {
                match attribute(b, k) {
                    (Some(_), next) => k = next,
                    (None, next) => {
                        i = next;
                        break;
                    }
                }
            }
        } else if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
            i = find(b, i + 2, b">").map_or(b.len(), |k| k + 1);
        } else {
            i += 1;
        }
    }
    None
}

/// The encoding a `<meta` tag's attributes (from `at`) declare, and the offset after the tag.
fn meta_charset(b: &[u8], mut at: usize) -> (Option<&'static Encoding>, usize) {
    let (mut from_charset, mut from_content, mut pragma) = (None, None, false);
    loop {
        let (attr, next) = attribute(b, at);
        at = next;
        let Some((name, value)) = attr else { break };
        match name.as_slice() {
            b"charset" if from_charset.is_none() => {
                from_charset = Some(Encoding::for_label(&value));
            }
            b"http-equiv" => pragma |= value.eq_ignore_ascii_case(b"content-type"),
            b"content" if from_content.is_none() => {
                from_content = Some(content_charset(&value).and_then(Encoding::for_label));
            }
            _ => {}
        }
    }
    let found = match (from_charset, from_content) {
        (Some(e), _) => e,
        (None, Some(e)) if pragma => e,
        _ => None,
    };
    // UTF-16 cannot be what an ASCII-compatible prescan read; the spec says UTF-8 then.
    let found = found.map(|e| match e.name() {
        "UTF-16LE" | "UTF-16BE" => encoding_rs::UTF_8,
        "x-user-defined" => encoding_rs::WINDOWS_1252,
        _ => e,
    });
    (found, at)
}

/// The label after `charset=` in a Content-Type value.
fn content_charset(value: &[u8]) -> Option<&[u8]> {
    let lower = value.to_ascii_lowercase();
    let mut from = 0;
    loop {
        let k = find(&lower, from, b"charset")? + 7;
        let mut j = k;
        while j < value.len() && is_space(value[j]) {
            j += 1;
        }
        if value.get(j) != Some(&b'=') {
            from = k;
            continue;
        }
        j += 1;
        while j < value.len() && is_space(value[j]) {
            j += 1;
        }
        let rest = &value[j..];
        return match rest.first() {
            Some(&q @ (b'"' | b'\'')) => {
                let end = rest[1..].iter().position(|&c| c == q)?;
                Some(&rest[1..1 + end])
            }
            _ => {
                let end = rest
                    .iter()
                    .position(|&c| c == b';' || is_space(c))
                    .unwrap_or(rest.len());
                (end > 0).then_some(&rest[..end])
            }
        };
    }
}

/// One attribute of a tag from `at`: its lowercased name and value, and the offset after it;
/// no attribute at the tag's end (the offset is then after the `>`).
#[allow(clippy::type_complexity)]
fn attribute(b: &[u8], mut at: usize) -> (Option<(Vec<u8>, Vec<u8>)>, usize) {
    while at < b.len() && (is_space(b[at]) || b[at] == b'/') {
        at += 1;
    }
    if at >= b.len() {
        return (None, at);
    }
    if b[at] == b'>' {
        return (None, at + 1);
    }
    let start = at;
    at += 1;
    while at < b.len() && !is_space(b[at]) && !matches!(b[at], b'=' | b'/' | b'>') {
        at += 1;
    }
    let name = b[start..at].to_ascii_lowercase();
    while at < b.len() && is_space(b[at]) {
        at += 1;
    }
    if b.get(at) != Some(&b'=') {
        return (Some((name, Vec::new())), at);
    }
    at += 1;
    while at < b.len() && is_space(b[at]) {
        at += 1;
    }
    let value = match b.get(at) {
        Some(&q @ (b'"' | b'\'')) => {
            let end = b[at + 1..]
                .iter()
                .position(|&c| c == q)
                .map_or(b.len(), |k| at + 1 + k);
            let v = b[at + 1..end].to_vec();
            at = (end + 1).min(b.len());
            v
        }
        _ => {
            let start = at;
            while at < b.len() && !is_space(b[at]) && b[at] != b'>' {
                at += 1;
            }
            b[start..at].to_vec()
        }
    };
    (Some((name, value)), at)
}

/// HTML white space (tab, line feed, form feed, carriage return, space).
fn is_space(c: u8) -> bool {
    matches!(c, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

/// The first offset at or after `from` where `needle` starts.
fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|k| from + k)
}

/// The visible text of an HTML page (the decoded source), block by block, each piece mapped
/// to its source bytes. `Err` only if lol_html gives up, which (not strict, no memory limit,
/// handlers that do not fail) it has no reason to.
pub fn extract(source: &str) -> Result<Extract, String> {
    let reader = Rc::new(RefCell::new(Reader::new(Rc::from(source))));
    let any: Selector = "*".parse().map_err(|e| format!("selector: {e}"))?;
    let on_element = Rc::clone(&reader);
    let on_text = Rc::clone(&reader);
    let settings = Settings::new()
        .with_strict(false)
        .append_element_content_handler((
            Cow::Owned(any),
            ElementContentHandlers::default()
                .element(move |el: &mut Element<'_, '_>| Reader::start(&on_element, el)),
        ))
        .append_document_content_handler(DocumentContentHandlers::default().text(
            move |t: &mut TextChunk<'_>| {
                on_text.try_borrow_mut()?.chunk(t);
                Ok(())
            },
        ));
    let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
    rewriter
        .write(source.as_bytes())
        .map_err(|e| format!("reading HTML: {e}"))?;
    rewriter.end().map_err(|e| format!("reading HTML: {e}"))?;
    let mut reader = reader
        .try_borrow_mut()
        .map_err(|_| "reading HTML: reader still in use".to_string())?;
    Ok(reader.finish())
}

/// What an element's end tag does to the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    /// Ends the block.
    Block,
    /// Nothing: text on either side may be one repair.
    Join,
    /// A repair may not run across it.
    NoJoin,
}

/// How an element shapes the text around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Block,
    /// Inline formatting a repair may leave behind.
    Join,
    /// Inline, but a repair across it would move text into or out of it.
    NoJoin,
    /// `<br>`.
    Break,
}

/// The role of a (lowercase) tag name.
fn role(name: &str) -> Role {
    match name {
        "address" | "article" | "aside" | "blockquote" | "body" | "caption" | "center" | "col"
        | "colgroup" | "dd" | "details" | "dialog" | "dir" | "div" | "dl" | "dt" | "fieldset"
        | "figcaption" | "figure" | "footer" | "form" | "frameset" | "h1" | "h2" | "h3" | "h4"
        | "h5" | "h6" | "head" | "header" | "hgroup" | "hr" | "html" | "legend" | "li"
        | "listing" | "main" | "menu" | "nav" | "ol" | "optgroup" | "option" | "p"
        | "plaintext" | "pre" | "search" | "section" | "summary" | "table" | "tbody" | "td"
        | "tfoot" | "th" | "thead" | "title" | "tr" | "ul" | "xmp" => Role::Block,
        "b" | "strong" | "i" | "em" | "u" | "span" | "mark" | "small" | "big" | "sub" | "sup"
        | "abbr" | "acronym" | "cite" | "font" | "ins" | "dfn" | "bdi" | "bdo" | "tt" | "time"
        | "data" | "wbr" | "nobr" => Role::Join,
        "br" => Role::Break,
        _ => Role::NoJoin,
    }
}

/// An open element the reader must find again: the ones whose end tag pages leave out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Implied {
    P,
    Li,
    /// `<dt>` or `<dd>`.
    Def,
    Other,
}

/// An open element on the reader's stack.
#[derive(Debug, Clone, Copy)]
struct Frame {
    end: End,
    tag: Implied,
    /// A `<p>` is open in button scope here (a new block start tag would close it).
    p: bool,
    /// An `<li>` is open in list-item scope here (a new `<li>` would close it).
    li: bool,
    /// A `<dt>` or `<dd>` is open in that scope here.
    def: bool,
}

/// Whether a start tag `name` closes an open `<p>` (HTML's tree construction rules).
fn closes_p(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "center"
            | "details"
            | "dialog"
            | "dir"
            | "div"
            | "dl"
            | "dt"
            | "dd"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "li"
            | "listing"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "p"
            | "plaintext"
            | "pre"
            | "search"
            | "section"
            | "summary"
            | "table"
            | "ul"
            | "xmp"
    )
}

/// Whether `name` bounds the button scope: a `<p>` outside it is not closed from inside.
fn bounds_button_scope(name: &str) -> bool {
    matches!(
        name,
        "applet"
            | "button"
            | "caption"
            | "html"
            | "marquee"
            | "object"
            | "table"
            | "td"
            | "th"
            | "template"
            | "svg"
            | "math"
    )
}

/// Whether `name` stops the search for an open `<li>`, `<dt>` or `<dd>` (a block other than
/// `<address>`, `<div>`, `<p>`, roughly HTML's special elements).
fn bounds_list_scope(name: &str) -> bool {
    bounds_button_scope(name)
        || (role(name) == Role::Block && !matches!(name, "address" | "div" | "p"))
}

/// Why an element's subtree is left out, if it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Skip {
    /// Not shown at all: it leaves nothing in the text.
    Hidden,
    /// Shown but not for checking (code, `translate="no"`): an inline one leaves a space.
    Visible,
}

/// Whether (and how) the element `name` is left out with its subtree.
fn skip(name: &str, el: &Element<'_, '_>) -> Option<Skip> {
    match name {
        "script" | "style" | "template" | "noscript" | "iframe" | "noembed" | "noframes"
        | "canvas" | "video" | "audio" | "datalist" | "rp" => return Some(Skip::Hidden),
        "code" | "pre" | "kbd" | "samp" | "var" | "svg" | "math" | "textarea" | "select"
        | "xmp" | "listing" | "plaintext" => return Some(Skip::Visible),
        _ => {}
    }
    if el.has_attribute("hidden") {
        return Some(Skip::Hidden);
    }
    if let Some(style) = el.get_attribute("style") {
        let style: String = style
            .chars()
            .filter(|c| !c.is_ascii_whitespace())
            .flat_map(|c| c.to_lowercase())
            .collect();
        if style.contains("display:none") {
            return Some(Skip::Hidden);
        }
    }
    let no_translate = el
        .get_attribute("translate")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("no"))
        || el.get_attribute("class").is_some_and(|c| {
            c.split_ascii_whitespace()
                .any(|t| t.eq_ignore_ascii_case("notranslate"))
        });
    no_translate.then_some(Skip::Visible)
}

/// The extraction state the lol_html handlers share.
struct Reader {
    src: Rc<str>,
    x: Extract,
    /// The open elements, outermost first.
    stack: Vec<Frame>,
    /// The depth of the outermost open element being skipped.
    skip_from: Option<usize>,
    /// Source range of the text node read so far (its chunks arrive one by one).
    node: Option<Range<usize>>,
    /// The next piece may join the last one: only joinable markup lies between them.
    can_join: bool,
    /// Where the current block's text starts.
    block_start: usize,
    /// `alt`/`title` values held until the block they sit in ends: (source range, writable).
    held: Vec<(Range<usize>, bool)>,
    seen_html: bool,
}

impl Reader {
    fn new(src: Rc<str>) -> Reader {
        Reader {
            src,
            x: Extract::default(),
            stack: Vec::new(),
            skip_from: None,
            node: None,
            can_join: false,
            block_start: 0,
            held: Vec::new(),
            seen_html: false,
        }
    }

    /// A start tag: its effect on the text, its attributes, and (if it has content) a frame
    /// on the stack that its end tag pops.
    fn start(this: &Rc<RefCell<Reader>>, el: &mut Element<'_, '_>) -> HandlerResult {
        let mut r = this.try_borrow_mut()?;
        r.flush_node();
        let name = el.tag_name();
        r.implied_ends(&name);
        let depth = r.stack.len();
        if name == "html" && !r.seen_html {
            r.seen_html = true;
            let lang = el
                .get_attribute("lang")
                .or_else(|| el.get_attribute("xml:lang"));
            if let Some(lang) = lang.filter(|l| !l.trim().is_empty()) {
                r.x.lang_hint = Some(lang.trim().to_string());
            }
        }
        let end = if r.skip_from.is_some() {
            End::Join
        } else if let Some(how) = skip(&name, el) {
            let block = role(&name) == Role::Block;
            if block {
                r.block();
            } else if how == Skip::Visible {
                r.gap();
            }
            r.can_join = false;
            if el.can_have_content() {
                r.skip_from = Some(depth);
            }
            if block { End::Block } else { End::NoJoin }
        } else {
            let role = role(&name);
            match role {
                Role::Block => r.block(),
                Role::Break => r.line_break(),
                Role::NoJoin => r.can_join = false,
                Role::Join => {}
            }
            r.attributes(&name, el);
            match role {
                Role::Block => End::Block,
                Role::Join => End::Join,
                Role::NoJoin | Role::Break => End::NoJoin,
            }
        };
        if el.can_have_content() {
            r.push(&name, end);
            drop(r);
            let this = Rc::clone(this);
            el.on_end_tag(Box::new(move |_: &mut EndTag<'_>| {
                this.try_borrow_mut()?.end(depth);
                Ok(())
            }))?;
        }
        Ok(())
    }

    /// The end of the element at `depth` (lol_html calls this innermost first for every
    /// element an end tag closes).
    fn end(&mut self, depth: usize) {
        self.flush_node();
        while self.stack.len() > depth {
            self.pop();
        }
    }

    /// Pushes an open element.
    fn push(&mut self, name: &str, end: End) {
        let (p, li, def) = self
            .stack
            .last()
            .map_or((false, false, false), |f| (f.p, f.li, f.def));
        let tag = match name {
            "p" => Implied::P,
            "li" => Implied::Li,
            "dt" | "dd" => Implied::Def,
            _ => Implied::Other,
        };
        self.stack.push(Frame {
            end,
            tag,
            p: tag == Implied::P || (p && !bounds_button_scope(name)),
            li: tag == Implied::Li || (li && !bounds_list_scope(name)),
            def: tag == Implied::Def || (def && !bounds_list_scope(name)),
        });
    }

    /// Pops the innermost open element, doing what its end does.
    fn pop(&mut self) -> Option<Implied> {
        let frame = self.stack.pop()?;
        let at = self.stack.len();
        match self.skip_from {
            Some(s) if s < at => return Some(frame.tag),
            Some(_) => self.skip_from = None,
            None => {}
        }
        match frame.end {
            End::Block => self.block(),
            End::NoJoin => self.can_join = false,
            End::Join => {}
        }
        Some(frame.tag)
    }

    /// Closes the `<p>`, `<li>`, `<dt>` or `<dd>` a start tag `name` ends without its end
    /// tag, as browsers do (`<p>a<p>b`, `<li>a<li>b`), which lol_html does not model: so an
    /// unclosed `<p translate="no">` does not hide the rest of the page. lol_html's own end
    /// tag handlers for them find their frame gone and do nothing.
    fn implied_ends(&mut self, name: &str) {
        let top = |r: &Reader| r.stack.last().copied();
        let close = |r: &mut Reader, tag: Implied| {
            while let Some(t) = r.pop() {
                if t == tag {
                    break;
                }
            }
        };
        if name == "li" && top(self).is_some_and(|f| f.li) {
            close(self, Implied::Li);
        }
        if matches!(name, "dt" | "dd") && top(self).is_some_and(|f| f.def) {
            close(self, Implied::Def);
        }
        if closes_p(name) && top(self).is_some_and(|f| f.p) {
            close(self, Implied::P);
        }
    }

    /// Holds or writes the `alt` and `title` values of an element.
    fn attributes(&mut self, name: &str, el: &Element<'_, '_>) {
        if matches!(name, "html" | "head" | "meta" | "link" | "base" | "title") {
            return;
        }
        let mut seen = (false, false);
        for a in el.attributes() {
            let attr = a.name();
            let first = match attr.as_str() {
                "alt" if matches!(name, "img" | "input") => !std::mem::replace(&mut seen.0, true),
                "title" => !std::mem::replace(&mut seen.1, true),
                _ => false,
            };
            let Some(loc) = a.value_source_location().map(|l| l.bytes()) else {
                continue;
            };
            if !first || loc.is_empty() {
                continue;
            }
            let bytes = self.src.as_bytes();
            let double_quoted = loc.start > 0
                && bytes.get(loc.start - 1) == Some(&b'"')
                && bytes.get(loc.end) == Some(&b'"');
            if self.x.text.len() == self.block_start {
                self.attribute_block(loc, double_quoted);
            } else {
                self.held.push((loc, double_quoted));
            }
        }
    }

    /// An attribute value as a block of its own.
    fn attribute_block(&mut self, loc: Range<usize>, writable: bool) {
        self.text(loc, !writable);
        self.end_block();
    }

    /// A text chunk: added to the text node being read if it is visible text.
    fn chunk(&mut self, t: &TextChunk<'_>) {
        let loc = t.source_location().bytes();
        let visible =
            matches!(t.text_type(), TextType::Data | TextType::RCData) && self.skip_from.is_none();
        if visible && !loc.is_empty() {
            match &mut self.node {
                Some(node) if node.end == loc.start => node.end = loc.end,
                _ => {
                    self.flush_node();
                    self.node = Some(loc);
                }
            }
        }
        if t.last_in_text_node() {
            self.flush_node();
        }
    }

    /// Reads the text node gathered so far.
    fn flush_node(&mut self) {
        if let Some(node) = self.node.take() {
            self.text(node, false);
        }
    }

    /// Source text (a text node or attribute value) into pieces: verbatim runs and decoded
    /// character references, all read only if `read_only`.
    fn text(&mut self, range: Range<usize>, read_only: bool) {
        let src = Rc::clone(&self.src);
        let Some(s) = src.get(range.clone()) else {
            return;
        };
        let base = range.start;
        let b = s.as_bytes();
        // A byte order mark left at the start of the page is not text.
        let mut i = if base == 0 && s.starts_with('\u{feff}') {
            3
        } else {
            0
        };
        if self.at_line_start() {
            i += b[i..].iter().take_while(|&&c| is_space(c)).count();
        }
        let (plain, decoded) = if read_only {
            (PieceKind::ReadOnly, PieceKind::ReadOnly)
        } else {
            (PieceKind::Verbatim, PieceKind::Decoded)
        };
        let mut lit = i;
        while i < b.len() {
            match b[i] {
                b'&' => match reference(&b[i..]) {
                    Some((len, c)) => {
                        self.piece(&s[lit..i], base + lit..base + i, plain);
                        if !(c.is_ascii_whitespace() && self.at_line_start()) {
                            let mut buf = [0; 4];
                            let c = c.encode_utf8(&mut buf);
                            self.piece(c, base + i..base + i + len, decoded);
                        }
                        i += len;
                        if self.at_line_start() {
                            i += b[i..].iter().take_while(|&&c| is_space(c)).count();
                        }
                        lit = i;
                    }
                    None => i += 1,
                },
                b'\n' | b'\r' => {
                    // A run of white space with two line breaks or more keeps only the first.
                    let (mut j, mut breaks, mut first) = (i, 0, i);
                    while j < b.len() && is_space(b[j]) {
                        if b[j] == b'\n' || (b[j] == b'\r' && b.get(j + 1) != Some(&b'\n')) {
                            breaks += 1;
                            if breaks == 1 {
                                first = j + 1;
                            }
                        }
                        j += 1;
                    }
                    if breaks >= 2 {
                        self.piece(&s[lit..first], base + lit..base + first, plain);
                        lit = j;
                    }
                    i = j;
                }
                _ => i += 1,
            }
        }
        self.piece(&s[lit..], base + lit..base + b.len(), plain);
    }

    /// Appends a piece, joined to the last one if it follows it with only joinable markup
    /// between.
    fn piece(&mut self, text: &str, source: Range<usize>, kind: PieceKind) {
        if text.is_empty() {
            return;
        }
        let follows = self
            .x
            .pieces
            .last()
            .is_some_and(|p| p.text.end == self.x.text.len());
        if self.can_join && follows {
            self.x.join_last();
        }
        self.x.push(text, source, 0, kind);
        self.can_join = true;
    }

    /// Whether the text is at the start of a line, or after only white space on it (white
    /// space is dropped there, so no line holds only white space). Looks back 64 bytes at
    /// most, to stay linear.
    fn at_line_start(&self) -> bool {
        let t = self.x.text.as_bytes();
        let blank = t
            .iter()
            .rev()
            .take(64)
            .take_while(|&&c| is_space(c) && c != b'\n')
            .count();
        blank == t.len() || (blank < 64 && t[t.len() - 1 - blank] == b'\n')
    }

    /// Ends the block, then writes the attribute values held for it, each a block.
    fn block(&mut self) {
        self.flush_node();
        self.end_block();
        for (loc, writable) in std::mem::take(&mut self.held) {
            self.attribute_block(loc, writable);
        }
    }

    /// Ends the block: trailing white space dropped, then a blank line.
    fn end_block(&mut self) {
        self.trim_end();
        self.x.end_block();
        self.block_start = self.x.text.len();
        self.can_join = false;
    }

    /// `<br>`: a line break, unless at the start of a line already.
    fn line_break(&mut self) {
        self.trim_end();
        if !self.at_line_start() {
            self.x.push_gap("\n");
        }
        self.can_join = false;
    }

    /// A space where a visible element was left out, so the words around it stay apart.
    fn gap(&mut self) {
        if !self.at_line_start() && !self.x.text.ends_with(|c: char| c.is_ascii_whitespace()) {
            self.x.push_gap(" ");
        }
        self.can_join = false;
    }

    /// Drops white space at the end of the current block: gap text, and the end of verbatim
    /// pieces (each byte dropped is looked at once, so this stays linear).
    fn trim_end(&mut self) {
        loop {
            let floor = self
                .x
                .pieces
                .last()
                .map_or(0, |p| p.text.end)
                .max(self.block_start);
            let kept = floor + self.x.text[floor..].trim_end_matches(is_space_char).len();
            self.x.text.truncate(kept);
            if kept > floor {
                break;
            }
            let Some(p) = self.x.pieces.last_mut() else {
                break;
            };
            if p.text.end <= self.block_start || p.kind != PieceKind::Verbatim {
                break;
            }
            let s = &self.x.text[p.text.clone()];
            let keep = s.trim_end_matches(is_space_char).len();
            let cut = s.len() - keep;
            if cut == 0 {
                break;
            }
            if keep == 0 {
                let start = p.text.start;
                self.x.pieces.pop();
                self.x.text.truncate(start);
                continue;
            }
            p.text.end -= cut;
            p.source.end -= cut;
            let end = p.text.end;
            self.x.text.truncate(end);
            break;
        }
        if let Some(p) = self.x.pieces.last_mut() {
            p.joins_next = false;
        }
    }

    /// The extract, once the whole page is read.
    fn finish(&mut self) -> Extract {
        self.flush_node();
        self.block();
        std::mem::take(&mut self.x)
    }
}

/// [`is_space`] for chars.
fn is_space_char(c: char) -> bool {
    u8::try_from(c).is_ok_and(is_space)
}

/// The character reference at the start of `b` (which starts with `&`): its length in bytes
/// and the character it stands for; `None` if it is not one this reader decodes.
fn reference(b: &[u8]) -> Option<(usize, char)> {
    if b.get(1) == Some(&b'#') {
        let hex = matches!(b.get(2), Some(b'x' | b'X'));
        let start = if hex { 3 } else { 2 };
        let radix = if hex { 16 } else { 10 };
        let mut i = start;
        let mut value: u32 = 0;
        while let Some(d) = b.get(i).and_then(|&c| char::from(c).to_digit(radix)) {
            value = value.saturating_mul(radix).saturating_add(d).min(0x11_0000);
            i += 1;
        }
        if i == start {
            return None;
        }
        if b.get(i) == Some(&b';') {
            i += 1;
        }
        return Some((i, numeric(value)));
    }
    let name_len = b[1..]
        .iter()
        .take(16)
        .take_while(|c| c.is_ascii_alphanumeric())
        .count();
    if name_len == 0 || b.get(1 + name_len) != Some(&b';') {
        return None;
    }
    let name = std::str::from_utf8(&b[1..1 + name_len]).ok()?;
    Some((name_len + 2, named(name)?))
}

/// The character a numeric reference stands for, as browsers read it.
fn numeric(value: u32) -> char {
    // Windows-1252 for the C1 range, where old pages meant it.
    const C1: [u16; 32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0x8D, 0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013,
        0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ];
    let value = match value {
        0x80..=0x9F => C1
            .get((value - 0x80) as usize)
            .map_or(value, |&c| u32::from(c)),
        v => v,
    };
    match value {
        0 => '\u{FFFD}',
        v => char::from_u32(v).unwrap_or('\u{FFFD}'),
    }
}

/// The named references decoded: the ones seen in articles. Any other stays as written.
fn named(name: &str) -> Option<char> {
    Some(match name {
        "amp" | "AMP" => '&',
        "lt" | "LT" => '<',
        "gt" | "GT" => '>',
        "quot" | "QUOT" => '"',
        "apos" => '\'',
        "nbsp" => '\u{A0}',
        "ensp" => '\u{2002}',
        "emsp" => '\u{2003}',
        "thinsp" => '\u{2009}',
        "zwnj" => '\u{200C}',
        "zwj" => '\u{200D}',
        "lrm" => '\u{200E}',
        "rlm" => '\u{200F}',
        "shy" => '\u{AD}',
        "copy" | "COPY" => '©',
        "reg" | "REG" => '®',
        "trade" => '™',
        "hellip" => '…',
        "mdash" => '—',
        "ndash" => '–',
        "lsquo" => '‘',
        "rsquo" => '’',
        "sbquo" => '‚',
        "ldquo" => '“',
        "rdquo" => '”',
        "bdquo" => '„',
        "laquo" => '«',
        "raquo" => '»',
        "middot" => '·',
        "bull" => '•',
        "times" => '×',
        "divide" => '÷',
        "plusmn" => '±',
        "deg" => '°',
        "sect" => '§',
        "para" => '¶',
        "euro" => '€',
        "pound" => '£',
        "yen" => '¥',
        "cent" => '¢',
        "larr" => '←',
        "rarr" => '→',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::{CROSSES_MARKUP, Edit, Format};

    /// The invariants every extract keeps: pieces in text order within the text, verbatim
    /// pieces equal to their source, decoded ones standing for a reference, source ranges
    /// in bounds and not overlapping; and no edits write the source back unchanged.
    fn check(src: &str, x: &Extract) {
        let mut end = 0;
        let mut sources: Vec<Range<usize>> = Vec::new();
        for p in &x.pieces {
            assert!(p.text.start >= end && p.text.start < p.text.end, "{p:?}");
            end = p.text.end;
            assert!(x.text.get(p.text.clone()).is_some(), "{p:?}");
            let s = src
                .get(p.source.clone())
                .expect("source on char boundaries");
            match p.kind {
                PieceKind::Verbatim => assert_eq!(&x.text[p.text.clone()], s, "{p:?}"),
                PieceKind::Decoded => assert!(s.starts_with('&'), "{p:?}"),
                PieceKind::ReadOnly => {}
            }
            sources.push(p.source.clone());
        }
        assert!(end <= x.text.len());
        sources.sort_by_key(|r| r.start);
        assert!(sources.windows(2).all(|w| w[0].end <= w[1].start));
        let (parts, _) = x.write_back(Format::Html.escaper(), &[src], &[]);
        assert_eq!(parts[0], src);
    }

    fn read(src: &str) -> Extract {
        let x = extract(src).unwrap();
        check(src, &x);
        x
    }

    const PAGE: &str = r#"<!DOCTYPE html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <title>工党 &amp; 托里</title>
  <script>var s = "劳动派对 </p>"; window.dataLayer = [];</script>
  <style>p { color: red } /* 托里 */</style>
  <script type="application/ld+json">{"headline": "劳动派对"}</script>
</head>
<body>
  <nav><a href="/">首页</a></nav>
  <!-- 托里 comment -->
  <h1>英国大选</h1>
  <p>选民支持<a href="https://example.org/劳动派对">工党</a>。</p>
  <pre><code>劳动派对 = 1</code></pre>
  <p>他说<span translate="no">Tory</span>不对。</p>
  <p class="x notranslate">托里 hidden</p>
  <p>劳<strong>动派对</strong>赢了</p>
  <p><strong>劳动</strong>派对输了</p>
  <p>图<img src="a.png" alt="首相照片">片</p>
  <p>A&nbsp;B &lt;C&gt; &#x4E2D;&#22269; &unknown; &copy;</p>
</body>
</html>
"#;

    #[test]
    fn a_page_gives_its_visible_text_only() {
        let x = read(PAGE);
        assert_eq!(
            x.text,
            "工党 & 托里\n\n首页\n\n英国大选\n\n选民支持工党。\n\n他说 不对。\n\n\
             劳动派对赢了\n\n劳动派对输了\n\n图片\n\n首相照片\n\n\
             A\u{a0}B <C> 中国 &unknown; ©\n\n"
        );
        for absent in [
            "dataLayer",
            "color",
            "headline",
            "comment",
            "example.org",
            "= 1",
        ] {
            assert!(!x.text.contains(absent), "{absent}");
        }
        assert_eq!(x.lang_hint.as_deref(), Some("zh-CN"));
        for p in &x.pieces {
            if p.kind == PieceKind::Decoded {
                assert!(PAGE[p.source.clone()].starts_with('&'));
                assert!(PAGE[p.source.clone()].ends_with(';'));
            }
        }
    }

    #[test]
    fn a_repair_across_inline_formatting_is_written() {
        let src = "<p>劳<strong>动派对</strong>赢了</p>";
        let x = read(src);
        let t = x.text.find("劳动派对").unwrap();
        let range = t..t + "劳动派对".len();
        assert_eq!(x.unwritable(range.clone()), None);
        let edit = Edit {
            range,
            replacement: "工党".into(),
        };
        let (parts, written) = x.write_back(Format::Html.escaper(), &[src], &[edit]);
        assert_eq!(written, [0]);
        assert_eq!(parts[0], "<p>工党<strong></strong>赢了</p>");
    }

    #[test]
    fn a_link_boundary_is_consecutive_text_but_not_writable() {
        let src = "<p>劳<a href=\"/x\">动派对</a></p><p><a href=/y>劳动</a>派对</p>";
        let x = read(src);
        assert_eq!(x.text, "劳动派对\n\n劳动派对\n\n");
        for t in [0, x.text.rfind("劳").unwrap()] {
            assert_eq!(x.unwritable(t..t + 12), Some(CROSSES_MARKUP));
            assert_eq!(x.unwritable(t..t + 3), None);
        }
    }

    #[test]
    fn references_are_pieces_of_their_own_joined_to_their_text() {
        let src = "<p>A &amp; B&#x4e2d;</p>";
        let x = read(src);
        assert_eq!(x.text, "A & B中\n\n");
        let kinds: Vec<_> = x.pieces.iter().map(|p| (p.kind, p.joins_next)).collect();
        use PieceKind::*;
        assert_eq!(
            kinds,
            [
                (Verbatim, true),
                (Decoded, true),
                (Verbatim, true),
                (Decoded, false)
            ]
        );
        assert_eq!(x.unwritable(0..x.text.len() - 2), None);
        let edit = Edit {
            range: 2..3,
            replacement: "<和>".into(),
        };
        let (parts, _) = x.write_back(Format::Html.escaper(), &[src], &[edit]);
        assert_eq!(parts[0], "<p>A &lt;和&gt; B&#x4e2d;</p>");
    }

    #[test]
    fn bad_numeric_references_read_as_replacement_characters() {
        let x = read(
            "<p>&#x0;|&#xD800;|&#99999999;|&#99999999999999999999999;|&#;|&#x;|&#150;|&#65</p>",
        );
        assert_eq!(
            x.text,
            "\u{fffd}|\u{fffd}|\u{fffd}|\u{fffd}|&#;|&#x;|–|A\n\n"
        );
    }

    #[test]
    fn alt_and_title_are_blocks_of_their_own() {
        let src = "<div title=\"提示\"><p>前<img alt='照片'>后<abbr title=\"Labour Party\">LP</abbr>。</p></div>";
        let x = read(src);
        assert_eq!(x.text, "提示\n\n前后LP。\n\n照片\n\nLabour Party\n\n");
        let at = |s: &str| x.text.find(s).unwrap();
        // In double quotes: repairable; in single quotes: read only.
        assert_eq!(x.unwritable(at("提示")..at("提示") + 6), None);
        assert_eq!(
            x.unwritable(at("照片")..at("照片") + 6),
            Some(crate::format::READ_ONLY)
        );
        let lp = at("Labour");
        let edit = Edit {
            range: lp..lp + 6,
            replacement: "\"Lab\"".into(),
        };
        let (parts, _) = x.write_back(Format::Html.escaper(), &[src], &[edit]);
        assert!(parts[0].contains("title=\"&quot;Lab&quot; Party\""));
        // Never joined to the text around it.
        for p in &x.pieces {
            let t = &x.text[p.text.clone()];
            assert!(!p.joins_next || t == "后" || t == "LP", "{t}");
        }
    }

    #[test]
    fn white_space_is_kept_inside_blocks_and_dropped_between() {
        let src = "<ul>\n  <li>\n    one  two\n  </li>\n\n  <li>a<b> </b>b<br>\n   c<br><br><br>d\n\n\n e</li>\n</ul>";
        let x = read(src);
        assert_eq!(x.text, "one  two\n\na b\nc\nd\ne\n\n");
        assert!(!x.text.trim_end().contains("\n\n\n"));
    }

    #[test]
    fn raw_text_and_odd_markup_are_read_as_browsers_do() {
        let src = "<P CLASS=a>One<BR/>two</P><textarea>托里</p></textarea>\
                   <p title=\"a>b\">x &lt; y < z</p><![CDATA[ 托里 ]]><?php echo 1 ?>\
                   <!-- <p>托里</p> --><title>T&amp;</title><p>last";
        let x = read(src);
        assert_eq!(x.text, "One\ntwo\n\na>b\n\nx < y < z\n\nT&\n\nlast\n\n");
    }

    #[test]
    fn unclosed_markup_does_not_lose_or_panic() {
        for (src, text) in [
            ("<p>a<!-- never closed", "a\n\n"),
            ("<p>a</p><p", "a\n\n"),
            ("<p>a &#", "a &#\n\n"),
            ("<p>a <", "a <\n\n"),
            ("", ""),
            ("just text", "just text\n\n"),
            ("\u{feff}<p>bom", "bom\n\n"),
            ("<div><span>x</div>y", "x\n\ny\n\n"),
            ("</p></div>x</b>", "x\n\n"),
        ] {
            assert_eq!(read(src).text, text, "{src}");
        }
    }

    #[test]
    fn deep_nesting_and_a_huge_paragraph_are_read() {
        let deep = format!("{}text{}", "<div>".repeat(10_000), "</div>".repeat(10_000));
        assert_eq!(read(&deep).text, "text\n\n");
        let unclosed = format!("{}<code>{}x", "<span>".repeat(10_000), "<b>".repeat(10_000));
        assert_eq!(read(&unclosed).text, "");

        let line = "劳动派对 &amp; 托里。\n";
        let lines = 2_000_000 / line.len();
        let big = format!("<p>{}</p>", line.repeat(lines));
        let x = read(&big);
        // `&amp;` reads as `&`; the last line break goes with the block's end.
        assert_eq!(x.text.len(), lines * (line.len() - 4) + 1);
        assert_eq!(x.pieces.len(), 2 * lines + 1);
    }

    #[test]
    fn unclosed_paragraphs_and_items_close_as_in_browsers() {
        let src = "<p class=notranslate>skipped<p>shown<ul><li>one<li translate=no>two<li>three\
                   </ul><dl><dt>t<dd hidden>d<dt>t2</dl><div><p>a<div>b</div>c</div>d";
        let x = read(src);
        assert_eq!(
            x.text,
            "shown\n\none\n\nthree\n\nt\n\nt2\n\na\n\nb\n\nc\n\nd\n\n"
        );
        // A `<p>` is not closed from inside a button, nor an `<li>` from inside a nested list.
        let x = read("<p translate=no>x<button><div>y</div></button>z</p>w");
        assert_eq!(x.text, "w\n\n");
        let x = read("<ul><li translate=no>x<ul><li>y</ul>z</ul>w");
        assert_eq!(x.text, "w\n\n");
    }

    /// Random pages from fragments: the invariants hold, no line is blank or white space
    /// only inside a block, and no run of blank lines.
    #[test]
    fn random_pages_keep_the_invariants() {
        const BITS: &[&str] = &[
            "<p>",
            "</p>",
            "<div>",
            "</div>",
            "<a href=\"x\">",
            "</a>",
            "<b>",
            "</b>",
            "<br>",
            "<li>",
            "<ul>",
            "</ul>",
            "<code>",
            "</code>",
            "<pre>",
            "<span translate=no>",
            "</span>",
            "<img alt=\"a &amp; b\">",
            "<img alt=x>",
            "<abbr title=' t '>",
            "</abbr>",
            "<script>",
            "</script>",
            "<style>",
            "<title>",
            "</title>",
            "<textarea>",
            "<svg>",
            "</svg>",
            "<![CDATA[",
            "]]>",
            "<!--",
            "-->",
            "<?x ?>",
            "<!doctype html>",
            "<html lang=zh>",
            "<table>",
            "<td>",
            "<tr>",
            "<button>",
            "<p hidden>",
            "&amp;",
            "&nbsp;",
            "&#10;",
            "&#x20;",
            "&#0;",
            "&#",
            "&#x",
            "&bogus;",
            "&",
            ";",
            "<",
            ">",
            "\"",
            "'",
            "=",
            " ",
            "  ",
            "\n",
            "\n\n",
            "\r\n",
            "\t",
            "劳",
            "动派对",
            "Tory",
            "é",
            "\u{a0}",
            "\0",
        ];
        let mut rng = fastrand::Rng::with_seed(7);
        for _ in 0..3000 {
            let n = rng.usize(0..40);
            let src: String = (0..n).map(|_| BITS[rng.usize(..BITS.len())]).collect();
            let x = extract(&src).unwrap();
            check(&src, &x);
            assert!(!x.text.contains("\n\n\n"), "{src:?} -> {:?}", x.text);
            assert!(
                x.text
                    .lines()
                    .all(|l| l.is_empty() || !l.trim_ascii().is_empty()),
                "{src:?} -> {:?}",
                x.text
            );
            assert!(x.text.is_empty() || x.text.ends_with("\n\n"), "{src:?}");
        }
    }

    #[test]
    fn lang_from_html_and_xml_lang() {
        assert_eq!(
            read("<html xml:lang=en-GB><p>x").lang_hint.as_deref(),
            Some("en-GB")
        );
        assert_eq!(read("<p>x").lang_hint, None);
    }

    #[test]
    fn charset_from_either_meta_form() {
        let c = |s: &str| charset(s.as_bytes()).map(|e| e.name());
        assert_eq!(c("<head><meta charset=\"GBK\">"), Some("GBK"));
        assert_eq!(c("<META CHARSET=utf-8>"), Some("UTF-8"));
        assert_eq!(
            c("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">"),
            Some("GBK")
        );
        assert_eq!(
            c("<meta content='text/html;charset=\"big5\"' http-equiv=content-type>"),
            Some("Big5")
        );
        assert_eq!(c("<meta charset=utf-16le>"), Some("UTF-8"));
        // Absent, in a comment, in another tag's attribute, or with no http-equiv.
        assert_eq!(c("<html><head><title>x</title>"), None);
        assert_eq!(c("<!-- <meta charset=gbk> --><p>"), None);
        assert_eq!(c("<p title='<meta charset=gbk>'>"), None);
        assert_eq!(c("<meta content=\"text/html; charset=gbk\">"), None);
        // Past the first 1024 bytes.
        assert_eq!(c(&format!("{}<meta charset=gbk>", " ".repeat(1024))), None);
    }
}
