//! The checks: running every rule family in order over one analysed document and resolving
//! overlapping flags. One file per rule family; [`Flag`] itself lives in [`crate::flag`].

mod artifact;
pub mod bilingual;
mod context;
pub mod corpus;
mod numbers;
pub mod pieces;
mod repeated;
mod script;
pub mod terms;
mod untranslated;

use std::ops::Range;

use crate::analysis::Analysis;
pub use crate::flag::{Flag, Rule, Severity};
use crate::glossary::Termbase;
use crate::lines::LineIndex;
pub use context::Context;

/// Which flag stays when two overlap: the one whose fix also removes the other. Mojibake
/// comes first: a glossary near miss inside it (`Jon Trickettå` before `å°†`) is the garble's.
fn priority(flag: &Flag) -> u8 {
    if flag.steps.is_some() {
        return 0;
    }
    match flag.rule {
        Rule::RepeatedText => 1,
        Rule::DeprecatedTerm => 2,
        Rule::MisspelledTerm => 3,
        Rule::Untranslated => 4,
        Rule::Artifact => 5,
        Rule::NumberAnomaly => 6,
        _ => 7,
    }
}

/// Runs every monolingual check over an analysed document and stores its flags and the
/// glossary renderings it uses (for the corpus-wide drift check).
pub fn document(analysis: &mut Analysis, termbase: &Termbase) {
    let ctx = Context::new(
        &analysis.doc.text,
        analysis.detection.language,
        &analysis.runs,
        &analysis.lines,
        termbase,
    );
    let flags = gather(&ctx);
    analysis.renderings = terms::renderings(&ctx);
    // Resolving needs neither the normalised text nor the glossary matches: free them first.
    drop(ctx);
    analysis.flags = finish(
        &analysis.doc.text,
        &analysis.lines,
        flags,
        (analysis.scripts, analysis.region),
        termbase,
    );
}

/// The last steps over a document's gathered flags, checked whole or in pieces: the
/// Simplified/Traditional leftovers of the whole text added, overlapping flags resolved, and
/// suggestions written in the text's script.
fn finish(
    text: &str,
    lines: &LineIndex,
    mut flags: Vec<Flag>,
    (scripts, region): (crate::hanzi::Shares, Option<crate::hanzi::Region>),
    termbase: &Termbase,
) -> Vec<Flag> {
    flags.extend(script::check(text, scripts, region));
    let mut flags = resolve(text, lines, flags);
    if let Some(script) = scripts.script() {
        in_script(&mut flags, script, region, termbase);
    }
    flags
}

/// Suggestions written in the script (and region) of the text they are for, and quoted so in
/// their message: a Traditional text is told 保守黨, not 保守党. The rest of a message (the
/// flagged text, the glossary's notes) is left as written. The glossary may be written in
/// either script; a concept's `zh-Hant`/`zh-TW`/`zh-HK` form, where it has one, is used as it is.
fn in_script(
    flags: &mut [Flag],
    script: crate::hanzi::Script,
    region: Option<crate::hanzi::Region>,
    termbase: &Termbase,
) {
    use crate::hanzi::convert;
    for flag in flags.iter_mut() {
        let concept = flag.concept.as_deref().and_then(|id| termbase.concept(id));
        if let Some(s) = &flag.suggestion {
            // The concept's own form for this script and region, when the suggestion is its
            // preferred Chinese form; else the suggestion converted.
            let local = concept
                .filter(|c| c.preferred("zh") == Some(s.as_str()))
                .and_then(|c| c.preferred_chinese(script, region));
            let converted = local.unwrap_or_else(|| convert(s, script, region));
            if &converted != s {
                let message = flag
                    .message
                    .replace(&format!("'{s}'"), &format!("'{converted}'"));
                flag.message = message.into();
                flag.suggestion = Some(converted);
            }
        }
        // Other glossary forms quoted in the message ("written '反犹主义' here"), the flagged
        // text aside.
        let keep = [Some(flag.text.as_str()), flag.suggestion.as_deref()];
        let message = quoted_in_script(&flag.message, &keep, script, region);
        if *message != *flag.message {
            flag.message = message.into();
        }
    }
}

/// `message` with each `'quoted'` Chinese form but those in `keep` written in `script`.
fn quoted_in_script(
    message: &str,
    keep: &[Option<&str>],
    script: crate::hanzi::Script,
    region: Option<crate::hanzi::Region>,
) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(open) = rest.find('\'') {
        let Some(close) = rest[open + 1..].find('\'') else {
            break;
        };
        let quoted = &rest[open + 1..open + 1 + close];
        out.push_str(&rest[..=open]);
        if !keep.contains(&Some(quoted)) && quoted.chars().any(crate::text::is_cjk_letter) {
            out.push_str(&crate::hanzi::convert(quoted, script, region));
        } else {
            out.push_str(quoted);
        }
        out.push('\'');
        rest = &rest[open + 2 + close..];
    }
    out.push_str(rest);
    out
}

/// Runs every monolingual check over a document and returns its flags, located and in order.
pub fn run(ctx: &Context<'_>) -> Vec<Flag> {
    resolve(ctx.text, ctx.lines, gather(ctx))
}

/// The first half of [`run`]: every monolingual check's flags, overlapping ones not yet
/// resolved. Split from [`resolve`] so that a caller can drop the context (its normalised copy
/// of the text and its glossary matches) before resolving, which is where a long document's
/// flags take the most memory.
pub fn gather(ctx: &Context<'_>) -> Vec<Flag> {
    other_families(ctx, terms::check(ctx))
}

/// [`gather`] for a piece of a long document: all but the inconsistent renderings, which are
/// weighed once the whole document has been read, from the renderings returned.
fn gather_piece(ctx: &Context<'_>) -> (Vec<Flag>, terms::Renderings) {
    let (flags, renderings) = terms::check_but_consistency(ctx);
    (other_families(ctx, flags), renderings)
}

/// The glossary checks' `flags` and those of the other rule families after them.
fn other_families(ctx: &Context<'_>, mut flags: Vec<Flag>) -> Vec<Flag> {
    flags.extend(artifact::check(ctx));
    flags.extend(repeated::check(ctx));
    flags.extend(numbers::check(ctx));
    let claimed = ctx
        .match_span_iter()
        .chain(flags.iter().map(|f| f.start..f.end));
    let left = untranslated::check(ctx, claimed);
    flags.extend(left);
    flags
}

/// One rule family, to run on its own (benchmarks).
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// Deprecated, untranslated glossary forms, inconsistent renderings, near misses.
    Terms,
    Artifact,
    Repeated,
    Numbers,
    /// Text left in another language (after the glossary matches).
    Untranslated,
}

/// The flags of one rule family, before overlapping flags are resolved (benchmarks).
#[doc(hidden)]
pub fn run_family(ctx: &Context<'_>, family: Family) -> Vec<Flag> {
    match family {
        Family::Terms => terms::check(ctx),
        Family::Artifact => artifact::check(ctx),
        Family::Repeated => repeated::check(ctx),
        Family::Numbers => numbers::check(ctx),
        Family::Untranslated => untranslated::check(ctx, ctx.match_span_iter()),
    }
}

/// The second half of [`run`]: drops flags that overlap a flag of higher priority and repeats
/// of a flag (same rule and span), then sorts and locates the rest in `text`. Works in place,
/// linear in the number of flags (up to a log factor), however long the document.
pub fn resolve(text: &str, lines: &LineIndex, mut flags: Vec<Flag>) -> Vec<Flag> {
    // `sort_by_cached_key` is stable and sorts (key, index) pairs, so it needs no scratch
    // copy of half the flags as `sort_by_key` does.
    flags.sort_by_cached_key(|f| (priority(f), f.start, f.end));
    // Spans of kept flags of strictly higher priority, and of the current priority level.
    let mut higher = crate::spans::Spans::default();
    let mut level: Vec<Range<usize>> = Vec::new();
    let mut current = None;
    // Repeats share priority, start and end, so the sort made them neighbours: the rules kept
    // for the current (priority, start, end) are all it takes to spot them.
    let mut group = None;
    let mut group_rules: Vec<Rule> = Vec::new();
    // `retain` visits the flags once, in order.
    flags.retain(|flag| {
        let p = priority(flag);
        if current != Some(p) {
            for r in level.drain(..) {
                higher.insert(r);
            }
            current = Some(p);
        }
        if higher.overlaps(&(flag.start..flag.end)) {
            return false;
        }
        if group != Some((p, flag.start, flag.end)) {
            group = Some((p, flag.start, flag.end));
            group_rules.clear();
        }
        if group_rules.contains(&flag.rule) {
            return false;
        }
        group_rules.push(flag.rule);
        level.push(flag.start..flag.end);
        true
    });
    flags.shrink_to_fit();
    flags.sort_by_cached_key(|f| (f.start, f.end, priority(f)));
    crate::flag::locate_sorted(text, lines, &mut flags);
    flags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_keeps_the_higher_priority_and_drops_repeats() {
        let text = "abcdefghij";
        let flag = |rule, span: Range<usize>, message: &str| {
            Flag::new(rule, Severity::Warning, text, span, message)
        };
        let flags = vec![
            flag(Rule::NumberAnomaly, 6..8, "number"),
            flag(Rule::Artifact, 2..4, "under a deprecated term"),
            flag(Rule::InconsistentRendering, 9..10, "first"),
            flag(Rule::DeprecatedTerm, 3..5, "deprecated"),
            flag(Rule::MissingTerm, 9..10, "other rule, same span"),
            flag(Rule::InconsistentRendering, 9..10, "repeat"),
            flag(Rule::NumberAnomaly, 7..9, "same level"),
        ];
        let lines = LineIndex::new(text);
        let kept: Vec<(Rule, String, usize)> = resolve(text, &lines, flags)
            .into_iter()
            .map(|f| (f.rule, f.message.to_string(), f.column))
            .collect();
        let expected = [
            (Rule::DeprecatedTerm, "deprecated", 4),
            (Rule::NumberAnomaly, "number", 7),
            (Rule::NumberAnomaly, "same level", 8),
            (Rule::InconsistentRendering, "first", 10),
            (Rule::MissingTerm, "other rule, same span", 10),
        ];
        let expected: Vec<(Rule, String, usize)> = expected
            .into_iter()
            .map(|(r, m, c)| (r, m.to_string(), c))
            .collect();
        assert_eq!(kept, expected);
    }
}
