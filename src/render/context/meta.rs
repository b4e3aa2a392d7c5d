//! Link previews: what another site or a messenger shows when someone
//! shares a page (OpenGraph, Twitter cards) and what search engines quote
//! (`<meta name="description">`). Computed here so that templates only
//! print them.
//!
//! Nothing here is loaded by the reader's browser: these are `<meta>`
//! elements, read only by the program that fetches the page to show a
//! preview. The picture named is always one of the site's own files (the
//! front matter `image` in the version nearest [`PREVIEW_WIDTH`]), never
//! another host's; the audit refuses an `og:image` or `twitter:image`
//! elsewhere, whatever a theme writes.

use std::borrow::Cow;

use serde::Serialize;

use super::{Absolute, Iso};
use crate::image::{Picture, Version};
use crate::markdown::picture;
use crate::render::Date;
use crate::site::{Document, Site};
use crate::util::url;

/// How long a description may be, in characters, before it is cut at a
/// word: what search engines show of it.
pub const DESCRIPTION_LENGTH: usize = 160;

/// The width a preview picture should have: what the sites that show
/// large previews ask for.
pub const PREVIEW_WIDTH: u32 = 1200;

/// The link preview of one page.
#[derive(Debug, Serialize, Hash)]
pub(super) struct Meta<'a> {
    /// `og:title`, `twitter:title`: the page's own title, without the
    /// site's name (that is `site_name`).
    title: Cow<'a, str>,
    /// `<meta name="description">`, `og:description`: plain text of at
    /// most [`DESCRIPTION_LENGTH`] characters.
    description: String,
    /// `og:url`: the canonical address; null on the 404 page, which then
    /// has no preview beyond its description.
    url: Option<Absolute<'a>>,
    site_name: &'a str,
    /// `og:locale`: `de_DE` or `en_US`.
    locale: &'static str,
    /// `og:type`: `article` for posts, `website` otherwise.
    #[serde(rename = "type")]
    kind: &'static str,
    /// `article:published_time`, `article:modified_time` (RFC 3339), or
    /// null.
    published: Iso,
    modified: Iso,
    image: Option<MetaImage<'a>>,
    /// `twitter:card`: `summary_large_image` with a picture, `summary`
    /// without.
    twitter_card: &'static str,
}

/// `og:image` and its `width`, `height`, `type` and `alt`.
#[derive(Debug, Serialize, Hash)]
struct MetaImage<'a> {
    url: String,
    width: Option<u32>,
    height: Option<u32>,
    #[serde(rename = "type")]
    mime: Option<&'static str>,
    alt: &'a str,
}

impl<'a> Meta<'a> {
    /// The preview of a post (`article`) or page (`website`).
    pub fn document(site: &'a Site, doc: &'a Document, post: bool) -> Self {
        let description = doc
            .front
            .description
            .as_deref()
            .filter(|d| !d.trim().is_empty())
            .unwrap_or(&doc.rendered.summary_text);
        let image = image(site, doc);
        Meta {
            title: Cow::Borrowed(&doc.front.title),
            description: describe(description),
            url: Some(Absolute {
                base_url: &site.config.base_url,
                path: Cow::Borrowed(&doc.path),
            }),
            site_name: &site.config.title,
            locale: doc.language.locale(),
            kind: if post { "article" } else { "website" },
            published: Iso(doc.date.filter(|_| post).map(Date)),
            modified: Iso(doc.front.updated.filter(|_| post).map(Date)),
            twitter_card: if image.is_some() {
                "summary_large_image"
            } else {
                "summary"
            },
            image,
        }
    }

    /// The preview of a page that lists posts (or says something about
    /// the site): its title, the site's description unless it has one of
    /// its own, no picture. `path` is None for the 404 page.
    pub fn list(
        site: &'a Site,
        title: Cow<'a, str>,
        description: Option<String>,
        path: Option<String>,
    ) -> Self {
        Meta {
            title,
            description: describe(&description.unwrap_or_else(|| site.config.description.clone())),
            url: path.map(|path| Absolute {
                base_url: &site.config.base_url,
                path: Cow::Owned(path),
            }),
            site_name: &site.config.title,
            locale: site.config.language.locale(),
            kind: "website",
            published: Iso(None),
            modified: Iso(None),
            image: None,
            twitter_card: "summary",
        }
    }
}

/// `text` as a description: whitespace runs made one space, and cut at
/// the last word that fits [`DESCRIPTION_LENGTH`] characters, with `…`.
pub fn describe(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let joined = words.join(" ");
    if joined.chars().count() <= DESCRIPTION_LENGTH {
        return joined;
    }
    let mut out = String::new();
    for word in &words {
        // One character is kept for the ellipsis.
        if out.chars().count() + usize::from(!out.is_empty()) + word.chars().count()
            >= DESCRIPTION_LENGTH
        {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    if out.is_empty() {
        // A single word longer than a description: cut inside it.
        out = joined.chars().take(DESCRIPTION_LENGTH - 1).collect();
    }
    let trimmed = out.trim_end_matches([',', ';', ':', '–', '-', '—', ' ']);
    format!("{trimmed}…")
}

/// The document's preview picture: its front matter `image` when that is
/// one of the site's files, in the version nearest [`PREVIEW_WIDTH`] of
/// its own format (JPEG and PNG are what every preview shows).
fn image<'a>(site: &'a Site, doc: &'a Document) -> Option<MetaImage<'a>> {
    let front = doc.image.as_ref()?;
    let (site_path, _) = picture::split(&front.url)?;
    let alt = doc.front.image_alt.as_deref().unwrap_or_default();
    let absolute = |path: &str| url::absolute(&site.config.base_url, path);
    match site.images.get(site_path) {
        Some(Ok(picture)) => {
            let version = preview_version(picture);
            Some(MetaImage {
                url: absolute(&version.site_path),
                width: Some(version.width),
                height: Some(version.height),
                mime: Some(version.format.mime()),
                alt,
            })
        }
        Some(Err(_)) => None,
        // Another file of the site (a picture in `static/`): named as it
        // is; the audit checks that it exists.
        None => Some(MetaImage {
            url: absolute(site_path),
            width: None,
            height: None,
            mime: None,
            alt,
        }),
    }
}

/// Of the original and its versions in the same format, the narrowest at
/// least [`PREVIEW_WIDTH`] wide, or the widest.
fn preview_version(picture: &Picture) -> &Version {
    let own = std::iter::once(&picture.original).chain(
        picture
            .versions
            .iter()
            .filter(|v| v.format == picture.original.format),
    );
    let (wide, narrow): (Vec<&Version>, Vec<&Version>) =
        own.partition(|v| v.width >= PREVIEW_WIDTH);
    wide.into_iter()
        .min_by_key(|v| v.width)
        .or_else(|| narrow.into_iter().max_by_key(|v| v.width))
        .unwrap_or(&picture.original)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::ImageFormat;

    #[test]
    fn short_descriptions_are_kept_with_their_spaces_made_one() {
        assert_eq!(describe("  Ein kurzer\n Satz.  "), "Ein kurzer Satz.");
        assert_eq!(describe(""), "");
    }

    #[test]
    fn long_descriptions_are_cut_at_a_word() {
        let text = "Wörter ".repeat(40);
        let cut = describe(&text);
        assert!(cut.chars().count() <= DESCRIPTION_LENGTH, "{cut}");
        assert!(cut.ends_with("Wörter…"), "{cut}");
        // 22 words of 6 letters and their spaces: 153 characters.
        assert_eq!(cut.matches("Wörter").count(), 22);
        let exact = "a".repeat(DESCRIPTION_LENGTH);
        assert_eq!(describe(&exact), exact);
    }

    #[test]
    fn cuts_leave_no_dangling_punctuation() {
        let text = format!("{} Ende, und weiter so fort", "x".repeat(150));
        assert_eq!(describe(&text), format!("{} Ende…", "x".repeat(150)));
        let text = format!("{} Ende – und weiter so fort", "x".repeat(150));
        assert_eq!(describe(&text), format!("{} Ende…", "x".repeat(150)));
    }

    #[test]
    fn one_overlong_word_is_cut_inside() {
        let cut = describe(&"ä".repeat(400));
        assert_eq!(cut.chars().count(), DESCRIPTION_LENGTH);
        assert!(cut.ends_with("ä…"));
    }

    fn version(width: u32, format: ImageFormat) -> Version {
        Version {
            site_path: format!("a-{width}.{format:?}"),
            width,
            height: width / 2,
            format,
            len: 1,
        }
    }

    #[test]
    fn the_preview_version_is_the_narrowest_wide_enough_in_its_own_format() {
        let picture = |original: u32, widths: &[u32]| Picture {
            width: original,
            height: original / 2,
            original: version(original, ImageFormat::Jpeg),
            versions: widths
                .iter()
                .map(|&w| version(w, ImageFormat::Jpeg))
                .chain(widths.iter().map(|&w| version(w, ImageFormat::Webp)))
                .collect(),
            had_location: false,
            key: 0,
        };
        let p = picture(4000, &[480, 800, 1200, 1600]);
        let chosen = preview_version(&p);
        assert_eq!((chosen.width, chosen.format), (1200, ImageFormat::Jpeg));
        let p = picture(1300, &[480, 800, 1200]);
        assert_eq!(preview_version(&p).width, 1200);
        let p = picture(1000, &[480, 800]);
        assert_eq!(preview_version(&p).width, 1000);
        let p = picture(2000, &[1600]);
        assert_eq!(preview_version(&p).width, 1600);
        let gif = Picture {
            versions: Vec::new(),
            ..picture(300, &[])
        };
        assert_eq!(preview_version(&gif).width, 300);
    }
}
