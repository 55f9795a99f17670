//! Printable runbooks: the sheet an operator ticks with a pen on deployment day and the approvers
//! sign, as print-ready HTML (in the site) and as PDF (`pdf`, built by the typst compiler inside
//! the binary).
//!
//! Input: a [`Checklist`] and where it is printed (release, date, revision). Output: a [`Sheet`],
//! a flat, print-shaped view of the checklist that both the print HTML template and the typst
//! template read: phase groups (each starts a new page), their sections, and rows (items with
//! their depth, code, tables, fields to fill in), then the roles to sign. A sign-off section that
//! holds only what the sign-off sheet asks for is not printed twice; inline code and web links'
//! addresses are kept in the rows.
//!
//! Text reaches both renderers as data: HTML templates escape it, and the typst template reads it
//! from a JSON file (`json("sheet.json")`), so `#`, `$`, `*`, `]` or typst code in a checklist
//! print literally. Emoji are left out of printed text, since the fonts built into the binary
//! have none: check marks, crosses and warning signs print as the plain signs the fonts have
//! (`✅` → `✓`, `❌` → `✗`, `⚠️` → `⚠`); a traffic light or hourglass that stands for a status on
//! its own (a table cell, `Status: 🔴`) prints as a word ("Red", "Pending"), and one that
//! decorates the word after it (`🟢 Healthy`) is dropped, as are other emoji. The site and the
//! JSON keep them.

#[cfg(feature = "pdf")]
mod fonts;
pub mod html;
#[cfg(feature = "pdf")]
pub mod pdf;

use serde::Serialize;

use crate::model::{Block, Checklist, FieldsKind, Item, ItemKind, Part, Section, TableKind};
use crate::normalise::{cut_at_word, is_emoji};
use crate::site::view::{duration_label, phase_label};

/// Longest title printed, in characters: a checklist's title is on every page's header, and a
/// title of megabytes would take the typesetter minutes and gigabytes.
const TITLE_CHARS: usize = 300;

/// Roles printed on the sign-off sheet when the checklist names none.
pub const DEFAULT_ROLES: &[&str] = &["Release manager", "Deploying engineer", "Approver"];

/// Paper sizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Paper {
    /// ISO A4, 210 × 297 mm.
    #[default]
    A4,
    /// US Letter, 8.5 × 11 in.
    Letter,
}

impl Paper {
    /// The name typst and CSS use.
    #[must_use]
    pub fn typst_name(self) -> &'static str {
        match self {
            Paper::A4 => "a4",
            Paper::Letter => "us-letter",
        }
    }

    /// The CSS `@page size`.
    #[must_use]
    pub fn css(self) -> &'static str {
        match self {
            Paper::A4 => "A4",
            Paper::Letter => "letter",
        }
    }
}

/// Where and when a sheet is printed.
#[derive(Debug, Clone, Default)]
pub struct Imprint {
    /// Book title.
    pub book: String,
    /// Release name.
    pub release: String,
    /// Date printed on the cover, `YYYY-MM-DD`.
    pub date: String,
    /// Source revision (a commit id or a description), when known.
    pub revision: Option<String>,
    /// Paper size.
    pub paper: Paper,
}

/// A checklist shaped for paper.
#[derive(Debug, Clone, Serialize)]
pub struct Sheet {
    /// Checklist id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Source path.
    pub path: String,
    /// Book title.
    pub book: String,
    /// Release.
    pub release: String,
    /// Date printed.
    pub date: String,
    /// Source revision.
    pub revision: Option<String>,
    /// Estimated total duration.
    pub estimated: Option<String>,
    /// Metadata lines (label, value).
    pub meta: Vec<(String, String)>,
    /// Paper size for typst (`a4`, `us-letter`).
    pub paper: &'static str,
    /// Paper size for CSS.
    pub paper_css: &'static str,
    /// Rows before the first section.
    pub intro: Vec<Row>,
    /// Groups of sections, one per run of sections in the same phase; each starts a page.
    pub groups: Vec<Group>,
    /// Roles on the sign-off sheet.
    pub roles: Vec<String>,
    /// Whether the roles came from the checklist (else they are [`DEFAULT_ROLES`]).
    pub roles_named: bool,
    /// Number of task rows (boxes to tick).
    pub tasks: usize,
}

impl Sheet {
    /// How many rows it prints, a measure of the typesetter's work.
    /// A table counts its body rows (or its cells, eight to a row, when it is wide) and code its
    /// lines, so that a checklist holding a generated
    /// inventory of thousands of rows counts as long as it prints; any row counts at least one
    /// per 100 bytes of its text (about a printed line), so that a line of megabytes counts as
    /// the thousands of printed lines it would fill; and the cover and sign-off pages count too.
    #[must_use]
    pub fn rows(&self) -> usize {
        let weight = |row: &Row| {
            let rows = match row {
                // A wide table is as much work as its cells: a row of a hundred thousand
                // columns is not one row.
                Row::Table { headers, rows, .. } => {
                    let cells = headers.len() + rows.iter().map(Vec::len).sum::<usize>();
                    rows.len().max(1).max(cells / CELLS_PER_ROW)
                }
                Row::Code { text, .. } => text.lines().count().max(1),
                _ => 1,
            };
            rows.max(row.text_len() / BYTES_PER_ROW)
        };
        SHEET_ROWS
            + self.intro.iter().map(weight).sum::<usize>()
            + self
                .groups
                .iter()
                .flat_map(|g| &g.sections)
                .map(|s| s.rows.iter().map(weight).sum::<usize>() + 1)
                .sum::<usize>()
    }
}

/// A run of top-level sections of one phase.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    /// Phase name (`pre-deployment`).
    pub phase: &'static str,
    /// Phase label (`Pre-deployment`).
    pub label: &'static str,
    /// Whether it starts a new page: deployment phases with content do, unless nothing with
    /// content comes before them on the page; reference, contacts and other material follow on.
    pub new_page: bool,
    /// Its sections, sub-sections flattened after their parent.
    pub sections: Vec<PrintSection>,
}

/// A section as printed.
#[derive(Debug, Clone, Serialize)]
pub struct PrintSection {
    /// Anchor id.
    pub id: String,
    /// Title, without decoration, after its number as written (`3. Verify`).
    pub title: String,
    /// Depth below the group's top section (0 for it).
    pub depth: usize,
    /// Declared duration, as written.
    pub duration: Option<String>,
    /// Declared time or window.
    pub time: Option<String>,
    /// Its content.
    pub rows: Vec<Row>,
}

/// One printed row.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Row {
    /// An item: a task has a box and columns to write in.
    Item {
        /// Text.
        text: String,
        /// The text in runs when some of it is set apart (code, bold, italics, struck out);
        /// empty when none is.
        runs: Vec<Run>,
        /// Nesting depth (0 at the top of a list).
        depth: usize,
        /// Whether it has a box to tick.
        task: bool,
        /// Whether it is ticked in the source.
        checked: bool,
        /// `1.` for a numbered step.
        number: Option<String>,
        /// Leading time (`9:00 AM`, `T-2h`).
        time: Option<String>,
        /// Duration label.
        duration: Option<String>,
    },
    /// Code, in monospace, wrapped.
    Code {
        /// Language.
        lang: Option<String>,
        /// The code.
        text: String,
        /// Depth of the item it belongs to (0 when none).
        depth: usize,
    },
    /// A paragraph of prose.
    Paragraph {
        /// Text.
        text: String,
        /// The text in runs when some of it is set apart (code, bold, italics, struck out);
        /// empty when none is.
        runs: Vec<Run>,
        /// Depth.
        depth: usize,
    },
    /// A table.
    Table {
        /// Header cells.
        headers: Vec<String>,
        /// Body rows.
        rows: Vec<Vec<String>>,
        /// Depth.
        depth: usize,
    },
    /// A line to fill in (`Deployed by: ______`), or a line of choices to tick.
    Field {
        /// Label.
        label: String,
        /// Value already written, when not blank.
        value: Option<String>,
        /// The value in runs when some of it is set apart (code, bold, italics, struck out);
        /// empty when none is.
        runs: Vec<Run>,
        /// Choices to tick (`Success`, `Rolled back`).
        choices: Vec<String>,
        /// For each choice, whether the source ticks it already (`☑ Production`).
        ticked: Vec<bool>,
        /// Depth.
        depth: usize,
    },
}

/// A stretch of a row's text and how it is set: inline code (a command, a path) in monospace,
/// bold and italics as written, struck-out text struck out, so that `kubectl rollout undo` and
/// **do not restart** stand apart from the words around them on paper as on the screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[allow(clippy::struct_excessive_bools)] // Styles combine (bold code); templates read each as a flag.
pub struct Run {
    /// Text.
    pub text: String,
    /// Whether it is inline code.
    pub code: bool,
    /// Whether it is bold.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub strong: bool,
    /// Whether it is in italics.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub em: bool,
    /// Whether it is struck out.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub strike: bool,
}

impl Run {
    /// Plain text.
    fn plain(text: String) -> Self {
        Run::styled(text, 0)
    }

    fn styled(text: String, style: u8) -> Self {
        Run {
            text,
            code: style & CODE != 0,
            strong: style & STRONG != 0,
            em: style & EM != 0,
            strike: style & STRIKE != 0,
        }
    }
}

const CODE: u8 = 1;
const STRONG: u8 = 2;
const EM: u8 = 4;
const STRIKE: u8 = 8;

/// The inline elements that set text apart, and how.
const STYLED: [(&str, &str, u8); 4] = [
    ("<code>", "</code>", CODE),
    ("<strong>", "</strong>", STRONG),
    ("<em>", "</em>", EM),
    ("<del>", "</del>", STRIKE),
];

/// Styled spans of a row looked for at most.
const MAX_STYLED: usize = 64;

/// The runs of `text`, a printed form of the text of `html`: each styled element of the HTML
/// (`<code>`, `<strong>`, `<em>`, `<del>`) marks the occurrence of its text that it is in the
/// HTML (the second `a` of "use a then `a`"); styles nest (bold code). Empty when the HTML holds
/// no styled text, or none of it is found.
fn styled_runs(text: &str, html: &str) -> Vec<Run> {
    if !html.contains('<') {
        return Vec::new();
    }
    let mut style = vec![0u8; text.len()];
    let mut from = 0;
    // A row of thousands of styled spans sets its first ones apart, and stays linear.
    for _ in 0..MAX_STYLED {
        let Some((open, inner, close, bit)) = next_styled(html, from) else {
            break;
        };
        from = inner;
        let raw = &html[inner..close];
        // Most spans hold no entity or tag to decode.
        let words = if raw.contains(['&', '<']) {
            printable(&crate::model::html_text(raw))
        } else {
            printable(raw)
        };
        let words = words.trim();
        if words.is_empty() {
            continue;
        }
        // The same occurrence of its text as in the HTML: `a` in "use a then `a`" is the
        // second, `id` in "Validate `id`" the second too.
        // Counted in the text before it as printed, web links' addresses added (a word of an
        // address is no occurrence the HTML marks).
        let before = &html[..open];
        let nth = printable(&with_link_targets(crate::model::html_text(before), before))
            .matches(words)
            .count();
        if let Some((start, _)) = text.match_indices(words).nth(nth) {
            for s in &mut style[start..start + words.len()] {
                *s |= bit;
            }
        }
    }
    if style.iter().all(|&s| s == 0) {
        return Vec::new();
    }
    let mut runs = Vec::new();
    let mut at = 0;
    while at < text.len() {
        let end = style[at..]
            .iter()
            .position(|&s| s != style[at])
            .map_or(text.len(), |n| at + n);
        runs.push(Run::styled(text[at..end].to_owned(), style[at]));
        at = end;
    }
    runs
}

/// The first styled element of `html` at or after `from`: where it opens, where its text starts
/// and ends, and its style.
fn next_styled(html: &str, from: usize) -> Option<(usize, usize, usize, u8)> {
    let mut at = from;
    while let Some(lt) = html[at..].find('<').map(|i| at + i) {
        at = lt + 1;
        let rest = &html[lt..];
        let Some(&(open, close, bit)) = STYLED.iter().find(|(open, ..)| rest.starts_with(open))
        else {
            continue;
        };
        let inner = lt + open.len();
        let end = html[inner..].find(close)? + inner;
        return Some((lt, inner, end, bit));
    }
    None
}

/// Rows every sheet counts for its cover and sign-off pages, which it prints however short it
/// is: a pack of a thousand one-line checklists is two thousand pages to typeset.
const SHEET_ROWS: usize = 90;

/// Cells of a table that count as one row of a sheet: about the cells of a printed row.
const CELLS_PER_ROW: usize = 8;

/// Bytes of text that count as one row of a sheet: about a printed line.
const BYTES_PER_ROW: usize = 100;

impl Row {
    /// Bytes of text the row prints.
    fn text_len(&self) -> usize {
        match self {
            Row::Item { text, .. } | Row::Code { text, .. } | Row::Paragraph { text, .. } => {
                text.len()
            }
            Row::Table { headers, rows, .. } => headers
                .iter()
                .chain(rows.iter().flatten())
                .map(String::len)
                .sum(),
            Row::Field {
                label,
                value,
                choices,
                ..
            } => {
                label.len()
                    + value.as_ref().map_or(0, String::len)
                    + choices.iter().map(String::len).sum::<usize>()
            }
        }
    }
}

/// The printable sheet of `c`.
#[must_use]
pub fn sheet(c: &Checklist, imprint: &Imprint) -> Sheet {
    let mut intro = Vec::new();
    rows(&c.blocks, 0, &mut intro);
    let mut groups: Vec<Group> = Vec::new();
    for s in &c.sections {
        let section_group = s.phase;
        let start_new = groups
            .last()
            .is_none_or(|g| g.phase != section_group.as_str());
        if start_new {
            groups.push(Group {
                phase: section_group.as_str(),
                label: phase_label(section_group),
                new_page: !matches!(
                    section_group,
                    crate::model::Phase::Other
                        | crate::model::Phase::Reference
                        | crate::model::Phase::Contacts
                        | crate::model::Phase::SuccessCriteria
                ),
                sections: Vec::new(),
            });
        }
        if let Some(group) = groups.last_mut() {
            flatten(s, 0, &mut group.sections);
        }
    }
    let (roles, roles_named) = roles(c);
    if roles_named {
        drop_signed_on_the_sheet(&mut groups, &roles);
    }
    break_pages(&mut groups);
    let tasks = c.walk_items().filter(|(_, i)| i.is_task()).count();
    Sheet {
        id: c.id.clone(),
        title: cut_at_word(&printable(&c.title), TITLE_CHARS),
        path: c.path.clone(),
        book: printable(&imprint.book),
        release: imprint.release.clone(),
        date: imprint.date.clone(),
        revision: imprint.revision.clone(),
        estimated: c.stats.estimated_minutes.map(duration_label),
        meta: meta(c),
        paper: imprint.paper.typst_name(),
        paper_css: imprint.paper.css(),
        intro,
        groups,
        roles,
        roles_named,
        tasks,
    }
}

/// Rows a table of blank rows prints at least, to be filled in by hand.
const FORM_ROWS: usize = 5;

/// Labels of a line of choices that is the outcome the sheet asks for, in lower case.
const OUTCOME_LABELS: [&str; 5] = [
    "result",
    "outcome",
    "status",
    "deployment result",
    "deployment status",
];

/// The choices of the sheet's outcome line, in lower case.
const OUTCOME: [&str; 3] = ["success", "rolled back", "partial"];

/// Leaves out the sign-off sections whose every row the sign-off sheet prints already: lines to
/// sign for its roles (`Deployed By: ____`) and the outcome (`Result: ☐ Success ☐ Rolled
/// back`). Printed twice, they were two pages asking for the same signatures.
fn drop_signed_on_the_sheet(groups: &mut Vec<Group>, roles: &[String]) {
    let on_sheet = |row: &Row| match row {
        Row::Field {
            label,
            value: None,
            choices,
            ..
        } if choices.is_empty() => {
            let role = role_of(label).unwrap_or(label).trim();
            roles.iter().any(|r| r.eq_ignore_ascii_case(role))
        }
        // One outcome, still to tick, of the sheet's choices: `Staging: ☐ Success` and
        // `Production: ☐ Success` are two, and `Result: ☑ Rolled back` is a record.
        Row::Field {
            label,
            choices,
            ticked,
            ..
        } if !choices.is_empty() => {
            OUTCOME_LABELS.contains(&label.trim().to_lowercase().as_str())
                && !ticked.contains(&true)
                && choices
                    .iter()
                    .all(|c| OUTCOME.contains(&c.trim().to_lowercase().as_str()))
        }
        _ => false,
    };
    for g in groups.iter_mut().filter(|g| g.phase == "sign-off") {
        let before = g.sections.len();
        g.sections
            .retain(|s| s.rows.is_empty() || !s.rows.iter().all(on_sheet));
        // Headings left with nothing under them go too.
        if g.sections.len() < before && g.sections.iter().all(|s| s.rows.is_empty()) {
            g.sections.clear();
        }
    }
    groups.retain(|g| !g.sections.is_empty());
}

/// Which groups start a page: a deployment phase with something under its headings, after a
/// page that already holds some; the first group follows the cover's page break and the text
/// before the first section. Headings with nothing under them (`## Version: 1.0` lines used as
/// a header) never get a page of their own.
fn break_pages(groups: &mut [Group]) {
    let mut page_has_rows = false;
    for g in groups {
        let has_rows = g.sections.iter().any(|s| !s.rows.is_empty());
        g.new_page &= has_rows && page_has_rows;
        if g.new_page {
            page_has_rows = false;
        }
        page_has_rows |= has_rows;
    }
}

fn flatten(s: &Section, depth: usize, out: &mut Vec<PrintSection>) {
    let mut stack = vec![(s, depth)];
    while let Some((s, depth)) = stack.pop() {
        let mut section_rows = Vec::new();
        rows(&s.blocks, 0, &mut section_rows);
        // The number stays: the text refers to sections by it ("see section 3").
        // `1.` is written `1.`, `1.1` as it is: `1.1. Code quality` was not the heading.
        let title = match s.number.as_deref().filter(|n| !n.trim().is_empty()) {
            Some(number) if number.contains('.') => format!("{number} {}", printable(&s.title)),
            Some(number) => format!("{number}. {}", printable(&s.title)),
            None => printable(&s.title),
        };
        out.push(PrintSection {
            id: s.id.clone(),
            title: cut_at_word(&title, TITLE_CHARS),
            depth,
            duration: s.duration.as_ref().map(|d| d.text.clone()),
            time: s.time.clone(),
            rows: section_rows,
        });
        stack.extend(s.sections.iter().rev().map(|c| (c, depth + 1)));
    }
}

/// The rows of `blocks` at `depth`, items flattened depth first, in the order of the source:
/// the content of a quote (an alert, a footnote) is worked through in place, lists and all.
fn rows(blocks: &[Block], depth: usize, out: &mut Vec<Row>) {
    enum Work<'a> {
        Block(&'a Block, usize),
        Item(&'a Item, usize, Option<String>),
        /// A footnote's label, put before the first row of its text (at this index) once the
        /// text is written.
        Label(&'a str, usize),
    }
    let mut stack: Vec<Work<'_>> = blocks.iter().rev().map(|b| Work::Block(b, depth)).collect();
    while let Some(work) = stack.pop() {
        match work {
            Work::Item(item, depth, number) => {
                let text = item_text(item);
                // `- Decision: ☐ GO / ☐ NO-GO` under a task: a line of choices, as a field prints;
                // `- Ops Lead: ____`: a line to write on, drawn as a field's.
                let field = (item.kind == ItemKind::Bullet).then(|| {
                    choice_field(&text, &item.html, depth).or_else(|| blank_field(&text, depth))
                });
                if let Some(field) = field.flatten() {
                    out.push(field);
                } else {
                    let text = printable(task_text(item, &text));
                    out.push(Row::Item {
                        runs: styled_runs(&text, &item.html),
                        text,
                        depth,
                        task: item.is_task(),
                        checked: item.checked,
                        number,
                        time: item
                            .time
                            .clone()
                            .filter(|t| !item.text.contains(t.as_str())),
                        duration: item
                            .duration
                            .as_ref()
                            .filter(|d| !item.text.contains(d.text.as_str()))
                            .map(|d| d.text.clone()),
                    });
                }
                // Steps are numbered within each list: text between two lists starts a new one.
                let mut n = 0;
                let parts: Vec<Work<'_>> = item
                    .parts()
                    .map(|part| match part {
                        Part::Block(b) => {
                            n = 0;
                            Work::Block(b, depth + 1)
                        }
                        Part::Child(_, c) => {
                            n += 1;
                            let number = (c.kind == ItemKind::Step).then(|| format!("{n}."));
                            Work::Item(c, depth + 1, number)
                        }
                    })
                    .collect();
                stack.extend(parts.into_iter().rev());
            }
            Work::Label(label, first) => label_footnote(label, out.get_mut(first)),
            Work::Block(
                Block::Quote {
                    blocks,
                    footnote,
                    alert,
                    title,
                    ..
                },
                depth,
            ) => {
                match (alert, title) {
                    (Some(kind), _) => out.extend(alert_title_row(kind, title.as_deref(), depth)),
                    (None, Some(tab)) if !tab.trim().is_empty() => out.push(Row::Paragraph {
                        text: printable(tab),
                        runs: Vec::new(),
                        depth,
                    }),
                    (None, _) => {}
                }
                if let Some(label) = footnote {
                    stack.push(Work::Label(label, out.len()));
                }
                stack.extend(blocks.iter().rev().map(|b| Work::Block(b, depth)));
            }
            Work::Block(block, depth) => block_rows(block, depth, out, &mut |items, start| {
                let first = start.unwrap_or(1);
                for (i, item) in items.iter().enumerate().rev() {
                    let number =
                        (item.kind == ItemKind::Step).then(|| format!("{}.", first + i as u64));
                    stack.push(Work::Item(item, depth, number));
                }
            }),
        }
    }
}

/// The rows of one block; lists are handed to `list` (items and the first number).
fn block_rows<'a>(
    block: &'a Block,
    depth: usize,
    out: &mut Vec<Row>,
    list: &mut dyn FnMut(&'a [Item], Option<u64>),
) {
    match block {
        Block::Paragraph { text, html, .. } => {
            let text = with_link_targets(with_footnote_marks(text, html), html);
            out.push(choice_field(&text, html, depth).unwrap_or_else(|| {
                let text = printable(&text);
                Row::Paragraph {
                    runs: styled_runs(&text, html),
                    text,
                    depth,
                }
            }));
        }
        Block::Html { text, .. } => {
            let text = crate::model::html_text(text);
            if !text.is_empty() {
                out.push(Row::Paragraph {
                    text: printable(&text),
                    runs: Vec::new(),
                    depth,
                });
            }
        }
        Block::List { items, start, .. } => list(items, *start),
        Block::Code { lang, text, .. } => out.push(Row::Code {
            lang: lang.clone(),
            text: text.clone(),
            depth,
        }),
        Block::Table {
            headers,
            rows,
            tick_column,
            items,
            ..
        } => {
            let mut rows: Vec<Vec<String>> = rows
                .iter()
                .map(|r| r.iter().map(|c| cell_text(c)).collect())
                .collect();
            // A table of tasks: each row's box, however the source drew it (`⬜`, `✅`, an
            // empty cell under `Done`), prints as a box to tick.
            if let Some(tick) = *tick_column {
                for (row, item) in rows.iter_mut().zip(items) {
                    if let Some(cell) = row.get_mut(tick) {
                        if item.checked { "☒" } else { "☐" }.clone_into(cell);
                    }
                }
            }
            // A table of blank rows is a form: on paper it gets rows enough to write in.
            if !rows.is_empty() && rows.iter().flatten().all(|c| c.trim().is_empty()) {
                let blank = vec![String::new(); headers.len()];
                rows.resize(rows.len().max(FORM_ROWS), blank);
            }
            out.push(Row::Table {
                headers: headers.iter().map(|h| printable(h)).collect(),
                rows,
                depth,
            });
        }
        Block::Fields { fields, .. } => {
            for f in fields {
                let value = (!f.blank).then(|| printable(&f.value));
                out.push(Row::Field {
                    label: printable(&f.label),
                    runs: match (&value, &f.html) {
                        (Some(value), Some(html)) => styled_runs(value, html),
                        _ => Vec::new(),
                    },
                    value,
                    choices: f.choices.iter().map(|c| printable(&c.label)).collect(),
                    ticked: f.choices.iter().map(|c| c.checked).collect(),
                    depth,
                });
            }
        }
        // `rows` works through quotes itself, to keep their content in order.
        Block::Quote { .. } => {}
    }
}

/// A table cell as printed: a task marker alone in a cell (`[ ]`, `[x]`) is a box to tick, as
/// the site shows it, and prints as one (`☐`, `☒`).
fn cell_text(cell: &str) -> String {
    match cell.trim() {
        "[ ]" => "☐".to_owned(),
        "[x]" | "[X]" => "☒".to_owned(),
        _ => printable(cell),
    }
}

/// `Ops Lead: ____` (a bullet's text) as the line to write on that a `**Ops Lead**: ____` field
/// prints, rather than the underscores as typed. None unless what follows the first colon is a
/// single run of underscores.
fn blank_field(text: &str, depth: usize) -> Option<Row> {
    let (label, rest) = text.split_once(':')?;
    let rest = rest.trim();
    let label = label.trim();
    (rest.len() >= 3 && rest.bytes().all(|b| b == b'_') && !label.is_empty() && label.len() <= 80)
        .then(|| Row::Field {
            label: printable(label),
            value: None,
            runs: Vec::new(),
            choices: Vec::new(),
            ticked: Vec::new(),
            depth,
        })
}

/// `Decision: ☐ GO / ☐ NO-GO` (an item's or a paragraph's text) as the line of choices a
/// `**Decision**: ☐ GO / ☐ NO-GO` field prints: boxes drawn to tick, ticked as the source
/// ticks them, rather than a font's box characters. None unless what follows a colon is two or
/// more choices and nothing else, on one line (`html` keeps the line breaks).
fn choice_field(text: &str, html: &str, depth: usize) -> Option<Row> {
    if html.trim().contains('\n') || html.contains("<br") {
        return None;
    }
    text.match_indices(':').find_map(|(at, _)| {
        // Only a colon followed by a box can start the choices: the others are passed over
        // without reading the rest of the line, so a line of many colons stays linear.
        let rest = text[at + 1..].trim_start();
        if !crate::normalise::starts_with_box(rest) {
            return None;
        }
        let label = text[..at].trim();
        let choices = crate::normalise::choices(rest.trim_end());
        (!label.is_empty() && !choices.is_empty()).then(|| Row::Field {
            label: printable(label),
            value: None,
            runs: Vec::new(),
            choices: choices.iter().map(|c| printable(&c.label)).collect(),
            ticked: choices.iter().map(|c| c.checked).collect(),
            depth,
        })
    })
}

/// The row that starts an alert: the kind's title in capitals (`WARNING`), or the alert's own
/// title as written (it may quote a command, whose case matters); none for an empty title.
fn alert_title_row(kind: &str, title: Option<&str>, depth: usize) -> Option<Row> {
    let text = title.map_or_else(|| crate::model::alert_title(kind).to_uppercase(), printable);
    (!text.trim().is_empty()).then_some(Row::Paragraph {
        text,
        runs: Vec::new(),
        depth,
    })
}

/// A footnote's text starts with its label, as references show it: `[1] Only on Tuesdays.`
fn label_footnote(label: &str, first: Option<&mut Row>) {
    if let Some(Row::Paragraph { text, runs, .. }) = first.map(|row| &mut *row) {
        let label = printable(label);
        let label = if label.trim().is_empty() {
            "*"
        } else {
            label.trim()
        };
        let mark = format!("[{label}] ");
        *text = format!("{mark}{text}");
        if !runs.is_empty() {
            runs.insert(0, Run::plain(mark));
        }
    }
}

/// A task's text without the check marks before its first word or after its last
/// (`- [ ] ✅ Run the tests`, `- [ ] All checks complete ✅`): decoration that would print as
/// a tick beside a box that is not ticked.
fn task_text<'t>(item: &Item, text: &'t str) -> &'t str {
    if !item.is_task() {
        return text;
    }
    text.trim_matches(|c: char| c.is_whitespace() || matches!(c, '✅' | '✔' | '☑' | '\u{fe0f}'))
}

/// An item's text with its bold label in front when the model keeps it apart.
fn item_text(item: &Item) -> String {
    let text = with_link_targets(with_footnote_marks(&item.text, &item.html), &item.html);
    match &item.label {
        Some(label) if !item.text.starts_with(label.as_str()) => format!("{label}: {text}"),
        _ => text,
    }
}

/// The text with the address of each web link after its words (`the API board
/// (https://grafana.example.com/d/api)`): on paper, a link's words alone lead nowhere. Links
/// whose words show their address already, and links within the site or the page, are left
/// as they are. Each link's words mark the first place after the previous one where they occur.
fn with_link_targets(text: String, html: &str) -> String {
    const OPEN: &str = "<a href=\"";
    if !html.contains(OPEN) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    let mut rest = html;
    while let Some(open) = rest.find(OPEN) {
        let after = &rest[open + OPEN.len()..];
        let Some(quote) = after.find('"') else {
            break;
        };
        let Some(start) = after[quote..].find('>').map(|gt| quote + gt + 1) else {
            break;
        };
        let Some(end) = after[start..].find("</a>").map(|e| start + e) else {
            break;
        };
        let (href, inner) = (&after[..quote], &after[start..end]);
        rest = &after[end..];
        let href = crate::model::html_text(href);
        let words = printable(&crate::model::html_text(inner));
        let words = words.trim();
        let bare = href
            .trim_start_matches("https://")
            .trim_start_matches("http://")
            .trim_end_matches('/');
        let web = href.starts_with("https://") || href.starts_with("http://");
        if !web || words.is_empty() || words.contains(bare) {
            continue;
        }
        let Some(found) = text[at..].find(words) else {
            continue;
        };
        let end = at + found + words.len();
        out.push_str(&text[at..end]);
        out.push_str(" (");
        out.push_str(&href);
        out.push(')');
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

/// The text with its footnote references as `[label]`, as the footnotes print: the plain text
/// leaves them out, so on paper a note could not be tied to its step. Read from the HTML, where
/// a reference is `<sup><a href="#fn:…">label</a></sup>`.
fn with_footnote_marks(text: &str, html: &str) -> String {
    const OPEN: &str = "<sup><a href=\"#fn:";
    if !html.contains(OPEN) {
        return text.to_owned();
    }
    let mut marked = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(OPEN) {
        marked.push_str(&rest[..at]);
        let after = &rest[at + OPEN.len()..];
        let label = after
            .find('>')
            .map(|gt| &after[gt + 1..])
            .and_then(|l| l.find("</a></sup>").map(|end| (&l[..end], end)));
        match (label, after.find('>')) {
            (Some((label, end)), Some(gt)) => {
                marked.push('[');
                marked.push_str(label);
                marked.push(']');
                rest = &after[gt + 1 + end + "</a></sup>".len()..];
            }
            _ => {
                rest = after;
            }
        }
    }
    marked.push_str(rest);
    // Inline tags wrap words (`<code>nginx</code>[n]`) and must not add spaces; a line break
    // is one.
    let mut bare = String::with_capacity(marked.len());
    let mut rest = marked.as_str();
    while let Some(at) = rest.find('<') {
        bare.push_str(&rest[..at]);
        if rest[at..].starts_with("<br") {
            bare.push(' ');
        }
        rest = rest[at..].find('>').map_or("", |end| &rest[at + end + 1..]);
    }
    bare.push_str(rest);
    crate::model::html_text(&bare)
}

/// Whether the checklist names who signs it: lines to sign, sign-off tables, signers of a
/// sign-off section; its sign-off sheet lists them rather than [`DEFAULT_ROLES`].
#[must_use]
pub fn names_signers(c: &Checklist) -> bool {
    roles(c).1
}

/// The roles to sign, in document order, and whether the checklist named them: the rows of
/// sign-off tables, the lines to sign of sign-off fields and sections, else [`DEFAULT_ROLES`].
fn roles(c: &Checklist) -> (Vec<String>, bool) {
    let mut found: Vec<(u32, String)> = Vec::new();
    let mut add = |line: u32, role: &str| {
        let role = printable(role).trim().to_owned();
        if !role.is_empty() {
            found.push((line, role));
        }
    };
    for block in c.walk_blocks() {
        match block {
            Block::Table {
                kind: TableKind::SignOff,
                rows,
                line,
                ..
            } => {
                for (i, row) in rows.iter().enumerate() {
                    if let Some(first) = row.first() {
                        add(line + 2 + i as u32, first);
                    }
                }
            }
            Block::Fields {
                kind: FieldsKind::SignOff,
                fields,
                ..
            } => {
                for f in fields {
                    let to_write = f.blank || f.value.starts_with('_');
                    let by = f.label.to_ascii_lowercase().trim_end().ends_with(" by");
                    if let Some(role) = role_of(&f.label).filter(|_| to_write || by) {
                        add(f.line, role);
                    }
                }
            }
            // `**Deployed By**: [Name]` among the facts at the top: a name still to write.
            Block::Fields {
                kind: FieldsKind::Meta | FieldsKind::Other,
                fields,
                ..
            } => {
                for f in fields {
                    let to_write = f.blank
                        || f.value.starts_with('_')
                        || f.placeholders
                            .first()
                            .is_some_and(|p| p.text == f.value.trim());
                    if to_write && signs_for_the_work(&f.label) {
                        add(f.line, f.label.trim());
                    }
                }
            }
            _ => {}
        }
    }
    // `- CTO Approval: ____ Date: ____`, in a sign-off section or under a line that introduces
    // the approvals in another (`**Approval sign-off**:` after the tests): a role to sign.
    let introduced = introduced_to_sign(c);
    for (section, item) in c.walk_items() {
        // `- [ ] Engineering lead confirms the system is stable`, under a sign-off heading.
        if section.is_some_and(|s| s.phase == crate::model::Phase::SignOff)
            && let Some(role) = signer(&item.text)
        {
            add(item.line, role);
            continue;
        }
        let Some((label, rest)) = item.text.split_once(':') else {
            continue;
        };
        // `Migration lead on-call (phone: ____)`: a number to write, not a line to sign.
        if label.matches('(').count() > label.matches(')').count()
            || !rest.trim_start().starts_with("__")
        {
            continue;
        }
        // In a sign-off section, or under a line that introduces the approvals, each line to
        // sign names who signs (`- Developer: ____`, `- [ ] DevOps: ____  Date: ____`).
        let signing = section.is_some_and(|s| s.phase == crate::model::Phase::SignOff)
            || introduced.contains(&item.line);
        let role = role_of(label).or_else(|| {
            let label = label.trim();
            (signing
                && !label.is_empty()
                && label.split_whitespace().count() <= 5
                && !asks_for_a_value(label))
            .then_some(label)
        });
        if let Some(role) = role {
            add(item.line, role);
        }
    }
    // In document order, each role once.
    found.sort_by_key(|(line, _)| *line);
    let mut out: Vec<String> = Vec::new();
    for (_, role) in found {
        if !out.iter().any(|r| r.eq_ignore_ascii_case(&role)) {
            out.push(role);
        }
    }
    if out.is_empty() {
        (
            DEFAULT_ROLES.iter().map(|r| (*r).to_owned()).collect(),
            false,
        )
    } else {
        (out, true)
    }
}

/// Words of a line that introduces lines to sign (`**Sign-off**:`, `**审批签字**:`).
const SIGN_OFF_INTROS: &[&str] = &[
    "sign-off",
    "sign off",
    "signoff",
    "signature",
    "approval",
    "freigabe",
    "abnahme",
    "aprobación",
    "aprovação",
    "validation finale",
    "签字",
    "审批",
    "承認",
    "署名",
];

/// The lines of the items of each list right after a short line that introduces approvals
/// (`**Sign-off**:` then `- [ ] DevOps: ____`), outside a sign-off section.
fn introduced_to_sign(c: &Checklist) -> Vec<u32> {
    let mut lines = Vec::new();
    let groups = std::iter::once(&c.blocks).chain(c.walk_sections().map(|s| &s.blocks));
    for blocks in groups {
        for pair in blocks.windows(2) {
            let (Block::Paragraph { text, .. }, Block::List { items, .. }) = (&pair[0], &pair[1])
            else {
                continue;
            };
            let lower = text.trim().to_lowercase();
            let intro = lower.ends_with([':', '：'])
                && lower.split_whitespace().count() <= 6
                && SIGN_OFF_INTROS.iter().any(|w| lower.contains(w));
            if intro {
                lines.extend(items.iter().map(|i| i.line));
            }
        }
    }
    lines
}

/// Who a sign-off task names as signing: the words before its first verb of approval, without
/// an imperative in front (`Engineering lead confirms…`, `Verify the DBA approves…` → `DBA`).
fn signer(text: &str) -> Option<&str> {
    let at = [" confirms ", " approves ", " signs ", " verifies "]
        .iter()
        .filter_map(|verb| text.find(verb))
        .min()?;
    let mut who = text[..at].trim();
    for lead in ["verify", "ensure", "confirm", "check", "make sure"] {
        if let Some(rest) = who
            .get(..lead.len())
            .filter(|head| head.eq_ignore_ascii_case(lead))
            .map(|_| who[lead.len()..].trim_start())
        {
            who = rest;
            for article in ["that ", "the "] {
                who = who.strip_prefix(article).unwrap_or(who);
            }
            break;
        }
    }
    role_of(who)
}

/// Whether a label asks for a value rather than names who signs (`Release version`, `Go/No-Go
/// decision`, `Issues found`, `Any follow-ups?`).
fn asks_for_a_value(label: &str) -> bool {
    let lower = label.to_lowercase();
    lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .any(|w| PROMPT_WORDS.contains(&w) || NOT_ROLES.contains(&w) || VALUE_WORDS.contains(&w))
}

/// Words of a label that name a value to write.
const VALUE_WORDS: &[&str] = &[
    "decision",
    "issues",
    "issue",
    "found",
    "follow",
    "ups",
    "number",
    "id",
    "link",
    "url",
    "at",
    "on",
    "window",
    "environment",
    "build",
    "commit",
    "release",
];

/// Whether a `… by` label names who did the work being signed for (`Deployed by`, `Approved
/// by`), not who asked for it or what caused it (`Requested by`, `Caused by`).
fn signs_for_the_work(label: &str) -> bool {
    let lower = label.trim().to_lowercase();
    lower.strip_suffix(" by").is_some_and(|verb| {
        let verb = verb.rsplit(' ').next().unwrap_or(verb);
        [
            "deployed",
            "approved",
            "reviewed",
            "verified",
            "signed",
            "performed",
            "executed",
            "released",
            "completed",
            "checked",
            "tested",
            "validated",
            "authorized",
            "authorised",
            "accepted",
            "prepared",
            "done",
        ]
        .contains(&verb)
    })
}

/// Labels of lines to write on that name what is written, not who signs.
const NOT_ROLES: &[&str] = &[
    "name",
    "date",
    "time",
    "date/time",
    "date & time",
    "signature",
    "signed",
    "notes",
    "comments",
    "outcome",
    "status",
    "result",
    "ticket",
    "version",
    "start",
    "end",
    "duration",
    "reason",
    "started at",
    "finished at",
    "completed at",
    "start time",
    "end time",
];

/// Words of a label that asks for something to be written rather than names who signs.
const PROMPT_WORDS: &[&str] = &[
    "your", "you", "for", "please", "any", "notes", "note", "comments", "comment", "issues", "if",
    "what", "why", "how", "which", "should", "describe",
];

/// Words that name a person's role in a label (`CTO`, `DevOps Lead`, `Release Manager`).
const ROLE_WORDS: &[&str] = &[
    "lead",
    "manager",
    "engineer",
    "owner",
    "approver",
    "reviewer",
    "coordinator",
    "officer",
    "director",
    "head",
    "architect",
    "administrator",
    "admin",
    "cto",
    "cio",
    "ceo",
    "ciso",
    "vp",
    "sre",
    "dba",
    "qa",
    "on-call",
    "commander",
    "stakeholder",
    "sponsor",
];

/// The role a sign-off line's label names, if it names one: `Deployed By` (any `… by`, and
/// `Validé par`, `Genehmigt von`, `Aprobado por`), a Chinese or Japanese label for a person
/// (`发布人`, `承認者`), or a label with a role word (`CTO`, `VP Engineering Approval` →
/// `VP Engineering`).
#[must_use]
pub fn role_of(label: &str) -> Option<&str> {
    let label = label.trim().trim_end_matches([':', '：']).trim();
    // ASCII lower case keeps byte offsets, so a suffix found in `lower` cuts `label` cleanly.
    let lower = label.to_ascii_lowercase();
    if [" by", " par", " von", " por", " durch"]
        .iter()
        .any(|by| lower.ends_with(by))
    {
        return Some(label);
    }
    // `发布人` (who releases), `负责人`, `承認者`, `担当者`: a short label naming a person.
    if label.chars().count() <= 8
        && label.ends_with(['人', '者'])
        && label.chars().all(|c| !c.is_ascii())
    {
        return Some(label);
    }
    if NOT_ROLES.contains(&lower.as_str()) {
        return None;
    }
    let mut words = lower.split(|c: char| !c.is_alphanumeric() && c != '-');
    // `Special notes for your reviewer`: a prompt to write something, not a role.
    if words.clone().any(|w| PROMPT_WORDS.contains(&w)) {
        return None;
    }
    // German joins a role to what it leads: `Projektleiter`, `Teamleiterin`.
    let named =
        words.any(|w| ROLE_WORDS.contains(&w) || w.ends_with("leiter") || w.ends_with("leiterin"));
    if !named || label.split_whitespace().count() > 5 {
        return None;
    }
    let trimmed = [
        " approval",
        " sign-off",
        " signoff",
        " signature",
        " name",
        " date",
        " email",
    ]
    .iter()
    .find_map(|suffix| {
        lower
            .ends_with(suffix)
            .then(|| label[..label.len() - suffix.len()].trim_end())
    });
    Some(trimmed.unwrap_or(label))
}

/// The metadata printed on the cover.
fn meta(c: &Checklist) -> Vec<(String, String)> {
    let m = &c.meta;
    [
        ("Version", m.version.as_ref()),
        ("Owner", m.owner.as_ref()),
        ("Platform", m.platform.as_ref()),
        ("Status", m.status.as_ref()),
    ]
    .into_iter()
    .filter_map(|(label, value)| Some((label.to_owned(), printable(value?))))
    .collect()
}

/// Whether `c`, among the characters read as emoji, is a symbol that prints as text: an arrow
/// (`→`, `⇒`, `↔`), a star or a heart (`★`, `♥`), a triangle (`▶`). Pictures drawn in colour
/// (`🚀`, `⭐`), and symbols asked for as such (`❤️`, with the emoji variation selector), are
/// left out: on paper they would be boxes or grey blots. Joiners and modifiers go with them.
fn is_text_symbol(c: char, next: Option<char>) -> bool {
    use unicode_properties::{EmojiStatus, UnicodeEmoji};
    next != Some('\u{fe0f}')
        && matches!(
            c.emoji_status(),
            EmojiStatus::NonEmoji | EmojiStatus::EmojiOther
        )
}

/// Text as printed: check marks and crosses as plain signs, lone status emoji as words, boxes to
/// tick kept, other emoji left out, spaces tidied.
#[must_use]
pub fn printable(text: &str) -> String {
    if text.is_ascii() {
        // No emoji and no marks to turn into words: only the spaces may need tidying.
        return tidy_spaces(text);
    }
    let mut out = String::with_capacity(text.len());
    // Beside an open box, a ticked one is a choice made (`☐ GO ☑ NO-GO`), not a status.
    let choices = text.contains(['☐', '⬜']);
    // Circles to tick (`⚪ None / ⚪ Minimal`) print as boxes, when there are two or more.
    let circles = text
        .chars()
        .filter(|c| matches!(c, '⚪' | '○' | '◯' | '🔘'))
        .count()
        >= 2;
    // `🟢OK` reads `Green OK`, not `GreenOK`.
    let mut after_word = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        // Overrides and isolates of text direction would print text in another order than it
        // is written (`tnerruc`); on paper it reads as stored.
        if matches!(c, '\u{fe0f}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}') {
            continue;
        }
        if std::mem::take(&mut after_word) && c.is_alphanumeric() {
            out.push(' ');
        }
        if choices && matches!(c, '☑' | '☒') {
            out.push(c);
            continue;
        }
        let sign = match c {
            '✅' | '✔' | '☑' | '✓' => Some('✓'),
            '❌' | '✖' | '✗' | '✘' => Some('✗'),
            '⚠' => Some('⚠'),
            _ => None,
        };
        if let Some(sign) = sign {
            out.push(sign);
            after_word = true;
            continue;
        }
        // Traffic lights and hourglasses are a status too: a red cell must not print blank.
        // Before a word they only decorate it.
        let word = match c {
            _ if decorates_word(chars.clone()) => None,
            '🟢' | '🟩' => Some("Green"),
            '🟡' | '🟨' => Some("Yellow"),
            '🟠' | '🟧' => Some("Orange"),
            '🔴' | '🟥' => Some("Red"),
            '🔵' | '🟦' => Some("Blue"),
            '⏳' | '⌛' => Some("Pending"),
            '⛔' | '🚫' => Some("Blocked"),
            _ => None,
        };
        if let Some(word) = word {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
            out.push_str(word);
            after_word = true;
        } else if matches!(c, '☐' | '⬜') || (circles && matches!(c, '⚪' | '○' | '◯' | '🔘'))
        {
            // A box to tick, as in `YES ☐ NO ☐` or a status column of boxes.
            out.push('☐');
        } else if !is_emoji(c) || is_text_symbol(c, chars.peek().copied()) {
            out.push(c);
        }
    }
    tidy_spaces(&out)
}

/// Whether the text after an emoji goes on with a word (`🟢 Healthy`, `⏳ 0%`).
fn decorates_word(rest: impl Iterator<Item = char>) -> bool {
    let mut rest = rest;
    rest.find(|c| !c.is_whitespace() && *c != '\u{fe0f}')
        .is_some_and(char::is_alphanumeric)
}

/// Words separated by single spaces, without leading or trailing space.
fn tidy_spaces(text: &str) -> String {
    let tidy = !text.starts_with(' ')
        && !text.ends_with(' ')
        && !text.contains("  ")
        && !text.chars().any(|c| c != ' ' && c.is_whitespace());
    if tidy {
        text.to_owned()
    } else {
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

/// Seconds since 1970-01-01 UTC as (year, month, day, hour, minute, second). Every part but the
/// year is small and not negative, so the casts are exact.
#[must_use]
#[allow(clippy::cast_sign_loss)]
pub fn civil(epoch: i64) -> (i32, u8, u8, u8, u8, u8) {
    let days = epoch.div_euclid(86_400);
    let secs = epoch.rem_euclid(86_400);
    // Days to civil date, after Howard Hinnant's public-domain algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        year as i32,
        month as u8,
        day as u8,
        (secs / 3600) as u8,
        (secs % 3600 / 60) as u8,
        (secs % 60) as u8,
    )
}

/// The date to print: from `SOURCE_DATE_EPOCH` when set, else `fallback` (a release's date),
/// else today; with the epoch (seconds, UTC) stamped into PDFs: `SOURCE_DATE_EPOCH` itself, or
/// the start of that day, so that two builds on one day give the same bytes.
#[must_use]
pub fn print_date(fallback: Option<&str>) -> (String, i64) {
    let source_epoch = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.trim().parse::<i64>().ok());
    if let Some(epoch) = source_epoch {
        let (y, m, d, ..) = civil(epoch);
        return (format!("{y:04}-{m:02}-{d:02}"), epoch);
    }
    if let Some(date) = fallback.and_then(parse_date) {
        return date;
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0));
    let day = now - now.rem_euclid(86_400);
    let (y, m, d, ..) = civil(day);
    (format!("{y:04}-{m:02}-{d:02}"), day)
}

/// `YYYY-MM-DD` as itself and the epoch of its start.
fn parse_date(text: &str) -> Option<(String, i64)> {
    let mut parts = text.get(..10)?.split('-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let d: i64 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Days from civil, the inverse of `civil`.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some((text[..10].to_owned(), days * 86_400))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rows of the first section of a checklist written as `md`.
    fn rows_of(md: &str) -> Vec<Row> {
        let c = crate::pipeline::from_bytes("f.md", "f", md.as_bytes()).checklist;
        sheet(&c, &Imprint::default()).groups[0].sections[0]
            .rows
            .clone()
    }

    /// Regression: under a `**Sign-off**:` line outside a sign-off section, only `Tech Lead`
    /// was a role, as the other lines to sign named no known role word.
    #[test]
    fn lines_to_sign_after_a_sign_off_line_are_roles() {
        let md = "# R\n\n## Checks\n\n- [ ] Tests pass\n\n**Sign-off**:\n- [ ] Tech Lead: ______  Date: ____\n- [ ] DevOps: ______  Date: ____\n- [ ] Security: ______\n\n## Notes\n\n**Details**:\n- Phone: ______\n";
        let c = crate::pipeline::from_bytes("f.md", "f", md.as_bytes()).checklist;
        assert_eq!(
            roles(&c),
            (
                vec![
                    "Tech Lead".to_owned(),
                    "DevOps".to_owned(),
                    "Security".to_owned()
                ],
                true
            )
        );
    }

    /// Regression: a sign-off section of lines to sign for the roles and the outcome printed
    /// before the sign-off sheet, which asks for the same: two pages of the same signatures.
    #[test]
    fn sign_off_lines_the_sheet_prints_are_not_printed_twice() {
        let md = "# D\n\n## Deploy\n\n- [ ] Ship\n\n## Sign-off\n\n**Deployed By**: ______\n**Approved By**: ______\n**Result**: ⬜ Success / ⬜ Rolled Back / ⬜ Partial\n\n## Notes\n\n**Ticket**: ______\n";
        let c = crate::pipeline::from_bytes("f.md", "f", md.as_bytes()).checklist;
        let sheet = sheet(&c, &Imprint::default());
        assert_eq!(sheet.roles, ["Deployed By", "Approved By"]);
        let titles: Vec<&str> = sheet
            .groups
            .iter()
            .flat_map(|g| &g.sections)
            .map(|s| s.title.as_str())
            .collect();
        assert_eq!(titles, ["Deploy", "Notes"]);
        // Outcomes of two places, or one already ticked, are the checklist's own.
        for lines in [
            "**Staging**: ⬜ Success / ⬜ Rolled Back\n**Production**: ⬜ Success / ⬜ Partial\n",
            "**Deployed By**: ______\n**Result**: ☑ Success / ⬜ Rolled Back\n",
        ] {
            let md = format!("# D\n\n## Deploy\n\n- [ ] Ship\n\n## Sign-off\n\n{lines}");
            let c = crate::pipeline::from_bytes("f.md", "f", md.as_bytes()).checklist;
            let printed = super::sheet(&c, &Imprint::default());
            assert!(
                printed.groups.iter().any(|g| g.phase == "sign-off"),
                "{lines}"
            );
        }
    }

    /// Regression: links printed as their words alone, their addresses lost on paper.
    #[test]
    fn web_links_print_with_their_address() {
        let md = "# T\n\n## S\n\n- [ ] Watch [the API board](https://grafana.example.com/d/api?a=1&b=2) and <https://status.example.com>\n- [ ] See [rollback](#rollback) and [`deploy.sh`](https://example.com/deploy.sh)\n";
        let texts: Vec<String> = rows_of(md)
            .iter()
            .filter_map(|r| match r {
                Row::Item { text, .. } => Some(text.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(
            texts,
            [
                "Watch the API board (https://grafana.example.com/d/api?a=1&b=2) and https://status.example.com",
                "See rollback and deploy.sh (https://example.com/deploy.sh)",
            ]
        );
    }

    /// Regression: a table of one blank row (`| | | |` under its header, a form to fill in)
    /// printed one row, too small to write the problems found.
    #[test]
    fn a_blank_form_gets_rows_to_write_in() {
        let md = "# T\n\n## Problems\n\n| Problem | Owner |\n|---|---|\n| | |\n\n## Steps\n\n| Step | Done |\n|---|---|\n| Ship | |\n";
        let c = crate::pipeline::from_bytes("f.md", "f", md.as_bytes()).checklist;
        let sheet = sheet(&c, &Imprint::default());
        let lengths: Vec<usize> = sheet
            .groups
            .iter()
            .flat_map(|g| &g.sections)
            .flat_map(|s| &s.rows)
            .filter_map(|r| match r {
                Row::Table { rows, .. } => Some(rows.len()),
                _ => None,
            })
            .collect();
        assert_eq!(lengths, [FORM_ROWS, 1]);
    }

    /// Regression: a right-to-left override in a title reversed the PDF's running header.
    #[test]
    fn controls_of_text_direction_do_not_print() {
        assert_eq!(
            printable("Deploy \u{202E}current\u{202C} now"),
            "Deploy current now"
        );
    }

    /// Inline code prints in monospace: the rows carry it as runs, found in order and not
    /// inside a word, escaped text decoded; rows without code carry none.
    #[test]
    fn inline_code_is_kept_as_runs() {
        let md = "# T\n\n## S\n\n- [ ] Run `make` then `a < b`, not make\n- [ ] Validate `id`\n- [ ] use a then `a` and `✅` then ✅ done\n\nSee `docs/`.\n";
        let runs: Vec<Vec<(String, bool)>> = rows_of(md)
            .iter()
            .map(|r| match r {
                Row::Item { runs, .. } | Row::Paragraph { runs, .. } => {
                    runs.iter().map(|r| (r.text.clone(), r.code)).collect()
                }
                _ => Vec::new(),
            })
            .collect();
        let run = |t: &str, code| (t.to_owned(), code);
        assert_eq!(
            runs,
            [
                vec![
                    run("Run ", false),
                    run("make", true),
                    run(" then ", false),
                    run("a < b", true),
                    run(", not make", false)
                ],
                vec![run("Validate ", false), run("id", true)],
                vec![
                    run("use a then ", false),
                    run("a", true),
                    run(" and ", false),
                    run("✓", true),
                    run(" then ✓ done", false)
                ],
                vec![run("See ", false), run("docs/", true), run(".", false)],
            ]
        );
    }

    /// Bold, italics and struck-out text print as written, nested styles together (bold code),
    /// at the occurrence written so (`art` in "Restart **art**" is the second); a group label
    /// in bold is bold throughout.
    #[test]
    fn bold_italics_and_strikes_are_kept_as_runs() {
        let md = "# T\n\n## S\n\n- [ ] **Do not** restart *before* ~~noon~~ `Ctrl`\n- [ ] Restart **art**\n- [ ] **Run `make` now** 2 * 3\n- [ ] **Networking**\n";
        let runs: Vec<Vec<(String, u8)>> = rows_of(md)
            .iter()
            .map(|r| match r {
                Row::Item { runs, .. } => runs
                    .iter()
                    .map(|r| {
                        let style = (u8::from(r.code) * CODE)
                            | (u8::from(r.strong) * STRONG)
                            | (u8::from(r.em) * EM)
                            | (u8::from(r.strike) * STRIKE);
                        (r.text.clone(), style)
                    })
                    .collect(),
                _ => Vec::new(),
            })
            .collect();
        let run = |t: &str, style| (t.to_owned(), style);
        assert_eq!(
            runs,
            [
                vec![
                    run("Do not", STRONG),
                    run(" restart ", 0),
                    run("before", EM),
                    run(" ", 0),
                    run("noon", STRIKE),
                    run(" ", 0),
                    run("Ctrl", CODE),
                ],
                vec![run("Restart ", 0), run("art", STRONG)],
                vec![
                    run("Run ", STRONG),
                    run("make", STRONG | CODE),
                    run(" now", STRONG),
                    run(" 2 * 3", 0),
                ],
                vec![run("Networking", STRONG)],
            ]
        );
    }

    /// Regression: `## 1.1 Code quality` printed as `1.1. Code quality`, and durations were
    /// rewritten in hours (`(1-3 Weeks)` as `504 h`).
    #[test]
    fn numbers_and_durations_print_as_written() {
        let md = "# T\n\n## 1.1 Code quality (1-3 Weeks)\n\n- [ ] a (30-45 minutes)\n\n## 2. Ship\n\n- [ ] b\n";
        let c = crate::pipeline::from_bytes("f.md", "f", md.as_bytes()).checklist;
        let sheet = sheet(&c, &Imprint::default());
        let sections: Vec<(&str, Option<&str>)> = sheet
            .groups
            .iter()
            .flat_map(|g| &g.sections)
            .map(|s| (s.title.as_str(), s.duration.as_deref()))
            .collect();
        assert_eq!(
            sections,
            [("1.1 Code quality", Some("1-3 Weeks")), ("2. Ship", None)]
        );
        assert_eq!(sheet.estimated.as_deref(), Some("21 d"));
    }

    /// Regression: approvers listed as tasks under `**Approval sign-off**:` in a section of
    /// another phase were left off the sign-off sheet, which named only "Released by".
    #[test]
    fn approvers_listed_under_a_bold_line_are_roles() {
        let md = "# R\n\n## Tests\n\n- [ ] CI green\n\n**Approval sign-off**:\n- [ ] Tech Lead: ________  Date: _____\n- [ ] Security Officer: ________\n\n**Released by**: ________\n";
        let c = crate::pipeline::from_bytes("f.md", "f", md.as_bytes()).checklist;
        let (roles, named) = roles(&c);
        assert!(named);
        assert_eq!(roles, ["Tech Lead", "Security Officer", "Released by"]);
    }

    /// Regression: `- Ops Lead: ____` printed its underscores as typed; it prints as a line to
    /// write on, as a field does. Two blanks on a line, or words after one, stay as written.
    #[test]
    fn a_bullet_that_is_a_line_to_write_on_prints_as_one() {
        let md = "# R\n\n## Deploy\n\n- [ ] Go\n  - Ops Lead: ____\n  - Prepared by: ____ Date: ____\n  - Note: ____ if needed\n";
        let rows = rows_of(md);
        let fields: Vec<&str> = rows
            .iter()
            .filter_map(|r| match r {
                Row::Field {
                    label, value: None, ..
                } => Some(label.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(fields, ["Ops Lead"]);
    }

    /// Regression: lines to sign of a sign-off section whose labels hold no role word
    /// (`Developer`), German and Japanese signers, and a `Deployed By` still to write among the
    /// facts at the top were left off the sheet; a number to write on a task was a role.
    #[test]
    fn every_line_to_sign_names_a_role() {
        let md = "# R

**Deployed By**: [Name]

## Pre

- [ ] Migration lead on-call (phone: _______)

## Deploy

- [ ] Go

## Final Approval

- Developer: ____
- DevOps (si aplica): ____
- Date: ____

## Freigabe

- **Freigegeben durch**: ____
- **Projektleiter**: ____

## 承認

| 項目 | 氏名 | 承認日 |
|---|---|---|
| 作成者 | [氏名] | [日付] |
";
        let c = crate::pipeline::from_bytes("f.md", "f", md.as_bytes()).checklist;
        let (roles, named) = roles(&c);
        assert!(named);
        assert_eq!(
            roles,
            [
                "Deployed By",
                "Developer",
                "DevOps (si aplica)",
                "Freigegeben durch",
                "Projektleiter",
                "作成者"
            ]
        );
    }

    /// Regression: headings with nothing under them (`## Version: 1.0` used as a header) each
    /// started a page, and the text before the first section had a page of its own: a runbook
    /// of one task printed on six pages.
    #[test]
    fn headings_alone_start_no_page() {
        let md = "# T\n\nIntro line.\n\n## Deployment Version: 1.0\n## Target: prod\n\n## Pre-Deployment\n\n- [ ] a\n\n## Deployment\n\n- [ ] b\n\n## Notes\n\nSee the wiki.\n";
        let c = crate::pipeline::from_bytes("f.md", "f", md.as_bytes()).checklist;
        let pages: Vec<(&str, bool)> = sheet(&c, &Imprint::default())
            .groups
            .iter()
            .map(|g| (g.phase, g.new_page))
            .collect();
        assert_eq!(
            pages,
            [
                ("deployment", false),
                ("other", false),
                ("pre-deployment", false),
                ("deployment", true),
                ("reference", false),
            ]
        );
    }

    /// Regression: a task line of megabytes counted as one row, so its PDF was typeset: seconds
    /// and gigabytes per megabyte. It counts as the printed lines it fills.
    #[test]
    fn a_long_line_counts_as_the_lines_it_prints() {
        let md = format!("# T\n\n## Go\n\n- [ ] {}\n", "word ".repeat(200_000));
        let c = crate::pipeline::from_bytes("f.md", "f", md.as_bytes()).checklist;
        let rows = sheet(&c, &Imprint::default()).rows();
        assert!(rows >= 9_000, "{rows}");
        let short = crate::pipeline::from_bytes("f.md", "f", b"# T\n\n## Go\n\n- [ ] a\n- [ ] b\n");
        assert_eq!(
            sheet(&short.checklist, &Imprint::default()).rows(),
            SHEET_ROWS + 3
        );
    }

    /// Regression: boxes drawn as characters in an item's sub-bullets vanished in print (`☐`
    /// dropped, `☑` printed as "Done"); they print as a field's boxes to tick.
    /// Regression: a check mark after an unticked task's text printed as "Done" beside an
    /// empty box, and boxes to tick in text (`YES ☐ NO ☐`) were left out.
    #[test]
    fn check_marks_after_a_task_go_and_boxes_in_text_stay() {
        let rows = rows_of(
            "# T\n\n## Go\n\n- [ ] **Infra**: checks complete ✅\n\nAll signed? YES ☐ NO ⬜\n\n\
             Picked: ☐ GO ☑ NO-GO\n",
        );
        assert!(
            rows.iter()
                .any(|r| matches!(r, Row::Item { text, .. } if text == "Infra: checks complete")),
            "{rows:?}"
        );
        assert!(
            rows.iter().any(
                |r| matches!(r, Row::Paragraph { text, .. } if text == "All signed? YES ☐ NO ☐")
            ),
            "{rows:?}"
        );
        assert!(
            rows.iter().any(|r| matches!(
                r,
                Row::Field { choices, ticked, .. }
                    if choices == &["GO", "NO-GO"] && ticked == &[false, true]
            )),
            "{rows:?}"
        );
    }

    #[test]
    fn choices_in_sub_bullets_print_as_boxes() {
        let rows = rows_of(
            "# T\n\n## Go\n\n- [ ] Go/no-go\n  - Decision: ☐ GO / ☐ NO-GO\n  \
             - Status: ☐ Not Started / ☐ In Progress / ☑ Complete\n  - Notes: see ☐ below\n",
        );
        let fields: Vec<(&str, &[String], usize)> = rows
            .iter()
            .filter_map(|r| match r {
                Row::Field {
                    label,
                    choices,
                    depth,
                    ..
                } => Some((label.as_str(), &choices[..], *depth)),
                _ => None,
            })
            .collect();
        assert_eq!(fields.len(), 2, "{rows:?}");
        assert_eq!(
            fields[0],
            ("Decision", &["GO".to_owned(), "NO-GO".to_owned()][..], 1)
        );
        assert_eq!(fields[1].1, ["Not Started", "In Progress", "Complete"]);
        assert!(
            rows.iter()
                .any(|r| matches!(r, Row::Item { text, .. } if text == "Notes: see ☐ below"))
        );
    }

    /// Regression: steps of a second list under an item, after text, went on counting from the
    /// first list's.
    #[test]
    fn steps_are_numbered_within_their_list() {
        let rows = rows_of("# F\n\n## S\n\n- [ ] Deploy\n  1. a\n  2. b\n\n  Then:\n\n  1. c\n");
        let numbers: Vec<_> = rows
            .iter()
            .filter_map(|r| match r {
                Row::Item { number, text, .. } => Some((text.clone(), number.clone())),
                _ => None,
            })
            .collect();
        assert_eq!(
            numbers[3],
            ("c".to_owned(), Some("1.".to_owned())),
            "{numbers:?}"
        );
    }

    /// Regression: a title of 100 KB was typeset on every page's header, which took seconds and
    /// gigabytes; it is cut, as are section titles.
    #[test]
    fn long_titles_are_cut() {
        let md = format!(
            "# {}\n\n## {}\n\n- [ ] x\n",
            "word ".repeat(20_000),
            "sect ".repeat(20_000)
        );
        let c = crate::pipeline::from_bytes("t.md", "t", md.as_bytes()).checklist;
        let sheet = sheet(&c, &Imprint::default());
        assert!(
            sheet.title.chars().count() <= TITLE_CHARS + 2,
            "{}",
            sheet.title.len()
        );
        assert!(sheet.title.ends_with('…'));
        let section = &sheet.groups[0].sections[0];
        assert!(section.title.chars().count() <= TITLE_CHARS + 2);
    }

    /// Regression: the people a sign-off section's tasks name (`Engineering lead confirms the
    /// system is stable`) were not on the sign-off sheet, which said no roles were named.
    #[test]
    fn sign_off_tasks_name_their_roles() {
        let c = crate::pipeline::from_bytes(
            "s.md",
            "s",
            "# C\n\n## Deploy\n\n- [ ] Go\n\n## Formal Sign-Off\n\n- [ ] Engineering lead confirms system stable\n- [ ] Product lead approves the release\n- [ ] Operations confirms backups\n- [ ] Verify the DBA confirms backups\n- [ ] Product owner verifies and approves\n".as_bytes(),
        )
        .checklist;
        assert_eq!(
            roles(&c),
            (
                vec![
                    "Engineering lead".to_owned(),
                    "Product lead".to_owned(),
                    "DBA".to_owned(),
                    "Product owner".to_owned()
                ],
                true
            )
        );
    }

    /// Regression: a prompt to write in (`**Special notes for your reviewer**:`) was printed as
    /// a role on the sign-off sheet.
    #[test]
    fn prompts_are_not_roles() {
        assert_eq!(role_of("Special notes for your reviewer"), None);
        assert_eq!(role_of("Known issues"), None);
        assert_eq!(role_of("QA Reviewer"), Some("QA Reviewer"));
        assert_eq!(role_of("Head of Engineering"), Some("Head of Engineering"));
        assert_eq!(role_of("DevOps Lead approval:"), Some("DevOps Lead"));
        // Regression: sign-off lines in other languages named no role, so the checklist was
        // said to have no sign-off and the sheet left them out.
        assert_eq!(role_of("发布人："), Some("发布人"));
        assert_eq!(role_of("承認者"), Some("承認者"));
        assert_eq!(role_of("Validé par"), Some("Validé par"));
        assert_eq!(role_of("发布时间"), None);
    }

    /// Regression: footnote references were left out of print, so a printed note could not be
    /// tied to its step.
    #[test]
    fn footnote_references_print_as_their_label() {
        let rows = rows_of(
            "# F\n\n## S\n\nOnly in the window[^w].\n\n- [ ] Page the DBA[^dba] & wait\n\n[^w]: Tuesdays.\n[^dba]: Via PagerDuty.\n",
        );
        let texts: Vec<String> = rows
            .iter()
            .filter_map(|r| match r {
                Row::Paragraph { text, .. } | Row::Item { text, .. } => Some(text.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(
            texts[..2],
            ["Only in the window[w].", "Page the DBA[dba] & wait"]
        );
        let rows = rows_of(
            "# F\n\n## S\n\n- [ ] Restart `nginx`[^n], **then** wait.\n\n[^n]: Gracefully.\n",
        );
        assert!(
            matches!(&rows[0], Row::Item { text, .. } if text == "Restart nginx[n], then wait."),
            "{:?}",
            rows[0]
        );
    }

    #[test]
    fn civil_dates_round_trip() {
        assert_eq!(civil(0), (1970, 1, 1, 0, 0, 0));
        assert_eq!(civil(1_700_000_000), (2023, 11, 14, 22, 13, 20));
        assert_eq!(civil(951_782_400), (2000, 2, 29, 0, 0, 0));
        assert_eq!(
            parse_date("2000-02-29"),
            Some(("2000-02-29".into(), 951_782_400))
        );
        assert_eq!(parse_date("2026-13-01"), None);
    }

    #[test]
    fn emoji_become_signs_or_words_or_go() {
        assert_eq!(printable("✅ Error rate < 1%"), "✓ Error rate < 1%");
        assert_eq!(printable("Smoke tests: ✅"), "Smoke tests: ✓");
        assert_eq!(printable("Celebrate 🎉 success"), "Celebrate success");
        // Regression: a plain check mark was dropped, and `Sign-off: PHASE 2 ✓` lost its tick.
        assert_eq!(printable("PHASE 2 ✓ ✗"), "PHASE 2 ✓ ✗");
        // Regression: a cross before a word printed as "No", so `❌ No blockers` read "No No
        // blockers" and `✅ Close this issue` read as done.
        assert_eq!(printable("❌ No blockers"), "✗ No blockers");
        assert_eq!(printable("✅ Success / ❌ Failed"), "✓ Success / ✗ Failed");
        // Regression: traffic lights and hourglasses in a status column printed as blanks.
        assert_eq!(printable("🔴"), "Red");
        assert_eq!(printable("Status: 🔴."), "Status: Red.");
        assert_eq!(printable("🟢OK"), "OK");
        assert_eq!(
            printable("Data Loss: ⚪ None / ⚪ Minimal"),
            "Data Loss: ☐ None / ☐ Minimal"
        );
        assert_eq!(printable("Smoke: ✅, all good"), "Smoke: ✓, all good");
        assert_eq!(printable("🟢 Healthy"), "Healthy");
        assert_eq!(printable("Tests: ⏳ 0% (pending)"), "Tests: 0% (pending)");
        assert_eq!(printable("Tests: ⏳"), "Tests: Pending");
        assert_eq!(printable("⚠️ Check #123 $5 *x* ]"), "⚠ Check #123 $5 *x* ]");
        // Regression: arrows, stars and hearts written as text were left out.
        assert_eq!(
            printable("Console → Usage ↔ Billing ⇒ Alerts ⇐ ★ ☆ ♥ ➜ ▶ 🚀 ⭐ done"),
            "Console → Usage ↔ Billing ⇒ Alerts ⇐ ★ ☆ ♥ ➜ ▶ done"
        );
        assert_eq!(printable("Entwickelt mit ❤️ für"), "Entwickelt mit für");
        assert_eq!(printable("Crew 👩🏽‍🚀 ready"), "Crew ready");
    }

    #[test]
    fn spaces_are_tidied_in_any_text() {
        assert_eq!(printable("  Run \t the\n  job "), "Run the job");
        assert_eq!(printable("Run the job"), "Run the job");
        assert_eq!(printable("Étape\u{a0} une  ✅"), "Étape une ✓");
        assert_eq!(printable(""), "");
    }
}
