//! Simplified and Traditional Chinese: which script a text is written in, a character-level
//! fold of Traditional onto Simplified that keeps a text's length (so matching runs on one form
//! and offsets map one to one), and conversion of a glossary form into the script (and region)
//! of the text it is written into.
//!
//! The tables are OpenCC's (Apache-2.0), bundled by `ferrous-opencc`; nothing is read at run
//! time. They are built on first use: a document with no Han character never pays for them.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;

use crate::text::is_cjk_letter;

/// A Chinese script.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Script {
    /// Simplified.
    Hans,
    /// Traditional.
    Hant,
}

impl Script {
    /// The ISO 15924 code (`Hans`, `Hant`).
    pub fn code(self) -> &'static str {
        match self {
            Script::Hans => "Hans",
            Script::Hant => "Hant",
        }
    }
}

/// Where a Traditional text is written, when its characters show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Region {
    Taiwan,
    HongKong,
}

impl Region {
    /// The region subtag (`TW`, `HK`).
    pub fn code(self) -> &'static str {
        match self {
            Region::Taiwan => "TW",
            Region::HongKong => "HK",
        }
    }
}

/// The script and region a translation target asks for, when it is Traditional Chinese
/// (`zh-Hant`, `zh-TW`, `zh-HK`, as [`crate::lang::parse_target`] writes them).
pub fn target(tag: &str) -> Option<(Script, Option<Region>)> {
    match tag {
        "zh-Hant" => Some((Script::Hant, None)),
        "zh-TW" => Some((Script::Hant, Some(Region::Taiwan))),
        "zh-HK" => Some((Script::Hant, Some(Region::HongKong))),
        _ => None,
    }
}

/// A glossary form for a translation into `target`: written in its script when it is
/// Traditional Chinese.
pub fn for_target(form: &str, to: &str) -> String {
    match target(to) {
        Some((script, region)) => convert(form, script, region),
        None => form.to_string(),
    }
}

/// The script shares of a text: how many of its Han characters only Simplified or only
/// Traditional writes (characters both write, such as 的 or 人, count for neither).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Shares {
    pub hans: usize,
    pub hant: usize,
}

impl Shares {
    /// Counts the characters of `text`.
    pub fn of(text: &str) -> Shares {
        let mut s = Shares::default();
        for c in text.chars().filter(|&c| is_cjk_letter(c)) {
            s.add(c);
        }
        s
    }

    fn add(&mut self, c: char) {
        match telling(c) {
            Some(Script::Hant) => self.hant += 1,
            Some(Script::Hans) => self.hans += 1,
            None => {}
        }
    }

    /// The script most of the telling characters are written in (`None` with none).
    pub fn script(self) -> Option<Script> {
        match (self.hans, self.hant) {
            (0, 0) => None,
            (s, t) if t > s => Some(Script::Hant),
            _ => Some(Script::Hans),
        }
    }

    /// The share of the telling characters in `script` (0 when there are none).
    pub fn share(self, script: Script) -> f64 {
        let total = self.hans + self.hant;
        if total == 0 {
            return 0.0;
        }
        let n = match script {
            Script::Hans => self.hans,
            Script::Hant => self.hant,
        };
        n as f64 / total as f64
    }
}

/// The first and last code points the tables cover: CJK Extension A and the Unified
/// Ideographs, every character either script writes commonly.
const FIRST: u32 = 0x3400;
const LAST: u32 = 0x9FFF;

/// A character's index in the dense tables.
fn index(c: char) -> Option<usize> {
    let c = c as u32;
    (FIRST..=LAST).contains(&c).then(|| (c - FIRST) as usize)
}

/// The script a character belongs to when only one script writes it (`None` for characters
/// both write, such as 的, and for anything not Han).
pub fn telling(c: char) -> Option<Script> {
    let i = index(c)?;
    match tables().telling[i] {
        HANT => Some(Script::Hant),
        HANS => Some(Script::Hans),
        _ => None,
    }
}

/// Values of [`Tables::telling`].
const NEITHER: u8 = 0;
const HANS: u8 = 1;
const HANT: u8 = 2;

/// The Simplified form of a Traditional character; any other character unchanged. One
/// character for one, so a folded copy of a text keeps its offsets (both forms of a BMP Han
/// character are three bytes in UTF-8; the rare pair that differs in length is left alone).
pub fn fold(c: char) -> char {
    match index(c) {
        Some(i) => tables().folded[i],
        None => c,
    }
}

/// `text` written in `script` (and `region`, for Traditional), phrase by phrase as OpenCC
/// converts: 保守党 -> 保守黨, 反犹太主义 -> 反猶太主義. A text with no character only the other
/// script writes comes back as it is.
pub fn convert(text: &str, script: Script, region: Option<Region>) -> String {
    let other = match script {
        Script::Hans => Script::Hant,
        Script::Hant => Script::Hans,
    };
    // Nothing the other script alone writes: nothing to convert (and no dictionary walk, which
    // costs far more than this scan).
    if !text.chars().any(|c| telling(c) == Some(other)) {
        return text.to_string();
    }
    let t = tables();
    let converter = match (script, region) {
        (Script::Hans, _) => &t.t2s,
        (Script::Hant, None) => &t.s2t,
        (Script::Hant, Some(Region::Taiwan)) => &t.s2tw,
        (Script::Hant, Some(Region::HongKong)) => &t.s2hk,
    };
    match converter {
        Some(c) => c.convert(text),
        None => text.to_string(),
    }
}

/// The region a Traditional text's characters show: the variants Taiwan and Hong Kong
/// standards write differently (台/臺 aside: both write 台), counted one against the other.
pub fn region(text: &str) -> Option<Region> {
    let t = tables();
    let (mut tw, mut hk) = (0usize, 0usize);
    for c in text.chars().filter(|&c| is_cjk_letter(c)) {
        tw += usize::from(t.taiwan.contains(&c));
        hk += usize::from(t.hong_kong.contains(&c));
    }
    match (tw, hk) {
        (tw, hk) if tw > hk && tw >= 2 => Some(Region::Taiwan),
        (tw, hk) if hk > tw && hk >= 2 => Some(Region::HongKong),
        _ => None,
    }
}

/// The converters and character tables, built once.
struct Tables {
    t2s: Option<OpenCC>,
    s2t: Option<OpenCC>,
    s2tw: Option<OpenCC>,
    s2hk: Option<OpenCC>,
    /// Per character from [`FIRST`]: its Simplified form (itself unless it is Traditional).
    folded: Vec<char>,
    /// Per character from [`FIRST`]: [`HANS`], [`HANT`] or [`NEITHER`].
    telling: Vec<u8>,
    /// Characters the Taiwan standard writes where general OpenCC Traditional does not.
    taiwan: HashSet<char>,
    /// The same for Hong Kong.
    hong_kong: HashSet<char>,
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(build)
}

/// Converts every CJK character on a line of its own (so no phrase spans two) and pairs each
/// with what came back, when one character came back for one.
fn char_map(converter: Option<&OpenCC>, chars: &[char]) -> HashMap<char, char> {
    let mut map = HashMap::new();
    let Some(converter) = converter else {
        return map;
    };
    let mut input = String::with_capacity(chars.len() * 4);
    for &c in chars {
        input.push(c);
        input.push('\n');
    }
    let output = converter.convert(&input);
    let lines: Vec<&str> = output.split('\n').collect();
    if lines.len() < chars.len() {
        return map;
    }
    for (&c, line) in chars.iter().zip(lines) {
        let mut it = line.chars();
        if let (Some(to), None) = (it.next(), it.next())
            && to != c
        {
            map.insert(c, to);
        }
    }
    map
}

fn build() -> Tables {
    let open = |config| OpenCC::from_config(config).ok();
    let (t2s, s2t) = (open(BuiltinConfig::T2s), open(BuiltinConfig::S2t));
    let (s2tw, s2hk) = (open(BuiltinConfig::S2tw), open(BuiltinConfig::S2hk));
    let (t2tw, t2hk) = (open(BuiltinConfig::T2tw), open(BuiltinConfig::T2hk));
    // The CJK Unified Ideographs and Extension A: every character either script writes
    // commonly.
    let chars: Vec<char> = (FIRST..=LAST).filter_map(char::from_u32).collect();
    let to_simplified = char_map(t2s.as_ref(), &chars);
    let to_traditional = char_map(s2t.as_ref(), &chars);
    let taiwan: HashSet<char> = char_map(t2tw.as_ref(), &chars).into_values().collect();
    let hong_kong: HashSet<char> = char_map(t2hk.as_ref(), &chars).into_values().collect();
    // A character that is some character's Traditional form is Traditional, whatever OpenCC
    // would make of it, and so is one the Taiwan or Hong Kong standard writes: 台 stays
    // neutral.
    let traditional: HashSet<char> = to_traditional.values().copied().collect();
    let mut folded: Vec<char> = (FIRST..=LAST)
        .map(|c| char::from_u32(c).unwrap_or(' '))
        .collect();
    let mut telling = vec![NEITHER; folded.len()];
    for (&c, &s) in &to_simplified {
        if let Some(i) = index(c) {
            // Traditional-only when converting back gives it again (國 -> 国 -> 國); 著 -> 着
            // -> 着 is a character Simplified writes too (著名), so it tells nothing.
            if to_traditional.get(&s) == Some(&c) {
                telling[i] = HANT;
            }
            // One character for one byte length, so a folded copy keeps every offset.
            if s.len_utf8() == c.len_utf8() {
                folded[i] = s;
            }
        }
    }
    for c in to_traditional.keys() {
        let simplified_only = !to_simplified.contains_key(c)
            && !traditional.contains(c)
            && !taiwan.contains(c)
            && !hong_kong.contains(c);
        if let (true, Some(i)) = (simplified_only, index(*c)) {
            telling[i] = HANS;
        }
    }
    Tables {
        t2s,
        s2t,
        s2tw,
        s2hk,
        folded,
        telling,
        taiwan,
        hong_kong,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traditional_folds_onto_simplified_one_character_for_one() {
        let folded: String = "勞動派對和保守黨".chars().map(fold).collect();
        assert_eq!(folded, "劳动派对和保守党");
        assert_eq!("勞動派對".len(), folded[..12].len());
        let same: String = "工党 the Labour Party 的".chars().map(fold).collect();
        assert_eq!(same, "工党 the Labour Party 的");
    }

    #[test]
    fn the_script_is_what_the_telling_characters_say() {
        let hant = Shares::of("我們是工黨的全國競選協調員，反對保守黨政府。");
        assert_eq!(hant.script(), Some(Script::Hant));
        assert!(hant.share(Script::Hant) > 0.9);
        let hans = Shares::of("我们是工党的全国竞选协调员，反对保守党政府。");
        assert_eq!(hans.script(), Some(Script::Hans));
        assert_eq!(
            Shares::of("的人大小").script(),
            None,
            "shared characters tell nothing"
        );
        let mixed = Shares::of("我們是工党的全国竞选協調員");
        assert!(mixed.hans > 0 && mixed.hant > 0);
        // 台 is written in Taiwan every day: not a Simplified character in a Traditional text.
        assert_eq!(Shares::of("台灣").script(), Some(Script::Hant));
    }

    #[test]
    fn forms_are_written_in_the_text_s_script() {
        assert_eq!(convert("保守党", Script::Hant, None), "保守黨");
        assert_eq!(convert("反犹太主义", Script::Hant, None), "反猶太主義");
        assert_eq!(
            convert("全国执行委员会", Script::Hant, None),
            "全國執行委員會"
        );
        assert_eq!(convert("勞動派對", Script::Hans, None), "劳动派对");
        assert_eq!(convert("Ian Lavery", Script::Hant, None), "Ian Lavery");
    }
}
