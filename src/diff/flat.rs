//! A checklist flattened for matching: its sections and items in document order, each with its
//! container (parent section, parent item) and position there.
//!
//! Walks are iterative, so lists nested thousands deep do not grow the stack.

use std::collections::HashMap;

use crate::model::{Block, Checklist, Item, Section};
pub(super) use crate::normalise::fold;
use crate::normalise::slug;

/// A section and where it sits.
pub(super) struct FlatSection<'a> {
    pub section: &'a Section,
    /// Index of the parent section.
    pub parent: Option<usize>,
    /// Position among the parent's sub-sections.
    pub pos: usize,
    /// The title, folded for comparison.
    pub key: String,
    /// Whether a sibling has a title with the same slug, here or in an ancestor: the id then
    /// says where the section stands among its namesakes (`notes-2`), not which one it is.
    pub ambiguous: bool,
}

/// An item and where it sits.
pub(super) struct FlatItem<'a> {
    pub item: &'a Item,
    /// Index of the section that holds it (none before the first section).
    pub section: Option<usize>,
    /// Index of the parent item.
    pub parent: Option<usize>,
    /// Position among the items of the same section and parent.
    pub pos: usize,
    /// The text, folded for comparison.
    pub key: String,
}

/// Marks the sections whose ids are positional: two siblings whose titles have one slug get
/// ids `x` and `x-2`, and so do all their descendants. Parents come before their children.
fn mark_ambiguous(sections: &mut [FlatSection<'_>]) {
    let slugs: Vec<String> = sections.iter().map(|s| slug(&s.section.title)).collect();
    let mut count: HashMap<(Option<usize>, &str), usize> = HashMap::new();
    for (s, slug) in sections.iter().zip(&slugs) {
        *count.entry((s.parent, slug.as_str())).or_default() += 1;
    }
    for i in 0..sections.len() {
        let parent = sections[i].parent;
        sections[i].ambiguous = parent.is_some_and(|p| sections[p].ambiguous)
            || count[&(parent, slugs[i].as_str())] > 1;
    }
}

/// A flattened checklist.
pub(super) struct Flat<'a> {
    pub sections: Vec<FlatSection<'a>>,
    pub items: Vec<FlatItem<'a>>,
}

impl<'a> Flat<'a> {
    pub(super) fn new(checklist: &'a Checklist) -> Flat<'a> {
        let mut flat = Flat {
            sections: Vec::new(),
            items: Vec::new(),
        };
        flat.add_items(None, &checklist.blocks);
        let mut stack: Vec<(&Section, Option<usize>, usize)> = checklist
            .sections
            .iter()
            .enumerate()
            .rev()
            .map(|(pos, s)| (s, None, pos))
            .collect();
        while let Some((section, parent, pos)) = stack.pop() {
            let index = flat.sections.len();
            flat.sections.push(FlatSection {
                section,
                parent,
                pos,
                key: fold(&section.title),
                ambiguous: false,
            });
            flat.add_items(Some(index), &section.blocks);
            stack.extend(
                section
                    .sections
                    .iter()
                    .enumerate()
                    .rev()
                    .map(|(pos, s)| (s, Some(index), pos)),
            );
        }
        mark_ambiguous(&mut flat.sections);
        flat
    }

    /// Adds the items of `blocks` (lists, and lists inside quotes) held by `section`.
    fn add_items(&mut self, section: Option<usize>, blocks: &'a [Block]) {
        let mut top: Vec<&'a Item> = Vec::new();
        let mut pending: Vec<&'a Block> = blocks.iter().rev().collect();
        while let Some(block) = pending.pop() {
            match block {
                Block::List { items, .. } | Block::Table { items, .. } => top.extend(items),
                Block::Quote { blocks, .. } => pending.extend(blocks.iter().rev()),
                _ => {}
            }
        }
        let mut stack: Vec<(&Item, Option<usize>, usize)> = top
            .into_iter()
            .enumerate()
            .rev()
            .map(|(pos, i)| (i, None, pos))
            .collect();
        while let Some((item, parent, pos)) = stack.pop() {
            let index = self.items.len();
            self.items.push(FlatItem {
                item,
                section,
                parent,
                pos,
                key: fold(without_step_number(&item.text)),
            });
            stack.extend(
                item.children
                    .iter()
                    .enumerate()
                    .rev()
                    .map(|(pos, c)| (c, Some(index), pos)),
            );
        }
    }
}

/// `text` without the step number written at its start (`6. Tag the release`, `6) Tag`,
/// `Step 6: Tag`): like a list's own numbers, it changes whenever a step is added above, so it
/// neither pairs items nor makes one changed.
pub(super) fn without_step_number(text: &str) -> &str {
    let rest = text
        .get(..5)
        .filter(|head| head.eq_ignore_ascii_case("step "))
        .map_or(text, |_| &text[5..]);
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 3 {
        return text;
    }
    let after = &rest[digits..];
    let stepped = !std::ptr::eq(rest, text);
    let Some(after) = after.strip_prefix(['.', ')']).or_else(|| {
        stepped
            .then(|| after.strip_prefix([':', '.', ')', '-']))
            .flatten()
    }) else {
        return text;
    };
    match after.strip_prefix(char::is_whitespace) {
        Some(words) if !words.trim().is_empty() => words.trim_start(),
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::without_step_number;

    #[test]
    fn step_numbers_are_left_out() {
        for (text, rest) in [
            ("6. git status", "git status"),
            ("12) Tag the release", "Tag the release"),
            ("Step 3: Deploy", "Deploy"),
            ("step 3 - Deploy", "step 3 - Deploy"),
            ("3.2 release notes", "3.2 release notes"),
            ("1.", "1."),
            ("2024. Archive", "2024. Archive"),
            ("Deploy 6. now", "Deploy 6. now"),
            ("Stepé", "Stepé"),
        ] {
            assert_eq!(without_step_number(text), rest, "{text}");
        }
    }
}
