//! The preview in a real browser: headless Chromium, driven over the
//! DevTools protocol, shows an edit made on disk without anyone touching
//! the page, keeps the reader's place, and fetches nothing from elsewhere.
//!
//! Chromium is the one from `$CHROMIUM`, or `chromium` on the PATH. It
//! speaks the protocol over `--remote-debugging-pipe`: JSON messages ended
//! by a NUL byte, read from its fd 3 and written to its fd 4, which a shell
//! wires to the pipes of its stdin and stdout. Should this test die before
//! its Drop guard runs, Chromium quits anyway once that pipe closes.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tempfile::TempDir;

use crate::served::Served;
use crate::support::TestSite;

/// How long the browser may take for anything (a cold start included).
const PATIENCE: Duration = Duration::from_secs(20);

#[test]
#[ignore = "needs chromium"]
fn a_saved_edit_reloads_the_open_page_in_place() {
    let site = TestSite::fixture("blog");
    let served = Served::start(&site);
    let origin = served.url();
    let mut browser = Chromium::start();
    let page = browser.open(&format!("{origin}posts/die-reise/"));

    browser.wait_until(
        &page,
        "the post",
        "document.readyState === 'complete' && document.body.innerText.includes('Angekommen.')",
    );
    // The page listens for rebuilds once its event stream has said hello.
    browser.wait_for_event("the page's event stream", |event| {
        event["method"] == "Network.eventSourceMessageReceived"
            && event["params"]["eventName"] == "build"
    });
    // The reader scrolls down. Chromium restores the place after a reload
    // by itself; "manual" turns that off, so that echt's script has to.
    let place = browser.evaluate(
        &page,
        "history.scrollRestoration = 'manual';
         scrollTo({top: document.documentElement.scrollHeight, behavior: 'instant'});
         scrollY",
    );
    let place = place.as_f64().unwrap();
    assert!(
        place > 0.0,
        "the post must be longer than the window: scrolled to {place}"
    );

    let sentence = "Frisch gespeichert, und niemand hat geklickt.";
    let path = site.root().join("content/posts/reise/index.md");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("Angekommen."));
    std::fs::write(&path, text.replace("Angekommen.", sentence)).unwrap();

    browser.wait_until(
        &page,
        "the edit in the open page",
        &format!(
            "document.readyState === 'complete' && document.body.innerText.includes({})",
            json!(sentence)
        ),
    );
    // The reader is back at their place (or as near as the new page
    // allows, with some leeway for late layout), not at the top. The theme
    // scrolls smoothly, so it may take a moment.
    browser.wait_until(
        &page,
        "the reader's place after the reload",
        &format!(
            "Math.abs(scrollY - Math.min({place}, \
             document.documentElement.scrollHeight - innerHeight)) <= 20"
        ),
    );

    let requests = browser.requests();
    let pages = requests
        .iter()
        .filter(|url| url.ends_with("/posts/die-reise/"))
        .count();
    assert!(pages >= 2, "loaded, then reloaded: {requests:#?}");
    let elsewhere: Vec<&String> = requests
        .iter()
        .filter(|url| !url.starts_with(&origin) && !url.starts_with("data:"))
        .collect();
    assert!(
        elsewhere.is_empty(),
        "requests beyond the preview: {elsewhere:#?}"
    );
}

/// A headless Chromium with its own profile, killed when dropped.
struct Chromium {
    child: Child,
    input: ChildStdin,
    messages: Receiver<Value>,
    /// Every event so far, in order.
    events: Vec<Value>,
    next_id: u64,
    _profile: TempDir,
}

/// A page (tab), by its DevTools session.
struct Page {
    session: String,
}

impl Chromium {
    fn start() -> Chromium {
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
    fn open(&mut self, url: &str) -> Page {
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
        self.call(Some(&page), "Page.navigate", json!({"url": url}));
        page
    }

    /// The value of a JavaScript expression in the page.
    fn evaluate(&mut self, page: &Page, expression: &str) -> Value {
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
    fn wait_until(&mut self, page: &Page, what: &str, expression: &str) {
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
    fn wait_for_event(&mut self, what: &str, matches: impl Fn(&Value) -> bool) {
        let deadline = Instant::now() + PATIENCE;
        while !self.events.iter().any(&matches) {
            let message = self.next_message(deadline, what);
            assert!(message.get("id").is_none(), "an answer nobody asked for");
            self.events.push(message);
        }
    }

    /// The URL of every request that any page of this browser made.
    fn requests(&self) -> Vec<String> {
        self.events
            .iter()
            .filter(|e| e["method"] == "Network.requestWillBeSent")
            .filter_map(|e| e["params"]["request"]["url"].as_str())
            .map(str::to_string)
            .collect()
    }

    /// Calls a DevTools method and returns its result.
    #[track_caller]
    fn call(&mut self, page: Option<&Page>, method: &str, params: Value) -> Value {
        self.try_call(page, method, params)
            .unwrap_or_else(|error| panic!("{method}: {error}"))
    }

    fn try_call(
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

    #[track_caller]
    fn next_message(&mut self, deadline: Instant, what: &str) -> Value {
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
fn chromium_path() -> PathBuf {
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
