//! Arbitrary bytes as a picture through the image stage (decode under a
//! pixel limit, orientation, versions, WebP beside them). No panic, and
//! memory stays within libFuzzer's limit whatever the bytes say about
//! their size; a picture is made or refused with a reason. Of a made one:
//! every file published is of the size it says and no wider than the
//! picture, the versions are narrower than it, and `util::image_meta`
//! finds nothing to remove in any of them (no EXIF, XMP, comment or
//! position survives, not even the minimal orientation block: a turned
//! picture is written upright).

#![no_main]

use echt::image::{ImageFormat, Images};
use echt::source::config::ImageConfig;
use echt::util::image_meta;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let settings = ImageConfig {
        widths: vec![16, 48],
        quality: 60,
        // 4 megapixels decode in 16 MB: a file that claims more is refused
        // before its pixels are read.
        max_pixels: 4_000_000,
        ..ImageConfig::default()
    };
    let made = match Images::make_one(data, &settings) {
        Ok(made) => made,
        Err(unusable) => {
            assert!(!unusable.message.is_empty());
            return;
        }
    };
    assert!(u64::from(made.width) * u64::from(made.height) <= settings.max_pixels);
    let (original, versions) = made.files.split_first().expect("the original");
    for (i, (format, width, height, bytes)) in made.files.iter().enumerate() {
        assert!(!bytes.is_empty(), "file {i} is empty");
        assert!(*width <= made.width && *height <= made.height.max(1), "file {i} is larger than the picture");
        let cleaned = image_meta::clean(bytes).expect("a published file reads");
        assert_eq!(cleaned.removed, [], "file {i} ({format:?}) still carries metadata");
        let sniffed = cleaned.format.map(ImageFormat::from);
        assert_eq!(sniffed, Some(*format), "file {i} is not what it says");
    }
    assert_eq!((original.1, original.2), (made.width, made.height));
    for (_, width, _, _) in versions {
        assert!(*width <= made.width);
    }
});
