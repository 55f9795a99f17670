//! Time grows linearly with input: for each kind of hostile input, doubling it at most
//! multiplies the time of the whole pipeline by 2.5. A test binary of its own, so that no other
//! test runs beside it; each time is the fastest of three runs.

mod common;

use common::hostile::{assert_linear, brackets, long_line, nested, quotes, stars, tasks};

#[test]
fn doubling_the_input_at_most_multiplies_the_time_by_2_5() {
    assert_linear("nesting", nested, 20_000);
    assert_linear("quotes", quotes, 20_000);
    assert_linear("brackets", brackets, 400_000);
    assert_linear("stars", stars, 400_000);
    assert_linear("long line", long_line, 2 * 1024 * 1024);
    assert_linear("tasks", tasks, 30_000);
}
