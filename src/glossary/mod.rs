//! The termbase: loading (CSV, TBX), validation, export, and matching in text.
//!
//! Loading goes through [`load_file`] / [`load_files`], which pick the reader by extension
//! and either return a whole glossary or every problem found (nothing is half-loaded).

pub mod builtin;
pub mod csv;
pub mod deepl;
pub mod derive;
pub mod error;
pub mod fuzzy;
pub mod lint;
pub mod matcher;
pub mod model;
pub mod normalize;
mod source;
pub mod tbx;
mod termbase;
mod validate;

use std::path::{Path, PathBuf};

pub use error::{ExportError, LoadError, Problem};
pub use model::{Concept, Glossary, Kind, Origin, Status, Term};
pub use termbase::Termbase;

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

/// Where a run's glossary comes from: the built-in one (unless left out) and files that add
/// to it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sources {
    /// Use the built-in glossary ([`builtin`]); `--no-default-glossary` turns it off.
    pub builtin: bool,
    /// Glossary files, in order (`--glossary`, and those a project config names).
    pub files: Vec<PathBuf>,
}

/// One glossary a run used, for the note every run prints and the reports.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Used {
    /// The file name (`labour.csv` for the built-in one).
    pub name: String,
    /// The file, as given; absent for the built-in glossary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<PathBuf>,
    /// Whether it is the glossary compiled into the binary.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub built_in: bool,
    /// Concepts it contributes.
    pub concepts: usize,
    /// Built-in concepts replaced by a file's concept of the same id.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub overridden: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl std::fmt::Display for Used {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let concepts = match self.concepts {
            1 => "1 concept".to_string(),
            n => format!("{n} concepts"),
        };
        match (&self.path, self.built_in) {
            (_, true) if self.overridden > 0 => write!(
                f,
                "{} (built in, {concepts}, {} replaced by your files)",
                self.name, self.overridden
            ),
            (_, true) => write!(f, "{} (built in, {concepts})", self.name),
            (Some(path), false) => write!(f, "{} ({concepts})", path.display()),
            (None, false) => write!(f, "{} ({concepts})", self.name),
        }
    }
}

/// A run's glossary and where each part came from.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub glossary: Glossary,
    pub used: Vec<Used>,
}

/// Loads the glossaries a run uses: the files (every problem of every file reported, nothing
/// half-loaded), then the built-in glossary, whose concepts a file may replace by defining
/// the same id (a project's correction wins over the default).
pub fn load(sources: &Sources) -> Result<Loaded, LoadError> {
    // A file that is the built-in glossary itself (`--glossary glossary/labour.csv` in the
    // repository) is not loaded twice: it stands for the built-in one.
    let is_builtin = |p: &PathBuf| std::fs::read(p).is_ok_and(|b| b == builtin::CSV.as_bytes());
    let builtin_given = sources.files.iter().any(is_builtin);
    let sources = &Sources {
        builtin: sources.builtin && !builtin_given,
        files: sources.files.clone(),
    };
    let mut used = Vec::new();
    let files = load_files(&sources.files)?;
    let mut per_file: Vec<usize> = vec![0; sources.files.len()];
    for c in &files.concepts {
        if let Some(i) = sources.files.iter().position(|p| *p == c.origin.file) {
            per_file[i] += 1;
        }
    }
    let mut glossary = Glossary::default();
    if sources.builtin {
        let builtin = builtin::glossary();
        let before = builtin.concepts.len();
        glossary.concepts = builtin
            .concepts
            .into_iter()
            .filter(|c| files.get(&c.id).is_none())
            .collect();
        used.push(Used {
            name: builtin::NAME.to_string(),
            path: None,
            built_in: true,
            concepts: glossary.concepts.len(),
            overridden: before - glossary.concepts.len(),
        });
    }
    for (path, concepts) in sources.files.iter().zip(per_file) {
        used.push(Used {
            name: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            path: Some(path.clone()),
            built_in: false,
            concepts,
            overridden: 0,
        });
    }
    glossary.concepts.extend(files.concepts);
    Ok(Loaded { glossary, used })
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
    match source::decode_utf8(&bytes, path) {
        Ok(text) => parse(text, path),
        Err(e) => validate::RawGlossary::unreadable(path, e.problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_glossary_given_as_a_file_is_loaded_once() {
        let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("glossary/labour.csv");
        let loaded = load(&Sources {
            builtin: true,
            files: vec![file.clone()],
        })
        .unwrap();
        assert_eq!(loaded.used.len(), 1, "{:?}", loaded.used);
        assert_eq!(loaded.used[0].path.as_deref(), Some(file.as_path()));
        assert_eq!(
            loaded.glossary.concepts.len(),
            builtin::glossary().concepts.len()
        );
        let alone = load(&Sources {
            builtin: true,
            files: Vec::new(),
        })
        .unwrap();
        assert!(alone.used[0].built_in && alone.used[0].to_string().contains("(built in, "));
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
