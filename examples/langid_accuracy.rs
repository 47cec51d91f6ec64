//! Language-identification accuracy on a labelled set (`lang<TAB>text` per line): single sentences
//! and paragraphs of three consecutive sentences of one language.
//!
//! Then documents: each language's sentences as one document (a paragraph per sentence), and a
//! mixed-language set made from the same sentences: documents of one language in which every
//! paragraph ends with a sentence of a second language, so the second language must still be
//! found once the document has settled on its first. Those are scored per sentence, with the
//! tiered language ID (what `check` uses) and with every long run given to the full detector.
//!
//! `cargo run --release --example langid_accuracy [FILE]` (default: benches/data/langid.tsv).
//! A public labelled set in the same two-column form can be passed from outside the repository.

use std::collections::BTreeMap;

use transmend::analysis::analyze;
use transmend::detect;
use transmend::document::Document;
use transmend::segment;

/// The language of the segment holding the middle of each `spans` entry, labelled by the tiered
/// (`exhaustive` false) or the full detector.
fn sentence_langs(
    text: &str,
    spans: &[std::ops::Range<usize>],
    exhaustive: bool,
) -> Vec<Option<&'static str>> {
    let segments = segment::segments(text);
    let mut runs = Vec::new();
    let mut ranges = Vec::new();
    for seg in &segments {
        let first = runs.len();
        runs.extend(detect::script_runs(text, seg.span.clone()));
        ranges.push(first..runs.len());
    }
    if exhaustive {
        detect::label_runs_exhaustive(text, &mut runs, None);
    } else {
        detect::label_runs(text, &mut runs, None);
    }
    spans
        .iter()
        .map(|span| {
            let mid = (span.start + span.end) / 2;
            let i = segments.iter().position(|s| s.span.contains(&mid))?;
            detect::summarize(&runs[ranges[i].clone()]).language
        })
        .collect()
}

/// A document of labelled sentences: paragraphs of sentences, joined; each sentence's span.
fn document(paragraphs: &[Vec<(&str, &str)>]) -> (String, Vec<(String, std::ops::Range<usize>)>) {
    let mut text = String::new();
    let mut spans = Vec::new();
    for paragraph in paragraphs {
        for (i, (lang, sentence)) in paragraph.iter().enumerate() {
            if i > 0 {
                text.push(' ');
            }
            let start = text.len();
            text.push_str(sentence);
            spans.push((lang.to_string(), start..text.len()));
        }
        text.push_str("\n\n");
    }
    (text, spans)
}

/// Scores each sentence of `doc` with both detectors: (tiered, full), plus the score of the
/// sentences whose label is `only` when given.
fn score_document(
    paragraphs: &[Vec<(&str, &str)>],
    only: Option<&str>,
    tiered: &mut Score,
    full: &mut Score,
) {
    let (text, spans) = document(paragraphs);
    let ranges: Vec<_> = spans.iter().map(|(_, r)| r.clone()).collect();
    let quick = sentence_langs(&text, &ranges, false);
    let slow = sentence_langs(&text, &ranges, true);
    for (((lang, _), q), f) in spans.iter().zip(quick).zip(slow) {
        if only.is_none_or(|o| o == lang) {
            tiered.add(lang, q);
            full.add(lang, f);
        }
    }
}

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
    // Documents: one per language, a paragraph per sentence.
    let mut by_lang: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (lang, text) in &rows {
        by_lang.entry(lang).or_default().push(text);
    }
    let (mut doc_tiered, mut doc_full) = (Score::default(), Score::default());
    for (lang, sentences) in &by_lang {
        let paragraphs: Vec<Vec<(&str, &str)>> =
            sentences.iter().map(|s| vec![(*lang, *s)]).collect();
        score_document(&paragraphs, None, &mut doc_tiered, &mut doc_full);
    }
    // Mixed: for each ordered pair of languages, a document of 10 paragraphs, each two
    // sentences of the first language and one of the second.
    let (mut mixed_tiered, mut mixed_full) = (Score::default(), Score::default());
    let (mut second_tiered, mut second_full) = (Score::default(), Score::default());
    for (a, first) in &by_lang {
        for (b, second) in &by_lang {
            if a == b {
                continue;
            }
            let paragraphs: Vec<Vec<(&str, &str)>> = (0..10)
                .map(|k| {
                    vec![
                        (*a, first[(2 * k) % first.len()]),
                        (*a, first[(2 * k + 1) % first.len()]),
                        (*b, second[(k + 20) % second.len()]),
                    ]
                })
                .collect();
            score_document(&paragraphs, None, &mut mixed_tiered, &mut mixed_full);
            score_document(&paragraphs, Some(b), &mut second_tiered, &mut second_full);
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
    println!("per sentence, inside documents          tiered | full detector");
    for (what, t, f) in [
        ("one-language documents", &doc_tiered, &doc_full),
        ("mixed documents, all sentences", &mixed_tiered, &mixed_full),
        (
            "mixed documents, second language",
            &second_tiered,
            &second_full,
        ),
    ] {
        println!(
            "  {what:<34} {:.1}% ({}/{}) | {:.1}% ({}/{})",
            t.pct(),
            t.right,
            t.total,
            f.pct(),
            f.right,
            f.total
        );
    }
    for (lang, s) in &per_lang {
        println!("  {lang}: sentences {:.1}%", s.pct());
    }
    let mut confusions: BTreeMap<String, usize> = BTreeMap::new();
    for s in [&sentences, &paragraphs, &doc_tiered, &mixed_tiered] {
        for (k, v) in &s.confusions {
            *confusions.entry(k.clone()).or_default() += v;
        }
    }
    if !confusions.is_empty() {
        println!("confusions (sentences + paragraphs): {confusions:?}");
    }
    Ok(())
}
