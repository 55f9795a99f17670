//! `task-in-comment`: a task line inside an HTML comment (`<!-- - [ ] Notify support -->`): it
//! is hidden from every reader and from the runbook.

use crate::diag::{Diagnostic, Severity};
use crate::lint::source::{code_blocks, in_code, lines, position};
use crate::lint::{Context, Rule};

/// The rule.
pub(super) struct TaskInComment;

impl Rule for TaskInComment {
    fn code(&self) -> &'static str {
        "task-in-comment"
    }

    fn default_severity(&self) -> Severity {
        Severity::Warning
    }

    fn summary(&self) -> &'static str {
        "a task is inside an HTML comment, so nobody sees it"
    }

    fn why(&self) -> &'static str {
        "Commenting a step out hides it from the operator while it still looks present in the source; if it is obsolete, delete it so the history says so."
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        if memchr::memmem::find(cx.source.as_bytes(), b"<!--").is_none() {
            return;
        }
        let code = code_blocks(cx);
        let mut open = false;
        for (n, start, line) in lines(cx.source) {
            if in_code(&code, n) {
                continue;
            }
            let mut rest = line;
            let mut offset = 0;
            loop {
                if open {
                    let (body, closed) = match rest.find("-->") {
                        Some(e) => (&rest[..e], Some(e + 3)),
                        None => (rest, None),
                    };
                    self.scan(cx, out, start + offset, body);
                    match closed {
                        Some(e) => {
                            open = false;
                            offset += e;
                            rest = &rest[e..];
                        }
                        None => break,
                    }
                } else if let Some(s) = rest.find("<!--") {
                    open = true;
                    offset += s + 4;
                    rest = &rest[s + 4..];
                } else {
                    break;
                }
            }
        }
    }
}

impl TaskInComment {
    fn scan(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>, at: usize, body: &str) {
        let trimmed = body.trim_start();
        let lead = body.len() - trimmed.len();
        let marker = trimmed
            .strip_prefix(['-', '*', '+'])
            .map(str::trim_start)
            .filter(|t| t.starts_with("[ ]") || t.starts_with("[x]") || t.starts_with("[X]"));
        if marker.is_some() {
            let width = trimmed.find(']').map_or(1, |e| e + 1);
            out.push(
                Diagnostic::new(
                    self.code(),
                    self.default_severity(),
                    "this task is inside an HTML comment and is hidden",
                    position(cx, at + lead..at + lead + width),
                )
                .with_hint("delete it if it is obsolete, or take it out of the comment"),
            );
        }
    }
}
