//! `empty-item`: a list item or task with no text (`- [ ]` alone on its line).

use crate::diag::{Diagnostic, Severity};
use crate::lint::{Context, Rule};

/// The rule.
pub(super) struct EmptyItem;

impl Rule for EmptyItem {
    fn code(&self) -> &'static str {
        "empty-item"
    }

    fn default_severity(&self) -> Severity {
        Severity::Warning
    }

    fn summary(&self) -> &'static str {
        "an item has no text"
    }

    fn why(&self) -> &'static str {
        "A box with no words cannot be done correctly; it counts towards progress while saying nothing."
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        // Lists nested past the depth limit are flattened into items of one line (`- - - [ ] x`):
        // that line is reported once.
        let mut reported = std::collections::HashSet::new();
        for (_, item) in cx.checklist.walk_items() {
            if shows_nothing(&item.text)
                && item.children.is_empty()
                && item.blocks.is_empty()
                && reported.insert(item.line)
            {
                out.push(
                    Diagnostic::new(
                        self.code(),
                        self.default_severity(),
                        if item.is_task() {
                            "task has no text"
                        } else {
                            "item has no text"
                        },
                        cx.line_content(item.line),
                    )
                    .with_hint("say what to do, or delete the item"),
                );
            }
        }
    }
}

/// Text that shows nothing: white space, and invisible characters such as a zero-width space or
/// a byte order mark.
fn shows_nothing(text: &str) -> bool {
    text.chars().all(|c| {
        c.is_whitespace() || matches!(c, '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}')
    })
}
