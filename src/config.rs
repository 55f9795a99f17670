//! `book.toml`: the configuration of a book, with documented defaults.
//!
//! Keys are kebab-case; unknown keys and wrong types are errors located by line and column.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diag::LineIndex;
use crate::error::{Error, Result};

/// The whole `book.toml`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// `[book]`: what the book is.
    pub book: BookConfig,
    /// `[build]`: where sources are and where output goes.
    pub build: BuildConfig,
}

/// `[book]`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct BookConfig {
    /// Title of the book. Default: `Runbooks`.
    pub title: String,
    /// One-line description.
    pub description: Option<String>,
    /// Language of the content (BCP 47). Default: `en`.
    pub language: String,
}

impl Default for BookConfig {
    fn default() -> Self {
        BookConfig {
            title: "Runbooks".into(),
            description: None,
            language: "en".into(),
        }
    }
}

/// `[build]`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct BuildConfig {
    /// Folder of Markdown checklists, relative to the book root. Default: `content`.
    pub content: PathBuf,
    /// Output folder, relative to the book root. Default: `public`.
    pub output: PathBuf,
    /// Name of the release built from the working tree. Default: `current`.
    pub release: String,
}

impl Default for BuildConfig {
    fn default() -> Self {
        BuildConfig {
            content: PathBuf::from("content"),
            output: PathBuf::from("public"),
            release: "current".into(),
        }
    }
}

impl Config {
    /// Parses `book.toml` text; `path` is only used in errors.
    pub fn from_toml(path: &Path, text: &str) -> Result<Config> {
        toml::from_str(text).map_err(|e| {
            let index = LineIndex::new(text);
            let pos = index.position(text, e.span().unwrap_or(0..0));
            Error::Config {
                path: path.to_owned(),
                line: pos.line,
                column: pos.column,
                message: e.message().trim_end_matches('\n').to_owned(),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_apply_to_an_empty_file() {
        let config = Config::from_toml(Path::new("book.toml"), "").ok();
        assert_eq!(config, Some(Config::default()));
    }

    #[test]
    fn unknown_keys_are_located() {
        let err = Config::from_toml(Path::new("book.toml"), "[book]\ntitel = \"x\"\n");
        let Err(Error::Config {
            line,
            column,
            message,
            ..
        }) = err
        else {
            panic!("expected a config error, got {err:?}");
        };
        assert_eq!((line, column), (2, 1));
        assert!(message.contains("titel"), "{message}");
    }
}
