//! The review page in headless Chromium, driven by real mouse and key events over the
//! DevTools protocol (`tests/cdp`): the report of the Chinese seed, one flag rejected by mouse
//! (everywhere), one by keyboard, one edited, the rest accepted with `a`; a reload keeps the
//! decisions; the exported `decisions.json` goes through `transmend apply`, whose file equals
//! byte for byte the page's own download and the text with exactly those changes; the
//! rejection everywhere keeps the flag out of a fresh `check`. Also: the guard entry offered
//! for a deprecated form inside a longer name, the phone layout, and no console errors.
#![allow(clippy::unwrap_used)]

mod cdp;
mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::{Value, json};

const SEED: &str = "corpus/scg-statement-leaked-report.zh.txt";

/// `transmend ARGS` run in `dir`; it must not fail.
fn in_dir(dir: &Path, args: &[&str]) -> Output {
    let out = common::in_dir(dir, args);
    assert_ne!(
        out.status.code(),
        Some(2),
        "transmend {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A corpus of these files in a temp dir, and `run` over it; the page's path.
fn report_of(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("corpus")).unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join("corpus").join(name), text).unwrap();
    }
    in_dir(dir.path(), &["run", "-q", "corpus", "--out", "out"]);
    let page = dir.path().join("out/report.html");
    (dir, page)
}

fn row(k: usize) -> String {
    format!("tr[data-doc=\"0\"][data-flag=\"{k}\"]")
}

/// The decision the page shows for flag `k`.
fn decision_of(b: &cdp::Browser, k: usize) -> Value {
    b.eval(&format!(
        "document.querySelector('{}').getAttribute('data-decision')",
        row(k)
    ))
}

/// Every row's decision, in flag order.
fn decisions(b: &cdp::Browser) -> Vec<String> {
    let v = b.eval(
        "Array.from(document.querySelectorAll('tr[data-flag]')).map(r => r.getAttribute('data-decision'))",
    );
    v.as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap_or("").to_string())
        .collect()
}

/// What the window shows, as a PNG file.
fn viewport_shot(b: &cdp::Browser, path: &Path) {
    use base64::Engine as _;
    let shot = b.page_command("Page.captureScreenshot", json!({"format": "png"}));
    let png = base64::engine::general_purpose::STANDARD
        .decode(shot["data"].as_str().unwrap())
        .unwrap();
    assert!(png.starts_with(b"\x89PNG") && png.len() > 10_000);
    std::fs::write(path, png).unwrap();
}

#[test]
fn a_reviewer_decides_flag_by_flag_and_gets_the_corrected_file() {
    let seed = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(SEED)).unwrap();
    let (dir, page) = report_of(&[("scg.zh.txt", &seed)]);
    let b = cdp::Browser::launch(1280, 900);
    b.navigate(&format!("file://{}", page.display()));
    let data = b.eval("JSON.parse(document.getElementById('transmend-review').textContent)");
    let flags = data["documents"][0]["flags"].as_array().unwrap().clone();
    let n = flags.len();
    assert!(n > 20, "the seed has many flags ({n})");
    b.wait_for("document.querySelectorAll('td.decision button.accept').length > 20");
    let progress = |b: &cdp::Browser| {
        b.eval("document.querySelector('#review-bar .progress').textContent")
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(
        progress(&b).starts_with(&format!("0 of {n}")),
        "{}",
        progress(&b)
    );
    assert_eq!(
        b.eval("document.querySelector('#review-bar .progress').getAttribute('aria-live')"),
        json!("polite")
    );

    // Screen readers: the controls' names are what they show, the scope list has its label.
    assert_eq!(
        b.eval(&format!(
            "Array.from(document.querySelectorAll('{} td.decision button')).map(x => x.textContent + '|' + (x.getAttribute('aria-label') || ''))",
            row(0)
        )),
        json!(["Accept|", "Reject|", "Edit|"])
    );
    assert_eq!(
        b.eval(&format!(
            "document.querySelector('{} select.scope').labels.length",
            row(0)
        )),
        json!(1)
    );

    // 1. By keyboard: j to the first flag, r rejects it (this occurrence).
    b.press("j");
    assert_eq!(
        b.eval("document.activeElement.getAttribute('data-flag')"),
        json!("0")
    );
    b.press("r");
    assert_eq!(decision_of(&b, 0), json!("rejected"));
    assert_eq!(
        b.eval("document.activeElement.getAttribute('data-flag')"),
        json!("1"),
        "focus moves to the next undecided flag"
    );

    // 2. By mouse: a deprecated form rejected everywhere (scope chosen with the keys on
    // its "Reject for" list, then the Reject button clicked).
    let everywhere = flags
        .iter()
        .position(|f| f["rule"] == "deprecated-term" && f["text"] == "劳动力")
        .or_else(|| flags.iter().rposition(|f| f["rule"] == "deprecated-term"))
        .unwrap();
    assert!(everywhere > 1);
    b.eval(&format!(
        "document.querySelector('{} select.scope').focus()",
        row(everywhere)
    ));
    b.press("ArrowDown");
    b.press("ArrowDown");
    assert_eq!(
        b.eval(&format!(
            "document.querySelector('{} select.scope').value",
            row(everywhere)
        )),
        json!("everywhere")
    );
    b.click(&format!("{} button.reject", row(everywhere)));
    assert_eq!(decision_of(&b, everywhere), json!("rejected"));

    // 3. An edit: Ian Lvery becomes a Chinese rendering, typed.
    let lvery = flags.iter().position(|f| f["text"] == "Ian Lvery").unwrap();
    b.click(&format!("{} td.rule", row(lvery)));
    b.press("e");
    b.wait_for(&format!(
        "document.activeElement === document.querySelector('{} input.correction')",
        row(lvery)
    ));
    b.eval("document.activeElement.select()");
    b.type_text("伊恩·莱弗里");
    b.press("Enter");
    assert_eq!(decision_of(&b, lvery), json!("edited"));

    // 4. Accept the rest with `a`: each decision moves on to the next undecided flag.
    let undecided = decisions(&b).iter().filter(|d| *d == "undecided").count();
    assert_eq!(undecided, n - 3);
    b.eval(&format!(
        "document.querySelector('{}').focus()",
        row((0..n)
            .find(|&k| ![0, everywhere, lvery].contains(&k))
            .unwrap())
    ));
    for _ in 0..6 {
        b.press("a");
    }
    // The screenshot in the README (docs/review.png is a copy): the flags around the edit,
    // with decisions of every kind and the bar; and the whole page.
    b.eval(&format!(
        "document.querySelector('{}').scrollIntoView({{block: 'center', behavior: 'instant'}})",
        row(lvery)
    ));
    viewport_shot(&b, &cdp::artifacts().join("review.png"));
    b.screenshot(&cdp::artifacts().join("review-page.png"));

    b.eval("document.querySelector('tr[data-decision=\"undecided\"]').focus()");
    for _ in 6..undecided {
        b.press("a");
    }
    let after = decisions(&b);
    assert_eq!(after.iter().filter(|d| *d == "accepted").count(), n - 3);
    assert!(
        progress(&b).starts_with(&format!("{n} of {n}")),
        "{}",
        progress(&b)
    );
    // Undo and redo one, by key.
    b.press("u");
    assert_eq!(
        decisions(&b).iter().filter(|d| *d == "accepted").count(),
        n - 4
    );
    b.press("a");
    assert_eq!(decisions(&b), after);

    // 5. A reload keeps every decision.
    b.reload();
    b.wait_for("document.querySelectorAll('td.decision').length > 20");
    assert_eq!(decisions(&b), after, "decisions survive a reload");

    // 6. The page's own corrected text and its decisions.json.
    b.click("div.review[data-doc=\"0\"] button.download");
    let from_page = b.wait_download("scg.zh.txt");
    b.click("#review-bar button.export");
    let exported = b.wait_download("decisions.json");
    let exported: Value = serde_json::from_slice(&exported).unwrap();
    assert_eq!(exported["transmend_decisions"], json!(1));
    let doc = &exported["documents"][0];
    assert_eq!(doc["path"], json!("corpus/scg.zh.txt"));
    let list = doc["decisions"].as_array().unwrap();
    assert_eq!(list.len(), n);
    let by_action = |a: &str| list.iter().filter(|d| d["action"] == a).count();
    assert_eq!((by_action("reject"), by_action("edit")), (2, 1));
    let scope_of = |k: usize| {
        list.iter()
            .find(|d| d["fingerprint"] == flags[k]["fingerprint"])
            .unwrap()["scope"]
            .clone()
    };
    assert_eq!(scope_of(0), json!("occurrence"));
    assert_eq!(scope_of(everywhere), json!("everywhere"));

    // What the reviewer decided, computed from the data: every suggestion but the two
    // rejected, and the edit.
    let mut changes: Vec<(usize, usize, String)> = flags
        .iter()
        .enumerate()
        .filter(|(k, _)| *k != 0 && *k != everywhere)
        .filter_map(|(k, f)| {
            let replacement = if k == lvery {
                "伊恩·莱弗里".to_string()
            } else {
                f["suggestion"].as_str()?.to_string()
            };
            Some((
                f["text_span"][0].as_u64().unwrap() as usize,
                f["text_span"][1].as_u64().unwrap() as usize,
                replacement,
            ))
        })
        .collect();
    changes.sort_by_key(|c| std::cmp::Reverse(c.0));
    let mut want = seed.clone();
    for (s, e, r) in changes {
        want.replace_range(s..e, &r);
    }

    let decisions_path = dir.path().join("decisions.json");
    std::fs::write(&decisions_path, serde_json::to_vec(&exported).unwrap()).unwrap();
    let applied = in_dir(
        dir.path(),
        &["apply", "decisions.json", "--out", "corrected"],
    );
    let said = String::from_utf8_lossy(&applied.stderr);
    assert!(
        said.contains(&format!("{} accepted, 1 edited, 2 rejected", n - 3)),
        "{said}"
    );
    let corrected = std::fs::read(dir.path().join("corrected/corpus/scg.zh.txt")).unwrap();
    assert_eq!(String::from_utf8(corrected.clone()).unwrap(), want);
    assert_eq!(
        corrected, from_page,
        "the page and apply agree byte for byte"
    );

    // 7. The rejection everywhere: a fresh check leaves that flag out and counts it.
    let out = in_dir(dir.path(), &["check", "--format", "json", "corpus"]);
    let lines = common::documents(&String::from_utf8(out.stdout).unwrap());
    let gone = &flags[everywhere];
    assert!(
        !lines[0]["flags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["text"] == gone["text"] && f["rule"] == gone["rule"]),
        "{gone} is still reported"
    );
    assert!(lines[0]["ignored"].as_u64().unwrap() >= 1);

    // 8. A stale decisions file: the seed edited where the edit points is refused whole.
    std::fs::write(
        dir.path().join("corpus/scg.zh.txt"),
        seed.replace("Ian Lvery&", "Ian Lvery和"),
    )
    .unwrap();
    let stale = common::in_dir(dir.path(), &["apply", "decisions.json", "--write"]);
    assert_eq!(stale.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&stale.stderr).contains("changed since the report"));

    assert_eq!(
        b.console_errors(),
        Vec::<String>::new(),
        "no console errors"
    );
}

#[test]
fn a_rejected_form_inside_a_longer_name_offers_a_guard_and_phones_fit() {
    let (_dir, page) = report_of(&[(
        "torres.zh.txt",
        "费尔南多·托里斯是利物浦的前锋。\n\n我们反对托里的政策。\n",
    )]);
    let b = cdp::Browser::launch(390, 800);
    b.navigate(&format!("file://{}", page.display()));
    b.wait_for("document.querySelectorAll('td.decision').length >= 2");
    let k = b
        .eval(
            "JSON.parse(document.getElementById('transmend-review').textContent).documents[0].flags.findIndex(f => f.guard === '托里斯')",
        )
        .as_i64()
        .unwrap();
    assert!(k >= 0, "托里 in 托里斯 offers the guard 托里斯");
    let k = k as usize;
    b.click(&format!("{} button.reject", row(k)));
    b.wait_for(&format!(
        "document.querySelector('{} code.guard-csv') !== null",
        row(k)
    ));
    let csv = b.eval(&format!(
        "document.querySelector('{} code.guard-csv').textContent",
        row(k)
    ));
    let csv = csv.as_str().unwrap();
    assert!(
        csv.starts_with("id,kind,zh,note") && csv.contains(",term,托里斯,"),
        "{csv}"
    );
    // The phone layout: nothing scrolls sideways; the controls are on screen.
    assert_eq!(b.eval("window.innerWidth"), json!(390));
    assert_eq!(
        b.eval("document.documentElement.scrollWidth <= window.innerWidth"),
        json!(true)
    );
    assert_eq!(
        b.eval(&format!(
            "(() => {{ const r = document.querySelector('{} button.accept').getBoundingClientRect(); return r.left >= 0 && r.right <= window.innerWidth; }})()",
            row(k)
        )),
        json!(true)
    );
    let shot = cdp::artifacts().join("review-390px.png");
    b.screenshot(&shot);
    assert_eq!(b.console_errors(), Vec::<String>::new());
}

/// The pages of a report in pages (`report/NNNNNN.js`), by index: `{"run","index","html","review"}`.
fn pages_of(folder: &Path) -> Vec<Value> {
    let prefix = "(window.transmendPages=window.transmendPages||[]).push(";
    let mut names: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    names
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).unwrap();
            let json = text
                .strip_prefix(prefix)
                .and_then(|t| t.strip_suffix(");\n"))
                .unwrap();
            serde_json::from_str(json).unwrap()
        })
        .collect()
}

#[test]
fn a_report_in_pages_loads_each_document_when_opened_and_its_decisions_apply() {
    let a = "劳动派对的领袖今天发表讲话。托里政府随后回应。\n";
    let b_text = "我们是劳动派对的成员。\n";
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("corpus")).unwrap();
    std::fs::write(dir.path().join("corpus/a.zh.txt"), a).unwrap();
    std::fs::write(dir.path().join("corpus/b.zh.txt"), b_text).unwrap();
    in_dir(
        dir.path(),
        &[
            "run",
            "-q",
            "corpus",
            "--out",
            "out",
            "--report-pages",
            "always",
        ],
    );
    let pages = pages_of(&dir.path().join("out/report"));
    assert_eq!(pages.len(), 2);
    let flags_a = pages[0]["review"]["flags"].as_array().unwrap().clone();
    let flags_b = pages[1]["review"]["flags"].as_array().unwrap().clone();
    assert!(!flags_a.is_empty() && !flags_b.is_empty());
    assert_eq!(flags_a[0]["text"], json!("劳动派对"));
    assert_eq!(flags_a[0]["suggestion"], json!("工党"));
    let n = flags_a.len() + flags_b.len();

    let page = dir.path().join("out/report.html");
    let b = cdp::Browser::launch(1280, 900);
    b.navigate(&format!("file://{}", page.display()));
    let progress = |b: &cdp::Browser| {
        b.eval("document.querySelector('#review-bar .progress').textContent")
            .as_str()
            .unwrap()
            .to_string()
    };
    b.wait_for("document.querySelector('#review-bar .progress') !== null");
    // 1. Nothing is loaded yet: two placeholders, every flag counted.
    assert_eq!(
        b.eval("document.querySelectorAll('section.document.pending').length"),
        json!(2)
    );
    assert_eq!(
        b.eval("document.querySelectorAll('tr[data-flag], mark[data-flag]').length"),
        json!(0)
    );
    assert!(
        progress(&b).starts_with(&format!("0 of {n} flags decided")),
        "{}",
        progress(&b)
    );

    // 2. `j` opens the first document with flags and focuses its first flag; `a` accepts it.
    b.press("j");
    b.wait_for("document.activeElement && document.activeElement.matches('tr[data-doc=\"0\"][data-flag=\"0\"]')");
    assert_eq!(
        b.eval("document.querySelectorAll('section.document.pending').length"),
        json!(1),
        "only the first document was loaded"
    );
    assert_eq!(
        b.eval("document.querySelectorAll('#doc-0 mark[data-flag]').length"),
        json!(flags_a.len()),
        "its highlights came with it"
    );
    b.press("a");
    b.wait_for("document.querySelector('tr[data-doc=\"0\"][data-flag=\"0\"]').getAttribute('data-decision') === 'accepted'");

    // 3. The overview's link opens the second document; its first flag is rejected by mouse.
    b.click("a[href=\"#doc-1\"]");
    b.wait_for(
        "document.querySelector('tr[data-doc=\"1\"][data-flag=\"0\"] button.reject') !== null",
    );
    b.click("tr[data-doc=\"1\"][data-flag=\"0\"] button.reject");
    b.wait_for("document.querySelector('tr[data-doc=\"1\"][data-flag=\"0\"]').getAttribute('data-decision') === 'rejected'");
    assert!(
        progress(&b).starts_with(&format!("2 of {n} flags decided")),
        "{}",
        progress(&b)
    );

    // 4. A reload keeps both decisions, counted before the documents are opened again.
    b.navigate(&format!("file://{}", page.display()));
    b.wait_for("document.querySelector('#review-bar .progress') !== null");
    assert_eq!(
        b.eval("document.querySelectorAll('section.document.pending').length"),
        json!(2)
    );
    assert!(
        progress(&b).starts_with(&format!("2 of {n} flags decided")),
        "{}",
        progress(&b)
    );

    // 5. Export: the documents with decisions are loaded first, so both go out.
    b.click("#review-bar button.export");
    let exported = b.wait_download("decisions.json");
    let exported: Value = serde_json::from_slice(&exported).unwrap();
    let docs = exported["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 2, "{exported}");
    assert_eq!(docs[0]["path"], json!("corpus/a.zh.txt"));
    let first = &docs[0]["decisions"].as_array().unwrap()[0];
    assert_eq!(first["fingerprint"], flags_a[0]["fingerprint"]);
    assert_eq!(first["action"], json!("accept"));
    assert_eq!(first["replacement"], json!("工党"));
    assert_eq!(docs[1]["decisions"][0]["action"], json!("reject"));
    assert_eq!(
        docs[0]["undecided"].as_array().unwrap().len(),
        flags_a.len() - 1
    );

    // 6. `apply` makes exactly the accepted change.
    std::fs::write(
        dir.path().join("decisions.json"),
        serde_json::to_vec(&exported).unwrap(),
    )
    .unwrap();
    let applied = in_dir(
        dir.path(),
        &["apply", "decisions.json", "--out", "corrected"],
    );
    let said = String::from_utf8_lossy(&applied.stderr);
    let corrected = std::fs::read_to_string(dir.path().join("corrected/corpus/a.zh.txt")).unwrap();
    assert_eq!(corrected, a.replacen("劳动派对", "工党", 1), "{said}");
    assert_eq!(
        b.console_errors(),
        Vec::<String>::new(),
        "no console errors"
    );
}

#[test]
fn a_page_missing_from_a_report_in_pages_is_said_plainly() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("corpus")).unwrap();
    std::fs::write(
        dir.path().join("corpus/a.zh.txt"),
        "我们是劳动派对的成员。\n",
    )
    .unwrap();
    in_dir(
        dir.path(),
        &[
            "run",
            "-q",
            "corpus",
            "--out",
            "out",
            "--report-pages",
            "always",
        ],
    );
    std::fs::remove_file(dir.path().join("out/report/000000.js")).unwrap();
    let b = cdp::Browser::launch(1280, 900);
    b.navigate(&format!(
        "file://{}",
        dir.path().join("out/report.html").display()
    ));
    b.click("#doc-0 button.show-doc");
    b.wait_for("document.querySelector('#doc-0 .load-error') !== null");
    let said = b.eval("document.querySelector('#doc-0 .load-error').textContent");
    assert!(
        said.as_str()
            .unwrap()
            .contains("Could not load report/000000.js"),
        "{said}"
    );
}
