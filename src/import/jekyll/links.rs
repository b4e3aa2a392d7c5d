//! What the conversion of one file asks about the rest of the old site
//! (`post_url`, `link`, `include`, `baseurl`, `url`), answered with the new
//! site's files, relative to the file being converted.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use regex::Regex;

use crate::import::jekyll::content::Site;
use crate::import::jekyll::plan::Plan;
use crate::import::jekyll::read::{DocKind, OldSite};

/// The old site's files by their old paths, and where they went.
#[derive(Debug, Default)]
pub struct Index {
    /// Old path of every written document → its path below `content/`.
    docs: BTreeMap<String, String>,
    /// What `{% post_url %}` may name (`2014-07-07-a`, `sub/2014-07-07-a`,
    /// `news/2014-07-07-a`) → the post's path below `content/`.
    posts: BTreeMap<String, String>,
    /// Old paths of files copied to static/ → their path there.
    statics: BTreeMap<String, String>,
    /// Theme files, copied only when something links to them.
    theme: BTreeSet<String>,
    includes: BTreeMap<String, String>,
    baseurl: String,
    url: String,
}

impl Index {
    pub fn new(site: &OldSite, plan: &Plan) -> Index {
        let mut index = Index {
            statics: site
                .statics
                .iter()
                .map(|rel| (rel.clone(), site.published_path(rel)))
                .collect(),
            theme: site.theme_files.iter().cloned().collect(),
            includes: site.includes.clone(),
            baseurl: site.config.baseurl.clone(),
            url: site.config.url.clone(),
            ..Index::default()
        };
        for doc in &plan.docs {
            let old = &site.docs[doc.old];
            index.docs.insert(old.rel.clone(), doc.rel.clone());
            if old.kind == DocKind::Post {
                for name in post_url_names(&old.rel) {
                    index.posts.entry(name).or_insert_with(|| doc.rel.clone());
                }
            }
        }
        index
    }

    /// The lookups for the file at `rel` below `content/`.
    pub fn from<'a>(&'a self, rel: &'a str) -> Lookup<'a> {
        Lookup {
            index: self,
            from: rel,
            linked_theme: RefCell::new(BTreeSet::new()),
        }
    }

    /// The theme files a text names (by their path), which are then
    /// copied after all.
    pub fn theme_files_in(&self, text: &str) -> Vec<String> {
        self.theme
            .iter()
            .filter(|file| text.contains(file.as_str()))
            .cloned()
            .collect()
    }
}

/// The answers for one file.
#[derive(Debug)]
pub struct Lookup<'a> {
    index: &'a Index,
    from: &'a str,
    /// Theme files `link` pointed at.
    pub linked_theme: RefCell<BTreeSet<String>>,
}

static POST_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^((?:.+/)*)(\d+-\d+-\d+)-(.*)$")
        .unwrap_or_else(|_| unreachable!("a fixed pattern"))
});

impl Site for Lookup<'_> {
    fn post_url(&self, name: &str) -> Option<String> {
        let name = name.trim().trim_start_matches('/');
        // Jekyll reads the name as (folders/)date-slug.
        if !POST_NAME.is_match(name) {
            return None;
        }
        let new = self.index.posts.get(name)?;
        Some(relative(self.from, new))
    }

    fn link(&self, path: &str) -> Option<String> {
        let path = path.trim().trim_start_matches('/');
        if let Some(new) = self.index.docs.get(path) {
            return Some(relative(self.from, new));
        }
        if let Some(published) = self.index.statics.get(path) {
            return Some(format!("/{}", encode(published)));
        }
        if self.index.theme.contains(path) {
            self.linked_theme.borrow_mut().insert(path.to_string());
            return Some(format!("/{}", encode(path)));
        }
        None
    }

    fn include(&self, name: &str) -> Option<String> {
        self.index.includes.get(name.trim()).cloned()
    }

    fn baseurl(&self) -> &str {
        &self.index.baseurl
    }

    fn url(&self) -> &str {
        &self.index.url
    }
}

/// The names `{% post_url %}` finds a post by: its path below `_posts/`
/// without extension (`sub/2014-07-07-a`), and for a post in
/// `news/_posts/` the folder and the name (`news/2014-07-07-a`).
fn post_url_names(rel: &str) -> Vec<String> {
    let stem = rel.rsplit_once('.').map_or(rel, |(s, _)| s);
    let Some((above, inside)) = stem.split_once("_posts/") else {
        return Vec::new();
    };
    if above.is_empty() {
        vec![inside.to_string()]
    } else if !inside.contains('/') {
        vec![format!("{above}{inside}")]
    } else {
        Vec::new()
    }
}

/// The link from the file `from` to the file `to`, both below `content/`,
/// percent-encoded where Markdown or a URL would read a character
/// otherwise.
pub fn relative(from: &str, to: &str) -> String {
    let from_dirs: Vec<&str> = from.split('/').collect();
    let from_dirs = &from_dirs[..from_dirs.len().saturating_sub(1)];
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dirs
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = "../".repeat(from_dirs.len() - common);
    out.push_str(&to_parts[common..].join("/"));
    encode(&out)
}

/// Percent-encodes what a link must not hold as it is.
pub fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '?' => out.push_str("%3F"),
            '#' => out.push_str("%23"),
            '%' => out.push_str("%25"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links_between_new_files() {
        assert_eq!(relative("posts/a.md", "posts/b.md"), "b.md");
        assert_eq!(relative("ueber.md", "posts/b.md"), "posts/b.md");
        assert_eq!(
            relative("docs/x/y.md", "posts/b c?.md"),
            "../../posts/b%20c%3F.md"
        );
        assert_eq!(relative("posts/sub/a.md", "posts/b.md"), "../b.md");
    }

    #[test]
    fn names_post_url_finds_posts_by() {
        assert_eq!(
            post_url_names("_posts/2014-07-07-a.md"),
            vec!["2014-07-07-a"]
        );
        assert_eq!(
            post_url_names("_posts/sub/2014-07-07-a.md"),
            vec!["sub/2014-07-07-a"]
        );
        assert_eq!(
            post_url_names("news/_posts/2014-07-07-a.md"),
            vec!["news/2014-07-07-a"]
        );
        assert!(post_url_names("about.md").is_empty());
    }
}
