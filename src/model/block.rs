//! Blocks: the content of sections and items (lists, paragraphs, code, tables, sign-off fields).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Item;

/// A block of content, tagged by `type` in JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Block {
    /// A paragraph of prose.
    Paragraph {
        /// Source line.
        line: u32,
        /// Plain text.
        text: String,
        /// Sanitised HTML of the inline markup.
        html: String,
    },
    /// A list of items (tasks, steps, criteria or bullets).
    List {
        /// Source line.
        line: u32,
        /// Whether the list is numbered.
        ordered: bool,
        /// First number of a numbered list.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        start: Option<u64>,
        /// The items.
        items: Vec<Item>,
    },
    /// A fenced or indented code block.
    Code {
        /// Source line of the opening fence.
        line: u32,
        /// Language from the info string, lower-cased (`bash`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        lang: Option<String>,
        /// What the code is for.
        kind: CodeKind,
        /// The code, verbatim.
        text: String,
        /// For env templates: the variables, in order.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        env: Vec<EnvVar>,
        /// Parameters the operator fills in (`<previous-tag>`, `your-api-key`).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        placeholders: Vec<Placeholder>,
    },
    /// A table.
    Table {
        /// Source line.
        line: u32,
        /// What the table is for.
        kind: TableKind,
        /// Header cells as plain text.
        headers: Vec<String>,
        /// Body rows as plain text cells; an empty string is a blank to fill in.
        rows: Vec<Vec<String>>,
        /// The cells as sanitised HTML, when one has inline markup (a link, code, emphasis):
        /// the plain text alone would lose its link targets.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        html: Option<TableHtml>,
        /// For a table of tasks (`kind` `tasks`), the column (from 0) of its boxes.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        tick_column: Option<usize>,
        /// For a table of tasks, one task per body row, in order: its id, whether its box is
        /// ticked, and the text of the row's main cell (the `Task` or `Action` column).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        items: Vec<Item>,
    },
    /// Lines of `**Label**: value`, such as sign-off fields or contacts.
    Fields {
        /// Source line.
        line: u32,
        /// What the fields are for.
        kind: FieldsKind,
        /// The fields, in order.
        fields: Vec<Field>,
    },
    /// A block quote, a GitHub alert, or the text of a footnote.
    Quote {
        /// Source line.
        line: u32,
        /// For a footnote's text, its label (`1` for `[^1]: …`); references to it link to it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        footnote: Option<String>,
        /// For a GitHub alert (`> [!WARNING]`), its kind: `note`, `tip`, `important`, `warning`
        /// or `caution`; an MkDocs admonition (`!!! danger`) has the nearest of them.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        alert: Option<String>,
        /// An admonition's own title, when it is not the alert kind's: the quoted title of
        /// `!!! warning "Before you start"`, or the type as written (`Danger` for `!!! danger`).
        /// Empty when the header hides the title (`!!! note ""`). A content tab
        /// (`=== "Linux"`) is a quote with a title and no `alert`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        title: Option<String>,
        /// Its content.
        blocks: Vec<Block>,
    },
    /// Raw HTML from the source, kept as text (renderers sanitise or escape it).
    Html {
        /// Source line.
        line: u32,
        /// The HTML as written.
        text: String,
    },
}

/// What a code block is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum CodeKind {
    /// Shell or console commands to run.
    Commands,
    /// `KEY=value` lines of environment variables.
    EnvTemplate,
    /// A configuration file (YAML, JSON, TOML, INI, nginx…).
    Config,
    /// Any other code.
    Other,
}

/// One variable of an env template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnvVar {
    /// Variable name.
    pub key: String,
    /// Value as written, quotes kept.
    pub value: String,
    /// Whether the name looks like it holds a secret (password, token, key…).
    pub secret: bool,
    /// Whether the value is a placeholder to replace (`...`, `your-key`, `<GENERATED>`, empty).
    pub placeholder: bool,
    /// Source line.
    pub line: u32,
}

/// What a table is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum TableKind {
    /// Roles to sign (a `Signature` column, or roles with blank name and date).
    SignOff,
    /// People to contact.
    Contacts,
    /// Steps to tick, one per row: a column of boxes (`[ ]`, `☐`, `⬜`, `[x]`, `✅`), or of
    /// empty cells under a header such as `Done` or `✓`.
    Tasks,
    /// Anything else.
    Other,
}

/// What a group of fields is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum FieldsKind {
    /// Lines to fill in on deployment day (`**Deployed By**: ____`).
    SignOff,
    /// Contact details.
    Contacts,
    /// Document metadata (`**Version**: 1.0`).
    Meta,
    /// Anything else.
    Other,
}

/// A table's cells as sanitised HTML, in the shape of its plain text cells.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TableHtml {
    /// Header cells.
    pub headers: Vec<String>,
    /// Body rows.
    pub rows: Vec<Vec<String>>,
}

/// One `**Label**: value` line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// The label, without the colon.
    pub label: String,
    /// The value as plain text; empty when blank.
    pub value: String,
    /// The value as sanitised HTML, when it has inline markup (a link, code, emphasis).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub html: Option<String>,
    /// Whether the value is left to fill in (empty or a line of underscores).
    pub blank: bool,
    /// Choices to tick (`⬜ Success / ⬜ Rolled Back`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<Choice>,
    /// Placeholders in the value.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub placeholders: Vec<Placeholder>,
    /// Source line.
    pub line: u32,
}

/// One option of a choice line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// Its label.
    pub label: String,
    /// Whether it is ticked in the source (`☑`, `✅`, `[x]`).
    pub checked: bool,
}

/// A value still to fill in, found in text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Placeholder {
    /// The placeholder as written (`[Contact Info]`).
    pub text: String,
    /// Its shape.
    pub kind: PlaceholderKind,
    /// Source line.
    pub line: u32,
    /// Source column (1-based, in characters).
    pub column: u32,
}

/// The shape of a placeholder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum PlaceholderKind {
    /// `<GENERATED>`, `<previous-tag>`.
    Angle,
    /// `[Name]`, `[Contact Info]`.
    Bracket,
    /// A line of underscores to write on.
    Blank,
    /// Masked digits: `+1-XXX-XXX-XXXX`.
    Masked,
    /// An example value to replace: `your-api-key`, `change-me`, `...`.
    Example,
    /// A template variable: `{{version}}`, `{{ .Release }}`.
    Template,
    /// A value not known yet: `TBD`, `???`, a date or time format (`YYYY-MM-DD`, `HH:MM`).
    Unknown,
}

impl Block {
    /// Items of this block and their descendants, depth first.
    pub fn walk_items(&self) -> Box<dyn Iterator<Item = &Item> + '_> {
        match self {
            Block::List { items, .. } => Box::new(items.iter().flat_map(Item::walk)),
            Block::Quote { blocks, .. } => Box::new(blocks.iter().flat_map(Block::walk_items)),
            Block::Table { items, .. } => Box::new(items.iter()),
            _ => Box::new(std::iter::empty()),
        }
    }

    /// Whether a reader sees nothing of the block: raw HTML that is only comments
    /// (`<!-- Describe the rollback -->`, as pull-request templates leave).
    #[must_use]
    pub fn is_unseen(&self) -> bool {
        let Block::Html { text, .. } = self else {
            return false;
        };
        let mut rest = text.trim_start();
        while let Some(after) = rest.strip_prefix("<!--") {
            let Some(end) = after.find("-->") else {
                return true;
            };
            rest = after[end + 3..].trim_start();
        }
        rest.is_empty()
    }

    /// Source line of the block.
    #[must_use]
    pub fn line(&self) -> u32 {
        match self {
            Block::Paragraph { line, .. }
            | Block::List { line, .. }
            | Block::Code { line, .. }
            | Block::Table { line, .. }
            | Block::Fields { line, .. }
            | Block::Quote { line, .. }
            | Block::Html { line, .. } => *line,
        }
    }
}

/// The title a GitHub alert of `kind` shows (`Warning` for `warning`), unless it has its own.
#[must_use]
pub fn alert_title(kind: &str) -> &'static str {
    match kind {
        "tip" => "Tip",
        "important" => "Important",
        "warning" => "Warning",
        "caution" => "Caution",
        _ => "Note",
    }
}

/// Elements whose content a reader never sees as text.
const HIDDEN_CONTENT: [&str; 3] = ["script", "style", "template"];

/// The text a reader sees of raw HTML: comments, tags and the content of scripts and styles
/// dropped, the common entities decoded, runs of white space made one space.
/// `<details><summary>More</summary>` gives `More`.
#[must_use]
pub fn html_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            out.push(' ');
        } else if c == '<' && rest[1..].starts_with(|n: char| n.is_ascii_alphabetic() || n == '/') {
            let name_len = rest[1..]
                .find(|n: char| !n.is_ascii_alphanumeric())
                .unwrap_or(rest.len() - 1);
            let name = &rest[1..=name_len];
            rest = rest.find('>').map_or("", |end| &rest[end + 1..]);
            if let Some(hidden) = HIDDEN_CONTENT.iter().find(|h| h.eq_ignore_ascii_case(name)) {
                rest = after_closing(rest, hidden);
            }
            out.push(' ');
        } else if let Some((decoded, len)) = entity(rest) {
            out.push(decoded);
            rest = &rest[len..];
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What follows the closing tag `</name…>` in `html` (ASCII case ignored); empty without one.
fn after_closing<'h>(html: &'h str, name: &str) -> &'h str {
    let bytes = html.as_bytes();
    let mut from = 0;
    while let Some(at) = memchr::memmem::find(&bytes[from..], b"</").map(|i| from + i) {
        let tag = &bytes[at + 2..];
        if tag.len() >= name.len() && tag[..name.len()].eq_ignore_ascii_case(name.as_bytes()) {
            return html[at..].find('>').map_or("", |end| &html[at + end + 1..]);
        }
        from = at + 2;
    }
    ""
}

/// A named or numeric character reference at the start of `text`: the character and the length
/// of the reference.
fn entity(text: &str) -> Option<(char, usize)> {
    const NAMED: &[(&str, char)] = &[
        ("&amp;", '&'),
        ("&lt;", '<'),
        ("&gt;", '>'),
        ("&quot;", '"'),
        ("&apos;", '\''),
        ("&#39;", '\''),
        ("&nbsp;", ' '),
    ];
    if !text.starts_with('&') {
        return None;
    }
    if let Some((name, c)) = NAMED.iter().find(|(n, _)| text.starts_with(n)) {
        return Some((*c, name.len()));
    }
    let body = text.strip_prefix("&#")?;
    let end = body.find(';').filter(|&e| e <= 8)?;
    let code = match body[..end].strip_prefix(['x', 'X']) {
        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
        None => body[..end].parse().ok()?,
    };
    Some((char::from_u32(code)?, end + 3))
}

#[cfg(test)]
mod tests {
    use super::html_text;

    #[test]
    fn text_of_html_drops_tags_comments_scripts_and_styles() {
        assert_eq!(
            html_text("<details><summary>More</summary>Body &amp; more</details>"),
            "More Body & more"
        );
        assert_eq!(
            html_text("a<SCRIPT type=x>if (a < b) alert(1)</Script >b<!-- c -->d"),
            "a b d"
        );
        assert_eq!(
            html_text("<style>p{}</style>Shown<template>x</template>"),
            "Shown"
        );
        assert_eq!(html_text("<script>never closed"), "");
        assert_eq!(html_text("<scripts>kept</scripts>"), "kept");
    }
}
