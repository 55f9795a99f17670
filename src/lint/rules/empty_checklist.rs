//! `empty-checklist`: a file with no items at all (empty, or prose only).

use crate::diag::{Diagnostic, Position, Severity};
use crate::lint::Rule;
use crate::model::Checklist;

/// The rule.
pub(super) struct EmptyChecklist;

impl Rule for EmptyChecklist {
    fn code(&self) -> &'static str {
        "empty-checklist"
    }

    fn default_severity(&self) -> Severity {
        Severity::Info
    }

    fn summary(&self) -> &'static str {
        "the file has no list items, so there is nothing to tick"
    }

    fn check(&self, checklist: &Checklist, out: &mut Vec<Diagnostic>) {
        if checklist.walk_items().next().is_none() {
            out.push(
                Diagnostic::new(
                    self.code(),
                    self.default_severity(),
                    "no checklist items found",
                    Position::line(1),
                )
                .with_hint("write tasks as `- [ ] text`"),
            );
        }
    }
}
