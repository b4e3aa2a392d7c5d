//! The two facts echt reads from an EXIF block before dropping it (its
//! orientation and whether it points at GPS data), and the minimal block
//! that carries the orientation on.

/// The tag of the orientation in IFD0.
const ORIENTATION: u16 = 0x0112;
/// The tag of the pointer to the GPS IFD.
const GPS_INFO: u16 = 0x8825;
/// TIFF's type SHORT (an unsigned 16-bit number).
const SHORT: u16 = 3;

/// What an EXIF block (its TIFF structure) says that matters here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct Facts {
    /// The orientation, when IFD0 has a valid one other than 1 (upright).
    pub(super) turned: Option<u16>,
    /// Whether IFD0 points at a GPS IFD.
    pub(super) location: bool,
}

/// The facts of a TIFF structure; what cannot be read counts as absent
/// (the block is dropped either way).
pub(super) fn facts(tiff: &[u8]) -> Facts {
    let mut facts = Facts::default();
    let big = match tiff.get(..4) {
        Some(b"MM\0*") => true,
        Some(b"II*\0") => false,
        _ => return facts,
    };
    let u16_at = |at: usize| -> Option<u16> {
        let b: [u8; 2] = tiff.get(at..at.checked_add(2)?)?.try_into().ok()?;
        Some(if big {
            u16::from_be_bytes(b)
        } else {
            u16::from_le_bytes(b)
        })
    };
    let u32_at = |at: usize| -> Option<u32> {
        let b: [u8; 4] = tiff.get(at..at.checked_add(4)?)?.try_into().ok()?;
        Some(if big {
            u32::from_be_bytes(b)
        } else {
            u32::from_le_bytes(b)
        })
    };
    let Some(ifd) = u32_at(4).and_then(|o| usize::try_from(o).ok()) else {
        return facts;
    };
    let count = u16_at(ifd).unwrap_or(0);
    for i in 0..usize::from(count) {
        let entry = ifd + 2 + 12 * i;
        let (Some(tag), Some(kind), Some(n)) =
            (u16_at(entry), u16_at(entry + 2), u32_at(entry + 4))
        else {
            break;
        };
        match tag {
            GPS_INFO => facts.location = true,
            ORIENTATION if kind == SHORT && n >= 1 && facts.turned.is_none() => {
                facts.turned = u16_at(entry + 8).filter(|o| (2..=8).contains(o));
            }
            _ => {}
        }
    }
    facts
}

/// A TIFF structure holding only `orientation` in IFD0 (big-endian, as
/// most cameras write it).
pub(super) fn minimal(orientation: u16) -> [u8; 26] {
    let [hi, lo] = orientation.to_be_bytes();
    [
        b'M', b'M', 0, 42, 0, 0, 0, 8, // header, IFD0 at 8
        0, 1, // one entry
        0x01, 0x12, 0, 3, 0, 0, 0, 1, hi, lo, 0, 0, // Orientation, SHORT, 1
        0, 0, 0, 0, // no next IFD
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_minimal_block_reads_back() {
        for o in 2..=8 {
            assert_eq!(
                facts(&minimal(o)),
                Facts {
                    turned: Some(o),
                    location: false
                }
            );
        }
    }

    #[test]
    fn upright_and_invalid_orientations_are_not_kept() {
        for o in [0, 1, 9, 0xFFFF] {
            assert_eq!(facts(&minimal(o)).turned, None);
        }
    }

    #[test]
    fn broken_structures_have_no_facts() {
        for tiff in [
            &b""[..],
            b"MM\0*",
            b"II*\0\xFF\xFF\xFF\xFF",
            b"MM\0*\0\0\0\x08\xFF\xFF\x01",
        ] {
            assert_eq!(facts(tiff), Facts::default());
        }
    }
}
