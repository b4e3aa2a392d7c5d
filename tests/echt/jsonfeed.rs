//! JSON Feed 1.1 beside Atom and RSS: parsed back with serde_json and held
//! to the specification's required fields and types, advertised where the
//! other feeds are, and audited like them.

use chrono::DateTime;
use serde_json::Value;

use crate::support::{TestSite, CONFIG};

/// What JSON Feed 1.1 requires, and the types of the optional fields echt
/// writes; the number of items. Panics with the reason otherwise.
fn check_spec(feed: &Value) -> usize {
    let top = feed.as_object().expect("a JSON feed is an object");
    assert_eq!(
        top.get("version").and_then(Value::as_str),
        Some("https://jsonfeed.org/version/1.1")
    );
    assert!(top.get("title").is_some_and(Value::is_string), "title");
    for key in ["home_page_url", "feed_url"] {
        let url = top.get(key).and_then(Value::as_str).expect(key);
        assert!(url.starts_with("https://"), "{key}: {url}");
    }
    for author in top
        .get("authors")
        .and_then(Value::as_array)
        .expect("authors")
    {
        check_author(author);
    }
    let items = top.get("items").and_then(Value::as_array).expect("items");
    for item in items {
        let item = item.as_object().expect("an item is an object");
        assert!(item.get("id").is_some_and(Value::is_string), "id: {item:?}");
        assert!(
            item.get("content_html").is_some_and(Value::is_string)
                || item.get("content_text").is_some_and(Value::is_string),
            "content: {item:?}"
        );
        for key in ["url", "image"] {
            if let Some(url) = item.get(key) {
                let url = url.as_str().expect(key);
                assert!(url.starts_with("https://"), "{key}: {url}");
            }
        }
        for key in ["date_published", "date_modified"] {
            if let Some(date) = item.get(key) {
                let date = date.as_str().expect(key);
                DateTime::parse_from_rfc3339(date).unwrap_or_else(|e| panic!("{key} {date}: {e}"));
            }
        }
        if let Some(tags) = item.get("tags") {
            assert!(
                tags.as_array().expect("tags").iter().all(Value::is_string),
                "{tags}"
            );
        }
        for author in item
            .get("authors")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            check_author(author);
        }
    }
    items.len()
}

/// An author has a name or a URL, and nothing else: never an address.
fn check_author(author: &Value) {
    let author = author.as_object().expect("an author is an object");
    assert!(
        author.keys().all(|k| k == "name" || k == "url"),
        "{author:?}"
    );
    assert!(
        author.get("name").is_some_and(Value::is_string),
        "{author:?}"
    );
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON: {e}\n{text}"))
}

#[test]
fn json_feed_is_complete() {
    let site = TestSite::fixture("blog");
    let built = site.build().ok();
    let text = built.page("feed.json");
    let feed = parse(&text);
    assert_eq!(check_spec(&feed), 3);
    assert_eq!(feed["title"], "Testblog");
    assert_eq!(feed["home_page_url"], "https://blog.example.org/sub/");
    assert_eq!(feed["feed_url"], "https://blog.example.org/sub/feed.json");
    assert_eq!(feed["description"], "Ein Blog für die Tests");
    assert_eq!(feed["language"], "de");
    assert_eq!(feed["authors"][0]["name"], "Erika Muster");
    // echt.yaml has an address; no JSON feed carries it.
    assert!(!text.contains("erika@example.org"), "{text}");

    let titles: Vec<&str> = feed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "Eine Reise",
            "Größe zeigen & Fehler zugeben",
            "Hans und Peter"
        ]
    );
    let reise = &feed["items"][0];
    assert_eq!(reise["date_published"], "2024-02-29T18:00:00+01:00");
    assert_eq!(reise["tags"], serde_json::json!(["Öffentlichkeit"]));
    assert_eq!(
        reise["image"],
        "https://blog.example.org/sub/posts/die-reise/weg.svg"
    );
    let html = reise["content_html"].as_str().unwrap();
    assert!(
        html.contains("src=\"https://blog.example.org/sub/posts/die-reise/weg.svg\""),
        "{html}"
    );
    assert!(
        !html.contains('\u{E000}') && !html.contains("../"),
        "{html}"
    );
    // Full content, as in the Atom feed.
    let groesse = feed["items"][1]["content_html"].as_str().unwrap();
    assert!(groesse.contains("Warum das wirkt"), "{groesse}");
    assert!(
        groesse.contains("href=\"https://blog.example.org/sub/posts/hans-und-peter/\""),
        "{groesse}"
    );
    // The summary is plain text.
    let summary = feed["items"][2]["summary"].as_str().unwrap();
    assert!(
        summary.starts_with("Was einer über den anderen sagt"),
        "{summary}"
    );
    assert!(!summary.contains('<'), "{summary}");

    // Advertised in every page's head, beside Atom and RSS.
    let home = built.page("");
    assert!(
        home.contains("<link rel=\"alternate\" type=\"application/feed+json\" title=\"Testblog (JSON-Feed)\" href=\"./feed.json\">"),
        "{home}"
    );
    let post = built.page("posts/die-reise/");
    assert!(
        post.contains("type=\"application/feed+json\" title=\"Testblog (JSON-Feed)\" href=\"../../feed.json\""),
        "{post}"
    );
    // Not in the sitemap, like the other feeds.
    assert!(!built.page("sitemap.xml").contains("feed.json"));
}

#[test]
fn json_feeds_per_tag_respect_the_limit() {
    let mut site = TestSite::new().file(
        "echt.yaml",
        &format!("{CONFIG}feed:\n  limit: 2\n  full_content: false\n"),
    );
    for i in 1..=4 {
        site = site.post(
            &format!("p{i}.md"),
            &format!("---\ntitle: P{i}\ndate: 2024-01-0{i}\ntags: [Größe]\n---\nErster {i}.\n\n<!-- more -->\n\nZweiter {i}.\n"),
        );
    }
    let built = site.build().ok();
    for file in ["feed.json", "tags/groesse/feed.json"] {
        let feed = parse(&built.page(file));
        assert_eq!(check_spec(&feed), 2, "{file}");
        assert_eq!(feed["items"][0]["title"], "P4", "{file}");
        let html = feed["items"][0]["content_html"].as_str().unwrap();
        assert!(
            html.contains("Erster 4") && !html.contains("Zweiter"),
            "{html}"
        );
    }
    let tag = parse(&built.page("tags/groesse/feed.json"));
    assert_eq!(tag["title"], "Testblog – Größe");
    assert_eq!(
        tag["feed_url"],
        "https://example.org/tags/groesse/feed.json"
    );
    assert_eq!(tag["home_page_url"], "https://example.org/tags/groesse/");
    let page = built.page("tags/groesse/");
    assert!(
        page.contains("<link rel=\"alternate\" type=\"application/feed+json\" title=\"Größe (JSON-Feed)\" href=\"../../tags/groesse/feed.json\">"),
        "{page}"
    );

    // Without tag feeds, no tag's JSON feed and no link to one.
    let site = TestSite::new()
        .file("echt.yaml", &format!("{CONFIG}feed:\n  tags: false\n"))
        .post(
            "p.md",
            "---\ntitle: P\ndate: 2024-01-01\ntags: [Größe]\n---\nx\n",
        );
    let built = site.build().ok();
    assert!(built.exists("feed.json"));
    assert!(!built.exists("tags/groesse/feed.json"));
    assert!(!built.page("tags/groesse/").contains("groesse/feed.json"));
}

/// A script that no page shows (the theme writes only titles) is still
/// refused: the JSON feed carries it, and its audit reads it there.
#[test]
fn a_script_only_the_json_feed_carries_is_refused() {
    let built = TestSite::new()
        .file("templates/post.html", "{% extends \"base.html\" %}{% block content %}<h1>{{ page.title }}</h1>{% endblock content %}")
        .post(
            "a.md",
            "---\ntitle: A\ndate: 2024-01-01\n---\nText.\n\n<script>fetch(\"https://evil.example/json\")</script>\n",
        )
        .build();
    let stderr = built.fails();
    assert!(stderr.contains("content/posts/a.md:7:1"), "{stderr}");
    assert!(stderr.contains("<script>"), "{stderr}");

    // The front matter `image` is in no Atom or RSS feed and on no page
    // here: only the JSON feed makes readers load it.
    let built = TestSite::new()
        .file("templates/post.html", "{% extends \"base.html\" %}{% block content %}<h1>{{ page.title }}</h1>{% endblock content %}")
        .post(
            "a.md",
            "---\ntitle: A\ndate: 2024-01-01\nimage: https://img.example/titelbild.png\n---\nText.\n",
        )
        .build();
    let stderr = built.fails();
    assert!(
        stderr.contains("loads from another host, `img.example`"),
        "{stderr}"
    );
}
