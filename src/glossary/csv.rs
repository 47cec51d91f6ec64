//! Reads and writes the CSV glossary format (the authoring format; see `glossary-format.md`).
//!
//! Parsing is done by the `csv` crate; this module reads the header and rows into located raw
//! concepts (checking what is CSV's own: columns, row shape, `|` lists), and
//! `validate` checks the concepts as it does for every format.

use std::collections::HashMap;
use std::path::Path;

use super::error::{LoadError, Problem};
use super::model::{Glossary, Kind, Status};
use super::validate::{
    Loc, Located, Locator, RawConcept, RawGlossary, RawStatus, RawTerm, validate,
};
use crate::lang;

/// Parses CSV bytes: checks UTF-8 (every bad sequence located), strips a BOM, then
/// [`from_str`].
pub fn from_bytes(bytes: &[u8], file: &Path) -> Result<Glossary, LoadError> {
    let text = super::source::decode_utf8(bytes, file)?;
    from_str(text, file)
}

/// Parses and validates a CSV glossary. `file` is only used in problems and concept origins.
///
/// Every problem in the file is reported; on any problem no glossary is returned.
pub fn from_str(text: &str, file: &Path) -> Result<Glossary, LoadError> {
    validate(parse(text, file))
}

/// Reads a CSV glossary into located raw concepts, with the problems of its CSV syntax.
pub(crate) fn parse(text: &str, file: &Path) -> RawGlossary {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    Parser::new(text, file).run()
}

/// Writes a glossary as CSV: `id,kind`, then `L,L.admitted,L.deprecated` for each language
/// in sorted order, then `note,match`. Rows end in `\n`; fields are quoted only when needed.
///
/// A CSV row holds one preferred form per language: any further preferred forms (possible
/// in TBX input) are written as admitted. A form containing `|` cannot be written to a
/// list column without being split (`lint` warns about such forms).
pub fn to_string(g: &Glossary) -> String {
    let langs = g.languages();
    let mut out = String::new();
    let mut header = vec!["id".to_string(), "kind".to_string()];
    for l in &langs {
        header.extend([
            l.clone(),
            format!("{l}.admitted"),
            format!("{l}.deprecated"),
        ]);
    }
    header.extend(["note".to_string(), "match".to_string()]);
    write_row(&mut out, &header);

    for c in &g.concepts {
        let mut row = vec![
            c.id.clone(),
            c.kind.map(Kind::as_str).unwrap_or("").to_string(),
        ];
        for l in &langs {
            let terms = c.langs.get(l).map(Vec::as_slice).unwrap_or(&[]);
            let preferred = terms.iter().find(|t| t.status == Status::Preferred);
            let admitted: Vec<&str> = terms
                .iter()
                .filter(|t| t.status.is_accepted())
                .filter(|t| !preferred.is_some_and(|p| std::ptr::eq(*t, p)))
                .map(|t| t.text.as_str())
                .collect();
            let deprecated: Vec<&str> = terms
                .iter()
                .filter(|t| t.status == Status::Deprecated)
                .map(|t| t.text.as_str())
                .collect();
            row.push(preferred.map(|t| t.text.clone()).unwrap_or_default());
            row.push(admitted.join("|"));
            row.push(deprecated.join("|"));
        }
        row.push(c.note.clone().unwrap_or_default());
        row.push(if c.case_sensitive { "case" } else { "" }.to_string());
        write_row(&mut out, &row);
    }
    out
}

/// One CSV row, fields quoted only when needed (RFC 4180).
pub(crate) fn write_row(out: &mut String, fields: &[String]) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        // A row whose first byte is `#` would be read back as a comment.
        let quote =
            f.contains([',', '"', '\r', '\n']) || (i == 0 && (f.starts_with('#') || f.is_empty()));
        if quote {
            out.push('"');
            out.push_str(&f.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(f);
        }
    }
    out.push('\n');
}

/// What a header cell names.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Column {
    Id,
    Kind,
    Note,
    Match,
    Forms(String, Status),
}

/// Why a header cell names no column.
enum BadColumn {
    /// Not a column transmend knows.
    Unknown,
    /// A language column whose language code is wrong: what to write instead.
    Language(String),
}

impl Column {
    fn parse(cell: &str) -> Result<Column, BadColumn> {
        let cell = cell.trim();
        Ok(match cell.to_ascii_lowercase().as_str() {
            "id" => Column::Id,
            "kind" => Column::Kind,
            "note" => Column::Note,
            "match" => Column::Match,
            lower => {
                let (lang, status) = match cell.rsplit_once('.') {
                    Some((l, _)) if lower.ends_with(".admitted") => (l, Status::Admitted),
                    Some((l, _)) if lower.ends_with(".deprecated") => (l, Status::Deprecated),
                    Some(_) => return Err(BadColumn::Unknown),
                    None => (cell, Status::Preferred),
                };
                // Something that does not even look like a tag is an unknown column; a tag
                // transmend does not know is a language problem.
                if lang::parse(lang).is_err() && !lang.contains('_') {
                    return Err(BadColumn::Unknown);
                }
                let code = lang::glossary_code(lang).map_err(BadColumn::Language)?;
                Column::Forms(code, status)
            }
        })
    }
}

struct Parser<'a> {
    text: &'a str,
    file: &'a Path,
    locator: Locator<'a>,
    problems: Vec<Problem>,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str, file: &'a Path) -> Parser<'a> {
        Parser {
            text,
            file,
            locator: Locator::new(text),
            problems: Vec::new(),
        }
    }

    fn loc(&self, offset: usize) -> Loc {
        self.locator.loc(offset)
    }

    fn problem(&mut self, offset: usize, message: impl Into<String>) {
        let at = self.loc(offset);
        self.problems
            .push(Problem::new(self.file, at.line, at.column, message));
    }

    fn run(mut self) -> RawGlossary {
        let mut reader = ::csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .comment(Some(b'#'))
            .from_reader(self.text.as_bytes());
        let mut record = ::csv::StringRecord::new();
        let mut header: Option<Vec<Option<Column>>> = None;
        let mut concepts = Vec::new();
        loop {
            match reader.read_record(&mut record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    let offset = e.position().map_or(self.text.len(), |p| p.byte() as usize);
                    self.problem(offset, format!("cannot read the CSV: {e}"));
                    break;
                }
            }
            if record.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            let after_previous = record.position().map_or(0, |p| p.byte() as usize);
            let start = record_start(self.text, after_previous);
            let (starts, end) = field_starts(self.text, start);
            let fields: Vec<(&str, usize)> = record
                .iter()
                .enumerate()
                .map(|(i, f)| (f, starts.get(i).copied().unwrap_or(end)))
                .collect();
            match &header {
                None => header = Some(self.header(&fields, start)),
                Some(columns) => {
                    if let Some(c) = self.row(columns, &fields, start, end) {
                        concepts.push(c);
                    }
                }
            }
        }
        if header.is_none() {
            self.problem(0, "the file has no header row");
        }
        RawGlossary {
            file: self.file.to_path_buf(),
            concepts,
            problems: self.problems,
        }
    }

    fn header(&mut self, fields: &[(&str, usize)], start: usize) -> Vec<Option<Column>> {
        let mut columns = Vec::new();
        let mut seen: HashMap<Column, usize> = HashMap::new();
        for &(cell, offset) in fields {
            let column = Column::parse(cell);
            match &column {
                Err(_) if cell.trim().is_empty() => self.problem(offset, "a column has no name"),
                Err(BadColumn::Unknown) => self.problem(
                    offset,
                    format!(
                        "unknown column '{}' (expected id, kind, note, match, or a language \
                         code such as en, en.admitted, en.deprecated)",
                        cell.trim()
                    ),
                ),
                Err(BadColumn::Language(why)) => {
                    self.problem(offset, format!("column '{}': {why}", cell.trim()))
                }
                Ok(col) => {
                    if let Some(&first) = seen.get(col) {
                        let first_column = self.loc(first).column;
                        self.problem(
                            offset,
                            format!(
                                "duplicate column '{}': same as column {first_column}",
                                cell.trim()
                            ),
                        );
                    } else {
                        seen.insert(col.clone(), offset);
                    }
                }
            }
            columns.push(column.ok());
        }
        if !seen.contains_key(&Column::Id) {
            self.problem(start, "missing the required 'id' column");
        }
        if !seen.keys().any(|c| matches!(c, Column::Forms(..))) {
            self.problem(
                start,
                "no language column (such as en or zh): the glossary has no forms",
            );
        }
        columns
    }

    /// Reads one row; `None` when its shape does not fit the header (reported).
    fn row(
        &mut self,
        columns: &[Option<Column>],
        fields: &[(&str, usize)],
        start: usize,
        end: usize,
    ) -> Option<RawConcept> {
        if fields.len() != columns.len() {
            let at = fields.get(columns.len()).map_or(end, |f| f.1);
            self.problem(
                at,
                format!(
                    "the row has {} fields but the header has {}",
                    fields.len(),
                    columns.len()
                ),
            );
            return None;
        }
        let mut concept = RawConcept {
            at: self.loc(start),
            ..RawConcept::default()
        };
        for (column, &(value, offset)) in columns.iter().zip(fields) {
            let located = || Located::new(value.to_string(), self.loc(offset));
            match column {
                None => {}
                Some(Column::Id) => concept.id = Some(located()),
                Some(Column::Kind) if !value.trim().is_empty() => concept.kind = Some(located()),
                Some(Column::Match) if !value.trim().is_empty() => {
                    concept.match_value = Some(located());
                }
                Some(Column::Note) => concept.notes.push(value.to_string()),
                Some(Column::Kind | Column::Match) => {}
                Some(Column::Forms(lang, status)) => {
                    self.forms(lang, *status, value, offset, &mut concept.terms);
                }
            }
        }
        Some(concept)
    }

    /// Reads the forms of one cell. The preferred column holds one form; the others hold
    /// forms separated by `|` (an empty one between separators is passed on, for validation
    /// to report). A cell of only whitespace holds none.
    fn forms(
        &mut self,
        lang: &str,
        status: Status,
        value: &str,
        offset: usize,
        out: &mut Vec<RawTerm>,
    ) {
        if value.trim().is_empty() {
            return;
        }
        let term = |text: &str, at: Loc| RawTerm {
            lang: lang.to_string(),
            text: Located::new(text.to_string(), at),
            status: RawStatus::Given(status),
        };
        if status == Status::Preferred {
            if let Some(bar) = value.find('|') {
                // Reported, then kept as one form so that no follow-on problem appears.
                self.problem(
                    raw_offset(self.text, offset, value, bar),
                    format!(
                        "the '{lang}' column holds the one preferred form; put other forms \
                         in '{lang}.admitted'"
                    ),
                );
            }
            out.push(term(value, self.loc(offset)));
            return;
        }
        let mut at = 0;
        for piece in value.split('|') {
            let here = raw_offset(self.text, offset, value, at);
            out.push(term(piece, self.loc(here)));
            at += piece.len() + 1;
        }
    }
}

/// Skips what the `csv` crate skips before a record (blank lines and `#` comment lines) to
/// find where the record really starts: its position points just after the previous one.
fn record_start(text: &str, mut i: usize) -> usize {
    let b = text.as_bytes();
    loop {
        match b.get(i) {
            Some(b'\r' | b'\n') => i += 1,
            Some(b'#') => {
                while let Some(&c) = b.get(i) {
                    if c == b'\r' || c == b'\n' {
                        break;
                    }
                    i += 1;
                }
            }
            _ => return i,
        }
    }
}

/// The byte offsets at which each field of the record starting at `start` begins (RFC 4180:
/// a field that starts with `"` runs to the matching `"`), and the offset where it ends.
fn field_starts(text: &str, start: usize) -> (Vec<usize>, usize) {
    let b = text.as_bytes();
    let mut starts = vec![start];
    let mut i = start;
    loop {
        if b.get(i) == Some(&b'"') {
            i += 1;
            while let Some(&c) = b.get(i) {
                i += 1;
                if c == b'"' {
                    if b.get(i) == Some(&b'"') {
                        i += 1;
                    } else {
                        break;
                    }
                }
            }
        }
        while let Some(&c) = b.get(i) {
            if matches!(c, b',' | b'\r' | b'\n') {
                break;
            }
            i += 1;
        }
        if b.get(i) == Some(&b',') {
            i += 1;
            starts.push(i);
        } else {
            return (starts, i);
        }
    }
}

/// Maps byte `at` of a field's unquoted `value` to its offset in the file, given the offset
/// where the field's raw text starts (inside quotes, `"` is written `""`).
fn raw_offset(text: &str, field_start: usize, value: &str, at: usize) -> usize {
    if text.as_bytes().get(field_start) != Some(&b'"') {
        return field_start + at;
    }
    let before = value.get(..at).unwrap_or(value);
    field_start + 1 + before.len() + before.matches('"').count()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::glossary::model::{Concept, Origin, Term};

    const SPEC_EXAMPLE: &str = "\
id,kind,en,en.admitted,en.deprecated,zh,zh.admitted,zh.deprecated,note
labour-party,org,Labour Party,Labour,,工党,,劳动党|劳工党|劳动派对,\"the UK party, not labour as in work\"
nec,org,National Executive Committee,NEC,,全国执行委员会,国家执行委员会|NEC,,Labour's ruling body
ian-lavery,person,Ian Lavery,,,伊恩·拉弗里,Ian Lavery,,MP for Wansbeck
";

    fn load(text: &str) -> Glossary {
        from_str(text, Path::new("g.csv")).unwrap()
    }

    /// The (line, column, message) of every problem.
    fn problems(text: &str) -> Vec<(usize, usize, String)> {
        from_str(text, Path::new("g.csv"))
            .unwrap_err()
            .problems
            .into_iter()
            .map(|p| (p.line, p.column, p.message))
            .collect()
    }

    /// The single problem's (line, column), and checks its message contains `needle`.
    fn one_problem(text: &str, needle: &str) -> (usize, usize) {
        let ps = problems(text);
        assert_eq!(ps.len(), 1, "{ps:?}");
        assert!(ps[0].2.contains(needle), "{:?} lacks {needle:?}", ps[0].2);
        (ps[0].0, ps[0].1)
    }

    fn forms(c: &Concept, lang: &str) -> Vec<(String, Status)> {
        c.langs[lang]
            .iter()
            .map(|t| (t.text.clone(), t.status))
            .collect()
    }

    #[test]
    fn reads_the_spec_example() {
        let g = load(SPEC_EXAMPLE);
        assert_eq!(g.concepts.len(), 3);
        let lp = g.get("labour-party").unwrap();
        assert_eq!(lp.kind, Some(Kind::Org));
        assert_eq!(
            lp.note.as_deref(),
            Some("the UK party, not labour as in work")
        );
        assert_eq!(
            lp.origin,
            Origin {
                file: "g.csv".into(),
                line: 2
            }
        );
        assert_eq!(lp.preferred("zh"), Some("工党"));
        assert_eq!(
            lp.deprecated("zh").collect::<Vec<_>>(),
            ["劳动党", "劳工党", "劳动派对"]
        );
        assert_eq!(
            lp.accepted("en").collect::<Vec<_>>(),
            ["Labour Party", "Labour"]
        );
        let nec = g.get("nec").unwrap();
        assert_eq!(
            nec.accepted("zh").collect::<Vec<_>>(),
            ["全国执行委员会", "国家执行委员会", "NEC"]
        );
        let ian = g.get("ian-lavery").unwrap();
        assert_eq!(ian.kind, Some(Kind::Person));
        assert_eq!(ian.origin.line, 4);
        assert!(!ian.case_sensitive);
        assert_eq!(g.languages(), ["en", "zh"]);
    }

    #[test]
    fn preferred_comes_first_whatever_the_column_order() {
        let g = load(
            "en.deprecated,en.admitted,id,en\nLabor Party,Labour|Labour party,lp,Labour Party\n",
        );
        assert_eq!(
            forms(&g.concepts[0], "en"),
            [
                ("Labour Party".to_string(), Status::Preferred),
                ("Labour".to_string(), Status::Admitted),
                ("Labour party".to_string(), Status::Admitted),
                ("Labor Party".to_string(), Status::Deprecated),
            ]
        );
    }

    #[test]
    fn comments_blank_rows_and_quoting() {
        let text = "\
# The Labour glossary
# edited by volunteers

id,en,en.admitted,note,match
# a comment between rows
smith,\"Smith, \"\"Jr\"\"\",\"J. \"\"Jack\"\" Smith|Smith\",\"two
lines\",case
,,,,

nec,NEC,,,
";
        let g = load(text);
        assert_eq!(g.concepts.len(), 2);
        let s = &g.concepts[0];
        assert_eq!(s.preferred("en"), Some("Smith, \"Jr\""));
        assert_eq!(
            s.accepted("en").collect::<Vec<_>>(),
            ["Smith, \"Jr\"", "J. \"Jack\" Smith", "Smith"]
        );
        assert_eq!(s.note.as_deref(), Some("two\nlines"));
        assert!(s.case_sensitive);
        assert_eq!(s.origin.line, 6);
        assert_eq!(g.concepts[1].origin.line, 10);
        assert_eq!(g.concepts[1].note, None);
    }

    #[test]
    fn bom_is_stripped_and_regions_normalised() {
        let g = load("\u{FEFF}id,en-GB,ZH.admitted\nnec,NEC,NEC\n");
        assert_eq!(g.concepts[0].preferred("en"), Some("NEC"));
        assert_eq!(g.concepts[0].accepted("zh").collect::<Vec<_>>(), ["NEC"]);
        let g = from_bytes(b"\xEF\xBB\xBFid,en\nx,y\n", Path::new("g.csv")).unwrap();
        assert_eq!(g.concepts[0].id, "x");
    }

    #[test]
    fn forms_are_kept_as_written() {
        let g = load("id,en,en.admitted\nx, Labour  Party,Labour |  Lab\n");
        assert_eq!(
            g.concepts[0].accepted("en").collect::<Vec<_>>(),
            [" Labour  Party", "Labour ", "  Lab"]
        );
    }

    #[test]
    fn rejects_a_missing_id_column() {
        assert_eq!(
            one_problem("en,zh\nLabour,工党\n", "missing the required 'id'"),
            (1, 1)
        );
        // after comments, the header's own line is reported
        assert_eq!(one_problem("# c\n\nen\nx\n", "'id'"), (3, 1));
    }

    #[test]
    fn rejects_a_duplicate_id() {
        assert_eq!(
            one_problem(
                "id,en\na,x\n# c\n a ,y\n",
                "duplicate id 'a': already defined on line 2"
            ),
            (4, 1)
        );
    }

    #[test]
    fn rejects_an_empty_id() {
        assert_eq!(
            one_problem("id,en\nx,X\n  ,y\n", "a concept without an id"),
            (3, 1)
        );
        assert_eq!(one_problem("en,id\ny,\n", "without an id"), (2, 3));
    }

    #[test]
    fn rejects_unknown_and_duplicate_columns() {
        assert_eq!(
            one_problem("id,en,colour\nx,y,z\n", "unknown column 'colour'"),
            (1, 7)
        );
        assert_eq!(
            one_problem("id,en,en.preferred\nx,y,z\n", "unknown column"),
            (1, 7)
        );
        assert_eq!(one_problem("id,en,\nx,y,\n", "no name"), (1, 7));
        assert_eq!(
            one_problem(
                "id,en,en-GB\nx,y,z\n",
                "duplicate column 'en-GB': same as column 4"
            ),
            (1, 7)
        );
        assert_eq!(one_problem("id,note\n", "no language column"), (1, 1));
    }

    #[test]
    fn language_columns_name_a_language_transmend_knows() {
        // `eng` is ISO 639-3: it used to load as a language of its own that nothing matched.
        assert_eq!(
            one_problem(
                "id,en,eng.admitted\nx,y,z\n",
                "column 'eng.admitted': 'eng' is not a language transmend knows; did you mean 'en'?"
            ),
            (1, 7)
        );
        assert!(
            problems("id,en,eng\nx,y,z\n")[0]
                .2
                .contains("known codes: af, ")
        );
        assert_eq!(
            one_problem(
                "id,en,zh_CN\nx,y,z\n",
                "column 'zh_CN': 'zh_CN' separates its subtags with '_'"
            ),
            (1, 7)
        );
        let g = from_str("id,EN,zh-Hans.admitted\nx,y,z\n", Path::new("g.csv")).unwrap();
        assert_eq!(g.concepts[0].langs.keys().collect::<Vec<_>>(), ["en", "zh"]);
    }

    #[test]
    fn rejects_an_unknown_kind() {
        assert_eq!(
            one_problem("id,kind,en\na,thing,x\n", "unknown kind 'thing'"),
            (2, 3)
        );
    }

    #[test]
    fn rejects_a_bad_match_value() {
        assert_eq!(
            one_problem("id,en,match\na,x,exact\n", "bad match value 'exact'"),
            (2, 5)
        );
        assert!(load("id,en,match\na,x,Case\nb,y, \n").concepts[0].case_sensitive);
    }

    #[test]
    fn rejects_empty_forms_between_bars() {
        assert_eq!(
            one_problem("id,en,en.admitted\na,x,b||c\n", "empty form in 'en'"),
            (2, 7)
        );
        assert_eq!(
            one_problem("id,en,en.deprecated\na,x,b|\n", "empty form in 'en'"),
            (2, 7)
        );
        assert_eq!(
            one_problem("id,en,en.admitted\na,x,|b\n", "empty form"),
            (2, 5)
        );
        assert_eq!(
            one_problem("id,en,en.admitted\na,x,b| |c\n", "empty form"),
            (2, 7)
        );
        // inside quotes the column counts the raw text, quote characters included
        assert_eq!(
            one_problem("id,en,en.admitted\na,x,\"\"\"b\"\",c|\"\n", "empty form"),
            (2, 14)
        );
    }

    #[test]
    fn rejects_a_bar_in_the_preferred_column() {
        assert_eq!(
            one_problem("id,en\na,Labour|Lab\n", "one preferred form"),
            (2, 9)
        );
    }

    #[test]
    fn rejects_a_form_both_accepted_and_deprecated() {
        assert_eq!(
            one_problem(
                "id,en,en.deprecated\na,Labour,Labor|Labour\n",
                "'Labour' is listed both as accepted (line 2, column 3) and as deprecated in 'en'"
            ),
            (2, 16)
        );
        // the same form up to NFC and surrounding spaces
        assert_eq!(
            one_problem(
                "id,fr.admitted,fr.deprecated\na,Orl\u{e9}ans,Orle\u{301}ans \n",
                "both"
            ),
            (2, 11)
        );
        // in different languages it is fine
        load("id,en,zh.deprecated\na,NEC,NEC\n");
    }

    #[test]
    fn rejects_rows_with_the_wrong_number_of_fields() {
        assert_eq!(
            one_problem(
                "id,en\na,x,y\n",
                "the row has 3 fields but the header has 2"
            ),
            (2, 5)
        );
        assert_eq!(
            one_problem("id,en,zh\na,x\n", "2 fields but the header has 3"),
            (2, 4)
        );
    }

    #[test]
    fn rejects_a_concept_with_no_form() {
        assert_eq!(
            one_problem(
                "id,en,zh,note\na,,  ,hello\n",
                "concept 'a' has no form in any language"
            ),
            (2, 1)
        );
    }

    #[test]
    fn rejects_an_empty_file() {
        assert_eq!(one_problem("# only a comment\n", "no header"), (1, 1));
    }

    #[test]
    fn collects_every_problem_in_file_order() {
        let text = "\
id,kind,en,en.admitted,zh.deprecated,colour
a,org,A,,,red
a,thing,B,x||y,,blue
b,org,C,D,,green,extra
c,org,\"multi
line\",x|,,
";
        let ps = problems(text);
        let at: Vec<(usize, usize)> = ps.iter().map(|p| (p.0, p.1)).collect();
        assert_eq!(
            at,
            [(1, 38), (3, 1), (3, 3), (3, 13), (4, 18), (6, 9)],
            "{ps:?}"
        );
    }

    #[test]
    fn round_trips_through_its_own_output() {
        let g = load(SPEC_EXAMPLE);
        let text = to_string(&g);
        assert!(text.starts_with(
            "id,kind,en,en.admitted,en.deprecated,zh,zh.admitted,zh.deprecated,note,match\n"
        ));
        assert!(text.contains(
            "\nlabour-party,org,Labour Party,Labour,,工党,,劳动党|劳工党|劳动派对,\"the UK party, not labour as in work\",\n"
        ));
        let back = load(&text);
        assert_eq!(back.concepts.len(), 3);
        for (a, b) in g.concepts.iter().zip(&back.concepts) {
            assert_eq!(
                (&a.id, a.kind, &a.note, a.case_sensitive, &a.langs),
                (&b.id, b.kind, &b.note, b.case_sensitive, &b.langs)
            );
        }
    }

    #[test]
    fn writes_extra_preferred_forms_as_admitted_and_protects_hash_ids() {
        let mut langs = BTreeMap::new();
        langs.insert(
            "en".to_string(),
            vec![
                Term {
                    text: "A".into(),
                    status: Status::Preferred,
                },
                Term {
                    text: "B".into(),
                    status: Status::Preferred,
                },
                Term {
                    text: "C".into(),
                    status: Status::Admitted,
                },
            ],
        );
        let g = Glossary {
            concepts: vec![Concept {
                id: "#1".into(),
                kind: None,
                note: None,
                case_sensitive: false,
                langs,
                origin: Origin::default(),
            }],
        };
        let text = to_string(&g);
        assert_eq!(
            text,
            "id,kind,en,en.admitted,en.deprecated,note,match\n\"#1\",,A,B|C,,,\n"
        );
        assert_eq!(load(&text).concepts[0].id, "#1");
    }
}
