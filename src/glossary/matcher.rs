//! Exact glossary matching: one Aho-Corasick automaton (leftmost-longest) over every form of
//! every concept, run on the normalised view of a text, offsets mapped back to the original.
//! Latin-script forms match on word boundaries, CJK forms anywhere; acronyms and `match=case`
//! concepts are case-sensitive.

use std::collections::HashMap;
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use rustc_hash::FxBuildHasher;

use super::derive::Derived;
use super::model::{Glossary, Status};
use super::normalize::{Normalized, is_interpunct, normalize_form};
use crate::text::{is_acronym, is_word_char};

/// One (concept, language, status) that a pattern stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Index into `Glossary::concepts`.
    pub concept: usize,
    pub lang: String,
    pub status: Status,
    /// The form as written in the glossary.
    pub form: String,
    /// Must match with this exact case (after width folding).
    pub case_sensitive: bool,
    /// A derived wrong form ([`super::derive`]): its index in [`Matcher::derived`].
    pub derived: Option<usize>,
}

#[derive(Debug, Clone, Default)]
struct Pattern {
    entries: Vec<Entry>,
    left_boundary: bool,
    right_boundary: bool,
}

/// A glossary form found in a text. It borrows the entries it stands for from the
/// [`Matcher`] that found it instead of copying them: a long document has hundreds of
/// thousands of matches, and a copy of each entry's two strings per match was the largest
/// allocation of a check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match<'m> {
    /// Byte span in the original text.
    pub span: Range<usize>,
    entries: Entries<'m>,
}

/// The entries of a [`Match`]: those of its pattern, less case-sensitive entries spelled with
/// another case than the text (`IHRA` versus `ihra`).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Entries<'m> {
    /// Every entry of the pattern: the usual case, no allocation.
    All(&'m [Entry]),
    /// The entries that passed the case check, when some did not (never empty).
    Some(Box<[&'m Entry]>),
}

/// The iterator of [`Match::entries`]: a concrete type (not `impl Iterator`) so that the
/// borrow of the match ends with its last use.
pub type EntryIter<'a, 'm> = std::iter::Chain<
    std::slice::Iter<'m, Entry>,
    std::iter::Copied<std::slice::Iter<'a, &'m Entry>>,
>;

impl<'m> Match<'m> {
    /// The entries this occurrence stands for, in glossary order (never empty; case-checked).
    pub fn entries(&self) -> EntryIter<'_, 'm> {
        let (all, some): (&'m [Entry], &[&'m Entry]) = match &self.entries {
            Entries::All(all) => (all, &[]),
            Entries::Some(some) => (&[], some),
        };
        all.iter().chain(some.iter().copied())
    }
}

/// The compiled automaton over all forms.
#[derive(Debug, Clone)]
pub struct Matcher {
    ac: AhoCorasick,
    patterns: Vec<Pattern>,
    /// Wrong forms derived from the glossary's parts (托利派对), matched as deprecated forms.
    derived: Vec<Derived>,
}

/// Adds an entry under its normalised key, as a new pattern or beside the key's others.
fn add(
    by_key: &mut HashMap<String, usize, FxBuildHasher>,
    patterns: &mut Vec<Pattern>,
    key: String,
    entry: Entry,
) {
    let idx = match by_key.get(&key) {
        Some(&idx) => idx,
        None => {
            patterns.push(Pattern {
                entries: Vec::new(),
                left_boundary: key.chars().next().is_some_and(is_word_char),
                right_boundary: key.chars().next_back().is_some_and(is_word_char),
            });
            by_key.insert(key, patterns.len() - 1);
            patterns.len() - 1
        }
    };
    if !patterns[idx].entries.contains(&entry) {
        patterns[idx].entries.push(entry);
    }
}

/// The glossary's forms could not be compiled into one automaton (far too many of them).
#[derive(Debug, thiserror::Error)]
#[error("the glossary's {forms} distinct forms cannot be compiled into one automaton: {source}")]
pub struct BuildError {
    pub forms: usize,
    #[source]
    pub source: aho_corasick::BuildError,
}

impl Matcher {
    /// Compiles every form of every concept.
    pub fn new(glossary: &Glossary) -> Result<Matcher, BuildError> {
        // Key -> index into `patterns` (a map of small values: it is filled and sorted fast).
        let mut by_key: HashMap<String, usize, FxBuildHasher> = HashMap::default();
        let mut patterns: Vec<Pattern> = Vec::new();
        for (ci, concept) in glossary.concepts.iter().enumerate() {
            for (lang, terms) in &concept.langs {
                // A `zh-Hant`/`zh-TW`/`zh-HK` column's forms are Chinese to every check; only
                // suggestions tell the variants apart.
                let lang = crate::lang::primary(lang).unwrap_or_else(|| lang.clone());
                for term in terms {
                    let key = normalize_form(&term.text);
                    if key.is_empty() {
                        continue;
                    }
                    let entry = Entry {
                        concept: ci,
                        lang: lang.clone(),
                        status: term.status,
                        form: term.text.clone(),
                        case_sensitive: concept.case_sensitive || is_acronym(&term.text),
                        derived: None,
                    };
                    add(&mut by_key, &mut patterns, key, entry);
                }
            }
        }
        let derived = super::derive::derive(glossary);
        for (i, d) in derived.iter().enumerate() {
            let entry = Entry {
                concept: d.concept,
                lang: crate::lang::primary(&d.lang).unwrap_or_else(|| d.lang.clone()),
                status: Status::Deprecated,
                form: d.form.clone(),
                case_sensitive: false,
                derived: Some(i),
            };
            add(&mut by_key, &mut patterns, normalize_form(&d.form), entry);
        }
        // Built from the keys in sorted order: neighbouring keys share trie states, which makes
        // the build several times faster on large glossaries. Pattern ids follow that order.
        let mut keyed: Vec<(String, usize)> = by_key.into_iter().collect();
        keyed.sort_unstable();
        let patterns: Vec<Pattern> = keyed
            .iter()
            .map(|&(_, i)| std::mem::take(&mut patterns[i]))
            .collect();
        let keys: Vec<&str> = keyed.iter().map(|(k, _)| k.as_str()).collect();
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .build(&keys)
            .map_err(|source| BuildError {
                forms: keys.len(),
                source,
            })?;
        Ok(Matcher {
            ac,
            patterns,
            derived,
        })
    }

    /// How a derived wrong form was made, for an entry that is one.
    pub fn derivation(&self, entry: &Entry) -> Option<&Derived> {
        self.derived.get(entry.derived?)
    }

    /// Every glossary form in `original` (whose normalised view is `norm`), in text order.
    /// Where forms overlap, the longest wins (then the leftmost): `劳动力密集型` beats an
    /// overlapping `转向劳动力`, and `劳动派对` beats the `派对` inside it.
    pub fn find(&self, original: &str, norm: &Normalized) -> Vec<Match<'_>> {
        let ac = &self.ac;
        let text = norm.text.as_str();
        let mut candidates: Vec<(usize, usize, usize)> = Vec::new();
        for m in ac.find_overlapping_iter(text) {
            let pattern = &self.patterns[m.pattern().as_usize()];
            if pattern.left_boundary
                && text[..m.start()]
                    .chars()
                    .next_back()
                    .is_some_and(is_word_char)
            {
                continue;
            }
            if pattern.right_boundary && text[m.end()..].chars().next().is_some_and(is_word_char) {
                continue;
            }
            candidates.push((m.start(), m.end(), m.pattern().as_usize()));
        }
        // Longest first, then leftmost; keep those that overlap nothing kept before. The kept
        // spans are disjoint, keyed by start: the one starting last before `end` is the only
        // one that can overlap. (A sorted vector spliced in the middle was quadratic: kept
        // spans arrive in length order, not text order.)
        candidates.sort_by_key(|&(s, e, _)| (std::cmp::Reverse(e - s), s));
        let mut taken: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
        let mut out = Vec::new();
        for (start, end, pi) in candidates {
            let point = end.max(start + 1);
            if taken
                .range(..point)
                .next_back()
                .is_some_and(|(_, &kept_end)| kept_end > start)
            {
                continue;
            }
            let span = norm.to_original(start..end);
            let found = &original[span.clone()];
            let all = self.patterns[pi].entries.as_slice();
            let passes = |e: &&Entry| !e.case_sensitive || same_case(found, &e.form);
            let entries = match all.iter().filter(passes).count() {
                0 => continue,
                n if n == all.len() => Entries::All(all),
                _ => Entries::Some(all.iter().filter(passes).collect()),
            };
            taken.insert(start, point);
            out.push(Match { span, entries });
        }
        out.sort_by_key(|m| m.span.start);
        out
    }
}

/// Whether `found` spells `form` with the same letter case (width, interpuncts and white space
/// aside).
fn same_case(found: &str, form: &str) -> bool {
    fn fold(s: &str) -> impl Iterator<Item = char> + '_ {
        s.chars()
            .filter(|c| !c.is_whitespace() && !is_interpunct(*c))
            .map(|c| match c {
                '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                _ => c,
            })
    }
    fold(found).eq(fold(form))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glossary::model::{Concept, Origin, Term};
    use std::collections::BTreeMap;

    fn concept(id: &str, forms: &[(&str, &str, Status)]) -> Concept {
        let mut langs: BTreeMap<String, Vec<Term>> = BTreeMap::new();
        for (lang, text, status) in forms {
            langs.entry(lang.to_string()).or_default().push(Term {
                text: text.to_string(),
                status: *status,
            });
        }
        Concept {
            id: id.into(),
            kind: None,
            note: None,
            case_sensitive: false,
            langs,
            origin: Origin::default(),
        }
    }

    fn glossary() -> Glossary {
        use Status::*;
        Glossary {
            concepts: vec![
                concept(
                    "labour-party",
                    &[
                        ("en", "Labour Party", Preferred),
                        ("zh", "工党", Preferred),
                        ("zh", "劳动派对", Deprecated),
                    ],
                ),
                concept(
                    "party",
                    &[
                        ("en", "party", Preferred),
                        ("zh", "党", Preferred),
                        ("zh", "派对", Deprecated),
                    ],
                ),
                concept(
                    "ian-lavery",
                    &[
                        ("en", "Ian Lavery", Preferred),
                        ("zh", "伊恩·拉弗里", Preferred),
                    ],
                ),
                concept("ihra", &[("en", "IHRA", Preferred)]),
                concept("ann-black", &[("en", "Ann Black", Preferred)]),
            ],
        }
    }

    fn found(text: &str) -> Vec<(String, String)> {
        let g = glossary();
        let m = Matcher::new(&g).unwrap();
        m.find(text, &Normalized::new(text))
            .into_iter()
            .map(|m| {
                (
                    text[m.span.clone()].to_string(),
                    g.concepts[m.entries().next().unwrap().concept].id.clone(),
                )
            })
            .collect()
    }

    #[test]
    fn longest_match_wins_and_cjk_matches_anywhere() {
        assert_eq!(
            found("我们是劳动派对的协调员，派对基金"),
            [
                ("劳动派对".into(), "labour-party".into()),
                ("派对".into(), "party".into())
            ]
        );
    }

    #[test]
    fn latin_forms_need_word_boundaries_but_possessives_match() {
        assert_eq!(
            found("Ann Black's record"),
            [("Ann Black".into(), "ann-black".into())]
        );
        assert!(found("Ann Blackwell").is_empty());
        assert_eq!(
            found("和Ian Lavery说"),
            [("Ian Lavery".into(), "ian-lavery".into())]
        );
        assert_eq!(
            found("the labour party met"),
            [("labour party".into(), "labour-party".into())]
        );
    }

    #[test]
    fn acronyms_are_case_sensitive_and_width_insensitive() {
        assert_eq!(
            found("反对ＩＨＲＡ定义"),
            [("ＩＨＲＡ".into(), "ihra".into())]
        );
        assert_eq!(found("IHRA"), [("IHRA".into(), "ihra".into())]);
        assert!(found("ihra").is_empty());
    }

    #[test]
    fn interpunct_variants_and_absence_match() {
        for text in ["伊恩·拉弗里", "伊恩•拉弗里", "伊恩拉弗里", "伊恩・拉弗里"]
        {
            assert_eq!(
                found(text),
                [(text.to_string(), "ian-lavery".into())],
                "{text}"
            );
        }
    }

    #[test]
    fn longest_overall_beats_leftmost() {
        use Status::*;
        let g = Glossary {
            concepts: vec![
                concept("turn", &[("zh", "转向劳动力", Deprecated)]),
                concept("intensive", &[("zh", "劳动力密集型", Preferred)]),
            ],
        };
        let text = "部分企业转向劳动力密集型产业";
        let matcher = Matcher::new(&g).unwrap();
        let found = matcher.find(text, &Normalized::new(text));
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].span.clone()], "劳动力密集型");
    }

    #[test]
    fn a_form_shared_by_cases_keeps_the_entries_whose_case_fits() {
        use Status::*;
        let g = Glossary {
            concepts: vec![
                concept("acronym", &[("en", "NEC", Preferred)]),
                concept("word", &[("en", "nec", Deprecated)]),
            ],
        };
        let matcher = Matcher::new(&g).unwrap();
        let ids = |text: &str| -> Vec<Vec<&str>> {
            matcher
                .find(text, &Normalized::new(text))
                .iter()
                .map(|m| {
                    m.entries()
                        .map(|e| g.concepts[e.concept].id.as_str())
                        .collect()
                })
                .collect()
        };
        assert_eq!(ids("the NEC met"), [["acronym", "word"]]);
        assert_eq!(ids("the ＮＥＣ met"), [["acronym", "word"]]);
        assert_eq!(ids("the nec met"), [["word"]]);
        assert_eq!(ids("the Nec met"), [["word"]]);
    }

    #[test]
    fn empty_glossary_matches_nothing() {
        let m = Matcher::new(&Glossary::default()).unwrap();
        assert!(m.find("工党", &Normalized::new("工党")).is_empty());
    }
}
