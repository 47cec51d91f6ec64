//! transmend: repair machine-translated documents and produce clean bilingual versions.
//!
//! Data flows one way: load -> detect -> segment -> match -> check -> repair -> translate -> write.

pub mod glossary;
