//! The search index (`search: true`), read as the search script reads it:
//! `meta.json`, the shards of terms and the documents' lists, each in the
//! one shape echt writes (src/render/search/mod.rs documents it). The
//! script puts a document's `url` into a link and its other values into
//! text, so every `url` must lead to a page of the site, and every other
//! value must be text or a number where the script expects one.
//!
//! It fails closed like the JSON feed's reader: text that is not JSON, a
//! key echt does not write, a value of another type, or a file of the
//! folder that is none of the three is refused.

use std::collections::HashMap;
use std::ops::Range;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::rules::{Checker, Link};
use super::{At, Target};
use crate::util::error::Severity;

const HINT: &str =
    "echt writes its search index itself; it publishes nothing in it that it cannot check";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // Read to check their types.
struct Meta {
    version: u32,
    language: String,
    shards: u32,
    docs: u32,
    chunk: u32,
    ending: u32,
    stem: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Doc<'a> {
    #[serde(borrow)]
    url: &'a RawValue,
    title: String,
    date: Option<String>,
    datetime: Option<String>,
    summary: String,
}

/// Which file of the index `file` is, by its name.
enum Kind {
    Meta,
    Terms,
    Docs,
}

fn kind(file: &str) -> Option<Kind> {
    let name = file.rsplit('/').next().unwrap_or(file);
    let numbered = |prefix: &str| {
        name.strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix(".json"))
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    };
    if name == "meta.json" {
        Some(Kind::Meta)
    } else if numbered("terms-") {
        Some(Kind::Terms)
    } else if numbered("docs-") {
        Some(Kind::Docs)
    } else {
        None
    }
}

/// Judges one JSON file of the search index; the links of its documents
/// go into `checker.links`, to be checked against the site's files.
pub(crate) fn judge(checker: &mut Checker<'_>, file: &str, text: &str) {
    let read = match kind(file) {
        Some(Kind::Meta) => serde_json::from_str::<Meta>(text).map(|_| ()),
        Some(Kind::Terms) => serde_json::from_str::<HashMap<String, Vec<u32>>>(text).map(|_| ()),
        Some(Kind::Docs) => match serde_json::from_str::<Vec<Doc<'_>>>(text) {
            Ok(docs) => {
                for doc in &docs {
                    url(checker, text, doc.url);
                }
                Ok(())
            }
            Err(e) => Err(e),
        },
        None => {
            refuse(
                checker,
                "echt writes no such file into its search index".to_string(),
                0..0,
            );
            return;
        }
    };
    if let Err(e) = read {
        let at = super::json::offset(text, e.line(), e.column());
        refuse(
            checker,
            format!("echt cannot read this file of the search index: {e}"),
            at..at,
        );
    }
}

/// A document's `url`: a page of this site, or an error.
fn url(checker: &mut Checker<'_>, text: &str, raw: &RawValue) {
    let start = (raw.get().as_ptr() as usize)
        .checked_sub(text.as_ptr() as usize)
        .filter(|start| *start <= text.len())
        .unwrap_or(0);
    let span = start..start + raw.get().len();
    let Ok(value) = serde_json::from_str::<String>(raw.get()) else {
        refuse(
            checker,
            "a document's `url` in the search index is not text".to_string(),
            span,
        );
        return;
    };
    match checker.policy().judge(checker.page(), &value) {
        Target::Site { file, fragment } => checker.links.push(Link {
            file,
            fragment,
            raw: value,
            at: At::Span(span),
        }),
        other => refuse(
            checker,
            format!(
                "a document's `url` in the search index leads out of the site ({}), and the search script would link it",
                match other {
                    Target::Foreign(host) | Target::Allowed(host) => format!("to `{host}`"),
                    Target::Script => "a `javascript:` URL".to_string(),
                    _ => format!("`{value}`"),
                }
            ),
            span,
        ),
    }
}

fn refuse(checker: &mut Checker<'_>, message: String, span: Range<usize>) {
    checker.find(Severity::Error, message, HINT, At::Span(span), Vec::new());
}
