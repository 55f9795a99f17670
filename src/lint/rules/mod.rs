//! The lint rules, one per file, and their registry.

mod declared_count_mismatch;
mod empty_checklist;
mod unfilled_placeholder;

use super::Rule;

/// Every rule, in the order they run.
pub(super) const ALL: &[&dyn Rule] = &[
    &declared_count_mismatch::DeclaredCountMismatch,
    &unfilled_placeholder::UnfilledPlaceholder,
    &empty_checklist::EmptyChecklist,
];
