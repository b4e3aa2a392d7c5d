//! Pictures with location data, made here for the tests of the privacy
//! audit: real files from small encoders (jpeg-encoder, png, image-webp)
//! with EXIF written by hand (a TIFF header, IFD0, a GPS IFD holding a
//! latitude and longitude), XMP, and the places phones hide them in. The
//! judge of what a published file still carries is kamadak-exif and a
//! search for the XMP property names.

use std::io::Cursor;

/// A TIFF structure (big- or little-endian): IFD0 with the camera's
/// make and, with `gps`, a pointer to a GPS IFD with a position.
pub fn tiff(gps: bool, little_endian: bool) -> Vec<u8> {
    let u16b = |v: u16| {
        if little_endian {
            v.to_le_bytes()
        } else {
            v.to_be_bytes()
        }
    };
    let u32b = |v: u32| {
        if little_endian {
            v.to_le_bytes()
        } else {
            v.to_be_bytes()
        }
    };
    let entry = |tag: u16, kind: u16, count: u32, value: [u8; 4]| -> Vec<u8> {
        [&u16b(tag)[..], &u16b(kind), &u32b(count), &value].concat()
    };
    // IFD0 at 8 (2 + 12 per entry + 4 bytes), then the make (12 bytes),
    // then the GPS IFD (2 + 4 × 12 + 4 = 54 bytes), then its two
    // rational triples (24 bytes each).
    let entries: u16 = if gps { 2 } else { 1 };
    let make_at = 8 + 2 + 12 * u32::from(entries) + 4;
    let gps_at = make_at + 12;
    let mut out = if little_endian {
        b"II*\0".to_vec()
    } else {
        b"MM\0*".to_vec()
    };
    out.extend(u32b(8));
    out.extend(u16b(entries));
    out.extend(entry(0x010F, 2, 12, u32b(make_at)));
    if gps {
        out.extend(entry(0x8825, 4, 1, u32b(gps_at)));
    }
    out.extend(u32b(0));
    out.extend(b"Testkamera\0\0");
    if gps {
        let values = gps_at + 54;
        out.extend(u16b(4));
        out.extend(entry(0x0001, 2, 2, *b"N\0\0\0"));
        out.extend(entry(0x0002, 5, 3, u32b(values)));
        out.extend(entry(0x0003, 2, 2, *b"E\0\0\0"));
        out.extend(entry(0x0004, 5, 3, u32b(values + 24)));
        out.extend(u32b(0));
        for (n, d) in [(52, 1), (3112, 100), (0, 1), (13, 1), (2436, 100), (0, 1)] {
            out.extend(u32b(n));
            out.extend(u32b(d));
        }
    }
    out
}

/// An APP1 EXIF segment's data.
pub fn exif_app1(gps: bool) -> Vec<u8> {
    [b"Exif\0\0".as_slice(), &tiff(gps, false)].concat()
}

/// An APP1 XMP segment's data with `properties` on its description.
pub fn xmp_app1(properties: &str) -> Vec<u8> {
    [
        b"http://ns.adobe.com/xap/1.0/\0".as_slice(),
        xmp(properties).as_bytes(),
    ]
    .concat()
}

/// An XMP packet with `properties` on its description.
pub fn xmp(properties: &str) -> String {
    format!(
        "<?xpacket begin=\"\u{FEFF}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n\
         <x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n\
         <rdf:Description rdf:about=\"\" {properties}/>\n</rdf:RDF></x:xmpmeta>\n<?xpacket end=\"w\"?>"
    )
}

/// XMP properties of a position, under the prefix `e`.
pub const XMP_POSITION: &str =
    "xmlns:e=\"http://ns.adobe.com/exif/1.0/\" e:GPSLatitude=\"52,31.12N\" e:GPSLongitude=\"13,24.36E\"";

/// A 16×8 JPEG with `segments` (APPn number, data) after its start.
pub fn jpeg(segments: &[(u8, Vec<u8>)]) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut bytes, 80);
    for (n, data) in segments {
        encoder.add_app_segment(*n, data).expect("a segment");
    }
    let pixels: Vec<u8> = (0..16 * 8).flat_map(|i| [i as u8, 120, 200]).collect();
    encoder
        .encode(&pixels, 16, 8, jpeg_encoder::ColorType::Rgb)
        .expect("a JPEG");
    bytes
}

/// A phone photo: EXIF with GPS and XMP with the position.
pub fn phone_jpeg() -> Vec<u8> {
    jpeg(&[(1, exif_app1(true)), (1, xmp_app1(XMP_POSITION))])
}

/// A 4×4 PNG from the png crate with an `eXIf` chunk.
pub fn png_with_exif(exif: &[u8]) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, 4, 4);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().expect("a header");
    writer
        .write_chunk(png::chunk::ChunkType(*b"eXIf"), exif)
        .expect("a chunk");
    writer.write_image_data(&[90; 48]).expect("pixels");
    writer.finish().expect("a PNG");
    bytes
}

/// A 4×4 lossless WebP from image-webp with EXIF.
pub fn webp_with_exif(exif: Vec<u8>) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut encoder = image_webp::WebPEncoder::new(&mut bytes);
    encoder.set_exif_metadata(exif);
    encoder
        .encode(&[90; 48], 4, 4, image_webp::ColorType::Rgb8)
        .expect("a WebP");
    bytes
}

/// A file shaped like a phone's HEIC: its `ftyp`, then `mdat` with the
/// EXIF item (offset, `Exif\0\0`, TIFF) and, with `xmp`, an XMP packet
/// instead of the EXIF's GPS.
pub fn heic(gps_exif: bool, xmp_position: bool) -> Vec<u8> {
    let boxed = |name: &[u8], data: &[u8]| -> Vec<u8> {
        let len = u32::try_from(8 + data.len()).expect("small").to_be_bytes();
        [&len[..], name, data].concat()
    };
    let mut mdat = b"\0\0\0\x06Exif\0\0".to_vec();
    mdat.extend(tiff(gps_exif, false));
    if xmp_position {
        mdat.extend(xmp(XMP_POSITION).as_bytes());
    }
    [
        boxed(b"ftyp", b"heic\0\0\0\0mif1heic"),
        boxed(b"mdat", &mdat),
    ]
    .concat()
}

/// The GPS fields kamadak-exif finds in `bytes` (an image in any
/// container it reads), and whether it could read them.
pub fn gps_fields(bytes: &[u8]) -> Result<Vec<String>, String> {
    match exif::Reader::new().read_from_container(&mut Cursor::new(bytes)) {
        Ok(exif) => Ok(exif
            .fields()
            .filter(|f| f.tag.context() == exif::Context::Gps)
            .map(|f| f.tag.to_string())
            .collect()),
        Err(exif::Error::NotFound(_)) => Ok(Vec::new()),
        Err(e) => Err(e.to_string()),
    }
}

/// Whether `bytes` still name a position anywhere (XMP and text).
pub fn names_a_position(bytes: &[u8]) -> bool {
    let lower = bytes.to_ascii_lowercase();
    ["latitude", "longitude"]
        .iter()
        .any(|w| lower.windows(w.len()).any(|x| x == w.as_bytes()))
}

#[test]
fn the_made_pictures_carry_what_they_say() {
    assert_eq!(
        gps_fields(&phone_jpeg()),
        Ok(vec![
            "GPSLatitudeRef".to_string(),
            "GPSLatitude".into(),
            "GPSLongitudeRef".into(),
            "GPSLongitude".into()
        ])
    );
    assert!(names_a_position(&phone_jpeg()));
    assert_eq!(gps_fields(&jpeg(&[(1, exif_app1(false))])), Ok(Vec::new()));
    for little_endian in [false, true] {
        assert_eq!(
            gps_fields(&tiff(true, little_endian)).map(|f| f.len()),
            Ok(4)
        );
        assert_eq!(gps_fields(&tiff(false, little_endian)), Ok(Vec::new()));
    }
    assert_eq!(
        gps_fields(&png_with_exif(&tiff(true, true))).map(|f| f.len()),
        Ok(4)
    );
    assert_eq!(
        gps_fields(&webp_with_exif(tiff(true, false))).map(|f| f.len()),
        Ok(4)
    );
    assert_eq!(
        gps_fields(&heic(true, false)),
        Ok(Vec::new()),
        "no meta box: not found"
    );
}
