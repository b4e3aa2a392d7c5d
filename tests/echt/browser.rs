//! The preview in a real browser: headless Chromium, driven over the
//! DevTools protocol, shows an edit made on disk without anyone touching
//! the page, keeps the reader's place, and fetches nothing from elsewhere.
//! Every page of the sample blog, as the preview serves it, asks nothing
//! of any other host, sends no referrer, sets no cookie, and breaks no
//! rule of its Content-Security-Policy, the live-reload script included.
//!
//! The browser is driven by `chromium::Chromium`.

use serde_json::{json, Value};
use url::Url;

use crate::chromium::Chromium;
use crate::served::Served;
use crate::support::TestSite;

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
pub(crate) fn policy_violations(events: &[Value]) -> Vec<&Value> {
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

/// Highlighted code as a reader gets it: the stylesheet colours the
/// tokens under the page's policy (no `style` needed), and the line
/// numbers are neither selected with the code nor read out with it.
#[test]
#[ignore = "needs chromium"]
fn highlighted_code_is_coloured_and_copies_without_line_numbers() {
    let site = TestSite::fixture("code");
    let served = Served::start(&site);
    let origin = served.url();
    let mut browser = Chromium::start();
    let tab = browser.tab();
    for domain in ["Page", "Runtime", "Log", "Audits"] {
        browser.call(Some(&tab), &format!("{domain}.enable"), json!({}));
    }
    let url = format!("{origin}posts/sicherung/");
    let since = browser.navigate(&tab, &url);
    browser.wait_until(
        &tab,
        "the post with code",
        "document.readyState === 'complete' && document.querySelector('pre.hl-lines') !== null",
    );
    // Each kind of token has a colour of its own, none the code's.
    let colours = browser.evaluate(
        &tab,
        "const of = s => getComputedStyle(document.querySelector(s)).color;
         [of('pre.hl-lines code'), of('.hl-c'), of('.hl-s'), of('.hl-f'), of('.hl-g')]",
    );
    let colours: Vec<&str> = colours
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    let distinct: std::collections::BTreeSet<&&str> = colours.iter().collect();
    assert_eq!(distinct.len(), colours.len(), "{colours:?}");
    // Selecting the numbered block selects the code alone.
    let selected = browser.evaluate(
        &tab,
        "const r = document.createRange();
         r.selectNodeContents(document.querySelector('pre.hl-lines'));
         getSelection().removeAllRanges(); getSelection().addRange(r);
         getSelection().toString()",
    );
    let selected = selected.as_str().unwrap();
    assert!(selected.starts_with("#!/bin/sh\nset -eu\n"), "{selected:?}");
    assert_eq!(selected.lines().count(), 6, "{selected:?}");
    // A console session is selected without its prompts.
    let session = browser.evaluate(
        &tab,
        "const s = document.createRange();
         s.selectNodeContents(document.querySelector('code.language-console'));
         getSelection().removeAllRanges(); getSelection().addRange(s);
         getSelection().toString()",
    );
    let session = session.as_str().unwrap();
    assert!(
        session.starts_with("./sichern.sh ~/projekte\nsende 1.204 Dateien\nls "),
        "{session:?}"
    );
    // The accessibility tree has the code's text and no line numbers.
    let tree = browser.call(Some(&tab), "Accessibility.getFullAXTree", json!({}));
    let names: Vec<&str> = tree["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["role"]["value"] == "StaticText")
        .filter_map(|n| n["name"]["value"].as_str())
        .collect();
    assert!(
        names.contains(&"#!/bin/sh") && names.contains(&"rsync"),
        "{names:?}"
    );
    for number in ["1", "2", "3", "4", "5", "6"] {
        assert!(
            !names.contains(&number),
            "line number {number} in {names:?}"
        );
    }
    let blocked = policy_violations(&browser.events[since..]);
    assert!(
        blocked.is_empty(),
        "blocked by the page's policy: {blocked:#?}"
    );
}
