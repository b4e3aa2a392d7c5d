//! Bad input: every case gets file, line, column, the source line, a hint
//! and a non-zero exit, and public/ stays as it was. The texts are pinned.

use crate::support::{post, TestSite, CONFIG};

/// A site whose last build succeeded, so we can check it survives.
fn site_with_good_build() -> TestSite {
    let site = TestSite::new().post("gut.md", &post("Gut", "2024-01-01", "Alles gut."));
    site.build().ok();
    site
}

#[track_caller]
fn assert_public_untouched(site: &TestSite) {
    let page = std::fs::read_to_string(site.root().join("public/posts/gut/index.html"))
        .expect("old page kept");
    assert!(page.contains("Alles gut."));
    site.assert_no_leftovers();
}

const KEPT: &str = "; the build failed; ";

#[test]
fn malformed_yaml() {
    let site =
        site_with_good_build().post("kaputt.md", "---\ntitle: Hallo\ntags: [a, b\n---\nText\n");
    let err = site.build().fails();
    assert!(
        err.starts_with(
            "error: did not find expected ',' or ']' while parsing a flow sequence that starts at line 3, column 7\n  --> content/posts/kaputt.md:4:1\n"
        ),
        "{err}"
    );
    assert!(err.contains(KEPT), "{err}");
    assert_public_untouched(&site);
}

#[test]
fn colon_in_unquoted_title() {
    let site = site_with_good_build().post(
        "frage.md",
        "---\ntitle: Frage: warum?\ndate: 2024-01-01\n---\n",
    );
    let err = site.build().fails();
    assert_eq!(
        err.lines().take(6).collect::<Vec<_>>().join("\n"),
        "error: mapping values are not allowed in this context\n  --> content/posts/frage.md:2:13\n   |\n 2 | title: Frage: warum?\n   |             ^\n  = hint: put values that contain `: ` in quotes, e.g. title: \"Frage: Warum?\"",
        "{err}"
    );
    assert_public_untouched(&site);
}

#[test]
fn missing_and_empty_title() {
    let site = site_with_good_build()
        .post("ohne.md", "---\ndate: 2024-01-01\n---\nText\n")
        .post(
            "leer.md",
            "---\ntitle: \"  \"\ndate: 2024-01-01\n---\nText\n",
        );
    let err = site.build().fails();
    assert!(
        err.contains("error: the title is empty\n  --> content/posts/leer.md:2:8\n   |\n 2 | title: \"  \"\n   |        ^^^^\n  = hint: write the post's title after `title:`\n"),
        "{err}"
    );
    assert!(
        err.contains("error: the front matter has no `title`\n  --> content/posts/ohne.md:2:1\n   |\n 2 | date: 2024-01-01\n   | ^\n  = hint: add a line like `title: Mein Beitrag` between the `---` lines\n"),
        "{err}"
    );
    assert!(
        err.ends_with(&format!(
            "error: 2 errors; the build failed; {} was left unchanged\n",
            site.root().join("public").display()
        )),
        "{err}"
    );
    assert_public_untouched(&site);
}

#[test]
fn invalid_date() {
    let site =
        site_with_good_build().post("datum.md", "---\ntitle: Datum\ndate: 2024-02-30\n---\n");
    let err = site.build().fails();
    assert!(
        err.starts_with("error: invalid date `2024-02-30` in `date`\n  --> content/posts/datum.md:3:7\n   |\n 3 | date: 2024-02-30\n   |       ^^^^^^^^^^\n  = hint: write dates as 2024-03-11, 2024-03-11T09:30:00+01:00 or \"2024-03-11 09:30:00 +0100\"\n"),
        "{err}"
    );
    assert_public_untouched(&site);
}

#[test]
fn missing_date() {
    let site = site_with_good_build().post("ohne-datum.md", "---\ntitle: Ohne\n---\n");
    let err = site.build().fails();
    assert!(
        err.starts_with("error: the post has no date\n  --> content/posts/ohne-datum.md:2:1\n"),
        "{err}"
    );
    assert!(
        err.contains("hint: add a line like `date: 2024-03-11`"),
        "{err}"
    );
}

#[test]
fn unknown_config_key() {
    let site = site_with_good_build();
    std::fs::write(
        site.root().join("echt.yaml"),
        format!("{CONFIG}posts_per_pag: 5\n"),
    )
    .unwrap();
    let err = site.build().fails();
    assert!(
        err.starts_with("error: unknown field `posts_per_pag`, expected one of `title`, `description`, `base_url`, `language`, `author`, `authors`, `theme`, `posts_per_page`, `feed`, `privacy`, `page_budget`, `permalink`, `redirects`, `markdown`, `comments`, `images`, `share`, `search`, `related`, `extra`\n  --> echt.yaml:6:1\n   |\n 6 | posts_per_pag: 5\n   | ^\n  = hint: check the spelling of the key; the valid keys are listed above\n"),
        "{err}"
    );
    assert_public_untouched(&site);
}

#[test]
fn unsupported_language() {
    let site = site_with_good_build();
    std::fs::write(
        site.root().join("echt.yaml"),
        CONFIG.replace("language: de", "language: fr"),
    )
    .unwrap();
    let err = site.build().fails();
    assert!(
        err.starts_with(
            "error: unsupported language `fr`\n  --> echt.yaml:3:11\n   |\n 3 | language: fr\n   |           ^^\n  = hint: use `de` or `en`\n"
        ),
        "{err}"
    );
}

#[test]
fn two_posts_with_the_same_url_name_both_files() {
    let site = site_with_good_build()
        .post("2024-01-01-hallo.md", "---\ntitle: Eins\n---\n")
        .post("2023/hallo.md", &post("Zwei", "2023-01-01", ""));
    let err = site.build().fails();
    assert!(
        err.starts_with("error: the URL /posts/hallo/ is already taken by content/posts/2023/hallo.md\n  --> content/posts/2024-01-01-hallo.md\n  = hint: content/posts/2023/hallo.md and content/posts/2024-01-01-hallo.md would both be written to /posts/hallo/; rename one of them or give it a `slug:` in its front matter\n"),
        "{err}"
    );
    assert_public_untouched(&site);
}

#[test]
fn template_syntax_error_names_template_and_line() {
    let site = site_with_good_build().file("templates/post.html", "{% extends \"base.html\" %}\n{% block content %}\n{{ page.title }\n{% endblock content %}\n");
    let err = site.build().fails();
    assert!(err.starts_with("error: template syntax error: "), "{err}");
    assert!(err.contains("  --> templates/post.html:3:"), "{err}");
    assert!(err.contains(" 3 | {{ page.title }\n"), "{err}");
    assert_public_untouched(&site);
}

#[test]
fn template_runtime_error_names_template_and_line() {
    let site = site_with_good_build()
        .file("templates/post.html", "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ page.title }}</h1>\n<p>{{ page.untertitel }}</p>\n{% endblock content %}\n");
    let err = site.build().fails();
    assert!(
        err.starts_with("error: Variable `page.untertitel` not found in context while rendering 'post.html'\n  --> templates/post.html:4:7\n   |\n 4 | <p>{{ page.untertitel }}</p>\n   |       ^^^^^^^^^^^^^^^\n  = hint: while rendering /posts/gut/ with template post.html\n"),
        "{err}"
    );
    assert_public_untouched(&site);
}

#[test]
fn file_that_is_not_utf8() {
    let site = site_with_good_build().bytes(
        "content/posts/latin1.md",
        b"---\ntitle: Gr\xFC\xDFe\ndate: 2024-01-01\n---\n",
    );
    let err = site.build().fails();
    assert!(
        err.starts_with("error: the file is not valid UTF-8 (byte 0xFC)\n  --> content/posts/latin1.md:2:10\n   |\n 2 | title: Gr\u{FFFD}\u{FFFD}e\n   |          ^\n  = hint: save the file as UTF-8"),
        "{err}"
    );
    assert_public_untouched(&site);
}

#[test]
fn missing_theme() {
    let site = site_with_good_build();
    std::fs::write(
        site.root().join("echt.yaml"),
        format!("{CONFIG}theme: schick\n"),
    )
    .unwrap();
    let err = site.build().fails();
    assert!(
        err.starts_with("error: the theme `schick` does not exist: there is no folder themes/schick/\n  --> echt.yaml:6:8\n   |\n 6 | theme: schick\n   |        ^^^^^^\n  = hint: available themes: default\n"),
        "{err}"
    );
    assert_public_untouched(&site);
}

#[test]
fn broken_link_to_a_post_file() {
    let site = site_with_good_build().post(
        "verweis.md",
        &post("Verweis", "2024-01-02", "Siehe [dort](gibt-es-nicht.md)."),
    );
    let err = site.build().fails();
    assert!(
        err.starts_with("error: link to `gibt-es-nicht.md`, which is not a post or page of this site\n  --> content/posts/verweis.md:5:7\n"),
        "{err}"
    );
}

#[test]
fn all_errors_of_a_build_are_reported_together() {
    let site = site_with_good_build()
        .post("a.md", "---\ntitle: A\ndate: gestern\n---\n")
        .post("b.md", "---\ntitle: [\n---\n")
        .post("c.md", "ohne front matter\n")
        .file("templates/page.html", "{{ page.nichts }}")
        .file("content/seite.md", "---\ntitle: Seite\n---\n");
    let err = site.build().fails();
    for needle in [
        "content/posts/a.md:3:7",
        "content/posts/b.md:",
        "content/posts/c.md:1:1",
        "templates/page.html:1:4",
        "error: 4 errors;",
    ] {
        assert!(err.contains(needle), "missing {needle} in:\n{err}");
    }
    assert_public_untouched(&site);
}

#[test]
fn output_folder_may_not_be_the_sources() {
    let site = site_with_good_build();
    for bad in [".", "content", "content/x", ".."] {
        let err = site.build_with(&["--output", bad]).fails();
        assert!(
            err.contains("error: the output folder may not be"),
            "{bad}: {err}"
        );
    }
    assert!(site.root().join("content/posts/gut.md").exists());
    assert_public_untouched(&site);
}

#[test]
fn not_a_site() {
    let site = TestSite::empty();
    let err = site.build().fails();
    assert!(
        err.starts_with("error: no such file or directory\n  --> echt.yaml\n  = hint: "),
        "{err}"
    );
}

#[test]
fn a_folder_echt_did_not_write_is_never_cleared() {
    let site = site_with_good_build();
    let mine = site.root().join("meine-dateien");
    std::fs::create_dir(&mine).unwrap();
    std::fs::write(mine.join("steuer.pdf"), "wichtig").unwrap();
    let err = site
        .build_with(&["--output", &mine.to_string_lossy()])
        .fails();
    assert!(
        err.starts_with("error: the output folder is not empty and was not written by echt\n"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(mine.join("steuer.pdf")).unwrap(),
        "wichtig"
    );
}

#[test]
fn hidden_files_in_the_output_survive_rebuilds() {
    let site = site_with_good_build();
    std::fs::create_dir(site.root().join("public/.git")).unwrap();
    std::fs::write(site.root().join("public/.git/HEAD"), "ref: refs/heads/main").unwrap();
    site.build().ok();
    assert!(site.root().join("public/.git/HEAD").exists());
}

#[test]
fn aliases_and_pages_may_not_replace_generated_pages() {
    let site = site_with_good_build()
        .post("a.md", "---\ntitle: A\ndate: 2024-01-01\naliases: [\"index.html\", \"/404.html\", \"/posts/gut/\", \"/alt?id=3\"]\n---\n")
        .file("content/tags.md", "---\ntitle: Tags\n---\n")
        .post("🎉.md", "---\ntitle: Party\ndate: 2024-01-01\n---\n");
    let err = site.build().fails();
    for needle in [
        "error: the home page and the alias `index.html` of content/posts/a.md would both be written to /\n  --> content/posts/a.md\n",
        "error: the 404 page and the alias `/404.html` of content/posts/a.md would both be written to /404.html\n",
        "error: content/posts/gut.md and the alias `/posts/gut/` of content/posts/a.md would both be written to /posts/gut/\n",
        "error: the alias `/alt?id=3` is not a path on this site\n",
        "error: content/tags.md and the list of tags would both be written to /tags/\n  --> content/tags.md\n",
        "error: the file name has no letters or digits for a URL\n  --> content/posts/🎉.md\n",
    ] {
        assert!(err.contains(needle), "missing {needle:?} in:\n{err}");
    }
    assert_public_untouched(&site);
}

#[test]
fn tabs_in_front_matter_get_their_own_hint() {
    let site = site_with_good_build().post(
        "tab.md",
        "---\ntitle: Tab\ndate: 2024-01-01\ntags:\n\t- a\n---\n",
    );
    let err = site.build().fails();
    assert!(err.contains("content/posts/tab.md:5:"), "{err}");
    assert!(
        err.contains("= hint: YAML does not allow tabs for indentation; indent with spaces"),
        "{err}"
    );
}
