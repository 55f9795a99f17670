//! The body of a checklist page written straight from the view model: the same markup as the
//! `node`, `section` and `toc` macros of `templates/macros.html`, byte for byte.
//!
//! A page holds hundreds of items, and walking them in the template engine is most of the time a
//! build takes. When a book keeps the built-in `checklist.html` and `macros.html`, the builder
//! writes the sections here and hands the template the finished HTML; a book that overrides
//! either template gets its own macros, from the full view. A test renders every example
//! checklist both ways and compares the bytes.

use std::fmt::Write;

use minijinja::HtmlEscape;

use super::view::{BlockView, FieldView, ItemView, SectionView};

/// Escapes text as the template engine does (`<`, `>`, `&`, `"`, `'` and `/`).
pub(crate) fn esc(out: &mut String, text: &str) {
    let _ = write!(out, "{}", HtmlEscape(text));
}

/// `open`, then `text` escaped, then `close`.
pub(crate) fn wrapped(out: &mut String, open: &str, text: &str, close: &str) {
    out.push_str(open);
    esc(out, text);
    out.push_str(close);
}

/// The table of contents: what `toc(sections)` renders.
#[must_use]
pub fn toc(sections: &[SectionView]) -> String {
    let mut out = String::with_capacity(256 * sections.len().max(1));
    write_toc(&mut out, sections);
    out
}

fn write_toc(out: &mut String, sections: &[SectionView]) {
    out.push_str("<ol>\n");
    for s in sections {
        wrapped(out, "<li><a href=\"#", &s.id, "\" data-phase=\"");
        out.push_str(s.phase);
        out.push_str("\">");
        if let Some(number) = filled(s.number.as_deref()) {
            esc(out, number);
            out.push_str(". ");
        }
        esc(out, &s.title);
        out.push_str("</a>");
        if s.tasks > 0 {
            out.push_str(" <span class=\"toc-count\" data-section=\"");
            esc(out, &s.id);
            let _ = write!(out, "\">{}</span>", s.tasks);
        }
        if !s.sections.is_empty() && s.heading < 3 {
            write_toc(out, &s.sections);
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ol>\n");
}

/// The content of a page: blocks before the first section, then each section with its
/// sub-sections, as `node(b)` and `section(s)` render them.
#[must_use]
pub fn body(blocks: &[BlockView], sections: &[SectionView]) -> String {
    let mut out = String::with_capacity(16 * 1024);
    for b in blocks {
        write_block(&mut out, b);
    }
    for s in sections {
        write_section(&mut out, s);
    }
    out
}

fn write_section(out: &mut String, s: &SectionView) {
    let _ = write!(out, "<section class=\"section level-{}\" id=\"", s.heading);
    esc(out, &s.id);
    out.push_str("\" data-phase=\"");
    out.push_str(s.phase);
    out.push_str("\" aria-labelledby=\"h-");
    esc(out, &s.id);
    out.push_str("\">\n");
    optional(
        out,
        "<span class=\"anchor\" id=\"",
        s.alias.as_deref(),
        "\"></span>\n",
    );
    let _ = write!(out, "<div class=\"section-head\">\n<h{} id=\"h-", s.heading);
    esc(out, &s.id);
    out.push_str("\">");
    optional(
        out,
        "<span class=\"icon\" aria-hidden=\"true\">",
        s.icon.as_deref(),
        "</span> ",
    );
    optional(
        out,
        "<span class=\"number\">",
        s.number.as_deref(),
        ".</span> ",
    );
    esc(out, &s.title);
    wrapped(
        out,
        "<a class=\"permalink\" href=\"#",
        &s.id,
        "\" aria-label=\"Link to section ",
    );
    esc(out, &s.title);
    let _ = write!(
        out,
        "\">#</a></h{}>\n<div class=\"section-meta\">\n<span class=\"phase phase-{}\">{}</span>\n",
        s.heading, s.phase, s.phase_label
    );
    optional(
        out,
        "<span class=\"duration\" title=\"Estimated duration\">",
        s.duration.as_deref(),
        "</span>",
    );
    optional(out, "<span class=\"time\">", s.time.as_deref(), "</span>");
    if s.tasks > 0 {
        let _ = write!(
            out,
            "<span class=\"section-progress\" data-done=\"{0}\" data-total=\"{1}\">{0}/{1}</span>",
            s.checked, s.tasks
        );
    }
    out.push_str("</div>\n</div>\n");
    for b in &s.blocks {
        write_block(out, b);
    }
    for sub in &s.sections {
        write_section(out, sub);
    }
    out.push_str("</section>\n");
}

fn write_block(out: &mut String, b: &BlockView) {
    match b {
        BlockView::Paragraph { html } => {
            out.push_str("<p>");
            out.push_str(html);
            out.push_str("</p>\n");
        }
        BlockView::List {
            ordered,
            start,
            tasks,
            items,
        } => {
            let tag = if *ordered { "ol" } else { "ul" };
            let _ = write!(out, "<{tag} class=\"items");
            if *tasks {
                out.push_str(" tasks");
            }
            out.push('"');
            if let Some(start) = start {
                let _ = write!(out, " start=\"{start}\"");
            }
            out.push_str(">\n");
            write_items(out, items);
            let _ = writeln!(out, "</{tag}>");
        }
        BlockView::Code {
            lang,
            kind,
            html,
            notice,
        } => {
            let _ = write!(
                out,
                "<div class=\"code-block kind-{kind}\">\n<div class=\"code-head\"><span class=\"code-lang\">"
            );
            esc(out, filled(lang.as_deref()).unwrap_or("text"));
            out.push_str("</span>");
            if *kind == "env-template" {
                out.push_str("<span class=\"code-kind\">env template</span>");
            }
            if let Some(notice) = notice.filter(|n| !n.is_empty()) {
                wrapped(out, "<span class=\"code-notice\">", notice, "</span>");
            }
            out.push_str("<button type=\"button\" class=\"copy\" aria-label=\"Copy code to clipboard\">Copy</button></div>\n<pre class=\"code\" tabindex=\"0\"><code>");
            out.push_str(html);
            out.push_str("</code></pre>\n</div>\n");
        }
        BlockView::Table {
            kind,
            headers,
            rows,
            headers_html,
            rows_html,
            key,
            tick,
            items,
        } => write_table(
            out,
            kind,
            headers_html,
            rows_html,
            key.as_deref()
                .map(|key| (key, headers.as_slice(), rows.as_slice())),
            tick.filter(|_| !items.is_empty())
                .map(|t| (t, items.as_slice())),
        ),
        BlockView::Fields { kind, fields } => {
            if !fields.is_empty() {
                write_fields(out, kind, fields);
            }
        }
        BlockView::Quote {
            footnote,
            alert,
            title,
            anchor,
            blocks,
        } => write_quote(
            out,
            footnote.as_deref(),
            alert.as_deref(),
            title.as_deref(),
            anchor.as_deref(),
            blocks,
        ),
        BlockView::Html { html } => {
            if !html.trim().is_empty() {
                out.push_str("<div class=\"raw-html\">");
                out.push_str(html);
                out.push_str("</div>\n");
            }
        }
    }
}

/// A block quote, a GitHub alert (kind and title; an empty title is not shown), a content tab
/// (a quote with a title) or a footnote (with its label and anchor).
fn write_quote(
    out: &mut String,
    footnote: Option<&str>,
    alert: Option<&str>,
    title: Option<&str>,
    anchor: Option<&str>,
    blocks: &[BlockView],
) {
    match (
        footnote,
        alert.map(|kind| (kind, title.unwrap_or_default())),
    ) {
        (Some(label), _) => {
            out.push_str("<div class=\"footnote\" role=\"note\"");
            if let Some(anchor) = anchor {
                wrapped(out, " id=\"", anchor, "\"");
            }
            wrapped(
                out,
                "><span class=\"footnote-label\">",
                label,
                "</span><div class=\"footnote-text\">",
            );
            for b in blocks {
                write_block(out, b);
            }
            out.push_str("</div></div>\n");
        }
        (None, Some((kind, title))) => {
            wrapped(out, "<div class=\"alert alert-", kind, "\" role=\"note\">");
            if !title.is_empty() {
                wrapped(out, "<p class=\"alert-title\">", title, "</p>\n");
            }
            for b in blocks {
                write_block(out, b);
            }
            out.push_str("</div>\n");
        }
        (None, None) if let Some(title) = title => {
            out.push_str("<div class=\"tab\" role=\"group\">");
            wrapped(out, "<p class=\"tab-title\">", title, "</p>\n");
            for b in blocks {
                write_block(out, b);
            }
            out.push_str("</div>\n");
        }
        (None, None) => {
            out.push_str("<blockquote>");
            for b in blocks {
                write_block(out, b);
            }
            out.push_str("</blockquote>\n");
        }
    }
}

fn write_items(out: &mut String, items: &[ItemView]) {
    for i in items {
        out.push_str("<li class=\"item");
        if i.group {
            out.push_str(" group");
        }
        if i.checked {
            out.push_str(" done");
        }
        out.push_str("\" id=\"item-");
        esc(out, &i.id);
        let _ = write!(
            out,
            "\" data-kind=\"{}\">\n<div class=\"item-line\">",
            i.kind
        );
        let task = i.kind == "task";
        if task {
            out.push_str("<label class=\"item-label\"><input type=\"checkbox\" class=\"tick\"");
            if i.checked {
                out.push_str(" checked data-source-checked");
            }
            out.push_str("><span class=\"item-text\">");
        } else {
            if i.kind == "criterion" {
                out.push_str("<span class=\"criterion-mark\" aria-hidden=\"true\">✓</span>");
            }
            out.push_str("<span class=\"item-text\">");
        }
        out.push_str(&i.html);
        out.push_str(if task { "</span></label>" } else { "</span>" });
        optional(
            out,
            "<span class=\"duration\" title=\"Estimated duration\">",
            i.duration.as_deref(),
            "</span>",
        );
        wrapped(
            out,
            "<a class=\"permalink\" href=\"#item-",
            &i.id,
            "\" aria-label=\"Link to this item\">#</a></div>\n",
        );
        write_run(out, &i.blocks, &i.children, i.ordered_children);
        for run in &i.more {
            write_run(out, &run.blocks, &run.children, run.ordered);
        }
        out.push_str("</li>\n");
    }
}

/// Blocks inside an item, then a list of its nested items.
fn write_run(out: &mut String, blocks: &[BlockView], items: &[ItemView], ordered: bool) {
    for b in blocks {
        write_block(out, b);
    }
    if !items.is_empty() {
        let tag = if ordered { "ol" } else { "ul" };
        let _ = writeln!(out, "<{tag} class=\"items\">");
        write_items(out, items);
        let _ = writeln!(out, "</{tag}>");
    }
}

/// A table; its cells are HTML.
/// What a sign-off table's blanks need: the key they are kept under, and the plain headers
/// and rows that name each blank's input (`Name, Release manager`).
type Fill<'a> = (&'a str, &'a [String], &'a [Vec<String>]);

/// A table; `fill`, for a sign-off table, makes its blanks inputs.
fn write_table(
    out: &mut String,
    kind: &str,
    headers: &[String],
    rows: &[Vec<String>],
    fill: Option<Fill<'_>>,
    tasks: Option<(usize, &[ItemView])>,
) {
    let label = match kind {
        "sign-off" => "Sign-off table",
        "contacts" => "Contacts table",
        "tasks" => "Table of tasks",
        _ => "Table",
    };
    let _ = write!(
        out,
        "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"{label}\">\n<table class=\"table kind-{kind}\">\n<thead><tr>"
    );
    for h in headers {
        out.push_str("<th scope=\"col\">");
        out.push_str(h);
        out.push_str("</th>");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (r, row) in rows.iter().enumerate() {
        let task = tasks.and_then(|(tick, items)| Some((tick, items.get(r)?)));
        if let Some((_, item)) = task {
            out.push_str("<tr class=\"item");
            if item.checked {
                out.push_str(" done");
            }
            out.push_str("\" id=\"item-");
            esc(out, &item.id);
            out.push_str("\" data-kind=\"task\">");
        } else {
            out.push_str("<tr>");
        }
        for (c, cell) in row.iter().enumerate() {
            if let Some((_, item)) = task.filter(|(tick, _)| *tick == c) {
                write_tick_cell(out, item);
            } else if let Some((key, plain_headers, plain_rows)) = fill.filter(|_| cell.is_empty())
            {
                let _ = write!(
                    out,
                    "<td class=\"blank\"><input type=\"text\" class=\"field-input cell-input\" data-field=\"{key}-{}-{}\" aria-label=\"",
                    r + 1,
                    c + 1
                );
                esc(out, plain_headers.get(c).map_or("Cell", String::as_str));
                if let Some(first) = plain_rows
                    .get(r)
                    .and_then(|row| row.first())
                    .filter(|f| !f.is_empty())
                {
                    out.push_str(", ");
                    esc(out, first);
                }
                out.push_str("\"></td>");
            } else if cell.is_empty() {
                out.push_str(
                    "<td class=\"blank\"><span class=\"visually-hidden\">to fill in</span></td>",
                );
            } else {
                out.push_str("<td>");
                out.push_str(cell);
                out.push_str("</td>");
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</div>\n");
}

/// The cell of a row of a table of tasks that holds its box, labelled with the task's text.
fn write_tick_cell(out: &mut String, item: &ItemView) {
    out.push_str("<td class=\"tick-cell\"><label class=\"item-label\"><input type=\"checkbox\" class=\"tick\"");
    if item.checked {
        out.push_str(" checked data-source-checked");
    }
    out.push_str("><span class=\"visually-hidden\">");
    esc(out, &item.text);
    out.push_str("</span></label><a class=\"permalink\" href=\"#item-");
    esc(out, &item.id);
    out.push_str("\" aria-label=\"Link to this item\">#</a></td>");
}

fn write_fields(out: &mut String, kind: &str, fields: &[FieldView]) {
    let _ = writeln!(out, "<dl class=\"fields kind-{kind}\">");
    for f in fields {
        out.push_str("<div class=\"field");
        if f.blank {
            out.push_str(" blank");
        }
        wrapped(out, "\">\n<dt>", &f.label, "</dt>\n<dd>");
        if !f.choices.is_empty() {
            out.push_str(if f.exclusive {
                "<span class=\"choices\" data-exclusive=\"\">"
            } else {
                "<span class=\"choices\">"
            });
            for (n, (label, checked)) in f.choices.iter().enumerate() {
                out.push_str(
                    "<label class=\"choice\"><input type=\"checkbox\" class=\"field-choice\" data-field=\"",
                );
                esc(out, &f.key);
                let _ = write!(out, "-{}\"", n + 1);
                if *checked {
                    out.push_str(" checked");
                }
                wrapped(out, "> ", label, "</label>");
            }
            out.push_str("</span>");
        } else if f.blank {
            wrapped(
                out,
                "<input type=\"text\" class=\"field-input\" data-field=\"",
                &f.key,
                "\" aria-label=\"",
            );
            esc(out, &f.label);
            out.push_str("\">");
        } else {
            out.push_str(&f.value_html);
        }
        out.push_str("</dd>\n</div>\n");
    }
    out.push_str("</dl>\n");
}

/// `text` wrapped in `open` and `close` when it is [`filled`].
pub(crate) fn optional(out: &mut String, open: &str, text: Option<&str>, close: &str) {
    if let Some(text) = filled(text) {
        wrapped(out, open, text, close);
    }
}

/// Header cells: `<th scope="col">` each.
pub(crate) fn header_cells(out: &mut String, headers: &[String]) {
    for h in headers {
        wrapped(out, "<th scope=\"col\">", h, "</th>");
    }
}

/// An optional text that a template would print: present and not empty.
pub(crate) fn filled(text: Option<&str>) -> Option<&str> {
    text.filter(|t| !t.is_empty())
}
