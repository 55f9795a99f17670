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
        return replaced(old, new);
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
        push_span(&mut spans, op, change.value());
    }
    if rewritten(old, new, &spans) {
        return replaced(old, new);
    }
    joined_replacements(spans)
}

/// `old` deleted and `new` inserted, whole.
fn replaced(old: &str, new: &str) -> Vec<Span> {
    vec![
        Span {
            op: SpanOp::Delete,
            text: old.to_owned(),
        },
        Span {
            op: SpanOp::Insert,
            text: new.to_owned(),
        },
    ]
}

/// Appends `text` to the last span when it has the same `op`, else as a new span.
fn push_span(spans: &mut Vec<Span>, op: SpanOp, text: &str) {
    match spans.last_mut() {
        Some(last) if last.op == op => last.text.push_str(text),
        _ => spans.push(Span {
            op,
            text: text.to_owned(),
        }),
    }
}

/// Whether the words the two texts share are too few to read the change word by word: less
/// than a quarter of the shorter text (spaces aside) is kept. `Back up the database` →
/// `Snapshot the volume` is one text replaced by another, not three words replaced around
/// `the`.
fn rewritten(old: &str, new: &str, spans: &[Span]) -> bool {
    let letters = |s: &str| s.chars().filter(|c| !c.is_whitespace()).count();
    let kept: usize = spans
        .iter()
        .filter(|s| s.op == SpanOp::Equal)
        .map(|s| letters(&s.text))
        .sum();
    let shorter = letters(old).min(letters(new));
    shorter > 0 && kept * 4 < shorter
}

/// Joins replacements that only a space parts (`[-Back-]{+Snapshot+} [-up-]{+the+}`) into one
/// (`[-Back up-]{+Snapshot the+}`): a space alone says nothing was kept.
fn joined_replacements(spans: Vec<Span>) -> Vec<Span> {
    let replacement = |at: usize| {
        let ops: Vec<SpanOp> = spans.iter().skip(at).take(2).map(|s| s.op).collect();
        ops.contains(&SpanOp::Delete) && ops.contains(&SpanOp::Insert)
    };
    let joins: Vec<bool> = (0..spans.len())
        .map(|i| {
            spans[i].op == SpanOp::Equal
                && spans[i].text.trim().is_empty()
                && i >= 2
                && replacement(i - 2)
                && replacement(i + 1)
        })
        .collect();
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    let (mut deleted, mut inserted) = (String::new(), String::new());
    for (span, join) in spans.into_iter().zip(joins) {
        match span.op {
            SpanOp::Delete => deleted.push_str(&span.text),
            SpanOp::Insert => inserted.push_str(&span.text),
            SpanOp::Equal if join => {
                deleted.push_str(&span.text);
                inserted.push_str(&span.text);
            }
            SpanOp::Equal => {
                flush_replacement(&mut out, &mut deleted, &mut inserted);
                out.push(span);
            }
        }
    }
    flush_replacement(&mut out, &mut deleted, &mut inserted);
    out
}

/// Pushes the pending deleted, then inserted text, if any.
fn flush_replacement(out: &mut Vec<Span>, deleted: &mut String, inserted: &mut String) {
    for (op, text) in [(SpanOp::Delete, deleted), (SpanOp::Insert, inserted)] {
        if !text.is_empty() {
            out.push(Span {
                op,
                text: std::mem::take(text),
            });
        }
    }
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
        } else if crate::normalise::unspaced(c) {
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

    /// Regression: a rewritten item was shown as one word replaced after another, every space
    /// kept as if it were a shared word.
    #[test]
    fn a_rewrite_is_one_replacement() {
        let spans = word_diff(
            "Back up the database with pg_dump",
            "Snapshot the RDS volume via the console",
        );
        assert_eq!(
            spans,
            [
                Span {
                    op: SpanOp::Delete,
                    text: "Back up the database with pg_dump".into()
                },
                Span {
                    op: SpanOp::Insert,
                    text: "Snapshot the RDS volume via the console".into()
                },
            ]
        );
        // Replacements parted by a space join; a kept word still anchors.
        let spans = word_diff(
            "upload the source tarballs to the old mirror now",
            "upload the source tarballs to a new bucket now",
        );
        let ops: Vec<(SpanOp, &str)> = spans.iter().map(|s| (s.op, s.text.as_str())).collect();
        assert_eq!(
            ops,
            [
                (SpanOp::Equal, "upload the source tarballs to "),
                (SpanOp::Delete, "the old mirror"),
                (SpanOp::Insert, "a new bucket"),
                (SpanOp::Equal, " now"),
            ]
        );
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
