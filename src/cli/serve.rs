//! `preflight serve`: the site on loopback, rebuilt and reloaded on every change.

use std::net::IpAddr;

use super::{Global, Outcome, eprint_line};
use crate::serve::{self, Options};

/// Arguments of `serve`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  preflight serve                  http://127.0.0.1:3000/, rebuilt on every save
  preflight serve --port 0 --open  any free port, opened in the browser")]
pub(super) struct Args {
    /// Port to listen on (0: any free port).
    #[arg(long, short, default_value_t = 3000)]
    port: u16,
    /// Address to listen on. Anything but loopback lets other machines read the site.
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDR")]
    bind: IpAddr,
    /// Open the site in the default browser.
    #[arg(long)]
    open: bool,
}

/// Runs `serve` (until the process is stopped).
pub(super) fn run(args: &Args, global: &Global) -> anyhow::Result<Outcome> {
    // File events name absolute paths: compare them with the absolute root.
    let root = std::fs::canonicalize(&global.root).map_err(|source| crate::error::Error::Read {
        path: global.root.clone(),
        source,
    })?;
    let options = Options {
        root,
        bind: args.bind,
        port: args.port,
        verbose: global.verbose,
    };
    let open = args.open;
    let quiet = global.quiet;
    let log = move |line: &str| {
        if open
            && line.starts_with("serving http://")
            && let Some(url) = line.split_whitespace().nth(1)
        {
            open_browser(url);
        }
        // The address is always printed: with `--port 0` it is the only way to learn the port.
        if !quiet
            || line.starts_with("serving")
            || line.starts_with("warning")
            || line.contains("did not build")
        {
            eprint_line(line);
        }
    };
    serve::run(&options, &log)?;
    Ok(Outcome::Success)
}

/// Asks the desktop to open `url`; failing to is not an error (the URL is printed anyway).
fn open_browser(url: &str) {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let _ = std::process::Command::new(program)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}
