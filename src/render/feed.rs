//! Feeds and machine-readable files: Atom 1.0, RSS 2.0, sitemap, robots.txt.
//!
//! Written directly rather than through templates: their formats are fixed,
//! and getting escaping and dates right once here beats every theme getting
//! them right. Feeds carry the full text (readers deserve it) with absolute
//! URLs, for the whole site and for every tag.

use std::fmt::Write as _;
use std::sync::OnceLock;

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;

use crate::audit::{self, FileFacts, Origin, Policy};
use crate::output::plan::Fingerprints;
use crate::output::Sink;
use crate::site::{Document, Site};
use crate::source::config::Config;
use crate::util::error::Diagnostic;
use crate::util::escape::xml;
use crate::util::fingerprint::fingerprint;
use crate::util::url;

/// One feed of the site: all posts, or one tag's.
#[derive(Debug)]
pub struct Feed<'a> {
    /// The path of the page the feed belongs to: `` or `tags/x/`.
    base: String,
    /// Indices into the site's posts, newest first.
    posts: &'a [usize],
    title: String,
}

impl Feed<'_> {
    /// The files it is written to.
    pub fn files(&self) -> [String; 2] {
        [
            format!("{}atom.xml", self.base),
            format!("{}rss.xml", self.base),
        ]
    }
}

/// The site's feed and, if enabled, one per tag.
pub fn feeds<'a>(site: &'a Site, all: &'a [usize]) -> Vec<Feed<'a>> {
    let mut feeds = vec![Feed {
        base: String::new(),
        posts: all,
        title: site.config.title.clone(),
    }];
    if site.config.feed.tags {
        for tag in &site.tags {
            feeds.push(Feed {
                base: tag.path(),
                posts: &tag.posts,
                title: format!("{} – {}", site.config.title, tag.name),
            });
        }
    }
    feeds
}

/// Writes every feed `out` wants, each as soon as it is made and audited;
/// returns, per feed, what the audit found or why it could not be written.
pub fn write_feeds(
    site: &Site,
    cx: &audit::Context<'_>,
    out: &dyn Sink,
) -> Vec<Result<(String, FileFacts), Diagnostic>> {
    let all = all_posts(site);
    let bodies = Bodies::new(site, cx.policy);
    feeds(site, &all)
        .par_iter()
        .flat_map_iter(|feed| {
            let [atom_file, rss_file] = feed.files();
            let origins = || {
                limited(site, feed.posts)
                    .filter_map(|p| Origin::content(&site.config.root, &p.source))
                    .chain(Origin::config(&site.config.root))
                    .collect()
            };
            let write = |file: String, text: String| {
                let facts = audit::feed(cx, &file, &text, &origins);
                out.write(&file, text.as_bytes())?;
                Ok((file, facts))
            };
            let atom_result = out.wants(&atom_file).then(|| {
                write(
                    atom_file,
                    atom(&bodies, feed.posts, &feed.base, &feed.title),
                )
            });
            let rss_result = out
                .wants(&rss_file)
                .then(|| write(rss_file, rss(&bodies, feed.posts, &feed.base, &feed.title)));
            [atom_result, rss_result].into_iter().flatten()
        })
        .collect()
}

/// Adds the fingerprint of every feed file to `prints` (see `plan`): the
/// newest date of all its posts, and the posts it lists in full.
pub fn fingerprints(site: &Site, common: u64, prints: &mut Fingerprints) {
    let all = all_posts(site);
    for feed in feeds(site, &all) {
        let newest = feed
            .posts
            .iter()
            .filter_map(|&i| site.posts[i].last_modified())
            .max();
        let entries: Vec<(u64, Vec<&str>)> = limited(site, feed.posts)
            .map(|p| {
                let tags = p.tags.iter().map(|&t| site.tags[t].name.as_str()).collect();
                (p.fingerprint, tags)
            })
            .collect();
        let print = fingerprint((common, &feed.title, newest, entries));
        for (kind, file) in ["atom", "rss"].into_iter().zip(feed.files()) {
            prints.insert(file, fingerprint((kind, print)));
        }
    }
}

fn all_posts(site: &Site) -> Vec<usize> {
    (0..site.posts.len()).collect()
}

fn limited<'a>(site: &'a Site, posts: &'a [usize]) -> impl Iterator<Item = &'a Document> {
    limited_ids(site, posts).map(|i| &site.posts[i])
}

/// The indices of the posts a feed carries.
fn limited_ids<'a>(site: &Site, posts: &'a [usize]) -> impl Iterator<Item = usize> + 'a {
    let limit = match site.config.feed.limit {
        0 => usize::MAX,
        n => n,
    };
    posts.iter().take(limit).copied()
}

/// Each post's HTML as feeds carry it (absolute URLs, links cleaned like
/// the site's pages), made once however many feeds show the post.
struct Bodies<'a> {
    site: &'a Site,
    policy: &'a Policy,
    /// By index into the site's posts: (summary, body).
    made: Vec<OnceLock<(String, String)>>,
}

impl<'a> Bodies<'a> {
    fn new(site: &'a Site, policy: &'a Policy) -> Self {
        Bodies {
            site,
            policy,
            made: site.posts.iter().map(|_| OnceLock::new()).collect(),
        }
    }

    /// The summary and the body (full text or summary, as configured).
    fn of(&self, post: usize) -> &(String, String) {
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
            (summary, body)
        })
    }
}

/// An Atom 1.0 feed of `posts` (indices, newest first); `base` is the path
/// of the page the feed belongs to.
fn atom(bodies: &Bodies<'_>, posts: &[usize], base: &str, title: &str) -> String {
    let site = bodies.site;
    let config = &site.config;
    let site_url = format!("{}{base}", config.base_url);
    let updated = posts
        .iter()
        .filter_map(|&i| site.posts[i].last_modified())
        .max()
        .map_or_else(
            || "1970-01-01T00:00:00+00:00".to_string(),
            |d| d.to_rfc3339(),
        );
    let mut x = String::with_capacity(4096);
    let _ = write!(
        x,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">\n<title>{title}</title>\n",
        lang = config.language.code(),
        title = xml(title),
    );
    if !config.description.is_empty() {
        let _ = writeln!(x, "<subtitle>{}</subtitle>", xml(&config.description));
    }
    let _ = write!(
        x,
        "<link href=\"{self_url}atom.xml\" rel=\"self\" type=\"application/atom+xml\"/>\n<link href=\"{site_url}\" rel=\"alternate\" type=\"text/html\"/>\n<id>{site_url}</id>\n<updated>{updated}</updated>\n<author>\n<name>{name}</name>\n",
        self_url = xml(&site_url),
        site_url = xml(&site_url),
        name = xml(&config.author.name),
    );
    if let Some(email) = &config.author.email {
        let _ = writeln!(x, "<email>{}</email>", xml(email));
    }
    if let Some(uri) = &config.author.url {
        let _ = writeln!(x, "<uri>{}</uri>", xml(uri));
    }
    x.push_str("</author>\n<generator>echt</generator>\n");
    for i in limited_ids(site, posts) {
        let post = &site.posts[i];
        let (summary, body) = bodies.of(i);
        let link = format!("{}{}", config.base_url, post.path);
        let published = rfc3339(post.date);
        let _ = write!(
            x,
            "<entry>\n<title>{title}</title>\n<link href=\"{link}\" rel=\"alternate\" type=\"text/html\"/>\n<id>{link}</id>\n<published>{published}</published>\n<updated>{updated}</updated>\n",
            title = xml(&post.front.title),
            link = xml(&link),
            updated = rfc3339(post.last_modified()),
        );
        if let Some(author) = &post.front.author {
            let _ = writeln!(x, "<author><name>{}</name></author>", xml(&author.name));
        }
        for &t in &post.tags {
            let _ = writeln!(x, "<category term=\"{}\"/>", xml(&site.tags[t].name));
        }
        let _ = write!(
            x,
            "<summary type=\"html\">{summary}</summary>\n<content type=\"html\" xml:base=\"{link}\">{content}</content>\n</entry>\n",
            link = xml(&link),
            summary = xml(summary),
            content = xml(body),
        );
    }
    x.push_str("</feed>\n");
    x
}

/// An RSS 2.0 feed of `posts`, with the full text in `description`.
fn rss(bodies: &Bodies<'_>, posts: &[usize], base: &str, title: &str) -> String {
    let site = bodies.site;
    let config = &site.config;
    let site_url = format!("{}{base}", config.base_url);
    let last = posts
        .iter()
        .filter_map(|&i| site.posts[i].last_modified())
        .max();
    let mut x = String::with_capacity(4096);
    let _ = write!(
        x,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n<title>{title}</title>\n<link>{link}</link>\n<description>{description}</description>\n<language>{lang}</language>\n<generator>echt</generator>\n<atom:link href=\"{link}rss.xml\" rel=\"self\" type=\"application/rss+xml\"/>\n",
        title = xml(title),
        link = xml(&site_url),
        description = xml(if config.description.is_empty() { &config.title } else { &config.description }),
        lang = config.language.code(),
    );
    if let Some(last) = last {
        let _ = writeln!(x, "<lastBuildDate>{}</lastBuildDate>", last.to_rfc2822());
    }
    for i in limited_ids(site, posts) {
        let post = &site.posts[i];
        let link = format!("{}{}", config.base_url, post.path);
        let _ = write!(
            x,
            "<item>\n<title>{title}</title>\n<link>{link}</link>\n<guid isPermaLink=\"true\">{link}</guid>\n",
            title = xml(&post.front.title),
            link = xml(&link),
        );
        if let Some(date) = post.date {
            let _ = writeln!(x, "<pubDate>{}</pubDate>", date.to_rfc2822());
        }
        if let Some(email) = &config.author.email {
            let name = post
                .front
                .author
                .as_ref()
                .map_or(&config.author.name, |a| &a.name);
            let _ = writeln!(x, "<author>{} ({})</author>", xml(email), xml(name));
        }
        for &t in &post.tags {
            let _ = writeln!(x, "<category>{}</category>", xml(&site.tags[t].name));
        }
        let _ = write!(
            x,
            "<description>{}</description>\n</item>\n",
            xml(&bodies.of(i).1)
        );
    }
    x.push_str("</channel>\n</rss>\n");
    x
}

fn rfc3339(date: Option<DateTime<FixedOffset>>) -> String {
    date.map_or_else(
        || "1970-01-01T00:00:00+00:00".to_string(),
        |d| d.to_rfc3339(),
    )
}

/// Every HTML page of the site, for search engines.
pub fn sitemap(site: &Site) -> String {
    let base = &site.config.base_url;
    let mut x = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut entry = |path: &str, lastmod: Option<DateTime<FixedOffset>>| {
        let _ = write!(x, "<url><loc>{}</loc>", xml(&format!("{base}{path}")));
        if let Some(d) = lastmod {
            let _ = write!(x, "<lastmod>{}</lastmod>", d.to_rfc3339());
        }
        x.push_str("</url>\n");
    };
    entry("", site.posts.first().and_then(Document::last_modified));
    for post in &site.posts {
        entry(&post.path, post.last_modified());
    }
    for page in &site.pages {
        entry(&page.path, page.last_modified());
    }
    entry("tags/", None);
    for tag in &site.tags {
        entry(&tag.path(), None);
    }
    entry(crate::util::i18n::archive_path(site.config.language), None);
    x.push_str("</urlset>\n");
    x
}

pub fn robots(config: &Config) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n",
        config.base_url
    )
}
