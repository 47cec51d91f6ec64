//! Writes a large synthetic zh/en corpus and a matching glossary, for benchmarks.
//!
//! `cargo run --release --example gen_corpus -- OUT_DIR MB CONCEPTS [SEED]`
//!
//! - `OUT_DIR/corpus/dNNN/NNNNNN.{zh,en}.txt`: about `MB` mebibytes of documents, mostly
//!   1–32 KiB with a few large ones, built from the seed documents in `corpus/` and synthetic
//!   sentences naming glossary concepts, with injected errors (deprecated forms, misspelt Latin
//!   names, Chinese names one character off, stray spaces between Han characters, repeated
//!   phrases, five-digit years).
//! - `OUT_DIR/glossary.csv`: the 67 concepts of `glossary/labour.csv` plus `CONCEPTS` synthetic
//!   ones (people and organisations with plausible Latin names, Chinese transliterations and
//!   deprecated renderings).
//! - `OUT_DIR/forms.txt`: every glossary form, one per line (for `rg -F -f`).
//!
//! The output depends only on the arguments (and the seed files): the same seed gives the same
//! bytes. Generated data is never committed.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

const MANIFEST: &str = env!("CARGO_MANIFEST_DIR");
const KIB: usize = 1024;
const MIB: usize = 1024 * KIB;
const FILES_PER_DIR: usize = 500;

/// Latin syllables names are built from.
const ONSETS: &[&str] = &[
    "b", "br", "c", "ch", "d", "dr", "f", "g", "gr", "h", "j", "k", "l", "m", "n", "p", "r", "s",
    "sh", "st", "t", "th", "tr", "v", "w",
];
const VOWELS: &[&str] = &["a", "e", "i", "o", "u", "ai", "ea", "ie", "ou"];
const CODAS: &[&str] = &["", "", "n", "r", "l", "s", "t", "ck", "m", "nd", "rd", "ng"];
/// Characters Chinese media use in transliterated names.
const HAN: &[char] = &[
    '阿', '巴', '贝', '比', '波', '布', '查', '达', '德', '迪', '多', '恩', '尔', '法', '菲', '弗',
    '格', '哈', '赫', '霍', '基', '吉', '杰', '卡', '凯', '科', '克', '库', '拉', '莱', '兰', '劳',
    '勒', '雷', '里', '利', '林', '卢', '鲁', '伦', '罗', '洛', '马', '迈', '梅', '米', '莫', '穆',
    '纳', '尼', '诺', '帕', '佩', '皮', '普', '奇', '乔', '萨', '塞', '桑', '森', '沙', '斯', '索',
    '塔', '泰', '特', '汤', '图', '瓦', '威', '韦', '维', '沃', '西', '希', '肖', '休', '亚', '扬',
];
const ORG_EN: &[&str] = &[
    "Committee",
    "Alliance",
    "Trust",
    "Council",
    "Foundation",
    "Forum",
    "Union",
];
const ORG_ZH: &[&str] = &["委员会", "联盟", "信托", "理事会", "基金会", "论坛", "工会"];
const ZH_FRAMES: &[(&str, &str)] = &[
    ("", "在周一的会议上表示，党必须立即公布这份报告。"),
    ("据报道，", "已经向全国执行委员会提交了紧急动议。"),
    ("", "认为这次选举制度的改变是对左翼成员的攻击。"),
    ("我们与", "合作了很长一段时间，并且支持他们的立场。"),
    ("", "的发言人拒绝就泄露的文件发表评论。"),
];
const EN_FRAMES: &[(&str, &str)] = &[
    (
        "On Monday ",
        " told the conference that the report must be published in full.",
    ),
    (
        "The motion was seconded by ",
        " and carried by a large majority.",
    ),
    (
        "",
        " said the change of the electoral system is an attack on the left.",
    ),
    (
        "Members asked ",
        " to explain the decision to the national executive.",
    ),
    (
        "A spokesperson for ",
        " declined to comment on the leaked documents.",
    ),
];

struct Concept {
    en: String,
    en_deprecated: String,
    zh: String,
    zh_deprecated: String,
    person: bool,
}

fn pick<T: Copy>(rng: &mut fastrand::Rng, items: &[T]) -> T {
    items[rng.usize(..items.len())]
}

fn latin_word(rng: &mut fastrand::Rng, syllables: usize) -> String {
    let mut w = String::new();
    for _ in 0..syllables {
        w.push_str(pick(rng, ONSETS));
        w.push_str(pick(rng, VOWELS));
    }
    w.push_str(pick(rng, CODAS));
    let mut cs = w.chars();
    let first = cs.next().map(|c| c.to_ascii_uppercase()).unwrap_or('X');
    std::iter::once(first).chain(cs).collect()
}

fn han_word(rng: &mut fastrand::Rng, len: usize) -> String {
    (0..len).map(|_| pick(rng, HAN)).collect()
}

/// A Latin misspelling at distance 1 of a long word (a letter changed in the middle).
fn misspell(rng: &mut fastrand::Rng, form: &str) -> String {
    let mut chars: Vec<char> = form.chars().collect();
    let letters: Vec<usize> = (1..chars.len().saturating_sub(1))
        .filter(|&i| chars[i].is_ascii_lowercase())
        .collect();
    if let Some(&i) = letters.get(rng.usize(..letters.len().max(1))) {
        let mut c = chars[i];
        while c == chars[i] {
            c = (b'a' + rng.u8(..26)) as char;
        }
        chars[i] = c;
    }
    chars.into_iter().collect()
}

fn concepts(rng: &mut fastrand::Rng, n: usize, taken: &mut HashSet<String>) -> Vec<Concept> {
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let person = rng.u8(..3) < 2;
        let (en, zh) = if person {
            let (given, family) = (latin_word(rng, 1), latin_word(rng, 2));
            let family_len = 2 + rng.usize(..2);
            let zh = format!("{}·{}", han_word(rng, 2), han_word(rng, family_len));
            (format!("{given} {family}"), zh)
        } else {
            let k = rng.usize(..ORG_EN.len());
            let name = latin_word(rng, 2);
            let zh = format!("{}{}", han_word(rng, 3), ORG_ZH[k]);
            (format!("{name} {}", ORG_EN[k]), zh)
        };
        // A deprecated English form: a known misspelling; a deprecated Chinese form: another
        // transliteration of the same length.
        let en_deprecated = misspell(rng, &en);
        let zh_chars: Vec<char> = zh.chars().collect();
        let zh_deprecated: String = zh_chars
            .iter()
            .map(|&c| if c == '·' { c } else { pick(rng, HAN) })
            .collect();
        let fresh = [&en, &en_deprecated, &zh, &zh_deprecated]
            .iter()
            .all(|f| !taken.contains(&f.to_lowercase().replace('·', "")));
        if !fresh || en_deprecated == en {
            continue;
        }
        for f in [&en, &en_deprecated, &zh, &zh_deprecated] {
            taken.insert(f.to_lowercase().replace('·', ""));
        }
        out.push(Concept {
            en,
            en_deprecated,
            zh,
            zh_deprecated,
            person,
        });
    }
    out
}

/// Every form of the seed glossary's data rows (field order as in its header).
fn seed_forms(seed_rows: &[String]) -> Vec<String> {
    let mut forms = Vec::new();
    for row in seed_rows {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(row.as_bytes());
        if let Some(Ok(rec)) = reader.records().next() {
            for col in 2..8 {
                for f in rec.get(col).unwrap_or("").split('|') {
                    if !f.trim().is_empty() {
                        forms.push(f.trim().to_string());
                    }
                }
            }
        }
    }
    forms
}

fn write_glossary(out: &Path, seed_rows: &[String], concepts: &[Concept]) -> Vec<String> {
    let mut csv =
        String::from("id,kind,en,en.admitted,en.deprecated,zh,zh.admitted,zh.deprecated,note\n");
    for row in seed_rows {
        csv.push_str(row);
        csv.push('\n');
    }
    let mut forms = seed_forms(seed_rows);
    for (i, c) in concepts.iter().enumerate() {
        let kind = if c.person { "person" } else { "org" };
        let _ = writeln!(
            csv,
            "syn-{i},{kind},{},,{},{},,{},synthetic",
            c.en, c.en_deprecated, c.zh, c.zh_deprecated
        );
        forms.extend([
            c.en.clone(),
            c.en_deprecated.clone(),
            c.zh.clone(),
            c.zh_deprecated.clone(),
        ]);
    }
    fs::write(out.join("glossary.csv"), csv).expect("write glossary.csv");
    let mut list = forms.join("\n");
    list.push('\n');
    fs::write(out.join("forms.txt"), list).expect("write forms.txt");
    forms
}

/// Paragraphs of the plain-text seed documents, by language (the web page, Markdown, Word and
/// subtitle samples of corpus/ are not prose to cut into paragraphs).
fn seed_paragraphs() -> (Vec<String>, Vec<String>) {
    let (mut zh, mut en) = (Vec::new(), Vec::new());
    let dir = Path::new(MANIFEST).join("corpus");
    let mut paths: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("the seed corpus/ folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    for path in paths {
        let text = fs::read_to_string(&path).expect("a UTF-8 seed document");
        let target = if path.to_string_lossy().contains(".zh.") {
            &mut zh
        } else {
            &mut en
        };
        target.extend(
            text.split("\n\n")
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_string),
        );
    }
    (zh, en)
}

/// One paragraph: a seed paragraph or a synthetic sentence naming concepts, maybe with an error.
fn paragraph(
    rng: &mut fastrand::Rng,
    zh: bool,
    seeds: &(Vec<String>, Vec<String>),
    concepts: &[Concept],
    out: &mut String,
) {
    let pool = if zh { &seeds.0 } else { &seeds.1 };
    if rng.u8(..3) == 0 || concepts.is_empty() {
        out.push_str(&pool[rng.usize(..pool.len())]);
    } else {
        for _ in 0..1 + rng.usize(..3) {
            let c = &concepts[rng.usize(..concepts.len())];
            let roll = rng.u8(..100);
            if zh {
                let name = match roll {
                    0..=5 => c.zh_deprecated.clone(),
                    6..=8 if c.person => {
                        // One Han character off: a near miss of the transliteration.
                        let mut cs: Vec<char> = c.zh.chars().collect();
                        let last = cs.len() - 1;
                        cs[last] = pick(rng, HAN);
                        cs.into_iter().collect()
                    }
                    9..=14 => c.en.clone(),
                    _ => c.zh.clone(),
                };
                let (pre, post) = pick(rng, ZH_FRAMES);
                let _ = write!(out, "{pre}{name}{post}");
            } else {
                let name = match roll {
                    0..=5 => c.en_deprecated.clone(),
                    6..=9 => misspell(rng, &c.en),
                    _ => c.en.clone(),
                };
                let (pre, post) = pick(rng, EN_FRAMES);
                let _ = write!(out, "{pre}{name}{post} ");
            }
        }
    }
    // Errors that need no glossary.
    match (zh, rng.u8(..40)) {
        (true, 0) => out.push_str("这是通过消息运行的 透露 在昨天。"),
        (true, 1) => out.push_str("劳动国会议员劳动国会议员在会上发言。"),
        (true, 2) => out.push_str("会议定于20201年4月13日举行。"),
        (false, 0) => out.push_str(" The the party party met on July 44 2020."),
        _ => {}
    }
    out.push_str("\n\n");
}

fn document(
    rng: &mut fastrand::Rng,
    size: usize,
    zh: bool,
    seeds: &(Vec<String>, Vec<String>),
    concepts: &[Concept],
) -> String {
    let mut out = String::with_capacity(size + 4 * KIB);
    while out.len() < size {
        paragraph(rng, zh, seeds, concepts, &mut out);
    }
    out
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 3 {
        eprintln!("usage: gen_corpus OUT_DIR MB CONCEPTS [SEED]");
        std::process::exit(2);
    }
    let out = PathBuf::from(&args[0]);
    let mb: f64 = args[1].parse().expect("MB: a number");
    let n: usize = args[2].parse().expect("CONCEPTS: a whole number");
    let seed: u64 = args
        .get(3)
        .map_or(1, |s| s.parse().expect("SEED: a whole number"));
    let mut rng = fastrand::Rng::with_seed(seed);

    let seed_glossary = fs::read_to_string(Path::new(MANIFEST).join("glossary/labour.csv"))
        .expect("glossary/labour.csv");
    let seed_rows: Vec<String> = seed_glossary
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    let mut taken: HashSet<String> = seed_forms(&seed_rows)
        .iter()
        .map(|f| f.to_lowercase().replace('·', ""))
        .collect();
    let concepts = concepts(&mut rng, n, &mut taken);
    fs::create_dir_all(&out).expect("create OUT_DIR");
    let forms = write_glossary(&out, &seed_rows, &concepts);

    let seeds = seed_paragraphs();
    let corpus = out.join("corpus");
    if corpus.exists() {
        fs::remove_dir_all(&corpus).expect("remove the old corpus");
    }
    let total = (mb * MIB as f64) as usize;
    // A few big documents (one per 30 MiB, at least one), the rest 1–32 KiB, log-uniform.
    let big_count = (total / (30 * MIB)).max(1);
    let big_size = (total / 50).clamp(256 * KIB, 8 * MIB);
    let (mut written, mut files) = (0usize, 0usize);
    while written < total {
        let size = if files % 400 == 7 && files / 400 < big_count {
            big_size
        } else {
            let exp = 10.0 + rng.f64() * 5.0;
            exp.exp2() as usize
        };
        let zh = rng.u8(..5) < 3;
        let text = document(
            &mut rng,
            size.min(total - written + 64),
            zh,
            &seeds,
            &concepts,
        );
        let dir = corpus.join(format!("d{:03}", files / FILES_PER_DIR));
        if files % FILES_PER_DIR == 0 {
            fs::create_dir_all(&dir).expect("create a corpus folder");
        }
        let name = format!("{files:06}.{}.txt", if zh { "zh" } else { "en" });
        fs::write(dir.join(name), &text).expect("write a document");
        written += text.len();
        files += 1;
    }
    println!(
        "{} files, {:.1} MiB, {} concepts ({} forms) in {}",
        files,
        written as f64 / MIB as f64,
        concepts.len() + seed_rows.len(),
        forms.len(),
        out.display()
    );
}
