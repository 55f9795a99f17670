//! Diagnostics: located problems in user content, and how they are shown.
//!
//! A [`Diagnostic`] is data: a stable code, a severity, a message, a 1-based line and column
//! (columns count characters), and an optional hint. Stages collect them and carry on; only the
//! command line prints them, through [`render_human`] or as JSON.

use std::fmt::Write as _;
use std::ops::Range;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How serious a diagnostic is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; never fails a check.
    Info,
    /// Probably a mistake.
    Warning,
    /// Certainly wrong; `preflight check` exits 1.
    Error,
}

impl Severity {
    /// Lower-case name, as printed.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A located problem in a source file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Diagnostic {
    /// Stable kebab-case code naming the pattern found (`mojibake`).
    pub code: String,
    /// How serious it is.
    pub severity: Severity,
    /// What is wrong, starting lower-case, without a trailing period.
    pub message: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// Width of the flagged text on that line, in characters (at least 1).
    pub width: u32,
    /// How to fix it, when the fix is clear.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// A safe fix of the flagged span (`preflight check --fix` applies it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<Box<Fix>>,
}

/// A safe fix: the flagged span, which must read `replace`, becomes `with`. A fix whose span no
/// longer reads `replace` is not applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Fix {
    /// The text of the span now.
    pub replace: String,
    /// What it becomes.
    pub with: String,
}

impl Diagnostic {
    /// A diagnostic at a position found through a [`LineIndex`].
    #[must_use]
    pub fn new(
        code: &str,
        severity: Severity,
        message: impl Into<String>,
        at: Position,
    ) -> Diagnostic {
        Diagnostic {
            code: code.to_owned(),
            severity,
            message: message.into(),
            line: at.line,
            column: at.column,
            width: at.width.max(1),
            hint: None,
            fix: None,
        }
    }

    /// Adds a hint.
    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    /// Adds a safe fix: the span, which reads `replace`, becomes `with`.
    #[must_use]
    pub fn with_fix(mut self, replace: impl Into<String>, with: impl Into<String>) -> Diagnostic {
        self.fix = Some(Box::new(Fix {
            replace: replace.into(),
            with: with.into(),
        }));
        self
    }
}

/// A place in a file: 1-based line and column (in characters), and a width in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Position {
    /// 1-based line.
    pub line: u32,
    /// 1-based column in characters.
    pub column: u32,
    /// Width in characters.
    pub width: u32,
}

impl Position {
    /// The start of a line.
    #[must_use]
    pub fn line(line: u32) -> Position {
        Position {
            line,
            column: 1,
            width: 1,
        }
    }
}

/// Byte offsets of line starts, to turn byte ranges into lines and columns.
#[derive(Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// The last column counted: a byte offset and its 0-based column. Positions asked for in
    /// order along one long line (thousands of findings on a minified line) count on from it,
    /// so the line is counted once rather than once per finding.
    last: std::sync::atomic::AtomicU64,
}

impl Clone for LineIndex {
    fn clone(&self) -> Self {
        LineIndex {
            starts: self.starts.clone(),
            last: std::sync::atomic::AtomicU64::new(0),
        }
    }
}

impl LineIndex {
    /// Indexes `text`; a line ends at `\n`, `\r\n` or a lone `\r`.
    #[must_use]
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = Vec::with_capacity(bytes.len() / 40 + 1);
        starts.push(0);
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            let ends_line = bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n');
            if ends_line {
                starts.push(i + 1);
            }
        }
        LineIndex {
            starts,
            last: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// 1-based line of a byte offset.
    #[must_use]
    pub fn line_of(&self, offset: usize) -> u32 {
        let line = self.starts.partition_point(|&s| s <= offset);
        u32::try_from(line).unwrap_or(u32::MAX)
    }

    /// Line, column and width of a byte range in `text` (the text this index was built from).
    /// A range that spans lines is cut at the end of its first line.
    #[must_use]
    pub fn position(&self, text: &str, range: Range<usize>) -> Position {
        let start = floor_char_boundary(text, range.start.min(text.len()));
        let line = self.line_of(start);
        let line_start = self.starts[line as usize - 1];
        let line_end = self.line_end(text, line);
        let end = floor_char_boundary(text, range.end.clamp(start, line_end.max(start)));
        let column = self.column_of(text, line_start, start) + 1;
        let width = text[start..end].chars().count();
        Position {
            line,
            column: u32::try_from(column).unwrap_or(u32::MAX),
            width: u32::try_from(width).unwrap_or(u32::MAX).max(1),
        }
    }

    /// The 0-based column (in characters) of `offset`, on the line starting at `line_start`.
    fn column_of(&self, text: &str, line_start: usize, offset: usize) -> usize {
        use std::sync::atomic::Ordering::Relaxed;
        let last = self.last.load(Relaxed);
        // Offset in the high half, column in the low: both fit a file of under 4 GiB.
        let (at, column) = ((last >> 32) as usize, (last & 0xffff_ffff) as usize);
        let column = if at > line_start && at <= offset {
            column + text[at..offset].chars().count()
        } else {
            text[line_start..offset].chars().count()
        };
        if let (Ok(at), Ok(col)) = (u32::try_from(offset), u32::try_from(column)) {
            self.last
                .store((u64::from(at) << 32) | u64::from(col), Relaxed);
        }
        column
    }

    /// Byte offset where a 1-based line starts.
    #[must_use]
    pub fn line_start(&self, line: u32) -> Option<usize> {
        self.starts.get((line as usize).wrapping_sub(1)).copied()
    }

    /// The text of a 1-based line, without its line break.
    #[must_use]
    pub fn line_text<'t>(&self, text: &'t str, line: u32) -> &'t str {
        let Some(&start) = self.starts.get((line as usize).wrapping_sub(1)) else {
            return "";
        };
        &text[start.min(text.len())..self.line_end(text, line)]
    }

    fn line_end(&self, text: &str, line: u32) -> usize {
        let next = self
            .starts
            .get(line as usize)
            .copied()
            .unwrap_or(text.len());
        let bytes = text.as_bytes();
        let mut end = next.min(text.len());
        while end > self.starts[line as usize - 1] && matches!(bytes[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        end
    }
}

/// The largest char boundary at or before `i`.
#[must_use]
pub fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Longest source line shown in a snippet; longer lines are cut around the caret.
const SNIPPET_WIDTH: usize = 200;

/// Renders one diagnostic for a terminal: `path:line:col: severity[code]: message`, then the
/// source line with a caret under the flagged text, then the hint.
#[must_use]
pub fn render_human(path: &str, source: Option<&str>, d: &Diagnostic, color: bool) -> String {
    let index = source.map(LineIndex::new);
    render_one(
        path,
        source.zip(index.as_ref()),
        d,
        color,
        &mut CharStarts::default(),
    )
}

/// Renders every diagnostic of one file, as [`render_human`] does, indexing its lines once.
#[must_use]
pub fn render_human_all(
    path: &str,
    source: Option<&str>,
    diagnostics: &[Diagnostic],
    color: bool,
) -> String {
    let index = source.map(LineIndex::new);
    let source = source.zip(index.as_ref());
    let mut cache = CharStarts::default();
    diagnostics
        .iter()
        .map(|d| render_one(path, source, d, color, &mut cache))
        .collect()
}

/// Where the last lookup on a line of one file ended (character and byte): diagnostics come in
/// line and column order, so many on one long line (a run of control characters, a wide table)
/// walk forward from the previous one instead of counting from the start of the line.
#[derive(Default)]
struct CharStarts {
    line: u32,
    char_at: usize,
    byte_at: usize,
}

impl CharStarts {
    /// The part of `line` (line number `number` of the file) from character `first` on.
    fn tail_from<'t>(&mut self, line: &'t str, number: u32, first: usize) -> &'t str {
        if self.line != number || first < self.char_at || self.byte_at > line.len() {
            *self = CharStarts {
                line: number,
                char_at: 0,
                byte_at: 0,
            };
        }
        let rest = &line[self.byte_at..];
        let skip = first - self.char_at;
        let offset = rest
            .char_indices()
            .nth(skip)
            .map_or(rest.len(), |(at, _)| at);
        self.char_at = if offset == rest.len() {
            self.char_at + rest[..offset].chars().count()
        } else {
            first
        };
        self.byte_at += offset;
        &line[self.byte_at..]
    }
}

/// `text` with control characters escaped (`\n`, `\u{1b}`), so a file name holding a newline
/// cannot split a `path:line:col` line in two, and with the controls of text direction escaped
/// (`\u{202e}`), so a name cannot turn the rest of its line around on screen.
#[must_use]
pub fn escape_controls(text: &str) -> std::borrow::Cow<'_, str> {
    let escaped = |c: char| {
        c.is_control()
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}')
    };
    if !text.chars().any(escaped) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if escaped(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

fn render_one(
    path: &str,
    source: Option<(&str, &LineIndex)>,
    d: &Diagnostic,
    color: bool,
    cache: &mut CharStarts,
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}:{}:{}: {}[{}]: {}",
        escape_controls(path),
        d.line,
        d.column,
        d.severity.as_str(),
        d.code,
        d.message
    );
    let snippet = source
        .map(|(text, index)| snippet_line(text, index, d, cache))
        .filter(|(l, _)| !l.trim().is_empty());
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
    };
    let mut group = Group::with_level(level.clone());
    if let Some((line_text, span)) = &snippet {
        group = group.element(
            Snippet::source(line_text.as_str())
                .line_start(d.line as usize)
                .annotation(AnnotationKind::Primary.span(span.clone())),
        );
    }
    if let Some(hint) = &d.hint {
        group = group.element(Level::HELP.message(hint.as_str()));
    }
    if snippet.is_some() || d.hint.is_some() {
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        out.push_str(&renderer.render(&[group]));
        out.push('\n');
    }
    out
}

/// The flagged line (cut to [`SNIPPET_WIDTH`] characters around the caret) and the byte span of
/// the flagged text in it.
fn snippet_line(
    text: &str,
    index: &LineIndex,
    d: &Diagnostic,
    cache: &mut CharStarts,
) -> (String, Range<usize>) {
    let col = (d.column as usize).saturating_sub(1);
    let first = col.saturating_sub(SNIPPET_WIDTH / 2);
    // Only the window shown is read, so a long line costs as much as a short one.
    let window: Vec<char> = cache
        .tail_from(index.line_text(text, d.line), d.line, first)
        .chars()
        .take(SNIPPET_WIDTH)
        .collect();
    let col = (col - first).min(window.len());
    let shown: String = window
        .iter()
        .map(|&c| if c == '\t' { ' ' } else { c })
        .collect();
    let start: usize = window[..col].iter().map(|c| c.len_utf8()).sum();
    let width = (d.width as usize).min(window.len() - col).max(1);
    let end: usize = start
        + window[col..(col + width).min(window.len())]
            .iter()
            .map(|c| c.len_utf8())
            .sum::<usize>();
    (shown, start..end.max(start))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_newline_in_a_file_name_stays_on_its_line() {
        let d = Diagnostic::new("x", Severity::Warning, "m", Position::line(3));
        let text = render_human_all("bad\nname.md", None, &[d], false);
        assert!(
            text.starts_with("bad\\nname.md:3:1: warning[x]: m\n"),
            "{text}"
        );
        assert_eq!(escape_controls("plain/é.md"), "plain/é.md");
        assert_eq!(escape_controls("a\u{1b}b"), "a\\u{1b}b");
    }

    #[test]
    fn the_column_cursor_walks_forward_and_restarts_when_it_goes_back() {
        let line = "aé€😀b".repeat(3);
        let mut cursor = CharStarts::default();
        for first in [0, 2, 3, 7, 7, 1, 14, 15, 40, 4] {
            let want: String = line.chars().skip(first).collect();
            assert_eq!(cursor.tail_from(&line, 1, first), want, "from {first}");
        }
        assert_eq!(cursor.tail_from("xyz", 2, 1), "yz");
    }

    #[test]
    fn line_index_handles_crlf_and_lone_cr() {
        let text = "a\r\nb\rc\nd";
        let index = LineIndex::new(text);
        assert_eq!(index.line_of(0), 1);
        assert_eq!(index.line_of(3), 2);
        assert_eq!(index.line_of(5), 3);
        assert_eq!(index.line_of(7), 4);
        assert_eq!(index.line_text(text, 1), "a");
        assert_eq!(index.line_text(text, 2), "b");
        assert_eq!(index.line_text(text, 4), "d");
    }

    #[test]
    fn position_counts_characters_not_bytes() {
        let text = "x\néé abc";
        let index = LineIndex::new(text);
        let at = text.find("abc").unwrap_or_default();
        let pos = index.position(text, at..at + 3);
        assert_eq!((pos.line, pos.column, pos.width), (2, 4, 3));
    }

    #[test]
    fn human_rendering_names_path_line_and_column() {
        let d = Diagnostic::new(
            "demo",
            Severity::Warning,
            "something odd",
            Position {
                line: 1,
                column: 3,
                width: 2,
            },
        )
        .with_hint("do the other thing");
        let out = render_human("a.md", Some("- [ ] ok\n"), &d, false);
        assert!(
            out.starts_with("a.md:1:3: warning[demo]: something odd\n"),
            "{out}"
        );
        assert!(out.contains("^^"), "{out}");
        assert!(out.contains("help: do the other thing"), "{out}");
    }
}
