//! What the pipeline tells its caller: events while it runs ([`Sink`]), and at the end what
//! it did and how it ended ([`RunReport`], [`Exit`]). The library never prints; the binary
//! renders these.

use std::io;
use std::path::{Path, PathBuf};

use super::stages::Fixed;
use super::translation::TranslationReport;
use crate::analysis::Analysis;
use crate::check::corpus::Tally;
use crate::error::Error;
use crate::glossary::Termbase;
use crate::translate::{Progress, Silent};

/// Receives the pipeline's events, in input order. Every method has a default that ignores
/// the event; an I/O error from one (a closed pipe) ends the run.
pub trait Sink {
    /// The inputs exist and the engine (if any) answered: the run starts reading documents.
    fn started(&mut self) -> io::Result<()> {
        Ok(())
    }

    /// A document was read, analysed and checked (`check`).
    fn checked(&mut self, _analysis: &Analysis) -> io::Result<()> {
        Ok(())
    }

    /// A document was repaired and its result handed on as the job asks (`fix`, `translate`,
    /// `run`).
    fn fixed(&mut self, _fixed: &Fixed, _written: &Written) -> io::Result<()> {
        Ok(())
    }

    /// An input could not be processed, or its result not written; the run goes on.
    fn failed(&mut self, _path: &Path, _error: &Error) -> io::Result<()> {
        Ok(())
    }

    /// An input was passed over on purpose (a FIFO, a symlink out of the folder, ...).
    fn skipped(&mut self, _path: &Path, _reason: &str) {}

    /// Something the user should know that is no document's outcome.
    fn note(&mut self, _message: &str) {}

    /// Where translation progress goes.
    fn progress(&self) -> &dyn Progress {
        &Silent
    }
}

/// What became of one repaired document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    /// Nothing to write (unchanged), or nothing asked.
    Nothing,
    /// `fix --diff`: the unified diff of the change.
    Patch { patch: Vec<u8>, form: PatchForm },
    /// `fix -`: the repaired document, in its own encoding.
    Bytes(Vec<u8>),
    /// A repaired copy (`fix --out`, `run`'s fixed/) and, for `run`, the diff beside it when
    /// the document changed.
    Copy {
        path: PathBuf,
        diff: Option<PathBuf>,
    },
    /// The file itself, rewritten; the backup of the original when one was kept.
    InPlace { backup: Option<PathBuf> },
}

/// What a `fix --diff` patch holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatchForm {
    /// The file's own bytes (UTF-8 or another ASCII-compatible encoding, named): applies
    /// with `patch`.
    Bytes(&'static str),
    /// The file is in this encoding (UTF-16), which line-based patches cannot carry: the
    /// diff is of the text, in UTF-8, for reading only.
    TextOnly(&'static str),
}

/// How a run ended, as the exit status says it: 0, 1 or 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exit {
    /// Nothing at `error` severity.
    Clean,
    /// At least one `error` flag (`fix`: left for a person; `translate`: a glossary violation).
    Errors,
    /// At least one input, output or translation could not be processed.
    Failed,
}

impl Exit {
    /// The process exit status.
    pub fn code(self) -> u8 {
        match self {
            Exit::Clean => 0,
            Exit::Errors => 1,
            Exit::Failed => 2,
        }
    }

    /// From whether anything failed and whether any error was found.
    pub fn of(failed: bool, errors: bool) -> Exit {
        if failed {
            Exit::Failed
        } else if errors {
            Exit::Errors
        } else {
            Exit::Clean
        }
    }
}

/// Repairs over a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RepairTally {
    /// Repairs applied in all documents.
    pub applied: usize,
    /// Documents the repairs changed.
    pub changed: usize,
    /// Documents that needed none.
    pub unchanged: usize,
    /// `error` flags left in the repaired texts, for a person to decide.
    pub errors_left: usize,
}

/// The files `run` wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunOutputs {
    pub report_jsonl: PathBuf,
    pub report_html: PathBuf,
    /// The folder of the report's pages, when it is in pages (an index and a page per
    /// document).
    pub report_pages: Option<PathBuf>,
    pub fixed: PathBuf,
    pub diff: PathBuf,
    /// With translation.
    pub bilingual: Option<PathBuf>,
}

/// What a run did.
#[derive(Debug)]
pub struct RunReport {
    /// Documents, failures, flags (a pair's bilingual flags included) and the drift check.
    pub tally: Tally,
    /// With a job that repairs.
    pub repairs: RepairTally,
    /// With a job that translates.
    pub translation: Option<TranslationReport>,
    /// `run`'s files.
    pub outputs: Option<RunOutputs>,
    pub exit: Exit,
}

/// What `run` says about translation when no engine is configured, and how to turn it on.
pub const NO_ENGINE: &str = "translation skipped: no engine configured. To translate, add for example \
--engine libretranslate --endpoint http://localhost:5000, or --engine deepl with DEEPL_AUTH_KEY=... set, \
or --engine openai --endpoint http://localhost:11434 --model NAME for an Ollama, llama.cpp or vLLM server";

/// The line that says which glossaries a run checked against.
pub fn glossary_note(termbase: &Termbase) -> String {
    if termbase.used.is_empty() {
        return "glossaries: none".to_string();
    }
    let used: Vec<String> = termbase.used.iter().map(ToString::to_string).collect();
    format!("glossaries: {}", used.join(", "))
}

/// The line that says what translation did, for the report and the summary.
pub fn translation_note(translation: Option<&TranslationReport>) -> String {
    match translation {
        None => NO_ENGINE.to_string(),
        Some(t) => format!(
            "translation: {} distinct segment(s): {} translated, {} from the cache, {} failed; {} characters sent",
            t.stats.unique,
            t.stats.translated,
            t.stats.from_cache,
            t.stats.remaining,
            t.stats.chars_sent
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_rank_failure_over_errors() {
        assert_eq!(Exit::of(false, false).code(), 0);
        assert_eq!(Exit::of(false, true).code(), 1);
        assert_eq!(Exit::of(true, true).code(), 2);
        assert_eq!(Exit::of(true, false), Exit::Failed);
        assert!(Exit::Failed > Exit::Errors && Exit::Errors > Exit::Clean);
    }
}
