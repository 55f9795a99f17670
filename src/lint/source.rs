//! Helpers for rules that read the source text: which lines are code, and positions of matches.

use std::ops::Range;

use regex::Regex;

use crate::diag::Position;
use crate::lint::Context;
use crate::model::{Block, Checklist};
use crate::parse::Node;

/// A code block's lines: its fence lines (when fenced) and the content.
#[derive(Debug, Clone)]
pub(super) struct CodeLines {
    /// First line (the opening fence, or the first line of an indented block) to the last.
    pub(super) lines: Range<u32>,
    /// The language, lower-cased.
    pub(super) lang: Option<String>,
    /// Whether the block is fenced (its first line is the opening fence).
    pub(super) fenced: bool,
}

/// Every code block of the document, with the lines it covers, from where the parser found it:
/// fenced or indented, closed or running to the end of its container.
pub(super) fn code_blocks(cx: &Context<'_>) -> Vec<CodeLines> {
    let mut out = Vec::new();
    let mut stack: Vec<&Node> = cx.nodes.iter().rev().collect();
    while let Some(node) = stack.pop() {
        match node {
            Node::Code {
                info, fenced, span, ..
            } => {
                let first = first_line(cx, span.start);
                let last = cx.lines.line_of(span.end.saturating_sub(1)).max(first);
                out.push(CodeLines {
                    lines: first..last.saturating_add(1),
                    lang: crate::normalise::code_lang(info),
                    fenced: *fenced,
                });
            }
            Node::List { items, .. } => {
                stack.extend(items.iter().rev().flat_map(|i| i.nodes.iter().rev()));
            }
            Node::Quote { nodes, .. } => stack.extend(nodes.iter().rev()),
            _ => {}
        }
    }
    out.sort_by_key(|c| c.lines.start);
    out
}

/// The line where a block starting at `offset` is: white space is skipped first, as the parser
/// may start a block at the end of the line before it.
fn first_line(cx: &Context<'_>, offset: usize) -> u32 {
    let skipped = cx.source.as_bytes().get(offset..).map_or(0, |rest| {
        rest.iter().take_while(|b| b.is_ascii_whitespace()).count()
    });
    cx.lines.line_of(offset + skipped)
}

/// The lines of every raw HTML block of the checklist (comments included), sorted.
pub(super) fn html_blocks(checklist: &Checklist) -> Vec<Range<u32>> {
    let mut out: Vec<Range<u32>> = checklist
        .walk_blocks()
        .filter_map(|block| match block {
            Block::Html { line, text } => {
                let count = u32::try_from(text.lines().count().max(1)).unwrap_or(u32::MAX);
                Some(*line..line.saturating_add(count))
            }
            _ => None,
        })
        .collect();
    out.sort_by_key(|r| r.start);
    out
}

/// Whether `line` is in one of `ranges` (sorted by start, not overlapping).
pub(super) fn in_ranges(ranges: &[Range<u32>], line: u32) -> bool {
    let after = ranges.partition_point(|r| r.start <= line);
    after
        .checked_sub(1)
        .is_some_and(|i| ranges[i].contains(&line))
}

/// Whether `line` is inside one of `blocks`.
pub(super) fn in_code(blocks: &[CodeLines], line: u32) -> bool {
    code_at(blocks, line).is_some()
}

/// The code block `line` is inside, found by binary search (`blocks` are sorted by start and do
/// not overlap, since code blocks cannot nest).
pub(super) fn code_at(blocks: &[CodeLines], line: u32) -> Option<&CodeLines> {
    let after = blocks.partition_point(|b| b.lines.start <= line);
    after
        .checked_sub(1)
        .map(|i| &blocks[i])
        .filter(|b| b.lines.contains(&line))
}

/// Source lines with their 1-based numbers and byte offsets, without their ending. A line ends
/// at `\n`, `\r\n` or a lone `\r`, as in [`crate::diag::LineIndex`].
/// Lines of the tables of tasks, sorted: their boxes are ticked on the page, not text.
pub(super) fn task_tables(checklist: &Checklist) -> Vec<Range<u32>> {
    let mut out: Vec<Range<u32>> = checklist
        .walk_blocks()
        .filter_map(|block| match block {
            Block::Table {
                line, rows, items, ..
            } if !items.is_empty() => {
                let count = u32::try_from(rows.len() + 2).unwrap_or(u32::MAX);
                Some(*line..line.saturating_add(count))
            }
            _ => None,
        })
        .collect();
    out.sort_by_key(|r| r.start);
    out
}

pub(super) fn lines(source: &str) -> impl Iterator<Item = (u32, usize, &str)> {
    let bytes = source.as_bytes();
    let mut start = 0;
    let mut n = 0u32;
    std::iter::from_fn(move || {
        if start >= bytes.len() {
            return None;
        }
        let (end, next) = match memchr::memchr2(b'\n', b'\r', &bytes[start..]) {
            Some(i) if bytes[start + i] == b'\r' && bytes.get(start + i + 1) == Some(&b'\n') => {
                (start + i, start + i + 2)
            }
            Some(i) => (start + i, start + i + 1),
            None => (bytes.len(), bytes.len()),
        };
        n = n.saturating_add(1);
        let line = (n, start, &source[start..end]);
        start = next;
        Some(line)
    })
}

/// The position of `range` (bytes of the source).
pub(super) fn position(cx: &Context<'_>, range: Range<usize>) -> Position {
    cx.lines.position(cx.source, range)
}

/// A regex from a pattern written in this crate (covered by the rules' tests).
pub(super) fn re(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| unreachable!("{e}"))
}
