//! The holder as every record describes them: the facts the rules need, whatever record
//! (QR payload, MRZ, chip) they were read from.

use std::fmt;

use chrono::NaiveDate;

use crate::id::IdNumber;
use crate::rules::{Checks, Expiry};

/// The holder's sex as printed on the card: `Nam` (male) or `Nữ` (female).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Sex {
    /// `Nam`.
    Male,
    /// `Nữ`.
    Female,
}

impl Sex {
    /// The word the card writes: `Nam` or `Nữ`.
    pub const fn as_card_str(self) -> &'static str {
        match self {
            Sex::Male => "Nam",
            Sex::Female => "Nữ",
        }
    }

    /// The word used in JSON: `male` or `female`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Sex::Male => "male",
            Sex::Female => "female",
        }
    }
}

impl fmt::Display for Sex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The format-independent view of a card's holder: what the rules ([`Holder::expiry`],
/// [`Holder::check`]) and cross-document checks work on. Every record type gives one
/// (`Card::holder`, and the MRZ and chip records).
///
/// `Debug` shows no personal data.
#[derive(Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Holder<'h> {
    /// The 12-digit personal ID number.
    pub id_number: &'h IdNumber,
    /// The full name as the record writes it.
    pub full_name: &'h str,
    /// The date of birth.
    pub date_of_birth: NaiveDate,
    /// The sex.
    pub sex: Sex,
    /// The issue date, when the record has one (the MRZ does not).
    pub issue_date: Option<NaiveDate>,
}

impl<'h> Holder<'h> {
    /// A holder from its facts.
    pub const fn new(
        id_number: &'h IdNumber,
        full_name: &'h str,
        date_of_birth: NaiveDate,
        sex: Sex,
        issue_date: Option<NaiveDate>,
    ) -> Self {
        Holder {
            id_number,
            full_name,
            date_of_birth,
            sex,
            issue_date,
        }
    }

    /// When the card expires by law ([`Expiry::compute`]); `None` without an issue date.
    pub fn expiry(&self) -> Option<Expiry> {
        self.issue_date
            .map(|issue| Expiry::compute(self.date_of_birth, issue))
    }

    /// The cross-field checks on `today` ([`Checks`]); those that need the issue date are
    /// skipped when the record has none.
    pub fn check(&self, today: NaiveDate) -> Checks {
        super::checks::check(self, today)
    }
}

impl fmt::Debug for Holder<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Holder")
            .field("id_number", self.id_number)
            .finish_non_exhaustive()
    }
}
