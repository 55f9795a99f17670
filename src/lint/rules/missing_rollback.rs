//! `missing-rollback`: a deployment checklist (it has deployment steps) with no rollback
//! section, nor a block that holds the rollback: a `<details>` whose summary, a quote whose
//! title, or a line introducing steps that names a rollback (`**Rollback steps:**`).

use crate::diag::{Diagnostic, Position, Severity};
use crate::lint::{Context, Rule};
use crate::model::{Block, Checklist, ItemKind, Phase};
use crate::normalise::names_rollback;

/// The rule.
pub(super) struct MissingRollback;

impl Rule for MissingRollback {
    fn code(&self) -> &'static str {
        "missing-rollback"
    }

    fn default_severity(&self) -> Severity {
        Severity::Warning
    }

    fn summary(&self) -> &'static str {
        "a deployment checklist has no rollback section"
    }

    fn why(&self) -> &'static str {
        "The rollback plan is written before the deployment or not at all: when a release goes wrong there is no time to work out how to undo it."
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let sections = || cx.checklist.walk_sections();
        if !has_deployment_steps(cx.checklist)
            || sections().any(|s| s.phase == Phase::Rollback && !s.is_empty())
            || has_rollback_block(cx.checklist)
        {
            return;
        }
        // A rollback heading with nothing under it (a template's `<!-- steps -->` left as is).
        let diagnostic = match sections().find(|s| s.phase == Phase::Rollback) {
            Some(empty) => Diagnostic::new(
                self.code(),
                self.default_severity(),
                format!("the rollback section `{}` has no steps", empty.title),
                cx.line_content(empty.line),
            )
            .with_hint("write the steps that undo the deployment under it"),
            None => Diagnostic::new(
                self.code(),
                self.default_severity(),
                "this deployment checklist has no rollback section",
                Position::line(cx.checklist.line),
            )
            .with_hint("add a `## Rollback` section with the steps to undo the deployment"),
        };
        out.push(diagnostic);
    }
}

/// Whether the checklist's deployment sections hold a task, a step or a table of steps
/// (`| Step | Command |`): a release process doc with only notes under a `Release` heading is
/// no deployment to roll back.
fn has_deployment_steps(checklist: &Checklist) -> bool {
    let items = checklist.walk_items().any(|(section, item)| {
        section.is_some_and(|s| s.phase == Phase::Deployment)
            && matches!(item.kind, ItemKind::Task | ItemKind::Step)
    });
    items
        || checklist
            .walk_sections()
            .filter(|s| s.phase == Phase::Deployment)
            .flat_map(|s| &s.blocks)
            .any(|b| match b {
                Block::Table { headers, rows, .. } => {
                    rows.len() >= 2
                        && headers.iter().any(|h| {
                            let h = h.to_lowercase();
                            ["step", "action", "command", "task"]
                                .iter()
                                .any(|w| h.contains(w))
                        })
                }
                _ => false,
            })
}

/// Whether a block anywhere in the checklist (in sections, quotes and items) holds its rollback
/// steps under another heading.
fn has_rollback_block(checklist: &Checklist) -> bool {
    let mut runs: Vec<&[Block]> = vec![&checklist.blocks];
    runs.extend(checklist.walk_sections().map(|s| s.blocks.as_slice()));
    while let Some(run) = runs.pop() {
        for (i, block) in run.iter().enumerate() {
            let named = match block {
                Block::Html { text, .. } => summary(text).is_some_and(names_rollback),
                Block::Quote { title, blocks, .. } => {
                    runs.push(blocks);
                    title.as_deref().is_some_and(names_rollback)
                }
                // A line that introduces steps: `**Rollback steps:**` before a list or code.
                Block::Paragraph { text, .. } => {
                    text.trim_end().ends_with(':')
                        && names_rollback(text)
                        && matches!(
                            run.get(i + 1),
                            Some(Block::List { .. } | Block::Code { .. })
                        )
                }
                Block::List { items, .. } => {
                    let mut stack: Vec<&crate::model::Item> = items.iter().collect();
                    while let Some(item) = stack.pop() {
                        runs.push(&item.blocks);
                        stack.extend(&item.children);
                    }
                    false
                }
                _ => false,
            };
            if named {
                return true;
            }
        }
    }
    false
}

/// The text of a `<summary>` element in raw HTML.
fn summary(html: &str) -> Option<&str> {
    let lower = html.to_ascii_lowercase();
    let open = lower.find("<summary")?;
    let start = open + lower[open..].find('>')? + 1;
    let end = start + lower[start..].find("</summary")?;
    html.get(start..end)
}

#[cfg(test)]
mod tests {
    fn flags(markdown: &str) -> bool {
        crate::pipeline::from_bytes("t.md", "t", markdown.as_bytes())
            .checklist
            .diagnostics
            .iter()
            .any(|d| d.code == "missing-rollback")
    }

    /// Regression: a release process doc with only notes and bullets under its `Release`
    /// headings was told to add a rollback.
    #[test]
    fn deployment_sections_without_steps_need_no_rollback() {
        assert!(!flags(
            "# Releasing\n\n## Release notes\n\nWrite them.\n\n## Release\n\n- binaries\n"
        ));
        assert!(flags("# R\n\n## Release\n\n1. Tag it\n"));
        assert!(flags(
            "# R\n\n## Release steps\n\n| Step | Command |\n|---|---|\n| 1 | tag |\n| 2 | push |\n"
        ));
    }

    /// Regression: rollback steps in a `<details>` block under the deployment section were not
    /// seen, and the checklist was said to have no rollback.
    #[test]
    fn rollback_steps_under_another_heading_count() {
        let deploy = "# R\n\n## Deployment\n\n- [ ] Publish the release\n\n";
        assert!(flags(deploy));
        for rollback in [
            "<details><summary>Rollback instructions</summary>\n\n1. Re-run the job\n\n</details>\n",
            "**Rollback steps:**\n\n1. Re-run the job\n",
            "!!! danger \"Roll back\"\n    Re-run the job\n",
        ] {
            assert!(!flags(&format!("{deploy}{rollback}")), "{rollback}");
        }
        assert!(flags(&format!(
            "{deploy}We never need a rollback, it is fine.\n"
        )));
        assert!(flags(&format!(
            "{deploy}No rollback is needed for this change:\n\nIt is additive.\n"
        )));
        // In an item, as release templates put it.
        assert!(!flags(&format!(
            "{deploy}- [ ] Publish\n\n  <details><summary>Rollback</summary>\n\n  Re-run.\n\n  </details>\n"
        )));
    }

    /// Regression: a pull-request template's `## Rollback Plan` holding only its
    /// `<!-- describe the steps -->` comment passed as a rollback plan.
    #[test]
    fn a_rollback_heading_with_only_a_comment_is_no_plan() {
        let deploy = "# R\n\n## Deployment\n\n- [ ] Publish the release\n\n## Rollback Plan\n";
        let message = |markdown: &str| {
            crate::pipeline::from_bytes("t.md", "t", markdown.as_bytes())
                .checklist
                .diagnostics
                .into_iter()
                .find(|d| d.code == "missing-rollback")
                .map(|d| (d.message, d.line))
        };
        let comment = format!("{deploy}\n<!-- Describe the rollback steps -->\n");
        assert_eq!(
            message(&comment),
            Some((
                "the rollback section `Rollback Plan` has no steps".into(),
                7
            ))
        );
        assert!(message(deploy).is_some());
        assert_eq!(message(&format!("{comment}\n1. Re-run the job\n")), None);
    }
}
