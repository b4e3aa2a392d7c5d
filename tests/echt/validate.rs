//! The built sample site, and a site with highlighted code, are valid
//! HTML by the Nu HTML Checker.
//!
//! Needs java and the vnu-jar npm package; `.ci/run` installs both and
//! sets VNU_JAR to the jar's path.

use std::path::Path;

use crate::sample::build_sample;

/// Asserts that vnu finds no error in `target` (a folder or a file).
#[track_caller]
pub fn assert_valid(target: &Path) {
    let errors = vnu_errors(target);
    assert!(
        errors.is_empty(),
        "vnu reported errors in {}:\n{}",
        target.display(),
        errors.join("\n")
    );
}

/// Runs vnu over `target` and returns its error messages as "file: message".
pub fn vnu_errors(target: &Path) -> Vec<String> {
    let jar =
        std::env::var("VNU_JAR").expect("VNU_JAR must point to vnu.jar (npm install vnu-jar)");
    assert!(Path::new(&jar).exists(), "VNU_JAR={jar} does not exist");
    let result = std::process::Command::new("java")
        .args([
            "-jar",
            &jar,
            "--errors-only",
            "--skip-non-html",
            "--format",
            "json",
        ])
        .arg(target)
        .output()
        .expect("run java");
    let report: serde_json::Value = serde_json::from_slice(&result.stderr).unwrap_or_else(|e| {
        panic!(
            "vnu output is not JSON ({e}): {}",
            String::from_utf8_lossy(&result.stderr)
        )
    });
    report["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .filter(|m| m["type"] == "error" || m["subType"] == "fatal")
        .map(|m| format!("{}:{}: {}", m["url"], m["lastLine"], m["message"]))
        .collect()
}

#[test]
#[ignore = "needs java + vnu-jar (set VNU_JAR)"]
fn sample_site_has_zero_html_errors() {
    let out = build_sample();
    assert_valid(&out.path().join("public"));
}

#[test]
#[ignore = "needs java + vnu-jar (set VNU_JAR)"]
fn pages_with_highlighted_code_have_zero_html_errors() {
    let site = crate::support::TestSite::fixture("code");
    let built = site.build().ok();
    assert!(built.page("posts/sicherung/").contains("hl-line"));
    assert_valid(&built.public);
}

#[test]
#[ignore = "needs java + vnu-jar (set VNU_JAR)"]
fn the_checker_does_find_errors() {
    // A control: the check above must be able to fail.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.html"),
        "<!doctype html><html><head></head><body><p><div></p></body></html>",
    )
    .unwrap();
    assert!(!vnu_errors(dir.path()).is_empty());
}
