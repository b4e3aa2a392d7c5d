//! Pixels to files: resizing (fast_image_resize, Lanczos3) and the three
//! encoders echt writes with: JPEG (jpeg-encoder, progressive, with the
//! source's ICC profile), PNG (image's encoder) and WebP (libwebp, lossy
//! or lossless; the ICC profile added as an `ICCP` chunk). Every encoder
//! is deterministic: the same pixels give the same bytes in every run,
//! which is what lets a cached build equal a clean one.

use fast_image_resize::images::{Image, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::{DynamicImage, ImageEncoder};

use super::Unusable;

/// Decoded pixels, eight bits per channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Pixels {
    pub width: u32,
    pub height: u32,
    pub layout: Layout,
    pub data: Vec<u8>,
}

/// The channels of [`Pixels`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Layout {
    Gray,
    Rgb,
    Rgba,
}

impl Layout {
    fn resize_type(self) -> PixelType {
        match self {
            Layout::Gray => PixelType::U8,
            Layout::Rgb => PixelType::U8x3,
            Layout::Rgba => PixelType::U8x4,
        }
    }

    /// The colour space an ICC profile must describe to fit (bytes 16..20
    /// of its header).
    fn icc_space(self) -> &'static [u8; 4] {
        match self {
            Layout::Gray => b"GRAY",
            Layout::Rgb | Layout::Rgba => b"RGB ",
        }
    }
}

impl Pixels {
    /// A decoded picture in the nearest eight-bit layout (grey with alpha
    /// becomes RGBA, sixteen bits become eight).
    pub fn from_image(image: DynamicImage) -> Pixels {
        let (width, height) = (image.width(), image.height());
        let color = image.color();
        let (layout, data) = if !color.has_color() && !color.has_alpha() {
            (Layout::Gray, image.into_luma8().into_raw())
        } else if color.has_alpha() {
            (Layout::Rgba, image.into_rgba8().into_raw())
        } else {
            (Layout::Rgb, image.into_rgb8().into_raw())
        };
        Pixels {
            width,
            height,
            layout,
            data,
        }
    }

    /// The picture `width` pixels wide, its height in proportion.
    pub fn resized(&self, width: u32, resizer: &mut Resizer) -> Result<Pixels, Unusable> {
        let height = scaled_height(self.width, self.height, width);
        let pixel = self.layout.resize_type();
        let source = ImageRef::new(self.width, self.height, &self.data, pixel).map_err(internal)?;
        let mut target = Image::new(width, height, pixel);
        let options = ResizeOptions::new()
            .resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3))
            .use_alpha(self.layout == Layout::Rgba);
        resizer
            .resize(&source, &mut target, &options)
            .map_err(internal)?;
        Ok(Pixels {
            width,
            height,
            layout: self.layout,
            data: target.into_vec(),
        })
    }

    /// Whether any pixel is not fully opaque.
    fn translucent(&self) -> bool {
        self.layout == Layout::Rgba && self.data.chunks_exact(4).any(|p| p[3] != 255)
    }

    /// `icc` when it describes this layout's colour space.
    fn fitting<'a>(&self, icc: Option<&'a [u8]>) -> Option<&'a [u8]> {
        icc.filter(|icc| icc.get(16..20) == Some(self.layout.icc_space().as_slice()))
    }
}

/// The height of a picture `width` wide that keeps the proportion of
/// `from_width`×`from_height`, rounded, at least one pixel.
pub(super) fn scaled_height(from_width: u32, from_height: u32, width: u32) -> u32 {
    let exact = u64::from(from_height) * u64::from(width);
    let rounded = (exact + u64::from(from_width) / 2) / u64::from(from_width).max(1);
    u32::try_from(rounded.max(1)).unwrap_or(u32::MAX)
}

/// A failure in echt's own use of a library: the file is fine, echt is
/// not.
fn internal(error: impl std::fmt::Display) -> Unusable {
    Unusable {
        message: format!("could not be processed: {error}"),
        hint: Some("this is a bug in echt; please report it with the picture".to_string()),
    }
}

/// A progressive JPEG at `quality`, carrying `icc` when it fits. An alpha
/// channel is dropped (JPEG sources have none).
pub(super) fn jpeg(pixels: &Pixels, quality: u8, icc: Option<&[u8]>) -> Result<Vec<u8>, Unusable> {
    use jpeg_encoder::{ColorType, Encoder};
    let mut out = Vec::new();
    let mut encoder = Encoder::new(&mut out, quality.clamp(1, 100));
    encoder.set_progressive(true);
    encoder.set_optimized_huffman_tables(true);
    if let Some(icc) = pixels.fitting(icc) {
        encoder.add_icc_profile(icc).map_err(internal)?;
    }
    let (width, height) = dimensions16(pixels)?;
    let color = match pixels.layout {
        Layout::Gray => ColorType::Luma,
        Layout::Rgb => ColorType::Rgb,
        Layout::Rgba => ColorType::Rgba,
    };
    encoder
        .encode(&pixels.data, width, height, color)
        .map_err(internal)?;
    Ok(out)
}

/// JPEG's sizes are sixteen bits.
fn dimensions16(pixels: &Pixels) -> Result<(u16, u16), Unusable> {
    match (u16::try_from(pixels.width), u16::try_from(pixels.height)) {
        (Ok(w), Ok(h)) => Ok((w, h)),
        _ => Err(Unusable {
            message: format!(
                "is {}×{} pixels, too large for a JPEG",
                pixels.width, pixels.height
            ),
            hint: Some("make the picture smaller".to_string()),
        }),
    }
}

/// A PNG, carrying `icc` when it fits.
pub(super) fn png(pixels: &Pixels, icc: Option<&[u8]>) -> Result<Vec<u8>, Unusable> {
    use image::codecs::png::{CompressionType, FilterType, PngEncoder};
    let mut out = Vec::new();
    let mut encoder =
        PngEncoder::new_with_quality(&mut out, CompressionType::Default, FilterType::Adaptive);
    if let Some(icc) = pixels.fitting(icc) {
        // PNG takes any profile; a refusal would only lose the colours.
        encoder.set_icc_profile(icc.to_vec()).map_err(internal)?;
    }
    let color = match pixels.layout {
        Layout::Gray => image::ExtendedColorType::L8,
        Layout::Rgb => image::ExtendedColorType::Rgb8,
        Layout::Rgba => image::ExtendedColorType::Rgba8,
    };
    encoder
        .write_image(&pixels.data, pixels.width, pixels.height, color)
        .map_err(internal)?;
    Ok(out)
}

/// A WebP, lossy at `quality` or lossless (`None`), carrying `icc` as an
/// `ICCP` chunk.
pub(super) fn webp(
    pixels: &Pixels,
    quality: Option<u8>,
    icc: Option<&[u8]>,
) -> Result<Vec<u8>, Unusable> {
    let expanded;
    let (data, layout) = match pixels.layout {
        // libwebp takes only RGB(A).
        Layout::Gray => {
            expanded = pixels.data.iter().flat_map(|&v| [v, v, v]).collect();
            (&expanded, webp::PixelLayout::Rgb)
        }
        Layout::Rgb => (&pixels.data, webp::PixelLayout::Rgb),
        Layout::Rgba => (&pixels.data, webp::PixelLayout::Rgba),
    };
    let needed =
        pixels.width as usize * pixels.height as usize * usize::from(layout.bytes_per_pixel());
    if pixels.width == 0 || pixels.height == 0 || data.len() != needed {
        return Err(internal("pixels that do not match their size"));
    }
    let encoder = webp::Encoder::new(data, layout, pixels.width, pixels.height);
    let memory = match quality {
        Some(q) => encoder.encode_simple(false, f32::from(q.clamp(1, 100))),
        None => encoder.encode_simple(true, 75.0),
    }
    .map_err(|e| internal(format!("{e:?}")))?;
    let bytes = memory.to_vec();
    // WebP is always RGB: a grey profile does not fit it.
    match icc.filter(|icc| icc.get(16..20) == Some(b"RGB ".as_slice())) {
        Some(icc) => with_icc(&bytes, icc, pixels),
        None => Ok(bytes),
    }
}

/// A WebP file from libwebp with `icc` added: the extended header (VP8X)
/// with its ICC flag, then the `ICCP` chunk, then the image's chunks.
fn with_icc(file: &[u8], icc: &[u8], pixels: &Pixels) -> Result<Vec<u8>, Unusable> {
    const ICC_FLAG: u8 = 0x20;
    const ALPHA_FLAG: u8 = 0x10;
    let body = file
        .get(12..)
        .filter(|_| file.starts_with(b"RIFF"))
        .ok_or_else(|| internal("libwebp wrote no RIFF file"))?;
    let (mut header, rest) = if body.starts_with(b"VP8X") && body.len() >= 18 {
        (body[..18].to_vec(), &body[18..])
    } else {
        let mut vp8x = b"VP8X".to_vec();
        vp8x.extend_from_slice(&10u32.to_le_bytes());
        let alpha = if pixels.translucent() { ALPHA_FLAG } else { 0 };
        vp8x.extend_from_slice(&[alpha, 0, 0, 0]);
        vp8x.extend_from_slice(&(pixels.width - 1).to_le_bytes()[..3]);
        vp8x.extend_from_slice(&(pixels.height - 1).to_le_bytes()[..3]);
        (vp8x, body)
    };
    header[8] |= ICC_FLAG;
    let icc_len = u32::try_from(icc.len()).map_err(internal)?;
    let mut chunks = header;
    chunks.extend_from_slice(b"ICCP");
    chunks.extend_from_slice(&icc_len.to_le_bytes());
    chunks.extend_from_slice(icc);
    if icc.len() % 2 == 1 {
        chunks.push(0);
    }
    chunks.extend_from_slice(rest);
    let riff_len = u32::try_from(chunks.len() + 4).map_err(internal)?;
    let mut out = Vec::with_capacity(chunks.len() + 12);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&riff_len.to_le_bytes());
    out.extend_from_slice(b"WEBP");
    out.extend_from_slice(&chunks);
    Ok(out)
}
