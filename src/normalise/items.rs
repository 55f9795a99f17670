//! Converting lists into items: tasks, steps, criteria and bullets, with their labels, times,
//! durations, placeholders, nested blocks and children.

use std::borrow::Cow;
use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use regex::Regex;

use super::Ctx;
use super::blocks::{convert, field_label};
use super::heading::parse_duration;
use super::text::Inline;
use crate::model::{Block, Item, ItemKind, Phase, PlaceholderKind};
use crate::parse::{InlineEvent, Inlines, ListItem, Node};

static EXPLICIT_ID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\s*\{#([A-Za-z0-9][A-Za-z0-9_.:-]{0,127})\}\s*$")
        .unwrap_or_else(|e| unreachable!("{e}"))
});
/// A time or a range of times at the start of an item, before a separator or the words of
/// the step.
static LEADING_TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)^{}(?:\s*[:\-–—|]\s|\s|$)",
        super::heading::time_or_range()
    ))
    .unwrap_or_else(|e| unreachable!("{e}"))
});
/// A day at the start of an item, before a colon: `Day 1: Kickoff`, `D-1: Back up`.
static LEADING_DAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^((?:[Dd]ay\s+\d{1,3}|D[-+−‐‑]\d{1,3}))\s*:\s")
        .unwrap_or_else(|e| unreachable!("{e}"))
});
/// A duration at the end of an item: in parentheses or brackets (`(15 min)`, `[15 min]`), or
/// after a dash in minutes or hours, short and in lower case (`Deploy — 15m`, `— 2 hours`):
/// after a dash, `— 30d`, `— 512m` or `— 15M` are more often a setting or an amount than a
/// time, and so is what follows a setting's name (`Set TTL — 5m`, see [`SETTING_WORDS`]).
static TRAILING_DURATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:[(（]([^()（）]{1,40})[)）]|\[([^\[\]]{1,40})\]|\s[—–]\s+(~?(?:\d{1,2}\s*m|\d{1,3}\s*(?:mins?|minutes?)|\d{1,2}(?:\.\d)?\s*(?:h|hrs?|hours?))))\s*$",
    )
    .unwrap_or_else(|e| unreachable!("{e}"))
});

/// Names of settings whose value is a length of time (`Set TTL — 5m`, `token expiry — 1h`):
/// after a dash, their value is no duration of the step.
const SETTING_WORDS: &[&str] = &[
    "ttl",
    "timeout",
    "expiry",
    "expiration",
    "retention",
    "interval",
    "limit",
    "heap",
    "cache",
    "lifetime",
    "period",
    "delay",
    "backoff",
];

/// Check marks that make a line a success criterion.
const CRITERION_MARKS: &[&str] = &["✅", "✔️", "✔", "☑️", "☑", "✓", "🟢"];

/// Boxes drawn as characters that make a list item a task, unticked: `- ☐ Back up the database`.
const OPEN_BOXES: &[&str] = &["☐", "⬜", "🔲", "□", "◻", "▢"];
/// Ticked boxes: always a ticked task (`☒`), or, in a list with an open box, also the marks
/// that elsewhere open a success criterion (`- ☑ On-call briefed` under `- ☐ Backup taken`).
const CROSSED_BOXES: &[&str] = &["☒", "🗹"];
const TICKED_IN_BOX_LIST: &[&str] = &["☑️", "☑", "✅", "✔️", "✔"];

/// A box drawn as a character at the start of `text` and followed by a space: the mark and
/// whether it is ticked. Ticks that are also criterion marks count only in a list with an open
/// box (`box_list`).
fn drawn_box(text: &str, box_list: bool) -> Option<(&'static str, bool)> {
    let text = text.trim_start();
    let ticked: &[&str] = if box_list { TICKED_IN_BOX_LIST } else { &[] };
    [(OPEN_BOXES, false), (CROSSED_BOXES, true), (ticked, true)]
        .into_iter()
        .find_map(|(marks, checked)| {
            marks
                .iter()
                .find(|m| {
                    text.strip_prefix(**m)
                        .is_some_and(|rest| rest.trim_start_matches('\u{fe0f}').starts_with(' '))
                })
                .map(|m| (*m, checked))
        })
}

/// Whether any item of a list opens with an open box drawn as a character.
fn is_box_list(items: &[ListItem]) -> bool {
    items.iter().any(|li| {
        li.task.is_none()
            && matches!(li.nodes.first(), Some(Node::Paragraph { inlines, .. })
                if matches!(inlines.first(), Some((Event::Text(t), _))
                    if drawn_box(t, false).is_some_and(|(_, checked)| !checked)))
    })
}

/// The line of an item that is only a line of underscores to write on (`- ________`), which
/// Markdown reads as a thematic break: as the item's text, as written.
fn write_in_line(li: &ListItem, ctx: &Ctx<'_>) -> Option<Inlines> {
    let Some(Node::Rule { span }) = li.nodes.first() else {
        return None;
    };
    let line = ctx.doc.text.get(span.clone())?.trim();
    line.starts_with('_').then(|| {
        let text: String = line.chars().filter(|c| !c.is_whitespace()).collect();
        vec![(Event::Text(CowStr::from(text)), span.clone())]
    })
}

/// The text and target of each item's link, when every item of a list is one link to a place
/// in the page and nothing more, with only sub-lists after it (`1. [Rollback](#rollback)`).
fn in_page_links(items: &[ListItem]) -> Option<Vec<(String, String)>> {
    let link = |li: &ListItem| -> Option<(String, String)> {
        if li.task.is_some()
            || !li
                .nodes
                .iter()
                .skip(1)
                .all(|n| matches!(n, Node::List { .. }))
        {
            return None;
        }
        let Some(Node::Paragraph { inlines, .. }) = li.nodes.first() else {
            return None;
        };
        let mut events = inlines
            .iter()
            .filter(|(e, _)| !matches!(e, Event::Text(t) if t.trim().is_empty()));
        let target = match events.next() {
            Some((Event::Start(Tag::Link { dest_url, .. }), _)) => dest_url.strip_prefix('#')?,
            _ => return None,
        };
        if !matches!(events.next_back(), Some((Event::End(TagEnd::Link), _))) {
            return None;
        }
        let mut text = String::new();
        for (event, _) in events {
            match event {
                Event::Text(t) | Event::Code(t) => text.push_str(t),
                Event::Start(Tag::Link { .. }) => return None,
                _ => {}
            }
        }
        let target = super::percent_decode(target).unwrap_or_else(|| target.to_owned());
        Some((text, target))
    };
    items.iter().map(link).collect()
}

/// Whether a list of `at_least` items or more is a table of contents: each item one link to a
/// place in the page, whose text or target is a heading's (`1. [Rollback](#rollback)`), with
/// its sub-lists. Steps that link to where each is explained (`1. [Drain traffic](#drain)`)
/// name no heading, and stay steps. The headings are read only for a list of such links.
fn is_contents(items: &[ListItem], at_least: usize, ctx: &mut Ctx<'_>) -> bool {
    if items.len() < at_least {
        return false;
    }
    let Some(links) = in_page_links(items) else {
        return false;
    };
    let headings = ctx.heading_keys();
    // A link's text may be a heading's first words (`Monitoring` for `📈 Monitoring Continu`).
    let starts_a_heading =
        |key: &str| key.chars().count() >= 4 && headings.iter().any(|h| h.starts_with(key));
    links.iter().all(|(text, target)| {
        let (text, target) = (heading_key(text), heading_key(target));
        headings.contains(&text) || headings.contains(&target) || starts_a_heading(&text)
    })
}

/// A heading's text as a table of contents may write it: letters and digits only, lower case
/// (`🚀 Pré-Déploiement` and `Pré-déploiement` are one).
pub(super) fn heading_key(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The check mark a line starts with, if any.
pub(super) fn criterion_icon(text: &str) -> Option<&'static str> {
    CRITERION_MARKS
        .iter()
        .copied()
        .find(|m| text.trim_start().starts_with(m))
}

/// Whether a line of inline content opens with a check mark (also when written as mojibake).
pub(super) fn starts_with_criterion_mark(line: &[InlineEvent]) -> bool {
    match line.first() {
        Some((Event::Text(t), _)) => {
            let repaired = super::mojibake::repair(t);
            criterion_icon(repaired.as_ref().map_or(t.as_ref(), |(fixed, _)| fixed)).is_some()
        }
        _ => false,
    }
}

/// A list block.
pub(super) fn list(
    start: Option<u64>,
    items: &[ListItem],
    offset: usize,
    phase: Phase,
    ctx: &mut Ctx<'_>,
) -> Block {
    Block::List {
        line: ctx.line(offset),
        ordered: start.is_some(),
        start,
        items: list_items(start, items, phase, ctx),
    }
}

/// The items of a list; those of a numbered list are steps, unless it is a table of contents
/// (or one of its sub-lists), which lists where to go, not steps to take.
fn list_items(
    start: Option<u64>,
    items: &[ListItem],
    phase: Phase,
    ctx: &mut Ctx<'_>,
) -> Vec<Item> {
    let box_list = is_box_list(items);
    let at_least = if ctx.contents { 1 } else { 2 };
    let contents = is_contents(items, at_least, ctx);
    let outer = std::mem::replace(&mut ctx.contents, contents);
    let steps = start.is_some() && !contents;
    let items = items
        .iter()
        .map(|li| item(li, steps, box_list, phase, ctx))
        .collect();
    ctx.contents = outer;
    items
}

/// Lines of a paragraph that each start with a check mark, as a list of criteria.
pub(super) fn criteria_from_lines(lines: &[Inlines], line: u32, ctx: &mut Ctx<'_>) -> Block {
    let items = lines
        .iter()
        .map(|l| {
            let start = l.first().map_or(0, |(_, r)| r.start);
            let inline = ctx.inline(l);
            leaf(
                inline,
                ItemKind::Criterion,
                None,
                ctx.line(start),
                None,
                ctx,
            )
        })
        .collect();
    Block::List {
        line,
        ordered: false,
        start: None,
        items,
    }
}

fn item(li: &ListItem, step: bool, box_list: bool, phase: Phase, ctx: &mut Ctx<'_>) -> Item {
    // The item's own text is its first paragraph, or a heading written on the item's line
    // (`- # Title`), which Markdown allows and a reader sees as the item's text.
    let (first, rest) = match li.nodes.split_first() {
        Some((Node::Paragraph { inlines, .. } | Node::Heading { inlines, .. }, rest)) => {
            (Some(inlines), rest)
        }
        _ => (None, li.nodes.as_slice()),
    };
    let write_in = first.is_none().then(|| write_in_line(li, ctx)).flatten();
    let (first, rest) = match &write_in {
        Some(line) => (Some(line), &rest[1..]),
        None => (first, rest),
    };
    let (inlines, explicit_id) =
        first.map_or((Cow::Borrowed(&[][..]), None), |i| take_explicit_id(i));
    let inline = ctx.inline(&inlines);
    if explicit_id.is_none()
        && let Some(written) = rejected_id(&inline.text)
    {
        ctx.diagnostics.push(
            crate::diag::Diagnostic::new(
                "invalid-id",
                crate::diag::Severity::Warning,
                format!("`{written}` is not an id, so it stays in the item's text"),
                crate::diag::Position::line(ctx.line(li.span.start)),
            )
            .with_hint(
                "an id starts with a letter or digit and holds only letters, digits, `-`, `_`, `.` and `:` (at most 128)",
            ),
        );
    }
    let drawn = li
        .task
        .is_none()
        .then(|| drawn_box(&inline.text, box_list))
        .flatten();
    let kind = match li.task {
        Some(_) => ItemKind::Task,
        None if drawn.is_some() => ItemKind::Task,
        None if step => ItemKind::Step,
        None if phase == Phase::SuccessCriteria || criterion_icon(&inline.text).is_some() => {
            ItemKind::Criterion
        }
        None => ItemKind::Bullet,
    };
    let mark = drawn.map(|(mark, _)| mark);
    let mut item = leaf(
        inline,
        kind,
        explicit_id,
        ctx.line(li.span.start),
        mark,
        ctx,
    );
    item.checked = drawn.map_or(li.task == Some(true), |(_, checked)| checked);
    item.label = item
        .label
        .take()
        .or_else(|| first.and_then(|l| field_label(l)).map(|(l, _)| l));
    if item
        .time
        .as_deref()
        .is_some_and(|t| item.label.as_deref().is_some_and(|l| l.contains(t)))
    {
        item.label = None;
    }
    for (i, node) in rest.iter().enumerate() {
        match node {
            Node::List { start, items, .. } => {
                item.children.extend(list_items(*start, items, phase, ctx));
            }
            other => {
                let outer = std::mem::replace(&mut ctx.in_item, true);
                let blocks = convert(other, rest.get(i + 1), phase, ctx);
                ctx.in_item = outer;
                let before = item.children.len();
                item.children_before
                    .extend(std::iter::repeat_n(before, blocks.len()));
                item.blocks.extend(blocks);
            }
        }
    }
    if !item.has_blocks_after_children() {
        item.children_before = Vec::new();
    }
    item
}

/// The task of a row of a table of tasks: the row's main cell as its text, an explicit
/// `{#id}` at the end of that cell as its id, the box cell as whether it is ticked, and the
/// `Time` and `Duration` cells when the text has none of its own.
/// `row` is the row's cells as parsed, `texts` the same cells as plain text (already read).
pub(super) fn table_task(
    row: &[Inlines],
    texts: &[String],
    layout: super::task_table::Layout,
    line: u32,
    ctx: &Ctx<'_>,
) -> Item {
    let empty = Inlines::new();
    let main = row.get(layout.main).unwrap_or(&empty);
    let (inlines, explicit_id) = take_explicit_id(main);
    let inline = ctx.inline_again(&inlines);
    let mut item = leaf(inline, ItemKind::Task, explicit_id, line, None, ctx);
    let text_of = |c: Option<usize>| c.and_then(|c| texts.get(c)).map(String::as_str);
    item.checked = text_of(Some(layout.tick))
        .and_then(|t| super::task_table::cell_box(t, layout.states))
        .unwrap_or(false);
    if item.time.is_none() {
        item.time = text_of(layout.time).and_then(super::task_table::cell_time);
    }
    if item.duration.is_none() {
        item.duration = text_of(layout.duration).and_then(super::task_table::cell_duration);
    }
    item
}

/// An item built from its first paragraph's inline content.
/// `mark` is a box drawn as a character that starts the text (`☐`): the item's box, not its
/// text.
fn leaf(
    inline: Inline,
    kind: ItemKind,
    explicit_id: Option<String>,
    line: u32,
    mark: Option<&str>,
    ctx: &Ctx<'_>,
) -> Item {
    let mut placeholders = ctx.placeholders(&inline);
    if placeholders.is_empty() && matches!(kind, ItemKind::Task | ItemKind::Step) {
        placeholders.extend(ellipsis(&inline, ctx));
    }
    let mut text = inline.text;
    let mut html = inline.html;
    let mut icon = None;
    if kind == ItemKind::Criterion
        && let Some(mark) = criterion_icon(&text)
    {
        icon = Some(mark.to_owned());
        (text, html) = without_mark(&text, &html, mark);
    }
    if let Some(mark) = mark {
        (text, html) = without_mark(&text, &html, mark);
    }
    let time = match text.as_bytes().first() {
        Some(b'0'..=b'9' | b'T' | b't') => {
            LEADING_TIME.captures(&text).map(|c| c[1].trim().to_owned())
        }
        Some(b'D' | b'd') => LEADING_DAY.captures(&text).map(|c| c[1].to_owned()),
        _ => None,
    };
    // Most items end in no parenthesis, bracket or dash-separated duration: no regex for them.
    let may_end_timed = text.trim_end().ends_with([')', ']', '）']) || text.contains(['—', '–']);
    let duration = may_end_timed
        .then(|| TRAILING_DURATION.captures(&text))
        .flatten()
        .and_then(|c| {
            if let Some(after_dash) = c.get(3) {
                let before = text[..after_dash.start()].to_lowercase();
                let setting = before
                    .split(|c: char| !c.is_alphanumeric())
                    .any(|w| SETTING_WORDS.contains(&w));
                return (!setting)
                    .then(|| parse_duration(after_dash.as_str()))
                    .flatten();
            }
            parse_duration(c.get(1).or(c.get(2))?.as_str())
        });
    let raw = match mark {
        Some(mark) if inline.raw.trim_start().starts_with(mark) => {
            without_mark(&inline.raw, "", mark).0
        }
        _ => inline.raw,
    };
    let raw_text = (!inline.repairs.is_empty() && raw != text).then_some(raw);
    Item {
        id: explicit_id.unwrap_or_default(),
        kind,
        checked: false,
        text,
        html: html.trim().to_owned(),
        raw_text,
        label: None,
        icon,
        time,
        duration,
        placeholders,
        line,
        blocks: Vec::new(),
        children: Vec::new(),
        children_before: Vec::new(),
    }
}

/// The text and HTML without `mark` at their start (and the emoji variation selector after it).
fn without_mark(text: &str, html: &str, mark: &str) -> (String, String) {
    let text = text.trim_start()[mark.len()..]
        .trim_start_matches('\u{fe0f}')
        .trim_start();
    let html = html.replacen(mark, "", 1);
    (
        text.to_owned(),
        html.trim_start_matches('\u{fe0f}').trim_start().to_owned(),
    )
}

/// `1. ...` in a template: a step still to write, whose text is an ellipsis and nothing else (a
/// bullet `- …` is more often "and so on").
fn ellipsis(inline: &Inline, ctx: &Ctx<'_>) -> Option<crate::model::Placeholder> {
    let dots = inline.text.trim();
    let start = inline.text.len() - inline.text.trim_start().len();
    ((dots.contains("...") || dots.contains('…'))
        && dots.chars().all(|c| matches!(c, '.' | '…'))
        && !inline.in_code(start))
    .then(|| ctx.placeholder(inline, PlaceholderKind::Example, start..start + dots.len()))
}

/// Removes a trailing `{#some-id}` from the last text of the item, returning the id.
/// An id written at the end of a text (`{#a b}`, `{#../etc}`) that is not one an id may be.
fn rejected_id(text: &str) -> Option<&str> {
    let text = text.trim_end();
    let start = text.strip_suffix('}')?.rfind("{#")?;
    let written = &text[start..];
    (!written[2..written.len() - 1].contains(['{', '}'])).then_some(written)
}

pub(super) fn take_explicit_id(
    inlines: &[InlineEvent],
) -> (Cow<'_, [InlineEvent]>, Option<String>) {
    let end = inlines
        .iter()
        .rposition(|(e, _)| !matches!(e, Event::SoftBreak | Event::HardBreak))
        .map_or(0, |i| i + 1);
    let Some((Event::Text(last), range)) = end.checked_sub(1).map(|i| &inlines[i]) else {
        return (Cow::Borrowed(inlines), None);
    };
    if !last.trim_end().ends_with('}') {
        return (Cow::Borrowed(inlines), None);
    }
    let Some(caps) = EXPLICIT_ID.captures(last) else {
        return (Cow::Borrowed(inlines), None);
    };
    let id = caps[1].to_owned();
    let kept = last[..caps.get(0).map_or(last.len(), |m| m.start())].to_owned();
    let mut out = inlines[..end - 1].to_vec();
    if !kept.is_empty() {
        out.push((Event::Text(CowStr::from(kept)), range.clone()));
    }
    (Cow::Owned(out), Some(id))
}
