//! The MRZ parser's error: a stable code, the field, and the line and column.

use std::fmt;

/// Which part of the MRZ an error or a check is about, by position (ICAO 9303 TD1 as
/// Vietnamese cards fill it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Field {
    /// Line 1 columns 1–2: `ID`.
    DocumentCode,
    /// Line 1 columns 3–5: `VNM`.
    IssuingState,
    /// Line 1 columns 6–14: the document number (the ID number's last 9 digits).
    DocumentNumber,
    /// Line 1 column 15.
    DocumentNumberCheckDigit,
    /// Line 1 columns 16–27: the 12-digit personal ID number.
    IdNumber,
    /// Line 1 column 30.
    IdNumberCheckDigit,
    /// Line 1 columns 28–29 and line 2 columns 19–29: fillers `<`.
    Filler,
    /// Line 2 columns 1–6: `YYMMDD`.
    DateOfBirth,
    /// Line 2 column 7.
    DateOfBirthCheckDigit,
    /// Line 2 column 8: `M` or `F`.
    Sex,
    /// Line 2 columns 9–14: `YYMMDD`, `991231` for a card that never expires.
    ExpiryDate,
    /// Line 2 column 15.
    ExpiryDateCheckDigit,
    /// Line 2 columns 16–18.
    Nationality,
    /// Line 2 column 30.
    CompositeCheckDigit,
    /// Line 3: `SURNAME<<GIVEN<NAMES`, padded with `<`.
    Name,
}

impl Field {
    /// The field's name as used in JSON: `document_code`, `issuing_state`,
    /// `document_number`, `document_number_check_digit`, `id_number`,
    /// `id_number_check_digit`, `filler`, `date_of_birth`, `date_of_birth_check_digit`,
    /// `sex`, `expiry_date`, `expiry_date_check_digit`, `nationality`,
    /// `composite_check_digit`, `name`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Field::DocumentCode => "document_code",
            Field::IssuingState => "issuing_state",
            Field::DocumentNumber => "document_number",
            Field::DocumentNumberCheckDigit => "document_number_check_digit",
            Field::IdNumber => "id_number",
            Field::IdNumberCheckDigit => "id_number_check_digit",
            Field::Filler => "filler",
            Field::DateOfBirth => "date_of_birth",
            Field::DateOfBirthCheckDigit => "date_of_birth_check_digit",
            Field::Sex => "sex",
            Field::ExpiryDate => "expiry_date",
            Field::ExpiryDateCheckDigit => "expiry_date_check_digit",
            Field::Nationality => "nationality",
            Field::CompositeCheckDigit => "composite_check_digit",
            Field::Name => "name",
        }
    }

    /// The field at index `i` (0–89) of the 90 characters.
    pub(crate) const fn at(i: usize) -> Field {
        match i {
            0..=1 => Field::DocumentCode,
            2..=4 => Field::IssuingState,
            5..=13 => Field::DocumentNumber,
            14 => Field::DocumentNumberCheckDigit,
            15..=26 => Field::IdNumber,
            27..=28 | 48..=58 => Field::Filler,
            29 => Field::IdNumberCheckDigit,
            30..=35 => Field::DateOfBirth,
            36 => Field::DateOfBirthCheckDigit,
            37 => Field::Sex,
            38..=43 => Field::ExpiryDate,
            44 => Field::ExpiryDateCheckDigit,
            45..=47 => Field::Nationality,
            59 => Field::CompositeCheckDigit,
            _ => Field::Name,
        }
    }

    /// The name for people.
    const fn human(self) -> &'static str {
        match self {
            Field::DocumentCode => "document code",
            Field::IssuingState => "issuing state",
            Field::DocumentNumber => "document number",
            Field::DocumentNumberCheckDigit => "document number check digit",
            Field::IdNumber => "id number",
            Field::IdNumberCheckDigit => "id number check digit",
            Field::Filler => "filler",
            Field::DateOfBirth => "date of birth",
            Field::DateOfBirthCheckDigit => "date of birth check digit",
            Field::Sex => "sex",
            Field::ExpiryDate => "expiry date",
            Field::ExpiryDateCheckDigit => "expiry date check digit",
            Field::Nationality => "nationality",
            Field::CompositeCheckDigit => "composite check digit",
            Field::Name => "name",
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where the problem is, stable across releases (see [`ErrorCode::as_str`]): the input's
/// shape, or the [`Field`] (same name) the problem is in. [`Reason`] says what is wrong, as
/// for the QR payload's errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ErrorCode {
    /// The input is empty (or, in lenient mode, only whitespace).
    Empty,
    /// The input is longer than [`MAX_LEN`](super::MAX_LEN) bytes.
    TooLong,
    /// The input bytes are not UTF-8 ([`parse_bytes`](super::parse_bytes)).
    Encoding,
    /// Not 3 lines (or one line of 90 characters).
    LineCount,
    /// A line does not have 30 characters (or the single line 90).
    LineLength,
    /// A character outside the 3 × 30 grid that the MRZ alphabet does not have (e.g. a CR at column 31).
    Character,
    /// A problem in [`Field::DocumentCode`].
    DocumentCode,
    /// A problem in [`Field::IssuingState`].
    IssuingState,
    /// A problem in [`Field::DocumentNumber`].
    DocumentNumber,
    /// A problem in [`Field::DocumentNumberCheckDigit`].
    DocumentNumberCheckDigit,
    /// A problem in [`Field::IdNumber`].
    IdNumber,
    /// A problem in [`Field::IdNumberCheckDigit`].
    IdNumberCheckDigit,
    /// A problem in [`Field::Filler`].
    Filler,
    /// A problem in [`Field::DateOfBirth`].
    DateOfBirth,
    /// A problem in [`Field::DateOfBirthCheckDigit`].
    DateOfBirthCheckDigit,
    /// A problem in [`Field::Sex`].
    Sex,
    /// A problem in [`Field::ExpiryDate`].
    ExpiryDate,
    /// A problem in [`Field::ExpiryDateCheckDigit`].
    ExpiryDateCheckDigit,
    /// A problem in [`Field::Nationality`].
    Nationality,
    /// A problem in [`Field::CompositeCheckDigit`].
    CompositeCheckDigit,
    /// A problem in [`Field::Name`].
    Name,
}

impl ErrorCode {
    /// The code as used in JSON: `empty`, `too_long`, `encoding`, `line_count`,
    /// `line_length`, `character`, or a field's name ([`Field::as_str`]).
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Empty => "empty",
            ErrorCode::TooLong => "too_long",
            ErrorCode::Encoding => "encoding",
            ErrorCode::LineCount => "line_count",
            ErrorCode::LineLength => "line_length",
            ErrorCode::Character => "character",
            ErrorCode::DocumentCode => Field::DocumentCode.as_str(),
            ErrorCode::IssuingState => Field::IssuingState.as_str(),
            ErrorCode::DocumentNumber => Field::DocumentNumber.as_str(),
            ErrorCode::DocumentNumberCheckDigit => Field::DocumentNumberCheckDigit.as_str(),
            ErrorCode::IdNumber => Field::IdNumber.as_str(),
            ErrorCode::IdNumberCheckDigit => Field::IdNumberCheckDigit.as_str(),
            ErrorCode::Filler => Field::Filler.as_str(),
            ErrorCode::DateOfBirth => Field::DateOfBirth.as_str(),
            ErrorCode::DateOfBirthCheckDigit => Field::DateOfBirthCheckDigit.as_str(),
            ErrorCode::Sex => Field::Sex.as_str(),
            ErrorCode::ExpiryDate => Field::ExpiryDate.as_str(),
            ErrorCode::ExpiryDateCheckDigit => Field::ExpiryDateCheckDigit.as_str(),
            ErrorCode::Nationality => Field::Nationality.as_str(),
            ErrorCode::CompositeCheckDigit => Field::CompositeCheckDigit.as_str(),
            ErrorCode::Name => Field::Name.as_str(),
        }
    }

    const fn of(field: Field) -> ErrorCode {
        match field {
            Field::DocumentCode => ErrorCode::DocumentCode,
            Field::IssuingState => ErrorCode::IssuingState,
            Field::DocumentNumber => ErrorCode::DocumentNumber,
            Field::DocumentNumberCheckDigit => ErrorCode::DocumentNumberCheckDigit,
            Field::IdNumber => ErrorCode::IdNumber,
            Field::IdNumberCheckDigit => ErrorCode::IdNumberCheckDigit,
            Field::Filler => ErrorCode::Filler,
            Field::DateOfBirth => ErrorCode::DateOfBirth,
            Field::DateOfBirthCheckDigit => ErrorCode::DateOfBirthCheckDigit,
            Field::Sex => ErrorCode::Sex,
            Field::ExpiryDate => ErrorCode::ExpiryDate,
            Field::ExpiryDateCheckDigit => ErrorCode::ExpiryDateCheckDigit,
            Field::Nationality => ErrorCode::Nationality,
            Field::CompositeCheckDigit => ErrorCode::CompositeCheckDigit,
            Field::Name => ErrorCode::Name,
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What exactly went wrong, next to the [`ErrorCode`] that says where: stable codes for
/// programs (see [`Reason::as_str`]). Reasons the QR payload's errors share
/// ([`crate::Reason`]) have the same names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Reason {
    /// Nothing to read.
    Empty,
    /// The input is too long.
    TooLong,
    /// The bytes are not UTF-8.
    InvalidUtf8,
    /// Not 3 lines (or one of 90 characters).
    LineCount,
    /// A line has the wrong number of characters.
    WrongLength,
    /// A character the MRZ alphabet (`A`–`Z`, `0`–`9`, `<`) does not have.
    NotAnMrzCharacter,
    /// A lower-case letter (the MRZ is upper case).
    Lowercase,
    /// A character that should be a digit is not.
    NotADigit,
    /// A character that should be a letter or `<` is not.
    NotALetter,
    /// The document code does not start with `I`.
    NotAnIdentityCard,
    /// The issuing state is not `VNM`.
    NotVietnam,
    /// A month outside 1–12.
    MonthOutOfRange,
    /// A day that the month does not have (in that year).
    DayOutOfRange,
    /// Neither `M` nor `F`.
    NotASex,
    /// A filler position holds something else than `<`.
    NotAFiller,
    /// The name line starts with `<`.
    NameStartsWithFiller,
    /// Three `<` in a row inside the name.
    NameTripleFiller,
    /// A second `<<` inside the name.
    NameTwoSeparators,
    /// A check digit does not match the characters it covers.
    CheckDigitMismatch,
}

impl Reason {
    /// The reason as used in JSON: `empty`, `too_long`, `invalid_utf8`, `line_count`, `wrong_length`, `not_an_mrz_character`, `lowercase`, `not_a_digit`, `not_a_letter`, `not_an_identity_card`, `not_vietnam`, `month_out_of_range`, `day_out_of_range`, `not_a_sex`, `not_a_filler`, `name_starts_with_filler`, `name_triple_filler`, `name_two_separators`, `check_digit_mismatch`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Reason::Empty => "empty",
            Reason::TooLong => "too_long",
            Reason::InvalidUtf8 => "invalid_utf8",
            Reason::LineCount => "line_count",
            Reason::WrongLength => "wrong_length",
            Reason::NotAnMrzCharacter => "not_an_mrz_character",
            Reason::Lowercase => "lowercase",
            Reason::NotADigit => "not_a_digit",
            Reason::NotALetter => "not_a_letter",
            Reason::NotAnIdentityCard => "not_an_identity_card",
            Reason::NotVietnam => "not_vietnam",
            Reason::MonthOutOfRange => "month_out_of_range",
            Reason::DayOutOfRange => "day_out_of_range",
            Reason::NotASex => "not_a_sex",
            Reason::NotAFiller => "not_a_filler",
            Reason::NameStartsWithFiller => "name_starts_with_filler",
            Reason::NameTripleFiller => "name_triple_filler",
            Reason::NameTwoSeparators => "name_two_separators",
            Reason::CheckDigitMismatch => "check_digit_mismatch",
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What exactly is wrong. Holds no MRZ text, at most the one offending character.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Problem {
    Empty,
    TooLong { len: usize },
    NotUtf8,
    LineCount { found: usize },
    LineLength { found: usize, single: bool },
    NotMrzChar(char),
    NotDigit(char),
    NotLetterOrFiller(char),
    NotIdentityCard,
    NotVnm,
    Month(u32),
    Day { day: u32, month: u32 },
    NotSex(char),
    NotFiller(char),
    NameStartsWithFiller,
    NameTripleFiller,
    NameTwoSeparators,
    CheckDigit(char),
}

impl Problem {
    const fn reason(self) -> Reason {
        match self {
            Problem::Empty => Reason::Empty,
            Problem::TooLong { .. } => Reason::TooLong,
            Problem::NotUtf8 => Reason::InvalidUtf8,
            Problem::LineCount { .. } => Reason::LineCount,
            Problem::LineLength { .. } => Reason::WrongLength,
            Problem::NotMrzChar(c) if c.is_ascii_lowercase() => Reason::Lowercase,
            Problem::NotMrzChar(_) => Reason::NotAnMrzCharacter,
            Problem::NotDigit(_) => Reason::NotADigit,
            Problem::NotLetterOrFiller(_) => Reason::NotALetter,
            Problem::NotIdentityCard => Reason::NotAnIdentityCard,
            Problem::NotVnm => Reason::NotVietnam,
            Problem::Month(_) => Reason::MonthOutOfRange,
            Problem::Day { .. } => Reason::DayOutOfRange,
            Problem::NotSex(_) => Reason::NotASex,
            Problem::NotFiller(_) => Reason::NotAFiller,
            Problem::NameStartsWithFiller => Reason::NameStartsWithFiller,
            Problem::NameTripleFiller => Reason::NameTripleFiller,
            Problem::NameTwoSeparators => Reason::NameTwoSeparators,
            Problem::CheckDigit(_) => Reason::CheckDigitMismatch,
        }
    }
}

/// Why an MRZ could not be read: where ([`code`](Error::code), the [`field`](Error::field)
/// when the problem is in one, the 1-based [`line`](Error::line) and
/// [`column`](Error::column)) and what ([`reason`](Error::reason), [`detail`](Error::detail)),
/// in the scheme of the QR payload's [`crate::Error`].
///
/// Positions count characters. Once the input has the MRZ's shape (3 lines of 30, or 90
/// characters on one line as the chip's DG1 stores them), they are positions in the 3 × 30
/// grid (for a 90-character line, character 31 is line 2 column 1); in lenient mode, in the
/// grid after the layout repairs. Before that (line count and length errors) they are lines
/// of the input.
///
/// The message never contains MRZ text, at most the one offending character:
/// `invalid date of birth at line 2, column 3: month 13`.
///
/// ```
/// let err = cccd::mrz::parse("IDVNM2030123450079203012345<<0\n0313014M2802013VNM<<<<<<<<<<<4\nNGUYEN<<VAN<AN<<<<<<<<<<<<<<<<").unwrap_err();
/// assert_eq!(err.code(), cccd::mrz::ErrorCode::DateOfBirth);
/// assert_eq!(err.field(), Some(cccd::mrz::Field::DateOfBirth));
/// assert_eq!((err.line(), err.column()), (2, 3));
/// assert_eq!(err.reason(), cccd::mrz::Reason::MonthOutOfRange);
/// assert_eq!(err.detail(), "month 13");
/// assert_eq!(err.to_string(), "invalid date of birth at line 2, column 3: month 13");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, thiserror::Error)]
#[error("{}", Render(self))]
#[non_exhaustive]
pub struct Error {
    field: Option<Field>,
    line: usize,
    column: usize,
    problem: Problem,
}

impl Error {
    /// An error about the character at index `i` (0–89) of the grid.
    pub(crate) const fn at(i: usize, problem: Problem) -> Error {
        Error {
            field: Some(Field::at(i)),
            line: i / 30 + 1,
            column: i % 30 + 1,
            problem,
        }
    }

    /// An error about the input's shape, at a line and column of the input.
    pub(crate) const fn shape(line: usize, column: usize, problem: Problem) -> Error {
        Error {
            field: None,
            line,
            column,
            problem,
        }
    }

    /// The error [`parse`](super::parse) gives for an input of `len` bytes when `len` is over
    /// [`MAX_LEN`](super::MAX_LEN), for readers that stop reading an input early.
    ///
    /// ```
    /// let long = "<".repeat(2000);
    /// assert_eq!(cccd::mrz::parse(&long).unwrap_err(), cccd::mrz::Error::too_long(2000));
    /// ```
    pub const fn too_long(len: usize) -> Error {
        Error::shape(1, 1, Problem::TooLong { len })
    }

    /// Where the problem is: the input's shape, or the field (same name as [`Error::field`]).
    pub const fn code(&self) -> ErrorCode {
        match self.field {
            Some(field) => ErrorCode::of(field),
            None => match self.problem {
                Problem::Empty => ErrorCode::Empty,
                Problem::TooLong { .. } => ErrorCode::TooLong,
                Problem::NotUtf8 => ErrorCode::Encoding,
                Problem::LineCount { .. } => ErrorCode::LineCount,
                Problem::LineLength { .. } => ErrorCode::LineLength,
                _ => ErrorCode::Character,
            },
        }
    }

    /// What went wrong (`month_out_of_range`, `not_a_digit`, `check_digit_mismatch`, …).
    pub const fn reason(&self) -> Reason {
        self.problem.reason()
    }

    /// The field the problem is in, when it is inside the 3 × 30 grid (`None` for `empty`,
    /// `too_long`, `encoding`, `line_count`, `line_length`, and characters outside the grid).
    pub const fn field(&self) -> Option<Field> {
        self.field
    }

    /// The line, from 1.
    pub const fn line(&self) -> usize {
        self.line
    }

    /// The column (in characters), from 1.
    pub const fn column(&self) -> usize {
        self.column
    }

    /// What is wrong for people, without the position: `month 13`, `'O' is not a digit`,
    /// `check digit '5' does not match`.
    pub fn detail(&self) -> String {
        Detail(self.problem).to_string()
    }
}

/// Writes a character for a message: quoted, or as `U+XXXX` when it is a control character
/// or invisible.
struct Char(char);

impl fmt::Display for Char {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = self.0;
        if c.is_control() || c.is_whitespace() || c == '\u{feff}' {
            write!(f, "U+{:04X}", c as u32)
        } else {
            write!(f, "{c:?}")
        }
    }
}

struct Detail(Problem);

impl fmt::Display for Detail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Problem::Empty => f.write_str("no mrz text"),
            Problem::TooLong { len } => {
                write!(f, "{len} bytes, at most {} allowed", super::MAX_LEN)
            }
            Problem::NotUtf8 => f.write_str("not utf-8"),
            Problem::LineCount { found } => write!(
                f,
                "expected 3 lines of 30 characters (or one of 90), found {found} lines"
            ),
            Problem::LineLength {
                found,
                single: false,
            } => write!(f, "expected 30 characters, found {found}"),
            Problem::LineLength {
                found,
                single: true,
            } => write!(f, "expected 90 characters on a single line, found {found}"),
            Problem::NotMrzChar(c) if c.is_ascii_lowercase() => {
                write!(f, "{} is lower-case", Char(c))
            }
            Problem::NotMrzChar(c) => write!(f, "{} is not an mrz character", Char(c)),
            Problem::NotDigit(c) => write!(f, "{} is not a digit", Char(c)),
            Problem::NotLetterOrFiller(c) => write!(f, "{} is not a letter or '<'", Char(c)),
            Problem::NotIdentityCard => f.write_str("not an identity card (expected 'I')"),
            Problem::NotVnm => f.write_str("the issuing state is not VNM"),
            Problem::Month(m) => write!(f, "month {m}"),
            Problem::Day { day, month } => write!(f, "day {day} does not exist in month {month}"),
            Problem::NotSex(c) => write!(f, "{} is neither 'M' nor 'F'", Char(c)),
            Problem::NotFiller(c) => write!(f, "{} is not the filler '<'", Char(c)),
            Problem::NameStartsWithFiller => f.write_str("the name starts with '<'"),
            Problem::NameTripleFiller => f.write_str("three '<' in a row inside the name"),
            Problem::NameTwoSeparators => f.write_str("a second '<<' inside the name"),
            Problem::CheckDigit(c) => write!(f, "check digit {} does not match", Char(c)),
        }
    }
}

struct Render<'e>(&'e Error);

impl fmt::Display for Render<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = self.0;
        let (line, column) = (e.line, e.column);
        let reason = Detail(e.problem);
        match (e.field, e.problem) {
            (_, Problem::Empty) => write!(f, "empty mrz"),
            (_, Problem::TooLong { .. }) => write!(f, "mrz too long: {reason}"),
            (_, Problem::LineCount { .. }) => {
                write!(f, "wrong number of lines at line {line}: {reason}")
            }
            (_, Problem::LineLength { .. }) => {
                write!(
                    f,
                    "wrong line length at line {line}, column {column}: {reason}"
                )
            }
            (_, Problem::NotUtf8) => write!(f, "invalid utf-8 at line {line}, column {column}"),
            (Some(field), _) => write!(
                f,
                "invalid {} at line {line}, column {column}: {reason}",
                field.human()
            ),
            (None, _) => write!(
                f,
                "invalid character at line {line}, column {column}: {reason}"
            ),
        }
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Error {
    /// `{"code", "field", "reason", "line", "column", "message"}`: `reason` the stable
    /// [`Reason`] code, `message` the whole sentence.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Error", 6)?;
        st.serialize_field("code", self.code().as_str())?;
        st.serialize_field("field", &self.field.map(Field::as_str))?;
        st.serialize_field("reason", self.reason().as_str())?;
        st.serialize_field("line", &self.line)?;
        st.serialize_field("column", &self.column)?;
        st.serialize_field("message", &self.to_string())?;
        st.end()
    }
}
