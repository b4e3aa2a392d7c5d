//! Location data in published images, read by a reader of its own.
//!
//! echt removes metadata from the JPEG, PNG, WebP and GIF files it
//! publishes (`util::image_meta`), but this check does not trust that:
//! every published file that is an image by its bytes (JPEG, PNG, WebP,
//! GIF, TIFF, HEIF/HEIC, AVIF, JPEG XL) is read again here, with
//! kamadak-exif for EXIF and a byte scan for XMP and text, and any GPS
//! position or place name it finds fails the build. It fails closed: EXIF
//! that kamadak-exif cannot read, a container it cannot walk, a box or
//! chunk that hides its contents (compressed metadata) is an error, not a
//! pass.
//!
//! What is read, in each file:
//! - the EXIF block each container points at (kamadak-exif's own walk of
//!   JPEG, PNG, TIFF and HEIF; a walk of WebP's chunks and JPEG XL's
//!   boxes here);
//! - every further EXIF block anywhere in the bytes (`Exif\0\0` and a TIFF
//!   header: a second APP1 segment, an image appended after the first,
//!   EXIF in an unknown chunk), and every PNG `eXIf` and WebP `EXIF`
//!   chunk;
//! - every GPS field in any IFD (and the GPS pointer in any IFD);
//! - XMP and text anywhere, in UTF-8 or UTF-16: `latitude`, `longitude`
//!   in any case (so `exif:GPSLatitude` under any prefix, extended XMP, a
//!   drone's `GpsLatitude`, a comment), every other GPS property of XMP's
//!   EXIF schema, and XMP's and IPTC's place names (`City`,
//!   `Sublocation`, `LocationShown`, …) as properties.

use std::fmt;
use std::io::Cursor;
use std::sync::OnceLock;

use aho_corasick::AhoCorasick;
use memchr::memmem;

/// The image formats read here, recognised by their first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Jpeg,
    Png,
    Webp,
    Gif,
    Tiff,
    /// BigTIFF, which kamadak-exif does not read.
    BigTiff,
    /// HEIF, HEIC, AVIF: ISO base media files with an image brand.
    Heif,
    /// JPEG XL, as a bare codestream or in its box container.
    JpegXl,
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::Jpeg => "JPEG",
            Kind::Png => "PNG",
            Kind::Webp => "WebP",
            Kind::Gif => "GIF",
            Kind::Tiff => "TIFF",
            Kind::BigTiff => "BigTIFF",
            Kind::Heif => "HEIF",
            Kind::JpegXl => "JPEG XL",
        })
    }
}

/// How many bytes [`sniff`] needs at most.
pub const SNIFF_LEN: usize = 64;

/// Brands of ISO base media files that hold still images (HEIF and its
/// codings: HEIC, AVIF, JPEG in HEIF, VVC).
const IMAGE_BRANDS: &[&[u8; 4]] = &[
    b"mif1", b"mif2", b"msf1", b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm",
    b"hevs", b"avif", b"avis", b"avio", b"jpeg", b"vvic", b"MiHE", b"MiHA", b"MiHB",
];

/// The image format of a file, from its first bytes ([`SNIFF_LEN`] are
/// enough).
pub fn sniff(head: &[u8]) -> Option<Kind> {
    let kind = if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Kind::Jpeg
    } else if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        Kind::Png
    } else if head.len() >= 12 && head.starts_with(b"RIFF") && &head[8..12] == b"WEBP" {
        Kind::Webp
    } else if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
        Kind::Gif
    } else if head.starts_with(b"II*\0") || head.starts_with(b"MM\0*") {
        Kind::Tiff
    } else if head.starts_with(b"II+\0") || head.starts_with(b"MM\0+") {
        Kind::BigTiff
    } else if head.starts_with(&[0xFF, 0x0A]) || head.starts_with(b"\0\0\0\x0CJXL \x0D\x0A\x87\x0A")
    {
        Kind::JpegXl
    } else if is_heif(head) {
        Kind::Heif
    } else {
        return None;
    };
    Some(kind)
}

/// Whether `head` starts with an ISO base media `ftyp` box naming an
/// image brand (as its major brand or a compatible one).
fn is_heif(head: &[u8]) -> bool {
    if head.get(4..8) != Some(b"ftyp") {
        return false;
    }
    let size = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as usize;
    let end = size.min(head.len());
    let major = head.get(8..12);
    let compatible = head.get(16..end).unwrap_or_default().chunks_exact(4);
    major
        .into_iter()
        .chain(compatible)
        .any(|brand| IMAGE_BRANDS.iter().any(|b| b.as_slice() == brand))
}

/// What the reader makes of an image.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reading {
    /// What was found that tells where the picture was taken, each once,
    /// as a phrase ("EXIF GPS fields (GPSLatitude, GPSLongitude)").
    pub found: Vec<String>,
    /// Why the file cannot be checked, when it cannot.
    pub unreadable: Option<String>,
}

impl Reading {
    fn find(&mut self, what: String) {
        if !self.found.contains(&what) {
            self.found.push(what);
        }
    }

    fn cannot(&mut self, why: String) {
        self.unreadable.get_or_insert(why);
    }
}

/// Reads the image `bytes` (of `kind`, from [`sniff`]) for location data.
pub fn read(kind: Kind, bytes: &[u8]) -> Reading {
    let mut reading = Reading::default();
    match kind {
        // WebP's EXIF chunks are read below, with or without the
        // `Exif\0\0` some writers put before them (kamadak-exif wants
        // none).
        Kind::Jpeg | Kind::Png | Kind::Tiff | Kind::Heif => {
            container_exif(bytes, &mut reading);
        }
        Kind::JpegXl => jxl_boxes(bytes, &mut reading),
        Kind::BigTiff => reading.cannot("echt cannot read BigTIFF files".to_string()),
        Kind::Gif | Kind::Webp => {}
    }
    match kind {
        Kind::Png => png_chunks(bytes, &mut reading),
        Kind::Webp => webp_chunks(bytes, &mut reading),
        _ => {}
    }
    embedded_exif(bytes, &mut reading);
    text(bytes, &mut reading);
    reading
}

/// The EXIF block the container points at, found by kamadak-exif's own
/// walk of the container.
fn container_exif(bytes: &[u8], reading: &mut Reading) {
    match exif::Reader::new().read_from_container(&mut Cursor::new(bytes)) {
        Ok(exif) => gps(&exif, reading),
        Err(exif::Error::NotFound(_)) => {}
        Err(e) => reading.cannot(format!("its EXIF data cannot be read ({e})")),
    }
}

/// One EXIF block (a TIFF structure) at byte `at`.
fn tiff(block: &[u8], at: usize, reading: &mut Reading) {
    match exif::Reader::new().read_raw(block.to_vec()) {
        Ok(exif) => gps(&exif, reading),
        Err(e) => reading.cannot(format!("the EXIF data at byte {at} cannot be read ({e})")),
    }
}

/// Whether IFD0 of a TIFF structure (that kamadak-exif read) has the
/// pointer to a GPS directory.
fn points_at_gps(tiff: &[u8]) -> bool {
    let big = tiff.starts_with(b"MM");
    let number = |at: usize, len: usize| -> Option<u32> {
        let bytes = tiff.get(at..at.checked_add(len)?)?;
        Some(bytes.iter().enumerate().fold(0u32, |n, (i, &b)| {
            let shift = if big { 8 * (len - 1 - i) } else { 8 * i };
            n | u32::from(b) << shift
        }))
    };
    let Some(ifd) = number(4, 4).map(|o| o as usize) else {
        return false;
    };
    let count = number(ifd, 2).unwrap_or(0) as usize;
    (0..count).any(|i| number(ifd + 2 + 12 * i, 2) == Some(0x8825))
}

/// The GPS data of an EXIF block: its fields, or a GPS directory with
/// nothing in it (kamadak-exif follows the pointer without keeping it).
fn gps(exif: &exif::Exif, reading: &mut Reading) {
    if !gps_fields(exif, reading) && points_at_gps(exif.buf()) {
        reading.find("an EXIF GPS directory".to_string());
    }
}

/// Every GPS field of an EXIF block, in any IFD; whether there was one.
fn gps_fields(exif: &exif::Exif, reading: &mut Reading) -> bool {
    let mut names: Vec<String> = Vec::new();
    for field in exif.fields() {
        let gps = field.tag.context() == exif::Context::Gps
            || field.tag.number() == exif::Tag::GPSInfoIFDPointer.number();
        let name = field.tag.to_string();
        if gps && !names.contains(&name) {
            names.push(name);
        }
    }
    if names.is_empty() {
        return false;
    }
    reading.find(format!("EXIF GPS fields ({})", names.join(", ")));
    true
}

/// Every EXIF block anywhere in the file that says what it is
/// (`Exif\0\0` before a TIFF header), wherever it sits.
fn embedded_exif(bytes: &[u8], reading: &mut Reading) {
    for at in memmem::find_iter(bytes, b"Exif\0") {
        let Some(start) = bytes.get(at + 6..) else {
            continue;
        };
        if start.starts_with(b"II*\0") || start.starts_with(b"MM\0*") {
            tiff(start, at + 6, reading);
        }
    }
}

/// PNG's `eXIf` chunks (kamadak-exif reads the first), and text chunks
/// whose compressed text the byte scan cannot see.
fn png_chunks(bytes: &[u8], reading: &mut Reading) {
    let mut at = 8;
    while at < bytes.len() {
        let Some(head) = bytes.get(at..at + 8) else {
            return reading.cannot(format!("the PNG chunk at byte {at} is cut off"));
        };
        let len = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as usize;
        let Some(data) = bytes.get(at + 8..).and_then(|rest| rest.get(..len)) else {
            return reading.cannot(format!("the PNG chunk at byte {at} is cut off"));
        };
        match &head[4..8] {
            b"eXIf" => tiff(data, at + 8, reading),
            b"zTXt" => reading.cannot(format!(
                "the PNG has compressed text at byte {at}, which echt cannot read"
            )),
            b"iTXt" if itxt_compressed(data) => reading.cannot(format!(
                "the PNG has compressed text at byte {at}, which echt cannot read"
            )),
            // What follows the end is read by the scans below.
            b"IEND" => return,
            _ => {}
        }
        at += 12 + len;
    }
}

/// Whether an `iTXt` chunk's text is compressed (the flag after its
/// keyword).
fn itxt_compressed(data: &[u8]) -> bool {
    data.iter()
        .position(|&b| b == 0)
        .and_then(|end| data.get(end + 1))
        .is_some_and(|&flag| flag != 0)
}

/// WebP's `EXIF` chunks (with or without `Exif\0\0` before the TIFF
/// structure).
fn webp_chunks(bytes: &[u8], reading: &mut Reading) {
    let mut at = 12;
    while at < bytes.len() {
        let Some(head) = bytes.get(at..at + 8) else {
            return reading.cannot(format!("the WebP chunk at byte {at} is cut off"));
        };
        let len = u32::from_le_bytes([head[4], head[5], head[6], head[7]]) as usize;
        let Some(data) = bytes.get(at + 8..).and_then(|rest| rest.get(..len)) else {
            return reading.cannot(format!("the WebP chunk at byte {at} is cut off"));
        };
        if &head[..4] == b"EXIF" {
            let tiff_data = data.strip_prefix(b"Exif\0\0").unwrap_or(data);
            tiff(tiff_data, at + 8 + data.len() - tiff_data.len(), reading);
        }
        at += 8 + len + len % 2;
    }
}

/// JPEG XL's boxes: `Exif` (a TIFF structure after a four-byte offset)
/// is read; a `brob` box (Brotli-compressed metadata) cannot be. A bare
/// codestream has no boxes, and no metadata but what the byte scan sees.
fn jxl_boxes(bytes: &[u8], reading: &mut Reading) {
    if bytes.starts_with(&[0xFF, 0x0A]) {
        return;
    }
    let mut at = 0;
    while at < bytes.len() {
        let Some(head) = bytes.get(at..at + 8) else {
            return reading.cannot(format!("the JPEG XL box at byte {at} is cut off"));
        };
        let (header, size) = match u32::from_be_bytes([head[0], head[1], head[2], head[3]]) {
            0 => (8, bytes.len() - at),
            1 => match bytes.get(at + 8..at + 16) {
                Some(large) => (
                    16,
                    usize::try_from(u64::from_be_bytes(large.try_into().unwrap_or_default()))
                        .unwrap_or(usize::MAX),
                ),
                None => return reading.cannot(format!("the JPEG XL box at byte {at} is cut off")),
            },
            size => (8, size as usize),
        };
        let Some(body) = bytes
            .get(at..)
            .and_then(|rest| rest.get(header..size.max(header)))
            .filter(|_| size >= header)
        else {
            return reading.cannot(format!("the JPEG XL box at byte {at} is cut off"));
        };
        match &head[4..8] {
            b"Exif" => jxl_exif(body, at + header, reading),
            b"brob" => reading.cannot(format!(
                "the JPEG XL file has compressed metadata at byte {at}, which echt cannot read"
            )),
            _ => {}
        }
        at += size;
    }
}

/// A JPEG XL `Exif` box's body (at byte `at`): the offset of the TIFF
/// structure in what follows, then that.
fn jxl_exif(body: &[u8], at: usize, reading: &mut Reading) {
    let Some(offset) = body.get(..4) else {
        return reading.cannot(format!("the JPEG XL EXIF box at byte {at} is cut off"));
    };
    let offset = u32::from_be_bytes([offset[0], offset[1], offset[2], offset[3]]) as usize;
    match body.get(4..).and_then(|rest| rest.get(offset..)) {
        Some(block) => tiff(block, at + 4 + offset, reading),
        None => reading.cannot(format!(
            "the JPEG XL EXIF box at byte {at} points outside itself"
        )),
    }
}

/// Words that say a position, in any case: XMP's `exif:GPSLatitude`
/// under any prefix, a drone's `GpsLongitude`, a comment's "Latitude:".
const POSITION_WORDS: [&str; 4] = ["latitude", "longitude", "gpscoordinates", "iso6709"];

/// The GPS properties of XMP's EXIF schema besides the latitude and
/// longitude (which [`POSITION_WORDS`] find), counted after a prefix's
/// colon in their exact case; and the schema's usual prefix itself.
const GPS_PROPERTIES: [&str; 24] = [
    "exif:GPS",
    ":GPSVersionID",
    ":GPSAltitudeRef",
    ":GPSAltitude",
    ":GPSTimeStamp",
    ":GPSSatellites",
    ":GPSStatus",
    ":GPSMeasureMode",
    ":GPSDOP",
    ":GPSSpeedRef",
    ":GPSSpeed",
    ":GPSTrackRef",
    ":GPSTrack",
    ":GPSImgDirectionRef",
    ":GPSImgDirection",
    ":GPSMapDatum",
    ":GPSDestBearingRef",
    ":GPSDestBearing",
    ":GPSDestDistanceRef",
    ":GPSDestDistance",
    ":GPSProcessingMethod",
    ":GPSAreaInformation",
    ":GPSDifferential",
    ":GPSHPositioningError",
];

/// XMP's and IPTC Core's or Extension's place properties; counted only as
/// a property (after a prefix's colon, before `=`, `>` or a space), in
/// their exact case.
const PLACE_NAMES: [&str; 12] = [
    "City",
    "Sublocation",
    "State",
    "ProvinceState",
    "Country",
    "CountryName",
    "CountryCode",
    "Location",
    "LocationCreated",
    "LocationShown",
    "WorldRegion",
    "LocationName",
];

/// The searchers for [`POSITION_WORDS`] (any case), and for
/// [`PLACE_NAMES`] and [`GPS_PROPERTIES`] (exact case), in UTF-8 and both
/// byte orders of UTF-16 (XMP may be written in any of them); a
/// pattern's number says which entry it is.
fn searchers() -> &'static (AhoCorasick, AhoCorasick) {
    static SEARCHERS: OnceLock<(AhoCorasick, AhoCorasick)> = OnceLock::new();
    SEARCHERS.get_or_init(|| {
        let spelled = |word: &str| -> Vec<Vec<u8>> {
            let le: Vec<u8> = word.encode_utf16().flat_map(u16::to_le_bytes).collect();
            let be: Vec<u8> = word.encode_utf16().flat_map(u16::to_be_bytes).collect();
            vec![word.as_bytes().to_vec(), le, be]
        };
        let words: Vec<Vec<u8>> = POSITION_WORDS.iter().flat_map(|w| spelled(w)).collect();
        let mut names: Vec<Vec<u8>> = Vec::new();
        for name in PLACE_NAMES {
            for end in PLACE_ENDS {
                names.extend(spelled(&format!(":{name}{end}")));
            }
        }
        names.extend(GPS_PROPERTIES.iter().flat_map(|p| spelled(p)));
        let build = |patterns: Vec<Vec<u8>>, any_case: bool| {
            AhoCorasick::builder()
                .ascii_case_insensitive(any_case)
                .build(patterns)
                .expect("a few short constant patterns")
        };
        (build(words, true), build(names, false))
    })
}

/// What may follow a place property's name.
const PLACE_ENDS: [&str; 6] = ["=", ">", " ", "\t", "\n", "\r"];

/// XMP and other text that names a position or a place.
fn text(bytes: &[u8], reading: &mut Reading) {
    let (words, names) = searchers();
    for hit in words.find_overlapping_iter(bytes) {
        let word = POSITION_WORDS[hit.pattern().as_usize() / 3];
        let name = name_around(bytes, hit.start(), hit.end());
        reading.find(format!(
            "metadata naming a position ({})",
            name.unwrap_or(word.into())
        ));
    }
    let places = PLACE_NAMES.len() * PLACE_ENDS.len() * 3;
    for hit in names.find_overlapping_iter(bytes) {
        let i = hit.pattern().as_usize();
        match PLACE_NAMES.get(i / (PLACE_ENDS.len() * 3)) {
            Some(name) if i < places => {
                reading.find(format!("metadata naming a place ({name})"));
            }
            _ => {
                let property = GPS_PROPERTIES[(i - places) / 3];
                let name = name_around(bytes, hit.start(), hit.end());
                reading.find(format!(
                    "metadata naming a position ({})",
                    name.unwrap_or(property.trim_start_matches(':').into())
                ));
            }
        }
    }
}

/// The whole XML name (prefix and all) around a word found at
/// `start..end`, when it is written in ASCII: `exif:GPSLatitude`.
fn name_around(bytes: &[u8], start: usize, end: usize) -> Option<String> {
    let is_name = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b':' | b'_' | b'-' | b'.');
    if !bytes[start..end].iter().all(is_name) {
        return None;
    }
    let from = bytes[..start]
        .iter()
        .rev()
        .take(40)
        .take_while(|b| is_name(b))
        .count();
    let to = bytes[end..]
        .iter()
        .take(40)
        .take_while(|b| is_name(b))
        .count();
    let name = String::from_utf8_lossy(&bytes[start - from..end + to]);
    Some(name.trim_matches([':', '.', '-']).to_string())
}

#[cfg(test)]
mod tests;
