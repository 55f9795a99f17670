//! `preflight init [DIR]`: starts a new book: `book.toml` with every key, a sample checklist that
//! shows every construct, `.gitignore`, and a CI workflow. Refuses a folder that has a
//! `book.toml`; overwrites nothing: an existing file is kept, and an existing `.gitignore` gets
//! only the lines it lacks, added at its end.

use std::io::Write as _;
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
    if dir.join("book.toml").symlink_metadata().is_ok() {
        return Err(anyhow::anyhow!(
            "`{}`: book.toml already exists; init writes nothing over existing files (choose another folder)",
            dir.display(),
        ));
    }
    // Every folder a file goes in is checked before anything is written: a book is made
    // whole or not at all.
    for (rel, _) in FILES {
        let mut folder = dir.join(rel);
        while folder.pop() && folder.starts_with(&dir) && folder != dir {
            if folder.exists() && !folder.is_dir() {
                return Err(anyhow::anyhow!(
                    "`{}` exists and is not a folder; init writes nothing (move it, or choose another folder)",
                    folder.display(),
                ));
            }
        }
    }
    let mut created = Vec::new();
    let mut kept = Vec::new();
    for (rel, text) in FILES {
        let (path, text) = (dir.join(rel), (*text).to_owned());
        let shown = path
            .strip_prefix(&dir)
            .unwrap_or(&path)
            .display()
            .to_string();
        if *rel == ".gitignore" && path.is_file() {
            if add_missing_lines(&path, &text)? {
                created.push(format!("{shown} (lines added)"));
            } else {
                kept.push(shown);
            }
            continue;
        }
        if path.symlink_metadata().is_ok() {
            kept.push(shown);
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| Error::Write {
                path: parent.to_owned(),
                source,
            })?;
        }
        write_new(&path, text.as_bytes())?;
        created.push(shown);
    }
    if !global.quiet {
        let shown = dir.display().to_string();
        let cd = if shown == "." || shown.is_empty() {
            String::new()
        } else {
            format!("cd {shown} && ")
        };
        let kept = if kept.is_empty() {
            String::new()
        } else {
            format!("; kept as they were: {}", kept.join(", "))
        };
        eprint_line(&format!(
            "created a book in {}: {}{kept}\nnext: {cd}preflight build && preflight check",
            if shown.is_empty() { "." } else { &shown },
            created.join(", "),
        ));
        if let Some(note) = workflow_note(&dir) {
            eprint_line(&format!("note: {note}"));
        }
    }
    Ok(Outcome::Success)
}

/// For a book in a folder of a git repository: a note that GitHub runs only the workflows at
/// the repository's root, saying where to move the workflow and how to run it in the book's
/// folder. (The workflow is still written in the book's folder: the repository found above it
/// may be another's, such as a home folder kept in git.)
fn workflow_note(dir: &Path) -> Option<String> {
    let absolute = std::path::absolute(dir).ok()?;
    if absolute.join(".git").symlink_metadata().is_ok() {
        return None;
    }
    let root = absolute
        .ancestors()
        .skip(1)
        .find(|a| a.join(".git").symlink_metadata().is_ok())?;
    let rel = absolute
        .strip_prefix(root)
        .ok()?
        .to_string_lossy()
        .replace('\\', "/");
    Some(format!(
        "GitHub runs only the workflows at the root of a repository: if {} is this book's repository, move .github/workflows/preflight.yml there and add `defaults: {{run: {{working-directory: '{}'}}}}`",
        root.display(),
        rel.replace('\'', "''")
    ))
}

/// Appends to `path` the lines of `text` it lacks; returns whether it added any.
fn add_missing_lines(path: &Path, text: &str) -> Result<bool, Error> {
    let error = |source| Error::Write {
        path: path.to_owned(),
        source,
    };
    // A `.gitignore` need not be UTF-8: its lines are compared as text where they are.
    let bytes = std::fs::read(path).map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })?;
    let had = String::from_utf8_lossy(&bytes);
    let present: std::collections::HashSet<&str> = had.lines().map(str::trim).collect();
    let missing: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty() && !present.contains(l.trim()))
        .collect();
    if missing.is_empty() {
        return Ok(false);
    }
    let mut add = String::new();
    if !had.is_empty() && !had.ends_with('\n') {
        add.push('\n');
    }
    add.push_str("# Built by `preflight build`, and the folders it stages a build in beside it.\n");
    for line in missing {
        add.push_str(line);
        add.push('\n');
    }
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .map_err(error)?;
    file.write_all(add.as_bytes()).map_err(error)?;
    Ok(true)
}

/// Writes a file that must not exist yet (`create_new`: a race with another writer fails
/// instead of overwriting).
fn write_new(path: &Path, bytes: &[u8]) -> Result<(), Error> {
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
