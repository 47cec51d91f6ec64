//! transmend: repair machine-translated documents and produce clean bilingual versions.
//!
//! Data flows one way: load -> detect -> segment -> match -> check -> repair -> translate ->
//! write. [`pipeline`] is the one module that knows that order; each other module is one
//! stage, or vocabulary that the stages share. A module uses only modules below it here
//! (`tests/architecture.rs` fails on any cycle between files):
//!
//! ```text
//! pipeline      run_corpus(plan, sink): the stage order for check, fix, translate and run
//!   output      report lines, human text, HTML report, diffs, bilingual files, writing
//!   translate   engines, preflight, batching, retries, cache, placeholders, verification
//!   repair      safe suggestions applied, typography
//!   check       the rules over one analysed document; corpus tally and drift
//!   align       sentence alignment of an original and its translation
//!   glossary    CSV/TBX reading and validation, lint, export, matcher, near misses
//!   analysis    a document with its segments, script runs and languages (and flags)
//!   document    finding, reading and decoding files; encoding a repair back
//!   detect, segment               languages per script run; paragraphs and sentences
//!   flag, error, lines, spans, text, lang, mojibake     vocabulary and leaf utilities
//! ```
//!
//! `flag` (Flag, Rule, Severity), `analysis` (Analysis), `text` (script classes, word
//! characters, month names, URL spans) and `lang` (language tags) are the shared vocabulary,
//! so that no stage has to import a later one to name what it hands on.

#![forbid(unsafe_code)]

pub mod align;
pub mod analysis;
pub mod check;
pub mod config;
pub mod detect;
pub mod document;
pub mod error;
pub mod flag;
pub mod format;
pub mod glossary;
pub mod hanzi;
pub mod lang;
pub mod lines;
pub mod mojibake;
pub mod output;
pub mod pipeline;
pub mod repair;
pub mod review;
pub mod segment;
pub mod spans;
pub mod suggest;
pub mod text;
pub mod translate;

pub use error::{Error, Result};
