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
use crate::lang::name as lang_name;
use crate::text::is_acronym;

/// One accepted form of a concept as used in a document.
struct Rendering {
    /// Normalised form, hyphens as spaces.
    key: String,
    /// The form as written in the glossary.
    form: String,
    spans: Vec<Range<usize>>,
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
    let mut flags = Vec::new();
    let mut renderings: HashMap<usize, Vec<Rendering>> = HashMap::new();
    // A deprecated-term message depends only on the text found and the concept and language
    // of its entry: a long document repeats a few dozen of them tens of thousands of times,
    // so each is built once and its flags share it.
    let mut deprecated_messages: HashMap<(&str, usize, &str), Arc<str>> = HashMap::new();
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
                    "'{found}' is the {} form of '{}', left untranslated in a {} text; use '{target}'",
                    lang_name(&e.lang),
                    display_name(concept),
                    lang_name(lang)
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
    flags.extend(inconsistent(ctx, renderings));
    flags.extend(misspelled(ctx));
    flags
}

/// The English name of a concept for messages (its id when it has none).
fn display_name(concept: &Concept) -> &str {
    concept.preferred("en").unwrap_or(&concept.id)
}

/// The message of a `deprecated-term` flag on `found`, a form of `e`.
fn deprecated_message(ctx: &Context<'_>, found: &str, e: &Entry) -> Arc<str> {
    let concept = &ctx.termbase.glossary.concepts[e.concept];
    let preferred = concept.preferred(&e.lang);
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
fn inconsistent(ctx: &Context<'_>, renderings: HashMap<usize, Vec<Rendering>>) -> Vec<Flag> {
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
        let concept = &ctx.termbase.glossary.concepts[ci];
        let preferred = ctx
            .lang
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
                let message = format!(
                    "'{}' is written '{form}' here but '{majority}' {} time(s) elsewhere in this document; use one form throughout",
                    display_name(concept),
                    majority_spans.len()
                );
                flags.push(
                    Flag::new(
                        Rule::InconsistentRendering,
                        Severity::Warning,
                        ctx.text,
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
        // Suggest a form the document's language accepts: the near form itself when it is one
        // (`Ian Lavery` in Chinese text), else the concept's preferred form in that language.
        let near_ok = ctx
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
        let message = format!(
            "'{found}' differs from the usual transliteration '{near}' of '{}' by one character",
            display_name(concept)
        );
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
