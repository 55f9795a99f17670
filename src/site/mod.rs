//! The runbook site: `preflight build`.
//!
//! Input: the book's sources and config. Output: a folder, written atomically, with
//!
//! ```text
//! index.html                          root page: the releases
//! 404.html
//! schema.json                         JSON Schema of the documents under json/
//! assets/                             CSS, scripts, icon (built in, or the book's theme)
//! <release>/index.html                dashboard of the release
//! <release>/<checklist-id>/index.html one interactive page per checklist
//! <release>/json/…                    the JSON export of the release
//! <release>/search/…                  the offline search index
//! ```
//!
//! Checklists are processed in batches, each batch in parallel; a page is rendered from its own
//! checklist only (never from the list of all pages), so build time and output size grow
//! linearly with the book. Every file is written from a deterministic input in a fixed place, so
//! identical input gives identical bytes whatever the number of threads.

mod assets;
pub mod changes;
pub mod highlight;
pub mod search;
mod templates;
pub mod view;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use minijinja::value::Serde;
use minijinja::{Environment, Value, context};
use rayon::prelude::*;
use serde::Serialize;

use crate::config::Config;
use crate::diag::Severity;
use crate::discover::SourcePath;
use crate::error::{Error, Result};
use crate::model::ChecklistSummary;
use crate::output::{Sink, Staging};
use crate::pipeline;
use crate::render::json;
use search::IndexBuilder;
use view::ChecklistView;

/// What a build wrote.
#[derive(Debug, Default)]
pub struct BuildReport {
    /// Checklist pages written.
    pub checklists: usize,
    /// Files written.
    pub files: usize,
    /// Bytes written.
    pub bytes: u64,
    /// Diagnostics found in the checklists.
    pub diagnostics: usize,
    /// Of those, errors.
    pub error_count: usize,
    /// Of those, warnings.
    pub warning_count: usize,
    /// Task items in all checklists.
    pub tasks: usize,
    /// HTML pages written.
    pub pages: usize,
    /// Releases built.
    pub releases: usize,
    /// Files that could not be read or rendered (the others are still built).
    pub errors: Vec<Error>,
    /// Error-level diagnostics, as `path:line:col: error[code]: message`.
    pub problems: Vec<String>,
    /// Where the site is.
    pub out: PathBuf,
}

/// What every page knows of the site.
#[derive(Debug, Serialize)]
struct SiteInfo<'a> {
    title: &'a str,
    description: Option<&'a str>,
    language: &'a str,
    /// Key of the site in browser storage, so two sites on one origin keep separate runs.
    key: String,
    version: &'static str,
}

/// One row of the release dashboard.
#[derive(Debug, Serialize)]
struct DashboardRow {
    #[serde(flatten)]
    summary: ChecklistSummary,
    estimated: Option<String>,
    phases: Vec<view::PhaseView>,
    owner: Option<String>,
    errors: usize,
    warnings: usize,
    #[serde(skip)]
    problems: Vec<String>,
}

/// A page rendered for one checklist, and what the rest of the build needs of it.
struct Rendered {
    row: DashboardRow,
    entries: Vec<search::Entry>,
}

/// The state shared by every page of a build.
struct Builder<'a> {
    env: Environment<'static>,
    site: SiteInfo<'a>,
    release: &'a str,
    levels: crate::lint::settings::Levels,
    sink: &'a dyn Sink,
}

/// Builds the site of `sources` into the folder `out`, atomically.
pub fn build(
    root: &Path,
    config: &Config,
    sources: &[SourcePath],
    out: &Path,
) -> Result<BuildReport> {
    let staging = Staging::new(out)?;
    let mut report = render(root, config, sources, &staging)?;
    let (files, bytes) = staging.totals();
    report.files = files;
    report.bytes = bytes;
    report.out = staging.commit()?;
    Ok(report)
}

/// Renders the site of `sources` into `sink`; `files`, `bytes` and `out` of the report are
/// left for the caller.
pub fn render(
    root: &Path,
    config: &Config,
    sources: &[SourcePath],
    sink: &dyn Sink,
) -> Result<BuildReport> {
    let env = templates::environment(&crate::discover::join_root(root, Path::new("templates")))?;
    let assets = assets::collect(&crate::discover::join_root(
        root,
        Path::new("themes/default"),
    ))?;
    let site = SiteInfo {
        title: &config.book.title,
        description: config.book.description.as_deref(),
        language: &config.book.language,
        key: crate::normalise::slug(&config.book.title),
        version: env!("CARGO_PKG_VERSION"),
    };
    let builder = Builder {
        env,
        site,
        release: &config.build.release,
        levels: config.levels(),
        sink,
    };
    let mut report = BuildReport::default();
    let (sources, duplicates) = unique_ids(sources);
    report.errors.extend(duplicates);
    let mut index = IndexBuilder::default();
    let mut rows = Vec::with_capacity(sources.len());
    for batch in sources.chunks(search::CHECKLISTS_PER_SHARD) {
        let results: Vec<Result<Rendered>> =
            batch.par_iter().map(|s| builder.checklist(s)).collect();
        let mut entries = Vec::with_capacity(results.len());
        for result in results {
            match result {
                Ok(r) => {
                    entries.push((
                        r.row.summary.id.clone(),
                        r.row.summary.title.clone(),
                        r.entries,
                    ));
                    rows.push(r.row);
                }
                Err(e @ Error::Template { .. }) => return Err(e),
                Err(e) => report.errors.push(e),
            }
        }
        let (name, bytes) = index.add_batch(&entries);
        builder.write(&format!("{}/search/{name}", builder.release), &bytes)?;
    }
    for (name, bytes) in index.finish() {
        builder.write(&format!("{}/search/{name}", builder.release), &bytes)?;
    }
    report.checklists = rows.len();
    report.diagnostics = rows.iter().map(|r| r.summary.diagnostics).sum();
    report.error_count = rows.iter().map(|r| r.errors).sum();
    report.problems = rows
        .iter()
        .flat_map(|r| r.problems.iter().cloned())
        .collect();
    report.warning_count = rows.iter().map(|r| r.warnings).sum();
    report.tasks = rows.iter().map(|r| r.summary.stats.tasks).sum();
    // A page per checklist, the dashboard, the root page and the 404 page.
    report.pages = rows.len() + 3;
    report.releases = 1;
    builder.finish(&rows, &assets)?;
    Ok(report)
}

fn count(c: &crate::model::Checklist, severity: Severity) -> usize {
    c.diagnostics
        .iter()
        .filter(|d| d.severity == severity)
        .count()
}

/// Sources with distinct checklist ids; a later source whose id is taken is an error.
fn unique_ids(sources: &[SourcePath]) -> (Vec<SourcePath>, Vec<Error>) {
    let mut seen: HashSet<&str> = HashSet::with_capacity(sources.len());
    let mut out = Vec::with_capacity(sources.len());
    let mut errors = Vec::new();
    for s in sources {
        if seen.insert(&s.id) {
            out.push(s.clone());
        } else {
            errors.push(Error::DuplicateId {
                path: s.path.clone(),
                id: s.id.clone(),
            });
        }
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    (out, errors)
}

impl Builder<'_> {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.sink.write(rel, bytes)
    }

    fn render(&self, name: &str, ctx: &Value) -> Result<String> {
        let template = self
            .env
            .get_template(name)
            .map_err(|e| templates::template_error(Path::new(name), &e))?;
        template
            .render(ctx)
            .map_err(|e| templates::template_error(Path::new(name), &e))
    }

    /// Reads, renders and writes one checklist: its page and its JSON.
    fn checklist(&self, source: &SourcePath) -> Result<Rendered> {
        let loaded = pipeline::load(source, &self.levels)?;
        let c = loaded.checklist;
        let id = c.id.clone();
        let root = "../".repeat(1 + id.split('/').count());
        let view = ChecklistView::new(&c);
        let html = self.render(
            "checklist.html",
            &context! {
                site => Value::from(Serde(&self.site)),
                release => self.release,
                root => Value::from_safe_string(root),
                page => "checklist",
                title => &view.title,
                checklist => Value::from(Serde(&view)),
            },
        )?;
        self.write(
            &format!("{}/{id}/index.html", self.release),
            html.as_bytes(),
        )?;
        let file = format!("checklists/{id}.json");
        let summary = json::summary(&c, file.clone());
        let entries = search::entries(&c);
        let row = DashboardRow {
            summary,
            estimated: view.estimated,
            phases: view.phases,
            owner: c.meta.owner.clone(),
            errors: count(&c, Severity::Error),
            warnings: count(&c, Severity::Warning),
            problems: c
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .map(|d| {
                    format!(
                        "{}:{}:{}: error[{}]: {}",
                        c.path, d.line, d.column, d.code, d.message
                    )
                })
                .collect(),
        };
        let bytes = json::to_bytes(&json::checklist_document(c), false)?;
        self.write(&format!("{}/json/{file}", self.release), &bytes)?;
        Ok(Rendered { row, entries })
    }

    /// The pages and files that list the whole release, and the assets.
    fn finish(
        &self,
        rows: &[DashboardRow],
        assets: &std::collections::BTreeMap<String, Vec<u8>>,
    ) -> Result<()> {
        let totals = context! {
            tasks => rows.iter().map(|r| r.summary.stats.tasks).sum::<usize>(),
            minutes => rows.iter().filter_map(|r| r.summary.stats.estimated_minutes).sum::<u32>(),
            diagnostics => rows.iter().map(|r| r.summary.diagnostics).sum::<usize>(),
        };
        let summaries: Vec<ChecklistSummary> = rows.iter().map(|r| r.summary.clone()).collect();
        let page = self.render(
            "release.html",
            &context! {
                site => Value::from(Serde(&self.site)), release => self.release, root => Value::from_safe_string("../".into()), page => "release",
                title => self.release, checklists => Value::from(Serde(rows)), totals => totals,
            },
        )?;
        self.write(&format!("{}/index.html", self.release), page.as_bytes())?;
        let releases = [context! { name => self.release, checklists => rows.len() }];
        let page = self.render(
            "index.html",
            &context! {
                site => Value::from(Serde(&self.site)), release => self.release, root => "", page => "index",
                title => self.site.title, releases => releases,
            },
        )?;
        self.write("index.html", page.as_bytes())?;
        let page = self.render(
            "404.html",
            &context! {
                site => Value::from(Serde(&self.site)), release => self.release, root => "", page => "404",
                title => "Page not found",
            },
        )?;
        self.write("404.html", page.as_bytes())?;
        let index = json::index_document(self.site.title, self.release, summaries);
        self.write(
            &format!("{}/json/index.json", self.release),
            &json::to_bytes(&index, false)?,
        )?;
        self.write("schema.json", &json::to_bytes(&json::schema(), true)?)?;
        for (name, bytes) in assets {
            self.write(&format!("assets/{name}"), bytes)?;
        }
        Ok(())
    }
}

/// Files under `dir`, sorted, as (path relative to `dir` with `/`, full path); none when `dir`
/// does not exist.
fn files_under(dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| Error::Walk {
            path: dir.to_owned(),
            message: e.to_string(),
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(dir) else {
            continue;
        };
        let name = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        out.push((name, entry.path().to_owned()));
    }
    Ok(out)
}
