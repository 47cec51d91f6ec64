//! The subcommands: each file turns validated arguments into library calls and output.

pub(crate) mod align;
pub(crate) mod cache;
pub(crate) mod check;
pub(crate) mod completions;
pub(crate) mod diff;
pub(crate) mod fix;
pub(crate) mod glossary;
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

use transmend::error::Error;
use transmend::glossary::{self as lib_glossary, Termbase};
use transmend::pipeline::RunReport;

/// Options shared by every subcommand.
#[derive(Args, Debug)]
pub(crate) struct GlobalArgs {
    /// Glossary file (CSV or TBX); repeatable. Default: every *.csv/*.tbx under ./glossary/.
    #[arg(long, global = true, value_name = "FILE")]
    pub(crate) glossary: Vec<PathBuf>,
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

impl GlobalArgs {
    /// `--lang` as the library takes it.
    pub(crate) fn lang(&self) -> Option<&'static str> {
        self.lang.as_deref().map(transmend::lang::intern)
    }
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

/// Parses a BCP 47 tag down to its primary subtag (`--lang`, `--to`, `--from`).
pub(crate) fn parse_lang(s: &str) -> Result<String, String> {
    transmend::lang::parse(s)
        .map(|tag| tag.language)
        .map_err(|e| e.to_string())
}

/// The glossary files to use: those given, else every *.csv/*.tbx under ./glossary/.
pub(crate) fn glossary_paths(given: &[PathBuf]) -> Result<Vec<PathBuf>> {
    if !given.is_empty() {
        return Ok(given.to_vec());
    }
    let dir = PathBuf::from("glossary");
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut paths = Vec::new();
    for entry in
        std::fs::read_dir(&dir).with_context(|| format!("cannot list {}", dir.display()))?
    {
        let path = entry?.path();
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        if matches!(ext.as_deref(), Some("csv" | "tbx")) && path.is_file() {
            paths.push(path);
        }
    }
    paths.sort();
    Ok(paths)
}

/// Loads and compiles the glossary. The termbase lives until the process exits: it is leaked
/// on purpose, because freeing a large one (hundreds of thousands of small strings) at exit
/// costs as much as a good part of building it.
pub(crate) fn load_termbase(given: &[PathBuf]) -> Result<&'static Termbase> {
    let paths = glossary_paths(given)?;
    if paths.is_empty() {
        eprintln!(
            "note: no glossary (no ./glossary/ folder and no --glossary FILE): only checks that need no glossary run"
        );
    }
    let glossary = lib_glossary::load_files(&paths)
        .map_err(|e| anyhow::anyhow!("cannot load the glossary:\n{e}"))?;
    let termbase = Termbase::new(glossary).context("cannot compile the glossary")?;
    Ok(Box::leak(Box::new(termbase)))
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
