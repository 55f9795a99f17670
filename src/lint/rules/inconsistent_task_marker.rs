//! `inconsistent-task-marker`: tasks of one file written with different list markers (`-`, `*`,
//! `+`) or with both `[x]` and `[X]`. Each line using a less common spelling is reported.
//!
//! No fix: changing a list marker can split or join lists in Markdown.

use std::collections::BTreeMap;

use crate::diag::{Diagnostic, Position, Severity};
use crate::lint::{Context, Rule};

/// The rule.
pub(super) struct InconsistentTaskMarker;

impl Rule for InconsistentTaskMarker {
    fn code(&self) -> &'static str {
        "inconsistent-task-marker"
    }

    fn default_severity(&self) -> Severity {
        Severity::Info
    }

    fn summary(&self) -> &'static str {
        "tasks are written with different list markers or box spellings"
    }

    fn why(&self) -> &'static str {
        "Mixed markers are how tasks end up in separate lists by accident, and they make diffs noisy; one spelling keeps the file predictable."
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let mut markers: Vec<(u32, u32, &'static str)> = Vec::new();
        for (_, item) in cx.checklist.walk_items().filter(|(_, i)| i.is_task()) {
            let text = cx.lines.line_text(cx.source, item.line);
            let trimmed = text.trim_start_matches([' ', '\t', '>']);
            let column = u32::try_from(text.len() - trimmed.len() + 1).unwrap_or(1);
            let marker = trimmed.split(char::is_whitespace).next().unwrap_or("");
            let bullet = match marker {
                "-" => "-",
                "*" => "*",
                "+" => "+",
                m if m.ends_with('.') || m.ends_with(')') => "1.",
                _ => continue,
            };
            markers.push((item.line, column, bullet));
        }
        self.minority(&markers, "list marker", out);
    }
}

impl InconsistentTaskMarker {
    fn minority(&self, found: &[(u32, u32, &str)], what: &str, out: &mut Vec<Diagnostic>) {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for (_, _, m) in found {
            *counts.entry(m).or_default() += 1;
        }
        if counts.len() < 2 {
            return;
        }
        let Some((&common, _)) = counts
            .iter()
            .max_by_key(|(m, n)| (**n, std::cmp::Reverse(**m)))
        else {
            return;
        };
        for (line, column, m) in found.iter().filter(|(_, _, m)| *m != common) {
            out.push(
                Diagnostic::new(
                    self.code(),
                    self.default_severity(),
                    format!("task uses the {what} `{m}`; most tasks here use `{common}`"),
                    Position {
                        line: *line,
                        column: *column,
                        width: u32::try_from(m.chars().count()).unwrap_or(1),
                    },
                )
                .with_hint(format!("write `{common}` for every task")),
            );
        }
    }
}
