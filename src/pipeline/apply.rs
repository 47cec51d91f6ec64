//! `apply`: a reviewer's decisions (`decisions.json`) made in the original files. Every
//! document is read, its decisions placed by fingerprint and its changes written into its
//! text (or markup) and encoded like the file, before anything is written: one document that
//! cannot take its decisions stops them all.

use std::path::{Path, PathBuf};

use crate::document::{self, Document, Origin, ReadOptions};
use crate::review::decisions::{self, Placed};
use crate::review::page::sha256_hex;
use crate::review::{Decisions, DocumentDecisions};

/// One document with its decisions made.
#[derive(Debug)]
pub struct AppliedDocument {
    /// The path as the decisions name it.
    pub reported: String,
    /// Where the file was found.
    pub path: PathBuf,
    /// The file's bytes as read.
    pub original_bytes: Vec<u8>,
    /// The file with the changes made, encoded like it (its bytes when nothing changed).
    pub bytes: Vec<u8>,
    /// The text before and after (for diffs of files that are not text, such as DOCX).
    pub original_text: String,
    pub text: String,
    pub format: crate::format::Format,
    /// Whether the file's encoding keeps ASCII as ASCII (a byte diff of it applies with patch).
    pub ascii_compatible: bool,
    /// Whether the file changed since the report (its decisions were found by fingerprint).
    pub moved: bool,
    pub placed: Placed,
}

impl AppliedDocument {
    /// Whether the decisions change the file.
    pub fn changed(&self) -> bool {
        self.bytes != self.original_bytes
    }
}

/// Why a decisions file cannot be applied: every problem of every document.
#[derive(Debug, thiserror::Error)]
#[error("{}", problems.join("\n"))]
pub struct Refused {
    pub problems: Vec<String>,
}

/// Makes every document's decisions, in memory. `root` is the folder the report's paths are
/// relative to; `undecided_safe` also makes the safe repairs nobody decided about.
pub fn apply_decisions(
    decisions: &Decisions,
    root: &Path,
    read: ReadOptions,
    undecided_safe: bool,
) -> Result<Vec<AppliedDocument>, Refused> {
    let mut done = Vec::new();
    let mut problems = Vec::new();
    for doc in &decisions.documents {
        match apply_one(doc, root, read, undecided_safe) {
            Ok(applied) => done.push(applied),
            Err(mut these) => problems.append(&mut these),
        }
    }
    if problems.is_empty() {
        Ok(done)
    } else {
        Err(Refused { problems })
    }
}

/// One document's decisions made, or what stops them.
fn apply_one(
    dd: &DocumentDecisions,
    root: &Path,
    read: ReadOptions,
    undecided_safe: bool,
) -> Result<AppliedDocument, Vec<String>> {
    let name = &dd.path;
    if name == "-" || name.is_empty() {
        return Err(vec![format!(
            "{name}: was read from standard input, so apply cannot find it again; save it to a file, run again on the file and review that report"
        )]);
    }
    let path = root.join(name);
    let original_bytes = document::read_origin(&Origin::File(path.clone()), &path, read)
        .map_err(|e| {
            vec![format!(
                "{e} (apply reads the report's paths from the current folder, or from --root DIR: run it where `run` was run)"
            )]
        })?;
    let moved = sha256_hex(&original_bytes) != dd.sha256;
    let doc: Document =
        document::from_bytes(&path, &original_bytes, read).map_err(|e| vec![e.to_string()])?;
    let placed = decisions::place(&doc.text, dd, undecided_safe).map_err(|problems| {
        let why = if moved {
            "changed since the report, and its decisions cannot all be found in it"
        } else {
            "its decisions cannot be placed"
        };
        let mut out = vec![format!("{name}: {why}; nothing was applied:")];
        out.extend(problems.into_iter().map(|p| format!("  - {p}")));
        out
    })?;
    let (edited, written) = doc
        .edited(&placed.edits())
        .map_err(|e| vec![e.to_string()])?;
    if written.len() != placed.changes.len() {
        let mut out = vec![format!(
            "{name}: some changes cannot be written into its markup; nothing was applied:"
        )];
        for (i, change) in placed.changes.iter().enumerate() {
            if !written.contains(&i) {
                out.push(format!(
                    "  - the change of '{}' to '{}' crosses markup (a link, code, a block break); make it in an editor",
                    change.text, change.replacement
                ));
            }
        }
        return Err(out);
    }
    let bytes = if written.is_empty() {
        original_bytes.clone()
    } else {
        document::encode_repaired(&doc, &edited, &original_bytes)
            .map_err(|e| vec![e.to_string()])?
    };
    Ok(AppliedDocument {
        reported: name.clone(),
        path,
        original_bytes,
        bytes,
        original_text: doc.text.clone(),
        text: edited.text,
        format: doc.format,
        ascii_compatible: doc.encoding.is_ascii_compatible(),
        moved,
        placed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::decisions::{Action, Decision};
    use crate::review::fingerprint;

    fn decisions_for(
        path: &str,
        bytes: &[u8],
        text: &str,
        needle: &str,
        action: Action,
    ) -> Decisions {
        let start = text.find(needle).unwrap();
        let mut flags = vec![
            crate::flag::Flag::new(
                crate::flag::Rule::DeprecatedTerm,
                crate::flag::Severity::Error,
                text,
                start..start + needle.len(),
                "m",
            )
            .concept("labour-party"),
        ];
        fingerprint::assign(text, &mut flags);
        Decisions {
            transmend_decisions: 1,
            report: None,
            documents: vec![DocumentDecisions {
                path: path.into(),
                sha256: sha256_hex(bytes),
                format: None,
                decisions: vec![Decision {
                    fingerprint: flags[0].fingerprint.clone().unwrap(),
                    rule: flags[0].rule,
                    concept: flags[0].concept.clone(),
                    start,
                    end: start + needle.len(),
                    line: Some(1),
                    column: None,
                    text_span: Some([start, start + needle.len()]),
                    text: needle.into(),
                    action,
                    replacement: Some("工党".into()),
                    scope: None,
                    guard: None,
                }],
                undecided: Vec::new(),
            }],
        }
    }

    #[test]
    fn gbk_and_crlf_are_kept_and_a_changed_file_is_found_or_refused() {
        let dir = tempfile::tempdir().unwrap();
        let text = "我们是劳动派对的成员。\r\n第二行。\r\n";
        let (bytes, _, _) = encoding_rs::GBK.encode(text);
        std::fs::write(dir.path().join("a.zh.txt"), &bytes).unwrap();
        let d = decisions_for("a.zh.txt", &bytes, text, "劳动派对", Action::Accept);
        let done = apply_decisions(&d, dir.path(), ReadOptions::default(), false).unwrap();
        let (want, _, _) = encoding_rs::GBK.encode("我们是工党的成员。\r\n第二行。\r\n");
        assert_eq!(done[0].bytes, want.to_vec());
        assert!(!done[0].moved);

        // Edited elsewhere: found by fingerprint.
        let (moved, _, _) =
            encoding_rs::GBK.encode("新的一行。\r\n我们是劳动派对的成员。\r\n第二行。\r\n");
        std::fs::write(dir.path().join("a.zh.txt"), &moved).unwrap();
        let done = apply_decisions(&d, dir.path(), ReadOptions::default(), false).unwrap();
        assert!(done[0].moved);
        // Edited there: refused, naming the file.
        let (gone, _, _) = encoding_rs::GBK.encode("他们是劳动派对的成员。\r\n");
        std::fs::write(dir.path().join("a.zh.txt"), &gone).unwrap();
        let e = apply_decisions(&d, dir.path(), ReadOptions::default(), false).unwrap_err();
        assert!(
            e.to_string().contains("a.zh.txt: changed since the report"),
            "{e}"
        );
    }
}
