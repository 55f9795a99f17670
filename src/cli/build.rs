//! `preflight build`: renders the book as a static runbook site.

use std::path::PathBuf;
use std::time::Instant;

use super::{Global, Outcome, eprint_line, report_errors, under_root};
use crate::site;

/// Arguments of `build`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  preflight build                     build the book in this folder into public/
  preflight build --out /tmp/site     build somewhere else (the folder is replaced as a whole)")]
pub(super) struct Args {
    /// Folder to write the site into (replaced as a whole); default: `[build] output` of
    /// book.toml, else `public`.
    #[arg(long, short, value_name = "DIR")]
    out: Option<PathBuf>,
}

/// Runs `build`.
pub(super) fn run(args: &Args, global: &Global) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    let config = crate::discover::load_config(&global.root)?;
    let (releases, mut errors) = crate::releases::resolve(&global.root, &config)?;
    let out = under_root(global, args.out.as_ref().unwrap_or(&config.build.output));
    let report = site::build(&global.root, &config, &releases, &out)?;
    errors.extend(report.errors);
    report_errors(&errors);
    if !global.quiet {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        eprint_line(&format!(
            "built {}, {}, {}, {} into {} ({} files, {:.1} MiB) in {:.2}s; {}, {}",
            plural(report.releases, "release"),
            plural(report.checklists, "checklist"),
            plural(report.tasks, "task"),
            plural(report.pages, "page"),
            report.out.display(),
            report.files,
            mebibytes(report.bytes),
            started.elapsed().as_secs_f64(),
            plural(report.error_count, "error"),
            plural(report.warning_count, "warning"),
        ));
    }
    Ok(if errors.is_empty() {
        Outcome::Success
    } else {
        Outcome::Failure
    })
}

/// Bytes as MiB, for display (precision beyond 0.1 MiB does not matter).
#[allow(clippy::cast_precision_loss)]
fn mebibytes(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}
