//! `secret-in-code`: a real-looking credential in a code block or env template: a known token
//! format (AWS, GitHub, Slack, Stripe, Google, private keys) anywhere in code, or a value of a
//! secret-named variable that is not a placeholder and looks random.
//!
//! Not flagged: placeholders (`your-api-key`, `<GENERATED>`, `...`, `changeme`), references
//! (`$DB_PASSWORD`, `${{ secrets.X }}`), and short or repetitive values.

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
                self.tokens(*line, text, out);
                for var in env.iter().filter(|v| looks_real(v)) {
                    out.push(self.found(
                        var.line,
                        format!("`{}` holds what looks like a real secret", var.key),
                    ));
                }
            }
        }
    }
}

impl SecretInCode {
    fn tokens(&self, fence: u32, text: &str, out: &mut Vec<Diagnostic>) {
        for (n, line) in (1u32..).zip(text.lines()) {
            for (what, pattern) in TOKENS.iter() {
                if pattern.is_match(line) {
                    out.push(
                        self.found(fence.saturating_add(n), format!("this line holds {what}")),
                    );
                }
            }
        }
    }

    fn found(&self, line: u32, message: String) -> Diagnostic {
        Diagnostic::new(
            self.code(),
            self.default_severity(),
            message,
            Position::line(line),
        )
        .with_hint(
            "remove it, rotate the credential, and write a placeholder such as `<DB_PASSWORD>`",
        )
    }
}

/// A secret-named variable whose value is neither a placeholder nor a reference and is long
/// and varied enough to be a real credential.
fn looks_real(var: &EnvVar) -> bool {
    if !var.secret || var.placeholder {
        return false;
    }
    let value = var.value.trim().trim_matches(['"', '\'']);
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
