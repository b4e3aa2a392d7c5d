//! WebP: a walk over the chunks of its RIFF container. The image data
//! (lossy, lossless, alpha, animation) and the ICC profile are kept;
//! `EXIF`, `XMP ` and unknown chunks are dropped, their flags in `VP8X`
//! cleared and the RIFF size written anew. An EXIF orientation comes back
//! as a minimal `EXIF` chunk in the first one's place (only an extended
//! file, one with `VP8X`, can carry it).

use super::{exif, take, xmp_has_location, Damaged, Out, Problem, Removed};

/// `VP8X` flag: the file has an EXIF chunk.
const HAS_EXIF: u8 = 0x08;
/// `VP8X` flag: the file has an XMP chunk.
const HAS_XMP: u8 = 0x04;

/// Chunks that make up the picture.
const SHOWN: [&[u8; 4]; 6] = [b"VP8 ", b"VP8L", b"ALPH", b"ANIM", b"ANMF", b"ICCP"];

pub(super) fn clean(bytes: &[u8], out: &mut Out) -> Result<(), Damaged> {
    let size = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]);
    let size =
        usize::try_from(size).map_err(|_| out.damaged(4, Problem::BadLength("RIFF container")))?;
    if size < 4 {
        return Err(out.damaged(4, Problem::BadLength("RIFF container")));
    }
    let riff = take(out, bytes, 0, size.saturating_add(8), "RIFF container")?;
    out.keep(&bytes[..12]);
    let mut pos = 12;
    // Where VP8X's flags went in the output.
    let mut flags_at = None;
    let mut exif_seen = false;
    let mut exif_written = false;
    while pos < riff.len() {
        let head = take(out, riff, pos, 8, "chunk header")?;
        let name: [u8; 4] = [head[0], head[1], head[2], head[3]];
        let len = u32::from_le_bytes([head[4], head[5], head[6], head[7]]);
        let len =
            usize::try_from(len).map_err(|_| out.damaged(pos, Problem::BadLength("chunk")))?;
        let padded = len
            .checked_add(8 + (len & 1))
            .ok_or_else(|| out.damaged(pos, Problem::BadLength("chunk")))?;
        let chunk = take(out, riff, pos, padded, "chunk")?;
        let data = &chunk[8..8 + len];
        pos += padded;
        match &name {
            b"VP8X" => {
                if len < 10 {
                    return Err(out.damaged(pos - chunk.len(), Problem::BadLength("VP8X chunk")));
                }
                flags_at.get_or_insert(out.bytes.len() + 8);
                out.keep(chunk);
            }
            b"EXIF" => {
                let facts = exif::facts(strip_exif_header(data));
                if !exif_seen && flags_at.is_some() {
                    exif_seen = true;
                    if let Some(orientation) = facts.turned {
                        exif_written = true;
                        if write_exif(orientation, chunk, out) {
                            continue;
                        }
                    }
                }
                out.remove(Removed::Exif {
                    location: facts.location,
                });
            }
            b"XMP " => out.remove(Removed::Xmp {
                location: xmp_has_location(data),
            }),
            _ if SHOWN.contains(&&name) => out.keep(chunk),
            _ => out.remove(Removed::other("", &name)),
        }
    }
    if riff.len() < bytes.len() {
        out.remove(Removed::Appended);
    }
    fix_flags(flags_at, exif_written, out);
    let size = u32::try_from(out.bytes.len() - 8).unwrap_or(u32::MAX);
    out.bytes[4..8].copy_from_slice(&size.to_le_bytes());
    Ok(())
}

/// Some writers put JPEG's `Exif\0\0` before the TIFF structure.
fn strip_exif_header(data: &[u8]) -> &[u8] {
    data.strip_prefix(b"Exif\0\0").unwrap_or(data)
}

/// Clears VP8X's flags of what was removed, and sets the EXIF flag again
/// for an orientation written.
fn fix_flags(flags_at: Option<usize>, exif_written: bool, out: &mut Out) {
    let Some(at) = flags_at else {
        return;
    };
    let mut flags = out.bytes[at];
    if out
        .removed
        .iter()
        .any(|r| matches!(r, Removed::Exif { .. }))
    {
        flags &= !HAS_EXIF;
    }
    if out.removed.iter().any(|r| matches!(r, Removed::Xmp { .. })) {
        flags &= !HAS_XMP;
    }
    if exif_written {
        flags |= HAS_EXIF;
    }
    out.bytes[at] = flags;
}

/// Writes an `EXIF` chunk with only `orientation`; true when `chunk` was
/// exactly that.
fn write_exif(orientation: u16, chunk: &[u8], out: &mut Out) -> bool {
    let minimal = exif::minimal(orientation);
    let at = out.bytes.len();
    let len = u32::try_from(minimal.len()).unwrap_or(u32::MAX);
    out.keep(b"EXIF");
    out.keep(&len.to_le_bytes());
    out.keep(&minimal);
    out.bytes[at..] == *chunk
}
