//! `transmend glossary lint|convert`: validate glossaries, convert CSV <-> TBX, export DeepL TSV.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::{Subcommand, ValueEnum};

use transmend::glossary;

use super::{GlobalArgs, parse_lang};

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
    }
}
