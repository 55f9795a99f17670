//! `preflight rules`: lists every diagnostic code with its default severity and summary.

use std::fmt::Write as _;

use super::{Outcome, write_stdout};
use crate::lint;

/// Arguments of `rules`.
#[derive(Debug, clap::Args)]
pub(super) struct Args {}

/// Runs `rules`.
pub(super) fn run(_: &Args) -> anyhow::Result<Outcome> {
    let mut out = String::new();
    let width = lint::rules()
        .iter()
        .map(|r| r.code().len())
        .chain(lint::READ_CODES.iter().map(|(c, _)| c.len()))
        .max()
        .unwrap_or(0);
    for rule in lint::rules() {
        let _ = writeln!(
            out,
            "{:<width$}  {:<7}  {}",
            rule.code(),
            rule.default_severity().as_str(),
            rule.summary()
        );
    }
    for (code, summary) in lint::READ_CODES {
        let _ = writeln!(out, "{code:<width$}  {:<7}  {summary}", "read");
    }
    write_stdout(out.as_bytes())?;
    Ok(Outcome::Success)
}
