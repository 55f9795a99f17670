//! One test per construct the normaliser understands, on small hand-written documents.

mod common;

use common::model;
use preflight::diag::Severity;
use preflight::model::{
    Block, CodeKind, FieldsKind, Item, ItemKind, Phase, PlaceholderKind, TableKind,
};

fn items(c: &preflight::model::Checklist) -> Vec<&Item> {
    c.walk_items().map(|(_, i)| i).collect()
}

/// Each item's text, kind and tick, in document order.
fn ticks(c: &preflight::model::Checklist) -> Vec<(&str, ItemKind, bool)> {
    items(c)
        .iter()
        .map(|i| (i.text.as_str(), i.kind, i.checked))
        .collect()
}

#[test]
fn every_task_marker_and_box() {
    let c = model("# T\n\n- [ ] dash\n* [x] star\n+ [X] plus\n1. [ ] numbered\n");
    assert_eq!(
        ticks(&c),
        [
            ("dash", ItemKind::Task, false),
            ("star", ItemKind::Task, true),
            ("plus", ItemKind::Task, true),
            ("numbered", ItemKind::Task, false),
        ]
    );
    assert_eq!((c.stats.tasks, c.stats.checked), (4, 2));
}

/// Regression: `- ☐ Backup taken` lists were bullets with the box left in their text, no task
/// was counted, and print dropped the box.
#[test]
fn boxes_drawn_as_characters_are_tasks() {
    let md = "# T\n\n- ☐ Backup taken\n- ⬜ Plan reviewed\n- ☑ On-call briefed\n- ☒ Freeze announced\n  - 🔲 Nested box\n\n## Success Criteria\n\n- ✅ API up\n- ☒ Crossed\n\n- ☐Glued is text\n";
    let c = model(md);
    assert_eq!(
        ticks(&c),
        [
            ("Backup taken", ItemKind::Task, false),
            ("Plan reviewed", ItemKind::Task, false),
            ("On-call briefed", ItemKind::Task, true),
            ("Freeze announced", ItemKind::Task, true),
            ("Nested box", ItemKind::Task, false),
            // A check mark in a list without an open box still marks a criterion.
            ("API up", ItemKind::Criterion, false),
            ("Crossed", ItemKind::Task, true),
            ("☐Glued is text", ItemKind::Criterion, false),
        ]
    );
    assert_eq!(items(&c)[0].html, "Backup taken");
    assert_eq!(items(&c)[0].id, "backup-taken");
    let c = model("# T\n\n- ☐ 14:00 Start maintenance (30 min)\n");
    let item = items(&c)[0];
    assert_eq!(item.time.as_deref(), Some("14:00"));
    assert_eq!(item.duration.as_ref().map(|d| d.minutes), Some(30));
}

#[test]
fn nested_groups_and_blocks_inside_items() {
    let md = "# T\n\n## Pre\n\n- [ ] **Group**\n  - [ ] child one\n    - [x] grandchild\n  - [ ] child two\n\n    Extra paragraph.\n\n    ```bash\n    make deploy\n    ```\n";
    let c = model(md);
    let top = items(&c)[0];
    assert_eq!(top.text, "Group");
    assert_eq!(top.children.len(), 2);
    assert_eq!(top.children[0].children[0].text, "grandchild");
    assert!(top.children[0].children[0].checked);
    let two = &top.children[1];
    assert!(matches!(&two.blocks[0], Block::Paragraph { text, .. } if text == "Extra paragraph."));
    assert!(
        matches!(&two.blocks[1], Block::Code { lang: Some(l), kind: CodeKind::Commands, .. } if l == "bash")
    );
}

#[test]
fn steps_bullets_and_criteria() {
    let md = "# T\n\n## Rollback\n\n1. Stop\n2. Revert\n\n- note\n\n## Success Criteria\n\n✅ API up  \n✅ No errors\n\n- Users can log in\n";
    let c = model(md);
    let kinds: Vec<(&str, ItemKind)> = items(&c)
        .iter()
        .map(|i| (i.text.as_str(), i.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            ("Stop", ItemKind::Step),
            ("Revert", ItemKind::Step),
            ("note", ItemKind::Bullet),
            ("API up", ItemKind::Criterion),
            ("No errors", ItemKind::Criterion),
            ("Users can log in", ItemKind::Criterion),
        ]
    );
    assert_eq!(items(&c)[3].icon.as_deref(), Some("✅"));
}

#[test]
fn front_matter_and_bold_metadata() {
    let md = "---\ntitle: Release runbook\nversion: 2.1\ntags: [prod, eu]\nowner: SRE\nteam: payments\n---\n# Ignored title\n\n**Version**: 9.9  \n**Platform**: Billing  \n**Review Frequency**: Quarterly\n";
    let c = model(md);
    assert_eq!(c.title, "Release runbook");
    assert_eq!(c.meta.version.as_deref(), Some("2.1"), "front matter wins");
    assert_eq!(c.meta.platform.as_deref(), Some("Billing"));
    assert_eq!(c.meta.review_frequency.as_deref(), Some("Quarterly"));
    assert_eq!(c.meta.tags, ["prod", "eu"]);
    assert_eq!(
        c.meta.other.get("team").map(String::as_str),
        Some("payments")
    );
}

/// Regression: Zola's `[extra]` and Hugo's `params` tables drew a `front-matter` warning on
/// every page and their keys were dropped.
#[test]
fn front_matter_tables_and_lists_are_metadata() {
    let md = "+++\ntitle = \"Deploy\"\nowner = \"top\"\naliases = [\"a\", \"b\"]\n[extra]\nowner = \"nested\"\nservice = \"api\"\ndeep = { x = 1 }\n[taxonomies]\ntags = [\"db\"]\n+++\n\n- [ ] Roll out\n";
    let c = model(md);
    assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics);
    assert_eq!(c.meta.owner.as_deref(), Some("top"));
    assert_eq!(c.meta.platform.as_deref(), Some("api"));
    assert_eq!(c.meta.tags, ["db"]);
    assert_eq!(
        c.meta.other.get("aliases").map(String::as_str),
        Some("a, b")
    );
    let c = model("---\nassignees:\nlabels: []\nversion: [1, {a: 2}]\n---\n- [ ] x\n");
    let codes: Vec<_> = c
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str(), d.line))
        .collect();
    assert_eq!(codes, [("front-matter", 4)]);
}

#[test]
fn front_matter_numbers_and_booleans_keep_the_text_written() {
    let md = "---\nversion: 1.10\nowner: 0755 # octal-looking\nstatus: no\nreview_frequency: 3\nlint:\n  empty-section: off\n---\n# T\n\n## Empty\n";
    let c = model(md);
    assert_eq!(c.meta.version.as_deref(), Some("1.10"));
    assert_eq!(c.meta.owner.as_deref(), Some("0755"));
    assert_eq!(c.meta.status.as_deref(), Some("no"));
    assert_eq!(c.meta.review_frequency.as_deref(), Some("3"));
}

#[test]
fn an_issue_template_takes_its_title_from_name_and_an_empty_title_is_no_title() {
    let md = "---\nname: Release (for developers)\nabout: Release checklist\ntitle: ''\n---\n\n**Code**\n- [ ] Tag the release\n";
    let c = model(md);
    assert_eq!(c.title, "Release (for developers)");
    assert_eq!(
        c.meta.other.get("name").map(String::as_str),
        Some("Release (for developers)")
    );
    let c = model("---\ntitle: ''\nname: Bug\n---\n# Heading wins over name\n");
    assert_eq!(c.title, "Heading wins over name");
    // Regression: an issue template's `title`, the title of the issues it opens, was taken for
    // the checklist's, and its heading became a section above every other.
    let c = model(
        "---\nname: Deploy form\nabout: Ask for a deployment\ntitle: '[Request] '\n---\n# Production deployment form\n\n## Steps\n\n- [ ] Go\n",
    );
    assert_eq!(c.title, "Production deployment form");
    assert_eq!(c.sections[0].id, "steps");
}

/// Regression: with a front matter title, the body's first level-1 heading was dropped from
/// every output even when it named something else (an issue template's `# Release workflow`).
#[test]
fn a_first_heading_unlike_the_front_matter_title_is_a_section() {
    let md = "---\ntitle: 'Release v$version'\n---\n\n# Release workflow\n\n- [ ] Tag\n\n## Packages\n\n- [ ] Build\n";
    let c = model(md);
    assert_eq!(c.title, "Release v$version");
    let titles: Vec<_> = c.sections.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(titles, ["Release workflow"]);
    assert_eq!(c.sections[0].sections[0].title, "Packages");
    let c = model("---\ntitle: Deploy API\n---\n\n# 🚀 Deploy  api\n\n- [ ] Tag\n");
    assert_eq!(c.title, "Deploy API");
    assert!(c.sections.is_empty(), "{:?}", c.sections);
}

/// Regression: text written after an item's nested list was shown before the list, on the site
/// and in print.
#[test]
fn blocks_after_a_nested_list_keep_their_place() {
    let c =
        common::model_of(&common::repo().join("tests/fixtures/constructs/after-nested-list.md"));
    let items: Vec<_> = c.walk_items().map(|(_, i)| i).collect();
    let kick = items[0];
    assert_eq!(kick.children.len(), 3);
    assert_eq!(kick.children_before, [2, 3]);
    let order: Vec<String> = kick
        .parts()
        .map(|p| match p {
            preflight::model::Part::Block(b) => format!("block {}", b.line()),
            preflight::model::Part::Child(_, i) => format!("item {}", i.line),
        })
        .collect();
    assert_eq!(
        order,
        ["item 7", "item 8", "block 10", "item 12", "block 14"]
    );
    let tag = items
        .iter()
        .find(|i| i.text == "Tag the release")
        .map(|i| &i.children_before);
    assert_eq!(tag, Some(&vec![2]));
    // Blocks before any child record nothing.
    let c = model("- [ ] A\n\n  Text.\n\n  - [ ] B\n");
    assert!(c.walk_items().all(|(_, i)| i.children_before.is_empty()));
}

/// Regression: a byte-order mark left where two files were joined, or a zero-width space, at
/// the start of a line turned its task into a paragraph, with no word from `check`.
#[test]
fn an_invisible_character_does_not_hide_a_task() {
    let c = model("# A\n\n- [ ] a\n\n\u{feff}## B\n\n\u{200b}- [ ] b\n");
    assert_eq!(c.stats.tasks, 2);
    assert_eq!(c.sections[0].title, "B");
    let at: Vec<_> = c
        .diagnostics
        .iter()
        .filter(|d| d.code == "invisible-character")
        .map(|d| (d.line, d.column))
        .collect();
    assert_eq!(at, [(5, 1), (7, 1)]);
}

#[test]
fn headings_phases_counts_durations_and_times() {
    let md = "# T\n\n## 🚀 **Deployment** (2 items)\n\n### Step 1: Deploy (1 hour)\n\n- [ ] a\n\n### Pre-Deployment (T-2 hours)\n\n- [ ] b\n\n## Ongoing Maintenance\n\n### Weekly\n\n- [ ] c\n";
    let c = model(md);
    let s = &c.sections[0];
    assert_eq!(
        (
            s.title.as_str(),
            s.icon.as_deref(),
            s.declared_count,
            s.phase
        ),
        ("Deployment", Some("🚀"), Some(2), Phase::Deployment)
    );
    assert_eq!(s.sections[0].duration.as_ref().map(|d| d.minutes), Some(60));
    assert_eq!(
        (s.sections[1].time.as_deref(), s.sections[1].phase),
        (Some("T-2 hours"), Phase::PreDeployment)
    );
    assert_eq!(c.sections[1].sections[0].phase, Phase::Maintenance);
    assert_eq!(c.stats.estimated_minutes, Some(60));
}

#[test]
fn mojibake_is_repaired_located_and_kept_raw() {
    let c = model("# T\n\n## âœ… Checks\n\n- [ ] deploy ðŸš€ now\n");
    assert_eq!(c.sections[0].title, "Checks");
    assert_eq!(c.sections[0].raw_title, "âœ… Checks");
    let item = items(&c)[0];
    assert_eq!(item.text, "deploy 🚀 now");
    assert_eq!(item.raw_text.as_deref(), Some("deploy ðŸš€ now"));
    let at: Vec<(u32, u32, u32)> = c
        .diagnostics
        .iter()
        .filter(|d| d.code == "mojibake")
        .map(|d| (d.line, d.column, d.width))
        .collect();
    assert_eq!(at, [(3, 4, 3), (5, 14, 4)]);
}

#[test]
fn sign_off_fields_choices_and_tables() {
    let md = "# T\n\n## Sign-off\n\n**Approved By**: ________  \n**Outcome**: ☐ Go / ☐ No-go\n\n| Role | Name | Date | Signature |\n|---|---|---|---|\n| QA Lead | | | |\n";
    let c = model(md);
    let blocks = &c.sections[0].blocks;
    let Block::Fields { kind, fields, .. } = &blocks[0] else {
        panic!("fields expected: {blocks:?}")
    };
    assert_eq!(*kind, FieldsKind::SignOff);
    assert!(fields[0].blank);
    assert_eq!(
        fields[1]
            .choices
            .iter()
            .map(|c| c.label.as_str())
            .collect::<Vec<_>>(),
        ["Go", "No-go"]
    );
    let Block::Table { kind, rows, .. } = &blocks[1] else {
        panic!("table expected")
    };
    assert_eq!((*kind, rows[0][1].as_str()), (TableKind::SignOff, ""));
}

/// Regression: choices separated only by their boxes (`☐ Success  ☐ Rolled Back`) were plain
/// text, and print dropped the boxes.
#[test]
fn choices_separated_by_their_boxes_alone() {
    let md = "# T\n\n## Sign-off\n\n**Status**: ☐ Success  ☐ Success with issues, ☑ Rolled back\n**Notes**: ✅ done\n";
    let c = model(md);
    let Block::Fields { fields, .. } = &c.sections[0].blocks[0] else {
        panic!("fields expected")
    };
    let choices: Vec<(&str, bool)> = fields[0]
        .choices
        .iter()
        .map(|c| (c.label.as_str(), c.checked))
        .collect();
    assert_eq!(
        choices,
        [
            ("Success", false),
            ("Success with issues", false),
            ("Rolled back", true)
        ]
    );
    assert!(fields[1].choices.is_empty(), "one box is not a choice");
}

#[test]
fn a_label_that_introduces_a_list_is_not_a_line_to_write_on() {
    let md = "# T\n\n## Rollback\n\n**Team**: Ops\n**Initiate rollback immediately if:**\n\n- [ ] Errors rise\n\n**Steps**:\n\n1. Revert\n\n## Sign-off\n\n**Approved By**:\n";
    let c = model(md);
    let blocks = &c.sections[0].blocks;
    let Block::Fields { kind, fields, .. } = &blocks[0] else {
        panic!("fields expected: {blocks:?}")
    };
    assert_eq!((*kind, fields.len()), (FieldsKind::Other, 1));
    assert!(!fields[0].blank);
    let intros: Vec<&str> = blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(intros, ["Initiate rollback immediately if:", "Steps:"]);
    // In a sign-off section, a label with nothing after it is still a line to sign.
    let Block::Fields { kind, fields, .. } = &c.sections[1].blocks[0] else {
        panic!("sign-off fields expected: {:?}", c.sections[1].blocks)
    };
    assert_eq!(*kind, FieldsKind::SignOff);
    assert!(fields[0].blank);
    // Label-only lines with no list after them are a form to fill in, in any section.
    let c = model("# T\n\n## Deployment\n\n**Deployed By**:\n**Date**:\n\nDone.\n");
    let Block::Fields { kind, fields, .. } = &c.sections[0].blocks[0] else {
        panic!("fields expected: {:?}", c.sections[0].blocks)
    };
    assert_eq!((*kind, fields.len()), (FieldsKind::SignOff, 2));
    assert!(fields.iter().all(|f| f.blank));
}

/// Regression: a bold line introducing a table, a quote, prose or (in a sign-off section) a
/// list was a blank sign-off field, which printed as a line to sign and hid `missing-sign-off`.
#[test]
fn a_label_that_introduces_a_table_a_quote_or_prose_is_a_paragraph() {
    let md = "# T\n\n## Success criteria\n\n**All of the following must be true:**\n\n\
              ✅ Service up\n✅ Checks pass\n\n## Contacts\n\n**Escalation matrix:**\n\n\
              | Role | Name |\n|---|---|\n| DBA | Ann |\n\n## Rollback\n\n**Before you start:**\n\n\
              > Check the backup.\n\n## Sign-off\n\n**Decision:**\n- [ ] GO\n- [ ] NO-GO\n\n\
              **Approved By**:\n\n______\n";
    let c = model(md);
    for section in &c.sections[..3] {
        assert!(
            matches!(section.blocks[0], Block::Paragraph { .. }),
            "{}: {:?}",
            section.title,
            section.blocks[0]
        );
    }
    let signoff = &c.sections[3].blocks;
    assert!(matches!(signoff[0], Block::Paragraph { ref text, .. } if text == "Decision:"));
    // Before a line of underscores, a label is still a line to sign.
    let Block::Fields { kind, fields, .. } = &signoff[2] else {
        panic!("sign-off fields expected: {signoff:?}")
    };
    assert_eq!(
        (*kind, fields[0].label.as_str()),
        (FieldsKind::SignOff, "Approved By")
    );
}

/// Regression: `> **Version**: 1.0 | **Owner**: DB team` under the title gave no metadata, and
/// a line of fields separated by `|` was one field holding the rest of the line.
#[test]
fn fields_on_one_line_and_in_a_header_quote_are_metadata() {
    let c = model(
        "# T\n\n> **Version**: 1.0 | **Last Updated**: 2026-02-26 | **Owner**: DB team\n\n## Steps\n\n- [ ] Go\n",
    );
    assert_eq!(c.meta.version.as_deref(), Some("1.0"));
    assert_eq!(c.meta.owner.as_deref(), Some("DB team"));
    assert_eq!(
        c.meta.other.get("last-updated").map(String::as_str),
        Some("2026-02-26")
    );
}

/// Regression: sign-off lines with plain labels after the first blank, or all in bold, were one
/// field holding the rest of the line, or a paragraph.
#[test]
fn lines_of_blanks_with_plain_labels_are_one_field_each() {
    let c = model(
        "# T\n\n## Sign-off\n\n**Coordinator: ______ Date: ____**\n\n**CTO**: ______ Date/Time: ____\n\n\
         QA Lead: _____ Date: _____\n",
    );
    let labels: Vec<(&str, bool)> = c.sections[0]
        .blocks
        .iter()
        .flat_map(|b| match b {
            Block::Fields { fields, .. } => fields.iter().map(|f| (f.label.as_str(), f.blank)),
            other => panic!("fields expected: {other:?}"),
        })
        .collect();
    assert_eq!(
        labels,
        [
            ("Coordinator", true),
            ("Date", true),
            ("CTO", true),
            ("Date/Time", true),
            ("QA Lead", true),
            ("Date", true)
        ]
    );
}

/// Regression: `1. <Step>` in a template was an HTML block a browser hides, so the step had no
/// text; a name in angle brackets that is no HTML element is text (and a placeholder).
#[test]
fn a_name_in_angle_brackets_alone_is_text_not_html() {
    let c = model("# T\n\n## Steps\n\n1. <Step>\n2. <details>\n");
    let Block::List { items, .. } = &c.sections[0].blocks[0] else {
        panic!("list expected")
    };
    assert_eq!(items[0].text, "<Step>");
    assert_eq!(items[0].placeholders.len(), 1);
    assert_eq!(items[1].text, "");
}

#[test]
fn contacts_and_placeholders() {
    let md = "# T\n\n## Emergency Contacts\n\n- **DevOps**: [Contact Info]\n- On-call: +1-XXX-XXX-XXXX\n\n| Role | Name | Phone |\n|---|---|---|\n| DBA | | |\n";
    let c = model(md);
    let found: Vec<(String, PlaceholderKind)> = items(&c)
        .iter()
        .flat_map(|i| i.placeholders.iter().map(|p| (p.text.clone(), p.kind)))
        .collect();
    assert_eq!(
        found,
        [
            ("[Contact Info]".into(), PlaceholderKind::Bracket),
            ("+1-XXX-XXX-XXXX".into(), PlaceholderKind::Masked)
        ]
    );
    assert_eq!(items(&c)[0].label.as_deref(), Some("DevOps"));
    assert!(matches!(
        c.sections[0].blocks[1],
        Block::Table {
            kind: TableKind::Contacts,
            ..
        }
    ));
    let flagged = c
        .diagnostics
        .iter()
        .filter(|d| d.code == "unfilled-placeholder")
        .count();
    assert_eq!(flagged, 3);
}

#[test]
fn code_kinds_and_env_templates() {
    let md = "# T\n\n```env\nDB_PASSWORD=...\nAPP_URL=https://x.test\nAPI_KEY=your-api-key\n```\n\n```yaml\na: 1\n```\n\n```\ngit checkout <previous-tag>\n```\n";
    let c = model(md);
    let Block::Code { kind, env, .. } = &c.blocks[0] else {
        panic!("code expected")
    };
    assert_eq!(*kind, CodeKind::EnvTemplate);
    let vars: Vec<(&str, bool, bool)> = env
        .iter()
        .map(|v| (v.key.as_str(), v.secret, v.placeholder))
        .collect();
    assert_eq!(
        vars,
        [
            ("DB_PASSWORD", true, true),
            ("APP_URL", false, false),
            ("API_KEY", true, true)
        ]
    );
    assert!(matches!(
        c.blocks[1],
        Block::Code {
            kind: CodeKind::Config,
            ..
        }
    ));
    let Block::Code { placeholders, .. } = &c.blocks[2] else {
        panic!("code expected")
    };
    assert_eq!(placeholders[0].text, "<previous-tag>");
    assert!(
        c.diagnostics
            .iter()
            .all(|d| d.code != "unfilled-placeholder"),
        "code parameters are not defects"
    );
}

/// Regression: the variables of an indented code block were placed one line below where they
/// are, as if the block had an opening fence.
#[test]
fn env_lines_of_an_indented_block() {
    let c = model("# T\n\n## Env\n\nSet:\n\n    FOO=bar\n    API_KEY=your-api-key\n");
    let Some(Block::Code { env, line, .. }) = c.sections[0].blocks.get(1) else {
        panic!("code expected: {:?}", c.sections[0].blocks)
    };
    let lines: Vec<(&str, u32)> = env.iter().map(|v| (v.key.as_str(), v.line)).collect();
    assert_eq!((*line, lines), (7, vec![("FOO", 7), ("API_KEY", 8)]));
}

#[test]
fn explicit_ids_win_and_are_stripped() {
    let c = model(
        "# T\n\n## Checks {#checks}\n\n- [ ] Take a backup {#backup}\n- [ ] Take a backup\n- [ ] Take a backup\n",
    );
    let ids: Vec<&str> = items(&c).iter().map(|i| i.id.as_str()).collect();
    assert_eq!(
        ids,
        ["backup", "checks.take-a-backup", "checks.take-a-backup-2"]
    );
    assert_eq!(items(&c)[0].text, "Take a backup");
    assert!(!items(&c)[0].html.contains('{'));
}

#[test]
fn duplicate_explicit_ids_are_reported() {
    let c = model("# T\n\n- [ ] one {#x}\n- [ ] two {#x}\n");
    assert_eq!(items(&c)[1].id, "x-2");
    assert!(
        c.diagnostics
            .iter()
            .any(|d| d.code == "duplicate-id" && d.severity == Severity::Error)
    );
}

/// Regression: the suffix given to a repeated `{#x}` took `x-2`, written by hand further down,
/// which then was reported as the duplicate and renamed.
#[test]
fn a_suffix_never_takes_an_explicit_id_written_later() {
    let c = model("# T\n\n- [ ] b {#x}\n- [ ] c {#x}\n- [ ] d {#x-2}\n");
    let ids: Vec<&str> = items(&c).iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["x", "x-3", "x-2"]);
    let lines: Vec<u32> = c
        .diagnostics
        .iter()
        .filter(|d| d.code == "duplicate-id")
        .map(|d| d.line)
        .collect();
    assert_eq!(lines, [4]);
}

/// Regression: an item indented by a tab was placed on the line before it, and so were its
/// diagnostics.
#[test]
fn tab_indented_items_keep_their_own_line() {
    let c = model("# T\n\n## Pre\n\n- [ ] parent\n\t- [ ] child\n\t- [ ] other\n");
    let lines: Vec<(u32, &str)> = items(&c)
        .iter()
        .map(|i| (i.line, i.text.as_str()))
        .collect();
    assert_eq!(lines, [(5, "parent"), (6, "child"), (7, "other")]);
}

/// Regression: a title heading with nothing to show left the checklist without a title (an
/// empty link on the dashboard, an empty `<h1>`).
#[test]
fn an_empty_title_heading_falls_back_to_the_file_name() {
    for md in [
        "#\n\n- [ ] a\n",
        "# {#only}\n\n- [ ] a\n",
        "# 🚀\n\n- [ ] a\n",
    ] {
        let loaded =
            preflight::pipeline::from_bytes("ops/db-failover.md", "ops/db-failover", md.as_bytes());
        assert_eq!(loaded.checklist.title, "Db failover", "{md:?}");
    }
}

/// Regression: an item written as a heading (`- # Title`) had no text of its own.
#[test]
fn an_item_that_is_a_heading_keeps_its_text() {
    let c = model("# T\n\n## S\n\n- # Database\n  - [ ] Back it up\n");
    let texts: Vec<&str> = items(&c).iter().map(|i| i.text.as_str()).collect();
    assert_eq!(texts, ["Database", "Back it up"]);
}

/// Regression: a heading of an emoji alone showed it twice, as icon and as title.
#[test]
fn a_heading_of_an_emoji_alone_is_its_title_only() {
    let c = model("# T\n\n## 🚀\n\n- [ ] Go\n");
    assert_eq!(c.sections[0].title, "🚀");
    assert_eq!(c.sections[0].icon, None);
}

/// Regression: a section titled "Progress" had the id of the page's progress bar, so the page
/// had two elements with one id and the bar's script found the section.
#[test]
fn a_section_named_like_a_part_of_the_page_gets_its_own_id() {
    let c = model("# T\n\n## Progress\n\n- [ ] a\n\n## Checklists\n\n### Main\n\n- [ ] b\n");
    let ids: Vec<&str> = c.walk_sections().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "progress-section",
            "checklists-section",
            "checklists-section.main"
        ]
    );
}

/// Regression: written section ids could name an element the page already has: the page's own
/// parts (`{#main}`), an item's element (`{#item-x}` beside item `{#x}`) or another section's
/// heading (`{#h-rollback}` beside section `rollback`).
#[test]
fn a_written_section_id_that_is_an_element_of_the_page_gets_its_own() {
    let c = model(
        "# T\n\n## A {#main}\n\n- [ ] a\n\n## B {#item-x}\n\n- [ ] Z {#x}\n\n## C {#h-rollback}\n\n## Rollback\n\n- [ ] v\n",
    );
    let ids: Vec<&str> = c.walk_sections().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "main-section",
            "item-x-section",
            "h-rollback-section",
            "rollback"
        ]
    );
    let warned: Vec<(u32, Severity)> = c
        .diagnostics
        .iter()
        .filter(|d| d.code == "duplicate-id")
        .map(|d| (d.line, d.severity))
        .collect();
    assert_eq!(
        warned,
        [
            (3, Severity::Warning),
            (7, Severity::Warning),
            (11, Severity::Warning)
        ]
    );
}

/// Regression: one sign-off line written differently (`Signed off by: ____`, or two fields on one
/// line) turned the whole block into a paragraph, so the sheet had no lines to sign.
#[test]
fn sign_off_blocks_take_plain_blank_lines_and_two_fields_on_a_line() {
    let c = model(
        "# T\n\n## Sign-off\n\n**Approved By**: ____\n**QA Lead:** _______  **Date:** _______\nSigned off by: ______\n\nNote: see the wiki for details\n",
    );
    let section = &c.sections[0];
    let Block::Fields { kind, fields, .. } = &section.blocks[0] else {
        panic!("{:?}", section.blocks);
    };
    assert_eq!(*kind, FieldsKind::SignOff);
    let got: Vec<(&str, bool, u32)> = fields
        .iter()
        .map(|f| (f.label.as_str(), f.blank, f.line))
        .collect();
    assert_eq!(
        got,
        [
            ("Approved By", true, 5),
            ("QA Lead", true, 6),
            ("Date", true, 6),
            ("Signed off by", true, 7)
        ]
    );
    // A plain line with a colon and no blank is prose.
    assert!(
        matches!(&section.blocks[1], Block::Paragraph { .. }),
        "{:?}",
        section.blocks
    );
}

/// Regression: times the documentation promises were not read: `9:00 AM Start deploy` and
/// `T-2 hours Notify` (no separator), `**14:30 UTC**: Switch` (a time zone), and a heading that
/// starts with one (`## 14:00 UTC — Switch traffic`); and a range of times at the start of an
/// item (`22:00–23:00 CET: Cutover`) had none.
#[test]
fn leading_times_of_items_and_headings() {
    let c = model(
        "# T\n\n## 14:00 UTC — Switch traffic\n\n- [ ] 9:00 AM Start deploy\n- [ ] T-2 hours Notify\n- [ ] **14:30 UTC**: Switch\n- [ ] 10 packages to ship\n- [ ] Test the 5 am job\n\
         - [ ] 22:00–23:00 CET: Cutover window\n- [ ] T+0 to T+2h watch the graphs\n\
         - [ ] Day 1: Kickoff\n- [ ] D-1: Back up\n- [ ] Day 2 operations\n",
    );
    let section = &c.sections[0];
    assert_eq!(
        (
            section.id.as_str(),
            section.title.as_str(),
            section.time.as_deref()
        ),
        ("switch-traffic", "Switch traffic", Some("14:00 UTC"))
    );
    let times: Vec<Option<&str>> = items(&c).iter().map(|i| i.time.as_deref()).collect();
    assert_eq!(
        times,
        [
            Some("9:00 AM"),
            Some("T-2 hours"),
            Some("14:30 UTC"),
            None,
            None,
            Some("22:00–23:00 CET"),
            Some("T+0 to T+2h"),
            Some("Day 1"),
            Some("D-1"),
            None
        ]
    );
    assert_eq!(items(&c)[2].label, None);
}

/// Regression: with CRLF line endings, or in a code block indented under an item, placeholders
/// in code were placed at the fence's line and column.
#[test]
fn code_placeholders_are_located_whatever_the_line_endings_and_indentation() {
    let lf = "# T\n\n```bash\nexport KEY=your-key\n```\n\n- [ ] a\n\n  ```env\n  TOKEN=your-token\n  ```\n";
    for text in [lf.to_owned(), lf.replace('\n', "\r\n")] {
        let c = model(&text);
        let mut found: Vec<(String, u32, u32)> = c
            .walk_blocks()
            .filter_map(|b| match b {
                Block::Code { placeholders, .. } => Some(placeholders),
                _ => None,
            })
            .flatten()
            .map(|p| (p.text.clone(), p.line, p.column))
            .collect();
        found.sort();
        assert_eq!(
            found,
            [("your-key".into(), 4, 12), ("your-token".into(), 10, 9)],
            "{text:?}"
        );
    }
}

/// Regression: `Line one<br>line two` gave the text (and id) `Line oneline two`.
#[test]
fn an_html_break_separates_words_in_the_text() {
    let c = model("# T\n\n- [ ] Line one<br>line two\n");
    let item = items(&c)[0];
    assert_eq!(
        (item.text.as_str(), item.id.as_str()),
        ("Line one line two", "line-one-line-two")
    );
}

/// Regression: TOML front matter between `+++` lines (Hugo, Zola) was published as a
/// paragraph, with no word of it.
#[test]
fn toml_front_matter_is_read_and_located_when_broken() {
    let c = model(
        "+++\ntitle = \"Hugo runbook\"\nowner = \"SRE\"\ntags = [\"db\", \"prod\"]\ndate = 2025-10-01\n+++\n# T\n\n- [ ] x\n",
    );
    assert_eq!(c.title, "Hugo runbook");
    assert_eq!(c.meta.owner.as_deref(), Some("SRE"));
    assert_eq!(c.meta.date.as_deref(), Some("2025-10-01"));
    assert_eq!(c.meta.tags, ["db", "prod"]);
    assert!(
        c.blocks
            .iter()
            .all(|b| !matches!(b, Block::Paragraph { .. })),
        "{:?}",
        c.blocks
    );
    let broken = model("+++\ntitle = \"x\nowner = 3\n+++\n# T\n\n- [ ] x\n");
    let found: Vec<(&str, u32, Severity)> = broken
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str(), d.line, d.severity))
        .collect();
    assert_eq!(found, [("front-matter", 2, Severity::Error)]);
}

/// Regression: `version = 1.10` in TOML front matter was published as "1.1", and `0x1F` and
/// `1e3` as their values; numbers keep the digits written, as in YAML front matter.
#[test]
fn toml_front_matter_numbers_keep_their_digits() {
    let c = model("+++\ntitle = \"T\"\nversion = 1.10\nratio = 1e3\n+++\n\n- [ ] x\n");
    assert_eq!(c.meta.version.as_deref(), Some("1.10"));
    assert_eq!(c.meta.other.get("ratio").map(String::as_str), Some("1e3"));
    let yaml = model("---\ntitle: T\nversion: 1.10\n---\n\n- [ ] x\n");
    assert_eq!(yaml.meta.version, c.meta.version);
}

/// Regression: every front matter warning pointed at line 1, not at the key it is about.
#[test]
fn front_matter_warnings_point_at_their_key() {
    let c = model("---\ntitle: T\nphase: nonsense\ntags:\n  a: b\n---\n# T\n\n- [ ] x\n");
    let lines: Vec<u32> = c
        .diagnostics
        .iter()
        .filter(|d| d.code == "front-matter")
        .map(|d| d.line)
        .collect();
    assert_eq!(lines, [3, 4]);
    // Regression: problems with `lint:` entries were all placed at the `lint:` line, and a
    // misspelt rule got no suggestion.
    let c = preflight::pipeline::from_bytes(
        "t.md",
        "t",
        b"---\ntitle: T\nlint:\n  missing-signoff: off\n  empty-section: nope\n---\n# T\n\n- [ ] x\n",
    )
    .checklist;
    let found: Vec<(u32, bool)> = c
        .diagnostics
        .iter()
        .filter(|d| d.code == "front-matter")
        .map(|d| {
            (
                d.line,
                d.message.contains("did you mean `missing-sign-off`"),
            )
        })
        .collect();
    assert_eq!(found, [(4, true), (5, false)]);
}

/// Regression: `## Queue {#q} ##` (an id, then a closing sequence) kept `{#q}` in its title and
/// got the id `queue-q`.
#[test]
fn a_heading_id_before_a_closing_sequence_is_its_id() {
    let c = model("# T\n\n## Queue {#q} ##\n\n- [ ] a\n");
    let s = &c.sections[0];
    assert_eq!((s.id.as_str(), s.title.as_str()), ("q", "Queue"));
    assert_eq!(items(&c)[0].id, "q.a");
}

/// Regression: `## Literal braces {not an id}` lost `{not an id}`: the heading-attribute syntax
/// took the braces though they name no id, class or value.
#[test]
fn braces_that_name_no_attribute_stay_in_the_heading() {
    let c =
        model("# T\n\n## Literal braces {not an id}\n\n- [ ] a\n\n## Real {#r .c}\n\n- [ ] b\n");
    let got: Vec<(&str, &str)> = c
        .sections
        .iter()
        .map(|s| (s.id.as_str(), s.title.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("literal-braces-not-an-id", "Literal braces {not an id}"),
            ("r", "Real")
        ]
    );
    // Regression: braces a template leaves (`v%{version}`, `{1}`, a heading of braces alone, a
    // setext heading) lost a space, their last part or the whole heading's text.
    let c = model(
        "# T\n\n## Release v%{version}\n\n## {version}\n\nDeploy v{version}\n---\n\n## Tag v{x}.{y}\n\n## Wave {1}\n\n- ## {ver}\n",
    );
    let got: Vec<(&str, &str)> = c
        .walk_sections()
        .map(|s| (s.title.as_str(), s.raw_title.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("Release v%{version}", "Release v%{version}"),
            ("{version}", "{version}"),
            ("Deploy v{version}", "Deploy v{version}"),
            ("Tag v{x}.{y}", "Tag v{x}.{y}"),
            ("Wave {1}", "Wave {1}"),
        ]
    );
    assert_eq!(items(&c)[0].text, "{ver}");
}

#[test]
fn raw_html_and_unsafe_links_are_sanitised() {
    let c = model("# T\n\n- [ ] click [here](javascript:alert(1)) <img src=x onerror=alert(1)>\n");
    let item = items(&c)[0];
    assert!(!item.html.contains("javascript"), "{}", item.html);
    assert!(!item.html.contains("<img"), "{}", item.html);
}

#[test]
fn deep_nesting_is_flattened_not_fatal() {
    let mut md = String::from("# T\n\n");
    for depth in 0..200 {
        md.push_str(&"  ".repeat(depth));
        md.push_str("- [ ] level\n");
    }
    let c = model(&md);
    assert_eq!(c.stats.tasks, 200);
    assert!(c.diagnostics.iter().any(|d| d.code == "nesting-too-deep"));
    let json = serde_json::to_string(&c).unwrap_or_default();
    let back: Result<preflight::model::Checklist, _> = serde_json::from_str(&json);
    assert!(
        back.is_ok(),
        "the model of a deep document round-trips through JSON"
    );
}

/// An admonition's body keeps its source lines and columns: a diagnostic inside it points at
/// the text as written, four columns in.
#[test]
fn admonition_bodies_keep_source_positions() {
    let c = model("# T\n\n!!! note\n    - [ ] Call <NAME>\n    - [ ] Call <NAME>\n");
    let Block::Quote { alert, blocks, .. } = &c.blocks[0] else {
        panic!("{:?}", c.blocks);
    };
    assert_eq!(alert.as_deref(), Some("note"));
    let items: Vec<_> = blocks[0]
        .walk_items()
        .map(|i| (i.line, i.text.as_str()))
        .collect();
    assert_eq!(items, [(4, "Call <NAME>"), (5, "Call <NAME>")]);
    let dup = c
        .diagnostics
        .iter()
        .find(|d| d.code == "duplicate-item")
        .expect("duplicate");
    assert_eq!((dup.line, dup.column), (5, 5));
}

/// Regression: a link, code or emphasis in a table cell or a field's value was flattened to its
/// text, its link target lost from the site and the JSON.
#[test]
fn table_cells_and_field_values_keep_their_markup() {
    let c = model(
        "# T\n\n**Dashboard**: [Grafana](https://grafana.example.com) and `kubectl top`\n**Owner**: Ops\n\n| Board | Link |\n|---|---|\n| API | [board](https://example.com/b) |\n\n| Plain | Table |\n|---|---|\n| a | b |\n\n- [ ] x\n",
    );
    let fields: Vec<(&str, Option<&str>)> = c
        .blocks
        .iter()
        .flat_map(|b| match b {
            Block::Fields { fields, .. } => fields.as_slice(),
            _ => &[],
        })
        .map(|f| (f.label.as_str(), f.html.as_deref()))
        .collect();
    assert_eq!(
        fields,
        [
            (
                "Dashboard",
                Some(
                    "<a href=\"https://grafana.example.com\">Grafana</a> and <code>kubectl top</code>"
                )
            ),
            ("Owner", None)
        ]
    );
    let tables: Vec<Option<&preflight::model::TableHtml>> = c
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Table { html, .. } => Some(html.as_ref()),
            _ => None,
        })
        .collect();
    assert_eq!(tables.len(), 2, "{:?}", c.blocks);
    let marked = tables[0].map(|t| t.rows.clone());
    assert_eq!(
        marked,
        Some(vec![vec![
            "API".to_owned(),
            "<a href=\"https://example.com/b\">board</a>".to_owned()
        ]])
    );
    assert!(tables[1].is_none(), "a plain table has no HTML");
}

/// Regression: a heading's `{#id}` holding a zero-width space was kept, an anchor that reads
/// like `deploy` but is not; the invisible character is left out, with a warning.
#[test]
fn invisible_characters_are_left_out_of_a_heading_id() {
    let c =
        model("# T\n\n## Deploy {#dep\u{200b}loy}\n\n- [ ] a\n\n## Other {#\u{200b}}\n\n- [ ] b\n");
    let ids: Vec<&str> = c.sections.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["deploy", "other"]);
    let warned: Vec<u32> = c
        .diagnostics
        .iter()
        .filter(|d| d.code == "invisible-character")
        .map(|d| d.line)
        .collect();
    assert_eq!(warned, [3, 7]);
}

/// Regression: `Estimated Total Time: 45 minutes` without bold, the form the docs show, was a
/// paragraph, so the page's estimate (from the section durations) contradicted the text.
#[test]
fn plain_metadata_lines_are_fields() {
    let c = model(
        "# Failover\n\nEstimated Total Time: 45 minutes\nOwner: SRE team\n\n## Steps\n\n- [ ] a (10 minutes)\n\nNote: a line of prose.\nStatus: green.\n",
    );
    assert_eq!(c.meta.estimated_total.as_ref().map(|d| d.minutes), Some(45));
    assert_eq!(c.meta.owner.as_deref(), Some("SRE team"));
    assert!(
        matches!(&c.blocks[0], Block::Fields { kind: FieldsKind::Meta, fields, .. } if fields.len() == 2),
        "{:?}",
        c.blocks
    );
    // A paragraph with a line that is no field stays prose.
    assert!(matches!(c.sections[0].blocks[1], Block::Paragraph { .. }));
    let prose = model(
        "# T\n\nNote: a line of prose.\n\nThe status: fine.\n\nService: restart it only after the config map has been applied.\n\nStatus: if the page shows red, stop.\n",
    );
    assert!(
        prose
            .blocks
            .iter()
            .all(|b| matches!(b, Block::Paragraph { .. })),
        "{:?}",
        prose.blocks
    );
    assert!(prose.meta.status.is_none() && prose.meta.platform.is_none());
}

/// Regression: a numbered table of contents (`1. [Rollback](#rollback)`) was read as steps to
/// take; numbered steps that link to where each is explained, or with more words, stay steps.
#[test]
fn a_numbered_table_of_contents_is_not_steps() {
    let c = model(
        "# T\n\n## Contents\n\n1. [Prepare](#prepare)\n2. [Roll back](#roll-back)\n   1. [Undo](#undo)\n\n\
         ## Prepare\n\n1. Read [the guide](#guide) first\n2. [Open the console](https://example.com)\n\n\
         1. [Drain traffic](#drain)\n2. [Run migrations](#migrate)\n\n## 🔙 Roll back\n\n### Undo\n\n- [ ] Revert\n",
    );
    let kinds: Vec<_> = items(&c)
        .iter()
        .map(|i| (i.text.as_str(), i.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            ("Prepare", ItemKind::Bullet),
            ("Roll back", ItemKind::Bullet),
            ("Undo", ItemKind::Bullet),
            ("Read the guide first", ItemKind::Step),
            ("Open the console", ItemKind::Step),
            ("Drain traffic", ItemKind::Step),
            ("Run migrations", ItemKind::Step),
            ("Revert", ItemKind::Task),
        ]
    );
}

/// Regression: an item that is only a line of underscores to write on (`- ______`), which
/// Markdown reads as a thematic break, had no text and was reported as empty.
#[test]
fn a_write_in_line_is_a_blank_to_fill_in() {
    let c = model("# T\n\n## Notes\n\n- ________\n- [ ] Done\n");
    let first = items(&c)[0];
    assert_eq!(first.text, "________");
    assert_eq!(
        first
            .placeholders
            .iter()
            .map(|p| p.kind)
            .collect::<Vec<_>>(),
        [PlaceholderKind::Blank]
    );
    assert!(
        c.diagnostics.iter().all(|d| d.code != "empty-item"),
        "{:?}",
        c.diagnostics
    );
}

/// Regression: a day's plan with one `(30 minutes)` heading among many untimed ones was
/// estimated at 30 minutes, and steps timed one by one (`(2.5 hours)`) added up to nothing.
#[test]
fn the_estimate_adds_timed_items_and_needs_most_of_the_run_timed() {
    let plan = model(
        "# Day 1\n\n## Morning\n\n- [ ] Badge\n- [ ] Laptop\n\n## Must read (30 minutes)\n\n- [ ] Handbook\n\n## Afternoon\n\n- [ ] Meet the team\n",
    );
    assert_eq!(plan.stats.estimated_minutes, None);
    let steps = model(
        "# Cutover\n\n## Steps\n\n1. Freeze (30 min)\n2. Migrate (2.5 hours)\n   - [ ] check rows\n3. Switch (30 min)\n4. Announce\n\n## Contacts\n\n- [ ] Call Ann\n",
    );
    assert_eq!(steps.stats.estimated_minutes, Some(210));
}

/// Regression: durations written in brackets, after a dash or with an abbreviation
/// (`[15 min]`, `— 15m`, `(est. 2h)`) were not read; an ETA (lead time), a setting (`— 30d`,
/// `— 512m`) or an amount (`— 15M`) is no duration.
#[test]
fn item_durations_in_other_spellings() {
    let c = model(
        "# T\n\n## Steps\n\n- [ ] Deploy A (~15 min)\n- [ ] Deploy B — 15m\n- [ ] Deploy C [15 min]\n\
         - [ ] Deploy D (est. 2h)\n- [ ] Deploy E (ETA: 2 weeks)\n- [ ] Scale to 3 — see the graphs\n\
         - [ ] Set the timeout (timeout: 30s)\n- [ ] Set log retention — 30d\n- [ ] Set JVM heap — 512m\n\
         - [ ] Migrate user records — 15M\n",
    );
    let minutes: Vec<Option<u32>> = items(&c)
        .iter()
        .map(|i| i.duration.as_ref().map(|d| d.minutes))
        .collect();
    assert_eq!(
        minutes,
        [
            Some(15),
            Some(15),
            Some(15),
            Some(120),
            None,
            None,
            None,
            None,
            None,
            None
        ]
    );
}

/// Regression: `about` alone made front matter an issue template, so a runbook's own `title`
/// was dropped; and an issue template with several top-level headings took the first for its
/// title.
#[test]
fn only_an_issue_template_loses_its_title() {
    let c = model(
        "---\ntitle: Payments runbook\nabout: For the payments team\n---\n## Deploy\n\n- [ ] Go\n",
    );
    assert_eq!(c.title, "Payments runbook");
    let c = model(
        "---\nname: Release\nabout: Cut a release\ntitle: Cut v\n---\n# ZDS\n\n- [ ] Tag\n\n# CLI\n\n- [ ] Publish\n",
    );
    assert_eq!(c.title, "Release");
    let ids: Vec<_> = c.sections.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["zds", "cli"]);
}

/// Regression (review): a table of contents of numbered headings (`## 1. Preparation`) was
/// read as steps; settings after a dash (`Set TTL — 5m`) were durations; an untimed rollback
/// took the estimate away.
#[test]
fn contents_of_numbered_headings_settings_and_an_untimed_rollback() {
    let c = model(
        "# T\n\n1. [Preparation](#1-preparation)\n2. [Go](#2-go)\n\n## 1. Preparation (30 min)\n\n\
         - [ ] Set TTL — 5m\n- [ ] Freeze — 10m\n\n## 2. Go (1 hour)\n\n- [ ] Deploy\n\n\
         ## Rollback\n\n- [ ] a\n- [ ] b\n- [ ] c\n- [ ] d\n- [ ] e\n",
    );
    let found: Vec<_> = items(&c)
        .iter()
        .map(|i| (i.kind, i.duration.as_ref().map(|d| d.minutes)))
        .take(4)
        .collect();
    assert_eq!(
        found,
        [
            (ItemKind::Bullet, None),
            (ItemKind::Bullet, None),
            (ItemKind::Task, None),
            (ItemKind::Task, Some(10))
        ]
    );
    assert_eq!(c.stats.estimated_minutes, Some(90));
}

/// Numbered items with nothing in them are steps without text, never a crash (the check for a
/// table of contents looked past an item's first block).
#[test]
fn empty_numbered_items_are_empty_steps() {
    let c = model("# T\n\n1.\n2.\n\n- \n");
    let kinds: Vec<_> = items(&c).iter().map(|i| i.kind).collect();
    assert_eq!(kinds, [ItemKind::Step, ItemKind::Step, ItemKind::Bullet]);
}

/// A row's task: id, text, ticked, time, minutes and line.
type TaskRow<'a> = (&'a str, &'a str, bool, Option<&'a str>, Option<u32>, u32);

/// A table with one column of boxes is a table of tasks: each row a task, its text the main
/// cell, its id from that text (or the cell's `{#id}`), its time and duration from their
/// columns; the boxes count, and are not flagged as boxes Markdown does not know.
#[test]
fn table_of_tasks_rows_are_tasks() {
    let c = model(
        "# T\n\n## Cutover\n\n| # | Action | Owner | Time | Done |\n|---|---|---|---|---|\n\
         | 1 | Stop the writers | DBA | 09:00 | [ ] |\n| 2 | Snapshot `db` (15 min) {#snap} | DBA | | ✅ |\n\
         | 3 | Switch DNS for [HOST] | SRE | 09:30 | ⬜ |\n",
    );
    let Block::Table {
        kind,
        tick_column,
        items: rows,
        rows: cells,
        ..
    } = &c.sections[0].blocks[0]
    else {
        panic!("not a table: {:?}", c.sections[0].blocks[0]);
    };
    assert_eq!((*kind, *tick_column), (TableKind::Tasks, Some(4)));
    assert_eq!(
        cells[1][1], "Snapshot db (15 min)",
        "the explicit id left the cell"
    );
    let got: Vec<TaskRow> = rows
        .iter()
        .map(|i| {
            (
                i.id.as_str(),
                i.text.as_str(),
                i.checked,
                i.time.as_deref(),
                i.duration.as_ref().map(|d| d.minutes),
                i.line,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "cutover.stop-the-writers",
                "Stop the writers",
                false,
                Some("09:00"),
                None,
                7
            ),
            ("snap", "Snapshot db (15 min)", true, None, Some(15), 8),
            (
                "cutover.switch-dns-for-host",
                "Switch DNS for [HOST]",
                false,
                Some("09:30"),
                None,
                9
            ),
        ]
    );
    assert_eq!(rows[2].placeholders.len(), 1);
    assert_eq!((c.stats.tasks, c.stats.checked), (3, 1));
    assert_eq!(items(&c).len(), 3);
    assert!(
        c.diagnostics
            .iter()
            .all(|d| d.code != "near-miss-task-marker"),
        "{:?}",
        c.diagnostics
    );
}

/// Boxes in two columns are a matrix, not tasks; empty cells under a header that is not one of
/// boxes (`Notes`) are blanks, not boxes.
#[test]
fn tables_that_are_not_tables_of_tasks() {
    let c = model(
        "# T\n\n| Check | Staging | Production |\n|---|---|---|\n| Smoke tests | [ ] | [ ] |\n\n\
         | Step | Owner | Notes |\n|---|---|---|\n| Back up | DBA | |\n",
    );
    for block in &c.blocks {
        assert!(
            matches!(block, Block::Table { kind: TableKind::Other, items, .. } if items.is_empty()),
            "{block:?}"
        );
    }
    assert_eq!(c.stats.tasks, 0);
}

/// Regression: under a title that names a stage (`# Pre-Deployment Checklist`), sections that
/// name none (`Code`, `Database`) were `other`; they are a part of that stage. A title that
/// names the deployment itself gives no phase, and the front matter's `phase` wins.
#[test]
fn a_title_that_names_a_stage_gives_its_phase() {
    let c =
        model("# Pre-Deployment Checklist\n\n## Code\n\n- [ ] tag\n\n## Contacts\n\n- Ops: x\n");
    let phases: Vec<Phase> = c.sections.iter().map(|s| s.phase).collect();
    assert_eq!(phases, [Phase::PreDeployment, Phase::Contacts]);
    let c = model("# Production Deployment Checklist\n\n## Code\n\n- [ ] tag\n");
    assert_eq!(c.sections[0].phase, Phase::Other);
    let c =
        model("---\nphase: rollback\n---\n# Pre-Deployment Checklist\n\n## Code\n\n- [ ] tag\n");
    assert_eq!(c.sections[0].phase, Phase::Rollback);
}

/// Regression: a table of contents whose link says a heading's first words (`Monitoring` for
/// `## 📈 Monitoring Continu`) was read as steps.
#[test]
fn contents_may_shorten_a_heading() {
    let c = model(
        "# T\n\n## Sommaire\n\n1. [Rollback](#rollback)\n2. [Monitoring](#monitoring)\n\n\
         ## Rollback\n\n- [ ] Revenir\n\n## 📈 Monitoring Continu\n\n- [ ] Surveiller\n",
    );
    let kinds: Vec<_> = items(&c).iter().map(|i| i.kind).collect();
    assert_eq!(
        kinds,
        [
            ItemKind::Bullet,
            ItemKind::Bullet,
            ItemKind::Task,
            ItemKind::Task
        ]
    );
}

/// Regression: an id that is not one (`{#a b}`, `{#../etc}`) stayed in the item's text with no
/// word of why.
#[test]
fn an_invalid_explicit_id_is_reported() {
    let c = model("# T\n\n- [ ] Back up {#a b}\n- [ ] Restore {#../etc}\n- [ ] Ship {#ship}\n");
    let found: Vec<(&str, u32)> = c
        .diagnostics
        .iter()
        .filter(|d| d.code == "invalid-id")
        .map(|d| (d.message.as_str(), d.line))
        .collect();
    assert_eq!(
        found,
        [
            ("`{#a b}` is not an id, so it stays in the item's text", 3),
            (
                "`{#../etc}` is not an id, so it stays in the item's text",
                4
            ),
        ]
    );
    assert_eq!(items(&c)[2].id, "ship");
}

/// Review: a title that joins stages gives none to its sections, and a table of boxes inside a
/// list item stays a table (the item's tasks are its nested items).
#[test]
fn joined_stages_and_tables_in_items() {
    let c = model("# Deployment and Rollback Plan\n\n## Code\n\n- [ ] tag\n");
    assert_eq!(c.sections[0].phase, Phase::Other);
    let c =
        model("# T\n\n- [ ] Migrate\n\n  | Task | Done |\n  |---|---|\n  | Nested row | [ ] |\n");
    assert!(
        matches!(&items(&c)[0].blocks[0], Block::Table { kind: TableKind::Other, items, .. } if items.is_empty()),
        "{:?}",
        items(&c)[0].blocks
    );
}
