//! One owner per output path: whatever two sources would write to one
//! place, or a file where a folder must go, or a name no file system
//! takes, is an error naming both, found before anything is written, so a
//! previous build stays exactly as it was.

use crate::support::{post, snapshot, TestSite, PNG};

/// A site with a good build in public/, and what public/ holds.
fn built_site() -> (TestSite, std::collections::BTreeMap<String, Vec<u8>>) {
    let site = TestSite::new().post("gut.md", &post("Gut", "2024-01-01", "Alles gut."));
    site.build().ok();
    let before = snapshot(&site.root().join("public"));
    (site, before)
}

#[track_caller]
fn fails_untouched(
    site: &TestSite,
    before: &std::collections::BTreeMap<String, Vec<u8>>,
) -> String {
    let err = site.build().fails();
    assert!(err.contains(" was left unchanged\n"), "{err}");
    assert!(
        snapshot(&site.root().join("public")) == *before,
        "public/ changed"
    );
    err
}

#[test]
fn an_alias_cannot_replace_the_privacy_page() {
    let (site, before) = built_site();
    let site = site.post(
        "a.md",
        "---\ntitle: A\ndate: 2024-01-02\naliases: [\"/datenschutz/\"]\n---\nText.\n",
    );
    let err = fails_untouched(&site, &before);
    assert!(
        err.contains("error: the privacy page and the alias `/datenschutz/` of content/posts/a.md would both be written to /datenschutz/\n  --> content/posts/a.md\n"),
        "{err}"
    );
}

#[test]
fn an_alias_where_the_stylesheet_is_fails_before_writing() {
    let (site, before) = built_site();
    let site = site.post(
        "a.md",
        "---\ntitle: A\ndate: 2024-01-02\naliases: [\"/style.css\"]\n---\nText.\n",
    );
    let err = fails_untouched(&site, &before);
    assert!(
        err.contains("error: the default theme's style.css is written to /style.css, but the alias `/style.css` of content/posts/a.md needs a folder of that name for /style.css/index.html\n  --> content/posts/a.md\n"),
        "{err}"
    );
}

#[test]
fn a_slug_too_long_for_a_file_name_fails_before_writing() {
    let (site, before) = built_site();
    let slug = "lang".repeat(75);
    let site = site.post(
        "lang.md",
        &format!("---\ntitle: Lang\ndate: 2024-01-02\nslug: {slug}\n---\nText.\n"),
    );
    let err = fails_untouched(&site, &before);
    assert!(
        err.contains("error: content/posts/lang.md would be written to a name of 300 bytes, more than file systems allow (255)\n  --> content/posts/lang.md\n"),
        "{err}"
    );
}

#[test]
fn a_static_file_and_a_content_file_for_one_path_clash() {
    let (site, before) = built_site();
    let site = site
        .bytes("static/bild.png", PNG)
        .bytes("content/bild.png", PNG);
    let err = fails_untouched(&site, &before);
    assert!(
        err.contains("error: static/bild.png and content/bild.png would both be written to /bild.png\n  --> content/bild.png\n"),
        "{err}"
    );
}

#[test]
fn a_sites_own_stylesheet_replaces_the_themes() {
    let site = TestSite::new()
        .post("gut.md", &post("Gut", "2024-01-01", "Alles gut."))
        .file("static/style.css", "body { color: black; }\n");
    let built = site.build().ok();
    assert_eq!(built.page("style.css"), "body { color: black; }\n");
}
