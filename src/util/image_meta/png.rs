//! PNG (and APNG): a walk over the chunks. Critical chunks and the
//! ancillary chunks that change how the picture looks (transparency,
//! colour, gamma, pixel size, animation) are kept; text, time, EXIF and
//! every other ancillary chunk are dropped. An EXIF orientation comes
//! back as a minimal `eXIf` chunk in the first one's place.

use super::{exif, take, xmp_has_location, Damaged, Out, Problem, Removed};

pub(super) const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// Ancillary chunks that change what is shown.
const SHOWN: [&[u8; 4]; 16] = [
    b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT", b"bKGD", b"pHYs", b"hIST", b"sPLT",
    b"cICP", b"mDCv", b"cLLi", b"acTL", b"fcTL", b"fdAT",
];

pub(super) fn clean(bytes: &[u8], out: &mut Out) -> Result<(), Damaged> {
    out.keep(SIGNATURE);
    let mut pos = SIGNATURE.len();
    let mut exif_seen = false;
    loop {
        if pos == bytes.len() {
            return Err(out.damaged(pos, Problem::NoEnd));
        }
        let head = take(out, bytes, pos, 8, "chunk header")?;
        let len = u32::from_be_bytes([head[0], head[1], head[2], head[3]]);
        let name: [u8; 4] = [head[4], head[5], head[6], head[7]];
        if len > 0x7FFF_FFFF {
            return Err(out.damaged(pos, Problem::BadLength("chunk")));
        }
        if !name.iter().all(u8::is_ascii_alphabetic) {
            return Err(out.damaged(pos + 4, Problem::BadChunkName));
        }
        let len =
            usize::try_from(len).map_err(|_| out.damaged(pos, Problem::BadLength("chunk")))?;
        let chunk = take(out, bytes, pos, 12 + len, "chunk")?;
        let data = &chunk[8..8 + len];
        let end = pos + chunk.len();
        pos = end;
        match &name {
            b"IEND" => {
                out.keep(chunk);
                if pos < bytes.len() {
                    out.remove(Removed::Appended);
                }
                return Ok(());
            }
            b"eXIf" => {
                let facts = exif::facts(data);
                if !exif_seen {
                    exif_seen = true;
                    if let Some(orientation) = facts.turned {
                        if write_exif(orientation, chunk, out) {
                            continue;
                        }
                    }
                }
                out.remove(Removed::Exif {
                    location: facts.location,
                });
            }
            b"tEXt" | b"zTXt" | b"iTXt" => out.remove(text(&name, data)),
            b"tIME" => out.remove(Removed::Time),
            _ if name[0].is_ascii_uppercase() || SHOWN.contains(&&name) => out.keep(chunk),
            _ => out.remove(Removed::other("", &name)),
        }
    }
}

/// What a text chunk held: XMP is stored under its own keyword, and
/// ImageMagick writes EXIF, XMP and IPTC as hexadecimal "raw profiles".
fn text(name: &[u8; 4], data: &[u8]) -> Removed {
    let keyword = data.split(|&b| b == 0).next().unwrap_or_default();
    match keyword.to_ascii_lowercase().as_slice() {
        b"xml:com.adobe.xmp" | b"raw profile type xmp" => Removed::Xmp {
            location: xmp_has_location(data),
        },
        b"raw profile type exif" | b"raw profile type app1" => {
            // Only an uncompressed profile can be read here.
            let location = name == b"tEXt"
                && raw_profile(&data[keyword.len()..]).is_some_and(|exif| {
                    exif::facts(exif.strip_prefix(b"Exif\0\0").unwrap_or(&exif)).location
                });
            Removed::Exif { location }
        }
        b"raw profile type iptc" | b"raw profile type 8bim" => Removed::Iptc,
        _ => Removed::Text,
    }
}

/// The bytes of an ImageMagick raw profile's text: after the NUL, a line
/// with the profile's name and one with its length, then hexadecimal
/// digits over many lines (at most half as many bytes as the text has).
fn raw_profile(text: &[u8]) -> Option<Vec<u8>> {
    let hex = text.splitn(4, |&b| b == b'\n').nth(3)?;
    let digits: Vec<u8> = hex
        .iter()
        .filter(|b| !b.is_ascii_whitespace())
        .copied()
        .collect();
    digits
        .chunks_exact(2)
        .map(|pair| {
            let high = char::from(pair[0]).to_digit(16)?;
            let low = char::from(pair[1]).to_digit(16)?;
            u8::try_from(high * 16 + low).ok()
        })
        .collect()
}

/// Writes an `eXIf` chunk with only `orientation`; true when `chunk` was
/// exactly that.
fn write_exif(orientation: u16, chunk: &[u8], out: &mut Out) -> bool {
    let minimal = exif::minimal(orientation);
    let at = out.bytes.len();
    let len = u32::try_from(minimal.len()).unwrap_or(u32::MAX);
    out.keep(&len.to_be_bytes());
    out.keep(b"eXIf");
    out.keep(&minimal);
    let crc = crc32fast::hash(&out.bytes[at + 4..]);
    out.keep(&crc.to_be_bytes());
    out.bytes[at..] == *chunk
}
