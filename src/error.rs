//! The library's error type: every failure names the file and the problem, so the CLI reports it once.

use std::io;
use std::path::{Path, PathBuf};

/// Why a document or a glossary could not be processed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be read (missing, permission denied, ...).
    #[error("{}: cannot read: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    /// The file is larger than `--max-file-size`.
    #[error("{}: file is {size} bytes, over the limit of {limit} bytes (raise --max-file-size)", path.display())]
    TooLarge {
        path: PathBuf,
        size: u64,
        limit: u64,
    },

    /// The bytes are not text in any encoding we read.
    #[error("{}: looks binary, not text: {reason}", path.display())]
    Binary { path: PathBuf, reason: String },

    /// The glossary files could not be loaded; every problem is listed.
    #[error(transparent)]
    Glossary(#[from] crate::glossary::LoadError),

    /// Writing an output failed.
    #[error("{}: cannot write: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    /// A text cannot be encoded back into its document's original encoding.
    #[error("{}: the repaired text cannot be written in {encoding}: {detail}", path.display())]
    Unencodable {
        path: PathBuf,
        encoding: &'static str,
        detail: String,
    },

    /// Anything else that the user must fix, with its explanation.
    #[error("{0}")]
    Other(String),
}

impl Error {
    /// The file the error is about, when there is one.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Error::Read { path, .. }
            | Error::TooLarge { path, .. }
            | Error::Binary { path, .. }
            | Error::Write { path, .. }
            | Error::Unencodable { path, .. } => Some(path),
            _ => None,
        }
    }

    /// The message without the leading `path: `, for reports that print the path separately.
    pub fn reason(&self) -> String {
        let full = self.to_string();
        match self.path() {
            Some(path) => full
                .strip_prefix(&format!("{}: ", path.display()))
                .map(str::to_string)
                .unwrap_or(full),
            None => full,
        }
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
