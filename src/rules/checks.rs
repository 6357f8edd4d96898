//! Cross-field checks: whether a card hangs together ([`Card::check`]).

use std::fmt;

use chrono::{Datelike, NaiveDate};

use super::expiry::{age_on, LAW_2023_FROM};
use super::Holder;
use crate::id::Birthplace;
use crate::qr::Card;

/// What a [`Warning`] is about. Codes are stable; new ones may be added.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum WarningCode {
    /// The ID number's century/sex digit says another sex than the sex field.
    IdSexMismatch,
    /// The ID number's century and year digits give another year than the date of birth.
    IdBirthYearMismatch,
    /// The ID number's first three digits are neither a province nor a country code.
    IdUnknownBirthplace,
    /// The date of birth is after the issue date.
    BirthAfterIssue,
    /// The date of birth is after the reference date.
    BirthInFuture,
    /// The issue date is after the reference date.
    IssueInFuture,
    /// The holder was under 14 on the issue date of a card issued before 1 July 2024 (the
    /// 2014 law issued cards from 14 only).
    IssuedUnderAge,
    /// The holder was 120 or older on the issue date.
    ImplausibleAge,
    /// The card's expiry date ([`Card::expiry`]) is on or before the reference date.
    Expired,
    /// A text field (named by [`Warning::field`]) holds characters outside the Vietnamese
    /// repertoire that no repair could explain, and was kept as found: lenient parsing only
    /// ([`Parsed::damaged`](crate::Parsed::damaged)); not one of [`Card::check`]'s checks, so
    /// not in [`WarningCode::ALL`].
    DamagedText,
}

impl WarningCode {
    /// Every code [`Card::check`] reports, in its order ([`WarningCode::DamagedText`] comes
    /// from the lenient parser, not from the checks).
    pub const ALL: [WarningCode; 9] = [
        WarningCode::IdSexMismatch,
        WarningCode::IdBirthYearMismatch,
        WarningCode::IdUnknownBirthplace,
        WarningCode::BirthAfterIssue,
        WarningCode::BirthInFuture,
        WarningCode::IssueInFuture,
        WarningCode::IssuedUnderAge,
        WarningCode::ImplausibleAge,
        WarningCode::Expired,
    ];

    /// The code as used in JSON: `id_sex_mismatch`, `id_birth_year_mismatch`,
    /// `id_unknown_birthplace`, `birth_after_issue`, `birth_in_future`, `issue_in_future`,
    /// `issued_under_age`, `implausible_age`, `expired`, `damaged_text`.
    pub const fn as_str(self) -> &'static str {
        match self {
            WarningCode::IdSexMismatch => "id_sex_mismatch",
            WarningCode::IdBirthYearMismatch => "id_birth_year_mismatch",
            WarningCode::IdUnknownBirthplace => "id_unknown_birthplace",
            WarningCode::BirthAfterIssue => "birth_after_issue",
            WarningCode::BirthInFuture => "birth_in_future",
            WarningCode::IssueInFuture => "issue_in_future",
            WarningCode::IssuedUnderAge => "issued_under_age",
            WarningCode::ImplausibleAge => "implausible_age",
            WarningCode::Expired => "expired",
            WarningCode::DamagedText => "damaged_text",
        }
    }

    /// A sentence describing the problem; it holds no personal data.
    pub const fn message(self) -> &'static str {
        match self {
            WarningCode::IdSexMismatch => {
                "the century/sex digit of the ID number disagrees with the sex field"
            }
            WarningCode::IdBirthYearMismatch => {
                "the birth year encoded in the ID number disagrees with the date of birth"
            }
            WarningCode::IdUnknownBirthplace => {
                "the first three digits of the ID number are neither a province nor a country code"
            }
            WarningCode::BirthAfterIssue => "the date of birth is after the issue date",
            WarningCode::BirthInFuture => "the date of birth is after the reference date",
            WarningCode::IssueInFuture => "the issue date is after the reference date",
            WarningCode::IssuedUnderAge => {
                "the holder was under 14 on the issue date of a card issued before 1 July 2024"
            }
            WarningCode::ImplausibleAge => "the holder was 120 or older on the issue date",
            WarningCode::Expired => "the card's expiry date is on or before the reference date",
            WarningCode::DamagedText => {
                "the field holds characters outside the vietnamese repertoire that no repair could explain; kept as found"
            }
        }
    }
}

impl fmt::Display for WarningCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Something about a card that does not hang together. A warning is data, not an error:
/// real cards exist whose ID digits disagree with their other fields.
///
/// `Display` writes a sentence that never contains the name, the address or ID digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Warning {
    code: WarningCode,
    field: Option<crate::Field>,
}

impl Warning {
    /// A warning with this code.
    pub const fn new(code: WarningCode) -> Warning {
        Warning { code, field: None }
    }

    /// The warning `damaged_text` about `field`.
    pub const fn damaged_text(field: crate::Field) -> Warning {
        Warning {
            code: WarningCode::DamagedText,
            field: Some(field),
        }
    }

    /// The field the warning is about, when it is about one field (`damaged_text`).
    pub const fn field(&self) -> Option<crate::Field> {
        self.field
    }

    /// What the warning is about.
    pub const fn code(&self) -> WarningCode {
        self.code
    }

    /// The human-readable message (same as `Display`).
    pub const fn message(&self) -> &'static str {
        self.code.message()
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

/// The outcome of [`Card::check`]: the warnings found, in the order of [`WarningCode::ALL`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Checks {
    warnings: Vec<Warning>,
}

impl Checks {
    /// The warnings (empty when the card hangs together).
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// Whether there are no warnings.
    pub fn is_empty(&self) -> bool {
        self.warnings.is_empty()
    }

    /// Whether a warning with this code was found.
    pub fn contains(&self, code: WarningCode) -> bool {
        self.warnings.iter().any(|w| w.code == code)
    }

    /// The warnings' codes, in order.
    pub fn codes(&self) -> impl Iterator<Item = WarningCode> + '_ {
        self.warnings.iter().map(|w| w.code)
    }
}

impl IntoIterator for Checks {
    type Item = Warning;
    type IntoIter = std::vec::IntoIter<Warning>;

    fn into_iter(self) -> Self::IntoIter {
        self.warnings.into_iter()
    }
}

impl<'c> IntoIterator for &'c Checks {
    type Item = &'c Warning;
    type IntoIter = std::slice::Iter<'c, Warning>;

    fn into_iter(self) -> Self::IntoIter {
        self.warnings.iter()
    }
}

impl Card<'_> {
    /// Checks that the card's fields agree with each other and with `today` (the reference
    /// date: the library never reads the clock). Allocates only when there are warnings.
    ///
    /// The checks, with their [`WarningCode`]s:
    /// - `id_sex_mismatch`: the ID number's century/sex digit says another sex than the sex
    ///   field;
    /// - `id_birth_year_mismatch`: the ID number's century and year digits give another year
    ///   than the date of birth;
    /// - `id_unknown_birthplace`: the ID number's first three digits are neither a province
    ///   nor a country code;
    /// - `birth_after_issue`, `birth_in_future` (after `today`), `issue_in_future` (after
    ///   `today`);
    /// - `issued_under_age`: the holder was 0 to 13 years old on the issue date of a card
    ///   issued before 1 July 2024 (a birth after the issue date is `birth_after_issue`
    ///   only);
    /// - `implausible_age`: the holder was 120 or older on the issue date;
    /// - `expired`: the card's [expiry](Card::expiry) is on or before `today`.
    ///
    /// ```
    /// use cccd::{NaiveDate, WarningCode};
    /// // The ID number says female (century digit 3), the sex field says male.
    /// let card = cccd::parse("079303001234||Nguyễn Văn Ánh|01012003|Nam|Hà Nội|15082021")?;
    /// let checks = card.check(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
    /// let codes: Vec<WarningCode> = checks.codes().collect();
    /// assert_eq!(codes, [WarningCode::IdSexMismatch]);
    /// assert_eq!(codes[0].as_str(), "id_sex_mismatch");
    /// # Ok::<(), cccd::Error>(())
    /// ```
    pub fn check(&self, today: NaiveDate) -> Checks {
        self.holder().check(today)
    }
}

/// The checks over a holder (see [`Card::check`]); those needing the issue date are skipped
/// without one.
pub(super) fn check(holder: &Holder<'_>, today: NaiveDate) -> Checks {
    let id = holder.id_number;
    let dob = holder.date_of_birth;
    let issued = |f: &dyn Fn(NaiveDate) -> bool| holder.issue_date.is_some_and(f);
    let age_at_issue = |issue| age_on(dob, issue);
    let found = [
        id.sex() != holder.sex,
        id.birth_year() != dob.year(),
        matches!(id.birthplace(), Birthplace::Unknown(_)),
        issued(&|issue| dob > issue),
        dob > today,
        issued(&|issue| issue > today),
        issued(&|issue| issue < LAW_2023_FROM && (0..14).contains(&age_at_issue(issue))),
        issued(&|issue| age_at_issue(issue) >= 120),
        holder.expiry().is_some_and(|e| e.is_expired(today)),
    ];
    let warnings = WarningCode::ALL
        .iter()
        .zip(found)
        .filter(|(_, found)| *found)
        .map(|(&code, _)| Warning::new(code))
        .collect();
    Checks { warnings }
}
