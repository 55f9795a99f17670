//! Operational failures: things that stop a command, as opposed to diagnostics about content.

use std::path::PathBuf;

/// An operational failure. Every variant about a file carries its path.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or folder could not be read.
    #[error("`{}`: cannot read: {source}", path.display())]
    Read {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A file or folder could not be written.
    #[error("`{}`: cannot write: {source}", path.display())]
    Write {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// Walking a folder failed (a symlink loop, a permission problem).
    #[error("`{}`: {message}", path.display())]
    Walk {
        /// The path.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// A bug in preflight showed while reading a file; the other files are still processed.
    #[error("`{}`: internal error while reading this file ({message}); please report it", path.display())]
    Internal {
        /// The file being read.
        path: PathBuf,
        /// What the panic said.
        message: String,
    },
    /// `book.toml` is invalid.
    #[error("`{}`:{line}:{column}: {message}", path.display())]
    Config {
        /// Path of the config file.
        path: PathBuf,
        /// 1-based line.
        line: u32,
        /// 1-based column.
        column: u32,
        /// What is wrong.
        message: String,
    },
    /// A path given on the command line does not exist.
    #[error("`{}`: no such file or folder", path.display())]
    NotFound {
        /// The path.
        path: PathBuf,
    },
    /// The book's folder (`-C`) is a file.
    #[error("`{}` is a file, not a folder: `-C` names the folder of a book", path.display())]
    NotAFolder {
        /// The path.
        path: PathBuf,
    },
    /// A folder of the book leads out of it (a link to `/etc` named `static`).
    #[error("`{}` leads out of the book (to `{}`); its files are not published", path.display(), target.display())]
    OutsideBook {
        /// The folder.
        path: PathBuf,
        /// Where it leads.
        target: PathBuf,
    },
    /// The server cannot listen on its address.
    #[error("cannot listen on `{address}`: {}", listen_reason(source))]
    Listen {
        /// The address and port.
        address: String,
        /// Why.
        source: std::io::Error,
    },
    /// The folder is no book: it has neither `book.toml` nor the content folder.
    #[error("`{}` is not a book: it has no `book.toml` and no `{}` folder; run `preflight init` there, pass `-C DIR` (the folder with `book.toml`), or name the files to read", root.display(), content.display())]
    NoBook {
        /// The book's root as given.
        root: PathBuf,
        /// The content folder looked for, relative to the root.
        content: PathBuf,
    },
    /// The output folder is not safe to write.
    #[error("`{}`: {message}", path.display())]
    UnsafeOutput {
        /// The output folder.
        path: PathBuf,
        /// Why it is refused.
        message: String,
    },
    /// Two sources have the same checklist id (their paths slug the same).
    #[error("`{}`: its checklist id `{id}` is taken by `{}`; rename one of them or set `id` in front matter", path.display(), first.display())]
    DuplicateId {
        /// The later source.
        path: PathBuf,
        /// The id.
        id: String,
        /// The source that has the id.
        first: PathBuf,
    },
    /// A source's checklist id is the address of one of the site's own pages.
    #[error("`{}`: its checklist id `{id}` {why}; rename the file", path.display())]
    ReservedId {
        /// The source.
        path: PathBuf,
        /// The id.
        id: String,
        /// Whose page it is.
        why: String,
    },
    /// A template (built in or from the book's `templates/`) is invalid or failed to render.
    #[error("`{}`: template error: {message}", path.display())]
    Template {
        /// The template file (or its name, for built-in templates).
        path: PathBuf,
        /// What is wrong, with the line when known.
        message: String,
    },
    /// Running `git` failed, or it refused a request.
    #[error("`{}`: git {command} failed: {message}", path.display())]
    Git {
        /// The folder git ran in.
        path: PathBuf,
        /// The git command (`ls-tree`, `cat-file`…).
        command: String,
        /// What git said.
        message: String,
    },
    /// A release named in `book.toml` cannot be found.
    #[error("release `{name}`: {message}")]
    Release {
        /// The release name, as written.
        name: String,
        /// What is wrong.
        message: String,
    },
    /// A printable runbook could not be typeset (a book's `templates/runbook.typ` is wrong).
    #[error("`{}`: cannot print: {message}", path.display())]
    Print {
        /// The checklist or template.
        path: PathBuf,
        /// What typst said.
        message: String,
    },
    /// Serialising JSON failed.
    #[error("cannot serialise JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// Result with the crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why a server cannot listen, with what to do about it.
fn listen_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::AddrInUse => {
            "the port is in use (another `preflight serve`?); pass `--port 0` for any free port"
                .into()
        }
        std::io::ErrorKind::PermissionDenied => {
            "not allowed (ports below 1024 need privileges); pass a port above 1024".into()
        }
        _ => e.to_string(),
    }
}
