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
pub mod html;
pub mod links;
mod nav;
pub mod search;
mod templates;
pub mod view;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use minijinja::value::Serde;
use minijinja::{Environment, Value, context};
use rayon::prelude::*;
use serde::Serialize;

use crate::config::Config;
use crate::diag::Severity;
use crate::discover::SourcePath;
use crate::error::{Error, Result};
use crate::model::{Checklist, ChecklistSummary};
use crate::output::{Sink, Staging};
use crate::pipeline;
use crate::releases::{Release, Releases};
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
    /// Files the same as in the output replaced, kept as they were (not written again).
    pub kept: usize,
    /// Diagnostics found in the checklists.
    pub diagnostics: usize,
    /// Errors among the diagnostics of the newest release.
    pub error_count: usize,
    /// Warnings among the diagnostics of the newest release.
    pub warning_count: usize,
    /// Task items in all checklists.
    pub tasks: usize,
    /// HTML pages written.
    pub pages: usize,
    /// Releases built.
    pub releases: usize,
    /// Files that could not be read or rendered (the others are still built).
    pub errors: Vec<Error>,
    /// Error-level diagnostics of the newest release, as `path:line:col: error[code]:
    /// message`.
    pub problems: Vec<String>,
    /// Where the site is.
    pub out: PathBuf,
    /// Things the user should know that are not problems (a pack PDF not made).
    pub notes: Vec<String>,
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
#[derive(Debug, Clone, Serialize)]
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

/// A checklist's page, its JSON document, and what the rest of the build needs of it.
type Outputs = (Files, Rendered);

/// Files of one checklist, by path in the site.
type Files = Vec<(String, Arc<[u8]>)>;

/// A checklist in a search batch: id, title, entries and the fingerprint of its source.
type Member = (String, String, Arc<[search::Entry]>, Option<u64>);

/// A page rendered for one checklist, and what the rest of the build needs of it.
struct Rendered {
    row: DashboardRow,
    entries: Arc<[search::Entry]>,
    /// Its printable sheet, kept for the release pack.
    sheet: Option<Arc<crate::print::Sheet>>,
    /// The fingerprint of its source, when the build keeps a cache.
    fingerprint: Option<u64>,
}

/// What `serve` keeps from one build to the next, so that a rebuild renders only the sources
/// whose length or modification time changed. Anything that affects every page (the config, the
/// book's templates and theme) is part of the cache's key; when it changes, the cache empties.
/// Versioned books (with `[releases]`) are rebuilt whole.
#[derive(Default)]
pub struct Cache {
    state: Mutex<CacheState>,
}

#[derive(Default)]
struct CacheState {
    key: u64,
    pages: HashMap<String, Arc<CachedPage>>,
    /// Search batches by release and shard number, with the hash of what they were made from.
    batches: HashMap<(String, usize), (u64, Arc<search::Batch>)>,
}

/// One checklist's outputs, and the fingerprint of what it was built from.
struct CachedPage {
    fingerprint: u64,
    files: Files,
    row: DashboardRow,
    entries: Arc<[search::Entry]>,
    sheet: Option<Arc<crate::print::Sheet>>,
}

impl Cache {
    /// Empties the cache unless `key` is the key it was filled under.
    fn reset_unless(&self, key: u64) {
        if let Ok(mut state) = self.state.lock()
            && state.key != key
        {
            state.key = key;
            state.pages.clear();
            state.batches.clear();
        }
    }

    fn get(&self, name: &str, fingerprint: u64) -> Option<Arc<CachedPage>> {
        let state = self.state.lock().ok()?;
        state
            .pages
            .get(name)
            .filter(|p| p.fingerprint == fingerprint)
            .cloned()
    }

    fn put(&self, name: String, page: Arc<CachedPage>) {
        if let Ok(mut state) = self.state.lock() {
            state.pages.insert(name, page);
        }
    }

    /// Forgets the pages not in `keep`.
    fn retain(&self, keep: &HashSet<String>) {
        if let Ok(mut state) = self.state.lock() {
            state.pages.retain(|name, _| keep.contains(name));
        }
    }

    /// The search batch kept for shard `shard` of `release`, if it was made from `key`.
    fn batch(&self, release: &str, shard: usize, key: u64) -> Option<Arc<search::Batch>> {
        let state = self.state.lock().ok()?;
        let (kept, batch) = state.batches.get(&(release.to_owned(), shard))?;
        (*kept == key).then(|| Arc::clone(batch))
    }

    fn put_batch(&self, release: &str, shard: usize, key: u64, batch: Arc<search::Batch>) {
        if let Ok(mut state) = self.state.lock() {
            state
                .batches
                .insert((release.to_owned(), shard), (key, batch));
        }
    }
}

/// A hash of everything that goes into every page: the config, the templates and the assets.
fn build_key(config: &Config, templates: &Path, assets: &BTreeMap<String, Vec<u8>>) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    format!("{config:?}").hash(&mut hasher);
    if let Ok(files) = files_under(templates) {
        for (name, path) in files {
            name.hash(&mut hasher);
            std::fs::read(&path).unwrap_or_default().hash(&mut hasher);
        }
    }
    assets.hash(&mut hasher);
    hasher.finish()
}

/// The state shared by every page of a build.
struct Builder<'a> {
    env: Environment<'static>,
    site: SiteInfo<'a>,
    levels: crate::lint::settings::Levels,
    sink: &'a dyn Sink,
    /// The latest release's folder (`v1.2/`): everything written under it is also written
    /// under `latest/`. None for a book without releases.
    mirror: Option<String>,
    /// Pages kept from the previous build (`serve`).
    cache: Option<&'a Cache>,
    progress: Option<&'a (dyn Fn(usize) + Sync)>,
    print: PrintSetup,
    /// Whether checklist pages are written by [`html`] (the book keeps the built-in
    /// `checklist.html` and `macros.html`) rather than by the macros.
    direct_page: bool,
    /// Characters of PDFs' text no font has.
    unprintable: std::sync::Mutex<std::collections::BTreeSet<char>>,
    /// Checklists too long for a PDF of their own (more rows than `print.pack-max-rows`).
    too_long: std::sync::Mutex<std::collections::BTreeSet<String>>,
    /// Checklists (and packs) whose PDF the typesetter stopped on.
    stopped: std::sync::Mutex<std::collections::BTreeSet<String>>,
}

/// The print sheets of a release's pack, kept while their rows stay under the pack page's
/// limit: past it there is no pack, and the sheets are let go, so memory stays flat.
#[derive(Default)]
struct Pack {
    sheets: Vec<Arc<crate::print::Sheet>>,
    /// Rows of every sheet added, kept or not.
    rows: usize,
}

impl Pack {
    fn add(&mut self, sheet: Option<Arc<crate::print::Sheet>>, max_rows: usize) {
        let Some(sheet) = sheet else {
            return;
        };
        self.rows = self.rows.saturating_add(sheet.rows());
        if self.rows <= max_rows {
            self.sheets.push(sheet);
        } else {
            self.sheets = Vec::new();
        }
    }
}

impl PrintSetup {
    /// The most rows a release pack's print page is made for.
    fn pack_page_rows(&self) -> usize {
        self.pack_max_rows.saturating_mul(10)
    }
}

/// How the printable runbooks are made.
struct PrintSetup {
    /// Whether PDFs are made.
    pdf: bool,
    /// The most rows a release pack's PDF is made for (its print page: ten times as many).
    pack_max_rows: usize,
    paper: crate::print::Paper,
    /// The typst template: built in, or the book's `templates/runbook.typ`.
    #[cfg_attr(not(feature = "pdf"), allow(dead_code))]
    template: String,
    /// Where the template comes from, for errors.
    #[cfg_attr(not(feature = "pdf"), allow(dead_code))]
    template_path: PathBuf,
    /// Whether print pages are written by [`crate::print::html`] (the book keeps the built-in
    /// `print.html`) rather than by the template.
    direct: bool,
}

/// How a build runs, besides what it builds.
#[derive(Default, Clone, Copy)]
pub struct Options<'a> {
    /// Pages kept from the previous build, to render only what changed (`serve`).
    pub cache: Option<&'a Cache>,
    /// Called with the number of checklists just rendered, after each batch.
    pub progress: Option<&'a (dyn Fn(usize) + Sync)>,
    /// Whether to make PDFs, when the book asks for them (`serve` does not: they take time).
    pub pdf: bool,
}

/// What `preflight print` wrote.
#[derive(Debug, Default)]
pub struct PrintReport {
    /// Checklists printed.
    pub checklists: usize,
    /// PDF files written.
    pub pdfs: usize,
    /// Things the user should know that are not problems (a pack PDF not made).
    pub notes: Vec<String>,
}

/// `preflight print`: the print page and PDF of each checklist (`<id>/index.html`,
/// `<id>/runbook.pdf`), and of all of them together (`index.html`, `runbook.pdf`) when there are
/// several, with the stylesheet in `assets/`.
pub fn print(
    root: &Path,
    config: &Config,
    checklists: &[Checklist],
    sink: &dyn Sink,
) -> Result<PrintReport> {
    let templates_dir = crate::discover::join_root(root, Path::new("templates"));
    let assets = assets::collect(&inside_book(root, "themes/default")?)?;
    let builder = Builder {
        env: templates::environment(&templates_dir)?,
        site: site_info(config),
        levels: config.levels(),
        sink,
        mirror: None,
        cache: None,
        progress: None,
        print: print_setup(&templates_dir, config, true)?,
        direct_page: false,
        unprintable: std::sync::Mutex::default(),
        too_long: std::sync::Mutex::default(),
        stopped: std::sync::Mutex::default(),
    };
    let release = Release {
        name: config.build.release.clone(),
        dir: String::new(),
        date: None,
        origin: "working tree".into(),
        sources: Vec::new(),
    };
    // Each checklist's files are written as soon as they are made, so a book's PDFs are never
    // all in memory at once.
    let sheets = checklists
        .par_iter()
        .map(|c| {
            let mut files = Files::new();
            let sheet = builder.print_checklist(&release, c, &mut files)?;
            builder.write_files(&files)?;
            Ok(sheet)
        })
        .collect::<Result<Vec<Arc<crate::print::Sheet>>>>()?;
    let mut notes = Vec::new();
    let mut all = Pack::default();
    if sheets.len() > 1 {
        for sheet in sheets.iter().cloned() {
            all.add(Some(sheet), builder.print.pack_page_rows());
        }
    }
    let pack = builder.print_pack(&release, &all, &mut notes)? == Some(true);
    notes.extend(builder.unprintable_note());
    notes.extend(builder.too_long_note());
    notes.extend(builder.stopped_note());
    if let Some(css) = assets.get("print.css") {
        sink.write("assets/print.css", css)?;
    }
    let pdfs = if builder.print.pdf {
        sheets.len().saturating_sub(builder.without_pdf()) + usize::from(pack)
    } else {
        0
    };
    Ok(PrintReport {
        checklists: sheets.len(),
        pdfs,
        notes,
    })
}

/// The language a checklist says it is written in (front matter `lang: fr` or `language:
/// de-CH`), when that is a language tag: its page says so, for screen readers, hyphenation
/// and fonts, in a book of another language.
fn page_language(c: &Checklist) -> Option<&str> {
    let tag = ["lang", "language"]
        .iter()
        .find_map(|k| c.meta.other.get(*k))?
        .trim();
    let mut parts = tag.split('-');
    let primary = parts.next()?;
    let valid = (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_alphabetic())
        && parts
            .all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()));
    valid.then_some(tag)
}

/// What every page knows of the site, from the config.
fn site_info(config: &Config) -> SiteInfo<'_> {
    SiteInfo {
        title: &config.book.title,
        description: config.book.description.as_deref(),
        language: &config.book.language,
        key: crate::normalise::slug(&config.book.title),
        version: env!("CARGO_PKG_VERSION"),
    }
}

/// How the book prints: PDFs only when asked for, allowed and built in.
fn print_setup(templates: &Path, config: &Config, allowed: bool) -> Result<PrintSetup> {
    let template_path = templates.join("runbook.typ");
    #[cfg(feature = "pdf")]
    let template = match std::fs::read_to_string(&template_path) {
        Ok(text) => {
            if allowed && config.print.pdf {
                crate::print::pdf::check_template(&text).map_err(|message| Error::Print {
                    path: template_path.clone(),
                    message,
                })?;
            }
            text
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            crate::print::pdf::TEMPLATE.to_owned()
        }
        Err(source) => {
            return Err(Error::Read {
                path: template_path,
                source,
            });
        }
    };
    #[cfg(not(feature = "pdf"))]
    let template = String::new();
    Ok(PrintSetup {
        pdf: allowed && config.print.pdf && cfg!(feature = "pdf"),
        pack_max_rows: config.print.pack_max_rows,
        paper: config.print.paper,
        template,
        template_path,
        direct: keeps_builtin(templates, &["print.html"]),
    })
}

/// Builds the site of `releases` into the folder `out`, atomically.
pub fn build(
    root: &Path,
    config: &Config,
    releases: &Releases,
    out: &Path,
    options: Options<'_>,
) -> Result<BuildReport> {
    let staging = Staging::new(out)?;
    let mut report = render(root, config, releases, &staging, options)?;
    crate::output::fail_on_write_error(&mut report.errors)?;
    let (files, bytes) = staging.totals();
    report.files = files;
    report.bytes = bytes;
    report.kept = staging.kept();
    report.out = staging.commit()?;
    Ok(report)
}

/// Renders the site of `releases` into `sink`; `files`, `bytes` and `out` of the report are
/// left for the caller. With a cache in `options`, checklists whose source did not change since
/// the build that filled it are not rendered again.
pub fn render(
    root: &Path,
    config: &Config,
    releases: &Releases,
    sink: &dyn Sink,
    options: Options<'_>,
) -> Result<BuildReport> {
    let templates_dir = crate::discover::join_root(root, Path::new("templates"));
    let env = templates::environment(&templates_dir)?;
    let assets = assets::collect(&inside_book(root, "themes/default")?)?;
    let cache = options.cache.filter(|_| !releases.configured);
    if let Some(cache) = cache {
        cache.reset_unless(build_key(config, &templates_dir, &assets));
    }
    let site = site_info(config);
    let latest = &releases.list[releases.latest];
    let builder = Builder {
        env,
        site,
        levels: config.levels(),
        sink,
        mirror: releases.configured.then(|| format!("{}/", latest.dir)),
        cache,
        progress: options.progress,
        print: print_setup(&templates_dir, config, options.pdf)?,
        direct_page: keeps_builtin(&templates_dir, &["checklist.html", "macros.html"]),
        unprintable: std::sync::Mutex::default(),
        too_long: std::sync::Mutex::default(),
        stopped: std::sync::Mutex::default(),
    };
    let mut report = BuildReport::default();
    copy_static(root, releases, sink, &mut report.notes)?;
    let mut listed = Vec::with_capacity(releases.list.len());
    if releases.configured {
        let models: Vec<Vec<Checklist>> = releases
            .list
            .iter()
            .map(|r| builder.load_all(r, &mut report.errors, &mut report.notes))
            .collect();
        for (i, release) in releases.list.iter().enumerate() {
            let previous = i.checked_sub(1).map(|p| &releases.list[p]);
            let changes = i.checked_sub(1).map(|p| {
                crate::diff::diff(
                    &releases.list[p].name,
                    &release.name,
                    &models[p],
                    &models[i],
                )
            });
            let listed_ids = changes
                .iter()
                .flat_map(|d| d.checklists.iter().map(|c| c.id.clone()))
                .collect();
            let ctx = nav::ReleaseNav::new(releases, &models, i, listed_ids);
            let inputs: Vec<Input<'_>> = models[i].iter().map(Input::Loaded).collect();
            let (problems, errors, warnings) = (
                report.problems.len(),
                report.error_count,
                report.warning_count,
            );
            let rows = builder.release(release, &ctx, &inputs, &mut report)?;
            if i + 1 < releases.list.len() {
                // What a published release got wrong is history: only the newest is to fix,
                // and only its findings are counted.
                report.problems.truncate(problems);
                report.error_count = errors;
                report.warning_count = warnings;
            }
            builder.changes_page(release, &ctx, changes.as_ref(), previous)?;
            listed.push((release, rows));
        }
    } else {
        let release = &releases.list[0];
        let (sources, duplicates) = unique_ids(&release.sources);
        report.errors.extend(duplicates);
        let ctx = nav::ReleaseNav::single(release);
        let inputs: Vec<Input<'_>> = sources.iter().map(Input::Source).collect();
        let rows = builder.release(release, &ctx, &inputs, &mut report)?;
        if let Some(cache) = cache {
            cache.retain(&sources.iter().map(|s| cache_name(release, s)).collect());
        }
        listed.push((release, rows));
    }
    report.releases = listed.len();
    report.notes.extend(builder.unprintable_note());
    report.notes.extend(builder.too_long_note());
    report.notes.extend(builder.stopped_note());
    builder.root_pages(releases, &listed, &assets)?;
    // The root page and the 404 page.
    report.pages += 2;
    Ok(report)
}

/// Copies the book's `static/` folder to the site's root as it is (`CNAME`, `robots.txt`,
/// `favicon.ico`, `_headers`), before anything else is written. A file at a path of the site's
/// own (a release's folder, `assets/`, `index.html`) is left out with a note, and a file
/// preflight writes over one is its own. Links in the folder are not followed, and a folder
/// that leads out of the book is refused.
fn copy_static(
    root: &Path,
    releases: &Releases,
    sink: &dyn Sink,
    notes: &mut Vec<String>,
) -> Result<()> {
    let dir = inside_book(root, STATIC_DIR)?;
    let own = |name: &str| {
        let top = name.split('/').next().unwrap_or(name);
        crate::releases::RESERVED.contains(&top)
            || top == crate::output::MARKER
            || releases.list.iter().any(|r| r.dir == top)
    };
    let mut left_out = Vec::new();
    for (name, path) in files_under(&dir)? {
        if own(&name) {
            left_out.push(format!("`{STATIC_DIR}/{name}`"));
            continue;
        }
        sink.copy(&name, &path)?;
    }
    if let Some(listed) = listed(left_out.iter().cloned(), left_out.len(), 5) {
        notes.push(format!(
            "not copied, as the site has its own file or folder there: {listed}"
        ));
    }
    Ok(())
}

/// A folder of the book (`static`, `themes/default`) whose files are published, refused when
/// it leads out of the book's repository (a link named `static` to `/etc` must not publish
/// `/etc`; a theme shared in a monorepo may be linked) or holds the book itself (`static ->
/// .` would publish `book.toml` and `.git`).
pub(super) fn inside_book(root: &Path, rel: &str) -> Result<PathBuf> {
    let dir = crate::discover::join_root(root, Path::new(rel));
    let (Ok(target), Ok(book)) = (std::fs::canonicalize(&dir), std::fs::canonicalize(root)) else {
        return Ok(dir);
    };
    let repository = book
        .ancestors()
        .find(|a| a.join(".git").exists())
        .unwrap_or(&book);
    if target.starts_with(repository) && !book.starts_with(&target) {
        Ok(dir)
    } else {
        Err(Error::OutsideBook { path: dir, target })
    }
}

/// The book's folder of files copied to the site's root as they are.
pub const STATIC_DIR: &str = "static";

/// The first `shown` of `count` names, joined by commas, with how many more there are; none
/// for no names.
fn listed(names: impl Iterator<Item = String>, count: usize, shown: usize) -> Option<String> {
    if count == 0 {
        return None;
    }
    let mut listed: Vec<String> = names.take(shown).collect();
    if count > shown {
        listed.push(format!("and {} more", count - shown));
    }
    Some(listed.join(", "))
}

fn count(c: &crate::model::Checklist, severity: Severity) -> usize {
    c.diagnostics
        .iter()
        .filter(|d| d.severity == severity)
        .count()
}

/// Sources with distinct checklist ids (their front matter's when they declare one), sorted by
/// id; a later source whose id is taken, or is the name of a release's own folder, is an error.
fn unique_ids(sources: &[SourcePath]) -> (Vec<SourcePath>, Vec<Error>) {
    let mut sources = sources.to_vec();
    crate::discover::declared_ids(&mut sources);
    let (mut sources, errors) = crate::discover::unique_ids(&sources, reserved);
    sources.sort_by(|a, b| a.id.cmp(&b.id));
    (sources, errors)
}

/// The id errors of `sources` that `build` stops on: ids taken twice or reserved for the site's
/// own pages, which `check` reports before `build` would refuse them.
#[must_use]
pub fn id_clashes(sources: &[SourcePath]) -> Vec<Error> {
    unique_ids(sources).1
}

/// Why `id` cannot be a checklist's, when it is the address of another page: one of a
/// release's own folders, or the print page of the checklist `id` without `/print`.
fn reserved(id: &str, ids: &HashSet<&str>) -> Option<String> {
    if RESERVED_IDS.contains(&id) {
        return Some(format!(
            "is one of the site's own folders ({})",
            RESERVED_IDS.map(|r| format!("`{r}`")).join(", ")
        ));
    }
    let owner = id.strip_suffix("/print")?;
    ids.contains(owner)
        .then(|| format!("is the address of the print page of `{owner}`"))
}

/// What identifies a version of a source file, mostly without reading it: its path, id, length
/// and modification time, as `make` and cargo do. A file modified in the last two seconds is
/// also hashed whole, since a coarse clock could give two quick edits of the same length the
/// same time; a file whose metadata cannot be read gets a fingerprint of its own each time, so
/// it is read again and its error reported.
fn file_fingerprint(source: &SourcePath) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    (&source.path, &source.display, &source.id).hash(&mut hasher);
    let Ok(meta) = std::fs::metadata(&source.path) else {
        std::time::Instant::now().hash(&mut hasher);
        return hasher.finish();
    };
    meta.len().hash(&mut hasher);
    let modified = meta.modified().ok();
    modified.hash(&mut hasher);
    let recent = modified
        .and_then(|m| m.elapsed().ok())
        .is_none_or(|age| age < std::time::Duration::from_secs(2));
    if recent {
        std::fs::read(&source.path).ok().hash(&mut hasher);
    }
    hasher.finish()
}

/// The cache's name for a source of a release.
fn cache_name(release: &Release, source: &SourcePath) -> String {
    format!("{}\0{}", release.dir, source.id)
}

/// Checklist ids that would collide with a release's own pages.
const RESERVED_IDS: [&str; 4] = ["changes", "json", "print", "search"];

/// A checklist to render: a source to read, or a model already read.
enum Input<'a> {
    Source(&'a SourcePath),
    Loaded(&'a Checklist),
}

impl Builder<'_> {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        if let Some(rest) = self.mirror.as_deref().and_then(|m| rel.strip_prefix(m)) {
            self.sink.write(&format!("latest/{rest}"), bytes)?;
        }
        self.sink.write(rel, bytes)
    }

    fn write_shared(&self, rel: &str, bytes: &Arc<[u8]>) -> Result<()> {
        if let Some(rest) = self.mirror.as_deref().and_then(|m| rel.strip_prefix(m)) {
            self.sink.write_shared(&format!("latest/{rest}"), bytes)?;
        }
        self.sink.write_shared(rel, bytes)
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

    /// Reads every checklist of a release, in parallel, sorted by id; failures go to `errors`.
    /// A checklist whose id is taken, or names one of the site's own folders, is an error in
    /// the working tree, which can be fixed; in a past release (a tag, a folder), which cannot,
    /// it is left out with a note, so an old tag never fails every build to come.
    fn load_all(
        &self,
        release: &Release,
        errors: &mut Vec<Error>,
        notes: &mut Vec<String>,
    ) -> Vec<Checklist> {
        let (sources, duplicates) = unique_ids(&release.sources);
        if release.origin == "working tree" {
            errors.extend(duplicates);
        } else {
            notes.extend(duplicates.iter().map(|e| {
                format!(
                    "release {}: {e}; it is left out of this past release",
                    release.name
                )
            }));
        }
        let (checklists, failed) = pipeline::load_all(&sources, &self.levels);
        errors.extend(failed);
        checklists
    }

    /// Renders the pages of one release: a page per checklist (in batches, each in parallel),
    /// the search index, the dashboard and the JSON index. Returns the dashboard rows.
    fn release(
        &self,
        release: &Release,
        ctx: &nav::ReleaseNav,
        inputs: &[Input<'_>],
        report: &mut BuildReport,
    ) -> Result<Vec<DashboardRow>> {
        let mut index = IndexBuilder::default();
        let mut rows = Vec::with_capacity(inputs.len());
        let mut pack = Pack::default();
        // Each batch's search shard is made while the next batch renders.
        let mut pending: Option<Vec<Member>> = None;
        for batch in inputs.chunks(search::CHECKLISTS_PER_SHARD) {
            let (results, shard) = rayon::join(
                || {
                    batch
                        .par_iter()
                        .map(|input| match input {
                            Input::Source(s) => self.source(release, ctx, s),
                            Input::Loaded(c) => self.checklist(release, ctx, (*c).clone()),
                        })
                        .collect::<Vec<Result<Rendered>>>()
                },
                || {
                    pending
                        .take()
                        .map(|members| self.search_batch(release, &index, &members))
                },
            );
            if let Some(shard) = shard {
                self.add_search_batch(release, &mut index, &shard)?;
            }
            let mut members = Vec::with_capacity(results.len());
            for result in results {
                match result {
                    Ok(r) => {
                        pack.add(r.sheet.clone(), self.print.pack_page_rows());
                        members.push((
                            r.row.summary.id.clone(),
                            r.row.summary.title.clone(),
                            r.entries,
                            r.fingerprint,
                        ));
                        rows.push(r.row);
                    }
                    Err(e @ Error::Template { .. }) => return Err(e),
                    Err(e) => report.errors.push(e),
                }
            }
            if let Some(progress) = self.progress {
                progress(batch.len());
            }
            pending = Some(members);
        }
        if let Some(members) = pending {
            let shard = self.search_batch(release, &index, &members);
            self.add_search_batch(release, &mut index, &shard)?;
        }
        for (name, bytes) in index.finish() {
            self.write(&format!("{}/search/{name}", release.dir), &bytes)?;
        }
        report.checklists += rows.len();
        report.diagnostics += rows.iter().map(|r| r.summary.diagnostics).sum::<usize>();
        report.error_count += rows.iter().map(|r| r.errors).sum::<usize>();
        report
            .problems
            .extend(rows.iter().flat_map(|r| r.problems.iter().cloned()));
        report.warning_count += rows.iter().map(|r| r.warnings).sum::<usize>();
        report.tasks += rows.iter().map(|r| r.summary.stats.tasks).sum::<usize>();
        // A page per checklist and the dashboard (and the changes page of a versioned book).
        report.pages += rows.len() * 2 + 1 + usize::from(ctx.versioned());
        let packed = self
            .print_pack(release, &pack, &mut report.notes)?
            .is_some();
        self.dashboard(release, ctx, &rows, packed)?;
        Ok(rows)
    }

    /// Adds a search batch to the index and writes its document shard.
    fn add_search_batch(
        &self,
        release: &Release,
        index: &mut IndexBuilder,
        batch: &search::Batch,
    ) -> Result<()> {
        index.add(batch);
        self.write_shared(
            &format!("{}/search/{}", release.dir, batch.name),
            &batch.bytes,
        )
    }

    /// The search batch of `members` (id, title, entries, fingerprint), from the cache when it
    /// holds one made from the same checklists at the same place.
    fn search_batch(
        &self,
        release: &Release,
        index: &IndexBuilder,
        members: &[Member],
    ) -> Arc<search::Batch> {
        let (shard, first) = (index.shards(), index.checklists());
        let make = || {
            let list: Vec<(&str, &str, &[search::Entry])> = members
                .iter()
                .map(|(id, title, entries, _)| (id.as_str(), title.as_str(), &entries[..]))
                .collect();
            Arc::new(search::Batch::new(shard, first, &list))
        };
        let Some(cache) = self.cache else {
            return make();
        };
        let mut hasher = std::hash::DefaultHasher::new();
        first.hash(&mut hasher);
        for (id, _, _, fingerprint) in members {
            let Some(fingerprint) = fingerprint else {
                return make();
            };
            (id, fingerprint).hash(&mut hasher);
        }
        let key = hasher.finish();
        if let Some(batch) = cache.batch(&release.dir, shard, key) {
            return batch;
        }
        let batch = make();
        cache.put_batch(&release.dir, shard, key, Arc::clone(&batch));
        batch
    }

    /// Reads, renders and writes one source, or writes what the cache kept of it when its
    /// bytes did not change.
    fn source(
        &self,
        release: &Release,
        ctx: &nav::ReleaseNav,
        source: &SourcePath,
    ) -> Result<Rendered> {
        let Some(cache) = self.cache else {
            let c = pipeline::load(source, &self.levels)?.checklist;
            return self.checklist(release, ctx, c);
        };
        let fingerprint = file_fingerprint(source);
        let name = cache_name(release, source);
        let page = if let Some(page) = cache.get(&name, fingerprint) {
            page
        } else {
            let c = pipeline::load(source, &self.levels)?.checklist;
            let (files, rendered) = self.render_checklist(release, ctx, c)?;
            let page = Arc::new(CachedPage {
                fingerprint,
                files,
                row: rendered.row,
                entries: rendered.entries,
                sheet: rendered.sheet,
            });
            cache.put(name, Arc::clone(&page));
            page
        };
        self.write_files(&page.files)?;
        Ok(Rendered {
            row: page.row.clone(),
            entries: Arc::clone(&page.entries),
            sheet: page.sheet.clone(),
            fingerprint: Some(fingerprint),
        })
    }

    /// Renders and writes one checklist: its page and its JSON.
    fn checklist(
        &self,
        release: &Release,
        ctx: &nav::ReleaseNav,
        c: Checklist,
    ) -> Result<Rendered> {
        let (files, rendered) = self.render_checklist(release, ctx, c)?;
        self.write_files(&files)?;
        Ok(rendered)
    }

    fn write_files(&self, files: &Files) -> Result<()> {
        for (rel, bytes) in files {
            self.write_shared(rel, bytes)?;
        }
        Ok(())
    }

    /// The print page of a checklist (and its PDF, when PDFs are made), added to `files`.
    fn print_checklist(
        &self,
        release: &Release,
        c: &Checklist,
        files: &mut Files,
    ) -> Result<Arc<crate::print::Sheet>> {
        let sheet = Arc::new(crate::print::sheet(c, &self.imprint(release)));
        let depth = c.id.split('/').count();
        let (base, root, back) = if release.dir.is_empty() {
            (c.id.clone(), "../".repeat(depth), "")
        } else {
            (
                format!("{}/{}/print", release.dir, c.id),
                "../".repeat(2 + depth),
                "../index.html",
            )
        };
        // Typesetting takes memory with the length of the document: a checklist longer than a
        // release pack may be gets its print page, not a PDF.
        let pdf = self.print.pdf && sheet.rows() <= self.print.pack_max_rows;
        if self.print.pdf && !pdf {
            self.too_long
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .insert(c.id.clone());
        }
        let pdf = if pdf {
            self.pdf(release, &c.title, Some(&c.id), std::slice::from_ref(&sheet))?
        } else {
            None
        };
        let html = self.print_page(
            release,
            &root,
            back,
            std::slice::from_ref(&sheet),
            pdf.is_some(),
        )?;
        files.push((format!("{base}/index.html"), Arc::from(html.into_bytes())));
        if let Some(pdf) = pdf {
            files.push((format!("{base}/runbook.pdf"), Arc::from(pdf)));
        }
        Ok(sheet)
    }

    /// The print page of `sheets`.
    fn print_page(
        &self,
        release: &Release,
        root: &str,
        back: &str,
        sheets: &[Arc<crate::print::Sheet>],
        pdf: bool,
    ) -> Result<String> {
        let title = match sheets {
            [one] => one.title.clone(),
            _ => format!("{} — all checklists", self.site.title),
        };
        let sheets: Vec<&crate::print::Sheet> = sheets.iter().map(|s| &**s).collect();
        let (sheets, sheets_html) = if self.print.direct {
            let html = crate::print::html::sheets(&sheets);
            (Value::from(()), Value::from_safe_string(html))
        } else {
            (Value::from(Serde(sheets)), Value::UNDEFINED)
        };
        self.render(
            "print.html",
            &context! {
                site => Value::from(Serde(&self.site)),
                release => &release.dir,
                release_name => &release.name,
                root => Value::from_safe_string(root.to_owned()),
                title => title,
                sheets => sheets,
                sheets_html => sheets_html,
                back => back,
                pdf => pdf,
                paper_css => self.print.paper.css(),
            },
        )
    }

    /// Where and when a release is printed.
    fn imprint(&self, release: &Release) -> crate::print::Imprint {
        let (date, _) = crate::print::print_date(release.date.as_deref());
        crate::print::Imprint {
            book: self.site.title.to_owned(),
            release: release.name.clone(),
            date,
            revision: release.origin.strip_prefix("git ").map(str::to_owned),
            paper: self.print.paper,
        }
    }

    /// The PDF of `sheets` (a checklist's, or with no `checklist` the release's pack), typeset
    /// by typst; none when the typesetter stopped on them (they are named in a note).
    #[cfg(feature = "pdf")]
    fn pdf(
        &self,
        release: &Release,
        title: &str,
        checklist: Option<&str>,
        sheets: &[Arc<crate::print::Sheet>],
    ) -> Result<Option<Vec<u8>>> {
        let ident = checklist.unwrap_or("pack");
        let (_, epoch) = crate::print::print_date(release.date.as_deref());
        let sheets: Vec<&crate::print::Sheet> = sheets.iter().map(|s| &**s).collect();
        crate::print::pdf::render(
            &self.print.template,
            title,
            &release.name,
            &sheets,
            epoch,
            &format!("{}/{}/{ident}", self.site.key, release.dir),
        )
        .map(|pdf| {
            if !pdf.missing.is_empty() {
                let mut unprintable = self
                    .unprintable
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                unprintable.extend(pdf.missing);
            }
            Some(pdf.bytes)
        })
        .or_else(|failure| match failure {
            crate::print::pdf::Failure::Stopped => {
                let label = match (checklist, release.dir.is_empty()) {
                    (None, _) => format!("the pack of release {}", release.name),
                    (Some(id), true) => id.to_owned(),
                    (Some(id), false) => format!("{id} of release {}", release.name),
                };
                self.stopped
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .insert(label);
                Ok(None)
            }
            crate::print::pdf::Failure::Template(message) => Err(Error::Print {
                path: self.print.template_path.clone(),
                message,
            }),
        })
    }

    #[cfg(not(feature = "pdf"))]
    #[allow(clippy::unused_self, clippy::unnecessary_wraps)]
    fn pdf(
        &self,
        _release: &Release,
        _title: &str,
        _checklist: Option<&str>,
        _sheets: &[Arc<crate::print::Sheet>],
    ) -> Result<Option<Vec<u8>>> {
        Ok(None)
    }

    /// A note naming the checklists that got no PDF because the typesetter stopped on them.
    fn stopped_note(&self) -> Option<String> {
        let listed = listed_of(&self.stopped)?;
        Some(format!(
            "no PDF of {listed}: the PDF typesetter stopped on its text; its print page prints it"
        ))
    }

    /// The number of checklists that got no PDF, too long or stopped on.
    fn without_pdf(&self) -> usize {
        let count = |set: &std::sync::Mutex<std::collections::BTreeSet<String>>| {
            set.lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .iter()
                .filter(|label| !label.starts_with("the pack of release "))
                .count()
        };
        count(&self.too_long) + count(&self.stopped)
    }

    /// A note naming the checklists that got no PDF, being longer than `print.pack-max-rows`.
    fn too_long_note(&self) -> Option<String> {
        let listed = listed_of(&self.too_long)?;
        Some(format!(
            "no PDF of {listed}, longer than `print.pack-max-rows` ({}) rows: typesetting it would take gigabytes; its print page prints it",
            self.print.pack_max_rows
        ))
    }

    /// A note naming the characters PDFs printed as empty boxes, as no font has them.
    fn unprintable_note(&self) -> Option<String> {
        let unprintable = self
            .unprintable
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let names = unprintable
            .iter()
            .map(|c| format!("{c} (U+{:04X})", u32::from(*c)));
        let listed = listed(names, unprintable.len(), 12)?;
        Some(format!(
            "PDFs: no font has {listed}, which print as empty boxes; install a font that has them (PDFs use the system's fonts for what the built-in ones lack)"
        ))
    }

    /// The release pack: every checklist's sheet in one print page and one PDF.
    /// Returns whether its PDF was made (see [`crate::config::PrintConfig::pack_max_rows`]); a
    /// note says why when it was not.
    fn print_pack(
        &self,
        release: &Release,
        pack: &Pack,
        notes: &mut Vec<String>,
    ) -> Result<Option<bool>> {
        if pack.rows == 0 && pack.sheets.is_empty() {
            return Ok(None);
        }
        let rows = pack.rows;
        let base = if release.dir.is_empty() {
            String::new()
        } else {
            format!("{}/print/", release.dir)
        };
        if rows > self.print.pack_page_rows() {
            notes.push(format!(
                "release {}: no print page of all its checklists together, as their {rows} rows are more than ten times `print.pack-max-rows` ({}); each checklist has its own",
                release.name, self.print.pack_max_rows
            ));
            return Ok(None);
        }
        let (root, back) = if release.dir.is_empty() {
            ("", "")
        } else {
            ("../../", "../index.html")
        };
        let fits = self.print.pdf && rows <= self.print.pack_max_rows;
        let title = format!("{} — {}", self.site.title, release.name);
        let pdf = if fits {
            self.pdf(release, &title, None, &pack.sheets)?
        } else {
            None
        };
        let html = self.print_page(release, root, back, &pack.sheets, pdf.is_some())?;
        self.write(&format!("{base}index.html"), html.as_bytes())?;
        let Some(pdf) = pdf else {
            if fits {
                return Ok(Some(false));
            }
            if self.print.pdf {
                notes.push(format!(
                    "release {}: no PDF of all its checklists together, as their {rows} rows are more than `print.pack-max-rows` ({}); each checklist has its PDF, and {base}index.html prints them all",
                    release.name, self.print.pack_max_rows
                ));
            }
            return Ok(Some(false));
        };
        self.write(&format!("{base}runbook.pdf"), &pdf)?;
        Ok(Some(true))
    }

    /// Renders one checklist: its page, its JSON, and its dashboard row and search entries.
    fn render_checklist(
        &self,
        release: &Release,
        ctx: &nav::ReleaseNav,
        c: Checklist,
    ) -> Result<Outputs> {
        let id = c.id.clone();
        let root = "../".repeat(1 + id.split('/').count());
        let mut view = ChecklistView::new(&c);
        let page = ctx.checklist_page(&c);
        let (toc_html, body_html) = if self.direct_page {
            let toc = html::toc(&view.sections);
            let body = html::body(&view.blocks, &view.sections);
            // The built-in template reads the sections from the HTML alone.
            view.sections = Vec::new();
            view.blocks = Vec::new();
            (Value::from_safe_string(toc), Value::from_safe_string(body))
        } else {
            (Value::UNDEFINED, Value::UNDEFINED)
        };
        let html = self.render(
            "checklist.html",
            &context! {
                site => Value::from(Serde(&self.site)),
                release => &release.dir,
                release_name => &release.name,
                root => Value::from_safe_string(root),
                page => "checklist",
                lang => page_language(&c),
                title => &view.title,
                checklist => Value::from(Serde(&view)),
                nav => Value::from(Serde(&page)),
                toc_html => toc_html,
                body_html => body_html,
            },
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
                        crate::diag::escape_controls(&c.path),
                        d.line,
                        d.column,
                        d.code,
                        d.message
                    )
                })
                .collect(),
        };
        let dir = &release.dir;
        let mut files: Files = vec![(
            format!("{dir}/{id}/index.html"),
            Arc::from(html.into_bytes()),
        )];
        let sheet = self.print_checklist(release, &c, &mut files)?;
        let bytes = json::to_bytes(&json::checklist_document(c), false)?;
        files.push((format!("{dir}/json/{file}"), Arc::from(bytes)));
        Ok((
            files,
            Rendered {
                row,
                entries: entries.into(),
                sheet: Some(sheet),
                fingerprint: None,
            },
        ))
    }

    /// The dashboard of a release and its JSON index.
    fn dashboard(
        &self,
        release: &Release,
        ctx: &nav::ReleaseNav,
        rows: &[DashboardRow],
        packed: bool,
    ) -> Result<()> {
        let minutes = rows
            .iter()
            .filter_map(|r| r.summary.stats.estimated_minutes)
            .fold(0u32, u32::saturating_add);
        let totals = context! {
            tasks => rows.iter().map(|r| r.summary.stats.tasks).sum::<usize>(),
            minutes => minutes,
            estimated => (minutes > 0).then(|| view::duration_label(minutes)),
            diagnostics => rows.iter().map(|r| r.summary.diagnostics).sum::<usize>(),
        };
        let page = self.render(
            "release.html",
            &context! {
                site => Value::from(Serde(&self.site)), release => &release.dir, release_name => &release.name,
                root => Value::from_safe_string("../".into()), page => "release",
                title => &release.name, checklists => Value::from(Serde(rows)), totals => totals,
                nav => Value::from(Serde(&ctx.release_page("index.html"))),
                print_pack => packed,
            },
        )?;
        self.write(&format!("{}/index.html", release.dir), page.as_bytes())?;
        let summaries: Vec<ChecklistSummary> = rows.iter().map(|r| r.summary.clone()).collect();
        let index = json::index_document(self.site.title, &release.name, summaries);
        self.write(
            &format!("{}/json/index.json", release.dir),
            &json::to_bytes(&index, false)?,
        )
    }

    /// The "what changed" page of a release, against the previous one.
    fn changes_page(
        &self,
        release: &Release,
        ctx: &nav::ReleaseNav,
        doc: Option<&crate::diff::DiffDocument>,
        previous: Option<&Release>,
    ) -> Result<()> {
        let page = self.render(
            "changes.html",
            &context! {
                site => Value::from(Serde(&self.site)), release => &release.dir, release_name => &release.name,
                root => Value::from_safe_string("../../".into()), page => "changes",
                title => format!("What changed in {}", release.name),
                doc => doc.map(changes::shown),
                summary_line => doc.map(|d| d.summary.line()),
                previous => previous.map(|p| context! { name => &p.name, dir => &p.dir }),
                nav => Value::from(Serde(&ctx.release_page("changes/index.html"))),
            },
        )?;
        self.write(
            &format!("{}/changes/index.html", release.dir),
            page.as_bytes(),
        )
    }

    /// The root page listing releases, the 404 page, the schema and the assets.
    fn root_pages(
        &self,
        releases: &Releases,
        listed: &[(&Release, Vec<DashboardRow>)],
        assets: &std::collections::BTreeMap<String, Vec<u8>>,
    ) -> Result<()> {
        let latest = &releases.list[releases.latest];
        let list: Vec<Value> = listed
            .iter()
            .rev()
            .map(|(r, rows)| {
                context! {
                    name => &r.name, dir => &r.dir, date => &r.date, checklists => rows.len(),
                    latest => releases.configured && r.dir == latest.dir,
                    changes => releases.configured,
                }
            })
            .collect();
        let page = self.render(
            "index.html",
            &context! {
                site => Value::from(Serde(&self.site)), release => &latest.dir, release_name => &latest.name,
                root => "", page => "index", title => self.site.title, releases => list,
                versioned => releases.configured,
            },
        )?;
        self.sink.write("index.html", page.as_bytes())?;
        let css = assets
            .get("preflight.css")
            .map(|b| String::from_utf8_lossy(b).replace("</", "<\\/"))
            .unwrap_or_default();
        let mut release_dirs: Vec<String> = releases.list.iter().map(|r| r.dir.clone()).collect();
        if releases.configured {
            release_dirs.push("latest".to_owned());
        }
        let page = self.render(
            "404.html",
            &context! {
                site => Value::from(Serde(&self.site)), release => &latest.dir, release_name => &latest.name,
                root => "", page => "404", title => "Page not found",
                css => Value::from_safe_string(css),
                release_dirs => Value::from_safe_string(
                    serde_json::to_string(&release_dirs).unwrap_or_default().replace("</", "<\\/"),
                ),
            },
        )?;
        self.sink.write("404.html", page.as_bytes())?;
        self.sink
            .write("schema.json", &json::to_bytes(&json::schema(), true)?)?;
        for (name, bytes) in assets {
            self.sink.write(&format!("assets/{name}"), bytes)?;
        }
        Ok(())
    }
}

/// Whether a book's `templates/` folder overrides none of the named templates.
fn keeps_builtin(templates_dir: &Path, names: &[&str]) -> bool {
    !names.iter().any(|name| templates_dir.join(name).exists())
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

/// The names in `set`, listed for a note (the first few, then how many more).
fn listed_of(set: &std::sync::Mutex<std::collections::BTreeSet<String>>) -> Option<String> {
    let set = set
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    listed(set.iter().cloned(), set.len(), 5)
}
