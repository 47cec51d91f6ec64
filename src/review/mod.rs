//! Reviewing: flags named by stable fingerprints, a reviewer's decisions (`decisions.json`)
//! placed back into documents, and the ignore file that keeps rejected flags out of later
//! checks. See docs/review.md for the file formats.

pub mod decisions;
pub mod fingerprint;
pub mod ignore;

pub use decisions::{Action, Decision, Decisions, DocumentDecisions, Placed};
pub use ignore::{Ignore, Scope, Sieved};
pub mod page;
