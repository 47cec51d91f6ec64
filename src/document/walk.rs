//! Finding documents: a file given by itself, or every regular file under a folder, lazily
//! and in sorted order, skipping hidden entries, FIFOs and devices, symlinks that leave the
//! folder and symlink loops, each with a reason.

use std::path::{Path, PathBuf};

use either::Either;

use crate::error::Error;

/// One thing found while walking the given paths.
#[derive(Debug)]
pub enum Found {
    /// A regular file to read.
    File(PathBuf),
    /// Something passed over on purpose (FIFO, device, symlink out of the root, loop).
    Skipped { path: PathBuf, reason: String },
    /// Something that should have been readable but was not.
    Failed(Error),
}

/// Walks one path given by the user: a file yields itself, a folder its regular files
/// recursively, sorted by name, skipping hidden entries and symlinks that leave the folder.
pub fn discover(root: &Path) -> impl Iterator<Item = Found> {
    let mut out = Vec::new();
    match std::fs::metadata(root) {
        Err(source) => out.push(Found::Failed(Error::Read {
            path: root.to_path_buf(),
            source,
        })),
        Ok(meta) if meta.is_file() => out.push(Found::File(root.to_path_buf())),
        Ok(meta) if !meta.is_dir() => out.push(Found::Skipped {
            path: root.to_path_buf(),
            reason: "not a regular file (FIFO, socket or device)".into(),
        }),
        Ok(_) => return Either::Left(Walk::new(root)),
    }
    Either::Right(out.into_iter())
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
                return Some(Found::File(entry.into_path()));
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
