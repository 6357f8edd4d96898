//! The personal ID number (12 digits) and the old ID number (CMND).

use std::fmt;
use std::str::FromStr;

use super::place::Birthplace;
use crate::error::{Error, Field, Problem};
use crate::rules::Sex;

/// The 12-digit personal ID number (số định danh cá nhân): `PPP G YY RRRRRR`.
///
/// It can only hold 12 ASCII digits. `Display` writes the full number; `Debug` masks all
/// but the first 3 and last 2 digits.
///
/// ```
/// let id: cccd::IdNumber = "079203001234".parse()?;
/// assert_eq!(id.birth_year(), 2003);
/// assert_eq!(id.sex(), cccd::Sex::Male);
/// assert_eq!(format!("{id:?}"), "IdNumber(\"079*********\")");
/// # Ok::<(), cccd::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IdNumber([u8; 12]);

impl IdNumber {
    pub(crate) fn parse_field(s: &str) -> Result<IdNumber, Error> {
        let digits = digits::<12>(s, Field::IdNumber, "12 digits")?;
        Ok(IdNumber(digits))
    }

    /// The number as text (12 ASCII digits).
    pub fn as_str(&self) -> &str {
        // Only ASCII digits are ever stored.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// The 12 digits as ASCII bytes.
    pub const fn digits(&self) -> &[u8; 12] {
        &self.0
    }

    /// The first three digits as a number: where the birth was registered (001–096 a
    /// province, 101–295 a country).
    pub const fn birthplace_code(&self) -> u16 {
        let d = &self.0;
        (d[0] - b'0') as u16 * 100 + (d[1] - b'0') as u16 * 10 + (d[2] - b'0') as u16
    }

    /// Where the birth was registered, from the first three digits: a province, a country
    /// (births registered abroad) or an unknown code. Does not allocate.
    ///
    /// ```
    /// let id: cccd::IdNumber = "079203001234".parse()?;
    /// let cccd::Birthplace::Province(p) = id.birthplace() else { panic!() };
    /// assert_eq!((p.name(), p.since_2025()), ("Hồ Chí Minh", "Hồ Chí Minh"));
    /// # Ok::<(), cccd::Error>(())
    /// ```
    pub fn birthplace(&self) -> Birthplace {
        Birthplace::from_code(self.birthplace_code())
    }

    /// The 4th digit, which encodes the century and the sex of birth.
    pub const fn century_sex_digit(&self) -> u8 {
        self.0[3] - b'0'
    }

    /// The century of birth in the usual counting: 20 for 1900–1999, 21 for 2000–2099, …
    /// 24 for 2300–2399.
    pub const fn century(&self) -> u8 {
        20 + self.century_sex_digit() / 2
    }

    /// The sex encoded by the 4th digit (even: male, odd: female).
    pub const fn sex(&self) -> Sex {
        if self.century_sex_digit() % 2 == 0 {
            Sex::Male
        } else {
            Sex::Female
        }
    }

    /// The full year of birth, from the century digit and the 5th–6th digits.
    pub const fn birth_year(&self) -> i32 {
        let yy = (self.0[4] - b'0') as i32 * 10 + (self.0[5] - b'0') as i32;
        1900 + (self.century_sex_digit() / 2) as i32 * 100 + yy
    }

    /// The number with all but the first 3 digits masked: `079*********`.
    pub fn masked(&self) -> String {
        mask(self.as_str())
    }
}

/// The first 3 characters kept (the birthplace code), the rest `*`; all `*` when 3 characters
/// or fewer (the one masking of ID numbers: `Debug`, [`IdNumber::masked`] and redacted
/// reports). Together with what a redacted report still says (birthplace), no more than the
/// 3 birthplace digits can be read back.
pub(crate) fn mask(s: &str) -> String {
    let n = s.chars().count();
    s.chars()
        .enumerate()
        .map(|(i, c)| if i < 3 && n > 3 { c } else { '*' })
        .collect()
}

impl fmt::Display for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("IdNumber").field(&self.masked()).finish()
    }
}

impl FromStr for IdNumber {
    type Err = Error;

    /// # Errors
    /// An [`ErrorCode::IdNumber`](crate::ErrorCode::IdNumber) error unless `s` is exactly
    /// 12 ASCII digits.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        IdNumber::parse_field(s)
    }
}

/// The old ID number (CMND): 9 digits, or 12 for the CMNDs issued 2012–2016.
///
/// `Display` writes the full number; `Debug` masks all but the first 3 and last 2 digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OldIdNumber {
    digits: [u8; 12],
    len: u8,
}

impl OldIdNumber {
    /// Parses the old-ID field: `None` when empty.
    pub(crate) fn parse_field(s: &str) -> Result<Option<OldIdNumber>, Error> {
        match s.len() {
            0 => Ok(None),
            9 => {
                let d = digits::<9>(s, Field::OldIdNumber, "9 or 12 digits")?;
                let mut digits = [0; 12];
                digits[..9].copy_from_slice(&d);
                Ok(Some(OldIdNumber { digits, len: 9 }))
            }
            _ => {
                let digits = digits::<12>(s, Field::OldIdNumber, "9 or 12 digits")?;
                Ok(Some(OldIdNumber { digits, len: 12 }))
            }
        }
    }

    /// The number as text (9 or 12 ASCII digits).
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.digits[..usize::from(self.len)]).unwrap_or_default()
    }

    /// The number with all but the first 3 digits masked: `123******`.
    pub fn masked(&self) -> String {
        mask(self.as_str())
    }
}

impl fmt::Display for OldIdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for OldIdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("OldIdNumber").field(&self.masked()).finish()
    }
}

impl FromStr for OldIdNumber {
    type Err = Error;

    /// # Errors
    /// An [`ErrorCode::OldIdNumber`](crate::ErrorCode::OldIdNumber) error unless `s` is
    /// exactly 9 or 12 ASCII digits.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        OldIdNumber::parse_field(s)?.ok_or(Error::new(
            Some(Field::OldIdNumber),
            0,
            Problem::EmptyField,
        ))
    }
}

/// Exactly `N` ASCII digits, or an error naming the first offending character (offsets are
/// relative to `s`).
fn digits<const N: usize>(s: &str, field: Field, expected: &'static str) -> Result<[u8; N], Error> {
    let bytes = s.as_bytes();
    if let Ok(digits) = <[u8; N]>::try_from(bytes) {
        // The common case, without an early exit so it compiles to a few vector compares.
        if digits.iter().fold(true, |ok, b| ok & b.is_ascii_digit()) {
            return Ok(digits);
        }
    }
    if let Some(pos) = bytes.iter().position(|b| !b.is_ascii_digit()) {
        let c = s[pos..].chars().next().unwrap_or('\0');
        return Err(Error::new(Some(field), pos, Problem::NotDigit(c)));
    }
    <[u8; N]>::try_from(bytes).map_err(|_| {
        Error::new(
            Some(field),
            0,
            Problem::Length {
                expected,
                found: bytes.len(),
            },
        )
    })
}
