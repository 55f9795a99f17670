//! Finding the book and its Markdown sources on disk.
//!
//! Input: a book root (with an optional `book.toml`) or paths given on the command line.
//! Output: the [`Config`] and a sorted list of [`SourcePath`]s, plus one [`Error`] per path that
//! could not be walked. Reading a file is a separate step ([`read_source`]) so that callers can
//! stream files through the pipeline instead of holding them all.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use walkdir::WalkDir;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::normalise::capped_slug;

/// Name of the configuration file at the book root.
pub const CONFIG_FILE: &str = "book.toml";

/// Files larger than this are refused, so one stray dump cannot exhaust memory.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// A Markdown source to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourcePath {
    /// Where to read it.
    pub path: PathBuf,
    /// How to show it: relative to the book root when inside it, with `/` separators.
    pub display: String,
    /// The checklist id: the path under the content folder (or the folder given), without
    /// extension, each part slugged (`Ops/Deploy Plan.md` → `ops/deploy-plan`).
    pub id: String,
    /// The bytes, when the source is not a file on disk (a file at a git ref): then `path` only
    /// names it in messages.
    pub content: Option<Arc<[u8]>>,
}

/// Reads `book.toml` at `root`; a missing file gives the defaults.
pub fn load_config(root: &Path) -> Result<Config> {
    let path = join_root(root, Path::new(CONFIG_FILE));
    match std::fs::read(&path) {
        Ok(bytes) => {
            let text = String::from_utf8(bytes).map_err(|e| Error::Config {
                path: path.clone(),
                line: 1,
                column: 1,
                message: format!("not valid UTF-8 ({e})"),
            })?;
            Config::from_toml(&path, &text)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
        Err(source) => Err(Error::Read { path, source }),
    }
}

/// Sources of a book: every Markdown file under `root/<content>`, sorted by path.
#[must_use]
pub fn book_sources(root: &Path, config: &Config) -> (Vec<SourcePath>, Vec<Error>) {
    match content_folder(root, config) {
        Ok(content) => walk(root, &content, &bound_of(root, &content)),
        Err(error) => (Vec::new(), vec![error]),
    }
}

/// The book's content folder. When it does not exist, the error points at the `content` line
/// of `book.toml` (or names the folder, when `book.toml` does not set it): commands that
/// replace their output stop on it, so a misspelt folder never empties a published site.
pub fn content_folder(root: &Path, config: &Config) -> Result<PathBuf> {
    let content = join_root(root, &config.build.content);
    if content.is_dir() {
        return Ok(content);
    }
    let path = join_root(root, Path::new(CONFIG_FILE));
    if !root.as_os_str().is_empty() && !root.is_dir() {
        return Err(Error::NotFound {
            path: root.to_path_buf(),
        });
    }
    if !path.exists() {
        return Err(Error::NoBook {
            root: root.to_path_buf(),
            content: config.build.content.clone(),
        });
    }
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    match build_key_position(&text, "content") {
        Some((line, column)) => Err(Error::Config {
            path,
            line,
            column,
            message: if content.exists() {
                format!(
                    "content folder `{}` is not a folder",
                    config.build.content.display()
                )
            } else {
                format!(
                    "content folder `{}` does not exist",
                    config.build.content.display()
                )
            },
        }),
        None => Err(Error::NotFound { path: content }),
    }
}

/// 1-based line and column of the value of `key` in the `[build]` table of a `book.toml`.
fn build_key_position(text: &str, key: &str) -> Option<(u32, u32)> {
    let mut in_build = false;
    for (n, line) in (1u32..).zip(text.lines()) {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            in_build = trimmed.trim_end().starts_with("[build]");
            continue;
        }
        let Some(rest) = trimmed.strip_prefix(key) else {
            continue;
        };
        let Some(value) = rest.trim_start().strip_prefix('=') else {
            continue;
        };
        if in_build {
            let at = line.len() - value.trim_start().len();
            let column = u32::try_from(line[..at].chars().count() + 1).unwrap_or(1);
            return Some((n, column));
        }
    }
    None
}

/// Sources named on the command line: files as they are, folders walked for Markdown files.
#[must_use]
pub fn path_sources(root: &Path, paths: &[PathBuf]) -> (Vec<SourcePath>, Vec<Error>) {
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.is_dir() {
            let (found, failed) = walk(root, path, &bound_of(root, path));
            sources.extend(found);
            errors.extend(failed);
        } else if path.exists() {
            let base = path.parent().unwrap_or(Path::new(""));
            sources.push(source_path(root, base, path));
        } else {
            errors.push(Error::NotFound { path: path.clone() });
        }
    }
    sources.sort_by(|a, b| a.display.cmp(&b.display));
    // One file named twice (`a.md ./a.md`, or a file and its folder) is read once.
    let mut seen = HashSet::new();
    sources
        .retain(|s| seen.insert(std::fs::canonicalize(&s.path).unwrap_or_else(|_| s.path.clone())));
    (sources, errors)
}

/// Gives each source the id its front matter declares (`id: deploy`), when it does. Pages and
/// JSON files are named by the id, so clashes must be found (by [`unique_ids`]) before any file
/// is written; a file is only read here when it starts with front matter.
pub fn declared_ids(sources: &mut [SourcePath]) {
    use rayon::prelude::*;
    sources.par_iter_mut().for_each(|source| {
        // A pipe (`<(cat deploy.md)`, `/dev/stdin`) can be read only once: its bytes are kept.
        if source.content.is_none()
            && std::fs::metadata(&source.path).is_ok_and(|m| !m.is_file())
            && let Ok(bytes) = read_source(source)
        {
            source.content = Some(bytes.into());
        }
        if let Some(id) = declared_id(source) {
            source.id = id;
        }
    });
}

fn declared_id(source: &SourcePath) -> Option<String> {
    if let Some(content) = &source.content {
        return crate::parse::declared_id(content);
    }
    let file = std::fs::File::open(&source.path).ok()?;
    let mut head = Vec::with_capacity(8);
    std::io::Read::read_to_end(&mut std::io::Read::take(file, 8), &mut head).ok()?;
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&head);
    let fenced = head.starts_with(b"---") || head.starts_with(b"+++");
    let utf16 = head.starts_with(b"\xff\xfe") || head.starts_with(b"\xfe\xff");
    if !fenced && !utf16 {
        return None;
    }
    crate::parse::declared_id(&read_source(source).ok()?)
}

/// Sources with distinct checklist ids, in their order: a later source whose id is taken, or for
/// which `reserved` says why the id cannot be a checklist's (given all the ids), is an error.
#[must_use]
pub fn unique_ids(
    sources: &[SourcePath],
    reserved: impl Fn(&str, &HashSet<&str>) -> Option<String>,
) -> (Vec<SourcePath>, Vec<Error>) {
    let ids: HashSet<&str> = sources.iter().map(|s| s.id.as_str()).collect();
    let mut seen: HashMap<&str, &Path> = HashMap::with_capacity(sources.len());
    let mut out = Vec::with_capacity(sources.len());
    let mut errors = Vec::new();
    for s in sources {
        if let Some(why) = reserved(&s.id, &ids) {
            errors.push(Error::ReservedId {
                path: s.path.clone(),
                id: s.id.clone(),
                why,
            });
        } else if let Some(first) = seen.get(s.id.as_str()) {
            errors.push(Error::DuplicateId {
                path: s.path.clone(),
                id: s.id.clone(),
                first: first.to_path_buf(),
            });
        } else {
            seen.insert(&s.id, &s.path);
            out.push(s.clone());
        }
    }
    (out, errors)
}

/// Reads a source file's bytes, refusing files over [`MAX_FILE_BYTES`].
pub fn read_source(source: &SourcePath) -> Result<Vec<u8>> {
    if let Some(content) = &source.content {
        return Ok(content.to_vec());
    }
    let read_error = |e| Error::Read {
        path: source.path.clone(),
        source: e,
    };
    let over = |len: u64| Error::Read {
        path: source.path.clone(),
        source: std::io::Error::other(format!(
            "file is {len} bytes, over the limit of {MAX_FILE_BYTES}"
        )),
    };
    let meta = std::fs::metadata(&source.path).map_err(read_error)?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(over(meta.len()));
    }
    // A file may grow after its size was read, and a pipe (`<(cat deploy.md)`) or a device has
    // no size: read no more than the limit allows.
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    if meta.is_file() {
        let file = std::fs::File::open(&source.path).map_err(read_error)?;
        std::io::Read::read_to_end(
            &mut std::io::Read::take(file, MAX_FILE_BYTES + 1),
            &mut bytes,
        )
        .map_err(read_error)?;
    } else {
        read_special(&source.path, &mut bytes).map_err(read_error)?;
    }
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Error::Read {
            path: source.path.clone(),
            source: std::io::Error::other(format!(
                "file is over the limit of {MAX_FILE_BYTES} bytes"
            )),
        });
    }
    Ok(bytes)
}

/// Reads what is not a regular file (a pipe, `<(cat deploy.md)`; a device) up to the limit.
/// A named pipe is opened without waiting for a writer, so one that nobody writes to reads as
/// empty rather than hanging the run; a writer that is slow is waited for.
fn read_special(path: &Path, bytes: &mut Vec<u8>) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let mut file = std::io::Read::take(options.open(path)?, MAX_FILE_BYTES + 1);
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        match std::io::Read::read(&mut file, &mut chunk) {
            Ok(0) => return Ok(()),
            Ok(n) => bytes.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                std::thread::sleep(std::time::Duration::from_millis(2));
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// The slash-separated path that the relative path `target`, written in the file `from`
/// (slash-separated too), leads to: `.` and `..` applied. None when it climbs above the root.
#[must_use]
pub fn join_relative(from: &str, target: &str) -> Option<String> {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

/// `root/rel`, without a leading `./` when the root is the current folder (paths in messages
/// read as the user would type them).
#[must_use]
pub fn join_root(root: &Path, rel: &Path) -> PathBuf {
    if root == Path::new(".") || root.as_os_str().is_empty() || rel.is_absolute() {
        rel.to_owned()
    } else {
        root.join(rel)
    }
}

/// The Markdown files under `dir`, following links, but only to files and folders inside
/// `bound` (see [`bound_of`]): a link named `env.md` to `/proc/self/environ` must not publish
/// the environment. A link to a folder inside `dir` is not followed: the folder is walked under
/// its own name, so ids and addresses never depend on a link's name. A folder reached by
/// several links is walked once, so links that fan out cannot make the walk exponential.
fn walk(root: &Path, dir: &Path, bound: &Path) -> (Vec<SourcePath>, Vec<Error>) {
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    let real_dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_owned());
    let mut visited: HashSet<PathBuf> = HashSet::new();
    let mut walker = WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = walker.next() {
        match entry {
            Ok(entry) if entry.file_type().is_dir() => {
                let real =
                    std::fs::canonicalize(entry.path()).unwrap_or_else(|_| entry.path().to_owned());
                let top = entry.depth() == 0;
                let skip = if real.starts_with(bound) {
                    (entry.path_is_symlink() && !top && real.starts_with(&real_dir))
                        || !visited.insert(real)
                } else {
                    if top || holds_markdown(&real) {
                        errors.push(outside(entry.path(), &real, bound, top));
                    }
                    true
                };
                if skip {
                    walker.skip_current_dir();
                }
            }
            Ok(entry) if entry.file_type().is_file() && is_markdown(entry.path()) => {
                if entry.path_is_symlink()
                    && let Ok(real) = std::fs::canonicalize(entry.path())
                    && !real.starts_with(bound)
                {
                    errors.push(outside(entry.path(), &real, bound, false));
                    continue;
                }
                sources.push(source_path(root, dir, entry.path()));
            }
            Ok(_) => {}
            Err(e) if !concerns_markdown(&e) => {}
            Err(e) => errors.push(walk_error(dir, &e)),
        }
    }
    sources.sort_by(|a, b| a.display.cmp(&b.display));
    (sources, errors)
}

/// The folder a walk of `dir` may read in, canonical: the book (`root`) when `dir` is inside
/// it, else `dir` itself (a content folder configured outside the book, a folder named on the
/// command line).
fn bound_of(root: &Path, dir: &Path) -> PathBuf {
    let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_owned());
    let (root, dir) = (canonical(root), canonical(dir));
    if dir.starts_with(&root) { root } else { dir }
}

/// Whether a folder out of bounds holds Markdown files (looking at most at a few thousand
/// entries, without following links): only then is leaving it out worth an error. A link to a
/// folder of images is not.
fn holds_markdown(dir: &Path) -> bool {
    WalkDir::new(dir)
        .into_iter()
        .take(5_000)
        .filter_map(Result::ok)
        .any(|e| e.file_type().is_file() && is_markdown(e.path()))
}

/// The error for a file or folder that a link leads to outside `bound` (or, `top`, for the
/// folder walked itself).
fn outside(path: &Path, real: &Path, bound: &Path, top: bool) -> Error {
    let message = if top {
        format!(
            "`{}` is outside `{}`, the book's folder; not read",
            real.display(),
            bound.display()
        )
    } else {
        format!(
            "the link leads to `{}`, outside `{}`; not read: only files inside the folder being read are",
            real.display(),
            bound.display()
        )
    };
    Error::Walk {
        path: path.to_owned(),
        message,
    }
}

/// Whether a walk error is about something that could be a checklist: a broken link named
/// `notes.txt`, or the `.#deploy.md` link an editor makes while a file is open, is not.
fn concerns_markdown(e: &walkdir::Error) -> bool {
    let dangling = e.loop_ancestor().is_none()
        && e.io_error()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound);
    let Some(path) = e.path() else { return true };
    let lock = path
        .file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with(".#"));
    !dangling || (is_markdown(path) && !lock)
}

fn walk_error(dir: &Path, e: &walkdir::Error) -> Error {
    let path = e.path().unwrap_or(dir).to_owned();
    let message = if e.loop_ancestor().is_some() {
        "symlink loop: the link points back to a folder that contains it".to_owned()
    } else {
        e.io_error()
            .map_or_else(|| e.to_string(), |io| format!("cannot read: {io}"))
    };
    Error::Walk { path, message }
}

/// Whether a path names a Markdown file (`.md`, `.markdown`).
#[must_use]
pub fn is_markdown(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}

fn source_path(root: &Path, base: &Path, path: &Path) -> SourcePath {
    let display_path = path.strip_prefix(root).unwrap_or(path);
    SourcePath {
        path: path.to_owned(),
        display: to_slash(display_path),
        id: markdown_id(path.strip_prefix(base).unwrap_or(path)),
        content: None,
    }
}

/// Longest part of a checklist id, in bytes: each part names a folder and a file of the output
/// (`<part>.json`), and file systems allow 255 bytes.
pub const MAX_ID_PART: usize = 100;

/// The checklist id of a Markdown file at `rel` under the content folder: without extension,
/// each part slugged (a long one cut, with a hash), `checklist` when nothing is left.
#[must_use]
pub fn markdown_id(rel: &Path) -> String {
    let id = rel
        .with_extension("")
        .components()
        .filter_map(|c| match c {
            std::path::Component::Normal(part) => {
                Some(capped_slug(&part.to_string_lossy(), MAX_ID_PART))
            }
            _ => None,
        })
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("/");
    if id.is_empty() {
        "checklist".to_owned()
    } else {
        id
    }
}

fn to_slash(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
        .replace("//", "/")
}
