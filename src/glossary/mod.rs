//! The termbase: loading (CSV, TBX), validation, export, and matching in text.
//!
//! Loading goes through [`load_file`] / [`load_files`], which pick the reader by extension
//! and either return a whole glossary or every problem found (nothing is half-loaded).

pub mod csv;
pub mod deepl;
pub mod error;
pub mod fuzzy;
pub mod lint;
pub mod matcher;
pub mod model;
pub mod normalize;
pub mod tbx;
mod validate;

use std::path::{Path, PathBuf};

use unicode_normalization::UnicodeNormalization;

pub use error::{ExportError, LoadError, Problem};
pub use model::{Concept, Glossary, Kind, Origin, Status, Term};

/// Loads one glossary file, choosing the reader by extension: `.csv` is CSV, `.tbx` and
/// `.xml` are TBX (v3 `<tbx>` or v2 `<martif>`). Any other extension is an error.
pub fn load_file(path: &Path) -> Result<Glossary, LoadError> {
    validate::validate(read_raw(path))
}

/// Loads every file and merges them into one glossary, in the order given.
///
/// All problems of all files are collected; a concept id defined in two files is a problem
/// too. On any problem nothing is returned but the full list.
pub fn load_files(paths: &[PathBuf]) -> Result<Glossary, LoadError> {
    let mut validator = validate::Validator::default();
    for path in paths {
        validator.add(read_raw(path));
    }
    validator.finish()
}

/// Reads one file into raw concepts with the reader its extension names; a file that cannot
/// be read at all gives no concepts and the reason.
fn read_raw(path: &Path) -> validate::RawGlossary {
    let unreadable = |message: String| {
        validate::RawGlossary::unreadable(path, vec![Problem::new(path, 0, 0, message)])
    };
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let parse = match ext.as_deref() {
        Some("csv") => csv::parse,
        Some("tbx" | "xml") => tbx::parse,
        _ => {
            return unreadable(
                "unknown glossary format: expected a .csv, .tbx or .xml file".to_string(),
            );
        }
    };
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return unreadable(format!("cannot read the glossary: {e}")),
    };
    match decode_utf8(&bytes, path) {
        Ok(text) => parse(text, path),
        Err(e) => validate::RawGlossary::unreadable(path, e.problems),
    }
}

fn one_problem(file: &Path, message: impl Into<String>) -> LoadError {
    LoadError {
        problems: vec![Problem::new(file, 0, 0, message)],
    }
}

/// At most this many invalid UTF-8 sequences are reported one by one.
const MAX_UTF8_PROBLEMS: usize = 10;

/// Checks that `bytes` are UTF-8 and strips a byte-order mark. Every invalid sequence (up to
/// [`MAX_UTF8_PROBLEMS`]) is reported with the line and column of its first byte.
pub(crate) fn decode_utf8<'a>(bytes: &'a [u8], file: &Path) -> Result<&'a str, LoadError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text);
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(one_problem(
            file,
            "the file is UTF-16; glossaries must be UTF-8 (save it as \"CSV UTF-8\" or UTF-8 XML)",
        ));
    }
    let (mut line, mut column) = (1, 1);
    let mut problems = Vec::new();
    let mut invalid = 0;
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c == '\n' {
                line += 1;
                column = 1;
            } else {
                column += 1;
            }
        }
        let bad = chunk.invalid();
        if !bad.is_empty() {
            invalid += 1;
            if invalid <= MAX_UTF8_PROBLEMS {
                let hex: Vec<String> = bad.iter().map(|b| format!("{b:#04x}")).collect();
                problems.push(Problem::new(
                    file,
                    line,
                    column,
                    format!("invalid UTF-8 (byte {})", hex.join(" ")),
                ));
            }
            column += 1;
        }
    }
    if invalid > MAX_UTF8_PROBLEMS {
        problems.push(Problem::new(
            file,
            0,
            0,
            format!(
                "{} more invalid UTF-8 sequences not shown; is the file really UTF-8?",
                invalid - MAX_UTF8_PROBLEMS
            ),
        ));
    }
    Err(LoadError { problems })
}

/// Normalises a BCP 47 tag to its lower-cased primary subtag (`en-GB` -> `en`).
///
/// The primary subtag must be 2 or 3 ASCII letters; further subtags (script, region,
/// variant) must be 1 to 8 ASCII letters or digits. `_` is accepted as a separator.
pub(crate) fn normalize_lang(tag: &str) -> Option<String> {
    let mut parts = tag.trim().split(['-', '_']);
    let primary = parts.next()?;
    if !(2..=3).contains(&primary.len()) || !primary.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    if parts.any(|p| p.is_empty() || p.len() > 8 || !p.bytes().all(|b| b.is_ascii_alphanumeric())) {
        return None;
    }
    Some(primary.to_ascii_lowercase())
}

/// The key under which two forms of one language count as the same written form when
/// checking for a form both accepted and deprecated: trimmed, NFC.
pub(crate) fn same_form_key(form: &str) -> String {
    form.trim().nfc().collect()
}

/// Orders each language's forms preferred, admitted, deprecated, keeping file order within
/// each status.
pub(crate) fn order_terms(concept: &mut Concept) {
    for terms in concept.langs.values_mut() {
        terms.sort_by_key(|t| t.status);
    }
}

/// [`crate::lines::LineIndex`] bound to its text, as the CSV and TBX readers use it.
pub(crate) struct LineIndex<'a> {
    text: &'a str,
    lines: crate::lines::LineIndex,
}

impl<'a> LineIndex<'a> {
    pub(crate) fn new(text: &'a str) -> LineIndex<'a> {
        LineIndex {
            text,
            lines: crate::lines::LineIndex::new(text),
        }
    }

    /// The line and column of the character at `offset` (clamped to the text).
    pub(crate) fn position(&self, offset: usize) -> (usize, usize) {
        self.lines.line_col(self.text, offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_normalise_to_primary_subtag() {
        assert_eq!(normalize_lang("en").as_deref(), Some("en"));
        assert_eq!(normalize_lang("en-GB").as_deref(), Some("en"));
        assert_eq!(normalize_lang("zh-Hant-TW").as_deref(), Some("zh"));
        assert_eq!(normalize_lang("ZH_cn").as_deref(), Some("zh"));
        assert_eq!(normalize_lang("yue").as_deref(), Some("yue"));
        assert_eq!(normalize_lang("e"), None);
        assert_eq!(normalize_lang("english"), None);
        assert_eq!(normalize_lang("en-"), None);
        assert_eq!(normalize_lang("e1"), None);
        assert_eq!(normalize_lang(""), None);
    }

    #[test]
    fn line_index_counts_characters() {
        let idx = LineIndex::new("ab\n工党,x\n");
        assert_eq!(idx.position(0), (1, 1));
        assert_eq!(idx.position(3), (2, 1));
        assert_eq!(idx.position(9), (2, 3)); // the comma after two 3-byte characters
        assert_eq!(idx.position(4), (2, 1)); // inside a character: its start
        assert_eq!(idx.position(100), (3, 1));
    }

    #[test]
    fn invalid_utf8_is_located() {
        let f = Path::new("g.csv");
        let e = decode_utf8(b"id,en\nx,ab\xFFc\ny,\xC3(\n", f).unwrap_err();
        let at: Vec<(usize, usize)> = e.problems.iter().map(|p| (p.line, p.column)).collect();
        assert_eq!(at, [(2, 5), (3, 3)]);
        assert!(e.problems[0].message.contains("0xff"), "{e}");
        assert_eq!(decode_utf8(b"\xEF\xBB\xBFid\n", f).unwrap(), "id\n");
        let e = decode_utf8(b"\xFF\xFEi\0d\0", f).unwrap_err();
        assert!(e.to_string().contains("UTF-16"), "{e}");
    }

    #[test]
    fn load_file_dispatches_by_extension_and_load_files_merges() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.csv");
        std::fs::write(&a, "id,en,zh\nlabour-party,Labour Party,工党\n").unwrap();
        let b = dir.path().join("b.TBX");
        std::fs::write(
            &b,
            r#"<martif type="TBX-Basic"><text><body>
<termEntry id="nec"><langSet xml:lang="en"><tig><term>NEC</term></tig></langSet></termEntry>
</body></text></martif>"#,
        )
        .unwrap();
        let g = load_files(&[a.clone(), b.clone()]).unwrap();
        assert_eq!(g.concepts.len(), 2);
        assert_eq!(g.concepts[1].origin.file, b);
        assert_eq!(g.concepts[1].origin.line, 2);

        let txt = dir.path().join("c.txt");
        std::fs::write(&txt, "id,en\n").unwrap();
        let e = load_file(&txt).unwrap_err();
        assert!(e.to_string().contains("unknown glossary format"), "{e}");
        let e = load_file(&dir.path().join("missing.csv")).unwrap_err();
        assert!(e.to_string().contains("cannot read"), "{e}");
    }

    #[test]
    fn load_files_rejects_an_id_in_two_files_and_collects_everything() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.csv");
        std::fs::write(&a, "id,en\nnec,NEC\n").unwrap();
        let b = dir.path().join("b.csv");
        std::fs::write(&b, "id,en\n# comment\nnec,National Executive Committee\n").unwrap();
        let c = dir.path().join("c.csv");
        std::fs::write(&c, "id,en,colour\nx,y,z\n").unwrap();
        let e = load_files(&[a.clone(), b.clone(), c.clone()]).unwrap_err();
        assert_eq!(e.problems.len(), 2, "{e}");
        assert_eq!(e.problems[0].file, b);
        assert_eq!(e.problems[0].line, 3);
        assert!(e.problems[0].message.contains("duplicate id 'nec'"));
        assert!(
            e.problems[0]
                .message
                .contains(&format!("{}:2", a.display()))
        );
        assert_eq!(e.problems[1].file, c);
        assert!(e.problems[1].message.contains("unknown column"));
    }
}

/// A glossary compiled for checking: the exact-match automaton and the near-miss indexes.
#[derive(Debug)]
pub struct Termbase {
    pub glossary: Glossary,
    pub matcher: matcher::Matcher,
    pub fuzzy: fuzzy::FuzzyIndex,
}

impl Termbase {
    /// Compiles a loaded glossary.
    pub fn new(glossary: Glossary) -> Termbase {
        // The automaton and the near-miss index are independent: build them side by side.
        let (matcher, fuzzy) = rayon::join(
            || matcher::Matcher::new(&glossary),
            || fuzzy::FuzzyIndex::new(&glossary),
        );
        Termbase {
            glossary,
            matcher,
            fuzzy,
        }
    }

    /// A termbase with no concepts (checks that need no glossary still run).
    pub fn empty() -> Termbase {
        Termbase::new(Glossary::default())
    }
}
