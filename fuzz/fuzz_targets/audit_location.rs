//! Arbitrary bytes as a published image through the audit's location
//! reader (`audit::location`). No panic, whatever the container says; and
//! the reader is never less strict than the cleaner: whenever
//! `util::image_meta::clean` says it removed a GPS position from the
//! bytes, the audit's reader (kamadak-exif and its own scans, sharing no
//! code with the cleaner) found location data in them or refused them as
//! unreadable. The first byte also picks a format to read bytes as when
//! they are no image, so that every walk sees arbitrary input.

#![no_main]

use echt::audit::location::{self, Kind};
use echt::util::image_meta;
use libfuzzer_sys::fuzz_target;

const KINDS: [Kind; 8] = [
    Kind::Jpeg,
    Kind::Png,
    Kind::Webp,
    Kind::Gif,
    Kind::Tiff,
    Kind::BigTiff,
    Kind::Heif,
    Kind::JpegXl,
];

fuzz_target!(|data: &[u8]| {
    let Some(&first) = data.first() else {
        return;
    };
    let kind = location::sniff(data).unwrap_or(KINDS[usize::from(first) % KINDS.len()]);
    let reading = location::read(kind, data);
    let _ = format!("{kind} {reading:?}");
    if let Ok(cleaned) = image_meta::clean(data) {
        if cleaned.location() {
            assert!(
                !reading.found.is_empty() || reading.unreadable.is_some(),
                "image_meta removed a position ({:?}) the audit's reader did not see",
                cleaned.removed
            );
        }
    }
});
