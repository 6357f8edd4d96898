//! Cross-checks between the chip's DG13 and the QR payload.

use std::fmt;

use unicode_normalization::UnicodeNormalization;

use super::dg13::Dg13;
use crate::Card;

/// What a chip cross-check found to disagree. Stable codes, fixed messages, no personal data
/// (the same scheme as [`WarningCode`](crate::WarningCode)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ChipWarningCode {
    /// DG13's ID number differs from the QR payload's.
    ChipIdMismatch,
    /// DG13's full name differs from the QR payload's (compared after Unicode NFC
    /// normalisation and whitespace collapsing; case and diacritics count).
    ChipNameMismatch,
    /// DG13's date of birth differs from the QR payload's.
    ChipBirthDateMismatch,
    /// DG13's sex differs from the QR payload's.
    ChipSexMismatch,
    /// DG13's place of residence differs from the QR payload's address (normalised as names).
    ChipAddressMismatch,
    /// DG13's issue date differs from the QR payload's.
    ChipIssueDateMismatch,
    /// DG1's MRZ holds another ID number than DG13.
    ChipMrzIdMismatch,
    /// DG1's MRZ holds another date of birth than DG13.
    ChipMrzBirthDateMismatch,
    /// DG1's MRZ holds another sex than DG13.
    ChipMrzSexMismatch,
    /// DG1's MRZ name is not DG13's name folded to ASCII (or, when the MRZ cut it, its start).
    ChipMrzNameMismatch,
    /// DG1's MRZ expiry is not DG13's (`991231` for a card that never expires).
    ChipMrzExpiryMismatch,
    /// DG1's MRZ is not the MRZ printed on the back of the card (as read by
    /// [`mrz::parse`](crate::mrz::parse), repairs applied).
    ChipMrzPrintedMismatch,
}

impl ChipWarningCode {
    /// Every code, in the order the checks report them.
    pub const ALL: [ChipWarningCode; 12] = [
        ChipWarningCode::ChipIdMismatch,
        ChipWarningCode::ChipNameMismatch,
        ChipWarningCode::ChipBirthDateMismatch,
        ChipWarningCode::ChipSexMismatch,
        ChipWarningCode::ChipAddressMismatch,
        ChipWarningCode::ChipIssueDateMismatch,
        ChipWarningCode::ChipMrzIdMismatch,
        ChipWarningCode::ChipMrzBirthDateMismatch,
        ChipWarningCode::ChipMrzSexMismatch,
        ChipWarningCode::ChipMrzNameMismatch,
        ChipWarningCode::ChipMrzExpiryMismatch,
        ChipWarningCode::ChipMrzPrintedMismatch,
    ];

    /// The code as used in JSON: `chip_id_mismatch`, `chip_name_mismatch`,
    /// `chip_birth_date_mismatch`, `chip_sex_mismatch`, `chip_address_mismatch`,
    /// `chip_issue_date_mismatch`, `chip_mrz_id_mismatch`, `chip_mrz_birth_date_mismatch`,
    /// `chip_mrz_sex_mismatch`, `chip_mrz_name_mismatch`, `chip_mrz_expiry_mismatch`,
    /// `chip_mrz_printed_mismatch`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ChipWarningCode::ChipIdMismatch => "chip_id_mismatch",
            ChipWarningCode::ChipNameMismatch => "chip_name_mismatch",
            ChipWarningCode::ChipBirthDateMismatch => "chip_birth_date_mismatch",
            ChipWarningCode::ChipSexMismatch => "chip_sex_mismatch",
            ChipWarningCode::ChipAddressMismatch => "chip_address_mismatch",
            ChipWarningCode::ChipIssueDateMismatch => "chip_issue_date_mismatch",
            ChipWarningCode::ChipMrzIdMismatch => "chip_mrz_id_mismatch",
            ChipWarningCode::ChipMrzBirthDateMismatch => "chip_mrz_birth_date_mismatch",
            ChipWarningCode::ChipMrzSexMismatch => "chip_mrz_sex_mismatch",
            ChipWarningCode::ChipMrzNameMismatch => "chip_mrz_name_mismatch",
            ChipWarningCode::ChipMrzExpiryMismatch => "chip_mrz_expiry_mismatch",
            ChipWarningCode::ChipMrzPrintedMismatch => "chip_mrz_printed_mismatch",
        }
    }

    /// The fixed human-readable message.
    pub const fn message(self) -> &'static str {
        match self {
            ChipWarningCode::ChipIdMismatch => "the chip's ID number differs from the QR code's",
            ChipWarningCode::ChipNameMismatch => "the chip's full name differs from the QR code's",
            ChipWarningCode::ChipBirthDateMismatch => {
                "the chip's date of birth differs from the QR code's"
            }
            ChipWarningCode::ChipSexMismatch => "the chip's sex differs from the QR code's",
            ChipWarningCode::ChipAddressMismatch => {
                "the chip's place of residence differs from the QR code's address"
            }
            ChipWarningCode::ChipIssueDateMismatch => {
                "the chip's issue date differs from the QR code's"
            }
            ChipWarningCode::ChipMrzIdMismatch => {
                "the chip's MRZ (DG1) and DG13 hold different ID numbers"
            }
            ChipWarningCode::ChipMrzBirthDateMismatch => {
                "the chip's MRZ (DG1) and DG13 hold different dates of birth"
            }
            ChipWarningCode::ChipMrzSexMismatch => {
                "the chip's MRZ (DG1) and DG13 hold different sexes"
            }
            ChipWarningCode::ChipMrzNameMismatch => {
                "the chip's MRZ (DG1) and DG13 hold different names"
            }
            ChipWarningCode::ChipMrzExpiryMismatch => {
                "the chip's MRZ (DG1) and DG13 hold different expiry dates"
            }
            ChipWarningCode::ChipMrzPrintedMismatch => {
                "the chip's MRZ (DG1) differs from the MRZ printed on the card"
            }
        }
    }
}

impl fmt::Display for ChipWarningCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One disagreement between records of the same card.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ChipWarning {
    code: ChipWarningCode,
}

impl ChipWarning {
    /// A warning with this code.
    pub const fn new(code: ChipWarningCode) -> ChipWarning {
        ChipWarning { code }
    }
    /// What the warning is about.
    pub const fn code(&self) -> ChipWarningCode {
        self.code
    }
    /// The fixed message (same as `Display`).
    pub const fn message(&self) -> &'static str {
        self.code.message()
    }
}

impl fmt::Display for ChipWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for ChipWarning {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("ChipWarning", 2)?;
        st.serialize_field("code", self.code.as_str())?;
        st.serialize_field("message", self.message())?;
        st.end()
    }
}

fn same_text(a: &str, b: &str) -> bool {
    let norm = |s: &str| -> String {
        s.nfc()
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    norm(a) == norm(b)
}

impl Dg13 {
    /// Compares DG13 with the QR payload of the same card: ID number, full name, date of
    /// birth, sex, place of residence and issue date. A field absent from DG13 is not compared.
    /// Returns the disagreements in the order of [`ChipWarningCode::ALL`].
    pub fn check_card(&self, card: &Card<'_>) -> Vec<ChipWarning> {
        let mut out = Vec::new();
        let mut warn = |bad: bool, code| {
            if bad {
                out.push(ChipWarning::new(code));
            }
        };
        warn(
            self.id_number().is_some_and(|id| id != card.id_number()),
            ChipWarningCode::ChipIdMismatch,
        );
        warn(
            self.full_name()
                .is_some_and(|n| !same_text(n, card.full_name())),
            ChipWarningCode::ChipNameMismatch,
        );
        warn(
            self.date_of_birth()
                .is_some_and(|d| d != card.date_of_birth()),
            ChipWarningCode::ChipBirthDateMismatch,
        );
        warn(
            self.sex().is_some_and(|s| s != card.sex()),
            ChipWarningCode::ChipSexMismatch,
        );
        warn(
            self.place_of_residence()
                .is_some_and(|a| !same_text(a, card.address())),
            ChipWarningCode::ChipAddressMismatch,
        );
        warn(
            self.issue_date().is_some_and(|d| d != card.issue_date()),
            ChipWarningCode::ChipIssueDateMismatch,
        );
        out
    }
}

impl Dg13 {
    /// Compares DG13 with the MRZ of DG1 (read with [`Dg1::parse_mrz`](crate::Dg1::parse_mrz)):
    /// ID number, date of birth, sex, name (folded to ASCII; a prefix when the MRZ cut it) and
    /// expiry. A field absent from DG13 is not compared. Returns the disagreements in the
    /// order of [`ChipWarningCode::ALL`].
    pub fn check_mrz(&self, mrz: &crate::mrz::Mrz) -> Vec<ChipWarning> {
        use crate::mrz::cross::{name_words, Facts};
        let chip = Facts {
            id_number: self.id_number().copied(),
            date_of_birth: self.date_of_birth(),
            sex: self.sex(),
            name_words: self.full_name().map(name_words),
            name_truncated: false,
            expiry: self.expiry().map(super::ChipExpiry::date),
        };
        let d = chip.disagreements(&Facts::from_mrz(mrz));
        [
            (d.id_number, ChipWarningCode::ChipMrzIdMismatch),
            (d.date_of_birth, ChipWarningCode::ChipMrzBirthDateMismatch),
            (d.sex, ChipWarningCode::ChipMrzSexMismatch),
            (d.name, ChipWarningCode::ChipMrzNameMismatch),
            (d.expiry, ChipWarningCode::ChipMrzExpiryMismatch),
        ]
        .into_iter()
        .filter(|(found, _)| *found)
        .map(|(_, code)| ChipWarning::new(code))
        .collect()
    }
}

impl crate::Dg1 {
    /// Compares DG1 with the MRZ printed on the back of the same card (read with
    /// [`mrz::parse`](crate::mrz::parse) or a lenient [`mrz::Parser`](crate::mrz::Parser), so
    /// OCR repairs are already applied): every one of the 90 characters must be the same.
    /// Returns `chip_mrz_printed_mismatch` when they are not, else nothing.
    pub fn check_printed(&self, printed: &crate::mrz::Mrz) -> Vec<ChipWarning> {
        if self.mrz() == printed.to_single_line() {
            Vec::new()
        } else {
            vec![ChipWarning::new(ChipWarningCode::ChipMrzPrintedMismatch)]
        }
    }
}
