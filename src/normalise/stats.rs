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
        .or_else(|| estimate(checklist));
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
            Block::Table { items, .. } => {
                stats.tables += 1;
                for item in items {
                    count_item(item, stats);
                }
            }
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

/// What the durations written in a checklist add up to, and how many of its tasks and steps
/// they cover.
#[derive(Default)]
struct Tally {
    minutes: Option<u32>,
    timed: usize,
    work: usize,
    /// Whether the tasks being walked are a part of the run: not recurring upkeep, reference,
    /// contacts or the sign-off.
    in_run: bool,
}

impl Tally {
    /// Whether what follows is timed: by something above it, else by its own `duration`,
    /// which then counts.
    fn timed(&mut self, duration: Option<&crate::model::Duration>, above: bool) -> bool {
        match duration {
            Some(d) if !above => {
                self.minutes = Some(self.minutes.unwrap_or(0).saturating_add(d.minutes));
                true
            }
            _ => above,
        }
    }

    fn blocks(&mut self, blocks: &[Block], timed: bool) {
        for block in blocks {
            match block {
                Block::List { items, .. } | Block::Table { items, .. } => {
                    for item in items {
                        self.item(item, timed);
                    }
                }
                Block::Quote { blocks, .. } => self.blocks(blocks, timed),
                _ => {}
            }
        }
    }

    /// An item's duration counts unless one above it (its section's, its parent's) holds it.
    fn item(&mut self, item: &Item, timed: bool) {
        let timed = self.timed(item.duration.as_ref(), timed);
        if self.in_run && matches!(item.kind, ItemKind::Task | ItemKind::Step) {
            self.work += 1;
            self.timed += usize::from(timed);
        }
        for child in &item.children {
            self.item(child, timed);
        }
        self.blocks(&item.blocks, timed);
    }

    fn section(&mut self, section: &Section, timed: bool) {
        let timed = self.timed(section.duration.as_ref(), timed);
        // Rollback and monitoring are what may come after the run, not a part of it.
        self.in_run = !matches!(
            section.phase,
            Phase::Maintenance
                | Phase::Reference
                | Phase::Contacts
                | Phase::SignOff
                | Phase::Rollback
                | Phase::Monitoring
        );
        self.blocks(&section.blocks, timed);
        for sub in &section.sections {
            self.section(sub, timed);
        }
    }
}

/// The checklist's estimated time: the durations of its outermost timed sections and, where a
/// section has none, of its outermost timed items. Only when what is timed holds at least half
/// of the tasks and steps of the run: one `(30 minutes)` in a day's plan is no estimate of the
/// day. A checklist with no tasks or steps to time has none.
fn estimate(checklist: &Checklist) -> Option<u32> {
    let mut tally = Tally {
        in_run: true,
        ..Tally::default()
    };
    tally.blocks(&checklist.blocks, false);
    for section in &checklist.sections {
        tally.section(section, false);
    }
    tally
        .minutes
        .filter(|_| tally.work > 0 && tally.timed * 2 >= tally.work)
}
