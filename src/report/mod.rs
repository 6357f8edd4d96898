//! The report: the JSON objects the `cccd` command prints and every binding returns, built
//! from one set of typed structs, with redaction applied by type ([`Private`]) when the report
//! is built, and the CSV columns derived from the same objects.
//!
//! ```
//! use cccd::report::{self, Options};
//! let today = cccd::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
//! let line = report::validate_json(b"079203001234||Nguy\xe1\xbb\x85n V\xc4\x83n \xc3\x81nh|01012003|Nam|H\xc3\xa0 N\xe1\xbb\x99i|15082021", &Options::new(today));
//! assert!(line.starts_with(r#"{"ok":true,"layout":"2021","card":{"id_number":"079203001234""#));
//! let redacted = report::validate_json(b"079203001234||Nguy\xe1\xbb\x85n V\xc4\x83n \xc3\x81nh|01012003|Nam|H\xc3\xa0 N\xe1\xbb\x99i|15082021", &Options::new(today).redact(true));
//! assert!(redacted.contains(r#""id_number":"079*********""#) && !redacted.contains("Nguy"));
//! ```

mod card;
mod chip;
mod csv;
mod mrz;
mod redact;
#[cfg(feature = "image")]
mod scan;
mod verify;

use chrono::NaiveDate;
use serde::Serialize;

use crate::{Error, Parsed, Parser};

pub use self::card::{BirthplaceReport, CardReport, ExpiryReport, Facts, IdInfo, WarningReport};
pub use self::chip::{
    ChipFacts, ChipMrzReport, ChipReport, Dg13Report, FaceReport, RawEntryReport, CHIP_COLUMNS,
};
pub use self::csv::{cell, cells, cells_for, lookup, neutralise, PARSE_COLUMNS, SCAN_COLUMNS};
pub use self::mrz::{mrz, mrz_json, MrzRecordReport, MrzReport, MrzWarningReport, MRZ_COLUMNS};
pub use self::redact::{initials, mask, province_of, Personal, Private, WITHHELD};
#[cfg(feature = "image")]
pub use self::scan::{scan, scan_json, CodeReport, ScanReport, Scanned};
pub use self::verify::{verify, verify_json, CrossCheck, Records, VerifyReport, VERIFY_COLUMNS};

/// How reports are built: the reference date for `expired` and the warnings, lenient parsing,
/// redaction, and (for scans) whether any QR code counts as a success.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Options {
    /// The reference date (the library never reads the clock).
    pub today: NaiveDate,
    /// Parse leniently, reporting repairs.
    pub lenient: bool,
    /// Redact personal data by type (see [`Private`]).
    pub redact: bool,
    /// Scans only: succeed on any QR code, without a card.
    pub raw: bool,
}

impl Options {
    /// Strict, unredacted, checked against `today`.
    pub const fn new(today: NaiveDate) -> Self {
        Options {
            today,
            lenient: false,
            redact: false,
            raw: false,
        }
    }

    /// Lenient parsing (repairs reported).
    pub const fn lenient(mut self, yes: bool) -> Self {
        self.lenient = yes;
        self
    }

    /// Personal data redacted by type.
    pub const fn redact(mut self, yes: bool) -> Self {
        self.redact = yes;
        self
    }

    /// Scans succeed on any QR code (no card required).
    pub const fn raw(mut self, yes: bool) -> Self {
        self.raw = yes;
        self
    }

    /// The parser these options ask for.
    pub fn parser(&self) -> Parser {
        Parser::new().lenient(self.lenient)
    }
}

/// The object printed for one payload: a card with what the library knows about it, or the
/// error. Serialises to the JSON contract of `cccd parse`.
#[derive(Debug, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum ParseReport<'a> {
    /// A parsed card.
    Ok {
        /// Always `true`.
        ok: bool,
        /// The card, its repairs and what the library knows about it.
        #[serde(flatten)]
        card: Box<CardReport<'a>>,
    },
    /// A payload that did not parse.
    Failed {
        /// Always `false`.
        ok: bool,
        /// What went wrong.
        error: ErrorReport,
    },
}

impl<'a> ParseReport<'a> {
    /// The report of a parse result.
    pub fn new(result: Result<Parsed<'a>, Error>, opts: &Options) -> Self {
        match result {
            Ok(parsed) => ParseReport::Ok {
                ok: true,
                card: Box::new(CardReport::new(parsed, opts)),
            },
            Err(e) => ParseReport::Failed {
                ok: false,
                error: (&e).into(),
            },
        }
    }

    /// Whether the payload parsed.
    pub fn is_ok(&self) -> bool {
        matches!(self, ParseReport::Ok { .. })
    }

    /// Whether the payload parsed with repairs.
    pub fn is_repaired(&self) -> bool {
        matches!(self, ParseReport::Ok { card, .. } if !card.repairs.is_empty())
    }

    /// Whether the payload parsed and the checks found something.
    pub fn has_warnings(&self) -> bool {
        matches!(self, ParseReport::Ok { card, .. } if !card.facts.warnings.is_empty())
    }
}

/// The `"error"` object of a payload that did not parse (or of a scan that failed).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ErrorReport {
    /// Machine-readable code: where it went wrong ([`ErrorCode::as_str`](crate::ErrorCode::as_str)).
    pub code: &'static str,
    /// Machine-readable reason: what went wrong ([`Reason::as_str`](crate::Reason::as_str)).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<&'static str>,
    /// The field, or `null`; absent for scan errors.
    #[serde(skip_serializing_if = "FieldSlot::is_absent")]
    pub field: FieldSlot,
    /// Byte offset in the input; absent for scan errors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<usize>,
    /// Human-readable message (never contains personal data).
    pub message: String,
}

/// The `"field"` key of an error: absent (scan errors), `null` (payload-wide errors) or the
/// field's name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldSlot {
    /// No `field` key.
    Absent,
    /// `"field": null`.
    None,
    /// `"field": "date_of_birth"`.
    Field(&'static str),
}

impl FieldSlot {
    fn is_absent(&self) -> bool {
        matches!(self, FieldSlot::Absent)
    }
}

impl Serialize for FieldSlot {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            FieldSlot::Field(f) => s.serialize_str(f),
            _ => s.serialize_none(),
        }
    }
}

impl From<&Error> for ErrorReport {
    fn from(e: &Error) -> Self {
        ErrorReport {
            code: e.code().as_str(),
            reason: Some(e.reason().as_str()),
            field: e
                .field()
                .map_or(FieldSlot::None, |f| FieldSlot::Field(f.as_str())),
            offset: Some(e.offset()),
            message: e.to_string(),
        }
    }
}

/// Parses `payload` as the options say and reports it: the object `cccd parse` prints.
pub fn validate<'a>(payload: &'a [u8], opts: &Options) -> ParseReport<'a> {
    ParseReport::new(opts.parser().parse_bytes(payload), opts)
}

/// The JSON line (without a newline) that `cccd parse --format json` prints for `payload`.
pub fn validate_json(payload: &[u8], opts: &Options) -> String {
    to_json(&validate(payload, opts))
}

/// A report as one line of JSON, with U+2028 and U+2029 escaped (they end lines in
/// JavaScript).
pub fn to_json(report: &impl Serialize) -> String {
    // Serialising these types cannot fail: every map key is a string.
    let json = serde_json::to_string(report).unwrap_or_else(|_| "null".to_owned());
    // Both can only stand inside JSON strings, where the escape means the same character.
    if json.contains(['\u{2028}', '\u{2029}']) {
        json.replace('\u{2028}', "\\u2028")
            .replace('\u{2029}', "\\u2029")
    } else {
        json
    }
}
