//! The pure parts of rendering: pagination, the list of output files and
//! who owns each, the sitemap made from it, and fingerprints.

use super::context::paginator;
use super::fixture::{self, config, post};
use super::outputs::{list_path, list_range, page_count, Outputs, What};
use super::*;
use crate::util::url::ROOT;

#[test]
fn pagination_paths() {
    assert_eq!(list_path("", 0), "");
    assert_eq!(list_path("", 1), "page/2/");
    assert_eq!(list_path("tags/x/", 2), "tags/x/page/3/");
    let p = serde_json::to_value(paginator("", 0, 3)).expect("json");
    assert_eq!(p["previous_url"], Value::Null);
    assert_eq!(p["next_url"], format!("{ROOT}page/2/"));
    assert_eq!(p["first_url"], ROOT);
    assert_eq!(p["last_url"], format!("{ROOT}page/3/"));
    assert_eq!(p["current"], 1);
    let last = serde_json::to_value(paginator("tags/x/", 2, 3)).expect("json");
    assert_eq!(last["previous_url"], format!("{ROOT}tags/x/page/2/"));
    assert_eq!(last["next_url"], Value::Null);
    // An empty list still has its first page.
    assert_eq!(page_count(0, 10), 1);
    assert_eq!(page_count(10, 10), 1);
    assert_eq!(page_count(11, 10), 2);
    assert_eq!(list_range(5, 0, 2), 0..2);
    assert_eq!(list_range(5, 2, 2), 4..5);
    assert_eq!(list_range(0, 0, 2), 0..0);
}

/// Three posts in two tags (two per page), one with an old URL; a
/// privacy page with text of its own between two other pages, one in the
/// menu; a static file.
fn small_site() -> fixture::Fixture {
    fixture::load(&[
        ("echt.yaml", &config("")),
        (
            "content/posts/a.md",
            &post("title: A\ndate: 2023-06-01\ntags: [Eins]", "Von A."),
        ),
        (
            "content/posts/b.md",
            &post(
                "title: B\ndate: 2024-02-01\nupdated: 2024-02-03\ntags: [Eins, Zwei]\naliases: [\"/alt/b/\"]",
                "Von B.",
            ),
        ),
        (
            "content/posts/c.md",
            &post("title: C\ndate: 2024-03-01", "Von C."),
        ),
        ("content/datenschutz.md", &post("title: Datenschutz", "Wir.")),
        ("content/impressum.md", &post("title: Impressum", "Adresse.")),
        ("content/ueber.md", &post("title: Über\nmenu: main", "Ich.")),
        ("static/x.txt", "x"),
    ])
}

/// Each output file as `path  what  owner`.
fn listed(outputs: &Outputs<'_>) -> Vec<String> {
    outputs
        .files
        .iter()
        .map(|file| {
            let what = match &file.what {
                What::Page(job) => job.template().to_string(),
                What::Feed { format, .. } => format!("{format:?}"),
                What::Generated { .. } => "generated".to_string(),
                What::Copy(_) => "copy".to_string(),
                What::Picture { .. } => "picture".to_string(),
                What::Search(part) => format!("{part:?}"),
            };
            let owner = outputs.registry.owner(&file.path).expect("an owner");
            format!("{}  {what}  {}", file.path, owner.what)
        })
        .collect()
}

#[test]
fn the_output_list_of_a_small_site() {
    let f = small_site();
    let outputs = Outputs::new(&f.site, &f.theme);
    assert_eq!(
        listed(&outputs),
        [
            "index.html  index.html  the home page",
            "page/2/index.html  index.html  page 2 of the home page",
            "posts/c/index.html  post.html  content/posts/c.md",
            "posts/b/index.html  post.html  content/posts/b.md",
            "posts/a/index.html  post.html  content/posts/a.md",
            "datenschutz/index.html  privacy.html  the privacy page (with content/datenschutz.md)",
            "impressum/index.html  page.html  content/impressum.md",
            "ueber/index.html  page.html  content/ueber.md",
            "tags/index.html  tags.html  the list of tags",
            "tags/eins/index.html  tag.html  page 1 of the tag `Eins`",
            "tags/zwei/index.html  tag.html  page 1 of the tag `Zwei`",
            "archiv/index.html  archive.html  the archive",
            "404.html  404.html  the 404 page",
            "atom.xml  Atom  the feed /atom.xml",
            "rss.xml  Rss  the feed /rss.xml",
            "feed.json  Json  the feed /feed.json",
            "tags/eins/atom.xml  Atom  the feed /tags/eins/atom.xml",
            "tags/eins/rss.xml  Rss  the feed /tags/eins/rss.xml",
            "tags/eins/feed.json  Json  the feed /tags/eins/feed.json",
            "tags/zwei/atom.xml  Atom  the feed /tags/zwei/atom.xml",
            "tags/zwei/rss.xml  Rss  the feed /tags/zwei/rss.xml",
            "tags/zwei/feed.json  Json  the feed /tags/zwei/feed.json",
            "sitemap.xml  generated  echt's /sitemap.xml",
            "robots.txt  generated  echt's /robots.txt",
            "_headers  generated  echt's /_headers",
            "_nginx.conf  generated  echt's /_nginx.conf",
            "alt/b/index.html  generated  the alias `/alt/b/` of content/posts/b.md",
            "favicon.svg  copy  the default theme's favicon.svg",
            "style.css  copy  the default theme's style.css",
            "x.txt  copy  static/x.txt",
        ]
    );
    assert!(outputs.registry.problems.is_empty());
    assert!(outputs.refused.is_empty());
    // Every path the registry knows is in the list, once.
    let paths: Vec<&String> = outputs.registry.paths().collect();
    assert_eq!(paths.len(), outputs.files.len());
}

#[test]
fn without_tag_feeds_or_privacy_page_the_list_has_none() {
    let f = fixture::load(&[
        (
            "echt.yaml",
            &config("feed:\n  tags: false\nprivacy:\n  page: false\n"),
        ),
        (
            "content/posts/a.md",
            &post("title: A\ndate: 2024-01-01\ntags: [Eins]", "Von A."),
        ),
        (
            "content/datenschutz.md",
            &post("title: Datenschutz", "Wir."),
        ),
    ]);
    let outputs = Outputs::new(&f.site, &f.theme);
    let paths: Vec<&str> = outputs.files.iter().map(|f| f.path.as_str()).collect();
    assert!(paths.contains(&"atom.xml"), "{paths:?}");
    assert!(!paths
        .iter()
        .any(|p| p.starts_with("tags/eins/") && p.ends_with(".xml")));
    // The content page at the privacy page's URL is an ordinary page.
    let owner = outputs
        .registry
        .owner("datenschutz/index.html")
        .expect("an owner");
    assert_eq!(owner.what, "content/datenschutz.md");
}

#[test]
fn the_sitemap_lists_the_first_page_of_each_list_and_every_document() {
    let f = small_site();
    let outputs = Outputs::new(&f.site, &f.theme);
    let sitemap = outputs
        .files
        .iter()
        .find_map(|file| match &file.what {
            What::Generated { bytes, .. } if file.path == "sitemap.xml" => Some(bytes),
            _ => None,
        })
        .expect("a sitemap");
    let sitemap = String::from_utf8_lossy(sitemap);
    let urls: Vec<&str> = sitemap.lines().filter(|l| l.starts_with("<url>")).collect();
    let base = "https://example.org/blog/";
    assert_eq!(
        urls,
        [
            format!("<url><loc>{base}</loc><lastmod>2024-03-01T00:00:00+00:00</lastmod></url>"),
            format!(
                "<url><loc>{base}posts/c/</loc><lastmod>2024-03-01T00:00:00+00:00</lastmod></url>"
            ),
            format!(
                "<url><loc>{base}posts/b/</loc><lastmod>2024-02-03T00:00:00+00:00</lastmod></url>"
            ),
            format!(
                "<url><loc>{base}posts/a/</loc><lastmod>2023-06-01T00:00:00+00:00</lastmod></url>"
            ),
            format!("<url><loc>{base}datenschutz/</loc></url>"),
            format!("<url><loc>{base}impressum/</loc></url>"),
            format!("<url><loc>{base}ueber/</loc></url>"),
            format!("<url><loc>{base}tags/</loc></url>"),
            format!("<url><loc>{base}tags/eins/</loc></url>"),
            format!("<url><loc>{base}tags/zwei/</loc></url>"),
            format!("<url><loc>{base}archiv/</loc></url>"),
        ]
    );
}

fn fingerprints_of(site: &Site, theme: &Theme) -> Fingerprints {
    let options = RenderOptions {
        year: 2024,
        preview: false,
    };
    Prepared::new(site, theme, &options).fingerprints(&|_| 0)
}

/// The fingerprints of the site in `root` once its only post is dated
/// `date`.
fn dated(root: &Path, date: &str) -> Fingerprints {
    let text = post(&format!("title: A\ndate: {date}\ntags: [Eins]"), "Von A.");
    fixture::write(
        root,
        &[("echt.yaml", &config("")), ("content/posts/a.md", &text)],
    );
    let (site, theme) = fixture::load_from(root);
    fingerprints_of(&site, &theme)
}

#[test]
fn a_date_at_another_offset_changes_the_lists_and_feeds_that_show_it() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = dir.path();
    let one = dated(root, "2024-03-01T10:00:00+01:00");
    // The same instant, written at another offset: chrono hashes the
    // instant alone, but pages and feeds show the offset.
    let other = dated(root, "2024-03-01T09:00:00+00:00");
    let plan = other.plan(Some(&one));
    for file in [
        "index.html",
        "archiv/index.html",
        "tags/eins/index.html",
        "atom.xml",
        "rss.xml",
        "feed.json",
        "sitemap.xml",
    ] {
        assert!(plan.write.contains(file), "{file}: {plan:?}");
    }
    // Written again as before, the post may have another stamp, so its
    // page and the feeds carrying its text may be made again; the lists
    // show only its card, which is as it was.
    let again = dated(root, "2024-03-01T10:00:00+01:00");
    let plan = again.plan(Some(&one));
    let text = [
        "atom.xml",
        "feed.json",
        "posts/a/index.html",
        "rss.xml",
        "tags/eins/atom.xml",
        "tags/eins/feed.json",
        "tags/eins/rss.xml",
    ];
    assert!(
        plan.write.iter().all(|f| text.contains(&f.as_str())),
        "{plan:?}"
    );
}

#[test]
fn every_output_file_has_a_fingerprint() {
    let f = small_site();
    let prints = fingerprints_of(&f.site, &f.theme);
    let outputs = Outputs::new(&f.site, &f.theme);
    assert_eq!(prints.len(), outputs.files.len());
    let plan = prints.plan(None);
    assert!(outputs.files.iter().all(|f| plan.write.contains(&f.path)));
}
