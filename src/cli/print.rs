//! `preflight print`: printable runbooks without building the site: for each checklist a print
//! page and a PDF, and when there are several, one page and one PDF with all of them.

use std::path::PathBuf;

use super::{
    Global, Outcome, eprint_line, keeps_output, left_as_it_was, outside_content, outside_inputs,
    plural, report_errors, sources, under_root, with_unique_ids,
};
use crate::output::Staging;
use crate::{pipeline, site};

/// Arguments of `print`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  preflight print                          every checklist of the book, into print/
  preflight print content/deploy.md -o out one checklist: out/deploy/runbook.pdf
  SOURCE_DATE_EPOCH=0 preflight print      byte-identical PDFs on every run")]
pub(super) struct Args {
    /// Files or folders to print; default: the book's content folder.
    paths: Vec<PathBuf>,
    /// Folder to write into (replaced as a whole); default: `print`.
    #[arg(long, short, value_name = "DIR", default_value = "print")]
    out: PathBuf,
}

/// Runs `print`.
pub(super) fn run(args: &Args, global: &Global) -> anyhow::Result<Outcome> {
    let (config, sources, mut errors) = sources(global, &args.paths)?;
    let sources = with_unique_ids(sources, &mut errors);
    let (checklists, failed) = pipeline::load_all(&sources, &config.levels());
    errors.extend(failed);
    let out = under_root(global, &args.out);
    outside_content(global, &config, &out)?;
    outside_inputs(global, &args.paths, &sources, &out)?;
    if keeps_output(&errors, checklists.len()) {
        return Ok(left_as_it_was(&errors, &out, global));
    }
    let staging = Staging::new(&out)?;
    let report = site::print(&global.root, &config, &checklists, &staging)?;
    let out = staging.commit()?;
    report_errors(&errors);
    if !global.quiet {
        for note in &report.notes {
            eprint_line(&format!("note: {note}"));
        }
        let off = if config.print.pdf {
            ""
        } else {
            ": `pdf = false` in book.toml"
        };
        eprint_line(&format!(
            "printed {} ({}{off}) into {}",
            plural(report.checklists, "checklist"),
            plural(report.pdfs, "PDF"),
            out.display()
        ));
    }
    Ok(if errors.is_empty() {
        Outcome::Success
    } else {
        Outcome::Failure
    })
}
