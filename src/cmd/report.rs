//! `transmend report merge DIR... --out DIR`: combines the outputs of sharded `run`s (each
//! `report*.jsonl` of each folder) into one `report.jsonl`, sorted by path, and one
//! `report.html`, re-reading each original from its recorded path and its repaired copy from
//! the folder's `fixed/`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Subcommand;
use transmend::pipeline;

use super::run::PagesWhen;
use super::{GlobalArgs, project};

#[derive(Subcommand, Debug)]
pub(crate) enum ReportCommand {
    /// Combine the reports of several `run --out` folders (shards) into one.
    Merge {
        /// Output folders of `transmend run`.
        #[arg(required = true, value_name = "DIR")]
        dirs: Vec<PathBuf>,
        /// Where to write the merged report.jsonl and report.html.
        #[arg(long, short = 'o', value_name = "DIR")]
        out: PathBuf,
        /// When the merged report.html becomes an index with one page per document (in the
        /// folder report/ beside it), as `run --report-pages`.
        #[arg(long, value_name = "WHEN", value_enum, default_value_t = PagesWhen::Auto)]
        report_pages: PagesWhen,
    },
}

pub(crate) fn run(global: &GlobalArgs, cmd: ReportCommand) -> Result<ExitCode> {
    let ReportCommand::Merge {
        dirs,
        out,
        report_pages,
    } = cmd;
    let project = project(global, &dirs)?;
    let merged = pipeline::merge_reports(&dirs, &out, project.termbase, report_pages.into())?;
    if !global.quiet {
        for path in &merged.conflicts {
            eprintln!("warning: {path} is reported twice, differently; keeping the first");
        }
        eprintln!(
            "merged {} document(s) into {} and {}{}",
            merged.documents,
            merged.report_jsonl.display(),
            merged.report_html.display(),
            merged
                .report_pages
                .as_ref()
                .map(|p| format!(" (its pages in {}/)", p.display()))
                .unwrap_or_default()
        );
    }
    Ok(ExitCode::from(merged.exit.code()))
}
