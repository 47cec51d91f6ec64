//! `transmend ignore list|remove`: the rejections kept in the project's `.transmend-ignore`
//! (written by `apply` from a review), listed with numbers and removed by number.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use clap::Subcommand;

use transmend::config;
use transmend::review::Ignore;
use transmend::review::ignore::{FILE_NAME, Scope};

use super::{Format, GlobalArgs};

#[derive(Subcommand, Debug)]
pub(crate) enum IgnoreCommand {
    /// List the entries, numbered (--format json: one entry per line as in the file).
    List {
        /// Where to look for the project's ignore file (default: the current folder).
        #[arg(value_name = "FOLDER", default_value = ".")]
        folder: PathBuf,
    },
    /// Remove entries by their numbers in `ignore list`: those flags are reported again.
    Remove {
        /// Entry numbers, as `ignore list` shows them.
        #[arg(required = true, value_name = "N")]
        numbers: Vec<usize>,
        /// Where to look for the project's ignore file (default: the current folder).
        #[arg(long, value_name = "FOLDER", default_value = ".")]
        folder: PathBuf,
    },
}

/// The ignore file of the project `folder` belongs to, or an error saying there is none.
fn find(folder: &Path) -> Result<Ignore> {
    let inputs = [folder.to_path_buf()];
    let project = config::discover(&inputs)?.and_then(|f| f.path.parent().map(Path::to_path_buf));
    match Ignore::discover(project.as_deref(), &inputs)? {
        Some(ignore) if ignore.file.exists() => Ok(ignore),
        _ => anyhow::bail!(
            "no {FILE_NAME} in {} or above it (`transmend apply` writes one from a review's rejections)",
            folder.display()
        ),
    }
}

pub(crate) fn run(global: &GlobalArgs, cmd: IgnoreCommand) -> Result<ExitCode> {
    match cmd {
        IgnoreCommand::List { folder } => {
            let ignore = find(&folder)?;
            let mut out = std::io::stdout().lock();
            if global.format == Some(Format::Json) {
                for entry in &ignore.entries {
                    writeln!(out, "{}", serde_json::to_string(entry)?)?;
                }
                return Ok(ExitCode::SUCCESS);
            }
            if !global.quiet {
                eprintln!("{}:", ignore.file.display());
            }
            if ignore.entries.is_empty() && !global.quiet {
                eprintln!("(no entries)");
            }
            for (i, e) in ignore.entries.iter().enumerate() {
                let place = match e.scope {
                    Scope::Document => format!("in {}", e.path.as_deref().unwrap_or("?")),
                    _ => "everywhere".to_string(),
                };
                let concept = e
                    .concept
                    .as_deref()
                    .map(|c| format!(" (concept {c})"))
                    .unwrap_or_default();
                writeln!(
                    out,
                    "{:>3}  {}  '{}'{concept}  {place}",
                    i + 1,
                    e.rule,
                    e.text
                )?;
            }
            Ok(ExitCode::SUCCESS)
        }
        IgnoreCommand::Remove { numbers, folder } => {
            let mut ignore = find(&folder)?;
            let removed = ignore.remove(&numbers)?;
            ignore.save()?;
            if !global.quiet {
                for e in &removed {
                    eprintln!("removed: {} '{}' ({})", e.rule, e.text, e.scope.as_str());
                }
                eprintln!(
                    "{}: {} entr{} left",
                    ignore.file.display(),
                    ignore.entries.len(),
                    if ignore.entries.len() == 1 {
                        "y"
                    } else {
                        "ies"
                    }
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
