//! Mojibake: text that went through the wrong decoder, found and repaired line by line.
//!
//! A line that looks like mojibake (`badness`) is re-encoded in each code page it may have
//! been read with and read back as UTF-8 (`utf8`): run by run where characters the code
//! page lacks split the line, then sequence by sequence where real accented text sits beside
//! the mojibake (`spans`), then C1 controls as windows-1252 punctuation. Chinese read the
//! wrong way (`cjk`) comes last. A candidate is kept only when it lowers the badness and does
//! not bring in a script on thin evidence; the steps repeat until nothing changes (double and
//! triple encodings). Garble whose bytes are gone (锟斤拷, 烫烫烫, UTF-8 read as GBK with bytes
//! lost) is reported by `garbles`, never repaired.
//! Measured on ftfy's public test cases by `examples/mojibake_accuracy.rs` (see the README).

mod badness;
mod cjk;
pub mod codec;
mod spans;
mod utf8;

use std::fmt;
use std::ops::Range;

pub use badness::badness;
pub use cjk::Legacy;
use codec::{Codec, is_c1};
use unicode_script::{Script, UnicodeScript};

/// One step of a repair, in the order applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Encoded in a code page, then decoded as UTF-8.
    Utf8 {
        codec: Codec,
        /// A space read back as the 0xA0 byte it replaced.
        restored_a0: bool,
        /// Sequences with a lost byte became U+FFFD.
        lossy: bool,
        /// CESU-8 surrogate pairs or Java's `C0 80`.
        variant: bool,
    },
    /// UTF-8 sequences decoded one by one from mixed windows-1252 and Latin-1.
    Utf8Pieces,
    /// C1 control characters read as the windows-1252 characters of the same bytes.
    C1,
    /// Encoded in a code page, then decoded as a legacy Chinese encoding.
    Legacy { codec: Codec, legacy: Legacy },
    /// Encoded as GBK, then decoded as UTF-8.
    Gbk,
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Step::Utf8 {
                codec,
                restored_a0,
                lossy,
                variant,
            } => {
                write!(f, "encoded as {}", codec.name())?;
                if restored_a0 {
                    write!(f, ", spaces restored to byte A0")?;
                }
                if lossy {
                    write!(f, ", sequences with lost bytes replaced by U+FFFD")?;
                }
                let utf8 = if variant {
                    "UTF-8 (CESU-8/Java variant)"
                } else {
                    "UTF-8"
                };
                write!(f, ", decoded as {utf8}")
            }
            Step::Utf8Pieces => {
                write!(
                    f,
                    "sequences encoded as windows-1252/Latin-1 and decoded as UTF-8 one by one"
                )
            }
            Step::C1 => write!(f, "C1 control characters decoded as windows-1252"),
            Step::Legacy { codec, legacy } => {
                write!(
                    f,
                    "encoded as {}, decoded as {}",
                    codec.name(),
                    legacy.name()
                )
            }
            Step::Gbk => write!(f, "encoded as GBK, decoded as UTF-8"),
        }
    }
}

impl Step {
    /// What went wrong, undone by this step.
    fn mistake(&self) -> String {
        match *self {
            Step::Utf8 { codec, variant, .. } => {
                let what = if variant { "CESU-8" } else { "UTF-8" };
                format!("{what} text read as {}", codec.name())
            }
            Step::Utf8Pieces => "UTF-8 text read as windows-1252".into(),
            Step::C1 => "windows-1252 punctuation read as Latin-1 control characters".into(),
            Step::Legacy { codec, legacy } => {
                format!("Chinese {} text read as {}", legacy.name(), codec.name())
            }
            Step::Gbk => "UTF-8 Chinese read as GBK".into(),
        }
    }
}

/// A stretch of mojibake and its repair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mojibake {
    /// Byte span in the text.
    pub span: Range<usize>,
    /// The repaired text.
    pub fixed: String,
    /// The steps that repair it, in order.
    pub steps: Vec<Step>,
}

impl Mojibake {
    /// What went wrong, most recent mistake last (`UTF-8 text read as windows-1252, twice`).
    pub fn kind(&self) -> String {
        // Runs of the same mistake, most recent last, counted.
        let mut runs: Vec<(String, usize)> = Vec::new();
        for step in self.steps.iter().rev() {
            let kind = step.mistake();
            match runs.last_mut() {
                Some((last, n)) if *last == kind => *n += 1,
                _ => runs.push((kind, 1)),
            }
        }
        let named: Vec<String> = runs
            .into_iter()
            .map(|(kind, n)| match n {
                1 => kind,
                2 => format!("{kind}, twice"),
                _ => format!("{kind}, three times or more"),
            })
            .collect();
        named.join(", then ")
    }

    /// The repair's steps, for messages: `encoded as windows-1252, decoded as UTF-8; then ...`.
    pub fn explanation(&self) -> String {
        let steps: Vec<String> = self.steps.iter().map(ToString::to_string).collect();
        steps.join("; then ")
    }
}

/// Garble whose original bytes are gone: reported, never repaired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Garble {
    /// Byte span in the text.
    pub span: Range<usize>,
    /// What produced it and what can still be read.
    pub explanation: String,
}

/// A span of a line and what replaces it.
type Change = (Range<usize>, String);

/// A repaired line: its offset, the line, the repaired text and the steps.
type LineRepair<'a> = (usize, &'a str, String, Vec<Step>);

/// Every repairable stretch of mojibake in `text`. Only repaired lines are kept (a Chinese
/// document has every line to try, and can be tens of MiB): the document-wide decisions
/// below read the text's lines a second time instead.
pub fn find(text: &str) -> Vec<Mojibake> {
    let scripts = Scripts::of(text);
    let lines = || {
        text.split_inclusive('\n').scan(0, |offset, line| {
            let at = *offset;
            *offset += line.len();
            Some((at, line))
        })
    };
    let mut repaired: Vec<LineRepair<'_>> = lines()
        .filter(|(_, line)| !line.is_ascii())
        .filter_map(|(at, line)| fix_line(line, &scripts).map(|(t, steps)| (at, line, t, steps)))
        .collect();
    // The lines not repaired on their own evidence, for the document-wide passes.
    let mut done = repaired.iter().map(|r| r.0).peekable();
    let mut others = Vec::new();
    for (at, line) in lines() {
        if done.next_if_eq(&at).is_none() && !line.is_ascii() {
            others.push((at, line));
        }
    }
    // A document most of whose repaired lines were read one legacy Chinese way was read that
    // way throughout: its other lines get the same reading on slighter evidence.
    let mut later: Vec<LineRepair<'_>> = Vec::new();
    if let Some((codec, legacy)) = dominant_legacy(&repaired) {
        others.retain(|&(at, line)| match cjk::legacy_known(line, codec, legacy) {
            Some(text) => {
                later.push((at, line, text, vec![Step::Legacy { codec, legacy }]));
                false
            }
            None => true,
        });
    }
    // Accented letters of UTF-8 read as GBK inside Latin words, when a document has two or
    // more (one `iPhone茅` is as likely a brand beside a Chinese word).
    let latin: Vec<(usize, &str, Vec<Change>)> = others
        .into_iter()
        .filter(|(_, line)| line.chars().any(cjk::is_han))
        .map(|(at, line)| (at, line, cjk::utf8_as_gbk_latin(line)))
        .filter(|(_, _, found)| !found.is_empty())
        .collect();
    if latin.iter().map(|(_, _, found)| found.len()).sum::<usize>() >= 2 {
        for (at, line, found) in latin {
            later.push((at, line, splice(line, found), vec![Step::Gbk]));
        }
    }
    if !later.is_empty() {
        repaired.extend(later);
        repaired.sort_by_key(|r| r.0);
    }
    let mut out = Vec::new();
    for (offset, line, fixed, steps) in repaired {
        let found = hunks(line, &fixed);
        let spans: Vec<Range<usize>> = found.iter().map(|h| h.0.clone()).collect();
        let shown = tokens_outside(line, &spans);
        for (span, replacement) in found {
            if discussed(line, &span, &replacement, &shown) {
                continue;
            }
            out.push(Mojibake {
                span: offset + span.start..offset + span.end,
                fixed: replacement,
                steps: steps.clone(),
            });
        }
    }
    out
}

/// The legacy Chinese reading behind at least two repaired lines and most of them.
fn dominant_legacy(repaired: &[LineRepair<'_>]) -> Option<(Codec, Legacy)> {
    let mut counts: Vec<((Codec, Legacy), usize)> = Vec::new();
    for (_, _, _, steps) in repaired {
        if let [Step::Legacy { codec, legacy }] = steps.as_slice() {
            match counts.iter_mut().find(|(k, _)| *k == (*codec, *legacy)) {
                Some(entry) => entry.1 += 1,
                None => counts.push(((*codec, *legacy), 1)),
            }
        }
    }
    let (key, n) = counts.into_iter().max_by_key(|(_, n)| *n)?;
    (n >= 2 && n * 2 > repaired.len()).then_some(key)
}

/// Whether a line talks about the mojibake rather than suffering from it: the stretch is a
/// token of its own, quoted (`“Ã©”`, `` `â€™` ``) or with its repair also standing alone
/// elsewhere on the line (`é read as Latin-1 gives Ã©`).
fn discussed(line: &str, span: &Range<usize>, replacement: &str, shown: &Tokens<'_>) -> bool {
    let before = line[..span.start].chars().next_back();
    let after = line[span.end..].chars().next();
    let quoted = matches!(
        (before, after),
        (Some('"'), Some('"'))
            | (Some('\''), Some('\''))
            | (Some('`'), Some('`'))
            | (Some('“'), Some('”'))
            | (Some('‘'), Some('’'))
            | (Some('«'), Some('»'))
            | (Some('「'), Some('」'))
    );
    let alone =
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric);
    quoted || alone && shown.contains(replacement.trim())
}

/// The words of a line outside its mojibake, trimmed of punctuation: what `discussed` looks a
/// repair up in, once per line.
type Tokens<'a> = rustc_hash::FxHashSet<&'a str>;

/// `hunks` are in order and apart, as `hunks` gives them, so one pass over both does.
fn tokens_outside<'a>(line: &'a str, hunks: &[Range<usize>]) -> Tokens<'a> {
    let mut out = Tokens::default();
    let mut start = None;
    let mut next = 0;
    let mut push = |s: usize, e: usize| {
        while hunks.get(next).is_some_and(|h| h.end <= s) {
            next += 1;
        }
        if hunks.get(next).is_none_or(|h| e <= h.start) {
            let word = line[s..e].trim_matches(|c: char| !c.is_alphanumeric());
            if !word.is_empty() {
                out.insert(word);
            }
        }
    };
    for (i, c) in line.char_indices() {
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                push(s, i);
            }
        } else {
            start.get_or_insert(i);
        }
    }
    if let Some(s) = start {
        push(s, line.len());
    }
    out
}

/// The text with every repairable mojibake stretch replaced.
pub fn repair(text: &str) -> String {
    splice(text, find(text).into_iter().map(|m| (m.span, m.fixed)))
}

/// A document's file name when it is mojibake: the repaired name and why. Reported, never
/// renamed.
pub fn file_name(path: &std::path::Path) -> Option<(String, String)> {
    let name = path.file_name()?.to_str()?;
    let found = find(name);
    let first = found.first()?;
    let fixed = splice(
        name,
        found.iter().map(|m| (m.span.clone(), m.fixed.as_str())),
    );
    let message = format!(
        "the file name is mojibake ({}; repaired by: {}); it should read '{fixed}'",
        first.kind(),
        first.explanation()
    );
    Some((fixed, message))
}

/// Repairs one line, step after step until nothing changes.
fn fix_line(line: &str, scripts: &Scripts<'_>) -> Option<(String, Vec<Step>)> {
    let mut current = line.to_string();
    let mut steps = Vec::new();
    while steps.len() < 6 {
        match one_step(&current, scripts, true) {
            Some((next, more)) if next != current => {
                current = next;
                steps.extend(more);
            }
            _ => break,
        }
    }
    (!steps.is_empty()).then_some((current, steps))
}

/// The best repair of `line` that lowers its badness, as the repaired line and its steps
/// (two when decoding the whole line only pays off with the next step: `Г‚ВЈ` → `Â£` → `£`).
fn one_step(line: &str, scripts: &Scripts<'_>, look_ahead: bool) -> Option<(String, Vec<Step>)> {
    if line.is_ascii() || !suspect(line) {
        return None;
    }
    let before = badness(line);
    if before > 0 {
        // Lowest badness first, then fewest characters left undecoded.
        let mut best: Option<((u32, usize), String, Step)> = None;
        for codec in Codec::ALL {
            if let Some((candidate, step, leftover)) = whole_runs(line, codec, scripts, 0) {
                let after = badness(&candidate);
                let key = (after, leftover);
                if after < before && best.as_ref().is_none_or(|b| key < b.0) {
                    best = Some((key, candidate, step));
                }
            }
        }
        if let Some((_, candidate, step)) = best {
            return Some((candidate, vec![step]));
        }
        // A whole legacy Chinese reading is stronger evidence than UTF-8 sequences picked
        // out one by one (`¹¤»á¹¤µ³` holds `á¹¤`, which is `Ṥ` in UTF-8).
        if let Some((candidate, codec, legacy)) = cjk::legacy(line) {
            return Some((candidate, vec![Step::Legacy { codec, legacy }]));
        }
        if let Some((candidate, count, long)) = spans::pieces(line) {
            let after = badness(&candidate);
            // A single two-byte sequence beside real text from a code page's high half is too
            // thin to act on (`Bremer/Mccoy – DrÃ¥ber`); a pile-up that stays bad is left whole.
            // Curly quotes and apostrophes are everywhere in clean text; other high-half
            // characters (`–`, `€`, `å`) are the evidence that the line was read right.
            let images = line
                .chars()
                .filter(|&c| codec::images(c).is_some() && !matches!(c, '’' | '‘' | '“' | '”'))
                .count();
            let thin = count == 1 && !long && images > 2;
            if after < before && after * 3 <= before && !thin && scripts.allow(line, &candidate) {
                return Some((candidate, vec![Step::Utf8Pieces]));
            }
        }
        if line.chars().any(is_c1) {
            let candidate: String = line.chars().map(|c| c1_to_1252(c).unwrap_or(c)).collect();
            if candidate != line {
                return Some((candidate, vec![Step::C1]));
            }
        }
        if look_ahead {
            // A whole line that decodes but looks no better yet may be one layer of two.
            for codec in Codec::ALL {
                if let Some((candidate, step, 0)) = whole_runs(line, codec, scripts, 3)
                    && candidate.chars().filter(|&c| is_c1(c)).count()
                        <= line.chars().filter(|&c| is_c1(c)).count()
                    && let Some((next, more)) = one_step(&candidate, scripts, false)
                    && badness(&next) < before
                {
                    let mut steps = vec![step];
                    steps.extend(more);
                    return Some((next, steps));
                }
            }
        }
    }
    let exact: Vec<_> = cjk::utf8_as_gbk(line)
        .into_iter()
        .filter_map(|(span, found)| match found {
            cjk::AsUtf8::Exact(text) => Some((span, text)),
            cjk::AsUtf8::Lost(_) => None,
        })
        .collect();
    if !exact.is_empty() {
        return Some((splice(line, exact), vec![Step::Gbk]));
    }
    None
}

/// Whether `line` holds anything a repair could start from: a character some code page's high
/// half produces, or Han characters (for the Chinese repairs).
fn suspect(line: &str) -> bool {
    line.chars()
        .any(|c| !c.is_ascii() && (codec::images(c).is_some() || cjk::is_han(c)))
}

/// Each run of characters `codec` can encode, re-encoded and read as UTF-8 where that lowers
/// the run's badness; the line, the step and how many non-ASCII characters were left as they
/// were, when some run changed. Runs split only at characters no code page produces (Han,
/// emoji); a line holding a character another code page produces is not this one's.
///
/// A run is taken when its badness drops, or rises by less than `slack`.
fn whole_runs(
    line: &str,
    codec: Codec,
    scripts: &Scripts<'_>,
    slack: u32,
) -> Option<(String, Step, usize)> {
    let mut changes = Vec::new();
    let mut extras = utf8::Extras::default();
    if !codec::explains(codec, line) {
        return None;
    }
    let ends = codec::runs(line, |c| c == '\u{FFFD}' || codec.encode_char(c).is_some());
    let mut leftover = 0;
    for run in ends {
        let text = &line[run.clone()];
        if text.is_ascii() {
            continue;
        }
        let decoded = utf8::encode(codec, text).and_then(|units| utf8::decode(&units));
        let Some((decoded, more)) = decoded else {
            leftover += text.chars().filter(|c| !c.is_ascii()).count();
            continue;
        };
        if decoded != text
            && badness(&decoded) < badness(text) + slack
            && scripts.allow(text, &decoded)
        {
            extras.restored_a0 |= more.restored_a0;
            extras.lossy |= more.lossy;
            extras.variant |= more.variant;
            changes.push((run, decoded));
        }
    }
    if changes.is_empty() {
        return None;
    }
    let step = Step::Utf8 {
        codec,
        restored_a0: extras.restored_a0,
        lossy: extras.lossy,
        variant: extras.variant,
    };
    Some((splice(line, changes), step, leftover))
}

/// `line` with each span replaced.
fn splice<S: AsRef<str>>(
    line: &str,
    changes: impl IntoIterator<Item = (Range<usize>, S)>,
) -> String {
    let mut out = String::with_capacity(line.len());
    let mut last = 0;
    for (span, text) in changes {
        out.push_str(&line[last..span.start]);
        out.push_str(text.as_ref());
        last = span.end;
    }
    out.push_str(&line[last..]);
    out
}

/// A C1 control as the windows-1252 character of the same byte (when it has one).
fn c1_to_1252(c: char) -> Option<char> {
    if !is_c1(c) {
        return None;
    }
    Some(Codec::Windows1252.decode_byte(c as u32 as u8)).filter(|d| !is_c1(*d))
}

/// The scripts of `text`'s non-ASCII characters.
fn scripts_in(text: &str) -> Vec<Script> {
    let mut seen = Vec::new();
    for c in text.chars().filter(|c| !c.is_ascii()) {
        let s = c.script();
        if !seen.contains(&s) {
            seen.push(s);
        }
    }
    seen
}

/// The scripts a document's letters are written in, so a repair does not bring in a new one
/// on the strength of a single character. Gathered on first use: most documents have no
/// candidate repair to ask about, and a scan of every character is not free.
struct Scripts<'t> {
    text: &'t str,
    seen: std::cell::OnceCell<Vec<Script>>,
}

impl<'t> Scripts<'t> {
    fn of(text: &'t str) -> Scripts<'t> {
        Scripts {
            text,
            seen: std::cell::OnceCell::new(),
        }
    }

    fn uses(&self, script: Script) -> bool {
        self.seen
            .get_or_init(|| scripts_in(self.text))
            .contains(&script)
    }

    /// A repair of `before` into `after` may add characters of a script the document does not
    /// use (Latin and Greek aside, for names and symbols) only on more than one sequence's
    /// evidence.
    fn allow(&self, before: &str, after: &str) -> bool {
        let mut added: Vec<(Script, usize)> = Vec::new();
        // The scripts `before` holds, gathered once (not per character of `after`).
        let held = std::cell::OnceCell::new();
        let before_has = |s: Script| held.get_or_init(|| scripts_in(before)).contains(&s);
        for c in after.chars().filter(|c| !c.is_ascii()) {
            let s = c.script();
            if matches!(
                s,
                Script::Common | Script::Inherited | Script::Latin | Script::Greek
            ) || self.uses(s) && before_has(s)
            {
                continue;
            }
            let weight = if c.len_utf8() >= 3 { 2 } else { 1 };
            match added.iter_mut().find(|(a, _)| *a == s) {
                Some(entry) => entry.1 += weight,
                None => added.push((s, weight)),
            }
        }
        // One character of a new script passes when the UTF-8 it was decoded from is long
        // enough not to be chance: three bytes or more (`2020å¹´` is `2020年`; a two-byte
        // `×£` is not `ף`).
        added.iter().all(|&(_, n)| n >= 2)
    }
}

/// The changed stretches between a line and its repair, joined unless an unchanged space
/// separates them, as byte spans of the line and their replacements.
fn hunks(line: &str, fixed: &str) -> Vec<(Range<usize>, String)> {
    use similar::{DiffTag, TextDiff};
    let diff = TextDiff::from_chars(line, fixed);
    let offsets =
        |s: &str| -> Vec<usize> { s.char_indices().map(|(i, _)| i).chain([s.len()]).collect() };
    let (old, new) = (offsets(line), offsets(fixed));
    let mut regions: Vec<(Range<usize>, Range<usize>)> = Vec::new();
    for op in diff.ops() {
        if op.tag() == DiffTag::Equal {
            continue;
        }
        let (o, n) = (op.old_range(), op.new_range());
        match regions.last_mut() {
            Some(last) if !line[old[last.0.end]..old[o.start]].contains(char::is_whitespace) => {
                last.0.end = o.end;
                last.1.end = n.end;
            }
            _ => regions.push((o, n)),
        }
    }
    regions
        .into_iter()
        .map(|(o, n)| {
            (
                old[o.start]..old[o.end],
                fixed[new[n.start]..new[n.end]].to_string(),
            )
        })
        .collect()
}

/// Garble whose bytes are gone, for the artifact check: 锟斤拷 (U+FFFD saved as UTF-8 and read
/// as GBK), 烫烫烫/屯屯屯 (uninitialised memory printed as GBK), and UTF-8 read as GBK with
/// bytes lost.
pub fn garbles(text: &str) -> Vec<Garble> {
    let mut out = Vec::new();
    // Streamed, not collected: a document can be tens of MiB.
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        let same_run: fn(char, char) -> bool = match c {
            '锟' | '斤' | '拷' => |_, d| matches!(d, '锟' | '斤' | '拷'),
            '烫' | '屯' => |c, d| d == c,
            _ => continue,
        };
        let (mut stop, mut count) = (start + c.len_utf8(), 1);
        while let Some(&(at, d)) = chars.peek()
            && same_run(c, d)
        {
            (stop, count) = (at + d.len_utf8(), count + 1);
            chars.next();
        }
        let run = &text[start..stop];
        let explanation = match c {
            '烫' | '屯' if count >= 3 => format!(
                "{c}{c}{c}: uninitialised memory (bytes {}) printed as GBK; no text was ever here",
                if c == '烫' { "0xCC" } else { "0xCD" }
            ),
            // No pair anywhere in the run: none in any part of it either.
            '锟' | '斤' | '拷' if run.contains("锟斤") || run.contains("斤拷") => {
                "锟斤拷: replacement characters (U+FFFD) saved as UTF-8 and read as GBK; the original characters are lost".to_string()
            }
            _ => continue,
        };
        out.push(Garble {
            span: start..stop,
            explanation,
        });
    }
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if !line.is_ascii() {
            for (span, found) in cjk::utf8_as_gbk(line) {
                if let cjk::AsUtf8::Lost(prefix) = found {
                    out.push(Garble {
                        span: offset + span.start..offset + span.end,
                        explanation: format!(
                            "UTF-8 Chinese read as GBK, with bytes lost, so it cannot be restored exactly; what can be read says '{prefix}'"
                        ),
                    });
                }
            }
        }
        offset += line.len();
    }
    out.sort_by_key(|g| g.span.start);
    out
}

#[cfg(test)]
mod tests;
