//! Lint settings: which rules run and at what severity, from `book.toml` (`[lint]`), a file's
//! front matter (`lint:`) and inline comments (`<!-- preflight-disable rule-name -->`).
//!
//! Precedence, last wins: a rule's default severity, the book, the file, the line. A level is
//! `off`, `info`, `warning` or `error`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::diag::{Diagnostic, Position, Severity};

/// A configured level for a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// The rule does not report.
    Off,
    /// Reported as information.
    Info,
    /// Reported as a warning.
    Warning,
    /// Reported as an error.
    Error,
}

impl Level {
    /// Reads a level name.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Level> {
        match name.trim().to_ascii_lowercase().as_str() {
            "off" | "allow" | "none" => Some(Level::Off),
            "info" | "note" => Some(Level::Info),
            "warning" | "warn" => Some(Level::Warning),
            "error" | "deny" => Some(Level::Error),
            _ => None,
        }
    }

    fn severity(self) -> Option<Severity> {
        match self {
            Level::Off => None,
            Level::Info => Some(Severity::Info),
            Level::Warning => Some(Severity::Warning),
            Level::Error => Some(Severity::Error),
        }
    }
}

/// Levels by rule code.
pub type Levels = BTreeMap<String, Level>;

/// Every code a setting may name: the lint rules and the diagnostics found while reading.
#[must_use]
pub fn known_codes() -> Vec<&'static str> {
    let mut codes: Vec<&'static str> = super::rules().iter().map(|r| r.code()).collect();
    codes.extend(super::READ_CODES.iter().map(|(c, _, _)| *c));
    codes
}

/// An inline suppression: these codes (all when empty) are off on lines `from..=to`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    /// First line covered.
    pub from: u32,
    /// Last line covered.
    pub to: u32,
    /// Codes turned off; empty means every code.
    pub codes: Vec<String>,
    /// Where the comment starts.
    pub at: Position,
}

const DISABLE: &str = "preflight-disable";

/// Finds `<!-- preflight-disable [codes] -->` comments. A comment alone on its line covers the
/// block that follows it (up to the next blank line); after other text, it covers its own line.
/// `<!-- preflight-disable-file [codes] -->` covers the whole file.
#[must_use]
pub fn suppressions(source: &str) -> Vec<Suppression> {
    if memchr::memmem::find(source.as_bytes(), DISABLE.as_bytes()).is_none() {
        return Vec::new();
    }
    let lines: Vec<&str> = super::source::lines(source).map(|(_, _, l)| l).collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(start) = line.find("<!--") else {
            continue;
        };
        let Some(body) = line[start + 4..]
            .split("-->")
            .next()
            .map(str::trim)
            .filter(|b| b.starts_with(DISABLE))
        else {
            continue;
        };
        let rest = &body[DISABLE.len()..];
        let (whole_file, rest) = match rest.strip_prefix("-file") {
            Some(r) => (true, r),
            None => (false, rest),
        };
        if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
            continue;
        }
        let codes = rest
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect();
        let here = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let (from, to) = if whole_file {
            (1, u32::MAX)
        } else if line[..start].trim().is_empty() {
            let end = lines[i + 1..]
                .iter()
                .position(|l| l.trim().is_empty())
                .map_or(lines.len(), |p| i + 1 + p);
            (here, u32::try_from(end).unwrap_or(u32::MAX))
        } else {
            (here, here)
        };
        let column = u32::try_from(line[..start].chars().count() + 1).unwrap_or(u32::MAX);
        out.push(Suppression {
            from,
            to,
            codes,
            at: Position {
                line: here,
                column,
                width: 4,
            },
        });
    }
    out
}

/// A warning for each code a `preflight-disable` comment names that is neither a rule nor a
/// diagnostic code: it silences nothing, which a typo makes easy to miss.
#[must_use]
pub fn unknown_codes(suppressed: &[Suppression]) -> Vec<Diagnostic> {
    if suppressed.iter().all(|s| s.codes.is_empty()) {
        return Vec::new();
    }
    let known = known_codes();
    suppressed
        .iter()
        .flat_map(|s| s.codes.iter().map(move |code| (s.at, code)))
        .filter(|(_, code)| !known.contains(&code.as_str()))
        .map(|(at, code)| {
            Diagnostic::new(
                "lint-comment",
                Severity::Warning,
                format!("`{code}` in this `preflight-disable` comment is not a rule; it silences nothing"),
                at,
            )
            .with_hint("`preflight rules` lists the rules and diagnostic codes")
        })
        .collect()
}

/// Applies levels (book, then file) and inline suppressions to diagnostics, in place.
pub fn apply(diagnostics: &mut Vec<Diagnostic>, layers: &[&Levels], suppressed: &[Suppression]) {
    diagnostics.retain_mut(|d| {
        if suppressed.iter().any(|s| {
            (s.from..=s.to).contains(&d.line) && (s.codes.is_empty() || s.codes.contains(&d.code))
        }) {
            return false;
        }
        let level = layers.iter().rev().find_map(|l| l.get(&d.code)).copied();
        match level {
            None => true,
            Some(level) => match level.severity() {
                Some(severity) => {
                    d.severity = severity;
                    true
                }
                None => false,
            },
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Position;

    fn diag(code: &str, line: u32) -> Diagnostic {
        Diagnostic::new(code, Severity::Warning, "x", Position::line(line))
    }

    #[test]
    fn comment_alone_covers_the_next_block() {
        let s = suppressions(
            "a\n<!-- preflight-disable mojibake, unfilled-placeholder -->\n- x\n- y\n\n- z\n",
        );
        assert_eq!(
            s,
            [Suppression {
                from: 2,
                to: 4,
                codes: vec!["mojibake".into(), "unfilled-placeholder".into()],
                at: Position {
                    line: 2,
                    column: 1,
                    width: 4
                },
            }]
        );
    }

    #[test]
    fn trailing_comment_covers_its_line_and_file_comment_everything() {
        let s = suppressions(
            "- x <!-- preflight-disable -->\n<!-- preflight-disable-file bidi-control -->\n",
        );
        assert_eq!(
            s[0],
            Suppression {
                from: 1,
                to: 1,
                codes: vec![],
                at: Position {
                    line: 1,
                    column: 5,
                    width: 4
                },
            }
        );
        assert_eq!(s[1].to, u32::MAX);
        assert!(suppressions("<!-- preflight-disabled x -->").is_empty());
    }

    #[test]
    fn later_layers_win_and_off_removes() {
        let book: Levels = [("a".to_owned(), Level::Error), ("b".to_owned(), Level::Off)].into();
        let file: Levels = [("a".to_owned(), Level::Info)].into();
        let mut d = vec![diag("a", 1), diag("b", 1), diag("c", 1), diag("c", 7)];
        let s = [Suppression {
            from: 7,
            to: 7,
            codes: vec![],
            at: Position::line(7),
        }];
        apply(&mut d, &[&book, &file], &s);
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].severity, Severity::Info);
        assert_eq!(d[1].code, "c");
    }
}
