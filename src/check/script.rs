//! Half-converted text: Simplified characters inside a Traditional text (or the reverse), as a
//! repost converted by hand or by a tool that missed some leaves them. Each run of characters
//! of the other script is an artifact whose fix is the run written in the text's own script,
//! converted in its context (发 becomes 發 or 髮 by the phrase it is in).

use crate::flag::{Flag, Rule, Severity};
use crate::hanzi::{self, Script, Shares};

/// How much of a text's telling characters must be in one script before characters of the
/// other are taken for leftovers rather than a text that mixes on purpose.
const DOMINANT: f64 = 0.8;

/// Characters of context converted on each side of a run.
const CONTEXT: usize = 6;

/// Flags runs of the minority script in a text written mostly in one.
pub(super) fn check(text: &str, shares: Shares, region: Option<hanzi::Region>) -> Vec<Flag> {
    let Some(script) = shares.script() else {
        return Vec::new();
    };
    if shares.share(script) < DOMINANT {
        return Vec::new();
    }
    let other = match script {
        Script::Hans => Script::Hant,
        Script::Hant => Script::Hans,
    };
    let mut flags = Vec::new();
    // One pass; a run of the other script is converted with its context when it ends.
    let mut run: Option<usize> = None;
    let ends = text
        .char_indices()
        .map(|(i, c)| (i, Some(c)))
        .chain([(text.len(), None)]);
    for (i, c) in ends {
        let telling = c.and_then(hanzi::telling);
        match (run, telling == Some(other)) {
            (None, true) => run = Some(i),
            (Some(start), false) => {
                run = None;
                if let Some(fixed) = in_context(text, start..i, script, region) {
                    let found = &text[start..i];
                    let message = format!(
                        "'{found}' is written in {} characters in a {} text; write '{fixed}'",
                        name(other),
                        name(script)
                    );
                    flags.push(
                        Flag::new(Rule::Artifact, Severity::Warning, text, start..i, message)
                            .suggest(fixed)
                            .safe(),
                    );
                }
            }
            _ => {}
        }
    }
    flags
}

fn name(script: Script) -> &'static str {
    match script {
        Script::Hans => "Simplified",
        Script::Hant => "Traditional",
    }
}

/// The characters of `span` written in `script`, converted with a few characters of context
/// on each side; `None` when the conversion does not keep one character for one.
fn in_context(
    text: &str,
    span: std::ops::Range<usize>,
    script: Script,
    region: Option<hanzi::Region>,
) -> Option<String> {
    let before: Vec<char> = text[..span.start].chars().rev().take(CONTEXT).collect();
    let after: Vec<char> = text[span.end..].chars().take(CONTEXT).collect();
    let window_start = span.start - before.iter().map(|c| c.len_utf8()).sum::<usize>();
    let window_end = span.end + after.iter().map(|c| c.len_utf8()).sum::<usize>();
    let window = &text[window_start..window_end];
    let converted: Vec<char> = hanzi::convert(window, script, region).chars().collect();
    if converted.len() != window.chars().count() {
        return None;
    }
    let n = text[span.clone()].chars().count();
    let fixed: String = converted[before.len()..before.len() + n].iter().collect();
    (fixed != text[span]).then_some(fixed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simplified_leftovers_in_a_traditional_text_are_flagged_with_their_traditional_form() {
        let text = "我們是工黨的全國競選協調員，我們反對保守黨政府的政策，並且要求立即进行調查。";
        let shares = Shares::of(text);
        let flags = check(text, shares, None);
        let found: Vec<(&str, Option<&str>)> = flags
            .iter()
            .map(|f| (f.text.as_str(), f.suggestion.as_deref()))
            .collect();
        assert_eq!(found, [("进", Some("進"))]);
        assert!(flags[0].autofix);
    }

    #[test]
    fn a_text_that_mixes_on_purpose_or_writes_one_script_is_left_alone() {
        for text in [
            "我们是工党的全国竞选协调员，我们反对保守党政府。",
            "我們是工黨的全國競選協調員，我们是工党的全国竞选协调员。",
            "台灣的工黨支持者。",
        ] {
            assert!(check(text, Shares::of(text), None).is_empty(), "{text}");
        }
    }
}
