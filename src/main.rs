//! The `transmend` command line: parse arguments, call the library, map outcomes to exit codes
//! (0 no error flags, 1 at least one error flag, 2 usage error or an input that failed).

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand, ValueEnum};
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};

use transmend::document::{DEFAULT_MAX_FILE_SIZE, ReadOptions};
use transmend::glossary::{self, Termbase};
use transmend::output::{human, json};
use transmend::pipeline::{self, Outcome};

#[derive(Parser, Debug)]
#[command(
    name = "transmend",
    version,
    about = "Repair machine-translated documents and produce clean bilingual versions"
)]
struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Debug)]
struct GlobalArgs {
    /// Glossary file (CSV or TBX); repeatable. Default: every *.csv/*.tbx under ./glossary/.
    #[arg(long, global = true, value_name = "FILE")]
    glossary: Vec<PathBuf>,
    /// Output format (default: human on a terminal, json otherwise).
    #[arg(long, global = true, value_enum)]
    format: Option<Format>,
    /// The document language (BCP 47, e.g. zh), instead of detecting it.
    #[arg(long, global = true, value_name = "LANG", value_parser = parse_lang)]
    lang: Option<String>,
    /// Print nothing but the report (no notes, no tally).
    #[arg(short, long, global = true)]
    quiet: bool,
    /// Print more notes.
    #[arg(short, long, global = true)]
    verbose: bool,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    Human,
    Json,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Read documents, detect languages, segment, match the glossary, print flags.
    Check(CheckArgs),
    /// Apply the safe repairs (--diff, --out DIR or --write).
    Fix(Rest),
    /// Reviewer diff of an original and its corrected version.
    Diff(Rest),
    /// Repair, then translate through an engine and write bilingual versions.
    Translate(Rest),
    /// Sentence-align an original with its translation and check terms pair by pair.
    Align(Rest),
    /// The whole pipeline for a corpus, with an HTML review report.
    Run(Rest),
    /// Validate or convert glossaries.
    #[command(subcommand)]
    Glossary(GlossaryCommand),
}

#[derive(Subcommand, Debug)]
enum GlossaryCommand {
    /// Report load errors (exit 2) and warnings in glossary files.
    Lint {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Convert a glossary: CSV <-> TBX, or export DeepL's TSV.
    Convert {
        #[arg(value_name = "IN")]
        input: PathBuf,
        /// Output format.
        #[arg(long, value_enum)]
        to: ConvertTo,
        /// Source language (deepl export).
        #[arg(long, value_name = "LANG", value_parser = parse_lang)]
        source: Option<String>,
        /// Target language (deepl export).
        #[arg(long, value_name = "LANG", value_parser = parse_lang)]
        target: Option<String>,
        /// Output file (written atomically); `-` for standard output.
        #[arg(short = 'o', long = "output", value_name = "OUT")]
        output: PathBuf,
    },
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum ConvertTo {
    Csv,
    Tbx,
    Deepl,
}

#[derive(Args, Debug)]
struct CheckArgs {
    /// Files or folders (read recursively).
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Refuse files larger than this many bytes.
    #[arg(long, default_value_t = DEFAULT_MAX_FILE_SIZE, value_name = "BYTES")]
    max_file_size: u64,
    /// Add per-segment languages and script runs to the JSON (`segment_list`).
    #[arg(long)]
    segments: bool,
    /// Documents processed in parallel (default: one per core).
    #[arg(long, short = 'j', default_value_t = 0, value_name = "N")]
    jobs: usize,
}

/// Arguments of commands that are not built yet.
#[derive(Args, Debug)]
struct Rest {
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
    args: Vec<String>,
}

fn parse_lang(s: &str) -> Result<String, String> {
    let primary = s
        .split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    if (2..=3).contains(&primary.len()) && primary.bytes().all(|b| b.is_ascii_lowercase()) {
        Ok(primary)
    } else {
        Err(format!(
            "'{s}' is not a BCP 47 language code such as en or zh"
        ))
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Check(args) => check(&cli.global, args),
        Command::Fix(_) => not_yet("fix"),
        Command::Diff(_) => not_yet("diff"),
        Command::Translate(_) => not_yet("translate"),
        Command::Align(_) => not_yet("align"),
        Command::Run(_) => not_yet("run"),
        Command::Glossary(cmd) => glossary_command(&cli.global, cmd),
    }
}

fn not_yet(name: &str) -> Result<ExitCode> {
    bail!("'transmend {name}' is not yet available in this version")
}

fn check(global: &GlobalArgs, args: CheckArgs) -> Result<ExitCode> {
    let format = global.format.unwrap_or(if io::stdout().is_terminal() {
        Format::Human
    } else {
        Format::Json
    });
    let options = pipeline::Options {
        read: ReadOptions {
            max_file_size: args.max_file_size,
        },
        lang: global.lang.clone().map(|l| &*Box::leak(l.into_boxed_str())),
        jobs: args.jobs,
    };
    let color = if io::stdout().is_terminal() {
        ColorChoice::Auto
    } else {
        ColorChoice::Never
    };
    let termbase = load_termbase(&global.glossary)?;
    let mut out = StandardStream::stdout(color);
    let mut totals = human::Totals::default();
    let mut io_result: io::Result<()> = Ok(());
    pipeline::run_paths(&args.paths, &options, &termbase, |outcome| {
        if io_result.is_err() {
            return;
        }
        io_result = emit(
            &mut out,
            format,
            args.segments,
            global.quiet,
            &mut totals,
            outcome,
        );
    });
    match io_result {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(ExitCode::from(2)),
        other => other.context("cannot write the report")?,
    }
    if format == Format::Human && !global.quiet {
        human::write_totals(&mut out, &totals)?;
    }
    out.flush()?;
    Ok(exit_code(&totals))
}

fn glossary_command(global: &GlobalArgs, cmd: GlossaryCommand) -> Result<ExitCode> {
    match cmd {
        GlossaryCommand::Lint { files } => {
            let loaded = match glossary::load_files(&files) {
                Ok(g) => g,
                Err(e) => {
                    for problem in &e.problems {
                        eprintln!("error: {problem}");
                    }
                    return Ok(ExitCode::from(2));
                }
            };
            let warnings = glossary::lint::lint(&loaded);
            for w in &warnings {
                println!("warning: {w}");
            }
            if global.verbose {
                for n in glossary::lint::notes(&loaded) {
                    println!("note: {n}");
                }
            }
            if !global.quiet {
                eprintln!(
                    "{} concepts in {} file(s): {} warning(s)",
                    loaded.concepts.len(),
                    files.len(),
                    warnings.len()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        GlossaryCommand::Convert {
            input,
            to,
            source,
            target,
            output,
        } => {
            let loaded = glossary::load_file(&input)
                .map_err(|e| anyhow::anyhow!("cannot load the glossary:\n{e}"))?;
            let text = match to {
                ConvertTo::Csv => glossary::csv::to_string(&loaded),
                ConvertTo::Tbx => glossary::tbx::to_string(&loaded),
                ConvertTo::Deepl => {
                    let (Some(src), Some(tgt)) = (source, target) else {
                        bail!("--to deepl needs --source LANG and --target LANG");
                    };
                    glossary::deepl::export(&loaded, &src, &tgt).map_err(|e| {
                        anyhow::anyhow!("{}: cannot export for DeepL:\n{e}", input.display())
                    })?
                }
            };
            if output.as_os_str() == "-" {
                io::stdout().write_all(text.as_bytes())?;
            } else {
                transmend::output::write_atomic(&output, text.as_bytes())?;
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The glossary files to use: those given, else every *.csv/*.tbx under ./glossary/.
fn glossary_paths(given: &[PathBuf]) -> Result<Vec<PathBuf>> {
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

fn load_termbase(given: &[PathBuf]) -> Result<Termbase> {
    let paths = glossary_paths(given)?;
    if paths.is_empty() {
        eprintln!(
            "note: no glossary (no ./glossary/ folder and no --glossary FILE): only checks that need no glossary run"
        );
    }
    let glossary = glossary::load_files(&paths)
        .map_err(|e| anyhow::anyhow!("cannot load the glossary:\n{e}"))?;
    Ok(Termbase::new(glossary))
}

fn emit(
    out: &mut StandardStream,
    format: Format,
    segments: bool,
    quiet: bool,
    totals: &mut human::Totals,
    outcome: Outcome,
) -> io::Result<()> {
    match outcome {
        Outcome::Done(a) => {
            totals.add(&a);
            match format {
                Format::Json => {
                    writeln!(out, "{}", json::line(&json::FileReport::new(&a, segments)))
                }
                Format::Human => human::write_analysis(out, &a),
            }
        }
        Outcome::Failed { path, error } => {
            totals.failed += 1;
            match format {
                Format::Json => {
                    let report = json::ErrorReport {
                        path: path.display().to_string(),
                        error: error.reason(),
                    };
                    writeln!(out, "{}", json::line(&report))
                }
                Format::Human => human::write_failed(out, &error.to_string()),
            }
        }
        Outcome::Skipped { path, reason } => {
            totals.skipped += 1;
            if quiet {
                return Ok(());
            }
            human::write_skipped(&mut io::stderr(), &path, &reason)
        }
    }
}

fn exit_code(totals: &human::Totals) -> ExitCode {
    if totals.failed > 0 {
        ExitCode::from(2)
    } else if totals.errors() > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
