//! `broken-link`: a link to an anchor that is not in the checklist (`[see](#rollbak)`), or to a
//! relative file that does not exist (`[runbook](../ops/missing.md)`), in an item, a paragraph,
//! a table cell or a field's value.
//!
//! An anchor resolves when it is a section id, an item anchor (`#item-<id>`), or the anchor
//! GitHub gives a heading (so links written for GitHub keep working; `#user-content-rollback`
//! is read as `#rollback`, as GitHub and the site read it). The `id` or `name` of an element
//! written in HTML is no anchor: the site leaves such attributes out.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use regex::Regex;

use crate::diag::{Diagnostic, Position, Severity};
use crate::lint::source::{lines, re};
use crate::lint::{Context, Rule};
use crate::model::Block;

/// The rule.
pub(super) struct BrokenLink;

static HREF: LazyLock<Regex> = LazyLock::new(|| re(r#"href="([^"]*)""#));
/// A link reference definition: `[label]: target`, the target possibly in `<…>`.
static DEFINITION: LazyLock<Regex> =
    LazyLock::new(|| re(r"^[ \t]{0,3}(?:>[ \t]?)*\[[^\]]+\]:[ \t]*<?([^\s>]+)"));

impl Rule for BrokenLink {
    fn code(&self) -> &'static str {
        "broken-link"
    }

    fn default_severity(&self) -> Severity {
        Severity::Warning
    }

    fn summary(&self) -> &'static str {
        "a link points to an anchor or file that does not exist"
    }

    fn why(&self) -> &'static str {
        "\"See the rollback steps\" that leads nowhere costs minutes during an incident, when minutes matter most."
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let linked = linked_html(cx);
        if linked.is_empty() {
            return;
        }
        let anchors = anchors(cx);
        let mut definitions = None;
        for (line, html) in linked {
            for target in HREF.captures_iter(html).filter_map(|c| c.get(1)) {
                let target = unescape(target.as_str());
                if let Some(problem) = problem(cx, &anchors, &target) {
                    out.push(
                        Diagnostic::new(
                            self.code(),
                            self.default_severity(),
                            problem,
                            locate(cx, line, &target)
                                .or_else(|| {
                                    // Written for GitHub, read without its prefix.
                                    let anchor = target.strip_prefix('#')?;
                                    locate(cx, line, &format!("#user-content-{anchor}"))
                                })
                                .or_else(|| {
                                    definitions
                                        .get_or_insert_with(|| definitions_of(cx))
                                        .get(target.as_str())
                                        .copied()
                                })
                                .unwrap_or_else(|| Position::line(line)),
                        )
                        .with_hint("fix the target, or link to a heading or item that exists"),
                    );
                }
            }
        }
    }
}

/// Whether the title is a heading of the file (`# Deploy Guide`, or underlined with `=`), which
/// GitHub gives an anchor; a title from front matter or the file's name has none there.
fn title_is_a_heading(cx: &Context<'_>) -> bool {
    let line = usize::try_from(cx.checklist.line).unwrap_or(usize::MAX);
    let mut lines = cx.source.lines().skip(line.saturating_sub(1));
    let this = lines.next().unwrap_or_default().trim_start();
    this.starts_with('#') || lines.next().is_some_and(|l| l.trim().starts_with('='))
}

/// Every anchor a link in this checklist may name.
fn anchors(cx: &Context<'_>) -> HashSet<String> {
    let mut out = HashSet::new();
    for s in cx.checklist.walk_sections() {
        out.insert(s.id.clone());
    }
    let aliases = crate::normalise::github_anchors(cx.checklist);
    if title_is_a_heading(cx) {
        out.extend(crate::normalise::title_anchor(cx.checklist, &aliases));
    }
    out.extend(aliases.into_values());
    // The top of the page, in HTML and on GitHub.
    out.insert("top".to_owned());
    for (_, item) in cx.checklist.walk_items() {
        out.insert(format!("item-{}", item.id));
    }
    for block in cx.checklist.walk_blocks() {
        if let Block::Quote {
            footnote: Some(label),
            ..
        } = block
        {
            out.insert(crate::normalise::footnote_anchor(label));
        }
    }
    out
}

/// The HTML of items, paragraphs, table cells and field values, with their lines.
fn linked_html<'a>(cx: &Context<'a>) -> Vec<(u32, &'a str)> {
    let mut out = Vec::new();
    for block in cx.checklist.walk_blocks() {
        match block {
            Block::Paragraph { line, html, .. } if html.contains("href=") => {
                out.push((*line, html.as_str()));
            }
            Block::List { items, .. } => out.extend(
                items
                    .iter()
                    .flat_map(crate::model::Item::walk)
                    .filter(|i| i.html.contains("href="))
                    .map(|i| (i.line, i.html.as_str())),
            ),
            Block::Table {
                html: Some(html),
                line,
                ..
            } => {
                let rows = std::iter::once(&html.headers).chain(&html.rows);
                // Body rows start two lines below the header (header, delimiter row).
                for (row, cells) in (0u32..).zip(rows) {
                    let row_line = line + row + u32::from(row > 0);
                    out.extend(
                        cells
                            .iter()
                            .filter(|c| c.contains("href="))
                            .map(|c| (row_line, c.as_str())),
                    );
                }
            }
            Block::Fields { fields, .. } => out.extend(
                fields
                    .iter()
                    .filter_map(|f| Some((f.line, f.html.as_deref()?)))
                    .filter(|(_, html)| html.contains("href=")),
            ),
            _ => {}
        }
    }
    out.sort_by_key(|(line, _)| *line);
    out
}

fn problem(cx: &Context<'_>, anchors: &HashSet<String>, target: &str) -> Option<String> {
    if let Some(fragment) = target.strip_prefix('#') {
        let fragment = percent_decode(fragment);
        return (!fragment.is_empty() && !anchors.contains(&fragment))
            .then(|| format!("no heading or item has the anchor `#{fragment}`"));
    }
    let external = target.contains("://")
        || target.starts_with("//")
        || target.starts_with('/')
        || target
            .split(':')
            .next()
            .is_some_and(|s| !s.contains('/') && target.contains(':'));
    // A template's variable (`%{milestone_url}`, `{{ page.url }}`, `${DOCS}`), filled in
    // when the checklist is used: the HTML holds its braces percent-encoded.
    let template = ["{", "%7B", "%7b"].iter().any(|b| target.contains(b));
    if external || template {
        return None;
    }
    let path = target.split(['#', '?']).next().unwrap_or("");
    let base = cx.path?.parent()?;
    let decoded = percent_decode(path);
    (!path.is_empty() && !base.join(&decoded).exists())
        .then(|| format!("`{decoded}` does not exist (relative to this file)"))
}

/// Where the link target is written, searched from the block's first line.
fn locate(cx: &Context<'_>, line: u32, target: &str) -> Option<Position> {
    // The HTML holds the target percent-encoded (`src%5Cx.js`); the source, as written.
    let decoded = percent_decode(target);
    let written = if decoded == target {
        None
    } else {
        Some(decoded.as_str())
    };
    let mut n = line;
    while n < line.saturating_add(50) {
        let text = cx.lines.line_text(cx.source, n);
        if text.is_empty() && n > line {
            break;
        }
        let found = [Some(target), written]
            .into_iter()
            .flatten()
            .find_map(|t| text.find(t).map(|byte| (byte, t)));
        if let Some((byte, t)) = found {
            return Some(Position {
                line: n,
                column: u32::try_from(text[..byte].chars().count() + 1).unwrap_or(1),
                width: u32::try_from(t.chars().count()).unwrap_or(1),
            });
        }
        n += 1;
    }
    None
}

/// Where the link reference definitions (`[runbook]: ops/failover.md`) write their targets,
/// by target: a reference-style link's target is written there, not in its block.
fn definitions_of<'a>(cx: &Context<'a>) -> HashMap<&'a str, Position> {
    let mut out = HashMap::new();
    for (n, _, text) in lines(cx.source) {
        let Some(c) = DEFINITION.captures(text) else {
            continue;
        };
        if let Some(target) = c.get(1) {
            let column = text[..target.start()].chars().count() + 1;
            out.entry(target.as_str()).or_insert(Position {
                line: n,
                column: u32::try_from(column).unwrap_or(1),
                width: u32::try_from(target.as_str().chars().count()).unwrap_or(1),
            });
        }
    }
    out
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// `s` percent-decoded, or as written when it is not valid percent-encoding.
fn percent_decode(s: &str) -> String {
    crate::normalise::percent_decode(s).unwrap_or_else(|| s.to_owned())
}
