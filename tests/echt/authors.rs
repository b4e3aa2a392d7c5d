//! Authors: the box under each post, a page and feeds per person, bylines
//! in pages and feeds, the choices about who gets a page, and the located
//! errors of `authors` in echt.yaml and `author` in front matter.
//! `tests/sites/authors` is a German blog of two people (Lena, whose photo
//! is a picture of `content/`, and Max, whose photo is in `static/`) with
//! a post written together and a guest post.

use crate::support::{post, TestSite, CONFIG, PNG};

fn built() -> (TestSite, crate::support::Built) {
    let site = TestSite::fixture("authors");
    let built = site.build().ok();
    (site, built)
}

/// The text of the author boxes on a page: everything from the first
/// `<aside class="author-box"` to the last `</aside>`.
fn boxes(page: &str) -> &str {
    let start = page
        .find("<aside class=\"author-box\"")
        .unwrap_or(page.len());
    let end = page
        .rfind("</aside>")
        .map_or(start, |i| i + "</aside>".len());
    &page[start..end.max(start)]
}

#[test]
fn a_post_shows_a_box_about_its_author_with_photo_bio_and_page() {
    let (_site, built) = built();
    let page = built.page("posts/gartenbank/");
    let b = boxes(&page);
    assert_eq!(b.matches("<aside class=\"author-box\"").count(), 1, "{b}");
    assert!(b.contains("aria-labelledby=\"author-box-1\""), "{b}");
    assert!(b.contains("<h2 class=\"author-name\" id=\"author-box-1\"><span class=\"author-label\">Zur Person:</span> Max Berger</h2>"), "{b}");
    assert!(
        b.contains(
            "<p>Max baut Möbel aus Resten und schreibt auf, <em>was dabei schiefgeht</em>.</p>"
        ),
        "{b}"
    );
    // A photo from static/: shown as it is, sized, named.
    assert!(b.contains("<img src=\"../../max.png\" width=\"96\" height=\"96\" alt=\"Max Berger\" loading=\"lazy\" decoding=\"async\">"), "{b}");
    assert!(
        b.contains("<a href=\"../../autoren/max/\">Alle Beiträge von Max Berger</a>"),
        "{b}"
    );
    assert!(b.contains("<a href=\"https://max.example.net/\" rel=\"author noopener noreferrer\">max.example.net</a>"), "{b}");
    assert!(
        page.contains("<meta name=\"author\" content=\"Max Berger\">"),
        "{page}"
    );
    // The byline links to the author's page on the site.
    assert!(page.contains("<p class=\"byline\">von <a href=\"../../autoren/max/\" rel=\"author\">Max Berger</a></p>"), "{page}");
    // The box comes after the article, before the links to other posts.
    let article = page.find("</article>").unwrap();
    let nav = page.find("<nav class=\"post-nav\"").unwrap();
    let aside = page.find("<aside class=\"author-box\"").unwrap();
    assert!(article < aside && aside < nav);
}

#[test]
fn a_post_written_together_names_both_and_shows_two_boxes() {
    let (_site, built) = built();
    let page = built.page("posts/zu-zweit/");
    assert!(page.contains("<p class=\"byline\">von <a href=\"../../autoren/lena/\" rel=\"author\">Lena Vogt</a> und <a href=\"../../autoren/max/\" rel=\"author\">Max Berger</a></p>"), "{page}");
    let b = boxes(&page);
    assert_eq!(b.matches("<aside class=\"author-box\"").count(), 2, "{b}");
    assert!(b.contains("id=\"author-box-1\"") && b.contains("id=\"author-box-2\""));
    // Lena's photo is a picture of content/: its versions, sized for the box.
    assert!(b.contains("<source type=\"image/webp\" srcset=\"../../bilder/lena-240w.webp 240w\" sizes=\"96px\">"), "{b}");
    assert!(
        b.contains("width=\"96\" height=\"96\" alt=\"Lena Vogt\""),
        "{b}"
    );
    // The bio's link to a page of the site is relative like every other.
    assert!(
        b.contains("Mehr <a href=\"../../ueber/\">über uns</a>."),
        "{b}"
    );
}

#[test]
fn posts_without_author_are_the_site_author_s_and_guests_get_no_box_or_page() {
    let (_site, built) = built();
    // No `author`: the site's author, who is the entry `lena`; so is the
    // post naming her by her name.
    for post in ["posts/stille-morgen/", "posts/februar/"] {
        let page = built.page(post);
        assert!(
            page.contains("von <a href=\"../../autoren/lena/\" rel=\"author\">Lena Vogt</a>"),
            "{post}"
        );
        assert_eq!(boxes(&page).matches("author-box-1").count(), 2, "{post}");
    }
    let guest = built.page("posts/bienen/");
    assert!(
        guest.contains("<p class=\"byline\">von Jonas Keller</p>"),
        "{guest}"
    );
    assert!(!guest.contains("author-box"), "{guest}");
    assert!(!built.exists("autoren/jonas-keller/index.html"));
}

#[test]
fn each_author_has_a_page_of_their_posts_paginated_with_feeds() {
    let (_site, built) = built();
    let lena = built.page("autoren/lena/");
    assert!(lena.contains("<h1>Beiträge von Lena Vogt</h1>"), "{lena}");
    assert!(
        lena.contains("<title>Beiträge von Lena Vogt – Zwei Stimmen</title>"),
        "{lena}"
    );
    assert!(lena.contains("Lena gärtnert auf einem Hinterhof"), "{lena}");
    assert!(lena.contains("<span>3 Beiträge</span>"), "{lena}");
    // Above the first screen: not lazy.
    assert!(
        lena.contains("alt=\"Lena Vogt\" decoding=\"async\">"),
        "{lena}"
    );
    // Two per page: the newest two here, the third on page 2.
    assert!(lena.contains("Warum wir zu zweit schreiben") && lena.contains("Stille Morgen"));
    assert!(!lena.contains("Notizen aus dem Februar") && !lena.contains("Gartenbank"));
    let second = built.page("autoren/lena/page/2/");
    assert!(second.contains("Notizen aus dem Februar"), "{second}");
    assert!(second.contains("Seite 2 von 2"), "{second}");
    let max = built.page("autoren/max/");
    assert!(max.contains("<span>2 Beiträge</span>"), "{max}");
    assert!(max.contains("Eine Gartenbank aus Altholz") && max.contains("Warum wir zu zweit"));
    assert!(!max.contains("Stille Morgen"));
    for (kind, file) in [
        ("application/atom+xml", "atom.xml"),
        ("application/rss+xml", "rss.xml"),
        ("application/feed+json", "feed.json"),
    ] {
        assert!(
            max.contains(&format!(
                "<link rel=\"alternate\" type=\"{kind}\" title=\"Max Berger ("
            )),
            "{kind}"
        );
        assert!(
            max.contains(&format!("href=\"../../autoren/max/{file}\"")),
            "{file}"
        );
        assert!(built.exists(&format!("autoren/max/{file}")), "{file}");
    }
    let sitemap = built.page("sitemap.xml");
    assert!(sitemap.contains("<loc>https://zwei.example.org/autoren/lena/</loc>"));
    assert!(sitemap.contains("<loc>https://zwei.example.org/autoren/max/</loc>"));
    assert!(!sitemap.contains("autoren/lena/page/2/"));
}

#[test]
fn feeds_name_each_post_s_own_authors() {
    let (_site, built) = built();
    let atom = built.page("atom.xml");
    // The site's author speaks for her posts; others are named.
    assert!(atom.contains("<author>\n<name>Lena Vogt</name>\n<email>lena@example.org</email>"));
    let entry = |feed: &str, title: &str| -> String {
        let start = feed.find(&format!("<title>{title}</title>")).unwrap();
        let end = start + feed[start..].find("</entry>").unwrap();
        feed[start..end].to_string()
    };
    assert!(entry(&atom, "Eine Gartenbank aus Altholz")
        .contains("<author><name>Max Berger</name><uri>https://max.example.net/</uri></author>"));
    assert!(!entry(&atom, "Stille Morgen").contains("<author>"));
    let both = entry(&atom, "Warum wir zu zweit schreiben");
    assert!(
        both.contains("<author><name>Lena Vogt</name></author>\n<author><name>Max Berger</name>"),
        "{both}"
    );
    assert!(entry(&atom, "Gastbeitrag: Bienen im Hof")
        .contains("<author><name>Jonas Keller</name></author>"));
    // Max's feed is about Max: his posts, his name at the top.
    let max = built.page("autoren/max/atom.xml");
    assert!(
        max.contains("<title>Zwei Stimmen – Max Berger</title>"),
        "{max}"
    );
    assert!(
        max.contains(
            "<author>\n<name>Max Berger</name>\n<uri>https://max.example.net/</uri>\n</author>"
        ),
        "{max}"
    );
    assert_eq!(max.matches("<entry>").count(), 2);
    assert!(!entry(&max, "Eine Gartenbank aus Altholz").contains("<author>"));
    let rss = built.page("autoren/max/rss.xml");
    assert!(
        rss.contains("<author>lena@example.org (Lena Vogt, Max Berger)</author>"),
        "{rss}"
    );
    let json: serde_json::Value = serde_json::from_str(&built.page("feed.json")).unwrap();
    let items = json["items"].as_array().unwrap();
    let authors =
        |title: &str| items.iter().find(|i| i["title"] == title).unwrap()["authors"].clone();
    assert_eq!(
        authors("Eine Gartenbank aus Altholz"),
        serde_json::json!([{"name": "Max Berger", "url": "https://max.example.net/"}])
    );
    assert_eq!(authors("Stille Morgen"), serde_json::Value::Null);
    let max: serde_json::Value =
        serde_json::from_str(&built.page("autoren/max/feed.json")).unwrap();
    assert_eq!(
        max["authors"],
        serde_json::json!([{"name": "Max Berger", "url": "https://max.example.net/"}])
    );
    assert_eq!(
        max["home_page_url"],
        "https://zwei.example.org/autoren/max/"
    );
}

#[test]
fn without_author_feeds_the_pages_have_no_feed_links() {
    let site = TestSite::fixture("authors");
    let config = std::fs::read_to_string(site.root().join("echt.yaml")).unwrap();
    let site = site.file("echt.yaml", &format!("{config}feed:\n  authors: false\n"));
    let built = site.build().ok();
    assert!(built.exists("autoren/max/index.html"));
    assert!(!built.exists("autoren/max/atom.xml") && !built.exists("autoren/max/feed.json"));
    let max = built.page("autoren/max/");
    assert!(
        !max.contains("autoren/max/atom.xml") && !max.contains("Max Berger (Atom-Feed)"),
        "{max}"
    );
}

#[test]
fn an_english_site_says_it_in_english() {
    let site = TestSite::new()
        .file(
            "echt.yaml",
            "title: Two Voices\nbase_url: https://two.example.org/\nlanguage: en\nauthor:\n  name: Ann\nauthors:\n  ann:\n    name: Ann\n    bio: Ann *grows* things.\n  tom:\n    name: Tom\n    photo: static/tom.png\n",
        )
        .bytes("static/tom.png", PNG)
        .post("a.md", &post("Seeds", "2024-01-01", "About seeds."))
        .post(
            "b.md",
            "---\ntitle: Chairs\ndate: 2024-02-01\nauthor: [tom, ann]\n---\nAbout chairs.\n",
        );
    let built = site.build().ok();
    let page = built.page("posts/b/");
    assert!(page.contains("by <a href=\"../../authors/tom/\" rel=\"author\">Tom</a> and <a href=\"../../authors/ann/\" rel=\"author\">Ann</a>"), "{page}");
    assert!(
        page.contains("<span class=\"author-label\">About the author:</span> Tom"),
        "{page}"
    );
    assert!(
        page.contains("<a href=\"../../authors/ann/\">All posts by Ann</a>"),
        "{page}"
    );
    let ann = built.page("authors/ann/");
    assert!(
        ann.contains("<h1>Posts by Ann</h1>") && ann.contains("<span>2 posts</span>"),
        "{ann}"
    );
    assert!(ann.contains("<p>Ann <em>grows</em> things.</p>"), "{ann}");
    assert!(built.page("authors/tom/").contains("<span>1 post</span>"));
    assert!(built.exists("authors/tom/feed.json"));
}

#[test]
fn one_author_gets_a_page_only_with_something_to_say_and_no_feeds_of_their_own() {
    // One author, nothing about them: no page, no box, the byline as ever.
    let plain = TestSite::new().post("a.md", &post("A", "2024-01-01", "Text."));
    let built = plain.build().ok();
    assert!(!built.exists("autoren"), "{:?}", built.files());
    let page = built.page("posts/a/");
    assert!(page.contains("<p class=\"byline\">von Erika</p>") && !page.contains("author-box"));
    // With a bio: a box and a page with it, but no feeds (the site's are hers).
    let with_bio = TestSite::new()
        .file(
            "echt.yaml",
            &format!("{CONFIG}  bio: Erika schreibt hier.\n"),
        )
        .post("a.md", &post("A", "2024-01-01", "Text."));
    let built = with_bio.build().ok();
    let page = built.page("posts/a/");
    assert!(page.contains("<p>Erika schreibt hier.</p>"), "{page}");
    assert!(
        page.contains("<a href=\"../../autoren/erika/\">Alle Beiträge von Erika</a>"),
        "{page}"
    );
    assert!(built
        .page("autoren/erika/")
        .contains("<p>Erika schreibt hier.</p>"));
    assert!(!built.exists("autoren/erika/atom.xml"));
}

#[test]
fn a_name_that_is_no_author_s_key_is_an_error_naming_the_keys() {
    let site = TestSite::fixture("authors").post(
        "tippfehler.md",
        "---\ntitle: Tippfehler\ndate: 2024-06-01\nauthor: [lena, mx]\n---\nText.\n",
    );
    let err = site.build().fails();
    assert!(
        err.contains("error: `mx` is no key of `authors` in echt.yaml\n  --> content/posts/tippfehler.md:4:16\n"),
        "{err}"
    );
    assert!(
        err.contains(
            "= hint: write one of `lena`, `max`, or a guest's name as `author: {name: \"mx\"}`"
        ),
        "{err}"
    );
    // A guest written as a map is fine.
    site.file(
        "content/posts/tippfehler.md",
        "---\ntitle: Kein Tippfehler\ndate: 2024-06-01\nauthor: {name: mx}\n---\nText.\n",
    )
    .build()
    .ok();
}

#[test]
fn bios_and_photos_are_checked_where_echt_yaml_names_them() {
    let site = TestSite::fixture("authors");
    let config = std::fs::read_to_string(site.root().join("echt.yaml")).unwrap();
    let bad = config.replace("bio: \"Max baut Möbel", "bio: \"## Max\\n\\nMax baut Möbel");
    let err = site.file("echt.yaml", &bad).build().fails();
    assert!(
        err.contains("error: a bio cannot contain a heading\n  --> echt.yaml:18:10\n"),
        "{err}"
    );
    let site = TestSite::fixture("authors");
    let bad = config.replace(
        "photo: static/max.png",
        "photo: https://cdn.example.com/max.png",
    );
    let err = site.file("echt.yaml", &bad).build().fails();
    assert!(
        err.contains("error: the photo `https://cdn.example.com/max.png` is on another host: every reader's browser would ask it for the picture\n  --> echt.yaml:19:12\n"),
        "{err}"
    );
}

#[test]
#[ignore = "needs java + vnu-jar (set VNU_JAR)"]
fn author_boxes_and_pages_have_zero_html_errors() {
    let (_site, built) = built();
    assert!(built.exists("autoren/lena/page/2/index.html"));
    crate::validate::assert_valid(&built.public);
}

#[test]
#[ignore = "needs chromium"]
fn a_reader_sees_the_box_under_the_post_and_the_posts_on_the_author_s_page() {
    use crate::chromium::Chromium;

    let (site, _) = built();
    let served = crate::served::Served::start(&site);
    let mut browser = Chromium::start();
    let page = browser.tab();
    browser.navigate(&page, &format!("{}posts/gartenbank/", served.url()));
    browser.wait_until(
        &page,
        "the post",
        "document.readyState === 'complete' && !!document.querySelector('.author-box img') && document.querySelector('.author-box img').complete",
    );
    let facts = browser.evaluate(
        &page,
        "JSON.stringify((() => {
            const box = document.querySelector('aside.author-box');
            const article = document.querySelector('article.post').getBoundingClientRect();
            const img = box.querySelector('img');
            const shown = box.getBoundingClientRect();
            const label = document.getElementById(box.getAttribute('aria-labelledby'));
            return {
                below: shown.top >= article.bottom,
                visible: shown.height > 0 && getComputedStyle(box).display !== 'none',
                label: label.textContent.trim(),
                alt: img.alt,
                loaded: img.naturalWidth > 0,
                size: [img.getBoundingClientRect().width, img.getBoundingClientRect().height],
                page: box.querySelector('.author-links a').href
            };
        })())",
    );
    let facts: serde_json::Value = serde_json::from_str(facts.as_str().unwrap()).unwrap();
    assert_eq!(facts["below"], true, "{facts}");
    assert_eq!(facts["visible"], true, "{facts}");
    assert_eq!(facts["label"], "Zur Person: Max Berger", "{facts}");
    assert_eq!(facts["alt"], "Max Berger", "{facts}");
    assert_eq!(facts["loaded"], true, "{facts}");
    assert_eq!(facts["size"], serde_json::json!([96, 96]), "{facts}");
    let author_page = facts["page"].as_str().unwrap().to_string();
    assert_eq!(author_page, format!("{}autoren/max/", served.url()));
    // The reader follows the link: Max's posts, as cards.
    browser.navigate(&page, &author_page);
    browser.wait_until(
        &page,
        "the author's page",
        "document.readyState === 'complete' && document.querySelectorAll('.cards .card-title a').length > 0",
    );
    let titles = browser.evaluate(
        &page,
        "JSON.stringify([...document.querySelectorAll('.cards .card-title a')].map(a => a.textContent))",
    );
    let titles: Vec<String> = serde_json::from_str(titles.as_str().unwrap()).unwrap();
    assert_eq!(
        titles,
        [
            "Warum wir zu zweit schreiben",
            "Eine Gartenbank aus Altholz"
        ]
    );
    let heading = browser.evaluate(&page, "document.querySelector('h1').textContent");
    assert_eq!(heading, "Beiträge von Max Berger");
    browser.assert_only_requests_to(&served.url());
}

#[test]
fn the_site_s_author_and_another_person_cannot_share_a_key() {
    let site = TestSite::new()
        .file(
            "echt.yaml",
            &format!("{CONFIG}authors:\n  erika:\n    name: Erika Muster\n"),
        )
        .post("a.md", &post("A", "2024-01-01", "Text."));
    let err = site.build().fails();
    assert!(
        err.contains("error: the site's author `Erika` has the page of the key `erika`, whose name differs\n  --> echt.yaml:8:11\n"),
        "{err}"
    );
}

#[test]
fn a_photo_that_cannot_be_published_is_reported_once_at_the_photo() {
    let site = TestSite::new()
        .file(
            "echt.yaml",
            &format!("{CONFIG}  photo: content/bilder/erika.png\n"),
        )
        .bytes("content/bilder/erika.png", b"not a picture")
        .post("a.md", &post("A", "2024-01-01", "Text."));
    let err = site.build().fails();
    assert!(
        err.contains("error: the photo cannot be published: it "),
        "{err}"
    );
    assert!(err.contains("  --> echt.yaml:6:10\n"), "{err}");
    assert_eq!(
        err.matches("error: ").count(),
        2,
        "one problem, and the summary: {err}"
    );
}
