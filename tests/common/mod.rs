//! Helpers shared by the integration tests.

#![allow(dead_code, unreachable_pub, missing_docs)]

pub mod hostile;

use std::path::{Path, PathBuf};

use std::process::Command;

use insta_cmd::get_cargo_bin;
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

/// The real binary, run in `dir`, without colour.
pub fn preflight(dir: &Path) -> Command {
    let mut cmd = Command::new(get_cargo_bin("preflight"));
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env_remove("RUST_BACKTRACE");
    cmd
}

/// The output of a finished command.
pub fn run(output: std::io::Result<std::process::Output>) -> std::process::Output {
    output.unwrap_or_else(|e| panic!("cannot run preflight: {e}"))
}

pub fn write(dir: &Path, rel: &str, bytes: &[u8]) {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
    }
    std::fs::write(path, bytes).unwrap_or_else(|e| panic!("{e}"));
}

pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"))
}

/// Every file under `dir`, sorted.
pub fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}
