//! Where repaired documents go: `fix`'s three modes (a diff, copies under a folder, the files
//! themselves) and `run`'s fixed/ and diff/ folders.

use std::path::Path;

use super::plan::FixWrite;
use super::report::{PatchForm, Written};
use super::stages::Fixed;
use super::walk::Item;
use crate::error::Error;
use crate::format::Format;
use crate::output::{diff, rewrite};

/// Hands one repaired document on as `fix` was asked to.
pub(super) fn write_fixed(fixed: &Fixed, item: &Item, write: &FixWrite) -> Result<Written, Error> {
    let path = fixed.path();
    match write {
        FixWrite::Stdout => Ok(Written::Bytes(fixed.bytes.clone())),
        FixWrite::Diff { .. } if !fixed.changed() => Ok(Written::Nothing),
        FixWrite::Diff { readable } => {
            let doc = &fixed.analysis().doc;
            let name = path.to_string_lossy();
            // Lines split at 0x0A bytes only work for ASCII-compatible encodings; UTF-16 is
            // shown as UTF-8 text instead (readable, but patch cannot apply it), and so is any
            // encoding but UTF-8 when the diff is for reading on a terminal.
            // A DOCX is a zip: its diff is of the text.
            let bytes_apply = doc.encoding.is_ascii_compatible()
                && !(*readable && doc.encoding != encoding_rs::UTF_8)
                && doc.format != Format::Docx;
            Ok(if bytes_apply {
                Written::Patch {
                    patch: diff::unified(&fixed.original_bytes, &fixed.bytes, &name),
                    form: PatchForm::Bytes(doc.encoding_name()),
                }
            } else {
                Written::Patch {
                    patch: diff::unified(
                        doc.text.as_bytes(),
                        fixed.repaired.text().as_bytes(),
                        &name,
                    ),
                    form: PatchForm::TextOnly(doc.encoding_name()),
                }
            })
        }
        FixWrite::Out(dir) => {
            let target = place(dir, path, &item.mirror)?;
            rewrite::write_copy(dir, path, &target, &fixed.bytes)?;
            Ok(Written::Copy {
                path: target,
                diff: None,
            })
        }
        FixWrite::InPlace { .. } if !fixed.changed() => Ok(Written::Nothing),
        FixWrite::InPlace { backup } => {
            let saved =
                rewrite::write_in_place(path, &fixed.original_bytes, &fixed.bytes, *backup)?;
            Ok(Written::InPlace { backup: saved })
        }
    }
}

/// `run`'s copy of one repaired document under `out/fixed/` and, when it changed, its
/// unified diff under `out/diff/` (`NAME.diff`), both at the document's place in the mirrored
/// input tree.
pub(super) fn write_run_copy(out: &Path, fixed: &Fixed, mirror: &Path) -> Result<Written, Error> {
    let path = fixed.path();
    let fixed_dir = out.join("fixed");
    let target = place(&fixed_dir, path, mirror)?;
    rewrite::write_copy(&fixed_dir, path, &target, &fixed.bytes)?;
    let mut diff_path = None;
    if fixed.changed() {
        let diff_dir = out.join("diff");
        let mut at = place(&diff_dir, path, mirror)?;
        let mut name = at.file_name().map(|n| n.to_os_string()).unwrap_or_default();
        name.push(".diff");
        at.set_file_name(name);
        let name = path.display().to_string();
        let patch = if fixed.analysis().doc.format == Format::Docx {
            diff::unified(
                fixed.analysis().doc.text.as_bytes(),
                fixed.repaired.text().as_bytes(),
                &name,
            )
        } else {
            diff::unified(&fixed.original_bytes, &fixed.bytes, &name)
        };
        rewrite::write_copy(&diff_dir, path, &at, &patch)?;
        diff_path = Some(at);
    }
    Ok(Written::Copy {
        path: target,
        diff: diff_path,
    })
}

/// Where a document's output goes under `dir`: its mirrored place (never outside `dir`).
fn place(dir: &Path, path: &Path, mirror: &Path) -> Result<std::path::PathBuf, Error> {
    if mirror.as_os_str().is_empty() {
        return Err(Error::refused(
            path,
            format!("no file name to write under {}", dir.display()),
        ));
    }
    rewrite::out_path(dir, mirror)
}
