//! Find and decode the card's QR code in photos (feature `image`).
//!
//! Two engines, [rxing](https://crates.io/crates/rxing) (a pure-Rust port of ZXing, with the
//! zxing-cpp QR detector) and [rqrr](https://crates.io/crates/rqrr) (a port of quirc), run in
//! a cascade of preprocessing [`Step`]s with early exit: as soon as a step finds what the
//! caller wants (any QR code for [`Scanner::scan`], a card payload for
//! [`Scanner::scan_card`]), the cascade stops.
//!
//! # The cascade and why
//!
//! Measured with `cargo bench --features synth --bench scan` (the README's performance
//! section has the table) on the 79 public QR photos of `../shared/qr-photos` and on 90
//! generated card photos from 1280 × 720 to 12 MP. Which step found the code, in the default
//! cascade: public photos: gray 70, inverted 3, upscaled 3 (2 of them rqrr), threshold 2 (1
//! rqrr); card photos: gray 82, threshold 4, upscaled 2. Hence:
//!
//! 1. [`Step::Gray`]: rxing on the full-resolution grayscale image. Alone it decodes 70/79
//!    public photos (median 0.4 ms) and 82/90 card photos; everything else is a fallback.
//! 2. [`Step::Upscaled`]: rxing on a 2× copy of images up to 1400 px (codes with 2–3 px
//!    modules in 1280 × 720 frames); bare tiny codes also get a margin, a 4× copy and an
//!    Otsu threshold with rxing and rqrr (textured "artistic" codes).
//! 3. [`Step::Threshold`]: a local-mean threshold, then rxing at full resolution and rqrr
//!    on at most 1600 px (uneven light, glare).
//! 4. [`Step::Inverted`]: rxing on the inverted image (light modules on dark).
//! 5. [`Step::Downscaled`]: rxing on a copy with a long side of 1600 px (large photos
//!    only). It found nothing the earlier steps missed on our sets, so it comes last; it is
//!    cheap and meant for large, blurred codes.
//!
//! [`Step::Rqrr`] (rqrr alone, at most 1600 px) is available through [`Scanner::steps`] but
//! not in the default cascade: it decoded nothing the cascade missed (41/79 public photos,
//! 29/90 card photos alone) and costs 100–300 ms on large photos; rqrr also panics on some
//! images and can spend seconds in grid detection on 12 MP photos, hence the downscaling.
//!
//! Engine calls run under [`std::panic::catch_unwind`] (rqrr has open panics on some
//! images), the time budget is checked between steps, and the image size is limited before
//! decoding, against decompression bombs.
//!
//! Payload bytes come from the engines raw (rxing's segment bytes, rqrr's `decode_to`);
//! [`Code::text`] is UTF-8 when the bytes are UTF-8, else rxing's ECI/Kanji/Hanzi-aware text,
//! else (rqrr) a ZXing-style Shift_JIS / Windows-1252 guess. [`Scanner::scan_card`] always
//! parses the raw bytes with the lenient [`Parser`], which repairs mojibake and reports it.

use std::collections::HashSet;
use std::fmt;
use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::time::Duration;

use image::{DynamicImage, GrayImage, ImageReader, Limits};
use web_time::Instant;

use crate::{Parsed, Parser};

/// A QR decoding engine.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Engine {
    /// [rqrr](https://crates.io/crates/rqrr), a port of quirc.
    Rqrr,
    /// [rxing](https://crates.io/crates/rxing), a port of ZXing / zxing-cpp.
    Rxing,
}

impl Engine {
    /// `"rqrr"` or `"rxing"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Engine::Rqrr => "rqrr",
            Engine::Rxing => "rxing",
        }
    }
}

impl fmt::Display for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A preprocessing step of the cascade, with the engines it runs.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    /// rxing on a copy downscaled to a long side of at most 1600 px (large images only).
    Downscaled,
    /// rxing on the full-resolution grayscale image.
    Gray,
    /// rxing on a 2× upscaled copy (long side up to 1400 px); tiny images (up to 256 px)
    /// first get a white margin and a 4× nearest-neighbour copy (rxing), then that copy
    /// smoothed and binarised with one global Otsu threshold (rxing, then rqrr).
    Upscaled,
    /// Local-mean threshold, then rxing (full resolution) and rqrr (on at most 1600 px).
    Threshold,
    /// rqrr on the grayscale image (downscaled to at most 1600 px).
    Rqrr,
    /// rxing on the inverted image (light modules on a dark background).
    Inverted,
}

impl Step {
    /// The default cascade, in order (see the module docs for why). [`Step::Rqrr`] is not
    /// in it: on our measurements it never found a code the other steps missed.
    pub const CASCADE: [Step; 5] = [
        Step::Gray,
        Step::Upscaled,
        Step::Threshold,
        Step::Inverted,
        Step::Downscaled,
    ];

    /// `"downscaled"`, `"gray"`, `"upscaled"`, `"threshold"`, `"rqrr"` or `"inverted"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Step::Downscaled => "downscaled",
            Step::Gray => "gray",
            Step::Upscaled => "upscaled",
            Step::Threshold => "threshold",
            Step::Rqrr => "rqrr",
            Step::Inverted => "inverted",
        }
    }
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A QR code found in an image.
///
/// `Debug` does not show the payload (it may be a card's personal data).
#[derive(Clone, PartialEq)]
pub struct Code {
    /// The payload bytes as stored in the code (byte-mode segments are not re-encoded).
    pub bytes: Vec<u8>,
    /// The payload as text: UTF-8 when the bytes are UTF-8; else rxing's text (it knows the
    /// segments' ECI, Kanji and Hanzi modes); else a Shift_JIS / Windows-1252 guess.
    pub text: String,
    /// The four corners of the code in the original image's pixel coordinates, clockwise
    /// starting with the one nearest the image's top-left corner. (When rxing's fallback
    /// reader found the code, these are the finder pattern centres and the alignment
    /// pattern or an estimate, not the outer corners.)
    pub corners: [(f32, f32); 4],
    /// The engine that decoded it.
    pub engine: Engine,
    /// The preprocessing step that found it.
    pub step: Step,
}

impl fmt::Debug for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Code")
            .field("bytes", &format_args!("<{} bytes>", self.bytes.len()))
            .field("corners", &self.corners)
            .field("engine", &self.engine)
            .field("step", &self.step)
            .finish_non_exhaustive()
    }
}

/// A card read from a photo by [`Scanner::scan_card`].
#[derive(Debug, Clone)]
pub struct ScannedCard {
    /// The card, parsed leniently from the code's raw bytes, with the repairs applied.
    pub parsed: Parsed<'static>,
    /// The code that held the card payload.
    pub code: Code,
    /// Every code found by the step that found the card (including `code`).
    pub codes: Vec<Code>,
}

/// Why a scan failed. Messages never contain payload text.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScanError {
    /// No QR code was found.
    #[error("no qr code found")]
    NotFound,
    /// QR codes were found, but none holds a card payload.
    #[error("{found} qr code(s) found, none holds a card payload")]
    NotACard {
        /// How many codes were found.
        found: usize,
    },
    /// The file could not be read or decoded as an image (truncated, corrupt, unknown format).
    #[error("unreadable image: {reason}")]
    UnreadableImage {
        /// What went wrong (from the image decoder or the file system).
        reason: String,
    },
    /// The image exceeds the configured size limits.
    #[error("image too large: {width}x{height} exceeds the limit")]
    TooLarge {
        /// Width in pixels (0 when unknown).
        width: u32,
        /// Height in pixels (0 when unknown).
        height: u32,
    },
    /// The time budget ran out before any code was found.
    #[error("time budget of {budget_ms} ms exhausted before a code was found")]
    TimeBudget {
        /// The budget in milliseconds.
        budget_ms: u64,
    },
}

impl ScanError {
    /// Machine-readable code: `"not_found"`, `"not_a_card"`, `"unreadable_image"`,
    /// `"too_large"` or `"time_budget"`.
    pub fn code(&self) -> &'static str {
        match self {
            ScanError::NotFound => "not_found",
            ScanError::NotACard { .. } => "not_a_card",
            ScanError::UnreadableImage { .. } => "unreadable_image",
            ScanError::TooLarge { .. } => "too_large",
            ScanError::TimeBudget { .. } => "time_budget",
        }
    }
}

/// Default limit on width × height: 50 megapixels.
pub const DEFAULT_MAX_PIXELS: u64 = 50_000_000;
/// Default limit on either side: 16 384 pixels.
pub const DEFAULT_MAX_DIMENSION: u32 = 16_384;
/// Default time budget per image: 2 seconds.
pub const DEFAULT_TIME_BUDGET: Duration = Duration::from_secs(2);

/// Finds QR codes in images: limits, time budget and the cascade of steps.
///
/// ```no_run
/// let scanner = cccd::Scanner::new();
/// let card = scanner.scan_card_path("card.jpg".as_ref())?;
/// println!("{}", card.parsed.card.id_number().masked());
/// # Ok::<(), cccd::ScanError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Scanner {
    max_pixels: u64,
    max_dimension: u32,
    time_budget: Duration,
    steps: Vec<Step>,
}

impl Default for Scanner {
    fn default() -> Self {
        Self::new()
    }
}

type Accept<'a> = &'a dyn Fn(&Code) -> bool;

impl Scanner {
    /// The default scanner: [`Step::CASCADE`], [`DEFAULT_MAX_PIXELS`],
    /// [`DEFAULT_MAX_DIMENSION`] and [`DEFAULT_TIME_BUDGET`].
    pub fn new() -> Self {
        Scanner {
            max_pixels: DEFAULT_MAX_PIXELS,
            max_dimension: DEFAULT_MAX_DIMENSION,
            time_budget: DEFAULT_TIME_BUDGET,
            steps: Step::CASCADE.to_vec(),
        }
    }

    /// Rejects images with more than `pixels` pixels (before decoding, for encoded input).
    pub fn max_pixels(mut self, pixels: u64) -> Self {
        self.max_pixels = pixels;
        self
    }

    /// Rejects images wider or taller than `pixels`.
    pub fn max_dimension(mut self, pixels: u32) -> Self {
        self.max_dimension = pixels;
        self
    }

    /// Stops the cascade once `budget` has passed (checked between steps, so one step may
    /// overrun it).
    pub fn time_budget(mut self, budget: Duration) -> Self {
        self.time_budget = budget;
        self
    }

    /// Runs these steps, in this order, instead of [`Step::CASCADE`].
    pub fn steps(mut self, steps: &[Step]) -> Self {
        self.steps = steps.to_vec();
        self
    }

    /// Finds the QR codes in a decoded image; stops at the first step that finds any.
    ///
    /// # Errors
    /// [`ScanError::TooLarge`], [`ScanError::NotFound`], [`ScanError::TimeBudget`].
    pub fn scan(&self, image: &DynamicImage) -> Result<Vec<Code>, ScanError> {
        self.check_size(image.width(), image.height())?;
        self.scan_gray(&image.to_luma8())
    }

    /// Finds the QR codes in a grayscale image; stops at the first step that finds any.
    ///
    /// # Errors
    /// As [`Scanner::scan`].
    pub fn scan_gray(&self, image: &GrayImage) -> Result<Vec<Code>, ScanError> {
        self.check_size(image.width(), image.height())?;
        self.run(image, &|_| true).map(|(codes, _)| codes)
    }

    /// Decodes an encoded image (PNG, JPEG, WebP, GIF, BMP) within the size limits, then
    /// scans it.
    ///
    /// # Errors
    /// [`ScanError::UnreadableImage`] for corrupt, truncated or unknown data, and as
    /// [`Scanner::scan`].
    pub fn scan_bytes(&self, bytes: &[u8]) -> Result<Vec<Code>, ScanError> {
        self.scan_gray(&self.decode(bytes)?)
    }

    /// Reads and scans an image file.
    ///
    /// # Errors
    /// [`ScanError::UnreadableImage`] when the file cannot be read, and as
    /// [`Scanner::scan_bytes`].
    pub fn scan_path(&self, path: &Path) -> Result<Vec<Code>, ScanError> {
        self.scan_bytes(&read(path)?)
    }

    /// Finds the card's QR code in a decoded image and parses it leniently from the raw
    /// bytes; other QR codes in the frame are ignored. The cascade continues past steps that
    /// found only codes that are not card payloads.
    ///
    /// # Errors
    /// [`ScanError::NotACard`] when codes were found but none is a card payload, and as
    /// [`Scanner::scan`].
    pub fn scan_card(&self, image: &DynamicImage) -> Result<ScannedCard, ScanError> {
        self.check_size(image.width(), image.height())?;
        self.scan_card_gray(&image.to_luma8())
    }

    /// [`Scanner::scan_card`] for a grayscale image.
    ///
    /// # Errors
    /// As [`Scanner::scan_card`].
    pub fn scan_card_gray(&self, image: &GrayImage) -> Result<ScannedCard, ScanError> {
        self.check_size(image.width(), image.height())?;
        let parser = Parser::new().lenient(true);
        let is_card = |c: &Code| parser.parse_bytes(&c.bytes).is_ok();
        let (codes, seen) = self.run(image, &is_card)?;
        let Some(code) = codes.iter().find(|c| is_card(c)).cloned() else {
            return Err(ScanError::NotACard { found: seen });
        };
        let parsed = match parser.parse_bytes(&code.bytes) {
            Ok(p) => p.into_owned(),
            Err(_) => return Err(ScanError::NotACard { found: seen }),
        };
        Ok(ScannedCard {
            parsed,
            code,
            codes,
        })
    }

    /// [`Scanner::scan_card`] for an encoded image.
    ///
    /// # Errors
    /// As [`Scanner::scan_bytes`] and [`Scanner::scan_card`].
    pub fn scan_card_bytes(&self, bytes: &[u8]) -> Result<ScannedCard, ScanError> {
        self.scan_card_gray(&self.decode(bytes)?)
    }

    /// [`Scanner::scan_card`] for an image file.
    ///
    /// # Errors
    /// As [`Scanner::scan_path`] and [`Scanner::scan_card`].
    pub fn scan_card_path(&self, path: &Path) -> Result<ScannedCard, ScanError> {
        self.scan_card_bytes(&read(path)?)
    }

    fn check_size(&self, width: u32, height: u32) -> Result<(), ScanError> {
        if width > self.max_dimension
            || height > self.max_dimension
            || u64::from(width) * u64::from(height) > self.max_pixels
        {
            return Err(ScanError::TooLarge { width, height });
        }
        Ok(())
    }

    fn decode(&self, bytes: &[u8]) -> Result<GrayImage, ScanError> {
        let unreadable = |reason: String| ScanError::UnreadableImage { reason };
        let reader = ImageReader::new(Cursor::new(bytes))
            .with_guessed_format()
            .map_err(|e| unreadable(e.to_string()))?;
        if reader.format().is_none() {
            return Err(unreadable("unknown image format".into()));
        }
        // Read the header first: reject bombs before allocating anything.
        let (width, height) = ImageReader::new(Cursor::new(bytes))
            .with_guessed_format()
            .map_err(|e| unreadable(e.to_string()))?
            .into_dimensions()
            .map_err(|e| unreadable(e.to_string()))?;
        self.check_size(width, height)?;
        let mut reader = reader;
        let mut limits = Limits::default();
        limits.max_image_width = Some(self.max_dimension);
        limits.max_image_height = Some(self.max_dimension);
        limits.max_alloc = Some(self.max_pixels.saturating_mul(8).max(64 << 20));
        reader.limits(limits);
        let image = match catch_unwind(AssertUnwindSafe(|| reader.decode())) {
            Ok(Ok(image)) => image,
            Ok(Err(image::ImageError::Limits(_))) => {
                return Err(ScanError::TooLarge { width, height })
            }
            Ok(Err(e)) => return Err(unreadable(e.to_string())),
            Err(_) => return Err(unreadable("image decoder panicked".into())),
        };
        self.check_size(image.width(), image.height())?;
        Ok(image.to_luma8())
    }

    /// Runs the cascade; returns the codes of the first step with an accepted code (or the
    /// codes of all steps if none was accepted) and the number of distinct codes seen.
    fn run(&self, image: &GrayImage, accept: Accept<'_>) -> Result<(Vec<Code>, usize), ScanError> {
        let start = Instant::now();
        let mut seen: Vec<Code> = Vec::new();
        let mut out_of_time = false;
        let mut cache = Cache::default();
        for (i, &step) in self.steps.iter().enumerate() {
            if i > 0 && start.elapsed() >= self.time_budget {
                out_of_time = true;
                break;
            }
            let codes = run_step(step, image, &mut cache);
            if codes.iter().any(accept) {
                let n = distinct(&seen, &codes);
                return Ok((codes, n));
            }
            for c in codes {
                if !seen.iter().any(|s| s.bytes == c.bytes) {
                    seen.push(c);
                }
            }
        }
        if !seen.is_empty() {
            let n = seen.len();
            return Ok((seen, n));
        }
        if out_of_time {
            Err(ScanError::TimeBudget {
                budget_ms: self.time_budget.as_millis().try_into().unwrap_or(u64::MAX),
            })
        } else {
            Err(ScanError::NotFound)
        }
    }
}

fn distinct(seen: &[Code], codes: &[Code]) -> usize {
    let mut set: HashSet<&[u8]> = seen.iter().map(|c| c.bytes.as_slice()).collect();
    set.extend(codes.iter().map(|c| c.bytes.as_slice()));
    set.len()
}

fn read(path: &Path) -> Result<Vec<u8>, ScanError> {
    std::fs::read(path).map_err(|e| ScanError::UnreadableImage {
        reason: e.kind().to_string(),
    })
}

/// Long side of [`Step::Downscaled`]'s copy.
const DOWNSCALED: u32 = 1600;
/// Largest long side [`Step::Upscaled`] works on.
const UPSCALE_MAX: u32 = 1400;
/// Images up to this long side also get a white margin and a 4× nearest-neighbour copy.
const TINY: u32 = 256;

/// Derived images shared between steps.
#[derive(Default)]
struct Cache {
    small: Option<Option<(GrayImage, f32)>>,
}

/// A working image and the factor from its coordinates back to the original's.
fn scaled(image: &GrayImage, max_side: u32) -> Option<(GrayImage, f32)> {
    let long = image.width().max(image.height());
    if long <= max_side {
        return None;
    }
    let f = max_side as f32 / long as f32;
    let w = ((image.width() as f32 * f).round() as u32).max(1);
    let h = ((image.height() as f32 * f).round() as u32).max(1);
    let small = image::imageops::resize(image, w, h, image::imageops::FilterType::Triangle);
    Some((small, image.width() as f32 / w as f32))
}

fn run_step(step: Step, image: &GrayImage, cache: &mut Cache) -> Vec<Code> {
    let long = image.width().max(image.height());
    match step {
        Step::Downscaled => {
            let small = cache.small.get_or_insert_with(|| scaled(image, DOWNSCALED));
            match small {
                Some((img, f)) => rxing(img, *f, step),
                None => Vec::new(),
            }
        }
        Step::Gray => rxing(image, 1.0, step),
        Step::Upscaled => {
            if long > UPSCALE_MAX {
                return Vec::new();
            }
            if long <= TINY {
                // A bare code with 1–2 px modules and no quiet zone: add a white margin and
                // scale by 4 without smoothing.
                let pad = (long / 8).max(4);
                let mut framed = GrayImage::from_pixel(
                    image.width() + 2 * pad,
                    image.height() + 2 * pad,
                    image::Luma([255]),
                );
                image::imageops::replace(&mut framed, image, i64::from(pad), i64::from(pad));
                let big = image::imageops::resize(
                    &framed,
                    framed.width() * 4,
                    framed.height() * 4,
                    image::imageops::FilterType::Nearest,
                );
                let mut codes = rxing(&big, 0.25, step);
                if codes.is_empty() {
                    // Artistic codes with textured modules: smooth the texture, one global
                    // (Otsu) threshold, then rxing and rqrr (rqrr decodes two such public
                    // photos that rxing misses).
                    let mut bin = image::imageops::blur(&big, 2.0);
                    let t = otsu(&bin);
                    bin.pixels_mut()
                        .for_each(|p| p.0[0] = if p.0[0] <= t { 0 } else { 255 });
                    codes = rxing(&bin, 0.25, step);
                    if codes.is_empty() {
                        codes = rqrr(&bin, 0.25, step);
                    }
                }
                for c in &mut codes {
                    for p in &mut c.corners {
                        *p = (p.0 - pad as f32, p.1 - pad as f32);
                    }
                }
                if !codes.is_empty() {
                    return codes;
                }
            }
            let big = image::imageops::resize(
                image,
                image.width() * 2,
                image.height() * 2,
                image::imageops::FilterType::Triangle,
            );
            rxing(&big, 0.5, step)
        }
        Step::Threshold => {
            // rxing at full resolution (small codes in large photos), rqrr at most 1600 px.
            let bin = threshold(image);
            let mut codes = rxing(&bin, 1.0, step);
            if codes.is_empty() {
                codes = match scaled(&bin, 1600) {
                    Some((small, f)) => rqrr(&small, f, step),
                    None => rqrr(&bin, 1.0, step),
                };
            }
            codes
        }
        Step::Rqrr => match scaled(image, 1600) {
            Some((work, f)) => rqrr(&work, f, step),
            None => rqrr(image, 1.0, step),
        },
        Step::Inverted => {
            let mut inv = image.clone();
            image::imageops::invert(&mut inv);
            rxing(&inv, 1.0, step)
        }
    }
}

/// Otsu's global threshold: the level that best separates the histogram into two classes.
fn otsu(image: &GrayImage) -> u8 {
    let mut hist = [0u64; 256];
    for p in image.pixels() {
        hist[usize::from(p.0[0])] += 1;
    }
    let total: u64 = hist.iter().sum();
    let sum: f64 = hist
        .iter()
        .enumerate()
        .map(|(i, &n)| i as f64 * n as f64)
        .sum();
    let (mut w0, mut sum0, mut best, mut best_t) = (0u64, 0f64, -1f64, 127u8);
    for (t, &n) in hist.iter().enumerate() {
        w0 += n;
        sum0 += t as f64 * n as f64;
        let w1 = total - w0;
        if w0 == 0 || w1 == 0 {
            continue;
        }
        let (m0, m1) = (sum0 / w0 as f64, (sum - sum0) / w1 as f64);
        let between = w0 as f64 * w1 as f64 * (m0 - m1) * (m0 - m1);
        if between > best {
            best = between;
            best_t = t as u8;
        }
    }
    best_t
}

/// Binarises with the mean of a square window (side about 1/8 of the short side), a few
/// levels below the mean counting as dark: robust to uneven light and soft glare.
pub(crate) fn threshold(image: &GrayImage) -> GrayImage {
    let (w, h) = (image.width() as usize, image.height() as usize);
    let r = (w.min(h) / 16).clamp(4, 64);
    // Integral image with a zero row and column; u64 so any image size is fine.
    let mut sum = vec![0u64; (w + 1) * (h + 1)];
    let px = image.as_raw();
    for y in 0..h {
        let mut row = 0u64;
        for x in 0..w {
            row += u64::from(px[y * w + x]);
            sum[(y + 1) * (w + 1) + x + 1] = sum[y * (w + 1) + x + 1] + row;
        }
    }
    let mut out = GrayImage::new(image.width(), image.height());
    let o = out.as_mut();
    for y in 0..h {
        let (y0, y1) = (y.saturating_sub(r), (y + r + 1).min(h));
        for x in 0..w {
            let (x0, x1) = (x.saturating_sub(r), (x + r + 1).min(w));
            let total = sum[y1 * (w + 1) + x1] + sum[y0 * (w + 1) + x0]
                - sum[y0 * (w + 1) + x1]
                - sum[y1 * (w + 1) + x0];
            let n = ((y1 - y0) * (x1 - x0)) as u64;
            let v = u64::from(px[y * w + x]) * n;
            o[y * w + x] = if v + 8 * n < total { 0 } else { 255 };
        }
    }
    out
}

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

/// Payload bytes to text: UTF-8 if valid, else a guess between Shift_JIS and Windows-1252
/// in the manner of ZXing's `guessEncoding` (runs of katakana or double-byte characters mean
/// Shift_JIS).
pub(crate) fn decode_text(bytes: &[u8]) -> String {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return s.to_owned();
    }
    if let Some(s) =
        encoding_rs::SHIFT_JIS.decode_without_bom_handling_and_without_replacement(bytes)
    {
        let (mut kana_run, mut kana_max, mut kana) = (0, 0, 0);
        let (mut wide_run, mut wide_max) = (0, 0);
        for c in s.chars() {
            if ('\u{ff61}'..='\u{ff9f}').contains(&c) {
                kana += 1;
                kana_run += 1;
                wide_run = 0;
            } else if c > '\u{ff}' {
                wide_run += 1;
                kana_run = 0;
            } else {
                kana_run = 0;
                wide_run = 0;
            }
            kana_max = kana_max.max(kana_run);
            wide_max = wide_max.max(wide_run);
        }
        let high_other = bytes.iter().filter(|&&b| (0x80..0xc0).contains(&b)).count();
        if kana_max >= 3
            || wide_max >= 3
            || (kana_max == 2 && kana == 2)
            || (wide_max > 0 && high_other * 10 >= bytes.len())
        {
            return s.into_owned();
        }
    }
    encoding_rs::WINDOWS_1252
        .decode_without_bom_handling(bytes)
        .0
        .into_owned()
}

fn rxing(image: &GrayImage, scale: f32, step: Step) -> Vec<Code> {
    use rxing::common::HybridBinarizer;
    use rxing::multi::MultipleBarcodeReader;
    use rxing::qrcode::cpp_port::QrReader;
    use rxing::qrcode::QRCodeReader;
    use rxing::{
        BarcodeFormat, BinaryBitmap, DecodeHints, Luma8Source, RXingResult,
        RXingResultMetadataType, RXingResultMetadataValue, Reader,
    };

    let (w, h) = image.dimensions();
    if w == 0 || h == 0 {
        return Vec::new();
    }
    let hints = DecodeHints {
        PossibleFormats: Some(HashSet::from([BarcodeFormat::QR_CODE])),
        TryHarder: Some(true),
        ..DecodeHints::default()
    };
    let to_code = |r: &RXingResult, cpp: bool| {
        let bytes = if cpp {
            r.getRawBytes().to_vec()
        } else {
            match r
                .getRXingResultMetadata()
                .get(&RXingResultMetadataType::BYTE_SEGMENTS)
            {
                Some(RXingResultMetadataValue::ByteSegments(segs)) if !segs.is_empty() => {
                    segs.concat()
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
    };
    let found = catch_unwind(AssertUnwindSafe(|| {
        let Ok(source) = Luma8Source::new_with_slice(image.as_raw(), w, h) else {
            return Vec::new();
        };
        let mut bitmap = BinaryBitmap::new(HybridBinarizer::new(source));
        let multi = QrReader.decode_multiple_with_hints(&mut bitmap, &hints);
        if let Ok(results) = multi {
            if !results.is_empty() {
                return results.iter().map(|r| to_code(r, true)).collect();
            }
        }
        match QRCodeReader.decode_with_hints(&mut bitmap, &hints) {
            Ok(r) => vec![to_code(&r, false)],
            Err(_) => Vec::new(),
        }
    }));
    found.unwrap_or_default()
}

fn rqrr(image: &GrayImage, scale: f32, step: Step) -> Vec<Code> {
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
    found.unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_decoding() {
        assert_eq!(decode_text("Hà Nội".as_bytes()), "Hà Nội");
        assert_eq!(decode_text(b"caf\xe9 \xc4"), "café Ä");
        let sjis = encoding_rs::SHIFT_JIS.encode("日本語").0;
        assert_eq!(decode_text(&sjis), "日本語");
    }

    #[test]
    fn corners_clockwise() {
        let p = clockwise([(38.0, 20.0), (309.0, 24.0), (15.0, 281.0), (329.0, 282.0)]);
        assert_eq!(
            p,
            [(38.0, 20.0), (309.0, 24.0), (329.0, 282.0), (15.0, 281.0)]
        );
    }

    #[test]
    fn threshold_is_binary() {
        let img = GrayImage::from_fn(40, 30, |x, y| image::Luma([((x * 5 + y * 3) % 256) as u8]));
        let t = threshold(&img);
        assert!(t.pixels().all(|p| p.0[0] == 0 || p.0[0] == 255));
        assert!(t.pixels().any(|p| p.0[0] == 0));
    }
}
