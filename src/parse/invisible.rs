//! Invisible characters at the start of a line: a byte-order mark left where two files were
//! joined, a zero-width space or joiner pasted from a chat. Before a list marker or a heading
//! they would turn the line into a paragraph, hiding a task with no sign on the page.
//!
//! [`remove_line_starts`] gives the parser a copy of the text without them at the start of a
//! line (after any indent or quote markers), with a map from its offsets back to the source; an
//! `invisible-character` warning locates each and offers to delete it. (Blanking them to spaces
//! instead would indent the line, which can move it into the list item above.)

use crate::diag::{Diagnostic, LineIndex, Severity};

/// The characters, with a name for messages. Each is three bytes in UTF-8.
const INVISIBLE: [(char, &str); 4] = [
    ('\u{feff}', "byte-order mark"),
    ('\u{200b}', "zero-width space"),
    ('\u{200c}', "zero-width non-joiner"),
    ('\u{2060}', "word joiner"),
];

/// The text without the invisible characters at line starts, and the way back to source offsets.
#[derive(Debug)]
pub(super) struct Visible {
    /// The text to parse.
    pub text: String,
    /// For each removal: the offset in `text` where it was, and the bytes removed up to there.
    shifts: Vec<(usize, usize)>,
}

impl Visible {
    /// The source offset of offset `at` of the text.
    #[must_use]
    pub(super) fn to_source(&self, at: usize) -> usize {
        let i = self.shifts.partition_point(|&(from, _)| from <= at);
        at + i.checked_sub(1).map_or(0, |i| self.shifts[i].1)
    }
}

/// The text without invisible characters at line starts (from `from` on), when there are any;
/// a diagnostic for each line that has them.
pub(super) fn remove_line_starts(
    text: &str,
    from: usize,
    lines: &LineIndex,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Visible> {
    let body = &text[from..];
    if !INVISIBLE.iter().any(|(c, _)| body.contains(*c)) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..from]);
    let mut shifts = Vec::new();
    let mut removed = 0;
    let mut start = from;
    for line in body.split_inclusive('\n') {
        let lead = line.len() - line.trim_start_matches([' ', '\t', '>']).len();
        let hidden: usize = line[lead..]
            .chars()
            .take_while(|c| INVISIBLE.iter().any(|(i, _)| i == c))
            .map(char::len_utf8)
            .sum();
        if hidden == 0 {
            out.push_str(line);
        } else {
            let at = start + lead;
            diagnostics.push(diagnostic(&text[at..at + hidden], at, text, lines));
            out.push_str(&line[..lead]);
            removed += hidden;
            shifts.push((out.len(), removed));
            out.push_str(&line[lead + hidden..]);
        }
        start += line.len();
    }
    (!shifts.is_empty()).then_some(Visible { text: out, shifts })
}

fn diagnostic(found: &str, at: usize, text: &str, lines: &LineIndex) -> Diagnostic {
    let first = found.chars().next().unwrap_or('\u{feff}');
    let name = INVISIBLE
        .iter()
        .find(|(c, _)| *c == first)
        .map_or("invisible character", |(_, name)| name);
    let mut position = lines.position(text, at..at + found.len());
    position.width = 1;
    Diagnostic::new(
        "invisible-character",
        Severity::Warning,
        format!(
            "a {name} (U+{:04X}) starts the line, invisible; it is ignored",
            u32::from(first)
        ),
        position,
    )
    .with_hint(
        "delete it: before a list marker or a heading it would hide the line's task or title",
    )
    .with_fix(found, "")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn visible(text: &str) -> (Option<Visible>, Vec<(u32, u32)>) {
        let mut diagnostics = Vec::new();
        let lines = LineIndex::new(text);
        let out = remove_line_starts(text, 0, &lines, &mut diagnostics);
        (
            out,
            diagnostics.iter().map(|d| (d.line, d.column)).collect(),
        )
    }

    #[test]
    fn only_line_starts_are_removed_and_offsets_map_back() {
        let text = "# A\n\u{feff}- [ ] x\n> \u{200b}\u{200b}## B\nmid\u{200b}word\n";
        let (out, at) = visible(text);
        let out = out.unwrap_or_else(|| panic!("nothing removed"));
        assert_eq!(out.text, "# A\n- [ ] x\n> ## B\nmid\u{200b}word\n");
        assert_eq!(at, [(2, 1), (3, 3)]);
        for word in ["x", "B", "word"] {
            let found = out.text.find(word).unwrap_or_default();
            assert_eq!(&text[out.to_source(found)..][..word.len()], word);
        }
        assert!(visible("- [ ] x\n").0.is_none());
    }
}
