//! The ignore file (`.transmend-ignore`): rejections a reviewer scoped to a document or to
//! every document, one JSON object per line, in the project folder. `check`, `fix` and `run`
//! leave the flags it names out of reports and repairs, and count them.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::fingerprint::normalize;
use crate::error::Error;
use crate::flag::{Flag, Rule};

/// The ignore file's name.
pub const FILE_NAME: &str = ".transmend-ignore";

/// How far a rejection reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// This flag only (kept in `decisions.json`, never in the ignore file).
    Occurrence,
    /// This text under this rule in one document.
    Document,
    /// This text under this rule in every document.
    Everywhere,
}

impl Scope {
    /// The scope as written.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Occurrence => "occurrence",
            Scope::Document => "document",
            Scope::Everywhere => "everywhere",
        }
    }
}

/// One line of the ignore file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub scope: Scope,
    /// The document, relative to the ignore file's folder (`document` scope only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    pub rule: Rule,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concept: Option<String>,
    /// The flagged text (compared normalised).
    pub text: String,
    /// Why, or where it came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// What an entry matches: rule, concept, normalised text and, for `document`, the path.
type Key = (Rule, Option<String>, String, Option<String>);

impl Entry {
    fn key(&self) -> Key {
        (
            self.rule,
            self.concept.clone(),
            normalize(&self.text),
            match self.scope {
                Scope::Document => self.path.as_deref().map(clean),
                _ => None,
            },
        )
    }
}

/// The ignore file of a project: its entries and where it is (it may not exist yet).
#[derive(Debug, Clone, Default)]
pub struct Ignore {
    /// The file (`FOLDER/.transmend-ignore`).
    pub file: PathBuf,
    /// The folder document paths are relative to, as given and canonical.
    folder: PathBuf,
    canonical: Option<PathBuf>,
    /// The file's lines that are not entries (comments), kept when it is rewritten.
    header: Vec<String>,
    pub entries: Vec<Entry>,
    keys: HashSet<Key>,
}

/// A document's flags split by the ignore file.
#[derive(Debug, Clone, Default)]
pub struct Sieved {
    pub kept: Vec<Flag>,
    pub ignored: Vec<Flag>,
}

impl Ignore {
    /// The ignore file in `folder`, read when it exists, empty when it does not.
    pub fn in_folder(folder: &Path) -> Result<Ignore, Error> {
        let file = folder.join(FILE_NAME);
        let mut ignore = Ignore {
            file: file.clone(),
            folder: folder.to_path_buf(),
            canonical: std::fs::canonicalize(folder).ok(),
            ..Ignore::default()
        };
        let text = match std::fs::read_to_string(&file) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(ignore),
            Err(source) => return Err(Error::Read { path: file, source }),
        };
        for (n, line) in text.lines().enumerate() {
            let trimmed = line.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                if ignore.entries.is_empty() {
                    ignore.header.push(line.to_string());
                }
                continue;
            }
            let entry: Entry = serde_json::from_str(trimmed).map_err(|e| {
                Error::refused(
                    &file,
                    format!(
                        "line {}: not an ignore entry ({e}); each line is a JSON object such as {{\"scope\":\"everywhere\",\"rule\":\"deprecated-term\",\"text\":\"托里\"}}",
                        n + 1
                    ),
                )
            })?;
            let problem = match (entry.scope, &entry.path) {
                (Scope::Occurrence, _) => {
                    Some("scope \"occurrence\" belongs in decisions.json, not here")
                }
                (Scope::Document, None) => Some("scope \"document\" needs a \"path\""),
                _ => None,
            };
            if let Some(problem) = problem {
                return Err(Error::refused(&file, format!("line {}: {problem}", n + 1)));
            }
            ignore.keys.insert(entry.key());
            ignore.entries.push(entry);
        }
        Ok(ignore)
    }

    /// The project's ignore file: in `project` (the config file's folder) when given, else
    /// the nearest folder at or above each input that has one. `None` when there is none.
    pub fn discover(project: Option<&Path>, inputs: &[PathBuf]) -> Result<Option<Ignore>, Error> {
        if let Some(folder) = project {
            return Ignore::in_folder(folder).map(Some);
        }
        for input in inputs {
            // Standard input belongs to the folder the command runs in.
            let input = if input.as_os_str() == "-" {
                Path::new(".")
            } else {
                input.as_path()
            };
            let Ok(start) = std::fs::canonicalize(input) else {
                continue;
            };
            let start = if start.is_dir() {
                start
            } else {
                start.parent().map(Path::to_path_buf).unwrap_or(start)
            };
            if let Some(folder) = start.ancestors().find(|dir| dir.join(FILE_NAME).is_file()) {
                return Ignore::in_folder(folder).map(Some);
            }
        }
        Ok(None)
    }

    /// Whether the file has no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// `path` as entries name it: relative to the ignore file's folder, `/`-separated.
    pub fn relative(&self, path: &Path) -> String {
        let real = std::fs::canonicalize(path).ok();
        let relative = match (&real, &self.canonical) {
            (Some(real), Some(folder)) => real.strip_prefix(folder).ok().map(Path::to_path_buf),
            _ => None,
        };
        clean(
            &relative
                .unwrap_or_else(|| path.to_path_buf())
                .to_string_lossy(),
        )
    }

    /// Splits a document's flags into those kept and those the file ignores.
    pub fn sieve(&self, path: &Path, flags: Vec<Flag>) -> Sieved {
        if self.entries.is_empty() {
            return Sieved {
                kept: flags,
                ignored: Vec::new(),
            };
        }
        let document = self
            .entries
            .iter()
            .any(|e| e.scope == Scope::Document)
            .then(|| self.relative(path));
        let mut sieved = Sieved::default();
        for flag in flags {
            let text = normalize(&flag.text);
            let everywhere = (flag.rule, flag.concept.clone(), text, None);
            let ignored = self.keys.contains(&everywhere)
                || document.as_ref().is_some_and(|doc| {
                    let (rule, concept, text, _) = everywhere.clone();
                    self.keys
                        .contains(&(rule, concept, text, Some(doc.clone())))
                });
            if ignored {
                sieved.ignored.push(flag);
            } else {
                sieved.kept.push(flag);
            }
        }
        sieved
    }

    /// Adds entries not already there; returns how many were new.
    pub fn add(&mut self, entries: impl IntoIterator<Item = Entry>) -> usize {
        let mut added = 0;
        for entry in entries {
            if self.keys.insert(entry.key()) {
                self.entries.push(entry);
                added += 1;
            }
        }
        added
    }

    /// Removes the entries at these 1-based positions (as `ignore list` numbers them).
    pub fn remove(&mut self, positions: &[usize]) -> Result<Vec<Entry>, Error> {
        if let Some(bad) = positions
            .iter()
            .find(|&&p| p == 0 || p > self.entries.len())
        {
            return Err(Error::refused(
                &self.file,
                format!("has no entry {bad} (it has {})", self.entries.len()),
            ));
        }
        let mut removed = Vec::new();
        let mut kept = Vec::new();
        for (i, entry) in std::mem::take(&mut self.entries).into_iter().enumerate() {
            if positions.contains(&(i + 1)) {
                removed.push(entry);
            } else {
                kept.push(entry);
            }
        }
        self.entries = kept;
        self.keys = self.entries.iter().map(Entry::key).collect();
        Ok(removed)
    }

    /// Writes the file (atomically), comments first, one entry per line.
    pub fn save(&self) -> Result<(), Error> {
        let mut out = String::new();
        if self.header.is_empty() {
            out.push_str("# transmend ignore file: flags a reviewer rejected for a document or everywhere.\n# One JSON object per line; `transmend ignore list` and `transmend ignore remove N` manage it.\n");
        } else {
            for line in &self.header {
                out.push_str(line);
                out.push('\n');
            }
        }
        for entry in &self.entries {
            let line = serde_json::to_string(entry)
                .map_err(|e| Error::refused(&self.file, format!("cannot write an entry: {e}")))?;
            out.push_str(&line);
            out.push('\n');
        }
        crate::output::write_atomic(&self.file, out.as_bytes())
    }

    /// The folder document paths are relative to.
    pub fn folder(&self) -> &Path {
        &self.folder
    }
}

/// A relative path as entries write it: `/`-separated, without `./`.
fn clean(path: &str) -> String {
    Path::new(path)
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flag::Severity;

    fn flag(text: &str, needle: &str, rule: Rule, concept: Option<&str>) -> Flag {
        let start = text.find(needle).unwrap();
        let mut f = Flag::new(
            rule,
            Severity::Error,
            text,
            start..start + needle.len(),
            "m",
        );
        f.concept = concept.map(str::to_string);
        f
    }

    #[test]
    fn entries_match_by_rule_concept_normalised_text_and_document() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("corpus")).unwrap();
        let doc = dir.path().join("corpus/a.zh.txt");
        std::fs::write(&doc, "x").unwrap();
        std::fs::write(
            dir.path().join(FILE_NAME),
            "# kept comment\n{\"scope\":\"everywhere\",\"rule\":\"deprecated-term\",\"concept\":\"conservative-party\",\"text\":\"托里\"}\n{\"scope\":\"document\",\"path\":\"./corpus/a.zh.txt\",\"rule\":\"untranslated\",\"text\":\"It  shows that\"}\n",
        )
        .unwrap();
        let ignore = Ignore::in_folder(dir.path()).unwrap();
        assert_eq!(ignore.entries.len(), 2);
        let text = "托里 說 it shows that 托里";
        let flags = vec![
            flag(
                text,
                "托里",
                Rule::DeprecatedTerm,
                Some("conservative-party"),
            ),
            flag(text, "托里", Rule::DeprecatedTerm, None),
            flag(
                text,
                "托里",
                Rule::MisspelledTerm,
                Some("conservative-party"),
            ),
            flag(text, "it shows that", Rule::Untranslated, None),
        ];
        let sieved = ignore.sieve(&doc, flags.clone());
        assert_eq!(sieved.ignored.len(), 2, "{:?}", sieved.ignored);
        assert_eq!(sieved.kept.len(), 2);
        // The document entry is for that document only.
        let other = dir.path().join("corpus/b.zh.txt");
        std::fs::write(&other, "x").unwrap();
        assert_eq!(ignore.sieve(&other, flags).ignored.len(), 1);
    }

    #[test]
    fn add_remove_and_save_round_trip_keeping_comments() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE_NAME), "# mine\n").unwrap();
        let mut ignore = Ignore::in_folder(dir.path()).unwrap();
        let entry = Entry {
            scope: Scope::Everywhere,
            path: None,
            rule: Rule::DeprecatedTerm,
            concept: None,
            text: "托里".into(),
            note: None,
        };
        assert_eq!(ignore.add([entry.clone(), entry.clone()]), 1);
        ignore.save().unwrap();
        let again = Ignore::in_folder(dir.path()).unwrap();
        assert_eq!(again.entries, vec![entry]);
        assert!(
            std::fs::read_to_string(dir.path().join(FILE_NAME))
                .unwrap()
                .starts_with("# mine\n")
        );
        let mut again = again;
        assert!(again.remove(&[2]).is_err());
        assert_eq!(again.remove(&[1]).unwrap().len(), 1);
        assert!(again.is_empty());
    }

    #[test]
    fn a_bad_line_is_an_error_naming_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(FILE_NAME),
            "{\"scope\":\"everywhere\",\"rule\":\"deprecated-term\",\"text\":\"a\"}\n{\"scope\":\"sometimes\"}\n",
        )
        .unwrap();
        let e = Ignore::in_folder(dir.path()).unwrap_err().to_string();
        assert!(
            e.contains(".transmend-ignore") && e.contains("line 2"),
            "{e}"
        );
        std::fs::write(
            dir.path().join(FILE_NAME),
            "{\"scope\":\"document\",\"rule\":\"deprecated-term\",\"text\":\"a\"}\n",
        )
        .unwrap();
        let e = Ignore::in_folder(dir.path()).unwrap_err().to_string();
        assert!(e.contains("needs a \"path\""), "{e}");
    }
}
