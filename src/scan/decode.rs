//! Reading image files and decoding them to grey, within the scanner's limits: regular files
//! only, a size cap before reading, the memory an image needs decided from its header, alpha
//! composited on white, EXIF orientation applied.

use std::io::{Cursor, Read};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use image::metadata::Orientation;
use image::{DynamicImage, GrayImage, ImageDecoder, ImageFormat, ImageReader, Limits};

use super::budget::Deadline;
use super::preprocess::shrink;
use super::{ScanError, Scanner};

/// Memory the process needs besides the image buffers counted below (code, stacks, the
/// allocator's slack, the engines' tables): measured at 20–30 MB with the benchmark
/// `scan_hostile`, rounded up.
pub(super) const BASELINE_MEMORY: u64 = 40 << 20;

/// Bytes per pixel of the working (grey) image that the cascade holds at its peak: the image,
/// rxing's copy of it, its binarised matrix and our thresholded or inverted copy.
pub(super) const CASCADE_BYTES_PER_PIXEL: u64 = 4;

/// Smallest side that can hold a QR code (version 1: 21 modules of at least one pixel).
pub(super) const MIN_SIDE: u32 = 21;

/// Reads a regular file of at most `scanner.max_file_size` bytes, never blocking on a FIFO,
/// device or socket: they are refused from their metadata, and the file is opened
/// non-blocking (on Unix) so that one swapped in after the check cannot block either.
pub(super) fn read(scanner: &Scanner, path: &Path) -> Result<Vec<u8>, ScanError> {
    let io = |e: std::io::Error| {
        let reason = match e.kind() {
            std::io::ErrorKind::NotFound => "file_not_found",
            std::io::ErrorKind::PermissionDenied => "permission_denied",
            _ => "io_error",
        };
        ScanError::unreadable(reason, e.kind().to_string())
    };
    check_regular(&std::fs::metadata(path).map_err(io)?)?;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    check_regular(&meta)?;
    let cap = scanner.max_file_size;
    if meta.len() > cap {
        return Err(ScanError::file_too_large(meta.len(), cap));
    }
    // The file may grow after the check: read at most one byte past the cap.
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(cap.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > cap {
        return Err(ScanError::file_too_large(bytes.len() as u64, cap));
    }
    Ok(bytes)
}

fn check_regular(meta: &std::fs::Metadata) -> Result<(), ScanError> {
    let kind = meta.file_type();
    if kind.is_file() {
        return Ok(());
    }
    if kind.is_dir() {
        return Err(ScanError::not_a_regular_file("directory"));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return Err(ScanError::not_a_regular_file("fifo"));
        }
        if kind.is_socket() {
            return Err(ScanError::not_a_regular_file("socket"));
        }
        if kind.is_block_device() || kind.is_char_device() {
            return Err(ScanError::not_a_regular_file("device"));
        }
    }
    Err(ScanError::not_a_regular_file("other"))
}

/// Decodes an encoded image once, to grey: the header first (dimensions and the memory the
/// decoding needs, checked before any pixel buffer exists), then the pixels.
pub(super) fn decode(
    scanner: &Scanner,
    bytes: &[u8],
    deadline: &Deadline,
) -> Result<GrayImage, ScanError> {
    let format = image::guess_format(bytes)
        .map_err(|_| ScanError::unreadable("unknown_format", "unknown image format"))?;
    let gray = if let Some(gray) = decode_webp_luma(scanner, bytes, format) {
        gray?
    } else if let Some(gray) = decode_png_indexed(scanner, bytes, format) {
        gray?
    } else if format == ImageFormat::Jpeg {
        match decode_jpeg(scanner, bytes) {
            // zune-jpeg gives no grey for some colour spaces (CMYK, YCCK): `image` converts.
            Err(e) if e.reason() == "decode_failed" => decode_other(scanner, bytes, format)
                .map_err(|other| {
                    if other.reason() == "decode_failed" {
                        e
                    } else {
                        other
                    }
                })?,
            other => other?,
        }
    } else {
        decode_other(scanner, bytes, format)?
    };
    if deadline.passed() {
        return Err(deadline.exceeded(Vec::new()));
    }
    Ok(gray)
}

/// JPEG straight to grey with zune-jpeg (the luma channel only: a third of the memory and
/// no colour conversion), then the EXIF orientation.
fn decode_jpeg(scanner: &Scanner, bytes: &[u8]) -> Result<GrayImage, ScanError> {
    use zune_jpeg::zune_core::bytestream::ZCursor;
    use zune_jpeg::zune_core::colorspace::ColorSpace;
    use zune_jpeg::zune_core::options::DecoderOptions;

    let failed = |e: zune_jpeg::errors::DecodeErrors| {
        ScanError::unreadable("decode_failed", format!("jpeg: {e}"))
    };
    let options = DecoderOptions::default()
        .set_strict_mode(false)
        .set_max_width(scanner.max_dimension as usize)
        .set_max_height(scanner.max_dimension as usize)
        .jpeg_set_out_colorspace(ColorSpace::Luma);
    let mut decoder = zune_jpeg::JpegDecoder::new_with_options(ZCursor::new(bytes), options);
    // Header first: a bomb's dimensions are refused here, before any pixel buffer.
    let header = catch_unwind(AssertUnwindSafe(|| decoder.decode_headers()));
    match header {
        Ok(Ok(())) => {}
        Ok(Err(e)) => {
            if let Some((w, h)) = decoder.dimensions() {
                scanner.check_size(w as u32, h as u32)?;
            }
            return Err(failed(e));
        }
        Err(_) => return Err(panicked()),
    }
    let info = decoder
        .info()
        .ok_or_else(|| ScanError::unreadable("decode_failed", "jpeg: no header"))?;
    let (w, h) = (u32::from(info.width), u32::from(info.height));
    scanner.check_size(w, h)?;
    let px = u64::from(w) * u64::from(h);
    // The output, plus, for progressive images, 16-bit coefficients of every component
    // kept for the whole image between scans.
    let mut need = bytes.len() as u64 + px;
    if info.sof.is_progressive() {
        need += px * 2 * u64::from(info.components.max(1));
    }
    scanner.check_memory((w, h), need)?;
    let orientation = decoder
        .exif()
        .and_then(|exif| Orientation::from_exif_chunk(exif))
        .unwrap_or(Orientation::NoTransforms);
    let pixels = match catch_unwind(AssertUnwindSafe(|| decoder.decode())) {
        Ok(Ok(pixels)) => pixels,
        Ok(Err(e)) => return Err(failed(e)),
        Err(_) => return Err(panicked()),
    };
    let gray = GrayImage::from_raw(w, h, pixels)
        .ok_or_else(|| ScanError::unreadable("decode_failed", "jpeg: short pixel data"))?;
    Ok(orient(gray, orientation))
}

/// A simple lossy WebP (the RIFF's only image chunk is `VP8 `: no alpha, animation or
/// EXIF) straight to grey: the VP8 frame's luma plane, stretched from video range
/// (16–235) to full range. It skips the chroma upsampling, the conversion to RGB and back
/// to grey of `image`'s path: half the time on the public WebP photos. `None` for any
/// other file, which `image` decodes.
fn decode_webp_luma(
    scanner: &Scanner,
    bytes: &[u8],
    format: ImageFormat,
) -> Option<Result<GrayImage, ScanError>> {
    if format != ImageFormat::WebP
        || bytes.len() < 30
        || &bytes[0..4] != b"RIFF"
        || &bytes[8..12] != b"WEBP"
        || &bytes[12..16] != b"VP8 "
    {
        return None;
    }
    let size = u32::from_le_bytes([bytes[16], bytes[17], bytes[18], bytes[19]]) as usize;
    let data = &bytes[20..];
    let data = &data[..size.min(data.len())];
    // The key frame's header: a 3-byte tag, the start code, 14-bit width and height.
    if data.len() < 10 || data[3..6] != [0x9d, 0x01, 0x2a] {
        return None;
    }
    let w = u32::from(u16::from_le_bytes([data[6], data[7]]) & 0x3fff);
    let h = u32::from(u16::from_le_bytes([data[8], data[9]]) & 0x3fff);
    Some(webp_luma(scanner, bytes.len(), data, (w, h)))
}

fn webp_luma(
    scanner: &Scanner,
    file: usize,
    data: &[u8],
    (w, h): (u32, u32),
) -> Result<GrayImage, ScanError> {
    scanner.check_size(w, h)?;
    // The input, the decoder's luma plane (whole macroblocks) and two quarter-size chroma
    // planes, the grey image.
    let aligned = u64::from(w.div_ceil(16) * 16) * u64::from(h.div_ceil(16) * 16);
    let need = file as u64 + aligned + aligned / 2 + u64::from(w) * u64::from(h);
    scanner.check_memory((w, h), need)?;
    let frame = match catch_unwind(AssertUnwindSafe(|| {
        image_webp::vp8::Vp8Decoder::decode_frame(Cursor::new(data))
    })) {
        Ok(Ok(frame)) => frame,
        Ok(Err(e)) => return Err(ScanError::unreadable("decode_failed", format!("webp: {e}"))),
        Err(_) => return Err(panicked()),
    };
    let stride = usize::from(frame.width.div_ceil(16)) * 16;
    let (fw, fh) = (usize::from(frame.width), usize::from(frame.height));
    if (fw, fh) != (w as usize, h as usize) || frame.ybuf.len() < stride * fh {
        return Err(ScanError::unreadable(
            "decode_failed",
            "decoded size differs from the header",
        ));
    }
    let full: [u8; 256] =
        std::array::from_fn(|y| ((y.clamp(16, 235) - 16) * 255 + 109).div_euclid(219) as u8);
    let mut out = Vec::with_capacity(fw * fh);
    for row in frame.ybuf.chunks_exact(stride).take(fh) {
        out.extend(row[..fw].iter().map(|&y| full[usize::from(y)]));
    }
    GrayImage::from_raw(w, h, out)
        .ok_or_else(|| ScanError::unreadable("decode_failed", "webp: short pixel data"))
}

/// A palette PNG, or a grey one of 1–8 bits without transparency, straight to grey: the
/// palette (composited on white by its transparency) becomes a table of 256 grey levels,
/// and each pixel one look-up. `image` expands palettes to RGB before the conversion to grey
/// (about 1 ms per 500 × 500 code image). `None` for any other PNG (RGB, 16-bit, grey with
/// transparency, interlaced, with EXIF), which `image` decodes.
fn decode_png_indexed(
    scanner: &Scanner,
    bytes: &[u8],
    format: ImageFormat,
) -> Option<Result<GrayImage, ScanError>> {
    use png::{BitDepth, ColorType};
    if format != ImageFormat::Png {
        return None;
    }
    let limits = png::Limits {
        bytes: usize::try_from(scanner.max_memory).unwrap_or(usize::MAX),
    };
    let mut decoder = png::Decoder::new_with_limits(Cursor::new(bytes), limits);
    decoder.set_transformations(png::Transformations::IDENTITY);
    let mut reader = match catch_unwind(AssertUnwindSafe(|| decoder.read_info())) {
        Ok(Ok(reader)) => reader,
        // `image` says what is wrong with the file.
        _ => return None,
    };
    let info = reader.info();
    let (w, h) = (info.width, info.height);
    let depth = match info.bit_depth {
        BitDepth::One => 1u32,
        BitDepth::Two => 2,
        BitDepth::Four => 4,
        BitDepth::Eight => 8,
        BitDepth::Sixteen => return None,
    };
    let levels = (1u32 << depth) - 1;
    let table: [u8; 256] = match (info.color_type, &info.palette) {
        (ColorType::Indexed, Some(palette)) => {
            let trns = info.trns.as_deref().unwrap_or(&[]);
            std::array::from_fn(|i| {
                let Some(rgb) = palette.get(3 * i..3 * i + 3) else {
                    return 0;
                };
                let alpha = trns.get(i).copied().unwrap_or(255);
                on_white(luma(rgb[0], rgb[1], rgb[2]), alpha)
            })
        }
        (ColorType::Grayscale, _) if info.trns.is_none() => {
            std::array::from_fn(|i| ((i as u32).min(levels) * 255 / levels) as u8)
        }
        _ => return None,
    };
    if info.interlaced || info.exif_metadata.is_some() {
        return None;
    }
    if let Err(e) = scanner.check_size(w, h) {
        return Some(Err(e));
    }
    let Some(size) = reader.output_buffer_size() else {
        return Some(Err(ScanError::too_large("memory", w, h)));
    };
    let px = u64::from(w) * u64::from(h);
    if let Err(e) = scanner.check_memory((w, h), bytes.len() as u64 + size as u64 + px) {
        return Some(Err(e));
    }
    let mut raw = vec![0u8; size];
    let line = match catch_unwind(AssertUnwindSafe(|| reader.next_frame(&mut raw))) {
        Ok(Ok(out)) => out.line_size,
        Ok(Err(e)) => {
            return Some(Err(ScanError::unreadable(
                "decode_failed",
                format!("png: {e}"),
            )))
        }
        Err(_) => return Some(Err(panicked())),
    };
    let mask = levels as u8;
    let shifts: Vec<u32> = (1..=8 / depth).map(|k| 8 - depth * k).collect();
    let mut out = Vec::with_capacity(px as usize);
    for row in raw.chunks_exact(line.max(1)).take(h as usize) {
        let start = out.len();
        if depth == 8 {
            out.extend(row.iter().map(|&i| table[usize::from(i)]));
        } else {
            for &byte in row {
                out.extend(
                    shifts
                        .iter()
                        .map(|&s| table[usize::from((byte >> s) & mask)]),
                );
            }
        }
        out.resize(start + w as usize, 255);
    }
    Some(
        GrayImage::from_raw(w, h, out)
            .ok_or_else(|| ScanError::unreadable("decode_failed", "png: short pixel data")),
    )
}

/// PNG, WebP, GIF, BMP through `image`'s decoders, then to grey on white.
fn decode_other(
    scanner: &Scanner,
    bytes: &[u8],
    format: ImageFormat,
) -> Result<GrayImage, ScanError> {
    let reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut decoder = match catch_unwind(AssertUnwindSafe(|| reader.into_decoder())) {
        Ok(Ok(decoder)) => decoder,
        Ok(Err(e)) => return Err(image_error(e, (0, 0))),
        Err(_) => return Err(panicked()),
    };
    let (w, h) = decoder.dimensions();
    scanner.check_size(w, h)?;
    let px = u64::from(w) * u64::from(h);
    let native = decoder.total_bytes();
    let alpha = decoder.color_type().has_alpha();
    // The input, the decoded buffer (GIF and WebP decoders keep a second frame or YUV
    // planes of about the same size), a grey-and-alpha copy for alpha images, the grey image.
    let scratch = match format {
        ImageFormat::Gif | ImageFormat::WebP => native,
        _ => 0,
    };
    let need =
        bytes.len() as u64 + native.saturating_add(scratch) + if alpha { 2 * px } else { 0 } + px;
    scanner.check_memory((w, h), need)?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut limits = Limits::default();
    limits.max_image_width = Some(scanner.max_dimension);
    limits.max_image_height = Some(scanner.max_dimension);
    limits.max_alloc = Some(scanner.max_memory);
    decoder
        .set_limits(limits)
        .map_err(|e| image_error(e, (w, h)))?;
    let image = match catch_unwind(AssertUnwindSafe(|| DynamicImage::from_decoder(decoder))) {
        Ok(Ok(image)) => image,
        Ok(Err(e)) => return Err(image_error(e, (w, h))),
        Err(_) => return Err(panicked()),
    };
    if (image.width(), image.height()) != (w, h) {
        return Err(ScanError::unreadable(
            "decode_failed",
            "decoded size differs from the header",
        ));
    }
    Ok(orient(to_gray(image), orientation))
}

fn image_error(e: image::ImageError, size: (u32, u32)) -> ScanError {
    match e {
        image::ImageError::Limits(_) => ScanError::too_large("memory", size.0, size.1),
        e => ScanError::unreadable("decode_failed", e.to_string()),
    }
}

fn panicked() -> ScanError {
    ScanError::unreadable("decoder_panicked", "image decoder panicked")
}

/// Grey, with any alpha channel composited on white (a code on a transparent background
/// reads as dark modules on white, whatever colour the transparent pixels hold).
pub(super) fn to_gray(image: DynamicImage) -> GrayImage {
    match image {
        DynamicImage::ImageLuma8(gray) => gray,
        image => gray_of(&image),
    }
}

/// [`to_gray`] of a borrowed image (always a new buffer). 8-bit images are converted here
/// in integers (Rec. 709 weights, as `image`'s): `image`'s own conversion rounds every
/// channel in floating point and took three quarters of the decoding time of the public
/// PNG photos.
pub(super) fn gray_of(image: &DynamicImage) -> GrayImage {
    let (w, h) = (image.width(), image.height());
    let pixels: Option<Vec<u8>> = match image {
        DynamicImage::ImageLuma8(gray) => return gray.clone(),
        DynamicImage::ImageLumaA8(la) => Some(
            la.as_raw()
                .chunks_exact(2)
                .map(|p| on_white(p[0], p[1]))
                .collect(),
        ),
        DynamicImage::ImageRgb8(rgb) => Some(
            rgb.as_raw()
                .chunks_exact(3)
                .map(|p| luma(p[0], p[1], p[2]))
                .collect(),
        ),
        DynamicImage::ImageRgba8(rgba) => Some(
            rgba.as_raw()
                .chunks_exact(4)
                .map(|p| on_white(luma(p[0], p[1], p[2]), p[3]))
                .collect(),
        ),
        _ => None,
    };
    if let Some(img) = pixels.and_then(|p| GrayImage::from_raw(w, h, p)) {
        return img;
    }
    if !image.color().has_alpha() {
        return image.to_luma8();
    }
    let la = image.to_luma_alpha8();
    let mut out = GrayImage::new(w, h);
    for (o, p) in out.pixels_mut().zip(la.pixels()) {
        o.0[0] = on_white(p.0[0], p.0[1]);
    }
    out
}

/// Rec. 709 luma of an sRGB pixel, in integers (weights 0.2126, 0.7152, 0.0722 in 1/65 536).
fn luma(r: u8, g: u8, b: u8) -> u8 {
    let y = 13_933 * u32::from(r) + 46_871 * u32::from(g) + 4_732 * u32::from(b);
    ((y + 32_768) >> 16) as u8
}

/// A grey level with alpha `a`, composited on white.
fn on_white(l: u8, a: u8) -> u8 {
    let (l, a) = (u32::from(l), u32::from(a));
    ((l * a + 255 * (255 - a) + 127) / 255) as u8
}

/// Applies an EXIF orientation to a grey image.
fn orient(image: GrayImage, orientation: Orientation) -> GrayImage {
    use image::imageops::{flip_horizontal, flip_vertical, rotate180, rotate270, rotate90};
    match orientation {
        Orientation::NoTransforms => image,
        Orientation::Rotate90 => rotate90(&image),
        Orientation::Rotate180 => rotate180(&image),
        Orientation::Rotate270 => rotate270(&image),
        Orientation::FlipHorizontal => flip_horizontal(&image),
        Orientation::FlipVertical => flip_vertical(&image),
        Orientation::Rotate90FlipH => flip_horizontal(&rotate90(&image)),
        Orientation::Rotate270FlipH => flip_horizontal(&rotate270(&image)),
    }
}

/// The working image within the memory limit: `image` itself, or a copy downscaled so that
/// the cascade's buffers fit (`held` bytes are held by the caller meanwhile); and the factor
/// from its coordinates back to `image`'s.
pub(super) fn fit<'a>(
    scanner: &Scanner,
    image: std::borrow::Cow<'a, GrayImage>,
    held: u64,
) -> (std::borrow::Cow<'a, GrayImage>, f32) {
    let budget = scanner
        .max_memory
        .saturating_sub(BASELINE_MEMORY)
        .saturating_sub(held);
    let max_px = budget / CASCADE_BYTES_PER_PIXEL;
    let px = u64::from(image.width()) * u64::from(image.height());
    if px <= max_px {
        return (image, 1.0);
    }
    let f = (max_px as f64 / px as f64).sqrt();
    let long = image.width().max(image.height());
    let side = ((f64::from(long) * f).floor() as u32).max(MIN_SIDE);
    let never = Deadline::new(web_time::Instant::now(), std::time::Duration::MAX);
    match shrink(&image, side, &never) {
        Some(Some((small, f))) => (std::borrow::Cow::Owned(small), f),
        _ => (image, 1.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 40 × 30 lossy WebP (simple format, `VP8 ` chunk) of bars and boxes, drawn for this
    /// test and encoded with libwebp at quality 80.
    const LOSSY_WEBP: &[u8] = &[
        82, 73, 70, 70, 82, 1, 0, 0, 87, 69, 66, 80, 86, 80, 56, 32, 70, 1, 0, 0, 48, 9, 0, 157, 1,
        42, 40, 0, 30, 0, 62, 109, 48, 146, 70, 36, 35, 33, 161, 48, 26, 168, 0, 128, 13, 137, 102,
        106, 5, 32, 95, 128, 126, 0, 76, 128, 77, 0, 254, 0, 45, 64, 191, 0, 252, 0, 116, 122, 16,
        73, 83, 233, 235, 16, 30, 177, 246, 192, 77, 58, 95, 128, 44, 0, 11, 104, 23, 177, 207, 17,
        158, 149, 128, 155, 80, 119, 156, 253, 195, 204, 180, 64, 0, 254, 248, 55, 191, 253, 231,
        255, 248, 145, 175, 255, 179, 169, 34, 147, 111, 255, 18, 121, 254, 99, 254, 87, 136, 10,
        124, 240, 163, 134, 58, 69, 221, 135, 152, 239, 100, 197, 135, 121, 159, 250, 171, 247,
        254, 243, 255, 252, 72, 215, 255, 217, 212, 145, 73, 183, 255, 137, 60, 255, 49, 255, 43,
        196, 5, 62, 120, 81, 195, 29, 33, 222, 125, 250, 81, 44, 123, 186, 63, 255, 118, 119, 19,
        79, 175, 255, 221, 51, 255, 98, 65, 63, 254, 59, 190, 187, 77, 180, 114, 211, 219, 175,
        130, 111, 243, 157, 227, 215, 1, 31, 115, 5, 233, 34, 102, 53, 114, 33, 159, 110, 199, 130,
        2, 154, 125, 49, 189, 93, 41, 91, 70, 56, 50, 87, 228, 202, 229, 133, 164, 119, 139, 220,
        72, 47, 104, 142, 166, 214, 109, 251, 50, 143, 254, 96, 56, 245, 87, 118, 47, 211, 209,
        195, 220, 35, 73, 159, 59, 48, 159, 46, 124, 121, 234, 47, 248, 137, 202, 158, 87, 170,
        250, 213, 146, 35, 177, 2, 96, 247, 46, 95, 199, 201, 87, 169, 71, 14, 154, 93, 118, 50,
        89, 65, 62, 216, 82, 199, 222, 170, 223, 130, 52, 135, 20, 247, 210, 79, 80, 135, 242, 207,
        168, 175, 24, 57, 63, 201, 15, 48, 223, 19, 92, 254, 14, 229, 187, 212, 210, 195, 248, 200,
        253, 128, 0, 0,
    ];

    fn scanner() -> Scanner {
        Scanner::new()
    }

    #[test]
    fn integer_grey_is_images() {
        let rgba = image::RgbaImage::from_fn(97, 31, |x, y| {
            let v = x * 31 + y * 17;
            image::Rgba([
                (v % 256) as u8,
                (v * 7 % 256) as u8,
                (v * 13 % 256) as u8,
                ((x * 40) % 256) as u8,
            ])
        });
        let rgb = DynamicImage::ImageRgba8(rgba.clone()).to_rgb8();
        let theirs = DynamicImage::ImageRgb8(rgb.clone()).to_luma8();
        assert_eq!(gray_of(&DynamicImage::ImageRgb8(rgb)), theirs);
        // With alpha: image's grey-and-alpha, composited on white.
        let la = DynamicImage::ImageRgba8(rgba.clone()).to_luma_alpha8();
        let ours = gray_of(&DynamicImage::ImageRgba8(rgba));
        for (o, p) in ours.pixels().zip(la.pixels()) {
            assert_eq!(o.0[0], on_white(p.0[0], p.0[1]));
        }
        assert!(ours.pixels().any(|p| p.0[0] < 128));
    }

    #[test]
    fn lossy_webp_luma_matches_image() {
        let fast = decode_webp_luma(&scanner(), LOSSY_WEBP, ImageFormat::WebP)
            .expect("a simple lossy WebP takes the luma path")
            .unwrap();
        let slow = decode_other(&scanner(), LOSSY_WEBP, ImageFormat::WebP).unwrap();
        assert_eq!(fast.dimensions(), (40, 30));
        assert_eq!(fast.dimensions(), slow.dimensions());
        let diffs: Vec<i32> = fast
            .pixels()
            .zip(slow.pixels())
            .map(|(a, b)| (i32::from(a.0[0]) - i32::from(b.0[0])).abs())
            .collect();
        let mean = diffs.iter().sum::<i32>() as f64 / diffs.len() as f64;
        assert!(mean < 4.0, "mean difference {mean}");
        // The dark bars are dark and the background light in both.
        assert!(fast.get_pixel(1, 8).0[0] < 80 && fast.get_pixel(1, 2).0[0] > 220);
        // A truncated file fails cleanly; other formats and lossless WebP are not taken.
        let cut = &LOSSY_WEBP[..LOSSY_WEBP.len() / 2];
        assert!(matches!(
            decode_webp_luma(&scanner(), cut, ImageFormat::WebP),
            Some(Err(_))
        ));
        let mut lossless = Vec::new();
        image::codecs::webp::WebPEncoder::new_lossless(&mut lossless)
            .encode(slow.as_raw(), 40, 30, image::ExtendedColorType::L8)
            .unwrap();
        assert!(decode_webp_luma(&scanner(), &lossless, ImageFormat::WebP).is_none());
        assert_eq!(decode(&scanner(), &lossless, &never()).unwrap(), slow);
    }

    fn never() -> Deadline {
        Deadline::new(web_time::Instant::now(), std::time::Duration::MAX)
    }

    /// A PNG of `w × h` pixels from the png encoder.
    fn png_of(
        w: u32,
        h: u32,
        colour: png::ColorType,
        depth: png::BitDepth,
        palette: Option<(&[u8], &[u8])>,
        data: &[u8],
    ) -> Vec<u8> {
        let mut out = Vec::new();
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(colour);
        enc.set_depth(depth);
        if let Some((plte, trns)) = palette {
            enc.set_palette(plte.to_vec());
            enc.set_trns(trns.to_vec());
        }
        let mut writer = enc.write_header().unwrap();
        writer.write_image_data(data).unwrap();
        writer.finish().unwrap();
        out
    }

    #[test]
    fn palette_and_grey_png_match_image() {
        // 2-bit palette, 23 px wide (rows end mid-byte), the last entry half transparent.
        let plte = [0, 0, 0, 255, 255, 255, 200, 30, 30, 10, 200, 10];
        let trns = [255, 255, 255, 128];
        let (w, h) = (23u32, 21u32);
        let row_bytes = (w as usize * 2).div_ceil(8);
        let data: Vec<u8> = (0..row_bytes * h as usize)
            .map(|i| (i * 37 + 11) as u8)
            .collect();
        let file = png_of(
            w,
            h,
            png::ColorType::Indexed,
            png::BitDepth::Two,
            Some((&plte, &trns)),
            &data,
        );
        let fast = decode_png_indexed(&scanner(), &file, ImageFormat::Png)
            .expect("a palette PNG takes the table path")
            .unwrap();
        let slow = decode_other(&scanner(), &file, ImageFormat::Png).unwrap();
        assert_eq!(fast, slow);
        assert!(fast.pixels().any(|p| p.0[0] == 0) && fast.pixels().any(|p| p.0[0] == 255));
        // 1-bit and 4-bit grey, 8-bit palette.
        for (colour, depth, bits) in [
            (png::ColorType::Grayscale, png::BitDepth::One, 1),
            (png::ColorType::Grayscale, png::BitDepth::Four, 4),
            (png::ColorType::Indexed, png::BitDepth::Eight, 8),
        ] {
            let row_bytes = (w as usize * bits).div_ceil(8);
            let data: Vec<u8> = (0..row_bytes * h as usize)
                .map(|i| (i * 53 + 7) as u8 % if bits == 8 { 4 } else { 255 })
                .collect();
            let palette = (colour == png::ColorType::Indexed).then_some((&plte[..], &trns[..]));
            let file = png_of(w, h, colour, depth, palette, &data);
            let fast = decode_png_indexed(&scanner(), &file, ImageFormat::Png)
                .expect("table path")
                .unwrap();
            assert_eq!(
                fast,
                decode_other(&scanner(), &file, ImageFormat::Png).unwrap()
            );
        }
        // RGB is left to image.
        let rgb = png_of(
            2,
            2,
            png::ColorType::Rgb,
            png::BitDepth::Eight,
            None,
            &[9; 12],
        );
        assert!(decode_png_indexed(&scanner(), &rgb, ImageFormat::Png).is_none());
        // A truncated palette PNG fails cleanly.
        let cut = &file[..file.len() - 20];
        assert!(decode(&scanner(), cut, &never()).is_err());
    }

    /// Damaged files on the two direct paths: every answer is an image within the limits or
    /// an error, never a panic out of our own code (the decoders' calls are caught).
    #[test]
    fn damaged_webp_and_png_fail_cleanly() {
        let plte: Vec<u8> = (0..48).map(|i| (i * 5) as u8).collect();
        let data: Vec<u8> = (0..12 * 21).map(|i| (i * 29) as u8).collect();
        let png = png_of(
            23,
            21,
            png::ColorType::Indexed,
            png::BitDepth::Four,
            Some((&plte, &[])),
            &data,
        );
        let scanner = scanner().max_pixels(100_000);
        let mut state = 0x2545_f491_u32;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state
        };
        let mut decoded = 0;
        for original in [LOSSY_WEBP, &png[..]] {
            for _ in 0..400 {
                let mut bytes = original.to_vec();
                for _ in 0..1 + next() % 4 {
                    let i = next() as usize % bytes.len();
                    bytes[i] = match next() % 3 {
                        0 => 0xff,
                        1 => 0,
                        _ => next() as u8,
                    };
                }
                if next() % 4 == 0 {
                    bytes.truncate(next() as usize % bytes.len());
                }
                if let Ok(img) = decode(&scanner, &bytes, &never()) {
                    assert!(u64::from(img.width()) * u64::from(img.height()) <= 100_000);
                    decoded += 1;
                }
            }
        }
        // Most damage is in the pixel data, which still decodes.
        assert!(decoded > 100, "{decoded}");
    }
}
