//! `transmend completions SHELL`: print a completion script generated from the argument
//! definitions themselves (so it never lags behind them) on standard output.

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use clap_complete::Shell;

#[derive(Args, Debug)]
#[command(after_help = "Save it where the shell looks for completions
(or try it with `source <(transmend completions bash)`), e.g.
  transmend completions bash > ~/.local/share/bash-completion/completions/transmend
  transmend completions fish > ~/.config/fish/completions/transmend.fish")]
pub(crate) struct CompletionsArgs {
    /// The shell to write the script for.
    #[arg(value_enum, value_name = "SHELL")]
    shell: Shell,
}

/// Generates the script for `cli`, the whole command tree, under the name `transmend`.
pub(crate) fn run(args: CompletionsArgs, mut cli: clap::Command) -> Result<ExitCode> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cli, "transmend", &mut script);
    super::print(&script)
}
