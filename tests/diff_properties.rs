//! Properties of the semantic diff, on generated checklists: a checklist against itself has no
//! changes; swapping the sides swaps added and removed; rewording one item is one `changed`
//! item, not a removal and an addition; reordering items is only `moved`.

use std::fmt::Write as _;

use preflight::diff::{self, DiffDocument, Summary};
use preflight::model::Checklist;
use preflight::pipeline;
use proptest::prelude::*;

const WORDS: &[&str] = &[
    "check",
    "deploy",
    "backup",
    "database",
    "notify",
    "team",
    "verify",
    "logs",
    "restart",
    "service",
    "cache",
    "purge",
    "monitor",
    "alerts",
    "rollback",
    "release",
    "tag",
    "merge",
    "freeze",
    "schema",
    "migration",
    "traffic",
    "canary",
    "health",
    "endpoint",
    "token",
];

/// A checklist: sections, each a list of item texts (unique over the checklist).
type Outline = Vec<Vec<String>>;

fn outline() -> impl Strategy<Value = Outline> {
    prop::collection::vec(
        prop::collection::vec(prop::collection::vec(0..WORDS.len(), 2..6), 1..8),
        1..5,
    )
    .prop_map(|sections| {
        let mut n = 0;
        sections
            .into_iter()
            .map(|items| {
                items
                    .into_iter()
                    .map(|words| {
                        n += 1;
                        let mut text: Vec<&str> = words.iter().map(|&w| WORDS[w]).collect();
                        let unique = format!("step{n}");
                        text.push(&unique);
                        text.join(" ")
                    })
                    .collect()
            })
            .collect()
    })
}

fn markdown(outline: &Outline) -> String {
    let mut out = String::from("# Generated checklist\n");
    for (i, items) in outline.iter().enumerate() {
        let _ = write!(out, "\n## Section {}\n\n", WORDS[i % WORDS.len()]);
        for item in items {
            let _ = writeln!(out, "- [ ] {item}");
        }
    }
    out
}

fn model(outline: &Outline) -> Checklist {
    parsed(&markdown(outline))
}

fn parsed(markdown: &str) -> Checklist {
    pipeline::from_bytes("content/generated.md", "generated", markdown.as_bytes()).checklist
}

/// `outline` with every section titled "Notes", so that section ids are `notes`, `notes-2`…
fn namesakes(outline: &Outline) -> String {
    let mut out = String::from("# Generated checklist\n");
    for items in outline {
        out.push_str("\n## Notes\n\n");
        for item in items {
            let _ = writeln!(out, "- [ ] {item}");
        }
    }
    out
}

fn diff_of(old: &Outline, new: &Outline) -> DiffDocument {
    diff::diff("old", "new", &[model(old)], &[model(new)])
}

/// (added, removed, changed, moved) items.
fn items(s: &Summary) -> (usize, usize, usize, usize) {
    (
        s.items_added,
        s.items_removed,
        s.items_changed,
        s.items_moved,
    )
}

/// A variant of `outline`: some items dropped, some added, some reworded.
fn mutate(outline: &Outline, seed: &[u8]) -> Outline {
    let mut out = outline.clone();
    for (k, &b) in seed.iter().enumerate() {
        let s = usize::from(b) % out.len();
        let section = &mut out[s];
        match b % 4 {
            0 if !section.is_empty() => {
                let i = usize::from(b) % section.len();
                section.remove(i);
            }
            1 => section.push(format!("brand new task number{k}")),
            2 if !section.is_empty() => {
                let i = usize::from(b) % section.len();
                section[i].push_str(" again");
            }
            _ => {}
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn a_checklist_against_itself_has_no_changes(a in outline()) {
        let doc = diff_of(&a, &a);
        prop_assert!(!doc.summary.has_changes(), "{doc:#?}");
        prop_assert!(doc.checklists.is_empty());
        prop_assert_eq!(items(&doc.summary), (0, 0, 0, 0));
    }

    #[test]
    fn swapping_the_sides_swaps_added_and_removed(
        a in outline(),
        seed in prop::collection::vec(any::<u8>(), 1..6),
    ) {
        let b = mutate(&a, &seed);
        let forward = diff_of(&a, &b).summary;
        let backward = diff_of(&b, &a).summary;
        prop_assert_eq!(forward.items_added, backward.items_removed);
        prop_assert_eq!(forward.items_removed, backward.items_added);
        prop_assert_eq!(forward.items_changed, backward.items_changed);
    }

    #[test]
    fn rewording_one_item_is_one_change(a in outline(), pick in any::<prop::sample::Index>()) {
        let all: Vec<(usize, usize)> = a
            .iter()
            .enumerate()
            .flat_map(|(s, items)| (0..items.len()).map(move |i| (s, i)))
            .collect();
        let (s, i) = all[pick.index(all.len())];
        let mut b = a.clone();
        b[s][i] = format!("{} right away", b[s][i]);
        let doc = diff_of(&a, &b);
        prop_assert_eq!(items(&doc.summary), (0, 0, 1, 0), "{:#?}", doc);
    }

    #[test]
    fn reordering_items_is_only_moves(
        a in outline(),
        shuffle in prop::collection::vec(any::<prop::sample::Index>(), 1..4),
    ) {
        let mut b = a.clone();
        for index in &shuffle {
            let s = index.index(b.len());
            let n = b[s].len();
            if n > 1 {
                let i = index.index(n);
                let item = b[s].remove(i);
                b[s].insert((i + 1) % n, item);
            }
        }
        let doc = diff_of(&a, &b);
        let (added, removed, changed, moved) = items(&doc.summary);
        prop_assert_eq!((added, removed, changed), (0, 0, 0), "{:#?}", doc);
        prop_assert_eq!(moved > 0, a != b);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Regression: sections with one title get ids by their order, so a section inserted
    /// before its namesakes took their ids, and the diff paired each section with the one
    /// before it and called their items moved.
    #[test]
    fn a_section_inserted_among_namesakes_only_adds(
        a in outline(),
        at in any::<prop::sample::Index>(),
        shared in any::<bool>(),
    ) {
        let mut b = a.clone();
        let mut inserted = vec!["read the plan first".to_owned()];
        if shared {
            // An item text that the other sections have too.
            for section in &mut b {
                section.push("check the logs".into());
            }
            inserted.push("check the logs".into());
        }
        let a = if shared { b.clone() } else { a };
        b.insert(at.index(b.len() + 1), inserted.clone());
        let doc = diff::diff("old", "new", &[parsed(&namesakes(&a))], &[parsed(&namesakes(&b))]);
        prop_assert_eq!(items(&doc.summary), (inserted.len(), 0, 0, 0), "{:#?}", doc);
        prop_assert_eq!(doc.summary.sections_added, 1);
    }
}

/// Regression: two untitled files with the same content were "changed", their titles (made
/// from their names) differing.
#[test]
fn untitled_files_of_different_names_are_the_same_checklist() {
    let side =
        |path: &str, id: &str| pipeline::from_bytes(path, id, b"- [ ] a\n- [ ] b\n").checklist;
    let doc = diff::diff(
        "old",
        "new",
        &[side("old.md", "old")],
        &[side("new.md", "old")],
    );
    assert!(!doc.summary.has_changes(), "{doc:#?}");
    let titled = pipeline::from_bytes("new.md", "old", b"# Deploy\n\n- [ ] a\n- [ ] b\n").checklist;
    let doc = diff::diff("old", "new", &[side("old.md", "old")], &[titled]);
    assert_eq!(doc.summary.meta_changed, 1, "{doc:#?}");
    assert!(
        doc.summary.line().ends_with("; 1 metadata field changed"),
        "{}",
        doc.summary.line()
    );
}

/// Regression: an item reworded and moved was counted as changed only, and the summary said
/// "0 moved".
#[test]
fn a_reworded_item_that_moved_is_counted_as_both() {
    let a: Outline = vec![
        vec![
            "back up the main database now".into(),
            "freeze merges".into(),
        ],
        vec!["deploy the web tier".into()],
    ];
    let b: Outline = vec![
        vec!["freeze merges".into()],
        vec![
            "deploy the web tier".into(),
            "back up the main database today".into(),
        ],
    ];
    let doc = diff_of(&a, &b);
    assert_eq!(items(&doc.summary), (0, 0, 1, 0), "{doc:#?}");
    assert_eq!(doc.summary.items_changed_and_moved, 1);
    assert!(
        doc.summary
            .line()
            .contains("1 changed (1 also moved), 0 moved"),
        "{}",
        doc.summary.line()
    );
}

#[test]
fn moving_an_item_to_another_section_is_one_move() {
    let a: Outline = vec![
        vec!["back up the database".into(), "freeze merges".into()],
        vec!["deploy the web tier".into()],
    ];
    let b: Outline = vec![
        vec!["freeze merges".into()],
        vec!["deploy the web tier".into(), "back up the database".into()],
    ];
    let doc = diff_of(&a, &b);
    assert_eq!(items(&doc.summary), (0, 0, 0, 1), "{doc:#?}");
}

/// Regression: a checklist renamed while it kept four of its six items and gained three was
/// "removed" and "added" when another checklist was added too: the share was taken of the
/// items of both sides together (4 of 9), not of the larger one (4 of 7).
#[test]
fn a_renamed_checklist_that_kept_most_of_its_items_is_paired() {
    let checklist = |path: &str, id: &str, title: &str, items: &[&str]| {
        let body = items.iter().fold(String::new(), |mut body, i| {
            let _ = writeln!(body, "- [ ] {i}");
            body
        });
        pipeline::from_bytes(path, id, format!("# {title}\n\n{body}").as_bytes()).checklist
    };
    let old = [checklist(
        "deploy.md",
        "deploy",
        "Deploy",
        &[
            "freeze",
            "back up",
            "migrate",
            "roll out",
            "smoke test",
            "announce",
        ],
    )];
    let new = [
        checklist(
            "deploy-web.md",
            "deploy-web",
            "Deploy the web tier",
            &[
                "freeze",
                "back up",
                "migrate",
                "roll out",
                "warm caches",
                "purge CDN",
                "notify",
            ],
        ),
        checklist("other.md", "other", "Other", &["unrelated"]),
    ];
    let pairs = diff::pair_checklists(&old, &new);
    assert_eq!(pairs.old_of(0), Some(0));
    assert_eq!(pairs.old_of(1), None);
}

/// Regression: a renamed section that held only sub-sections was "added" and "removed", its
/// sub-sections "moved" from one to the other; it is one renamed section, and the sub-sections
/// and their items did not change.
#[test]
fn a_renamed_section_of_sub_sections_is_renamed() {
    let md = |title: &str| {
        format!(
            "# Deploy\n\n## {title}\n\n### Code\n\n- [ ] tag the release\n- [ ] build images\n\n\
             ### Database\n\n- [ ] back up\n\n## Rollback\n\n### Undo\n\n- [ ] revert\n"
        )
    };
    let old = pipeline::from_bytes("d.md", "d", md("Pre-deployment").as_bytes()).checklist;
    let new = pipeline::from_bytes("d.md", "d", md("Preparation").as_bytes()).checklist;
    let diff = preflight::diff::diff_checklist(&old, &new);
    let sections: Vec<_> = diff
        .sections
        .iter()
        .map(|s| (s.status, s.title.as_str(), s.old_title.as_deref(), s.moved))
        .collect();
    assert_eq!(
        sections,
        [(
            preflight::diff::model::Status::Changed,
            "Preparation",
            Some("Pre-deployment"),
            false
        )],
        "{diff:#?}"
    );
    assert!(diff.items.is_empty(), "{diff:#?}");
}

/// A section of a diff: (status, title, old title, moved).
type SectionRow = (preflight::diff::model::Status, String, Option<String>, bool);

/// The sections of the diff of `old` and `new`, and the diff.
fn section_changes(old: &str, new: &str) -> (Vec<SectionRow>, preflight::diff::ChecklistDiff) {
    let old = pipeline::from_bytes("d.md", "d", old.as_bytes()).checklist;
    let new = pipeline::from_bytes("d.md", "d", new.as_bytes()).checklist;
    let diff = preflight::diff::diff_checklist(&old, &new);
    let sections = diff
        .sections
        .iter()
        .map(|s| (s.status, s.title.clone(), s.old_title.clone(), s.moved))
        .collect();
    (sections, diff)
}

/// Regression: with `Staging` and `Production` listing the same steps, renaming `Staging` was
/// a section added, one removed and every step moved: the steps' texts were not unique, so they
/// paired only after the sections had been matched.
#[test]
fn a_renamed_section_whose_steps_a_sibling_repeats_is_renamed() {
    let md = |first: &str, second: &str| {
        format!(
            "# Deploy\n\n## {first}\n\n- [ ] Deploy the build\n- [ ] Run smoke tests\n\n\
             ## {second}\n\n- [ ] Deploy the build\n- [ ] Run smoke tests\n"
        )
    };
    let renamed = |old: &str, new: &str| {
        (
            preflight::diff::model::Status::Changed,
            new.to_owned(),
            Some(old.to_owned()),
            false,
        )
    };
    let (sections, diff) = section_changes(
        &md("Staging", "Production"),
        &md("Pre-production", "Production"),
    );
    assert_eq!(
        sections,
        [renamed("Staging", "Pre-production")],
        "{diff:#?}"
    );
    assert!(diff.items.is_empty(), "{diff:#?}");
    let (sections, diff) = section_changes(&md("Staging", "Production"), &md("Staging", "Live"));
    assert_eq!(sections, [renamed("Production", "Live")], "{diff:#?}");
    assert!(diff.items.is_empty(), "{diff:#?}");
}

/// Regression: a section renamed while most of its steps were reworded or removed was a
/// section added and one removed, its reworded steps removed and added; in its place between
/// the same neighbours, with a step that went to it, it is the same section.
#[test]
fn a_renamed_section_in_its_place_keeps_its_reworded_steps() {
    let old = "# W\n\n## Pre-deployment\n\n- [ ] Notify the team in #deploys\n\
               - [ ] Check the error budget\n- [ ] Run `npm ci --production`\n\n\
               ## Deploy\n\n- [ ] Ship it\n";
    let new = "# W\n\n## Preparation\n\n- [ ] Notify the team in #deploys\n\
               - [ ] Run `npm ci --omit=dev`\n\n## Deploy\n\n- [ ] Ship it\n";
    let (sections, diff) = section_changes(old, new);
    assert_eq!(
        sections,
        [(
            preflight::diff::model::Status::Changed,
            "Preparation".to_owned(),
            Some("Pre-deployment".to_owned()),
            false
        )],
        "{diff:#?}"
    );
    assert_eq!(items(&diff.summary), (0, 1, 1, 0), "{diff:#?}");
    // A section in the same place whose steps are all new is another section.
    let replaced = "# W\n\n## Feature flags\n\n- [ ] Turn on the new checkout\n\n\
                    ## Deploy\n\n- [ ] Ship it\n";
    let (sections, diff) = section_changes(old, replaced);
    assert_eq!(sections.len(), 2, "{diff:#?}");
}

/// Regression: one step in common (`Notify the team`) made a section replaced by another in
/// the same place a rename, and so did two sections without items.
#[test]
fn a_section_replaced_in_its_place_is_not_a_rename() {
    let old = "# W\n\n## Prepare\n\n- [ ] a\n\n## Deploy to staging\n\n- [ ] Notify the team\n\
               - [ ] Build the image\n- [ ] Push the image\n\n## Background\n\nSome prose.\n\n\
               ## Wrap up\n\n- [ ] b\n";
    let new = "# W\n\n## Prepare\n\n- [ ] a\n\n## Roll back production\n\n- [ ] Notify the team\n\
               - [ ] Revert the release\n- [ ] Restore the database\n- [ ] Purge caches\n\n\
               ## Contacts\n\nOther prose.\n\n## Wrap up\n\n- [ ] b\n";
    let (sections, diff) = section_changes(old, new);
    let statuses: Vec<_> = sections.iter().map(|s| s.0).collect();
    assert!(
        !statuses.contains(&preflight::diff::model::Status::Changed),
        "{diff:#?}"
    );
    assert_eq!(sections.len(), 4, "{diff:#?}");
}

/// A row added to a table of tasks is one task added; the rows after it, renumbered, are not
/// changed.
#[test]
fn a_row_added_to_a_table_of_tasks_is_a_task_added() {
    let md = |rows: &str| {
        format!(
            "# Deploy\n\n## Cutover\n\n| # | Action | Owner | Done |\n|---|---|---|---|\n{rows}\n## Rollback\n\n- [ ] revert\n"
        )
    };
    let old = md("| 1 | Stop the writers | DBA | [ ] |\n| 2 | Switch DNS | SRE | [ ] |\n");
    let new = md(
        "| 1 | Stop the writers | DBA | [ ] |\n| 2 | Snapshot the database | DBA | [ ] |\n| 3 | Switch DNS | SRE | [ ] |\n",
    );
    let old = pipeline::from_bytes("d.md", "d", old.as_bytes()).checklist;
    let new = pipeline::from_bytes("d.md", "d", new.as_bytes()).checklist;
    let diff = preflight::diff::diff_checklist(&old, &new);
    let items: Vec<_> = diff
        .items
        .iter()
        .map(|i| (i.status, i.text.as_str()))
        .collect();
    assert_eq!(
        items,
        [(
            preflight::diff::model::Status::Added,
            "Snapshot the database"
        )],
        "{diff:#?}"
    );
    assert_eq!(diff.summary.items_added, 1);
    assert_eq!(diff.summary.items_changed + diff.summary.items_moved, 0);
}

/// Review: an owner changed in a table of tasks was not reported, as only the tasks' text, box,
/// time and duration were compared.
#[test]
fn another_cell_of_a_table_of_tasks_changed_is_reported() {
    let md = |owner: &str| {
        format!(
            "# Deploy\n\n## Cutover\n\n| Task | Owner | Done |\n|---|---|---|\n| Stop the writers | {owner} | [ ] |\n"
        )
    };
    let old = pipeline::from_bytes("d.md", "d", md("DBA").as_bytes()).checklist;
    let new = pipeline::from_bytes("d.md", "d", md("Bob").as_bytes()).checklist;
    let diff = preflight::diff::diff_checklist(&old, &new);
    let shown = format!("{diff:?}");
    assert!(shown.contains("DBA") && shown.contains("Bob"), "{diff:#?}");
    assert!(diff.items.is_empty(), "{diff:#?}");
}
