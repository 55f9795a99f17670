//! The JSON wire format: exported documents and their JSON Schema.
//!
//! Every document is a [`Document`]: `schema_version` and one of `checklist` or `book`. Keys come
//! in the order of the model's fields, maps are sorted, so the same input gives the same bytes.
//! `docs/json-format.md` documents each field; the schema is generated from the same types
//! (JSON Schema draft 2020-12), so it cannot drift from them.

use serde::Serialize;

use crate::model::{
    BookIndex, Checklist, ChecklistSummary, Document, DocumentBody, ReleaseIndex, SCHEMA_VERSION,
};

/// Wraps a checklist as a document.
#[must_use]
pub fn checklist_document(checklist: Checklist) -> Document {
    Document {
        schema_version: SCHEMA_VERSION.to_owned(),
        body: DocumentBody::Checklist(Box::new(checklist)),
    }
}

/// The summary the index keeps of a checklist exported as `file`.
#[must_use]
pub fn summary(checklist: &Checklist, file: String) -> ChecklistSummary {
    ChecklistSummary {
        id: checklist.id.clone(),
        title: checklist.title.clone(),
        path: checklist.path.clone(),
        file,
        stats: checklist.stats.clone(),
        diagnostics: checklist.diagnostics.len(),
    }
}

/// The book index document for one release.
#[must_use]
pub fn index_document(
    title: &str,
    release: &str,
    mut checklists: Vec<ChecklistSummary>,
) -> Document {
    checklists.sort_by(|a, b| a.id.cmp(&b.id));
    Document {
        schema_version: SCHEMA_VERSION.to_owned(),
        body: DocumentBody::Book(BookIndex {
            title: title.to_owned(),
            releases: vec![ReleaseIndex {
                name: release.to_owned(),
                checklists,
            }],
        }),
    }
}

/// Serialises a value, pretty or compact, with a trailing newline.
pub fn to_bytes<T: Serialize>(value: &T, pretty: bool) -> serde_json::Result<Vec<u8>> {
    // A checklist document is tens of KiB: start big enough to skip the small regrowths.
    let mut bytes = Vec::with_capacity(32 * 1024);
    if pretty {
        serde_json::to_writer_pretty(&mut bytes, value)?;
    } else {
        serde_json::to_writer(&mut bytes, value)?;
    }
    bytes.push(b'\n');
    Ok(bytes)
}

/// The JSON Schema (draft 2020-12) of exported documents.
#[must_use]
pub fn schema() -> serde_json::Value {
    let mut schema = schemars::schema_for!(Document).to_value();
    if let Some(map) = schema.as_object_mut() {
        map.insert(
            "$id".into(),
            "https://preflight.invalid/schema/document-1.json".into(),
        );
        map.insert("title".into(), "preflight document".into());
        map.insert(
            "description".into(),
            format!(
                "A checklist or book index exported by preflight (schema_version {SCHEMA_VERSION})"
            )
            .into(),
        );
    }
    schema
}
