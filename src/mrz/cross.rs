//! Cross-checks between the card's records: the QR payload and the MRZ (the chip's DG13
//! joins later through [`Facts`]).

use std::fmt;

use chrono::NaiveDate;

use super::record::Mrz;
use crate::id::IdNumber;
use crate::{Card, Sex};

/// What a [`CrossWarning`] is about. Codes are stable; new ones may be added (the chip's
/// records will add theirs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum CrossCode {
    /// The MRZ's ID number is not the QR payload's.
    MrzIdMismatch,
    /// The MRZ's document number is not the last 9 digits of its ID number.
    MrzDocumentNumberMismatch,
    /// The MRZ's date of birth is not the QR payload's.
    MrzBirthDateMismatch,
    /// The MRZ's sex is not the QR payload's.
    MrzSexMismatch,
    /// The MRZ's name is not the QR payload's name folded to ASCII.
    MrzNameMismatch,
    /// The MRZ's expiry is not the expiry the law gives for the QR payload's dates.
    MrzExpiryMismatch,
}

impl CrossCode {
    /// Every code, in the order [`cross_check`] reports them.
    pub const ALL: [CrossCode; 6] = [
        CrossCode::MrzIdMismatch,
        CrossCode::MrzDocumentNumberMismatch,
        CrossCode::MrzBirthDateMismatch,
        CrossCode::MrzSexMismatch,
        CrossCode::MrzNameMismatch,
        CrossCode::MrzExpiryMismatch,
    ];

    /// The code as used in JSON: `mrz_id_mismatch`, `mrz_document_number_mismatch`,
    /// `mrz_birth_date_mismatch`, `mrz_sex_mismatch`, `mrz_name_mismatch`,
    /// `mrz_expiry_mismatch`.
    pub const fn as_str(self) -> &'static str {
        match self {
            CrossCode::MrzIdMismatch => "mrz_id_mismatch",
            CrossCode::MrzDocumentNumberMismatch => "mrz_document_number_mismatch",
            CrossCode::MrzBirthDateMismatch => "mrz_birth_date_mismatch",
            CrossCode::MrzSexMismatch => "mrz_sex_mismatch",
            CrossCode::MrzNameMismatch => "mrz_name_mismatch",
            CrossCode::MrzExpiryMismatch => "mrz_expiry_mismatch",
        }
    }

    /// A sentence describing the disagreement; it holds no personal data.
    pub const fn message(self) -> &'static str {
        match self {
            CrossCode::MrzIdMismatch => "the ID number in the MRZ differs from the QR code's",
            CrossCode::MrzDocumentNumberMismatch => {
                "the MRZ's document number is not the last 9 digits of its ID number"
            }
            CrossCode::MrzBirthDateMismatch => {
                "the date of birth in the MRZ differs from the QR code's"
            }
            CrossCode::MrzSexMismatch => "the sex in the MRZ differs from the QR code's",
            CrossCode::MrzNameMismatch => {
                "the name in the MRZ differs from the QR code's name folded to ASCII"
            }
            CrossCode::MrzExpiryMismatch => {
                "the expiry in the MRZ differs from the expiry the law gives for the QR code's dates"
            }
        }
    }
}

impl fmt::Display for CrossCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Two records of the same card that disagree (the QR payload and the MRZ). Data, not an
/// error, shaped like the QR payload's [`Warning`](crate::Warning): a stable code and a
/// fixed message without personal data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CrossWarning {
    code: CrossCode,
}

impl CrossWarning {
    /// A warning with this code.
    pub const fn new(code: CrossCode) -> CrossWarning {
        CrossWarning { code }
    }

    /// What the warning is about.
    pub const fn code(&self) -> CrossCode {
        self.code
    }

    /// The human-readable message (same as `Display`).
    pub const fn message(&self) -> &'static str {
        self.code.message()
    }
}

impl fmt::Display for CrossWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for CrossWarning {
    /// `{"code": "mrz_sex_mismatch", "message": "…"}`, as the QR payload's warnings.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("CrossWarning", 2)?;
        st.serialize_field("code", self.code.as_str())?;
        st.serialize_field("message", self.message())?;
        st.end()
    }
}

/// Compares the MRZ with the QR payload of the same card. Returns the disagreements, in the
/// order of [`CrossCode::ALL`], empty when they agree:
/// - `mrz_id_mismatch`: the 12-digit ID numbers differ;
/// - `mrz_document_number_mismatch`: the MRZ's document number is not the last 9 digits of
///   its own ID number;
/// - `mrz_birth_date_mismatch`, `mrz_sex_mismatch`;
/// - `mrz_name_mismatch`: the MRZ's words (surname then given names) differ from the QR
///   name's words after [`fold_ascii`](crate::fold_ascii) (where the surname ends is not
///   compared; a name line that fills all 30 characters may have been cut, and then only
///   needs to be the start of the QR name);
/// - `mrz_expiry_mismatch`: the MRZ's expiry (`991231`: never) is not
///   [`Card::expiry`] (by law, from the QR payload's birth and issue dates).
///
/// ```
/// use cccd::CrossCode;
/// let card = cccd::parse("079203012345||Nguyễn Văn An|01022003|Nam|Hà Nội|15082021")?;
/// let mrz = cccd::mrz::parse("IDVNM2030123450079203012345<<0\n0302014M2802013VNM<<<<<<<<<<<4\nNGUYEN<<VAN<AN<<<<<<<<<<<<<<<<")?;
/// assert!(cccd::mrz::cross_check(&card, &mrz).is_empty());
///
/// let other = cccd::parse("079203012345||Nguyễn Văn Anh|01022003|Nam|Hà Nội|01032026")?;
/// let codes: Vec<CrossCode> = cccd::mrz::cross_check(&other, &mrz).iter().map(|w| w.code()).collect();
/// assert_eq!(codes, [CrossCode::MrzNameMismatch, CrossCode::MrzExpiryMismatch]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn cross_check(card: &Card<'_>, mrz: &Mrz) -> Vec<CrossWarning> {
    let qr = Facts::from_card(card);
    let m = Facts::from_mrz(mrz);
    let differ = qr.disagreements(&m);
    let own_document_number = &mrz.id_number().as_str()[3..];
    let found = [
        differ.id_number,
        mrz.document_number() != own_document_number,
        differ.date_of_birth,
        differ.sex,
        differ.name,
        differ.expiry,
    ];
    CrossCode::ALL
        .iter()
        .zip(found)
        .filter(|(_, found)| *found)
        .map(|(&code, _)| CrossWarning::new(code))
        .collect()
}

/// What one record of a card says about its holder, for comparing records (QR payload, MRZ,
/// and later the chip's DG13). `None`: the record does not say.
#[derive(Clone, Debug, Default)]
pub(crate) struct Facts {
    pub(crate) id_number: Option<IdNumber>,
    pub(crate) date_of_birth: Option<NaiveDate>,
    pub(crate) sex: Option<Sex>,
    /// The name's words, folded to upper-case ASCII.
    pub(crate) name_words: Option<Vec<String>>,
    /// Whether the name may have been cut to fit (then it only needs to be a prefix).
    pub(crate) name_truncated: bool,
    /// The expiry: `Some(None)` for never.
    pub(crate) expiry: Option<Option<NaiveDate>>,
}

/// Which facts two records disagree on (a fact one of them does not state is not compared).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Disagreements {
    pub(crate) id_number: bool,
    pub(crate) date_of_birth: bool,
    pub(crate) sex: bool,
    pub(crate) name: bool,
    pub(crate) expiry: bool,
}

impl Facts {
    pub(crate) fn from_card(card: &Card<'_>) -> Facts {
        Facts {
            id_number: Some(*card.id_number()),
            date_of_birth: Some(card.date_of_birth()),
            sex: Some(card.sex()),
            name_words: Some(name_words(card.full_name())),
            name_truncated: false,
            expiry: Some(card.expiry().date()),
        }
    }

    pub(crate) fn from_mrz(mrz: &Mrz) -> Facts {
        Facts {
            id_number: Some(*mrz.id_number()),
            date_of_birth: Some(mrz.date_of_birth()),
            sex: Some(mrz.sex()),
            name_words: Some(name_words(mrz.full_name())),
            name_truncated: mrz.name_truncated(),
            expiry: Some(mrz.expiry_date()),
        }
    }

    pub(crate) fn disagreements(&self, other: &Facts) -> Disagreements {
        fn differ<T: PartialEq>(a: &Option<T>, b: &Option<T>) -> bool {
            matches!((a, b), (Some(a), Some(b)) if a != b)
        }
        let name = match (&self.name_words, &other.name_words) {
            (Some(a), Some(b)) => !names_agree(a, self.name_truncated, b, other.name_truncated),
            _ => false,
        };
        Disagreements {
            id_number: differ(&self.id_number, &other.id_number),
            date_of_birth: differ(&self.date_of_birth, &other.date_of_birth),
            sex: differ(&self.sex, &other.sex),
            name,
            expiry: differ(&self.expiry, &other.expiry),
        }
    }
}

/// A name's words in upper-case ASCII: folded ([`fold_ascii`](crate::fold_ascii)),
/// apostrophes dropped, split at anything that is not a letter or digit.
pub(crate) fn name_words(name: &str) -> Vec<String> {
    let folded = crate::text::fold_ascii(name);
    folded
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '\'')
        .map(|w| w.replace('\'', ""))
        .filter(|w| !w.is_empty())
        .collect()
}

/// Whether two names agree: the same words, or, when one may have been cut, its words joined
/// by `<` are the start of the other's.
fn names_agree(a: &[String], a_cut: bool, b: &[String], b_cut: bool) -> bool {
    if a == b {
        return true;
    }
    let (a, b) = (a.join("<"), b.join("<"));
    (a_cut && b.starts_with(&a)) || (b_cut && a.starts_with(&b))
}
