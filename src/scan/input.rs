//! The [`Scanner`] builder, its two verbs, and [`ScanInput`], the one input type.

use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use image::{DynamicImage, GrayImage};

use super::cascade;
use super::{decode, Code, ScanError, ScannedCard, Step};

/// Default limit on width × height: 50 megapixels.
pub const DEFAULT_MAX_PIXELS: u64 = 50_000_000;
/// Default limit on either side: 16 384 pixels.
pub const DEFAULT_MAX_DIMENSION: u32 = 16_384;
/// Default time budget per image: 2 seconds.
pub const DEFAULT_TIME_BUDGET: Duration = Duration::from_secs(2);

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
    pub(super) steps: Vec<Step>,
}

impl Default for Scanner {
    fn default() -> Self {
        Self::new()
    }
}

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

    /// Finds the QR codes in an image; stops at the first step that finds any.
    ///
    /// # Errors
    /// `unreadable_image` for a file that cannot be read or bytes that do not decode,
    /// `too_large` over the size limits, `not_found`, `time_budget` (see [`ScanError`]).
    pub fn codes<'a>(&self, input: impl Into<ScanInput<'a>>) -> Result<Vec<Code>, ScanError> {
        let start = Instant::now();
        let gray = self.gray(input.into())?;
        cascade::codes(self, &gray, start)
    }

    /// Finds the card's QR code in an image and parses it leniently from the raw bytes;
    /// other QR codes in the frame are ignored. The cascade continues past steps that found
    /// only codes that are not card payloads.
    ///
    /// # Errors
    /// `not_a_card` when codes were found but none is a card payload (the first one's parse
    /// error is the [`source`](std::error::Error::source)), and as [`Scanner::codes`].
    pub fn card<'a>(&self, input: impl Into<ScanInput<'a>>) -> Result<ScannedCard, ScanError> {
        let start = Instant::now();
        let gray = self.gray(input.into())?;
        cascade::card(self, &gray, start)
    }

    /// The grayscale image to scan, within the limits.
    fn gray<'a>(&self, input: ScanInput<'a>) -> Result<Cow<'a, GrayImage>, ScanError> {
        match input {
            ScanInput::Image(image) => {
                self.check_size(image.width(), image.height())?;
                Ok(Cow::Owned(image.to_luma8()))
            }
            ScanInput::Gray(image) => {
                self.check_size(image.width(), image.height())?;
                Ok(Cow::Borrowed(image))
            }
            ScanInput::Bytes(bytes) => Ok(Cow::Owned(decode::decode(self, bytes)?)),
            ScanInput::Path(path) => Ok(Cow::Owned(decode::decode(self, &decode::read(path)?)?)),
        }
    }

    pub(super) fn check_size(&self, width: u32, height: u32) -> Result<(), ScanError> {
        if width > self.max_dimension || height > self.max_dimension {
            return Err(ScanError::too_large("dimension", width, height));
        }
        if u64::from(width) * u64::from(height) > self.max_pixels {
            return Err(ScanError::too_large("pixels", width, height));
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
