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
pub mod openai;
mod protect;
pub mod report;
pub mod secret;
mod stage;
mod verify;

use std::time::Duration;

pub use batch::Policy;
pub use cache::Cache;
pub use engine::{Batch, Engine, EngineError, GlossarySupport, Limits, Stop, StopKind};
pub use http::HttpOptions;
pub use report::{Progress, Silent, Stats};
pub use secret::Secret;
pub use stage::{Pair, Settings, Source, TranslatedDocument, Translation, translate_documents};

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

/// Makes the engine a configuration describes.
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
    let client = http::Http::new(&config.http).map_err(ConfigError)?;
    Ok(match config.kind {
        EngineKind::LibreTranslate => Box::new(libretranslate::LibreTranslate::new(
            client,
            endpoint(libretranslate::DEFAULT_ENDPOINT)?,
            key,
        )),
        EngineKind::DeepL => {
            let key = need_key(key)?;
            let base = endpoint(deepl::endpoint_for(&key))?;
            let ready = config.http.timeout.max(Duration::from_secs(60));
            Box::new(deepl::DeepL::new(client, base, key, ready))
        }
        EngineKind::OpenAi => {
            if config.endpoint.is_none() && key.is_none() {
                need_key(None)?;
            }
            Box::new(openai::OpenAi::new(
                client,
                endpoint(openai::DEFAULT_ENDPOINT)?,
                key,
                config
                    .model
                    .clone()
                    .unwrap_or_else(|| openai::DEFAULT_MODEL.to_string()),
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

    #[test]
    fn debug_output_hides_the_key() {
        let c = config(EngineKind::DeepL, Some("secret-key-123:fx"), None);
        let engine = build_engine(&c).unwrap();
        assert!(!format!("{c:?}").contains("secret-key-123"));
        assert_eq!(engine.identity(), "deepl https://api-free.deepl.com/");
    }
}
