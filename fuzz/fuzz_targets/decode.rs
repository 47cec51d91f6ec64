//! Any bytes: `document::decode` either refuses them with a reason or returns text whose
//! replacement count matches the U+FFFD it holds at most.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match transmend::document::decode(data) {
        Ok(decoded) => {
            let fffd = decoded.text.chars().filter(|&c| c == '\u{FFFD}').count();
            assert!(decoded.replacements <= fffd);
        }
        Err(reason) => assert!(!reason.is_empty()),
    }
});
