//! Feeds and machine-readable files: Atom 1.0, RSS 2.0, JSON Feed 1.1,
//! sitemap, robots.txt.
//!
//! Written directly rather than through templates: their formats are fixed,
//! and getting escaping and dates right once here beats every theme getting
//! them right. Feeds carry the full text (readers deserve it) with absolute
//! URLs, for the whole site and for every tag. The JSON feed is serialised
//! by serde_json from typed structs, never pieced together as text.
//!
//! A [`Feed`] holds everything its three files are made of, and the files
//! are written from it alone, so its hash is their fingerprint (see
//! `plan`). This module only makes strings: `render` audits and writes
//! them like every other output file.

use std::fmt::Write as _;
use std::sync::OnceLock;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use serde_json::value::RawValue;

use crate::audit::{self, Policy};
use crate::site::{Document, Site};
use crate::source::config::Config;
use crate::util::error::Origin;
use crate::util::escape::xml;
use crate::util::url;

use super::{Date, HashedAs};

/// The formats every feed is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Atom,
    Rss,
    /// JSON Feed 1.1 (<https://jsonfeed.org/version/1.1>).
    Json,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Atom, Format::Rss, Format::Json];

    /// The file name, next to the page the feed belongs to.
    pub fn file_name(self) -> &'static str {
        match self {
            Format::Atom => "atom.xml",
            Format::Rss => "rss.xml",
            Format::Json => "feed.json",
        }
    }
}

/// The `version` of every JSON feed echt writes.
pub const JSON_FEED_VERSION: &str = "https://jsonfeed.org/version/1.1";

/// One feed of the site: all posts, or one tag's; everything its Atom,
/// RSS and JSON files say.
#[derive(Debug, Hash)]
pub struct Feed<'a> {
    /// The path of the page the feed belongs to: `` or `tags/x/`.
    pub base: String,
    title: String,
    channel: Channel<'a>,
    /// The newest date of all its posts, also those beyond the limit.
    updated: Option<Date>,
    /// The posts it carries, newest first.
    entries: Vec<Entry<'a>>,
}

/// What every feed of a site says about the site.
#[derive(Debug, Hash)]
struct Channel<'a> {
    base_url: &'a str,
    language: &'static str,
    site_title: &'a str,
    description: &'a str,
    /// Who writes the feed's posts: the site's author, or the person a
    /// feed of one author's posts is about.
    author: Byline<'a>,
    /// The site's author's e-mail address: RSS wants an address for
    /// every item.
    site_email: Option<&'a str>,
}

/// A person as feeds name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Byline<'a> {
    name: &'a str,
    email: Option<&'a str>,
    url: Option<&'a str>,
}

/// One post in a feed.
#[derive(Debug, Hash)]
struct Entry<'a> {
    title: &'a str,
    /// Below the site root: `posts/a/`.
    path: &'a str,
    published: Option<Date>,
    /// The later of `updated` and `date`.
    updated: Option<Date>,
    /// The post's own authors, unless it is just the feed's.
    authors: Vec<Byline<'a>>,
    /// The front matter `image`, as resolved (internal or absolute).
    image: Option<&'a str>,
    tags: Vec<&'a str>,
    /// The post (by index) whose summary and text the entry carries: made
    /// from its text alone, so they hash as its fingerprint.
    text: HashedAs<usize>,
}

impl Feed<'_> {
    /// The files it is written to.
    pub fn file(&self, format: Format) -> String {
        format!("{}{}", self.base, format.file_name())
    }

    /// The feed's text in `format`.
    pub fn render(&self, format: Format, bodies: &Bodies<'_>) -> String {
        match format {
            Format::Atom => self.atom(bodies),
            Format::Rss => self.rss(bodies),
            Format::Json => self.json(bodies),
        }
    }

    /// The sources of its entries, looked at only to locate what the
    /// audit found.
    pub fn origins(&self, site: &Site) -> Vec<Origin> {
        self.entries
            .iter()
            .map(|e| site.posts[e.text.value].origin())
            .chain([site.config.origin()])
            .collect()
    }

    /// An Atom 1.0 feed.
    fn atom(&self, bodies: &Bodies<'_>) -> String {
        let c = &self.channel;
        let site_url = url::absolute(c.base_url, &self.base);
        let mut x = String::with_capacity(4096);
        let _ = write!(
            x,
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">\n<title>{title}</title>\n",
            lang = c.language,
            title = xml(&self.title),
        );
        if !c.description.is_empty() {
            let _ = writeln!(x, "<subtitle>{}</subtitle>", xml(c.description));
        }
        let _ = write!(
            x,
            "<link href=\"{self_url}atom.xml\" rel=\"self\" type=\"application/atom+xml\"/>\n<link href=\"{site_url}\" rel=\"alternate\" type=\"text/html\"/>\n<id>{site_url}</id>\n<updated>{updated}</updated>\n<author>\n<name>{name}</name>\n",
            self_url = xml(&site_url),
            site_url = xml(&site_url),
            updated = rfc3339(self.updated),
            name = xml(c.author.name),
        );
        if let Some(email) = c.author.email {
            let _ = writeln!(x, "<email>{}</email>", xml(email));
        }
        if let Some(uri) = c.author.url {
            let _ = writeln!(x, "<uri>{}</uri>", xml(uri));
        }
        x.push_str("</author>\n<generator>echt</generator>\n");
        for entry in &self.entries {
            let Made {
                summary_xml: summary,
                body_xml: body,
                ..
            } = bodies.of(entry.text.value);
            let link = url::absolute(c.base_url, entry.path);
            let _ = write!(
                x,
                "<entry>\n<title>{title}</title>\n<link href=\"{link}\" rel=\"alternate\" type=\"text/html\"/>\n<id>{link}</id>\n<published>{published}</published>\n<updated>{updated}</updated>\n",
                title = xml(entry.title),
                link = xml(&link),
                published = rfc3339(entry.published),
                updated = rfc3339(entry.updated),
            );
            for author in &entry.authors {
                let _ = write!(x, "<author><name>{}</name>", xml(author.name));
                if let Some(uri) = author.url {
                    let _ = write!(x, "<uri>{}</uri>", xml(uri));
                }
                x.push_str("</author>\n");
            }
            for tag in &entry.tags {
                let _ = writeln!(x, "<category term=\"{}\"/>", xml(tag));
            }
            let _ = write!(
                x,
                "<summary type=\"html\">{summary}</summary>\n<content type=\"html\" xml:base=\"{link}\">{content}</content>\n</entry>\n",
                link = xml(&link),
                summary = summary,
                content = body,
            );
        }
        x.push_str("</feed>\n");
        x
    }

    /// An RSS 2.0 feed, with the full text in `description`.
    fn rss(&self, bodies: &Bodies<'_>) -> String {
        let c = &self.channel;
        let site_url = url::absolute(c.base_url, &self.base);
        let mut x = String::with_capacity(4096);
        let _ = write!(
            x,
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n<title>{title}</title>\n<link>{link}</link>\n<description>{description}</description>\n<language>{lang}</language>\n<generator>echt</generator>\n<atom:link href=\"{link}rss.xml\" rel=\"self\" type=\"application/rss+xml\"/>\n",
            title = xml(&self.title),
            link = xml(&site_url),
            description = xml(if c.description.is_empty() { c.site_title } else { c.description }),
            lang = c.language,
        );
        if let Some(last) = self.updated {
            let _ = writeln!(x, "<lastBuildDate>{}</lastBuildDate>", last.0.to_rfc2822());
        }
        for entry in &self.entries {
            let link = url::absolute(c.base_url, entry.path);
            let _ = write!(
                x,
                "<item>\n<title>{title}</title>\n<link>{link}</link>\n<guid isPermaLink=\"true\">{link}</guid>\n",
                title = xml(entry.title),
                link = xml(&link),
            );
            if let Some(date) = entry.published {
                let _ = writeln!(x, "<pubDate>{}</pubDate>", date.0.to_rfc2822());
            }
            // RSS has one author per item, an address: the first
            // author's, or the site's, with every name.
            let first = entry.authors.first().unwrap_or(&c.author);
            if let Some(email) = first.email.or(c.site_email) {
                let names: Vec<&str> = match entry.authors.as_slice() {
                    [] => vec![c.author.name],
                    authors => authors.iter().map(|a| a.name).collect(),
                };
                let _ = writeln!(
                    x,
                    "<author>{} ({})</author>",
                    xml(email),
                    xml(&names.join(", "))
                );
            }
            for tag in &entry.tags {
                let _ = writeln!(x, "<category>{}</category>", xml(tag));
            }
            let _ = write!(
                x,
                "<description>{}</description>\n</item>\n",
                bodies.of(entry.text.value).body_xml
            );
        }
        x.push_str("</channel>\n</rss>\n");
        x
    }
}

/// A JSON feed as serde_json writes it: the fields of JSON Feed 1.1 that
/// echt fills, in the specification's order. Optional fields that are
/// empty are left out, as the specification asks.
#[derive(Serialize)]
struct JsonFeed<'a> {
    version: &'static str,
    title: &'a str,
    home_page_url: String,
    feed_url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    authors: [JsonAuthor<'a>; 1],
    language: &'a str,
    items: Vec<JsonItem<'a>>,
}

/// An author: a name and an address, never an e-mail address (a JSON feed
/// has no field for one, and `url` is shown to every reader).
#[derive(Serialize)]
struct JsonAuthor<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonItem<'a> {
    id: String,
    url: String,
    title: &'a str,
    content_html: &'a RawValue,
    summary: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_modified: Option<String>,
    /// Only a post's own authors: the feed's `authors` stand for the rest.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    authors: Vec<JsonAuthor<'a>>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    tags: &'a [&'a str],
}

impl Feed<'_> {
    /// A JSON Feed 1.1.
    fn json(&self, bodies: &Bodies<'_>) -> String {
        let c = &self.channel;
        let items = self
            .entries
            .iter()
            .map(|entry| {
                let link = url::absolute(c.base_url, entry.path);
                JsonItem {
                    id: link.clone(),
                    url: link,
                    title: entry.title,
                    content_html: &bodies.of(entry.text.value).body_json,
                    summary: bodies.summary_text(entry.text.value),
                    image: entry.image.map(|image| absolute_url(c.base_url, image)),
                    date_published: entry.published.map(|d| d.0.to_rfc3339()),
                    date_modified: entry.updated.map(|d| d.0.to_rfc3339()),
                    authors: entry
                        .authors
                        .iter()
                        .map(|a| JsonAuthor {
                            name: a.name,
                            url: a.url,
                        })
                        .collect(),
                    tags: &entry.tags,
                }
            })
            .collect();
        let feed = JsonFeed {
            version: JSON_FEED_VERSION,
            title: &self.title,
            home_page_url: url::absolute(c.base_url, &self.base),
            feed_url: url::absolute(c.base_url, &self.file(Format::Json)),
            description: (!c.description.is_empty()).then_some(c.description),
            authors: [JsonAuthor {
                name: c.author.name,
                url: c.author.url,
            }],
            language: c.language,
            items,
        };
        // Structs of strings always serialise; were it to fail, the empty
        // text is no JSON, and the audit refuses it.
        let mut text = serde_json::to_string_pretty(&feed).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// A URL as a feed needs it: one of the site (written with the root
/// marker) made absolute, any other kept as it is.
fn absolute_url(base_url: &str, written: &str) -> String {
    match written.strip_prefix(url::ROOT) {
        Some(path) => url::absolute(base_url, path),
        None => written.to_string(),
    }
}

/// The site's feed and, if enabled, one per tag and one per author who
/// has them (see `site::authors`).
pub fn feeds(site: &Site) -> Vec<Feed<'_>> {
    let config = &site.config;
    let all: Vec<usize> = (0..site.posts.len()).collect();
    let main = site.authors.iter().position(|p| p.main);
    let mut feeds = vec![feed(site, String::new(), config.title.clone(), &all, main)];
    if config.feed.tags {
        for tag in &site.tags {
            feeds.push(feed(
                site,
                tag.path(),
                format!("{} – {}", config.title, tag.name),
                &tag.posts,
                main,
            ));
        }
    }
    for (i, person) in site.authors.iter().enumerate() {
        if person.feeds {
            feeds.push(feed(
                site,
                person.path(config.language),
                format!("{} – {}", config.title, person.name),
                &person.posts,
                Some(i),
            ));
        }
    }
    feeds
}

/// How feeds name the person at `i` of the site's authors (the site's
/// author from echt.yaml when there is none).
fn byline(site: &Site, i: Option<usize>) -> Byline<'_> {
    let site_author = &site.config.author;
    match i.and_then(|i| site.authors.get(i)) {
        Some(person) => Byline {
            name: &person.name,
            email: person.email.as_deref(),
            url: person.url.as_deref(),
        },
        None => Byline {
            name: &site_author.name,
            email: site_author.email.as_deref(),
            url: site_author.url.as_deref(),
        },
    }
}

/// The feed of `posts` (indices, newest first) for the page at `base`,
/// whose posts are by `author` (an index into the site's authors) unless
/// they say otherwise.
fn feed<'a>(
    site: &'a Site,
    base: String,
    title: String,
    posts: &[usize],
    author: Option<usize>,
) -> Feed<'a> {
    let config = &site.config;
    let limit = match config.feed.limit {
        0 => usize::MAX,
        n => n,
    };
    let tag_names = |post: &Document| -> Vec<&str> {
        post.tags
            .iter()
            .map(|&t| site.tags[t].name.as_str())
            .collect()
    };
    Feed {
        base,
        title,
        channel: Channel {
            base_url: &config.base_url,
            language: config.language.code(),
            site_title: &config.title,
            description: &config.description,
            author: byline(site, author),
            site_email: config.author.email.as_deref(),
        },
        updated: posts
            .iter()
            .filter_map(|&i| site.posts[i].last_modified())
            .max()
            .map(Date),
        entries: posts
            .iter()
            .take(limit)
            .map(|&i| {
                let post = &site.posts[i];
                Entry {
                    title: &post.front.title,
                    path: &post.path,
                    published: post.date.map(Date),
                    updated: post.last_modified().map(Date),
                    authors: if author.is_some_and(|a| post.authors == [a]) {
                        Vec::new()
                    } else {
                        post.authors
                            .iter()
                            .map(|&a| byline(site, Some(a)))
                            .collect()
                    },
                    // The file the post's page shows without `srcset`.
                    image: post.image.as_ref().map(|image| {
                        image
                            .picture
                            .as_ref()
                            .map_or(image.url.as_str(), |p| p.src.as_str())
                    }),
                    tags: tag_names(post),
                    text: HashedAs::new(i, post.fingerprint),
                }
            })
            .collect(),
    }
}

/// Each post's HTML as feeds carry it (absolute URLs, links cleaned like
/// the site's pages), made once however many feeds show the post.
#[derive(Debug)]
pub struct Bodies<'a> {
    site: &'a Site,
    policy: &'a Policy,
    /// By index into the site's posts.
    made: Vec<OnceLock<Made>>,
}

/// One post's text as every feed format writes it, escaped once: a post
/// is in several feeds.
#[derive(Debug)]
struct Made {
    /// The summary, escaped for XML.
    summary_xml: String,
    /// The body (full text or summary, as configured), escaped for XML.
    body_xml: String,
    /// The body as a JSON string, for `content_html`.
    body_json: Box<RawValue>,
}

impl<'a> Bodies<'a> {
    pub fn new(site: &'a Site, policy: &'a Policy) -> Self {
        Bodies {
            site,
            policy,
            made: site.posts.iter().map(|_| OnceLock::new()).collect(),
        }
    }

    /// A post's summary as plain text: its `description`, or the start of
    /// its summary.
    fn summary_text(&self, post: usize) -> &'a str {
        let doc = &self.site.posts[post];
        doc.front
            .description
            .as_deref()
            .unwrap_or(&doc.rendered.summary_text)
    }

    fn of(&self, post: usize) -> &Made {
        self.made[post].get_or_init(|| {
            let config = &self.site.config;
            let rendered = &self.site.posts[post].rendered;
            let absolute = |html: &str| {
                audit::clean_fragment(self.policy, &url::finish(html, &config.base_url))
            };
            let summary = absolute(&rendered.summary);
            let body = if config.feed.full_content {
                absolute(&rendered.html)
            } else {
                summary.clone()
            };
            let summary_xml = xml(&summary);
            let body_xml = if config.feed.full_content {
                xml(&body)
            } else {
                summary_xml.clone()
            };
            Made {
                summary_xml,
                body_xml,
                body_json: json_string(&body),
            }
        })
    }
}

/// `text` as a JSON string. Serialising a string cannot fail; were it to,
/// the `null` written instead is refused by the audit, which wants text.
fn json_string(text: &str) -> Box<RawValue> {
    serde_json::value::to_raw_value(text).unwrap_or_default()
}

fn rfc3339(date: Option<Date>) -> String {
    date.map_or_else(
        || "1970-01-01T00:00:00+00:00".to_string(),
        |d| d.0.to_rfc3339(),
    )
}

/// The sitemap of the pages at `pages` (paths below the site root, in
/// order, with the date each last changed, if it has one).
pub fn sitemap<'p>(
    config: &Config,
    pages: impl Iterator<Item = (&'p str, Option<DateTime<FixedOffset>>)>,
) -> String {
    let base = &config.base_url;
    let mut x = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (path, lastmod) in pages {
        let _ = write!(x, "<url><loc>{}</loc>", xml(&url::absolute(base, path)));
        if let Some(d) = lastmod {
            let _ = write!(x, "<lastmod>{}</lastmod>", d.to_rfc3339());
        }
        x.push_str("</url>\n");
    }
    x.push_str("</urlset>\n");
    x
}

pub fn robots(config: &Config) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n",
        config.base_url
    )
}

/// Where the comments feed of `post` goes, if it can have comments (a
/// bundle): beside its page, `posts/a/comments.xml` for a folder,
/// `posts/a.comments.xml` for `posts/a.html`.
pub fn comments_file(post: &Document) -> Option<String> {
    post.source.bundle.as_ref()?;
    let path = &post.path;
    Some(if path.is_empty() || path.ends_with('/') {
        format!("{path}comments.xml")
    } else {
        let stem = path.strip_suffix(".html").unwrap_or(path);
        format!("{stem}.comments.xml")
    })
}

/// The Atom feed of the comments under `post`, newest first.
pub fn comments_atom(config: &Config, post: &Document, file: &str) -> String {
    let page = url::absolute(&config.base_url, &post.path);
    let mut comments = Vec::new();
    let mut stack: Vec<&crate::site::comments::Node> = post.comments.roots.iter().collect();
    while let Some(node) = stack.pop() {
        comments.push(node);
        stack.extend(&node.replies);
    }
    comments.sort_by(|a, b| (b.comment.date, &b.comment.id).cmp(&(a.comment.date, &a.comment.id)));
    let updated = comments
        .first()
        .map(|n| n.comment.date)
        .or(post.date)
        .map(Date);
    let mut x = String::with_capacity(1024 + 1024 * comments.len());
    let _ = write!(
        x,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">\n<title>{title}</title>\n<link href=\"{self_url}\" rel=\"self\" type=\"application/atom+xml\"/>\n<link href=\"{page}\" rel=\"alternate\" type=\"text/html\"/>\n<id>{page}#comments</id>\n<updated>{updated}</updated>\n<author>\n<name>{name}</name>\n</author>\n<generator>echt</generator>\n",
        lang = post.language.code(),
        title = xml(&format!("{} – {}", post.front.title, crate::util::i18n::strings(post.language).comments)),
        self_url = xml(&url::absolute(&config.base_url, file)),
        page = xml(&page),
        updated = rfc3339(updated),
        name = xml(&config.author.name),
    );
    for node in comments {
        let c = &node.comment;
        let link = format!("{page}#comment-{}", c.id);
        let _ = write!(
            x,
            "<entry>\n<title>{title}</title>\n<link href=\"{link}\" rel=\"alternate\" type=\"text/html\"/>\n<id>{link}</id>\n<published>{date}</published>\n<updated>{date}</updated>\n<author><name>{author}</name>",
            title = xml(&c.author),
            link = xml(&link),
            date = c.date.to_rfc3339(),
            author = xml(&c.author),
        );
        if let Some(uri) = &c.url {
            let _ = write!(x, "<uri>{}</uri>", xml(uri));
        }
        let _ = write!(
            x,
            "</author>\n<content type=\"html\">{}</content>\n</entry>\n",
            xml(&node.html)
        );
    }
    x.push_str("</feed>\n");
    x
}

#[cfg(test)]
mod tests {
    use quick_xml::events::Event;

    use super::*;
    use crate::render::fixture::{self, config, post};
    use crate::util::fingerprint::fingerprint;

    /// Two posts with markup in their titles, dates at two offsets, one
    /// updated, one with an author of its own and a link to the other.
    fn two_posts() -> fixture::Fixture {
        fixture::load(&[
            ("echt.yaml", &config("")),
            (
                "content/posts/a.md",
                &post(
                    "title: \"Tom & Jerry <3\"\ndate: 2024-03-01T10:00:00+01:00\ntags: [Eins]",
                    "Ein *Absatz* mit \"Zitat\".",
                ),
            ),
            (
                "content/posts/b.md",
                &post(
                    "title: B\ndate: 2024-04-01T08:30:00-04:00\nupdated: 2024-04-02T12:00:00+02:00\nauthor:\n  name: Max\ntags: [Eins, Zwei]",
                    "Siehe [A](a.md).",
                ),
            ),
        ])
    }

    /// The names of the elements of `text`, in order; panics if it is not
    /// well-formed XML.
    fn elements(text: &str) -> Vec<String> {
        let mut reader = quick_xml::Reader::from_str(text);
        reader.config_mut().check_end_names = true;
        let mut names = Vec::new();
        loop {
            match reader.read_event() {
                Ok(Event::Start(e) | Event::Empty(e)) => {
                    names.push(String::from_utf8_lossy(e.name().as_ref()).into_owned());
                }
                Ok(Event::Eof) => return names,
                Ok(_) => {}
                Err(e) => panic!(
                    "not well-formed at {}: {e}\n{text}",
                    reader.error_position()
                ),
            }
        }
    }

    fn rendered(f: &fixture::Fixture, format: Format) -> String {
        let policy = Policy::new(&f.site.config);
        let bodies = Bodies::new(&f.site, &policy);
        feeds(&f.site)[0].render(format, &bodies)
    }

    #[test]
    fn atom_of_two_posts() {
        let f = two_posts();
        let atom = rendered(&f, Format::Atom);
        let names = elements(&atom);
        assert_eq!(names[0], "feed");
        assert_eq!(names.iter().filter(|n| *n == "entry").count(), 2);
        for expected in [
            "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"de\">",
            "<title>Testblog</title>",
            "<subtitle>Über &lt;Dinge&gt; &amp; mehr</subtitle>",
            "<link href=\"https://example.org/blog/atom.xml\" rel=\"self\" type=\"application/atom+xml\"/>",
            // The newest date of all posts, at its own offset.
            "<id>https://example.org/blog/</id>\n<updated>2024-04-02T12:00:00+02:00</updated>",
            "<author>\n<name>Erika</name>\n<email>erika@example.org</email>\n<uri>https://example.org/erika/</uri>\n</author>",
            "<title>Tom &amp; Jerry &lt;3</title>",
            "<published>2024-03-01T10:00:00+01:00</published>\n<updated>2024-03-01T10:00:00+01:00</updated>",
            "<published>2024-04-01T08:30:00-04:00</published>\n<updated>2024-04-02T12:00:00+02:00</updated>",
            "<author><name>Max</name></author>",
            "<category term=\"Eins\"/>\n<category term=\"Zwei\"/>",
            // HTML as text, with links made absolute.
            "&lt;em&gt;Absatz&lt;/em&gt; mit „Zitat“",
            "href=&quot;https://example.org/blog/posts/a/&quot;",
        ] {
            assert!(atom.contains(expected), "{expected}\n{atom}");
        }
        // Newest first.
        let b = atom.find("<link href=\"https://example.org/blog/posts/b/\"");
        let a = atom.find("<link href=\"https://example.org/blog/posts/a/\"");
        assert!(b.is_some() && a.is_some() && b < a, "{atom}");
    }

    #[test]
    fn rss_of_two_posts() {
        let f = two_posts();
        let rss = rendered(&f, Format::Rss);
        let names = elements(&rss);
        assert_eq!(names[..2], ["rss", "channel"]);
        assert_eq!(names.iter().filter(|n| *n == "item").count(), 2);
        for expected in [
            "<description>Über &lt;Dinge&gt; &amp; mehr</description>\n<language>de</language>",
            "<atom:link href=\"https://example.org/blog/rss.xml\" rel=\"self\" type=\"application/rss+xml\"/>",
            "<lastBuildDate>Tue, 2 Apr 2024 12:00:00 +0200</lastBuildDate>",
            "<title>Tom &amp; Jerry &lt;3</title>\n<link>https://example.org/blog/posts/a/</link>\n<guid isPermaLink=\"true\">https://example.org/blog/posts/a/</guid>\n<pubDate>Fri, 1 Mar 2024 10:00:00 +0100</pubDate>",
            "<pubDate>Mon, 1 Apr 2024 08:30:00 -0400</pubDate>",
            // The site's address, with the post's own author if it has one.
            "<author>erika@example.org (Erika)</author>",
            "<author>erika@example.org (Max)</author>",
            "<category>Eins</category>\n<category>Zwei</category>",
        ] {
            assert!(rss.contains(expected), "{expected}\n{rss}");
        }
    }

    #[test]
    fn feeds_per_tag_and_their_files() {
        let f = two_posts();
        let feeds = feeds(&f.site);
        let files: Vec<String> = feeds
            .iter()
            .flat_map(|feed| Format::ALL.map(|format| feed.file(format)))
            .collect();
        assert_eq!(
            files,
            [
                "atom.xml",
                "rss.xml",
                "feed.json",
                "tags/eins/atom.xml",
                "tags/eins/rss.xml",
                "tags/eins/feed.json",
                "tags/zwei/atom.xml",
                "tags/zwei/rss.xml",
                "tags/zwei/feed.json"
            ]
        );
        assert_eq!(feeds[2].title, "Testblog – Zwei");
        assert_eq!(feeds[2].entries.len(), 1);
    }

    /// The JSON feed of `f` at `index` (0: the site's), parsed.
    fn json_feed(f: &fixture::Fixture, index: usize) -> (String, serde_json::Value) {
        let policy = Policy::new(&f.site.config);
        let bodies = Bodies::new(&f.site, &policy);
        let text = feeds(&f.site)[index].render(Format::Json, &bodies);
        let value = serde_json::from_str(&text).expect("the JSON feed is JSON");
        (text, value)
    }

    /// The text at `key` of `value`; panics if it is not text.
    fn text<'v>(value: &'v serde_json::Value, key: &str) -> &'v str {
        value[key]
            .as_str()
            .unwrap_or_else(|| panic!("`{key}` is not text: {value}"))
    }

    /// A date of a JSON feed, read back as RFC 3339.
    fn date(value: &serde_json::Value, key: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(text(value, key))
            .unwrap_or_else(|e| panic!("`{key}` is not RFC 3339: {e}"))
    }

    #[test]
    fn json_feed_of_two_posts() {
        let f = two_posts();
        let (raw, feed) = json_feed(&f, 0);
        assert_eq!(text(&feed, "version"), "https://jsonfeed.org/version/1.1");
        assert_eq!(text(&feed, "title"), "Testblog");
        assert_eq!(text(&feed, "home_page_url"), "https://example.org/blog/");
        assert_eq!(
            text(&feed, "feed_url"),
            "https://example.org/blog/feed.json"
        );
        assert_eq!(text(&feed, "description"), "Über <Dinge> & mehr");
        assert_eq!(text(&feed, "language"), "de");
        assert_eq!(
            feed["authors"],
            serde_json::json!([{"name": "Erika", "url": "https://example.org/erika/"}])
        );
        // The address is in echt.yaml, and in no JSON feed.
        assert!(!raw.contains("erika@example.org"), "{raw}");
        assert!(!raw.contains(url::ROOT), "{raw}");

        let items = feed["items"].as_array().expect("items");
        assert_eq!(items.len(), 2);
        let (b, a) = (&items[0], &items[1]);
        // Newest first, each with an absolute id and URL.
        assert_eq!(text(b, "id"), "https://example.org/blog/posts/b/");
        assert_eq!(text(b, "url"), "https://example.org/blog/posts/b/");
        assert_eq!(text(a, "url"), "https://example.org/blog/posts/a/");
        assert_eq!(text(a, "title"), "Tom & Jerry <3");
        // Dates at their own offsets.
        assert_eq!(text(a, "date_published"), "2024-03-01T10:00:00+01:00");
        assert_eq!(date(a, "date_modified"), date(a, "date_published"));
        assert_eq!(
            date(b, "date_published"),
            DateTime::parse_from_rfc3339("2024-04-01T08:30:00-04:00").unwrap()
        );
        assert_eq!(text(b, "date_modified"), "2024-04-02T12:00:00+02:00");
        // HTML with links made absolute; the summary is plain text.
        assert!(
            text(a, "content_html").contains("<em>Absatz</em> mit „Zitat“"),
            "{a}"
        );
        assert!(
            text(b, "content_html").contains("href=\"https://example.org/blog/posts/a/\""),
            "{b}"
        );
        assert_eq!(text(a, "summary"), "Ein Absatz mit „Zitat“.");
        assert_eq!(b["tags"], serde_json::json!(["Eins", "Zwei"]));
        assert_eq!(a["tags"], serde_json::json!(["Eins"]));
        // Only a post with an author of its own names one.
        assert_eq!(b["authors"], serde_json::json!([{"name": "Max"}]));
        assert!(a.get("authors").is_none(), "{a}");
        assert!(a.get("image").is_none(), "{a}");
    }

    #[test]
    fn json_feed_image_and_summary_only() {
        let f = fixture::load(&[
            (
                "echt.yaml",
                &config("feed:\n  full_content: false\n"),
            ),
            (
                "content/posts/a.md",
                &post(
                    "title: A\ndate: 2024-03-01T10:00:00+01:00\nimage: /bilder/Bär.svg\ndescription: Kurz gesagt.\nauthor:\n  name: Max\n  url: https://example.org/max/",
                    "Erster [Absatz](/x/).\n\n<!-- more -->\n\nZweiter Absatz.",
                ),
            ),
        ]);
        let (_, feed) = json_feed(&f, 0);
        let item = &feed["items"][0];
        assert_eq!(
            text(item, "image"),
            "https://example.org/blog/bilder/B%C3%A4r.svg"
        );
        assert_eq!(text(item, "summary"), "Kurz gesagt.");
        let html = text(item, "content_html");
        assert!(
            html.contains("href=\"https://example.org/blog/x/\""),
            "{html}"
        );
        assert!(!html.contains("Zweiter"), "{html}");
        assert_eq!(
            item["authors"],
            serde_json::json!([{"name": "Max", "url": "https://example.org/max/"}])
        );
    }

    #[test]
    fn json_feeds_per_tag_keep_the_limit() {
        let f = fixture::load(&[
            ("echt.yaml", &config("feed:\n  limit: 1\n")),
            (
                "content/posts/a.md",
                &post(
                    "title: A\ndate: 2024-03-01T10:00:00+01:00\ntags: [Eins]",
                    "A.",
                ),
            ),
            (
                "content/posts/b.md",
                &post(
                    "title: B\ndate: 2024-04-01T10:00:00+01:00\ntags: [Eins]",
                    "B.",
                ),
            ),
        ]);
        let (_, site) = json_feed(&f, 0);
        let (_, tag) = json_feed(&f, 1);
        for feed in [&site, &tag] {
            let items = feed["items"].as_array().expect("items");
            assert_eq!(items.len(), 1, "{feed}");
            assert_eq!(text(&items[0], "title"), "B");
        }
        assert_eq!(text(&tag, "title"), "Testblog – Eins");
        assert_eq!(
            text(&tag, "home_page_url"),
            "https://example.org/blog/tags/eins/"
        );
        assert_eq!(
            text(&tag, "feed_url"),
            "https://example.org/blog/tags/eins/feed.json"
        );
    }

    #[test]
    fn a_date_hashes_with_its_offset() {
        let at = |text: &str| Date(DateTime::parse_from_rfc3339(text).expect("a date"));
        let one = at("2024-03-01T10:00:00+01:00");
        let other = at("2024-03-01T09:00:00+00:00");
        assert_eq!(one.0, other.0, "the same instant");
        assert_ne!(fingerprint(one), fingerprint(other));
    }
}
