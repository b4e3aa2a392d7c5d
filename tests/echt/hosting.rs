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
