//! Time grows linearly with input: for each kind of hostile input, quadrupling it at most
//! multiplies the time of the whole pipeline by 8 (a quadratic step would take ×16). A test binary of its own, so that no other
//! test runs beside it; each time is the fastest of three runs.

mod common;

use common::hostile::{
    assert_linear, brackets, distinct_words, html_nesting, long_line, mojibake_line, nested,
    placeholders, quotes, stars, tasks, unterminated_tags,
};

#[test]
fn quadrupling_the_input_at_most_multiplies_the_time_by_8() {
    assert_linear("nesting", nested, 10_000);
    assert_linear("quotes", quotes, 10_000);
    assert_linear("brackets", brackets, 200_000);
    assert_linear("stars", stars, 200_000);
    assert_linear("long line", long_line, 1024 * 1024);
    assert_linear("tasks", tasks, 15_000);
    assert_linear("nested raw HTML", html_nesting, 5_000);
    assert_linear("unterminated tags", unterminated_tags, 50_000);
    // Regressions: search terms were deduplicated in a list, each finding's column was counted
    // from the start of its line, and equal placeholders were looked for once each.
    assert_linear("distinct words", distinct_words, 20_000);
    assert_linear("mojibake on one line", mojibake_line, 10_000);
    assert_linear("placeholders in one task", placeholders, 2_000);
}
