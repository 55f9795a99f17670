//! Applying safe fixes to a source text (`preflight check --fix`).
//!
//! Input: the decoded text and its diagnostics. Output: the fixed text and which diagnostics'
//! fixes were applied. A fix is applied only when its span still reads what the rule saw; overlapping
//! fixes after the first are skipped (a second run picks them up).

use crate::diag::{Diagnostic, LineIndex, floor_char_boundary};

/// The text with every applicable fix made, and the indices (in `diagnostics`) of those made.
#[must_use]
pub fn apply(text: &str, diagnostics: &[Diagnostic]) -> (String, Vec<usize>) {
    let lines = LineIndex::new(text);
    let mut edits: Vec<(usize, usize, &str, usize)> = diagnostics
        .iter()
        .enumerate()
        .filter_map(|(i, d)| {
            let fix = d.fix.as_ref()?;
            let line = lines.line_text(text, d.line);
            let line_start = lines.line_start(d.line)?;
            let column = usize::try_from(d.column.saturating_sub(1)).ok()?;
            let start = line
                .char_indices()
                .nth(column)
                .map(|(i, _)| line_start + i)?;
            let end = start + fix.replace.len();
            (text.get(start..end) == Some(fix.replace.as_str())).then_some((
                start,
                end,
                fix.with.as_str(),
                i,
            ))
        })
        .collect();
    edits.sort_by_key(|e| (e.0, e.1));
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut applied = Vec::new();
    for (start, end, with, i) in edits {
        if start < last {
            continue;
        }
        out.push_str(&text[last..floor_char_boundary(text, start)]);
        out.push_str(with);
        last = end;
        applied.push(i);
    }
    out.push_str(&text[last..]);
    (out, applied)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{Position, Severity};

    fn fix(line: u32, column: u32, replace: &str, with: &str) -> Diagnostic {
        Diagnostic::new(
            "x",
            Severity::Warning,
            "m",
            Position {
                line,
                column,
                width: 1,
            },
        )
        .with_fix(replace, with)
    }

    #[test]
    fn fixes_apply_by_character_column() {
        let text = "# âœ… Done (2 items)\n-[ ] a\n";
        let (out, n) = apply(
            text,
            &[
                fix(1, 3, "âœ…", "✅"),
                fix(1, 12, "(2 items)", "(1 items)"),
                fix(2, 1, "-[ ]", "- [ ]"),
            ],
        );
        assert_eq!(out, "# ✅ Done (1 items)\n- [ ] a\n");
        assert_eq!(n, [0, 1, 2]);
    }

    #[test]
    fn stale_or_overlapping_fixes_are_skipped() {
        let text = "abc\n";
        let (out, n) = apply(
            text,
            &[
                fix(1, 1, "xyz", ""),
                fix(1, 1, "ab", "A"),
                fix(1, 2, "bc", "B"),
            ],
        );
        assert_eq!((out.as_str(), n), ("Ac\n", vec![1]));
    }
}
