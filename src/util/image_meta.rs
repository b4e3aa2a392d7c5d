//! Metadata taken out of images before they are published: a phone photo
//! carries where it was taken (EXIF GPS, XMP), by whom and with what
//! (IPTC, comments, text chunks), and sometimes a thumbnail of the
//! uncropped original. A blog shows the picture, not that.
//!
//! [`clean`] recognises JPEG, PNG, WebP and GIF by their first bytes
//! (never by a file name) and keeps only what a browser needs to show the
//! picture as its author saw it: the image data, colour profiles and
//! colour hints, animation, and the EXIF orientation (rewritten as a
//! minimal EXIF block holding nothing else, so that a photo taken upright
//! does not turn sideways). Whatever else a container holds is removed,
//! known or not, and listed in [`Cleaned::removed`]. Any other file is
//! handed back untouched, with [`Cleaned::format`] `None`.
//!
//! The readers are strict: a segment or chunk that runs past the end of
//! the file, an impossible length or a missing end marker is [`Damaged`],
//! with the byte offset. They never panic, every step moves forward, and
//! the cleaned file is never longer than the input plus a few dozen bytes.

use std::borrow::Cow;
use std::fmt;

mod exif;
mod gif;
mod jpeg;
mod png;
mod webp;

#[cfg(test)]
pub(crate) mod tests;

/// The image formats [`clean`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Jpeg,
    Png,
    Webp,
    Gif,
}

impl Format {
    /// The format of a file, from its first bytes.
    pub fn sniff(bytes: &[u8]) -> Option<Format> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Format::Jpeg)
        } else if bytes.starts_with(png::SIGNATURE) {
            Some(Format::Png)
        } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
            Some(Format::Webp)
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            Some(Format::Gif)
        } else {
            None
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Jpeg => "JPEG",
            Format::Png => "PNG",
            Format::Webp => "WebP",
            Format::Gif => "GIF",
        })
    }
}

/// One kind of metadata taken out of a file; its `Display` is a phrase
/// for a report ("EXIF with a GPS position", "comment").
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Removed {
    /// EXIF (camera, time, and with `location`, a GPS position).
    Exif { location: bool },
    /// XMP (with `location`, a GPS position among its properties).
    Xmp { location: bool },
    /// Photoshop's resource block with IPTC (captions, names, places).
    Iptc,
    /// A comment (JPEG's COM, GIF's comment extension).
    Comment,
    /// PNG text chunks (author, software, description, …).
    Text,
    /// PNG's time of last change.
    Time,
    /// A thumbnail, which may show what the picture was cropped from.
    Thumbnail,
    /// Data after the image's end (such as a second picture with its own
    /// EXIF, as phones append).
    Appended,
    /// Any other segment, chunk or extension, named as the file names it.
    Other(String),
}

impl Removed {
    /// Whether this held a GPS position.
    pub fn location(&self) -> bool {
        matches!(
            self,
            Removed::Exif { location: true } | Removed::Xmp { location: true }
        )
    }

    /// `Other` with a name read from the file, shown as printable ASCII
    /// (at most 40 bytes of it).
    fn other(prefix: &str, name: &[u8]) -> Removed {
        let shown: String = name
            .iter()
            .take(40)
            .flat_map(|b| b.escape_ascii())
            .map(char::from)
            .collect();
        let text = match (prefix.is_empty(), shown.is_empty()) {
            (true, _) => shown,
            (false, true) => prefix.to_owned(),
            (false, false) => format!("{prefix} {shown}"),
        };
        Removed::Other(text)
    }
}

impl fmt::Display for Removed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Removed::Exif { location: true } => f.write_str("EXIF with a GPS position"),
            Removed::Exif { location: false } => f.write_str("EXIF"),
            Removed::Xmp { location: true } => f.write_str("XMP with a GPS position"),
            Removed::Xmp { location: false } => f.write_str("XMP"),
            Removed::Iptc => f.write_str("IPTC"),
            Removed::Comment => f.write_str("comment"),
            Removed::Text => f.write_str("text"),
            Removed::Time => f.write_str("time of last change"),
            Removed::Thumbnail => f.write_str("thumbnail"),
            Removed::Appended => f.write_str("data after the image's end"),
            Removed::Other(name) => write!(f, "other metadata ({name})"),
        }
    }
}

/// A file with its metadata removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cleaned<'a> {
    /// The cleaned file; borrowed (the input itself) when nothing was
    /// removed.
    pub bytes: Cow<'a, [u8]>,
    /// The format read, `None` for a file returned unread.
    pub format: Option<Format>,
    /// What was removed, each kind once, in the order first met.
    pub removed: Vec<Removed>,
}

impl Cleaned<'_> {
    /// Whether the file carried a GPS position (which is gone now).
    pub fn location(&self) -> bool {
        self.removed.iter().any(Removed::location)
    }
}

/// A file of a known format that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{format} file damaged at byte {offset}: {problem}")]
pub struct Damaged {
    pub format: Format,
    /// Where the problem begins, counted from the start of the file.
    pub offset: usize,
    pub problem: Problem,
}

/// What is wrong with a [`Damaged`] file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    #[error("the {0} runs past the end of the file")]
    Truncated(&'static str),
    #[error("the {0} has an impossible length")]
    BadLength(&'static str),
    #[error("byte 0x{0:02X} where a marker should begin")]
    NotAMarker(u8),
    #[error("unknown marker 0x{0:02X}")]
    UnknownMarker(u8),
    #[error("a chunk name that is not four letters")]
    BadChunkName,
    #[error("unknown block 0x{0:02X}")]
    UnknownBlock(u8),
    #[error("the file ends before the image's end marker")]
    NoEnd,
}

/// `bytes` with its metadata removed, and what was removed; a file of no
/// format echt reads comes back unchanged.
pub fn clean(bytes: &[u8]) -> Result<Cleaned<'_>, Damaged> {
    let Some(format) = Format::sniff(bytes) else {
        return Ok(Cleaned {
            bytes: Cow::Borrowed(bytes),
            format: None,
            removed: Vec::new(),
        });
    };
    let mut out = Out::new(format, bytes.len());
    match format {
        Format::Jpeg => jpeg::clean(bytes, &mut out)?,
        Format::Png => png::clean(bytes, &mut out)?,
        Format::Webp => webp::clean(bytes, &mut out)?,
        Format::Gif => gif::clean(bytes, &mut out)?,
    }
    let removed = out.removed;
    let bytes = if out.bytes == bytes {
        Cow::Borrowed(bytes)
    } else {
        Cow::Owned(out.bytes)
    };
    Ok(Cleaned {
        bytes,
        format: Some(format),
        removed,
    })
}

/// The cleaned file as it is written, and the list of what was left out.
struct Out {
    format: Format,
    bytes: Vec<u8>,
    removed: Vec<Removed>,
}

impl Out {
    fn new(format: Format, len: usize) -> Out {
        Out {
            format,
            bytes: Vec::with_capacity(len),
            removed: Vec::new(),
        }
    }

    fn keep(&mut self, part: &[u8]) {
        self.bytes.extend_from_slice(part);
    }

    fn remove(&mut self, what: Removed) {
        if !self.removed.contains(&what) {
            self.removed.push(what);
        }
    }

    fn damaged(&self, offset: usize, problem: Problem) -> Damaged {
        Damaged {
            format: self.format,
            offset,
            problem,
        }
    }
}

/// `len` bytes at `at` of `bytes`, or the problem of a `part` that runs
/// past the end.
fn take<'a>(
    out: &Out,
    bytes: &'a [u8],
    at: usize,
    len: usize,
    part: &'static str,
) -> Result<&'a [u8], Damaged> {
    at.checked_add(len)
        .and_then(|end| bytes.get(at..end))
        .ok_or_else(|| out.damaged(at, Problem::Truncated(part)))
}

/// Whether an XMP packet (or the part of one at hand) names a GPS
/// position: the `exif:GPS…` properties, or GPS latitude and longitude
/// under another prefix.
fn xmp_has_location(xmp: &[u8]) -> bool {
    use memchr::memmem;
    memmem::find(xmp, b"exif:GPS").is_some()
        || [
            b"GPSLatitude".as_slice(),
            b"GPSLongitude",
            b"GpsLatitude",
            b"GpsLongitude",
        ]
        .iter()
        .any(|needle| memmem::find(xmp, needle).is_some())
}
