//! The people who wrote a post as templates see them: the byline, the box
//! under a post (bio, photo, a link to their page) and the page of each
//! person's posts with its feeds.

use std::borrow::Cow;

use serde::Serialize;

use super::Url;
use crate::markdown::picture::Source;
use crate::render::feed::Format;
use crate::render::outputs::Outputs;
use crate::site::authors::{Person, Photo};
use crate::site::Site;

/// One person: `page.authors[]` and `author` of `author.html`.
#[derive(Debug, Serialize, Hash)]
pub(super) struct PersonView<'a> {
    name: &'a str,
    /// Their own website, from echt.yaml or the front matter.
    url: Option<&'a str>,
    /// Their page on this site, when they have one.
    page_url: Option<Url<'a>>,
    /// HTML.
    bio: Option<&'a str>,
    photo: Option<PhotoView<'a>>,
    /// Whether a post shows a box about them: they have a bio, a photo or
    /// a page.
    boxed: bool,
}

/// A photo: `src` always; the rest describes the versions of a picture
/// of `content/` (empty for a file of `static/`, shown as it is).
#[derive(Debug, Serialize, Hash)]
struct PhotoView<'a> {
    src: &'a str,
    srcset: &'a str,
    sizes: &'a str,
    sources: &'a [Source],
    width: u32,
    height: u32,
}

impl<'a> PhotoView<'a> {
    fn new(photo: &'a Photo) -> Self {
        let side = crate::site::authors::PHOTO_WIDTH;
        match &photo.picture {
            Some(p) => PhotoView {
                src: &p.src,
                srcset: &p.srcset,
                sizes: &p.sizes,
                sources: &p.sources,
                width: p.width,
                height: p.height,
            },
            // Its size is unknown: the box shows it square, cropped.
            None => PhotoView {
                src: &photo.url,
                srcset: "",
                sizes: "",
                sources: &[],
                width: side,
                height: side,
            },
        }
    }
}

impl<'a> PersonView<'a> {
    pub(super) fn new(site: &'a Site, person: &'a Person) -> Self {
        let page_url = person
            .page
            .then(|| Url(Cow::Owned(person.path(site.config.language))));
        PersonView {
            name: &person.name,
            url: person.url.as_deref(),
            boxed: person.bio.is_some() || person.photo.is_some() || page_url.is_some(),
            page_url,
            bio: person.bio.as_deref(),
            photo: person.photo.as_ref().map(PhotoView::new),
        }
    }
}

/// `author` of `author.html`: the person, how many posts they wrote, and
/// their feeds (null when not written).
#[derive(Debug, Serialize, Hash)]
pub(super) struct AuthorPage<'a> {
    #[serde(flatten)]
    person: PersonView<'a>,
    key: &'a str,
    count: usize,
    atom_url: Option<String>,
    rss_url: Option<String>,
    json_url: Option<String>,
}

impl<'a> AuthorPage<'a> {
    pub(super) fn new(
        site: &'a Site,
        outputs: &Outputs<'_>,
        person: &'a Person,
        base: &str,
    ) -> Self {
        AuthorPage {
            person: PersonView::new(site, person),
            key: &person.key,
            count: person.posts.len(),
            atom_url: outputs.feed_url(base, Format::Atom),
            rss_url: outputs.feed_url(base, Format::Rss),
            json_url: outputs.feed_url(base, Format::Json),
        }
    }
}
