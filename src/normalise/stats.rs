//! Counting tasks, steps, code blocks and tables, per checklist and per phase.

use crate::model::{Block, Checklist, Item, ItemKind, Phase, PhaseStats, Section, Stats};

/// Counts over a checklist. Tasks before the first heading count in `default_phase` (the front
/// matter `phase`, else `other`), so the tasks of the phases add up to all the tasks.
pub(super) fn compute(checklist: &Checklist, default_phase: Phase) -> Stats {
    let mut stats = Stats::default();
    let mut phases: Vec<PhaseStats> = Vec::new();
    count_blocks(&checklist.blocks, &mut stats);
    if stats.tasks > 0 {
        let entry = phase_entry(&mut phases, default_phase);
        entry.tasks += stats.tasks;
        entry.checked += stats.checked;
    }
    for section in checklist.walk_sections() {
        stats.sections += 1;
        let before = (stats.tasks, stats.checked);
        count_blocks(&section.blocks, &mut stats);
        let entry = phase_entry(&mut phases, section.phase);
        entry.tasks += stats.tasks - before.0;
        entry.checked += stats.checked - before.1;
        if let Some(d) = &section.duration {
            entry.minutes = Some(entry.minutes.unwrap_or(0).saturating_add(d.minutes));
        }
    }
    phases.sort_by_key(|p| p.phase);
    stats.phases = phases;
    stats.estimated_minutes = checklist
        .meta
        .estimated_total
        .as_ref()
        .map(|d| d.minutes)
        .or_else(|| outermost_durations(&checklist.sections));
    stats
}

fn phase_entry(phases: &mut Vec<PhaseStats>, phase: Phase) -> &mut PhaseStats {
    let i = phases
        .iter()
        .position(|p| p.phase == phase)
        .unwrap_or_else(|| {
            phases.push(PhaseStats {
                phase,
                tasks: 0,
                checked: 0,
                minutes: None,
            });
            phases.len() - 1
        });
    &mut phases[i]
}

fn count_blocks(blocks: &[Block], stats: &mut Stats) {
    let mut stack: Vec<&Block> = blocks.iter().collect();
    while let Some(block) = stack.pop() {
        match block {
            Block::Code { .. } => stats.code_blocks += 1,
            Block::Table { .. } => stats.tables += 1,
            Block::Quote { blocks, .. } => stack.extend(blocks),
            Block::List { items, .. } => {
                for item in items.iter().flat_map(Item::walk) {
                    count_item(item, stats);
                    stack.extend(&item.blocks);
                }
            }
            Block::Paragraph { .. } | Block::Fields { .. } | Block::Html { .. } => {}
        }
    }
}

fn count_item(item: &Item, stats: &mut Stats) {
    match item.kind {
        ItemKind::Task => {
            stats.tasks += 1;
            stats.checked += usize::from(item.checked);
        }
        ItemKind::Step => stats.steps += 1,
        ItemKind::Criterion => stats.criteria += 1,
        ItemKind::Bullet => stats.bullets += 1,
    }
}

/// Sum of durations of sections with no declared duration above them.
fn outermost_durations(sections: &[Section]) -> Option<u32> {
    let mut total: Option<u32> = None;
    let mut stack: Vec<&Section> = sections.iter().collect();
    while let Some(s) = stack.pop() {
        match &s.duration {
            Some(d) => total = Some(total.unwrap_or(0).saturating_add(d.minutes)),
            None => stack.extend(&s.sections),
        }
    }
    total
}
