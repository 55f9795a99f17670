//! `bidi-control`: an invisible bidirectional control character (U+202A–U+202E,
//! U+2066–U+2069, U+200E, U+200F, U+061C), which can make text or a command read differently
//! from what it is ("Trojan Source").
//!
//! Fixed safely by deleting the character: checklists have no use for them.

use crate::diag::{Diagnostic, Severity};
use crate::lint::source::position;
use crate::lint::{Context, Rule};
use crate::normalise::is_bidi_control;

/// The rule.
pub(super) struct BidiControl;

/// The first control character at or after byte `from`. Every one of them is encoded with a
/// lead byte of 0xD8 or 0xE2, so only those bytes are looked at.
fn next_control(source: &str, from: usize) -> Option<(usize, char)> {
    memchr::memchr2_iter(0xD8, 0xE2, &source.as_bytes()[from..])
        .map(|i| from + i)
        .find_map(|i| {
            source[i..]
                .chars()
                .next()
                .filter(|&c| is_bidi_control(c))
                .map(|c| (i, c))
        })
}

impl Rule for BidiControl {
    fn code(&self) -> &'static str {
        "bidi-control"
    }

    fn default_severity(&self) -> Severity {
        Severity::Error
    }

    fn summary(&self) -> &'static str {
        "an invisible bidirectional control character changes how text reads"
    }

    fn why(&self) -> &'static str {
        "Bidi controls reorder what is displayed without changing what is copied or run: a command can look harmless in review and do something else when pasted into a shell."
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        // A run of control characters side by side is one finding.
        let mut from = 0;
        while let Some((i, c)) = next_control(cx.source, from) {
            let mut end = i + c.len_utf8();
            let mut count = 1;
            while let Some(next) = cx.source[end..]
                .chars()
                .next()
                .filter(|&n| is_bidi_control(n))
            {
                end += next.len_utf8();
                count += 1;
            }
            from = end;
            let message = if count == 1 {
                format!(
                    "invisible bidirectional control character U+{:04X}",
                    u32::from(c)
                )
            } else {
                format!(
                    "{count} invisible bidirectional control characters, from U+{:04X}",
                    u32::from(c)
                )
            };
            out.push(
                Diagnostic::new(
                    self.code(),
                    self.default_severity(),
                    message,
                    position(cx, i..end),
                )
                .with_hint("delete it; if the text really is right-to-left, it does not need it")
                .with_fix(cx.source[i..end].to_owned(), ""),
            );
        }
    }
}
