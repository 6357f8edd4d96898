//! The report of one chip (`cccd chip`): the files read, each data group's record with its
//! personal values as [`Private`] values, the MRZ and DG13 cross-check, and the outcome of
//! passive authentication (feature `chip-pa`).

use serde::Serialize;

use super::redact::{Personal, Private};
use super::{ErrorReport, FieldSlot};
use crate::{Chip, ChipError, ChipExpiry, ChipRecord, ChipWarning, Com, ImageFormat};

/// The columns of `cccd chip --format csv`, in order.
pub const CHIP_COLUMNS: &[&str] = &[
    "dir",
    "ok",
    "files",
    "mrz.valid",
    "dg13.id_number",
    "dg13.full_name",
    "dg13.date_of_birth",
    "dg13.sex",
    "dg13.nationality",
    "dg13.place_of_residence",
    "dg13.issue_date",
    "dg13.expiry",
    "face.format",
    "face.len",
    "warnings",
    "passive_authentication.outcome",
    "passive_authentication.mismatched",
    "passive_authentication.reason",
    "error.code",
    "error.field",
    "error.offset",
    "error.message",
];

/// The object printed for one chip: its records, or the error that stopped reading it.
#[derive(Debug, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum ChipReport {
    /// The files were read.
    Ok {
        /// The folder (or other source) the files came from, as the caller named it.
        #[serde(skip_serializing_if = "Option::is_none")]
        dir: Option<String>,
        /// Always `true`.
        ok: bool,
        /// What the chip holds.
        #[serde(flatten)]
        chip: Box<ChipFacts>,
    },
    /// A file could not be read or parsed.
    Failed {
        /// The source, as for `Ok`.
        #[serde(skip_serializing_if = "Option::is_none")]
        dir: Option<String>,
        /// Always `false`.
        ok: bool,
        /// What went wrong: `field` is the file (`dg13`), `offset` the byte in it.
        error: ErrorReport,
    },
}

/// What a chip holds, as reported.
#[derive(Debug, Serialize)]
#[non_exhaustive]
pub struct ChipFacts {
    /// The files read (`com`, `dg1`, …).
    pub files: Vec<&'static str>,
    /// EF.COM (no personal data).
    pub com: Option<Com>,
    /// DG1's MRZ.
    pub mrz: Option<ChipMrzReport>,
    /// DG13.
    pub dg13: Option<Dg13Report>,
    /// DG2's face: format and size, never the image.
    pub face: Option<FaceReport>,
    /// DG13 against DG1's MRZ (`chip_mrz_*`).
    pub warnings: Vec<ChipWarning>,
    /// Passive authentication (feature `chip-pa`); `chain_not_verified` without a trust
    /// anchor.
    #[cfg(feature = "chip-pa")]
    pub passive_authentication: Option<crate::PaReport>,
}

/// DG1's MRZ: its lines (withheld when redacted) and whether the MRZ parser accepts them.
#[derive(Debug, Serialize)]
#[non_exhaustive]
pub struct ChipMrzReport {
    /// The three lines.
    pub lines: Vec<Private<'static>>,
    /// Whether `cccd::mrz::parse` accepts it (every check digit).
    pub valid: bool,
    /// Why not (no personal data), or `null`.
    pub error: Option<String>,
}

/// DG2's first face: never its bytes.
#[derive(Debug, Serialize)]
#[non_exhaustive]
pub struct FaceReport {
    /// `jpeg`, `jpeg2000` or `unknown`.
    pub format: ImageFormat,
    /// Width in pixels (declared).
    pub width: u16,
    /// Height in pixels (declared).
    pub height: u16,
    /// The image's length in bytes.
    pub len: usize,
}

/// DG13 with every personal value typed for redaction: ID number (masked), names (initials),
/// places (last part), dates of birth and expiry (the year), ethnicity, religion, identifying
/// marks and raw entries (withheld).
#[derive(Debug, Serialize)]
#[non_exhaustive]
#[allow(missing_docs)] // the keys are DG13's entries, documented on `Dg13`
pub struct Dg13Report {
    pub id_number: Option<Private<'static>>,
    pub full_name: Option<Private<'static>>,
    pub date_of_birth: Option<Private<'static>>,
    pub sex: Option<&'static str>,
    pub nationality: Option<String>,
    pub ethnicity: Option<Private<'static>>,
    pub religion: Option<Private<'static>>,
    pub place_of_origin: Option<Private<'static>>,
    pub place_of_residence: Option<Private<'static>>,
    pub identifying_marks: Option<Private<'static>>,
    pub issue_date: Option<crate::NaiveDate>,
    pub expiry: Option<Private<'static>>,
    pub father_name: Option<Private<'static>>,
    pub mother_name: Option<Private<'static>>,
    pub spouse_name: Option<Private<'static>>,
    pub raw_entries: Vec<RawEntryReport>,
}

/// A DG13 entry kept raw: its number, why, and its texts (withheld when redacted).
#[derive(Debug, Serialize)]
#[non_exhaustive]
pub struct RawEntryReport {
    /// The entry number.
    pub number: u32,
    /// `disputed`, `unknown`, `invalid_value` or `duplicate`.
    pub reason: &'static str,
    /// Its text values.
    pub texts: Vec<Private<'static>>,
}

fn text(kind: Personal, value: Option<&str>, redact: bool) -> Option<Private<'static>> {
    value.map(|v| Private::text(kind, v.to_owned(), redact))
}

impl Dg13Report {
    fn new(dg: &crate::Dg13, r: bool) -> Dg13Report {
        Dg13Report {
            id_number: text(Personal::IdNumber, dg.id_number().map(|i| i.as_str()), r),
            full_name: text(Personal::Name, dg.full_name(), r),
            date_of_birth: dg.date_of_birth().map(|d| Private::birthday(d, r)),
            sex: dg.sex().map(|s| s.as_str()),
            nationality: dg.nationality().map(str::to_owned),
            ethnicity: text(Personal::Withheld, dg.ethnicity(), r),
            religion: text(Personal::Withheld, dg.religion(), r),
            place_of_origin: text(Personal::Address, dg.place_of_origin(), r),
            place_of_residence: text(Personal::Address, dg.place_of_residence(), r),
            identifying_marks: text(Personal::Withheld, dg.identifying_marks(), r),
            issue_date: dg.issue_date(),
            expiry: dg.expiry().map(|e| match e {
                ChipExpiry::On(d) => Private::birthday(d, r),
                _ => Private::text(Personal::Withheld, "never", false),
            }),
            father_name: text(Personal::Name, dg.father_name(), r),
            mother_name: text(Personal::Name, dg.mother_name(), r),
            spouse_name: text(Personal::Name, dg.spouse_name(), r),
            raw_entries: dg
                .raw_entries()
                .iter()
                .map(|e| RawEntryReport {
                    number: e.number(),
                    reason: e.reason().as_str(),
                    texts: e
                        .texts()
                        .iter()
                        .map(|t| Private::text(Personal::Withheld, t.clone(), r))
                        .collect(),
                })
                .collect(),
        }
    }
}

impl From<&ChipError> for ErrorReport {
    fn from(e: &ChipError) -> Self {
        ErrorReport {
            code: e.code(),
            reason: Some(e.code()),
            field: FieldSlot::Field(e.file().name()),
            offset: Some(e.offset()),
            message: e.to_string(),
        }
    }
}

impl ChipReport {
    /// The report of a chip (or of the error reading it), with passive authentication against
    /// `anchors` (none: at most `chain_not_verified`), personal values redacted when `redact`
    /// is set (the only option a chip report has: no reference date enters it). `dir` names
    /// the source in the report.
    pub fn new(
        dir: Option<String>,
        chip: Result<&Chip, &ChipError>,
        #[cfg(feature = "chip-pa")] anchors: &crate::TrustAnchors,
        redact: bool,
    ) -> ChipReport {
        let chip = match chip {
            Ok(c) => c,
            Err(e) => {
                return ChipReport::Failed {
                    dir,
                    ok: false,
                    error: e.into(),
                }
            }
        };
        let record: ChipRecord = match chip.read() {
            Ok(r) => r,
            Err(e) => {
                return ChipReport::Failed {
                    dir,
                    ok: false,
                    error: (&e).into(),
                }
            }
        };
        let r = redact;
        let parsed_mrz = record.dg1.as_ref().map(crate::Dg1::parse_mrz);
        let mut warnings = Vec::new();
        if let (Some(Ok(mrz)), Some(dg13)) = (&parsed_mrz, &record.dg13) {
            warnings = dg13.check_mrz(mrz);
        }
        let mrz = record.dg1.as_ref().map(|dg1| ChipMrzReport {
            lines: dg1
                .mrz_lines()
                .into_iter()
                .map(|l| Private::text(Personal::Withheld, l.to_owned(), r))
                .collect(),
            valid: matches!(parsed_mrz, Some(Ok(_))),
            error: match &parsed_mrz {
                Some(Err(e)) => Some(e.to_string()),
                _ => None,
            },
        });
        let face = record.dg2.as_ref().map(|dg2| {
            let f = dg2.face();
            FaceReport {
                format: f.format(),
                width: f.width(),
                height: f.height(),
                len: f.image().len(),
            }
        });
        ChipReport::Ok {
            dir,
            ok: true,
            chip: Box::new(ChipFacts {
                files: chip.files().map(|(f, _)| f.name()).collect(),
                dg13: record.dg13.as_ref().map(|d| Dg13Report::new(d, r)),
                com: record.com,
                mrz,
                face,
                warnings,
                #[cfg(feature = "chip-pa")]
                passive_authentication: Some(chip.verify(anchors)),
            }),
        }
    }

    /// Whether the files were read and parsed.
    pub fn is_ok(&self) -> bool {
        matches!(self, ChipReport::Ok { .. })
    }

    /// Whether the chip was read with a warning, or (feature `chip-pa`) passive
    /// authentication said anything but `verified`.
    pub fn has_warnings(&self) -> bool {
        match self {
            ChipReport::Ok { chip, .. } => {
                #[cfg(feature = "chip-pa")]
                let pa = chip
                    .passive_authentication
                    .as_ref()
                    .is_some_and(|p| !p.is_verified());
                #[cfg(not(feature = "chip-pa"))]
                let pa = false;
                !chip.warnings.is_empty() || pa
            }
            ChipReport::Failed { .. } => false,
        }
    }
}
