//! Chromium as the oracle of the audit. Every case of the hostile
//! catalogue (`hostile.rs`) is built in-process, so that its output exists
//! even when the audit refuses it; every page it would publish (with
//! echt's Content-Security-Policy `<meta>` taken out, since the audit must
//! hold without it), every document it copies, every stylesheet (on a page
//! of its own) and the HTML of every feed entry (as a page of its own:
//! feed readers have no policy) is opened in headless Chromium, which
//! reaches every other host (all below `.example`) at a logging server.
//! Whenever the browser asked another host for anything, the audit must
//! have failed the build. The other way round is fine: the audit may
//! refuse what this browser would not fetch (a click, a form, another
//! browser), and the table lists those cases too.
//!
//! Requests are seen twice: in the DevTools `Network.requestWillBeSent`
//! events of the tab, and as connections at the logging server (which also
//! sees what DevTools does not report, such as a preconnect or a request
//! from another process). A few browsers work side by side, each with a
//! logging server of its own and opening its pages one after the other,
//! so each request belongs to the page that was open. Pages the site
//! without a case has too, unchanged, are not opened, nor a page whose
//! changes another opened page of the case shows as well. The known
//! failures of the catalogue (`hostile::FAILING`) are shown too, marked as
//! known, and do not fail the test. The table is printed and written to
//! `target/tmp/differential.txt`.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use echt::audit::files::{nature_by_name, sniff, Nature};
use echt::cmd::build::{load, verdict, BuildOptions};
use echt::output::Sink;
use echt::render::{Prepared, RenderOptions};
use echt::Diagnostic;
use serde_json::{json, Value};

use crate::chromium::{Chromium, Page};
use crate::hostile::{self, Case};

/// The sites' own host (their `base_url`); every other host of the cases
/// is below `.example`.
const OWN_HOST: &str = "example.org";

/// How long one visit may take at most: loading, then waiting until the
/// page has asked for nothing new for [`QUIET`].
const VISIT: Duration = Duration::from_secs(4);
const QUIET: Duration = Duration::from_millis(150);

#[test]
#[ignore = "needs chromium"]
fn chromium_contacts_another_host_only_where_the_audit_refused_the_site() {
    let started = Instant::now();
    let cases: Vec<(&Case, bool)> = hostile::CASES
        .iter()
        .map(|c| (c, false))
        .chain(hostile::FAILING.iter().map(|c| (c, true)))
        .collect();
    let built: Vec<Built> = in_parallel(&cases, |(case, _)| build(case));
    // The site without a case, and with a harmless `content/posts/a.md`.
    let baseline = build(&Case {
        name: "baseline",
        files: &[],
        expect: hostile::Expect::Builds,
        wrong: "",
    });
    let harmless = build(&Case {
        name: "harmless",
        files: &[(
            "content/posts/a.md",
            hostile::Body::Text("---\ntitle: \"A\"\ndate: 2024-01-01\n---\nText.\n"),
        )],
        expect: hostile::Expect::Builds,
        wrong: "",
    });
    let building = started.elapsed();

    // What each case publishes, as the site server hands it out, and the
    // pages to open. A page exactly like one already seen (the same path
    // and bytes, in the site without any case or in an earlier case) is
    // not opened again, nor one whose every line that the harmless site
    // does not have is on another page of the case that is opened (the
    // front page shows the start of the post).
    let usual = feed_entries(&baseline);
    let before: HashMap<String, Vec<u8>> = visits(&harmless, &usual).into_iter().collect();
    let mut seen: HashSet<(String, Vec<u8>)> = visits(&baseline, &usual).into_iter().collect();
    seen.extend(before.clone());
    let mut served: HashMap<String, BTreeMap<String, Vec<u8>>> = HashMap::new();
    let mut plan: Vec<(usize, String)> = Vec::new();
    for (i, out) in built.iter().enumerate() {
        let mut files = out.files.clone();
        let documents = visits(out, &usual);
        files.extend(documents.iter().cloned());
        let fresh: Vec<(String, Vec<u8>)> = documents
            .into_iter()
            .filter(|page| !seen.contains(page))
            .collect();
        let new: Vec<Vec<String>> = fresh
            .iter()
            .map(|(path, bytes)| new_lines(before.get(path), bytes))
            .collect();
        for (k, (path, _)) in fresh.iter().enumerate() {
            // Shown by a page with more that is new on it.
            let elsewhere = before.contains_key(path)
                && !new[k].is_empty()
                && fresh.iter().enumerate().any(|(m, (_, other))| {
                    let other = String::from_utf8_lossy(other);
                    new[m].len() > new[k].len()
                        && new[k].iter().all(|line| other.contains(line.as_str()))
                });
            if !elsewhere {
                plan.push((i, path.clone()));
            }
        }
        seen.extend(fresh);
        // Headers of the site's own reach every page, alike or not.
        if !out.headers.is_empty() && !plan.iter().any(|(c, _)| *c == i) {
            plan.push((i, "index.html".to_string()));
        }
        files.insert(HEADERS.to_string(), out.headers.clone());
        served.insert(out.name.to_string(), files);
    }
    // A few browsers side by side, each with its own logging server, so
    // that a connection there belongs to the page its browser had open.
    let site = Server::start(Arc::new(served), false);
    let visiting = Instant::now();
    let lanes: Vec<Lane> = std::thread::scope(|scope| {
        let plan = &plan;
        let built = &built;
        let handles: Vec<_> = (0..BROWSERS)
            .map(|lane| {
                let mine: Vec<(usize, String)> = plan
                    .iter()
                    .skip(lane)
                    .step_by(BROWSERS)
                    .map(|(i, path)| (*i, format!("http://{}.site.test/{path}", built[*i].name)))
                    .collect();
                scope.spawn(move || run_lane(site.port, &mine))
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let visited = visiting.elapsed();
    let mut contacts: Vec<Vec<String>> = vec![Vec::new(); cases.len()];
    let mut slowest: Vec<(Duration, String)> = Vec::new();
    for lane in lanes {
        for (i, contact) in lane.contacts {
            contacts[i].push(contact);
        }
        slowest.extend(lane.durations);
    }
    slowest.sort_by_key(|(took, _)| std::cmp::Reverse(*took));

    let mut table = String::new();
    let mut misses = Vec::new();
    let mut counts = [0usize; 4];
    table.push_str(&format!(
        "{:<44} {:>8} {:>8}  note\n",
        "case", "chromium", "audit"
    ));
    for (i, (case, known)) in cases.iter().enumerate() {
        let out = &built[i];
        let requested = !contacts[i].is_empty();
        counts[usize::from(requested) * 2 + usize::from(out.reported)] += 1;
        let mut note = String::new();
        if *known {
            note.push_str("known failure; ");
        }
        if !out.built {
            note.push_str("no output (the site did not load); ");
        }
        if requested {
            note.push_str(&contacts[i][0]);
            if contacts[i].len() > 1 {
                note.push_str(&format!(" and {} more", contacts[i].len() - 1));
            }
        } else if out.reported && case.must_fail() {
            note.push_str("refused, not fetched by this browser");
        }
        let yes = |b: bool| if b { "yes" } else { "no" };
        table.push_str(&format!(
            "{:<44} {:>8} {:>8}  {note}\n",
            case.name,
            yes(requested),
            yes(out.reported)
        ));
        if requested && !out.reported && !known {
            misses.push(format!("{}: {}", case.name, contacts[i].join(", ")));
        }
    }
    let slow: Vec<String> = slowest
        .iter()
        .take(5)
        .map(|(d, url)| format!("{:.1} s {url}", d.as_secs_f64()))
        .collect();
    let summary = format!(
        "{} cases ({} known failures), {} pages opened in {BROWSERS} browsers\n\
         requested by Chromium and refused by the audit: {}\n\
         refused by the audit only (conservative): {}\n\
         requested by Chromium only (missed): {}\n\
         neither: {}\n\
         built in {:.1} s, visited in {:.1} s, {:.1} s in all; the slowest pages:\n{}\n",
        cases.len(),
        hostile::FAILING.len(),
        plan.len(),
        counts[3],
        counts[1],
        counts[2],
        counts[0],
        building.as_secs_f64(),
        visited.as_secs_f64(),
        started.elapsed().as_secs_f64(),
        slow.join("\n"),
    );
    let report = format!("{table}\n{summary}");
    println!("{report}");
    let file = Path::new(env!("CARGO_TARGET_TMPDIR")).join("differential.txt");
    std::fs::write(&file, &report).unwrap();
    // The oracle works: pages run their scripts and load their images
    // (DevTools sees it), and a bare connection reaches the logging server.
    let contacted = |name: &str, how: &str| {
        let i = cases.iter().position(|(c, _)| c.name == name).unwrap();
        contacts[i].iter().any(|c| c.contains(how))
    };
    for (canary, how) in [
        ("script-inline", "https://evil.example/script-inline (from"),
        ("img-src", "https://img.example/pixel.gif (from"),
        ("link-preconnect", "(at the logging server)"),
    ] {
        assert!(
            contacted(canary, how),
            "{canary}: no `{how}` (the whole table is in {})",
            file.display()
        );
    }
    assert!(
        misses.is_empty(),
        "Chromium contacted another host, but the audit let the site through:\n{}\n\n(the whole table is in {})",
        misses.join("\n"),
        file.display()
    );
}

/// How many browsers visit pages side by side (visits mostly wait).
const BROWSERS: usize = 4;

/// The lines of `page` (trimmed) that its version in the harmless site,
/// `old`, does not have.
fn new_lines(old: Option<&Vec<u8>>, page: &[u8]) -> Vec<String> {
    let old = old
        .map(|o| String::from_utf8_lossy(o).into_owned())
        .unwrap_or_default();
    let known: HashSet<&str> = old.lines().map(str::trim).collect();
    String::from_utf8_lossy(page)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !known.contains(l))
        .map(str::to_string)
        .collect()
}

/// What one browser saw: (case, contact) and how long each visit took.
struct Lane {
    contacts: Vec<(usize, String)>,
    durations: Vec<(Duration, String)>,
}

/// Opens `visits` (case, URL) one after the other in a browser of its own
/// that reaches the site server at `site` and every other host at a
/// logging server of its own.
fn run_lane(site: u16, visits: &[(usize, String)]) -> Lane {
    let logger = Server::start(Arc::new(HashMap::new()), true);
    let rules = format!(
        "--host-resolver-rules=MAP *.example 127.0.0.1:{log}, MAP {OWN_HOST} 127.0.0.1:{log}, MAP *.site.test 127.0.0.1:{site}",
        log = logger.port,
    );
    let mut browser = Chromium::start_with(&[rules]);
    let tab = browser.tab();
    browser.call(Some(&tab), "Page.enable", json!({}));
    let mut lane = Lane {
        contacts: Vec::new(),
        durations: Vec::new(),
    };
    let mut windows: Vec<(usize, Instant)> = Vec::new();
    for (i, url) in visits {
        let since = browser.events.len();
        let start = Instant::now();
        windows.push((*i, start));
        visit(&mut browser, &tab, url, since);
        lane.durations.push((start.elapsed(), url.clone()));
        let page = url.split_once(".site.test/").map_or("", |(_, p)| p);
        for event in &browser.events[since..] {
            if event["method"] == "Network.requestWillBeSent" {
                let requested = event["params"]["request"]["url"]
                    .as_str()
                    .unwrap_or_default();
                if is_foreign(&host_of(requested)) {
                    lane.contacts
                        .push((*i, format!("{requested} (from /{page})")));
                }
            }
        }
    }
    browser.call(Some(&tab), "Page.navigate", json!({"url": "about:blank"}));
    std::thread::sleep(QUIET);
    drop(browser);
    // Connections at the logging server, by the page open at the time.
    for (at, host, what) in logger.log.lock().unwrap().iter() {
        if !is_foreign(host) {
            continue;
        }
        if let Some((i, _)) = windows.iter().rev().find(|(_, start)| start <= at) {
            lane.contacts
                .push((*i, format!("{what} (at the logging server)")));
        }
    }
    lane
}

/// `f` of every item, on a few threads, in order.
fn in_parallel<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().min(4));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(item) = items.get(i) else { break };
                let result = f(item);
                results.lock().unwrap().push((i, result));
            });
        }
    });
    let mut results = results.into_inner().unwrap();
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

/// A case built in-process: whether the audit refused it (the build
/// fails), and every file it would publish.
struct Built {
    name: &'static str,
    /// The header lines (`Name: value`) of the case's own `_headers`.
    headers: Vec<u8>,
    /// Whether the build got as far as rendering.
    built: bool,
    reported: bool,
    files: BTreeMap<String, Vec<u8>>,
}

fn build(case: &Case) -> Built {
    let site = hostile::site(case);
    let options = BuildOptions {
        root: site.root().to_path_buf(),
        ..BuildOptions::default()
    };
    let sink = Collect::default();
    let (built, reported) = match load(&options) {
        Err(e) => (false, e.diagnostics.iter().any(Diagnostic::is_error)),
        Ok(loaded) => {
            let render = RenderOptions {
                year: 2024,
                preview: false,
            };
            let prepared = Prepared::new(&loaded.site, &loaded.theme, &render);
            let reported = match loaded.render_prepared(&prepared, &sink) {
                Err(e) => e.diagnostics.iter().any(Diagnostic::is_error),
                Ok(rendered) => {
                    verdict(&rendered.facts, loaded.site.config.page_budget, &prepared).is_err()
                }
            };
            (true, reported)
        }
    };
    Built {
        name: case.name,
        headers: own_headers(case),
        built,
        reported,
        files: sink.0.into_inner().unwrap(),
    }
}

/// Where the site server keeps a case's headers among its files.
const HEADERS: &str = "\0headers";

/// The header lines of a case's `static/_headers` (Netlify's format: a
/// path, then indented `Name: value` lines), which the site server sends
/// with every file as a host would with `/*`.
fn own_headers(case: &Case) -> Vec<u8> {
    let Some((_, body)) = case
        .files
        .iter()
        .find(|(path, _)| *path == "static/_headers")
    else {
        return Vec::new();
    };
    let text = String::from_utf8_lossy(&body.bytes()).into_owned();
    text.lines()
        .filter(|l| l.starts_with([' ', '\t']) && l.contains(':'))
        .map(|l| format!("{}\r\n", l.trim()))
        .collect::<String>()
        .into_bytes()
}

/// Collects what a build writes.
#[derive(Debug, Default)]
struct Collect(Mutex<BTreeMap<String, Vec<u8>>>);

impl Sink for Collect {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        self.0
            .lock()
            .unwrap()
            .insert(rel.to_string(), bytes.to_vec());
        Ok(())
    }

    fn copy(&self, from: &Path, rel: &str) -> Result<(), Diagnostic> {
        let bytes = std::fs::read(from).map_err(|e| Diagnostic::file(from, e.to_string()))?;
        self.write(rel, &bytes)
    }
}

/// The documents of a built case to open, by path, with the bytes to
/// serve there: its pages without echt's policy `<meta>`, the documents
/// it copies, a page for each stylesheet, and one for each feed entry
/// that is not among the `usual` ones (those of the site without a case).
fn visits(out: &Built, usual: &[String]) -> Vec<(String, Vec<u8>)> {
    let mut found = Vec::new();
    let entries = feed_entries(out);
    for (n, html) in entries.iter().filter(|e| !usual.contains(e)).enumerate() {
        let page = format!(
            "<!doctype html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>Eintrag</title>\n</head>\n<body>\n{html}\n</body>\n</html>\n"
        );
        found.push((format!("feed-entry-{n}.html"), page.into_bytes()));
    }
    for (path, bytes) in &out.files {
        let name = path.rsplit('/').next().unwrap_or(path);
        if matches!(name, "atom.xml" | "rss.xml" | "sitemap.xml") {
            continue;
        }
        let nature = match nature_by_name(path) {
            Nature::Unknown => sniff(bytes),
            nature => nature,
        };
        match nature {
            Nature::Html => found.push((path.clone(), without_policy(bytes))),
            Nature::Xml => found.push((path.clone(), bytes.clone())),
            Nature::Css => {
                // Titled with the stylesheet's hash: the page differs
                // where the stylesheet does.
                let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
                    (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
                });
                let page = format!(
                    "<!doctype html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>{hash:016x}</title>\n<link rel=\"stylesheet\" href=\"/{path}\">\n</head>\n<body>\n<h1>Titel</h1>\n<p>Text</p>\n<ul><li>Punkt</li></ul>\n</body>\n</html>\n"
                );
                found.push((format!("{path}.page.html"), page.into_bytes()));
            }
            _ => {}
        }
    }
    found
}

/// A page without echt's Content-Security-Policy `<meta>`.
fn without_policy(bytes: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(bytes);
    let tag = "<meta http-equiv=\"Content-Security-Policy\" content=\"";
    match text.find(tag) {
        Some(start) => {
            let end = text[start..]
                .find('>')
                .map_or(text.len(), |e| start + e + 1);
            format!("{}{}", &text[..start], &text[end..]).into_bytes()
        }
        None => bytes.to_vec(),
    }
}

/// The HTML of a case's feeds (Atom `content` and `summary` of type
/// html, every RSS `description`), each once, leaving out what another
/// one contains (a summary is the start of its post).
fn feed_entries(out: &Built) -> Vec<String> {
    let mut all: Vec<String> = Vec::new();
    for (path, bytes) in &out.files {
        if path.ends_with("atom.xml") || path.ends_with("rss.xml") {
            for html in feed_html(bytes) {
                if !all.contains(&html) {
                    all.push(html);
                }
            }
        }
    }
    let kept: Vec<String> = all
        .iter()
        .filter(|html| {
            !all.iter()
                .any(|other| other != *html && other.contains(html.as_str()))
        })
        .cloned()
        .collect();
    kept
}

/// The HTML one feed carries.
fn feed_html(xml: &[u8]) -> Vec<String> {
    use quick_xml::events::Event;
    let text = String::from_utf8_lossy(xml);
    let mut reader = quick_xml::Reader::from_str(&text);
    let mut inside: Option<String> = None;
    let mut found = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                let html = e
                    .attributes()
                    .flatten()
                    .find(|a| a.key.as_ref() == b"type")
                    .is_some_and(|a| a.value.as_ref() == b"html");
                if name == "description" || (html && (name == "content" || name == "summary")) {
                    inside = Some(String::new());
                }
            }
            Ok(Event::Text(t)) => {
                if let (Some(html), Ok(piece)) = (inside.as_mut(), t.unescape()) {
                    html.push_str(&piece);
                }
            }
            Ok(Event::CData(t)) => {
                if let Some(html) = inside.as_mut() {
                    html.push_str(&String::from_utf8_lossy(&t));
                }
            }
            Ok(Event::End(_)) => {
                if let Some(html) = inside.take() {
                    if !html.trim().is_empty() {
                        found.push(html);
                    }
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    found
}

/// Opens `url` and waits until it loaded and then asked for nothing new
/// for a moment, lazy images and frames included.
fn visit(browser: &mut Chromium, tab: &Page, url: &str, since: usize) {
    let deadline = Instant::now() + VISIT;
    // A document that is downloaded rather than shown fails to navigate.
    let navigated = browser.try_call(Some(tab), "Page.navigate", json!({"url": url}));
    if navigated.is_ok_and(|r| r.get("errorText").is_none()) {
        browser.collect_until(deadline, since, |events| {
            events.iter().any(|e| e["method"] == "Page.loadEventFired")
        });
    }
    let _ = browser.try_call(
        Some(tab),
        "Runtime.evaluate",
        json!({"expression": "document.querySelectorAll('img, iframe').forEach(e => e.loading = 'eager'); \
                              scrollTo(0, document.documentElement ? document.documentElement.scrollHeight : 0); 0"}),
    );
    loop {
        let now = Instant::now();
        if now >= deadline {
            break;
        }
        let before = browser.events.len();
        let more = browser.collect_until((now + QUIET).min(deadline), before, |events| {
            !events.is_empty()
        });
        let dialogs: Vec<Value> = browser.events[before..]
            .iter()
            .filter(|e| e["method"] == "Page.javascriptDialogOpening")
            .cloned()
            .collect();
        for _ in dialogs {
            let _ = browser.try_call(
                Some(tab),
                "Page.handleJavaScriptDialog",
                json!({"accept": true}),
            );
        }
        if !more {
            break;
        }
    }
}

/// The host of a URL, lower case ("" if it has none).
fn host_of(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
        .unwrap_or_default()
}

/// Whether `host` is another host than the site's (the cases use hosts
/// below `.example` for those; anything else is the browser's own).
fn is_foreign(host: &str) -> bool {
    host.ends_with(".example") && host != OWN_HOST
}

/// A tiny HTTP server on loopback: the site server hands out each case's
/// files by the first label of the host name (`<case>.site.test`); the
/// logging server records every connection's host (the `Host` header, or
/// the name a TLS client hello asks for) and answers nothing useful.
struct Server {
    port: u16,
    /// (when, host, what was asked)
    log: Arc<Mutex<Vec<(Instant, String, String)>>>,
}

impl Server {
    fn start(files: Arc<HashMap<String, BTreeMap<String, Vec<u8>>>>, logging: bool) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let log = Arc::new(Mutex::new(Vec::new()));
        let shared = log.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let files = files.clone();
                let log = shared.clone();
                std::thread::spawn(move || {
                    let at = Instant::now();
                    if logging {
                        let (host, what) = logged(stream);
                        log.lock().unwrap().push((at, host, what));
                    } else {
                        serve(stream, &files);
                    }
                });
            }
        });
        Server { port, log }
    }
}

/// Reads what a connection to the logging server asks for, answers an
/// HTTP request with 404 and closes it.
fn logged(mut stream: TcpStream) -> (String, String) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let mut head = vec![0u8; 4096];
    let n = stream.read(&mut head).unwrap_or(0);
    head.truncate(n);
    if head.first() == Some(&0x16) {
        let host = server_name(&head).unwrap_or_default();
        return (host.clone(), format!("https://{host}/ (TLS)"));
    }
    let text = String::from_utf8_lossy(&head);
    let target = text
        .split_whitespace()
        .nth(1)
        .unwrap_or_default()
        .to_string();
    let host = text
        .lines()
        .find_map(|l| {
            l.split_once(':')
                .filter(|(k, _)| k.eq_ignore_ascii_case("host"))
                .map(|(_, v)| v.trim().to_string())
        })
        .unwrap_or_default();
    let _ = stream
        .write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    let bare = host
        .split(':')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    (bare, format!("http://{host}{target}"))
}

/// The server name (SNI) of a TLS client hello.
fn server_name(hello: &[u8]) -> Option<String> {
    let take = |at: usize, n: usize| hello.get(at..at + n);
    let u16_at = |at: usize| take(at, 2).map(|b| usize::from(b[0]) << 8 | usize::from(b[1]));
    // Record header (5), handshake header (4), version (2), random (32).
    let mut at = 5 + 4 + 2 + 32;
    at += 1 + usize::from(*hello.get(at)?);
    at += 2 + u16_at(at)?;
    at += 1 + usize::from(*hello.get(at)?);
    let end = at + 2 + u16_at(at)?;
    at += 2;
    while at + 4 <= end {
        let kind = u16_at(at)?;
        let len = u16_at(at + 2)?;
        if kind == 0 {
            // A list of names: length (2), type (1), name length (2), name.
            let name_len = u16_at(at + 4 + 3)?;
            let name = take(at + 4 + 5, name_len)?;
            return Some(String::from_utf8_lossy(name).to_ascii_lowercase());
        }
        at += 4 + len;
    }
    None
}

/// Answers one request for a case's file.
fn serve(stream: TcpStream, sites: &HashMap<String, BTreeMap<String, Vec<u8>>>) {
    let mut reader = BufReader::new(stream);
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    let mut host = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((key, value)) = line.split_once(':') {
            if key.eq_ignore_ascii_case("host") {
                host = value.trim().to_ascii_lowercase();
            }
        }
    }
    let target = request.split_whitespace().nth(1).unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let path = path.trim_start_matches('/').to_string();
    let case = host.split('.').next().unwrap_or_default();
    let files = sites.get(case);
    let file = |p: &str| files.and_then(|f| f.get(p));
    let index = format!("{path}index.html");
    let (status, body, kind) = if let Some(body) = file(&path).filter(|_| !path.is_empty()) {
        ("200 OK", body.clone(), content_type(&path))
    } else if let Some(body) = file(&index).filter(|_| path.is_empty() || path.ends_with('/')) {
        ("200 OK", body.clone(), Some("text/html"))
    } else if file(&format!("{path}/index.html")).is_some() {
        let location = format!("/{path}/");
        let head = format!(
            "HTTP/1.1 301 Moved Permanently\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        );
        let _ = reader.get_mut().write_all(head.as_bytes());
        return;
    } else {
        ("404 Not Found", Vec::new(), None)
    };
    let mut head = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    if let Some(kind) = kind {
        head.push_str(&format!("Content-Type: {kind}\r\n"));
    }
    if let Some(headers) = file(HEADERS) {
        head.push_str(&String::from_utf8_lossy(headers));
    }
    head.push_str("\r\n");
    let stream = reader.get_mut();
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
}

/// The type a plain static host sends, without a charset (as from disk,
/// the page's own `<meta charset>` decides); None lets the browser sniff.
fn content_type(path: &str) -> Option<&'static str> {
    let extension = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase())?;
    Some(match extension.as_str() {
        "html" | "htm" | "shtml" => "text/html",
        "xhtml" | "xht" => "application/xhtml+xml",
        "xml" | "xsl" => "application/xml",
        "svg" => "image/svg+xml",
        "css" => "text/css",
        "js" => "text/javascript",
        "png" => "image/png",
        "gif" => "image/gif",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "woff2" => "font/woff2",
        "mp4" => "video/mp4",
        "vtt" => "text/vtt",
        "json" | "webmanifest" => "application/json",
        "txt" => "text/plain",
        "svgz" | "mht" | "mhtml" => "application/octet-stream",
        _ => return None,
    })
}
