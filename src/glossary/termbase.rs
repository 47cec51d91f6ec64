//! The compiled termbase: a glossary with its automaton of every form and its near-miss
//! index, built side by side, as every check uses it.

use super::fuzzy::FuzzyIndex;
use super::matcher::{BuildError, Matcher};
use super::model::Glossary;
use super::{Loaded, Used};

/// A glossary compiled for checking: the exact-match automaton and the near-miss indexes.
#[derive(Debug)]
pub struct Termbase {
    pub glossary: Glossary,
    pub matcher: Matcher,
    pub fuzzy: FuzzyIndex,
    /// The glossaries it was loaded from, for reports (empty when built from a glossary in
    /// memory).
    pub used: Vec<Used>,
    /// Concept id -> index, built the first time a concept is looked up by id.
    ids: std::sync::OnceLock<std::collections::HashMap<String, usize>>,
}

impl Termbase {
    /// Compiles a loaded glossary. Fails only when its forms are too many for one automaton
    /// (never silently: a termbase that matches nothing would pass every text as clean).
    pub fn new(glossary: Glossary) -> Result<Termbase, BuildError> {
        // The automaton and the near-miss index are independent: build them side by side.
        let (matcher, fuzzy) =
            rayon::join(|| Matcher::new(&glossary), || FuzzyIndex::new(&glossary));
        Ok(Termbase {
            glossary,
            matcher: matcher?,
            fuzzy,
            used: Vec::new(),
            ids: std::sync::OnceLock::new(),
        })
    }

    /// Compiles the glossaries a run loaded, keeping where they came from.
    pub fn from_loaded(loaded: Loaded) -> Result<Termbase, BuildError> {
        let mut termbase = Termbase::new(loaded.glossary)?;
        termbase.used = loaded.used;
        Ok(termbase)
    }

    /// The concept with this id (flags name their concept by id).
    pub fn concept(&self, id: &str) -> Option<&super::model::Concept> {
        let ids = self.ids.get_or_init(|| {
            self.glossary
                .concepts
                .iter()
                .enumerate()
                .map(|(i, c)| (c.id.clone(), i))
                .collect()
        });
        ids.get(id).map(|&i| &self.glossary.concepts[i])
    }

    /// A termbase with no concepts (checks that need no glossary still run).
    pub fn empty() -> Termbase {
        Termbase::new(Glossary::default()).expect("an automaton of no patterns always builds")
    }
}
