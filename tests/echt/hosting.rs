//! What a build hands to the host that serves it: the output folder (never
//! a file that happens to be in the way).

use crate::support::{post, TestSite};

#[test]
fn an_existing_file_is_refused_as_the_output_folder() {
    let site = TestSite::new()
        .post("a.md", &post("A", "2024-01-01", "Text."))
        .file("notizen.txt", "bleibt, wie es ist\n");
    let file = site.root().join("notizen.txt");
    let err = site
        .build_with(&["--output", &file.to_string_lossy()])
        .fails();
    assert!(
        err.contains("the output folder is a file, not a folder"),
        "{err}"
    );
    assert!(err.contains("notizen.txt"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "bleibt, wie es ist\n"
    );
    // Nor below a file: nothing is created on the way.
    let below = file.join("public");
    let err = site
        .build_with(&["--output", &below.to_string_lossy()])
        .fails();
    assert!(err.contains("which is a file"), "{err}");
    assert!(file.is_file());
    site.assert_no_leftovers();
}

#[test]
fn without_tag_feeds_tag_pages_link_no_feeds() {
    let site = TestSite::new()
        .file(
            "echt.yaml",
            &format!("{}feed:\n  tags: false\n", crate::support::CONFIG),
        )
        .post(
            "a.md",
            "---\ntitle: A\ndate: 2024-01-01\ntags: [Vertrauen]\n---\nText.\n",
        );
    let built = site.build().ok();
    assert!(!built.exists("tags/vertrauen/atom.xml"));
    assert!(!built.exists("tags/vertrauen/rss.xml"));
    let tag = built.page("tags/vertrauen/");
    assert!(!tag.contains("vertrauen/atom.xml"), "{tag}");
    assert!(!tag.contains("vertrauen/rss.xml"), "{tag}");
    // The site's own feeds are still linked.
    assert!(tag.contains("href=\"../../atom.xml\""), "{tag}");

    // With tag feeds (the default) the tag page links both.
    let site = site.file("echt.yaml", crate::support::CONFIG);
    let built = site.build().ok();
    let tag = built.page("tags/vertrauen/");
    assert!(built.exists("tags/vertrauen/atom.xml"));
    assert_eq!(tag.matches("vertrauen/atom.xml\"").count(), 2, "{tag}");
    assert_eq!(tag.matches("vertrauen/rss.xml\"").count(), 2, "{tag}");
}
