//! Exports a glossary as a DeepL glossary (TSV entries), checked the way DeepL checks them.

use std::collections::HashMap;
use std::path::Path;

use super::error::{ExportError, Problem};
use super::model::{Concept, Glossary};
use crate::lang::primary as normalize_lang;

/// DeepL's limit on each source or target term, in UTF-8 bytes.
pub const MAX_TERM_BYTES: usize = 1024;

/// The DeepL glossary entries from `source` to `target` (BCP 47 codes; `en-GB` counts as `en`):
/// one `source<TAB>target\n` line per concept that has a preferred form in both languages, in
/// glossary order.
///
/// Rejected, with every reason listed: a term that is empty, contains a control character
/// (tab and newline included, and U+2028/U+2029), starts or ends with whitespace, or is longer
/// than [`MAX_TERM_BYTES`]; two concepts with the same source term; and an export with no entry
/// at all (DeepL refuses an empty glossary).
pub fn export(g: &Glossary, source: &str, target: &str) -> Result<String, ExportError> {
    let mut problems = Vec::new();
    let langs = (normalize_lang(source), normalize_lang(target));
    let (Some(src), Some(tgt)) = langs else {
        for (code, lang) in [(source, &langs.0), (target, &langs.1)] {
            if lang.is_none() {
                problems.push(Problem::new(
                    Path::new(""),
                    0,
                    0,
                    format!("invalid language code '{code}'"),
                ));
            }
        }
        return Err(ExportError { problems });
    };
    if src == tgt {
        return Err(ExportError {
            problems: vec![Problem::new(
                Path::new(""),
                0,
                0,
                format!("source and target are both '{src}'"),
            )],
        });
    }

    let mut out = String::new();
    let mut sources: HashMap<&str, &Concept> = HashMap::new();
    for c in &g.concepts {
        let (Some(s), Some(t)) = (c.preferred(&src), c.preferred(&tgt)) else {
            continue;
        };
        let mut ok = true;
        for (lang, term) in [(&src, s), (&tgt, t)] {
            if let Some(why) = invalid_term(term) {
                problems.push(at(c, format!("'{lang}' term {term:?} {why}")));
                ok = false;
            }
        }
        if let Some(first) = sources.get(s) {
            problems.push(at(
                c,
                format!(
                    "source term {s:?} is the preferred '{src}' form of both '{}' and '{}'",
                    first.id, c.id
                ),
            ));
            ok = false;
        } else {
            sources.insert(s, c);
        }
        if ok {
            out.push_str(s);
            out.push('\t');
            out.push_str(t);
            out.push('\n');
        }
    }
    if problems.is_empty() && out.is_empty() {
        problems.push(Problem::new(
            Path::new(""),
            0,
            0,
            format!("no concept has a preferred form in both '{src}' and '{tgt}'"),
        ));
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(ExportError { problems })
    }
}

/// A problem at the concept's origin, naming the concept.
fn at(c: &Concept, message: String) -> Problem {
    Problem::new(
        &c.origin.file,
        c.origin.line,
        0,
        format!("concept '{}': {message}", c.id),
    )
}

/// Why DeepL would refuse `term`, if it would.
fn invalid_term(term: &str) -> Option<String> {
    if term.trim().is_empty() {
        return Some("is empty".into());
    }
    if let Some(c) = term
        .chars()
        .find(|&c| c.is_control() || c == '\u{2028}' || c == '\u{2029}')
    {
        return Some(format!(
            "contains the control character U+{:04X}",
            u32::from(c)
        ));
    }
    if term.starts_with(char::is_whitespace) || term.ends_with(char::is_whitespace) {
        return Some("starts or ends with whitespace".into());
    }
    if term.len() > MAX_TERM_BYTES {
        return Some(format!(
            "is {} bytes long; DeepL takes at most {MAX_TERM_BYTES}",
            term.len()
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glossary(csv: &str) -> Glossary {
        crate::glossary::csv::from_str(csv, Path::new("g.csv")).unwrap()
    }

    fn messages(e: ExportError) -> Vec<String> {
        e.problems.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn exports_preferred_pairs_in_glossary_order() {
        let g = glossary(
            "id,en,en.admitted,zh,zh.admitted,zh.deprecated\n\
             labour-party,Labour Party,Labour,工党,英国工党,劳动派对\n\
             only-en,Bullingdon Club,,,,\n\
             no-preferred-zh,NEC,,,国家执行委员会,\n\
             tory,Tory,,托利,,托里\n",
        );
        assert_eq!(
            export(&g, "en", "zh").unwrap(),
            "Labour Party\t工党\nTory\t托利\n"
        );
        assert_eq!(
            export(&g, "ZH-Hans", "en-GB").unwrap(),
            "工党\tLabour Party\n托利\tTory\n"
        );
    }

    #[test]
    fn rejects_duplicate_sources_naming_both_concepts() {
        let g = glossary("id,en,zh\nparty,party,政党\nfete,party,派对\n");
        assert_eq!(
            messages(export(&g, "en", "zh").unwrap_err()),
            [
                "g.csv:3: concept 'fete': source term \"party\" is the preferred 'en' form of both 'party' and 'fete'"
            ]
        );
        // the same target twice is fine
        let g = glossary("id,en,zh\na,Labour Party,工党\nb,Labour,工党\n");
        assert_eq!(
            export(&g, "en", "zh").unwrap(),
            "Labour Party\t工党\nLabour\t工党\n"
        );
    }

    #[test]
    fn rejects_control_characters_whitespace_and_long_terms() {
        let long = "x".repeat(MAX_TERM_BYTES + 1);
        let g = glossary(&format!(
            "id,en,zh\na,\"Labour\tParty\",工党\nb,\"two\nlines\",两行\nc, NEC,全国执行委员会\n\
             d,Tory,托利\u{2028}\ne,{long},长\nf,ok,好\n"
        ));
        assert_eq!(
            messages(export(&g, "en", "zh").unwrap_err()),
            [
                "g.csv:2: concept 'a': 'en' term \"Labour\\tParty\" contains the control character U+0009",
                "g.csv:3: concept 'b': 'en' term \"two\\nlines\" contains the control character U+000A",
                "g.csv:5: concept 'c': 'en' term \" NEC\" starts or ends with whitespace",
                "g.csv:6: concept 'd': 'zh' term \"托利\\u{2028}\" contains the control character U+2028",
                &format!(
                    "g.csv:7: concept 'e': 'en' term {long:?} is 1025 bytes long; DeepL takes at most 1024"
                ),
            ]
        );
        let exact = "é".repeat(MAX_TERM_BYTES / 2);
        let g = glossary(&format!("id,fr,en\na,{exact},e\n"));
        assert_eq!(export(&g, "fr", "en").unwrap(), format!("{exact}\te\n"));
    }

    #[test]
    fn rejects_empty_terms() {
        // CSV never yields an empty form; a glossary built in code can.
        let mut g = glossary("id,en,zh\na,x,y\n");
        g.concepts[0].langs.get_mut("zh").unwrap()[0].text = "  ".into();
        assert_eq!(
            messages(export(&g, "en", "zh").unwrap_err()),
            ["g.csv:2: concept 'a': 'zh' term \"  \" is empty"]
        );
    }

    #[test]
    fn rejects_bad_languages_and_empty_exports() {
        let g = glossary("id,en,zh\na,x,y\n");
        assert_eq!(
            messages(export(&g, "english", "z").unwrap_err()),
            [
                "invalid language code 'english'",
                "invalid language code 'z'"
            ]
        );
        assert_eq!(
            messages(export(&g, "en", "en-US").unwrap_err()),
            ["source and target are both 'en'"]
        );
        assert_eq!(
            messages(export(&g, "en", "fr").unwrap_err()),
            ["no concept has a preferred form in both 'en' and 'fr'"]
        );
    }
}
