//! Helpers shared by the integration tests.

#![allow(dead_code, unreachable_pub, missing_docs)]

use std::path::{Path, PathBuf};

use preflight::model::Checklist;
use preflight::pipeline;

/// Root of the repository.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The example checklists, sorted.
pub fn examples() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(repo().join("content"))
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "md"));
    files.sort();
    files
}

/// Normalises Markdown given as a string.
pub fn model(markdown: &str) -> Checklist {
    pipeline::from_bytes("test.md", "test", markdown.as_bytes()).checklist
}

/// Normalises a file of the repository.
pub fn model_of(path: &Path) -> Checklist {
    let bytes = std::fs::read(path).unwrap_or_default();
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let display = format!("content/{stem}.md");
    pipeline::from_bytes(&display, &stem, &bytes).checklist
}
