//! Language-identification accuracy on a labelled set (`lang<TAB>text` per line): single sentences
//! and paragraphs of three consecutive sentences of one language.
//!
//! `cargo run --release --example langid_accuracy [FILE]` (default: benches/data/langid.tsv).
//! A public labelled set in the same two-column form can be passed from outside the repository.

use std::collections::BTreeMap;

use transmend::analysis::analyze;
use transmend::document::Document;

fn detect(text: &str) -> Option<&'static str> {
    analyze(Document::from_text("-", text), None)
        .detection
        .language
}

#[derive(Default)]
struct Score {
    right: usize,
    total: usize,
    confusions: BTreeMap<String, usize>,
}

impl Score {
    fn add(&mut self, want: &str, got: Option<&str>) {
        self.total += 1;
        match got {
            Some(g) if g == want => self.right += 1,
            other => {
                *self
                    .confusions
                    .entry(format!("{want}->{}", other.unwrap_or("none")))
                    .or_default() += 1
            }
        }
    }
    fn pct(&self) -> f64 {
        100.0 * self.right as f64 / self.total.max(1) as f64
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "benches/data/langid.tsv".into());
    let data = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
    let mut rows: Vec<(String, String)> = Vec::new();
    for line in data.lines().skip(1) {
        if let Some((lang, text)) = line.split_once('\t') {
            rows.push((lang.to_string(), text.to_string()));
        }
    }
    let mut sentences = Score::default();
    let mut paragraphs = Score::default();
    let mut long_paragraphs = Score::default();
    let mut per_lang: BTreeMap<String, Score> = BTreeMap::new();
    for (lang, text) in &rows {
        let got = detect(text);
        sentences.add(lang, got);
        per_lang.entry(lang.clone()).or_default().add(lang, got);
    }
    for group in rows.chunk_by(|a, b| a.0 == b.0) {
        for three in group.chunks(3) {
            let lang = &three[0].0;
            let text = three
                .iter()
                .map(|(_, t)| t.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            let got = detect(&text);
            paragraphs.add(lang, got);
            if text.chars().count() >= 50 {
                long_paragraphs.add(lang, got);
            }
        }
    }
    println!("labelled set: {path} ({} sentences)", rows.len());
    println!(
        "single sentences:        {:.1}% ({}/{})",
        sentences.pct(),
        sentences.right,
        sentences.total
    );
    println!(
        "3-sentence paragraphs:   {:.1}% ({}/{})",
        paragraphs.pct(),
        paragraphs.right,
        paragraphs.total
    );
    println!(
        "paragraphs >= 50 chars:  {:.1}% ({}/{})",
        long_paragraphs.pct(),
        long_paragraphs.right,
        long_paragraphs.total
    );
    for (lang, s) in &per_lang {
        println!("  {lang}: sentences {:.1}%", s.pct());
    }
    let mut confusions: BTreeMap<String, usize> = BTreeMap::new();
    for s in [&sentences, &paragraphs] {
        for (k, v) in &s.confusions {
            *confusions.entry(k.clone()).or_default() += v;
        }
    }
    if !confusions.is_empty() {
        println!("confusions (sentences + paragraphs): {confusions:?}");
    }
    Ok(())
}
