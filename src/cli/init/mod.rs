//! `preflight init [DIR]`: starts a new book: `book.toml` with every key, a sample checklist that
//! shows every construct, `.gitignore`, and a CI workflow. Refuses to overwrite anything.

use std::path::{Path, PathBuf};

use super::{Global, Outcome, eprint_line, under_root};
use crate::error::Error;

/// The files of a new book, by path relative to its folder.
const FILES: &[(&str, &str)] = &[
    ("book.toml", include_str!("book.toml")),
    (
        "content/deployment-checklist.md",
        include_str!("deployment-checklist.md"),
    ),
    (".gitignore", include_str!("gitignore")),
    (
        ".github/workflows/preflight.yml",
        include_str!("workflow.yml"),
    ),
];

/// Arguments of `init`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  preflight init runbooks     start a book in a new folder `runbooks`
  preflight init              start a book in this folder (nothing is overwritten)")]
pub(super) struct Args {
    /// Folder of the new book; created when missing. Default: this folder.
    dir: Option<PathBuf>,
}

/// Runs `init`.
pub(super) fn run(args: &Args, global: &Global) -> anyhow::Result<Outcome> {
    let dir = under_root(global, args.dir.as_deref().unwrap_or(Path::new(".")));
    let taken: Vec<String> = FILES
        .iter()
        .filter(|(rel, _)| dir.join(rel).symlink_metadata().is_ok())
        .map(|(rel, _)| (*rel).to_owned())
        .collect();
    if !taken.is_empty() {
        return Err(anyhow::anyhow!(
            "`{}`: {} already {}; init writes nothing over existing files (choose another folder)",
            dir.display(),
            taken.join(", "),
            if taken.len() == 1 { "exists" } else { "exist" }
        ));
    }
    for (rel, text) in FILES {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| Error::Write {
                path: parent.to_owned(),
                source,
            })?;
        }
        write_new(&path, text.as_bytes())?;
    }
    if !global.quiet {
        let shown = dir.display().to_string();
        let cd = if shown == "." || shown.is_empty() {
            String::new()
        } else {
            format!("cd {shown} && ")
        };
        eprint_line(&format!(
            "created a book in {}: book.toml, content/deployment-checklist.md, .gitignore, .github/workflows/preflight.yml\nnext: {cd}preflight build && preflight check",
            if shown.is_empty() { "." } else { &shown }
        ));
    }
    Ok(Outcome::Success)
}

/// Writes a file that must not exist yet (`create_new`: a race with another writer fails
/// instead of overwriting).
fn write_new(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    use std::io::Write as _;
    let error = |source| Error::Write {
        path: path.to_owned(),
        source,
    };
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(error)?;
    file.write_all(bytes).map_err(error)
}
