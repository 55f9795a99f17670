//! The `preflight` binary: parses arguments, runs the command, turns the outcome into an exit code.

use std::process::ExitCode;

use clap::Parser;

/// mimalloc: the pipeline makes many small strings, and it allocates them faster than the
/// system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = preflight::cli::Cli::parse();
    match preflight::cli::run(cli) {
        Ok(outcome) => ExitCode::from(outcome.code()),
        Err(e) => {
            #[expect(
                clippy::print_stderr,
                reason = "the last resort for an error that stopped the command"
            )]
            {
                eprintln!("error: {}", preflight::cli::describe(&e));
            }
            ExitCode::from(2)
        }
    }
}
