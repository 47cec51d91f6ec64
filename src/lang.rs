//! Language tags, parsed in one place: the `--lang`/`--to`/`--from` options, glossary column
//! headers and the `NAME.zh.txt` convention of file names all go through [`parse`], and every
//! output carries the lower-cased primary subtag (`zh-Hant-TW` -> `zh`).

use std::collections::HashSet;
use std::fmt;
use std::sync::{Mutex, OnceLock};

use whatlang::Lang;

/// A BCP 47 tag, as far as transmend uses one: language, optional script and region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LanguageTag {
    /// Primary subtag, lower case: `zh`.
    pub language: String,
    /// Script subtag, title case: `Hant`.
    pub script: Option<String>,
    /// Region subtag, upper case (or three digits): `TW`.
    pub region: Option<String>,
}

/// Why a text is not a language tag.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{tag}' is not a BCP 47 language code such as en, zh or zh-Hant")]
pub struct TagError {
    /// The text as given.
    pub tag: String,
}

/// Parses a tag: a primary subtag of 2 or 3 ASCII letters, then subtags of 1 to 8 ASCII
/// letters or digits, separated by `-` or `_` (`zh_CN` is how many tools write `zh-CN`).
pub fn parse(tag: &str) -> Result<LanguageTag, TagError> {
    let bad = || TagError {
        tag: tag.to_string(),
    };
    let mut parts = tag.trim().split(['-', '_']);
    let primary = parts.next().ok_or_else(bad)?;
    if !(2..=3).contains(&primary.len()) || !primary.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(bad());
    }
    let mut out = LanguageTag {
        language: primary.to_ascii_lowercase(),
        script: None,
        region: None,
    };
    for (i, part) in parts.enumerate() {
        if part.is_empty() || part.len() > 8 || !part.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(bad());
        }
        let letters = part.bytes().all(|b| b.is_ascii_alphabetic());
        if i == 0 && part.len() == 4 && letters {
            let mut script = part.to_ascii_lowercase();
            script[..1].make_ascii_uppercase();
            out.script = Some(script);
        } else if out.region.is_none()
            && ((part.len() == 2 && letters)
                || (part.len() == 3 && part.bytes().all(|b| b.is_ascii_digit())))
        {
            out.region = Some(part.to_ascii_uppercase());
        }
    }
    Ok(out)
}

/// A translation target as transmend keeps it: the primary subtag, except Traditional Chinese,
/// which keeps what tells it apart (`zh-Hant`, `zh-TW`, `zh-HK`; `zh-MO` counts as `zh-HK`;
/// `zh-Hans`, `zh-CN` are `zh`).
pub fn parse_target(tag: &str) -> Result<String, TagError> {
    let t = parse(tag)?;
    if t.language != "zh" {
        return Ok(t.language);
    }
    Ok(match (t.script.as_deref(), t.region.as_deref()) {
        (_, Some("TW")) => "zh-TW".to_string(),
        (_, Some("HK" | "MO")) => "zh-HK".to_string(),
        (Some("Hant"), _) => "zh-Hant".to_string(),
        _ => "zh".to_string(),
    })
}

/// The lower-cased primary subtag of a tag, or `None` when it is not one.
pub fn primary(tag: &str) -> Option<String> {
    parse(tag).ok().map(|t| t.language)
}

/// A language code as a `&'static str`, as detection results carry them. Each distinct code
/// is allocated once for the life of the process (there are only a few per run).
pub fn intern(code: &str) -> &'static str {
    static CODES: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let codes = CODES.get_or_init(Mutex::default);
    let mut codes = codes.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(known) = codes.get(code) {
        return known;
    }
    let leaked: &'static str = Box::leak(code.to_string().into_boxed_str());
    codes.insert(leaked);
    leaked
}

/// A file name that carries a language tag before its extension: `NAME.LANG.EXT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaggedName<'a> {
    pub stem: &'a str,
    /// The tag as written: 2 or 3 lower-case ASCII letters.
    pub lang: &'a str,
    pub ext: &'a str,
}

impl fmt::Display for TaggedName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.stem, self.lang, self.ext)
    }
}

/// Splits `NAME.zh.txt` into stem, language and extension; `None` for names without a tag
/// (`notes.txt`, `v1.2.txt`). Only lower-case primary subtags count, so that version numbers
/// and upper-case abbreviations are not taken for languages.
pub fn tagged_name(name: &str) -> Option<TaggedName<'_>> {
    let (rest, ext) = name.rsplit_once('.')?;
    let (stem, lang) = rest.rsplit_once('.')?;
    let tag = (2..=3).contains(&lang.len()) && lang.bytes().all(|b| b.is_ascii_lowercase());
    (tag && !stem.is_empty()).then_some(TaggedName { stem, lang, ext })
}

/// The English name of a language code, for messages and prompts (the code itself when it
/// is not one of the common ones).
pub fn name(code: &str) -> &str {
    match code {
        "en" => "English",
        "zh" => "Chinese",
        "zh-Hant" => "Traditional Chinese",
        "zh-TW" => "Traditional Chinese (Taiwan)",
        "zh-HK" => "Traditional Chinese (Hong Kong)",
        "ja" => "Japanese",
        "ko" => "Korean",
        "fr" => "French",
        "de" => "German",
        "es" => "Spanish",
        "ru" => "Russian",
        "ar" => "Arabic",
        other => other,
    }
}

/// Codes of ISO 639-2 and ISO 639-3 that people write for a language whose BCP 47 code is
/// shorter, beyond what whatlang's ISO 639-3 names give (Chinese is `cmn` there).
const OTHER_CODES: [(&str, &str); 4] = [("chi", "zh"), ("zho", "zh"), ("ger", "de"), ("fre", "fr")];

/// Maps whatlang's ISO 639-3 codes to BCP 47 primary subtags (ISO 639-1 where one exists).
pub fn from_whatlang(lang: Lang) -> &'static str {
    match lang {
        Lang::Epo => "eo",
        Lang::Eng => "en",
        Lang::Rus => "ru",
        Lang::Cmn => "zh",
        Lang::Spa => "es",
        Lang::Por => "pt",
        Lang::Ita => "it",
        Lang::Ben => "bn",
        Lang::Fra => "fr",
        Lang::Deu => "de",
        Lang::Ukr => "uk",
        Lang::Kat => "ka",
        Lang::Ara => "ar",
        Lang::Hin => "hi",
        Lang::Jpn => "ja",
        Lang::Heb => "he",
        Lang::Yid => "yi",
        Lang::Pol => "pl",
        Lang::Amh => "am",
        Lang::Jav => "jv",
        Lang::Kor => "ko",
        Lang::Nob => "nb",
        Lang::Dan => "da",
        Lang::Swe => "sv",
        Lang::Fin => "fi",
        Lang::Tur => "tr",
        Lang::Nld => "nl",
        Lang::Hun => "hu",
        Lang::Ces => "cs",
        Lang::Ell => "el",
        Lang::Bul => "bg",
        Lang::Bel => "be",
        Lang::Mar => "mr",
        Lang::Kan => "kn",
        Lang::Ron => "ro",
        Lang::Slv => "sl",
        Lang::Hrv => "hr",
        Lang::Srp => "sr",
        Lang::Mkd => "mk",
        Lang::Lit => "lt",
        Lang::Lav => "lv",
        Lang::Est => "et",
        Lang::Tam => "ta",
        Lang::Vie => "vi",
        Lang::Urd => "ur",
        Lang::Tha => "th",
        Lang::Guj => "gu",
        Lang::Uzb => "uz",
        Lang::Pan => "pa",
        Lang::Aze => "az",
        Lang::Ind => "id",
        Lang::Tel => "te",
        Lang::Pes => "fa",
        Lang::Mal => "ml",
        Lang::Ori => "or",
        Lang::Mya => "my",
        Lang::Nep => "ne",
        Lang::Sin => "si",
        Lang::Khm => "km",
        Lang::Tuk => "tk",
        Lang::Aka => "ak",
        Lang::Zul => "zu",
        Lang::Sna => "sn",
        Lang::Afr => "af",
        Lang::Lat => "la",
        Lang::Slk => "sk",
        Lang::Cat => "ca",
        Lang::Tgl => "tl",
        Lang::Hye => "hy",
        Lang::Cym => "cy",
    }
}

/// A language tag as a glossary column or `xml:lang` gives it: BCP 47 with `-` between
/// subtags, and a primary subtag transmend can detect (a column in a language it never
/// detects would match nothing and warn about everything). `Err` says what is wrong and
/// what to write instead.
pub fn glossary_code(tag: &str) -> Result<String, String> {
    let tag = tag.trim();
    let parsed = parse(tag).map_err(|e| e.to_string())?;
    if tag.contains('_') {
        return Err(format!(
            "'{tag}' separates its subtags with '_'; BCP 47 uses '-' ({})",
            tag.replace('_', "-")
        ));
    }
    // Traditional Chinese columns keep their script or region: `zh-Hant`, `zh-TW`, `zh-HK`
    // give the established local form where a conversion of the `zh` form would not.
    if parsed.language == "zh" {
        return parse_target(tag).map_err(|e| e.to_string());
    }
    if is_known(&parsed.language) {
        return Ok(parsed.language);
    }
    let hint = match suggest(&parsed.language) {
        Some(code) => format!("did you mean '{code}'? "),
        None => String::new(),
    };
    Err(format!(
        "'{tag}' is not a language transmend knows; {hint}known codes: {}",
        known().join(", ")
    ))
}

/// Every language transmend can detect and check, as BCP 47 primary subtags, sorted.
pub fn known() -> Vec<&'static str> {
    let mut codes: Vec<&'static str> = Lang::all().iter().map(|l| from_whatlang(*l)).collect();
    codes.sort_unstable();
    codes.dedup();
    codes
}

/// Whether `code` (a primary subtag, lower case) is one of [`known`].
pub fn is_known(code: &str) -> bool {
    Lang::all().iter().any(|l| from_whatlang(*l) == code)
}

/// The known code someone most likely meant by an unknown one: an ISO 639-2/3 code (`eng`,
/// `zho`) or an English language name (`English`, `Chinese`).
pub fn suggest(unknown: &str) -> Option<&'static str> {
    let lower = unknown.trim().to_ascii_lowercase();
    if let Some((_, code)) = OTHER_CODES.iter().find(|(other, _)| *other == lower) {
        return Some(code);
    }
    if let Some(lang) = Lang::from_code(lower.as_str()) {
        return Some(from_whatlang(lang));
    }
    Lang::all()
        .iter()
        .find(|l| l.eng_name().eq_ignore_ascii_case(&lower))
        .map(|l| from_whatlang(*l))
}

/// The indefinite article for a word in English prose, by its sound rather than its letter:
/// "an English text", "an Arabic text", but "a Ukrainian text", "a Chinese text". Messages
/// put a language name after an article ("left untranslated in an English text"), so the
/// article has to follow the name chosen at run time.
pub fn article(word: &str) -> &'static str {
    let lower = word.trim_start().to_lowercase();
    // Vowel letters that start with a consonant sound ("you-"): Ukrainian, Uyghur, Euskara.
    let consonant_sound = ["uk", "uy", "eu"];
    if consonant_sound.iter().any(|p| lower.starts_with(p)) {
        return "a";
    }
    match lower.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u') => "an",
        _ => "a",
    }
}

/// A word with its indefinite article: `with_article("English")` is `an English`.
pub fn with_article(word: &str) -> String {
    format!("{} {word}", article(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translation_targets_keep_traditional_chinese_apart() {
        for (tag, target) in [
            ("zh", "zh"),
            ("zh-CN", "zh"),
            ("zh-Hans", "zh"),
            ("zh_Hant", "zh-Hant"),
            ("zh-Hant-TW", "zh-TW"),
            ("zh-tw", "zh-TW"),
            ("zh-HK", "zh-HK"),
            ("zh-MO", "zh-HK"),
            ("en-GB", "en"),
        ] {
            assert_eq!(parse_target(tag).unwrap(), target, "{tag}");
        }
        assert!(parse_target("chinese traditional").is_err());
    }

    #[test]
    fn tags_parse_to_primary_script_and_region() {
        let t = parse("zh-hant_tw").unwrap();
        assert_eq!(
            (
                t.language.as_str(),
                t.script.as_deref(),
                t.region.as_deref()
            ),
            ("zh", Some("Hant"), Some("TW"))
        );
        assert_eq!(primary("EN-GB").as_deref(), Some("en"));
        assert_eq!(primary(" zh_CN ").as_deref(), Some("zh"));
        assert_eq!(parse("es-419").unwrap().region.as_deref(), Some("419"));
        for bad in [
            "",
            "e",
            "english",
            "zh-",
            "en--GB",
            "12",
            "zh-toolongsubtag",
            "中文",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            parse("eng_x").map(|t| t.language),
            Ok("eng".to_string()),
            "three letters are a valid primary subtag"
        );
        assert!(parse("x y").unwrap_err().to_string().contains("'x y'"));
    }

    #[test]
    fn file_names_carry_a_tag_before_the_extension() {
        let t = tagged_name("law.motion.zh.txt").unwrap();
        assert_eq!((t.stem, t.lang, t.ext), ("law.motion", "zh", "txt"));
        assert_eq!(t.to_string(), "law.motion.zh.txt");
        assert_eq!(tagged_name("v1.2.txt"), None);
        assert_eq!(tagged_name("notes.txt"), None);
        assert_eq!(tagged_name("a.EN.txt"), None);
        assert_eq!(tagged_name(".zh.txt"), None);
    }

    #[test]
    fn interned_codes_are_shared() {
        let a = intern("yue");
        let b = intern(&String::from("yue"));
        assert!(std::ptr::eq(a, b));
        assert_eq!(name("zh"), "Chinese");
        assert_eq!(name("yue"), "yue");
    }

    #[test]
    fn known_codes_and_suggestions_for_the_ones_people_mistype() {
        let known = known();
        for code in ["en", "zh", "ja", "ko", "fr", "de", "ru", "ar", "el", "he"] {
            assert!(known.contains(&code) && is_known(code), "{code}");
        }
        assert!(!is_known("eng") && !is_known("xx") && !is_known("cmn"));
        assert_eq!(suggest("eng"), Some("en"));
        assert_eq!(suggest("cmn"), Some("zh"));
        assert_eq!(suggest("ZHO"), Some("zh"));
        assert_eq!(suggest("English"), Some("en"));
        assert_eq!(suggest("qq"), None);
        assert_eq!(from_whatlang(Lang::Cmn), "zh");
    }

    #[test]
    fn glossary_codes_are_strict_and_say_what_to_write() {
        assert_eq!(glossary_code("en").as_deref(), Ok("en"));
        assert_eq!(glossary_code(" zh-Hant-TW ").as_deref(), Ok("zh-TW"));
        assert_eq!(glossary_code("zh-Hant").as_deref(), Ok("zh-Hant"));
        assert_eq!(glossary_code("zh-Hans").as_deref(), Ok("zh"));
        let eng = glossary_code("eng").unwrap_err();
        assert!(
            eng.contains("did you mean 'en'?") && eng.contains("known codes: af,"),
            "{eng}"
        );
        let underscore = glossary_code("zh_CN").unwrap_err();
        assert!(underscore.contains("(zh-CN)"), "{underscore}");
        assert!(glossary_code("english").unwrap_err().contains("BCP 47"));
    }

    #[test]
    fn articles_follow_the_sound_of_the_language_name() {
        assert_eq!(with_article(name("en")), "an English");
        assert_eq!(with_article(name("ar")), "an Arabic");
        assert_eq!(with_article(name("zh")), "a Chinese");
        assert_eq!(with_article(name("ru")), "a Russian");
        assert_eq!(article("Italian"), "an");
        assert_eq!(article("Urdu"), "an");
        assert_eq!(article("Ukrainian"), "a");
        assert_eq!(article("Uyghur"), "a");
        assert_eq!(article(""), "a");
    }
}
