//! The payload grammar (nom) and the parser front end: strict and lenient parsing of text and
//! raw bytes.

use std::borrow::Cow;

use chrono::NaiveDate;

use super::prescan::{prescan, Prescan};
use super::Card;
use crate::error::{Error, Field, Problem};
use crate::id::{IdNumber, OldIdNumber};
use crate::rules::Sex;
use crate::text::{self, Repair, Unfit};

/// The longest payload accepted, in bytes. A QR code holds at most 2953 bytes; anything
/// longer is rejected with [`ErrorCode::TooLong`](crate::ErrorCode::TooLong) before any
/// scanning.
pub const MAX_PAYLOAD_LEN: usize = 4096;

/// Parses a payload strictly: exactly what cards encode (7 or 11 fields, NFC text, no
/// surrounding whitespace), nothing repaired. Allocates nothing.
///
/// ```
/// let card = cccd::parse("036303000777||Lê Minh Châu|30092003|Nữ|Xóm 2, Hải Hậu, Nam Định|12112024||||")?;
/// assert_eq!(card.layout(), cccd::Layout::V2024);
/// assert_eq!(card.old_id_number(), None);
/// assert_eq!(card.sex(), cccd::Sex::Female);
/// # Ok::<(), cccd::Error>(())
/// ```
///
/// # Errors
/// An [`Error`] naming the field and the byte offset of the first problem found.
pub fn parse(input: &str) -> Result<Card<'_>, Error> {
    check_len(input.len())?;
    grammar(input, false).map(|(card, _)| card)
}

/// A parser with options: strict by default, lenient on request.
///
/// ```
/// use cccd::{Parser, Repair};
/// let original = "079203001234|123456789|Nguyễn Văn Ánh|01012003|Nam|Phường Bến Nghé, Hà Nội|15082021";
/// // The UTF-8 bytes read as Latin-1 by a scanner, with a line ending from a keyboard wedge:
/// let garbled: String = original.bytes().map(char::from).chain("\r\n".chars()).collect();
/// assert!(cccd::parse(&garbled).is_err());
/// let parsed = Parser::new().lenient(true).parse(&garbled)?;
/// assert_eq!(parsed.card.to_string(), original);
/// assert_eq!(parsed.repairs, [Repair::LineEndingRemoved, Repair::MojibakeLatin1]);
/// # Ok::<(), cccd::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Parser {
    lenient: bool,
}

/// A card and the repairs the parser applied to read it (empty in strict mode).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed<'a> {
    /// The card.
    pub card: Card<'a>,
    /// Every repair applied, in the order applied.
    pub repairs: Vec<Repair>,
    /// The text fields kept as found though they hold characters outside the Vietnamese
    /// repertoire that no repair could explain (U+FFFD, mojibake, other scripts): lenient
    /// mode only, reported as the warning `damaged_text` naming the field. Empty in strict
    /// mode, which rejects such text.
    pub damaged: Vec<Field>,
}

impl Parsed<'_> {
    /// A copy that owns all its text.
    pub fn into_owned(self) -> Parsed<'static> {
        Parsed {
            card: self.card.into_owned(),
            repairs: self.repairs,
            damaged: self.damaged,
        }
    }
}

impl Parser {
    /// A strict parser (the same as [`parse`]).
    pub const fn new() -> Self {
        Parser { lenient: false }
    }

    /// Lenient mode repairs what scanners and decoders commonly damage, and reports each
    /// repair: a leading byte-order mark, surrounding whitespace, trailing CR/LF, decomposed
    /// (NFD) text, and mojibake (UTF-8 decoded as Latin-1, Windows-1252, Shift-JIS or Big5).
    /// A repair is only accepted when the result is a well-formed card payload. It never
    /// guesses fields: a 6-field payload is still an error.
    pub const fn lenient(self, yes: bool) -> Self {
        Parser { lenient: yes }
    }

    /// Parses a payload.
    ///
    /// # Errors
    /// An [`Error`] naming the field and the byte offset in `input` of the problem. In lenient
    /// mode, the error is the one for the input with only the whitespace, BOM and line-ending
    /// repairs applied (offsets still count from the start of `input`).
    pub fn parse<'a>(&self, input: &'a str) -> Result<Parsed<'a>, Error> {
        check_len(input.len())?;
        if !self.lenient {
            return grammar(input, false).map(|(card, _)| Parsed {
                card,
                repairs: Vec::new(),
                damaged: Vec::new(),
            });
        }
        let mut repairs = Vec::new();
        let (text, start) = text::trim(input, &mut repairs);
        if text.is_empty() {
            return Err(Error::new(None, start, Problem::Empty));
        }
        if !text::payload_fits(text) {
            for repair in Repair::MOJIBAKE {
                if let Some(fixed) = text::undo_mojibake(text, repair) {
                    let mut repairs = repairs.clone();
                    repairs.push(repair);
                    if let Some(parsed) = repaired(&fixed, repairs) {
                        return Ok(parsed.into_owned());
                    }
                }
            }
        }
        lenient_grammar(text, repairs).map_err(|e| e.shifted(start))
    }

    /// Parses a payload from raw bytes, as a QR decoder hands them over.
    ///
    /// # Errors
    /// In strict mode, an [`ErrorCode::Encoding`](crate::ErrorCode::Encoding) error at the
    /// first byte that is not UTF-8. In lenient mode a leading UTF-8 BOM is removed, and bytes
    /// that are not UTF-8 are tried as Windows-1258 (the Vietnamese legacy code page); if that
    /// does not give a card either, the encoding error is returned. Otherwise as
    /// [`Parser::parse`].
    pub fn parse_bytes<'a>(&self, input: &'a [u8]) -> Result<Parsed<'a>, Error> {
        check_len(input.len())?;
        match std::str::from_utf8(input) {
            Ok(s) => self.parse(s),
            Err(e) if self.lenient => {
                let err = Error::new(None, e.valid_up_to(), Problem::InvalidUtf8);
                let decoded = text::decode_cp1258(input).ok_or(err.clone())?;
                let mut repairs = vec![Repair::LegacyCp1258];
                let (text, _) = text::trim(&decoded, &mut repairs);
                repaired(text, repairs).map(Parsed::into_owned).ok_or(err)
            }
            Err(e) => Err(Error::new(None, e.valid_up_to(), Problem::InvalidUtf8)),
        }
    }
}

/// The last stage of every lenient parse: the grammar in lenient mode over `text` (already
/// trimmed and decoded), with the NFC repair added to `repairs` when text was normalised.
fn lenient_grammar(text: &str, mut repairs: Vec<Repair>) -> Result<Parsed<'_>, Error> {
    let (card, flags) = grammar(text, true)?;
    if flags.normalized {
        repairs.push(Repair::NfcNormalized);
    }
    Ok(Parsed {
        card,
        repairs,
        damaged: flags.damaged_fields(),
    })
}

/// A repair (mojibake undone, a legacy code page decoded) is accepted only when the text is
/// made of the repertoire's characters (NFD accepted, normalised) and parses as a card with
/// no damaged field.
fn repaired(text: &str, repairs: Vec<Repair>) -> Option<Parsed<'_>> {
    if !text::payload_fits(&text::to_nfc(text)) {
        return None;
    }
    lenient_grammar(text, repairs)
        .ok()
        .filter(|p| p.damaged.is_empty())
}

fn check_len(len: usize) -> Result<(), Error> {
    if len == 0 {
        return Err(Error::new(None, 0, Problem::Empty));
    }
    if len > MAX_PAYLOAD_LEN {
        return Err(Error::new(None, MAX_PAYLOAD_LEN, Problem::TooLong { len }));
    }
    Ok(())
}

/// A text field, checked in full (the payload was not clean, or the fast look at a clean
/// field found something): control and format characters, NFC, blankness, and, for names
/// and addresses (`repertoire`), the Vietnamese repertoire ([`text::is_vietnamese_text_char`]).
/// Extra fields are opaque but may not hold control or format characters or U+FFFD.
///
/// Strict mode rejects every problem. Lenient mode normalises to NFC, and keeps text with
/// characters outside the repertoire (U+FFFD, mojibake, other scripts) as found, flagged as
/// damaged (the second value); control and format characters and blank fields stay errors.
fn text_field(
    s: &str,
    field: Field,
    lenient: bool,
    allow_empty: bool,
    repertoire: bool,
) -> Result<(Cow<'_, str>, bool), Error> {
    if s.is_empty() {
        return if allow_empty {
            Ok((Cow::Borrowed(s), false))
        } else {
            Err(Error::new(Some(field), 0, Problem::EmptyField))
        };
    }
    let err = |at, problem| Error::new(Some(field), at, problem);
    if let Some((at, c)) = s.char_indices().find(|&(_, c)| {
        !text::is_vietnamese_text_char(c) && text::unfit(c) == Unfit::ControlOrFormat
    }) {
        let problem = if c.is_control() {
            Problem::ControlChar(c)
        } else {
            Problem::FormatChar(c)
        };
        return Err(err(at, problem));
    }
    let text = if text::is_nfc(s) {
        Cow::Borrowed(s)
    } else if lenient {
        Cow::Owned(text::to_nfc(s))
    } else {
        return Err(err(0, Problem::NotNfc));
    };
    if repertoire && text::is_blank(&text) {
        return Err(err(0, Problem::Blank));
    }
    let found = if repertoire {
        text::first_unfit(&text)
    } else {
        text.char_indices()
            .find(|&(_, c)| c == '\u{fffd}')
            .map(|(i, c)| (i, c, Unfit::Replacement))
    };
    match found {
        None => Ok((text, false)),
        Some(_) if lenient => Ok((text, true)),
        Some((at, c, unfit)) => Err(err(
            at,
            match unfit {
                Unfit::Replacement => Problem::ReplacementChar,
                Unfit::Mojibake => Problem::Mojibake(c),
                _ => Problem::NotVietnamese(c),
            },
        )),
    }
}

fn date(field: Field) -> impl Fn(&str) -> Result<NaiveDate, Error> {
    move |s| {
        let b = s.as_bytes();
        if let Ok(d) = <[u8; 8]>::try_from(b) {
            // The common case, checked without early exits.
            if d.iter().fold(true, |ok, c| ok & c.is_ascii_digit()) {
                let d = d.map(|c| u32::from(c - b'0'));
                return ymd(
                    field,
                    d[4] * 1000 + d[5] * 100 + d[6] * 10 + d[7],
                    d[2] * 10 + d[3],
                    d[0] * 10 + d[1],
                );
            }
        }
        if let Some(pos) = b.iter().position(|c| !c.is_ascii_digit()) {
            let c = s[pos..].chars().next().unwrap_or('\0');
            return Err(Error::new(Some(field), pos, Problem::NotDigit(c)));
        }
        if b.len() != 8 {
            return Err(Error::new(
                Some(field),
                0,
                Problem::Length {
                    expected: "8 digits ddmmyyyy",
                    found: s.chars().count(),
                },
            ));
        }
        let num = |r: std::ops::Range<usize>| {
            b[r].iter()
                .fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0'))
        };
        ymd(field, num(4..8), num(2..4), num(0..2))
    }
}

/// A date from its parts, or the error naming what is wrong with it.
fn ymd(field: Field, year: u32, month: u32, day: u32) -> Result<NaiveDate, Error> {
    if !(1..=12).contains(&month) {
        return Err(Error::new(Some(field), 2, Problem::Month(month)));
    }
    if year == 0 {
        return Err(Error::new(Some(field), 4, Problem::YearZero));
    }
    if !(1900..=2399).contains(&year) {
        return Err(Error::new(Some(field), 4, Problem::YearRange(year)));
    }
    // `year` has at most 4 digits, so it fits an i32.
    NaiveDate::from_ymd_opt(year as i32, month, day).ok_or(Error::new(
        Some(field),
        0,
        Problem::Day { day, month },
    ))
}

fn sex(lenient: bool) -> impl Fn(&str) -> Result<Sex, Error> {
    move |s| match s {
        "Nam" => Ok(Sex::Male),
        "Nữ" => Ok(Sex::Female),
        // NFD "Nữ": only in lenient mode, where the caller reports the NFC repair.
        "Nu\u{31b}\u{303}" if lenient => Ok(Sex::Female),
        _ => Err(Error::new(Some(Field::Sex), 0, Problem::NotSex)),
    }
}

/// The grammar: the prescan finds the separators and whether any byte needs a closer look;
/// each field is then sliced at its separators and converted by its own function, in order,
/// and the first error is reported at its byte offset in `input` (already length-checked).
/// On a clean payload no text field's bytes are looked at again. In lenient mode text that
/// is not NFC is normalised; the flag says whether any was.
///
/// The field rules run first without keeping error details (the compiler then drops their
/// construction); only when a field fails do they run again to locate and describe it.
fn grammar(input: &str, lenient: bool) -> Result<(Card<'_>, Flags), Error> {
    let pre = prescan(input.as_bytes());
    if pre.count != 6 && pre.count != 10 {
        let offset = pre.separator(6).unwrap_or(input.len());
        return Err(Error::new(
            None,
            offset,
            Problem::FieldCount {
                found: pre.count + 1,
            },
        ));
    }
    match fields::<Quiet>(input, lenient, &pre) {
        Ok(found) => Ok(found),
        Err(()) => fields::<Located>(input, lenient, &pre),
    }
}

/// How much of a field's error the grammar keeps.
trait Detail {
    type Err;
    /// The error of a field starting at byte `start`.
    fn at(e: Error, start: usize) -> Self::Err;
}

/// Only that something failed.
struct Quiet;

impl Detail for Quiet {
    type Err = ();
    #[inline(always)]
    fn at(_: Error, _: usize) {}
}

/// The error, located in the whole payload.
struct Located;

impl Detail for Located {
    type Err = Error;
    #[inline(always)]
    fn at(e: Error, start: usize) -> Error {
        e.shifted(start)
    }
}

/// The fields of a payload with 7 or 11 fields (`pre.count` is 6 or 10), each converted by
/// its rule, in field order.
#[inline(always)]
fn fields<'a, D: Detail>(
    input: &'a str,
    lenient: bool,
    pre: &Prescan,
) -> Result<(Card<'a>, Flags), D::Err> {
    // Field `n`, sliced at the separators the prescan recorded (ASCII `|`, so every slice is
    // on character boundaries), with its start offset.
    let seps = pre.separators();
    let piece = |n: usize| {
        let start = if n == 0 { 0 } else { seps[n - 1] + 1 };
        let end = seps.get(n).copied().unwrap_or(input.len());
        (start, input.get(start..end).unwrap_or_default())
    };
    let damaged = std::cell::Cell::new(0u8);
    let text = |n: usize, f: Field, empty: bool| {
        let (start, s) = piece(n);
        let (t, bad) = text_at::<D>(s, start, f, lenient, empty, pre)?;
        if bad {
            damaged.set(damaged.get() | damage_bit(f));
        }
        Ok(t)
    };
    let (start, s) = piece(0);
    let id_number = IdNumber::parse_field(s).map_err(|e| D::at(e, start))?;
    let (start, s) = piece(1);
    let old_id_number = OldIdNumber::parse_field(s).map_err(|e| D::at(e, start))?;
    let full_name = text(2, Field::FullName, false)?;
    let (start, s) = piece(3);
    let date_of_birth = date(Field::DateOfBirth)(s).map_err(|e| D::at(e, start))?;
    let (start, sex_text) = piece(4);
    let sex = sex(lenient)(sex_text).map_err(|e| D::at(e, start))?;
    let address = text(5, Field::Address, false)?;
    let (start, s) = piece(6);
    let issue_date = date(Field::IssueDate)(s).map_err(|e| D::at(e, start))?;
    let extra = if pre.count == 10 {
        let rest = input.get(piece(7).0..).unwrap_or_default();
        if pre.clean {
            // Clean text needs no look, and the extra fields may be empty.
            Some(Cow::Borrowed(rest))
        } else {
            let fields = [
                text(7, Field::ExtraField, true)?,
                text(8, Field::ExtraField, true)?,
                text(9, Field::ExtraField, true)?,
                text(10, Field::ExtraField, true)?,
            ];
            Some(join_extra(rest, fields))
        }
    } else {
        None
    };
    let card = Card {
        id_number,
        old_id_number,
        full_name,
        date_of_birth,
        sex,
        address,
        issue_date,
        extra,
    };
    let normalized = sex_text.len() != sex.as_card_str().len() || !card.is_borrowed();
    Ok((
        card,
        Flags {
            normalized,
            damaged: damaged.get(),
        },
    ))
}

/// A text field starting at byte `start`. On a clean payload (every character in the
/// repertoire) the field is borrowed as is after one look at blankness (its first byte,
/// unless it is a space); anything else is checked in full by
/// [`text_field`]. The flag says the text was kept though damaged (lenient mode).
#[inline(always)]
fn text_at<'a, D: Detail>(
    s: &'a str,
    start: usize,
    field: Field,
    lenient: bool,
    empty: bool,
    pre: &Prescan,
) -> Result<(Cow<'a, str>, bool), D::Err> {
    let repertoire = field != Field::ExtraField;
    if pre.clean && (empty || !s.is_empty()) && (!repertoire || !s.bytes().all(|b| b == b' ')) {
        return Ok((Cow::Borrowed(s), false));
    }
    text_field(s, field, lenient, empty, repertoire).map_err(|e| D::at(e, start))
}

/// What the grammar did beyond reading: whether it normalised text to NFC, and which text
/// fields it kept though damaged (bits of [`damage_bit`]).
#[derive(Clone, Copy, Debug, Default)]
struct Flags {
    normalized: bool,
    damaged: u8,
}

const TEXT_FIELDS: [Field; 3] = [Field::FullName, Field::Address, Field::ExtraField];

fn damage_bit(f: Field) -> u8 {
    match f {
        Field::FullName => 1,
        Field::Address => 2,
        _ => 4,
    }
}

impl Flags {
    fn damaged_fields(self) -> Vec<Field> {
        TEXT_FIELDS
            .into_iter()
            .filter(|&f| self.damaged & damage_bit(f) != 0)
            .collect()
    }
}

/// The 4 extra fields as the card stores them: `rest` (what follows the 7th field's
/// separator) when no field was changed, else the fields joined anew.
fn join_extra<'a>(rest: &'a str, fields: [Cow<'a, str>; 4]) -> Cow<'a, str> {
    if fields.iter().all(|f| matches!(f, Cow::Borrowed(_))) {
        Cow::Borrowed(rest)
    } else {
        Cow::Owned(fields.join("|"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_errors_are_reported_at_their_offset() {
        let e = parse("079203001234|123456789|Nguyễn Văn Ánh|01132003|Nam|Hà Nội|15082021")
            .unwrap_err();
        assert_eq!((e.field(), e.offset()), (Some(Field::DateOfBirth), 44));
        let e = parse("079203001234||A|01012003|Nam|B|15082021|||\u{1}|").unwrap_err();
        assert_eq!((e.field(), e.offset()), (Some(Field::ExtraField), 42));
    }
}
