//! The project's own Labour glossary (`glossary/labour.csv`), compiled into the binary so
//! that it is the default wherever transmend runs, whatever the current folder.

use std::path::Path;

use super::csv;
use super::model::Glossary;

/// The name the built-in glossary goes by in messages and reports.
pub const NAME: &str = "labour.csv";

/// The CSV text of the built-in glossary.
pub const CSV: &str = include_str!("../../glossary/labour.csv");

/// The built-in glossary, loaded.
pub fn glossary() -> Glossary {
    // The file is part of the build and loaded by the tests: it always loads.
    csv::from_str(CSV, Path::new(NAME)).expect("the built-in glossary loads")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_glossary_is_the_project_file_and_loads() {
        let file = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("glossary/labour.csv"),
        )
        .unwrap();
        assert_eq!(CSV, file);
        let g = glossary();
        assert!(g.concepts.len() > 50);
        assert!(g.get("labour-party").is_some());
    }
}
