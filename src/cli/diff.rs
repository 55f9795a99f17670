//! `preflight diff`: what changed between two versions of checklists, by item.
//!
//! Each side is a Markdown file, a folder (a book folder with `book.toml` means its content
//! folder), or a git ref of the repository holding the book (its content folder at that commit).
//! A path that exists wins over a ref of the same name. With one side, it is compared with the
//! book's working tree.

use std::path::Path;

use clap::ValueEnum;

use super::{Global, Outcome, eprint_line, report_errors, stdout_is_terminal, write_stdout};
use crate::config::Config;
use crate::diff::{self, format};
use crate::discover::{self, SourcePath};
use crate::error::Error;
use crate::git::Repo;
use crate::model::Checklist;
use crate::pipeline;
use crate::render::json;

/// Arguments of `diff`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  preflight diff v1.0.0 v1.1.0                 compare the book's checklists at two tags
  preflight diff v1.1.0                        compare a tag with the working tree
  preflight diff old.md new.md                 compare two files
  preflight diff main HEAD --format markdown   a pull-request comment
  preflight diff v1.0.0 v1.1.0 --format json   for tools; `preflight schema --diff` describes it")]
pub(super) struct Args {
    /// The old side: a file, a folder or a git ref.
    #[arg(value_name = "OLD")]
    old: String,
    /// The new side; default: the book's working tree.
    #[arg(value_name = "NEW")]
    new: Option<String>,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Exit with 1 when there are changes (`-q` implies it, and prints no diff).
    #[arg(long)]
    exit_code: bool,
}

/// Output formats of `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// For a terminal, coloured when it is one.
    Text,
    /// GitHub-flavoured Markdown, for a pull-request comment.
    Markdown,
    /// The diff document (`preflight schema --diff` prints its schema).
    Json,
    /// A standalone HTML page.
    Html,
}

/// Runs `diff`.
pub(super) fn run(args: &Args, global: &Global) -> anyhow::Result<Outcome> {
    let config = discover::load_config(&global.root)?;
    let mut errors = Vec::new();
    let mut old = side(global, &config, &args.old, &mut errors)?;
    let (new, new_label) = if let Some(new) = &args.new {
        (side(global, &config, new, &mut errors)?, new.clone())
    } else {
        let (sources, failed) = discover::book_sources(&global.root, &config);
        errors.extend(failed);
        (load(&sources, &config, &mut errors), "working tree".into())
    };
    report_reading(&old, &side_prefix(&args.old));
    report_reading(
        &new,
        &args.new.as_deref().map(side_prefix).unwrap_or_default(),
    );
    if let ([before], [after]) = (old.as_mut_slice(), new.as_slice())
        && super::from_root(global, Path::new(&args.old)).is_file()
        && args
            .new
            .as_deref()
            .is_some_and(|n| super::from_root(global, Path::new(n)).is_file())
    {
        {
            // Two files are two versions of one checklist, whatever their names.
            before.id.clone_from(&after.id);
            before.path.clone_from(&after.path);
        }
    }
    if !errors.is_empty() {
        // A side that could not be read in full would show its missing checklists as removed
        // or added: no diff rather than a false one.
        report_errors(&errors);
        return Ok(Outcome::Failure);
    }
    let doc = diff::diff(&args.old, &new_label, &old, &new);
    // As `git diff --quiet`: no diff printed, the exit code says whether there is one.
    if global.quiet {
        return Ok(if doc.summary.has_changes() {
            Outcome::Findings
        } else {
            Outcome::Success
        });
    }
    let bytes = match args.format {
        Format::Text => format::text::render(&doc, global.color(stdout_is_terminal())).into_bytes(),
        Format::Markdown => format::markdown::render(&doc).into_bytes(),
        Format::Json => json::to_bytes(&doc, true)?,
        Format::Html => crate::site::changes::standalone(&global.root, &doc)?.into_bytes(),
    };
    write_stdout(&bytes)?;
    Ok(if args.exit_code && doc.summary.has_changes() {
        Outcome::Findings
    } else {
        Outcome::Success
    })
}

/// The checklists of one side.
fn side(
    global: &Global,
    config: &Config,
    arg: &str,
    errors: &mut Vec<Error>,
) -> anyhow::Result<Vec<Checklist>> {
    let path = super::from_root(global, Path::new(arg));
    if is_null_device(arg) {
        // As in `git diff`: nothing, so that everything on the other side is added or removed.
        return Ok(Vec::new());
    }
    if path.is_file() {
        let (sources, failed) = discover::path_sources(&global.root, &[path]);
        errors.extend(failed);
        return Ok(load(&sources, config, errors));
    }
    if path.is_dir() {
        let sources = folder_sources(&path, errors)?;
        return Ok(load(&sources, config, errors));
    }
    let repo = Repo::open(&global.root).ok_or_else(|| not_found(arg, false))?;
    let commit = repo.resolve(arg).ok_or_else(|| not_found(arg, true))?;
    let (sources, failed) = repo.sources(arg, &commit, &config.build.content)?;
    errors.extend(failed);
    Ok(load(&sources, config, errors))
}

/// The sources of a folder: its content folder when it is a book, else its Markdown files.
fn folder_sources(dir: &Path, errors: &mut Vec<Error>) -> anyhow::Result<Vec<SourcePath>> {
    let (sources, failed) = if dir.join(discover::CONFIG_FILE).is_file() {
        let config = discover::load_config(dir)?;
        discover::book_sources(dir, &config)
    } else {
        // Paths relative to the folder, so two folders of one book compare file by file.
        discover::path_sources(dir, &[dir.to_owned()])
    };
    errors.extend(failed);
    Ok(sources)
}

/// Whether a side names the null device (`/dev/null`; `NUL` on Windows): an empty side.
fn is_null_device(arg: &str) -> bool {
    arg == "/dev/null" || (cfg!(windows) && arg.eq_ignore_ascii_case("NUL"))
}

fn not_found(arg: &str, in_repo: bool) -> anyhow::Error {
    let hint = if in_repo {
        "it is not a file, a folder, or a ref of this repository (`git tag` lists tags)"
    } else {
        "it is not a file or a folder, and the book is not in a git repository (or `git` cannot be run)"
    };
    anyhow::anyhow!("`{}`: {hint}", format::text::clean(arg))
}

/// What names a file of a side in messages, before its path: the folder (`old/`) or the ref
/// (`v1.2:`) it was read from; nothing for a file named as it is.
fn side_prefix(arg: &str) -> String {
    let path = Path::new(arg);
    if path.is_file() {
        String::new()
    } else if path.is_dir() {
        format!("{}/", arg.trim_end_matches('/'))
    } else {
        format!("{arg}:")
    }
}

/// Problems met while reading that change what is compared (a file that is not text, front
/// matter that could not be read), one line each on stderr: a diff of a binary file or of a
/// broken header should not pass unnoticed.
fn report_reading(checklists: &[Checklist], prefix: &str) {
    const READING: &[&str] = &["invalid-utf8", "control-character", "front-matter"];
    for c in checklists {
        for d in c
            .diagnostics
            .iter()
            .filter(|d| READING.contains(&d.code.as_str()))
        {
            // A warning whatever `check` would make of it: the diff is still made.
            eprint_line(&format!(
                "{}{}:{}:{}: warning[{}]: {}",
                crate::diag::escape_controls(prefix),
                crate::diag::escape_controls(&c.path),
                d.line,
                d.column,
                d.code,
                format::text::clean(&d.message)
            ));
        }
    }
}

/// Reads and processes sources in parallel, in order; failures go to `errors`.
fn load(sources: &[SourcePath], config: &Config, errors: &mut Vec<Error>) -> Vec<Checklist> {
    let (checklists, failed) = pipeline::load_all(sources, &config.levels());
    errors.extend(failed);
    checklists
}
