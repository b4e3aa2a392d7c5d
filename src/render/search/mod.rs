//! Search without third parties (`search: true`): a static index of the
//! published posts and pages, made at build time, and echt's own small
//! script that the search page alone may run.
//!
//! The index is JSON in `search-index/` (format 1, documented in
//! README.md's section on search):
//!
//! - `meta.json`: `{"version":1,"language":"de","shards":S,"docs":N,"chunk":C,"ending":5,"stem":3}`;
//! - `terms-K.json` for K in 0..S: an object from each index term (a
//!   stem, folded: [`words`]) to its postings, the documents that hold it:
//!   numbers `2 × document + 1` when the term is in the title or a tag,
//!   `2 × document` otherwise, ascending, each written as the difference
//!   to the one before. A term lives in shard
//!   `fnv1a32(first two characters) mod S`, so every term a reader's word
//!   begins or is begun by is in the word's shard;
//! - `docs-K.json`: the documents `K × C` to `K × C + C - 1`, newest post
//!   first, then the pages: `url` (relative to the index folder), `title`,
//!   `date` as shown and `datetime`, and `summary`.
//!
//! Which files exist depends only on how many documents there are, so a
//! preview edit of a post's text (which keeps the site's lists) keeps the
//! list of output files, and rewrites the index.

use std::collections::HashMap;
use std::fmt::Write as _;

use rayon::prelude::*;
use serde::Serialize;

use crate::site::{Document, Site};
use crate::util::i18n::{self, format_date, SEARCH_INDEX_PATH};

pub mod words;

use words::Terms;

/// echt's own search script, the only script a default echt site runs.
pub const SCRIPT: &str = include_str!("search.js");
/// Its file below the site root.
pub const SCRIPT_FILE: &str = i18n::SEARCH_SCRIPT;
/// The version of the index format, in `meta.json`.
pub const VERSION: u32 = 1;
/// Documents per `docs-K.json`.
pub const CHUNK: usize = 50;
/// Documents per shard of terms, roughly: the shard count is the power of
/// two nearest above `documents / DOCS_PER_SHARD`, at most [`MAX_SHARDS`].
const DOCS_PER_SHARD: usize = 40;
const MAX_SHARDS: usize = 256;

/// One file of the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Part {
    Meta,
    Terms(usize),
    Docs(usize),
    Script,
}

impl Part {
    /// The file below the site root.
    pub fn file(self) -> String {
        match self {
            Part::Meta => format!("{SEARCH_INDEX_PATH}meta.json"),
            Part::Terms(k) => format!("{SEARCH_INDEX_PATH}terms-{k}.json"),
            Part::Docs(k) => format!("{SEARCH_INDEX_PATH}docs-{k}.json"),
            Part::Script => SCRIPT_FILE.to_string(),
        }
    }
}

/// How many shards of terms an index of `documents` has.
pub fn shard_count(documents: usize) -> usize {
    (documents / DOCS_PER_SHARD)
        .next_power_of_two()
        .clamp(1, MAX_SHARDS)
}

/// Every file of the index of a site with `documents` documents.
pub fn parts(documents: usize) -> Vec<Part> {
    let mut parts = vec![Part::Script, Part::Meta];
    parts.extend((0..shard_count(documents)).map(Part::Terms));
    parts.extend((0..documents.div_ceil(CHUNK).max(1)).map(Part::Docs));
    parts
}

/// The documents the index holds, in its order: posts (newest first),
/// then pages.
pub fn documents(site: &Site) -> impl Iterator<Item = &Document> {
    site.posts.iter().chain(&site.pages)
}

/// The shard of a term or of a reader's folded word.
pub fn shard(term: &str, shards: usize) -> usize {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in words::key(term).bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash as usize % shards.max(1)
}

/// The index, every file's text.
#[derive(Debug)]
pub struct Index {
    pub meta: String,
    pub terms: Vec<String>,
    pub docs: Vec<String>,
}

impl Index {
    /// The text of one part.
    pub fn text(&self, part: Part) -> &str {
        match part {
            Part::Meta => &self.meta,
            Part::Terms(k) => self.terms.get(k).map_or("{}", String::as_str),
            Part::Docs(k) => self.docs.get(k).map_or("[]", String::as_str),
            Part::Script => SCRIPT,
        }
    }
}

/// One document as the results list shows it.
#[derive(Debug, Serialize)]
struct Shown<'a> {
    url: String,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    datetime: Option<String>,
    summary: &'a str,
}

/// Builds the index of `site`.
pub fn build(site: &Site) -> Index {
    let language = site.config.language;
    let docs: Vec<&Document> = documents(site).collect();
    let shards = shard_count(docs.len());
    let mut sorted: Vec<(String, Vec<u32>)> = postings(site, &docs).into_iter().collect();
    sorted.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut terms = vec![String::from("{"); shards];
    for (term, ids) in &sorted {
        let out = &mut terms[shard(term, shards)];
        if out.len() > 1 {
            out.push(',');
        }
        out.push_str(&serde_json::to_string(term).unwrap_or_default());
        out.push_str(":[");
        let mut previous = 0;
        for (i, id) in ids.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let _ = write!(out, "{}", id - previous);
            previous = *id;
        }
        out.push(']');
    }
    for shard in &mut terms {
        shard.push_str("}\n");
    }
    let shown: Vec<Shown<'_>> = docs.iter().map(|doc| shown(site, doc)).collect();
    let mut chunks: Vec<String> = shown
        .chunks(CHUNK)
        .map(|chunk| serde_json::to_string(chunk).unwrap_or_default() + "\n")
        .collect();
    if chunks.is_empty() {
        chunks.push("[]\n".to_string());
    }
    let meta = format!(
        "{{\"version\":{VERSION},\"language\":\"{}\",\"shards\":{shards},\"docs\":{},\"chunk\":{CHUNK},\"ending\":{},\"stem\":{}}}\n",
        language.code(),
        docs.len(),
        words::MAX_ENDING,
        words::MIN_STEM,
    );
    Index {
        meta,
        terms,
        docs: chunks,
    }
}

/// Each term's postings: the documents it is in, ascending, each as
/// `id * 2 + 1` when the term is in its title or a tag, else `id * 2`.
/// Made in parallel, each thread gathering the postings of the documents
/// it reads, so that only postings are held, never every document's
/// terms at once (4 bytes per term and document instead of a string).
fn postings(site: &Site, docs: &[&Document]) -> HashMap<String, Vec<u32>> {
    let language = site.config.language;
    let mut postings = docs
        .par_iter()
        .enumerate()
        .fold(
            || (Terms::new(language), HashMap::new(), HashMap::new()),
            |(terms, mut memo, mut postings), (id, doc)| {
                let id = u32::try_from(id).unwrap_or(u32::MAX);
                for (term, in_title) in doc_terms(site, doc, &terms, &mut memo) {
                    postings
                        .entry(term)
                        .or_insert_with(Vec::new)
                        .push(id * 2 + u32::from(in_title));
                }
                (terms, memo, postings)
            },
        )
        .map(|(_, _, postings)| postings)
        .reduce(HashMap::new, merge);
    // Each thread's documents ascend, but the threads' runs interleave.
    for ids in postings.values_mut() {
        ids.sort_unstable();
    }
    postings
}

/// The postings of two sets of documents together.
fn merge(
    mut into: HashMap<String, Vec<u32>>,
    mut from: HashMap<String, Vec<u32>>,
) -> HashMap<String, Vec<u32>> {
    if into.len() < from.len() {
        std::mem::swap(&mut into, &mut from);
    }
    for (term, ids) in from {
        into.entry(term).or_default().extend(ids);
    }
    into
}

/// The terms of one document, each once, with whether it is in the title
/// or a tag.
fn doc_terms(
    site: &Site,
    doc: &Document,
    terms: &Terms,
    memo: &mut HashMap<String, String>,
) -> Vec<(String, bool)> {
    let mut found: HashMap<String, bool> = HashMap::new();
    let mut add = |text: &str, in_title: bool| {
        for word in words::words(text) {
            let term = match memo.get(word) {
                Some(term) => term.clone(),
                None => {
                    let term = terms.term(word);
                    memo.insert(word.to_string(), term.clone());
                    term
                }
            };
            let slot = found.entry(term).or_insert(false);
            *slot |= in_title;
        }
    };
    add(&doc.front.title, true);
    for &tag in &doc.tags {
        add(&site.tags[tag].name, true);
    }
    if let Some(description) = &doc.front.description {
        add(description, false);
    }
    add(&text_of(&doc.rendered.html), false);
    let mut out: Vec<(String, bool)> = found.into_iter().collect();
    out.sort_unstable();
    out
}

/// What the results list shows of a document.
fn shown<'a>(site: &Site, doc: &'a Document) -> Shown<'a> {
    let language = site.config.language;
    Shown {
        url: format!("../{}", doc.path),
        title: &doc.front.title,
        date: doc.date.map(|d| format_date(&d, language)),
        datetime: doc.date.map(|d| d.format("%Y-%m-%d").to_string()),
        summary: doc
            .front
            .description
            .as_deref()
            .unwrap_or(&doc.rendered.summary_text),
    }
}

/// The text of a document's HTML: what is between its tags, entities
/// decoded.
pub fn text_of(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        out.push(' ');
        rest = match rest[open..].find('>') {
            Some(close) => &rest[open + close + 1..],
            None => "",
        };
    }
    out.push_str(rest);
    htmlize::unescape(&out).into_owned()
}

#[cfg(test)]
mod tests;
