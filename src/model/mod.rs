//! The normalised checklist model: what every renderer, the linter and the diff read, and what
//! `preflight export` writes as JSON.
//!
//! Input: built by `normalise` from a parsed document (or deserialised from exported JSON).
//! Output: plain serde types with no I/O and no formatting.
//!
//! Invariants: every node carries the 1-based source line it came from; whatever was cleaned keeps
//! its original (`raw_title`, `raw_text`); item and section ids are unique within a checklist.

mod block;
mod item;
mod meta;
mod phase;
mod stats;

pub use block::{
    Block, Choice, CodeKind, EnvVar, Field, FieldsKind, Placeholder, PlaceholderKind, TableHtml,
    TableKind, alert_title, html_text,
};
pub use item::{Item, ItemKind, Part};
pub use meta::{Duration, Meta};
pub use phase::Phase;
pub use stats::{PhaseStats, Stats};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::diag::Diagnostic;

/// Version of the JSON wire format; bumped on any change a consumer could notice.
pub const SCHEMA_VERSION: &str = "1.3";

/// One checklist: a single Markdown file, normalised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Checklist {
    /// Stable id derived from the file's path relative to the content folder
    /// (`ops/deploy.md` → `ops/deploy`), or the front matter's `id`.
    pub id: String,
    /// Path of the source file, relative to the book root, with `/` separators.
    pub path: String,
    /// Cleaned title: front matter `title`, else the first level-1 heading, else the file name.
    pub title: String,
    /// The title as written in the source.
    pub raw_title: String,
    /// Line of the title heading (1 when the title comes from front matter or the file name).
    pub line: u32,
    /// Metadata from front matter and bold `**Key**: value` lines.
    pub meta: Meta,
    /// Blocks that come before the first section.
    pub blocks: Vec<Block>,
    /// Top-level sections, in document order.
    pub sections: Vec<Section>,
    /// Counts derived from the sections and blocks.
    pub stats: Stats,
    /// Problems found while reading and checking this checklist.
    pub diagnostics: Vec<Diagnostic>,
    /// Whether the document has no title of its own, `title` being its file name (so two
    /// untitled files of different names are not a title change). Omitted when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub untitled: bool,
}

/// A heading and everything under it up to the next heading of the same or a higher level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// Anchor, unique in the checklist: an explicit `{#id}` on the heading, else the slugs of the
    /// enclosing section titles and this one joined by `.` (`pre-deployment.database`).
    pub id: String,
    /// Leading number as written (`1`, `2.3`), without its trailing dot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// Title without decoration: no emoji, number, count, duration or time.
    pub title: String,
    /// The heading text exactly as written in the source.
    pub raw_title: String,
    /// Emoji that decorated the heading, repaired when it was mojibake.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<String>,
    /// Heading level, 1–6.
    pub level: u8,
    /// The deployment phase this section belongs to.
    pub phase: Phase,
    /// Item count the heading declares, as in `(15 items)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared_count: Option<u32>,
    /// Duration the heading declares, as in `(30 minutes)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<Duration>,
    /// Time or window the heading declares, as in `(T-2 hours)` or `(Day 1)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// Source line of the heading.
    pub line: u32,
    /// Blocks directly under the heading.
    pub blocks: Vec<Block>,
    /// Sub-sections.
    pub sections: Vec<Section>,
}

/// The book index that `export` writes next to the checklist documents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BookIndex {
    /// Book title from `book.toml`.
    pub title: String,
    /// Releases in the book, newest first.
    pub releases: Vec<ReleaseIndex>,
}

/// One release of the book and its checklists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReleaseIndex {
    /// Release name as it appears in URLs.
    pub name: String,
    /// Checklists of the release, sorted by id.
    pub checklists: Vec<ChecklistSummary>,
}

/// What the index says about one checklist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChecklistSummary {
    /// The checklist's id.
    pub id: String,
    /// Its cleaned title.
    pub title: String,
    /// Its source path.
    pub path: String,
    /// The exported JSON document of the checklist, relative to the index.
    pub file: String,
    /// Its statistics.
    pub stats: Stats,
    /// How many diagnostics it has.
    pub diagnostics: usize,
}

/// A JSON document written by `preflight export`: a checklist or the book index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// Version of the wire format, [`SCHEMA_VERSION`].
    pub schema_version: String,
    /// What the document holds.
    #[serde(flatten)]
    pub body: DocumentBody,
}

/// The two kinds of exported document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DocumentBody {
    /// One checklist.
    Checklist(Box<Checklist>),
    /// The book index.
    Book(BookIndex),
}

impl Checklist {
    /// Every section, depth first, in document order.
    pub fn walk_sections(&self) -> impl Iterator<Item = &Section> {
        let mut stack: Vec<&Section> = self.sections.iter().rev().collect();
        std::iter::from_fn(move || {
            let next = stack.pop()?;
            stack.extend(next.sections.iter().rev());
            Some(next)
        })
    }

    /// Every block at any depth: before the first section, under each section, inside items
    /// (code, tables, paragraphs) and inside quotes. Order is not document order.
    pub fn walk_blocks(&self) -> impl Iterator<Item = &Block> {
        let mut stack: Vec<&Block> = self.blocks.iter().collect();
        stack.extend(self.walk_sections().flat_map(|s| s.blocks.iter()));
        std::iter::from_fn(move || {
            let block = stack.pop()?;
            match block {
                Block::List { items, .. } => {
                    stack.extend(
                        items
                            .iter()
                            .flat_map(Item::walk)
                            .flat_map(|i| i.blocks.iter()),
                    );
                }
                Block::Quote { blocks, .. } => stack.extend(blocks.iter()),
                _ => {}
            }
            Some(block)
        })
    }

    /// Every item (of any kind, at any depth), depth first, with the section that holds it.
    pub fn walk_items(&self) -> impl Iterator<Item = (Option<&Section>, &Item)> {
        let top = self
            .blocks
            .iter()
            .flat_map(Block::walk_items)
            .map(|i| (None, i));
        let nested = self.walk_sections().flat_map(|s| {
            s.blocks
                .iter()
                .flat_map(Block::walk_items)
                .map(move |i| (Some(s), i))
        });
        top.chain(nested)
    }
}

impl Section {
    /// Whether a reader sees nothing under the heading: no sub-sections, and no blocks but
    /// comments.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.sections.is_empty() && self.blocks.iter().all(Block::is_unseen)
    }

    /// Items of this section and its sub-sections, depth first.
    pub fn deep_items(&self) -> impl Iterator<Item = &Item> {
        let mut sections = vec![self];
        let mut out = Vec::new();
        while let Some(s) = sections.pop() {
            out.extend(s.blocks.iter().flat_map(Block::walk_items));
            sections.extend(s.sections.iter().rev());
        }
        out.into_iter()
    }
}
