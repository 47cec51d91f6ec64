//! Everything the user or a script sees: JSON Lines reports and the human summary.

pub mod human;
pub mod json;
