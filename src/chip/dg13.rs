//! DG13: the Vietnamese civil record (FORMAT.md section 5).

use std::fmt;

use chrono::NaiveDate;
use unicode_normalization::UnicodeNormalization;

use super::error::{ChipError, ChipErrorKind};
use super::file::ElementaryFile;
use super::tlv::{self, Tlv};
use crate::{fold_ascii, IdNumber, Sex};

const F: ElementaryFile = ElementaryFile::Dg13;
/// The most entries DG13 may hold before the parser refuses it.
pub const MAX_DG13_ENTRIES: usize = 64;
/// The most text values one entry may hold (the parents entry holds two).
const MAX_TEXTS: usize = 8;

/// The card's expiry as DG13 stores it: a date, or `Không thời hạn` (no expiry, for holders
/// who received the card at 60 or later).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ChipExpiry {
    /// Valid until this date.
    On(NaiveDate),
    /// Never expires.
    Never,
}

impl ChipExpiry {
    /// The date, `None` for [`ChipExpiry::Never`].
    pub const fn date(self) -> Option<NaiveDate> {
        match self {
            ChipExpiry::On(d) => Some(d),
            ChipExpiry::Never => None,
        }
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for ChipExpiry {
    /// `"2043-01-01"` or `"never"`.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            ChipExpiry::On(d) => d.serialize(s),
            ChipExpiry::Never => s.serialize_str("never"),
        }
    }
}

/// Why a DG13 entry was kept raw rather than read into a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "snake_case")
)]
#[non_exhaustive]
pub enum RawReason {
    /// Entries 15 and 16, whose meaning sources disagree on (old ID number, another
    /// document).
    Disputed,
    /// An entry number FORMAT.md does not list.
    Unknown,
    /// A known entry whose value does not read as its type (a date not `dd/mm/yyyy`, an ID
    /// number not 12 digits, a sex neither `Nam` nor `Nữ`, a value that is not text).
    InvalidValue,
    /// A second entry with a number already read.
    Duplicate,
}

impl RawReason {
    /// `disputed`, `unknown`, `invalid_value` or `duplicate`.
    pub const fn as_str(self) -> &'static str {
        match self {
            RawReason::Disputed => "disputed",
            RawReason::Unknown => "unknown",
            RawReason::InvalidValue => "invalid_value",
            RawReason::Duplicate => "duplicate",
        }
    }
}

/// A DG13 entry kept as found: its number, the text values in it (UTF-8 strings, in order,
/// nested sequences flattened) and the encoded bytes of everything after the number.
#[derive(Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RawEntry {
    number: u32,
    reason: RawReason,
    texts: Vec<String>,
    #[cfg_attr(feature = "serde", serde(serialize_with = "hex"))]
    raw: Vec<u8>,
}

impl RawEntry {
    /// The entry number.
    pub const fn number(&self) -> u32 {
        self.number
    }

    /// Why it was not read into a field.
    pub const fn reason(&self) -> RawReason {
        self.reason
    }

    /// Its text values (may be personal data).
    pub fn texts(&self) -> &[String] {
        &self.texts
    }

    /// The encoded elements after the entry number, as in the file.
    pub fn raw(&self) -> &[u8] {
        &self.raw
    }
}

impl fmt::Debug for RawEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawEntry")
            .field("number", &self.number)
            .field("reason", &self.reason)
            .field("texts", &format_args!("<{} redacted>", self.texts.len()))
            .field("raw_len", &self.raw.len())
            .finish()
    }
}

#[cfg(feature = "serde")]
fn hex<S: serde::Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
    use fmt::Write;
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    s.serialize_str(&out)
}

/// DG13 (tag `0x6D`), the Vietnamese record: a version, an OID, and numbered entries. Every
/// field is optional (a chip may leave an entry out, and the spouse entry is absent for the
/// unmarried); entries that do not read as their type, and entries 15 and 16 and unknown
/// numbers, are kept in [`raw_entries`](Self::raw_entries), never an error.
///
/// `Debug` shows which fields are present, never their values.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Dg13 {
    version: Option<u32>,
    oid: Option<String>,
    id_number: Option<IdNumber>,
    full_name: Option<String>,
    date_of_birth: Option<NaiveDate>,
    sex: Option<Sex>,
    nationality: Option<String>,
    ethnicity: Option<String>,
    religion: Option<String>,
    place_of_origin: Option<String>,
    place_of_residence: Option<String>,
    identifying_marks: Option<String>,
    issue_date: Option<NaiveDate>,
    expiry: Option<ChipExpiry>,
    father_name: Option<String>,
    mother_name: Option<String>,
    spouse_name: Option<String>,
    raw_entries: Vec<RawEntry>,
}

impl Dg13 {
    /// Parses DG13: `6D { 30 { INTEGER version, OID, SET { SEQUENCE { INTEGER n, value… } … } } }`
    /// (the outer `SEQUENCE` may be absent; elements other than these are skipped).
    ///
    /// # Errors
    /// A [`ChipError`] naming `dg13` and the offset when the TLV structure is malformed (lengths,
    /// nesting, an entry that is not a `SEQUENCE` starting with an `INTEGER`), or holds more
    /// than [`MAX_DG13_ENTRIES`] entries. A value that does not read is not an error.
    pub fn parse(data: &[u8]) -> Result<Dg13, ChipError> {
        let outer = tlv::outer(F, data, 0x6D)?;
        let mut r = outer.children(F)?;
        let mut body = r.read("DG13 body")?;
        if body.tag == 0x30 {
            r.finish()?;
        } else {
            // No outer SEQUENCE: the elements sit directly in 6D.
            body = outer;
        }
        let mut dg = Dg13::default();
        let mut items = body.children(F)?;
        let mut seen_entries = false;
        while let Some(t) = items.next_tlv()? {
            match t.tag {
                0x02 if dg.version.is_none() && !seen_entries => {
                    dg.version = Some(tlv::small_uint(F, &t)?)
                }
                0x06 if dg.oid.is_none() => dg.oid = Some(oid_text(t.value)),
                0x31 | 0x30 => {
                    seen_entries = true;
                    let mut entries = t.children(F)?;
                    let mut count = 0;
                    while let Some(e) = entries.next_tlv()? {
                        count += 1;
                        if count > MAX_DG13_ENTRIES {
                            return Err(ChipError::new(
                                F,
                                e.offset,
                                ChipErrorKind::TooManyElements,
                            ));
                        }
                        dg.entry(&e)?;
                    }
                }
                _ => {}
            }
        }
        Ok(dg)
    }

    fn entry(&mut self, e: &Tlv<'_>) -> Result<(), ChipError> {
        if e.tag != 0x30 {
            return Err(ChipError::new(
                F,
                e.offset,
                ChipErrorKind::UnexpectedTag {
                    found: e.tag,
                    expected: 0x30,
                },
            ));
        }
        let mut r = e.children(F)?;
        let n = r.expect(0x02, "entry number (INTEGER)")?;
        let number = tlv::small_uint(F, &n)?;
        let rest_offset = r.offset() - e.value_offset;
        let raw = e.value.get(rest_offset..).unwrap_or_default().to_vec();
        let mut texts = Vec::new();
        let mut all_text = true;
        collect_texts(&mut r, &mut texts, &mut all_text)?;
        let mut keep = |reason| {
            self.raw_entries.push(RawEntry {
                number,
                reason,
                texts: texts.clone(),
                raw: raw.clone(),
            })
        };
        if !all_text {
            keep(RawReason::InvalidValue);
            return Ok(());
        }
        let one = match texts.as_slice() {
            [one] => Some(one.as_str()),
            [] => Some(""),
            _ => None,
        };
        // Some(empty) means the entry is present but empty: the field stays unset.
        let text = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        let filled = match number {
            1 => self.id_number.is_some(),
            2 => self.full_name.is_some(),
            3 => self.date_of_birth.is_some(),
            4 => self.sex.is_some(),
            5 => self.nationality.is_some(),
            6 => self.ethnicity.is_some(),
            7 => self.religion.is_some(),
            8 => self.place_of_origin.is_some(),
            9 => self.place_of_residence.is_some(),
            10 => self.identifying_marks.is_some(),
            11 => self.issue_date.is_some(),
            12 => self.expiry.is_some(),
            13 => self.father_name.is_some() || self.mother_name.is_some(),
            14 => self.spouse_name.is_some(),
            15 | 16 => {
                keep(RawReason::Disputed);
                return Ok(());
            }
            _ => {
                keep(RawReason::Unknown);
                return Ok(());
            }
        };
        if filled {
            keep(RawReason::Duplicate);
            return Ok(());
        }
        let ok = match (number, one) {
            (13, _) => match texts.as_slice() {
                [] => true,
                [father] => {
                    self.father_name = text(father);
                    true
                }
                [father, mother] => {
                    self.father_name = text(father);
                    self.mother_name = text(mother);
                    true
                }
                _ => false,
            },
            (_, None) => false,
            (_, Some("")) => true,
            (1, Some(s)) => set(&mut self.id_number, s.parse().ok()),
            (2, Some(s)) => set(&mut self.full_name, text(s)),
            (3, Some(s)) => set(&mut self.date_of_birth, date(s)),
            (4, Some(s)) => set(&mut self.sex, sex(s)),
            (5, Some(s)) => set(&mut self.nationality, text(s)),
            (6, Some(s)) => set(&mut self.ethnicity, text(s)),
            (7, Some(s)) => set(&mut self.religion, text(s)),
            (8, Some(s)) => set(&mut self.place_of_origin, text(s)),
            (9, Some(s)) => set(&mut self.place_of_residence, text(s)),
            (10, Some(s)) => set(&mut self.identifying_marks, text(s)),
            (11, Some(s)) => set(&mut self.issue_date, date(s)),
            (12, Some(s)) => set(&mut self.expiry, expiry(s)),
            (_, Some(s)) => set(&mut self.spouse_name, text(s)),
        };
        if !ok {
            keep(RawReason::InvalidValue);
        }
        Ok(())
    }

    /// The version integer, if present.
    pub const fn version(&self) -> Option<u32> {
        self.version
    }
    /// The OID after the version, dotted (`1.0.10646.1.0.8`: UTF-8 text), if present.
    pub fn oid(&self) -> Option<&str> {
        self.oid.as_deref()
    }
    /// Entry 1: the 12-digit personal ID number.
    pub const fn id_number(&self) -> Option<&IdNumber> {
        self.id_number.as_ref()
    }
    /// Entry 2: the full name.
    pub fn full_name(&self) -> Option<&str> {
        self.full_name.as_deref()
    }
    /// Entry 3: the date of birth (`dd/mm/yyyy` on the chip).
    pub const fn date_of_birth(&self) -> Option<NaiveDate> {
        self.date_of_birth
    }
    /// Entry 4: the sex (`Nam`/`Nữ`).
    pub const fn sex(&self) -> Option<Sex> {
        self.sex
    }
    /// Entry 5: the nationality as written (`Việt Nam`).
    pub fn nationality(&self) -> Option<&str> {
        self.nationality.as_deref()
    }
    /// Entry 6: the ethnicity (`Kinh`, …).
    pub fn ethnicity(&self) -> Option<&str> {
        self.ethnicity.as_deref()
    }
    /// Entry 7: the religion as written (`Không` for none).
    pub fn religion(&self) -> Option<&str> {
        self.religion.as_deref()
    }
    /// Entry 8: the place of origin (*quê quán*).
    pub fn place_of_origin(&self) -> Option<&str> {
        self.place_of_origin.as_deref()
    }
    /// Entry 9: the place of residence (*nơi thường trú*).
    pub fn place_of_residence(&self) -> Option<&str> {
        self.place_of_residence.as_deref()
    }
    /// Entry 10: the identifying marks.
    pub fn identifying_marks(&self) -> Option<&str> {
        self.identifying_marks.as_deref()
    }
    /// Entry 11: the issue date.
    pub const fn issue_date(&self) -> Option<NaiveDate> {
        self.issue_date
    }
    /// Entry 12: the expiry.
    pub const fn expiry(&self) -> Option<ChipExpiry> {
        self.expiry
    }
    /// Entry 13, first value: the father's full name.
    pub fn father_name(&self) -> Option<&str> {
        self.father_name.as_deref()
    }
    /// Entry 13, second value: the mother's full name.
    pub fn mother_name(&self) -> Option<&str> {
        self.mother_name.as_deref()
    }
    /// Entry 14: the spouse's full name (absent if none).
    pub fn spouse_name(&self) -> Option<&str> {
        self.spouse_name.as_deref()
    }
    /// Entries kept as found: 15 and 16, unknown numbers, values that do not read, duplicates.
    pub fn raw_entries(&self) -> &[RawEntry] {
        &self.raw_entries
    }
}

fn set<T>(slot: &mut Option<T>, value: Option<T>) -> bool {
    match value {
        Some(v) => {
            *slot = Some(v);
            true
        }
        None => false,
    }
}

/// Collects the text values of an entry, flattening nested constructed values; `all_text`
/// turns false when a primitive value is not a UTF-8 string type.
fn collect_texts(
    r: &mut tlv::Reader<'_>,
    texts: &mut Vec<String>,
    all_text: &mut bool,
) -> Result<(), ChipError> {
    while let Some(t) = r.next_tlv()? {
        if t.constructed() {
            let mut c = t.children(F)?;
            collect_texts(&mut c, texts, all_text)?;
            continue;
        }
        // UTF8String, PrintableString, IA5String, OCTET STRING holding UTF-8.
        let is_string = matches!(t.tag, 0x0C | 0x13 | 0x16 | 0x04);
        match std::str::from_utf8(t.value) {
            Ok(s) if is_string && texts.len() < MAX_TEXTS => texts.push(s.trim().nfc().collect()),
            _ => *all_text = false,
        }
    }
    Ok(())
}

/// `dd/mm/yyyy`, exactly.
fn date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[2] != b'/' || b[5] != b'/' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = b.get(r)?;
        part.iter().try_fold(0u32, |a, &c| {
            c.is_ascii_digit().then(|| a * 10 + u32::from(c - b'0'))
        })
    };
    let year = i32::try_from(num(6..10)?).ok()?;
    NaiveDate::from_ymd_opt(year, num(3..5)?, num(0..2)?)
}

fn sex(s: &str) -> Option<Sex> {
    match fold_ascii(s).as_ref() {
        "NAM" => Some(Sex::Male),
        "NU" => Some(Sex::Female),
        _ => None,
    }
}

fn expiry(s: &str) -> Option<ChipExpiry> {
    if fold_ascii(s) == "KHONG THOI HAN" {
        return Some(ChipExpiry::Never);
    }
    date(s).map(ChipExpiry::On)
}

/// An OBJECT IDENTIFIER's value as dotted text (`?` for a malformed one).
fn oid_text(v: &[u8]) -> String {
    let mut arcs: Vec<u64> = Vec::new();
    let mut acc: u64 = 0;
    for (i, &b) in v.iter().enumerate() {
        if acc > (u64::MAX >> 7) {
            return "?".into();
        }
        acc = (acc << 7) | u64::from(b & 0x7F);
        if b & 0x80 == 0 {
            if arcs.is_empty() {
                let first = (acc / 40).min(2);
                arcs.push(first);
                arcs.push(acc - first * 40);
            } else {
                arcs.push(acc);
            }
            acc = 0;
        } else if i + 1 == v.len() {
            return "?".into();
        }
    }
    if arcs.is_empty() {
        return "?".into();
    }
    arcs.iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

impl fmt::Debug for Dg13 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn p<T>(o: &Option<T>) -> &'static str {
            if o.is_some() {
                "<redacted>"
            } else {
                "None"
            }
        }
        f.debug_struct("Dg13")
            .field("version", &self.version)
            .field("oid", &self.oid)
            .field("id_number", &format_args!("{}", p(&self.id_number)))
            .field("full_name", &format_args!("{}", p(&self.full_name)))
            .field("date_of_birth", &format_args!("{}", p(&self.date_of_birth)))
            .field("sex", &format_args!("{}", p(&self.sex)))
            .field("nationality", &format_args!("{}", p(&self.nationality)))
            .field("ethnicity", &format_args!("{}", p(&self.ethnicity)))
            .field("religion", &format_args!("{}", p(&self.religion)))
            .field(
                "place_of_origin",
                &format_args!("{}", p(&self.place_of_origin)),
            )
            .field(
                "place_of_residence",
                &format_args!("{}", p(&self.place_of_residence)),
            )
            .field(
                "identifying_marks",
                &format_args!("{}", p(&self.identifying_marks)),
            )
            .field("issue_date", &format_args!("{}", p(&self.issue_date)))
            .field("expiry", &format_args!("{}", p(&self.expiry)))
            .field("father_name", &format_args!("{}", p(&self.father_name)))
            .field("mother_name", &format_args!("{}", p(&self.mother_name)))
            .field("spouse_name", &format_args!("{}", p(&self.spouse_name)))
            .field("raw_entries", &self.raw_entries)
            .finish()
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Dg13 {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(serde::Serialize)]
        struct Out<'a> {
            version: Option<u32>,
            oid: Option<&'a str>,
            id_number: Option<&'a str>,
            full_name: Option<&'a str>,
            date_of_birth: Option<NaiveDate>,
            sex: Option<&'static str>,
            nationality: Option<&'a str>,
            ethnicity: Option<&'a str>,
            religion: Option<&'a str>,
            place_of_origin: Option<&'a str>,
            place_of_residence: Option<&'a str>,
            identifying_marks: Option<&'a str>,
            issue_date: Option<NaiveDate>,
            expiry: Option<ChipExpiry>,
            father_name: Option<&'a str>,
            mother_name: Option<&'a str>,
            spouse_name: Option<&'a str>,
            raw_entries: &'a [RawEntry],
        }
        Out {
            version: self.version,
            oid: self.oid(),
            id_number: self.id_number.as_ref().map(IdNumber::as_str),
            full_name: self.full_name(),
            date_of_birth: self.date_of_birth,
            sex: self.sex.map(Sex::as_str),
            nationality: self.nationality(),
            ethnicity: self.ethnicity(),
            religion: self.religion(),
            place_of_origin: self.place_of_origin(),
            place_of_residence: self.place_of_residence(),
            identifying_marks: self.identifying_marks(),
            issue_date: self.issue_date,
            expiry: self.expiry,
            father_name: self.father_name(),
            mother_name: self.mother_name(),
            spouse_name: self.spouse_name(),
            raw_entries: &self.raw_entries,
        }
        .serialize(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_oids() {
        assert_eq!(date("01/02/2003"), NaiveDate::from_ymd_opt(2003, 2, 1));
        for bad in [
            "1/02/2003",
            "01-02-2003",
            "31/02/2003",
            "0a/02/2003",
            "01/02/20035",
        ] {
            assert_eq!(date(bad), None, "{bad}");
        }
        assert_eq!(
            oid_text(&[0x28, 0xD3, 0x16, 0x01, 0x00, 0x08]),
            "1.0.10646.1.0.8"
        );
        assert_eq!(oid_text(&[0x28, 0x80]), "?");
        assert_eq!(expiry("Không thời hạn"), Some(ChipExpiry::Never));
        assert_eq!(sex("Nữ"), Some(Sex::Female));
    }
}
