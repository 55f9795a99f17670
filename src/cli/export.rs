//! `preflight export`: writes one JSON document per checklist and a book index.
//!
//! With `--out DIR`, files are `DIR/index.json` and `DIR/checklists/<id>.json`, written
//! atomically; without it, documents go to stdout (one per line when there are several, the
//! index last). Checklists are processed in parallel and streamed to the staging folder, so
//! memory stays flat however many there are.

use std::path::PathBuf;

use rayon::prelude::*;

use super::{
    Global, Outcome, eprint_line, outside_content, plural, report_errors, sources, under_root,
    with_unique_ids, write_stdout,
};
use crate::config::Config;
use crate::discover::SourcePath;
use crate::error::Error;
use crate::model::ChecklistSummary;
use crate::output::Staging;
use crate::pipeline;
use crate::render::json;

/// Arguments of `export`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  preflight export --out public/json --pretty
  preflight export content/deploy.md | jq '.checklist.stats'")]
pub(super) struct Args {
    /// Files or folders to export; default: the book's content folder.
    paths: Vec<PathBuf>,
    /// Folder to write into (replaced as a whole); default: stdout.
    #[arg(long, short, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Indent the JSON.
    #[arg(long)]
    pretty: bool,
}

/// Runs `export`.
pub(super) fn run(args: &Args, global: &Global) -> anyhow::Result<Outcome> {
    let (config, sources, mut errors) = sources(global, &args.paths)?;
    let (summaries, failed) = match &args.out {
        Some(out) => {
            let out = under_root(global, out);
            outside_content(global, &config, &out)?;
            let sources = with_unique_ids(sources, &mut errors);
            to_folder(&out, &sources, args.pretty, &config)?
        }
        None => to_stdout(&sources, args.pretty, &config)?,
    };
    errors.extend(failed);
    report_errors(&errors);
    if !global.quiet && args.out.is_some() {
        eprint_line(&format!("exported {}", plural(summaries, "checklist")));
    }
    Ok(if errors.is_empty() {
        Outcome::Success
    } else {
        Outcome::Failure
    })
}

fn checklist_file(id: &str) -> String {
    format!("checklists/{id}.json")
}

/// Exports into a folder; returns how many checklists were written and the files that failed.
fn to_folder(
    out: &std::path::Path,
    sources: &[SourcePath],
    pretty: bool,
    config: &Config,
) -> anyhow::Result<(usize, Vec<Error>)> {
    let staging = Staging::new(out)?;
    let levels = config.levels();
    let results: Vec<Result<ChecklistSummary, Error>> = sources
        .par_iter()
        .map(|source| {
            let loaded = pipeline::load(source, &levels)?;
            let file = checklist_file(&loaded.checklist.id);
            let summary = json::summary(&loaded.checklist, file.clone());
            let bytes = json::to_bytes(&json::checklist_document(loaded.checklist), pretty)?;
            staging.write(&file, &bytes)?;
            Ok(summary)
        })
        .collect();
    let (summaries, mut errors) = split(results);
    crate::output::fail_on_write_error(&mut errors)?;
    let count = summaries.len();
    let index = json::index_document(&config.book.title, &config.build.release, summaries);
    staging.write("index.json", &json::to_bytes(&index, pretty)?)?;
    staging.commit()?;
    Ok((count, errors))
}

/// Exports to stdout: one document when there is one checklist, else one per line and the index
/// (alone, for a folder with none).
fn to_stdout(
    sources: &[SourcePath],
    pretty: bool,
    config: &Config,
) -> anyhow::Result<(usize, Vec<Error>)> {
    let levels = config.levels();
    let results: Vec<Result<(ChecklistSummary, Vec<u8>), Error>> = sources
        .par_iter()
        .map(|source| {
            let loaded = pipeline::load(source, &levels)?;
            let summary = json::summary(&loaded.checklist, checklist_file(&loaded.checklist.id));
            Ok((
                summary,
                json::to_bytes(&json::checklist_document(loaded.checklist), pretty)?,
            ))
        })
        .collect();
    let (documents, errors) = split(results);
    let count = documents.len();
    let mut summaries = Vec::with_capacity(count);
    for (summary, bytes) in documents {
        write_stdout(&bytes)?;
        summaries.push(summary);
    }
    // One checklist is its document alone; none or several come with the index.
    if sources.len() != 1 {
        write_stdout(&json::to_bytes(
            &json::index_document(&config.book.title, &config.build.release, summaries),
            pretty,
        )?)?;
    }
    Ok((count, errors))
}

fn split<T>(results: Vec<Result<T, Error>>) -> (Vec<T>, Vec<Error>) {
    let mut ok = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(v) => ok.push(v),
            Err(e) => errors.push(e),
        }
    }
    (ok, errors)
}
