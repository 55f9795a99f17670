//! `preflight export`: writes one JSON document per checklist and a book index.
//!
//! With `--out DIR`, files are `DIR/index.json` and `DIR/checklists/<id>.json`, written
//! atomically; without it, documents go to stdout (one per line when there are several, the
//! index last). Checklists are processed in parallel and streamed to the staging folder, so
//! memory stays flat however many there are.

use std::path::PathBuf;

use rayon::prelude::*;

use super::{
    Global, Outcome, eprint_line, keeps_output, left_as_it_was, outside_content, outside_inputs,
    plural, report_errors, sources, under_root, with_unique_ids, write_stdout,
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
    let (summaries, failed) = if let Some(out) = &args.out {
        let out = under_root(global, out);
        outside_content(global, &config, &out)?;
        outside_inputs(global, &args.paths, &sources, &out)?;
        let sources = with_unique_ids(sources, &mut errors);
        if keeps_output(&errors, sources.len()) {
            return Ok(left_as_it_was(&errors, &out, global));
        }
        let (count, failed) = to_folder(&out, &sources, args.pretty, &config)?;
        if count == 0 && !failed.is_empty() {
            errors.extend(failed);
            return Ok(left_as_it_was(&errors, &out, global));
        }
        (count, failed)
    } else {
        let sources = with_unique_ids(sources, &mut errors);
        to_stdout(
            &sources,
            args.pretty,
            &config,
            shape(&sources, args, &errors),
        )?
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
/// When sources were given and none could be read, the folder is left as it was (0 returned).
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
    if count == 0 && !errors.is_empty() {
        // Nothing could be read: the staging folder goes, the last export stays.
        return Ok((0, errors));
    }
    let index = json::index_document(&config.book.title, &config.build.release, summaries);
    staging.write("index.json", &json::to_bytes(&index, pretty)?)?;
    staging.commit()?;
    Ok((count, errors))
}

/// The shape of the output on stdout. Paths that were all missing print nothing; several
/// paths, of which one was found, print the index, as they would have with none missing.
fn shape(sources: &[SourcePath], args: &Args, errors: &[Error]) -> Shape {
    if sources.is_empty() && !errors.is_empty() {
        Shape::Nothing
    } else if sources.len() == 1 && args.paths.len() <= 1 {
        Shape::Alone
    } else {
        Shape::WithIndex
    }
}

/// What `export` prints on stdout.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// The one checklist's document.
    Alone,
    /// A document per checklist, one per line, then the index (alone, for a folder with none).
    WithIndex,
    /// Nothing: no path given was found.
    Nothing,
}

/// Exports to stdout, in `shape`.
fn to_stdout(
    sources: &[SourcePath],
    pretty: bool,
    config: &Config,
    shape: Shape,
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
    if shape == Shape::WithIndex {
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
