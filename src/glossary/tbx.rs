//! Reads and writes TBX-Basic (ISO 30042): TBX v3 `<tbx>` and, on input, TBX v2 `<martif>`.
//!
//! Mapping between the model and TBX:
//!
//! - a concept is a `<conceptEntry id>` (v2: `<termEntry id>`);
//! - its forms are `<termSec>` (v2: `<tig>`, `<ntig>`) inside `<langSec xml:lang>`
//!   (v2: `<langSet>`); the language is the tag's primary subtag, lower-cased (`en-GB` -> `en`);
//! - a form's status is `<termNote type="administrativeStatus">` (also read:
//!   `normativeAuthorization`, and the DCT-style `<administrativeStatus>` element), written as
//!   `preferredTerm-admn-sts`, `admittedTerm-admn-sts` or `deprecatedTerm-admn-sts`, and read
//!   leniently by `validate` (`forbidden`, `superseded*`, ... are deprecated); anything
//!   unknown is an error (a misspelt status must not turn a wrong form into an accepted one);
//! - a form with no status is admitted, except that in a language where no form is marked
//!   preferred, the first form with no status becomes the preferred one (plain TBX lists of
//!   equivalents mark nothing, and their first term is the main one). The writer always
//!   writes a status, so this rule never changes a round trip;
//! - the concept's note is a concept-level `<note>`. On input, `<note>` and
//!   `<descrip type="definition">` at concept or language level are all kept, joined by a
//!   blank line; notes on single terms are not read;
//! - TBX-Basic has no data category for transmend's `kind` and `match`, so they are written as
//!   concept-level notes with a fixed form, `transmend:kind=org` and `transmend:match=case`,
//!   which other tools show as ordinary notes and this reader turns back into fields (any note
//!   starting `transmend:kind=` or `transmend:match=` is such a field, checked like the CSV
//!   columns; each may appear once per concept).
//!
//! Everything else in a TBX file (header, subject fields, term types, transactions) is ignored.
//! This module reads the file into located raw concepts and reports what is TBX's own (XML,
//! structure, language codes); `validate` checks the concepts as for every format.

use std::fmt::Write as _;
use std::path::Path;

use quick_xml::Reader;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};

use super::error::{LoadError, Problem};
use super::model::{Glossary, Status};
use super::validate::{
    Loc, Located, Locator, RawConcept, RawGlossary, RawStatus, RawTerm, validate,
};
use crate::lang;

const KIND_NOTE: &str = "transmend:kind=";
const MATCH_NOTE: &str = "transmend:match=";

/// Parses TBX bytes: checks UTF-8 (every bad sequence located), strips a BOM, then
/// [`from_str`].
pub fn from_bytes(bytes: &[u8], file: &Path) -> Result<Glossary, LoadError> {
    let text = super::source::decode_utf8(bytes, file)?;
    from_str(text, file)
}

/// Parses and validates a TBX-Basic document (v3 `<tbx>` or v2 `<martif>`). `file` is only
/// used in problems and concept origins. Every problem is reported; on any, nothing is returned.
pub fn from_str(text: &str, file: &Path) -> Result<Glossary, LoadError> {
    validate(parse(text, file))
}

/// Reads a TBX document into located raw concepts, with the problems of its XML and structure.
pub(crate) fn parse(text: &str, file: &Path) -> RawGlossary {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut parser = Parser {
        file,
        locator: Locator::new(text),
        problems: Vec::new(),
        concepts: Vec::new(),
    };
    parser.run(text);
    RawGlossary {
        file: file.to_path_buf(),
        concepts: parser.concepts,
        problems: parser.problems,
    }
}

/// Writes a glossary as a TBX v3 TBX-Basic document (DCA style), following the mapping in
/// this module's documentation.
pub fn to_string(g: &Glossary) -> String {
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(
        "<tbx type=\"TBX-Basic\" style=\"dca\" xml:lang=\"en\" \
         xmlns=\"urn:iso:std:iso:30042:ed-2\">\n",
    );
    out.push_str(
        "  <tbxHeader>\n    <fileDesc>\n      <sourceDesc>\n        \
         <p>Written by transmend</p>\n      </sourceDesc>\n    </fileDesc>\n  </tbxHeader>\n",
    );
    out.push_str("  <text>\n    <body>\n");
    for c in &g.concepts {
        let _ = writeln!(out, "      <conceptEntry id=\"{}\">", escape(&c.id, true));
        if let Some(kind) = c.kind {
            let _ = writeln!(out, "        <note>{KIND_NOTE}{}</note>", kind.as_str());
        }
        if c.case_sensitive {
            let _ = writeln!(out, "        <note>{MATCH_NOTE}case</note>");
        }
        if let Some(note) = &c.note {
            let _ = writeln!(out, "        <note>{}</note>", escape(note, false));
        }
        for (lang, terms) in &c.langs {
            let _ = writeln!(out, "        <langSec xml:lang=\"{}\">", escape(lang, true));
            for t in terms {
                let status = match t.status {
                    Status::Preferred => "preferredTerm-admn-sts",
                    Status::Admitted => "admittedTerm-admn-sts",
                    Status::Deprecated => "deprecatedTerm-admn-sts",
                };
                let _ = writeln!(
                    out,
                    "          <termSec>\n            <term>{}</term>\n            \
                     <termNote type=\"administrativeStatus\">{status}</termNote>\n          \
                     </termSec>",
                    escape(&t.text, false)
                );
            }
            out.push_str("        </langSec>\n");
        }
        out.push_str("      </conceptEntry>\n");
    }
    out.push_str("    </body>\n  </text>\n</tbx>\n");
    out
}

/// Escapes text for XML content (or, with `attribute`, a double-quoted attribute value).
/// Control characters are written as character references so that nothing is lost;
/// those other than tab, newline and carriage return are not allowed in XML 1.0, and
/// `lint` warns about forms that contain them.
fn escape(s: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' | '\t' if !attribute => out.push(c),
            c if c.is_control() => {
                let _ = write!(out, "&#x{:X};", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

/// What the text being collected belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Target {
    Term,
    Status,
    Note,
}

/// Text being collected until the element that started it closes.
struct Capture {
    target: Target,
    depth: usize,
    offset: usize,
    text: String,
}

/// A form being read.
struct PendingTerm {
    offset: usize,
    text: Option<Located<String>>,
    statuses: Vec<Located<String>>,
}

/// The state of the walk through the document.
#[derive(Default)]
struct State {
    stack: Vec<String>,
    /// The concept being read.
    entry: Option<RawConcept>,
    /// `Some(None)` inside a language section whose language is missing or invalid.
    lang: Option<Option<String>>,
    term: Option<PendingTerm>,
    capture: Option<Capture>,
}

struct Parser<'a> {
    file: &'a Path,
    locator: Locator<'a>,
    problems: Vec<Problem>,
    concepts: Vec<RawConcept>,
}

impl Parser<'_> {
    fn loc(&self, offset: usize) -> Loc {
        self.locator.loc(offset)
    }

    fn problem(&mut self, offset: usize, message: impl Into<String>) {
        let at = self.loc(offset);
        self.problems
            .push(Problem::new(self.file, at.line, at.column, message));
    }

    fn run(&mut self, text: &str) {
        let mut reader = Reader::from_str(text);
        let mut st = State::default();
        let mut root_seen = false;
        loop {
            let offset = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
            let event = match reader.read_event() {
                Ok(e) => e,
                Err(e) => {
                    let at = usize::try_from(reader.error_position()).unwrap_or(usize::MAX);
                    self.problem(at, format!("malformed XML: {e}"));
                    return;
                }
            };
            match event {
                Event::Start(ref e) | Event::Empty(ref e) if !root_seen => {
                    root_seen = true;
                    let name = local_name(e);
                    if name != "tbx" && name != "martif" {
                        self.problem(
                            offset,
                            format!("not a TBX file: the root element is <{name}>, not <tbx> or <martif>"),
                        );
                        return;
                    }
                    if matches!(event, Event::Start(_)) {
                        st.stack.push(name);
                    }
                }
                Event::Start(e) => {
                    self.open(&mut st, &e, offset);
                    st.stack.push(local_name(&e));
                }
                Event::Empty(e) => {
                    // An empty element opens and closes at once.
                    self.open(&mut st, &e, offset);
                    st.stack.push(local_name(&e));
                    self.close(&mut st);
                }
                Event::End(_) => self.close(&mut st),
                Event::Text(t) => {
                    if let Some(c) = &mut st.capture {
                        c.text.push_str(&t.xml10_content());
                    }
                }
                Event::CData(t) => {
                    if let Some(c) = &mut st.capture {
                        c.text.push_str(&t.xml10_content());
                    }
                }
                Event::GeneralRef(r) => {
                    let resolved = match r.resolve_char_ref() {
                        Ok(Some(ch)) => Some(ch.to_string()),
                        Ok(None) => resolve_predefined_entity(&r).map(str::to_string),
                        Err(_) => None,
                    };
                    match resolved {
                        Some(s) => {
                            if let Some(c) = &mut st.capture {
                                c.text.push_str(&s);
                            }
                        }
                        None => self.problem(offset, format!("unknown entity '&{};'", &*r)),
                    }
                }
                Event::Eof => break,
                Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
            }
        }
        if !root_seen {
            self.problem(0, "not a TBX file: no root element");
        } else if let Some(open) = st.stack.last() {
            self.problem(text.len(), format!("the file ends before </{open}>"));
        }
    }

    /// Handles the start of an element (the stack does not include it yet).
    fn open(&mut self, st: &mut State, e: &BytesStart<'_>, offset: usize) {
        if st.capture.is_some() {
            return; // inline markup inside a term or note: only its text counts
        }
        let name = local_name(e);
        let depth = st.stack.len() + 1;
        let capture = |target| Capture {
            target,
            depth,
            offset,
            text: String::new(),
        };
        match name.as_str() {
            "conceptEntry" | "termEntry" if st.entry.is_none() => {
                let at = self.loc(offset);
                st.entry = Some(RawConcept {
                    at,
                    // A missing id is an empty one, for validation to report.
                    id: Some(Located::new(attribute(e, "id").unwrap_or_default(), at)),
                    ..RawConcept::default()
                });
            }
            "langSec" | "langSet" if st.entry.is_some() && st.lang.is_none() => {
                let tag = attribute(e, "xml:lang").or_else(|| attribute(e, "lang"));
                let lang = match &tag {
                    None => {
                        self.problem(offset, format!("<{name}> without xml:lang"));
                        None
                    }
                    Some(tag) => match lang::glossary_code(tag) {
                        Ok(code) => Some(code),
                        Err(why) => {
                            self.problem(offset, format!("xml:lang {why}"));
                            None
                        }
                    },
                };
                st.lang = Some(lang);
            }
            "termSec" | "tig" | "ntig" if st.lang.is_some() && st.term.is_none() => {
                st.term = Some(PendingTerm {
                    offset,
                    text: None,
                    statuses: Vec::new(),
                });
            }
            "term" if st.term.is_some() => st.capture = Some(capture(Target::Term)),
            "termNote" if st.term.is_some() && is_status_type(e) => {
                st.capture = Some(capture(Target::Status));
            }
            "administrativeStatus" if st.term.is_some() => {
                st.capture = Some(capture(Target::Status));
            }
            "note" if st.entry.is_some() && st.term.is_none() => {
                st.capture = Some(capture(Target::Note));
            }
            "descrip" if st.entry.is_some() && st.term.is_none() && is_definition(e) => {
                st.capture = Some(capture(Target::Note));
            }
            "definition" if st.entry.is_some() && st.term.is_none() => {
                st.capture = Some(capture(Target::Note));
            }
            _ => {}
        }
    }

    /// Handles the end of the element on top of the stack, and pops it.
    fn close(&mut self, st: &mut State) {
        let depth = st.stack.len();
        let Some(name) = st.stack.pop() else {
            return;
        };
        if let Some(c) = st.capture.take_if(|c| c.depth == depth) {
            self.finish_capture(st, c);
            return;
        }
        if st.capture.is_some() {
            return;
        }
        match name.as_str() {
            "termSec" | "tig" | "ntig" => {
                if let Some(t) = st.term.take() {
                    self.finish_term(st, t);
                }
            }
            "langSec" | "langSet" => st.lang = None,
            "conceptEntry" | "termEntry" => {
                if let Some(entry) = st.entry.take() {
                    self.concepts.push(entry);
                }
                st.lang = None;
                st.term = None;
            }
            _ => {}
        }
    }

    fn finish_capture(&mut self, st: &mut State, c: Capture) {
        let at = self.loc(c.offset);
        match c.target {
            Target::Term => {
                if let Some(t) = &mut st.term {
                    t.text = Some(Located::new(c.text, at));
                }
            }
            Target::Status => {
                if let Some(t) = &mut st.term {
                    t.statuses.push(Located::new(c.text, at));
                }
            }
            Target::Note => {
                let Some(entry) = &mut st.entry else {
                    return;
                };
                let trimmed = c.text.trim();
                let (field, note, value) = if let Some(kind) = trimmed.strip_prefix(KIND_NOTE) {
                    (&mut entry.kind, KIND_NOTE, kind)
                } else if let Some(value) = trimmed.strip_prefix(MATCH_NOTE) {
                    (&mut entry.match_value, MATCH_NOTE, value)
                } else {
                    entry.notes.push(c.text);
                    return;
                };
                match field {
                    Some(first) => {
                        let message = format!(
                            "a second '{note}' note in one concept (the first is on line {})",
                            first.at.line
                        );
                        self.problem(c.offset, message);
                    }
                    None => *field = Some(Located::new(value.to_string(), at)),
                }
            }
        }
    }

    fn finish_term(&mut self, st: &mut State, t: PendingTerm) {
        let Some(text) = t.text else {
            self.problem(t.offset, "a term section without a <term>");
            return;
        };
        let (Some(entry), Some(Some(lang))) = (&mut st.entry, &st.lang) else {
            return;
        };
        entry.terms.push(RawTerm {
            lang: lang.clone(),
            text,
            status: RawStatus::Written(t.statuses),
        });
    }
}

/// A `termNote` that carries the administrative status.
fn is_status_type(e: &BytesStart<'_>) -> bool {
    matches!(
        attribute(e, "type").as_deref(),
        Some("administrativeStatus" | "normativeAuthorization")
    )
}

/// A `descrip` that is a definition.
fn is_definition(e: &BytesStart<'_>) -> bool {
    attribute(e, "type").as_deref() == Some("definition")
}

fn local_name(e: &BytesStart<'_>) -> String {
    e.local_name().as_ref().to_string()
}

/// The value of attribute `name` (qualified, e.g. `xml:lang`), unescaped; `None` when absent
/// or unreadable.
fn attribute(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::glossary::model::{Concept, Kind, Origin, Term};

    const V3: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
  <tbxHeader><fileDesc><sourceDesc><p>test</p></sourceDesc></fileDesc></tbxHeader>
  <text>
    <body>
      <conceptEntry id="labour-party">
        <descrip type="subjectField">politics</descrip>
        <note>the UK party</note>
        <langSec xml:lang="en-GB">
          <termSec>
            <term>Labour Party</term>
            <termNote type="partOfSpeech">properNoun</termNote>
            <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>
          </termSec>
          <termSec>
            <term>Labour</term>
            <termNote type="administrativeStatus">admittedTerm-admn-sts</termNote>
          </termSec>
        </langSec>
        <langSec xml:lang="zh">
          <descrip type="definition">英国政党</descrip>
          <termSec>
            <term>劳动派对</term>
            <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote>
          </termSec>
          <termSec>
            <term>工党</term>
            <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>
          </termSec>
        </langSec>
      </conceptEntry>
      <conceptEntry id="nec">
        <langSec xml:lang="en"><termSec><term>NEC</term></termSec></langSec>
      </conceptEntry>
    </body>
  </text>
</tbx>
"#;

    const MARTIF: &str = r#"<?xml version="1.0"?>
<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">
<martif type="TBX-Basic" xml:lang="en-US">
<martifHeader><fileDesc><sourceDesc><p>old</p></sourceDesc></fileDesc></martifHeader>
<text><body>
<termEntry id="tory">
  <langSet xml:lang="en">
    <tig><term>Tory</term><termNote type="administrativeStatus">preferred</termNote></tig>
    <ntig><termGrp><term>Conservative</term>
      <termNote type="administrativeStatus">Admitted</termNote></termGrp></ntig>
  </langSet>
  <langSet xml:lang="zh-CN">
    <tig><term>托利</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>
    <tig><term>托里</term><termNote type="administrativeStatus">forbidden</termNote></tig>
    <tig><term>陶立</term><termNote type="administrativeStatus">obsolete</termNote></tig>
    <tig><term>保守派</term><termNote type="administrativeStatus">supersededTerm-admn-sts</termNote></tig>
    <tig><term>托党</term><termNote type="normativeAuthorization">deprecated</termNote></tig>
  </langSet>
</termEntry>
<termEntry id="plain">
  <langSet xml:lang="fr">
    <tig><term>parti</term></tig>
    <tig><term>formation</term></tig>
  </langSet>
  <langSet xml:lang="de">
    <tig><term>Partei</term><termNote type="administrativeStatus">admittedTerm-admn-sts</termNote></tig>
    <tig><term>Fraktion</term></tig>
    <tig><term>Gruppe</term></tig>
  </langSet>
</termEntry>
</body></text>
</martif>
"#;

    fn load(text: &str) -> Glossary {
        from_str(text, Path::new("g.tbx")).unwrap()
    }

    fn problems(text: &str) -> Vec<(usize, usize, String)> {
        from_str(text, Path::new("g.tbx"))
            .unwrap_err()
            .problems
            .into_iter()
            .map(|p| (p.line, p.column, p.message))
            .collect()
    }

    fn one_problem(text: &str, needle: &str) -> (usize, usize) {
        let ps = problems(text);
        assert_eq!(ps.len(), 1, "{ps:?}");
        assert!(ps[0].2.contains(needle), "{:?} lacks {needle:?}", ps[0].2);
        (ps[0].0, ps[0].1)
    }

    fn forms<'a>(c: &'a Concept, lang: &str) -> Vec<(&'a str, Status)> {
        c.langs[lang]
            .iter()
            .map(|t| (t.text.as_str(), t.status))
            .collect()
    }

    /// A one-concept TBX v3 document with `body` inside the concept entry.
    fn entry(body: &str) -> String {
        format!(
            "<tbx type=\"TBX-Basic\" style=\"dca\">\n<text><body>\n<conceptEntry id=\"c\">\n{body}\n\
             </conceptEntry>\n</body></text></tbx>\n"
        )
    }

    #[test]
    fn reads_tbx_v3() {
        let g = load(V3);
        assert_eq!(g.concepts.len(), 2);
        let lp = &g.concepts[0];
        assert_eq!(lp.id, "labour-party");
        assert_eq!(
            lp.origin,
            Origin {
                file: "g.tbx".into(),
                line: 6
            }
        );
        assert_eq!(lp.note.as_deref(), Some("the UK party\n\n英国政党"));
        assert_eq!(lp.kind, None);
        assert_eq!(
            forms(lp, "en"),
            [
                ("Labour Party", Status::Preferred),
                ("Labour", Status::Admitted)
            ]
        );
        // the preferred form first, whatever the file order
        assert_eq!(
            forms(lp, "zh"),
            [
                ("工党", Status::Preferred),
                ("劳动派对", Status::Deprecated)
            ]
        );
        // the only form, with no status: preferred
        assert_eq!(forms(&g.concepts[1], "en"), [("NEC", Status::Preferred)]);
        assert_eq!(g.concepts[1].origin.line, 32);
    }

    #[test]
    fn reads_martif_with_lenient_statuses() {
        let g = load(MARTIF);
        let tory = g.get("tory").unwrap();
        assert_eq!(
            forms(tory, "en"),
            [
                ("Tory", Status::Preferred),
                ("Conservative", Status::Admitted)
            ]
        );
        assert_eq!(tory.preferred("zh"), Some("托利"));
        assert_eq!(
            tory.deprecated("zh").collect::<Vec<_>>(),
            ["托里", "陶立", "保守派", "托党"]
        );
        let plain = g.get("plain").unwrap();
        assert_eq!(
            forms(plain, "fr"),
            [
                ("parti", Status::Preferred),
                ("formation", Status::Admitted)
            ]
        );
        // an explicitly admitted form stays admitted; the first unmarked one is promoted
        assert_eq!(
            forms(plain, "de"),
            [
                ("Fraktion", Status::Preferred),
                ("Partei", Status::Admitted),
                ("Gruppe", Status::Admitted)
            ]
        );
    }

    #[test]
    fn reads_entities_cdata_and_inline_markup() {
        let g = load(&entry(
            "<langSec xml:lang=\"en\"><termSec><term>AT&amp;T &lt;&#x4E2D;&#20013;&gt; \
             <hi type=\"bold\">Labour</hi><![CDATA[ & co]]></term></termSec></langSec>",
        ));
        assert_eq!(
            g.concepts[0].preferred("en"),
            Some("AT&T <中中> Labour & co")
        );
    }

    #[test]
    fn reads_dct_style_status_elements() {
        let g = load(&entry(
            "<langSec xml:lang=\"en\"><termSec><term>Tory</term>\
             <basic:administrativeStatus>deprecatedTerm-admn-sts</basic:administrativeStatus>\
             </termSec><termSec><term>Conservative</term></termSec></langSec>",
        ));
        assert_eq!(g.concepts[0].deprecated("en").collect::<Vec<_>>(), ["Tory"]);
        assert_eq!(g.concepts[0].preferred("en"), Some("Conservative"));
    }

    #[test]
    fn field_notes_are_read_once_and_never_kept_as_notes() {
        let en = "<langSec xml:lang=\"en\"><termSec><term>x</term></termSec></langSec>";
        let g = load(&entry(&format!(
            "<note> transmend:kind=Person </note><note>transmend:match=</note>{en}"
        )));
        let c = &g.concepts[0];
        assert_eq!(
            (c.kind, c.case_sensitive, &c.note),
            (Some(Kind::Person), false, &None)
        );
        assert_eq!(
            one_problem(
                &entry(&format!(
                    "<note>transmend:kind=org</note>\n  <note>transmend:kind=person</note>{en}"
                )),
                "a second 'transmend:kind=' note in one concept (the first is on line 4)"
            ),
            (5, 3)
        );
    }

    #[test]
    fn rejects_an_unknown_status() {
        let text = entry(
            "<langSec xml:lang=\"en\"><termSec><term>x</term>\n  \
             <termNote type=\"administrativeStatus\">deprecatd</termNote></termSec></langSec>",
        );
        assert_eq!(
            one_problem(&text, "unknown administrativeStatus 'deprecatd'"),
            (5, 3)
        );
    }

    #[test]
    fn rejects_a_missing_or_duplicate_id() {
        let text = "<tbx><text><body>\n<conceptEntry>\n<langSec xml:lang=\"en\"><termSec><term>x\
                    </term></termSec></langSec></conceptEntry>\n</body></text></tbx>";
        assert_eq!(one_problem(text, "without an id"), (2, 1));
        let dup = "<martif><text><body>\n\
                   <termEntry id=\"a\"><langSet xml:lang=\"en\"><tig><term>x</term></tig></langSet></termEntry>\n  \
                   <termEntry id=\"a\"><langSet xml:lang=\"en\"><tig><term>y</term></tig></langSet></termEntry>\n\
                   </body></text></martif>";
        assert_eq!(
            one_problem(dup, "duplicate id 'a': already defined on line 2"),
            (3, 3)
        );
    }

    #[test]
    fn rejects_empty_terms_and_entries() {
        let text = entry("<langSec xml:lang=\"en\"><termSec>\n<term>  </term></termSec></langSec>");
        let ps = problems(&text);
        assert_eq!(
            ps.iter().map(|p| (p.0, p.1)).collect::<Vec<_>>(),
            [(3, 1), (5, 1)],
            "{ps:?}"
        );
        assert_eq!(ps[0].2, "concept 'c' has no form in any language");
        assert_eq!(ps[1].2, "empty form in 'en'");
        assert_eq!(
            one_problem(
                &entry(
                    "<langSec xml:lang=\"en\"><termSec/></langSec><langSec xml:lang=\"fr\"><termSec><term>a</term></termSec></langSec>"
                ),
                "without a <term>"
            ),
            (4, 24)
        );
    }

    #[test]
    fn rejects_missing_and_bad_languages() {
        assert_eq!(
            one_problem(
                &entry(
                    "<langSec><termSec><term>a</term></termSec></langSec>\n<langSec xml:lang=\"fr\"><termSec><term>a</term></termSec></langSec>"
                ),
                "<langSec> without xml:lang"
            ),
            (4, 1)
        );
        assert_eq!(
            one_problem(
                &entry(
                    "<langSec xml:lang=\"english\"><termSec><term>a</term></termSec></langSec>\n<langSec xml:lang=\"fr\"><termSec><term>a</term></termSec></langSec>"
                ),
                "xml:lang 'english' is not a BCP 47 language code"
            ),
            (4, 1)
        );
        assert_eq!(
            one_problem(
                &entry(
                    "<langSec xml:lang=\"eng\"><termSec><term>a</term></termSec></langSec>\n<langSec xml:lang=\"fr\"><termSec><term>a</term></termSec></langSec>"
                ),
                "did you mean 'en'?"
            ),
            (4, 1)
        );
    }

    #[test]
    fn rejects_a_form_both_accepted_and_deprecated() {
        let text = entry(
            "<langSec xml:lang=\"en\">\n<termSec><term>Tory</term></termSec>\n\
             <termSec><term>Tory </term><termNote type=\"administrativeStatus\">deprecated\
             </termNote></termSec></langSec>",
        );
        assert_eq!(
            one_problem(
                &text,
                "'Tory' is listed both as accepted (line 5, column 10) and as deprecated in 'en'"
            ),
            (6, 10)
        );
    }

    #[test]
    fn rejects_malformed_xml_and_other_documents() {
        let (line, _) = one_problem("<tbx><text>\n<body></text></tbx>", "malformed XML");
        assert_eq!(line, 2);
        assert_eq!(
            one_problem("\n<html><body/></html>", "root element is <html>"),
            (2, 1)
        );
        assert_eq!(one_problem("", "no root element"), (1, 1));
        assert_eq!(
            one_problem("<tbx><text>\n<body>", "ends before </body>"),
            (2, 7)
        );
        assert_eq!(
            one_problem(
                &entry(
                    "<langSec xml:lang=\"en\"><termSec><term>&nbsp;a</term></termSec></langSec>"
                ),
                "unknown entity '&nbsp;'"
            ),
            (4, 39)
        );
    }

    #[test]
    fn collects_problems_of_several_entries() {
        let text = "<tbx><text><body>\n\
            <conceptEntry id=\"a\"/>\n\
            <conceptEntry id=\"b\"><langSec xml:lang=\"en\"><termSec><term>x</term>\
            <termNote type=\"administrativeStatus\">nope</termNote></termSec></langSec></conceptEntry>\n\
            <conceptEntry id=\"c\"><langSec xml:lang=\"en\"><termSec><term>y</term></termSec></langSec></conceptEntry>\n\
            </body></text></tbx>";
        let ps = problems(text);
        assert_eq!(
            ps.iter().map(|p| (p.0, p.1)).collect::<Vec<_>>(),
            [(2, 1), (3, 68)],
            "{ps:?}"
        );
    }

    fn rich_csv() -> &'static str {
        "\
id,kind,en,en.admitted,en.deprecated,zh,zh.admitted,zh.deprecated,fr,fr.admitted,note,match
labour-party,org,Labour Party,Labour,Labor Party,工党,,劳动党|劳工党|劳动派对,Parti travailliste,,\"the UK party, not labour as in work\",
nec,acronym,NEC,National Executive Committee,,全国执行委员会,国家执行委员会|NEC,,,,\"<b> & \"\"quoted\"\" > 'x'\",case
ian-lavery,person,Ian Lavery,,Ian Lvery,伊恩·拉弗里,Ian Lavery,,,,\"MP for Wansbeck
(two lines)\",
party,,,,,政党,党,派对,,,,
at-t,term,AT&T <Corp>,\"AT&T \"\"Inc\"\"\",,,,,,,,
"
    }

    fn strip_origin(g: &Glossary) -> Vec<Concept> {
        g.concepts
            .iter()
            .cloned()
            .map(|mut c| {
                c.origin = Origin::default();
                c
            })
            .collect()
    }

    #[test]
    fn csv_to_tbx_to_csv_loses_nothing() {
        let from_csv = crate::glossary::csv::from_str(rich_csv(), Path::new("g.csv")).unwrap();
        assert_eq!(from_csv.concepts.len(), 5);
        let tbx = to_string(&from_csv);
        let from_tbx = load(&tbx);
        assert_eq!(strip_origin(&from_tbx), strip_origin(&from_csv));
        let csv = crate::glossary::csv::to_string(&from_tbx);
        let again = crate::glossary::csv::from_str(&csv, Path::new("g.csv")).unwrap();
        assert_eq!(strip_origin(&again), strip_origin(&from_csv));
        // spot checks, so that an empty round trip cannot pass
        let nec = again.get("nec").unwrap();
        assert_eq!(nec.kind, Some(Kind::Acronym));
        assert!(nec.case_sensitive);
        assert_eq!(nec.note.as_deref(), Some("<b> & \"quoted\" > 'x'"));
        assert_eq!(again.get("party").unwrap().kind, None);
        assert_eq!(again.get("party").unwrap().preferred("en"), None);
        assert_eq!(
            again
                .get("at-t")
                .unwrap()
                .accepted("en")
                .collect::<Vec<_>>(),
            ["AT&T <Corp>", "AT&T \"Inc\""]
        );
    }

    #[test]
    fn writes_tbx_v3_with_escaping() {
        let mut langs = BTreeMap::new();
        langs.insert(
            "en".to_string(),
            vec![
                Term {
                    text: "AT&T <\"x\">".into(),
                    status: Status::Preferred,
                },
                Term {
                    text: "A\u{1}B".into(),
                    status: Status::Deprecated,
                },
            ],
        );
        let g = Glossary {
            concepts: vec![Concept {
                id: "a&\"b".into(),
                kind: Some(Kind::Org),
                note: Some("x < y & \"z\"\r\n".into()),
                case_sensitive: true,
                langs,
                origin: Origin::default(),
            }],
        };
        let out = to_string(&g);
        assert!(out.starts_with(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tbx type=\"TBX-Basic\" style=\"dca\" \
             xml:lang=\"en\" xmlns=\"urn:iso:std:iso:30042:ed-2\">\n  <tbxHeader>"
        ));
        let body = &out[out.find("<conceptEntry").unwrap()..out.find("    </body>").unwrap()];
        assert_eq!(
            body,
            "<conceptEntry id=\"a&amp;&quot;b\">
        <note>transmend:kind=org</note>
        <note>transmend:match=case</note>
        <note>x &lt; y &amp; &quot;z&quot;&#xD;
</note>
        <langSec xml:lang=\"en\">
          <termSec>
            <term>AT&amp;T &lt;&quot;x&quot;&gt;</term>
            <termNote type=\"administrativeStatus\">preferredTerm-admn-sts</termNote>
          </termSec>
          <termSec>
            <term>A&#x1;B</term>
            <termNote type=\"administrativeStatus\">deprecatedTerm-admn-sts</termNote>
          </termSec>
        </langSec>
      </conceptEntry>
"
        );
        assert_eq!(strip_origin(&load(&out)), strip_origin(&g));
    }

    #[test]
    fn an_empty_glossary_writes_a_valid_document() {
        let out = to_string(&Glossary::default());
        assert!(out.ends_with("<body>\n    </body>\n  </text>\n</tbx>\n"));
        assert_eq!(load(&out).concepts.len(), 0);
    }
}
