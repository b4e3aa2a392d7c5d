//! Search without third parties (`search: true`): the search page, its
//! index and echt's own script; the one page whose policy lets a script
//! run, in its `<meta>` and in the host files (where no rule with the
//! strict policy may match it, since hosts merge the rules that match a
//! path); a preview edit that rewrites the index; a reader in Chromium
//! who types a query and sees results, asking only the site's own host,
//! and the same page without JavaScript.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::chromium::Chromium;
use crate::served::{wait_for_event, Served};
use crate::support::{post, TestSite, CONFIG};

const STRICT: &str = "script-src 'none'";
const SEARCH: &str = "script-src 'self'; connect-src 'self'; require-trusted-types-for 'script'; trusted-types 'none'";

fn site() -> TestSite {
    TestSite::new()
        .file("echt.yaml", &format!("{CONFIG}search: true\n"))
        .post(
            "haus.md",
            &post(
                "Ein Haus am See",
                "2024-05-01",
                "Wir haben lange gesucht.\n\nDas Haus steht an der Straße zum Wasser.",
            ),
        )
        .post(
            "garten.md",
            &post(
                "Gartenjahr",
                "2024-03-01",
                "Die Bäume blühen.\n\nDie Strasse ist gesperrt.",
            ),
        )
        .file(
            "content/ueber.md",
            "---\ntitle: Über mich\nmenu: main\n---\nIch wohne in Häusern.\n",
        )
}

/// The `<meta>` policy a page carries.
fn meta_policy(html: &str) -> &str {
    const START: &str = "<meta http-equiv=\"Content-Security-Policy\" content=\"";
    let start = html.find(START).expect("a policy") + START.len();
    &html[start..start + html[start..].find('"').unwrap()]
}

#[test]
fn search_is_off_unless_asked_for() {
    let site = TestSite::new().post("a.md", &post("A", "2024-01-01", "Text."));
    let built = site.build().ok();
    assert!(!built.exists("suche/index.html"));
    assert!(!built.files().iter().any(|f| f.starts_with("search-index/")));
    for file in built.files().iter().filter(|f| f.ends_with(".html")) {
        let page = built.page(file);
        assert!(!page.contains("<script"), "{file}");
        assert!(!page.contains("/suche/"), "{file}");
    }
    assert!(built
        .page("_headers")
        .contains("/*\n  Content-Security-Policy: default-src 'self'"));
}

#[test]
fn the_search_page_alone_may_run_echts_script() {
    let site = site();
    let built = site.build().ok();
    let page = built.page("suche/");
    assert_eq!(
        meta_policy(&page),
        format!("default-src 'self'; img-src 'self' data:; font-src 'self' data:; style-src 'self' 'unsafe-inline'; {SEARCH}; object-src 'none'; base-uri 'self'; form-action 'self'")
    );
    assert!(
        page.contains("<script src=\"../search-index/search.js\" defer></script>"),
        "{page}"
    );
    assert!(page.contains("<form id=\"search-form\" class=\"search-form\" role=\"search\" action=\"../suche/\" method=\"get\">"), "{page}");
    assert!(page.contains("role=\"status\""), "{page}");
    // Without JavaScript, the archive and the tags stand in.
    assert!(page.contains("<a href=\"../archiv/\">Archiv</a>"), "{page}");
    assert!(
        page.contains("<a href=\"../tags/\">Alle Schlagworte</a>"),
        "{page}"
    );
    assert_eq!(page.matches("<script").count(), 1, "{page}");
    for file in built
        .files()
        .iter()
        .filter(|f| f.ends_with(".html") && *f != "suche/index.html")
    {
        let other = built.page(file);
        assert!(meta_policy(&other).contains(STRICT), "{file}");
        assert!(!other.contains("<script"), "{file}");
    }
    // Every page links the search page; the sitemap lists it.
    assert!(built.page("").contains("<a href=\"./suche/\">Suche</a>"));
    assert!(built
        .page("sitemap.xml")
        .contains("<loc>https://example.org/suche/</loc>"));
    let script = built.page("search-index/search.js");
    for forbidden in [
        "eval(",
        "innerHTML",
        "Function(",
        "document.write",
        "http://",
        "https://",
    ] {
        assert!(!script.contains(forbidden), "{forbidden}");
    }
    // The privacy page says what the script does.
    let privacy = built.page("datenschutz/");
    assert!(
        privacy.contains("JavaScript nur auf der <a href=\"../suche/\">Suchseite</a>"),
        "{privacy}"
    );
    assert!(
        privacy.contains("schickt nichts an diesen oder andere Server"),
        "{privacy}"
    );
    assert!(
        privacy.contains(&SEARCH.replace('\'', "&#39;")),
        "{privacy}"
    );
}

#[test]
fn the_index_lists_every_document_and_its_terms() {
    let site = site();
    let built = site.build().ok();
    let meta: Value = serde_json::from_str(&built.page("search-index/meta.json")).unwrap();
    assert_eq!(meta["version"], 1);
    assert_eq!(meta["docs"], 3);
    assert_eq!(meta["language"], "de");
    let docs: Value = serde_json::from_str(&built.page("search-index/docs-0.json")).unwrap();
    let urls: Vec<&str> = docs
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["url"].as_str().unwrap())
        .collect();
    assert_eq!(urls, ["../posts/haus/", "../posts/garten/", "../ueber/"]);
    let terms: BTreeMap<String, Vec<u32>> =
        serde_json::from_str(&built.page("search-index/terms-0.json")).unwrap();
    // Haus in the first post's title (1), Häusern in the page's text (2 × 2).
    assert_eq!(terms["haus"], [1, 3]);
    // Straße and Strasse are one term.
    assert_eq!(terms["strass"], [0, 2]);
    assert!(!terms.contains_key("straße"));
}

#[test]
fn english_sites_search_at_search() {
    let site = TestSite::new()
        .file(
            "echt.yaml",
            &format!(
                "{}search: true\n",
                CONFIG.replace("language: de", "language: en")
            ),
        )
        .post("a.md", &post("Houses", "2024-01-01", "Running."));
    let built = site.build().ok();
    let page = built.page("search/");
    assert!(page.contains("<h1>Search</h1>"), "{page}");
    assert!(
        page.contains("<label for=\"search-input\">Search terms</label>"),
        "{page}"
    );
    let meta: Value = serde_json::from_str(&built.page("search-index/meta.json")).unwrap();
    assert_eq!(meta["language"], "en");
}

/// The rules of a `_headers` file: path and headers, in order.
fn rules(text: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut rules: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for line in text
        .lines()
        .filter(|l| !l.trim_start().starts_with('#') && !l.trim().is_empty())
    {
        if let Some(header) = line.strip_prefix("  ") {
            let (name, value) = header.split_once(": ").unwrap();
            rules
                .last_mut()
                .unwrap()
                .1
                .push((name.into(), value.into()));
        } else {
            rules.push((line.to_string(), Vec::new()));
        }
    }
    rules
}

/// Whether a `_headers` rule's path matches `path`, as Netlify and
/// Cloudflare Pages match them (a `*` at the end matches anything).
fn matches(rule: &str, path: &str) -> bool {
    match rule.strip_suffix('*') {
        Some(prefix) => path.starts_with(prefix),
        None => rule == path,
    }
}

#[test]
fn host_files_give_the_relaxed_policy_to_the_search_page_alone() {
    let site = site();
    let built = site.build().ok();
    let headers = built.page("_headers");
    let rules = rules(&headers);
    // Every file is answered with exactly one policy, as a host that
    // merges every matching rule sends it.
    let mut paths: Vec<String> = built
        .files()
        .iter()
        .filter(|f| !f.starts_with(['_', '.']))
        .map(|f| format!("/{f}"))
        .collect();
    paths.extend(["/".to_string(), "/suche/".into(), "/posts/haus/".into()]);
    for path in &paths {
        let policies: Vec<&str> = rules
            .iter()
            .filter(|(rule, _)| matches(rule, path))
            .flat_map(|(_, headers)| headers)
            .filter(|(name, _)| name == "Content-Security-Policy")
            .map(|(_, value)| value.as_str())
            .collect();
        assert_eq!(policies.len(), 1, "{path}: {policies:?}\n{headers}");
        let search = path == "/suche/" || path == "/suche/index.html";
        assert_eq!(policies[0].contains(SEARCH), search, "{path}");
        assert_eq!(policies[0].contains(STRICT), !search, "{path}");
        assert!(policies[0].ends_with("frame-ancestors 'self'"), "{path}");
        // The other headers come from the rule for every path.
        let referrer = rules
            .iter()
            .filter(|(rule, _)| matches(rule, path))
            .flat_map(|(_, headers)| headers)
            .filter(|(name, _)| name == "Referrer-Policy")
            .count();
        assert_eq!(referrer, 1, "{path}");
    }
    let nginx = built.page("_nginx.conf");
    assert!(nginx.contains("location = /suche/ {\n"), "{nginx}");
    assert!(
        nginx.contains("location = /suche/index.html {\n"),
        "{nginx}"
    );
    assert_eq!(nginx.matches(SEARCH).count(), 2, "{nginx}");
    assert_eq!(
        nginx.matches("add_header Content-Security-Policy").count(),
        3,
        "{nginx}"
    );
}

#[test]
fn a_preview_edit_of_a_posts_text_rewrites_the_index() {
    let site = site();
    let served = Served::start(&site);
    let mut events = served.events();
    let (status, _, terms) = served.get("/search-index/terms-0.json");
    assert_eq!(status, 200);
    assert!(!terms.contains("\"leuchtturm\""), "{terms}");
    // Below the summary: the lists stay as they are, the index does not.
    let file = site.root().join("content/posts/haus.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("zum Wasser.", "zum Leuchtturm.")).unwrap();
    wait_for_event(&mut events, "reload");
    let (_, _, terms) = served.get("/search-index/terms-0.json");
    assert!(terms.contains("\"leuchtturm\":[0]"), "{terms}");
    assert!(!terms.contains("\"wass\""), "{terms}");
    crate::serve::assert_same_as_clean_build(&site, &served);
}

/// A built site served as plain files, its search page opened in
/// Chromium.
fn search_page(
    javascript: bool,
) -> (
    Chromium,
    crate::chromium::Page,
    crate::host::Host,
    tempfile::TempDir,
) {
    let output = tempfile::tempdir().unwrap();
    let public = output.path().join("public");
    site()
        .build_with(&["--output", &public.to_string_lossy()])
        .ok();
    let host = crate::host::Host::start(public);
    let mut browser = Chromium::start();
    let tab = browser.tab();
    browser.call(Some(&tab), "Log.enable", json!({}));
    browser.call(Some(&tab), "Audits.enable", json!({}));
    browser.call(Some(&tab), "Runtime.enable", json!({}));
    browser.call(
        Some(&tab),
        "Emulation.setScriptExecutionDisabled",
        json!({"value": !javascript}),
    );
    browser.navigate(&tab, &format!("{}suche/", host.url()));
    browser.wait_until(&tab, "the page", "document.readyState === 'complete'");
    (browser, tab, host, output)
}

#[test]
#[ignore = "needs chromium"]
fn a_reader_types_a_query_and_sees_results_from_this_host_alone() {
    let (mut browser, tab, host, _output) = search_page(true);
    // Typing, as a reader does: focus the field and insert the text.
    browser.evaluate(&tab, "document.getElementById('search-input').focus(); 0");
    browser.call(Some(&tab), "Input.insertText", json!({"text": "Häuser"}));
    browser.wait_until(
        &tab,
        "two results",
        "document.querySelectorAll('#search-results li').length === 2",
    );
    let shown = browser.evaluate(
        &tab,
        "[...document.querySelectorAll('#search-results li')].map(li => \
           [li.querySelector('a').textContent, li.querySelector('a').getAttribute('href'), \
            li.querySelector('time') ? li.querySelector('time').dateTime : null])",
    );
    let origin = host.url();
    assert_eq!(
        shown,
        json!([
            [
                "Ein Haus am See",
                format!("{origin}posts/haus/"),
                "2024-05-01"
            ],
            ["Über mich", format!("{origin}ueber/"), null]
        ])
    );
    let status = browser.evaluate(&tab, "document.getElementById('search-status').textContent");
    assert_eq!(status, "2 Treffer");
    // Enter submits the form; the script answers it in the page.
    browser.evaluate(
        &tab,
        "document.getElementById('search-input').value = ''; 0",
    );
    browser.call(Some(&tab), "Input.insertText", json!({"text": "Strasse"}));
    browser.call(
        Some(&tab),
        "Input.dispatchKeyEvent",
        json!({"type": "keyDown", "key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13, "text": "\r"}),
    );
    browser.wait_until(
        &tab,
        "the results for Strasse",
        "document.getElementById('search-status').textContent === '2 Treffer' \
         && location.search === '?q=Strasse'",
    );
    browser.evaluate(
        &tab,
        "document.getElementById('search-input').value = 'Leuchtturm'; \
        document.getElementById('search-input').dispatchEvent(new Event('input')); 0",
    );
    browser.wait_until(
        &tab,
        "no results",
        "document.getElementById('search-status').textContent.startsWith('Nichts gefunden') \
         && document.querySelectorAll('#search-results li').length === 0",
    );
    let requests = browser.requests();
    assert!(
        requests
            .iter()
            .any(|r| r.ends_with("/search-index/search.js")),
        "{requests:#?}"
    );
    assert!(
        requests
            .iter()
            .any(|r| r.ends_with("/search-index/terms-0.json")),
        "{requests:#?}"
    );
    let elsewhere: Vec<&String> = requests
        .iter()
        .filter(|r| !r.starts_with(&origin))
        .collect();
    assert!(
        elsewhere.is_empty(),
        "requests beyond the site: {elsewhere:#?}"
    );
    let blocked = crate::browser::policy_violations(&browser.events);
    assert!(blocked.is_empty(), "blocked by the policy: {blocked:#?}");
    let thrown: Vec<&Value> = browser
        .events
        .iter()
        .filter(|e| e["method"] == "Runtime.exceptionThrown")
        .collect();
    assert!(thrown.is_empty(), "errors in the script: {thrown:#?}");
    assert_eq!(browser.evaluate(&tab, "document.cookie"), "");
    // Controls: the page's policy blocks a load from another host (which
    // the checks above would notice), and HTML handed over as text.
    browser.evaluate(
        &tab,
        "new Image().src = 'https://evil.example/control.png'; 0",
    );
    browser.wait_for_event("the control's violation", |e| {
        !crate::browser::policy_violations(std::slice::from_ref(e)).is_empty()
    });
    let html = browser.evaluate(
        &tab,
        "try { document.getElementById('search-results').innerHTML = '<li>x</li>'; 'set' } \
         catch (e) { e.name }",
    );
    assert_eq!(html, "TypeError");
    assert_eq!(browser.evaluate(&tab, "window.forbidden ?? false"), false);
}

#[test]
#[ignore = "needs chromium"]
fn without_javascript_the_search_page_points_to_the_archive_and_tags() {
    let (mut browser, tab, _host, _output) = search_page(false);
    let links = browser.evaluate(
        &tab,
        "[...document.querySelectorAll('.search-browse a')].map(a => a.textContent)",
    );
    assert_eq!(links, json!(["Archiv", "Alle Schlagworte"]));
    let text = browser.evaluate(
        &tab,
        "document.querySelector('.search-browse p').textContent",
    );
    assert!(text.as_str().unwrap().contains("Ohne JavaScript"), "{text}");
    // The form still goes somewhere harmless: the page itself, with `q`.
    browser.evaluate(
        &tab,
        "document.getElementById('search-input').value = 'Haus'; \
        document.getElementById('search-form').requestSubmit(); 0",
    );
    browser.wait_until(
        &tab,
        "the page again",
        "location.search === '?q=Haus' && document.readyState === 'complete'",
    );
    let results = browser.evaluate(
        &tab,
        "document.querySelectorAll('#search-results li').length",
    );
    assert_eq!(results, 0);
    let requests = browser.requests();
    assert!(
        !requests.iter().any(|r| r.contains("search-index")),
        "{requests:#?}"
    );
}

#[test]
#[ignore = "needs java + vnu-jar (set VNU_JAR)"]
fn the_search_page_has_zero_html_errors() {
    let site = site();
    let built = site.build().ok();
    crate::validate::assert_valid(&built.public.join("suche"));
    crate::validate::assert_valid(&built.public.join("datenschutz"));
}

#[test]
fn a_cached_build_after_an_edit_rewrites_the_index_as_a_clean_build_does() {
    let site = site();
    site.build().ok();
    let file = site.root().join("content/posts/garten.md");
    let text = std::fs::read_to_string(&file).unwrap();
    // A new word below the summary: no list changes, the index does.
    std::fs::write(&file, text.replace("gesperrt.", "gesperrt, wegen Kröten.")).unwrap();
    let cached = site.build().ok();
    let terms = cached.page("search-index/terms-0.json");
    assert!(terms.contains("\"krot\":[2]"), "{terms}");
    let clean = tempfile::tempdir().unwrap();
    let clean_public = clean.path().join("public");
    site.build_with(&["--no-cache", "--output", &clean_public.to_string_lossy()])
        .ok();
    let cached = crate::support::snapshot(&cached.public);
    let clean = crate::support::snapshot(&clean_public);
    let names = |s: &BTreeMap<String, Vec<u8>>| {
        s.keys()
            .filter(|k| !k.starts_with('.'))
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&cached), names(&clean));
    for (file, bytes) in clean.iter().filter(|(k, _)| !k.starts_with('.')) {
        assert_eq!(&cached[file], bytes, "{file}");
    }
}
