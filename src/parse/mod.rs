//! Parsing: Markdown text into a tree of blocks with source offsets. Never fails.
//!
//! Input: a file's bytes. Output: a [`ParsedDoc`]: the decoded text, its front matter, and a tree
//! of [`Node`]s whose inline content is kept as pulldown-cmark events with byte ranges into the
//! text. The tree is built iteratively; list and quote nesting deeper than [`MAX_DEPTH`] is
//! flattened (with a diagnostic) so later recursive walks and JSON stay within bounds.

mod admonition;
mod decode;
mod front_matter;
mod invisible;
mod lone_tag;
mod tree;

pub use front_matter::FrontMatter;

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser};

use crate::diag::{Diagnostic, LineIndex};

/// Deepest nesting of lists and quotes kept as a tree.
pub const MAX_DEPTH: usize = 24;

/// A parsed Markdown document.
#[derive(Debug)]
pub struct ParsedDoc {
    /// The decoded text; all ranges point into it.
    pub text: String,
    /// Line starts of `text`.
    pub lines: LineIndex,
    /// Front matter, when present and valid.
    pub front_matter: Option<FrontMatter>,
    /// Byte offset where the Markdown body starts: after the front matter, if any.
    pub body_start: usize,
    /// Top-level blocks.
    pub nodes: Vec<Node>,
    /// Problems found while decoding and parsing.
    pub diagnostics: Vec<Diagnostic>,
}

/// One inline event with its byte range.
pub type InlineEvent = (Event<'static>, Range<usize>);

/// Inline content: pulldown-cmark events with their byte ranges.
pub type Inlines = Vec<InlineEvent>;

/// A block of the parsed tree.
#[derive(Debug, Clone)]
pub enum Node {
    /// `#`–`######` heading.
    Heading {
        /// Level 1–6.
        level: u8,
        /// `{#id}` attribute.
        id: Option<String>,
        /// The heading's inline content.
        inlines: Inlines,
        /// Byte range of the whole heading.
        span: Range<usize>,
    },
    /// A paragraph.
    Paragraph {
        /// Its inline content.
        inlines: Inlines,
        /// Byte range.
        span: Range<usize>,
    },
    /// A bullet or numbered list.
    List {
        /// First number of a numbered list.
        start: Option<u64>,
        /// Its items.
        items: Vec<ListItem>,
        /// Byte range.
        span: Range<usize>,
    },
    /// A code block.
    Code {
        /// Info string of a fenced block.
        info: String,
        /// Whether the block is fenced (else indented).
        fenced: bool,
        /// The code.
        text: String,
        /// Byte range.
        span: Range<usize>,
    },
    /// A table.
    Table {
        /// Header cells.
        head: Vec<Inlines>,
        /// Body rows.
        rows: Vec<Vec<Inlines>>,
        /// Byte range.
        span: Range<usize>,
    },
    /// A block quote, footnote definition or other container.
    Quote {
        /// Its content.
        nodes: Vec<Node>,
        /// The label of a footnote definition (`1` for `[^1]: …`).
        footnote: Option<String>,
        /// The kind of a GitHub alert (`warning` for `> [!WARNING]`), or the nearest kind of an
        /// MkDocs admonition (`caution` for `!!! danger`).
        alert: Option<&'static str>,
        /// An admonition's own title (see [`crate::model::Block::Quote`]).
        title: Option<String>,
        /// Byte range.
        span: Range<usize>,
    },
    /// A raw HTML block.
    Html {
        /// The HTML.
        text: String,
        /// Byte range.
        span: Range<usize>,
    },
    /// A thematic break (`---`).
    Rule {
        /// Byte range.
        span: Range<usize>,
    },
}

/// One list item.
#[derive(Debug, Clone, Default)]
pub struct ListItem {
    /// `Some(checked)` for a task item.
    pub task: Option<bool>,
    /// The item's blocks; the inline content of a tight item comes as a first paragraph.
    pub nodes: Vec<Node>,
    /// Byte range.
    pub span: Range<usize>,
}

impl Node {
    /// Byte range of the node.
    #[must_use]
    pub fn span(&self) -> Range<usize> {
        match self {
            Node::Heading { span, .. }
            | Node::Paragraph { span, .. }
            | Node::List { span, .. }
            | Node::Code { span, .. }
            | Node::Table { span, .. }
            | Node::Quote { span, .. }
            | Node::Html { span, .. }
            | Node::Rule { span } => span.clone(),
        }
    }
}

/// The Markdown extensions preflight reads (GitHub-flavoured, plus heading attributes).
#[must_use]
pub fn markdown_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// Parses a file's bytes.
#[must_use]
pub fn parse(bytes: &[u8]) -> ParsedDoc {
    let (text, mut diagnostics) = decode::decode(bytes);
    parse_text(text, &mut diagnostics)
}

/// The checklist id a file's front matter declares (`id: deploy`), read without the body.
#[must_use]
pub fn declared_id(bytes: &[u8]) -> Option<String> {
    let (text, _) = decode::decode(bytes);
    let split = front_matter::split(&text);
    let (_, value) = split
        .front_matter?
        .fields
        .into_iter()
        .find(|(key, _)| key == "id")?;
    crate::normalise::front_matter_id(&value)
}

fn parse_text(text: String, diagnostics: &mut Vec<Diagnostic>) -> ParsedDoc {
    let lines = LineIndex::new(&text);
    let split = front_matter::split(&text);
    diagnostics.extend(split.diagnostics);
    let visible = invisible::remove_line_starts(&text, split.body_start, &lines, diagnostics);
    let unhide = |at: usize| visible.as_ref().map_or(at, |v| v.to_source(at));
    let body = &visible.as_ref().map_or(text.as_str(), |v| v.text.as_str())[split.body_start..];
    let mut rewritten = admonition::rewrite(body);
    // Admonition headers are found in the visible text; the tree builder sees source offsets.
    for a in rewritten.iter_mut().flat_map(|r| r.admonitions.iter_mut()) {
        let (start, end) = (
            split.body_start + a.header.start,
            split.body_start + a.header.end,
        );
        a.header = unhide(start) - split.body_start..unhide(end) - split.body_start;
    }
    let (parsed, admonitions) = rewritten.as_ref().map_or((body, &[][..]), |r| {
        (r.text.as_str(), r.admonitions.as_slice())
    });
    let to_source =
        |at: usize| unhide(split.body_start + rewritten.as_ref().map_or(at, |r| r.to_source(at)));
    let events = Parser::new_ext(parsed, markdown_options())
        .into_offset_iter()
        .map(|(e, r)| (e, to_source(r.start)..to_source(r.end)));
    let closed = lone_tag::closing_tags(&text);
    let (nodes, flattened) = tree::build(events, &text, split.body_start, admonitions, &closed);
    if let Some(offset) = flattened {
        diagnostics.push(tree::flattened_diagnostic(&text, &lines, offset));
    }
    ParsedDoc {
        front_matter: split.front_matter,
        body_start: split.body_start,
        nodes,
        diagnostics: std::mem::take(diagnostics),
        lines,
        text,
    }
}
