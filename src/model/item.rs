//! Items: the tickable tasks, numbered steps, success criteria and plain bullets of a checklist.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Block, Duration, Placeholder};

/// One list item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// Stable id, unique in the checklist: an explicit `{#id}` written at the end of the item,
    /// else the section id and a slug of the item's text (`pre-deployment.database.backup-created`),
    /// with `-2`, `-3`… added to later duplicates.
    pub id: String,
    /// What sort of item this is.
    pub kind: ItemKind,
    /// Whether the box is ticked in the source (`[x]`); always `false` for items that are not tasks.
    pub checked: bool,
    /// Plain text a reader sees in the item, children and nested blocks excluded.
    pub text: String,
    /// The same text with its inline markup, as sanitised HTML.
    pub html: String,
    /// The text as it was before repairs (mojibake), when it differs from `text`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw_text: Option<String>,
    /// A leading bold label (`**DevOps Team**: …` → `DevOps Team`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// A leading status emoji that marks a criterion (`✅`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<String>,
    /// A clock time or relative time that leads the item (`9:00 AM`, `T-2 hours`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// A duration written at the end of the item (`(15 minutes)`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<Duration>,
    /// Values still to be filled in (`[Name]`, `+1-XXX-XXX-XXXX`, `____`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub placeholders: Vec<Placeholder>,
    /// Source line where the item starts.
    pub line: u32,
    /// Paragraphs, code and tables written inside the item after its first paragraph (never
    /// lists: nested lists become `children`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub blocks: Vec<Block>,
    /// Nested items.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Item>,
    /// For each of `blocks`, how many of `children` come before it in the source (text written
    /// after a nested list). Empty when every block comes before every child.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children_before: Vec<usize>,
}

/// A part of an item's content after its own text: a block or a nested item.
#[derive(Debug, Clone, Copy)]
pub enum Part<'a> {
    /// A paragraph, code block, table…
    Block(&'a Block),
    /// A nested item, with its index among the children.
    Child(usize, &'a Item),
}

/// The sort of an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ItemKind {
    /// A task with a box: `- [ ]` or `- [x]`.
    Task,
    /// A numbered step without a box: `1. Do this`.
    Step,
    /// A success criterion: `✅ Error rate < 1%`, or any bullet under success criteria.
    Criterion,
    /// A plain bullet without a box.
    Bullet,
}

impl Item {
    /// Whether this item is a task (has a box).
    #[must_use]
    pub fn is_task(&self) -> bool {
        self.kind == ItemKind::Task
    }

    /// The blocks and children in source order.
    pub fn parts(&self) -> impl Iterator<Item = Part<'_>> {
        let before = |b: usize| self.children_before.get(b).copied().unwrap_or(0);
        let mut next_block = 0;
        let mut next_child = 0;
        std::iter::from_fn(move || {
            let block_due = next_block < self.blocks.len()
                && (next_child >= self.children.len() || before(next_block) <= next_child);
            if block_due {
                next_block += 1;
                Some(Part::Block(&self.blocks[next_block - 1]))
            } else if next_child < self.children.len() {
                next_child += 1;
                Some(Part::Child(next_child - 1, &self.children[next_child - 1]))
            } else {
                None
            }
        })
    }

    /// Whether any block comes after a child in the source.
    #[must_use]
    pub fn has_blocks_after_children(&self) -> bool {
        self.children_before.iter().any(|&n| n > 0)
    }

    /// This item and all its descendants, depth first.
    pub fn walk(&self) -> impl Iterator<Item = &Item> {
        let mut stack = vec![self];
        std::iter::from_fn(move || {
            let next = stack.pop()?;
            stack.extend(next.children.iter().rev());
            Some(next)
        })
    }
}
