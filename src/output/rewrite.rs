//! Writing repaired files: copies under an output folder (`fix --out DIR`, never outside it)
//! and in-place rewrites with a backup (`fix --write`), both atomic via [`super::write_atomic`].

use std::fs;
use std::path::{Component, Path, PathBuf};

use super::write_atomic;
use crate::error::{Error, Result};

/// Where `--out DIR` puts the copy of `path`: `DIR` joined with `path` made relative (root and
/// `.` dropped, `a/../b` resolved, leading `..` dropped), so it can never leave `DIR`.
pub fn out_path(out_dir: &Path, path: &Path) -> Result<PathBuf> {
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
    if rel.as_os_str().is_empty() {
        return Err(Error::Other(format!(
            "{}: no file name to write under {}",
            path.display(),
            out_dir.display()
        )));
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
        Error::Other(format!(
            "{}: leads outside {} (through a symlink); not written",
            target.display(),
            out_dir.display()
        ))
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
        return Err(Error::Other(format!(
            "{}: is the input file itself; use --write to rewrite in place",
            target.display()
        )));
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
        return Err(Error::Other(format!(
            "{}: changed since it was read; not rewritten",
            path.display()
        )));
    }
    let mut saved = None;
    if backup {
        let backup_path = backup_name(&target);
        let already = fs::read(&backup_path).is_ok_and(|b| b == original);
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

/// `NAME.orig`, or the first `NAME.orig.N` that is free.
fn backup_name(target: &Path) -> PathBuf {
    let mut name = target.file_name().unwrap_or_default().to_os_string();
    name.push(".orig");
    let first = target.with_file_name(&name);
    if fs::symlink_metadata(&first).is_err() {
        return first;
    }
    (2..)
        .map(|n| {
            let mut numbered = name.clone();
            numbered.push(format!(".{n}"));
            target.with_file_name(numbered)
        })
        .find(|p| fs::symlink_metadata(p).is_err())
        .expect("some number is free")
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
