//! Photo-like JPEGs for the image benchmark (`bench/images.sh`): what a
//! phone drops into a bundle. 4032×3024 pixels of a sky-to-ground
//! gradient, hills, blobs of colour, texture at several scales and sensor
//! noise, written at quality 92 (3–5 MB each), with EXIF as a phone
//! writes it (camera, time, a GPS position); every fifth is a portrait
//! taken sideways (orientation 6).
//!
//! `cargo run --release --example photos -- N DIR [WIDTH HEIGHT]`
//! writes `DIR/foto-0001.jpg` … in parallel. The same N gives the same
//! files.

use std::io::Cursor;
use std::path::PathBuf;

use exif::experimental::Writer;
use exif::{Field, In, Rational, Tag, Value};
use rayon::prelude::*;

type Failure = Box<dyn std::error::Error + Send + Sync>;

fn main() -> Result<(), Failure> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: photos N DIR [WIDTH HEIGHT]";
    let (Some(n), Some(dir)) = (args.first(), args.get(1)) else {
        return Err(usage.into());
    };
    let n: u32 = n.parse().map_err(|_| usage)?;
    let width: u16 = args
        .get(2)
        .map_or(Ok(4032), |w| w.parse())
        .map_err(|_| usage)?;
    let height: u16 = args
        .get(3)
        .map_or(Ok(3024), |h| h.parse())
        .map_err(|_| usage)?;
    let dir = PathBuf::from(dir);
    std::fs::create_dir_all(&dir)?;
    (1..=n)
        .into_par_iter()
        .try_for_each(|i| -> Result<(), Failure> {
            let bytes = photo(i, width, height)?;
            std::fs::write(dir.join(format!("foto-{i:04}.jpg")), bytes)?;
            Ok(())
        })?;
    Ok(())
}

/// A small, fixed random generator (xorshift), seeded per photo.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number in 0..1.
    fn unit(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 24) as f32
    }
}

/// A value in 0..1 for a lattice point, the same every run.
fn lattice(seed: u64, x: i64, y: i64) -> f32 {
    let mut h = seed ^ (x as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    h ^= (y as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F);
    h ^= h >> 33;
    h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    h ^= h >> 33;
    (h >> 40) as f32 / (1u64 << 24) as f32
}

/// Smooth value noise at `scale` pixels per cell.
fn noise(seed: u64, x: f32, y: f32, scale: f32) -> f32 {
    let (fx, fy) = (x / scale, y / scale);
    let (x0, y0) = (fx.floor(), fy.floor());
    let (tx, ty) = (fx - x0, fy - y0);
    let (sx, sy) = (tx * tx * (3.0 - 2.0 * tx), ty * ty * (3.0 - 2.0 * ty));
    let (x0, y0) = (x0 as i64, y0 as i64);
    let a = lattice(seed, x0, y0);
    let b = lattice(seed, x0 + 1, y0);
    let c = lattice(seed, x0, y0 + 1);
    let d = lattice(seed, x0 + 1, y0 + 1);
    let top = a + (b - a) * sx;
    let bottom = c + (d - c) * sx;
    top + (bottom - top) * sy
}

/// A circle of colour on the picture.
struct Blob {
    x: f32,
    y: f32,
    r: f32,
    colour: [f32; 3],
}

fn photo(index: u32, width: u16, height: u16) -> Result<Vec<u8>, Failure> {
    let seed = 0x5EED_0000 + u64::from(index);
    let mut rng = Rng(seed.wrapping_mul(0x2545_F491_4F6C_DD1D) | 1);
    let (w, h) = (f32::from(width), f32::from(height));
    let sky = [110.0 + 60.0 * rng.unit(), 150.0 + 50.0 * rng.unit(), 230.0];
    let ground = [60.0 + 60.0 * rng.unit(), 90.0 + 50.0 * rng.unit(), 40.0];
    let horizon = h * (0.35 + 0.3 * rng.unit());
    let blobs: Vec<Blob> = (0..12)
        .map(|_| Blob {
            x: w * rng.unit(),
            y: h * rng.unit(),
            r: w * (0.02 + 0.08 * rng.unit()),
            colour: [255.0 * rng.unit(), 255.0 * rng.unit(), 255.0 * rng.unit()],
        })
        .collect();
    let mut pixels = Vec::with_capacity(usize::from(width) * usize::from(height) * 3);
    for y in 0..height {
        let fy = f32::from(y);
        for x in 0..width {
            let fx = f32::from(x);
            let hill = horizon + 120.0 * noise(seed, fx, 0.0, 700.0) - 60.0;
            let (base, shade) = if fy < hill {
                (sky, 1.0 - 0.4 * fy / hill)
            } else {
                (ground, 0.7 + 0.3 * (fy - hill) / (h - hill))
            };
            let texture = 60.0 * (noise(seed + 1, fx, fy, 220.0) - 0.5)
                + 40.0 * (noise(seed + 2, fx, fy, 41.0) - 0.5)
                + 30.0 * (noise(seed + 3, fx, fy, 7.0) - 0.5)
                + 18.0 * (noise(seed + 4, fx, fy, 1.7) - 0.5);
            let mut rgb = base.map(|c| c * shade + texture);
            for blob in &blobs {
                let d = ((fx - blob.x).powi(2) + (fy - blob.y).powi(2)).sqrt();
                if d < blob.r {
                    let edge = ((blob.r - d) / 6.0).min(1.0);
                    for (c, b) in rgb.iter_mut().zip(blob.colour) {
                        *c += (b + texture - *c) * edge;
                    }
                }
            }
            let sensor = (rng.unit() - 0.5) * 14.0;
            pixels.extend(rgb.map(|c| (c + sensor).clamp(0.0, 255.0) as u8));
        }
    }
    let mut out = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, 92);
    encoder.set_sampling_factor(jpeg_encoder::SamplingFactor::F_2_2);
    let orientation = if index.is_multiple_of(5) { 6 } else { 1 };
    let exif = [b"Exif\0\0".as_slice(), &exif(index, orientation)?].concat();
    encoder.add_app_segment(1, &exif)?;
    encoder.encode(&pixels, width, height, jpeg_encoder::ColorType::Rgb)?;
    Ok(out)
}

/// EXIF as a phone writes it: camera, time, orientation, a position.
fn exif(index: u32, orientation: u16) -> Result<Vec<u8>, Failure> {
    let field = |tag, value| Field {
        tag,
        ifd_num: In::PRIMARY,
        value,
    };
    let dms = |deg: u32, min: u32| {
        Value::Rational(vec![
            Rational::from((deg, 1)),
            Rational::from((min, 1)),
            Rational::from((index % 60, 1)),
        ])
    };
    let fields = [
        field(Tag::Make, Value::Ascii(vec![b"Benchfon".to_vec()])),
        field(Tag::Model, Value::Ascii(vec![b"12 Pro".to_vec()])),
        field(Tag::Orientation, Value::Short(vec![orientation])),
        field(
            Tag::DateTimeOriginal,
            Value::Ascii(vec![b"2026:06:01 12:00:00".to_vec()]),
        ),
        field(Tag::GPSLatitudeRef, Value::Ascii(vec![b"N".to_vec()])),
        field(Tag::GPSLatitude, dms(52, 31)),
        field(Tag::GPSLongitudeRef, Value::Ascii(vec![b"E".to_vec()])),
        field(Tag::GPSLongitude, dms(13, 24)),
    ];
    let mut writer = Writer::new();
    for f in &fields {
        writer.push_field(f);
    }
    let mut buf = Cursor::new(Vec::new());
    writer.write(&mut buf, false)?;
    Ok(buf.into_inner())
}
