//! Benchmark of `preflight export` and `preflight build` against a floor: pulldown-cmark alone
//! rendering the same files to HTML in one process, measured in the same run.
//!
//! Run with `cargo bench --bench export` (sizes from `PREFLIGHT_BENCH_SIZES`, default
//! `1000,10000`). For each size it generates a deterministic corpus, then prints, for the floor
//! and for each command of the real binary, files/s (median of 3 runs into an output folder that
//! does not exist yet), the ratio to the floor, the size of the output and the peak RSS of the
//! binary (measured in a child process of its own, so the figure is the binary's alone). Where
//! `/dev/shm` exists, each command is also timed writing to memory there: the two figures
//! separate preflight's work from the file system's. Last on the line, `rerun`: the ratio to the
//! floor of running the command again over its own output with nothing changed (unchanged files
//! are kept, not written again).
//!
//! Then `preflight diff --format json` of two versions of a book (sizes in items from
//! `PREFLIGHT_DIFF_SIZES`, default `1000,10000`; 100 items per checklist, 5% of them changed,
//! moved, removed or with an item added): median time of 3 runs and peak RSS.
//!
//! Then `preflight print` (PDFs typeset by typst) of the example book and of 100 generated
//! checklists, with both cores: median of 3 runs, and the time per checklist and per PDF page
//! (pages counted with poppler's `pdfinfo`); `PREFLIGHT_PRINT_BENCH=0` skips it.
//!
//! Last, `preflight serve` on a generated book (sizes in checklists from
//! `PREFLIGHT_REBUILD_SIZES`, default `1000`): one checklist is edited 20 times and the bench
//! reads the server's `rebuilt in … ms` lines; it prints the median rebuild and the median time
//! from the write to the rebuilt line (which adds the watcher's settling delay).

#![allow(
    missing_docs,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::unwrap_used,
    clippy::cast_precision_loss
)]

mod corpus;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const RUNS: usize = 3;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(pos) = args.iter().position(|a| a == "--measure-rss") {
        measure_rss(&args[pos + 1..]);
        return;
    }
    let sizes = std::env::var("PREFLIGHT_BENCH_SIZES").unwrap_or_else(|_| "1000,10000".into());
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench-export");
    println!(
        "{:>6} {:>9} {:>8} {:>12} {:>12} {:>7} {:>10} {:>11} {:>12} {:>9} {:>7}",
        "files",
        "MiB in",
        "command",
        "floor f/s",
        "f/s",
        "ratio",
        "out MiB",
        "peak RSS",
        "f/s in RAM",
        "ratio",
        "rerun"
    );
    for n in sizes
        .split(',')
        .filter_map(|s| s.trim().parse::<usize>().ok())
    {
        bench(&root.join(n.to_string()), n);
    }
    let sizes = std::env::var("PREFLIGHT_DIFF_SIZES").unwrap_or_else(|_| "1000,10000".into());
    println!(
        "\n{:>6} {:>8} {:>10} {:>12} {:>11}  found = made",
        "items", "touched", "diff ms", "items/s", "peak RSS"
    );
    for n in sizes
        .split(',')
        .filter_map(|s| s.trim().parse::<usize>().ok())
    {
        bench_diff(&root.join(format!("diff-{n}")), n);
    }
    if std::env::var("PREFLIGHT_PRINT_BENCH").map_or(true, |v| v != "0") {
        bench_print(&root.join("print"));
    }
    let sizes = std::env::var("PREFLIGHT_REBUILD_SIZES").unwrap_or_else(|_| "1000".into());
    println!(
        "\n{:>6} {:>7} {:>12} {:>14} {:>12}",
        "files", "edits", "first build", "rebuild (med)", "edit→rebuilt"
    );
    for n in sizes
        .split(',')
        .filter_map(|s| s.trim().parse::<usize>().ok())
    {
        bench_rebuild(&root.join(format!("rebuild-{n}")), n);
    }
}

/// Times `preflight print` of the example book and of 100 generated checklists.
fn bench_print(dir: &Path) {
    println!(
        "\n{:<18} {:>10} {:>6} {:>9} {:>14} {:>11}",
        "print", "checklists", "pages", "total ms", "ms/checklist", "ms/page"
    );
    let generated = dir.join("generated");
    corpus::write_book(&generated, 100).expect("corpus");
    let example = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    for (name, book, n) in [
        ("example book", example, 5_usize),
        ("100 generated", generated, 100),
    ] {
        let out = dir.join(format!("out-{n}"));
        let time = median(
            (0..RUNS)
                .map(|_| {
                    let start = Instant::now();
                    let status = Command::new(env!("CARGO_BIN_EXE_preflight"))
                        .args(["print", "-q", "--out"])
                        .arg(&out)
                        .current_dir(&book)
                        .status()
                        .expect("spawn preflight");
                    assert!(status.success(), "print failed");
                    start.elapsed()
                })
                .collect(),
        );
        let pages = pdf_pages(&out);
        let ms = time.as_secs_f64() * 1000.0;
        println!(
            "{name:<18} {n:>10} {pages:>6} {ms:>9.0} {:>14.1} {:>11.2}",
            ms / n as f64,
            ms / pages.max(1) as f64
        );
    }
}

/// Pages of the PDFs of each checklist under `out` (not the pack), by `pdfinfo`.
fn pdf_pages(out: &Path) -> usize {
    let mut pages = 0;
    for entry in std::fs::read_dir(out).expect("read output").flatten() {
        let pdf = entry.path().join("runbook.pdf");
        if !pdf.is_file() {
            continue;
        }
        let info = Command::new("pdfinfo").arg(&pdf).output();
        let text = info.map(|o| String::from_utf8_lossy(&o.stdout).into_owned());
        pages += text
            .ok()
            .and_then(|t| {
                t.lines()
                    .find_map(|l| l.strip_prefix("Pages:").map(|n| n.trim().parse().ok()))
                    .flatten()
            })
            .unwrap_or(0);
    }
    pages
}

/// How many edits the rebuild benchmark makes.
const EDITS: usize = 20;

/// Edits one checklist of a served book of `n` checklists [`EDITS`] times; prints the first
/// build, the median rebuild and the median time from the write to the rebuilt line.
fn bench_rebuild(dir: &Path, n: usize) {
    use std::io::BufRead;
    corpus::write_book(dir, n).expect("corpus");
    let mut child = Command::new(env!("CARGO_BIN_EXE_preflight"))
        .args(["serve", "--port", "0"])
        .current_dir(dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn serve");
    let stderr = child.stderr.take().expect("stderr");
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let started = Instant::now();
    let wait_for = |prefix: &str| -> Option<String> {
        loop {
            let line = rx.recv_timeout(Duration::from_secs(60)).ok()?;
            if line.starts_with(prefix) {
                return Some(line);
            }
        }
    };
    let Some(_) = wait_for("serving http") else {
        let _ = child.kill();
        let _ = child.wait();
        println!("{n:>6}  serve did not start");
        return;
    };
    let first = started.elapsed();
    let file = dir.join("content/checklist-00000.md");
    let mut rebuilds = Vec::new();
    let mut walls = Vec::new();
    for edit in 0..EDITS {
        let mut text = std::fs::read_to_string(&file).expect("read");
        text.push_str("\n- [ ] Edited step ");
        text.push_str(&edit.to_string());
        text.push('\n');
        let wrote = Instant::now();
        std::fs::write(&file, text).expect("write");
        let Some(line) = wait_for("rebuilt in ") else {
            break;
        };
        walls.push(wrote.elapsed());
        let ms: f64 = line
            .trim_start_matches("rebuilt in ")
            .trim_end_matches(" ms")
            .parse()
            .unwrap_or(f64::NAN);
        rebuilds.push(Duration::from_secs_f64(ms / 1000.0));
        // Let the watcher go quiet, so each edit is one rebuild.
        std::thread::sleep(Duration::from_millis(150));
        while rx.try_recv().is_ok() {}
    }
    let _ = child.kill();
    let _ = child.wait();
    if rebuilds.len() < EDITS {
        println!(
            "{n:>6}  only {} of {EDITS} edits were rebuilt",
            rebuilds.len()
        );
        return;
    }
    println!(
        "{n:>6} {EDITS:>7} {:>10.0}ms {:>12.1}ms {:>10.1}ms",
        first.as_secs_f64() * 1000.0,
        median(rebuilds).as_secs_f64() * 1000.0,
        median(walls).as_secs_f64() * 1000.0
    );
}

/// Times `preflight diff` of two generated versions of a book of `n` items.
fn bench_diff(dir: &Path, n: usize) {
    let touched = corpus::write_diff_pair(dir, n).expect("diff corpus");
    let args = ["diff", "--format", "json", "old", "new"];
    let mut found = String::new();
    let time = median(
        (0..RUNS)
            .map(|_| {
                let start = Instant::now();
                let out = Command::new(env!("CARGO_BIN_EXE_preflight"))
                    .args(args)
                    .current_dir(dir)
                    .output()
                    .expect("spawn preflight");
                let elapsed = start.elapsed();
                assert!(out.status.success(), "diff failed");
                found = String::from_utf8_lossy(&out.stdout).into_owned();
                elapsed
            })
            .collect(),
    );
    let summary: serde_json::Value = serde_json::from_str(&found).expect("diff JSON");
    let counts = [
        "items_changed",
        "items_moved",
        "items_removed",
        "items_added",
    ]
    .map(|k| summary["summary"][k].as_u64().unwrap_or(u64::MAX) as usize);
    let rss = rss_of_args(dir, &args);
    println!(
        "{n:>6} {:>8} {:>10.1} {:>12.0} {:>7.1} MiB  {}",
        touched.iter().sum::<usize>(),
        time.as_secs_f64() * 1000.0,
        n as f64 / time.as_secs_f64(),
        rss as f64 / 1024.0,
        if counts == touched {
            "yes".to_owned()
        } else {
            format!("no: found {counts:?} (changed, moved, removed, added), made {touched:?}")
        }
    );
}

/// The commands measured, as arguments before `--out DIR`.
const COMMANDS: &[&str] = &["export", "build"];

fn bench(dir: &Path, n: usize) {
    let bytes = corpus::write_book(dir, n).expect("corpus");
    let files: Vec<PathBuf> = (0..n)
        .map(|i| dir.join(format!("content/checklist-{i:05}.md")))
        .collect();
    let floor = median((0..RUNS).map(|_| floor(&files)).collect());
    let rate = |d: Duration| n as f64 / d.as_secs_f64();
    let ratio = |d: Duration| d.as_secs_f64() / floor.as_secs_f64();
    for command in COMMANDS {
        let out = dir.join(format!("out-{command}"));
        let time = median((0..RUNS).map(|_| fresh(dir, command, &out)).collect());
        let size = size_of(&out);
        let rerun = median((0..RUNS).map(|_| run(dir, command, &out)).collect());
        let rss = rss_of(dir, command, &out);
        let in_ram = ram_dir().map(|ram| {
            let out = ram.join(format!("out-{command}"));
            let time = median((0..RUNS).map(|_| fresh(dir, command, &out)).collect());
            let _ = std::fs::remove_dir_all(&ram);
            time
        });
        println!(
            "{n:>6} {:>9.1} {command:>8} {:>12.0} {:>12.0} {:>6.2}x {:>10.1} {:>7.1} MiB {} {:>6.2}x",
            bytes as f64 / 1_048_576.0,
            rate(floor),
            rate(time),
            ratio(time),
            size as f64 / 1_048_576.0,
            rss as f64 / 1024.0,
            in_ram.map_or_else(
                || format!("{:>12} {:>9}", "-", "-"),
                |t| format!("{:>12.0} {:>8.2}x", rate(t), ratio(t))
            ),
            ratio(rerun)
        );
    }
}

/// A folder in memory (`/dev/shm`) for a second set of runs whose output costs no disk work, so
/// the figures separate preflight's own time from the file system's; `None` where there is none.
fn ram_dir() -> Option<PathBuf> {
    let shm = Path::new("/dev/shm");
    if !shm.is_dir() {
        return None;
    }
    let dir = shm.join(format!("preflight-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).ok()?;
    Some(dir)
}

/// Total bytes of the files under `dir`.
fn size_of(dir: &Path) -> u64 {
    let mut total = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read output").flatten() {
            let meta = entry.metadata().expect("metadata");
            if meta.is_dir() {
                stack.push(entry.path());
            } else {
                total += meta.len();
            }
        }
    }
    total
}

/// pulldown-cmark alone: read each file and render it to HTML, in this process, one thread.
fn floor(files: &[PathBuf]) -> Duration {
    let start = Instant::now();
    let mut html = String::new();
    let mut total = 0;
    for file in files {
        let text = std::fs::read_to_string(file).expect("read");
        html.clear();
        pulldown_cmark::html::push_html(
            &mut html,
            pulldown_cmark::Parser::new_ext(&text, preflight::parse::markdown_options()),
        );
        total += html.len();
    }
    std::hint::black_box(total);
    start.elapsed()
}

fn command(dir: &Path, command: &str, out: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_preflight"));
    cmd.current_dir(dir)
        .arg(command)
        .arg("--out")
        .arg(out)
        .arg("-q");
    cmd
}

/// Runs the command into an output folder that does not exist yet (removed first, untimed).
fn fresh(dir: &Path, name: &str, out: &Path) -> Duration {
    if out.exists() {
        std::fs::remove_dir_all(out).expect("remove the output");
    }
    run(dir, name, out)
}

fn run(dir: &Path, name: &str, out: &Path) -> Duration {
    let start = Instant::now();
    let status = command(dir, name, out).status().expect("spawn preflight");
    assert!(status.success(), "{name} failed");
    start.elapsed()
}

/// Runs the command in a child of a fresh copy of this benchmark, which reports the peak RSS of
/// its only child (`RUSAGE_CHILDREN`) in KiB.
fn rss_of(dir: &Path, name: &str, out: &Path) -> i64 {
    let out = out.to_string_lossy();
    rss_of_args(dir, &[name, "--out", &out, "-q"])
}

/// The peak RSS, in KiB, of the binary run with `args` in `dir`.
fn rss_of_args(dir: &Path, args: &[&str]) -> i64 {
    let me = std::env::current_exe().expect("current exe");
    let output = Command::new(me)
        .arg("--measure-rss")
        .arg(env!("CARGO_BIN_EXE_preflight"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("measure");
    String::from_utf8_lossy(&output.stdout)
        .trim()
        .parse()
        .unwrap_or(-1)
}

fn measure_rss(cmd: &[String]) {
    let status = Command::new(&cmd[0])
        .args(&cmd[1..])
        .stdout(std::process::Stdio::null())
        .status()
        .expect("spawn");
    assert!(status.success());
    let usage = nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN)
        .expect("getrusage");
    println!("{}", usage.max_rss());
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}
