//! The card object of a report (`layout`, `card`, `repairs`, then what the library knows:
//! `id_info`, `expiry`, `expired`, `full_name_ascii`, `warnings`). The keys are written here
//! once: [`Card`]'s, [`Expiry`]'s, [`Birthplace`]'s and [`Warning`]'s own `Serialize` use them.

use serde::ser::{SerializeMap, SerializeStruct};
use serde::{Serialize, Serializer};

use super::redact::{Personal, Private};
use super::Options;
use crate::{Birthplace, Card, Expiry, Parsed, Repair, Warning};

/// A parsed card with what the library knows about it, checked against the options' date.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CardReport<'a> {
    /// The card.
    pub card: Card<'a>,
    /// Repairs, in the order applied.
    pub repairs: Vec<Repair>,
    /// What the library knows about the card.
    pub facts: Facts,
    /// Whether personal data is redacted when serialised.
    pub redact: bool,
}

impl<'a> CardReport<'a> {
    /// The report of a parsed card.
    pub fn new(parsed: Parsed<'a>, opts: &Options) -> Self {
        let mut facts = Facts::new(&parsed.card, opts);
        facts
            .warnings
            .extend(parsed.damaged.iter().map(|&f| Warning::damaged_text(f)));
        CardReport {
            card: parsed.card,
            repairs: parsed.repairs,
            facts,
            redact: opts.redact,
        }
    }
}

impl Serialize for CardReport<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        self.entries(&mut m)?;
        m.end()
    }
}

impl CardReport<'_> {
    /// Writes the keys into an enclosing object (the scan report's).
    pub(crate) fn entries<M: SerializeMap>(&self, m: &mut M) -> Result<(), M::Error> {
        m.serialize_entry("layout", self.card.layout().as_str())?;
        m.serialize_entry("card", &CardFields::new(&self.card, self.redact))?;
        m.serialize_entry("repairs", &self.repairs)?;
        self.facts.entries(&self.card, self.redact, m)
    }
}

/// The `"card"` object: the payload's fields, redacted by kind when asked.
pub(crate) struct CardFields<'c, 'a> {
    card: &'c Card<'a>,
    redact: bool,
}

impl<'c, 'a> CardFields<'c, 'a> {
    pub(crate) fn new(card: &'c Card<'a>, redact: bool) -> Self {
        CardFields { card, redact }
    }
}

impl Serialize for CardFields<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (c, r) = (self.card, self.redact);
        let mut st = s.serialize_struct("Card", 8)?;
        st.serialize_field(
            "id_number",
            &Private::text(Personal::IdNumber, c.id_number().as_str(), r),
        )?;
        st.serialize_field(
            "old_id_number",
            &c.old_id_number()
                .map(|o| Private::text(Personal::IdNumber, o.as_str(), r)),
        )?;
        st.serialize_field(
            "full_name",
            &Private::text(Personal::Name, c.full_name(), r),
        )?;
        st.serialize_field("date_of_birth", &Private::birthday(c.date_of_birth(), r))?;
        st.serialize_field("sex", c.sex().as_str())?;
        st.serialize_field("address", &Private::text(Personal::Address, c.address(), r))?;
        st.serialize_field("issue_date", &c.issue_date())?;
        let extra: Vec<Private<'_>> = c
            .extra_fields()
            .map(|e| Private::text(Personal::Withheld, e, r))
            .collect();
        st.serialize_field("extra_fields", &extra)?;
        st.end()
    }
}

/// What the library knows about a card: `id_info`, `expiry`, `expired`, `full_name_ascii`
/// (computed when the report is written) and `warnings`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Facts {
    /// When the card expires.
    pub expiry: Expiry,
    /// Whether it had expired on the reference date.
    pub expired: bool,
    /// The cross-field checks' findings.
    pub warnings: Vec<Warning>,
}

impl Facts {
    /// The facts of `card` on the options' reference date.
    pub fn new(card: &Card<'_>, opts: &Options) -> Self {
        let expiry = card.expiry();
        Facts {
            expired: expiry.is_expired(opts.today),
            expiry,
            warnings: card.check(opts.today).warnings().to_vec(),
        }
    }

    fn entries<M: SerializeMap>(
        &self,
        card: &Card<'_>,
        redact: bool,
        m: &mut M,
    ) -> Result<(), M::Error> {
        let id = card.id_number();
        m.serialize_entry(
            "id_info",
            &IdInfo {
                birthplace: BirthplaceReport(id.birthplace()),
                century: id.century(),
                sex: id.sex().as_str(),
                birth_year: (!redact).then(|| id.birth_year()),
            },
        )?;
        m.serialize_entry("expiry", &ExpiryReport::new(&self.expiry, redact))?;
        m.serialize_entry("expired", &self.expired)?;
        m.serialize_entry(
            "full_name_ascii",
            &Private::text(Personal::Name, card.full_name_ascii(), redact),
        )?;
        let warnings: Vec<WarningReport> =
            self.warnings.iter().map(|w| WarningReport(*w)).collect();
        m.serialize_entry("warnings", &warnings)
    }
}

/// The `"id_info"` object: what the ID number says.
#[derive(Debug, Serialize)]
#[non_exhaustive]
pub struct IdInfo {
    /// Where the birth was registered.
    pub birthplace: BirthplaceReport,
    /// The century (`20`, `21`, …).
    pub century: u8,
    /// `"male"` or `"female"`.
    pub sex: &'static str,
    /// The birth year; `null` in a redacted report (with the century and the sex it would
    /// give away 3 more ID digits).
    pub birth_year: Option<i32>,
}

/// The `"birthplace"` object: `kind` and `code` always; `name` and `province_since_2025` for
/// a province, `name` and `iso` for a country.
#[derive(Debug, Clone, Copy)]
pub struct BirthplaceReport(pub Birthplace);

impl Serialize for BirthplaceReport {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let place = self.0;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("kind", place.kind())?;
        m.serialize_entry("code", &format_args!("{:03}", place.code()))?;
        if let Some(name) = place.name() {
            m.serialize_entry("name", name)?;
        }
        match place {
            Birthplace::Province(p) => m.serialize_entry("province_since_2025", p.since_2025())?,
            Birthplace::Country(c) => m.serialize_entry("iso", c.iso())?,
            _ => {}
        }
        m.end()
    }
}

/// The `"expiry"` object; the date is a birthday, redacted as one.
#[derive(Debug, Serialize)]
pub struct ExpiryReport {
    date: Option<Private<'static>>,
    never: bool,
    law: &'static str,
}

impl ExpiryReport {
    /// The object for `expiry`.
    pub fn new(expiry: &Expiry, redact: bool) -> Self {
        ExpiryReport {
            date: expiry.date().map(|d| Private::birthday(d, redact)),
            never: expiry.is_never(),
            law: expiry.law().as_str(),
        }
    }
}

/// One object of `"warnings"`: `code`, `field` (for `damaged_text` only) and `message`.
#[derive(Debug, Clone, Copy)]
pub struct WarningReport(pub Warning);

impl Serialize for WarningReport {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let field = self.0.field();
        let mut st = s.serialize_struct("Warning", 2 + usize::from(field.is_some()))?;
        st.serialize_field("code", self.0.code().as_str())?;
        if let Some(field) = field {
            st.serialize_field("field", field.as_str())?;
        }
        st.serialize_field("message", self.0.message())?;
        st.end()
    }
}

impl Serialize for Card<'_> {
    /// The `"card"` object of the JSON contract.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        CardFields::new(self, false).serialize(s)
    }
}

impl Serialize for Expiry {
    /// `{"date": "2028-01-01" or null, "never": false, "law": "2014"}`.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        ExpiryReport::new(self, false).serialize(s)
    }
}

impl Serialize for Birthplace {
    /// The `"birthplace"` object of `id_info`.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        BirthplaceReport(*self).serialize(s)
    }
}

impl Serialize for Warning {
    /// `{"code": "id_sex_mismatch", "message": "…"}`.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        WarningReport(*self).serialize(s)
    }
}
