//! Unit tests of the site model: URLs, their owners, links, aliases, tags.

use super::*;

fn post(rel: &str, tags: &[&str]) -> Document {
    Document {
        source: Source {
            rel: rel.to_string(),
            kind: Kind::Post,
            bundle: None,
        },
        front: Arc::new(FrontMatter {
            tags: tags.iter().map(|t| t.to_string()).collect(),
            ..FrontMatter::default()
        }),
        path: String::new(),
        date: None,
        language: Language::De,
        rendered: Arc::new(Rendered::default()),
        image: None,
        future: false,
        tags: Vec::new(),
        authors: Vec::new(),
        series: None,
        related: Vec::new(),
        fingerprint: 0,
        text: Arc::from(""),
        comments: Arc::default(),
    }
}

/// The post `posts/NAME.md` at `NAME/`, dated `date` (2024-03-11), with
/// `tags` and perhaps a series, its front matter written out so that
/// problems can be located in it.
pub(super) fn post_with(name: &str, date: &str, tags: &[&str], series: Option<&str>) -> Document {
    let mut doc = post(&format!("posts/{name}.md"), tags);
    doc.path = format!("{name}/");
    doc.date = self::date(date);
    doc.front = Arc::new(FrontMatter {
        series: series.map(str::to_string),
        ..(*doc.front).clone()
    });
    doc.text = Arc::from(format!(
        "---\ntitle: T\nseries: {}\ntags: [{}]\n---\n",
        series.unwrap_or("~"),
        tags.join(", ")
    ));
    doc
}

#[test]
fn tags_are_never_merged_silently() {
    let mut posts = vec![
        post("posts/a.md", &["C", "Vertrauen", "Gro\u{308}ße"]),
        post("posts/b.md", &["C++", "Vertrauen", "Größe", "🎉"]),
        post("posts/c.md", &["vertrauen", "C++"]),
    ];
    let (tags, problems) = collect_tags(&mut posts);
    let names: Vec<(&str, &str, &[usize])> = tags
        .iter()
        .map(|t| (t.name.as_str(), t.slug.as_str(), t.posts.as_slice()))
        .collect();
    // The spelling most posts use names the tag; NFD and NFC are one.
    assert_eq!(
        names,
        [
            ("C++", "c", &[0, 1, 2][..]),
            ("Größe", "groesse", &[0, 1][..]),
            ("Vertrauen", "vertrauen", &[0, 1, 2][..]),
        ]
    );
    assert_eq!(
        problems,
        [
            TagProblem::Clash {
                at: (0, 0),
                with: (1, 0),
                slug: "c".into()
            },
            TagProblem::NoSlug((1, 3)),
            TagProblem::Clash {
                at: (2, 0),
                with: (0, 1),
                slug: "vertrauen".into()
            },
        ]
    );
    assert_eq!(posts[2].tags, [0, 2]);
}

/// A source as `parse` leaves it, with `slug:` set or not. A post's
/// `.../index.md` is a bundle, as `content` finds it.
fn parsed(rel: &str, kind: Kind, slug: Option<&str>) -> Parsed {
    let bundle = match kind {
        Kind::Post => rel.strip_suffix("/index.md").map(str::to_string),
        Kind::Page => None,
    };
    let source = Source {
        rel: rel.to_string(),
        kind,
        bundle,
    };
    let slug_stem = name_parts(&source).1.to_string();
    let mut parsed = Parsed {
        source,
        text: Arc::from(""),
        front: Arc::new(FrontMatter {
            slug: slug.map(str::to_string),
            ..FrontMatter::default()
        }),
        body_offset: 0,
        date: None,
        slug_stem,
        path: String::new(),
    };
    parsed.path = document_path(&parsed, &Permalink::default());
    parsed
}

fn path_of(rel: &str, kind: Kind, slug: Option<&str>) -> String {
    document_path(&parsed(rel, kind, slug), &Permalink::default())
}

/// A cache entry for tests that only need one to point at.
fn cached() -> CachedSource {
    CachedSource {
        stamp: 0,
        version: 0,
        parsed: Arc::new(Err(Vec::new())),
        rendering: None,
    }
}

fn date(text: &str) -> Option<DateTime<FixedOffset>> {
    Some(frontmatter::parse_date(text).expect("a valid date"))
}

#[test]
fn post_paths_come_from_the_file_name() {
    let post = |rel| path_of(rel, Kind::Post, None);
    assert_eq!(post("posts/hallo-welt.md"), "posts/hallo-welt/");
    // The date of a Jekyll name is not part of the URL.
    assert_eq!(post("posts/2024-03-11-hallo-welt.md"), "posts/hallo-welt/");
    // Subfolders of posts/ only sort the files.
    assert_eq!(post("posts/2024/reise.markdown"), "posts/reise/");
    // A bundle is named by its folder.
    assert_eq!(post("posts/2024-03-11-reise/index.md"), "posts/reise/");
    assert_eq!(post("posts/Mein Beitrag!.md"), "posts/mein-beitrag/");
}

#[test]
fn german_file_names_give_german_urls() {
    let post = |rel| path_of(rel, Kind::Post, None);
    assert_eq!(post("posts/Über Größe.md"), "posts/ueber-groesse/");
    // macOS writes umlauts decomposed: the same URL.
    assert_eq!(
        post("posts/U\u{308}ber Gro\u{308}ße.md"),
        "posts/ueber-groesse/"
    );
    assert_eq!(
        path_of("Über mich/Straße.md", Kind::Page, None),
        "ueber-mich/strasse/"
    );
}

#[test]
fn page_paths_follow_their_folders() {
    let page = |rel| path_of(rel, Kind::Page, None);
    assert_eq!(page("ueber-mich.md"), "ueber-mich/");
    assert_eq!(page("index.md"), "");
    assert_eq!(page("projekte/index.md"), "projekte/");
    assert_eq!(page("projekte/Alte Sachen.md"), "projekte/alte-sachen/");
    // Only the last dot starts the extension.
    assert_eq!(page("v1.2.md"), "v1-2/");
}

#[test]
fn a_slug_replaces_the_name_but_not_the_folder() {
    assert_eq!(
        path_of("posts/2024-03-11-a.md", Kind::Post, Some("Schöne Grüße")),
        "posts/schoene-gruesse/"
    );
    assert_eq!(
        path_of("posts/2024-03-11-a/index.md", Kind::Post, Some("neu")),
        "posts/neu/"
    );
    assert_eq!(
        path_of("impressum.md", Kind::Page, Some("Kontakt")),
        "kontakt/"
    );
    assert_eq!(
        path_of("projekte/alt.md", Kind::Page, Some("neu")),
        "projekte/neu/"
    );
    // The folder of an index page is its name.
    assert_eq!(
        path_of("projekte/index.md", Kind::Page, Some("arbeit")),
        "arbeit/"
    );
    assert_eq!(path_of("index.md", Kind::Page, Some("start")), "start/");
    // A slug without letters or digits is no slug.
    assert_eq!(path_of("posts/a.md", Kind::Post, Some("🎉")), "posts/a/");
}

#[test]
fn a_name_without_letters_has_no_url() {
    let nameless = path_of("posts/🎉.md", Kind::Post, None);
    assert_eq!(nameless, "posts//");
    assert!(is_nameless(&nameless));
    assert!(is_nameless(&path_of("projekte/🎉.md", Kind::Page, None)));
    // At the top level too, as a file or as a folder.
    assert!(is_nameless(&path_of("🎉.md", Kind::Page, None)));
    assert!(is_nameless(&path_of("🎉/index.md", Kind::Page, None)));
    assert_eq!(path_of("index.md", Kind::Page, None), "");
    assert_eq!(path_of("🎉.md", Kind::Page, Some("feier")), "feier/");
    assert!(!is_nameless(&path_of(
        "posts/🎉.md",
        Kind::Post,
        Some("feier")
    )));
    for fine in ["", "posts/a/", "projekte/alte-sachen/"] {
        assert!(!is_nameless(fine), "{fine}");
    }

    let sources = [
        parsed("posts/🎉.md", Kind::Post, None),
        parsed("posts/a.md", Kind::Post, None),
    ];
    let cached = cached();
    let mut errors = Vec::new();
    let placed = place(
        sources
            .iter()
            .enumerate()
            .map(|(i, p)| (i, p, &cached))
            .collect(),
        &mut errors,
    );
    let paths: Vec<&str> = placed.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(paths, ["posts/a/"]);
    assert_eq!(
        errors[0].to_string(),
        "error: the file name has no letters or digits for a URL\n  --> content/posts/🎉.md\n  = hint: rename the file, or set `slug:` in its front matter\n"
    );
}

#[test]
fn a_file_name_date_counts_only_without_date() {
    let front = date("2024-05-01");
    let (file, _) = frontmatter::date_from_file_name("2024-03-11-a").unwrap();
    assert_eq!(document_date(front, Some(file.clone())), Ok(front));
    assert_eq!(document_date(None, Some(file)), Ok(date("2024-03-11")));
    assert_eq!(document_date(None, None), Ok(None));
    let (far, _) = frontmatter::date_from_file_name("0999-01-01-a").unwrap();
    assert_eq!(document_date(front, Some(far.clone())), Ok(front));
    assert!(document_date(None, Some(far)).is_err());
}

#[test]
fn two_sources_on_one_url_are_refused() {
    let mut urls = UrlRegistry::new();
    let a = Path::new("content/posts/a.md");
    let b = Path::new("content/posts/2024-03-11-a.md");
    assert!(urls.claim("posts/a/", a).is_ok());
    let err = urls.claim("posts/a/", b).unwrap_err();
    assert_eq!(
        err.to_string(),
        "error: the URL /posts/a/ is already taken by content/posts/a.md\n  --> content/posts/2024-03-11-a.md\n  = hint: content/posts/a.md and content/posts/2024-03-11-a.md would both be written to /posts/a/; rename one of them or give it a `slug:` in its front matter\n"
    );
    // The first owner keeps it.
    let err = urls
        .claim("posts/a/", Path::new("content/c.md"))
        .unwrap_err();
    assert!(
        err.message.ends_with("taken by content/posts/a.md"),
        "{err}"
    );
}

#[test]
fn a_folder_and_its_index_are_one_url() {
    let mut urls = UrlRegistry::new();
    assert!(urls
        .claim("x/index.html", Path::new("content/a.md"))
        .is_ok());
    let err = urls.claim("x/", Path::new("content/b.md")).unwrap_err();
    assert_eq!(err.message, "the URL /x/ is already taken by content/a.md");
    assert!(urls.claim("y/", Path::new("content/a.md")).is_ok());
    assert!(urls
        .claim("y/index.html", Path::new("content/b.md"))
        .is_err());
    // A file beside the folder is another URL.
    assert!(urls.claim("x.html", Path::new("content/c.md")).is_ok());
    assert!(urls.claim("", Path::new("content/index.md")).is_ok());
    assert!(urls.claim("index.html", Path::new("content/d.md")).is_err());
}

#[test]
fn the_first_of_two_sources_on_one_url_is_placed() {
    let sources = [
        parsed("posts/2024-03-11-a.md", Kind::Post, None),
        parsed("posts/b.md", Kind::Post, Some("a")),
        parsed("posts/a.md", Kind::Post, None),
    ];
    let cached = cached();
    let mut errors = Vec::new();
    let placed = place(
        sources
            .iter()
            .enumerate()
            .map(|(i, p)| (i, p, &cached))
            .collect(),
        &mut errors,
    );
    let placed: Vec<(&str, &str)> = placed
        .iter()
        .map(|p| (p.doc.source.rel.as_str(), p.path.as_str()))
        .collect();
    assert_eq!(placed, [("posts/2024-03-11-a.md", "posts/a/")]);
    let shown: Vec<String> = errors
        .iter()
        .map(|e| format!("{}: {}", e.path.display(), e.message))
        .collect();
    assert_eq!(
        shown,
        [
            "content/posts/b.md: the URL /posts/a/ is already taken by content/posts/2024-03-11-a.md",
            "content/posts/a.md: the URL /posts/a/ is already taken by content/posts/2024-03-11-a.md",
        ]
    );
}

fn asset(rel: &str, bundle: Option<usize>, rel_in_bundle: &str) -> content::Asset {
    content::Asset {
        rel: rel.to_string(),
        bundle,
        rel_in_bundle: rel_in_bundle.to_string(),
    }
}

#[test]
fn the_link_map_knows_every_file() {
    let sources = [
        parsed("posts/2024-03-11-a.md", Kind::Post, None),
        parsed("posts/reise/index.md", Kind::Post, None),
        parsed("posts/entwurf/index.md", Kind::Post, None),
        parsed("U\u{308}ber.md", Kind::Page, None),
    ];
    let inventory = Inventory {
        sources: sources.iter().map(|p| p.source.clone()).collect(),
        assets: vec![
            asset("posts/reise/bild.jpg", Some(1), "bild.jpg"),
            asset("posts/reise/karten/weg.svg", Some(1), "karten/weg.svg"),
            // Of a draft, which has no URL.
            asset("posts/entwurf/bild.jpg", Some(2), "bild.jpg"),
            asset("bilder/logo.png", None, "bilder/logo.png"),
        ],
        comments: Vec::new(),
    };
    let cached = cached();
    let placed: Vec<Placed<'_>> = [0, 1, 3]
        .into_iter()
        .map(|i| Placed {
            index: i,
            doc: &sources[i],
            cached: &cached,
            path: document_path(&sources[i], &Permalink::default()),
        })
        .collect();
    let broken = [
        "posts/kaputt.md".to_string(),
        // A broken source never takes a placed one's URL.
        "posts/2024-03-11-a.md".to_string(),
    ];
    let links = link_map(&inventory, &placed, &broken);
    let mut links: Vec<(&str, &str)> = links
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    links.sort_unstable();
    assert_eq!(
        links,
        [
            ("bilder/logo.png", "bilder/logo.png"),
            ("posts/2024-03-11-a.md", "posts/a/"),
            ("posts/kaputt.md", ""),
            ("posts/reise/bild.jpg", "posts/reise/bild.jpg"),
            ("posts/reise/index.md", "posts/reise/"),
            ("posts/reise/karten/weg.svg", "posts/reise/karten/weg.svg"),
            // In NFC, as links are looked up.
            ("Über.md", "ueber/"),
        ]
    );
}

/// A document at `path` with `aliases`.
fn with_aliases(rel: &str, path: &str, aliases: &[&str]) -> Document {
    let mut doc = post(rel, &[]);
    doc.path = path.to_string();
    doc.front = Arc::new(FrontMatter {
        aliases: aliases.iter().map(|a| a.to_string()).collect(),
        ..FrontMatter::default()
    });
    doc
}

#[test]
fn aliases_are_paths_on_this_site() {
    let file = |alias| crate::util::url::old_path_file(alias);
    assert_eq!(
        file("/2019/03/alt/").as_deref(),
        Some("2019/03/alt/index.html")
    );
    assert_eq!(
        file("2019/03/alt").as_deref(),
        Some("2019/03/alt/index.html")
    );
    assert_eq!(file(" /alt.html ").as_deref(), Some("alt.html"));
    assert_eq!(file("/alt.htm").as_deref(), Some("alt.htm"));
    assert_eq!(file("/").as_deref(), Some("index.html"));
    // As written: the old URL is what readers have.
    assert_eq!(file("/Über/").as_deref(), Some("Über/index.html"));
    for bad in [
        "https://example.org/alt/",
        "mailto:lena@example.org",
        "/../etc/",
        "/a/./b/",
        "/alt/?p=1",
        "/alt/#oben",
        "\\alt\\",
    ] {
        assert_eq!(file(bad), None, "{bad}");
    }
}

#[test]
fn aliases_point_at_their_document() {
    let posts = [with_aliases(
        "posts/a.md",
        "posts/a/",
        &["/2019/03/a/", "https://alt.example/a/"],
    )];
    let pages = [with_aliases(
        "impressum.md",
        "impressum/",
        &["/kontakt.html"],
    )];
    let mut errors = Vec::new();
    let aliases = collect_aliases(&posts, &pages, &mut errors);
    let shown: Vec<(&str, &str, &str, String)> = aliases
        .iter()
        .map(|a| {
            (
                a.file.as_str(),
                a.target.as_str(),
                a.written.as_str(),
                a.source.display().to_string(),
            )
        })
        .collect();
    assert_eq!(
        shown,
        [
            (
                "2019/03/a/index.html",
                "posts/a/",
                "/2019/03/a/",
                "content/posts/a.md".to_string()
            ),
            (
                "kontakt.html",
                "impressum/",
                "/kontakt.html",
                "content/impressum.md".to_string()
            ),
        ]
    );
    assert_eq!(
        errors.iter().map(ToString::to_string).collect::<Vec<_>>(),
        ["error: the alias `https://alt.example/a/` is not a path on this site\n  --> content/posts/a.md\n  = hint: write old URLs as paths, e.g. `/2019/03/alter-name/`\n"]
    );
}

#[test]
fn clashing_aliases_are_one_file_for_the_registry() {
    let posts = [
        with_aliases("posts/a.md", "posts/a/", &["/alt/"]),
        with_aliases("posts/b.md", "posts/b/", &["alt", "/alt/index.html"]),
    ];
    let mut errors = Vec::new();
    let aliases = collect_aliases(&posts, &[], &mut errors);
    assert!(errors.is_empty());
    let files: Vec<&str> = aliases.iter().map(|a| a.file.as_str()).collect();
    assert_eq!(files, ["alt/index.html"; 3]);
    // The registry, which owns every output path, refuses all but the
    // first.
    let mut registry = registry::Registry::default();
    let claimed: Vec<bool> = aliases
        .iter()
        .map(|a| registry.claim(&a.file, registry::Owner::file(&a.source)))
        .collect();
    assert_eq!(claimed, [true, false, false]);
    assert!(
        registry.problems[0]
            .message
            .contains("content/posts/a.md and content/posts/b.md would both be written to /alt/"),
        "{}",
        registry.problems[0]
    );
}

#[test]
fn tags_differing_in_case_or_umlaut_spelling_clash() {
    let mut posts = vec![
        post("posts/a.md", &["Ärger", "Größe"]),
        post("posts/b.md", &["ärger", "Groesse"]),
        post("posts/c.md", &["Ärger", "GRÖSSE"]),
    ];
    let (tags, problems) = collect_tags(&mut posts);
    let names: Vec<(&str, &str)> = tags
        .iter()
        .map(|t| (t.name.as_str(), t.slug.as_str()))
        .collect();
    // Among spellings used equally often, the newest post's wins.
    assert_eq!(names, [("Ärger", "aerger"), ("Größe", "groesse")]);
    assert_eq!(tags[1].posts, [0, 1, 2]);
    assert_eq!(
        problems,
        [
            TagProblem::Clash {
                at: (1, 0),
                with: (0, 0),
                slug: "aerger".into()
            },
            TagProblem::Clash {
                at: (1, 1),
                with: (0, 1),
                slug: "groesse".into()
            },
            TagProblem::Clash {
                at: (2, 1),
                with: (0, 1),
                slug: "groesse".into()
            },
        ]
    );
    // A tag written twice in one post counts once.
    let mut posts = vec![
        post("posts/a.md", &["Rust", "rust", "rust"]),
        post("posts/b.md", &["Rust"]),
    ];
    let (tags, problems) = collect_tags(&mut posts);
    assert_eq!(
        (tags[0].name.as_str(), tags[0].posts.as_slice()),
        ("Rust", &[0, 1][..])
    );
    assert_eq!(problems.len(), 2);
    assert_eq!(posts[0].tags, [0]);
}

#[test]
fn tag_problems_are_shown_where_the_tag_is_written() {
    let mut posts = vec![
        post("posts/a.md", &["C", "🎉"]),
        post("posts/b.md", &["C++"]),
        post("posts/c.md", &["C++"]),
    ];
    let (_, problems) = collect_tags(&mut posts);
    let texts: HashMap<&str, &str> = [
        ("posts/a.md", "---\ntitle: a\ntags: [C, \"🎉\"]\n---\n"),
        ("posts/b.md", "---\ntitle: b\ntags: [C++]\n---\n"),
    ]
    .into_iter()
    .collect();
    let shown: Vec<String> = tag_diagnostics(&posts, &problems, |post| {
        texts.get(post.source.rel.as_str()).copied()
    })
    .iter()
    .map(ToString::to_string)
    .collect();
    assert_eq!(
        shown,
        [
            "error: the tags `C` and `C++` would share the page /tags/c/\n  --> content/posts/a.md:3:8\n   |\n 3 | tags: [C, \"🎉\"]\n   |        ^\n  = hint: write `C++` the same way in every post, or make the names differ in letters or digits (a tag's URL ignores case, accents and punctuation)\n  = note: `C++` is written at content/posts/b.md:3:8\n",
            "error: the tag `🎉` has no letters or digits for the URL of its page\n  --> content/posts/a.md:3:12\n   |\n 3 | tags: [C, \"🎉\"]\n   |            ^\n  = hint: give the tag a letter or a digit, e.g. `Feier 🎉`\n",
        ]
    );
    // Without the file's text, the file is named.
    let shown = tag_diagnostics(&posts, &problems[..1], |_| None);
    assert_eq!(shown[0].line, 0);
    assert_eq!(
        shown[0].note.as_deref(),
        Some("`C++` is written in content/posts/b.md")
    );
}

#[test]
fn posts_are_newest_first_and_pages_by_path() {
    let dated = |rel: &str, path: &str, when: &str| {
        let mut doc = post(rel, &[]);
        doc.path = path.to_string();
        doc.date = date(when);
        doc
    };
    let mut posts = vec![
        dated("posts/b.md", "posts/b/", "2024-03-11"),
        dated("posts/c.md", "posts/c/", "2024-05-01"),
        dated("posts/a.md", "posts/a/", "2024-03-11"),
    ];
    let mut pages = vec![
        with_aliases("z.md", "z/", &[]),
        with_aliases("index.md", "", &[]),
        with_aliases("a.md", "a/", &[]),
    ];
    order(&mut posts, &mut pages);
    let paths = |docs: &[Document]| docs.iter().map(|d| d.path.clone()).collect::<Vec<_>>();
    assert_eq!(paths(&posts), ["posts/c/", "posts/a/", "posts/b/"]);
    assert_eq!(paths(&pages), ["", "a/", "z/"]);
}

#[test]
fn drafts_and_future_posts_only_when_asked() {
    let now = date("2024-06-01").unwrap();
    let selection = |drafts, future| Selection {
        drafts,
        future,
        now,
    };
    let mut draft = parsed("posts/a.md", Kind::Post, None);
    draft.date = date("2024-05-01");
    draft.front = Arc::new(FrontMatter {
        draft: true,
        ..FrontMatter::default()
    });
    let mut future = parsed("posts/b.md", Kind::Post, None);
    future.date = date("2024-07-01");
    let mut page = parsed("seite.md", Kind::Page, None);
    page.date = date("2024-07-01");
    assert!(!is_published(&draft, &selection(false, true)));
    assert!(is_published(&draft, &selection(true, false)));
    assert!(!is_published(&future, &selection(true, false)));
    assert!(is_published(&future, &selection(false, true)));
    // A page's date is no publication date.
    assert!(is_published(&page, &selection(false, false)));
}
