//! `transmend cache merge OUT IN...`: combine the translation caches of several workers into
//! one, so that a re-run anywhere reuses every translation already paid for.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Subcommand;

use transmend::translate::cache::Cache;

use super::GlobalArgs;

#[derive(Subcommand, Debug)]
pub(crate) enum CacheCommand {
    /// Merge translation caches (SQLite files) into OUT; where two hold a key, the newest row
    /// wins (on equal times the row already in OUT stays).
    Merge {
        /// The cache to write into (created if missing; may be one of the inputs' copies).
        #[arg(value_name = "OUT")]
        out: PathBuf,
        /// Caches to read, e.g. one per worker.
        #[arg(required = true, value_name = "IN")]
        inputs: Vec<PathBuf>,
    },
}

pub(crate) fn run(global: &GlobalArgs, command: CacheCommand) -> Result<ExitCode> {
    match command {
        CacheCommand::Merge { out, inputs } => {
            let cache = Cache::open(&out).context("cannot open the output cache")?;
            for input in &inputs {
                if same_file(&out, input) {
                    continue;
                }
                let n = cache.merge_from(input)?;
                if !global.quiet {
                    eprintln!("{}: {n} translation(s) added or updated", input.display());
                }
            }
            if !global.quiet {
                eprintln!(
                    "{}: {} translation(s)",
                    out.display(),
                    cache.len().context("cannot count the merged cache")?
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    matches!(
        (std::fs::canonicalize(a), std::fs::canonicalize(b)),
        (Ok(x), Ok(y)) if x == y
    )
}
