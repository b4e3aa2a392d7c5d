//! What templates know of series and related posts: the box that shows a
//! post's place in its series, the list of related posts under it, and
//! the series' own pages.
//!
//! Each is made of other posts' titles, URLs and dates, so a post's
//! fingerprint changes when a part of its series or a related post is
//! renamed, moved or redated, or when the lists themselves change (a tag
//! edited elsewhere).

use std::borrow::Cow;

use serde::Serialize;

use super::{Iso, Shown, Url};
use crate::render::Date;
use crate::site::series::Series;
use crate::site::{Document, Site};

/// `series` of a post's context: where the post stands in its series.
#[derive(Debug, Serialize, Hash)]
pub(super) struct SeriesBox<'a> {
    name: &'a str,
    /// The series' page.
    url: Url<'a>,
    /// This post's part, from 1.
    part: usize,
    total: usize,
    /// Every part, oldest first; `current` marks this post.
    parts: Vec<Part<'a>>,
}

/// One part of a series in the box.
#[derive(Debug, Serialize, Hash)]
struct Part<'a> {
    #[serde(flatten)]
    post: PostLink<'a>,
    current: bool,
}

/// A post named by its title and date, with its URL: a related post, a
/// part of a series.
#[derive(Debug, Serialize, Hash)]
pub(super) struct PostLink<'a> {
    title: &'a str,
    url: Url<'a>,
    date: Iso,
    date_display: Shown,
}

impl<'a> PostLink<'a> {
    fn new(doc: &'a Document) -> Self {
        PostLink {
            title: &doc.front.title,
            url: Url(Cow::Borrowed(&doc.path)),
            date: Iso(doc.date.map(Date)),
            date_display: Shown(doc.date.map(Date), doc.language),
        }
    }
}

/// The series box of the post at `post`, if it is part of a series.
pub(super) fn series_box(site: &Site, post: usize) -> Option<SeriesBox<'_>> {
    let series = &site.series[site.posts[post].series?];
    Some(SeriesBox {
        name: &series.name,
        url: Url(Cow::Owned(series.path(site.config.language))),
        part: series.part(post)?,
        total: series.posts.len(),
        parts: series
            .posts
            .iter()
            .map(|&p| Part {
                post: PostLink::new(&site.posts[p]),
                current: p == post,
            })
            .collect(),
    })
}

/// `related` of a post's context: its related posts, best first.
pub(super) fn related(site: &Site, post: usize) -> Vec<PostLink<'_>> {
    site.posts[post]
        .related
        .iter()
        .map(|&p| PostLink::new(&site.posts[p]))
        .collect()
}

/// A series in the list of series, and on its own page.
#[derive(Debug, Serialize, Hash)]
pub(super) struct SeriesView<'a> {
    name: &'a str,
    slug: &'a str,
    url: Url<'a>,
    count: usize,
    /// The first and the last part.
    first: PostLink<'a>,
    last: PostLink<'a>,
}

impl<'a> SeriesView<'a> {
    /// A series has at least one part, so `first` and `last` exist; None
    /// only if not.
    pub(super) fn new(site: &'a Site, series: &'a Series) -> Option<Self> {
        let first = &site.posts[*series.posts.first()?];
        let last = &site.posts[*series.posts.last()?];
        Some(SeriesView {
            name: &series.name,
            slug: &series.slug,
            url: Url(Cow::Owned(series.path(site.config.language))),
            count: series.posts.len(),
            first: PostLink::new(first),
            last: PostLink::new(last),
        })
    }

    /// Every series of the site, by slug.
    pub(super) fn all(site: &'a Site) -> Vec<Self> {
        site.series
            .iter()
            .filter_map(|s| SeriesView::new(site, s))
            .collect()
    }
}
