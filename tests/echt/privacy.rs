//! The privacy audit: every tracker a blog typically picks up is refused
//! with the file, line and column it was written in; what is allowed gets
//! through and is declared; links lose their tracking parameters; the
//! headers files, the page budget and `echt check` (with `--external`
//! against a server started here) do what they promise.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;

use crate::support::{echt, noise_png, post, snapshot, theme_file, TestSite, CONFIG};

/// Asserts that `stderr` has a diagnostic whose first line starts with
/// `headline` and whose `-->` line is `at`.
#[track_caller]
fn assert_reported(stderr: &str, headline: &str, at: &str) {
    let arrow = format!("  --> {at}");
    let found = stderr.split("\n\n").any(|block| {
        let mut lines = block.lines();
        lines.next().is_some_and(|l| l.starts_with(headline)) && lines.next() == Some(&*arrow)
    });
    assert!(found, "no `{headline}` at {at} in:\n{stderr}");
}

/// `path:line:column` of the first `needle` in `text`.
fn position(path: &str, text: &str, needle: &str) -> String {
    let offset = text.find(needle).unwrap();
    let line = text[..offset].matches('\n').count() + 1;
    let column = offset - text[..offset].rfind('\n').map_or(0, |i| i + 1) + 1;
    format!("{path}:{line}:{column}")
}

fn config_with(extra: &str) -> String {
    format!("{CONFIG}{extra}")
}

const GOOGLE_FONTS: &str =
    "https://fonts.googleapis.com/css2?family=Roboto:wght@400;700&display=swap";

/// base.html of the theme with Google Fonts in its head.
fn base_with_google_fonts() -> String {
    let base = theme_file("templates/base.html");
    let ours = "<link rel=\"stylesheet\" href=\"{{ root }}style.css\">\n";
    assert!(base.contains(ours), "the theme's stylesheet link moved");
    base.replace(
        ours,
        &format!("{ours}<link rel=\"stylesheet\" href=\"{GOOGLE_FONTS}\">\n"),
    )
}

/// tags.html of the theme with a `<base>` pointing elsewhere.
fn tags_with_base() -> String {
    format!(
        "{}\n{{% block head %}}\n<base href=\"https://elsewhere.example/\">\n{{% endblock head %}}\n",
        theme_file("templates/tags.html")
    )
}

const SVG_WITH_IMAGE: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\">\n  <image href=\"https://svg.example/x.png\" width=\"10\" height=\"10\"/>\n</svg>\n";

/// Everything a blog picks up from copy-and-paste, each in its own file.
fn hostile_site() -> TestSite {
    TestSite::new()
        .post(
            "statistik.md",
            &post(
                "Statistik",
                "2024-03-01",
                "Wer liest hier mit?\n\n<script async src=\"https://www.googletagmanager.com/gtag/js?id=G-XYZ\"></script>\n<script>\n  window.dataLayer = window.dataLayer || [];\n  function gtag(){dataLayer.push(arguments);}\n  gtag('js', new Date());\n  gtag('config', 'G-XYZ');\n</script>",
            ),
        )
        .post(
            "pixel.md",
            &post(
                "Pixel",
                "2024-03-02",
                "Ein Newsletter-Gruß.\n\n<img src=\"https://pixel.tracker.example/pixel.gif\" width=1 height=1 alt=\"\">",
            ),
        )
        .post(
            "video.md",
            &post(
                "Video",
                "2024-03-03",
                "Schaut mal:\n\n<iframe width=\"560\" height=\"315\" src=\"https://www.youtube.com/embed/dQw4w9WgXcQ\" allowfullscreen></iframe>",
            ),
        )
        .post(
            "cdn.md",
            &post(
                "CDN",
                "2024-03-04",
                "Ein Widget:\n\n<script src=\"//cdn.example/x.js\"></script>",
            ),
        )
        // Last in its post: pulldown-cmark ends a `<script>` HTML block
        // only at a lower-case `</script>`, so the rest would be raw HTML.
        .post(
            "gross.md",
            &post("Groß", "2024-03-05", "Laut:\n\n<SCRIPT>alert(1)</SCRIPT>"),
        )
        .post(
            "onload.md",
            &post(
                "Onload",
                "2024-03-06",
                "Zählen:\n\n<p onload=\"zaehle()\">Hallo</p>",
            ),
        )
        .post(
            "srcset.md",
            &post(
                "Srcset",
                "2024-03-07",
                "Scharf:\n\n<img src=\"/bild.png\" srcset=\"/bild.png 1x, https://img.example/b.png 2x\" alt=\"\">",
            ),
        )
        .post(
            "svg.md",
            &post(
                "SVG",
                "2024-03-08",
                "Inline:\n\n<svg width=\"10\" height=\"10\"><image href=\"https://svg.example/i.png\"/></svg>",
            ),
        )
        .post(
            "entities.md",
            &post(
                "Entities",
                "2024-03-09",
                "Klick:\n\n<a href=\"&#106;avascript:alert(1)\">eins</a>\n\n<a href=\"java&#x09;script:alert(2)\">zwei</a>",
            ),
        )
        .post(
            "markdown.md",
            &post(
                "Markdown",
                "2024-03-10",
                "Ein Bild:\n\n![Ein Bild](https://cdn.example/a.png)",
            ),
        )
        .post(
            "links.md",
            &post(
                "Links",
                "2024-03-11",
                "Verweise:\n\nSiehe [dort](/gibtsnicht/) und [oben](#nirgends).",
            ),
        )
        .file("templates/base.html", &base_with_google_fonts())
        .file("templates/tags.html", &tags_with_base())
        .file(
            "static/fonts.css",
            "@import url(\"https://fonts.googleapis.com/css2?family=Lato\");\nbody { font-family: Lato, sans-serif; }\n",
        )
        .file("static/logo.svg", SVG_WITH_IMAGE)
        .bytes("static/bild.png", crate::support::PNG)
}

#[test]
fn every_tracker_of_the_catalogue_is_reported_where_it_was_written_in_one_run() {
    let site = hostile_site();
    let err = site.build().fails();
    let base = base_with_google_fonts();
    let tags = tags_with_base();
    let another = "which then learns who reads the page";
    for (headline, at) in [
        (
            "error: `<script src>` loads code from another host, `www.googletagmanager.com`"
                .to_string(),
            "content/posts/statistik.md:7:20".to_string(),
        ),
        (
            "error: `<script>` runs code in the reader's browser".into(),
            "content/posts/statistik.md:8:1".into(),
        ),
        (
            format!(
                "error: `<img src>` loads from another host, `pixel.tracker.example`, {another}"
            ),
            "content/posts/pixel.md:7:11".into(),
        ),
        (
            "error: `<iframe src>` embeds a page from another host, `www.youtube.com`".into(),
            "content/posts/video.md:7:39".into(),
        ),
        (
            "error: `<script src>` loads code from another host, `cdn.example`".into(),
            "content/posts/cdn.md:7:14".into(),
        ),
        (
            "error: `<script>` runs code in the reader's browser".into(),
            "content/posts/gross.md:7:1".into(),
        ),
        (
            "error: the `onload` attribute runs code in the reader's browser".into(),
            "content/posts/onload.md:7:4".into(),
        ),
        (
            format!("error: `<img srcset>` loads from another host, `img.example`, {another}"),
            "content/posts/srcset.md:7:44".into(),
        ),
        (
            format!("error: `<image href>` loads from another host, `svg.example`, {another}"),
            "content/posts/svg.md:7:42".into(),
        ),
        (
            "error: a `javascript:` URL in `<a href>` runs code in the reader's browser".into(),
            "content/posts/entities.md:7:10".into(),
        ),
        (
            "error: a `javascript:` URL in `<a href>` runs code in the reader's browser".into(),
            "content/posts/entities.md:9:10".into(),
        ),
        (
            format!("error: `<img src>` loads from another host, `cdn.example`, {another}"),
            "content/posts/markdown.md:7:13".into(),
        ),
        (
            "error: link to `/gibtsnicht/`, which this site does not have".into(),
            "content/posts/links.md:7:14".into(),
        ),
        (
            "error: link to `#nirgends`, but this page has no element with that id".into(),
            "content/posts/links.md:7:39".into(),
        ),
        (
            format!(
                "error: `<link href>` loads from another host, `fonts.googleapis.com`, {another}"
            ),
            position("templates/base.html", &base, GOOGLE_FONTS),
        ),
        (
            "error: `<base href>` points to another host, `elsewhere.example`".into(),
            position("templates/tags.html", &tags, "https://elsewhere"),
        ),
        (
            format!(
                "error: CSS `@import` loads from another host, `fonts.googleapis.com`, {another}"
            ),
            "static/fonts.css:1:9".into(),
        ),
        (
            format!("error: `<image href>` loads from another host, `svg.example`, {another}"),
            "static/logo.svg:2:16".into(),
        ),
    ] {
        assert_reported(&err, &headline, &at);
    }
    assert!(
        err.contains("\nerror: 18 errors; the build failed; "),
        "{err}"
    );
    // The source line and a caret under the URL, and which page showed it.
    let pixel = "https://pixel.tracker.example/pixel.gif";
    let frame = format!(
        "\n 7 | <img src=\"{pixel}\" width=1 height=1 alt=\"\">\n   |           {}\n",
        "^".repeat(pixel.len())
    );
    assert!(err.contains(&frame), "{err}");
    assert!(err.contains("  = note: on /posts/links/\n"), "{err}");
    assert!(!site.root().join("public").exists());
}

#[test]
fn the_catalogue_is_caught_in_each_post_on_its_own() {
    // No error hides behind another: each post alone fails the build, at
    // the same place as in the catalogue.
    for (name, body, at) in [
        (
            "pixel.md",
            "<img src=\"https://pixel.tracker.example/pixel.gif\" width=1 height=1>",
            "content/posts/pixel.md:5:11",
        ),
        (
            "gross.md",
            "<SCRIPT SRC=\"/x.js\"></SCRIPT>",
            "content/posts/gross.md:5:14",
        ),
        (
            "tab.md",
            "<a href=\"java&#x09;script:alert(2)\">k</a>",
            "content/posts/tab.md:5:10",
        ),
        (
            "protokoll.md",
            "![x](//cdn.example/a.png)",
            "content/posts/protokoll.md:5:6",
        ),
    ] {
        let site = TestSite::new().post(name, &post("Eins", "2024-01-01", body));
        let err = site.build().fails();
        assert!(err.contains(&format!("  --> {at}\n")), "{name}: {err}");
        assert!(err.contains("\nerror: 1 error; "), "{name}: {err}");
    }
}

/// The `<head>` of a page.
fn head(html: &str) -> &str {
    let start = html.find("<head>").unwrap();
    let end = html.find("</head>").unwrap();
    &html[start..end]
}

const CSP_META: &str = "<meta http-equiv=\"Content-Security-Policy\" content=\"";
const REFERRER_META: &str = "<meta name=\"referrer\" content=\"no-referrer\">";

#[track_caller]
fn assert_policy_in_head(html: &str, page: &str) {
    assert_eq!(html.matches(CSP_META).count(), 1, "{page}");
    assert_eq!(html.matches(REFERRER_META).count(), 1, "{page}");
    let head = head(html);
    assert!(
        head.contains(&format!("<meta charset=\"utf-8\">\n{CSP_META}")),
        "{page}: {head}"
    );
    let policy = head.split(CSP_META).nth(1).unwrap();
    let policy = &policy[..policy.find('"').unwrap()];
    // The sample blog searches: its search page alone lets echt's search
    // script run (tests/echt/search.rs).
    if page.ends_with("/suche/index.html") {
        assert!(
            policy.contains("script-src 'self'; connect-src 'self'"),
            "{page}: {policy}"
        );
    } else {
        assert!(policy.contains("script-src 'none'"), "{page}: {policy}");
    }
    assert!(
        policy.starts_with("default-src 'self';"),
        "{page}: {policy}"
    );
    assert!(head.contains(REFERRER_META), "{page}");
}

#[test]
fn the_sample_site_passes_and_every_page_carries_the_policy() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let result = echt(
        &[
            "build",
            "--root",
            &repo.to_string_lossy(),
            "--output",
            &public.to_string_lossy(),
        ],
        repo,
    );
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(result.status.success(), "{stderr}");
    assert!(!stderr.contains("error:"), "{stderr}");
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(&public)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
    {
        let html = std::fs::read_to_string(entry.path()).unwrap();
        assert_policy_in_head(&html, &entry.path().display().to_string());
        pages += 1;
    }
    assert!(pages >= 30, "only {pages} pages");
    assert!(public.join("datenschutz/index.html").exists());
    assert!(public.join("_headers").exists() && public.join("_nginx.conf").exists());
}

#[test]
fn a_template_without_head_tags_still_gets_the_policy() {
    // `<head>` and `<body>` may be left out in HTML; the page then has
    // neither the Content-Security-Policy nor `no-referrer`, silently.
    let site = TestSite::new()
        .file("content/seite.md", "---\ntitle: Seite\n---\nText.\n")
        .file(
            "templates/page.html",
            "<!doctype html>\n<meta charset=\"utf-8\">\n<title>{{ page.title }}</title>\n{{ page.content | safe }}\n",
        );
    let built = site.build().ok();
    let html = built.page("seite/");
    assert_eq!(html.matches(CSP_META).count(), 1, "{html}");
    assert_eq!(html.matches(REFERRER_META).count(), 1, "{html}");
}

#[test]
fn an_allowed_host_gets_through_and_is_declared() {
    let site = TestSite::new()
        .file(
            "echt.yaml",
            &config_with("privacy:\n  allow_hosts: [media.example.net]\n"),
        )
        .post(
            "a.md",
            &post(
                "A",
                "2024-01-01",
                "<img src=\"https://media.example.net/a.png\" alt=\"\">",
            ),
        );
    let built = site.build().ok();
    assert!(built.stderr().is_empty(), "{}", built.stderr());
    let page = built.page("posts/a/");
    assert!(page.contains("src=\"https://media.example.net/a.png\""));
    assert!(
        head(&page).contains("img-src 'self' data: media.example.net;"),
        "{page}"
    );
    let privacy = built.page("datenschutz/");
    assert!(
        privacy.contains("<code>media.example.net</code>"),
        "{privacy}"
    );
    let headers = built.page("_headers");
    assert!(
        headers.contains("Content-Security-Policy: default-src 'self' media.example.net;"),
        "{headers}"
    );
    assert!(built
        .page("_nginx.conf")
        .contains("img-src 'self' data: media.example.net;"));
}

#[test]
fn an_allowed_host_does_not_allow_look_alikes() {
    let err = TestSite::new()
        .file(
            "echt.yaml",
            &config_with("privacy:\n  allow_hosts: [media.example.net]\n"),
        )
        .post(
            "a.md",
            &post(
                "A",
                "2024-01-01",
                "<img src=\"https://media.example.net.evil.example/a.png\">\n\n<img src=\"https://media.example.net@evil.example/b.png\">",
            ),
        )
        .build()
        .fails();
    assert_reported(
        &err,
        "error: `<img src>` loads from another host, `media.example.net.evil.example`",
        "content/posts/a.md:5:11",
    );
    assert_reported(
        &err,
        "error: `<img src>` loads from another host, `evil.example`",
        "content/posts/a.md:7:11",
    );
}

#[test]
fn own_script_files_may_be_allowed_but_inline_scripts_never() {
    let site = TestSite::new()
        .file(
            "echt.yaml",
            &config_with("privacy:\n  allow_scripts: self\n"),
        )
        .file("static/js/a.js", "document.body.dataset.js = 'ja';\n")
        .post(
            "a.md",
            &post("A", "2024-01-01", "<script src=\"/js/a.js\"></script>"),
        );
    let built = site.build().ok();
    let page = built.page("posts/a/");
    assert!(page.contains("<script src=\"/js/a.js\"></script>"));
    assert!(head(&page).contains("script-src 'self';"), "{page}");
    assert!(built.page("_headers").contains("script-src 'self';"));

    let site = site.post(
        "b.md",
        &post("B", "2024-01-02", "Text.\n\n<script>alert(1)</script>"),
    );
    let err = site.build().fails();
    assert_reported(
        &err,
        "error: an inline `<script>` runs code in the reader's browser; only the site's own script files are allowed",
        "content/posts/b.md:7:1",
    );
    assert!(err.contains("\nerror: 1 error; "), "{err}");
}

#[test]
fn tracking_parameters_leave_pages_and_feeds_with_a_note() {
    let site = TestSite::new().post(
        "laden.md",
        &post(
            "Laden",
            "2024-01-01",
            "Gekauft bei [Laden](https://shop.example/p?id=4&utm_source=x&fbclid=y).",
        ),
    );
    let built = site.build().ok();
    let stderr = built.stderr();
    assert_reported(
        &stderr,
        "note: removed the tracking parameters `utm_source`, `fbclid` from a link to `shop.example`",
        "content/posts/laden.md:5:21",
    );
    assert!(!stderr.contains("error:"), "{stderr}");
    let page = built.page("posts/laden/");
    assert!(
        page.contains(
            "<a href=\"https://shop.example/p?id=4\" rel=\"noopener noreferrer\">Laden</a>"
        ),
        "{page}"
    );
    for feed in ["atom.xml", "rss.xml"] {
        let text = built.page(feed);
        assert!(
            text.contains("https://shop.example/p?id=4&quot;"),
            "{feed}: {text}"
        );
        assert!(
            !text.contains("utm_source") && !text.contains("fbclid"),
            "{feed}: {text}"
        );
    }
    let json = built.page("feed.json");
    assert!(json.contains("https://shop.example/p?id=4\\\""), "{json}");
    assert!(
        !json.contains("utm_source") && !json.contains("fbclid"),
        "{json}"
    );
    assert!(!page.contains("utm_source") && !page.contains("fbclid"));
}

#[test]
fn affiliate_redirects_are_warnings_and_the_build_goes_on() {
    let site = TestSite::new()
        .post(
            "buch.md",
            &post(
                "Buch",
                "2024-01-01",
                "Das [Buch](https://amzn.to/x) gibt es auch\n[hier](https://www.amazon.de/dp/3442?tag=lena-21).",
            ),
        );
    let built = site.build().ok();
    let stderr = built.stderr();
    assert_reported(
        &stderr,
        "warning: link through `amzn.to`, a redirect that counts clicks or pays commissions",
        "content/posts/buch.md:5:12",
    );
    assert_reported(
        &stderr,
        "warning: link with an Amazon affiliate tag (`tag=`)",
        "content/posts/buch.md:6:8",
    );
    assert!(built
        .page("posts/buch/")
        .contains("<a href=\"https://amzn.to/x\" rel=\"noopener noreferrer\">Buch</a>"));
}

#[test]
fn headers_files_carry_the_policy() {
    let site = TestSite::new().post("a.md", &post("A", "2024-01-01", "Text."));
    let built = site.build().ok();
    let headers = built.page("_headers");
    assert!(headers.contains("\n/*\n"), "{headers}");
    for line in [
        "  Content-Security-Policy: default-src 'self'; ",
        "  Referrer-Policy: no-referrer\n",
        "  Permissions-Policy: accelerometer=(), ",
    ] {
        assert!(headers.contains(line), "missing {line:?} in {headers}");
    }
    let nginx = built.page("_nginx.conf");
    for line in [
        "add_header Content-Security-Policy \"default-src 'self'; ",
        "add_header Referrer-Policy \"no-referrer\" always;\n",
        "add_header Permissions-Policy \"accelerometer=(), ",
    ] {
        assert!(nginx.contains(line), "missing {line:?} in {nginx}");
    }
    assert!(headers.contains("frame-ancestors 'self'"), "{headers}");
}

/// A post bundle with an image of `kilobytes`.
/// A post showing a picture of noise `width`×`height` pixels large,
/// written `as_written` (`bild.png`, `bild.png#as-is`).
fn heavy_site(width: u32, height: u32, as_written: &str) -> TestSite {
    TestSite::new()
        .post(
            "schwer/index.md",
            &post(
                "Schwer",
                "2024-01-01",
                &format!("Ein Foto:\n\n![Foto]({as_written})"),
            ),
        )
        .bytes("content/posts/schwer/bild.png", &noise_png(width, height))
}

#[test]
fn a_page_over_the_budget_is_a_warning() {
    // 460 × 460 × 3 bytes of noise: about 620 KB.
    let site = heavy_site(460, 460, "bild.png#as-is");
    let built = site.build().ok();
    let stderr = built.stderr();
    assert!(
        stderr.contains("warning: on a phone, this page weighs 6"),
        "{stderr}"
    );
    assert!(
        stderr.contains("with its stylesheets and images, more than the budget of 512 KB\n  --> /posts/schwer/\n  = hint: make images smaller, or raise `page_budget` in echt.yaml\n"),
        "{stderr}"
    );
    assert!(built.exists("posts/schwer/bild.png"));
}

#[test]
fn the_budget_counts_the_version_a_phone_loads() {
    // 1200 × 900 pixels of noise weigh about 3.2 MB; a phone loads the
    // version 800 pixels wide (about 1.4 MB), a desktop browser at twice
    // the density the original.
    let config = config_with("page_budget: 2 MB\n");
    let shown = heavy_site(1200, 900, "bild.png").file("echt.yaml", &config);
    let built = shown.build().ok();
    assert!(built.stderr().is_empty(), "{}", built.stderr());
    let page = built.page("posts/schwer/");
    assert!(page.contains("bild-800w.png 800w"), "{page}");
    let as_is = heavy_site(1200, 900, "bild.png#as-is").file("echt.yaml", &config);
    let stderr = as_is.build().ok().stderr();
    assert!(
        stderr.contains("warning: on a phone, this page weighs 3"),
        "{stderr}"
    );
}

#[test]
fn a_larger_budget_silences_the_warning() {
    let site = heavy_site(460, 460, "bild.png#as-is")
        .file("echt.yaml", &config_with("page_budget: 1 MB\n"));
    let built = site.build().ok();
    assert!(built.stderr().is_empty(), "{}", built.stderr());
}

#[test]
fn check_reports_weights_and_writes_nothing() {
    let site = TestSite::new().post("a.md", &post("A", "2024-01-01", "Text."));
    let checked = site.check_with(&[]).ok();
    let out = checked.stdout();
    assert!(
        out.starts_with("Page weight on a phone (with stylesheets, images and fonts):\n"),
        "{out}"
    );
    assert!(out.contains("  /posts/a/\n"), "{out}");
    assert!(out.contains("; budget 512 KB\n"), "{out}");
    assert!(
        out.ends_with(
            "echt: no scripts, no cookies, nothing loaded from other hosts, no broken links\n"
        ),
        "{out}"
    );
    assert!(!site.root().join("public").exists());
    site.assert_no_leftovers();
}

#[test]
fn check_fails_on_a_tracker_with_the_same_located_error() {
    let site = TestSite::new().post(
        "pixel.md",
        &post(
            "Pixel",
            "2024-01-01",
            "<img src=\"https://pixel.tracker.example/p.gif\">",
        ),
    );
    let err = site.check_with(&[]).fails();
    assert_reported(
        &err,
        "error: `<img src>` loads from another host, `pixel.tracker.example`",
        "content/posts/pixel.md:5:11",
    );
    assert!(
        err.ends_with("\nerror: the check found 1 problem\n"),
        "{err}"
    );
    assert!(!site.root().join("public").exists());
}

/// A web server on a free loopback port that answers 200 for `/ok` and
/// 404 for anything else; its address without a trailing slash.
fn link_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            answer(stream);
        }
    });
    address
}

fn answer(mut stream: TcpStream) {
    let mut reader = BufReader::new(&stream);
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    let mut header = String::new();
    while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
        header.clear();
    }
    let mut parts = request.split_whitespace();
    let method = parts.next().unwrap_or_default();
    let (status, body) = match parts.next() {
        Some("/ok") => ("200 OK", "da"),
        _ => ("404 Not Found", "weg"),
    };
    let sent = if method == "HEAD" { "" } else { body };
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n{sent}",
        body.len()
    );
}

/// A site whose post links to `links` (line 5 onwards, one a line).
fn site_linking_to(links: &[String]) -> TestSite {
    let body: Vec<String> = links.iter().map(|l| format!("[Link]({l})")).collect();
    TestSite::new().post("links.md", &post("Links", "2024-01-01", &body.join("\n")))
}

#[test]
fn check_external_fails_on_a_link_that_is_gone() {
    let server = link_server();
    let gone = format!("{server}/gone");
    let site = site_linking_to(&[format!("{server}/ok"), gone.clone()]);
    let err = site.check_with(&["--external", "--timeout", "5"]).fails();
    assert!(
        err.starts_with(&format!(
            "error: outbound link to {gone} fails: answers 404\n"
        )),
        "{err}"
    );
    assert!(!err.contains("/ok"), "{err}");
    assert!(
        err.ends_with("\nerror: the check found 1 problem\n"),
        "{err}"
    );
    assert!(!site.root().join("public").exists());
}

#[test]
fn check_external_names_the_post_of_a_link_that_is_gone() {
    let server = link_server();
    let site = site_linking_to(&[format!("{server}/ok"), format!("{server}/gone")]);
    let err = site.check_with(&["--external", "--timeout", "5"]).fails();
    assert_reported(
        &err,
        &format!("error: outbound link to {server}/gone fails"),
        "content/posts/links.md:6:8",
    );
}

#[test]
fn check_external_passes_when_every_link_answers() {
    let server = link_server();
    let site = site_linking_to(&[format!("{server}/ok")]);
    let checked = site.check_with(&["--external", "--timeout", "5"]).ok();
    assert!(
        checked.stdout().contains("\n1 outbound links answer.\n"),
        "{}",
        checked.stdout()
    );
}

#[test]
fn a_tracker_added_after_a_good_build_leaves_public_byte_identical() {
    let site = TestSite::new()
        .post("gut.md", &post("Gut", "2024-01-01", "Alles gut."))
        .file("static/style-extra.css", "p { color: green; }\n");
    site.build().ok();
    let before = snapshot(&site.root().join("public"));
    assert!(before.contains_key("posts/gut/index.html"));
    let site = site.post(
        "neu.md",
        &post(
            "Neu",
            "2024-01-02",
            "Danke an <img src=\"https://pixel.tracker.example/p.gif\">",
        ),
    );
    let err = site.build().fails();
    assert!(err.contains("  --> content/posts/neu.md:5:20\n"), "{err}");
    assert!(err.contains(" was left unchanged\n"), "{err}");
    assert!(
        snapshot(&site.root().join("public")) == before,
        "public/ changed"
    );
    site.assert_no_leftovers();
}

#[test]
fn a_finding_is_not_blamed_on_a_post_that_quotes_it() {
    // The feeds carry both posts; the script of the older post is found
    // again in the newer post's code span (case-insensitively), and the
    // newer post gets an error for harmless text.
    let err = TestSite::new()
        .post(
            "alt.md",
            &post("Alt", "2024-01-01", "Text.\n\n<script>alert(1)</script>"),
        )
        .post(
            "neu.md",
            &post(
                "Neu",
                "2024-02-01",
                "Schreibt nie `<SCRIPT>` in einen Beitrag.",
            ),
        )
        .build()
        .fails();
    assert_reported(
        &err,
        "error: `<script>` runs code",
        "content/posts/alt.md:7:1",
    );
    assert!(!err.contains("content/posts/neu.md"), "{err}");
}

#[test]
fn a_template_finding_is_not_blamed_on_a_post_that_quotes_it() {
    let base = base_with_google_fonts();
    let err = TestSite::new()
        .file("templates/base.html", &base)
        .post(
            "a.md",
            &post(
                "A",
                "2024-01-01",
                &format!(
                    "So bitte nicht:\n\n    <link rel=\"stylesheet\" href=\"{GOOGLE_FONTS}\">"
                ),
            ),
        )
        .build()
        .fails();
    assert_reported(
        &err,
        "error: `<link href>` loads from another host, `fonts.googleapis.com`",
        &position("templates/base.html", &base, GOOGLE_FONTS),
    );
    assert!(!err.contains("content/posts/a.md"), "{err}");
}

#[test]
fn the_html_of_an_iframe_srcdoc_is_audited() {
    let err = TestSite::new()
        .post(
            "a.md",
            &post(
                "A",
                "2024-01-01",
                "<iframe srcdoc=\"<img src=https://x.example/a.png>\"></iframe>",
            ),
        )
        .build()
        .fails();
    assert!(err.contains("`x.example`"), "{err}");
}

#[test]
fn a_markdown_link_with_a_character_reference_is_located_in_its_post() {
    // pulldown-cmark decodes `&#106;` in the link destination, so the
    // text of the output is not in the post: the Markdown stage refuses
    // the link where it is written, once.
    let err = TestSite::new()
        .post(
            "entity.md",
            &post("Eins", "2024-01-01", "[x](&#106;avascript:alert(1))"),
        )
        .build()
        .fails();
    assert_reported(
        &err,
        "error: a `javascript:` link runs code in the reader's browser",
        "content/posts/entity.md:5:1",
    );
    assert!(err.contains("\nerror: 1 error; "), "{err}");
}

#[test]
fn a_template_finding_is_not_blamed_on_a_post_that_mentions_the_url_as_text() {
    let base = base_with_google_fonts();
    let err = TestSite::new()
        .file("templates/base.html", &base)
        .post(
            "a.md",
            &post(
                "A",
                "2024-01-01",
                &format!("Früher lud dieses Blog {GOOGLE_FONTS} und damit Googles Zähler."),
            ),
        )
        .build()
        .fails();
    assert_reported(
        &err,
        "error: `<link href>` loads from another host, `fonts.googleapis.com`",
        &position("templates/base.html", &base, GOOGLE_FONTS),
    );
    assert!(!err.contains("content/posts/a.md"), "{err}");
}

#[test]
fn a_javascript_url_in_echt_yaml_is_reported_once_in_echt_yaml() {
    let config = format!("{CONFIG}  url: \"javascript:alert(1)\"\n");
    let err = TestSite::new()
        .file("echt.yaml", &config)
        .post("a.md", &post("A", "2024-01-01", "Text."))
        .post("b.md", &post("B", "2024-01-02", "Text."))
        .build()
        .fails();
    assert_reported(
        &err,
        "error: a `javascript:` URL in `<a href>` runs code in the reader's browser",
        &position("echt.yaml", &config, "javascript:alert(1)"),
    );
    // Once for all pages, once for each feed format that shows it as the
    // author's link (Atom's `<uri>`, the JSON feed's `url`); all in
    // echt.yaml.
    assert_reported(
        &err,
        "error: a `javascript:` URL in the feed's `<uri>` runs code in a feed reader",
        &position("echt.yaml", &config, "javascript:alert(1)"),
    );
    assert_reported(
        &err,
        "error: a `javascript:` URL in the feed's `url` runs code in a feed reader",
        &position("echt.yaml", &config, "javascript:alert(1)"),
    );
    assert_eq!(err.matches("  --> echt.yaml:6:9\n").count(), 3, "{err}");
    assert!(err.contains("\nerror: 3 errors; "), "{err}");
}

#[test]
fn thousands_of_anchor_links_and_footnotes_in_one_post_build() {
    // Each link to an anchor on another page used to be located in the
    // sources on the spot, parsing them again for every link.
    let mut body = String::new();
    for i in 0..4000 {
        body.push_str(&format!("[Teil {i}](ziel.md#teil-{})\n", i % 20));
    }
    for i in 0..2000 {
        body.push_str(&format!("\nSatz {i}.[^{i}]\n"));
    }
    for i in 0..2000 {
        body.push_str(&format!("\n[^{i}]: Fußnote {i}.\n"));
    }
    let headings: String = (0..20)
        .map(|i| format!("\n## Teil {i}\n\nText.\n"))
        .collect();
    let site = TestSite::new()
        .post("ziel.md", &post("Ziel", "2024-01-01", &headings))
        .post("viel.md", &post("Viel", "2024-01-02", &body));
    let built = site.build().ok();
    assert!(built.page("posts/viel/").contains("id=\"fn-2000\""));
    // One anchor that is missing is still found and located.
    let site = site.post(
        "fehlt.md",
        &post("Fehlt", "2024-01-03", "[Nirgends](ziel.md#gibts-nicht)"),
    );
    let err = site.build().fails();
    assert_reported(
        &err,
        "error: link to `#gibts-nicht` on /posts/ziel/, which has no element with that id",
        "content/posts/fehlt.md:5:19",
    );
}

#[test]
fn an_invisible_character_before_the_doctype_is_an_error_in_the_template() {
    // It starts the body before `<head>`: echt's policy `<meta>` would land
    // in the body, where browsers ignore it.
    let base = format!("\u{200B}{}", theme_file("templates/base.html"));
    let err = TestSite::new()
        .file("templates/base.html", &base)
        .post("a.md", &post("A", "2024-01-01", "Text."))
        .build()
        .fails();
    assert_reported(
        &err,
        "error: echt's Content-Security-Policy `<meta>` ends up outside `<head>`, where browsers ignore it: the invisible character U+200B starts the page's body early",
        "templates/base.html:1:1",
    );
    assert!(err.contains("\nerror: 2 errors; "), "{err}");
}

#[test]
fn markup_a_streaming_parser_cannot_decide_fails_the_build() {
    let err = TestSite::new()
        .post(
            "a.md",
            &post(
                "A",
                "2024-01-01",
                "<select><style>x{}</style></select>\n\n<img src=\"https://pixel.tracker.example/p.gif\" alt=\"\">",
            ),
        )
        .build()
        .fails();
    assert!(
        err.contains("error: echt cannot rewrite this page with certainty: The parser has encountered a text content tag (`<style>`)"),
        "{err}"
    );
    assert_reported(
        &err,
        "error: `<img src>` loads from another host, `pixel.tracker.example`",
        "content/posts/a.md:7:11",
    );
}

/// The files of a site with phone pictures in every place a blog keeps
/// them (the theme's static files aside): `static/`, a post's bundle, and
/// one without a telling name.
fn site_with_phone_pictures() -> TestSite {
    use crate::photos;
    TestSite::new()
        .post(
            "reise/index.md",
            &post("Reise", "2024-05-01", "![Gipfel](gipfel.jpg)\n"),
        )
        .bytes("content/posts/reise/gipfel.jpg", &photos::phone_jpeg())
        .bytes("static/foto.jpg", &photos::phone_jpeg())
        .bytes(
            "static/doppelt.jpg",
            &[photos::jpeg(&[]), photos::phone_jpeg()].concat(),
        )
        .bytes(
            "static/karte.png",
            &photos::png_with_exif(&photos::tiff(true, true)),
        )
        .bytes(
            "static/karte.webp",
            &photos::webp_with_exif(photos::tiff(true, false)),
        )
        .bytes("static/ohne-namen", &photos::phone_jpeg())
}

#[test]
fn copied_pictures_are_published_without_location_data() {
    use crate::photos;
    let site = site_with_phone_pictures();
    let built = site.build().ok();
    for file in [
        "posts/reise/gipfel.jpg",
        "foto.jpg",
        "doppelt.jpg",
        "karte.png",
        "karte.webp",
        "ohne-namen",
    ] {
        let bytes = std::fs::read(built.public.join(file))
            .unwrap_or_else(|e| panic!("{file}: {e} in {:?}", built.files()));
        assert_eq!(photos::gps_fields(&bytes), Ok(Vec::new()), "{file}");
        assert!(!photos::names_a_position(&bytes), "{file} names a position");
        assert!(
            !bytes.windows(10).any(|w| w == b"Testkamera"),
            "{file} still names the camera"
        );
    }
    // Still pictures: the JPEGs decode to what they showed.
    let original = jpeg_decoder::Decoder::new(&photos::phone_jpeg()[..])
        .decode()
        .unwrap();
    let published = std::fs::read(built.public.join("foto.jpg")).unwrap();
    let published = jpeg_decoder::Decoder::new(&published[..]).decode().unwrap();
    assert_eq!(published, original);
    // The second picture after the first one's end is gone with its
    // position.
    let doppelt = std::fs::read(built.public.join("doppelt.jpg")).unwrap();
    assert_eq!(doppelt, photos::jpeg(&[]));
}

#[test]
fn a_kept_picture_is_published_as_it_is_and_listed_on_the_privacy_page() {
    use crate::photos;
    let site = site_with_phone_pictures()
        .bytes("static/karte.tif", &photos::tiff(true, false))
        .file(
            "echt.yaml",
            &config_with(
                "privacy:\n  keep_metadata: [static/karte.tif, content/posts/reise/gipfel.jpg]\n",
            ),
        );
    let built = site.build().ok();
    assert_eq!(
        std::fs::read(built.public.join("karte.tif")).unwrap(),
        photos::tiff(true, false)
    );
    assert_eq!(
        std::fs::read(built.public.join("posts/reise/gipfel.jpg")).unwrap(),
        photos::phone_jpeg()
    );
    // What is not named is still cleaned.
    let foto = std::fs::read(built.public.join("foto.jpg")).unwrap();
    assert_eq!(photos::gps_fields(&foto), Ok(Vec::new()));
    let privacy = built.page("datenschutz/");
    for (href, shown) in [
        ("../karte.tif", "karte.tif"),
        ("../posts/reise/gipfel.jpg", "posts/reise/gipfel.jpg"),
    ] {
        let item = format!(
            "<li><a href=\"{href}\"><code>{shown}</code></a> behält seine Metadaten, womöglich auch den Ort, an dem es aufgenommen wurde.</li>"
        );
        assert!(privacy.contains(&item), "{item} missing in:\n{privacy}");
    }
    // Without an allowance, the page says only that pictures are clean.
    let plain_site = site_with_phone_pictures();
    let plain = plain_site.build().ok();
    let privacy = plain.page("datenschutz/");
    assert!(privacy.contains("Die Bilder dieser Website verraten nicht, wo sie aufgenommen wurden"));
    assert!(!privacy.contains("behält seine Metadaten"));
}

#[test]
fn a_picture_echt_cannot_clean_fails_with_its_source_and_a_hint() {
    use crate::photos;
    let err = TestSite::new()
        .bytes("static/karte.tif", &photos::tiff(true, false))
        .bytes("static/foto.heic", &photos::heic(false, true))
        .build()
        .fails();
    assert_reported(
        &err,
        "error: /karte.tif carries location data (TIFF): EXIF GPS fields (GPSLatitudeRef, GPSLatitude, GPSLongitudeRef, GPSLongitude)",
        "static/karte.tif",
    );
    assert!(
        err.contains("= hint: echt removes metadata from JPEG, PNG, WebP and GIF files only: export the picture as one of those; to publish it as it is, metadata and all, allow it in echt.yaml: `privacy: {keep_metadata: [static/karte.tif]}`"),
        "{err}"
    );
    assert_reported(
        &err,
        "error: /foto.heic carries location data (HEIF): metadata naming a position (e:GPSLatitude)",
        "static/foto.heic",
    );
}
