//! Any text read as HTML: the pieces lie in text order inside the text, on char boundaries,
//! their source ranges inside the source, on char boundaries and not overlapping; a verbatim
//! piece is its source bytes, a decoded one stands for a character reference; the text has no
//! run of blank lines; and writing back no edits gives the source unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use transmend::format::{Format, PieceKind, html};

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(x) = html::extract(src) else {
        return;
    };
    let mut end = 0;
    let mut sources = Vec::with_capacity(x.pieces.len());
    for p in &x.pieces {
        assert!(p.text.start >= end && p.text.start < p.text.end, "{p:?}");
        end = p.text.end;
        let text = x
            .text
            .get(p.text.clone())
            .expect("text range on char boundaries");
        let source = src
            .get(p.source.clone())
            .expect("source range on char boundaries");
        assert_eq!(p.part, 0);
        match p.kind {
            PieceKind::Verbatim => assert_eq!(text, source, "{p:?}"),
            PieceKind::Decoded => assert!(source.starts_with('&'), "{p:?}"),
            PieceKind::ReadOnly => {}
        }
        sources.push(p.source.clone());
    }
    sources.sort_by_key(|r| r.start);
    assert!(sources.windows(2).all(|w| w[0].end <= w[1].start));
    assert!(!x.text.contains("\n\n\n"), "{:?}", x.text);
    let (parts, written) = x.write_back(Format::Html, &[src], &[]);
    assert!(written.is_empty());
    assert_eq!(parts[0], src);
});
