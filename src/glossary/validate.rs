//! One validation for every glossary format.
//!
//! Each reader (CSV, TBX) turns its file into a [`RawGlossary`]: located raw concepts, plus the
//! problems of the file's own syntax (CSV header and row shape, XML structure, language
//! codes). A [`Validator`] then checks the concepts of one or more files with one set of rules
//! and messages, so that the same mistake gets the same message in every format, and builds
//! the [`Glossary`] or lists every problem, in file order.

use std::cell::Cell;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::error::{LoadError, Problem};
use super::model::{Concept, Glossary, Kind, Origin, Status, Term};
use unicode_normalization::UnicodeNormalization;

use super::source::LineIndex;

/// Where something was read: 1-based line and column (columns count Unicode scalar values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Loc {
    pub(crate) line: usize,
    pub(crate) column: usize,
}

/// Turns byte offsets into one text into [`Loc`]s for a reader. Readers locate things mostly
/// in file order, so an offset on the same line as the previous one is counted on from it
/// instead of from the start of its line.
pub(crate) struct Locator<'a> {
    text: &'a str,
    lines: LineIndex<'a>,
    /// The previous offset located, and its location.
    last: Cell<(usize, Loc)>,
}

impl<'a> Locator<'a> {
    pub(crate) fn new(text: &'a str) -> Locator<'a> {
        Locator {
            text,
            lines: LineIndex::new(text),
            last: Cell::new((0, Loc { line: 1, column: 1 })),
        }
    }

    /// The location of the character at `offset` (clamped to the text; inside a character,
    /// that character's start).
    pub(crate) fn loc(&self, offset: usize) -> Loc {
        let (previous, at) = self.last.get();
        let loc = match self.text.get(previous..offset) {
            Some(gap) if !gap.contains('\n') => Loc {
                line: at.line,
                column: at.column + gap.chars().count(),
            },
            _ => {
                let (line, column) = self.lines.position(offset);
                Loc { line, column }
            }
        };
        self.last.set((offset, loc));
        loc
    }
}

/// A value as written in the file, with where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Located<T> {
    pub(crate) value: T,
    pub(crate) at: Loc,
}

impl<T> Located<T> {
    pub(crate) fn new(value: T, at: Loc) -> Located<T> {
        Located { value, at }
    }
}

/// One glossary file as a reader found it, before validation.
#[derive(Debug, Default)]
pub(crate) struct RawGlossary {
    pub(crate) file: PathBuf,
    pub(crate) concepts: Vec<RawConcept>,
    /// Problems of the file's syntax, found by the reader.
    pub(crate) problems: Vec<Problem>,
}

impl RawGlossary {
    /// A file that could not be read at all (unreadable, not UTF-8, unknown format).
    pub(crate) fn unreadable(file: &Path, problems: Vec<Problem>) -> RawGlossary {
        RawGlossary {
            file: file.to_path_buf(),
            concepts: Vec::new(),
            problems,
        }
    }
}

/// One concept as written: a CSV row or a TBX concept entry.
#[derive(Debug, Default)]
pub(crate) struct RawConcept {
    /// Where the concept starts (its row, or its `conceptEntry` element).
    pub(crate) at: Loc,
    /// The id as written (untrimmed; empty when missing). `None` only when the file cannot give
    /// ids at all (a CSV without an `id` column), which its reader has already reported.
    pub(crate) id: Option<Located<String>>,
    /// The kind as written (`org`, `person`, ...), when one is given.
    pub(crate) kind: Option<Located<String>>,
    /// The match value as written (`case`, or empty), when one is given.
    pub(crate) match_value: Option<Located<String>>,
    /// Free-text notes in file order; blank ones are dropped.
    pub(crate) notes: Vec<String>,
    pub(crate) terms: Vec<RawTerm>,
}

/// One form as written.
#[derive(Debug, Clone)]
pub(crate) struct RawTerm {
    /// The language, already normalised to a primary subtag (readers check language codes).
    pub(crate) lang: String,
    /// The form exactly as written, located at its start.
    pub(crate) text: Located<String>,
    pub(crate) status: RawStatus,
}

/// Where a form's status comes from.
#[derive(Debug, Clone)]
pub(crate) enum RawStatus {
    /// Fixed by where the form is written (a CSV column).
    Given(Status),
    /// Status values written beside the form (TBX `administrativeStatus`), in file order: the
    /// last known one counts; none at all means the form is unmarked (see [`Validator`]).
    Written(Vec<Located<String>>),
}

/// Maps a written status value to a status, leniently and case-insensitively:
/// `preferred*` -> preferred; `admitted*` -> admitted; `deprecated*`, `forbidden`, `obsolete`,
/// `superseded*` -> deprecated (TBX-Basic's `...Term-admn-sts` values and their short forms).
pub(crate) fn parse_status(value: &str) -> Option<Status> {
    let v = value.trim().to_ascii_lowercase();
    let v = v.strip_suffix("-admn-sts").unwrap_or(&v);
    let v = v.strip_suffix("term").unwrap_or(v);
    Some(match v {
        "preferred" => Status::Preferred,
        "admitted" => Status::Admitted,
        "deprecated" | "forbidden" | "obsolete" | "superseded" => Status::Deprecated,
        _ => return None,
    })
}

/// Validates the concepts of one file on its own.
pub(crate) fn validate(raw: RawGlossary) -> Result<Glossary, LoadError> {
    let mut v = Validator::default();
    v.add(raw);
    v.finish()
}

/// Checks raw concepts file by file and merges them into one glossary, in the order added.
///
/// The rules, with the problem's location:
///
/// - an id that is empty (at the id), or already used in this or an earlier file (at the id);
/// - a kind other than `person`, `org`, `term`, `acronym`, `place`, `event`, `title` (at it);
/// - a match value other than `case` or empty (at it);
/// - a status value that is not a known one (at it; the form is then read as unmarked);
/// - an empty or blank form (at the form);
/// - a form both accepted (preferred or admitted) and deprecated in one language, compared
///   trimmed and NFC (at the deprecated one);
/// - a concept left with no form in any language (at the concept).
///
/// An unmarked form (no status written) is admitted, except that in a language where no form
/// is marked preferred, the first unmarked form is the preferred one. Each language's forms
/// are ordered preferred, admitted, deprecated, keeping file order within a status.
#[derive(Debug, Default)]
pub(crate) struct Validator {
    files: Vec<PathBuf>,
    /// Each id taken so far: the index of its file and where it was written.
    ids: HashMap<String, (usize, Loc)>,
    concepts: Vec<Concept>,
    problems: Vec<Problem>,
}

impl Validator {
    /// Checks the concepts of one more file and merges those that are valid.
    pub(crate) fn add(&mut self, raw: RawGlossary) {
        let file_index = self.files.len();
        self.files.push(raw.file);
        let mut sink = Sink {
            file: &self.files[file_index],
            problems: raw.problems,
        };
        for concept in raw.concepts {
            let id = check_id(&mut self.ids, &self.files, file_index, &concept, &mut sink);
            if let Some(c) = check_concept(concept, id, &mut sink) {
                self.concepts.push(c);
            }
        }
        let mut problems = sink.problems;
        // File order; a problem with no line (about the whole file) goes last.
        problems.sort_by_key(|p| (if p.line == 0 { usize::MAX } else { p.line }, p.column));
        self.problems.extend(problems);
    }

    /// The merged glossary, or every problem of every file.
    pub(crate) fn finish(self) -> Result<Glossary, LoadError> {
        if self.problems.is_empty() {
            Ok(Glossary {
                concepts: self.concepts,
            })
        } else {
            Err(LoadError {
                problems: self.problems,
            })
        }
    }
}

/// The problems of the file being checked.
struct Sink<'a> {
    file: &'a Path,
    problems: Vec<Problem>,
}

impl Sink<'_> {
    fn report(&mut self, at: Loc, message: impl Into<String>) {
        self.problems
            .push(Problem::new(self.file, at.line, at.column, message));
    }
}

/// The concept's trimmed id, if it has one that is not taken yet (and takes it).
fn check_id(
    ids: &mut HashMap<String, (usize, Loc)>,
    files: &[PathBuf],
    file_index: usize,
    concept: &RawConcept,
    sink: &mut Sink<'_>,
) -> Option<String> {
    let written = concept.id.as_ref()?;
    let id = written.value.trim();
    if id.is_empty() {
        sink.report(written.at, "a concept without an id");
        return None;
    }
    if let Some(&(first_file, first)) = ids.get(id) {
        let place = match files.get(first_file) {
            Some(f) if first_file != file_index => format!("at {}:{}", f.display(), first.line),
            _ => format!("on line {}", first.line),
        };
        sink.report(
            written.at,
            format!("duplicate id '{id}': already defined {place}"),
        );
        return None;
    }
    ids.insert(id.to_string(), (file_index, written.at));
    Some(id.to_string())
}

/// A form that passed its own checks, status not yet resolved when unmarked.
struct Form {
    lang: String,
    text: Located<String>,
    status: Option<Status>,
}

/// Checks one concept and builds it when `id` is usable (it is kept only if the whole load
/// finds no problem).
fn check_concept(raw: RawConcept, id: Option<String>, sink: &mut Sink<'_>) -> Option<Concept> {
    let kind = raw.kind.and_then(|k| {
        let v = k.value.trim();
        let kind = Kind::parse(v);
        if kind.is_none() {
            sink.report(
                k.at,
                format!(
                    "unknown kind '{v}' (expected person, org, term, acronym, place, event or \
                     title)"
                ),
            );
        }
        kind
    });
    let case_sensitive = raw.match_value.is_some_and(|m| {
        let v = m.value.trim();
        if v.eq_ignore_ascii_case("case") {
            return true;
        }
        if !v.is_empty() {
            sink.report(
                m.at,
                format!("bad match value '{v}' (expected 'case' or empty)"),
            );
        }
        false
    });
    let notes: Vec<String> = raw
        .notes
        .into_iter()
        .filter(|n| !n.trim().is_empty())
        .collect();

    let forms = check_forms(raw.terms, sink);
    check_conflicts(&forms, sink);
    if forms.is_empty() {
        let name = raw
            .id
            .as_ref()
            .map(|i| i.value.trim())
            .filter(|i| !i.is_empty());
        let message = match name {
            Some(name) => format!("concept '{name}' has no form in any language"),
            None => "a concept with no form in any language".to_string(),
        };
        sink.report(raw.at, message);
    }

    let mut concept = Concept {
        id: id?,
        kind,
        note: (!notes.is_empty()).then(|| notes.join("\n\n")),
        case_sensitive,
        langs: Default::default(),
        origin: Origin {
            file: sink.file.to_path_buf(),
            line: raw.at.line,
        },
    };
    for (status, form) in resolve_unmarked(&forms).into_iter().zip(forms) {
        concept.langs.entry(form.lang).or_default().push(Term {
            text: form.text.value,
            status,
        });
    }
    order_terms(&mut concept);
    Some(concept)
}

/// Reads each form's status (reporting unknown values) and drops empty forms (reported).
fn check_forms(terms: Vec<RawTerm>, sink: &mut Sink<'_>) -> Vec<Form> {
    let mut forms = Vec::with_capacity(terms.len());
    for t in terms {
        let status = match t.status {
            RawStatus::Given(s) => Some(s),
            RawStatus::Written(values) => {
                let mut status = None;
                for v in values {
                    match parse_status(&v.value) {
                        Some(s) => status = Some(s),
                        None => sink.report(
                            v.at,
                            format!(
                                "unknown administrativeStatus '{}' (expected \
                                 preferredTerm-admn-sts, admittedTerm-admn-sts, \
                                 deprecatedTerm-admn-sts or supersededTerm-admn-sts)",
                                v.value.trim()
                            ),
                        ),
                    }
                }
                status
            }
        };
        if t.text.value.trim().is_empty() {
            sink.report(t.text.at, format!("empty form in '{}'", t.lang));
            continue;
        }
        forms.push(Form {
            lang: t.lang,
            text: t.text,
            status,
        });
    }
    forms
}

/// The status of each form, in order: an unmarked form is admitted, except the first unmarked
/// one of a language where no form is marked preferred, which is the preferred one.
fn resolve_unmarked(forms: &[Form]) -> Vec<Status> {
    if let Some(all) = forms
        .iter()
        .map(|f| f.status)
        .collect::<Option<Vec<Status>>>()
    {
        return all; // nothing unmarked (always so in CSV)
    }
    let marked: HashSet<&str> = forms
        .iter()
        .filter(|f| f.status == Some(Status::Preferred))
        .map(|f| f.lang.as_str())
        .collect();
    let mut promoted: HashSet<&str> = HashSet::new();
    forms
        .iter()
        .map(|f| match f.status {
            Some(s) => s,
            None if !marked.contains(f.lang.as_str()) && promoted.insert(f.lang.as_str()) => {
                Status::Preferred
            }
            None => Status::Admitted,
        })
        .collect()
}

/// Reports each deprecated form that is also accepted in the same language (unmarked forms
/// are always accepted).
fn check_conflicts(forms: &[Form], sink: &mut Sink<'_>) {
    let deprecated = |f: &Form| f.status == Some(Status::Deprecated);
    let mut accepted: HashMap<(&str, String), Loc> = HashMap::new();
    for f in forms.iter().filter(|f| !deprecated(f)) {
        accepted
            .entry((f.lang.as_str(), same_form_key(&f.text.value)))
            .or_insert(f.text.at);
    }
    for f in forms.iter().filter(|f| deprecated(f)) {
        if let Some(first) = accepted.get(&(f.lang.as_str(), same_form_key(&f.text.value))) {
            sink.report(
                f.text.at,
                format!(
                    "'{}' is listed both as accepted (line {}, column {}) and as deprecated in \
                     '{}'",
                    f.text.value.trim(),
                    first.line,
                    first.column,
                    f.lang
                ),
            );
        }
    }
}

/// The key under which two forms of one language count as the same written form when
/// checking for a form both accepted and deprecated: trimmed, NFC.
fn same_form_key(form: &str) -> String {
    form.trim().nfc().collect()
}

/// Orders each language's forms preferred, admitted, deprecated, keeping file order within
/// each status.
fn order_terms(concept: &mut Concept) {
    for terms in concept.langs.values_mut() {
        terms.sort_by_key(|t| t.status);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glossary::{csv, tbx};

    /// One problem: line, column, message.
    type Found = (usize, usize, String);

    fn found(result: Result<Glossary, LoadError>) -> Vec<Found> {
        match result {
            Ok(g) => panic!("loaded {} concepts, expected problems", g.concepts.len()),
            Err(e) => e
                .problems
                .into_iter()
                .map(|p| (p.line, p.column, p.message))
                .collect(),
        }
    }

    fn csv_problems(text: &str) -> Vec<Found> {
        found(csv::from_str(text, Path::new("g.csv")))
    }

    /// The problems of a TBX document whose `<body>` holds `entries`, starting on line 2.
    fn tbx_problems(entries: &str) -> Vec<Found> {
        let text = format!("<tbx><text><body>\n{entries}\n</body></text></tbx>\n");
        found(tbx::from_str(&text, Path::new("g.tbx")))
    }

    /// Asserts that the CSV and the TBX text each have exactly one problem, with the same
    /// message, `message`; returns where each is.
    fn same_problem(csv: &str, tbx: &str, message: &str) -> ((usize, usize), (usize, usize)) {
        let (c, t) = (csv_problems(csv), tbx_problems(tbx));
        assert_eq!(c.len(), 1, "CSV: {c:?}");
        assert_eq!(t.len(), 1, "TBX: {t:?}");
        assert_eq!(c[0].2, message, "CSV");
        assert_eq!(t[0].2, message, "TBX");
        ((c[0].0, c[0].1), (t[0].0, t[0].1))
    }

    /// A TBX `langSec` of `lang` holding one term section per `(form, status)`; an empty
    /// status writes none.
    fn lang_sec(lang: &str, terms: &[(&str, &str)]) -> String {
        let mut out = format!("<langSec xml:lang=\"{lang}\">");
        for (form, status) in terms {
            out.push_str(&format!("<termSec><term>{form}</term>"));
            if !status.is_empty() {
                out.push_str(&format!(
                    "<termNote type=\"administrativeStatus\">{status}</termNote>"
                ));
            }
            out.push_str("</termSec>");
        }
        out.push_str("</langSec>");
        out
    }

    #[test]
    fn duplicate_id_is_the_same_problem_in_csv_and_tbx() {
        let en = lang_sec("en", &[("x", "")]);
        let (c, t) = same_problem(
            "id,en\na,x\nb,y\n  a ,z\n",
            &format!(
                "<conceptEntry id=\"a\">{en}</conceptEntry>\n\
                 <conceptEntry id=\"b\">{en}</conceptEntry>\n\
                 \x20 <conceptEntry id=\" a \">{en}</conceptEntry>"
            ),
            "duplicate id 'a': already defined on line 2",
        );
        assert_eq!(c, (4, 1)); // the id cell
        assert_eq!(t, (4, 3)); // the entry
    }

    #[test]
    fn missing_id_is_the_same_problem_in_csv_and_tbx() {
        let en = lang_sec("en", &[("x", "")]);
        let (c, t) = same_problem(
            "en,id\nx,  \n",
            &format!("<conceptEntry>{en}</conceptEntry>"),
            "a concept without an id",
        );
        assert_eq!((c, t), ((2, 3), (2, 1)));
        let (_, t) = same_problem(
            "id,en\n,x\n",
            &format!("<conceptEntry id=\" \">{en}</conceptEntry>"),
            "a concept without an id",
        );
        assert_eq!(t, (2, 1));
    }

    #[test]
    fn empty_concept_is_the_same_problem_in_csv_and_tbx() {
        let (c, t) = same_problem(
            "id,kind,en,zh,note\n\na,org,, ,hello\n",
            "\n<conceptEntry id=\"a\"><note>transmend:kind=org</note><note>hello</note>\
             <langSec xml:lang=\"en\"/></conceptEntry>",
            "concept 'a' has no form in any language",
        );
        assert_eq!((c, t), ((3, 1), (3, 1)));
    }

    #[test]
    fn empty_form_is_the_same_problem_in_csv_and_tbx() {
        let (c, t) = same_problem(
            "id,en,en.admitted\na,x,b| |c\n",
            &format!(
                "<conceptEntry id=\"a\">\n{}</conceptEntry>",
                lang_sec(
                    "en",
                    &[("x", ""), (" ", "admittedTerm-admn-sts"), ("b", "")]
                )
            ),
            "empty form in 'en'",
        );
        assert_eq!(c, (2, 7)); // just after the first `|`
        assert_eq!(t, (3, 66)); // the second <term>
    }

    #[test]
    fn no_term_at_all_reports_the_empty_forms_and_the_concept() {
        let c = csv_problems("id,en.admitted,note\na,|,n\n");
        let t = tbx_problems(&format!(
            "<conceptEntry id=\"a\"><note>n</note>{}</conceptEntry>",
            lang_sec("en", &[("", "admitted"), ("  ", "admitted")])
        ));
        let messages = |ps: &[Found]| ps.iter().map(|p| p.2.clone()).collect::<Vec<_>>();
        let expected = [
            "concept 'a' has no form in any language",
            "empty form in 'en'",
            "empty form in 'en'",
        ];
        assert_eq!(messages(&c), expected);
        assert_eq!(messages(&t), expected);
        let at = |ps: &[Found]| ps.iter().map(|p| (p.0, p.1)).collect::<Vec<_>>();
        assert_eq!(at(&c), [(2, 1), (2, 3), (2, 4)]);
        assert_eq!(at(&t), [(2, 1), (2, 68), (2, 157)]);
    }

    #[test]
    fn accepted_and_deprecated_is_the_same_problem_in_csv_and_tbx() {
        // The message names where the accepted form is: line 2, column 3 in both files. In
        // the TBX it is unmarked (so accepted), and the deprecated one differs only by spaces.
        let csv = "id,en,en.deprecated\na,Labour,Labor|Labour\n";
        let tbx = "<tbx><text><body><conceptEntry id=\"a\"><langSec xml:lang=\"en\"><termSec>\n\
                   \x20 <term>Labour</term></termSec>\n\
                   <termSec><term>Labor</term><termNote type=\"administrativeStatus\">deprecated\
                   </termNote></termSec>\n\
                   <termSec><term> Labour</term><termNote type=\"administrativeStatus\">\
                   deprecatedTerm-admn-sts</termNote></termSec>\n\
                   </langSec></conceptEntry></body></text></tbx>";
        let message =
            "'Labour' is listed both as accepted (line 2, column 3) and as deprecated in 'en'";
        assert_eq!(csv_problems(csv), [(2, 16, message.to_string())]);
        assert_eq!(
            found(tbx::from_str(tbx, Path::new("g.tbx"))),
            [(4, 10, message.to_string())]
        );
        // Only within one language.
        csv::from_str("id,en,zh.deprecated\na,NEC,NEC\n", Path::new("g.csv")).unwrap();
    }

    #[test]
    fn unknown_kind_is_the_same_problem_in_csv_and_tbx() {
        let (c, t) = same_problem(
            "id,kind,en\na, thing ,x\n",
            &format!(
                "<conceptEntry id=\"a\"><note>transmend:kind= thing</note>{}</conceptEntry>",
                lang_sec("en", &[("x", "")])
            ),
            "unknown kind 'thing' (expected person, org, term, acronym, place, event or title)",
        );
        assert_eq!((c, t), ((2, 3), (2, 22)));
    }

    #[test]
    fn bad_match_value_is_the_same_problem_in_csv_and_tbx() {
        let (c, t) = same_problem(
            "id,en,match\na,x,Exact\n",
            &format!(
                "<conceptEntry id=\"a\">{}<note>transmend:match=Exact</note></conceptEntry>",
                lang_sec("en", &[("x", "")])
            ),
            "bad match value 'Exact' (expected 'case' or empty)",
        );
        assert_eq!((c, t), ((2, 5), (2, 88)));
        // `case` in any letter case turns case-sensitive matching on, in both formats.
        let g = csv::from_str("id,en,match\na,x,CASE\n", Path::new("g.csv")).unwrap();
        assert!(g.concepts[0].case_sensitive);
        let g = tbx::from_str(
            &format!(
                "<tbx><text><body><conceptEntry id=\"a\"><note>transmend:match=CASE</note>{}\
                 </conceptEntry></body></text></tbx>",
                lang_sec("en", &[("x", "")])
            ),
            Path::new("g.tbx"),
        )
        .unwrap();
        assert!(g.concepts[0].case_sensitive);
        assert_eq!(g.concepts[0].note, None);
    }

    /// CSV has no status values: a form's status is its column, and a column such as
    /// `en.forbidden` is an unknown column, reported once at the header by the CSV reader.
    #[test]
    fn unknown_status_is_reported_at_the_value() {
        let t = tbx_problems(&format!(
            "<conceptEntry id=\"a\">{}</conceptEntry>",
            lang_sec("en", &[("x", ""), ("y", "forbiden")])
        ));
        assert_eq!(
            t,
            [(
                2,
                101,
                "unknown administrativeStatus 'forbiden' (expected preferredTerm-admn-sts, \
                 admittedTerm-admn-sts, deprecatedTerm-admn-sts or supersededTerm-admn-sts)"
                    .to_string()
            )]
        );
        let c = csv_problems("id,en,en.forbidden\na,x,y\n");
        assert_eq!((c.len(), c[0].0, c[0].1), (1, 1, 7));
        assert!(c[0].2.starts_with("unknown column 'en.forbidden'"), "{c:?}");
    }

    #[test]
    fn locator_agrees_with_the_line_index_in_any_order() {
        let text = "id,zh\r\n工党,\"a\nb\"\n\nx,派对";
        let index = LineIndex::new(text);
        let expected = |o: usize| {
            let (line, column) = index.position(o);
            Loc { line, column }
        };
        let forward = Locator::new(text);
        for o in 0..=text.len() + 2 {
            assert_eq!(forward.loc(o), expected(o), "offset {o}");
        }
        let backward = Locator::new(text);
        for o in (0..=text.len()).rev() {
            assert_eq!(backward.loc(o), expected(o), "offset {o}");
        }
        let jumping = Locator::new(text);
        for o in [9, 4, 13, 10, 100, 2, 8] {
            assert_eq!(jumping.loc(o), expected(o), "offset {o}");
        }
    }

    #[test]
    fn status_values() {
        for (v, s) in [
            ("preferredTerm-admn-sts", Status::Preferred),
            (" Preferred ", Status::Preferred),
            ("admittedTerm-admn-sts", Status::Admitted),
            ("admitted", Status::Admitted),
            ("deprecatedTerm-admn-sts", Status::Deprecated),
            ("deprecated", Status::Deprecated),
            ("forbidden", Status::Deprecated),
            ("obsolete", Status::Deprecated),
            ("supersededTerm-admn-sts", Status::Deprecated),
        ] {
            assert_eq!(parse_status(v), Some(s), "{v}");
        }
        assert_eq!(parse_status("deprecatd"), None);
        assert_eq!(parse_status("legalTerm-admn-sts"), None);
    }

    #[test]
    fn duplicate_id_across_files_names_the_first_file() {
        let a = csv::parse("id,en\nnec,NEC\n", Path::new("a.csv"));
        let b = tbx::parse(
            &format!(
                "<tbx><text><body>\n<conceptEntry id=\"nec\">{}</conceptEntry>\
                 </body></text></tbx>",
                lang_sec("en", &[("NEC", "")])
            ),
            Path::new("b.tbx"),
        );
        let mut v = Validator::default();
        v.add(a);
        v.add(b);
        let e = v.finish().unwrap_err();
        assert_eq!(
            e.to_string(),
            "b.tbx:2:1: duplicate id 'nec': already defined at a.csv:2"
        );
    }

    #[test]
    fn problems_come_in_file_order_whoever_found_them() {
        // The reader finds the bad language (line 3) before validation finds the bad kind
        // (line 2) and the duplicate (line 4).
        let en = lang_sec("en", &[("x", "")]);
        let t = tbx_problems(&format!(
            "<conceptEntry id=\"a\"><note>transmend:kind=thing</note>{en}</conceptEntry>\n\
             <conceptEntry id=\"b\"><langSec xml:lang=\"e\"/>{en}</conceptEntry>\n\
             <conceptEntry id=\"a\">{en}</conceptEntry>"
        ));
        let at: Vec<(usize, usize)> = t.iter().map(|p| (p.0, p.1)).collect();
        assert_eq!(at, [(2, 22), (3, 22), (4, 1)], "{t:?}");
        // A problem about the whole file (no line) goes last.
        let raw = RawGlossary {
            file: "g.csv".into(),
            concepts: Vec::new(),
            problems: vec![
                Problem::new(Path::new("g.csv"), 0, 0, "whole file"),
                Problem::new(Path::new("g.csv"), 3, 1, "line 3"),
            ],
        };
        let e = validate(raw).unwrap_err();
        assert_eq!(e.to_string(), "g.csv:3:1: line 3\ng.csv: whole file");
    }

    #[test]
    fn unmarked_forms_resolve_per_language() {
        let raw_term = |lang: &str, text: &str, status: Option<&str>| RawTerm {
            lang: lang.to_string(),
            text: Located::new(text.to_string(), Loc::default()),
            status: RawStatus::Written(
                status
                    .map(|s| Located::new(s.to_string(), Loc::default()))
                    .into_iter()
                    .collect(),
            ),
        };
        let raw = |terms: Vec<RawTerm>| RawGlossary {
            file: "g.tbx".into(),
            concepts: vec![RawConcept {
                at: Loc { line: 7, column: 1 },
                id: Some(Located::new(" c ".to_string(), Loc { line: 7, column: 1 })),
                notes: vec!["one".into(), " ".into(), "two".into()],
                terms,
                ..RawConcept::default()
            }],
            problems: Vec::new(),
        };
        let mut terms = vec![
            raw_term("de", "Partei", Some("admitted")),
            raw_term("de", "Fraktion", None),
            raw_term("de", "Gruppe", None),
            raw_term("en", "Tory", None),
            raw_term("en", "Conservative", Some("preferred")),
        ];
        let g = validate(raw(terms.clone())).unwrap();
        let c = &g.concepts[0];
        assert_eq!(c.id, "c");
        assert_eq!(c.note.as_deref(), Some("one\n\ntwo"));
        assert_eq!(c.origin.line, 7);
        let forms = |lang: &str| -> Vec<(&str, Status)> {
            c.langs[lang]
                .iter()
                .map(|t| (t.text.as_str(), t.status))
                .collect()
        };
        assert_eq!(
            forms("de"),
            [
                ("Fraktion", Status::Preferred),
                ("Partei", Status::Admitted),
                ("Gruppe", Status::Admitted)
            ]
        );
        assert_eq!(
            forms("en"),
            [
                ("Conservative", Status::Preferred),
                ("Tory", Status::Admitted)
            ]
        );

        // An unknown status is reported, and its form read as unmarked (no follow-on).
        terms.push(raw_term("en", "Tories", Some("nonsense")));
        let e = validate(raw(terms)).unwrap_err();
        assert_eq!(e.problems.len(), 1, "{e}");
        assert!(e.problems[0].message.contains("'nonsense'"), "{e}");
    }
}
