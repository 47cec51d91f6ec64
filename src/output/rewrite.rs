//! Writing repaired files: copies under an output folder (`fix --out DIR`, never outside it)
//! and in-place rewrites with a backup (`fix --write`), both atomic via [`super::write_atomic`].

use std::fs;
use std::path::{Component, Path, PathBuf};

use super::write_atomic;
use crate::error::{Error, Result};

/// `path` made relative: `.` and roots dropped, `a/../b` resolved, leading `..` dropped, so
/// that joined under a folder it can never leave that folder.
pub fn relative(path: &Path) -> PathBuf {
    let mut rel = PathBuf::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => rel.push(part),
            Component::ParentDir => {
                rel.pop();
            }
            Component::CurDir | Component::RootDir | Component::Prefix(_) => {}
        }
    }
    rel
}

/// Where an output for `path` goes under `out_dir`: `out_dir` joined with [`relative`] of
/// `path`, never outside `out_dir`.
pub fn out_path(out_dir: &Path, path: &Path) -> Result<PathBuf> {
    let rel = relative(path);
    if rel.as_os_str().is_empty() {
        return Err(Error::refused(
            path,
            format!("no file name to write under {}", out_dir.display()),
        ));
    }
    Ok(out_dir.join(rel))
}

/// Writes the repaired copy of `source` to `target` (from [`out_path`]): refuses a target that
/// resolves outside `out_dir` (through a symlink) or that is the source file itself.
pub fn write_copy(out_dir: &Path, source: &Path, target: &Path, bytes: &[u8]) -> Result<()> {
    let write_err = |source| Error::Write {
        path: target.to_path_buf(),
        source,
    };
    let parent = target.parent().unwrap_or(out_dir);
    // The output folder itself is the user's choice: create it when it is missing.
    fs::create_dir_all(out_dir).map_err(write_err)?;
    let root = fs::canonicalize(out_dir).map_err(write_err)?;
    let outside = || {
        Error::refused(
            target,
            format!(
                "leads outside {} (through a symlink); not written",
                out_dir.display()
            ),
        )
    };
    // Check before creating anything: folders made by `create_dir_all` go under the deepest
    // one that exists, so that one must already resolve inside the output folder.
    let existing = parent
        .ancestors()
        .find(|p| fs::symlink_metadata(p).is_ok())
        .unwrap_or(out_dir);
    let existing_real = fs::canonicalize(existing).map_err(write_err)?;
    if !existing_real.starts_with(&root) {
        return Err(outside());
    }
    fs::create_dir_all(parent).map_err(write_err)?;
    let parent_real = fs::canonicalize(parent).map_err(write_err)?;
    if !parent_real.starts_with(&root) {
        return Err(outside());
    }
    if let (Ok(a), Ok(b)) = (fs::canonicalize(source), fs::canonicalize(target))
        && a == b
    {
        return Err(Error::refused(
            target,
            "is the input file itself; use --write to rewrite in place",
        ));
    }
    write_atomic(target, bytes)
}

/// Replaces `path` (or the file its symlink points to) with `bytes`, atomically. With
/// `backup`, first saves `original` as `NAME.orig` (or `NAME.orig.2`, ... when that exists and
/// holds something else) and returns where. Refuses when the file no longer holds `original`.
pub fn write_in_place(
    path: &Path,
    original: &[u8],
    bytes: &[u8],
    backup: bool,
) -> Result<Option<PathBuf>> {
    let read_err = |source| Error::Read {
        path: path.to_path_buf(),
        source,
    };
    let target = fs::canonicalize(path).map_err(read_err)?;
    let current = fs::read(&target).map_err(read_err)?;
    if current != original {
        return Err(Error::refused(
            path,
            "changed since it was read; not rewritten",
        ));
    }
    let mut saved = None;
    if backup {
        let (backup_path, already) = backup_name(&target, original);
        if !already {
            write_atomic(&backup_path, original)?;
        }
        saved = Some(backup_path);
    }
    write_atomic(&target, bytes)?;
    Ok(saved)
}

/// Whether `path` is a backup left by `fix --write` (`NAME.orig` or `NAME.orig.N` next to an
/// existing `NAME`), which a later `fix` of the folder must not repair again.
pub fn is_backup(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let stem = match name.rsplit_once(".orig") {
        Some((stem, "")) => stem,
        Some((stem, n))
            if n.strip_prefix('.')
                .is_some_and(|d| d.parse::<u32>().is_ok()) =>
        {
            stem
        }
        _ => return false,
    };
    !stem.is_empty() && path.with_file_name(stem).is_file()
}

/// Where the backup of `target` goes: an existing `NAME.orig` or `NAME.orig.N` that already
/// holds `original` (so rewriting a file twice keeps one copy of it), else the first of those
/// names that is free. The `bool` says whether the backup is already there.
fn backup_name(target: &Path, original: &[u8]) -> (PathBuf, bool) {
    let mut name = target.file_name().unwrap_or_default().to_os_string();
    name.push(".orig");
    let numbered = (1u32..).map(|n| {
        let mut candidate = name.clone();
        if n > 1 {
            candidate.push(format!(".{n}"));
        }
        target.with_file_name(candidate)
    });
    for candidate in numbered {
        if fs::symlink_metadata(&candidate).is_err() {
            return (candidate, false);
        }
        if fs::read(&candidate).is_ok_and(|held| held == original) {
            return (candidate, true);
        }
    }
    unreachable!("the candidate names never run out")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_paths_stay_under_the_folder() {
        let out = Path::new("fixed");
        for (given, want) in [
            ("corpus/a.txt", "fixed/corpus/a.txt"),
            ("./corpus/../b.txt", "fixed/b.txt"),
            ("../../etc/passwd", "fixed/etc/passwd"),
            ("/tmp/x/c.txt", "fixed/tmp/x/c.txt"),
        ] {
            assert_eq!(out_path(out, Path::new(given)).unwrap(), Path::new(want));
        }
        assert!(out_path(out, Path::new("..")).is_err());
    }

    #[test]
    fn in_place_keeps_a_backup_and_never_clobbers_another() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.txt");
        fs::write(&file, "old").unwrap();
        fs::write(dir.path().join("a.txt.orig"), "older").unwrap();
        let saved = write_in_place(&file, b"old", b"new", true)
            .unwrap()
            .unwrap();
        assert_eq!(
            saved,
            fs::canonicalize(dir.path()).unwrap().join("a.txt.orig.2")
        );
        assert_eq!(fs::read(&saved).unwrap(), b"old");
        assert_eq!(fs::read(&file).unwrap(), b"new");
        assert_eq!(fs::read(dir.path().join("a.txt.orig")).unwrap(), b"older");
        // The same original again (rewritten back and repaired again): no third copy.
        fs::write(&file, "old").unwrap();
        let again = write_in_place(&file, b"old", b"new", true)
            .unwrap()
            .unwrap();
        assert_eq!(again, saved, "the backup that holds these bytes is reused");
        assert!(!dir.path().join("a.txt.orig.3").exists());
        fs::write(&file, "new").unwrap();
        let err = write_in_place(&file, b"old", b"x", false).unwrap_err();
        assert!(err.to_string().contains("changed since"), "{err}");
        assert!(is_backup(&dir.path().join("a.txt.orig")));
        assert!(is_backup(&saved));
        assert!(!is_backup(&file));
        assert!(
            !is_backup(&dir.path().join("b.txt.orig")),
            "no b.txt beside it"
        );
    }
}
