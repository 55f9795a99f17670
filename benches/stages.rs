//! Where the time of `export` and `build` goes: each stage timed alone, in one thread, over a
//! generated corpus, next to the pulldown-cmark floor (parse and render to HTML).
//!
//! Run with `cargo bench --bench stages` (checklists from `PREFLIGHT_STAGES_SIZE`, default
//! 2,000). Prints, per stage, the total time, its share and its ratio to the floor; the lint
//! rules are timed one by one. Stages marked `site` are the work `build` adds to `export` for
//! each checklist (the view, the page body, the search entries, the print sheet and page; the
//! template frame around a page and writing files are not timed here). Each figure is the
//! median of 5 rounds. `PREFLIGHT_STAGES_ONLY=normalise` (or `parse`, `view`, `search`,
//! `sheet`) runs that stage alone, for a profiler.

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

use preflight::{lint, normalise, parse, print, render, site};

const ROUNDS: usize = 5;

/// The binary's allocator, so the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let n = std::env::var("PREFLIGHT_STAGES_SIZE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2000);
    let texts: Vec<String> = (0..n).map(corpus::checklist).collect();
    if let Ok(stage) = std::env::var("PREFLIGHT_STAGES_ONLY") {
        only(&stage, &texts);
        return;
    }
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
    let export: Duration = medians
        .iter()
        .filter(|(stage, _)| **stage != "floor" && !stage.starts_with("site "))
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
    for (label, total) in [("export stages", export), ("all stages (build)", pipeline)] {
        println!(
            "{label:<32} {:>9.1} {:>6.1}% {:>8.2}",
            ms(total),
            100.0 * total.as_secs_f64() / pipeline.as_secs_f64(),
            total.as_secs_f64() / floor.as_secs_f64()
        );
    }
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
            body_start: doc.body_start,
            path: None,
            nodes: &doc.nodes,
        };
        for (rule, label) in lint::rules().iter().zip(labels) {
            let start = Instant::now();
            let mut out = Vec::new();
            rule.check(&cx, &mut out);
            std::hint::black_box(&out);
            add(label, start);
        }

        site_stages(&checklist, &mut add);

        let start = Instant::now();
        let doc = render::json::checklist_document(checklist);
        let bytes = render::json::to_bytes(&doc, false).unwrap();
        std::hint::black_box(&bytes);
        add("json", start);
    }
    times
}

/// Runs one stage alone over the corpus, `ROUNDS` times, for a profiler to look at; the inputs
/// it needs are made once, before.
fn only(stage: &str, texts: &[String]) {
    let docs: Vec<_> = texts.iter().map(|t| parse::parse(t.as_bytes())).collect();
    let checklists: Vec<_> = docs
        .iter()
        .enumerate()
        .map(|(i, doc)| normalise::normalise(&format!("content/c{i}.md"), &format!("c{i}"), doc))
        .collect();
    let start = Instant::now();
    for _ in 0..ROUNDS {
        match stage {
            "parse" => texts.iter().for_each(|t| {
                std::hint::black_box(parse::parse(t.as_bytes()));
            }),
            "normalise" => docs.iter().enumerate().for_each(|(i, doc)| {
                let id = format!("c{i}");
                std::hint::black_box(normalise::normalise(&format!("content/{id}.md"), &id, doc));
            }),
            "view" => checklists.iter().for_each(|c| {
                std::hint::black_box(site::view::ChecklistView::new(c));
            }),
            "search" => checklists.iter().for_each(|c| {
                std::hint::black_box(site::search::entries(c));
            }),
            "sheet" => checklists.iter().for_each(|c| {
                std::hint::black_box(print::sheet(c, &print::Imprint::default()));
            }),
            other => panic!("no stage {other}: parse, normalise, view, search or sheet"),
        }
    }
    println!(
        "{stage}: {:.1} ms a round",
        ms(start.elapsed()) / ROUNDS as f64
    );
}

/// The work `build` adds for one checklist, stage by stage.
fn site_stages(
    checklist: &preflight::model::Checklist,
    add: &mut impl FnMut(&'static str, Instant),
) {
    let start = Instant::now();
    let view = site::view::ChecklistView::new(checklist);
    add("site view (with highlighting)", start);

    let start = Instant::now();
    let toc = site::html::toc(&view.sections);
    let body = site::html::body(&view.blocks, &view.sections);
    std::hint::black_box((&toc, &body));
    add("site page body", start);

    let start = Instant::now();
    let entries = site::search::entries(checklist);
    std::hint::black_box(&entries);
    add("site search entries", start);

    let start = Instant::now();
    let sheet = print::sheet(checklist, &print::Imprint::default());
    add("site print sheet", start);

    let start = Instant::now();
    let html = print::html::sheets(&[&sheet]);
    std::hint::black_box(&html);
    add("site print page", start);
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
