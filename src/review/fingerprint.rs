//! Stable names for flags: a fingerprint is a hash of the rule, the concept, the normalised
//! flagged text, the normalised text around it and its ordinal among flags alike in all of
//! these, so that a reviewer's decision finds its flag again in a regenerated report, and in
//! a file edited elsewhere, without trusting offsets.

use std::collections::HashMap;

use sha2::{Digest, Sha256};
use unicode_normalization::UnicodeNormalization;

use crate::flag::Flag;
use crate::hanzi;

/// Characters of context taken on each side of a flag, within its line.
pub const CONTEXT: usize = 12;

/// The text as fingerprints compare it: NFKC, Traditional folded onto Simplified, lower case,
/// white space runs as one space, trimmed.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.nfkc().map(hanzi::fold).flat_map(char::to_lowercase) {
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
    }
    out
}

/// The fingerprint's parts but the ordinal: rule, concept, text and context, hashed.
fn base(rule: &str, concept: Option<&str>, text: &str, span: std::ops::Range<usize>) -> [u8; 32] {
    let start = span.start.min(text.len());
    let end = span.end.clamp(start, text.len());
    let (before, flagged, after) = match (text.get(..start), text.get(start..end), text.get(end..))
    {
        (Some(b), Some(f), Some(a)) => (b, f, a),
        // Not on character boundaries: fingerprint what is there, without context.
        _ => ("", "", ""),
    };
    let before: String = {
        let line = before.rsplit('\n').next().unwrap_or("");
        let mut chars: Vec<char> = line.chars().rev().take(CONTEXT).collect();
        chars.reverse();
        chars.into_iter().collect()
    };
    let after: String = after
        .chars()
        .take_while(|&c| c != '\n')
        .take(CONTEXT)
        .collect();
    let mut h = Sha256::new();
    for part in [
        "transmend-fingerprint-1",
        rule,
        concept.unwrap_or(""),
        &normalize(flagged),
        &normalize(&before),
        &normalize(&after),
    ] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    h.finalize().into()
}

/// The fingerprint of the `ordinal`-th place alike in rule, concept, text and context.
fn finish(base: &[u8; 32], ordinal: usize) -> String {
    let mut h = Sha256::new();
    h.update(base);
    h.update((ordinal as u64).to_le_bytes());
    let digest = h.finalize();
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// Sets the fingerprint of every flag of a document (`text` is the text the flags' offsets
/// point into), in document order.
pub fn assign(text: &str, flags: &mut [Flag]) {
    let mut order: Vec<usize> = (0..flags.len()).collect();
    order.sort_by_key(|&i| (flags[i].start, flags[i].end));
    let mut seen: HashMap<[u8; 32], usize> = HashMap::new();
    for i in order {
        let f = &flags[i];
        let b = base(f.rule.id(), f.concept.as_deref(), text, f.start..f.end);
        let ordinal = seen.entry(b).or_insert(0);
        let print = finish(&b, *ordinal);
        *ordinal += 1;
        flags[i].fingerprint = Some(print);
    }
}

/// Where in `text` a flag of this rule, concept and flagged text with this fingerprint is:
/// each place the text occurs is fingerprinted as a flag there would be. `None` when no place
/// matches (the text or its context changed). An empty flagged text is looked for at `hint`
/// only.
pub fn locate(
    text: &str,
    rule: &str,
    concept: Option<&str>,
    flagged: &str,
    fingerprint: &str,
    hint: Option<std::ops::Range<usize>>,
) -> Option<std::ops::Range<usize>> {
    if flagged.is_empty() {
        let hint = hint?;
        let b = base(rule, concept, text, hint.clone());
        return (finish(&b, 0) == fingerprint).then_some(hint);
    }
    let mut seen: HashMap<[u8; 32], usize> = HashMap::new();
    for (start, _) in text.match_indices(flagged) {
        let span = start..start + flagged.len();
        let b = base(rule, concept, text, span.clone());
        let ordinal = seen.entry(b).or_insert(0);
        if finish(&b, *ordinal) == fingerprint {
            return Some(span);
        }
        *ordinal += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flag::{Rule, Severity};

    fn flags_at(text: &str, needle: &str) -> Vec<Flag> {
        text.match_indices(needle)
            .map(|(i, _)| {
                Flag::new(
                    Rule::DeprecatedTerm,
                    Severity::Error,
                    text,
                    i..i + needle.len(),
                    "m",
                )
                .concept("conservative-party")
            })
            .collect()
    }

    fn prints(text: &str, needle: &str) -> Vec<String> {
        let mut flags = flags_at(text, needle);
        assign(text, &mut flags);
        flags.into_iter().map(|f| f.fingerprint.unwrap()).collect()
    }

    #[test]
    fn the_same_text_in_two_places_has_two_fingerprints() {
        let text = "托里说了一句话。后来，托里又说了一句。";
        let p = prints(text, "托里");
        assert_eq!(p.len(), 2);
        assert_ne!(p[0], p[1]);
        assert_eq!(p[0].len(), 16);
    }

    #[test]
    fn identical_places_differ_by_their_ordinal() {
        let text = "托里来了。\n\n托里来了。\n\n托里来了。";
        let p = prints(text, "托里");
        assert_eq!(p.len(), 3);
        assert!(p[0] != p[1] && p[1] != p[2] && p[0] != p[2]);
    }

    #[test]
    fn a_regenerated_report_and_an_edit_elsewhere_keep_fingerprints() {
        let text = "开头的一段话，和这里无关。\n\n我们反对托里的政策，托里必须下台。\n";
        let first = prints(text, "托里");
        assert_eq!(first, prints(text, "托里"), "deterministic");
        let edited = text.replace(
            "开头的一段话，和这里无关。",
            "完全不同的开头，长了很多很多。",
        );
        assert_eq!(first, prints(&edited, "托里"));
        // A change next to the flag is a different place.
        let near = text.replace("我们反对托里", "他们支持托里");
        assert_ne!(first[0], prints(&near, "托里")[0]);
    }

    #[test]
    fn fingerprints_ignore_script_width_and_case_but_not_rule_or_concept() {
        let a = "我們反對托里的政策";
        let b = "我们反对托里的政策";
        assert_eq!(prints(a, "托里"), prints(b, "托里"));
        let mut other = flags_at(b, "托里");
        other[0].concept = None;
        assign(b, &mut other);
        assert_ne!(
            other[0].fingerprint.as_deref(),
            Some(prints(b, "托里")[0].as_str())
        );
        assert_eq!(normalize("  ＮＥＣ \n\t Meeting "), "nec meeting");
    }

    #[test]
    fn locate_finds_each_place_again_after_the_text_moved() {
        let text = "托里说了一句话。后来，托里又说了一句。";
        let p = prints(text, "托里");
        let moved = format!("新加的第一段。\n\n{text}");
        let second = locate(
            &moved,
            "deprecated-term",
            Some("conservative-party"),
            "托里",
            &p[1],
            None,
        )
        .unwrap();
        assert_eq!(&moved[second.clone()], "托里");
        assert!(moved[..second.start].contains("后来"));
        assert_eq!(
            locate(&moved, "deprecated-term", None, "托里", &p[1], None),
            None,
            "another concept is another flag"
        );
        let gone = moved.replace("后来，托里", "后来，保守党");
        assert_eq!(
            locate(
                &gone,
                "deprecated-term",
                Some("conservative-party"),
                "托里",
                &p[1],
                None
            ),
            None
        );
    }
}
