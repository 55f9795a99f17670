//! Comparing texts: a similarity score for matching reworded items, and word-level diffs.

use similar::{Algorithm, ChangeTag, TextDiff};

use super::model::{Span, SpanOp};

/// Items whose texts score at least this are the same item, reworded.
pub(super) const SIMILAR: f64 = 0.5;

/// Longest text compared character by character; longer texts compare by their first part.
const MAX_COMPARED: usize = 1024;

/// Texts with more words than this are diffed as a whole (all deleted, all inserted): a word
/// diff of them would be slow and unreadable. A bound on size, not on time, so that the same
/// input always gives the same output.
const MAX_DIFFED_WORDS: usize = 2_000;

/// The character bigrams of a folded text, sorted, for [`dice`].
#[must_use]
pub(super) fn bigrams(folded: &str) -> Vec<(char, char)> {
    let chars: Vec<char> = folded
        .chars()
        .filter(|c| !c.is_whitespace())
        .take(MAX_COMPARED)
        .collect();
    let mut out: Vec<(char, char)> = chars.windows(2).map(|w| (w[0], w[1])).collect();
    if out.is_empty() {
        out.extend(chars.first().map(|&c| (c, c)));
    }
    out.sort_unstable();
    out
}

/// Sørensen–Dice coefficient of two sorted bigram lists: 1 for the same text, 0 for nothing in
/// common.
#[must_use]
pub(super) fn dice(a: &[(char, char)], b: &[(char, char)]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    ratio(2 * common, a.len() + b.len())
}

/// The score of a text extended at its end (`Update CHANGELOG.md` → `Update CHANGELOG.md with
/// the script`): the same item, said more fully. 0.8 when the shorter folded text, of two words
/// or more, starts the longer at a word boundary; else 0.
#[must_use]
pub(super) fn extended(a: &str, b: &str) -> f64 {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    // `…in #release:` extended as `…in #release. Note that…`: the mark that ended it goes.
    let short = short.trim_end_matches(|c: char| !c.is_alphanumeric());
    let words = short.split_whitespace().count();
    let at_boundary = long
        .get(short.len()..)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(|c: char| !c.is_alphanumeric()));
    if words >= 2 && long.starts_with(short) && at_boundary {
        0.8
    } else {
        0.0
    }
}

/// `part / whole` as a float; counts here are far below 2^52, so the casts are exact.
#[allow(clippy::cast_precision_loss)]
#[must_use]
pub(super) fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// Word-level diff of two texts, as runs of equal, deleted and inserted text. Words are runs
/// of characters between spaces, except in scripts written without spaces (Chinese, Japanese),
/// where each character is a word: `…動いているか` → `…動いているか確認` inserts `確認` alone.
#[must_use]
pub(super) fn word_diff(old: &str, new: &str) -> Vec<Span> {
    let (old_tokens, new_tokens) = (tokens(old), tokens(new));
    if old_tokens.len() > MAX_DIFFED_TOKENS || new_tokens.len() > MAX_DIFFED_TOKENS {
        return vec![
            Span {
                op: SpanOp::Delete,
                text: old.to_owned(),
            },
            Span {
                op: SpanOp::Insert,
                text: new.to_owned(),
            },
        ];
    }
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Patience)
        .diff_slices(&old_tokens, &new_tokens);
    let mut spans: Vec<Span> = Vec::new();
    for change in diff.iter_all_changes() {
        let op = match change.tag() {
            ChangeTag::Equal => SpanOp::Equal,
            ChangeTag::Insert => SpanOp::Insert,
            ChangeTag::Delete => SpanOp::Delete,
        };
        match spans.last_mut() {
            Some(last) if last.op == op => last.text.push_str(change.value()),
            _ => spans.push(Span {
                op,
                text: change.value().to_owned(),
            }),
        }
    }
    spans
}

/// Most tokens (words and the spaces between them) diffed word by word.
const MAX_DIFFED_TOKENS: usize = 2 * MAX_DIFFED_WORDS + 1;

/// A text cut into runs of white space, runs of other characters, and single characters of
/// scripts written without spaces; the tokens joined give the text back.
fn tokens(text: &str) -> Vec<&str> {
    #[derive(PartialEq)]
    enum Class {
        Space,
        Run,
        Alone,
    }
    let class = |c: char| {
        if c.is_whitespace() {
            Class::Space
        } else if is_unspaced_script(c) {
            Class::Alone
        } else {
            Class::Run
        }
    };
    let mut out = Vec::new();
    let mut start = 0;
    let mut last: Option<Class> = None;
    for (at, c) in text.char_indices() {
        let now = class(c);
        if last
            .as_ref()
            .is_some_and(|l| *l != now || now == Class::Alone)
        {
            out.push(&text[start..at]);
            start = at;
        }
        last = Some(now);
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// Han ideographs, kana and CJK punctuation: written without spaces between words.
fn is_unspaced_script(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{30FF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FF01}'..='\u{FF60}'
        | '\u{FF66}'..='\u{FF9F}'
        | '\u{20000}'..='\u{3FFFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(a: &str, b: &str) -> f64 {
        dice(
            &bigrams(&super::super::flat::fold(a)),
            &bigrams(&super::super::flat::fold(b)),
        )
    }

    #[test]
    fn rewording_scores_above_the_threshold() {
        assert!(score("Back up the database", "Back up the production database") > SIMILAR);
        assert!(
            score(
                "Notify the team in #deploys",
                "Notify the team in #releases"
            ) > SIMILAR
        );
        assert!(score("Run migrations", "Page the on-call engineer") < SIMILAR);
        assert!((score("same", "same") - 1.0).abs() < f64::EPSILON);
    }

    /// Regression: an item extended with a clause (`Update CHANGELOG.md` → `Update CHANGELOG.md
    /// with ./scripts/generate_changelog.py`) scored under the threshold, and was removed and
    /// added rather than changed.
    #[test]
    fn an_extended_text_is_the_same_item() {
        let (a, b) = (
            "update changelog.md",
            "update changelog.md with ./scripts/generate_changelog.py",
        );
        assert!(score(a, b) < SIMILAR);
        assert!(extended(a, b) > SIMILAR && extended(b, a) > SIMILAR);
        assert!(extended("deploy", "deploy the web tier").abs() < f64::EPSILON);
        assert!(extended("run the tests", "run the testsuite").abs() < f64::EPSILON);
        assert!(extended("link them in #release:", "link them in #release. note that") > SIMILAR);
    }

    /// Regression: in Japanese, which has no spaces, a word added at the end of an item
    /// showed as the whole item deleted and inserted.
    #[test]
    fn unspaced_scripts_diff_by_character() {
        let spans = word_diff("サービスは動いているか", "サービスは動いているか確認");
        assert_eq!(
            spans,
            [
                Span {
                    op: SpanOp::Equal,
                    text: "サービスは動いているか".into()
                },
                Span {
                    op: SpanOp::Insert,
                    text: "確認".into()
                },
            ]
        );
        assert_eq!(tokens("run v1.2 now"), ["run", " ", "v1.2", " ", "now"]);
        assert_eq!(tokens("確認 ok"), ["確", "認", " ", "ok"]);
    }

    #[test]
    fn word_diff_keeps_every_word() {
        let spans = word_diff("run the old migration", "run the new migration now");
        let old: String = spans
            .iter()
            .filter(|s| s.op != SpanOp::Insert)
            .map(|s| s.text.as_str())
            .collect();
        let new: String = spans
            .iter()
            .filter(|s| s.op != SpanOp::Delete)
            .map(|s| s.text.as_str())
            .collect();
        assert_eq!(old, "run the old migration");
        assert_eq!(new, "run the new migration now");
        assert!(
            spans
                .iter()
                .any(|s| s.op == SpanOp::Delete && s.text == "old")
        );
    }
}
