//! Headless Chromium, driven over the DevTools protocol, for the tests
//! that need a real browser (`browser.rs`, `differential.rs`).
//!
//! Chromium is the one from `$CHROMIUM`, or `chromium` on the PATH. It
//! speaks the protocol over `--remote-debugging-pipe`: JSON messages ended
//! by a NUL byte, read from its fd 3 and written to its fd 4, which a shell
//! wires to the pipes of its stdin and stdout. Should a test die before
//! the Drop guard runs, Chromium quits anyway once that pipe closes.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tempfile::TempDir;

/// How long the browser may take for anything (a cold start included).
pub(crate) const PATIENCE: Duration = Duration::from_secs(20);

/// A headless Chromium with its own profile, killed when dropped.
pub(crate) struct Chromium {
    child: Child,
    input: ChildStdin,
    messages: Receiver<Value>,
    /// Every event so far, in order.
    pub(crate) events: Vec<Value>,
    next_id: u64,
    _profile: TempDir,
}

/// A page (tab), by its DevTools session.
pub(crate) struct Page {
    pub(crate) session: String,
}

impl Chromium {
    pub(crate) fn start() -> Chromium {
        Chromium::start_with(&[])
    }

    /// A browser started with the usual flags and `extra` ones.
    pub(crate) fn start_with(extra: &[String]) -> Chromium {
        let profile = tempfile::tempdir().unwrap();
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(r#"exec "$0" "$@" 3<&0 4>&1 </dev/null >/dev/null"#)
            .arg(chromium_path())
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
                "--disable-extensions",
                "--window-size=800,400",
                "--remote-debugging-pipe",
            ])
            .args(extra)
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            // Its own process group, so that Drop ends every process it starts.
            .process_group(0)
            .spawn()
            .expect("start chromium");
        let input = child.stdin.take().unwrap();
        let mut output = BufReader::new(child.stdout.take().unwrap());
        let (sender, messages) = mpsc::channel();
        std::thread::spawn(move || {
            let mut message = Vec::new();
            while output.read_until(0, &mut message).unwrap_or(0) > 0 {
                if message.last() == Some(&0) {
                    message.pop();
                }
                let Ok(value) = serde_json::from_slice(&message) else {
                    break;
                };
                if sender.send(value).is_err() {
                    break;
                }
                message.clear();
            }
        });
        Chromium {
            child,
            input,
            messages,
            events: Vec::new(),
            next_id: 1,
            _profile: profile,
        }
    }

    /// Opens `url` in a new tab that reports its network requests.
    pub(crate) fn open(&mut self, url: &str) -> Page {
        let page = self.tab();
        self.navigate(&page, url);
        page
    }

    /// A new blank tab that reports its network requests.
    pub(crate) fn tab(&mut self) -> Page {
        let target = self.call(None, "Target.createTarget", json!({"url": "about:blank"}));
        let attached = self.call(
            None,
            "Target.attachToTarget",
            json!({"targetId": target["targetId"], "flatten": true}),
        );
        let page = Page {
            session: attached["sessionId"].as_str().unwrap().to_string(),
        };
        self.call(Some(&page), "Network.enable", json!({}));
        page
    }

    /// Sends the tab to `url` and returns where its events begin in
    /// [`Chromium::events`].
    #[track_caller]
    pub(crate) fn navigate(&mut self, page: &Page, url: &str) -> usize {
        let since = self.events.len();
        let result = self.call(Some(page), "Page.navigate", json!({"url": url}));
        assert!(result.get("errorText").is_none(), "{url}: {result}");
        since
    }

    /// The value of a JavaScript expression in the page.
    pub(crate) fn evaluate(&mut self, page: &Page, expression: &str) -> Value {
        let result = self.call(
            Some(page),
            "Runtime.evaluate",
            json!({"expression": expression, "returnByValue": true}),
        );
        assert!(
            result.get("exceptionDetails").is_none(),
            "{expression}: {result}"
        );
        result["result"]["value"].clone()
    }

    /// Polls until `expression` is true in the page; a page in the middle
    /// of loading may fail to evaluate, which counts as not yet.
    #[track_caller]
    pub(crate) fn wait_until(&mut self, page: &Page, what: &str, expression: &str) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let last = self.try_call(
                Some(page),
                "Runtime.evaluate",
                json!({"expression": expression, "returnByValue": true}),
            );
            if last.as_ref().is_ok_and(|r| r["result"]["value"] == true) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}: `{expression}` was {last:?}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits for an event that `matches`, or finds it among earlier ones.
    pub(crate) fn wait_for_event(&mut self, what: &str, matches: impl Fn(&Value) -> bool) {
        self.wait_for(what, 0, |events| events.iter().any(&matches));
    }

    /// Waits until the events from index `since` on satisfy `done`.
    #[track_caller]
    pub(crate) fn wait_for(&mut self, what: &str, since: usize, done: impl Fn(&[Value]) -> bool) {
        let deadline = Instant::now() + PATIENCE;
        while !done(&self.events[since..]) {
            let message = self.next_message(deadline, what);
            assert!(message.get("id").is_none(), "an answer nobody asked for");
            self.events.push(message);
        }
    }

    /// The URL of every request that any page of this browser made.
    pub(crate) fn requests(&self) -> Vec<String> {
        self.events
            .iter()
            .filter(|e| e["method"] == "Network.requestWillBeSent")
            .filter_map(|e| e["params"]["request"]["url"].as_str())
            .map(str::to_string)
            .collect()
    }

    /// Asserts that the browser made requests, and only to `origin` (the
    /// site under test: `http://127.0.0.1:1234/`); `data:` URLs load
    /// nothing from anywhere.
    #[track_caller]
    pub(crate) fn assert_only_requests_to(&self, origin: &str) {
        let requests = self.requests();
        assert!(!requests.is_empty(), "no request at all");
        let elsewhere: Vec<&String> = requests
            .iter()
            .filter(|r| !r.starts_with(origin) && !r.starts_with("data:"))
            .collect();
        assert!(
            elsewhere.is_empty(),
            "requests beyond {origin}: {elsewhere:#?}"
        );
    }

    /// Calls a DevTools method and returns its result.
    #[track_caller]
    pub(crate) fn call(&mut self, page: Option<&Page>, method: &str, params: Value) -> Value {
        self.try_call(page, method, params)
            .unwrap_or_else(|error| panic!("{method}: {error}"))
    }

    pub(crate) fn try_call(
        &mut self,
        page: Option<&Page>,
        method: &str,
        params: Value,
    ) -> Result<Value, Value> {
        let id = self.next_id;
        self.next_id += 1;
        let mut message = json!({"id": id, "method": method, "params": params});
        if let Some(page) = page {
            message["sessionId"] = json!(page.session);
        }
        let mut bytes = serde_json::to_vec(&message).unwrap();
        bytes.push(0);
        self.input.write_all(&bytes).expect("chromium is running");
        let deadline = Instant::now() + PATIENCE;
        loop {
            let message = self.next_message(deadline, method);
            if message["id"] == id {
                return match message.get("error") {
                    Some(error) => Err(error.clone()),
                    None => Ok(message["result"].clone()),
                };
            }
            self.events.push(message);
        }
    }

    /// Collects events until `deadline`, or until `done` holds for the
    /// events from index `since` on; whether it held.
    pub(crate) fn collect_until(
        &mut self,
        deadline: Instant,
        since: usize,
        done: impl Fn(&[Value]) -> bool,
    ) -> bool {
        loop {
            if done(&self.events[since..]) {
                return true;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(message) => self.events.push(message),
                Err(RecvTimeoutError::Timeout) => return false,
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("chromium quit: {:?}", self.child.try_wait())
                }
            }
        }
    }

    #[track_caller]
    pub(crate) fn next_message(&mut self, deadline: Instant, what: &str) -> Value {
        let left = deadline.saturating_duration_since(Instant::now());
        match self.messages.recv_timeout(left) {
            Ok(message) => message,
            Err(RecvTimeoutError::Timeout) => panic!("chromium: timed out waiting for {what}"),
            Err(RecvTimeoutError::Disconnected) => {
                panic!(
                    "chromium quit while waiting for {what}: {:?}",
                    self.child.try_wait()
                )
            }
        }
    }
}

impl Drop for Chromium {
    fn drop(&mut self) {
        // The browser starts helpers (zygote, renderer, …) in its group,
        // whose id stays taken until the browser itself is waited for.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.child.id())])
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `$CHROMIUM`, or `chromium` on the PATH.
pub(crate) fn chromium_path() -> PathBuf {
    if let Some(path) = std::env::var_os("CHROMIUM").filter(|p| !p.is_empty()) {
        return PathBuf::from(path);
    }
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|dir| dir.join("chromium"))
        .find(|path| path.is_file())
        .unwrap_or_else(|| {
            panic!("needs chromium: install it (apt-get install chromium) or set CHROMIUM")
        })
}
