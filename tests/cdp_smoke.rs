//! The CDP helper (`tests/cdp`) against a small page: real clicks and keys, CJK typing, a Blob
//! download, a reload keeping localStorage, a screenshot, and no console errors.
#![allow(clippy::unwrap_used)]

mod cdp;

use serde_json::json;

const PAGE: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>smoke</title></head>
<body>
<button id="b">Press</button>
<input id="i">
<div style="height: 2000px"></div>
<a id="dl">download</a>
<script>
window.clicks = [];
window.keys = [];
document.getElementById('b').addEventListener('click', e => clicks.push(e.isTrusted));
document.addEventListener('keydown', e => keys.push({key: e.key, trusted: e.isTrusted}));
const blob = new Blob(['hello, 托里拆利\n'], {type: 'text/plain'});
const a = document.getElementById('dl');
a.href = URL.createObjectURL(blob);
a.download = 'hello.txt';
window.loads = Number(localStorage.getItem('loads') || 0) + 1;
localStorage.setItem('loads', String(window.loads));
</script>
</body></html>
"#;

#[test]
fn cdp_drives_a_real_page() {
    let started = std::time::Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.html");
    std::fs::write(&page, PAGE).unwrap();

    let browser = cdp::Browser::launch(390, 700);
    browser.navigate(&format!("file://{}", page.display()));
    assert_eq!(browser.eval("window.innerWidth"), json!(390));
    assert_eq!(browser.eval("window.loads"), json!(1));

    browser.click("#b");
    assert_eq!(browser.eval("clicks"), json!([true]));

    browser.press("j");
    browser.press("Escape");
    assert_eq!(
        browser.eval("keys"),
        json!([{"key": "j", "trusted": true}, {"key": "Escape", "trusted": true}])
    );

    browser.click("#i");
    browser.eval("document.getElementById('i').focus()");
    browser.type_text("托里拆利");
    browser.press("R");
    browser.wait_for("document.getElementById('i').value.length === 5");
    assert_eq!(
        browser.eval("document.getElementById('i').value"),
        json!("托里拆利R")
    );
    browser.press("Backspace");
    assert_eq!(
        browser.eval("document.getElementById('i').value"),
        json!("托里拆利")
    );

    browser.click("#dl");
    assert_eq!(
        browser.wait_download("hello.txt"),
        "hello, 托里拆利\n".as_bytes()
    );

    browser.reload();
    assert_eq!(browser.eval("window.loads"), json!(2));

    let shot = dir.path().join("shot.png");
    browser.screenshot(&shot);
    let png = std::fs::read(&shot).unwrap();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");

    assert_eq!(browser.console_errors(), Vec::<String>::new());
    eprintln!("cdp smoke test: {:?}", started.elapsed());
}
