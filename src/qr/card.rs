//! The typed record: [`Card`], [`Sex`], [`Layout`].

use std::borrow::Cow;
use std::fmt;

use chrono::{Datelike, NaiveDate};

use crate::id::{IdNumber, OldIdNumber};
use crate::rules::{Holder, Sex};

/// Which payload layout the card uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Layout {
    /// 7 fields: CCCDs issued 2021 – mid 2024.
    V2021,
    /// 11 fields: the 7, then 4 opaque fields (cards issued since about September 2024).
    V2024,
}

impl Layout {
    /// `"2021"` or `"2024"`, as used in JSON.
    pub const fn as_str(self) -> &'static str {
        match self {
            Layout::V2021 => "2021",
            Layout::V2024 => "2024",
        }
    }

    /// How many `|`-separated fields the layout has.
    pub const fn field_count(self) -> usize {
        match self {
            Layout::V2021 => 7,
            Layout::V2024 => 11,
        }
    }
}

impl fmt::Display for Layout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A card read from its QR payload.
///
/// Text fields borrow from the input whenever the parser did not have to repair them
/// ([`Card::into_owned`] gives a `Card<'static>`). `Display` writes the canonical payload, so
/// `cccd::parse(&card.to_string())` gives back an equal card. `Debug` is redacted: it shows the
/// layout and the masked ID number, nothing else.
///
/// ```
/// let card = cccd::parse("079203001234|123456789|Nguyễn Văn Ánh|01012003|Nam|Số 1 Lê Lợi, Quận 1, TP. Hồ Chí Minh|15082021")?;
/// assert_eq!(card.full_name(), "Nguyễn Văn Ánh");
/// assert_eq!(card.date_of_birth(), cccd::NaiveDate::from_ymd_opt(2003, 1, 1).unwrap());
/// assert_eq!(format!("{card:?}"), "Card { layout: V2021, id_number: IdNumber(\"079*********\"), .. }");
/// # Ok::<(), cccd::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Card<'a> {
    pub(crate) id_number: IdNumber,
    pub(crate) old_id_number: Option<OldIdNumber>,
    pub(crate) full_name: Cow<'a, str>,
    pub(crate) date_of_birth: NaiveDate,
    pub(crate) sex: Sex,
    pub(crate) address: Cow<'a, str>,
    pub(crate) issue_date: NaiveDate,
    /// The 2024 layout's 4 extra fields as they stand in the payload, joined by `|` (so the
    /// card stays small enough to move cheaply); `None` for the 2021 layout.
    pub(crate) extra: Option<Cow<'a, str>>,
}

impl<'a> Card<'a> {
    /// The 12-digit personal ID number.
    pub const fn id_number(&self) -> &IdNumber {
        &self.id_number
    }

    /// The old ID number (CMND), `None` when the field is empty.
    pub const fn old_id_number(&self) -> Option<&OldIdNumber> {
        self.old_id_number.as_ref()
    }

    /// The full name, as on the card (Title Case, NFC).
    pub fn full_name(&self) -> &str {
        &self.full_name
    }

    /// The date of birth.
    pub const fn date_of_birth(&self) -> NaiveDate {
        self.date_of_birth
    }

    /// The sex.
    pub const fn sex(&self) -> Sex {
        self.sex
    }

    /// The place of residence, as on the card.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// The issue date.
    pub const fn issue_date(&self) -> NaiveDate {
        self.issue_date
    }

    /// The holder as the rules see them ([`Holder::expiry`], [`Holder::check`]) and as
    /// cross-document checks compare them with the MRZ and the chip.
    pub fn holder(&self) -> Holder<'_> {
        Holder::new(
            &self.id_number,
            &self.full_name,
            self.date_of_birth,
            self.sex,
            Some(self.issue_date),
        )
    }

    /// The payload layout (7 or 11 fields).
    pub const fn layout(&self) -> Layout {
        match self.extra {
            None => Layout::V2021,
            Some(_) => Layout::V2024,
        }
    }

    /// The 4 opaque fields of the 2024 layout (usually empty strings), in order; nothing for
    /// the 2021 layout.
    ///
    /// ```
    /// let card = cccd::parse("036303000777||Lê Minh Châu|30092003|Nữ|Xóm 2, Hải Hậu, Nam Định|12112024||x||")?;
    /// assert_eq!(card.extra_fields().collect::<Vec<_>>(), ["", "x", "", ""]);
    /// assert_eq!(card.extra_fields().len(), 4);
    /// # Ok::<(), cccd::Error>(())
    /// ```
    pub fn extra_fields(&self) -> ExtraFields<'_> {
        ExtraFields {
            rest: self.extra.as_deref(),
        }
    }

    /// The full name folded to upper-case ASCII ([`fold_ascii`](crate::fold_ascii)), as
    /// banks, the MRZ and ASCII-only forms write it: `Đặng Thị Hồng Nhung` →
    /// `DANG THI HONG NHUNG`.
    pub fn full_name_ascii(&self) -> Cow<'_, str> {
        crate::text::fold_ascii(&self.full_name)
    }

    /// Whether every text field borrows from the parsed input (nothing was repaired).
    pub fn is_borrowed(&self) -> bool {
        let borrowed = |c: &Cow<'a, str>| matches!(c, Cow::Borrowed(_));
        borrowed(&self.full_name)
            && borrowed(&self.address)
            && self.extra.as_ref().is_none_or(borrowed)
    }

    /// A copy that owns all its text: a `Card<'static>`.
    pub fn into_owned(self) -> Card<'static> {
        let own = |c: Cow<'a, str>| Cow::Owned(c.into_owned());
        Card {
            id_number: self.id_number,
            old_id_number: self.old_id_number,
            full_name: own(self.full_name),
            date_of_birth: self.date_of_birth,
            sex: self.sex,
            address: own(self.address),
            issue_date: self.issue_date,
            extra: self.extra.map(own),
        }
    }
}

/// The 2024 layout's extra fields of a card: see [`Card::extra_fields`].
#[derive(Clone)]
pub struct ExtraFields<'c> {
    rest: Option<&'c str>,
}

impl<'c> Iterator for ExtraFields<'c> {
    type Item = &'c str;

    fn next(&mut self) -> Option<&'c str> {
        let rest = self.rest?;
        match rest.split_once('|') {
            Some((field, more)) => {
                self.rest = Some(more);
                Some(field)
            }
            None => {
                self.rest = None;
                Some(rest)
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self
            .rest
            .map_or(0, |r| memchr::memchr_iter(b'|', r.as_bytes()).count() + 1);
        (n, Some(n))
    }
}

impl ExactSizeIterator for ExtraFields<'_> {}

impl std::iter::FusedIterator for ExtraFields<'_> {}

impl fmt::Debug for ExtraFields<'_> {
    /// Only the number of fields left: their content is not shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExtraFields")
            .field("len", &self.len())
            .finish()
    }
}

impl fmt::Debug for Card<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Card")
            .field("layout", &self.layout())
            .field("id_number", &self.id_number)
            .finish_non_exhaustive()
    }
}

/// Writes `date` as the card does: `ddmmyyyy`.
pub(crate) struct CardDate(pub(crate) NaiveDate);

impl fmt::Display for CardDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.0;
        write!(f, "{:02}{:02}{:04}", d.day(), d.month(), d.year())
    }
}

impl fmt::Display for Card<'_> {
    /// Writes the canonical payload: the fields joined by `|`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}|", self.id_number)?;
        if let Some(old) = &self.old_id_number {
            f.write_str(old.as_str())?;
        }
        write!(
            f,
            "|{}|{}|{}|{}|{}",
            self.full_name,
            CardDate(self.date_of_birth),
            self.sex.as_card_str(),
            self.address,
            CardDate(self.issue_date)
        )?;
        for extra in self.extra_fields() {
            write!(f, "|{extra}")?;
        }
        Ok(())
    }
}

#[cfg(feature = "serde")]
mod serde_impl {
    use std::borrow::Cow;

    use chrono::NaiveDate;
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::{Card, CardDate, Sex};

    impl Serialize for Sex {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_str(self.as_str())
        }
    }

    impl<'de> Deserialize<'de> for Sex {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let s = Cow::<'de, str>::deserialize(d)?;
            match &*s {
                "male" => Ok(Sex::Male),
                "female" => Ok(Sex::Female),
                _ => Err(D::Error::custom("sex must be \"male\" or \"female\"")),
            }
        }
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Raw {
        id_number: String,
        old_id_number: Option<String>,
        full_name: String,
        date_of_birth: NaiveDate,
        sex: Sex,
        address: String,
        issue_date: NaiveDate,
        #[serde(default)]
        extra_fields: Vec<String>,
    }

    impl<'de> Deserialize<'de> for Card<'static> {
        /// Deserialises the JSON shape that `Serialize` writes, with the same checks as the
        /// strict parser.
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let raw = Raw::deserialize(d)?;
            if !matches!(raw.extra_fields.len(), 0 | 4) {
                return Err(D::Error::custom("extra_fields must hold 0 or 4 strings"));
            }
            let texts = [&raw.id_number, &raw.full_name, &raw.address]
                .into_iter()
                .chain(raw.old_id_number.as_ref())
                .chain(&raw.extra_fields);
            for text in texts {
                if text.contains('|') {
                    return Err(D::Error::custom("a field contains the separator '|'"));
                }
            }
            let mut payload = format!(
                "{}|{}|{}|{}|{}|{}|{}",
                raw.id_number,
                raw.old_id_number.as_deref().unwrap_or(""),
                raw.full_name,
                CardDate(raw.date_of_birth),
                raw.sex.as_card_str(),
                raw.address,
                CardDate(raw.issue_date)
            );
            for extra in &raw.extra_fields {
                payload.push('|');
                payload.push_str(extra);
            }
            crate::parse(&payload)
                .map(Card::into_owned)
                .map_err(D::Error::custom)
        }
    }
}
