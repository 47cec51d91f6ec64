//! Times loading a glossary and building its automaton and near-miss index.
//!
//! `cargo run --release --example glossary_build -- GLOSSARY.csv [ROUNDS]`
//!
//! Prints, per round, the load time, each index built on its own, and `Termbase::new` (which
//! builds both side by side), in seconds.

use std::path::PathBuf;
use std::time::Instant;

use transmend::glossary::{self, Termbase, fuzzy::FuzzyIndex, matcher::Matcher};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first().map(PathBuf::from) else {
        eprintln!("usage: glossary_build GLOSSARY [ROUNDS]");
        std::process::exit(2);
    };
    let rounds: usize = args
        .get(1)
        .map_or(1, |r| r.parse().expect("ROUNDS: a number"));
    for _ in 0..rounds {
        let t = Instant::now();
        let g = glossary::load_files(std::slice::from_ref(&path)).expect("a valid glossary");
        let load = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let m = Matcher::new(&g).expect("the glossary compiles");
        let matcher = t.elapsed().as_secs_f64();
        drop(m);
        let t = Instant::now();
        let f = FuzzyIndex::new(&g);
        let fuzzy = t.elapsed().as_secs_f64();
        drop(f);
        let concepts = g.concepts.len();
        let t = Instant::now();
        let tb = Termbase::new(g).expect("the glossary compiles");
        let build = t.elapsed().as_secs_f64();
        drop(tb);
        println!(
            "concepts {concepts} load {load:.3} s matcher {matcher:.3} s fuzzy {fuzzy:.3} s termbase(both, parallel) {build:.3} s load+build {:.3} s",
            load + build
        );
    }
}
