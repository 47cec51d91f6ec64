//! `transmend translate`: repair, translate through an engine, verify the glossary, write
//! NAME.SRC-TGT.{md,tmx,xlf,jsonl} into --out. Exit 0 clean, 1 glossary violations flagged,
//! 2 an input or the run failed (a stop names its cause and says how to resume).

use std::io::{self, IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use tracing_subscriber::EnvFilter;

use transmend::config;
use transmend::error::Error;
use transmend::pipeline::{self, CacheChoice, Job, Plan, Sink, TranslatePlan, TranslationReport};
use transmend::translate::{EngineConfig, EngineKind, HttpOptions, Policy, Progress, Secret};

use super::{GlobalArgs, InputArgs, Project, exit, parse_lang, parse_target, project};

#[derive(Args, Debug)]
pub(crate) struct TranslateArgs {
    /// Files or folders (read recursively).
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Target language (BCP 47, e.g. en); default: the project config's `[translate] to`.
    #[arg(long, visible_alias = "target", value_name = "LANG", value_parser = parse_target)]
    to: Option<String>,
    /// Source language (default: --lang, else detected per document).
    #[arg(long, value_name = "LANG", value_parser = parse_lang)]
    from: Option<String>,
    /// Folder for the bilingual files (created if missing).
    #[arg(long, short = 'o', visible_alias = "output", value_name = "DIR")]
    out: PathBuf,
    #[command(flatten)]
    engine: EngineArgs,
    #[command(flatten)]
    input: InputArgs,
}

/// How to reach a translation engine: shared by `translate` and `run`.
#[derive(Args, Debug)]
pub(crate) struct EngineArgs {
    /// libretranslate, deepl, openai, google or none.
    #[arg(long, env = "TRANSMEND_ENGINE", value_name = "ENGINE")]
    pub(crate) engine: Option<String>,
    /// Base URL of the service (the engine's documented path is appended).
    #[arg(long, env = "TRANSMEND_ENDPOINT", value_name = "URL")]
    pub(crate) endpoint: Option<String>,
    /// Model name (openai engine).
    #[arg(long, value_name = "NAME")]
    pub(crate) model: Option<String>,
    /// Read the API key from this file (else the engine's variable, else TRANSMEND_API_KEY).
    #[arg(long, value_name = "FILE")]
    pub(crate) api_key_file: Option<PathBuf>,
    /// Allow plain http:// to hosts other than loopback.
    #[arg(long)]
    pub(crate) allow_http: bool,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 4, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=64))]
    pub(crate) concurrency: u32,
    /// At most this many requests per second.
    #[arg(long, value_name = "N")]
    pub(crate) rate: Option<f64>,
    /// Seconds for one request, connecting included.
    #[arg(long, default_value_t = 120.0, value_name = "SECONDS")]
    pub(crate) timeout: f64,
    /// At most this many segments per request (below the engine's own limit).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub(crate) batch_size: Option<u32>,
    /// Retries of a failed request before giving up.
    #[arg(long, default_value_t = 5, value_name = "N")]
    pub(crate) retries: u32,
    /// Translation cache file (default: $XDG_CACHE_HOME/transmend/ or ~/.cache/transmend/).
    #[arg(long, value_name = "FILE", conflicts_with = "no_cache")]
    pub(crate) cache: Option<PathBuf>,
    /// Neither read nor write the translation cache.
    #[arg(long)]
    pub(crate) no_cache: bool,
    /// First backoff pause in milliseconds (doubles per retry).
    #[arg(long, default_value_t = 500, value_name = "MS", hide = true)]
    pub(crate) retry_delay_ms: u64,
}

/// The engine configuration, or `None` when no engine is configured (or `--engine none`).
/// `--engine`, `--endpoint` and `--model` (or their variables) win over the config's.
pub(crate) fn engine_config(
    args: &EngineArgs,
    config: &config::TranslateConfig,
) -> Result<Option<EngineConfig>> {
    let engine = args.engine.as_deref().or(config.engine.as_deref());
    let kind = match engine.map(EngineKind::parse) {
        Some(Ok(Some(kind))) => kind,
        Some(Err(e)) => bail!(e),
        None | Some(Ok(None)) => return Ok(None),
    };
    if !(args.timeout.is_finite() && args.timeout > 0.0) {
        bail!("--timeout must be a positive number of seconds");
    }
    if args.rate.is_some_and(|r| !(r.is_finite() && r > 0.0)) {
        bail!("--rate must be a positive number of requests per second");
    }
    Ok(Some(EngineConfig {
        kind,
        endpoint: args
            .endpoint
            .clone()
            .or_else(|| config.endpoint.clone())
            .filter(|e| !e.trim().is_empty()),
        model: args.model.clone().or_else(|| config.model.clone()),
        key: api_key(kind, args.api_key_file.as_deref())?,
        http: HttpOptions {
            timeout: Duration::from_secs_f64(args.timeout),
            connect_timeout: Duration::from_secs_f64(args.timeout.min(10.0)),
            allow_http: args.allow_http,
            ..HttpOptions::default()
        },
    }))
}

/// Concurrency, rate, retries and batching as the engine arguments ask.
pub(crate) fn policy(args: &EngineArgs) -> Policy {
    Policy {
        concurrency: args.concurrency as usize,
        rate: args.rate,
        max_retries: args.retries,
        base_delay: Duration::from_millis(args.retry_delay_ms),
        batch_size: args.batch_size.map(|n| n as usize),
        ..Policy::default()
    }
}

pub(crate) fn run(global: &GlobalArgs, args: TranslateArgs) -> Result<ExitCode> {
    init_logging();
    let project = project(global, &args.paths)?;
    let to = match args.to.clone().or_else(|| project.translate().to) {
        Some(to) => parse_target(&to).map_err(anyhow::Error::msg)?,
        None => bail!(
            "the target language is missing: pass --to LANG (e.g. --to en), or set `to` under \
             [translate] in the project's transmend.toml"
        ),
    };
    let from = args.from.clone().or_else(|| project.lang.clone());
    let Some(translate) = translate_plan(&args.engine, &project, Some(to), from)? else {
        bail!(
            "no translation engine configured: pass --engine libretranslate|deepl|openai|google \
             (or set TRANSMEND_ENGINE), with --endpoint URL for a self-hosted server"
        );
    };
    let plan = Plan {
        inputs: args.paths,
        options: transmend::pipeline::Options {
            ignore: project.ignore.clone(),
            ..args.input.options(
                translate.source.as_deref().map(transmend::lang::intern),
                None,
            )
        },
        job: Job::Translate {
            translate,
            out: args.out,
        },
    };
    let mut notes = Notes::new(global.quiet);
    let result = pipeline::run_corpus(&plan, project.termbase, &mut notes);
    notes.progress.finish();
    if let Ok(done) = &result
        && let Some(translation) = &done.translation
    {
        report(translation, global.quiet);
    }
    exit(result)
}

/// The translation plan the engine arguments describe, or `None` when no engine is
/// configured (or `--engine none`).
pub(crate) fn translate_plan(
    args: &EngineArgs,
    project: &Project,
    target: Option<String>,
    source: Option<String>,
) -> Result<Option<TranslatePlan>> {
    let Some(engine) = engine_config(args, &project.translate())? else {
        return Ok(None);
    };
    let cache = match (&args.cache, args.no_cache) {
        (_, true) => CacheChoice::Off,
        (Some(file), false) => CacheChoice::File(file.clone()),
        (None, false) => CacheChoice::Default,
    };
    Ok(Some(TranslatePlan {
        engine,
        cache,
        policy: policy(args),
        target,
        source,
    }))
}

/// Errors, skipped inputs and notes on stderr; translation progress as a bar on a terminal.
pub(crate) struct Notes {
    pub(crate) progress: Reporter,
    quiet: bool,
}

impl Notes {
    pub(crate) fn new(quiet: bool) -> Notes {
        Notes {
            progress: Reporter::new(!quiet && io::stderr().is_terminal(), quiet),
            quiet,
        }
    }
}

impl Sink for Notes {
    fn failed(&mut self, _path: &Path, error: &Error) -> io::Result<()> {
        eprintln!("error: {error}");
        Ok(())
    }

    fn skipped(&mut self, path: &Path, reason: &str) {
        if !self.quiet {
            eprintln!("note: skipped {}: {reason}", path.display());
        }
    }

    fn note(&mut self, message: &str) {
        eprintln!("{message}");
    }

    fn progress(&self) -> &dyn Progress {
        &self.progress
    }
}

/// Logs go to stderr, filtered by RUST_LOG (default: warnings).
pub(crate) fn init_logging() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(io::stderr)
        .with_ansi(io::stderr().is_terminal())
        .try_init();
}

/// The key: --api-key-file, else the engine's own variable, else TRANSMEND_API_KEY.
fn api_key(kind: EngineKind, file: Option<&Path>) -> Result<Option<Secret>> {
    if let Some(file) = file {
        // Bounded: a key file that is really a log or a device must not fill memory. (A FIFO,
        // as in `--api-key-file <(pass show deepl)`, works.)
        let mut bytes = Vec::new();
        std::fs::File::open(file)
            .and_then(|f| f.take(MAX_KEY_FILE + 1).read_to_end(&mut bytes))
            .with_context(|| format!("cannot read the API key file {}", file.display()))?;
        if bytes.len() as u64 > MAX_KEY_FILE {
            bail!(
                "the API key file {} is over {MAX_KEY_FILE} bytes: not a key file",
                file.display()
            );
        }
        // The message never quotes the file's content: it may be the key.
        let Ok(text) = String::from_utf8(bytes) else {
            bail!("the API key file {} is not UTF-8 text", file.display());
        };
        let key = Secret::new(text);
        if key.is_empty() {
            bail!("the API key file {} is empty", file.display());
        }
        check_key(&key).with_context(|| format!("the API key file {}", file.display()))?;
        return Ok(Some(key));
    }
    for var in [kind.key_variable(), "TRANSMEND_API_KEY"] {
        let key = std::env::var(var).ok().map(Secret::new);
        if let Some(key) = key.filter(|k| !k.is_empty()) {
            check_key(&key).with_context(|| format!("the variable {var}"))?;
            return Ok(Some(key));
        }
    }
    Ok(None)
}

/// Largest `--api-key-file` read.
const MAX_KEY_FILE: u64 = 16 * 1024;

/// A key goes into an HTTP header: white space or control characters inside it (two lines
/// in a key file) would be refused there with a less clear error, or split a header.
fn check_key(key: &Secret) -> Result<()> {
    if key
        .expose()
        .chars()
        .any(|c| c.is_control() || c.is_whitespace())
    {
        bail!(
            "holds white space or control characters inside the key; it must be one key on one line"
        );
    }
    Ok(())
}

/// Tells what the translation did: documents written or copied, figures, what failed and
/// how to resume.
pub(crate) fn report(result: &TranslationReport, quiet: bool) {
    let mut written = 0;
    for outcome in &result.documents {
        let doc = &outcome.doc;
        if !quiet && (doc.source_lang == doc.target_lang || doc.source_lang == "und") {
            eprintln!(
                "note: {} is in '{}' (detected): copied, not translated; pass --from LANG if that is wrong",
                doc.path.display(),
                doc.source_lang
            );
        }
        match &outcome.written {
            Some(Ok(paths)) => {
                written += 1;
                if !quiet && let Some(first) = paths.first() {
                    eprintln!(
                        "wrote {}.{{md,tmx,xlf,jsonl}} ({} segments)",
                        first.with_extension("").display(),
                        doc.pairs.len()
                    );
                }
            }
            Some(Err(e)) => eprintln!("error: {e}"),
            None => {}
        }
    }
    let s = &result.stats;
    if !quiet {
        eprintln!(
            "{written} document(s) written; {} distinct segment(s): {} from the cache, {} from the engine ({} characters sent, {} request(s), {} retries); {} re-sent with protected terms; {} flagged glossary-violation",
            s.unique,
            s.from_cache,
            s.translated,
            s.chars_sent,
            s.requests,
            s.retries,
            s.resent_protected,
            s.violations
        );
    }
    for (reason, count) in &result.failures {
        eprintln!("error: {count} segment(s) could not be translated: {reason}");
    }
    let incomplete: Vec<_> = result.incomplete().collect();
    if result.stop.is_some() || !incomplete.is_empty() {
        if let Some(stop) = &result.stop {
            eprintln!("error: stopped: {stop}");
        }
        let done = s.unique.saturating_sub(s.remaining);
        eprintln!(
            "{done} of {} distinct segment(s) are translated; {} remain, in:",
            s.unique, s.remaining
        );
        for doc in &incomplete {
            eprintln!(
                "  {} ({} of {} segments missing)",
                doc.path.display(),
                doc.remaining(),
                doc.pairs.len()
            );
        }
        if result.cached {
            eprintln!(
                "to resume, fix the cause and run the same command again: translated segments are cached and will not be sent (or paid for) again"
            );
        } else {
            eprintln!(
                "to resume, fix the cause and run the same command again (without --no-cache, finished segments would not be sent again)"
            );
        }
    }
}

/// Progress on stderr: a bar on a terminal, else only notes.
pub(crate) struct Reporter {
    bar: Option<ProgressBar>,
    quiet: bool,
    chars: AtomicUsize,
    retries: AtomicUsize,
    cached: AtomicUsize,
}

impl Reporter {
    pub(crate) fn new(bar: bool, quiet: bool) -> Reporter {
        let bar = bar.then(|| {
            let bar = ProgressBar::new(0);
            bar.set_style(
                ProgressStyle::with_template("{bar:30} {pos}/{len} segments, ETA {eta} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar
        });
        Reporter {
            bar,
            quiet,
            chars: AtomicUsize::new(0),
            retries: AtomicUsize::new(0),
            cached: AtomicUsize::new(0),
        }
    }

    fn update(&self) {
        if let Some(bar) = &self.bar {
            bar.set_message(format!(
                "({} cached, {} characters sent, {} retries)",
                self.cached.load(Ordering::Relaxed),
                self.chars.load(Ordering::Relaxed),
                self.retries.load(Ordering::Relaxed)
            ));
        }
    }

    pub(crate) fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Progress for Reporter {
    fn planned(&self, total: usize, cached: usize) {
        self.cached.store(cached, Ordering::Relaxed);
        if let Some(bar) = &self.bar {
            bar.set_length(total as u64);
            bar.set_position(cached as u64);
        }
        self.update();
    }

    fn translated(&self, segments: usize, chars: usize) {
        self.chars.fetch_add(chars, Ordering::Relaxed);
        if let Some(bar) = &self.bar {
            let room = bar.length().unwrap_or(0).saturating_sub(bar.position());
            bar.inc((segments as u64).min(room));
        }
        self.update();
    }

    fn retry(&self, _reason: &str) {
        self.retries.fetch_add(1, Ordering::Relaxed);
        self.update();
    }

    fn note(&self, message: &str) {
        if self.quiet {
            return;
        }
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("warning: {message}")),
            None => eprintln!("warning: {message}"),
        }
    }
}
