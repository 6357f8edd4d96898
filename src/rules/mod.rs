//! Rules over the holder, whatever record the facts came from: when a card expires
//! ([`Expiry`]) and whether its facts hang together ([`Checks`]).

mod checks;
mod expiry;
mod holder;

pub use checks::{Checks, Warning, WarningCode};
pub use expiry::{Expiry, Law};
pub use holder::{Holder, Sex};
