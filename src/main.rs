//! The `preflight` binary: parses arguments, runs the command, turns the outcome into an exit code.

use std::process::ExitCode;

use clap::Parser;

/// mimalloc: the pipeline makes many small strings, and it allocates them faster than the
/// system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The stack of each worker thread: address space, most of it never touched. The PDF
/// typesetter recurses over the document, and a runbook of a hundred thousand callouts
/// overflowed the default one.
const WORKER_STACK: usize = 256 << 20;

fn main() -> ExitCode {
    let cli = preflight::cli::Cli::parse();
    // Ctrl-C (or a SIGTERM) removes the output being staged, so a stopped run leaves the
    // previous output as it was and nothing beside it; 130 is the shells' code for it.
    let _ = ctrlc::set_handler(|| {
        preflight::output::interrupted();
        std::process::exit(130);
    });
    // Fails only when a pool exists already, which then keeps its own settings.
    let _ = rayon::ThreadPoolBuilder::new()
        .stack_size(WORKER_STACK)
        .build_global();
    let result = preflight::cli::run(cli);
    while preflight::output::stopping() {
        // The handler is removing what this run staged, and exits when done.
        std::thread::park();
    }
    match result {
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
