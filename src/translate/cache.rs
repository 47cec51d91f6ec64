//! The translation cache: SQLite in WAL mode, one row per translated text, each committed as
//! it arrives so that a killed run loses nothing and a rerun sends only what is missing.
//!
//! The key is the SHA-256 of everything that changes a translation: engine, its identity
//! (endpoint, model, prompt version), glossary hash, languages and the text sent. Keys, and so
//! the cache, never contain an API key. A cache that cannot be opened or read is reported and
//! bypassed: the run goes on without it.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

/// File name of the cache inside the cache folder.
pub const FILE_NAME: &str = "translations.sqlite3";

/// What a cache key is made of.
#[derive(Debug, Clone, Copy)]
pub struct KeyParts<'a> {
    pub engine: &'a str,
    /// Endpoint, model, prompt version ([`super::Engine::identity`]).
    pub identity: &'a str,
    pub glossary_hash: &'a str,
    pub source_lang: &'a str,
    pub target_lang: &'a str,
    /// The text exactly as sent.
    pub text: &'a str,
}

/// The cache key: hex SHA-256 of the parts, each length-prefixed so no two part lists collide.
pub fn key(parts: &KeyParts<'_>) -> String {
    let mut h = Sha256::new();
    h.update(b"transmend-cache-v1");
    for part in [
        parts.engine,
        parts.identity,
        parts.glossary_hash,
        parts.source_lang,
        parts.target_lang,
        parts.text,
    ] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    hex(&h.finalize())
}

/// Lower-case hex of bytes.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

/// The default cache file: `$XDG_CACHE_HOME/transmend/`, else `~/.cache/transmend/`.
pub fn default_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(base.join("transmend").join(FILE_NAME))
}

/// Why the cache is not used.
#[derive(Debug, thiserror::Error)]
#[error("translation cache {}: {reason}", path.display())]
pub struct CacheError {
    pub path: PathBuf,
    pub reason: String,
}

/// An open cache. Shared by the concurrent requests of one run; every call is a short
/// statement under a lock.
#[derive(Debug)]
pub struct Cache {
    path: PathBuf,
    conn: Mutex<Connection>,
}

impl Cache {
    /// Opens (creating folder and file if needed) the cache at `path`.
    pub fn open(path: &Path) -> Result<Cache, CacheError> {
        let err = |reason: String| CacheError {
            path: path.to_path_buf(),
            reason,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| err(format!("cannot create the folder: {e}")))?;
        }
        let conn = Connection::open(path).map_err(|e| err(e.to_string()))?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(|e| err(e.to_string()))?;
        let mode: String = conn
            .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
            .map_err(|e| err(e.to_string()))?;
        if !mode.eq_ignore_ascii_case("wal") {
            tracing::warn!(mode, "the translation cache is not in WAL mode");
        }
        conn.execute_batch(
            "PRAGMA synchronous=NORMAL;
             CREATE TABLE IF NOT EXISTS translations (
                 key TEXT PRIMARY KEY NOT NULL,
                 engine TEXT NOT NULL,
                 translation TEXT NOT NULL,
                 created INTEGER NOT NULL
             );",
        )
        .map_err(|e| err(e.to_string()))?;
        Ok(Cache {
            path: path.to_path_buf(),
            conn: Mutex::new(conn),
        })
    }

    /// Where the cache lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn err(&self, e: impl std::fmt::Display) -> CacheError {
        CacheError {
            path: self.path.clone(),
            reason: e.to_string(),
        }
    }

    /// The cached translation for `key`.
    pub fn get(&self, key: &str) -> Result<Option<String>, CacheError> {
        let conn = self.conn.lock().map_err(|e| self.err(e))?;
        conn.prepare_cached("SELECT translation FROM translations WHERE key = ?1")
            .and_then(|mut s| s.query_row([key], |r| r.get(0)).optional())
            .map_err(|e| self.err(e))
    }

    /// Stores a translation, committed at once.
    pub fn put(&self, key: &str, engine: &str, translation: &str) -> Result<(), CacheError> {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        let conn = self.conn.lock().map_err(|e| self.err(e))?;
        conn.prepare_cached(
            "INSERT OR REPLACE INTO translations (key, engine, translation, created) VALUES (?1, ?2, ?3, ?4)",
        )
        .and_then(|mut s| s.execute(params![key, engine, translation, now]))
        .map(|_| ())
        .map_err(|e| self.err(e))
    }

    /// How many translations are stored.
    pub fn len(&self) -> Result<usize, CacheError> {
        let conn = self.conn.lock().map_err(|e| self.err(e))?;
        conn.query_row("SELECT COUNT(*) FROM translations", [], |r| {
            r.get::<_, i64>(0)
        })
        .map(|n| n as usize)
        .map_err(|e| self.err(e))
    }

    /// Whether the cache is empty.
    pub fn is_empty(&self) -> Result<bool, CacheError> {
        self.len().map(|n| n == 0)
    }

    /// Copies every translation of the cache file `input` into this one (`transmend cache
    /// merge`). Where both hold a key, the newer row (by its `created` time) wins; on equal times
    /// the row already here stays, so merging is idempotent and the order of inputs only matters
    /// for exact ties. Keys are hashes of everything that shapes a translation, so two rows with
    /// one key are translations of the same request. Returns how many rows were added or replaced.
    pub fn merge_from(&self, input: &Path) -> Result<usize, CacheError> {
        let in_err = |reason: String| CacheError {
            path: input.to_path_buf(),
            reason,
        };
        if !input.is_file() {
            return Err(in_err("no such cache file".into()));
        }
        let conn = self.conn.lock().map_err(|e| self.err(e))?;
        let source = input
            .to_str()
            .ok_or_else(|| in_err("the path is not valid UTF-8".into()))?;
        conn.execute("ATTACH DATABASE ?1 AS merged_in", [source])
            .map_err(|e| in_err(e.to_string()))?;
        let result = (|| -> rusqlite::Result<usize> {
            conn.execute_batch("BEGIN")?;
            let n = conn.execute(
                "INSERT INTO main.translations (key, engine, translation, created)
                 SELECT key, engine, translation, created FROM merged_in.translations WHERE true
                 ON CONFLICT(key) DO UPDATE SET
                     engine = excluded.engine,
                     translation = excluded.translation,
                     created = excluded.created
                 WHERE excluded.created > translations.created",
                [],
            )?;
            conn.execute_batch("COMMIT")?;
            Ok(n)
        })();
        if result.is_err() {
            let _ = conn.execute_batch("ROLLBACK");
        }
        let _ = conn.execute("DETACH DATABASE merged_in", []);
        result.map_err(|e| in_err(format!("cannot merge: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(text: &str) -> KeyParts<'_> {
        KeyParts {
            engine: "deepl",
            identity: "https://api.deepl.com",
            glossary_hash: "g",
            source_lang: "zh",
            target_lang: "en",
            text,
        }
    }

    #[test]
    fn keys_depend_on_every_part() {
        let a = key(&parts("工党"));
        assert_eq!(a.len(), 64);
        assert_eq!(a, key(&parts("工党")));
        assert_ne!(a, key(&parts("工党 ")));
        assert_ne!(
            a,
            key(&KeyParts {
                target_lang: "fr",
                ..parts("工党")
            })
        );
        assert_ne!(
            key(&KeyParts {
                engine: "ab",
                identity: "c",
                ..parts("x")
            }),
            key(&KeyParts {
                engine: "a",
                identity: "bc",
                ..parts("x")
            })
        );
    }

    #[test]
    fn stores_and_reopens() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("c.sqlite3");
        let cache = Cache::open(&path).unwrap();
        assert_eq!(cache.get("k").unwrap(), None);
        cache.put("k", "deepl", "Labour Party").unwrap();
        drop(cache);
        let cache = Cache::open(&path).unwrap();
        assert_eq!(cache.get("k").unwrap().as_deref(), Some("Labour Party"));
        assert_eq!(cache.len().unwrap(), 1);
    }

    #[test]
    fn merge_keeps_the_newest_row_and_is_idempotent() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b, out) = (
            dir.path().join("a.sqlite3"),
            dir.path().join("b.sqlite3"),
            dir.path().join("out.sqlite3"),
        );
        {
            let a = Cache::open(&a).unwrap();
            a.put("only-a", "deepl", "A").unwrap();
            a.put("both", "deepl", "old").unwrap();
            let b = Cache::open(&b).unwrap();
            b.put("only-b", "deepl", "B").unwrap();
            b.put("both", "deepl", "new").unwrap();
            // Make b's row of `both` strictly newer than a's.
            b.conn
                .lock()
                .unwrap()
                .execute(
                    "UPDATE translations SET created = created + 10 WHERE key = 'both'",
                    [],
                )
                .unwrap();
        }
        let merged = Cache::open(&out).unwrap();
        assert_eq!(merged.merge_from(&b).unwrap(), 2);
        assert_eq!(merged.merge_from(&a).unwrap(), 1, "only only-a is new");
        assert_eq!(merged.len().unwrap(), 3);
        assert_eq!(merged.get("both").unwrap().as_deref(), Some("new"));
        assert_eq!(merged.get("only-a").unwrap().as_deref(), Some("A"));
        assert_eq!(
            merged.merge_from(&a).unwrap() + merged.merge_from(&b).unwrap(),
            0
        );
        let missing = merged
            .merge_from(&dir.path().join("nope.sqlite3"))
            .unwrap_err();
        assert!(missing.to_string().contains("nope.sqlite3"), "{missing}");
    }

    #[test]
    fn a_corrupt_file_is_an_error_not_a_crash() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.sqlite3");
        std::fs::write(&path, b"this is not a database at all, just some bytes....").unwrap();
        let e = Cache::open(&path).unwrap_err();
        assert!(e.to_string().contains("c.sqlite3"), "{e}");
    }
}
