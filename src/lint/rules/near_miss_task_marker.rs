//! `near-miss-task-marker`: a line that was meant to be a task but is not one, so no box is
//! shown: `-[ ]` (no space), `- [x]done` (no space after the box), `- []` (empty brackets), `- [  ]` (two spaces), `- [-]` (a mark
//! Markdown does not know), `[ ] text` (no list marker), a box drawn as a character with no list
//! marker (`☐ text`; not a few short choices under a label), a box in a table cell, or a task
//! line inside a code block.
//!
//! Several mistakes on one line (`-[]x`, `[ ]x`) are one finding. Fixed safely: the marker
//! and the box become `- [ ] ` (`- [x] `; a numbered marker is kept) before the text.
//! Not flagged: the same text in a Markdown code block (it documents the syntax), in front
//! matter, or in raw HTML (a comment, a `<div>`).

use std::sync::LazyLock;

use regex::Regex;

use crate::diag::{Diagnostic, Severity};
use crate::lint::source::{
    code_at, code_blocks, html_blocks, in_ranges, lines, position, re, task_tables,
};
use crate::lint::{Context, Rule};

/// The rule.
pub(super) struct NearMissTaskMarker;

/// A box that starts a line's text, with or without a list marker before it, and what follows:
/// `-[ ] x`, `- []x`, `[ ] x`… Which of these are tasks is decided in [`NearMissTaskMarker::box_line`].
static BOX_LINE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^[ \t]*(?:>[ \t]?)*(?P<m>[-*+]|\d{1,9}[.)])?(?P<sp1>[ \t]*)(?P<box>\[(?P<mark>[ \t]*|[xX])\])(?P<sp2>[ \t]*)(?P<next>\S)",
    )
});
/// `- [-]`, `- [/]`: a mark that is not a box.
static ODD_MARK: LazyLock<Regex> = LazyLock::new(|| {
    re(r"^[ \t]*(?:>[ \t]?)*(?:[-*+]|\d{1,9}[.)])[ \t]+(?P<box>\[[-/~.oO*✓✔✗✘>?!]\])[ \t]+\S")
});
/// A box in a table cell.
static IN_CELL: LazyLock<Regex> = LazyLock::new(|| re(r"\|[ \t]*(?P<box>\[[ xX]\]|[☐⬜])"));
/// A well-formed numbered task line.
static NUMBERED_TASK: LazyLock<Regex> =
    LazyLock::new(|| re(r"^[ \t]{0,3}(?P<m>\d{1,9}[.)])[ \t]+(?P<box>\[[ xX]\])[ \t]+\S"));
/// Why a numbered task right under a line of text is not one.
const AFTER_TEXT: &str =
    "a numbered list right under a line of text must start at 1, else it is more of the paragraph";

/// Whether a numbered marker other than `1.` starts the line at `start`, right under a line of
/// paragraph text (not blank, not itself a list item, heading, quote or table row), which a
/// list starting at another number cannot interrupt.
fn numbered_after_text(source: &str, start: usize, marker: &str) -> bool {
    let number = marker.trim_end_matches(['.', ')']);
    if number.is_empty()
        || !number.bytes().all(|b| b.is_ascii_digit())
        || number.trim_start_matches('0') == "1"
    {
        return false;
    }
    // Exactly the line before: after a blank line a list may start at any number.
    let previous = lines_before(&source[..start])
        .next()
        .unwrap_or_default()
        .trim();
    let listed = previous.starts_with(['-', '*', '+', '#', '>', '|'])
        || previous
            .split_once(['.', ')'])
            .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    !previous.is_empty() && !listed && start > 0
}

/// A task line, as it would be written outside code.
static TASK: LazyLock<Regex> =
    LazyLock::new(|| re(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+(?P<box>\[[ xX]\])[ \t]+\S"));

impl Rule for NearMissTaskMarker {
    fn code(&self) -> &'static str {
        "near-miss-task-marker"
    }

    fn default_severity(&self) -> Severity {
        Severity::Warning
    }

    fn summary(&self) -> &'static str {
        "a line looks like a task but Markdown does not make it a checkbox"
    }

    fn why(&self) -> &'static str {
        "A task written `-[ ]` or `- []` renders as plain text: there is no box to tick, so the step is easy to skip and is missing from counts and progress."
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let code = code_blocks(cx);
        let html = html_blocks(cx.checklist);
        let tasks = task_tables(cx.checklist);
        for (n, start, line) in lines(cx.source) {
            // Front matter is YAML, and raw HTML shows its text as written: neither makes boxes.
            if start < cx.body_start || in_ranges(&html, n) {
                continue;
            }
            if in_ranges(&tasks, n) {
                continue;
            }
            if let Some(block) = code_at(&code, n) {
                let markdown = block
                    .lang
                    .as_deref()
                    .is_some_and(|l| matches!(l, "md" | "markdown" | "gfm" | "commonmark"));
                let fence = block.fenced && block.lines.start == n;
                if !markdown
                    && !fence
                    && let Some(c) = TASK.captures(line).and_then(|c| c.name("box"))
                {
                    self.push(
                        cx,
                        out,
                        start,
                        c.range(),
                        Severity::Info,
                        "a task inside a code block is shown as code, not as a box",
                        None,
                        "move it out of the code block if it is a step to tick",
                    );
                }
                continue;
            }
            if may_be_near_miss(line) {
                self.scan(cx, out, start, line);
            } else if let Some(found) = drawn_box(line)
                && !choice_under_label(cx.source, start, line)
            {
                self.drawn_box_line(cx, out, start, line, found);
            } else if line.trim_start().starts_with(|c: char| c.is_ascii_digit()) {
                self.numbered_in_paragraph(cx, out, start, line);
            }
        }
    }
}

/// A quick test that passes every line one of the patterns could match: any line with a box
/// that is not a well-formed task (`- [ ] text`), or with a `|` and a box (`[`, `☐`, `⬜`). Most lines of a checklist are
/// well-formed tasks or plain text, and skip the regexes.
fn may_be_near_miss(line: &str) -> bool {
    let bytes = line.as_bytes();
    if bytes.contains(&b'|') && (bytes.contains(&b'[') || line.contains(['☐', '⬜'])) {
        return true;
    }
    if !bytes.contains(&b'[') {
        return false;
    }
    let mut i = bytes
        .iter()
        .take_while(|b| matches!(b, b' ' | b'\t'))
        .count();
    while bytes.get(i) == Some(&b'>') {
        i += 1;
        if matches!(bytes.get(i), Some(b' ' | b'\t')) {
            i += 1;
        }
    }
    let Some(after) = list_marker_end(bytes, i) else {
        // No list marker: only a bare box can match, and it starts the text.
        return bytes.get(i) == Some(&b'[');
    };
    let spaces = bytes[after..]
        .iter()
        .take_while(|b| matches!(b, b' ' | b'\t'))
        .count();
    let rest = &bytes[after + spaces..];
    let task = spaces > 0 && matches!(rest, [b'[', b' ' | b'x' | b'X', b']', b' ' | b'\t', ..]);
    !task
}

/// A box drawn as a character that starts a line of text with no list marker (`☐ Back up
/// the database`): its offset and the box. A line of several boxes is a line of choices
/// (`☐ Success ☐ Rolled back`), not a task.
fn drawn_box(line: &str) -> Option<(usize, char)> {
    let text = line.trim_start_matches(['>', ' ', '\t']);
    let drawn = text
        .chars()
        .next()
        .filter(|c| matches!(c, '☐' | '⬜' | '☑'))?;
    let rest = text[drawn.len_utf8()..].trim_start_matches('\u{fe0f}');
    let words = rest.trim_start();
    let single = !rest.contains(['☐', '⬜', '☑']);
    (single && words.len() < rest.len() && words.starts_with(char::is_alphanumeric))
        .then(|| (line.len() - text.len(), drawn))
}

/// Whether a drawn box line is one of a few short choices listed right under a label, one per
/// line (`**Outcome:**`, then `☐ Success`, `☐ Rolled back`), not a task: two or more box lines,
/// no blank line between them and the label.
fn choice_under_label(source: &str, start: usize, line: &str) -> bool {
    if line.split_whitespace().count() > 4 {
        return false;
    }
    let after = source[start + line.len()..]
        .strip_prefix("\r\n")
        .or_else(|| source[start + line.len()..].strip_prefix(['\n', '\r']));
    let next_is_box =
        after.is_some_and(|a| drawn_box(a.split(['\n', '\r']).next().unwrap_or("")).is_some());
    let mut boxes_above = 0;
    for previous in lines_before(&source[..start]).take(8) {
        if drawn_box(previous).is_some() {
            boxes_above += 1;
            continue;
        }
        let label = previous
            .trim()
            .trim_end_matches(['*', '_'])
            .trim_end()
            .ends_with([':', '：']);
        return label && (boxes_above > 0 || next_is_box);
    }
    false
}

/// The lines that end `before` (which ends with a line break), last first, whatever the line
/// endings (`\n`, `\r\n`, `\r`).
fn lines_before(before: &str) -> impl Iterator<Item = &str> {
    let strip = |s: &'_ str| -> Option<usize> {
        if s.ends_with("\r\n") {
            Some(s.len() - 2)
        } else if s.ends_with(['\n', '\r']) {
            Some(s.len() - 1)
        } else {
            None
        }
    };
    let mut rest = strip(before).map(|end| &before[..end]);
    std::iter::from_fn(move || {
        let text = rest?;
        let begin = text.rfind(['\n', '\r']).map_or(0, |i| i + 1);
        rest = (begin > 0).then(|| &text[..strip(&text[..begin]).unwrap_or(begin)]);
        Some(&text[begin..])
    })
}

/// The end of a list marker (`-`, `*`, `+`, or 1 to 9 digits and `.` or `)`) at `at`.
fn list_marker_end(bytes: &[u8], at: usize) -> Option<usize> {
    match bytes.get(at)? {
        b'-' | b'*' | b'+' => Some(at + 1),
        b'0'..=b'9' => {
            let digits = bytes[at..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            (digits <= 9 && matches!(bytes.get(at + digits), Some(b'.' | b')')))
                .then_some(at + digits + 1)
        }
        _ => None,
    }
}

/// What keeps a [`BOX_LINE`] match from being a task (none: it is one), or `None` when the box
/// is not meant as one: a link (`- [x](url)`, `[x][ref]`) or a definition (`[x]: url`).
fn box_problems(c: &regex::Captures<'_>) -> Option<Vec<String>> {
    let (glued, no_space) = (c["sp1"].is_empty(), c["sp2"].is_empty());
    let mark = &c["mark"];
    // Glued to the box, only a word is the task's text: `[x], [y] and [z]`, `*[x]*` and
    // `[x]: url` are prose, emphasis and definitions.
    if no_space && !c["next"].chars().all(char::is_alphanumeric) {
        return None;
    }
    // Without a list marker, a line is prose unless its box is one Markdown knows (`[ ] x`,
    // `[ ]x`): `[] is returned when empty`, `[x]abc` are text.
    if c.name("m").is_none() && (!matches!(mark, " " | "x" | "X") || (no_space && mark != " ")) {
        return None;
    }
    let mut problems = Vec::new();
    match c.name("m") {
        None => problems.push("a list marker is needed before the box".to_owned()),
        Some(m) if glued => problems.push(format!(
            "a space is needed between `{}` and the box",
            m.as_str()
        )),
        Some(_) => {}
    }
    if !matches!(&c["mark"], " " | "x" | "X") {
        problems.push(format!(
            "`{}` is not a box: a box is `[ ]` with exactly one space",
            &c["box"]
        ));
    }
    if no_space {
        problems.push("a space is needed after the box".to_owned());
    }
    Some(problems)
}

impl NearMissTaskMarker {
    fn scan(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>, start: usize, line: &str) {
        if self.box_line(cx, out, start, line) {
        } else if let Some(b) = ODD_MARK.captures(line).and_then(|c| c.name("box")) {
            self.push(
                cx,
                out,
                start,
                b.range(),
                self.default_severity(),
                &format!(
                    "`{}` is not a box Markdown knows: only `[ ]` and `[x]` are",
                    b.as_str()
                ),
                None,
                "use `[ ]` for open and `[x]` for done; say \"skipped\" or \"n/a\" in the text",
            );
        } else if line.trim_start().starts_with('|') {
            // One note per row, at its first box: a table of boxes is one finding, not
            // thousands.
            let mut boxes = IN_CELL.captures_iter(line).filter_map(|c| c.name("box"));
            if let Some(first) = boxes.next() {
                let more = boxes.count();
                let message = if more == 0 {
                    "a box in a table cell is text, not a checkbox".to_owned()
                } else {
                    format!(
                        "boxes in table cells are text, not checkboxes ({} on this row)",
                        more + 1
                    )
                };
                self.push(
                    cx,
                    out,
                    start,
                    first.range(),
                    Severity::Info,
                    &message,
                    None,
                    "a table with one column of boxes makes each row a task; with boxes in several columns, write one task per cell as a list",
                );
            }
        }
    }

    /// Flags a line whose box would be a task but for its spacing or its list marker, with a
    /// fix to `- [ ] text`; returns whether the line starts with a box (flagged or well formed).
    fn box_line(
        &self,
        cx: &Context<'_>,
        out: &mut Vec<Diagnostic>,
        start: usize,
        line: &str,
    ) -> bool {
        let Some(c) = BOX_LINE.captures(line) else {
            return false;
        };
        let Some(problems) = box_problems(&c) else {
            return false;
        };
        if problems.is_empty() {
            return true;
        }
        let marker = c.name("m");
        let from = marker.map_or_else(|| c.name("box").map_or(0, |x| x.start()), |m| m.start());
        let to = c.name("next").map_or(line.len(), |x| x.start());
        let written = &line[from..to];
        let tick = if c["mark"].eq_ignore_ascii_case("x") {
            'x'
        } else {
            ' '
        };
        let fixed = format!("{} [{tick}] ", marker.map_or("-", |m| m.as_str()));
        // `2. [ ]` right under a line of text stays text, fixed or not: no fix to offer.
        let interrupts = marker.is_some_and(|m| numbered_after_text(cx.source, start, m.as_str()));
        let mut problems = problems;
        if interrupts {
            problems.push(AFTER_TEXT.to_owned());
        }
        self.push(
            cx,
            out,
            start,
            from..to,
            self.default_severity(),
            &format!(
                "`{}` is not a task: {}",
                written.trim_end(),
                problems.join("; ")
            ),
            (!interrupts).then(|| (written.to_owned(), fixed)),
            "write `- [ ] text`",
        );
        true
    }

    /// Flags a well-formed numbered task that does not start at 1 right under a line of text:
    /// CommonMark reads it as more of the paragraph, so it is no task.
    fn numbered_in_paragraph(
        &self,
        cx: &Context<'_>,
        out: &mut Vec<Diagnostic>,
        start: usize,
        line: &str,
    ) {
        let Some(c) = NUMBERED_TASK.captures(line) else {
            return;
        };
        let (Some(m), Some(b)) = (c.name("m"), c.name("box")) else {
            return;
        };
        if numbered_after_text(cx.source, start, m.as_str()) {
            self.push(
                cx,
                out,
                start,
                m.start()..b.end(),
                self.default_severity(),
                &format!(
                    "`{}` is not a task: {AFTER_TEXT}",
                    &line[m.start()..b.end()]
                ),
                None,
                "put a blank line before it, or number it from 1",
            );
        }
    }

    /// Flags a line that starts with a drawn box and no list marker (`☐ Back up the database`),
    /// with a fix to `- [ ] Back up the database`; the box and its offset are [`drawn_box`]'s.
    fn drawn_box_line(
        &self,
        cx: &Context<'_>,
        out: &mut Vec<Diagnostic>,
        start: usize,
        line: &str,
        (at, drawn): (usize, char),
    ) {
        let fixed = if drawn == '☑' { "- [x] " } else { "- [ ] " };
        let after = &line[at + drawn.len_utf8()..];
        let len = drawn.len_utf8() + after.len()
            - after.trim_start_matches('\u{fe0f}').trim_start().len();
        self.push(
            cx,
            out,
            start,
            at..at + len,
            self.default_severity(),
            &format!(
                "`{drawn}` is not a task: a list marker and a box (`{}`) make one",
                fixed.trim_end()
            ),
            Some((line[at..at + len].to_owned(), fixed.to_owned())),
            &format!("write `{fixed}text`"),
        );
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &self,
        cx: &Context<'_>,
        out: &mut Vec<Diagnostic>,
        line_start: usize,
        span: std::ops::Range<usize>,
        severity: Severity,
        message: &str,
        fix: Option<(String, String)>,
        hint: &str,
    ) {
        let at = position(cx, line_start + span.start..line_start + span.end);
        let mut d = Diagnostic::new(self.code(), severity, message, at).with_hint(hint);
        if let Some((from, to)) = fix {
            d = d.with_fix(from, to);
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Whether any of the patterns `scan` tries matches `line` as a near miss.
    fn any_pattern(line: &str) -> bool {
        let near_miss = BOX_LINE
            .captures(line)
            .and_then(|c| box_problems(&c))
            .is_some_and(|problems| !problems.is_empty());
        near_miss || [&*ODD_MARK, &*IN_CELL].iter().any(|re| re.is_match(line))
    }

    /// Regression: `3. [ ]` after a blank line that ended an item's code block was "right
    /// under a line of text" (the closing fence, found by skipping the blank line), though the
    /// site showed it as the task it is.
    #[test]
    fn a_numbered_task_after_a_blank_line_is_a_task() {
        let after_code = "1. [ ] a\n2. [ ] b:\n\n   ```\n   x\n   ```\n\n3. [ ] c\n";
        let start = after_code.find("3.").unwrap_or_default();
        assert!(!numbered_after_text(after_code, start, "3."));
        for (text, under) in [
            ("Steps:\n3. [ ] c\n", true),
            ("Steps:\r\n3. [ ] c\r\n", true),
            ("Steps:\r\n\r\n3. [ ] c\r\n", false),
            ("Steps:\r3. [ ] c\r", true),
        ] {
            let start = text.find("3.").unwrap_or_default();
            assert_eq!(numbered_after_text(text, start, "3."), under, "{text:?}");
        }
    }

    #[test]
    fn well_formed_tasks_and_plain_text_skip_the_patterns() {
        for line in [
            "- [ ] Deploy",
            "  * [x] Done",
            "> 12. [X] Step",
            "Plain [link](x)",
        ] {
            assert!(!may_be_near_miss(line), "{line}");
        }
        for line in [
            "-[ ] a",
            "- [] a",
            "- [-] a",
            "[ ] a",
            "| [ ] |",
            "> - [  ] a",
        ] {
            assert!(may_be_near_miss(line), "{line}");
        }
    }

    proptest! {
        /// The quick test never skips a line that one of the patterns matches.
        #[test]
        fn quick_test_passes_every_match(line in "[-*+>|\\[\\] \txX1.)a/]{0,16}") {
            if any_pattern(&line) {
                prop_assert!(may_be_near_miss(&line), "{line:?}");
            }
        }
    }
}
