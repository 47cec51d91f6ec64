//! Glossary checks: deprecated forms, glossary forms of another language left in the text,
//! one concept rendered in several accepted forms, and near misses of accepted forms.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

use super::context::Context;
use crate::flag::{Flag, Rule, Severity};
use crate::glossary::matcher::Entry;
use crate::glossary::normalize::normalize_form;
use crate::glossary::{Concept, Status};
use crate::lang::{name as lang_name, with_article};
use crate::text::is_acronym;

/// One accepted form of a concept as used in a document.
#[derive(Debug)]
struct Rendering {
    /// Normalised form, hyphens as spaces.
    key: String,
    /// The form as written in the glossary.
    form: String,
    spans: Vec<Range<usize>>,
}

/// The accepted forms each concept is written in, by concept index, in order of first use:
/// what the inconsistent-rendering check weighs once the whole document has been read.
#[derive(Debug, Default)]
pub(super) struct Renderings(HashMap<usize, Vec<Rendering>>);

impl Renderings {
    /// Adds the renderings of a later piece of the document, whose spans start at `offset`.
    pub(super) fn append(&mut self, later: Renderings, offset: usize) {
        let mut concepts: Vec<_> = later.0.into_iter().collect();
        concepts.sort_by_key(|(c, _)| *c);
        for (concept, forms) in concepts {
            let list = self.0.entry(concept).or_default();
            for r in forms {
                let spans = r.spans.iter().map(|s| s.start + offset..s.end + offset);
                match list.iter_mut().find(|o| o.key == r.key) {
                    Some(o) => o.spans.extend(spans),
                    None => list.push(Rendering {
                        spans: spans.collect(),
                        ..r
                    }),
                }
            }
        }
    }
}

/// The accepted forms of concepts that a document uses: `(concept id, language, form as in the
/// glossary)`, each once, in order of first use. Feeds the corpus-wide consistency summary,
/// which counts documents per form (one item per occurrence was hundreds of thousands of
/// string triples on a long document).
pub fn renderings(ctx: &Context<'_>) -> Vec<(String, String, String)> {
    let glossary = &ctx.termbase.glossary;
    let mut seen = HashSet::new();
    ctx.matches
        .iter()
        .filter_map(|m| {
            m.entries()
                .find(|e| Some(e.lang.as_str()) == ctx.lang && e.status.is_accepted())
        })
        .filter(|e| seen.insert((e.concept, e.lang.as_str(), e.form.as_str())))
        .map(|e| {
            (
                glossary.concepts[e.concept].id.clone(),
                e.lang.clone(),
                e.form.clone(),
            )
        })
        .collect()
}

/// Of several accepted forms of one concept, those that count as distinct renderings:
/// acronyms and forms contained in another (a surname after the full name) are normal style.
pub fn distinct_renderings<'a>(forms: &[&'a str]) -> Vec<&'a str> {
    let key = |f: &str| normalize_form(f).replace('-', " ");
    let keys: Vec<String> = forms.iter().map(|f| key(f)).collect();
    let mut out: Vec<&str> = Vec::new();
    for (f, k) in forms.iter().zip(&keys) {
        let contained = keys.iter().any(|o| o != k && o.contains(k.as_str()));
        if !is_acronym(f) && !contained && !out.iter().any(|o| key(o) == *k) {
            out.push(f);
        }
    }
    out
}

/// Runs the glossary checks.
pub(super) fn check(ctx: &Context<'_>) -> Vec<Flag> {
    let (mut flags, renderings) = check_but_consistency(ctx);
    flags.extend(consistency(
        ctx.text,
        ctx.lang,
        ctx.termbase,
        renderings,
        &flags,
    ));
    flags
}

/// The glossary checks but the inconsistent renderings, which need the whole document: its
/// flags and the renderings to weigh once it has all been read ([`consistency`]).
pub(super) fn check_but_consistency(ctx: &Context<'_>) -> (Vec<Flag>, Renderings) {
    let mut flags = Vec::new();
    let mut renderings: HashMap<usize, Vec<Rendering>> = HashMap::new();
    // A deprecated-term message depends only on the text found and the concept and language
    // of its entry: a long document repeats a few dozen of them tens of thousands of times,
    // so each is built once and its flags share it.
    let mut deprecated_messages: HashMap<(&str, usize, &str), Arc<str>> = HashMap::new();
    let political = match ctx.piece {
        Some(piece) => piece.whole.political,
        None => political_document(ctx),
    };
    for m in &ctx.matches {
        let found = &ctx.text[m.span.clone()];
        let in_lang = |e: &&Entry| Some(e.lang.as_str()) == ctx.lang;
        if let Some(e) = m.entries().filter(in_lang).find(|e| e.status.is_accepted()) {
            let list = renderings.entry(e.concept).or_default();
            // `witch-hunt` and `witch hunt` are one rendering, typed two ways.
            let key = normalize_form(&e.form).replace('-', " ");
            match list.iter_mut().find(|r| r.key == key) {
                Some(r) => r.spans.push(m.span.clone()),
                None => list.push(Rendering {
                    key,
                    form: e.form.clone(),
                    spans: vec![m.span.clone()],
                }),
            }
            continue;
        }
        let deprecated = m
            .entries()
            .filter(|e| e.status == Status::Deprecated)
            .min_by_key(|e| Some(e.lang.as_str()) != ctx.lang);
        if let Some(e) = deprecated {
            // 保守派对此表示: a word ending in 派 followed by the preposition 对, not 派对.
            if crate::glossary::derive::dui_continues(found, &ctx.text[m.span.end..]) {
                continue;
            }
            if is_bare_part(ctx.termbase, e) && !party_sense(ctx, m.span.clone(), political) {
                continue;
            }
            let message = deprecated_messages
                .entry((found, e.concept, e.lang.as_str()))
                .or_insert_with(|| deprecated_message(ctx, found, e));
            flags.push(deprecated_flag(ctx, m.span.clone(), e, message.clone()));
            continue;
        }
        // An accepted form of another language only: left untranslated.
        if let Some(lang) = ctx.lang
            && let Some(e) = m.entries().next()
        {
            let concept = &ctx.termbase.glossary.concepts[e.concept];
            if let Some(target) = concept
                .preferred(lang)
                .or_else(|| concept.accepted(lang).next())
            {
                let message = format!(
                    "'{found}' is the {} form of '{}', left untranslated in {} text; use '{target}'",
                    lang_name(&e.lang),
                    display_name(concept),
                    with_article(lang_name(lang))
                );
                flags.push(
                    Flag::new(
                        Rule::Untranslated,
                        Severity::Warning,
                        ctx.text,
                        m.span.clone(),
                        message,
                    )
                    .suggest(target)
                    .concept(&concept.id),
                );
            }
        }
    }
    let near = misspelled(ctx);
    // A near miss of a long name explains the shorter exact forms inside it.
    if !near.is_empty() {
        let within = crate::spans::Spans::new(near.iter().map(|f| f.start..f.end));
        flags.retain(|f| !within.overlaps(&(f.start..f.end)));
    }
    flags.extend(near);
    (flags, Renderings(renderings))
}

/// The inconsistent renderings of a document's `renderings`, but where a near miss among
/// `flags` explains them (a near miss of a long name explains the shorter forms inside it).
pub(super) fn consistency(
    text: &str,
    lang: Option<&str>,
    termbase: &crate::glossary::Termbase,
    renderings: Renderings,
    flags: &[Flag],
) -> Vec<Flag> {
    let near = crate::spans::Spans::new(
        flags
            .iter()
            .filter(|f| f.rule == Rule::MisspelledTerm)
            .map(|f| f.start..f.end),
    );
    inconsistent(text, lang, termbase, renderings.0)
        .into_iter()
        .filter(|f| !near.overlaps(&(f.start..f.end)))
        .collect()
}

/// Whether a deprecated entry is a bare wrong part (派对 or 聚会 for 党): a concept whose
/// preferred form is one Han character. Such words are right in their everyday sense (a
/// birthday 派对), so they are flagged only where a party in politics is meant.
fn is_bare_part(termbase: &crate::glossary::Termbase, e: &Entry) -> bool {
    e.derived.is_none()
        && termbase.glossary.concepts[e.concept]
            .preferred(&e.lang)
            .is_some_and(|p| p.chars().count() == 1 && p.chars().all(crate::text::is_cjk))
}

/// Whether the document is about party politics: it names at least two concepts of the
/// glossary besides bare parts (工党, 全国执行委员会, a person).
fn political_document(ctx: &Context<'_>) -> bool {
    political(&ctx.matches, ctx.termbase, &mut HashSet::new())
}

/// Whether `matches`, after the concepts already `seen` in the document, make it about party
/// politics: two concepts besides bare parts. A long document is read piece by piece.
pub(super) fn political(
    matches: &[crate::glossary::matcher::Match<'_>],
    termbase: &crate::glossary::Termbase,
    seen: &mut HashSet<usize>,
) -> bool {
    for m in matches {
        for e in m.entries() {
            if !is_bare_part(termbase, e) {
                seen.insert(e.concept);
            }
        }
        if seen.len() >= 2 {
            return true;
        }
    }
    seen.len() >= 2
}

/// Words before 派对/聚会 that make it a celebration (生日派对, 参加聚会).
const CELEBRATION: &[&str] = &[
    "办", "举办", "举行", "参加", "生日", "圣诞", "欢迎", "化装", "街头", "家庭", "同学", "毕业",
    "晚", "告别", "庆功", "庆祝", "舞会", "朋友", "一场", "一次", "小型",
];

/// Words after a bare part that make it the party in politics (派对领袖, 派对的政策).
const POLITICAL_AFTER: &[&str] = &[
    "领袖",
    "领导",
    "党员",
    "成员",
    "政策",
    "主席",
    "总书记",
    "高层",
    "内部",
    "纪律",
    "候选人",
    "议员",
    "章程",
    "基层",
    "总部",
    "路线",
    "官员",
    "机器",
    "的领导",
    "的政策",
    "的成员",
];

/// Whether a bare wrong part at `span` means a political party: not after a celebration
/// word, and in a political document or before a political word.
fn party_sense(ctx: &Context<'_>, span: Range<usize>, political: bool) -> bool {
    let before = &ctx.text[..span.start];
    let after = &ctx.text[span.end..];
    // 开派对 is to throw a party; 离开派对 and 召开 are not.
    let opened = before.ends_with('开')
        && ![
            "离开", "召开", "展开", "公开", "分开", "打开", "避开", "撇开",
        ]
        .iter()
        .any(|w| before.ends_with(w));
    if opened || CELEBRATION.iter().any(|w| before.ends_with(w)) {
        return false;
    }
    political || POLITICAL_AFTER.iter().any(|w| after.starts_with(w))
}

/// Whether the sentence around `span` is written in Latin script (more Latin letters than
/// CJK characters): an English sentence quoted in a Chinese document.
fn latin_sentence(text: &str, span: Range<usize>) -> bool {
    let ends = |c: char| matches!(c, '。' | '！' | '？' | '\n' | '；');
    let start = text[..span.start]
        .char_indices()
        .rev()
        .find(|&(_, c)| ends(c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = text[span.end..]
        .char_indices()
        .find(|&(_, c)| ends(c))
        .map_or(text.len(), |(i, _)| span.end + i);
    let sentence = &text[start..end];
    let latin = sentence.chars().filter(|c| c.is_ascii_alphabetic()).count();
    let cjk = sentence.chars().filter(|&c| crate::text::is_cjk(c)).count();
    latin > cjk * 2
}

/// The English name of a concept for messages (its id when it has none).
fn display_name(concept: &Concept) -> &str {
    concept.preferred("en").unwrap_or(&concept.id)
}

/// The message of a `deprecated-term` flag on `found`, a form of `e`.
fn deprecated_message(ctx: &Context<'_>, found: &str, e: &Entry) -> Arc<str> {
    let glossary = &ctx.termbase.glossary;
    let concept = &glossary.concepts[e.concept];
    let preferred = concept.preferred(&e.lang);
    if let Some(d) = ctx.termbase.matcher.derivation(e) {
        let part = &glossary.concepts[d.part];
        return format!(
            "'{found}' is '{}' with '{}' written '{}', a known mistranslation of '{}': a wrong form of '{}'; use '{}'",
            d.from,
            d.right,
            d.wrong,
            display_name(part),
            display_name(concept),
            preferred.unwrap_or(&d.from)
        )
        .into();
    }
    let mut message = match preferred {
        Some(p) => format!(
            "'{found}' is a known mistranslation of '{}'; use '{p}'",
            display_name(concept)
        ),
        None => format!(
            "'{found}' is marked wrong for '{}' in the glossary",
            display_name(concept)
        ),
    };
    if let Some(note) = &concept.note {
        message.push_str(". ");
        message.push_str(note);
    }
    message.into()
}

/// A `deprecated-term` flag on `span`, a form of `e`, with its message.
fn deprecated_flag(ctx: &Context<'_>, span: Range<usize>, e: &Entry, message: Arc<str>) -> Flag {
    let concept = &ctx.termbase.glossary.concepts[e.concept];
    let preferred = concept.preferred(&e.lang);
    let flag = Flag::new(
        Rule::DeprecatedTerm,
        Severity::Error,
        ctx.text,
        span,
        message,
    )
    .concept(&concept.id);
    match preferred {
        Some(p) => flag.suggest(p).safe(),
        None => flag,
    }
}

/// Minority renderings of a concept that appears in two or more accepted forms. Acronyms and
/// forms contained in another form used for the same concept (a surname after the full name)
/// are normal style, not inconsistency.
fn inconsistent(
    text: &str,
    lang: Option<&str>,
    termbase: &crate::glossary::Termbase,
    renderings: HashMap<usize, Vec<Rendering>>,
) -> Vec<Flag> {
    let mut flags = Vec::new();
    let mut concepts: Vec<_> = renderings.into_iter().collect();
    concepts.sort_by_key(|(c, _)| *c);
    for (ci, forms) in concepts {
        let mut full: Vec<&Rendering> = forms
            .iter()
            .filter(|r| {
                !is_acronym(&r.form)
                    && !forms
                        .iter()
                        .any(|o| o.key != r.key && o.key.contains(r.key.as_str()))
            })
            .collect();
        if full.len() < 2 {
            continue;
        }
        let concept = &termbase.glossary.concepts[ci];
        let preferred = lang
            .and_then(|l| concept.preferred(l))
            .map(|p| normalize_form(p).replace('-', " "));
        full.sort_by_key(|r| {
            (
                std::cmp::Reverse(r.spans.len()),
                Some(&r.key) != preferred.as_ref(),
            )
        });
        let (majority, majority_spans) = (&full[0].form, &full[0].spans);
        for Rendering { form, spans, .. } in &full[1..] {
            for span in spans {
                let times = majority_spans.len();
                let message = format!(
                    "'{}' is written '{form}' here but '{majority}' {times} time{} elsewhere in this document; use one form throughout",
                    display_name(concept),
                    if times == 1 { "" } else { "s" }
                );
                flags.push(
                    Flag::new(
                        Rule::InconsistentRendering,
                        Severity::Warning,
                        text,
                        span.clone(),
                        message,
                    )
                    .suggest(majority.clone())
                    .concept(&concept.id),
                );
            }
        }
    }
    flags
}

/// Near misses: Latin-script forms within edit distance, Chinese names one character off.
fn misspelled(ctx: &Context<'_>) -> Vec<Flag> {
    let exclude = ctx.match_spans();
    let glossary = &ctx.termbase.glossary;
    let mut flags = Vec::new();
    for miss in ctx.termbase.fuzzy.find(ctx.text, &ctx.norm, &exclude) {
        let found = &ctx.text[miss.span.clone()];
        let (ci, near, dist) = &miss.candidates[0];
        let concept = &glossary.concepts[*ci];
        // Suggest a form the language of the sentence accepts: in an English sentence (of any
        // document) the near form itself; else the near form when the document's language
        // accepts it (`Ian Lavery` in Chinese text), else the concept's preferred form in
        // that language.
        let near_ok = latin_sentence(ctx.text, miss.span.clone())
            || ctx
                .lang
                .is_none_or(|l| concept.accepted(l).any(|f| f == near));
        let suggestion = if near_ok {
            near.clone()
        } else {
            ctx.lang
                .and_then(|l| concept.preferred(l))
                .unwrap_or(near)
                .to_string()
        };
        let unambiguous = miss.candidates.len() == 1;
        let mut message = format!(
            "'{found}' looks like a misspelling of '{near}' ({dist} edit{})",
            if *dist == 1 { "" } else { "s" }
        );
        if !unambiguous {
            let others: Vec<&str> = miss.candidates[1..].iter().map(|c| c.1.as_str()).collect();
            message.push_str(&format!("; it is also close to '{}'", others.join("', '")));
        }
        let severity = if unambiguous {
            Severity::Error
        } else {
            Severity::Warning
        };
        let flag = Flag::new(Rule::MisspelledTerm, severity, ctx.text, miss.span, message)
            .suggest(suggestion)
            .concept(&concept.id);
        flags.push(if unambiguous { flag.safe() } else { flag });
    }
    for miss in ctx.termbase.fuzzy.find_han(ctx.text, &ctx.norm, &exclude) {
        let found = &ctx.text[miss.span.clone()];
        let (ci, near, _) = &miss.candidates[0];
        let concept = &glossary.concepts[*ci];
        let message = if concept.kind == Some(crate::glossary::Kind::Person) {
            format!(
                "'{found}' differs from the usual transliteration '{near}' of '{}' by one character",
                display_name(concept)
            )
        } else {
            format!(
                "'{found}' is one character off '{near}', the name of '{}'",
                display_name(concept)
            )
        };
        flags.push(
            Flag::new(
                Rule::MisspelledTerm,
                Severity::Warning,
                ctx.text,
                miss.span,
                message,
            )
            .suggest(near.clone())
            .concept(&concept.id),
        );
    }
    flags
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::analysis::analyze;
    use crate::document::Document;
    use crate::glossary::{Termbase, csv};

    /// A small termbase written for these tests.
    fn termbase() -> Termbase {
        let csv = "id,kind,en,en.admitted,en.deprecated,zh,zh.admitted,zh.deprecated,note\n\
            labour-party,org,Labour Party,Labour,,工党,,劳动派对|劳工党,party name\n\
            tory,org,Conservative Party,Tories,,保守党,托利党,托里,\n\
            antisemitism,term,antisemitism,,,反犹太主义,反犹主义,反抗主义,\n\
            ian-lavery,person,Ian Lavery,,,伊恩·拉弗里,Ian Lavery,,\n\
            nec,org,National Executive Committee,NEC,National Executive Council,全国执行委员会,NEC,,\n\
            party,term,party,political party,,党,,派对|聚会,\n\
            partygate,event,Partygate,,,派对门,,,\n";
        Termbase::new(csv::from_str(csv, Path::new("test.csv")).unwrap()).unwrap()
    }

    /// The glossary flags of `text`, in text order.
    fn flags(text: &str) -> Vec<Flag> {
        flags_in(text, None)
    }

    /// The same, with the document language given (`--lang`).
    fn flags_in(text: &str, lang: Option<&'static str>) -> Vec<Flag> {
        let termbase = termbase();
        let a = analyze(Document::from_text("t.txt", text), lang);
        let ctx = Context::new(text, a.detection.language, &a.runs, &a.lines, &termbase);
        let mut flags = check(&ctx);
        flags.sort_by_key(|f| (f.start, f.rule));
        flags
    }

    fn brief(flags: &[Flag]) -> Vec<(Rule, &str, Option<&str>)> {
        flags
            .iter()
            .map(|f| (f.rule, f.text.as_str(), f.suggestion.as_deref()))
            .collect()
    }

    #[test]
    fn deprecated_forms_are_errors_with_the_preferred_form_and_a_shared_message() {
        let text = "我们是劳动派对的成员。劳动派对和托里开会。劳动派对赢了。";
        let found = flags(text);
        assert_eq!(
            brief(&found),
            [
                (Rule::DeprecatedTerm, "劳动派对", Some("工党")),
                (Rule::DeprecatedTerm, "劳动派对", Some("工党")),
                (Rule::DeprecatedTerm, "托里", Some("保守党")),
                (Rule::DeprecatedTerm, "劳动派对", Some("工党")),
            ]
        );
        assert!(
            found
                .iter()
                .all(|f| f.severity == Severity::Error && f.autofix)
        );
        assert_eq!(found[0].concept.as_deref(), Some("labour-party"));
        assert!(
            found[0]
                .message
                .contains("known mistranslation of 'Labour Party'")
                && found[0].message.ends_with("party name"),
            "{}",
            found[0].message
        );
        assert!(
            Arc::ptr_eq(&found[0].message, &found[3].message),
            "one message per form and concept"
        );
    }

    #[test]
    fn an_english_deprecated_form_in_english_text() {
        let found = flags("The National Executive Council met on Monday.");
        assert_eq!(
            brief(&found),
            [(
                Rule::DeprecatedTerm,
                "National Executive Council",
                Some("National Executive Committee")
            )]
        );
    }

    #[test]
    fn another_language_s_form_is_untranslated_unless_the_language_accepts_it() {
        let found = flags_in(
            "工党的领袖和Conservative Party的领袖都说话了。Ian Lavery也说了。",
            Some("zh"),
        );
        assert_eq!(
            brief(&found),
            [(Rule::Untranslated, "Conservative Party", Some("保守党"))],
            "Ian Lavery is an admitted Chinese form"
        );
        assert_eq!(found[0].severity, Severity::Warning);
        assert!(!found[0].autofix, "never applied without a person");
    }

    #[test]
    fn an_untranslated_form_names_the_text_s_language_with_its_article() {
        let found = flags_in("The 保守党 won the vote in London.", Some("en"));
        assert_eq!(
            brief(&found),
            [(Rule::Untranslated, "保守党", Some("Conservative Party"))]
        );
        assert!(
            found[0].message.contains(
                "is the Chinese form of 'Conservative Party', left untranslated in an English text"
            ),
            "{}",
            found[0].message
        );
        let found = flags_in("工党的领袖和Conservative Party的领袖都说话了。", Some("zh"));
        assert!(
            found[0]
                .message
                .contains("left untranslated in a Chinese text"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn minority_renderings_are_inconsistent_but_not_acronyms_or_contained_forms() {
        let text = "反犹太主义是问题。反犹太主义必须结束。反犹主义也是。全国执行委员会（NEC）开会，NEC投票。";
        let found = flags(text);
        assert_eq!(
            brief(&found),
            [(Rule::InconsistentRendering, "反犹主义", Some("反犹太主义"))],
            "NEC beside 全国执行委员会 is normal style"
        );
        assert!(
            found[0].message.contains("'反犹太主义' 2 times elsewhere"),
            "{}",
            found[0].message
        );
        // A tie goes to the preferred form.
        let tie = flags("反犹主义是问题。反犹太主义必须结束。");
        assert_eq!(
            brief(&tie),
            [(Rule::InconsistentRendering, "反犹主义", Some("反犹太主义"))]
        );
        assert!(
            tie[0].message.contains("'反犹太主义' 1 time elsewhere"),
            "{}",
            tie[0].message
        );
    }

    #[test]
    fn near_misses_of_names_are_misspellings_suggesting_a_form_of_the_text_s_language() {
        let found = flags("Ian Lvery spoke for the Labour Party.");
        assert_eq!(
            brief(&found),
            [(Rule::MisspelledTerm, "Ian Lvery", Some("Ian Lavery"))]
        );
        assert!(found[0].autofix && found[0].severity == Severity::Error);
        assert!(
            found[0].message.contains("(1 edit)"),
            "{}",
            found[0].message
        );
        let zh = flags("伊恩·拉弗利是工党议员。");
        assert_eq!(
            brief(&zh),
            [(Rule::MisspelledTerm, "伊恩·拉弗利", Some("伊恩·拉弗里"))]
        );
        assert_eq!(
            zh[0].severity,
            Severity::Warning,
            "one character off: a person decides"
        );
    }

    #[test]
    fn derived_forms_take_the_whole_s_preferred_form_and_bare_parts_need_a_party_sense() {
        let found = flags("我们反对托利派对的政策。全国执行委员会开会了。保守派对此表示欢迎。");
        assert_eq!(
            brief(&found),
            [(Rule::DeprecatedTerm, "托利派对", Some("保守党"))],
            "not the part's 党; 保守派 + 对此 is no 派对"
        );
        assert!(
            found[0]
                .message
                .contains("'托利党' with '党' written '派对'")
        );
        // A bare 派对: wrong in a political text, right at a birthday and in 派对门.
        let political = flags("工党和保守党都说,这个派对必须改革。");
        assert_eq!(
            brief(&political),
            [(Rule::DeprecatedTerm, "派对", Some("党"))]
        );
        assert!(flags("工党和保守党的议员都去参加了生日派对。").is_empty());
        assert!(flags("周末我们开派对,大家在聚会上唱歌。").is_empty());
        assert_eq!(
            brief(&flags("派对领袖说了。")),
            [(Rule::DeprecatedTerm, "派对", Some("党"))],
            "a political word after it"
        );
        assert!(flags("工党议员谈到派对门丑闻和全国执行委员会。").is_empty());
    }

    #[test]
    fn renderings_list_accepted_forms_of_the_text_s_language_once() {
        let termbase = termbase();
        let text = "工党和保守党。工党又开会了。Labour Party.";
        let a = analyze(Document::from_text("t.txt", text), None);
        let ctx = Context::new(text, a.detection.language, &a.runs, &a.lines, &termbase);
        let got = renderings(&ctx);
        let got: Vec<(&str, &str, &str)> = got
            .iter()
            .map(|(c, l, f)| (c.as_str(), l.as_str(), f.as_str()))
            .collect();
        assert_eq!(
            got,
            [("labour-party", "zh", "工党"), ("tory", "zh", "保守党")]
        );
    }

    #[test]
    fn distinct_renderings_ignore_acronyms_spelling_variants_and_contained_forms() {
        assert_eq!(
            distinct_renderings(&["witch-hunt", "witch hunt", "NEC", "Lavery", "Ian Lavery"]),
            ["witch-hunt", "Ian Lavery"]
        );
        assert_eq!(
            distinct_renderings(&["反犹主义", "反犹太主义"]),
            ["反犹主义", "反犹太主义"]
        );
    }
}
