//! `transmend glossary lint|convert|suggest`: validate glossaries, convert CSV <-> TBX, export
//! DeepL TSV, propose new entries from a corpus.

use std::ffi::OsStr;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::builder::{PossibleValue, TypedValueParser};
use clap::error::ErrorKind;
use clap::{Subcommand, ValueEnum};

use transmend::analysis::Analysis;
use transmend::error::Error;
use transmend::glossary;
use transmend::pipeline::{self, Job, Plan, Sink};
use transmend::suggest::{self, Collector};

use super::{Format, GlobalArgs, parse_lang, project};

#[derive(Subcommand, Debug)]
pub(crate) enum GlossaryCommand {
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
    /// Propose new glossary entries from a corpus, as CSV rows for a person to review.
    ///
    /// Reads every document as `check` does, with the same glossaries. Proposes Latin-script
    /// names and acronyms left in Chinese text, transliterations (伊恩·拉弗里) and Chinese forms
    /// written beside a Latin name in parentheses, spelling variants, and existing concepts
    /// the corpus writes in several forms. Each row says why (`why`), where it was seen
    /// (`seen`, path:line) and how often (`count`); without those three columns the CSV loads
    /// as a glossary.
    Suggest {
        /// Files or folders (read recursively).
        #[arg(required = true, value_name = "CORPUS")]
        paths: Vec<PathBuf>,
        /// Propose only what was seen at least N times (default: 1 for Latin-script names and
        /// forms beside a Latin partner, 2 for transliterations and variants seen on their own).
        #[arg(long, value_name = "N")]
        min_count: Option<usize>,
        /// Output format: csv (the default) or json (one object per proposal per line).
        #[arg(long, value_name = "FORMAT", value_parser = SuggestFormat)]
        format: Option<Format>,
    },
}

/// `glossary suggest --format`: `csv` or `json`. It shadows the global `--format` for this
/// command and keeps its type: `csv` is read as [`Format::Human`], the default output.
#[derive(Clone, Copy, Debug)]
pub(crate) struct SuggestFormat;

impl TypedValueParser for SuggestFormat {
    type Value = Format;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        _arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<Format, clap::Error> {
        match value.to_str().map(str::trim) {
            Some(v) if v.eq_ignore_ascii_case("csv") || v.eq_ignore_ascii_case("human") => {
                Ok(Format::Human)
            }
            Some(v) if v.eq_ignore_ascii_case("json") => Ok(Format::Json),
            _ => Err(cmd.clone().error(
                ErrorKind::InvalidValue,
                format!(
                    "invalid value '{}' for '--format <FORMAT>': glossary suggest writes csv or json",
                    value.to_string_lossy()
                ),
            )),
        }
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            [PossibleValue::new("csv"), PossibleValue::new("json")].into_iter(),
        ))
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ConvertTo {
    Csv,
    Tbx,
    Deepl,
}

pub(crate) fn run(global: &GlobalArgs, cmd: GlossaryCommand) -> Result<ExitCode> {
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
        GlossaryCommand::Suggest {
            paths,
            min_count,
            format,
        } => suggest(global, paths, min_count, format.or(global.format)),
    }
}

/// Hands each checked document to the collector; failures and notes go to stderr.
struct Gather<'t> {
    collector: Collector<'t>,
    quiet: bool,
}

impl Sink for Gather<'_> {
    fn checked(&mut self, analysis: &Analysis) -> io::Result<()> {
        self.collector.add(analysis);
        Ok(())
    }

    fn failed(&mut self, _path: &Path, error: &Error) -> io::Result<()> {
        eprintln!("error: {error}");
        Ok(())
    }

    fn skipped(&mut self, path: &Path, reason: &str) {
        if !self.quiet {
            // A note on stderr that cannot be written is not worth stopping for.
            let _ = transmend::output::human::write_skipped(&mut io::stderr(), path, reason);
        }
    }

    fn note(&mut self, message: &str) {
        if !self.quiet {
            eprintln!("{message}");
        }
    }
}

/// `glossary suggest`: checks the corpus as `check` does, then prints the proposals.
fn suggest(
    global: &GlobalArgs,
    paths: Vec<PathBuf>,
    min_count: Option<usize>,
    format: Option<Format>,
) -> Result<ExitCode> {
    let json = match format {
        None | Some(Format::Human) => false,
        Some(Format::Json) => true,
        Some(other) => bail!(
            "--format {} is not for glossary suggest: it writes csv or json",
            format!("{other:?}").to_lowercase()
        ),
    };
    let project = project(global, &paths)?;
    let plan = Plan {
        inputs: paths,
        options: pipeline::Options {
            lang: project.lang(),
            ..Default::default()
        },
        job: Job::Check,
    };
    let mut gather = Gather {
        collector: Collector::new(project.termbase),
        quiet: global.quiet,
    };
    let done = pipeline::run_corpus(&plan, project.termbase, &mut gather)?;
    let documents = gather.collector.documents();
    let options = suggest::Options { min_count };
    let proposals = gather.collector.finish(&done.tally.drift(), &options);
    let text = if json {
        suggest::to_json_lines(&proposals)?
    } else {
        suggest::to_csv(&proposals)
    };
    if !global.quiet {
        let changes = proposals.iter().filter(|p| p.amends).count();
        eprintln!(
            "{} proposal(s) from {documents} document(s): {} new concept(s), {changes} change(s) to existing ones",
            proposals.len(),
            proposals.len() - changes
        );
    }
    let printed = super::print(text.as_bytes())?;
    if done.tally.failed > 0 {
        return Ok(ExitCode::from(2));
    }
    Ok(printed)
}
