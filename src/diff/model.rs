//! The diff document: what `preflight diff --format json` writes and every other format reads.

use std::fmt::Write as _;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Version of the diff wire format; bumped on any change a consumer could notice.
pub const DIFF_SCHEMA_VERSION: &str = "1.3";

/// The changes between two sets of checklists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DiffDocument {
    /// Version of the diff wire format.
    pub schema_version: String,
    /// What the old side is (a file, folder, git ref or release name), as given.
    pub old: String,
    /// What the new side is, as given.
    pub new: String,
    /// Counts over every checklist.
    pub summary: Summary,
    /// Checklists that are not unchanged, in the order of the new side (removed ones last).
    pub checklists: Vec<ChecklistDiff>,
}

/// How a checklist, section or item compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Only on the new side.
    Added,
    /// Only on the old side.
    Removed,
    /// On both sides, with different content (text, code, time, duration, title…).
    Changed,
    /// On both sides with the same content, in another place (section, parent or order).
    Moved,
    /// On both sides, the same and in the same place.
    Unchanged,
}

impl Status {
    /// The kebab-case name, as in JSON.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Added => "added",
            Status::Removed => "removed",
            Status::Changed => "changed",
            Status::Moved => "moved",
            Status::Unchanged => "unchanged",
        }
    }
}

/// Counts of changes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    /// Checklists only on the new side.
    pub checklists_added: usize,
    /// Checklists only on the old side.
    pub checklists_removed: usize,
    /// Checklists on both sides with any change (renames included).
    pub checklists_changed: usize,
    /// Of the changed checklists, those whose id or path changed.
    pub checklists_renamed: usize,
    /// Checklists on both sides without change.
    pub checklists_unchanged: usize,
    /// Items only on the new side.
    pub items_added: usize,
    /// Items only on the old side.
    pub items_removed: usize,
    /// Items whose content changed (they may also have moved).
    pub items_changed: usize,
    /// Items with the same content in another place.
    pub items_moved: usize,
    /// Of the changed items, those that also moved.
    #[serde(default)]
    pub items_changed_and_moved: usize,
    /// Items the same on both sides.
    pub items_unchanged: usize,
    /// Sections only on the new side.
    pub sections_added: usize,
    /// Sections only on the old side.
    pub sections_removed: usize,
    /// Sections renamed or otherwise changed.
    pub sections_changed: usize,
    /// Sections moved to another parent or position.
    pub sections_moved: usize,
    /// Of the changed sections, those that also moved.
    #[serde(default)]
    pub sections_changed_and_moved: usize,
    /// Metadata fields that differ.
    pub meta_changed: usize,
}

impl Summary {
    /// Whether anything differs.
    #[must_use]
    pub fn has_changes(&self) -> bool {
        self.checklists_added + self.checklists_removed + self.checklists_changed > 0
    }

    /// Adds the counts of `other`.
    pub fn add(&mut self, other: &Summary) {
        self.checklists_added += other.checklists_added;
        self.checklists_removed += other.checklists_removed;
        self.checklists_changed += other.checklists_changed;
        self.checklists_renamed += other.checklists_renamed;
        self.checklists_unchanged += other.checklists_unchanged;
        self.items_added += other.items_added;
        self.items_removed += other.items_removed;
        self.items_changed += other.items_changed;
        self.items_moved += other.items_moved;
        self.items_changed_and_moved += other.items_changed_and_moved;
        self.items_unchanged += other.items_unchanged;
        self.sections_added += other.sections_added;
        self.sections_removed += other.sections_removed;
        self.sections_changed += other.sections_changed;
        self.sections_moved += other.sections_moved;
        self.sections_changed_and_moved += other.sections_changed_and_moved;
        self.meta_changed += other.meta_changed;
    }

    /// The one-line summary: `3 checklists changed: 12 items added, 4 removed, 7 changed, 2
    /// moved`, or `No changes`.
    #[must_use]
    pub fn line(&self) -> String {
        if !self.has_changes() {
            return "No changes".into();
        }
        let mut head = String::new();
        if self.checklists_changed > 0 || (self.checklists_added + self.checklists_removed) == 0 {
            head = plural(self.checklists_changed, "checklist", "checklists");
            head.push_str(" changed");
            if self.checklists_renamed > 0 {
                let _ = write!(head, " ({} renamed)", self.checklists_renamed);
            }
        }
        for (count, what) in [
            (self.checklists_added, "added"),
            (self.checklists_removed, "removed"),
        ] {
            if count > 0 {
                let part = if head.is_empty() {
                    format!("{} {what}", plural(count, "checklist", "checklists"))
                } else {
                    format!(", {count} {what}")
                };
                head.push_str(&part);
            }
        }
        let also = match self.items_changed_and_moved {
            0 => String::new(),
            n => format!(" ({n} also moved)"),
        };
        let items = format!(
            "{} added, {} removed, {} changed{also}, {} moved",
            plural(self.items_added, "item", "items"),
            self.items_removed,
            self.items_changed,
            self.items_moved
        );
        let mut line = format!("{head}: {items}");
        let sections_also = match self.sections_changed_and_moved {
            0 => String::new(),
            n => format!(" ({n} also moved)"),
        };
        let sections: Vec<String> = [
            (self.sections_added, "added", ""),
            (self.sections_removed, "removed", ""),
            (self.sections_changed, "changed", sections_also.as_str()),
            (self.sections_moved, "moved", ""),
        ]
        .into_iter()
        .filter(|&(count, _, _)| count > 0)
        .map(|(count, what, also)| format!("{count} {what}{also}"))
        .collect();
        if !sections.is_empty() {
            line.push_str("; sections: ");
            line.push_str(&sections.join(", "));
        }
        if self.meta_changed > 0 {
            line.push_str("; ");
            line.push_str(&plural(
                self.meta_changed,
                "metadata field",
                "metadata fields",
            ));
            line.push_str(" changed");
        }
        line
    }
}

/// `1 item`, `3 items`.
#[must_use]
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// One checklist that differs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChecklistDiff {
    /// `added`, `removed` or `changed`.
    pub status: Status,
    /// Id on the new side (on the old side for a removed checklist).
    pub id: String,
    /// Id on the old side, when it differs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_id: Option<String>,
    /// Title on the new side (old side for a removed checklist).
    pub title: String,
    /// Title on the old side, when it differs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_title: Option<String>,
    /// Source path on the new side (old side for a removed checklist).
    pub path: String,
    /// Source path on the old side, when it differs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_path: Option<String>,
    /// Counts for this checklist.
    pub summary: Summary,
    /// Metadata fields that differ.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub meta: Vec<FieldChange>,
    /// Sections that are not unchanged, in the order of the new side (removed ones last).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<SectionChange>,
    /// Items that are not unchanged, in the order of the new side (removed ones last).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<ItemChange>,
}

/// A named value that differs; a side without the value is absent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldChange {
    /// The field (`version`, `owner`, `text`, `code`, `time`, `duration`, `checked`…).
    pub field: String,
    /// Its old value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old: Option<String>,
    /// Its new value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new: Option<String>,
}

/// Where a section or item is: the section that holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Place {
    /// Id of the section (absent for content before the first section).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// Its title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Text of the item it is nested in, for an item inside another item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub under: Option<String>,
    /// Source line of the section or item itself.
    pub line: u32,
}

/// A section that is not unchanged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SectionChange {
    /// `added`, `removed`, `changed` or `moved`.
    pub status: Status,
    /// Id on the new side (old side for a removed section).
    pub id: String,
    /// Id on the old side, when it differs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_id: Option<String>,
    /// Title on the new side (old side for a removed section).
    pub title: String,
    /// Title on the old side, when it differs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_title: Option<String>,
    /// Fields that differ: `title`, `phase`, `duration`, `time`, `declared-count`, `level`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldChange>,
    /// Whether it moved to another parent section or position (a changed section may also
    /// have moved).
    pub moved: bool,
    /// The parent section on the new side (absent when removed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_place: Option<Place>,
    /// The parent section on the old side (absent when added).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_place: Option<Place>,
}

/// An item that is not unchanged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemChange {
    /// `added`, `removed`, `changed` or `moved`.
    pub status: Status,
    /// Id on the new side (old side for a removed item).
    pub id: String,
    /// Id on the old side, when it differs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_id: Option<String>,
    /// Text on the new side (old side for a removed item).
    pub text: String,
    /// Text on the old side, when it differs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_text: Option<String>,
    /// Word-level diff of the text, when it changed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub words: Vec<Span>,
    /// Fields that differ besides the text: `code`, `time`, `duration`, `checked`, `kind`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldChange>,
    /// Whether it moved to another section, parent item or position (a changed item may also
    /// have moved).
    pub moved: bool,
    /// Where it is on the new side (absent when removed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_place: Option<Place>,
    /// Where it was on the old side (absent when added).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_place: Option<Place>,
}

/// A run of words in a word diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Span {
    /// `equal`, `insert` or `delete`.
    pub op: SpanOp,
    /// The text of the run, spaces included.
    pub text: String,
}

/// What a span of a word diff is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum SpanOp {
    /// On both sides.
    Equal,
    /// Only on the new side.
    Insert,
    /// Only on the old side.
    Delete,
}

impl SectionChange {
    /// A section only on one side: `added` (at `place` on the new side) or `removed` (at
    /// `place` on the old side).
    #[must_use]
    pub fn one_side(status: Status, s: &crate::model::Section, place: Place) -> SectionChange {
        let (new_place, old_place) = sides(status, place);
        SectionChange {
            status,
            id: s.id.clone(),
            old_id: None,
            title: s.title.clone(),
            old_title: None,
            fields: Vec::new(),
            moved: false,
            new_place,
            old_place,
        }
    }
}

impl ItemChange {
    /// An item only on one side: `added` (at `place` on the new side) or `removed` (at `place`
    /// on the old side).
    #[must_use]
    pub fn one_side(status: Status, item: &crate::model::Item, place: Place) -> ItemChange {
        let (new_place, old_place) = sides(status, place);
        ItemChange {
            status,
            id: item.id.clone(),
            old_id: None,
            text: item.text.clone(),
            old_text: None,
            words: Vec::new(),
            fields: Vec::new(),
            moved: false,
            new_place,
            old_place,
        }
    }
}

/// `place` as the new place of an added element, else as the old place.
fn sides(status: Status, place: Place) -> (Option<Place>, Option<Place>) {
    if status == Status::Added {
        (Some(place), None)
    } else {
        (None, Some(place))
    }
}
