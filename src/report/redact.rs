//! The redaction policy, by type: every personal value in a report is a [`Private`] of one
//! [`Personal`] kind, and the kind alone decides what a redacted report shows. A new personal
//! field cannot be added to a report without choosing its kind, so it cannot be forgotten.
//!
//! | kind | shown when redacted |
//! |---|---|
//! | [`Personal::IdNumber`] | the first 3 digits only (the birthplace code): `079*********`, old ID `123******` |
//! | [`Personal::Name`] | initials: `N. V. Á.` |
//! | [`Personal::Address`] | the province, when the address starts or ends with a province name of the place table (old or 2025 name), written as the table writes it; else `[redacted]` |
//! | [`Personal::Birthday`] | `[redacted]` (dates of birth, and expiry dates, which fall on a birthday) |
//! | [`Personal::Withheld`] | `[redacted]` (raw QR text, non-empty extra fields) |
//!
//! Beside these, a redacted report's `id_info` keeps the birthplace and the century but drops
//! `birth_year` (`null`): together with the sex, the visible ID digits are then the 3
//! birthplace digits and the century/sex digit, 4 of 12; of an old ID, 3 of 9.

use std::borrow::Cow;

use chrono::NaiveDate;

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
            Personal::Address => province_of(&text).unwrap_or(WITHHELD).to_owned(),
            Personal::Birthday => WITHHELD.to_owned(),
            Personal::Withheld if text.is_empty() => String::new(),
            Personal::Withheld => WITHHELD.to_owned(),
        }))
    }

    /// A date of kind [`Personal::Birthday`]: the ISO date, or [`WITHHELD`] when redacted
    /// (its year would give away ID digits).
    pub fn birthday(date: NaiveDate, redact: bool) -> Self {
        if redact {
            Private::Text(Cow::Borrowed(WITHHELD))
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

/// The first 3 characters kept (an ID's birthplace or province code), the rest `*`; all
/// `*` when 3 characters or fewer. The one masking of ID numbers: `Debug` and
/// [`IdNumber::masked`](crate::IdNumber::masked) use it too.
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

/// The province an address names at its end (`…, Hà Nội`) or its start (`Hà Nội, …`),
/// whatever the separators, as the place table writes it (the longest name that matches at
/// word boundaries, case-insensitively; old names and 2025 names alike). `None` when the
/// address neither starts nor ends with a province name.
pub fn province_of(address: &str) -> Option<&'static str> {
    let lower = address.to_lowercase();
    let text = lower.trim_matches(|c: char| !c.is_alphanumeric());
    // A province written first may carry its title: `Thành phố Hồ Chí Minh, …`.
    let head = ["thành phố", "tỉnh", "tp"]
        .iter()
        .find_map(|t| {
            text.strip_prefix(t)
                .filter(|r| r.starts_with(|c: char| !c.is_alphanumeric()))
        })
        .map_or(text, |r| {
            r.trim_start_matches(|c: char| !c.is_alphanumeric())
        });
    let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
    province_names()
        .iter()
        .filter(|(key, _)| {
            (text.ends_with(key.as_str())
                && boundary(text[..text.len() - key.len()].chars().next_back()))
                || (head.starts_with(key.as_str()) && boundary(head[key.len()..].chars().next()))
        })
        .max_by_key(|(key, _)| key.len())
        .map(|&(_, name)| name)
}

/// Every province name of the place table (before and since 2025), lower-cased, with the
/// name as written.
fn province_names() -> &'static [(String, &'static str)] {
    static NAMES: std::sync::OnceLock<Vec<(String, &'static str)>> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| {
        let mut names: Vec<(String, &'static str)> = crate::Province::all()
            .iter()
            .flat_map(|p| [p.name(), p.since_2025()])
            .map(|n| (n.to_lowercase(), n))
            .collect();
        names.sort();
        names.dedup();
        names
    })
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
        assert_eq!(r(Personal::IdNumber, "079203001234"), "079*********");
        assert_eq!(r(Personal::IdNumber, "123456789"), "123******");
        assert_eq!(r(Personal::IdNumber, "123"), "***");
        assert_eq!(r(Personal::Name, "Nguyễn Văn Ánh"), "N. V. Á.");
        assert_eq!(
            r(Personal::Address, "Số 1 Lê Lợi, Quận 1, TP. Hồ Chí Minh"),
            "Hồ Chí Minh"
        );
        assert_eq!(r(Personal::Birthday, "2003-01-01"), WITHHELD);
        for (address, province) in [
            (
                "Thôn Đông Xuân Xã Yên Bình Huyện Thạch Thất Hà Nội",
                "Hà Nội",
            ),
            ("Số 3; Phường 4; Đà Nẵng", "Đà Nẵng"),
            ("Số 3 - Phường 4 - TP. Hồ Chí Minh.", "Hồ Chí Minh"),
            ("Thành phố Hồ Chí Minh, Quận 1, Số 1 Lê Lợi", "Hồ Chí Minh"),
            ("Ấp 3, Bà Rịa - Vũng Tàu", "Bà Rịa - Vũng Tàu"),
            ("Xóm 2, Hà Nam", "Hà Nam"),
            ("Số 1 Lê Lợi", WITHHELD),
            ("Số 1 đường Hà Nội, Phường 2", WITHHELD),
            ("Hà Nội Mới", "Hà Nội"),
        ] {
            assert_eq!(r(Personal::Address, address), province, "{address}");
        }
        assert_eq!(r(Personal::Withheld, "x"), WITHHELD);
        assert_eq!(r(Personal::Withheld, ""), "");
        assert_eq!(
            format!("{:?}", Private::text(Personal::Name, "Ánh", false)),
            "Private(..)"
        );
    }
}
