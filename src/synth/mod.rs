//! Synthetic samples for tests, fuzzing corpora and QA (feature `synth`: cards and payload
//! samples; feature `synth-photo`: card photos too). Everything here is generated from a
//! seed: no real person's data.

mod cards;
mod mrz;
#[cfg(feature = "synth-photo")]
mod photo;
mod samples;

pub use cards::{damage, CardGenerator};
pub use mrz::{damage_mrz, mrz_for, mrz_text, MrzGenerator};
#[cfg(feature = "synth-photo")]
pub use photo::{Photo, PhotoGenerator, PhotoMeta};
pub use samples::{Expected, Rule, Sample, SampleGenerator, SampleKind};
