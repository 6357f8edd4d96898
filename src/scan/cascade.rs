//! The cascade: runs the steps in order until one finds what the caller wants, within the
//! deadline.

use image::GrayImage;

use super::budget::Deadline;
use super::engines::{self, rqrr, rxing, Skipped};
use super::preprocess::{frame, inverted, otsu_binarise, shrink, threshold, Scaled};
use super::{Code, ScanError, ScannedCard, Scanner, Step};
use crate::Parser;

/// Long side of [`Step::Downscaled`]'s copy.
const DOWNSCALED: u32 = 1600;
/// Largest long side [`Step::Upscaled`] works on.
const UPSCALE_MAX: u32 = 1400;
/// Images up to this long side are first read as bare codes: a white margin, then rxing,
/// then smoothed and binarised with Otsu's level.
const TINY: u32 = 256;
/// Largest long side rqrr works on.
const RQRR_MAX: u32 = 1600;

/// The image the cascade reads, the factor from its coordinates to the caller's image, and
/// the deadline of the whole call.
pub(super) struct Work<'a> {
    pub(super) image: &'a GrayImage,
    pub(super) scale: f32,
    pub(super) deadline: &'a Deadline,
}

/// Every QR code of the first step that finds one.
pub(super) fn codes(scanner: &Scanner, work: &Work<'_>) -> Result<Vec<Code>, ScanError> {
    match run(scanner, work, false, |codes| {
        (!codes.is_empty()).then_some(())
    }) {
        Outcome::Accepted((), codes) => Ok(codes),
        Outcome::Exhausted { seen, .. } if !seen.is_empty() => Ok(seen),
        Outcome::Exhausted { tried, crowded, .. } => Err(nothing(work, tried, crowded)),
    }
}

/// Every different card of the first step that finds a card payload, each parsed once.
/// The same payload seen twice is one card.
pub(super) fn cards(scanner: &Scanner, work: &Work<'_>) -> Result<Vec<ScannedCard>, ScanError> {
    let parser = Parser::new().lenient(true);
    let mut first_error = None;
    let accept = |codes: &[Code]| {
        let mut cards: Vec<ScannedCard> = Vec::new();
        for code in codes {
            match parser.parse_bytes(&code.bytes) {
                Ok(parsed) => {
                    if cards.iter().any(|c| c.card == parsed.card) {
                        continue;
                    }
                    let parsed = parsed.into_owned();
                    cards.push(ScannedCard {
                        card: parsed.card,
                        repairs: parsed.repairs,
                        damaged: parsed.damaged,
                        code: code.clone(),
                        codes: Vec::new(),
                    });
                }
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        (!cards.is_empty()).then_some(cards)
    };
    match run(scanner, work, true, accept) {
        Outcome::Accepted(mut cards, codes) => {
            for card in &mut cards {
                card.codes.clone_from(&codes);
            }
            Ok(cards)
        }
        Outcome::Exhausted {
            seen,
            tried,
            crowded,
        } => match first_error {
            Some(e) if !seen.is_empty() => Err(ScanError::not_a_card(seen.len(), e)),
            _ => Err(nothing(work, tried, crowded)),
        },
    }
}

/// `time_budget` when the budget cut the cascade short, else `not_found` (with the reason
/// `crowded` when the engines were kept from a flood of finder-like marks).
fn nothing(work: &Work<'_>, tried: Option<Vec<Step>>, crowded: bool) -> ScanError {
    match tried {
        Some(tried) => work.deadline.exceeded(tried),
        None if crowded => ScanError::crowded(),
        None => ScanError::not_found(),
    }
}

enum Outcome<T> {
    /// What the caller took from the accepted step's codes, and those codes.
    Accepted(T, Vec<Code>),
    /// No step's codes were accepted: the distinct codes seen; the steps tried when the
    /// budget cut the cascade short (`None` when every step ran in full); whether an
    /// engine was kept from a crowded image.
    Exhausted {
        seen: Vec<Code>,
        tried: Option<Vec<Step>>,
        crowded: bool,
    },
}

/// Runs the steps until `accept` takes something from a step's codes, or the deadline.
/// Without `card_first` (any QR code wanted), [`Step::Card`] runs last: on general photos it
/// read nothing the other steps missed and cost about 80 ms per photo they missed; and the
/// default cascade on images up to [`UPSCALE_MAX`] runs in [`GENERAL`]'s order.
fn run<T>(
    scanner: &Scanner,
    work: &Work<'_>,
    card_first: bool,
    mut accept: impl FnMut(&[Code]) -> Option<T>,
) -> Outcome<T> {
    let mut seen: Vec<Code> = Vec::new();
    let mut cache = Cache::default();
    let mut crowded = false;
    // Fail fast: once the card step has seen a card but not read its code, the general
    // steps share a deadline `card::fallback` away (see `card` for the measurements), held
    // inside the steps like the call's own.
    let mut fail_fast: Option<Deadline> = None;
    let mut steps = scanner.steps.clone();
    if !card_first {
        let long = work.image.width().max(work.image.height());
        if steps == Step::CASCADE && long <= UPSCALE_MAX {
            steps = if long <= TINY { GENERAL_TINY } else { GENERAL }.to_vec();
        } else if let Some(c) = steps.iter().position(|&s| s == Step::Card) {
            let card = steps.remove(c);
            steps.push(card);
        }
    }
    for (i, &step) in steps.iter().enumerate() {
        if fail_fast.as_ref().is_some_and(Deadline::passed) {
            return Outcome::Exhausted {
                seen,
                tried: None,
                crowded,
            };
        }
        if work.deadline.passed() {
            return Outcome::Exhausted {
                seen,
                tried: Some(steps[..i].to_vec()),
                crowded,
            };
        }
        let mut codes = if step == Step::Card {
            let (codes, saw_card) = super::card::step(work.image, work.deadline);
            if saw_card && codes.is_empty() {
                fail_fast = Some(work.deadline.tighter(super::card::fallback(work.image)));
            }
            codes
        } else {
            let deadline = fail_fast.as_ref().unwrap_or(work.deadline);
            run_step(step, work.image, deadline, &mut cache, &mut crowded)
        };
        if work.scale != 1.0 {
            for c in &mut codes {
                for p in &mut c.corners {
                    *p = (p.0 * work.scale, p.1 * work.scale);
                }
            }
        }
        if let Some(taken) = accept(&codes) {
            return Outcome::Accepted(taken, codes);
        }
        for c in codes {
            if !seen.iter().any(|s| s.bytes == c.bytes) {
                seen.push(c);
            }
        }
    }
    let tried = work.deadline.was_hit().then_some(steps);
    Outcome::Exhausted {
        seen,
        tried,
        crowded,
    }
}

/// The default cascade's order for [`Scanner::codes`] (any QR code, general photos), by
/// reads per millisecond on the 79 public photos: `Inverted` costs one rxing pass (under a
/// millisecond on the small images where codes are printed light on dark) and reads three;
/// `Threshold` reads two for 1–10 ms; `Upscaled` reads three but costs four times a pass on
/// images above [`TINY`]; `Card` read nothing the others missed and runs last. Images above
/// [`UPSCALE_MAX`] (camera photos, where a pass costs tens to hundreds of milliseconds and
/// the public set has none) keep [`Step::CASCADE`]'s order with `Card` last, and so do card
/// photos ([`Scanner::card`]): a card's code is never light on dark.
const GENERAL: [Step; 6] = [
    Step::Gray,
    Step::Inverted,
    Step::Threshold,
    Step::Upscaled,
    Step::Downscaled,
    Step::Card,
];

/// [`GENERAL`] for images up to [`TINY`], where [`Step::Upscaled`] reads the bare code at
/// 1× for a few milliseconds and [`Step::Threshold`]'s rqrr pass costs 5–25 ms.
const GENERAL_TINY: [Step; 6] = [
    Step::Gray,
    Step::Inverted,
    Step::Upscaled,
    Step::Threshold,
    Step::Downscaled,
    Step::Card,
];

/// Derived images shared between steps.
#[derive(Default)]
struct Cache {
    small: Option<Option<Scaled>>,
}

/// The codes an engine call found; records a skipped call in `crowded` (the deadline
/// remembers its own).
fn record(found: engines::Found, crowded: &mut bool) -> Vec<Code> {
    match found {
        Ok(codes) => codes,
        Err(Skipped::Crowded) => {
            *crowded = true;
            Vec::new()
        }
        Err(Skipped::Time) => Vec::new(),
    }
}

fn run_step(
    step: Step,
    image: &GrayImage,
    deadline: &Deadline,
    cache: &mut Cache,
    crowded: &mut bool,
) -> Vec<Code> {
    let long = image.width().max(image.height());
    let mut take = |found| record(found, crowded);
    match step {
        Step::Downscaled => {
            if cache.small.is_none() {
                match shrink(image, DOWNSCALED, deadline) {
                    Some(None) => return Vec::new(),
                    small => cache.small = Some(small.flatten()),
                }
            }
            match &cache.small {
                Some(Some((img, f))) => take(rxing(img, *f, step, deadline)),
                _ => Vec::new(),
            }
        }
        Step::Gray => take(rxing(image, 1.0, step, deadline)),
        // Handled by `run` (it needs to know whether a card was seen).
        Step::Card => Vec::new(),
        Step::Upscaled => {
            if long > UPSCALE_MAX {
                return Vec::new();
            }
            if long <= TINY {
                // A bare code (no quiet zone, or textured "artistic" modules): add a white
                // margin and read it with rxing, then smoothed and binarised with one global
                // (Otsu) level, by rxing and rqrr. Everything at 1×: a 4× copy read nothing
                // more on the public photos and cost 30–90 ms per image (nor did rxing's
                // pure-code reader, on the framed image or 2–8× copies, read the one code
                // with a pixel per module that the cascade misses).
                let (framed, pad) = frame(image);
                let mut codes = take(rxing(&framed, 1.0, step, deadline));
                if codes.is_empty() && !deadline.passed() {
                    let bin = otsu_binarise(&framed);
                    codes = take(rxing(&bin, 1.0, step, deadline));
                    if codes.is_empty() && !deadline.passed() {
                        codes = take(rqrr(&bin, 1.0, step, deadline));
                    }
                }
                for c in &mut codes {
                    for p in &mut c.corners {
                        *p = (p.0 - pad as f32, p.1 - pad as f32);
                    }
                }
                if !codes.is_empty() || deadline.passed() {
                    return codes;
                }
            }
            // The copy and rxing on it cost about four times rxing on the image.
            let px = u64::from(image.width()) * u64::from(image.height());
            if deadline.cannot_afford(engines::cost_of(4 * px, deadline)) {
                return Vec::new();
            }
            let big = image::imageops::resize(
                image,
                image.width() * 2,
                image.height() * 2,
                image::imageops::FilterType::Triangle,
            );
            take(rxing(&big, 0.5, step, deadline))
        }
        Step::Threshold => {
            // rxing at full resolution (small codes in large photos), rqrr at most 1600 px.
            let Some(bin) = threshold(image, deadline) else {
                return Vec::new();
            };
            let mut codes = take(rxing(&bin, 1.0, step, deadline));
            if codes.is_empty() && !deadline.passed() {
                codes = match shrink(&bin, RQRR_MAX, deadline) {
                    Some(Some((small, f))) => take(rqrr(&small, f, step, deadline)),
                    Some(None) => Vec::new(),
                    None => take(rqrr(&bin, 1.0, step, deadline)),
                };
            }
            codes
        }
        Step::Rqrr => match shrink(image, RQRR_MAX, deadline) {
            Some(Some((work, f))) => take(rqrr(&work, f, step, deadline)),
            Some(None) => Vec::new(),
            None => take(rqrr(image, 1.0, step, deadline)),
        },
        Step::Inverted => match inverted(image, deadline) {
            Some(inv) => take(rxing(&inv, 1.0, step, deadline)),
            None => Vec::new(),
        },
    }
}
