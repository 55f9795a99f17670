//! Normalising: a parsed document into the [`Checklist`] model.
//!
//! Input: a [`ParsedDoc`] and the file's display path and id. Output: a [`Checklist`] with clean
//! titles, phases, items, stable ids, metadata and stats; content problems found on the way
//! (mojibake, bad front matter) are in its `diagnostics`. The steps:
//!
//! 1. read front matter into metadata;
//! 2. walk the top-level nodes, opening a section at each heading (the first level-1 heading is
//!    the title), converting every other node into blocks (`blocks`, `items`);
//! 3. give sections and items their ids (`ids`);
//! 4. fill metadata from `**Key**: value` fields (`meta`) and count (`stats`).

mod blocks;
mod heading;
mod ids;
mod items;
mod meta;
mod mojibake;
mod phase;
mod placeholders;
mod shortcodes;
mod stats;
mod task_table;
mod text;

pub use blocks::{choices, code_lang, is_meta_label, starts_with_box};
pub use heading::parse_duration;
pub use ids::{capped_slug, github_anchors, title_anchor};
pub use meta::front_matter_id;
pub use mojibake::repair as repair_mojibake;
pub use phase::names_rollback;
pub use placeholders::find as find_placeholders;
pub use text::{
    VOID_ELEMENTS, cut_at_word, fold, footnote_anchor, is_bidi_control, is_emoji, is_invisible,
    is_safe_url, percent_decode, slug, unspaced,
};

use crate::diag::{Diagnostic, Severity};
use crate::model::{Block, Checklist, Meta, Phase, Placeholder, PlaceholderKind, Section};
use crate::parse::{InlineEvent, Node, ParsedDoc};
use text::Inline;

/// A heading's written `{#id}` without invisible characters (a zero-width space, a control of
/// text direction), which would make an anchor that reads like another but is not; a warning
/// says what was removed. None when nothing is left.
fn visible_id(id: &str, start: usize, ctx: &mut Ctx<'_>) -> Option<String> {
    let invisible = |c: char| text::is_invisible(c) || c.is_whitespace() || c.is_control();
    let Some(found) = id.chars().find(|&c| invisible(c)) else {
        return Some(id.to_owned());
    };
    let visible: String = id.chars().filter(|&c| !invisible(c)).collect();
    let line = ctx.line(start);
    ctx.diagnostics.push(
        Diagnostic::new(
            "invisible-character",
            Severity::Warning,
            format!(
                "the heading's `{{#id}}` holds an invisible character (U+{:04X}); it is left out: the id is `{visible}`",
                u32::from(found)
            ),
            crate::diag::Position::line(line),
        )
        .with_hint("retype the id"),
    );
    (!visible.is_empty()).then_some(visible)
}

/// Normalises one parsed document.
#[must_use]
pub fn normalise(path: &str, id: &str, doc: &ParsedDoc) -> Checklist {
    let mut ctx = Ctx {
        doc,
        diagnostics: doc.diagnostics.clone(),
        contents: false,
        in_item: false,
        headings: None,
    };
    let mut front = meta::from_front_matter(doc.front_matter.as_ref(), &mut ctx.diagnostics);
    // An issue template with several top-level headings (`# Website`, `# CLI`) is named by its
    // `name`; each heading is a part of it.
    let top_headings = doc
        .nodes
        .iter()
        .filter(|n| matches!(n, Node::Heading { level: 1, .. }))
        .count();
    if front.issue_template && top_headings > 1 {
        front.title.clone_from(&front.name);
    }
    let mut builder = SectionBuilder::new(front.default_phase, front.title.as_deref());
    for (i, node) in doc.nodes.iter().enumerate() {
        builder.node(node, doc.nodes.get(i + 1), &mut ctx);
    }
    let default_phase = builder.default_phase;
    let (title_heading, blocks, mut sections) = builder.finish();
    heading::follow_on_windows(&mut sections);
    let fallback = humanise_id(id);
    // A heading with nothing to show (`#` alone, `# {#id}`, `# 🚀`) does not name the checklist.
    let title_heading = title_heading.and_then(|(title, raw, line)| {
        if !title.trim().is_empty() {
            Some((title, raw, line))
        } else if !raw.trim().is_empty() && raw.chars().any(char::is_alphanumeric) {
            Some((raw.clone(), raw, line))
        } else {
            None
        }
    });
    let untitled = front.title.is_none() && title_heading.is_none() && front.name.is_none();
    let (title, raw_title, line) = match (&front.title, title_heading, &front.name) {
        (Some(t), _, _) => (t.clone(), t.clone(), 1),
        (None, Some(h), _) => h,
        (None, None, Some(name)) => (name.clone(), name.clone(), 1),
        (None, None, None) => (fallback.clone(), fallback, 1),
    };
    let mut checklist = Checklist {
        id: front.id.clone().unwrap_or_else(|| id.to_owned()),
        path: path.to_owned(),
        title,
        raw_title,
        line,
        meta: Meta::default(),
        blocks,
        sections,
        stats: crate::model::Stats::default(),
        diagnostics: Vec::new(),
        untitled,
    };
    ids::assign(&mut checklist, &mut ctx.diagnostics);
    checklist.meta = meta::collect(front.meta, &checklist);
    checklist.stats = stats::compute(&checklist, default_phase);
    ctx.diagnostics.sort_by_key(|d| (d.line, d.column));
    checklist.diagnostics = ctx.diagnostics;
    checklist
}

/// What stages below this module share while converting one document.
pub(crate) struct Ctx<'a> {
    doc: &'a ParsedDoc,
    diagnostics: Vec<Diagnostic>,
    /// Whether the lists being read are in a table of contents.
    contents: bool,
    /// Whether the blocks being read are inside a list item, where a table stays a table: its
    /// rows are not tasks (a task's tasks are its nested items).
    in_item: bool,
    /// The texts of the document's headings, as tables of contents write them; made when first
    /// needed.
    headings: Option<std::collections::HashSet<String>>,
}

impl Ctx<'_> {
    /// The keys of the document's top-level headings (see [`items::heading_key`]).
    fn heading_keys(&mut self) -> &std::collections::HashSet<String> {
        let nodes = &self.doc.nodes;
        self.headings.get_or_insert_with(|| {
            nodes
                .iter()
                .filter_map(|n| match n {
                    Node::Heading { inlines, .. } => {
                        let text: String = inlines
                            .iter()
                            .filter_map(|(e, _)| match e {
                                pulldown_cmark::Event::Text(t) | pulldown_cmark::Event::Code(t) => {
                                    Some(t.as_ref())
                                }
                                _ => None,
                            })
                            .collect();
                        // As written (`1. Preparation`, `🚀 Deploy (30 min)`) and as its title.
                        let title = heading::clean(&text).title;
                        Some([items::heading_key(&text), items::heading_key(&title)])
                    }
                    _ => None,
                })
                .flatten()
                .collect()
        })
    }

    /// Renders inline content, reporting any mojibake it repairs.
    fn inline(&mut self, inlines: &[InlineEvent]) -> Inline {
        let inline = Inline::render(inlines, &self.doc.text);
        for repair in &inline.repairs {
            let at = self
                .doc
                .lines
                .position(&self.doc.text, repair.range.clone());
            self.diagnostics.push(
                Diagnostic::new(
                    "mojibake",
                    Severity::Warning,
                    format!(
                        "`{}` is mojibake for `{}`; repaired in the output",
                        repair.from, repair.to
                    ),
                    at,
                )
                .with_hint(format!(
                    "the text was saved after being decoded as {}; write `{}`",
                    repair.encoding, repair.to
                ))
                .with_fix(repair.from.clone(), repair.to.clone()),
            );
        }
        inline
    }

    /// Renders inline content a second time, its repairs reported by the first.
    fn inline_again(&self, inlines: &[InlineEvent]) -> Inline {
        Inline::render(inlines, &self.doc.text)
    }

    /// 1-based line where content starting at `offset` is: white space is skipped first, as the
    /// parser starts a list item indented by a tab at the end of the line before it.
    fn line(&self, offset: usize) -> u32 {
        let skipped = self.doc.text.as_bytes().get(offset..).map_or(0, |rest| {
            rest.iter().take_while(|b| b.is_ascii_whitespace()).count()
        });
        self.doc.lines.line_of(offset + skipped)
    }

    /// Placeholders in rendered text, located in the source.
    fn placeholders(&self, inline: &Inline) -> Vec<Placeholder> {
        placeholders::find(&inline.text)
            .into_iter()
            .filter(|(_, range)| !inline.in_code(range.start))
            .map(|(kind, range)| self.placeholder(inline, kind, range))
            .collect()
    }

    /// The placeholder of `kind` at `range` of the text of `inline`.
    fn placeholder(
        &self,
        inline: &Inline,
        kind: PlaceholderKind,
        range: std::ops::Range<usize>,
    ) -> Placeholder {
        let offset = inline.source_offset(range.start);
        let at = self
            .doc
            .lines
            .position(&self.doc.text, offset..offset + range.len());
        Placeholder {
            text: inline.text[range].to_owned(),
            kind,
            line: at.line,
            column: at.column,
        }
    }

    /// Placeholders in code whose block (`fenced`, or indented) starts at `offset` in the
    /// source. Each is found on its own source line, so positions are right whatever the line
    /// endings and whatever indentation or quote markers the block's lines carry in the source.
    fn placeholders_in_code(&self, code: &str, offset: usize, fenced: bool) -> Vec<Placeholder> {
        let (text, lines) = (&self.doc.text, &self.doc.lines);
        let content_first = self.line(offset) + u32::from(fenced);
        placeholders::find(code)
            .into_iter()
            .filter(|(kind, _)| blocks::is_code_placeholder(*kind))
            .map(|(kind, range)| {
                let found = &code[range.clone()];
                let line_start = code[..range.start].rfind('\n').map_or(0, |i| i + 1);
                let nth = code[line_start..range.start].matches(found).count();
                let k = code[..line_start].matches('\n').count();
                let line = content_first.saturating_add(u32::try_from(k).unwrap_or(u32::MAX));
                let source_line = lines.line_text(text, line);
                let column = source_line
                    .match_indices(found)
                    .nth(nth)
                    .map_or(1, |(at, _)| source_line[..at].chars().count() + 1);
                Placeholder {
                    text: found.to_owned(),
                    kind,
                    line,
                    column: u32::try_from(column).unwrap_or(u32::MAX),
                }
            })
            .collect()
    }
}

/// The checklist title as cleaned, as written, and its line.
type Title = (String, String, u32);

/// Builds the section tree from headings and the blocks between them.
struct SectionBuilder {
    title: Option<Title>,
    seen_heading: bool,
    blocks: Vec<Block>,
    open: Vec<Section>,
    done: Vec<Section>,
    default_phase: Phase,
    /// The front matter's title, folded for comparison: a first level-1 heading that says
    /// something else is a section, not the title.
    front_title: Option<String>,
}

impl SectionBuilder {
    fn new(default_phase: Phase, front_title: Option<&str>) -> Self {
        SectionBuilder {
            title: None,
            seen_heading: false,
            blocks: Vec::new(),
            open: Vec::new(),
            done: Vec::new(),
            default_phase,
            front_title: front_title.map(|t| text::fold(&heading::clean(t).title)),
        }
    }

    /// A title that names a stage (`Pre-Deployment Checklist`, `Rollback Runbook`) gives its
    /// phase to the sections that name none (`Code`, `Database`), unless the front matter set
    /// one. A title that names the deployment itself gives none: a deployment checklist holds
    /// every stage.
    fn phase_of_title(&mut self, title: &str) {
        if self.default_phase != Phase::Other {
            return;
        }
        // `Deployment and Rollback Plan`, `Pre-deployment, deployment, rollback`: a title that
        // joins stages names no one of them for every section.
        let lower = title.to_lowercase();
        let joins = [
            " and ", " & ", ",", "/", " und ", " et ", " y ", " e ", "と", "和", "与", "及",
        ];
        if joins.iter().any(|j| lower.contains(j)) {
            return;
        }
        if let Some((phase, true)) = phase::cue(title)
            && matches!(
                phase,
                Phase::PreDeployment
                    | Phase::PostDeployment
                    | Phase::Rollback
                    | Phase::Verification
            )
        {
            self.default_phase = phase;
        }
    }

    fn node(&mut self, node: &Node, next: Option<&Node>, ctx: &mut Ctx<'_>) {
        match node {
            Node::Heading {
                level,
                id,
                inlines,
                span,
            } => {
                // `## Queue {#q} ##`: the parser leaves an id followed by a closing sequence in
                // the text.
                let (inlines, written) = match id {
                    Some(_) => (std::borrow::Cow::Borrowed(inlines.as_slice()), None),
                    None => items::take_explicit_id(inlines),
                };
                let id = id.as_deref().or(written.as_deref());
                let id = id.and_then(|id| visible_id(id, span.start, ctx));
                self.heading(*level, id.as_deref(), &inlines, span.start, ctx);
            }
            other => {
                let phase = self.open.last().map_or(self.default_phase, |s| s.phase);
                let converted = blocks::convert(other, next, phase, ctx);
                match self.open.last_mut() {
                    Some(section) => section.blocks.extend(converted),
                    None => self.blocks.extend(converted),
                }
            }
        }
    }

    fn heading(
        &mut self,
        level: u8,
        id: Option<&str>,
        inlines: &[InlineEvent],
        start: usize,
        ctx: &mut Ctx<'_>,
    ) {
        let inline = ctx.inline(inlines);
        let raw = raw_heading(inlines, &ctx.doc.text, &inline);
        let line = ctx.line(start);
        if level == 1 && !self.seen_heading && self.title.is_none() {
            self.seen_heading = true;
            let clean = heading::clean(&inline.text);
            if self
                .front_title
                .as_ref()
                .is_none_or(|front| *front == text::fold(&clean.title))
            {
                self.phase_of_title(&clean.title);
                self.title = Some((clean.title, raw, line));
                return;
            }
        }
        self.seen_heading = true;
        while self.open.last().is_some_and(|s| s.level >= level) {
            self.close_one();
        }
        let clean = heading::clean(&inline.text);
        let parent = self.open.last().map(|s| s.phase);
        let phase = phase::classify(&clean.title, parent, self.default_phase);
        // A heading that is decoration only (`## 🚀`) keeps it as its title, not also as an icon.
        let (title, icon) = if clean.title.is_empty() {
            (raw.clone(), None)
        } else {
            (clean.title, clean.icon)
        };
        self.open.push(Section {
            id: id.map(str::to_owned).unwrap_or_default(),
            number: clean.number,
            title,
            raw_title: raw,
            icon,
            level,
            phase,
            declared_count: clean.declared_count,
            duration: clean.duration,
            time: clean.time,
            line,
            blocks: Vec::new(),
            sections: Vec::new(),
        });
    }

    fn close_one(&mut self) {
        if let Some(section) = self.open.pop() {
            match self.open.last_mut() {
                Some(parent) => parent.sections.push(section),
                None => self.done.push(section),
            }
        }
    }

    fn finish(mut self) -> (Option<Title>, Vec<Block>, Vec<Section>) {
        while !self.open.is_empty() {
            self.close_one();
        }
        (self.title, self.blocks, self.done)
    }
}

/// The heading's text as written: the source between its first and last inline event.
fn raw_heading(inlines: &[InlineEvent], source: &str, inline: &Inline) -> String {
    let start = inlines.iter().map(|(_, r)| r.start).min();
    let end = inlines.iter().map(|(_, r)| r.end).max();
    match (start, end) {
        (Some(s), Some(e)) if s < e => source
            .get(s..e)
            .map_or_else(|| inline.text.clone(), text::collapse_spaces),
        _ => inline.text.clone(),
    }
}

/// `ops/deploy-plan` → `Deploy plan`.
fn humanise_id(id: &str) -> String {
    let last = id.rsplit('/').next().unwrap_or(id).replace(['-', '_'], " ");
    let mut chars = last.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}
