//! Adapters for the two QR engines, rxing and rqrr: grayscale image in, [`Code`]s out.

use std::collections::HashSet;
use std::panic::{catch_unwind, AssertUnwindSafe};

use std::time::Duration;

use image::GrayImage;

use super::budget::Deadline;

use super::text::decode_text;
use super::{Code, Engine, Step};

fn code(bytes: Vec<u8>, corners: [(f32, f32); 4], engine: Engine, step: Step) -> Code {
    Code {
        text: decode_text(&bytes),
        bytes,
        corners: clockwise(corners),
        engine,
        step,
    }
}

/// The points in clockwise order (in image coordinates, y down) around their centroid,
/// starting with the one nearest the image's top-left (smallest x + y).
fn clockwise(mut p: [(f32, f32); 4]) -> [(f32, f32); 4] {
    let cx = p.iter().map(|q| q.0).sum::<f32>() / 4.0;
    let cy = p.iter().map(|q| q.1).sum::<f32>() / 4.0;
    p.sort_by(|a, b| {
        (a.1 - cy)
            .atan2(a.0 - cx)
            .total_cmp(&(b.1 - cy).atan2(b.0 - cx))
    });
    let first = (0..4)
        .min_by(|&i, &j| (p[i].0 + p[i].1).total_cmp(&(p[j].0 + p[j].1)))
        .unwrap_or(0);
    p.rotate_left(first);
    p
}

/// Time rxing may take per pixel of its input, for the budget: measured with
/// `benches/scan_hostile.rs` on the normal card photos (worst step per image), rounded up.
const RXING_NS_PER_PIXEL: u64 = 40;
/// Time rqrr may take per pixel of its input (it runs on at most 1600 × 1600 pixels).
const RQRR_NS_PER_PIXEL: u64 = 60;
/// Default of [`Scanner::max_finder_patterns`](crate::Scanner::max_finder_patterns): the
/// most finder patterns rxing's search may confirm in an image (counted in overlapping
/// strips) before the engines are kept from it. Their detectors pair every pattern with its
/// neighbours and try to decode each triple, so the time grows with the patterns: a
/// 400 × 400 flood of 2 500 took 3 s. Generated card photos from 1280 × 720 to 12 MP
/// confirm 4 to 54 (measured with `benches/scan_hostile.rs`), floods thousands.
pub const MAX_FINDER_PATTERNS: usize = 120;

/// Why an engine was not run, or was stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Skipped {
    /// The time left could not pay for the call.
    Time,
    /// Too many finder-pattern-like marks (see [`MAX_FINDER_PATTERNS`]).
    Crowded,
}

/// What an engine call gave.
pub(super) type Found = Result<Vec<Code>, Skipped>;

/// What rxing may take on `pixels` pixels (at the slowest rate seen in this scan, if higher).
pub(super) fn cost_of(pixels: u64, deadline: &Deadline) -> Duration {
    deadline.cost(pixels, RXING_NS_PER_PIXEL)
}

fn pixels(image: &GrayImage) -> u64 {
    u64::from(image.width()) * u64::from(image.height())
}

/// The estimated number of finder-pattern-like marks (dark 1:1:3:1:1 runs across a row) in
/// a binarised image, from every third row as rxing's detector reads them; a mark `t`
/// pixels wide crosses about `t / 7` sampled rows, so each hit counts `7 / t`. `None` when
/// the deadline passes first.
pub(super) fn finder_marks(
    width: u32,
    height: u32,
    dark: impl Fn(u32, u32) -> bool,
    deadline: &Deadline,
    cap: f64,
) -> Option<f64> {
    let mut marks = 0.0;
    let mut runs: Vec<u32> = Vec::new();
    for (i, y) in (1..height).step_by(3).enumerate() {
        if i % 16 == 0 && deadline.passed() {
            return None;
        }
        runs.clear();
        let first_dark = dark(0, y);
        let (mut colour, mut len) = (first_dark, 0u32);
        for x in 0..width {
            let d = dark(x, y);
            if d == colour {
                len += 1;
            } else {
                runs.push(len);
                colour = d;
                len = 1;
            }
        }
        runs.push(len);
        // Dark runs sit at even indices when the row starts dark, odd ones otherwise.
        let start = usize::from(!first_dark);
        for k in (start..runs.len().saturating_sub(4)).step_by(2) {
            let r = &runs[k..k + 5];
            let total: u32 = r.iter().sum();
            if total < 7 {
                continue;
            }
            let m = total as f32 / 7.0;
            if near(r[0], m)
                && near(r[1], m)
                && near(r[2], 3.0 * m)
                && near(r[3], m)
                && near(r[4], m)
            {
                // Confirm across: the column through the centre shows the same pattern.
                let cx = runs[..k + 2].iter().sum::<u32>() + r[2] / 2;
                if vertical(&dark, cx, y, height, m) {
                    marks += 7.0 / f64::from(total.max(7));
                }
            }
        }
        if marks > cap {
            break;
        }
    }
    Some(marks)
}

/// Whether a run within half a module (and half a pixel) of `want` pixels.
fn near(v: u32, want: f32) -> bool {
    (v as f32 - want).abs() <= want * 0.5 + 0.5
}

/// Whether the column `x` through row `y` shows a finder pattern's dark 1:1:3:1:1 runs of
/// modules of about `m` pixels, centred near `y`.
fn vertical(dark: &impl Fn(u32, u32) -> bool, x: u32, y: u32, height: u32, m: f32) -> bool {
    // Lengths of the runs above (centre, light, dark) and below, each bounded.
    let limit = (m * 5.0) as u32 + 2;
    let run = |mut y: i64, step: i64, want_dark: bool| -> u32 {
        let mut n = 0;
        while y >= 0 && (y as u32) < height && dark(x, y as u32) == want_dark && n < limit {
            n += 1;
            y += step;
        }
        n
    };
    if !dark(x, y) {
        return false;
    }
    let yi = i64::from(y);
    let up_c = run(yi, -1, true);
    let down_c = run(yi + 1, 1, true);
    let up_l = run(yi - i64::from(up_c), -1, false);
    let down_l = run(yi + 1 + i64::from(down_c), 1, false);
    let up_d = run(yi - i64::from(up_c + up_l), -1, true);
    let down_d = run(yi + 1 + i64::from(down_c + down_l), 1, true);
    near(up_c + down_c, 3.0 * m)
        && near(up_l, m)
        && near(down_l, m)
        && near(up_d, m)
        && near(down_d, m)
}

/// Below this loose estimate an image is not looked at more closely: normal photos'
/// estimates spread from 3 to over 2 000 (texture and noise make loose marks), while rxing
/// confirms 3 to 6 finder patterns on them.
const LOOSE_OK: f64 = 40.0;
/// Height of the strips in which rxing's finder-pattern search counts patterns, and their
/// stride (strips overlap so that any pattern up to `STRIP / 2` pixels tall lies whole in
/// one): the search compares every candidate with every pattern found so far, so on a flood
/// it must only ever see a strip's worth.
const STRIP: u32 = 256;

/// Keeps floods of finder-like patterns from the engines. A loose one-pass estimate first;
/// above [`LOOSE_OK`], rxing's own finder-pattern search counts confirmed patterns strip by
/// strip, stopping as soon as the total passes the limit.
fn screen(m: &rxing::common::BitMatrix, deadline: &Deadline) -> Result<(), Skipped> {
    let (w, h) = (m.getWidth(), m.getHeight());
    let limit = deadline.max_patterns;
    match finder_marks(w, h, |x, y| m.get(x, y), deadline, LOOSE_OK) {
        None => return Err(Skipped::Time),
        Some(n) if n <= LOOSE_OK => return Ok(()),
        Some(_) => {}
    }
    let mut confirmed = 0usize;
    let mut top = 0u32;
    loop {
        if deadline.passed() {
            return Err(Skipped::Time);
        }
        let rows = STRIP.min(h - top);
        let Ok(mut strip) = rxing::common::BitMatrix::new(w, rows) else {
            return Ok(());
        };
        for y in 0..rows {
            strip.setRow(y, &m.getRow(top + y));
        }
        confirmed += rxing::qrcode::cpp_port::detector::FindFinderPatterns(&strip, true, 0).len();
        if confirmed > limit {
            return Err(Skipped::Crowded);
        }
        if top + rows >= h {
            return Ok(());
        }
        top += STRIP / 2;
    }
}

/// One of rxing's results as a [`Code`]: the raw bytes of the zxing-cpp port (`cpp`), else
/// the byte segments of the ZXing port; corners multiplied by `scale`.
fn rxing_code(r: &rxing::RXingResult, cpp: bool, scale: f32, step: Step) -> Code {
    use rxing::{RXingResultMetadataType, RXingResultMetadataValue};
    let bytes = if cpp {
        r.getRawBytes().to_vec()
    } else {
        match r
            .getRXingResultMetadata()
            .get(&RXingResultMetadataType::BYTE_SEGMENTS)
        {
            Some(RXingResultMetadataValue::ByteSegments(segs)) if !segs.is_empty() => {
                // A code mixing modes: the byte segments leave out the numeric and
                // alphanumeric ones, which the text has (in order, between the byte ones).
                if mixed(segs, r.getText()) {
                    r.getText().as_bytes().to_vec()
                } else {
                    segs.concat()
                }
            }
            _ => r.getText().as_bytes().to_vec(),
        }
    };
    let p = r.getPoints();
    let pt = |i: usize| p.get(i).map_or((0.0, 0.0), |q| (q.x * scale, q.y * scale));
    let mut c = code(bytes, [pt(0), pt(1), pt(2), pt(3)], Engine::Rxing, step);
    // Bytes that are not UTF-8: rxing knows the segments' ECI, Kanji and Hanzi modes,
    // which the raw bytes lose.
    if std::str::from_utf8(&c.bytes).is_err() && !r.getText().is_empty() {
        c.text = r.getText().to_owned();
    }
    c
}

/// Whether `text` holds every byte segment of `segs` (read as UTF-8), in order, and more:
/// the code has numeric or alphanumeric segments too, which the byte segments lose.
fn mixed(segs: &[Vec<u8>], text: &str) -> bool {
    let mut rest = text;
    let mut total = 0;
    for seg in segs {
        let Ok(s) = std::str::from_utf8(seg) else {
            return false;
        };
        let Some(at) = rest.find(s) else {
            return false;
        };
        rest = &rest[at + s.len()..];
        total += s.len();
    }
    text.len() > total
}

fn qr_hints() -> rxing::DecodeHints {
    rxing::DecodeHints {
        PossibleFormats: Some(HashSet::from([rxing::BarcodeFormat::QR_CODE])),
        TryHarder: Some(true),
        ..rxing::DecodeHints::default()
    }
}

/// rxing's zxing-cpp port (several codes), then its ZXing port (one code) when that found
/// nothing. Corners are multiplied by `scale`. Not run when the time left cannot pay for
/// it or the image holds too many finder-like marks.
pub(super) fn rxing(image: &GrayImage, scale: f32, step: Step, deadline: &Deadline) -> Found {
    use rxing::common::HybridBinarizer;
    use rxing::multi::MultipleBarcodeReader;
    use rxing::qrcode::cpp_port::QrReader;
    use rxing::qrcode::QRCodeReader;
    use rxing::{BinaryBitmap, Luma8Source, Reader};

    let (w, h) = image.dimensions();
    if w == 0 || h == 0 {
        return Ok(Vec::new());
    }
    if deadline.cannot_afford(cost_of(pixels(image), deadline)) {
        return Err(Skipped::Time);
    }
    let started = web_time::Instant::now();
    let hints = qr_hints();
    let found = catch_unwind(AssertUnwindSafe(|| {
        let Ok(source) = Luma8Source::new_with_slice(image.as_raw(), w, h) else {
            return Ok(Vec::new());
        };
        let mut bitmap = BinaryBitmap::new(HybridBinarizer::new(source));
        // The binarised matrix is cached in the bitmap: the screen reads what the detectors
        // will read, at no extra binarisation.
        screen(bitmap.get_black_matrix(), deadline)?;
        let multi = QrReader.decode_multiple_with_hints(&mut bitmap, &hints);
        if let Ok(results) = multi {
            if !results.is_empty() {
                return Ok(results
                    .iter()
                    .map(|r| rxing_code(r, true, scale, step))
                    .collect());
            }
        }
        deadline.observe(pixels(image), started.elapsed());
        if deadline.cannot_afford(cost_of(pixels(image), deadline) / 2) {
            return Err(Skipped::Time);
        }
        match QRCodeReader.decode_with_hints(&mut bitmap, &hints) {
            Ok(r) => Ok(vec![rxing_code(&r, false, scale, step)]),
            Err(_) => Ok(Vec::new()),
        }
    }));
    deadline.observe(pixels(image), started.elapsed());
    match found {
        Ok(found) => found,
        // Under the fuzzer a panic in rxing is a finding, not something to hide.
        Err(panic) if cfg!(fuzzing) => std::panic::resume_unwind(panic),
        Err(_) => Ok(Vec::new()),
    }
}

/// rqrr: every grid it detects and decodes. Corners are multiplied by `scale`. Guarded as
/// [`rxing`]; never run when the crate is built with `panic = "abort"`, since rqrr 0.11
/// panics on some images (an assertion in its perspective code) and the panic could not be
/// caught.
pub(super) fn rqrr(image: &GrayImage, scale: f32, step: Step, deadline: &Deadline) -> Found {
    if cfg!(panic = "abort") {
        return Ok(Vec::new());
    }
    let (w, h) = image.dimensions();
    if w == 0 || h == 0 {
        return Ok(Vec::new());
    }
    if deadline.cannot_afford(deadline.cost(pixels(image), RQRR_NS_PER_PIXEL)) {
        return Err(Skipped::Time);
    }
    // rqrr binarises on its own; screen with rxing's binariser (its input here is already
    // binary or smoothed, so the two agree on what is dark).
    {
        use rxing::common::HybridBinarizer;
        use rxing::{BinaryBitmap, Luma8Source};
        let Ok(source) = Luma8Source::new_with_slice(image.as_raw(), w, h) else {
            return Ok(Vec::new());
        };
        let bitmap = BinaryBitmap::new(HybridBinarizer::new(source));
        screen(bitmap.get_black_matrix(), deadline)?;
    }
    let found = catch_unwind(AssertUnwindSafe(|| {
        let mut prepared = rqrr::PreparedImage::prepare(image.clone());
        let mut codes = Vec::new();
        for grid in prepared.detect_grids() {
            let mut bytes = Vec::new();
            if grid.decode_to(&mut bytes).is_ok() {
                let b = grid.bounds;
                let pt = |i: usize| (b[i].x as f32 * scale, b[i].y as f32 * scale);
                codes.push(code(
                    bytes,
                    [pt(0), pt(1), pt(2), pt(3)],
                    Engine::Rqrr,
                    step,
                ));
            }
        }
        codes
    }));
    Ok(found.unwrap_or_default())
}

/// The loose finder-mark estimate of an image as rxing's binariser sees it, and the number
/// of finder patterns rxing's search confirms (for the benchmark; `(INFINITY, 0)` when rxing
/// refuses the image).
pub fn finder_marks_of(image: &GrayImage) -> (f64, usize) {
    use rxing::common::HybridBinarizer;
    use rxing::{BinaryBitmap, Luma8Source};
    let (w, h) = image.dimensions();
    let Ok(source) = Luma8Source::new_with_slice(image.as_raw(), w, h) else {
        return (f64::INFINITY, 0);
    };
    let bitmap = BinaryBitmap::new(HybridBinarizer::new(source));
    let m = bitmap.get_black_matrix();
    let never = Deadline::new(web_time::Instant::now(), Duration::MAX);
    let marks = finder_marks(w, h, |x, y| m.get(x, y), &never, f64::INFINITY);
    let marks = marks.unwrap_or(f64::INFINITY);
    // Strip by strip as the screen counts, without its early stop.
    let (mut confirmed, mut top) = (0, 0);
    while top < h {
        let rows = STRIP.min(h - top);
        let Ok(mut strip) = rxing::common::BitMatrix::new(w, rows) else {
            break;
        };
        for y in 0..rows {
            strip.setRow(y, &m.getRow(top + y));
        }
        confirmed += rxing::qrcode::cpp_port::detector::FindFinderPatterns(&strip, true, 0).len();
        if top + rows >= h || confirmed > 100_000 {
            break;
        }
        top += STRIP / 2;
    }
    (marks, confirmed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corners_clockwise() {
        let p = clockwise([(38.0, 20.0), (309.0, 24.0), (15.0, 281.0), (329.0, 282.0)]);
        assert_eq!(
            p,
            [(38.0, 20.0), (309.0, 24.0), (329.0, 282.0), (15.0, 281.0)]
        );
    }

    /// A card payload with its digits in numeric segments: the text has the byte segments
    /// in order and more; text that lacks a segment, or holds nothing more, does not count.
    #[test]
    fn mixed_mode_text_is_recognised() {
        let segs = vec!["|Đỗ|".as_bytes().to_vec(), "|Bảo|".as_bytes().to_vec()];
        assert!(mixed(&segs, "079123|Đỗ|456|Bảo|01011990"));
        assert!(!mixed(&segs, "|Đỗ||Bảo|"));
        assert!(!mixed(&segs, "079123|Do|456|Bảo|01011990"));
        assert!(!mixed(&[vec![0xff, 0xfe]], "anything longer"));
        let swapped = vec!["B".as_bytes().to_vec(), "A".as_bytes().to_vec()];
        assert!(!mixed(&swapped, "A1B"));
    }
}
