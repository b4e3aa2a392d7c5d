//! How the preview plans each kind of change, on a small site: which
//! files a save renders again and which it removes. Every rebuild is also
//! compared with a clean build of the same sources.

use std::path::PathBuf;

use super::watch::Batch;
use super::Rebuilder;
use crate::cmd::build::BuildOptions;
use crate::output::plan::Plan;

/// A site of three posts (two per page, so the home page has two) in
/// two tags, a menu page, an imprint and a static file.
struct Fixture {
    dir: tempfile::TempDir,
    options: BuildOptions,
    rebuilder: Rebuilder,
}

const CONFIG: &str = "title: \"Planblog\"\nbase_url: \"https://example.org/\"\nlanguage: de\nauthor:\n  name: \"Erika\"\nposts_per_page: 2\n";

fn post(title: &str, date: &str, tags: &str, second: &str) -> String {
    format!("---\ntitle: \"{title}\"\ndate: {date}\ntags: [{tags}]\n---\nDer erste Absatz von {title}.\n\n{second}\n")
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().expect("temp dir");
        let options = BuildOptions {
            root: dir.path().to_path_buf(),
            drafts: true,
            future: true,
            ..BuildOptions::default()
        };
        let mut site = Fixture {
            dir,
            options,
            rebuilder: Rebuilder::default(),
        };
        site.write("echt.yaml", CONFIG);
        site.write(
            "content/posts/a.md",
            &post("A", "2024-01-01", "Eins", "Mehr von A."),
        );
        site.write(
            "content/posts/b.md",
            &post("B", "2024-02-01", "Eins, Zwei", "Siehe [A](a.md)."),
        );
        site.write(
            "content/posts/c.md",
            &post(
                "C",
                "2024-03-01",
                "Zwei",
                "Siehe [das Impressum](../impressum.md).",
            ),
        );
        site.write(
            "content/ueber.md",
            "---\ntitle: Über\nmenu: main\n---\nIch.\n",
        );
        site.write(
            "content/impressum.md",
            "---\ntitle: Impressum\n---\nAdresse.\n",
        );
        site.write("static/x.txt", "x");
        site.rebuilder
            .rebuild(&site.options, &Batch::default())
            .expect("the first build");
        site
    }

    fn write(&self, rel: &str, text: &str) -> PathBuf {
        let path = self.dir.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("mkdir");
        std::fs::write(&path, text).expect("write");
        path
    }

    fn edit(&self, rel: &str, from: &str, to: &str) -> PathBuf {
        let path = self.dir.path().join(rel);
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(text.contains(from), "{rel} has no {from:?}");
        std::fs::write(&path, text.replace(from, to)).expect("write");
        path
    }

    /// Rebuilds after `touched` changed; the result must equal a clean
    /// build.
    fn rebuild(&mut self, touched: &[PathBuf]) -> Plan {
        self.rebuild_batch(&Batch::of(touched.to_vec())).plan
    }

    /// Rebuilds after the changes of `batch`; the result must equal a
    /// clean build, and what the rebuild keeps must be what a clean build
    /// keeps.
    fn rebuild_batch(&mut self, batch: &Batch) -> super::Rebuilt {
        let rebuilt = self
            .rebuilder
            .rebuild(&self.options, batch)
            .expect("the rebuild");
        let mut clean = Rebuilder::default();
        let built = clean
            .rebuild(&self.options, &Batch::default())
            .expect("a clean build");
        assert_eq!(
            rebuilt.snapshot.differences(&built.snapshot),
            Vec::<String>::new(),
            "the rebuild differs from a clean build"
        );
        self.same_as_a_fresh_load();
        rebuilt
    }

    /// What the rebuilder keeps for the next rebuild (each file's
    /// fingerprint and what the audit found in it, each document's URL
    /// and fingerprint) is what a load of the same sources from its cache,
    /// without patches or the last walk, gives.
    fn same_as_a_fresh_load(&self) {
        let cache = rmp_serde::to_vec(&self.rebuilder.cache).expect("the cache serialises");
        let mut fresh = Rebuilder {
            cache: rmp_serde::from_slice(&cache).expect("the cache reads back"),
            ..Rebuilder::default()
        };
        fresh
            .rebuild(&self.options, &Batch::default())
            .expect("a fresh load");
        assert_eq!(
            kept(&self.rebuilder),
            kept(&fresh),
            "the rebuild keeps other facts"
        );
    }
}

/// Each file's fingerprint and facts, each document's URL and fingerprint.
type Kept = (Vec<(String, u64, String)>, Vec<(String, u64)>);

/// What a rebuilder keeps for the next rebuild.
fn kept(rebuilder: &Rebuilder) -> Kept {
    let last = rebuilder.last.as_ref().expect("a good build");
    let mut files: Vec<(String, u64, String)> = last
        .built
        .prints
        .files()
        .map(|file| {
            let print = last.built.prints.get(file).expect("a fingerprint");
            let facts = last.built.facts.get(file).map(|f| {
                let mut ids: Vec<&String> = f.ids.iter().collect();
                ids.sort();
                let f = crate::audit::FileFacts {
                    ids: Default::default(),
                    ..(**f).clone()
                };
                format!("{f:?} {ids:?}")
            });
            (file.clone(), print, format!("{facts:?}"))
        })
        .collect();
    files.sort();
    let site = rebuilder.site.as_ref().expect("a site");
    let documents = site
        .posts
        .iter()
        .chain(&site.pages)
        .map(|doc| (doc.path.clone(), doc.fingerprint))
        .collect();
    (files, documents)
}

fn written(plan: &Plan) -> Vec<&str> {
    plan.write.iter().map(String::as_str).collect()
}

fn removed(plan: &Plan) -> Vec<&str> {
    plan.remove.iter().map(String::as_str).collect()
}

const FEEDS_OF_B: [&str; 9] = [
    "atom.xml",
    "rss.xml",
    "feed.json",
    "tags/eins/atom.xml",
    "tags/eins/rss.xml",
    "tags/eins/feed.json",
    "tags/zwei/atom.xml",
    "tags/zwei/rss.xml",
    "tags/zwei/feed.json",
];

fn sorted<'a>(parts: &[&[&'a str]]) -> Vec<&'a str> {
    let mut all: Vec<&str> = parts.concat();
    all.sort_unstable();
    all
}

#[test]
fn nothing_changed_nothing_to_do() {
    let mut site = Fixture::new();
    assert_eq!(site.rebuild(&[]), Plan::default());
}

#[test]
fn text_below_the_summary_renders_the_post_and_its_feeds() {
    let mut site = Fixture::new();
    let b = site.edit(
        "content/posts/b.md",
        "Siehe [A](a.md).",
        "Siehe [A](a.md), bitte.",
    );
    let plan = site.rebuild(&[b]);
    assert_eq!(
        written(&plan),
        sorted(&[&["posts/b/index.html"], &FEEDS_OF_B])
    );
    assert!(plan.remove.is_empty());
}

#[test]
fn text_below_the_summary_patches_the_last_site() {
    let mut site = Fixture::new();
    let b = site.edit("content/posts/b.md", "Siehe [A](a.md).", "Siehe [C](c.md).");
    let rebuilt = site.rebuild_batch(&Batch::of([b.clone()]));
    assert!(rebuilt.patched);
    assert_eq!(
        written(&rebuilt.plan),
        sorted(&[&["posts/b/index.html"], &FEEDS_OF_B])
    );
    // Saved again unchanged, or touched: nothing to do.
    let text = std::fs::read_to_string(&b).expect("read");
    std::fs::write(&b, text).expect("write");
    let rebuilt = site.rebuild_batch(&Batch::of([b.clone()]));
    assert!(rebuilt.patched);
    assert_eq!(rebuilt.plan, Plan::default());
    // A page too, once it goes on after its summary (which lists and
    // the page's description show).
    let imprint = site.edit("content/impressum.md", "Adresse.", "Adresse.\n\nTelefon.");
    assert!(!site.rebuild_batch(&Batch::of([imprint])).patched);
    let imprint = site.edit("content/impressum.md", "Telefon.", "Telefon und Fax.");
    let rebuilt = site.rebuild_batch(&Batch::of([imprint]));
    assert!(rebuilt.patched);
    assert_eq!(written(&rebuilt.plan), ["impressum/index.html"]);
    // What the patches left in the cache is what the next load builds on.
    let b = site.edit("content/posts/b.md", "title: \"B\"", "title: \"Bee\"");
    assert!(!site.rebuild_batch(&Batch::of([b])).patched);
}

#[test]
fn what_lists_show_of_a_post_is_never_patched() {
    let mut site = Fixture::new();
    let edits = [
        ("title: \"B\"", "title: \"Bee\""),
        ("Der erste Absatz von B.", "Der erste Absatz von Bee."),
        ("date: 2024-02-01", "date: 2024-02-02"),
        ("tags: [Eins, Zwei]", "tags: [Eins]"),
        (
            "Siehe [A](a.md).",
            "Siehe [A](a.md).\n\n<!-- more -->\n\nMehr.",
        ),
        ("---\nDer", "slug: bee\n---\nDer"),
    ];
    for (from, to) in edits {
        let b = site.edit("content/posts/b.md", from, to);
        let rebuilt = site.rebuild_batch(&Batch::of([b]));
        assert!(!rebuilt.patched, "{to}");
        assert!(!rebuilt.plan.is_empty(), "{to}");
    }
    // A long text changes the reading time.
    let words = "Wort ".repeat(400);
    let b = site.edit("content/posts/b.md", "Mehr.", &words);
    assert!(!site.rebuild_batch(&Batch::of([b])).patched);
}

#[test]
fn an_edit_and_a_new_file_in_one_batch_walk_content_again() {
    let mut site = Fixture::new();
    let b = site.edit("content/posts/b.md", "Siehe [A](a.md).", "Siehe [A](a.md)!");
    let d = site.write(
        "content/posts/d.md",
        &post("D", "2024-05-01", "Eins", "Siehe [B](b.md)."),
    );
    let rebuilt = site.rebuild_batch(&Batch::of([b, d]));
    assert!(!rebuilt.patched);
    assert!(rebuilt.plan.write.contains("posts/d/index.html"));
    // A file the watcher did not report is found by a walk only: the
    // preview walks again when the watcher may have missed events.
    site.write(
        "content/posts/e.md",
        &post("E", "2024-06-01", "Eins", "Neu."),
    );
    let rebuilt = site.rebuild_batch(&Batch::lost());
    assert!(rebuilt.plan.write.contains("posts/e/index.html"));
}

#[test]
fn a_new_file_reported_alone_is_found() {
    let mut site = Fixture::new();
    // A bundle image: not a source, but the inventory must know it.
    let image = site.write(
        "content/posts/c-bild.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    let plan = site.rebuild(std::slice::from_ref(&image));
    assert_eq!(written(&plan), ["posts/c-bild.svg"]);
    // Edited later: known, so no walk is needed, and it is copied again.
    std::fs::write(
        &image,
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><title>B</title></svg>",
    )
    .expect("write");
    let plan = site.rebuild(&[image]);
    assert_eq!(written(&plan), ["posts/c-bild.svg"]);
    // Removed: reported, and not a file any more.
    let c = site.dir.path().join("content/posts/c.md");
    std::fs::remove_file(&c).expect("delete");
    let plan = site.rebuild(&[c]);
    assert!(plan.remove.contains("posts/c/index.html"));
}

/// A source reached through a symbolic link, or with a second name,
/// changes without an event under its own path: such a site is walked and
/// stamped on every save.
#[cfg(unix)]
#[test]
fn a_source_with_another_name_is_stamped_on_every_save() {
    for link in [true, false] {
        let mut site = Fixture::new();
        let elsewhere = site.write("notizen/d.md", &post("D", "2024-05-01", "Eins", "Erste."));
        let d = site.dir.path().join("content/posts/d.md");
        if link {
            std::os::unix::fs::symlink(&elsewhere, &d).expect("symlink");
        } else {
            std::fs::hard_link(&elsewhere, &d).expect("hard link");
        }
        site.rebuild(&[d]);
        std::fs::write(&elsewhere, post("D", "2024-05-01", "Eins", "Zweite.")).expect("write");
        // Another post's edit is all the watcher reports.
        let b = site.edit("content/posts/b.md", "Siehe [A](a.md).", "Siehe [A](a.md)!");
        let rebuilt = site.rebuild_batch(&Batch::of([b]));
        assert!(!rebuilt.patched);
        assert!(rebuilt.plan.write.contains("posts/d/index.html"), "{link}");
    }
}

#[test]
fn a_patch_the_audit_refuses_keeps_the_last_good_build() {
    let mut site = Fixture::new();
    let files = site
        .rebuilder
        .last
        .as_ref()
        .expect("built")
        .built
        .facts
        .len();
    let b = site.edit(
        "content/posts/b.md",
        "Siehe [A](a.md).",
        "<script>alert(1)</script>",
    );
    let error = site
        .rebuilder
        .rebuild(&site.options, &Batch::of([b.clone()]))
        .expect_err("the audit refuses a script");
    assert!(error.to_string().contains("script"), "{error}");
    let last = site.rebuilder.last.as_ref().expect("the last good build");
    assert_eq!(last.built.facts.len(), files);
    let failure = site.rebuilder.failure(&error);
    assert!(failure.pages.is_some());
    let b = site.edit(
        "content/posts/b.md",
        "<script>alert(1)</script>",
        "Siehe [A](a.md)!",
    );
    let plan = site.rebuild(&[b]);
    assert_eq!(
        written(&plan),
        sorted(&[&["posts/b/index.html"], &FEEDS_OF_B])
    );
}

#[test]
fn a_title_renders_the_neighbours_lists_tags_and_feeds_it_is_in() {
    let mut site = Fixture::new();
    let b = site.edit("content/posts/b.md", "title: \"B\"", "title: \"Bee\"");
    let plan = site.rebuild(&[b]);
    let pages = [
        "archiv/index.html",
        "index.html",
        "posts/a/index.html",
        "posts/b/index.html",
        "posts/c/index.html",
        "tags/eins/index.html",
        "tags/zwei/index.html",
    ];
    assert_eq!(written(&plan), sorted(&[&pages, &FEEDS_OF_B]));
}

#[test]
fn a_new_order_renders_the_pages_whose_lists_moved() {
    let mut site = Fixture::new();
    // B becomes the newest: the first home page changes, the second
    // (with A alone) does not.
    let b = site.edit("content/posts/b.md", "date: 2024-02-01", "date: 2024-04-01");
    let plan = site.rebuild(&[b]);
    let pages = [
        "archiv/index.html",
        "index.html",
        "posts/a/index.html",
        "posts/b/index.html",
        "posts/c/index.html",
        "sitemap.xml",
        "tags/eins/index.html",
        "tags/zwei/index.html",
    ];
    assert_eq!(written(&plan), sorted(&[&pages, &FEEDS_OF_B]));
}

#[test]
fn a_new_post_with_a_new_tag() {
    let mut site = Fixture::new();
    let d = site.write(
        "content/posts/d.md",
        &post("D", "2024-05-01", "Drei", "Neu."),
    );
    let plan = site.rebuild(&[d]);
    assert_eq!(
        written(&plan),
        [
            "archiv/index.html",
            "atom.xml",
            "feed.json",
            "index.html",
            "page/2/index.html",
            "posts/c/index.html",
            "posts/d/index.html",
            "rss.xml",
            "sitemap.xml",
            "tags/drei/atom.xml",
            "tags/drei/feed.json",
            "tags/drei/index.html",
            "tags/drei/rss.xml",
            "tags/index.html",
        ]
    );
    assert!(plan.remove.is_empty());
}

#[test]
fn a_deleted_post_removes_its_page_and_the_emptied_list_page() {
    let mut site = Fixture::new();
    let c = site.dir.path().join("content/posts/c.md");
    std::fs::remove_file(&c).expect("delete");
    let plan = site.rebuild(&[c]);
    assert_eq!(removed(&plan), ["page/2/index.html", "posts/c/index.html"]);
    assert_eq!(
        written(&plan),
        [
            "archiv/index.html",
            "atom.xml",
            "feed.json",
            "index.html",
            "posts/b/index.html",
            "rss.xml",
            "sitemap.xml",
            "tags/index.html",
            "tags/zwei/atom.xml",
            "tags/zwei/feed.json",
            "tags/zwei/index.html",
            "tags/zwei/rss.xml",
        ]
    );
}

#[test]
fn a_renamed_post_and_the_link_to_it() {
    let mut site = Fixture::new();
    let root = site.dir.path().to_path_buf();
    let (from, to) = (
        root.join("content/posts/a.md"),
        root.join("content/posts/anfang.md"),
    );
    std::fs::rename(&from, &to).expect("rename");
    let b = site.edit("content/posts/b.md", "(a.md)", "(anfang.md)");
    let plan = site.rebuild(&[from, to, b]);
    assert_eq!(removed(&plan), ["posts/a/index.html"]);
    assert!(plan.write.contains("posts/anfang/index.html"));
    assert!(plan.write.contains("posts/b/index.html"));
}

#[test]
fn a_link_target_moving_renders_the_posts_linking_to_it() {
    let mut site = Fixture::new();
    // C links to the imprint; C's own file does not change.
    let imprint = site.edit(
        "content/impressum.md",
        "title: Impressum",
        "title: Impressum\nslug: kontakt",
    );
    let plan = site.rebuild(&[imprint]);
    assert_eq!(removed(&plan), ["impressum/index.html"]);
    assert_eq!(
        written(&plan),
        [
            "atom.xml",
            "feed.json",
            "kontakt/index.html",
            "posts/c/index.html",
            "rss.xml",
            "sitemap.xml",
            "tags/zwei/atom.xml",
            "tags/zwei/feed.json",
            "tags/zwei/rss.xml",
        ]
    );
}

#[test]
fn a_template_renders_the_pages_that_use_it() {
    let mut site = Fixture::new();
    let theme = crate::render::theme::DEFAULT_THEME;
    let text = |name: &str| {
        let (_, bytes) = theme.iter().find(|(p, _)| *p == name).expect("template");
        String::from_utf8_lossy(bytes).into_owned()
    };
    let post = site.write(
        "templates/post.html",
        &format!("{}<!-- eigen -->\n", text("templates/post.html")),
    );
    let plan = site.rebuild(&[post]);
    assert_eq!(
        written(&plan),
        [
            "posts/a/index.html",
            "posts/b/index.html",
            "posts/c/index.html"
        ]
    );
    // base.html is extended by every page, but no feed uses it.
    let base = site.write(
        "templates/base.html",
        &format!("{}<!-- eigen -->\n", text("templates/base.html")),
    );
    let plan = site.rebuild(&[base]);
    assert_eq!(
        written(&plan),
        [
            "404.html",
            "archiv/index.html",
            "datenschutz/index.html",
            "impressum/index.html",
            "index.html",
            "page/2/index.html",
            "posts/a/index.html",
            "posts/b/index.html",
            "posts/c/index.html",
            "tags/eins/index.html",
            "tags/index.html",
            "tags/zwei/index.html",
            "ueber/index.html",
        ]
    );
}

#[test]
fn static_files_are_only_copied() {
    let mut site = Fixture::new();
    let x = site.write("static/x.txt", "y");
    let plan = site.rebuild(&[x]);
    assert_eq!(written(&plan), ["x.txt"]);
    assert!(!plan.only_stylesheets());
    let css = site.write("static/style.css", "body { color: black; }\n");
    let plan = site.rebuild(&[css]);
    assert_eq!(written(&plan), ["style.css"]);
    assert!(plan.only_stylesheets());
    // Rewritten within the file system's timestamp granularity, with
    // the same size: the watcher's report still counts.
    let css = site.write("static/style.css", "body { color: purple }\n");
    assert_eq!(written(&site.rebuild(&[css])), ["style.css"]);
    let x = site.dir.path().join("static/x.txt");
    std::fs::remove_file(&x).expect("delete");
    assert_eq!(removed(&site.rebuild(&[x])), ["x.txt"]);
}

#[test]
fn the_configuration_renders_every_generated_file() {
    let mut site = Fixture::new();
    let before = site.rebuild(&[]);
    assert!(before.is_empty());
    let config = site.edit("echt.yaml", "example.org", "example.net");
    let plan = site.rebuild(&[config]);
    let copied = ["favicon.svg", "style.css", "x.txt"];
    assert!(copied.iter().all(|f| !plan.write.contains(*f)), "{plan:?}");
    // Everything else: 13 pages, 9 feeds, the sitemap and robots.txt;
    // the server headers do not depend on the address.
    assert_eq!(plan.write.len(), 24, "{plan:?}");
}

/// A PNG of `width`×`height` pixels, its colours from `seed`.
fn png(width: u32, height: u32, seed: u8) -> Vec<u8> {
    let pixels = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([
            (x as u8).wrapping_mul(seed),
            (y as u8).wrapping_add(seed),
            seed,
        ])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    pixels
        .write_to(&mut out, image::ImageFormat::Png)
        .expect("a PNG");
    out.into_inner()
}

#[test]
fn a_picture_is_made_again_only_when_it_changed() {
    let mut site = Fixture::new();
    let made = |site: &Fixture| {
        let pictures = site.rebuilder.cache.pictures().expect("pictures");
        (pictures.made(), pictures.reused())
    };
    let path = site.dir.path().join("content/posts/d/see.png");
    std::fs::create_dir_all(path.parent().expect("a folder")).expect("mkdir");
    std::fs::write(&path, png(600, 400, 3)).expect("write");
    let post = site.write(
        "content/posts/d/index.md",
        &post("D", "2024-04-01", "Drei", "![Der See](see.png)"),
    );
    let plan = site.rebuild(&[path.clone(), post.clone()]);
    let files = ["see.png", "see-480w.png", "see-480w.webp", "see-600w.webp"];
    for file in files {
        assert!(
            plan.write.contains(&format!("posts/d/{file}")),
            "{file}: {plan:?}"
        );
    }
    assert_eq!(made(&site), (1, 0));
    // A save of the text patches the site: no picture is even looked at.
    let before = site.rebuilder.cache.pictures().cloned();
    let post = site.edit("content/posts/d/index.md", "Der See", "Der stille See");
    let plan = site.rebuild(&[post]);
    assert!(plan.write.contains("posts/d/index.html"), "{plan:?}");
    assert!(
        !written(&plan).iter().any(|f| f.contains("see")),
        "{plan:?}"
    );
    let after = site.rebuilder.cache.pictures().cloned();
    assert!(before
        .zip(after)
        .is_some_and(|(b, a)| std::sync::Arc::ptr_eq(&b, &a)));
    // Another file of the bundle: the site is loaded again, the picture
    // comes from the store.
    let note = site.write("content/posts/d/notiz.txt", "Notiz");
    site.rebuild(&[note]);
    assert_eq!(made(&site), (0, 1));
    // New pixels: the picture and the page showing it, nothing else.
    std::fs::write(&path, png(600, 400, 9)).expect("write");
    let plan = site.rebuild(std::slice::from_ref(&path));
    assert_eq!(made(&site), (1, 0));
    assert!(plan.write.contains("posts/d/see-480w.png"), "{plan:?}");
    assert!(!plan.write.contains("posts/a/index.html"), "{plan:?}");
    // Gone: its files go with it, and the post's image is an error.
    std::fs::remove_file(&path).expect("delete");
    assert!(site
        .rebuilder
        .rebuild(&site.options, &Batch::of(vec![path]))
        .is_err());
}

#[test]
fn keeping_a_pictures_metadata_copies_it_again() {
    let mut site = Fixture::new();
    // A JPEG with a comment, which echt removes unless it is kept.
    let jpeg = b"\xFF\xD8\xFF\xFE\x00\x07Hallo\xFF\xDA\x00\x08\x01\x01\x00\x00\x3F\x00\x00\xFF\xD9";
    let path = site.dir.path().join("static/foto.jpg");
    std::fs::write(&path, jpeg).expect("write");
    assert_eq!(written(&site.rebuild(&[path])), ["foto.jpg"]);
    let config = site.write(
        "echt.yaml",
        &format!("{CONFIG}privacy:\n  keep_metadata: [static/foto.jpg]\n"),
    );
    let plan = site.rebuild(std::slice::from_ref(&config));
    assert!(plan.write.contains("foto.jpg"), "{plan:?}");
    assert!(!plan.write.contains("x.txt"), "{plan:?}");
    site.write("echt.yaml", CONFIG);
    let plan = site.rebuild(&[config]);
    assert!(plan.write.contains("foto.jpg"), "{plan:?}");
}

#[test]
fn after_a_broken_save_the_next_good_one_plans_from_the_last_good_build() {
    let mut site = Fixture::new();
    let b = site.edit("content/posts/b.md", "date: 2024-02-01", "date: 2024-02-30");
    assert!(site
        .rebuilder
        .rebuild(&site.options, &Batch::of([b]))
        .is_err());
    site.edit("content/posts/b.md", "date: 2024-02-30", "date: 2024-02-01");
    let b = site.edit("content/posts/b.md", "Siehe [A](a.md).", "Siehe [A](a.md)!");
    let plan = site.rebuild(&[b]);
    assert_eq!(
        written(&plan),
        sorted(&[&["posts/b/index.html"], &FEEDS_OF_B])
    );
}

#[test]
fn a_comment_saved_renders_its_post_again() {
    let mut site = Fixture::new();
    let e = site.write(
        "content/posts/e/index.md",
        &post("E", "2024-04-01", "Eins", "Ein Bündel."),
    );
    site.rebuild(&[e]);
    let comment = |text: &str| {
        format!("---\nid: e-1\nauthor: Anna\ndate: 2024-04-02T10:00:00+02:00\n---\n{text}\n")
    };
    // New: the post, its feed and the lists that count its comments.
    let c = site.write("content/posts/e/comments/e-1.md", &comment("Erstens."));
    let plan = site.rebuild(std::slice::from_ref(&c));
    let new = written(&plan);
    for file in ["posts/e/index.html", "posts/e/comments.xml", "index.html"] {
        assert!(new.contains(&file), "{file} not in {new:?}");
    }
    // Edited: the post and its feed, not the lists (the count stays).
    let c = site.edit("content/posts/e/comments/e-1.md", "Erstens.", "Zweitens.");
    let plan = site.rebuild(std::slice::from_ref(&c));
    assert_eq!(
        written(&plan),
        ["posts/e/comments.xml", "posts/e/index.html"]
    );
    // Removed: the count goes from the lists too.
    std::fs::remove_file(&c).expect("delete");
    let plan = site.rebuild(&[c]);
    let gone = written(&plan);
    for file in ["posts/e/index.html", "posts/e/comments.xml", "index.html"] {
        assert!(gone.contains(&file), "{file} not in {gone:?}");
    }
}
