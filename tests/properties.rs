//! Property tests of the library: `check` never panics on any text or bytes and puts every
//! flag on char boundaries inside the text; `fix` is idempotent; a glossary survives
//! CSV -> TBX -> CSV unchanged. Case counts stay modest so the suite is quick in debug builds.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use proptest::prelude::*;
use transmend::document::{self, Document};
use transmend::format::Format;
use transmend::glossary::model::{Concept, Glossary, Kind, Origin, Status, Term};
use transmend::glossary::{self, Termbase, csv, tbx};
use transmend::pipeline::{self, Analysis, FixOptions};

/// The project glossary, loaded once for every case.
fn termbase() -> &'static Termbase {
    static TERMBASE: OnceLock<Termbase> = OnceLock::new();
    TERMBASE.get_or_init(|| {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("glossary/labour.csv");
        Termbase::new(glossary::load_file(&path).unwrap()).unwrap()
    })
}

fn checked(doc: Document) -> Analysis {
    pipeline::check_document(doc, None, termbase())
}

fn assert_flags_in_bounds(analysis: &Analysis) -> Result<(), TestCaseError> {
    let text = &analysis.doc.text;
    for flag in &analysis.flags {
        prop_assert!(flag.start <= flag.end, "{flag:?}");
        prop_assert!(flag.end <= text.len(), "{flag:?} past {}", text.len());
        prop_assert!(
            text.is_char_boundary(flag.start) && text.is_char_boundary(flag.end),
            "{flag:?} not on char boundaries"
        );
        prop_assert_eq!(&text[flag.start..flag.end], flag.text.as_str());
    }
    Ok(())
}

/// Text that exercises the checks: glossary forms right and wrong, CJK and Latin, dates,
/// apostrophes, mojibake-like letters, repeated words, odd white space.
fn flaggable_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "工党",
        "劳动派对",
        "全国执行委员会",
        "Labour Party",
        "Labor Party",
        "Keir Starmer",
        "Kier Starmer",
        "NEC",
        "ＮＥＣ",
        "’S",
        "'",
        "20020年",
        "13月",
        "32日",
        "July 44",
        "1,00,0",
        "Ã©",
        "â€™",
        "\u{FFFD}",
        "的 的",
        "会议会议会议会议",
        "the the",
        "https://example.org/工党",
        "a@b.org",
        "。",
        ". ",
        "\n",
        "\r\n",
        "\n\n",
        " ",
        "\t",
        "x",
        "é",
        "\u{301}",
        "\u{200B}",
        "\u{FEFF}",
        "伊恩·拉弗里",
        "Ian Lavery",
        "ooo",
        "mIddle",
    ]);
    prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), flaggable_text()]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn check_never_panics_and_flags_lie_on_char_boundaries(text in any_text()) {
        let analysis = checked(Document::from_text("p.txt", text));
        assert_flags_in_bounds(&analysis)?;
    }

    #[test]
    fn decode_and_check_never_panic_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        if let Ok(doc) = document::from_bytes(std::path::Path::new("b.txt"), &bytes, document::ReadOptions::default()) {
            let analysis = checked(doc);
            assert_flags_in_bounds(&analysis)?;
        }
    }

    #[test]
    fn markup_fix_is_idempotent_and_keeps_code_and_urls(
        a in flaggable_text(),
        b in flaggable_text(),
        format in prop::sample::select(vec![Format::Markdown, Format::Srt, Format::Html]),
    ) {
        let clean = |t: &str| t.replace(['\n', '\r', '(', ')', '"', '\'', '<', '>', '&', '`', '*', '_', '[', ']', '\\', '#', '|', '-'], " ");
        let (a, b) = (clean(&a), clean(&b));
        let source = match format {
            Format::Markdown => format!("# {a}\n\n**{b}** [{a}](http://x.org/劳动派对) `劳动派对`\n"),
            Format::Srt => format!("1\n00:00:01,000 --> 00:00:02,000\n<i>{a}</i>\n{b}\n"),
            _ => format!("<html><body><p>{a} <b>{b}</b></p><script>var s='劳动派对';</script><a href='/劳动派对'>{b}</a></body></html>"),
        };
        let doc = Document::from_source("m", format, source.clone())
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let analysis = checked(doc);
        assert_flags_in_bounds(&analysis)?;
        let once = pipeline::repair_document(analysis, None, termbase(), FixOptions::default())
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let fixed = once.result().doc.source_text().unwrap_or_default().to_string();
        for kept in ["http://x.org/劳动派对", "`劳动派对`", "var s='劳动派对';", "href='/劳动派对'", "00:00:01,000 --> 00:00:02,000"] {
            prop_assert_eq!(source.contains(kept), fixed.contains(kept), "{}", kept);
        }
        let again = checked(Document::from_source("m", format, fixed.clone())
            .map_err(|e| TestCaseError::fail(e.to_string()))?);
        prop_assert_eq!(&again.doc.text, once.text());
        let twice = pipeline::repair_document(again, None, termbase(), FixOptions::default())
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(twice.result().doc.source_text(), Some(fixed.as_str()));
        prop_assert!(twice.applied.is_empty(), "{:?}", twice.applied);
    }

    #[test]
    fn fix_is_idempotent(text in any_text(), typography in any::<bool>()) {
        let fix = FixOptions { typography };
        let analysis = checked(Document::from_text("f.txt", text));
        let once = pipeline::repair_document(analysis, None, termbase(), fix)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let again = checked(Document::from_text("f.txt", once.text()));
        let twice = pipeline::repair_document(again, None, termbase(), fix)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(twice.text(), once.text());
        prop_assert!(twice.applied.is_empty(), "{:?}", twice.applied);
    }
}

/// A form: Latin or CJK letters with inner spaces and characters CSV and XML must escape;
/// `n` makes it unique in the whole glossary (no form is accepted and deprecated at once).
fn form() -> impl Strategy<Value = String> {
    "[A-Za-zé工党委员会’][A-Za-z工党委员会 ,;'\"&<>()-]{0,10}"
}

fn note() -> impl Strategy<Value = Option<String>> {
    prop::option::of("[A-Za-z工党][A-Za-z工党 ,;'\"&<>.:]{0,20}[A-Za-z.]")
}

#[derive(Debug, Clone)]
struct LangForms {
    preferred: Option<String>,
    admitted: Vec<String>,
    deprecated: Vec<String>,
}

fn lang_forms() -> impl Strategy<Value = LangForms> {
    (
        prop::option::of(form()),
        prop::collection::vec(form(), 0..3),
        prop::collection::vec(form(), 0..3),
    )
        .prop_map(|(preferred, admitted, deprecated)| LangForms {
            preferred,
            admitted,
            deprecated,
        })
}

type RawConcept = (
    Option<Kind>,
    Option<String>,
    bool,
    BTreeMap<&'static str, LangForms>,
);

fn raw_concept() -> impl Strategy<Value = RawConcept> {
    let kind = prop::option::of(prop::sample::select(vec![
        Kind::Person,
        Kind::Org,
        Kind::Term,
        Kind::Acronym,
        Kind::Place,
        Kind::Event,
        Kind::Title,
    ]));
    let langs = prop::collection::btree_map(
        prop::sample::select(vec!["en", "zh", "fr", "de"]),
        lang_forms(),
        1..4,
    );
    (kind, note(), any::<bool>(), langs)
}

/// Builds a glossary from generated parts: ids `c0`, `c1`, ...; every form made unique by a
/// numeric suffix; every concept with at least one preferred form.
fn build(raw: Vec<RawConcept>) -> Glossary {
    let mut n = 0usize;
    let mut unique = |form: &str| {
        n += 1;
        format!("{}{n}", form.trim())
    };
    let concepts = raw
        .into_iter()
        .enumerate()
        .map(|(i, (kind, note, case_sensitive, langs))| {
            let mut map = BTreeMap::new();
            for (j, (lang, forms)) in langs.into_iter().enumerate() {
                let mut terms = Vec::new();
                let preferred = match forms.preferred {
                    Some(p) => Some(p),
                    None if j == 0 => Some("Form".to_string()),
                    None => None,
                };
                for (status, list) in [
                    (Status::Preferred, preferred.into_iter().collect::<Vec<_>>()),
                    (Status::Admitted, forms.admitted),
                    (Status::Deprecated, forms.deprecated),
                ] {
                    for f in list {
                        terms.push(Term {
                            text: unique(&f),
                            status,
                        });
                    }
                }
                // A language with no form at all has no column content to write.
                if !terms.is_empty() {
                    map.insert(lang.to_string(), terms);
                }
            }
            Concept {
                id: format!("c{i}"),
                kind,
                note,
                case_sensitive,
                langs: map,
                origin: Origin::default(),
            }
        })
        .collect();
    Glossary { concepts }
}

fn without_origins(mut g: Glossary) -> Glossary {
    for c in &mut g.concepts {
        c.origin = Origin::default();
    }
    g
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn csv_to_tbx_to_csv_is_lossless(raw in prop::collection::vec(raw_concept(), 1..6)) {
        let generated = build(raw);
        let csv_text = csv::to_string(&generated);
        let from_csv = csv::from_str(&csv_text, Path::new("g.csv"))
            .map_err(|e| TestCaseError::fail(format!("{e:?}\n{csv_text}")))?;
        let tbx_text = tbx::to_string(&from_csv);
        let from_tbx = tbx::from_str(&tbx_text, Path::new("g.tbx"))
            .map_err(|e| TestCaseError::fail(format!("{e:?}\n{tbx_text}")))?;
        prop_assert_eq!(csv::to_string(&from_tbx), csv_text);
        prop_assert_eq!(without_origins(from_tbx), without_origins(from_csv));
    }
}
