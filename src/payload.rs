//! The payload grammar (nom) and the parser front end: strict and lenient parsing of text and
//! raw bytes.

use std::borrow::Cow;

use chrono::NaiveDate;
use nom::character::complete::char as sep;
use nom::combinator::eof;
use nom::error::{ErrorKind, ParseError};
use nom::{IResult, Parser as _};

use crate::card::{Card, Sex};
use crate::error::{Error, Field, Problem};
use crate::id::{IdNumber, OldIdNumber};
use crate::prescan::{prescan, Prescan};
use crate::text::{self, Repair, TextScan};

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
    let pre = prescan(input.as_bytes());
    if let Some(card) = fast_path(input, &pre) {
        return Ok(card);
    }
    nom_grammar(input, false, pre).map(|(card, _)| card)
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
}

impl Parsed<'_> {
    /// A copy that owns all its text.
    pub fn into_owned(self) -> Parsed<'static> {
        Parsed {
            card: self.card.into_owned(),
            repairs: self.repairs,
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
            });
        }
        let mut repairs = Vec::new();
        let (text, start) = text::trim(input, &mut repairs);
        if text.is_empty() {
            return Err(Error::new(None, start, Problem::Empty));
        }
        if !text.chars().all(text::is_plausible) {
            for repair in [
                Repair::MojibakeLatin1,
                Repair::MojibakeCp1252,
                Repair::MojibakeShiftJis,
                Repair::MojibakeBig5,
            ] {
                if let Some(fixed) = text::undo_mojibake(text, repair) {
                    if let Some(parsed) = try_repaired(&fixed, &repairs, repair) {
                        return Ok(parsed);
                    }
                }
            }
        }
        let (card, normalized) = grammar(text, true).map_err(|e| e.shifted(start))?;
        if normalized {
            repairs.push(Repair::NfcNormalized);
        }
        Ok(Parsed { card, repairs })
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
                if !text.chars().all(text::is_plausible) {
                    return Err(err);
                }
                let (card, normalized) = grammar(text, true).map_err(|_| err)?;
                if normalized {
                    repairs.push(Repair::NfcNormalized);
                }
                Ok(Parsed {
                    card: card.into_owned(),
                    repairs,
                })
            }
            Err(e) => Err(Error::new(None, e.valid_up_to(), Problem::InvalidUtf8)),
        }
    }
}

/// A lenient parse of mojibake-repaired text, accepted only when the text is made of
/// plausible characters and parses as a card.
fn try_repaired(fixed: &str, repairs: &[Repair], repair: Repair) -> Option<Parsed<'static>> {
    if !fixed.chars().all(text::is_plausible) {
        return None;
    }
    let (card, normalized) = grammar(fixed, true).ok()?;
    let mut repairs = repairs.to_vec();
    repairs.push(repair);
    if normalized {
        repairs.push(Repair::NfcNormalized);
    }
    Some(Parsed {
        card: card.into_owned(),
        repairs,
    })
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

/// The nom error: where (the remaining input) and what.
struct PErr<'a> {
    at: &'a str,
    field: Option<Field>,
    problem: Problem,
}

impl<'a> ParseError<&'a str> for PErr<'a> {
    fn from_error_kind(input: &'a str, _kind: ErrorKind) -> Self {
        PErr {
            at: input,
            field: None,
            problem: Problem::FieldCount { found: 0 },
        }
    }

    fn append(_input: &'a str, _kind: ErrorKind, other: Self) -> Self {
        other
    }
}

type Res<'a, T> = IResult<&'a str, T, PErr<'a>>;

/// The fields of one payload: the input's length and where its separators are.
#[derive(Clone, Copy)]
struct Fields {
    len: usize,
    pre: Prescan,
}

/// A field converted by `f`: everything up to the next `|` or the end. Errors from `f` carry
/// offsets relative to the field.
fn field<'a, T>(
    fields: Fields,
    f: impl Fn(&'a str) -> Result<T, Error>,
) -> impl FnMut(&'a str) -> Res<'a, T> {
    move |input: &'a str| {
        let start = fields.len - input.len();
        let end = fields
            .pre
            .next_separator(start)
            .map_or(input.len(), |at| at - start);
        let (raw, rest) = input.split_at(end);
        match f(raw) {
            Ok(v) => Ok((rest, v)),
            Err(e) => Err(nom::Err::Failure(PErr {
                at: &input[e.offset().min(raw.len())..],
                field: e.field(),
                problem: e.problem(),
            })),
        }
    }
}

/// A text field. `clean` is the prescan's verdict on the whole payload: when it holds, the
/// field's bytes need no further look.
fn text_field<'a>(
    field: Field,
    lenient: bool,
    allow_empty: bool,
    clean: bool,
) -> impl Fn(&'a str) -> Result<Cow<'a, str>, Error> {
    move |s| {
        if s.is_empty() && !allow_empty {
            return Err(Error::new(Some(field), 0, Problem::EmptyField));
        }
        if clean {
            return Ok(Cow::Borrowed(s));
        }
        match text::scan_text(s) {
            TextScan::Clean => Ok(Cow::Borrowed(s)),
            TextScan::Control(at, c) => Err(Error::new(Some(field), at, Problem::ControlChar(c))),
            TextScan::MaybeNotNfc if text::is_nfc(s) => Ok(Cow::Borrowed(s)),
            TextScan::MaybeNotNfc if lenient => Ok(Cow::Owned(text::to_nfc(s))),
            TextScan::MaybeNotNfc => Err(Error::new(Some(field), 0, Problem::NotNfc)),
        }
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

/// The common case without the combinator plumbing: a payload whose prescan found it clean
/// and rightly separated, read by slicing at the known separators and running the same field
/// checks as the grammar. `None` whenever anything fails; the grammar then finds and reports
/// the problem. A unit test checks that both paths agree.
#[inline]
fn fast_path<'a>(input: &'a str, pre: &Prescan) -> Option<Card<'a>> {
    if !pre.clean || (pre.count != 6 && pre.count != 10) {
        return None;
    }
    let mut at = [0usize; 10];
    for (n, slot) in at.iter_mut().enumerate().take(pre.count) {
        *slot = pre.separator(n)?;
    }
    let piece = |n: usize| -> &'a str {
        let start = if n == 0 { 0 } else { at[n - 1] + 1 };
        let end = if n < pre.count { at[n] } else { input.len() };
        input.get(start..end).unwrap_or_default()
    };
    let text = |s: &'a str| (!s.is_empty()).then_some(Cow::Borrowed(s));
    let sex = match piece(4) {
        "Nam" => Sex::Male,
        "Nữ" => Sex::Female,
        _ => return None,
    };
    let extra = if pre.count == 10 {
        Some(Cow::Borrowed(input.get(at[6] + 1..).unwrap_or_default()))
    } else {
        None
    };
    Some(Card {
        id_number: IdNumber::parse_field(piece(0)).ok()?,
        old_id_number: OldIdNumber::parse_field(piece(1)).ok()?,
        full_name: text(piece(2))?,
        date_of_birth: date(Field::DateOfBirth)(piece(3)).ok()?,
        sex,
        address: text(piece(5))?,
        issue_date: date(Field::IssueDate)(piece(6)).ok()?,
        extra,
    })
}

/// The whole grammar over `input` (already length-checked). In lenient mode text that is not
/// NFC is normalised; the flag says whether any was.
fn grammar(input: &str, lenient: bool) -> Result<(Card<'_>, bool), Error> {
    let pre = prescan(input.as_bytes());
    if let Some(card) = fast_path(input, &pre) {
        return Ok((card, false));
    }
    nom_grammar(input, lenient, pre)
}

/// The grammar in nom, for every payload the fast path does not take; the source of every
/// error.
fn nom_grammar(input: &str, lenient: bool, pre: Prescan) -> Result<(Card<'_>, bool), Error> {
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
    let fields = Fields {
        len: input.len(),
        pre,
    };
    let clean = pre.clean;
    let nfd_sex = std::cell::Cell::new(false);
    let sex_field = |s: &str| {
        let sex = sex(lenient)(s)?;
        nfd_sex.set(s.len() != sex.as_card_str().len());
        Ok(sex)
    };
    let extra = || field(fields, text_field(Field::ExtraField, lenient, true, clean));
    let result = (
        field(fields, IdNumber::parse_field),
        sep('|'),
        field(fields, OldIdNumber::parse_field),
        sep('|'),
        field(fields, text_field(Field::FullName, lenient, false, clean)),
        sep('|'),
        field(fields, date(Field::DateOfBirth)),
        sep('|'),
        field(fields, sex_field),
        sep('|'),
        field(fields, text_field(Field::Address, lenient, false, clean)),
        sep('|'),
        field(fields, date(Field::IssueDate)),
    )
        .parse(input);
    let (
        rest,
        (
            id_number,
            _,
            old_id_number,
            _,
            full_name,
            _,
            date_of_birth,
            _,
            sex,
            _,
            address,
            _,
            issue_date,
        ),
    ) = result.map_err(|e| to_error(input, e))?;
    let (_, extra) = if rest.is_empty() {
        (rest, None)
    } else {
        (
            sep('|'),
            extra(),
            sep('|'),
            extra(),
            sep('|'),
            extra(),
            sep('|'),
            extra(),
            eof,
        )
            .map(|(_, a, _, b, _, c, _, d, _)| Some(join_extra(rest, [a, b, c, d])))
            .parse(rest)
            .map_err(|e| to_error(input, e))?
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
    let normalized = nfd_sex.get() || !card.is_borrowed();
    Ok((card, normalized))
}

/// The 4 extra fields as the card stores them: `rest` without its leading `|` when no field
/// was changed, else the fields joined anew.
fn join_extra<'a>(rest: &'a str, fields: [Cow<'a, str>; 4]) -> Cow<'a, str> {
    if fields.iter().all(|f| matches!(f, Cow::Borrowed(_))) {
        Cow::Borrowed(rest.get(1..).unwrap_or_default())
    } else {
        Cow::Owned(fields.join("|"))
    }
}

fn to_error<'a>(input: &'a str, e: nom::Err<PErr<'a>>) -> Error {
    match e {
        nom::Err::Error(p) | nom::Err::Failure(p) => {
            Error::new(p.field, input.len() - p.at.len(), p.problem)
        }
        nom::Err::Incomplete(_) => Error::new(None, input.len(), Problem::FieldCount { found: 0 }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Field texts that exercise every branch: digits of the right and wrong lengths, dates
    /// real and not, both sexes, clean and unclean text, separators inside fields.
    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            "[0-9]{8,12}",
            Just("29022024".to_owned()),
            Just("31042021".to_owned()),
            Just("Nam".to_owned()),
            Just("Nữ".to_owned()),
            Just("Nu\u{31b}\u{303}".to_owned()),
            "[a-zA-Z ,./()-]{1,20}",
            proptest::sample::select(vec![
                "Nguyễn Văn Ánh",
                "Đặng Thị Hồng",
                "Số 1, Phường 2 (cũ)",
                "ỹ\u{1}",
                "a\u{85}b",
                "e\u{301}",
                "\u{1f00}",
                "\u{1dc0}x",
                "ㅎ",
                "a|b",
                "\u{a0}",
                "\u{7f}",
            ])
            .prop_map(str::to_owned),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]
        /// The fast path is only an optimisation: whenever it gives a card, the grammar gives
        /// the same card, and it gives one for every clean payload the grammar accepts.
        #[test]
        fn fast_path_agrees_with_grammar(
            wide in any::<bool>(),
            changes in prop::collection::vec((0usize..12, piece()), 0..3),
        ) {
            // A valid payload with up to two fields replaced (or appended).
            let mut fields: Vec<String> =
                "079203001234|123456789|Nguyễn Văn Ánh|01012003|Nam|Số 1, Phường 2 (cũ)|15082021"
                    .split('|')
                    .map(str::to_owned)
                    .collect();
            if wide {
                fields.extend(["", "x", "", ""].map(str::to_owned));
            }
            for (at, text) in changes {
                match fields.get_mut(at) {
                    Some(f) => *f = text,
                    None => fields.push(text),
                }
            }
            let payload = fields.join("|");
            for lenient in [false, true] {
                let pre = prescan(payload.as_bytes());
                let fast = fast_path(&payload, &pre);
                let full = nom_grammar(&payload, lenient, pre);
                if let Some(card) = &fast {
                    prop_assert_eq!(full.as_ref().ok().map(|(c, n)| (c, *n)), Some((card, false)));
                }
                if let Ok((card, false)) = &full {
                    if pre.clean {
                        prop_assert_eq!(fast.as_ref(), Some(card));
                    }
                }
            }
        }
    }

    #[test]
    fn valid_payloads_take_the_fast_path() {
        for payload in [
            "079203001234|123456789|Nguyễn Văn Ánh|01012003|Nam|Số 1 Lê Lợi, Hà Nội|15082021",
            "036303000777||Lê Minh Châu|30092003|Nữ|Xóm 2, Hải Hậu, Nam Định|12112024||||",
        ] {
            assert!(fast_path(payload, &prescan(payload.as_bytes())).is_some());
        }
    }
}
