//! Counts derived from a checklist, for dashboards and the index.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Phase;

/// Counts over a whole checklist.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Stats {
    /// Task items (with a box), at any depth.
    pub tasks: usize,
    /// Task items ticked in the source.
    pub checked: usize,
    /// Numbered steps without a box.
    pub steps: usize,
    /// Success criteria.
    pub criteria: usize,
    /// Plain bullets.
    pub bullets: usize,
    /// Sections at any depth.
    pub sections: usize,
    /// Code blocks, including those inside items.
    pub code_blocks: usize,
    /// Tables, including those inside items.
    pub tables: usize,
    /// Estimated total minutes: the declared total, else the sum of the outermost durations
    /// of sections and, where a section has none, of items, when they time at least half of
    /// the tasks and steps of the run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_minutes: Option<u32>,
    /// Tasks per phase, in deployment order, for phases that have sections (or the tasks
    /// before the first heading).
    pub phases: Vec<PhaseStats>,
}

/// Counts for one phase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PhaseStats {
    /// The phase.
    pub phase: Phase,
    /// Task items in sections of this phase (tasks before the first heading count in the
    /// checklist's default phase: the front matter `phase`, else `other`).
    pub tasks: usize,
    /// Of those, ticked.
    pub checked: usize,
    /// Sum of the durations of sections of this phase, in minutes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minutes: Option<u32>,
}
