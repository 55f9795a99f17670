//! Phases: the stage of a deployment a section belongs to.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The stage of a deployment a section belongs to, used for filters, print page breaks and stats.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    /// Preparation before the deployment starts.
    PreDeployment,
    /// The deployment itself.
    Deployment,
    /// Checks that the deployment worked.
    Verification,
    /// Work after the deployment.
    PostDeployment,
    /// Undoing a deployment.
    Rollback,
    /// Watching the system.
    Monitoring,
    /// Recurring upkeep (daily, weekly…).
    Maintenance,
    /// Approvals and signatures.
    SignOff,
    /// People to call.
    Contacts,
    /// What success looks like.
    SuccessCriteria,
    /// Background: configuration, templates, notes.
    Reference,
    /// Anything else.
    #[default]
    Other,
}

impl Phase {
    /// Every phase, in deployment order.
    pub const ALL: [Phase; 12] = [
        Phase::PreDeployment,
        Phase::Deployment,
        Phase::Verification,
        Phase::PostDeployment,
        Phase::Rollback,
        Phase::Monitoring,
        Phase::Maintenance,
        Phase::SignOff,
        Phase::Contacts,
        Phase::SuccessCriteria,
        Phase::Reference,
        Phase::Other,
    ];

    /// The kebab-case name used in JSON, URLs and CSS classes.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::PreDeployment => "pre-deployment",
            Phase::Deployment => "deployment",
            Phase::Verification => "verification",
            Phase::PostDeployment => "post-deployment",
            Phase::Rollback => "rollback",
            Phase::Monitoring => "monitoring",
            Phase::Maintenance => "maintenance",
            Phase::SignOff => "sign-off",
            Phase::Contacts => "contacts",
            Phase::SuccessCriteria => "success-criteria",
            Phase::Reference => "reference",
            Phase::Other => "other",
        }
    }

    /// Parses the kebab-case name (as written in front matter).
    #[must_use]
    pub fn from_name(name: &str) -> Option<Phase> {
        Phase::ALL
            .into_iter()
            .find(|p| p.as_str() == name.trim().to_ascii_lowercase())
    }
}
