//! `preflight rules`: lists every diagnostic code with its default severity and summary (codes
//! found while reading a file may come at more than one: `error/warning`).

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
        .chain(lint::READ_CODES.iter().map(|(c, _, _)| c.len()))
        .max()
        .unwrap_or(0);
    let severity = |severities: &[crate::diag::Severity]| {
        severities
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("/")
    };
    let levels = lint::READ_CODES
        .iter()
        .map(|(_, s, _)| severity(s).len())
        .max()
        .unwrap_or(0)
        .max("warning".len());
    for rule in lint::rules() {
        let _ = writeln!(
            out,
            "{:<width$}  {:<levels$}  {}",
            rule.code(),
            rule.default_severity().as_str(),
            rule.summary()
        );
    }
    for (code, severities, summary) in lint::READ_CODES {
        let _ = writeln!(
            out,
            "{code:<width$}  {:<levels$}  {summary}",
            severity(severities)
        );
    }
    write_stdout(out.as_bytes())?;
    Ok(Outcome::Success)
}
