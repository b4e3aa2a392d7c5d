//! Feeds parsed back: valid Atom 1.0 and RSS 2.0 with full content and
//! absolute URLs; sitemap and robots.txt.

use quick_xml::events::Event;
use quick_xml::Reader;

use crate::support::TestSite;

/// One element: its path from the root (`feed/entry/title`), attributes, text.
type Element = (String, Vec<(String, String)>, String);

/// A tiny DOM: every element in document order.
struct Doc {
    elements: Vec<Element>,
}

impl Doc {
    fn parse(xml: &str) -> Doc {
        let mut reader = Reader::from_str(xml);
        let mut stack: Vec<String> = Vec::new();
        let mut elements: Vec<Element> = Vec::new();
        let mut open: Vec<usize> = Vec::new();
        loop {
            match reader.read_event().expect("well-formed XML") {
                Event::Start(e) => {
                    stack.push(String::from_utf8_lossy(e.name().as_ref()).into_owned());
                    elements.push((stack.join("/"), attrs(&e), String::new()));
                    open.push(elements.len() - 1);
                }
                Event::Empty(e) => {
                    let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                    elements.push((
                        format!("{}/{name}", stack.join("/")),
                        attrs(&e),
                        String::new(),
                    ));
                }
                Event::Text(t) => {
                    if let Some(&i) = open.last() {
                        elements[i].2.push_str(&t.unescape().expect("text"));
                    }
                }
                Event::CData(t) => {
                    if let Some(&i) = open.last() {
                        elements[i].2.push_str(&String::from_utf8_lossy(&t));
                    }
                }
                Event::End(_) => {
                    stack.pop();
                    open.pop();
                }
                Event::Eof => break,
                _ => {}
            }
        }
        assert!(stack.is_empty(), "all elements closed");
        Doc { elements }
    }

    fn all(&self, path: &str) -> Vec<&str> {
        self.elements
            .iter()
            .filter(|(p, _, _)| p == path)
            .map(|(_, _, t)| t.as_str())
            .collect()
    }

    fn one(&self, path: &str) -> &str {
        let all = self.all(path);
        assert_eq!(all.len(), 1, "exactly one {path}");
        all[0]
    }

    fn attr(&self, path: &str, name: &str) -> Vec<&str> {
        self.elements
            .iter()
            .filter(|(p, _, _)| p == path)
            .filter_map(|(_, a, _)| a.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()))
            .collect()
    }
}

fn attrs(e: &quick_xml::events::BytesStart<'_>) -> Vec<(String, String)> {
    e.attributes()
        .map(|a| {
            let a = a.expect("attribute");
            (
                String::from_utf8_lossy(a.key.as_ref()).into_owned(),
                a.unescape_value().expect("value").into_owned(),
            )
        })
        .collect()
}

#[test]
fn atom_feed_is_complete() {
    let site = TestSite::fixture("blog");
    let built = site.build().ok();
    let doc = Doc::parse(&built.page("atom.xml"));
    assert_eq!(doc.one("feed/title"), "Testblog");
    assert_eq!(doc.one("feed/id"), "https://blog.example.org/sub/");
    assert_eq!(doc.one("feed/updated"), "2024-02-29T18:00:00+01:00");
    assert_eq!(doc.one("feed/author/name"), "Erika Muster");
    assert_eq!(doc.attr("feed/link", "rel"), ["self", "alternate"]);
    assert_eq!(
        doc.attr("feed/link", "href"),
        [
            "https://blog.example.org/sub/atom.xml",
            "https://blog.example.org/sub/"
        ]
    );
    assert_eq!(
        doc.all("feed/entry/title"),
        [
            "Eine Reise",
            "Größe zeigen & Fehler zugeben",
            "Hans und Peter"
        ]
    );
    for path in [
        "feed/entry/id",
        "feed/entry/updated",
        "feed/entry/published",
        "feed/entry/content",
    ] {
        assert_eq!(doc.all(path).len(), 3, "{path}");
    }
    assert_eq!(doc.attr("feed/entry/content", "type"), ["html"; 3]);
    // Full text, with absolute URLs.
    let content = doc.all("feed/entry/content")[1];
    assert!(
        content.contains("Warum das wirkt"),
        "full content: {content}"
    );
    assert!(
        content.contains("href=\"https://blog.example.org/sub/posts/hans-und-peter/\""),
        "{content}"
    );
    let reise = doc.all("feed/entry/content")[0];
    assert!(
        reise.contains("src=\"https://blog.example.org/sub/posts/die-reise/weg.svg\""),
        "{reise}"
    );
    assert!(
        !reise.contains('\u{E000}') && !reise.contains("../"),
        "{reise}"
    );
}

#[test]
fn rss_feed_is_complete() {
    let site = TestSite::fixture("blog");
    let built = site.build().ok();
    let doc = Doc::parse(&built.page("rss.xml"));
    assert_eq!(doc.attr("rss", "version"), ["2.0"]);
    assert_eq!(doc.one("rss/channel/title"), "Testblog");
    assert_eq!(doc.one("rss/channel/link"), "https://blog.example.org/sub/");
    assert_eq!(doc.one("rss/channel/description"), "Ein Blog für die Tests");
    assert_eq!(doc.one("rss/channel/language"), "de");
    assert_eq!(
        doc.all("rss/channel/item/link")[2],
        "https://blog.example.org/sub/posts/hans-und-peter/"
    );
    assert_eq!(
        doc.all("rss/channel/item/pubDate")[2],
        "Tue, 11 Mar 2014 00:00:00 +0000"
    );
    assert_eq!(doc.all("rss/channel/item/guid").len(), 3);
    assert!(doc.all("rss/channel/item/description")[1].contains("Warum das wirkt"));
    assert_eq!(
        doc.all("rss/channel/item/author")[0],
        "erika@example.org (Erika Muster)"
    );
}

#[test]
fn feeds_respect_the_limit_and_exist_per_tag() {
    let mut site = TestSite::new().file(
        "echt.yaml",
        &format!("{}feed:\n  limit: 2\n", crate::support::CONFIG),
    );
    for i in 1..=4 {
        site = site.post(
            &format!("p{i}.md"),
            &format!("---\ntitle: P{i}\ndate: 2024-01-0{i}\ntags: [Größe]\n---\nx\n"),
        );
    }
    let built = site.build().ok();
    assert_eq!(
        Doc::parse(&built.page("atom.xml")).all("feed/entry/title"),
        ["P4", "P3"]
    );
    let tag = Doc::parse(&built.page("tags/groesse/atom.xml"));
    assert_eq!(tag.one("feed/title"), "Testblog – Größe");
    assert_eq!(
        tag.attr("feed/link", "href")[0],
        "https://example.org/tags/groesse/atom.xml"
    );
    assert_eq!(
        Doc::parse(&built.page("tags/groesse/rss.xml")).all("rss/channel/item/title"),
        ["P4", "P3"]
    );
}

#[test]
fn sitemap_and_robots() {
    let site = TestSite::fixture("blog");
    let built = site.build().ok();
    let doc = Doc::parse(&built.page("sitemap.xml"));
    let locs = doc.all("urlset/url/loc");
    assert!(
        locs.contains(&"https://blog.example.org/sub/posts/die-reise/"),
        "{locs:?}"
    );
    assert!(
        locs.contains(&"https://blog.example.org/sub/ueber-mich/"),
        "{locs:?}"
    );
    assert!(
        !locs
            .iter()
            .any(|l| l.contains("groesse.html") || l.contains("404")),
        "{locs:?}"
    );
    assert_eq!(
        doc.attr("urlset", "xmlns"),
        ["http://www.sitemaps.org/schemas/sitemap/0.9"]
    );
    assert_eq!(
        built.page("robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://blog.example.org/sub/sitemap.xml\n"
    );
}
