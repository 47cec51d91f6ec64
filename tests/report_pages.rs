//! `run --report-pages always`: report.html as an index and a page per document in
//! `report/`. The pages hold every flag the single page holds (same sections, same review
//! data, same report id), which are the flags of report.jsonl, pair flags included; a run
//! that translates puts each translation in its document's page; a later run on one page
//! removes the earlier run's pages. The browser side is in tests/browser_review.rs.
#![allow(clippy::unwrap_used)]

mod common;
mod emulator;

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

/// A scratch copy of corpus/ (an English motion and its Chinese translation, paired by name,
/// among seven documents of every format).
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("corpus")).unwrap();
    for entry in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(
            entry.path(),
            dir.path().join("corpus").join(entry.file_name()),
        )
        .unwrap();
    }
    dir
}

fn run(dir: &Path, args: &[&str]) -> String {
    let out = common::in_dir(dir, args);
    assert_ne!(
        out.status.code(),
        Some(2),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The review data embedded in a report page.
fn review_data(html: &str) -> Value {
    let open = "<script type=\"application/json\" id=\"transmend-review\">";
    let start = html.find(open).unwrap() + open.len();
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).unwrap()
}

/// The pages of a report in pages, by index: each `{"run","index","html","review"}`.
fn pages(folder: &Path) -> BTreeMap<u64, Value> {
    let prefix = "(window.transmendPages=window.transmendPages||[]).push(";
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let json = text
            .strip_prefix(prefix)
            .and_then(|t| t.strip_suffix(");\n"))
            .unwrap_or_else(|| panic!("{} is not a page", path.display()));
        let page: Value = serde_json::from_str(json).unwrap();
        let index = page["index"].as_u64().unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        assert_eq!(name, format!("{index:06}.js"));
        out.insert(index, page);
    }
    out
}

#[test]
fn pages_hold_every_flag_of_the_single_page_and_of_report_jsonl() {
    let p = project();
    run(
        p.path(),
        &[
            "run",
            "-q",
            "corpus",
            "--out",
            "one",
            "--report-pages",
            "never",
        ],
    );
    let stdout = run(
        p.path(),
        &[
            "run",
            "corpus",
            "--out",
            "paged",
            "--report-pages",
            "always",
        ],
    );
    assert!(stdout.contains("its pages in paged/report/"), "{stdout}");

    let single_html = std::fs::read_to_string(p.path().join("one/report.html")).unwrap();
    let index_html = std::fs::read_to_string(p.path().join("paged/report.html")).unwrap();
    assert!(!p.path().join("one/report").exists(), "one page: no pages");
    let single = review_data(&single_html);
    let index = review_data(&index_html);
    let pages = pages(&p.path().join("paged/report"));
    let docs = single["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 7);
    assert_eq!(pages.len(), 7, "a page per document");
    assert_eq!(
        index["report"], single["report"],
        "the same report id: decisions stored in the browser carry over"
    );
    assert_eq!(index["pages"], "report");

    // The index: overview and a placeholder per document, no document text.
    assert!(index_html.contains("<main data-pages=\"report\" data-run=\""));
    assert_eq!(
        index_html
            .matches("<section class=\"document pending\"")
            .count(),
        7
    );
    assert!(
        !index_html.contains("<mark "),
        "no flag is shown before loading"
    );
    let run_id = {
        let at = index_html.find("data-run=\"").unwrap() + 10;
        &index_html[at..at + 16]
    };

    let mut sections = String::new();
    for (i, doc) in docs.iter().enumerate() {
        let page = &pages[&(i as u64)];
        assert_eq!(page["run"], run_id, "every page names the run");
        assert_eq!(page["index"], i as u64);
        // The review data of the page is the single page's, flag for flag.
        assert_eq!(&page["review"], doc, "document {i}");
        let stub = &index["documents"][i];
        assert_eq!(stub["path"], doc["path"]);
        assert_eq!(stub["sha256"], doc["sha256"]);
        assert_eq!(
            stub["flag_count"].as_u64().unwrap() as usize,
            doc["flags"].as_array().unwrap().len()
        );
        assert_eq!(stub["page"], format!("report/{i:06}.js"));
        // The placeholder names its page.
        assert!(index_html.contains(&format!("data-page=\"report/{i:06}.js\"")));
        sections.push_str(page["html"].as_str().unwrap());
    }
    // Every section is the single page's, byte for byte, in the same order.
    assert!(single_html.contains(&sections), "the sections differ");

    // And the flags are report.jsonl's, each with its fingerprint, pair flags included.
    let jsonl =
        common::documents(&std::fs::read_to_string(p.path().join("paged/report.jsonl")).unwrap());
    assert_eq!(
        std::fs::read_to_string(p.path().join("paged/report.jsonl")).unwrap(),
        std::fs::read_to_string(p.path().join("one/report.jsonl")).unwrap()
    );
    let mut rules = Vec::new();
    for line in &jsonl {
        let path = line["path"].as_str().unwrap();
        let (_, page) = pages
            .iter()
            .find(|(_, pg)| pg["review"]["path"] == path)
            .unwrap();
        let in_page: Vec<String> = page["review"]["flags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                rules.push(f["rule"].as_str().unwrap().to_string());
                format!(
                    "{} {} {} {}",
                    f["rule"], f["start"], f["end"], f["fingerprint"]
                )
            })
            .collect();
        let in_line: Vec<String> = line["flags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                format!(
                    "{} {} {} {}",
                    f["rule"], f["start"], f["end"], f["fingerprint"]
                )
            })
            .collect();
        assert_eq!(in_page, in_line, "{path}");
        // The section shows a row per flag.
        assert_eq!(
            page["html"]
                .as_str()
                .unwrap()
                .matches("<tr data-doc=")
                .count(),
            in_line.len(),
            "{path}"
        );
    }
    assert!(rules.iter().any(|r| r == "missing-term"), "pair flags");
    assert!(rules.iter().any(|r| r == "omission"), "pair flags");
    let total: usize = docs
        .iter()
        .map(|d| d["flags"].as_array().unwrap().len())
        .sum();
    assert_eq!(rules.len(), total);

    // A later run on one page removes the earlier run's pages; one in pages replaces them.
    run(
        p.path(),
        &[
            "run",
            "-q",
            "corpus",
            "--out",
            "paged",
            "--report-pages",
            "never",
        ],
    );
    assert!(
        !p.path().join("paged/report").exists(),
        "stale pages removed"
    );
    run(
        p.path(),
        &[
            "run",
            "-q",
            "corpus",
            "--out",
            "paged",
            "--report-pages",
            "always",
        ],
    );
    assert_eq!(
        std::fs::read_dir(p.path().join("paged/report"))
            .unwrap()
            .count(),
        7
    );
    let leftovers: Vec<String> = std::fs::read_dir(p.path().join("paged"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_run_that_translates_puts_each_translation_in_its_page() {
    let p = project();
    let emu = emulator::Background::start();
    let out = common::isolated(p.path())
        .current_dir(p.path())
        .args([
            "run",
            "corpus/law-nec-elections-motion-2020.en.txt",
            "corpus/law-nec-elections-motion-2020.zh.txt",
            "corpus/scg-statement-leaked-report.zh.txt",
            "--out",
            "out",
            "--report-pages",
            "always",
            "--engine",
            "libretranslate",
            "--endpoint",
            &emu.url,
            "--retry-delay-ms",
            "5",
            "--timeout",
            "60",
        ])
        .output()
        .unwrap();
    assert_ne!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for name in [
        "law-nec-elections-motion-2020.en-zh.md",
        "law-nec-elections-motion-2020.zh-en.md",
        "scg-statement-leaked-report.zh-en.md",
    ] {
        assert!(
            p.path().join("out/bilingual").join(name).is_file(),
            "{name}"
        );
    }
    let pages = pages(&p.path().join("out/report"));
    assert_eq!(pages.len(), 3);
    for page in pages.values() {
        let html = page["html"].as_str().unwrap();
        assert!(
            html.contains("<h3>Translation</h3>"),
            "{}",
            page["review"]["path"]
        );
    }
    // The pair still gets its bilingual flags.
    let rules: Vec<String> = pages
        .values()
        .flat_map(|pg| pg["review"]["flags"].as_array().unwrap().clone())
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect();
    assert!(rules.iter().any(|r| r == "missing-term"), "{rules:?}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("characters sent"), "{stdout}");
}
