//! The cascade: runs the steps in order until one finds what the caller wants.

use std::time::Instant;

use image::GrayImage;

use super::engines::{rqrr, rxing};
use super::preprocess::{frame, otsu_binarise, scaled, threshold, Scaled};
use super::{Code, ScanError, ScannedCard, Scanner, Step};
use crate::Parser;

/// Long side of [`Step::Downscaled`]'s copy.
const DOWNSCALED: u32 = 1600;
/// Largest long side [`Step::Upscaled`] works on.
const UPSCALE_MAX: u32 = 1400;
/// Images up to this long side also get a white margin and a 4× nearest-neighbour copy.
const TINY: u32 = 256;
/// Largest long side rqrr works on.
const RQRR_MAX: u32 = 1600;

/// Every QR code of the first step that finds one.
pub(super) fn codes(
    scanner: &Scanner,
    image: &GrayImage,
    start: Instant,
) -> Result<Vec<Code>, ScanError> {
    match run(scanner, image, start, false, |codes| {
        (!codes.is_empty()).then_some(())
    }) {
        Outcome::Accepted((), codes) => Ok(codes),
        Outcome::Exhausted { seen, .. } if !seen.is_empty() => Ok(seen),
        Outcome::Exhausted { tried, .. } => Err(nothing(scanner, tried)),
    }
}

/// The card of the first step that finds a card payload, parsed once.
pub(super) fn card(
    scanner: &Scanner,
    image: &GrayImage,
    start: Instant,
) -> Result<ScannedCard, ScanError> {
    let parser = Parser::new().lenient(true);
    let mut first_error = None;
    let accept = |codes: &[Code]| {
        for code in codes {
            match parser.parse_bytes(&code.bytes) {
                Ok(parsed) => return Some((parsed.into_owned(), code.clone())),
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        None
    };
    match run(scanner, image, start, true, accept) {
        Outcome::Accepted((parsed, code), codes) => Ok(ScannedCard {
            card: parsed.card,
            repairs: parsed.repairs,
            code,
            codes,
        }),
        Outcome::Exhausted { seen, tried } => match first_error {
            Some(e) if !seen.is_empty() => Err(ScanError::not_a_card(seen.len(), e)),
            _ => Err(nothing(scanner, tried)),
        },
    }
}

/// `time_budget` when the budget cut the cascade short, else `not_found`.
fn nothing(scanner: &Scanner, tried: Option<Vec<Step>>) -> ScanError {
    match tried {
        Some(tried) => ScanError::time_budget(scanner.time_budget, tried),
        None => ScanError::not_found(),
    }
}

enum Outcome<T> {
    /// What the caller took from the accepted step's codes, and those codes.
    Accepted(T, Vec<Code>),
    /// No step's codes were accepted: the distinct codes seen, and the steps tried when
    /// the budget ran out (`None` when every step ran).
    Exhausted {
        seen: Vec<Code>,
        tried: Option<Vec<Step>>,
    },
}

/// Runs the steps until `accept` takes something from a step's codes. Without
/// `card_first` (any QR code wanted), [`Step::Card`] runs last: on general photos it read
/// nothing the other steps missed and cost about 80 ms per photo they missed.
fn run<T>(
    scanner: &Scanner,
    image: &GrayImage,
    start: Instant,
    card_first: bool,
    mut accept: impl FnMut(&[Code]) -> Option<T>,
) -> Outcome<T> {
    let mut seen: Vec<Code> = Vec::new();
    let mut cache = Cache::default();
    // Fail fast: once the card step has seen a card but not read its code, the general
    // steps get at most `card::fallback` more (see `card` for the measurements).
    let mut fail_fast: Option<Instant> = None;
    let mut steps = scanner.steps.clone();
    if !card_first {
        if let Some(c) = steps.iter().position(|&s| s == Step::Card) {
            let card = steps.remove(c);
            steps.push(card);
        }
    }
    for (i, &step) in steps.iter().enumerate() {
        if fail_fast.is_some_and(|t| Instant::now() >= t) {
            return Outcome::Exhausted { seen, tried: None };
        }
        if i > 0 && start.elapsed() >= scanner.time_budget {
            return Outcome::Exhausted {
                seen,
                tried: Some(steps[..i].to_vec()),
            };
        }
        let codes = if step == Step::Card {
            let (codes, saw_card) = super::card::step(image, start + scanner.time_budget);
            if saw_card && codes.is_empty() {
                fail_fast = Some(Instant::now() + super::card::fallback(image));
            }
            codes
        } else {
            run_step(step, image, &mut cache)
        };
        if let Some(taken) = accept(&codes) {
            return Outcome::Accepted(taken, codes);
        }
        for c in codes {
            if !seen.iter().any(|s| s.bytes == c.bytes) {
                seen.push(c);
            }
        }
    }
    Outcome::Exhausted { seen, tried: None }
}

/// Derived images shared between steps.
#[derive(Default)]
struct Cache {
    small: Option<Option<Scaled>>,
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
        // Handled by `run` (it needs the deadline).
        Step::Card => Vec::new(),
        Step::Upscaled => {
            if long > UPSCALE_MAX {
                return Vec::new();
            }
            if long <= TINY {
                // A bare code with 1–2 px modules and no quiet zone: add a white margin and
                // scale by 4 without smoothing.
                let (big, pad) = frame(image);
                let mut codes = rxing(&big, 0.25, step);
                if codes.is_empty() {
                    // Artistic codes with textured modules: smooth the texture, one global
                    // (Otsu) threshold, then rxing and rqrr (rqrr decodes two such public
                    // photos that rxing misses).
                    let bin = otsu_binarise(&big);
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
                codes = match scaled(&bin, RQRR_MAX) {
                    Some((small, f)) => rqrr(&small, f, step),
                    None => rqrr(&bin, 1.0, step),
                };
            }
            codes
        }
        Step::Rqrr => match scaled(image, RQRR_MAX) {
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
