//! Small sites for the unit tests of rendering, loaded from a temporary
//! folder by the stages before this one.

use std::path::Path;

use chrono::DateTime;

use crate::render::theme::Theme;
use crate::site::{Cache, Selection, Site};
use crate::source::config::Config;

/// A site and its theme, with the folder they were loaded from.
#[derive(Debug)]
pub struct Fixture {
    /// Kept for as long as the site is used.
    pub _dir: tempfile::TempDir,
    pub site: Site,
    pub theme: Theme,
}

/// Loads the site made of `files` (path below the site root, text); its
/// drafts and future posts included. Panics if any file has a problem.
pub fn load(files: &[(&str, &str)]) -> Fixture {
    let dir = tempfile::tempdir().expect("a temporary folder");
    write(dir.path(), files);
    let (site, theme) = load_from(dir.path());
    Fixture {
        _dir: dir,
        site,
        theme,
    }
}

/// Writes `files` (path below `root`, text).
pub fn write(root: &Path, files: &[(&str, &str)]) {
    for (rel, text) in files {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("mkdir");
        std::fs::write(&path, text).expect("write");
    }
}

/// Loads the site in `root` (see [`load`]).
pub fn load_from(root: &Path) -> (Site, Theme) {
    let config = Config::load(root).expect("a valid echt.yaml");
    let theme = Theme::load(&config).expect("the theme");
    let selection = Selection {
        drafts: true,
        future: true,
        now: DateTime::parse_from_rfc3339("2025-01-01T00:00:00+00:00").expect("a date"),
    };
    let (site, problems) =
        Site::load(config, &selection, &mut Cache::default()).expect("the site loads");
    assert!(problems.is_empty(), "{problems:?}");
    (site, theme)
}

/// echt.yaml of a German site with `extra` lines appended.
pub fn config(extra: &str) -> String {
    format!(
        "title: \"Testblog\"\ndescription: \"Über <Dinge> & mehr\"\nbase_url: \"https://example.org/blog/\"\nlanguage: de\nauthor:\n  name: \"Erika\"\n  email: \"erika@example.org\"\n  url: \"https://example.org/erika/\"\nposts_per_page: 2\n{extra}"
    )
}

/// A post with front matter `front` (lines) and `body`.
pub fn post(front: &str, body: &str) -> String {
    format!("---\n{front}\n---\n{body}\n")
}
