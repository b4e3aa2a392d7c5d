//! Plain Markdown images as responsive pictures. `![Alt](foto.jpg)` names
//! a picture of `content/`; the image stage has made it in several widths
//! and formats, and this writes what lets a browser choose: `<picture>`
//! with a WebP `<source>`, `srcset` and `sizes` over the widths, and
//! `width` and `height` so that nothing moves while it loads. No shortcode
//! is needed; the URL's fragment asks for something else per image:
//! `foto.jpg#width=400` shows it 400 pixels wide (versions for screens of
//! every density still chosen by the browser), `foto.jpg#as-is` shows the
//! original file alone.

use std::fmt::Write;

use serde::{Deserialize, Serialize};

use crate::image::{ImageFormat, Picture, Version};
use crate::source::config::ImageConfig;
use crate::util::escape;
use crate::util::url::ROOT;

/// How the author asked for one image to be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Display {
    /// As wide as the theme's column allows, the browser choosing the file.
    Responsive,
    /// This many CSS pixels wide.
    Width(u32),
    /// The original file alone.
    AsIs,
}

impl Display {
    /// What a URL's fragment asks for: `Ok(None)` for a fragment that is
    /// no request of this kind (kept in the URL), Err for one that is
    /// meant as one but wrong.
    pub fn from_fragment(fragment: &str) -> Result<Option<Display>, String> {
        if fragment == "as-is" {
            return Ok(Some(Display::AsIs));
        }
        let Some(width) = fragment.strip_prefix("width=") else {
            return Ok(None);
        };
        match width.trim_end_matches("px").parse::<u32>() {
            Ok(w) if (1..=8192).contains(&w) => Ok(Some(Display::Width(w))),
            _ => Err(format!(
                "`#{fragment}` is not a width from 1 to 8192 pixels"
            )),
        }
    }
}

/// Splits an image URL as the Markdown stage wrote it
/// (`{ROOT}posts/a/foto.jpg#width=400`) into the picture's site path and
/// the display asked for; None for a URL that names no file of the site.
pub fn split(url: &str) -> Option<(&str, &str)> {
    let rest = url.strip_prefix(ROOT)?;
    Some(match rest.find(['#', '?']) {
        Some(i) => (&rest[..i], rest[i..].trim_start_matches(['#', '?'])),
        None => (rest, ""),
    })
}

/// Everything a template or the Markdown writer needs to show a picture.
/// URLs start at the site root marker.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Responsive {
    /// The file a browser without `srcset` loads.
    pub src: String,
    /// Candidates in the original's format (`url 800w, …`); empty when the
    /// picture is shown as it is.
    pub srcset: String,
    /// Other formats the browser may prefer: (MIME type, srcset).
    pub sources: Vec<Source>,
    pub sizes: String,
    pub width: u32,
    pub height: u32,
}

/// A `<source>` of a `<picture>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Source {
    #[serde(rename = "type")]
    pub mime: String,
    pub srcset: String,
}

impl Responsive {
    /// How `picture` is shown as `display` asks, with the theme's `sizes`.
    pub fn new(picture: &Picture, display: Display, config: &ImageConfig) -> Responsive {
        let (width, height) = match display {
            Display::Width(w) => (w, scaled(picture.height, w, picture.width)),
            _ => (picture.width, picture.height),
        };
        let sizes = match display {
            Display::Width(w) => format!("{w}px"),
            _ => config.sizes.clone(),
        };
        if display == Display::AsIs || picture.versions.is_empty() {
            return Responsive {
                src: format!("{ROOT}{}", picture.original.site_path),
                srcset: String::new(),
                sources: Vec::new(),
                sizes: String::new(),
                width,
                height,
            };
        }
        let (fallback, others) = offered(picture, config);
        let largest = fallback.last().map_or(&picture.original, |v| *v);
        let sources = others
            .into_iter()
            .map(|(format, versions)| Source {
                mime: format.mime().to_string(),
                srcset: srcset(&versions),
            })
            .collect();
        Responsive {
            src: format!("{ROOT}{}", largest.site_path),
            srcset: srcset(&fallback),
            sources,
            sizes,
            width,
            height,
        }
    }

    /// The HTML: `<picture>` around the `<img>` when there are other
    /// formats, the `<img>` alone otherwise. `lazy` leaves loading to
    /// when the reader scrolls near it.
    pub fn html(&self, alt: &str, title: &str, lazy: bool) -> String {
        let mut img = format!("<img src=\"{}\"", escape::html(&self.src));
        if !self.srcset.is_empty() {
            let _ = write!(
                img,
                " srcset=\"{}\" sizes=\"{}\"",
                escape::html(&self.srcset),
                escape::html(&self.sizes)
            );
        }
        let _ = write!(
            img,
            " width=\"{}\" height=\"{}\" alt=\"{}\"",
            self.width,
            self.height,
            escape::html(alt)
        );
        if !title.is_empty() {
            let _ = write!(img, " title=\"{}\"", escape::html(title));
        }
        if lazy {
            img.push_str(" loading=\"lazy\"");
        }
        img.push_str(" decoding=\"async\">");
        if self.sources.is_empty() {
            return img;
        }
        let mut html = String::from("<picture>");
        for source in &self.sources {
            let _ = write!(
                html,
                "<source type=\"{}\" srcset=\"{}\" sizes=\"{}\">",
                source.mime,
                escape::html(&source.srcset),
                escape::html(&self.sizes)
            );
        }
        html.push_str(&img);
        html.push_str("</picture>");
        html
    }
}

/// The files a browser may choose from for `picture`: those in its own
/// format, and those of each other format it is offered in (WebP), each
/// narrowest first.
#[allow(clippy::type_complexity)]
pub fn offered<'p>(
    picture: &'p Picture,
    config: &ImageConfig,
) -> (Vec<&'p Version>, Vec<(ImageFormat, Vec<&'p Version>)>) {
    let own = picture.original.format;
    let mut fallback = candidates(picture, own);
    // Versions are made narrower than the picture: the original is the
    // widest candidate unless it is wider than any width asked for.
    if config
        .widths
        .last()
        .is_some_and(|max| picture.width <= *max)
    {
        fallback.push(&picture.original);
    }
    let others = [ImageFormat::Webp]
        .into_iter()
        .filter(|format| *format != own)
        .map(|format| (format, candidates(picture, format)))
        .filter(|(_, versions)| !versions.is_empty())
        .collect();
    (fallback, others)
}

/// The versions of `picture` in `format`, narrowest first.
fn candidates(picture: &Picture, format: ImageFormat) -> Vec<&Version> {
    let mut found: Vec<&Version> = picture
        .versions
        .iter()
        .filter(|v| v.format == format)
        .collect();
    found.sort_by_key(|v| v.width);
    found
}

/// `url 480w, url 800w`.
fn srcset(versions: &[&Version]) -> String {
    versions
        .iter()
        .map(|v| format!("{ROOT}{} {}w", v.site_path, v.width))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `height` scaled as `width` goes to `to`, rounded.
fn scaled(height: u32, to: u32, width: u32) -> u32 {
    if width == 0 {
        return height;
    }
    let h = (u64::from(height) * u64::from(to) + u64::from(width) / 2) / u64::from(width);
    u32::try_from(h).unwrap_or(u32::MAX).max(1)
}
