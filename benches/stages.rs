//! Where the time of `export` goes: each stage of the pipeline timed alone, in one thread, over a
//! generated corpus, next to the pulldown-cmark floor (parse and render to HTML).
//!
//! Run with `cargo bench --bench stages` (checklists from `PREFLIGHT_STAGES_SIZE`, default
//! 2,000). Prints, per stage, the total time, its share of the pipeline and its ratio to the
//! floor; the lint rules are timed one by one. Each figure is the median of 5 rounds.

#![allow(
    missing_docs,
    clippy::print_stdout,
    clippy::unwrap_used,
    clippy::cast_precision_loss
)]

#[allow(dead_code)]
mod corpus;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use preflight::{lint, normalise, parse, render};

const ROUNDS: usize = 5;

fn main() {
    let n = std::env::var("PREFLIGHT_STAGES_SIZE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2000);
    let texts: Vec<String> = (0..n).map(corpus::checklist).collect();
    let labels: Vec<&'static str> = lint::rules().iter().map(|r| rule_stage(r.code())).collect();
    let mut rounds: BTreeMap<&str, Vec<Duration>> = BTreeMap::new();
    for _ in 0..ROUNDS {
        for (stage, time) in round(&texts, &labels) {
            rounds.entry(stage).or_default().push(time);
        }
    }
    let medians: BTreeMap<&str, Duration> = rounds
        .into_iter()
        .map(|(stage, times)| (stage, median(times)))
        .collect();
    let floor = medians["floor"];
    let pipeline: Duration = medians
        .iter()
        .filter(|(stage, _)| **stage != "floor")
        .map(|(_, time)| *time)
        .sum();
    println!(
        "{n} checklists, one thread; floor (pulldown-cmark to HTML) {:.0} ms",
        ms(floor)
    );
    println!(
        "{:<32} {:>9} {:>7} {:>8}",
        "stage", "ms", "share", "× floor"
    );
    let mut sorted: Vec<_> = medians.iter().filter(|(s, _)| **s != "floor").collect();
    sorted.sort_by(|a, b| b.1.cmp(a.1));
    for (stage, time) in sorted {
        println!(
            "{stage:<32} {:>9.1} {:>6.1}% {:>8.2}",
            ms(*time),
            100.0 * time.as_secs_f64() / pipeline.as_secs_f64(),
            time.as_secs_f64() / floor.as_secs_f64()
        );
    }
    println!(
        "{:<32} {:>9.1} {:>6.1}% {:>8.2}",
        "all stages",
        ms(pipeline),
        100.0,
        pipeline.as_secs_f64() / floor.as_secs_f64()
    );
}

/// One pass over the corpus, timing each stage; `labels` name the lint rules, in order.
fn round(texts: &[String], labels: &[&'static str]) -> BTreeMap<&'static str, Duration> {
    let mut times: BTreeMap<&'static str, Duration> = BTreeMap::new();
    let mut add = |stage: &'static str, start: Instant| {
        *times.entry(stage).or_default() += start.elapsed();
    };
    let mut html = String::new();
    for (i, text) in texts.iter().enumerate() {
        let start = Instant::now();
        html.clear();
        pulldown_cmark::html::push_html(
            &mut html,
            pulldown_cmark::Parser::new_ext(text, parse::markdown_options()),
        );
        std::hint::black_box(&html);
        add("floor", start);

        let start = Instant::now();
        let doc = parse::parse(text.as_bytes());
        add("parse", start);

        let start = Instant::now();
        let id = format!("checklist-{i:05}");
        let checklist = normalise::normalise(&format!("content/{id}.md"), &id, &doc);
        add("normalise", start);

        let cx = lint::Context {
            checklist: &checklist,
            source: &doc.text,
            lines: &doc.lines,
            path: None,
        };
        for (rule, label) in lint::rules().iter().zip(labels) {
            let start = Instant::now();
            let mut out = Vec::new();
            rule.check(&cx, &mut out);
            std::hint::black_box(&out);
            add(label, start);
        }

        let start = Instant::now();
        let doc = render::json::checklist_document(checklist);
        let bytes = render::json::to_bytes(&doc, false).unwrap();
        std::hint::black_box(&bytes);
        add("json", start);
    }
    times
}

/// A static label for a rule's stage (made once, for the table's keys).
fn rule_stage(code: &'static str) -> &'static str {
    Box::leak(format!("lint {code}").into_boxed_str())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}
