//! The QR payload on the front of the card: the record ([`Card`]), its grammar and its
//! repairs.

mod card;
mod grammar;
mod prescan;
#[cfg(feature = "image")]
mod shape;

#[cfg(feature = "synth")]
pub(crate) use card::CardDate;
pub use card::{Card, ExtraFields, Layout};
pub use grammar::{parse, Parsed, Parser, MAX_PAYLOAD_LEN};
#[cfg(feature = "image")]
pub(crate) use shape::Shape;
