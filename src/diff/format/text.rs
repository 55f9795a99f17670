//! The diff as text for a terminal: a summary line, then one block per checklist, with colour
//! when asked. Control characters in checklist text are shown as `�`, so a checklist cannot
//! drive the terminal.

use std::fmt::Write;

use super::super::model::{
    ChecklistDiff, DiffDocument, FieldChange, ItemChange, SectionChange, SpanOp, Status, plural,
};
use super::place_phrase;
use crate::diff::INTRO_FIELDS;

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";
const CYAN: &str = "\x1b[36m";
const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const STRIKE: &str = "\x1b[9m";
const RESET: &str = "\x1b[0m";

/// Renders the diff as text; `color` adds ANSI colours.
#[must_use]
pub fn render(doc: &DiffDocument, color: bool) -> String {
    let p = Painter { color };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        p.paint(BOLD, &format!("{} → {}", clean(&doc.old), clean(&doc.new)))
    );
    let _ = writeln!(out, "{}", doc.summary.line());
    for c in &doc.checklists {
        out.push('\n');
        checklist(&mut out, &p, c);
    }
    out
}

struct Painter {
    color: bool,
}

impl Painter {
    fn paint(&self, style: &str, text: &str) -> String {
        if self.color {
            format!("{style}{text}{RESET}")
        } else {
            text.to_owned()
        }
    }
}

fn checklist(out: &mut String, p: &Painter, c: &ChecklistDiff) {
    let (mark, style) = mark(c.status);
    let _ = write!(
        out,
        "{} {}  {}",
        p.paint(style, mark),
        p.paint(BOLD, &clean(&c.title)),
        p.paint(DIM, &c.id)
    );
    match c.status {
        Status::Added => {
            let items = plural(c.summary.items_added, "item", "items");
            let _ = writeln!(out, "  added with {items}");
            return;
        }
        Status::Removed => {
            let items = plural(c.summary.items_removed, "item", "items");
            let _ = writeln!(out, "  removed with {items}");
            return;
        }
        _ => {}
    }
    if let Some(old) = &c.old_id {
        let _ = write!(out, "  (was {})", clean(old));
    } else if let Some(old) = &c.old_path {
        let _ = write!(out, "  (was {})", clean(old));
    }
    out.push('\n');
    for m in &c.meta {
        let what = if INTRO_FIELDS.contains(&m.field.as_str()) {
            ""
        } else {
            "meta"
        };
        let _ = writeln!(out, "    {}", field(p, what, m).trim_start());
    }
    for s in &c.sections {
        section(out, p, s);
    }
    for i in &c.items {
        item(out, p, i);
    }
}

fn mark(status: Status) -> (&'static str, &'static str) {
    match status {
        Status::Added => ("+", GREEN),
        Status::Removed => ("-", RED),
        Status::Changed => ("~", YELLOW),
        Status::Moved => ("↕", CYAN),
        Status::Unchanged => (" ", DIM),
    }
}

/// A field's change: `field: old → new`, or for values of several lines the field's name and,
/// on the lines after it, each line removed (`-`) or added (`+`).
fn field(p: &Painter, what: &str, f: &FieldChange) -> String {
    let value = |v: Option<String>| v.map_or_else(|| "(none)".to_owned(), |v| clean(&v));
    match super::shown_change(f.old.as_deref(), f.new.as_deref()) {
        super::Shown::Inline(old, new) => format!(
            "{what} {}: {} → {}",
            f.field,
            p.paint(RED, &value(old)),
            p.paint(GREEN, &value(new))
        ),
        super::Shown::Lines(lines, more) => {
            let mut out = format!("{what} {}:", f.field);
            for (sign, line) in lines {
                let style = if sign == '-' { RED } else { GREEN };
                let _ = write!(
                    out,
                    "\n            {}",
                    p.paint(style, &format!("{sign} {}", clean(&line)))
                );
            }
            if more > 0 {
                let _ = write!(out, "\n            … {}", plural_lines(more));
            }
            out
        }
    }
}

/// `1 more changed line`, `3 more changed lines`.
fn plural_lines(n: usize) -> String {
    if n == 1 {
        "1 more changed line".to_owned()
    } else {
        format!("{n} more changed lines")
    }
}

fn section(out: &mut String, p: &Painter, s: &SectionChange) {
    let (mark, style) = mark(s.status);
    let title = match &s.old_title {
        Some(old) => format!("{} → {}", clean(old), clean(&s.title)),
        None => clean(&s.title),
    };
    let _ = write!(
        out,
        "    {} section {} {}",
        p.paint(style, mark),
        if s.old_title.is_some() {
            "renamed"
        } else {
            s.status.as_str()
        },
        p.paint(BOLD, &title)
    );
    if let Some(phrase) = super::section_move_phrase(s) {
        let _ = write!(out, "  ({})", clean(&phrase));
    }
    out.push('\n');
    for f in s.fields.iter().filter(|f| f.field != "title") {
        let _ = writeln!(out, "        {}", field(p, "", f).trim_start());
    }
}

fn item(out: &mut String, p: &Painter, i: &ItemChange) {
    let (mark, style) = mark(i.status);
    let text = if i.text.trim().is_empty() && i.words.is_empty() {
        p.paint(DIM, super::NO_TEXT)
    } else if i.words.is_empty() {
        clean(&i.text)
    } else {
        i.words
            .iter()
            .map(|w| {
                let t = clean(&w.text);
                match (w.op, p.color) {
                    (SpanOp::Equal, _) => t,
                    (SpanOp::Delete, true) => format!("{RED}{STRIKE}{t}{RESET}"),
                    (SpanOp::Insert, true) => format!("{GREEN}{t}{RESET}"),
                    (SpanOp::Delete, false) => format!("[-{t}-]"),
                    (SpanOp::Insert, false) => format!("{{+{t}+}}"),
                }
            })
            .collect()
    };
    let _ = write!(out, "    {} {text}", p.paint(style, mark));
    if let Some((first, second)) = place_phrase(i) {
        let place = match second {
            Some(to) => format!("moved from {} to {}", clean(&first), clean(&to)),
            None if i.moved => format!("moved within {}", clean(&first)),
            None => clean(&first),
        };
        let _ = write!(out, "  {}", p.paint(DIM, &format!("[{place}]")));
    }
    out.push('\n');
    for f in &i.fields {
        let _ = writeln!(out, "        {}", field(p, "", f).trim_start());
    }
}

/// Text safe to print on a terminal: control characters become `�`.
#[must_use]
pub fn clean(text: &str) -> String {
    super::visible_bidi(text)
        .chars()
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .collect()
}
