//! The MRZ on the back of the card (ICAO 9303 TD1: 3 lines × 30 characters), as printed and
//! as the chip's DG1 stores it (the same 90 characters on one line).
//!
//! ```text
//! IDVNM2030123450079203012345<<0
//! 0302014M2802013VNM<<<<<<<<<<<4
//! NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<
//! ```
//!
//! Line 1: `ID`, `VNM`, the document number (the ID number's last 9 digits) and its check
//! digit, the full 12-digit ID number, `<<`, the ID number's check digit (Vietnam-specific).
//! Line 2: date of birth `YYMMDD` and check digit, sex `M`/`F`, expiry `YYMMDD` (`991231`:
//! never) and check digit, nationality, 11 fillers, the composite check digit. Line 3:
//! `SURNAME<<GIVEN<NAMES`, folded to ASCII, padded with `<`.
//!
//! [`parse`] is strict; [`Parser`] has a lenient mode for what OCR and keyboard-wedge
//! readers produce, reporting every [`Repair`]. [`cross_check`] compares the MRZ with the QR
//! payload.
//!
//! ```
//! use cccd::mrz::{ErrorCode, Parser, Reason, Repair};
//! let text = "IDVNM2030123450079203012345<<0\n0302014M2802013VNM<<<<<<<<<<<4\nNGUYEN<<VAN<AN<<<<<<<<<<<<<<<<";
//! let mrz = cccd::mrz::parse(text)?;
//! assert_eq!(mrz.date_of_birth().to_string(), "2003-02-01"); // century from the ID's 4th digit
//!
//! // OCR read the 0 of the birth date as the letter O: strict parsing refuses, lenient
//! // parsing repairs it because the birth date's check digit confirms it.
//! let ocr = "  idvnm2030123450079203012345<<0\r\n03O2014M2802013VNM<<<<<<<<<<<4\r\nNGUYEN<<VAN<AN<<<<<<<<<<<<<<<<\r\n";
//! assert!(cccd::mrz::parse(ocr).is_err());
//! let parsed = Parser::new().lenient(true).parse(ocr)?;
//! assert_eq!(parsed.mrz, mrz);
//! let codes: Vec<&str> = parsed.repairs.iter().map(|r| r.as_str()).collect();
//! assert_eq!(codes, ["whitespace_trimmed", "line_endings_normalized", "uppercased", "o_to_0"]);
//! assert_eq!(parsed.repairs[3].position(), Some((2, 3)));
//!
//! // A wrong check digit is an error naming its line and column.
//! let err = cccd::mrz::parse(&text.replace("0302014M", "0302015M")).unwrap_err();
//! assert_eq!((err.code(), err.reason()), (ErrorCode::DateOfBirthCheckDigit, Reason::CheckDigitMismatch));
//! assert_eq!(err.to_string(), "invalid date of birth check digit at line 2, column 7: check digit '5' does not match");
//! # Ok::<(), cccd::mrz::Error>(())
//! ```
//!
//! No generic MRZ crate is used: the generic part (7-3-1 check digits, fixed columns) is a
//! few lines, and what matters here is Vietnam-specific (the 12-digit ID and its check digit,
//! the century from the ID, `991231`), plus errors by line and column that never echo the
//! MRZ text.

mod check_digit;
pub(crate) mod cross;
mod error;
mod lenient;
mod record;

pub use check_digit::{check_digit, CheckDigit};
pub use cross::cross_check;
pub use error::{Error, ErrorCode, Field, Reason};
pub use lenient::Repair;
pub use record::{CheckDigits, Mrz};

use error::Problem;

/// The longest input accepted, in bytes (the MRZ is 92; the rest leaves room for whitespace
/// in lenient mode). Longer input is rejected with [`ErrorCode::TooLong`] before any scanning.
pub const MAX_LEN: usize = 1024;

/// Parses an MRZ strictly: 3 lines of 30 characters separated by `\n` (no final line
/// break), or the 90 characters on one line as the chip's DG1 holds them; every check digit
/// must match.
///
/// # Errors
/// An [`Error`] with the code, field, line and column of the first problem in reading order.
pub fn parse(input: &str) -> Result<Mrz, Error> {
    Parser::new().parse(input).map(|p| p.mrz)
}

/// Parses an MRZ strictly from bytes, e.g. the 90 bytes of the MRZ in the chip's DG1.
///
/// # Errors
/// An [`ErrorCode::Encoding`] error when the bytes are not UTF-8, else as [`parse`].
pub fn parse_bytes(input: &[u8]) -> Result<Mrz, Error> {
    Parser::new().parse_bytes(input).map(|p| p.mrz)
}

/// An MRZ parser with options: strict by default.
///
/// ```
/// use cccd::mrz::{CheckDigit, Parser};
/// // The expiry's check digit is wrong (3 printed as 8).
/// let text = "IDVNM2030123450079203012345<<0\n0302014M2802018VNM<<<<<<<<<<<4\nNGUYEN<<VAN<AN<<<<<<<<<<<<<<<<";
/// assert!(cccd::mrz::parse(text).is_err());
/// let parsed = Parser::new().require_check_digits(false).parse(text)?;
/// let checks = parsed.mrz.check_digits();
/// assert!(!checks.is_valid(CheckDigit::ExpiryDate));
/// assert!(!checks.is_valid(CheckDigit::Composite));
/// assert!(checks.is_valid(CheckDigit::DateOfBirth));
/// # Ok::<(), cccd::mrz::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Parser {
    lenient: bool,
    require_check_digits: bool,
}

impl Default for Parser {
    fn default() -> Self {
        Parser::new()
    }
}

/// An MRZ and the repairs the parser applied to read it (empty in strict mode).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Parsed {
    /// The MRZ.
    pub mrz: Mrz,
    /// Every repair applied, in the order applied.
    pub repairs: Vec<Repair>,
}

impl Parser {
    /// A strict parser requiring valid check digits (the same as [`parse`]).
    pub const fn new() -> Self {
        Parser {
            lenient: false,
            require_check_digits: true,
        }
    }

    /// Lenient mode accepts what OCR and keyboard-wedge readers produce and reports each
    /// [`Repair`]: whitespace around the MRZ or its lines, CR LF or CR line breaks, spaces
    /// inside lines, lower case, lines broken elsewhere than every 30 characters (90
    /// characters however split, blank lines), a name line missing trailing fillers, and the
    /// letters `O`, `I`, `B`, `S` read for the digits `0`, `1`, `8`, `5` in the digit-only
    /// fields, each only where the field's check digit then matches. Nothing else is
    /// guessed: a confusion no check digit confirms (in the name, the nationality, a field
    /// whose check digit still fails) stays an error.
    pub const fn lenient(self, yes: bool) -> Self {
        Parser {
            lenient: yes,
            ..self
        }
    }

    /// With `false`, a check digit that does not match is not an error: the record is
    /// returned with the result in [`Mrz::check_digits`] (for forensic reading of damaged
    /// documents). Default `true`.
    pub const fn require_check_digits(self, yes: bool) -> Self {
        Parser {
            require_check_digits: yes,
            ..self
        }
    }

    /// Parses an MRZ.
    ///
    /// # Errors
    /// An [`Error`] with the code, field, line and column of the first problem in reading
    /// order; in lenient mode, of the first problem left after the repairs (positions in
    /// the repaired 3 × 30 grid).
    pub fn parse(&self, input: &str) -> Result<Parsed, Error> {
        if input.is_empty() {
            return Err(Error::shape(1, 1, Problem::Empty));
        }
        if input.len() > MAX_LEN {
            return Err(Error::shape(1, 1, Problem::TooLong { len: input.len() }));
        }
        let mut repairs = Vec::new();
        let grid = if self.lenient {
            lenient::lenient_grid(input, &mut repairs)?
        } else {
            lenient::strict_grid(input)?
        };
        let mrz = record::read_grid(&grid, self.require_check_digits)?;
        Ok(Parsed { mrz, repairs })
    }

    /// Parses an MRZ from bytes (the chip's DG1 holds 90 ASCII bytes).
    ///
    /// # Errors
    /// An [`ErrorCode::Encoding`] error at the first byte that is not UTF-8, else as
    /// [`Parser::parse`].
    pub fn parse_bytes(&self, input: &[u8]) -> Result<Parsed, Error> {
        if input.len() > MAX_LEN {
            return Err(Error::shape(1, 1, Problem::TooLong { len: input.len() }));
        }
        match std::str::from_utf8(input) {
            Ok(s) => self.parse(s),
            Err(e) => {
                let before = &input[..e.valid_up_to()];
                let line_start = before
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |i| i + 1);
                let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
                // The bytes before the error are UTF-8: count their characters.
                let column =
                    std::str::from_utf8(&before[line_start..]).map_or(0, |s| s.chars().count()) + 1;
                Err(Error::shape(line, column, Problem::NotUtf8))
            }
        }
    }
}
