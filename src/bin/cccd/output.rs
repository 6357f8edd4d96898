//! The JSON and text shapes of a parse outcome: the public contract of `cccd parse`.

use cccd::{Card, Error, Parsed, Repair};

use crate::batch::Outcome;
use serde::Serialize;

/// The JSON object printed for one payload.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum ParseReport<'a> {
    /// A parsed card.
    Ok {
        /// Always `true`.
        ok: bool,
        /// `"2021"` or `"2024"`.
        layout: &'static str,
        /// The card's fields.
        card: &'a Card<'a>,
        /// Repair codes, in the order applied.
        repairs: &'a [Repair],
    },
    /// A payload that did not parse.
    Failed {
        /// Always `false`.
        ok: bool,
        /// What went wrong.
        error: ErrorReport,
    },
}

/// The `"error"` object.
#[derive(Debug, Serialize)]
pub struct ErrorReport {
    /// Machine-readable code.
    pub code: &'static str,
    /// The field, or `null`.
    pub field: Option<&'static str>,
    /// Byte offset in the input.
    pub offset: usize,
    /// Human-readable message (never contains the payload).
    pub message: String,
}

impl From<&Error> for ErrorReport {
    fn from(e: &Error) -> Self {
        ErrorReport {
            code: e.code().as_str(),
            field: e.field().map(|f| f.as_str()),
            offset: e.offset(),
            message: e.to_string(),
        }
    }
}

impl<'a> ParseReport<'a> {
    pub fn new(result: &'a Result<Parsed<'a>, Error>) -> Self {
        match result {
            Ok(parsed) => ParseReport::Ok {
                ok: true,
                layout: parsed.card.layout().as_str(),
                card: &parsed.card,
                repairs: &parsed.repairs,
            },
            Err(e) => ParseReport::Failed {
                ok: false,
                error: e.into(),
            },
        }
    }
}

/// The outcome of one parse, for the batch runner.
pub fn parse_outcome(result: &Result<Parsed<'_>, Error>) -> Outcome {
    let value = serde_json::to_value(ParseReport::new(result)).unwrap_or_default();
    Outcome {
        value,
        ok: result.is_ok(),
        repaired: result.as_ref().is_ok_and(|p| !p.repairs.is_empty()),
        warned: false,
    }
}
