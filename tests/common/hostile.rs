//! Generators of hostile input and a helper that runs every stage on it.

use std::time::{Duration, Instant};

use preflight::model::Document;
use preflight::pipeline::{self, Loaded};
use preflight::render::json;
use preflight::site::{search, view};

/// Runs every stage a command runs on `bytes`, and returns the model.
pub fn everything(bytes: &[u8]) -> Loaded {
    let loaded = pipeline::from_bytes("hostile.md", "hostile", bytes);
    let _ = view::ChecklistView::new(&loaded.checklist);
    let _ = search::entries(&loaded.checklist);
    let text = json::to_bytes(&json::checklist_document(loaded.checklist.clone()), false)
        .unwrap_or_else(|e| panic!("cannot serialise: {e}"));
    let back: Result<Document, _> = serde_json::from_slice(&text);
    assert!(back.is_ok(), "exported JSON does not read back: {back:?}");
    loaded
}

pub fn codes(loaded: &Loaded) -> Vec<&str> {
    loaded
        .checklist
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect()
}

/// The fastest of five runs (the least disturbed by other work on the machine).
pub fn time(bytes: &[u8]) -> Duration {
    (0..5)
        .map(|_| {
            let start = Instant::now();
            let _ = everything(bytes);
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

/// Quadrupling the input at most multiplies the time by 8: a linear step takes ×4, a quadratic
/// one ×16, and 8 lies halfway between them on a log scale, so cache effects and noise from
/// other work on the machine (which can double a timing) do not fail it, and a quadratic step
/// cannot pass. A pair over the bound is measured again, up to five times.
pub fn assert_linear(name: &str, make: impl Fn(usize) -> Vec<u8>, n: usize) {
    let (small_input, large_input) = (make(n), make(4 * n));
    // Warm up with the large input, so both sizes run on a heap already grown to fit: the
    // first growth (page faults, allocator bookkeeping) would otherwise be charged to one side.
    let _ = everything(&large_input);
    let mut tries = Vec::new();
    for _ in 0..5 {
        let small = time(&small_input);
        let large = time(&large_input);
        let ratio = large.as_secs_f64() / small.as_secs_f64().max(1e-6);
        if ratio <= 8.0 {
            return;
        }
        tries.push(format!("{small:?} → {large:?} (×{ratio:.2})"));
    }
    panic!(
        "{name}: quadrupling {n} to {} grew the time more than 8×: {}",
        4 * n,
        tries.join("; ")
    );
}

/// Raw HTML elements nested `depth` deep, then closed.
pub fn html_nesting(depth: usize) -> Vec<u8> {
    format!(
        "# Html\n\n- [ ] a\n\n{}{}\n",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    )
    .into_bytes()
}

/// Raw HTML of `count` start tags that never end (`<a <a <a …`).
pub fn unterminated_tags(count: usize) -> Vec<u8> {
    format!("# Html\n\n- [ ] a\n\n<div>{}\n", "<a ".repeat(count)).into_bytes()
}

/// Lists nested `depth` deep on one line (`- - - … [ ] deep`): input linear in the depth.
pub fn nested(depth: usize) -> Vec<u8> {
    format!("# Deep\n\n{}[ ] deep\n", "- ".repeat(depth)).into_bytes()
}

/// Lists nested by indentation, as people write them (input quadratic in the depth).
pub fn indented(depth: usize) -> Vec<u8> {
    let mut s = String::from("# Deep\n\n");
    for i in 0..depth {
        s.push_str(&"  ".repeat(i));
        s.push_str("- [ ] level\n");
    }
    s.into_bytes()
}

pub fn quotes(depth: usize) -> Vec<u8> {
    format!("# Quotes\n\n{} - [ ] deep\n", ">".repeat(depth)).into_bytes()
}

pub fn brackets(n: usize) -> Vec<u8> {
    format!("# Brackets\n\n- [ ] {}\n", "[".repeat(n)).into_bytes()
}

pub fn stars(n: usize) -> Vec<u8> {
    format!("# Stars\n\n- [ ] {}\n", "*".repeat(n)).into_bytes()
}

pub fn emphasis(n: usize) -> Vec<u8> {
    format!(
        "# Emphasis\n\n{}x{}\n",
        "*a **".repeat(n),
        "** b*".repeat(n)
    )
    .into_bytes()
}

pub fn long_line(bytes: usize) -> Vec<u8> {
    let mut s = String::from("# Long\n\n- [ ] ");
    s.push_str(&"word ".repeat(bytes / 5));
    s.push('\n');
    s.into_bytes()
}

pub fn tasks(n: usize) -> Vec<u8> {
    let mut s = String::with_capacity(n * 24 + 64);
    s.push_str("# Many\n\n## Steps\n\n");
    for i in 0..n {
        s.push_str("- [ ] step ");
        s.push_str(&i.to_string());
        s.push('\n');
    }
    s.into_bytes()
}

/// One task of `n` different words (`w0 w1 w2 …`), each a search term of its own.
pub fn distinct_words(n: usize) -> Vec<u8> {
    let words: Vec<String> = (0..n).map(|i| format!("w{i}")).collect();
    format!("# Words\n\n- [ ] {}\n", words.join(" ")).into_bytes()
}

/// One line of `n` repairs of mojibake (`âœ… ` is `✅` misread), each a finding on that line.
pub fn mojibake_line(n: usize) -> Vec<u8> {
    format!("# Mojibake\n\n- [ ] {}\n", "âœ… ".repeat(n)).into_bytes()
}

/// One task of `n` groups of placeholders of every shape, each marked on the page.
pub fn placeholders(n: usize) -> Vec<u8> {
    format!(
        "# Placeholders\n\n- [ ] {}\n",
        "[Name] <VALUE> XX-XX ____ TBD YYYY-MM-DD {{v}} ".repeat(n)
    )
    .into_bytes()
}
