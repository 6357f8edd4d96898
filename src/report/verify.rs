//! The report of one card read through several records (`cccd verify`): each record's own
//! report, as `cccd parse`, `cccd mrz` and `cccd chip` print it, and every disagreement
//! between them.

use serde::Serialize;

use super::{ChipReport, MrzReport, Options, ParseReport};
use crate::mrz::Mrz;
use crate::{Card, Chip, ChipError, ChipRecord, ChipWarning, CrossWarning};

/// The columns of `cccd verify --format csv`, in order.
pub const VERIFY_COLUMNS: &[&str] = &[
    "ok",
    "consistent",
    "records",
    "cross_checks",
    "qr.ok",
    "qr.error.code",
    "qr.warnings",
    "mrz.ok",
    "mrz.error.code",
    "mrz.warnings",
    "chip.ok",
    "chip.error.code",
    "chip.passive_authentication.outcome",
    "chip.passive_authentication.mismatched",
];

/// The records of one card given to [`verify`]: any of the QR payload, the MRZ printed on
/// the back and the chip's files.
///
/// ```
/// let qr = "079203012345||Nguyễn Văn An|01022003|Nam|Hà Nội|15082021";
/// let records = cccd::report::Records::new()
///     .qr(qr.as_bytes())
///     .mrz(None) // not read: the same as leaving it out
///     .chip_dir("no-such-folder"); // reported as the chip's error
/// # let _ = records;
/// ```
#[derive(Debug, Default)]
pub struct Records<'a> {
    qr: Option<&'a [u8]>,
    mrz: Option<&'a [u8]>,
    chip: Option<(Option<String>, Result<Chip, ChipError>)>,
}

impl<'a> Records<'a> {
    /// No record yet.
    pub fn new() -> Self {
        Records::default()
    }

    /// The QR payload's bytes (`None`: none).
    pub fn qr(mut self, payload: impl Into<Option<&'a [u8]>>) -> Self {
        self.qr = payload.into();
        self
    }

    /// The MRZ printed on the back, three lines as `cccd mrz` reads them (`None`: none).
    pub fn mrz(mut self, lines: impl Into<Option<&'a [u8]>>) -> Self {
        self.mrz = lines.into();
        self
    }

    /// The chip's files, already in memory (from a reader, or [`Chip::from_files`]).
    pub fn chip(mut self, chip: Chip) -> Self {
        self.chip = Some((None, Ok(chip)));
        self
    }

    /// The chip's files in the folder `dir` ([`Chip::from_dir`]); the report names the
    /// folder (`chip.dir`), and a folder that does not read is the chip's error.
    pub fn chip_dir(mut self, dir: impl AsRef<std::path::Path>) -> Self {
        let dir = dir.as_ref();
        self.chip = Some((Some(dir.display().to_string()), Chip::from_dir(dir)));
        self
    }
}

/// The object `cccd verify` prints: each record's report and the cross-checks.
#[derive(Debug, Serialize)]
#[non_exhaustive]
pub struct VerifyReport<'a> {
    /// Every record given was read.
    pub ok: bool,
    /// Every record given was read and no two of them disagree (`cross_checks` is empty).
    /// Says nothing about passive authentication: see `chip.passive_authentication`.
    pub consistent: bool,
    /// The records given: `qr`, `mrz`, `chip`, in that order.
    pub records: Vec<&'static str>,
    /// The QR payload's report, as `cccd parse` prints it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qr: Option<ParseReport<'a>>,
    /// The MRZ's report, as `cccd mrz` prints it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mrz: Option<MrzReport>,
    /// The chip's report, as `cccd chip` prints it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chip: Option<ChipReport>,
    /// Every disagreement between two records that were read, in a fixed order: QR and MRZ,
    /// QR and DG13 (or DG1 when the chip has no DG13), DG13 and DG1, the printed MRZ and DG1.
    pub cross_checks: Vec<CrossCheck>,
}

/// One disagreement between two records of the card: the warning's stable code and fixed
/// message (no personal data), and which records disagree.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct CrossCheck {
    /// `mrz_*` ([`CrossCode`](crate::CrossCode)) or `chip_*`
    /// ([`ChipWarningCode`](crate::ChipWarningCode)).
    pub code: &'static str,
    /// The fixed message.
    pub message: &'static str,
    /// The two records: `qr`, `mrz`, `chip.dg1`, `chip.dg13`.
    pub between: [&'static str; 2],
}

impl CrossCheck {
    fn mrz(w: CrossWarning, between: [&'static str; 2]) -> Self {
        CrossCheck {
            code: w.code().as_str(),
            message: w.message(),
            between,
        }
    }

    fn chip(w: ChipWarning, between: [&'static str; 2]) -> Self {
        CrossCheck {
            code: w.code().as_str(),
            message: w.message(),
            between,
        }
    }
}

/// Reads each record given, reports it as its own command would, and cross-checks every
/// pair that was read: the QR payload against the MRZ ([`mrz::cross_check`](crate::mrz::cross_check)),
/// against DG13 ([`Dg13::check_card`](crate::Dg13::check_card)) or, without DG13, against
/// DG1's MRZ; DG13 against DG1 ([`Dg13::check_mrz`](crate::Dg13::check_mrz)); the printed MRZ
/// against DG1 ([`Dg1::check_printed`](crate::Dg1::check_printed)). Passive authentication
/// runs against `anchors` (feature `chip-pa`) as for `cccd chip`.
///
/// ```
/// use cccd::report::{self, Options, Records};
/// let today = cccd::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
/// let qr = "079203012345||Nguyễn Văn Anh|01022003|Nam|Hà Nội|15082021";
/// let mrz = "IDVNM2030123450079203012345<<0\n0302014M2802013VNM<<<<<<<<<<<4\nNGUYEN<<VAN<AN<<<<<<<<<<<<<<<<";
/// let records = Records::new().qr(qr.as_bytes()).mrz(mrz.as_bytes());
/// # #[cfg(feature = "chip-pa")]
/// # let report = report::verify(records, &cccd::TrustAnchors::new(), &Options::new(today));
/// # #[cfg(not(feature = "chip-pa"))]
/// let report = report::verify(records, &Options::new(today));
/// assert!(report.ok && !report.consistent);
/// assert_eq!(report.cross_checks[0].code, "mrz_name_mismatch");
/// assert_eq!(report.cross_checks[0].between, ["qr", "mrz"]);
/// ```
pub fn verify<'a>(
    records: Records<'a>,
    #[cfg(feature = "chip-pa")] anchors: &crate::TrustAnchors,
    opts: &Options,
) -> VerifyReport<'a> {
    let mut given = Vec::new();
    let mut ok = true;

    let mut card: Option<Card<'a>> = None;
    let qr = records.qr.map(|payload| {
        given.push("qr");
        let parsed = opts.parser().parse_bytes(payload);
        if let Ok(p) = &parsed {
            card = Some(p.card.clone());
        }
        let report = ParseReport::new(parsed, opts);
        ok &= report.is_ok();
        report
    });

    let mut printed: Option<Mrz> = None;
    let mrz = records.mrz.map(|lines| {
        given.push("mrz");
        let parsed = opts.mrz_parser().parse_bytes(lines);
        if let Ok(p) = &parsed {
            printed = Some(p.mrz.clone());
        }
        let report = MrzReport::new(parsed, opts);
        ok &= report.is_ok();
        report
    });

    let mut chip_record: Option<ChipRecord> = None;
    let chip = records.chip.map(|(source, chip)| {
        given.push("chip");
        chip_record = chip.as_ref().ok().and_then(|c| c.read().ok());
        let report = ChipReport::new(
            source,
            chip.as_ref(),
            #[cfg(feature = "chip-pa")]
            anchors,
            opts.redact,
        );
        ok &= report.is_ok();
        report
    });

    let cross_checks = cross_checks(card.as_ref(), printed.as_ref(), chip_record.as_ref());
    VerifyReport {
        ok,
        consistent: ok && cross_checks.is_empty(),
        records: given,
        qr,
        mrz,
        chip,
        cross_checks,
    }
}

/// The JSON line (without a newline) that `cccd verify --format json` prints.
pub fn verify_json(
    records: Records<'_>,
    #[cfg(feature = "chip-pa")] anchors: &crate::TrustAnchors,
    opts: &Options,
) -> String {
    super::to_json(&verify(
        records,
        #[cfg(feature = "chip-pa")]
        anchors,
        opts,
    ))
}

fn cross_checks(
    card: Option<&Card<'_>>,
    printed: Option<&Mrz>,
    chip: Option<&ChipRecord>,
) -> Vec<CrossCheck> {
    let mut out = Vec::new();
    let dg1 = chip.and_then(|c| c.dg1.as_ref());
    let dg1_mrz = dg1.and_then(|d| d.parse_mrz().ok());
    let dg13 = chip.and_then(|c| c.dg13.as_ref());
    if let (Some(card), Some(printed)) = (card, printed) {
        let found = crate::mrz::cross_check(card, printed);
        out.extend(found.into_iter().map(|w| CrossCheck::mrz(w, ["qr", "mrz"])));
    }
    if let Some(card) = card {
        if let Some(dg13) = dg13 {
            let found = dg13.check_card(card);
            out.extend(
                found
                    .into_iter()
                    .map(|w| CrossCheck::chip(w, ["qr", "chip.dg13"])),
            );
        } else if let Some(dg1_mrz) = &dg1_mrz {
            let found = crate::mrz::cross_check(card, dg1_mrz);
            out.extend(
                found
                    .into_iter()
                    .map(|w| CrossCheck::mrz(w, ["qr", "chip.dg1"])),
            );
        }
    }
    if let (Some(dg13), Some(dg1_mrz)) = (dg13, &dg1_mrz) {
        let found = dg13.check_mrz(dg1_mrz);
        out.extend(
            found
                .into_iter()
                .map(|w| CrossCheck::chip(w, ["chip.dg13", "chip.dg1"])),
        );
    }
    if let (Some(printed), Some(dg1)) = (printed, dg1) {
        let found = dg1.check_printed(printed);
        out.extend(
            found
                .into_iter()
                .map(|w| CrossCheck::chip(w, ["mrz", "chip.dg1"])),
        );
    }
    out
}

impl VerifyReport<'_> {
    /// Whether any record was read with a repair.
    pub fn is_repaired(&self) -> bool {
        self.qr.as_ref().is_some_and(ParseReport::is_repaired)
            || self.mrz.as_ref().is_some_and(MrzReport::is_repaired)
    }

    /// Whether anything calls for a look: a disagreement, a record's own warning, or
    /// (feature `chip-pa`) passive authentication other than `verified`.
    pub fn has_warnings(&self) -> bool {
        !self.cross_checks.is_empty()
            || self.qr.as_ref().is_some_and(ParseReport::has_warnings)
            || self.mrz.as_ref().is_some_and(MrzReport::has_warnings)
            || self.chip.as_ref().is_some_and(ChipReport::has_warnings)
    }
}
