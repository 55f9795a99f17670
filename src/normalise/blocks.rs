//! Converting parsed nodes other than headings and lists into model blocks: paragraphs (which may
//! turn out to be sign-off fields or success criteria), code, tables, quotes and raw HTML.

use std::sync::LazyLock;

use pulldown_cmark::{Event, Tag, TagEnd};
use regex::Regex;

use super::Ctx;
use super::items;
use super::task_table;
use crate::model::{
    Block, Choice, CodeKind, EnvVar, Field, FieldsKind, Phase, PlaceholderKind, TableHtml,
    TableKind,
};
use crate::parse::{InlineEvent, Inlines, Node};

/// Converts one node (never a heading) into zero or more blocks; `next` is the node after it.
pub(super) fn convert(
    node: &Node,
    next: Option<&Node>,
    phase: Phase,
    ctx: &mut Ctx<'_>,
) -> Vec<Block> {
    match node {
        Node::Paragraph { inlines, span } => {
            paragraph(inlines, span.start, next_kind(next), phase, ctx)
        }
        Node::Heading { inlines, span, .. } => {
            let inline = ctx.inline(inlines);
            vec![Block::Paragraph {
                line: ctx.line(span.start),
                text: inline.text,
                html: inline.html,
            }]
        }
        Node::List { start, items, span } => {
            vec![items::list(*start, items, span.start, phase, ctx)]
        }
        Node::Code {
            info,
            fenced,
            text,
            span,
        } => vec![code(info, *fenced, text, span.start, ctx)],
        Node::Table { head, rows, span } => vec![table(head, rows, span.start, phase, ctx)],
        Node::Quote {
            nodes,
            footnote,
            alert,
            title,
            span,
        } => {
            let blocks = nodes
                .iter()
                .enumerate()
                .flat_map(|(i, n)| convert(n, nodes.get(i + 1), phase, ctx))
                .collect();
            vec![Block::Quote {
                line: ctx.line(span.start),
                footnote: footnote.clone(),
                alert: alert.map(str::to_owned),
                title: title.clone(),
                blocks,
            }]
        }
        Node::Html { text, span } => vec![Block::Html {
            line: ctx.line(span.start),
            text: text.clone(),
        }],
        Node::Rule { .. } => Vec::new(),
    }
}

/// What follows a paragraph, for a last line with a label and nothing after it (`**Steps**:`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Next {
    /// A list, code, a table, a quote or raw HTML, which the label introduces.
    Block,
    /// Prose that is not itself a line to write on, which a paragraph of one label introduces
    /// (`**All of the following must be true:**`); after a form of several labels it is not.
    Prose,
    /// Another label, a line of underscores, a heading or nothing: the label is a line to write
    /// on (a form of `**Deployed By**:` lines).
    Other,
}

fn next_kind(next: Option<&Node>) -> Next {
    match next {
        Some(Node::Paragraph { inlines, .. }) => {
            let prose = split_lines(inlines).first().is_none_or(|l| {
                field_label(l).is_none() && plain_blank_label(l).is_none() && !is_blank_value(l)
            });
            if prose { Next::Prose } else { Next::Other }
        }
        Some(
            Node::List { .. }
            | Node::Code { .. }
            | Node::Table { .. }
            | Node::Quote { .. }
            | Node::Html { .. },
        ) => Next::Block,
        _ => Next::Other,
    }
}

/// A paragraph, or fields when every line is `**Label**: value`, or criteria when every line
/// starts with a check mark.
///
/// A last line with a label and nothing after it (`**Steps**:`) that introduces what follows
/// (see [`Next`]) stays a paragraph of its own instead of becoming a line to write on.
/// Underscores (`**Deployed By**: ____`), and label-only lines elsewhere, make lines to write on.
fn paragraph(
    inlines: &Inlines,
    start: usize,
    next: Next,
    phase: Phase,
    ctx: &mut Ctx<'_>,
) -> Vec<Block> {
    let line = ctx.line(start);
    let lines = split_fields(
        split_lines(inlines)
            .into_iter()
            .map(bold_plain_meta)
            .flat_map(split_plain_blanks)
            .collect(),
    );
    let labels: Option<Vec<usize>> = lines
        .iter()
        .map(|l| {
            field_label(l)
                .map(|(_, at)| at)
                .or_else(|| plain_blank_label(l).map(|_| 0))
        })
        .collect();
    if let Some(labels) = labels {
        // In a sign-off section, a label before prose is a line to sign (`**Date:**` above a
        // closing note); before a list or a table it still introduces them.
        let introduces = next == Next::Block
            || (next == Next::Prose && lines.len() == 1 && phase != Phase::SignOff);
        return fields_or_intro(&lines, &labels, introduces, phase, ctx);
    }
    if (lines.len() > 1 || phase == Phase::SuccessCriteria)
        && lines.iter().all(|l| items::starts_with_criterion_mark(l))
    {
        return vec![items::criteria_from_lines(&lines, line, ctx)];
    }
    let inline = ctx.inline(inlines);
    vec![Block::Paragraph {
        line,
        text: inline.text,
        html: inline.html,
    }]
}

/// Lines that all start with a label: fields, and when `intro` holds and the last line has
/// nothing after its label, that line as a paragraph of its own after them.
fn fields_or_intro(
    lines: &[Inlines],
    labels: &[usize],
    intro: bool,
    phase: Phase,
    ctx: &mut Ctx<'_>,
) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut run: Vec<Field> = Vec::new();
    let mut run_line = 0;
    let last = lines.len().saturating_sub(1);
    for (i, (l, &value_at)) in lines.iter().zip(labels).enumerate() {
        let at = ctx.line(l.first().map_or(0, |(_, r)| r.start));
        if intro && i == last && nothing_after(&l[value_at..]) {
            flush_fields(&mut run, run_line, phase, &mut blocks);
            let inline = ctx.inline(l);
            blocks.push(Block::Paragraph {
                line: at,
                text: inline.text,
                html: inline.html,
            });
            continue;
        }
        if run.is_empty() {
            run_line = at;
        }
        run.push(field(l, ctx));
    }
    flush_fields(&mut run, run_line, phase, &mut blocks);
    blocks
}

fn flush_fields(run: &mut Vec<Field>, line: u32, phase: Phase, blocks: &mut Vec<Block>) {
    if run.is_empty() {
        return;
    }
    let fields = std::mem::take(run);
    let kind = fields_kind(&fields, phase);
    blocks.push(Block::Fields { line, kind, fields });
}

/// Whether a field's value is missing altogether: only spaces and colons, no underscores.
fn nothing_after(value: &[InlineEvent]) -> bool {
    value.iter().all(|(e, _)| match e {
        Event::Text(t) => t
            .trim_matches(|c: char| COLONS.contains(&c) || c.is_whitespace())
            .is_empty(),
        _ => false,
    })
}

/// Splits inline content at line breaks.
pub(super) fn split_lines(inlines: &Inlines) -> Vec<Inlines> {
    let mut lines = vec![Vec::new()];
    for (event, range) in inlines {
        if matches!(event, Event::SoftBreak | Event::HardBreak) {
            lines.push(Vec::new());
        } else if let Some(last) = lines.last_mut() {
            last.push((event.clone(), range.clone()));
        }
    }
    lines.retain(|l| {
        !l.iter()
            .all(|(e, _)| matches!(e, Event::Text(t) if t.trim().is_empty()))
    });
    lines
}

/// Lines with several fields split into one line per field: a bold label starts a new field
/// when what follows the previous label is blank (`**QA Lead:** ____ **Date:** ____`) or ends
/// with a separator (`**Version**: 1.0 | **Owner**: DB team`), which is dropped.
fn split_fields(lines: Vec<Inlines>) -> Vec<Inlines> {
    let mut out = Vec::with_capacity(lines.len());
    for mut line in lines {
        let cuts = field_starts(&line);
        if cuts.is_empty() {
            out.push(line);
            continue;
        }
        // Split from the end, so that each piece is copied once.
        let mut pieces = Vec::with_capacity(cuts.len() + 1);
        for &cut in cuts.iter().rev() {
            pieces.push(line.split_off(cut));
            drop_separator(&mut line);
        }
        pieces.push(line);
        out.extend(pieces.into_iter().rev());
    }
    out
}

/// Where the second and later fields of a line start (see [`split_fields`]), in order.
fn field_starts(line: &[InlineEvent]) -> Vec<usize> {
    let mut cuts = Vec::new();
    let mut from = 0;
    while let Some((_, at)) = field_label(&line[from..]) {
        let value_at = from + at;
        let next = (value_at..line.len()).find(|&i| {
            matches!(line[i].0, Event::Start(Tag::Strong))
                && (is_blank_value(&line[value_at..i]) || ends_with_separator(&line[..i]))
                && field_label(&line[i..]).is_some()
        });
        match next {
            Some(i) if i > value_at => {
                cuts.push(i);
                from = i;
            }
            _ => break,
        }
    }
    cuts
}

/// A plain `Estimated Total Time: 45 minutes` line whose label is one of the checklist's
/// metadata, with its label made bold, so that it reads as the field it is, as
/// `**Estimated Total Time**: 45 minutes` does. Other lines are returned as they are.
fn bold_plain_meta(line: Inlines) -> Inlines {
    let Some((Event::Text(t), range)) = line.first() else {
        return line;
    };
    let Some((label, rest)) = split_label(t) else {
        return line;
    };
    let value_empty = rest.trim().is_empty() && line.len() == 1;
    // A value is short and no sentence: `Service: restart it only after …` is prose.
    let sentence = line.len() == 1
        && (rest.split_whitespace().count() > 8 || rest.trim_end().ends_with(['.', '!', '?']));
    if value_empty
        || sentence
        || label.starts_with(char::is_whitespace)
        || !is_meta_label(label.trim())
    {
        return line;
    }
    let (range, label_len) = (range.clone(), label.len());
    let mut out: Inlines = Vec::with_capacity(line.len() + 2);
    out.push((Event::Start(Tag::Strong), range.start..range.start));
    out.push((
        Event::Text(label.trim_end().to_owned().into()),
        source(&range, 0, label_len),
    ));
    out.push((
        Event::End(TagEnd::Strong),
        range.start + label_len..range.start + label_len,
    ));
    out.push((
        Event::Text(t[label_len..].to_owned().into()),
        source(&range, label_len, t.len() - label_len),
    ));
    out.extend(line.into_iter().skip(1));
    out
}

/// A blank to fill in followed by another plain label and blank: `____ Date: ____`.
static NEXT_PLAIN_BLANK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"_{3,}[ \t]+([^\s:：_][^:：_]{0,63}[:：][ \t]*_{3,})")
        .unwrap_or_else(|e| unreachable!("{e}"))
});

/// A line of blanks with plain labels split into one line per blank:
/// `Coordinator: ____ Date: ____`, the same all in bold, or after a bold label
/// (`**CTO**: ____ Date/Time: ____`). Other lines are returned as they are.
fn split_plain_blanks(line: Inlines) -> Vec<Inlines> {
    let line = unwrap_bold_blanks(line);
    let text_at = field_label(&line).map_or(0, |(_, at)| at);
    let texts: Option<Vec<&str>> = line[text_at..]
        .iter()
        .map(|(e, _)| match e {
            Event::Text(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect();
    let Some(texts) = texts else {
        return vec![line];
    };
    let joined = texts.concat();
    let mut cuts = Vec::new();
    let mut from = 0;
    while let Some(c) = NEXT_PLAIN_BLANK.captures_at(&joined, from) {
        let Some(label) = c.get(1) else { break };
        cuts.push(label.start());
        from = label.start();
    }
    if cuts.is_empty() {
        return vec![line];
    }
    cut_texts(line, text_at, &cuts)
}

/// `**Label: ____ Date: ____**`, a whole line of blanks in bold, without the bold.
fn unwrap_bold_blanks(line: Inlines) -> Inlines {
    let wrapped = matches!(line.first(), Some((Event::Start(Tag::Strong), _)))
        && matches!(line.last(), Some((Event::End(TagEnd::Strong), _)))
        && line.len() > 2
        && line[1..line.len() - 1]
            .iter()
            .all(|(e, _)| matches!(e, Event::Text(_)));
    if !wrapped {
        return line;
    }
    let inner = &line[1..line.len() - 1];
    let text: String = inner
        .iter()
        .filter_map(|(e, _)| match e {
            Event::Text(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect();
    let blank_label = split_label(&text).is_some_and(|(label, rest)| {
        !label.trim().is_empty() && rest.trim_start().starts_with("___")
    });
    if blank_label { inner.to_vec() } else { line }
}

/// Splits the text events of `line` from `text_at` on at byte offsets `cuts` of their joined
/// text (in increasing order).
fn cut_texts(line: Inlines, text_at: usize, cuts: &[usize]) -> Vec<Inlines> {
    let mut out = Vec::with_capacity(cuts.len() + 1);
    let mut current: Inlines = line[..text_at].to_vec();
    let mut offset = 0;
    let mut cuts = cuts.iter().copied().peekable();
    for (event, range) in line.into_iter().skip(text_at) {
        let Event::Text(t) = event else { continue };
        let mut piece: &str = &t;
        let mut start = offset;
        while let Some(cut) = cuts.next_if(|&c| c < start + piece.len()) {
            let at = cut.saturating_sub(start);
            if at > 0 {
                current.push((
                    Event::Text(piece[..at].to_owned().into()),
                    source(&range, start - offset, at),
                ));
            }
            out.push(std::mem::take(&mut current));
            piece = &piece[at..];
            start = cut;
        }
        if !piece.is_empty() {
            let skip = start - offset;
            current.push((
                Event::Text(piece.to_owned().into()),
                source(&range, skip, piece.len()),
            ));
        }
        offset += t.len();
    }
    out.push(current);
    out.retain(|l| !l.is_empty());
    out
}

/// The source range of `len` bytes of a text event at `skip` bytes into it (clamped to the
/// event's range: escapes make text and source differ in length).
fn source(range: &std::ops::Range<usize>, skip: usize, len: usize) -> std::ops::Range<usize> {
    let start = (range.start + skip).min(range.end);
    start..(start + len).min(range.end)
}

/// Characters that separate fields written on one line.
const FIELD_SEPARATORS: [char; 3] = ['|', '·', '•'];

/// Whether the text before a bold label ends with a field separator (`1.0 | `).
fn ends_with_separator(before: &[InlineEvent]) -> bool {
    matches!(before.last(), Some((Event::Text(t), _)) if t.trim_end().ends_with(FIELD_SEPARATORS))
}

/// Removes the separator (and the spaces around it) that ends a field's value.
fn drop_separator(line: &mut Inlines) {
    let Some((Event::Text(t), range)) = line.last() else {
        return;
    };
    let kept = t.trim_end().trim_end_matches(FIELD_SEPARATORS).trim_end();
    let end = (range.start + kept.len()).min(range.end);
    let kept = kept.to_owned();
    let start = range.start;
    line.pop();
    if !kept.is_empty() {
        line.push((Event::Text(kept.into()), start..end));
    }
}

/// The colons that end a label: ASCII and full width (`日期：2024-05-01`).
const COLONS: [char; 2] = [':', '：'];

/// A label and the rest of the text after its colon (`Date: 1 May` → `Date`, ` 1 May`).
fn split_label(text: &str) -> Option<(&str, &str)> {
    let at = text.find(COLONS)?;
    let colon = text[at..].chars().next().map_or(1, char::len_utf8);
    Some((&text[..at], &text[at + colon..]))
}

/// Whether inline events are a blank to fill in: underscores, spaces and colons, with at least
/// three underscores.
fn is_blank_value(value: &[InlineEvent]) -> bool {
    let mut underscores = 0;
    let all_blank = value.iter().all(|(e, _)| match e {
        Event::Text(t) => t.chars().all(|c| {
            underscores += usize::from(c == '_');
            c == '_' || COLONS.contains(&c) || c.is_whitespace()
        }),
        _ => false,
    });
    all_blank && underscores >= 3
}

/// The label of a plain `Signed off by: ________` line: text only, a short label, a colon and a
/// blank of at least three underscores.
fn plain_blank_label(line: &Inlines) -> Option<String> {
    let mut text = String::new();
    for (e, _) in line {
        match e {
            Event::Text(t) => text.push_str(t),
            _ => return None,
        }
    }
    let (label, value) = split_label(&text)?;
    let label = label.trim();
    let value = value.trim();
    let short =
        !label.is_empty() && label.chars().count() <= 64 && label.split_whitespace().count() <= 6;
    (short && value.len() >= 3 && value.bytes().all(|b| b == b'_')).then(|| label.to_owned())
}

/// The label of a `**Label**: value` or `**Label:** value` line, and where its value starts.
pub(super) fn field_label(line: &[InlineEvent]) -> Option<(String, usize)> {
    let (Event::Start(Tag::Strong), _) = line.first()? else {
        return None;
    };
    let close = line
        .iter()
        .position(|(e, _)| matches!(e, Event::End(TagEnd::Strong)))?;
    let label: String = line[1..close]
        .iter()
        .filter_map(|(e, _)| match e {
            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect();
    let label = label.trim();
    if label.is_empty() || label.chars().count() > 64 {
        return None;
    }
    if let Some(stripped) = label.strip_suffix(COLONS) {
        return Some((stripped.trim().to_owned(), close + 1));
    }
    match line.get(close + 1) {
        Some((Event::Text(t), _)) if t.trim_start().starts_with(COLONS) => {
            Some((label.to_owned(), close + 1))
        }
        _ => None,
    }
}

fn field(line: &Inlines, ctx: &mut Ctx<'_>) -> Field {
    let line_no = ctx.line(line.first().map_or(0, |(_, r)| r.start));
    let Some((_, value_at)) = field_label(line) else {
        let inline = ctx.inline(line);
        return Field {
            label: plain_blank_label(line).unwrap_or_default(),
            value: String::new(),
            html: None,
            blank: true,
            choices: Vec::new(),
            placeholders: ctx.placeholders(&inline),
            line: line_no,
        };
    };
    let label_inline = ctx.inline(&line[..value_at]);
    let label = super::text::strip_emoji(&label_inline.text)
        .1
        .trim_end_matches(COLONS)
        .trim()
        .to_owned();
    let value_inline = ctx.inline(&line[value_at..]);
    let value = value_inline
        .text
        .trim_start_matches(COLONS)
        .trim()
        .to_owned();
    let choices = choices(&value);
    let blank = value.chars().all(|c| c == '_' || c.is_whitespace());
    let placeholders = ctx.placeholders(&value_inline);
    let html = (!blank && has_markup(&value_inline.html)).then(|| {
        let html = value_inline.html.trim_start();
        html.strip_prefix(COLONS).unwrap_or(html).trim().to_owned()
    });
    Field {
        label,
        value: if blank { String::new() } else { value },
        html,
        blank,
        choices,
        placeholders,
        line: line_no,
    }
}

/// Whether `text` starts with a box that opens a choice (`⬜`, `[ ]`, `☑`…).
#[must_use]
pub fn starts_with_box(text: &str) -> bool {
    BOXES.iter().any(|b| text.starts_with(b))
}

/// Box characters that open a choice.
const BOXES: &[&str] = &[
    "⬜", "☐", "□", "◻", "▢", "🔲", "[ ]", "⚪", "○", "◯", "🔘", "☑", "☒", "🗹", "✅", "✔", "[x]",
    "[X]", "⬛", "■", "◉", "⦿",
];
const TICKED: &[&str] = &["☑", "☒", "🗹", "✅", "✔", "[x]", "[X]", "⬛", "■", "◉", "⦿"];

/// `⬜ Success / ⬜ Rolled Back / ⬜ Partial` → three choices; the boxes alone may separate
/// them too (`☐ Success  ☐ Rolled Back`). Empty unless the whole value is two or more choices.
#[must_use]
pub fn choices(value: &str) -> Vec<Choice> {
    let parts: Vec<&str> = value
        .split(['/', '|'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let boxed: Vec<Choice> = parts.iter().filter_map(|p| choice(p)).collect();
    if boxed.len() >= 2 && boxed.len() == parts.len() {
        return boxed;
    }
    let parts = split_at_boxes(value.trim());
    let boxed: Vec<Choice> = parts.iter().filter_map(|p| choice(p)).collect();
    if boxed.len() >= 2 && boxed.len() == parts.len() && boxed.iter().all(|c| !c.label.is_empty()) {
        boxed
    } else {
        Vec::new()
    }
}

/// One choice: a box, then its label.
fn choice(part: &str) -> Option<Choice> {
    let mark = BOXES.iter().find(|b| part.starts_with(**b))?;
    let label = part[mark.len()..]
        .trim_start_matches('\u{fe0f}')
        .trim()
        .trim_end_matches([',', ';'])
        .trim_end()
        .to_owned();
    Some(Choice {
        label,
        checked: TICKED.contains(mark),
    })
}

/// `value` cut before each box (`☐ A  ☐ B` → `☐ A`, `☐ B`); empty unless it starts with one.
fn split_at_boxes(value: &str) -> Vec<&str> {
    if !BOXES.iter().any(|b| value.starts_with(*b)) {
        return Vec::new();
    }
    let mut cuts: Vec<usize> = value
        .char_indices()
        .filter(|(i, _)| BOXES.iter().any(|b| value[*i..].starts_with(*b)))
        .map(|(i, _)| i)
        .collect();
    cuts.push(value.len());
    cuts.windows(2)
        .map(|w| value[w[0]..w[1]].trim())
        .filter(|p| !p.is_empty())
        .collect()
}

/// Labels that name document metadata.
pub(super) const META_LABELS: &[&str] = &[
    "version",
    "document version",
    "date",
    "last updated",
    "updated",
    "owner",
    "document owner",
    "maintainer",
    "author",
    "platform",
    "product",
    "application",
    "service",
    "system",
    "status",
    "review frequency",
    "review cycle",
    "estimated total time",
    "estimated time",
    "total time",
    "estimated duration",
    "total duration",
    "tiempo estimado",
    "duración estimada",
    "tempo estimado",
    "duração estimada",
    "durée estimée",
    "geschätzte dauer",
    "所要時間",
    "预计时间",
    "environment",
    "required personnel",
    "recommended window",
    "versión",
    "versão",
    "versione",
    "fecha",
    "datum",
    "日期",
    "日付",
    "última actualización",
    "última atualização",
    "dernière mise à jour",
    "zuletzt aktualisiert",
    "最后更新",
    "更新日",
    "estado",
    "statut",
    "état",
    "状态",
    "ステータス",
    "autor",
    "auteur",
    "propietario",
    "responsable",
    "responsável",
    "verantwortlich",
    "负责人",
    "担当者",
    "版本",
    "バージョン",
    "作者",
    "作成者",
];

/// Whether a field with this label is one of the checklist's metadata (`Version`, `Owner`).
#[must_use]
pub fn is_meta_label(label: &str) -> bool {
    META_LABELS.contains(&label.to_lowercase().as_str())
}

fn fields_kind(fields: &[Field], phase: Phase) -> FieldsKind {
    let to_fill = fields.iter().any(|f| f.blank || !f.choices.is_empty());
    if phase == Phase::SignOff || to_fill {
        FieldsKind::SignOff
    } else if phase == Phase::Contacts {
        FieldsKind::Contacts
    } else if fields.iter().any(|f| is_meta_label(&f.label)) {
        FieldsKind::Meta
    } else {
        FieldsKind::Other
    }
}

static ENV_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*?)\s*$")
        .unwrap_or_else(|e| unreachable!("{e}"))
});
static SECRET_KEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)pass(word|wd)?|secret|token|private|credential|api_?key|access_?key|auth|dsn|salt|(^|_)key$")
        .unwrap_or_else(|e| unreachable!("{e}"))
});

const SHELLS: &[&str] = &[
    "bash",
    "sh",
    "shell",
    "zsh",
    "fish",
    "console",
    "shell-session",
    "shellsession",
    "powershell",
    "ps1",
    "pwsh",
    "ps",
    "cmd",
    "bat",
    "batch",
    "terminal",
];
const CONFIGS: &[&str] = &[
    "yaml",
    "yml",
    "json",
    "jsonc",
    "toml",
    "ini",
    "cfg",
    "conf",
    "nginx",
    "apache",
    "xml",
    "hcl",
    "tf",
    "terraform",
    "properties",
    "dockerfile",
    "docker",
    "caddyfile",
    "systemd",
];

/// The language of a fenced block's info string, lower-cased: `bash` of `Bash title="x"`,
/// `python` of `{.python}`.
#[must_use]
pub fn code_lang(info: &str) -> Option<String> {
    info.split(|c: char| c.is_whitespace() || c == ',' || c == '{')
        .next()
        .map(|l| l.trim_matches(['{', '}', '.']).to_lowercase())
        .filter(|l| !l.is_empty())
}

fn code(info: &str, fenced: bool, text: &str, start: usize, ctx: &mut Ctx<'_>) -> Block {
    let lang = code_lang(info);
    let line = ctx.line(start);
    let env = env_vars(text, line + u32::from(fenced));
    let kind = code_kind(lang.as_deref(), text, &env);
    let env = if kind == CodeKind::EnvTemplate {
        env
    } else {
        Vec::new()
    };
    let placeholders = if kind == CodeKind::Other
        && lang
            .as_deref()
            .is_some_and(|l| matches!(l, "html" | "xml" | "svg"))
    {
        Vec::new()
    } else {
        ctx.placeholders_in_code(text, start, fenced)
    };
    Block::Code {
        line,
        lang,
        kind,
        text: text.to_owned(),
        env,
        placeholders,
    }
}

fn code_kind(lang: Option<&str>, text: &str, env: &[EnvVar]) -> CodeKind {
    let content_lines = text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .count();
    let is_env = content_lines > 0 && env.len() == content_lines;
    match lang {
        Some("env" | "dotenv" | "envfile") => CodeKind::EnvTemplate,
        Some(l) if is_env && (SHELLS.contains(&l) || l == "properties" || l == "ini") => {
            CodeKind::EnvTemplate
        }
        Some(l) if SHELLS.contains(&l) => CodeKind::Commands,
        Some(l) if CONFIGS.contains(&l) => CodeKind::Config,
        None if is_env => CodeKind::EnvTemplate,
        None if text.lines().any(|l| l.trim_start().starts_with("$ ")) => CodeKind::Commands,
        Some(_) | None => CodeKind::Other,
    }
}

fn env_vars(text: &str, first_line: u32) -> Vec<EnvVar> {
    text.lines()
        .enumerate()
        .filter_map(|(i, l)| {
            let caps = ENV_LINE.captures(l)?;
            let key = caps[1].to_owned();
            let value = caps[2].to_owned();
            Some(EnvVar {
                secret: SECRET_KEY.is_match(&key),
                placeholder: is_placeholder_value(&value),
                key,
                value,
                line: first_line + u32::try_from(i).unwrap_or(u32::MAX - first_line),
            })
        })
        .collect()
}

fn is_placeholder_value(value: &str) -> bool {
    let v = value.trim_matches(['"', '\'']).trim();
    v.is_empty()
        || v.chars().all(|c| c == '.' || c == '…')
        || v.to_lowercase().contains("change")
        || !super::placeholders::find(v).is_empty()
}

/// Whether sanitised inline HTML holds markup (a link, code, emphasis) beyond escaped text.
fn has_markup(html: &str) -> bool {
    html.contains('<')
}

/// Placeholder shapes that mean "parameter" inside code: angle brackets and example values.
pub(super) fn is_code_placeholder(kind: PlaceholderKind) -> bool {
    matches!(kind, PlaceholderKind::Angle | PlaceholderKind::Example)
}

fn table(
    head: &[Inlines],
    rows: &[Vec<Inlines>],
    start: usize,
    phase: Phase,
    ctx: &mut Ctx<'_>,
) -> Block {
    let mut marked = false;
    let mut cells = |cells: &[Inlines]| -> (Vec<String>, Vec<String>) {
        cells
            .iter()
            .map(|c| {
                let inline = ctx.inline(c);
                marked |= has_markup(&inline.html);
                (inline.text, inline.html)
            })
            .unzip()
    };
    let (headers, headers_html) = cells(head);
    let (mut texts, mut htmls): (Vec<Vec<String>>, Vec<Vec<String>>) =
        rows.iter().map(|r| cells(r)).unzip();
    let mut kind = table_kind(&headers, &texts, phase);
    let line = ctx.line(start);
    let layout = (kind == TableKind::Other && !ctx.in_item)
        .then(|| task_table::layout(&headers, &texts))
        .flatten();
    let mut items = Vec::new();
    if let Some(layout) = layout {
        kind = TableKind::Tasks;
        for (r, row) in rows.iter().enumerate() {
            let row_line = line + 2 + u32::try_from(r).unwrap_or(0);
            let item = items::table_task(row, &texts[r], layout, row_line, ctx);
            if let Some(main) = texts[r].get_mut(layout.main) {
                main.clone_from(&item.text);
            }
            if let Some(main) = htmls[r].get_mut(layout.main) {
                main.clone_from(&item.html);
                marked |= has_markup(main);
            }
            items.push(item);
        }
    }
    Block::Table {
        line,
        kind,
        headers,
        rows: texts,
        html: marked.then_some(TableHtml {
            headers: headers_html,
            rows: htmls,
        }),
        tick_column: layout.map(|l| l.tick),
        items,
    }
}

/// Headers of a column to sign in.
const SIGNATURE_HEADERS: &[&str] = &[
    "signature",
    "sign-off",
    "signed",
    "unterschrift",
    "firma",
    "assinatura",
    "署名",
    "签名",
    "签字",
    "サイン",
];

/// Headers of a column naming who signs, which in a sign-off section with cells to fill in
/// make a table to sign (`| Role | Name | Date |`, `| 項目 | 氏名 | 承認日 |`).
const WHO_HEADERS: &[&str] = &[
    "role", "name", "rolle", "rôle", "nom", "rol", "nombre", "papel", "nome", "役割", "氏名",
    "名前", "角色", "姓名",
];

fn table_kind(headers: &[String], rows: &[Vec<String>], phase: Phase) -> TableKind {
    let lower: Vec<String> = headers.iter().map(|h| h.to_lowercase()).collect();
    // A word of a header (`Confirmation` holds no `firma`, `Hostname` no `name`); words of
    // scripts written without spaces are found inside a header (`承認者氏名`).
    let has = |w: &str| {
        lower.iter().any(|h| {
            if w.is_ascii() {
                h.split(|c: char| !c.is_alphanumeric() && c != '-')
                    .any(|word| word == w || word.strip_suffix('s') == Some(w))
            } else {
                h.contains(w)
            }
        })
    };
    // Cells to fill in: empty, a line, or a placeholder (`[氏名]`, `[Date]`).
    let to_fill = rows.iter().any(|r| {
        r.iter().skip(1).any(|c| {
            let c = c.trim();
            c.is_empty()
                || c.contains("___")
                || (c.starts_with('[') && c.ends_with(']') && !matches!(c, "[ ]" | "[x]" | "[X]"))
        })
    });
    if SIGNATURE_HEADERS.iter().any(|w| has(w))
        || (phase == Phase::SignOff && WHO_HEADERS.iter().any(|w| has(w)) && to_fill)
    {
        TableKind::SignOff
    } else if phase == Phase::Contacts || has("contact") || has("phone") || has("email") {
        TableKind::Contacts
    } else {
        TableKind::Other
    }
}
