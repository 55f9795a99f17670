//! The semantic diff: which checklists, sections and items were added, removed, changed or moved
//! between two sets of checklists.
//!
//! Input: two slices of [`Checklist`]s (any source: files, folders, git refs, releases).
//! Output: a [`DiffDocument`], which every format renders (`format`).
//!
//! Matching, in passes, each pass only among what earlier passes left unpaired:
//!
//! - checklists: by id, by path, by title, then by the overlap of their items' texts;
//! - sections: by id, by title, by where their items went, by where their sub-sections went,
//!   namesakes in order, then by title similarity; once the items are paired, again by where
//!   their items went, then a section in the same place as one on the other side (same parent,
//!   paired neighbours) that got at least half of the smaller one's items;
//! - items: by id, by a text found once on each side, by text, then by text similarity
//!   (character-bigram Dice coefficient, at least 0.5, or a text extended by words at its end;
//!   across sections a short text needs 0.75), preferring the section the item was in:
//!   all leftover pairs when there are at most 250,000, else each old item against the first 200
//!   leftovers of its matched section.
//!
//! Sibling sections whose titles share a slug get ids by their order (`notes`, `notes-2`), and
//! so do their items: such ids say where an element stands, not which it is, so these sections
//! and their items are not paired by id or title until their items have said where they went.
//!
//! A matched element is `changed` when its content differs, else `moved` when its container
//! (parent section, parent item) differs or it is out of the longest run of elements that kept
//! their order, else unchanged.

mod flat;
pub mod format;
mod matching;
pub mod model;
mod words;

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use crate::model::{Block, Checklist, FieldsKind};
use flat::{Flat, FlatItem, FlatSection, fold};
pub use matching::Pairs;
pub use model::{
    ChecklistDiff, DIFF_SCHEMA_VERSION, DiffDocument, FieldChange, ItemChange, Place,
    SectionChange, Span, SpanOp, Status, Summary,
};

/// Most candidate pairs scored by similarity in one pass; beyond it only pairs within matched
/// sections are scored, so a wholesale rewrite stays linear rather than quadratic.
const MAX_CANDIDATES: usize = 250_000;

/// Most candidate checklist pairs compared by the overlap of their items.
const MAX_CHECKLIST_CANDIDATES: usize = 10_000;

/// Most items of unpaired checklists whose texts are compared to pair checklists by overlap.
const MAX_OVERLAP_ITEMS: usize = 500_000;

/// In a large rewrite, how many new items of its matched section each old item is compared
/// with (the first ones in document order).
const CANDIDATES_PER_ITEM: usize = 200;

/// Items whose texts are shorter than this many characters pair across sections only when they
/// score at least [`SIMILAR_SHORT`].
const SHORT_TEXT: usize = 24;

/// The score short items need to pair across sections.
const SIMILAR_SHORT: f64 = 0.75;

/// Section titles scoring at least this are the same section, renamed.
const SIMILAR_TITLE: f64 = 0.6;

/// Diffs two sets of checklists; `old_label` and `new_label` say what the sides are.
#[must_use]
pub fn diff(
    old_label: &str,
    new_label: &str,
    old: &[Checklist],
    new: &[Checklist],
) -> DiffDocument {
    let pairs = pair_checklists(old, new);
    let mut checklists: Vec<ChecklistDiff> = (0..new.len())
        .into_par_iter()
        .map(|n| match pairs.old_of(n) {
            Some(o) => diff_checklist(&old[o], &new[n]),
            None => whole(&new[n], Status::Added),
        })
        .collect();
    checklists.extend(pairs.free_old().map(|o| whole(&old[o], Status::Removed)));
    let mut summary = Summary::default();
    for c in &checklists {
        summary.add(&c.summary);
    }
    checklists.retain(|c| c.status != Status::Unchanged);
    DiffDocument {
        schema_version: DIFF_SCHEMA_VERSION.to_owned(),
        old: old_label.to_owned(),
        new: new_label.to_owned(),
        summary,
        checklists,
    }
}

/// Pairs the checklists of two sides: by id, path, title, then by the items they share. Two
/// files given to `diff` are paired before, as two versions of one checklist.
#[must_use]
pub fn pair_checklists(old: &[Checklist], new: &[Checklist]) -> Pairs {
    let mut pairs = Pairs::new(old.len(), new.len());
    pairs.by_key(|o| Some(&old[o].id), |n| Some(&new[n].id), |_, _| false);
    pairs.by_key(|o| Some(&old[o].path), |n| Some(&new[n].path), |_, _| false);
    pairs.by_key(
        |o| Some(fold(&old[o].title)),
        |n| Some(fold(&new[n].title)),
        |_, _| false,
    );
    let free_old: Vec<usize> = pairs.free_old().collect();
    let free_new: Vec<usize> = pairs.free_new().collect();
    let items = |list: &[usize], side: &[Checklist]| -> usize {
        list.iter()
            .map(|&i| {
                let s = &side[i].stats;
                s.tasks + s.steps + s.criteria + s.bullets
            })
            .sum()
    };
    if !free_old.is_empty()
        && free_old.len() * free_new.len() <= MAX_CHECKLIST_CANDIDATES
        && items(&free_old, old) + items(&free_new, new) <= MAX_OVERLAP_ITEMS
    {
        let keys = |c: &Checklist| -> HashSet<String> {
            c.walk_items().map(|(_, i)| fold(&i.text)).collect()
        };
        let old_keys: HashMap<usize, HashSet<String>> =
            free_old.iter().map(|&o| (o, keys(&old[o]))).collect();
        let new_keys: HashMap<usize, HashSet<String>> =
            free_new.iter().map(|&n| (n, keys(&new[n]))).collect();
        let candidates = free_old
            .iter()
            .flat_map(|&o| free_new.iter().map(move |&n| (o, n)));
        pairs.by_score(
            candidates,
            |o, n| {
                let (a, b) = (&old_keys[&o], &new_keys[&n]);
                words::ratio(a.intersection(b).count(), a.len().max(b.len()))
            },
            0.5,
        );
    }
    pairs
}

/// The entry for a checklist only on one side.
fn whole(c: &Checklist, status: Status) -> ChecklistDiff {
    let items = c.walk_items().count();
    let sections = c.walk_sections().count();
    let mut summary = Summary::default();
    if status == Status::Added {
        summary.checklists_added = 1;
        summary.items_added = items;
        summary.sections_added = sections;
    } else {
        summary.checklists_removed = 1;
        summary.items_removed = items;
        summary.sections_removed = sections;
    }
    ChecklistDiff {
        status,
        id: c.id.clone(),
        old_id: None,
        title: c.title.clone(),
        old_title: None,
        path: c.path.clone(),
        old_path: None,
        summary,
        meta: Vec::new(),
        sections: Vec::new(),
        items: Vec::new(),
    }
}

/// Diffs two versions of one checklist.
#[must_use]
pub fn diff_checklist(old: &Checklist, new: &Checklist) -> ChecklistDiff {
    let m = ChecklistMatch::new(old, new);
    let mut summary = Summary::default();
    let meta = meta_changes(old, new);
    summary.meta_changed = meta.len();
    let sections = m.section_changes(&mut summary);
    let items = m.item_changes(&mut summary);
    let differs = |a: &str, b: &str| (a != b).then(|| a.to_owned());
    // A checklist is renamed when its id changed; a path alone differs between the layouts of
    // two sides (a release folder, the content folder) and is shown only with a new id.
    let old_id = differs(&old.id, &new.id);
    let old_path = old_id.as_ref().and_then(|_| differs(&old.path, &new.path));
    let renamed = old_id.is_some();
    let changed = renamed || !meta.is_empty() || !sections.is_empty() || !items.is_empty();
    if changed {
        summary.checklists_changed = 1;
        summary.checklists_renamed = usize::from(renamed);
    } else {
        summary.checklists_unchanged = 1;
    }
    ChecklistDiff {
        status: if changed {
            Status::Changed
        } else {
            Status::Unchanged
        },
        id: new.id.clone(),
        old_id,
        title: new.title.clone(),
        old_title: if old.untitled && new.untitled {
            None
        } else {
            differs(&old.title, &new.title)
        },
        path: new.path.clone(),
        old_path,
        summary,
        meta,
        sections,
        items,
    }
}

/// Names of the fields of what comes before a checklist's first section (its prose, its code),
/// listed with its metadata changes; a metadata key of the same name gets a `meta-` prefix.
pub const INTRO_FIELDS: [&str; 3] = ["intro", "intro-code", "intro-links"];

/// Metadata fields (and the title, and what comes before the first section) that differ.
fn meta_changes(old: &Checklist, new: &Checklist) -> Vec<FieldChange> {
    // Two untitled files take their names as titles: a rename, said once as a rename.
    let untitled = old.untitled && new.untitled;
    let fields = |c: &Checklist| -> Vec<(String, Option<String>)> {
        let m = &c.meta;
        let mut out = vec![
            // An untitled file's title is its name, not a title it was given.
            (
                "title".to_owned(),
                (!untitled && !c.untitled).then(|| c.title.clone()),
            ),
            ("version".to_owned(), m.version.clone()),
            ("date".to_owned(), m.date.clone()),
            ("owner".to_owned(), m.owner.clone()),
            ("platform".to_owned(), m.platform.clone()),
            ("status".to_owned(), m.status.clone()),
            ("review-frequency".to_owned(), m.review_frequency.clone()),
            (
                "estimated-total".to_owned(),
                m.estimated_total.as_ref().map(|d| d.text.clone()),
            ),
            (
                "tags".to_owned(),
                (!m.tags.is_empty()).then(|| m.tags.join(", ")),
            ),
        ];
        // What comes before the first section: prose (without the metadata fields listed
        // above) and code.
        out.push((INTRO_FIELDS[0].to_owned(), prose(&c.blocks)));
        out.push((INTRO_FIELDS[1].to_owned(), code(&c.blocks)));
        out.push((INTRO_FIELDS[2].to_owned(), links(None, &c.blocks)));
        out.extend(m.other.iter().map(|(k, v)| {
            let key = if INTRO_FIELDS.contains(&k.as_str()) {
                format!("meta-{k}")
            } else {
                k.clone()
            };
            (key, Some(v.clone()))
        }));
        out
    };
    let old_fields: HashMap<String, Option<String>> = fields(old).into_iter().collect();
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for (field, value) in fields(new) {
        let before = old_fields.get(&field).cloned().flatten();
        if before != value {
            out.push(FieldChange {
                field: field.clone(),
                old: before,
                new: value,
            });
        }
        seen.insert(field);
    }
    for (field, value) in fields(old) {
        if !seen.contains(&field) && value.is_some() {
            out.push(FieldChange {
                field,
                old: value,
                new: None,
            });
        }
    }
    out
}

/// The matching of one checklist's sections and items across two versions.
pub struct ChecklistMatch<'a> {
    old: Flat<'a>,
    new: Flat<'a>,
    sections: Pairs,
    items: Pairs,
}

impl<'a> ChecklistMatch<'a> {
    /// Matches the sections and items of `old` and `new`.
    #[must_use]
    pub fn new(old: &'a Checklist, new: &'a Checklist) -> ChecklistMatch<'a> {
        let old = Flat::new(old);
        let new = Flat::new(new);
        let sections = Pairs::new(old.sections.len(), new.sections.len());
        let items = Pairs::new(old.items.len(), new.items.len());
        let mut m = ChecklistMatch {
            old,
            new,
            sections,
            items,
        };
        m.sections_by_id_and_title();
        m.items_by_id_and_unique_text();
        m.sections_by_items();
        m.sections_by_children();
        m.namesakes_in_order();
        m.sections_by_similarity();
        m.items_by_text();
        m.items_by_similarity();
        if m.sections_after_items() {
            m.items_by_text();
            m.items_by_similarity();
        }
        m
    }

    /// Pairs of (old id, new id) of the sections on both sides.
    pub fn section_ids(&self) -> impl Iterator<Item = (&str, &str)> {
        (0..self.old.sections.len()).filter_map(|o| {
            let n = self.sections.new_of(o)?;
            Some((
                self.old.sections[o].section.id.as_str(),
                self.new.sections[n].section.id.as_str(),
            ))
        })
    }

    /// Whether old section `o` and new section `n` are the same section (or both none).
    fn same_section(&self, o: Option<usize>, n: Option<usize>) -> bool {
        same(&self.sections, o, n)
    }

    /// Sections by id, then by title; only those whose ids do not depend on their place among
    /// namesakes (see [`FlatSection::ambiguous`]).
    fn sections_by_id_and_title(&mut self) {
        let (old, new) = (&self.old.sections, &self.new.sections);
        self.sections.by_key(
            |o| (!old[o].ambiguous).then_some(&old[o].section.id),
            |n| (!new[n].ambiguous).then_some(&new[n].section.id),
            |_, _| false,
        );
        let sections = self.sections.clone();
        self.sections.by_key(
            |o| (!old[o].ambiguous).then_some(&old[o].key),
            |n| (!new[n].ambiguous).then_some(&new[n].key),
            |o, n| same(&sections, old[o].parent, new[n].parent),
        );
    }

    /// Items by id (outside sections with positional ids), then items whose text is found once
    /// on each side.
    fn items_by_id_and_unique_text(&mut self) {
        let (old, new) = (&self.old.items, &self.new.items);
        let (old_sections, new_sections) = (&self.old.sections, &self.new.sections);
        let placed = |section: Option<usize>, sections: &[FlatSection<'_>]| {
            section.is_none_or(|s| !sections[s].ambiguous)
        };
        let mut items = std::mem::replace(&mut self.items, Pairs::new(0, 0));
        items.by_key(
            |o| placed(old[o].section, old_sections).then_some(&old[o].item.id),
            |n| placed(new[n].section, new_sections).then_some(&new[n].item.id),
            |_, _| false,
        );
        let (old_count, new_count) = (key_counts(old), key_counts(new));
        let unique = |key: &str| old_count.get(key) == Some(&1) && new_count.get(key) == Some(&1);
        items.by_key(
            |o| unique(&old[o].key).then_some(&old[o].key),
            |n| unique(&new[n].key).then_some(&new[n].key),
            |_, _| false,
        );
        self.items = items;
    }

    /// Items not yet paired, by equal text: first within paired sections, then anywhere.
    fn items_by_text(&mut self) {
        let (old, new) = (&self.old.items, &self.new.items);
        let mut items = std::mem::replace(&mut self.items, Pairs::new(0, 0));
        let sections = &self.sections;
        items.by_key(
            |o| {
                let partner = match old[o].section {
                    None => Some(None),
                    Some(s) => sections.new_of(s).map(Some),
                };
                Some((
                    partner?,
                    (!old[o].key.is_empty()).then_some(old[o].key.as_str())?,
                ))
            },
            |n| {
                Some((
                    new[n].section,
                    (!new[n].key.is_empty()).then_some(new[n].key.as_str())?,
                ))
            },
            |_, _| false,
        );
        items.by_key(
            |o| (!old[o].key.is_empty()).then_some(&old[o].key),
            |n| (!new[n].key.is_empty()).then_some(&new[n].key),
            |o, n| self.same_section(old[o].section, new[n].section),
        );
        self.items = items;
    }

    /// Sections not yet paired, by where most of their items went.
    fn sections_by_items(&mut self) {
        let old_direct = direct_items(&self.old);
        let new_direct = direct_items(&self.new);
        let votes = self.item_votes();
        let mut candidates: Vec<(usize, usize)> = votes.keys().copied().collect();
        candidates.sort_unstable();
        self.sections.by_score(
            candidates.into_iter(),
            |o, n| words::ratio(votes[&(o, n)], old_direct[o].max(new_direct[n])),
            0.5,
        );
    }

    /// For each pair of unpaired sections (old, new), how many items of the old one went to
    /// the new one.
    fn item_votes(&self) -> HashMap<(usize, usize), usize> {
        let mut votes: HashMap<(usize, usize), usize> = HashMap::new();
        for (o, item) in self.old.items.iter().enumerate() {
            let Some(os) = item.section else { continue };
            let Some(ns) = self.items.new_of(o).and_then(|n| self.new.items[n].section) else {
                continue;
            };
            if self.sections.new_of(os).is_none() && self.sections.old_of(ns).is_none() {
                *votes.entry((os, ns)).or_default() += 1;
            }
        }
        votes
    }

    /// Sections still unpaired once the items are: their items now say where they went (the
    /// steps of a renamed `Staging` are also those of `Production`, so they paired only by
    /// text, after the sections; a reworded step paired only by similarity). Whether any
    /// section was paired.
    fn sections_after_items(&mut self) -> bool {
        let before = self.sections.free_old().count();
        if before == 0 || self.sections.free_new().next().is_none() {
            return false;
        }
        self.sections_by_items();
        self.sections_by_children();
        self.sections_in_place();
        self.sections.free_old().count() != before
    }

    /// Unpaired sections in the same place on both sides: under the same parent, between the
    /// same (paired) neighbours, where at least half of the smaller one's items went from one to
    /// the other. A section renamed while its steps were reworded stays itself; one step in
    /// common (`Notify the team`) does not make another section a rename.
    fn sections_in_place(&mut self) {
        let old_direct = direct_items(&self.old);
        let new_direct = direct_items(&self.new);
        let votes = self.item_votes();
        let old_slots = slots(&self.old.sections);
        let new_slots = slots(&self.new.sections);
        let candidates: Vec<(usize, usize)> = self
            .sections
            .free_old()
            .filter_map(|o| {
                let n = self.section_in_place(o, &old_slots, &new_slots)?;
                let votes = votes.get(&(o, n)).copied().unwrap_or(0);
                (votes > 0 && 2 * votes >= old_direct[o].min(new_direct[n])).then_some((o, n))
            })
            .collect();
        self.sections.by_score(
            candidates.into_iter(),
            |o, n| votes.get(&(o, n)).map_or(0.0, |&v| words::ratio(v, 1)),
            0.0,
        );
    }

    /// The unpaired new section in old section `o`'s place: under its parent's partner, after
    /// its previous sibling's partner (or first), before its next sibling's partner (or last).
    fn section_in_place(
        &self,
        o: usize,
        old_slots: &HashMap<(Option<usize>, usize), usize>,
        new_slots: &HashMap<(Option<usize>, usize), usize>,
    ) -> Option<usize> {
        let a = &self.old.sections[o];
        let parent = through(&self.sections, a.parent)?;
        let pos = match a.pos.checked_sub(1) {
            None => 0,
            Some(before) => {
                let prev = self.sections.new_of(old_slots[&(a.parent, before)])?;
                let prev = &self.new.sections[prev];
                (prev.parent == parent).then_some(prev.pos + 1)?
            }
        };
        let n = *new_slots.get(&(parent, pos))?;
        let old_next = old_slots.get(&(a.parent, a.pos + 1)).copied();
        let new_next = new_slots.get(&(parent, pos + 1)).copied();
        (self.sections.old_of(n).is_none() && same(&self.sections, old_next, new_next)).then_some(n)
    }

    /// Sections not yet paired whose sub-sections went to the same new section (at least half
    /// of them): a renamed section that holds only sub-sections, which its items cannot pair,
    /// keeps them. Repeated, so a renamed grandparent follows its renamed parent.
    fn sections_by_children(&mut self) {
        let children = |sections: &[FlatSection<'_>]| {
            let mut per = vec![0usize; sections.len()];
            for p in sections.iter().filter_map(|s| s.parent) {
                per[p] += 1;
            }
            per
        };
        let (old_children, new_children) =
            (children(&self.old.sections), children(&self.new.sections));
        loop {
            let mut votes: HashMap<(usize, usize), usize> = HashMap::new();
            for (o, section) in self.old.sections.iter().enumerate() {
                let Some(op) = section.parent else { continue };
                let Some(np) = self
                    .sections
                    .new_of(o)
                    .and_then(|n| self.new.sections[n].parent)
                else {
                    continue;
                };
                if self.sections.new_of(op).is_none() && self.sections.old_of(np).is_none() {
                    *votes.entry((op, np)).or_default() += 1;
                }
            }
            if votes.is_empty() {
                return;
            }
            let mut candidates: Vec<(usize, usize)> = votes.keys().copied().collect();
            candidates.sort_unstable();
            let before = self.sections.free_old().count();
            self.sections.by_score(
                candidates.into_iter(),
                |o, n| words::ratio(votes[&(o, n)], old_children[o].max(new_children[n])),
                0.5,
            );
            if self.sections.free_old().count() == before {
                return;
            }
        }
    }

    /// Sections with positional ids that their items did not pair: by title, in order,
    /// preferring the same parent.
    fn namesakes_in_order(&mut self) {
        let (old, new) = (&self.old.sections, &self.new.sections);
        let sections = self.sections.clone();
        self.sections.by_key(
            |o| Some(&old[o].key),
            |n| Some(&new[n].key),
            |o, n| same(&sections, old[o].parent, new[n].parent),
        );
    }

    /// Sections not yet paired, by title similarity.
    fn sections_by_similarity(&mut self) {
        let (old, new) = (&self.old.sections, &self.new.sections);
        let free_old: Vec<usize> = self.sections.free_old().collect();
        let free_new: Vec<usize> = self.sections.free_new().collect();
        if free_old.len() * free_new.len() <= MAX_CANDIDATES {
            let grams = |s: &[FlatSection<'_>], i: usize| words::bigrams(&s[i].key);
            let old_grams: HashMap<usize, _> =
                free_old.iter().map(|&o| (o, grams(old, o))).collect();
            let new_grams: HashMap<usize, _> =
                free_new.iter().map(|&n| (n, grams(new, n))).collect();
            self.sections.by_score(
                free_old
                    .iter()
                    .flat_map(|&o| free_new.iter().map(move |&n| (o, n))),
                |o, n| words::dice(&old_grams[&o], &new_grams[&n]),
                SIMILAR_TITLE,
            );
        }
    }

    /// Items not yet paired, by text similarity: within matched sections always, across the
    /// whole checklist when that is few enough pairs.
    fn items_by_similarity(&mut self) {
        let free_old: Vec<usize> = self
            .items
            .free_old()
            .filter(|&o| !self.old.items[o].key.is_empty())
            .collect();
        let free_new: Vec<usize> = self
            .items
            .free_new()
            .filter(|&n| !self.new.items[n].key.is_empty())
            .collect();
        if free_old.is_empty() || free_new.is_empty() {
            return;
        }
        let candidates: Vec<(usize, usize)> = if free_old.len() * free_new.len() <= MAX_CANDIDATES {
            free_old
                .iter()
                .flat_map(|&o| free_new.iter().map(move |&n| (o, n)))
                .collect()
        } else {
            let mut by_section: HashMap<Option<usize>, Vec<usize>> = HashMap::new();
            for &n in &free_new {
                by_section
                    .entry(self.new.items[n].section)
                    .or_default()
                    .push(n);
            }
            let mut out = Vec::new();
            for &o in &free_old {
                let target = match self.old.items[o].section {
                    None => Some(None),
                    Some(s) => self.sections.new_of(s).map(Some),
                };
                if let Some(list) = target.and_then(|t| by_section.get(&t)) {
                    out.extend(list.iter().take(CANDIDATES_PER_ITEM).map(|&n| (o, n)));
                }
            }
            out
        };
        // Bigrams only for the items that have a candidate.
        let mut old_grams: HashMap<usize, Vec<(char, char)>> = HashMap::new();
        let mut new_grams: HashMap<usize, Vec<(char, char)>> = HashMap::new();
        for &(o, n) in &candidates {
            old_grams
                .entry(o)
                .or_insert_with(|| words::bigrams(&self.old.items[o].key));
            new_grams
                .entry(n)
                .or_insert_with(|| words::bigrams(&self.new.items[n].key));
        }
        let (old, new) = (&self.old.items, &self.new.items);
        let mut items = std::mem::replace(&mut self.items, Pairs::new(0, 0));
        items.by_score(
            candidates.into_iter(),
            |o, n| {
                let (a, b) = (&old[o].key, &new[n].key);
                let s = words::dice(&old_grams[&o], &new_grams[&n]).max(words::extended(a, b));
                let same = self.same_section(old[o].section, new[n].section);
                // Across sections a short text needs more in common: `Version:` and `Last
                // version: XXX` in two sections are two items, not one moved and reworded.
                let short = a.chars().count().min(b.chars().count()) < SHORT_TEXT;
                if s < words::SIMILAR || (!same && short && s < SIMILAR_SHORT) {
                    0.0
                } else if same {
                    s + 0.05
                } else {
                    s
                }
            },
            words::SIMILAR,
        );
        self.items = items;
    }

    /// The sections that are not unchanged, counted into `summary`.
    fn section_changes(&self, summary: &mut Summary) -> Vec<SectionChange> {
        let (old, new) = (&self.old.sections, &self.new.sections);
        let places: Vec<_> = (0..new.len())
            .map(|n| {
                let o = self.sections.old_of(n)?;
                let old_container = through(&self.sections, old[o].parent).map(|p| (p, None));
                Some(((new[n].parent, None), old_container, old[o].pos))
            })
            .collect();
        let moved = moved(&places);
        let place = |flat: &[FlatSection<'_>], i: usize| {
            let parent = flat[i].parent.map(|p| flat[p].section);
            Place {
                section: parent.map(|p| p.id.clone()),
                title: parent.map(|p| p.title.clone()),
                under: None,
                line: flat[i].section.line,
            }
        };
        let mut out = Vec::new();
        for n in 0..new.len() {
            let s = new[n].section;
            let Some(o) = self.sections.old_of(n) else {
                summary.sections_added += 1;
                out.push(SectionChange::one_side(Status::Added, s, place(new, n)));
                continue;
            };
            let before = old[o].section;
            let fields = section_fields(before, s);
            let status = if !fields.is_empty() {
                summary.sections_changed += 1;
                summary.sections_changed_and_moved += usize::from(moved[n]);
                Status::Changed
            } else if moved[n] {
                summary.sections_moved += 1;
                Status::Moved
            } else {
                continue;
            };
            out.push(SectionChange {
                status,
                id: s.id.clone(),
                old_id: (before.id != s.id).then(|| before.id.clone()),
                title: s.title.clone(),
                old_title: (before.title != s.title).then(|| before.title.clone()),
                fields,
                moved: moved[n],
                new_place: Some(place(new, n)),
                old_place: Some(place(old, o)),
            });
        }
        for o in self.sections.free_old() {
            summary.sections_removed += 1;
            out.push(SectionChange::one_side(
                Status::Removed,
                old[o].section,
                place(old, o),
            ));
        }
        out
    }

    /// The items that are not unchanged, counted into `summary`.
    fn item_changes(&self, summary: &mut Summary) -> Vec<ItemChange> {
        let (old, new) = (&self.old.items, &self.new.items);
        let places: Vec<_> = (0..new.len())
            .map(|n| {
                let o = self.items.old_of(n)?;
                let section = through(&self.sections, old[o].section);
                let parent = through(&self.items, old[o].parent);
                let old_container = section.zip(parent);
                Some(((new[n].section, new[n].parent), old_container, old[o].pos))
            })
            .collect();
        let moved = moved(&places);
        let place = |flat: &Flat<'_>, i: usize| {
            let section = flat.items[i].section.map(|s| flat.sections[s].section);
            Place {
                section: section.map(|s| s.id.clone()),
                title: section.map(|s| s.title.clone()),
                under: flat.items[i]
                    .parent
                    .map(|p| flat.items[p].item.text.clone()),
                line: flat.items[i].item.line,
            }
        };
        let mut out = Vec::new();
        for n in 0..new.len() {
            let item = new[n].item;
            let Some(o) = self.items.old_of(n) else {
                summary.items_added += 1;
                out.push(ItemChange::one_side(
                    Status::Added,
                    item,
                    place(&self.new, n),
                ));
                continue;
            };
            let before = old[o].item;
            let fields = item_fields(before, item);
            let text_changed =
                flat::without_step_number(&before.text) != flat::without_step_number(&item.text);
            let status = if text_changed || !fields.is_empty() {
                summary.items_changed += 1;
                summary.items_changed_and_moved += usize::from(moved[n]);
                Status::Changed
            } else if moved[n] {
                summary.items_moved += 1;
                Status::Moved
            } else {
                summary.items_unchanged += 1;
                continue;
            };
            out.push(ItemChange {
                status,
                id: item.id.clone(),
                old_id: (before.id != item.id).then(|| before.id.clone()),
                text: item.text.clone(),
                old_text: text_changed.then(|| before.text.clone()),
                words: if text_changed {
                    words::word_diff(&before.text, &item.text)
                } else {
                    Vec::new()
                },
                fields,
                moved: moved[n],
                new_place: Some(place(&self.new, n)),
                old_place: Some(place(&self.old, o)),
            });
        }
        for o in self.items.free_old() {
            summary.items_removed += 1;
            out.push(ItemChange::one_side(
                Status::Removed,
                old[o].item,
                place(&self.old, o),
            ));
        }
        out
    }
}

/// Where an element sits: its section and parent item, as indices on the new side.
type Container = (Option<usize>, Option<usize>);

/// Which new elements moved. `places[n]` is, for an element with a partner, its container, its
/// old container seen through the matching (`None` when that has no partner) and its old
/// position. An element moved when the containers differ, or when it left the longest run of
/// its container's elements that kept their order.
/// How many items each section holds directly (not in its sub-sections).
fn direct_items(flat: &Flat<'_>) -> Vec<usize> {
    let mut per = vec![0usize; flat.sections.len()];
    for s in flat.items.iter().filter_map(|i| i.section) {
        per[s] += 1;
    }
    per
}

/// Each section's index by its place: (parent, position among the parent's sub-sections).
fn slots(sections: &[FlatSection<'_>]) -> HashMap<(Option<usize>, usize), usize> {
    sections
        .iter()
        .enumerate()
        .map(|(i, s)| ((s.parent, s.pos), i))
        .collect()
}

/// How many items have each (non-empty) text key.
fn key_counts<'b>(items: &'b [FlatItem<'_>]) -> HashMap<&'b str, usize> {
    let mut count: HashMap<&str, usize> = HashMap::new();
    for i in items.iter().filter(|i| !i.key.is_empty()) {
        *count.entry(i.key.as_str()).or_default() += 1;
    }
    count
}

/// Whether old section `o` and new section `n` are paired in `sections` (or both none).
fn same(sections: &Pairs, o: Option<usize>, n: Option<usize>) -> bool {
    match (o, n) {
        (None, None) => true,
        (Some(o), Some(n)) => sections.new_of(o) == Some(n),
        _ => false,
    }
}

fn moved(places: &[Option<(Container, Option<Container>, usize)>]) -> Vec<bool> {
    let mut moved = vec![false; places.len()];
    let mut groups: HashMap<Container, Vec<(usize, usize)>> = HashMap::new();
    for (n, place) in places.iter().enumerate() {
        let Some((container, old_container, old_pos)) = *place else {
            continue;
        };
        if old_container == Some(container) {
            groups.entry(container).or_default().push((n, old_pos));
        } else {
            moved[n] = true;
        }
    }
    for members in groups.values() {
        let positions: Vec<usize> = members.iter().map(|&(_, p)| p).collect();
        for (&(n, _), out) in members.iter().zip(matching::out_of_order(&positions)) {
            moved[n] = out;
        }
    }
    moved
}

/// An old index seen through `pairs`: `Some(None)` for none, `None` when it has no partner.
#[allow(clippy::option_option)] // "outside any section" and "no partner" must stay apart.
fn through(pairs: &Pairs, old: Option<usize>) -> Option<Option<usize>> {
    match old {
        None => Some(None),
        Some(o) => pairs.new_of(o).map(Some),
    }
}

/// A named value of a section or item, and how to read it.
type FieldReader<T> = (&'static str, fn(&T) -> Option<String>);

/// The named values of `old` and `new` that differ; `fields` says how to read each.
fn differing<T>(old: &T, new: &T, fields: &[FieldReader<T>]) -> Vec<FieldChange> {
    fields
        .iter()
        .filter_map(|(name, read)| {
            let (a, b) = (read(old), read(new));
            let same = a == b || (*name == "duration" && same_duration(a.as_deref(), b.as_deref()));
            (!same).then(|| FieldChange {
                field: (*name).to_owned(),
                old: a,
                new: b,
            })
        })
        .collect()
}

/// Whether two durations say the same time in other words (`45 minutes`, `45 min`, `45m`):
/// a single value, not a range, of the same number of minutes.
fn same_duration(a: Option<&str>, b: Option<&str>) -> bool {
    // Seconds are rounded up to minutes: `(30 seconds)` and `(1 minute)` differ.
    let seconds = |d: Option<&str>| {
        d.is_some_and(|d| {
            let d = d.to_lowercase();
            ["sec", "segundo", "sekunde", "秒"]
                .iter()
                .any(|w| d.contains(w))
        })
    };
    if seconds(a) || seconds(b) {
        return a.map(str::trim) == b.map(str::trim);
    }
    let minutes = |d: Option<&str>| {
        let d = d?;
        (!is_range(d)).then(|| crate::normalise::parse_duration(d).map(|d| d.minutes))?
    };
    minutes(a).is_some_and(|m| Some(m) == minutes(b))
}

/// Whether a duration is a range (`5-10 min`, `1 to 2 hours`), not one length (`4-hour`).
fn is_range(d: &str) -> bool {
    d.contains(" to ")
        || d.char_indices().any(|(at, c)| {
            matches!(c, '-' | '–')
                && d[at + c.len_utf8()..]
                    .trim_start()
                    .starts_with(|n: char| n.is_ascii_digit())
        })
}

/// Section fields that differ.
fn section_fields(old: &crate::model::Section, new: &crate::model::Section) -> Vec<FieldChange> {
    differing(
        old,
        new,
        &[
            ("title", |s| Some(s.title.clone())),
            ("phase", |s| Some(s.phase.as_str().to_owned())),
            ("level", |s| Some(s.level.to_string())),
            ("duration", |s| s.duration.as_ref().map(|d| d.text.clone())),
            ("time", |s| s.time.clone()),
            ("declared-count", |s| {
                s.declared_count.map(|c| c.to_string())
            }),
            ("content", |s| prose(&s.blocks)),
            ("code", |s| code(&s.blocks)),
            ("links", |s| links(None, &s.blocks)),
        ],
    )
}

/// Item fields besides the text that differ.
fn item_fields(old: &crate::model::Item, new: &crate::model::Item) -> Vec<FieldChange> {
    differing(
        old,
        new,
        &[
            ("code", |i| code(&i.blocks)),
            ("details", |i| prose(&i.blocks)),
            ("links", |i| links(Some(&i.html), &i.blocks)),
            ("time", |i| i.time.clone()),
            ("duration", |i| i.duration.as_ref().map(|d| d.text.clone())),
            ("kind", |i| Some(format!("{:?}", i.kind).to_lowercase())),
            ("checked", |i| Some(i.checked.to_string())),
        ],
    )
}

/// The code of blocks (and of quotes among them), one block after another.
fn code(blocks: &[Block]) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    let mut pending: Vec<&Block> = blocks.iter().rev().collect();
    while let Some(b) = pending.pop() {
        match b {
            Block::Code { text, .. } => parts.push(text),
            Block::Quote { blocks, .. } => pending.extend(blocks.iter().rev()),
            _ => {}
        }
    }
    (!parts.is_empty()).then(|| parts.join("\n"))
}

/// The targets of the links in `html` and in the blocks other than lists and code, in order,
/// so that a link that now leads elsewhere is a change though its text is the same.
fn links(html: Option<&str>, blocks: &[Block]) -> Option<String> {
    let mut htmls: Vec<&str> = html.into_iter().collect();
    let mut pending: Vec<&Block> = blocks.iter().rev().collect();
    while let Some(b) = pending.pop() {
        match b {
            Block::Paragraph { html, .. } => htmls.push(html),
            Block::Table { html: Some(t), .. } => {
                htmls.extend(
                    t.headers
                        .iter()
                        .chain(t.rows.iter().flatten())
                        .map(String::as_str),
                );
            }
            Block::Fields { fields, .. } => {
                htmls.extend(fields.iter().filter_map(|f| f.html.as_deref()));
            }
            Block::Quote { blocks, .. } => pending.extend(blocks.iter().rev()),
            _ => {}
        }
    }
    let targets: Vec<String> = htmls
        .into_iter()
        .flat_map(|h| h.split("href=\"").skip(1))
        .filter_map(|rest| rest.split('"').next())
        .map(crate::model::html_text)
        .collect();
    (!targets.is_empty()).then(|| targets.join(" "))
}

/// The text of blocks other than lists and code: paragraphs, tables, fields, quotes, and the
/// text raw HTML shows.
fn prose(blocks: &[Block]) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    let mut pending: Vec<&Block> = blocks.iter().rev().collect();
    while let Some(b) = pending.pop() {
        match b {
            Block::Paragraph { text, .. } => parts.push(text.clone()),
            // Raw HTML as a reader sees it: a comment edited or removed is no change.
            Block::Html { text, .. } => {
                let seen = crate::model::html_text(text);
                let seen = seen.trim();
                if !seen.is_empty() {
                    parts.push(seen.to_owned());
                }
            }
            // A table of tasks is compared by its tasks, as a list is (their text, box, time and
            // duration), and by the other cells of its rows (an owner changed) here.
            Block::Table {
                headers,
                rows,
                items,
                tick_column,
                ..
            } if !items.is_empty() => {
                parts.push(headers.join(" | "));
                parts.extend(items.iter().zip(rows).map(|(item, row)| {
                    let rest: Vec<&str> = row
                        .iter()
                        .enumerate()
                        .filter(|(c, cell)| {
                            Some(*c) != *tick_column
                                && **cell != item.text
                                && !cell.bytes().all(|b| b.is_ascii_digit() || b == b'.')
                        })
                        .map(|(_, cell)| cell.as_str())
                        .collect();
                    rest.join(" | ")
                }));
            }
            Block::Table { headers, rows, .. } => {
                parts.push(headers.join(" | "));
                parts.extend(rows.iter().map(|r| r.join(" | ")));
            }
            // Fields the metadata holds (`**Version**: 1.2`) are compared there.
            Block::Fields { fields, kind, .. } => parts.extend(
                fields
                    .iter()
                    .filter(|f| {
                        *kind != FieldsKind::Meta || !crate::normalise::is_meta_label(&f.label)
                    })
                    .map(|f| format!("{}: {}", f.label, f.value)),
            ),
            Block::Quote { blocks, .. } => pending.extend(blocks.iter().rev()),
            Block::List { .. } | Block::Code { .. } => {}
        }
    }
    (!parts.is_empty()).then(|| parts.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::same_duration;

    /// Regression: `45 minutes` rewritten `45 min` was reported as a change of duration.
    #[test]
    fn durations_in_other_words_are_the_same() {
        assert!(same_duration(Some("45 minutes"), Some("45 min")));
        assert!(same_duration(Some("1 hour"), Some("60 minutes")));
        assert!(!same_duration(Some("45 minutes"), Some("50 min")));
        assert!(!same_duration(Some("30-45 minutes"), Some("45 minutes")));
        assert!(!same_duration(None, Some("45 minutes")));
        // A hyphenated length is one length; seconds are compared as written, not rounded.
        assert!(same_duration(Some("4 hours"), Some("4-hour")));
        assert!(!same_duration(Some("30 seconds"), Some("1 minute")));
        assert!(!same_duration(Some("1 second"), Some("60 seconds")));
    }
}
