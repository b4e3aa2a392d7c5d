//! Real files, made by independent encoders (jpeg-encoder, png,
//! image-webp, gif) with metadata as cameras and editors write it, are
//! cleaned; an independent EXIF reader (kamadak-exif) is the judge that
//! no GPS position is left, and the decoders that the pixels are the same.

use std::io::Cursor;

use ::exif::experimental::Writer;
use ::exif::{Context, Field, In, Rational, Tag, Value};

use super::*;

const W: u16 = 16;
const H: u16 = 16;

/// A small gradient, three bytes a pixel.
fn pixels() -> Vec<u8> {
    (0..W * H)
        .flat_map(|i| [(i * 7) as u8, (i * 3) as u8, (255 - i) as u8])
        .collect()
}

/// An EXIF TIFF structure with a camera name, optionally an orientation
/// and a GPS position.
pub(crate) fn exif_tiff(orientation: Option<u16>, gps: bool, little_endian: bool) -> Vec<u8> {
    let field = |tag, value| Field {
        tag,
        ifd_num: In::PRIMARY,
        value,
    };
    let degrees = |d| {
        Value::Rational(vec![
            Rational::from((d, 1)),
            Rational::from((30, 1)),
            Rational::from((0, 1)),
        ])
    };
    let mut fields = vec![field(Tag::Make, Value::Ascii(vec![b"Testkamera".to_vec()]))];
    if let Some(o) = orientation {
        fields.push(field(Tag::Orientation, Value::Short(vec![o])));
    }
    if gps {
        fields.push(field(
            Tag::GPSLatitudeRef,
            Value::Ascii(vec![b"N".to_vec()]),
        ));
        fields.push(field(Tag::GPSLatitude, degrees(52)));
        fields.push(field(
            Tag::GPSLongitudeRef,
            Value::Ascii(vec![b"E".to_vec()]),
        ));
        fields.push(field(Tag::GPSLongitude, degrees(13)));
    }
    let mut writer = Writer::new();
    for f in &fields {
        writer.push_field(f);
    }
    let mut buf = Cursor::new(Vec::new());
    writer.write(&mut buf, little_endian).unwrap();
    buf.into_inner()
}

const XMP_GPS: &[u8] = br#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="52,30.0N" exif:GPSLongitude="13,30.0E"/></rdf:RDF></x:xmpmeta>"#;

const XMP_PLAIN: &[u8] = br#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:creator="Erika Beispiel"/></rdf:RDF></x:xmpmeta>"#;

/// What the independent reader finds: whether any GPS field is there,
/// and the orientation.
fn exif_read(bytes: &[u8]) -> (bool, Option<u32>) {
    match ::exif::Reader::new().read_from_container(&mut Cursor::new(bytes)) {
        Ok(exif) => (
            exif.fields()
                .any(|f| f.tag.context() == Context::Gps || f.tag == Tag::GPSInfoIFDPointer),
            exif.get_field(Tag::Orientation, In::PRIMARY)
                .and_then(|f| f.value.get_uint(0)),
        ),
        Err(_) => (false, None),
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(haystack, needle).is_some()
}

/// A JPEG made by jpeg-encoder with these APPn segments.
fn jpeg(segments: &[(u8, Vec<u8>)], comment: Option<&[u8]>) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut bytes, 90);
    for (n, data) in segments {
        encoder.add_app_segment(*n, data).unwrap();
    }
    encoder
        .add_icc_profile(b"not really a colour profile, but kept as one")
        .unwrap();
    encoder
        .encode(&pixels(), W, H, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    if let Some(text) = comment {
        let len = u16::try_from(text.len() + 2).unwrap().to_be_bytes();
        let at = bytes.len() - 2;
        bytes.splice(at..at, [&[0xFF, 0xFE, len[0], len[1]], text].concat());
    }
    bytes
}

fn jpeg_pixels(bytes: &[u8]) -> Vec<u8> {
    jpeg_decoder::Decoder::new(bytes).decode().unwrap()
}

fn prefixed(prefix: &[u8], data: &[u8]) -> Vec<u8> {
    [prefix, data].concat()
}

/// A phone photo: EXIF with GPS, XMP with GPS, IPTC, a comment.
fn dirty_jpeg(orientation: Option<u16>) -> Vec<u8> {
    jpeg(
        &[
            (
                1,
                prefixed(b"Exif\0\0", &exif_tiff(orientation, true, false)),
            ),
            (1, prefixed(b"http://ns.adobe.com/xap/1.0/\0", XMP_GPS)),
            (
                13,
                prefixed(
                    b"Photoshop 3.0\08BIM\x04\x04\0\0\0\0\0\x10",
                    b"\x1c\x02\x5a\0\x06Berlin",
                ),
            ),
        ],
        Some(b"Aufgenommen am Wannsee"),
    )
}

#[test]
fn jpeg_loses_gps_xmp_iptc_and_comment() {
    let dirty = dirty_jpeg(None);
    assert!(
        exif_read(&dirty).0,
        "the reader sees the GPS position going in"
    );
    let cleaned = clean(&dirty).unwrap();
    assert_eq!(cleaned.format, Some(Format::Jpeg));
    assert_eq!(
        cleaned.removed,
        [
            Removed::Exif { location: true },
            Removed::Xmp { location: true },
            Removed::Iptc,
            Removed::Comment
        ]
    );
    assert!(cleaned.location());
    let out = &cleaned.bytes[..];
    assert_eq!(exif_read(out), (false, None));
    for gone in [
        &b"Exif"[..],
        b"xmpmeta",
        b"GPS",
        b"Berlin",
        b"Wannsee",
        b"Testkamera",
    ] {
        assert!(
            !contains(out, gone),
            "{} left",
            String::from_utf8_lossy(gone)
        );
    }
    assert!(contains(out, b"ICC_PROFILE\0"));
    assert!(contains(out, b"JFIF\0"));
    assert_eq!(jpeg_pixels(out), jpeg_pixels(&dirty));
}

#[test]
fn jpeg_keeps_a_turned_orientation_alone() {
    for little_endian in [false, true] {
        let dirty = jpeg(
            &[(
                1,
                prefixed(b"Exif\0\0", &exif_tiff(Some(6), true, little_endian)),
            )],
            None,
        );
        assert_eq!(exif_read(&dirty), (true, Some(6)));
        let cleaned = clean(&dirty).unwrap();
        assert_eq!(cleaned.removed, [Removed::Exif { location: true }]);
        assert_eq!(exif_read(&cleaned.bytes), (false, Some(6)));
        assert!(!contains(&cleaned.bytes, b"Testkamera"));
        assert_eq!(jpeg_pixels(&cleaned.bytes), jpeg_pixels(&dirty));
    }
}

#[test]
fn jpeg_progressive_with_restarts_keeps_every_scan() {
    let (w, h) = (48u16, 40u16);
    let pixels: Vec<u8> = (0..u32::from(w) * u32::from(h))
        .flat_map(|i| [(i * 5) as u8, (i / 7) as u8, 99])
        .collect();
    for progressive in [false, true] {
        let mut dirty = Vec::new();
        let mut encoder = jpeg_encoder::Encoder::new(&mut dirty, 80);
        encoder.set_progressive(progressive);
        encoder.set_restart_interval(1);
        encoder
            .add_app_segment(1, &prefixed(b"Exif\0\0", &exif_tiff(Some(3), true, false)))
            .unwrap();
        encoder
            .encode(&pixels, w, h, jpeg_encoder::ColorType::Rgb)
            .unwrap();
        let scans = memchr::memmem::find_iter(&dirty, &[0xFF, 0xDA]).count();
        assert!(scans >= if progressive { 3 } else { 1 });
        assert!(
            memchr::memmem::find(&dirty, &[0xFF, 0xD1]).is_some(),
            "restart markers in the scans"
        );
        let cleaned = clean(&dirty).unwrap();
        assert_eq!(cleaned.removed, [Removed::Exif { location: true }]);
        assert_eq!(exif_read(&cleaned.bytes), (false, Some(3)));
        assert_eq!(
            memchr::memmem::find_iter(&cleaned.bytes, &[0xFF, 0xDA]).count(),
            scans
        );
        assert_eq!(jpeg_pixels(&cleaned.bytes), jpeg_pixels(&dirty));
    }
}

#[test]
fn jpeg_upright_orientation_leaves_no_exif() {
    let dirty = jpeg(
        &[(1, prefixed(b"Exif\0\0", &exif_tiff(Some(1), false, false)))],
        None,
    );
    let cleaned = clean(&dirty).unwrap();
    assert_eq!(cleaned.removed, [Removed::Exif { location: false }]);
    assert!(!cleaned.location());
    assert!(!contains(&cleaned.bytes, b"Exif"));
}

#[test]
fn jpeg_drops_what_follows_its_end_and_unknown_segments() {
    let second = dirty_jpeg(Some(3));
    let mut dirty = jpeg(
        &[(2, b"MPF\0II*\0".to_vec()), (12, b"Ducky\0\x01".to_vec())],
        None,
    );
    dirty.extend_from_slice(&second);
    let cleaned = clean(&dirty).unwrap();
    assert_eq!(
        cleaned.removed,
        [
            Removed::Other("APP2 MPF".into()),
            Removed::Other("APP12 Ducky".into()),
            Removed::Appended
        ]
    );
    assert!(cleaned.bytes.ends_with(&[0xFF, 0xD9]));
    assert!(!contains(&cleaned.bytes, b"GPS"));
}

#[test]
fn jpeg_thumbnail_in_jfif_is_dropped() {
    let plain = jpeg(&[], None);
    // jpeg-encoder writes JFIF without a thumbnail; give it one (1×1).
    assert_eq!(&plain[2..6], &[0xFF, 0xE0, 0, 16]);
    let mut dirty = plain[..18].to_vec();
    dirty[5] = 19;
    dirty.extend_from_slice(&[1, 1, 9, 9, 9]);
    dirty.extend_from_slice(&plain[20..]);
    let cleaned = clean(&dirty).unwrap();
    assert_eq!(cleaned.removed, [Removed::Thumbnail]);
    assert_eq!(&cleaned.bytes[..], &plain[..]);
}

#[test]
fn a_clean_file_comes_back_borrowed() {
    let plain = jpeg(&[], None);
    let cleaned = clean(&plain).unwrap();
    assert!(matches!(cleaned.bytes, Cow::Borrowed(_)));
    assert_eq!(cleaned.removed, []);
}

fn png_chunk(name: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let len = u32::try_from(data.len()).unwrap().to_be_bytes();
    let crc = crc32fast::hash(&[&name[..], data].concat()).to_be_bytes();
    [&len[..], name, data, &crc].concat()
}

/// A PNG made by the png crate, with chunks put in after IHDR.
fn png_with(chunks: &[Vec<u8>]) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut encoder = ::png::Encoder::new(&mut bytes, W.into(), H.into());
    encoder.set_color(::png::ColorType::Rgb);
    encoder.set_depth(::png::BitDepth::Eight);
    encoder
        .write_header()
        .unwrap()
        .write_image_data(&pixels())
        .unwrap();
    let after_ihdr = 8 + 25;
    bytes.splice(after_ihdr..after_ihdr, chunks.concat());
    bytes
}

fn png_pixels(bytes: &[u8]) -> Vec<u8> {
    let mut reader = ::png::Decoder::new(Cursor::new(bytes)).read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    reader.next_frame(&mut buf).unwrap();
    buf
}

fn dirty_png(orientation: Option<u16>) -> Vec<u8> {
    png_with(&[
        png_chunk(b"gAMA", &45455u32.to_be_bytes()),
        png_chunk(b"eXIf", &exif_tiff(orientation, true, true)),
        png_chunk(b"iTXt", &prefixed(b"XML:com.adobe.xmp\0\0\0\0\0", XMP_GPS)),
        png_chunk(b"tEXt", b"Author\0Erika Beispiel"),
        png_chunk(b"tIME", &[7, 234, 11, 30, 12, 0, 0]),
        png_chunk(b"caBX", b"a manifest"),
    ])
}

#[test]
fn png_loses_exif_xmp_text_and_time() {
    let dirty = dirty_png(None);
    assert_eq!(exif_read(&dirty), (true, None));
    let cleaned = clean(&dirty).unwrap();
    assert_eq!(
        cleaned.removed,
        [
            Removed::Exif { location: true },
            Removed::Xmp { location: true },
            Removed::Text,
            Removed::Time,
            Removed::Other("caBX".into())
        ]
    );
    let out = &cleaned.bytes[..];
    assert_eq!(exif_read(out), (false, None));
    for gone in [&b"eXIf"[..], b"iTXt", b"tEXt", b"tIME", b"Erika", b"caBX"] {
        assert!(
            !contains(out, gone),
            "{} left",
            String::from_utf8_lossy(gone)
        );
    }
    assert!(contains(out, b"gAMA"));
    assert_eq!(png_pixels(out), png_pixels(&dirty));
}

#[test]
fn png_raw_profiles_are_named() {
    let exif = prefixed(b"Exif\0\0", &exif_tiff(None, true, false));
    let hex: Vec<String> = exif.iter().map(|b| format!("{b:02x}")).collect();
    let lines: String = hex.chunks(36).map(|line| line.concat() + "\n").collect();
    let profile = format!("Raw profile type exif\0\nexif\n{:8}\n{lines}", exif.len());
    let dirty = png_with(&[
        png_chunk(b"tEXt", profile.as_bytes()),
        png_chunk(b"zTXt", b"Raw profile type iptc\0\0x"),
        png_chunk(b"tEXt", b"Software\0a painting program"),
    ]);
    let cleaned = clean(&dirty).unwrap();
    assert_eq!(
        cleaned.removed,
        [
            Removed::Exif { location: true },
            Removed::Iptc,
            Removed::Text
        ]
    );
    assert_eq!(png_pixels(&cleaned.bytes), png_pixels(&dirty));
}

#[test]
fn png_keeps_a_turned_orientation_alone() {
    let dirty = dirty_png(Some(8));
    let cleaned = clean(&dirty).unwrap();
    assert_eq!(exif_read(&cleaned.bytes), (false, Some(8)));
    // The png decoder checks every chunk's CRC, the new eXIf's too.
    assert_eq!(png_pixels(&cleaned.bytes), png_pixels(&dirty));
}

fn webp(exif: Option<Vec<u8>>, xmp: Option<&[u8]>) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut encoder = image_webp::WebPEncoder::new(&mut bytes);
    if let Some(exif) = exif {
        encoder.set_exif_metadata(exif);
    }
    if let Some(xmp) = xmp {
        encoder.set_xmp_metadata(xmp.to_vec());
    }
    encoder.set_icc_profile(b"a profile".to_vec());
    encoder
        .encode(&pixels(), W.into(), H.into(), image_webp::ColorType::Rgb8)
        .unwrap();
    bytes
}

fn webp_pixels(bytes: &[u8]) -> Vec<u8> {
    let mut decoder = image_webp::WebPDecoder::new(Cursor::new(bytes)).unwrap();
    let mut buf = vec![0; decoder.output_buffer_size().unwrap()];
    decoder.read_image(&mut buf).unwrap();
    buf
}

fn webp_flags(bytes: &[u8]) -> u8 {
    assert_eq!(&bytes[12..16], b"VP8X");
    bytes[20]
}

#[test]
fn webp_loses_exif_and_xmp() {
    for orientation in [None, Some(5)] {
        let dirty = webp(Some(exif_tiff(orientation, true, false)), Some(XMP_GPS));
        assert_eq!(exif_read(&dirty), (true, orientation.map(u32::from)));
        assert_eq!(webp_flags(&dirty) & 0x0C, 0x0C);
        let cleaned = clean(&dirty).unwrap();
        assert_eq!(
            cleaned.removed,
            [
                Removed::Exif { location: true },
                Removed::Xmp { location: true }
            ]
        );
        let out = &cleaned.bytes[..];
        assert_eq!(exif_read(out), (false, orientation.map(u32::from)));
        assert_eq!(webp_flags(out) & 0x04, 0, "XMP flag cleared");
        assert_eq!(
            webp_flags(out) & 0x08 != 0,
            orientation.is_some(),
            "EXIF flag as the chunk"
        );
        assert_eq!(webp_flags(out) & 0x20, 0x20, "ICC flag kept");
        assert!(!contains(out, b"XMP ") && !contains(out, b"Testkamera"));
        let size = u32::from_le_bytes(out[4..8].try_into().unwrap());
        assert_eq!(usize::try_from(size).unwrap(), out.len() - 8);
        assert_eq!(webp_pixels(out), webp_pixels(&dirty));
    }
}

fn gif_with(extensions: &[(u8, Vec<&[u8]>)]) -> Vec<u8> {
    let mut bytes = Vec::new();
    let palette: Vec<u8> = (0..=255u8).flat_map(|i| [i, i, i]).collect();
    let mut encoder = ::gif::Encoder::new(&mut bytes, W, H, &palette).unwrap();
    encoder.set_repeat(::gif::Repeat::Infinite).unwrap();
    for (label, blocks) in extensions {
        encoder
            .write_raw_extension(::gif::AnyExtension(*label), blocks)
            .unwrap();
    }
    let indices: Vec<u8> = (0..W * H).map(|i| (i % 251) as u8).collect();
    let frame = ::gif::Frame {
        width: W,
        height: H,
        buffer: indices.into(),
        ..::gif::Frame::default()
    };
    encoder.write_frame(&frame).unwrap();
    drop(encoder);
    bytes
}

fn gif_pixels(bytes: &[u8]) -> Vec<u8> {
    let mut decoder = ::gif::DecodeOptions::new().read_info(bytes).unwrap();
    decoder.read_next_frame().unwrap().unwrap().buffer.to_vec()
}

fn dirty_gif() -> Vec<u8> {
    gif_with(&[
        (0xFE, vec![b"made on holiday".as_slice()]),
        (0xFF, vec![b"XMP DataXMP".as_slice(), XMP_PLAIN]),
    ])
}

#[test]
fn gif_loses_comments_and_xmp() {
    let dirty = dirty_gif();
    let cleaned = clean(&dirty).unwrap();
    assert_eq!(
        cleaned.removed,
        [Removed::Comment, Removed::Xmp { location: false }]
    );
    let out = &cleaned.bytes[..];
    assert!(!contains(out, b"holiday") && !contains(out, b"Erika"));
    assert!(contains(out, b"NETSCAPE2.0"), "looping kept");
    assert_eq!(gif_pixels(out), gif_pixels(&dirty));
}

fn dirty_files() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("jpeg", dirty_jpeg(None)),
        ("jpeg turned", dirty_jpeg(Some(6))),
        ("png", dirty_png(None)),
        ("png turned", dirty_png(Some(6))),
        (
            "webp",
            webp(Some(exif_tiff(None, true, false)), Some(XMP_GPS)),
        ),
        (
            "webp turned",
            webp(Some(exif_tiff(Some(7), true, true)), None),
        ),
        ("gif", dirty_gif()),
    ]
}

#[test]
fn data_after_the_end_is_dropped_in_every_format() {
    for (name, dirty) in dirty_files() {
        let cleaned = clean(&dirty).unwrap();
        let mut longer = dirty.clone();
        longer.extend_from_slice(b"\xFF\xD8\xFF\xE1 a second picture");
        let from_longer = clean(&longer).unwrap();
        assert_eq!(
            from_longer.removed.last(),
            Some(&Removed::Appended),
            "{name}"
        );
        assert_eq!(from_longer.bytes, cleaned.bytes, "{name}");
    }
}

#[test]
fn cleaning_twice_is_cleaning_once() {
    for (name, dirty) in dirty_files() {
        let once = clean(&dirty).unwrap();
        assert!(!once.removed.is_empty(), "{name}");
        let twice = clean(&once.bytes).unwrap();
        assert_eq!(twice.removed, [], "{name}");
        assert!(matches!(twice.bytes, Cow::Borrowed(_)), "{name}");
    }
}

#[test]
fn every_truncated_file_is_damaged() {
    for (name, dirty) in dirty_files() {
        for end in 0..dirty.len() {
            match clean(&dirty[..end]) {
                Ok(cleaned) => assert_eq!(cleaned.format, None, "{name} cut at {end}"),
                Err(e) => assert!(e.offset <= end, "{name} cut at {end}: {e}"),
            }
        }
    }
}

#[test]
fn damage_is_located() {
    let dirty = dirty_jpeg(None);
    let err = clean(&dirty[..40]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "JPEG file damaged at byte 20: the segment runs past the end of the file"
    );
    let mut png = dirty_png(None);
    png[8 + 25 + 4] = b'1';
    let err = clean(&png).unwrap_err();
    assert_eq!(
        err,
        Damaged {
            format: Format::Png,
            offset: 37,
            problem: Problem::BadChunkName
        }
    );
    let mut gif = dirty_gif();
    let end = gif.len() - 1;
    gif[end] = b'!';
    gif.push(0x77);
    assert!(matches!(
        clean(&gif),
        Err(Damaged {
            format: Format::Gif,
            ..
        })
    ));
}

#[test]
fn other_files_come_back_unchanged() {
    let files: [&[u8]; 5] = [
        b"<svg xmlns=\"http://www.w3.org/2000/svg\"><metadata>GPS</metadata></svg>",
        b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n",
        b"ID3\x04\0\0\0\0\0\x10TALB",
        b"",
        b"RIFF\x04\0\0\0WAVE",
    ];
    for file in files {
        let cleaned = clean(file).unwrap();
        assert_eq!(
            cleaned,
            Cleaned {
                bytes: Cow::Borrowed(file),
                format: None,
                removed: vec![]
            }
        );
    }
}

#[test]
fn removed_reads_in_a_report() {
    let shown: Vec<String> = [
        Removed::Exif { location: true },
        Removed::Xmp { location: false },
        Removed::Iptc,
        Removed::Comment,
        Removed::other("APP12", b"Du\xFFcky"),
    ]
    .iter()
    .map(ToString::to_string)
    .collect();
    assert_eq!(
        shown,
        [
            "EXIF with a GPS position",
            "XMP",
            "IPTC",
            "comment",
            "other metadata (APP12 Du\\xffcky)"
        ]
    );
}

#[test]
fn a_gif_colour_table_past_the_end_is_located_in_the_file() {
    let mut gif = dirty_gif();
    let at = memchr::memmem::find(&gif, &[0x2C, 0, 0, 0, 0, 16, 0, 16, 0]).unwrap();
    // A local colour table of 256 entries, longer than what follows.
    gif[at + 9] = 0x87;
    let err = clean(&gif).unwrap_err();
    assert_eq!(
        err,
        Damaged {
            format: Format::Gif,
            offset: at,
            problem: Problem::Truncated("image descriptor")
        }
    );
}
