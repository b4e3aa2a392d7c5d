//! What authors write that YAML, file systems or editors make surprising:
//! far dates, runaway nesting, repeated keys, old line endings, control
//! characters, numbers that were meant as text, tags that collide, file
//! names that are not UTF-8, links in other Unicode forms, long lines. Each
//! is an error at the place it was written, or works as the author meant.

use crate::support::{post, TestSite};

/// The first diagnostic of `err` starts with `message` and points at
/// `location`.
#[track_caller]
fn assert_error_at(err: &str, message: &str, location: &str) {
    let wanted = format!("error: {message}\n  --> {location}\n");
    assert!(err.contains(&wanted), "missing {wanted:?} in:\n{err}");
}

#[test]
fn dates_feeds_cannot_carry_are_refused_where_written() {
    let site = TestSite::new()
        .post("x.md", "---\ntitle: Alt\ndate: \"-001-01-01\"\n---\nText\n")
        .post(
            "y.md",
            "---\ntitle: Neu\ndate: 2024-01-01\nupdated: 10000-01-01T00:00:00Z\n---\n",
        )
        .post("0999-01-01-frueh.md", "---\ntitle: Früh\n---\n")
        // A file named after a far day is fine when `date:` is set.
        .post("1848-03-18-maerz.md", &post("März", "2024-03-18", "Text"));
    let err = site.build().fails();
    assert_error_at(
        &err,
        "the date `-001-01-01` in `date` is outside the years 1900 to 9999",
        "content/posts/x.md:3:7",
    );
    assert!(
        err.contains(" 3 | date: \"-001-01-01\"\n   |       ^^^^^^^^^^^^\n  = hint: feeds can carry dates from the year 1900 to 9999 only; write e.g. 2024-03-11\n"),
        "{err}"
    );
    // A year with five digits is no date chrono reads from text at all.
    assert_error_at(
        &err,
        "invalid date `10000-01-01T00:00:00Z` in `updated`",
        "content/posts/y.md:4:10",
    );
    assert_error_at(
        &err,
        "the date `0999-01-01` in the file name is outside the years 1900 to 9999",
        "content/posts/0999-01-01-frueh.md",
    );
    assert!(err.contains("error: 3 errors;"), "{err}");
}

#[test]
fn the_oldest_and_newest_dates_reach_every_feed() {
    let site = TestSite::new()
        .post("alt.md", &post("Alt", "1900-01-01", "Text"))
        .post("neu.md", &post("Neu", "2024-01-01", "Text"));
    let built = site.build().ok();
    assert!(
        built
            .page("rss.xml")
            .contains("<pubDate>Mon, 1 Jan 1900 00:00:00 +0000</pubDate>"),
        "{}",
        built.page("rss.xml")
    );
    assert!(built
        .page("atom.xml")
        .contains("<published>1900-01-01T00:00:00+00:00</published>"));
}

#[test]
fn runaway_brackets_fail_fast_and_where_they_get_too_deep() {
    let brackets = "[".repeat(100_000);
    let site = TestSite::new()
        .post(
            "x.md",
            &format!("---\ntitle: Hallo\ndate: 2024-01-01\ntags: {brackets}\n---\nText\n"),
        )
        // Brackets in quotes and block scalars are text, however many.
        .post(
            "y.md",
            &format!("---\ntitle: \"{brackets}\"\ndate: 2024-01-01\ndescription: |\n  {brackets}\n---\nText\n"),
        );
    let start = std::time::Instant::now();
    let err = site.build().fails();
    // serde_yaml alone took 25 s here (libyaml is quadratic in open brackets).
    assert!(start.elapsed() < std::time::Duration::from_secs(5));
    assert_error_at(
        &err,
        "lists and maps are nested more than 128 levels deep here",
        "content/posts/x.md:4:135",
    );
    assert!(err.contains("= hint: look for a stray `[` or `{`"), "{err}");
    assert!(err.contains("error: 1 error;"), "{err}");
}

#[test]
fn a_repeated_key_is_shown_where_it_repeats() {
    let site = TestSite::new().post(
        "x.md",
        "---\ntitle: Eins\ndate: 2024-01-01\ntags: [a]\ntitle: Zwei\n---\nText\n",
    );
    let err = site.build().fails();
    assert!(
        err.starts_with("error: the key `title` appears twice\n  --> content/posts/x.md:5:1\n   |\n 5 | title: Zwei\n   | ^^^^^\n  = hint: the first `title` is at line 2; YAML keeps only one value per key, so remove one of the two\n"),
        "{err}"
    );

    let site = TestSite::new()
        .file(
            "echt.yaml",
            &format!(
                "{}extra:\n  farbe: blau\n  farbe: rot\n",
                crate::support::CONFIG
            ),
        )
        .post("x.md", &post("X", "2024-01-01", "Text"));
    let err = site.build().fails();
    assert!(
        err.starts_with("error: the key `farbe` appears twice in `extra`\n  --> echt.yaml:8:3\n   |\n 8 |   farbe: rot\n   |   ^^^^^\n  = hint: the first `farbe` is at line 7;"),
        "{err}"
    );
}

#[test]
fn cr_only_line_endings_are_named() {
    let site = TestSite::new()
        .post(
            "x.md",
            "---\rtitle: Von 1998\rdate: 1998-01-01\r---\rText\r",
        )
        .post(
            "crlf.md",
            "---\r\ntitle: Windows\r\ndate: 2024-01-01\n---\r\nZeile eins\r\nZeile zwei\n",
        );
    let err = site.build().fails();
    assert!(
        err.starts_with("error: the file uses CR-only line endings\n  --> content/posts/x.md:1:4\n   |\n 1 | ---\n   |    ^\n  = hint: save the file with LF (or CRLF) line endings"),
        "{err}"
    );
    assert!(err.contains("error: 1 error;"), "{err}");
    std::fs::remove_file(site.root().join("content/posts/x.md")).unwrap();
    let built = site.build().ok();
    assert!(built.page("posts/crlf/").contains("Zeile eins"));
}

#[test]
fn raw_control_characters_are_shown_where_they_are() {
    let site = TestSite::new()
        .post(
            "x.md",
            "---\ntitle: Hallo\ndate: 2024-01-01\n---\nEin\u{0}Text mit\u{1b}[31m Farbe\n",
        )
        .file("templates/page.html", "<p>{{ page.title }}\u{7f}</p>\n")
        .file(
            "echt.yaml",
            &crate::support::CONFIG.replace("Testblog", "Test\u{85}blog"),
        );
    let err = site.build().fails();
    assert!(
        err.contains("error: the file contains the control character U+0085 (next line)\n  --> echt.yaml:1:12\n   |\n 1 | title: Test\u{FFFD}blog\n   |            ^\n  = hint: remove it:"),
        "{err}"
    );
    // echt.yaml is read first: fix it to see the others.
    std::fs::write(site.root().join("echt.yaml"), crate::support::CONFIG).unwrap();
    let err = site.build().fails();
    assert!(
        err.contains("error: the file contains the control character U+0000 (NUL)\n  --> content/posts/x.md:5:4\n   |\n 5 | Ein\u{2400}Text mit\u{241b}[31m Farbe\n   |    ^\n"),
        "{err}"
    );
    assert_error_at(
        &err,
        "the file contains the control character U+001B (escape)",
        "content/posts/x.md:5:13",
    );
    assert_error_at(
        &err,
        "the file contains the control character U+007F (DEL)",
        "templates/page.html:1:20",
    );
}

#[test]
fn control_characters_from_yaml_escapes_are_shown_where_written() {
    let site = TestSite::new().post(
        "x.md",
        "---\ntitle: \"a\\u0000b\"\ndate: 2024-01-01\ntags: [gut, \"\\e[31m\"]\nfarben:\n  - \"rot\\x7f\"\n---\nText\n",
    );
    let err = site.build().fails();
    assert!(
        err.contains("error: `title` contains the control character U+0000 (NUL)\n  --> content/posts/x.md:2:8\n   |\n 2 | title: \"a\\u0000b\"\n   |        ^^^^^^^^^^\n  = hint: remove the escape that writes it"),
        "{err}"
    );
    assert_error_at(
        &err,
        "`tags[1]` contains the control character U+001B (escape)",
        "content/posts/x.md:4:13",
    );
    assert_error_at(
        &err,
        "`farben[0]` contains the control character U+007F (DEL)",
        "content/posts/x.md:6:5",
    );
    assert!(err.contains("error: 3 errors;"), "{err}");
}

#[test]
fn numbers_in_text_fields_stay_as_written() {
    let site = TestSite::new().post(
        "x.md",
        "---\ntitle: 3.10\ndate: 2024-01-01\nslug: 010\ndescription: 1e3\ntags: [2024, 3.10]\n---\nText\n",
    );
    let built = site.build().ok();
    let page = built.page("posts/010/");
    assert!(page.contains("<title>3.10"), "{page}");
    assert!(page.contains("content=\"1e3\""), "{page}");
    assert!(built.exists("tags/2024/index.html"));
    assert!(built.page("tags/3-10/").contains(">3.10<"));

    // A number too long for YAML is an error with the hint to quote it.
    let site = TestSite::new().post(
        "x.md",
        "---\ntitle: Lang\ndate: 2024-01-01\nslug: 12345678901234567890123\n---\nText\n",
    );
    let err = site.build().fails();
    assert!(err.contains("  --> content/posts/x.md:4:7\n"), "{err}");
    assert!(
        err.contains("= hint: YAML reads this as a number too long to hold; put it in quotes"),
        "{err}"
    );
}

#[test]
fn tags_without_a_url_or_sharing_one_are_errors_where_written() {
    let site = TestSite::new()
        .post(
            "x.md",
            "---\ntitle: X\ndate: 2024-01-01\ntags: [Party, \"🎉\"]\n---\nText\n",
        )
        .post(
            "c.md",
            "---\ntitle: C\ndate: 2024-01-02\ntags: [C]\n---\nText\n",
        )
        .post(
            "cpp.md",
            "---\ntitle: C++\ndate: 2024-01-03\ntags:\n  - Sprachen\n  - C++\n---\nText\n",
        )
        .post(
            "cpp2.md",
            "---\ntitle: Mehr C++\ndate: 2024-01-04\ntags: C++, vertrauen\n---\nText\n",
        )
        .post(
            "v.md",
            "---\ntitle: V\ndate: 2024-01-05\ntags: [Vertrauen]\n---\nText\n",
        )
        .post(
            "v2.md",
            "---\ntitle: V2\ndate: 2024-01-06\ntags: [Vertrauen]\n---\nText\n",
        );
    let err = site.build().fails();
    assert!(
        err.contains("error: the tag `🎉` has no letters or digits for the URL of its page\n  --> content/posts/x.md:4:16\n   |\n 4 | tags: [Party, \"🎉\"]\n   |                ^\n  = hint: give the tag a letter or a digit, e.g. `Feier 🎉`\n"),
        "{err}"
    );
    // `C++` is written in two posts, `C` in one: `C` is the odd one out.
    assert!(
        err.contains("error: the tags `C` and `C++` would share the page /tags/c/\n  --> content/posts/c.md:4:8\n   |\n 4 | tags: [C]\n   |        ^\n  = hint: write `C++` the same way in every post, or make the names differ in letters or digits (a tag's URL ignores case, accents and punctuation)\n  = note: `C++` is written at content/posts/cpp2.md:4:7\n"),
        "{err}"
    );
    // Differing in case only is sharing a page too.
    assert!(
        err.contains("error: the tags `vertrauen` and `Vertrauen` would share the page /tags/vertrauen/\n  --> content/posts/cpp2.md:4:12\n"),
        "{err}"
    );
    assert!(
        err.contains("  = note: `Vertrauen` is written at content/posts/v2.md:4:8\n"),
        "{err}"
    );
    assert!(err.contains("error: 3 errors;"), "{err}");
}

#[cfg(unix)]
#[test]
fn file_names_that_are_not_utf8_are_named_as_such() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let site = TestSite::new().post("gut.md", &post("Gut", "2024-01-01", "Text"));
    let posts = site.root().join("content/posts");
    std::fs::write(
        posts.join(OsStr::from_bytes(b"gr\xFCn.md")),
        post("Grün", "2024-01-01", "Text"),
    )
    .unwrap();
    let static_dir = site.root().join("static");
    std::fs::create_dir_all(&static_dir).unwrap();
    std::fs::write(static_dir.join(OsStr::from_bytes(b"b\xFCro.png")), "png").unwrap();
    let err = site.build().fails();
    assert!(
        err.contains("error: the file name is not valid UTF-8\n  --> content/posts/gr\u{FFFD}n.md\n  = hint: rename the file (it was probably named on a system that did not use UTF-8); echt makes URLs from names, and URLs need UTF-8\n"),
        "{err}"
    );
    assert!(!err.contains("no such file"), "{err}");
    // Problems walking content/ end the loading before static/ is walked.
    std::fs::remove_file(posts.join(OsStr::from_bytes(b"gr\xFCn.md"))).unwrap();
    let err = site.build().fails();
    assert_error_at(
        &err,
        "the file name is not valid UTF-8",
        "static/b\u{FFFD}ro.png",
    );
    assert!(err.contains("error: 1 error;"), "{err}");
}

#[test]
fn links_find_posts_in_any_unicode_form_and_with_escapes() {
    let site = TestSite::new()
        // As macOS names it: decomposed.
        .post("U\u{308}ber.md", &post("Über", "2024-01-01", "Text"))
        // Composed.
        .post("Grüße.md", &post("Grüße", "2024-01-01", "## Teil"))
        .post(
            "mein beitrag.md",
            &post("Mein Beitrag", "2024-01-01", "## Anfang"),
        )
        .post(
            "verweise.md",
            &post(
                "Verweise",
                "2024-01-02",
                "[a](Über.md) [b](Gru\u{308}ße.md#teil) [c](mein%20beitrag.md#anfang) [d](<mein beitrag.md>)",
            ),
        );
    let built = site.build().ok();
    let page = built.page("posts/verweise/");
    for href in [
        "href=\"../../posts/ueber/\"",
        "href=\"../../posts/gruesse/#teil\"",
        "href=\"../../posts/mein-beitrag/#anfang\"",
        "href=\"../../posts/mein-beitrag/\"",
    ] {
        assert!(page.contains(href), "{href} in {page}");
    }
}

#[test]
fn errors_on_long_lines_show_a_window_of_them() {
    let body = format!(
        "{}[dort](fehlt.md) und weiter{}",
        "Wort ".repeat(1_000_000),
        " so".repeat(1000)
    );
    let site = TestSite::new().post("x.md", &post("Lang", "2024-01-01", &body));
    let err = site.build().fails();
    assert!(err.len() < 2000, "{} bytes of errors", err.len());
    assert!(
        err.starts_with(&format!(
            "error: link to `fehlt.md`, which is not a post or page of this site\n  --> content/posts/x.md:5:5000001\n   |\n 5 | …{}[dort](fehlt.md) und weiter{}…\n   | {}^^^^^^^^^^^^^^^^\n",
            "Wort ".repeat(8),
            " so".repeat(11),
            " ".repeat(41)
        )),
        "{err}"
    );
}

#[test]
fn echt_yaml_gets_the_same_careful_reading_as_front_matter() {
    let nested = format!(
        "title: T\nbase_url: https://example.org/\nextra:\n  x: {}\n",
        "[".repeat(100_000)
    );
    let site = TestSite::empty().file("echt.yaml", &nested);
    let err = site.build().fails();
    assert!(err.contains("  --> echt.yaml:4:"), "{err}");
    let escaped = "title: \"T\\u0000\"\nbase_url: https://example.org/\n";
    let err = TestSite::empty().file("echt.yaml", escaped).build().fails();
    assert!(err.contains("  --> echt.yaml:1:"), "{err}");
    assert!(err.contains("U+0000"), "{err}");
}
