//! The site's settings, read from `echt.yaml` and checked once.
//!
//! Reading happens in two stages: [`RawConfig`] mirrors the file (unknown
//! keys are an error that lists the valid ones), and [`Config`] is the
//! resolved form the rest of the code trusts: defaults filled in, the base
//! URL normalised, the language known.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::source::yaml;
use crate::util::error::{Diagnostic, Error, Result};
use crate::util::i18n::Language;

pub const CONFIG_FILE: &str = "echt.yaml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    #[serde(default)]
    description: String,
    base_url: String,
    language: Option<String>,
    author: Option<RawAuthor>,
    theme: Option<String>,
    posts_per_page: Option<usize>,
    feed: Option<RawFeed>,
    privacy: Option<RawPrivacy>,
    page_budget: Option<serde_yaml::Value>,
    #[serde(default)]
    extra: serde_yaml::Mapping,
}

#[derive(Debug, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a map with allow_hosts, allow_redirects, allow_scripts and page"
)]
struct RawPrivacy {
    #[serde(default)]
    allow_hosts: Vec<String>,
    #[serde(default)]
    allow_redirects: Vec<String>,
    allow_scripts: Option<String>,
    page: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a map with name, email and url")]
struct RawAuthor {
    name: String,
    email: Option<String>,
    url: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a map with limit, full_content and tags"
)]
struct RawFeed {
    limit: Option<usize>,
    full_content: Option<bool>,
    tags: Option<bool>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Author {
    pub name: String,
    pub email: Option<String>,
    pub url: Option<String>,
}

/// What goes into the Atom and RSS feeds.
#[derive(Debug, Clone)]
pub struct FeedConfig {
    /// How many of the newest posts a feed carries; 0 means all.
    pub limit: usize,
    /// Full post text (the default) rather than only the summary.
    pub full_content: bool,
    /// One Atom and one RSS feed per tag.
    pub tags: bool,
}

/// What the privacy audit lets through (`privacy` in echt.yaml). Every
/// allowance is listed on the privacy page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct PrivacyConfig {
    /// Hosts pages may load from besides the site's own, lower case.
    pub allow_hosts: Vec<String>,
    /// Hosts the site's server files (`_redirects`, `_headers`, the nginx
    /// snippet) may send readers or their browsers to, lower case.
    pub allow_redirects: Vec<String>,
    /// `allow_scripts: self`: `<script src>` files from the site itself.
    pub own_scripts: bool,
    /// Whether echt writes the privacy page (Datenschutz / Privacy).
    pub page: bool,
}

impl PrivacyConfig {
    /// Whether the server files may send readers to `host` (lower case).
    pub fn allows_redirect(&self, host: &str) -> bool {
        self.allow_redirects
            .iter()
            .any(|allowed| host_matches(allowed, host))
    }
}

/// Whether `host` is the allowed `entry`: the same name, or below the
/// domain of a `*.domain` entry (but not the domain itself).
pub fn host_matches(entry: &str, host: &str) -> bool {
    entry.strip_prefix("*.").map_or(host == entry, |domain| {
        host.strip_suffix(domain)
            .is_some_and(|sub| sub.ends_with('.') && sub.len() > 1)
    })
}

/// The page weight that draws a warning: 512 KB unless `page_budget` says.
pub const DEFAULT_PAGE_BUDGET: u64 = 512 * 1024;

/// The checked settings of one site.
#[derive(Debug, Clone)]
pub struct Config {
    /// The site's root directory (where echt.yaml lives).
    pub root: PathBuf,
    pub title: String,
    pub description: String,
    /// Absolute, ends with `/`: `https://example.org/blog/`.
    pub base_url: String,
    pub language: Language,
    pub author: Author,
    pub theme: String,
    pub posts_per_page: usize,
    pub feed: FeedConfig,
    pub privacy: PrivacyConfig,
    /// Bytes a page may weigh with its stylesheets and images.
    pub page_budget: u64,
    /// Free-form values for templates.
    pub extra: serde_json::Value,
}

impl Config {
    /// Reads and checks `echt.yaml` in `root`.
    pub fn load(root: &Path) -> Result<Config> {
        let path = root.join(CONFIG_FILE);
        let bytes = std::fs::read(&path).map_err(|e| {
            let d = Diagnostic::file(CONFIG_FILE, crate::util::error::io_message(&e));
            Error::from(if e.kind() == std::io::ErrorKind::NotFound {
                d.hint(format!(
                    "{} is not an echt site; create one with `echt new DIR` or pass --root",
                    root.display()
                ))
            } else {
                d
            })
        })?;
        let source = crate::util::text::decode_utf8(Path::new(CONFIG_FILE), &bytes)?;
        Config::parse(root, &source)
    }

    /// Checks the text of a config file; `root` is where the site lives.
    pub fn parse(root: &Path, source: &str) -> Result<Config> {
        let file = Path::new(CONFIG_FILE);
        let raw: RawConfig = yaml::parse(file, source, 0)?;
        let mut errors = yaml::check_escapes(file, source, 0);
        let at_key =
            |key: &str, message: String| yaml::key_diagnostic(file, source, key, 0, message);

        let base_url = match normalize_base_url(&raw.base_url) {
            Ok(url) => url,
            Err(why) => {
                errors.push(at_key("base_url", why).hint(
                    "write the address the site will be published at, e.g. https://example.org/",
                ));
                String::new()
            }
        };
        if raw.title.trim().is_empty() {
            errors.push(at_key("title", "the site title is empty".into()));
        }
        let posts_per_page = raw.posts_per_page.unwrap_or(10);
        if posts_per_page == 0 {
            errors.push(
                at_key("posts_per_page", "posts_per_page must be at least 1".into())
                    .hint("use 10 for ten posts per list page"),
            );
        }
        let language = match raw.language.as_deref().map(Language::from_code) {
            None => Language::De,
            Some(Some(language)) => language,
            Some(None) => {
                let shown = raw.language.as_deref().unwrap_or_default();
                errors.push(
                    at_key("language", format!("unsupported language `{shown}`"))
                        .hint("use `de` or `en`"),
                );
                Language::De
            }
        };
        let theme = raw.theme.unwrap_or_else(|| "default".into());
        if theme.is_empty() || theme.contains(['/', '\\']) || theme.starts_with('.') {
            errors.push(at_key("theme", format!("`{theme}` is not a theme name")));
        }
        let author = match raw.author {
            Some(a) => Author {
                name: a.name,
                email: a.email,
                url: a.url,
            },
            None => Author {
                name: raw.title.clone(),
                email: None,
                url: None,
            },
        };
        // Nested keys: point at `text` where it is written after `key:`.
        let at_text = |key: &str, text: &str, message: String| {
            let key = format!("{key}:");
            let after = source.find(&key).map_or(0, |i| i + key.len());
            match source[after..].find(text) {
                Some(i) if !text.is_empty() => {
                    Diagnostic::at_offset(file, source, after + i, text.len(), message)
                }
                _ => at_key("privacy", message),
            }
        };
        let privacy = match raw.privacy {
            None => PrivacyConfig {
                page: true,
                ..PrivacyConfig::default()
            },
            Some(p) => {
                let mut hosts = |key: &str, entries: &[String]| {
                    let mut hosts = Vec::new();
                    for host in entries {
                        match allowed_host(host) {
                            Ok(h) => hosts.push(h),
                            Err(why) => errors.push(at_text(key, host, why).hint(
                                "write host names only, e.g. `media.example.net` or `*.example.net`",
                            )),
                        }
                    }
                    hosts
                };
                let allow_hosts = hosts("allow_hosts", &p.allow_hosts);
                let allow_redirects = hosts("allow_redirects", &p.allow_redirects);
                let own_scripts = match p.allow_scripts.as_deref().map(str::trim) {
                    None | Some("none") => false,
                    Some("self") => true,
                    Some(other) => {
                        errors.push(
                            at_text(
                                "allow_scripts",
                                other,
                                format!("allow_scripts `{other}` is not `self` or `none`"),
                            )
                            .hint("echt never allows scripts from other hosts; `self` allows the site's own script files"),
                        );
                        false
                    }
                };
                PrivacyConfig {
                    allow_hosts,
                    allow_redirects,
                    own_scripts,
                    page: p.page.unwrap_or(true),
                }
            }
        };
        let page_budget = match &raw.page_budget {
            None => DEFAULT_PAGE_BUDGET,
            Some(value) => parse_size(value).unwrap_or_else(|| {
                errors.push(
                    at_key("page_budget", "page_budget is not a size".into())
                        .hint("write e.g. `512 KB` or `1 MB`"),
                );
                DEFAULT_PAGE_BUDGET
            }),
        };
        let extra = yaml::to_json(&serde_yaml::Value::Mapping(raw.extra));
        let feed = raw.feed.unwrap_or(RawFeed {
            limit: None,
            full_content: None,
            tags: None,
        });

        if !errors.is_empty() {
            return Err(Error::new(errors));
        }
        Ok(Config {
            root: root.to_path_buf(),
            title: raw.title,
            description: raw.description,
            base_url,
            language,
            author,
            theme,
            posts_per_page,
            feed: FeedConfig {
                limit: feed.limit.unwrap_or(20),
                full_content: feed.full_content.unwrap_or(true),
                tags: feed.tags.unwrap_or(true),
            },
            privacy,
            page_budget,
            extra,
        })
    }

    /// Replaces the base URL (the `--base-url` option).
    pub fn set_base_url(&mut self, url: &str) -> Result<()> {
        self.base_url = normalize_base_url(url).map_err(|why| {
            Diagnostic::file("--base-url", why).hint("e.g. --base-url https://example.org/")
        })?;
        Ok(())
    }

    /// The path part of the base URL: `/` or `/blog/`.
    pub fn base_path(&self) -> &str {
        let after_scheme = self.base_url.find("://").map_or(0, |i| i + 3);
        self.base_url[after_scheme..]
            .find('/')
            .map_or("/", |i| &self.base_url[after_scheme + i..])
    }
}

/// Checks an `allow_hosts` entry: a host name, or `*.` and a domain.
fn allowed_host(entry: &str) -> std::result::Result<String, String> {
    let host = entry.trim().to_ascii_lowercase();
    let name = host.strip_prefix("*.").unwrap_or(&host);
    let valid = !name.is_empty()
        && name.split('.').all(|label| {
            !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    if valid {
        Ok(host)
    } else {
        Err(format!("`{entry}` is not a host name"))
    }
}

/// `512 KB`, `1.5 MB`, `800kb` or a plain number of kilobytes, in bytes.
fn parse_size(value: &serde_yaml::Value) -> Option<u64> {
    if let Some(kb) = value.as_u64() {
        return kb.checked_mul(1024).filter(|&b| b > 0);
    }
    let text = value.as_str()?.trim().to_ascii_lowercase();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let number: f64 = text[..split].parse().ok()?;
    let factor = match text[split..].trim() {
        "" | "kb" | "k" | "kib" => 1024.0,
        "mb" | "m" | "mib" => 1024.0 * 1024.0,
        "b" => 1.0,
        _ => return None,
    };
    let bytes = number * factor;
    // Sizes are small, positive and whole once multiplied out.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    (1.0..1e15).contains(&bytes).then_some(bytes as u64)
}

/// Checks that a base URL is absolute http(s) and makes it end with `/`.
fn normalize_base_url(url: &str) -> std::result::Result<String, String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| format!("base_url `{url}` must start with https:// or http://"))?;
    let host = rest.split('/').next().unwrap_or_default();
    if host.is_empty() || rest.contains(['?', '#', ' ']) {
        return Err(format!("base_url `{url}` is not a valid site address"));
    }
    Ok(if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(src: &str) -> Result<Config> {
        Config::parse(Path::new("/site"), src)
    }

    #[test]
    fn defaults_fill_in() -> Result<()> {
        let c = parse("title: Blog\nbase_url: https://example.org/blog\n")?;
        assert_eq!(c.base_url, "https://example.org/blog/");
        assert_eq!(c.base_path(), "/blog/");
        assert_eq!(c.language, Language::De);
        assert_eq!(c.posts_per_page, 10);
        assert_eq!(c.feed.limit, 20);
        Ok(())
    }

    #[test]
    fn unknown_key_names_valid_keys() {
        let err = parse("title: Blog\nbase_url: https://e.org\ntitel: x\n")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("unknown field `titel`"), "{err}");
        assert!(err.contains("expected one of `title`"), "{err}");
        assert!(err.contains("echt.yaml:3:1"), "{err}");
    }

    #[test]
    fn privacy_allowances_and_budget() -> Result<()> {
        let c = parse("title: B\nbase_url: https://e.org\n")?;
        assert!(c.privacy.page && !c.privacy.own_scripts && c.privacy.allow_hosts.is_empty());
        assert_eq!(c.page_budget, 512 * 1024);
        let c = parse(
            "title: B\nbase_url: https://e.org\nprivacy:\n  allow_hosts: [Media.Example.net, '*.cdn.example']\n  allow_redirects: [Mastodon.Social, '*.example.com']\n  allow_scripts: self\npage_budget: 1.5 MB\n",
        )?;
        assert_eq!(
            c.privacy.allow_hosts,
            ["media.example.net", "*.cdn.example"]
        );
        assert_eq!(
            c.privacy.allow_redirects,
            ["mastodon.social", "*.example.com"]
        );
        assert!(c.privacy.allows_redirect("mastodon.social"));
        assert!(c.privacy.allows_redirect("shop.example.com"));
        assert!(!c.privacy.allows_redirect("example.com"));
        assert!(!c.privacy.allows_redirect("mastodon.social.evil.example"));
        assert!(!c.privacy.allows_redirect("badexample.com"));
        assert!(c.privacy.own_scripts);
        assert_eq!(c.page_budget, 1536 * 1024);
        assert_eq!(
            parse("title: B\nbase_url: https://e.org\npage_budget: 100\n")?.page_budget,
            102_400
        );
        let err = parse("title: B\nbase_url: https://e.org\nprivacy:\n  allow_hosts: ['https://x.org/']\n  allow_scripts: all\n  allow_redirects: [x.org/a]\npage_budget: viel\n")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("`https://x.org/` is not a host name"), "{err}");
        assert!(err.contains("allow_scripts `all`"), "{err}");
        assert!(err.contains("`x.org/a` is not a host name"), "{err}");
        assert!(err.contains("echt.yaml:6:21"), "{err}");
        assert!(
            err.contains("echt.yaml:5:18") && err.contains("echt.yaml:7:14"),
            "{err}"
        );
        Ok(())
    }

    #[test]
    fn relative_base_url_is_refused() {
        let err = parse("title: Blog\nbase_url: /blog/\n")
            .err()
            .map(|e| e.to_string());
        assert!(err.unwrap_or_default().contains("echt.yaml:2:11"));
    }
}
