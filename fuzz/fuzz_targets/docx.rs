//! Any bytes read as a DOCX with a 1 MiB bound: an error or a reading, never a panic; a
//! reading's pieces lie inside the text and their parts, and the package written back
//! unchanged reads the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use transmend::format::docx;

fuzz_target!(|data: &[u8]| {
    let Ok((package, extract)) = docx::read(data, 1 << 20) else {
        return;
    };
    let parts = package.parts();
    for p in &extract.pieces {
        assert!(extract.text.get(p.text.clone()).is_some(), "{p:?}");
        let part = parts.get(p.part).expect("piece part");
        assert!(part.get(p.source.clone()).is_some(), "{p:?}");
    }
    let same: Vec<String> = parts.iter().map(|s| s.to_string()).collect();
    if let Ok(bytes) = docx::write(&package, &same) {
        let (_, again) = docx::read(&bytes, 1 << 20).expect("written package reads");
        assert_eq!(again.text, extract.text);
    }
});
