//! The typed MRZ record and how it is read from the 3 × 30 grid.

use std::fmt;

use chrono::{Datelike, NaiveDate};

use super::check_digit::CheckDigit;
use super::error::{Error, Problem};
use crate::id::IdNumber;
use crate::{Holder, Sex};

/// The expiry written on cards that never expire.
pub(crate) const NEVER: &[u8; 6] = b"991231";

/// The MRZ of a Vietnamese identity card (ICAO 9303 TD1, 3 lines × 30 characters), read and
/// checked.
///
/// ```text
/// IDVNM2030123450079203012345<<0    ID, VNM, document number + check, the 12-digit ID,
/// 0302014M2802013VNM<<<<<<<<<<<4    birth date + check, sex, expiry + check, nationality,
/// NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<    composite check; the name
/// ```
///
/// `Display` writes the three lines, so `cccd::mrz::parse(&mrz.to_string())` gives back an
/// equal record; [`Mrz::to_single_line`] writes the 90 characters as the chip's DG1 stores
/// them. `Debug` is redacted: it shows the masked ID number, nothing else.
///
/// ```
/// use cccd::{NaiveDate, Sex};
/// let text = "IDVNM2030123450079203012345<<0\n0302014M2802013VNM<<<<<<<<<<<4\nNGUYEN<<VAN<AN<<<<<<<<<<<<<<<<";
/// let mrz = cccd::mrz::parse(text)?;
/// assert_eq!(mrz.id_number().as_str(), "079203012345");
/// assert_eq!(mrz.document_number(), "203012345");
/// assert_eq!(mrz.date_of_birth(), NaiveDate::from_ymd_opt(2003, 2, 1).unwrap());
/// assert_eq!(mrz.sex(), Sex::Male);
/// assert_eq!(mrz.expiry_date(), NaiveDate::from_ymd_opt(2028, 2, 1));
/// assert_eq!((mrz.surname(), mrz.given_names()), ("NGUYEN", "VAN AN"));
/// assert!(mrz.check_digits().all_valid());
/// assert_eq!(mrz.to_string(), text);
/// assert_eq!(format!("{mrz:?}"), "Mrz { id_number: IdNumber(\"079*********\"), .. }");
/// # Ok::<(), cccd::mrz::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Mrz {
    /// The 90 characters, all from the MRZ alphabet.
    grid: [u8; 90],
    id_number: IdNumber,
    date_of_birth: NaiveDate,
    sex: Sex,
    expiry_date: Option<NaiveDate>,
    /// `SURNAME GIVEN NAMES`, words separated by one space.
    name: String,
    /// The surname's length in `name`.
    surname_len: usize,
    checks: CheckDigits,
}

/// Which of the five check digits match ([`Mrz::check_digits`]). A parser that requires valid
/// check digits (the default) only returns records where all five do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CheckDigits {
    valid: [bool; 5],
}

impl CheckDigits {
    /// Whether this check digit matches the characters it covers.
    pub const fn is_valid(&self, which: CheckDigit) -> bool {
        self.valid[which as usize]
    }

    /// Whether all five match.
    pub const fn all_valid(&self) -> bool {
        let v = self.valid;
        v[0] && v[1] && v[2] && v[3] && v[4]
    }

    /// Each check digit and whether it matches, in the order they stand in the MRZ.
    pub fn iter(&self) -> impl Iterator<Item = (CheckDigit, bool)> + '_ {
        CheckDigit::ALL.into_iter().map(|c| (c, self.is_valid(c)))
    }
}

impl Mrz {
    /// The document code (line 1 columns 1–2): `ID`.
    pub fn document_code(&self) -> &str {
        self.text(0, 2)
    }

    /// The issuing state (line 1 columns 3–5): always `VNM`.
    pub fn issuing_state(&self) -> &str {
        self.text(2, 5)
    }

    /// The document number (line 1 columns 6–14): 9 digits, on Vietnamese cards the ID
    /// number's last 9.
    pub fn document_number(&self) -> &str {
        self.text(5, 14)
    }

    /// The 12-digit personal ID number (line 1 columns 16–27, the optional data).
    pub const fn id_number(&self) -> &IdNumber {
        &self.id_number
    }

    /// The date of birth. Its century comes from the ID number's century digit (the 4th),
    /// not from a guess on the two-digit year.
    pub const fn date_of_birth(&self) -> NaiveDate {
        self.date_of_birth
    }

    /// The sex (`M` or `F`).
    pub const fn sex(&self) -> Sex {
        self.sex
    }

    /// The printed expiry date, or `None` when the card never expires (`991231`). The year is
    /// the first after the birth year that ends in the two printed digits (a card expires at
    /// the latest on the 60th birthday).
    pub const fn expiry_date(&self) -> Option<NaiveDate> {
        self.expiry_date
    }

    /// Whether the card never expires (expiry printed as `991231`).
    pub const fn expires_never(&self) -> bool {
        self.expiry_date.is_none()
    }

    /// The nationality (line 2 columns 16–18), `VNM` for citizens; fillers `<` kept.
    pub fn nationality(&self) -> &str {
        self.text(45, 48)
    }

    /// The surname, words separated by a space: `NGUYEN`.
    pub fn surname(&self) -> &str {
        &self.name[..self.surname_len]
    }

    /// The given names (middle and first names), words separated by a space: `VAN AN`;
    /// empty when the name line has no `<<`.
    pub fn given_names(&self) -> &str {
        self.name.get(self.surname_len + 1..).unwrap_or_default()
    }

    /// The whole name in the card's order, words separated by a space: `NGUYEN VAN AN`.
    pub fn full_name(&self) -> &str {
        &self.name
    }

    /// The holder as the MRZ describes them, for the rules ([`Holder::check`]); the MRZ has
    /// no issue date, so the checks that need one are skipped.
    pub fn holder(&self) -> Holder<'_> {
        Holder::new(
            &self.id_number,
            &self.name,
            self.date_of_birth,
            self.sex,
            None,
        )
    }

    /// Whether the name may have been cut to fit: its line's last character is a letter.
    pub const fn name_truncated(&self) -> bool {
        self.grid[89] != b'<'
    }

    /// Which check digits match.
    pub const fn check_digits(&self) -> CheckDigits {
        self.checks
    }

    /// The 90 characters on one line, as the chip's DG1 stores them.
    pub fn to_single_line(&self) -> String {
        self.text(0, 90).to_owned()
    }

    fn text(&self, from: usize, to: usize) -> &str {
        // The grid only ever holds ASCII.
        std::str::from_utf8(&self.grid[from..to]).unwrap_or_default()
    }
}

impl fmt::Display for Mrz {
    /// Writes the three lines, separated by `\n`, without a final line break.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}\n{}\n{}",
            self.text(0, 30),
            self.text(30, 60),
            self.text(60, 90)
        )
    }
}

impl fmt::Debug for Mrz {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mrz")
            .field("id_number", &self.id_number)
            .finish_non_exhaustive()
    }
}

impl std::str::FromStr for Mrz {
    type Err = Error;

    /// Strict parsing, as [`parse`](super::parse).
    ///
    /// # Errors
    /// As [`parse`](super::parse).
    fn from_str(s: &str) -> Result<Mrz, Error> {
        super::parse(s)
    }
}

/// Reads the fields of `grid` (every byte already in the MRZ alphabet), in reading order:
/// the first problem found is the error. With `require_checks`, a check digit that does not
/// match is an error; otherwise it is recorded in [`CheckDigits`].
pub(crate) fn read_grid(grid: &[u8; 90], require_checks: bool) -> Result<Mrz, Error> {
    let mut valid = [true; 5];
    let mut check = |which: CheckDigit| -> Result<(), Error> {
        let i = which.index();
        digits(grid, i, i + 1)?;
        if !which.holds(grid) {
            if require_checks {
                return Err(Error::at(i, Problem::CheckDigit(char::from(grid[i]))));
            }
            valid[which as usize] = false;
        }
        Ok(())
    };
    // Line 1.
    if grid[0] != b'I' {
        return Err(Error::at(0, Problem::NotIdentityCard));
    }
    letters_or_fillers(grid, 1, 2)?;
    if let Some(i) = (2..5).find(|&i| grid[i] != b"VNM"[i - 2]) {
        return Err(Error::at(i, Problem::NotVnm));
    }
    digits(grid, 5, 14)?;
    check(CheckDigit::DocumentNumber)?;
    digits(grid, 15, 27)?;
    let id_number: IdNumber = std::str::from_utf8(&grid[15..27])
        .ok()
        .and_then(|s| s.parse().ok())
        .ok_or(Error::at(15, Problem::NotDigit('?')))?;
    fillers(grid, 27, 29)?;
    check(CheckDigit::IdNumber)?;
    // Line 2.
    digits(grid, 30, 36)?;
    let century_base = id_number.birth_year() - id_number.birth_year() % 100;
    let date_of_birth = date(grid, 30, century_base)?;
    check(CheckDigit::DateOfBirth)?;
    let sex = match grid[37] {
        b'M' => Sex::Male,
        b'F' => Sex::Female,
        c => return Err(Error::at(37, Problem::NotSex(char::from(c)))),
    };
    digits(grid, 38, 44)?;
    let expiry_date = if &grid[38..44] == NEVER {
        None
    } else {
        let birth_year = date_of_birth.year();
        let mut base = birth_year - birth_year % 100;
        if base + two_digits(grid, 38) <= birth_year {
            base += 100;
        }
        Some(date(grid, 38, base)?)
    };
    check(CheckDigit::ExpiryDate)?;
    letters_or_fillers(grid, 45, 48)?;
    fillers(grid, 48, 59)?;
    check(CheckDigit::Composite)?;
    // Line 3.
    let (name, surname_len) = name(grid)?;
    Ok(Mrz {
        grid: *grid,
        id_number,
        date_of_birth,
        sex,
        expiry_date,
        name,
        surname_len,
        checks: CheckDigits { valid },
    })
}

fn digits(grid: &[u8; 90], from: usize, to: usize) -> Result<(), Error> {
    match (from..to).find(|&i| !grid[i].is_ascii_digit()) {
        Some(i) => Err(Error::at(i, Problem::NotDigit(char::from(grid[i])))),
        None => Ok(()),
    }
}

fn letters_or_fillers(grid: &[u8; 90], from: usize, to: usize) -> Result<(), Error> {
    match (from..to).find(|&i| !(grid[i].is_ascii_uppercase() || grid[i] == b'<')) {
        Some(i) => Err(Error::at(
            i,
            Problem::NotLetterOrFiller(char::from(grid[i])),
        )),
        None => Ok(()),
    }
}

fn fillers(grid: &[u8; 90], from: usize, to: usize) -> Result<(), Error> {
    match (from..to).find(|&i| grid[i] != b'<') {
        Some(i) => Err(Error::at(i, Problem::NotFiller(char::from(grid[i])))),
        None => Ok(()),
    }
}

fn two_digits(grid: &[u8; 90], i: usize) -> i32 {
    i32::from(grid[i] - b'0') * 10 + i32::from(grid[i + 1] - b'0')
}

/// The `YYMMDD` date at `i` (digits already checked), in the century starting at `base`.
fn date(grid: &[u8; 90], i: usize, base: i32) -> Result<NaiveDate, Error> {
    let year = base + two_digits(grid, i);
    let month = two_digits(grid, i + 2).unsigned_abs();
    let day = two_digits(grid, i + 4).unsigned_abs();
    if !(1..=12).contains(&month) {
        return Err(Error::at(i + 2, Problem::Month(month)));
    }
    NaiveDate::from_ymd_opt(year, month, day).ok_or(Error::at(i + 4, Problem::Day { day, month }))
}

/// The name line: letters and `<`, starting with a letter; the first `<<` separates the
/// surname from the given names; trailing `<` are padding. Returns the name with spaces and
/// the surname's length.
fn name(grid: &[u8; 90]) -> Result<(String, usize), Error> {
    letters_or_fillers(grid, 60, 90)?;
    if grid[60] == b'<' {
        return Err(Error::at(60, Problem::NameStartsWithFiller));
    }
    let end = (60..90)
        .rev()
        .find(|&i| grid[i] != b'<')
        .map_or(60, |i| i + 1);
    let body = &grid[60..end];
    let mut separator = None;
    let mut run = 0;
    for (k, &c) in body.iter().enumerate() {
        if c == b'<' {
            run += 1;
            if run == 3 {
                return Err(Error::at(60 + k, Problem::NameTripleFiller));
            }
            if run == 2 {
                if separator.is_some() {
                    return Err(Error::at(60 + k - 1, Problem::NameTwoSeparators));
                }
                separator = Some(k - 1);
            }
        } else {
            run = 0;
        }
    }
    let words = |b: &[u8]| -> String {
        b.iter()
            .map(|&c| if c == b'<' { ' ' } else { char::from(c) })
            .collect()
    };
    Ok(match separator {
        Some(k) => {
            let mut name = words(&body[..k]);
            name.push(' ');
            name.push_str(&words(&body[k + 2..]));
            (name, k)
        }
        None => (words(body), body.len()),
    })
}

#[cfg(feature = "serde")]
mod serde_impl {
    use serde::ser::SerializeStruct;
    use serde::{Serialize, Serializer};

    use super::{CheckDigits, Mrz};

    impl Serialize for CheckDigits {
        /// `{"document_number": true, "id_number": true, "date_of_birth": true,
        /// "expiry_date": true, "composite": true}`.
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut st = s.serialize_struct("CheckDigits", 5)?;
            for (which, valid) in self.iter() {
                st.serialize_field(which.as_str(), &valid)?;
            }
            st.end()
        }
    }

    impl Serialize for Mrz {
        /// The record's fields, snake_case keys, ISO dates, `expiry_date` `null` when the
        /// card never expires.
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut st = s.serialize_struct("Mrz", 13)?;
            st.serialize_field("document_code", self.document_code())?;
            st.serialize_field("issuing_state", self.issuing_state())?;
            st.serialize_field("document_number", self.document_number())?;
            st.serialize_field("id_number", self.id_number.as_str())?;
            st.serialize_field("date_of_birth", &self.date_of_birth)?;
            st.serialize_field("sex", &self.sex)?;
            st.serialize_field("expiry_date", &self.expiry_date)?;
            st.serialize_field("expires_never", &self.expires_never())?;
            st.serialize_field("nationality", self.nationality())?;
            st.serialize_field("surname", self.surname())?;
            st.serialize_field("given_names", self.given_names())?;
            st.serialize_field("name_truncated", &self.name_truncated())?;
            st.serialize_field("check_digits", &self.checks)?;
            st.end()
        }
    }
}
