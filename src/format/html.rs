//! HTML and XHTML: the visible text of a page, block by block, with its source offsets.

use std::borrow::Cow;

use super::extract::Extract;

/// Whether bytes look like an HTML page (a doctype or `<html` near the start).
pub fn looks_like_html(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let t = head.trim_start_matches('\u{feff}').trim_start();
    t.starts_with("<!doctype html")
        || t.starts_with("<html")
        || (t.starts_with("<?xml") && t.contains("<html"))
}

/// Escapes text for an HTML text node or attribute value.
pub fn escape_text(text: &str) -> Cow<'_, str> {
    if !text.contains(['&', '<', '>', '"']) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// The visible text of an HTML page (placeholder until the reader lands).
pub fn extract(source: &str) -> Result<Extract, String> {
    Ok(Extract::plain(source))
}

/// The encoding a page declares in a `<meta>` near its start (placeholder until the reader lands).
pub fn charset(_bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    None
}
