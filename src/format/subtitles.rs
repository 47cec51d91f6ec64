//! Subtitles (SubRip `.srt`, WebVTT `.vtt`): the text of each cue is a block; cue numbers,
//! identifiers, timings, the WebVTT header and `NOTE`, `STYLE` and `REGION` blocks are left
//! out. Cue tags (`<i>`, `<b>`, `<v Speaker>`, `<00:01.000>`) do not split a term and a repair
//! may run across them; the lines of one cue are one text.

use super::extract::Extract;

/// The cue text of a subtitle file.
pub fn extract(source: &str) -> Extract {
    let mut x = Extract::default();
    let mut block: Vec<(usize, &str)> = Vec::new();
    let mut at = 0;
    for line in source.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        if content.trim().is_empty() {
            cue(&mut x, source, &block);
            block.clear();
        } else {
            block.push((at, content));
        }
        at += line.len();
    }
    cue(&mut x, source, &block);
    x
}

/// Adds the text of one block of lines when it is a cue (it has a timing line).
fn cue(x: &mut Extract, source: &str, block: &[(usize, &str)]) {
    let first = block
        .first()
        .map_or("", |(_, l)| l.trim_start_matches('\u{feff}'));
    if first.starts_with("WEBVTT")
        || ["NOTE", "STYLE", "REGION"]
            .iter()
            .any(|w| first.starts_with(w))
    {
        return;
    }
    let Some(timing) = block.iter().position(|(_, l)| l.contains("-->")) else {
        return;
    };
    let lines = &block[timing + 1..];
    for (i, &(start, line)) in lines.iter().enumerate() {
        if i > 0 {
            // The line break before this line: the `\n` ending the line above.
            let newline = start - 1;
            if source.get(newline..start) == Some("\n") {
                x.join_last();
                x.push_verbatim("\n", newline..start, 0);
            }
        }
        x.join_last();
        tagged_line(x, line, start);
    }
    x.end_block();
}

/// A cue line with its tags left out, each stretch between tags a piece joined to the next.
fn tagged_line(x: &mut Extract, line: &str, start: usize) {
    let mut rest = line;
    let mut at = start;
    while !rest.is_empty() {
        let (text, skip) = match rest.find('<') {
            Some(open) => match rest[open..].find('>') {
                Some(close) => (&rest[..open], open + close + 1),
                None => (rest, rest.len()),
            },
            None => (rest, rest.len()),
        };
        x.push_verbatim(text, at..at + text.len(), 0);
        x.join_last();
        at += skip;
        rest = &rest[skip..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::{Edit, Format};

    const SRT: &str = "1\r\n00:00:01,000 --> 00:00:03,000\r\n劳动派对 announced\r\n<i>托里</i> government\r\n\r\n2\r\n00:00:04,000 --> 00:00:06,500\r\nIan Lvery spoke in 2020.\r\n";

    #[test]
    fn cue_text_without_numbers_and_timings() {
        let x = extract(SRT);
        assert_eq!(
            x.text,
            "劳动派对 announced\n托里 government\n\nIan Lvery spoke in 2020.\n\n"
        );
        for p in &x.pieces {
            assert_eq!(&x.text[p.text.clone()], &SRT[p.source.clone()]);
        }
    }

    #[test]
    fn repairs_keep_timings_and_tags() {
        let x = extract(SRT);
        let at = x.text.find("托里").unwrap();
        let lv = x.text.find("Lvery").unwrap();
        let (parts, written) = x.write_back(
            Format::Srt.escaper(),
            &[SRT],
            &[
                Edit {
                    range: at..at + 6,
                    replacement: "保守党".into(),
                },
                Edit {
                    range: lv..lv + 5,
                    replacement: "Lavery".into(),
                },
            ],
        );
        assert_eq!(written.len(), 2);
        assert_eq!(
            parts[0],
            SRT.replace("<i>托里</i>", "<i>保守党</i>")
                .replace("Lvery", "Lavery")
        );
    }

    #[test]
    fn webvtt_header_notes_and_identifiers_are_left_out() {
        let vtt = "WEBVTT - talk\n\nNOTE 托里 in a note\n\nintro\n00:01.000 --> 00:04.000 line:0\n<v Jon>劳动派对</v> <00:02.000>today\n";
        let x = extract(vtt);
        assert_eq!(x.text, "劳动派对 today\n\n");
        assert!(
            x.unwritable(0..x.text.find(" today").unwrap() + 6)
                .is_none()
        );
    }
}
