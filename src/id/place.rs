//! Where a birth was registered: the first three digits of the personal ID number.
//!
//! The tables come from `data/province_codes.tsv` and `data/country_codes.tsv` (Circular
//! 07/2016/TT-BCA as amended by Circular 59/2021/TT-BCA, with the July 2025 province merger),
//! turned into Rust by `cargo xtask place-table`.

use std::fmt;

use super::place_table::{COUNTRIES, PROVINCES};

/// A province code (`001`–`096`, 63 codes with gaps) of the personal ID number.
///
/// Codes on existing ID numbers did not change when the 63 provinces were merged into 34 in
/// July 2025; [`Province::since_2025`] names the province the code belongs to now.
///
/// ```
/// let p = cccd::Province::by_code(2).unwrap();
/// assert_eq!((p.code(), p.name(), p.since_2025()), (2, "Hà Giang", "Tuyên Quang"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Province {
    pub(super) code: u16,
    pub(super) name: &'static str,
    pub(super) since_2025: &'static str,
}

impl Province {
    /// The province with this code, if any. Does not allocate.
    pub fn by_code(code: u16) -> Option<&'static Province> {
        PROVINCES
            .binary_search_by_key(&code, |p| p.code)
            .ok()
            .and_then(|i| PROVINCES.get(i))
    }

    /// Every province code, in code order.
    pub fn all() -> &'static [Province] {
        &PROVINCES
    }

    /// The code (1–96).
    pub const fn code(&self) -> u16 {
        self.code
    }

    /// The province's name when the code was assigned (before the July 2025 merger), in
    /// Vietnamese, e.g. `Hà Giang`.
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// The province the code belongs to since the merger of 1 July 2025, e.g. `Tuyên Quang`
    /// for `Hà Giang`.
    pub const fn since_2025(&self) -> &'static str {
        self.since_2025
    }
}

/// A country code (`101`–`295`) of the personal ID number: births registered abroad.
///
/// ```
/// let c = cccd::Country::by_code(102).unwrap();
/// assert_eq!((c.code(), c.iso(), c.name()), (102, "EG", "Ai Cập"));
/// assert_eq!(c.name_en(), "Arab Republic of Egypt");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Country {
    pub(super) code: u16,
    pub(super) iso: &'static str,
    pub(super) name_en: &'static str,
    pub(super) name: &'static str,
}

impl Country {
    /// The country with this code, if any. Does not allocate.
    pub fn by_code(code: u16) -> Option<&'static Country> {
        COUNTRIES
            .binary_search_by_key(&code, |c| c.code)
            .ok()
            .and_then(|i| COUNTRIES.get(i))
    }

    /// Every country code, in code order.
    pub fn all() -> &'static [Country] {
        &COUNTRIES
    }

    /// The code (101–295).
    pub const fn code(&self) -> u16 {
        self.code
    }

    /// The ISO 3166-1 alpha-2 code, e.g. `EG`.
    pub const fn iso(&self) -> &'static str {
        self.iso
    }

    /// The name in Vietnamese, as the regulation's table writes it, e.g. `Ai Cập`.
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// The formal name in English, e.g. `Arab Republic of Egypt`.
    pub const fn name_en(&self) -> &'static str {
        self.name_en
    }
}

/// Where a birth was registered, from the first three digits of the personal ID number
/// ([`IdNumber::birthplace`](crate::IdNumber::birthplace)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Birthplace {
    /// A province of Viet Nam (codes `001`–`096`).
    Province(&'static Province),
    /// A country, for births registered abroad (codes `101`–`295`).
    Country(&'static Country),
    /// A code that is neither (e.g. `000`, `003`, `099`, `300`).
    Unknown(u16),
}

impl Birthplace {
    /// The place for a three-digit code. Does not allocate.
    pub fn from_code(code: u16) -> Birthplace {
        if let Some(p) = Province::by_code(code) {
            Birthplace::Province(p)
        } else if let Some(c) = Country::by_code(code) {
            Birthplace::Country(c)
        } else {
            Birthplace::Unknown(code)
        }
    }

    /// The three-digit code as a number.
    pub const fn code(&self) -> u16 {
        match self {
            Birthplace::Province(p) => p.code,
            Birthplace::Country(c) => c.code,
            Birthplace::Unknown(code) => *code,
        }
    }

    /// `"province"`, `"country"` or `"unknown"`, as used in JSON.
    pub const fn kind(&self) -> &'static str {
        match self {
            Birthplace::Province(_) => "province",
            Birthplace::Country(_) => "country",
            Birthplace::Unknown(_) => "unknown",
        }
    }

    /// The name (Vietnamese), `None` for an unknown code.
    pub const fn name(&self) -> Option<&'static str> {
        match self {
            Birthplace::Province(p) => Some(p.name),
            Birthplace::Country(c) => Some(c.name),
            Birthplace::Unknown(_) => None,
        }
    }
}

impl fmt::Display for Birthplace {
    /// `079 Hồ Chí Minh (since 2025: Hồ Chí Minh)`, `102 Ai Cập (EG)` or `300 (unknown)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Birthplace::Province(p) => {
                write!(f, "{:03} {} (since 2025: {})", p.code, p.name, p.since_2025)
            }
            Birthplace::Country(c) => write!(f, "{:03} {} ({})", c.code, c.name, c.iso),
            Birthplace::Unknown(code) => write!(f, "{code:03} (unknown)"),
        }
    }
}
