//! Arbitrary bytes as an image through `util::image_meta::clean`. No
//! panic; a file returned unread is returned unchanged; the result is
//! borrowed exactly when nothing was removed and never much longer than
//! the input; cleaning the result again removes nothing; and an
//! independent reader (kamadak-exif) finds no GPS field in it, and no
//! orientation other than one the input's first EXIF block had.

#![no_main]

use std::borrow::Cow;
use std::io::Cursor;

use echt::util::image_meta::{self, Cleaned};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let cleaned = match image_meta::clean(data) {
        Ok(cleaned) => cleaned,
        Err(e) => {
            assert!(e.offset <= data.len(), "{e} beyond the end ({})", data.len());
            let _ = e.to_string();
            return;
        }
    };
    let Cleaned { bytes, format, removed } = &cleaned;
    let _ = removed.iter().map(ToString::to_string).count();
    assert_eq!(removed.is_empty(), matches!(bytes, Cow::Borrowed(_)), "removed {removed:?}");
    if format.is_none() {
        assert_eq!(&bytes[..], data);
        return;
    }
    assert!(bytes.len() <= data.len() + 64, "{} bytes out of {}", bytes.len(), data.len());
    let again = image_meta::clean(bytes).expect("the cleaned file reads again");
    assert_eq!(again.removed, [], "cleaning again removed something");
    assert_eq!(again.bytes, *bytes);
    if let Ok(exif) = exif::Reader::new().read_from_container(&mut Cursor::new(&bytes[..])) {
        for field in exif.fields() {
            assert!(
                field.tag.context() != exif::Context::Gps && field.tag != exif::Tag::GPSInfoIFDPointer,
                "{} left in the cleaned file",
                field.tag
            );
            assert!(
                field.tag == exif::Tag::Orientation,
                "{} left in the cleaned file, beside the orientation",
                field.tag
            );
        }
    }
});
