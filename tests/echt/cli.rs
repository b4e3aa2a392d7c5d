//! The command line: help, `echt new`, `echt post`, exit codes.

use crate::support::{echt, TestSite};

#[test]
fn every_command_has_help() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["--help"][..],
        &["build", "--help"],
        &["new", "--help"],
        &["post", "--help"],
    ] {
        let out = echt(args, dir.path());
        assert!(out.status.success(), "{args:?}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("Usage: echt"), "{args:?}: {text}");
    }
    let out = echt(&["build", "--help"], dir.path());
    let text = String::from_utf8_lossy(&out.stdout);
    for flag in ["--root", "--output", "--drafts", "--future", "--base-url"] {
        assert!(text.contains(flag), "{flag} in {text}");
    }
    assert!(!echt(&["bauen"], dir.path()).status.success());
}

#[test]
fn new_creates_a_site_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let out = echt(&["new", "mein-blog"], dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let site = dir.path().join("mein-blog");
    for file in [
        "echt.yaml",
        "content/posts/hallo-welt.md",
        "themes/default/templates/base.html",
        "themes/default/static/style.css",
    ] {
        assert!(site.join(file).exists(), "{file}");
    }
    let out = echt(&["build"], &site);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let home = std::fs::read_to_string(site.join("public/index.html")).unwrap();
    assert!(home.contains("Hallo, Welt"), "{home}");
    // Refuses to overwrite a site.
    let again = echt(&["new", "mein-blog"], dir.path());
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("the folder is not empty"));
}

#[test]
fn the_built_in_theme_works_without_a_themes_folder() {
    let site = TestSite::new().post("a.md", "---\ntitle: Allein\ndate: 2024-01-01\n---\nText\n");
    assert!(!site.root().join("themes").exists());
    let built = site.build().ok();
    assert!(built.page("posts/a/").contains("Allein"));
    assert!(built.exists("style.css"));
}

#[test]
fn post_creates_a_dated_file_from_the_title() {
    let site = TestSite::new();
    let out = echt(
        &[
            "post",
            "Über Größe & Mut",
            "--root",
            &site.root().to_string_lossy(),
        ],
        site.root(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let path = site.root().join("content/posts/ueber-groesse-und-mut.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let today = chrono::Local::now().date_naive().to_string();
    assert!(
        text.starts_with(&format!(
            "---\ntitle: \"Über Größe & Mut\"\ndate: {today}\n"
        )),
        "{text}"
    );
    // The new post builds.
    site.build().ok();

    std::fs::write(&path, "mein Text").unwrap();
    let again = echt(&["post", "Über Größe & Mut"], site.root());
    assert!(!again.status.success());
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(
        err.starts_with(
            "error: the post already exists\n  --> content/posts/ueber-groesse-und-mut.md\n"
        ),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "mein Text",
        "never overwritten"
    );
}
