//! `empty-checklist`: a file with no items at all (empty, or prose only).

use crate::diag::{Diagnostic, Position, Severity};
use crate::lint::{Context, Rule};

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

    fn why(&self) -> &'static str {
        "A checklist without items gives the operator nothing to tick; usually the list syntax is wrong or the file is a stub."
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let checklist = cx.checklist;
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
