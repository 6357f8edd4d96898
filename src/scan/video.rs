//! A stateful scanner for video frames: it looks first where the card was in the previous
//! frame, and says when a frame is too blurred to be worth decoding.

use std::fmt;
use std::time::Duration;

use web_time::Instant;

use image::GrayImage;

use super::budget::Deadline;
use super::card::{self, Quad, Technique};
use super::{Code, ScanError, ScannedCard, Scanner};
use crate::Parser;

/// What [`FrameScanner::scan_frame`] made of one frame.
#[non_exhaustive]
#[derive(Debug)]
pub enum Frame {
    /// A card was read.
    Card {
        /// The card, its code and every code seen.
        scanned: Box<ScannedCard>,
        /// The card's outline in the frame (front corners: top-left, top-right, bottom-right,
        /// bottom-left), when the card finder saw it.
        outline: Option<[(f32, f32); 4]>,
        /// Whether it was found where the card was in an earlier frame (no search).
        tracked: bool,
    },
    /// The card's code region is too blurred to decode: the estimated blur is `blur` module
    /// widths (the limit is [`FrameScanner::max_blur`]). Wait for a steadier frame.
    TooBlurred {
        /// Estimated blur (Gaussian sigma) as a fraction of the expected module size.
        blur: f32,
    },
    /// No card was read in this frame.
    Nothing,
}

/// Scans a sequence of video frames (a kiosk camera, a browser's camera feed).
///
/// Each frame is searched for the card first where it was in the previous frame (the code
/// patch is rectified from the last outline: a few milliseconds, no search), then by the
/// card finder, and then, within a short budget, by the general cascade. A frame whose code
/// region is too blurred is reported as [`Frame::TooBlurred`] before any decoding.
///
/// ```no_run
/// # fn frames() -> Vec<cccd::image::GrayImage> { Vec::new() }
/// let mut video = cccd::FrameScanner::new(cccd::Scanner::new());
/// for frame in frames() {
///     match video.scan_frame(&frame)? {
///         cccd::Frame::Card { scanned, .. } => {
///             println!("{}", scanned.code.text.len());
///             break;
///         }
///         cccd::Frame::TooBlurred { .. } => { /* ask the user to hold still */ }
///         _ => {}
///     }
/// }
/// # Ok::<(), cccd::ScanError>(())
/// ```
pub struct FrameScanner {
    scanner: Scanner,
    last: Option<Quad>,
    misses: u32,
    max_blur: f32,
    frame_budget: Duration,
}

impl fmt::Debug for FrameScanner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FrameScanner")
            .field("tracking", &self.last.is_some())
            .field("misses", &self.misses)
            .field("max_blur", &self.max_blur)
            .field("frame_budget", &self.frame_budget)
            .finish_non_exhaustive()
    }
}

/// Frames without a read after which the last outline is forgotten.
const FORGET_AFTER: u32 = 5;

impl FrameScanner {
    /// A frame scanner using `scanner`'s limits (image size) and cascade for the fallback;
    /// each frame gets at most [`FrameScanner::frame_budget`] (default 150 ms, or the
    /// scanner's time budget if smaller).
    pub fn new(scanner: Scanner) -> Self {
        let frame_budget = scanner.time_budget.min(Duration::from_millis(150));
        FrameScanner {
            scanner,
            last: None,
            misses: 0,
            max_blur: 0.8,
            frame_budget,
        }
    }

    /// The time one frame may take (the general cascade is cut off there).
    pub fn frame_budget(mut self, budget: Duration) -> Self {
        self.frame_budget = budget;
        self
    }

    /// The blur (Gaussian sigma as a fraction of the expected module size) above which a
    /// frame is reported as [`Frame::TooBlurred`] without decoding. Default 0.8: on the
    /// first 40 photos of the benchmark's hard set the estimate ranged 0.08–0.79 and the
    /// blurriest photo still read was at 0.72; the estimate is rough (noise lowers it).
    pub fn max_blur(mut self, fraction: f32) -> Self {
        self.max_blur = fraction.max(0.0);
        self
    }

    /// The card's outline from the last frame that was read, if it is still tracked.
    pub fn tracked(&self) -> Option<[(f32, f32); 4]> {
        self.last
    }

    /// Forgets the tracked card (a new person at the kiosk).
    pub fn reset(&mut self) {
        self.last = None;
        self.misses = 0;
    }

    /// Scans one frame.
    ///
    /// # Errors
    /// [`ScanError`] when the frame is larger than the scanner's limits. A frame without a
    /// card is not an error: [`Frame::Nothing`].
    pub fn scan_frame(&mut self, frame: &GrayImage) -> Result<Frame, ScanError> {
        self.scanner.check_size(frame.width(), frame.height())?;
        let start = Instant::now();
        let deadline = Deadline::new(start, self.frame_budget);
        let parser = Parser::new().lenient(true);
        let is_card = |c: &Code| parser.parse_bytes(&c.bytes).is_ok();
        let tracked = self.last.is_some();
        let quad = match self.last {
            Some(q) => Some(q),
            // A whole outline only: one joined from pieces is weaker evidence (a bare code's
            // modules can make one), not enough to call the frame too blurred.
            None => card::find_quads(frame, 1)
                .into_iter()
                .find(|(_, joined)| !joined)
                .map(|(q, _)| q),
        };
        if let Some(q) = quad {
            let blur = card::blur_at(frame, &q);
            if blur > self.max_blur {
                self.miss();
                return Ok(Frame::TooBlurred { blur });
            }
            let techniques: &[Technique] = if tracked {
                &[Technique::Plain, Technique::Grid]
            } else {
                &Technique::ALL
            };
            let out = card::scan(frame, Some(&q), techniques, &deadline, &is_card);
            if let Some(code) = out.code {
                self.last = out.card.or(Some(q));
                self.misses = 0;
                let mut codes = out.others;
                codes.push(code.clone());
                return Ok(self.found(code, codes, self.last, tracked));
            }
            if tracked {
                // The card moved: search the frame before giving up.
                self.last = None;
                let again = self.scan_frame_untracked(frame, start, &deadline, &is_card);
                return Ok(again);
            }
        }
        Ok(self.fallback(frame, start, &is_card))
    }

    fn scan_frame_untracked(
        &mut self,
        frame: &GrayImage,
        start: Instant,
        deadline: &Deadline,
        is_card: &dyn Fn(&Code) -> bool,
    ) -> Frame {
        let out = card::scan(frame, None, &Technique::ALL, deadline, is_card);
        if let Some(code) = out.code {
            self.last = out.card;
            self.misses = 0;
            let mut codes = out.others;
            codes.push(code.clone());
            return self.found(code, codes, self.last, false);
        }
        self.fallback(frame, start, is_card)
    }

    /// The general cascade, within what is left of the frame's budget (which began at
    /// `start`).
    fn fallback(
        &mut self,
        frame: &GrayImage,
        start: Instant,
        is_card: &dyn Fn(&Code) -> bool,
    ) -> Frame {
        let left = self.frame_budget.saturating_sub(start.elapsed());
        if left.is_zero() {
            self.miss();
            return Frame::Nothing;
        }
        let steps: Vec<_> = self
            .scanner
            .steps
            .iter()
            .copied()
            .filter(|&s| s != super::Step::Card)
            .collect();
        let scanner = self.scanner.clone().time_budget(left).steps(&steps);
        match scanner.card(frame) {
            Ok(scanned) if is_card(&scanned.code) => {
                self.misses = 0;
                Frame::Card {
                    scanned: Box::new(scanned),
                    outline: None,
                    tracked: false,
                }
            }
            _ => {
                self.miss();
                Frame::Nothing
            }
        }
    }

    fn miss(&mut self) {
        self.misses += 1;
        if self.misses >= FORGET_AFTER {
            self.last = None;
        }
    }

    fn found(&self, code: Code, codes: Vec<Code>, outline: Option<Quad>, tracked: bool) -> Frame {
        let parser = Parser::new().lenient(true);
        match parser.parse_bytes(&code.bytes) {
            Ok(parsed) => {
                let parsed = parsed.into_owned();
                Frame::Card {
                    scanned: Box::new(ScannedCard {
                        card: parsed.card,
                        repairs: parsed.repairs,
                        damaged: parsed.damaged,
                        code,
                        codes,
                    }),
                    outline,
                    tracked,
                }
            }
            Err(_) => Frame::Nothing,
        }
    }
}
