//! transmend: repair machine-translated documents and produce clean bilingual versions.
//!
//! Data flows one way: load -> detect -> segment -> match -> check -> repair -> translate -> write.
//! [`pipeline`] is the one module that knows that order; each other module is one stage.

#![forbid(unsafe_code)]

pub mod align;
pub mod analysis;
pub mod check;
pub mod detect;
pub mod document;
pub mod error;
pub mod flag;
pub mod glossary;
pub mod lang;
pub mod lines;
pub mod mojibake;
pub mod output;
pub mod pipeline;
pub mod repair;
pub mod segment;
pub mod spans;
pub mod text;
pub mod translate;

pub use error::{Error, Result};
