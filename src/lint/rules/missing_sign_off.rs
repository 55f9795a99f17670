//! `missing-sign-off`: a deployment checklist with nowhere to record who did it and who
//! approved it: no sign-off section, sign-off fields or sign-off table.

use crate::diag::{Diagnostic, Position, Severity};
use crate::lint::{Context, Rule};
use crate::model::{Block, FieldsKind, Phase, TableKind};

/// The rule.
pub(super) struct MissingSignOff;

impl Rule for MissingSignOff {
    fn code(&self) -> &'static str {
        "missing-sign-off"
    }

    fn default_severity(&self) -> Severity {
        Severity::Info
    }

    fn summary(&self) -> &'static str {
        "a deployment checklist has no sign-off"
    }

    fn why(&self) -> &'static str {
        "Without a sign-off, nobody records who deployed, who approved, and whether it worked; the printed runbook has no place for signatures."
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let c = cx.checklist;
        let deploys = c.walk_sections().any(|s| s.phase == Phase::Deployment);
        let signed = c.walk_sections().any(|s| s.phase == Phase::SignOff)
            || c.blocks
                .iter()
                .chain(c.walk_sections().flat_map(|s| s.blocks.iter()))
                .any(|b| match b {
                    Block::Table {
                        kind: TableKind::SignOff,
                        ..
                    } => true,
                    // Lines to fill in sign when they name who signs (`**Deployed By**: ____`,
                    // `**CTO**: ____`); a prompt to write in (`**Known issues**:`) does not.
                    Block::Fields { kind, fields, .. } => fields.iter().any(|f| {
                        is_sign_off_label(&f.label)
                            || (*kind == FieldsKind::SignOff
                                && crate::print::role_of(&f.label).is_some())
                    }),
                    _ => false,
                });
        // Lines to sign the printed sheet finds (`- Prepared by: ____` under `**Sign-off:**`).
        if deploys && !signed && !crate::print::names_signers(c) {
            out.push(
                Diagnostic::new(
                    self.code(),
                    self.default_severity(),
                    "this deployment checklist has no sign-off",
                    Position::line(c.line),
                )
                .with_hint("add a `## Sign-off` section with `**Deployed By**: ____` and `**Approved By**: ____`"),
            );
        }
    }
}

/// Labels that record who did or approved the deployment (`Deployed By`, `Approved by`,
/// `Signature`), whatever their value.
fn is_sign_off_label(label: &str) -> bool {
    let label = label.to_lowercase();
    [
        "deployed by",
        "approved by",
        "signed",
        "signature",
        "sign-off",
        "sign off",
        "verified by",
    ]
    .iter()
    .any(|w| label.contains(w))
}
