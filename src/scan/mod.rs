//! Find and decode the card's QR code in photos (feature `image`).
//!
//! The module's parts: this file holds the result types ([`Code`], [`Engine`], [`Step`],
//! [`ScannedCard`]); `input` the [`Scanner`] builder, its verbs and [`ScanInput`]; `decode`
//! reading files and decoding images to grey; `cascade` the steps and the time budget;
//! `preprocess` the image processing; `engines` the rxing and rqrr adapters; `text` the
//! charset guess; `error` [`ScanError`]; `card` the card-aware step (card finder, code
//! patches), `edges` and `warp` its image operations, `grid` the grid reader, `video` the
//! frame scanner.
//!
//! Two engines, [rxing](https://crates.io/crates/rxing) (a pure-Rust port of ZXing, with the
//! zxing-cpp QR detector) and [rqrr](https://crates.io/crates/rqrr) (a port of quirc), run in
//! a cascade of preprocessing [`Step`]s with early exit: as soon as a step finds what the
//! caller wants (any QR code for [`Scanner::codes`], a card payload for
//! [`Scanner::card`]), the cascade stops.
//!
//! # The cascade and why
//!
//! Measured with `cargo bench --features synth-photo --bench scan` (the README's performance
//! section has the table) on the 79 public QR photos of `../shared/qr-photos` and on 90
//! generated card photos from 1280 × 720 to 12 MP. Which step found the code, in the default
//! cascade: public photos: gray 70, inverted 3, upscaled 3 (2 of them on the Otsu copy),
//! threshold 2 (1 rqrr); card photos: gray 82, threshold 4, upscaled 2. Hence:
//!
//! 1. [`Step::Gray`]: rxing on the full-resolution grayscale image. Alone it decodes 70/79
//!    public photos (median 0.4 ms) and 82/90 card photos; everything else is a fallback.
//! 2. [`Step::Upscaled`]: rxing on a 2× copy of images up to 1400 px (codes with 2–3 px
//!    modules in 1280 × 720 frames); bare tiny codes are first read at 1× with a margin
//!    (rxing), then smoothed and binarised with Otsu's level (rxing and rqrr: textured
//!    "artistic" codes).
//! 3. [`Step::Threshold`]: a local-mean threshold, then rxing at full resolution and rqrr
//!    on at most 1600 px (uneven light, glare).
//! 4. [`Step::Inverted`]: rxing on the inverted image (light modules on dark).
//! 5. [`Step::Downscaled`]: rxing on a copy with a long side of 1600 px (large photos
//!    only). It found nothing the earlier steps missed on our sets, so it comes last; it is
//!    cheap and meant for large, blurred codes.
//!
//! That is the order for [`Scanner::card`] (after [`Step::Card`]). [`Scanner::codes`] on
//! images up to 1400 px runs the default cascade by reads per millisecond on the public
//! photos: gray, inverted, threshold, upscaled (before threshold up to 256 px), downscaled,
//! card.
//!
//! [`Step::Rqrr`] (rqrr alone, at most 1600 px) is available through [`Scanner::steps`] but
//! not in the default cascade: it decoded nothing the cascade missed (41/79 public photos,
//! 29/90 card photos alone) and costs 100–300 ms on large photos; rqrr also panics on some
//! images and can spend seconds in grid detection on 12 MP photos, hence the downscaling.
//!
//! Under hostile input every call stays within bounds (the README's "Limits and guarantees"
//! has the figures): one deadline for the whole call, reading and decoding included, checked
//! inside our own loops and before every engine call; a screen that keeps floods of finder
//! patterns from the engines (whose time grows with them); a memory bound per image decided
//! from the header; regular files only, with a size cap. Engine and decoder calls run under
//! [`std::panic::catch_unwind`] (rqrr has open panics on some images); built with
//! `panic = "abort"`, rqrr is never called.
//!
//! Payload bytes come from the engines raw (rxing's segment bytes, rqrr's `decode_to`);
//! [`Code::text`] is UTF-8 when the bytes are UTF-8, else rxing's ECI/Kanji/Hanzi-aware text,
//! else (rqrr) a ZXing-style Shift_JIS / Windows-1252 guess. [`Scanner::card`] always
//! parses the raw bytes with the lenient [`Parser`](crate::Parser), which repairs mojibake and reports it.

mod budget;
mod card;
mod cascade;
mod decode;
mod edges;
mod engines;
mod error;
mod fuzz;
mod grid;
mod input;
mod preprocess;
mod prior;
mod soft;
mod text;
mod video;
mod warp;

use std::fmt;

use crate::{Card, Repair};

pub use card::find_cards;
pub use engines::MAX_FINDER_PATTERNS;

/// Hooks for the benchmark and the fuzz target (hidden).
#[doc(hidden)]
pub mod __hooks {
    pub use super::card::patch_reads;
    pub use super::engines::finder_marks_of;
    pub use super::fuzz::scan;
    #[cfg(feature = "synth-photo")]
    pub use super::fuzz::soft_pool;
}
pub use error::{ScanError, ScanErrorCode};
pub use input::{
    ScanInput, Scanner, DEFAULT_MAX_DIMENSION, DEFAULT_MAX_FILE_SIZE, DEFAULT_MAX_MEMORY,
    DEFAULT_MAX_PIXELS, DEFAULT_TIME_BUDGET,
};
pub use video::{Frame, FrameScanner};

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
    /// are first read as bare codes at 1×: a white margin (rxing), then smoothed and
    /// binarised with one global (Otsu) level (rxing, then rqrr).
    Upscaled,
    /// Local-mean threshold, then rxing (full resolution) and rqrr (on at most 1600 px).
    Threshold,
    /// rqrr on the grayscale image (downscaled to at most 1600 px).
    Rqrr,
    /// rxing on the inverted image (light modules on a dark background).
    Inverted,
    /// Card-aware: find the ID card's outline, rectify the region of its QR code at a
    /// resolution chosen from the card's size (both ways up), and decode that patch (rxing
    /// plain; a module grid fitted to the finder patterns, sampled and equalised, decoded
    /// by rxing's bit-matrix decoder; rxing on an adaptive threshold).
    Card,
}

impl Step {
    /// The default cascade, in order (see the module docs for why). [`Step::Rqrr`] is not
    /// in it: on our measurements it never found a code the other steps missed.
    pub const CASCADE: [Step; 6] = [
        Step::Card,
        Step::Gray,
        Step::Upscaled,
        Step::Threshold,
        Step::Inverted,
        Step::Downscaled,
    ];

    /// `"downscaled"`, `"gray"`, `"upscaled"`, `"threshold"`, `"rqrr"`, `"inverted"` or
    /// `"card"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Step::Downscaled => "downscaled",
            Step::Gray => "gray",
            Step::Upscaled => "upscaled",
            Step::Threshold => "threshold",
            Step::Rqrr => "rqrr",
            Step::Inverted => "inverted",
            Step::Card => "card",
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

/// A card read from a photo by [`Scanner::card`].
///
/// `Debug` is redacted as the card's own.
#[non_exhaustive]
#[derive(Debug, Clone)]
pub struct ScannedCard {
    /// The card, parsed leniently from the code's raw bytes.
    pub card: Card<'static>,
    /// Every repair the lenient parser applied, in the order applied.
    pub repairs: Vec<Repair>,
    /// Text fields the lenient parser kept although it could not repair them
    /// ([`Parsed::damaged`](crate::Parsed::damaged)).
    pub damaged: Vec<crate::Field>,
    /// The code that held the card payload.
    pub code: Code,
    /// Every code found by the step that found the card (including `code`).
    pub codes: Vec<Code>,
}
