//! The review report and the diff page in a real browser: headless Chromium renders
//! `report.html` of a corpus that includes a hostile document; the flags and texts are in the
//! rendered DOM, the injected script did not run. Both pages are measured inside a 390 px wide
//! frame (a phone) and a desktop-wide one: nothing scrolls the page sideways, side-by-side
//! columns stack, rule names stay whole, tooltips stay on screen, and the text carries its
//! language. Screenshots are kept as test artifacts in `target/test-artifacts/`. If Chromium
//! cannot start, the tests fail and say why (`scripts/test.sh` and `.ci/run` install Debian's
//! `chromium`); they never skip.
#![allow(clippy::unwrap_used)]

mod cdp;
mod common;
mod emulator;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const HOSTILE: &str = "我们是劳动派对的协调员。<script>document.title='pwned'</script>\n\n\
<img src=x onerror=\"document.title='pwned'\"> 这是一个测试文件 </textarea> 工党的全国执行委员会必须召开紧急会议。\n";

fn headless(profile: &Path, extra: &[String], page: &Path) -> Output {
    let out = Command::new(cdp::chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap_or_else(|e| panic!("Chromium could not start: {e}"));
    assert!(
        out.status.success(),
        "Chromium failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn report_renders_flags_and_runs_no_injected_script() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::copy(
        "corpus/scg-statement-leaked-report.zh.txt",
        corpus.join("scg.zh.txt"),
    )
    .unwrap();
    std::fs::write(corpus.join("hostile.zh.txt"), HOSTILE).unwrap();
    let out_dir = dir.path().join("out");
    let run = common::transmend()
        .args(["run", "-q", "--glossary", "glossary/labour.csv", "--out"])
        .arg(&out_dir)
        .arg(&corpus)
        .env_remove("TRANSMEND_ENGINE")
        .output()
        .unwrap();
    assert_ne!(
        run.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let page = std::fs::canonicalize(out_dir.join("report.html")).unwrap();

    let profile = tempfile::tempdir().unwrap();
    let dom = headless(profile.path(), &["--dump-dom".into()], &page);
    let dom = String::from_utf8(dom.stdout).unwrap();
    assert!(
        dom.contains("<title>transmend review report</title>"),
        "the injected script changed the title"
    );
    assert!(!dom.contains("pwned</title>"));
    assert!(
        !dom.contains("<img src=\"x\""),
        "the document's <img> must not become an element"
    );
    assert!(
        dom.contains("&lt;script&gt;") && dom.contains("&lt;/textarea&gt;"),
        "hostile text shown as text"
    );
    assert!(
        dom.contains("data-rule=\"deprecated-term\""),
        "flags highlighted"
    );
    assert!(dom.contains("Suggestion: 工党"));
    assert!(dom.contains("Ian Lvery") && dom.contains("Corpus overview"));
    // The filters are revealed by the script (it ran, ours only).
    assert!(
        !dom.contains("class=\"filters hidden\""),
        "our own script runs"
    );

    let artifacts = cdp::artifacts();
    for (name, size) in [
        ("report.png", "1280,2400"),
        ("report-320px.png", "320,2400"),
    ] {
        let shot = artifacts.join(name);
        let _ = std::fs::remove_file(&shot);
        headless(
            profile.path(),
            &[
                format!("--screenshot={}", shot.display()),
                format!("--window-size={size}"),
            ],
            &page,
        );
        let bytes = std::fs::read(&shot)
            .unwrap_or_else(|e| panic!("no screenshot {}: {e}", shot.display()));
        assert!(
            bytes.starts_with(b"\x89PNG") && bytes.len() > 10_000,
            "{name} is not a real screenshot"
        );
    }
}

/// The phone width the pages must fit.
const PHONE: u32 = 390;

/// Takes screenshots of `page` at each `(file name, "width,height")` into
/// `target/test-artifacts/`, and checks that each is a real picture; the page is kept there
/// too (as `NAME.html`, NAME the first screenshot's), to look at whole.
fn screenshots(profile: &Path, page: &Path, shots: &[(&str, &str)]) {
    let artifacts = cdp::artifacts();
    if let Some((first, _)) = shots.first() {
        let kept = artifacts.join(Path::new(first).with_extension("html"));
        std::fs::copy(page, kept).unwrap();
    }
    for (name, size) in shots {
        let shot = artifacts.join(name);
        let _ = std::fs::remove_file(&shot);
        headless(
            profile,
            &[
                format!("--screenshot={}", shot.display()),
                format!("--window-size={size}"),
            ],
            page,
        );
        let bytes = std::fs::read(&shot)
            .unwrap_or_else(|e| panic!("no screenshot {}: {e}", shot.display()));
        assert!(
            bytes.starts_with(b"\x89PNG") && bytes.len() > 10_000,
            "{name} is not a real screenshot"
        );
    }
}

/// What the measuring script reads from a page laid out in a frame `width` CSS pixels wide.
/// The page itself is untouched: a harness page next to it holds it in an `<iframe>` (the
/// frame is the page's viewport, so its media queries see `width`), reads its layout once it
/// has loaded, and writes the findings as JSON into its own DOM, which `--dump-dom` prints.
fn measure(profile: &Path, page: &Path, width: u32) -> Value {
    let harness = page.with_file_name(format!("measure-{width}.html"));
    let html = format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body style=\"margin:0\">\
         <iframe id=\"page\" src=\"{}\" style=\"width:{width}px;height:800px;border:0\"></iframe>\
         <pre id=\"result\"></pre><script>{MEASURE}</script></body></html>",
        page.file_name().unwrap().to_str().unwrap()
    );
    std::fs::write(&harness, html).unwrap();
    let out = headless(
        profile,
        &[
            "--allow-file-access-from-files".into(),
            "--window-size=1400,900".into(),
            "--virtual-time-budget=5000".into(),
            "--dump-dom".into(),
        ],
        &harness,
    );
    let dom = String::from_utf8(out.stdout).unwrap();
    let start = dom.find("<pre id=\"result\">").expect("the harness page") + 17;
    let end = start + dom[start..].find("</pre>").unwrap();
    let json = dom[start..end]
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&");
    let found: Value = serde_json::from_str(&json)
        .unwrap_or_else(|e| panic!("the measuring script said {json:?}: {e}"));
    assert!(
        found.get("error").is_none(),
        "the measuring script failed at {width} px: {}",
        found["error"]
    );
    found
}

/// The measuring script of [`measure`]. Rule names are counted as broken when their text
/// covers more than one line; tooltips are shown one at a time as hovering shows them (their
/// `display` set, then the page's own `mouseover` handler run) and must lie inside the frame.
const MEASURE: &str = r#"
window.addEventListener('load', function () {
  var out = {};
  try {
    var w = document.getElementById('page').contentWindow, d = w.document, root = d.documentElement;
    var box = function (el) { if (!el) return null; var r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
    var all = function (sel) { return Array.prototype.slice.call(d.querySelectorAll(sel)); };
    var lines = function (el) {
      var tops = {}, walk = d.createTreeWalker(el, 4), node;
      while ((node = walk.nextNode())) {
        var range = d.createRange(); range.selectNodeContents(node);
        Array.prototype.forEach.call(range.getClientRects(), function (r) { if (r.width > 0) tops[Math.round(r.top)] = 1; });
      }
      return Object.keys(tops).length;
    };
    var broken = function () {
      return all('.rule, .filters label').filter(function (el) { return el.getClientRects().length && lines(el) > 1; })
        .map(function (el) { return el.textContent; });
    };
    out.width = w.innerWidth;
    out.clientWidth = root.clientWidth;
    out.scrollWidth = root.scrollWidth;
    out.lang = root.lang;
    out.textLangs = all('.text').map(function (e) { return e.lang; });
    out.sourceLangs = all('table.paras td.src').map(function (e) { return e.lang; });
    out.targetLangs = all('table.paras td.tgt').map(function (e) { return e.lang; });
    out.diffLangs = all('table.diff tbody').map(function (e) { return e.lang; });
    var row = d.querySelector('table.paras tbody tr');
    out.translation = row ? { source: box(row.querySelector('td.src')), target: box(row.querySelector('td.tgt')) } : null;
    var cols = all('.cols > section');
    out.columns = cols.length > 1 ? { first: box(cols[0]), second: box(cols[1]) } : null;
    var chg = all('table.diff tr.chg').filter(function (r) {
      var o = r.querySelector('td.o'), c = r.querySelector('td.c');
      return o && c && o.textContent && c.textContent;
    })[0];
    out.diffRow = chg ? { original: box(chg.querySelector('td.o')), corrected: box(chg.querySelector('td.c')) } : null;
    out.brokenRules = broken();
    out.ruleNames = all('.rule').length;
    out.tips = 0; out.tipsOff = []; out.tipScrollWidth = 0; out.doubleStops = [];
    all('mark').forEach(function (m) {
      var tip = m.querySelector('.tip');
      if (!tip) return;
      if (/(^|[^.])\.\.(?!\.)/.test(tip.textContent)) out.doubleStops.push(tip.textContent);
      m.scrollIntoView({ block: 'center' });
      tip.style.display = 'block';
      m.dispatchEvent(new w.MouseEvent('mouseover', { bubbles: true }));
      var r = tip.getBoundingClientRect();
      out.tips++;
      if (r.left < 0 || r.right > root.clientWidth) out.tipsOff.push([tip.textContent.slice(0, 60), r.left, r.right]);
      out.tipScrollWidth = Math.max(out.tipScrollWidth, root.scrollWidth);
      var rules = Array.prototype.filter.call(tip.querySelectorAll('.rule'), function (el) { return lines(el) > 1; });
      rules.forEach(function (el) { out.brokenRules.push('tooltip: ' + el.textContent); });
      tip.style.display = '';
    });
    out.wide = all('body *').filter(function (el) {
      if (el.closest('.scroll')) return false;
      var r = el.getBoundingClientRect(); return r.width > 0 && r.right > root.clientWidth + 1;
    }).slice(0, 5).map(function (el) { return el.tagName + '.' + el.className + ': ' + el.textContent.slice(0, 40); });
  } catch (e) { out.error = String(e && e.stack || e); }
  document.getElementById('result').textContent = JSON.stringify(out);
});
"#;

/// A box `[left, top, right, bottom]` from the measuring script.
fn rect(v: &Value) -> [f64; 4] {
    let a = v.as_array().unwrap_or_else(|| panic!("not a box: {v}"));
    [0, 1, 2, 3].map(|i| a[i].as_f64().unwrap())
}

/// `second` lies below `first`, starting at about the same left edge: stacked.
fn stacked(first: &Value, second: &Value) -> bool {
    let (a, b) = (rect(first), rect(second));
    b[1] >= a[3] - 1.0 && (b[0] - a[0]).abs() < 40.0
}

/// `second` lies right of `first`, starting on the same line: side by side.
fn side_by_side(first: &Value, second: &Value) -> bool {
    let (a, b) = (rect(first), rect(second));
    b[0] >= a[2] - 1.0 && (b[1] - a[1]).abs() < 2.0
}

/// What must hold at every width: no sideways scrolling (tooltips shown included), rule
/// names in one piece, tooltips inside the frame and without a doubled full stop.
fn fits(found: &Value, width: u32, page: &str) {
    assert_eq!(found["width"], width, "{page}: the frame's viewport");
    let scroll = found["scrollWidth"].as_f64().unwrap();
    assert!(
        scroll <= f64::from(width),
        "{page} at {width} px scrolls sideways ({scroll} px wide): {}",
        found["wide"]
    );
    let with_tips = found["tipScrollWidth"].as_f64().unwrap();
    assert!(
        with_tips <= f64::from(width),
        "{page} at {width} px: a tooltip widens the page to {with_tips} px"
    );
    assert_eq!(
        found["brokenRules"],
        serde_json::json!([]),
        "{page} at {width} px: rule names broken across lines"
    );
    assert_eq!(
        found["tipsOff"],
        serde_json::json!([]),
        "{page} at {width} px: tooltips off screen"
    );
    assert_eq!(
        found["doubleStops"],
        serde_json::json!([]),
        "{page}: tooltips with a doubled full stop"
    );
}

/// The sample corpus and a hostile document, run through the LibreTranslate emulator (so the
/// report has translations); returns the temporary folder and the report's path.
fn translated_report() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    for name in [
        "scg-statement-leaked-report.zh.txt",
        "law-nec-elections-motion-2020.zh.txt",
        "law-nec-elections-motion-2020.en.txt",
    ] {
        std::fs::copy(Path::new("corpus").join(name), corpus.join(name)).unwrap();
    }
    std::fs::write(corpus.join("hostile.zh.txt"), HOSTILE).unwrap();
    let emu = emulator::Background::start();
    let out_dir = dir.path().join("out");
    let run = common::isolated(dir.path())
        .args(["run", "-q", "--glossary", "glossary/labour.csv", "--out"])
        .arg(&out_dir)
        .args(["--engine", "libretranslate", "--endpoint", &emu.url])
        .args(["--retry-delay-ms", "5", "--timeout", "60"])
        .arg(&corpus)
        .output()
        .unwrap();
    assert_ne!(
        run.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let page = std::fs::canonicalize(out_dir.join("report.html")).unwrap();
    (dir, page)
}

#[test]
fn report_fits_a_phone_lines_up_the_translation_and_marks_languages() {
    let (_dir, page) = translated_report();
    let profile = tempfile::tempdir().unwrap();

    let phone = measure(profile.path(), &page, PHONE);
    fits(&phone, PHONE, "report.html");
    assert_eq!(phone["lang"], "en", "the report's own words are English");
    let text_langs = phone["textLangs"].as_array().unwrap();
    assert!(
        text_langs.iter().any(|l| l == "zh") && text_langs.iter().any(|l| l == "en"),
        "each document's text carries its language: {text_langs:?}"
    );
    assert!(
        text_langs.iter().all(|l| l != ""),
        "no text block without a language: {text_langs:?}"
    );
    let sources = phone["sourceLangs"].as_array().unwrap();
    let targets = phone["targetLangs"].as_array().unwrap();
    assert!(
        !sources.is_empty() && sources.len() == targets.len(),
        "one translation row per paragraph: {sources:?} {targets:?}"
    );
    assert!(sources.iter().any(|l| l == "zh") && targets.iter().any(|l| l == "en"));
    let translation = &phone["translation"];
    assert!(
        stacked(&translation["source"], &translation["target"]),
        "at {PHONE} px a paragraph's translation is below it: {translation}"
    );
    let columns = &phone["columns"];
    assert!(
        stacked(&columns["first"], &columns["second"]),
        "at {PHONE} px original and repaired are stacked: {columns}"
    );
    assert!(
        phone["tips"].as_u64().unwrap() > 10,
        "tooltips were checked"
    );
    assert!(
        phone["ruleNames"].as_u64().unwrap() > 10,
        "rule names were checked"
    );

    let desktop = measure(profile.path(), &page, 1280);
    fits(&desktop, 1280, "report.html");
    let translation = &desktop["translation"];
    assert!(
        side_by_side(&translation["source"], &translation["target"]),
        "on a desktop a paragraph and its translation are side by side: {translation}"
    );

    screenshots(
        profile.path(),
        &page,
        &[
            ("report-translated.png", "1280,3000"),
            ("report-translated-390px.png", "390,3000"),
        ],
    );
}

#[test]
fn diff_page_fits_a_phone_and_marks_languages() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::copy("corpus/scg-statement-leaked-report.zh.txt", d.join("a.txt")).unwrap();
    let glossary = Path::new(env!("CARGO_MANIFEST_DIR")).join("glossary/labour.csv");
    let report = common::transmend()
        .current_dir(d)
        .arg("--glossary")
        .arg(&glossary)
        .args(["check", "--format", "json", "a.txt"])
        .output()
        .unwrap();
    std::fs::write(d.join("report.jsonl"), &report.stdout).unwrap();
    for args in [
        &["fix", "a.txt", "--out", "fixed"][..],
        &[
            "diff",
            "a.txt",
            "fixed/a.txt",
            "--report",
            "report.jsonl",
            "--html",
            "diff.html",
        ][..],
    ] {
        let out = common::transmend()
            .current_dir(d)
            .arg("--glossary")
            .arg(&glossary)
            .args(args)
            .output()
            .unwrap();
        assert_ne!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let page = std::fs::canonicalize(d.join("diff.html")).unwrap();
    let profile = tempfile::tempdir().unwrap();

    let phone = measure(profile.path(), &page, PHONE);
    fits(&phone, PHONE, "diff.html");
    assert_eq!(phone["lang"], "en");
    assert_eq!(
        phone["diffLangs"],
        serde_json::json!(["zh"]),
        "the documents' text carries their language"
    );
    assert!(phone["ruleNames"].as_u64().unwrap() > 3, "causes are shown");
    let row = &phone["diffRow"];
    assert!(
        stacked(&row["original"], &row["corrected"]),
        "at {PHONE} px the corrected line is below the original: {row}"
    );

    let desktop = measure(profile.path(), &page, 1280);
    fits(&desktop, 1280, "diff.html");
    let row = &desktop["diffRow"];
    assert!(
        side_by_side(&row["original"], &row["corrected"]),
        "on a desktop the two sides are side by side: {row}"
    );

    screenshots(
        profile.path(),
        &page,
        &[("diff.png", "1280,2000"), ("diff-390px.png", "390,2400")],
    );
}

/// The marks of a rendered report: `(rule, the text they mark)`, in order.
fn marks(dom: &str) -> Vec<(String, String)> {
    dom.split("<mark ")
        .skip(1)
        .map(|m| {
            let rule = m
                .split("data-rule=\"")
                .nth(1)
                .and_then(|r| r.split('"').next())
                .unwrap_or_default()
                .to_string();
            let shown = m
                .split_once('>')
                .map(|(_, rest)| rest.split("<span class=\"tip\"").next().unwrap_or_default())
                .unwrap_or_default()
                .replace("&amp;", "&")
                .replace("&lt;", "<")
                .replace("&gt;", ">");
            (rule, shown)
        })
        .collect()
}

#[test]
fn report_of_a_web_page_marks_its_flags_in_its_visible_text() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("saved");
    std::fs::create_dir_all(&corpus).unwrap();
    let page = "tribune-leaked-report-repost.zh.html";
    std::fs::copy(Path::new("corpus").join(page), corpus.join(page)).unwrap();
    let out_dir = dir.path().join("out");
    let run = common::transmend()
        .args(["run", "-q", "--out"])
        .arg(&out_dir)
        .arg(&corpus)
        .env_remove("TRANSMEND_ENGINE")
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let report = std::fs::read_to_string(out_dir.join("report.jsonl")).unwrap();
    let doc = common::documents(&report).remove(0);
    let expected: Vec<(String, String)> = doc["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["text"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(expected.len() >= 5, "{expected:?}");

    let profile = tempfile::tempdir().unwrap();
    let html = std::fs::canonicalize(out_dir.join("report.html")).unwrap();
    let dom = headless(profile.path(), &["--dump-dom".into()], &html);
    let dom = String::from_utf8(dom.stdout).unwrap();
    // Each flag marks its own text in the page's visible text, in order, and no markup of the
    // page itself shows: the report is of what a reader sees.
    assert_eq!(marks(&dom), expected);
    let text_section = dom.split("class=\"text\"").nth(1).unwrap_or_default();
    let text_section = text_section.split("</div>").next().unwrap_or_default();
    for markup in [
        "dataLayer",
        "&lt;p&gt;",
        "&lt;strong&gt;",
        "schema.org",
        "curl https",
    ] {
        assert!(!text_section.contains(markup), "{markup} in the shown text");
    }
    assert!(
        text_section.contains("我们曾担任"),
        "the page's text is shown"
    );
    // The diff is of the page's source: its tags are in it, escaped, after the text.
    let after_text = dom.split_once("我们曾担任").map_or("", |(_, rest)| rest);
    assert!(
        after_text.contains("&lt;strong&gt;"),
        "the diff of the source"
    );
}
