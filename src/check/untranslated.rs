//! Text left in another language: Latin-script phrases inside a CJK document (`It shows that`,
//! `senior figures`), and CJK left inside an English one. Glossary forms, URLs, e-mail
//! addresses, numbers, short acronyms and spans other checks already explain are skipped;
//! capitalised phrases that look like personal names are only `info`.

use std::ops::Range;

use super::context::Context;
use crate::detect::Script;
use crate::flag::{Flag, Rule, Severity};
use crate::lang::{name as lang_name, with_article};
use crate::text::is_word_char;

/// Runs the check; `claimed` are spans already matched or flagged (taken as an iterator so
/// that the caller need not collect them).
pub(super) fn check(
    ctx: &Context<'_>,
    claimed: impl IntoIterator<Item = Range<usize>>,
) -> Vec<Flag> {
    let Some(lang) = ctx.lang else {
        return Vec::new();
    };
    let claimed = crate::spans::Spans::new(claimed);
    let free = |s: usize, e: usize| !claimed.overlaps(&(s..e));
    let mut flags = Vec::new();
    if ctx.is_cjk_document() {
        for run in ctx.runs.iter().filter(|r| r.script == Script::Latin) {
            for phrase in phrases(ctx.text, run.start..run.end) {
                let kept: Vec<&Range<usize>> =
                    phrase.iter().filter(|w| free(w.start, w.end)).collect();
                for group in contiguous(ctx.text, &kept) {
                    if let Some(flag) = latin_phrase(ctx, &group, lang) {
                        flags.push(flag);
                    }
                }
            }
        }
    } else if match ctx.piece {
        Some(piece) => piece.whole.latin,
        None => ctx.runs.iter().any(|r| r.script == Script::Latin),
    } {
        for run in ctx
            .runs
            .iter()
            .filter(|r| r.script == Script::Cjk && r.letters >= 2)
        {
            if !free(run.start, run.end) {
                continue;
            }
            let found = &ctx.text[run.start..run.end];
            let message = format!(
                "'{found}' is {} left untranslated in {} text",
                lang_name(run.lang),
                lang_name(lang)
            );
            flags.push(Flag::new(
                Rule::Untranslated,
                Severity::Warning,
                ctx.text,
                run.start..run.end,
                message,
            ));
        }
    }
    flags
}

/// Words of a Latin run, split into phrases at anything but single spaces.
fn phrases(text: &str, range: Range<usize>) -> Vec<Vec<Range<usize>>> {
    let mut out: Vec<Vec<Range<usize>>> = vec![Vec::new()];
    let mut start: Option<usize> = None;
    let mut last_end: Option<usize> = None;
    let slice = &text[range.clone()];
    let close =
        |s: usize, e: usize, out: &mut Vec<Vec<Range<usize>>>, last_end: &mut Option<usize>| {
            if let Some(le) = *last_end
                && text[le..s] != *" "
            {
                out.push(Vec::new());
            }
            if let Some(cur) = out.last_mut() {
                cur.push(s..e);
            }
            *last_end = Some(e);
        };
    for (i, c) in slice.char_indices() {
        let at = range.start + i;
        let inner = c == '\'' && start.is_some();
        if is_word_char(c) || inner {
            start.get_or_insert(at);
        } else if let Some(s) = start.take() {
            close(s, at, &mut out, &mut last_end);
        }
    }
    if let Some(s) = start {
        close(s, range.end, &mut out, &mut last_end);
    }
    out.retain(|p| !p.is_empty());
    out
}

/// Splits kept words into groups that were adjacent in the phrase (single spaces between).
fn contiguous(text: &str, words: &[&Range<usize>]) -> Vec<Vec<Range<usize>>> {
    let mut out: Vec<Vec<Range<usize>>> = Vec::new();
    for w in words {
        match out.last_mut() {
            Some(g) if g.last().is_some_and(|l| &text[l.end..w.start] == " ") => {
                g.push((*w).clone())
            }
            _ => out.push(vec![(*w).clone()]),
        }
    }
    out
}

fn latin_phrase(ctx: &Context<'_>, group: &[Range<usize>], lang: &str) -> Option<Flag> {
    let text = ctx.text;
    let words: Vec<&str> = group
        .iter()
        .map(|r| &text[r.clone()])
        .filter(|w| w.chars().any(|c| c.is_alphabetic()))
        .filter(|w| {
            let first = w.chars().next().unwrap_or(' ');
            !w.chars().all(|c| c.eq_ignore_ascii_case(&first))
        })
        .collect();
    let (first, last) = (group.first()?, group.last()?);
    if words.is_empty() || ctx.in_url(&(first.start..last.end)) {
        return None;
    }
    let letters = |w: &str| w.chars().filter(|c| c.is_alphabetic()).count();
    let acronym = |w: &str| w.chars().all(|c| !c.is_lowercase()) && letters(w) <= 4;
    let long_enough = words.len() >= 2 || letters(words[0]) >= 5;
    if !long_enough || (words.len() == 1 && acronym(words[0])) {
        return None;
    }
    let span = first.start..last.end;
    let found = &text[span.clone()];
    let title_case = words.len() <= 3
        && words.iter().all(|w| {
            let mut cs = w.chars();
            cs.next().is_some_and(char::is_uppercase) && cs.all(|c| c.is_lowercase() || c == '\'')
        });
    if title_case && (words.len() < 2 || looks_like_a_name(&words)) {
        let message = format!(
            "'{found}' looks like a name left in Latin script; add it to the glossary if it has {} form",
            with_article(lang_name(lang))
        );
        return Some(Flag::new(
            Rule::Untranslated,
            Severity::Info,
            text,
            span,
            message,
        ));
    }
    let message = format!(
        "'{found}' is English left untranslated in {} text",
        with_article(lang_name(lang))
    );
    Some(Flag::new(
        Rule::Untranslated,
        Severity::Warning,
        text,
        span,
        message,
    ))
}

/// English words that names of people rarely contain but titles, offices, bodies and
/// ordinary phrases do: a capitalised phrase with one of them is not a person's name.
const NOT_IN_NAMES: &[&str] = &[
    "a",
    "an",
    "and",
    "the",
    "of",
    "for",
    "in",
    "on",
    "to",
    "at",
    "by",
    "with",
    "from",
    "is",
    "are",
    "was",
    "it",
    "this",
    "that",
    "we",
    "our",
    "they",
    "general",
    "secretary",
    "shadow",
    "cabinet",
    "minister",
    "prime",
    "chancellor",
    "leader",
    "deputy",
    "chair",
    "chairman",
    "president",
    "member",
    "members",
    "office",
    "home",
    "foreign",
    "party",
    "parties",
    "committee",
    "council",
    "conference",
    "congress",
    "union",
    "unions",
    "group",
    "campaign",
    "movement",
    "national",
    "executive",
    "report",
    "inquiry",
    "review",
    "commission",
    "parliament",
    "parliamentary",
    "house",
    "commons",
    "lords",
    "government",
    "state",
    "department",
    "ministry",
    "policy",
    "election",
    "elections",
    "vote",
    "motion",
    "rule",
    "rules",
    "code",
    "conduct",
    "labour",
    "conservative",
    "liberal",
    "democrat",
    "democrats",
    "green",
    "left",
    "right",
    "new",
    "old",
    "young",
    "social",
    "socialist",
    "socialism",
    "workers",
    "working",
    "trade",
    "press",
    "news",
    "media",
    "statement",
    "letter",
    "day",
    "week",
    "year",
    "annual",
    "central",
    "regional",
    "local",
    "british",
    "english",
    "scottish",
    "welsh",
    "united",
    "kingdom",
    "european",
    "international",
    "world",
    "public",
    "service",
    "services",
    "health",
    "education",
    "housing",
    "economy",
    "budget",
    "bill",
    "act",
    "law",
    "court",
    "high",
    "supreme",
    "board",
    "unit",
    "team",
    "staff",
    "officer",
    "officers",
    "director",
    "head",
    "chief",
    "spokesperson",
    "whip",
    "front",
    "bench",
    "backbench",
    "constituency",
    "branch",
    "ward",
    "club",
    "society",
    "association",
    "federation",
    "alliance",
    "network",
    "forum",
    "centre",
    "center",
    "institute",
    "foundation",
    "trust",
    "fund",
    "action",
    "rights",
    "human",
    "equality",
    "justice",
    "freedom",
    "peace",
    "war",
    "crisis",
    "emergency",
    "summit",
    "meeting",
    "hearing",
    "speech",
    "debate",
    "question",
    "questions",
    "time",
    "first",
    "second",
    "third",
    "interim",
    "acting",
    "senior",
    "junior",
    "former",
    "current",
    "official",
    "officials",
    "document",
    "documents",
    "leaked",
    "internal",
    "external",
    "full",
    "panel",
    "dispute",
    "disputes",
    "complaint",
    "complaints",
    "process",
    "procedure",
    "tribunal",
    "appeal",
    "appeals",
    "investigation",
    "investigations",
    "governance",
    "compliance",
    "legal",
    "management",
    "membership",
    "selection",
    "candidate",
    "candidates",
    "agent",
    "organiser",
    "organizer",
    "coordinator",
    "campaigns",
    "affairs",
    "relations",
];

/// Honorifics before a person's name.
const HONORIFICS: &[&str] = &[
    "mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady", "baroness", "baron",
];

/// Whether a title-case phrase of two or three words looks like a person's name (`Brian
/// Burden`, `Sir Keir Starmer`) rather than an office, a body or an ordinary phrase left in
/// English (`General Secretary`, `Shadow Cabinet`): no word of it is one names rarely have.
fn looks_like_a_name(words: &[&str]) -> bool {
    let lower: Vec<String> = words
        .iter()
        .map(|w| w.trim_end_matches("'s").to_lowercase())
        .collect();
    if lower
        .first()
        .is_some_and(|w| HONORIFICS.contains(&w.as_str()))
    {
        return true;
    }
    !lower.iter().any(|w| NOT_IN_NAMES.contains(&w.as_str()))
}

#[cfg(test)]
mod tests {
    use crate::analysis::analyze;
    use crate::check::{Rule, Severity};
    use crate::document::Document;
    use crate::glossary::Termbase;

    fn untranslated(text: &str) -> Vec<(String, Severity)> {
        let a = analyze(Document::from_text("x", text), None);
        let tb = Termbase::empty();
        let ctx = crate::check::Context::new(text, a.detection.language, &a.runs, &a.lines, &tb);
        crate::check::run(&ctx)
            .into_iter()
            .filter(|f| f.rule == Rule::Untranslated)
            .map(|f| (f.text, f.severity))
            .collect()
    }

    #[test]
    fn english_left_in_chinese() {
        let text = "It shows that 一些工党的最高级雇员的不齿其当选的领导人,轻视自己的党员。也许可能需要一些严重的问题,询问了影响的问题‘senior figures’谁吹嘘每天早上醒来。点击下面的文字锐化IAMGE。";
        assert_eq!(
            untranslated(text),
            [
                ("It shows that".into(), Severity::Warning),
                ("senior figures".into(), Severity::Warning),
                ("IAMGE".into(), Severity::Warning)
            ]
        );
    }

    #[test]
    fn names_urls_numbers_and_short_acronyms_are_not_warnings() {
        let text = "我们的报告全文见 https://www.example.org/labour-party 和 a@b.org。凯文说,平等与人权委员会EHRC和CLP以及290000名成员都在等待党的领导层的正式答复,嗯,mmmmmmm。Brian Burden. 说:我同意这个观点和看法,这份报告必须公开。";
        let found = untranslated(text);
        assert_eq!(found, [("Brian Burden".into(), Severity::Info)]);
    }

    #[test]
    fn capitalised_phrases_that_are_not_names_are_warnings() {
        let text = "工党的General Secretary昨天在伦敦发表了一份很长的声明,表示党内的调查必须尽快公开结果。影子内阁也就是Shadow Cabinet的全体成员都出席了这次会议,会议由Sir Keir Starmer主持,Brian Burden等地方党员代表也在场旁听并提出了问题。";
        assert_eq!(
            untranslated(text),
            [
                ("General Secretary".into(), Severity::Warning),
                ("Shadow Cabinet".into(), Severity::Warning),
                ("Sir Keir Starmer".into(), Severity::Info),
                ("Brian Burden".into(), Severity::Info),
            ]
        );
    }

    #[test]
    fn chinese_left_in_english() {
        let text = "The National Executive Committee met on Monday and agreed the 紧急动议 after a long debate.";
        assert_eq!(untranslated(text), [("紧急动议".into(), Severity::Warning)]);
    }

    #[test]
    fn messages_put_the_right_article_before_the_language() {
        let text = "It shows that 一些工党的最高级雇员的不齿其当选的领导人。Brian Burden 说了。";
        let a = analyze(Document::from_text("x", text), Some("zh"));
        let tb = Termbase::empty();
        let ctx = crate::check::Context::new(text, Some("zh"), &a.runs, &a.lines, &tb);
        let words = |phrase: &str| -> Vec<std::ops::Range<usize>> {
            let at = text.find(phrase).unwrap();
            let mut pos = at;
            phrase
                .split(' ')
                .map(|w| {
                    let r = pos..pos + w.len();
                    pos += w.len() + 1;
                    r
                })
                .collect()
        };
        let message = |phrase: &str, lang: &str| {
            super::latin_phrase(&ctx, &words(phrase), lang)
                .unwrap()
                .message
                .to_string()
        };
        assert_eq!(
            message("It shows that", "zh"),
            "'It shows that' is English left untranslated in a Chinese text"
        );
        assert_eq!(
            message("It shows that", "ar"),
            "'It shows that' is English left untranslated in an Arabic text"
        );
        assert!(
            message("Brian Burden", "en").ends_with("if it has an English form"),
            "{}",
            message("Brian Burden", "en")
        );
    }
}
