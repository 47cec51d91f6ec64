//! Reposts as people save them: HTML pages, Markdown, Word documents and subtitles, checked
//! and repaired by the real binary run from a folder outside the repository, with the markup
//! left as it was.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};

use common::{word_paragraphs, zip_entries};
use serde_json::Value;

const MARKDOWN: &str = "law-motion-blog-post.en.md";
const SUBTITLES: &str = "lavery-video-message.zh.srt";
const DOCX: &str = "scg-statement-excerpt.zh.docx";
const HTML: &str = "tribune-leaked-report-repost.zh.html";

/// The binary, run in `dir` (never the repository).
fn transmend(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_transmend"));
    cmd.current_dir(dir).env_remove("RUST_LOG");
    cmd
}

/// A folder outside the repository holding copies of the named corpus documents.
fn folder(names: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in names {
        let from = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("corpus")
            .join(name);
        std::fs::copy(&from, dir.path().join(name)).unwrap();
    }
    dir
}

fn ok(out: &Output) -> &Output {
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    out
}

/// `check --format json` of one file in `dir`: its document line.
fn check(dir: &Path, name: &str) -> Value {
    let out = transmend(dir)
        .args(["check", "--format", "json", name])
        .output()
        .unwrap();
    let docs = common::documents(&String::from_utf8(ok(&out).stdout.clone()).unwrap());
    assert_eq!(docs.len(), 1, "{docs:?}");
    docs.into_iter().next().unwrap()
}

/// A document's flags as `(rule, flagged text)`.
fn found(doc: &Value) -> BTreeSet<(String, String)> {
    doc["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["text"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn set(pairs: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    pairs
        .iter()
        .map(|(r, t)| (r.to_string(), t.to_string()))
        .collect()
}

/// Every flag's `start..end` is where its text is in the decoded source file, and its line and
/// column point there too.
fn assert_offsets_in_source(doc: &Value, source: &str) {
    for f in doc["flags"].as_array().unwrap() {
        let (start, end) = (
            f["start"].as_u64().unwrap() as usize,
            f["end"].as_u64().unwrap() as usize,
        );
        let text = f["text"].as_str().unwrap();
        let at = &source[start..end];
        // Text across inline markup or a line break is shown without it.
        if !at.contains('<') && !at.contains('\n') && !at.contains('&') && !at.contains('*') {
            assert_eq!(at, text, "flag {f} is not at its source offsets");
        }
        let line = source[..start].matches('\n').count() + 1;
        let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
        let column = source[line_start..start].chars().count() + 1;
        assert_eq!(
            (
                f["line"].as_u64().unwrap() as usize,
                f["column"].as_u64().unwrap() as usize
            ),
            (line, column),
            "{f}"
        );
    }
}

#[test]
fn markdown_is_checked_in_its_prose_only() {
    let dir = folder(&[MARKDOWN]);
    let doc = check(dir.path(), MARKDOWN);
    assert_eq!(doc["format"], "markdown");
    assert_eq!(doc["language"], "en");
    assert_eq!(
        found(&doc),
        set(&[
            ("deprecated-term", "National Executive Council"),
            ("misspelled-term", "Jon Tricket"),
            ("misspelled-term", "Equality and Human Rights Commision"),
            ("misspelled-term", "Boycott, Disinvestment and Sanctions"),
            (
                "deprecated-term",
                "International Holocaust Remembrance Association"
            ),
            ("number-anomaly", "44"),
        ])
    );
    // Front matter, the code span, the code block and the URLs are left alone.
    let source = std::fs::read_to_string(dir.path().join(MARKDOWN)).unwrap();
    assert_offsets_in_source(&doc, &source);
    let starts: Vec<usize> = doc["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["start"].as_u64().unwrap() as usize)
        .collect();
    for left_alone in ["tags: [", "`Boycott", "grep -ri", "(https://", "(images/"] {
        let at = source.find(left_alone).unwrap();
        let end = source[at..].find('\n').map_or(source.len(), |i| at + i);
        assert!(
            !starts.iter().any(|s| (at..end).contains(s)),
            "a flag in {left_alone:?}"
        );
    }
}

#[test]
fn subtitles_are_checked_in_their_cue_text_only() {
    let dir = folder(&[SUBTITLES]);
    let doc = check(dir.path(), SUBTITLES);
    assert_eq!(doc["format"], "srt");
    assert_eq!(doc["language"], "zh");
    assert_eq!(
        found(&doc),
        set(&[
            ("deprecated-term", "劳动派对"),
            ("deprecated-term", "托里"),
            ("number-anomaly", "20020年"),
            ("artifact", " "),
        ])
    );
    let source = std::fs::read_to_string(dir.path().join(SUBTITLES)).unwrap();
    assert_offsets_in_source(&doc, &source);
}

/// `fix --out` of one file: the repaired copy's bytes.
fn fixed_copy(dir: &Path, name: &str) -> Vec<u8> {
    let out = transmend(dir)
        .args(["fix", name, "--out", "fixed"])
        .output()
        .unwrap();
    ok(&out);
    std::fs::read(dir.join("fixed").join(name)).unwrap()
}

/// Lines of a text that are not in the other (as a multiset, in order of the first).
fn changed_lines<'a>(a: &'a str, b: &str) -> Vec<&'a str> {
    let mut others: Vec<&str> = b.lines().collect();
    a.lines()
        .filter(|l| match others.iter().position(|o| o == l) {
            Some(i) => {
                others.remove(i);
                false
            }
            None => true,
        })
        .collect()
}

#[test]
fn markdown_fix_repairs_prose_and_keeps_code_links_and_front_matter() {
    let dir = folder(&[MARKDOWN]);
    let before = std::fs::read_to_string(dir.path().join(MARKDOWN)).unwrap();
    let after = String::from_utf8(fixed_copy(dir.path(), MARKDOWN)).unwrap();
    for kept in [
        "tags: [Labour, NEC, Bulllingdon]",
        "`Boycott, Disinvestment and Sanctions`",
        "grep -ri \"National Executive Council\" motions/",
        "(https://example.org/ehrc-Commision-report)",
        "(images/jon-tricket.jpg)",
        "**National Executive Committee**",
        "*Jon Trickett*",
        "[Equality and Human Rights Commission]",
        "Boycott, Divestment and Sanctions.",
        "International Holocaust Remembrance Alliance",
        "![Photo: Jon Trickett speaking",
    ] {
        assert!(after.contains(kept), "{kept:?} not in\n{after}");
    }
    assert!(after.contains("44 May"), "a number anomaly is not repaired");
    // Only the lines with repairs changed.
    assert_eq!(changed_lines(&before, &after).len(), 7, "{after}");
    // A second fix changes nothing.
    std::fs::copy(
        dir.path().join("fixed").join(MARKDOWN),
        dir.path().join("again.md"),
    )
    .unwrap();
    let again = transmend(dir.path())
        .args(["fix", "again.md", "--diff"])
        .output()
        .unwrap();
    assert!(
        ok(&again).stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&again.stdout)
    );
}

#[test]
fn subtitle_fix_keeps_numbers_timings_tags_and_line_endings() {
    let dir = folder(&[SUBTITLES]);
    let before = std::fs::read_to_string(dir.path().join(SUBTITLES)).unwrap();
    let after = String::from_utf8(fixed_copy(dir.path(), SUBTITLES)).unwrap();
    let expected = before
        .replace("<i>劳动派对</i>", "<i>工党</i>")
        .replace("好让托里", "好让保守党")
        .replace("必须 要求", "必须要求");
    assert_eq!(after, expected);
    assert_eq!(after.matches("\r\n").count(), after.matches('\n').count());
}

mod emulator;

/// `translate` into English against the loopback LibreTranslate: the translation in the
/// document's own markup, under `out/`.
fn translated(dir: &Path, name: &str, to: &str) -> (Output, std::path::PathBuf) {
    let emu = emulator::Background::start();
    let out = common::translate_in(dir, &emu.url, &[name, "--to", to, "--out", "out"]);
    let (stem, ext) = name.split_once('.').unwrap();
    let ext = ext.rsplit('.').next().unwrap();
    (out, dir.join("out").join(format!("{stem}.{to}.{ext}")))
}

#[test]
fn markdown_translates_into_markdown_with_its_markup() {
    let dir = folder(&[MARKDOWN]);
    let (out, path) = translated(dir.path(), MARKDOWN, "zh");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = std::fs::read_to_string(&path).unwrap();
    let original = std::fs::read_to_string(dir.path().join(MARKDOWN)).unwrap();
    // Front matter, code and URLs are the original's; every prose block was sent.
    for kept in [
        "---\ntitle: \"A motion on NEC elections\"\ntags: [Labour, NEC, Bulllingdon]\n---\n",
        "`Boycott, Disinvestment and Sanctions`",
        "```sh\ngrep -ri \"National Executive Council\" motions/\n```",
        "](https://example.org/ehrc-Commision-report)",
        "](images/jon-tricket.jpg)",
        "|------|--------------------|",
    ] {
        assert!(md.contains(kept), "{kept:?} not in\n{md}");
    }
    assert!(
        md.contains("# EN: What the 工党反猎巫组织 motion on"),
        "{md}"
    );
    // The emulator "translates" by prefixing EN: and writing glossary terms in Chinese.
    assert!(
        md.contains("EN: It asks the **全国执行委员会** to hold"),
        "{md}"
    );
    assert!(
        md.contains("the [平等与人权委员会](https://example.org/ehrc-Commision-report) report"),
        "{md}"
    );
    assert!(
        md.contains("![EN: Photo: 乔恩·特里克特 speaking at the rally](images/"),
        "{md}"
    );
    // As many lines, blocks and code fences as the original.
    assert_eq!(md.matches("```").count(), original.matches("```").count());
    assert_eq!(md.matches("\n\n").count(), original.matches("\n\n").count());
    // The bilingual files are written too.
    assert!(
        dir.path()
            .join("out/law-motion-blog-post.en-zh.xlf")
            .exists()
    );
}

#[test]
fn subtitles_translate_cue_by_cue_with_timings_kept() {
    let dir = folder(&[SUBTITLES]);
    let (out, path) = translated(dir.path(), SUBTITLES, "en");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let srt = std::fs::read_to_string(&path).unwrap();
    let original = std::fs::read_to_string(dir.path().join(SUBTITLES)).unwrap();
    let timings = |s: &str| -> Vec<String> {
        s.lines()
            .filter(|l| l.contains("-->") || l.trim().parse::<u32>().is_ok())
            .map(str::to_string)
            .collect()
    };
    assert_eq!(timings(&srt), timings(&original));
    assert!(srt.contains("，<i>Labour Party</i>的"), "{srt}");
    assert_eq!(srt.matches("EN: ").count(), 7, "one per segment: {srt}");
}

/// A DOCX written here with `zip`: `entries` as `(name, bytes)`, deflated.
fn docx_with(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut out);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in entries {
            zip.start_file(*name, options).unwrap();
            std::io::Write::write_all(&mut zip, bytes).unwrap();
        }
        zip.finish().unwrap();
    }
    out.into_inner()
}

/// `check --format json` of a file that must fail: its error line's message.
fn refused(dir: &Path, name: &str, extra: &[&str]) -> String {
    let out = transmend(dir)
        .args(["check", "--format", "json"])
        .args(extra)
        .arg(name)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let docs = common::documents(&stdout);
    docs[0]["error"].as_str().unwrap().to_string()
}

#[test]
fn hostile_word_files_are_refused_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    // A zip bomb: a document.xml that inflates far past the size limit.
    let mut bomb = b"<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>".to_vec();
    bomb.resize(8 << 20, b' ');
    let bytes = docx_with(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("word/document.xml", &bomb),
    ]);
    assert!(bytes.len() < 1 << 20, "the bomb is small on disk");
    std::fs::write(dir.path().join("bomb.docx"), &bytes).unwrap();
    let error = refused(dir.path(), "bomb.docx", &["--max-file-size", "2000000"]);
    assert!(
        error.contains("2000000") || error.contains("limit"),
        "{error}"
    );

    // A package without its document.
    let bytes = docx_with(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("word/styles.xml", b"<w:styles/>"),
    ]);
    std::fs::write(dir.path().join("empty.docx"), bytes).unwrap();
    let error = refused(dir.path(), "empty.docx", &[]);
    assert!(error.contains("word/document.xml"), "{error}");

    // Truncated: the first half of a real one.
    let real = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("corpus")
            .join(DOCX),
    )
    .unwrap();
    std::fs::write(dir.path().join("cut.docx"), &real[..real.len() / 2]).unwrap();
    let error = refused(dir.path(), "cut.docx", &[]);
    assert!(error.starts_with("cannot read as docx"), "{error}");

    // Old and other formats say what to save them as.
    for (name, bytes) in [
        ("old.doc", &b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest"[..]),
        (
            "draft.odt",
            b"PK\x03\x04mimetypeapplication/vnd.oasis.opendocument.text",
        ),
        ("scan.pdf", b"%PDF-1.7\n"),
    ] {
        std::fs::write(dir.path().join(name), bytes).unwrap();
        let error = refused(dir.path(), name, &[]);
        assert!(error.contains("not a text document"), "{name}: {error}");
        assert!(error.contains(".txt"), "{name}: {error}");
    }
}

#[test]
fn hostile_pages_are_read_without_panic_or_hang() {
    let dir = tempfile::tempdir().unwrap();
    let deep = "<div>".repeat(10_000) + "<p>托里政府</p>" + &"</div>".repeat(10_000);
    let unclosed = "<html><body><p>劳动派对<b>开会<i>了<p>托里<td>x".to_string();
    let entities = "<p>工党 &#x0; &#xD800; &#99999999; &#; &bogus; &amp 托里</p>".to_string();
    let big = format!("<p>{}</p>", "工党开会了。托里政府。".repeat(20_000));
    for (name, page) in [
        ("deep.html", &deep),
        ("unclosed.html", &unclosed),
        ("entities.html", &entities),
        ("big.html", &big),
    ] {
        std::fs::write(dir.path().join(name), page).unwrap();
        let out = transmend(dir.path())
            .args(["check", "--format", "json", name])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(1),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8(out.stdout).unwrap();
        let doc = &common::documents(&stdout)[0];
        assert_eq!(doc["format"], "html", "{name}");
        assert!(
            found(doc).contains(&("deprecated-term".to_string(), "托里".to_string())),
            "{name}"
        );
        for f in doc["flags"].as_array().unwrap() {
            let (s, e) = (f["start"].as_u64().unwrap(), f["end"].as_u64().unwrap());
            assert!(s <= e && e as usize <= page.len(), "{name}: {f}");
        }
    }
}

/// The markup of a page as a sequence: every tag with its attributes (the values of `alt` and
/// `title`, which are text a repair may change, left out), every comment, and the text of
/// every script and style, read by lol_html.
fn markup_sequence(html: &str) -> Vec<String> {
    use lol_html::{RewriteStrSettings, doc_comments, element, rewrite_str, text};
    use std::cell::RefCell;
    let seen = RefCell::new(Vec::new());
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!("*", |el| {
            let mut attrs: Vec<String> = el
                .attributes()
                .iter()
                .map(|a| match a.name().as_str() {
                    "alt" | "title" => a.name(),
                    _ => format!("{}={}", a.name(), a.value()),
                })
                .collect();
            attrs.sort();
            seen.borrow_mut()
                .push(format!("<{} {}>", el.tag_name(), attrs.join(" ")));
            Ok(())
        }))
        .append_element_content_handler(text!("script, style", |t| {
            seen.borrow_mut().push(format!("text:{}", t.as_str()));
            Ok(())
        }))
        .append_document_content_handler(doc_comments!(|c| {
            seen.borrow_mut().push(format!("<!--{}-->", c.text()));
            Ok(())
        }));
    rewrite_str(html, settings).unwrap();
    seen.into_inner()
}

#[test]
fn an_html_page_is_checked_in_its_visible_text_only() {
    let dir = folder(&[HTML]);
    let doc = check(dir.path(), HTML);
    assert_eq!(doc["format"], "html");
    assert_eq!(
        doc["language"], "zh",
        "the page's text, not its tags or lang=\"en\""
    );
    assert_eq!(
        found(&doc),
        set(&[
            ("misspelled-term", "Ian Lvery"),
            ("misspelled-term", "Bulllingdon Club"),
            ("deprecated-term", "劳动派对"),
            // In the image's alt text: 泄露的工党报告 with 劳动派对 for 工党 (a derived form).
            ("deprecated-term", "泄露的劳动派对报告"),
            ("deprecated-term", "托里"),
            ("deprecated-term", "反抗主义"),
            ("untranslated", "It shows that"),
        ])
    );
    let source = std::fs::read_to_string(dir.path().join(HTML)).unwrap();
    assert_offsets_in_source(&doc, &source);
    // Nothing in the head, scripts, styles, comments, URLs, code or notranslate parts.
    let body = source.find("<article>").unwrap();
    let pre = source.find("<pre>").unwrap()..source.find("</pre>").unwrap();
    let notranslate = source.find("class=\"notranslate\"").unwrap();
    let notranslate = notranslate..notranslate + source[notranslate..].find("</p>").unwrap();
    for f in doc["flags"].as_array().unwrap() {
        let start = f["start"].as_u64().unwrap() as usize;
        assert!(start > body, "flag before the article: {f}");
        assert!(
            !pre.contains(&start) && !notranslate.contains(&start),
            "{f}"
        );
        assert!(!source[..start].ends_with("href=\""), "{f}");
    }
    // Both halves of the term split by <strong> and the image's alt text are found (the alt
    // text as the longer derived form).
    let terms = doc["flags"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["text"].as_str().unwrap().contains("劳动派对"))
        .count();
    assert_eq!(terms, 3, "{doc}");
}

#[test]
fn an_html_fix_keeps_every_tag_comment_and_script() {
    let dir = folder(&[HTML]);
    let before = std::fs::read_to_string(dir.path().join(HTML)).unwrap();
    let after = String::from_utf8(fixed_copy(dir.path(), HTML)).unwrap();
    assert_eq!(markup_sequence(&before), markup_sequence(&after));
    // A term split by inline markup is repaired into its first part.
    assert!(
        after.contains("这些人是<strong>工党</strong>高层"),
        "{after}"
    );
    assert!(
        after.contains("我们曾担任工党<strong></strong>的全国"),
        "{after}"
    );
    assert!(after.contains("Ian Lavery，2020年"), "{after}");
    assert!(after.contains("这不是Bullingdon Club"), "{after}");
    assert!(after.contains("alt=\"泄露的工党报告封面\""), "{after}");
    assert!(after.contains("变成工党席位"), "{after}");
    assert!(after.contains("更多的保守党席位"), "{after}");
    assert!(after.contains("对反犹太主义投诉"), "{after}");
    // Scripts, styles, comments, URLs, code and notranslate text keep their wrong forms.
    for kept in [
        "page_title: '劳动派对 托里 Ian Lvery'",
        "\"name\":\"Ian Lvery\"",
        "/* 劳动派对 styles */",
        "旧稿里写作 托里 与 劳动派对",
        "href=\"/tag/劳动派对\"",
        "q=劳动派对&amp;lang=zh",
        "Tories 托里",
        "劳动派对 archive",
    ] {
        assert!(after.contains(kept), "{kept:?} changed");
    }
    // Only the article's lines changed.
    for line in changed_lines(&before, &after) {
        assert!(
            line.starts_with("<p") || line.starts_with("<figure"),
            "{line}"
        );
    }
    // A second fix changes nothing.
    std::fs::copy(
        dir.path().join("fixed").join(HTML),
        dir.path().join("again.html"),
    )
    .unwrap();
    let again = transmend(dir.path())
        .args(["fix", "again.html", "--diff"])
        .output()
        .unwrap();
    assert!(
        ok(&again).stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&again.stdout)
    );
}

#[test]
fn a_word_document_is_checked_with_its_parts_and_paragraphs() {
    let dir = folder(&[DOCX]);
    let doc = check(dir.path(), DOCX);
    assert_eq!(doc["format"], "docx");
    assert_eq!(doc["language"], "zh");
    assert_eq!(
        found(&doc),
        set(&[
            ("deprecated-term", "劳动派对"),
            ("misspelled-term", "Ian Lvery"),
            ("number-anomaly", "20020年"),
            ("misspelled-term", "Bulllingdon Club"),
            ("deprecated-term", "反抗主义"),
            ("deprecated-term", "托里"),
            ("deprecated-term", "论坛圈"),
        ])
    );
    let places: BTreeSet<(String, String, u64)> = doc["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["text"].as_str().unwrap().to_string(),
                f["part"].as_str().unwrap().to_string(),
                f["paragraph"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(
        places.contains(&("论坛圈".into(), "word/footnotes.xml".into(), 1)),
        "{places:?}"
    );
    assert!(
        places.contains(&("劳动派对".into(), "word/header1.xml".into(), 1)),
        "{places:?}"
    );
    assert!(
        places.contains(&("劳动派对".into(), "word/document.xml".into(), 2)),
        "{places:?}"
    );
    assert!(
        places.contains(&("托里".into(), "word/document.xml".into(), 5)),
        "{places:?}"
    );
    // Offsets, lines and columns are in the text with its paragraphs joined by one newline:
    // the body, then the header, then the footnotes, as they are read.
    let entries = zip_entries(&std::fs::read(dir.path().join(DOCX)).unwrap());
    let part = |name: &str| word_paragraphs(&entries.iter().find(|(n, _)| n == name).unwrap().1);
    let joined = [
        part("word/document.xml"),
        part("word/header1.xml"),
        part("word/footnotes.xml"),
    ]
    .concat()
    .into_iter()
    .filter(|p| !p.is_empty())
    .collect::<Vec<_>>()
    .join("\n");
    for f in doc["flags"].as_array().unwrap() {
        let (start, end) = (
            f["start"].as_u64().unwrap() as usize,
            f["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&joined[start..end], f["text"].as_str().unwrap(), "{f}");
        let line = joined[..start].matches('\n').count() + 1;
        let line_start = joined[..start].rfind('\n').map_or(0, |i| i + 1);
        let column = joined[line_start..start].chars().count() + 1;
        assert_eq!(
            (
                f["line"].as_u64().unwrap() as usize,
                f["column"].as_u64().unwrap() as usize
            ),
            (line, column),
            "{f}"
        );
    }
}

#[test]
fn a_word_fix_rewrites_only_the_text_parts() {
    let dir = folder(&[DOCX]);
    let before = std::fs::read(dir.path().join(DOCX)).unwrap();
    let after = fixed_copy(dir.path(), DOCX);
    let (old, new) = (zip_entries(&before), zip_entries(&after));
    let names = |e: &[(String, Vec<u8>)]| e.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&old), names(&new), "same entries in the same order");
    for ((name, a), (_, b)) in old.iter().zip(&new) {
        if !name.starts_with("word/document")
            && !name.starts_with("word/header")
            && !name.starts_with("word/footnotes")
        {
            assert_eq!(a, b, "{name} must be copied byte for byte");
        }
    }
    let body = &new
        .iter()
        .find(|(n, _)| n == "word/document.xml")
        .unwrap()
        .1;
    let paragraphs = word_paragraphs(body);
    assert!(
        paragraphs.contains(
            &"我们是工党的全国竞选协调员，我们与党的领导层一起参加了每一次战略会议。".to_string()
        ),
        "{paragraphs:?}"
    );
    assert!(
        paragraphs.iter().any(|p| p.contains("Ian Lavery，20020年")),
        "{paragraphs:?}"
    );
    assert!(
        paragraphs
            .iter()
            .any(|p| p.contains("这不是 Bullingdon Club；报告揭示了反犹太主义投诉")),
        "{paragraphs:?}"
    );
    assert!(paragraphs.contains(&"保守党".to_string()), "{paragraphs:?}");
    assert!(
        paragraphs.contains(&"全国执行委员会 & 平等与人权委员会必须回应。".to_string()),
        "{paragraphs:?}"
    );
    // The repair went into the first run it touched (the bold one), the rest of the term was
    // taken out of the next; every run keeps its formatting.
    let xml = String::from_utf8(body.clone()).unwrap();
    assert!(
        xml.contains("<w:r><w:rPr><w:b/></w:rPr><w:t>工党</w:t></w:r><w:r><w:t>的全国竞选协调员，</w:t></w:r>"),
        "{xml}"
    );
    // The field code's URL is untouched.
    assert!(xml.contains("HYPERLINK \"https://example.org/劳动派对\""));
    let header = &new.iter().find(|(n, _)| n == "word/header1.xml").unwrap().1;
    assert_eq!(word_paragraphs(header), ["转载：工党内部报告"]);
    let notes = &new
        .iter()
        .find(|(n, _)| n == "word/footnotes.xml")
        .unwrap()
        .1;
    assert_eq!(word_paragraphs(notes), ["见《论坛报》2020年4月的文章。"]);
    // A second fix changes nothing.
    std::fs::write(dir.path().join("again.docx"), &after).unwrap();
    let again = transmend(dir.path())
        .args(["fix", "again.docx", "--diff"])
        .output()
        .unwrap();
    assert!(
        ok(&again).stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&again.stdout)
    );
}

#[test]
fn done_when_run_reports_repairs_and_translates_every_format() {
    let dir = folder(&[HTML, MARKDOWN, DOCX, SUBTITLES]);
    std::fs::create_dir(dir.path().join("reposts")).unwrap();
    for name in [HTML, MARKDOWN, DOCX, SUBTITLES] {
        std::fs::rename(dir.path().join(name), dir.path().join("reposts").join(name)).unwrap();
    }
    let emu = emulator::Background::start();
    let out = transmend(dir.path())
        .args([
            "run",
            "reposts",
            "--out",
            "out",
            "--engine",
            "libretranslate",
        ])
        .args(["--endpoint", &emu.url, "--no-cache"])
        .args(["--retry-delay-ms", "5", "--timeout", "60"])
        .env("HOME", dir.path())
        .env("XDG_CACHE_HOME", dir.path().join("xdg"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "error flags, nothing failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let o = dir.path().join("out");
    let report = std::fs::read_to_string(o.join("report.jsonl")).unwrap();
    let docs = common::documents(&report);
    let by_name = |name: &str| {
        docs.iter()
            .find(|d| d["path"].as_str().unwrap().ends_with(name))
            .unwrap_or_else(|| panic!("{name} not in {report}"))
    };
    for (name, format, language) in [
        (HTML, "html", "zh"),
        (MARKDOWN, "markdown", "en"),
        (DOCX, "docx", "zh"),
        (SUBTITLES, "srt", "zh"),
    ] {
        let doc = by_name(name);
        assert_eq!(
            (doc["format"].as_str(), doc["language"].as_str()),
            (Some(format), Some(language)),
            "{name}"
        );
        // Only its real errors: the same flags as `check` finds on its own.
        let alone = check(&dir.path().join("reposts"), name);
        assert_eq!(found(doc), found(&alone), "{name}");
        assert!(!found(doc).is_empty(), "{name}");
    }
    // fixed/: repaired with the markup intact.
    let fixed = |name: &str| o.join("fixed/reposts").join(name);
    let html = std::fs::read_to_string(fixed(HTML)).unwrap();
    let original = std::fs::read_to_string(dir.path().join("reposts").join(HTML)).unwrap();
    assert_eq!(markup_sequence(&html), markup_sequence(&original));
    assert!(html.contains("更多的保守党席位"));
    let md = std::fs::read_to_string(fixed(MARKDOWN)).unwrap();
    assert!(
        md.contains("**National Executive Committee**")
            && md.contains("`Boycott, Disinvestment and Sanctions`")
    );
    let docx = zip_entries(&std::fs::read(fixed(DOCX)).unwrap());
    assert!(
        word_paragraphs(
            &docx
                .iter()
                .find(|(n, _)| n == "word/document.xml")
                .unwrap()
                .1
        )
        .contains(&"保守党".to_string())
    );
    assert!(
        std::fs::read_to_string(fixed(SUBTITLES))
            .unwrap()
            .contains("<i>工党</i>")
    );
    // bilingual/: the translated page and post in their own markup, beside the bilingual files.
    let bilingual = o.join("bilingual/reposts");
    let page =
        std::fs::read_to_string(bilingual.join("tribune-leaked-report-repost.en.html")).unwrap();
    assert_eq!(
        markup_sequence(&page)
            .iter()
            .filter(|t| !t.starts_with("text:"))
            .count(),
        markup_sequence(&html)
            .iter()
            .filter(|t| !t.starts_with("text:"))
            .count()
    );
    assert!(page.contains("<p>EN: "), "{page}");
    assert!(
        page.contains("window.dataLayer"),
        "scripts are kept: {page}"
    );
    let post = std::fs::read_to_string(bilingual.join("law-motion-blog-post.zh.md")).unwrap();
    assert!(
        post.contains("```sh\ngrep -ri \"National Executive Council\" motions/\n```"),
        "{post}"
    );
    assert!(bilingual.join("scg-statement-excerpt.zh-en.xlf").exists());
    assert!(bilingual.join("lavery-video-message.en.srt").exists());
    // report.html shows each document.
    let page = std::fs::read_to_string(o.join("report.html")).unwrap();
    for name in [HTML, MARKDOWN, DOCX, SUBTITLES] {
        assert!(page.contains(name), "{name}");
    }
}

#[test]
fn align_takes_either_side_from_any_format() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("s.en.md"),
        "---\ntitle: x\n---\n\n# The **Labour Party** statement\n\nThe [Labour Party](https://x.org) met on Monday. Ian Lavery spoke.\n\n```\ncode here\n```\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("s.zh.html"),
        "<html><head><script>var x=1;</script></head><body><h1><b>工党</b>声明</h1><p>工党周一开会了。伊恩·拉弗里发言。</p></body></html>",
    )
    .unwrap();
    let out = transmend(dir.path())
        .args(["align", "s.en.md", "s.zh.html", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let beads: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let pairs: Vec<(usize, usize)> = beads
        .iter()
        .map(|b| {
            (
                b["source"].as_array().unwrap().len(),
                b["target"].as_array().unwrap().len(),
            )
        })
        .collect();
    assert_eq!(
        pairs,
        [(1, 1), (1, 1), (1, 1)],
        "heading, two sentences; no code, no script"
    );
}

#[test]
fn a_page_in_gbk_is_read_by_its_meta_charset_and_written_back_in_gbk() {
    let dir = tempfile::tempdir().unwrap();
    let page = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"><title>转载</title></head><body><p>托里政府和劳动派对。</p></body></html>";
    let (bytes, _, bad) = encoding_rs::GBK.encode(page);
    assert!(!bad);
    std::fs::write(dir.path().join("page.html"), &bytes).unwrap();
    let doc = check(dir.path(), "page.html");
    assert_eq!(doc["encoding"], "GB18030");
    assert_eq!(
        found(&doc),
        set(&[("deprecated-term", "托里"), ("deprecated-term", "劳动派对")])
    );
    let fixed = fixed_copy(dir.path(), "page.html");
    let (text, _, bad) = encoding_rs::GBK.decode(&fixed);
    assert!(!bad, "still GBK");
    assert_eq!(
        text,
        page.replace("托里", "保守党").replace("劳动派对", "工党")
    );
}

#[test]
fn fix_write_rewrites_a_markdown_file_in_place_and_diff_shows_its_source() {
    let dir = folder(&[MARKDOWN]);
    let before = std::fs::read_to_string(dir.path().join(MARKDOWN)).unwrap();
    let out = transmend(dir.path())
        .args(["fix", MARKDOWN, "--write"])
        .output()
        .unwrap();
    ok(&out);
    let after = std::fs::read_to_string(dir.path().join(MARKDOWN)).unwrap();
    assert_ne!(before, after);
    assert!(after.contains("`Boycott, Disinvestment and Sanctions`"));
    std::fs::write(dir.path().join("before.md"), &before).unwrap();
    // `diff` of the two files shows the Markdown source, with the emphasis markers.
    let out = transmend(dir.path())
        .args(["diff", "before.md", MARKDOWN, "--no-color"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let shown = String::from_utf8(out.stdout).unwrap();
    assert!(shown.contains("**National Executive"), "{shown}");
}

/// LibreOffice, to open Word files as a user would (`scripts/test.sh` installs Debian's
/// `libreoffice-writer-nogui`); the test fails, never skips, without it.
fn soffice() -> &'static str {
    for candidate in ["/usr/bin/soffice", "/usr/bin/libreoffice"] {
        if Path::new(candidate).exists() {
            return candidate;
        }
    }
    panic!(
        "no LibreOffice (/usr/bin/soffice): install Debian's libreoffice-writer-nogui (scripts/test.sh does it) — this test never skips"
    );
}

#[test]
fn libreoffice_opens_the_repaired_word_file_with_the_repairs() {
    let dir = folder(&[DOCX]);
    let fixed = fixed_copy(dir.path(), DOCX);
    std::fs::write(dir.path().join("repaired.docx"), fixed).unwrap();
    let out = Command::new(soffice())
        .args(["--headless", "--convert-to", "txt:Text", "--outdir"])
        .arg(dir.path())
        .arg(dir.path().join("repaired.docx"))
        .env("HOME", dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(dir.path().join("repaired.txt")).unwrap_or_else(|e| {
        panic!(
            "LibreOffice wrote no text ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines,
        [
            "社会主义运动小组关于泄露报告的声明",
            "我们是工党的全国竞选协调员，我们与党的领导层一起参加了每一次战略会议。",
            "作者：Jon Trickett 和 Ian Lavery，20020年4月13日。",
            "这不是 Bullingdon Club；报告揭示了反犹太主义投诉如何被拖延。1",
            "保守党",
            "保守党",
            "字段：原文链接",
            "全国执行委员会 & 平等与人权委员会必须回应。",
        ]
    );
}

#[test]
fn a_repair_that_would_move_text_out_of_a_link_is_flagged_not_made() {
    let dir = tempfile::tempdir().unwrap();
    let page =
        "<html><body><p>我们反对托<a href=\"/x\">里</a>政府，也反对托里的政策。</p></body></html>";
    std::fs::write(dir.path().join("link.html"), page).unwrap();
    let doc = check(dir.path(), "link.html");
    let flags = doc["flags"].as_array().unwrap();
    let across: Vec<&Value> = flags
        .iter()
        .filter(|f| {
            f["text"] == "托里" && f["start"].as_u64() == Some(page.find("托<a").unwrap() as u64)
        })
        .collect();
    assert_eq!(across.len(), 1, "{flags:?}");
    assert!(
        across[0]["message"]
            .as_str()
            .unwrap()
            .contains("not repaired"),
        "{}",
        across[0]
    );
    assert!(across[0].get("autofix").is_none());
    let fixed = String::from_utf8(fixed_copy(dir.path(), "link.html")).unwrap();
    assert_eq!(fixed, page.replace("也反对托里的", "也反对保守党的"));
}

#[test]
fn a_twenty_megabyte_paragraph_is_read_whole() {
    let unit = "工党开会了。托里政府。";
    let n = 20 * 1024 * 1024 / unit.len();
    let page = format!("<html><body><p>{}</p></body></html>", unit.repeat(n));
    let x = transmend::format::extract(transmend::format::Format::Html, &page).unwrap();
    assert_eq!(x.text.trim_end().len(), unit.len() * n);
    let first = &x.pieces[0];
    assert_eq!(&page[first.source.clone()], &x.text[first.text.clone()]);
}
