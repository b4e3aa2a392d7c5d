//! The preview server over real HTTP on loopback: pages, errors, safety,
//! and live reload after edits on disk.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{post, TestSite};

/// A running `echt serve` on a free port, stopped when dropped.
struct Served {
    child: Child,
    address: String,
    /// Status lines after the first; kept open so the server can print.
    _stdout: BufReader<std::process::ChildStdout>,
}

impl Served {
    fn start(site: &TestSite) -> Served {
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

    /// Sends a raw request and returns (status, head, body).
    fn request(&self, method: &str, target: &str) -> (u16, String, Vec<u8>) {
        let mut stream = TcpStream::connect(&self.address).expect("connect");
        write!(
            stream,
            "{method} {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.address
        )
        .unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
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
        (status, head, response[split + 4..].to_vec())
    }

    fn get(&self, target: &str) -> (u16, String, String) {
        let (status, head, body) = self.request("GET", target);
        (status, head, String::from_utf8_lossy(&body).into_owned())
    }

    /// Opens the event stream and returns a reader positioned after the
    /// first (build) event.
    fn events(&self) -> BufReader<TcpStream> {
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
        reader
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads events until one named `name` arrives.
fn wait_for_event(reader: &mut BufReader<TcpStream>, name: &str) {
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
fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let start = Instant::now();
    while !check() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn pages_types_redirects_and_not_found() {
    let site = TestSite::fixture("blog");
    let served = Served::start(&site);
    let (status, head, body) = served.get("/");
    assert_eq!(status, 200);
    assert!(
        head.contains("Content-Type: text/html; charset=utf-8"),
        "{head}"
    );
    assert!(
        body.contains("<script src=\"/__echt/reload.js\" defer></script>\n</body>"),
        "{body}"
    );
    let (status, head, _) = served.get("/posts/die-reise");
    assert_eq!(status, 301);
    assert!(head.contains("Location: /posts/die-reise/"), "{head}");
    for (path, kind) in [
        ("/style.css", "text/css; charset=utf-8"),
        ("/atom.xml", "application/xml; charset=utf-8"),
        ("/posts/die-reise/weg.svg", "image/svg+xml"),
        ("/humans.txt", "text/plain; charset=utf-8"),
        ("/__echt/reload.js", "text/javascript; charset=utf-8"),
    ] {
        let (status, head, body) = served.get(path);
        assert_eq!(status, 200, "{path}");
        assert!(
            head.contains(&format!("Content-Type: {kind}")),
            "{path}: {head}"
        );
        assert!(
            !body.contains("reload.js\" defer"),
            "no script outside HTML: {path}"
        );
    }
    let (status, _, body) = served.get("/gibt/es/nicht/");
    assert_eq!(status, 404);
    assert!(
        body.contains("Seite nicht gefunden"),
        "the site's 404 page: {body}"
    );
    let (status, head, body) = served.request("HEAD", "/");
    assert_eq!(status, 200);
    assert!(
        head.contains("Content-Length: ") && body.is_empty(),
        "{head}"
    );
    // Drafts and future posts are shown in the preview, marked.
    let (status, _, draft) = served.get("/posts/entwurf/");
    assert_eq!(status, 200);
    assert!(
        draft.contains("<p class=\"draft-badge\">Entwurf</p>"),
        "{draft}"
    );
    let future = served.get("/posts/zukunft/").2;
    assert!(
        future.contains("<p class=\"draft-badge\">Geplant"),
        "{future}"
    );
}

#[test]
fn requests_never_leave_the_site() {
    let site = TestSite::fixture("blog");
    std::fs::write(site.root().join("geheim.txt"), "GEHEIM").unwrap();
    let served = Served::start(&site);
    for target in [
        "/../geheim.txt",
        "/%2e%2e/geheim.txt",
        "/posts/..%2f..%2fgeheim.txt",
        "/..%5cgeheim.txt",
        "/echt.yaml",
        "/content/posts/entwurf.md",
        "/a%00b",
        "geheim.txt",
    ] {
        let (status, _, body) = served.get(target);
        assert!(status == 403 || status == 404, "{target}: {status}");
        assert!(
            !body.contains("GEHEIM") && !body.contains("base_url"),
            "{target}"
        );
    }
}

#[test]
fn an_edit_is_announced_after_the_new_page_is_ready() {
    let site = TestSite::fixture("blog");
    let served = Served::start(&site);
    let mut events = served.events();
    let path = site.root().join("content/posts/reise/index.md");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("Angekommen.", "Endlich angekommen.");
    std::fs::write(&path, text).unwrap();
    wait_for_event(&mut events, "reload");
    // By the time the event is sent, the new page is what is served.
    assert!(served
        .get("/posts/die-reise/")
        .2
        .contains("Endlich angekommen."));
}

#[test]
fn a_broken_save_shows_the_error_and_the_fix_brings_the_page_back() {
    let site = TestSite::fixture("blog");
    let served = Served::start(&site);
    let mut events = served.events();
    let path = site.root().join("content/posts/reise/index.md");
    let good = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        good.replace("date: 2024-02-29T18:00:00+01:00", "date: 2024-02-30"),
    )
    .unwrap();
    wait_for_event(&mut events, "reload");
    let (status, _, body) = served.get("/posts/die-reise/");
    assert_eq!(status, 200, "the last good page is still served");
    assert!(body.contains("role=\"alert\""), "{body}");
    assert!(body.contains("content/posts/reise/index.md:3:7"), "{body}");
    assert!(body.contains("date: 2024-02-30"), "the source line: {body}");
    std::fs::write(&path, good.replace("Angekommen.", "Wieder da.")).unwrap();
    wait_for_event(&mut events, "reload");
    let body = served.get("/posts/die-reise/").2;
    assert!(
        !body.contains("role=\"alert\"") && body.contains("Wieder da."),
        "{body}"
    );
}

#[test]
fn editor_save_patterns_lead_to_the_final_content() {
    let site = TestSite::fixture("blog");
    let served = Served::start(&site);
    let dir = site.root().join("content/posts");
    let target = dir.join("muster.md");
    // Write a temp file, then rename it over the target (vim, many IDEs).
    std::fs::write(dir.join(".muster.md.swp"), "swap").unwrap();
    std::fs::write(dir.join("4913"), "probe").unwrap();
    std::fs::write(
        dir.join("muster.md.tmp"),
        post("Muster", "2024-05-01", "Fassung eins."),
    )
    .unwrap();
    std::fs::rename(dir.join("muster.md.tmp"), &target).unwrap();
    eventually("a renamed temp file", || {
        served.get("/posts/muster/").2.contains("Fassung eins.")
    });
    // Delete, then create (some editors).
    std::fs::remove_file(&target).unwrap();
    std::fs::write(&target, post("Muster", "2024-05-01", "Fassung zwei.")).unwrap();
    eventually("delete and create", || {
        served.get("/posts/muster/").2.contains("Fassung zwei.")
    });
    // Backup files and swap files are never published.
    std::fs::write(dir.join("muster.md~"), post("Alt", "2024-05-01", "alt")).unwrap();
    std::fs::write(
        dir.join("muster.md"),
        post("Muster", "2024-05-01", "Fassung drei."),
    )
    .unwrap();
    eventually("a write in place", || {
        served.get("/posts/muster/").2.contains("Fassung drei.")
    });
    for leftover in ["/posts/muster.md~", "/posts/4913", "/posts/.muster.md.swp"] {
        assert_eq!(served.get(leftover).0, 404, "{leftover}");
    }
}

#[test]
fn after_edits_the_preview_equals_a_clean_build() {
    let site = TestSite::fixture("blog");
    let served = Served::start(&site);
    let mut events = served.events();
    std::fs::remove_file(
        site.root()
            .join("content/posts/2014-03-11-hans-und-peter.md"),
    )
    .unwrap();
    wait_for_event(&mut events, "reload");
    let groesse = site.root().join("content/posts/2023/groesse-zeigen.md");
    let text = std::fs::read_to_string(&groesse)
        .unwrap()
        .replace("[Hans und Peter](../2014-03-11-hans-und-peter.md)", "Hans")
        .replace("tags: [Vertrauen, Öffentlichkeit]", "tags: [Mut]");
    std::fs::write(&groesse, text).unwrap();
    wait_for_event(&mut events, "reload");
    std::fs::write(
        site.root().join("content/posts/neu.md"),
        post("Neu", "2024-06-01", "Neu hier."),
    )
    .unwrap();
    wait_for_event(&mut events, "reload");

    let out = tempfile::tempdir().unwrap();
    let url = format!("http://{}/", served.address);
    let built = site
        .build_with(&[
            "--drafts",
            "--future",
            "--base-url",
            &url,
            "--output",
            &out.path().join("p").to_string_lossy(),
        ])
        .ok();
    let script = "<script src=\"/__echt/reload.js\" defer></script>\n";
    for file in built.files().iter().filter(|f| !f.starts_with('.')) {
        let (status, _, body) = served.request("GET", &format!("/{file}"));
        assert_eq!(status, 200, "{file}");
        // The preview adds its script, and marks drafts and scheduled posts.
        let served_body: String = String::from_utf8_lossy(&body)
            .replace(script, "")
            .split_inclusive('\n')
            .filter(|line| !line.contains("class=\"draft-badge\""))
            .collect();
        let built_body =
            String::from_utf8_lossy(&std::fs::read(built.public.join(file)).unwrap()).into_owned();
        assert_eq!(served_body, built_body, "{file} differs from a clean build");
    }
    assert_eq!(served.get("/tags/mut/").0, 200);
    // Removed posts and emptied tags are gone, not stale.
    assert_eq!(served.get("/tags/vertrauen/").0, 404);
    assert_eq!(served.get("/posts/hans-und-peter/").0, 404);
}
