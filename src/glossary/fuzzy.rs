//! Near misses of glossary forms: Latin-script windows of words within a small
//! Damerau-Levenshtein distance of an accepted form (`Ian Lvery`, `Bulllingdon Club`), found
//! through a deletion index over form prefixes (SymSpell-style) so large glossaries stay fast;
//! and Chinese transliterations one Han character away from a preferred name.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::{FxBuildHasher, FxHashMap};

use super::model::{Glossary, Kind, Status};
use super::normalize::{Normalized, is_interpunct, normalize_form};
use crate::text::is_word_char;

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
    /// Length of `key` in characters.
    len: usize,
    /// [`char_mask`] of `key`.
    mask: u64,
}

/// One bit per character class of `s` (a–z one each, others folded onto the rest). Each bit
/// set in one string's mask and not in the other's is a character the other lacks, so the
/// count of such bits is a lower bound of the edit distance.
fn char_mask(s: &str) -> u64 {
    s.chars().fold(0, |m, c| {
        let bit = match c {
            'a'..='z' => c as u32 - 'a' as u32,
            _ => 26 + (c as u32 % 38),
        };
        m | 1 << bit
    })
}

/// A window of text that nearly matches one or more forms.
#[derive(Debug, Clone, PartialEq)]
pub struct NearMiss {
    /// Byte span in the original text.
    pub span: Range<usize>,
    /// `(concept index, suggested form, distance)`, closest first.
    pub candidates: Vec<(usize, String, usize)>,
}

/// The multiplier of the deletion-string hash ([`hash_step`]).
const QUICK_K: u64 = 0x9E37_79B9_7F4A_7C15;

/// Seed of [`hash_step`].
const HASH_SEED: u64 = 0x51_7C_C1_B7_27_22_0A_95;

/// Adds one character to the running hash of a deletion string.
fn hash_step(h: u64, c: char) -> u64 {
    (h.rotate_left(5) ^ u64::from(c)).wrapping_mul(QUICK_K)
}

/// The hash of a deletion string from its running hash.
fn hash_finish(h: u64) -> u64 {
    h ^ (h >> 31)
}

/// The deletion index of one class of forms: a sorted table of entries that each hold the
/// hash of a deletion string (high bits) and a form (low `id_bits`), with a directory on the
/// top bits. A hash collision only adds a candidate that the exact checks then drop, so the
/// table never changes what is found.
#[derive(Debug)]
struct DeleteTable {
    entries: Vec<u64>,
    /// Low bits of an entry that hold the form's index.
    id_bits: u32,
    /// `dir[b]..dir[b + 1]`: the entries whose top bits are `b`.
    dir: Vec<u32>,
    bits: u32,
    /// One bit per value of some middle bits of a hash, set when some entry has it: most
    /// deletion strings of a text are in no form, and this smaller table says so without
    /// touching the large one.
    filter: Vec<u64>,
    /// Bit `l` set when some form's prefix has a deletion string of `l` chars.
    lengths: u8,
    /// Per word count: the range of key lengths (in characters) of the forms.
    shapes: Vec<Option<(usize, usize)>>,
}

impl DeleteTable {
    fn build(all: &[Form], ids: &[u32]) -> DeleteTable {
        let id_bits = (u32::BITS - (all.len() as u32).leading_zeros()).max(1);
        let id_mask = (1u64 << id_bits) - 1;
        let mut entries: Vec<u64> = Vec::new();
        let mut lengths = 0u8;
        let mut shapes: Vec<Option<(usize, usize)>> = Vec::new();
        let mut chars: Vec<char> = Vec::with_capacity(PREFIX);
        for &fi in ids {
            let form = &all[fi as usize];
            chars.clear();
            chars.extend(prefix(&form.key).chars());
            let before = entries.len();
            for_each_deletion(&chars, form.max, u8::MAX, &mut |h| {
                entries.push((h & !id_mask) | u64::from(fi));
            });
            // The same deletion string reached twice (doubled letters) is one entry.
            entries[before..].sort_unstable();
            let mut w = before;
            for r in before..entries.len() {
                if w == before || entries[w - 1] != entries[r] {
                    entries[w] = entries[r];
                    w += 1;
                }
            }
            entries.truncate(w);
            let n = chars.len();
            for l in n.saturating_sub(form.max)..=n {
                lengths |= 1 << l;
            }
            let len = form.key.chars().count();
            let words = form.words.len();
            if shapes.len() <= words {
                shapes.resize(words + 1, None);
            }
            let shape = shapes[words].get_or_insert((len, len));
            shape.0 = shape.0.min(len);
            shape.1 = shape.1.max(len);
        }
        entries.sort_unstable();
        // About four entries per directory slot.
        let bits = (usize::BITS - (entries.len() / 4).leading_zeros()).clamp(4, 24);
        let mut dir = vec![0u32; (1 << bits) + 1];
        for &e in &entries {
            dir[(e >> (64 - bits)) as usize + 1] += 1;
        }
        for b in 1..dir.len() {
            dir[b] += dir[b - 1];
        }
        // About 16 filter bits per entry (a miss passes ~6 % of the time), at most 8 MiB.
        let filter_bits = (usize::BITS - (entries.len() * 16).leading_zeros()).clamp(6, 26);
        let mut filter = vec![0u64; 1 << (filter_bits - 6)];
        for &e in &entries {
            let b = (e >> id_bits) & ((1u64 << filter_bits) - 1);
            filter[(b >> 6) as usize] |= 1 << (b & 63);
        }
        DeleteTable {
            entries,
            id_bits,
            dir,
            bits,
            filter,
            lengths,
            shapes,
        }
    }

    /// The key-length range of the forms of `words` words, if there are any.
    fn shape(&self, words: usize) -> Option<(usize, usize)> {
        self.shapes.get(words).copied().flatten()
    }

    /// The forms stored under hash `h` (plus, rarely, forms of a colliding hash).
    fn get(&self, h: u64) -> impl Iterator<Item = u32> + '_ {
        let id_mask = (1u64 << self.id_bits) - 1;
        let key = h & !id_mask;
        // `build` makes the filter a power of two of 64-bit words, at least one.
        let b = (key >> self.id_bits) & (self.filter.len() as u64 * 64 - 1);
        let bucket = if self.filter[(b >> 6) as usize] & (1 << (b & 63)) == 0 {
            &[][..]
        } else {
            let b = (key >> (64 - self.bits)) as usize;
            let bucket = &self.entries[self.dir[b] as usize..self.dir[b + 1] as usize];
            &bucket[bucket.partition_point(|&e| e < key)..]
        };
        bucket
            .iter()
            .take_while(move |&&e| e & !id_mask == key)
            .map(move |&e| (e & id_mask) as u32)
    }
}

/// Calls `found` with the hash of every string made by deleting at most `max` characters of
/// `chars` whose length has its bit set in `lengths` (a string may come more than once). The
/// strings are walked depth first, so each hash is extended one character at a time.
fn for_each_deletion(chars: &[char], max: usize, lengths: u8, found: &mut impl FnMut(u64)) {
    fn walk(
        rest: &[char],
        h: u64,
        kept: usize,
        deletions_left: usize,
        lengths: u8,
        found: &mut impl FnMut(u64),
    ) {
        let Some((&c, tail)) = rest.split_first() else {
            if lengths & (1 << kept) != 0 {
                found(hash_finish(h));
            }
            return;
        };
        walk(
            tail,
            hash_step(h, c),
            kept + 1,
            deletions_left,
            lengths,
            found,
        );
        if deletions_left > 0 {
            walk(tail, h, kept, deletions_left - 1, lengths, found);
        }
    }
    walk(chars, HASH_SEED, 0, max, lengths, found);
}

/// The deletion index over accepted Latin-script forms, plus the Han one-character index.
pub struct FuzzyIndex {
    forms: Vec<Form>,
    /// Forms that start with a lower-case letter (compared with every window), and names
    /// (compared with windows that start with a capital only).
    common: DeleteTable,
    proper: DeleteTable,
    /// Normalised keys of every accepted form in any language: never a near miss.
    accepted: HashSet<String, FxBuildHasher>,
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
/// a trailing possessive (`'s`, `'`) is dropped. Byte spans in `norm`.
fn word_spans(norm: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut chars = norm.char_indices().peekable();
    std::iter::from_fn(move || {
        let mut start: Option<usize> = None;
        while let Some((i, c)) = chars.next() {
            let inner = (c == '\'' || c == '-')
                && start.is_some()
                && chars.peek().is_some_and(|&(_, n)| is_word_char(n));
            if is_word_char(c) || inner {
                start.get_or_insert(i);
            } else if let Some(s) = start {
                return Some(s..i);
            }
        }
        start.map(|s| s..norm.len())
    })
    .map(|mut r| {
        if norm[r.clone()].ends_with("'s") {
            r.end -= 2;
        }
        r
    })
}

/// [`word_spans`] as owned strings (building the index).
fn words(norm: &str) -> Vec<String> {
    word_spans(norm).map(|r| norm[r].to_string()).collect()
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

/// The SymSpell candidate condition, decided on real strings: some string is both at most 3
/// deletions from the window's prefix and at most `max` deletions from the form's prefix.
/// Only asked for windows already within `max` edits of the form, so its cost does not matter.
fn shares_deletion(key: &str, form: &str, max: usize) -> bool {
    let (mut a, mut b) = (HashSet::new(), HashSet::new());
    deletions(prefix(key), 3, &mut a);
    deletions(prefix(form), max, &mut b);
    a.intersection(&b).next().is_some()
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
        let mut accepted = HashSet::default();
        for (ci, concept) in glossary.concepts.iter().enumerate() {
            for terms in concept.langs.values() {
                for term in terms.iter().filter(|t| t.status.is_accepted()) {
                    let norm = normalize_form(&term.text);
                    let ws = words(&norm);
                    accepted.insert(ws.join(" "));
                    accepted.insert(norm);
                    let latin = term.text.chars().any(|c| c.is_ascii_alphabetic())
                        && !term.text.chars().any(crate::text::is_cjk);
                    if !latin || ws.is_empty() || crate::text::is_acronym(&term.text) {
                        continue;
                    }
                    let key = ws.join(" ");
                    let max = allowed_distance(key.chars().count(), ws.len());
                    if max == 0 {
                        continue;
                    }
                    let proper = term.text.chars().next().is_some_and(char::is_uppercase);
                    forms.push(Form {
                        len: key.chars().count(),
                        mask: char_mask(&key),
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
        let (names, common): (Vec<u32>, Vec<u32>) =
            (0..forms.len() as u32).partition(|&fi| forms[fi as usize].proper);
        let (proper, common) = rayon::join(
            || DeleteTable::build(&forms, &names),
            || DeleteTable::build(&forms, &common),
        );
        FuzzyIndex {
            forms,
            common,
            proper,
            accepted,
            han: HanIndex::new(glossary),
            stemmer: Stemmer::create(Algorithm::English),
        }
    }

    /// Windows of `original` that nearly match an accepted form, skipping any window that
    /// overlaps `exclude` (spans already matched exactly).
    ///
    /// Candidates come from the deletion index: a form is compared with a window when a string
    /// at most 3 deletions from the window's key prefix is at most `max` deletions from the
    /// form's. Only deletion strings of a length some form's deletions have are looked up (equal
    /// strings have equal lengths), and names only for windows that start with a capital.
    pub fn find(
        &self,
        original: &str,
        norm: &Normalized,
        exclude: &[Range<usize>],
    ) -> Vec<NearMiss> {
        let mut out: Vec<NearMiss> = Vec::new();
        if self.forms.is_empty() {
            return out;
        }
        // The words ahead, from the current one: windows never hold more than `max_words`.
        let mut words = word_spans(&norm.text);
        let mut ahead: std::collections::VecDeque<Range<usize>> = std::collections::VecDeque::new();
        let exclude = crate::spans::Spans::new(exclude.iter().cloned());
        let max_words = (self.proper.shapes.len())
            .max(self.common.shapes.len())
            .saturating_sub(1);
        let mut covered_until = 0usize;
        let mut key = String::new();
        let mut chars: Vec<char> = Vec::with_capacity(PREFIX);
        let mut hits: Vec<(usize, usize)> = Vec::new();
        // Forms found through each table for a key prefix (any word count), remembered for
        // the document: windows that start at one word share their 7-character prefix once
        // they are long enough, and prose repeats its words, so the index is asked once per
        // distinct prefix.
        let mut found: FxHashMap<String, [Option<Vec<u32>>; 2]> = FxHashMap::default();
        loop {
            while ahead.len() < max_words.max(1) {
                match words.next() {
                    Some(w) => ahead.push_back(w),
                    None => break,
                }
            }
            if ahead.is_empty() {
                break;
            }
            let ws: &[Range<usize>] = ahead.make_contiguous();
            if ws[0].start < covered_until {
                ahead.pop_front();
                continue;
            }
            // Words must be separated by spaces or commas only, within one line of text.
            let mut longest = 1;
            while longest < max_words.min(ws.len())
                && norm.text[ws[longest - 1].end..ws[longest].start]
                    .bytes()
                    .all(|c| c == b' ' || c == b',')
            {
                longest += 1;
            }
            let mut capital: Option<bool> = None;
            for n in (1..=longest).rev() {
                let window = &ws[..n];
                let norm_span = window[0].start..window[n - 1].end;
                key.clear();
                for (k, w) in window.iter().enumerate() {
                    if k > 0 {
                        key.push(' ');
                    }
                    key.push_str(&norm.text[w.clone()]);
                }
                let len = key.chars().count();
                let fits = |t: &DeleteTable| {
                    t.shape(n)
                        .is_some_and(|(lo, hi)| len + 3 >= lo && len <= hi + 3)
                };
                let (fits_common, fits_proper) = (fits(&self.common), fits(&self.proper));
                if !fits_common && !fits_proper {
                    continue;
                }
                let span = norm.to_original(norm_span.clone());
                let capital = *capital.get_or_insert_with(|| {
                    original[span.clone()]
                        .chars()
                        .next()
                        .is_some_and(char::is_uppercase)
                });
                let use_proper = fits_proper && capital;
                // A long name may swallow a shorter exact match inside it (`Labour Party` in
                // `Campaign for Labour Party Democracey`): a capitalised window of three words
                // or more, compared with names only. Other windows keep clear of exact matches.
                let holds_exact = exclude.overlaps(&span);
                if holds_exact && (n < 3 || !use_proper || exclude.crosses(&span)) {
                    continue;
                }
                let fits_common = fits_common && !holds_exact;
                if (!fits_common && !use_proper) || self.accepted.contains(key.as_str()) {
                    continue;
                }
                let key_prefix = prefix(&key);
                if !found.contains_key(key_prefix) {
                    found.insert(key_prefix.to_string(), [None, None]);
                }
                let Some(found) = found.get_mut(key_prefix) else {
                    continue;
                };
                hits.clear();
                for (t, (wanted, table)) in
                    [(fits_common, &self.common), (use_proper, &self.proper)]
                        .into_iter()
                        .enumerate()
                {
                    if !wanted {
                        continue;
                    }
                    let forms = found[t].get_or_insert_with(|| {
                        chars.clear();
                        chars.extend(key_prefix.chars());
                        let mut forms: Vec<u32> = Vec::new();
                        for_each_deletion(&chars, 3, table.lengths, &mut |h| {
                            forms.extend(table.get(h));
                        });
                        forms.sort_unstable();
                        forms.dedup();
                        forms
                    });
                    for &fi in forms.iter() {
                        if self.forms[fi as usize].words.len() == n
                            && !hits.iter().any(|&(f, _)| f == fi as usize)
                        {
                            hits.push((fi as usize, usize::MAX));
                        }
                    }
                }
                // Exact checks on the (few) candidates; length and character-set bounds first.
                let key_mask = char_mask(&key);
                hits.retain_mut(|(fi, dist)| {
                    let form = &self.forms[*fi];
                    let missing = (key_mask & !form.mask).count_ones() as usize;
                    let extra = (form.mask & !key_mask).count_ones() as usize;
                    if len.abs_diff(form.len) > form.max || missing.max(extra) > form.max {
                        return false;
                    }
                    let d = strsim::damerau_levenshtein(&key, &form.key);
                    *dist = d;
                    d != 0
                        && d <= form.max
                        && !self.is_inflection(norm, window, &form.words)
                        && shares_deletion(&key, &form.key, form.max)
                });
                if hits.is_empty() {
                    continue;
                }
                hits.sort_by_key(|&(fi, d)| (d, self.forms[fi].status, fi));
                let mut candidates: Vec<(usize, String, usize)> = Vec::new();
                for &(fi, d) in &hits {
                    let f = &self.forms[fi];
                    if !candidates.iter().any(|c| c.0 == f.concept) {
                        candidates.push((f.concept, f.text.clone(), d));
                    }
                }
                covered_until = norm_span.end;
                out.push(NearMiss { span, candidates });
                break;
            }
            ahead.pop_front();
        }
        out
    }

    /// Whether every word of the window is the form's word or an inflection of it
    /// (`antisemitic` / `antisemitism`, `elections` / `election`).
    fn is_inflection(&self, norm: &Normalized, window: &[Range<usize>], form: &[String]) -> bool {
        window.iter().zip(form).all(|(r, f)| {
            let w = &norm.text[r.clone()];
            w == f || self.stemmer.stem(w) == self.stemmer.stem(f)
        })
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

/// Grammatical characters that follow a name far more often than they end one (乔恩·特里克与).
const FUNCTION: &[char] = &[
    '的', '是', '了', '在', '和', '与', '及', '对', '为', '从', '被', '把', '向', '也', '都', '就',
    '说', '等', '将', '曾', '已', '又', '还', '并',
];

/// A name's characters with one position blanked, and which position.
type Hole = (usize, Vec<char>);

/// The shortest all-Han preferred form compared one character off: people's
/// transliterations and names of organisations, places and events from four characters,
/// other terms (made of ordinary words, which have real neighbours) from five.
fn han_min_len(kind: Option<Kind>) -> usize {
    match kind {
        Some(Kind::Person | Kind::Org | Kind::Place | Kind::Event) => 4,
        _ => 5,
    }
}

/// Preferred all-Han forms of names and longer terms, indexed for windows one character off:
/// by each one-character wildcard (a character changed), by each form less one inner
/// character (one missing), and by the form itself (one extra inside).
struct HanIndex {
    /// -> (concept index, preferred form)
    by_hole: HashMap<Hole, Vec<(usize, String)>, FxBuildHasher>,
    /// Form less one inner character -> (concept index, preferred form).
    short: HashMap<String, Vec<(usize, String)>, FxBuildHasher>,
    /// Form -> (concept index, preferred form), for windows with one inner character extra.
    whole: HashMap<String, Vec<(usize, String)>, FxBuildHasher>,
    /// Concepts that are people (transliterations: their last character may also be missing
    /// or doubled by another).
    people: HashSet<usize, FxBuildHasher>,
    /// Person's form less its last character -> (concept index, preferred form).
    clipped: HashMap<String, Vec<(usize, String)>, FxBuildHasher>,
    /// Lengths of the indexed forms (changed), of the forms less one (missing), plus one (extra).
    lengths: Vec<usize>,
    indel_lengths: Vec<usize>,
    /// Every window length to try, longest first (a name one character off is preferred
    /// over a shorter one it contains).
    window_lengths: Vec<usize>,
    known: HashSet<String, FxBuildHasher>,
    /// The first two and the third and fourth characters of every indexed name: a window one
    /// character off a name of four or more keeps one of these pairs, so a window that has
    /// neither is skipped without building its keys.
    heads: HashSet<(char, char), FxBuildHasher>,
    middles: HashSet<(char, char), FxBuildHasher>,
    /// First and last characters of the forms: an inner character missing or extra keeps both.
    ends: HashSet<(char, char), FxBuildHasher>,
    /// The first and third characters of every form: with [`HanIndex::heads`], a window with
    /// an inner character missing or extra keeps one of (first, second) or (first, third) of
    /// its form, or its own first and second are a form's first and third.
    skips: HashSet<(char, char), FxBuildHasher>,
}

impl HanIndex {
    fn new(glossary: &Glossary) -> HanIndex {
        let mut index = HanIndex {
            by_hole: HashMap::default(),
            people: HashSet::default(),
            clipped: HashMap::default(),
            short: HashMap::default(),
            whole: HashMap::default(),
            lengths: Vec::new(),
            indel_lengths: Vec::new(),
            window_lengths: Vec::new(),
            known: HashSet::default(),
            heads: HashSet::default(),
            middles: HashSet::default(),
            ends: HashSet::default(),
            skips: HashSet::default(),
        };
        for (ci, concept) in glossary.concepts.iter().enumerate() {
            for terms in concept.langs.values() {
                for t in terms {
                    // Only all-Han forms can equal a Han window.
                    if t.text.chars().any(crate::text::is_cjk) {
                        let form = normalize_form(&t.text);
                        if form.chars().all(crate::text::is_cjk) {
                            index.known.insert(form);
                        }
                    }
                }
            }
            let Some(form) = concept.preferred("zh") else {
                continue;
            };
            let chars: Vec<char> = normalize_form(form).chars().collect();
            if chars.len() < han_min_len(concept.kind)
                || !chars.iter().all(|&c| crate::text::is_cjk(c))
            {
                continue;
            }
            // The given name of a transliterated person: the characters before the interpunct.
            let given = if concept.kind == Some(Kind::Person) {
                form.chars()
                    .take_while(|&c| crate::text::is_cjk_letter(c))
                    .count()
            } else {
                0
            };
            let given = if given < chars.len() { given } else { 0 };
            index.add(ci, form, &chars, given);
            if concept.kind == Some(Kind::Person) && given > 0 {
                index.people.insert(ci);
                let clipped: String = chars[..chars.len() - 1].iter().collect();
                index
                    .clipped
                    .entry(clipped)
                    .or_default()
                    .push((ci, form.to_string()));
                let n = chars.len();
                if !index.indel_lengths.contains(&(n - 1)) {
                    index.indel_lengths.push(n - 1);
                }
            }
        }
        let mut lengths: Vec<usize> = index.lengths.clone();
        for &n in &index.indel_lengths {
            if !lengths.contains(&n) {
                lengths.push(n);
            }
        }
        lengths.sort_unstable_by(|a, b| b.cmp(a));
        index.window_lengths = lengths;
        index
    }

    /// Indexes one preferred form (its normalised characters `chars`).
    fn add(&mut self, ci: usize, form: &str, chars: &[char], given: usize) {
        let n = chars.len();
        self.heads.insert((chars[0], chars[1]));
        self.middles.insert((chars[2], chars[3]));
        self.ends.insert((chars[0], chars[n - 1]));
        self.skips.insert((chars[0], chars[2]));
        for hole in 0..n {
            let mut key = chars.to_vec();
            key[hole] = '\0';
            // A person's given name (before the interpunct) differing is another person
            // (杰克·沃克 is not 杰姬·沃克), not a misspelling.
            if hole < given {
                continue;
            }
            self.by_hole
                .entry((hole, key))
                .or_default()
                .push((ci, form.to_string()));
        }
        // One inner character missing: the window is at least four characters.
        if n > 4 {
            for gap in 1..n - 1 {
                let key: String = chars
                    .iter()
                    .enumerate()
                    .filter(|&(i, _)| i != gap)
                    .map(|(_, c)| c)
                    .collect();
                let list = self.short.entry(key).or_default();
                if !list.iter().any(|(c, _)| *c == ci) {
                    list.push((ci, form.to_string()));
                }
            }
            if !self.indel_lengths.contains(&(n - 1)) {
                self.indel_lengths.push(n - 1);
            }
        }
        self.whole
            .entry(chars.iter().collect())
            .or_default()
            .push((ci, form.to_string()));
        if !self.indel_lengths.contains(&(n + 1)) {
            self.indel_lengths.push(n + 1);
        }
        if !self.lengths.contains(&n) {
            self.lengths.push(n);
        }
    }

    /// The forms one character off `text` (all Han): changed, missing or extra, in that order
    /// of preference. `before` and `after` are the letters next to the window (a change at
    /// an end of a term next to another Han letter is a word cut in two, 简单多数获得, not a
    /// misspelling); `interpunct` says the window has one, as a transliterated name does.
    fn candidates(
        &self,
        text: &[char],
        before: Option<char>,
        after: Option<char>,
        interpunct: bool,
    ) -> Vec<(usize, String, usize)> {
        let mut out: Vec<(usize, String, usize)> = Vec::new();
        let push = |out: &mut Vec<(usize, String, usize)>, found: &[(usize, String)]| {
            for (ci, form) in found {
                if !out.iter().any(|c| c.0 == *ci) {
                    out.push((*ci, form.clone(), 1));
                }
            }
        };
        // A Han letter next to the window that is not a grammatical one: the window may cut a
        // word in two.
        let han = |c: Option<char>| {
            c.is_some_and(|c| crate::text::is_cjk_letter(c) && !FUNCTION.contains(&c))
        };
        let n = text.len();
        if self.lengths.contains(&n) {
            for hole in 0..n {
                let mut key = text.to_vec();
                key[hole] = '\0';
                let Some(found) = self.by_hole.get(&(hole, key)) else {
                    continue;
                };
                let kept: Vec<(usize, String)> = found
                    .iter()
                    .filter(|(ci, _)| {
                        if self.people.contains(ci) {
                            // 乔恩·特里克与: the name lost its last letter before 与.
                            !(hole == n - 1 && FUNCTION.contains(&text[n - 1]))
                        } else {
                            let cut_start = hole == 0 && han(before);
                            let cut_end = hole == n - 1 && han(after);
                            !(cut_start || cut_end)
                        }
                    })
                    .cloned()
                    .collect();
                push(&mut out, &kept);
            }
        }
        if out.is_empty() && self.indel_lengths.contains(&n) {
            let as_string: String = text.iter().collect();
            // A grammatical letter missing or added (泄露报告 for 泄露的报告) is style.
            if let Some(found) = self.short.get(&as_string) {
                let kept: Vec<(usize, String)> = found
                    .iter()
                    .filter(|(_, form)| {
                        let form: Vec<char> = normalize_form(form).chars().collect();
                        !form.iter().enumerate().any(|(i, c)| {
                            FUNCTION.contains(c) && {
                                let mut less = form.clone();
                                less.remove(i);
                                less == text
                            }
                        })
                    })
                    .cloned()
                    .collect();
                push(&mut out, &kept);
            }
            for gap in 1..n.saturating_sub(1) {
                if FUNCTION.contains(&text[gap]) {
                    continue;
                }
                let key: String = text
                    .iter()
                    .enumerate()
                    .filter(|&(i, _)| i != gap)
                    .map(|(_, c)| c)
                    .collect();
                if let Some(found) = self.whole.get(&key) {
                    push(&mut out, found);
                }
            }
            // A transliterated name with its last letter missing (a letter too many cannot be
            // told from the next word's first).
            if out.is_empty()
                && interpunct
                && let Some(found) = self.clipped.get(&as_string)
            {
                push(&mut out, found);
            }
        }
        out
    }

    fn find(&self, original: &str, norm: &Normalized, exclude: &[Range<usize>]) -> Vec<NearMiss> {
        let mut out = Vec::new();
        let all_lengths = &self.window_lengths;
        if all_lengths.is_empty() {
            return out;
        }
        let exclude = crate::spans::Spans::new(exclude.iter().cloned());
        let mut covered_until = 0;
        let (mut run, mut run_ends): (Vec<char>, Vec<usize>) = (Vec::new(), Vec::new());
        for (start, c) in norm.text.char_indices() {
            if start < covered_until || !crate::text::is_cjk_letter(c) {
                continue;
            }
            let ahead = &norm.text[start..];
            // The first four letters decide whether any window here can be one off a form,
            // before the window's letters are collected (most positions of a text are not).
            let mut four = ahead.chars();
            let first: [Option<char>; 4] =
                std::array::from_fn(|_| four.next().filter(|&c| crate::text::is_cjk_letter(c)));
            let pair = |k: usize| Some((first[k]?, first[k + 1]?));
            let head = pair(0).is_some_and(|p| self.heads.contains(&p));
            let changed = head || pair(2).is_some_and(|p| self.middles.contains(&p));
            let indel = head
                || pair(0).is_some_and(|p| self.skips.contains(&p))
                || first[2].is_some_and(|third| self.heads.contains(&(c, third)));
            if first[3].is_none() || (!changed && !indel) {
                continue;
            }
            // Han letters only: a window never spans punctuation (泄露。报告). The letters and
            // where each ends in `ahead` (windows are prefixes of it, so their text is a slice).
            run.clear();
            run_ends.clear();
            for (i, c) in ahead.char_indices().take(all_lengths[0]) {
                if !crate::text::is_cjk_letter(c) {
                    break;
                }
                run.push(c);
                run_ends.push(i + c.len_utf8());
            }
            let before = norm.text[..start]
                .chars()
                .next_back()
                .filter(|&c| crate::text::is_cjk_letter(c));
            for &len in all_lengths {
                if len > run.len() {
                    continue;
                }
                let text = &run[..len];
                let ends = self.ends.contains(&(text[0], text[len - 1]));
                let maybe = (changed && self.lengths.contains(&len))
                    || (indel && (ends || head) && self.indel_lengths.contains(&len));
                if !maybe {
                    continue;
                }
                let window = &ahead[..run_ends[len - 1]];
                if self.known.contains(window) {
                    continue;
                }
                let norm_end = start + window.len();
                let span = norm.to_original(start..norm_end);
                // A long name may hold a shorter exact match (工党 in 争取工党明主运动); a known
                // form with the next word's first letter (伊恩·拉弗里两位) is no near miss.
                let blocked = if len >= 5 {
                    exclude.crosses(&span)
                        || self.known.contains(&ahead[..run_ends[len - 2]])
                        || self.known.contains(&ahead[run_ends[0]..run_ends[len - 1]])
                } else {
                    exclude.overlaps(&span)
                };
                if blocked {
                    continue;
                }
                let after = norm.text[norm_end..].chars().next();
                // The start of a known form (伊恩·拉弗 of 伊恩·拉弗里) is no near miss.
                if let Some(next) = after
                    && self
                        .known
                        .contains(&ahead[..run_ends[len - 1] + next.len_utf8()])
                {
                    continue;
                }
                let interpunct = original[span.clone()].chars().any(is_interpunct);
                let candidates = self.candidates(text, before, after, interpunct);
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
        let found: Vec<&str> = hits.iter().map(|h| &text[h.span.clone()]).collect();
        assert_eq!(hits.len(), 1, "{found:?}");
        assert_eq!(&text[hits[0].span.clone()], "乔恩·特里克斯");
        assert_eq!(hits[0].candidates[0].1, "乔恩·特里克特");
    }

    #[test]
    fn han_near_misses_of_organisations_one_character_changed_missing_or_extra() {
        let g = csv::from_str(
            "id,kind,en,zh\n\
             bod,org,Board of Deputies of British Jews,英国犹太人代表委员会\n\
             nec,org,National Executive Committee,全国执行委员会\n\
             democrats,org,Democratic Party,民主党\n\
             labour-movement,term,labour movement,劳工运动\n\
             antisemitism,term,antisemitism,反犹太主义\n",
            Path::new("t.csv"),
        )
        .unwrap();
        let idx = FuzzyIndex::new(&g);
        let near = |text: &str| -> Vec<(String, String)> {
            idx.find_han(text, &Normalized::new(text), &[])
                .into_iter()
                .map(|m| (text[m.span].to_string(), m.candidates[0].1.clone()))
                .collect()
        };
        assert_eq!(
            near("英国犹太代表委员会发表声明"),
            [("英国犹太代表委员会".into(), "英国犹太人代表委员会".into())],
            "one missing"
        );
        assert_eq!(
            near("工党全国执行委员员会开会"),
            [("全国执行委员员会".into(), "全国执行委员会".into())],
            "one extra"
        );
        assert_eq!(
            near("全国执行委具会"),
            [("全国执行委具会".into(), "全国执行委员会".into())],
            "one changed"
        );
        assert_eq!(
            near("反犹太注义"),
            [("反犹太注义".into(), "反犹太主义".into())]
        );
        // Real words next to short names and terms are left alone.
        assert!(near("民主派人士和全国委员会").is_empty());
        assert!(
            near("劳工活动").is_empty(),
            "a four-character term is exact only"
        );
        assert!(near("全国执行委员会和英国犹太人代表委员会").is_empty());
        assert!(
            near("英国犹太。代表委员会").is_empty(),
            "never across punctuation"
        );
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
