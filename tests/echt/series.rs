//! Series and related posts on two fixture sites, German
//! (`tests/sites/series-de`: three parts, a fourth as a draft,
//! `related.count: 2`) and English (`tests/sites/series-en`, the default
//! count): the box under each part, the series' pages, the list of related
//! posts, the sitemap, located errors, vnu and a reader in Chromium.

use crate::support::TestSite;

/// The text of the element that starts with `start` (up to its end tag
/// `end`), or an empty string.
fn block<'a>(page: &'a str, start: &str, end: &str) -> &'a str {
    let Some(at) = page.find(start) else {
        return "";
    };
    let rest = &page[at..];
    &rest[..rest.find(end).map_or(rest.len(), |e| e + end.len())]
}

fn series_box(page: &str) -> &str {
    block(page, "<nav class=\"series\"", "</nav>")
}

fn related(page: &str) -> &str {
    block(page, "<section class=\"related\"", "</section>")
}

/// The link targets of `html`, in order.
fn links(html: &str) -> Vec<&str> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect()
}

#[test]
fn each_part_shows_its_place_and_links_the_others() {
    let site = TestSite::fixture("series-de");
    let built = site.build().ok();
    let second = built.page("posts/erste-aussaat/");
    let nav = series_box(&second);
    assert!(
        nav.contains("aria-label=\"Serie: Ein Jahr im Garten\""),
        "{nav}"
    );
    assert!(nav.contains("Teil 2 von 3"), "{nav}");
    assert!(
        nav.contains("href=\"../../serien/ein-jahr-im-garten/\""),
        "{nav}"
    );
    // The other parts are links, oldest first; this one is marked, not linked.
    assert_eq!(
        links(nav),
        [
            "../../serien/ein-jahr-im-garten/",
            "../../posts/beete-planen/",
            "../../posts/ernte-und-vorrat/"
        ]
    );
    assert!(
        nav.contains("<li><span aria-current=\"page\">Die erste Aussaat</span></li>"),
        "{nav}"
    );
    // The draft is no part of the published series.
    assert!(!second.contains("Samen tauschen"));
    assert!(built.page("posts/beete-planen/").contains("Teil 1 von 3"));
    assert!(built
        .page("posts/ernte-und-vorrat/")
        .contains("Teil 3 von 3"));
    // A post of no series has no box.
    assert_eq!(series_box(&built.page("posts/tomaten-im-topf/")), "");
}

#[test]
fn drafts_are_parts_only_where_drafts_are_shown() {
    let site = TestSite::fixture("series-de");
    let built = site.build_with(&["--drafts"]).ok();
    let nav_of = |path: &str| series_box(&built.page(path)).to_string();
    assert!(nav_of("posts/erste-aussaat/").contains("Teil 2 von 4"));
    assert!(nav_of("posts/samen-tauschen/").contains("Teil 4 von 4"));
    let page = built.page("serien/ein-jahr-im-garten/");
    assert!(page.contains("4 Beiträge"), "{page}");
}

#[test]
fn the_series_page_lists_the_parts_oldest_first() {
    let site = TestSite::fixture("series-de");
    let built = site.build().ok();
    let page = built.page("serien/ein-jahr-im-garten/");
    assert!(
        page.contains("<h1>Serie „Ein Jahr im Garten“</h1>"),
        "{page}"
    );
    assert!(page.contains("3 Beiträge"), "{page}");
    let order: Vec<usize> = ["Beete planen", "Die erste Aussaat", "Ernte und Vorrat"]
        .iter()
        .map(|title| page.find(&format!(">{title}</a>")).unwrap())
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    assert!(!page.contains("Samen tauschen"));
    let index = built.page("serien/");
    assert!(index.contains("<h1>Alle Serien</h1>"), "{index}");
    assert!(
        index.contains("<a href=\"../serien/ein-jahr-im-garten/\">Ein Jahr im Garten</a>"),
        "{index}"
    );
    let sitemap = built.page("sitemap.xml");
    for url in [
        "https://garten.example.org/serien/",
        "https://garten.example.org/serien/ein-jahr-im-garten/",
    ] {
        assert!(sitemap.contains(&format!("<loc>{url}</loc>")), "{sitemap}");
    }
}

#[test]
fn related_posts_share_the_rarest_tags_and_skip_the_series() {
    let site = TestSite::fixture("series-de");
    let built = site.build().ok();
    let related_of = |path: &str| {
        let page = built.page(path);
        links(related(&page))
            .into_iter()
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    // Shares `Garten` and `Saatgut` with the second part, `Balkon` (as
    // rare as `Saatgut`) with the balcony; `Garten` alone counts less.
    assert_eq!(
        related_of("posts/tomaten-im-topf/"),
        [
            "../../posts/erste-aussaat/",
            "../../posts/balkon-im-sommer/"
        ]
    );
    // The other parts are in the series box, not here; no filler.
    assert_eq!(
        related_of("posts/erste-aussaat/"),
        ["../../posts/tomaten-im-topf/"]
    );
    assert_eq!(
        related_of("posts/ernte-und-vorrat/"),
        [
            "../../posts/einmachglaeser/",
            "../../posts/tomaten-im-topf/"
        ]
    );
    let page = built.page("posts/tomaten-im-topf/");
    let section = related(&page);
    assert!(
        section.contains("<h2 id=\"related-title\">Ähnliche Beiträge</h2>"),
        "{section}"
    );
    assert!(section.contains("datetime=\"2024-05-10"), "{section}");
    // Without a tag there is nothing related, and no empty section.
    assert_eq!(related(&built.page("posts/ein-neues-jahr/")), "");
}

#[test]
fn an_english_site_speaks_english() {
    let site = TestSite::fixture("series-en");
    let built = site.build().ok();
    let first = built.page("posts/a-first-starter/");
    let nav = series_box(&first);
    assert!(
        nav.contains("aria-label=\"Series: Learning to bake\""),
        "{nav}"
    );
    assert!(nav.contains("Part 1 of 2"), "{nav}");
    assert!(
        nav.contains("href=\"../../series/learning-to-bake/\""),
        "{nav}"
    );
    let shaping = built.page("posts/shaping-a-loaf/");
    assert!(related(&shaping).contains("Related posts"), "{shaping}");
    assert_eq!(
        links(related(&shaping)),
        ["../../posts/flatbread/", "../../posts/rye-on-sundays/"]
    );
    // Equal scores: the newer first.
    assert_eq!(
        links(related(&built.page("posts/rye-on-sundays/"))),
        [
            "../../posts/shaping-a-loaf/",
            "../../posts/a-first-starter/"
        ]
    );
    let page = built.page("series/learning-to-bake/");
    assert!(
        page.contains("<h1>Series “Learning to bake”</h1>"),
        "{page}"
    );
    assert!(built.page("series/").contains("<h1>All series</h1>"));
}

#[test]
fn related_count_zero_turns_the_list_off() {
    let site = TestSite::fixture("series-en");
    let config = std::fs::read_to_string(site.root().join("echt.yaml")).unwrap();
    let site = site.file("echt.yaml", &format!("{config}related:\n  count: 0\n"));
    let built = site.build().ok();
    for post in ["a-first-starter", "shaping-a-loaf", "rye-on-sundays"] {
        let page = built.page(&format!("posts/{post}/"));
        assert_eq!(related(&page), "", "{post}");
    }
    // The series stays.
    assert!(built.page("posts/shaping-a-loaf/").contains("Part 2 of 2"));
}

#[test]
fn a_site_without_series_has_no_series_pages() {
    let site = TestSite::new().post(
        "a.md",
        "---\ntitle: A\ndate: 2024-01-01\ntags: [x]\n---\nText.\n",
    );
    let built = site.build().ok();
    assert!(!built.exists("serien/index.html"));
    assert!(!built.page("sitemap.xml").contains("serien"));
}

#[test]
fn series_problems_are_located_at_the_key() {
    let site = TestSite::new()
        .post(
            "a.md",
            "---\ntitle: A\ndate: 2024-01-01\nseries: [Eins, Zwei]\n---\nText.\n",
        )
        .post(
            "b.md",
            "---\ntitle: B\ndate: 2024-01-02\nseries: \"Über Bücher\"\n---\nText.\n",
        )
        .post(
            "c.md",
            "---\ntitle: C\ndate: 2024-01-03\nseries: \"Ueber Buecher\"\n---\nText.\n",
        );
    let err = site.build().fails();
    assert!(
        err.contains("`series` must be the name of one series"),
        "{err}"
    );
    assert!(err.contains("content/posts/a.md:4:9"), "{err}");
    assert!(
        err.contains("would share the page /serien/ueber-buecher/"),
        "{err}"
    );
    assert!(err.contains("content/posts/b.md:4:9"), "{err}");
    let config = TestSite::new()
        .file(
            "echt.yaml",
            "title: T\nbase_url: https://example.org/\nrelated:\n  count: 99\n",
        )
        .build()
        .fails();
    assert!(
        config.contains("related.count must be at most 20"),
        "{config}"
    );
    assert!(config.contains("echt.yaml:4:10"), "{config}");
}

#[test]
#[ignore = "needs java + vnu-jar (set VNU_JAR)"]
fn series_and_related_pages_have_zero_html_errors() {
    for (fixture, args) in [("series-de", &["--drafts"][..]), ("series-en", &[][..])] {
        let site = TestSite::fixture(fixture);
        let built = site.build_with(args).ok();
        assert!(built.exists("posts/tomaten-im-topf/index.html") || fixture == "series-en");
        crate::validate::assert_valid(&built.public);
    }
}

#[test]
#[ignore = "needs chromium"]
fn a_reader_sees_the_series_and_related_posts_under_a_post() {
    use crate::chromium::Chromium;

    let site = TestSite::fixture("series-de");
    let served = crate::served::Served::start(&site);
    let mut browser = Chromium::start();
    let page = browser.tab();
    browser.navigate(&page, &format!("{}posts/erste-aussaat/", served.url()));
    browser.wait_until(
        &page,
        "the post",
        "document.readyState === 'complete' && !!document.querySelector('nav.series')",
    );
    let facts = browser.evaluate(
        &page,
        "JSON.stringify((() => {
            const nav = document.querySelector('nav.series');
            const related = document.querySelector('section.related');
            const article = document.querySelector('article.post');
            const shown = e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
            return {
                label: nav.getAttribute('aria-label'),
                place: nav.querySelector('.series-place').innerText,
                parts: [...nav.querySelectorAll('li')].map(li => li.innerText),
                current: nav.querySelector('[aria-current=page]').innerText,
                currentIsLink: !!nav.querySelector('a[aria-current]'),
                navShown: shown(nav),
                heading: related.querySelector('h2').innerText,
                labelledBy: document.getElementById(related.getAttribute('aria-labelledby')).innerText,
                related: [...related.querySelectorAll('a')].map(a => a.innerText),
                relatedShown: shown(related),
                below: nav.getBoundingClientRect().top >= article.getBoundingClientRect().bottom
                    && related.getBoundingClientRect().top >= nav.getBoundingClientRect().bottom,
                inMain: !!nav.closest('main') && !!related.closest('main'),
            };
        })())",
    );
    let facts: serde_json::Value = serde_json::from_str(facts.as_str().unwrap()).unwrap();
    assert_eq!(facts["label"], "Serie: Ein Jahr im Garten", "{facts}");
    // The preview shows drafts: the fourth part is there.
    assert_eq!(facts["place"], "Teil 2 von 4", "{facts}");
    assert_eq!(
        facts["parts"],
        serde_json::json!([
            "Beete planen",
            "Die erste Aussaat",
            "Ernte und Vorrat",
            "Samen tauschen"
        ]),
        "{facts}"
    );
    assert_eq!(facts["current"], "Die erste Aussaat", "{facts}");
    assert_eq!(facts["currentIsLink"], false, "{facts}");
    assert_eq!(facts["heading"], "Ähnliche Beiträge", "{facts}");
    assert_eq!(facts["labelledBy"], "Ähnliche Beiträge", "{facts}");
    assert_eq!(
        facts["related"],
        serde_json::json!(["Tomaten im Topf"]),
        "{facts}"
    );
    for key in ["navShown", "relatedShown", "below", "inMain"] {
        assert_eq!(facts[key], true, "{key}: {facts}");
    }
    browser.assert_only_requests_to(&served.url());
}
