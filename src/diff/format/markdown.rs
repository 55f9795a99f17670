//! The diff as GitHub-flavoured Markdown, sized for a pull-request comment: a heading, the
//! summary line, a table of checklists, then one list of changes per checklist.
//!
//! Checklist text is escaped (every character that could start markup gets a backslash: emphasis,
//! code, links, HTML, headings, tables, strike-through, math, mentions; line breaks become
//! spaces), so it can neither break the table nor add markup or mentions; a URL written in an
//! item stays a URL, which GitHub may link. The table lists at most [`MAX_ROWS`] checklists,
//! a line shows at most [`MAX_LINE_CHARS`] characters of text, and details stop before
//! [`MAX_CHARS`], with a line saying how much was left out.

use std::fmt::Write;

use super::super::model::{ChecklistDiff, DiffDocument, FieldChange, ItemChange, SpanOp, Status};
use super::{place_phrase, trimmed};
use crate::diff::INTRO_FIELDS;

/// GitHub refuses comments over 65,536 characters; details stop well before.
pub const MAX_CHARS: usize = 60_000;

/// Most checklists listed in the table.
pub const MAX_ROWS: usize = 200;

/// Most characters of checklist text on one line.
pub const MAX_LINE_CHARS: usize = 400;

/// Renders the diff as Markdown.
#[must_use]
pub fn render(doc: &DiffDocument) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "### Checklist changes: {} → {}\n",
        escape(&doc.old),
        escape(&doc.new)
    );
    let _ = writeln!(out, "**{}**", escape(&doc.summary.line()));
    if doc.checklists.is_empty() {
        return out;
    }
    out.push_str(
        "\n| Checklist | Status | Items added | Removed | Changed | Moved |\n\
         | --- | --- | ---: | ---: | ---: | ---: |\n",
    );
    for c in doc.checklists.iter().take(MAX_ROWS) {
        let s = &c.summary;
        let _ = writeln!(
            out,
            "| {} (`{}`) | {} | {} | {} | {} | {} |",
            escape(&c.title),
            code_text(&c.id),
            c.status.as_str(),
            s.items_added,
            s.items_removed,
            s.items_changed,
            s.items_moved
        );
    }
    if doc.checklists.len() > MAX_ROWS {
        let _ = writeln!(
            out,
            "\n*… and {} more checklists; run `preflight diff` for all of them.*",
            doc.checklists.len() - MAX_ROWS
        );
    }
    let total: usize = doc.checklists.iter().map(entries).sum();
    let mut shown = 0;
    for c in doc
        .checklists
        .iter()
        .filter(|c| c.status == Status::Changed)
    {
        if out.len() > MAX_CHARS {
            break;
        }
        let _ = writeln!(
            out,
            "\n#### {} (`{}`)\n",
            escape(&c.title),
            code_text(&c.id)
        );
        shown += checklist(&mut out, c);
    }
    if shown < total {
        let _ = writeln!(
            out,
            "\n*{} more changes are not shown here; run `preflight diff` for all of them.*",
            total - shown
        );
    }
    out
}

/// How many list entries a checklist's details have.
fn entries(c: &ChecklistDiff) -> usize {
    if c.status == Status::Changed {
        usize::from(c.old_id.is_some() || c.old_path.is_some())
            + c.meta.len()
            + c.sections.len()
            + c.items.len()
    } else {
        0
    }
}

/// Writes the details of a changed checklist; returns how many entries were written.
fn checklist(out: &mut String, c: &ChecklistDiff) -> usize {
    let mut written = 0;
    let mut line = |out: &mut String, text: String| {
        // The entry is measured whole: one with blocks of code may be thousands of characters.
        if out.len() + text.len() <= MAX_CHARS {
            out.push_str("- ");
            out.push_str(&text);
            out.push('\n');
            written += 1;
        }
    };
    if let Some(old) = c.old_id.as_ref().or(c.old_path.as_ref()) {
        line(out, format!("Renamed from `{}`", code_text(old)));
    }
    for m in &c.meta {
        if INTRO_FIELDS.contains(&m.field.as_str()) {
            line(out, field(m));
        } else {
            line(out, format!("Metadata {}", field(m)));
        }
    }
    for s in &c.sections {
        let title = match &s.old_title {
            Some(old) => format!("{} → {}", escape(old), escape(&s.title)),
            None => escape(&s.title),
        };
        let status = if s.status == Status::Changed && s.old_title.is_some() {
            "renamed"
        } else {
            s.status.as_str()
        };
        let mut text = format!("Section **{status}**: {title}");
        if let Some(phrase) = super::section_move_phrase(s) {
            let _ = write!(text, " ({})", escape(&phrase));
        }
        with_fields(&mut text, s.fields.iter().filter(|f| f.field != "title"));
        line(out, text);
    }
    for i in &c.items {
        line(out, item(i));
    }
    written
}

/// A field's change: `**field**: old → new`, or for values of several lines the field's name
/// and a `diff` code block of the lines removed and added, indented to sit in the list item.
fn field(f: &FieldChange) -> String {
    let value = |v: Option<String>| v.map_or_else(|| "*none*".to_owned(), |v| escape(&v));
    match super::shown_change(f.old.as_deref(), f.new.as_deref()) {
        super::Shown::Inline(old, new) => {
            format!("**{}**: {} → {}", escape(&f.field), value(old), value(new))
        }
        super::Shown::Lines(lines, more) => {
            // Controls of text direction shown by code point, other controls as `�`: a line of
            // code must read in a comment in the order the file holds it.
            let body: Vec<String> = lines
                .iter()
                .map(|(sign, line)| {
                    let shown: String = super::visible_bidi(line)
                        .chars()
                        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
                        .collect();
                    format!("{sign} {shown}")
                })
                .collect();
            let longest = body.iter().map(|l| longest_run(l, '`')).max().unwrap_or(0);
            let fence = "`".repeat(longest.max(2) + 1);
            let mut out = format!("**{}**:\n\n  {fence}diff", escape(&f.field));
            for line in &body {
                let _ = write!(out, "\n  {line}");
            }
            let _ = write!(out, "\n  {fence}");
            if more > 0 {
                let s = if more == 1 { "" } else { "s" };
                let _ = write!(out, "\n\n  … and {more} more changed line{s}");
            }
            out
        }
    }
}

/// The longest run of `c` in `text`.
fn longest_run(text: &str, c: char) -> usize {
    text.split(|x| x != c).map(str::len).max().unwrap_or(0)
}

fn item(i: &ItemChange) -> String {
    let status = match i.status {
        Status::Added => "Added",
        Status::Removed => "Removed",
        Status::Changed => "Changed",
        Status::Moved => "Moved",
        Status::Unchanged => "Unchanged",
    };
    let place = match place_phrase(i) {
        Some((from, Some(to))) => format!(" from *{}* to *{}*", escape(&from), escape(&to)),
        Some((at, None)) => {
            let word = if i.status == Status::Removed {
                "from"
            } else {
                "in"
            };
            format!(" {word} *{}*", escape(&at))
        }
        None => String::new(),
    };
    let text = if i.text.trim().is_empty() && i.words.is_empty() {
        format!("*{}*", super::NO_TEXT)
    } else if i.words.is_empty() {
        escape(&i.text)
    } else {
        words(i)
    };
    let mut out = format!("**{status}**{place}: {text}");
    with_fields(&mut out, &i.fields);
    out
}

/// Appends field changes to a list item's text: those of one line in parentheses, then those
/// of several lines as blocks inside the item.
fn with_fields<'f>(text: &mut String, fields: impl IntoIterator<Item = &'f FieldChange>) {
    let mut blocks = Vec::new();
    for f in fields {
        let shown = field(f);
        if shown.contains('\n') {
            blocks.push(shown);
        } else {
            let _ = write!(text, " ({shown})");
        }
    }
    for block in blocks {
        let _ = write!(text, "\n\n  {block}\n");
    }
}

/// The word diff: deletions struck through, insertions in bold.
fn words(i: &ItemChange) -> String {
    let mut out = String::new();
    let mut previous = SpanOp::Equal;
    for (k, span) in i.words.iter().enumerate() {
        let (before, body, after) = trimmed(span);
        let apart = !before.is_empty() || (previous == SpanOp::Delete && span.op == SpanOp::Insert);
        previous = span.op;
        out.push_str(if apart { " " } else { "" });
        // `~~` and `**` do not close after punctuation that touches a letter (`~~「~~本番`, as
        // character diffs of Chinese and Japanese give): such a run is marked in HTML.
        let punct = |c: Option<char>| c.is_some_and(|c| !c.is_alphanumeric());
        let touches_before = out.chars().next_back().is_some_and(|c| !c.is_whitespace());
        let touches_after = after.is_empty()
            && i.words
                .get(k + 1)
                .is_some_and(|next| next.text.chars().next().is_some_and(|c| !c.is_whitespace()));
        let tags = (touches_before && punct(body.chars().next()))
            || (touches_after && punct(body.chars().next_back()));
        let body = escape(body);
        match span.op {
            SpanOp::Equal => out.push_str(&body),
            SpanOp::Delete if !body.is_empty() && tags => {
                let _ = write!(out, "<del>{body}</del>");
            }
            SpanOp::Insert if !body.is_empty() && tags => {
                let _ = write!(out, "<ins>{body}</ins>");
            }
            SpanOp::Delete if !body.is_empty() => {
                let _ = write!(out, "~~{body}~~");
            }
            SpanOp::Insert if !body.is_empty() => {
                let _ = write!(out, "**{body}**");
            }
            _ => {}
        }
        out.push_str(if after.is_empty() { "" } else { " " });
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Characters escaped in text: those that open inline markup, HTML, tables, math or mentions.
const SPECIAL: &str = "\\`*_[]<>#!|~&$@{}";

/// Text with markup characters escaped and line breaks as spaces, cut to [`MAX_LINE_CHARS`].
#[must_use]
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(MAX_LINE_CHARS * 2) + 8);
    for (n, c) in super::visible_bidi(text).chars().enumerate() {
        if n == MAX_LINE_CHARS {
            out.push('…');
            break;
        }
        if SPECIAL.contains(c) {
            out.push('\\');
            out.push(c);
        } else if c.is_control() || c == '\u{2028}' || c == '\u{2029}' {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

/// Text for inside a code span: no backticks, pipes or line breaks.
fn code_text(text: &str) -> String {
    super::visible_bidi(text)
        .chars()
        .map(|c| match c {
            '`' | '|' => '\'',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect()
}
