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

    /// The failed build being shown, if any.
    fn error(&self) -> Option<Failure> {
        self.error
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

/// Serves one connection: reads the request, routes it, answers.
fn handle(mut stream: TcpStream, state: &State) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let request = match read_request(&mut reader)? {
        Ok(request) => request,
        Err(status) => return refuse(stream, &mut reader, status),
    };
    let response = match route(&request) {
        Route::Events => return events(stream, state),
        Route::NotAllowed => {
            Response::text(405, b"method not allowed\n").header("Allow", "GET, HEAD")
        }
        Route::Script => Response::new(
            200,
            "text/javascript; charset=utf-8",
            Body::Static(RELOAD_JS.as_bytes()),
        ),
        Route::Forbidden => Response::text(403, b"forbidden\n"),
        Route::Site(target) => {
            let snapshot = state.snapshot();
            let error = state.error();
            site_response(&target, query(&request.target), &snapshot, error.as_ref())
        }
    };
    response.write(&mut stream, request.method == "HEAD")
}

/// Answers a request that could not be read (`status`), then reads a
/// little more of it before closing.
fn refuse(mut stream: TcpStream, reader: &mut impl Read, status: u16) -> std::io::Result<()> {
    refusal(status).write(&mut stream, false)?;
    stream.shutdown(std::net::Shutdown::Write)?;
    stream.set_read_timeout(Some(Duration::from_millis(200)))?;
    linger(reader);
    Ok(())
}

/// The answer to a request that could not be read.
fn refusal(status: u16) -> Response {
    let body: &'static [u8] = match status {
        414 => b"request line too long\n",
        431 => b"request headers too large\n",
        _ => b"bad request\n",
    };
    Response::text(status, body)
}

/// Where a request goes.
#[derive(Debug, PartialEq, Eq)]
enum Route {
    /// Neither GET nor HEAD.
    NotAllowed,
    /// The stream of rebuild events.
    Events,
    /// The live-reload script.
    Script,
    /// A path no file of the site may have (a way out of it, in any
    /// spelling).
    Forbidden,
    /// A file of the site, or its 404 page.
    Site(Target),
}

/// Where `request` goes: the preview's own paths first, then the site's.
fn route(request: &Request) -> Route {
    if request.method != "GET" && request.method != "HEAD" {
        return Route::NotAllowed;
    }
    let path = request.target.split(['?', '#']).next().unwrap_or_default();
    if path == EVENTS {
        return Route::Events;
    }
    if path == SCRIPT {
        return Route::Script;
    }
    match resolve(&request.target) {
        Target::Forbidden => Route::Forbidden,
        target => Route::Site(target),
    }
}

/// The query of a request target, with its `?`, kept when redirecting.
fn query(target: &str) -> &str {
    target.find('?').map_or("", |i| &target[i..])
}

/// The answer to a request for the site's `target` from the last good
/// build: an HTML page gets the reload script (and a notice of `error`),
/// or shows the errors instead if its source is broken; a folder without
/// its slash is redirected; anything else gets the 404 page.
fn site_response(
    target: &Target,
    query: &str,
    snapshot: &Snapshot,
    error: Option<&Failure>,
) -> Response {
    match snapshot.lookup(target) {
        Lookup::File { rel, body } => {
            let kind = content_type(&rel);
            if !kind.starts_with("text/html") {
                return Response::new(200, kind, Body::Shared(body));
            }
            match error {
                Some(failure) if failure.breaks(&rel) => Response::new(
                    500,
                    kind,
                    Body::Made(error_page(&failure.report).into_bytes()),
                ),
                _ => Response::new(200, kind, Body::Made(inject(&body, error))),
            }
        }
        Lookup::Redirect(location) => {
            Response::text(301, b"moved\n").header("Location", format!("{location}{query}"))
        }
        Lookup::NotFound(Some(page)) => Response::new(
            404,
            "text/html; charset=utf-8",
            Body::Made(inject(&page, error)),
        ),
        Lookup::NotFound(None) => Response::text(404, b"not found\n"),
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

/// A response, before it is written.
#[derive(Debug, PartialEq, Eq)]
struct Response {
    status: u16,
    kind: &'static str,
    body: Body,
    /// `Location` of a redirect, `Allow` of a refused method.
    header: Option<(&'static str, String)>,
}

/// What a response carries.
#[derive(Debug, PartialEq, Eq)]
enum Body {
    /// The preview's own text.
    Static(&'static [u8]),
    /// A file of the build, shared with the snapshot, never copied.
    Shared(Arc<[u8]>),
    /// A page made for this request.
    Made(Vec<u8>),
}

impl Body {
    fn bytes(&self) -> &[u8] {
        match self {
            Body::Static(bytes) => bytes,
            Body::Shared(bytes) => bytes,
            Body::Made(bytes) => bytes,
        }
    }
}

impl Response {
    fn new(status: u16, kind: &'static str, body: Body) -> Self {
        Response {
            status,
            kind,
            body,
            header: None,
        }
    }

    /// A short plain-text answer of the preview itself.
    fn text(status: u16, body: &'static [u8]) -> Self {
        Response::new(status, "text/plain; charset=utf-8", Body::Static(body))
    }

    fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.header = Some((name, value.into()));
        self
    }

    /// Writes the response; only its head for a HEAD request.
    fn write(&self, out: &mut impl Write, head: bool) -> std::io::Result<()> {
        let body = self.body.bytes();
        let mut response = format!(
            "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n",
            self.status,
            reason(self.status),
            self.kind,
            body.len()
        );
        if let Some((name, value)) = &self.header {
            response.push_str(&format!("{name}: {value}\r\n"));
        }
        response.push_str("\r\n");
        out.write_all(response.as_bytes())?;
        if !head {
            out.write_all(body)?;
        }
        out.flush()
    }
}

/// The reason phrase of the statuses the preview sends.
fn reason(status: u16) -> &'static str {
    match status {
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
    }
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

    fn request(method: &str, target: &str) -> Request {
        Request {
            method: method.into(),
            target: target.into(),
        }
    }

    #[test]
    fn the_request_line_gives_method_and_target() {
        assert_eq!(
            read(b"HEAD /posts/a/?x=1 HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n").as_deref(),
            Ok("HEAD /posts/a/?x=1")
        );
        // Line feeds alone, no version, no blank line at the end: still read.
        assert_eq!(read(b"GET /a/\nHost: x\n\n").as_deref(), Ok("GET /a/"));
        assert_eq!(
            read(b"GET /a/ HTTP/1.0\r\nHost: x").as_deref(),
            Ok("GET /a/")
        );
        assert_eq!(
            read(b"GET  \t /a/   HTTP/1.1\r\n\r\n").as_deref(),
            Ok("GET /a/")
        );
        // Bytes that are not UTF-8 are not a reason to refuse.
        assert_eq!(
            read(b"GET /\xFF HTTP/1.1\r\n\r\n").as_deref(),
            Ok("GET /\u{FFFD}")
        );
        assert_eq!(read(b"GET\r\n\r\n"), Err(400));
        assert_eq!(read(b" \r\n\r\n"), Err(400));
    }

    #[test]
    fn requests_are_routed() {
        let to = |method: &str, target: &str| route(&request(method, target));
        assert_eq!(to("POST", "/"), Route::NotAllowed);
        assert_eq!(to("get", "/"), Route::NotAllowed);
        assert_eq!(to("GET", "/__echt/events"), Route::Events);
        assert_eq!(to("GET", "/__echt/events?since=3"), Route::Events);
        assert_eq!(to("HEAD", "/__echt/reload.js"), Route::Script);
        assert_eq!(to("GET", "/__echt/reload.js#x"), Route::Script);
        assert_eq!(to("GET", "/../etc/passwd"), Route::Forbidden);
        assert_eq!(to("GET", "/a/%2e%2e/%2e%2e/etc/passwd"), Route::Forbidden);
        assert_eq!(to("GET", "relative"), Route::Forbidden);
        assert_eq!(
            to("GET", "/posts/a/?x=1"),
            Route::Site(Target::Path {
                rel: "posts/a".into(),
                dir: true
            })
        );
        // Other paths below /__echt/ are the site's business.
        assert_eq!(
            to("GET", "/__echt/other"),
            Route::Site(Target::Path {
                rel: "__echt/other".into(),
                dir: false
            })
        );
    }

    #[test]
    fn a_redirect_keeps_the_query() {
        assert_eq!(query("/posts/a?x=1"), "?x=1");
        assert_eq!(query("/posts/a?x=1#oben"), "?x=1#oben");
        assert_eq!(query("/posts/a#oben"), "");
        assert_eq!(query("/posts/a"), "");
    }

    fn snapshot(files: &[(&str, &str)]) -> Snapshot {
        use crate::output::Sink;
        let sink = crate::cmd::serve::store::MemorySink::default();
        for (rel, text) in files {
            sink.write(rel, text.as_bytes()).expect("memory");
        }
        sink.into_snapshot()
    }

    /// The status, content type, body and extra header of the answer.
    fn answer(
        target: &str,
        snapshot: &Snapshot,
        error: Option<&Failure>,
    ) -> (u16, &'static str, String, Option<(&'static str, String)>) {
        let response = site_response(&resolve(target), query(target), snapshot, error);
        (
            response.status,
            response.kind,
            String::from_utf8_lossy(response.body.bytes()).into_owned(),
            response.header,
        )
    }

    #[test]
    fn site_files_are_answered_from_the_snapshot() {
        let site = snapshot(&[
            ("index.html", "<body>Start</body>"),
            ("posts/a/index.html", "<body>A</body>"),
            ("style.css", "body{}"),
        ]);
        assert_eq!(
            answer("/", &site, None),
            (
                200,
                "text/html; charset=utf-8",
                "<body>Start<script src=\"/__echt/reload.js\" defer></script>\n</body>".into(),
                None
            )
        );
        assert_eq!(
            answer("/style.css", &site, None),
            (200, "text/css; charset=utf-8", "body{}".into(), None)
        );
        assert_eq!(
            answer("/posts/a?x=1", &site, None),
            (
                301,
                "text/plain; charset=utf-8",
                "moved\n".into(),
                Some(("Location", "/posts/a/?x=1".into()))
            )
        );
        assert_eq!(
            answer("/fehlt/", &site, None),
            (404, "text/plain; charset=utf-8", "not found\n".into(), None)
        );
        let with_404 = snapshot(&[("404.html", "<body>Weg</body>")]);
        assert_eq!(
            answer("/fehlt/", &with_404, None).2,
            "<body>Weg<script src=\"/__echt/reload.js\" defer></script>\n</body>"
        );
    }

    #[test]
    fn files_are_shared_with_the_snapshot_not_copied() {
        let site = snapshot(&[("bild.svg", "<svg/>")]);
        let Lookup::File { body, .. } = site.lookup(&resolve("/bild.svg")) else {
            panic!("the file is there");
        };
        let response = site_response(&resolve("/bild.svg"), "", &site, None);
        assert!(matches!(&response.body, Body::Shared(shared) if Arc::ptr_eq(shared, &body)));
    }

    #[test]
    fn a_broken_build_shows_its_errors() {
        let site = snapshot(&[
            ("posts/a/index.html", "<body>A</body>"),
            ("posts/b/index.html", "<body>B</body>"),
            ("style.css", "body{}"),
        ]);
        let failure = Failure {
            report: "error: <kaputt>".into(),
            pages: Some(["posts/a/index.html".to_string()].into_iter().collect()),
        };
        // The broken file's page shows the errors instead.
        let (status, kind, body, _) = answer("/posts/a/", &site, Some(&failure));
        assert_eq!((status, kind), (500, "text/html; charset=utf-8"));
        assert_eq!(body, error_page("error: <kaputt>"));
        assert!(body.contains("error: &lt;kaputt&gt;"), "{body}");
        // Other pages are the last good ones, with a notice.
        let (status, _, body, _) = answer("/posts/b/", &site, Some(&failure));
        assert_eq!(status, 200);
        assert!(
            body.starts_with("<body>B<script") && body.contains("echt-error"),
            "{body}"
        );
        // Other files are as they were.
        assert_eq!(answer("/style.css", &site, Some(&failure)).2, "body{}");
        // Errors outside content/ break every page.
        let everywhere = Failure {
            pages: None,
            ..failure
        };
        assert_eq!(answer("/posts/b/", &site, Some(&everywhere)).0, 500);
        assert_eq!(answer("/style.css", &site, Some(&everywhere)).0, 200);
    }

    fn written(response: &Response, head: bool) -> String {
        let mut out = Vec::new();
        response.write(&mut out, head).expect("memory");
        String::from_utf8(out).expect("UTF-8")
    }

    #[test]
    fn responses_are_written_whole_or_head_only() {
        let moved = Response::text(301, b"moved\n").header("Location", "/a/");
        assert_eq!(
            written(&moved, false),
            "HTTP/1.1 301 Moved Permanently\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 6\r\nCache-Control: no-store\r\nConnection: close\r\nLocation: /a/\r\n\r\nmoved\n"
        );
        // HEAD: the length of the body that GET would get, but no body.
        assert_eq!(
            written(&moved, true),
            "HTTP/1.1 301 Moved Permanently\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 6\r\nCache-Control: no-store\r\nConnection: close\r\nLocation: /a/\r\n\r\n"
        );
        let page = Response::new(
            200,
            "text/html; charset=utf-8",
            Body::Made(b"<p>x</p>".to_vec()),
        );
        assert_eq!(
            written(&page, false),
            "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: 8\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n<p>x</p>"
        );
    }

    #[test]
    fn unreadable_requests_are_refused_in_words() {
        let refused = |status| {
            let text = written(&refusal(status), false);
            let status_line = text.lines().next().unwrap_or_default().to_string();
            let body = text
                .split("\r\n\r\n")
                .nth(1)
                .unwrap_or_default()
                .to_string();
            (status_line, body)
        };
        assert_eq!(
            refused(400),
            ("HTTP/1.1 400 Bad Request".into(), "bad request\n".into())
        );
        assert_eq!(
            refused(414),
            (
                "HTTP/1.1 414 URI Too Long".into(),
                "request line too long\n".into()
            )
        );
        assert_eq!(
            refused(431),
            (
                "HTTP/1.1 431 Request Header Fields Too Large".into(),
                "request headers too large\n".into()
            )
        );
        for (status, phrase) in [
            (200, "OK"),
            (403, "Forbidden"),
            (404, "Not Found"),
            (405, "Method Not Allowed"),
            (500, "Internal Server Error"),
        ] {
            assert_eq!(reason(status), phrase);
        }
    }
}
