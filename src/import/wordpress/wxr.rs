//! A WordPress export (WXR 1.0 to 1.2, from WordPress.com or a
//! self-hosted blog) read into typed items: the site, its posts, pages,
//! attachments and menu items, with their terms, metadata and comments.
//!
//! Elements are recognised by namespace, so the `http://` and the
//! `https://` spelling of WordPress's namespace, and any prefix, read the
//! same. Errors are located at line and column in the export; nothing in
//! the file can make the reader panic.

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone as _};
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;
use std::borrow::Cow;
use std::path::Path;

use crate::util::error::{Diagnostic, Lines};

/// The whole export.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Export {
    /// `1.0`, `1.1` or `1.2`, from `wp:wxr_version` or the namespace.
    pub version: String,
    pub site: Site,
    pub items: Vec<Item>,
}

/// The `<channel>`'s own fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Site {
    pub title: String,
    pub link: String,
    /// The tagline.
    pub description: String,
    pub language: String,
    pub base_site_url: String,
    pub base_blog_url: String,
    pub authors: Vec<Author>,
    /// `wp:category` (slug, name, parent slug) and `wp:tag` (slug, name),
    /// the archives the blog had; slugs percent-decoded.
    pub categories: Vec<SiteTerm>,
    pub tags: Vec<SiteTerm>,
}

/// A category or tag of the whole blog.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteTerm {
    pub slug: String,
    pub name: String,
    /// The parent category's slug, empty at the top (and for tags).
    pub parent: String,
}

/// One `wp:author`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Author {
    pub id: Option<u64>,
    pub login: String,
    pub email: String,
    pub display_name: String,
    pub first_name: String,
    pub last_name: String,
}

/// What an item is (`wp:post_type`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Post,
    Page,
    Attachment,
    NavMenuItem,
    Other(String),
}

/// `wp:status`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Publish,
    /// `draft` and `auto-draft`.
    Draft,
    Pending,
    Private,
    Future,
    Trash,
    /// `inherit` (attachments) and anything else.
    Other(String),
}

/// A category or tag (`<category domain=… nicename=…>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// `category`, `post_tag`, `nav_menu`, `post_format`, …
    pub domain: String,
    /// The slug, percent-decoded.
    pub nicename: String,
    pub name: String,
}

/// One `wp:postmeta`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meta {
    pub key: String,
    pub value: String,
}

/// Whether a comment was approved (`wp:comment_approved`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Approval {
    Approved,
    Pending,
    Spam,
    Trash,
    Other(String),
}

/// `wp:comment_type`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommentKind {
    Comment,
    Pingback,
    Trackback,
    Other(String),
}

/// One `wp:comment`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub id: u64,
    pub author: String,
    pub author_email: String,
    pub author_url: String,
    pub author_ip: String,
    /// The instant, at the blog's offset when known.
    pub date: Option<DateTime<FixedOffset>>,
    pub content: String,
    pub approved: Approval,
    pub kind: CommentKind,
    /// 0 for a comment on the post itself.
    pub parent: u64,
    /// 1-based line of `<wp:comment>` in the export.
    pub line: usize,
}

/// One `<item>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub id: u64,
    pub title: String,
    pub link: String,
    /// `wp:post_name`, percent-decoded.
    pub slug: String,
    /// `wp:post_name` as written.
    pub slug_raw: String,
    /// The instant (from the GMT date) at the blog's offset (the
    /// difference to the local date); the local date read as UTC when
    /// there is no GMT date (drafts); None when there is neither.
    pub date: Option<DateTime<FixedOffset>>,
    /// `wp:post_date` as written: the author's local time.
    pub local_date: Option<NaiveDateTime>,
    pub creator: String,
    pub status: Status,
    /// Empty when the item is not protected.
    pub password: String,
    pub parent: u64,
    pub menu_order: i64,
    pub sticky: bool,
    pub kind: Kind,
    pub content: String,
    /// 1-based line in the export where the content's text starts.
    pub content_line: usize,
    pub excerpt: String,
    pub terms: Vec<Term>,
    pub meta: Vec<Meta>,
    pub attachment_url: String,
    pub comments: Vec<Comment>,
    /// 1-based line of `<item>` in the export.
    pub line: usize,
}

/// A menu entry (an item of kind `nav_menu_item`) read from its metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MenuItem {
    pub title: String,
    /// The menu's slug.
    pub menu: String,
    /// `post_type`, `taxonomy` or `custom`.
    pub target_kind: String,
    /// The id of the post, page or term it points at (0 for custom).
    pub target_id: u64,
    /// For custom links.
    pub url: String,
    /// The menu item it sits under (0 at the top).
    pub parent: u64,
    pub order: i64,
}

impl Item {
    /// The value of the first postmeta with `key`.
    pub fn meta(&self, key: &str) -> Option<&str> {
        self.meta
            .iter()
            .find(|m| m.key == key)
            .map(|m| m.value.as_str())
    }

    /// The featured image's attachment id (`_thumbnail_id`).
    pub fn thumbnail_id(&self) -> Option<u64> {
        self.meta("_thumbnail_id")?.trim().parse().ok()
    }

    /// `_wp_attached_file`: the file's path under `wp-content/uploads`.
    pub fn attached_file(&self) -> Option<&str> {
        self.meta("_wp_attached_file").filter(|f| !f.is_empty())
    }

    /// The file names in `_wp_attachment_metadata`: the original's and
    /// those of the size variants WordPress made (`photo-300x200.jpg`).
    pub fn size_files(&self) -> Vec<String> {
        self.meta("_wp_attachment_metadata")
            .map(php_file_names)
            .unwrap_or_default()
    }

    /// Whether the item is protected by a password.
    pub fn is_protected(&self) -> bool {
        !self.password.is_empty()
    }

    /// The menu entry this item is, when it is one.
    pub fn menu_item(&self) -> Option<MenuItem> {
        if self.kind != Kind::NavMenuItem {
            return None;
        }
        let num = |key: &str| -> u64 {
            self.meta(key)
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0)
        };
        Some(MenuItem {
            title: self.title.clone(),
            menu: self
                .terms_in("nav_menu")
                .next()
                .map(|t| t.nicename.clone())
                .unwrap_or_default(),
            target_kind: self.meta("_menu_item_type").unwrap_or("").to_string(),
            target_id: num("_menu_item_object_id"),
            url: self.meta("_menu_item_url").unwrap_or("").to_string(),
            parent: num("_menu_item_menu_item_parent"),
            order: self.menu_order,
        })
    }

    /// The terms of one domain (`category`, `post_tag`).
    pub fn terms_in<'a>(&'a self, domain: &'a str) -> impl Iterator<Item = &'a Term> + 'a {
        self.terms.iter().filter(move |t| t.domain == domain)
    }
}

/// The `"file"` values of PHP-serialised attachment metadata (file names
/// only), each once.
fn php_file_names(serialized: &str) -> Vec<String> {
    const KEY: &str = "s:4:\"file\";s:";
    let mut found: Vec<String> = Vec::new();
    let mut rest = serialized;
    while let Some(i) = rest.find(KEY) {
        rest = &rest[i + KEY.len()..];
        let Some(colon) = rest.find(':') else { break };
        let Ok(len) = rest[..colon].parse::<usize>() else {
            continue;
        };
        let value = rest[colon + 1..]
            .strip_prefix('"')
            .and_then(|v| v.get(..len))
            .filter(|v| !v.contains('"'));
        if let Some(v) = value {
            let name = v.rsplit('/').next().unwrap_or(v);
            if !name.is_empty() && !found.iter().any(|f| f == name) {
                found.push(name.to_string());
            }
        }
    }
    found
}

/// Decodes `%c3%bc` sequences (UTF-8) in a slug; a text whose sequences
/// are not UTF-8 is kept as written.
pub fn percent_decode(s: &str) -> String {
    crate::util::url::percent_decode(s).unwrap_or_else(|| s.to_string())
}

/// Which vocabulary an element belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ns {
    /// RSS itself (no namespace).
    Rss,
    Wp,
    Content,
    Excerpt,
    Dc,
    Other,
}

/// The vocabulary of a namespace; the WXR version the WordPress namespace
/// names is kept in `version` the first time it is seen.
fn namespace(ns: &ResolveResult<'_>, version: &mut String) -> Ns {
    let ResolveResult::Bound(n) = ns else {
        return Ns::Rss;
    };
    let n = String::from_utf8_lossy(n.as_ref());
    let rest = n
        .strip_prefix("http://")
        .or_else(|| n.strip_prefix("https://"))
        .unwrap_or(&n);
    if let Some(v) = rest.strip_prefix("wordpress.org/export/") {
        if v.ends_with("/excerpt/") {
            return Ns::Excerpt;
        }
        if version.is_empty() {
            v.trim_end_matches('/').clone_into(version);
        }
        return Ns::Wp;
    }
    match rest {
        "purl.org/rss/1.0/modules/content/" => Ns::Content,
        "purl.org/dc/elements/1.1/" => Ns::Dc,
        _ => Ns::Other,
    }
}

/// An element of the export, read whole.
#[derive(Debug, Default)]
struct Node {
    ns: Option<Ns>,
    name: String,
    attrs: Vec<(String, String)>,
    text: String,
    /// Byte offset of the start tag.
    at: usize,
    /// Byte offset of the element's first text that is not blank.
    text_at: Option<usize>,
    children: Vec<Node>,
}

impl Node {
    fn is(&self, ns: Ns, name: &str) -> bool {
        self.ns == Some(ns) && self.name == name
    }

    fn child(&self, ns: Ns, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.is(ns, name))
    }

    fn all<'a>(&'a self, ns: Ns, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.is(ns, name))
    }

    fn text_of(&self, ns: Ns, name: &str) -> String {
        self.child(ns, name)
            .map(|c| c.text.clone())
            .unwrap_or_default()
    }

    fn num(&self, ns: Ns, name: &str) -> u64 {
        self.text_of(ns, name).trim().parse().unwrap_or(0)
    }

    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| a.0 == name)
            .map(|a| a.1.as_str())
    }
}

/// Reads the export in `source` (named `path` in errors).
pub fn read(path: &Path, source: &str) -> Result<Export, Diagnostic> {
    let (root, ns_version) = tree(path, source)?;
    let channel = root
        .all(Ns::Rss, "rss")
        .find_map(|rss| rss.child(Ns::Rss, "channel"))
        .ok_or_else(|| {
            Diagnostic::at_offset(
                path,
                source,
                0,
                0,
                "this is not a WordPress export: it has no <rss><channel>",
            )
        })?;
    let lines = Lines::new(source);
    let line = |at: usize| lines.line_column(at).0;
    let site = Site {
        title: channel.text_of(Ns::Rss, "title").trim().to_string(),
        link: channel.text_of(Ns::Rss, "link").trim().to_string(),
        description: channel.text_of(Ns::Rss, "description").trim().to_string(),
        language: channel.text_of(Ns::Rss, "language").trim().to_string(),
        base_site_url: channel.text_of(Ns::Wp, "base_site_url").trim().to_string(),
        base_blog_url: channel.text_of(Ns::Wp, "base_blog_url").trim().to_string(),
        authors: channel.all(Ns::Wp, "author").map(author).collect(),
        categories: channel
            .all(Ns::Wp, "category")
            .map(|c| SiteTerm {
                slug: percent_decode(c.text_of(Ns::Wp, "category_nicename").trim()),
                name: c.text_of(Ns::Wp, "cat_name").trim().to_string(),
                parent: percent_decode(c.text_of(Ns::Wp, "category_parent").trim()),
            })
            .collect(),
        tags: channel
            .all(Ns::Wp, "tag")
            .map(|t| SiteTerm {
                slug: percent_decode(t.text_of(Ns::Wp, "tag_slug").trim()),
                name: t.text_of(Ns::Wp, "tag_name").trim().to_string(),
                parent: String::new(),
            })
            .collect(),
    };
    let items = channel
        .all(Ns::Rss, "item")
        .map(|n| item(n, &line))
        .collect();
    let version = channel.text_of(Ns::Wp, "wxr_version").trim().to_string();
    Ok(Export {
        version: if version.is_empty() {
            ns_version
        } else {
            version
        },
        site,
        items,
    })
}

fn author(n: &Node) -> Author {
    Author {
        id: n.text_of(Ns::Wp, "author_id").trim().parse().ok(),
        login: n.text_of(Ns::Wp, "author_login"),
        email: n.text_of(Ns::Wp, "author_email"),
        display_name: n.text_of(Ns::Wp, "author_display_name"),
        first_name: n.text_of(Ns::Wp, "author_first_name"),
        last_name: n.text_of(Ns::Wp, "author_last_name"),
    }
}

fn item(n: &Node, line: &dyn Fn(usize) -> usize) -> Item {
    let slug_raw = n.text_of(Ns::Wp, "post_name").trim().to_string();
    let content = n.child(Ns::Content, "encoded");
    let local_date = date(&n.text_of(Ns::Wp, "post_date"));
    Item {
        id: n.num(Ns::Wp, "post_id"),
        title: n.text_of(Ns::Rss, "title").trim().to_string(),
        link: n.text_of(Ns::Rss, "link").trim().to_string(),
        slug: percent_decode(&slug_raw),
        slug_raw,
        date: instant(&n.text_of(Ns::Wp, "post_date_gmt"), local_date),
        local_date,
        creator: n.text_of(Ns::Dc, "creator").trim().to_string(),
        status: status(n.text_of(Ns::Wp, "status").trim()),
        password: n.text_of(Ns::Wp, "post_password"),
        parent: n.num(Ns::Wp, "post_parent"),
        menu_order: n.text_of(Ns::Wp, "menu_order").trim().parse().unwrap_or(0),
        sticky: n.text_of(Ns::Wp, "is_sticky").trim() == "1",
        kind: match n.text_of(Ns::Wp, "post_type").trim() {
            "post" => Kind::Post,
            "page" => Kind::Page,
            "attachment" => Kind::Attachment,
            "nav_menu_item" => Kind::NavMenuItem,
            other => Kind::Other(other.to_string()),
        },
        content: content.map(|c| c.text.clone()).unwrap_or_default(),
        content_line: content.map_or(0, |c| line(c.text_at.unwrap_or(c.at))),
        excerpt: n.text_of(Ns::Excerpt, "encoded"),
        terms: n
            .all(Ns::Rss, "category")
            .map(|c| Term {
                domain: c.attr("domain").unwrap_or("category").to_string(),
                nicename: percent_decode(c.attr("nicename").unwrap_or("")),
                name: c.text.trim().to_string(),
            })
            .collect(),
        meta: n
            .all(Ns::Wp, "postmeta")
            .map(|c| Meta {
                key: c.text_of(Ns::Wp, "meta_key"),
                value: c.text_of(Ns::Wp, "meta_value"),
            })
            .collect(),
        attachment_url: n.text_of(Ns::Wp, "attachment_url").trim().to_string(),
        comments: n.all(Ns::Wp, "comment").map(|c| comment(c, line)).collect(),
        line: line(n.at),
    }
}

fn comment(n: &Node, line: &dyn Fn(usize) -> usize) -> Comment {
    let local = date(&n.text_of(Ns::Wp, "comment_date"));
    Comment {
        id: n.num(Ns::Wp, "comment_id"),
        author: n.text_of(Ns::Wp, "comment_author").trim().to_string(),
        author_email: n.text_of(Ns::Wp, "comment_author_email").trim().to_string(),
        author_url: n.text_of(Ns::Wp, "comment_author_url").trim().to_string(),
        author_ip: n.text_of(Ns::Wp, "comment_author_IP").trim().to_string(),
        date: instant(&n.text_of(Ns::Wp, "comment_date_gmt"), local),
        content: n.text_of(Ns::Wp, "comment_content"),
        approved: match n.text_of(Ns::Wp, "comment_approved").trim() {
            "1" => Approval::Approved,
            "0" => Approval::Pending,
            "spam" => Approval::Spam,
            "trash" | "post-trashed" => Approval::Trash,
            other => Approval::Other(other.to_string()),
        },
        kind: match n.text_of(Ns::Wp, "comment_type").trim() {
            "" | "comment" => CommentKind::Comment,
            "pingback" => CommentKind::Pingback,
            "trackback" => CommentKind::Trackback,
            other => CommentKind::Other(other.to_string()),
        },
        parent: n.num(Ns::Wp, "comment_parent"),
        line: line(n.at),
    }
}

fn status(s: &str) -> Status {
    match s {
        "publish" => Status::Publish,
        "draft" | "auto-draft" => Status::Draft,
        "pending" => Status::Pending,
        "private" => Status::Private,
        "future" => Status::Future,
        "trash" => Status::Trash,
        other => Status::Other(other.to_string()),
    }
}

/// `2019-03-01 14:05:00`; None for `0000-00-00 00:00:00` and anything
/// else unreadable.
fn date(s: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(s.trim(), "%Y-%m-%d %H:%M:%S").ok()
}

/// The instant of the GMT date at the offset its local date shows
/// (rounded to quarter hours, as time zones are, and within a day).
fn instant(gmt: &str, local: Option<NaiveDateTime>) -> Option<DateTime<FixedOffset>> {
    let utc = FixedOffset::east_opt(0)?;
    let Some(gmt) = date(gmt) else {
        return local.and_then(|l| utc.from_local_datetime(&l).single());
    };
    let seconds = local.map_or(0, |l| (l - gmt).num_seconds());
    let quarter = 15 * 60;
    let rounded = (seconds + seconds.signum() * quarter / 2) / quarter * quarter;
    let offset = i32::try_from(rounded)
        .ok()
        .and_then(FixedOffset::east_opt)
        .unwrap_or(utc);
    Some(offset.from_utc_datetime(&gmt))
}

/// The whole file as a tree (the root holds the top-level elements), and
/// the WXR version the WordPress namespace names.
fn tree(path: &Path, source: &str) -> Result<(Node, String), Diagnostic> {
    let mut reader = NsReader::from_str(source);
    reader.config_mut().check_end_names = true;
    let mut version = String::new();
    let mut stack = vec![Node::default()];
    loop {
        let before = usize::try_from(reader.buffer_position()).unwrap_or(0);
        match reader.read_resolved_event() {
            Err(e) => {
                let at = usize::try_from(reader.error_position()).unwrap_or(before);
                let message = format!("the export is not well-formed XML: {e}");
                return Err(Diagnostic::at_offset(path, source, at, 1, message));
            }
            Ok((ns, Event::Start(e))) => {
                stack.push(start(namespace(&ns, &mut version), &e, before));
            }
            Ok((ns, Event::Empty(e))) => {
                let node = start(namespace(&ns, &mut version), &e, before);
                if let Some(top) = stack.last_mut() {
                    top.children.push(node);
                }
            }
            Ok((_, Event::End(_))) => {
                let done = stack.pop().filter(|_| !stack.is_empty());
                match (done, stack.last_mut()) {
                    (Some(done), Some(top)) => top.children.push(done),
                    _ => {
                        let message = "an end tag without its start tag";
                        return Err(Diagnostic::at_offset(path, source, before, 1, message));
                    }
                }
            }
            Ok((_, Event::Text(t))) => {
                let raw = String::from_utf8_lossy(&t);
                let text = quick_xml::escape::unescape(&raw)
                    .map_or_else(|_| lenient_unescape(&raw), Cow::into_owned);
                push_text(&mut stack, &text, before);
            }
            Ok((_, Event::CData(t))) => {
                let text = String::from_utf8_lossy(&t);
                push_text(&mut stack, &text, before + "<![CDATA[".len());
            }
            Ok((_, Event::Eof)) => break,
            Ok(_) => {}
        }
    }
    if stack.len() > 1 {
        let message = "the export ends before its elements are closed (is the file cut off?)";
        return Err(Diagnostic::at_offset(
            path,
            source,
            source.len(),
            0,
            message,
        ));
    }
    Ok((stack.pop().unwrap_or_default(), version))
}

/// Text with references XML does not know (`&nbsp;`, written by some
/// exporters outside CDATA): the known ones decoded, the others kept.
pub(crate) fn lenient_unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find(';').filter(|&e| e <= 12);
        let decoded = end.and_then(|e| quick_xml::escape::unescape(&rest[..=e]).ok());
        match (end, decoded) {
            (Some(e), Some(d)) => {
                out.push_str(&d);
                rest = &rest[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn push_text(stack: &mut [Node], text: &str, at: usize) {
    if let Some(top) = stack.last_mut() {
        if top.text_at.is_none() && !text.trim().is_empty() {
            top.text_at = Some(at);
        }
        top.text.push_str(text);
    }
}

fn start(ns: Ns, e: &BytesStart<'_>, at: usize) -> Node {
    let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
    let attrs = e
        .attributes()
        .flatten()
        .map(|a| {
            let key = String::from_utf8_lossy(a.key.local_name().as_ref()).into_owned();
            let value = a.unescape_value().map_or_else(
                |_| String::from_utf8_lossy(&a.value).into_owned(),
                Cow::into_owned,
            );
            (key, value)
        })
        .collect();
    Node {
        ns: Some(ns),
        name,
        attrs,
        at,
        ..Node::default()
    }
}

#[cfg(test)]
mod fixtures;
#[cfg(test)]
mod tests;
