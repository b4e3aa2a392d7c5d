//! The old URLs that are no post's or page's: category, tag, date and
//! author archives and feeds become echt.yaml `redirects:` (HTML pages any
//! host serves); feeds and `?p=ID` / `?page_id=ID` also get real 301s in
//! `static/_redirects` (Netlify reads it, query included) and
//! `static/_nginx.conf` (nginx can match a query; echt merges the file
//! into its own), since a static file cannot answer a query and feed
//! readers follow HTML redirects poorly.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use chrono::Datelike as _;

use crate::import::jekyll::url::escape_path;
use crate::import::report::{Report, UrlRow};
use crate::import::wordpress::plan::{old_path, query_key, Plan, EXPORT};
use crate::import::wordpress::wxr::{Export, SiteTerm};
use crate::util::i18n;
use crate::util::slug::slugify;

/// The redirects of the new site.
#[derive(Debug, Clone, Default)]
pub struct Redirects {
    /// Old path → new path (echt.yaml `redirects:`), both with a leading
    /// `/`, below the blog's base path.
    pub pages: BTreeMap<String, String>,
    /// Old feed path → new feed path, also as 301s.
    pub feeds: BTreeMap<String, String>,
    /// (`p` or `page_id`, id, new path).
    pub queries: Vec<(&'static str, u64, String)>,
}

/// Every old URL of the lists and feeds, and the queries.
pub fn redirects(export: &Export, plan: &Plan, report: &mut Report) -> Redirects {
    let mut r = Redirects::default();
    let tags: BTreeSet<String> = plan
        .docs
        .iter()
        .filter(|d| d.published && d.post)
        .filter_map(|d| d.front.get("tags").and_then(|t| t.as_sequence()))
        .flatten()
        .filter_map(|t| t.as_str().map(slugify))
        .collect();
    let archive = format!("/{}", i18n::archive_path(plan.language));
    for term in &export.site.categories {
        let slug = slugify(&htmlize::unescape(&term.name));
        if tags.contains(&slug) {
            let old = format!(
                "/category/{}/",
                category_path(term, &export.site.categories)
            );
            r.pages.insert(old, format!("/tags/{slug}/"));
        }
    }
    for term in &export.site.tags {
        let slug = slugify(&htmlize::unescape(&term.name));
        if tags.contains(&slug) {
            r.pages
                .insert(format!("/tag/{}/", term.slug), format!("/tags/{slug}/"));
        }
    }
    let mut authors = BTreeSet::new();
    for doc in plan.docs.iter().filter(|d| d.published && d.post) {
        let item = &export.items[doc.item];
        if let Some(date) = item.date {
            let (y, m, d) = (date.year(), date.month(), date.day());
            for old in [
                format!("/{y:04}/"),
                format!("/{y:04}/{m:02}/"),
                format!("/{y:04}/{m:02}/{d:02}/"),
            ] {
                r.pages.insert(old, archive.clone());
            }
        }
        if !item.creator.is_empty() {
            authors.insert(item.creator.clone());
        }
        // Every post is a bundle, and every bundle post has a comments
        // feed, as every WordPress post had.
        if let Some(old) = old_path(&item.link, &plan.base_url) {
            let old = crate::util::url::percent_decode_lossy(&old);
            let feed = format!("{}/feed/", old.trim_end_matches('/'));
            r.feeds
                .insert(feed, format!("/{}comments.xml", comments_base(&doc.path)));
        }
    }
    for login in authors {
        r.pages.insert(format!("/author/{login}/"), archive.clone());
    }
    r.feeds.insert("/feed/".into(), "/rss.xml".into());
    r.feeds.insert("/feed/rss2/".into(), "/rss.xml".into());
    r.feeds.insert("/feed/atom/".into(), "/atom.xml".into());
    for doc in plan.docs.iter().filter(|d| d.published) {
        let item = &export.items[doc.item];
        let key = query_key(doc.post);
        r.queries.push((key, item.id, format!("/{}", doc.path)));
    }
    // A path a document has, or one of its aliases, is no redirect.
    let own: BTreeSet<String> = plan
        .docs
        .iter()
        .filter(|d| d.published)
        .map(|d| format!("/{}", d.path))
        .collect();
    r.pages.retain(|old, _| !own.contains(old));
    for (old, new) in r.pages.iter().chain(&r.feeds) {
        report.urls.insert(UrlRow {
            old: old.clone(),
            how: format!("redirect → `{new}`"),
            from: EXPORT.into(),
        });
    }
    for (key, id, new) in &r.queries {
        report.urls.insert(UrlRow {
            old: format!("/?{key}={id}"),
            how: format!("301 in `_redirects` and `_nginx.conf` → `{new}`"),
            from: EXPORT.into(),
        });
    }
    r
}

/// `parent/child` for a category under another.
fn category_path(term: &SiteTerm, all: &[SiteTerm]) -> String {
    let mut path = vec![term.slug.clone()];
    let mut parent = term.parent.clone();
    let mut seen = BTreeSet::new();
    while !parent.is_empty() && seen.insert(parent.clone()) {
        path.push(parent.clone());
        parent = all
            .iter()
            .find(|t| t.slug == parent)
            .map(|t| t.parent.clone())
            .unwrap_or_default();
    }
    path.reverse();
    path.join("/")
}

/// Where a post's comment feed lies: `posts/a/comments.xml` for the
/// folder `posts/a/`, `posts/a.comments.xml` for the file `posts/a.html`.
fn comments_base(path: &str) -> String {
    match path.strip_suffix(".html") {
        Some(file) => format!("{file}."),
        None => path.to_string(),
    }
}

/// `static/_redirects`: the feeds and the queries, as 301s.
pub fn netlify(r: &Redirects, base: &str) -> String {
    let base = base.trim_end_matches('/');
    let mut out = String::from(
        "# Written by echt import wordpress: old feeds and ?p= / ?page_id= addresses, as 301s.\n",
    );
    for (old, new) in &r.feeds {
        let (old, new) = (escape_path(old), escape_path(new));
        let _ = writeln!(out, "{base}{old} {base}{new} 301");
    }
    for (key, id, new) in &r.queries {
        let _ = writeln!(out, "{base}/ {key}={id} {base}{} 301", escape_path(new));
    }
    out
}

/// `static/_nginx.conf`: the same for nginx, which echt merges into the
/// snippet it writes.
pub fn nginx(r: &Redirects, base: &str) -> String {
    let base = base.trim_end_matches('/');
    let mut out = String::from(
        "# Written by echt import wordpress: old feeds and ?p= / ?page_id= addresses, as 301s.\n",
    );
    for (old, new) in &r.feeds {
        let _ = writeln!(
            out,
            "location = {base}{old} {{ return 301 {base}{}; }}",
            escape_path(new)
        );
    }
    for (key, id, new) in &r.queries {
        let _ = writeln!(
            out,
            "if ($arg_{key} = \"{id}\") {{ return 301 {base}{}; }}",
            escape_path(new)
        );
    }
    out
}
