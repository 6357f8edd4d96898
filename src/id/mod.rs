//! What every record says about the holder's ID: the 12-digit personal ID number and the old
//! ID number, and the places its first three digits name.

mod number;
mod place;
mod place_table;

pub use number::{IdNumber, OldIdNumber};
pub use place::{Birthplace, Country, Province};
