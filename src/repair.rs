//! Applying repairs: the suggestions of flags marked safe (`autofix`), back to front in one
//! pass so offsets stay valid. Overlapping repairs are skipped (first in text order wins).

use crate::check::Flag;

/// The repaired text and the flags whose suggestions were applied.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    pub text: String,
    pub applied: Vec<Flag>,
}

/// Applies every safe suggestion in `flags` to `text`.
pub fn apply(text: &str, flags: &[Flag]) -> Applied {
    let mut chosen: Vec<&Flag> = flags
        .iter()
        .filter(|f| f.autofix && f.suggestion.is_some())
        .filter(|f| f.start <= f.end && f.end <= text.len())
        .filter(|f| text.is_char_boundary(f.start) && text.is_char_boundary(f.end))
        .collect();
    chosen.sort_by_key(|f| (f.start, f.end));
    let mut kept: Vec<&Flag> = Vec::with_capacity(chosen.len());
    for f in chosen {
        if kept.last().is_none_or(|k| k.end <= f.start) {
            kept.push(f);
        }
    }
    let mut out = text.to_string();
    for f in kept.iter().rev() {
        if let Some(s) = &f.suggestion {
            out.replace_range(f.start..f.end, s);
        }
    }
    Applied {
        text: out,
        applied: kept.into_iter().cloned().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{Rule, Severity};

    fn flag(text: &str, needle: &str, to: &str, safe: bool) -> Flag {
        let start = text.find(needle).unwrap();
        let f = Flag::new(
            Rule::DeprecatedTerm,
            Severity::Error,
            text,
            start..start + needle.len(),
            "m",
        )
        .suggest(to);
        if safe { f.safe() } else { f }
    }

    #[test]
    fn applies_safe_suggestions_back_to_front() {
        let text = "我们是劳动派对的 透露,Ian Lvery说";
        let flags = vec![
            flag(text, "劳动派对", "工党", true),
            flag(text, " ", "", true),
            flag(text, "Ian Lvery", "Ian Lavery", true),
            flag(text, "说", "讲", false),
        ];
        let applied = apply(text, &flags);
        assert_eq!(applied.text, "我们是工党的透露,Ian Lavery说");
        assert_eq!(applied.applied.len(), 3);
    }

    #[test]
    fn overlapping_repairs_apply_once() {
        let text = "劳动派对";
        let flags = vec![
            flag(text, "劳动派对", "工党", true),
            flag(text, "派对", "党", true),
        ];
        assert_eq!(apply(text, &flags).text, "工党");
    }
}
