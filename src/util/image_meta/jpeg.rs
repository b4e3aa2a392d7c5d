//! JPEG: a walk over the markers. Frame, tables, scans (with their
//! entropy-coded data), restart intervals, JFIF (without its thumbnail),
//! ICC profiles and Adobe's colour transform are kept; every other
//! application segment and every comment is dropped. The first EXIF
//! block's orientation comes back as a minimal EXIF block in its place.

use super::{exif, take, xmp_has_location, Damaged, Out, Problem, Removed};

const EXIF: &[u8] = b"Exif\0\0";
const XMP: &[u8] = b"http://ns.adobe.com/xap/1.0/\0";
const XMP_EXTENDED: &[u8] = b"http://ns.adobe.com/xmp/extension/\0";
const JFIF: &[u8] = b"JFIF\0";

/// What becomes of one application segment or comment.
enum Verdict {
    Keep,
    Drop(Removed),
    /// JFIF written again without its thumbnail.
    Jfif,
}

pub(super) fn clean(bytes: &[u8], out: &mut Out) -> Result<(), Damaged> {
    out.keep(&bytes[..2]);
    let mut pos = 2;
    let mut exif_seen = false;
    loop {
        let start = pos;
        let marker = marker(bytes, &mut pos, out)?;
        match marker {
            0xD9 => {
                out.keep(&bytes[start..pos]);
                if pos < bytes.len() {
                    out.remove(Removed::Appended);
                }
                return Ok(());
            }
            0xD0..=0xD7 => {
                out.keep(&bytes[start..pos]);
                continue;
            }
            0x00..=0xBF | 0xD8 => return Err(out.damaged(pos - 1, Problem::UnknownMarker(marker))),
            _ => {}
        }
        // Problems are located at the marker (its last 0xFF).
        let at = pos - 2;
        let len = take(out, bytes, at, 4, "segment")?;
        let len = usize::from(u16::from_be_bytes([len[2], len[3]]));
        if len < 2 {
            return Err(out.damaged(at, Problem::BadLength("segment")));
        }
        let payload = &take(out, bytes, at, 2 + len, "segment")?[4..];
        let segment = &bytes[start..pos + len];
        pos += len;
        match marker {
            0xDA => {
                out.keep(segment);
                let data = pos;
                pos = scan_end(bytes, data, out)?;
                out.keep(&bytes[data..pos]);
            }
            0xE0..=0xEF | 0xFE => application(marker, payload, segment, &mut exif_seen, out),
            _ => out.keep(segment),
        }
    }
}

/// The marker at `pos` (after any fill bytes); `pos` moves past it.
fn marker(bytes: &[u8], pos: &mut usize, out: &Out) -> Result<u8, Damaged> {
    match bytes.get(*pos) {
        None => return Err(out.damaged(*pos, Problem::NoEnd)),
        Some(0xFF) => {}
        Some(&b) => return Err(out.damaged(*pos, Problem::NotAMarker(b))),
    }
    while bytes.get(*pos) == Some(&0xFF) {
        *pos += 1;
    }
    let Some(&marker) = bytes.get(*pos) else {
        return Err(out.damaged(*pos, Problem::NoEnd));
    };
    *pos += 1;
    Ok(marker)
}

/// Keeps, rewrites or drops an application segment or a comment; the
/// first EXIF block's orientation is written back in its place.
fn application(marker: u8, payload: &[u8], segment: &[u8], exif_seen: &mut bool, out: &mut Out) {
    match verdict(marker, payload) {
        Verdict::Keep => out.keep(segment),
        Verdict::Jfif => {
            out.keep(&[0xFF, 0xE0, 0, 16]);
            out.keep(&payload[..12]);
            out.keep(&[0, 0]);
            out.remove(Removed::Thumbnail);
        }
        Verdict::Drop(removed) => {
            if let Some(tiff) = payload
                .strip_prefix(EXIF)
                .filter(|_| marker == 0xE1 && !*exif_seen)
            {
                *exif_seen = true;
                if turned(tiff, segment, out) {
                    return;
                }
            }
            out.remove(removed);
        }
    }
}

/// Writes the minimal EXIF block for the orientation of `tiff`, if it is
/// turned; true when `segment` was that block already (nothing removed).
fn turned(tiff: &[u8], segment: &[u8], out: &mut Out) -> bool {
    let Some(orientation) = exif::facts(tiff).turned else {
        return false;
    };
    let minimal = exif::minimal(orientation);
    let len = u16::try_from(2 + EXIF.len() + minimal.len()).unwrap_or(u16::MAX);
    let at = out.bytes.len();
    out.keep(&[0xFF, 0xE1]);
    out.keep(&len.to_be_bytes());
    out.keep(EXIF);
    out.keep(&minimal);
    out.bytes[at..] == *segment
}

/// What to do with an application segment (APP0 to APP15) or a comment.
fn verdict(marker: u8, payload: &[u8]) -> Verdict {
    let app = marker.wrapping_sub(0xE0);
    match marker {
        0xFE => return Verdict::Drop(Removed::Comment),
        0xED => return Verdict::Drop(Removed::Iptc),
        _ => {}
    }
    let name = |p: &[u8]| payload.starts_with(p);
    match app {
        0 if name(JFIF) && payload.len() >= 14 => {
            if payload.len() == 14 && payload[12] == 0 && payload[13] == 0 {
                Verdict::Keep
            } else {
                Verdict::Jfif
            }
        }
        0 if name(b"JFXX\0") => Verdict::Drop(Removed::Thumbnail),
        1 if name(EXIF) => Verdict::Drop(Removed::Exif {
            location: exif::facts(&payload[EXIF.len()..]).location,
        }),
        1 if name(XMP) || name(XMP_EXTENDED) => Verdict::Drop(Removed::Xmp {
            location: xmp_has_location(payload),
        }),
        2 if name(b"ICC_PROFILE\0") => Verdict::Keep,
        14 if name(b"Adobe") => Verdict::Keep,
        _ => {
            let id = payload.split(|&b| b == 0).next().unwrap_or_default();
            Verdict::Drop(Removed::other(&format!("APP{app}"), id))
        }
    }
}

/// Where the entropy-coded data after a scan header starting at `from`
/// ends: at the first marker that is neither a stuffed zero nor a restart.
fn scan_end(bytes: &[u8], from: usize, out: &Out) -> Result<usize, Damaged> {
    let mut at = from;
    loop {
        let Some(ff) = bytes
            .get(at..)
            .and_then(|rest| memchr::memchr(0xFF, rest))
            .map(|i| at + i)
        else {
            return Err(out.damaged(bytes.len(), Problem::NoEnd));
        };
        let mut next = ff + 1;
        while bytes.get(next) == Some(&0xFF) {
            next += 1;
        }
        match bytes.get(next) {
            None => return Err(out.damaged(bytes.len(), Problem::NoEnd)),
            Some(0x00 | 0xD0..=0xD7) => at = next + 1,
            Some(_) => return Ok(ff),
        }
    }
}
