//! `scan`: the object `cccd scan` prints for one image, without `"file"`.

use cccd::report::{self, Options, ScanReport, Scanned};
use cccd::Scanner;
use wasm_bindgen::prelude::*;
use web_time::Instant;

use crate::today;

fn options(raw: bool, redact: bool, today_: Option<String>) -> Result<Options, JsValue> {
    Ok(Options::new(today(today_)?).raw(raw).redact(redact))
}

/// Scans an encoded image (PNG, JPEG, WebP, GIF, BMP).
///
/// # Errors
/// A `TypeError` when `today` is not a date.
#[wasm_bindgen(js_name = scanEncoded)]
pub fn scan_encoded(
    image: &[u8],
    raw: bool,
    redact: bool,
    today: Option<String>,
) -> Result<String, JsValue> {
    Ok(report::scan_json(image, &options(raw, redact, today)?))
}

/// Scans decoded RGBA pixels (a canvas `ImageData`: `width × height × 4` bytes).
///
/// # Errors
/// A `TypeError` when the pixel count does not match the size, or `today` is not a date.
#[wasm_bindgen(js_name = scanRgba)]
pub fn scan_rgba(
    width: u32,
    height: u32,
    rgba: Vec<u8>,
    raw: bool,
    redact: bool,
    today: Option<String>,
) -> Result<String, JsValue> {
    let opts = options(raw, redact, today)?;
    let image = image::RgbaImage::from_raw(width, height, rgba).ok_or_else(|| {
        JsValue::from(js_sys::TypeError::new(
            "ImageData: data length is not width × height × 4",
        ))
    })?;
    let image = image::DynamicImage::ImageRgba8(image);
    // As `report::scan` does for encoded bytes, on a decoded image.
    let scanner = Scanner::new();
    let start = Instant::now();
    let result = if opts.raw {
        scanner.codes(&image).map(Scanned::Codes)
    } else {
        scanner
            .card(&image)
            .map(|card| Scanned::Card(Box::new(card)))
    };
    let report = ScanReport::new(result, start.elapsed(), &opts);
    Ok(report::to_json(&report))
}
