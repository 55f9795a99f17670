//! Checklist metadata and durations.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Metadata of a checklist, from YAML front matter (which wins) and bold `**Key**: value` lines.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    /// Version of the checklist or of what it deploys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Date as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Owner (`Document Owner`, `Owner`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Platform or product the checklist deploys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    /// Status of the document (`Ready for Production`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// How often the checklist is reviewed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_frequency: Option<String>,
    /// Estimated total time (`Estimated Total Time: 4 hours`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_total: Option<Duration>,
    /// Tags from front matter.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Every other key, by its kebab-case name, with its value as text.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub other: BTreeMap<String, String>,
}

/// A length of time as written, with its value in minutes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Duration {
    /// The text it was read from (`1 hour`, `2-3 days`).
    pub text: String,
    /// Minutes; for a range, its upper bound (a plan should not under-book).
    pub minutes: u32,
}
