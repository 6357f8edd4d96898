//! The redaction policy, by type: every personal value in a report is a [`Private`] of one
//! [`Personal`] kind, and the kind alone decides what a redacted report shows. A new personal
//! field cannot be added to a report without choosing its kind, so it cannot be forgotten.
//!
//! | kind | shown when redacted |
//! |---|---|
//! | [`Personal::IdNumber`] | first 3 and last 2 digits: `079*******34` |
//! | [`Personal::Name`] | initials: `N. V. Á.` |
//! | [`Personal::Address`] | the last comma-separated part (usually the province) |
//! | [`Personal::Birthday`] | the year: `2003` (dates of birth, and expiry dates, which fall on a birthday) |
//! | [`Personal::Withheld`] | `[redacted]` (raw QR text, non-empty extra fields) |

use std::borrow::Cow;

use chrono::{Datelike, NaiveDate};

/// What replaces text that is withheld entirely.
pub const WITHHELD: &str = "[redacted]";

/// The kinds of personal value a report holds, each with its redaction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Personal {
    /// An ID number (12-digit personal ID, 9- or 12-digit old ID).
    IdNumber,
    /// A person's name, in any script or folding.
    Name,
    /// An address.
    Address,
    /// A date that gives away the date of birth.
    Birthday,
    /// Text shown only unredacted.
    Withheld,
}

/// A personal value in a report, already redacted or not (decided when it was built).
#[derive(Clone, PartialEq, Eq)]
pub enum Private<'a> {
    /// Text (shown as is, or its redacted form).
    Text(Cow<'a, str>),
    /// A date shown in full (ISO 8601).
    Date(NaiveDate),
}

impl<'a> Private<'a> {
    /// `text` of kind `kind`, redacted when `redact` is set.
    pub fn text(kind: Personal, text: impl Into<Cow<'a, str>>, redact: bool) -> Self {
        let text = text.into();
        if !redact {
            return Private::Text(text);
        }
        Private::Text(Cow::Owned(match kind {
            Personal::IdNumber => mask(&text),
            Personal::Name => initials(&text),
            Personal::Address => last_component(&text).to_owned(),
            Personal::Birthday => text.split('-').next().unwrap_or_default().to_owned(),
            Personal::Withheld if text.is_empty() => String::new(),
            Personal::Withheld => WITHHELD.to_owned(),
        }))
    }

    /// A date of kind [`Personal::Birthday`]: the ISO date, or only its year when redacted.
    pub fn birthday(date: NaiveDate, redact: bool) -> Self {
        if redact {
            Private::Text(Cow::Owned(date.year().to_string()))
        } else {
            Private::Date(date)
        }
    }
}

/// Never shows the value.
impl std::fmt::Debug for Private<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Private(..)")
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Private<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Private::Text(t) => s.serialize_str(t),
            Private::Date(d) => d.serialize(s),
        }
    }
}

/// First 3 and last 2 characters kept, the rest `*`; all `*` when 5 characters or fewer.
pub fn mask(s: &str) -> String {
    crate::id::mask(s)
}

/// `Nguyễn Văn Ánh` → `N. V. Á.`
pub fn initials(s: &str) -> String {
    let mut out = String::new();
    for c in s.split_whitespace().filter_map(|w| w.chars().next()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(c.to_uppercase());
        out.push('.');
    }
    out
}

/// The part after the last comma, trimmed: usually the province.
fn last_component(s: &str) -> &str {
    s.rsplit(',').next().unwrap_or(s).trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_by_kind() {
        let r = |k, t: &str| match Private::text(k, t.to_owned(), true) {
            Private::Text(t) => t.into_owned(),
            Private::Date(_) => unreachable!(),
        };
        assert_eq!(r(Personal::IdNumber, "079203001234"), "079*******34");
        assert_eq!(r(Personal::IdNumber, "123456789"), "123****89");
        assert_eq!(r(Personal::IdNumber, "12345"), "*****");
        assert_eq!(r(Personal::Name, "Nguyễn Văn Ánh"), "N. V. Á.");
        assert_eq!(
            r(Personal::Address, "Số 1 Lê Lợi, Quận 1, TP. Hồ Chí Minh"),
            "TP. Hồ Chí Minh"
        );
        assert_eq!(r(Personal::Birthday, "2003-01-01"), "2003");
        assert_eq!(r(Personal::Withheld, "x"), WITHHELD);
        assert_eq!(r(Personal::Withheld, ""), "");
        assert_eq!(
            format!("{:?}", Private::text(Personal::Name, "Ánh", false)),
            "Private(..)"
        );
    }
}
