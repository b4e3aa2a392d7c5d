//! Reading a picture: what it is (from its first bytes, never its name),
//! how large it says it is (from its header alone, before any pixel is
//! decoded), and then its pixels, turned as its EXIF orientation says.
//!
//! Memory stays bounded whatever a file claims: a picture over
//! `max_pixels` is refused from its header, and the decoder itself runs
//! under `image::Limits` that allow the pixels of at most that many
//! pixels (plus room for the decoder's own buffers).

use std::io::Cursor;

use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageError, ImageReader, Limits};

use super::encode::Pixels;
use super::Unusable;
use crate::util::image_meta::Format;

/// The advice for a file echt cannot show.
const EXPORT: &str = "export it as JPEG, PNG or WebP";

/// What a picture's header says, and its decoder ready to read the rest.
pub(super) struct Opened<'a> {
    pub format: Format,
    /// As stored, before the orientation is applied.
    pub width: u32,
    pub height: u32,
    pub orientation: Orientation,
    pub icc: Option<Vec<u8>>,
    /// An animated GIF, PNG or WebP: shown only as it is.
    pub animated: bool,
    /// A WebP stored losslessly (its versions stay lossless).
    pub lossless: bool,
    decoder: Box<dyn ImageDecoder + 'a>,
}

impl Opened<'_> {
    /// The size as shown: width and height swapped by a quarter turn.
    pub fn shown(&self) -> (u32, u32) {
        if turns_sideways(self.orientation) {
            (self.height, self.width)
        } else {
            (self.width, self.height)
        }
    }

    /// The pixels, decoded and turned upright.
    pub fn decode(self) -> Result<Pixels, Unusable> {
        let orientation = self.orientation;
        let mut image = DynamicImage::from_decoder(self.decoder).map_err(decoder_error)?;
        image.apply_orientation(orientation);
        Ok(Pixels::from_image(image))
    }
}

/// Whether the orientation turns the picture by a quarter.
fn turns_sideways(orientation: Orientation) -> bool {
    matches!(
        orientation,
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    )
}

/// The format of `bytes`, or why echt cannot show it.
pub(super) fn sniff(bytes: &[u8]) -> Result<Format, Unusable> {
    if let Some(format) = Format::sniff(bytes) {
        return Ok(format);
    }
    Err(match other_format(bytes) {
        Some((name, shown)) => Unusable {
            message: if shown {
                format!("is {name} file, which echt cannot make versions of")
            } else {
                format!("is {name} file, which browsers do not show")
            },
            hint: Some(EXPORT.to_string()),
        },
        None if bytes.is_empty() => Unusable {
            message: "is empty".to_string(),
            hint: Some("copy the picture again".to_string()),
        },
        None if looks_like_text(bytes) => Unusable {
            message: "is a text file, not a picture".to_string(),
            hint: Some(EXPORT.to_string()),
        },
        None => Unusable {
            message: "is not a picture echt can read (not JPEG, PNG, WebP or GIF)".to_string(),
            hint: Some(EXPORT.to_string()),
        },
    })
}

/// A picture format echt does not read, recognised by its first bytes,
/// with its article; and whether browsers show it.
fn other_format(bytes: &[u8]) -> Option<(&'static str, bool)> {
    let brand = bytes.get(4..12).filter(|b| b.starts_with(b"ftyp"));
    let brand = brand.map(|b| &b[4..8]);
    Some(
        if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
            ("a TIFF", false)
        } else if matches!(brand, Some(b"avif" | b"avis")) {
            ("an AVIF", true)
        } else if matches!(
            brand,
            Some(b"heic" | b"heix" | b"hevc" | b"heim" | b"heis" | b"mif1" | b"msf1")
        ) {
            ("a HEIC", false)
        } else if bytes.starts_with(b"BM") && bytes.len() >= 26 {
            ("a BMP", true)
        } else if bytes.starts_with(&[0xFF, 0x0A]) || bytes.starts_with(b"\0\0\0\x0cJXL \r\n\x87\n")
        {
            ("a JPEG XL", false)
        } else if bytes.starts_with(b"8BPS") {
            ("a Photoshop", false)
        } else if bytes.starts_with(&[0, 0, 1, 0]) {
            ("a Windows icon", true)
        } else {
            return None;
        },
    )
}

/// Whether the first bytes read as text (UTF-8 without control bytes
/// other than whitespace).
fn looks_like_text(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(512)];
    let text = match std::str::from_utf8(head) {
        Ok(text) => text,
        // A multi-byte character cut by the 512.
        Err(e) if e.error_len().is_none() => {
            std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or_default()
        }
        Err(_) => return false,
    };
    !text.is_empty()
        && text
            .chars()
            .all(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t'))
}

/// Reads the header of `bytes` (of `format`) and refuses a picture with
/// no pixels or more than `max_pixels`, before anything is decoded.
pub(super) fn open(bytes: &[u8], format: Format, max_pixels: u64) -> Result<Opened<'_>, Unusable> {
    if let Some((width, height)) = declared_size(bytes, format) {
        // Before the decoder, which refuses zero with a vaguer message.
        check_size(width, height, max_pixels)?;
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), image_format(format));
    reader.limits(limits(max_pixels));
    let mut decoder = reader.into_decoder().map_err(header_error)?;
    let (width, height) = decoder.dimensions();
    check_size(width, height, max_pixels)?;
    // A GIF has no orientation; an unreadable EXIF block counts as none
    // (it is removed anyway).
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let icc = decoder.icc_profile().ok().flatten();
    Ok(Opened {
        format,
        width,
        height,
        orientation,
        icc,
        animated: animated(bytes, format),
        lossless: format == Format::Webp && webp_chunk(bytes, b"VP8L"),
        decoder: Box::new(decoder),
    })
}

/// The size a PNG or GIF header states, read directly (the formats where
/// zero can be written).
fn declared_size(bytes: &[u8], format: Format) -> Option<(u32, u32)> {
    match format {
        Format::Png if bytes.get(12..16) == Some(b"IHDR".as_slice()) => {
            let be = |at: usize| Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?));
            Some((be(16)?, be(20)?))
        }
        Format::Gif => {
            let le = |at: usize| {
                Some(u32::from(u16::from_le_bytes(
                    bytes.get(at..at + 2)?.try_into().ok()?,
                )))
            };
            Some((le(6)?, le(8)?))
        }
        _ => None,
    }
}

fn image_format(format: Format) -> image::ImageFormat {
    match format {
        Format::Jpeg => image::ImageFormat::Jpeg,
        Format::Png => image::ImageFormat::Png,
        Format::Webp => image::ImageFormat::WebP,
        Format::Gif => image::ImageFormat::Gif,
    }
}

/// The decoder's allowance: four bytes per allowed pixel for the picture,
/// as much again for its working buffers and turning, and 64 MiB besides.
fn limits(max_pixels: u64) -> Limits {
    let mut limits = Limits::default();
    limits.max_alloc = Some(max_pixels.saturating_mul(8).saturating_add(64 << 20));
    limits
}

fn check_size(width: u32, height: u32, max_pixels: u64) -> Result<(), Unusable> {
    if width == 0 || height == 0 {
        return Err(Unusable {
            message: format!("has no pixels: its header says {width}×{height}"),
            hint: Some("export the picture again".to_string()),
        });
    }
    let pixels = u64::from(width) * u64::from(height);
    if pixels > max_pixels {
        return Err(Unusable {
            message: format!(
                "has {} pixels ({width}×{height}), more than the {} echt reads",
                grouped(pixels),
                grouped(max_pixels)
            ),
            hint: Some(
                "make the picture smaller, or raise `images.max_pixels` in echt.yaml".to_string(),
            ),
        });
    }
    Ok(())
}

/// `1234567` as `1,234,567`.
pub(super) fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Whether the picture moves: a GIF with more than one frame counts as
/// animated only by being a GIF (echt never resizes GIFs); an APNG has an
/// `acTL` chunk before its image data; an animated WebP says so in VP8X.
fn animated(bytes: &[u8], format: Format) -> bool {
    match format {
        Format::Gif => true,
        Format::Png => png_has_actl(bytes),
        Format::Webp => {
            webp_chunk(bytes, b"VP8X") && bytes.get(20).is_some_and(|flags| flags & 0x02 != 0)
        }
        Format::Jpeg => false,
    }
}

/// Whether a PNG has an animation control chunk before its image data.
fn png_has_actl(bytes: &[u8]) -> bool {
    let mut at = 8;
    while let Some(head) = bytes.get(at..at + 8) {
        let len = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as usize;
        match &head[4..8] {
            b"acTL" => return true,
            b"IDAT" | b"IEND" => return false,
            _ => at = at.saturating_add(12).saturating_add(len),
        }
    }
    false
}

/// Whether a WebP file has a chunk named `name` at its top level.
fn webp_chunk(bytes: &[u8], name: &[u8; 4]) -> bool {
    let mut at = 12;
    while let Some(head) = bytes.get(at..at + 8) {
        if &head[..4] == name {
            return true;
        }
        let len = u32::from_le_bytes([head[4], head[5], head[6], head[7]]) as usize;
        at = at.saturating_add(8).saturating_add(len + (len & 1));
    }
    false
}

/// A header that cannot be read.
fn header_error(error: ImageError) -> Unusable {
    match error {
        ImageError::Limits(_) => too_much_memory(),
        other => Unusable {
            message: format!("cannot be read: {}", phrase(&other)),
            hint: Some("export the picture again".to_string()),
        },
    }
}

/// Pixels that cannot be decoded.
fn decoder_error(error: ImageError) -> Unusable {
    match error {
        ImageError::Limits(_) => too_much_memory(),
        ImageError::IoError(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Unusable {
            message: "is cut off: its image data ends early".to_string(),
            hint: Some("copy the picture again".to_string()),
        },
        other => Unusable {
            message: format!("cannot be decoded: {}", phrase(&other)),
            hint: Some("export the picture again".to_string()),
        },
    }
}

fn too_much_memory() -> Unusable {
    Unusable {
        message: "would need more memory to decode than its size allows".to_string(),
        hint: Some("export the picture again".to_string()),
    }
}

/// The decoder's message, starting in lower case as part of a sentence.
fn phrase(error: &ImageError) -> String {
    let text = error.to_string();
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => "unknown error".to_string(),
    }
}
