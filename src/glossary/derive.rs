//! Derived wrong forms: the glossary knows the parts a name is built from. When a concept's
//! Chinese form contains another concept's preferred form (托利党 contains 党, 工党年会
//! contains 工党), every deprecated form of that part put in its place is a wrong form of the
//! whole (托利派对, 劳动派对年会), flagged as the whole with the whole's preferred form as the
//! suggestion. Composition is inferred; nothing in the glossary has to say it.

use std::collections::{HashMap, HashSet};

use super::model::{Glossary, Status};
use super::normalize::normalize_form;

/// One derived wrong form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Derived {
    /// The concept it is a wrong form of (index into `Glossary::concepts`).
    pub concept: usize,
    pub lang: String,
    /// The derived form.
    pub form: String,
    /// The glossary form it was derived from (托利党).
    pub from: String,
    /// The part concept (party) and its preferred form (党) that was replaced.
    pub part: usize,
    pub right: String,
    /// The part's deprecated form put in its place (派对).
    pub wrong: String,
}

/// Characters of a form besides the part: a whole whose rest is a single character (工党 is
/// 工 + 党) is left alone, since a one-character rest next to a common wrong part is often an
/// ordinary word (员工聚会 would read as 工 + 聚会).
const MIN_REST: usize = 2;

/// Whether a form is Chinese (has a CJK letter): composition is a Chinese matter.
fn is_cjk_form(form: &str) -> bool {
    form.chars().any(crate::text::is_cjk)
}

/// Every derived wrong form of the glossary, each once, none equal to a form the glossary
/// already lists (whatever its concept or status: a listed form, a guard, is never replaced).
pub fn derive(glossary: &Glossary) -> Vec<Derived> {
    // Part concepts: a preferred form and at least one deprecated form in the same language.
    struct Part<'a> {
        concept: usize,
        lang: &'a str,
        right: &'a str,
        wrongs: Vec<&'a str>,
    }
    let mut parts: Vec<Part<'_>> = Vec::new();
    let mut listed: HashSet<String> = HashSet::new();
    for (ci, concept) in glossary.concepts.iter().enumerate() {
        for (lang, terms) in &concept.langs {
            for t in terms {
                listed.insert(normalize_form(&t.text));
            }
            let Some(right) = terms
                .iter()
                .find(|t| t.status == Status::Preferred)
                .map(|t| t.text.as_str())
            else {
                continue;
            };
            let wrongs: Vec<&str> = terms
                .iter()
                .filter(|t| t.status == Status::Deprecated && is_cjk_form(&t.text))
                .map(|t| t.text.as_str())
                .collect();
            if is_cjk_form(right) && !wrongs.is_empty() {
                parts.push(Part {
                    concept: ci,
                    lang,
                    right,
                    wrongs,
                });
            }
        }
    }
    if parts.is_empty() {
        return Vec::new();
    }
    // Which parts occur in which forms: one automaton over the parts' preferred forms, run
    // over every form (a check of every part against every form is quadratic: 10,000
    // concepts took half a minute).
    let mut rights: Vec<&str> = parts.iter().map(|p| p.right).collect();
    rights.sort_unstable();
    rights.dedup();
    let Ok(ac) = aho_corasick::AhoCorasick::new(&rights) else {
        return Vec::new();
    };
    let mut by_right: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, p) in parts.iter().enumerate() {
        by_right.entry(p.right).or_default().push(i);
    }
    let mut out = Vec::new();
    let mut made: HashSet<(usize, String)> = HashSet::new();
    for (ci, concept) in glossary.concepts.iter().enumerate() {
        for (lang, terms) in &concept.langs {
            for t in terms.iter().filter(|t| is_cjk_form(&t.text)) {
                for m in ac.find_overlapping_iter(&t.text) {
                    let right = rights[m.pattern().as_usize()];
                    let rest = t.text.chars().count() - right.chars().count();
                    if rest < MIN_REST {
                        continue;
                    }
                    let at = m.start();
                    for part in by_right[right]
                        .iter()
                        .map(|&i| &parts[i])
                        .filter(|p| p.lang == lang && p.concept != ci)
                    {
                        for wrong in &part.wrongs {
                            let mut form = String::with_capacity(t.text.len() + wrong.len());
                            form.push_str(&t.text[..at]);
                            form.push_str(wrong);
                            form.push_str(&t.text[m.end()..]);
                            let key = normalize_form(&form);
                            if listed.contains(&key) || !made.insert((ci, key)) {
                                continue;
                            }
                            out.push(Derived {
                                concept: ci,
                                lang: lang.clone(),
                                form,
                                from: t.text.clone(),
                                part: part.concept,
                                right: part.right.to_string(),
                                wrong: (*wrong).to_string(),
                            });
                        }
                    }
                }
            }
        }
    }
    out
}

/// Characters after a form ending in 对 that make 对 a preposition or verb (保守派对此表示,
/// 民主派对于): then the form is not a garbled name but a word followed by 对.
pub const PREPOSITIONAL_DUI: &str = "此于其该这那待方象他她它我你";

/// Words for factions ending in 派: before 对 they make 对 a preposition far more often than
/// 派对 a garbled party (党内保守派对全国执行委员会的动议表示支持).
const FACTIONS: &[&str] = &[
    "保守派",
    "民主派",
    "自由派",
    "激进派",
    "温和派",
    "左派",
    "右派",
    "改革派",
    "建制派",
    "强硬派",
    "鹰派",
    "鸽派",
    "中间派",
    "反对派",
    "少数派",
    "多数派",
    "实用派",
    "主流派",
    "革新派",
    "务实派",
];

/// Whether the text after a match that ends with 对 reads as 对 + object: 对 followed by 此,
/// 于, 其 ... ([`PREPOSITIONAL_DUI`]), or a faction word (保守派) followed by 对 and any Han
/// letter but 的.
pub fn dui_continues(found: &str, after: &str) -> bool {
    let Some(stem) = found.strip_suffix('对') else {
        return false;
    };
    let Some(next) = after.chars().next() else {
        return false;
    };
    PREPOSITIONAL_DUI.contains(next)
        || (FACTIONS.iter().any(|f| stem.ends_with(f))
            && crate::text::is_cjk_letter(next)
            && next != '的')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glossary::csv;
    use std::path::Path;

    fn glossary() -> Glossary {
        csv::from_str(
            "id,kind,en,zh,zh.admitted,zh.deprecated\n\
             party,term,party,党,,派对|聚会\n\
             labour-party,org,Labour Party,工党,,劳动派对|劳动党\n\
             conservative-party,org,Conservative Party,保守党,托利党,托里\n\
             party-conference,event,Labour Party Conference,工党年会,,派对会议\n\
             partygate,event,Partygate,派对门,,\n",
            Path::new("t.csv"),
        )
        .unwrap()
    }

    #[test]
    fn parts_in_place_of_a_preferred_part_are_wrong_forms_of_the_whole() {
        let g = glossary();
        let d = derive(&g);
        let find = |form: &str| d.iter().find(|x| x.form == form);
        let tory = find("托利派对").expect("托利党 with 派对 for 党");
        assert_eq!(g.concepts[tory.concept].id, "conservative-party");
        assert_eq!(
            (tory.from.as_str(), tory.right.as_str(), tory.wrong.as_str()),
            ("托利党", "党", "派对")
        );
        assert!(find("托利聚会").is_some() && find("保守派对").is_some());
        let conference = find("劳动派对年会").expect("工党年会 with 劳动派对 for 工党");
        assert_eq!(g.concepts[conference.concept].id, "party-conference");
        // A one-character rest is left alone, and listed forms are never derived.
        assert!(find("工派对").is_none() && find("工聚会").is_none());
        assert!(d.iter().all(|x| x.form != "劳动派对" && x.form != "派对门"));
    }

    #[test]
    fn dui_followed_by_an_object_is_a_preposition() {
        assert!(dui_continues("保守派对", "此表示欢迎"));
        assert!(!dui_continues("保守派对", "的政策"));
        assert!(!dui_continues("托利聚会", "此"));
        assert!(dui_continues("保守派对", "全国执行委员会的动议表示支持"));
        assert!(!dui_continues("保守派对", "，而不是"));
        assert!(
            !dui_continues("劳动派对", "领袖"),
            "not a faction: a garbled name"
        );
    }
}
