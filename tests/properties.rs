//! Properties of the pipeline: ids are stable under edits, any input normalises without panic,
//! and the model round-trips through JSON.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use common::model;
use proptest::prelude::*;

const SECTIONS: [&str; 3] = ["Pre-Deployment", "Deployment", "Rollback"];

/// Markdown with the given (section, text) items, grouped under their sections in order given.
fn render(items: &[(usize, String)]) -> String {
    let mut md = String::from("# Runbook\n");
    for (s, title) in SECTIONS.iter().enumerate() {
        let _ = write!(md, "\n## {title}\n\n");
        for (_, text) in items.iter().filter(|(sec, _)| *sec == s) {
            let _ = writeln!(md, "- [ ] {text}");
        }
    }
    md
}

fn ids_by_text(md: &str) -> BTreeMap<String, String> {
    model(md)
        .walk_items()
        .map(|(_, i)| (i.text.clone(), i.id.clone()))
        .collect()
}

fn item_texts() -> impl Strategy<Value = Vec<(usize, String)>> {
    prop::collection::btree_set("[a-z]{3,8}( [a-z]{2,8}){0,5}", 1..25).prop_flat_map(|texts| {
        let texts: Vec<String> = texts.into_iter().collect();
        let n = texts.len();
        (Just(texts), prop::collection::vec(0..SECTIONS.len(), n))
            .prop_map(|(texts, secs)| secs.into_iter().zip(texts).collect())
    })
}

proptest! {
    #[test]
    fn ids_survive_insert_delete_and_reorder(
        items in item_texts(),
        extra in prop::collection::btree_set("[A-Z][a-z]{3,8}( [a-z]{2,8}){0,3}", 0..5),
        seed in any::<u64>(),
        drop_every in 2usize..6,
    ) {
        let before = ids_by_text(&render(&items));
        let mut edited: Vec<(usize, String)> = items
            .iter()
            .enumerate()
            .filter(|(i, _)| i % drop_every != 0)
            .map(|(_, it)| it.clone())
            .collect();
        // A deterministic shuffle driven by the seed.
        let len = edited.len();
        for i in (1..len).rev() {
            let j = (seed.rotate_left(i as u32) as usize) % (i + 1);
            edited.swap(i, j);
        }
        for (k, text) in extra.into_iter().enumerate() {
            let at = (seed as usize + k) % (edited.len() + 1);
            edited.insert(at, (k % SECTIONS.len(), text));
        }
        let after = ids_by_text(&render(&edited));
        for (_, text) in &edited {
            if let (Some(old), Some(new)) = (before.get(text), after.get(text)) {
                prop_assert_eq!(old, new, "id of {:?} changed", text);
            }
        }
        let unique: BTreeSet<&String> = after.values().collect();
        prop_assert_eq!(unique.len(), after.len(), "ids are unique");
    }

    /// Regression: a task whose text matched a later heading took the heading's id, renaming
    /// the section and every item in it.
    #[test]
    fn section_ids_do_not_depend_on_items(
        items in prop::collection::vec((0usize..4, prop::sample::select(vec!["Deploy", "Verify", "Rollback", "Notes"])), 0..12),
    ) {
        // Items go before the first heading (0) or into section 1, 2 or 3.
        let md = |items: &[(usize, &str)]| {
            let mut md = String::from("# Runbook\n\n");
            let heads = ["## Deploy\n\n", "### Verify\n\n", "## Rollback\n\n"];
            for at in 0..=heads.len() {
                for (_, text) in items.iter().filter(|(s, _)| *s == at) {
                    let _ = writeln!(md, "- [ ] {text}");
                }
                if let Some(head) = heads.get(at) {
                    md.push('\n');
                    md.push_str(head);
                }
            }
            md
        };
        let ids = |md: &str| model(md).walk_sections().map(|s| s.id.clone()).collect::<Vec<_>>();
        prop_assert_eq!(ids(&md(&items)), ids(&md(&[])));
    }

    #[test]
    fn any_input_normalises(text in "(?s)[-*+#>|`\\[\\]x _\n0-9a-zA-Z:{}()<>!]{0,400}") {
        let c = model(&text);
        let json = serde_json::to_string(&c).unwrap_or_default();
        let back: preflight::model::Checklist = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"));
        prop_assert_eq!(back, c);
    }

    #[test]
    fn the_tasks_of_the_phases_add_up_to_all_the_tasks(text in "(?s)(#{1,3} (Deploy|Rollback|Notes)\n|- \\[[ x]\\] [a-z]{1,6}\n|  - \\[ \\] [a-z]{1,6}\n|\n|[a-z ]{1,8}\n){0,30}") {
        let c = model(&text);
        let (tasks, checked) = c.stats.phases.iter().fold((0, 0), |(t, k), p| (t + p.tasks, k + p.checked));
        prop_assert_eq!((tasks, checked), (c.stats.tasks, c.stats.checked), "{}", text);
    }

    #[test]
    fn admonitions_keep_every_position_in_the_source(text in "(?s)(!!! note\n|:::note\n|:::\n|::: tip T\n|\\?\\?\\?\\+ tip \"é\"\n|é|    |\t|\n|\r\n|- \\[ \\] x|1\\. s|```\n|x<A>|> ){0,40}") {
        let c = model(&text);
        for (_, item) in c.walk_items() {
            let lines = text.split_inclusive('\n').count().max(1);
            prop_assert!(item.line >= 1 && item.line as usize <= lines, "line {} of {}: {:?}", item.line, lines, text);
        }
        for d in &c.diagnostics {
            prop_assert!(d.line as usize <= text.split_inclusive('\n').count().max(1), "{:?} in {:?}", d, text);
        }
    }

    #[test]
    fn normalising_is_deterministic(text in "(?s)[-*#\\[\\]x \n a-z:]{0,200}") {
        prop_assert_eq!(model(&text), model(&text));
    }
}
