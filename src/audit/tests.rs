use std::path::Path;

use super::rules::{srcset_candidates, Checker};
use super::*;
use crate::source::config::Config;

fn policy(extra: &str) -> Policy {
    let config = Config::parse(
        Path::new("/site"),
        &format!("title: B\nbase_url: https://blog.example/sub/\n{extra}"),
    );
    match config {
        Ok(c) => Policy::new(&c),
        Err(e) => panic!("{e}"),
    }
}

/// The messages of everything found in `body` on the page `posts/a/`.
fn findings_with(policy: &Policy, body: &str) -> Vec<String> {
    let page = Page::new(policy, "posts/a/index.html");
    let html =
        format!("<!doctype html><html><head><title>t</title></head><body>{body}</body></html>");
    html::audit_page(policy, &page, &html)
        .checker
        .findings
        .iter()
        .filter(|f| {
            !f.message
                .starts_with("echt cannot be sure how browsers read")
        })
        .map(|f| format!("{}: {}", f.severity.label(), f.message))
        .collect()
}

fn findings(body: &str) -> Vec<String> {
    findings_with(&policy(""), body)
}

fn one(body: &str, expected: &str) {
    let found = findings(body);
    assert!(
        found.len() == 1 && found[0].contains(expected),
        "{body}\n  expected one finding with `{expected}`, got {found:?}"
    );
}

#[test]
fn scripts_in_every_spelling() {
    one("<script>alert(1)</script>", "`<script>` runs code");
    one("<SCRIPT SRC=x.js></SCRIPT>", "`<script>` runs code");
    one(
        "<script src=\"https://www.googletagmanager.com/gtag/js?id=G-1\"></script>",
        "loads code from another host, `www.googletagmanager.com`",
    );
    one(
        "<img src=a.png alt=\"\" onload=\"x()\">",
        "the `onload` attribute",
    );
    one("<body ONLOAD=x()>", "the `onload` attribute");
    one("<a href=\"javascript:alert(1)\">x</a>", "`javascript:` URL");
    one(
        "<a href=\"&#106;ava&#x09;script&colon;alert(1)\">x</a>",
        "`javascript:` URL",
    );
    one(
        "<a href=\" JaVaScRiPt:alert(1)\">x</a>",
        "`javascript:` URL",
    );
    one(
        "<svg><a xlink:href=\"javascript:x\"><text>x</text></a></svg>",
        "`javascript:` URL",
    );
}

#[test]
fn resources_from_other_hosts() {
    one(
        "<img src=\"https://pixel.tracker.example/p.gif\" alt=\"\">",
        "`<img src>` loads from another host, `pixel.tracker.example`",
    );
    one(
        "<img src=\"//cdn.example/x.png\" alt=\"\">",
        "`cdn.example`",
    );
    one(
        "<img src=\"/\\cdn.example/x.png\" alt=\"\">",
        "`cdn.example`",
    );
    one(
        "<img src=\"HTTPS://CDN.Example/x.png\" alt=\"\">",
        "`cdn.example`",
    );
    one(
        "<img src=\"&#104;ttps://cdn.example/x.png\" alt=\"\">",
        "`cdn.example`",
    );
    one(
        "<img src=a.png srcset=\"a.png 1x, https://cdn.example/b.png 2x\" alt=\"\">",
        "`<img srcset>` loads from another host, `cdn.example`",
    );
    one(
        "<picture><source srcset=\"//img.example/a.webp\"><img src=a.png alt=\"\"></picture>",
        "`<source srcset>`",
    );
    one(
        "<video src=\"https://v.example/a.mp4\"></video>",
        "`<video src>`",
    );
    one(
        "<video src=a.mp4 poster=\"https://v.example/a.jpg\"></video>",
        "`<video poster>`",
    );
    one(
        "<audio><source src=\"https://a.example/a.mp3\"></audio>",
        "`<source src>`",
    );
    one(
        "<video src=a.mp4><track src=\"https://a.example/t.vtt\"></video>",
        "`<track src>`",
    );
    one(
        "<iframe src=\"https://www.youtube.com/embed/x\"></iframe>",
        "embeds a page from another host, `www.youtube.com`",
    );
    one("<object data=x.swf></object>", "`<object>` embeds");
    one(
        "<iframe srcdoc=\"&lt;img src=&quot;https://cdn.example/a.png&quot;&gt;\"></iframe>",
        "`<img src>` loads from another host, `cdn.example`",
    );
    one("<embed src=x.swf>", "`<embed>` embeds");
    one(
        "<link rel=stylesheet href=\"https://fonts.googleapis.com/css2?family=Inter\">",
        "`<link href>` loads from another host, `fonts.googleapis.com`",
    );
    one(
        "<link rel=\"dns-prefetch\" href=\"//fonts.gstatic.com\">",
        "`fonts.gstatic.com`",
    );
    one(
        "<link rel=preconnect href=\"https://fonts.gstatic.com\">",
        "`fonts.gstatic.com`",
    );
    one(
        "<link rel=\"shortcut icon\" href=\"https://cdn.example/i.ico\">",
        "`cdn.example`",
    );
    one(
        "<link rel=manifest href=\"https://cdn.example/m.json\">",
        "`cdn.example`",
    );
    one(
        "<form action=\"https://newsletter.example/subscribe\"></form>",
        "sends what readers type to another host, `newsletter.example`",
    );
    one(
        "<meta http-equiv=\"refresh\" content=\"0; URL='https://else.example/'\">",
        "sends readers on to another host, `else.example`",
    );
    one(
        "<base href=\"https://evil.example/\">",
        "`<base href>` points to another host, `evil.example`",
    );
    one(
        "<svg><image href=\"https://img.example/a.png\"/></svg>",
        "`<image href>`",
    );
    one(
        "<svg><use xlink:href=\"https://img.example/s.svg#i\"/></svg>",
        "`<use xlink:href>`",
    );
    one(
        "<table background=\"https://img.example/bg.gif\"></table>",
        "`<table background>`",
    );
    one(
        "<a href=\"https://example.org/\" ping=\"https://t.example/\">x</a>",
        "the `ping` attribute",
    );
    one(
        "<meta name=\"referrer\" content=\"unsafe-url\">",
        "own referrer policy `unsafe-url`",
    );
}

#[test]
fn own_files_allowed_hosts_and_plain_links_are_fine() {
    assert_eq!(
        findings("<a href=\"https://other.example/page\">the web</a>"),
        Vec::<String>::new()
    );
    assert_eq!(
        findings("<a href=\"mailto:a@b.example\">mail</a>"),
        Vec::<String>::new()
    );
    assert_eq!(
        findings("<img src=\"data:image/gif;base64,R0lGOD\" alt=\"\">"),
        Vec::<String>::new()
    );
    assert_eq!(
        findings("<img src=\"https://blog.example/sub/index.html\" alt=\"\"><link rel=canonical href=\"https://blog.example/sub/posts/a/\"><link rel=me href=\"https://social.example/@a\">"),
        Vec::<String>::new()
    );
    let allowed = policy("privacy:\n  allow_hosts: [media.example.net, '*.cdn.example']\n");
    assert_eq!(
        findings_with(&allowed, "<img src=\"https://media.example.net/a.png\" alt=\"\"><img src=\"https://x.cdn.example/a.png\" alt=\"\">"),
        Vec::<String>::new()
    );
    assert_eq!(
        findings_with(&allowed, "<img src=\"https://cdn.example/a.png\" alt=\"\">").len(),
        1
    );
    let scripts = policy("privacy:\n  allow_scripts: self\n");
    assert_eq!(
        findings_with(&scripts, "<script src=\"../../app.js\"></script>"),
        Vec::<String>::new()
    );
    assert_eq!(findings_with(&scripts, "<script>x()</script>").len(), 1);
    assert_eq!(
        findings_with(
            &scripts,
            "<script src=\"https://cdn.example/a.js\"></script>"
        )
        .len(),
        1
    );
}

#[test]
fn urls_resolve_like_a_browser_reads_them() {
    let p = policy("");
    let page = Page::new(&p, "posts/a/index.html");
    let site = |file: &str, fragment: Option<&str>| Target::Site {
        file: file.into(),
        fragment: fragment.map(str::to_string),
    };
    assert_eq!(p.judge(&page, "../../"), site("index.html", None));
    assert_eq!(
        p.judge(&page, "../b/#x"),
        site("posts/b/index.html", Some("x"))
    );
    assert_eq!(
        p.judge(&page, "#fn-1"),
        site("posts/a/index.html", Some("fn-1"))
    );
    assert_eq!(
        p.judge(&page, "bild%20eins.jpg"),
        site("posts/a/bild eins.jpg", None)
    );
    assert_eq!(p.judge(&page, "/sub/tags/"), site("tags/index.html", None));
    assert_eq!(p.judge(&page, "/sub"), site("index.html", None));
    assert_eq!(p.judge(&page, "/other/"), Target::OwnHost);
    assert_eq!(
        p.judge(&page, "https://blog.example/sub/style.css?v=2"),
        site("style.css", None)
    );
    assert_eq!(
        p.judge(&page, "http://blog.example/sub/"),
        Target::Foreign("blog.example".into())
    );
    assert_eq!(
        p.judge(&page, "//evil.example/x"),
        Target::Foreign("evil.example".into())
    );
    assert_eq!(p.judge(&page, "java\nscript:x"), Target::Script);
    assert_eq!(p.judge(&page, "mailto:a@b"), Target::Other("mailto".into()));
}

#[test]
fn tracking_parameters_leave_outbound_links() {
    let strip = |url| super::tracking::strip(url, "shop.example");
    let (cleaned, removed) =
        strip("https://shop.example/p?id=4&utm_source=x&UTM_Medium=y&fbclid=z#top");
    assert_eq!(cleaned, "https://shop.example/p?id=4#top");
    assert_eq!(removed, ["utm_source", "UTM_Medium", "fbclid"]);
    assert_eq!(strip("https://a.example/?gclid=1").0, "https://a.example/");
    assert_eq!(strip("https://a.example/?q=utm_source").1.len(), 0);

    let p = policy("");
    let page = Page::new(&p, "posts/a/index.html");
    let html = "<head></head><p><a href=\"https://shop.example/p?id=4&amp;utm_source=news&amp;mc_eid=9\" rel=\"me\">x</a> <a href=\"../b/\">b</a></p>";
    let audited = html::audit_page(&p, &page, html);
    assert!(
        audited.html.contains(
            "<a href=\"https://shop.example/p?id=4\" rel=\"me noopener noreferrer\">x</a>"
        ),
        "{}",
        audited.html
    );
    assert!(
        audited.html.contains("<a href=\"../b/\">b</a>"),
        "{}",
        audited.html
    );
    assert!(audited.html.starts_with(
        "<head>\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'"
    ));
    let notes: Vec<&str> = audited.notes.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(
        notes,
        ["removed the tracking parameters `utm_source`, `mc_eid` from a link to `shop.example`"]
    );
}

#[test]
fn affiliate_redirects_are_warnings() {
    assert_eq!(
        findings("<a href=\"https://amzn.to/3xyz\">Buch</a>"),
        ["warning: link through `amzn.to`, a redirect that counts clicks or pays commissions"]
    );
    assert_eq!(
        findings("<a href=\"https://www.amazon.de/dp/123?tag=lena-21\">Buch</a>"),
        ["warning: link with an Amazon affiliate tag (`tag=`)"]
    );
}

#[test]
fn srcset_candidates_and_their_descriptors() {
    assert_eq!(
        srcset_candidates("a.png 1x, b.png 2x"),
        [("a.png", "1x"), ("b.png", "2x")]
    );
    assert_eq!(srcset_candidates("a.png,b.png"), [("a.png,b.png", "")]);
    assert_eq!(
        srcset_candidates(" a.png, b.png 800w"),
        [("a.png", ""), ("b.png", "800w")]
    );
    assert_eq!(
        srcset_candidates("a.png 1x (x, y), c.png"),
        [("a.png", "1x (x, y)"), ("c.png", "")]
    );
}

#[test]
fn ids_and_links_are_collected() {
    let p = policy("");
    let page = Page::new(&p, "posts/a/index.html");
    let html = "<h2 id=\"eins\">x</h2><a name=\"alt\"></a><a href=\"#eins\">1</a><a href=\"../b/#zwei\">2</a><img src=\"bild.png\" alt=\"\">";
    let mut checker = Checker::new(&p, &page);
    html::judge_document(&mut checker, html);
    assert_eq!(checker.ids, ["eins", "alt"]);
    let links: Vec<(&str, Option<&str>)> = checker
        .links
        .iter()
        .map(|l| (l.file.as_str(), l.fragment.as_deref()))
        .collect();
    assert_eq!(
        links,
        [
            ("posts/a/index.html", Some("eins")),
            ("posts/b/index.html", Some("zwei")),
            ("posts/a/bild.png", None)
        ]
    );
    assert_eq!(checker.resources, ["posts/a/bild.png"]);
}

#[test]
fn svg_and_feeds_are_read_as_xml() {
    let p = policy("");
    let page = Page::new(&p, "logo.svg");
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">\n<script>x()</script>\n<image xlink:href=\"https://img.example/a.png\"/>\n<rect onclick=\"x()\"/></svg>";
    let mut checker = Checker::new(&p, &page);
    xml::judge(&mut checker, svg, xml::Kind::Document);
    let found: Vec<String> = checker.findings.iter().map(|f| f.message.clone()).collect();
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(found[1].contains("`img.example`"), "{found:?}");

    let page = Page::new(&p, "atom.xml");
    let feed = "<?xml version=\"1.0\"?><?xml-stylesheet href=\"https://style.example/feed.xsl\" type=\"text/xsl\"?><feed><entry><content type=\"html\">&lt;img src=\"https://pixel.example/p.gif\"&gt;</content></entry></feed>";
    let mut checker = Checker::new(&p, &page);
    let fragments = super::Fragments::default();
    xml::judge(&mut checker, feed, xml::Kind::Feed(&fragments));
    let found: Vec<String> = checker.findings.iter().map(|f| f.message.clone()).collect();
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found[0].contains("XSLT") && found[1].contains("`pixel.example`"),
        "{found:?}"
    );
}

#[test]
fn tracking_parameters_leave_svg_and_mathml_links_too() {
    let p = policy("");
    let page = Page::new(&p, "posts/a/index.html");
    let html = "<!doctype html><html><head><title>t</title></head><body><svg><a xlink:href=\"https://shop.example/?utm%5Fsource=x&amp;id=1\"><text>s</text></a><a href=\"https://shop.example/?mtm_kwd=y\"><text>t</text></a></svg><math><mi href=\"https://shop.example/?xtor=z\">m</mi></math></body></html>";
    let audited = html::audit_page(&p, &page, html);
    assert!(
        audited
            .html
            .contains("xlink:href=\"https://shop.example/?id=1\""),
        "{}",
        audited.html
    );
    assert!(
        audited
            .html
            .contains("<a href=\"https://shop.example/\"><text>t</text>"),
        "{}",
        audited.html
    );
    assert!(
        audited.html.contains("<mi href=\"https://shop.example/\">"),
        "{}",
        audited.html
    );
    let notes: Vec<&str> = audited.notes.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(
        notes,
        [
            "removed the tracking parameter `utm_source` from a link to `shop.example`",
            "removed the tracking parameter `mtm_kwd` from a link to `shop.example`",
            "removed the tracking parameter `xtor` from a link to `shop.example`"
        ]
    );
    assert!(
        audited.checker.findings.is_empty(),
        "{:?}",
        audited.checker.findings
    );
}

#[test]
fn svg_animations_that_set_urls_or_handlers() {
    one(
        "<svg><image href=\"a.png\"><set attributeName=\"href\" to=\"https://img.example/b.png\"/></image></svg>",
        "`<set to>` loads from another host, `img.example`",
    );
    one(
        "<svg><a href=\"#\"><animate attributeName=\"xlink:href\" values=\"#;javascript:alert(1)\"/></a></svg>",
        "`javascript:` URL in `<animate values>`",
    );
    one(
        "<svg><rect><set attributeName=\"onclick\" to=\"alert(1)\"/></rect></svg>",
        "sets the event handler `onclick`",
    );
    one(
        "<svg><rect fill=\"url(https://img.example/p.svg#p)\"/></svg>",
        "CSS `url()` loads from another host, `img.example`",
    );
}

#[test]
fn the_policy_must_come_first_in_the_head_of_the_tree() {
    let p = policy("");
    let page = Page::new(&p, "posts/a/index.html");
    let found = |html: &str| -> Vec<String> {
        html::audit_page(&p, &page, html)
            .checker
            .findings
            .iter()
            .map(|f| f.message.clone())
            .filter(|m| m.contains("Content-Security-Policy"))
            .collect()
    };
    assert!(found("<!doctype html><html><head><meta charset=\"utf-8\"><title>t</title></head><body></body></html>").is_empty());
    let invisible = found("\u{200B}<!doctype html><html><head><meta charset=\"utf-8\"><title>t</title></head><body></body></html>");
    assert_eq!(invisible.len(), 1, "{invisible:?}");
    assert!(
        invisible[0].contains("outside `<head>`") && invisible[0].contains("U+200B"),
        "{invisible:?}"
    );
}

#[test]
fn found_by_fuzzing() {
    // An SVG script without attributes was skipped with the attribute-less
    // elements.
    one(
        "<svg><script>alert(1)</script></svg>",
        "`<script>` runs code",
    );
    // A `data:` document in `<use>` loads what it names.
    one(
        "<svg><use href=\"data:image/svg+xml,%3Csvg xmlns=%27http://www.w3.org/2000/svg%27%3E%3Cimage id=%27a%27 href=%27https://evil.example/x.png%27/%3E%3C/svg%3E#a\"/></svg>",
        "`evil.example`",
    );
    // A refresh whose `url=` is broken by control characters still names
    // another host: refused, whatever a browser would make of it.
    one(
        "<meta http-equiv=\"refresh\" content=\"0; ur\u{16}\u{16}l=https://evil.example/t.js\">",
        "another host, `evil.example`",
    );
    // Browsers take `type="text/xml"` as XSLT.
    let p = policy("");
    let page = Page::new(&p, "x.svg");
    let mut checker = Checker::new(&p, &page);
    xml::judge(
        &mut checker,
        "<?xml-stylesheet type=\"text/xml\" href=\"img/b.svg\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        xml::Kind::Document,
    );
    assert!(
        checker.findings.iter().any(|f| f.message.contains("XSLT")),
        "{:?}",
        checker.findings
    );
}

/// Pages that take the one-parse way publish exactly what lol_html's pass
/// and a second parse would, with the same findings; pages it is unsure
/// of take the full way.
#[test]
fn one_parse_publishes_what_the_rewrite_would() {
    let policy = policy("privacy:\n  allow_hosts: [media.example.net, '*.cdn.example']\n");
    let page = Page::new(&policy, "posts/a/index.html");
    let starts = [
        "<!doctype html>\n<html lang=\"de\">\n<head>\n<meta charset=\"utf-8\">\n<title>t</title>\n</head>\n<body>\n",
        "<!DOCTYPE html><html><head><title>t</title></head><body>",
        "<!doctype html><html><head> <link rel=\"stylesheet\" href=\"s.css\"><title>t</title></head><body>",
        "<!doctype html><html><head><meta name=\"x\" charset=\"utf-8\"/><title>t</title></head><body>",
        "<!doctype html><html><head></head><body>",
        "<!doctype html><head><title>t</title></head><body>",
        "<html><head><title>t</title></head><body>",
        "<!doctype html><html><head><!-- c --><title>t</title></head><body>",
    ];
    let out = "https://example.org/x";
    let bodies = [
        "<p>Text</p>".to_string(),
        format!("<p><a href=\"{out}\">x</a> und <a href=\"{out}\" title=\"a > b\">y</a></p>"),
        format!("<a href=\"{out}\" rel=\"noopener noreferrer\">x</a>"),
        format!("<a href=\"{out}\" REL=\"noreferrer NOOPENER\">x</a>"),
        format!("<a href=\"{out}\" rel=\"me\">x</a>"),
        format!("<a rel=\"noopener  noreferrer\" href=\"{out}\">x</a>"),
        format!("<a rel=\"noopener&#32;noreferrer\" href=\"{out}\">x</a>"),
        format!("<a href='{out}'>x</a><a href={out}>y</a><a class=k href=\"{out}\">z</a>"),
        format!("<a  href=\"{out}\">x</a><a href=\"{out}\" >y</a><a href=\"{out}\"/>z</a>"),
        format!("<a href=\"{out}?utm_source=feed&amp;a=1\">x</a>"),
        format!("<a href=\"{out}?a=1&amp;b=2\">x</a>"),
        format!("<a href=\"{out}?a=1&b=2\">x</a>"),
        "<a href=\"https://blog.example/sub/posts/b/\">x</a><a href=\"../b/\">y</a>".to_string(),
        "<a href=\"//example.org/x\">x</a><a href=\"https:example.org/x\">y</a>".to_string(),
        "<a href=\" https://example.org/x \">x</a><a href=\"HTTPS://Example.ORG\">y</a>"
            .to_string(),
        format!("<map name=m><area href=\"{out}\" alt=\"\"></map>"),
        format!("<svg><a href=\"{out}\"><text>x</text></a></svg>"),
        format!("<svg/><a href=\"{out}\">x</a>"),
        format!("<svg/><a href=\"{out}\" rel=\"noopener noreferrer\">x</a>"),
        format!("<math><mi><a href=\"{out}\">x</a></mi></math>"),
        format!("<svg><style><a href=\"{out}\">x</a></style></svg>"),
        format!("<p title=\"see href={out}\">x</p>"),
        "<pre><code>&lt;a href=&quot;https://example.org/&quot;&gt;</code></pre>".to_string(),
        "<link rel=\"stylesheet\" href=\"https://media.example.net/a.css\">".to_string(),
        "<a href=\"https://media.example.net/\">x</a>".to_string(),
        "<img src=\"https://evil.example/p.gif\" alt=\"\"><p onclick=\"x()\">y</p>".to_string(),
        format!("<noscript><a href=\"{out}\">x</a></noscript>"),
        "<select><option>x</option></select>".to_string(),
        format!("<iframe srcdoc=\"<a href='{out}'>x</a>\"></iframe>"),
        format!("<template><a href=\"{out}\">x</a></template>"),
        format!("<textarea><a href=\"{out}\">x</a></textarea>"),
        format!("<a href=\"{out}\"><b>x</a></b>"),
        format!("<!-- <a href=\"{out}\"> -->"),
        format!("<a href=\"{out}\" xlink:href=\"{out}\">x</a>"),
        format!("<svg><image xlink:href=\"{out}\"/></svg>"),
        "<a href=\"#top\">x</a><a href=\"#fehlt\">y</a><h2 id=\"da\">z</h2>".to_string(),
        "<a href=\"mailto:a@b.example\">x</a><a href=\"javascript:x()\">y</a>".to_string(),
        format!("<a href=\"{out}\">{}</a>", "<div>".repeat(600)),
    ];
    let described = |a: &html::Audited<'_>| {
        let findings: Vec<String> = a
            .checker
            .findings
            .iter()
            .map(|f| format!("{:?} {} {:?} {:?}", f.severity, f.message, f.at, f.needles))
            .collect();
        format!(
            "{}\n{findings:#?}\n{:?} {:?} {:?} {:?} {}",
            a.html,
            a.checker.ids,
            a.checker.links,
            a.checker.resources,
            a.checker.outbound,
            a.notes.len()
        )
    };
    let mut direct = 0;
    for start in starts {
        for body in &bodies {
            let html = format!("{start}{body}\n</body>\n</html>\n");
            let full = html::audit_fully(&policy, &page, &html);
            if let Some(one) = html::audit_directly(&policy, &page, &html) {
                direct += 1;
                assert_eq!(described(&one), described(&full), "{html}");
            }
        }
    }
    assert!(direct >= 60, "only {direct} pages took the one-parse way");

    // Pages put together at random from pieces that change how a page is
    // read (foreign content, raw text, comments, quotes, tables, …).
    let pieces = [
        "<a href=\"https://example.org/x\">",
        "</a>",
        "<a href=\"https://example.org/y\" rel=\"noopener noreferrer\">",
        "<a rel=\"me\" href=\"https://example.org/\">",
        "<a href='https://example.org/q'>",
        "<a href=../b/>",
        "<area href=\"https://example.org/\">",
        "<svg>",
        "</svg>",
        "<svg/>",
        "<math>",
        "</math>",
        "<mi>",
        "<style>",
        "</style>",
        "<textarea>",
        "</textarea>",
        "<title>",
        "</title>",
        "<!--",
        "-->",
        "<script>",
        "</script>",
        "<p>",
        "</p>",
        "<b>",
        "</b>",
        "<table>",
        "<tr>",
        "<td>",
        "</table>",
        "<template>",
        "</template>",
        "<noscript>",
        "<select>",
        "<xmp>",
        "</xmp>",
        "<iframe>",
        "</iframe>",
        "Text",
        " ",
        "\n",
        "&amp;",
        "&",
        "<",
        ">",
        "\"",
        "'",
        "=",
        "href=\"https://example.org/z\"",
        " rel=\"noopener\"",
        "<div title=\"",
        "\">",
        "<div>",
        "</div>",
        "<a href=\"https://example.org/?utm_source=x\">",
        "<a href=\"https://media.example.net/\">",
        "<link rel=stylesheet href=\"https://media.example.net/s.css\">",
        "<image xlink:href=\"https://example.org/i.png\"/>",
        "<a xlink:href=\"https://example.org/\">",
        "<plaintext>",
        "<form action=\"/x\">",
        "</form>",
        "<a href=\"https://example.org/x\" title=\"t\">",
        "<A HREF=\"https://example.org/U\">",
        "<a href=\"https://example.org/x\"/>",
        "<a\nhref=\"https://example.org/nl\">",
        "<a href=\"https://example.org/x\" REL=\"noopener noreferrer\">",
        "<a href=\"https://blog.example/sub/posts/b/\">",
        "<h2 id=\"x\">",
        "</h2>",
        "<a href=\"#x\">",
        "<foreignObject>",
        "<desc>",
        "<font color=red>",
        "<br>",
        "<a href=\"https://example.org/&#x61;\">",
        "<a href=\"https://example.org/x\" rel=\"noopener&#32;noreferrer\">",
    ];
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        usize::try_from(seed % n as u64).unwrap_or(0)
    };
    let whole = [
        "<p>Text</p>",
        "<a href=\"https://example.org/x\">x</a>",
        "<div>y</div>",
        "<b>b</b>",
        "<svg><a href=\"https://example.org/s\"><text>s</text></a></svg>",
        "<table><tr><td>x</td></tr></table>",
        "<h2 id=\"x\">h</h2>",
        "<a href=\"#x\">#</a>",
        "<style>p{}</style>",
        "<textarea>&lt;a href=\"https://example.org/t\"&gt;</textarea>",
        "<template><a href=\"https://example.org/t\">t</a></template>",
        "<math><mi>x</mi></math>",
        "<svg/>",
        "<!-- <a href=\"https://example.org/c\"> -->",
        "<img src=\"a.png\" alt=\"\">",
        "<a href=\"https://example.org/x\" rel=\"noopener noreferrer\">x</a>",
        "<a href='https://example.org/q'>q</a>",
        "<a href=\"https://example.org/x\" title=\"t > u\">x</a>",
        "<a rel=\"me\" href=\"https://example.org/\">me</a>",
        "<A HREF=\"https://example.org/U\">U</A>",
        "<a href=\"https://example.org/&#x61;\">e</a>",
        "<a href=\"https://blog.example/sub/posts/b/\">own</a>",
        "<link rel=stylesheet href=\"https://media.example.net/s.css\">",
        "<svg><image xlink:href=\"https://example.org/i.png\"/></svg>",
        "<svg><foreignObject><a href=\"https://example.org/f\">f</a></foreignObject></svg>",
        "<svg><desc><a href=\"https://example.org/d\">d</a></desc></svg>",
        "<math><mi><a href=\"https://example.org/m\">m</a></mi></math>",
        "<svg><style><a href=\"https://example.org/s\">s</a></style></svg>",
        "<svg><title><style>x</style></title></svg>",
        "<map name=m><area href=\"https://example.org/\" alt=\"\"></map>",
        "<p title=\"href=https://example.org/\">t</p>",
        "<xmp><a href=\"https://example.org/x\">x</a></xmp>",
    ];
    let mut direct = 0;
    for _ in 0..6000 {
        let start = starts[next(3)];
        let body: String = (0..1 + next(10))
            .map(|_| {
                if next(4) == 0 {
                    pieces[next(pieces.len())]
                } else {
                    whole[next(whole.len())]
                }
            })
            .collect();
        let html = format!("{start}{body}\n</body>\n</html>\n");
        let full = html::audit_fully(&policy, &page, &html);
        if let Some(one) = html::audit_directly(&policy, &page, &html) {
            direct += 1;
            assert_eq!(described(&one), described(&full), "{html}");
        }
    }
    assert!(
        direct >= 300,
        "only {direct} generated pages took the one-parse way"
    );
}

/// `below` reads relative paths as `util::url::join` does, keeping a
/// folder's slash.
#[test]
fn relative_paths_lead_where_join_says() {
    let old = |dir: &str, path: &str| match crate::util::url::join(dir, path) {
        Some(joined) => {
            let folder = path.ends_with('/')
                || path.ends_with("/.")
                || path.ends_with("/..")
                || path == "."
                || path == "..";
            if folder && !joined.is_empty() && !joined.ends_with('/') {
                format!("{joined}/")
            } else {
                joined
            }
        }
        None => String::new(),
    };
    let segments = ["a", "b%20c", ".", "..", "", "x.html"];
    let mut paths = vec![String::new()];
    for _ in 0..4 {
        let longer: Vec<String> = paths
            .iter()
            .flat_map(|p| {
                segments.iter().map(move |s| {
                    if p.is_empty() {
                        (*s).to_string()
                    } else {
                        format!("{p}/{s}")
                    }
                })
            })
            .collect();
        paths.extend(longer);
    }
    paths.sort();
    paths.dedup();
    for dir in ["", "posts/", "posts/a/", "tags/x/page/2/", "a//b/", "/a/"] {
        for path in paths.iter().filter(|p| !p.is_empty()) {
            assert_eq!(super::below(dir, path), old(dir, path), "{dir} + {path}");
            assert!(super::segments(path).eq(path.split('/')), "{path}");
        }
    }
}

/// Links to the site written out are read without the URL parser only
/// where it would read them the same.
#[test]
fn own_absolute_urls_without_the_url_parser() {
    let p = policy("");
    let page = Page::new(&p, "posts/a/index.html");
    let mut fast = 0;
    for rest in [
        "",
        "posts/b/",
        "posts/b",
        "posts/b/#teil",
        "posts/b/#",
        "posts/b/?x=1&y=2#t",
        "Gr%C3%BC%C3%9Fe/",
        "a%2Fb/",
        "a/./b/",
        "a/../b/",
        "a//b/",
        "/x/",
        "a b/",
        "a\\b/",
        "ä/",
        "x.xml",
        "posts/b/#fn-1",
        "posts/b/#%C3%A4",
        "posts/b/#a b",
        "posts/b/#a#b",
        "posts/b?#x",
        "..",
        ".",
        "%2e%2e/x/",
    ] {
        for base in [
            "https://blog.example/sub/",
            "https://blog.example/",
            "https://BLOG.example/sub/",
        ] {
            let url = format!("{base}{rest}");
            if let Some(target) = p.judge_own(&url) {
                fast += 1;
                assert_eq!(target, p.judge_parsed(&page, &url), "{url}");
            }
            assert_eq!(p.judge(&page, &url), p.judge_parsed(&page, &url), "{url}");
        }
    }
    assert!(fast >= 10, "{fast}");
    assert_eq!(p.judge_own("https://blog.example/subx/"), None);
}

/// The messages of what `audit::feed` finds in the JSON feed `text`.
fn json_findings(policy: &Policy, text: &str) -> Vec<String> {
    let page = Page::new(policy, "feed.json");
    let mut checker = Checker::new(policy, &page);
    json::judge(&mut checker, text, &Fragments::default());
    checker.findings.iter().map(|f| f.message.clone()).collect()
}

/// A JSON feed with one item whose `content_html` is written `html`
/// (a JSON string, quotes included) and `more` keys after it.
fn json_feed_with(html: &str, more: &str) -> String {
    format!(
        "{{\"version\": \"https://jsonfeed.org/version/1.1\", \"title\": \"T\", \"home_page_url\": \"https://example.org/\", \"items\": [{{\"id\": \"https://example.org/a/\", \"url\": \"https://example.org/a/\", \"content_html\": {html}{more}}}]}}"
    )
}

#[test]
fn json_feeds_are_judged_like_atom_feeds() {
    let p = policy("");
    let plain = json_feed_with(
        r#""<p>Ein <a href=\"https://example.org/b/\">Link</a>.</p>""#,
        "",
    );
    assert_eq!(json_findings(&p, &plain), Vec::<String>::new());
    // A script, written plainly and in JSON's escapes.
    for html in [
        r#""<p>A</p><script>fetch(\"https://evil.example/\")</script>""#,
        r#""\u003cscript\u003ex()\u003c/script\u003e""#,
    ] {
        let found = json_findings(&p, &json_feed_with(html, ""));
        assert_eq!(found.len(), 1, "{html}: {found:?}");
        assert!(found[0].contains("<script>"), "{found:?}");
    }
    // Pictures a reader loads by itself, links that run code.
    let found = json_findings(
        &p,
        &json_feed_with(
            r#""<img src=\"https://pixel.example/p.gif\" alt=\"\">""#,
            r#", "image": "https://img.example/a.png", "external_url": "javascript:x()", "authors": [{"name": "E", "avatar": "https://avatar.example/e.png"}]"#,
        ),
    );
    assert_eq!(found.len(), 4, "{found:?}");
    for host in [
        "pixel.example",
        "img.example",
        "javascript:",
        "avatar.example",
    ] {
        assert!(found.iter().any(|f| f.contains(host)), "{host}: {found:?}");
    }
}

#[test]
fn json_feeds_echt_cannot_read_are_refused() {
    let p = policy("");
    for (text, expected) in [
        ("{\"items\": [", "echt cannot read this JSON feed"),
        ("<rss/>", "echt cannot read this JSON feed"),
        (
            &json_feed_with(
                "\"<p>A</p>\"",
                ", \"_tracker\": {\"pixel\": \"https://t.example/\"}",
            ) as &str,
            "unknown field `_tracker`",
        ),
        (
            &json_feed_with("\"<p>A</p>\"", ", \"attachments\": []"),
            "unknown field `attachments`",
        ),
        (
            &json_feed_with("\"<p>A</p>\"", ", \"content_html\": \"<script></script>\""),
            "duplicate field `content_html`",
        ),
        (
            &json_feed_with("[\"<script></script>\"]", ""),
            "`content_html` is not text",
        ),
        (
            &json_feed_with("\"<p>A</p>\"", ", \"image\": 3"),
            "`image` is not text",
        ),
    ] {
        let found = json_findings(&p, text);
        assert_eq!(found.len(), 1, "{text}: {found:?}");
        assert!(found[0].contains(expected), "{text}: {found:?}");
    }
}

/// The messages of what the audit finds in the search index file `file`.
fn search_findings(policy: &Policy, file: &str, text: &str) -> Vec<String> {
    let page = Page::new(policy, file);
    let mut checker = Checker::new(policy, &page);
    search::judge(&mut checker, file, text);
    checker.findings.iter().map(|f| f.message.clone()).collect()
}

#[test]
fn the_search_index_is_read_in_echts_shape_only() {
    let p = policy("search: true\n");
    let none = Vec::<String>::new();
    let meta =
        r#"{"version":1,"language":"de","shards":1,"docs":1,"chunk":50,"ending":5,"stem":3}"#;
    assert_eq!(search_findings(&p, "search-index/meta.json", meta), none);
    assert_eq!(
        search_findings(&p, "search-index/terms-0.json", r#"{"haus":[1,2]}"#),
        none
    );
    let doc = r#"[{"url":"../posts/a/","title":"A","date":"1. Mai 2024","datetime":"2024-05-01","summary":"S"}]"#;
    assert_eq!(search_findings(&p, "search-index/docs-0.json", doc), none);
    for (file, text, says) in [
        ("search-index/meta.json", r#"{"version":1}"#, "cannot read"),
        (
            "search-index/meta.json",
            &meta.replace('}', r#","script":"x"}"#),
            "unknown field",
        ),
        (
            "search-index/terms-0.json",
            r#"{"haus":["<b>"]}"#,
            "cannot read",
        ),
        (
            "search-index/terms-0.json",
            r#"{"haus":[1,2]"#,
            "cannot read",
        ),
        (
            "search-index/docs-0.json",
            &doc.replace(r#""S""#, r#""S","html":"<b>""#),
            "unknown field",
        ),
        (
            "search-index/docs-0.json",
            &doc.replace(r#""title":"A""#, r#""title":{"a":1}"#),
            "cannot read",
        ),
        (
            "search-index/docs-0.json",
            &doc.replace("../posts/a/", "https://evil.example/"),
            "leads out of the site (to `evil.example`)",
        ),
        (
            "search-index/docs-0.json",
            &doc.replace("../posts/a/", "javascript:alert(1)"),
            "a `javascript:` URL",
        ),
        (
            "search-index/docs-0.json",
            &doc.replace(r#""../posts/a/""#, "7"),
            "not text",
        ),
        ("search-index/other.json", "{}", "no such file"),
    ] {
        let found = search_findings(&p, file, text);
        assert_eq!(found.len(), 1, "{text}: {found:?}");
        assert!(found[0].contains(says), "{text}: {found:?}");
    }
}

#[test]
fn the_search_page_alone_gets_the_policy_that_lets_a_script_run() {
    let p = policy("search: true\n");
    let search = Page::new(&p, "suche/index.html");
    let other = Page::new(&p, "posts/a/index.html");
    assert!(p
        .head_of(&search)
        .contains("script-src 'self'; connect-src 'self'"));
    assert!(p.head_of(&other).contains("script-src 'none'"));
    assert_eq!(p.head_of(&other), p.head());
    assert!(p.is_search_script(&search, "../search-index/search.js"));
    assert!(p.is_search_script(&search, "/sub/search-index/search.js"));
    assert!(!p.is_search_script(&search, "../search-index/search.js#x"));
    assert!(!p.is_search_script(&search, "../search-index/other.js"));
    assert!(!p.is_search_script(&search, "https://evil.example/sub/search-index/search.js"));
    assert!(!p.is_search_script(&other, "../../search-index/search.js"));
    // Without `search: true` there is no such page.
    let off = policy("");
    let page = Page::new(&off, "suche/index.html");
    assert!(!off.is_search_script(&page, "../search-index/search.js"));
    assert_eq!(off.head_of(&page), off.head());
}
