//! Translation: turn repaired documents into bilingual segment pairs through a translation
//! service, with the glossary enforced and verified, every answer cached, and every failure an
//! API can throw handled (retry, split, or stop cleanly keeping what is done).
//!
//! [`translate_documents`] is the entry point; [`build_engine`] makes the [`Engine`] from an
//! [`EngineConfig`]. The futures need a tokio runtime (the HTTP client runs on it); the
//! command builds one.

pub mod batch;
pub mod cache;
pub mod deepl;
pub mod engine;
pub mod google;
mod http;
pub mod libretranslate;
mod markup;
pub mod openai;
mod preflight;
mod protect;
pub mod report;
mod retry;
pub mod secret;
mod stage;
mod verify;

use std::time::Duration;

pub use batch::Policy;
pub use cache::Cache;
pub use engine::{Batch, Engine, EngineError, GlossarySupport, Limits, Stop, StopKind};
pub use http::HttpOptions;
pub use preflight::preflight;
pub use report::{Progress, Silent, Stats};
pub use secret::Secret;
pub use stage::{
    Pair, Settings, Source, TranslatedDocument, TranslatedMarkup, Translation, translate_documents,
};

/// The services transmend can send segments to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EngineKind {
    LibreTranslate,
    DeepL,
    OpenAi,
    Google,
}

impl EngineKind {
    /// Every engine, in the order the help lists them.
    pub const ALL: [EngineKind; 4] = [
        EngineKind::LibreTranslate,
        EngineKind::DeepL,
        EngineKind::OpenAi,
        EngineKind::Google,
    ];

    /// The id used on the command line, in outputs and cache keys.
    pub fn id(self) -> &'static str {
        match self {
            EngineKind::LibreTranslate => "libretranslate",
            EngineKind::DeepL => "deepl",
            EngineKind::OpenAi => "openai",
            EngineKind::Google => "google",
        }
    }

    /// Parses an engine id: `Ok(None)` for `none` (no translation).
    pub fn parse(s: &str) -> Result<Option<EngineKind>, String> {
        let s = s.trim().to_ascii_lowercase();
        if s == "none" {
            return Ok(None);
        }
        EngineKind::ALL
            .into_iter()
            .find(|k| k.id() == s)
            .map(Some)
            .ok_or_else(|| {
                format!("unknown engine '{s}': use libretranslate, deepl, openai, google or none")
            })
    }

    /// The environment variable that holds this engine's key.
    pub fn key_variable(self) -> &'static str {
        match self {
            EngineKind::LibreTranslate => "LIBRETRANSLATE_API_KEY",
            EngineKind::DeepL => "DEEPL_AUTH_KEY",
            EngineKind::OpenAi => "OPENAI_API_KEY",
            EngineKind::Google => "GOOGLE_API_KEY",
        }
    }
}

/// Everything needed to talk to one service.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    pub kind: EngineKind,
    /// Base URL; the engine's documented path is appended. Default: the public service.
    pub endpoint: Option<String>,
    /// Model name (openai).
    pub model: Option<String>,
    pub key: Option<Secret>,
    pub http: HttpOptions,
}

/// A configuration that cannot work (no key, a bad endpoint, ...).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

/// Makes the engine a configuration describes, refusing every problem the configuration
/// alone shows: an endpoint that is not a URL, not `https://` (plain `http://` only to loopback
/// unless allowed) or carries credentials; a missing key where the service needs one (DeepL,
/// Google, OpenAI's and LibreTranslate's public endpoints); a key that cannot be sent in an
/// HTTP header; an empty model name. What only the server can tell is
/// [`preflight()`]'s.
pub fn build_engine(config: &EngineConfig) -> Result<Box<dyn Engine>, ConfigError> {
    let key = config.key.clone().filter(|k| !k.is_empty());
    let need_key = |key: Option<Secret>| {
        key.ok_or_else(|| {
            ConfigError(format!(
                "the {} engine needs an API key: set {} (or TRANSMEND_API_KEY) or pass --api-key-file FILE",
                config.kind.id(),
                config.kind.key_variable()
            ))
        })
    };
    let endpoint = |default: &str| -> Result<reqwest::Url, ConfigError> {
        let given = config.endpoint.as_deref().unwrap_or(default);
        http::check_endpoint(given, config.http.allow_http).map_err(ConfigError)
    };
    // DeepL and OpenAI send the key in a header: a key that is not visible ASCII (a stray
    // control character, a pasted non-breaking space) would be dropped or refused there.
    let header_safe = |key: &Option<Secret>| -> Result<(), ConfigError> {
        match key {
            Some(k)
                if !k
                    .expose()
                    .bytes()
                    .all(|b| b.is_ascii_graphic() || b == b' ') =>
            {
                Err(ConfigError(format!(
                    "the key in {} (or TRANSMEND_API_KEY, or the --api-key-file) has characters that cannot be sent in an HTTP header; copy it again",
                    config.kind.key_variable()
                )))
            }
            _ => Ok(()),
        }
    };
    let client = http::Http::new(&config.http).map_err(ConfigError)?;
    Ok(match config.kind {
        EngineKind::LibreTranslate => {
            if config.endpoint.is_none() && key.is_none() {
                // The public instance answers every translation without a key with 400.
                return Err(ConfigError(format!(
                    "the public LibreTranslate server ({}) needs an API key: set LIBRETRANSLATE_API_KEY (or TRANSMEND_API_KEY) or pass --api-key-file FILE, or give --endpoint URL of your own server",
                    libretranslate::DEFAULT_ENDPOINT
                )));
            }
            Box::new(libretranslate::LibreTranslate::new(
                client,
                endpoint(libretranslate::DEFAULT_ENDPOINT)?,
                key,
            ))
        }
        EngineKind::DeepL => {
            let key = need_key(key)?;
            header_safe(&Some(key.clone()))?;
            let base = endpoint(deepl::endpoint_for(&key))?;
            let ready = config.http.timeout.max(Duration::from_secs(60));
            Box::new(deepl::DeepL::new(client, base, key, ready))
        }
        EngineKind::OpenAi => {
            if config.endpoint.is_none() && key.is_none() {
                need_key(None)?;
            }
            header_safe(&key)?;
            let model = match config.model.as_deref().map(str::trim) {
                Some("") => {
                    return Err(ConfigError(
                        "--model is empty: give the name of a model the server has".into(),
                    ));
                }
                Some(m) => m.to_string(),
                None => openai::DEFAULT_MODEL.to_string(),
            };
            Box::new(openai::OpenAi::new(
                client,
                endpoint(openai::DEFAULT_ENDPOINT)?,
                key,
                model,
            ))
        }
        EngineKind::Google => {
            let key = need_key(key)?;
            Box::new(google::Google::new(
                client,
                endpoint(google::DEFAULT_ENDPOINT)?,
                key,
            ))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(kind: EngineKind, key: Option<&str>, endpoint: Option<&str>) -> EngineConfig {
        EngineConfig {
            kind,
            endpoint: endpoint.map(str::to_string),
            model: None,
            key: key.map(Secret::new),
            http: HttpOptions::default(),
        }
    }

    #[test]
    fn engines_parse_and_need_their_keys() {
        assert_eq!(EngineKind::parse("DeepL"), Ok(Some(EngineKind::DeepL)));
        assert_eq!(EngineKind::parse("none"), Ok(None));
        assert!(EngineKind::parse("babelfish").is_err());
        let e = build_engine(&config(EngineKind::DeepL, None, None))
            .err()
            .unwrap();
        assert!(e.0.contains("DEEPL_AUTH_KEY"), "{e}");
        assert!(
            build_engine(&config(
                EngineKind::LibreTranslate,
                None,
                Some("http://127.0.0.1:1")
            ))
            .is_ok()
        );
        let e = build_engine(&config(
            EngineKind::Google,
            Some("k"),
            Some("http://translate.example.org"),
        ))
        .err()
        .unwrap();
        assert!(e.0.contains("--allow-http"), "{e}");
    }

    fn refused(c: &EngineConfig) -> String {
        match build_engine(c) {
            Ok(_) => panic!("{c:?} was accepted"),
            Err(e) => e.0,
        }
    }

    #[test]
    fn endpoints_are_checked_for_every_engine() {
        for kind in EngineKind::ALL {
            let ok = |endpoint: &str| build_engine(&config(kind, Some("k"), Some(endpoint)));
            assert!(ok("http://127.0.0.1:5000").is_ok(), "{kind:?}");
            assert!(
                ok("https://translate.example.org/base/").is_ok(),
                "{kind:?}"
            );
            let e = refused(&config(
                kind,
                Some("k"),
                Some("ftp://translate.example.org"),
            ));
            assert!(e.contains("unsupported endpoint scheme 'ftp'"), "{e}");
            let e = refused(&config(kind, Some("k"), Some("http://example.com")));
            assert!(
                e.contains("--allow-http") && e.contains("example.com"),
                "{e}"
            );
            let e = refused(&config(kind, Some("k"), Some("127.0.0.1:5000")));
            assert!(e.contains("endpoint"), "{e}");
            let e = refused(&config(kind, Some("k"), Some("not a url")));
            assert!(e.contains("invalid endpoint URL"), "{e}");
            let e = refused(&config(kind, Some("k"), Some("https://u:pw@example.com")));
            assert!(e.contains("credentials") && !e.contains("pw"), "{e}");
            let mut allowed = config(kind, Some("k"), Some("http://example.com"));
            allowed.http.allow_http = true;
            assert!(build_engine(&allowed).is_ok(), "{kind:?}");
        }
    }

    #[test]
    fn missing_keys_are_refused_where_the_service_needs_one() {
        for kind in [EngineKind::DeepL, EngineKind::Google] {
            for key in [None, Some(""), Some(" \n")] {
                let e = refused(&config(kind, key, Some("http://127.0.0.1:1")));
                assert!(e.contains(kind.key_variable()), "{e}");
                assert!(e.contains("--api-key-file"), "{e}");
            }
        }
        // OpenAI's and LibreTranslate's public endpoints need a key; a server of one's own
        // may not.
        let e = refused(&config(EngineKind::OpenAi, None, None));
        assert!(e.contains("OPENAI_API_KEY"), "{e}");
        let e = refused(&config(EngineKind::LibreTranslate, None, None));
        assert!(
            e.contains("LIBRETRANSLATE_API_KEY") && e.contains("--endpoint"),
            "{e}"
        );
        for kind in [EngineKind::OpenAi, EngineKind::LibreTranslate] {
            assert!(build_engine(&config(kind, None, Some("http://127.0.0.1:1"))).is_ok());
            assert!(build_engine(&config(kind, Some("k"), None)).is_ok());
        }
    }

    #[test]
    fn keys_that_cannot_go_in_a_header_and_empty_models_are_refused() {
        for kind in [EngineKind::DeepL, EngineKind::OpenAi] {
            let e = refused(&config(
                kind,
                Some("abc\u{7}def"),
                Some("http://127.0.0.1:1"),
            ));
            assert!(e.contains("HTTP header") && !e.contains("abc"), "{e}");
            let e = refused(&config(
                kind,
                Some("abc\u{a0}def"),
                Some("http://127.0.0.1:1"),
            ));
            assert!(e.contains("HTTP header"), "{e}");
        }
        // LibreTranslate and Google send the key in the body or the query: any text goes.
        for kind in [EngineKind::LibreTranslate, EngineKind::Google] {
            assert!(
                build_engine(&config(
                    kind,
                    Some("clé\u{a0}1"),
                    Some("http://127.0.0.1:1")
                ))
                .is_ok()
            );
        }
        let mut c = config(EngineKind::OpenAi, None, Some("http://127.0.0.1:1"));
        c.model = Some("  ".into());
        assert!(refused(&c).contains("--model is empty"));
        c.model = Some(" qwen2.5 ".into());
        let engine = build_engine(&c).unwrap();
        assert!(
            engine.identity().contains("model=qwen2.5 "),
            "{}",
            engine.identity()
        );
    }

    #[test]
    fn debug_output_hides_the_key() {
        let c = config(EngineKind::DeepL, Some("secret-key-123:fx"), None);
        let engine = build_engine(&c).unwrap();
        assert!(!format!("{c:?}").contains("secret-key-123"));
        assert_eq!(engine.identity(), "deepl https://api-free.deepl.com/");
    }
}
