//! Building the block tree from pulldown-cmark's event stream, without recursion.

use std::collections::VecDeque;
use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

use super::admonition::Admonition;
use super::{InlineEvent, Inlines, ListItem, MAX_DEPTH, Node};
use crate::diag::{Diagnostic, LineIndex, Severity};

enum Frame {
    Root(Vec<Node>),
    Quote {
        nodes: Vec<Node>,
        footnote: Option<String>,
        alert: Option<&'static str>,
        title: Option<String>,
        span: Range<usize>,
    },
    List {
        start: Option<u64>,
        items: Vec<ListItem>,
        span: Range<usize>,
    },
    Item {
        item: ListItem,
        pending: Inlines,
        /// Items of lists nested past [`MAX_DEPTH`], flattened to follow this item.
        spill: VecDeque<ListItem>,
    },
    Inline {
        kind: InlineKind,
        inlines: Inlines,
        span: Range<usize>,
    },
    Code {
        info: String,
        fenced: bool,
        text: String,
        span: Range<usize>,
    },
    Html {
        text: String,
        span: Range<usize>,
    },
    Table {
        head: Vec<Inlines>,
        rows: Vec<Vec<Inlines>>,
        row: Vec<Inlines>,
        span: Range<usize>,
    },
}

enum InlineKind {
    Paragraph,
    Heading {
        level: u8,
        id: Option<String>,
        /// Braces the attribute syntax took that name no id, class or value (`{not an id}`):
        /// text the author wrote, given back to the heading.
        literal: Option<String>,
    },
    Cell,
}

#[derive(Default)]
struct Builder<'a> {
    /// The source text the event ranges point into.
    source: &'a str,
    /// MkDocs admonitions, whose headers start quotes.
    admonitions: &'a [Admonition],
    /// Lower-case names of the tags the document closes somewhere (`</note>`).
    closed: Option<&'a std::collections::HashSet<String>>,
    /// Where the parsed body starts in the text (admonition ranges are relative to it).
    body_start: usize,
    stack: Vec<Frame>,
    depth: usize,
    suppressed_lists: usize,
    suppressed_quotes: usize,
    flattened_at: Option<usize>,
}

/// Builds the tree; also returns the offset of the first container flattened for depth. A
/// quote that starts on the header line of one of `admonitions` is that admonition.
pub(super) fn build<'a>(
    events: impl Iterator<Item = (Event<'a>, Range<usize>)>,
    source: &str,
    body_start: usize,
    admonitions: &[Admonition],
    closed: &std::collections::HashSet<String>,
) -> (Vec<Node>, Option<usize>) {
    let mut b = Builder {
        source,
        admonitions,
        closed: Some(closed),
        body_start,
        stack: vec![Frame::Root(Vec::new())],
        ..Builder::default()
    };
    for (event, range) in events {
        b.event(event, range);
    }
    while b.stack.len() > 1 {
        b.close_top();
    }
    let nodes = match b.stack.pop() {
        Some(Frame::Root(nodes)) => nodes,
        _ => Vec::new(),
    };
    (nodes, b.flattened_at)
}

/// The diagnostic for a document whose nesting was flattened.
pub(super) fn flattened_diagnostic(text: &str, lines: &LineIndex, offset: usize) -> Diagnostic {
    Diagnostic::new(
        "nesting-too-deep",
        Severity::Warning,
        format!("lists or quotes nest deeper than {MAX_DEPTH} levels; deeper levels are flattened"),
        lines.position(text, offset..offset + 1),
    )
    .with_hint("split the list into sections")
}

impl Builder<'_> {
    fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(end) => self.end(end, range),
            Event::Text(text) if self.in_code_or_html() => self.push_raw(&text),
            Event::Html(html) if self.in_code_or_html() => self.push_raw(&html),
            Event::Html(html) => self.add_node(Node::Html {
                text: html.into_string(),
                span: range,
            }),
            Event::Rule => self.add_node(Node::Rule { span: range }),
            Event::TaskListMarker(checked) => self.mark_task(checked),
            inline => self.push_inline(inline.into_static(), range),
        }
    }

    fn start(&mut self, tag: Tag<'_>, range: Range<usize>) {
        let frame = match tag {
            Tag::Paragraph => Frame::Inline {
                kind: InlineKind::Paragraph,
                inlines: Vec::new(),
                span: range,
            },
            Tag::Heading {
                level,
                id,
                classes,
                attrs,
            } => Frame::Inline {
                kind: InlineKind::Heading {
                    level: level as u8,
                    literal: literal_braces(id.is_some(), &classes, &attrs),
                    id: id.map(pulldown_cmark::CowStr::into_string),
                },
                inlines: Vec::new(),
                span: range,
            },
            Tag::TableCell => Frame::Inline {
                kind: InlineKind::Cell,
                inlines: Vec::new(),
                span: range,
            },
            Tag::List(start) => {
                if self.depth >= MAX_DEPTH {
                    self.suppressed_lists += 1;
                    self.flattened_at.get_or_insert(range.start);
                    return;
                }
                self.depth += 1;
                Frame::List {
                    start,
                    items: Vec::new(),
                    span: range,
                }
            }
            Tag::Item => Frame::Item {
                item: ListItem {
                    task: None,
                    nodes: Vec::new(),
                    span: range,
                },
                pending: Vec::new(),
                spill: VecDeque::new(),
            },
            Tag::CodeBlock(kind) => {
                let (info, fenced) = match kind {
                    pulldown_cmark::CodeBlockKind::Fenced(info) => (info.into_string(), true),
                    pulldown_cmark::CodeBlockKind::Indented => (String::new(), false),
                };
                Frame::Code {
                    info,
                    fenced,
                    text: String::new(),
                    span: range,
                }
            }
            Tag::HtmlBlock => Frame::Html {
                text: String::new(),
                span: range,
            },
            Tag::Table(_) => Frame::Table {
                head: Vec::new(),
                rows: Vec::new(),
                row: Vec::new(),
                span: range,
            },
            Tag::TableHead | Tag::TableRow => return,
            Tag::BlockQuote(_)
            | Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::MetadataBlock(_) => {
                if self.depth >= MAX_DEPTH {
                    self.suppressed_quotes += 1;
                    self.flattened_at.get_or_insert(range.start);
                    return;
                }
                self.depth += 1;
                self.quote(&tag, range)
            }
            inline => {
                self.push_inline(Event::Start(inline.into_static()), range);
                return;
            }
        };
        self.flush_pending();
        self.stack.push(frame);
    }

    fn end(&mut self, end: TagEnd, range: Range<usize>) {
        match end {
            TagEnd::List(_) if self.suppressed_lists > 0 => self.suppressed_lists -= 1,
            TagEnd::BlockQuote(_)
            | TagEnd::FootnoteDefinition
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
            | TagEnd::MetadataBlock(_)
                if self.suppressed_quotes > 0 =>
            {
                self.suppressed_quotes -= 1;
            }
            TagEnd::TableHead => {
                if let Some(Frame::Table { head, row, .. }) = self.stack.last_mut() {
                    *head = std::mem::take(row);
                }
            }
            TagEnd::TableRow => {
                if let Some(Frame::Table { rows, row, .. }) = self.stack.last_mut() {
                    rows.push(std::mem::take(row));
                }
            }
            TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::TableCell
            | TagEnd::List(_)
            | TagEnd::Item
            | TagEnd::CodeBlock
            | TagEnd::HtmlBlock
            | TagEnd::Table
            | TagEnd::BlockQuote(_)
            | TagEnd::FootnoteDefinition
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
            | TagEnd::MetadataBlock(_) => self.close_top(),
            inline => self.push_inline(Event::End(inline), range),
        }
    }

    /// The frame of a quote-like container: a footnote's text, an alert, an admonition or a
    /// content tab (whose header line starts the quote), or a plain quote.
    fn quote(&self, tag: &Tag<'_>, range: Range<usize>) -> Frame {
        let admonition = self.admonition_at(range.start);
        Frame::Quote {
            nodes: Vec::new(),
            footnote: match tag {
                Tag::FootnoteDefinition(label) => Some(label.to_string()),
                _ => None,
            },
            alert: match admonition {
                Some(a) => a.kind,
                None => alert_name(tag),
            },
            title: admonition.and_then(|a| a.title.clone()),
            span: range,
        }
    }

    /// The admonition whose header line holds `offset`.
    fn admonition_at(&self, offset: usize) -> Option<&Admonition> {
        let at = offset.checked_sub(self.body_start)?;
        let i = self.admonitions.partition_point(|a| a.header.end < at);
        self.admonitions
            .get(i)
            .filter(|a| a.header.contains(&at) || a.header.end == at)
    }

    /// Pops the top frame and hands what it built to the frame below.
    fn close_top(&mut self) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        match frame {
            Frame::Root(nodes) => self.stack.push(Frame::Root(nodes)),
            Frame::Quote {
                nodes,
                footnote,
                alert,
                title,
                span,
            } => {
                self.depth -= 1;
                self.add_node(Node::Quote {
                    nodes,
                    footnote,
                    alert,
                    title,
                    span,
                });
            }
            Frame::List { start, items, span } => {
                self.depth -= 1;
                self.add_node(Node::List { start, items, span });
            }
            Frame::Item {
                mut item,
                pending,
                spill,
            } => {
                if !pending.is_empty() {
                    let span = inline_span(&pending);
                    item.nodes.push(Node::Paragraph {
                        inlines: pending,
                        span,
                    });
                }
                self.add_item(item, spill);
            }
            Frame::Inline {
                kind,
                inlines,
                span,
            } => self.close_inline(kind, inlines, span),
            Frame::Code {
                info,
                fenced,
                text,
                span,
            } => self.add_node(Node::Code {
                info,
                fenced,
                text,
                span,
            }),
            Frame::Html { text, span }
                if super::lone_tag::is_lone_unknown_tag(&text, self.closed) =>
            {
                let name = text.trim().to_owned();
                let start = span.start + text.find('<').unwrap_or(0);
                let inlines = vec![(
                    Event::Text(name.into()),
                    start..span.end.min(start + text.trim().len()),
                )];
                self.add_node(Node::Paragraph { inlines, span });
            }
            Frame::Html { text, span } => self.add_node(Node::Html { text, span }),
            Frame::Table {
                head, rows, span, ..
            } => self.add_node(Node::Table { head, rows, span }),
        }
    }

    fn close_inline(&mut self, kind: InlineKind, inlines: Inlines, span: Range<usize>) {
        match kind {
            InlineKind::Paragraph => self.add_node(Node::Paragraph { inlines, span }),
            InlineKind::Heading { level, id, literal } => {
                let mut inlines = inlines;
                if let Some(words) = literal {
                    let pushed = match inlines.last().map(|(_, r)| r.end) {
                        Some(end) => self.braces_as_written(end..span.end),
                        // `## {version}`: the braces are all the heading has.
                        None => self.source.get(span.clone()).and_then(|text| {
                            let at = span.start + text.find('{')?;
                            self.braces_as_written(at..span.end)
                        }),
                    };
                    let end = inlines.last().map_or(span.start, |(_, r)| r.end);
                    match pushed {
                        Some(braces) => inlines.push(braces),
                        None if !words.is_empty() => {
                            inlines.push((Event::Text(words.into()), end..end));
                        }
                        None => {}
                    }
                }
                self.add_node(Node::Heading {
                    level,
                    id,
                    inlines,
                    span,
                });
            }
            InlineKind::Cell => {
                if let Some(Frame::Table { row, .. }) = self.stack.last_mut() {
                    row.push(inlines);
                }
            }
        }
    }

    /// The braces that end a heading exactly as the source has them (`${VERSION}`,
    /// `v{major}.{minor}`), as text at its place: from `tail`'s start (the end of the heading's
    /// last inline) to the closing brace on that line (a setext heading's underline is not
    /// part of it).
    fn braces_as_written(&self, tail: Range<usize>) -> Option<InlineEvent> {
        let line = self.source.get(tail.clone())?.split('\n').next()?;
        let text = line.trim_end();
        text.ends_with('}').then(|| {
            let range = tail.start..tail.start + text.len();
            (Event::Text(text.to_owned().into()), range)
        })
    }

    /// Adds a finished item to its list; items of flattened lists follow their parent item.
    fn add_item(&mut self, item: ListItem, spill: VecDeque<ListItem>) {
        match self.stack.last_mut() {
            Some(Frame::List { items, .. }) => {
                items.push(item);
                items.extend(spill);
            }
            Some(Frame::Item {
                spill: parent_spill,
                ..
            }) => append_spill(parent_spill, item, spill),
            _ => {
                let span = item.span.clone();
                self.add_node(Node::List {
                    start: None,
                    items: vec![item],
                    span,
                });
            }
        }
    }

    fn add_node(&mut self, node: Node) {
        self.flush_pending();
        match self.stack.last_mut() {
            Some(Frame::Root(nodes) | Frame::Quote { nodes, .. }) => nodes.push(node),
            Some(Frame::Item { item, .. }) => item.nodes.push(node),
            Some(Frame::List { items, .. }) => {
                let span = node.span();
                items.push(ListItem {
                    task: None,
                    nodes: vec![node],
                    span,
                });
            }
            Some(Frame::Inline { inlines, .. }) => {
                // A block inside inline content cannot happen in CommonMark; keep its text.
                if let Node::Html { text, span } = node {
                    inlines.push((Event::Text(text.into()), span));
                }
            }
            _ => {}
        }
    }

    fn push_inline(&mut self, event: Event<'static>, range: Range<usize>) {
        match self.stack.last_mut() {
            Some(Frame::Inline { inlines, .. }) => inlines.push((event, range)),
            Some(Frame::Item { pending, .. }) => pending.push((event, range)),
            _ => self.add_node(Node::Paragraph {
                span: range.clone(),
                inlines: vec![(event, range)],
            }),
        }
    }

    /// A tight item's inline content becomes a paragraph when a block follows it.
    fn flush_pending(&mut self) {
        if let Some(Frame::Item { item, pending, .. }) = self.stack.last_mut()
            && !pending.is_empty()
        {
            let inlines = std::mem::take(pending);
            let span = inline_span(&inlines);
            item.nodes.push(Node::Paragraph { inlines, span });
        }
    }

    fn mark_task(&mut self, checked: bool) {
        let item = match self.stack.as_mut_slice() {
            [.., Frame::Item { item, .. }]
            | [
                ..,
                Frame::Item { item, .. },
                Frame::Inline {
                    kind: InlineKind::Paragraph,
                    ..
                },
            ] => Some(item),
            _ => None,
        };
        if let Some(item) = item
            && item.nodes.is_empty()
        {
            item.task = Some(checked);
        }
    }

    fn in_code_or_html(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Frame::Code { .. } | Frame::Html { .. })
        )
    }

    fn push_raw(&mut self, raw: &str) {
        if let Some(Frame::Code { text, .. } | Frame::Html { text, .. }) = self.stack.last_mut() {
            text.push_str(raw);
        }
    }
}

fn inline_span(inlines: &Inlines) -> Range<usize> {
    let start = inlines.iter().map(|(_, r)| r.start).min().unwrap_or(0);
    let end = inlines.iter().map(|(_, r)| r.end).max().unwrap_or(start);
    start..end.max(start)
}

/// `parent` becomes `parent, item, spill`, moving the shorter side: a chain of thousands of
/// flattened items bubbles up level by level in linear time, not quadratic.
fn append_spill(parent: &mut VecDeque<ListItem>, item: ListItem, mut spill: VecDeque<ListItem>) {
    if spill.len() > parent.len() {
        spill.push_front(item);
        while let Some(earlier) = parent.pop_back() {
            spill.push_front(earlier);
        }
        *parent = spill;
    } else {
        parent.push_back(item);
        parent.extend(spill);
    }
}

/// Heading attributes that name no id, class or value (`{not an id}`, `{1}`, which leaves no
/// attribute at all), as the text they were: the words, which may be none. `None` when the
/// braces were attributes.
fn literal_braces(
    has_id: bool,
    classes: &[pulldown_cmark::CowStr<'_>],
    attrs: &[(
        pulldown_cmark::CowStr<'_>,
        Option<pulldown_cmark::CowStr<'_>>,
    )],
) -> Option<String> {
    let words = !has_id && classes.is_empty() && attrs.iter().all(|(_, value)| value.is_none());
    words.then(|| {
        if attrs.is_empty() {
            return String::new();
        }
        let words: Vec<&str> = attrs.iter().map(|(k, _)| k.as_ref()).collect();
        format!(" {{{}}}", words.join(" "))
    })
}

/// The name of a GitHub alert (`warning` for `> [!WARNING]`), for a quote that is one.
fn alert_name(tag: &Tag<'_>) -> Option<&'static str> {
    let Tag::BlockQuote(Some(kind)) = tag else {
        return None;
    };
    Some(match kind {
        pulldown_cmark::BlockQuoteKind::Note => "note",
        pulldown_cmark::BlockQuoteKind::Tip => "tip",
        pulldown_cmark::BlockQuoteKind::Important => "important",
        pulldown_cmark::BlockQuoteKind::Warning => "warning",
        pulldown_cmark::BlockQuoteKind::Caution => "caution",
    })
}
