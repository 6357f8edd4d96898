//! TEMPORARY stand-in for the library's `cccd::report` (being written on main): the same
//! names and signatures (`Options`, `validate_json`, `scan_json`), with the objects that
//! `src/bin/cccd/output.rs` and `src/bin/cccd/scan.rs` print today. This file goes away when
//! main has `cccd::report`; the glue then says `use cccd::report`.

use cccd::{Birthplace, Card, Code, Error, NaiveDate, Parsed, Parser, Repair, Scanner};
use serde::Serialize;

/// How to validate or scan.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    today: NaiveDate,
    lenient: bool,
    raw: bool,
}

impl Options {
    /// Strict, not raw, checks against `today`.
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

    /// Scan only: any QR code is a success.
    pub fn raw(mut self, yes: bool) -> Self {
        self.raw = yes;
        self
    }
}

/// The machine-readable reason of an error (the library will have `Error::reason()`).
pub fn reason(_e: &Error) -> &'static str {
    ""
}

/// The JSON line (without newline) `cccd parse --format json` prints for `payload`.
pub fn validate_json(payload: &[u8], opts: &Options) -> String {
    let result = Parser::new().lenient(opts.lenient).parse_bytes(payload);
    serde_json::to_string(&ParseReport::new(&result, opts.today)).unwrap_or_default()
}

/// The object `cccd scan` prints for an encoded image, without `"file"`.
pub fn scan_json(image: &[u8], opts: &Options) -> String {
    let scanner = Scanner::new();
    let start = std::time::Instant::now();
    let result = if opts.raw {
        scanner.scan_bytes(image).map(|codes| (codes, None))
    } else {
        scanner
            .scan_card_bytes(image)
            .map(|c| (c.codes.clone(), Some(c)))
    };
    let elapsed_ms = (start.elapsed().as_secs_f64() * 1e4).round() / 10.0;
    let card = result.as_ref().ok().and_then(|(_, c)| c.as_ref());
    let report = ScanReport {
        ok: result.is_ok(),
        elapsed_ms,
        codes: result
            .as_ref()
            .ok()
            .map(|(codes, _)| codes.iter().map(CodeReport::from).collect()),
        layout: card.map(|c| c.parsed.card.layout().as_str()),
        card: card.map(|c| &c.parsed.card),
        repairs: card.map(|c| c.parsed.repairs.as_slice()),
        knowledge: card.map(|c| knowledge(&c.parsed.card, opts.today)),
        error: result.as_ref().err().map(|e| ScanErrorReport {
            code: e.code(),
            message: e.to_string(),
        }),
    };
    serde_json::to_string(&report).unwrap_or_default()
}

#[derive(Serialize)]
struct CodeReport<'a> {
    text: &'a str,
    corners: [[f32; 2]; 4],
    engine: &'static str,
    step: &'static str,
}

impl<'a> From<&'a Code> for CodeReport<'a> {
    fn from(c: &'a Code) -> Self {
        CodeReport {
            text: &c.text,
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

#[derive(Serialize)]
struct ScanReport<'a> {
    ok: bool,
    elapsed_ms: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    codes: Option<Vec<CodeReport<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    layout: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    card: Option<&'a Card<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    repairs: Option<&'a [Repair]>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    knowledge: Option<Knowledge>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<ScanErrorReport>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum ParseReport<'a> {
    Ok {
        ok: bool,
        layout: &'static str,
        card: &'a Card<'a>,
        repairs: &'a [Repair],
        #[serde(flatten)]
        knowledge: Knowledge,
    },
    Failed {
        ok: bool,
        error: ErrorReport,
    },
}

#[derive(Serialize)]
struct ErrorReport {
    code: &'static str,
    field: Option<&'static str>,
    offset: usize,
    message: String,
}

impl<'a> ParseReport<'a> {
    fn new(result: &'a Result<Parsed<'a>, Error>, today: NaiveDate) -> Self {
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
                error: ErrorReport {
                    code: e.code().as_str(),
                    field: e.field().map(|f| f.as_str()),
                    offset: e.offset(),
                    message: e.to_string(),
                },
            },
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
