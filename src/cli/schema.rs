//! `preflight schema`: prints the JSON Schema of exported documents, or of diff documents.

use super::{Outcome, write_stdout};
use crate::render::json;

/// Arguments of `schema`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  preflight schema > preflight.schema.json\n  preflight schema --diff > preflight-diff.schema.json"
)]
pub(super) struct Args {
    /// Print the schema of `preflight diff --format json` instead.
    #[arg(long)]
    diff: bool,
}

/// Runs `schema`.
pub(super) fn run(args: &Args) -> anyhow::Result<Outcome> {
    let schema = if args.diff {
        crate::diff::format::schema()
    } else {
        json::schema()
    };
    let bytes = json::to_bytes(&schema, true)?;
    write_stdout(&bytes)?;
    Ok(Outcome::Success)
}
