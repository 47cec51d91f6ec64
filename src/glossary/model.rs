//! The termbase data model: concepts with preferred, admitted and deprecated forms per language.

use std::collections::BTreeMap;
use std::path::PathBuf;

/// The status of one form, as in TBX-Basic's `administrativeStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// The form to use.
    Preferred,
    /// Acceptable, but not the first choice.
    Admitted,
    /// Known to be wrong (a mistranslation, a misspelling): flag it.
    Deprecated,
}

impl Status {
    /// True for preferred and admitted forms.
    pub fn is_accepted(self) -> bool {
        !matches!(self, Status::Deprecated)
    }
}

/// What a concept names; informs checks (names are transliterated, terms translated).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Person,
    Org,
    Term,
    Acronym,
    Place,
    Event,
    Title,
}

impl Kind {
    /// Parses the CSV `kind` column (case-insensitive).
    pub fn parse(s: &str) -> Option<Kind> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "person" => Kind::Person,
            "org" | "organisation" | "organization" => Kind::Org,
            "term" => Kind::Term,
            "acronym" => Kind::Acronym,
            "place" => Kind::Place,
            "event" => Kind::Event,
            "title" => Kind::Title,
            _ => return None,
        })
    }

    /// The CSV spelling of the kind.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Person => "person",
            Kind::Org => "org",
            Kind::Term => "term",
            Kind::Acronym => "acronym",
            Kind::Place => "place",
            Kind::Event => "event",
            Kind::Title => "title",
        }
    }
}

/// One written form of a concept in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub text: String,
    pub status: Status,
}

/// Where a concept was defined, for messages ("glossary/labour.csv:12").
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin {
    pub file: PathBuf,
    /// 1-based line of the concept's row (CSV) or `termEntry` element (TBX); 0 if unknown.
    pub line: usize,
}

/// A concept (person, organisation, term) and its forms per language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Concept {
    /// Unique slug, e.g. `labour-party`.
    pub id: String,
    pub kind: Option<Kind>,
    pub note: Option<String>,
    /// `match=case`: every form is matched case-sensitively.
    pub case_sensitive: bool,
    /// Language (BCP 47 primary subtag) -> forms; the preferred form, when there is one, comes first.
    pub langs: BTreeMap<String, Vec<Term>>,
    pub origin: Origin,
}

impl Concept {
    /// The preferred Chinese form for a text or translation in `script` and `region`: the
    /// `zh-TW`/`zh-HK` column's, else `zh-Hant`'s (for Traditional), else the `zh` form
    /// converted. `None` when the concept has no Chinese form.
    pub fn preferred_chinese(
        &self,
        script: crate::hanzi::Script,
        region: Option<crate::hanzi::Region>,
    ) -> Option<String> {
        use crate::hanzi::{Region, Script, convert};
        if script == Script::Hant {
            let local = match region {
                Some(Region::Taiwan) => self.preferred("zh-TW"),
                Some(Region::HongKong) => self.preferred("zh-HK"),
                None => None,
            };
            if let Some(form) = local.or_else(|| self.preferred("zh-Hant")) {
                return Some(form.to_string());
            }
        }
        self.preferred("zh").map(|f| convert(f, script, region))
    }

    /// The preferred form in `lang`, if the concept has one.
    pub fn preferred(&self, lang: &str) -> Option<&str> {
        self.langs
            .get(lang)?
            .iter()
            .find(|t| t.status == Status::Preferred)
            .map(|t| t.text.as_str())
    }

    /// Preferred and admitted forms in `lang`, preferred first.
    pub fn accepted<'a>(&'a self, lang: &str) -> impl Iterator<Item = &'a str> + 'a {
        self.forms_with(lang, Status::is_accepted)
    }

    /// Deprecated forms in `lang`.
    pub fn deprecated<'a>(&'a self, lang: &str) -> impl Iterator<Item = &'a str> + 'a {
        self.forms_with(lang, |s| s == Status::Deprecated)
    }

    fn forms_with<'a>(
        &'a self,
        lang: &str,
        keep: impl Fn(Status) -> bool + 'a,
    ) -> impl Iterator<Item = &'a str> + 'a {
        self.langs
            .get(lang)
            .into_iter()
            .flatten()
            .filter(move |t| keep(t.status))
            .map(|t| t.text.as_str())
    }
}

/// A loaded termbase: the concepts of one or more files, ids unique.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Glossary {
    pub concepts: Vec<Concept>,
}

impl Glossary {
    /// The concept with this id.
    pub fn get(&self, id: &str) -> Option<&Concept> {
        self.concepts.iter().find(|c| c.id == id)
    }

    /// Every language that has at least one form, sorted.
    pub fn languages(&self) -> Vec<String> {
        let mut langs: Vec<String> = self
            .concepts
            .iter()
            .flat_map(|c| c.langs.keys().cloned())
            .collect();
        langs.sort();
        langs.dedup();
        langs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn concept() -> Concept {
        let mut langs = BTreeMap::new();
        langs.insert(
            "zh".to_string(),
            vec![
                Term {
                    text: "工党".into(),
                    status: Status::Preferred,
                },
                Term {
                    text: "劳动派对".into(),
                    status: Status::Deprecated,
                },
                Term {
                    text: "英国工党".into(),
                    status: Status::Admitted,
                },
            ],
        );
        Concept {
            id: "labour-party".into(),
            kind: Some(Kind::Org),
            note: None,
            case_sensitive: false,
            langs,
            origin: Origin::default(),
        }
    }

    #[test]
    fn forms_by_status() {
        let c = concept();
        assert_eq!(c.preferred("zh"), Some("工党"));
        assert_eq!(c.accepted("zh").collect::<Vec<_>>(), ["工党", "英国工党"]);
        assert_eq!(c.deprecated("zh").collect::<Vec<_>>(), ["劳动派对"]);
        assert_eq!(c.preferred("en"), None);
        assert_eq!(c.accepted("en").count(), 0);
    }

    #[test]
    fn kind_round_trips() {
        for k in [
            "person", "org", "term", "acronym", "place", "event", "title",
        ] {
            assert_eq!(Kind::parse(k).map(Kind::as_str), Some(k));
        }
        assert_eq!(Kind::parse("Organisation"), Some(Kind::Org));
        assert_eq!(Kind::parse("thing"), None);
    }
}
