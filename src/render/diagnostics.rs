//! Diagnostics for machines: GitHub Actions workflow commands and SARIF 2.1.0.
//!
//! Input: each file's display path and diagnostics. Output: text (GitHub) or a JSON value
//! (SARIF). Columns count Unicode code points, as SARIF's `columnKind` says.

use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::diag::{Diagnostic, Severity};
use crate::lint;

/// One GitHub Actions annotation per diagnostic:
/// `::warning file=…,line=…,col=…,endColumn=…,title=…::message`.
#[must_use]
pub fn github(path: &str, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut message = d.message.clone();
        if let Some(hint) = &d.hint {
            message.push('\n');
            message.push_str(hint);
        }
        let _ = writeln!(
            out,
            "::{level} file={},line={},col={},endColumn={},title={}::{}",
            property(path),
            d.line,
            d.column,
            d.column + d.width,
            property(&format!("preflight {}", d.code)),
            data(&message),
        );
    }
    out
}

/// Escapes a workflow command's message. Other control characters (an escape in a file name)
/// are written as `%XX` too: GitHub shows them as written, and a log never gets a raw one.
fn data(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c if c.is_control() => {
                let _ = write!(out, "%{:02X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

/// Escapes a workflow command's property value.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

/// A SARIF 2.1.0 log of one run over `files`, with every rule described.
#[must_use]
pub fn sarif(files: &[(&str, &[Diagnostic])]) -> Value {
    let mut rules: Vec<(&str, &str, &str, Severity)> = lint::rules()
        .iter()
        .map(|r| (r.code(), r.summary(), r.why(), r.default_severity()))
        .collect();
    rules.extend(
        lint::READ_CODES
            .iter()
            .map(|(code, severities, summary)| (*code, *summary, *summary, severities[0])),
    );
    let index = |code: &str| rules.iter().position(|r| r.0 == code);
    let results: Vec<Value> = files
        .iter()
        .flat_map(|(path, diagnostics)| diagnostics.iter().map(move |d| (*path, d)))
        .map(|(path, d)| result(path, d, index(&d.code)))
        .collect();
    let rules: Vec<Value> = rules
        .iter()
        .map(|(code, summary, why, severity)| {
            json!({
                "id": code,
                "shortDescription": { "text": summary },
                "fullDescription": { "text": why },
                "helpUri": format!("https://github.com/preflight-runbooks/preflight/blob/main/docs/lints.md#{code}"),
                "defaultConfiguration": { "level": level(*severity) },
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "preflight",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/preflight-runbooks/preflight",
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}

/// A relative path as a URI reference: bytes other than letters, digits, `-._~` and `/`
/// percent-encoded, so `#`, `?`, `%`, spaces and non-ASCII names stay part of the path.
fn uri_reference(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for &b in path.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

fn result(path: &str, d: &Diagnostic, rule: Option<usize>) -> Value {
    let path = uri_reference(path);
    let mut message = d.message.clone();
    if let Some(hint) = &d.hint {
        let _ = write!(message, " ({hint})");
    }
    let region = json!({
        "startLine": d.line.max(1),
        "startColumn": d.column.max(1),
        "endColumn": d.column.max(1) + d.width.max(1),
    });
    let mut result = json!({
        "ruleId": d.code,
        "level": level(d.severity),
        "message": { "text": message },
        "locations": [{ "physicalLocation": {
            "artifactLocation": { "uri": path },
            "region": region,
        }}],
    });
    if let Some(i) = rule {
        result["ruleIndex"] = json!(i);
    }
    if let Some(fix) = &d.fix {
        result["fixes"] = json!([{
            "description": { "text": format!("replace `{}` with `{}`", fix.replace, fix.with) },
            "artifactChanges": [{
                "artifactLocation": { "uri": path },
                "replacements": [{
                    "deletedRegion": region,
                    "insertedContent": { "text": fix.with },
                }],
            }],
        }]);
    }
    result
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Position;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri_reference("content/a.md"), "content/a.md");
        assert_eq!(
            uri_reference("sp dir/a#b?c%20é.md"),
            "sp%20dir/a%23b%3Fc%2520%C3%A9.md"
        );
    }

    #[test]
    fn github_annotations_escape_their_parts() {
        let d = Diagnostic::new(
            "mojibake",
            Severity::Warning,
            "100% wrong: a, b",
            Position {
                line: 3,
                column: 5,
                width: 2,
            },
        )
        .with_hint("line\nbreak");
        let out = github("dir/a,b:c.md", &[d]);
        assert_eq!(
            out,
            "::warning file=dir/a%2Cb%3Ac.md,line=3,col=5,endColumn=7,title=preflight mojibake::100%25 wrong: a, b%0Aline%0Abreak\n"
        );
        // Regression: an escape character in a file name reached the CI log raw.
        let d = Diagnostic::new("mojibake", Severity::Info, "x", Position::line(1));
        let out = github("a\u{1b}[31m.md", &[d]);
        assert!(out.starts_with("::notice file=a%1B[31m.md,"), "{out}");
    }
}
