//! The pipeline's direction, read from the source: each stage folder of
//! `src/` uses only the stages before it (ARCHITECTURE.md lists them).

use std::path::{Path, PathBuf};

/// The stages, first to last; a module may name `crate::x` only for an
/// `x` at or before its own stage.
const STAGES: [&str; 10] = [
    "util", "source", "image", "markdown", "site", "output", "audit", "render", "import", "cmd",
];

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// Every `crate::<stage>` a file names, with its line.
fn uses(text: &str) -> Vec<(usize, &str)> {
    let mut found = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            let name: &str = rest
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .next()
                .unwrap_or("");
            found.push((n + 1, name));
        }
    }
    found
}

#[test]
fn every_stage_uses_only_the_stages_before_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut wrong = Vec::new();
    for file in &files {
        let rel = file.strip_prefix(&src).unwrap();
        let Some(stage) = rel.iter().next().and_then(|s| s.to_str()) else {
            continue;
        };
        // lib.rs and main.rs sit above every stage.
        let Some(mine) = STAGES.iter().position(|s| *s == stage) else {
            assert!(
                ["lib.rs", "main.rs"].contains(&stage),
                "{} is in no stage folder; add its folder to STAGES in the order of the pipeline",
                rel.display()
            );
            continue;
        };
        let text = std::fs::read_to_string(file).unwrap();
        for (line, used) in uses(&text) {
            if let Some(theirs) = STAGES.iter().position(|s| *s == used) {
                if theirs > mine {
                    wrong.push(format!("src/{}:{line}: {stage} uses {used}", rel.display()));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the pipeline:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_checker_sees_a_use_against_the_pipeline() {
    let text = "use crate::util::url;\nfn f() { crate::render::page(); }\n";
    assert_eq!(uses(text), [(1, "util"), (2, "render")]);
}
