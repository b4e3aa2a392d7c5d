//! GIF: a walk over the blocks. Images, colour tables, graphic control
//! and plain text extensions, looping (`NETSCAPE2.0`, `ANIMEXTS1.0`) and
//! ICC profiles are kept; comments, XMP and every other application
//! extension are dropped.

use super::{take, xmp_has_location, Damaged, Out, Problem, Removed};

/// Application extensions that change what is shown.
const SHOWN: [&[u8]; 3] = [b"NETSCAPE2.0", b"ANIMEXTS1.0", b"ICCRGBG1012"];

pub(super) fn clean(bytes: &[u8], out: &mut Out) -> Result<(), Damaged> {
    let screen = take(out, bytes, 0, 13, "logical screen descriptor")?;
    let mut pos = 13 + colour_table(screen[10]);
    out.keep(take(out, bytes, 0, pos, "global colour table")?);
    loop {
        let start = pos;
        let Some(&block) = bytes.get(pos) else {
            return Err(out.damaged(pos, Problem::NoEnd));
        };
        match block {
            0x3B => {
                out.keep(&bytes[pos..=pos]);
                if pos + 1 < bytes.len() {
                    out.remove(Removed::Appended);
                }
                return Ok(());
            }
            0x2C => {
                let descriptor = take(out, bytes, pos, 10, "image descriptor")?;
                // The local colour table and the LZW code size, then the
                // image data.
                let head = 10 + colour_table(descriptor[9]) + 1;
                take(out, bytes, pos, head, "image descriptor")?;
                pos = sub_blocks(bytes, pos + head, out)?;
                out.keep(&bytes[start..pos]);
            }
            0x21 => {
                let label = *take(out, bytes, pos + 1, 1, "extension")?
                    .first()
                    .unwrap_or(&0);
                pos = sub_blocks(bytes, pos + 2, out)?;
                match extension(label, &bytes[start + 2..pos]) {
                    None => out.keep(&bytes[start..pos]),
                    Some(removed) => out.remove(removed),
                }
            }
            _ => return Err(out.damaged(pos, Problem::UnknownBlock(block))),
        }
    }
}

/// The size of the colour table a descriptor's packed `flags` announce.
fn colour_table(flags: u8) -> usize {
    if flags & 0x80 == 0 {
        0
    } else {
        3 << ((flags & 0x07) + 1)
    }
}

/// What an extension with `label` and sub-blocks `blocks` held, if it is
/// removed.
fn extension(label: u8, blocks: &[u8]) -> Option<Removed> {
    match label {
        0xF9 | 0x01 => None,
        0xFE => Some(Removed::Comment),
        0xFF => {
            let id = blocks
                .split_first()
                .and_then(|(&n, rest)| rest.get(..usize::from(n)))
                .unwrap_or_default();
            if SHOWN.contains(&id) {
                None
            } else if id == b"XMP DataXMP" {
                Some(Removed::Xmp {
                    location: xmp_has_location(blocks),
                })
            } else {
                Some(Removed::other("application", id))
            }
        }
        _ => Some(Removed::other(&format!("extension 0x{label:02X}"), b"")),
    }
}

/// The end of the data sub-blocks starting at `at` (after their
/// terminating empty block).
fn sub_blocks(bytes: &[u8], mut at: usize, out: &Out) -> Result<usize, Damaged> {
    loop {
        let Some(&len) = bytes.get(at) else {
            return Err(out.damaged(at, Problem::Truncated("data sub-blocks")));
        };
        at += 1;
        if len == 0 {
            return Ok(at);
        }
        at += usize::from(len);
        if at > bytes.len() {
            return Err(out.damaged(
                at - usize::from(len) - 1,
                Problem::Truncated("data sub-block"),
            ));
        }
    }
}
