//! Sharing without trackers and link previews, on the fixture site
//! `tests/sites/teilen` (German) and the same site in English: the share
//! links under each post (texts, encoded addresses, `rel`), none when
//! `share: []`, located errors in echt.yaml; the meta description,
//! OpenGraph and Twitter tags of posts, pages and lists, and the preview
//! picture, a version of the post's own photo about 1200 pixels wide.
//! With tools: vnu, and Chromium that sees the links and asks nobody
//! else for anything.

use std::collections::BTreeMap;

use serde_json::json;

use crate::chromium::Chromium;
use crate::served::Served;
use crate::support::TestSite;

/// The fixture with the lake photo (1600×900) its bundle names.
fn site() -> TestSite {
    TestSite::fixture("teilen").bytes("content/posts/see/see.png", &gradient_png(1600, 900))
}

/// The fixture in English.
fn english() -> TestSite {
    let yaml = std::fs::read_to_string(site().root().join("echt.yaml")).unwrap();
    site().file("echt.yaml", &yaml.replace("language: de", "language: en"))
}

/// A smooth PNG (small, quick to resize) of `width`×`height` pixels.
fn gradient_png(width: u32, height: u32) -> Vec<u8> {
    let mut pixels = Vec::with_capacity((width * height * 3) as usize);
    for y in 0..height {
        for x in 0..width {
            pixels.extend([(x * 255 / width) as u8, (y * 255 / height) as u8, 120]);
        }
    }
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().unwrap();
    writer.write_image_data(&pixels).unwrap();
    writer.finish().unwrap();
    out
}

/// An attribute value with the entities templates write decoded.
fn unescape(value: &str) -> String {
    value
        .replace("&#x2F;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The `<meta>` tags of a page's head: `name` or `property` → `content`.
fn metas(html: &str) -> BTreeMap<String, String> {
    let head = html.split("</head>").next().unwrap_or_default();
    head.split("<meta ")
        .skip(1)
        .filter_map(|tag| {
            let tag = tag.split('>').next()?;
            let attr = |name: &str| {
                let start = tag.find(&format!("{name}=\""))? + name.len() + 2;
                let end = tag[start..].find('"')? + start;
                Some(unescape(&tag[start..end]))
            };
            Some((attr("property").or_else(|| attr("name"))?, attr("content")?))
        })
        .collect()
}

/// The share section of a post page, and its links: (href, rel, text).
fn share_links(html: &str) -> Vec<(String, String, String)> {
    let Some(start) = html.find("<section class=\"share\"") else {
        return Vec::new();
    };
    let section = &html[start..start + html[start..].find("</section>").unwrap()];
    section
        .split("<a ")
        .skip(1)
        .map(|a| {
            let attr = |name: &str| {
                a.find(&format!("{name}=\""))
                    .map(|i| {
                        let rest = &a[i + name.len() + 2..];
                        unescape(&rest[..rest.find('"').unwrap()])
                    })
                    .unwrap_or_default()
            };
            let text = &a[a.find('>').unwrap() + 1..a.find("</a>").unwrap()];
            (attr("href"), attr("rel"), unescape(text))
        })
        .collect()
}

const HOBEL: &str = "https://werkbank.example.org/posts/hobel/";

#[test]
fn share_links_sit_under_each_post_and_say_where_they_go() {
    let site = site();
    let built = site.build().ok();
    let html = built.page("posts/hobel/index.html");
    assert!(
        html.contains("<section class=\"share\" aria-labelledby=\"share-title\">\n  <h2 id=\"share-title\">Teilen</h2>"),
        "{html}"
    );
    let links = share_links(&html);
    let title = "Hobel%20%26%20S%C3%A4ge%3A%20ein%20Vergleich";
    let url = "https%3A%2F%2Fwerkbank.example.org%2Fposts%2Fhobel%2F";
    let expected = [
        (
            format!("mailto:?subject={title}&body={url}"),
            "",
            "Per E-Mail teilen".to_string(),
        ),
        (
            format!("https://social.example/share?text={title}%20{url}"),
            "noopener noreferrer",
            "Teilen auf Mastodon (social.example)".to_string(),
        ),
        (
            format!("https://mk.example/share?text={title}%20{url}"),
            "noopener noreferrer",
            "Teilen auf Misskey (mk.example)".to_string(),
        ),
        (
            format!("https://teilen.example.net/share?u={url}&t={title}"),
            "noopener noreferrer",
            "Teilen auf Beispielnetz".to_string(),
        ),
        (HOBEL.to_string(), "", HOBEL.to_string()),
    ];
    let got: Vec<(String, &str, String)> = links
        .iter()
        .map(|(href, rel, text)| (href.clone(), rel.as_str(), text.clone()))
        .collect();
    assert_eq!(got, expected);
    assert!(
        html.contains("<li class=\"share-link\">Link zum Kopieren: <a "),
        "{html}"
    );
    // Links only: no picture, button, frame or script in the section.
    let start = html.find("<section class=\"share\"").unwrap();
    let section = &html[start..start + html[start..].find("</section>").unwrap()];
    for tag in ["<img", "<svg", "<button", "<iframe", "<script", "<form"] {
        assert!(!section.contains(tag), "{tag} in {section}");
    }
    // Every post has them; pages and lists do not.
    assert_eq!(share_links(&built.page("posts/see/index.html")).len(), 5);
    assert!(share_links(&built.page("ueber/index.html")).is_empty());
    assert!(share_links(&built.page("index.html")).is_empty());
}

#[test]
fn share_links_speak_english_on_an_english_site() {
    let site = english();
    let built = site.build().ok();
    let html = built.page("posts/hobel/index.html");
    assert!(html.contains("<h2 id=\"share-title\">Share</h2>"), "{html}");
    let texts: Vec<String> = share_links(&html).into_iter().map(|(_, _, t)| t).collect();
    assert_eq!(
        texts,
        [
            "Share by e-mail",
            "Share on Mastodon (social.example)",
            "Share on Misskey (mk.example)",
            "Share on Beispielnetz",
            HOBEL,
        ]
    );
    assert!(html.contains("Link to copy: <a "), "{html}");
}

#[test]
fn share_links_default_to_email_and_link_and_can_be_left_out() {
    let yaml = std::fs::read_to_string(site().root().join("echt.yaml")).unwrap();
    let before_share = yaml.split("share:").next().unwrap().to_string();
    let site_default = site().file("echt.yaml", &before_share);
    let built = site_default.build().ok();
    let links = share_links(&built.page("posts/hobel/index.html"));
    let texts: Vec<&str> = links.iter().map(|(_, _, t)| t.as_str()).collect();
    assert_eq!(texts, ["Per E-Mail teilen", HOBEL]);

    let site_none = site().file("echt.yaml", &format!("{before_share}share: []\n"));
    let built = site_none.build().ok();
    let html = built.page("posts/hobel/index.html");
    assert!(!html.contains("class=\"share\""), "{html}");
    assert!(!html.contains("Teilen"), "{html}");
}

#[test]
fn wrong_share_entries_are_located_in_echt_yaml() {
    let config = "title: T\nbase_url: https://example.org/\nshare:\n  - email\n  - fax\n  - mastodon: \"http://social.example/\"\n  - name: Netz\n    url: \"https://netz.example/s?u={url}&utm_campaign=blog\"\n  - name: Anders\n    url: \"https://anders.example/s?t={title}\"\n";
    let err = TestSite::new().file("echt.yaml", config).build().fails();
    for (message, at) in [
        (
            "error: echt does not know the share link `fax`",
            "echt.yaml:5:5",
        ),
        (
            "error: `http://social.example/` is not the host name of a server",
            "echt.yaml:6:16",
        ),
        (
            "error: this share address carries the tracking parameter `utm_campaign`",
            "echt.yaml:8:11",
        ),
        (
            "error: this share address leaves out the post's `{url}`",
            "echt.yaml:10:11",
        ),
    ] {
        assert!(
            crate::hostile::reported(&err, message, at),
            "no `{message}` at {at}:\n{err}"
        );
    }
}

#[test]
fn posts_have_link_previews_from_their_front_matter_and_photo() {
    let site = site();
    let built = site.build().ok();
    let meta = metas(&built.page("posts/hobel/index.html"));
    let description = "Welcher Hobel für den Anfang reicht – und warum die Säge wichtiger ist.";
    for (key, value) in [
        ("description", description),
        ("og:type", "article"),
        ("og:title", "Hobel & Säge: ein Vergleich"),
        ("og:description", description),
        ("og:url", HOBEL),
        ("og:site_name", "Werkbank"),
        ("og:locale", "de_DE"),
        ("article:published_time", "2024-05-01T09:30:00+02:00"),
        ("article:modified_time", "2024-05-03T00:00:00+00:00"),
        ("twitter:card", "summary"),
        ("twitter:title", "Hobel & Säge: ein Vergleich"),
        ("twitter:description", description),
    ] {
        assert_eq!(meta.get(key).map(String::as_str), Some(value), "{key}");
    }
    assert!(!meta.contains_key("og:image"), "no picture, no og:image");

    let meta = metas(&built.page("posts/see/index.html"));
    // No description: the summary's text, cut at a word.
    let cut = &meta["description"];
    assert!(
        cut.starts_with("Früh am Morgen lag der See so still"),
        "{cut}"
    );
    assert!(cut.ends_with('…') && cut.chars().count() <= 160, "{cut}");
    assert!(!cut.contains("  ") && !cut.contains('\n'), "{cut}");
    assert_eq!(meta["og:description"], *cut);
    assert_eq!(meta["twitter:card"], "summary_large_image");
    assert_eq!(meta["og:image:alt"], "Ein stiller See im Morgenlicht");
    assert_eq!(meta["og:image:type"], "image/png");
    assert_eq!(
        (
            meta["og:image:width"].as_str(),
            meta["og:image:height"].as_str()
        ),
        ("1200", "675")
    );
    assert!(!meta.contains_key("article:modified_time"));
    // The picture is one of the site's files, that wide.
    let image = meta["og:image"]
        .strip_prefix("https://werkbank.example.org/")
        .unwrap_or_else(|| panic!("not on the site: {}", meta["og:image"]));
    let bytes = std::fs::read(built.public.join(image)).unwrap();
    let reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .unwrap();
    assert_eq!((reader.info().width, reader.info().height), (1200, 675));
}

#[test]
fn pages_and_lists_have_website_previews() {
    let site = site();
    let built = site.build().ok();
    let site_description =
        "Notizen aus einer kleinen Holzwerkstatt: Werkzeug, Fehler und was daraus wurde.";
    let page = metas(&built.page("ueber/index.html"));
    assert_eq!(page["og:type"], "website");
    assert_eq!(page["og:title"], "Über die Werkbank");
    assert_eq!(page["og:url"], "https://werkbank.example.org/ueber/");
    assert!(page["description"].starts_with("Hier schreibt Jonas"));
    assert!(!page.contains_key("article:published_time"));
    for (file, title, url) in [
        ("index.html", "Werkbank", "https://werkbank.example.org/"),
        (
            "archiv/index.html",
            "Archiv",
            "https://werkbank.example.org/archiv/",
        ),
    ] {
        let meta = metas(&built.page(file));
        assert_eq!(meta["og:type"], "website", "{file}");
        assert_eq!(meta["og:title"], title, "{file}");
        assert_eq!(meta["og:url"], url, "{file}");
        assert_eq!(meta["description"], site_description, "{file}");
        assert_eq!(meta["twitter:card"], "summary", "{file}");
    }
    let tag = metas(&built.page("tags/werkzeug/index.html"));
    assert_eq!(
        tag["description"],
        "Beiträge zum Schlagwort Werkzeug – Werkbank"
    );
    // The 404 page has a description and no preview of an address.
    let missing = metas(&built.page("404.html"));
    assert_eq!(missing["description"], site_description);
    assert!(!missing.contains_key("og:url"));
}

#[test]
fn previews_speak_english_on_an_english_site() {
    let site = english();
    let built = site.build().ok();
    let meta = metas(&built.page("posts/see/index.html"));
    assert_eq!(meta["og:locale"], "en_US");
    assert_eq!(meta["og:type"], "article");
    assert_eq!(
        metas(&built.page("archive/index.html"))["og:title"],
        "Archive"
    );
}

#[test]
#[ignore = "needs java + vnu-jar (set VNU_JAR)"]
fn pages_with_share_links_and_previews_have_zero_html_errors() {
    for site in [site(), english()] {
        let built = site.build().ok();
        crate::validate::assert_valid(&built.public);
    }
}

#[test]
#[ignore = "needs chromium"]
fn a_reader_sees_the_share_links_and_nothing_is_fetched_elsewhere() {
    let site = site();
    let served = Served::start(&site);
    let mut browser = Chromium::start();
    let tab = browser.tab();
    browser.call(Some(&tab), "Page.enable", json!({}));
    let url = format!("{}posts/see/", served.url());
    let since = browser.navigate(&tab, &url);
    browser.wait_for("the post", since, |events| {
        events.iter().any(|e| e["method"] == "Page.loadEventFired")
    });
    browser.wait_until(&tab, "the post", "document.readyState === 'complete'");
    let shown = browser.evaluate(
        &tab,
        "(() => { const s = document.querySelector('article + section.share');
           const h = document.getElementById(s.getAttribute('aria-labelledby'));
           return { heading: h.textContent,
                    links: [...s.querySelectorAll('a')].map(a => [a.textContent, a.protocol, a.rel]),
                    visible: [...s.querySelectorAll('a')].every(a => a.getBoundingClientRect().width > 0) }; })()",
    );
    assert_eq!(shown["heading"], "Teilen");
    assert_eq!(shown["visible"], true);
    let links = shown["links"].as_array().unwrap();
    assert_eq!(links.len(), 5, "{shown}");
    assert_eq!(links[0], json!(["Per E-Mail teilen", "mailto:", ""]));
    assert_eq!(
        links[1],
        json!([
            "Teilen auf Mastodon (social.example)",
            "https:",
            "noopener noreferrer"
        ])
    );
    // Having read the page, the browser asked only the site itself.
    browser.assert_only_requests_to(&served.url());
}
