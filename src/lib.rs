//! # cccd: read Vietnamese chip ID cards
//!
//! Every Vietnamese chip ID card (CCCD, issued 2021 – June 2024, and the *thẻ căn cước*
//! issued since July 2024) carries a QR code whose payload holds the holder's 12-digit
//! personal ID number, old ID number, full name, date of birth, sex, place of residence and
//! issue date, separated by `|`. This crate parses that payload into a typed, validated
//! [`Card`], without copying and without allocating in the common case.
//!
//! ```
//! let payload = "079203001234|123456789|Nguyễn Văn Ánh|01012003|Nam|Số 1 Lê Lợi, Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh|15082021";
//! let card = cccd::parse(payload)?;
//! assert_eq!(card.id_number().as_str(), "079203001234");
//! assert_eq!(card.old_id_number().map(|o| o.as_str()), Some("123456789"));
//! assert_eq!(card.full_name(), "Nguyễn Văn Ánh");
//! assert_eq!(card.sex(), cccd::Sex::Male);
//! assert_eq!(card.issue_date(), cccd::NaiveDate::from_ymd_opt(2021, 8, 15).unwrap());
//! assert_eq!(card.layout(), cccd::Layout::V2021);
//! assert_eq!(card.to_string(), payload); // Display writes the canonical payload
//!
//! let err = cccd::parse("079203001234|123456789|Nguyễn Văn Ánh|01132003|Nam|Hà Nội|15082021").unwrap_err();
//! assert_eq!(err.code(), cccd::ErrorCode::DateOfBirth);
//! assert_eq!(err.to_string(), "invalid date of birth at byte 44: month 13");
//! # Ok::<(), cccd::Error>(())
//! ```
//!
//! Strict parsing ([`parse`]) accepts exactly what cards encode. [`Parser`] has a lenient mode
//! that repairs what scanners damage (byte-order marks, whitespace, line endings, NFD text,
//! mojibake) and reports every [`Repair`], and parses raw bytes as a QR decoder returns them.
//!
//! ## What the library knows about the card
//!
//! Beyond splitting fields, the crate decodes what the ID number says
//! ([`IdNumber::birthplace`] with the province and country tables, [`IdNumber::century`],
//! [`IdNumber::sex`], [`IdNumber::birth_year`]), computes when the card expires under the
//! 2014 or 2023 law ([`Card::expiry`]), checks that the fields agree ([`Card::check`] returns
//! [`Warning`]s, never errors: real cards exist whose ID digits disagree with their other
//! fields) and folds names to ASCII ([`fold_ascii`], [`Card::full_name_ascii`]).
//!
//! ```
//! use cccd::{Birthplace, NaiveDate};
//! let card = cccd::parse("079203001234|123456789|Nguyễn Văn Ánh|01012003|Nam|Hà Nội|15082021")?;
//! assert!(matches!(card.id_number().birthplace(), Birthplace::Province(p) if p.name() == "Hồ Chí Minh"));
//! assert_eq!(card.expiry().date(), NaiveDate::from_ymd_opt(2028, 1, 1));
//! assert!(card.check(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()).is_empty());
//! assert_eq!(card.full_name_ascii(), "NGUYEN VAN ANH");
//! # Ok::<(), cccd::Error>(())
//! ```
//!
//! Personal data never appears in `Debug` output or error messages: `Debug` of a [`Card`] or
//! an [`IdNumber`] is redacted, and errors name the field and byte offset, never the text.
//!
//! ## Crate features
//! - `serde`: `Serialize`/`Deserialize` for [`Card`], `Serialize` for [`Expiry`],
//!   [`Birthplace`] and [`Warning`], and the [`report`] module: the JSON objects the `cccd`
//!   command prints and the bindings return, with redaction by type and CSV cells.
//! - `image`: find and decode the QR code in photos: [`Scanner`] (`codes`, `card`, from any
//!   [`ScanInput`]: a decoded image, encoded bytes or a path), [`Code`], [`ScannedCard`],
//!   [`ScanError`]; re-exports the `image` crate, whose types are in the API.
//! - `synth`: synthetic sample generator (cards and payload samples with their expected
//!   outcomes), `rand` only.
//! - `synth-photo`: synthetic card photos too (`synth::PhotoGenerator`); implies `synth` and
//!   `image`.
//! - `chip-pa`: passive authentication of the chip's EF.SOD ([`Chip::verify`],
//!   [`TrustAnchors`], [`PaReport`]).
//! - `synth-chip`: signed synthetic chips (`synth::ChipGenerator`); implies `synth` and
//!   `chip-pa`.
//!
//! The `cccd` command is the workspace member `cccd-cli` (`cargo install --path cli`).
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod chip;
mod error;
mod id;
#[doc(hidden)]
pub mod __fuzz {
    #[cfg(feature = "chip-pa")]
    pub use crate::fuzz::sod;
    pub use crate::fuzz::{chip_tlv, dg13, mrz, parse_bytes, roundtrip};
    #[cfg(feature = "synth-photo")]
    pub use crate::scan::__hooks::soft_pool;
    #[cfg(feature = "image")]
    pub use crate::scan::__hooks::{finder_marks_of, patch_reads, scan as scan_image};
}
mod fuzz;
pub mod mrz;
mod qr;
#[cfg(feature = "serde")]
pub mod report;
mod rules;
#[cfg(feature = "image")]
mod scan;
mod text;

#[cfg(feature = "synth")]
pub mod synth;

pub use chip::*;
pub use chrono;
pub use chrono::NaiveDate;
pub use error::{Error, ErrorCode, Field, Reason};
pub use id::{Birthplace, Country, IdNumber, OldIdNumber, Province};
#[cfg(feature = "image")]
pub use image;
pub use mrz::cross::{CrossCode, CrossWarning};
pub use qr::{parse, Card, ExtraFields, Layout, Parsed, Parser, MAX_PAYLOAD_LEN};
pub use rules::{Checks, Expiry, Holder, Law, Sex, Warning, WarningCode};
#[cfg(feature = "image")]
pub use scan::{
    find_cards, Code, Engine, Frame, FrameScanner, ScanError, ScanErrorCode, ScanInput,
    ScannedCard, Scanner, Step, DEFAULT_MAX_DIMENSION, DEFAULT_MAX_FILE_SIZE, DEFAULT_MAX_MEMORY,
    DEFAULT_MAX_PIXELS, DEFAULT_TIME_BUDGET, MAX_FINDER_PATTERNS,
};
pub use text::{fold_ascii, is_vietnamese_text_char, Repair, PUNCTUATION, VIETNAMESE_LETTERS};

/// The README's examples, compiled and run as doc tests (the scanning example needs `image`).
#[cfg(all(doctest, feature = "image"))]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
