//! The site's settings, read from `echt.yaml` and checked once.
//!
//! Reading happens in two stages: [`RawConfig`] mirrors the file (unknown
//! keys are an error that lists the valid ones), and [`Config`] is the
//! resolved form the rest of the code trusts: defaults filled in, the base
//! URL normalised, the language known.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use crate::source::permalink::{self, Permalink};
use crate::source::yaml;
use crate::util::error::{Diagnostic, Error, Origin, Result};
use crate::util::i18n::Language;
use crate::util::url;

mod share;
pub use share::{Fediverse, Share};
mod authors;

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
    authors: Option<std::collections::BTreeMap<String, RawAuthor>>,
    theme: Option<String>,
    posts_per_page: Option<usize>,
    feed: Option<RawFeed>,
    privacy: Option<RawPrivacy>,
    page_budget: Option<serde_yaml::Value>,
    permalink: Option<String>,
    #[serde(default)]
    redirects: Vec<RawRedirect>,
    markdown: Option<RawMarkdown>,
    comments: Option<RawComments>,
    images: Option<RawImages>,
    share: Option<Vec<serde_yaml::Value>>,
    /// `search: true`: the search page, its index and script (off unless
    /// asked for).
    #[serde(default)]
    search: bool,
    related: Option<RawRelated>,
    #[serde(default)]
    extra: serde_yaml::Mapping,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a map with count")]
struct RawRelated {
    count: Option<usize>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a map with from and to")]
struct RawRedirect {
    from: String,
    to: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a map with email")]
struct RawComments {
    email: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a map with widths, sizes, quality, webp and max_megapixels"
)]
struct RawImages {
    widths: Option<Vec<u32>>,
    sizes: Option<String>,
    quality: Option<u8>,
    webp: Option<bool>,
    max_megapixels: Option<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a map with heading_ids")]
struct RawMarkdown {
    heading_ids: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a map with allow_hosts, allow_redirects, allow_scripts, keep_metadata and page"
)]
struct RawPrivacy {
    #[serde(default)]
    allow_hosts: Vec<String>,
    #[serde(default)]
    allow_redirects: Vec<String>,
    allow_scripts: Option<String>,
    #[serde(default)]
    keep_metadata: Vec<String>,
    page: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a map with name, email, url, bio and photo"
)]
struct RawAuthor {
    name: String,
    email: Option<String>,
    url: Option<String>,
    bio: Option<String>,
    photo: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a map with limit, full_content, tags and authors"
)]
struct RawFeed {
    limit: Option<usize>,
    full_content: Option<bool>,
    tags: Option<bool>,
    authors: Option<bool>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Author {
    pub name: String,
    pub email: Option<String>,
    pub url: Option<String>,
    /// `bio`: a few lines of Markdown about the person, as written
    /// (rendered by the site stage, which knows where links go).
    pub bio: Option<String>,
    /// `photo`: a file below the site's folder, `/`-separated, in
    /// `static/` or `content/` (`static/lena.jpg`).
    pub photo: Option<String>,
}

/// An old path that sends readers on (`redirects` in echt.yaml).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Redirect {
    /// The old path as written.
    pub from: String,
    /// The file written there: `archive.html`, `page2/index.html`.
    pub file: String,
    /// Where it sends readers, below the site root: `archiv/`.
    pub to: String,
}

/// How headings get their ids, so that links from elsewhere into a moved
/// blog's posts keep finding their place.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum HeadingIds {
    /// echt's own: ASCII slugs, umlauts spelled out (`ueber-uns`).
    #[default]
    Echt,
    /// kramdown with its GFM input, Jekyll's default (`über-uns`).
    Kramdown,
    /// kramdown with its own input (`input: kramdown`): ASCII letters only.
    KramdownClassic,
    /// GitHub's (README files, html-pipeline).
    Github,
}

const HEADING_IDS: [(&str, HeadingIds); 4] = [
    ("echt", HeadingIds::Echt),
    ("kramdown", HeadingIds::Kramdown),
    ("kramdown-classic", HeadingIds::KramdownClassic),
    ("github", HeadingIds::Github),
];

/// What goes into the Atom and RSS feeds.
#[derive(Debug, Clone)]
pub struct FeedConfig {
    /// How many of the newest posts a feed carries; 0 means all.
    pub limit: usize,
    /// Full post text (the default) rather than only the summary.
    pub full_content: bool,
    /// One Atom and one RSS feed per tag.
    pub tags: bool,
    /// Feeds per author, on a site where several people write.
    pub authors: bool,
}

/// How pictures in `content/` are prepared for readers (`images` in
/// echt.yaml).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ImageConfig {
    /// The widths in pixels each picture is made in (those narrower than
    /// the picture), ascending.
    pub widths: Vec<u32>,
    /// The `sizes` attribute: how wide the theme shows a picture.
    pub sizes: String,
    /// Quality of JPEG and lossy WebP, 1 to 100.
    pub quality: u8,
    /// Whether WebP versions are offered where they are smaller.
    pub webp: bool,
    /// Pictures with more pixels than this are refused (memory stays
    /// bounded whatever a file says about its size).
    pub max_pixels: u64,
}

impl Default for ImageConfig {
    fn default() -> Self {
        ImageConfig {
            widths: vec![480, 800, 1200, 1600],
            // The default theme's column: 38rem, less its gutters on a phone.
            sizes: "(min-width: 42rem) 38rem, 100vw".to_string(),
            quality: 80,
            webp: true,
            max_pixels: 100_000_000,
        }
    }
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
    /// Pictures published byte for byte, metadata (and location) and all
    /// (`keep_metadata`): paths below the site root, `/`-separated, each
    /// an existing file, as written (`static/karte.jpg`).
    pub keep_metadata: Vec<String>,
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

    /// Whether `file` (a path below the site root) is published with its
    /// metadata.
    pub fn keeps_metadata(&self, file: &Path) -> bool {
        self.keep_metadata
            .iter()
            .any(|kept| Path::new(kept) == file)
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
    /// `authors`: the people who write here besides (or including) the
    /// site's author, by key, sorted by key.
    pub authors: Vec<(String, Author)>,
    pub theme: String,
    pub posts_per_page: usize,
    pub feed: FeedConfig,
    pub privacy: PrivacyConfig,
    /// Bytes a page may weigh with its stylesheets and images.
    pub page_budget: u64,
    /// Where posts go (`permalink`): `/posts/:slug/` unless set.
    pub permalink: Permalink,
    /// Old paths that are not a document's, sent on to the site's own
    /// (`redirects`).
    pub redirects: Vec<Redirect>,
    /// How headings get their ids (`markdown.heading_ids`).
    pub heading_ids: HeadingIds,
    /// How pictures are prepared (`images`).
    pub images: ImageConfig,
    /// How many related posts each post shows (`related.count`); 0: none.
    pub related_count: usize,
    /// Where readers send replies (`comments.email`): the only e-mail
    /// address a comment thread shows. None: no reply link.
    pub comments_email: Option<String>,
    /// The share links under each post (`share`), in order.
    pub share: Vec<Share>,
    /// `search: true`: a search page with a static index and echt's own
    /// script, the one page whose policy lets a script run.
    pub search: bool,
    /// Free-form values for templates.
    pub extra: serde_json::Value,
    /// echt.yaml as it was read, where the audit locates a finding in a
    /// value that templates show.
    pub text: Arc<str>,
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
        match check(root, source, raw) {
            Ok(config) if errors.is_empty() => Ok(config),
            Ok(_) => Err(Error::new(errors)),
            Err(problems) => {
                errors.extend(problems.into_iter().map(|p| p.locate(file, source)));
                Err(Error::new(errors))
            }
        }
    }

    /// echt.yaml as a source of the pages, for locating findings.
    pub fn origin(&self) -> Origin {
        Origin {
            shown: PathBuf::from(CONFIG_FILE),
            text: self.text.clone(),
        }
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

/// A problem with a setting, before it is shown where it is written.
#[derive(Debug, PartialEq)]
struct Problem {
    at: Place,
    message: String,
    hint: Option<&'static str>,
}

/// Where in echt.yaml a problem is shown.
#[derive(Debug, PartialEq)]
enum Place {
    /// At the value of a top-level key.
    Key(&'static str),
    /// At `text` where it is written after the nested `key:` (or at the
    /// top-level `section` it is in, if it is not found).
    Text {
        section: &'static str,
        key: &'static str,
        text: String,
    },
    /// At the value found by following `path` from the top (or at the
    /// top-level key it starts with, if it is not found).
    Node(Vec<yaml::locate::Step>),
}

impl Problem {
    fn at_key(key: &'static str, message: impl Into<String>) -> Self {
        Problem {
            at: Place::Key(key),
            message: message.into(),
            hint: None,
        }
    }

    fn at_text(
        section: &'static str,
        key: &'static str,
        text: &str,
        message: impl Into<String>,
    ) -> Self {
        Problem {
            at: Place::Text {
                section,
                key,
                text: text.to_string(),
            },
            message: message.into(),
            hint: None,
        }
    }

    fn hint(mut self, hint: &'static str) -> Self {
        self.hint = Some(hint);
        self
    }

    /// The problem located in `source`, the text of `file`.
    fn locate(self, file: &Path, source: &str) -> Diagnostic {
        let located = match &self.at {
            Place::Key(key) => yaml::key_diagnostic(file, source, key, 0, self.message),
            Place::Text { section, key, text } => {
                let key = format!("{key}:");
                let after = source.find(&key).map_or(0, |i| i + key.len());
                match source[after..].find(text.as_str()) {
                    Some(i) if !text.is_empty() => {
                        Diagnostic::at_offset(file, source, after + i, text.len(), self.message)
                    }
                    _ => yaml::key_diagnostic(file, source, section, 0, self.message),
                }
            }
            Place::Node(path) => match yaml::locate::node(source, path) {
                Some(at) => {
                    let width = yaml::written_width(source, at.offset).max(1);
                    Diagnostic::at_offset(file, source, at.offset, width, self.message)
                }
                None => {
                    let top = match path.first() {
                        Some(yaml::locate::Step::Key(serde_yaml::Value::String(key))) => {
                            key.as_str()
                        }
                        _ => "",
                    };
                    yaml::key_diagnostic(file, source, top, 0, self.message)
                }
            },
        };
        match self.hint {
            Some(hint) => located.hint(hint),
            None => located,
        }
    }
}

/// The settings of `raw` (read from `source`) checked, with defaults
/// filled in; or the problems of every section, in the order of the
/// sections.
fn check(root: &Path, source: &str, raw: RawConfig) -> std::result::Result<Config, Vec<Problem>> {
    let mut problems = Vec::new();
    let author = keep_all(
        authors::site_author(raw.author, &raw.title, root),
        &mut problems,
    );
    let people = keep_all(authors::authors(raw.authors, root), &mut problems);
    let checked = (
        keep(base_url(&raw.base_url), &mut problems),
        keep(title(&raw.title), &mut problems),
        keep(posts_per_page(raw.posts_per_page), &mut problems),
        keep(language(raw.language.as_deref()), &mut problems),
        keep(theme(raw.theme), &mut problems),
        keep_all(privacy(raw.privacy, root), &mut problems),
        keep(page_budget(raw.page_budget.as_ref()), &mut problems),
        keep(permalink(raw.permalink.as_deref()), &mut problems),
        keep_all(redirects(raw.redirects), &mut problems),
        keep(heading_ids(raw.markdown), &mut problems),
        keep(comments_email(raw.comments), &mut problems),
        keep_all(images(raw.images), &mut problems),
        keep_all(share::share(raw.share), &mut problems),
        keep(related_count(raw.related), &mut problems),
    );
    let (
        Some(base_url),
        Some(()),
        Some(posts_per_page),
        Some(language),
        Some(theme),
        Some(privacy),
        Some(page_budget),
        Some(permalink),
        Some(redirects),
        Some(heading_ids),
        Some(comments_email),
        Some(images),
        Some(share),
        Some(related_count),
    ) = checked
    else {
        return Err(problems);
    };
    let (Some(author), Some(authors)) = (author, people) else {
        return Err(problems);
    };
    Ok(Config {
        root: root.to_path_buf(),
        title: raw.title,
        description: raw.description,
        base_url,
        language,
        author,
        authors,
        theme,
        posts_per_page,
        feed: feed(raw.feed),
        privacy,
        page_budget,
        permalink,
        redirects,
        heading_ids,
        images,
        related_count,
        comments_email,
        share,
        search: raw.search,
        extra: yaml::to_json(&serde_yaml::Value::Mapping(raw.extra)),
        text: Arc::from(source),
    })
}

/// The value of a checked section, its problem kept in `problems`.
fn keep<T>(checked: std::result::Result<T, Problem>, problems: &mut Vec<Problem>) -> Option<T> {
    checked.map_err(|p| problems.push(p)).ok()
}

/// The value of a checked section, its problems kept in `problems`.
fn keep_all<T>(
    checked: std::result::Result<T, Vec<Problem>>,
    problems: &mut Vec<Problem>,
) -> Option<T> {
    checked.map_err(|p| problems.extend(p)).ok()
}

/// `permalink`: a pattern or one of Jekyll's named styles.
fn permalink(raw: Option<&str>) -> std::result::Result<Permalink, Problem> {
    match raw {
        None => Ok(Permalink::default()),
        Some(written) => Permalink::parse(written)
            .map_err(|why| Problem::at_key("permalink", why).hint(permalink::HINT)),
    }
}

/// `redirects`: old paths on this site, each sent to a path on this site.
fn redirects(raw: Vec<RawRedirect>) -> std::result::Result<Vec<Redirect>, Vec<Problem>> {
    let mut redirects = Vec::new();
    let mut problems = Vec::new();
    for RawRedirect { from, to } in raw {
        let file = url::old_path_file(&from);
        let target = url::site_path(&to);
        match (file, target) {
            (Some(file), Some(to)) => redirects.push(Redirect { from, file, to }),
            (None, _) => problems.push(
                Problem::at_text(
                    "redirects",
                    "redirects",
                    &from,
                    format!("`{from}` is not a path on this site"),
                )
                .hint("write old URLs as paths, e.g. `from: /archive.html`"),
            ),
            (_, None) => problems.push(
                Problem::at_text(
                    "redirects",
                    "redirects",
                    &to,
                    format!("`{to}` is not a path on this site"),
                )
                .hint("redirects send readers to this site's own pages, e.g. `to: /archiv/`"),
            ),
        }
    }
    if problems.is_empty() {
        Ok(redirects)
    } else {
        Err(problems)
    }
}

/// `markdown.heading_ids`: echt, kramdown, kramdown-classic or github.
fn heading_ids(raw: Option<RawMarkdown>) -> std::result::Result<HeadingIds, Problem> {
    let Some(written) = raw.and_then(|m| m.heading_ids) else {
        return Ok(HeadingIds::default());
    };
    HEADING_IDS
        .iter()
        .find(|(name, _)| *name == written.trim())
        .map(|(_, ids)| *ids)
        .ok_or_else(|| {
            Problem::at_text(
                "markdown",
                "heading_ids",
                &written,
                format!("echt does not know the heading ids `{written}`"),
            )
            .hint("write echt, kramdown (Jekyll's default), kramdown-classic or github")
        })
}

/// `base_url`: absolute http(s); it is made to end with `/`.
fn base_url(raw: &str) -> std::result::Result<String, Problem> {
    normalize_base_url(raw).map_err(|why| {
        Problem::at_key("base_url", why)
            .hint("write the address the site will be published at, e.g. https://example.org/")
    })
}

/// `title`: not empty.
fn title(raw: &str) -> std::result::Result<(), Problem> {
    if raw.trim().is_empty() {
        Err(Problem::at_key("title", "the site title is empty"))
    } else {
        Ok(())
    }
}

/// `posts_per_page`: at least 1; 10 unless set.
fn posts_per_page(raw: Option<usize>) -> std::result::Result<usize, Problem> {
    match raw.unwrap_or(10) {
        0 => Err(
            Problem::at_key("posts_per_page", "posts_per_page must be at least 1")
                .hint("use 10 for ten posts per list page"),
        ),
        n => Ok(n),
    }
}

/// Related posts a post shows at most unless `related.count` says.
pub const DEFAULT_RELATED: usize = 3;
/// More is no longer a short list under a post.
const MAX_RELATED: usize = 20;

/// `related.count`: from 0 (none) to [`MAX_RELATED`]; [`DEFAULT_RELATED`]
/// unless set.
fn related_count(raw: Option<RawRelated>) -> std::result::Result<usize, Problem> {
    match raw.and_then(|r| r.count).unwrap_or(DEFAULT_RELATED) {
        n if n > MAX_RELATED => Err(Problem::at_text(
            "related",
            "count",
            &n.to_string(),
            format!("related.count must be at most {MAX_RELATED}"),
        )
        .hint("a few posts read best under a post; 0 turns related posts off")),
        n => Ok(n),
    }
}

/// `language`: one echt has words for; German unless set.
fn language(raw: Option<&str>) -> std::result::Result<Language, Problem> {
    match raw.map(|code| (code, Language::from_code(code))) {
        None => Ok(Language::De),
        Some((_, Some(language))) => Ok(language),
        Some((code, None)) => Err(Problem::at_key(
            "language",
            format!("unsupported language `{code}`"),
        )
        .hint("use `de` or `en`")),
    }
}

/// `theme`: the name of a folder in `themes/`; `default` unless set.
fn theme(raw: Option<String>) -> std::result::Result<String, Problem> {
    let theme = raw.unwrap_or_else(|| "default".into());
    if theme.is_empty() || theme.contains(['/', '\\']) || theme.starts_with('.') {
        Err(Problem::at_key(
            "theme",
            format!("`{theme}` is not a theme name"),
        ))
    } else {
        Ok(theme)
    }
}

/// `images`: widths between 16 and 8192 pixels, a quality from 1 to 100,
/// `sizes` as the theme's column, a pixel limit from 1 to 1000
/// megapixels; [`ImageConfig::default`] for what is not set.
fn images(raw: Option<RawImages>) -> std::result::Result<ImageConfig, Vec<Problem>> {
    let raw = raw.unwrap_or_default();
    let default = ImageConfig::default();
    let mut problems = Vec::new();
    let mut widths = raw.widths.unwrap_or(default.widths);
    for bad in widths.iter().filter(|w| !(16..=8192).contains(*w)) {
        problems.push(
            Problem::at_text(
                "images",
                "widths",
                &bad.to_string(),
                "not a width from 16 to 8192 pixels",
            )
            .hint("list the widths pictures are made in, e.g. `widths: [480, 800, 1200, 1600]`"),
        );
    }
    if widths.is_empty() {
        problems.push(
            Problem::at_text("images", "widths", "[]", "no width to make pictures in")
                .hint("list at least one width, e.g. `widths: [800]`"),
        );
    }
    widths.sort_unstable();
    widths.dedup();
    let quality = raw.quality.unwrap_or(default.quality);
    if !(1..=100).contains(&quality) {
        problems.push(
            Problem::at_text(
                "images",
                "quality",
                &quality.to_string(),
                "not a quality from 1 to 100",
            )
            .hint("80 keeps photos sharp at a fraction of their size"),
        );
    }
    let sizes = raw.sizes.map_or(default.sizes, |s| s.trim().to_string());
    if sizes.is_empty() || sizes.contains(['"', '<', '>', '&']) {
        problems.push(Problem::at_text("images", "sizes", &sizes, "not a `sizes` attribute")
            .hint("say how wide the theme shows a picture, e.g. `sizes: \"(min-width: 42rem) 38rem, 100vw\"`"));
    }
    let max_pixels = match raw.max_megapixels {
        None => default.max_pixels,
        Some(m) if (1..=1000).contains(&m) => u64::from(m) * 1_000_000,
        Some(m) => {
            problems.push(Problem::at_text(
                "images",
                "max_megapixels",
                &m.to_string(),
                "not a limit from 1 to 1000 megapixels",
            ));
            default.max_pixels
        }
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(ImageConfig {
        widths,
        sizes,
        quality,
        webp: raw.webp.unwrap_or(default.webp),
        max_pixels,
    })
}

/// `comments.email`: one plain address (`blog@example.org`), or none.
fn comments_email(raw: Option<RawComments>) -> std::result::Result<Option<String>, Problem> {
    let Some(email) = raw.and_then(|c| c.email) else {
        return Ok(None);
    };
    let email = email.trim().to_string();
    if is_plain_address(&email) {
        return Ok(Some(email));
    }
    Err(
        Problem::at_text("comments", "email", &email, "not an e-mail address")
            .hint("write one plain address, e.g. `comments: { email: blog@example.org }`"),
    )
}

/// Whether `text` is an address like `name@host.example`: no display name,
/// no spaces or characters that would need quoting, a host with a dot.
pub fn is_plain_address(text: &str) -> bool {
    let Some((local, host)) = text.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c))
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..");
    let host_ok = host.contains('.')
        && host.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        });
    local_ok && host_ok
}

/// `feed`: the 20 newest posts in full, and feeds per tag, unless set.
fn feed(raw: Option<RawFeed>) -> FeedConfig {
    let feed = raw.unwrap_or(RawFeed {
        limit: None,
        full_content: None,
        tags: None,
        authors: None,
    });
    FeedConfig {
        limit: feed.limit.unwrap_or(20),
        full_content: feed.full_content.unwrap_or(true),
        tags: feed.tags.unwrap_or(true),
        authors: feed.authors.unwrap_or(true),
    }
}

/// `privacy`: host names only, no scripts but the site's own; the privacy
/// page unless switched off.
fn privacy(
    raw: Option<RawPrivacy>,
    root: &Path,
) -> std::result::Result<PrivacyConfig, Vec<Problem>> {
    let Some(raw) = raw else {
        return Ok(PrivacyConfig {
            page: true,
            ..PrivacyConfig::default()
        });
    };
    let checked = (
        hosts("allow_hosts", &raw.allow_hosts),
        hosts("allow_redirects", &raw.allow_redirects),
        own_scripts(raw.allow_scripts.as_deref()),
        keep_metadata(root, &raw.keep_metadata),
    );
    match checked {
        (Ok(allow_hosts), Ok(allow_redirects), Ok(own_scripts), Ok(keep_metadata)) => {
            Ok(PrivacyConfig {
                allow_hosts,
                allow_redirects,
                own_scripts,
                keep_metadata,
                page: raw.page.unwrap_or(true),
            })
        }
        (hosts, redirects, scripts, kept) => Err(hosts
            .err()
            .into_iter()
            .flatten()
            .chain(redirects.err().into_iter().flatten())
            .chain(scripts.err())
            .chain(kept.err().into_iter().flatten())
            .collect()),
    }
}

/// `keep_metadata`: files below the site root published as they are,
/// with their metadata; each must exist, so that a renamed picture does
/// not leave an allowance behind that nobody sees.
fn keep_metadata(
    root: &Path,
    entries: &[String],
) -> std::result::Result<Vec<String>, Vec<Problem>> {
    let mut kept = Vec::new();
    let mut problems = Vec::new();
    for entry in entries {
        match kept_file(root, entry) {
            Ok(file) => kept.push(file),
            Err(why) => problems.push(
                Problem::at_text("privacy", "keep_metadata", entry, why).hint(
                    "name files below the site's folder, e.g. `static/karte.jpg` or `content/posts/reise/gipfel.jpg`",
                ),
            ),
        }
    }
    if problems.is_empty() {
        Ok(kept)
    } else {
        Err(problems)
    }
}

/// One entry of `keep_metadata`, checked: a relative path without `..`
/// to an existing file, `/`-separated and without `./` steps.
fn kept_file(root: &Path, entry: &str) -> std::result::Result<String, String> {
    use std::path::Component;
    let path = Path::new(entry.trim());
    let mut parts = Vec::new();
    for part in path.components() {
        match part {
            Component::Normal(name) => match name.to_str() {
                Some(name) if !name.contains('\\') => parts.push(name),
                _ => return Err(format!("keep_metadata `{entry}` is not a plain path")),
            },
            Component::CurDir => {}
            _ => {
                return Err(format!(
                    "keep_metadata `{entry}` is not a path below the site's folder"
                ))
            }
        }
    }
    let file = parts.join("/");
    if file.is_empty() {
        return Err("keep_metadata names no file".to_string());
    }
    if !root.join(&file).is_file() {
        return Err(format!(
            "keep_metadata names `{file}`, which does not exist"
        ));
    }
    Ok(file)
}

/// The entries of a list of hosts (`allow_hosts`, `allow_redirects`),
/// lower case; or a problem for each that is not a host name.
fn hosts(key: &'static str, entries: &[String]) -> std::result::Result<Vec<String>, Vec<Problem>> {
    let mut hosts = Vec::new();
    let mut problems = Vec::new();
    for entry in entries {
        match allowed_host(entry) {
            Ok(host) => hosts.push(host),
            Err(why) => problems.push(
                Problem::at_text("privacy", key, entry, why)
                    .hint("write host names only, e.g. `media.example.net` or `*.example.net`"),
            ),
        }
    }
    if problems.is_empty() {
        Ok(hosts)
    } else {
        Err(problems)
    }
}

/// `allow_scripts`: `self` allows the site's own script files; `none`
/// (the default) none.
fn own_scripts(raw: Option<&str>) -> std::result::Result<bool, Problem> {
    match raw.map(str::trim) {
        None | Some("none") => Ok(false),
        Some("self") => Ok(true),
        Some(other) => Err(Problem::at_text(
            "privacy",
            "allow_scripts",
            other,
            format!("allow_scripts `{other}` is not `self` or `none`"),
        )
        .hint(
            "echt never allows scripts from other hosts; `self` allows the site's own script files",
        )),
    }
}

/// `page_budget`: a size; [`DEFAULT_PAGE_BUDGET`] unless set.
fn page_budget(raw: Option<&serde_yaml::Value>) -> std::result::Result<u64, Problem> {
    match raw {
        None => Ok(DEFAULT_PAGE_BUDGET),
        Some(value) => parse_size(value).ok_or_else(|| {
            Problem::at_key("page_budget", "page_budget is not a size")
                .hint("write e.g. `512 KB` or `1 MB`")
        }),
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
    fn search_is_off_unless_asked_for() -> Result<()> {
        let base = "title: Blog\nbase_url: https://e.org\n";
        assert!(!parse(base)?.search);
        assert!(parse(&format!("{base}search: true\n"))?.search);
        let err = parse(&format!("{base}search: ja bitte\n"))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("echt.yaml:3:"), "{err}");
        assert!(err.contains("search"), "{err}");
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

    fn at_key(key: &'static str, message: &str, hint: Option<&'static str>) -> Problem {
        Problem {
            at: Place::Key(key),
            message: message.into(),
            hint,
        }
    }

    #[test]
    fn base_url_is_absolute_and_ends_with_a_slash() {
        assert_eq!(
            base_url("https://example.org/blog").as_deref(),
            Ok("https://example.org/blog/")
        );
        assert_eq!(
            base_url("  http://example.org/  ").as_deref(),
            Ok("http://example.org/")
        );
        let hint =
            Some("write the address the site will be published at, e.g. https://example.org/");
        assert_eq!(
            base_url("/blog/"),
            Err(at_key(
                "base_url",
                "base_url `/blog/` must start with https:// or http://",
                hint
            ))
        );
        for invalid in [
            "https://",
            "https:///blog/",
            "https://e.org/?p=1",
            "https://e.org/#a",
            "https://e .org/",
        ] {
            assert_eq!(
                base_url(invalid),
                Err(at_key(
                    "base_url",
                    &format!("base_url `{invalid}` is not a valid site address"),
                    hint
                )),
                "{invalid}"
            );
        }
    }

    #[test]
    fn related_count_is_checked_and_defaults_to_three() -> Result<()> {
        let base = "title: T\nbase_url: https://example.org/\n";
        assert_eq!(parse(base)?.related_count, DEFAULT_RELATED);
        assert_eq!(
            parse(&format!("{base}related:\n  count: 0\n"))?.related_count,
            0
        );
        assert_eq!(parse(&format!("{base}related: {{}}\n"))?.related_count, 3);
        assert_eq!(
            parse(&format!("{base}related:\n  count: 5\n"))?.related_count,
            5
        );
        for (section, message, at) in [
            (
                "related:\n  count: 21\n",
                "related.count must be at most 20",
                "echt.yaml:4:10",
            ),
            ("related:\n  count: -1\n", "related.count", "echt.yaml:4:"),
            ("related:\n  count: drei\n", "related.count", "echt.yaml:4:"),
            (
                "related:\n  number: 3\n",
                "unknown field `number`, expected `count`",
                "echt.yaml:4:",
            ),
        ] {
            let Err(err) = parse(&format!("{base}{section}")) else {
                panic!("{section} was taken");
            };
            let shown = err.to_string();
            assert!(shown.contains(message), "{section}: {shown}");
            assert!(shown.contains(at), "{section}: {shown}");
        }
        Ok(())
    }

    #[test]
    fn images_are_checked_and_default_to_the_theme_column() -> Result<()> {
        let base = "title: T\nbase_url: https://example.org/\n";
        assert_eq!(parse(base)?.images, ImageConfig::default());
        let config = parse(&format!(
            "{base}images:\n  widths: [1200, 400, 400]\n  quality: 70\n  webp: false\n  max_megapixels: 50\n  sizes: 30rem\n"
        ))?;
        assert_eq!(config.images.widths, [400, 1200]);
        assert_eq!(
            (
                config.images.quality,
                config.images.webp,
                config.images.max_pixels
            ),
            (70, false, 50_000_000)
        );
        assert_eq!(config.images.sizes, "30rem");
        let Err(err) = parse(&format!(
            "{base}images:\n  widths: [8, 800]\n  quality: 0\n  sizes: '\"><x'\n  max_megapixels: 5000\n"
        )) else {
            panic!("bad image settings were taken");
        };
        let shown = err.to_string();
        for (message, line) in [
            ("not a width from 16 to 8192 pixels", ":4:"),
            ("not a quality from 1 to 100", ":5:"),
            ("not a `sizes` attribute", ":6:"),
            ("not a limit from 1 to 1000 megapixels", ":7:"),
        ] {
            let at = shown
                .find(message)
                .unwrap_or_else(|| panic!("{message}: {shown}"));
            let next = &shown[at..];
            let location = &next[next.find("-->").unwrap_or(0)..];
            assert!(
                location.starts_with(&format!("--> echt.yaml{line}")),
                "{message} not at {line}: {shown}"
            );
        }
        Ok(())
    }

    #[test]
    fn comments_email_is_one_plain_address() -> Result<()> {
        let base = "title: T\nbase_url: https://example.org/\n";
        assert_eq!(parse(base)?.comments_email, None);
        let config = parse(&format!("{base}comments: {{ email: blog@example.org }}\n"))?;
        assert_eq!(config.comments_email.as_deref(), Some("blog@example.org"));
        for bad in [
            "blog",
            "Blog <blog@example.org>",
            "a b@example.org",
            "a@localhost",
            "a@@b.org",
            "@b.org",
        ] {
            let Err(err) = parse(&format!("{base}comments:\n  email: \"{bad}\"\n")) else {
                panic!("{bad} was taken");
            };
            let shown = err.to_string();
            assert!(shown.contains("not an e-mail address"), "{bad}: {shown}");
            assert!(shown.contains(":4:"), "{bad}: {shown}");
        }
        Ok(())
    }

    #[test]
    fn title_is_not_empty() {
        assert_eq!(title("Lena schreibt"), Ok(()));
        for empty in ["", "   "] {
            assert_eq!(
                title(empty),
                Err(at_key("title", "the site title is empty", None))
            );
        }
    }

    #[test]
    fn posts_per_page_is_at_least_one() {
        assert_eq!(posts_per_page(None), Ok(10));
        assert_eq!(posts_per_page(Some(5)), Ok(5));
        assert_eq!(
            posts_per_page(Some(0)),
            Err(at_key(
                "posts_per_page",
                "posts_per_page must be at least 1",
                Some("use 10 for ten posts per list page")
            ))
        );
    }

    #[test]
    fn language_is_one_echt_speaks() {
        assert_eq!(language(None), Ok(Language::De));
        assert_eq!(language(Some("de")), Ok(Language::De));
        assert_eq!(language(Some("en")), Ok(Language::En));
        assert_eq!(
            language(Some("fr")),
            Err(at_key(
                "language",
                "unsupported language `fr`",
                Some("use `de` or `en`")
            ))
        );
    }

    #[test]
    fn theme_is_a_folder_name() {
        assert_eq!(theme(None).as_deref(), Ok("default"));
        assert_eq!(
            theme(Some("mein-thema".into())).as_deref(),
            Ok("mein-thema")
        );
        for bad in ["", "../x", "a/b", "a\\b", ".versteckt"] {
            assert_eq!(
                theme(Some(bad.into())),
                Err(at_key(
                    "theme",
                    &format!("`{bad}` is not a theme name"),
                    None
                )),
                "{bad}"
            );
        }
    }

    #[test]
    fn author_and_feed_defaults() -> std::result::Result<(), Vec<Problem>> {
        let a = authors::site_author(None, "Lena schreibt", Path::new("/site"))?;
        assert_eq!(
            (a.name.as_str(), a.email, a.url),
            ("Lena schreibt", None, None)
        );
        let a = authors::site_author(
            Some(RawAuthor {
                name: "Lena Vogt".into(),
                email: Some("lena@example.org".into()),
                url: None,
                bio: None,
                photo: None,
            }),
            "Lena schreibt",
            Path::new("/site"),
        )?;
        assert_eq!(
            (a.name.as_str(), a.email.as_deref()),
            ("Lena Vogt", Some("lena@example.org"))
        );
        let f = feed(None);
        assert_eq!((f.limit, f.full_content, f.tags), (20, true, true));
        let f = feed(Some(RawFeed {
            limit: Some(0),
            full_content: Some(false),
            tags: None,
            authors: Some(false),
        }));
        assert_eq!(
            (f.limit, f.full_content, f.tags, f.authors),
            (0, false, true, false)
        );
        Ok(())
    }

    #[test]
    fn privacy_allows_hosts_and_own_scripts_only() {
        assert_eq!(
            privacy(None, Path::new(".")),
            Ok(PrivacyConfig {
                page: true,
                ..PrivacyConfig::default()
            })
        );
        let raw = |hosts: &[&str], redirects: &[&str], scripts: Option<&str>| {
            Some(RawPrivacy {
                allow_hosts: hosts.iter().map(|h| h.to_string()).collect(),
                allow_redirects: redirects.iter().map(|h| h.to_string()).collect(),
                allow_scripts: scripts.map(str::to_string),
                keep_metadata: Vec::new(),
                page: Some(false),
            })
        };
        assert_eq!(
            privacy(
                raw(
                    &[" Media.Example.net ", "*.cdn.example"],
                    &["mastodon.social"],
                    Some(" self ")
                ),
                Path::new(".")
            ),
            Ok(PrivacyConfig {
                allow_hosts: vec!["media.example.net".into(), "*.cdn.example".into()],
                allow_redirects: vec!["mastodon.social".into()],
                own_scripts: true,
                keep_metadata: Vec::new(),
                page: false,
            })
        );
        assert_eq!(own_scripts(None), Ok(false));
        assert_eq!(own_scripts(Some("none")), Ok(false));
        // Every problem of the section, in order.
        let host_hint = Some("write host names only, e.g. `media.example.net` or `*.example.net`");
        let problems = privacy(
            raw(&["https://x.org/", "ok.org", "*."], &["a..b"], Some("all")),
            Path::new("."),
        );
        assert_eq!(
            problems,
            Err(vec![
                Problem {
                    at: Place::Text { section: "privacy", key: "allow_hosts", text: "https://x.org/".into() },
                    message: "`https://x.org/` is not a host name".into(),
                    hint: host_hint,
                },
                Problem {
                    at: Place::Text { section: "privacy", key: "allow_hosts", text: "*.".into() },
                    message: "`*.` is not a host name".into(),
                    hint: host_hint,
                },
                Problem {
                    at: Place::Text { section: "privacy", key: "allow_redirects", text: "a..b".into() },
                    message: "`a..b` is not a host name".into(),
                    hint: host_hint,
                },
                Problem {
                    at: Place::Text { section: "privacy", key: "allow_scripts", text: "all".into() },
                    message: "allow_scripts `all` is not `self` or `none`".into(),
                    hint: Some("echt never allows scripts from other hosts; `self` allows the site's own script files"),
                },
            ])
        );
    }

    #[test]
    fn kept_metadata_names_existing_files_below_the_root() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let root = dir.path();
        std::fs::create_dir_all(root.join("static/fotos")).expect("a folder");
        std::fs::write(root.join("static/fotos/karte.jpg"), b"x").expect("a file");
        let entries = |list: &[&str]| list.iter().map(|e| e.to_string()).collect::<Vec<_>>();
        assert_eq!(
            keep_metadata(
                root,
                &entries(&["static/fotos/karte.jpg", "./static//fotos/karte.jpg"])
            ),
            Ok(vec![
                "static/fotos/karte.jpg".to_string(),
                "static/fotos/karte.jpg".to_string()
            ])
        );
        let hint = "name files below the site's folder, e.g. `static/karte.jpg` or `content/posts/reise/gipfel.jpg`";
        let problem = |text: &str, message: &str| Problem {
            at: Place::Text {
                section: "privacy",
                key: "keep_metadata",
                text: text.into(),
            },
            message: message.into(),
            hint: Some(hint),
        };
        assert_eq!(
            keep_metadata(
                root,
                &entries(&[
                    "static/fehlt.jpg",
                    "../karte.jpg",
                    "/etc/passwd",
                    "static/fotos",
                    ""
                ])
            ),
            Err(vec![
                problem(
                    "static/fehlt.jpg",
                    "keep_metadata names `static/fehlt.jpg`, which does not exist"
                ),
                problem(
                    "../karte.jpg",
                    "keep_metadata `../karte.jpg` is not a path below the site's folder"
                ),
                problem(
                    "/etc/passwd",
                    "keep_metadata `/etc/passwd` is not a path below the site's folder"
                ),
                problem(
                    "static/fotos",
                    "keep_metadata names `static/fotos`, which does not exist"
                ),
                problem("", "keep_metadata names no file"),
            ])
        );
        let config = PrivacyConfig {
            keep_metadata: vec!["static/fotos/karte.jpg".into()],
            ..PrivacyConfig::default()
        };
        assert!(config.keeps_metadata(Path::new("static/fotos/karte.jpg")));
        assert!(!config.keeps_metadata(Path::new("static/fotos")));
    }

    #[test]
    fn page_budget_is_a_size() {
        let size = |yaml: &str| page_budget(Some(&serde_yaml::from_str(yaml).expect("YAML")));
        assert_eq!(page_budget(None), Ok(512 * 1024));
        assert_eq!(size("100"), Ok(100 * 1024));
        assert_eq!(size("512 KB"), Ok(512 * 1024));
        assert_eq!(size("800kb"), Ok(800 * 1024));
        assert_eq!(size("1.5 MB"), Ok(1536 * 1024));
        assert_eq!(size("2000 b"), Ok(2000));
        for bad in ["viel", "0", "0 KB", "-1", "1 GB", "[1]"] {
            assert_eq!(
                size(bad),
                Err(at_key(
                    "page_budget",
                    "page_budget is not a size",
                    Some("write e.g. `512 KB` or `1 MB`")
                )),
                "{bad}"
            );
        }
    }

    #[test]
    fn problems_are_shown_where_they_are_written() {
        let source = "title: B\nbase_url: https://e.org\nprivacy:\n  allow_hosts: [a.org, 'b/c']\n";
        let file = Path::new(CONFIG_FILE);
        let shown = |p: Problem| {
            let d = p.locate(file, source);
            (d.line, d.column, d.width, d.hint)
        };
        assert_eq!(
            shown(Problem::at_text("privacy", "allow_hosts", "b/c", "m").hint("h")),
            (4, 25, 3, Some("h".to_string()))
        );
        // Not found after its key: shown at `privacy`.
        assert_eq!(
            shown(Problem::at_text("privacy", "allow_redirects", "x", "m")).0,
            3
        );
        assert_eq!(
            shown(Problem::at_text("privacy", "allow_hosts", "", "m")).0,
            3
        );
        assert_eq!(shown(Problem::at_key("base_url", "m")).0, 2);
    }

    #[test]
    fn every_section_is_checked_before_giving_up() {
        let err = parse("title: ' '\nbase_url: e.org\nposts_per_page: 0\nlanguage: fr\ntheme: ../x\nprivacy:\n  allow_hosts: ['x/']\npage_budget: viel\n")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("error: ")).collect();
        assert_eq!(
            lines,
            [
                "error: base_url `e.org` must start with https:// or http://",
                "error: the site title is empty",
                "error: posts_per_page must be at least 1",
                "error: unsupported language `fr`",
                "error: `../x` is not a theme name",
                "error: `x/` is not a host name",
                "error: page_budget is not a size",
            ]
        );
    }
}
