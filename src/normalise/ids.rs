//! Stable ids for sections and items.
//!
//! A section's id is its explicit `{#id}`, else the slugs of its own and its ancestors' titles
//! joined by `.`; numbers and emoji are not part of it, so renumbering does not change ids. An
//! item's id is its explicit `{#id}`, else its section's id and a slug of its text. Neither
//! depends on position, so adding, removing or reordering other items leaves ids alone. Explicit
//! ids are reserved first, then sections' derived ids, then items'; a later duplicate gets
//! `-2`, `-3`… in document order.

use std::collections::{HashMap, HashSet};

use foldhash::fast::RandomState;

use super::text::slug;
use crate::diag::{Diagnostic, Position, Severity};
use crate::model::{Block, Checklist, Item, Section};

/// Element ids of the site's own page parts. A section's id is its anchor on the page, so a
/// top-level section titled "Progress" or "Checklists" gets `progress-section` instead: two
/// elements with one id would break the page's script and links. Parts added later have ids
/// with `_` (`pf_diagnostics`), which no slug has, so they take no name from a section.
const PAGE_IDS: [&str; 16] = [
    "checklists",
    "export-run",
    "hide-done",
    "import-run",
    "main",
    "missing-notice",
    "operator",
    "phase-filter",
    "progress",
    "progress-bar",
    "reset-run",
    "search-hint",
    "search-input",
    "search-results",
    "search-status",
    "version-switcher",
];

/// The anchors GitHub gives the headings of the checklist, for the sections whose own id differs
/// (`#rollback-plan-15-minutes` for `## Rollback Plan (15 minutes)`, whose id is
/// `rollback-plan`), keyed by section id. Pages carry them as extra anchors, so links written for
/// GitHub work there too. GitHub's rules: lower case, punctuation dropped, spaces as `-`, and
/// `-1`, `-2`… for a repeated heading. The title is not counted (it may come from front matter,
/// where GitHub has no heading). An anchor that would be another element's id on the page is
/// left out.
#[must_use]
pub fn github_anchors(checklist: &Checklist) -> HashMap<String, String> {
    let sections: HashSet<&str> = checklist.walk_sections().map(|s| s.id.as_str()).collect();
    // Item ids are gathered only if an anchor could be one's element id (`item-<id>`).
    let mut items: Option<HashSet<&str>> = None;
    let mut element_id = |anchor: &str| {
        PAGE_IDS.contains(&anchor)
            || sections.contains(anchor)
            || anchor
                .strip_prefix("h-")
                .is_some_and(|id| sections.contains(id))
            || anchor.strip_prefix("item-").is_some_and(|id| {
                items
                    .get_or_insert_with(|| {
                        checklist
                            .walk_items()
                            .map(|(_, item)| item.id.as_str())
                            .collect()
                    })
                    .contains(id)
            })
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut count = |slug: String| {
        let n = seen.entry(slug.clone()).or_insert(0);
        *n += 1;
        if *n == 1 {
            slug
        } else {
            format!("{slug}-{}", *n - 1)
        }
    };
    let mut given: HashSet<String> = HashSet::new();
    let mut out = HashMap::new();
    for s in checklist.walk_sections() {
        let anchor = count(github_slug(&s.raw_title));
        if anchor != s.id
            && !anchor.is_empty()
            && !anchor.starts_with("fn:")
            && !element_id(&anchor)
            && given.insert(anchor.clone())
        {
            out.insert(s.id.clone(), anchor);
        }
    }
    out
}

/// The anchor GitHub gives the checklist's title heading (`#deploy-guide` for `# Deploy
/// Guide`), which "back to top" links name; its page gives it to the title. `None` when it would
/// be another element's id on the page, or is one of `aliases` (from [`github_anchors`]).
#[must_use]
pub fn title_anchor<S: std::hash::BuildHasher>(
    checklist: &Checklist,
    aliases: &HashMap<String, String, S>,
) -> Option<String> {
    let anchor = github_slug(&checklist.raw_title);
    let taken = |id: &str| {
        PAGE_IDS.contains(&id)
            || id.starts_with("fn:")
            || checklist
                .walk_sections()
                .any(|s| s.id == id || id.strip_prefix("h-") == Some(s.id.as_str()))
            || id
                .strip_prefix("item-")
                .is_some_and(|item| checklist.walk_items().any(|(_, i)| i.id == item))
            || aliases.values().any(|a| a == id)
    };
    (!anchor.is_empty() && !taken(&anchor)).then_some(anchor)
}

/// The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as `-`.
fn github_slug(title: &str) -> String {
    title
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// Slugs longer than this are cut and given a hash of the full text, so ids stay short.
const MAX_SLUG: usize = 64;

/// Assigns ids to every section and item of the checklist.
pub(super) fn assign(checklist: &mut Checklist, diagnostics: &mut Vec<Diagnostic>) {
    let mut taken = Taken::default();
    reserve_explicit(checklist, &mut taken, diagnostics);
    derive(checklist, &mut taken);
    keep_element_ids_unique(checklist, &mut taken, diagnostics);
}

/// Gives every section and item without an explicit id a derived one. Sections come first, so
/// an item never takes the id of a section (`- [ ] Update dependencies` above
/// `## Update dependencies`): adding an item must not rename a section and all its items.
fn derive(checklist: &mut Checklist, taken: &mut Taken) {
    derive_sections(checklist, taken);
    for block in &mut checklist.blocks {
        assign_block(block, "", taken);
    }
    let mut stack: Vec<&mut Section> = checklist.sections.iter_mut().rev().collect();
    while let Some(section) = stack.pop() {
        for block in &mut section.blocks {
            assign_block(block, &section.id, taken);
        }
        stack.extend(section.sections.iter_mut().rev());
    }
}

/// Gives every section without an explicit id a derived one, in document order.
fn derive_sections(checklist: &mut Checklist, taken: &mut Taken) {
    let mut stack: Vec<(&mut Section, String)> = checklist
        .sections
        .iter_mut()
        .rev()
        .map(|s| (s, String::new()))
        .collect();
    while let Some((section, parent)) = stack.pop() {
        if section.id.is_empty() {
            let own = non_empty(slug(&section.title), "section");
            let base = if parent.is_empty() {
                if PAGE_IDS.contains(&own.as_str()) {
                    format!("{own}-section")
                } else {
                    own
                }
            } else {
                format!("{parent}.{own}")
            };
            section.id = unique(&base, taken);
        }
        let id = section.id.clone();
        stack.extend(section.sections.iter_mut().rev().map(|s| (s, id.clone())));
    }
}

/// On a checklist's page a section's element id is its id and its heading's is `h-<id>`; an
/// item's is `item-<id>` and a footnote's `fn:<label>`. A section whose id would give an
/// element id already on the page (`{#main}`, `{#item-x}` beside item `x`, `{#h-rollback}`
/// beside section `rollback`) gets `-section` added, with a warning when the id was written.
fn keep_element_ids_unique(
    checklist: &mut Checklist,
    taken: &mut Taken,
    diagnostics: &mut Vec<Diagnostic>,
) {
    // Most checklists have no section id that could clash: skip building the sets for them.
    let suspect = |id: &str| {
        PAGE_IDS.contains(&id)
            || id.starts_with("fn:")
            || id.starts_with("item-")
            || id.starts_with("h-")
    };
    if !checklist.walk_sections().any(|s| suspect(&s.id)) {
        return;
    }
    let items: HashSet<String> = checklist
        .walk_items()
        .map(|(_, i)| format!("item-{}", i.id))
        .collect();
    let sections: HashSet<String> = checklist.walk_sections().map(|s| s.id.clone()).collect();
    let clashes = |id: &str| {
        PAGE_IDS.contains(&id)
            || id.starts_with("fn:")
            || items.contains(id)
            || id.strip_prefix("h-").is_some_and(|s| sections.contains(s))
    };
    if !sections.iter().any(|id| clashes(id)) {
        return;
    }
    let mut stack: Vec<&mut Section> = checklist.sections.iter_mut().rev().collect();
    while let Some(section) = stack.pop() {
        if clashes(&section.id) {
            let new = unique(&format!("{}-section", section.id), taken);
            diagnostics.push(
                Diagnostic::new(
                    "duplicate-id",
                    Severity::Warning,
                    format!(
                        "section id `{}` is also an element of the checklist's page; the section gets `{new}`",
                        section.id
                    ),
                    Position::line(section.line),
                )
                .with_hint("choose another `{#id}` for the section"),
            );
            section.id = new;
        }
        stack.extend(section.sections.iter_mut().rev());
    }
}

/// Explicit ids claim their names before any derived id, in document order; duplicates among
/// them are reported and suffixed.
fn reserve_explicit(
    checklist: &mut Checklist,
    taken: &mut Taken,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut claims: Vec<(&mut String, u32)> = Vec::new();
    let mut sections: Vec<&mut Section> = checklist.sections.iter_mut().collect();
    let mut items: Vec<&mut Item> = checklist
        .blocks
        .iter_mut()
        .flat_map(block_items_mut)
        .collect();
    while let Some(section) = sections.pop() {
        items.extend(section.blocks.iter_mut().flat_map(block_items_mut));
        sections.extend(section.sections.iter_mut());
        claims.push((&mut section.id, section.line));
    }
    while let Some(item) = items.pop() {
        items.extend(item.children.iter_mut());
        items.extend(item.blocks.iter_mut().flat_map(block_items_mut));
        claims.push((&mut item.id, item.line));
    }
    claims.retain(|(id, _)| !id.is_empty());
    claims.sort_by_key(|(_, line)| *line);
    // Every explicit id is claimed before any duplicate gets a suffix, so a suffix never takes
    // an id written later in the file (`{#x}`, `{#x}`, `{#x-2}`).
    let mut repeated = Vec::new();
    for (id, line) in claims {
        if !taken.insert(id.clone()) {
            repeated.push((id, line));
        }
    }
    for (id, line) in repeated {
        diagnostics.push(
            Diagnostic::new(
                "duplicate-id",
                Severity::Error,
                format!("id `{id}` is used more than once"),
                Position::line(line),
            )
            .with_hint("give each item and section its own `{#id}`"),
        );
        *id = unique(id, taken);
    }
}

fn block_items_mut(block: &mut Block) -> Vec<&mut Item> {
    match block {
        Block::List { items, .. } | Block::Table { items, .. } => items.iter_mut().collect(),
        Block::Quote { blocks, .. } => blocks.iter_mut().flat_map(block_items_mut).collect(),
        _ => Vec::new(),
    }
}

fn assign_block(block: &mut Block, section: &str, taken: &mut Taken) {
    let mut items: Vec<&mut Item> = block_items_mut(block);
    items.reverse();
    while let Some(item) = items.pop() {
        if item.id.is_empty() {
            let own = text_slug(&item.text);
            let base = if section.is_empty() {
                own
            } else {
                format!("{section}.{own}")
            };
            item.id = unique(&base, taken);
        }
        if item.children.is_empty() && item.blocks.is_empty() {
            continue;
        }
        let mut nested: Vec<&mut Item> = item.children.iter_mut().collect();
        for b in &mut item.blocks {
            nested.extend(block_items_mut(b));
        }
        nested.reverse();
        items.extend(nested);
    }
}

/// Slug of an item's text, cut at a word boundary with a hash when long.
fn text_slug(text: &str) -> String {
    capped(non_empty(slug(text), "item"), MAX_SLUG)
}

/// The slug of `text` in at most `max` bytes (at least 16): a longer one is cut at a word
/// boundary and given a hash of the whole, so different long texts keep different slugs.
#[must_use]
pub fn capped_slug(text: &str, max: usize) -> String {
    capped(slug(text), max.max(16))
}

fn capped(full: String, max: usize) -> String {
    if full.len() <= max {
        return full;
    }
    let mut cut = max - 8;
    while !full.is_char_boundary(cut) {
        cut -= 1;
    }
    let head = full[..cut]
        .rsplit_once('-')
        .map_or(&full[..cut], |(h, _)| h);
    format!("{head}-{:06x}", fnv1a(full.as_bytes()) & 0xff_ffff)
}

fn non_empty(s: String, fallback: &str) -> String {
    if s.is_empty() { fallback.to_owned() } else { s }
}

/// Ids in use, and for each base the next suffix worth trying, so that many items with the same
/// text (or none) get their suffixes in linear time.
#[derive(Debug, Default)]
struct Taken {
    ids: HashSet<String, RandomState>,
    next: HashMap<String, u32, RandomState>,
}

impl Taken {
    fn insert(&mut self, id: String) -> bool {
        self.ids.insert(id)
    }
}

/// `base`, or the first `base-N` (N ≥ 2) not taken, which is then taken.
fn unique(base: &str, taken: &mut Taken) -> String {
    if !taken.ids.contains(base) {
        taken.insert(base.to_owned());
        return base.to_owned();
    }
    let start = taken.next.get(base).copied().unwrap_or(2);
    for n in start..=u32::MAX {
        let candidate = format!("{base}-{n}");
        if taken.insert(candidate.clone()) {
            taken.next.insert(base.to_owned(), n.saturating_add(1));
            return candidate;
        }
    }
    base.to_owned()
}

/// 32-bit FNV-1a: a small, stable hash (the same on every platform and release).
fn fnv1a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5, |h, &b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_gets_a_hashed_slug() {
        let long = "Verify that every single one of the production database replicas reports healthy replication lag";
        let id = text_slug(long);
        assert!(id.len() <= MAX_SLUG, "{id}");
        assert!(id.starts_with("verify-that-every"), "{id}");
        assert_ne!(text_slug(&format!("{long} now")), id);
    }

    /// Every fixed element id of the built-in templates is in [`PAGE_IDS`].
    #[test]
    fn page_ids_cover_the_templates() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut found = Vec::new();
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            for (at, _) in text.match_indices("id=\"") {
                let value = &text[at + 4..];
                let value = &value[..value.find('"').unwrap_or(0)];
                if !value.is_empty() && value.bytes().all(|b| b.is_ascii_lowercase() || b == b'-') {
                    found.push(value.to_owned());
                }
            }
        }
        assert!(found.len() > 10, "{found:?}");
        for id in found {
            assert!(
                PAGE_IDS.contains(&id.as_str()),
                "{id} is missing from PAGE_IDS"
            );
        }
    }

    #[test]
    fn duplicates_get_suffixes() {
        let mut taken = Taken::default();
        assert_eq!(unique("a", &mut taken), "a");
        assert_eq!(unique("a", &mut taken), "a-2");
        assert_eq!(unique("a", &mut taken), "a-3");
    }
}
