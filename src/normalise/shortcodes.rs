//! GitHub's emoji shortcodes: `:rocket:` in text is the emoji 🚀, as GitHub shows it.
//!
//! Only names GitHub knows (the gemoji list) are replaced, and only between word boundaries, so
//! times (`10:30:00`) and words with colons stay as written. Code is never touched: it arrives
//! here as code, not text.

use std::ops::Range;

/// The shortcodes in `text`: each one's byte range and its emoji; `None` when there is none.
#[must_use]
pub(super) fn find(text: &str) -> Option<Vec<(Range<usize>, &'static str)>> {
    let bytes = text.as_bytes();
    // Two colons at least, or nothing to do: the common case returns here.
    let first = memchr::memchr(b':', bytes)?;
    memchr::memchr(b':', &bytes[first + 1..])?;
    let mut found = Vec::new();
    let mut at = first;
    while let Some(open) = memchr::memchr(b':', &bytes[at..]).map(|i| at + i) {
        let name_len = bytes[open + 1..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'+' | b'-'))
            .count();
        let close = open + 1 + name_len;
        if name_len == 0 || bytes.get(close) != Some(&b':') {
            at = open + 1;
            continue;
        }
        let bounded = !open
            .checked_sub(1)
            .is_some_and(|i| bytes[i].is_ascii_alphanumeric())
            && !bytes.get(close + 1).is_some_and(u8::is_ascii_alphanumeric);
        match emojis::get_by_shortcode(&text[open + 1..close]).filter(|_| bounded) {
            Some(emoji) => {
                found.push((open..close + 1, emoji.as_str()));
                at = close + 1;
            }
            // The closing colon may open the next shortcode (`:x::rocket:`).
            None => at = close,
        }
    }
    (!found.is_empty()).then_some(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn replaced(text: &str) -> String {
        let mut out = String::new();
        let mut last = 0;
        for (range, emoji) in find(text).unwrap_or_default() {
            out.push_str(&text[last..range.start]);
            out.push_str(emoji);
            last = range.end;
        }
        out.push_str(&text[last..]);
        out
    }

    #[test]
    fn known_names_between_word_boundaries() {
        assert_eq!(replaced(":rocket: Deploy"), "🚀 Deploy");
        assert_eq!(replaced("Done :white_check_mark::+1:"), "Done ✅👍");
        assert_eq!(replaced("(:warning:)"), "(⚠️)");
        assert_eq!(replaced(":not_an_emoji: :rocket:"), ":not_an_emoji: 🚀");
    }

    #[test]
    fn times_words_and_lone_colons_stay() {
        for text in [
            "at 10:30:00",
            "ratio 1:100:2",
            "a:rocket:b",
            "Note: see :",
            "::",
            ":",
            "é:rocket",
        ] {
            assert_eq!(find(text), None, "{text}");
        }
    }
}
