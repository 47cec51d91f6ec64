//! Warnings about a loaded glossary: entries that load fine but would match badly or confuse.
//!
//! Each warning points at the concept's origin (file and line; no column) and names the
//! concept. Forms are compared the way the matcher treats them as equal: NFC, full-width
//! ASCII folded to ASCII, interpuncts (`·` `•` `‧` `・`) dropped, whitespace runs collapsed,
//! lower-cased.

use std::collections::{HashMap, HashSet};

use super::error::Problem;
use super::model::{Concept, Glossary, Status, Term};
use crate::text::is_word_char;

/// Every warning about `g`, concept by concept in glossary order:
///
/// - a form with leading, trailing or doubled whitespace, a control character, or a `|`
///   (the CSV list separator);
/// - a language in which a concept has forms but no preferred one, or more than one;
/// - one form listed twice in a concept's language (differing only in case, width, ...);
/// - a deprecated form that contains an accepted form of the same concept and language (the
///   longest match wins, so the deprecated one is flagged, but reviewers find it confusing);
/// - one form in two concepts in the same language: the matcher cannot tell which is meant.
pub fn lint(g: &Glossary) -> Vec<Problem> {
    lint_all(g).0
}

/// Remarks that are not problems: a deprecated form containing an accepted form of the same
/// concept (the longest match wins, so it works; the spec's own example does it). Shown with
/// `--verbose`.
pub fn notes(g: &Glossary) -> Vec<Problem> {
    lint_all(g).1
}

fn lint_all(g: &Glossary) -> (Vec<Problem>, Vec<Problem>) {
    let mut out = Vec::new();
    let mut notes = Vec::new();
    let mut owners: HashMap<(&str, String), usize> = HashMap::new();
    for (i, c) in g.concepts.iter().enumerate() {
        // One warning per shared form, even if this concept lists it twice.
        let mut reported: HashSet<(&str, String)> = HashSet::new();
        for (lang, terms) in &c.langs {
            for t in terms {
                form_warnings(c, lang, t, &mut out);
                script_warning(c, lang, t, &mut out);
            }
            language_warnings(c, lang, terms, &mut out, &mut notes);
            for t in terms {
                let key = (lang.as_str(), match_key(&t.text));
                let first = *owners.entry(key.clone()).or_insert(i);
                if first != i && reported.insert(key) {
                    let other = &g.concepts[first];
                    out.push(warn(
                        c,
                        format!(
                            "'{lang}' form '{}' is also a form of '{}' ({}:{}); the matcher \
                             cannot tell which concept is meant",
                            t.text,
                            other.id,
                            other.origin.file.display(),
                            other.origin.line
                        ),
                    ));
                }
            }
        }
    }
    (out, notes)
}

/// A `zh-Hant`/`zh-TW`/`zh-HK` form with characters only Simplified writes: the column says
/// Traditional, the form is not (a `zh` column may be written in either script).
fn script_warning(c: &Concept, lang: &str, t: &Term, out: &mut Vec<Problem>) {
    use crate::hanzi::{Script, telling};
    if crate::hanzi::target(lang).is_none() {
        return;
    }
    let simplified: String = t
        .text
        .chars()
        .filter(|&ch| telling(ch) == Some(Script::Hans))
        .collect();
    if !simplified.is_empty() {
        out.push(warn(
            c,
            format!(
                "'{lang}' form '{}' has Simplified characters ({simplified}); a '{lang}' column \
                 holds the Traditional form, written as it is used there",
                t.text
            ),
        ));
    }
}

fn warn(c: &Concept, message: String) -> Problem {
    Problem::new(
        &c.origin.file,
        c.origin.line,
        0,
        format!("concept '{}': {message}", c.id),
    )
}

fn status_name(s: Status) -> &'static str {
    match s {
        Status::Preferred => "preferred",
        Status::Admitted => "admitted",
        Status::Deprecated => "deprecated",
    }
}

/// Warnings about one form on its own.
fn form_warnings(c: &Concept, lang: &str, t: &Term, out: &mut Vec<Problem>) {
    let text = &t.text;
    let mut issues = Vec::new();
    if text.starts_with(char::is_whitespace) {
        issues.push("leading whitespace".to_string());
    }
    if text.ends_with(char::is_whitespace) {
        issues.push("trailing whitespace".to_string());
    }
    let chars: Vec<char> = text.trim().chars().collect();
    if chars
        .windows(2)
        .any(|w| w[0].is_whitespace() && w[1].is_whitespace())
    {
        issues.push("doubled whitespace".to_string());
    }
    if let Some(ch) = text.chars().find(|ch| ch.is_control()) {
        issues.push(format!("the control character U+{:04X}", u32::from(ch)));
    }
    if text.contains('|') {
        issues.push("a '|', which the CSV format uses to separate forms".to_string());
    }
    if !issues.is_empty() {
        out.push(warn(
            c,
            format!(
                "{} '{lang}' form {text:?} has {}",
                status_name(t.status),
                issues.join(", ")
            ),
        ));
    }
}

/// Warnings about the forms of one language of a concept taken together.
fn language_warnings(
    c: &Concept,
    lang: &str,
    terms: &[Term],
    out: &mut Vec<Problem>,
    notes: &mut Vec<Problem>,
) {
    let preferred: Vec<&str> = terms
        .iter()
        .filter(|t| t.status == Status::Preferred)
        .map(|t| t.text.as_str())
        .collect();
    match preferred.len() {
        0 => out.push(warn(
            c,
            format!("has forms in '{lang}' but no preferred one, so nothing to suggest"),
        )),
        1 => {}
        n => out.push(warn(
            c,
            format!(
                "has {n} preferred forms in '{lang}' ('{}'); only the first is suggested",
                preferred.join("', '")
            ),
        )),
    }

    let keys: Vec<String> = terms.iter().map(|t| match_key(&t.text)).collect();
    for (j, t) in terms.iter().enumerate() {
        if let Some(k) = (0..j).find(|&k| keys[k] == keys[j]) {
            let first = &terms[k];
            out.push(warn(
                c,
                format!(
                    "lists '{}' ({}) and '{}' ({}) in '{lang}', which match the same text",
                    first.text,
                    status_name(first.status),
                    t.text,
                    status_name(t.status)
                ),
            ));
        }
    }

    for (d, dk) in terms.iter().zip(&keys) {
        if d.status != Status::Deprecated {
            continue;
        }
        for (a, ak) in terms.iter().zip(&keys) {
            if a.status.is_accepted() && ak != dk && contains_as_unit(dk, ak) {
                notes.push(warn(
                    c,
                    format!(
                        "deprecated '{lang}' form '{}' contains the accepted form '{}'; the \
                         longer one wins, but reviewers may find it confusing",
                        d.text, a.text
                    ),
                ));
            }
        }
    }
}

/// The form as the matcher compares it (see the module documentation).
pub(crate) fn match_key(form: &str) -> String {
    super::normalize::normalize_form(form)
}

/// Whether `needle` occurs in `hay` where the matcher would find it: anywhere for CJK, on
/// word boundaries for scripts with words.
fn contains_as_unit(hay: &str, needle: &str) -> bool {
    let (Some(first), Some(last)) = (needle.chars().next(), needle.chars().next_back()) else {
        return false;
    };
    hay.match_indices(needle).any(|(i, _)| {
        let before = hay[..i].chars().next_back();
        let after = hay[i + needle.len()..].chars().next();
        let open = !(is_word_char(first) && before.is_some_and(is_word_char));
        let close = !(is_word_char(last) && after.is_some_and(is_word_char));
        open && close
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn glossary(csv: &str) -> Glossary {
        crate::glossary::csv::from_str(csv, Path::new("g.csv")).unwrap()
    }

    fn messages(g: &Glossary) -> Vec<String> {
        lint(g).iter().map(ToString::to_string).collect()
    }

    fn note_messages(g: &Glossary) -> Vec<String> {
        notes(g).iter().map(ToString::to_string).collect()
    }

    #[test]
    fn a_clean_glossary_has_no_warnings() {
        let g = glossary(
            "\
id,kind,en,en.admitted,en.deprecated,zh,zh.admitted,zh.deprecated,note
labour-party,org,Labour Party,Labour,Labor Party,工党,,劳动党|劳动派对,\"the UK party, not labour as in work\"
nec,org,National Executive Committee,NEC,,全国执行委员会,国家执行委员会|NEC,,Labour's ruling body
ian-lavery,person,Ian Lavery,,,伊恩·拉弗里,Ian Lavery,,MP for Wansbeck
",
        );
        assert_eq!(messages(&g), Vec::<String>::new());
    }

    #[test]
    fn warns_about_one_form_in_two_concepts() {
        let g = glossary(
            "id,en,en.deprecated,zh\n\
             labour-party,Labour Party,,工党\n\
             labour-work,labour  party,,劳动\n\
             nec,NEC,,全国执行委员会\n\
             nec-wide,ＮＥＣ,,伊恩·拉弗里\n\
             ian,Ian Lavery,,伊恩•拉弗里\n\
             fr-only,,Tory,\n\
             tory,Tory,,托利\n",
        );
        let m = messages(&g);
        let shared: Vec<&String> = m.iter().filter(|m| m.contains("also a form of")).collect();
        assert_eq!(
            shared,
            [
                "g.csv:3: concept 'labour-work': 'en' form 'labour  party' is also a form of \
                 'labour-party' (g.csv:2); the matcher cannot tell which concept is meant",
                "g.csv:5: concept 'nec-wide': 'en' form 'ＮＥＣ' is also a form of 'nec' (g.csv:4); \
                 the matcher cannot tell which concept is meant",
                "g.csv:6: concept 'ian': 'zh' form '伊恩•拉弗里' is also a form of 'nec-wide' \
                 (g.csv:5); the matcher cannot tell which concept is meant",
                "g.csv:8: concept 'tory': 'en' form 'Tory' is also a form of 'fr-only' (g.csv:7); \
                 the matcher cannot tell which concept is meant",
            ]
        );
    }

    #[test]
    fn warns_about_a_deprecated_form_containing_an_accepted_one() {
        let g = glossary(
            "id,en,en.deprecated,zh,zh.deprecated\n\
             nec,NEC,the NEC|NECK,工党,劳动工党\n",
        );
        assert_eq!(
            note_messages(&g),
            [
                "g.csv:2: concept 'nec': deprecated 'en' form 'the NEC' contains the accepted \
                 form 'NEC'; the longer one wins, but reviewers may find it confusing",
                "g.csv:2: concept 'nec': deprecated 'zh' form '劳动工党' contains the accepted \
                 form '工党'; the longer one wins, but reviewers may find it confusing",
            ]
        );
    }

    #[test]
    fn the_spec_example_warns_once_about_a_deprecated_superstring() {
        let g = glossary("id,zh,zh.deprecated\nlabour-party,工党,劳动党|劳工党|劳动派对\n");
        assert_eq!(
            note_messages(&g),
            [
                "g.csv:2: concept 'labour-party': deprecated 'zh' form '劳工党' contains the \
              accepted form '工党'; the longer one wins, but reviewers may find it confusing"
            ]
        );
    }

    #[test]
    fn warns_about_stray_whitespace() {
        let g = glossary("id,en,en.admitted\na, Labour,Labour Party |Labour  Party|Lab\u{3000}\n");
        assert_eq!(
            messages(&g),
            [
                "g.csv:2: concept 'a': preferred 'en' form \" Labour\" has leading whitespace",
                "g.csv:2: concept 'a': admitted 'en' form \"Labour Party \" has trailing whitespace",
                "g.csv:2: concept 'a': admitted 'en' form \"Labour  Party\" has doubled whitespace",
                "g.csv:2: concept 'a': admitted 'en' form \"Lab\\u{3000}\" has trailing whitespace",
                "g.csv:2: concept 'a': lists 'Labour Party ' (admitted) and 'Labour  Party' \
                 (admitted) in 'en', which match the same text",
            ]
        );
    }

    #[test]
    fn warns_about_a_language_without_one_preferred_form() {
        let g = glossary("id,en,zh.admitted,zh.deprecated\nnec,NEC,国家执行委员会,全国执委\n");
        assert_eq!(
            messages(&g),
            [
                "g.csv:2: concept 'nec': has forms in 'zh' but no preferred one, so nothing to suggest"
            ]
        );
        let g = crate::glossary::tbx::from_str(
            "<tbx><text><body><conceptEntry id=\"t\"><langSec xml:lang=\"en\">\
             <termSec><term>Tory</term><termNote type=\"administrativeStatus\">preferred</termNote></termSec>\
             <termSec><term>Tories</term><termNote type=\"administrativeStatus\">preferred</termNote></termSec>\
             </langSec></conceptEntry></body></text></tbx>",
            Path::new("g.tbx"),
        )
        .unwrap();
        assert_eq!(
            messages(&g),
            [
                "g.tbx:1: concept 't': has 2 preferred forms in 'en' ('Tory', 'Tories'); only the first is suggested"
            ]
        );
    }

    #[test]
    fn warns_about_a_form_listed_twice_control_characters_and_bars() {
        let mut g = glossary("id,en,en.admitted,match\na,Labour,labour,\nb,NEC,,case\n");
        let terms = g.concepts[1].langs.get_mut("en").unwrap();
        terms.push(Term {
            text: "N\u{7}E|C".into(),
            status: Status::Admitted,
        });
        assert_eq!(
            messages(&g),
            [
                "g.csv:2: concept 'a': lists 'Labour' (preferred) and 'labour' (admitted) in \
                 'en', which match the same text",
                "g.csv:3: concept 'b': admitted 'en' form \"N\\u{7}E|C\" has the control \
                 character U+0007, a '|', which the CSV format uses to separate forms",
            ]
        );
    }

    #[test]
    fn match_keys_fold_what_the_matcher_folds() {
        assert_eq!(match_key("ＮＥＣ"), "nec");
        assert_eq!(match_key("  Labour \t Party "), "labour party");
        assert_eq!(match_key("伊恩·拉弗里"), match_key("伊恩・拉弗里"));
        assert_eq!(match_key("Orle\u{301}ans"), match_key("Orl\u{e9}ans"));
        assert!(contains_as_unit("劳动工党", "工党"));
        assert!(contains_as_unit("the nec", "nec"));
        assert!(!contains_as_unit("neck", "nec"));
        assert!(contains_as_unit("nec-wide", "nec"));
    }
}
