//! Helpers for rules that read the source text: which lines are code, and positions of matches.

use std::ops::Range;

use regex::Regex;

use crate::diag::Position;
use crate::lint::Context;
use crate::model::{Block, Checklist};

/// A code block's lines: the fence lines and the content.
#[derive(Debug, Clone)]
pub(super) struct CodeLines {
    /// First line (the opening fence) to the last (the closing fence), inclusive.
    pub(super) lines: Range<u32>,
    /// The language, lower-cased.
    pub(super) lang: Option<String>,
}

/// Every code block of the checklist, with the lines it covers.
pub(super) fn code_blocks(checklist: &Checklist) -> Vec<CodeLines> {
    let mut out: Vec<CodeLines> = checklist
        .walk_blocks()
        .filter_map(|block| match block {
            Block::Code {
                line, lang, text, ..
            } => {
                let count = u32::try_from(text.lines().count()).unwrap_or(u32::MAX);
                Some(CodeLines {
                    lines: *line..line.saturating_add(count).saturating_add(2),
                    lang: lang.clone(),
                })
            }
            _ => None,
        })
        .collect();
    out.sort_by_key(|c| c.lines.start);
    out
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
