//! `duplicate-item`: the same item twice among siblings (same text, ignoring case and spaces).
//! Children of different parents, and lists split by a paragraph, are compared apart (`Run
//! tests` under *Backend* and under *Frontend* are two steps), and a line to write on
//! (`Signature: ____`) and a row of a template made only of placeholders (`- [Name] - [Role]`,
//! `1. ...`) are meant to repeat.

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
        "the same item appears twice among siblings"
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
        let mut seen: HashMap<String, u32, RandomState> = HashMap::default();
        // Small groups (most) are searched in a list, without hashing.
        let mut few: Vec<(String, u32)> = Vec::new();
        let small = group.len() <= 16;
        for item in group {
            // A line to write on, or placeholders alone (`1. <Step>` `2. <Step>`, `- [Name] -
            // [Role]` of a template), which `unfilled-placeholder` reports already.
            if is_write_in(&item.text) || only_placeholders(item) {
                continue;
            }
            let key = crate::normalise::fold(&item.text);
            if key.is_empty() {
                continue;
            }
            let first = if small {
                few.iter().find(|(k, _)| *k == key).map(|(_, line)| line)
            } else {
                seen.get(&key)
            };
            if let Some(first) = first {
                out.push(
                    Diagnostic::new(
                        self.code(),
                        self.default_severity(),
                        format!("`{}` already appears on line {first}", item.text),
                        cx.line_content(item.line),
                    )
                    .with_hint("delete one of them, or say how they differ"),
                );
            } else if small {
                few.push((key, item.line));
            } else {
                seen.insert(key, item.line);
            }
        }
    }
}

/// Whether an item's text holds nothing but its placeholders and punctuation.
fn only_placeholders(item: &Item) -> bool {
    // A template row holds a few; an item of thousands is compared as any other, in linear time.
    if item.placeholders.is_empty() || item.placeholders.len() > 16 {
        return false;
    }
    let mut rest = item.text.clone();
    for p in &item.placeholders {
        rest = rest.replacen(p.text.as_str(), " ", 1);
    }
    !rest.chars().any(char::is_alphanumeric)
}

/// Groups of siblings under `blocks`: the items of its lists (at the top, or in quotes), then,
/// for each item, its children and the items of the lists in its own blocks, recursively. Lists
/// apart (split by a paragraph such as `**Backend**` or `**On-call**`) are compared apart; a
/// code block or a table between two lists does not split them.
fn sibling_groups<'a>(blocks: &'a [Block], groups: &mut Vec<Vec<&'a Item>>) {
    let mut stack: Vec<&Item> = Vec::new();
    let mut push = |group: Vec<&'a Item>, stack: &mut Vec<&'a Item>| {
        stack.extend(group.iter().copied());
        // One item has nothing to repeat.
        if group.len() > 1 {
            groups.push(group);
        }
    };
    for group in list_groups(blocks) {
        push(group, &mut stack);
    }
    while let Some(item) = stack.pop() {
        push(item.children.iter().collect(), &mut stack);
        for group in list_groups(&item.blocks) {
            push(group, &mut stack);
        }
    }
}

/// The items of the lists in `blocks`, one group per run of lists that prose does not split
/// (and one per run in each quote).
fn list_groups(blocks: &[Block]) -> Vec<Vec<&Item>> {
    let mut groups = Vec::new();
    let mut current: Vec<&Item> = Vec::new();
    for block in blocks {
        match block {
            Block::List { items, .. } => current.extend(items.iter()),
            Block::Code { .. } | Block::Table { .. } | Block::Html { .. } => {}
            Block::Quote { blocks, .. } => {
                groups.push(std::mem::take(&mut current));
                groups.extend(list_groups(blocks));
            }
            Block::Paragraph { .. } | Block::Fields { .. } => {
                groups.push(std::mem::take(&mut current));
            }
        }
    }
    groups.push(current);
    groups.retain(|g| !g.is_empty());
    groups
}

/// A line to write on: a label, if any, then only underscores (`Signature: ____`).
fn is_write_in(text: &str) -> bool {
    let rest = text.rsplit_once(':').map_or(text, |(_, rest)| rest).trim();
    !rest.is_empty() && rest.chars().all(|c| c == '_')
}
