//! Mojibake through the real binary, run from a folder outside the repository on files written
//! there: a Chinese repost garbled by four wrong decodings (UTF-8 read as windows-1252, GBK and
//! Big5 read as Latin-1, UTF-8 read as GBK), saved as UTF-8 in plain text, HTML, Markdown and
//! Word, is flagged by `check` with the steps that undo it and repaired by `fix` into exactly
//! the original text with the markup kept; garble whose bytes are gone (锟斤拷, 烫烫烫) is
//! flagged with nothing to suggest and left alone; clean Chinese, French, German and Russian
//! give no `artifact` flag and no repair; an original changes only with `--write`.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Output;

use common::{in_dir, word_paragraphs, zip_entries};
use serde_json::Value;

/// A Simplified Chinese repost with an English name and Chinese punctuation.
/// It ends in `！`: UTF-8 ending in `。` or `”` read as GBK loses its last byte, so the
/// UTF-8-as-GBK case could not be repaired exactly.
const SIMPLIFIED: &str = "工党全国执行委员会周二发表声明，称Jon Trickett将继续担任全国竞选协调员。他呼吁全党“团结一致”，赢得下一次大选！";

/// The same repost in Traditional characters, as a Big5 page would hold it.
const TRADITIONAL: &str = "工黨全國執行委員會週二發表聲明，稱Jon Trickett將繼續擔任全國競選協調員。他呼籲全黨“團結一致”，贏得下一次大選！";

/// A wrong decoding that garbles a document.
#[derive(Clone, Copy, Debug)]
enum Wrong {
    /// UTF-8 bytes read as windows-1252.
    Utf8As1252,
    /// GBK bytes read as Latin-1.
    GbkAsLatin1,
    /// Big5 bytes (of Traditional text) read as Latin-1.
    Big5AsLatin1,
    /// UTF-8 bytes read as GBK.
    Utf8AsGbk,
}

impl Wrong {
    const ALL: [Wrong; 4] = [
        Wrong::Utf8As1252,
        Wrong::GbkAsLatin1,
        Wrong::Big5AsLatin1,
        Wrong::Utf8AsGbk,
    ];

    /// A short name, for file names.
    fn tag(self) -> &'static str {
        match self {
            Wrong::Utf8As1252 => "utf8-as-1252",
            Wrong::GbkAsLatin1 => "gbk-as-latin1",
            Wrong::Big5AsLatin1 => "big5-as-latin1",
            Wrong::Utf8AsGbk => "utf8-as-gbk",
        }
    }

    /// The text that was garbled, and the heading of a document holding it (in its script).
    fn original(self) -> (&'static str, &'static str) {
        match self {
            Wrong::Big5AsLatin1 => ("轉載", TRADITIONAL),
            _ => ("转载", SIMPLIFIED),
        }
    }

    /// `text` as the wrong decoding shows it.
    fn garble(self, text: &str) -> String {
        let garbled = match self {
            Wrong::Utf8As1252 => encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(text.as_bytes())
                .0
                .into_owned(),
            Wrong::GbkAsLatin1 => {
                let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
                assert!(!unmappable, "{text} is not all GBK");
                latin1(&bytes)
            }
            Wrong::Big5AsLatin1 => {
                let (bytes, _, unmappable) = encoding_rs::BIG5.encode(text);
                assert!(!unmappable, "{text} is not all Big5");
                latin1(&bytes)
            }
            Wrong::Utf8AsGbk => {
                let (garbled, had_errors) =
                    encoding_rs::GBK.decode_without_bom_handling(text.as_bytes());
                assert!(!had_errors, "{text}: its UTF-8 read as GBK lost bytes");
                garbled.into_owned()
            }
        };
        assert_ne!(garbled, text);
        // Nothing in it is markup in any of the formats (it goes in as it is).
        assert!(
            !garbled.contains(['<', '>', '&', '*', '_', '`', '[', ']', '\\', '\n']),
            "{self:?} of {text} holds markup: {garbled:?}"
        );
        garbled
    }

    /// What the `artifact` flag's message must say the repair did.
    fn steps(self) -> &'static str {
        match self {
            Wrong::Utf8As1252 => "encoded as windows-1252, decoded as UTF-8",
            Wrong::GbkAsLatin1 => "encoded as Latin-1, decoded as GB18030",
            Wrong::Big5AsLatin1 => "encoded as Latin-1, decoded as Big5",
            Wrong::Utf8AsGbk => "encoded as GBK, decoded as UTF-8",
        }
    }
}

/// Bytes read as Latin-1: each byte the character of the same number.
fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| char::from(b)).collect()
}

/// A format transmend reads.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Format {
    Text,
    Html,
    Markdown,
    Docx,
}

impl Format {
    const ALL: [Format; 4] = [Format::Text, Format::Html, Format::Markdown, Format::Docx];

    fn ext(self) -> &'static str {
        match self {
            Format::Text => "txt",
            Format::Html => "html",
            Format::Markdown => "md",
            Format::Docx => "docx",
        }
    }

    /// A document with a heading and one paragraph, as saved (UTF-8).
    fn document(self, heading: &str, paragraph: &str) -> Vec<u8> {
        match self {
            Format::Text => format!("{heading}\n\n{paragraph}\n").into_bytes(),
            Format::Html => format!(
                "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n\
                 <title>{heading}</title>\n<style>p {{ margin: 0 }}</style>\n</head>\n<body>\n\
                 <h1 class=\"title\">{heading}</h1>\n<p class=\"lead\">{paragraph}</p>\n\
                 <p><a href=\"https://example.org/labour/nec\">https://example.org/labour/nec</a></p>\n\
                 </body>\n</html>\n"
            )
            .into_bytes(),
            Format::Markdown => format!(
                "# {heading}\n\n{paragraph}\n\n<https://example.org/labour/nec>\n"
            )
            .into_bytes(),
            Format::Docx => docx(&document_xml(heading, paragraph)),
        }
    }

    /// The text `check` reports offsets into: the source, or (DOCX) its paragraphs joined by
    /// one newline.
    fn view(self, heading: &str, paragraph: &str) -> String {
        match self {
            Format::Docx => format!("{heading}\n{paragraph}"),
            _ => String::from_utf8(self.document(heading, paragraph)).unwrap(),
        }
    }
}

/// `word/document.xml` with a heading paragraph and a paragraph of one run.
fn document_xml(heading: &str, paragraph: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
         <w:body><w:p><w:pPr><w:pStyle w:val=\"Heading1\"/></w:pPr><w:r><w:t>{heading}</w:t></w:r></w:p>\
         <w:p><w:r><w:rPr><w:lang w:eastAsia=\"zh-CN\"/></w:rPr><w:t xml:space=\"preserve\">{paragraph}</w:t></w:r></w:p>\
         <w:sectPr/></w:body></w:document>"
    )
}

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
</Types>";

const RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
</Relationships>";

/// A Word file written with `zip`: content types, package relationships and `document_xml`.
fn docx(document_xml: &str) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut out);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in [
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", RELS),
            ("word/document.xml", document_xml),
        ] {
            zip.start_file(name, options).unwrap();
            std::io::Write::write_all(&mut zip, bytes.as_bytes()).unwrap();
        }
        zip.finish().unwrap();
    }
    out.into_inner()
}

/// The `w:t` paragraphs of a Word file's body.
fn docx_paragraphs(bytes: &[u8]) -> Vec<String> {
    let entries = zip_entries(bytes);
    let (_, xml) = entries
        .iter()
        .find(|(n, _)| n == "word/document.xml")
        .expect("a word/document.xml");
    word_paragraphs(xml)
}

/// One document of a test: a file name, and its heading and paragraph as written and as they
/// should read after `fix`.
struct Case {
    name: String,
    format: Format,
    heading: &'static str,
    written: String,
    expected: String,
}

impl Case {
    fn write(&self, dir: &Path) {
        std::fs::write(
            dir.join(&self.name),
            self.format.document(self.heading, &self.written),
        )
        .unwrap();
    }

    /// The file as it should be after `fix`.
    fn fixed(&self) -> Vec<u8> {
        self.format.document(self.heading, &self.expected)
    }
}

/// Every wrong decoding in every format, written into `dir`.
fn garbled_cases(dir: &Path) -> Vec<(Wrong, Case)> {
    let mut cases = Vec::new();
    for wrong in Wrong::ALL {
        let (heading, original) = wrong.original();
        for format in Format::ALL {
            let case = Case {
                name: format!("repost.{}.{}", wrong.tag(), format.ext()),
                format,
                heading,
                written: wrong.garble(original),
                expected: original.to_string(),
            };
            case.write(dir);
            cases.push((wrong, case));
        }
    }
    cases
}

/// Every file directly in `dir` and its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_file())
        .map(|e| {
            (
                e.file_name().into_string().unwrap(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A run that processed every input (exit 0 or 1).
fn ran(out: Output) -> Output {
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "exit {:?}: {}\n{}",
        out.status.code(),
        stderr(&out),
        String::from_utf8_lossy(&out.stdout)
    );
    out
}

/// `transmend ARGS names...` in `dir`.
fn run(dir: &Path, args: &[&str], cases: &[&Case]) -> Output {
    let mut all: Vec<&str> = args.to_vec();
    all.extend(cases.iter().map(|c| c.name.as_str()));
    ran(in_dir(dir, &all))
}

/// `check --format json` of the cases in `dir`: each document line by its path.
fn check(dir: &Path, cases: &[&Case]) -> BTreeMap<String, Value> {
    let out = run(dir, &["check", "--format", "json"], cases);
    let docs = common::documents(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(docs.len(), cases.len(), "{docs:?}");
    let docs: BTreeMap<String, Value> = docs
        .into_iter()
        .map(|d| {
            assert!(d.get("error").is_none(), "{d}");
            (d["path"].as_str().unwrap().to_string(), d)
        })
        .collect();
    for case in cases {
        let format = match case.format {
            Format::Text => "text",
            Format::Html => "html",
            Format::Markdown => "markdown",
            Format::Docx => "docx",
        };
        assert_eq!(docs[&case.name]["format"], format, "{}", case.name);
    }
    docs
}

fn artifacts(doc: &Value) -> Vec<&Value> {
    doc["flags"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "artifact")
        .collect()
}

fn offsets(flag: &Value) -> (usize, usize) {
    (
        flag["start"].as_u64().unwrap() as usize,
        flag["end"].as_u64().unwrap() as usize,
    )
}

/// What `fix --out fixed` wrote for each case that differs from what it should be, described.
fn wrong_fixes(dir: &Path, cases: &[&Case]) -> Vec<String> {
    let mut wrong = Vec::new();
    for case in cases {
        let path = dir.join("fixed").join(&case.name);
        let Ok(got) = std::fs::read(&path) else {
            wrong.push(format!("{}: fix --out wrote no file", case.name));
            continue;
        };
        let want = case.fixed();
        if case.format == Format::Docx {
            let paragraphs = docx_paragraphs(&got);
            let want_paragraphs = [case.heading.to_string(), case.expected.clone()];
            if paragraphs != want_paragraphs {
                wrong.push(format!(
                    "{}: the w:t text reads {paragraphs:?}, not {want_paragraphs:?}",
                    case.name
                ));
                continue;
            }
            let (got, want) = (zip_entries(&got), zip_entries(&want));
            if got != want {
                wrong.push(format!(
                    "{}: the text is right but the entries differ from {want:?}: {got:?}",
                    case.name
                ));
            }
        } else if got != want {
            wrong.push(format!(
                "{}: written\n  {}\nfixed into\n  {}\nnot\n  {}",
                case.name,
                String::from_utf8_lossy(&case.format.document(case.heading, &case.written)),
                String::from_utf8_lossy(&got),
                String::from_utf8_lossy(&want)
            ));
        }
    }
    wrong
}

#[test]
fn fix_restores_the_exact_chinese_from_each_wrong_decoding_in_each_format() {
    let dir = tempfile::tempdir().unwrap();
    let cases = garbled_cases(dir.path());
    let all: Vec<&Case> = cases.iter().map(|(_, c)| c).collect();
    let before = snapshot(dir.path());
    run(dir.path(), &["fix", "--out", "fixed"], &all);
    assert_eq!(
        snapshot(dir.path()),
        before,
        "fix --out changed an original"
    );
    let wrong = wrong_fixes(dir.path(), &all);
    assert!(
        wrong.is_empty(),
        "{} of {} not restored exactly:\n{}",
        wrong.len(),
        all.len(),
        wrong.join("\n")
    );
    // The repaired copies have nothing left to repair.
    let again: Vec<String> = all.iter().map(|c| format!("fixed/{}", c.name)).collect();
    let mut args = vec!["fix", "--diff"];
    args.extend(again.iter().map(String::as_str));
    let out = ran(in_dir(dir.path(), &args));
    assert!(
        out.stdout.is_empty(),
        "a second fix: {}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn check_flags_each_wrong_decoding_with_its_steps_and_the_original_as_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    let cases = garbled_cases(dir.path());
    let all: Vec<&Case> = cases.iter().map(|(_, c)| c).collect();
    let before = snapshot(dir.path());
    let docs = check(dir.path(), &all);
    assert_eq!(snapshot(dir.path()), before, "check changed an original");
    let mut wrong = Vec::new();
    for (kind, case) in &cases {
        let doc = &docs[&case.name];
        let view = case.format.view(case.heading, &case.written);
        let flags = artifacts(doc);
        if flags.is_empty() {
            wrong.push(format!("{}: no artifact flag in {doc}", case.name));
            continue;
        }
        // Each flag points at garble, says how it is undone, and suggests the original:
        // every suggestion put in its place gives back the original text.
        let mut restored = String::new();
        let mut last = 0;
        for flag in &flags {
            let (start, end) = offsets(flag);
            assert!(last <= start, "{}: overlapping flags {flags:?}", case.name);
            assert_eq!(
                flag["text"].as_str(),
                view.get(start..end),
                "{}: {flag}",
                case.name
            );
            let message = flag["message"].as_str().unwrap();
            if !message.contains(kind.steps()) {
                wrong.push(format!(
                    "{}: the message does not say '{}': {message}",
                    case.name,
                    kind.steps()
                ));
            }
            let Some(suggestion) = flag["suggestion"].as_str() else {
                wrong.push(format!("{}: no suggestion in {flag}", case.name));
                continue;
            };
            restored.push_str(&view[last..start]);
            restored.push_str(suggestion);
            last = end;
        }
        restored.push_str(&view[last..]);
        let want = case.format.view(case.heading, &case.expected);
        if restored != want {
            let all: Vec<String> = doc["flags"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| format!("{} {} -> {}", f["rule"], f["text"], f["suggestion"]))
                .collect();
            wrong.push(format!(
                "{}: the suggestions give\n  {restored}\nnot\n  {want}\nall flags:\n  {}",
                case.name,
                all.join("\n  ")
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn a_garbled_chinese_line_is_one_flag_suggesting_the_whole_line() {
    // With no Latin letters in it, the line's garble is one stretch and its suggestion is the
    // original sentence itself.
    let dir = tempfile::tempdir().unwrap();
    let lines = [
        (Wrong::Utf8As1252, "工党全国执行委员会呼吁全党团结一致！"),
        (Wrong::GbkAsLatin1, "工党全国执行委员会呼吁全党团结一致！"),
        (Wrong::Big5AsLatin1, "工黨全國執行委員會呼籲全黨團結一致！"),
        (Wrong::Utf8AsGbk, "工党全国执行委员会呼吁全党团结一致！"),
    ];
    let cases: Vec<Case> = lines
        .iter()
        .map(|(wrong, line)| Case {
            name: format!("line.{}.txt", wrong.tag()),
            format: Format::Text,
            heading: wrong.original().0,
            written: wrong.garble(line),
            expected: line.to_string(),
        })
        .collect();
    for case in &cases {
        case.write(dir.path());
    }
    let refs: Vec<&Case> = cases.iter().collect();
    let docs = check(dir.path(), &refs);
    for ((wrong, line), case) in lines.iter().zip(&cases) {
        let doc = &docs[&case.name];
        let flags = artifacts(doc);
        assert_eq!(flags.len(), 1, "{}: {doc}", case.name);
        let flag = flags[0];
        assert_eq!(flag["text"].as_str(), Some(case.written.as_str()), "{flag}");
        assert_eq!(flag["suggestion"].as_str(), Some(*line), "{flag}");
        assert_eq!(flag["line"], 3, "{flag}");
        assert_eq!(flag["column"], 1, "{flag}");
        let message = flag["message"].as_str().unwrap();
        assert!(message.contains(wrong.steps()), "{message}");
        assert!(
            message.contains(line),
            "the message names the repair: {message}"
        );
    }
}

#[test]
fn garble_whose_bytes_are_gone_is_flagged_without_a_suggestion_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let paragraph = "网上流传的工党声明转载版本出现了乱码：标题变成锟斤拷锟斤拷，正文末尾只剩下烫烫烫。Jon Trickett的发言则完整保留。";
    let cases: Vec<Case> = Format::ALL
        .iter()
        .map(|&format| Case {
            name: format!("lost.{}", format.ext()),
            format,
            heading: "转载",
            written: paragraph.to_string(),
            expected: paragraph.to_string(),
        })
        .collect();
    for case in &cases {
        case.write(dir.path());
    }
    let refs: Vec<&Case> = cases.iter().collect();
    let before = snapshot(dir.path());
    let docs = check(dir.path(), &refs);
    for case in &cases {
        let doc = &docs[&case.name];
        let view = case.format.view(case.heading, &case.written);
        let mut found: Vec<&str> = Vec::new();
        for flag in artifacts(doc) {
            let (start, end) = offsets(flag);
            assert_eq!(flag["text"].as_str(), view.get(start..end), "{flag}");
            assert!(
                flag.get("suggestion").is_none(),
                "{}: nothing can be suggested: {flag}",
                case.name
            );
            found.push(flag["text"].as_str().unwrap());
        }
        found.sort_unstable();
        assert_eq!(found, ["烫烫烫", "锟斤拷锟斤拷"], "{}: {doc}", case.name);
        let message = |text: &str| {
            artifacts(doc)
                .into_iter()
                .find(|f| f["text"] == text)
                .unwrap()["message"]
                .as_str()
                .unwrap()
                .to_string()
        };
        assert!(message("锟斤拷锟斤拷").contains("lost"), "{doc}");
        assert!(message("烫烫烫").contains("uninitialised"), "{doc}");
    }
    // `fix` has nothing to do: no diff, and copies equal to the files.
    assert_fix_leaves_alone(dir.path(), &refs, &before);
}

/// `fix --diff` prints nothing, `fix --out fixed` writes each file as it should read, and no
/// original in `dir` changed from `before`.
fn assert_fix_leaves_alone(dir: &Path, refs: &[&Case], before: &BTreeMap<String, Vec<u8>>) {
    let out = run(dir, &["fix", "--diff"], refs);
    assert!(
        out.stdout.is_empty(),
        "fix changes the text: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    run(dir, &["fix", "--out", "fixed"], refs);
    let wrong = wrong_fixes(dir, refs);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert_eq!(&snapshot(dir), before, "an original changed");
}

#[test]
fn clean_text_in_every_script_and_format_gives_no_artifact_and_no_repair() {
    let dir = tempfile::tempdir().unwrap();
    let texts: [(&str, &str, &str); 6] = [
        ("zh-hans", "转载", SIMPLIFIED),
        ("zh-hant", "轉載", TRADITIONAL),
        (
            "fr",
            "Déclaration",
            "Le comité exécutif national du Parti travailliste a publié mardi une déclaration : « Nous devons rester unis », a déclaré Jon Trickett. Ça n’a rien d’étonnant : l’élection approche.",
        ),
        (
            "de",
            "Erklärung",
            "Die Straße vor dem Büro der Labour-Partei war am Dienstag gesperrt. Jon Trickett äußerte sich über die Größe der Mehrheit und grüßte die Mitglieder.",
        ),
        (
            "ru",
            "Заявление",
            "Национальный исполнительный комитет Лейбористской партии во вторник опубликовал заявление. Джон Трикетт сказал, что партия должна оставаться единой.",
        ),
        (
            "zh-mixed",
            "转载",
            "工党的法国盟友在声明中写道：« Nous devons rester unis »，德国同志则说“Straße der Solidarität”。",
        ),
    ];
    let mut cases = Vec::new();
    for (lang, heading, text) in texts {
        for format in Format::ALL {
            let case = Case {
                name: format!("clean.{lang}.{}", format.ext()),
                format,
                heading,
                written: text.to_string(),
                expected: text.to_string(),
            };
            case.write(dir.path());
            cases.push(case);
        }
    }
    let refs: Vec<&Case> = cases.iter().collect();
    let before = snapshot(dir.path());
    let docs = check(dir.path(), &refs);
    let flagged: Vec<String> = cases
        .iter()
        .filter_map(|c| {
            let flags = artifacts(&docs[&c.name]);
            (!flags.is_empty()).then(|| format!("{}: {flags:?}", c.name))
        })
        .collect();
    assert!(
        flagged.is_empty(),
        "artifact flags on clean text:\n{}",
        flagged.join("\n")
    );
    assert_fix_leaves_alone(dir.path(), &refs, &before);
}

#[test]
fn originals_change_only_with_write_which_keeps_a_backup() {
    let dir = tempfile::tempdir().unwrap();
    let cases = garbled_cases(dir.path());
    let all: Vec<&Case> = cases.iter().map(|(_, c)| c).collect();
    let before = snapshot(dir.path());
    // Neither the default (a diff), nor --diff, nor --out, nor check writes an original.
    for args in [
        &["fix"][..],
        &["fix", "--diff"],
        &["fix", "--out", "copies"],
        &["fix", "--typography", "--out", "typo"],
        &["check"],
        &["check", "--format", "json"],
    ] {
        let out = run(dir.path(), args, &all);
        assert_eq!(
            snapshot(dir.path()),
            before,
            "{args:?} changed a file beside the originals: {}",
            stderr(&out)
        );
    }
    let diff = run(dir.path(), &["fix", "--diff"], &all);
    let diff = String::from_utf8(diff.stdout).unwrap();
    for (_, case) in &cases {
        if case.format != Format::Docx {
            assert!(
                diff.contains(&case.expected),
                "the diff shows {}'s repair: {diff}",
                case.name
            );
        }
    }
    // --write rewrites them in place, each original kept as NAME.orig, into what --out wrote
    // (whether that is the exact original text is the first test's to say).
    run(dir.path(), &["fix", "--write"], &all);
    let after = snapshot(dir.path());
    let mut wrong = Vec::new();
    for case in &all {
        let orig = format!("{}.orig", case.name);
        if after.get(&orig) != before.get(&case.name) {
            wrong.push(format!("{orig} is not the original"));
        }
        let got = &after[&case.name];
        let copy = std::fs::read(dir.path().join("copies").join(&case.name)).unwrap();
        let same = if case.format == Format::Docx {
            zip_entries(got) == zip_entries(&copy)
        } else {
            *got == copy
        };
        if *got == before[&case.name] || !same {
            wrong.push(format!(
                "{} was rewritten as {}, not as fix --out wrote it: {}",
                case.name,
                String::from_utf8_lossy(got),
                String::from_utf8_lossy(&copy)
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
