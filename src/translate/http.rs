//! The HTTP side every engine shares: a client with connect and total timeouts, few redirects
//! and rustls; endpoint checks (plain `http://` only on loopback); size-limited bodies; and the
//! usual mapping of status codes to retry / split / stop, with `Retry-After` read.

use std::net::IpAddr;
use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::{Client, RequestBuilder, StatusCode, Url};

use super::engine::{EngineError, StopKind};

/// Settings of the HTTP client.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    /// Whole request, from connecting to the last byte of the answer.
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// Allow plain `http://` to hosts other than loopback.
    pub allow_http: bool,
    /// Larger answers are refused.
    pub max_body: usize,
}

impl Default for HttpOptions {
    fn default() -> HttpOptions {
        HttpOptions {
            timeout: Duration::from_secs(120),
            connect_timeout: Duration::from_secs(10),
            allow_http: false,
            max_body: 32 << 20,
        }
    }
}

/// A status and body, read in full (up to the limit).
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) retry_after: Option<Duration>,
    pub(crate) body: Vec<u8>,
}

impl Reply {
    /// The error message of a JSON error body in any of the shapes services use
    /// (`{"error":"..."}`, `{"error":{"message":...}}`, `{"message":...}`), else the start of
    /// the body.
    pub(crate) fn message(&self) -> String {
        without_controls(&self.raw_message())
    }

    fn raw_message(&self) -> String {
        let text = String::from_utf8_lossy(&self.body);
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) {
            let error = &v["error"];
            if let Some(s) = error.as_str() {
                return s.to_string();
            }
            if let Some(s) = error["message"].as_str() {
                return s.to_string();
            }
            if let Some(s) = v["message"].as_str() {
                return match v["detail"].as_str() {
                    Some(d) => format!("{s}: {d}"),
                    None => s.to_string(),
                };
            }
        }
        let trimmed = text.trim();
        match trimmed.char_indices().nth(200) {
            Some((i, _)) => format!("{}...", &trimmed[..i]),
            None => trimmed.to_string(),
        }
    }
}

/// A server's text made safe to print: control characters (terminal escape sequences, line
/// breaks that would forge extra output lines) become spaces.
fn without_controls(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// The shared client.
#[derive(Debug, Clone)]
pub(crate) struct Http {
    client: Client,
    max_body: usize,
}

impl Http {
    pub(crate) fn new(options: &HttpOptions) -> Result<Http, String> {
        let client = Client::builder()
            .timeout(options.timeout)
            .connect_timeout(options.connect_timeout)
            .redirect(redirect_policy(options.allow_http))
            .use_rustls_tls()
            .user_agent(concat!("transmend/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("cannot set up the HTTP client: {e}"))?;
        Ok(Http {
            client,
            max_body: options.max_body,
        })
    }

    pub(crate) fn client(&self) -> &Client {
        &self.client
    }

    /// Sends a request and reads the whole answer. Network failures, timeouts and cut-off
    /// bodies are transient; the URL (which may carry a key) never appears in the error.
    pub(crate) async fn send(&self, request: RequestBuilder) -> Result<Reply, EngineError> {
        self.exchange(request).await.map_err(|e| match e {
            Failure::Unreachable(cause) => {
                EngineError::transient(format!("cannot connect to the server ({cause})"))
            }
            Failure::Engine(e) => e,
        })
    }

    /// Like [`Http::send`], but a connection that cannot be made at all (refused, unknown
    /// host, TLS handshake refused) is told apart, for the preflight to report it at once.
    pub(crate) async fn exchange(&self, request: RequestBuilder) -> Result<Reply, Failure> {
        let mut response = request.send().await.map_err(network_error)?;
        let status = response.status();
        let retry_after = retry_after(response.headers());
        let too_large = || {
            Failure::Engine(EngineError::fatal(
                StopKind::Unavailable,
                format!(
                    "the server's answer is larger than the limit of {} bytes; refused",
                    self.max_body
                ),
            ))
        };
        // A declared length over the limit is refused before reading; an undeclared one is
        // read chunk by chunk and cut off at the limit, so memory stays bounded either way.
        if response
            .content_length()
            .is_some_and(|n| n > self.max_body as u64)
        {
            return Err(too_large());
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(network_error)? {
            if body.len() + chunk.len() > self.max_body {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        tracing::debug!(status = status.as_u16(), bytes = body.len(), "answer");
        Ok(Reply {
            status,
            retry_after,
            body,
        })
    }
}

/// Why [`Http::exchange`] got no answer.
#[derive(Debug)]
pub(crate) enum Failure {
    /// No connection could be made; the cause, e.g. "connection refused".
    Unreachable(String),
    /// Anything else, classified as for a translation request.
    Engine(EngineError),
}

/// Most redirects followed for one request.
pub(crate) const MAX_REDIRECTS: usize = 3;

/// Follows at most [`MAX_REDIRECTS`] redirects, and never from `https://` down to plain
/// `http://` (nor to plain `http://` off loopback unless `allow_http`): a redirect must not
/// send texts or keys where the endpoint check would have refused them.
fn redirect_policy(allow_http: bool) -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(move |attempt| {
        if attempt.previous().len() > MAX_REDIRECTS {
            return attempt.error(format!("more than {MAX_REDIRECTS} redirects"));
        }
        let url = attempt.url();
        let downgrade = url.scheme() == "http"
            && attempt
                .previous()
                .last()
                .is_some_and(|prev| prev.scheme() == "https");
        let refused = match url.scheme() {
            "https" => false,
            "http" => downgrade || !(allow_http || is_loopback(url)),
            _ => true,
        };
        if refused {
            let reason = format!(
                "refusing a redirect to {}://{}",
                url.scheme(),
                url.host_str().unwrap_or("?")
            );
            attempt.error(reason)
        } else {
            attempt.follow()
        }
    })
}

/// A transport error without the URL: a connection never made is [`Failure::Unreachable`],
/// anything else (timeouts included) a transient failure.
fn network_error(e: reqwest::Error) -> Failure {
    if e.is_redirect() {
        let detail = std::error::Error::source(&e)
            .map(ToString::to_string)
            .unwrap_or_else(|| "redirect refused".into());
        return Failure::Engine(EngineError::fatal(
            StopKind::Rejected,
            format!("the server's redirect was not followed: {detail}"),
        ));
    }
    let reason = if e.is_timeout() {
        "the request timed out".to_string()
    } else if e.is_connect() {
        return Failure::Unreachable(connect_cause(&e));
    } else if e.is_body() || e.is_decode() {
        "the answer was cut off".to_string()
    } else {
        format!("request failed: {}", e.without_url())
    };
    Failure::Engine(EngineError::transient(reason))
}

/// Why a connection could not be made, from the innermost error (which never holds the URL):
/// "connection refused", "the host name could not be resolved (...)", a TLS error, ...
fn connect_cause(e: &reqwest::Error) -> String {
    let mut chain: Vec<&(dyn std::error::Error + 'static)> = Vec::new();
    let mut next = std::error::Error::source(e);
    while let Some(err) = next {
        chain.push(err);
        next = err.source();
    }
    let io_kind = chain
        .iter()
        .find_map(|err| err.downcast_ref::<std::io::Error>())
        .map(std::io::Error::kind);
    let innermost = chain
        .last()
        .map_or_else(|| "connection failed".to_string(), ToString::to_string);
    let cause = match io_kind {
        Some(std::io::ErrorKind::ConnectionRefused) => "connection refused".to_string(),
        Some(std::io::ErrorKind::ConnectionReset) => "connection reset".to_string(),
        Some(std::io::ErrorKind::HostUnreachable) => "host unreachable".to_string(),
        Some(std::io::ErrorKind::NetworkUnreachable) => "network unreachable".to_string(),
        _ if chain
            .iter()
            .any(|err| err.to_string().contains("dns error")) =>
        {
            format!("the host name could not be resolved ({innermost})")
        }
        _ => innermost,
    };
    without_controls(&cause)
}

/// The server's requested pause: `retry-after-ms` (milliseconds), else `Retry-After` in
/// seconds. Dates and values over 10 minutes are ignored (backoff applies instead).
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let get = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<f64>().ok())
            .filter(|v| v.is_finite() && *v >= 0.0)
    };
    let d = get("retry-after-ms")
        .map(|ms| ms / 1000.0)
        .or_else(|| get("retry-after"))?;
    (d <= 600.0).then(|| Duration::from_secs_f64(d))
}

/// Parses and checks an endpoint: `https://`, or `http://` only on loopback unless allowed.
pub(crate) fn check_endpoint(endpoint: &str, allow_http: bool) -> Result<Url, String> {
    let url = Url::parse(endpoint.trim())
        .map_err(|e| format!("invalid endpoint URL '{endpoint}': {e}"))?;
    match url.scheme() {
        "https" => {}
        "http" if allow_http || is_loopback(&url) => {}
        "http" => {
            return Err(format!(
                "refusing plain http:// to {}: keys and texts would travel unencrypted; use https:// or pass --allow-http",
                url.host_str().unwrap_or("?")
            ));
        }
        other => {
            return Err(format!(
                "unsupported endpoint scheme '{other}': use https://"
            ));
        }
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(
            "the endpoint URL must not carry credentials; use the key variables or --api-key-file"
                .into(),
        );
    }
    Ok(url)
}

fn is_loopback(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// `base` with `path` appended to its own path (`http://h/x` + `/v2/translate` =
/// `http://h/x/v2/translate`).
pub(crate) fn join(base: &Url, path: &str) -> Url {
    let mut url = base.clone();
    let joined = format!(
        "{}/{}",
        base.path().trim_end_matches('/'),
        path.trim_start_matches('/')
    );
    url.set_path(&joined);
    url.set_query(None);
    url
}

/// The usual meaning of an error status: 408, 425, 429, 529 and 5xx are transient; 413 means
/// split the batch; 401/403 stop (the key), 456 stops (quota), any other 4xx stops (the
/// request itself is refused). `label` names the service in the message.
pub(crate) fn classify(label: &str, reply: &Reply, message: &str) -> EngineError {
    let code = reply.status.as_u16();
    let what = format!("HTTP {code}: {message}");
    match code {
        408 | 425 | 429 | 529 | 500..=599 => EngineError::Transient {
            reason: format!("{label} {what}"),
            retry_after: reply.retry_after,
        },
        413 => EngineError::bad_batch(format!("{label}: request too large ({what})")),
        456 => EngineError::fatal(StopKind::Quota, format!("{label} quota exceeded ({what})")),
        401 | 403 => EngineError::fatal(
            StopKind::Auth,
            format!("{label} refused the API key ({what})"),
        ),
        _ => EngineError::fatal(
            StopKind::Rejected,
            format!("{label} rejected the request ({what})"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_plain_http_only_on_loopback() {
        assert!(check_endpoint("https://api.deepl.com", false).is_ok());
        assert!(check_endpoint("http://127.0.0.1:5000", false).is_ok());
        assert!(check_endpoint("http://localhost:5000/", false).is_ok());
        assert!(check_endpoint("http://[::1]:5000/", false).is_ok());
        let e = check_endpoint("http://translate.example.org", false).unwrap_err();
        assert!(e.contains("--allow-http"), "{e}");
        assert!(check_endpoint("http://translate.example.org", true).is_ok());
        assert!(check_endpoint("ftp://x", true).is_err());
        assert!(check_endpoint("https://user:pw@x.org", false).is_err());
    }

    #[test]
    fn join_appends_the_documented_path() {
        let base = Url::parse("http://127.0.0.1:5000/lt/").unwrap();
        assert_eq!(
            join(&base, "/translate").as_str(),
            "http://127.0.0.1:5000/lt/translate"
        );
        let base = Url::parse("https://api.deepl.com").unwrap();
        assert_eq!(
            join(&base, "/v2/translate").as_str(),
            "https://api.deepl.com/v2/translate"
        );
    }

    #[test]
    fn retry_after_headers() {
        let mut h = HeaderMap::new();
        assert_eq!(retry_after(&h), None);
        h.insert("retry-after", "2".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::from_secs(2)));
        h.insert("retry-after-ms", "150".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::from_millis(150)));
        let mut h = HeaderMap::new();
        h.insert(
            "retry-after",
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&h), None);
    }

    #[test]
    fn error_messages_in_every_shape() {
        let reply = |body: &str| Reply {
            status: StatusCode::BAD_REQUEST,
            retry_after: None,
            body: body.as_bytes().to_vec(),
        };
        assert_eq!(
            reply(r#"{"error":"Unauthorized"}"#).message(),
            "Unauthorized"
        );
        assert_eq!(
            reply(r#"{"error":{"message":"Loading model","code":503}}"#).message(),
            "Loading model"
        );
        assert_eq!(
            reply(r#"{"message":"Invalid glossary entries provided","detail":"dup"}"#).message(),
            "Invalid glossary entries provided: dup"
        );
        assert_eq!(reply("  oops \n").message(), "oops");
        assert_eq!(
            reply("{\"error\":\"bad\\u001b[2J\\nkey\"}").message(),
            "bad [2J key"
        );
        assert_eq!(reply("\u{1b}]0;title\u{7}x").message(), " ]0;title x");
    }
}
