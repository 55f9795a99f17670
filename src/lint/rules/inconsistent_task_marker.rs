//! `inconsistent-task-marker`: tasks of one file written with different list markers (`-`, `*`,
//! `+`, numbers). Each line using a less common marker is reported, quoting it as written.
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
        let mut markers: Vec<Marker<'_>> = Vec::new();
        for (_, item) in cx.checklist.walk_items().filter(|(_, i)| i.is_task()) {
            let text = cx.lines.line_text(cx.source, item.line);
            let trimmed = text.trim_start_matches([' ', '\t', '>']);
            let column = u32::try_from(text.len() - trimmed.len() + 1).unwrap_or(1);
            let written = trimmed.split(char::is_whitespace).next().unwrap_or("");
            let class = match written {
                "-" | "*" | "+" => written,
                m if m.ends_with('.') || m.ends_with(')') => "numbered",
                _ => continue,
            };
            markers.push(Marker {
                line: item.line,
                column,
                written,
                class,
            });
        }
        self.minority(&markers, out);
    }
}

/// A task's list marker: as written (`10.`) and the spelling it counts as (`numbered`).
struct Marker<'a> {
    line: u32,
    column: u32,
    written: &'a str,
    class: &'a str,
}

impl InconsistentTaskMarker {
    fn minority(&self, found: &[Marker<'_>], out: &mut Vec<Diagnostic>) {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for m in found {
            *counts.entry(m.class).or_default() += 1;
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
        // The common spelling as the file writes it (`1.` or `1)` for numbered tasks).
        let example = found
            .iter()
            .find(|m| m.class == common)
            .map_or(common, |m| m.written);
        let shown = if common == "numbered" {
            format!("numbers like `{example}`")
        } else {
            format!("`{common}`")
        };
        for m in found.iter().filter(|m| m.class != common) {
            out.push(
                Diagnostic::new(
                    self.code(),
                    self.default_severity(),
                    format!(
                        "task uses the list marker `{}`; most tasks here use {shown}",
                        m.written
                    ),
                    Position {
                        line: m.line,
                        column: m.column,
                        width: u32::try_from(m.written.chars().count()).unwrap_or(1),
                    },
                )
                .with_hint(format!("write {shown} for every task")),
            );
        }
    }
}
