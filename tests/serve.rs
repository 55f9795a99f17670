//! `preflight serve`, run as the real binary on a free loopback port: live reload after an edit,
//! the last good build kept through a broken edit, recovery, and requests that must be refused.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::{preflight, tempdir, write};

/// The server, stopped (by its own process id) when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(root: &Path) -> Server {
    let child = preflight(root)
        .args(["serve", "--port", "0"])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start serve: {e}"));
    let mut server = Server { child, port: 0 };
    let stderr = server
        .child
        .stderr
        .take()
        .unwrap_or_else(|| panic!("no stderr"));
    let (tx, rx) = std::sync::mpsc::channel();
    // Keep draining stderr so the server never blocks on a full pipe.
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    while server.port == 0 {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = rx
            .recv_timeout(left)
            .unwrap_or_else(|_| panic!("serve did not say where it listens"));
        if let Some(rest) = line.strip_prefix("serving http://127.0.0.1:") {
            server.port = rest
                .split('/')
                .next()
                .and_then(|p| p.parse().ok())
                .unwrap_or_else(|| panic!("no port in {line:?}"));
        }
    }
    server
}

/// Replaces a file the way editors save: a new file renamed over the old one.
fn save(dir: &Path, rel: &str, bytes: &[u8]) {
    let path = dir.join(rel);
    let temp = dir.join(format!("{rel}.saving"));
    std::fs::write(&temp, bytes).unwrap_or_else(|e| panic!("{e}"));
    std::fs::rename(&temp, &path).unwrap_or_else(|e| panic!("{e}"));
}

/// Reads frames until one of `kind` arrives, within `within`; returns it.
fn wait_for(ws: &mut TcpStream, kind: &str, within: Duration) -> String {
    let deadline = Instant::now() + within;
    let mut seen = Vec::new();
    while Instant::now() < deadline {
        let _ = ws.set_read_timeout(Some(
            deadline
                .saturating_duration_since(Instant::now())
                .max(Duration::from_millis(1)),
        ));
        let text = frame(ws);
        if text.contains(&format!("\"type\":\"{kind}\"")) {
            return text;
        }
        if text.is_empty() {
            break;
        }
        seen.push(text);
    }
    panic!("no {kind} message within {within:?}; got {seen:?}");
}

/// Sends raw bytes and returns the whole response.
fn raw(port: u16, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap_or_else(|e| panic!("{e}"));
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let _ = stream.write_all(request);
    let mut out = Vec::new();
    let _ = stream.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

fn get(port: u16, path: &str) -> String {
    raw(
        port,
        format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n").as_bytes(),
    )
}

fn status(response: &str) -> &str {
    response.get(9..12).unwrap_or("")
}

/// Opens the live-reload socket and returns it after the handshake and the first message.
fn socket(port: u16) -> (TcpStream, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap_or_else(|e| panic!("{e}"));
    let request = format!(
        "GET /__preflight/ws HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
    );
    let _ = stream.write_all(request.as_bytes());
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && stream.read_exact(&mut byte).is_ok() {
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    assert!(head.starts_with("HTTP/1.1 101"), "{head}");
    assert!(head.contains("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="), "{head}");
    let first = frame(&mut stream);
    (stream, first)
}

/// Reads one server text frame.
fn frame(stream: &mut TcpStream) -> String {
    let mut head = [0u8; 2];
    if stream.read_exact(&mut head).is_err() {
        return String::new();
    }
    let len = match head[1] & 0x7f {
        126 => {
            let mut n = [0u8; 2];
            let _ = stream.read_exact(&mut n);
            usize::from(u16::from_be_bytes(n))
        }
        127 => {
            let mut n = [0u8; 8];
            let _ = stream.read_exact(&mut n);
            usize::try_from(u64::from_be_bytes(n)).unwrap_or(0)
        }
        n => usize::from(n),
    };
    let mut payload = vec![0u8; len];
    let _ = stream.read_exact(&mut payload);
    String::from_utf8_lossy(&payload).into_owned()
}

fn book() -> tempfile::TempDir {
    let dir = tempdir();
    write(dir.path(), "book.toml", b"[book]\ntitle = \"Served\"\n");
    write(
        dir.path(),
        "content/deploy.md",
        b"# Deploy\n\n## Steps\n\n- [ ] First step\n",
    );
    dir
}

#[test]
fn an_edit_reloads_a_broken_edit_keeps_the_last_good_build_and_a_fix_recovers() {
    let dir = book();
    let server = start(dir.path());
    let page = "/current/deploy/index.html";
    let first = get(server.port, page);
    assert_eq!(status(&first), "200", "{first}");
    assert!(first.contains("First step") && first.contains("/__preflight/livereload.js"));
    let (mut ws, hello) = socket(server.port);
    assert_eq!(hello, r#"{"type":"ok"}"#);

    let started = Instant::now();
    save(
        dir.path(),
        "content/deploy.md",
        b"# Deploy\n\n## Steps\n\n- [ ] First step\n- [ ] Second step\n",
    );
    wait_for(&mut ws, "reload", Duration::from_secs(1));
    assert!(get(server.port, page).contains("Second step"));
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );

    save(
        dir.path(),
        "content/deploy.md",
        b"---\ntitle: [unclosed\n---\n# Deploy\n\n- [ ] Broken step\n",
    );
    let error = wait_for(&mut ws, "error", Duration::from_secs(2));
    assert!(error.contains("front-matter"), "{error}");
    let kept = get(server.port, page);
    assert!(
        kept.contains("Second step") && !kept.contains("Broken step"),
        "{kept}"
    );
    assert!(kept.contains("preflight-error-banner"), "{kept}");

    save(
        dir.path(),
        "content/deploy.md",
        b"# Deploy\n\n## Steps\n\n- [ ] Third step\n",
    );
    wait_for(&mut ws, "reload", Duration::from_secs(2));
    let fixed = get(server.port, page);
    assert!(
        fixed.contains("Third step") && !fixed.contains("preflight-error-banner"),
        "{fixed}"
    );
}

/// Regression: moving the whole content folder away went unnoticed: no message, no error in
/// the pages, while `build` failed.
#[test]
fn a_content_folder_moved_away_is_an_error_in_the_pages() {
    let dir = book();
    let server = start(dir.path());
    let (mut ws, hello) = socket(server.port);
    assert_eq!(hello, r#"{"type":"ok"}"#);
    std::fs::rename(dir.path().join("content"), dir.path().join("content.gone"))
        .unwrap_or_else(|e| panic!("{e}"));
    let error = wait_for(&mut ws, "error", Duration::from_secs(3));
    assert!(
        error.contains("no such file or folder") || error.contains("no `content` folder"),
        "{error}"
    );
    std::fs::rename(dir.path().join("content.gone"), dir.path().join("content"))
        .unwrap_or_else(|e| panic!("{e}"));
    wait_for(&mut ws, "reload", Duration::from_secs(3));
}

#[test]
fn pages_of_other_origins_cannot_listen() {
    let dir = book();
    let server = start(dir.path());
    let port = server.port;
    let response = raw(
        port,
        format!("GET /__preflight/ws HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nOrigin: http://evil.test\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n").as_bytes(),
    );
    assert_eq!(status(&response), "400", "{response}");
}

#[test]
fn traversal_methods_and_foreign_hosts_are_refused() {
    let dir = book();
    write(dir.path(), "secret.txt", b"not part of the site");
    let server = start(dir.path());
    let port = server.port;
    let host = format!("Host: 127.0.0.1:{port}");
    for target in [
        "/../secret.txt",
        "/current/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/current%2f..%2f..%2fsecret.txt",
        "/..\\secret.txt",
        "/%5c..%5csecret.txt",
        "/index.html%00.js",
        "http://127.0.0.1/secret.txt",
        "//etc/passwd",
        "/etc/passwd",
    ] {
        let response = raw(
            port,
            format!("GET {target} HTTP/1.1\r\n{host}\r\n\r\n").as_bytes(),
        );
        assert!(
            matches!(status(&response), "400" | "404"),
            "{target}: {response}"
        );
        assert!(
            !response.contains("not part of the site"),
            "{target} leaked a file"
        );
    }
    let evil = raw(port, b"GET / HTTP/1.1\r\nHost: evil.test\r\n\r\n");
    assert_eq!(status(&evil), "400", "{evil}");
    let missing = raw(port, b"GET / HTTP/1.1\r\n\r\n");
    assert_eq!(status(&missing), "400", "{missing}");
    let posted = raw(
        port,
        format!("POST / HTTP/1.1\r\n{host}\r\nContent-Length: 0\r\n\r\n").as_bytes(),
    );
    assert_eq!(status(&posted), "405", "{posted}");
    let ok = get(port, "/");
    assert_eq!(status(&ok), "200");
    assert!(ok.contains("X-Content-Type-Options: nosniff"), "{ok}");
    let head = raw(
        port,
        format!("HEAD /current/ HTTP/1.1\r\n{host}\r\n\r\n").as_bytes(),
    );
    assert_eq!(status(&head), "200");
    assert!(!head.contains("<html"), "HEAD sent a body");
}

#[test]
fn crowds_and_slow_clients_do_not_block_a_request() {
    let dir = book();
    let server = start(dir.path());
    let port = server.port;
    let idle: Vec<TcpStream> = (0..200)
        .filter_map(|_| TcpStream::connect(("127.0.0.1", port)).ok())
        .collect();
    assert_eq!(idle.len(), 200);
    let mut slow = TcpStream::connect(("127.0.0.1", port)).unwrap_or_else(|e| panic!("{e}"));
    let dripping = std::thread::spawn(move || {
        for b in b"GET / HTTP/1.1\r\n" {
            if slow.write_all(&[*b]).is_err() {
                break;
            }
            std::thread::sleep(Duration::from_secs(1));
        }
    });
    std::thread::sleep(Duration::from_millis(200));
    let started = Instant::now();
    let response = get(port, "/current/deploy/index.html");
    assert_eq!(status(&response), "200");
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    drop(idle);
    let _ = dripping.join();
}

/// Regression: a port in use was reported as "cannot write: Address already in use", with no
/// word on what to do.
#[test]
fn a_port_in_use_says_how_to_get_another() {
    let dir = book();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
    let port = taken.local_addr().map(|a| a.port()).unwrap_or_default();
    let output = preflight(dir.path())
        .args(["serve", "--port", &port.to_string()])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("cannot listen on `127.0.0.1:{port}`"))
            && stderr.contains("--port 0"),
        "{stderr}"
    );
    drop(taken);
}
