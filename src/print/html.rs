//! The sheets of a print page written straight from [`Sheet`]s: the same markup as the loop over
//! `sheets` in `templates/print.html` and its `row` and `box` macros, byte for byte.
//!
//! Used when a book keeps the built-in `print.html`; a book that overrides it gets its own
//! template. A test prints every example checklist both ways and compares the bytes.

use std::fmt::Write;

use super::{Row, Run, Sheet};
use crate::site::html::{esc, filled, header_cells, wrapped};

/// The `<article>` of each sheet.
#[must_use]
pub fn sheets(sheets: &[&Sheet]) -> String {
    let mut out = String::with_capacity(32 * 1024 * sheets.len());
    for (n, s) in sheets.iter().enumerate() {
        write_sheet(&mut out, s, n + 1);
    }
    out
}

fn write_sheet(out: &mut String, s: &Sheet, index: usize) {
    let _ = write!(
        out,
        "<article class=\"sheet\" aria-labelledby=\"title-{index}\">\n<section class=\"cover\">\n<p class=\"book\">"
    );
    esc(out, &s.book);
    let _ = write!(out, "</p>\n<h1 id=\"title-{index}\">");
    esc(out, &s.title);
    out.push_str("</h1>\n<dl class=\"facts\">\n");
    fact(out, "Release", &s.release);
    out.push('\n');
    fact(out, "Date", &s.date);
    out.push('\n');
    if let Some(revision) = filled(s.revision.as_deref()) {
        fact(out, "Source revision", revision);
    }
    if let Some(estimated) = filled(s.estimated.as_deref()) {
        fact(out, "Estimated total", estimated);
    }
    fact(out, "Tasks", &s.tasks.to_string());
    out.push('\n');
    for (label, value) in &s.meta {
        fact(out, label, value);
    }
    fact(out, "Source", &s.path);
    out.push_str("\n</dl>\n<h2 class=\"contents-title\">Contents</h2>\n<ol class=\"contents\">\n");
    for g in &s.groups {
        for sec in g.sections.iter().filter(|sec| sec.depth == 0) {
            wrapped(
                out,
                "<li><span>",
                &sec.title,
                "</span><span class=\"phase\">",
            );
            esc(out, g.label);
            out.push_str("</span></li>");
        }
    }
    out.push_str("</ol>\n<p class=\"operator\">Operator: <span class=\"write line\"></span> Started at: <span class=\"write short\"></span></p>\n</section>\n");
    if !s.intro.is_empty() {
        out.push_str("<section class=\"group\">");
        write_rows(out, &s.intro);
        out.push_str("</section>");
    }
    for g in &s.groups {
        out.push_str("<section class=\"group phase-");
        esc(out, g.phase);
        if !g.new_page {
            out.push_str(" flow");
        }
        wrapped(out, "\">\n<p class=\"phase-label\">", g.label, "</p>\n");
        for sec in &g.sections {
            let (open, close) = if sec.depth == 0 {
                ("<h2 class=\"section-title\">", "</h2>")
            } else {
                ("<h3 class=\"section-title sub\">", "</h3>")
            };
            out.push_str(open);
            esc(out, &sec.title);
            out.push_str(close);
            let notes = [sec.duration.as_deref(), sec.time.as_deref()];
            if notes.iter().any(|n| filled(*n).is_some()) {
                out.push_str("<p class=\"section-notes\">");
                join(out, &notes, " · ");
                out.push_str("</p>");
            }
            write_rows(out, &sec.rows);
        }
        out.push_str("</section>\n");
    }
    let _ = write!(
        out,
        "<section class=\"signoff\">\n<h2 id=\"signoff-{index}\">Sign-off</h2>\n<p class=\"note\">{}</p>\n",
        if s.roles_named {
            "Roles named by the checklist."
        } else {
            "No roles are named in the checklist; these are the usual ones."
        }
    );
    out.push_str("<table class=\"signatures\"><thead><tr><th scope=\"col\">Role</th><th scope=\"col\">Name</th><th scope=\"col\">Date</th><th scope=\"col\">Signature</th></tr></thead>\n<tbody>");
    for role in &s.roles {
        wrapped(
            out,
            "<tr><th scope=\"row\">",
            role,
            "</th><td></td><td></td><td></td></tr>",
        );
    }
    out.push_str("</tbody></table>\n<p class=\"outcome\">Outcome:");
    for choice in ["Success", "Rolled back", "Partial"] {
        out.push_str(" <span class=\"choice\">");
        write_box(out, false);
        let _ = write!(out, " {choice}</span>");
    }
    out.push_str("</p>\n<p>Notes:</p>\n<div class=\"notes\" aria-hidden=\"true\"><span></span><span></span><span></span><span></span></div>\n</section>\n</article>\n");
}

/// One `<div><dt>…</dt><dd>…</dd></div>` line of the cover's facts.
fn fact(out: &mut String, label: &str, value: &str) {
    wrapped(out, "<div><dt>", label, "</dt><dd>");
    esc(out, value);
    out.push_str("</dd></div>");
}

/// Rows, with the column heads first when any row is a task.
fn write_rows(out: &mut String, rows: &[Row]) {
    if rows
        .iter()
        .any(|r| matches!(r, Row::Item { task: true, .. }))
    {
        out.push_str("<div class=\"heads\" aria-hidden=\"true\"><span></span><span>Done by</span><span>Time</span></div>");
    }
    for r in rows {
        write_row(out, r);
    }
}

fn write_row(out: &mut String, r: &Row) {
    match r {
        Row::Item { .. } => write_item(out, r),
        Row::Code { text, depth, .. } => {
            let _ = write!(
                out,
                "<pre class=\"row code depth-{}\"><code>",
                depth.min(&8)
            );
            esc(out, text);
            out.push_str("</code></pre>\n");
        }
        Row::Paragraph { text, runs, depth } => {
            let _ = write!(out, "<p class=\"row prose depth-{}\">", depth.min(&8));
            write_text(out, text, runs);
            out.push_str("</p>\n");
        }
        Row::Table {
            headers,
            rows,
            depth,
        } => write_table(out, headers, rows, *depth),
        Row::Field {
            label,
            value,
            runs,
            choices,
            ticked,
            depth,
        } => write_field(
            out,
            label,
            (value.as_deref(), runs),
            (choices, ticked),
            *depth,
        ),
    }
}

/// An item row: a box and columns to write in for a task, a bullet or number otherwise.
fn write_item(out: &mut String, r: &Row) {
    let Row::Item {
        text,
        runs,
        depth,
        task,
        checked,
        number,
        time,
        duration,
    } = r
    else {
        return;
    };
    let _ = write!(out, "<div class=\"row item depth-{}", depth.min(&8));
    out.push_str(if *task { " task\">" } else { "\">" });
    let number = filled(number.as_deref());
    if *task {
        write_box(out, *checked);
        out.push_str("<span class=\"visually-hidden\">");
        out.push_str(if *checked { "Ticked: " } else { "To tick: " });
        out.push_str("</span>");
    } else if let Some(number) = number {
        wrapped(out, "<span class=\"bullet number\">", number, "</span>");
    } else {
        out.push_str("<span class=\"bullet\" aria-hidden=\"true\">•</span>");
    }
    out.push_str("<span class=\"text\">");
    if let (true, Some(number)) = (*task, number) {
        esc(out, number);
        out.push(' ');
    }
    write_text(out, text, runs);
    let when = [time.as_deref(), duration.as_deref()];
    if when.iter().any(|w| filled(*w).is_some()) {
        out.push_str(" <span class=\"when\">(");
        join(out, &when, ", ");
        out.push_str(")</span>");
    }
    out.push_str("</span>");
    if *task {
        out.push_str("<span class=\"write doneby\" aria-hidden=\"true\"></span><span class=\"write time\" aria-hidden=\"true\"></span>");
    }
    out.push_str("</div>\n");
}

/// A row's text, its inline code in `<code>`, bold in `<strong>`, italics in `<em>` and
/// struck-out text in `<del>`.
fn write_text(out: &mut String, text: &str, runs: &[Run]) {
    if runs.is_empty() {
        esc(out, text);
        return;
    }
    for run in runs {
        let tags = [
            (run.strike, "del"),
            (run.em, "em"),
            (run.strong, "strong"),
            (run.code, "code"),
        ];
        for (_, tag) in tags.iter().filter(|(on, _)| *on) {
            let _ = write!(out, "<{tag}>");
        }
        esc(out, &run.text);
        for (_, tag) in tags.iter().rev().filter(|(on, _)| *on) {
            let _ = write!(out, "</{tag}>");
        }
    }
}

fn write_table(out: &mut String, headers: &[String], rows: &[Vec<String>], depth: usize) {
    let _ = write!(
        out,
        "<table class=\"row grid depth-{}\"><thead><tr>",
        depth.min(8)
    );
    header_cells(out, headers);
    out.push_str("</tr></thead><tbody>");
    for cells in rows {
        out.push_str("<tr>");
        for c in cells {
            match c.as_str() {
                "☐" | "☒" => {
                    out.push_str("<td>");
                    write_box(out, c == "☒");
                    out.push_str(if c == "☒" {
                        "<span class=\"visually-hidden\">Ticked</span></td>"
                    } else {
                        "<span class=\"visually-hidden\">To tick</span></td>"
                    });
                }
                _ => wrapped(out, "<td>", c, "</td>"),
            }
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>\n");
}

/// A line to fill in, a value already written, or choices to tick.
fn write_field(
    out: &mut String,
    label: &str,
    (value, runs): (Option<&str>, &[Run]),
    (choices, ticked): (&[String], &[bool]),
    depth: usize,
) {
    let _ = write!(
        out,
        "<p class=\"row field depth-{}\"><strong>",
        depth.min(8)
    );
    esc(out, label);
    out.push_str(":</strong> ");
    if !choices.is_empty() {
        for (i, c) in choices.iter().enumerate() {
            out.push_str("<span class=\"choice\">");
            write_box(out, ticked.get(i).copied().unwrap_or(false));
            out.push(' ');
            esc(out, c);
            out.push_str("</span> ");
        }
    } else if let Some(value) = filled(value) {
        write_text(out, value, runs);
    } else {
        out.push_str("<span class=\"write line\" aria-hidden=\"true\"></span><span class=\"visually-hidden\">(to fill in)</span>");
    }
    out.push_str("</p>\n");
}

/// A box to tick.
fn write_box(out: &mut String, checked: bool) {
    out.push_str(if checked {
        "<span class=\"box checked\" aria-hidden=\"true\"></span>"
    } else {
        "<span class=\"box\" aria-hidden=\"true\"></span>"
    });
}

/// The present, non-empty texts, escaped and joined by `separator`.
fn join(out: &mut String, texts: &[Option<&str>], separator: &str) {
    let mut first = true;
    for text in texts.iter().filter_map(|t| filled(*t)) {
        if !first {
            out.push_str(separator);
        }
        first = false;
        esc(out, text);
    }
}
