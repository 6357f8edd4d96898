//! Reading image files and decoding them to grey, within the scanner's limits.

use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use image::{DynamicImage, GrayImage, ImageDecoder, ImageReader, Limits};

use super::{ScanError, Scanner};

/// Reads an image file.
pub(super) fn read(path: &Path) -> Result<Vec<u8>, ScanError> {
    std::fs::read(path).map_err(|e| {
        let reason = match e.kind() {
            std::io::ErrorKind::NotFound => "file_not_found",
            std::io::ErrorKind::PermissionDenied => "permission_denied",
            _ => "io_error",
        };
        ScanError::unreadable(reason, e.kind().to_string())
    })
}

/// Decodes an encoded image once: the header first (dimensions checked before any pixel
/// buffer exists), then the pixels, then grey.
pub(super) fn decode(scanner: &Scanner, bytes: &[u8]) -> Result<GrayImage, ScanError> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| ScanError::unreadable("io_error", e.to_string()))?;
    if reader.format().is_none() {
        return Err(ScanError::unreadable(
            "unknown_format",
            "unknown image format",
        ));
    }
    let mut decoder = reader
        .into_decoder()
        .map_err(|e| ScanError::unreadable("decode_failed", e.to_string()))?;
    let (width, height) = decoder.dimensions();
    scanner.check_size(width, height)?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(scanner.max_dimension);
    limits.max_image_height = Some(scanner.max_dimension);
    limits.max_alloc = Some(scanner.max_pixels.saturating_mul(8).max(64 << 20));
    decoder
        .set_limits(limits)
        .map_err(|_| ScanError::too_large("memory", width, height))?;
    let image = match catch_unwind(AssertUnwindSafe(|| DynamicImage::from_decoder(decoder))) {
        Ok(Ok(image)) => image,
        Ok(Err(image::ImageError::Limits(_))) => {
            return Err(ScanError::too_large("memory", width, height))
        }
        Ok(Err(e)) => return Err(ScanError::unreadable("decode_failed", e.to_string())),
        Err(_) => {
            return Err(ScanError::unreadable(
                "decoder_panicked",
                "image decoder panicked",
            ))
        }
    };
    scanner.check_size(image.width(), image.height())?;
    Ok(image.to_luma8())
}
