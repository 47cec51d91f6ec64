//! Finding documents: a file given by itself, or every regular file under a folder, lazily
//! and in sorted order, skipping hidden entries, FIFOs and devices, symlinks that leave the
//! folder and symlink loops, each with a reason.

use std::path::{Path, PathBuf};

use either::Either;

use super::kind::NotText;
use crate::error::Error;

/// One thing found while walking the given paths.
#[derive(Debug)]
pub enum Found {
    /// A regular file to read.
    File(PathBuf),
    /// A FIFO or character device named on the command line (`<(cmd)`, `/dev/stdin`): read
    /// as a stream, up to the size limit.
    Stream(PathBuf),
    /// Standard input (`-`).
    Stdin,
    /// A file inside a folder whose name says it is no text document (an image, ...).
    NotText { path: PathBuf, kind: NotText },
    /// Something passed over on purpose (FIFO, device, symlink out of the root, loop).
    Skipped { path: PathBuf, reason: String },
    /// Something that should have been readable but was not.
    Failed(Error),
}

/// Walks one path given by the user: a file yields itself, a folder its regular files
/// recursively, sorted by name, skipping hidden entries and symlinks that leave the folder.
pub fn discover(root: &Path) -> impl Iterator<Item = Found> {
    let mut out = Vec::new();
    if root.as_os_str() == "-" {
        out.push(Found::Stdin);
        return Either::Right(out.into_iter());
    }
    match std::fs::metadata(root) {
        Err(source) => out.push(Found::Failed(Error::Read {
            path: root.to_path_buf(),
            source,
        })),
        Ok(meta) if meta.is_file() => out.push(Found::File(root.to_path_buf())),
        Ok(meta) if !meta.is_dir() => out.push(named_special(root, &meta)),
        Ok(_) => return Either::Left(Walk::new(root)),
    }
    Either::Right(out.into_iter())
}

/// Something named on the command line that is neither a file nor a folder: a FIFO or a
/// character device is read as a stream (what the user asked for, as `cat` would), a socket
/// or a block device is refused.
fn named_special(root: &Path, meta: &std::fs::Metadata) -> Found {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() || t.is_char_device() {
            return Found::Stream(root.to_path_buf());
        }
    }
    #[cfg(not(unix))]
    let _ = meta;
    Found::Failed(Error::refused(
        root,
        "not a file, a folder or a stream (a socket or a block device)",
    ))
}

/// A lazy folder walk, so huge corpora are never listed in memory up front.
struct Walk {
    root: PathBuf,
    root_canonical: Option<PathBuf>,
    inner: walkdir::IntoIter,
}

impl Walk {
    fn new(root: &Path) -> Walk {
        let inner = walkdir::WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name()
            .min_depth(1)
            .into_iter();
        Walk {
            root: root.to_path_buf(),
            root_canonical: std::fs::canonicalize(root).ok(),
            inner,
        }
    }

    fn leaves_root(&self, path: &Path) -> bool {
        match (&self.root_canonical, std::fs::canonicalize(path)) {
            (Some(root), Ok(target)) => !target.starts_with(root),
            _ => true,
        }
    }
}

impl Iterator for Walk {
    type Item = Found;

    fn next(&mut self) -> Option<Found> {
        loop {
            let entry = match self.inner.next()? {
                Ok(entry) => entry,
                Err(err) => {
                    let path = err.path().map(Path::to_path_buf).unwrap_or_default();
                    if err.loop_ancestor().is_some() {
                        return Some(Found::Skipped {
                            path,
                            reason: "symlink loop".into(),
                        });
                    }
                    let reason = err.to_string();
                    return Some(match err.into_io_error() {
                        Some(source) if path.as_os_str().is_empty() => Found::Failed(
                            Error::refused(&self.root, format!("cannot walk: {source}")),
                        ),
                        Some(source) if is_symlink_loop(&source) => Found::Skipped {
                            path,
                            reason: "symlink loop".into(),
                        },
                        Some(source)
                            if source.kind() == std::io::ErrorKind::NotFound
                                && std::fs::symlink_metadata(&path).is_ok() =>
                        {
                            Found::Skipped {
                                path,
                                reason: "broken symlink".into(),
                            }
                        }
                        Some(source) => Found::Failed(Error::Read { path, source }),
                        None => Found::Skipped { path, reason },
                    });
                }
            };
            let hidden = entry
                .file_name()
                .to_str()
                .is_some_and(|name| name.starts_with('.'))
                || entry.file_name().as_encoded_bytes().first() == Some(&b'.');
            if hidden {
                if entry.file_type().is_dir() {
                    self.inner.skip_current_dir();
                }
                continue;
            }
            if entry.path_is_symlink() && self.leaves_root(entry.path()) {
                if entry.file_type().is_dir() {
                    self.inner.skip_current_dir();
                }
                return Some(Found::Skipped {
                    path: entry.into_path(),
                    reason: "symlink leads outside the folder".into(),
                });
            }
            let file_type = entry.file_type();
            if file_type.is_dir() {
                continue;
            }
            if file_type.is_file() {
                let path = entry.into_path();
                return Some(match NotText::from_extension(&path) {
                    Some(kind) => Found::NotText { path, kind },
                    None => Found::File(path),
                });
            }
            return Some(Found::Skipped {
                path: entry.into_path(),
                reason: "not a regular file (FIFO, socket or device)".into(),
            });
        }
    }
}

/// ELOOP: a symlink that resolves to itself (`a -> a`, or `a -> b -> a`).
#[cfg(unix)]
fn is_symlink_loop(e: &std::io::Error) -> bool {
    e.raw_os_error() == Some(libc::ELOOP)
}

#[cfg(not(unix))]
fn is_symlink_loop(_: &std::io::Error) -> bool {
    false
}
