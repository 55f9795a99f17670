//! `preflight serve`: builds the site into memory, serves it on loopback, watches the book and
//! rebuilds on every change, and makes open pages reload.
//!
//! A rebuild that fails (a template or config error, an unreadable file, or an error-level
//! diagnostic) keeps the last good build online and shows the error in the terminal and, through
//! the live-reload connection and a banner, in the page. Nothing is written to disk, so the
//! output folder is never touched and never watched.

mod http;
mod reload;

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

use crate::discover;
use crate::error::{Error, Result};
use crate::output::Sink;
use crate::site;
use http::{Refusal, Request};
use reload::Clients;

/// Most connections served at once; more are closed at once.
const MAX_CONNECTIONS: usize = 512;
/// How long the book must be quiet after a change before it is rebuilt.
const SETTLE: Duration = Duration::from_millis(40);
/// Longest wait for quiet: a book that keeps changing is rebuilt at least this often.
const MAX_SETTLE: Duration = Duration::from_millis(300);

/// Options of `serve`.
#[derive(Debug, Clone)]
pub struct Options {
    /// Root of the book.
    pub root: PathBuf,
    /// Address to listen on.
    pub bind: IpAddr,
    /// Port (0: any free port).
    pub port: u16,
    /// Log the files whose change caused each rebuild.
    pub verbose: bool,
}

/// A built site, by path; pages that did not change are shared with the cache.
type Files = HashMap<String, Arc<[u8]>>;

/// The sink of a build held in memory.
#[derive(Debug, Default)]
struct Memory(Mutex<Files>);

impl Sink for Memory {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        if let Ok(mut files) = self.0.lock() {
            files.insert(rel.to_owned(), Arc::from(bytes));
        }
        Ok(())
    }

    fn write_shared(&self, rel: &str, bytes: &Arc<[u8]>) -> Result<()> {
        if let Ok(mut files) = self.0.lock() {
            files.insert(rel.to_owned(), Arc::clone(bytes));
        }
        Ok(())
    }
}

/// The build being served, and the failure of the last rebuild, changed together.
#[derive(Default)]
struct Served {
    files: Arc<Files>,
    /// What the last rebuild reported, when it failed.
    failure: Option<String>,
    /// Whether `files` built without problems (a book whose first build has problems gets every
    /// later build published, until one is good).
    good: bool,
}

/// What the server shares between threads.
struct State {
    served: RwLock<Served>,
    clients: Clients,
    /// `Host` values accepted; empty when any is (an unspecified bind address).
    hosts: Vec<String>,
    active: AtomicUsize,
}

impl State {
    fn failure(&self) -> Option<String> {
        self.served.read().ok().and_then(|s| s.failure.clone())
    }
}

/// Counts a connection for as long as it lives, even if its thread panics.
struct Active<'a>(&'a AtomicUsize);

impl Drop for Active<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A finished build: the files, and what failed (empty when it is good).
struct Built {
    files: Files,
    problems: Vec<String>,
}

/// Builds the book at `root` into memory, rendering only the checklists that changed since the
/// build that filled `cache`.
fn build(root: &Path, cache: &site::Cache) -> Result<Built> {
    let config = discover::load_config(root)?;
    let (releases, errors) = crate::releases::resolve(root, &config)?;
    let memory = Memory::default();
    let options = site::Options {
        cache: Some(cache),
        progress: None,
        pdf: false,
    };
    let report = site::render(root, &config, &releases, &memory, options)?;
    let mut problems: Vec<String> = errors.iter().map(|e| format!("error: {e}")).collect();
    problems.extend(report.errors.iter().map(|e| format!("error: {e}")));
    problems.extend(report.problems);
    let files = memory.0.into_inner().unwrap_or_default();
    Ok(Built { files, problems })
}

/// Runs the server until the process is stopped; `log` receives one line per event.
pub fn run(options: &Options, log: &(dyn Fn(&str) + Sync)) -> Result<()> {
    // Watch before the first build, so a change made while it runs is not missed.
    let (tx, rx) = channel();
    let mut watcher = notify::recommended_watcher(move |event| {
        let _ = tx.send(event);
    })
    .map_err(|e| watch_error(&options.root, &e))?;
    watcher
        .watch(&options.root, RecursiveMode::Recursive)
        .map_err(|e| watch_error(&options.root, &e))?;
    let cache = site::Cache::default();
    let first = build(&options.root, &cache)?;
    let listener =
        TcpListener::bind(SocketAddr::new(options.bind, options.port)).map_err(|source| {
            Error::Listen {
                address: SocketAddr::new(options.bind, options.port).to_string(),
                source,
            }
        })?;
    let port = listener.local_addr().map_or(options.port, |a| a.port());
    let failure = failure_text(&first.problems);
    let state = Arc::new(State {
        served: RwLock::new(Served {
            files: Arc::new(first.files),
            good: failure.is_none(),
            failure: failure.clone(),
        }),
        clients: Clients::default(),
        hosts: allowed_hosts(options.bind, port),
        active: AtomicUsize::new(0),
    });
    let shown = match options.bind {
        IpAddr::V6(ip) => format!("[{ip}]:{port}"),
        IpAddr::V4(ip) => format!("{ip}:{port}"),
    };
    log(&format!("serving http://{shown}/ (press Ctrl-C to stop)"));
    if !options.bind.is_loopback() {
        log(&format!(
            "warning: serving on {}, which other machines can reach; anyone who can connect can read the site",
            options.bind
        ));
    }
    if let Some(text) = failure {
        log(&text);
    }
    let for_rebuilds = Arc::clone(&state);
    let root = options.root.clone();
    std::thread::scope(|scope| {
        let verbose = options.verbose;
        scope.spawn(move || rebuild_loop(&root, &rx, &for_rebuilds, &cache, verbose, log));
        accept_loop(&listener, &state);
    });
    drop(watcher);
    Ok(())
}

/// Accepts connections for ever, a thread each, at most [`MAX_CONNECTIONS`] at once.
fn accept_loop(listener: &TcpListener, state: &Arc<State>) {
    loop {
        let Ok((stream, _)) = listener.accept() else {
            // Out of file descriptors, or a connection reset before accept: wait, retry.
            std::thread::sleep(Duration::from_millis(50));
            continue;
        };
        if state.active.load(Ordering::Relaxed) >= MAX_CONNECTIONS {
            continue;
        }
        state.active.fetch_add(1, Ordering::Relaxed);
        let shared = Arc::clone(state);
        let spawned = std::thread::Builder::new()
            .name("preflight-http".into())
            .spawn(move || {
                let _count = Active(&shared.active);
                handle(stream, &shared);
            });
        if spawned.is_err() {
            state.active.fetch_sub(1, Ordering::Relaxed);
        }
    }
}

fn watch_error(root: &Path, e: &notify::Error) -> Error {
    Error::Walk {
        path: root.to_owned(),
        message: format!("cannot watch for changes: {e}"),
    }
}

/// `Host` values a request may carry: the bound address, and for loopback its usual names
/// (without the port too when it is 80). Empty (any host) for an unspecified address such as
/// `0.0.0.0`, where the machine's names are not known.
fn allowed_hosts(bind: IpAddr, port: u16) -> Vec<String> {
    if bind.is_unspecified() {
        return Vec::new();
    }
    let mut names = vec![match bind {
        IpAddr::V4(ip) => ip.to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
    }];
    if bind.is_loopback() {
        names.extend(["localhost".into(), "127.0.0.1".into(), "[::1]".into()]);
    }
    let mut hosts: Vec<String> = names.iter().map(|n| format!("{n}:{port}")).collect();
    if port == 80 {
        hosts.extend(names);
    }
    hosts
}

fn failure_text(problems: &[String]) -> Option<String> {
    (!problems.is_empty()).then(|| problems.join("\n"))
}

/// Waits for changes that matter, lets them settle, rebuilds, and tells the pages.
fn rebuild_loop(
    root: &Path,
    rx: &Receiver<notify::Result<notify::Event>>,
    state: &State,
    cache: &site::Cache,
    verbose: bool,
    log: &(dyn Fn(&str) + Sync),
) {
    while let Ok(event) = rx.recv() {
        if !matters(root, &event) {
            continue;
        }
        let mut changed: Vec<PathBuf> = event_paths(&event);
        // Let a burst of events settle (an editor's save is often several), up to a cap.
        let started = Instant::now();
        let mut quiet_until = started + SETTLE;
        loop {
            let now = Instant::now();
            if now >= quiet_until || now >= started + MAX_SETTLE {
                break;
            }
            match rx.recv_timeout(quiet_until - now) {
                Ok(event) => {
                    if matters(root, &event) {
                        quiet_until = Instant::now() + SETTLE;
                        changed.extend(event_paths(&event));
                    }
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        if verbose {
            changed.sort();
            changed.dedup();
            let shown: Vec<String> = changed.iter().map(|p| p.display().to_string()).collect();
            log(&format!("changed: {}", shown.join(", ")));
        }
        let started = Instant::now();
        let built = build(root, cache);
        let took = started.elapsed().as_secs_f64() * 1000.0;
        match built {
            Ok(built) => publish(state, log, built, took),
            Err(e) => fail(state, log, &format!("error: {e}")),
        }
    }
}

/// The paths an event names (none for an error or a rescan).
fn event_paths(event: &notify::Result<notify::Event>) -> Vec<PathBuf> {
    event.as_ref().map(|e| e.paths.clone()).unwrap_or_default()
}

/// Serves a new build when it is good, or when what is served is not good either; otherwise
/// keeps the last good build and reports the failure.
fn publish(state: &State, log: &(dyn Fn(&str) + Sync), built: Built, took: f64) {
    let failure = failure_text(&built.problems);
    let Ok(mut served) = state.served.write() else {
        return;
    };
    if failure.is_some() && served.good {
        drop(served);
        return fail(state, log, &built.problems.join("\n"));
    }
    served.files = Arc::new(built.files);
    served.good = failure.is_none();
    served.failure.clone_from(&failure);
    drop(served);
    log(&format!("rebuilt in {took:.1} ms"));
    if let Some(text) = &failure {
        log(text);
    }
    state.clients.broadcast(&reload::message("reload", None));
}

fn fail(state: &State, log: &(dyn Fn(&str) + Sync), text: &str) {
    log(&format!(
        "the change did not build; still serving the last good build:\n{text}"
    ));
    if let Ok(mut served) = state.served.write() {
        served.failure = Some(text.to_owned());
    }
    state
        .clients
        .broadcast(&reload::message("error", Some(text)));
}

/// Whether a file event concerns the book: `book.toml`, the content folder, `templates/`,
/// `themes/` or `static/` — not the output folder, `.git`, or editors' backup and swap files.
fn matters(root: &Path, event: &notify::Result<notify::Event>) -> bool {
    let Ok(event) = event else {
        return true;
    };
    if event.need_rescan() {
        return true;
    }
    if event.kind.is_access() {
        return false;
    }
    let content =
        discover::load_config(root).map_or_else(|_| PathBuf::from("content"), |c| c.build.content);
    // A content folder that was just moved away or deleted cannot be canonicalised: its path
    // under the (canonical) root still names the events about it.
    let content = std::fs::canonicalize(discover::join_root(root, &content)).unwrap_or_else(|_| {
        std::fs::canonicalize(root)
            .unwrap_or_else(|_| root.to_owned())
            .join(&content)
    });
    event.paths.iter().any(|path| {
        if path.starts_with(&content) {
            return true;
        }
        let Ok(rel) = path.strip_prefix(root) else {
            return false;
        };
        let name = rel
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        let scratch = name.ends_with('~')
            || name.starts_with(".#")
            || name.ends_with(".swp")
            || name.ends_with(".swx")
            || name.starts_with(".preflight");
        !scratch
            && (rel == Path::new(discover::CONFIG_FILE)
                || rel.starts_with("templates")
                || rel.starts_with("themes")
                || rel.starts_with("static"))
    })
}

/// Answers one connection.
fn handle(mut stream: TcpStream, state: &State) {
    let request = match http::read_request(&mut stream) {
        Ok(r) => r,
        Err(refusal) => return http::refuse(&mut stream, &refusal),
    };
    let host_ok = request.header("host").is_some_and(|h| {
        state.hosts.is_empty() || state.hosts.iter().any(|a| a.eq_ignore_ascii_case(h))
    });
    if !host_ok {
        return http::refuse(
            &mut stream,
            &Refusal::BadRequest("the Host header does not name this server"),
        );
    }
    match request.path.as_str() {
        reload::SOCKET_PATH => {
            let first = || match state.failure() {
                Some(text) => reload::message("error", Some(&text)),
                None => reload::message("ok", None),
            };
            state.clients.accept(stream, &request, &state.hosts, first);
        }
        reload::SCRIPT_PATH => http::respond(
            &mut stream,
            "200 OK",
            http::content_type("x.js"),
            &[],
            reload::SCRIPT.as_bytes(),
            request.head_only,
        ),
        _ => serve_file(&mut stream, &request, state),
    }
}

fn serve_file(stream: &mut TcpStream, request: &Request, state: &State) {
    let (site, failure) = state
        .served
        .read()
        .map(|s| (Arc::clone(&s.files), s.failure.clone()))
        .unwrap_or_default();
    let key = match (request.dir, request.path.is_empty()) {
        (true, true) => "index.html".to_owned(),
        (true, false) => format!("{}/index.html", request.path),
        (false, _) => request.path.clone(),
    };
    if let Some(bytes) = site.get(&key) {
        let body = decorate(&key, bytes, failure.as_deref());
        return http::respond(
            stream,
            "200 OK",
            http::content_type(&key),
            &[],
            &body,
            request.head_only,
        );
    }
    if !request.dir && site.contains_key(&format!("{}/index.html", request.path)) {
        let location = format!("/{}/", encode_path(&request.path));
        return http::respond(
            stream,
            "301 Moved Permanently",
            "text/plain; charset=utf-8",
            &[("Location", &location)],
            b"moved\n",
            request.head_only,
        );
    }
    let body = site.get("404.html").map_or_else(
        || b"404 Not Found\n".to_vec(),
        |b| decorate("404.html", b, failure.as_deref()),
    );
    http::respond(
        stream,
        "404 Not Found",
        "text/html; charset=utf-8",
        &[],
        &body,
        request.head_only,
    );
}

/// HTML pages get the live-reload script, and the error banner while the last rebuild failed.
fn decorate(key: &str, bytes: &[u8], failure: Option<&str>) -> Vec<u8> {
    if http::content_type(key) != http::content_type("x.html") {
        return bytes.to_vec();
    }
    let mut html = String::from_utf8_lossy(bytes).into_owned();
    let script = format!(
        "<script src=\"/{}\" defer></script>\n</head>",
        reload::SCRIPT_PATH
    );
    html = html.replacen("</head>", &script, 1);
    if let Some(text) = failure {
        let banner = format!(
            "<div id=\"preflight-error-banner\" role=\"alert\" style=\"margin:0;padding:12px 16px;background:#3b0d0c;color:#ffdcd7;font:13px/1.5 ui-monospace,monospace;white-space:pre-wrap\">preflight: the last change did not build; this is the last good build.\n\n{}</div>",
            site::highlight::escape(text)
        );
        if let Some(at) = html
            .find("<body")
            .and_then(|b| html[b..].find('>').map(|e| b + e + 1))
        {
            html.insert_str(at, &banner);
        }
    }
    html.into_bytes()
}

/// A site path as a URL path: each segment percent-encoded except unreserved characters.
fn encode_path(path: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_allows_its_names_only() {
        let hosts = allowed_hosts(
            "127.0.0.1".parse().unwrap_or(IpAddr::from([127, 0, 0, 1])),
            8080,
        );
        assert!(hosts.contains(&"localhost:8080".to_owned()));
        assert!(!hosts.contains(&"evil.test:8080".to_owned()));
    }
}
