//! The JSON feed oracle: serde_json's untyped `Value` (not the audit's
//! typed reading), walked with the keys of JSON Feed 1.1. A key the
//! specification does not name is a problem: a feed reader may act on it
//! (`attachments` are downloaded by podcast apps, `hubs` are contacted,
//! the 1.0 `author` has an `avatar`), and the audit promises to refuse
//! what it cannot judge. URLs a reader loads by itself must stay on the
//! site, links must not run code, and `content_html` is read by the HTML
//! oracle as the body of a page.

use serde_json::{Map, Value};
use url::Url;

use crate::Problems;

/// What a key of JSON Feed 1.1 holds, as far as privacy goes.
#[derive(Clone, Copy)]
enum Kind {
    /// Text shown as text, or a number or flag.
    Inert,
    /// A URL the reader shows as a link.
    Link,
    /// A URL the reader loads without being asked.
    Loaded,
    /// HTML the reader shows.
    Html,
    /// A list of authors.
    Authors,
    /// The list of items.
    Items,
    /// A list of tags.
    Tags,
}

const FEED: &[(&str, Kind)] = &[
    ("version", Kind::Inert),
    ("title", Kind::Inert),
    ("home_page_url", Kind::Link),
    ("feed_url", Kind::Link),
    ("description", Kind::Inert),
    ("user_comment", Kind::Inert),
    ("next_url", Kind::Link),
    ("icon", Kind::Loaded),
    ("favicon", Kind::Loaded),
    ("authors", Kind::Authors),
    ("language", Kind::Inert),
    ("expired", Kind::Inert),
    ("items", Kind::Items),
];

const ITEM: &[(&str, Kind)] = &[
    ("id", Kind::Inert),
    ("url", Kind::Link),
    ("external_url", Kind::Link),
    ("title", Kind::Inert),
    ("content_html", Kind::Html),
    ("content_text", Kind::Inert),
    ("summary", Kind::Inert),
    ("image", Kind::Loaded),
    ("banner_image", Kind::Loaded),
    ("date_published", Kind::Inert),
    ("date_modified", Kind::Inert),
    ("authors", Kind::Authors),
    ("tags", Kind::Tags),
    ("language", Kind::Inert),
];

const AUTHOR: &[(&str, Kind)] = &[
    ("name", Kind::Inert),
    ("url", Kind::Link),
    ("avatar", Kind::Loaded),
];

/// Checks the JSON feed `text`, read from `base`.
pub fn check(text: &str, base: &Url, out: &mut Problems) {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(feed)) => object("feed", &feed, FEED, base, out),
        Ok(other) => out.push(format!("the feed is not an object: {other}")),
        Err(e) => out.push(format!("the feed is not JSON: {e}")),
    }
}

fn object(
    what: &str,
    map: &Map<String, Value>,
    keys: &[(&str, Kind)],
    base: &Url,
    out: &mut Problems,
) {
    for (key, value) in map {
        let Some(&(_, kind)) = keys.iter().find(|(k, _)| k == key) else {
            out.push(format!("{what} has the key `{key}`, which JSON Feed 1.1 does not name"));
            continue;
        };
        let at = format!("{what}'s `{key}`");
        match (kind, value) {
            (Kind::Link, Value::String(url)) => crate::link(base, &at, url, out),
            (Kind::Loaded, Value::String(url)) => crate::resource(base, &at, url, out),
            (Kind::Html, Value::String(html)) => {
                let mut inner = Problems::new();
                crate::html::check(&crate::page(html), base, 0, &mut inner);
                out.extend(inner.into_iter().map(|p| format!("in {at}: {p}")));
            }
            (Kind::Authors, Value::Array(authors)) => {
                for author in authors {
                    list_entry(&at, author, AUTHOR, base, out);
                }
            }
            (Kind::Items, Value::Array(items)) => {
                for item in items {
                    list_entry(&at, item, ITEM, base, out);
                }
            }
            (Kind::Tags | Kind::Inert, _) => {}
            // A URL or HTML that is not text, or a list that is none: the
            // audit promises to refuse what it cannot judge.
            (_, other) => out.push(format!("{at} is not of its type: {other}")),
        }
    }
}

fn list_entry(at: &str, value: &Value, keys: &[(&str, Kind)], base: &Url, out: &mut Problems) {
    match value {
        Value::Object(map) => object(at, map, keys, base, out),
        other => out.push(format!("{at} holds something that is no object: {other}")),
    }
}
