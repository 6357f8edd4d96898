//! The JSON and text shapes of a parse outcome: the public contract of `cccd parse`.

use cccd::{Birthplace, Card, Error, NaiveDate, Parsed, Repair};

use crate::batch::{Body, Emit, Outcome};
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
        /// `id_info`, `expiry`, `expired`, `full_name_ascii`, `warnings`: see [`knowledge`].
        #[serde(flatten)]
        knowledge: Knowledge,
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
    pub fn new(result: &'a Result<Parsed<'a>, Error>, today: NaiveDate) -> Self {
        match result {
            Ok(parsed) => ParseReport::Ok {
                ok: true,
                layout: parsed.card.layout().as_str(),
                card: &parsed.card,
                repairs: &parsed.repairs,
                knowledge: knowledge(&parsed.card, today),
            },
            Err(e) => ParseReport::Failed {
                ok: false,
                error: e.into(),
            },
        }
    }
}

/// The keys `id_info`, `expiry`, `expired`, `full_name_ascii` and `warnings` of a parsed
/// card's JSON object, in that order.
#[derive(Debug, Serialize)]
pub struct Knowledge {
    id_info: IdInfo,
    expiry: ExpiryReport,
    expired: bool,
    full_name_ascii: String,
    warnings: Vec<WarningReport>,
}

impl Knowledge {
    /// Whether the checks found anything.
    pub fn has_warnings(&self) -> bool {
        !self.warnings.is_empty()
    }
}

/// The `"id_info"` object: what the ID number says.
#[derive(Debug, Serialize)]
struct IdInfo {
    birthplace: BirthplaceReport,
    century: u8,
    sex: &'static str,
    birth_year: i32,
}

/// The `"birthplace"` object: `kind` and `code` always; `name` and `province_since_2025` for a
/// province, `name` and `iso` for a country.
#[derive(Debug, Serialize)]
struct BirthplaceReport {
    kind: &'static str,
    code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    province_since_2025: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    iso: Option<&'static str>,
}

/// The `"expiry"` object.
#[derive(Debug, Serialize)]
struct ExpiryReport {
    date: Option<NaiveDate>,
    never: bool,
    law: &'static str,
}

/// One object of `"warnings"`.
#[derive(Debug, Serialize)]
struct WarningReport {
    code: &'static str,
    message: &'static str,
}

/// What the library knows about a parsed card (checked against `today`), for its JSON object.
pub fn knowledge(card: &Card<'_>, today: NaiveDate) -> Knowledge {
    let id = card.id_number();
    let place = id.birthplace();
    let (province_since_2025, iso) = match place {
        Birthplace::Province(p) => (Some(p.since_2025()), None),
        Birthplace::Country(c) => (None, Some(c.iso())),
        _ => (None, None),
    };
    let expiry = card.expiry();
    Knowledge {
        id_info: IdInfo {
            birthplace: BirthplaceReport {
                kind: place.kind(),
                code: format!("{:03}", place.code()),
                name: place.name(),
                province_since_2025,
                iso,
            },
            century: id.century(),
            sex: id.sex().as_str(),
            birth_year: id.birth_year(),
        },
        expiry: ExpiryReport {
            date: expiry.date(),
            never: expiry.is_never(),
            law: expiry.law().as_str(),
        },
        expired: expiry.is_expired(today),
        full_name_ascii: card.full_name_ascii().into_owned(),
        warnings: card
            .check(today)
            .into_iter()
            .map(|w| WarningReport {
                code: w.code().as_str(),
                message: w.message(),
            })
            .collect(),
    }
}

/// The CSV columns of a card read by `cccd parse` or `cccd scan`: the JSON keys, nested ones
/// joined with `.`.
pub const CARD_COLUMNS: &[&str] = &[
    "layout",
    "card.id_number",
    "card.old_id_number",
    "card.full_name",
    "card.date_of_birth",
    "card.sex",
    "card.address",
    "card.issue_date",
    "card.extra_fields",
    "repairs",
    "id_info.birthplace.kind",
    "id_info.birthplace.code",
    "id_info.birthplace.name",
    "id_info.birthplace.province_since_2025",
    "id_info.birthplace.iso",
    "id_info.century",
    "id_info.sex",
    "id_info.birth_year",
    "expiry.date",
    "expiry.never",
    "expiry.law",
    "expired",
    "full_name_ascii",
    "warnings",
];

/// `before`, the card columns, then `after`.
pub fn columns(before: &[&'static str], after: &[&'static str]) -> Vec<&'static str> {
    [before, CARD_COLUMNS, after].concat()
}

/// The outcome of one parse (checked against `today`), for the batch runner.
pub fn parse_outcome(result: &Result<Parsed<'_>, Error>, today: NaiveDate, emit: Emit) -> Outcome {
    let report = ParseReport::new(result, today);
    let warned = match &report {
        ParseReport::Ok { knowledge, .. } => knowledge.has_warnings(),
        ParseReport::Failed { .. } => false,
    };
    Outcome {
        body: Body::new(&report, emit),
        ok: result.is_ok(),
        repaired: result.as_ref().is_ok_and(|p| !p.repairs.is_empty()),
        warned,
    }
}
