//! Any bytes as a CSV glossary: loaded or refused with located problems, never a panic; a
//! loaded glossary written back as CSV loads again.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use transmend::glossary::csv;

fuzz_target!(|data: &[u8]| {
    let file = Path::new("fuzz.csv");
    if let Ok(glossary) = csv::from_bytes(data, file) {
        let written = csv::to_string(&glossary);
        let _ = csv::from_str(&written, file);
    }
});
