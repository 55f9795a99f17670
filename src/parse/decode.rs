//! Turning a file's bytes into text: BOMs, UTF-16, and files that are not UTF-8.
//!
//! Input: raw bytes. Output: text plus diagnostics. Never fails: bytes that are not UTF-8 are
//! read as Windows-1252 (every byte maps to a character), so nothing the author wrote is lost.

use encoding_rs::{UTF_16BE, UTF_16LE, WINDOWS_1252};

use crate::diag::{Diagnostic, LineIndex, Position, Severity};

/// Decodes `bytes` to text, reporting anything unusual. A lone carriage return (old Mac line
/// endings) becomes a line feed, which keeps every byte offset: Markdown reads both as a line
/// ending, the parser only the second.
#[must_use]
pub(super) fn decode(bytes: &[u8]) -> (String, Vec<Diagnostic>) {
    let (mut text, mut diagnostics) = decode_any(bytes);
    if memchr::memchr(b'\r', text.as_bytes()).is_some() {
        text = lone_cr_to_lf(&text);
    }
    if has_controls(&text)
        && let Some((replaced, diagnostic)) = replace_controls(&text)
    {
        text = replaced;
        diagnostics.push(diagnostic);
    }
    (text, diagnostics)
}

/// Whether `text` holds an [`is_control`] character, read on its bytes: an ASCII control is one
/// byte, a C1 control the bytes `C2 80` to `C2 9F`.
fn has_controls(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().any(|(at, &b)| {
        (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c))
            || b == 0x7f
            || (b == 0xc2 && bytes.get(at + 1).is_some_and(|n| (0x80..=0x9f).contains(n)))
    })
}

/// Control characters that are not line breaks, tabs or form feeds: no renderer shows them,
/// HTML does not allow them, and NUL is replaced by every Markdown reader. The C1 controls
/// (U+0080 to U+009F) are among them: a terminal obeys some, and a file that is not UTF-8
/// gives them for the bytes Windows-1252 leaves undefined (`81`, `8D`, `8F`, `90`, `9D`).
fn is_control(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c')) || c == '\x7f'
}

/// `text` with each control character replaced by U+FFFD, and one warning at the first; `None`
/// when every one of them is a part of mojibake to repair.
fn replace_controls(text: &str) -> Option<(String, Diagnostic)> {
    let replaced_at: Vec<usize> = text
        .char_indices()
        .filter(|&(at, c)| is_control(c) && !in_mojibake(text, at, c))
        .map(|(at, _)| at)
        .collect();
    let &first = replaced_at.first()?;
    let count = replaced_at.len();
    let code = text[first..].chars().next().map_or(0, u32::from);
    let width = text[first..].chars().next().map_or(1, char::len_utf8);
    let at = LineIndex::new(text).position(text, first..first + width);
    let mut replaced = String::with_capacity(text.len());
    let mut last = 0;
    for &at in &replaced_at {
        replaced.push_str(&text[last..at]);
        replaced.push('\u{fffd}');
        last = at + text[at..].chars().next().map_or(1, char::len_utf8);
    }
    replaced.push_str(&text[last..]);
    let what = if count == 1 {
        format!("control character U+{code:04X}")
    } else {
        format!("{count} control characters, the first U+{code:04X},")
    };
    let diagnostic = Diagnostic::new(
        "control-character",
        Severity::Warning,
        format!("{what} replaced by U+FFFD"),
        at,
    )
    .with_hint("delete it: it is not text, and no page or printout shows it");
    Some((replaced, diagnostic))
}

/// Whether the C1 control `c` at `at` is a part of UTF-8 misread as Windows-1252, which the
/// normaliser repairs: `⚠️` misread is `âš ï¸` then U+008F, `📝` is `ðŸ“` then U+009D.
fn in_mojibake(text: &str, at: usize, c: char) -> bool {
    if c.is_ascii() {
        return false;
    }
    let start = crate::diag::floor_char_boundary(text, at.saturating_sub(12));
    let mut end = (at + 12).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    let window = &text[start..end];
    crate::normalise::repair_mojibake(window)
        .is_some_and(|(fixed, _)| fixed.matches(c).count() < window.matches(c).count())
}

fn lone_cr_to_lf(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() != Some(&'\n') {
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    out
}

fn decode_any(bytes: &[u8]) -> (String, Vec<Diagnostic>) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return decode_utf8(rest);
    }
    // UTF-32's little-endian mark starts with UTF-16's: it is looked for first.
    for (bom, little, name) in [
        (&b"\xFF\xFE\x00\x00"[..], true, "UTF-32LE"),
        (&b"\x00\x00\xFE\xFF"[..], false, "UTF-32BE"),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            let (text, bad) = decode_utf32(rest, little);
            return (text.clone(), read_as(name, &text, bad));
        }
    }
    for (bom, encoding, name) in [
        (&b"\xFF\xFE"[..], UTF_16LE, "UTF-16LE"),
        (&b"\xFE\xFF"[..], UTF_16BE, "UTF-16BE"),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            let (text, bad) = encoding.decode_without_bom_handling(rest);
            let text = text.into_owned();
            let diagnostics = read_as(name, &text, bad);
            return (text, diagnostics);
        }
    }
    decode_utf8(bytes)
}

/// UTF-32 (`little`-endian or not) as text; a code unit that is no character, or bytes left
/// over, become U+FFFD, and the flag says there were some.
fn decode_utf32(bytes: &[u8], little: bool) -> (String, bool) {
    let mut bad = !bytes.len().is_multiple_of(4);
    let mut text: String = bytes
        .chunks_exact(4)
        .map(|b| {
            let unit = [b[0], b[1], b[2], b[3]];
            let n = if little {
                u32::from_le_bytes(unit)
            } else {
                u32::from_be_bytes(unit)
            };
            char::from_u32(n).unwrap_or_else(|| {
                bad = true;
                char::REPLACEMENT_CHARACTER
            })
        })
        .collect();
    if !bytes.len().is_multiple_of(4) {
        text.push(char::REPLACEMENT_CHARACTER);
    }
    (text, bad)
}

/// The note that a file was read in the encoding `name`, and, when some of its bytes were no
/// character in it (`bad`: a lone surrogate, an odd byte at the end), an error at the first.
fn read_as(name: &str, text: &str, bad: bool) -> Vec<Diagnostic> {
    let mut out = vec![
        Diagnostic::new(
            "encoding",
            Severity::Info,
            format!("file is {name}; read as such"),
            Position::line(1),
        )
        .with_hint("save the file as UTF-8 so other tools read it too"),
    ];
    if bad {
        let at = text.find(char::REPLACEMENT_CHARACTER).unwrap_or(text.len());
        let mut position = LineIndex::new(text).position(text, at..at);
        position.width = 1;
        out.push(
            Diagnostic::new(
                "invalid-utf8",
                Severity::Error,
                format!(
                    "file is not valid {name}: bytes that are no character were read as `\u{fffd}`"
                ),
                position,
            )
            .with_hint(format!("re-save the file as UTF-8, or as valid {name}")),
        );
    }
    out
}

fn decode_utf8(bytes: &[u8]) -> (String, Vec<Diagnostic>) {
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_owned(), Vec::new()),
        Err(e) => {
            let valid = e.valid_up_to();
            let prefix = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
            let mut at = LineIndex::new(prefix).position(prefix, valid..valid);
            at.width = 1;
            let (text, _, _) = WINDOWS_1252.decode(bytes);
            let diagnostic = Diagnostic::new(
                "invalid-utf8",
                Severity::Error,
                format!(
                    "file is not valid UTF-8 (byte 0x{:02X} at offset {valid}); read as Windows-1252",
                    bytes[valid]
                ),
                at,
            )
            .with_hint("re-save the file as UTF-8");
            (text.into_owned(), vec![diagnostic])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: a UTF-16 file with a lone surrogate and an odd last byte was read without
    /// an error, and a UTF-32 file was read as UTF-16 (a title of `�#� �T�`).
    #[test]
    fn broken_utf16_is_an_error_and_utf32_is_read() {
        let mut utf16 = b"\xFF\xFE".to_vec();
        for unit in "# T\n- [ ] a".encode_utf16().chain([0xD800]) {
            utf16.extend(unit.to_le_bytes());
        }
        utf16.push(b'x');
        let (text, diags) = decode(&utf16);
        assert!(text.starts_with("# T\n- [ ] a\u{fffd}"), "{text:?}");
        let error = diags.iter().find(|d| d.severity == Severity::Error);
        assert_eq!(error.map(|d| (d.line, d.column)), Some((2, 8)), "{diags:?}");
        let mut utf32 = b"\xFF\xFE\x00\x00".to_vec();
        for c in "# Título\n".chars() {
            utf32.extend(u32::from(c).to_le_bytes());
        }
        let (text, diags) = decode(&utf32);
        assert_eq!(text, "# Título\n");
        assert!(
            diags.iter().all(|d| d.severity != Severity::Error),
            "{diags:?}"
        );
        assert!(diags[0].message.contains("UTF-32LE"), "{diags:?}");
    }

    #[test]
    fn bom_is_dropped() {
        let (text, diags) = decode(b"\xEF\xBB\xBF# Title\n");
        assert_eq!(text, "# Title\n");
        assert!(diags.is_empty());
    }

    #[test]
    fn invalid_utf8_is_located_and_read_as_windows_1252() {
        let (text, diags) = decode(b"# T\n- [ ] caf\xE9\n");
        assert_eq!(text, "# T\n- [ ] caf\u{e9}\n");
        assert_eq!(diags.len(), 1);
        assert_eq!((diags[0].line, diags[0].column), (2, 10));
        assert_eq!(diags[0].code, "invalid-utf8");
    }

    #[test]
    fn utf16_is_decoded() {
        let (text, diags) = decode(b"\xFF\xFE#\x00 \x00T\x00");
        assert_eq!(text, "# T");
        assert_eq!(diags[0].severity, Severity::Info);
    }

    /// Regression: the C1 controls inside emoji misread as Windows-1252 (`âš ï¸` then U+008F
    /// for `⚠️`) were replaced, so the mojibake could no longer be repaired.
    #[test]
    fn c1_controls_of_mojibake_are_left_to_repair() {
        let misread =
            "## \u{e2}\u{161}\u{a0}\u{ef}\u{b8}\u{8f} Next steps\n- \u{e2}\u{8f}\u{b3} 0%\n";
        let (text, diags) = decode(misread.as_bytes());
        assert_eq!(text, misread);
        assert!(diags.is_empty(), "{diags:?}");
    }

    /// Regression: bytes that Windows-1252 leaves undefined became C1 controls (U+0090),
    /// which went raw into pages, where HTML forbids them, and into the terminal.
    #[test]
    fn c1_controls_are_replaced() {
        let (text, diags) = decode(b"# T\n\n- [ ] Caf\xe9 ok \x90\x81\n");
        assert_eq!(text, "# T\n\n- [ ] Caf\u{e9} ok \u{fffd}\u{fffd}\n");
        let codes: Vec<&str> = diags.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["invalid-utf8", "control-character"]);
        let (text, _) = decode("a\u{9b}31m b\u{85}".as_bytes());
        assert_eq!(text, "a\u{fffd}31m b\u{fffd}");
        assert!(!has_controls("Café ¡olé! €"));
    }

    #[test]
    fn control_characters_are_replaced_and_reported_once() {
        let (text, diags) = decode(b"# T\0\n\n- [ ] a\x1b[31m\t\x0c\x7f\n");
        assert_eq!(text, "# T\u{fffd}\n\n- [ ] a\u{fffd}[31m\t\x0c\u{fffd}\n");
        assert_eq!(diags.len(), 1);
        assert_eq!(
            (diags[0].code.as_str(), diags[0].line, diags[0].column),
            ("control-character", 1, 4)
        );
    }
}
