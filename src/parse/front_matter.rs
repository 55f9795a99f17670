//! YAML front matter: splitting it from the Markdown and reading it with budget limits.
//!
//! Input: the decoded text. Output: the byte offset where Markdown starts, the key/value pairs,
//! and diagnostics. A document that starts with a `---` line has front matter up to the next
//! `---` or `...` line. YAML is read by serde-saphyr with a small budget, so alias bombs and
//! huge documents are refused quickly; duplicate keys are errors.

use std::collections::HashMap;

use serde_json::Value;

use crate::diag::{Diagnostic, LineIndex, Position, Severity};

/// Front matter that was read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter {
    /// Key/value pairs in source order.
    pub fields: Vec<(String, Value)>,
    /// Line of the opening `---`.
    pub line: u32,
    /// The line of each top-level key, where it could be found.
    pub key_lines: Vec<(String, u32)>,
}

impl FrontMatter {
    /// The line where `key` is written, else the line of the opening fence.
    #[must_use]
    pub fn line_of(&self, key: &str) -> u32 {
        self.key_lines
            .iter()
            .find(|(k, _)| k == key)
            .map_or(self.line, |(_, line)| *line)
    }
}

/// The line of each top-level key of YAML (`key: value`) or TOML (`key = value`, `[key]`) front
/// matter whose first line is `first_line` of the file.
fn key_lines(text: &str, first_line: u32) -> Vec<(String, u32)> {
    let mut out: Vec<(String, u32)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.starts_with([' ', '\t', '#', '-']) {
            continue;
        }
        let key = match line.strip_prefix('[') {
            Some(table) => table.split(']').next(),
            None => line
                .split([':', '='])
                .next()
                .filter(|_| line.contains([':', '='])),
        };
        let Some(key) = key.map(|k| k.trim().trim_matches(['"', '\''])) else {
            continue;
        };
        if !key.is_empty() && !out.iter().any(|(k, _)| k == key) {
            let line = first_line.saturating_add(u32::try_from(i).unwrap_or(u32::MAX));
            out.push((key.to_owned(), line));
        }
    }
    out
}

/// Result of splitting front matter from a document.
#[derive(Debug, Default)]
pub(super) struct Split {
    /// The front matter, when present and valid.
    pub front_matter: Option<FrontMatter>,
    /// Byte offset where the Markdown body starts.
    pub body_start: usize,
    /// Problems found.
    pub diagnostics: Vec<Diagnostic>,
}

/// Splits and reads the front matter of `text`.
#[must_use]
pub(super) fn split(text: &str) -> Split {
    if let Some(first_end) = toml_fence_end(text) {
        return split_toml(text, first_end);
    }
    let Some(first_end) = opening_fence_end(text) else {
        return Split::default();
    };
    let Some((yaml_end, body_start)) = closing_fence(text, first_end) else {
        return unterminated("---");
    };
    let yaml = &text[first_end..yaml_end];
    let line_offset = LineIndex::new(text).line_of(first_end) - 1;
    match read_yaml(yaml, line_offset) {
        Ok((fields, diagnostics)) => Split {
            front_matter: Some(FrontMatter {
                fields,
                line: 1,
                key_lines: key_lines(yaml, line_offset + 1),
            }),
            body_start,
            diagnostics,
        },
        Err(d) => Split {
            front_matter: None,
            body_start,
            diagnostics: vec![d],
        },
    }
}

/// End of the opening `---` line, when the text starts with one.
fn opening_fence_end(text: &str) -> Option<usize> {
    let rest = text.strip_prefix("---")?;
    let line_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
    rest[..line_end].trim().is_empty().then_some(3 + line_end)
}

/// Front matter opened by `fence` and never closed: an error, and the whole text is the body.
fn unterminated(fence: &str) -> Split {
    let d = Diagnostic::new(
        "front-matter",
        Severity::Error,
        format!("unterminated front matter: the opening `{fence}` has no closing `{fence}`"),
        Position {
            line: 1,
            column: 1,
            width: 3,
        },
    )
    .with_hint(format!(
        "add a line with `{fence}` after the last front matter key, or remove the first line"
    ));
    Split {
        diagnostics: vec![d],
        ..Split::default()
    }
}

/// End of the opening `+++` line of TOML front matter (as Hugo and Zola write it).
fn toml_fence_end(text: &str) -> Option<usize> {
    let rest = text.strip_prefix("+++")?;
    let line_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
    rest[..line_end].trim().is_empty().then_some(3 + line_end)
}

/// Splits and reads TOML front matter between `+++` lines.
fn split_toml(text: &str, first_end: usize) -> Split {
    let Some((toml_end, body_start)) = closing_line(text, first_end, &["+++"]) else {
        return unterminated("+++");
    };
    let toml = &text[first_end..toml_end];
    let parsed = toml::from_str::<toml::Table>(toml).and_then(|_| toml::de::DeTable::parse(toml));
    match parsed {
        Ok(table) => Split {
            front_matter: Some(FrontMatter {
                fields: table
                    .get_ref()
                    .iter()
                    .map(|(key, value)| (key.get_ref().to_string(), toml_to_json(value.get_ref())))
                    .collect(),
                line: 1,
                key_lines: key_lines(toml, 2),
            }),
            body_start,
            diagnostics: Vec::new(),
        },
        Err(e) => {
            let at = e.span().map_or(first_end, |span| first_end + span.start);
            let lines = LineIndex::new(text);
            let mut position = lines.position(text, at..at + 1);
            position.width = 1;
            let message = e
                .message()
                .lines()
                .next()
                .unwrap_or("invalid TOML")
                .to_owned();
            Split {
                front_matter: None,
                body_start,
                diagnostics: vec![Diagnostic::new(
                    "front-matter",
                    Severity::Error,
                    format!("front matter is not valid TOML: {message}; it is ignored"),
                    position,
                )],
            }
        }
    }
}

/// A TOML value as JSON; numbers that are not integers, dates and times as they are written
/// (`version = 1.10` is `"1.10"`, as in YAML front matter, not the number 1.1).
fn toml_to_json(value: &toml::de::DeValue<'_>) -> Value {
    use toml::de::DeValue;
    match value {
        DeValue::String(s) => Value::String(s.to_string()),
        DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
            .map_or_else(|_| Value::String(i.to_string()), Value::from),
        DeValue::Float(f) => Value::String(f.as_str().to_owned()),
        DeValue::Boolean(b) => Value::Bool(*b),
        DeValue::Datetime(d) => Value::String(d.to_string()),
        DeValue::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| toml_to_json(item.get_ref()))
                .collect(),
        ),
        DeValue::Table(table) => Value::Object(
            table
                .iter()
                .map(|(k, v)| (k.get_ref().to_string(), toml_to_json(v.get_ref())))
                .collect(),
        ),
    }
}

/// Start of the closing fence line and the offset after it.
fn closing_fence(text: &str, from: usize) -> Option<(usize, usize)> {
    closing_line(text, from, &["---", "..."])
}

/// Start of the first line from `from` that reads one of `marks`, and the offset after it.
fn closing_line(text: &str, from: usize, marks: &[&str]) -> Option<(usize, usize)> {
    let mut start = from;
    while start < text.len() {
        let end = text[start..]
            .find('\n')
            .map_or(text.len(), |i| start + i + 1);
        let line = text[start..end].trim_end();
        if marks.contains(&line) {
            return Some((start, end));
        }
        start = end;
    }
    None
}

/// The plain scalars of top-level `key: value` lines, as written (without a trailing comment),
/// by key, in one pass over the YAML.
fn top_level_scalars(yaml: &str) -> HashMap<&str, &str> {
    let mut found = HashMap::new();
    for line in yaml.lines() {
        if line.starts_with([' ', '\t', '#', '-']) {
            continue;
        }
        let Some((key, rest)) = line.split_once(':') else {
            continue;
        };
        let key = key.trim().trim_matches(['"', '\'']);
        let comment = [" #", "\t#"].iter().filter_map(|c| rest.find(c)).min();
        let raw = comment.map_or(rest, |at| &rest[..at]).trim();
        let plain =
            !raw.is_empty() && !raw.starts_with(['"', '\'', '[', '{', '&', '*', '|', '>', '!']);
        if plain {
            found.entry(key).or_insert(raw);
        }
    }
    found
}

/// A top-level number or boolean as its text: YAML reads `version: 1.10` as the number 1.1,
/// `owner: 0755` as 755 and `status: no` as false, but the author wrote `1.10`, `0755` and `no`.
fn as_written(written: &HashMap<&str, &str>, key: &str, value: Value) -> Value {
    if !matches!(value, Value::Number(_) | Value::Bool(_)) {
        return value;
    }
    written
        .get(key)
        .map_or(value, |raw| Value::String((*raw).to_owned()))
}

/// Most YAML events (values, keys, starts and ends of collections) read.
const MAX_EVENTS: usize = 20_000;
/// Most aliases (`*name`), and most anchors (`&name`).
const MAX_ALIASES: usize = 100;
/// Deepest nesting of collections.
const MAX_DEPTH: usize = 32;

/// Front matter fields in the order written.
type Fields = Vec<(String, Value)>;

fn budget_options(duplicate_keys: serde_saphyr::DuplicateKeyPolicy) -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_events = MAX_EVENTS;
    budget.max_aliases = MAX_ALIASES;
    budget.max_anchors = MAX_ALIASES;
    budget.max_depth = MAX_DEPTH;
    budget.max_recorded_anchor_events = MAX_EVENTS;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    options.duplicate_keys = duplicate_keys;
    options
}

/// The front matter's fields, with a warning for each key given twice (issue templates often
/// repeat one): the last value is used, as most YAML readers do.
fn read_yaml(yaml: &str, line_offset: u32) -> Result<(Fields, Vec<Diagnostic>), Diagnostic> {
    use serde_saphyr::DuplicateKeyPolicy;
    if yaml.trim().is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let mut warnings = Vec::new();
    let value: Value = match serde_saphyr::from_str_with_options(
        yaml,
        budget_options(DuplicateKeyPolicy::Error),
    ) {
        Ok(value) => value,
        Err(e) => {
            let serde_saphyr::Error::DuplicateMappingKey { key, location } = e.without_snippet()
            else {
                return Err(yaml_diagnostic(&e, line_offset));
            };
            let key = crate::diag::escape_controls(key.as_deref().unwrap_or("a key"));
            warnings.push(
                Diagnostic::new(
                    "front-matter",
                    Severity::Warning,
                    format!("front matter key `{key}` is given twice; the last value is used"),
                    Position::line(
                        u32::try_from(location.line()).unwrap_or(1).max(1) + line_offset,
                    ),
                )
                .with_hint("delete one of them"),
            );
            serde_saphyr::from_str_with_options(yaml, budget_options(DuplicateKeyPolicy::LastWins))
                .map_err(|e| yaml_diagnostic(&e, line_offset))?
        }
    };
    match value {
        Value::Object(map) => {
            let written = top_level_scalars(yaml);
            let fields = map
                .into_iter()
                .map(|(key, value)| {
                    let value = as_written(&written, &key, value);
                    (key, value)
                })
                .collect();
            Ok((fields, warnings))
        }
        Value::Null => Ok((Vec::new(), warnings)),
        _ => Err(Diagnostic::new(
            "front-matter",
            Severity::Error,
            "front matter is not a mapping of `key: value` lines",
            Position::line(line_offset + 1),
        )),
    }
}

fn yaml_diagnostic(e: &serde_saphyr::Error, line_offset: u32) -> Diagnostic {
    let (line, column) = e.location().map_or((1, 1), |l| {
        (
            u32::try_from(l.line()).unwrap_or(1),
            u32::try_from(l.column()).unwrap_or(1),
        )
    });
    let message = if let Some(reason) = budget_reason(e) {
        format!("front matter too large to read safely: {reason}")
    } else {
        let message = e.without_snippet().to_string();
        let message = message.lines().next().unwrap_or("invalid YAML").trim();
        let message = message.find(" at line ").map_or(message, |i| &message[..i]);
        format!("invalid front matter: {message}")
    };
    Diagnostic::new(
        "front-matter",
        Severity::Error,
        message,
        Position {
            line: line.max(1) + line_offset,
            column: column.max(1),
            width: 1,
        },
    )
}

/// Which limit a front matter went past, in words, when that is why it was not read.
fn budget_reason(e: &serde_saphyr::Error) -> Option<String> {
    use serde_saphyr::budget::BudgetBreach;
    let mut e = e;
    while let serde_saphyr::Error::AliasError { error, .. }
    | serde_saphyr::Error::WithSnippet { error, .. } = e
    {
        e = error;
    }
    let serde_saphyr::Error::Budget { breach, .. } = e else {
        return None;
    };
    Some(match breach {
        BudgetBreach::Aliases { .. } => format!("more than {MAX_ALIASES} aliases (`*name`)"),
        BudgetBreach::Anchors { .. } => format!("more than {MAX_ALIASES} anchors (`&name`)"),
        BudgetBreach::Depth { .. } => format!("nested more than {MAX_DEPTH} levels deep"),
        _ => format!("more than {MAX_EVENTS} keys and values"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt::Write as _;

    #[test]
    fn reads_keys_in_order() {
        let s = split("---\ntitle: Deploy\nversion: 2\n---\n# Body\n");
        let fm = s.front_matter.unwrap_or_default();
        let keys: Vec<_> = fm.fields.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["title", "version"]);
        assert_eq!(
            &"---\ntitle: Deploy\nversion: 2\n---\n# Body\n"[s.body_start..],
            "# Body\n"
        );
    }

    #[test]
    fn no_front_matter_without_leading_fence() {
        let s = split("# Title\n---\n");
        assert!(s.front_matter.is_none());
        assert_eq!(s.body_start, 0);
    }

    #[test]
    fn unterminated_is_an_error_at_line_1() {
        let s = split("---\ntitle: x\n# Body\n");
        assert_eq!(s.diagnostics.len(), 1);
        assert_eq!(s.diagnostics[0].line, 1);
        assert_eq!(s.body_start, 0);
    }

    #[test]
    fn malformed_yaml_is_located_in_the_file() {
        let s = split("---\ntitle: x\n  bad: [\n---\nbody\n");
        assert_eq!(s.diagnostics.len(), 1, "{:?}", s.diagnostics);
        assert!(s.diagnostics[0].line >= 2, "{:?}", s.diagnostics);
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut yaml = String::from("---\na: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..9u8 {
            let prev = (b'a' + i) as char;
            let next = (b'b' + i) as char;
            let _ = writeln!(
                yaml,
                "{next}: &{next} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]"
            );
        }
        yaml.push_str("---\n");
        let s = split(&yaml);
        assert_eq!(
            s.diagnostics.len(),
            1,
            "{:?}",
            s.front_matter.map(|f| f.fields.len())
        );
        assert_eq!(
            s.diagnostics[0].message,
            "front matter too large to read safely: more than 20000 keys and values"
        );
    }

    #[test]
    fn deep_nesting_is_refused_in_words() {
        let yaml = format!(
            "---
key: {}1{}
---
",
            "[".repeat(40),
            "]".repeat(40)
        );
        let s = split(&yaml);
        assert_eq!(s.diagnostics.len(), 1, "{:?}", s.diagnostics);
        assert_eq!(
            s.diagnostics[0].message,
            "front matter too large to read safely: nested more than 32 levels deep"
        );
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let s = split("---\ntitle: a\ntitle: b\n---\n");
        assert_eq!(s.diagnostics.len(), 1);
    }
}
