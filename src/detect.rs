//! Language identification per script run, per segment and per document.
//!
//! The script decides where it can (Han without kana is Chinese, kana is Japanese, Hangul is
//! Korean); trigram detection (`whatlang`) runs only on runs of scripts shared by many languages
//! (Latin, Cyrillic, Arabic, ...) and only when the run is long enough to be reliable. Short runs
//! inherit the document's dominant language for their script, with low confidence.

use std::collections::HashMap;

use unicode_script::{Script as UScript, UnicodeScript};

pub use crate::text::Script;
use whatlang::Lang;

/// Runs with fewer letters than this are not given to trigram detection.
const MIN_TRIGRAM_LETTERS: usize = 24;
/// At most this many bytes of short runs are joined to guess a script's language.
const MAX_JOINED: usize = 4096;
/// Confidence given to a language inferred from the script alone (Han, Hangul, kana).
const SCRIPT_CONFIDENCE: f64 = 0.95;
/// Confidence given to a short run labelled by its script's dominant language.
const FALLBACK_CONFIDENCE: f64 = 0.3;
/// Languages under this share of letters are not listed.
pub const MIN_SHARE: f64 = 0.02;

/// What language identification knows about a script class.
trait ScriptLang {
    /// The whatlang script this class corresponds to, for restricting trigram detection.
    fn whatlang(self) -> Option<whatlang::Script>;
    /// The language assumed for a run of this script when nothing better is known.
    fn default_lang(self) -> &'static str;
}

impl ScriptLang for Script {
    fn whatlang(self) -> Option<whatlang::Script> {
        Some(match self {
            Script::Latin => whatlang::Script::Latin,
            Script::Cyrillic => whatlang::Script::Cyrillic,
            Script::Arabic => whatlang::Script::Arabic,
            Script::Devanagari => whatlang::Script::Devanagari,
            Script::Hebrew => whatlang::Script::Hebrew,
            _ => return None,
        })
    }

    fn default_lang(self) -> &'static str {
        match self {
            Script::Latin => "en",
            Script::Cjk => "zh",
            Script::Hangul => "ko",
            Script::Cyrillic => "ru",
            Script::Arabic => "ar",
            Script::Greek => "el",
            Script::Hebrew => "he",
            Script::Devanagari => "hi",
            Script::Thai => "th",
            Script::Other => "und",
        }
    }
}

/// A maximal stretch of one script inside a segment, from its first letter to its last.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// Byte offset of the first letter in the document text.
    pub start: usize,
    /// Byte offset just past the last letter.
    pub end: usize,
    pub script: Script,
    /// BCP 47 primary subtag.
    pub lang: &'static str,
    pub confidence: f64,
    /// Number of letters (not digits, spaces or punctuation) in the run.
    pub letters: usize,
    /// Whether a CJK run contains kana (so it is Japanese).
    kana: bool,
}

/// A language and its share of the letters.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LangShare {
    pub lang: &'static str,
    pub share: f64,
}

/// The languages of a text: the main one, its confidence, and every language with ≥ 2 % of letters.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Detection {
    pub language: Option<&'static str>,
    pub confidence: f64,
    pub languages: Vec<LangShare>,
}

/// Splits `text[range]` into script runs (languages not yet assigned).
pub fn script_runs(text: &str, range: std::ops::Range<usize>) -> Vec<Run> {
    let mut runs: Vec<Run> = Vec::new();
    let base = range.start;
    for (i, c) in text[range].char_indices() {
        let Some(script) = Script::of(c) else {
            continue;
        };
        let at = base + i;
        let kana = script == Script::Cjk && is_kana(c);
        match runs.last_mut() {
            Some(run) if run.script == script => {
                run.end = at + c.len_utf8();
                run.letters += 1;
                run.kana |= kana;
            }
            _ => runs.push(Run {
                start: at,
                end: at + c.len_utf8(),
                script,
                lang: script.default_lang(),
                confidence: 0.0,
                letters: 1,
                kana,
            }),
        }
    }
    runs
}

/// Assigns a language to each run. `forced` (from `--lang`) overrides the document's main
/// script. Runs of one script that are too short for trigrams get `dominant[script]`.
pub fn label_runs(text: &str, runs: &mut [Run], forced: Option<&'static str>) {
    label(text, runs, forced, Tiers::Quick);
}

/// [`label_runs`] with every long run given to the full trigram detector: the reference the
/// tiered language ID is measured against (`examples/langid_accuracy`, the tests).
pub fn label_runs_exhaustive(text: &str, runs: &mut [Run], forced: Option<&'static str>) {
    label(text, runs, forced, Tiers::FullOnly);
}

/// Whether the quick detector may settle a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tiers {
    Quick,
    FullOnly,
}

fn label(text: &str, runs: &mut [Run], forced: Option<&'static str>, tiers: Tiers) {
    let japanese = runs.iter().any(|r| r.script == Script::Cjk && r.kana);
    let mut labeller = Labeller::new(japanese, tiers);
    labeller.long_runs(text, runs);
    labeller.dominant(forced).settle(runs);
}

/// Whether a character makes a CJK run Japanese: kana, not a Han ideograph.
fn is_kana(c: char) -> bool {
    !('\u{4E00}'..='\u{9FFF}').contains(&c)
        && (matches!(c.script(), UScript::Hiragana | UScript::Katakana) || c == 'ー')
}

/// Whether `text` has kana anywhere, which makes all its Han runs Japanese.
pub fn has_kana(text: &str) -> bool {
    text.chars()
        .any(|c| Script::of(c) == Some(Script::Cjk) && is_kana(c))
}

/// Language labelling of a document's runs in two steps, so that a document checked in pieces
/// labels every run as the whole document would: [`Labeller::long_runs`] labels the runs the
/// script or trigrams decide, piece after piece, and gathers what the document shows;
/// [`Labeller::dominant`] then says what every other run of a script is.
#[derive(Debug, Clone)]
pub struct Labeller {
    japanese: bool,
    tiers: Tiers,
    survey: Survey,
    /// Letters per language found by trigrams, per script.
    votes: HashMap<Script, HashMap<&'static str, usize>>,
    /// Letters per script.
    letters: HashMap<Script, usize>,
    /// Per script, the runs left unlabelled so far, joined, up to [`MAX_JOINED`] bytes.
    joined: HashMap<Script, String>,
    /// Letters per language of the runs labelled so far, and per script of the others.
    labelled: Vec<(&'static str, usize)>,
    unlabelled: HashMap<Script, usize>,
}

impl Labeller {
    /// A labeller for a document; `japanese` when the document has kana ([`has_kana`]).
    pub fn new(japanese: bool, tiers: Tiers) -> Labeller {
        Labeller {
            japanese,
            tiers,
            survey: Survey::default(),
            votes: HashMap::new(),
            letters: HashMap::new(),
            joined: HashMap::new(),
            labelled: Vec::new(),
            unlabelled: HashMap::new(),
        }
    }

    /// Labels the runs the script decides (Han, Hangul, ...) and the long runs trigrams
    /// decide, in order; the rest keep confidence 0 until [`Dominant::settle`].
    pub fn long_runs(&mut self, text: &str, runs: &mut [Run]) {
        for run in runs.iter_mut() {
            match run.script {
                Script::Cjk => {
                    run.lang = if run.kana || self.japanese {
                        "ja"
                    } else {
                        "zh"
                    };
                    run.confidence = SCRIPT_CONFIDENCE;
                }
                Script::Hangul | Script::Greek | Script::Thai => {
                    run.confidence = SCRIPT_CONFIDENCE;
                }
                script => {
                    if run.letters >= MIN_TRIGRAM_LETTERS
                        && let Some((lang, conf)) = identify(
                            &text[run.start..run.end],
                            script,
                            &mut self.survey,
                            self.tiers,
                        )
                    {
                        run.lang = lang;
                        run.confidence = conf;
                        *self
                            .votes
                            .entry(script)
                            .or_default()
                            .entry(lang)
                            .or_default() += run.letters;
                    }
                }
            }
            *self.letters.entry(run.script).or_default() += run.letters;
            if run.confidence == 0.0 {
                *self.unlabelled.entry(run.script).or_default() += run.letters;
                if run.script.whatlang().is_some() {
                    let joined = self.joined.entry(run.script).or_default();
                    if joined.len() <= MAX_JOINED {
                        joined.push_str(&text[run.start..run.end]);
                        joined.push(' ');
                    }
                }
            } else {
                match self.labelled.iter_mut().find(|(l, _)| *l == run.lang) {
                    Some(entry) => entry.1 += run.letters,
                    None => self.labelled.push((run.lang, run.letters)),
                }
            }
        }
    }

    /// Whether the runs seen so far have letters of `script`.
    pub fn has(&self, script: Script) -> bool {
        self.letters.get(&script).is_some_and(|&n| n > 0)
    }

    /// What the runs left unlabelled are, once every run of the document went through
    /// [`Labeller::long_runs`]: each script's dominant language by letters. The main script
    /// with only short runs is guessed from them joined; a minority script (English names in a
    /// Chinese text) is mostly names and acronyms, which trigrams misread, so it keeps its
    /// script's default.
    pub fn dominant(&self, forced: Option<&'static str>) -> Dominant {
        let mut dominant: HashMap<Script, (&'static str, f64)> = HashMap::new();
        for (script, langs) in &self.votes {
            if let Some((lang, _)) = langs.iter().max_by_key(|&(l, n)| (*n, *l)) {
                dominant.insert(*script, (lang, FALLBACK_CONFIDENCE));
            }
        }
        let main_script = self
            .letters
            .iter()
            .max_by_key(|&(s, n)| (*n, *s))
            .map(|(s, _)| *s);
        if let Some(script) = main_script
            && !dominant.contains_key(&script)
            && let Some(joined) = self.joined.get(&script)
            && joined.len() >= MIN_TRIGRAM_LETTERS
            && let Some((lang, _)) = trigram(joined, script)
        {
            dominant.insert(script, (lang, FALLBACK_CONFIDENCE));
        }
        Dominant { dominant, forced }
    }

    /// The document's main language by letters, once every run went through
    /// [`Labeller::long_runs`] and `dominant` was found: what [`summarize`] says of the
    /// settled runs, without them.
    pub fn main_language(&self, dominant: &Dominant) -> Option<&'static str> {
        if dominant.forced.is_some() {
            return dominant.forced;
        }
        let mut letters = self.labelled.clone();
        let mut scripts: Vec<(&Script, &usize)> = self.unlabelled.iter().collect();
        scripts.sort();
        for (script, n) in scripts {
            let lang = dominant.lang(*script);
            match letters.iter_mut().find(|(l, _)| *l == lang) {
                Some(entry) => entry.1 += n,
                None => letters.push((lang, *n)),
            }
        }
        letters
            .iter()
            .filter(|(_, n)| *n > 0)
            .min_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)))
            .map(|(l, _)| *l)
    }
}

/// Each script's dominant language in a document: what its runs too short (or too unsure)
/// for trigrams are taken to be.
#[derive(Debug, Clone)]
pub struct Dominant {
    dominant: HashMap<Script, (&'static str, f64)>,
    forced: Option<&'static str>,
}

impl Dominant {
    /// The language and confidence an unlabelled run of `script` gets, `--lang` aside.
    fn fallback(&self, script: Script) -> (&'static str, f64) {
        self.dominant
            .get(&script)
            .copied()
            .unwrap_or((script.default_lang(), FALLBACK_CONFIDENCE))
    }

    /// The forced language (`--lang`), when it is written in `script`.
    fn forced_for(&self, script: Script) -> Option<&'static str> {
        self.forced.filter(|&f| lang_script(f) == Some(script))
    }

    /// The language an unlabelled run of `script` ends with.
    fn lang(&self, script: Script) -> &'static str {
        self.forced_for(script)
            .unwrap_or_else(|| self.fallback(script).0)
    }

    /// Gives every run [`Labeller::long_runs`] left unlabelled its script's dominant
    /// language, and every run of the forced language's script that language.
    pub fn settle(&self, runs: &mut [Run]) {
        for run in runs.iter_mut() {
            if run.confidence == 0.0 {
                (run.lang, run.confidence) = self.fallback(run.script);
            }
            if let Some(forced) = self.forced_for(run.script) {
                (run.lang, run.confidence) = (forced, 1.0);
            }
        }
    }
}

/// The script a forced language is written in, when we know it.
fn lang_script(lang: &str) -> Option<Script> {
    Some(match lang {
        "zh" | "ja" => Script::Cjk,
        "ko" => Script::Hangul,
        "ru" | "uk" | "be" | "bg" | "sr" | "mk" => Script::Cyrillic,
        "ar" | "fa" | "ur" => Script::Arabic,
        "el" => Script::Greek,
        "he" | "yi" => Script::Hebrew,
        "hi" | "mr" | "ne" => Script::Devanagari,
        "th" => Script::Thai,
        _ if lang.len() <= 3 && lang.bytes().all(|b| b.is_ascii_lowercase()) => Script::Latin,
        _ => return None,
    })
}

/// Reliable full-detector results a language needs in a document (per script) before the quick
/// detector may settle a run in it on its own.
const CONFIRMATIONS: u32 = 2;
/// Confidence given to a run the quick detector placed in a language the document has confirmed.
const AGREED_CONFIDENCE: f64 = 0.9;

/// What a document has shown so far about its languages: for each script, the languages the full
/// detector found reliably and how often. It is what lets the quick detector settle a run.
#[derive(Debug, Clone, Default)]
struct Survey {
    found: Vec<(Script, &'static str, u32)>,
}

impl Survey {
    /// Whether the full detector has found `lang` in `script` often enough to be expected.
    fn expects(&self, script: Script, lang: &str) -> bool {
        self.found
            .iter()
            .any(|&(s, l, n)| s == script && l == lang && n >= CONFIRMATIONS)
    }

    /// Whether any language is expected in `script` yet (else the quick detector is not asked).
    fn expects_any(&self, script: Script) -> bool {
        self.found
            .iter()
            .any(|&(s, _, n)| s == script && n >= CONFIRMATIONS)
    }

    fn confirm(&mut self, script: Script, lang: &'static str) {
        match self
            .found
            .iter_mut()
            .find(|(s, l, _)| *s == script && *l == lang)
        {
            Some(entry) => entry.2 += 1,
            None => self.found.push((script, lang, 1)),
        }
    }
}

/// Language ID of one long run in tiers. The quick detector (`whichlang`, 16 languages, ~2 µs)
/// settles the run when it names a language the document has already confirmed in this script;
/// otherwise (a language it does not know, a second language, the document's first runs) the
/// full trigram detector decides, and its reliable answers are what the document confirms.
fn identify(
    text: &str,
    script: Script,
    survey: &mut Survey,
    tiers: Tiers,
) -> Option<(&'static str, f64)> {
    if tiers == Tiers::Quick
        && survey.expects_any(script)
        && let Some(lang) = quick(text)
        && survey.expects(script, lang)
    {
        return Some((lang, AGREED_CONFIDENCE));
    }
    let info = detector(script.whatlang()?).detect(text)?;
    let lang = crate::lang::from_whatlang(info.lang());
    if info.is_reliable() {
        survey.confirm(script, lang);
    }
    guard(lang, &info)
}

/// The quick detector's language, as a BCP 47 primary subtag.
fn quick(text: &str) -> Option<&'static str> {
    let lang = whichlang::detect_language(text);
    Lang::from_code(lang.three_letter_code()).map(crate::lang::from_whatlang)
}

/// An unreliable guess on a mid-length run is no better than the script's default.
fn guard(lang: &'static str, info: &whatlang::Info) -> Option<(&'static str, f64)> {
    if !info.is_reliable() && info.confidence() < 0.5 {
        return None;
    }
    Some((lang, info.confidence()))
}

/// Trigram detection restricted to the languages written in `script`, unguarded: for text
/// joined from many short runs, where any guess beats the script's default.
fn trigram(text: &str, script: Script) -> Option<(&'static str, f64)> {
    let info = detector(script.whatlang()?).detect(text)?;
    Some((crate::lang::from_whatlang(info.lang()), info.confidence()))
}

/// The detector restricted to the languages written in `script`, built once per script.
fn detector(script: whatlang::Script) -> &'static whatlang::Detector {
    use std::sync::OnceLock;
    use whatlang::Script as W;
    const SCRIPTS: [W; 5] = [W::Latin, W::Cyrillic, W::Arabic, W::Devanagari, W::Hebrew];
    static DETECTORS: OnceLock<Vec<whatlang::Detector>> = OnceLock::new();
    let all = DETECTORS.get_or_init(|| {
        SCRIPTS
            .iter()
            .map(|&s| {
                let allow: Vec<Lang> = Lang::all()
                    .iter()
                    .copied()
                    .filter(|&l| lang_whatlang_script(l) == Some(s))
                    .collect();
                whatlang::Detector::with_allowlist(allow)
            })
            .collect()
    });
    let i = SCRIPTS.iter().position(|&s| s == script).unwrap_or(0);
    &all[i]
}

/// The script whatlang detects a language in.
fn lang_whatlang_script(lang: Lang) -> Option<whatlang::Script> {
    use whatlang::Script as W;
    Some(match lang {
        Lang::Rus | Lang::Ukr | Lang::Bel | Lang::Bul | Lang::Srp | Lang::Mkd => W::Cyrillic,
        Lang::Ara | Lang::Pes | Lang::Urd => W::Arabic,
        Lang::Hin | Lang::Mar | Lang::Nep => W::Devanagari,
        Lang::Heb | Lang::Yid => W::Hebrew,
        Lang::Epo
        | Lang::Eng
        | Lang::Spa
        | Lang::Por
        | Lang::Ita
        | Lang::Fra
        | Lang::Deu
        | Lang::Pol
        | Lang::Jav
        | Lang::Nob
        | Lang::Dan
        | Lang::Swe
        | Lang::Fin
        | Lang::Tur
        | Lang::Nld
        | Lang::Hun
        | Lang::Ces
        | Lang::Ron
        | Lang::Slv
        | Lang::Hrv
        | Lang::Lit
        | Lang::Lav
        | Lang::Est
        | Lang::Vie
        | Lang::Uzb
        | Lang::Aze
        | Lang::Ind
        | Lang::Tuk
        | Lang::Aka
        | Lang::Zul
        | Lang::Sna
        | Lang::Afr
        | Lang::Lat
        | Lang::Slk
        | Lang::Cat
        | Lang::Tgl
        | Lang::Cym => W::Latin,
        _ => return None,
    })
}

impl Detection {
    /// The detection with `--lang`'s language, when given, as the main one, certain.
    pub fn forced(mut self, forced: Option<&'static str>) -> Detection {
        if let Some(lang) = forced {
            self.language = Some(lang);
            self.confidence = 1.0;
        }
        self
    }
}

/// Aggregates labelled runs into shares of letters per language.
pub fn summarize<'a>(runs: impl IntoIterator<Item = &'a Run>) -> Detection {
    let mut tally = LangTally::default();
    for run in runs {
        tally.add(run);
    }
    tally.detection()
}

/// Letters per language of labelled runs, added one run at a time ([`summarize`] of a
/// document checked in pieces).
#[derive(Debug, Clone, Default)]
pub struct LangTally {
    /// `(language, letters, letters weighted by confidence)`, in order of first appearance.
    letters: Vec<(&'static str, usize, f64)>,
    total: usize,
}

impl LangTally {
    pub fn add(&mut self, run: &Run) {
        self.total += run.letters;
        let weight = run.letters as f64 * run.confidence;
        match self.letters.iter_mut().find(|(l, _, _)| *l == run.lang) {
            Some(entry) => {
                entry.1 += run.letters;
                entry.2 += weight;
            }
            None => self.letters.push((run.lang, run.letters, weight)),
        }
    }

    /// The languages of the runs added, the main one first.
    pub fn detection(mut self) -> Detection {
        if self.total == 0 {
            return Detection::default();
        }
        let total = self.total;
        let letters = &mut self.letters;
        letters.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let languages: Vec<LangShare> = letters
            .iter()
            .map(|&(lang, n, _)| LangShare {
                lang,
                share: round3(n as f64 / total as f64),
            })
            .filter(|s| s.share >= MIN_SHARE)
            .collect();
        let (lang, n, weight) = letters[0];
        Detection {
            language: Some(lang),
            confidence: round3(weight / n as f64),
            languages,
        }
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detect(text: &str) -> (Vec<Run>, Detection) {
        let mut runs = script_runs(text, 0..text.len());
        label_runs(text, &mut runs, None);
        let d = summarize(&runs);
        (runs, d)
    }

    #[test]
    fn english_run_inside_chinese_sentence_is_located() {
        let text = "It shows that 一些工党的最高级雇员的不齿其当选的领导人。";
        let (runs, d) = detect(text);
        assert_eq!(runs.len(), 2);
        assert_eq!(&text[runs[0].start..runs[0].end], "It shows that");
        assert_eq!((runs[0].script, runs[0].lang), (Script::Latin, "en"));
        assert!(runs[0].confidence < 0.5, "short run must be low confidence");
        assert_eq!((runs[1].script, runs[1].lang), (Script::Cjk, "zh"));
        assert_eq!(d.language, Some("zh"));
        assert!(d.languages.iter().any(|s| s.lang == "en" && s.share > 0.0));
    }

    #[test]
    fn kana_makes_han_japanese() {
        let (_, d) = detect("東京都の労働組合は、新しい選挙制度について議論した。");
        assert_eq!(d.language, Some("ja"));
        // A kanji-only run in a segment with kana is Japanese too.
        let (runs, _) = detect("東京都議会 では 選挙が行われた");
        assert!(runs.iter().all(|r| r.lang == "ja"));
    }

    #[test]
    fn long_latin_runs_use_trigrams() {
        let (_, d) = detect(
            "Le comité exécutif national du parti travailliste a adopté une nouvelle règle électorale.",
        );
        assert_eq!(d.language, Some("fr"));
        let (_, d) = detect(
            "Der Parteivorstand hat heute beschlossen, die Wahlordnung grundlegend zu ändern.",
        );
        assert_eq!(d.language, Some("de"));
        let (_, d) =
            detect("Национальный исполнительный комитет партии принял новое решение о выборах.");
        assert_eq!(d.language, Some("ru"));
    }

    #[test]
    fn short_runs_inherit_the_dominant_language_of_their_script() {
        let text =
            "Der Parteivorstand hat heute beschlossen, die Wahlordnung zu ändern. 工党 Labour";
        let (runs, _) = detect(text);
        let last = runs.last().unwrap();
        assert_eq!(&text[last.start..last.end], "Labour");
        assert_eq!((last.lang, last.confidence), ("de", FALLBACK_CONFIDENCE));
    }

    #[test]
    fn forced_language_overrides_its_script_only() {
        let text = "Labour 工党";
        let mut runs = script_runs(text, 0..text.len());
        label_runs(text, &mut runs, Some("ja"));
        assert_eq!((runs[0].lang, runs[1].lang), ("en", "ja"));
    }

    #[test]
    fn the_ideograph_short_path_agrees_with_the_tables() {
        for c in '\u{4E00}'..='\u{9FFF}' {
            assert!(c.is_alphabetic() && c.script() == UScript::Han, "{c:?}");
        }
    }

    /// Script runs segment by segment, as the analysis makes them.
    fn runs_by_segment(text: &str) -> Vec<Run> {
        crate::segment::segments(text)
            .into_iter()
            .flat_map(|seg| script_runs(text, seg.span))
            .collect()
    }

    /// The labelled set's sentences by language, in file order.
    fn labelled() -> Vec<(&'static str, Vec<&'static str>)> {
        let mut out: Vec<(&'static str, Vec<&'static str>)> = Vec::new();
        for line in include_str!("../benches/data/langid.tsv").lines().skip(1) {
            let (lang, text) = line.split_once('\t').unwrap();
            match out.last_mut() {
                Some((l, v)) if *l == lang => v.push(text),
                _ => out.push((lang, vec![text])),
            }
        }
        out
    }

    /// Labels `sentences` (one paragraph each) as one document both ways: for each long run,
    /// its sentence's label, then the tiered and the full detector's run.
    fn both_ways(sentences: &[(&'static str, &str)]) -> Vec<(&'static str, Run, Run)> {
        let mut text = String::new();
        let mut labels = Vec::new();
        for (lang, s) in sentences {
            labels.push((text.len(), *lang));
            text.push_str(s);
            text.push_str("\n\n");
        }
        let mut tiered = runs_by_segment(&text);
        let mut full = tiered.clone();
        label_runs(&text, &mut tiered, None);
        label_runs_exhaustive(&text, &mut full, None);
        tiered
            .iter()
            .zip(&full)
            .filter(|(t, _)| t.letters >= MIN_TRIGRAM_LETTERS && t.script != Script::Cjk)
            .map(|(t, f)| {
                let label = labels
                    .iter()
                    .rev()
                    .find(|(at, _)| *at <= t.start)
                    .unwrap()
                    .1;
                (label, t.clone(), f.clone())
            })
            .collect()
    }

    #[test]
    fn tiered_language_id_agrees_with_the_full_detector_where_it_is_confident() {
        let set = labelled();
        let mut documents: Vec<Vec<(&'static str, &str)>> = Vec::new();
        // One-language documents, and documents of one language whose every third sentence
        // is in another (the second language must still be found).
        for (a, first) in &set {
            documents.push(first.iter().map(|s| (*a, *s)).collect());
            for (b, second) in set.iter().filter(|(b, _)| b != a) {
                let mut doc = Vec::new();
                for k in 0..8 {
                    doc.push((*a, first[2 * k]));
                    doc.push((*a, first[2 * k + 1]));
                    doc.push((*b, second[k + 20]));
                }
                documents.push(doc);
            }
        }
        let (mut compared, mut settled, mut differ) = (0, 0, 0);
        for doc in &documents {
            for (label, tiered, full) in both_ways(doc) {
                if full.confidence < 0.5 {
                    continue;
                }
                compared += 1;
                settled += usize::from(tiered.confidence == AGREED_CONFIDENCE);
                if tiered.lang != full.lang {
                    // Where they differ on a run the full detector is sure of, the tiers must
                    // be the ones that are right.
                    assert_eq!(tiered.lang, label, "full: {full:?}, tiered: {tiered:?}");
                    differ += 1;
                }
            }
        }
        // The comparison is not empty: most confident runs were settled by the quick tier.
        assert!(compared > 1000, "{compared}");
        assert!(settled * 2 > compared, "{settled} of {compared}");
        assert!(differ * 100 < compared, "{differ} of {compared}");
    }

    #[test]
    fn the_quick_tier_settles_runs_only_in_languages_the_document_confirmed() {
        let set = labelled();
        let english = &set.iter().find(|(l, _)| *l == "en").unwrap().1;
        let french = &set.iter().find(|(l, _)| *l == "fr").unwrap().1;
        let mut doc: Vec<(&str, &str)> = english[..10].iter().map(|s| ("en", *s)).collect();
        doc.push(("fr", french[4]));
        let text: String = doc.iter().map(|(_, s)| format!("{s}\n\n")).collect();
        let mut runs = runs_by_segment(&text);
        label_runs(&text, &mut runs, None);
        let long: Vec<&Run> = runs
            .iter()
            .filter(|r| r.letters >= MIN_TRIGRAM_LETTERS)
            .collect();
        // The first English runs go to the full detector; once two are confirmed, the quick
        // detector settles the rest; the French sentence is not settled as English.
        assert!(
            long[..2]
                .iter()
                .all(|r| r.lang == "en" && r.confidence != AGREED_CONFIDENCE)
        );
        assert!(
            long[2..long.len() - 1]
                .iter()
                .any(|r| r.confidence == AGREED_CONFIDENCE)
        );
        assert_eq!(long.last().unwrap().lang, "fr");
    }

    #[test]
    fn shares_ignore_digits_and_punctuation() {
        let (_, d) = detect("2020年4月13日, 12345 !!!");
        assert_eq!(d.language, Some("zh"));
        assert_eq!(
            d.languages,
            vec![LangShare {
                lang: "zh",
                share: 1.0
            }]
        );
        assert_eq!(summarize(&[]).language, None);
    }
}
