//! What a post's template knows of its comments: the thread flattened in
//! reading order (each comment says how deep it is, whether its replies
//! follow, and how many open lists end after it: themes refuse macros
//! that call themselves, so a thread cannot be a recursive macro), the
//! reply-by-e-mail link and the comments feed.

use std::borrow::Cow;

use serde::Serialize;

use super::{Iso, Shown, Url};
use crate::render::Date;
use crate::site::comments::Node;
use crate::site::Document;
use crate::source::config::Config;
use crate::util::i18n::Language;

/// `comments` of a post's context.
#[derive(Debug, Serialize, Hash)]
pub(super) struct CommentsView<'a> {
    /// Comments shown, replies included.
    count: usize,
    /// In reading order (see the module's doc).
    list: Vec<CommentView<'a>>,
    /// Whether readers may reply (`comments: false` closes a thread).
    open: bool,
    /// `mailto:` the site's `comments.email`, with a subject naming the
    /// post; only while the thread is open.
    reply_url: Option<String>,
    /// The post's comments feed, if it has one.
    feed_url: Option<Url<'a>>,
}

#[derive(Debug, Serialize, Hash)]
struct CommentView<'a> {
    id: &'a str,
    author: &'a str,
    /// One or two letters for the circle beside the name.
    initials: String,
    url: Option<&'a str>,
    date: Iso,
    date_display: Shown,
    draft: bool,
    /// Sanitised HTML.
    html: &'a str,
    /// 0 for a comment on the post.
    depth: usize,
    /// Its replies follow, in a list of their own.
    has_replies: bool,
    /// How many lists of replies end after it.
    closes: usize,
}

impl<'a> CommentsView<'a> {
    pub fn new(config: &'a Config, doc: &'a Document, feed: Option<String>) -> Self {
        let open = !doc.front.comments_closed;
        let mut list = Vec::new();
        flatten(&doc.comments.roots, 0, doc.language, &mut list);
        CommentsView {
            count: doc.comments.count,
            list,
            open,
            reply_url: config
                .comments_email
                .as_deref()
                .filter(|_| open)
                .map(|email| mailto(email, &doc.front.title)),
            feed_url: feed.map(|path| Url(Cow::Owned(path))),
        }
    }
}

fn flatten<'a>(
    nodes: &'a [Node],
    depth: usize,
    language: Language,
    out: &mut Vec<CommentView<'a>>,
) {
    for node in nodes {
        let c = &node.comment;
        out.push(CommentView {
            id: &c.id,
            author: &c.author,
            initials: initials(&c.author),
            url: c.url.as_deref(),
            date: Iso(Some(Date(c.date))),
            date_display: Shown(Some(Date(c.date)), language),
            draft: c.draft,
            html: &node.html,
            depth,
            has_replies: !node.replies.is_empty(),
            closes: 0,
        });
        if !node.replies.is_empty() {
            flatten(&node.replies, depth + 1, language, out);
            if let Some(last) = out.last_mut() {
                last.closes += 1;
            }
        }
    }
}

/// The first letters of the first and the last word of a name: "JB" for
/// "Jana Beispiel", "Ö" for "öko".
pub fn initials(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    let first = |w: &&str| w.chars().find(|c| c.is_alphanumeric());
    let mut letters: String = words.first().and_then(first).into_iter().collect();
    if words.len() > 1 {
        letters.extend(words.last().and_then(first));
    }
    letters.to_uppercase()
}

/// A `mailto:` link to `email` with the subject "Re: `title`", each part
/// percent-encoded as RFC 6068 asks (UTF-8, every byte that is not an
/// unreserved character).
pub fn mailto(email: &str, title: &str) -> String {
    format!(
        "mailto:{}?subject={}",
        percent(email, b"@"),
        percent(&format!("Re: {title}"), b"")
    )
}

fn percent(text: &str, keep: &[u8]) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) || keep.contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mailto_encodes_the_subject() {
        assert_eq!(
            mailto("blog+leser@example.org", "Größe & Maß? 100%"),
            "mailto:blog%2Bleser@example.org?subject=Re%3A%20Gr%C3%B6%C3%9Fe%20%26%20Ma%C3%9F%3F%20100%25"
        );
    }

    #[test]
    fn initials_of_names() {
        assert_eq!(initials("Jana Beispiel"), "JB");
        assert_eq!(initials("öko"), "Ö");
        assert_eq!(initials("Karl  von der Heide"), "KH");
        assert_eq!(initials("(Ben)"), "B");
        assert_eq!(initials(""), "");
    }
}
