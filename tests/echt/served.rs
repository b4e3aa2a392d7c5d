//! A running `echt serve` for tests, and helpers to wait for what it does;
//! and the preview's own defence against oversized requests, over real HTTP
//! on loopback.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::TestSite;

/// A running `echt serve` on a free port, stopped when dropped.
pub struct Served {
    child: Child,
    /// `127.0.0.1:<port>`.
    pub address: String,
    /// Status lines after the first; kept open so the server can print.
    _stdout: BufReader<std::process::ChildStdout>,
}

impl Served {
    pub fn start(site: &TestSite) -> Served {
        let mut child = Command::new(env!("CARGO_BIN_EXE_echt"))
            .args(["serve", "--port", "0", "--root"])
            .arg(site.root())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start echt serve");
        let stdout = child.stdout.take().expect("stdout");
        let mut stdout = BufReader::new(stdout);
        let mut line = String::new();
        stdout.read_line(&mut line).expect("first line");
        let url = line.trim().rsplit(" at ").next().expect("url").to_string();
        let address = url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_string();
        Served {
            child,
            address,
            _stdout: stdout,
        }
    }

    /// The process id of the running preview.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The preview's root URL, `http://127.0.0.1:<port>/`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.address)
    }

    /// Sends a raw request and returns (status, head, body).
    pub fn request(&self, method: &str, target: &str) -> (u16, String, Vec<u8>) {
        let mut stream = TcpStream::connect(&self.address).expect("connect");
        write!(
            stream,
            "{method} {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.address
        )
        .unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        let (status, head, body) = split_response(&response);
        (status, head, body.to_vec())
    }

    pub fn get(&self, target: &str) -> (u16, String, String) {
        let (status, head, body) = self.request("GET", target);
        (status, head, String::from_utf8_lossy(&body).into_owned())
    }

    /// Opens the event stream and returns a reader positioned after the
    /// first (build) event.
    pub fn events(&self) -> BufReader<TcpStream> {
        self.events_from_build().0
    }

    /// [`Served::events`], and the id of the build being served.
    pub fn events_from_build(&self) -> (BufReader<TcpStream>, String) {
        let mut stream = TcpStream::connect(&self.address).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        write!(stream, "GET /__echt/events HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        while !line.starts_with("data:") {
            line.clear();
            let n = reader.read_line(&mut line).expect("event stream");
            assert!(n > 0, "the event stream closed");
        }
        let build = line.trim_start_matches("data:").trim().to_string();
        (reader, build)
    }
}

/// The status, head and body of a whole HTTP response.
pub fn split_response(response: &[u8]) -> (u16, String, &[u8]) {
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("head");
    let head = String::from_utf8_lossy(&response[..split]).into_owned();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status");
    (status, head, &response[split + 4..])
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads events until one named `name` arrives.
pub fn wait_for_event(reader: &mut BufReader<TcpStream>, name: &str) {
    let mut line = String::new();
    loop {
        line.clear();
        let n = reader
            .read_line(&mut line)
            .expect("an event before the timeout");
        assert!(n > 0, "the event stream closed");
        if line.trim() == format!("event: {name}") {
            return;
        }
    }
}

/// Polls until `check` holds (the server answers from another process).
#[track_caller]
pub fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let start = Instant::now();
    while !check() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The resident memory of process `pid`, in KiB (Linux: VmRSS).
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("/proc");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS")
}

/// Sends `head` and then `size` bytes of `filler` (no line break) in
/// pieces, as a slow client would, while reading the answer; returns the
/// status, how long the answer took, and how much was sent.
fn send_endless(served: &Served, head: &str, filler: u8, size: usize) -> (u16, Duration, usize) {
    let stream = TcpStream::connect(&served.address).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(15)))
        .unwrap();
    let mut writer = stream.try_clone().unwrap();
    let head = head.to_string();
    let sender = std::thread::spawn(move || {
        let piece = vec![filler; 64 * 1024];
        let mut sent = 0;
        if writer.write_all(head.as_bytes()).is_err() {
            return sent;
        }
        while sent < size {
            // The server refusing and closing ends the sending.
            if writer.write_all(&piece).is_err() {
                break;
            }
            sent += piece.len();
        }
        sent
    });
    let start = Instant::now();
    let mut reader = stream;
    let mut response = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                response.extend_from_slice(&buf[..n]);
                if response.windows(4).any(|w| w == b"\r\n\r\n") {
                    break;
                }
            }
            // A reset after the answer was read is fine.
            Err(_) => break,
        }
    }
    let took = start.elapsed();
    drop(reader);
    let sent = sender.join().unwrap();
    assert!(!response.is_empty(), "no answer after {took:?}");
    let (status, _, _) = split_response(&response);
    (status, took, sent)
}

#[test]
fn an_endless_header_line_is_refused_while_reading() {
    use crate::support::{post, TestSite};
    let site = TestSite::new().post("a.md", &post("A", "2024-01-01", "Text."));
    let served = Served::start(&site);
    assert_eq!(served.get("/").0, 200);
    let before = rss_kib(served.pid());

    // 20 MB of one header line, in 64 KiB pieces.
    let (status, took, sent) = send_endless(
        &served,
        "GET / HTTP/1.1\r\nHost: x\r\nX-Endless: ",
        b'a',
        20 << 20,
    );
    assert_eq!(status, 431);
    assert!(took < Duration::from_secs(2), "answered after {took:?}");
    assert!(sent < 20 << 20, "the preview read all {sent} bytes");
    // An endless request line.
    let (status, took, _) = send_endless(&served, "GET /", b'a', 20 << 20);
    assert_eq!(status, 414);
    assert!(took < Duration::from_secs(2), "answered after {took:?}");

    let after = rss_kib(served.pid());
    eprintln!("preview RSS: {before} KiB before, {after} KiB after 2 x 20 MB");
    assert!(
        after < before + 10 * 1024,
        "the preview grew from {before} KiB to {after} KiB"
    );
    // It goes on serving.
    let (status, _, body) = served.get("/posts/a/");
    assert_eq!(status, 200, "{body}");
}
