//! Repairing UTF-8 that was decoded as Windows-1252 (`âœ…` → `✅`, `ðŸš€` → `🚀`).
//!
//! A run of characters that Windows-1252 maps to bytes 0x80–0xFF is turned back into those
//! bytes; every complete UTF-8 sequence found in them is decoded, and everything else is left as
//! written. Genuine Latin-1 text (`café`, `naïve`) never forms such a sequence, so it is safe.

use std::ops::Range;
use std::sync::LazyLock;

/// Characters Windows-1252 decodes bytes 0x80–0x9F to (0xA0–0xFF decode to U+00A0–U+00FF).
static LOW_HIGH: LazyLock<[char; 32]> = LazyLock::new(|| {
    let mut table = ['\0'; 32];
    for (slot, b) in table.iter_mut().zip(0x80..=0x9Fu8) {
        let byte = [b];
        let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&byte);
        *slot = text.chars().next().unwrap_or('\0');
    }
    table
});

/// The byte 0x80–0xFF that Windows-1252 decodes to `c`, if any.
fn cp1252_byte(c: char) -> Option<u8> {
    match c {
        '\u{a0}'..='\u{ff}' => u8::try_from(u32::from(c)).ok(),
        '\0'..='\u{7f}' => None,
        _ => LOW_HIGH
            .iter()
            .position(|&t| t == c)
            .and_then(|i| u8::try_from(0x80 + i).ok()),
    }
}

/// One repaired stretch of text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    /// Byte range of the mojibake in the input.
    pub range: Range<usize>,
    /// The mojibake as written.
    pub from: String,
    /// What it stood for.
    pub to: String,
}

/// Repairs `text`; `None` when there is nothing to repair.
#[must_use]
pub fn repair(text: &str) -> Option<(String, Vec<Repair>)> {
    if text.is_ascii() {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut repairs: Vec<Repair> = Vec::new();
    let mut last = 0;
    for run in high_runs(text) {
        out.push_str(&text[last..run.start]);
        decode_run(text, run.clone(), &mut out, &mut repairs);
        last = run.end;
    }
    out.push_str(&text[last..]);
    (!repairs.is_empty()).then_some((out, repairs))
}

/// Byte ranges of maximal runs of characters that map to high Windows-1252 bytes.
fn high_runs(text: &str) -> Vec<Range<usize>> {
    let mut runs = Vec::new();
    let mut current: Option<Range<usize>> = None;
    for (i, c) in text.char_indices() {
        if cp1252_byte(c).is_some() {
            let end = i + c.len_utf8();
            current = Some(current.map_or(i..end, |r| r.start..end));
        } else if let Some(r) = current.take() {
            runs.push(r);
        }
    }
    runs.extend(current);
    runs
}

fn decode_run(text: &str, run: Range<usize>, out: &mut String, repairs: &mut Vec<Repair>) {
    let chars: Vec<(usize, char)> = text[run.clone()]
        .char_indices()
        .map(|(i, c)| (run.start + i, c))
        .collect();
    let bytes: Vec<u8> = chars
        .iter()
        .map(|(_, c)| cp1252_byte(*c).unwrap_or(0))
        .collect();
    let mut i = 0;
    while i < bytes.len() {
        let len = sequence_len(bytes[i]);
        let decoded = (len >= 2 && i + len <= bytes.len())
            .then(|| std::str::from_utf8(&bytes[i..i + len]).ok())
            .flatten();
        if let Some(decoded) = decoded {
            let start = chars[i].0;
            let end = chars.get(i + len).map_or(run.end, |(o, _)| *o);
            out.push_str(decoded);
            push_repair(repairs, text, start..end, decoded);
            i += len;
        } else {
            out.push(chars[i].1);
            i += 1;
        }
    }
}

/// Merges repairs that touch into one, so `ðŸš€âœ…` reads as one repair.
fn push_repair(repairs: &mut Vec<Repair>, text: &str, range: Range<usize>, decoded: &str) {
    if let Some(last) = repairs.last_mut()
        && last.range.end == range.start
    {
        last.range.end = range.end;
        text[last.range.clone()].clone_into(&mut last.from);
        last.to.push_str(decoded);
        return;
    }
    repairs.push(Repair {
        from: text[range.clone()].to_owned(),
        range,
        to: decoded.to_owned(),
    });
}

fn sequence_len(lead: u8) -> usize {
    match lead {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repairs_common_emoji() {
        let (fixed, repairs) = repair("## âœ… **PRE** ðŸš€ âœ“").unwrap_or_default();
        assert_eq!(fixed, "## ✅ **PRE** 🚀 ✓");
        assert_eq!(repairs.len(), 3);
        assert_eq!(repairs[0].from, "âœ…");
        assert_eq!(repairs[0].range, 3..10);
    }

    #[test]
    fn leaves_latin1_text_alone() {
        assert!(repair("café naïve Ångström ½ – “quoted”").is_none());
        assert!(repair("plain ascii").is_none());
    }

    #[test]
    fn repairs_emoji_with_variation_selector() {
        let mojibake = "\u{e2}\u{161}\u{a0}\u{ef}\u{b8}\u{8f} Warning";
        let (fixed, _) = repair(mojibake).unwrap_or_default();
        assert_eq!(fixed, "\u{26a0}\u{fe0f} Warning");
    }
}
