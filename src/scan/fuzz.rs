//! The image fuzz target's check (`fuzz/fuzz_targets/scan.rs`), here so that the replay test
//! runs saved inputs through the same code. Not part of the API.

use std::time::Duration;
use web_time::Instant;

use image::GrayImage;

use super::{Scanner, Step};

/// The budget the fuzz target gives each input; libFuzzer's `-timeout` should be a few
/// times this (`-timeout=1`).
pub const FUZZ_BUDGET: Duration = Duration::from_millis(200);

/// One input through the scanner's front end: no panic, every error has a code, reason and
/// message, corners are finite. The first byte picks the route: below 0x80 the rest is an
/// encoded image (at most 160 × 160 pixels, so that the fuzzer runs many); otherwise the next
/// byte is a width and the rest grey pixels (doubled when under 32 pixels), scanned by the
/// full cascade plus rqrr alone (the engines' own input).
pub fn scan(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let scanner = Scanner::new()
        .time_budget(FUZZ_BUDGET)
        .max_pixels(160 * 160)
        .max_dimension(1024);
    let start = Instant::now();
    let result = if mode < 0x80 {
        scanner.codes(rest)
    } else {
        let Some((&w, px)) = rest.split_first() else {
            return;
        };
        let w = u32::from(w.max(1));
        let h = px.len() as u32 / w;
        let Some(gray) = GrayImage::from_raw(w, h, px[..(w * h) as usize].to_vec()) else {
            return;
        };
        // Small inputs: doubled by nearest neighbour so the engines see codes of a useful
        // size.
        let k = if w.max(h) < 32 { 2 } else { 1 };
        let gray = if k > 1 {
            image::imageops::resize(&gray, w * k, h * k, image::imageops::FilterType::Nearest)
        } else {
            gray
        };
        let mut steps = Step::CASCADE.to_vec();
        steps.push(Step::Rqrr);
        scanner.steps(&steps).codes(&gray)
    };
    match result {
        Ok(codes) => {
            for c in codes {
                assert!(c.corners.iter().all(|p| p.0.is_finite() && p.1.is_finite()));
            }
        }
        Err(e) => {
            assert!(!e.to_string().is_empty());
            assert!(!e.reason().is_empty());
        }
    }
    // Far over the budget means a bound failed (libFuzzer's -timeout catches worse).
    assert!(
        start.elapsed() < FUZZ_BUDGET * 10,
        "{:?} with a {FUZZ_BUDGET:?} budget",
        start.elapsed()
    );
}
