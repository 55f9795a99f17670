//! `empty-section`: a heading with nothing under it (no text, no items, no sub-sections).

use crate::diag::{Diagnostic, Severity};
use crate::lint::{Context, Rule};

/// The rule.
pub(super) struct EmptySection;

impl Rule for EmptySection {
    fn code(&self) -> &'static str {
        "empty-section"
    }

    fn default_severity(&self) -> Severity {
        Severity::Info
    }

    fn summary(&self) -> &'static str {
        "a section has a heading and nothing under it"
    }

    fn why(&self) -> &'static str {
        "An empty section is usually a step list that was never written (\"Rollback: TBD\"); on deployment day it reads as \"nothing to do\"."
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for s in cx.checklist.walk_sections() {
            if s.is_empty() {
                out.push(
                    Diagnostic::new(
                        self.code(),
                        self.default_severity(),
                        format!("section `{}` is empty", s.title),
                        cx.line_content(s.line),
                    )
                    .with_hint("write its steps, or remove the heading"),
                );
            }
        }
    }
}
