//! The preview server over real HTTP on loopback: pages, errors, safety,
//! and live reload after edits on disk.

use std::path::Path;

use crate::served::{eventually, wait_for_event, Served};
use crate::support::{post, TestSite};

#[test]
fn pages_types_redirects_and_not_found() {
    let site = TestSite::fixture("blog");
    let served = Served::start(&site);
    let (status, head, body) = served.get("/");
    assert_eq!(status, 200);
    assert!(
        head.contains("Content-Type: text/html; charset=utf-8"),
        "{head}"
    );
    assert!(
        body.contains("<script src=\"/__echt/reload.js\" defer></script>\n</body>"),
        "{body}"
    );
    let (status, head, _) = served.get("/posts/die-reise");
    assert_eq!(status, 301);
    assert!(head.contains("Location: /posts/die-reise/"), "{head}");
    for (path, kind) in [
        ("/style.css", "text/css; charset=utf-8"),
        ("/atom.xml", "application/xml; charset=utf-8"),
        ("/posts/die-reise/weg.svg", "image/svg+xml"),
        ("/humans.txt", "text/plain; charset=utf-8"),
        ("/__echt/reload.js", "text/javascript; charset=utf-8"),
    ] {
        let (status, head, body) = served.get(path);
        assert_eq!(status, 200, "{path}");
        assert!(
            head.contains(&format!("Content-Type: {kind}")),
            "{path}: {head}"
        );
        assert!(
            !body.contains("reload.js\" defer"),
            "no script outside HTML: {path}"
        );
    }
    let (status, _, body) = served.get("/gibt/es/nicht/");
    assert_eq!(status, 404);
    assert!(
        body.contains("Seite nicht gefunden"),
        "the site's 404 page: {body}"
    );
    let (status, head, body) = served.request("HEAD", "/");
    assert_eq!(status, 200);
    assert!(
        head.contains("Content-Length: ") && body.is_empty(),
        "{head}"
    );
    // Drafts and future posts are shown in the preview, marked.
    let (status, _, draft) = served.get("/posts/entwurf/");
    assert_eq!(status, 200);
    assert!(
        draft.contains("<p class=\"draft-badge\">Entwurf</p>"),
        "{draft}"
    );
    let future = served.get("/posts/zukunft/").2;
    assert!(
        future.contains("<p class=\"draft-badge\">Geplant"),
        "{future}"
    );
}

#[test]
fn requests_never_leave_the_site() {
    let site = TestSite::fixture("blog");
    std::fs::write(site.root().join("geheim.txt"), "GEHEIM").unwrap();
    let served = Served::start(&site);
    for target in [
        "/../geheim.txt",
        "/%2e%2e/geheim.txt",
        "/posts/..%2f..%2fgeheim.txt",
        "/..%5cgeheim.txt",
        "/echt.yaml",
        "/content/posts/entwurf.md",
        "/a%00b",
        "geheim.txt",
    ] {
        let (status, _, body) = served.get(target);
        assert!(status == 403 || status == 404, "{target}: {status}");
        assert!(
            !body.contains("GEHEIM") && !body.contains("base_url"),
            "{target}"
        );
    }
}

#[test]
fn an_edit_is_announced_after_the_new_page_is_ready() {
    let site = TestSite::fixture("blog");
    let served = Served::start(&site);
    let mut events = served.events();
    let path = site.root().join("content/posts/reise/index.md");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("Angekommen.", "Endlich angekommen.");
    std::fs::write(&path, text).unwrap();
    wait_for_event(&mut events, "reload");
    // By the time the event is sent, the new page is what is served.
    assert!(served
        .get("/posts/die-reise/")
        .2
        .contains("Endlich angekommen."));
}

#[test]
fn a_broken_save_shows_the_error_and_the_fix_brings_the_page_back() {
    let site = TestSite::fixture("blog");
    let served = Served::start(&site);
    let mut events = served.events();
    let path = site.root().join("content/posts/reise/index.md");
    let good = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        good.replace("date: 2024-02-29T18:00:00+01:00", "date: 2024-02-30"),
    )
    .unwrap();
    wait_for_event(&mut events, "reload");
    // The broken post's page shows the error in its place...
    let (status, _, body) = served.get("/posts/die-reise/");
    assert_eq!(status, 500, "{body}");
    assert!(body.contains("role=\"alert\""), "{body}");
    assert!(body.contains("content/posts/reise/index.md:3:7"), "{body}");
    assert!(body.contains("date: 2024-02-30"), "the source line: {body}");
    assert!(!body.contains("Angekommen."), "not the page: {body}");
    assert!(
        body.contains("/__echt/reload.js"),
        "it comes back by itself"
    );
    // ...the other pages are the last good ones, with a notice.
    let (status, _, home) = served.get("/");
    assert_eq!(status, 200);
    assert!(
        home.contains("Eine Reise") && home.contains("class=\"echt-error\""),
        "{home}"
    );
    std::fs::write(&path, good.replace("Angekommen.", "Wieder da.")).unwrap();
    wait_for_event(&mut events, "reload");
    let (status, _, body) = served.get("/posts/die-reise/");
    assert_eq!(status, 200);
    assert!(
        !body.contains("role=\"alert\"") && body.contains("Wieder da."),
        "{body}"
    );
    assert!(!served.get("/").2.contains("echt-error"));
}

#[test]
fn a_broken_template_shows_the_error_on_every_page() {
    let site = TestSite::fixture("blog");
    let served = Served::start(&site);
    let mut events = served.events();
    std::fs::create_dir_all(site.root().join("templates")).unwrap();
    std::fs::write(
        site.root().join("templates/404.html"),
        "{% extends \"base.html\" %}\n{% block main %}{{ kaputt( }}{% endblock main %}\n",
    )
    .unwrap();
    wait_for_event(&mut events, "reload");
    for page in ["/", "/posts/die-reise/", "/gibt-es-nicht/"] {
        let (status, _, body) = served.get(page);
        assert!(status == 500 || status == 404, "{page}: {status}");
        assert!(body.contains("templates/404.html:2:"), "{page}: {body}");
    }
    std::fs::remove_file(site.root().join("templates/404.html")).unwrap();
    wait_for_event(&mut events, "reload");
    assert_eq!(served.get("/").0, 200);
}

#[test]
fn editor_save_patterns_lead_to_the_final_content() {
    let site = TestSite::fixture("blog");
    let served = Served::start(&site);
    let dir = site.root().join("content/posts");
    let target = dir.join("muster.md");
    // Write a temp file, then rename it over the target (vim, many IDEs).
    std::fs::write(dir.join(".muster.md.swp"), "swap").unwrap();
    std::fs::write(dir.join("4913"), "probe").unwrap();
    std::fs::write(
        dir.join("muster.md.tmp"),
        post("Muster", "2024-05-01", "Fassung eins."),
    )
    .unwrap();
    std::fs::rename(dir.join("muster.md.tmp"), &target).unwrap();
    eventually("a renamed temp file", || {
        served.get("/posts/muster/").2.contains("Fassung eins.")
    });
    // Delete, then create (some editors).
    std::fs::remove_file(&target).unwrap();
    std::fs::write(&target, post("Muster", "2024-05-01", "Fassung zwei.")).unwrap();
    eventually("delete and create", || {
        served.get("/posts/muster/").2.contains("Fassung zwei.")
    });
    // Backup files and swap files are never published.
    std::fs::write(dir.join("muster.md~"), post("Alt", "2024-05-01", "alt")).unwrap();
    std::fs::write(
        dir.join("muster.md"),
        post("Muster", "2024-05-01", "Fassung drei."),
    )
    .unwrap();
    eventually("a write in place", || {
        served.get("/posts/muster/").2.contains("Fassung drei.")
    });
    for leftover in ["/posts/muster.md~", "/posts/4913", "/posts/.muster.md.swp"] {
        assert_eq!(served.get(leftover).0, 404, "{leftover}");
    }
}

#[test]
fn after_edits_the_preview_equals_a_clean_build() {
    let site = TestSite::fixture("blog");
    let served = Served::start(&site);
    let mut events = served.events();
    std::fs::remove_file(
        site.root()
            .join("content/posts/2014-03-11-hans-und-peter.md"),
    )
    .unwrap();
    wait_for_event(&mut events, "reload");
    let groesse = site.root().join("content/posts/2023/groesse-zeigen.md");
    let text = std::fs::read_to_string(&groesse)
        .unwrap()
        .replace("[Hans und Peter](../2014-03-11-hans-und-peter.md)", "Hans")
        .replace("tags: [Vertrauen, Öffentlichkeit]", "tags: [Mut]");
    std::fs::write(&groesse, text).unwrap();
    wait_for_event(&mut events, "reload");
    std::fs::write(
        site.root().join("content/posts/neu.md"),
        post("Neu", "2024-06-01", "Neu hier."),
    )
    .unwrap();
    wait_for_event(&mut events, "reload");

    assert_same_as_clean_build(&site, &served);
    assert_eq!(served.get("/tags/mut/").0, 200);
    // Removed posts and emptied tags are gone, not stale.
    assert_eq!(served.get("/tags/vertrauen/").0, 404);
    assert_eq!(served.get("/posts/hans-und-peter/").0, 404);
}

#[test]
fn after_every_kind_of_edit_the_preview_equals_a_clean_build() {
    let site = TestSite::fixture("blog");
    let served = Served::start(&site);
    let mut events = served.events();
    let mut step = |what: &str, event: &str, check: &dyn Fn() -> bool| {
        wait_for_event(&mut events, event);
        // An extra event of an earlier step cannot stand in for this one.
        eventually(what, check);
    };
    let page = |path: &str| served.get(path).2;
    let status = |path: &str| served.get(path).0;
    let groesse = "content/posts/2023/groesse-zeigen.md";
    let hans = "content/posts/2014-03-11-hans-und-peter.md";

    edit(
        &site,
        groesse,
        "## Warum das wirkt",
        "## Warum das so gut wirkt",
    );
    step("an edit below the summary", "reload", &|| {
        page("/posts/groesse-zeigen/").contains("Warum das so gut wirkt")
    });

    edit(
        &site,
        hans,
        "title: \"Hans und Peter\"",
        "title: \"Hans, Peter und Paul\"",
    );
    step("a new title in the lists", "reload", &|| {
        page("/archiv/").contains("Hans, Peter und Paul")
    });

    edit(
        &site,
        groesse,
        "date: 2023-06-01 08:30:00 +0200",
        "date: 2024-12-24 08:30:00 +0100",
    );
    step("a new date that changes the order", "reload", &|| {
        let archive = page("/archiv/");
        match (archive.find("Größe zeigen"), archive.find("Eine Reise")) {
            (Some(groesse), Some(reise)) => groesse < reise,
            _ => false,
        }
    });

    write(
        &site,
        "content/posts/mut.md",
        "---\ntitle: \"Mut\"\ndate: 2024-05-01\ntags: [Mut]\n---\nMut tut gut.\n",
    );
    step("a post with a new tag", "reload", &|| {
        status("/tags/mut/") == 200
    });

    edit(&site, hans, "tags: [Vertrauen]\n", "");
    step("a tag removed from one post", "reload", &|| {
        !page("/tags/vertrauen/").contains("Hans, Peter und Paul")
    });
    edit(
        &site,
        groesse,
        "tags: [Vertrauen, Öffentlichkeit]",
        "tags: [Öffentlichkeit]",
    );
    step("a tag removed from its last post", "reload", &|| {
        status("/tags/vertrauen/") == 404
    });

    // Renaming a post breaks the link to it from another post, until that
    // post is fixed too.
    let renamed = "content/posts/2014-03-11-hans-peter-und-paul.md";
    std::fs::rename(site.root().join(hans), site.root().join(renamed)).unwrap();
    step("the broken link reported", "reload", &|| {
        page("/").contains("link to `../2014-03-11-hans-und-peter.md`")
    });
    edit(
        &site,
        groesse,
        "(../2014-03-11-hans-und-peter.md)",
        "(../2014-03-11-hans-peter-und-paul.md)",
    );
    step("the renamed post at its new URL", "reload", &|| {
        status("/posts/hans-peter-und-paul/") == 200 && !page("/").contains("role=\"alert\"")
    });

    std::fs::remove_file(site.root().join("content/posts/entwurf.md")).unwrap();
    step("a deleted post", "reload", &|| {
        status("/posts/entwurf/") == 404
    });

    write(&site, "static/extra/notiz.txt", "Notiz\n");
    step("a new static file", "reload", &|| {
        page("/extra/notiz.txt") == "Notiz\n"
    });
    write(&site, "static/druck.css", "body { color: black; }\n");
    step("a new stylesheet, swapped without a reload", "css", &|| {
        status("/druck.css") == 200
    });
    std::fs::remove_file(site.root().join("static/extra/notiz.txt")).unwrap();
    step("a deleted static file", "reload", &|| {
        status("/extra/notiz.txt") == 404
    });

    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/post.html");
    let template = std::fs::read_to_string(theme).unwrap().replace(
        "<article class=\"post\">",
        "<article class=\"post\"><p>Eigene Vorlage</p>",
    );
    assert!(template.contains("Eigene Vorlage"), "the theme changed");
    write(&site, "templates/post.html", &template);
    step("a template override", "reload", &|| {
        page("/posts/die-reise/").contains("Eigene Vorlage")
    });

    edit(
        &site,
        "echt.yaml",
        "title: \"Testblog\"",
        "title: \"Mein Testblog\"",
    );
    step("a new site title", "reload", &|| {
        page("/").contains("Mein Testblog")
    });

    write(
        &site,
        "content/kontakt.md",
        "---\ntitle: \"Kontakt\"\nmenu: main\n---\nSchreib mir.\n",
    );
    step("a new page in the menu", "reload", &|| {
        page("/posts/die-reise/").contains("Kontakt")
    });

    std::fs::remove_file(site.root().join("templates/post.html")).unwrap();
    step("the template override removed", "reload", &|| {
        !page("/posts/die-reise/").contains("Eigene Vorlage")
    });

    assert_same_as_clean_build(&site, &served);
    // What is gone is gone, not stale.
    for stale in [
        "/posts/hans-und-peter/",
        "/posts/entwurf/",
        "/tags/vertrauen/",
        "/tags/vertrauen/atom.xml",
        "/extra/notiz.txt",
    ] {
        assert_eq!(status(stale), 404, "{stale}");
    }
}

/// Replaces `from` (which must be there) with `to` in a file of the site.
#[track_caller]
fn edit(site: &TestSite, rel: &str, from: &str, to: &str) {
    let path = site.root().join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} has no {from:?}");
    std::fs::write(&path, text.replace(from, to)).unwrap();
}

/// Writes a file of the site, making its folder if needed.
fn write(site: &TestSite, rel: &str, text: &str) {
    let path = site.root().join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Every file of a clean build of the same sources (with drafts and future
/// posts, like the preview) is served, and served the same.
#[track_caller]
pub(crate) fn assert_same_as_clean_build(site: &TestSite, served: &Served) {
    let out = tempfile::tempdir().unwrap();
    let built = site
        .build_with(&[
            "--drafts",
            "--future",
            "--base-url",
            &served.url(),
            "--output",
            &out.path().join("p").to_string_lossy(),
        ])
        .ok();
    let script = "<script src=\"/__echt/reload.js\" defer></script>\n";
    for file in built.files().iter().filter(|f| !f.starts_with('.')) {
        let (status, _, body) = served.request("GET", &format!("/{file}"));
        assert_eq!(status, 200, "{file}");
        // The preview adds its script (which its policy then allows), and
        // marks drafts and scheduled posts.
        let built_body =
            String::from_utf8_lossy(&std::fs::read(built.public.join(file)).unwrap()).into_owned();
        // Only a page whose own policy forbids scripts had it relaxed
        // (the search page's allows them already).
        let relaxed = file.ends_with(".html") && built_body.contains("script-src 'none'");
        let served_body = String::from_utf8_lossy(&body).replace(script, "");
        let served_body = if relaxed {
            served_body.replacen("script-src 'self'", "script-src 'none'", 1)
        } else {
            served_body
        };
        let served_body: String = served_body
            .split_inclusive('\n')
            .filter(|line| !line.contains("class=\"draft-badge\""))
            .collect();
        assert_eq!(served_body, built_body, "{file} differs from a clean build");
    }
}

#[test]
fn a_folder_deleted_and_created_again_is_still_watched() {
    let site = TestSite::fixture("blog");
    let served = Served::start(&site);
    let mut events = served.events();
    let templates = site.root().join("templates");
    let (_, theme_post) = echt::render::theme::DEFAULT_THEME
        .iter()
        .find(|(p, _)| *p == "templates/post.html")
        .unwrap();
    let theme_post = String::from_utf8_lossy(theme_post);
    let override_with = |marker: &str| {
        std::fs::create_dir_all(&templates).unwrap();
        std::fs::write(
            templates.join("post.html"),
            theme_post.replace("</article>", &format!("<p>{marker}</p></article>")),
        )
        .unwrap();
    };
    override_with("Vorlage eins");
    wait_for_event(&mut events, "reload");
    std::fs::remove_dir_all(&templates).unwrap();
    wait_for_event(&mut events, "reload");
    override_with("Vorlage zwei");
    eventually("the folder created again", || {
        served.get("/posts/die-reise/").2.contains("Vorlage zwei")
    });
    override_with("Vorlage drei");
    eventually("an edit in the folder created again", || {
        served.get("/posts/die-reise/").2.contains("Vorlage drei")
    });
}

#[test]
fn a_restarted_server_has_a_new_build_id() {
    let site = TestSite::fixture("blog");
    let first = Served::start(&site).events_from_build().1;
    let second = Served::start(&site).events_from_build().1;
    assert_ne!(first, second, "an open page would not notice the restart");
}

#[test]
fn deleting_a_file_breaks_the_unchanged_pages_that_link_to_it() {
    let site = TestSite::fixture("blog").post(
        "verweis.md",
        &post(
            "Verweis",
            "2024-05-01",
            "Wer hier schreibt: [humans.txt](/humans.txt).",
        ),
    );
    let served = Served::start(&site);
    assert_eq!(served.get("/posts/verweis/").0, 200);
    let mut events = served.events();
    std::fs::remove_file(site.root().join("static/humans.txt")).unwrap();
    wait_for_event(&mut events, "reload");
    // The linking post did not change, but its link now leads nowhere.
    let (status, _, body) = served.get("/posts/verweis/");
    assert_eq!(status, 500, "{body}");
    assert!(
        body.contains("link to `/humans.txt`, which this site does not have"),
        "{body}"
    );
    assert!(body.contains("content/posts/verweis.md:5:"), "{body}");
}

#[test]
fn permalink_pages_are_served_edited_and_shown_broken_at_their_own_url() {
    let site = TestSite::new()
        .file(
            "echt.yaml",
            &format!("{}permalink: date\n", crate::support::CONFIG),
        )
        .post(
            "2014-07-07-Über-Größe.md",
            &post("Über Größe", "2014-07-07T12:00:00+02:00", "Erster Stand."),
        );
    let served = Served::start(&site);
    let url = "/2014/07/07/%C3%9Cber-Gr%C3%B6%C3%9Fe.html";
    let (status, head, body) = served.get(url);
    assert_eq!(status, 200, "{body}");
    assert!(head.contains("text/html"), "{head}");
    assert!(body.contains("reload.js\" defer"), "{body}");
    let mut events = served.events();
    let path = site.root().join("content/posts/2014-07-07-Über-Größe.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("Erster Stand.", "Zweiter Stand.")).unwrap();
    wait_for_event(&mut events, "reload");
    assert!(served.get(url).2.contains("Zweiter Stand."));
    std::fs::write(
        &path,
        text.replace(
            "date: 2014-07-07T12:00:00+02:00",
            "date: 2014-07-07T12:00:00+02:00\ntags: [[x]]",
        ),
    )
    .unwrap();
    wait_for_event(&mut events, "reload");
    let (status, _, body) = served.get(url);
    assert_eq!(status, 500, "{body}");
    assert!(body.contains("role=\"alert\""), "{body}");
}

#[test]
fn an_author_change_and_a_bio_edit_reach_every_page_that_shows_them() {
    let site = TestSite::fixture("authors");
    let served = Served::start(&site);
    let mut events = served.events();
    let page = |path: &str| served.get(path).2;
    assert!(page("/autoren/max/").contains("<span>2 Beiträge</span>"));
    // One post changes hands: Max's pages (other pages) list it now,
    // Lena's no longer, and the post shows Max's box.
    edit(
        &site,
        "content/posts/stille-morgen.md",
        "tags: [Garten]",
        "author: max\ntags: [Garten]",
    );
    wait_for_event(&mut events, "reload");
    eventually("the post on Max's second page", || {
        page("/autoren/max/page/2/").contains("Stille Morgen")
    });
    assert!(page("/autoren/max/").contains("<span>3 Beiträge</span>"));
    assert!(!page("/autoren/lena/").contains("Stille Morgen"));
    assert!(page("/posts/stille-morgen/").contains("Zur Person:</span> Max Berger"));
    // A bio edited in echt.yaml: every post of hers shows the new one.
    edit(&site, "echt.yaml", "auf einem Hinterhof", "auf einem Dach");
    wait_for_event(&mut events, "reload");
    eventually("the new bio under her post", || {
        page("/posts/februar/").contains("Lena gärtnert auf einem Dach")
    });
    assert!(page("/autoren/lena/").contains("Lena gärtnert auf einem Dach"));
    assert_same_as_clean_build(&site, &served);
}

/// Related posts and the series box of a page are made of other posts:
/// saving one post's tags or series changes the pages of others in the
/// preview, which then equals a clean build.
#[test]
fn editing_one_posts_tags_or_series_updates_the_pages_of_others() {
    let site = TestSite::fixture("series-de");
    let served = Served::start(&site);
    let mut events = served.events();
    let page = |path: &str| served.get(path).2;
    let balkon = page("/posts/balkon-im-sommer/");
    assert!(
        !balkon.contains("href=\"../../posts/brot-backen/\""),
        "{balkon}"
    );
    // The bread post now shares `Balkon` with the balcony post.
    edit(
        &site,
        "content/posts/2024-02-01-brot-backen.md",
        "tags: [Küche]",
        "tags: [Küche, Balkon]",
    );
    wait_for_event(&mut events, "reload");
    let balkon = page("/posts/balkon-im-sommer/");
    assert!(
        balkon.contains("href=\"../../posts/brot-backen/\""),
        "{balkon}"
    );
    // The bread post joins the series: every part's box counts it.
    edit(
        &site,
        "content/posts/2024-02-01-brot-backen.md",
        "tags:",
        "series: \"Ein Jahr im Garten\"\ntags:",
    );
    wait_for_event(&mut events, "reload");
    let third = page("/posts/ernte-und-vorrat/");
    assert!(third.contains("Teil 4 von 5"), "{third}");
    assert!(third.contains(">Brot backen</a>"), "{third}");
    assert_same_as_clean_build(&site, &served);
}
