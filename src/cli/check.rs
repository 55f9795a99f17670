//! `preflight check`: prints diagnostics and exits 1 when any reaches the deny level.

use std::path::PathBuf;

use clap::ValueEnum;
use rayon::prelude::*;
use serde::Serialize;

use super::{
    Global, Outcome, eprint_line, report_errors, sources, stdout_is_terminal, write_stdout,
};
use crate::diag::{Diagnostic, Severity, render_human};
use crate::error::Error;
use crate::pipeline;
use crate::render::json;

/// Arguments of `check`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  preflight check
  preflight check content/deploy.md --format json
  preflight check --deny warnings")]
pub(super) struct Args {
    /// Files or folders to check; default: the book's content folder.
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Lowest severity that makes the check fail (exit 1).
    #[arg(long, value_enum, default_value_t = Deny::Errors, value_name = "LEVEL")]
    deny: Deny,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// `path:line:col: severity[code]: message` with the source line and a caret.
    Human,
    /// One JSON document with every file's diagnostics.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Deny {
    /// Fail on errors only.
    Errors,
    /// Fail on warnings and errors.
    Warnings,
}

/// One file's findings, as printed with `--format json`.
#[derive(Debug, Serialize)]
struct FileReport {
    path: String,
    diagnostics: Vec<Diagnostic>,
    #[serde(skip)]
    human: String,
}

#[derive(Debug, Serialize)]
struct Report<'a> {
    schema_version: &'a str,
    files: &'a [FileReport],
    summary: Summary,
}

#[derive(Debug, Default, Serialize)]
struct Summary {
    files: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
}

/// Runs `check`.
pub(super) fn run(args: &Args, global: &Global) -> anyhow::Result<Outcome> {
    let (_, sources, mut errors) = sources(global, &args.paths)?;
    let color = global.color(stdout_is_terminal());
    let human = args.format == Format::Human;
    let results: Vec<Result<FileReport, Error>> = sources
        .par_iter()
        .map(|source| {
            let loaded = pipeline::load(source)?;
            let diagnostics = loaded.checklist.diagnostics;
            let human = if human {
                diagnostics
                    .iter()
                    .map(|d| render_human(&source.display, Some(&loaded.text), d, color))
                    .collect()
            } else {
                String::new()
            };
            Ok(FileReport {
                path: source.display.clone(),
                diagnostics,
                human,
            })
        })
        .collect();
    let mut files = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(f) => files.push(f),
            Err(e) => errors.push(e),
        }
    }
    let summary = summarise(&files);
    print(args.format, &files, &summary)?;
    report_errors(&errors);
    if !global.quiet && human {
        eprint_line(&summary_line(&summary));
    }
    let threshold = match args.deny {
        Deny::Errors => Severity::Error,
        Deny::Warnings => Severity::Warning,
    };
    let failed = files
        .iter()
        .flat_map(|f| &f.diagnostics)
        .any(|d| d.severity >= threshold);
    Ok(if !errors.is_empty() {
        Outcome::Failure
    } else if failed {
        Outcome::Findings
    } else {
        Outcome::Success
    })
}

fn summarise(files: &[FileReport]) -> Summary {
    let mut s = Summary {
        files: files.len(),
        ..Summary::default()
    };
    for d in files.iter().flat_map(|f| &f.diagnostics) {
        match d.severity {
            Severity::Error => s.errors += 1,
            Severity::Warning => s.warnings += 1,
            Severity::Info => s.infos += 1,
        }
    }
    s
}

fn print(format: Format, files: &[FileReport], summary: &Summary) -> anyhow::Result<()> {
    match format {
        Format::Human => {
            for f in files {
                write_stdout(f.human.as_bytes())?;
            }
        }
        Format::Json => {
            let report = Report {
                schema_version: crate::model::SCHEMA_VERSION,
                files,
                summary: Summary { ..*summary },
            };
            write_stdout(&json::to_bytes(&report, true)?)?;
        }
    }
    Ok(())
}

fn summary_line(s: &Summary) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "checked {}: {}, {}, {}",
        plural(s.files, "file"),
        plural(s.errors, "error"),
        plural(s.warnings, "warning"),
        plural(s.infos, "note")
    )
}
