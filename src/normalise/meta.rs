//! Metadata: front matter first, then `**Key**: value` fields found anywhere in the document.

use serde_json::Value;

use super::blocks::is_meta_label;
use super::heading::leading_duration;
use super::text::slug;
use crate::diag::{Diagnostic, Position, Severity};
use crate::model::{Block, Checklist, FieldsKind, Meta, Phase};
use crate::parse::FrontMatter;

/// What front matter sets besides metadata.
#[derive(Debug, Default)]
pub(super) struct Front {
    pub(super) title: Option<String>,
    /// `name`, as GitHub issue templates give it: the title when there is no other.
    pub(super) name: Option<String>,
    /// Whether the front matter is a GitHub issue template's (`name` and `about`).
    pub(super) issue_template: bool,
    pub(super) id: Option<String>,
    pub(super) default_phase: Phase,
    pub(super) meta: Meta,
}

/// Reads front matter keys; wrongly typed values are reported and skipped.
pub(super) fn from_front_matter(
    fm: Option<&FrontMatter>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Front {
    let mut front = Front::default();
    let Some(fm) = fm else { return front };
    let mut nested: Vec<(&String, &Value)> = Vec::new();
    for (key, value) in &fm.fields {
        let mut wrong_type = |expected: &str| {
            diagnostics.push(Diagnostic::new(
                "front-matter",
                Severity::Warning,
                format!("front matter key `{key}` should be {expected}; ignored"),
                Position::line(fm.line_of(key)),
            ));
        };
        match key.as_str() {
            "tags" => match value {
                Value::Array(items) => front.meta.tags = items.iter().filter_map(scalar).collect(),
                v => match scalar(v) {
                    Some(s) => {
                        front.meta.tags = s
                            .split(',')
                            .map(|t| t.trim().to_owned())
                            .filter(|t| !t.is_empty())
                            .collect();
                    }
                    None => wrong_type("a list of text"),
                },
            },
            // Lint levels are read by the pipeline.
            "lint" => {}
            "phase" => match scalar(value).as_deref().and_then(Phase::from_name) {
                Some(p) => front.default_phase = p,
                None => wrong_type("one of the phase names (`pre-deployment`, `deployment`, …)"),
            },
            _ => match (value, text_of(value)) {
                // `assignees:` with nothing after it, `aliases: []`: nothing to keep.
                (Value::Null, _) => {}
                (Value::Array(items), _) if items.is_empty() => {}
                (Value::Object(table), _) => nested.extend(table),
                (_, Some(text)) => set_front(&mut front, key, text),
                (_, None) => wrong_type("text, a number, a date or a list of them"),
            },
        }
    }
    for (key, value) in nested {
        from_table(&mut front, fm, key, value);
    }
    // A GitHub issue template (`name`, `about`, `title`): its `title` is the title of the
    // issues it opens (`[Release] v`), not the checklist's, which its heading or `name` gives.
    front.issue_template = ["name", "about"]
        .iter()
        .all(|key| fm.fields.iter().any(|(k, _)| k == key));
    if front.issue_template {
        front.title = None;
    }
    front
}

/// A key of a table of the front matter (`[extra]` in Zola, `params` in Hugo, `taxonomies`):
/// metadata, unless the top level sets the key. Anything nested deeper belongs to other tools
/// and is passed over.
fn from_table(front: &mut Front, fm: &FrontMatter, key: &str, value: &Value) {
    if fm.fields.iter().any(|(k, _)| k == key) {
        return;
    }
    match (key, value) {
        ("tags", Value::Array(items)) if front.meta.tags.is_empty() => {
            front.meta.tags = items.iter().filter_map(scalar).collect();
        }
        ("title" | "name" | "id" | "phase" | "lint" | "tags", _) => {}
        _ => {
            if let Some(text) = text_of(value) {
                set_meta(&mut front.meta, key, text, false);
            }
        }
    }
}

/// A value as text: a scalar as written, a list of them joined by `, `.
fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::Array(items) => items
            .iter()
            .map(scalar)
            .collect::<Option<Vec<_>>>()
            .map(|texts| texts.join(", ")),
        v => scalar(v),
    }
}

fn set_front(front: &mut Front, key: &str, text: String) {
    match key {
        "title" => front.title = Some(text.trim().to_owned()).filter(|t| !t.is_empty()),
        "name" => {
            front.name = Some(text.trim().to_owned()).filter(|t| !t.is_empty());
            set_meta(&mut front.meta, key, text, true);
        }
        "id" => front.id = id_of(&text),
        _ => set_meta(&mut front.meta, key, text, true),
    }
}

/// The checklist id front matter `id` declares: slugged, and capped as ids from paths are.
pub fn front_matter_id(value: &Value) -> Option<String> {
    text_of(value).as_deref().and_then(id_of)
}

fn id_of(text: &str) -> Option<String> {
    Some(super::capped_slug(text, crate::discover::MAX_ID_PART)).filter(|s| !s.is_empty())
}

fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Sets a metadata key; `overwrite` is false for fields found in the body, where the first wins.
fn set_meta(meta: &mut Meta, key: &str, text: String, overwrite: bool) {
    let norm = key.trim().to_lowercase().replace(['_', '-'], " ");
    let slot = match norm.as_str() {
        "version" | "document version" | "versión" | "versão" | "versione" | "版本"
        | "バージョン" => &mut meta.version,
        "date" | "fecha" | "datum" | "日期" | "日付" => &mut meta.date,
        "owner" | "document owner" | "maintainer" | "author" | "autor" | "auteur"
        | "propietario" | "responsable" | "responsável" | "verantwortlich" | "负责人"
        | "担当者" | "作者" | "作成者" => &mut meta.owner,
        "platform" | "product" | "application" | "service" | "system" => &mut meta.platform,
        "status" | "estado" | "statut" | "état" | "状态" | "ステータス" => &mut meta.status,
        "review frequency" | "review cycle" => &mut meta.review_frequency,
        "estimated total time"
        | "estimated time"
        | "total time"
        | "estimated duration"
        | "estimated total"
        | "total duration"
        | "tiempo estimado"
        | "duración estimada"
        | "tempo estimado"
        | "duração estimada"
        | "durée estimée"
        | "geschätzte dauer"
        | "所要時間"
        | "预计时间" => {
            if overwrite || meta.estimated_total.is_none() {
                meta.estimated_total = leading_duration(&text).or(meta.estimated_total.take());
            }
            return;
        }
        _ => {
            let k = slug(&norm);
            if !k.is_empty() && (overwrite || !meta.other.contains_key(&k)) {
                meta.other.insert(k, text);
            }
            return;
        }
    };
    if overwrite || slot.is_none() {
        *slot = Some(text);
    }
}

/// Words of a label that introduce an instruction or a note, not a fact about the checklist.
const NOT_FACTS: [&str; 8] = [
    "warning",
    "note",
    "important",
    "caution",
    "tip",
    "step",
    "rollback",
    "danger",
];

/// Whether a field beside the metadata is a fact about the checklist (`**Project:** Atlas`), not
/// an instruction (`**Warning:** Never run this on Fridays.`, `**Step 1:** Back up`): a short
/// value, no sentence, no markup, under a label that names no note or step.
fn is_fact(field: &crate::model::Field) -> bool {
    let label = field.label.to_lowercase();
    let first = label.split_whitespace().next().unwrap_or_default();
    field.html.is_none()
        && !NOT_FACTS.contains(&first)
        && field.value.split_whitespace().count() <= 8
        && !field.value.trim_end().ends_with(['.', '!', '?'])
}

/// Front matter metadata, completed by metadata fields of the body (first occurrence wins),
/// including those of a quote before the first section (`> **Version**: 1.0 | **Owner**: …`).
pub(super) fn collect(mut meta: Meta, checklist: &Checklist) -> Meta {
    let mut blocks: Vec<&Block> = Vec::new();
    for block in &checklist.blocks {
        match block {
            Block::Quote {
                blocks: quoted,
                footnote: None,
                ..
            } => blocks.extend(quoted),
            _ => blocks.push(block),
        }
    }
    // Before the first section, a block of metadata fields is metadata as a whole: its
    // `**Project**: Atlas` beside `**Version**: 1.0` is kept, under its own key.
    let top = blocks.len();
    blocks.extend(checklist.walk_sections().flat_map(|s| s.blocks.iter()));
    for (i, block) in blocks.into_iter().enumerate() {
        let Block::Fields { kind, fields, .. } = block else {
            continue;
        };
        if *kind == FieldsKind::Contacts {
            continue;
        }
        let all = i < top && *kind == FieldsKind::Meta;
        for field in fields {
            let wanted = is_meta_label(&field.label) || (all && is_fact(field));
            if wanted
                && !field.label.is_empty()
                && !field.blank
                && field.choices.is_empty()
                && field.placeholders.is_empty()
            {
                set_meta(&mut meta, &field.label, field.value.clone(), false);
            }
        }
    }
    meta
}
