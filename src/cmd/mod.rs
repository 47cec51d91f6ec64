//! The subcommands: each file turns validated arguments into library calls and output.

pub(crate) mod align;
pub(crate) mod apply;
pub(crate) mod cache;
pub(crate) mod check;
pub(crate) mod completions;
pub(crate) mod diff;
pub(crate) mod fix;
pub(crate) mod glossary;
pub(crate) mod ignore;
pub(crate) mod man;
pub(crate) mod report;
pub(crate) mod run;
pub(crate) mod translate;

use std::ffi::OsStr;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::builder::{EnumValueParser, PossibleValue, TypedValueParser};
use clap::error::ErrorKind;
use clap::{Args, ValueEnum};

use transmend::config;
use transmend::error::Error;
use transmend::glossary::{self as lib_glossary, Termbase};
use transmend::pipeline::RunReport;

/// Options shared by every subcommand.
#[derive(Args, Debug)]
pub(crate) struct GlobalArgs {
    /// A glossary file (CSV or TBX) to add to the built-in Labour glossary; repeatable.
    #[arg(long, global = true, value_name = "FILE")]
    pub(crate) glossary: Vec<PathBuf>,
    /// Leave the built-in Labour glossary out (use only --glossary files and the config's).
    #[arg(long, global = true)]
    pub(crate) no_default_glossary: bool,
    /// Output format (default: human on a terminal, json otherwise; tsv and tmx: align only).
    #[arg(long, global = true, value_parser = FormatParser)]
    pub(crate) format: Option<Format>,
    /// The document language (BCP 47, e.g. zh), instead of detecting it.
    #[arg(long, global = true, value_name = "LANG", value_parser = parse_lang)]
    pub(crate) lang: Option<String>,
    /// Print nothing but the report (no notes, no tally).
    #[arg(short, long, global = true)]
    pub(crate) quiet: bool,
    /// Print more notes.
    #[arg(short, long, global = true)]
    pub(crate) verbose: bool,
}

/// How documents are read and how many at once: shared by check, fix and run.
#[derive(Args, Debug)]
pub(crate) struct InputArgs {
    /// Refuse files larger than this many bytes.
    #[arg(long, default_value_t = transmend::document::DEFAULT_MAX_FILE_SIZE, value_name = "BYTES")]
    pub(crate) max_file_size: u64,
    /// Documents processed in parallel (default: one per core).
    #[arg(long, short = 'j', default_value_t = 0, value_name = "N")]
    pub(crate) jobs: usize,
    /// The name standard input (PATH `-`) goes by in reports and outputs; its extension and
    /// language tag count as a file's would (e.g. repost.zh.txt).
    #[arg(long, value_name = "NAME")]
    pub(crate) stdin_name: Option<PathBuf>,
    /// Also report the flags the project's ignore file (.transmend-ignore) leaves out.
    #[arg(long)]
    pub(crate) show_ignored: bool,
}

impl InputArgs {
    /// The pipeline's options for these arguments.
    pub(crate) fn options(
        &self,
        lang: Option<&'static str>,
        shard: Option<transmend::pipeline::Shard>,
    ) -> transmend::pipeline::Options {
        transmend::pipeline::Options {
            read: transmend::document::ReadOptions {
                max_file_size: self.max_file_size,
            },
            lang,
            jobs: self.jobs,
            shard,
            stdin_name: self.stdin_name.clone(),
            ignore: None,
            show_ignored: self.show_ignored,
            pieces: None,
        }
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    Human,
    Json,
    /// Tab-separated pairs (align only).
    Tsv,
    /// TMX 1.4b (align only).
    Tmx,
}

/// `--format`: the [`Format`] values, and for `--format html` a pointer to where HTML comes
/// from (clap alone would suggest the nearest name, `tmx`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct FormatParser;

/// The answer to `--format html`.
const NO_HTML_FORMAT: &str = "there is no --format html: --format takes human or json \
(tsv and tmx: `transmend align` only).
HTML comes from `transmend run PATH... --out DIR` (it writes DIR/report.html)
and from `transmend diff ORIGINAL CORRECTED --html FILE`.";

impl TypedValueParser for FormatParser {
    type Value = Format;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<Format, clap::Error> {
        let asked = value.to_str().map(str::trim).unwrap_or_default();
        if ["html", "htm"]
            .iter()
            .any(|h| asked.eq_ignore_ascii_case(h))
        {
            return Err(cmd.clone().error(ErrorKind::InvalidValue, NO_HTML_FORMAT));
        }
        EnumValueParser::<Format>::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            Format::value_variants()
                .iter()
                .filter_map(ValueEnum::to_possible_value),
        ))
    }
}

/// Parses a translation target (`--to`): its primary subtag, or `zh-Hant`, `zh-TW`, `zh-HK`.
pub(crate) fn parse_target(s: &str) -> Result<String, String> {
    transmend::lang::parse_target(s).map_err(|e| e.to_string())
}

/// Parses a BCP 47 tag down to its primary subtag (`--lang`, `--from`).
pub(crate) fn parse_lang(s: &str) -> Result<String, String> {
    transmend::lang::parse(s)
        .map(|tag| tag.language)
        .map_err(|e| e.to_string())
}

/// What a run takes from the command line and from the project config file, merged: the
/// command line wins, and glossaries from both add to the built-in one.
pub(crate) struct Project {
    /// The config file found above the inputs, if any.
    pub(crate) config: Option<config::Found>,
    /// The compiled glossaries. Leaked on purpose: freeing a large termbase (hundreds of
    /// thousands of small strings) at exit costs as much as a good part of building it.
    pub(crate) termbase: &'static Termbase,
    /// `--lang`, else the config's `lang`.
    pub(crate) lang: Option<String>,
    /// The project's ignore file, when there is one.
    pub(crate) ignore: Option<std::sync::Arc<transmend::review::Ignore>>,
}

impl Project {
    /// The document language as the library takes it.
    pub(crate) fn lang(&self) -> Option<&'static str> {
        self.lang.as_deref().map(transmend::lang::intern)
    }

    /// The config's `[translate]` table (empty without a config).
    pub(crate) fn translate(&self) -> config::TranslateConfig {
        self.config
            .as_ref()
            .map(|c| c.config.translate.clone())
            .unwrap_or_default()
    }

    /// `--typography`, else the config's `[fix] typography`.
    pub(crate) fn typography(&self, flag: bool) -> bool {
        flag || self
            .config
            .as_ref()
            .and_then(|c| c.config.fix.typography)
            .unwrap_or(false)
    }
}

/// Finds the project config of `inputs`, loads the glossaries (the built-in one unless
/// `--no-default-glossary` or the config says so, then the config's files, then
/// `--glossary` files) and says on stderr which were used.
pub(crate) fn project(global: &GlobalArgs, inputs: &[PathBuf]) -> Result<Project> {
    let found = config::discover(inputs)?;
    if let Some(found) = &found
        && !global.quiet
    {
        eprintln!("config: {}", found.path.display());
    }
    let builtin = !global.no_default_glossary
        && found
            .as_ref()
            .and_then(|f| f.config.default_glossary)
            .unwrap_or(true);
    let mut files = found
        .as_ref()
        .map(config::Found::glossaries)
        .unwrap_or_default();
    files.extend(global.glossary.iter().cloned());
    let sources = lib_glossary::Sources { builtin, files };
    let loaded = lib_glossary::load(&sources)
        .map_err(|e| anyhow::anyhow!("cannot load the glossary:\n{e}"))?;
    if !global.quiet {
        if loaded.used.is_empty() {
            eprintln!(
                "note: no glossary (--no-default-glossary and no --glossary FILE): only checks that need no glossary run"
            );
        } else {
            let used: Vec<String> = loaded.used.iter().map(ToString::to_string).collect();
            eprintln!("glossaries: {}", used.join(", "));
        }
    }
    let termbase = Termbase::from_loaded(loaded).context("cannot compile the glossary")?;
    let lang = global
        .lang
        .clone()
        .or_else(|| found.as_ref().and_then(|f| f.config.lang.clone()))
        .map(|l| parse_lang(&l).map_err(anyhow::Error::msg))
        .transpose()?;
    let folder = found
        .as_ref()
        .and_then(|f| f.path.parent().map(std::path::Path::to_path_buf));
    let ignore = transmend::review::Ignore::discover(folder.as_deref(), inputs)?
        .filter(|i| !i.is_empty())
        .map(std::sync::Arc::new);
    if let Some(ignore) = &ignore
        && !global.quiet
    {
        eprintln!(
            "ignore file: {} ({})",
            ignore.file.display(),
            human_count(ignore.entries.len())
        );
    }
    Ok(Project {
        ignore,
        config: found,
        termbase: Box::leak(Box::new(termbase)),
        lang,
    })
}

/// `N entries`.
fn human_count(n: usize) -> String {
    transmend::output::human::count(n, "entry", "entries")
}

/// The exit status of a run: the pipeline's verdict when it finished; 2, quietly, when the
/// reader of its output went away (`| head`); any other error goes up to be reported.
pub(crate) fn exit(result: transmend::Result<RunReport>) -> Result<ExitCode> {
    match result {
        Ok(done) => Ok(ExitCode::from(done.exit.code())),
        Err(Error::Output(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            Ok(ExitCode::from(2))
        }
        Err(e) => Err(e.into()),
    }
}

/// Writes generated text (a completion script, a manual page) to standard output; a reader that
/// went away (`| head`) ends the run quietly with 2, as for the reports.
pub(crate) fn print(bytes: &[u8]) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::from(2)),
        Err(e) => Err(anyhow::Error::new(e).context("cannot write to standard output")),
    }
}
