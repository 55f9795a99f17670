//! Running one source through the stages: read → parse → normalise → lint.
//!
//! Input: a [`SourcePath`]. Output: a [`Loaded`] checklist (with every diagnostic) or the
//! [`Error`] that stopped it. A panic inside the stages is caught and turned into an error naming
//! the file, so one bad file never stops the others.

use std::panic::{AssertUnwindSafe, catch_unwind};

use rayon::prelude::*;
use std::path::Path;

use crate::diag::{Diagnostic, Position, Severity};
use crate::discover::{SourcePath, read_source};
use crate::error::Error;
use crate::lint::settings::{self, Level, Levels};
use crate::model::Checklist;
use crate::parse::FrontMatter;
use crate::{lint, normalise, parse};

/// A checklist read from disk, with the text it came from.
#[derive(Debug)]
pub struct Loaded {
    /// The model.
    pub checklist: Checklist,
    /// The decoded source text (for snippets in diagnostics).
    pub text: String,
}

/// Reads and processes one source, with the book's lint levels.
pub fn load(source: &SourcePath, levels: &Levels) -> Result<Loaded, Error> {
    let bytes = read_source(source)?;
    process(source, &bytes, levels)
}

/// Reads and processes `sources` in parallel; the checklists in the order of `sources`, and the
/// errors of those that failed.
#[must_use]
pub fn load_all(sources: &[SourcePath], levels: &Levels) -> (Vec<Checklist>, Vec<Error>) {
    let results: Vec<Result<Checklist, Error>> = sources
        .par_iter()
        .map(|s| load(s, levels).map(|l| l.checklist))
        .collect();
    let mut checklists = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(c) => checklists.push(c),
            Err(e) => errors.push(e),
        }
    }
    (checklists, errors)
}

/// Processes bytes already read.
pub fn process(source: &SourcePath, bytes: &[u8], levels: &Levels) -> Result<Loaded, Error> {
    catch_unwind(AssertUnwindSafe(|| {
        run(
            &source.display,
            &source.id,
            bytes,
            source.content.is_none().then_some(source.path.as_path()),
            levels,
        )
    }))
    .map_err(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown cause".to_owned());
        Error::Internal {
            path: source.path.clone(),
            message: what,
        }
    })
}

/// The pure part: bytes to a linted checklist, with default lint levels and no file on disk.
#[must_use]
pub fn from_bytes(display: &str, id: &str, bytes: &[u8]) -> Loaded {
    run(display, id, bytes, None, &Levels::new())
}

/// Bytes to a linted checklist: `path` is where the file is (for relative links), `levels` the
/// book's lint levels; the file's front matter and inline comments apply over them.
#[must_use]
pub fn run(display: &str, id: &str, bytes: &[u8], path: Option<&Path>, levels: &Levels) -> Loaded {
    let doc = parse::parse(bytes);
    let mut checklist = normalise::normalise(display, id, &doc);
    let found = lint::lint(&lint::Context {
        checklist: &checklist,
        source: &doc.text,
        lines: &doc.lines,
        body_start: doc.body_start,
        path,
        nodes: &doc.nodes,
    });
    checklist.diagnostics.extend(found);
    let (file_levels, problems) = front_matter_levels(doc.front_matter.as_ref(), &doc.text);
    let suppressed = settings::suppressions(&doc.text);
    settings::apply(
        &mut checklist.diagnostics,
        &[levels, &file_levels],
        &suppressed,
    );
    checklist.diagnostics.extend(problems);
    checklist
        .diagnostics
        .extend(settings::unknown_codes(&suppressed));
    checklist
        .diagnostics
        .sort_by(|a, b| (a.line, a.column, &a.code).cmp(&(b.line, b.column, &b.code)));
    Loaded {
        checklist,
        text: doc.text,
    }
}

/// Levels set by the front matter's `lint:` mapping, and problems with it.
fn front_matter_levels(fm: Option<&FrontMatter>, text: &str) -> (Levels, Vec<Diagnostic>) {
    let mut levels = Levels::new();
    let mut problems = Vec::new();
    let Some(fm) = fm else {
        return (levels, problems);
    };
    let Some((_, value)) = fm.fields.iter().find(|(k, _)| k == "lint") else {
        return (levels, problems);
    };
    let lint_line = fm.line_of("lint");
    let mut problem = |message: String, line: u32| {
        problems.push(Diagnostic::new(
            "front-matter",
            Severity::Warning,
            message,
            Position::line(line),
        ));
    };
    let Some(map) = value.as_object() else {
        problem(
            "front matter key `lint` should map rule names to levels; ignored".into(),
            lint_line,
        );
        return (levels, problems);
    };
    let codes = settings::known_codes();
    for (code, level) in map {
        let line = entry_line(text, lint_line, code).unwrap_or(lint_line);
        if !codes.contains(&code.as_str()) {
            let hint = crate::config::closest(code, &codes)
                .map(|c| format!("; did you mean `{c}`?"))
                .unwrap_or_default();
            let code = crate::diag::escape_controls(code);
            problem(
                format!("`lint: {code}` is not a rule{hint} (ignored)"),
                line,
            );
            continue;
        }
        // YAML reads a bare `off` as false and `on` as true.
        let level = match level {
            serde_json::Value::Bool(false) => Some(Level::Off),
            serde_json::Value::Bool(true) => continue,
            v => v.as_str().and_then(Level::from_name),
        };
        match level {
            Some(level) => {
                levels.insert(code.clone(), level);
            }
            None => problem(
                format!("`lint: {code}` should be off, info, warning or error; ignored"),
                line,
            ),
        }
    }
    (levels, problems)
}

/// The line of `code`'s entry under the front matter's `lint` key (on `lint_line`): the first
/// line after it that starts with the code and a `:` or `=`.
fn entry_line(text: &str, lint_line: u32, code: &str) -> Option<u32> {
    let first = usize::try_from(lint_line).ok()?;
    text.lines()
        .enumerate()
        .skip(first)
        .take_while(|(_, line)| !matches!(line.trim_end(), "---" | "..." | "+++"))
        .find(|(_, line)| {
            let line = line.trim_start().trim_start_matches(['"', '\'']);
            line.strip_prefix(code).is_some_and(|rest| {
                rest.trim_start_matches(['"', '\''])
                    .trim_start()
                    .starts_with([':', '='])
            })
        })
        .and_then(|(i, _)| u32::try_from(i + 1).ok())
}
