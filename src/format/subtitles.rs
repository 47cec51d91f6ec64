//! Subtitles (SubRip `.srt`, WebVTT `.vtt`): cue text, with numbers and timings left alone.

use super::Extract;

/// The cue text of a subtitle file.
pub fn extract(source: &str) -> Extract {
    Extract::plain(source)
}
