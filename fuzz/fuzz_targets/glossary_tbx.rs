//! Any bytes as a TBX glossary: loaded or refused, never a panic; a loaded glossary written
//! back as TBX loads again.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use transmend::glossary::tbx;

fuzz_target!(|data: &[u8]| {
    let file = Path::new("fuzz.tbx");
    if let Ok(glossary) = tbx::from_bytes(data, file) {
        let written = tbx::to_string(&glossary);
        let _ = tbx::from_str(&written, file);
    }
});
