//! The formats of a diff: text for a terminal, Markdown for a pull-request comment, JSON with a
//! schema for tools, and HTML (rendered by the site's templates, see `site::changes`).

pub mod markdown;
pub mod text;

use std::fmt::Write as _;

use crate::normalise::{cut_at_word, is_bidi_control};

use super::model::{DiffDocument, ItemChange, Place, SectionChange, Span, SpanOp};

/// `text` with each control of text direction shown by its code point (`⟦U+202E⟧`): in a
/// review, text that the control would show reordered (a path that reads backwards) must be
/// seen as written.
#[must_use]
pub fn visible_bidi(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(is_bidi_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_bidi_control(c) {
            let _ = write!(out, "⟦U+{:04X}⟧", u32::from(c));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Every string of `value` with its controls of text direction made visible ([`visible_bidi`]).
pub fn show_bidi(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::String(s) => {
            if let std::borrow::Cow::Owned(shown) = visible_bidi(s) {
                *s = shown;
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(show_bidi),
        serde_json::Value::Object(map) => map.values_mut().for_each(show_bidi),
        _ => {}
    }
}

/// The JSON Schema (draft 2020-12) of the diff document.
#[must_use]
pub fn schema() -> serde_json::Value {
    let mut schema = schemars::schema_for!(DiffDocument).to_value();
    if let Some(map) = schema.as_object_mut() {
        map.insert(
            "$id".into(),
            "https://preflight.invalid/schema/diff-1.json".into(),
        );
        map.insert("title".into(), "preflight diff".into());
        map.insert(
            "description".into(),
            format!(
                "Changes between two sets of checklists, written by `preflight diff --format json` \
                 (schema_version {})",
                super::DIFF_SCHEMA_VERSION
            )
            .into(),
        );
    }
    schema
}

/// The characters of a value's line shown in a field change; the rest is cut.
const MAX_LINE_CHARS: usize = 200;

/// Old and new values of a field, shortened to one line each where they differ: values of
/// several lines (code, prose) show their first differing line, with `…` for the lines around
/// it (`… rm -rf /tmp/cache … (+2 lines)`), and a line at most 200 characters.
#[must_use]
pub fn differing_lines(old: Option<&str>, new: Option<&str>) -> (Option<String>, Option<String>) {
    let (a, b) = (old.unwrap_or_default(), new.unwrap_or_default());
    let at = a
        .lines()
        .zip(b.lines())
        .position(|(x, y)| x != y)
        .unwrap_or_else(|| a.lines().count().min(b.lines().count()));
    let focus = |value: &str| {
        let total = value.lines().count();
        let line = value
            .lines()
            .nth(at)
            .or_else(|| value.lines().last())
            .unwrap_or_default();
        let line = match line.char_indices().nth(MAX_LINE_CHARS) {
            Some((cut, _)) => format!("{} …", &line[..cut]),
            None => line.to_owned(),
        };
        let before = if at > 0 && total > 1 { "… " } else { "" };
        let after = total.saturating_sub(at.min(total.saturating_sub(1)) + 1);
        if after == 0 {
            format!("{before}{line}")
        } else {
            format!("{before}{line} … (+{after} lines)")
        }
    };
    (old.map(focus), new.map(focus))
}

/// Most changed lines shown of a value of several lines; the rest are counted.
const MAX_CHANGED_LINES: usize = 12;

/// A field's change as people read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shown {
    /// Values of one line each (or none): old and new, as [`differing_lines`] gives them.
    Inline(Option<String>, Option<String>),
    /// A value of several lines (code, prose): the lines removed (`-`) and added (`+`), in
    /// order, at most a dozen, and how many more changed lines there are.
    Lines(Vec<(char, String)>, usize),
}

/// How to show the change of a field: inline when both values fit on a line, else the lines
/// that changed, so that an added line never reads as a replaced one.
#[must_use]
pub fn shown_change(old: Option<&str>, new: Option<&str>) -> Shown {
    let lines = |v: Option<&str>| v.map_or(0, |v| v.lines().count());
    if lines(old) <= 1 && lines(new) <= 1 {
        let (old, new) = differing_lines(old, new);
        return Shown::Inline(old, new);
    }
    // Every line ends with a newline, so the last line compares equal to the same line
    // followed by more.
    let ended = |v: Option<&str>| {
        let v = v.unwrap_or_default();
        if v.is_empty() || v.ends_with('\n') {
            v.to_owned()
        } else {
            format!("{v}\n")
        }
    };
    let (a, b) = (ended(old), ended(new));
    let diff = similar::TextDiff::configure()
        .algorithm(similar::Algorithm::Patience)
        .diff_lines(&a, &b);
    let mut changed: Vec<(char, String)> = Vec::new();
    let mut more = 0;
    for change in diff.iter_all_changes() {
        let sign = match change.tag() {
            similar::ChangeTag::Equal => continue,
            similar::ChangeTag::Delete => '-',
            similar::ChangeTag::Insert => '+',
        };
        if changed.len() == MAX_CHANGED_LINES {
            more += 1;
            continue;
        }
        let line = change.value().trim_end_matches(['\n', '\r']);
        let line = match line.char_indices().nth(MAX_LINE_CHARS) {
            Some((cut, _)) => format!("{} …", &line[..cut]),
            None => line.to_owned(),
        };
        changed.push((sign, line));
    }
    Shown::Lines(changed, more)
}

/// What stands for an item without text (a bare `- [ ]`, an image without alt text).
pub const NO_TEXT: &str = "(no text)";

/// The longest parent-item text a place label shows before it is cut at a word.
const UNDER_CHARS: usize = 48;

/// Where a place is, for people: the section's title (`top` when there is none), then, for a
/// nested item, the text of its parent item after ` › `, cut at a word when long.
#[must_use]
pub fn place_label(place: &Place, top: &str) -> String {
    let mut label = place.title.clone().unwrap_or_else(|| top.to_owned());
    if let Some(under) = &place.under {
        label.push_str(" › ");
        match cut_at_word(under, UNDER_CHARS) {
            cut if cut.is_empty() => label.push_str(NO_TEXT),
            cut => label.push_str(&cut),
        }
    }
    label
}

/// How to say where an item went: `in Deployment`, `from Deployment to Verification`.
#[must_use]
pub fn place_phrase(item: &ItemChange) -> Option<(String, Option<String>)> {
    let title = |p: &Option<Place>| p.as_ref().map(|p| place_label(p, "(top)"));
    let (old, new) = (title(&item.old_place), title(&item.new_place));
    match (old, new) {
        (Some(o), Some(n)) if item.moved && o != n => Some((o, Some(n))),
        (_, Some(n)) => Some((n, None)),
        (Some(o), None) => Some((o, None)),
        (None, None) => None,
    }
}

/// Where a moved section went: `moved from Deploy to Verify` when its parent changed, else
/// `moved within Deploy`, or `moved among the top-level sections`; `None` when it did not move.
#[must_use]
pub fn section_move_phrase(s: &SectionChange) -> Option<String> {
    if !s.moved {
        return None;
    }
    let parent = |p: &Option<Place>| p.as_ref().and_then(|p| p.title.clone());
    Some(match (parent(&s.old_place), parent(&s.new_place)) {
        (old, new) if old != new => format!(
            "moved from {} to {}",
            old.as_deref().unwrap_or("the top level"),
            new.as_deref().unwrap_or("the top level")
        ),
        (_, Some(parent)) => format!("moved within {parent}"),
        (_, None) => "moved among the top-level sections".to_owned(),
    })
}

/// A span's text split into its leading white space, its words and its trailing white space,
/// so markup can wrap the words alone.
#[must_use]
pub fn trimmed(span: &Span) -> (&str, &str, &str) {
    let text = span.text.as_str();
    let body = text.trim();
    if body.is_empty() {
        return (text, "", "");
    }
    let start = text.len() - text.trim_start().len();
    let end = start + body.len();
    (&text[..start], body, &text[end..])
}

/// Whether a span is on the old side only, new side only, or both.
#[must_use]
pub fn is_change(span: &Span) -> bool {
    span.op != SpanOp::Equal
}

#[cfg(test)]
mod tests {
    use super::{Shown, cut_at_word, shown_change};

    #[test]
    fn a_long_parent_is_cut_at_a_word() {
        assert_eq!(cut_at_word("Roll out", 48), "Roll out");
        assert_eq!(
            cut_at_word("Roll out the new release to every region", 20),
            "Roll out the new …"
        );
        assert_eq!(
            cut_at_word("ロールアウトを開始する前に確認する", 6),
            "ロールアウト …"
        );
        assert_eq!(cut_at_word("first line\nsecond line", 48), "first line");
    }

    /// Regression: a line added at the end of a code block read as a replaced line (`aws s3 cp
    /// … → rm /backups/prod.dump`): only the first differing line was shown, the shorter side
    /// falling back to its last line.
    #[test]
    fn a_line_added_to_code_shows_as_added() {
        let old = "pg_dump prod > /backups/prod.dump\naws s3 cp /backups/prod.dump s3://b/";
        let new = format!("{old}\nrm /backups/prod.dump");
        assert_eq!(
            shown_change(Some(old), Some(&new)),
            Shown::Lines(vec![('+', "rm /backups/prod.dump".to_owned())], 0)
        );
        assert_eq!(
            shown_change(Some(&new), Some(old)),
            Shown::Lines(vec![('-', "rm /backups/prod.dump".to_owned())], 0)
        );
        assert_eq!(
            shown_change(Some("git tag v1"), Some("git tag --sign v1")),
            Shown::Inline(
                Some("git tag v1".to_owned()),
                Some("git tag --sign v1".to_owned())
            )
        );
        let many = (0..20)
            .map(|i| format!("line {i}"))
            .collect::<Vec<_>>()
            .join("\n");
        let Shown::Lines(lines, more) = shown_change(None, Some(&many)) else {
            panic!("lines expected")
        };
        assert_eq!((lines.len(), more), (12, 8));
    }
}
