//! `declared-count-mismatch`: a heading says `(15 items)` but the section holds another number.
//!
//! What is counted: the leaf tasks of the section and its sub-sections (a group parent such as
//! `- [ ] **Security**` is not counted, its children are); when the section has no tasks, its
//! leaf items of any kind.

use crate::diag::{Diagnostic, Position, Severity};
use crate::lint::Rule;
use crate::model::{Checklist, Item, Section};

/// The rule.
pub(super) struct DeclaredCountMismatch;

impl Rule for DeclaredCountMismatch {
    fn code(&self) -> &'static str {
        "declared-count-mismatch"
    }

    fn default_severity(&self) -> Severity {
        Severity::Warning
    }

    fn summary(&self) -> &'static str {
        "a heading declares a number of items that differs from the items under it"
    }

    fn check(&self, checklist: &Checklist, out: &mut Vec<Diagnostic>) {
        for section in checklist.walk_sections() {
            let Some(declared) = section.declared_count else {
                continue;
            };
            let found = leaf_count(section);
            if usize::try_from(declared).is_ok_and(|d| d == found) {
                continue;
            }
            out.push(
                Diagnostic::new(
                    self.code(),
                    self.default_severity(),
                    format!("heading declares {declared} items but the section holds {found}"),
                    count_position(section, declared),
                )
                .with_hint(format!("change the heading to `({found} items)`")),
            );
        }
    }
}

fn leaf_count(section: &Section) -> usize {
    let items: Vec<&Item> = section.deep_items().collect();
    let leaves = |only_tasks: bool| {
        items
            .iter()
            .filter(|i| i.children.is_empty() && (!only_tasks || i.is_task()))
            .count()
    };
    if items.iter().any(|i| i.is_task()) {
        leaves(true)
    } else {
        leaves(false)
    }
}

/// Where `(N items)` sits on the heading line: after the `#` marker and a space.
fn count_position(section: &Section, declared: u32) -> Position {
    let needle = format!("({declared}");
    let marker = usize::from(section.level) + 1;
    match section.raw_title.find(&needle) {
        Some(byte) => {
            let column = marker + section.raw_title[..byte].chars().count() + 1;
            let width = section.raw_title[byte..].find(')').map_or(1, |e| e + 1);
            Position {
                line: section.line,
                column: u32::try_from(column).unwrap_or(1),
                width: u32::try_from(width).unwrap_or(1),
            }
        }
        None => Position::line(section.line),
    }
}
