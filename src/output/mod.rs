//! Everything the user or a script sees: JSON Lines reports and the human summary.

pub mod bilingual;
pub mod html;
pub mod human;
pub mod json;
pub mod tmx;

use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};

/// Writes a file atomically: a temporary file in the same folder, flushed to disk, then
/// renamed over the target, so a crash leaves either the old file or the new one.
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
    tmp.as_file().sync_all().map_err(write_err)?;
    tmp.persist(path).map_err(|e| write_err(e.error))?;
    Ok(())
}
