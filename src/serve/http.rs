//! A small, strict HTTP/1.1 server for the site held in memory.
//!
//! One request per connection, one thread per connection (capped), a deadline for reading the
//! request head, and nothing but GET and HEAD. A request target is resolved only to a key of the
//! in-memory site: `..`, `.`, encoded slashes, backslashes, NUL and absolute-form targets are
//! refused with 400 before any lookup, so no file outside the site can be named. A `Host` other
//! than the bound address is refused (DNS rebinding).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// Longest request head accepted.
const MAX_HEAD: usize = 16 * 1024;
/// Time a client has to send its request head.
pub(super) const HEAD_DEADLINE: Duration = Duration::from_secs(5);

/// A parsed request.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Request {
    /// `GET` or `HEAD`.
    pub(super) head_only: bool,
    /// The site path: decoded, `/`-separated, without the leading `/` (`current/x/index.html`).
    pub(super) path: String,
    /// Whether the target ended with `/`.
    pub(super) dir: bool,
    /// Header names (lower case) and values.
    pub(super) headers: Vec<(String, String)>,
}

impl Request {
    /// The value of a header, by lower-case name.
    pub(super) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Why a request is refused.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Refusal {
    /// 400: malformed, or a target or host that is not allowed.
    BadRequest(&'static str),
    /// 405: a method other than GET and HEAD.
    Method,
    /// The client sent nothing usable in time, or closed: no answer.
    Gone,
}

/// Reads and parses one request head from `stream`.
pub(super) fn read_request(stream: &mut TcpStream) -> Result<Request, Refusal> {
    let started = Instant::now();
    let mut head = Vec::with_capacity(1024);
    let mut buf = [0u8; 2048];
    let mut scanned = 0;
    let end = loop {
        if let Some(at) = head[scanned..].windows(4).position(|w| w == b"\r\n\r\n") {
            break scanned + at;
        }
        scanned = head.len().saturating_sub(3);
        if head.len() > MAX_HEAD {
            return Err(Refusal::BadRequest("request head too large"));
        }
        let left = HEAD_DEADLINE.saturating_sub(started.elapsed());
        if left.is_zero() {
            return Err(Refusal::Gone);
        }
        let _ = stream.set_read_timeout(Some(left));
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return Err(Refusal::Gone),
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    };
    parse(&head[..end + 4])
}

/// Parses a request head.
pub(super) fn parse(head: &[u8]) -> Result<Request, Refusal> {
    let text = String::from_utf8_lossy(head);
    let mut lines = text.split("\r\n");
    let line = lines.next().unwrap_or("");
    let mut parts = line.split(' ');
    let (method, target, version) = (parts.next(), parts.next(), parts.next());
    let (Some(method), Some(target), Some(version), None) = (method, target, version, parts.next())
    else {
        return Err(Refusal::BadRequest("malformed request line"));
    };
    if !version.starts_with("HTTP/1.") {
        return Err(Refusal::BadRequest("unsupported HTTP version"));
    }
    let head_only = match method {
        "GET" => false,
        "HEAD" => true,
        _ => return Err(Refusal::Method),
    };
    let mut headers = Vec::new();
    for line in lines.take_while(|l| !l.is_empty()) {
        let (name, value) = line
            .split_once(':')
            .ok_or(Refusal::BadRequest("malformed header"))?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    let (path, dir) = site_path(target)?;
    Ok(Request {
        head_only,
        path,
        dir,
        headers,
    })
}

/// The site path a request target names: origin-form only, each segment percent-decoded on its
/// own, and none of `..`, `.`, an encoded `/`, a backslash or NUL.
pub(super) fn site_path(target: &str) -> Result<(String, bool), Refusal> {
    let Some(raw) = target.strip_prefix('/') else {
        return Err(Refusal::BadRequest(
            "only origin-form targets (`/path`) are served",
        ));
    };
    let raw = raw.split(['?', '#']).next().unwrap_or("");
    let dir = raw.is_empty() || raw.ends_with('/');
    let mut segments = Vec::new();
    for segment in raw.split('/').filter(|s| !s.is_empty()) {
        let decoded = crate::normalise::percent_decode(segment)
            .ok_or(Refusal::BadRequest("bad percent-encoding"))?;
        if decoded == ".." || decoded == "." {
            return Err(Refusal::BadRequest("`..` and `.` are not allowed in paths"));
        }
        if decoded.contains(['/', '\\', '\0']) {
            return Err(Refusal::BadRequest(
                "slashes, backslashes and NUL are not allowed in a path segment",
            ));
        }
        segments.push(decoded);
    }
    Ok((segments.join("/"), dir))
}

/// The content type of a site file, by extension.
pub(super) fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Writes a whole response and closes the exchange.
pub(super) fn respond(
    stream: &mut TcpStream,
    status: &str,
    content_type: &str,
    extra: &[(&str, &str)],
    body: &[u8],
    head_only: bool,
) {
    let mut out = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nX-Content-Type-Options: nosniff\r\nCache-Control: no-cache\r\nConnection: close\r\n",
        body.len()
    )
    .into_bytes();
    for (name, value) in extra {
        out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    out.extend_from_slice(b"\r\n");
    if !head_only {
        out.extend_from_slice(body);
    }
    write_with_deadline(stream, &out, Instant::now() + Duration::from_secs(10));
    // Close our side, then drain a little of what the client may still send (a body, a
    // pipelined request), so the close is clean and the response is not lost to a reset.
    let _ = stream.shutdown(std::net::Shutdown::Write);
    let _ = stream.set_read_timeout(Some(Duration::from_millis(100)));
    let mut sink = [0u8; 4096];
    for _ in 0..16 {
        if !matches!(stream.read(&mut sink), Ok(n) if n > 0) {
            break;
        }
    }
}

/// Writes `bytes` unless the client takes past `deadline` to read them.
fn write_with_deadline(stream: &mut TcpStream, mut bytes: &[u8], deadline: Instant) {
    while !bytes.is_empty() {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_write_timeout(Some(left)).is_err() {
            return;
        }
        match stream.write(bytes) {
            Ok(0) | Err(_) => return,
            Ok(n) => bytes = &bytes[n..],
        }
    }
}

/// Answers a refused request (nothing for a client that is gone).
pub(super) fn refuse(stream: &mut TcpStream, refusal: &Refusal) {
    match refusal {
        Refusal::BadRequest(why) => respond(
            stream,
            "400 Bad Request",
            "text/plain; charset=utf-8",
            &[],
            format!("400 Bad Request: {why}\n").as_bytes(),
            false,
        ),
        Refusal::Method => respond(
            stream,
            "405 Method Not Allowed",
            "text/plain; charset=utf-8",
            &[("Allow", "GET, HEAD")],
            b"405 Method Not Allowed: only GET and HEAD\n",
            false,
        ),
        Refusal::Gone => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_and_odd_targets_are_refused() {
        for target in [
            "/../etc/passwd",
            "/current/../../x",
            "/%2e%2e/x",
            "/%2E%2E/x",
            "/a%2fb",
            "/a%5c..%5cb",
            "/a\\b",
            "/a%00b",
            "/./x",
            "http://evil.test/",
            "*",
            "/%zz",
        ] {
            assert!(
                matches!(site_path(target), Err(Refusal::BadRequest(_))),
                "{target} was accepted"
            );
        }
    }

    #[test]
    fn ordinary_targets_resolve() {
        assert_eq!(site_path("/"), Ok((String::new(), true)));
        assert_eq!(
            site_path("/current/a%20b/index.html?x=1#y"),
            Ok(("current/a b/index.html".to_owned(), false))
        );
        assert_eq!(
            site_path("/current//x/"),
            Ok(("current/x".to_owned(), true))
        );
    }

    #[test]
    fn only_get_and_head() {
        assert_eq!(
            parse(b"POST / HTTP/1.1\r\nHost: x\r\n\r\n"),
            Err(Refusal::Method)
        );
        let head = parse(b"HEAD /a HTTP/1.1\r\nHost: 127.0.0.1:1\r\n\r\n");
        assert!(head.is_ok_and(|r| r.head_only && r.header("host") == Some("127.0.0.1:1")));
    }
}
