//! `declared-count-mismatch`: a heading says `(15 items)` but the section holds another number.
//!
//! What is counted: the leaf tasks of the section and its sub-sections (a group parent such as
//! `- [ ] **Security**` is not counted, its children are); when the section has no tasks, its
//! leaf items of any kind.

use crate::diag::{Diagnostic, Position, Severity};
use crate::lint::{Context, Rule};
use crate::model::{Item, Section};

/// The rule.
pub(super) struct DeclaredCountMismatch;

impl Rule for DeclaredCountMismatch {
    fn code(&self) -> &'static str {
        "declared-count-mismatch"
    }

    fn default_severity(&self) -> Severity {
        Severity::Warning
    }

    fn summary(&self) -> &'static str {
        "a heading declares a number of items that differs from the items under it"
    }

    fn why(&self) -> &'static str {
        "A stale count tells the operator the section is complete when it is not, or sends them looking for items that were removed."
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let checklist = cx.checklist;
        for section in checklist.walk_sections() {
            let Some(declared) = section.declared_count else {
                continue;
            };
            let found = leaf_count(section);
            if usize::try_from(declared).is_ok_and(|d| d == found) {
                continue;
            }
            let (at, written) = count_position(cx, section, declared);
            let fixed = written.map(|w| recount(w, declared, found));
            let hint = fixed
                .clone()
                .unwrap_or_else(|| format!("({found} {})", items(found)));
            let mut d = Diagnostic::new(
                self.code(),
                self.default_severity(),
                format!(
                    "heading declares {declared} {} but the section holds {found}",
                    items(usize::try_from(declared).unwrap_or(usize::MAX))
                ),
                at,
            )
            .with_hint(format!("change the heading to `{hint}`"));
            if let (Some(written), Some(fixed)) = (written, fixed) {
                d = d.with_fix(written, fixed);
            }
            out.push(d);
        }
    }
}

fn items(n: usize) -> &'static str {
    if n == 1 { "item" } else { "items" }
}

/// `(3 steps)` written for `declared`, with `found` instead and its noun in the right number:
/// `(1 step)`, `(2 items)`.
fn recount(written: &str, declared: u32, found: usize) -> String {
    let fixed = written.replacen(&declared.to_string(), &found.to_string(), 1);
    let Some(noun) = fixed
        .trim_end_matches(')')
        .rsplit(' ')
        .next()
        .filter(|w| w.chars().all(char::is_alphabetic) && !w.is_empty())
    else {
        return fixed;
    };
    let right = match (found == 1, noun.strip_suffix('s')) {
        (true, Some(one)) => one.to_owned(),
        (false, None) => format!("{noun}s"),
        _ => return fixed,
    };
    let at = fixed.len() - fixed.trim_end_matches(')').len();
    let cut = fixed.len() - at - noun.len();
    format!("{}{right}{}", &fixed[..cut], &fixed[fixed.len() - at..])
}

fn leaf_count(section: &Section) -> usize {
    let items: Vec<&Item> = section.deep_items().collect();
    let leaves = |only_tasks: bool| {
        items
            .iter()
            .filter(|i| i.children.is_empty() && (!only_tasks || i.is_task()))
            .count()
    };
    if items.iter().any(|i| i.is_task()) {
        leaves(true)
    } else {
        leaves(false)
    }
}

/// Where the count is written in the source (`(10 items)`), and the text written there: found
/// on the heading's own lines, so the place is right for indented, closed (`## A (3 items) ##`)
/// and setext headings alike.
fn count_position<'a>(
    cx: &Context<'a>,
    section: &Section,
    declared: u32,
) -> (Position, Option<&'a str>) {
    let needle = format!("({declared}");
    // A setext heading's text may run over several lines before its underline.
    for line in section.line..section.line.saturating_add(8) {
        let text = cx.lines.line_text(cx.source, line);
        if text.trim().is_empty() {
            break;
        }
        let Some(byte) = text.rfind(&needle) else {
            continue;
        };
        let Some(end) = text[byte..].find(')').map(|e| byte + e + 1) else {
            continue;
        };
        let written = &text[byte..end];
        let at = Position {
            line,
            column: u32::try_from(text[..byte].chars().count() + 1).unwrap_or(1),
            width: u32::try_from(written.chars().count()).unwrap_or(1),
        };
        return (at, Some(written));
    }
    (Position::line(section.line), None)
}

#[cfg(test)]
mod tests {
    use super::recount;

    #[test]
    fn the_noun_follows_the_new_count() {
        assert_eq!(recount("(1 item)", 1, 2), "(2 items)");
        assert_eq!(recount("(3 steps)", 3, 1), "(1 step)");
        assert_eq!(recount("(2 items)", 2, 1), "(1 item)");
        assert_eq!(recount("(15 items)", 15, 12), "(12 items)");
        assert_eq!(recount("(5 tasks)", 5, 0), "(0 tasks)");
    }
}
