//! `preflight schema`: prints the JSON Schema of exported documents.

use super::{Outcome, write_stdout};
use crate::render::json;

/// Arguments of `schema`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  preflight schema > preflight.schema.json")]
pub(super) struct Args {}

/// Runs `schema`.
pub(super) fn run(_args: &Args) -> anyhow::Result<Outcome> {
    let bytes = json::to_bytes(&json::schema(), true)?;
    write_stdout(&bytes)?;
    Ok(Outcome::Success)
}
