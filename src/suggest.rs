//! `glossary suggest`: glossary entries proposed from a corpus for a person to review — Latin
//! names and acronyms left in Chinese text, transliterations (伊恩·拉弗里) and Chinese forms
//! written beside a Latin name in parentheses, spelling variants one edit or one character
//! apart, and concepts the corpus writes in several accepted forms (the drift check).
//!
//! A [`Collector`] takes each document as `check` analysed it; [`Collector::finish`] groups
//! what was seen into [`Proposal`]s: new concepts, or changes to an existing concept written
//! as the whole concept with the change made (so that loading the proposals over the glossary
//! applies them). [`to_csv`] writes them in the glossary's CSV format plus `why,seen,count`.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::ops::Range;

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::analysis::Analysis;
use crate::check::Context;
use crate::check::corpus::Drift;
use crate::flag::{Flag, Rule, Severity};
use crate::glossary::Termbase;
use crate::glossary::csv::write_row;
use crate::glossary::model::{Concept, Kind, Status};
use crate::glossary::normalize::{is_interpunct, normalize_form};
use crate::spans::Spans;
use crate::text::{Script, is_cjk_letter};

/// How many places a CSV `seen` cell lists before it says how many more there are.
const SEEN_IN_CSV: usize = 5;

/// The first columns of a proposals file, as of a glossary.
const FIRST_COLUMNS: [&str; 2] = ["id", "kind"];

/// What the caller may tune.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Propose only what was seen at least this many times. `None`: 1 for Latin-script names
    /// and for forms written beside a Latin partner, 2 for transliterations, spelling variants
    /// and 5–6-letter acronyms seen on their own.
    pub min_count: Option<usize>,
}

/// One form's status within a language of a proposal, as the CSV columns hold them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Forms {
    /// The `L` column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preferred: Option<String>,
    /// The `L.admitted` column.
    pub admitted: Vec<String>,
    /// The `L.deprecated` column.
    pub deprecated: Vec<String>,
}

impl Forms {
    /// Whether `form` is in any of the three lists (compared normalised).
    fn has(&self, form: &str) -> bool {
        let key = normalize_form(form);
        self.preferred
            .iter()
            .chain(&self.admitted)
            .chain(&self.deprecated)
            .any(|f| normalize_form(f) == key)
    }

    /// Adds `form` with `status` unless the language already lists it.
    fn add(&mut self, form: &str, status: Status) -> bool {
        if form.trim().is_empty() || self.has(form) {
            return false;
        }
        match status {
            Status::Preferred if self.preferred.is_none() => {
                self.preferred = Some(form.to_string())
            }
            Status::Preferred | Status::Admitted => self.admitted.push(form.to_string()),
            Status::Deprecated => self.deprecated.push(form.to_string()),
        }
        true
    }

    fn is_empty(&self) -> bool {
        self.preferred.is_none() && self.admitted.is_empty() && self.deprecated.is_empty()
    }
}

/// One proposed glossary row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Proposal {
    /// A new slug, or the id of the existing concept the row changes.
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<&'static str>,
    /// Language -> its forms.
    pub forms: BTreeMap<String, Forms>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The existing concept's `match=case` (never set on a new concept).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub case_sensitive: bool,
    /// Whether the row changes an existing concept (it holds the whole concept, changed).
    pub amends: bool,
    /// Why it was proposed.
    pub why: String,
    /// Where it was seen: `path:line`, in corpus order.
    pub seen: Vec<String>,
    /// How many times it was seen (documents, for a concept written in several forms).
    pub count: usize,
}

// ---------------------------------------------------------------------------------------
// Latin-script names
// ---------------------------------------------------------------------------------------

/// A Latin-script name found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LatinName {
    /// Byte span in the text (a possessive `'s` left out).
    pub span: Range<usize>,
    /// The name, full-width letters folded, words joined by single spaces (an acronym's
    /// plural `s` left out).
    pub form: String,
    /// An all-capitals acronym of 2–6 letters.
    pub acronym: bool,
}

/// A word of Latin letters (with `'` or `-` between letters), as written and width-folded.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Word {
    span: Range<usize>,
    text: String,
    /// Digits touch it (`G7`, `COVID19`): no part of a name.
    glued: bool,
}

/// How a word can take part in a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// `NEC`: 2–6 capitals.
    Acronym,
    /// `CLPs`: an acronym's plural.
    Plural,
    /// `Trickett`, `McDonnell`, `O'Brien`, `Centre-Left`.
    Capital,
    /// `of`, `and`, `for`, `the`: inside a name between capitalised words.
    Connector,
    /// Any other lower-case word: the phrase is prose.
    Lower,
    /// Anything else (`SHOUTING`, `iPhone`).
    Other,
}

/// Whether `word` is one of the space-separated words of `list`.
fn listed(list: &str, word: &str) -> bool {
    list.split(' ').any(|w| w == word)
}

/// Lower-case words that may stand between the capitalised words of a name.
const CONNECTORS: &str = "of and for the de la le du van von der da di on";

/// Words in front of a name that are no part of it.
const HONORIFICS: &str = "Mr Mrs Ms Miss Dr Sir Dame Comrade Cllr";

/// Words that are capitalised because they start a sentence (dropped when the phrase is prose).
const SENTENCE_STARTERS: &str = "The A An It Its This That These Those In On At For But And Or If When While As We I He She They You Our His Her Their My Yesterday Today Last Next So Then There Here After Before Since By With From To";

/// Capitals that are rarely a name to put in a glossary.
const NOT_ACRONYMS: &str = "OK AM PM TV ID PS PDF URL HTML FAQ VS NB RE FW AKA ETC ASAP DIY";

/// Width-folds one character (full-width ASCII to ASCII, wide spaces to a space, curly
/// apostrophes to `'`), so that `ＮＥＣ` reads as `NEC`.
fn fold_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' | '\u{00A0}' => ' ',
        '’' | '‘' => '\'',
        _ => c,
    }
}

/// A Latin letter (after width folding).
fn is_latin_letter(c: char) -> bool {
    c.is_alphabetic() && Script::of(c) == Some(Script::Latin)
}

/// The words of a text, in order.
fn words(text: &str) -> Vec<Word> {
    let chars: Vec<(usize, char)> = text
        .char_indices()
        .map(|(i, c)| (i, fold_width(c)))
        .collect();
    let at = |k: usize| chars.get(k).map_or(text.len(), |&(i, _)| i);
    let mut out = Vec::new();
    let mut k = 0;
    while k < chars.len() {
        if !is_latin_letter(chars[k].1) {
            k += 1;
            continue;
        }
        let start = k;
        let mut word = String::new();
        while k < chars.len() {
            let c = chars[k].1;
            let inner = matches!(c, '\'' | '-')
                && !word.is_empty()
                && chars.get(k + 1).is_some_and(|&(_, n)| is_latin_letter(n));
            if is_latin_letter(c) || inner {
                word.push(c);
                k += 1;
            } else {
                break;
            }
        }
        let digit = |i: Option<usize>| {
            i.and_then(|i| chars.get(i))
                .is_some_and(|&(_, c)| c.is_ascii_digit())
        };
        out.push(Word {
            span: at(start)..at(k),
            text: word,
            glued: digit(start.checked_sub(1)) || digit(Some(k)),
        });
    }
    out
}

/// Words grouped into phrases: consecutive words with one space between them.
fn phrases(text: &str) -> Vec<Vec<Word>> {
    let mut out: Vec<Vec<Word>> = Vec::new();
    for w in words(text) {
        let joined = out
            .last()
            .and_then(|p| p.last())
            .is_some_and(|last| one_space(text, last, &w));
        match out.last_mut() {
            Some(phrase) if joined => phrase.push(w),
            _ => out.push(vec![w]),
        }
    }
    out
}

/// How a word can take part in a name.
fn class(word: &str) -> Class {
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    let plain = word.chars().all(char::is_alphabetic);
    if plain && (2..=6).contains(&letters) && word.chars().all(char::is_uppercase) {
        return Class::Acronym;
    }
    if let Some(stem) = word.strip_suffix('s')
        && plain
        && (2..=6).contains(&stem.chars().count())
        && stem.chars().all(char::is_uppercase)
    {
        return Class::Plural;
    }
    if listed(CONNECTORS, word) {
        return Class::Connector;
    }
    let mut chars = word.chars();
    let Some(first) = chars.next() else {
        return Class::Other;
    };
    if first.is_lowercase() {
        return Class::Lower;
    }
    if !first.is_uppercase() || !word.chars().any(char::is_lowercase) {
        return Class::Other;
    }
    // A capital inside a word only after Mc/Mac, an apostrophe or a hyphen.
    let cs: Vec<char> = word.chars().collect();
    let inner_capitals_ok = cs.iter().enumerate().skip(1).all(|(i, c)| {
        !c.is_uppercase()
            || matches!(cs[i - 1], '\'' | '-')
            || (i == 2 && word.starts_with("Mc"))
            || (i == 3 && word.starts_with("Mac"))
    });
    if inner_capitals_ok {
        Class::Capital
    } else {
        Class::Other
    }
}

/// Capitalised runs of a phrase: `(first, last)` word indices, connectors only between
/// capitalised words.
fn capital_runs(phrase: &[Word], classes: &[Class]) -> Vec<(usize, usize)> {
    let name_word = |i: usize| classes[i] == Class::Capital && !phrase[i].glued;
    let mut out = Vec::new();
    let mut i = 0;
    while i < phrase.len() {
        if !name_word(i) {
            i += 1;
            continue;
        }
        let mut last = i;
        loop {
            let mut k = last + 1;
            while k < phrase.len() && classes[k] == Class::Connector {
                k += 1;
            }
            if k < phrase.len() && name_word(k) {
                last = k;
            } else {
                break;
            }
        }
        out.push((i, last));
        i = last + 1;
    }
    out
}

/// The run `first..=last` without the words in front that are no part of a name (an
/// honorific; a phrase's first word that starts sentences, an article only in prose), and
/// connectors after them.
fn trim_run(phrase: &[Word], classes: &[Class], first: usize, last: usize, prose: bool) -> usize {
    let mut start = first;
    while start < last {
        let w = phrase[start].text.as_str();
        let article = matches!(w, "The" | "A" | "An");
        let drop = listed(HONORIFICS, w)
            || (start == 0 && listed(SENTENCE_STARTERS, w) && (prose || !article))
            || classes[start] == Class::Connector;
        if !drop {
            break;
        }
        start += 1;
    }
    start
}

/// Joins words `first..=last` of a phrase with single spaces, without a final possessive
/// `'s`; returns the form and its span in `text`.
fn join_words(text: &str, phrase: &[Word], first: usize, last: usize) -> (String, Range<usize>) {
    let mut form = phrase[first..=last]
        .iter()
        .map(|w| w.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let mut end = phrase[last].span.end;
    if let Some(stem) = form.strip_suffix("'s") {
        form = stem.to_string();
        // Back over the `s` and the apostrophe as written (', ’ or ＇).
        let written = &text[phrase[last].span.clone()];
        if let Some((apostrophe, _)) = written.char_indices().rev().nth(1) {
            end = phrase[last].span.start + apostrophe;
        }
    }
    (form, phrase[first].span.start..end)
}

/// Whether one space (of any width) is all that separates two words.
fn one_space(text: &str, a: &Word, b: &Word) -> bool {
    let mut between = text[a.span.end..b.span.start].chars();
    between.next().map(fold_width) == Some(' ') && between.next().is_none()
}

/// Latin-script names of a text: capitalised sequences of 2–6 words (connectors between
/// them allowed) and acronyms of 2–6 capitals. Prose does not give its first word, three
/// or more capitalised words in a row are shouting, not acronyms.
pub fn latin_names(text: &str) -> Vec<LatinName> {
    let mut out = Vec::new();
    for phrase in phrases(text) {
        let classes: Vec<Class> = phrase.iter().map(|w| class(&w.text)).collect();
        let prose = classes.contains(&Class::Lower);
        for (first, last) in capital_runs(&phrase, &classes) {
            let start = trim_run(&phrase, &classes, first, last, prose);
            let capitals = (start..=last)
                .filter(|&i| classes[i] == Class::Capital)
                .count();
            if (2..=6).contains(&capitals) {
                let (form, span) = join_words(text, &phrase, start, last);
                out.push(LatinName {
                    span,
                    form,
                    acronym: false,
                });
            }
        }
        let caps = |i: usize| {
            phrase[i].text.chars().filter(|c| c.is_alphabetic()).count() >= 2
                && phrase[i].text.chars().all(|c| !c.is_lowercase())
        };
        for (i, w) in phrase.iter().enumerate() {
            if !matches!(classes[i], Class::Acronym | Class::Plural) || w.glued {
                continue;
            }
            // A stretch of three or more all-capital words is shouted prose.
            let mut a = i;
            while a > 0 && caps(a - 1) {
                a -= 1;
            }
            let mut b = i;
            while b + 1 < phrase.len() && caps(b + 1) {
                b += 1;
            }
            if b - a >= 2 {
                continue;
            }
            let form = match classes[i] {
                Class::Plural => w.text.trim_end_matches('s').to_string(),
                _ => w.text.clone(),
            };
            let roman = form.chars().all(|c| matches!(c, 'I' | 'V' | 'X'));
            if roman || listed(NOT_ACRONYMS, form.as_str()) {
                continue;
            }
            out.push(LatinName {
                span: w.span.clone(),
                form,
                acronym: true,
            });
        }
    }
    out.sort_by_key(|n| n.span.start);
    out
}

/// A capitalised run spelled out before its acronym in parentheses, its initials the acronym:
/// `Campaign for Labour Party Democracy (CLPD)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expansion {
    pub span: Range<usize>,
    pub form: String,
    pub acronym_span: Range<usize>,
    pub acronym: String,
}

/// Acronyms spelled out right before them: the longest end of a capitalised run whose
/// capitalised words' initials are the acronym in the parentheses that follow.
pub fn expansions(text: &str) -> Vec<Expansion> {
    let mut out = Vec::new();
    for phrase in phrases(text) {
        let classes: Vec<Class> = phrase.iter().map(|w| class(&w.text)).collect();
        let Some(&(first, last)) = capital_runs(&phrase, &classes).last() else {
            continue;
        };
        let Some((acronym_span, acronym)) = parenthesised_acronym(text, phrase[last].span.end)
        else {
            continue;
        };
        for start in first..last {
            if classes[start] != Class::Capital {
                continue;
            }
            let initials: String = (start..=last)
                .filter(|&i| classes[i] == Class::Capital)
                .filter_map(|i| phrase[i].text.chars().next())
                .collect();
            if initials == acronym {
                let (form, span) = join_words(text, &phrase, start, last);
                out.push(Expansion {
                    span,
                    form,
                    acronym_span,
                    acronym,
                });
                break;
            }
        }
    }
    out
}

/// An acronym in parentheses starting at `from` (after optional spaces): its span and form.
fn parenthesised_acronym(text: &str, from: usize) -> Option<(Range<usize>, String)> {
    let rest = &text[from..];
    let mut chars = rest.char_indices().peekable();
    while chars.peek().is_some_and(|&(_, c)| fold_width(c) == ' ') {
        chars.next();
    }
    let (_, open) = chars.next()?;
    if fold_width(open) != '(' {
        return None;
    }
    let start = chars.peek().map(|&(i, _)| from + i)?;
    let mut acronym = String::new();
    let mut end = start;
    for (i, c) in chars {
        let c2 = fold_width(c);
        if c2.is_ascii_uppercase() {
            acronym.push(c2);
        } else if c2 == ')' {
            end = from + i;
            break;
        } else {
            return None;
        }
    }
    (end > start && (2..=6).contains(&acronym.len())).then_some((start..end, acronym))
}

// ---------------------------------------------------------------------------------------
// Chinese names: transliterations and forms beside a Latin name in parentheses
// ---------------------------------------------------------------------------------------

/// Characters of transliterated foreign names (Xinhua's tables, the common part), Simplified;
/// a Traditional character is folded before it is looked up. Characters that commonly begin
/// or end the words around a name (的, 是, 在, 和, 说, 如果, 派对, 感谢, 允许, 留在...) are not
/// here, so a name stops where they start.
const TRANSLIT: &str = "阿埃艾爱安昂翰姬得治敖奥澳巴芭拜班邦保堡鲍贝本比彼毕碧边宾滨波玻伯泊勃博布查察柴昌楚茨慈达戴黛丹道德登邓迪狄蒂丁东杜敦顿多铎厄鄂恩尔耳法凡范梵菲斐费芬丰冯佛夫弗伏福甫富盖甘冈高戈哥歌格葛根贡古谷瓜圭桂郭哈海汉杭豪浩赫黑亨恒洪侯胡华怀惠霍基吉季济加嘉贾杰捷金津居喀卡凯楷坎康考柯科克肯孔库夸奎昆坤拉腊莱赖兰郎朗劳勒乐雷蕾黎里理丽利莉廉列林琳凌铃刘柳龙隆卢鲁路露吕伦仑罗洛骆玛马迈麦曼芒茂梅美门蒙孟米密敏缪摩莫墨默姆牟穆纳娜奈南瑙内尼妮涅宁纽努诺欧帕潘庞佩彭蓬皮珀坡普浦蒲奇齐琪恰乔切钦琴秦丘萨塞赛桑瑟森沙莎珊尚绍舍申圣施什史士舒斯丝思松苏索塔泰坦汤唐陶特滕提汀廷通图托陀瓦旺威韦维温文翁沃乌伍武西希锡席夏辛欣休修雅亚扬耶叶伊依易因英尤约泽扎詹赞藏朱兹卓佐祖琼芙娅妮薇茜逊";

/// Words just before a name that end in a character of [`TRANSLIT`] (主席伊恩·...).
const BEFORE_NAME: &str = "感谢 谢谢 主席 总理 经理 助理 博士 爵士 女士 人士 调查 检查 审查 政治";

/// Words just after a name that start with a character of [`TRANSLIT`] (...拉弗里加入).
const AFTER_NAME: &str =
    "加入 多次 多年 通过 提出 提到 提交 提议 特别 利用 文章 本人 博士 夫人 基金 得到 得知 亚洲";

/// Whether `c` is a character of transliterated names.
fn is_translit(c: char) -> bool {
    TRANSLIT.contains(crate::hanzi::fold(c))
}

/// A Chinese name or term found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HanName {
    pub span: Range<usize>,
    /// As written, interpuncts unified to `·`.
    pub form: String,
}

/// Most characters one part of a transliterated name takes.
const NAME_PART: usize = 6;

/// Transliterated names: parts of transliteration characters joined by interpuncts
/// (`伊恩·拉弗里`, `伊恩•拉弗里`), without the words around them (`我是伊恩·拉弗里。`).
pub fn interpunct_names(text: &str) -> Vec<HanName> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let at = |k: usize| chars.get(k).map_or(text.len(), |&(i, _)| i);
    let word = |k: usize| -> String {
        chars[k..(k + 2).min(chars.len())]
            .iter()
            .map(|&(_, c)| crate::hanzi::fold(c))
            .collect()
    };
    let mut out = Vec::new();
    let mut k = 1;
    while k + 1 < chars.len() {
        let (c, before, after) = (chars[k].1, chars[k - 1].1, chars[k + 1].1);
        if !(is_interpunct(c) && is_translit(before) && is_translit(after)) {
            k += 1;
            continue;
        }
        // Leftwards over the given name.
        let mut start = k;
        while start > 0
            && k - start < NAME_PART
            && is_translit(chars[start - 1].1)
            && !(start >= 2 && listed(BEFORE_NAME, &word(start - 2)))
        {
            start -= 1;
        }
        // Rightwards over each further part.
        let mut end = k + 1;
        loop {
            let part = end;
            while end < chars.len()
                && end - part < NAME_PART
                && is_translit(chars[end].1)
                && !(end > part && listed(AFTER_NAME, &word(end)))
            {
                end += 1;
            }
            let more = end + 1 < chars.len()
                && is_interpunct(chars[end].1)
                && is_translit(chars[end + 1].1);
            if !more {
                break;
            }
            end += 1;
        }
        let form: String = chars[start..end]
            .iter()
            .map(|&(_, c)| if is_interpunct(c) { '·' } else { c })
            .collect();
        if form.chars().filter(|&c| c != '·').count() >= 3 {
            out.push(HanName {
                span: at(start)..at(end),
                form,
            });
        }
        k = end.max(k + 1);
    }
    out
}

/// Characters after which the name before a parenthesis starts (`被争取工党民主运动（CLPD）`).
const CUT_AFTER: &str = "的了在是把被对向从将让给个这那其此为于也就而并但即又还要说称";

/// Words after which the name before a parenthesis starts (`支持平等与人权委员会（EHRC）`).
const CUT_AFTER_WORDS: &str = "支持 反对 加入 批评 呼吁 要求 认为 表示 指出 宣布 通过 根据 包括 需要 来自 关于 感谢 作为 成为 谴责 回应 发布 参加 例如";

/// A conjunction a name does not start with (`和全国执行委员会（NEC）`).
const LEADING: &str = "和与及或同跟、";

/// Most characters of a Chinese form taken beside a Latin name.
const MAX_HAN: usize = 16;

/// The part of a run of Chinese (letters and `、`) that ends right before a parenthesis and
/// names what the parentheses hold: after the last function word, without a leading
/// conjunction. `None` when what is left is under two or over [`MAX_HAN`] characters.
pub fn name_before(run: &str) -> Option<usize> {
    let chars: Vec<(usize, char)> = run.char_indices().collect();
    let folded: Vec<char> = chars.iter().map(|&(_, c)| crate::hanzi::fold(c)).collect();
    let mut cut = 0;
    for i in 0..folded.len() {
        if CUT_AFTER.contains(folded[i]) {
            cut = i + 1;
        }
        if i + 1 < folded.len() {
            let pair: String = folded[i..i + 2].iter().collect();
            if listed(CUT_AFTER_WORDS, pair.as_str()) {
                cut = cut.max(i + 2);
            }
        }
    }
    while cut < folded.len() && LEADING.contains(folded[cut]) {
        cut += 1;
    }
    let letters = folded[cut..].iter().filter(|&&c| c != '、').count();
    let start = chars.get(cut).map(|&(i, _)| i)?;
    (2..=MAX_HAN).contains(&letters).then_some(start)
}

/// A Chinese form and the Latin name beside it in parentheses, either way round:
/// `争取工党民主运动（CLPD）`, `Socialist Campaign Group（社会主义运动小组）`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    pub latin: LatinName,
    pub han: HanName,
}

/// Pairs of a Chinese form and a Latin name in parentheses beside it. `names` are the text's
/// [`interpunct_names`]: a transliteration before the parenthesis is taken whole.
pub fn paren_pairs(text: &str, names: &[HanName]) -> Vec<Pair> {
    let all_words = words(text);
    let mut out = Vec::new();
    for (open, c) in text.char_indices() {
        if fold_width(c) != '(' {
            continue;
        }
        let inner_start = open + c.len_utf8();
        let Some(close) = text[inner_start..]
            .char_indices()
            .take(80)
            .take_while(|&(_, c)| c != '\n')
            .find(|&(_, c)| fold_width(c) == ')')
            .map(|(i, _)| inner_start + i)
        else {
            continue;
        };
        let (inner, inner_span) = trim_spaces(text, inner_start..close);
        let before_end = trim_spaces_end(text, open);
        if let Some(latin) = whole_latin_name(text, &all_words, inner_span.clone())
            && let Some(han) = han_before(text, before_end, names)
        {
            out.push(Pair { latin, han });
        } else if is_han_name(inner)
            && let Some(latin) = latin_before(text, &all_words, before_end)
        {
            out.push(Pair {
                latin,
                han: HanName {
                    span: inner_span,
                    form: unify_interpuncts(inner),
                },
            });
        }
    }
    out
}

/// `range` of `text` without the spaces at either end, and the trimmed span.
fn trim_spaces(text: &str, range: Range<usize>) -> (&str, Range<usize>) {
    let s = &text[range.clone()];
    let start = range.start + (s.len() - s.trim_start_matches([' ', '\u{3000}']).len());
    let end = range.start + s.trim_end_matches([' ', '\u{3000}']).len();
    let end = end.max(start);
    (&text[start..end], start..end)
}

/// `end` moved back over spaces.
fn trim_spaces_end(text: &str, end: usize) -> usize {
    text[..end].trim_end_matches([' ', '\u{3000}']).len()
}

/// Letters of Chinese (and interpuncts), 2–16 letters.
fn is_han_name(s: &str) -> bool {
    let letters = s.chars().filter(|&c| is_cjk_letter(c)).count();
    s.chars().all(|c| is_cjk_letter(c) || is_interpunct(c)) && (2..=MAX_HAN).contains(&letters)
}

/// `s` with every interpunct written `·`.
fn unify_interpuncts(s: &str) -> String {
    s.chars()
        .map(|c| if is_interpunct(c) { '·' } else { c })
        .collect()
}

/// The Latin name that exactly fills `span`: an acronym, or capitalised words (connectors
/// between them, single spaces), one to six. `all` are the text's words, in order.
fn whole_latin_name(text: &str, all: &[Word], span: Range<usize>) -> Option<LatinName> {
    let from = all.partition_point(|w| w.span.start < span.start);
    let to = all.partition_point(|w| w.span.end <= span.end);
    let inside = all.get(from..to)?;
    let (first, last) = (inside.first()?, inside.last()?);
    let spaced = inside.windows(2).all(|p| one_space(text, &p[0], &p[1]));
    if first.span.start != span.start || last.span.end != span.end || !spaced {
        return None;
    }
    let classes: Vec<Class> = inside.iter().map(|w| class(&w.text)).collect();
    if inside.len() == 1 && classes[0] == Class::Acronym && !first.glued {
        return Some(LatinName {
            span,
            form: first.text.clone(),
            acronym: true,
        });
    }
    let whole = capital_runs(inside, &classes) == [(0, inside.len() - 1)];
    let capitals = classes.iter().filter(|&&c| c == Class::Capital).count();
    (whole && (1..=6).contains(&capitals)).then(|| {
        let (form, span) = join_words(text, inside, 0, inside.len() - 1);
        LatinName {
            span,
            form,
            acronym: false,
        }
    })
}

/// The Latin name that ends at `end`: an acronym, or the capitalised words before it.
fn latin_before(text: &str, all: &[Word], end: usize) -> Option<LatinName> {
    let last = all.partition_point(|w| w.span.end < end);
    if all.get(last)?.span.end != end {
        return None;
    }
    let mut first = last;
    while first > 0 && one_space(text, &all[first - 1], &all[first]) {
        first -= 1;
    }
    let phrase = &all[first..=last];
    let classes: Vec<Class> = phrase.iter().map(|w| class(&w.text)).collect();
    let l = phrase.len() - 1;
    if classes[l] == Class::Acronym && !phrase[l].glued {
        return Some(LatinName {
            span: phrase[l].span.clone(),
            form: phrase[l].text.clone(),
            acronym: true,
        });
    }
    let &(run_first, run_last) = capital_runs(phrase, &classes).last()?;
    if run_last != l {
        return None;
    }
    let prose = classes.contains(&Class::Lower);
    let start = trim_run(phrase, &classes, run_first, l, prose);
    let (form, span) = join_words(text, phrase, start, l);
    Some(LatinName {
        span,
        form,
        acronym: false,
    })
}

/// The Chinese form that ends at `end`: a transliteration, a title in 《》, or the end of the
/// run of Chinese there ([`name_before`]).
fn han_before(text: &str, end: usize, names: &[HanName]) -> Option<HanName> {
    if let Some(n) = names.iter().find(|n| n.span.end == end) {
        return Some(n.clone());
    }
    let before = &text[..end];
    if let Some(inner) = before.strip_suffix('》') {
        let open = inner.rfind('《')?;
        let title = &inner[open + '《'.len_utf8()..];
        return is_han_name(title).then(|| HanName {
            span: open + '《'.len_utf8()..open + '《'.len_utf8() + title.len(),
            form: title.to_string(),
        });
    }
    // Back over letters of Chinese (and 、 between them), at most a few dozen.
    let mut start = end;
    for (i, c) in before.char_indices().rev().take(40) {
        let joins = c == '、' && before[..i].chars().next_back().is_some_and(is_cjk_letter);
        if is_cjk_letter(c) || joins {
            start = i;
        } else {
            break;
        }
    }
    if start == end {
        return None;
    }
    let offset = name_before(&text[start..end])?;
    let span = start + offset..end;
    Some(HanName {
        form: text[span.clone()].to_string(),
        span,
    })
}

// ---------------------------------------------------------------------------------------
// Spelling: edit distance and one-character variants
// ---------------------------------------------------------------------------------------

/// The edits a Latin name of `chars` characters may be from another and still count as a
/// spelling of it (as the checker's near misses: none for short names).
fn allowed_edits(chars: usize) -> usize {
    match chars {
        0..=6 => 0,
        7..=11 => 1,
        12..=23 => 2,
        _ => 3,
    }
}

/// A form's characters with one position blanked, and which position.
type Hole = (usize, Vec<char>);

/// The accepted Chinese forms (four or more characters) of every concept, keyed by each
/// one-character wildcard.
#[derive(Debug, Default)]
struct HoleIndex {
    /// -> (concept index, form as written).
    by_hole: HashMap<Hole, Vec<(usize, String)>>,
    lengths: BTreeSet<usize>,
    heads: HashSet<(char, char)>,
    middles: HashSet<(char, char)>,
}

impl HoleIndex {
    fn new(concepts: &[Concept]) -> HoleIndex {
        let mut index = HoleIndex::default();
        for (ci, c) in concepts.iter().enumerate() {
            for (lang, terms) in &c.langs {
                if lang != "zh" && !lang.starts_with("zh-") {
                    continue;
                }
                for t in terms.iter().filter(|t| t.status.is_accepted()) {
                    let key: Vec<char> = normalize_form(&t.text).chars().collect();
                    if key.len() < 4 || !key.iter().all(|&c| is_cjk_letter(c)) {
                        continue;
                    }
                    index.heads.insert((key[0], key[1]));
                    index.middles.insert((key[2], key[3]));
                    index.lengths.insert(key.len());
                    for hole in 0..key.len() {
                        let mut k = key.clone();
                        k[hole] = '\0';
                        let list = index.by_hole.entry((hole, k)).or_default();
                        if !list.iter().any(|(i, f)| *i == ci && *f == t.text) {
                            list.push((ci, t.text.clone()));
                        }
                    }
                }
            }
        }
        index
    }

    /// Windows of `norm` (runs of Chinese letters) one character off an indexed form:
    /// `(normalised span, concept, form)`.
    fn find(&self, norm: &str) -> Vec<(Range<usize>, usize, String)> {
        let mut out = Vec::new();
        if self.lengths.is_empty() {
            return out;
        }
        let chars: Vec<(usize, char)> = norm.char_indices().collect();
        let at = |k: usize| chars.get(k).map_or(norm.len(), |&(i, _)| i);
        let mut k = 0;
        while k < chars.len() {
            if !is_cjk_letter(chars[k].1) {
                k += 1;
                continue;
            }
            let run_start = k;
            while k < chars.len() && is_cjk_letter(chars[k].1) {
                k += 1;
            }
            let run: Vec<char> = chars[run_start..k].iter().map(|&(_, c)| c).collect();
            for i in 0..run.len() {
                for &len in &self.lengths {
                    if i + len > run.len() {
                        break;
                    }
                    let w = &run[i..i + len];
                    if !self.heads.contains(&(w[0], w[1])) && !self.middles.contains(&(w[2], w[3]))
                    {
                        continue;
                    }
                    for hole in 0..len {
                        let mut key = w.to_vec();
                        key[hole] = '\0';
                        for (ci, form) in self.by_hole.get(&(hole, key)).into_iter().flatten() {
                            let window: String = w.iter().collect();
                            if normalize_form(form) != window {
                                out.push((
                                    at(run_start + i)..at(run_start + i + len),
                                    *ci,
                                    form.clone(),
                                ));
                            }
                        }
                    }
                }
            }
        }
        out
    }
}

// ---------------------------------------------------------------------------------------
// Collecting a corpus
// ---------------------------------------------------------------------------------------

/// One occurrence: the document, the place that identifies it (a pair's Chinese side takes
/// its Latin side's, so that the two count once) and its line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct Seen {
    doc: usize,
    anchor: usize,
    line: usize,
}

/// Everything seen of one form (keyed by its normalised text).
#[derive(Debug, Default)]
struct FormInfo {
    han: bool,
    /// Ways it was written, and how often.
    written: BTreeMap<String, usize>,
    seen: BTreeSet<Seen>,
    /// The concept the glossary lists it under.
    known: Option<usize>,
    acronym: bool,
    transliteration: bool,
    /// Seen as a name in a Chinese document (not only as an English document's spelling).
    in_chinese: bool,
}

impl FormInfo {
    /// Occurrences (a pair's two sides count once).
    fn count(&self) -> usize {
        self.seen
            .iter()
            .map(|s| (s.doc, s.anchor))
            .collect::<BTreeSet<_>>()
            .len()
    }

    /// The way it was written most often.
    fn form(&self) -> &str {
        self.written
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
            .map_or("", |(f, _)| f.as_str())
    }
}

/// A form one character off a glossary form.
#[derive(Debug, Default)]
struct Variant {
    written: BTreeMap<String, usize>,
    form: String,
    seen: BTreeSet<Seen>,
}

/// What the glossary's forms are known as: normalised form -> concept index.
fn known_forms(concepts: &[Concept]) -> HashMap<String, usize> {
    let mut known = HashMap::new();
    for (ci, c) in concepts.iter().enumerate() {
        for t in c.langs.values().flatten() {
            let key = normalize_form(&t.text);
            known.entry(key.replace('-', " ")).or_insert(ci);
            known.entry(key).or_insert(ci);
        }
    }
    known
}

/// Something found in a document, waiting for its line.
enum Found {
    /// A Latin name or acronym, a transliteration, a side of a pair or an expansion.
    Form {
        key: String,
        written: String,
        han: bool,
        acronym: bool,
        transliteration: bool,
        in_chinese: bool,
        known: Option<usize>,
        anchor: usize,
    },
    /// A Chinese form and a Latin name in parentheses beside it (form keys).
    Pair {
        latin: String,
        han: String,
        shown: String,
    },
    /// An acronym spelled out before it (form keys).
    Expansion {
        acronym: String,
        expansion: String,
        shown: String,
    },
    /// A form one character off a glossary form of `concept`.
    Variant {
        concept: usize,
        key: String,
        written: String,
        form: String,
    },
    /// The first use in the document of an accepted glossary form (for the drift check).
    Rendering {
        concept: String,
        lang: String,
        form: String,
    },
}

/// Gathers what a corpus shows, document by document, for [`Collector::finish`].
pub struct Collector<'t> {
    termbase: &'t Termbase,
    known: HashMap<String, usize>,
    holes: HoleIndex,
    paths: Vec<String>,
    /// Per document: whether it is Chinese.
    chinese: Vec<bool>,
    forms: HashMap<String, FormInfo>,
    /// (Latin key, Chinese key) -> how it was written and where.
    pairs: BTreeMap<(String, String), (String, BTreeSet<Seen>)>,
    /// (acronym key, expansion key) -> how it was written and where.
    spelled_out: BTreeMap<(String, String), (String, BTreeSet<Seen>)>,
    variants: BTreeMap<(usize, String), Variant>,
    /// (concept id, language, form) -> the first place in each document that uses it.
    renderings: HashMap<(String, String, String), BTreeSet<Seen>>,
}

/// The key of a Latin form.
fn latin_key(form: &str) -> String {
    format!("l:{}", normalize_form(form))
}

/// The key of a Chinese form (interpuncts dropped, Traditional folded).
fn han_key(form: &str) -> String {
    format!("h:{}", normalize_form(form))
}

impl<'t> Collector<'t> {
    /// A collector that checks what it finds against `termbase`'s glossary.
    pub fn new(termbase: &'t Termbase) -> Collector<'t> {
        let concepts = &termbase.glossary.concepts;
        Collector {
            termbase,
            known: known_forms(concepts),
            holes: HoleIndex::new(concepts),
            paths: Vec::new(),
            chinese: Vec::new(),
            forms: HashMap::new(),
            pairs: BTreeMap::new(),
            spelled_out: BTreeMap::new(),
            variants: BTreeMap::new(),
            renderings: HashMap::new(),
        }
    }

    /// Documents added so far.
    pub fn documents(&self) -> usize {
        self.paths.len()
    }

    /// Takes one analysed and checked document: Chinese documents give names, pairs and
    /// variants; English ones only the spellings and expansions of names that Chinese
    /// documents use; every document the places of the glossary forms it uses.
    pub fn add(&mut self, a: &Analysis) {
        let doc = self.paths.len();
        self.paths.push(a.doc.path.display().to_string());
        self.chinese.push(a.detection.language == Some("zh"));
        let text = a.doc.text.as_str();
        let ctx = Context::new(text, a.detection.language, &a.runs, &a.lines, self.termbase);
        let mut found: Vec<(Range<usize>, Found)> = Vec::new();
        match a.detection.language {
            Some("zh") => self.chinese(a, &ctx, &mut found),
            Some("en") => self.english(text, &mut found),
            _ => {}
        }
        let mut first_use = HashSet::new();
        for m in &ctx.matches {
            if let Some(e) = m
                .entries()
                .find(|e| Some(e.lang.as_str()) == ctx.lang && e.status.is_accepted())
                && first_use.insert((e.concept, e.lang.as_str(), e.form.as_str()))
            {
                found.push((
                    m.span.clone(),
                    Found::Rendering {
                        concept: self.termbase.glossary.concepts[e.concept].id.clone(),
                        lang: e.lang.clone(),
                        form: e.form.clone(),
                    },
                ));
            }
        }
        drop(ctx);
        let spans: Vec<Range<usize>> = found.iter().map(|(s, _)| s.clone()).collect();
        let lines = source_lines(a, &spans);
        for ((span, f), line) in found.into_iter().zip(lines) {
            self.record(doc, span, line, f);
        }
    }

    /// Names, pairs and variants of a Chinese document.
    fn chinese(&self, a: &Analysis, ctx: &Context<'_>, found: &mut Vec<(Range<usize>, Found)>) {
        let text = a.doc.text.as_str();
        let flagged = |rule: Rule| {
            Spans::new(
                a.flags
                    .iter()
                    .chain(&a.ignored)
                    .filter(|f| f.rule == rule)
                    .map(|f| f.start..f.end),
            )
        };
        let (artifacts, misspelled) = (flagged(Rule::Artifact), flagged(Rule::MisspelledTerm));
        let urls = Spans::new(ctx.urls.iter().cloned());
        // Conversion debris is no name; a near miss of a glossary name is the checker's (and,
        // in Chinese, a variant to propose on its concept, below).
        let clean = |s: &Range<usize>| !artifacts.overlaps(s) && !urls.overlaps(s);
        let usable = |s: &Range<usize>| clean(s) && !misspelled.overlaps(s);
        // Glossary matches come in text order: those that start in `s`, or the one before.
        let matches_around = |s: &Range<usize>| {
            let from = ctx.matches.partition_point(|m| m.span.start < s.start);
            let first = from.saturating_sub(1);
            let to = ctx.matches.partition_point(|m| m.span.start < s.end);
            ctx.matches.get(first..to.max(first)).unwrap_or_default()
        };
        let covered_by = |s: &Range<usize>| {
            matches_around(s)
                .iter()
                .find(|m| m.span.start <= s.start && s.end <= m.span.end)
                .and_then(|m| m.entries().next().map(|e| e.concept))
        };
        let known_latin = |form: &str, span: &Range<usize>| {
            let key = normalize_form(form);
            self.known
                .get(&key)
                .or_else(|| self.known.get(&key.replace('-', " ")))
                .copied()
                .or_else(|| covered_by(span))
        };
        let known_han = |form: &str, span: &Range<usize>| {
            self.known
                .get(&normalize_form(form))
                .copied()
                .or_else(|| covered_by(span))
        };

        let names = interpunct_names(text);
        let pairs = paren_pairs(text, &names);
        // A transliteration in a pair counts where its Latin side does.
        let anchors: HashMap<usize, usize> = pairs
            .iter()
            .map(|p| (p.han.span.start, p.latin.span.start))
            .collect();

        for n in latin_names(text) {
            if !usable(&n.span) {
                continue;
            }
            found.push((
                n.span.clone(),
                Found::Form {
                    key: latin_key(&n.form),
                    known: known_latin(&n.form, &n.span),
                    written: n.form,
                    han: false,
                    acronym: n.acronym,
                    transliteration: false,
                    in_chinese: true,
                    anchor: n.span.start,
                },
            ));
        }
        for n in &names {
            if !usable(&n.span) {
                continue;
            }
            found.push((
                n.span.clone(),
                Found::Form {
                    key: han_key(&n.form),
                    known: known_han(&n.form, &n.span),
                    written: n.form.clone(),
                    han: true,
                    acronym: false,
                    transliteration: true,
                    in_chinese: true,
                    anchor: anchors.get(&n.span.start).copied().unwrap_or(n.span.start),
                },
            ));
        }
        for p in pairs {
            // The text says the two are one: a Chinese side near a glossary form is a variant.
            if !usable(&p.latin.span) || !clean(&p.han.span) {
                continue;
            }
            let latin_known = known_latin(&p.latin.form, &p.latin.span);
            // A Chinese side that holds a form of the Latin side's concept is that form with
            // words around it (紧急国家执行委员会 for NEC): nothing to propose.
            let holds_latin_concept = latin_known.is_some_and(|c| {
                matches_around(&p.han.span).iter().any(|m| {
                    m.span.start >= p.han.span.start
                        && m.span.end <= p.han.span.end
                        && m.entries().any(|e| e.concept == c)
                })
            });
            if holds_latin_concept {
                continue;
            }
            // As written, parentheses included.
            let mut whole =
                p.latin.span.start.min(p.han.span.start)..p.latin.span.end.max(p.han.span.end);
            if text[..whole.start].ends_with('《') {
                whole.start -= '《'.len_utf8();
            }
            let close = text[whole.end..].chars().next().map_or(0, char::len_utf8);
            let shown = text[whole.start..whole.end + close].to_string();
            let anchor = p.latin.span.start;
            found.push((
                p.latin.span.clone(),
                Found::Form {
                    key: latin_key(&p.latin.form),
                    known: latin_known,
                    written: p.latin.form.clone(),
                    han: false,
                    acronym: p.latin.acronym,
                    transliteration: false,
                    in_chinese: true,
                    anchor,
                },
            ));
            if !names.iter().any(|n| n.span == p.han.span) {
                found.push((
                    p.han.span.clone(),
                    Found::Form {
                        key: han_key(&p.han.form),
                        known: known_han(&p.han.form, &p.han.span),
                        written: p.han.form.clone(),
                        han: true,
                        acronym: false,
                        transliteration: false,
                        in_chinese: true,
                        anchor,
                    },
                ));
            }
            found.push((
                p.han.span.clone(),
                Found::Pair {
                    latin: latin_key(&p.latin.form),
                    han: han_key(&p.han.form),
                    shown,
                },
            ));
        }
        self.expansions_of(text, true, found);
        // One character off a glossary form, outside every glossary match.
        let taken = Spans::new(ctx.matches.iter().map(|m| m.span.clone()));
        for (window, concept, form) in self.holes.find(&ctx.norm.text) {
            let span = ctx.norm.to_original(window.clone());
            if taken.overlaps(&span) || !clean(&span) {
                continue;
            }
            let key = ctx.norm.text[window].to_string();
            if self.known.contains_key(&key) {
                continue;
            }
            found.push((
                span.clone(),
                Found::Variant {
                    concept,
                    key,
                    written: text[span].to_string(),
                    form,
                },
            ));
        }
    }

    /// Spellings and expansions of an English document.
    fn english(&self, text: &str, found: &mut Vec<(Range<usize>, Found)>) {
        for n in latin_names(text).into_iter().filter(|n| !n.acronym) {
            let key = latin_key(&n.form);
            found.push((
                n.span.clone(),
                Found::Form {
                    known: self.known.get(&normalize_form(&n.form)).copied(),
                    key,
                    written: n.form,
                    han: false,
                    acronym: false,
                    transliteration: false,
                    in_chinese: false,
                    anchor: n.span.start,
                },
            ));
        }
        self.expansions_of(text, false, found);
    }

    /// `Campaign for Labour Party Democracy (CLPD)`: both forms and their link.
    fn expansions_of(&self, text: &str, chinese: bool, found: &mut Vec<(Range<usize>, Found)>) {
        for e in expansions(text) {
            let shown = format!("{} ({})", e.form, e.acronym);
            let (expansion, acronym) = (latin_key(&e.form), latin_key(&e.acronym));
            if !chinese {
                found.push((
                    e.acronym_span.clone(),
                    Found::Form {
                        key: acronym.clone(),
                        known: self.known.get(&normalize_form(&e.acronym)).copied(),
                        written: e.acronym.clone(),
                        han: false,
                        acronym: true,
                        transliteration: false,
                        in_chinese: false,
                        anchor: e.acronym_span.start,
                    },
                ));
            }
            found.push((
                e.span.clone(),
                Found::Form {
                    key: expansion.clone(),
                    known: self.known.get(&normalize_form(&e.form)).copied(),
                    written: e.form.clone(),
                    han: false,
                    acronym: false,
                    transliteration: false,
                    in_chinese: chinese,
                    anchor: e.acronym_span.start,
                },
            ));
            found.push((
                e.span,
                Found::Expansion {
                    acronym,
                    expansion,
                    shown,
                },
            ));
        }
    }

    /// Files one finding at its place.
    fn record(&mut self, doc: usize, span: Range<usize>, line: usize, found: Found) {
        let seen = |anchor: usize| Seen { doc, anchor, line };
        match found {
            Found::Form {
                key,
                written,
                han,
                acronym,
                transliteration,
                in_chinese,
                known,
                anchor,
            } => {
                let info = self.forms.entry(key).or_default();
                info.han = han;
                *info.written.entry(written).or_default() += 1;
                info.seen.insert(seen(anchor));
                info.known = info.known.or(known);
                info.acronym |= acronym;
                info.transliteration |= transliteration;
                info.in_chinese |= in_chinese;
            }
            Found::Pair { latin, han, shown } => {
                let (_, places) = self
                    .pairs
                    .entry((latin, han))
                    .or_insert_with(|| (shown, BTreeSet::new()));
                places.insert(seen(span.start));
            }
            Found::Expansion {
                acronym,
                expansion,
                shown,
            } => {
                let (_, places) = self
                    .spelled_out
                    .entry((acronym, expansion))
                    .or_insert_with(|| (shown, BTreeSet::new()));
                places.insert(seen(span.start));
            }
            Found::Variant {
                concept,
                key,
                written,
                form,
            } => {
                let v = self.variants.entry((concept, key)).or_default();
                *v.written.entry(written).or_default() += 1;
                v.form = form;
                v.seen.insert(seen(span.start));
            }
            Found::Rendering {
                concept,
                lang,
                form,
            } => {
                self.renderings
                    .entry((concept, lang, form))
                    .or_default()
                    .insert(seen(span.start));
            }
        }
    }

    /// The proposals: one row per new concept and per existing concept to change, sorted by
    /// count (most first), then id. `drift` is the corpus's [`Drift`] list
    /// (`RunReport::tally.drift()`).
    pub fn finish(self, drift: &[Drift], options: &Options) -> Vec<Proposal> {
        Finisher::new(self, options).run(drift)
    }
}

/// The source line of each span of a document (markup documents: the line in the file, as
/// `check` reports it; DOCX: in the text with its paragraphs joined).
fn source_lines(a: &Analysis, spans: &[Range<usize>]) -> Vec<usize> {
    let text = a.doc.text.as_str();
    let flags: Vec<Flag> = spans
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut f = Flag::new(
                Rule::Untranslated,
                Severity::Info,
                text,
                s.clone(),
                i.to_string(),
            );
            f.locate(text, &a.lines);
            f
        })
        .collect();
    let placed = crate::output::report::in_source_of(a, Cow::Owned(flags));
    let mut lines = vec![0; spans.len()];
    for f in placed.iter() {
        if let Some(slot) = f
            .message
            .parse::<usize>()
            .ok()
            .and_then(|i| lines.get_mut(i))
        {
            *slot = f.line;
        }
    }
    lines
}

// ---------------------------------------------------------------------------------------
// From what was seen to proposals
// ---------------------------------------------------------------------------------------

/// Union-find over form keys.
struct Groups {
    parent: Vec<usize>,
}

impl Groups {
    fn new(n: usize) -> Groups {
        Groups {
            parent: (0..n).collect(),
        }
    }

    fn root(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    fn join(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.root(a), self.root(b));
        if ra != rb {
            self.parent[ra.max(rb)] = ra.min(rb);
        }
    }
}

/// A change to an existing concept, with its reasons.
#[derive(Default)]
struct Amendment {
    additions: Vec<(String, Status, String)>,
    /// It says the concept is written in several forms (a proposal with no new form).
    drift: bool,
    why: Vec<String>,
    seen: BTreeSet<Seen>,
    count: usize,
}

/// A pair or an expansion inside a group: (Latin or acronym form, the other form, how it was
/// written, how many times).
type Link = (usize, usize, String, usize);

/// Turns a [`Collector`]'s findings into proposals.
struct Finisher<'t> {
    c: Collector<'t>,
    options: Options,
    /// Form keys, sorted; forms are named by their index here.
    keys: Vec<String>,
    index: HashMap<String, usize>,
    /// Spelling links: (key a, key b).
    spelling: BTreeSet<(usize, usize)>,
    /// Pairs and expansions by the group (root form) they belong to.
    pairs: HashMap<usize, Vec<Link>>,
    expansions: HashMap<usize, Vec<Link>>,
    amendments: BTreeMap<usize, Amendment>,
    new_rows: Vec<Proposal>,
}

/// `N×`.
fn times(n: usize) -> String {
    format!("{n}×")
}

impl<'t> Finisher<'t> {
    fn new(c: Collector<'t>, options: &Options) -> Finisher<'t> {
        let mut keys: Vec<String> = c.forms.keys().cloned().collect();
        keys.sort();
        let index = keys
            .iter()
            .enumerate()
            .map(|(i, k)| (k.clone(), i))
            .collect();
        Finisher {
            c,
            options: *options,
            keys,
            index,
            spelling: BTreeSet::new(),
            pairs: HashMap::new(),
            expansions: HashMap::new(),
            amendments: BTreeMap::new(),
            new_rows: Vec::new(),
        }
    }

    fn info(&self, i: usize) -> &FormInfo {
        &self.c.forms[&self.keys[i]]
    }

    fn min(&self, default: usize) -> usize {
        self.options.min_count.unwrap_or(default)
    }

    fn run(mut self, drift: &[Drift]) -> Vec<Proposal> {
        let mut groups = Groups::new(self.keys.len());
        let links: Vec<(String, String)> = self
            .c
            .pairs
            .keys()
            .chain(self.c.spelled_out.keys())
            .cloned()
            .collect();
        for (a, b) in links {
            if let (Some(&a), Some(&b)) = (self.index.get(&a), self.index.get(&b)) {
                groups.join(a, b);
            }
        }
        self.link_spellings();
        for &(a, b) in &self.spelling {
            groups.join(a, b);
        }
        let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for i in 0..self.keys.len() {
            let root = groups.root(i);
            members.entry(root).or_default().push(i);
        }
        for (links, into) in [
            (&self.c.pairs, &mut self.pairs),
            (&self.c.spelled_out, &mut self.expansions),
        ] {
            for ((a, b), (shown, places)) in links {
                if let (Some(&a), Some(&b)) = (self.index.get(a), self.index.get(b)) {
                    into.entry(groups.root(a)).or_default().push((
                        a,
                        b,
                        shown.clone(),
                        places.len(),
                    ));
                }
            }
        }
        for (root, group) in members {
            self.group(root, &group);
        }
        self.glossary_variants();
        self.drift(drift);
        self.rows()
    }

    /// Links Latin names a few edits apart (at least one seen in Chinese text) and Chinese
    /// forms one character apart.
    fn link_spellings(&mut self) {
        let mut latin: BTreeMap<(usize, char), Vec<usize>> = BTreeMap::new();
        let mut holes: HashMap<Hole, Vec<usize>> = HashMap::new();
        for (i, key) in self.keys.iter().enumerate() {
            let info = &self.c.forms[key];
            let text = &key[2..];
            if info.han {
                let chars: Vec<char> = text.chars().collect();
                if chars.len() >= 4 {
                    for hole in 0..chars.len() {
                        let mut k = chars.clone();
                        k[hole] = '\0';
                        holes.entry((hole, k)).or_default().push(i);
                    }
                }
            } else if !info.acronym
                && let Some(first) = text.chars().next()
            {
                latin
                    .entry((text.split(' ').count(), first))
                    .or_default()
                    .push(i);
            }
        }
        for bucket in latin.values() {
            let chinese: Vec<usize> = bucket
                .iter()
                .copied()
                .filter(|&a| self.info(a).in_chinese)
                .collect();
            for a in chinese {
                let ka = &self.keys[a][2..];
                let la = ka.chars().count();
                for &b in bucket {
                    let kb = &self.keys[b][2..];
                    let lb = kb.chars().count();
                    let allowed = allowed_edits(la.max(lb));
                    if a == b || la.abs_diff(lb) > allowed {
                        continue;
                    }
                    let d = strsim::damerau_levenshtein(ka, kb);
                    if d > 0 && d <= allowed {
                        self.spelling.insert((a.min(b), a.max(b)));
                    }
                }
            }
        }
        for list in holes.values() {
            for (x, &a) in list.iter().enumerate() {
                for &b in &list[x + 1..] {
                    self.spelling.insert((a.min(b), a.max(b)));
                }
            }
        }
    }

    fn linked(&self, a: usize, b: usize) -> bool {
        self.spelling.contains(&(a.min(b), a.max(b)))
    }

    /// Where a set of forms was seen.
    fn seen_of(&self, forms: &[usize]) -> BTreeSet<Seen> {
        forms
            .iter()
            .flat_map(|&i| self.info(i).seen.iter().copied())
            .collect()
    }

    /// The pairs in the group of `root`.
    fn pairs_in(&self, root: usize) -> Vec<Link> {
        self.pairs.get(&root).cloned().unwrap_or_default()
    }

    /// A group of linked forms: a new concept, a change to the one concept some of its forms
    /// belong to, or nothing (all known, or forms of two concepts).
    fn group(&mut self, root: usize, group: &[usize]) {
        if !group.iter().any(|&i| self.info(i).in_chinese) {
            return;
        }
        let concepts: BTreeSet<usize> = group.iter().filter_map(|&i| self.info(i).known).collect();
        match concepts.len() {
            0 => self.new_concept(root, group),
            1 => {
                if let Some(&concept) = concepts.first() {
                    self.amend_from_group(concept, root, group);
                }
            }
            _ => {}
        }
    }

    /// New forms of a known concept: written beside one of its forms in parentheses, or a
    /// spelling of one.
    fn amend_from_group(&mut self, concept: usize, root: usize, group: &[usize]) {
        let pairs = self.pairs_in(root);
        let c = &self.c.termbase.glossary.concepts[concept];
        let person_like = matches!(c.kind, Some(Kind::Person | Kind::Acronym));
        let has_zh = c.preferred("zh").is_some();
        for &i in group {
            let info = self.info(i);
            if info.known.is_some() || !info.in_chinese {
                continue;
            }
            let form = info.form().to_string();
            let count = info.count();
            let near = group
                .iter()
                .find(|&&k| self.info(k).known.is_some() && self.linked(i, k))
                .map(|&k| self.info(k).form().to_string());
            let paired = pairs.iter().find(|p| p.0 == i || p.1 == i);
            let (status, reason, min) = match (&near, paired) {
                (Some(near), _) => (
                    Status::Deprecated,
                    format!(
                        "'{form}' ({}) is {} '{near}': proposed as deprecated (admitted if it is an accepted variant)",
                        times(count),
                        if info.han {
                            "one character off"
                        } else {
                            "a misspelling of"
                        }
                    ),
                    if paired.is_some() { 1 } else { 2 },
                ),
                (None, Some((_, _, shown, n))) => (
                    if info.han && !has_zh {
                        Status::Preferred
                    } else {
                        Status::Admitted
                    },
                    format!(
                        "'{shown}' ({}) writes '{form}' beside a form the glossary has",
                        times(*n)
                    ),
                    1,
                ),
                (None, None) => continue,
            };
            if count < self.min(min) {
                continue;
            }
            let lang = if info.han { "zh" } else { "en" };
            let seen = info.seen.clone();
            let also_zh = !info.han && (person_like || info.acronym) && status.is_accepted();
            let a = self.amendments.entry(concept).or_default();
            a.additions.push((lang.to_string(), status, form.clone()));
            if also_zh {
                a.additions.push(("zh".to_string(), Status::Admitted, form));
            }
            a.why.push(reason);
            a.count += count;
            a.seen.extend(seen);
        }
    }

    /// A group with no glossary form: a new concept.
    fn new_concept(&mut self, root: usize, group: &[usize]) {
        let seen = self.seen_of(group);
        let count = seen
            .iter()
            .map(|s| (s.doc, s.anchor))
            .collect::<BTreeSet<_>>()
            .len();
        let pairs = self.pairs_in(root);
        let latin: Vec<usize> = group
            .iter()
            .copied()
            .filter(|&i| !self.info(i).han)
            .collect();
        let han: Vec<usize> = group
            .iter()
            .copied()
            .filter(|&i| self.info(i).han)
            .collect();
        // What counts as a name seen on its own: a Latin name or an acronym of up to four
        // letters in Chinese text, or a pair.
        let named = !pairs.is_empty()
            || latin.iter().any(|&i| {
                let info = self.info(i);
                info.in_chinese && (!info.acronym || info.form().chars().count() <= 4)
            });
        if count < self.min(if named { 1 } else { 2 }) {
            return;
        }

        let rank = |i: &usize| {
            let info = self.info(*i);
            let english = info
                .seen
                .iter()
                .filter(|s| !self.chinese_doc(s.doc))
                .count();
            (info.count(), english, info.form().chars().count())
        };
        let words: Vec<usize> = latin
            .iter()
            .copied()
            .filter(|&i| !self.info(i).acronym)
            .collect();
        let acronyms: Vec<usize> = latin
            .iter()
            .copied()
            .filter(|&i| self.info(i).acronym)
            .collect();
        let en_main = words.iter().copied().max_by_key(rank);
        let acronym_main = acronyms.iter().copied().max_by_key(|i| {
            (
                self.info(*i).count(),
                std::cmp::Reverse(self.keys[*i].clone()),
            )
        });
        let han_main = han.iter().copied().max_by_key(|i| {
            let info = self.info(*i);
            (
                info.count(),
                std::cmp::Reverse(info.form().chars().count()),
                std::cmp::Reverse(self.keys[*i].clone()),
            )
        });

        let mut why = Vec::new();
        let mut en = Forms::default();
        let mut zh = Forms::default();
        if let Some(main) = en_main.or(acronym_main) {
            en.add(self.info(main).form(), Status::Preferred);
        }
        for &i in &acronyms {
            en.add(self.info(i).form(), Status::Admitted);
        }
        for &i in &words {
            if Some(i) == en_main {
                continue;
            }
            let info = self.info(i);
            let spelling = en_main.is_some_and(|m| self.linked(i, m));
            if spelling {
                en.add(info.form(), Status::Deprecated);
                let main = en_main.map_or("", |m| self.info(m).form());
                why.push(format!(
                    "'{}' ({}) is a misspelling of '{main}'",
                    info.form(),
                    times(info.count())
                ));
            } else {
                en.add(info.form(), Status::Admitted);
            }
        }
        if let Some(main) = han_main {
            zh.add(self.info(main).form(), Status::Preferred);
        }
        for &i in &han {
            if Some(i) == han_main {
                continue;
            }
            let info = self.info(i);
            if han_main.is_some_and(|m| self.linked(i, m)) {
                zh.add(info.form(), Status::Deprecated);
                why.push(format!(
                    "'{}' ({}) is one character off: proposed as deprecated (admitted if it is an accepted variant)",
                    info.form(),
                    times(info.count())
                ));
            }
        }

        // Why, first: what was seen.
        let mut first = Vec::new();
        for &i in &latin {
            let info = self.info(i);
            let chinese_count = info.seen.iter().filter(|s| self.chinese_doc(s.doc)).count();
            if info.in_chinese
                && chinese_count > 0
                && !en.deprecated.iter().any(|d| d == info.form())
            {
                let what = if info.acronym { "acronym" } else { "name" };
                first.push(format!(
                    "{what} '{}' in Latin script in Chinese text ({})",
                    info.form(),
                    times(chinese_count)
                ));
            }
        }
        for (_, _, shown, n) in &pairs {
            first.push(format!(
                "'{shown}' ({}): the Chinese form beside the Latin one",
                times(*n)
            ));
        }
        for &i in &han {
            let info = self.info(i);
            if info.transliteration && Some(i) == han_main {
                first.push(format!(
                    "transliteration '{}' ({})",
                    info.form(),
                    times(info.count())
                ));
            }
        }
        let mut spelled = false;
        for (_, _, shown, n) in self.expansions.get(&root).into_iter().flatten() {
            spelled = true;
            first.push(format!("'{shown}' spells it out ({})", times(*n)));
        }
        if let Some(main) = en_main
            && !self.info(main).in_chinese
            && !spelled
        {
            first.push(format!(
                "'{}' as English documents write it",
                self.info(main).form()
            ));
        }
        first.append(&mut why);
        first.push("no glossary entry".to_string());

        let kind = self.kind(en_main, acronym_main, han_main);
        // Chinese texts leave names and acronyms in Latin script: accepted there too.
        let person_seen =
            kind == Some(Kind::Person) && words.iter().any(|&i| self.info(i).in_chinese);
        if let (true, Some(p)) = (person_seen, en.preferred.clone()) {
            zh.add(&p, Status::Admitted);
        }
        for &i in &acronyms {
            if self.info(i).in_chinese {
                let f = self.info(i).form().to_string();
                zh.add(&f, Status::Admitted);
            }
        }

        let id_base = match (acronym_main, &en.preferred, &zh.preferred) {
            (Some(a), _, _) => slug(self.info(a).form()),
            (None, Some(e), _) => slug(e),
            (None, None, Some(z)) => zh_id(z),
            (None, None, None) => return,
        };
        let mut forms = BTreeMap::new();
        for (lang, f) in [("en", en), ("zh", zh)] {
            if !f.is_empty() {
                forms.insert(lang.to_string(), f);
            }
        }
        let seen = self.places(&seen);
        self.new_rows.push(Proposal {
            id: id_base,
            kind: kind.map(Kind::as_str),
            forms,
            note: None,
            case_sensitive: false,
            amends: false,
            why: first.join("; "),
            seen,
            count,
        });
    }

    fn chinese_doc(&self, doc: usize) -> bool {
        self.c.chinese.get(doc).copied().unwrap_or(false)
    }

    /// The kind of a new concept, by simple cues.
    fn kind(&self, en: Option<usize>, acronym: Option<usize>, han: Option<usize>) -> Option<Kind> {
        let han_form = han.map(|h| self.info(h).form().to_string());
        let han_cue = han_form.as_deref().and_then(han_kind);
        if let Some(e) = en {
            let form = self.info(e).form();
            if let Some(k) = latin_kind(form) {
                return Some(k);
            }
            if han.is_some_and(|h| self.info(h).transliteration) {
                return Some(Kind::Person);
            }
            if let Some(k) = han_cue {
                return Some(k);
            }
            let capitals: Vec<&str> = form.split(' ').collect();
            let person = (2..=3).contains(&capitals.len())
                && capitals.iter().all(|w| class(w) == Class::Capital)
                && !listed(SENTENCE_STARTERS, capitals[0]);
            return Some(if person { Kind::Person } else { Kind::Term });
        }
        if acronym.is_some() {
            return Some(han_cue.unwrap_or(Kind::Acronym));
        }
        let h = han?;
        if self.info(h).transliteration {
            return Some(Kind::Person);
        }
        Some(han_cue.unwrap_or(Kind::Term))
    }

    /// Forms one character off a glossary form, outside any match: deprecated forms of it.
    fn glossary_variants(&mut self) {
        let variants = std::mem::take(&mut self.c.variants);
        // A form one character off the forms of two concepts (工党成员: 工党议员, 工党党员)
        // belongs to neither.
        let mut concepts_of: HashMap<&str, BTreeSet<usize>> = HashMap::new();
        for (concept, key) in variants.keys() {
            concepts_of.entry(key).or_default().insert(*concept);
        }
        let ambiguous: HashSet<String> = concepts_of
            .into_iter()
            .filter(|(_, c)| c.len() > 1)
            .map(|(k, _)| k.to_string())
            .collect();
        for ((concept, key), v) in variants {
            let count = v.seen.len();
            if count < self.min(2) || ambiguous.contains(&key) {
                continue;
            }
            let written = v
                .written
                .iter()
                .max_by_key(|(_, n)| **n)
                .map_or(key.clone(), |(w, _)| w.clone());
            let a = self.amendments.entry(concept).or_default();
            // Already proposed from a group (a transliteration, a pair's side).
            if a.additions.iter().any(|(_, _, f)| normalize_form(f) == key) {
                continue;
            }
            a.additions
                .push(("zh".to_string(), Status::Deprecated, written.clone()));
            a.why.push(format!(
                "'{written}' ({}) is one character off '{}': proposed as deprecated (admitted if it is an accepted variant)",
                times(count),
                v.form
            ));
            a.count += count;
            a.seen.extend(v.seen);
        }
    }

    /// Concepts written in several accepted forms across the corpus.
    fn drift(&mut self, drift: &[Drift]) {
        for d in drift {
            let Some(ci) = self
                .c
                .termbase
                .glossary
                .concepts
                .iter()
                .position(|c| c.id == d.concept)
            else {
                continue;
            };
            let documents: usize = d.forms.iter().map(|f| f.documents).sum();
            if documents < self.min(2) {
                continue;
            }
            let forms: Vec<String> = d
                .forms
                .iter()
                .map(|f| {
                    format!(
                        "'{}' ({} document{})",
                        f.form,
                        f.documents,
                        if f.documents == 1 { "" } else { "s" }
                    )
                })
                .collect();
            let mut seen = BTreeSet::new();
            for f in &d.forms {
                if let Some(places) =
                    self.c
                        .renderings
                        .get(&(d.concept.clone(), d.lang.clone(), f.form.clone()))
                {
                    seen.extend(places.iter().copied());
                }
            }
            let a = self.amendments.entry(ci).or_default();
            a.why.push(format!(
                "the corpus writes it in {} accepted {} forms: {}; choose one, and mark the others {}.deprecated if they should not be used",
                d.forms.len(),
                crate::lang::name(&d.lang),
                forms.join(", "),
                d.lang
            ));
            a.drift = true;
            a.count += documents;
            a.seen.extend(seen);
        }
    }

    /// `path:line` of each place, in corpus order, each once.
    fn places(&self, seen: &BTreeSet<Seen>) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut done = BTreeSet::new();
        for s in seen {
            if done.insert((s.doc, s.line)) {
                let path = self.c.paths.get(s.doc).map_or("?", String::as_str);
                out.push(format!("{path}:{}", s.line));
            }
        }
        out
    }

    /// Every proposal, ids made unique, sorted.
    fn rows(mut self) -> Vec<Proposal> {
        let concepts = &self.c.termbase.glossary.concepts;
        let mut out = Vec::new();
        for (ci, a) in std::mem::take(&mut self.amendments) {
            let concept = &concepts[ci];
            let mut forms: BTreeMap<String, Forms> = BTreeMap::new();
            for (lang, terms) in &concept.langs {
                let f = forms.entry(lang.clone()).or_default();
                for t in terms {
                    let status = match t.status {
                        Status::Preferred if f.preferred.is_none() => Status::Preferred,
                        Status::Preferred => Status::Admitted,
                        s => s,
                    };
                    match status {
                        Status::Preferred => f.preferred = Some(t.text.clone()),
                        Status::Admitted => f.admitted.push(t.text.clone()),
                        Status::Deprecated => f.deprecated.push(t.text.clone()),
                    }
                }
            }
            let mut changed = false;
            for (lang, status, form) in &a.additions {
                changed |= forms.entry(lang.clone()).or_default().add(form, *status);
            }
            if !changed && !a.drift {
                continue;
            }
            out.push(Proposal {
                id: concept.id.clone(),
                kind: concept.kind.map(Kind::as_str),
                forms,
                note: concept.note.clone(),
                case_sensitive: concept.case_sensitive,
                amends: true,
                why: a.why.join("; "),
                seen: self.places(&a.seen),
                count: a.count,
            });
        }
        let mut taken: HashSet<String> = concepts.iter().map(|c| c.id.clone()).collect();
        let mut fresh = std::mem::take(&mut self.new_rows);
        fresh.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.id.cmp(&b.id)));
        for mut p in fresh {
            let base = if p.id.is_empty() {
                "concept".to_string()
            } else {
                p.id.clone()
            };
            let mut id = base.clone();
            let mut n = 2;
            while taken.contains(&id) {
                id = format!("{base}-{n}");
                n += 1;
            }
            taken.insert(id.clone());
            p.id = id;
            out.push(p);
        }
        out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.id.cmp(&b.id)));
        out
    }
}

/// Words that make a name an organisation, a place or an event (the last such word decides).
fn latin_kind(form: &str) -> Option<Kind> {
    const ORG: &str = "Labour Party Committee Campaign Council Union Unions Group Alliance Association Commission Club Movement Society Federation Congress Board Trust Foundation Institute League Front Network Agency Office Department Ministry Bank Company Corporation Forum Coalition Assembly Parliament Government Executive Tribunal Court University College Magazine Times News Organisation Organization";
    const PLACE: &str =
        "Valley Street Road Avenue House Hall Square Park Bridge City County Town River Island";
    const EVENT: &str = "Conference Election Elections Referendum Summit Rally Strike Inquiry";
    form.split(' ').rev().find_map(|w| {
        if listed(ORG, w) {
            Some(Kind::Org)
        } else if listed(PLACE, w) {
            Some(Kind::Place)
        } else if listed(EVENT, w) {
            Some(Kind::Event)
        } else {
            None
        }
    })
}

/// Endings that make a Chinese form an organisation or a place.
fn han_kind(form: &str) -> Option<Kind> {
    const ORG: &str = "委员会 联盟 组织 小组 协会 工会 俱乐部 报 杂志 周刊 基金会 党 集团 公司 银行 大学 学院 议会 理事会 联合会 运动 研究所";
    const PLACE: &str = "大楼 街 路 市 县 郡 广场";
    let form: String = form.chars().map(crate::hanzi::fold).collect();
    if ORG.split(' ').any(|e| form.ends_with(e)) {
        Some(Kind::Org)
    } else if PLACE.split(' ').any(|e| form.ends_with(e)) {
        Some(Kind::Place)
    } else {
        None
    }
}

/// A concept id from an English form: lower case, words joined by hyphens.
pub fn slug(form: &str) -> String {
    let mut out = String::new();
    for c in form.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// A concept id for a form with no English: `zh-` and a short hash of the normalised form.
pub fn zh_id(form: &str) -> String {
    let digest = Sha256::digest(normalize_form(form).as_bytes());
    let hex: String = digest.iter().take(4).map(|b| format!("{b:02x}")).collect();
    format!("zh-{hex}")
}

// ---------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------

/// The proposals as CSV: the glossary's columns (`id,kind,en,en.admitted,en.deprecated,zh,
/// zh.admitted,zh.deprecated,note`, other languages and `match` when a changed concept has
/// them), then `why,seen,count`. Without the last three columns it loads as a glossary.
pub fn to_csv(proposals: &[Proposal]) -> String {
    let mut langs: Vec<String> = vec!["en".to_string(), "zh".to_string()];
    let mut others: BTreeSet<&str> = BTreeSet::new();
    for p in proposals {
        others.extend(p.forms.keys().map(String::as_str));
    }
    langs.extend(
        others
            .into_iter()
            .filter(|l| !matches!(*l, "en" | "zh"))
            .map(str::to_string),
    );
    let with_match = proposals.iter().any(|p| p.case_sensitive);
    let mut header: Vec<String> = FIRST_COLUMNS.iter().map(|s| s.to_string()).collect();
    for l in &langs {
        header.extend([
            l.clone(),
            format!("{l}.admitted"),
            format!("{l}.deprecated"),
        ]);
    }
    header.push("note".to_string());
    if with_match {
        header.push("match".to_string());
    }
    header.extend(["why", "seen", "count"].map(str::to_string));
    let mut out = String::new();
    write_row(&mut out, &header);
    for p in proposals {
        let mut row = vec![p.id.clone(), p.kind.unwrap_or("").to_string()];
        for l in &langs {
            let f = p.forms.get(l).cloned().unwrap_or_default();
            row.push(f.preferred.unwrap_or_default());
            row.push(f.admitted.join("|"));
            row.push(f.deprecated.join("|"));
        }
        row.push(p.note.clone().unwrap_or_default());
        if with_match {
            row.push(if p.case_sensitive { "case" } else { "" }.to_string());
        }
        row.push(p.why.clone());
        let mut seen = p.seen[..p.seen.len().min(SEEN_IN_CSV)].join("; ");
        if p.seen.len() > SEEN_IN_CSV {
            seen.push_str(&format!("; +{} more", p.seen.len() - SEEN_IN_CSV));
        }
        row.push(seen);
        row.push(p.count.to_string());
        write_row(&mut out, &row);
    }
    out
}

/// One JSON object per proposal, one per line.
pub fn to_json_lines(proposals: &[Proposal]) -> Result<String, serde_json::Error> {
    let mut out = String::new();
    for p in proposals {
        out.push_str(&serde_json::to_string(p)?);
        out.push('\n');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::check::corpus::Tally;
    use crate::document::Document;

    fn forms(names: &[LatinName]) -> Vec<(&str, bool)> {
        names.iter().map(|n| (n.form.as_str(), n.acronym)).collect()
    }

    #[test]
    fn latin_names_are_capitalised_runs_and_acronyms() {
        let text = "作者：Jon Trickett 和 Ian Lvery，在NEC和ＣＬＰＤ会议上。Campaign for Labour Party Democracy支持。";
        assert_eq!(
            forms(&latin_names(text)),
            [
                ("Jon Trickett", false),
                ("Ian Lvery", false),
                ("NEC", true),
                ("CLPD", true),
                ("Campaign for Labour Party Democracy", false),
            ]
        );
        let n = &latin_names(text)[3];
        assert_eq!(&text[n.span.clone()], "ＣＬＰＤ");
    }

    #[test]
    fn prose_gives_no_sentence_starts_and_names_lose_possessives_and_titles() {
        let text = "It shows that 党。Yesterday Jon Trickett said so。Mr Ian Lavery’s office。The Guardian。In the House of Commons, MPs";
        let names = latin_names(text);
        assert_eq!(
            forms(&names),
            [
                ("Jon Trickett", false),
                ("Ian Lavery", false),
                ("The Guardian", false),
                ("House of Commons", false),
                ("MP", true),
            ]
        );
        assert_eq!(&text[names[1].span.clone()], "Ian Lavery");
    }

    #[test]
    fn acronyms_skip_shouting_numbers_roman_numerals_and_common_capitals() {
        let text = "他们在PLP会议上 STOP THE WAR 以及 G7 和 OK 和 II 和 CLPs 和 MPs。";
        assert_eq!(
            forms(&latin_names(text)),
            [("PLP", true), ("CLP", true), ("MP", true)]
        );
    }

    #[test]
    fn expansions_need_matching_initials() {
        let text = "backed by the Campaign for Labour Party Democracy (CLPD) and Labour Against the Witchhunt （LAW）, not the Big Society (CLPD).";
        let found: Vec<(String, String)> = expansions(text)
            .into_iter()
            .map(|e| (e.form, e.acronym))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "Campaign for Labour Party Democracy".to_string(),
                    "CLPD".to_string()
                ),
                (
                    "Labour Against the Witchhunt".to_string(),
                    "LAW".to_string()
                ),
            ]
        );
    }

    fn han(text: &str) -> Vec<String> {
        interpunct_names(text).into_iter().map(|n| n.form).collect()
    }

    #[test]
    fn transliterations_stop_at_the_words_around_them() {
        assert_eq!(han("各位同志，我是伊恩·拉弗里。"), ["伊恩·拉弗里"]);
        assert_eq!(
            han("试图摆脱像杰姬·沃克、肯·利文斯通和克里斯·威廉森这样的活动家"),
            ["杰姬·沃克", "肯·利文斯通", "克里斯·威廉森"]
        );
        assert_eq!(han("感谢伊恩•拉弗里加入工党"), ["伊恩·拉弗里"]);
        assert_eq!(han("马丁·路德·金说"), ["马丁·路德·金"]);
        assert_eq!(han("© 2020 转载站 · 首页；新闻·评论"), Vec::<String>::new());
        assert_eq!(han("傑里米·科爾賓"), ["傑里米·科爾賓"]);
    }

    #[test]
    fn the_name_before_a_parenthesis_starts_after_the_function_words() {
        fn cut(run: &str) -> Option<&str> {
            name_before(run).map(|i| &run[i..])
        }
        assert_eq!(cut("感谢于被争取工党民主运动"), Some("争取工党民主运动"));
        assert_eq!(cut("反对把抵制、撤资和制裁"), Some("抵制、撤资和制裁"));
        assert_eq!(cut("和全国执行委员会"), Some("全国执行委员会"));
        assert_eq!(cut("平等与人权委员会"), Some("平等与人权委员会"));
        assert_eq!(
            cut("我们需要一个紧急国家执行委员会"),
            Some("紧急国家执行委员会")
        );
        assert_eq!(cut("支持的"), None);
    }

    fn pairs(text: &str) -> Vec<(String, String)> {
        paren_pairs(text, &interpunct_names(text))
            .into_iter()
            .map(|p| (p.han.form, p.latin.form))
            .collect()
    }

    #[test]
    fn pairs_of_a_chinese_form_and_a_latin_name_in_parentheses() {
        let text = "感谢于被争取工党民主运动（CLPD）支持。工党议员约翰·麦克唐纳(John McDonnell)说，\
                    Socialist Campaign Group（社会主义运动小组）和《论坛报》(Tribune)。\
                    平等与人权委员会（EHRC）和全国执行委员会（NEC）都应当回应（见下文）。";
        assert_eq!(
            pairs(text),
            [
                ("争取工党民主运动", "CLPD"),
                ("约翰·麦克唐纳", "John McDonnell"),
                ("社会主义运动小组", "Socialist Campaign Group"),
                ("论坛报", "Tribune"),
                ("平等与人权委员会", "EHRC"),
                ("全国执行委员会", "NEC"),
            ]
            .map(|(a, b)| (a.to_string(), b.to_string()))
        );
        // Parentheses that hold no name, or a name with no Chinese before it, pair nothing.
        assert!(pairs("数字（2020年）和（NEC）以及 it is (Labour Party) 。").is_empty());
    }

    #[test]
    fn ids_are_slugs_or_a_short_hash() {
        assert_eq!(slug("Jon Trickett"), "jon-trickett");
        assert_eq!(
            slug("Labour Against the Witch-hunt"),
            "labour-against-the-witch-hunt"
        );
        assert_eq!(slug("NEC"), "nec");
        let id = zh_id("伊恩·拉弗里");
        assert!(id.starts_with("zh-") && id.len() == 11, "{id}");
        assert_eq!(id, zh_id("伊恩•拉弗里"), "interpuncts do not change the id");
    }

    #[test]
    fn kinds_come_from_simple_cues() {
        assert_eq!(latin_kind("Socialist Campaign Group"), Some(Kind::Org));
        assert_eq!(latin_kind("Tees Valley Mayorallies"), Some(Kind::Place));
        assert_eq!(latin_kind("Labour Party Conference"), Some(Kind::Event));
        assert_eq!(latin_kind("Jon Trickett"), None);
        assert_eq!(han_kind("全国执行委员会"), Some(Kind::Org));
        assert_eq!(han_kind("埃尔贡大楼"), Some(Kind::Place));
        assert_eq!(han_kind("伊恩·拉弗里"), None);
    }

    fn termbase(csv: &str) -> Termbase {
        let g = crate::glossary::csv::from_str(csv, Path::new("t.csv")).unwrap();
        Termbase::new(g).unwrap()
    }

    /// Runs the documents through `check` and the collector, as `glossary suggest` does.
    fn suggest(tb: &Termbase, docs: &[(&str, &str)], options: Options) -> Vec<Proposal> {
        let mut collector = Collector::new(tb);
        let mut tally = Tally::default();
        for (path, text) in docs {
            let a = crate::pipeline::check_document(Document::from_text(*path, *text), None, tb);
            tally.add_document(&a);
            collector.add(&a);
        }
        collector.finish(&tally.drift(), &options)
    }

    const ZH: &str = "各位同志，我是伊恩·拉弗里。Jon Trickett和Ian Lavery在论坛报上写道，工党的全国执行委员会（NEC）必须立即调查泄露的报告。\n\
        我们要求NEC公布报告。Ian Lvery和Jon Trickett都是全国竞选协调员。伊恩·拉弗里说，党的领导层必须回应。\n";

    #[test]
    fn with_no_glossary_names_pairs_and_spellings_become_new_concepts() {
        let tb = Termbase::empty();
        let out = suggest(&tb, &[("a.zh.txt", ZH)], Options::default());
        let row = |id: &str| {
            out.iter()
                .find(|p| p.id == id)
                .unwrap_or_else(|| panic!("no {id} in {out:#?}"))
        };
        let nec = row("nec");
        assert_eq!(nec.kind, Some("org"));
        assert_eq!(nec.forms["en"].preferred.as_deref(), Some("NEC"));
        assert_eq!(nec.forms["zh"].preferred.as_deref(), Some("全国执行委员会"));
        assert_eq!(nec.count, 2);
        assert_eq!(nec.seen, ["a.zh.txt:1", "a.zh.txt:2"]);
        let lavery = row("ian-lavery");
        assert_eq!(lavery.kind, Some("person"));
        assert_eq!(lavery.forms["en"].deprecated, ["Ian Lvery"]);
        assert_eq!(lavery.forms["zh"].admitted, ["Ian Lavery"]);
        assert!(lavery.why.contains("misspelling"), "{}", lavery.why);
        // A transliteration seen twice, with no Latin partner.
        let zh = row(&zh_id("伊恩·拉弗里"));
        assert_eq!(zh.kind, Some("person"));
        assert_eq!(zh.count, 2);
        assert!(out.iter().all(|p| !p.amends));
        // Sorted by count, then id.
        let order: Vec<(usize, &str)> = out.iter().map(|p| (p.count, p.id.as_str())).collect();
        let mut sorted = order.clone();
        sorted.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
        assert_eq!(order, sorted);
        // Twice is what a transliteration with no partner needs by default.
        let strict = suggest(
            &tb,
            &[("a.zh.txt", &ZH[..ZH.find('\n').unwrap()])],
            Options::default(),
        );
        assert!(
            strict.iter().all(|p| p.id != zh_id("伊恩·拉弗里")),
            "{strict:#?}"
        );
        let loose = suggest(&tb, &[("a.zh.txt", ZH)], Options { min_count: Some(3) });
        assert!(loose.iter().all(|p| p.count >= 3), "{loose:#?}");
    }

    const GLOSSARY: &str = "id,kind,en,en.admitted,zh,zh.admitted,zh.deprecated\n\
        nec,org,National Executive Committee,NEC,全国执行委员会,NEC|国家执行委员会,\n\
        ian-lavery,person,Ian Lavery,,伊恩·拉弗里,Ian Lavery,\n\
        jon-trickett,person,Jon Trickett,,乔恩·特里克特,Jon Trickett,\n\
        scg,org,Socialist Campaign Group,,社会主义运动小组,,\n";

    #[test]
    fn the_glossary_suppresses_what_it_has_and_amends_what_it_lacks() {
        let tb = termbase(GLOSSARY);
        let text = "Jon Trickett和Ian Lavery说，工党的全国执行委员会（NEC）和紧急国家执行委员会(NEC)开会。\n\
                    社会主义运动组织（Socialist Campaign Group）发表声明。\n\
                    社会主义运动大组的成员和社会主义运动大组的支持者。\n";
        let out = suggest(&tb, &[("b.zh.txt", text)], Options::default());
        let ids: Vec<&str> = out.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["scg"], "{out:#?}");
        let scg = &out[0];
        assert!(scg.amends);
        assert_eq!(
            scg.forms["zh"].preferred.as_deref(),
            Some("社会主义运动小组")
        );
        assert_eq!(scg.forms["zh"].admitted, ["社会主义运动组织"]);
        assert_eq!(scg.forms["zh"].deprecated, ["社会主义运动大组"]);
        assert_eq!(
            scg.forms["en"].preferred.as_deref(),
            Some("Socialist Campaign Group")
        );
        assert_eq!(scg.count, 3);
    }

    #[test]
    fn drift_across_documents_is_a_note_on_the_concept() {
        let tb = termbase(GLOSSARY);
        let docs = [
            (
                "a.zh.txt",
                "我们要求全国执行委员会立即开会，全国执行委员会必须回应。",
            ),
            (
                "b.zh.txt",
                "我们要求国家执行委员会立即开会，国家执行委员会必须回应。",
            ),
        ];
        let out = suggest(&tb, &docs, Options::default());
        assert_eq!(out.len(), 1, "{out:#?}");
        assert_eq!(out[0].id, "nec");
        assert!(out[0].amends);
        assert!(
            out[0].why.contains("2 accepted Chinese forms"),
            "{}",
            out[0].why
        );
        assert_eq!(out[0].seen, ["a.zh.txt:1", "b.zh.txt:1"]);
        assert_eq!(out[0].count, 2);
    }

    #[test]
    fn english_documents_give_spellings_and_expansions_but_no_names_of_their_own() {
        let tb = Termbase::empty();
        let docs = [
            (
                "m.en.txt",
                "Even under Corbyn the Campaign for Labour Party Democracy (CLPD) backed Jon Lansman. Emergency Motion Agreed at the conference.",
            ),
            (
                "m.zh.txt",
                "争取工党民主运动（CLPD）支持了Jon Lansmen和他的支持者，这是一个很长的中文句子。",
            ),
        ];
        let out = suggest(&tb, &docs, Options::default());
        let ids: Vec<&str> = out.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["clpd", "jon-lansman"], "{out:#?}");
        assert_eq!(
            out[0].forms["en"].preferred.as_deref(),
            Some("Campaign for Labour Party Democracy")
        );
        assert_eq!(
            out[0].forms["zh"].preferred.as_deref(),
            Some("争取工党民主运动")
        );
        assert_eq!(out[1].forms["en"].deprecated, ["Jon Lansmen"]);
    }

    #[test]
    fn the_csv_without_its_last_three_columns_loads_as_a_glossary() {
        let tb = termbase(GLOSSARY);
        let docs = [
            ("a.zh.txt", ZH),
            (
                "b.zh.txt",
                "我们要求国家执行委员会立即开会。Brian Burden说，IHRA和EHRC都应回应。",
            ),
        ];
        let out = suggest(&tb, &docs, Options::default());
        assert!(
            out.iter().any(|p| p.amends) && out.iter().any(|p| !p.amends),
            "{out:#?}"
        );
        let csv = to_csv(&out);
        assert!(csv.starts_with(
            "id,kind,en,en.admitted,en.deprecated,zh,zh.admitted,zh.deprecated,note,why,seen,count\n"
        ));
        let mut reader = ::csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(csv.as_bytes());
        let mut trimmed = String::new();
        for record in reader.records() {
            let record = record.unwrap();
            let fields: Vec<String> = record.iter().map(str::to_string).collect();
            assert!(!fields[fields.len() - 1].is_empty());
            write_row(&mut trimmed, &fields[..fields.len() - 3]);
        }
        let g = crate::glossary::csv::from_str(&trimmed, Path::new("p.csv")).unwrap();
        assert_eq!(g.concepts.len(), out.len());
        let lines = to_json_lines(&out).unwrap();
        assert_eq!(lines.lines().count(), out.len());
        for l in lines.lines() {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            assert!(v["why"].is_string() && v["seen"].is_array() && v["count"].is_u64());
        }
    }

    #[test]
    fn places_are_lines_of_the_source_file() {
        let tb = Termbase::empty();
        let html = "<html><body>\n<p>标题</p>\n<p>作者：<em>Jon Trickett</em>，\n工党的全国执行委员会（NEC）。</p>\n</body></html>\n";
        let doc = crate::document::from_bytes(
            Path::new("x.zh.html"),
            html.as_bytes(),
            crate::document::ReadOptions::default(),
        )
        .unwrap();
        let a = crate::pipeline::check_document(doc, Some("zh"), &tb);
        let mut collector = Collector::new(&tb);
        collector.add(&a);
        let out = collector.finish(&[], &Options::default());
        let seen = |id: &str| out.iter().find(|p| p.id == id).unwrap().seen.clone();
        assert_eq!(seen("jon-trickett"), ["x.zh.html:3"]);
        assert_eq!(seen("nec"), ["x.zh.html:4"]);
    }

    #[test]
    fn a_variant_of_two_concepts_belongs_to_neither() {
        let tb = termbase(
            "id,en,zh\nlabour-mps,Labour MPs,工党议员\nlabour-members,Labour members,工党党员\n\
             scg,Socialist Campaign Group,社会主义运动小组\n",
        );
        let text = "工党成员说，社会主义运动大组很好。工党成员又说，社会主义运动大组很好。";
        let out = suggest(&tb, &[("c.zh.txt", text)], Options::default());
        let ids: Vec<&str> = out.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["scg"], "{out:#?}");
        assert_eq!(out[0].forms["zh"].deprecated, ["社会主义运动大组"]);
    }

    #[test]
    fn hole_index_finds_forms_one_character_off() {
        let g = crate::glossary::csv::from_str(GLOSSARY, Path::new("t.csv")).unwrap();
        let index = HoleIndex::new(&g.concepts);
        let found = index.find("我们是社会主义运动大组的人，伊恩拉弗里");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].2, "社会主义运动小组");
    }
}
