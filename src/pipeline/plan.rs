//! What one run of the pipeline is asked to do: the inputs, how documents are read and
//! analysed, and which stages follow the checks (repair and where its result goes, pairing,
//! translation, the review report). The command line fills a [`Plan`]; nothing else does.

use std::path::{Path, PathBuf};

use crate::document::ReadOptions;
use crate::lang;
use crate::translate::{EngineConfig, Policy};

/// How documents are read and analysed, fixed for the whole run.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub read: ReadOptions,
    /// `--lang`: the document language, instead of detecting it.
    pub lang: Option<&'static str>,
    /// Worker threads for documents (`--jobs`); 0 = one per core.
    pub jobs: usize,
    /// `--shard K/N`: process only the documents of shard K of N.
    pub shard: Option<Shard>,
    /// `--stdin-name`: the name standard input (`-`) goes by in reports and outputs; its
    /// extension and language tag count as a file's would.
    pub stdin_name: Option<PathBuf>,
    /// The project's ignore file: flags it names are left out of reports and repairs.
    pub ignore: Option<std::sync::Arc<crate::review::Ignore>>,
    /// `--show-ignored`: report the ignored flags too (apart from the others).
    pub show_ignored: bool,
    /// Check a document more than twice this many bytes long a piece of this size at a time
    /// ([`crate::check::pieces`]): `check`, which needs no segment list, sets it.
    pub pieces: Option<usize>,
}

/// Options of the repair stage.
#[derive(Debug, Clone, Copy, Default)]
pub struct FixOptions {
    /// Apply the CJK typography pass too ([`crate::repair::typography`]).
    pub typography: bool,
}

/// Where `fix` puts what it repaired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FixWrite {
    /// Nothing is written: each changed file's unified diff goes to the sink. With
    /// `readable` (a terminal), a file in another encoding than UTF-8 gets a UTF-8 diff of its
    /// text instead of one in its own bytes (which only `patch` wants).
    Diff { readable: bool },
    /// The repaired document itself goes to the sink, in its own encoding (`fix -` on a pipe).
    Stdout,
    /// Repaired copies under this folder, at the same relative paths.
    Out(PathBuf),
    /// The files themselves, atomically, keeping `NAME.orig` unless `backup` is off.
    InPlace { backup: bool },
}

/// Which translation cache to use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CacheChoice {
    /// None (`--no-cache`).
    Off,
    /// The default file under `$XDG_CACHE_HOME/transmend/` or `~/.cache/transmend/`.
    Default,
    /// This file (`--cache FILE`).
    File(PathBuf),
}

/// How to translate.
#[derive(Debug, Clone)]
pub struct TranslatePlan {
    pub engine: EngineConfig,
    pub cache: CacheChoice,
    pub policy: Policy,
    /// `--to`; `None` translates each document into [`default_target`] of its language.
    pub target: Option<String>,
    /// `--from`: the source language of every document, instead of the detected one.
    pub source: Option<String>,
}

/// The target language of a document in `lang` when none is given: English for a document
/// in any other language, Chinese for an English one (the two sides of the project's work).
pub fn default_target(lang: Option<&str>) -> &'static str {
    if lang == Some("en") { "zh" } else { "en" }
}

/// The job: which stages run after reading, analysing and checking every document.
#[derive(Debug, Clone)]
pub enum Job {
    /// `check`: report the flags of each document.
    Check,
    /// `fix`: repair each document and write the result as `write` says.
    Fix { repair: FixOptions, write: FixWrite },
    /// `translate`: repair, translate, and write bilingual files into `out`.
    Translate {
        translate: TranslatePlan,
        out: PathBuf,
    },
    /// `run`: everything, into `out`: fixed/, diff/, report.jsonl, report.html, and
    /// bilingual/ when `translate` is set; documents paired by name are aligned.
    Run {
        repair: FixOptions,
        out: PathBuf,
        translate: Option<TranslatePlan>,
        /// `--decisions FILE`: an earlier review's decisions, shown again in the new page.
        decisions: Option<std::sync::Arc<crate::review::Decisions>>,
    },
}

/// One run of the pipeline.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Files and folders, walked in order.
    pub inputs: Vec<PathBuf>,
    pub options: Options,
    pub job: Job,
}

/// One of N disjoint parts of a corpus (`--shard K/N`, K counted from 0). A document belongs
/// to the shard given by a stable hash (64-bit FNV-1a) of its path relative to the folder it
/// was found under (a file given by itself: its path as given), with `/` as separator and a
/// language tag before the extension left out (`NAME.en.txt` and `NAME.zh.txt` hash as
/// `NAME.txt`, so an original and its translation land in the same shard and can be
/// aligned), so N workers on N machines split a corpus with no coordination and the same
/// split every time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl Shard {
    /// Whether the document at `relative` belongs to this shard.
    pub fn owns(&self, relative: &Path) -> bool {
        shard_of(&pair_key(relative), self.count) == self.index
    }

    /// A name for this shard's outputs: `K-of-N`.
    pub fn label(&self) -> String {
        format!("{}-of-{}", self.index, self.count)
    }
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = || format!("'{s}' is not a shard: expected K/N with 0 <= K < N, e.g. 0/4");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let index: u64 = k.trim().parse().map_err(|_| bad())?;
        let count: u64 = n.trim().parse().map_err(|_| bad())?;
        if count == 0 || index >= count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

/// The path with a language tag before the extension removed (`a/NAME.zh.txt` -> `a/NAME.txt`):
/// what an original and its translations have in common.
pub fn pair_key(path: &Path) -> PathBuf {
    match path
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(lang::tagged_name)
    {
        Some(tagged) => path.with_file_name(format!("{}.{}", tagged.stem, tagged.ext)),
        None => path.to_path_buf(),
    }
}

/// The shard (of `count`) that the document at `relative` belongs to.
pub fn shard_of(relative: &Path, count: u64) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut first = true;
    for part in relative.components() {
        let std::path::Component::Normal(part) = part else {
            continue;
        };
        if !first {
            h = (h ^ u64::from(b'/')).wrapping_mul(0x0100_0000_01b3);
        }
        first = false;
        for &b in part.as_encoded_bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    h % count.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_original_and_its_translation_share_a_shard_key() {
        assert_eq!(pair_key(Path::new("a/law.en.txt")), Path::new("a/law.txt"));
        assert_eq!(pair_key(Path::new("a/law.zh.txt")), Path::new("a/law.txt"));
        assert_eq!(
            pair_key(Path::new("a/v1.2.txt")),
            Path::new("a/v1.2.txt"),
            "not a language tag"
        );
        assert_eq!(pair_key(Path::new("notes.txt")), Path::new("notes.txt"));
        let shard = Shard { index: 0, count: 7 };
        assert_eq!(
            shard.owns(Path::new("x/law.en.txt")),
            shard.owns(Path::new("x/law.zh.txt"))
        );
        assert_eq!(shard.label(), "0-of-7");
        assert!("3/3".parse::<Shard>().is_err() && "1/0".parse::<Shard>().is_err());
        assert_eq!("1/4".parse::<Shard>(), Ok(Shard { index: 1, count: 4 }));
    }

    #[test]
    fn the_default_target_is_the_other_side() {
        assert_eq!(default_target(Some("en")), "zh");
        assert_eq!(default_target(Some("zh")), "en");
        assert_eq!(default_target(Some("fr")), "en");
        assert_eq!(default_target(None), "en");
    }
}
