//! `unfilled-placeholder`: a value left as a placeholder (`[Contact Info]`, `[Name]`,
//! `+1-XXX-XXX-XXXX`, `your-api-key`) in an item, a field, a table (in tables other than
//! contacts, only brackets, masked digits and unknown values such as `TBD`) or a front matter
//! value.
//!
//! Not flagged: lines of underscores (they are written on by hand on deployment day), blank
//! cells of sign-off tables, the slots of a sign-off (`- Release manager: [Name] - [Date]` in a
//! sign-off section, `**Approved By**: [Name]`), which are filled in on the day as a sign-off
//! table's cells are, and placeholders inside code, which are parameters the operator
//! supplies (`git checkout <previous-tag>`).

use crate::diag::{Diagnostic, Position, Severity};
use crate::lint::{Context, Rule};
use crate::model::{Block, FieldsKind, Phase, Placeholder, PlaceholderKind, TableKind};

/// The rule.
pub(super) struct UnfilledPlaceholder;

impl Rule for UnfilledPlaceholder {
    fn code(&self) -> &'static str {
        "unfilled-placeholder"
    }

    fn default_severity(&self) -> Severity {
        Severity::Warning
    }

    fn summary(&self) -> &'static str {
        "a placeholder such as `[Name]` or `+1-XXX-XXX-XXXX` was never filled in"
    }

    fn why(&self) -> &'static str {
        "On deployment day nobody has time to find the on-call number: a placeholder that reaches production is a missing fact at the worst moment."
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let checklist = cx.checklist;
        self.front_matter_placeholders(cx, out);
        for (section, item) in checklist.walk_items() {
            if section.is_some_and(|s| s.phase == Phase::SignOff) {
                continue;
            }
            self.placeholders(&item.placeholders, out);
        }
        let mut blocks: Vec<&Block> = checklist.blocks.iter().collect();
        blocks.extend(checklist.walk_sections().flat_map(|s| s.blocks.iter()));
        for block in blocks {
            match block {
                Block::Fields { fields, kind, .. } if *kind != FieldsKind::SignOff => {
                    for field in fields {
                        self.placeholders(&field.placeholders, out);
                    }
                }
                Block::Table {
                    kind: TableKind::Contacts,
                    rows,
                    headers,
                    line,
                    html,
                    ..
                } => {
                    self.empty_contact_cells(headers, rows, *line, out);
                    let cells_html = html.as_ref().map(|t| t.rows.as_slice());
                    self.cell_placeholders(cx, rows, cells_html, *line, true, out);
                }
                // A table of facts (`| Project | [Enter project name] |`): the values that wait
                // for one. Commands' parameters (`<file>`) and example values are left alone.
                Block::Table {
                    kind: TableKind::Other,
                    rows,
                    line,
                    html,
                    ..
                } => {
                    let cells_html = html.as_ref().map(|t| t.rows.as_slice());
                    self.cell_placeholders(cx, rows, cells_html, *line, false, out);
                }
                _ => {}
            }
        }
    }
}

impl UnfilledPlaceholder {
    fn placeholders(&self, found: &[Placeholder], out: &mut Vec<Diagnostic>) {
        for p in found.iter().filter(|p| p.kind != PlaceholderKind::Blank) {
            out.push(
                Diagnostic::new(
                    self.code(),
                    self.default_severity(),
                    format!("placeholder `{}` is not filled in", p.text),
                    Position {
                        line: p.line,
                        column: p.column,
                        width: u32::try_from(p.text.chars().count()).unwrap_or(1),
                    },
                )
                .with_hint("replace it with the real value before deployment day"),
            );
        }
    }

    /// Placeholders in front matter values (`author: "[Author name]"`, `date: YYYY-MM-DD`),
    /// each at its place. An unquoted value in brackets or braces is a YAML list or map
    /// (`tags: [deploy]`), not a placeholder.
    fn front_matter_placeholders(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(front) = cx.source.get(..cx.body_start) else {
            return;
        };
        // A GitHub issue template's `title` (`"[Release] "`), `labels` and `assignees` are
        // what the issues it opens start with, to be filled in there.
        let key_of = |line: &str| {
            line.split([':', '='])
                .next()
                .unwrap_or("")
                .trim()
                .to_owned()
        };
        let keys: Vec<String> = front.lines().map(key_of).collect();
        let template = ["name", "about"]
            .iter()
            .all(|k| keys.iter().any(|key| key == k));
        let mut offset = 0;
        for line in front.split_inclusive('\n') {
            let start = offset;
            offset += line.len();
            let Some(at) = line.find([':', '=']) else {
                continue;
            };
            if template && ["title", "labels", "assignees"].contains(&key_of(line).as_str()) {
                continue;
            }
            let value = line[at + 1..].trim_end();
            let lead = value.len() - value.trim_start().len();
            let value = value.trim_start();
            if value.starts_with(['[', '{']) {
                continue;
            }
            let (inner, quote) = match value.chars().next() {
                Some(q @ ('"' | '\'')) if value.len() >= 2 && value.ends_with(q) => {
                    (&value[1..value.len() - 1], 1)
                }
                _ => (value, 0),
            };
            let base = start + at + 1 + lead + quote;
            for (kind, range) in crate::normalise::find_placeholders(inner) {
                if kind == PlaceholderKind::Blank {
                    continue;
                }
                let text = &inner[range.clone()];
                out.push(
                    Diagnostic::new(
                        self.code(),
                        self.default_severity(),
                        format!("placeholder `{text}` is not filled in"),
                        cx.lines
                            .position(cx.source, base + range.start..base + range.end),
                    )
                    .with_hint("replace it with the real value before deployment day"),
                );
            }
        }
    }

    /// Placeholders in a table's cells (`[Name]`, `+1-XXX-XXX-XXXX`, `TBD`), each at its place
    /// on its row: of every kind in a contact table, else only brackets, masked digits and
    /// unknown values.
    fn cell_placeholders(
        &self,
        cx: &Context<'_>,
        rows: &[Vec<String>],
        html: Option<&[Vec<String>]>,
        line: u32,
        contacts: bool,
        out: &mut Vec<Diagnostic>,
    ) {
        let flagged = |kind: PlaceholderKind| match kind {
            PlaceholderKind::Blank => false,
            PlaceholderKind::Bracket | PlaceholderKind::Masked | PlaceholderKind::Unknown => true,
            _ => contacts,
        };
        for (i, row) in rows.iter().enumerate() {
            let row_line = line + 2 + u32::try_from(i).unwrap_or(0);
            let source = cx.lines.line_text(cx.source, row_line);
            let mut from = 0;
            for (c, cell) in row.iter().enumerate() {
                let cell_html = html.and_then(|h| h.get(i)).and_then(|r| r.get(c));
                let cell = outside_code(cell, cell_html);
                // A value is read after its row's label, as a field is (`| Owner | [DBA] |`
                // reads as `Owner: [DBA]`); the label matters only to a bracket.
                let label = row
                    .first()
                    .filter(|_| c > 0 && cell.contains('['))
                    .map_or(String::new(), |l| {
                        format!("{}: ", l.trim().trim_end_matches([':', '：']))
                    });
                let labelled = if label.is_empty() {
                    cell
                } else {
                    std::borrow::Cow::Owned(format!("{label}{cell}"))
                };
                for (kind, range) in crate::normalise::find_placeholders(&labelled) {
                    if !flagged(kind) || range.start < label.len() {
                        continue;
                    }
                    let text = &labelled[range];
                    let at = source.get(from..).and_then(|rest| rest.find(text));
                    let position = match (at, cx.lines.line_start(row_line)) {
                        (Some(at), Some(start)) => {
                            from += at + text.len();
                            let at = start + from - text.len();
                            cx.lines.position(cx.source, at..at + text.len())
                        }
                        _ => Position::line(row_line),
                    };
                    out.push(
                        Diagnostic::new(
                            self.code(),
                            self.default_severity(),
                            format!("placeholder `{text}` is not filled in"),
                            position,
                        )
                        .with_hint(if contacts {
                            "fill in who to call before deployment day"
                        } else {
                            "replace it with the real value before deployment day"
                        }),
                    );
                }
            }
        }
    }

    fn empty_contact_cells(
        &self,
        headers: &[String],
        rows: &[Vec<String>],
        line: u32,
        out: &mut Vec<Diagnostic>,
    ) {
        for (i, row) in rows.iter().enumerate() {
            let empty: Vec<&str> = row
                .iter()
                .zip(headers)
                .skip(1)
                .filter(|(cell, _)| cell.trim().is_empty())
                .map(|(_, h)| h.as_str())
                .collect();
            if empty.is_empty() {
                continue;
            }
            let who = row.first().map_or("", String::as_str);
            // Body rows start two lines below the header (header, delimiter row).
            let row_line = line + 2 + u32::try_from(i).unwrap_or(0);
            out.push(
                Diagnostic::new(
                    self.code(),
                    self.default_severity(),
                    format!(
                        "the contact row `{who}` has empty cells: {}",
                        empty.join(", ")
                    ),
                    Position::line(row_line),
                )
                .with_hint("fill in who to call before deployment day"),
            );
        }
    }
}

/// A cell's text without its code spans (`ssh <host>` names a parameter, not a blank to fill in).
fn outside_code<'a>(text: &'a str, html: Option<&String>) -> std::borrow::Cow<'a, str> {
    match html {
        Some(html) if html.contains("<code") => {
            let mut kept = String::with_capacity(html.len());
            let mut rest = html.as_str();
            while let Some(start) = rest.find("<code") {
                kept.push_str(&rest[..start]);
                rest = rest[start..]
                    .find("</code>")
                    .map_or("", |end| &rest[start + end + "</code>".len()..]);
            }
            kept.push_str(rest);
            std::borrow::Cow::Owned(crate::model::html_text(&kept))
        }
        _ => std::borrow::Cow::Borrowed(text),
    }
}
