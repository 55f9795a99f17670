//! The example book: the model of each real checklist in `content/` has exactly what GitHub's
//! renderer finds in it, and its JSON is pinned by a snapshot.

mod common;

use common::{examples, model_of};
use preflight::model::{Block, Checklist, ItemKind};
use preflight::normalise::repair_mojibake;
use preflight::render::json;

/// (file stem, tasks, checked, tables, code blocks), as cmark-gfm counts them.
const EXPECTED: &[(&str, usize, usize, usize, usize)] = &[
    ("astro-axis-hr-platform", 126, 0, 2, 15),
    ("heypeter-academy-lms", 83, 0, 1, 0),
    ("invoice-discounting-platform", 59, 0, 0, 13),
    ("payments-platform", 111, 0, 0, 0),
    ("sme-receivable-platform", 161, 0, 0, 8),
];

#[test]
fn every_example_is_listed() {
    let stems: Vec<String> = examples()
        .iter()
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect();
    let expected: Vec<&str> = EXPECTED.iter().map(|e| e.0).collect();
    assert_eq!(stems, expected);
}

#[test]
fn counts_match_github() {
    for path in examples() {
        let c = model_of(&path);
        let (_, tasks, checked, tables, code) = EXPECTED
            .iter()
            .copied()
            .find(|e| c.id == e.0)
            .unwrap_or_else(|| panic!("no expectation for {}", c.id));
        let s = &c.stats;
        assert_eq!(
            (s.tasks, s.checked, s.tables, s.code_blocks),
            (tasks, checked, tables, code),
            "{}",
            c.id
        );
        let walked = c
            .walk_items()
            .filter(|(_, i)| i.kind == ItemKind::Task)
            .count();
        assert_eq!(walked, tasks, "{}: walk_items and stats disagree", c.id);
    }
}

/// Each task's text is its source line without the list marker, box and inline markup.
#[test]
fn task_text_is_what_a_reader_sees() {
    for path in examples() {
        let source = std::fs::read_to_string(&path).unwrap_or_default();
        let lines: Vec<&str> = source.lines().collect();
        let c = model_of(&path);
        for (_, item) in c.walk_items().filter(|(_, i)| i.is_task()) {
            let line = lines[item.line as usize - 1];
            let after_box = line.split_once("] ").map_or("", |(_, rest)| rest);
            let plain = after_box.replace("**", "").replace('`', "");
            let plain = repair_mojibake(&plain).map_or(plain.clone(), |(fixed, _)| fixed);
            assert_eq!(item.text, plain.trim(), "{}:{}", c.id, item.line);
        }
    }
}

fn find_example(stem: &str) -> Checklist {
    let path = examples()
        .into_iter()
        .find(|p| p.ends_with(format!("{stem}.md")))
        .unwrap_or_default();
    model_of(&path)
}

#[test]
fn sme_headings_are_clean_and_emoji_kept() {
    let c = find_example("sme-receivable-platform");
    let titles: Vec<(&str, Option<&str>)> = c
        .sections
        .iter()
        .map(|s| (s.title.as_str(), s.icon.as_deref()))
        .collect();
    assert_eq!(
        titles,
        [
            ("PRE-DEPLOYMENT CHECKLIST", Some("✅")),
            ("DEPLOYMENT STEPS", Some("🚀")),
            ("POST-DEPLOYMENT", Some("🔄")),
            ("ROLLBACK PROCEDURE", Some("🆘")),
            ("EMERGENCY CONTACTS", Some("📞")),
            ("SUCCESS CRITERIA", Some("✅")),
        ]
    );
    assert_eq!(c.sections[0].raw_title, "âœ… **PRE-DEPLOYMENT CHECKLIST**");
    let mojibake = c
        .diagnostics
        .iter()
        .filter(|d| d.code == "mojibake")
        .count();
    assert!(mojibake >= 6 + 10, "{mojibake} mojibake diagnostics");
}

#[test]
fn sme_declared_counts_are_checked() {
    let c = find_example("sme-receivable-platform");
    let monitoring = c
        .walk_sections()
        .find(|s| s.title == "Monitoring & Observability");
    let monitoring = monitoring.unwrap_or_else(|| panic!("section missing"));
    assert_eq!(
        (monitoring.number.as_deref(), monitoring.declared_count),
        (Some("6"), Some(10))
    );
    let mismatches: Vec<(u32, u32, &str)> = c
        .diagnostics
        .iter()
        .filter(|d| d.code == "declared-count-mismatch")
        .map(|d| (d.line, d.column, d.message.as_str()))
        .collect();
    assert_eq!(
        mismatches,
        [
            (59, 27, "heading declares 8 items but the section holds 9"),
            (
                126,
                35,
                "heading declares 10 items but the section holds 12"
            ),
        ]
    );
    let declared = c
        .walk_sections()
        .filter(|s| s.declared_count.is_some())
        .count();
    assert_eq!(declared, 10);
}

#[test]
fn sign_off_fields_and_choices() {
    let c = find_example("invoice-discounting-platform");
    let sign_off = c
        .sections
        .iter()
        .find(|s| s.title == "Sign-Off")
        .unwrap_or_else(|| panic!("no sign-off"));
    let fields: Vec<_> = sign_off
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Fields { fields, .. } => Some(fields),
            _ => None,
        })
        .flatten()
        .collect();
    let labels: Vec<&str> = fields.iter().map(|f| f.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Deployed By",
            "Date",
            "Time",
            "Verified By",
            "Date",
            "Status",
            "Document Owner",
            "Review Frequency"
        ]
    );
    assert!(fields[0].blank);
    let choices: Vec<&str> = fields[5].choices.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(choices, ["Success", "Rolled Back", "Partial"]);
    assert_eq!(c.meta.owner.as_deref(), Some("DevOps Team"));
    assert_eq!(c.meta.review_frequency.as_deref(), Some("Per deployment"));
}

#[test]
fn json_snapshots() {
    for path in examples() {
        let c = model_of(&path);
        let name = format!("example-{}", c.id);
        let bytes = json::to_bytes(&json::checklist_document(c), true).unwrap_or_default();
        insta::assert_snapshot!(name, String::from_utf8_lossy(&bytes));
    }
}
