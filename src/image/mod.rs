//! Pictures made for readers. A phone photo of 4000 pixels and 5 MB is
//! what an author drops into a bundle; what a reader on a phone should
//! load is a version as wide as their screen, in the smallest format their
//! browser reads, turned the way the photo was taken, and without the
//! EXIF that says where it was taken.
//!
//! For every picture in `content/`, [`Images::process`] decodes it once
//! (refusing, before decoding, one whose size would exhaust memory),
//! applies its EXIF orientation, and makes one version per configured
//! width narrower than it (`ImageConfig::widths`), in its own format and
//! in WebP where that is smaller. The published original is the file with
//! all metadata removed (and turned, when its orientation said so). All of
//! it runs in parallel and is kept in a cache folder outside the output,
//! keyed by the file's content and the settings, so a rebuild makes only
//! what is new; a damaged cache entry is made again, never published.
//!
//! Markdown asks [`Images::get`] what a picture is (its size, its
//! versions) to write `<picture>` with `srcset`, `width` and `height`;
//! render publishes [`Images::files`] with [`Images::bytes`].
//!
//! Stage 2. Takes the site's pictures and the image settings; hands on
//! each picture's versions, or the reason it cannot be used.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::util::image_meta::Format;

mod cache;
mod decode;
mod encode;
mod make;
mod process;

#[cfg(test)]
mod tests;

pub use cache::Store;

/// A picture to prepare.
#[derive(Debug, Clone)]
pub struct Job {
    /// The file to read.
    pub source: PathBuf,
    /// The file as messages name it: `content/posts/reise/foto.jpg`.
    pub display: PathBuf,
    /// Where the original is published, below the site root:
    /// `posts/reise/foto.jpg`. Its versions go beside it
    /// (`posts/reise/foto-800w.webp`).
    pub site_path: String,
    /// The author's explicit allowance to publish the file as it is,
    /// metadata and all: the original is the source byte for byte (its
    /// versions are still made clean).
    pub keep_metadata: bool,
}

/// One published file of a picture: the cleaned original or a version.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Version {
    /// Below the site root.
    pub site_path: String,
    pub width: u32,
    pub height: u32,
    pub format: ImageFormat,
    /// Size in bytes.
    pub len: u64,
}

/// The formats echt publishes pictures in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ImageFormat {
    Jpeg,
    Png,
    Webp,
    Gif,
}

impl ImageFormat {
    /// The MIME type, for `<source type>`.
    pub fn mime(self) -> &'static str {
        match self {
            ImageFormat::Jpeg => "image/jpeg",
            ImageFormat::Png => "image/png",
            ImageFormat::Webp => "image/webp",
            ImageFormat::Gif => "image/gif",
        }
    }
}

impl From<Format> for ImageFormat {
    fn from(format: Format) -> Self {
        match format {
            Format::Jpeg => ImageFormat::Jpeg,
            Format::Png => ImageFormat::Png,
            Format::Webp => ImageFormat::Webp,
            Format::Gif => ImageFormat::Gif,
        }
    }
}

/// A picture ready to be shown.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Picture {
    /// As shown, orientation applied.
    pub width: u32,
    pub height: u32,
    /// The original, cleaned: what `src` names when the picture is shown
    /// as it is, and what a link to the file gets.
    pub original: Version,
    /// The versions for `srcset`, by format (the original's first, then
    /// WebP), narrowest first within a format. Empty for a picture shown
    /// only as it is (an animated GIF).
    pub versions: Vec<Version>,
    /// Whether the source carried a GPS position (removed from everything
    /// published).
    pub had_location: bool,
    /// The content and settings this was made from: equal keys, equal
    /// files.
    pub key: u64,
}

/// Why a picture cannot be used, for a message naming the file and the
/// post that shows it: "is cut off after 1,204 of its bytes".
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Unusable {
    pub message: String,
    pub hint: Option<String>,
}

/// Every picture of a site, prepared.
#[derive(Debug, Default)]
pub struct Images {
    /// By the original's site path.
    pictures: HashMap<String, Result<Arc<Picture>, Unusable>>,
    /// Where each published file is kept, by its site path.
    files: HashMap<String, process::Kept>,
    /// How to make an entry again: by the original's site path.
    sources: HashMap<String, process::Source>,
    /// The store's folder and the settings, for [`Images::bytes`].
    shared: Option<process::Shared>,
    made: usize,
    reused: usize,
}

impl Images {
    /// The picture published at `site_path` (`posts/reise/foto.jpg`);
    /// None for a path that is not a picture of `content/`.
    pub fn get(&self, site_path: &str) -> Option<&Result<Arc<Picture>, Unusable>> {
        self.pictures.get(site_path)
    }

    /// Pictures already made, by their originals' site paths (for the
    /// tests of the stages after this one).
    pub fn from_pictures(
        pictures: impl IntoIterator<Item = (String, Result<Arc<Picture>, Unusable>)>,
    ) -> Images {
        Images {
            pictures: pictures.into_iter().collect(),
            ..Images::default()
        }
    }

    /// Every picture, by its original's site path.
    pub fn pictures(&self) -> impl Iterator<Item = (&str, &Result<Arc<Picture>, Unusable>)> {
        self.pictures.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Every file the pictures publish (originals and versions) with the
    /// original's site path, for the output list.
    pub fn files(&self) -> impl Iterator<Item = (&Version, &str)> {
        self.pictures.iter().flat_map(|(original, picture)| {
            picture.iter().flat_map(move |p| {
                std::iter::once(&p.original)
                    .chain(&p.versions)
                    .map(move |v| (v, original.as_str()))
            })
        })
    }

    /// How many pictures this process decoded and encoded.
    pub fn made(&self) -> usize {
        self.made
    }

    /// How many pictures this process took from the store unchanged.
    pub fn reused(&self) -> usize {
        self.reused
    }
}
