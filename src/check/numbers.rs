//! Implausible numbers: impossible dates (`20020年`, month 13, day 32, `July 44`), and digit
//! groups broken by stray separators (`1,0000`, `12,34,567`).

use super::context::Context;
use crate::flag::{Flag, Rule, Severity};
use crate::text::MONTHS;

/// Runs the number checks.
pub(super) fn check(ctx: &Context<'_>) -> Vec<Flag> {
    let text = ctx.text;
    let mut flags = Vec::new();
    let numbers = digit_runs(text);
    for (k, &(s, e, value, digits)) in numbers.iter().enumerate() {
        let next = text[e..].chars().next();
        let unit_end = e + next.map_or(0, char::len_utf8);
        let flag = |message: String| {
            Flag::new(
                Rule::NumberAnomaly,
                Severity::Warning,
                text,
                s..unit_end,
                message,
            )
        };
        match next {
            Some('年') if digits >= 5 => flags.push(flag(format!(
                "a year with {digits} digits: '{}' cannot be a year",
                &text[s..unit_end]
            ))),
            Some('月') if value == 0 || value > 12 => {
                flags.push(flag(format!("there is no month {value}")));
            }
            Some('日' | '号') if (value == 0 || value > 31) && preceded_by_month(text, s) => {
                flags.push(flag(format!("no month has a day {value}")));
            }
            _ => {}
        }
        // Month name and day in English: `July 44 2020`, `44 July`.
        let before = text[..s].trim_end();
        let after = text[e..].trim_start();
        let named = |w: &str| MONTHS.iter().any(|m| w.eq_ignore_ascii_case(m));
        let word_before = before
            .rsplit(|c: char| !c.is_alphabetic())
            .next()
            .unwrap_or("");
        let word_after = after
            .split(|c: char| !c.is_alphabetic())
            .next()
            .unwrap_or("");
        if digits <= 2 && (value == 0 || value > 31) && (named(word_before) || named(word_after)) {
            flags.push(Flag::new(
                Rule::NumberAnomaly,
                Severity::Warning,
                text,
                s..e,
                format!("no month has a day {value}"),
            ));
        }
        // ISO-style dates with an impossible month or day: 2020-13-01, 2020/02/45.
        if digits == 4
            && let (Some(m), Some(d)) = (numbers.get(k + 1), numbers.get(k + 2))
            && let (Some(sep1), Some(sep2)) = (text.get(e..m.0), text.get(m.1..d.0))
            && sep1 == sep2
            && matches!(sep1, "-" | "/" | ".")
            && m.3 <= 2
            && d.3 <= 2
            && (m.2 == 0 || m.2 > 12 || d.2 == 0 || d.2 > 31)
        {
            flags.push(Flag::new(
                Rule::NumberAnomaly,
                Severity::Warning,
                text,
                s..d.1,
                format!("'{}' is not a possible date", &text[s..d.1]),
            ));
        }
    }
    broken_groups(text, &mut flags);
    flags
}

/// Whether a Chinese day number follows a month (`4月13日`), so that `32日` alone (a count of
/// days) is not taken for a date.
fn preceded_by_month(text: &str, s: usize) -> bool {
    text[..s].ends_with('月')
}

/// Runs of ASCII or full-width digits: `(start, end, value, digit count)`.
fn digit_runs(text: &str) -> Vec<(usize, usize, u64, usize)> {
    let mut out = Vec::new();
    let mut cur: Option<(usize, u64, usize)> = None;
    let mut last_end = 0;
    for (i, c) in text.char_indices() {
        let d = match c {
            '0'..='9' => Some(c as u64 - '0' as u64),
            '０'..='９' => Some(c as u64 - '０' as u64),
            _ => None,
        };
        match (d, cur.as_mut()) {
            (Some(d), Some((_, v, n))) => {
                *v = v.saturating_mul(10).saturating_add(d);
                *n += 1;
            }
            (Some(d), None) => {
                let preceded_by_word = text[..i]
                    .chars()
                    .next_back()
                    .is_some_and(|p| p.is_ascii_alphabetic() || p == '.');
                cur = if preceded_by_word {
                    None
                } else {
                    Some((i, d, 1))
                };
                if preceded_by_word {
                    // Skip digits glued to a word or decimal part (`v2`, `2.5`): mark with max.
                    cur = Some((i, u64::MAX, usize::MAX / 2));
                }
            }
            (None, Some(_)) => {
                if let Some((s, v, n)) = cur.take()
                    && n < usize::MAX / 4
                {
                    out.push((s, i, v, n));
                }
            }
            (None, None) => {}
        }
        last_end = i + c.len_utf8();
    }
    if let Some((s, v, n)) = cur
        && n < usize::MAX / 4
    {
        out.push((s, last_end, v, n));
    }
    out
}

/// Thousands separators in the wrong places: groups after the first must have three digits.
fn broken_groups(text: &str, flags: &mut Vec<Flag>) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit()
            || (i > 0 && (bytes[i - 1].is_ascii_digit() || bytes[i - 1] == b','))
        {
            i += 1;
            continue;
        }
        let start = i;
        let mut groups: Vec<usize> = Vec::new();
        let mut len = 0;
        let mut j = i;
        while j < bytes.len() {
            if bytes[j].is_ascii_digit() {
                len += 1;
            } else if bytes[j] == b','
                && j + 1 < bytes.len()
                && bytes[j + 1].is_ascii_digit()
                && len > 0
            {
                groups.push(len);
                len = 0;
            } else {
                break;
            }
            j += 1;
        }
        groups.push(len);
        let grouped = groups.len() >= 2;
        let some_three = groups[1..].contains(&3);
        let bad = groups[0] > 3 || groups[1..].iter().any(|&g| g != 3);
        if grouped && some_three && bad || grouped && groups[1..].iter().any(|&g| g > 3) {
            let message = format!(
                "'{}': digit groups broken by a stray separator (groups after the first have three digits)",
                &text[start..j]
            );
            flags.push(Flag::new(
                Rule::NumberAnomaly,
                Severity::Warning,
                text,
                start..j,
                message,
            ));
        }
        i = j.max(i + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glossary::Termbase;
    use crate::lines::LineIndex;

    fn flagged(text: &str) -> Vec<String> {
        let tb = Termbase::empty();
        let lines = LineIndex::new(text);
        let ctx = Context::new(text, Some("zh"), &[], &lines, &tb);
        check(&ctx).into_iter().map(|f| f.text).collect()
    }

    #[test]
    fn impossible_dates() {
        assert_eq!(
            flagged("由Jon Trickett和Ian Lavery,20020年4月13日论坛圈"),
            ["20020年"]
        );
        assert_eq!(flagged("2020年13月1日"), ["13月"]);
        assert_eq!(flagged("2020年7月44日"), ["44日"]);
        assert_eq!(flagged("motion agreed on July 44 2020"), ["44"]);
        assert_eq!(
            flagged("on 2020-13-01 and 2020/02/45"),
            ["2020-13-01", "2020/02/45"]
        );
    }

    #[test]
    fn broken_digit_groups() {
        assert_eq!(flagged("10,0000 members"), ["10,0000"]);
        assert_eq!(flagged("12,34,567 votes"), ["12,34,567"]);
    }

    #[test]
    fn plausible_numbers_are_fine() {
        for fine in [
            "290000名成员",
            "290,000名党员",
            "2020年4月13日",
            "1,2,3",
            "增长了2.5个百分点",
            "July 4 2020",
            "持续了45日",
            "第１２月",
        ] {
            assert!(flagged(fine).is_empty(), "{fine}: {:?}", flagged(fine));
        }
    }
}
