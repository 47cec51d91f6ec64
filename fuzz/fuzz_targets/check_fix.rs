//! Any text through the whole `check` and `fix` pipeline with the project glossary: no panic,
//! every flag on char boundaries inside the text, and fixing the fixed text changes nothing.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use transmend::document::Document;
use transmend::glossary::{Termbase, csv};
use transmend::pipeline::{self, FixOptions};

fn termbase() -> &'static Termbase {
    static TERMBASE: OnceLock<Termbase> = OnceLock::new();
    TERMBASE.get_or_init(|| {
        let text = include_str!("../../glossary/labour.csv");
        Termbase::new(csv::from_str(text, Path::new("labour.csv")).expect("project glossary"))
            .expect("the project glossary compiles")
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let analysis =
        pipeline::check_document(Document::from_text("fuzz.txt", text), None, termbase());
    let text = &analysis.doc.text;
    for flag in &analysis.flags {
        assert!(flag.start <= flag.end && flag.end <= text.len(), "{flag:?}");
        assert!(
            text.is_char_boundary(flag.start) && text.is_char_boundary(flag.end),
            "{flag:?}"
        );
    }
    let fix = FixOptions {
        typography: data.first().is_some_and(|b| b & 1 == 1),
    };
    if let Ok(repaired) = pipeline::repair_document(analysis, None, termbase(), fix) {
        let again = pipeline::check_document(
            Document::from_text("fuzz.txt", repaired.text()),
            None,
            termbase(),
        );
        let twice = pipeline::repair_document(again, None, termbase(), fix)
            .expect("the repaired text repairs again");
        assert_eq!(twice.text(), repaired.text(), "fix is not idempotent");
    }
});
