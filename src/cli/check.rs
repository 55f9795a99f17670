//! `preflight check`: prints diagnostics and exits 1 when any reaches the deny level.

use std::path::PathBuf;

use clap::ValueEnum;
use rayon::prelude::*;
use serde::Serialize;

use super::{
    Global, Outcome, eprint_line, plural, report_errors, sources, stdout_is_terminal, write_stdout,
};
use crate::diag::{Diagnostic, Position, Severity, render_human_all};
use crate::discover::SourcePath;
use crate::error::Error;
use crate::lint::settings::Levels;
use crate::render::{diagnostics, json};
use crate::{fix, pipeline};

/// Arguments of `check`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  preflight check
  preflight check content/deploy.md --format json
  preflight check --deny warnings
  preflight check --format github     annotations in a GitHub Actions log
  preflight check --format sarif > preflight.sarif
  preflight check --fix               apply the safe fixes in place")]
pub(super) struct Args {
    /// Files or folders to check; default: the book's content folder.
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Lowest severity that makes the check fail (exit 1).
    #[arg(long, value_enum, default_value_t = Deny::Errors, value_name = "LEVEL")]
    deny: Deny,
    /// Apply the safe fixes (mojibake, task markers, counts in headings) to the files in place,
    /// then report what is left.
    #[arg(long)]
    fix: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// `path:line:col: severity[code]: message` with the source line and a caret.
    Human,
    /// One JSON document with every file's diagnostics.
    Json,
    /// GitHub Actions workflow commands (`::warning file=…,line=…::…`).
    Github,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
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
    /// The file on disk.
    #[serde(skip)]
    real: std::path::PathBuf,
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
    let (config, sources, mut errors) = sources(global, &args.paths)?;
    if args.paths.is_empty() {
        // What `build` and `export --out` would refuse: two files with one id, or an id that
        // is the address of one of the site's pages. The files are still checked.
        errors.extend(crate::site::id_clashes(&sources));
    }
    let levels = config.levels();
    let color = global.color(stdout_is_terminal());
    let human = args.format == Format::Human;
    let results: Vec<Result<(FileReport, Option<Error>), Error>> = sources
        .par_iter()
        .map(|source| {
            let mut loaded = pipeline::load(source, &levels)?;
            let mut fix_error = None;
            if args.fix {
                match fix_file(source, &loaded, &levels) {
                    Ok(Fixed::Changed(fixed, applied)) => {
                        if !global.quiet {
                            let s = if applied == 1 { "" } else { "es" };
                            eprint_line(&format!("{}: applied {applied} fix{s}", source.display));
                        }
                        loaded = *fixed;
                    }
                    Ok(Fixed::Nothing) => {}
                    Ok(Fixed::Refused(why)) => {
                        if !global.quiet {
                            eprint_line(&format!("{}: not fixed: {why}", source.display));
                        }
                    }
                    // The findings are still shown, with the reason the file was not fixed.
                    Err(e) => fix_error = Some(e),
                }
            }
            let diagnostics = loaded.checklist.diagnostics;
            let human = if human {
                // `--quiet` shows errors only; the exit code still counts every finding.
                let errors_only: Vec<Diagnostic>;
                let shown = if global.quiet {
                    errors_only = diagnostics
                        .iter()
                        .filter(|d| d.severity == Severity::Error)
                        .cloned()
                        .collect();
                    &errors_only
                } else {
                    &diagnostics
                };
                render_human_all(&source.display, Some(&loaded.text), shown, color)
            } else {
                String::new()
            };
            Ok((
                FileReport {
                    path: source.display.clone(),
                    diagnostics,
                    human,
                    real: source.path.clone(),
                },
                fix_error,
            ))
        })
        .collect();
    let mut files = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok((f, fix_error)) => {
                files.push(f);
                errors.extend(fix_error);
            }
            Err(e) => errors.push(e),
        }
    }
    // Files that could not be read are findings too, so that machine formats name them.
    for report in errors.iter().filter_map(unreadable) {
        // An id clash is about a file that was checked: its report gets the finding.
        match files.iter_mut().find(|f| f.real == report.real) {
            Some(checked) => checked.diagnostics.extend(report.diagnostics),
            None => files.push(report),
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

/// A file that could not be read or processed, as a report with one `unreadable` error (or
/// `checklist-id`, for an id another file or a page of the site has). The human format has
/// printed the error already, so the report has no text of its own.
fn unreadable(error: &Error) -> Option<FileReport> {
    let (Error::Read { path, .. }
    | Error::Walk { path, .. }
    | Error::Internal { path, .. }
    | Error::NotFound { path }
    | Error::DuplicateId { path, .. }
    | Error::ReservedId { path, .. }) = error
    else {
        return None;
    };
    let code = if matches!(error, Error::DuplicateId { .. } | Error::ReservedId { .. }) {
        "checklist-id"
    } else {
        "unreadable"
    };
    let real = path.clone();
    let path = path.display().to_string();
    let full = error.to_string();
    let message = full
        .strip_prefix(&format!("`{path}`: "))
        .unwrap_or(&full)
        .to_owned();
    Some(FileReport {
        path,
        diagnostics: vec![Diagnostic::new(
            code,
            Severity::Error,
            message,
            Position::line(1),
        )],
        human: String::new(),
        real,
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

/// What `--fix` did to a file.
enum Fixed {
    /// The file as it now is, and how many fixes were applied.
    Changed(Box<pipeline::Loaded>, usize),
    /// Nothing to fix.
    Nothing,
    /// Fixes were found but the file is left alone, for this reason.
    Refused(&'static str),
}

/// Applies the safe fixes to one file in place, pass after pass until nothing more applies (a
/// fixed task marker changes the count a heading should declare). Files that were not valid
/// UTF-8, or whose line endings were repaired on reading, are left alone: their fixes are not
/// certain.
fn fix_file(
    source: &SourcePath,
    loaded: &pipeline::Loaded,
    levels: &Levels,
) -> Result<Fixed, Error> {
    const PASSES: usize = 4;
    let diagnostics = &loaded.checklist.diagnostics;
    if diagnostics.iter().all(|d| d.fix.is_none()) {
        return Ok(Fixed::Nothing);
    }
    if diagnostics.iter().any(|d| {
        matches!(
            d.code.as_str(),
            "invalid-utf8" | "encoding" | "control-character"
        )
    }) {
        return Ok(Fixed::Refused(
            "the file is not plain UTF-8 text, so a fix could change more than it should",
        ));
    }
    let original = std::fs::read(&source.path).map_err(|e| Error::Read {
        path: source.path.clone(),
        source: e,
    })?;
    let bom: &[u8] = if original.starts_with(b"\xEF\xBB\xBF") {
        b"\xEF\xBB\xBF"
    } else {
        b""
    };
    // Only a file read exactly as written is rewritten: any decoding or line-ending repair
    // would change more than the fixes.
    if original[bom.len()..] != *loaded.text.as_bytes() {
        return Ok(Fixed::Refused(
            "the file changed since it was read, or was read with repairs (line endings, encoding), so a fix could change more than it should",
        ));
    }
    let mut current: Option<pipeline::Loaded> = None;
    // The problems fixed, not the edits made: a fix made again in a later pass, by line and code
    // (a count in a heading set again once a fixed task marker made one more task), is the same
    // fix. Fixes never add or remove lines, so a line names the same place in every pass.
    let mut earlier: std::collections::HashSet<(u32, String)> = std::collections::HashSet::new();
    let mut total = 0;
    for _ in 0..PASSES {
        let now = current.as_ref().unwrap_or(loaded);
        let (text, applied) = fix::apply(&now.text, &now.checklist.diagnostics);
        if applied.is_empty() {
            break;
        }
        let keys: Vec<(u32, String)> = applied
            .iter()
            .map(|&i| &now.checklist.diagnostics[i])
            .map(|d| (d.line, d.code.clone()))
            .collect();
        total += keys.iter().filter(|k| !earlier.contains(*k)).count();
        earlier.extend(keys);
        let bytes = [bom, text.as_bytes()].concat();
        current = Some(pipeline::process(source, &bytes, levels)?);
    }
    let Some(done) = current else {
        return Ok(Fixed::Nothing);
    };
    let bytes = [bom, done.text.as_bytes()].concat();
    crate::output::replace_file(&source.path, &bytes, &original)?;
    Ok(Fixed::Changed(Box::new(done), total))
}

/// The path GitHub places an annotation by: relative to the workspace (the repository's root)
/// when the file is in it, which for a book in a folder of the repository differs from the
/// book-relative path shown elsewhere.
fn in_workspace(workspace: Option<&std::path::Path>, f: &FileReport) -> String {
    workspace
        .zip(std::fs::canonicalize(&f.real).ok())
        .and_then(|(w, real)| {
            real.strip_prefix(w)
                .ok()
                .map(|rel| rel.to_string_lossy().replace('\\', "/"))
        })
        .unwrap_or_else(|| f.path.clone())
}

fn print(format: Format, files: &[FileReport], summary: &Summary) -> anyhow::Result<()> {
    match format {
        Format::Human => {
            for f in files {
                write_stdout(f.human.as_bytes())?;
            }
        }
        Format::Github => {
            let workspace =
                std::env::var_os("GITHUB_WORKSPACE").and_then(|w| std::fs::canonicalize(w).ok());
            for f in files {
                let path = in_workspace(workspace.as_deref(), f);
                write_stdout(diagnostics::github(&path, &f.diagnostics).as_bytes())?;
            }
        }
        Format::Sarif => {
            let runs: Vec<(&str, &[Diagnostic])> = files
                .iter()
                .map(|f| (f.path.as_str(), f.diagnostics.as_slice()))
                .collect();
            write_stdout(&json::to_bytes(&diagnostics::sarif(&runs), true)?)?;
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
    format!(
        "checked {}: {}, {}, {}",
        plural(s.files, "file"),
        plural(s.errors, "error"),
        plural(s.warnings, "warning"),
        plural(s.infos, "note")
    )
}
