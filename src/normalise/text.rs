//! Inline content to plain text and sanitised HTML, with a map back to source offsets.
//!
//! Input: inline events of one paragraph, heading, cell or item. Output: [`Inline`], which holds
//! the text a reader sees, the HTML of its markup (raw HTML escaped or dropped, unsafe URLs
//! dropped), the text before mojibake repair, and the repairs made.

use std::fmt::Write as _;
use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use regex::Regex;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

use super::mojibake::{self, Repair};
use crate::parse::InlineEvent;
/// `text` (its first line) cut to at most `max` characters at a word boundary, with `…` when
/// cut.
#[must_use]
pub fn cut_at_word(text: &str, max: usize) -> String {
    let text = text.lines().next().unwrap_or_default().trim();
    let Some((end, _)) = text.char_indices().nth(max) else {
        return text.to_owned();
    };
    let head = &text[..end];
    let head = match head.rfind(char::is_whitespace) {
        Some(space) if space > 0 => &head[..space],
        _ => head,
    };
    format!("{} …", head.trim_end())
}

#[cfg(test)]
use crate::parse::Inlines;

/// Rendered inline content.
#[derive(Debug, Clone, Default)]
pub(super) struct Inline {
    /// Plain text, repaired.
    pub text: String,
    /// The plain text as written, before repairs.
    pub raw: String,
    /// Sanitised HTML.
    pub html: String,
    /// Source offset of each stretch of `text`.
    pieces: Vec<Piece>,
    /// Mojibake repairs, with byte ranges in the source.
    pub repairs: Vec<Repair>,
    /// Whether `raw` is being kept: from the first repair on (before it, `raw` is `text`).
    raw_kept: bool,
}

#[derive(Debug, Clone)]
struct Piece {
    text_start: usize,
    source_start: usize,
    /// Whether the text of the piece is the source verbatim (so offsets inside it map 1:1).
    verbatim: bool,
    /// Whether the piece is inline code.
    code: bool,
}

/// HTML elements that never have content (`<br>`, `<input>`).
pub const VOID_ELEMENTS: [&str; 14] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// HTML tags kept out of the text (a reader does not see them); any other `<…>` is text, such as
/// `<GENERATED>` or `<previous-tag>`.
const KNOWN_TAGS: &[&str] = &[
    "a", "abbr", "b", "br", "code", "del", "details", "div", "em", "hr", "i", "img", "ins", "kbd",
    "mark", "p", "s", "samp", "small", "span", "strong", "sub", "summary", "sup", "u", "var",
];

/// Whether `c` belongs to a script written without spaces between words: Chinese, Japanese, and
/// their punctuation and full-width forms (Korean is written with spaces).
#[must_use]
pub fn unspaced(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{30FF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FF00}'..='\u{FF9F}'
        | '\u{20000}'..='\u{3FFFF}')
}

/// A link's address, `#user-content-rollback` (as links written for GitHub name a heading) as
/// `#rollback`: the anchor on GitHub as on the site.
fn without_github_prefix(dest_url: &str) -> CowStr<'_> {
    match dest_url.strip_prefix("#user-content-") {
        Some(anchor) => CowStr::from(format!("#{anchor}")),
        None => CowStr::Borrowed(dest_url),
    }
}

/// Whether a line broken after `before`, `next` following, joins two characters of a script
/// written without spaces (`起動することを⏎確認する`), which join without one.
fn joins_unspaced(before: &str, next: &[InlineEvent]) -> bool {
    // The next text, past the start of emphasis or a link (`次に⏎**重要な**設定`), or code.
    let next = next.iter().find_map(|(event, _)| match event {
        Event::Start(_) => None,
        Event::Text(t) | Event::Code(t) => Some(t.starts_with(unspaced)),
        _ => Some(false),
    });
    before.chars().next_back().is_some_and(unspaced) && next == Some(true)
}

impl Inline {
    /// Renders `inlines`, whose ranges point into `source`.
    #[must_use]
    pub(super) fn render(inlines: &[InlineEvent], source: &str) -> Inline {
        let merged = merge_texts(inlines, source);
        let inlines: &[InlineEvent] = &merged;
        let mut out = Inline::default();
        let mut html_events: Vec<Event<'_>> = Vec::with_capacity(inlines.len());
        let mut skip_link_end = Vec::new();
        let mut after_link_or_image = false;
        for (i, (event, range)) in inlines.iter().enumerate() {
            let follows = std::mem::replace(
                &mut after_link_or_image,
                matches!(event, Event::End(TagEnd::Link | TagEnd::Image)),
            );
            match event {
                Event::Text(t) => {
                    // `![Plan](plan.png){ width="300" }`: attributes for MkDocs, not text.
                    let skip = if follows { attr_list_len(t) } else { 0 };
                    let (t, range) = (&t[skip..], range.start + skip..range.end);
                    if t.is_empty() {
                        continue;
                    }
                    let shown = match out.push_text(t, &range, source) {
                        Some(fixed) => CowStr::from(fixed),
                        None => CowStr::Borrowed(t),
                    };
                    html_events.push(Event::Text(shown));
                }
                Event::Code(c) => {
                    out.push_piece(c, range, source);
                    if let Some(last) = out.pieces.last_mut() {
                        last.code = true;
                    }
                    html_events.push(Event::Code(CowStr::Borrowed(c)));
                }
                Event::SoftBreak if joins_unspaced(&out.text, &inlines[i + 1..]) => {}
                Event::SoftBreak | Event::HardBreak => {
                    out.push_piece(" ", range, source);
                    html_events.push(event.clone());
                }
                Event::InlineHtml(h) | Event::Html(h) => {
                    if let Some(e) = out.push_html(h, range, source) {
                        html_events.push(e);
                    }
                }
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => {
                    let safe = is_safe_url(dest_url);
                    skip_link_end.push(!safe);
                    if safe {
                        html_events.push(Event::Start(Tag::Link {
                            link_type: *link_type,
                            dest_url: without_github_prefix(dest_url),
                            title: CowStr::Borrowed(title),
                            id: CowStr::Borrowed(id),
                        }));
                    }
                }
                Event::End(TagEnd::Link) => {
                    if skip_link_end.pop() != Some(true) {
                        html_events.push(event.clone());
                    }
                }
                // Images render as their alt text: checklists are read on paper too.
                Event::Start(Tag::Image { .. })
                | Event::End(TagEnd::Image)
                | Event::Rule
                | Event::TaskListMarker(_) => {}
                // A reference is its label, raised, linking to the footnote's text.
                Event::FootnoteReference(label) => html_events.extend([
                    Event::Start(Tag::Superscript),
                    Event::Start(Tag::Link {
                        link_type: pulldown_cmark::LinkType::Inline,
                        dest_url: format!("#{}", footnote_anchor(label)).into(),
                        title: CowStr::Borrowed(""),
                        id: CowStr::Borrowed(""),
                    }),
                    Event::Text(CowStr::Borrowed(label)),
                    Event::End(TagEnd::Link),
                    Event::End(TagEnd::Superscript),
                ]),
                Event::Start(_) | Event::End(_) => {
                    html_events.push(event.clone());
                }
                Event::InlineMath(m) | Event::DisplayMath(m) => {
                    out.push_piece(m, range, source);
                    html_events.push(Event::Code(m.clone()));
                }
            }
        }
        pulldown_cmark::html::push_html(&mut out.html, html_events.into_iter());
        if needs_collapse(&out.text) {
            out.text = collapse_spaces(&out.text);
        }
        // The raw text only matters when it differs from the text, which takes a repair.
        if out.repairs.is_empty() {
            out.raw.clear();
        } else {
            out.raw = collapse_spaces(&out.raw);
        }
        out
    }

    /// Source byte offset of a byte position in `text` (exact inside verbatim stretches, else the
    /// start of the stretch).
    #[must_use]
    pub(super) fn source_offset(&self, at: usize) -> usize {
        let i = self
            .pieces
            .partition_point(|p| p.text_start <= at)
            .saturating_sub(1);
        self.pieces.get(i).map_or(0, |p| {
            if p.verbatim {
                p.source_start + (at - p.text_start)
            } else {
                p.source_start
            }
        })
    }

    /// Whether a byte position of `text` lies in inline code.
    pub(super) fn in_code(&self, at: usize) -> bool {
        let i = self
            .pieces
            .partition_point(|p| p.text_start <= at)
            .saturating_sub(1);
        self.pieces.get(i).is_some_and(|p| p.code)
    }

    /// Adds text to the plain text; returns the repaired text when mojibake was repaired (else
    /// the text shows as it is).
    fn push_text(&mut self, t: &str, range: &Range<usize>, source: &str) -> Option<String> {
        match mojibake::repair(t) {
            None => match super::shortcodes::find(t) {
                None => {
                    self.push_piece(t, range, source);
                    None
                }
                Some(found) => Some(self.push_with_emoji(t, &found, range, source)),
            },
            Some((fixed, repairs)) => {
                if !self.raw_kept {
                    self.raw.clone_from(&self.text);
                    self.raw_kept = true;
                }
                let base = source
                    .get(range.clone())
                    .and_then(|s| s.find(t))
                    .map(|i| range.start + i);
                self.repairs.extend(repairs.into_iter().map(|mut r| {
                    let start = base.unwrap_or(range.start);
                    r.range = start + r.range.start..start + r.range.end;
                    r
                }));
                self.pieces.push(Piece {
                    text_start: self.text.len(),
                    source_start: base.unwrap_or(range.start),
                    verbatim: false,
                    code: false,
                });
                self.text.push_str(&fixed);
                self.raw.push_str(t);
                Some(fixed)
            }
        }
    }

    /// Adds text whose shortcodes (`found`) become their emoji; returns the text as shown. The
    /// words between them keep their exact place in the source.
    fn push_with_emoji(
        &mut self,
        t: &str,
        found: &[(Range<usize>, &'static str)],
        range: &Range<usize>,
        source: &str,
    ) -> String {
        let base = source
            .get(range.clone())
            .and_then(|s| s.find(t))
            .map(|i| range.start + i);
        let mut shown = String::with_capacity(t.len());
        let mut last = 0;
        for (code, emoji) in found.iter().cloned().chain([(t.len()..t.len(), "")]) {
            for (part, at, verbatim) in [
                (&t[last..code.start], last, true),
                (emoji, code.start, false),
            ] {
                if part.is_empty() {
                    continue;
                }
                self.pieces.push(Piece {
                    text_start: self.text.len(),
                    source_start: base.map_or(range.start, |b| b + at),
                    verbatim: verbatim && base.is_some(),
                    code: false,
                });
                self.text.push_str(part);
                shown.push_str(part);
            }
            last = code.end;
        }
        if self.raw_kept {
            self.raw.push_str(t);
        }
        shown
    }

    fn push_piece(&mut self, t: &str, range: &Range<usize>, source: &str) {
        let found = source.get(range.clone()).and_then(|s| {
            if s.starts_with(t) {
                Some(range.start)
            } else {
                s.find(t).map(|i| range.start + i)
            }
        });
        self.pieces.push(Piece {
            text_start: self.text.len(),
            source_start: found.unwrap_or(range.start),
            verbatim: found.is_some(),
            code: false,
        });
        self.text.push_str(t);
        if self.raw_kept {
            self.raw.push_str(t);
        }
    }

    /// Known tags are dropped from the text (and from the HTML, except `<br>`); anything else in
    /// angle brackets is text the author meant to show.
    fn push_html<'e>(
        &mut self,
        h: &'e str,
        range: &Range<usize>,
        source: &str,
    ) -> Option<Event<'e>> {
        let name: String = h
            .trim_start_matches('<')
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        if h.starts_with("<!--") {
            return None;
        }
        if KNOWN_TAGS.contains(&name.as_str()) {
            // A break or a block boundary separates words in the text, as on the page.
            if matches!(
                name.as_str(),
                "br" | "p" | "div" | "li" | "hr" | "td" | "th" | "tr"
            ) {
                self.push_piece(" ", range, source);
            }
            return (name == "br").then_some(Event::HardBreak);
        }
        self.push_piece(h, range, source);
        Some(Event::Text(CowStr::Borrowed(h)))
    }
}

/// `inlines` with adjacent texts that are the source as written joined into one: the parser
/// splits text at characters that might have been markup (`white_check_mark` comes as
/// `white`, `_check`, `_mark`), and a shortcode or a repair must see the words whole.
fn merge_texts<'a>(
    inlines: &'a [InlineEvent],
    source: &str,
) -> std::borrow::Cow<'a, [InlineEvent]> {
    let verbatim = |(event, range): &InlineEvent| match event {
        Event::Text(t) => source.get(range.clone()) == Some(t.as_ref()),
        _ => false,
    };
    let adjacent = inlines
        .windows(2)
        .any(|w| w[0].1.end == w[1].1.start && verbatim(&w[0]) && verbatim(&w[1]));
    if !adjacent {
        return std::borrow::Cow::Borrowed(inlines);
    }
    let mut out: Vec<InlineEvent> = Vec::with_capacity(inlines.len());
    let mut i = 0;
    while i < inlines.len() {
        // The run of adjacent verbatim texts starting at `i`, joined in one copy.
        let mut end = i + 1;
        if verbatim(&inlines[i]) {
            while end < inlines.len()
                && inlines[end - 1].1.end == inlines[end].1.start
                && verbatim(&inlines[end])
            {
                end += 1;
            }
        }
        if end - i > 1 {
            let range = inlines[i].1.start..inlines[end - 1].1.end;
            let text = CowStr::from(source[range.clone()].to_owned());
            out.push((Event::Text(text), range));
        } else {
            out.push(inlines[i].clone());
        }
        i = end;
    }
    std::borrow::Cow::Owned(out)
}

/// The element id of the footnote labelled `label` on a page: `fn:` and the label's slug (or its
/// code points in hex when it has no letters or digits). Section and item ids never contain `:`.
#[must_use]
pub fn footnote_anchor(label: &str) -> String {
    let slug = slug(label);
    if slug.is_empty() {
        let mut anchor = String::from("fn:");
        for c in label.chars() {
            let _ = write!(anchor, "{:x}", u32::from(c));
        }
        anchor
    } else {
        format!("fn:{slug}")
    }
}

/// Decodes `%XX` escapes; `None` when an escape is malformed or the result is not UTF-8.
#[must_use]
pub fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Whether a link target is safe to keep: relative, a fragment, or http(s)/mailto.
#[must_use]
pub fn is_safe_url(url: &str) -> bool {
    let lower: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    match lower.split_once(':') {
        None => true,
        Some((scheme, _)) if scheme.contains(['/', '?', '#']) => true,
        Some((scheme, _)) => matches!(scheme, "http" | "https" | "mailto" | "tel"),
    }
}

/// Whether `s` has leading, trailing, doubled or non-space whitespace.
fn needs_collapse(s: &str) -> bool {
    let bytes = s.as_bytes();
    bytes.first().is_some_and(u8::is_ascii_whitespace)
        || bytes.last().is_some_and(u8::is_ascii_whitespace)
        || bytes.windows(2).any(|w| w[0] == b' ' && w[1] == b' ')
        || bytes.iter().any(|&b| b != b' ' && b.is_ascii_whitespace())
        || (!s.is_ascii() && s.chars().any(|c| !c.is_ascii() && c.is_whitespace()))
}

/// Collapses runs of whitespace into one space and trims.
#[must_use]
pub(super) fn collapse_spaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The text in lower case with runs of white space as one space, built in one pass: the key
/// under which two texts count as the same.
#[must_use]
pub fn fold(text: &str) -> String {
    let nfc = composed(text);
    let text = nfc.as_deref().unwrap_or(text);
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        if word.is_ascii() {
            out.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        } else {
            out.extend(word.chars().flat_map(char::to_lowercase));
        }
    }
    out
}

/// `text` in Unicode's composed form (NFC) when it is not already, so that `é` typed as `e` and
/// a combining accent (as some editors and macOS file names write it) is the same letter.
fn composed(text: &str) -> Option<String> {
    if text.is_ascii() || is_nfc_quick(text.chars()) == IsNormalized::Yes {
        None
    } else {
        Some(text.nfc().collect())
    }
}

/// A URL-safe, lower-case slug: letters and digits kept, everything else folded into `-`;
/// accents written as combining marks are composed first.
#[must_use]
pub fn slug(s: &str) -> String {
    let nfc = composed(s);
    let s = nfc.as_deref().unwrap_or(s);
    let mut out = String::with_capacity(s.len());
    let mut dash = false;
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        } else if !c.is_ascii() && c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else if c != '\'' && c != '’' {
            dash = true;
        }
    }
    out
}

/// Whether `c` is an invisible control of text direction (U+202A–U+202E, U+2066–U+2069,
/// U+200E, U+200F, U+061C), which can make text read in another order than it is written.
#[must_use]
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Whether `c` is a character with no glyph of its own that can hide in text: a soft hyphen, a
/// zero-width space, joiner or non-joiner, a word joiner, a byte-order mark, or a control of
/// text direction.
#[must_use]
pub fn is_invisible(c: char) -> bool {
    is_bidi_control(c)
        || matches!(c, '\u{ad}' | '\u{200b}'..='\u{200d}' | '\u{2060}'..='\u{2064}' | '\u{feff}')
}

/// Whether `c` is an emoji or pictograph (including the joiners and selectors of emoji).
#[must_use]
pub fn is_emoji(c: char) -> bool {
    matches!(c as u32,
        0x2300..=0x23FF
        | 0x2600..=0x27BF
        | 0x2B00..=0x2BFF
        | 0x1F000..=0x1FAFF
        | 0xFE0E..=0xFE0F
        | 0x200D
        | 0x20E3
        | 0xE0020..=0xE007F
        | 0x2190..=0x21FF
        | 0x25A0..=0x25FF
        | 0x3030 | 0x303D | 0x3297 | 0x3299
        | 0x2122 | 0x2139 | 0x203C | 0x2049)
        && c != '™'
}

/// Splits leading and trailing emoji off `s`: `(icon, rest)`, the icon being the emoji found
/// first (leading ones before trailing ones).
#[must_use]
pub(super) fn strip_emoji(s: &str) -> (Option<String>, String) {
    let trimmed = s.trim();
    let lead_end = trimmed
        .find(|c: char| !is_emoji(c) && !c.is_whitespace())
        .unwrap_or(trimmed.len());
    let lead = trimmed[..lead_end].trim();
    let rest = &trimmed[lead_end..];
    let tail_start = rest
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_emoji(*c) || c.is_whitespace())
        .last()
        .map_or(rest.len(), |(i, _)| i);
    let tail = rest[tail_start..].trim();
    let icon = [lead, tail]
        .into_iter()
        .find(|s| !s.is_empty())
        .map(|s| s.split_whitespace().next().unwrap_or(s).to_owned());
    (icon, rest[..tail_start].trim().to_owned())
}

/// The length of an attribute list that opens `text` (`{ width="300" }`, `{: .center }`,
/// `{ #plan .wide }`), as MkDocs' `attr_list` writes after a link or an image; 0 when there is
/// none. A lone `{#id}` is left: it may be an item's explicit id.
fn attr_list_len(text: &str) -> usize {
    static ATTR_LIST: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"^\{:?\s*(?:(?:[.#][\w-]+|[\w-]+=(?:"[^"\n]*"|'[^'\n]*'|[^\s}"']+))\s*)+\}"#)
            .unwrap_or_else(|e| unreachable!("{e}"))
    });
    if !text.starts_with('{') {
        return 0;
    }
    ATTR_LIST.find(text).map_or(0, |m| {
        let inner = m.as_str()[1..m.len() - 1].trim_start_matches(':').trim();
        let lone_id = inner.starts_with('#') && !inner.contains(char::is_whitespace);
        if lone_id { 0 } else { m.len() }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: MkDocs attribute lists after an image or link (`{ width="300" }`) were
    /// left in the text on the site, in print and in the JSON.
    #[test]
    fn attribute_lists_after_links_and_images_are_not_text() {
        let text = |md: &str| {
            crate::pipeline::from_bytes("t.md", "t", md.as_bytes())
                .checklist
                .blocks[0]
                .clone()
        };
        for (md, want) in [
            (
                "![Start baseline](b.png){ width=\"300\" } then go\n",
                "Start baseline then go",
            ),
            ("[Runbook](r.md){: .button target=_blank }\n", "Runbook"),
            (
                "[Runbook](r.md) { not attributes }\n",
                "Runbook { not attributes }",
            ),
        ] {
            let crate::model::Block::Paragraph { text, .. } = text(md) else {
                panic!("{md}: not a paragraph");
            };
            assert_eq!(text, want, "{md}");
        }
        assert_eq!(attr_list_len("{#rollback-step}"), 0);
        assert_eq!(attr_list_len("{ #plan .wide } x"), 15);
    }
    use crate::parse;

    fn first_inlines(md: &str) -> (Inlines, String) {
        let doc = parse::parse(md.as_bytes());
        let inlines = match doc.nodes.into_iter().next() {
            Some(parse::Node::Paragraph { inlines, .. } | parse::Node::Heading { inlines, .. }) => {
                inlines
            }
            other => panic!("unexpected {other:?}"),
        };
        (inlines, doc.text)
    }

    /// Regression: a line broken inside Japanese or Chinese text read `起動することを 確認する`.
    #[test]
    fn lines_broken_inside_chinese_or_japanese_join_without_a_space() {
        for (md, text) in [
            ("起動することを\n確認する。\n", "起動することを確認する。"),
            ("部署到\n生产环境\n", "部署到生产环境"),
            ("Restart the\nservice\n", "Restart the service"),
            ("確認する\nthen deploy\n", "確認する then deploy"),
            ("배포를\n확인\n", "배포를 확인"),
            ("次に\n**重要な**設定\n", "次に重要な設定"),
            ("設定を\n`kubectl`で\n", "設定を kubectlで"),
        ] {
            let (inlines, src) = first_inlines(md);
            let inline = Inline::render(&inlines, &src);
            assert_eq!(inline.text, text);
            assert_eq!(
                inline.html.contains('\n'),
                text.contains(' '),
                "{}",
                inline.html
            );
        }
    }

    #[test]
    fn text_is_what_a_reader_sees() {
        let (inlines, src) =
            first_inlines("**Run** `make test` and *check*  the <kbd>logs</kbd>\n");
        let inline = Inline::render(&inlines, &src);
        assert_eq!(inline.text, "Run make test and check the logs");
        assert!(
            inline.html.contains("<code>make test</code>"),
            "{}",
            inline.html
        );
        assert!(!inline.html.contains("kbd"), "{}", inline.html);
    }

    #[test]
    fn unknown_tags_are_text_and_scripts_are_escaped() {
        let (inlines, src) = first_inlines("Set <GENERATED> then <script>alert(1)</script>\n");
        let inline = Inline::render(&inlines, &src);
        assert!(inline.text.contains("<GENERATED>"), "{}", inline.text);
        assert!(!inline.html.contains("<script>"), "{}", inline.html);
        assert!(inline.html.contains("&lt;GENERATED&gt;"), "{}", inline.html);
    }

    #[test]
    fn javascript_links_are_dropped() {
        let (inlines, src) = first_inlines("[click](javascript:alert(1)) [ok](https://x.test)\n");
        let inline = Inline::render(&inlines, &src);
        assert!(!inline.html.contains("javascript"), "{}", inline.html);
        assert!(
            inline.html.contains("href=\"https://x.test\""),
            "{}",
            inline.html
        );
        assert_eq!(inline.text, "click ok");
    }

    #[test]
    fn offsets_map_back_to_source() {
        let (inlines, src) = first_inlines("**Ops**: [Contact Info]\n");
        let inline = Inline::render(&inlines, &src);
        let at = inline.text.find("[Contact").unwrap_or_default();
        assert_eq!(&src[inline.source_offset(at)..][..8], "[Contact");
    }

    #[test]
    fn slugs_fold_punctuation() {
        assert_eq!(slug("Code & Repository"), "code-repository");
        assert_eq!(
            slug("  Don't Deploy on Fridays! "),
            "dont-deploy-on-fridays"
        );
        assert_eq!(slug("SSL/TLS Configuration"), "ssl-tls-configuration");
    }

    /// Regression: an accent written as a combining mark (NFD) cut the word in two, so the id
    /// of `Vérifier le résumé` changed when an editor saved it decomposed.
    #[test]
    fn decomposed_accents_slug_and_fold_as_composed_ones() {
        let composed = "V\u{e9}rifier le r\u{e9}sum\u{e9}";
        let decomposed = "Ve\u{301}rifier le re\u{301}sume\u{301}";
        assert_eq!(slug(decomposed), "vérifier-le-résumé");
        assert_eq!(slug(decomposed), slug(composed));
        assert_eq!(fold(decomposed), fold(composed));
    }

    #[test]
    fn emoji_are_split_from_titles() {
        assert_eq!(
            strip_emoji("✅ PRE-DEPLOYMENT"),
            (Some("✅".into()), "PRE-DEPLOYMENT".into())
        );
        assert_eq!(
            strip_emoji("Code Quality ✅"),
            (Some("✅".into()), "Code Quality".into())
        );
        assert_eq!(strip_emoji("Plain"), (None, "Plain".into()));
    }
}
