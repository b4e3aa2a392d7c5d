//! Pages as readers with assistive technology meet them. axe-core (the
//! rule engine inside Lighthouse's accessibility category) runs in
//! headless Chromium on every page of the German sample blog and of an
//! English fixture (`tests/sites/reader-en`: two authors, a series, share
//! links and search), in the light and the dark
//! colour scheme, since the theme's contrast is set per scheme; and
//! Lighthouse's accessibility category scores 100 on the fullest page of
//! every kind.
//!
//! The pages are found by walking the built site, not listed here, so a
//! new kind of page is checked as soon as a site has one.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::chromium::{Chromium, Page};
use crate::host::{html_pages as pages, lighthouse, Host};
use crate::support::TestSite;

/// The rule sets axe runs: WCAG 2.0 to 2.2, levels A and AA, and axe's
/// best practices (landmarks, one `<h1>`, headings in order).
const RULES: &str = "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']";

/// The two sites, built: the sample blog and the English fixture.
fn built_sites() -> Vec<(&'static str, TestSite)> {
    let sites = vec![
        ("sample", TestSite::sample()),
        ("reader-en", TestSite::fixture("reader-en")),
    ];
    for (_, site) in &sites {
        site.build().ok();
    }
    sites
}

/// `$AXE_CORE` (the path of `axe.min.js`).
fn axe_source() -> String {
    let path = std::env::var_os("AXE_CORE")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            panic!("needs axe-core: npm install axe-core and set AXE_CORE to its axe.min.js")
        });
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The violations axe finds on the page open in `tab`, one line each
/// with the elements concerned.
fn axe(browser: &mut Chromium, tab: &Page, source: &str, url: &str) -> Vec<String> {
    let loaded = format!("location.href === {url:?} && document.readyState === 'complete'");
    browser.wait_until(tab, url, &loaded);
    browser.evaluate(tab, &format!("{source};0"));
    let run = format!(
        "axe.run(document, {{runOnly: {RULES}, resultTypes: ['violations']}})
           .then(r => r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at '
             + v.nodes.map(n => n.target.join(' ')).join(', ')))"
    );
    let result = browser.call(
        Some(tab),
        "Runtime.evaluate",
        json!({"expression": run, "awaitPromise": true, "returnByValue": true}),
    );
    assert!(
        result.get("exceptionDetails").is_none(),
        "axe on {url}: {result}"
    );
    result["result"]["value"]
        .as_array()
        .unwrap_or_else(|| panic!("axe's answer: {result}"))
        .iter()
        .map(|v| v.as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
#[ignore = "needs chromium and axe-core"]
fn axe_finds_nothing_on_any_page_in_light_or_dark() {
    let source = axe_source();
    let mut findings = Vec::new();
    let mut checked = 0;
    for (name, site) in built_sites() {
        let public = site.root().join("public");
        let host = Host::start(public.clone());
        let mut browser = Chromium::start();
        let tab = browser.tab();
        // The pages forbid scripts; axe is the test's, not the page's.
        browser.call(Some(&tab), "Page.setBypassCSP", json!({"enabled": true}));
        for scheme in ["light", "dark"] {
            browser.call(
                Some(&tab),
                "Emulation.setEmulatedMedia",
                json!({"features": [{"name": "prefers-color-scheme", "value": scheme}]}),
            );
            for (page, _) in pages(&public) {
                let url = format!("{}{page}", host.url());
                browser.navigate(&tab, &url);
                for violation in axe(&mut browser, &tab, &source, &url) {
                    findings.push(format!("{name} {page} ({scheme}): {violation}"));
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 60, "only {checked} pages were checked");
    assert!(findings.is_empty(), "{findings:#?}");
}

/// The kind of a page, by the shape of its path: `posts/*`, `tags/*`,
/// `page/*`, `archiv`, `404.html`.
fn kind(page: &str) -> String {
    let parts: Vec<&str> = page.trim_end_matches('/').split('/').collect();
    match parts.as_slice() {
        [one] => (*one).to_string(),
        [first, .., _] => format!("{first}/*"),
        [] => String::new(),
    }
}

/// The largest page of each kind: the one with the most on it to judge.
fn fullest_of_each_kind(public: &Path) -> Vec<String> {
    let mut fullest: BTreeMap<String, (u64, String)> = BTreeMap::new();
    for (page, file) in pages(public) {
        let size = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
        let entry = fullest.entry(kind(&page)).or_insert((0, String::new()));
        if size > entry.0 {
            *entry = (size, page);
        }
    }
    fullest.into_values().map(|(_, page)| page).collect()
}

#[test]
#[ignore = "needs lighthouse"]
fn lighthouse_scores_every_kind_of_page_100_for_accessibility() {
    let mut findings = Vec::new();
    for (name, site) in built_sites() {
        let public = site.root().join("public");
        let kinds = fullest_of_each_kind(&public);
        assert!(kinds.len() >= 6, "{name}: {kinds:?}");
        let host = Host::start(public);
        for page in kinds {
            let report = lighthouse(
                &format!("{}{page}", host.url()),
                "mobile",
                "--only-categories=accessibility",
            );
            let score = &report["categories"]["accessibility"]["score"];
            if score != &json!(1) && score != &json!(1.0) {
                findings.push(format!("{name} {page}: score {score}, {}", failed(&report)));
            }
        }
    }
    assert!(findings.is_empty(), "{findings:#?}");
}

/// The audits of a report that failed, with the elements they name.
fn failed(report: &Value) -> String {
    let Some(audits) = report["audits"].as_object() else {
        return String::new();
    };
    audits
        .iter()
        .filter(|(_, audit)| audit["score"] == json!(0))
        .map(|(id, audit)| {
            let items: Vec<&str> = audit["details"]["items"]
                .as_array()
                .map(|items| {
                    items
                        .iter()
                        .filter_map(|i| i["node"]["snippet"].as_str())
                        .collect()
                })
                .unwrap_or_default();
            format!("{id} {items:?}")
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[test]
fn pages_are_grouped_by_the_shape_of_their_path() {
    assert_eq!(kind(""), "");
    assert_eq!(kind("posts/a/"), "posts/*");
    assert_eq!(kind("2019/03/alt/"), "2019/*");
    assert_eq!(kind("tags/"), "tags");
    assert_eq!(kind("404.html"), "404.html");
}
