//! The one error type of the crate.

use std::fmt;

/// Which field of the payload an error or a repair is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Field {
    /// Field 1: the 12-digit personal ID number.
    IdNumber,
    /// Field 2: the old 9- (or 12-) digit ID number (CMND), possibly empty.
    OldIdNumber,
    /// Field 3: the full name.
    FullName,
    /// Field 4: the date of birth, `ddmmyyyy`.
    DateOfBirth,
    /// Field 5: the sex, `Nam` or `Nữ`.
    Sex,
    /// Field 6: the place of residence.
    Address,
    /// Field 7: the issue date, `ddmmyyyy`.
    IssueDate,
    /// Fields 8 to 11 of the 2024 layout (opaque).
    ExtraField,
}

impl Field {
    /// The field's name as used in JSON output: `id_number`, `old_id_number`, …
    pub const fn as_str(self) -> &'static str {
        match self {
            Field::IdNumber => "id_number",
            Field::OldIdNumber => "old_id_number",
            Field::FullName => "full_name",
            Field::DateOfBirth => "date_of_birth",
            Field::Sex => "sex",
            Field::Address => "address",
            Field::IssueDate => "issue_date",
            Field::ExtraField => "extra_field",
        }
    }

    /// The field's name for people: `id number`, `date of birth`, …
    const fn human(self) -> &'static str {
        match self {
            Field::IdNumber => "id number",
            Field::OldIdNumber => "old id number",
            Field::FullName => "full name",
            Field::DateOfBirth => "date of birth",
            Field::Sex => "sex",
            Field::Address => "address",
            Field::IssueDate => "issue date",
            Field::ExtraField => "extra field",
        }
    }

    pub(crate) const fn code(self) -> ErrorCode {
        match self {
            Field::IdNumber => ErrorCode::IdNumber,
            Field::OldIdNumber => ErrorCode::OldIdNumber,
            Field::FullName => ErrorCode::FullName,
            Field::DateOfBirth => ErrorCode::DateOfBirth,
            Field::Sex => ErrorCode::Sex,
            Field::Address => ErrorCode::Address,
            Field::IssueDate => ErrorCode::IssueDate,
            Field::ExtraField => ErrorCode::ExtraField,
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A machine-readable error code, stable across releases (see [`ErrorCode::as_str`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ErrorCode {
    /// The input is empty.
    Empty,
    /// The input is longer than [`MAX_PAYLOAD_LEN`](crate::MAX_PAYLOAD_LEN) bytes.
    TooLong,
    /// The input is not valid UTF-8 (and no repair applied).
    Encoding,
    /// The input does not have 7 or 11 `|`-separated fields.
    FieldCount,
    /// The personal ID number is not 12 ASCII digits.
    IdNumber,
    /// The old ID number is neither empty nor 9 or 12 ASCII digits.
    OldIdNumber,
    /// The full name is empty, blank, not NFC, or holds a character outside the Vietnamese
    /// repertoire (see [`Reason`]).
    FullName,
    /// The date of birth is not a real `ddmmyyyy` date.
    DateOfBirth,
    /// The sex is neither `Nam` nor `Nữ`.
    Sex,
    /// The address is empty, blank, not NFC, or holds a character outside the Vietnamese
    /// repertoire (see [`Reason`]).
    Address,
    /// The issue date is not a real `ddmmyyyy` date.
    IssueDate,
    /// One of the 2024 layout's extra fields holds a control or format character or U+FFFD,
    /// or is not NFC.
    ExtraField,
}

impl ErrorCode {
    /// The code as used in JSON output: `empty`, `too_long`, `encoding`, `field_count`,
    /// `id_number`, `old_id_number`, `full_name`, `date_of_birth`, `sex`, `address`,
    /// `issue_date`, `extra_field`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Empty => "empty",
            ErrorCode::TooLong => "too_long",
            ErrorCode::Encoding => "encoding",
            ErrorCode::FieldCount => "field_count",
            ErrorCode::IdNumber => "id_number",
            ErrorCode::OldIdNumber => "old_id_number",
            ErrorCode::FullName => "full_name",
            ErrorCode::DateOfBirth => "date_of_birth",
            ErrorCode::Sex => "sex",
            ErrorCode::Address => "address",
            ErrorCode::IssueDate => "issue_date",
            ErrorCode::ExtraField => "extra_field",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What exactly went wrong, next to the [`ErrorCode`] that says where: stable codes for
/// programs (see [`Reason::as_str`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Reason {
    /// The input is empty.
    Empty,
    /// The input is too long.
    TooLong,
    /// The input is not UTF-8.
    InvalidUtf8,
    /// Not 7 or 11 fields.
    FieldCount,
    /// A field has the wrong number of characters.
    WrongLength,
    /// A character that should be a digit is not.
    NotADigit,
    /// A field that must hold text is empty.
    EmptyField,
    /// A control character (C0, DEL, C1) or a Unicode format character (bidi controls,
    /// zero-width characters, soft hyphen, BOM inside the text).
    ControlOrFormatChar,
    /// U+FFFD, the replacement character: a decoder met bytes it could not read.
    ReplacementChar,
    /// A character outside the Vietnamese repertoire of names and addresses
    /// ([`is_vietnamese_text_char`](crate::is_vietnamese_text_char)).
    NotVietnameseText,
    /// A character that UTF-8 read in a legacy charset produces (Latin-1 symbols,
    /// Windows-1252 punctuation, kana, CJK, Hangul): the payload was decoded wrongly.
    LikelyMojibake,
    /// A name or address made of spaces only.
    Blank,
    /// Text not in Unicode normalisation form C.
    NotNfc,
    /// A month outside 1–12.
    MonthOutOfRange,
    /// A day that the month does not have.
    DayOutOfRange,
    /// The year 0000.
    YearZero,
    /// Neither `Nam` nor `Nữ`.
    NotASex,
    /// A year before 1900 or after 2399 (what the ID number's century digit can say).
    YearOutOfRange,
}

impl Reason {
    /// The reason as used in JSON: `empty`, `too_long`, `invalid_utf8`, `field_count`,
    /// `wrong_length`, `not_a_digit`, `empty_field`, `control_or_format_char`, `not_nfc`,
    /// `month_out_of_range`, `day_out_of_range`, `year_zero`, `not_a_sex`,
    /// `replacement_char`, `not_vietnamese_text`, `likely_mojibake`, `blank`,
    /// `year_out_of_range`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Reason::Empty => "empty",
            Reason::TooLong => "too_long",
            Reason::InvalidUtf8 => "invalid_utf8",
            Reason::FieldCount => "field_count",
            Reason::WrongLength => "wrong_length",
            Reason::NotADigit => "not_a_digit",
            Reason::EmptyField => "empty_field",
            Reason::ControlOrFormatChar => "control_or_format_char",
            Reason::NotNfc => "not_nfc",
            Reason::MonthOutOfRange => "month_out_of_range",
            Reason::DayOutOfRange => "day_out_of_range",
            Reason::YearZero => "year_zero",
            Reason::NotASex => "not_a_sex",
            Reason::ReplacementChar => "replacement_char",
            Reason::NotVietnameseText => "not_vietnamese_text",
            Reason::LikelyMojibake => "likely_mojibake",
            Reason::Blank => "blank",
            Reason::YearOutOfRange => "year_out_of_range",
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What exactly is wrong. Holds no payload text, at most one offending character.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Problem {
    Empty,
    TooLong {
        len: usize,
    },
    InvalidUtf8,
    FieldCount {
        found: usize,
    },
    Length {
        expected: &'static str,
        found: usize,
    },
    NotDigit(char),
    EmptyField,
    ControlChar(char),
    FormatChar(char),
    ReplacementChar,
    NotVietnamese(char),
    Mojibake(char),
    Blank,
    YearRange(u32),
    NotNfc,
    Month(u32),
    Day {
        day: u32,
        month: u32,
    },
    YearZero,
    NotSex,
}

/// Why a payload could not be parsed: a code, the field, and the byte offset in the input.
///
/// The message names the field and the problem and never contains the payload's text (at
/// most the one offending character, or its code point when it is a control character):
/// `invalid date of birth at byte 38: month 13`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", Render(self))]
#[non_exhaustive]
pub struct Error {
    code: ErrorCode,
    field: Option<Field>,
    offset: usize,
    problem: Problem,
}

impl Error {
    pub(crate) const fn new(field: Option<Field>, offset: usize, problem: Problem) -> Self {
        let code = match (field, problem) {
            (Some(field), _) => field.code(),
            (None, Problem::Empty) => ErrorCode::Empty,
            (None, Problem::TooLong { .. }) => ErrorCode::TooLong,
            (None, Problem::InvalidUtf8) => ErrorCode::Encoding,
            (None, _) => ErrorCode::FieldCount,
        };
        Error {
            code,
            field,
            offset,
            problem,
        }
    }

    /// The error [`parse`](crate::parse) gives for an input of `len` bytes when `len` is over
    /// [`MAX_PAYLOAD_LEN`](crate::MAX_PAYLOAD_LEN), for readers that stop reading an input
    /// early (a line reader that does not keep megabytes of one line, say).
    ///
    /// ```
    /// let long = "1".repeat(5000);
    /// assert_eq!(cccd::parse(&long).unwrap_err(), cccd::Error::too_long(5000));
    /// ```
    pub const fn too_long(len: usize) -> Self {
        Error::new(None, crate::MAX_PAYLOAD_LEN, Problem::TooLong { len })
    }

    pub(crate) fn shifted(mut self, by: usize) -> Self {
        self.offset += by;
        self
    }

    /// What exactly went wrong (`month_out_of_range`, `not_a_digit`, …).
    pub const fn reason(&self) -> Reason {
        match self.problem {
            Problem::Empty => Reason::Empty,
            Problem::TooLong { .. } => Reason::TooLong,
            Problem::InvalidUtf8 => Reason::InvalidUtf8,
            Problem::FieldCount { .. } => Reason::FieldCount,
            Problem::Length { .. } => Reason::WrongLength,
            Problem::NotDigit(_) => Reason::NotADigit,
            Problem::EmptyField => Reason::EmptyField,
            Problem::ControlChar(_) | Problem::FormatChar(_) => Reason::ControlOrFormatChar,
            Problem::ReplacementChar => Reason::ReplacementChar,
            Problem::NotVietnamese(_) => Reason::NotVietnameseText,
            Problem::Mojibake(_) => Reason::LikelyMojibake,
            Problem::Blank => Reason::Blank,
            Problem::YearRange(_) => Reason::YearOutOfRange,
            Problem::NotNfc => Reason::NotNfc,
            Problem::Month(_) => Reason::MonthOutOfRange,
            Problem::Day { .. } => Reason::DayOutOfRange,
            Problem::YearZero => Reason::YearZero,
            Problem::NotSex => Reason::NotASex,
        }
    }

    /// The machine-readable code.
    pub const fn code(&self) -> ErrorCode {
        self.code
    }

    /// The field the problem is in, if it is in one field (`None` for `empty`, `too_long`,
    /// `encoding` and `field_count`).
    pub const fn field(&self) -> Option<Field> {
        self.field
    }

    /// The byte offset in the input where the problem is.
    pub const fn offset(&self) -> usize {
        self.offset
    }
}

struct Render<'e>(&'e Error);

impl fmt::Display for Render<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = self.0;
        let at = e.offset;
        match e.field {
            Some(field) => write!(f, "invalid {} at byte {at}: ", field.human())?,
            None => match e.problem {
                Problem::Empty => return f.write_str("empty payload"),
                Problem::TooLong { len } => {
                    return write!(
                        f,
                        "payload too long: {len} bytes, at most {} allowed",
                        crate::MAX_PAYLOAD_LEN
                    )
                }
                Problem::InvalidUtf8 => return write!(f, "invalid utf-8 at byte {at}"),
                _ => write!(f, "wrong number of fields at byte {at}: ")?,
            },
        }
        match e.problem {
            Problem::FieldCount { found } => {
                write!(f, "expected 7 or 11 fields separated by '|', found {found}")
            }
            Problem::Length { expected, found } => {
                write!(f, "expected {expected}, found {found} characters")
            }
            Problem::NotDigit(c) if c.is_control() || c == '\u{feff}' => {
                write!(f, "U+{:04X} is not a digit", c as u32)
            }
            Problem::NotDigit(c) => write!(f, "{c:?} is not a digit"),
            Problem::EmptyField => f.write_str("empty"),
            Problem::ControlChar(c) => write!(f, "control character U+{:04X}", c as u32),
            Problem::FormatChar(c) => write!(f, "format character U+{:04X}", c as u32),
            Problem::ReplacementChar => {
                f.write_str("replacement character U+FFFD (the text was damaged when decoded)")
            }
            Problem::NotVietnamese(c) => write!(
                f,
                "U+{:04X} is not in the vietnamese repertoire of names and addresses",
                c as u32
            ),
            Problem::Mojibake(c) => write!(
                f,
                "U+{:04X} suggests mojibake (utf-8 decoded in another charset)",
                c as u32
            ),
            Problem::Blank => f.write_str("only spaces"),
            Problem::YearRange(y) => write!(f, "year {y} is outside 1900-2399"),
            Problem::NotNfc => f.write_str("text is not in unicode nfc (precomposed) form"),
            Problem::Month(m) => write!(f, "month {m}"),
            Problem::Day { day, month } => write!(f, "day {day} does not exist in month {month}"),
            Problem::YearZero => f.write_str("year 0"),
            Problem::NotSex => f.write_str("expected \"Nam\" or \"Nữ\""),
            Problem::Empty | Problem::TooLong { .. } | Problem::InvalidUtf8 => Ok(()),
        }
    }
}
