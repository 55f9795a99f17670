//! `secret-in-code`: a real-looking credential in a code block or env template: a known token
//! format (AWS, GitHub, Slack, Stripe, Google, private keys) anywhere in code, or a value of a
//! secret-named variable that is not a placeholder and looks random.
//!
//! Not flagged: placeholders (`your-api-key`, `<GENERATED>`, `...`, `changeme`), references
//! (`$DB_PASSWORD`, `${{ secrets.X }}`), short or repetitive values, public keys
//! (`PUBLIC_KEY=…`) and key fingerprints and ids in hex (`GPG_KEY=3FDB…ABA6`).
//!
//! Each finding points at the token or the value, not at the start of its line.

use std::sync::LazyLock;

use regex::Regex;

use crate::diag::{Diagnostic, Position, Severity};
use crate::lint::source::re;
use crate::lint::{Context, Rule};
use crate::model::{Block, EnvVar};

/// The rule.
pub(super) struct SecretInCode;

/// Formats of real credentials.
static TOKENS: LazyLock<Vec<(&'static str, Regex)>> = LazyLock::new(|| {
    [
        ("an AWS access key id", r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
        ("a GitHub token", r"\bgh[pousr]_[A-Za-z0-9]{36,}\b"),
        ("a GitHub token", r"\bgithub_pat_[A-Za-z0-9_]{60,}\b"),
        ("a Slack token", r"\bxox[abprs]-[A-Za-z0-9-]{10,}\b"),
        ("a Stripe live key", r"\b[sr]k_live_[A-Za-z0-9]{16,}\b"),
        ("a Google API key", r"\bAIza[0-9A-Za-z_-]{35}\b"),
        (
            "a private key",
            r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP )?PRIVATE KEY-----",
        ),
    ]
    .into_iter()
    .map(|(what, pattern)| (what, re(pattern)))
    .collect()
});

impl Rule for SecretInCode {
    fn code(&self) -> &'static str {
        "secret-in-code"
    }

    fn default_severity(&self) -> Severity {
        Severity::Error
    }

    fn summary(&self) -> &'static str {
        "a real-looking password, token or key is written in the checklist"
    }

    fn why(&self) -> &'static str {
        "Checklists live in git and are published as sites: a credential written in one is leaked to everyone who can read either, and stays in the history after it is deleted."
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for block in cx.checklist.walk_blocks() {
            if let Block::Code {
                line, text, env, ..
            } = block
            {
                let before = out.len();
                self.tokens(cx, *line, text, out);
                let token_lines: Vec<u32> = out[before..].iter().map(|d| d.line).collect();
                // A known token is said once, not again as the value of its variable.
                for var in env
                    .iter()
                    .filter(|v| looks_real(v) && !token_lines.contains(&v.line))
                {
                    let at = on_line(cx, var.line, |text| {
                        let key = text.find(&var.key)? + var.key.len();
                        let value = key + text[key..].find(var.value.trim())?;
                        Some(value..value + var.value.trim().len())
                    });
                    out.push(self.found(
                        at,
                        format!("`{}` holds what looks like a real secret", var.key),
                    ));
                }
            }
        }
    }
}

impl SecretInCode {
    fn tokens(&self, cx: &Context<'_>, start: u32, text: &str, out: &mut Vec<Diagnostic>) {
        // A fenced block's code starts on the line after its fence, an indented one's on its
        // first line.
        let fence = cx
            .lines
            .line_text(cx.source, start)
            .trim_start_matches([' ', '\t', '>']);
        let first = start + u32::from(fence.starts_with("```") || fence.starts_with("~~~"));
        for (n, line) in (0u32..).zip(text.lines()) {
            for (what, pattern) in TOKENS.iter() {
                if pattern.is_match(line) {
                    let at = on_line(cx, first.saturating_add(n), |text| {
                        pattern.find(text).map(|m| m.range())
                    });
                    out.push(self.found(at, format!("this line holds {what}")));
                }
            }
        }
    }

    fn found(&self, at: Position, message: String) -> Diagnostic {
        Diagnostic::new(self.code(), self.default_severity(), message, at).with_hint(
            "remove it, rotate the credential, and write a placeholder such as `<DB_PASSWORD>`",
        )
    }
}

/// A secret-named variable whose value is neither a placeholder nor a reference and is long
/// and varied enough to be a real credential.
/// The position on source line `line` of what `find` finds in the line's text, else the line.
fn on_line(
    cx: &Context<'_>,
    line: u32,
    find: impl Fn(&str) -> Option<std::ops::Range<usize>>,
) -> Position {
    let Some(start) = cx.lines.line_start(line) else {
        return Position::line(line);
    };
    match find(cx.lines.line_text(cx.source, line)) {
        Some(range) if !range.is_empty() => {
            crate::lint::source::position(cx, start + range.start..start + range.end)
        }
        _ => Position::line(line),
    }
}

/// Whether a variable holds something public: a public key, or a key's fingerprint or id in
/// hex (`GPG_KEY=3FDB14868A2B36D638F3C495F98FBED10482ABA6`), which identify a key to check
/// signatures with and unlock nothing.
fn is_public(key: &str, value: &str) -> bool {
    let key = key.to_ascii_uppercase();
    let named = |words: &[&str]| words.iter().any(|w| key.contains(w));
    if named(&["PASS", "PRIVATE", "SECRET", "TOKEN"]) {
        return false;
    }
    let digits = value.chars().filter(char::is_ascii_hexdigit).count();
    let hex = (8..=40).contains(&digits)
        && value
            .chars()
            .all(|c| c.is_ascii_hexdigit() || c == ' ' || c == ':');
    named(&["PUBLIC_KEY", "PUBKEY", "PUB_KEY"])
        || (hex && named(&["GPG", "PGP", "FINGERPRINT", "KEY_ID", "KEYID"]))
}

fn looks_real(var: &EnvVar) -> bool {
    if !var.secret || var.placeholder {
        return false;
    }
    let value = var.value.trim().trim_matches(['"', '\'']);
    if is_public(&var.key, value) {
        return false;
    }
    let lower = value.to_ascii_lowercase();
    let placeholder_words = [
        "your",
        "example",
        "change",
        "replace",
        "xxx",
        "placeholder",
        "secret",
        "password",
        "todo",
        "tbd",
        "dummy",
        "sample",
        "test",
        "<",
        "{{",
        "${",
        "$(",
    ];
    if value.len() < 12
        || value.starts_with('$')
        || placeholder_words.iter().any(|w| lower.contains(w))
    {
        return false;
    }
    let classes = [
        value.chars().any(|c| c.is_ascii_lowercase()),
        value.chars().any(|c| c.is_ascii_uppercase()),
        value.chars().any(|c| c.is_ascii_digit()),
        value.chars().any(|c| !c.is_ascii_alphanumeric()),
    ];
    classes.iter().filter(|&&c| c).count() >= 2 && entropy(value) >= 3.0
}

/// Shannon entropy in bits per character.
fn entropy(s: &str) -> f64 {
    let mut counts = [0u32; 256];
    for b in s.bytes() {
        counts[usize::from(b)] += 1;
    }
    let n = f64::from(u32::try_from(s.len()).unwrap_or(u32::MAX));
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / n;
            -p * p.log2()
        })
        .sum()
}
