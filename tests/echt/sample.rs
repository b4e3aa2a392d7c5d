//! The sample blog in the repository builds and has what we promise.

use std::path::Path;

use crate::support::echt;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Builds the repository's own site into a temporary folder.
pub fn build_sample() -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("public");
    let result = echt(
        &[
            "build",
            "--root",
            &repo().to_string_lossy(),
            "--output",
            &target.to_string_lossy(),
        ],
        repo(),
    );
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    out
}

#[test]
fn sample_blog_builds_with_its_promised_content() {
    let out = build_sample();
    let public = out.path().join("public");
    let posts: Vec<_> = std::fs::read_dir(public.join("posts"))
        .unwrap()
        .filter_map(Result::ok)
        .collect();
    assert!(
        posts.len() >= 8,
        "at least eight posts, found {}",
        posts.len()
    );
    let about = std::fs::read_to_string(public.join("ueber-mich/index.html")).unwrap();
    assert!(about.contains("Über mich"));
    assert!(public.join("impressum/index.html").exists());
    // A bundle with its image and credit.
    let bundle =
        std::fs::read_to_string(public.join("posts/der-umweg-zum-schreibtisch/index.html"))
            .unwrap();
    assert!(bundle.contains("<figcaption>"), "image credit");
    assert!(public
        .join("posts/der-umweg-zum-schreibtisch/titelbild.png")
        .exists());
    // A photo post: both pictures in versions, the credit, a caption.
    let photo_post = public.join("posts/der-see-den-es-nicht-gibt");
    let photo = std::fs::read_to_string(photo_post.join("index.html")).unwrap();
    assert_eq!(photo.matches("<picture>").count(), 2, "{photo}");
    assert!(photo.contains("<figcaption>Bild: Lena Vogt"), "credit");
    assert!(
        photo.contains("<figcaption>Das Ufer vom Steg aus"),
        "caption"
    );
    for stem in ["see-", "ufer-"] {
        let webp = std::fs::read_dir(&photo_post)
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|name| name.starts_with(stem) && name.ends_with("w.webp"))
            .count();
        assert!(webp >= 2, "{stem}: {webp} WebP versions");
    }
    // A footnote and a table.
    let costs =
        std::fs::read_to_string(public.join("posts/was-mich-dieser-blog-kostet/index.html"))
            .unwrap();
    assert!(costs.contains("<table>") && costs.contains("class=\"footnotes\""));
    // Nothing from another host, no scripts but echt's search script on
    // the search page.
    for entry in walkdir::WalkDir::new(&public)
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.path().extension().is_some_and(|e| e == "html") {
            let html = std::fs::read_to_string(entry.path()).unwrap();
            let scripts = if entry.path().ends_with("suche/index.html") {
                vec!["<script src=\"../search-index/search.js\" defer>"]
            } else {
                Vec::new()
            };
            let found: Vec<&str> = html
                .match_indices("<script")
                .map(|(i, _)| &html[i..i + html[i..].find('>').unwrap() + 1])
                .collect();
            assert_eq!(found, scripts, "{}", entry.path().display());
            assert!(
                !html.contains("src=\"http") && !html.contains("src=\"//"),
                "{}",
                entry.path().display()
            );
        }
    }
}
