//! Lint rules: checks over the model that find problems authors should fix.
//!
//! Input: a [`Checklist`] (never the parser's output, so rules can be tested on hand-built or
//! JSON-loaded models). Output: [`Diagnostic`]s. Each rule lives in `rules/<rule-name>.rs`, has a
//! stable kebab-case code that names the pattern it flags, and a default severity.
//!
//! Diagnostics found while reading a file (`invalid-utf8`, `front-matter`, `mojibake`,
//! `nesting-too-deep`, `duplicate-id`) come from `parse` and `normalise`; they are listed in
//! [`READ_CODES`] so that documentation and configuration know every code.

mod rules;
pub mod settings;
mod source;

use std::path::Path;

use crate::diag::{Diagnostic, LineIndex, Position, Severity};
use crate::model::Checklist;

/// What a rule sees: the model, and the text it was read from for rules about how something is
/// written (a near-miss task marker, a control character) rather than what it says.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The checklist.
    pub checklist: &'a Checklist,
    /// The decoded source text.
    pub source: &'a str,
    /// Line starts of `source`.
    pub lines: &'a LineIndex,
    /// Byte offset where the Markdown body starts, after any front matter: rules about how
    /// Markdown is written leave the front matter alone.
    pub body_start: usize,
    /// Where the file is on disk, to check relative links; `None` for text not read from a file.
    pub path: Option<&'a Path>,
    /// The parsed blocks, for rules that need where a block starts and ends in the source.
    pub nodes: &'a [crate::parse::Node],
}

impl Context<'_> {
    /// Where the text of a 1-based line starts, past its indentation, to its end: the place
    /// to point at for an item or heading the model knows only by line.
    #[must_use]
    pub fn line_content(&self, line: u32) -> Position {
        let Some(start) = self.lines.line_start(line) else {
            return Position::line(line);
        };
        let text = self.lines.line_text(self.source, line);
        let indent = text.len() - text.trim_start().len();
        let end = start + text.trim_end().len();
        self.lines
            .position(self.source, start + indent..end.max(start + indent))
    }
}

/// A lint rule.
pub trait Rule: Sync {
    /// Stable kebab-case code, such as `declared-count-mismatch`.
    fn code(&self) -> &'static str;
    /// Severity of what it finds unless configured otherwise.
    fn default_severity(&self) -> Severity;
    /// One line on what it flags.
    fn summary(&self) -> &'static str;
    /// Why it matters, for `docs/lints.md` and `--explain`-style help.
    fn why(&self) -> &'static str;
    /// Appends what it finds to `out`.
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>);
}

/// Codes of diagnostics reported while reading a file, with the severities they are reported
/// at (the usual one first) and their summaries.
pub const READ_CODES: &[(&str, &[Severity], &str)] = &[
    (
        "invalid-utf8",
        &[Severity::Error],
        "the file is not UTF-8; it is read as Windows-1252",
    ),
    (
        "encoding",
        &[Severity::Info],
        "the file is UTF-16; it is read as such",
    ),
    (
        "control-character",
        &[Severity::Warning],
        "a control character (NUL, ESC, DEL…) that is not text; replaced by U+FFFD",
    ),
    (
        "front-matter",
        &[Severity::Error, Severity::Warning],
        "front matter is unterminated, not YAML, or has wrongly typed keys",
    ),
    (
        "invisible-character",
        &[Severity::Warning],
        "a line starts with an invisible character (a byte-order mark, a zero-width space) that would hide its list marker; it is ignored",
    ),
    (
        "mojibake",
        &[Severity::Warning],
        "UTF-8 text that was decoded as Windows-1252 (`âœ…` for ✅) or Mac OS Roman (`‚Üí` for →); repaired in the output",
    ),
    (
        "nesting-too-deep",
        &[Severity::Warning],
        "lists or quotes nest deeper than the model keeps; deeper levels are flattened",
    ),
    (
        "duplicate-id",
        &[Severity::Error, Severity::Warning],
        "two items or sections claim the same explicit `{#id}`",
    ),
    (
        "invalid-id",
        &[Severity::Warning],
        "an item ends in `{#…}` that is not an id (a space, a slash, a character ids do not have); it stays in the text",
    ),
    (
        "lint-comment",
        &[Severity::Warning],
        "a `preflight-disable` comment names a code that is not a rule; it silences nothing",
    ),
    (
        "unreadable",
        &[Severity::Error],
        "the file cannot be read or processed (a dangling link, no permission); it is not checked",
    ),
];

/// Every lint rule, in the order they run.
#[must_use]
pub fn rules() -> &'static [&'static dyn Rule] {
    rules::ALL
}

/// Runs every rule.
#[must_use]
pub fn lint(cx: &Context<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for rule in rules() {
        rule.check(cx, &mut out);
    }
    out
}

/// The rule with this code, if any.
#[must_use]
pub fn rule(code: &str) -> Option<&'static dyn Rule> {
    rules().iter().copied().find(|r| r.code() == code)
}
