//! The image stage on pictures made here (jpeg-encoder, image's PNG and
//! GIF encoders, EXIF written by kamadak-exif): sizes, orientation, no
//! metadata left (kamadak-exif as the independent judge), WebP only when
//! smaller, every kind of bad file, the store's reuse and repair, and the
//! same bytes in every run.

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use ::exif::Context;
use image::ImageDecoder;

use super::cache::Content;
use super::*;
use crate::source::config::ImageConfig;

/// Photo-like pixels: gradients, a texture and noise (a fixed generator),
/// so that encoders behave as on a photo. The left half leans red, the
/// right half blue, which shows how a picture was turned.
fn photo(width: u32, height: u32) -> Vec<u8> {
    let mut seed = 0x2545_F491_4F6C_DD1D_u64;
    let mut out = Vec::with_capacity((width * height * 3) as usize);
    for y in 0..height {
        for x in 0..width {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let noise = (seed % 24) as i32 - 12;
            let wave = ((x as f32 / 9.0).sin() * (y as f32 / 13.0).cos() * 30.0) as i32;
            let left = x < width / 2;
            let base = [
                if left { 200 } else { 40 },
                (y * 160 / height) as i32 + 40,
                if left { 40 } else { 200 },
            ];
            for c in base {
                out.push((c + wave + noise).clamp(0, 255) as u8);
            }
        }
    }
    out
}

/// A JPEG of random pixels, which no encoder can shrink much.
fn noise_jpeg(width: u16, height: u16) -> Vec<u8> {
    let mut seed = 7u64;
    let pixels: Vec<u8> = (0..u32::from(width) * u32::from(height) * 3)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed as u8
        })
        .collect();
    let mut bytes = Vec::new();
    jpeg_encoder::Encoder::new(&mut bytes, 95)
        .encode(&pixels, width, height, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    bytes
}

/// An EXIF TIFF structure with a camera name, an orientation and
/// optionally a GPS position (`util::image_meta`'s test files).
fn exif_tiff(orientation: u16, gps: bool) -> Vec<u8> {
    crate::util::image_meta::tests::exif_tiff(Some(orientation), gps, false)
}

/// A JPEG of `photo(width, height)`, with EXIF (orientation, GPS) and an
/// ICC profile when asked.
fn jpeg(width: u16, height: u16, exif: Option<(u16, bool)>, icc: Option<&[u8]>) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut bytes, 90);
    if let Some((orientation, gps)) = exif {
        let segment = [b"Exif\0\0".as_slice(), &exif_tiff(orientation, gps)].concat();
        encoder.add_app_segment(1, &segment).unwrap();
    }
    if let Some(icc) = icc {
        encoder.add_icc_profile(icc).unwrap();
    }
    let pixels = photo(u32::from(width), u32::from(height));
    encoder
        .encode(&pixels, width, height, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    bytes
}

/// A PNG of `photo(width, height)`.
fn png(width: u32, height: u32) -> Vec<u8> {
    use image::ImageEncoder;
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(
            &photo(width, height),
            width,
            height,
            image::ExtendedColorType::Rgb8,
        )
        .unwrap();
    out
}

/// A PNG whose header says `width`×`height`, with a little image data.
fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let chunk = |name: &[u8; 4], data: &[u8]| {
        let mut crc = crc32fast::Hasher::new();
        crc.update(name);
        crc.update(data);
        [
            &(data.len() as u32).to_be_bytes()[..],
            name,
            data,
            &crc.finalize().to_be_bytes(),
        ]
        .concat()
    };
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    [
        b"\x89PNG\r\n\x1a\n".to_vec(),
        chunk(b"IHDR", &ihdr),
        chunk(b"IDAT", &[0x78, 0x9c, 0x63, 0, 0, 0, 1, 0, 1]),
        chunk(b"IEND", &[]),
    ]
    .concat()
}

/// A fake but well-formed ICC header for an RGB profile (only its first
/// bytes are read).
fn icc_rgb() -> Vec<u8> {
    let mut icc = vec![0u8; 132];
    icc[..4].copy_from_slice(&132u32.to_be_bytes());
    icc[16..20].copy_from_slice(b"RGB ");
    icc[20..24].copy_from_slice(b"XYZ ");
    icc[36..40].copy_from_slice(b"acsp");
    icc
}

fn settings(widths: &[u32]) -> ImageConfig {
    ImageConfig {
        widths: widths.to_vec(),
        ..ImageConfig::default()
    }
}

/// A site's pictures: each file written below a temporary folder.
struct Site {
    dir: tempfile::TempDir,
    jobs: Vec<Job>,
}

impl Site {
    fn new(files: &[(&str, Vec<u8>)]) -> Site {
        let dir = tempfile::tempdir().unwrap();
        let jobs = files
            .iter()
            .map(|(name, bytes)| {
                let source = dir.path().join("content").join(name);
                std::fs::create_dir_all(source.parent().unwrap()).unwrap();
                std::fs::write(&source, bytes).unwrap();
                Job {
                    source,
                    display: Path::new("content").join(name),
                    site_path: (*name).to_string(),
                    keep_metadata: false,
                }
            })
            .collect();
        Site { dir, jobs }
    }

    fn cache(&self) -> PathBuf {
        self.dir.path().join("cache")
    }

    fn process(&self, settings: &ImageConfig, store: &Store) -> Images {
        Images::process(self.jobs.clone(), settings, store)
    }

    /// Dates every source back an hour, so their stamps are trusted.
    fn settle(&self) {
        let past = SystemTime::now() - Duration::from_secs(3600);
        for job in &self.jobs {
            let file = std::fs::File::options()
                .write(true)
                .open(&job.source)
                .unwrap();
            file.set_modified(past).unwrap();
        }
    }
}

fn picture<'a>(images: &'a Images, path: &str) -> &'a Picture {
    match images.get(path) {
        Some(Ok(picture)) => picture,
        other => panic!("{path}: {other:?}"),
    }
}

fn unusable(images: &Images, path: &str) -> Unusable {
    match images.get(path) {
        Some(Err(unusable)) => unusable.clone(),
        other => panic!("{path} should be unusable: {other:?}"),
    }
}

fn bytes(images: &Images, path: &str) -> Vec<u8> {
    images.bytes(path).unwrap().unwrap()
}

/// Decodes a published file: its size and pixels (RGB).
fn decoded(bytes: &[u8]) -> image::RgbImage {
    image::load_from_memory(bytes).unwrap().into_rgb8()
}

/// Every published file of the pictures, by site path.
fn published(images: &Images) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = images
        .files()
        .map(|(v, _)| (v.site_path.clone(), bytes(images, &v.site_path)))
        .collect();
    files.sort();
    files
}

#[test]
fn versions_have_the_configured_widths_and_keep_the_proportion() {
    let site = Site::new(&[("posts/a/foto.jpg", jpeg(1000, 750, None, None))]);
    let images = site.process(&settings(&[300, 600, 1200]), &Store::new(None));
    let p = picture(&images, "posts/a/foto.jpg");
    assert_eq!((p.width, p.height), (1000, 750));
    assert_eq!(p.original.site_path, "posts/a/foto.jpg");
    let listed: Vec<_> = p
        .versions
        .iter()
        .map(|v| (v.site_path.as_str(), v.width, v.height, v.format))
        .collect();
    assert_eq!(
        listed,
        [
            ("posts/a/foto-300w.jpg", 300, 225, ImageFormat::Jpeg),
            ("posts/a/foto-600w.jpg", 600, 450, ImageFormat::Jpeg),
            ("posts/a/foto-300w.webp", 300, 225, ImageFormat::Webp),
            ("posts/a/foto-600w.webp", 600, 450, ImageFormat::Webp),
            // Narrower than 1200: its own width, in WebP only.
            ("posts/a/foto-1000w.webp", 1000, 750, ImageFormat::Webp),
        ]
    );
    for v in std::iter::once(&p.original).chain(&p.versions) {
        let file = bytes(&images, &v.site_path);
        assert_eq!(file.len() as u64, v.len, "{}", v.site_path);
        let format = image::guess_format(&file).unwrap();
        assert_eq!(format.to_mime_type(), v.format.mime(), "{}", v.site_path);
        assert_eq!(decoded(&file).dimensions(), (v.width, v.height));
    }
    assert_eq!(images.made(), 1);
    assert!(images.bytes("posts/a/foto-480w.jpg").is_none());
}

#[test]
fn version_names_sit_beside_the_original() {
    use super::process::version_path;
    assert_eq!(
        version_path("posts/a/foto.jpg", 800, ImageFormat::Webp),
        "posts/a/foto-800w.webp"
    );
    assert_eq!(
        version_path("posts/a.b/Bild.JPEG", 480, ImageFormat::Jpeg),
        "posts/a.b/Bild-480w.jpg"
    );
    assert_eq!(
        version_path("noext", 480, ImageFormat::Png),
        "noext-480w.png"
    );
    assert_eq!(
        version_path("a/.hidden", 480, ImageFormat::Png),
        "a/.hidden-480w.png"
    );
}

/// Whether the top of a picture leans red and its bottom blue (a picture
/// whose left half is red, turned a quarter clockwise).
fn red_on_top(image: &image::RgbImage) -> bool {
    let (w, h) = image.dimensions();
    let top = image.get_pixel(w / 2, h / 8);
    let bottom = image.get_pixel(w / 2, h - 1 - h / 8);
    top[0] > top[2] + 60 && bottom[2] > bottom[0] + 60
}

#[test]
fn orientation_6_is_applied_to_original_and_versions() {
    // Stored 320×160 with the red half left; shown turned 90° clockwise.
    let site = Site::new(&[("turned.jpg", jpeg(320, 160, Some((6, false)), None))]);
    let images = site.process(&settings(&[80]), &Store::new(None));
    let p = picture(&images, "turned.jpg");
    assert_eq!((p.width, p.height), (160, 320));
    assert_eq!((p.original.width, p.original.height), (160, 320));
    for v in std::iter::once(&p.original).chain(&p.versions) {
        let file = bytes(&images, &v.site_path);
        let image = decoded(&file);
        assert_eq!(image.dimensions(), (v.width, v.height), "{}", v.site_path);
        assert!(red_on_top(&image), "{} is not turned", v.site_path);
        assert!(exif_of(&file).is_none(), "{} has EXIF", v.site_path);
    }
    assert_eq!((p.versions[0].width, p.versions[0].height), (80, 160));
}

/// The EXIF an independent reader finds in a file, if any.
fn exif_of(bytes: &[u8]) -> Option<::exif::Exif> {
    ::exif::Reader::new()
        .read_from_container(&mut Cursor::new(bytes))
        .ok()
}

#[test]
fn nothing_published_carries_metadata() {
    let site = Site::new(&[
        ("upright.jpg", jpeg(640, 480, Some((1, true)), None)),
        ("turned.jpg", jpeg(640, 480, Some((6, true)), None)),
        ("mirrored.jpg", jpeg(64, 48, Some((2, true)), None)),
    ]);
    for (name, _) in [("upright.jpg", 0), ("turned.jpg", 0)] {
        let source = std::fs::read(site.dir.path().join("content").join(name)).unwrap();
        let exif = exif_of(&source).expect("the judge reads the source's EXIF");
        assert!(exif.fields().any(|f| f.tag.context() == Context::Gps));
    }
    let images = site.process(&settings(&[320]), &Store::new(None));
    for name in ["upright.jpg", "turned.jpg", "mirrored.jpg"] {
        assert!(picture(&images, name).had_location, "{name}");
    }
    let files = published(&images);
    assert_eq!(
        files.len(),
        3 + 2 * 2 + 1,
        "{:?}",
        files.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    for (path, file) in &files {
        assert!(exif_of(file).is_none(), "{path} carries EXIF");
        let left = crate::util::image_meta::clean(file).unwrap();
        assert!(
            left.removed.is_empty(),
            "{path} still has {:?}",
            left.removed
        );
        assert!(
            memchr::memmem::find(file, b"Testkamera").is_none(),
            "{path}"
        );
    }
}

#[test]
fn kept_metadata_publishes_the_source_as_it_is_and_clean_versions() {
    let source = jpeg(640, 480, Some((1, true)), None);
    let mut site = Site::new(&[("mine.jpg", source.clone())]);
    site.jobs[0].keep_metadata = true;
    let images = site.process(&settings(&[320]), &Store::new(None));
    let p = picture(&images, "mine.jpg");
    assert_eq!(bytes(&images, "mine.jpg"), source);
    assert!(!p.versions.is_empty());
    for v in &p.versions {
        assert!(exif_of(&bytes(&images, &v.site_path)).is_none());
    }
}

#[test]
fn jpeg_versions_carry_the_icc_profile_and_webp_too() {
    let icc = icc_rgb();
    let site = Site::new(&[("farbe.jpg", jpeg(800, 600, None, Some(&icc)))]);
    let images = site.process(&settings(&[400, 1600]), &Store::new(None));
    let p = picture(&images, "farbe.jpg");
    assert!(p.versions.iter().any(|v| v.format == ImageFormat::Webp));
    for v in std::iter::once(&p.original).chain(&p.versions) {
        let file = bytes(&images, &v.site_path);
        let profile = match v.format {
            ImageFormat::Jpeg => image::codecs::jpeg::JpegDecoder::new(Cursor::new(&file))
                .unwrap()
                .icc_profile(),
            ImageFormat::Webp => image::codecs::webp::WebPDecoder::new(Cursor::new(&file))
                .unwrap()
                .icc_profile(),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            profile.unwrap().as_deref(),
            Some(&icc[..]),
            "{}",
            v.site_path
        );
        assert_eq!(decoded(&file).dimensions(), (v.width, v.height));
    }
}

#[test]
fn webp_is_kept_only_when_smaller() {
    let site = Site::new(&[
        ("photo.jpg", jpeg(900, 600, None, None)),
        ("shot.png", png(300, 200)),
    ]);
    let images = site.process(&settings(&[200, 600]), &Store::new(None));
    // Lossy WebP beats JPEG at the same quality on a photo.
    let photo = picture(&images, "photo.jpg");
    let widest = |p: &Picture, format| {
        p.versions
            .iter()
            .filter(|v| v.format == format)
            .max_by_key(|v| v.width)
            .cloned()
    };
    let webp = widest(photo, ImageFormat::Webp).expect("a WebP for the photo");
    let jpeg = widest(photo, ImageFormat::Jpeg).unwrap();
    assert_eq!(webp.width, jpeg.width);
    assert!(webp.len < jpeg.len);
    // A small PNG: its own width in WebP only if smaller than the PNG.
    let shot = picture(&images, "shot.png");
    match widest(shot, ImageFormat::Webp) {
        Some(webp) => {
            assert_eq!(webp.width, 300);
            assert!(webp.len < shot.original.len);
        }
        None => panic!("lossless WebP of a noisy PNG should be smaller: {shot:?}"),
    }
    // Noise at quality 50: libwebp spends more than JPEG (32 KB against
    // 28 KB at 300×200), so no WebP is offered.
    let noise = Site::new(&[("noise.jpg", noise_jpeg(600, 400))]);
    let middling = ImageConfig {
        quality: 50,
        ..settings(&[200, 300])
    };
    let images = noise.process(&middling, &Store::new(None));
    let p = picture(&images, "noise.jpg");
    assert_eq!(p.versions.len(), 2, "{p:?}");
    assert!(p.versions.iter().all(|v| v.format == ImageFormat::Jpeg));
    let no_webp = ImageConfig {
        webp: false,
        ..settings(&[200, 600])
    };
    let images = site.process(&no_webp, &Store::new(None));
    assert!(picture(&images, "photo.jpg")
        .versions
        .iter()
        .all(|v| v.format == ImageFormat::Jpeg));
}

#[test]
fn a_gif_is_published_only_as_it_is() {
    use image::codecs::gif::GifEncoder;
    let mut gif = Vec::new();
    GifEncoder::new(&mut gif)
        .encode(&photo(40, 30), 40, 30, image::ExtendedColorType::Rgb8)
        .unwrap();
    let site = Site::new(&[("moves.gif", gif)]);
    let images = site.process(&settings(&[20]), &Store::new(None));
    let p = picture(&images, "moves.gif");
    assert_eq!(
        (p.width, p.height, p.original.format),
        (40, 30, ImageFormat::Gif)
    );
    assert!(p.versions.is_empty());
    assert_eq!(decoded(&bytes(&images, "moves.gif")).dimensions(), (40, 30));
}

#[test]
fn a_picture_too_tall_for_webp_gets_versions_without_it() {
    use image::ImageEncoder;
    // 100×40000: a version 60 wide is 24000 tall, more than WebP's 16383.
    let (width, height) = (100u32, 40_000u32);
    let pixels: Vec<u8> = (0..width * height)
        .flat_map(|i| [(i % 251) as u8, (i / width % 256) as u8, 90])
        .collect();
    let mut tall = Vec::new();
    image::codecs::png::PngEncoder::new(&mut tall)
        .write_image(&pixels, width, height, image::ExtendedColorType::Rgb8)
        .unwrap();
    let site = Site::new(&[("lang.png", tall)]);
    let images = site.process(&settings(&[60]), &Store::new(None));
    let p = picture(&images, "lang.png");
    let listed: Vec<_> = p
        .versions
        .iter()
        .map(|v| (v.width, v.height, v.format))
        .collect();
    assert_eq!(listed, [(60, 24_000, ImageFormat::Png)]);
}

#[test]
fn small_pictures_get_no_versions_in_their_format() {
    let site = Site::new(&[("klein.jpg", jpeg(200, 100, None, None))]);
    let images = site.process(&settings(&[480, 800]), &Store::new(None));
    let p = picture(&images, "klein.jpg");
    assert!(p.versions.iter().all(|v| v.format == ImageFormat::Webp));
    assert!(p.versions.iter().all(|v| v.width == 200));
}

#[test]
fn bad_pictures_are_unusable_each_with_its_reason() {
    let whole = jpeg(200, 150, None, None);
    let mut tiff = b"II*\0\x08\0\0\0".to_vec();
    tiff.resize(64, 0);
    let mut heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic".to_vec();
    heic.resize(64, 0);
    let mut avif = b"\0\0\0\x1cftypavif\0\0\0\0avifmif1miaf".to_vec();
    avif.resize(64, 0);
    let mut bmp = b"BM".to_vec();
    bmp.resize(64, 0);
    let mut corrupt = png(64, 64);
    // Inside the image data, before its checksum: zlib or a filter fails.
    let idat = memchr::memmem::find(&corrupt, b"IDAT").unwrap();
    for b in &mut corrupt[idat + 20..idat + 60] {
        *b = 0xFF;
    }
    let files = [
        ("cut.jpg", whole[..whole.len() / 2].to_vec(), "is cut off"),
        (
            "text.jpg",
            b"Hallo, ich bin kein Bild.\n".to_vec(),
            "is a text file",
        ),
        (
            "scan.jpg",
            tiff,
            "is a TIFF file, which browsers do not show",
        ),
        ("phone.jpg", heic, "is a HEIC file"),
        (
            "new.jpg",
            avif,
            "is an AVIF file, which echt cannot make versions of",
        ),
        ("paint.jpg", bmp, "is a BMP file"),
        (
            "empty.png",
            png_claiming(0, 5),
            "has no pixels: its header says 0×5",
        ),
        ("corrupt.png", corrupt, "cannot be decoded"),
        ("nothing.jpg", Vec::new(), "is empty"),
        // A fuzz finding: its EXIF chunk claims 2.3 GB in a file of 643
        // bytes; refused before the decoder allocates that much.
        (
            "claims.webp",
            include_bytes!(
                "../../fuzz/regressions/image_make/webp-exif-chunk-claims-gigabytes.webp"
            )
            .to_vec(),
            "is cut off: ",
        ),
    ];
    let listed: Vec<(&str, Vec<u8>)> = files.iter().map(|(n, b, _)| (*n, b.clone())).collect();
    let site = Site::new(&listed);
    let images = site.process(&settings(&[100]), &Store::new(None));
    for (name, _, message) in &files {
        let u = unusable(&images, name);
        assert!(u.message.starts_with(message), "{name}: {u:?}");
        assert!(images.bytes(name).is_none(), "{name}");
    }
    let hint = unusable(&images, "scan.jpg").hint.unwrap();
    assert_eq!(hint, "export it as JPEG, PNG or WebP");
    assert_eq!(images.made(), files.len());
}

#[test]
fn too_many_pixels_are_refused_before_decoding() {
    let site = Site::new(&[
        ("huge.png", png_claiming(100_000, 100_000)),
        ("big.jpg", jpeg(40, 30, None, None)),
    ]);
    let start = Instant::now();
    let small = ImageConfig {
        max_pixels: 1_000,
        ..settings(&[20])
    };
    let images = site.process(&small, &Store::new(None));
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
    let huge = unusable(&images, "huge.png");
    assert_eq!(
        huge.message,
        "has 10,000,000,000 pixels (100000×100000), more than the 1,000 echt reads"
    );
    assert!(huge.hint.unwrap().contains("images.max_pixels"));
    let big = unusable(&images, "big.jpg");
    assert!(
        big.message.starts_with("has 1,200 pixels (40×30)"),
        "{big:?}"
    );
    // With the default limit, the claim is still refused from the header.
    let images = site.process(&ImageConfig::default(), &Store::new(None));
    assert!(unusable(&images, "huge.png")
        .message
        .contains("more than the 100,000,000"));
}

#[test]
fn a_rebuild_with_nothing_changed_makes_nothing() {
    let site = Site::new(&[
        ("a.jpg", jpeg(640, 480, Some((6, true)), None)),
        ("b.png", png(300, 200)),
        ("bad.jpg", b"kein Bild".to_vec()),
    ]);
    site.settle();
    let settings = settings(&[160, 320]);
    let first = site.process(&settings, &Store::new(Some(site.cache())));
    assert_eq!((first.made(), first.reused()), (3, 0));
    let files = published(&first);
    // A new store, as the next build has: the index is read from disk and
    // no source is read again.
    let store = Store::new(Some(site.cache()));
    for job in &site.jobs {
        assert!(matches!(
            store.content(&job.source).unwrap(),
            Content::Known(_)
        ));
    }
    let second = site.process(&settings, &store);
    assert_eq!((second.made(), second.reused()), (0, 3));
    assert_eq!(published(&second), files);
    for name in ["a.jpg", "b.png", "bad.jpg"] {
        assert_eq!(first.get(name), second.get(name), "{name}");
    }
    // The preview keeps its store: the same again from memory.
    let third = site.process(&settings, &store);
    assert_eq!((third.made(), third.reused()), (0, 3));
}

#[test]
fn a_recently_changed_source_is_read_again_but_not_made_again() {
    let site = Site::new(&[("a.jpg", jpeg(320, 240, None, None))]);
    let settings = settings(&[160]);
    let store = Store::new(Some(site.cache()));
    let first = site.process(&settings, &store);
    assert!(matches!(
        store.content(&site.jobs[0].source).unwrap(),
        Content::Read(..)
    ));
    let second = site.process(&settings, &store);
    assert_eq!((first.made(), second.made(), second.reused()), (1, 0, 1));
}

#[test]
fn a_changed_source_or_setting_makes_a_new_entry() {
    let site = Site::new(&[("a.jpg", jpeg(320, 240, None, None))]);
    let store = Store::new(Some(site.cache()));
    let entries = || {
        std::fs::read_dir(site.cache())
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .path()
                    .extension()
                    .is_some_and(|x| x == "img")
            })
            .count()
    };
    let first = site.process(&settings(&[160]), &store);
    assert_eq!((first.made(), entries()), (1, 1));
    let wider = site.process(&settings(&[160, 200]), &store);
    assert_eq!((wider.made(), entries()), (1, 2));
    assert_eq!(picture(&wider, "a.jpg").versions[1].width, 200);
    std::fs::write(&site.jobs[0].source, jpeg(300, 240, None, None)).unwrap();
    let changed = site.process(&settings(&[160, 200]), &store);
    assert_eq!((changed.made(), entries()), (1, 3));
    assert_eq!(picture(&changed, "a.jpg").width, 300);
    // What an interrupted process left, and what a running one writes.
    let stale = site.cache().join(".0123456789abcdef.img.1-0.tmp");
    let busy = site.cache().join(".0123456789abcdef.img.2-0.tmp");
    std::fs::write(&stale, b"half").unwrap();
    std::fs::write(&busy, b"half").unwrap();
    let file = std::fs::File::options().write(true).open(&stale).unwrap();
    file.set_modified(SystemTime::now() - Duration::from_secs(7200))
        .unwrap();
    assert_eq!(store.prune(&changed).unwrap(), 3);
    assert_eq!(entries(), 1);
    assert!(!stale.exists() && busy.exists());
    assert!(wider.bytes("a-200w.jpg").is_some(), "still listed");
    assert_eq!(
        decoded(&bytes(&changed, "a-200w.jpg")).dimensions(),
        (200, 160)
    );
}

#[test]
fn a_damaged_entry_is_made_again_never_published() {
    let site = Site::new(&[("a.jpg", jpeg(640, 480, None, None))]);
    let settings = settings(&[160, 320]);
    let store = Store::new(Some(site.cache()));
    let images = site.process(&settings, &store);
    let good = published(&images);
    let key = picture(&images, "a.jpg").key;
    let entry = store.folder().unwrap().entry(key);
    // A flipped byte near the end: the last version's hash fails.
    let mut damaged = std::fs::read(&entry).unwrap();
    let last = damaged.len() - 10;
    damaged[last] ^= 0x55;
    std::fs::write(&entry, &damaged).unwrap();
    assert_eq!(published(&images), good);
    assert_ne!(std::fs::read(&entry).unwrap(), damaged, "rewritten");
    // A missing entry and a cut one.
    std::fs::remove_file(&entry).unwrap();
    assert_eq!(published(&images), good);
    let whole = std::fs::read(&entry).unwrap();
    std::fs::write(&entry, &whole[..whole.len() / 2]).unwrap();
    let again = site.process(&settings, &store);
    assert_eq!(again.made(), 1, "a cut entry does not count");
    assert_eq!(published(&again), good);
    // A source that changed since cannot be made into what was promised.
    std::fs::remove_file(&entry).unwrap();
    std::fs::write(&site.jobs[0].source, jpeg(64, 48, None, None)).unwrap();
    let refused = images.bytes("a-160w.jpg").unwrap().unwrap_err();
    assert_eq!(refused.message, "changed while the site was being built");
}

#[test]
fn the_same_source_gives_the_same_bytes_every_run() {
    let site = Site::new(&[
        ("a.jpg", jpeg(640, 480, Some((8, true)), Some(&icc_rgb()))),
        ("b.png", png(300, 200)),
    ]);
    let settings = settings(&[160, 480]);
    let one = published(&site.process(&settings, &Store::new(None)));
    let two = published(&site.process(&settings, &Store::new(None)));
    let cached = published(&site.process(&settings, &Store::new(Some(site.cache()))));
    assert!(one.len() > 4);
    assert_eq!(one, two);
    assert_eq!(one, cached);
}

#[test]
fn without_a_folder_nothing_is_left_behind() {
    let site = Site::new(&[("a.jpg", jpeg(320, 240, None, None))]);
    let store = Store::new(None);
    let images = site.process(&settings(&[160]), &store);
    let folder = store.folder().unwrap().path.clone();
    assert!(folder.exists());
    drop(store);
    assert!(!bytes(&images, "a-160w.jpg").is_empty());
    drop(images);
    assert!(!folder.exists());
}

#[test]
fn a_store_without_a_folder_makes_one_only_for_entries() {
    let store = Store::new(None);
    let images = Images::process(Vec::new(), &settings(&[160]), &store);
    assert_eq!(images.made(), 0);
    assert!(store.folder_to_read().is_none());
}

#[test]
fn temporary_folders_of_ended_processes_are_removed() {
    let base = std::env::temp_dir();
    // No process has this id (Linux allows at most 2^22).
    let orphan = base.join("echt-images-999999999-0");
    let ours = base.join(format!("echt-images-{}-999999", std::process::id()));
    for dir in [&orphan, &ours] {
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(dir.join("0123456789abcdef.img"), b"entry").unwrap();
    }
    let site = Site::new(&[("a.jpg", jpeg(64, 48, None, None))]);
    let store = Store::new(None);
    site.process(&settings(&[32]), &store);
    let removed = !orphan.exists();
    let kept = ours.exists();
    std::fs::remove_dir_all(&ours).unwrap();
    let _ = std::fs::remove_dir_all(&orphan);
    if Path::new("/proc/self").exists() {
        assert!(removed, "the folder of an ended process is removed");
    }
    assert!(kept, "the folder of a running process stays");
}
