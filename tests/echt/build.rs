//! What a successful build writes: URLs, pages, lists, drafts, aliases.

use crate::support::{post, TestSite, PNG};

#[test]
fn fixture_blog_has_every_page_at_its_url() {
    let site = TestSite::fixture("blog");
    let built = site.build().ok();
    let files = built.files();
    for expected in [
        "index.html",
        "page/2/index.html",
        "posts/hans-und-peter/index.html",
        "posts/groesse-zeigen/index.html",
        "posts/die-reise/index.html",
        "posts/die-reise/weg.svg",
        "ueber-mich/index.html",
        "impressum/index.html",
        "tags/index.html",
        "tags/vertrauen/index.html",
        "tags/oeffentlichkeit/index.html",
        "tags/vertrauen/atom.xml",
        "tags/vertrauen/rss.xml",
        "tags/vertrauen/feed.json",
        "archiv/index.html",
        "404.html",
        "atom.xml",
        "rss.xml",
        "feed.json",
        "sitemap.xml",
        "robots.txt",
        "humans.txt",
        "style.css",
        "2023/06/groesse/index.html",
        "alt/groesse.html",
    ] {
        assert!(
            files.iter().any(|f| f == expected),
            "missing {expected} in {files:#?}"
        );
    }
    // Only one summary line, naming what was built.
    let stdout = built.stdout();
    assert!(stdout.starts_with("echt: "), "{stdout}");
    assert!(stdout.contains("(3 posts, 2 tags)"), "{stdout}");
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
}

#[test]
fn drafts_and_future_posts_only_on_request() {
    let site = TestSite::fixture("blog");
    let built = site.build().ok();
    assert!(!built.exists("posts/entwurf/index.html"));
    assert!(!built.exists("posts/zukunft/index.html"));
    assert!(!built.page("atom.xml").contains("Noch nicht fertig"));
    assert!(!built.page("archiv/").contains("Aus der Zukunft"));

    let built = site.build_with(&["--drafts", "--future"]).ok();
    assert!(built.page("posts/entwurf/").contains("Noch nicht fertig"));
    assert!(built.page("posts/zukunft/").contains("Aus der Zukunft"));
    // The preview's draft banner never reaches a build.
    assert!(!built.page("posts/entwurf/").contains("draft-badge"));
    assert!(!built.page("posts/zukunft/").contains("draft-badge"));
}

#[test]
fn slugs_come_from_file_names_the_german_way() {
    let site = TestSite::new()
        .post(
            "Über Größe.md",
            &post("Ein ganz anderer Titel", "2024-01-01", "Text"),
        )
        .post(
            "2019-05-02-jekyll-stil.markdown",
            "---\ntitle: Jekyll\n---\nText\n",
        )
        .file("content/Über uns/Straße.md", "---\ntitle: Weg\n---\nText\n");
    let built = site.build().ok();
    assert!(built
        .page("posts/ueber-groesse/")
        .contains("Ein ganz anderer Titel"));
    let jekyll = built.page("posts/jekyll-stil/");
    assert!(
        jekyll.contains("datetime=\"2019-05-02T00:00:00+00:00\""),
        "{jekyll}"
    );
    assert!(jekyll.contains("2. Mai 2019"), "{jekyll}");
    assert!(built.exists("ueber-uns/strasse/index.html"));
}

#[test]
fn dates_are_localized_and_ordered() {
    let site = TestSite::fixture("blog");
    let built = site.build().ok();
    let home = built.page("");
    // Newest first, two per page.
    let reise = home.find("Eine Reise").expect("newest post on page 1");
    let groesse = home.find("Größe zeigen").expect("second post on page 1");
    assert!(reise < groesse);
    assert!(!home.contains("Hans und Peter"));
    assert!(home.contains("29. Februar 2024"), "{home}");
    assert!(built.page("page/2/").contains("Hans und Peter"));
    let post = built.page("posts/groesse-zeigen/");
    assert!(
        post.contains("datetime=\"2023-06-01T08:30:00+02:00\""),
        "{post}"
    );
    assert!(post.contains("1. Juli 2023"), "updated date shown: {post}");
}

#[test]
fn english_sites_speak_english() {
    let site = TestSite::empty()
        .file(
            "echt.yaml",
            "title: Blog\nbase_url: https://example.org/\nlanguage: en\n",
        )
        .post("a.md", &post("Hello", "2015-03-11", "\"Quoted\" text."));
    let built = site.build().ok();
    let page = built.page("posts/a/");
    assert!(page.contains("<html lang=\"en\">"), "{page}");
    assert!(page.contains("March 11, 2015"), "{page}");
    assert!(page.contains("“Quoted”"), "{page}");
    assert!(built.exists("archive/index.html"));
    assert!(built.page("").contains("Read more") || !built.page("").contains("Weiterlesen"));
}

#[test]
fn markdown_features_render() {
    let site = TestSite::fixture("blog");
    let built = site.build().ok();
    let post = built.page("posts/groesse-zeigen/");
    // Links to other posts' files become their URLs, relative to the page.
    assert!(
        post.contains("href=\"../../posts/hans-und-peter/\""),
        "{post}"
    );
    assert!(
        post.contains("href=\"../../posts/die-reise/#ankunft\""),
        "{post}"
    );
    assert!(post.contains("<h2 id=\"warum-das-wirkt\">"), "{post}");
    let hans = built.page("posts/hans-und-peter/");
    assert!(hans.contains("„ihn selbst“"), "German quotes: {hans}");
    let reise = built.page("posts/die-reise/");
    assert!(
        reise.contains("src=\"../../posts/die-reise/weg.svg\" alt=\"Der Weg\""),
        "{reise}"
    );
    assert!(reise.contains("<figcaption>"), "image credit: {reise}");
    assert!(reise.contains("Zeichnung: Erika Muster"), "{reise}");
    assert!(reise.contains("id=\"fn-1\""), "footnote: {reise}");
}

#[test]
fn summaries_and_read_more() {
    let site = TestSite::fixture("blog");
    let built = site.build().ok();
    let home = built.page("");
    assert!(
        home.contains("Ein Fehler, offen zugegeben, schafft Vertrauen."),
        "{home}"
    );
    assert!(
        !home.contains("Warum das wirkt"),
        "text after <!-- more --> stays on the post: {home}"
    );
    assert!(home.contains("Weiterlesen"), "{home}");
}

#[test]
fn aliases_redirect_to_the_post() {
    let site = TestSite::fixture("blog");
    let built = site.build().ok();
    let alias = built.page("2023/06/groesse/");
    assert!(
        alias.contains(
            "<meta http-equiv=\"refresh\" content=\"0; url=../../../posts/groesse-zeigen/\">"
        ),
        "{alias}"
    );
    assert!(
        alias.contains("https://blog.example.org/sub/posts/groesse-zeigen/"),
        "{alias}"
    );
    let html = built.page("alt/groesse.html");
    assert!(html.contains("url=../posts/groesse-zeigen/"), "{html}");
}

#[test]
fn tags_pages_and_counts() {
    let site = TestSite::fixture("blog");
    let built = site.build().ok();
    let tags = built.page("tags/");
    assert!(tags.contains("Öffentlichkeit"), "{tags}");
    assert!(tags.contains("href=\"../tags/oeffentlichkeit/\""), "{tags}");
    let tag = built.page("tags/vertrauen/");
    assert!(
        tag.contains("Größe zeigen") && tag.contains("Hans und Peter"),
        "{tag}"
    );
    assert!(!tag.contains("Eine Reise"), "{tag}");
}

#[test]
fn pagination_splits_tags_and_home() {
    let mut site = TestSite::new().file(
        "echt.yaml",
        &format!("{}posts_per_page: 3\n", crate::support::CONFIG),
    );
    for i in 1..=7 {
        site = site.post(
            &format!("p{i}.md"),
            &format!(
                "---\ntitle: Beitrag {i}\ndate: 2024-01-{i:02}\ntags: [Alle]\n---\nText {i}\n"
            ),
        );
    }
    let built = site.build().ok();
    assert!(built.exists("page/3/index.html"));
    assert!(!built.exists("page/4/index.html"));
    assert!(built.exists("tags/alle/page/3/index.html"));
    let last = built.page("tags/alle/page/3/");
    assert!(last.contains("Beitrag 1"), "{last}");
    assert!(last.contains("3</"), "page number shown: {last}");
}

#[test]
fn static_files_and_theme_overrides() {
    let site = TestSite::new()
        .post("a.md", &post("A", "2024-01-01", "Text"))
        .file("static/style.css", "body { color: black }")
        .file("templates/page.html", "{% extends \"base.html\" %}{% block content %}EIGEN {{ page.title }}{% endblock content %}")
        .file("content/info.md", "---\ntitle: Info\n---\nx\n");
    let built = site.build().ok();
    assert_eq!(built.page("style.css"), "body { color: black }");
    assert!(built.page("info/").contains("EIGEN Info"));
}

#[test]
fn urls_work_under_a_subpath_and_from_disk() {
    let site = TestSite::fixture("blog");
    let built = site
        .build_with(&["--base-url", "https://anders.example.net/blog"])
        .ok();
    let post = built.page("posts/die-reise/");
    assert!(
        post.contains(
            "<link rel=\"canonical\" href=\"https://anders.example.net/blog/posts/die-reise/\">"
        ),
        "{post}"
    );
    assert!(post.contains("href=\"../../style.css\""), "{post}");
    // The 404 page is served at any depth: its links start at the base path.
    let not_found = built.page("404.html");
    assert!(
        not_found.contains("href=\"/blog/style.css\""),
        "{not_found}"
    );
}

#[test]
fn content_folder_is_optional_and_empty_sites_build() {
    let site = TestSite::new();
    let built = site.build().ok();
    assert!(built.page("").contains("Hier gibt es noch keine Beiträge."));
    assert!(built.exists("atom.xml"));
}

#[test]
fn editor_leftovers_are_never_published() {
    let site = TestSite::new()
        .post("a.md", &post("A", "2024-01-01", "Text"))
        .post(".a.md.swp", "binary")
        .post("a.md~", "---\ntitle: Backup\ndate: 2024-01-01\n---\n")
        .file("content/#notiz.md#", "x");
    let built = site.build().ok();
    let files = built.files().join("\n");
    assert!(
        !files.contains("swp") && !files.contains('~') && !files.contains('#'),
        "{files}"
    );
}

#[test]
fn a_new_build_replaces_the_old_output_completely() {
    let site = TestSite::new().post("alt.md", &post("Alt", "2024-01-01", "x"));
    site.build().ok();
    std::fs::remove_file(site.root().join("content/posts/alt.md")).unwrap();
    let site = site.post("neu.md", &post("Neu", "2024-01-02", "y"));
    let built = site.build().ok();
    assert!(!built.exists("posts/alt/index.html"), "stale page removed");
    assert!(built.exists("posts/neu/index.html"));
    site.assert_no_leftovers();
}

#[test]
fn rebuilds_write_only_what_changed_and_equal_a_fresh_build() {
    let site = TestSite::fixture("blog");
    site.build().ok();
    let again = site.build().ok();
    assert!(
        again.stdout().trim_end().ends_with("(unchanged)"),
        "{}",
        again.stdout()
    );

    // Edit one post, delete another, add a third.
    let groesse = site.root().join("content/posts/2023/groesse-zeigen.md");
    let text = std::fs::read_to_string(&groesse)
        .unwrap()
        .replace("schafft Vertrauen", "schafft echtes Vertrauen");
    std::fs::write(&groesse, text).unwrap();
    std::fs::remove_file(
        site.root()
            .join("content/posts/2014-03-11-hans-und-peter.md"),
    )
    .unwrap();
    let site = site
        .post("neu.md", &post("Neu", "2024-03-01", "Frisch."))
        .file(
            "content/posts/2023/groesse-zeigen.md",
            &std::fs::read_to_string(&groesse).unwrap().replace(
                "[Hans und Peter](../2014-03-11-hans-und-peter.md)",
                "Hans und Peter",
            ),
        );
    let updated = site.build().ok();
    assert!(
        updated.stdout().contains(" changed)"),
        "{}",
        updated.stdout()
    );
    assert!(!updated.exists("posts/hans-und-peter/index.html"));

    let fresh_dir = tempfile::tempdir().unwrap();
    let fresh = site
        .build_with(&["--output", &fresh_dir.path().join("out").to_string_lossy()])
        .ok();
    let (a, b) = (updated.files(), fresh.files());
    assert_eq!(a, b, "same files");
    for file in a {
        assert_eq!(
            std::fs::read(updated.public.join(&file)).unwrap(),
            std::fs::read(fresh.public.join(&file)).unwrap(),
            "{file} differs from a fresh build"
        );
    }
}

#[test]
fn static_files_may_not_replace_generated_pages_but_robots_txt_may() {
    let site = TestSite::new()
        .post("a.md", &post("A", "2024-01-01", "Text"))
        .file("static/robots.txt", "User-agent: *\nDisallow: /privat/\n")
        .file("static/posts/a/index.html", "<p>überschrieben</p>");
    let err = site.build().fails();
    assert!(
        err.starts_with("error: content/posts/a.md and static/posts/a/index.html would both be written to /posts/a/\n  --> static/posts/a/index.html\n"),
        "{err}"
    );
    std::fs::remove_file(site.root().join("static/posts/a/index.html")).unwrap();
    let built = site.build().ok();
    assert_eq!(
        built.page("robots.txt"),
        "User-agent: *\nDisallow: /privat/\n"
    );
    // An overridden theme file is written once, not rewritten on every build.
    let site = site.file("static/style.css", "body { color: black }");
    site.build().ok();
    assert!(site
        .build()
        .ok()
        .stdout()
        .trim_end()
        .ends_with("(unchanged)"));
}

#[test]
fn front_matter_summary_and_image_resolve_like_the_text() {
    let site = TestSite::new()
        .post("b.md", &post("B", "2024-01-01", "Text"))
        .bytes("content/posts/bild.png", PNG)
        .post(
            "a.md",
            "---\ntitle: A\ndate: 2024-01-02\nimage: bild.png\nimage_alt: Ein Bild\nsummary: 'Siehe [B](b.md) und \"das\"'\n---\n![x](bild.png)\n",
        );
    let built = site.build().ok();
    let page = built.page("posts/a/");
    assert!(
        page.contains("<img src=\"../../posts/bild.png\" srcset=\"../../posts/bild.png 1w\""),
        "{page}"
    );
    assert!(
        page.contains("width=\"1\" height=\"1\" alt=\"Ein Bild\""),
        "{page}"
    );
    let home = built.page("");
    assert!(
        home.contains("<a href=\"./posts/b/\">B</a> und „das“"),
        "{home}"
    );
    assert!(
        page.contains("content=\"Siehe B und „das“\""),
        "plain text description: {page}"
    );

    let broken = TestSite::new().post(
        "a.md",
        "---\ntitle: A\ndate: 2024-01-02\nsummary: 'Siehe [X](fehlt.md)'\n---\nText\n",
    );
    let err = broken.build().fails();
    assert!(err.starts_with("error: link to `fehlt.md`, which is not a post or page of this site\n  --> content/posts/a.md:4:10\n"), "{err}");
}

#[test]
fn a_footnote_referred_to_only_from_a_heading_or_a_footnote_builds() {
    // Such a footnote has no reference with an id on the page, so its
    // entry must not link back to one (the audit refuses dangling anchors).
    let body = "## Warum[^a]\n\nText[^b].\n\n[^a]: Nur im Titel.\n[^b]: Siehe auch[^a].\n";
    let site = TestSite::new().post("fussnoten.md", &post("Fußnoten", "2024-03-01", body));
    let built = site.build().ok();
    let page = built.page("posts/fussnoten/");
    assert!(
        page.contains("<li id=\"fn-1\"><p>Nur im Titel.</p></li>"),
        "{page}"
    );
    assert!(
        page.contains("href=\"../../posts/fussnoten/#fnref-2\""),
        "{page}"
    );
}
