//! Measures `transmend::mojibake::repair` on labelled real-world mojibake: ftfy's public test
//! cases (fetch them with `scripts/fetch-ftfy-cases.sh`; they are never committed here).
//!
//! ```sh
//! scripts/fetch-ftfy-cases.sh            # -> /tmp/transmend-ftfy/test_cases.json
//! cargo run --release --example mojibake_accuracy [-- FILE.json] [--verbose]
//! ```
//!
//! Each case has `original` and the text ftfy's `fix_encoding` should give (`fixed-encoding`,
//! else `fixed`). Cases where the two differ need a repair: fixed correctly, left alone (a
//! miss) or wrongly changed. Cases where they are equal must be left alone.

#![allow(clippy::unwrap_used)]

use serde_json::Value;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let verbose = args.iter().any(|a| a == "--verbose");
    let path = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .cloned()
        .unwrap_or_else(|| "/tmp/transmend-ftfy/test_cases.json".into());
    let data = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        eprintln!("cannot read {path}: {e}\nrun scripts/fetch-ftfy-cases.sh first");
        std::process::exit(2)
    });
    let cases: Vec<Value> = serde_json::from_str(&data).unwrap();

    #[derive(Default)]
    struct Counts {
        fixed: usize,
        missed: usize,
        wrong_on_broken: usize,
        left_alone: usize,
        wrong_on_clean: usize,
    }
    let mut all = Counts::default();
    let mut ftfy_pass = Counts::default();
    for case in &cases {
        let original = case["original"].as_str().unwrap();
        let want = case["fixed-encoding"]
            .as_str()
            .or(case["fixed"].as_str())
            .unwrap();
        let got = transmend::mojibake::repair(original);
        let label = case["label"].as_str().unwrap_or("");
        let pass = case["expect"].as_str() == Some("pass");
        for counts in [Some(&mut all), pass.then_some(&mut ftfy_pass)]
            .into_iter()
            .flatten()
        {
            if original != want {
                if got == want {
                    counts.fixed += 1;
                } else if got == original {
                    counts.missed += 1;
                } else {
                    counts.wrong_on_broken += 1;
                }
            } else if got == original {
                counts.left_alone += 1;
            } else {
                counts.wrong_on_clean += 1;
            }
        }
        if verbose && got != want {
            let what = if got == original { "MISSED" } else { "WRONG " };
            let ftfy = if pass { "" } else { " (ftfy fails it too)" };
            println!(
                "{what} {label}{ftfy}\n   in:   {original:?}\n   want: {want:?}\n   got:  {got:?}"
            );
        }
    }
    let report = |name: &str, c: &Counts| {
        let broken = c.fixed + c.missed + c.wrong_on_broken;
        let clean = c.left_alone + c.wrong_on_clean;
        println!("{name}: {} cases", broken + clean);
        println!(
            "  mojibake ({broken}): repaired to ftfy's result {} ({:.1}%), left alone {}, changed otherwise {}",
            c.fixed,
            100.0 * c.fixed as f64 / broken.max(1) as f64,
            c.missed,
            c.wrong_on_broken
        );
        println!(
            "  negatives ({clean}): left alone {} ({:.1}%), changed {}",
            c.left_alone,
            100.0 * c.left_alone as f64 / clean.max(1) as f64,
            c.wrong_on_clean
        );
    };
    report("cases ftfy itself passes (expect: pass)", &ftfy_pass);
    report("all cases, ftfy's known failures included", &all);
}
