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

/// The soft decoder's pool on a real code read wrongly in arbitrary ways (the soft
/// decoder's fuzz target, `fuzz/fuzz_targets/soft.rs`). The first byte sets the payload:
/// when odd, a card payload whose address has half its value in characters (for the card
/// prior); when even, 20 + its value bytes of other text (a code of version 2 to 12 at level
/// M). The rest, split in up to three readings, is a list of 3-byte edits, each setting one
/// module's margin (position, then a signed magnitude; −128 gives NaN). Every reading goes into one
/// pool: no panic, and a payload read is never longer than the code holds.
#[cfg(feature = "synth-photo")]
pub fn soft_pool(data: &[u8]) {
    let Some((&len, edits)) = data.split_first() else {
        return;
    };
    let text: Vec<u8> = if len % 2 == 1 {
        // A card payload (which the card prior fits), its address 0–127 characters.
        let address: String = "Số 1 Lê Lợi, Phường Bến Nghé, "
            .chars()
            .cycle()
            .take(usize::from(len / 2))
            .collect();
        format!("079203001234|123456789|Nguyễn Văn Ánh|01012003|Nam|{address}|15082021").into()
    } else {
        b"SOFT-FUZZ-0123456789-"
            .iter()
            .copied()
            .cycle()
            .take(20 + usize::from(len))
            .collect()
    };
    let Some((n, truth)) = super::soft::synthetic_code(&text) else {
        return;
    };
    let mut pool = super::soft::Pool::new(n);
    let part = edits.len().div_ceil(3).max(1);
    for chunk in edits.chunks(part).take(3) {
        let mut margins = truth.clone();
        for e in chunk.chunks_exact(3) {
            let p = usize::from(u16::from_be_bytes([e[0], e[1]])) % (n * n);
            let m = e[2] as i8;
            margins[p] = if m == i8::MIN {
                f32::NAN
            } else {
                f32::from(m) / 16.0
            };
        }
        if let Some(read) = pool.add(&margins) {
            assert!(
                read.len() <= n * n / 8,
                "{} bytes from {n} × {n}",
                read.len()
            );
        }
    }
}
