//! The build cache: a rebuild that reads, renders and audits only what
//! changed must write exactly what a clean build writes, after every kind
//! of edit, and a cache that is damaged, stale or from a failed build must
//! never make it differ.
//!
//! The cached builds run in this process, to see how many files they
//! rendered; the clean ones run the `echt` binary with `--no-cache`. (The
//! cache of one is stale for the other: each binary has its own.)

use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use echt::{BuildOptions, Report};

use crate::support::{noise_png, snapshot, theme_file, TestSite};

/// A site edited step by step; after each step, the cached build in
/// `public/` is compared with a clean build into a folder of its own.
struct Edited {
    site: TestSite,
    /// Clean builds go to numbered folders in here.
    clean: tempfile::TempDir,
    checks: Cell<usize>,
    /// When every file seems to have been written (see [`Edited::age`]).
    long_ago: SystemTime,
}

const CONFIG: &str = "title: Cacheblog\nbase_url: https://example.org/\nlanguage: de\nauthor:\n  name: Erika\nposts_per_page: 2\n";

fn post(title: &str, date: &str, tags: &str, text: &str) -> String {
    format!("---\ntitle: \"{title}\"\ndate: {date}\ntags: [{tags}]\n---\n{text}\n")
}

impl Edited {
    fn new() -> Edited {
        let site = TestSite::empty()
            .file("echt.yaml", CONFIG)
            .post(
                "a.md",
                &post(
                    "A",
                    "2024-01-01",
                    "Eins",
                    "Der Anfang von A.\n\nMehr von A.",
                ),
            )
            .post(
                "b.md",
                &post(
                    "B",
                    "2024-02-01",
                    "Eins, Zwei",
                    "Oben in B.\n\n<!-- more -->\n\nSiehe [C](c.md#weiter).",
                ),
            )
            .post(
                "c.md",
                &post(
                    "C",
                    "2024-03-01",
                    "Zwei",
                    "C beginnt.\n\n## Weiter\n\nUnd [das Impressum](../impressum.md).",
                ),
            )
            .file(
                "content/posts/d/index.md",
                &post("D", "2024-04-01", "Drei", "![Ein Bild](bild.svg)"),
            )
            .file(
                "content/posts/d/bild.svg",
                "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
            )
            .file(
                "content/ueber.md",
                "---\ntitle: Über\nmenu: main\n---\nIch.\n",
            )
            .file(
                "content/impressum.md",
                "---\ntitle: Impressum\n---\nAdresse.\n",
            )
            .file("static/x.txt", "x");
        let edited = Edited {
            site,
            clean: tempfile::tempdir().unwrap(),
            checks: Cell::new(0),
            long_ago: SystemTime::now() - Duration::from_secs(3600),
        };
        edited.age();
        let first = edited.check("the first build");
        assert_eq!(first.changed, None, "a new output folder");
        edited
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.site.root().join(rel)
    }

    /// Dates every file of the site (not the output or the cache) that was
    /// modified since `long_ago` back to then: nothing is too recent to be
    /// trusted (see `a_file_rewritten_within_the_same_tick_is_read_again`),
    /// and an edit that keeps a file's size is told by its change time or
    /// inode alone.
    fn age(&self) {
        for entry in walkdir::WalkDir::new(self.site.root())
            .into_iter()
            .filter_entry(|e| !e.file_name().to_string_lossy().starts_with(".public"))
            .filter_map(Result::ok)
        {
            let output = entry.path().starts_with(self.path("public"));
            let modified = entry.metadata().unwrap().modified().unwrap();
            if entry.file_type().is_file() && !output && modified > self.long_ago {
                set_modified(entry.path(), self.long_ago);
            }
        }
    }

    /// After a change (made by `change`, with every file then dated
    /// back): the next build must see it, and the one after that nothing.
    #[track_caller]
    fn skips_only_when_unchanged(&self, what: &str, change: impl FnOnce(&Edited)) {
        change(self);
        self.age();
        let changed = self.check(what);
        assert!(!changed.skipped, "{what}: the build was skipped");
        let again = self.check(&format!("{what}, then nothing"));
        assert!(
            again.skipped,
            "{what}, then nothing: the build was not skipped"
        );
    }

    fn write(&self, rel: &str, text: &str) {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[track_caller]
    fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = std::fs::read_to_string(self.path(rel)).unwrap();
        assert!(text.contains(from), "{rel} has no {from:?}");
        self.write(rel, &text.replacen(from, to, 1));
    }

    fn remove(&self, rel: &str) {
        std::fs::remove_file(self.path(rel)).unwrap();
    }

    fn cached(&self) -> echt::Result<Report> {
        echt::build(&BuildOptions {
            root: self.site.root().to_path_buf(),
            ..BuildOptions::default()
        })
    }

    /// Builds with the cache and without, and compares every byte.
    #[track_caller]
    fn check(&self, what: &str) -> Report {
        let cached = self
            .cached()
            .unwrap_or_else(|e| panic!("{what}: the cached build failed:\n{e}"));
        self.checks.set(self.checks.get() + 1);
        let clean_dir = self.clean.path().join(self.checks.get().to_string());
        let clean = self
            .site
            .build_with(&["--no-cache", "--output", &clean_dir.to_string_lossy()])
            .ok();
        let (got, want) = (snapshot(&cached.output), snapshot(&clean.public));
        let files = |s: &std::collections::BTreeMap<String, Vec<u8>>| -> Vec<String> {
            s.keys().cloned().collect()
        };
        assert_eq!(files(&got), files(&want), "{what}: other files");
        for (file, bytes) in &want {
            assert!(
                got[file] == *bytes,
                "{what}: {file} differs from a clean build:\n{}\n---- clean ----\n{}",
                String::from_utf8_lossy(&got[file]),
                String::from_utf8_lossy(bytes)
            );
        }
        cached
    }

    fn cache_dir(&self) -> PathBuf {
        self.path(".public.echt.cache")
    }
}

fn set_modified(path: &Path, time: SystemTime) {
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(time)
        .unwrap();
}

fn page(report: &Report, file: &str) -> String {
    std::fs::read_to_string(report.output.join(file)).unwrap()
}

/// Every file below `dir` with its bytes and modification time.
fn untouched(dir: &Path) -> Vec<(String, Vec<u8>, SystemTime)> {
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
                e.metadata().unwrap().modified().unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn cached_builds_equal_clean_builds_after_every_kind_of_edit() {
    let site = Edited::new();
    let again = site.check("nothing changed");
    assert_eq!((again.changed, again.rendered), (Some(0), 0));
    assert!(again.skipped, "nothing changed: the build was not skipped");

    site.edit("content/posts/b.md", "Siehe [C]", "Siehe auch [C]");
    let below = site.check("text below the summary");
    // The post and the nine feeds that carry it in full, of 44 files.
    assert_eq!(below.rendered, 10, "{below}");
    site.edit("content/posts/b.md", "Oben in B.", "Ganz oben in B.");
    site.check("text above the summary");
    site.edit("content/posts/a.md", "title: \"A\"", "title: \"Ach\"");
    site.check("a title");
    site.edit("content/posts/a.md", "date: 2024-01-01", "date: 2024-05-01");
    site.check("the order of dates");
    site.write(
        "content/posts/e.md",
        &post("E", "2024-06-01", "Eins", "Neu: [A](a.md)."),
    );
    site.check("a new post");
    site.remove("content/posts/e.md");
    site.check("a deleted post");
    std::fs::rename(
        site.path("content/posts/a.md"),
        site.path("content/posts/f.md"),
    )
    .unwrap();
    site.check("a renamed post");
    site.edit(
        "content/posts/c.md",
        "date: 2024-03-01",
        "slug: cee\ndate: 2024-03-01",
    );
    site.check("a new URL for a post that another one links to");
    site.edit("content/posts/c.md", "tags: [Zwei]", "tags: [Zwei, Vier]");
    site.check("a new tag");
    site.edit("content/posts/c.md", "## Weiter", "## Fort");
    site.edit("content/posts/b.md", "c.md#weiter", "c.md#fort");
    site.check("an anchor moved, and the link to it");
    site.write(
        "templates/post.html",
        &theme_file("templates/post.html").replace("</article>", "<p>Danke.</p></article>"),
    );
    site.check("a template override added");
    site.edit("templates/post.html", "Danke.", "Vielen Dank.");
    site.check("a template override changed");
    site.remove("templates/post.html");
    site.check("a template override removed");
    site.write("static/y.txt", "y");
    let added = site.check("a static file added");
    assert_eq!(added.rendered, 1, "{added}");
    site.write("static/x.txt", "xx");
    site.check("a static file changed");
    site.remove("static/y.txt");
    site.check("a static file removed");
    site.write(
        "content/posts/d/bild.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><g/></svg>",
    );
    site.check("a bundle's image changed");
    let photo = site.path("content/posts/d/foto.png");
    std::fs::write(&photo, noise_png(700, 300)).unwrap();
    site.edit(
        "content/posts/d/index.md",
        "![Ein Bild](bild.svg)",
        "![Ein Bild](bild.svg)\n\n![Ein Foto](foto.png)",
    );
    let shown = site.check("a picture added and shown");
    assert!(
        page(&shown, "posts/d/index.html").contains("foto-480w.png 480w"),
        "{shown}"
    );
    std::fs::write(&photo, noise_png(640, 300)).unwrap();
    let changed = site.check("a picture changed");
    assert!(
        page(&changed, "posts/d/index.html").contains("width=\"640\""),
        "{changed}"
    );
    site.edit(
        "echt.yaml",
        "title: Cacheblog",
        "images:\n  widths: [320]\ntitle: Cacheblog",
    );
    let widths = site.check("other widths for pictures");
    assert!(
        page(&widths, "posts/d/index.html").contains("foto-320w.png 320w"),
        "{widths}"
    );
    site.edit("echt.yaml", "images:\n  widths: [320]\n", "");
    site.check("the widths as they were");
    site.edit("echt.yaml", "title: Cacheblog", "title: Cacheblog 2");
    site.check("the config");
    site.edit("content/ueber.md", "title: Über", "title: Über mich");
    site.check("a page in the menu");

    // A broken build leaves the output and the cache as they were (the
    // picture store inside it keeps what it made: content-addressed
    // files, correct whatever else failed).
    let output = untouched(&site.path("public"));
    let without_pictures = |dir: &Path| {
        let pictures = dir.join("images").to_string_lossy().into_owned();
        let mut files = untouched(dir);
        files.retain(|(path, _, _)| !path.starts_with(&pictures));
        files
    };
    let cache = without_pictures(&site.cache_dir());
    assert!(!cache.is_empty(), "there is a cache");
    site.edit("content/posts/b.md", "title: \"B\"", "title: \"B");
    let err = site.cached().unwrap_err().to_string();
    assert!(err.contains("content/posts/b.md"), "{err}");
    assert!(
        output == untouched(&site.path("public")),
        "the output was touched"
    );
    assert!(
        cache == without_pictures(&site.cache_dir()),
        "the cache was touched"
    );
    site.edit("content/posts/b.md", "title: \"B", "title: \"Be\"");
    site.check("a front matter error, fixed");
}

/// File systems count modification times in ticks; a file written twice
/// within one, at the same size, looks unchanged. A build must not trust
/// what it read of a file modified that shortly before.
#[test]
fn author_pages_follow_their_posts_and_bios() {
    let site = Edited::new();
    site.write(
        "echt.yaml",
        &format!("{CONFIG}authors:\n  erika:\n    name: Erika\n    bio: Schreibt über A.\n  max:\n    name: Max\n"),
    );
    let first = site.check("authors in echt.yaml");
    assert!(page(&first, "autoren/erika/index.html").contains(">C</a>"));
    assert!(!first.output.join("autoren/max").exists());
    // One post changes hands: another page, Max's, now lists it.
    site.edit(
        "content/posts/c.md",
        "date: 2024-03-01",
        "author: max\ndate: 2024-03-01",
    );
    let moved = site.check("a post's author");
    assert!(page(&moved, "autoren/max/index.html").contains(">C</a>"));
    assert!(!page(&moved, "autoren/erika/index.html").contains(">C</a>"));
    assert!(page(&moved, "autoren/max/atom.xml").contains("<title>C</title>"));
    // A bio: every post of hers shows the new one.
    site.edit("echt.yaml", "Schreibt über A.", "Schreibt über B.");
    let bio = site.check("a bio");
    assert!(page(&bio, "posts/b/index.html").contains("Schreibt über B."));
    assert!(!page(&bio, "posts/c/index.html").contains("Schreibt über"));
}

#[test]
fn a_file_rewritten_within_the_same_tick_is_read_again() {
    let site = Edited::new();
    // Sources, read by a build that rewrites the sources' cache.
    let b = site.path("content/posts/b.md");
    site.edit("content/posts/b.md", "Oben in B.", "Oben in X.");
    let tick = std::fs::metadata(&b).unwrap().modified().unwrap();
    echt::build(&BuildOptions {
        root: site.site.root().to_path_buf(),
        no_cache: true,
        ..BuildOptions::default()
    })
    .unwrap();
    site.edit("content/posts/b.md", "Oben in X.", "Oben in Y.");
    set_modified(&b, tick);
    let built = site.check("a post rewritten within the tick of the last build");
    assert!(page(&built, "posts/b/index.html").contains("Oben in Y."));

    // Copied files, by a build that keeps the sources' cache.
    let x = site.path("static/x.txt");
    site.write("static/x.txt", "y");
    let tick = std::fs::metadata(&x).unwrap().modified().unwrap();
    site.check("a copied file changed");
    site.write("static/x.txt", "z");
    set_modified(&x, tick);
    let built = site.check("a copied file rewritten within the tick of the last build");
    assert_eq!(page(&built, "x.txt"), "z");
}

/// A build that finds every file as the last build left it, and the
/// output too, is skipped: the cache proves that it would write the same.
/// Any change to what a build reads or writes must be seen.
#[test]
fn an_unchanged_build_is_skipped_only_when_nothing_changed() {
    let site = Edited::new();
    let skipped = site.check("nothing changed");
    assert!(
        skipped.skipped,
        "nothing changed: the build was not skipped"
    );
    // Edits that keep a file's size and modification time.
    site.skips_only_when_unchanged("a post's text", |s| {
        s.edit("content/posts/a.md", "Mehr von A.", "Mehr von Z.")
    });
    site.skips_only_when_unchanged("a post's front matter", |s| {
        s.edit("content/posts/b.md", "title: \"B\"", "title: \"C\"")
    });
    site.skips_only_when_unchanged("a page", |s| {
        s.edit("content/impressum.md", "Adresse.", "Anschri.")
    });
    site.skips_only_when_unchanged("a static file", |s| s.write("static/x.txt", "y"));
    site.skips_only_when_unchanged("a bundle's image", |s| {
        s.edit("content/posts/d/bild.svg", "/svg\"/>", "/svg\" />")
    });
    site.skips_only_when_unchanged("a file replaced by a copy", |s| {
        let copy = s.path("static/x.kopie");
        std::fs::copy(s.path("static/x.txt"), &copy).unwrap();
        std::fs::rename(&copy, s.path("static/x.txt")).unwrap();
    });
    site.skips_only_when_unchanged("a file touched", |s| {
        set_modified(
            &s.path("static/x.txt"),
            SystemTime::now() - Duration::from_secs(2 * 86_400),
        )
    });
    site.skips_only_when_unchanged("a static file added", |s| s.write("static/neu.txt", "neu"));
    site.skips_only_when_unchanged("a file added to content/", |s| {
        s.write(
            "content/bilder/logo.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        )
    });
    site.skips_only_when_unchanged("a file removed", |s| s.remove("static/neu.txt"));
    site.skips_only_when_unchanged("a new post", |s| {
        s.write(
            "content/posts/e.md",
            &post("E", "2024-06-01", "Eins", "Neu."),
        )
    });
    site.skips_only_when_unchanged("a template override added", |s| {
        s.write(
            "templates/post.html",
            &theme_file("templates/post.html").replace("</article>", "<p>Danke.</p></article>"),
        )
    });
    site.skips_only_when_unchanged("a template override changed", |s| {
        s.edit("templates/post.html", "Danke.", "Dank!")
    });
    site.skips_only_when_unchanged("a template override removed", |s| {
        s.remove("templates/post.html")
    });
    site.skips_only_when_unchanged("a theme folder that replaces the built-in theme", |s| {
        for rel in ["templates", "static"].iter().flat_map(|folder| {
            let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
            walkdir::WalkDir::new(theme.join(folder))
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .map(move |e| {
                    e.path()
                        .strip_prefix(&theme)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned()
                })
                .collect::<Vec<_>>()
        }) {
            let text = theme_file(&rel).replace("</article>", "<p>Eigen.</p></article>");
            s.write(&format!("themes/default/{rel}"), &text);
        }
    });
    site.skips_only_when_unchanged("a theme's template changed", |s| {
        s.edit("themes/default/templates/post.html", "Eigen.", "Anders.")
    });
    site.skips_only_when_unchanged("echt.yaml", |s| {
        s.edit("echt.yaml", "title: Cacheblog", "title: Cacheblog 3")
    });
    site.skips_only_when_unchanged("an output file changed by hand", |s| {
        std::fs::write(s.path("public/posts/b/index.html"), "von Hand").unwrap()
    });
    site.skips_only_when_unchanged("an output file removed by hand", |s| {
        std::fs::remove_file(s.path("public/atom.xml")).unwrap()
    });
    // What the build passes by does not count.
    site.write("content/posts/.a.md.swp", "Vim");
    site.write("static/notiz.txt~", "alt");
    site.age();
    let ignored = site.check("editor leftovers");
    assert!(
        ignored.skipped,
        "editor leftovers: the build was not skipped"
    );
}

#[test]
fn a_future_post_is_published_once_its_time_has_come() {
    let site = Edited::new();
    let soon = chrono::Utc::now() + chrono::Duration::seconds(3);
    site.write(
        "content/posts/bald.md",
        &post("Bald", &soon.to_rfc3339(), "Eins", "Gleich."),
    );
    site.age();
    let before = site.check("a post in the future");
    assert!(!before.output.join("posts/bald/index.html").exists());
    // Until its time, nothing changes.
    let again = site.cached().unwrap();
    if chrono::Utc::now() < soon {
        assert!(again.skipped, "a post in the future, then nothing");
    }
    let wait = (soon - chrono::Utc::now()).to_std().unwrap_or_default();
    std::thread::sleep(wait + Duration::from_millis(100));
    let after = site.check("the same post, now in the past");
    assert!(
        !after.skipped,
        "the post's time came: the build was skipped"
    );
    assert!(after.output.join("posts/bald/index.html").exists());
}

#[test]
fn output_files_changed_by_hand_are_rendered_again() {
    let site = Edited::new();
    let public = site.path("public");
    std::fs::write(public.join("posts/b/index.html"), "von Hand").unwrap();
    std::fs::remove_file(public.join("atom.xml")).unwrap();
    std::fs::remove_file(public.join("x.txt")).unwrap();
    let repaired = site.check("output files changed and removed by hand");
    assert_eq!(repaired.rendered, 3, "{repaired}");
}

#[test]
fn a_damaged_stale_or_missing_cache_means_a_full_build() {
    let site = Edited::new();
    let cache = site.cache_dir();
    // The sources' half is four files, read in parallel: any of them
    // damaged means none is used.
    for file in ["sources", "sources-2", "outputs"] {
        let path = cache.join(file);
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
        site.edit("content/posts/a.md", "Mehr von A.", "Mehr von A!");
        let built = site.check("a cache cut short");
        assert_eq!(
            built.note.as_deref(),
            Some("the build cache is damaged (truncated); what it held was made anew")
        );
        let mut bytes = std::fs::read(&path).unwrap();
        let middle = bytes.len() / 2;
        bytes[middle] ^= 1;
        std::fs::write(&path, &bytes).unwrap();
        site.edit("content/posts/a.md", "Mehr von A!", "Mehr von A.");
        let built = site.check("a cache with a byte changed");
        assert!(built.note.is_some_and(|n| n.contains("damaged")));
        std::fs::remove_file(&path).unwrap();
        let built = site.check("a cache file removed");
        assert_eq!(built.note, None, "a missing cache is no news");
    }
    std::fs::remove_dir_all(&cache).unwrap();
    site.check("no cache at all");
    // Other options, another cache: drafts are not in a build without them.
    site.write(
        "content/posts/entwurf.md",
        "---\ntitle: Entwurf\ndate: 2024-01-05\ndraft: true\n---\nNoch nicht.\n",
    );
    site.site.build_with(&["--drafts"]).ok();
    let built = site.check("a build without drafts after one with them");
    assert!(!built.output.join("posts/entwurf/index.html").exists());
    // A removed output folder is built anew, whatever the cache knew.
    std::fs::remove_dir_all(site.path("public")).unwrap();
    let built = site.check("the output folder removed");
    assert_eq!(built.changed, None);
}

#[test]
fn the_cache_is_beside_the_output_never_in_it() {
    let site = Edited::new();
    let built = site.site.build().ok();
    for file in ["sources", "sources-1", "sources-2", "sources-3", "outputs"] {
        assert!(site.cache_dir().join(file).is_file(), "{file}");
    }
    assert!(
        built.files().iter().all(|f| !f.contains("cache")),
        "{:?}",
        built.files()
    );
    let elsewhere = tempfile::tempdir().unwrap();
    let out = elsewhere.path().join("site");
    site.site
        .build_with(&["--output", &out.to_string_lossy()])
        .ok();
    assert!(elsewhere.path().join(".site.echt.cache/sources").is_file());
}

/// A page that did not change but links to a file that is gone must be
/// audited again: the build fails as a clean build would.
#[test]
fn a_link_to_a_removed_file_fails_the_cached_build_too() {
    let site = Edited::new();
    site.edit("content/posts/a.md", "Mehr von A.", "Mehr von [x](/x.txt).");
    site.check("a link to a static file");
    site.remove("static/x.txt");
    let cache = untouched(&site.cache_dir());
    let cached = site.cached().unwrap_err().to_string();
    // Without the cache, its sources' half is written anew while the
    // build goes on, and must not replace the old one when it fails.
    let clean = site.site.build_with(&["--no-cache"]).fails();
    assert!(cached.contains("x.txt"), "{cached}");
    assert_eq!(cached, clean);
    assert!(
        cache == untouched(&site.cache_dir()),
        "the cache was touched"
    );
}

/// The related posts and the series box of a post are made of other
/// posts' tags, series, titles and dates: an edit of one post must
/// change the pages of the others that show it, in a cached build as in a
/// clean one.
#[test]
fn related_posts_and_series_follow_edits_of_other_posts() {
    let site = Edited::new();
    let related = |report: &Report, post: &str| -> String {
        let page = page(report, &format!("posts/{post}/index.html"));
        let start = page
            .find("<section class=\"related\"")
            .unwrap_or(page.len());
        let end = page[start..]
            .find("</section>")
            .map_or(start, |e| start + e);
        page[start..end].to_string()
    };
    let first = site.check("nothing changed");
    // A (Eins) and B (Eins, Zwei) share `Eins`; D (Drei) shares nothing.
    assert!(related(&first, "a").contains("../../posts/b/"), "{first}");
    assert!(!related(&first, "a").contains("../../posts/d/"));

    site.edit(
        "content/posts/d/index.md",
        "tags: [Drei]",
        "tags: [Drei, Eins]",
    );
    let tagged = site.check("another post's tags");
    let a = related(&tagged, "a");
    // D is newer than B: the tie goes to D.
    let (d, b) = (a.find("../../posts/d/"), a.find("../../posts/b/"));
    assert!(
        d.is_some() && d < b,
        "A's related posts did not follow D's tags: {a}"
    );

    site.edit(
        "content/posts/a.md",
        "tags: [Eins]",
        "series: Reihe\ntags: [Eins]",
    );
    site.edit(
        "content/posts/c.md",
        "tags: [Zwei]",
        "series: Reihe\ntags: [Zwei]",
    );
    let series = site.check("two posts become a series");
    let a = page(&series, "posts/a/index.html");
    assert!(a.contains("Teil 1 von 2"), "{a}");
    assert!(page(&series, "posts/c/index.html").contains("Teil 2 von 2"));
    assert!(series.output.join("serien/reihe/index.html").exists());

    // C moves before A: A's page changes although A was not touched.
    site.edit("content/posts/c.md", "date: 2024-03-01", "date: 2023-12-01");
    let moved = site.check("a part redated");
    let a = page(&moved, "posts/a/index.html");
    assert!(a.contains("Teil 2 von 2"), "{a}");
    site.edit("content/posts/c.md", "title: \"C\"", "title: \"Zeh\"");
    let renamed = site.check("a part renamed");
    assert!(page(&renamed, "posts/a/index.html").contains(">Zeh</a>"));
    site.edit("content/posts/c.md", "series: Reihe\n", "");
    let left = site.check("a part leaves the series");
    assert!(page(&left, "posts/a/index.html").contains("Teil 1 von 1"));
}
