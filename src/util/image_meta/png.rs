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
            b"tEXt" | b"zTXt" | b"iTXt" => out.remove(text(data)),
            b"tIME" => out.remove(Removed::Time),
            _ if name[0].is_ascii_uppercase() || SHOWN.contains(&&name) => out.keep(chunk),
            _ => out.remove(Removed::other("", &name)),
        }
    }
}

/// What a text chunk held: XMP is stored under its own keyword.
fn text(data: &[u8]) -> Removed {
    if data.starts_with(b"XML:com.adobe.xmp\0") {
        Removed::Xmp {
            location: xmp_has_location(data),
        }
    } else {
        Removed::Text
    }
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
