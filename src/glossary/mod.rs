//! The termbase: loading (CSV, TBX), validation, export, and matching in text.

pub mod model;

pub use model::{Concept, Glossary, Kind, Origin, Status, Term};
