//! TMX 1.4b: translation units of aligned sentence pairs, for translation memories.

use quick_xml::escape::escape;

/// A TMX 1.4b document of `pairs` (source, target), languages as BCP 47 codes.
pub fn to_string(srclang: &str, tgtlang: &str, pairs: &[(String, String)]) -> String {
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\">\n");
    out.push_str(&format!(
        "  <header creationtool=\"transmend\" creationtoolversion=\"{}\" segtype=\"sentence\" o-tmf=\"transmend\" adminlang=\"en\" srclang=\"{}\" datatype=\"plaintext\"/>\n  <body>\n",
        env!("CARGO_PKG_VERSION"),
        escape(srclang)
    ));
    for (i, (s, t)) in pairs.iter().enumerate() {
        out.push_str(&format!(
            "    <tu tuid=\"{}\">\n      <tuv xml:lang=\"{}\"><seg>{}</seg></tuv>\n      <tuv xml:lang=\"{}\"><seg>{}</seg></tuv>\n    </tu>\n",
            i + 1,
            escape(srclang),
            escape(s.as_str()),
            escape(tgtlang),
            escape(t.as_str())
        ));
    }
    out.push_str("  </body>\n</tmx>\n");
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_and_parses() {
        let xml = super::to_string("en", "zh", &[("a < b & \"c\"".into(), "甲<乙".into())]);
        assert!(
            xml.contains("<seg>a &lt; b &amp; &quot;c&quot;</seg>"),
            "{xml}"
        );
        let mut reader = quick_xml::Reader::from_str(&xml);
        let mut segs = 0;
        loop {
            match reader.read_event().unwrap() {
                quick_xml::events::Event::Start(e) if e.name().as_ref() == "seg" => segs += 1,
                quick_xml::events::Event::Eof => break,
                _ => {}
            }
        }
        assert_eq!(segs, 2);
    }
}
