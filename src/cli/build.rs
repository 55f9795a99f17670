//! `preflight build`: renders the book as a static runbook site.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::{
    Global, Outcome, eprint_line, outside_book_folders, plural, report_errors, under_root,
};
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
    if !global.quiet {
        for warning in &releases.warnings {
            eprint_line(&format!("warning: {warning}"));
        }
    }
    if global.verbose {
        for r in &releases.list {
            eprint_line(&format!(
                "release {} from {}: {}, into {}/",
                r.name,
                r.origin,
                plural(r.sources.len(), "checklist"),
                r.dir
            ));
        }
    }
    let out = under_root(global, args.out.as_ref().unwrap_or(&config.build.output));
    outside_book_folders(global, &config, &out)?;
    let total: usize = releases.list.iter().map(|r| r.sources.len()).sum();
    let bar = Progress::new(total, !global.quiet && std::io::stderr().is_terminal());
    let progress = |n: usize| bar.advance(n);
    let options = site::Options {
        cache: None,
        progress: Some(&progress),
        pdf: true,
    };
    let report = site::build(&global.root, &config, &releases, &out, options);
    bar.clear();
    let report = report?;
    errors.extend(report.errors);
    report_errors(&errors);
    // Error-level diagnostics are findings, as for `check`: the site is written with them on
    // its pages, and the exit code says so.
    for problem in &report.problems {
        eprint_line(problem);
    }
    if !global.quiet {
        for note in &report.notes {
            eprint_line(&format!("note: {note}"));
        }
        eprint_line(&format!(
            "built {}, {}, {}, {} into {} ({} files{}, {:.1} MiB) in {:.2}s; {}, {}",
            plural(report.releases, "release"),
            plural(report.checklists, "checklist"),
            plural(report.tasks, "task"),
            plural(report.pages, "page"),
            report.out.display(),
            report.files,
            unchanged(report.files, report.kept),
            mebibytes(report.bytes),
            started.elapsed().as_secs_f64(),
            plural(report.error_count + errors.len(), "error"),
            plural(report.warning_count, "warning"),
        ));
    }
    Ok(if !errors.is_empty() {
        Outcome::Failure
    } else if report.problems.is_empty() {
        Outcome::Success
    } else {
        Outcome::Findings
    })
}

/// `, 12 changed` after the count of files, when some were kept from the output replaced.
fn unchanged(files: usize, kept: usize) -> String {
    if kept == 0 {
        String::new()
    } else {
        format!(", {} changed", files - kept)
    }
}

/// A progress bar on stderr for builds that take a while: drawn only when stderr is a terminal,
/// and only once the build has run for [`PROGRESS_AFTER`], so quick builds print nothing.
struct Progress {
    bar: ProgressBar,
    started: Instant,
    enabled: bool,
    shown: AtomicBool,
}

/// How long a build runs before it shows a progress bar.
const PROGRESS_AFTER: Duration = Duration::from_millis(800);

impl Progress {
    fn new(total: usize, enabled: bool) -> Progress {
        let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::hidden());
        if let Ok(style) = ProgressStyle::with_template(
            "building {pos}/{len} checklists [{wide_bar}] {percent}% ({eta} left)",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        Progress {
            bar,
            started: Instant::now(),
            enabled,
            shown: AtomicBool::new(false),
        }
    }

    fn advance(&self, n: usize) {
        self.bar.inc(n as u64);
        if self.enabled
            && self.started.elapsed() >= PROGRESS_AFTER
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    fn clear(&self) {
        self.bar.finish_and_clear();
    }
}

/// Bytes as MiB, for display (precision beyond 0.1 MiB does not matter).
#[allow(clippy::cast_precision_loss)]
fn mebibytes(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}
