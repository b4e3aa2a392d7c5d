//! The built sample site is valid HTML by the Nu HTML Checker.
//!
//! Needs java and the vnu-jar npm package; `.ci/run` installs both and
//! sets VNU_JAR to the jar's path.

use crate::sample::build_sample;

#[test]
#[ignore = "needs java + vnu-jar (set VNU_JAR)"]
fn sample_site_has_zero_html_errors() {
    let jar =
        std::env::var("VNU_JAR").expect("VNU_JAR must point to vnu.jar (npm install vnu-jar)");
    assert!(
        std::path::Path::new(&jar).exists(),
        "VNU_JAR={jar} does not exist"
    );
    let out = build_sample();
    let result = std::process::Command::new("java")
        .args([
            "-jar",
            &jar,
            "--errors-only",
            "--skip-non-html",
            "--format",
            "text",
        ])
        .arg(out.path().join("public"))
        .output()
        .expect("run java");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&result.stdout),
        String::from_utf8_lossy(&result.stderr)
    );
    assert!(
        result.status.success() && report.trim().is_empty(),
        "vnu reported errors:\n{report}"
    );
}
