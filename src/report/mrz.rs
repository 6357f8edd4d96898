//! The report of an MRZ (`cccd mrz`): the record with its personal values redacted by type,
//! the repairs, what the rules say about the holder, or the error.

use serde::Serialize;

use super::redact::{Personal, Private};
use super::{Options, WarningReport};
use crate::mrz::{CheckDigits, Error, Mrz, Parsed, Parser, Repair};
use crate::{CrossCode, CrossWarning};

/// The columns of `cccd mrz --format csv`, in order.
pub const MRZ_COLUMNS: &[&str] = &[
    "ok",
    "mrz.document_code",
    "mrz.issuing_state",
    "mrz.document_number",
    "mrz.id_number",
    "mrz.date_of_birth",
    "mrz.sex",
    "mrz.expiry_date",
    "mrz.expires_never",
    "mrz.nationality",
    "mrz.surname",
    "mrz.given_names",
    "mrz.name_truncated",
    "mrz.check_digits.document_number",
    "mrz.check_digits.id_number",
    "mrz.check_digits.date_of_birth",
    "mrz.check_digits.expiry_date",
    "mrz.check_digits.composite",
    "repairs",
    "expired",
    "warnings",
    "error.code",
    "error.field",
    "error.reason",
    "error.line",
    "error.column",
    "error.message",
];

/// The object printed for one MRZ: the record, or the error. Serialises to the JSON contract
/// of `cccd mrz`.
#[derive(Debug, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum MrzReport {
    /// An MRZ that parsed.
    Ok {
        /// Always `true`.
        ok: bool,
        /// The record (personal values redacted when asked).
        mrz: Box<MrzRecordReport>,
        /// The repairs, in the order applied (`{"code", "line", "column"}`).
        repairs: Vec<Repair>,
        /// Whether the printed expiry is on or before the reference date.
        expired: bool,
        /// What the rules say about the holder ([`crate::Holder::check`], without the checks
        /// that need an issue date) and `mrz_document_number_mismatch`.
        warnings: Vec<MrzWarningReport>,
    },
    /// An MRZ that did not parse.
    Failed {
        /// Always `false`.
        ok: bool,
        /// What went wrong (`code`, `field`, `reason`, `line`, `column`, `message`).
        error: Error,
    },
}

/// The `"mrz"` object: the fields of [`Mrz`], personal ones as [`Private`] values.
#[derive(Debug, Serialize)]
#[non_exhaustive]
pub struct MrzRecordReport {
    /// `ID`.
    pub document_code: String,
    /// `VNM`.
    pub issuing_state: String,
    /// Kind [`Personal::IdNumber`].
    pub document_number: Private<'static>,
    /// Kind [`Personal::IdNumber`].
    pub id_number: Private<'static>,
    /// Kind [`Personal::Birthday`].
    pub date_of_birth: Private<'static>,
    /// `male` or `female`.
    pub sex: &'static str,
    /// Kind [`Personal::Birthday`] (an expiry falls on a birthday); `null` for never.
    pub expiry_date: Option<Private<'static>>,
    /// Whether the printed expiry is `991231`.
    pub expires_never: bool,
    /// `VNM`.
    pub nationality: String,
    /// Kind [`Personal::Name`].
    pub surname: Private<'static>,
    /// Kind [`Personal::Name`].
    pub given_names: Private<'static>,
    /// Whether the name fills the line (it may have been cut).
    pub name_truncated: bool,
    /// The five check digits' results.
    pub check_digits: CheckDigits,
}

impl MrzRecordReport {
    /// The record's report, redacted when `redact` is set.
    pub fn new(mrz: &Mrz, redact: bool) -> Self {
        let text = |kind, s: &str| Private::text(kind, s.to_owned(), redact);
        MrzRecordReport {
            document_code: mrz.document_code().to_owned(),
            issuing_state: mrz.issuing_state().to_owned(),
            document_number: text(Personal::IdNumber, mrz.document_number()),
            id_number: text(Personal::IdNumber, mrz.id_number().as_str()),
            date_of_birth: Private::birthday(mrz.date_of_birth(), redact),
            sex: mrz.sex().as_str(),
            expiry_date: mrz.expiry_date().map(|d| Private::birthday(d, redact)),
            expires_never: mrz.expires_never(),
            nationality: mrz.nationality().to_owned(),
            surname: text(Personal::Name, mrz.surname()),
            given_names: text(Personal::Name, mrz.given_names()),
            name_truncated: mrz.name_truncated(),
            check_digits: mrz.check_digits(),
        }
    }
}

/// One object of an MRZ report's `"warnings"`: `{"code", "message"}`, from the holder rules
/// or the cross-checks.
#[derive(Clone, Copy, Debug, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum MrzWarningReport {
    /// A rule over the holder ([`crate::WarningCode`]).
    Rule(WarningReport),
    /// A disagreement between records ([`CrossCode`]).
    Cross(CrossWarning),
}

impl MrzReport {
    /// The report of an MRZ parse result, checked against `opts.today`.
    pub fn new(result: Result<Parsed, Error>, opts: &Options) -> Self {
        match result {
            Ok(parsed) => {
                let mrz = &parsed.mrz;
                let mut warnings: Vec<MrzWarningReport> = mrz
                    .holder()
                    .check(opts.today)
                    .into_iter()
                    .map(|w| MrzWarningReport::Rule(WarningReport(w)))
                    .collect();
                if mrz.document_number() != &mrz.id_number().as_str()[3..] {
                    warnings.push(MrzWarningReport::Cross(CrossWarning::new(
                        CrossCode::MrzDocumentNumberMismatch,
                    )));
                }
                MrzReport::Ok {
                    ok: true,
                    mrz: Box::new(MrzRecordReport::new(mrz, opts.redact)),
                    expired: mrz.expiry_date().is_some_and(|d| d <= opts.today),
                    repairs: parsed.repairs,
                    warnings,
                }
            }
            Err(error) => MrzReport::Failed { ok: false, error },
        }
    }

    /// Whether the MRZ parsed.
    pub fn is_ok(&self) -> bool {
        matches!(self, MrzReport::Ok { .. })
    }

    /// Whether the MRZ parsed with repairs.
    pub fn is_repaired(&self) -> bool {
        matches!(self, MrzReport::Ok { repairs, .. } if !repairs.is_empty())
    }

    /// Whether the MRZ parsed and the checks found something.
    pub fn has_warnings(&self) -> bool {
        matches!(self, MrzReport::Ok { warnings, .. } if !warnings.is_empty())
    }
}

impl Options {
    /// The MRZ parser these options ask for.
    pub fn mrz_parser(&self) -> Parser {
        Parser::new().lenient(self.lenient)
    }
}

/// Parses `input` as an MRZ as the options say and reports it: the object `cccd mrz` prints.
///
/// ```
/// use cccd::report::{self, Options};
/// let today = cccd::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
/// let mrz = b"IDVNM2030123450079203012345<<0\n0302014M2802013VNM<<<<<<<<<<<4\nNGUYEN<<VAN<AN<<<<<<<<<<<<<<<<";
/// let json = report::mrz_json(mrz, &Options::new(today).redact(true));
/// assert!(json.starts_with(r#"{"ok":true,"mrz":{"document_code":"ID","issuing_state":"VNM","document_number":"203******","id_number":"079*********","date_of_birth":"[redacted]","sex":"male","expiry_date":"[redacted]""#));
/// assert!(json.contains(r#""surname":"N.","given_names":"V. A.""#) && !json.contains("NGUYEN"));
/// ```
pub fn mrz(input: &[u8], opts: &Options) -> MrzReport {
    MrzReport::new(opts.mrz_parser().parse_bytes(input), opts)
}

/// The JSON line (without a newline) that `cccd mrz --format json` prints for `input`.
pub fn mrz_json(input: &[u8], opts: &Options) -> String {
    super::to_json(&mrz(input, opts))
}
