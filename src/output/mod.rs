//! Everything the user or a script sees: JSON Lines reports and the human summary.

pub mod bilingual;
pub mod diff;
pub mod diff_html;
pub mod html;
pub mod human;
pub mod report;
pub mod rewrite;
pub mod tmx;

use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};

/// Writes a file atomically: a temporary file in the same folder, flushed to disk, then
/// renamed over the target, so a crash leaves either the old file or the new one. A file that
/// is replaced keeps its permissions; a new one gets `0o644` (on Unix).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let write_err = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".transmend-")
        .tempfile_in(dir)
        .map_err(write_err)?;
    tmp.write_all(bytes).map_err(write_err)?;
    persist(tmp, path).map_err(write_err)
}

/// Puts a written temporary file in place of `path`: the permissions of the file it replaces
/// (a new one gets `0o644` on Unix), flushed to disk, then renamed over it.
pub(crate) fn persist(tmp: tempfile::NamedTempFile, path: &Path) -> std::io::Result<()> {
    let permissions = match std::fs::metadata(path) {
        Ok(meta) => Some(meta.permissions()),
        Err(_) => default_permissions(),
    };
    if let Some(permissions) = permissions {
        tmp.as_file().set_permissions(permissions)?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(unix)]
fn default_permissions() -> Option<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn default_permissions() -> Option<std::fs::Permissions> {
    None
}
