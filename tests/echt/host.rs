//! A built site served over loopback as a plain static host serves it,
//! and Lighthouse run against it: for the tests that look at pages the
//! way readers' browsers and auditing tools get them (`pictures.rs`,
//! `accessible.rs`).

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// Lighthouse's JSON report for `url`, as its phone (`preset` `mobile`) or
/// its desktop (`desktop`), limited by `only` (e.g.
/// `--only-categories=accessibility`).
pub(crate) fn lighthouse(url: &str, preset: &str, only: &str) -> Value {
    let mut command = Command::new(lighthouse_path());
    command
        .arg(url)
        .env("CHROME_PATH", crate::chromium::chromium_path())
        .args([
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
            only,
            "--output=json",
            "--output-path=stdout",
            "--quiet",
        ]);
    if preset == "desktop" {
        command.arg("--preset=desktop");
    }
    let output = command.output().expect("run lighthouse");
    assert!(
        output.status.success(),
        "lighthouse {url}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).expect("lighthouse's JSON");
    assert!(
        report["runtimeError"].is_null(),
        "lighthouse {url}: {}",
        report["runtimeError"]
    );
    assert_eq!(report["finalDisplayedUrl"], url, "no redirect");
    report
}

/// Every HTML page of a built site: its path below the root (`posts/a/`)
/// and its file, sorted; except redirect pages: the browser leaves them at once, and a reader
/// sees the page they send to, which is checked itself.
pub(crate) fn html_pages(public: &Path) -> Vec<(String, PathBuf)> {
    let mut pages: Vec<(String, PathBuf)> = walkdir::WalkDir::new(public)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .filter(|e| {
            let html = std::fs::read_to_string(e.path()).unwrap_or_default();
            !html.contains("http-equiv=\"refresh\"")
        })
        .map(|e| {
            let path = e.path().strip_prefix(public).unwrap();
            let path = path.to_string_lossy().replace('\\', "/");
            let page = path.strip_suffix("index.html").unwrap_or(&path).to_string();
            (page, e.path().to_path_buf())
        })
        .collect();
    pages.sort();
    pages
}

/// `$LIGHTHOUSE`, or `lighthouse` on the PATH.
fn lighthouse_path() -> PathBuf {
    if let Some(path) = std::env::var_os("LIGHTHOUSE").filter(|p| !p.is_empty()) {
        return PathBuf::from(path);
    }
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|dir| dir.join("lighthouse"))
        .find(|path| path.is_file())
        .unwrap_or_else(|| {
            panic!("needs lighthouse: install it (npm install lighthouse) or set LIGHTHOUSE")
        })
}

/// The files of a built site over HTTP on loopback, as a plain static
/// host serves them: `index.html` for a folder, the site's 404 page for
/// anything missing; every file uncached.
pub(crate) struct Host {
    address: String,
}

impl Host {
    pub(crate) fn start(public: PathBuf) -> Host {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap().to_string();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let public = public.clone();
                std::thread::spawn(move || answer(stream, &public));
            }
        });
        Host { address }
    }

    pub(crate) fn url(&self) -> String {
        format!("http://{}/", self.address)
    }
}

/// Answers the requests of one connection until the client closes it.
fn answer(stream: TcpStream, public: &Path) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut writer = stream;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).unwrap_or(0) <= 2 {
                break;
            }
        }
        let mut words = line.split_whitespace();
        let method = words.next().unwrap_or_default();
        let target = words.next().unwrap_or("/");
        let path = target.split(['?', '#']).next().unwrap_or_default();
        let (status, file) = match resolve(public, path) {
            Some(file) => ("200 OK", file),
            None => ("404 Not Found", public.join("404.html")),
        };
        let body = std::fs::read(&file).unwrap_or_default();
        let head = format!(
            "HTTP/1.1 {status}\r\nContent-Type: {}\r\nContent-Length: {}\r\n\
             Cache-Control: no-store\r\n\r\n",
            content_type(&file),
            body.len()
        );
        let sent = writer.write_all(head.as_bytes()).and_then(|()| {
            if method == "HEAD" {
                Ok(())
            } else {
                writer.write_all(&body)
            }
        });
        if sent.is_err() {
            return;
        }
    }
}

/// The file a request path names below `public`, if there is one.
fn resolve(public: &Path, path: &str) -> Option<PathBuf> {
    let relative = path.strip_prefix('/')?;
    if relative
        .split('/')
        .any(|part| part == ".." || part.contains('%'))
    {
        return None;
    }
    let file = public.join(relative);
    let file = if file.is_dir() {
        file.join("index.html")
    } else {
        file
    };
    file.is_file().then_some(file)
}

fn content_type(file: &Path) -> &'static str {
    match file
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
    {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css",
        "svg" => "image/svg+xml",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "gif" => "image/gif",
        "xml" => "application/xml",
        "json" => "application/json",
        "js" => "text/javascript",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}
