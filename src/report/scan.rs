//! The object `cccd scan` prints for one image.

use std::time::Duration;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use web_time::Instant;

use super::card::CardReport;
use super::redact::{Personal, Private};
use super::{ErrorReport, FieldSlot, Options};
use crate::{Code, ScanError, ScanInput, ScannedCard, Scanner};

/// What a scan found: any codes (`--raw`), or a card.
#[derive(Debug)]
pub enum Scanned {
    /// The codes found (raw mode).
    Codes(Vec<Code>),
    /// The card found, with every code of the step that found it.
    Card(Box<ScannedCard>),
}

/// The object printed for one image: `file` (when set), `ok`, `elapsed_ms`, `codes`, then
/// the card's keys as in [`ParseReport`](super::ParseReport), or `error`.
#[derive(Debug)]
#[non_exhaustive]
pub struct ScanReport {
    /// The file name, when the image came from a file (the caller sets it).
    pub file: Option<String>,
    /// Time spent, in milliseconds, rounded to 0.1.
    pub elapsed_ms: f64,
    /// The codes found, if any.
    pub codes: Option<Vec<Code>>,
    /// The card, if one was found (not in raw mode).
    pub card: Option<CardReport<'static>>,
    /// Why the scan failed.
    pub error: Option<ErrorReport>,
    redact: bool,
}

impl ScanReport {
    /// The report of a scan's result, which took `elapsed`.
    pub fn new(result: Result<Scanned, ScanError>, elapsed: Duration, opts: &Options) -> Self {
        let elapsed_ms = (elapsed.as_secs_f64() * 1e4).round() / 10.0;
        let mut report = ScanReport {
            file: None,
            elapsed_ms,
            codes: None,
            card: None,
            error: None,
            redact: opts.redact,
        };
        match result {
            Ok(Scanned::Codes(codes)) => report.codes = Some(codes),
            Ok(Scanned::Card(found)) => {
                let ScannedCard {
                    card,
                    repairs,
                    damaged,
                    codes,
                    ..
                } = *found;
                report.codes = Some(codes);
                let parsed = crate::Parsed {
                    card,
                    repairs,
                    damaged,
                };
                report.card = Some(CardReport::new(parsed, opts));
            }
            Err(e) => {
                report.error = Some(ErrorReport {
                    code: e.code().as_str(),
                    reason: Some(e.reason()),
                    field: FieldSlot::Absent,
                    offset: None,
                    message: e.to_string(),
                })
            }
        }
        report
    }

    /// Runs `scanner` on `input` (encoded bytes, a decoded image, a path) as the options say,
    /// timing the call.
    pub fn run<'i>(scanner: &Scanner, input: impl Into<ScanInput<'i>>, opts: &Options) -> Self {
        let input = input.into();
        let start = Instant::now();
        let result = if opts.raw {
            scanner.codes(input).map(Scanned::Codes)
        } else {
            scanner.card(input).map(|c| Scanned::Card(Box::new(c)))
        };
        ScanReport::new(result, start.elapsed(), opts)
    }

    /// [`ScanReport::run`] on encoded image bytes (PNG, JPEG, …).
    pub fn scan_bytes(scanner: &Scanner, image: &[u8], opts: &Options) -> Self {
        ScanReport::run(scanner, image, opts)
    }

    /// Whether a code (raw) or a card was found.
    pub fn is_ok(&self) -> bool {
        self.error.is_none()
    }

    /// Whether the card was repaired.
    pub fn is_repaired(&self) -> bool {
        self.card.as_ref().is_some_and(|c| !c.repairs.is_empty())
    }

    /// Whether the card's checks found something.
    pub fn has_warnings(&self) -> bool {
        self.card
            .as_ref()
            .is_some_and(|c| !c.facts.warnings.is_empty())
    }
}

impl Serialize for ScanReport {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        if let Some(file) = &self.file {
            m.serialize_entry("file", file)?;
        }
        m.serialize_entry("ok", &self.is_ok())?;
        m.serialize_entry("elapsed_ms", &self.elapsed_ms)?;
        if let Some(codes) = &self.codes {
            let codes: Vec<CodeReport<'_>> = codes
                .iter()
                .map(|c| CodeReport::new(c, self.redact))
                .collect();
            m.serialize_entry("codes", &codes)?;
        }
        if let Some(card) = &self.card {
            card.entries(&mut m)?;
        }
        if let Some(error) = &self.error {
            m.serialize_entry("error", error)?;
        }
        m.end()
    }
}

/// One object of `"codes"`: `text` (withheld when redacted), `corners`, `engine`, `step`.
#[derive(Debug, Serialize)]
pub struct CodeReport<'a> {
    text: Private<'a>,
    corners: [[f32; 2]; 4],
    engine: &'static str,
    step: &'static str,
}

impl<'a> CodeReport<'a> {
    /// The object for `code`.
    pub fn new(code: &'a Code, redact: bool) -> Self {
        CodeReport {
            text: Private::text(Personal::Withheld, code.text.as_str(), redact),
            corners: code.corners.map(|(x, y)| [x, y]),
            engine: code.engine.as_str(),
            step: code.step.as_str(),
        }
    }
}

/// Scans `image` (encoded bytes) with the default [`Scanner`]: the object `cccd scan` prints
/// for it, without `"file"`.
pub fn scan(image: &[u8], opts: &Options) -> ScanReport {
    ScanReport::scan_bytes(&Scanner::new(), image, opts)
}

/// [`scan`] as one line of JSON.
pub fn scan_json(image: &[u8], opts: &Options) -> String {
    super::to_json(&scan(image, opts))
}
