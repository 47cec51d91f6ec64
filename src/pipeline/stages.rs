//! One document through the stages in order: read -> analyse (detect, segment) -> check ->
//! repair (re-checked until it settles) -> encode like the original. Each function here is
//! the whole path of one document for one kind of job; a failure is the document's own.

use std::path::Path;

use super::plan::{FixOptions, Options};
use super::walk::Item;
use crate::analysis::{Analysis, analyze};
use crate::check;
use crate::document::{self, Document};
use crate::error::Error;
use crate::flag::Flag;
use crate::glossary::Termbase;
use crate::repair;
use crate::review::{Ignore, fingerprint};

/// Reads, analyses and checks one file.
pub fn check_path(path: &Path, options: &Options, termbase: &Termbase) -> Result<Analysis, Error> {
    let doc = document::read_document(path, options.read)?;
    let mut analysis = check_sized(doc, options, termbase);
    sieve(&mut analysis, options.ignore.as_deref());
    Ok(analysis)
}

/// Reads, analyses and checks one document found by the walk.
pub fn check_item(item: &Item, options: &Options, termbase: &Termbase) -> Result<Analysis, Error> {
    let bytes = document::read_origin(&item.origin, &item.path, options.read)?;
    let doc = document::from_vec(&item.path, bytes, options.read)?;
    let mut analysis = check_sized(doc, options, termbase);
    sieve(&mut analysis, options.ignore.as_deref());
    Ok(analysis)
}

/// Analyses and checks a document, in pieces when `options.pieces` asks for it and the
/// document is more than twice that long (the same flags, in bounded memory).
fn check_sized(doc: Document, options: &Options, termbase: &Termbase) -> Analysis {
    match options.pieces {
        Some(bytes) if doc.text.len() > bytes.saturating_mul(2) => {
            let analysis = check::pieces::document(doc, options.lang, termbase, bytes);
            after_checks(analysis)
        }
        _ => check_document(doc, options.lang, termbase),
    }
}

/// Analyses and checks a document already in memory.
pub fn check_document(doc: Document, lang: Option<&'static str>, termbase: &Termbase) -> Analysis {
    let mut analysis = analyze(doc, lang);
    check::document(&mut analysis, termbase);
    after_checks(analysis)
}

/// What follows the checks of any document: flags kept to the markup's text, fingerprints.
fn after_checks(mut analysis: Analysis) -> Analysis {
    if let Some(source) = &analysis.doc.source {
        keep_to_the_markup(&source.extract, &mut analysis.flags);
    }
    fingerprint::assign(&analysis.doc.text, &mut analysis.flags);
    analysis
}

/// Moves the flags the project's ignore file names out of the analysis's flags (they are
/// neither reported nor repaired) into `ignored`.
pub fn sieve(analysis: &mut Analysis, ignore: Option<&Ignore>) {
    let Some(ignore) = ignore.filter(|i| !i.is_empty()) else {
        return;
    };
    let flags = std::mem::take(&mut analysis.flags);
    let sieved = ignore.sieve(&analysis.doc.path, flags);
    analysis.flags = sieved.kept;
    analysis.ignored = sieved.ignored;
}

/// A safe repair the markup cannot take (it would cross a link, a block break, an attribute
/// that is not rewritten) stays a flag: not applied, and the message says why.
fn keep_to_the_markup(extract: &crate::format::Extract, flags: &mut [Flag]) {
    for flag in flags.iter_mut().filter(|f| f.autofix) {
        if let Some(reason) = extract.unwritable(flag.start..flag.end) {
            flag.autofix = false;
            let message = flag.message.trim_end_matches('.').to_string();
            flag.message = format!("{message}; not repaired: the repair {reason}.").into();
        }
    }
}

/// Rounds of check-and-repair before giving up: a repair can expose another (a doubled phrase
/// that was a deprecated term), but repairs that keep undoing each other are a bug to report.
pub const MAX_ROUNDS: usize = 4;

/// A document and its repair: the original as checked (its flags are those a report shows)
/// and, when the repairs changed the text, the repaired text analysed and checked again.
#[derive(Debug, Clone)]
pub struct Repaired {
    /// The document as read, analysed and checked.
    pub original: Analysis,
    /// The repaired text's analysis, when it differs from the original.
    changed: Option<Analysis>,
    /// Every repair applied, round by round (offsets of later rounds refer to the text of their round).
    pub applied: Vec<Flag>,
    /// Whether the typography pass changed anything.
    pub typography_changed: bool,
    /// Rounds that changed the text.
    pub rounds: usize,
}

impl Repaired {
    /// The analysis of the text as repaired: what `fix` writes and `translate` sends.
    pub fn result(&self) -> &Analysis {
        self.changed.as_ref().unwrap_or(&self.original)
    }

    /// The repaired text.
    pub fn text(&self) -> &str {
        &self.result().doc.text
    }

    /// The flags of the repaired text: applying its safe repairs changes nothing any more.
    pub fn remaining(&self) -> &[Flag] {
        &self.result().flags
    }

    /// Whether the repairs changed the text.
    pub fn changed(&self) -> bool {
        self.changed.is_some()
    }
}

/// Repairs a checked document: applies the safe repairs (and typography when asked), checks
/// the result again and repeats until a round changes nothing, so that fixing the output again
/// is a no-op and no applied flag is left. Fails when the repairs do not settle.
pub fn repair_document(
    original: Analysis,
    lang: Option<&'static str>,
    termbase: &Termbase,
    fix: FixOptions,
) -> Result<Repaired, Error> {
    repair_ignoring(original, lang, termbase, fix, None)
}

/// [`repair_document`], leaving alone in every round the flags the ignore file names.
pub fn repair_ignoring(
    original: Analysis,
    lang: Option<&'static str>,
    termbase: &Termbase,
    fix: FixOptions,
    ignore: Option<&Ignore>,
) -> Result<Repaired, Error> {
    let mut current: Option<Analysis> = None;
    let mut applied_all = Vec::new();
    let mut typography_changed = false;
    for round in 0..=MAX_ROUNDS {
        let now = current.as_ref().unwrap_or(&original);
        let chosen = repair::chosen(&now.doc.text, &now.flags);
        let (mut next, written) = now.doc.edited(&repair::edits(&chosen))?;
        if fix.typography {
            let typeset = repair::typography(&next.text);
            if typeset != next.text {
                let (doc, made) = next.edited(&repair::edits_between(&next.text, &typeset))?;
                typography_changed |= !made.is_empty();
                next = doc;
            }
        }
        if next.text == now.doc.text {
            return Ok(Repaired {
                original,
                changed: current,
                applied: applied_all,
                typography_changed,
                rounds: round,
            });
        }
        applied_all.extend(written.iter().map(|&i| chosen[i].clone()));
        let mut checked = check_document(next, lang, termbase);
        sieve(&mut checked, ignore);
        current = Some(checked);
    }
    Err(Error::Unsettled {
        path: original.doc.path,
        rounds: MAX_ROUNDS,
    })
}

/// A file and its repair, in text and in the file's own encoding.
#[derive(Debug)]
pub struct Fixed {
    pub repaired: Repaired,
    /// The file's bytes as read.
    pub original_bytes: Vec<u8>,
    /// The repaired text in the original encoding (BOM and line endings kept).
    pub bytes: Vec<u8>,
}

impl Fixed {
    /// The original as read and checked.
    pub fn analysis(&self) -> &Analysis {
        &self.repaired.original
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.repaired.original.doc.path
    }

    /// Whether the repair changed the file.
    pub fn changed(&self) -> bool {
        self.bytes != self.original_bytes
    }
}

/// Reads, analyses, checks and repairs one file, and encodes the repaired text like the file.
/// Refused (nothing to write) when the repaired text cannot be encoded like the original.
pub fn fix_item(
    item: &Item,
    options: &Options,
    termbase: &Termbase,
    fix: FixOptions,
) -> Result<Fixed, Error> {
    // One bounded read: the bytes decoded are the bytes kept for the diff and the rewrite.
    let original_bytes = document::read_origin(&item.origin, &item.path, options.read)?;
    let doc = document::from_bytes(&item.path, &original_bytes, options.read)?;
    let mut analysis = check_document(doc, options.lang, termbase);
    sieve(&mut analysis, options.ignore.as_deref());
    let repaired = repair_ignoring(
        analysis,
        options.lang,
        termbase,
        fix,
        options.ignore.as_deref(),
    )?;
    let bytes = if repaired.changed() {
        document::encode_repaired(
            &repaired.original.doc,
            &repaired.result().doc,
            &original_bytes,
        )?
    } else {
        original_bytes.clone()
    };
    Ok(Fixed {
        repaired,
        original_bytes,
        bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repair_rechecks_until_nothing_changes() {
        let termbase = Termbase::empty();
        // Stray spaces between Han characters: a safe repair that needs no glossary.
        let text = "工党的 透露 在伦敦发表。\n";
        let doc = Document::from_text("x.txt", text);
        let checked = check_document(doc, None, &termbase);
        let repaired =
            repair_document(checked, None, &termbase, FixOptions::default()).expect("settles");
        assert!(repaired.changed());
        assert_eq!(repaired.text(), "工党的透露在伦敦发表。\n");
        assert!(!repaired.applied.is_empty() && repaired.rounds >= 1);
        assert!(repaired.remaining().iter().all(|f| !f.autofix));
        assert_eq!(repaired.original.doc.text, text, "the original is kept");
        assert_eq!(repaired.result().doc.path, Path::new("x.txt"));
    }

    #[test]
    fn an_unchanged_document_is_its_own_result() {
        let termbase = Termbase::empty();
        let doc = Document::from_text("x.txt", "工党开会了。\n");
        let checked = check_document(doc, None, &termbase);
        let repaired = repair_document(checked, None, &termbase, FixOptions::default()).unwrap();
        assert!(!repaired.changed());
        assert!(std::ptr::eq(repaired.result(), &repaired.original));
        assert_eq!(repaired.rounds, 0);
    }
}
