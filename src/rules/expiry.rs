//! When a card stops being valid: renewal ages under the 2014 and 2023 laws.

use std::fmt;

use chrono::{Datelike, NaiveDate};

use crate::qr::Card;

/// The law a card was issued under, chosen by its issue date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Law {
    /// The 2014 Law on Citizen Identification (Luật Căn cước công dân 2014): cards issued
    /// before 1 July 2024, renewed at 25, 40 and 60.
    Y2014,
    /// The 2023 Law on Identity (Luật Căn cước 2023): cards issued from 1 July 2024, renewed
    /// at 14, 25, 40 and 60.
    Y2023,
}

impl Law {
    /// The law in force on `issue_date`: [`Law::Y2023`] from 1 July 2024, else
    /// [`Law::Y2014`].
    pub fn for_issue_date(issue_date: NaiveDate) -> Law {
        if issue_date < LAW_2023_FROM {
            Law::Y2014
        } else {
            Law::Y2023
        }
    }

    /// `"2014"` or `"2023"`, as used in JSON.
    pub const fn as_str(self) -> &'static str {
        match self {
            Law::Y2014 => "2014",
            Law::Y2023 => "2023",
        }
    }

    /// The ages at which a card issued under this law must be renewed, ascending.
    pub const fn renewal_ages(self) -> &'static [u8] {
        match self {
            Law::Y2014 => &[25, 40, 60],
            Law::Y2023 => &[14, 25, 40, 60],
        }
    }
}

impl fmt::Display for Law {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The day the 2023 Law on Identity took effect.
pub(crate) const LAW_2023_FROM: NaiveDate = match NaiveDate::from_ymd_opt(2024, 7, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

/// When a card stops being valid ([`Card::expiry`]).
///
/// ```
/// use cccd::{Law, NaiveDate};
/// let card = cccd::parse("079203001234|123456789|Nguyễn Văn Ánh|01012003|Nam|Hà Nội|15082021")?;
/// let expiry = card.expiry();
/// assert_eq!(expiry.law(), Law::Y2014);
/// assert_eq!(expiry.date(), NaiveDate::from_ymd_opt(2028, 1, 1)); // the 25th birthday
/// assert_eq!(expiry.age(), Some(25));
/// assert!(!expiry.is_expired(NaiveDate::from_ymd_opt(2027, 12, 31).unwrap()));
/// assert!(expiry.is_expired(NaiveDate::from_ymd_opt(2028, 1, 1).unwrap()));
/// assert_eq!(format!("{expiry:?}"), "Expiry { law: Y2014, age: Some(25), .. }"); // no date
/// # Ok::<(), cccd::Error>(())
/// ```
///
/// `Debug` leaves out the date, which gives away the date of birth; `Display` writes it.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Expiry {
    law: Law,
    /// The renewal age and the birthday it falls on; `None`: never expires.
    until: Option<(u8, NaiveDate)>,
}

impl Expiry {
    /// The expiry of a card issued on `issue_date` to a holder born on `date_of_birth`.
    ///
    /// The rule (see [`Card::expiry`]): the law is chosen by the issue date; the card expires
    /// on the holder's birthday in the year they reach the first renewal age `A` of that law
    /// for which `issue_date < birthday(A − 2)`, i.e. the card was issued more than 2 years
    /// before that birthday; if there is none it never expires. A 29 February birthday falls
    /// on 28 February in common years, for both birthdays.
    pub fn compute(date_of_birth: NaiveDate, issue_date: NaiveDate) -> Expiry {
        let law = Law::for_issue_date(issue_date);
        let until = law.renewal_ages().iter().find_map(|&age| {
            let window_opens = birthday(date_of_birth, i32::from(age) - 2);
            (issue_date < window_opens).then(|| (age, birthday(date_of_birth, i32::from(age))))
        });
        Expiry { law, until }
    }

    /// The law the card was issued under.
    pub const fn law(&self) -> Law {
        self.law
    }

    /// The day the card stops being valid (it is valid until the day before), or `None`
    /// when it never expires.
    pub fn date(&self) -> Option<NaiveDate> {
        self.until.map(|(_, date)| date)
    }

    /// The renewal age the expiry date is the birthday of, or `None` when it never expires.
    pub fn age(&self) -> Option<u8> {
        self.until.map(|(age, _)| age)
    }

    /// Whether the card never expires (issued within 2 years before the last renewal age, 60,
    /// or later).
    pub const fn is_never(&self) -> bool {
        self.until.is_none()
    }

    /// Whether the card has expired on `today`: its expiry date is on or before `today`.
    pub fn is_expired(&self, today: NaiveDate) -> bool {
        self.date().is_some_and(|d| d <= today)
    }
}

impl fmt::Debug for Expiry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Expiry")
            .field("law", &self.law)
            .field("age", &self.age())
            .finish_non_exhaustive()
    }
}

impl fmt::Display for Expiry {
    /// `2028-01-01 (2014 law)` or `never (2014 law)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.date() {
            Some(d) => write!(f, "{d} ({} law)", self.law),
            None => write!(f, "never ({} law)", self.law),
        }
    }
}

/// The holder's birthday in the year they turn `age`; 29 February falls on 28 February in
/// common years.
pub(crate) fn birthday(date_of_birth: NaiveDate, age: i32) -> NaiveDate {
    let year = date_of_birth.year().saturating_add(age);
    NaiveDate::from_ymd_opt(year, date_of_birth.month(), date_of_birth.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, date_of_birth.month(), 28))
        .unwrap_or(if age < 0 {
            NaiveDate::MIN
        } else {
            NaiveDate::MAX
        })
}

/// The holder's age in whole years on `date` (negative before birth), counting a 29 February
/// birthday on 28 February in common years.
pub(crate) fn age_on(date_of_birth: NaiveDate, date: NaiveDate) -> i32 {
    let years = date.year() - date_of_birth.year();
    if birthday(date_of_birth, years) > date {
        years - 1
    } else {
        years
    }
}

impl Card<'_> {
    /// When the card stops being valid, by the law it was issued under.
    ///
    /// - The law is chosen by the issue date: before 1 July 2024 the 2014 Law on Citizen
    ///   Identification (renewal ages 25, 40, 60), from 1 July 2024 the 2023 Law on Identity
    ///   (renewal ages 14, 25, 40, 60).
    /// - The card expires on the holder's birthday in the year they reach the first renewal
    ///   age `A` for which the issue date is more than 2 years before that birthday (issue date
    ///   < birthday(A) − 2 years, the edge excluded: a card issued exactly 2 years before the
    ///   birthday is valid until the next age). If there is none (issued at 58 or later), it
    ///   never expires.
    /// - A 29 February birthday falls on 28 February in common years, also for
    ///   "birthday(A) − 2 years", which is the birthday in the year the holder turns `A − 2`.
    ///
    /// The QR payload has no expiry field; the sources leave the window's edges and
    /// 29 February open, so this is the library's documented choice.
    pub fn expiry(&self) -> Expiry {
        Expiry::compute(self.date_of_birth(), self.issue_date())
    }
}
