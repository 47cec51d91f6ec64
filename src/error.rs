//! The library's error type for documents and runs: every failure names the file and the
//! problem, so the CLI reports it once. (Glossary files have their own, located
//! [`crate::glossary::LoadError`].)

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

    /// Plainly not a text document (an image, an archive, a PDF, ...): what it is and what
    /// to do. `kind` names the kind in the plural, for notes about many such files.
    #[error("{}: {advice}", path.display())]
    NotText {
        path: PathBuf,
        kind: &'static str,
        advice: String,
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

    /// A markup document (HTML, DOCX, ...) that cannot be read or written back.
    #[error("{}: cannot read as {format}: {reason}", path.display())]
    Markup {
        path: PathBuf,
        format: &'static str,
        reason: String,
    },

    /// Writing an output failed.
    #[error("{}: cannot write: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    /// An output folder the user named cannot be created.
    #[error("{}: cannot create the output folder: {source}", path.display())]
    OutputFolder {
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

    /// The file cannot be processed or written for a reason of its own: not a regular file,
    /// changed since it was read, an output that would leave its folder, ...
    #[error("{}: {reason}", path.display())]
    Refused { path: PathBuf, reason: String },

    /// The repairs kept changing the text: a bug to report, never a half-repaired file.
    #[error("{}: the repairs did not settle after {rounds} rounds (each round changed the text again); nothing was written", path.display())]
    Unsettled { path: PathBuf, rounds: usize },

    /// The report or diff could not be handed on (a closed pipe, a full disk on stdout).
    #[error("cannot write the output: {0}")]
    Output(#[source] io::Error),

    /// The translation engine cannot be used: its configuration, or what its server answered
    /// before any document was processed.
    #[error("{0}")]
    Engine(String),
}

impl Error {
    /// A [`Error::Refused`] for `path`.
    pub fn refused(path: impl Into<PathBuf>, reason: impl Into<String>) -> Error {
        Error::Refused {
            path: path.into(),
            reason: reason.into(),
        }
    }

    /// The file the error is about, when there is one.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Error::Read { path, .. }
            | Error::TooLarge { path, .. }
            | Error::Binary { path, .. }
            | Error::Markup { path, .. }
            | Error::NotText { path, .. }
            | Error::Write { path, .. }
            | Error::OutputFolder { path, .. }
            | Error::Unencodable { path, .. }
            | Error::Refused { path, .. }
            | Error::Unsettled { path, .. } => Some(path),
            Error::Engine(_) | Error::Output(_) => None,
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
