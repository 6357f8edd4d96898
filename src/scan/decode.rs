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
