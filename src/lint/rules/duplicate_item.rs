//! `duplicate-item`: the same item twice among the siblings of one list (same text, ignoring
//! case and spaces). Children of different parents, and lists apart, are compared apart (`Run
//! tests` under *Backend* and under *Frontend* are two steps), and a line to write on
//! (`Signature: ____`) is meant to repeat.

use std::collections::HashMap;

use foldhash::fast::RandomState;

use crate::diag::{Diagnostic, Severity};
use crate::lint::{Context, Rule};
use crate::model::{Block, Item};

/// The rule.
pub(super) struct DuplicateItem;

impl Rule for DuplicateItem {
    fn code(&self) -> &'static str {
        "duplicate-item"
    }

    fn default_severity(&self) -> Severity {
        Severity::Warning
    }

    fn summary(&self) -> &'static str {
        "the same item appears twice among the siblings of one list"
    }

    fn why(&self) -> &'static str {
        "A repeated step is ticked twice or, worse, the second copy was meant to say something else; either way the count is wrong."
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let mut groups: Vec<Vec<&Item>> = Vec::new();
        sibling_groups(&cx.checklist.blocks, &mut groups);
        for section in cx.checklist.walk_sections() {
            sibling_groups(&section.blocks, &mut groups);
        }
        for group in groups {
            self.check_group(cx, &group, out);
        }
    }
}

impl DuplicateItem {
    fn check_group(&self, cx: &Context<'_>, group: &[&Item], out: &mut Vec<Diagnostic>) {
        let mut seen: HashMap<String, u32, RandomState> =
            HashMap::with_capacity_and_hasher(group.len(), RandomState::default());
        for item in group {
            if is_write_in(&item.text) {
                continue;
            }
            let key = crate::normalise::fold(&item.text);
            if key.is_empty() {
                continue;
            }
            if let Some(first) = seen.get(&key) {
                out.push(
                    Diagnostic::new(
                        self.code(),
                        self.default_severity(),
                        format!("`{}` already appears on line {first}", item.text),
                        cx.line_content(item.line),
                    )
                    .with_hint("delete one of them, or say how they differ"),
                );
            } else {
                seen.insert(key, item.line);
            }
        }
    }
}

/// Groups of siblings under `blocks`: the items of each list (at the top, or in quotes), then,
/// for each item, its children and the items of each list in its own blocks, recursively. Two
/// lists apart (split by a paragraph such as `**Backend**` or `**On-call**`) are compared apart.
fn sibling_groups<'a>(blocks: &'a [Block], groups: &mut Vec<Vec<&'a Item>>) {
    let mut stack: Vec<&Item> = Vec::new();
    let mut push = |group: Vec<&'a Item>, stack: &mut Vec<&'a Item>| {
        stack.extend(group.iter().copied());
        groups.push(group);
    };
    for list in lists(blocks) {
        push(list.iter().collect(), &mut stack);
    }
    while let Some(item) = stack.pop() {
        push(item.children.iter().collect(), &mut stack);
        for list in lists(&item.blocks) {
            push(list.iter().collect(), &mut stack);
        }
    }
}

/// The item lists in `blocks` (and in quotes among them).
fn lists(blocks: &[Block]) -> Vec<&[Item]> {
    let mut found = Vec::new();
    for block in blocks {
        match block {
            Block::List { items, .. } => found.push(items.as_slice()),
            Block::Quote { blocks, .. } => found.extend(lists(blocks)),
            _ => {}
        }
    }
    found
}

/// A line to write on: a label, if any, then only underscores (`Signature: ____`).
fn is_write_in(text: &str) -> bool {
    let rest = text.rsplit_once(':').map_or(text, |(_, rest)| rest).trim();
    !rest.is_empty() && rest.chars().all(|c| c == '_')
}
