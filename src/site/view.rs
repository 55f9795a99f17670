//! The view model: what templates see of a checklist.
//!
//! Input: a [`Checklist`]. Output: plain serialisable structs with everything a template should
//! not compute itself: highlighted code, sanitised raw HTML, placeholders marked in item HTML,
//! task counts per section, labels for phases and durations. Every `*_html` field here is safe to
//! emit unescaped (built from escaped text, our own tags, syntect spans or ammonia's output);
//! every other string is plain text that templates escape.

use serde::Serialize;

use super::highlight;
use crate::model::{
    Block, Checklist, CodeKind, Field, FieldsKind, Item, ItemKind, Part, Phase, Placeholder,
    Section, TableHtml, TableKind,
};

/// A checklist page's content.
#[derive(Debug, Serialize)]
pub struct ChecklistView {
    /// The checklist id.
    pub id: String,
    /// Cleaned title.
    pub title: String,
    /// The title's element id: the anchor GitHub gives its heading, when free.
    pub anchor: Option<String>,
    /// Metadata as label/value pairs, in a fixed order.
    pub meta: Vec<(String, String)>,
    /// Estimated total duration, as a label.
    pub estimated: Option<String>,
    /// Whether the page has anything to tick or fill in, which the run's tools (operator,
    /// progress, export, reset) are for.
    pub runnable: bool,
    /// Whether it has sections, listed beside the page.
    pub toc: bool,
    /// Task count.
    pub tasks: usize,
    /// Tasks ticked in the source.
    pub checked: usize,
    /// Phases that have sections, in deployment order: (name, label, tasks).
    pub phases: Vec<PhaseView>,
    /// Blocks before the first section.
    pub blocks: Vec<BlockView>,
    /// Top-level sections.
    pub sections: Vec<SectionView>,
    /// Diagnostics count.
    pub diagnostics: usize,
    /// The diagnostics the page lists, at most [`LISTED_DIAGNOSTICS`], in source order.
    pub problems: Vec<crate::diag::Diagnostic>,
    /// Source path.
    pub path: String,
}

/// Most diagnostics a checklist page lists; `preflight check` gives them all.
pub const LISTED_DIAGNOSTICS: usize = 200;

/// A phase with its label and counts.
#[derive(Debug, Clone, Serialize)]
pub struct PhaseView {
    /// Kebab-case name (`pre-deployment`).
    pub name: &'static str,
    /// Human label (`Pre-deployment`).
    pub label: &'static str,
    /// Tasks in sections of this phase.
    pub tasks: usize,
    /// Duration label, when sections of the phase declare durations.
    pub duration: Option<String>,
}

/// A section.
#[derive(Debug, Serialize)]
pub struct SectionView {
    /// Anchor.
    pub id: String,
    /// The anchor GitHub would give the heading, when it differs and is free on the page.
    pub alias: Option<String>,
    /// Leading number.
    pub number: Option<String>,
    /// Cleaned title.
    pub title: String,
    /// Icon emoji.
    pub icon: Option<String>,
    /// Heading level of the `<h*>` element (2–6: the page title is the only `<h1>`).
    pub heading: u8,
    /// Phase name.
    pub phase: &'static str,
    /// Phase label.
    pub phase_label: &'static str,
    /// Duration label.
    pub duration: Option<String>,
    /// Time or window.
    pub time: Option<String>,
    /// Declared item count.
    pub declared_count: Option<u32>,
    /// Tasks in this section and its sub-sections.
    pub tasks: usize,
    /// Of those, ticked in the source.
    pub checked: usize,
    /// Blocks under the heading.
    pub blocks: Vec<BlockView>,
    /// Sub-sections.
    pub sections: Vec<SectionView>,
}

/// A block, tagged by `type`.
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum BlockView {
    /// Prose.
    Paragraph {
        /// Inline HTML.
        html: String,
    },
    /// A list of items.
    List {
        /// Numbered.
        ordered: bool,
        /// First number.
        start: Option<u64>,
        /// Whether any item is a task.
        tasks: bool,
        /// The items.
        items: Vec<ItemView>,
    },
    /// Code.
    Code {
        /// Language as written.
        lang: Option<String>,
        /// Kind name.
        kind: &'static str,
        /// Highlighted HTML.
        html: String,
        /// Why the code is shown without colours, when it has a known language.
        notice: Option<&'static str>,
    },
    /// A table.
    Table {
        /// Kind name.
        kind: &'static str,
        /// Header cells.
        headers: Vec<String>,
        /// Body rows; an empty cell is a blank to fill in.
        rows: Vec<Vec<String>>,
        /// Header cells as HTML.
        headers_html: Vec<String>,
        /// Body rows as HTML; an empty cell is a blank to fill in.
        rows_html: Vec<Vec<String>>,
        /// For a sign-off table, the key its blank cells are kept under in the browser
        /// (`<key>-<row>-<column>`), so names and dates are filled in on the page.
        key: Option<String>,
        /// For a table of tasks, the column (from 0) whose cells are the rows' boxes.
        tick: Option<usize>,
        /// For a table of tasks, the task of each row.
        items: Vec<ItemView>,
    },
    /// Label/value lines.
    Fields {
        /// Kind name.
        kind: &'static str,
        /// The fields.
        fields: Vec<FieldView>,
    },
    /// A block quote, or a footnote's text.
    Quote {
        /// A footnote's label.
        footnote: Option<String>,
        /// A GitHub alert's kind (`warning`).
        alert: Option<String>,
        /// The alert's title (its own, or its kind's), or a content tab's.
        title: Option<String>,
        /// A footnote's element id, which its references link to: the first footnote with a
        /// label has it, a later one with the same label does not.
        anchor: Option<String>,
        /// Its content.
        blocks: Vec<BlockView>,
    },
    /// Raw HTML, sanitised.
    Html {
        /// Sanitised HTML.
        html: String,
    },
}

/// One list item.
#[derive(Debug, Serialize)]
pub struct ItemView {
    /// Stable id.
    pub id: String,
    /// Kind name.
    pub kind: &'static str,
    /// Ticked in the source.
    pub checked: bool,
    /// Inline HTML with placeholders marked.
    pub html: String,
    /// Plain text.
    pub text: String,
    /// Leading time.
    pub time: Option<String>,
    /// Duration label.
    pub duration: Option<String>,
    /// Whether this is a task with task children.
    pub group: bool,
    /// Whether the children are numbered steps.
    pub ordered_children: bool,
    /// Blocks inside the item, before its nested items.
    pub blocks: Vec<BlockView>,
    /// Nested items (the first list of them).
    pub children: Vec<ItemView>,
    /// What follows in the source when text comes after a nested list: runs of blocks, each
    /// followed by the next list's items.
    pub more: Vec<RunView>,
}

/// Blocks and then nested items, written after an item's first nested list.
#[derive(Debug, Serialize)]
pub struct RunView {
    /// The blocks.
    pub blocks: Vec<BlockView>,
    /// The items after them.
    pub children: Vec<ItemView>,
    /// Whether those are numbered steps.
    pub ordered: bool,
}

/// An item's blocks and children in source order, as runs of blocks each followed by items;
/// one run unless text is written after a nested list.
fn runs(i: &Item) -> Vec<(&[Block], &[Item])> {
    let mut runs = Vec::new();
    let (mut b0, mut b, mut c0, mut c) = (0, 0, 0, 0);
    for part in i.parts() {
        match part {
            Part::Block(_) => {
                if c > c0 {
                    runs.push((&i.blocks[b0..b], &i.children[c0..c]));
                    (b0, c0) = (b, c);
                }
                b += 1;
            }
            Part::Child(..) => c += 1,
        }
    }
    runs.push((&i.blocks[b0..b], &i.children[c0..c]));
    runs
}

/// One label/value line.
#[derive(Debug, Serialize)]
pub struct FieldView {
    /// Label.
    pub label: String,
    /// Value with placeholders marked, as HTML.
    pub value_html: String,
    /// Left to fill in.
    pub blank: bool,
    /// Choices to tick: (label, ticked in source).
    pub choices: Vec<(String, bool)>,
    /// Whether at most one choice may be ticked: an outcome (`Success / Rolled back`, `Go /
    /// No-go`, `Yes / No`), not a list of things that may all apply.
    pub exclusive: bool,
    /// A stable key for the field within the checklist (used by the browser to keep what was
    /// typed).
    pub key: String,
}

impl ChecklistView {
    /// Builds the view of a checklist.
    #[must_use]
    pub fn new(c: &Checklist) -> ChecklistView {
        let mut fields = 0usize;
        let header = meta_pairs(c);
        let aliases = crate::normalise::github_anchors(c);
        let anchor = crate::normalise::title_anchor(c, &aliases);
        let mut ctx = Ctx {
            fields: &mut fields,
            inputs: 0,
            sheets: 0,
            id: &c.id,
            footnotes: std::collections::HashSet::new(),
            aliases,
            header: &header,
            estimated: c.stats.estimated_minutes.is_some(),
        };
        let blocks = ctx.blocks(&c.blocks);
        let sections = c.sections.iter().map(|s| ctx.section(s)).collect();
        ChecklistView {
            id: c.id.clone(),
            title: c.title.clone(),
            anchor,
            runnable: c.stats.tasks > 0 || ctx.inputs > 0,
            toc: !c.sections.is_empty(),
            meta: header.clone(),
            estimated: c.stats.estimated_minutes.map(duration_label),
            tasks: c.stats.tasks,
            checked: c.stats.checked,
            phases: c
                .stats
                .phases
                .iter()
                .map(|p| PhaseView {
                    name: Phase::as_str(p.phase),
                    label: phase_label(p.phase),
                    tasks: p.tasks,
                    duration: p.minutes.map(duration_label),
                })
                .collect(),
            blocks,
            sections,
            diagnostics: c.diagnostics.len(),
            problems: c
                .diagnostics
                .iter()
                .take(LISTED_DIAGNOSTICS)
                .cloned()
                .collect(),
            path: c.path.clone(),
        }
    }
}

struct Ctx<'a> {
    fields: &'a mut usize,
    /// Inputs so far: blank fields, lines of choices and sign-off tables.
    inputs: usize,
    /// Sign-off tables so far.
    sheets: usize,
    /// The checklist's id, which links to other checklists are made relative to.
    id: &'a str,
    /// Element ids of the footnotes so far.
    footnotes: std::collections::HashSet<String>,
    /// GitHub's anchors of the sections' headings, by section id.
    aliases: std::collections::HashMap<String, String>,
    /// The metadata the page's header shows, and whether it shows an estimate.
    header: &'a [(String, String)],
    estimated: bool,
}

/// Labels of a field whose value is the checklist's estimated total time.
const ESTIMATE_LABELS: [&str; 5] = [
    "estimated total time",
    "estimated time",
    "total time",
    "estimated duration",
    "estimated total",
];

impl Ctx<'_> {
    fn section(&mut self, s: &Section) -> SectionView {
        let (tasks, checked) = s
            .deep_items()
            .filter(|i| i.is_task())
            .fold((0, 0), |(t, c), i| (t + 1, c + usize::from(i.checked)));
        SectionView {
            id: s.id.clone(),
            alias: self.aliases.remove(&s.id),
            number: s.number.clone(),
            title: s.title.clone(),
            icon: s.icon.clone(),
            heading: s.level.clamp(2, 6),
            phase: Phase::as_str(s.phase),
            phase_label: phase_label(s.phase),
            duration: s.duration.as_ref().map(|d| duration_label(d.minutes)),
            time: s.time.clone(),
            declared_count: s.declared_count,
            tasks,
            checked,
            blocks: self.blocks(&s.blocks),
            sections: s.sections.iter().map(|sub| self.section(sub)).collect(),
        }
    }

    fn blocks(&mut self, blocks: &[Block]) -> Vec<BlockView> {
        blocks.iter().map(|b| self.block(b)).collect()
    }

    fn block(&mut self, b: &Block) -> BlockView {
        match b {
            Block::Paragraph { html, .. } => BlockView::Paragraph {
                html: super::links::rewrite(html, self.id).into_owned(),
            },
            Block::List {
                ordered,
                start,
                items,
                ..
            } => BlockView::List {
                ordered: *ordered,
                start: start.filter(|&n| n != 1),
                tasks: items.iter().any(Item::is_task),
                items: items.iter().map(|i| self.item(i)).collect(),
            },
            Block::Code {
                lang, kind, text, ..
            } => {
                let (html, notice) = highlight::highlighted(lang.as_deref(), text);
                BlockView::Code {
                    lang: lang.clone(),
                    kind: code_kind(*kind),
                    html,
                    notice,
                }
            }
            Block::Table {
                kind,
                headers,
                rows,
                html,
                tick_column,
                items,
                ..
            } => {
                let mut view = self.table(*kind, headers, rows, html.as_ref());
                if let BlockView::Table {
                    tick,
                    items: views,
                    rows_html,
                    ..
                } = &mut view
                {
                    *tick = *tick_column;
                    *views = items.iter().map(|i| self.item(i)).collect();
                    show_task_cells(rows, rows_html, views);
                }
                view
            }
            Block::Fields { kind, fields, .. } => BlockView::Fields {
                kind: fields_kind(*kind),
                fields: {
                    let shown: Vec<&Field> = fields
                        .iter()
                        .filter(|f| *kind != FieldsKind::Meta || !self.in_header(f))
                        .collect();
                    shown.into_iter().map(|f| self.field(f)).collect()
                },
            },
            Block::Quote {
                blocks,
                footnote,
                alert,
                title,
                ..
            } => BlockView::Quote {
                footnote: footnote.clone(),
                alert: alert.clone(),
                title: match alert.as_deref() {
                    Some(kind) => Some(
                        title
                            .clone()
                            .unwrap_or_else(|| crate::model::alert_title(kind).to_owned()),
                    ),
                    None => title.clone(),
                },
                anchor: footnote
                    .as_deref()
                    .map(crate::normalise::footnote_anchor)
                    .filter(|anchor| self.footnotes.insert(anchor.clone())),
                blocks: self.blocks(blocks),
            },
            Block::Html { text, .. } => BlockView::Html {
                html: super::links::rewrite_owned(raw_html(text), self.id),
            },
        }
    }

    fn item(&mut self, i: &Item) -> ItemView {
        // Made in source order: the first footnote of a label gets its anchor.
        let mut runs = runs(i).into_iter().map(|(blocks, children)| RunView {
            blocks: self.blocks(blocks),
            ordered: !children.is_empty() && children.iter().all(|c| c.kind == ItemKind::Step),
            children: children.iter().map(|c| self.item(c)).collect(),
        });
        let first = runs.next().unwrap_or(RunView {
            blocks: Vec::new(),
            children: Vec::new(),
            ordered: false,
        });
        let more = runs.collect();
        ItemView {
            id: i.id.clone(),
            kind: item_kind(i.kind),
            checked: i.checked,
            html: super::links::rewrite_owned(mark_placeholders(&i.html, &i.placeholders), self.id),
            text: i.text.clone(),
            time: i.time.clone(),
            duration: i.duration.as_ref().map(|d| duration_label(d.minutes)),
            group: i.is_task() && i.children.iter().any(Item::is_task),
            ordered_children: first.ordered,
            blocks: first.blocks,
            children: first.children,
            more,
        }
    }

    /// Whether the page's header shows this field of a metadata block already (its value is the
    /// header's value for its key), so the block need not show it again.
    fn in_header(&self, f: &Field) -> bool {
        let label = f.label.to_lowercase();
        if ESTIMATE_LABELS.contains(&label.as_str()) {
            return self.estimated;
        }
        !f.blank && self.header.iter().any(|(_, value)| *value == f.value)
    }

    /// A table, its cells as plain text and as HTML (escaped text, or the model's HTML with
    /// links to other checklists rewritten).
    fn table(
        &mut self,
        kind: TableKind,
        headers: &[String],
        rows: &[Vec<String>],
        html: Option<&TableHtml>,
    ) -> BlockView {
        let cell = |text: &String, html: Option<&String>| {
            if let Some(html) = html {
                super::links::rewrite(html, self.id).into_owned()
            } else {
                let mut escaped = String::with_capacity(text.len());
                super::html::esc(&mut escaped, text);
                escaped
            }
        };
        let headers_html = headers
            .iter()
            .enumerate()
            .map(|(i, h)| cell(h, html.and_then(|t| t.headers.get(i))))
            .collect();
        let rows_html = rows
            .iter()
            .enumerate()
            .map(|(r, row)| {
                let marked = html.and_then(|t| t.rows.get(r));
                row.iter()
                    .enumerate()
                    .map(|(i, c)| cell(c, marked.and_then(|m| m.get(i))))
                    .collect()
            })
            .collect();
        let key = (kind == TableKind::SignOff).then(|| {
            self.sheets += 1;
            self.inputs += 1;
            format!("s{}", self.sheets)
        });
        BlockView::Table {
            kind: table_kind(kind),
            headers: headers.to_vec(),
            rows: rows.to_vec(),
            headers_html,
            rows_html,
            key,
            tick: None,
            items: Vec::new(),
        }
    }

    fn field(&mut self, f: &Field) -> FieldView {
        *self.fields += 1;
        self.inputs += usize::from(f.blank || !f.choices.is_empty());
        FieldView {
            label: f.label.clone(),
            value_html: match &f.html {
                Some(html) => {
                    super::links::rewrite_owned(mark_placeholders(html, &f.placeholders), self.id)
                }
                None => mark_placeholders(&highlight::escape(&f.value), &f.placeholders),
            },
            blank: f.blank,
            choices: f
                .choices
                .iter()
                .map(|c| (c.label.clone(), c.checked))
                .collect(),
            exclusive: is_verdict(&f.choices),
            key: format!("f{}", self.fields),
        }
    }
}

/// The main cell of each row of a table of tasks (the one whose text is its task's) as the
/// task's HTML, which marks its placeholders.
fn show_task_cells(rows: &[Vec<String>], rows_html: &mut [Vec<String>], items: &[ItemView]) {
    for ((row, cells), item) in rows.iter().zip(rows_html).zip(items) {
        if let Some(c) = row.iter().position(|cell| *cell == item.text) {
            cells[c].clone_from(&item.html);
        }
    }
}

/// Raw HTML from the source, sanitised. A block that opens a `<details>` without closing it, or
/// closes one, wraps Markdown the model keeps outside it (`<details><summary>More</summary>`,
/// the tasks, then `</details>`): it shows as its summary's text, so the tasks stay visible
/// instead of an empty box that expands nothing.
fn raw_html(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    if lower.matches("<details").count() == lower.matches("</details").count() {
        return sanitise(text);
    }
    let summary = crate::model::html_text(text);
    if summary.is_empty() {
        String::new()
    } else {
        format!(
            "<p class=\"details-summary\">{}</p>",
            highlight::escape(&summary)
        )
    }
}

/// Sanitises raw HTML from the source: scripts, event handlers, styles and `javascript:` URLs go.
#[must_use]
pub fn sanitise(html: &str) -> String {
    if nesting_bound(html) > MAX_HTML_NESTING {
        // The HTML parser checks the open elements for each tag, which takes quadratic time on
        // elements nested this deep; no runbook needs them, so the source is shown as text.
        return format!("<p>{}</p>", highlight::escape(html));
    }
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer"))
        .clean(html)
        .to_string()
}

/// Raw HTML nested deeper than this is shown as text instead of being parsed.
const MAX_HTML_NESTING: usize = 128;

/// The deepest nesting of elements in `html`, counting start tags that are not void or
/// self-closed in and every end tag out (so it errs high on HTML that leaves elements open).
fn nesting_bound(html: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    for at in memchr::memchr_iter(b'<', html.as_bytes()) {
        let rest = &html[at + 1..];
        if rest.starts_with('/') {
            depth = depth.saturating_sub(1);
            continue;
        }
        let name_len = rest.bytes().take_while(u8::is_ascii_alphanumeric).count();
        if name_len == 0 || !rest.as_bytes()[0].is_ascii_alphabetic() {
            continue;
        }
        let name = rest[..name_len].to_ascii_lowercase();
        // The tag ends at its `>`, or is left open where the next tag starts.
        let end = memchr::memchr2(b'>', b'<', rest.as_bytes()).unwrap_or(rest.len());
        let self_closed = rest[..end].ends_with('/');
        if !crate::normalise::VOID_ELEMENTS.contains(&name.as_str()) && !self_closed {
            depth += 1;
            deepest = deepest.max(depth);
        }
    }
    deepest
}

/// Wraps each placeholder's text in `<mark class="placeholder">`, in text only (never inside a
/// tag or an attribute).
#[must_use]
pub fn mark_placeholders(html: &str, placeholders: &[Placeholder]) -> String {
    let mut needles: Vec<String> = placeholders
        .iter()
        .map(|p| highlight::escape(&p.text))
        .filter(|t| !t.is_empty())
        .collect();
    if needles.is_empty() {
        return html.to_owned();
    }
    // Longest first, equal ones side by side so that each is kept once.
    needles.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    needles.dedup();
    let mut out = String::with_capacity(html.len() + 64 * needles.len());
    let mut rest = html;
    while !rest.is_empty() {
        let (text, tag) = match rest.find('<') {
            Some(i) => {
                let end = rest[i..].find('>').map_or(rest.len(), |e| i + e + 1);
                (&rest[..i], &rest[i..end])
            }
            None => (rest, ""),
        };
        mark_text(text, &needles, &mut out);
        out.push_str(tag);
        rest = &rest[text.len() + tag.len()..];
    }
    out
}

/// Marks the leftmost needle, the longest where two start together, then the next after it.
/// Each needle's next place is kept and looked for again only once the text has passed it, so
/// a long text with many placeholders is read a few times, not once per placeholder.
fn mark_text(text: &str, needles: &[String], out: &mut String) {
    let find = |n: &String, from: usize| text[from..].find(n.as_str()).map(|at| from + at);
    let mut next: Vec<Option<usize>> = needles.iter().map(|n| find(n, 0)).collect();
    let mut done = 0;
    loop {
        let hit = next
            .iter()
            .zip(needles)
            .filter_map(|(at, n)| at.map(|at| (at, n)))
            .min_by_key(|(at, n)| (*at, std::cmp::Reverse(n.len())));
        let Some((at, needle)) = hit else {
            out.push_str(&text[done..]);
            return;
        };
        out.push_str(&text[done..at]);
        out.push_str("<mark class=\"placeholder\">");
        out.push_str(needle);
        out.push_str("</mark>");
        done = at + needle.len();
        for (slot, n) in next.iter_mut().zip(needles) {
            if slot.is_some_and(|at| at < done) {
                *slot = find(n, done);
            }
        }
    }
}

fn meta_pairs(c: &Checklist) -> Vec<(String, String)> {
    let m = &c.meta;
    [
        ("Version", &m.version),
        ("Date", &m.date),
        ("Platform", &m.platform),
        ("Owner", &m.owner),
        ("Status", &m.status),
        ("Review", &m.review_frequency),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.as_ref().map(|v| (k.to_owned(), v.clone())))
    .collect()
}

/// A duration in minutes as a short label: `45 min`, `2 h`, `1 h 30 min`.
#[must_use]
pub fn duration_label(minutes: u32) -> String {
    // Two days and more read in days: `21 d`, not `504 h`.
    if minutes >= 2 * 24 * 60 {
        let (days, hours) = (minutes / (24 * 60), minutes % (24 * 60) / 60);
        return if hours == 0 {
            format!("{days} d")
        } else {
            format!("{days} d {hours} h")
        };
    }
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

/// The label shown for a phase.
#[must_use]
pub fn phase_label(p: Phase) -> &'static str {
    match p {
        Phase::PreDeployment => "Pre-deployment",
        Phase::Deployment => "Deployment",
        Phase::Verification => "Verification",
        Phase::PostDeployment => "Post-deployment",
        Phase::Rollback => "Rollback",
        Phase::Monitoring => "Monitoring",
        Phase::Maintenance => "Maintenance",
        Phase::SignOff => "Sign-off",
        Phase::Contacts => "Contacts",
        Phase::SuccessCriteria => "Success criteria",
        Phase::Reference => "Reference",
        Phase::Other => "Other",
    }
}

fn item_kind(k: ItemKind) -> &'static str {
    match k {
        ItemKind::Task => "task",
        ItemKind::Step => "step",
        ItemKind::Criterion => "criterion",
        ItemKind::Bullet => "bullet",
    }
}

fn code_kind(k: CodeKind) -> &'static str {
    match k {
        CodeKind::Commands => "commands",
        CodeKind::EnvTemplate => "env-template",
        CodeKind::Config => "config",
        CodeKind::Other => "other",
    }
}

fn table_kind(k: TableKind) -> &'static str {
    match k {
        TableKind::SignOff => "sign-off",
        TableKind::Contacts => "contacts",
        TableKind::Tasks => "tasks",
        TableKind::Other => "other",
    }
}

fn fields_kind(k: FieldsKind) -> &'static str {
    match k {
        FieldsKind::SignOff => "sign-off",
        FieldsKind::Contacts => "contacts",
        FieldsKind::Meta => "meta",
        FieldsKind::Other => "other",
    }
}

/// Words that name an outcome: choices with one of them are answers, of which one is given.
const VERDICTS: &[&str] = &[
    "aborted",
    "approved",
    "cancelled",
    "complete",
    "completed",
    "fail",
    "failed",
    "failure",
    "go",
    "incomplete",
    "no",
    "no go",
    "no-go",
    "partial",
    "pass",
    "passed",
    "rejected",
    "rolled back",
    "rollback",
    "success",
    "successful",
    "yes",
];

/// Whether choices are answers to one question (`⬜ Success / ⬜ Rolled Back`): one of them
/// names an outcome.
fn is_verdict(choices: &[crate::model::Choice]) -> bool {
    choices.len() > 1
        && choices.iter().any(|c| {
            let label = c
                .label
                .trim()
                .trim_end_matches(['/', '|', ',', ';'])
                .trim()
                .to_lowercase();
            VERDICTS.contains(&label.as_str())
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PlaceholderKind;

    fn ph(text: &str) -> Placeholder {
        Placeholder {
            text: text.into(),
            kind: PlaceholderKind::Bracket,
            line: 1,
            column: 1,
        }
    }

    #[test]
    fn placeholders_are_marked_in_text_only() {
        let html = "Call <a href=\"https://x.test/[Name]\">[Name]</a> at [Name]";
        let out = mark_placeholders(html, &[ph("[Name]")]);
        assert_eq!(
            out,
            "Call <a href=\"https://x.test/[Name]\"><mark class=\"placeholder\">[Name]</mark></a> at <mark class=\"placeholder\">[Name]</mark>"
        );
    }

    #[test]
    fn escaped_placeholders_are_found() {
        let out = mark_placeholders("key: &lt;GENERATED&gt;", &[ph("<GENERATED>")]);
        assert_eq!(
            out,
            "key: <mark class=\"placeholder\">&lt;GENERATED&gt;</mark>"
        );
    }

    #[test]
    fn raw_html_is_sanitised() {
        let out = sanitise(
            "<p onclick=\"x()\">hi<script>alert(1)</script><a href=\"javascript:x\">l</a></p>",
        );
        assert!(!out.contains("script"), "{out}");
        assert!(!out.contains("onclick"), "{out}");
        assert!(!out.contains("javascript"), "{out}");
        assert!(out.contains("hi"), "{out}");
    }

    #[test]
    fn durations_read_well() {
        assert_eq!(duration_label(45), "45 min");
        assert_eq!(duration_label(120), "2 h");
        assert_eq!(duration_label(90), "1 h 30 min");
        assert_eq!(duration_label(47 * 60), "47 h");
        assert_eq!(duration_label(504 * 60), "21 d");
        assert_eq!(duration_label(552 * 60 + 45), "23 d");
    }
}
