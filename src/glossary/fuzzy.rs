//! Near misses of glossary forms: Latin-script windows of words within a small
//! Damerau-Levenshtein distance of an accepted form (`Ian Lvery`, `Bulllingdon Club`), found
//! through a deletion index over form prefixes (SymSpell-style) so large glossaries stay fast;
//! and Chinese transliterations one Han character away from a preferred name.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use rust_stemmers::{Algorithm, Stemmer};

use super::matcher::is_word_char;
use super::model::{Glossary, Kind, Status};
use super::normalize::{Normalized, normalize_form};

/// Characters of a key's prefix that go into the deletion index.
const PREFIX: usize = 7;

/// The edit distance allowed for a form of `len` characters: 0 for short forms (acronyms,
/// short words that ordinary words resemble), then growing with length.
pub fn allowed_distance(len: usize, words: usize) -> usize {
    match (len, words) {
        (0..=6, 1) => 0,
        (0..=4, _) => 0,
        (_, 1) if len < 12 => 1,
        (0..=11, _) => 1,
        (12..=23, _) => 2,
        _ => 3,
    }
}

/// One accepted Latin-script form in the index.
#[derive(Debug, Clone)]
struct Form {
    key: String,
    words: Vec<String>,
    concept: usize,
    /// The form as written in the glossary (the suggestion).
    text: String,
    status: Status,
    max: usize,
    /// Capitalised form (a name): only compared with windows that start with a capital.
    proper: bool,
}

/// A window of text that nearly matches one or more forms.
#[derive(Debug, Clone, PartialEq)]
pub struct NearMiss {
    /// Byte span in the original text.
    pub span: Range<usize>,
    /// `(concept index, suggested form, distance)`, closest first.
    pub candidates: Vec<(usize, String, usize)>,
}

/// The deletion index over accepted Latin-script forms, plus the Han one-character index.
pub struct FuzzyIndex {
    forms: Vec<Form>,
    deletes: HashMap<String, Vec<u32>>,
    /// Word counts that occur among forms, with their key length range.
    shapes: HashMap<usize, (usize, usize)>,
    /// Normalised keys of every accepted form in any language: never a near miss.
    accepted: HashSet<String>,
    han: HanIndex,
    stemmer: Stemmer,
}

impl std::fmt::Debug for FuzzyIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FuzzyIndex")
            .field("forms", &self.forms.len())
            .finish()
    }
}

/// Words of a normalised Latin text: letters and digits, with inner apostrophes and hyphens;
/// a trailing possessive (`'s`, `'`) is dropped.
fn words(norm: &str) -> Vec<(Range<usize>, String)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let chars: Vec<(usize, char)> = norm.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        let inner = (c == '\'' || c == '-')
            && start.is_some()
            && chars.get(k + 1).is_some_and(|&(_, n)| is_word_char(n));
        if is_word_char(c) || inner {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            out.push(s..i);
        }
    }
    if let Some(s) = start {
        out.push(s..norm.len());
    }
    out.into_iter()
        .map(|r| {
            let w = &norm[r.clone()];
            let w = w.strip_suffix("'s").unwrap_or(w);
            (r.start..r.start + w.len(), w.to_string())
        })
        .collect()
}

fn deletions(s: &str, max: usize, out: &mut HashSet<String>) {
    out.insert(s.to_string());
    if max == 0 {
        return;
    }
    let chars: Vec<char> = s.chars().collect();
    for i in 0..chars.len() {
        let shorter: String = chars[..i].iter().chain(&chars[i + 1..]).collect();
        if out.insert(shorter.clone()) || max > 1 {
            deletions(&shorter, max - 1, out);
        }
    }
}

fn prefix(s: &str) -> &str {
    match s.char_indices().nth(PREFIX) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

impl FuzzyIndex {
    /// Indexes every accepted Latin-script form of the glossary.
    pub fn new(glossary: &Glossary) -> FuzzyIndex {
        let mut forms = Vec::new();
        let mut accepted = HashSet::new();
        for (ci, concept) in glossary.concepts.iter().enumerate() {
            for terms in concept.langs.values() {
                for term in terms.iter().filter(|t| t.status.is_accepted()) {
                    let norm = normalize_form(&term.text);
                    let ws: Vec<String> = words(&norm).into_iter().map(|(_, w)| w).collect();
                    accepted.insert(ws.join(" "));
                    accepted.insert(norm.clone());
                    let latin = term.text.chars().any(|c| c.is_ascii_alphabetic())
                        && !term.text.chars().any(crate::segment::is_cjk);
                    if !latin || ws.is_empty() || super::matcher::is_acronym(&term.text) {
                        continue;
                    }
                    let key = ws.join(" ");
                    let max = allowed_distance(key.chars().count(), ws.len());
                    if max == 0 {
                        continue;
                    }
                    let proper = term.text.chars().next().is_some_and(char::is_uppercase);
                    forms.push(Form {
                        key,
                        words: ws,
                        concept: ci,
                        text: term.text.clone(),
                        status: term.status,
                        max,
                        proper,
                    });
                }
            }
        }
        let mut deletes: HashMap<String, Vec<u32>> = HashMap::new();
        let mut shapes: HashMap<usize, (usize, usize)> = HashMap::new();
        let mut set = HashSet::new();
        for (fi, form) in forms.iter().enumerate() {
            set.clear();
            deletions(prefix(&form.key), form.max, &mut set);
            for d in set.drain() {
                deletes.entry(d).or_default().push(fi as u32);
            }
            let len = form.key.chars().count();
            let shape = shapes.entry(form.words.len()).or_insert((len, len));
            shape.0 = shape.0.min(len);
            shape.1 = shape.1.max(len);
        }
        FuzzyIndex {
            forms,
            deletes,
            shapes,
            accepted,
            han: HanIndex::new(glossary),
            stemmer: Stemmer::create(Algorithm::English),
        }
    }

    /// Windows of `original` that nearly match an accepted form, skipping any window that
    /// overlaps `exclude` (spans already matched exactly).
    pub fn find(
        &self,
        original: &str,
        norm: &Normalized,
        exclude: &[Range<usize>],
    ) -> Vec<NearMiss> {
        let ws = words(&norm.text);
        let exclude = crate::spans::Spans::new(exclude.iter().cloned());
        let mut out: Vec<NearMiss> = Vec::new();
        let mut set = HashSet::new();
        let max_words = self.shapes.keys().copied().max().unwrap_or(0);
        let mut covered_until = 0usize;
        for i in 0..ws.len() {
            for n in (1..=max_words.min(ws.len() - i)).rev() {
                let Some(&(min_len, max_len)) = self.shapes.get(&n) else {
                    continue;
                };
                let window = &ws[i..i + n];
                // Words must be separated by spaces or commas only, within one line of text.
                let joined_ok = window.windows(2).all(|p| {
                    norm.text[p[0].0.end..p[1].0.start]
                        .chars()
                        .all(|c| c == ' ' || c == ',')
                });
                if !joined_ok {
                    continue;
                }
                let norm_span = window[0].0.start..window[n - 1].0.end;
                if norm_span.start < covered_until {
                    continue;
                }
                let span = norm.to_original(norm_span.clone());
                if exclude.overlaps(&span) {
                    continue;
                }
                let key: String = window
                    .iter()
                    .map(|(_, w)| w.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                let len = key.chars().count();
                if len + 3 < min_len || len > max_len + 3 || self.accepted.contains(&key) {
                    continue;
                }
                let capital = original[span.clone()]
                    .chars()
                    .next()
                    .is_some_and(char::is_uppercase);
                set.clear();
                deletions(prefix(&key), 3, &mut set);
                let mut hits: Vec<(usize, usize)> = Vec::new();
                for d in &set {
                    for &fi in self.deletes.get(d).map(Vec::as_slice).unwrap_or_default() {
                        let form = &self.forms[fi as usize];
                        if form.words.len() != n || (form.proper && !capital) {
                            continue;
                        }
                        if hits.iter().any(|&(f, _)| f == fi as usize) {
                            continue;
                        }
                        let dist = strsim::damerau_levenshtein(&key, &form.key);
                        if dist == 0 || dist > form.max || self.is_inflection(window, &form.words) {
                            continue;
                        }
                        hits.push((fi as usize, dist));
                    }
                }
                if hits.is_empty() {
                    continue;
                }
                hits.sort_by_key(|&(fi, d)| (d, self.forms[fi].status, fi));
                let mut candidates: Vec<(usize, String, usize)> = Vec::new();
                for (fi, d) in hits {
                    let f = &self.forms[fi];
                    if !candidates.iter().any(|c| c.0 == f.concept) {
                        candidates.push((f.concept, f.text.clone(), d));
                    }
                }
                covered_until = norm_span.end;
                out.push(NearMiss { span, candidates });
                break;
            }
        }
        out
    }

    /// Whether every word of the window is the form's word or an inflection of it
    /// (`antisemitic` / `antisemitism`, `elections` / `election`).
    fn is_inflection(&self, window: &[(Range<usize>, String)], form: &[String]) -> bool {
        window
            .iter()
            .zip(form)
            .all(|((_, w), f)| w == f || self.stemmer.stem(w) == self.stemmer.stem(f))
    }

    /// Han windows one character away from a preferred Chinese name (warning-level).
    pub fn find_han(
        &self,
        original: &str,
        norm: &Normalized,
        exclude: &[Range<usize>],
    ) -> Vec<NearMiss> {
        self.han.find(original, norm, exclude)
    }
}

/// A name's characters with one position blanked, and which position.
type Hole = (usize, Vec<char>);

/// Preferred Chinese forms of people (transliterations), keyed by each one-character wildcard.
struct HanIndex {
    /// -> (concept index, preferred form)
    by_hole: HashMap<Hole, Vec<(usize, String)>>,
    lengths: Vec<usize>,
    known: HashSet<String>,
    /// `(length, first character)` and `(length, second character)` of every indexed form: a
    /// window one character off a form shares its first character (hole elsewhere) or its
    /// second (hole first), so any other window is passed over without building its keys.
    firsts: HashSet<(usize, char)>,
    seconds: HashSet<(usize, char)>,
}

impl HanIndex {
    fn new(glossary: &Glossary) -> HanIndex {
        let mut by_hole: HashMap<Hole, Vec<(usize, String)>> = HashMap::new();
        let mut lengths = Vec::new();
        let mut known = HashSet::new();
        let (mut firsts, mut seconds) = (HashSet::new(), HashSet::new());
        for (ci, concept) in glossary.concepts.iter().enumerate() {
            for terms in concept.langs.values() {
                for t in terms {
                    known.insert(normalize_form(&t.text));
                }
            }
            if concept.kind != Some(Kind::Person) {
                continue;
            }
            let Some(form) = concept.preferred("zh") else {
                continue;
            };
            let chars: Vec<char> = normalize_form(form).chars().collect();
            if chars.len() < 4 || !chars.iter().all(|&c| crate::segment::is_cjk(c)) {
                continue;
            }
            firsts.insert((chars.len(), chars[0]));
            seconds.insert((chars.len(), chars[1]));
            for hole in 0..chars.len() {
                let mut key = chars.clone();
                key[hole] = '\0';
                by_hole
                    .entry((hole, key))
                    .or_default()
                    .push((ci, form.to_string()));
            }
            if !lengths.contains(&chars.len()) {
                lengths.push(chars.len());
            }
        }
        HanIndex {
            by_hole,
            lengths,
            known,
            firsts,
            seconds,
        }
    }

    fn find(&self, _original: &str, norm: &Normalized, exclude: &[Range<usize>]) -> Vec<NearMiss> {
        let mut out = Vec::new();
        if self.lengths.is_empty() {
            return out;
        }
        let exclude = crate::spans::Spans::new(exclude.iter().cloned());
        let chars: Vec<(usize, char)> = norm.text.char_indices().collect();
        let mut covered_until = 0;
        for start in 0..chars.len() {
            if chars[start].0 < covered_until || !crate::segment::is_cjk(chars[start].1) {
                continue;
            }
            for &len in &self.lengths {
                let Some(window) = chars.get(start..start + len) else {
                    continue;
                };
                if !window.iter().all(|&(_, c)| crate::segment::is_cjk(c)) {
                    continue;
                }
                if !self.firsts.contains(&(len, window[0].1))
                    && !self.seconds.contains(&(len, window[1].1))
                {
                    continue;
                }
                let text: Vec<char> = window.iter().map(|&(_, c)| c).collect();
                let norm_end = window[len - 1].0 + window[len - 1].1.len_utf8();
                let as_string: String = text.iter().collect();
                if self.known.contains(&as_string) {
                    continue;
                }
                let span = norm.to_original(chars[start].0..norm_end);
                if exclude.overlaps(&span) {
                    continue;
                }
                let mut candidates: Vec<(usize, String, usize)> = Vec::new();
                for hole in 0..len {
                    let mut key = text.clone();
                    key[hole] = '\0';
                    for (ci, form) in self.by_hole.get(&(hole, key)).into_iter().flatten() {
                        if !candidates.iter().any(|c| c.0 == *ci) {
                            candidates.push((*ci, form.clone(), 1));
                        }
                    }
                }
                if !candidates.is_empty() {
                    covered_until = norm_end;
                    out.push(NearMiss { span, candidates });
                    break;
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glossary::csv;
    use std::path::Path;

    fn index() -> (Glossary, FuzzyIndex) {
        let g = csv::from_str(
            "id,kind,en,en.admitted,zh\n\
             ian-lavery,person,Ian Lavery,,伊恩·拉弗里\n\
             jon-trickett,person,Jon Trickett,,乔恩·特里克特\n\
             bullingdon,org,Bullingdon Club,,布灵顿俱乐部\n\
             ehrc,org,Equality and Human Rights Commission,EHRC,平等与人权委员会\n\
             bds,term,\"Boycott, Divestment and Sanctions\",BDS,抵制、撤资和制裁\n\
             antisemitism,term,antisemitism,,反犹太主义\n\
             election,term,general election,,大选\n\
             tory,org,Tory,,保守党\n",
            Path::new("t.csv"),
        )
        .unwrap();
        let idx = FuzzyIndex::new(&g);
        (g, idx)
    }

    fn near(text: &str) -> Vec<(String, String)> {
        let (_, idx) = index();
        idx.find(text, &Normalized::new(text), &[])
            .into_iter()
            .map(|m| (text[m.span].to_string(), m.candidates[0].1.clone()))
            .collect()
    }

    #[test]
    fn finds_the_seed_misspellings() {
        assert_eq!(
            near("Ian Lvery&Jon Trickett"),
            [("Ian Lvery".into(), "Ian Lavery".into())]
        );
        assert_eq!(
            near("这不是Bulllingdon Club,它"),
            [("Bulllingdon Club".into(), "Bullingdon Club".into())]
        );
        assert_eq!(
            near("by John Trickett"),
            [("John Trickett".into(), "Jon Trickett".into())]
        );
        assert_eq!(
            near("the Equality and Human Rights Comission said"),
            [(
                "Equality and Human Rights Comission".into(),
                "Equality and Human Rights Commission".into()
            )]
        );
        assert_eq!(
            near("the Boycott, Disinvestment and Sanctions (BDS) campaign"),
            [(
                "Boycott, Disinvestment and Sanctions".into(),
                "Boycott, Divestment and Sanctions".into()
            )]
        );
    }

    #[test]
    fn leaves_inflections_possessives_and_short_words_alone() {
        assert!(near("Such remarks are antisemitic.").is_empty());
        assert!(near("two general elections").is_empty());
        assert!(near("Ian Lavery's speech").is_empty());
        assert!(
            near("Tony and Tory").is_empty(),
            "short forms are exact-only"
        );
        assert!(
            near("ian lvery").is_empty(),
            "a name is only compared with capitalised words"
        );
    }

    #[test]
    fn han_near_miss_of_a_transliterated_name() {
        let (_, idx) = index();
        let text = "乔恩·特里克斯和伊恩·拉弗里";
        let hits = idx.find_han(text, &Normalized::new(text), &[]);
        assert_eq!(hits.len(), 1);
        assert_eq!(&text[hits[0].span.clone()], "乔恩·特里克斯");
        assert_eq!(hits[0].candidates[0].1, "乔恩·特里克特");
    }

    #[test]
    fn allowed_distance_grows_with_length() {
        assert_eq!(allowed_distance(4, 1), 0);
        assert_eq!(allowed_distance(6, 1), 0);
        assert_eq!(allowed_distance(8, 1), 1);
        assert_eq!(allowed_distance(10, 2), 1);
        assert_eq!(allowed_distance(15, 2), 2);
        assert_eq!(allowed_distance(33, 4), 3);
    }
}
