//! One picture made from its bytes: the published original (metadata
//! removed, turned upright when its orientation said so) and its
//! versions, with what a cache entry records about each file.
//!
//! Pure: bytes and settings in, bytes out, the same in every run.

use std::borrow::Cow;

use fast_image_resize::Resizer;
use image::metadata::Orientation;
use serde::{Deserialize, Serialize};

use super::decode::{self, Opened};
use super::encode::{self, Pixels};
use super::{ImageFormat, Unusable};
use crate::source::config::ImageConfig;
use crate::util::fingerprint::fingerprint;
use crate::util::image_meta::{self, Damaged, Format, Problem};

/// The quality of a turned original written again as JPEG (or lossy
/// WebP): high, since it stands in for the file the author chose.
const ORIGINAL_QUALITY: u8 = 92;

/// The largest width or height a WebP can have.
const WEBP_MAX: u32 = 16383;

/// The start of the minimal EXIF block `image_meta::clean` writes back
/// for a turned orientation (big-endian TIFF, one entry: Orientation).
const MINIMAL_EXIF: &[u8] = b"MM\0*\0\0\0\x08\0\x01\x01\x12";

/// What a picture became, without site paths: the record of a cache
/// entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Made {
    /// As shown, orientation applied.
    pub width: u32,
    pub height: u32,
    pub had_location: bool,
    pub original: File,
    /// By format (the original's, then WebP), narrowest first.
    pub versions: Vec<File>,
}

/// One file of a [`Made`]: enough to name it, list it and check it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct File {
    pub width: u32,
    pub height: u32,
    pub format: ImageFormat,
    pub len: u64,
    /// XXH3 of the bytes.
    pub hash: u64,
}

impl File {
    fn of(width: u32, height: u32, format: ImageFormat, bytes: &[u8]) -> File {
        File {
            width,
            height,
            format,
            len: bytes.len() as u64,
            hash: hash(bytes),
        }
    }
}

/// The hash files and sources are checked and keyed by.
pub(super) fn hash(bytes: &[u8]) -> u64 {
    fingerprint(bytes)
}

/// A made picture and its files: the original first, then the versions
/// in the order of [`Made::versions`].
#[derive(Debug)]
pub(super) struct Output {
    pub made: Made,
    pub files: Vec<Vec<u8>>,
}

/// Makes the original and the versions of the picture in `bytes`.
pub(super) fn make(
    bytes: &[u8],
    settings: &ImageConfig,
    keep_metadata: bool,
) -> Result<Output, Unusable> {
    let format = decode::sniff(bytes)?;
    // The metadata walk checks every length the file states. For WebP it
    // goes first: image-webp allocates a chunk's stated size before it
    // reads the chunk, so one that claims gigabytes in a small file must
    // be refused before the decoder sees it (a fuzz finding).
    let early = (format == Format::Webp)
        .then(|| image_meta::clean(bytes))
        .transpose()
        .map_err(damaged)?;
    let opened = decode::open(bytes, format, settings.max_pixels)?;
    let cleaned = match early {
        Some(cleaned) => cleaned,
        None => image_meta::clean(bytes).map_err(damaged)?,
    };
    let (width, height) = opened.shown();
    let had_location = cleaned.location();
    let original_format = ImageFormat::from(format);
    if opened.animated {
        let original = if keep_metadata {
            bytes.to_vec()
        } else {
            cleaned.bytes.into_owned()
        };
        let file = File::of(width, height, original_format, &original);
        return Ok(Output {
            made: Made {
                width,
                height,
                had_location,
                original: file,
                versions: Vec::new(),
            },
            files: vec![original],
        });
    }
    let turned = opened.orientation != Orientation::NoTransforms
        || memchr::memmem::find(&cleaned.bytes, MINIMAL_EXIF).is_some();
    let kind = Kind::of(&opened);
    let icc = opened.icc.clone();
    let pixels = opened.decode()?;
    let original = if keep_metadata {
        bytes.to_vec()
    } else if turned {
        kind.encode(&pixels, ORIGINAL_QUALITY, icc.as_deref())?
    } else {
        match cleaned.bytes {
            Cow::Borrowed(b) => b.to_vec(),
            Cow::Owned(b) => b,
        }
    };
    let mut output = Output {
        made: Made {
            width,
            height,
            had_location,
            original: File::of(width, height, original_format, &original),
            versions: Vec::new(),
        },
        files: vec![original],
    };
    add_versions(&mut output, &pixels, kind, settings, icc.as_deref())?;
    Ok(output)
}

/// How a picture's own format is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Jpeg,
    Png,
    WebpLossy,
    WebpLossless,
}

impl Kind {
    fn of(opened: &Opened<'_>) -> Kind {
        match opened.format {
            Format::Jpeg => Kind::Jpeg,
            // GIFs are never decoded; a still one would be a PNG.
            Format::Png | Format::Gif => Kind::Png,
            Format::Webp if opened.lossless => Kind::WebpLossless,
            Format::Webp => Kind::WebpLossy,
        }
    }

    fn format(self) -> ImageFormat {
        match self {
            Kind::Jpeg => ImageFormat::Jpeg,
            Kind::Png => ImageFormat::Png,
            Kind::WebpLossy | Kind::WebpLossless => ImageFormat::Webp,
        }
    }

    fn encode(self, pixels: &Pixels, quality: u8, icc: Option<&[u8]>) -> Result<Vec<u8>, Unusable> {
        match self {
            Kind::Jpeg => encode::jpeg(pixels, quality, icc),
            Kind::Png => encode::png(pixels, icc),
            Kind::WebpLossy => encode::webp(pixels, Some(quality), icc),
            Kind::WebpLossless => encode::webp(pixels, None, icc),
        }
    }

    /// The WebP made beside this format: lossy for a photo, lossless for
    /// a PNG; none for a WebP.
    fn webp_beside(self) -> Option<Kind> {
        match self {
            Kind::Jpeg => Some(Kind::WebpLossy),
            Kind::Png => Some(Kind::WebpLossless),
            Kind::WebpLossy | Kind::WebpLossless => None,
        }
    }
}

/// The versions: one per configured width narrower than the picture in
/// its own format; in WebP also at the picture's own width when that is
/// narrower than the widest configured (the original stands in for it in
/// its own format), kept only when the widest WebP is smaller than the
/// file of its width in the original's format.
fn add_versions(
    output: &mut Output,
    pixels: &Pixels,
    kind: Kind,
    settings: &ImageConfig,
    icc: Option<&[u8]>,
) -> Result<(), Unusable> {
    let mut widths: Vec<u32> = settings
        .widths
        .iter()
        .copied()
        .filter(|&w| w > 0 && w < pixels.width)
        .collect();
    widths.sort_unstable();
    widths.dedup();
    let mut resizer = Resizer::new();
    let resized = widths
        .iter()
        .map(|&w| pixels.resized(w, &mut resizer))
        .collect::<Result<Vec<_>, _>>()?;
    for version in &resized {
        let bytes = kind.encode(version, settings.quality, icc)?;
        push(output, version, kind.format(), bytes);
    }
    let Some(webp) = kind.webp_beside().filter(|_| settings.webp) else {
        return Ok(());
    };
    let own_width = settings.widths.iter().any(|&w| w > pixels.width);
    let mut candidates: Vec<&Pixels> = resized.iter().collect();
    // A picture too tall for WebP (a long screenshot) gets none.
    let too_large = |p: &Pixels| p.width > WEBP_MAX || p.height > WEBP_MAX;
    if candidates.iter().any(|p| too_large(p)) || (own_width && too_large(pixels)) {
        return Ok(());
    }
    // The file WebP must beat: the widest version, or the original.
    let rival = if own_width {
        candidates.push(pixels);
        output.made.original.len
    } else {
        match output.made.versions.last() {
            Some(widest) => widest.len,
            None => return Ok(()),
        }
    };
    let Some((widest, narrower)) = candidates.split_last() else {
        return Ok(());
    };
    let widest_bytes = webp.encode(widest, settings.quality, icc)?;
    if widest_bytes.len() as u64 >= rival {
        return Ok(());
    }
    for version in narrower {
        let bytes = webp.encode(version, settings.quality, icc)?;
        push(output, version, ImageFormat::Webp, bytes);
    }
    push(output, widest, ImageFormat::Webp, widest_bytes);
    Ok(())
}

fn push(output: &mut Output, pixels: &Pixels, format: ImageFormat, bytes: Vec<u8>) {
    let file = File::of(pixels.width, pixels.height, format, &bytes);
    output.made.versions.push(file);
    output.files.push(bytes);
}

/// A file `image_meta` cannot walk.
fn damaged(error: Damaged) -> Unusable {
    match error.problem {
        Problem::Truncated(_) | Problem::NoEnd => Unusable {
            message: format!(
                "is cut off: {} (at byte {})",
                error.problem,
                decode::grouped(error.offset as u64)
            ),
            hint: Some("copy the picture again".to_string()),
        },
        problem => Unusable {
            message: format!(
                "is damaged at byte {}: {problem}",
                decode::grouped(error.offset as u64)
            ),
            hint: Some("export the picture again".to_string()),
        },
    }
}
