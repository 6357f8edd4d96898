//! TEMPORARY stand-in for `cccd::report` (being written on main, issue 10), with the names of
//! `/work/report-api.md`, so the binding builds and is tested before main has it. Its body is
//! the `cccd` command's report code (`src/bin/cccd/output.rs`, `scan.rs`, `render.rs`) moved
//! here unchanged in substance. This file is deleted when main's `cccd::report` is merged:
//! `lib.rs` then says `use cccd::report` instead of `use report_shim as report`.

use std::borrow::Cow;
use std::time::Instant;

use cccd::{Birthplace, Card, Code, Error, NaiveDate, Parsed, Parser, Repair, ScanError, Scanner};
use serde::{Serialize, Serializer};
use serde_json::Value;

/// What a report is computed against.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    today: NaiveDate,
    lenient: bool,
    raw: bool,
}

impl Options {
    /// Options checking against `today`, strict, not raw.
    pub fn new(today: NaiveDate) -> Self {
        Options {
            today,
            lenient: false,
            raw: false,
        }
    }
    /// Lenient parsing.
    pub fn lenient(mut self, yes: bool) -> Self {
        self.lenient = yes;
        self
    }
    /// Scan: any QR code is a success.
    pub fn raw(mut self, yes: bool) -> Self {
        self.raw = yes;
        self
    }
}

/// The object `cccd parse --format json` prints for one payload.
pub struct ParseReport<'a> {
    result: Cow<'a, Result<Parsed<'a>, Error>>,
    knowledge: Option<Knowledge>,
}

impl<'a> ParseReport<'a> {
    /// The report of a parse result.
    pub fn new(result: &'a Result<Parsed<'a>, Error>, opts: &Options) -> Self {
        Self::from_cow(Cow::Borrowed(result), opts)
    }

    fn from_cow(result: Cow<'a, Result<Parsed<'a>, Error>>, opts: &Options) -> Self {
        let knowledge = (*result)
            .as_ref()
            .ok()
            .map(|p| knowledge(&p.card, opts.today));
        ParseReport { result, knowledge }
    }
}

/// Parses `payload` and reports the outcome.
pub fn validate<'a>(payload: &'a [u8], opts: &Options) -> ParseReport<'a> {
    let result = Parser::new().lenient(opts.lenient).parse_bytes(payload);
    ParseReport::from_cow(Cow::Owned(result), opts)
}

/// The JSON line `cccd parse --format json` prints for `payload` (no newline).
pub fn validate_json(payload: &[u8], opts: &Options) -> String {
    serde_json::to_string(&validate(payload, opts)).unwrap_or_default()
}

#[derive(Serialize)]
#[serde(untagged)]
enum View<'a> {
    Ok {
        ok: bool,
        layout: &'static str,
        card: &'a Card<'a>,
        repairs: &'a [Repair],
        #[serde(flatten)]
        knowledge: &'a Knowledge,
    },
    Failed {
        ok: bool,
        error: ErrorReport,
    },
}

impl Serialize for ParseReport<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match (self.result.as_ref(), &self.knowledge) {
            (Ok(parsed), Some(knowledge)) => View::Ok {
                ok: true,
                layout: parsed.card.layout().as_str(),
                card: &parsed.card,
                repairs: &parsed.repairs,
                knowledge,
            },
            (Err(e), _) => View::Failed {
                ok: false,
                error: ErrorReport::from(e),
            },
            (Ok(_), None) => unreachable!("a parsed card always has its knowledge"),
        }
        .serialize(s)
    }
}

#[derive(Serialize)]
struct ErrorReport {
    code: &'static str,
    field: Option<&'static str>,
    offset: usize,
    message: String,
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

#[derive(Serialize)]
struct Knowledge {
    id_info: IdInfo,
    expiry: ExpiryReport,
    expired: bool,
    full_name_ascii: String,
    warnings: Vec<WarningReport>,
}

#[derive(Serialize)]
struct IdInfo {
    birthplace: BirthplaceReport,
    century: u8,
    sex: &'static str,
    birth_year: i32,
}

#[derive(Serialize)]
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

#[derive(Serialize)]
struct ExpiryReport {
    date: Option<NaiveDate>,
    never: bool,
    law: &'static str,
}

#[derive(Serialize)]
struct WarningReport {
    code: &'static str,
    message: &'static str,
}

fn knowledge(card: &Card<'_>, today: NaiveDate) -> Knowledge {
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

/// The columns of `cccd parse --format csv`.
pub const PARSE_CSV_COLUMNS: &[&str] = &[
    "ok",
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
    "error.code",
    "error.field",
    "error.offset",
    "error.message",
];

/// The cells of the CSV row `cccd parse --format csv` prints for `report`.
pub fn csv_row(report: &ParseReport<'_>) -> Vec<String> {
    let value = serde_json::to_value(report).unwrap_or_default();
    PARSE_CSV_COLUMNS
        .iter()
        .map(|c| cell(lookup(&value, c)))
        .collect()
}

fn lookup<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('.')
        .try_fold(value, |v, key| v.as_object()?.get(key))
}

fn cell(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| match item {
                Value::Object(o) => o
                    .get("code")
                    .or_else(|| o.get("text"))
                    .map_or_else(|| item.to_string(), |v| cell(Some(v))),
                other => cell(Some(other)),
            })
            .collect::<Vec<_>>()
            .join(";"),
        Some(other) => other.to_string(),
    }
}

/// The object `cccd scan` prints for one image, without `"file"`.
#[derive(Serialize)]
pub struct ScanReport {
    ok: bool,
    elapsed_ms: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    codes: Option<Vec<CodeReport>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    layout: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    card: Option<Card<'static>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    repairs: Option<Vec<Repair>>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    knowledge: Option<Knowledge>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<ScanErrorReport>,
}

#[derive(Serialize)]
struct CodeReport {
    text: String,
    corners: [[f32; 2]; 4],
    engine: &'static str,
    step: &'static str,
}

impl From<&Code> for CodeReport {
    fn from(c: &Code) -> Self {
        CodeReport {
            text: c.text.clone(),
            corners: c.corners.map(|(x, y)| [x, y]),
            engine: c.engine.as_str(),
            step: c.step.as_str(),
        }
    }
}

#[derive(Serialize)]
struct ScanErrorReport {
    code: &'static str,
    message: String,
}

/// Scans encoded image bytes (PNG, JPEG, …).
pub fn scan(image: &[u8], opts: &Options) -> ScanReport {
    let scanner = Scanner::new();
    let start = Instant::now();
    if opts.raw {
        let r = scanner.scan_bytes(image);
        scan_report(r.map(|codes| (codes, None)), start, opts)
    } else {
        let r = scanner.scan_card_bytes(image);
        scan_report(r.map(|c| (c.codes, Some(c.parsed))), start, opts)
    }
}

/// Scans a decoded image.
pub fn scan_image(image: &image::DynamicImage, opts: &Options) -> ScanReport {
    let scanner = Scanner::new();
    let start = Instant::now();
    if opts.raw {
        let r = scanner.scan(image);
        scan_report(r.map(|codes| (codes, None)), start, opts)
    } else {
        let r = scanner.scan_card(image);
        scan_report(r.map(|c| (c.codes, Some(c.parsed))), start, opts)
    }
}

type Found = (Vec<Code>, Option<Parsed<'static>>);

fn scan_report(result: Result<Found, ScanError>, start: Instant, opts: &Options) -> ScanReport {
    let elapsed_ms = (start.elapsed().as_secs_f64() * 1e4).round() / 10.0;
    match result {
        Ok((codes, parsed)) => {
            let knowledge = parsed.as_ref().map(|p| knowledge(&p.card, opts.today));
            let (layout, card, repairs) = match parsed {
                Some(p) => (
                    Some(p.card.layout().as_str()),
                    Some(p.card),
                    Some(p.repairs),
                ),
                None => (None, None, None),
            };
            ScanReport {
                ok: true,
                elapsed_ms,
                codes: Some(codes.iter().map(CodeReport::from).collect()),
                layout,
                card,
                repairs,
                knowledge,
                error: None,
            }
        }
        Err(e) => ScanReport {
            ok: false,
            elapsed_ms,
            codes: None,
            layout: None,
            card: None,
            repairs: None,
            knowledge: None,
            error: Some(ScanErrorReport {
                code: e.code(),
                message: e.to_string(),
            }),
        },
    }
}
