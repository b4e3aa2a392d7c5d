//! The preview's HTTP server: std sockets, one thread per connection.
//!
//! Serves the current [`Snapshot`] (swapped whole after each good build),
//! injects the live-reload script into HTML responses only, and keeps
//! Server-Sent Event streams open to announce rebuilds. A broken build does
//! not stop it: the pages of the broken files show the error instead, and
//! the rest of the last good site is served with a notice.

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use crate::cmd::serve::http::{content_type, resolve, Target};
use crate::cmd::serve::store::{Lookup, Snapshot};
use crate::util::escape;

/// Paths the preview itself answers, never part of a site.
const EVENTS: &str = "/__echt/events";
const SCRIPT: &str = "/__echt/reload.js";

/// The live-reload client: reloads after a rebuild (keeping the scroll
/// position), swaps stylesheets when only CSS changed, and reloads once a
/// restarted server reports a different build.
const RELOAD_JS: &str = r#"(() => {
  const key = "echt-scroll:" + location.pathname;
  const saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    addEventListener("load", () => scrollTo({ top: Number(saved), behavior: "instant" }));
  }
  let build = null;
  const source = new EventSource("/__echt/events");
  const reload = () => { sessionStorage.setItem(key, String(scrollY)); location.reload(); };
  source.addEventListener("build", (e) => {
    if (build !== null && build !== e.data) reload();
    build = e.data;
  });
  source.addEventListener("reload", reload);
  source.addEventListener("css", () => {
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href);
      url.searchParams.set("echt-reload", String(Date.now()));
      link.href = url.href;
    }
  });
})();
"#;

/// What the server shows: the last good build and the current error.
#[derive(Debug)]
pub struct State {
    snapshot: RwLock<Arc<Snapshot>>,
    error: RwLock<Option<Failure>>,
    /// Builds so far.
    build: RwLock<u64>,
    /// Tells this run of the server from earlier ones: a page that stayed
    /// open across a restart sees a new build id and reloads.
    run: u128,
    listeners: Mutex<Vec<Sender<String>>>,
}

impl Default for State {
    fn default() -> Self {
        State {
            snapshot: RwLock::default(),
            error: RwLock::default(),
            build: RwLock::default(),
            run: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos()),
            listeners: Mutex::default(),
        }
    }
}

/// A failed build, as the preview shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The errors, as the terminal shows them.
    pub report: String,
    /// The pages (output files) of the broken sources, which show the
    /// errors in their place; None when the errors concern the whole site
    /// (a template, echt.yaml), so that every page shows them.
    pub pages: Option<HashSet<String>>,
}

impl Failure {
    fn breaks(&self, page: &str) -> bool {
        self.pages.as_ref().is_none_or(|pages| pages.contains(page))
    }
}

/// What changed in a rebuild, for the browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// No file differs from the last build.
    Nothing,
    /// Only stylesheets: swap them without a reload.
    Css,
    Page,
}

impl State {
    /// Publishes a good build and tells every open page, unless nothing
    /// changed and no error was being shown.
    pub fn publish(&self, snapshot: Arc<Snapshot>, change: Change) {
        *self
            .snapshot
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = snapshot;
        let had_error = self
            .error
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take()
            .is_some();
        if change == Change::Nothing && !had_error {
            return;
        }
        let build = {
            let mut build = self
                .build
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            *build += 1;
            *build
        };
        // A page showing an error needs a reload, even for a stylesheet.
        let event = match change {
            Change::Css if !had_error => "css",
            _ => "reload",
        };
        self.broadcast(&format!(
            "event: {event}\ndata: {}\n\n",
            self.build_id(build)
        ));
    }

    /// Shows a failed build's errors until the next good one.
    pub fn fail(&self, failure: Failure) {
        *self
            .error
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(failure);
        self.broadcast("event: reload\ndata: error\n\n");
    }

    fn broadcast(&self, message: &str) {
        let mut listeners = self
            .listeners
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        listeners.retain(|l| l.send(message.to_string()).is_ok());
    }

    fn build_id(&self, build: u64) -> String {
        format!("{:x}-{build}", self.run)
    }

    /// A new event stream, and the id of the build being served.
    fn listen(&self) -> (Receiver<String>, String) {
        let (tx, rx) = mpsc::channel();
        self.listeners
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(tx);
        let build = *self
            .build
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        (rx, self.build_id(build))
    }

    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.snapshot
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
}

/// Accepts connections until the listener fails; each gets a thread.
pub fn run(listener: TcpListener, state: Arc<State>) {
    for stream in listener.incoming() {
        let Ok(stream) = stream else {
            // Out of file descriptors, most likely: wait for some to close
            // instead of spinning.
            std::thread::sleep(Duration::from_millis(50));
            continue;
        };
        let state = state.clone();
        let spawned = std::thread::Builder::new()
            .name("echt-http".into())
            .spawn(move || {
                // A client that goes away mid-response only ends its own thread.
                let _ = handle(stream, &state);
            });
        if spawned.is_err() {
            // Out of threads: drop this connection, keep serving the others.
            continue;
        }
    }
}

/// A parsed request line.
struct Request {
    method: String,
    target: String,
}

/// The longest request line, and the longest header line, the preview
/// reads; and the most bytes of both together. A browser's requests are a
/// small fraction of this; more is refused while reading, so no client can
/// make the preview hold more than this much of one request.
const MAX_LINE: usize = 8 * 1024;
const MAX_HEAD: usize = 64 * 1024;

/// How reading one line ended.
#[derive(Debug, PartialEq, Eq)]
enum Line {
    /// Up to and with its line break.
    Complete,
    /// The connection ended first.
    Ended,
    /// `limit` bytes came without a line break.
    TooLong,
}

/// Reads one line into `buf`, never more than `limit` bytes of it.
fn read_line_capped(
    reader: &mut impl BufRead,
    buf: &mut Vec<u8>,
    limit: usize,
) -> std::io::Result<Line> {
    buf.clear();
    let n = reader.by_ref().take(limit as u64).read_until(b'\n', buf)?;
    Ok(if buf.ends_with(b"\n") {
        Line::Complete
    } else if n >= limit {
        Line::TooLong
    } else {
        Line::Ended
    })
}

/// Reads the request line and skips the headers (the preview needs none
/// of them). `Err(status)` refuses a request that is too large or not HTTP.
fn read_request(reader: &mut impl BufRead) -> std::io::Result<Result<Request, u16>> {
    let mut line = Vec::new();
    match read_line_capped(reader, &mut line, MAX_LINE)? {
        Line::TooLong => return Ok(Err(414)),
        Line::Complete | Line::Ended => {}
    }
    let text = String::from_utf8_lossy(&line);
    let mut parts = text.split_whitespace();
    let (Some(method), Some(target)) = (parts.next(), parts.next()) else {
        return Ok(Err(400));
    };
    let request = Request {
        method: method.to_string(),
        target: target.to_string(),
    };
    let mut total = line.len();
    loop {
        let limit = MAX_LINE.min(MAX_HEAD - total);
        if limit == 0 {
            return Ok(Err(431));
        }
        match read_line_capped(reader, &mut line, limit)? {
            Line::TooLong => return Ok(Err(431)),
            Line::Ended => break,
            Line::Complete if line == b"\r\n" || line == b"\n" => break,
            Line::Complete => total += line.len(),
        }
    }
    Ok(Ok(request))
}

/// After refusing a request: reads a little more of what the client is
/// still sending (at most 1 MiB, for at most a second), so that closing
/// does not reset the connection before the client has read the answer.
fn linger(reader: &mut impl Read) {
    let mut sink = [0u8; 16 * 1024];
    let mut left = 1 << 20;
    let start = std::time::Instant::now();
    while left > 0 && start.elapsed() < Duration::from_secs(1) {
        match reader.read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(n) => left -= n.min(left),
        }
    }
}

fn handle(mut stream: TcpStream, state: &State) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let request = match read_request(&mut reader)? {
        Ok(request) => request,
        Err(status) => {
            let body: &[u8] = match status {
                414 => b"request line too long\n",
                431 => b"request headers too large\n",
                _ => b"bad request\n",
            };
            respond(
                &mut stream,
                status,
                "text/plain; charset=utf-8",
                body,
                false,
                &[],
            )?;
            stream.shutdown(std::net::Shutdown::Write)?;
            stream.set_read_timeout(Some(Duration::from_millis(200)))?;
            linger(&mut reader);
            return Ok(());
        }
    };
    let head = request.method == "HEAD";
    if request.method != "GET" && !head {
        return respond(
            &mut stream,
            405,
            "text/plain; charset=utf-8",
            b"method not allowed\n",
            head,
            &[("Allow", "GET, HEAD")],
        );
    }
    let path = request.target.split(['?', '#']).next().unwrap_or_default();
    if path == EVENTS {
        return events(stream, state);
    }
    if path == SCRIPT {
        return respond(
            &mut stream,
            200,
            "text/javascript; charset=utf-8",
            RELOAD_JS.as_bytes(),
            head,
            &[],
        );
    }
    let target = resolve(&request.target);
    if target == Target::Forbidden {
        return respond(
            &mut stream,
            403,
            "text/plain; charset=utf-8",
            b"forbidden\n",
            head,
            &[],
        );
    }
    let snapshot = state.snapshot();
    let error = state
        .error
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
    match snapshot.lookup(&target) {
        Lookup::File { rel, body } => {
            let kind = content_type(&rel);
            match &error {
                Some(failure) if kind.starts_with("text/html") && failure.breaks(&rel) => respond(
                    &mut stream,
                    500,
                    kind,
                    error_page(&failure.report).as_bytes(),
                    head,
                    &[],
                ),
                _ if kind.starts_with("text/html") => {
                    let page = inject(&body, error.as_ref());
                    respond(&mut stream, 200, kind, &page, head, &[])
                }
                _ => respond(&mut stream, 200, kind, &body, head, &[]),
            }
        }
        Lookup::Redirect(location) => {
            let query = request
                .target
                .find('?')
                .map_or("", |i| &request.target[i..]);
            let location = format!("{location}{query}");
            respond(
                &mut stream,
                301,
                "text/plain; charset=utf-8",
                b"moved\n",
                head,
                &[("Location", &location)],
            )
        }
        Lookup::NotFound(Some(page)) => respond(
            &mut stream,
            404,
            "text/html; charset=utf-8",
            &inject(&page, error.as_ref()),
            head,
            &[],
        ),
        Lookup::NotFound(None) => respond(
            &mut stream,
            404,
            "text/plain; charset=utf-8",
            b"not found\n",
            head,
            &[],
        ),
    }
}

/// Adds the reload script (and a notice of a failed build, if any) to an
/// HTML page.
fn inject(body: &[u8], error: Option<&Failure>) -> Vec<u8> {
    let page = String::from_utf8_lossy(body);
    // The page's own policy forbids scripts; the preview's one is allowed.
    let html = crate::audit::headers::preview_page(&page);
    let mut extra = format!("<script src=\"{SCRIPT}\" defer></script>\n");
    if let Some(failure) = error {
        extra.push_str(&format!(
            "<div role=\"alert\" class=\"echt-error\" style=\"{NOTICE_STYLE}\"><p><strong>echt: the last save broke the build.</strong> This page is the last good version.</p><details><summary>Errors</summary><pre style=\"white-space: pre-wrap\">{}</pre></details></div>\n",
            escape::html(&failure.report)
        ));
    }
    match html.rfind("</body>") {
        Some(i) => format!("{}{extra}{}", &html[..i], &html[i..]).into_bytes(),
        None => format!("{html}{extra}").into_bytes(),
    }
}

const NOTICE_STYLE: &str = "position: fixed; inset: auto 1rem 1rem 1rem; max-height: 50vh; overflow: auto; padding: 0 1rem; background: #fff; color: #111; border: 3px solid #b00020; font: 16px/1.4 system-ui, sans-serif; z-index: 2147483647";

/// What a page whose source is broken shows instead: the errors, until a
/// save fixes them and the page reloads by itself.
fn error_page(report: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>echt: build error</title>\n</head>\n<body style=\"margin: 2rem; font: 16px/1.5 system-ui, sans-serif; color: #111; background: #fff\">\n<main>\n<h1>echt: this page could not be built</h1>\n<p>Fix the file and save it; this page comes back by itself.</p>\n<pre role=\"alert\" style=\"white-space: pre-wrap; padding: 1rem; border: 3px solid #b00020\">{}</pre>\n</main>\n<script src=\"{SCRIPT}\" defer></script>\n</body>\n</html>\n",
        escape::html(report)
    )
}

fn respond(
    stream: &mut TcpStream,
    status: u16,
    kind: &str,
    body: &[u8],
    head: bool,
    headers: &[(&str, &str)],
) -> std::io::Result<()> {
    let reason = match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        _ => "OK",
    };
    let mut response = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        response.push_str(&format!("{name}: {value}\r\n"));
    }
    response.push_str("\r\n");
    stream.write_all(response.as_bytes())?;
    if !head {
        stream.write_all(body)?;
    }
    stream.flush()
}

/// A Server-Sent Events stream: the current build number first, then one
/// event per rebuild, and a comment every 15 s to notice closed tabs.
fn events(mut stream: TcpStream, state: &State) -> std::io::Result<()> {
    let (rx, build) = state.listen();
    stream.write_all(
        format!("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\nretry: 500\nevent: build\ndata: {build}\n\n").as_bytes(),
    )?;
    stream.flush()?;
    loop {
        match rx.recv_timeout(Duration::from_secs(15)) {
            Ok(message) => stream.write_all(message.as_bytes())?,
            Err(RecvTimeoutError::Timeout) => stream.write_all(b": keep-alive\n\n")?,
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        }
        stream.flush()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(raw: &[u8]) -> Result<String, u16> {
        let mut reader = std::io::Cursor::new(raw.to_vec());
        read_request(&mut reader)
            .expect("reading memory cannot fail")
            .map(|r| format!("{} {}", r.method, r.target))
    }

    #[test]
    fn requests_are_capped_while_reading() {
        assert_eq!(
            read(b"GET /a/ HTTP/1.1\r\nHost: x\r\n\r\nrest").as_deref(),
            Ok("GET /a/")
        );
        let long_target = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(MAX_LINE));
        assert_eq!(read(long_target.as_bytes()), Err(414));
        let long_header = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(MAX_LINE));
        assert_eq!(read(long_header.as_bytes()), Err(431));
        // Many headers, each short, still add up.
        let many = format!(
            "GET / HTTP/1.1\r\n{}\r\n",
            "X-Header: 0123456789\r\n".repeat(4000)
        );
        assert_eq!(read(many.as_bytes()), Err(431));
        let just_fits = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(MAX_LINE - 5));
        assert_eq!(read(just_fits.as_bytes()).as_deref(), Ok("GET /"));
        assert_eq!(read(b"\r\n"), Err(400));
        assert_eq!(read(b""), Err(400));
    }

    #[test]
    fn the_script_goes_before_the_end_of_body() {
        let page = inject(b"<html><body><p>x</p></body></html>", None);
        assert_eq!(
            String::from_utf8_lossy(&page),
            "<html><body><p>x</p><script src=\"/__echt/reload.js\" defer></script>\n</body></html>"
        );
        let failure = Failure {
            report: "error: <kaputt>".into(),
            pages: None,
        };
        let broken = inject(b"<p>x</p>", Some(&failure));
        let text = String::from_utf8_lossy(&broken);
        assert!(
            text.contains("role=\"alert\"") && text.contains("error: &lt;kaputt&gt;"),
            "{text}"
        );
    }
}
