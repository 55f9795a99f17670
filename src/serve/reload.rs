//! Live reload: a WebSocket endpoint that tells open pages to reload (keeping their scroll
//! position) or shows them the error of a failed rebuild, and the script pages load for it.
//!
//! Only server-to-client text frames are sent; what clients send is never read.

use std::io::Write;
use std::net::TcpStream;
use std::sync::Mutex;
use std::time::Duration;

use base64::Engine as _;

use super::http::{Request, respond};

/// Path of the script injected into every HTML page.
pub(super) const SCRIPT_PATH: &str = "__preflight/livereload.js";
/// Path of the WebSocket endpoint.
pub(super) const SOCKET_PATH: &str = "__preflight/ws";

/// The script: connect, reload on `reload` (saving the scroll position), show or hide the error
/// overlay, reconnect when the server restarts.
pub(super) const SCRIPT: &str = r#"(function () {
  "use strict";
  var key = "preflight-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    window.addEventListener("load", function () { window.scrollTo(0, Number(saved)); });
  }
  function overlay(message) {
    var box = document.getElementById("preflight-error");
    if (!message) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("pre");
      box.id = "preflight-error";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;left:12px;right:12px;bottom:12px;z-index:99;max-height:45vh;overflow:auto;margin:0;padding:14px 16px;border-radius:10px;background:#3b0d0c;color:#ffdcd7;font:13px/1.5 ui-monospace,monospace;white-space:pre-wrap;box-shadow:0 8px 24px rgba(0,0,0,.4)";
      document.body.appendChild(box);
    }
    box.textContent = "preflight: the last change did not build; showing the last good build.\n\n" + message;
  }
  function connect() {
    var ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/__preflight/ws");
    ws.onmessage = function (event) {
      var m = JSON.parse(event.data);
      if (m.type === "reload") {
        sessionStorage.setItem(key, String(window.scrollY));
        location.reload();
      } else if (m.type === "error") {
        overlay(m.message);
      } else if (m.type === "ok") {
        overlay("");
      }
    };
    ws.onclose = function () { setTimeout(connect, 1000); };
  }
  connect();
})();
"#;

/// Most live-reload connections kept; the oldest is dropped to make room (a closed tab's
/// connection is otherwise only noticed at the next broadcast).
const MAX_CLIENTS: usize = 64;

/// Open WebSocket connections.
#[derive(Debug, Default)]
pub(super) struct Clients {
    streams: Mutex<Vec<TcpStream>>,
}

impl Clients {
    /// Completes the WebSocket handshake for `request` and keeps the stream. `first` gives the
    /// current state; it is read, sent and the stream registered under one lock, so a
    /// broadcast cannot fall between them. Pages of other origins are refused (browsers do not
    /// apply the same-origin rule to `WebSocket` connections).
    pub(super) fn accept(
        &self,
        mut stream: TcpStream,
        request: &Request,
        hosts: &[String],
        first: impl FnOnce() -> String,
    ) {
        let key = request.header("sec-websocket-key");
        let upgrade = request
            .header("upgrade")
            .is_some_and(|u| u.eq_ignore_ascii_case("websocket"));
        let same_origin = request.header("origin").is_none_or(|origin| {
            hosts
                .iter()
                .any(|h| origin.eq_ignore_ascii_case(&format!("http://{h}")))
        });
        let Some(key) = key.filter(|_| upgrade && same_origin && !request.head_only) else {
            respond(
                &mut stream,
                "400 Bad Request",
                "text/plain; charset=utf-8",
                &[],
                b"400 Bad Request: expected a WebSocket upgrade from a page of this site\n",
                false,
            );
            return;
        };
        let accept = accept_key(key);
        let head = format!(
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n"
        );
        let _ = stream.set_write_timeout(Some(Duration::from_secs(2)));
        let Ok(mut streams) = self.streams.lock() else {
            return;
        };
        if stream.write_all(head.as_bytes()).is_err() || stream.write_all(&frame(&first())).is_err()
        {
            return;
        }
        if streams.len() >= MAX_CLIENTS {
            streams.remove(0);
        }
        streams.push(stream);
    }

    /// Sends a text message to every client, dropping those that are gone.
    pub(super) fn broadcast(&self, message: &str) {
        let bytes = frame(message);
        if let Ok(mut streams) = self.streams.lock() {
            streams.retain_mut(|s| s.write_all(&bytes).and_then(|()| s.flush()).is_ok());
        }
    }
}

/// `Sec-WebSocket-Accept` for a client key (RFC 6455: SHA-1 of the key and a fixed GUID).
fn accept_key(key: &str) -> String {
    let mut sha = sha1_smol::Sha1::new();
    sha.update(key.trim().as_bytes());
    sha.update(b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11");
    base64::engine::general_purpose::STANDARD.encode(sha.digest().bytes())
}

/// One unmasked, final text frame.
fn frame(text: &str) -> Vec<u8> {
    let payload = text.as_bytes();
    let mut out = Vec::with_capacity(payload.len() + 10);
    out.push(0x81);
    match payload.len() {
        n if n < 126 => out.push(u8::try_from(n).unwrap_or(0)),
        n if u16::try_from(n).is_ok() => {
            out.push(126);
            out.extend_from_slice(&u16::try_from(n).unwrap_or(u16::MAX).to_be_bytes());
        }
        n => {
            out.push(127);
            out.extend_from_slice(&(n as u64).to_be_bytes());
        }
    }
    out.extend_from_slice(payload);
    out
}

/// A JSON message: `{"type": kind}` with an optional `message`.
pub(super) fn message(kind: &str, text: Option<&str>) -> String {
    let mut value = serde_json::json!({ "type": kind });
    if let Some(text) = text {
        value["message"] = serde_json::Value::String(text.to_owned());
    }
    value.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_key_matches_rfc_6455_example() {
        assert_eq!(
            accept_key("dGhlIHNhbXBsZSBub25jZQ=="),
            "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
        );
    }

    #[test]
    fn frames_carry_their_length() {
        assert_eq!(frame("hi"), [0x81, 2, b'h', b'i']);
        let long = "x".repeat(300);
        let f = frame(&long);
        assert_eq!(&f[..4], &[0x81, 126, 1, 44]);
        assert_eq!(f.len(), 304);
    }
}
