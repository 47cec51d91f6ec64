//! The project config file: `transmend.toml` (or `.transmend.toml`) in the folder checked or
//! one of its parents names glossaries and default options for a project folder, as
//! `.typos.toml` or `.vale.ini` do. Options given on the command line win over it.
//!
//! ```toml
//! glossaries = ["glossary/people.csv"]   # added to the built-in glossary; relative to this file
//! default_glossary = true                # false: leave the built-in glossary out
//! lang = "zh"                            # the document language, instead of detecting it
//!
//! [fix]
//! typography = true
//!
//! [translate]
//! engine = "libretranslate"
//! endpoint = "http://localhost:5000"
//! model = "qwen2.5:7b"
//! to = "en"
//! ```

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The names looked for, in each folder, in this order.
pub const NAMES: [&str; 2] = ["transmend.toml", ".transmend.toml"];

/// A project config file, as written. Unknown keys are errors: a typo must not pass unnoticed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Glossary files added to the built-in glossary, relative to the config file's folder.
    #[serde(default)]
    pub glossaries: Vec<PathBuf>,
    /// Whether the built-in glossary is used (default: yes).
    pub default_glossary: Option<bool>,
    /// The document language (`--lang`).
    pub lang: Option<String>,
    #[serde(default)]
    pub fix: FixConfig,
    #[serde(default)]
    pub translate: TranslateConfig,
}

/// `[fix]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixConfig {
    /// `--typography`.
    pub typography: Option<bool>,
}

/// `[translate]`: how to reach an engine, as the `--engine`, `--endpoint`, `--model` and
/// `--to` options say it. API keys never go here: they stay in the environment or a key file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TranslateConfig {
    pub engine: Option<String>,
    pub endpoint: Option<String>,
    pub model: Option<String>,
    pub to: Option<String>,
}

/// A config file found and read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The file.
    pub path: PathBuf,
    pub config: Config,
}

impl Found {
    /// The config's glossary files, as paths from the current folder.
    pub fn glossaries(&self) -> Vec<PathBuf> {
        let base = self.path.parent().unwrap_or(Path::new("."));
        self.config
            .glossaries
            .iter()
            .map(|g| base.join(g))
            .collect()
    }
}

/// Why a config file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{}: cannot read the config file: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: {message}", path.display())]
    Invalid { path: PathBuf, message: String },
    #[error(
        "the inputs belong to different projects ({} and {}); check them in separate runs",
        first.display(),
        second.display()
    )]
    Conflict { first: PathBuf, second: PathBuf },
}

/// Reads and checks one config file.
pub fn read(path: &Path) -> Result<Config, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let config: Config = toml::from_str(&text).map_err(|e| ConfigError::Invalid {
        path: path.to_path_buf(),
        message: e.to_string().trim_end().to_string(),
    })?;
    if let Some(lang) = &config.lang
        && let Err(e) = crate::lang::parse(lang)
    {
        return Err(ConfigError::Invalid {
            path: path.to_path_buf(),
            message: format!("lang: {e}"),
        });
    }
    Ok(config)
}

/// The nearest config file above `start` (a file's folder, or the folder itself).
pub fn nearest(start: &Path) -> Option<PathBuf> {
    let absolute = std::path::absolute(start).ok()?;
    let folder = if absolute.is_dir() {
        absolute
    } else {
        absolute.parent()?.to_path_buf()
    };
    folder.ancestors().find_map(|dir| {
        NAMES
            .iter()
            .map(|name| dir.join(name))
            .find(|candidate| candidate.is_file())
    })
}

/// The config file of the inputs (`-` counts as the current folder): the nearest one above
/// each, which must be the same for all of them.
pub fn discover(inputs: &[PathBuf]) -> Result<Option<Found>, ConfigError> {
    let mut found: Option<PathBuf> = None;
    let here = [PathBuf::from(".")];
    let starts = if inputs.is_empty() { &here[..] } else { inputs };
    for input in starts {
        let start = if input.as_os_str() == "-" {
            Path::new(".")
        } else {
            input.as_path()
        };
        let Some(path) = nearest(start) else {
            continue;
        };
        match &found {
            Some(first) if *first != path => {
                return Err(ConfigError::Conflict {
                    first: first.clone(),
                    second: path,
                });
            }
            _ => found = Some(path),
        }
    }
    found
        .map(|path| {
            let config = read(&path)?;
            Ok(Found { path, config })
        })
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearest_config_above_the_input_is_found_and_read() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("project");
        std::fs::create_dir_all(project.join("reposts/2026")).unwrap();
        std::fs::write(
            project.join("transmend.toml"),
            "glossaries = [\"names.csv\"]\nlang = \"zh\"\n[translate]\nto = \"en\"\n",
        )
        .unwrap();
        let doc = project.join("reposts/2026/a.txt");
        std::fs::write(&doc, "x").unwrap();
        let found = discover(std::slice::from_ref(&doc)).unwrap().unwrap();
        assert_eq!(
            found.path,
            std::path::absolute(project.join("transmend.toml")).unwrap()
        );
        assert_eq!(found.config.lang.as_deref(), Some("zh"));
        assert_eq!(found.config.translate.to.as_deref(), Some("en"));
        assert_eq!(
            found.glossaries(),
            [std::path::absolute(project.join("names.csv")).unwrap()]
        );
        // A hidden config in a nested folder is nearer.
        std::fs::write(
            project.join("reposts/.transmend.toml"),
            "default_glossary = false\n",
        )
        .unwrap();
        let found = discover(&[doc]).unwrap().unwrap();
        assert_eq!(found.config.default_glossary, Some(false));
        assert!(found.config.glossaries.is_empty());
    }

    #[test]
    fn typos_and_bad_values_are_errors_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("transmend.toml");
        std::fs::write(&path, "glossary = [\"x.csv\"]\n").unwrap();
        let e = read(&path).unwrap_err().to_string();
        assert!(
            e.contains("transmend.toml") && e.contains("glossary"),
            "{e}"
        );
        std::fs::write(&path, "lang = \"english\"\n").unwrap();
        let e = read(&path).unwrap_err().to_string();
        assert!(e.contains("lang:") && e.contains("BCP 47"), "{e}");
        std::fs::write(&path, "[translate]\napi_key = \"k\"\n").unwrap();
        assert!(read(&path).is_err(), "keys never go in the config");
    }

    #[test]
    fn inputs_of_two_projects_conflict_and_none_is_fine() {
        let dir = tempfile::tempdir().unwrap();
        for p in ["a", "b"] {
            std::fs::create_dir_all(dir.path().join(p)).unwrap();
            std::fs::write(dir.path().join(p).join("transmend.toml"), "").unwrap();
        }
        let e = discover(&[dir.path().join("a"), dir.path().join("b")]).unwrap_err();
        assert!(matches!(e, ConfigError::Conflict { .. }), "{e}");
        let bare = tempfile::tempdir().unwrap();
        assert!(discover(&[bare.path().to_path_buf()]).unwrap().is_none());
    }
}
