//! Repairing UTF-8 that was decoded as Windows-1252 (`âœ…` → `✅`, `ðŸš€` → `🚀`) or as Mac OS
//! Roman (`üìù` after U+F8FF → `📝`, `‚Üí` → `→`).
//!
//! A run of characters that the encoding maps to bytes 0x80–0xFF is turned back into those
//! bytes; every complete UTF-8 sequence found in them is decoded, and everything else is left as
//! written. Genuine Latin-1 text (`café`, `naïve`) never forms such a sequence, so it is safe.
//! Mac OS Roman is tried only when Windows-1252 finds nothing, and only sequences of three or
//! four bytes (arrows, symbols, emoji) are taken from it: two of its letters in a row can form a
//! two-byte sequence in genuine text (`“Über”`), three such characters hardly ever do.

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

/// The characters Mac OS Roman decodes bytes 0x80–0xFF to, with their bytes, sorted by
/// character.
static MAC_HIGH: LazyLock<Vec<(char, u8)>> = LazyLock::new(|| {
    let mut table: Vec<(char, u8)> = (0x80..=0xFFu8)
        .filter_map(|b| {
            let byte = [b];
            let (text, _) = encoding_rs::MACINTOSH.decode_without_bom_handling(&byte);
            text.chars().next().map(|c| (c, b))
        })
        .collect();
    table.sort_unstable();
    table
});

/// The byte 0x80–0xFF that Mac OS Roman decodes to `c`, if any.
fn mac_byte(c: char) -> Option<u8> {
    if c.is_ascii() {
        return None;
    }
    let table = &*MAC_HIGH;
    table
        .binary_search_by_key(&c, |&(t, _)| t)
        .ok()
        .map(|i| table[i].1)
}

/// An encoding UTF-8 may have been decoded as.
struct Misread {
    /// The byte the encoding decodes to a character, for bytes 0x80–0xFF.
    byte: fn(char) -> Option<u8>,
    /// The shortest UTF-8 sequence taken as a repair.
    shortest: usize,
    /// Its name.
    name: &'static str,
}

const WINDOWS_1252: Misread = Misread {
    byte: cp1252_byte,
    shortest: 2,
    name: "Windows-1252",
};

const MAC_ROMAN: Misread = Misread {
    byte: mac_byte,
    shortest: 3,
    name: "Mac OS Roman",
};

/// One repaired stretch of text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    /// Byte range of the mojibake in the input.
    pub range: Range<usize>,
    /// The mojibake as written.
    pub from: String,
    /// What it stood for.
    pub to: String,
    /// The encoding the text was decoded as (`Windows-1252`).
    pub encoding: &'static str,
}

/// Repairs `text`; `None` when there is nothing to repair.
#[must_use]
pub fn repair(text: &str) -> Option<(String, Vec<Repair>)> {
    if text.is_ascii() {
        return None;
    }
    repair_as(text, &WINDOWS_1252).or_else(|| repair_as(text, &MAC_ROMAN))
}

/// Repairs `text` as UTF-8 decoded as `misread`.
fn repair_as(text: &str, misread: &Misread) -> Option<(String, Vec<Repair>)> {
    let mut out = String::with_capacity(text.len());
    let mut repairs: Vec<Repair> = Vec::new();
    let mut last = 0;
    for run in high_runs(text, misread) {
        out.push_str(&text[last..run.start]);
        decode_run(text, run.clone(), misread, &mut out, &mut repairs);
        last = run.end;
    }
    out.push_str(&text[last..]);
    (!repairs.is_empty()).then_some((out, repairs))
}

/// Byte ranges of maximal runs of characters that map to high bytes of the encoding.
fn high_runs(text: &str, misread: &Misread) -> Vec<Range<usize>> {
    let mut runs = Vec::new();
    let mut current: Option<Range<usize>> = None;
    for (i, c) in text.char_indices() {
        if (misread.byte)(c).is_some() {
            let end = i + c.len_utf8();
            current = Some(current.map_or(i..end, |r| r.start..end));
        } else if let Some(r) = current.take() {
            runs.push(r);
        }
    }
    runs.extend(current);
    runs
}

fn decode_run(
    text: &str,
    run: Range<usize>,
    misread: &Misread,
    out: &mut String,
    repairs: &mut Vec<Repair>,
) {
    let chars: Vec<(usize, char)> = text[run.clone()]
        .char_indices()
        .map(|(i, c)| (run.start + i, c))
        .collect();
    let bytes: Vec<u8> = chars
        .iter()
        .map(|(_, c)| (misread.byte)(*c).unwrap_or(0))
        .collect();
    let mut i = 0;
    while i < bytes.len() {
        let len = sequence_len(bytes[i]);
        let decoded = (len >= misread.shortest && i + len <= bytes.len())
            .then(|| std::str::from_utf8(&bytes[i..i + len]).ok())
            .flatten();
        if let Some(decoded) = decoded {
            let start = chars[i].0;
            let end = chars.get(i + len).map_or(run.end, |(o, _)| *o);
            out.push_str(decoded);
            push_repair(repairs, text, start..end, decoded, misread.name);
            i += len;
        } else {
            out.push(chars[i].1);
            i += 1;
        }
    }
}

/// Merges repairs that touch into one, so `ðŸš€âœ…` reads as one repair.
fn push_repair(
    repairs: &mut Vec<Repair>,
    text: &str,
    range: Range<usize>,
    decoded: &str,
    encoding: &'static str,
) {
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
        encoding,
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
        assert!(repair("“Über” —énorme „Übung“ ≤ ±5 √2 ∆t").is_none());
    }

    /// Regression: UTF-8 read as Mac OS Roman (`üìù Templates ‚Üí here`, after the Apple
    /// logo U+F8FF that byte 0xF0 reads as) was left as it was.
    #[test]
    fn repairs_mac_roman() {
        let (fixed, repairs) = repair("\u{f8ff}üìù Templates ‚Üí here").unwrap_or_default();
        assert_eq!(fixed, "📝 Templates → here");
        assert_eq!(repairs.len(), 2);
        assert_eq!(repairs[0].encoding, "Mac OS Roman");
    }

    #[test]
    fn repairs_emoji_with_variation_selector() {
        let mojibake = "\u{e2}\u{161}\u{a0}\u{ef}\u{b8}\u{8f} Warning";
        let (fixed, _) = repair(mojibake).unwrap_or_default();
        assert_eq!(fixed, "\u{26a0}\u{fe0f} Warning");
    }
}
