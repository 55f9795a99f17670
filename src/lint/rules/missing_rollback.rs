//! `missing-rollback`: a deployment checklist (it has deployment steps) with no rollback
//! section.

use crate::diag::{Diagnostic, Position, Severity};
use crate::lint::{Context, Rule};
use crate::model::Phase;

/// The rule.
pub(super) struct MissingRollback;

impl Rule for MissingRollback {
    fn code(&self) -> &'static str {
        "missing-rollback"
    }

    fn default_severity(&self) -> Severity {
        Severity::Warning
    }

    fn summary(&self) -> &'static str {
        "a deployment checklist has no rollback section"
    }

    fn why(&self) -> &'static str {
        "The rollback plan is written before the deployment or not at all: when a release goes wrong there is no time to work out how to undo it."
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let phases: Vec<Phase> = cx.checklist.walk_sections().map(|s| s.phase).collect();
        if phases.contains(&Phase::Deployment) && !phases.contains(&Phase::Rollback) {
            out.push(
                Diagnostic::new(
                    self.code(),
                    self.default_severity(),
                    "this deployment checklist has no rollback section",
                    Position::line(cx.checklist.line),
                )
                .with_hint("add a `## Rollback` section with the steps to undo the deployment"),
            );
        }
    }
}
