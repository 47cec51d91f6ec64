//! Problems found in a glossary, and the errors that carry them out of loading and exporting.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem at one place in a glossary file.
///
/// `line` and `column` are 1-based; `column` counts Unicode scalar values. A zero means
/// "not known" and is left out when displayed, as is an empty `file`:
/// `glossary/a.csv:3:7: message`, `glossary/a.csv:3: message`, `glossary/a.csv: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl Problem {
    /// A problem at `line:column` of `file`.
    pub fn new(file: &Path, line: usize, column: usize, message: impl Into<String>) -> Problem {
        Problem {
            file: file.to_path_buf(),
            line,
            column,
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut place = self.file.display().to_string();
        if self.line > 0 {
            place = format!("{place}:{}", self.line);
            if self.column > 0 {
                place = format!("{place}:{}", self.column);
            }
        }
        if place.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{place}: {}", self.message)
        }
    }
}

/// Writes each problem on its own line, with no trailing newline.
fn write_lines(f: &mut fmt::Formatter<'_>, problems: &[Problem]) -> fmt::Result {
    for (i, p) in problems.iter().enumerate() {
        if i > 0 {
            f.write_str("\n")?;
        }
        write!(f, "{p}")?;
    }
    Ok(())
}

/// A glossary could not be loaded; `problems` lists every problem found, in file order.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct LoadError {
    pub problems: Vec<Problem>,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_lines(f, &self.problems)
    }
}

/// A glossary could not be exported to an engine's format; `problems` lists every reason.
///
/// Each problem points at the concept's origin (file and line, no column).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ExportError {
    pub problems: Vec<Problem>,
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_lines(f, &self.problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problem_display_leaves_out_unknown_parts() {
        let f = Path::new("g/a.csv");
        assert_eq!(Problem::new(f, 3, 7, "bad").to_string(), "g/a.csv:3:7: bad");
        assert_eq!(Problem::new(f, 3, 0, "bad").to_string(), "g/a.csv:3: bad");
        assert_eq!(Problem::new(f, 0, 0, "bad").to_string(), "g/a.csv: bad");
        assert_eq!(Problem::new(Path::new(""), 0, 0, "bad").to_string(), "bad");
    }

    #[test]
    fn errors_list_every_problem_one_per_line() {
        let f = Path::new("a.csv");
        let e = LoadError {
            problems: vec![Problem::new(f, 1, 1, "one"), Problem::new(f, 2, 5, "two")],
        };
        assert_eq!(e.to_string(), "a.csv:1:1: one\na.csv:2:5: two");
        let e = ExportError {
            problems: vec![Problem::new(f, 4, 0, "three")],
        };
        assert_eq!(e.to_string(), "a.csv:4: three");
    }
}
