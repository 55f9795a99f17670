//! The command line: argument parsing, and the only code that prints.
//!
//! Each subcommand lives in its own file and returns an [`Outcome`]; `main` turns it into an
//! exit code (0 fine, 1 findings, 2 usage or operational error).

mod build;
mod check;
mod completions;
mod diff;
mod export;
mod init;
mod print;
mod rules;
mod schema;
mod serve;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};

use crate::config::Config;
use crate::discover::{self, SourcePath};
use crate::error::Error;

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything went fine.
    Success,
    /// The command ran and found problems (`check` errors).
    Findings,
    /// Something could not be done (a file could not be read or written).
    Failure,
}

impl Outcome {
    /// The process exit code.
    #[must_use]
    pub fn code(self) -> u8 {
        match self {
            Outcome::Success => 0,
            Outcome::Findings => 1,
            Outcome::Failure => 2,
        }
    }
}

/// Turn Markdown deployment checklists into runbooks, JSON and diffs.
#[derive(Debug, Parser)]
#[command(name = "preflight", version, about, long_about = None, after_help = EXAMPLES)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Root of the book (the folder with `book.toml`). Relative paths given to a command
    /// (`--out`, files, folders) are read from it, as with `git -C`.
    #[arg(
        short = 'C',
        long = "root",
        global = true,
        default_value = ".",
        value_name = "DIR"
    )]
    root: PathBuf,
    /// When to use colour.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Print only errors.
    #[arg(short, long, global = true)]
    quiet: bool,
    /// Say more about what is done (releases and where they come from, each rebuild's cause).
    #[arg(short, long, global = true, conflicts_with = "quiet")]
    verbose: bool,
}

const EXAMPLES: &str = "Examples:
  preflight build                     build the runbook site of the book in this folder
  preflight check                     check every checklist of the book in this folder
  preflight export --out json         write one JSON document per checklist and an index
  preflight export deploy.md          print one checklist as JSON
  preflight diff v1.0.0 v1.1.0        what changed between two tags, item by item
  preflight schema > schema.json      write the JSON Schema of exported documents";

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the runbook site: a page per checklist, a dashboard, search and the JSON.
    Build(build::Args),
    /// Serve the site on loopback, rebuilding and reloading open pages on every change.
    Serve(serve::Args),
    /// Check checklists for problems and print diagnostics.
    Check(check::Args),
    /// Export checklists as JSON documents.
    Export(export::Args),
    /// Show what changed between two versions of checklists, item by item.
    Diff(diff::Args),
    /// Print runbooks: a page and a PDF per checklist, to tick with a pen and sign.
    Print(print::Args),
    /// Start a new book: book.toml, a sample checklist, .gitignore and a CI workflow.
    Init(init::Args),
    /// List the lint rules and diagnostic codes with their default severities.
    Rules(rules::Args),
    /// Print the JSON Schema of exported documents.
    Schema(schema::Args),
    /// Print shell completions (bash, zsh, fish, elvish, powershell).
    Completions(completions::Args),
    /// Print the man page, or write one per command with `--out DIR`.
    Man(completions::ManArgs),
}

/// When to use colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    /// When the output is a terminal and `NO_COLOR` is not set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// Options every command shares.
#[derive(Debug)]
struct Global {
    root: PathBuf,
    color: ColorChoice,
    quiet: bool,
    verbose: bool,
}

impl Global {
    /// Whether to colour output written to a stream that is (or is not) a terminal.
    fn color(&self, terminal: bool) -> bool {
        match self.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}

/// Runs the command line.
pub fn run(cli: Cli) -> anyhow::Result<Outcome> {
    let global = Global {
        root: cli.root,
        color: cli.color,
        quiet: cli.quiet,
        verbose: cli.verbose,
    };
    // `-C deploy.md`: the root is a book's folder. (`init` may create its folder; the others
    // named here do not read one.)
    let reads_root = !matches!(
        cli.command,
        Command::Init(_)
            | Command::Completions(_)
            | Command::Man(_)
            | Command::Rules(_)
            | Command::Schema(_)
    );
    if reads_root && global.root.is_file() {
        return Err(Error::NotAFolder { path: global.root }.into());
    }
    match cli.command {
        Command::Build(args) => build::run(&args, &global),
        Command::Serve(args) => serve::run(&args, &global),
        Command::Check(args) => check::run(&args, &global),
        Command::Export(args) => export::run(&args, &global),
        Command::Diff(args) => diff::run(&args, &global),
        Command::Print(args) => print::run(&args, &global),
        Command::Init(args) => init::run(&args, &global),
        Command::Completions(args) => completions::run(&args),
        Command::Man(args) => completions::man(&args),
        Command::Rules(args) => rules::run(&args),
        Command::Schema(args) => schema::run(&args),
    }
}

/// The sources a command works on: `paths` when given, else the book at the root.
fn sources(
    global: &Global,
    paths: &[PathBuf],
) -> anyhow::Result<(Config, Vec<SourcePath>, Vec<Error>)> {
    if !global.root.as_os_str().is_empty() && !global.root.is_dir() {
        return Err(Error::NotFound {
            path: global.root.clone(),
        }
        .into());
    }
    let config = discover::load_config(&global.root)?;
    let (sources, errors) = if paths.is_empty() {
        discover::content_folder(&global.root, &config)?;
        discover::book_sources(&global.root, &config)
    } else {
        let paths: Vec<PathBuf> = paths.iter().map(|p| from_root(global, p)).collect();
        discover::path_sources(&global.root, &paths)
    };
    Ok((config, sources, errors))
}

/// A path given on the command line, read from the book's root as `--out` is (`-C book check
/// content/a.md` reads `book/content/a.md`), unless only the current folder has it.
fn from_root(global: &Global, path: &Path) -> PathBuf {
    let joined = under_root(global, path);
    if !joined.exists() && path.exists() {
        path.to_owned()
    } else {
        joined
    }
}

/// Whether a command that replaces a folder must leave it as it is: a path named on the command
/// line is missing (a mistyped name), or nothing could be read (`read` is how much was). Either
/// way the output would hold less than the user asked for, in place of what the last run wrote.
fn keeps_output(errors: &[Error], read: usize) -> bool {
    let missing = errors.iter().any(|e| matches!(e, Error::NotFound { .. }));
    missing || (read == 0 && !errors.is_empty())
}

/// Reports the errors that leave the output folder `out` as it was, and says so.
fn left_as_it_was(errors: &[Error], out: &Path, global: &Global) -> Outcome {
    report_errors(errors);
    if !global.quiet {
        eprint_line(&format!(
            "nothing written: `{}` is left as it was",
            out.display()
        ));
    }
    Outcome::Failure
}

/// Sources that each write a file named by their checklist id (`export --out`, `print`): ids
/// declared in front matter taken, and a later source whose id is taken an error, so no file
/// silently replaces another's.
fn with_unique_ids(sources: Vec<SourcePath>, errors: &mut Vec<Error>) -> Vec<SourcePath> {
    let mut sources = sources;
    discover::declared_ids(&mut sources);
    let (sources, clashes) = discover::unique_ids(&sources, |_, _| None);
    errors.extend(clashes);
    sources
}

/// An error that stopped a command, with each cause its message does not already hold
/// (preflight's own errors name their cause; a cause from elsewhere is added after a colon).
#[must_use]
pub fn describe(error: &anyhow::Error) -> String {
    let mut message = error.to_string();
    for cause in error.chain().skip(1) {
        let cause = cause.to_string();
        if !message.contains(&cause) {
            message.push_str(": ");
            message.push_str(&cause);
        }
    }
    message
}

/// Prints errors about files to stderr.
fn report_errors(errors: &[Error]) {
    for e in errors {
        eprint_line(&format!("error: {e}"));
    }
}

/// Writes to stdout; a closed pipe (`| head`) is not an error.
fn write_stdout(bytes: &[u8]) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

/// Writes a line to stderr, ignoring failures (there is nowhere else to report them).
fn eprint_line(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// Whether stdout is a terminal.
fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}

/// A path relative to the root, as given.
fn under_root(global: &Global, path: &Path) -> PathBuf {
    discover::join_root(&global.root, path)
}

/// `1 checklist`, `3 checklists`.
fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// Refuses an output folder inside the book's content folder, or holding it.
fn outside_content(global: &Global, config: &Config, out: &Path) -> crate::error::Result<()> {
    crate::output::refuse_inside(
        out,
        &under_root(global, &config.build.content),
        "content folder",
    )
}

/// Refuses an output folder that holds a file or folder named on the command line (`export
/// json/mine.md --out json`), or a checklist read through a link (`content/x.md` →
/// `json/x.md`): replacing the output would delete it.
fn outside_inputs(
    global: &Global,
    paths: &[PathBuf],
    sources: &[SourcePath],
    out: &Path,
) -> crate::error::Result<()> {
    for path in paths {
        crate::output::refuse_holding(out, &under_root(global, path))?;
    }
    for source in sources.iter().filter(|s| s.content.is_none()) {
        crate::output::refuse_holding(out, &source.path)?;
    }
    Ok(())
}

/// Refuses a site's output folder inside the content folder or the folders a build publishes or
/// reads its pages from (`static`, `themes`, `templates`, the folders of `[releases]`), or
/// holding one of them: the next build would publish the site inside itself, or replacing it
/// would delete a release's checklists.
fn outside_book_folders(global: &Global, config: &Config, out: &Path) -> crate::error::Result<()> {
    outside_content(global, config, out)?;
    for release in config.releases.iter().flat_map(|r| &r.folders) {
        crate::output::refuse_inside(
            out,
            &under_root(global, &release.path),
            &format!("folder of release `{}`", release.name),
        )?;
    }
    for folder in [crate::site::STATIC_DIR, "themes", "templates"] {
        crate::output::refuse_inside(
            out,
            &under_root(global, Path::new(folder)),
            &format!("book's `{folder}` folder"),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        super::Cli::command().debug_assert();
    }
}
