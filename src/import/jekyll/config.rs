//! `_config.yml`, read the way Jekyll reads it: every key optional, with
//! Jekyll's defaults where one is missing, and the keys echt has no use for
//! remembered so that the report can name them.

use std::collections::BTreeMap;
use std::path::Path;

use serde_yaml::{Mapping, Value};

use crate::source::yaml;
use crate::util::error::Diagnostic;

pub const CONFIG_FILE: &str = "_config.yml";

/// One entry of `defaults:`: values for the documents below `path` (and
/// of `kind`, if given).
#[derive(Debug, Clone)]
pub struct Defaults {
    /// Below the site's root, without slashes at the ends; empty for all.
    pub path: String,
    /// `posts`, `drafts`, `pages` or a collection's label.
    pub kind: Option<String>,
    pub values: Mapping,
}

/// `defaults:` as a list of scopes and values; entries without values are
/// left out.
fn defaults(value: &Value) -> Vec<Defaults> {
    let Value::Sequence(entries) = value else {
        return Vec::new();
    };
    entries
        .iter()
        .filter_map(|entry| {
            let scope = entry.get("scope");
            let text = |key: &str| scope.and_then(|s| s.get(key)).and_then(yaml::scalar_string);
            let Some(Value::Mapping(values)) = entry.get("values") else {
                return None;
            };
            Some(Defaults {
                path: text("path")
                    .unwrap_or_default()
                    .trim_matches('/')
                    .to_string(),
                kind: text("type"),
                values: values.clone(),
            })
        })
        .collect()
}

/// One collection of `collections:` (posts are not among them).
#[derive(Debug, Clone)]
pub struct Collection {
    pub label: String,
    pub output: bool,
    pub permalink: Option<String>,
}

/// An author of `authors:` in `_config.yml` or of `_data/authors.yml`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Person {
    pub name: String,
    pub email: Option<String>,
    pub url: Option<String>,
    pub bio: Option<String>,
}

/// The settings of the old site that the import uses.
#[derive(Debug, Clone)]
pub struct JekyllConfig {
    pub title: Option<String>,
    pub description: Option<String>,
    /// Without a trailing slash, or empty.
    pub url: String,
    /// `""` or `/blog`.
    pub baseurl: String,
    /// `lang` or `locale` as written.
    pub lang: Option<String>,
    /// `author:` as written: a key of `authors`, a name, or a map.
    pub author: Option<Value>,
    pub authors: BTreeMap<String, Person>,
    /// A style (`date`) or a pattern; `date` when missing.
    pub permalink: String,
    /// The posts collection's own permalink, which wins over `permalink`.
    pub posts_permalink: Option<String>,
    pub paginate: Option<usize>,
    pub paginate_path: String,
    pub timezone: Option<String>,
    pub excerpt_separator: Option<String>,
    pub collections: Vec<Collection>,
    /// `kramdown: input:`; `GFM` when missing.
    pub kramdown_input: String,
    /// `kramdown: auto_id_prefix:`, which echt's ids do not have.
    pub auto_id_prefix: Option<String>,
    pub plugins: Vec<String>,
    pub exclude: Vec<String>,
    pub include: Vec<String>,
    /// `defaults:`: front matter for the documents each scope names.
    pub defaults: Vec<Defaults>,
    /// Keys the import does not carry over, with their lines.
    pub unused: Vec<(String, usize)>,
}

impl Default for JekyllConfig {
    fn default() -> Self {
        JekyllConfig {
            title: None,
            description: None,
            url: String::new(),
            baseurl: String::new(),
            lang: None,
            author: None,
            authors: BTreeMap::new(),
            permalink: "date".into(),
            posts_permalink: None,
            paginate: None,
            paginate_path: "/page:num".into(),
            timezone: None,
            excerpt_separator: None,
            collections: Vec::new(),
            kramdown_input: "GFM".into(),
            auto_id_prefix: None,
            plugins: Vec::new(),
            exclude: Vec::new(),
            include: Vec::new(),
            defaults: Vec::new(),
            unused: Vec::new(),
        }
    }
}

/// The keys the import reads.
const USED: &[&str] = &[
    "title",
    "description",
    "url",
    "baseurl",
    "lang",
    "locale",
    "author",
    "authors",
    "permalink",
    "paginate",
    "paginate_path",
    "timezone",
    "excerpt_separator",
    "kramdown",
    "plugins",
    "exclude",
    "include",
    "defaults",
    "collections",
    "header_pages",
];

/// Keys Jekyll itself reads that do not change what the site says, or
/// whose work echt does its own way; not listed as left behind.
const MACHINERY: &[&str] = &[
    "markdown",
    "highlighter",
    "theme",
    "remote_theme",
    "sass",
    "gems",
    "source",
    "destination",
    "safe",
    "incremental",
    "keep_files",
    "encoding",
    "future",
    "show_drafts",
    "unpublished",
    "liquid",
    "strict_front_matter",
    "livereload",
    "port",
    "host",
    "whitelist",
    "webrick",
    "layouts_dir",
    "includes_dir",
    "data_dir",
    "plugins_dir",
    "lsi",
    "limit_posts",
    "profile",
    "quiet",
    "verbose",
    "repository",
    "github",
];

impl JekyllConfig {
    /// The settings in `text`; a file Jekyll could not read either gives
    /// the defaults and the located problem.
    pub fn parse(text: &str) -> (JekyllConfig, Option<Diagnostic>) {
        let path = Path::new(CONFIG_FILE);
        let value: Value = match yaml::parse(path, text, 0) {
            Ok(value) => value,
            Err(problem) => return (JekyllConfig::default(), Some(problem)),
        };
        let map = match value {
            Value::Mapping(map) => map,
            _ => Mapping::new(),
        };
        (JekyllConfig::from_map(&map, text), None)
    }

    fn from_map(map: &Mapping, text: &str) -> JekyllConfig {
        let mut config = JekyllConfig::default();
        let get = |key: &str| map.get(key);
        let text_of = |key: &str| get(key).and_then(yaml::scalar_string);
        config.title = text_of("title");
        config.description = text_of("description");
        config.url = text_of("url")
            .unwrap_or_default()
            .trim_end_matches('/')
            .to_string();
        let baseurl = text_of("baseurl").unwrap_or_default();
        let baseurl = baseurl.trim_matches('/');
        config.baseurl = if baseurl.is_empty() {
            String::new()
        } else {
            format!("/{baseurl}")
        };
        config.lang = text_of("lang").or_else(|| text_of("locale"));
        config.author = get("author").cloned();
        config.authors = get("authors").map(people).unwrap_or_default();
        if let Some(permalink) = text_of("permalink") {
            config.permalink = permalink;
        }
        config.paginate = get("paginate")
            .and_then(Value::as_u64)
            .and_then(|n| usize::try_from(n).ok())
            .filter(|n| *n > 0);
        if let Some(path) = text_of("paginate_path") {
            config.paginate_path = path;
        }
        config.timezone = text_of("timezone");
        config.excerpt_separator = text_of("excerpt_separator");
        config.kramdown_input = get("kramdown")
            .and_then(|k| k.get("input"))
            .and_then(yaml::scalar_string)
            .unwrap_or_else(|| "GFM".into());
        config.auto_id_prefix = get("kramdown")
            .and_then(|k| k.get("auto_id_prefix"))
            .and_then(yaml::scalar_string)
            .filter(|p| !p.is_empty());
        config.plugins = words(get("plugins"))
            .or_else(|| words(get("gems")))
            .unwrap_or_default();
        config.exclude = words(get("exclude")).unwrap_or_default();
        config.include = words(get("include")).unwrap_or_default();
        config.defaults = get("defaults").map(defaults).unwrap_or_default();
        if let Some(Value::Mapping(collections)) = get("collections") {
            config.read_collections(collections);
        }
        for key in map.keys().filter_map(yaml::scalar_string) {
            if !USED.contains(&key.as_str()) && !MACHINERY.contains(&key.as_str()) {
                config.unused.push((key.clone(), line_of_key(text, &key)));
            }
        }
        config.unused.sort();
        config
    }

    fn read_collections(&mut self, collections: &Mapping) {
        for (label, settings) in collections {
            let Some(label) = yaml::scalar_string(label) else {
                continue;
            };
            let get = |key: &str| settings.get(key);
            let permalink = get("permalink").and_then(yaml::scalar_string);
            if label == "posts" {
                self.posts_permalink = permalink;
                continue;
            }
            self.collections.push(Collection {
                label,
                output: get("output").and_then(Value::as_bool).unwrap_or(false),
                permalink,
            });
        }
        self.collections.sort_by(|a, b| a.label.cmp(&b.label));
    }

    /// The posts' permalink setting: the collection's, else the site's.
    pub fn post_permalink(&self) -> &str {
        self.posts_permalink.as_deref().unwrap_or(&self.permalink)
    }

    /// Whether a plugin of this name is listed.
    pub fn has_plugin(&self, name: &str) -> bool {
        self.plugins.iter().any(|p| p == name)
    }
}

/// The 1-based line of a top-level `key:` in `text` (1 when not found).
pub fn line_of_key(text: &str, key: &str) -> usize {
    text.lines()
        .position(|line| {
            line.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map_or(1, |i| i + 1)
}

/// A list of words, or one word.
fn words(value: Option<&Value>) -> Option<Vec<String>> {
    match value? {
        Value::Sequence(items) => Some(items.iter().filter_map(yaml::scalar_string).collect()),
        v => yaml::scalar_string(v).map(|w| vec![w]),
    }
}

/// `authors:` (or `_data/authors.yml`): a map from key to a person, whose
/// name is `name` (or `display_name`, or the key).
pub fn people(value: &Value) -> BTreeMap<String, Person> {
    let mut people = BTreeMap::new();
    let Value::Mapping(map) = value else {
        return people;
    };
    for (key, person) in map {
        let Some(key) = yaml::scalar_string(key) else {
            continue;
        };
        let field = |names: &[&str]| {
            names
                .iter()
                .find_map(|n| person.get(*n).and_then(yaml::scalar_string))
                .filter(|s| !s.trim().is_empty())
        };
        let name = match person {
            Value::Mapping(_) => field(&["name", "display_name", "fullname"]),
            v => yaml::scalar_string(v),
        };
        people.insert(
            key.clone(),
            Person {
                name: name.unwrap_or_else(|| key.clone()),
                email: field(&["email"]),
                url: field(&["url", "uri", "web", "website"]),
                bio: field(&["bio", "description", "about"]),
            },
        );
    }
    people
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_where_keys_are_missing() {
        let (config, problem) = JekyllConfig::parse("title: Blog\n");
        assert!(problem.is_none());
        assert_eq!(config.permalink, "date");
        assert_eq!(config.kramdown_input, "GFM");
        assert_eq!(config.paginate_path, "/page:num");
        assert_eq!(config.baseurl, "");
    }

    #[test]
    fn settings_and_left_over_keys() {
        let text = "title: Blog\nurl: https://example.org/\nbaseurl: /project/\npermalink: pretty\npaginate: 5\ncollections:\n  guides:\n    output: true\n  posts:\n    permalink: /news/:title/\ngoogle_analytics: UA-1\nauthors:\n  jane:\n    name: Jane Roe\n    bio: Writes.\n";
        let (config, problem) = JekyllConfig::parse(text);
        assert!(problem.is_none());
        assert_eq!(config.url, "https://example.org");
        assert_eq!(config.baseurl, "/project");
        assert_eq!(config.post_permalink(), "/news/:title/");
        assert_eq!(config.paginate, Some(5));
        assert_eq!(config.collections.len(), 1);
        assert!(config.collections[0].output);
        assert_eq!(config.unused, vec![("google_analytics".to_string(), 11)]);
        assert_eq!(config.authors["jane"].bio.as_deref(), Some("Writes."));
    }

    #[test]
    fn broken_yaml_is_located() {
        let (config, problem) = JekyllConfig::parse("title: Blog\nurl: [unclosed\n");
        assert_eq!(config.permalink, "date");
        let problem = problem.map(|p| p.to_string()).unwrap_or_default();
        assert!(problem.contains("_config.yml:"), "{problem}");
    }
}
