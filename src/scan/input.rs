//! The [`Scanner`] builder, its two verbs, and [`ScanInput`], the one input type.

use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;
use web_time::Instant;

use image::{DynamicImage, GrayImage};

use super::budget::Deadline;
use super::cascade::{self, Work};
use super::decode::{self, BASELINE_MEMORY, MIN_SIDE};
use super::{Code, ScanError, ScannedCard, Step, MAX_FINDER_PATTERNS};

/// Default limit on width × height: 50 megapixels.
pub const DEFAULT_MAX_PIXELS: u64 = 50_000_000;
/// Default limit on either side: 16 384 pixels.
pub const DEFAULT_MAX_DIMENSION: u32 = 16_384;
/// Default time budget per image: 2 seconds, reading and decoding included.
pub const DEFAULT_TIME_BUDGET: Duration = Duration::from_secs(2);
/// Default memory bound per image: 300 MiB peak resident, the process included.
pub const DEFAULT_MAX_MEMORY: u64 = 300 << 20;
/// Default limit on the size of an image file read from a path: 32 MiB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 32 << 20;

/// What to scan: a decoded image, a grayscale image, an encoded image (PNG, JPEG, WebP, GIF,
/// BMP) or the path of an image file. Every `&` of these converts into it with `into()`.
///
/// `Debug` shows the kind and size, not the pixels or bytes.
#[non_exhaustive]
#[derive(Clone, Copy)]
pub enum ScanInput<'a> {
    /// A decoded image of any colour type.
    Image(&'a DynamicImage),
    /// A grayscale image (used as it is).
    Gray(&'a GrayImage),
    /// An encoded image, decoded once within the limits.
    Bytes(&'a [u8]),
    /// An image file, read within the limits.
    Path(&'a Path),
}

impl fmt::Debug for ScanInput<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScanInput::Image(i) => write!(f, "Image({}x{})", i.width(), i.height()),
            ScanInput::Gray(i) => write!(f, "Gray({}x{})", i.width(), i.height()),
            ScanInput::Bytes(b) => write!(f, "Bytes(<{} bytes>)", b.len()),
            ScanInput::Path(p) => f.debug_tuple("Path").field(p).finish(),
        }
    }
}

impl<'a> From<&'a DynamicImage> for ScanInput<'a> {
    fn from(image: &'a DynamicImage) -> Self {
        ScanInput::Image(image)
    }
}

impl<'a> From<&'a GrayImage> for ScanInput<'a> {
    fn from(image: &'a GrayImage) -> Self {
        ScanInput::Gray(image)
    }
}

impl<'a> From<&'a [u8]> for ScanInput<'a> {
    fn from(bytes: &'a [u8]) -> Self {
        ScanInput::Bytes(bytes)
    }
}

impl<'a> From<&'a Vec<u8>> for ScanInput<'a> {
    fn from(bytes: &'a Vec<u8>) -> Self {
        ScanInput::Bytes(bytes)
    }
}

impl<'a, const N: usize> From<&'a [u8; N]> for ScanInput<'a> {
    fn from(bytes: &'a [u8; N]) -> Self {
        ScanInput::Bytes(bytes)
    }
}

impl<'a> From<&'a Path> for ScanInput<'a> {
    fn from(path: &'a Path) -> Self {
        ScanInput::Path(path)
    }
}

impl<'a> From<&'a PathBuf> for ScanInput<'a> {
    fn from(path: &'a PathBuf) -> Self {
        ScanInput::Path(path)
    }
}

/// Finds QR codes in images: limits, time budget and the cascade of steps.
///
/// Two verbs, each taking any [`ScanInput`]: [`Scanner::codes`] (every QR code of the first
/// step that finds one) and [`Scanner::card`] (the card's code, parsed).
///
/// ```no_run
/// let scanner = cccd::Scanner::new();
/// let found = scanner.card(std::path::Path::new("card.jpg"))?;
/// println!("{}", found.card.id_number().masked());
/// # Ok::<(), cccd::ScanError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Scanner {
    pub(super) max_pixels: u64,
    pub(super) max_dimension: u32,
    pub(super) time_budget: Duration,
    pub(super) max_memory: u64,
    pub(super) max_file_size: u64,
    pub(super) max_finder_patterns: usize,
    pub(super) steps: Vec<Step>,
}

impl Default for Scanner {
    fn default() -> Self {
        Self::new()
    }
}

impl Scanner {
    /// The default scanner: [`Step::CASCADE`], [`DEFAULT_MAX_PIXELS`],
    /// [`DEFAULT_MAX_DIMENSION`], [`DEFAULT_TIME_BUDGET`], [`DEFAULT_MAX_MEMORY`] and
    /// [`DEFAULT_MAX_FILE_SIZE`].
    pub fn new() -> Self {
        Scanner {
            max_pixels: DEFAULT_MAX_PIXELS,
            max_dimension: DEFAULT_MAX_DIMENSION,
            time_budget: DEFAULT_TIME_BUDGET,
            max_memory: DEFAULT_MAX_MEMORY,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            max_finder_patterns: MAX_FINDER_PATTERNS,
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

    /// Bounds the whole call, reading and decoding included, to about `budget`: the deadline
    /// is checked inside the scanner's own loops and before every call into an engine,
    /// which is not made when the time left cannot pay for it (its cost estimated from the
    /// image size). Decoding itself cannot be interrupted; its cost is bounded by the size
    /// limits.
    pub fn time_budget(mut self, budget: Duration) -> Self {
        self.time_budget = budget;
        self
    }

    /// Bounds the memory one scan may use to `bytes`, counted as peak resident memory of a
    /// process that scans one image (the process's own 40 MiB included): encoded images
    /// whose decoding would need more are refused from their header (`too_large`, reason
    /// `memory`) before any pixel buffer exists; an image that decodes within the bound but
    /// whose cascade would not fit is scanned on a downscaled copy. Scanning in parallel
    /// multiplies the bound by the number of images in flight.
    pub fn max_memory(mut self, bytes: u64) -> Self {
        self.max_memory = bytes;
        self
    }

    /// Refuses image files larger than `bytes` (checked from the file's metadata before
    /// reading, and again while reading).
    pub fn max_file_size(mut self, bytes: u64) -> Self {
        self.max_file_size = bytes;
        self
    }

    /// Keeps the engines from images in which rxing's finder-pattern search confirms more
    /// than `patterns` patterns (counted strip by strip, after a cheap estimate); such an
    /// image fails with `not_found`, reason `crowded`. The engines' detectors pair every
    /// pattern with its neighbours and try to decode each triple: their time grows with the
    /// patterns. Default [`MAX_FINDER_PATTERNS`].
    pub fn max_finder_patterns(mut self, patterns: usize) -> Self {
        self.max_finder_patterns = patterns;
        self
    }

    /// Runs these steps, in this order, instead of [`Step::CASCADE`].
    pub fn steps(mut self, steps: &[Step]) -> Self {
        self.steps = steps.to_vec();
        self
    }

    /// Finds the QR codes in an image; stops at the first step that finds any.
    ///
    /// # Errors
    /// `unreadable_image` for a file that cannot be read or bytes that do not decode,
    /// `not_a_regular_file` for a path to a directory, FIFO, device or socket, `too_large`
    /// over the size, file-size or memory limits, `too_small` under 21 pixels in a
    /// dimension, `not_found`, `time_budget` (see [`ScanError`]).
    pub fn codes<'a>(&self, input: impl Into<ScanInput<'a>>) -> Result<Vec<Code>, ScanError> {
        let deadline = self.deadline();
        let (gray, scale) = self.gray(input.into(), &deadline)?;
        cascade::codes(self, &self.work(&gray, scale, &deadline))
    }

    /// Finds the card's QR code in an image and parses it leniently from the raw bytes;
    /// other QR codes in the frame are ignored. The cascade continues past steps that found
    /// only codes that are not card payloads.
    ///
    /// # Errors
    /// `not_a_card` when codes were found but none is a card payload (the first one's parse
    /// error is the [`source`](std::error::Error::source)), `multiple_cards` when the step
    /// that found a card found two or more different card payloads (never a silent choice;
    /// [`Scanner::cards`] returns them all), and as [`Scanner::codes`].
    pub fn card<'a>(&self, input: impl Into<ScanInput<'a>>) -> Result<ScannedCard, ScanError> {
        let mut cards = self.cards(input)?;
        match cards.len() {
            1 => Ok(cards.remove(0)),
            n => Err(ScanError::multiple_cards(n)),
        }
    }

    /// Every different card payload of the first step that finds one, in the engines'
    /// order (the same payload twice is one card).
    ///
    /// # Errors
    /// As [`Scanner::card`], but never `multiple_cards`.
    pub fn cards<'a>(
        &self,
        input: impl Into<ScanInput<'a>>,
    ) -> Result<Vec<ScannedCard>, ScanError> {
        let deadline = self.deadline();
        let (gray, scale) = self.gray(input.into(), &deadline)?;
        cascade::cards(self, &self.work(&gray, scale, &deadline))
    }

    fn deadline(&self) -> Deadline {
        let mut deadline = Deadline::new(Instant::now(), self.time_budget);
        deadline.max_patterns = self.max_finder_patterns;
        deadline
    }

    fn work<'a>(&self, image: &'a GrayImage, scale: f32, deadline: &'a Deadline) -> Work<'a> {
        Work {
            image,
            scale,
            deadline,
        }
    }

    /// The grayscale image to scan, within the limits, and the factor from its coordinates
    /// to the input's.
    fn gray<'a>(
        &self,
        input: ScanInput<'a>,
        deadline: &Deadline,
    ) -> Result<(Cow<'a, GrayImage>, f32), ScanError> {
        let (gray, held) = match input {
            ScanInput::Image(image) => {
                self.check_size(image.width(), image.height())?;
                let held = image.as_bytes().len() as u64;
                match image {
                    image::DynamicImage::ImageLuma8(gray) => (Cow::Borrowed(gray), held),
                    image => (Cow::Owned(decode::gray_of(image)), held),
                }
            }
            ScanInput::Gray(image) => {
                self.check_size(image.width(), image.height())?;
                (Cow::Borrowed(image), image.as_raw().len() as u64)
            }
            ScanInput::Bytes(bytes) => (
                Cow::Owned(decode::decode(self, bytes, deadline)?),
                bytes.len() as u64,
            ),
            ScanInput::Path(path) => {
                let bytes = decode::read(self, path)?;
                (Cow::Owned(decode::decode(self, &bytes, deadline)?), 0)
            }
        };
        Ok(decode::fit(self, gray, held))
    }

    /// Refuses sizes over the limits or under [`MIN_SIDE`].
    pub(super) fn check_size(&self, width: u32, height: u32) -> Result<(), ScanError> {
        if width > self.max_dimension || height > self.max_dimension {
            return Err(ScanError::too_large("dimension", width, height));
        }
        if u64::from(width) * u64::from(height) > self.max_pixels {
            return Err(ScanError::too_large("pixels", width, height));
        }
        if width < MIN_SIDE || height < MIN_SIDE {
            return Err(ScanError::too_small(width, height));
        }
        Ok(())
    }

    /// Refuses a decoding that needs `need` bytes of buffers when the process's baseline
    /// and `need` exceed the memory bound.
    pub(super) fn check_memory(&self, size: (u32, u32), need: u64) -> Result<(), ScanError> {
        let total = need.saturating_add(BASELINE_MEMORY);
        if total > self.max_memory {
            return Err(ScanError::too_much_memory(size, total, self.max_memory));
        }
        Ok(())
    }
}

/// The eight entry points of 0.1, kept as thin wrappers.
#[allow(missing_docs)]
impl Scanner {
    #[deprecated(note = "use `Scanner::codes`")]
    #[doc(hidden)]
    pub fn scan(&self, image: &DynamicImage) -> Result<Vec<Code>, ScanError> {
        self.codes(image)
    }
    #[deprecated(note = "use `Scanner::codes`")]
    #[doc(hidden)]
    pub fn scan_gray(&self, image: &GrayImage) -> Result<Vec<Code>, ScanError> {
        self.codes(image)
    }
    #[deprecated(note = "use `Scanner::codes`")]
    #[doc(hidden)]
    pub fn scan_bytes(&self, bytes: &[u8]) -> Result<Vec<Code>, ScanError> {
        self.codes(bytes)
    }
    #[deprecated(note = "use `Scanner::codes`")]
    #[doc(hidden)]
    pub fn scan_path(&self, path: &Path) -> Result<Vec<Code>, ScanError> {
        self.codes(path)
    }
    #[deprecated(note = "use `Scanner::card`")]
    #[doc(hidden)]
    pub fn scan_card(&self, image: &DynamicImage) -> Result<ScannedCard, ScanError> {
        self.card(image)
    }
    #[deprecated(note = "use `Scanner::card`")]
    #[doc(hidden)]
    pub fn scan_card_gray(&self, image: &GrayImage) -> Result<ScannedCard, ScanError> {
        self.card(image)
    }
    #[deprecated(note = "use `Scanner::card`")]
    #[doc(hidden)]
    pub fn scan_card_bytes(&self, bytes: &[u8]) -> Result<ScannedCard, ScanError> {
        self.card(bytes)
    }
    #[deprecated(note = "use `Scanner::card`")]
    #[doc(hidden)]
    pub fn scan_card_path(&self, path: &Path) -> Result<ScannedCard, ScanError> {
        self.card(path)
    }
}
