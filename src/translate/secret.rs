//! API keys: a wrapper whose `Debug` and `Display` print `[redacted]`, so a key cannot reach a
//! log line, an error message or a report by accident.

use std::fmt;

/// An API key. Only [`Secret::expose`] gives the text, and only the engines call it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a key; surrounding white space (a trailing newline in a key file) is dropped.
    pub fn new(key: impl Into<String>) -> Secret {
        Secret(key.into().trim().to_string())
    }

    /// The key itself, for the one place that puts it into a request.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the key is empty (an empty variable or key file).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `text` with every occurrence of the key replaced by `[redacted]`: for messages built
    /// from server answers, which may echo the key.
    pub fn scrub(&self, text: &str) -> String {
        if self.0.len() < 4 {
            return text.to_string();
        }
        text.replace(&self.0, "[redacted]")
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_printed() {
        let s = Secret::new(" sk-very-secret\n");
        assert_eq!(s.expose(), "sk-very-secret");
        assert_eq!(
            format!("{s} {s:?} {:?}", Some(&s)),
            "[redacted] [redacted] Some([redacted])"
        );
        assert_eq!(s.scrub("bad key sk-very-secret!"), "bad key [redacted]!");
    }
}
