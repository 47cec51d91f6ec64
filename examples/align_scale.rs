//! Alignment at scale on generated pairs: `cargo run --release --example align_scale -- N
//! [INSERTED]` aligns N English-like sentences with their Chinese-like "translation" (with
//! merges, splits, drops and additions; INSERTED extra target sentences in one block at the
//! middle, to push the path far off the diagonal) and prints the time (building both sides
//! and aligning them) and the strict F1 against the generated gold. Peak memory: run it under
//! `/usr/bin/time -v`.
//! `benches/align.rs` uses the same generator.

use std::time::Instant;

use transmend::align::{self, AlignOptions};

/// A generated pair: sentences of each side and the gold beads.
pub(crate) struct Pair {
    pub(crate) en: Vec<String>,
    pub(crate) zh: Vec<String>,
    pub(crate) gold: Vec<(Vec<usize>, Vec<usize>)>,
}

const WORDS: &[&str] = &[
    "the",
    "party",
    "members",
    "of",
    "and",
    "to",
    "a",
    "in",
    "that",
    "is",
    "for",
    "on",
    "was",
    "conference",
    "motion",
    "vote",
    "election",
    "committee",
    "national",
    "executive",
    "left",
    "right",
    "campaign",
    "rule",
    "change",
    "support",
    "oppose",
    "candidates",
    "seats",
    "branch",
    "local",
    "union",
    "leader",
    "general",
    "secretary",
    "report",
    "statement",
    "policy",
    "with",
    "by",
    "against",
    "after",
    "before",
    "their",
    "we",
    "it",
    "they",
    "will",
    "not",
    "have",
    "been",
    "democracy",
    "workers",
    "council",
    "housing",
    "public",
    "ownership",
    "strike",
];

const HAN: &str = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动\
同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体\
制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明\
看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入\
常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做\
必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改\
清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空\
元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素\
技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王\
按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严";

/// Deterministic generator of sentence pairs of about `n` source sentences.
pub(crate) fn pair(n: usize, inserted: usize, seed: u64) -> Pair {
    let mut rng = fastrand::Rng::with_seed(seed);
    let han: Vec<char> = HAN.chars().collect();
    let names: Vec<String> = (0..200)
        .map(|_| {
            let syllables = [
                "an", "ber", "cor", "dan", "el", "fin", "gre", "hol", "is", "jon",
            ];
            let mut w: String = (0..rng.usize(2..4))
                .map(|_| syllables[rng.usize(..syllables.len())])
                .collect();
            w[..1].make_ascii_uppercase();
            w
        })
        .collect();
    let mut en: Vec<String> = Vec::with_capacity(n);
    let mut zh_parts: Vec<Vec<String>> = Vec::with_capacity(n);
    for _ in 0..n {
        let words = rng.usize(4..36);
        let mut s = String::new();
        let mut zh = String::new();
        let mut zh_chars = 0usize;
        for k in 0..words {
            let word = match rng.u8(..100) {
                0..=3 => names[rng.usize(..names.len())].clone(),
                4..=5 => (1900 + rng.u32(..130)).to_string(),
                _ => WORDS[rng.usize(..WORDS.len())].to_string(),
            };
            if k > 0 {
                s.push(' ');
            }
            if word.starts_with(|c: char| c.is_ascii_uppercase() || c.is_ascii_digit()) {
                zh.push_str(&word);
            } else {
                // About 0.4 Han characters per Latin letter, with noise.
                zh_chars += word.len();
                let take = (zh_chars * 2 / 5).saturating_sub(zh.chars().count());
                for _ in 0..take + usize::from(rng.u8(..4) == 0) {
                    zh.push(han[rng.usize(..han.len())]);
                }
            }
            s.push_str(&word);
        }
        let question = rng.u8(..20) == 0;
        s.push(if question { '?' } else { '.' });
        zh.push(if question { '？' } else { '。' });
        s[..1].make_ascii_uppercase();
        en.push(s);
        // Some translations come in two sentences.
        if rng.u8(..100) < 3 && zh.chars().count() > 8 {
            let mid = zh.chars().count() / 2;
            let cut = zh.char_indices().nth(mid).map_or(zh.len(), |(b, _)| b);
            let (a, b) = zh.split_at(cut);
            zh_parts.push(vec![format!("{a}。"), b.to_string()]);
        } else {
            zh_parts.push(vec![zh]);
        }
    }
    let mut zh: Vec<String> = Vec::new();
    let mut gold = Vec::new();
    let mut i = 0;
    let filler = |rng: &mut fastrand::Rng| -> String {
        let mut s: String = (0..rng.usize(8..40))
            .map(|_| han[rng.usize(..han.len())])
            .collect();
        s.push('。');
        s
    };
    while i < n {
        if i == n / 2 {
            for _ in 0..inserted {
                gold.push((vec![], vec![zh.len()]));
                zh.push(filler(&mut rng));
            }
        }
        match rng.u8(..100) {
            // Dropped in translation.
            0 => {
                gold.push((vec![i], vec![]));
                i += 1;
            }
            // Added by the translator.
            1 => {
                gold.push((vec![], vec![zh.len()]));
                zh.push(filler(&mut rng));
            }
            // Two sentences translated as one.
            2..=4 if i + 1 < n && zh_parts[i].len() == 1 && zh_parts[i + 1].len() == 1 => {
                let merged = format!(
                    "{}{}",
                    zh_parts[i][0].trim_end_matches('。'),
                    zh_parts[i + 1][0]
                );
                gold.push((vec![i, i + 1], vec![zh.len()]));
                zh.push(merged);
                i += 2;
            }
            _ => {
                let start = zh.len();
                zh.extend(zh_parts[i].iter().cloned());
                gold.push((vec![i], (start..zh.len()).collect()));
                i += 1;
            }
        }
    }
    Pair { en, zh, gold }
}

/// The two sides of a generated pair as `transmend align` builds them (no glossary).
pub(crate) fn sides(pair: &Pair) -> (align::Side, align::Side) {
    let en: Vec<&str> = pair.en.iter().map(String::as_str).collect();
    let zh: Vec<&str> = pair.zh.iter().map(String::as_str).collect();
    (
        align::side(&en, &[], &align::latin_vocabulary(&zh)),
        align::side(&zh, &[], &align::latin_vocabulary(&en)),
    )
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().as_deref().unwrap_or("2000").parse()?;
    let inserted: usize = args.next().as_deref().unwrap_or("0").parse()?;
    let pair = pair(n, inserted, 1);
    let t0 = Instant::now();
    let (src, tgt) = sides(&pair);
    let beads = align::align(&src, &tgt, AlignOptions::default());
    let elapsed = t0.elapsed();
    let (p, r, f) = align::strict_prf(&beads, &pair.gold);
    println!(
        "{} source, {} target sentences: {:.3} s, {} beads, strict P {p:.3} R {r:.3} F1 {f:.3}",
        pair.en.len(),
        pair.zh.len(),
        elapsed.as_secs_f64(),
        beads.len()
    );
    Ok(())
}
