//! One owner for every output path.
//!
//! Pages, the privacy page, feeds, the sitemap, host files, redirect pages
//! for aliases, static files, theme files and files from post bundles all
//! end up in one folder. Each path is claimed here before anything is
//! rendered, so that two things meant for one path, a file where another
//! needs a folder, or a name no file system accepts are errors naming
//! both sources, found before the first byte is written, instead of one
//! silently replacing the other or a build failing half way. The one
//! exception is deliberate: a site's own file replaces the theme's file
//! of the same name, as its templates replace the theme's templates.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::util::error::Diagnostic;

/// The longest name of one file or folder most file systems accept, in
/// bytes.
pub const MAX_NAME: usize = 255;

/// Who writes an output file.
#[derive(Debug, Clone)]
pub struct Owner {
    /// For messages: `content/posts/a.md`, `the tag page of `Arbeit``.
    pub what: String,
    /// The file to point at in messages, if the output comes from one.
    pub source: Option<PathBuf>,
    /// A theme's file, which the site's own may replace.
    pub replaceable: bool,
}

impl Owner {
    /// An output made from the file `source`.
    pub fn file(source: impl Into<PathBuf>) -> Self {
        let source = source.into();
        Owner {
            what: source.display().to_string(),
            source: Some(source),
            replaceable: false,
        }
    }

    /// An output echt makes by itself.
    pub fn generated(what: impl Into<String>) -> Self {
        Owner {
            what: what.into(),
            source: None,
            replaceable: false,
        }
    }

    /// A theme's file, which the site's own replaces.
    pub fn replaceable(mut self) -> Self {
        self.replaceable = true;
        self
    }
}

/// Every output path (below the output folder) and who writes it.
#[derive(Debug, Default)]
pub struct Registry {
    owners: BTreeMap<String, Owner>,
    /// Clashes found so far.
    pub problems: Vec<Diagnostic>,
}

impl Registry {
    /// Claims `path` for `owner`; false (and a problem) if it is taken.
    pub fn claim(&mut self, path: &str, owner: Owner) -> bool {
        match self.owners.get(path) {
            None => {}
            Some(existing) if existing.replaceable && !owner.replaceable => {}
            Some(existing) => {
                let shown = format!("/{}", path.strip_suffix("index.html").unwrap_or(path));
                let at = owner
                    .source
                    .clone()
                    .or_else(|| existing.source.clone())
                    .unwrap_or_else(|| PathBuf::from(path));
                self.problems.push(
                    Diagnostic::file(
                        at,
                        format!(
                            "{} and {} would both be written to {shown}",
                            existing.what, owner.what
                        ),
                    )
                    .hint("rename one of them (a post or page can keep its file name and set `slug:`)"),
                );
                return false;
            }
        }
        self.owners.insert(path.to_string(), owner);
        true
    }

    pub fn contains(&self, path: &str) -> bool {
        self.owners.contains_key(path)
    }

    /// Who claimed `path` first (or replaced a theme's file there).
    pub fn owner(&self, path: &str) -> Option<&Owner> {
        self.owners.get(path)
    }

    /// Every path, in order.
    pub fn paths(&self) -> impl Iterator<Item = &String> {
        self.owners.keys()
    }

    /// After every claim: a file where another output needs a folder, and
    /// names longer than file systems allow. Returns the paths that cannot
    /// be written.
    pub fn check(&mut self) -> Vec<String> {
        let mut refused = Vec::new();
        for (path, owner) in &self.owners {
            let at = || owner.source.clone().unwrap_or_else(|| PathBuf::from(path));
            if let Some(long) = path.split('/').find(|part| part.len() > MAX_NAME) {
                self.problems.push(
                    Diagnostic::file(
                        at(),
                        format!(
                            "{} would be written to a name of {} bytes, more than file systems allow ({MAX_NAME})",
                            owner.what,
                            long.len()
                        ),
                    )
                    .hint("give it a shorter name (a post or page can set a shorter `slug:`)"),
                );
                refused.push(path.clone());
                continue;
            }
            let folder = format!("{path}/");
            if let Some((inside, other)) = self
                .owners
                .range(folder.clone()..)
                .next()
                .filter(|(p, _)| p.starts_with(&folder))
            {
                self.problems.push(
                    Diagnostic::file(
                        other.source.clone().or_else(|| owner.source.clone()).unwrap_or_else(|| PathBuf::from(inside)),
                        format!(
                            "{} is written to /{path}, but {} needs a folder of that name for /{inside}",
                            owner.what, other.what
                        ),
                    )
                    .hint("rename one of them"),
                );
                refused.push(path.clone());
            }
        }
        refused
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clashes_name_both_sources() {
        let mut registry = Registry::default();
        assert!(registry.claim(
            "datenschutz/index.html",
            Owner::generated("the privacy page")
        ));
        assert!(!registry.claim("datenschutz/index.html", Owner::file("content/posts/a.md")));
        let message = registry.problems[0].to_string();
        assert!(
            message.contains(
                "the privacy page and content/posts/a.md would both be written to /datenschutz/"
            ),
            "{message}"
        );
        assert!(message.contains("content/posts/a.md"), "{message}");
    }

    #[test]
    fn a_site_file_replaces_the_themes() {
        let mut registry = Registry::default();
        assert!(registry.claim(
            "style.css",
            Owner::generated("the theme's style.css").replaceable()
        ));
        assert!(registry.claim("style.css", Owner::file("static/style.css")));
        assert!(registry.problems.is_empty());
        assert!(!registry.claim("style.css", Owner::file("content/style.css")));
    }

    #[test]
    fn files_in_the_way_of_folders_and_long_names() {
        let mut registry = Registry::default();
        registry.claim("style.css", Owner::file("static/style.css"));
        registry.claim("style.css/index.html", Owner::file("content/posts/a.md"));
        let long = format!("posts/{}/index.html", "x".repeat(300));
        registry.claim(&long, Owner::file("content/posts/b.md"));
        let refused = registry.check();
        assert_eq!(refused, [long.clone(), "style.css".to_string()]);
        let messages: Vec<String> = registry.problems.iter().map(ToString::to_string).collect();
        assert!(messages[0].contains("a name of 300 bytes"), "{messages:?}");
        assert!(
            messages[1].contains(
                "static/style.css is written to /style.css, but content/posts/a.md needs a folder"
            ),
            "{messages:?}"
        );
    }
}
