//! Running one source through the stages: read → parse → normalise → lint.
//!
//! Input: a [`SourcePath`]. Output: a [`Loaded`] checklist (with every diagnostic) or the
//! [`Error`] that stopped it. A panic inside the stages is caught and turned into an error naming
//! the file, so one bad file never stops the others.

use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::discover::{SourcePath, read_source};
use crate::error::Error;
use crate::model::Checklist;
use crate::{lint, normalise, parse};

/// A checklist read from disk, with the text it came from.
#[derive(Debug)]
pub struct Loaded {
    /// The model.
    pub checklist: Checklist,
    /// The decoded source text (for snippets in diagnostics).
    pub text: String,
}

/// Reads and processes one source.
pub fn load(source: &SourcePath) -> Result<Loaded, Error> {
    let bytes = read_source(source)?;
    process(source, &bytes)
}

/// Processes bytes already read.
pub fn process(source: &SourcePath, bytes: &[u8]) -> Result<Loaded, Error> {
    catch_unwind(AssertUnwindSafe(|| {
        from_bytes(&source.display, &source.id, bytes)
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

/// The pure part: bytes to a linted checklist.
#[must_use]
pub fn from_bytes(display: &str, id: &str, bytes: &[u8]) -> Loaded {
    let doc = parse::parse(bytes);
    let mut checklist = normalise::normalise(display, id, &doc);
    checklist.diagnostics.extend(lint::lint(&checklist));
    checklist
        .diagnostics
        .sort_by(|a, b| (a.line, a.column, &a.code).cmp(&(b.line, b.column, &b.code)));
    Loaded {
        checklist,
        text: doc.text,
    }
}
