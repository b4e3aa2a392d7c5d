//! Permalinks: posts where echt.yaml's pattern (or their own) puts them,
//! old paths that keep answering, and everything that links to a post
//! following it.

use crate::support::{post, TestSite, CONFIG};

fn site_with(config_extra: &str) -> TestSite {
    TestSite::empty().file("echt.yaml", &format!("{CONFIG}{config_extra}"))
}

#[test]
fn date_permalinks_write_files_and_every_link_follows() {
    let site = site_with("permalink: date\n")
        .post(
            "2014-07-07-Teamtreffen.md",
            "---\ntitle: Teamtreffen\ndate: 2014-07-07T18:00:00+02:00\ntags: [team]\n---\nWir haben geredet. Siehe [den Bericht](2015-03-01-Was-hat-sich-geändert%3F.md#neu).\n",
        )
        .post(
            "2015-07-07-Teamtreffen.md",
            "---\ntitle: Teamtreffen\ndate: 2015-07-07T18:00:00+02:00\n---\nEin Jahr später: ![Tafel](/bilder/tafel.png)\n",
        )
        .post(
            "2015-03-01-Was-hat-sich-geändert?.md",
            "---\ntitle: Was hat sich geändert?\ndate: 2015-03-01\ncategories: [Release Notes]\n---\n## Neu {#neu}\n\nVieles.\n",
        )
        .bytes("static/bilder/tafel.png", crate::support::PNG);
    let built = site.build().ok();
    // Recurring titles on different dates no longer collide.
    let first = built.page("2014/07/07/Teamtreffen.html");
    assert!(built.exists("2015/07/07/Teamtreffen.html"));
    // `:title` keeps case and umlauts; categories lead, in lower case.
    let report = "release-notes/2015/03/01/Was-hat-sich-geändert.html";
    assert!(built.exists(report), "{:?}", built.files());
    // Markdown links come percent-encoded, as pulldown-cmark writes them.
    assert!(
        first.contains(
            "href=\"../../../release-notes/2015/03/01/Was-hat-sich-ge%C3%A4ndert.html#neu\""
        ),
        "{first}"
    );
    // The page's own relative links start from its folder.
    let second = built.page("2015/07/07/Teamtreffen.html");
    assert!(
        second.contains("src=\"../../../bilder/tafel.png\""),
        "{second}"
    );
    // Lists, feeds and the sitemap point at the same files.
    let home = built.page("index.html");
    assert!(
        home.contains("href=\"./2014/07/07/Teamtreffen.html\""),
        "{home}"
    );
    let feed = built.page("atom.xml");
    assert!(
        feed.contains("https://example.org/2014/07/07/Teamtreffen.html"),
        "{feed}"
    );
    let sitemap = built.page("sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.org/2015/07/07/Teamtreffen.html</loc>"),
        "{sitemap}"
    );
    // Sitemaps and feeds want URLs: what is not ASCII is encoded.
    assert!(
        sitemap.contains("<loc>https://example.org/release-notes/2015/03/01/Was-hat-sich-ge%C3%A4ndert.html</loc>"),
        "{sitemap}"
    );
    assert!(feed
        .contains("https://example.org/release-notes/2015/03/01/Was-hat-sich-ge%C3%A4ndert.html"));
    let tag = built.page("tags/team/index.html");
    assert!(
        tag.contains("href=\"../../2014/07/07/Teamtreffen.html\""),
        "{tag}"
    );
}

#[test]
fn pretty_and_own_permalinks_make_folders() {
    let site = site_with("permalink: pretty\n")
        .post(
            "2016-05-05-umzug.md",
            &post("Umzug", "2016-05-05", "Wir ziehen um."),
        )
        .post(
            "2016-05-06-eigen.md",
            "---\ntitle: Eigen\ndate: 2016-05-06\npermalink: /besonders/:slug/\n---\nHier.\n",
        )
        .file(
            "content/ueber.md",
            "---\ntitle: Über uns\npermalink: /about.html\n---\nWir.\n",
        );
    let built = site.build().ok();
    assert!(built.exists("2016/05/05/umzug/index.html"));
    assert!(built.exists("besonders/eigen/index.html"));
    assert!(built.exists("about.html"), "{:?}", built.files());
    assert!(!built.exists("ueber/index.html"));
}

#[test]
fn two_posts_clash_only_on_really_equal_urls() {
    let site = site_with("permalink: /:title/\n")
        .post("2016-05-05-Umzug.md", &post("Umzug", "2016-05-05", "Eins."))
        .post("2017-05-05-Umzug.md", &post("Umzug", "2017-05-05", "Zwei."));
    let err = site.build().fails();
    assert!(err.contains("2016-05-05-Umzug.md"), "{err}");
    assert!(err.contains("2017-05-05-Umzug.md"), "{err}");
    let site = site_with("permalink: /:year/:title/\n")
        .post("2016-05-05-Umzug.md", &post("Umzug", "2016-05-05", "Eins."))
        .post("2017-05-05-Umzug.md", &post("Umzug", "2017-05-05", "Zwei."));
    site.build().ok();
}

#[test]
fn old_paths_and_redirects_answer() {
    let site = site_with(
        "permalink: /:year/:month/:day/:title.html\nredirects:\n  - from: /archive.html\n    to: /archiv/\n  - from: /page2/\n    to: /tags/\n",
    )
    .post(
        "2016-05-06-team.md",
        "---\ntitle: Team\ndate: 2016-05-06\naliases: [\"/release%20notes/2016/05/06/team.html\", /alt/team]\n---\nText.\n",
    );
    let built = site.build().ok();
    let old = built.page("release notes/2016/05/06/team.html");
    assert!(
        old.contains("url=../../../../2016/05/06/team.html\""),
        "{old}"
    );
    assert!(built.exists("alt/team/index.html"));
    let archive = built.page("archive.html");
    assert!(archive.contains("url=./archiv/\""), "{archive}");
    assert!(built.page("page2/index.html").contains("url=../tags/\""));
}

#[test]
fn bad_permalinks_are_errors_at_their_place() {
    let site = site_with("permalink: /:year/:slug\n").post("a.md", &post("A", "2024-01-01", "x"));
    let err = site.build().fails();
    assert!(err.contains("echt.yaml:6:12"), "{err}");
    assert!(
        err.contains("ends in neither `/` (a folder) nor `.html` (a file)"),
        "{err}"
    );

    let site = site_with(
        "markdown:\n  heading_ids: gitlab\nredirects:\n  - from: https://x.org/\n    to: /\n",
    )
    .post("a.md", &post("A", "2024-01-01", "x"));
    let err = site.build().fails();
    assert!(
        err.contains("echt does not know the heading ids `gitlab`"),
        "{err}"
    );
    assert!(err.contains("echt.yaml:7:16"), "{err}");
    assert!(
        err.contains("`https://x.org/` is not a path on this site"),
        "{err}"
    );

    let site = TestSite::new()
        .post(
            "a.md",
            "---\ntitle: A\ndate: 2024-01-01\npermalink: /:yaer/\n---\nx\n",
        )
        .file(
            "content/seite.md",
            "---\ntitle: Seite\npermalink: /:year/seite/\n---\nx\n",
        );
    let err = site.build().fails();
    assert!(err.contains("content/posts/a.md:4:"), "{err}");
    assert!(err.contains("`:yaer`, which echt does not know"), "{err}");
    assert!(err.contains("content/seite.md:3:"), "{err}");
    assert!(
        err.contains("the permalink needs a date, and this page has none"),
        "{err}"
    );
}

#[test]
fn headings_get_the_ids_kramdown_gave_them() {
    let body = "## Was hat sich geändert ?\n\nViel.\n\n## Über Größe & Maß\n\nText.\n\n## Über Größe & Maß\n\nNoch einmal. [Zurück](#was-hat-sich-geändert-)\n";
    let site = site_with("markdown:\n  heading_ids: kramdown\n")
        .post("2016-05-05-ids.md", &post("Ids", "2016-05-05", body));
    let page = site.build().ok().page("posts/ids/index.html");
    for id in [
        "was-hat-sich-geändert-",
        "über-größe--maß",
        "über-größe--maß-1",
    ] {
        assert!(page.contains(&format!("id=\"{id}\"")), "{id}: {page}");
    }
    let site = site_with("").post("2016-05-05-ids.md", &post("Ids", "2016-05-05", body));
    // With echt's ids the old anchor is gone, and the audit says so.
    let err = site.build().fails();
    assert!(err.contains("#was-hat-sich-geändert-"), "{err}");
}
