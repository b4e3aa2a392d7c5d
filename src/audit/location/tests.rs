//! The location reader on files made here: EXIF written by hand (a TIFF
//! header, IFD0, a GPS IFD), in every place a container can carry it.

use super::*;

/// A TIFF structure: IFD0 with an orientation and, with `gps`, a pointer
/// to a GPS IFD holding a latitude (reference and value).
pub(crate) fn tiff_block(gps: bool, little_endian: bool) -> Vec<u8> {
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
    let mut out: Vec<u8> = if little_endian {
        b"II*\0".to_vec()
    } else {
        b"MM\0*".to_vec()
    };
    out.extend(u32b(8));
    let entries = if gps { 2 } else { 1 };
    out.extend(u16b(entries));
    let short = u16b(1);
    out.extend(entry(0x0112, 3, 1, [short[0], short[1], 0, 0]));
    if gps {
        // IFD0 ends at 8 + 2 + 24 + 4 = 38: the GPS IFD follows.
        out.extend(entry(0x8825, 4, 1, u32b(38)));
    }
    out.extend(u32b(0));
    if gps {
        // The GPS IFD: 2 + 24 + 4 = 30 bytes, its latitude's value at 68.
        out.extend(u16b(2));
        out.extend(entry(0x0001, 2, 2, *b"N\0\0\0"));
        out.extend(entry(0x0002, 5, 3, u32b(68)));
        out.extend(u32b(0));
        for (n, d) in [(52, 1), (31, 1), (12, 1)] {
            out.extend(u32b(n));
            out.extend(u32b(d));
        }
    }
    out
}

/// A small JPEG from jpeg-encoder with `segments` (APPn number, data).
pub(crate) fn jpeg(segments: &[(u8, Vec<u8>)]) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut bytes, 80);
    for (n, data) in segments {
        encoder.add_app_segment(*n, data).unwrap();
    }
    let pixels: Vec<u8> = (0..16 * 8).flat_map(|i| [i as u8, 90, 200]).collect();
    encoder
        .encode(&pixels, 16, 8, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    bytes
}

fn exif_segment(gps: bool) -> (u8, Vec<u8>) {
    (
        1,
        [b"Exif\0\0".as_slice(), &tiff_block(gps, false)].concat(),
    )
}

/// A PNG made of `chunks` (name, data) around a 1×1 grey picture.
fn png(chunks: &[(&[u8; 4], Vec<u8>)]) -> Vec<u8> {
    let chunk = |name: &[u8], data: &[u8]| -> Vec<u8> {
        let len = u32::try_from(data.len()).unwrap().to_be_bytes();
        let crc = crc32fast::hash(&[name, data].concat()).to_be_bytes();
        [&len[..], name, data, &crc].concat()
    };
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    out.extend(chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]));
    for (name, data) in chunks {
        out.extend(chunk(name.as_slice(), data));
    }
    out.extend(chunk(
        b"IDAT",
        &[0x78, 0x9C, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01],
    ));
    out.extend(chunk(b"IEND", &[]));
    out
}

/// A WebP (VP8X) of `chunks`; the picture's own chunk is left out (the
/// reader never looks at it).
fn webp(chunks: &[(&[u8; 4], Vec<u8>)]) -> Vec<u8> {
    let mut body = b"WEBP".to_vec();
    body.extend(b"VP8X");
    body.extend(10u32.to_le_bytes());
    body.extend([0x08, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    for (name, data) in chunks {
        body.extend(name.as_slice());
        body.extend(u32::try_from(data.len()).unwrap().to_le_bytes());
        body.extend(data);
        if data.len() % 2 == 1 {
            body.push(0);
        }
    }
    let mut out = b"RIFF".to_vec();
    out.extend(u32::try_from(body.len()).unwrap().to_le_bytes());
    out.extend(body);
    out
}

/// An ISO base media file with brand `brand`, then `boxes`.
fn isobmff(brand: &[u8; 4], boxes: &[(&[u8; 4], Vec<u8>)]) -> Vec<u8> {
    let boxed = |name: &[u8], data: &[u8]| -> Vec<u8> {
        let len = u32::try_from(8 + data.len()).unwrap().to_be_bytes();
        [&len[..], name, data].concat()
    };
    let mut ftyp = brand.to_vec();
    ftyp.extend([0, 0, 0, 0]);
    ftyp.extend(b"mif1");
    ftyp.extend(brand);
    let mut out = boxed(b"ftyp", &ftyp);
    for (name, data) in boxes {
        out.extend(boxed(name.as_slice(), data));
    }
    out
}

fn xmp(properties: &str) -> Vec<u8> {
    format!(
        "http://ns.adobe.com/xap/1.0/\0<?xpacket begin=\"\u{FEFF}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\
         <x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\
         <rdf:Description rdf:about=\"\" {properties}/></rdf:RDF></x:xmpmeta><?xpacket end=\"w\"?>"
    )
    .into_bytes()
}

fn read_all(bytes: &[u8]) -> Reading {
    read(sniff(bytes).expect("an image"), bytes)
}

fn found(bytes: &[u8]) -> Vec<String> {
    let reading = read_all(bytes);
    assert_eq!(reading.unreadable, None, "{:?}", reading.found);
    reading.found
}

const GPS: &str = "EXIF GPS fields (GPSLatitudeRef, GPSLatitude)";

#[test]
fn images_are_known_by_their_first_bytes() {
    assert_eq!(sniff(&jpeg(&[])), Some(Kind::Jpeg));
    assert_eq!(sniff(&png(&[])), Some(Kind::Png));
    assert_eq!(sniff(&webp(&[])), Some(Kind::Webp));
    assert_eq!(sniff(b"GIF89a\x01\0\x01\0"), Some(Kind::Gif));
    assert_eq!(sniff(&tiff_block(false, true)), Some(Kind::Tiff));
    assert_eq!(sniff(&tiff_block(false, false)), Some(Kind::Tiff));
    assert_eq!(sniff(b"II+\0\x08\0\0\0"), Some(Kind::BigTiff));
    assert_eq!(sniff(&isobmff(b"heic", &[])), Some(Kind::Heif));
    assert_eq!(sniff(&isobmff(b"avif", &[])), Some(Kind::Heif));
    assert_eq!(sniff(b"\xFF\x0A\xFA\x1F"), Some(Kind::JpegXl));
    assert_eq!(sniff(b"\0\0\0\x0CJXL \x0D\x0A\x87\x0A"), Some(Kind::JpegXl));
    // A video and things that are no image.
    let mut mp4 = b"\0\0\0\x18ftypisom\0\0\0\0isomavc1".to_vec();
    mp4.extend([0; 8]);
    assert_eq!(sniff(&mp4), None);
    assert_eq!(sniff(b"<svg/>"), None);
    assert_eq!(sniff(b"\x89PNG"), None);
    assert_eq!(sniff(b""), None);
}

#[test]
fn clean_images_have_no_location() {
    assert_eq!(found(&jpeg(&[exif_segment(false)])), Vec::<String>::new());
    assert_eq!(found(&jpeg(&[])), Vec::<String>::new());
    assert_eq!(found(&png(&[])), Vec::<String>::new());
    assert_eq!(
        found(&png(&[(b"eXIf", tiff_block(false, true))])),
        Vec::<String>::new()
    );
    assert_eq!(found(&webp(&[])), Vec::<String>::new());
    assert_eq!(found(&tiff_block(false, false)), Vec::<String>::new());
    assert_eq!(found(b"GIF89a\x01\0\x01\0\0\0\0;"), Vec::<String>::new());
    // XMP without a position or place.
    let plain = jpeg(&[(
        1,
        xmp("xmlns:dc=\"http://purl.org/dc/elements/1.1/\" dc:format=\"image/jpeg\""),
    )]);
    assert_eq!(found(&plain), Vec::<String>::new());
}

#[test]
fn gps_in_exif_is_found_in_every_container() {
    for little_endian in [false, true] {
        assert_eq!(found(&tiff_block(true, little_endian)), [GPS]);
    }
    assert_eq!(found(&jpeg(&[exif_segment(true)])), [GPS]);
    assert_eq!(found(&png(&[(b"eXIf", tiff_block(true, false))])), [GPS]);
    assert_eq!(found(&webp(&[(b"EXIF", tiff_block(true, true))])), [GPS]);
    let prefixed = [b"Exif\0\0".as_slice(), &tiff_block(true, true)].concat();
    assert_eq!(found(&webp(&[(b"EXIF", prefixed)])), [GPS]);
}

#[test]
fn gps_hidden_past_the_first_block_is_found() {
    // A second APP1 segment, after a harmless first one.
    assert_eq!(
        found(&jpeg(&[exif_segment(false), exif_segment(true)])),
        [GPS]
    );
    // A second picture after the first one's end, as phones append.
    let mut appended = jpeg(&[]);
    appended.extend(jpeg(&[exif_segment(true)]));
    assert_eq!(found(&appended), [GPS]);
    // A second eXIf chunk in a PNG.
    let two = png(&[
        (b"eXIf", tiff_block(false, false)),
        (b"eXIf", tiff_block(true, false)),
    ]);
    assert_eq!(found(&two), [GPS]);
    // In a HEIC-like file, an EXIF item outside any meta box.
    let heic = isobmff(
        b"heic",
        &[(
            b"mdat",
            [b"\0\0\0\x06Exif\0\0".as_slice(), &tiff_block(true, false)].concat(),
        )],
    );
    assert_eq!(found(&heic), [GPS]);
}

#[test]
fn positions_and_places_in_xmp_and_text_are_found() {
    let cases: [(&str, &str); 5] = [
        (
            "xmlns:exif=\"http://ns.adobe.com/exif/1.0/\" exif:GPSLatitude=\"52,31.2N\"",
            "metadata naming a position (exif:GPSLatitude)",
        ),
        (
            "xmlns:e=\"http://ns.adobe.com/exif/1.0/\" e:GPSLongitude=\"13,24.6E\"",
            "metadata naming a position (e:GPSLongitude)",
        ),
        (
            "xmlns:drone-dji=\"http://www.dji.com/drone-dji/1.0/\" drone-dji:GpsLatitude=\"52.5\"",
            "metadata naming a position (drone-dji:GpsLatitude)",
        ),
        (
            "xmlns:photoshop=\"http://ns.adobe.com/photoshop/1.0/\" photoshop:City=\"Berlin\"",
            "metadata naming a place (City)",
        ),
        (
            "xmlns:Iptc4xmpCore=\"http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/\" Iptc4xmpCore:Location=\"Hof\"",
            "metadata naming a place (Location)",
        ),
    ];
    for (properties, what) in cases {
        assert_eq!(
            found(&jpeg(&[(1, xmp(properties))])),
            [what],
            "{properties}"
        );
    }
    // Extended XMP (its own APP1 signature), and XMP in UTF-16.
    let extended = [
        b"http://ns.adobe.com/xmp/extension/\0".as_slice(),
        b"0123456789ABCDEF0123456789ABCDEF\0\0\0\x40\0\0\0\0",
        b"<rdf:Description exif:GPSAltitude=\"3\" exif:GPSLatitude=\"1\"/>",
    ]
    .concat();
    assert_eq!(
        found(&jpeg(&[(1, extended)])),
        [
            "metadata naming a position (exif:GPSLatitude)",
            "metadata naming a position (exif:GPSAltitude)"
        ]
    );
    let utf16: Vec<u8> = "<x:xmpmeta><rdf:Description exif:GPSLatitude=\"1\"/>"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    assert_eq!(
        found(&jpeg(&[(1, utf16)])),
        [
            "metadata naming a position (latitude)",
            "metadata naming a position (exif:GPS)"
        ]
    );
    // A GIF comment.
    let gif = b"GIF89a\x01\0\x01\0\0\0\0\x21\xFE\x0ELatitude: 52.5\0;";
    assert_eq!(found(gif), ["metadata naming a position (Latitude)"]);
    // A word that only looks like a place name is not one.
    let city = jpeg(&[(1, xmp("xmlns:x2=\"urn:x\" x2:Cityscape=\"ja\""))]);
    assert_eq!(found(&city), Vec::<String>::new());
}

#[test]
fn what_cannot_be_read_is_not_passed() {
    // A GPS pointer past the end of the block.
    let mut broken = tiff_block(true, false);
    broken.truncate(50);
    let reading = read_all(&jpeg(&[(1, [b"Exif\0\0".as_slice(), &broken].concat())]));
    assert!(
        reading
            .unreadable
            .as_deref()
            .is_some_and(|why| why.contains("EXIF data")),
        "{reading:?}"
    );
    // The same in a TIFF file.
    assert!(read_all(&broken).unreadable.is_some());
    // Compressed text in a PNG; BigTIFF; JPEG XL's compressed boxes.
    let ztxt = png(&[(b"zTXt", b"Raw profile type exif\0\0x\x9C".to_vec())]);
    assert!(read_all(&ztxt).unreadable.is_some());
    assert!(read_all(b"II+\0\x08\0\0\0").unreadable.is_some());
    let mut jxl = b"\0\0\0\x0CJXL \x0D\x0A\x87\x0A".to_vec();
    jxl.extend(b"\0\0\0\x10brobExif\x01\x02\x03\x04");
    assert!(read_all(&jxl).unreadable.is_some());
    // A HEIF whose meta box is cut off.
    let mut heif = isobmff(b"heic", &[(b"meta", vec![0; 40])]);
    heif.truncate(heif.len() - 10);
    assert!(
        read_all(&heif).unreadable.is_some(),
        "{:?}",
        read_all(&heif)
    );
}

#[test]
fn jpeg_xl_exif_boxes_are_read() {
    let mut jxl = b"\0\0\0\x0CJXL \x0D\x0A\x87\x0A".to_vec();
    let tiff = tiff_block(true, true);
    let mut body = vec![0, 0, 0, 0];
    body.extend(&tiff);
    jxl.extend(u32::try_from(8 + body.len()).unwrap().to_be_bytes());
    jxl.extend(b"Exif");
    jxl.extend(body);
    jxl.extend(b"\0\0\0\x0Ajxlc\xFF\x0A");
    assert_eq!(found(&jxl), [GPS]);
}

#[test]
fn an_empty_gps_directory_and_other_gps_properties_count() {
    // IFD0 pointing at a GPS IFD with no entries.
    let mut tiff = b"MM\0*\0\0\0\x08\0\x01\x88\x25\0\x04\0\0\0\x01\0\0\0\x1A\0\0\0\0".to_vec();
    tiff.extend(b"\0\0\0\0\0\0");
    assert_eq!(found(&tiff), ["an EXIF GPS directory"]);
    let altitude = jpeg(&[(
        1,
        xmp("xmlns:e=\"http://ns.adobe.com/exif/1.0/\" e:GPSAltitude=\"34/1\""),
    )]);
    assert_eq!(
        found(&altitude),
        ["metadata naming a position (e:GPSAltitude)"]
    );
    let usual = jpeg(&[(1, xmp("exif:GPSVersionID=\"2.3.0.0\""))]);
    assert_eq!(
        found(&usual),
        ["metadata naming a position (exif:GPSVersionID)"]
    );
}
