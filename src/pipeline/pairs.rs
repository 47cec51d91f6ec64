//! Originals and their translations: which documents of a corpus form a pair (by name,
//! `NAME.en.txt` + `NAME.zh.txt`), aligning a pair, and which document each bilingual flag
//! belongs to.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::plan::Options;
use super::stages;
use crate::analysis::Analysis;
use crate::check::bilingual::{self, AlignedPair};
use crate::error::Error;
use crate::flag::{Flag, Rule};
use crate::glossary::Termbase;
use crate::lang;

/// `NAME.LANG.EXT` files of one folder whose `NAME` and `EXT` are shared by exactly two
/// files: (source, target) indices into `paths`, in order. The English side is taken as the
/// original when one side is English, else the first by language tag.
pub fn pair_by_name(paths: &[&Path]) -> Vec<(usize, usize)> {
    // (folder, NAME, EXT) -> (language tag, index) of each member.
    type Group<'a> = Vec<(&'a str, usize)>;
    let mut groups: HashMap<(PathBuf, &str, &str), Group<'_>> = HashMap::new();
    for (i, path) in paths.iter().enumerate() {
        let Some(tagged) = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(lang::tagged_name)
        else {
            continue;
        };
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        groups
            .entry((dir, tagged.stem, tagged.ext))
            .or_default()
            .push((tagged.lang, i));
    }
    let mut pairs: Vec<(usize, usize)> = groups
        .into_values()
        .filter(|members| members.len() == 2)
        .map(|mut members| {
            members.sort_unstable();
            let (a, b) = (members[0], members[1]);
            if b.0 == "en" { (b.1, a.1) } else { (a.1, b.1) }
        })
        .collect();
    pairs.sort_unstable();
    pairs
}

/// The bilingual flags of an aligned pair, split by the document they point into: `omission`
/// flags into the source, the others into the target. `deprecated-term` is left out: the
/// target's own check already reports its deprecated forms.
pub fn pair_flags(src: &Analysis, tgt: &Analysis, termbase: &Termbase) -> (Vec<Flag>, Vec<Flag>) {
    let pair = bilingual::align_pair(src, tgt, termbase, false);
    let (mut into_source, mut into_target) = (Vec::new(), Vec::new());
    for flag in pair.flags.into_iter().flatten() {
        match flag.rule {
            Rule::DeprecatedTerm => {}
            Rule::Omission => into_source.push(flag),
            _ => into_target.push(flag),
        }
    }
    crate::review::fingerprint::assign(&src.doc.text, &mut into_source);
    crate::review::fingerprint::assign(&tgt.doc.text, &mut into_target);
    (into_source, into_target)
}

/// Two files aligned sentence by sentence (`transmend align`): each read, analysed and
/// checked, then aligned, with `lines` taking each line as one sentence.
pub fn align_files(
    source: &Path,
    target: &Path,
    options: &Options,
    termbase: &Termbase,
    lines: bool,
) -> Result<(Analysis, Analysis, AlignedPair), Error> {
    let src = stages::check_path(source, options, termbase)?;
    let tgt = stages::check_path(target, options, termbase)?;
    let pair = bilingual::align_pair(&src, &tgt, termbase, lines);
    Ok((src, tgt, pair))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_share_folder_name_and_extension() {
        let paths = [
            "c/law.zh.txt",
            "c/law.en.txt",
            "c/solo.zh.txt",
            "d/law.en.txt",
            "c/three.en.txt",
            "c/three.fr.txt",
            "c/three.zh.txt",
            "c/md.de.md",
            "c/md.zh.md",
            "c/notes.txt",
        ];
        let paths: Vec<&Path> = paths.iter().map(Path::new).collect();
        let pairs = pair_by_name(&paths);
        assert_eq!(
            pairs,
            [(1, 0), (7, 8)],
            "English is the source; else by tag"
        );
    }
}
