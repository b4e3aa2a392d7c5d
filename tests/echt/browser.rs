//! The preview in a real browser: headless Chromium, driven over the
//! DevTools protocol, shows an edit made on disk without anyone touching
//! the page, keeps the reader's place, and fetches nothing from elsewhere.
//! Every page of the sample blog, as the preview serves it, asks nothing
//! of any other host, sends no referrer, sets no cookie, and breaks no
//! rule of its Content-Security-Policy, the live-reload script included.
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
use url::Url;

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

#[test]
#[ignore = "needs chromium"]
fn every_page_of_the_sample_site_contacts_nobody_else() {
    let site = TestSite::sample();
    // The pages the preview serves are the pages a build writes.
    let output = tempfile::tempdir().unwrap();
    let public = output.path().join("public");
    let built = site
        .build_with(&["--output", &public.to_string_lossy()])
        .ok();
    let mut pages: Vec<(String, String)> = built
        .files()
        .into_iter()
        .filter(|file| file.ends_with(".html"))
        .map(|file| {
            let path = format!("/{}", file.trim_end_matches("index.html"));
            (path, built.page(&file))
        })
        .collect();
    assert!(pages.len() >= 30, "the whole sample site: {pages:?}");
    // An address that has no page gets the site's 404 page.
    pages.push(("/gibt-es-nicht/".into(), built.page("404.html")));

    let served = Served::start(&site);
    let origin = served.url();
    let mut browser = Chromium::start();
    let tab = browser.tab();
    for domain in ["Page", "Runtime", "Log", "Audits"] {
        browser.call(Some(&tab), &format!("{domain}.enable"), json!({}));
    }
    for (path, html) in &pages {
        let url = format!("{origin}{}", &path[1..]);
        // A moved page sends the reader on with a meta refresh.
        let lands = match refresh_target(html) {
            Some(target) => Url::parse(&url).unwrap().join(target).unwrap().to_string(),
            None => url.clone(),
        };
        let since = browser.navigate(&tab, &url);
        browser.wait_for(&format!("{path} and its event stream"), since, |events| {
            events.iter().any(|e| e["method"] == "Page.loadEventFired")
                && event_stream_said_hello(events, &origin, &lands)
        });
        // Lazy images would wait for the reader to scroll: load them now.
        browser.wait_until(
            &tab,
            &format!("{lands} with every image"),
            &format!(
                "location.href === {} && document.readyState === 'complete' &&
                 (document.querySelectorAll('img, iframe').forEach(e => e.loading = 'eager'),
                  [...document.images].every(i => i.complete))",
                json!(lands)
            ),
        );
        assert_eq!(browser.evaluate(&tab, "document.cookie"), "", "{path}");
    }
    let visited = browser.events.len();

    let requests = browser.requests();
    assert!(requests.len() > pages.len(), "{requests:#?}");
    let elsewhere: Vec<&String> = requests
        .iter()
        .filter(|url| !url.starts_with("data:") && host_and_port(url) != served.address)
        .collect();
    assert!(
        elsewhere.is_empty(),
        "requests beyond the preview: {elsewhere:#?}"
    );
    // What a page loads goes without a Referer (the page's own navigations
    // come from the test, not from a page).
    let referring: Vec<&Value> = browser
        .events
        .iter()
        .filter(|e| e["method"] == "Network.requestWillBeSent" && e["params"]["type"] != "Document")
        .filter(|e| {
            e["params"]["request"]["referrerPolicy"] != "no-referrer"
                || !e["params"]["request"]["headers"]["Referer"]
                    .as_str()
                    .unwrap_or_default()
                    .is_empty()
        })
        .collect();
    assert!(
        referring.is_empty(),
        "requests with a referrer: {referring:#?}"
    );
    let cookies = browser.call(None, "Storage.getCookies", json!({}));
    assert_eq!(cookies["cookies"], json!([]), "cookies");
    let blocked = policy_violations(&browser.events[..visited]);
    assert!(
        blocked.is_empty(),
        "blocked by the pages' policy: {blocked:#?}"
    );
    let thrown: Vec<&Value> = browser.events[..visited]
        .iter()
        .filter(|e| e["method"] == "Runtime.exceptionThrown")
        .collect();
    assert!(thrown.is_empty(), "errors in scripts: {thrown:#?}");

    // A control: a script the policy forbids is noticed by the checks above.
    browser.evaluate(
        &tab,
        "document.body.append(Object.assign(document.createElement('script'), \
         {textContent: 'window.forbidden = true'})); 0",
    );
    browser.wait_for("the control's violation", visited, |events| {
        !policy_violations(events).is_empty()
    });
    assert_eq!(browser.evaluate(&tab, "window.forbidden ?? false"), false);
}

/// Where a page's `<meta http-equiv="refresh">` sends the reader, if it has one.
fn refresh_target(html: &str) -> Option<&str> {
    let meta = &html[html.find("http-equiv=\"refresh\"")?..];
    let content = &meta[..meta.find('>')?];
    let url = &content[content.find("url=")? + "url=".len()..];
    Some(&url[..url.find('"')?])
}

/// Whether the live-reload script of the document at `url` opened its
/// event stream and got the first (build) event.
fn event_stream_said_hello(events: &[Value], origin: &str, url: &str) -> bool {
    let stream = format!("{origin}__echt/events");
    let opened: Vec<&Value> = events
        .iter()
        .filter(|e| {
            e["method"] == "Network.requestWillBeSent"
                && e["params"]["request"]["url"] == stream.as_str()
                && e["params"]["documentURL"] == url
        })
        .map(|e| &e["params"]["requestId"])
        .collect();
    events.iter().any(|e| {
        e["method"] == "Network.eventSourceMessageReceived"
            && e["params"]["eventName"] == "build"
            && opened.contains(&&e["params"]["requestId"])
    })
}

/// `host:port` of a URL (the scheme's port if it names none).
fn host_and_port(url: &str) -> String {
    let Ok(url) = Url::parse(url) else {
        return format!("(not a URL: {url})");
    };
    format!(
        "{}:{}",
        url.host_str().unwrap_or_default(),
        url.port_or_known_default().unwrap_or_default()
    )
}

/// What the Content-Security-Policy (or another security rule) blocked,
/// as Chromium reports it: in the console, and as an issue.
fn policy_violations(events: &[Value]) -> Vec<&Value> {
    events
        .iter()
        .filter(|e| {
            let entry = &e["params"]["entry"];
            let text = entry["text"].as_str().unwrap_or_default();
            (e["method"] == "Log.entryAdded"
                && (entry["source"] == "security" || text.contains("Content Security Policy")))
                || (e["method"] == "Audits.issueAdded"
                    && e["params"]["issue"]["code"] == "ContentSecurityPolicyIssue")
        })
        .collect()
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
        let page = self.tab();
        self.navigate(&page, url);
        page
    }

    /// A new blank tab that reports its network requests.
    fn tab(&mut self) -> Page {
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
    fn navigate(&mut self, page: &Page, url: &str) -> usize {
        let since = self.events.len();
        let result = self.call(Some(page), "Page.navigate", json!({"url": url}));
        assert!(result.get("errorText").is_none(), "{url}: {result}");
        since
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
        self.wait_for(what, 0, |events| events.iter().any(&matches));
    }

    /// Waits until the events from index `since` on satisfy `done`.
    #[track_caller]
    fn wait_for(&mut self, what: &str, since: usize, done: impl Fn(&[Value]) -> bool) {
        let deadline = Instant::now() + PATIENCE;
        while !done(&self.events[since..]) {
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
