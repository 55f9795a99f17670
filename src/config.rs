//! `book.toml`: the configuration of a book, with documented defaults.
//!
//! Keys are kebab-case; unknown keys and wrong types are errors located by line and column.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::diag::LineIndex;
use crate::error::{Error, Result};
use crate::lint::settings::{Level, Levels, known_codes};

/// The whole `book.toml`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// `[book]`: what the book is.
    pub book: BookConfig,
    /// `[build]`: where sources are and where output goes.
    pub build: BuildConfig,
    /// `[lint]`: a level (`off`, `info`, `warning`, `error`) by rule code.
    pub lint: BTreeMap<String, Spanned<String>>,
    /// `[releases]`: which versions of the book to publish; absent: the working tree only.
    pub releases: Option<ReleasesConfig>,
    /// `[print]`: the printable runbooks.
    pub print: PrintConfig,
}

/// `[print]`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct PrintConfig {
    /// Paper size: `a4` or `letter`. Default: `a4`.
    pub paper: crate::print::Paper,
    /// Whether `build` and `print` make PDFs (each checklist's and the release pack). Default:
    /// `true` (when preflight is built with the `pdf` feature).
    pub pdf: bool,
    /// The release pack's PDF (every checklist in one) is made when their rows (items,
    /// paragraphs, code blocks…) add up to at most this; a larger release gets the pack's print
    /// page and each checklist's own PDF. Default: 5,000, a few hundred pages, which the
    /// typesetter lays out in seconds and a few hundred MiB.
    pub pack_max_rows: usize,
}

impl Default for PrintConfig {
    fn default() -> Self {
        PrintConfig {
            paper: crate::print::Paper::A4,
            pdf: true,
            pack_max_rows: 5_000,
        }
    }
}

/// `[releases]`: where releases come from. See [`crate::releases`] for their order.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct ReleasesConfig {
    /// Git tags matching this pattern (`*` and `?`), e.g. `v*`, ordered by version.
    pub tags: Option<String>,
    /// Git refs (branches, tags, commits), each a release named as written, in this order.
    pub refs: Vec<String>,
    /// Folders of checklists, each a release: `{ name = "1.0", path = "archive/1.0" }`.
    pub folders: Vec<crate::releases::FolderRelease>,
    /// Publish the working tree too, as the newest release, under this name (e.g. `draft`).
    pub working_tree: Option<String>,
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
        let error = |span: std::ops::Range<usize>, message: String| {
            let index = LineIndex::new(text);
            let pos = index.position(text, span);
            Error::Config {
                path: path.to_owned(),
                line: pos.line,
                column: pos.column,
                message,
            }
        };
        let config: Config = toml::from_str(text).map_err(|e| {
            let message = plain_types(e.message().trim_end_matches('\n'));
            error(e.span().unwrap_or(0..0), with_suggestion(&message))
        })?;
        let codes = known_codes();
        for (code, level) in &config.lint {
            if !codes.contains(&code.as_str()) {
                let hint = closest(code, &codes)
                    .map(|c| format!("; did you mean `{c}`?"))
                    .unwrap_or_default();
                return Err(error(
                    key_span(text, "[lint]", code).unwrap_or_else(|| level.span()),
                    format!(
                        "`{}` is not a rule{hint} (`preflight rules` lists them)",
                        crate::diag::escape_controls(code)
                    ),
                ));
            }
            if Level::from_name(level.get_ref()).is_none() {
                return Err(error(
                    level.span(),
                    format!(
                        "`{}` is not a level; use off, info, warning or error",
                        level.get_ref()
                    ),
                ));
            }
        }
        let bad_name = |name: &str| name.trim().is_empty() || name.chars().any(char::is_control);
        if bad_name(&config.build.release) {
            let span = quoted(text, &config.build.release, "[build]");
            return Err(error(
                span,
                "`release` must be non-empty text without control characters".into(),
            ));
        }
        if let Some(releases) = &config.releases {
            let names = releases
                .refs
                .iter()
                .chain(releases.folders.iter().map(|f| &f.name))
                .chain(releases.working_tree.iter());
            for name in names {
                if bad_name(name) {
                    return Err(error(
                        quoted(text, name, "[releases]"),
                        format!(
                            "release name {name:?} must be non-empty text without control characters"
                        ),
                    ));
                }
            }
        }
        if let Some(message) = unsafe_output(&config.build) {
            let span = text.find("output").map_or(0..0, |s| s..s + 6);
            return Err(error(span, message));
        }
        Ok(config)
    }

    /// The `[lint]` levels.
    #[must_use]
    pub fn levels(&self) -> Levels {
        self.lint
            .iter()
            .filter_map(|(code, level)| Some((code.clone(), Level::from_name(level.get_ref())?)))
            .collect()
    }
}

/// Where `value` is written as a TOML string after the table header `table`, else where the
/// header is, else the start.
fn quoted(text: &str, value: &str, table: &str) -> std::ops::Range<usize> {
    let from = text.find(table).unwrap_or(0);
    for quote in ['"', '\''] {
        let needle = format!("{quote}{value}{quote}");
        if let Some(at) = text[from..].find(&needle) {
            return from + at..from + at + needle.len();
        }
    }
    text.find(table).map_or(0..0, |s| s..s + table.len())
}

/// Adds "did you mean" to an unknown-key message (`unknown field `titel`, expected one of
/// `title`, …`), naming the closest known key.
fn with_suggestion(message: &str) -> String {
    let quoted: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    let Some((unknown, known)) = quoted.split_first() else {
        return message.to_owned();
    };
    if !message.starts_with("unknown field") {
        return message.to_owned();
    }
    match closest(unknown, known) {
        Some(key) => format!("{message}; did you mean `{key}`?"),
        None => message.to_owned(),
    }
}

/// The known name closest to a misspelt one, when it is close enough to be meant (a few
/// letters off, or one name lengthened: `printing` for `print`).
pub(crate) fn closest<'a>(unknown: &str, known: &[&'a str]) -> Option<&'a str> {
    if unknown.trim().is_empty() {
        return None;
    }
    known
        .iter()
        .map(|k| {
            let longer = k.len().min(unknown.len()) >= 4
                && (unknown.starts_with(k) || k.starts_with(unknown));
            (if longer { 1 } else { edit_distance(unknown, k) }, *k)
        })
        .filter(|(d, k)| *d <= 2.max(k.len() / 3))
        .min()
        .map(|(_, k)| k)
}

/// The TOML reader's words for types, in the words of `book.toml`'s documentation: `a list`,
/// not `a sequence`; `a whole number`, not `usize`; `a table`, not the name of a Rust type.
fn plain_types(message: &str) -> String {
    let mut out = message
        .replace("a sequence", "a list")
        .replace("expected usize", "expected a whole number, 0 or more")
        .replace("expected a boolean", "expected true or false");
    if let Some(at) = out.find("expected struct ") {
        let end = out[at..].find([',', '\n']).map_or(out.len(), |e| at + e);
        out.replace_range(at..end, "expected a table (`{ key = value, … }`)");
    }
    out
}

/// Where `key` is written in `table` (`[lint]`) of a TOML text, bare or quoted.
fn key_span(text: &str, table: &str, key: &str) -> Option<std::ops::Range<usize>> {
    let mut inside = false;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            inside = trimmed.trim_end().starts_with(table);
        } else if inside {
            let indent = line.len() - trimmed.len();
            let bare = trimmed.strip_prefix(key).map(|_| key.len());
            let quoted = trimmed
                .strip_prefix('"')
                .and_then(|t| t.strip_prefix(key))
                .and_then(|t| t.strip_prefix('"'))
                .map(|_| key.len() + 2);
            if let Some(len) = bare.or(quoted)
                && trimmed[len..].trim_start().starts_with('=')
            {
                return Some(offset + indent..offset + indent + len);
            }
        }
        offset += line.len();
    }
    None
}

/// Levenshtein distance between two short strings.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (row[j + 1] + 1)
                .min(row[j] + 1)
                .min(prev + usize::from(ca != *cb));
            prev = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// Why `[build] output` may not be used: it must be a folder inside the book, and neither the
/// book itself nor the content folder (or a folder holding it), since it is replaced as a whole.
fn unsafe_output(build: &BuildConfig) -> Option<String> {
    let out = &build.output;
    let normal = |p: &Path| {
        p.components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
    };
    if out.is_absolute() || !normal(out) {
        return Some(format!(
            "output `{}` must be a folder inside the book (a relative path without `..`)",
            out.display()
        ));
    }
    let parts = |p: &Path| -> Vec<std::ffi::OsString> {
        p.components()
            .filter(|c| matches!(c, Component::Normal(_)))
            .map(|c| c.as_os_str().to_owned())
            .collect()
    };
    let (out, content) = (parts(out), parts(&build.content));
    if out.is_empty() {
        return Some(
            "output must not be the book folder itself: it is replaced on every build".into(),
        );
    }
    if content.starts_with(&out) || out.starts_with(&content) {
        return Some("output must not be or hold the content folder, nor be inside it: it is replaced on every build".into());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_apply_to_an_empty_file() {
        let config = Config::from_toml(Path::new("book.toml"), "").ok();
        assert_eq!(config, Some(Config::default()));
    }

    /// Regression: `release = ""` was accepted (the output folder became `_`), and a bad
    /// release name was reported at line 1.
    #[test]
    fn empty_release_names_are_refused_where_written() {
        for (text, line, column) in [
            ("[build]\nrelease = \"\"\n", 2, 11),
            (
                "[book]\ntitle = \"t\"\n[releases]\nrefs = [\"main\", ' ']\n",
                4,
                17,
            ),
        ] {
            match Config::from_toml(Path::new("book.toml"), text) {
                Err(Error::Config {
                    line: l, column: c, ..
                }) => assert_eq!((l, c), (line, column), "{text}"),
                other => panic!("{text}: {other:?}"),
            }
        }
    }

    /// Regression: a misspelt rule got no suggestion and was pointed at by its value; a
    /// value of the wrong type was described in the names of Rust types.
    #[test]
    fn mistakes_are_told_in_the_words_of_the_docs() {
        let message = |text: &str| match Config::from_toml(Path::new("book.toml"), text) {
            Err(Error::Config {
                line,
                column,
                message,
                ..
            }) => (line, column, message),
            other => panic!("{text}: {other:?}"),
        };
        let (line, column, text) = message("[lint]\nmissing-signoff = \"warning\"\n");
        assert_eq!((line, column), (2, 1));
        assert!(text.contains("did you mean `missing-sign-off`?"), "{text}");
        let (_, _, text) = message("[releases]\nrefs = \"stable\"\n");
        assert!(
            text.contains("expected a list") && !text.contains("sequence"),
            "{text}"
        );
        let (_, _, text) = message("[releases]\nfolders = [\"old\"]\n");
        assert!(!text.contains("struct"), "{text}");
        let (_, _, text) = message("[print]\npack-max-rows = -5\n");
        assert!(!text.contains("usize"), "{text}");
        let (_, _, text) = message("[printing]\npaper = \"a4\"\n");
        assert!(text.contains("did you mean `print`?"), "{text}");
    }

    #[test]
    fn unsafe_outputs_are_refused() {
        for output in [
            "/",
            "..",
            "../x",
            ".",
            "content",
            "content/site",
            "",
            "/tmp/x",
        ] {
            let text = format!("[build]\noutput = \"{output}\"\n");
            let err = Config::from_toml(Path::new("book.toml"), &text);
            assert!(
                matches!(err, Err(Error::Config { line: 2, .. })),
                "{output:?}: {err:?}"
            );
        }
        let ok = Config::from_toml(
            Path::new("book.toml"),
            "[build]\noutput = \"site/public\"\n",
        );
        assert!(ok.is_ok(), "{ok:?}");
    }

    #[test]
    fn lint_levels_are_checked() {
        let ok = Config::from_toml(Path::new("b"), "[lint]\nmojibake = \"off\"\n");
        assert_eq!(ok.ok().map(|c| c.levels().len()), Some(1));
        for bad in [
            "[lint]\nno-such-rule = \"off\"\n",
            "[lint]\nmojibake = \"loud\"\n",
        ] {
            let err = Config::from_toml(Path::new("b"), bad);
            assert!(matches!(err, Err(Error::Config { line: 2, .. })), "{err:?}");
        }
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
        assert!(message.ends_with("did you mean `title`?"), "{message}");
    }
}
