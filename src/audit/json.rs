//! Reading JSON feeds (JSON Feed 1.1) as a feed reader does: each item's
//! `content_html` is HTML, judged with the same rules as an Atom entry's;
//! the URLs a reader shows as links must not run code, and the pictures it
//! loads by itself (`icon`, `image`, an author's `avatar`) must come from
//! the site or an allowed host.
//!
//! It fails closed like the XML reader: text that is not JSON, a key the
//! specification does not name or that echt cannot judge (`attachments`,
//! `hubs`, `_` extensions), a key written twice, or a value of the wrong
//! type is refused. echt writes none of them.

use std::ops::Range;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::rules::{Attr, Checker};
use super::{html, At, Fragments};

const UNSURE_HINT: &str = "echt writes its JSON feeds itself; it publishes nothing it cannot check";

/// The top level of a feed. Plain text is only checked to be text; values
/// that are URLs or HTML are kept as written, to be judged where they are.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // Read to check their types, never used.
struct Feed<'a> {
    version: Option<String>,
    title: Option<String>,
    #[serde(borrow)]
    home_page_url: Option<&'a RawValue>,
    #[serde(borrow)]
    feed_url: Option<&'a RawValue>,
    description: Option<String>,
    user_comment: Option<String>,
    #[serde(borrow)]
    next_url: Option<&'a RawValue>,
    #[serde(borrow)]
    icon: Option<&'a RawValue>,
    #[serde(borrow)]
    favicon: Option<&'a RawValue>,
    #[serde(borrow, default)]
    authors: Vec<Author<'a>>,
    language: Option<String>,
    expired: Option<bool>,
    #[serde(borrow)]
    items: Vec<Item<'a>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Author<'a> {
    name: Option<String>,
    #[serde(borrow)]
    url: Option<&'a RawValue>,
    #[serde(borrow)]
    avatar: Option<&'a RawValue>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Item<'a> {
    id: String,
    #[serde(borrow)]
    url: Option<&'a RawValue>,
    #[serde(borrow)]
    external_url: Option<&'a RawValue>,
    title: Option<String>,
    #[serde(borrow)]
    content_html: Option<&'a RawValue>,
    content_text: Option<String>,
    summary: Option<String>,
    #[serde(borrow)]
    image: Option<&'a RawValue>,
    #[serde(borrow)]
    banner_image: Option<&'a RawValue>,
    date_published: Option<String>,
    date_modified: Option<String>,
    #[serde(borrow, default)]
    authors: Vec<Author<'a>>,
    #[serde(default)]
    tags: Vec<String>,
    language: Option<String>,
}

/// Judges the JSON feed `text`; what is found goes into `checker`. The
/// HTML of items is judged once per text however many feeds carry it
/// (`fragments`, keyed by the JSON string as written).
pub(crate) fn judge(checker: &mut Checker<'_>, text: &str, fragments: &Fragments) {
    let feed: Feed<'_> = match serde_json::from_str(text) {
        Ok(feed) => feed,
        Err(e) => {
            let at = offset(text, e.line(), e.column());
            refuse(
                checker,
                format!("echt cannot read this JSON feed: {e}"),
                at..at,
            );
            return;
        }
    };
    let mut value = Values { checker, text };
    value.link("home_page_url", feed.home_page_url);
    value.link("feed_url", feed.feed_url);
    value.link("next_url", feed.next_url);
    value.loaded("icon", feed.icon);
    value.loaded("favicon", feed.favicon);
    value.authors(&feed.authors);
    for item in &feed.items {
        value.link("url", item.url);
        value.link("external_url", item.external_url);
        value.loaded("image", item.image);
        value.loaded("banner_image", item.banner_image);
        value.authors(&item.authors);
        if let Some(raw) = item.content_html {
            value.html(raw, fragments);
        }
    }
}

/// The values of one feed, judged in `checker`.
struct Values<'c, 'p, 't> {
    checker: &'c mut Checker<'p>,
    text: &'t str,
}

impl Values<'_, '_, '_> {
    fn authors(&mut self, authors: &[Author<'_>]) {
        for author in authors {
            self.link("url", author.url);
            self.loaded("avatar", author.avatar);
        }
    }

    /// A URL a reader shows as a link.
    fn link(&mut self, key: &str, raw: Option<&RawValue>) {
        if let Some(attr) = raw.and_then(|raw| self.attr(key, raw)) {
            self.checker.feed_link(&format!("`{key}`"), &attr);
        }
    }

    /// A URL a reader loads by itself.
    fn loaded(&mut self, key: &str, raw: Option<&RawValue>) {
        if let Some(attr) = raw.and_then(|raw| self.attr(key, raw)) {
            let what = format!("the JSON feed's `{key}`");
            let value = attr.value.to_string();
            self.checker.resource(&what, &attr, &value);
        }
    }

    /// An item's `content_html`, as a feed reader shows it: its problems
    /// point at the value in the feed.
    fn html(&mut self, raw: &RawValue, fragments: &Fragments) {
        let written = raw.get();
        let span = self.span(raw);
        let found = match fragments.get(written) {
            Some(found) => found,
            None => {
                let Some(content) = self.string("content_html", raw) else {
                    return;
                };
                let mut inner = Checker::new(self.checker.policy(), self.checker.page());
                html::judge_fragment(&mut inner, &content);
                fragments.insert(written, inner.findings)
            }
        };
        for finding in found.iter() {
            let mut finding = finding.clone();
            finding.at = At::Span(span.clone());
            self.checker.findings.push(finding);
        }
    }

    /// The string `raw` holds, as an attribute named `key`.
    fn attr(&mut self, key: &str, raw: &RawValue) -> Option<Attr<'static>> {
        let value = self.string(key, raw)?;
        // As written, without the quotes: what a source may have written.
        let written = raw.get();
        let inner = written
            .strip_prefix('"')
            .and_then(|w| w.strip_suffix('"'))
            .unwrap_or(written);
        Some(Attr {
            name: key.to_string().into(),
            value: value.into(),
            raw: inner.to_string().into(),
            at: At::Span(self.span(raw)),
        })
    }

    /// The string `raw` holds; anything else is refused.
    fn string(&mut self, key: &str, raw: &RawValue) -> Option<String> {
        match serde_json::from_str::<String>(raw.get()) {
            Ok(value) => Some(value),
            Err(_) => {
                let span = self.span(raw);
                refuse(
                    self.checker,
                    format!("the JSON feed's `{key}` is not text, which echt cannot check"),
                    span,
                );
                None
            }
        }
    }

    /// Where `raw` is in the feed: it was read from it, borrowed.
    fn span(&self, raw: &RawValue) -> Range<usize> {
        let start = (raw.get().as_ptr() as usize)
            .checked_sub(self.text.as_ptr() as usize)
            .filter(|start| *start <= self.text.len())
            .unwrap_or(0);
        start..start + raw.get().len()
    }
}

/// Refuses what echt cannot read: an error at `span`.
fn refuse(checker: &mut Checker<'_>, message: String, span: Range<usize>) {
    checker.refuse(message, UNSURE_HINT, span);
}

/// The byte offset of serde_json's 1-based line and column.
pub(super) fn offset(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let mut at = (start + column.saturating_sub(1)).min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}
