//! The lint rules, one per file, and their registry.

mod bidi_control;
mod broken_link;
mod declared_count_mismatch;
mod duplicate_item;
mod empty_checklist;
mod empty_item;
mod empty_section;
mod inconsistent_task_marker;
mod missing_rollback;
mod missing_sign_off;
mod near_miss_task_marker;
mod secret_in_code;
mod task_in_comment;
mod unfilled_placeholder;

use super::Rule;

/// Every rule, in the order they run.
pub(super) const ALL: &[&dyn Rule] = &[
    &declared_count_mismatch::DeclaredCountMismatch,
    &unfilled_placeholder::UnfilledPlaceholder,
    &empty_checklist::EmptyChecklist,
    &near_miss_task_marker::NearMissTaskMarker,
    &task_in_comment::TaskInComment,
    &duplicate_item::DuplicateItem,
    &empty_section::EmptySection,
    &empty_item::EmptyItem,
    &secret_in_code::SecretInCode,
    &broken_link::BrokenLink,
    &missing_rollback::MissingRollback,
    &missing_sign_off::MissingSignOff,
    &inconsistent_task_marker::InconsistentTaskMarker,
    &bidi_control::BidiControl,
];
