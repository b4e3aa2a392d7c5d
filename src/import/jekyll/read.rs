//! The old site's files sorted the way Jekyll sorts them: posts, drafts,
//! pages, collection documents, includes, data, the theme's machinery and
//! the files it copies as they are. Nothing here writes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_yaml::{Mapping, Value};
use walkdir::WalkDir;

use crate::import::jekyll::config::{self, JekyllConfig, Person, CONFIG_FILE};
use crate::import::jekyll::content::Markup;
use crate::import::jekyll::url::{post_name, PostName};
use crate::source::{frontmatter, yaml};
use crate::util::error::{Diagnostic, Error, Result};
use crate::util::text::slash_path;

/// What a document is to Jekyll.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocKind {
    Post,
    Draft,
    Page,
    /// A document of an output collection, with its label.
    Collection(String),
}

/// A file with front matter that Jekyll renders.
#[derive(Debug, Clone)]
pub struct OldDoc {
    /// Relative to the old site's root, with `/`.
    pub rel: String,
    pub kind: DocKind,
    pub front: Mapping,
    /// The front matter's text, for finding how a value was written.
    pub yaml: String,
    pub body: String,
    /// Lines before the body (the front matter with its fences).
    pub body_shift: usize,
    pub markup: Markup,
    /// Posts and drafts: what the file name says.
    pub name: Option<PostName>,
    /// Keys that came from `defaults:` in `_config.yml`.
    pub defaulted: Vec<String>,
}

impl OldDoc {
    /// The file name without its extension.
    pub fn stem(&self) -> &str {
        let file = self.rel.rsplit('/').next().unwrap_or(&self.rel);
        file.rsplit_once('.').map_or(file, |(stem, _)| stem)
    }

    /// The extension, lower case, without dot.
    pub fn ext(&self) -> String {
        extension(&self.rel)
    }
}

/// Why a file of the old site is not carried over.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Left {
    /// Jekyll's own machinery or build output (`_site`, Gemfile, caches).
    Machinery,
    /// The old theme: layouts, includes, Sass, scripts, fonts.
    Theme,
    /// Something Jekyll would not publish either.
    Unpublished(String),
}

/// Everything the import read from the old site.
#[derive(Debug, Default)]
pub struct OldSite {
    pub root: PathBuf,
    pub config: JekyllConfig,
    pub config_text: String,
    pub docs: Vec<OldDoc>,
    /// Files copied as they are, relative to the root.
    pub statics: Vec<String>,
    /// Theme files, copied only when something links to them.
    pub theme_files: Vec<String>,
    pub includes: BTreeMap<String, String>,
    /// `_data/authors.yml`.
    pub data_authors: BTreeMap<String, Person>,
    /// Files that could not be read, with the problem.
    pub broken: Vec<(String, Diagnostic)>,
    pub left: Vec<(String, Left)>,
}

/// Top-level folders and files that are Jekyll's, not the site's.
const MACHINERY: &[&str] = &[
    "_site",
    ".jekyll-cache",
    ".jekyll-metadata",
    ".sass-cache",
    ".bundle",
    ".git",
    ".github",
    "node_modules",
    "vendor",
    "gemfiles",
    "Gemfile",
    "Gemfile.lock",
    "_plugins",
];

/// Folders whose files are the old theme's (copied only when linked).
const THEME_FOLDERS: &[&str] = &[
    "_layouts",
    "_includes",
    "_sass",
    "assets/css",
    "assets/js",
    "assets/fonts",
    "css",
    "js",
    "fonts",
];

/// Reads the old site at `root`.
pub fn read(root: &Path) -> Result<OldSite> {
    let config_path = root.join(CONFIG_FILE);
    let config_text = match std::fs::read(&config_path) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) => {
            return Err(Error::from(
                Diagnostic::file(&config_path, crate::util::error::io_message(&e))
                    .hint("SRC must be a Jekyll site: the folder that holds _config.yml"),
            ))
        }
    };
    let (config, problem) = JekyllConfig::parse(&config_text);
    let mut site = OldSite {
        root: root.to_path_buf(),
        config,
        config_text,
        ..OldSite::default()
    };
    if let Some(problem) = problem {
        site.broken.push((CONFIG_FILE.to_string(), problem));
    }
    let mut files = Vec::new();
    for entry in WalkDir::new(root).sort_by_file_name().follow_links(false) {
        let entry = entry.map_err(|e| {
            let path = e.path().map(Path::to_path_buf).unwrap_or_default();
            Error::from(Diagnostic::file(path, e.to_string()))
        })?;
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
            files.push(slash_path(rel));
        }
    }
    for rel in files {
        site.classify(rel)?;
    }
    site.apply_defaults();
    Ok(site)
}

impl OldSite {
    fn classify(&mut self, rel: String) -> Result<()> {
        let first = rel.split('/').next().unwrap_or("").to_string();
        let first = first.as_str();
        if rel == CONFIG_FILE {
            return Ok(());
        }
        if MACHINERY.contains(&first)
            || (first.starts_with("_config") && rel.ends_with(".yml"))
            || self.excluded(&rel)
        {
            self.left.push((rel, Left::Machinery));
            return Ok(());
        }
        let owned = rel.clone();
        let segments: Vec<&str> = owned.split('/').collect();
        let dirs = &segments[..segments.len() - 1];
        if let Some(label) = first.strip_prefix('_').filter(|_| !dirs.is_empty()) {
            if let Some(folder) = ["_posts", "_drafts"].into_iter().find(|f| dirs.contains(f)) {
                return self.read_post(rel, folder);
            }
            return self.underscore(rel, label);
        }
        if let Some(folder) = ["_posts", "_drafts"].into_iter().find(|f| dirs.contains(f)) {
            return self.read_post(rel, folder);
        }
        let hidden = segments
            .iter()
            .any(|s| s.starts_with('.') || s.starts_with('_'));
        // `.well-known/` is kept for the author to serve (echt publishes
        // no hidden files), whether Jekyll published it or not.
        let wanted = rel.starts_with(".well-known/")
            || self.config.include.iter().any(|i| {
                let i = i.trim_matches('/');
                rel == i || rel.starts_with(&format!("{i}/"))
            });
        if hidden && !wanted {
            self.left
                .push((rel, Left::Unpublished("a hidden or `_` name".into())));
            return Ok(());
        }
        let bytes = self.bytes(&rel)?;
        if !has_front_matter(&bytes) {
            if is_theme(&rel) {
                self.theme_files.push(rel);
            } else {
                self.statics.push(rel);
            }
            return Ok(());
        }
        match extension(&rel).as_str() {
            "md" | "markdown" | "html" | "htm" => self.read_doc(rel, &bytes, DocKind::Page, None),
            "scss" | "sass" | "css" | "js" => {
                self.left.push((rel, Left::Theme));
                Ok(())
            }
            _ => self.read_doc(rel, &bytes, DocKind::Page, None),
        }
    }

    /// A file in a folder whose name starts with `_`.
    fn underscore(&mut self, rel: String, label: &str) -> Result<()> {
        if label == "includes" {
            let bytes = self.bytes(&rel)?;
            let name = rel.trim_start_matches("_includes/").to_string();
            self.includes
                .insert(name, String::from_utf8_lossy(&bytes).into_owned());
            self.left.push((rel, Left::Theme));
            return Ok(());
        }
        if label == "data" {
            if rel == "_data/authors.yml" || rel == "_data/authors.yaml" {
                let bytes = self.bytes(&rel)?;
                let text = String::from_utf8_lossy(&bytes);
                match yaml::parse::<Value>(Path::new(&rel), &text, 0) {
                    Ok(value) => self.data_authors = config::people(&value),
                    Err(problem) => self.broken.push((rel.clone(), problem)),
                }
            }
            self.left
                .push((rel, Left::Unpublished("data for templates".into())));
            return Ok(());
        }
        let output = self
            .config
            .collections
            .iter()
            .find(|c| c.label == label)
            .map(|c| c.output);
        match output {
            Some(true) if is_text_doc(&rel) => {
                let bytes = self.bytes(&rel)?;
                let kind = DocKind::Collection(label.to_string());
                self.read_doc(rel, &bytes, kind, None)
            }
            Some(true) => {
                self.statics.push(rel);
                Ok(())
            }
            Some(false) => {
                let why = "a collection without `output: true`".to_string();
                self.left.push((rel, Left::Unpublished(why)));
                Ok(())
            }
            None if THEME_FOLDERS.contains(&format!("_{label}").as_str()) => {
                self.theme_files.push(rel);
                Ok(())
            }
            None => {
                let why = "a folder Jekyll does not publish".to_string();
                self.left.push((rel, Left::Unpublished(why)));
                Ok(())
            }
        }
    }

    fn read_post(&mut self, rel: String, folder: &str) -> Result<()> {
        let kind = if folder == "_drafts" {
            DocKind::Draft
        } else {
            DocKind::Post
        };
        if !is_text_doc(&rel) {
            self.statics.push(rel);
            return Ok(());
        }
        let name = post_name(&rel, folder);
        if name.is_none() && kind == DocKind::Post {
            let why = "a post whose name does not start with a date".to_string();
            self.left.push((rel, Left::Unpublished(why)));
            return Ok(());
        }
        let bytes = self.bytes(&rel)?;
        self.read_doc(rel, &bytes, kind, name)
    }

    fn read_doc(
        &mut self,
        rel: String,
        bytes: &[u8],
        kind: DocKind,
        name: Option<PostName>,
    ) -> Result<()> {
        let path = Path::new(&rel);
        let text = match crate::util::text::decode_utf8(path, bytes) {
            Ok(text) => text,
            Err(e) => {
                let problem = e.diagnostics.into_iter().next();
                let problem = problem.unwrap_or_else(|| Diagnostic::file(path, "not UTF-8"));
                self.broken.push((rel, problem));
                return Ok(());
            }
        };
        let split = match frontmatter::split(path, &text) {
            Ok(split) => split,
            Err(problem) => {
                self.broken.push((rel, problem));
                return Ok(());
            }
        };
        let front = match yaml::parse::<Value>(path, split.yaml, split.yaml_shift) {
            Ok(Value::Mapping(map)) => map,
            Ok(Value::Null) => Mapping::new(),
            Ok(_) => {
                let problem =
                    Diagnostic::at(path, split.yaml, 1, 1, "the front matter is not a map")
                        .shifted(split.yaml_shift);
                self.broken.push((rel, problem));
                return Ok(());
            }
            Err(problem) => {
                self.broken.push((rel, problem));
                return Ok(());
            }
        };
        let markup = match extension(&rel).as_str() {
            "html" | "htm" => Markup::Html,
            _ => Markup::Markdown,
        };
        self.docs.push(OldDoc {
            yaml: split.yaml.to_string(),
            body: split.body.to_string(),
            body_shift: split.body_shift,
            rel,
            kind,
            front,
            markup,
            name,
            defaulted: Vec::new(),
        });
        Ok(())
    }

    fn bytes(&self, rel: &str) -> Result<Vec<u8>> {
        let path = self.root.join(rel);
        std::fs::read(&path).map_err(|e| Error::io(&path, &e))
    }

    /// Whether `exclude:` names the file or a folder above it.
    fn excluded(&self, rel: &str) -> bool {
        self.config.exclude.iter().any(|e| {
            let e = e.trim_matches('/');
            !e.is_empty() && (rel == e || rel.starts_with(&format!("{e}/")))
        })
    }

    /// Front matter `defaults:` of `_config.yml`, under each document's own
    /// front matter; of two scopes that match, the longer path (then the
    /// one with a type) wins, as in Jekyll.
    fn apply_defaults(&mut self) {
        let mut defaults: Vec<&config::Defaults> = self.config.defaults.iter().collect();
        defaults.sort_by_key(|d| (d.path.len(), d.kind.is_some()));
        for doc in &mut self.docs {
            let kind = match &doc.kind {
                DocKind::Post => "posts",
                DocKind::Draft => "drafts",
                DocKind::Page => "pages",
                DocKind::Collection(label) => label.as_str(),
            };
            let mut merged = Mapping::new();
            for default in &defaults {
                let in_path = default.path.is_empty()
                    || doc.rel == default.path
                    || doc.rel.starts_with(&format!("{}/", default.path));
                let of_kind = default
                    .kind
                    .as_deref()
                    .is_none_or(|k| k == kind || (k == "posts" && doc.kind == DocKind::Draft));
                if in_path && of_kind {
                    for (key, value) in &default.values {
                        merged.insert(key.clone(), value.clone());
                    }
                }
            }
            for (key, value) in merged {
                if !doc.front.contains_key(&key) {
                    doc.defaulted
                        .push(yaml::scalar_string(&key).unwrap_or_default());
                    doc.front.insert(key, value);
                }
            }
        }
    }

    /// Where Jekyll published a copied file: at its path, or for a file of
    /// a collection (`_guides/a.png`) below the collection's name.
    pub fn published_path(&self, rel: &str) -> String {
        match rel.strip_prefix('_').and_then(|r| r.split_once('/')) {
            Some((label, rest)) if self.config.collections.iter().any(|c| c.label == label) => {
                format!("{label}/{rest}")
            }
            _ => rel.to_string(),
        }
    }

    /// The authors the site knows: `_config.yml` first, then `_data`.
    pub fn person(&self, key: &str) -> Option<&Person> {
        self.config
            .authors
            .get(key)
            .or_else(|| self.data_authors.get(key))
    }
}

/// Whether a file starts with front matter, as Jekyll checks it.
fn has_front_matter(bytes: &[u8]) -> bool {
    bytes.starts_with(b"---\n") || bytes.starts_with(b"---\r\n") || bytes.starts_with(b"--- \n")
}

fn is_theme(rel: &str) -> bool {
    THEME_FOLDERS
        .iter()
        .any(|folder| rel.starts_with(&format!("{folder}/")))
        || matches!(extension(rel).as_str(), "scss" | "sass")
}

fn is_text_doc(rel: &str) -> bool {
    matches!(extension(rel).as_str(), "md" | "markdown" | "html" | "htm")
}

/// The extension of the file name, lower case.
pub fn extension(rel: &str) -> String {
    let file = rel.rsplit('/').next().unwrap_or(rel);
    file.rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> OldSite {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        for (rel, text) in files {
            let path = dir.path().join(rel);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
            }
            std::fs::write(path, text).unwrap_or_else(|e| panic!("{e}"));
        }
        read(dir.path()).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn files_sorted_as_jekyll_sorts_them() {
        let fm = "---\ntitle: T\n---\nText\n";
        let site = site(&[
            (
                "_config.yml",
                "collections:\n  guides:\n    output: true\n  notes: {}\n",
            ),
            ("_posts/2020-01-01-a.md", fm),
            ("_posts/sub/2020-01-03-c.md", fm),
            ("news/_posts/2020-01-02-b.md", fm),
            ("_posts/no-date.md", fm),
            ("_drafts/d.md", fm),
            ("about.md", fm),
            ("README.md", "no front matter\n"),
            ("img/x.png", "png"),
            ("assets/css/s.scss", "---\n---\nb {}\n"),
            ("assets/js/a.js", "1"),
            ("_layouts/d.html", "{{ content }}"),
            ("_includes/n.html", "Hinweis"),
            ("Gemfile", "gem"),
            ("_site/x.html", "old"),
            (".hidden", "x"),
            ("_guides/g.md", fm),
            ("_guides/g.png", "png"),
            ("_notes/n.md", fm),
            ("_data/authors.yml", "jana:\n  name: Jana\n"),
            ("broken.md", "---\ntitle: [x\n---\n"),
        ]);
        let docs: Vec<(&str, &DocKind)> = site
            .docs
            .iter()
            .map(|d| (d.rel.as_str(), &d.kind))
            .collect();
        assert_eq!(
            docs,
            vec![
                ("_drafts/d.md", &DocKind::Draft),
                ("_guides/g.md", &DocKind::Collection("guides".into())),
                ("_posts/2020-01-01-a.md", &DocKind::Post),
                ("_posts/sub/2020-01-03-c.md", &DocKind::Post),
                ("about.md", &DocKind::Page),
                ("news/_posts/2020-01-02-b.md", &DocKind::Post),
            ]
        );
        let news = site.docs.iter().find(|d| d.rel.starts_with("news/"));
        let categories = news
            .and_then(|d| d.name.as_ref())
            .map(|n| n.folder_categories.clone());
        assert_eq!(categories, Some(vec!["news".to_string()]));
        assert_eq!(
            site.statics,
            vec!["README.md", "_guides/g.png", "img/x.png"]
        );
        assert_eq!(site.published_path("_guides/g.png"), "guides/g.png");
        assert_eq!(site.theme_files, vec!["_layouts/d.html", "assets/js/a.js"]);
        assert_eq!(
            site.includes.get("n.html").map(String::as_str),
            Some("Hinweis")
        );
        assert_eq!(
            site.data_authors.get("jana").map(|p| p.name.as_str()),
            Some("Jana")
        );
        let broken: Vec<&str> = site.broken.iter().map(|(rel, _)| rel.as_str()).collect();
        assert_eq!(broken, vec!["broken.md"]);
        let left: Vec<&str> = site.left.iter().map(|(rel, _)| rel.as_str()).collect();
        for expected in [
            ".hidden",
            "Gemfile",
            "_site/x.html",
            "_posts/no-date.md",
            "_notes/n.md",
            "assets/css/s.scss",
        ] {
            assert!(left.contains(&expected), "{expected}: {left:?}");
        }
    }
}
