//! `duplicate-item`: the same item twice in one section (same text, ignoring case and spaces).

use std::collections::HashMap;

use foldhash::fast::RandomState;

use crate::diag::{Diagnostic, Position, Severity};
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
        "the same item appears twice in one section"
    }

    fn why(&self) -> &'static str {
        "A repeated step is ticked twice or, worse, the second copy was meant to say something else; either way the count is wrong."
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let mut groups: Vec<Vec<&Item>> = vec![items(&cx.checklist.blocks)];
        groups.extend(cx.checklist.walk_sections().map(|s| items(&s.blocks)));
        for group in groups {
            let mut seen: HashMap<String, u32, RandomState> =
                HashMap::with_capacity_and_hasher(group.len(), RandomState::default());
            for item in group {
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
                            Position::line(item.line),
                        )
                        .with_hint("delete one of them, or say how they differ"),
                    );
                } else {
                    seen.insert(key, item.line);
                }
            }
        }
    }
}

/// Items written directly under a section (at any depth of its lists, not in sub-sections).
fn items(blocks: &[Block]) -> Vec<&Item> {
    blocks.iter().flat_map(Block::walk_items).collect()
}
