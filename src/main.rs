//! The `transmend` command line: parse arguments, call the library, map outcomes to exit codes
//! (0 no error flags, 1 at least one error flag, 2 usage error or an input that failed).

mod cmd;

use std::process::ExitCode;

use anyhow::Result;
use clap::{CommandFactory, Parser, Subcommand};

use cmd::GlobalArgs;

#[derive(Parser, Debug)]
#[command(
    name = "transmend",
    version,
    about = "Repair machine-translated documents and produce clean bilingual versions",
    after_help = cmd::man::exit_status_help()
)]
struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Read documents, detect languages, segment, match the glossary, print flags.
    Check(cmd::check::CheckArgs),
    /// Apply the safe repairs (--diff, --out DIR or --write).
    Fix(cmd::fix::FixArgs),
    /// Reviewer diff of an original and its corrected version.
    Diff(cmd::diff::DiffArgs),
    /// Repair, then translate through an engine and write bilingual versions.
    Translate(cmd::translate::TranslateArgs),
    /// Sentence-align an original with its translation and check terms pair by pair.
    Align(cmd::align::AlignArgs),
    /// The whole pipeline for a corpus, with an HTML review report.
    Run(cmd::run::RunArgs),
    /// Make a reviewer's decisions (decisions.json from report.html) in the original files.
    Apply(cmd::apply::ApplyArgs),
    /// List or remove the rejections kept in the project's .transmend-ignore.
    #[command(subcommand)]
    Ignore(cmd::ignore::IgnoreCommand),
    /// Work with the reports of `run` (merge shards).
    #[command(subcommand)]
    Report(cmd::report::ReportCommand),
    /// Validate, convert or propose glossary entries.
    #[command(subcommand)]
    Glossary(cmd::glossary::GlossaryCommand),
    /// Maintain translation caches (merge the caches of several workers).
    #[command(subcommand)]
    Cache(cmd::cache::CacheCommand),
    /// Print a shell completion script on standard output.
    Completions(cmd::completions::CompletionsArgs),
    /// Print the manual page (roff) on standard output.
    Man(cmd::man::ManArgs),
}

fn main() -> ExitCode {
    ignore_file_size_signal();
    tune_allocator();
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
        Command::Check(args) => cmd::check::run(&cli.global, args),
        Command::Fix(args) => cmd::fix::run(&cli.global, args),
        Command::Diff(args) => cmd::diff::run(&cli.global, args),
        Command::Translate(args) => cmd::translate::run(&cli.global, args),
        Command::Align(args) => cmd::align::run(&cli.global, args),
        Command::Run(args) => cmd::run::run(&cli.global, args),
        Command::Apply(args) => cmd::apply::run(&cli.global, args),
        Command::Ignore(cmd) => cmd::ignore::run(&cli.global, cmd),
        Command::Report(cmd) => cmd::report::run(&cli.global, cmd),
        Command::Glossary(cmd) => cmd::glossary::run(&cli.global, cmd),
        Command::Cache(cmd) => cmd::cache::run(&cli.global, cmd),
        Command::Completions(args) => cmd::completions::run(args, Cli::command()),
        Command::Man(args) => cmd::man::run(args, Cli::command()),
    }
}

/// Over a file size limit (`ulimit -f`) the kernel kills a writer with SIGXFSZ, leaving its
/// temporary file behind; ignored, the write fails with EFBIG instead, which is reported like
/// a full disk and cleaned up.
#[cfg(unix)]
fn ignore_file_size_signal() {
    // SAFETY: sets the disposition of one signal to "ignore" before any thread exists; no
    // handler code runs.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
}

#[cfg(not(unix))]
fn ignore_file_size_signal() {}

/// glibc raises its mmap threshold each time a large block is freed, so the buffers of one
/// document (a normalised copy, match lists, flags: megabytes each) end up on the heap, where
/// freeing them rarely gives the memory back; and each thread gets an arena of its own. A
/// fixed threshold returns a finished document's large buffers at once, and two arenas serve
/// the two worker threads: a 63 MiB Chinese document peaked 10 % lower and ran no slower
/// (BENCHMARKS.md, issue 20).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn tune_allocator() {
    // SAFETY: mallopt only changes allocator parameters; it is called before any thread
    // exists and before any large allocation.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 256 * 1024);
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_allocator() {}
