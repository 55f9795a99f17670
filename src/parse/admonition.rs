//! MkDocs admonitions (`!!! warning "Before you start"` over an indented body) and `:::`
//! containers (Docusaurus, VitePress) read as alerts; MkDocs content tabs as titled quotes.
//!
//! Python-Markdown's admonition syntax (and the collapsible `???` of pymdown-extensions) indents
//! the body by four columns, which CommonMark reads as an indented code block, or as more of the
//! header's paragraph when no blank line follows it. Before parsing, [`rewrite`] makes a copy of
//! the body in which each admonition is a block quote: the header line becomes `>`, each body
//! line's four columns of indent become `> `, and blank lines inside the body become `>` so the
//! quote goes on. A [`Rewritten`] maps every offset of the copy back to the source, so ranges,
//! lines and columns still name what the author wrote; its [`Admonition`]s give the tree builder
//! the kind and title of the quote that starts on each header line.
//!
//! Content tabs (`=== "Linux"`, pymdown-extensions' tabbed syntax, as in MkDocs Material) are
//! rewritten the same way: a quote with the tab's title and no alert kind.
//!
//! Containers (`:::note[Title]` … `:::`) are rewritten the same way, each line between getting
//! `> `; one opens only when a closing `:::` follows. A document with MkDocs admonitions is read
//! for those alone.
//!
//! Admonitions nest at most [`MAX_DEPTH`] deep; a deeper header stays text. Headers inside
//! fenced code, and indented lines that are not in a list or an admonition (an
//! indented code block showing the syntax), are left alone.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::MAX_DEPTH;

/// `!!! kind extra-classes "Title"`, `??? kind`, `???+ kind` and `???+ "Title"` (the title
/// runs to the last quote, so it may hold quotes).
static HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^(?:!!!|\?\?\?\+?) ?(?:([A-Za-z][\w-]*)(?: +[\w-]+)*)?(?: *"(.*)")? *$"#)
        .unwrap_or_else(|e| unreachable!("{e}"))
});

/// A content tab of pymdown-extensions' tabbed extension: `=== "Linux"`, `===! "Title"` (starts a
/// new set of tabs) and `===+ "Title"` (the selected one). The title is required.
static TAB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^===[!+]{0,2} +"(.*)" *$"#).unwrap_or_else(|e| unreachable!("{e}"))
});

/// A container fence that opens (Docusaurus `:::note[Title]`, VitePress `::: tip Title`,
/// remark-directive `:::warning{…}`): its colons, type and title.
static CONTAINER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(:{3,}) ?([A-Za-z][\w-]*)(?:\[([^\]]*)\]|\{[^}]*\})?(?:[ \t]+(\S.*?))?[ \t]*$")
        .unwrap_or_else(|e| unreachable!("{e}"))
});

/// Columns a body is indented past its header.
const BODY_INDENT: usize = 4;

/// One admonition's header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Admonition {
    /// Byte range of the header line in the parsed text.
    pub header: Range<usize>,
    /// The alert kind it reads as (`caution` for `danger`); `None` for a content tab.
    pub kind: Option<&'static str>,
    /// Its own title: the quoted one, else the kind as written, capitalised (`Danger`); `None`
    /// when that is the alert kind's own title, empty when the header hides it (`""`). A content
    /// tab always has its title.
    pub title: Option<String>,
}

/// The body rewritten with admonitions as quotes, and the way back to source offsets.
#[derive(Debug)]
pub(super) struct Rewritten {
    /// The text to parse.
    pub text: String,
    /// The admonitions, in order of their headers.
    pub admonitions: Vec<Admonition>,
    /// One entry per line of `text`, in order.
    lines: Vec<LineMap>,
}

/// Where a line of the rewritten text comes from: its first `new_prefix` bytes replace the
/// first `old_prefix` bytes of the source line at `source`; the rest is copied.
#[derive(Debug, Clone, Copy)]
struct LineMap {
    start: usize,
    source: usize,
    new_prefix: usize,
    old_prefix: usize,
}

impl Rewritten {
    /// The source offset of offset `at` of the rewritten text. Offsets in a replaced prefix map
    /// to the start of the source line: a character boundary, whatever the prefix replaced.
    #[must_use]
    pub(super) fn to_source(&self, at: usize) -> usize {
        let i = self
            .lines
            .partition_point(|l| l.start <= at)
            .saturating_sub(1);
        let Some(line) = self.lines.get(i) else {
            return at;
        };
        let off = at - line.start;
        if off < line.new_prefix {
            line.source
        } else {
            line.source + line.old_prefix + (off - line.new_prefix)
        }
    }
}

/// An open admonition: the column of its header and of its body.
#[derive(Debug, Clone, Copy)]
struct Level {
    header: usize,
    body: usize,
}

/// An open fenced code block: its character, length and the admonition depth it opened at.
#[derive(Debug, Clone, Copy)]
struct Fence {
    mark: u8,
    len: usize,
    depth: usize,
}

/// Rewrites `body` when it holds admonitions; `None` (nothing to do) for most documents. A
/// document with MkDocs admonitions is read for those only; otherwise `:::` containers are.
#[must_use]
pub(super) fn rewrite(body: &str) -> Option<Rewritten> {
    let bytes = body.as_bytes();
    if memchr::memmem::find(bytes, b"!!!").is_some()
        || memchr::memmem::find(bytes, b"???").is_some()
        || memchr::memmem::find(bytes, b"=== \"").is_some()
        || memchr::memmem::find(bytes, b"===! ").is_some()
        || memchr::memmem::find(bytes, b"===+ ").is_some()
    {
        let found = rewrite_indented(body);
        if found.is_some() {
            return found;
        }
    }
    if memchr::memmem::find(bytes, b":::").is_some() {
        return rewrite_containers(body);
    }
    None
}

/// The lines that close a container (`:::` alone, up to three columns in): their line numbers
/// and colons, in order.
fn container_closers(body: &str) -> Vec<(usize, usize)> {
    lines(body)
        .enumerate()
        .filter_map(|(i, line)| {
            let text = &body[line];
            let trimmed = text.trim();
            let colons = trimmed.bytes().take_while(|&b| b == b':').count();
            (colons >= 3 && colons == trimmed.len() && indent(text, 4).0 < 4).then_some((i, colons))
        })
        .collect()
}

/// `:::` containers as quotes: the opening line becomes `>`, each line up to the closing one
/// gets `> ` before it, and the closing line is blank. A container opens only when a closing
/// line follows for it, so a stray `:::note` in prose stays text.
fn rewrite_containers(body: &str) -> Option<Rewritten> {
    let closers = container_closers(body);
    let mut w = Writer::new(body.len());
    let mut open: Vec<usize> = Vec::new();
    let mut fence: Option<Fence> = None;
    for (i, line) in lines(body).enumerate() {
        let content = &body[line.clone()];
        let end = content.trim_end_matches(['\r', '\n']).len();
        let trimmed = content.trim();
        let shallow = indent(content, 4).0 < 4;
        let later = closers.partition_point(|&(at, _)| at <= i);
        if let Some(f) = fence {
            if closes(trimmed, f) {
                fence = None;
            }
        } else if !open.is_empty()
            && let Some(f) = opens(trimmed, open.len())
        {
            fence = Some(f);
        } else if let Some(&(_, colons)) = closers
            .get(later.wrapping_sub(1))
            .filter(|(at, _)| *at == i)
            && open.last().is_some_and(|&top| colons >= top)
        {
            open.pop();
            w.line(body, line, end, &container_prefix(open.len()));
            continue;
        } else if shallow
            && open.len() < MAX_DEPTH
            && closers.len() - later > open.len()
            && let Some(caps) = CONTAINER.captures(trimmed)
        {
            let mut prefix = container_prefix(open.len());
            prefix.push('>');
            w.line(body, line.clone(), end, &prefix);
            let title = caps.get(3).or_else(|| caps.get(4)).map(|m| m.as_str());
            w.admonitions
                .push(admonition(line.start..line.start + end, &caps[2], title));
            open.push(caps[1].len());
            continue;
        }
        if trimmed.is_empty() {
            let mut prefix = container_prefix(open.len());
            prefix.truncate(prefix.trim_end().len());
            w.line(body, line, end, &prefix);
        } else {
            w.line(body, line, 0, &container_prefix(open.len()));
        }
    }
    (!w.admonitions.is_empty()).then(|| w.finish())
}

/// `> ` for each open container.
fn container_prefix(depth: usize) -> String {
    "> ".repeat(depth)
}

/// MkDocs admonitions as quotes (see the module's documentation).
fn rewrite_indented(body: &str) -> Option<Rewritten> {
    let mut w = Writer::new(body.len());
    let mut stack: Vec<Level> = Vec::new();
    let mut fence: Option<Fence> = None;
    // The text columns of the list items the line may be in, outermost first.
    let mut list_cols: Vec<usize> = Vec::new();
    let mut blanks: Vec<Range<usize>> = Vec::new();
    for line in lines(body) {
        let content = &body[line.clone()];
        if content.trim().is_empty() {
            blanks.push(line);
            continue;
        }
        let (col, _) = indent(content, usize::MAX);
        let keep = stack.iter().take_while(|l| col >= l.body).count();
        let closed = keep < stack.len();
        stack.truncate(keep);
        if fence.is_some_and(|f| f.depth > keep) {
            fence = None;
        }
        let blank_before = !blanks.is_empty();
        for blank in blanks.drain(..) {
            w.blank(body, blank, &stack);
        }
        if closed && !blank_before {
            // Without a blank line the text after a body would continue the quote's paragraph.
            w.inserted_blank(line.start);
        }
        list_cols.retain(|&c| col >= c);
        let trimmed = content.trim_start();
        if let Some(f) = fence {
            if closes(trimmed, f) {
                fence = None;
            }
        } else if let Some(f) = opens(trimmed, stack.len()) {
            fence = Some(f);
        } else if let Some(found) = (stack.len() < MAX_DEPTH)
            .then(|| header(trimmed.trim_end_matches(['\r', '\n'])))
            .flatten()
        {
            // Python-Markdown finds a header anywhere in a block, even under a line of text; in
            // a list item (at the top or in a body) it lines up with the item's text.
            let body_col = stack.last().map_or(0, |l| l.body);
            let container = list_cols
                .last()
                .copied()
                .filter(|&c| c >= body_col)
                .unwrap_or(body_col);
            if col >= container && col - container < BODY_INDENT {
                w.header(body, line.clone(), &stack, col);
                let header = line.start..line.start + content.trim_end_matches(['\r', '\n']).len();
                w.admonitions.push(match found {
                    Header::Admonition { kind, title } => admonition(header, kind, title),
                    Header::Tab { title } => Admonition {
                        header,
                        kind: None,
                        title: Some(title.trim().to_owned()),
                    },
                });
                stack.push(Level {
                    header: col,
                    body: col + BODY_INDENT,
                });
                continue;
            }
        }
        if let Some(c) = list_content_col(content) {
            list_cols.retain(|&outer| outer < c);
            list_cols.push(c);
        }
        w.body(body, line, &stack);
    }
    for blank in blanks.drain(..) {
        w.blank(body, blank, &[]);
    }
    (!w.admonitions.is_empty()).then(|| w.finish())
}

/// The admonition a header line names.
/// What an indented block's header line opens.
enum Header<'a> {
    /// `!!! kind "Title"`: its type as written (`note` when only a title is given) and title.
    Admonition {
        kind: &'a str,
        title: Option<&'a str>,
    },
    /// `=== "Title"`.
    Tab { title: &'a str },
}

/// The admonition or content tab a line (without its indent and line ending) opens, if any.
fn header(line: &str) -> Option<Header<'_>> {
    if line.starts_with("!!!") || line.starts_with("???") {
        let caps = HEADER.captures(line)?;
        let title = caps.get(2).map(|m| m.as_str());
        let kind = caps.get(1).map(|m| m.as_str());
        (kind.is_some() || title.is_some()).then(|| Header::Admonition {
            kind: kind.unwrap_or("note"),
            title,
        })
    } else if line.starts_with("===") {
        let caps = TAB.captures(line)?;
        let title = caps.get(1).map_or("", |m| m.as_str());
        (!title.trim().is_empty()).then_some(Header::Tab { title })
    } else {
        None
    }
}

fn admonition(header: Range<usize>, kind: &str, title: Option<&str>) -> Admonition {
    let alert = alert_kind(kind);
    let title = title.map_or_else(|| capitalised(kind), |t| t.trim().to_owned());
    Admonition {
        header,
        kind: Some(alert),
        title: (title != crate::model::alert_title(alert)).then_some(title),
    }
}

/// The GitHub alert kind closest to an admonition type of MkDocs Material.
fn alert_kind(kind: &str) -> &'static str {
    match kind.to_ascii_lowercase().as_str() {
        "tip" | "hint" | "success" | "check" | "done" => "tip",
        "important" => "important",
        "warning" | "attention" => "warning",
        "caution" | "danger" | "error" | "failure" | "fail" | "missing" | "bug" => "caution",
        _ => "note",
    }
}

/// `danger` as Python-Markdown titles it: `Danger`.
fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |first| {
        first
            .to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect()
    })
}

/// The lines of `s` with their line ends.
fn lines(s: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut start = 0;
    s.split_inclusive('\n').map(move |line| {
        let range = start..start + line.len();
        start = range.end;
        range
    })
}

/// The column the text of `line` starts at (tabs to the next multiple of four), counting no
/// further than `limit` columns, and the bytes of indent that reach it.
fn indent(line: &str, limit: usize) -> (usize, usize) {
    let mut col = 0;
    for (i, b) in line.bytes().enumerate() {
        if col >= limit {
            return (col, i);
        }
        match b {
            b' ' => col += 1,
            b'\t' => col += 4 - col % 4,
            _ => return (col, i),
        }
    }
    (col, line.len())
}

/// The column of a list item's text, for a line that starts one (`- x`, `12. x`).
fn list_content_col(line: &str) -> Option<usize> {
    let (col, bytes) = indent(line, usize::MAX);
    let rest = &line[bytes..];
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let marker = match rest.as_bytes().get(digits) {
        Some(b'.' | b')') if (1..=9).contains(&digits) => digits + 1,
        Some(b'-' | b'*' | b'+') if digits == 0 => 1,
        _ => return None,
    };
    let after = &rest[marker..];
    let spaces = after.bytes().take_while(|&b| b == b' ').count();
    (spaces > 0 || after.trim().is_empty()).then_some(col + marker + spaces.clamp(1, 4))
}

/// The fence a line opens (three or more backticks or tildes).
fn opens(trimmed: &str, depth: usize) -> Option<Fence> {
    let mark = *trimmed.as_bytes().first()?;
    if mark != b'`' && mark != b'~' {
        return None;
    }
    let len = trimmed.bytes().take_while(|&b| b == mark).count();
    // A backtick fence's info string has no backtick: ```` ```x``` is… ```` is inline code.
    let inline = mark == b'`' && trimmed[len..].contains('`');
    (len >= 3 && !inline).then_some(Fence { mark, len, depth })
}

/// Whether a line closes `fence`.
fn closes(trimmed: &str, fence: Fence) -> bool {
    let len = trimmed.bytes().take_while(|&b| b == fence.mark).count();
    len >= fence.len && trimmed[len..].trim().is_empty()
}

/// Builds the rewritten text and its line map.
struct Writer {
    text: String,
    lines: Vec<LineMap>,
    admonitions: Vec<Admonition>,
}

impl Writer {
    fn new(capacity: usize) -> Writer {
        Writer {
            text: String::with_capacity(capacity + capacity / 8),
            lines: Vec::new(),
            admonitions: Vec::new(),
        }
    }

    /// Writes a line whose first `old_prefix` bytes become `prefix`.
    fn line(&mut self, body: &str, line: Range<usize>, old_prefix: usize, prefix: &str) {
        self.lines.push(LineMap {
            start: self.text.len(),
            source: line.start,
            new_prefix: prefix.len(),
            old_prefix,
        });
        self.text.push_str(prefix);
        self.text.push_str(&body[line.start + old_prefix..line.end]);
    }

    /// A line inside `stack`'s admonitions: its indent, up to the innermost body's column,
    /// becomes a `> ` for each.
    fn body(&mut self, body: &str, line: Range<usize>, stack: &[Level]) {
        let Some(inner) = stack.last() else {
            self.line(body, line, 0, "");
            return;
        };
        let (col, bytes) = indent(&body[line.clone()], inner.body);
        let prefix = quote_prefix(stack, col - inner.body);
        self.line(body, line, bytes, &prefix);
    }

    /// A header line inside `stack`: the quote it opens starts at its column.
    fn header(&mut self, body: &str, line: Range<usize>, stack: &[Level], col: usize) {
        let text = &body[line.clone()];
        let end = text.trim_end_matches(['\r', '\n']).len();
        let mut prefix = stack.last().map_or_else(
            || " ".repeat(col),
            |inner| quote_prefix(stack, col - inner.body),
        );
        prefix.push('>');
        self.line(body, line, end, &prefix);
    }

    /// A blank line, inside the admonitions still open after it.
    fn blank(&mut self, body: &str, line: Range<usize>, stack: &[Level]) {
        let end = body[line.clone()].trim_end_matches(['\r', '\n']).len();
        let prefix = if stack.is_empty() {
            String::new()
        } else {
            let mut p = quote_prefix(stack, 0);
            p.truncate(p.trim_end().len());
            p
        };
        self.line(body, line, end, &prefix);
    }

    /// An empty line that is not in the source, before the source line at `source`.
    fn inserted_blank(&mut self, source: usize) {
        self.lines.push(LineMap {
            start: self.text.len(),
            source,
            new_prefix: 1,
            old_prefix: 0,
        });
        self.text.push('\n');
    }

    fn finish(self) -> Rewritten {
        Rewritten {
            text: self.text,
            admonitions: self.admonitions,
            lines: self.lines,
        }
    }
}

/// For each open admonition, the columns between the body around it and its header (a list
/// item's indent) and `> `; then `extra` columns.
fn quote_prefix(stack: &[Level], extra: usize) -> String {
    let mut p = String::with_capacity(2 * stack.len() + extra);
    let mut body = 0;
    for level in stack {
        p.extend(std::iter::repeat_n(' ', level.header - body));
        p.push_str("> ");
        body = level.body;
    }
    p.extend(std::iter::repeat_n(' ', extra));
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> String {
        rewrite(s).map(|r| r.text).unwrap_or_default()
    }

    /// The alert kind and own title of each admonition in `s`.
    fn kinds(s: &str) -> Vec<(&'static str, Option<String>)> {
        rewrite(s)
            .map(|r| {
                r.admonitions
                    .into_iter()
                    .map(|a| (a.kind.unwrap_or("tab"), a.title))
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn body_becomes_a_quote_with_blank_lines_inside() {
        let src = "Intro\n\n!!! warning \"Stop\"\n    First.\n\n    - [ ] Tick\n\nAfter\n";
        assert_eq!(
            text(src),
            "Intro\n\n>\n> First.\n>\n> - [ ] Tick\n\nAfter\n"
        );
    }

    #[test]
    fn offsets_map_back_to_the_source() {
        let src = "!!! note\n    Body text\n";
        let r = rewrite(src).expect("rewritten");
        let at = r.text.find("Body").expect("body");
        assert_eq!(r.to_source(at), src.find("Body").expect("source body"));
        assert_eq!(r.to_source(0), 0);
    }

    #[test]
    fn every_offset_maps_to_a_character_boundary() {
        let mut src = String::new();
        for i in 0..12 {
            src.push_str(&"\t".repeat(i));
            src.push_str("!!! note \"ééééé\"\n");
        }
        let r = rewrite(&src).expect("rewritten");
        for at in 0..=r.text.len() {
            let back = r.to_source(at);
            assert!(src.is_char_boundary(back), "{at} → {back}");
        }
    }

    #[test]
    fn text_after_the_body_is_not_continued() {
        assert_eq!(text("!!! tip\n    In\nOut\n"), ">\n> In\n\nOut\n");
    }

    #[test]
    fn nested_and_in_lists() {
        assert_eq!(
            text("!!! note\n    !!! danger\n        Deep\n"),
            ">\n> >\n> > Deep\n"
        );
        assert_eq!(
            text("- Step\n\n    !!! note\n        Careful\n"),
            "- Step\n\n    >\n    > Careful\n"
        );
    }

    /// Regression: an admonition in a list item after a nested list stayed text, as the nested
    /// list's column was the only one remembered.
    #[test]
    fn in_a_list_item_after_a_nested_list() {
        assert_eq!(
            kinds("1. Set it.\n\n    * one\n    * two\n\n    !!! danger\n        Data goes.\n"),
            [("caution", Some("Danger".to_owned()))]
        );
    }

    #[test]
    fn after_a_list() {
        assert_eq!(text("1. Step\n\n!!! note\n    x\n"), "1. Step\n\n>\n> x\n");
    }

    #[test]
    fn nesting_is_capped() {
        let mut src = String::new();
        for i in 0..200 {
            src.push_str(&" ".repeat(4 * i));
            src.push_str("!!! note\n\n");
        }
        let r = rewrite(&src).expect("rewritten");
        assert_eq!(r.admonitions.len(), MAX_DEPTH);
        assert!(r.text.len() < 3 * src.len(), "{}", r.text.len());
    }

    #[test]
    fn containers_become_quotes() {
        let src = ":::warning[Stop]\nFirst.\n\n- [ ] Tick\n:::\nAfter\n";
        assert_eq!(text(src), ">\n> First.\n>\n> - [ ] Tick\n\nAfter\n");
        let r = rewrite("::: tip Use it\nx\n:::\n").expect("rewritten");
        assert_eq!(r.admonitions[0].kind, Some("tip"));
        assert_eq!(r.admonitions[0].title.as_deref(), Some("Use it"));
    }

    #[test]
    fn containers_nest_and_skip_code_and_strays() {
        assert_eq!(
            text("::::note\n:::danger\nx\n:::\n::::\n"),
            ">\n> >\n> > x\n> \n\n"
        );
        assert_eq!(
            text(":::note\n```\n:::\n```\n:::\n"),
            ">\n> ```\n> :::\n> ```\n\n"
        );
        assert!(rewrite("A stray :::note\n\n:::info\nnever closed\n").is_none());
    }

    /// Regression: a header under a line of text or right after a closing fence, a title with
    /// quotes in it and a title without a type were not admonitions, and their tasks were lost
    /// in a paragraph.
    #[test]
    fn headers_python_markdown_accepts() {
        assert_eq!(text("Text\n!!! note\n    x\n"), "Text\n>\n> x\n");
        assert_eq!(
            text("```\nc\n```\n!!! tip\n    x\n"),
            "```\nc\n```\n>\n> x\n"
        );
        assert_eq!(
            kinds("!!! tip \"Say \"hi\" now\"\n    x\n\n???+ \"Only a title\"\n    y\n"),
            [
                ("tip", Some("Say \"hi\" now".to_owned())),
                ("note", Some("Only a title".to_owned()))
            ]
        );
        assert!(rewrite("!!!\n    x\n").is_none());
    }

    /// Regression: an admonition in a list item inside an admonition was text, its tasks lost
    /// in the item's paragraph.
    #[test]
    fn in_a_list_item_inside_an_admonition() {
        assert_eq!(
            text("!!! note\n    - item\n\n        !!! warning\n            - [ ] task\n"),
            ">\n> - item\n>\n>     >\n>     > - [ ] task\n"
        );
    }

    #[test]
    fn kinds_and_titles() {
        assert_eq!(
            kinds("!!! danger\n    x\n\n??? info \"\"\n    y\n\n!!! note \"Note\"\n"),
            [
                ("caution", Some("Danger".to_owned())),
                ("note", Some(String::new())),
                ("note", None)
            ]
        );
    }

    #[test]
    fn left_alone_in_code_and_mid_paragraph() {
        assert!(rewrite("```\n!!! note\n    x\n```\n").is_none());
        assert!(rewrite("```x``` is inline\n\n!!! note\n    x\n").is_some());
        assert!(rewrite("Para\n\n    !!! note\n        x\n").is_none());
        assert!(rewrite("Shout!!! and ??? marks\n").is_none());
    }

    /// Regression: MkDocs content tabs (`=== "Linux"` over an indented body) were text and a
    /// code block, so their tasks were not items.
    #[test]
    fn content_tabs_are_titled_quotes() {
        let src = "=== \"Linux\"\n    - [ ] a\n=== \"Mac\"\n\n    - [ ] b\n";
        assert_eq!(text(src), ">\n> - [ ] a\n\n>\n>\n> - [ ] b\n");
        assert_eq!(
            kinds(src),
            [
                ("tab", Some("Linux".to_owned())),
                ("tab", Some("Mac".to_owned()))
            ]
        );
        assert_eq!(
            kinds("===+ \"Note\"\n    x\n"),
            [("tab", Some("Note".to_owned()))]
        );
    }

    #[test]
    fn tab_needs_a_quoted_title() {
        assert!(rewrite("Title\n===\n").is_none());
        assert!(rewrite("=== Linux\n    x\n").is_none());
        assert!(rewrite("=== \"\"\n    x\n").is_none());
    }
}
