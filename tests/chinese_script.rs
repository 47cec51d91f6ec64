//! Simplified and Traditional Chinese with one glossary: the script and region of a text are
//! reported, a form in either script is found in either, answers come in the text's own
//! script, and leftovers of the other script in a half-converted repost are repaired.
#![allow(clippy::unwrap_used)]

mod common;

use serde_json::Value;

/// `check --format json` of `text` saved as `name` in a folder outside the repository.
fn check(name: &str, text: &str) -> Value {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), text).unwrap();
    let out = common::transmend()
        .current_dir(dir.path())
        .args(["check", "--format", "json", name])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    common::documents(&stdout).remove(0)
}

fn flags(doc: &Value) -> Vec<(String, String, Option<String>)> {
    doc["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["text"].as_str().unwrap().to_string(),
                f["suggestion"].as_str().map(str::to_string),
            )
        })
        .collect()
}

fn flag(rule: &str, text: &str, suggestion: &str) -> (String, String, Option<String>) {
    (rule.into(), text.into(), Some(suggestion.into()))
}

#[test]
fn a_taiwan_repost_is_checked_against_the_simplified_glossary_and_answered_in_traditional() {
    let doc = check(
        "tw.txt",
        "我們在這裡開會，台灣的勞動派對支持者說著話，反對托里政府和反抗主義。\n",
    );
    assert_eq!(
        (
            doc["language"].as_str(),
            doc["script"].as_str(),
            doc["region"].as_str()
        ),
        (Some("zh"), Some("Hant"), Some("TW"))
    );
    assert_eq!(
        flags(&doc),
        [
            flag("deprecated-term", "勞動派對", "工黨"),
            flag("deprecated-term", "托里", "保守黨"),
            flag("deprecated-term", "反抗主義", "反猶太主義"),
        ]
    );
}

#[test]
fn a_hong_kong_text_reports_its_region() {
    let doc = check(
        "hk.txt",
        "我們在這裏開會，香港的工黨支持者説着話，為了綫上的羣眾。\n",
    );
    assert_eq!(
        (doc["script"].as_str(), doc["region"].as_str()),
        (Some("Hant"), Some("HK"))
    );
    assert!(flags(&doc).is_empty(), "{doc}");
}

#[test]
fn a_half_converted_repost_gets_its_leftovers_repaired_in_its_own_script() {
    let text = "我們是工黨的全國競選協調員，我們反對保守黨政府的政策，並且要求立即进行獨立調查。\n";
    let doc = check("half.txt", text);
    assert_eq!(doc["script"], "Hant");
    let shares = doc["scripts"].as_array().unwrap();
    assert_eq!(shares[0]["script"], "Hant");
    assert_eq!(shares[1]["script"], "Hans");
    assert_eq!(flags(&doc), [flag("artifact", "进", "進")]);

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("half.txt"), text).unwrap();
    let out = common::transmend()
        .current_dir(dir.path())
        .args(["fix", "half.txt"])
        .arg("--write")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("half.txt")).unwrap(),
        text.replace('进', "進")
    );
}

#[test]
fn a_correct_traditional_translation_aligns_with_its_english_without_missing_terms() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.en.txt"),
        "The Labour Party and the National Executive Committee met. Jeremy Corbyn spoke about antisemitism.\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("a.zh.txt"),
        "工黨和全國執行委員會開會了。傑里米·科爾賓談到了反猶太主義。\n",
    )
    .unwrap();
    let out = common::transmend()
        .current_dir(dir.path())
        .args(["align", "a.en.txt", "a.zh.txt", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.lines().all(|l| l.contains("\"flags\":[]")),
        "{stdout}"
    );
}

mod emulator;

#[test]
fn translating_into_traditional_chinese_writes_the_glossary_in_traditional() {
    let emu = emulator::Background::start();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("motion.en.txt"),
        "The Labour Party and the National Executive Committee met.\n",
    )
    .unwrap();
    let out = common::translate_in(
        dir.path(),
        &emu.url,
        &["motion.en.txt", "--to", "zh-TW", "--out", "out"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // LibreTranslate was asked for its Traditional code.
    let asked: Vec<String> = emu
        .state
        .requests_to("/translate")
        .iter()
        // The preflight's empty request checks the key only.
        .filter(|r| r.json()["q"] != "")
        .map(|r| r.json()["target"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(
        !asked.is_empty() && asked.iter().all(|t| t == "zt"),
        "{asked:?}"
    );
    let jsonl = std::fs::read_to_string(dir.path().join("out/motion.en-zh-TW.jsonl")).unwrap();
    let pair: Value = serde_json::from_str(jsonl.lines().next().unwrap()).unwrap();
    let target = pair["target"].as_str().unwrap();
    assert!(
        target.contains("工黨") && target.contains("全國執行委員會"),
        "{target}"
    );
    assert!(!target.contains("工党"), "{target}");
    assert_eq!(pair["target_lang"], "zh-TW");
}

/// A glossary with local Traditional columns: Taiwan media write 軟體 where a conversion of
/// 软件 would give 軟件.
const LOCAL: &str = "id,kind,en,zh,zh.deprecated,zh-Hant,zh-TW\n\
software,term,software,软件,软物件,,軟體\n\
tories,org,Conservative Party,保守党,托里,保守黨,\n";

#[test]
fn a_local_column_answers_in_its_own_form_and_the_rest_is_converted() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("local.csv"), LOCAL).unwrap();
    let run = |name: &str, text: &str| -> Value {
        std::fs::write(dir.path().join(name), text).unwrap();
        let out = common::transmend()
            .current_dir(dir.path())
            .args([
                "check",
                "--format",
                "json",
                "--no-default-glossary",
                "--glossary",
                "local.csv",
                name,
            ])
            .output()
            .unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        common::documents(&stdout).remove(0)
    };
    let tw = run(
        "tw.txt",
        "我們在這裡說著軟物件的事，台灣的朋友都在這裡反對托里。\n",
    );
    assert_eq!(tw["region"], "TW");
    assert_eq!(
        flags(&tw),
        [
            flag("deprecated-term", "軟物件", "軟體"),
            flag("deprecated-term", "托里", "保守黨")
        ]
    );
    // A Traditional text with no region: the zh-Hant column, else the converted zh form.
    let hant = run("hant.txt", "我們說軟物件的事，反對托里。\n");
    assert_eq!(hant["script"], "Hant");
    assert_eq!(
        flags(&hant),
        [
            flag("deprecated-term", "軟物件", "軟件"),
            flag("deprecated-term", "托里", "保守黨")
        ]
    );
    // A Simplified text keeps the zh column's form.
    let hans = run("hans.txt", "我们说软物件的事，反对托里。\n");
    assert_eq!(
        flags(&hans),
        [
            flag("deprecated-term", "软物件", "软件"),
            flag("deprecated-term", "托里", "保守党")
        ]
    );
}

#[test]
fn glossary_lint_warns_when_a_traditional_column_is_simplified() {
    let dir = tempfile::tempdir().unwrap();
    let csv = "id,en,zh,zh-Hant\nlabour-party,Labour Party,工党,工党\n";
    std::fs::write(dir.path().join("g.csv"), csv).unwrap();
    let out = common::transmend()
        .current_dir(dir.path())
        .args(["glossary", "lint", "g.csv"])
        .output()
        .unwrap();
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        all.contains("'zh-Hant' form '工党' has Simplified characters (党)"),
        "{all}"
    );
    // The project glossary has no such column and lints clean (tests/glossary_cli.rs).
}

#[test]
fn near_miss_names_and_inconsistency_work_across_scripts() {
    let doc = check("nm.txt", "我們支持傑里米·科爾濱。反猶主義和反猶太主義。\n");
    let found = flags(&doc);
    assert_eq!(
        found,
        [
            flag("misspelled-term", "傑里米·科爾濱", "傑里米·科爾賓"),
            flag("inconsistent-rendering", "反猶主義", "反猶太主義"),
        ]
    );
    let message = doc["flags"][1]["message"].as_str().unwrap();
    assert!(
        message.contains("written '反猶主義' here but '反猶太主義'"),
        "{message}"
    );
}
